//! The library screen drawn: a header (the folders, how many documents, the sort key; or
//! the search, its count and the number of documents matched as they grow), the rows of
//! documents (title, date, first speakers, length, progress, bookmarks) or a search's
//! matches grouped by document (a header line per document, then each match's time,
//! speaker, section and line with the match marked), the line being typed, and a status
//! line; the help box over them when open. Only reads [`LibraryScreen`].
//!
//! Invariant: every text of a document (titles, names, sections, lines, paths) goes
//! through [`safe_text`] and then [`put`], so no byte of it reaches the terminal as a
//! control sequence; any frame size, the narrowest included, is drawn without a panic
//! (columns that do not fit are left out, text is cut).

use std::path::Path;

use fangtan_core::source::safe_text;

use crate::app::library::{LibraryScreen, Prompt, Results, SortKey};
use crate::keymap::LibraryAction;
use crate::library::Entry;

#[allow(clippy::wildcard_imports)]
use super::*;

/// Draw the library screen into `buf` at its size; where the terminal cursor goes (in
/// the line being typed), if anywhere.
pub fn draw_library(buf: &mut Buffer, s: &LibraryScreen, theme: &Theme) -> Option<(u16, u16)> {
    let screen = buf.area;
    if screen.width == 0 || screen.height == 0 {
        return None;
    }
    let amb = s.ambiguous;
    fill(buf, area(screen), Style::default());
    let end = screen.x + screen.width;
    let header = Style::default().fg(theme.heading).add_modifier(Modifier::BOLD);
    put(buf, screen.x, screen.y, end, &header_text(s), header, amb);
    let list = Area {
        x: screen.x,
        y: screen.y.saturating_add(1),
        width: screen.width,
        height: screen.height.saturating_sub(2 + u16::from(s.prompt_shown())),
    };
    match &s.results {
        Some(r) => draw_results(buf, s, r, list, theme),
        None => draw_rows(buf, s, list, theme),
    }
    let mut cursor = None;
    if s.prompt_shown() && screen.height >= 3 {
        let y = screen.y + screen.height - 2;
        cursor = draw_prompt(buf, s, y, theme);
    }
    if screen.height >= 2 {
        draw_status(buf, s, screen.y + screen.height - 1, theme);
    }
    if s.help {
        draw_help(buf, s, theme);
        cursor = None;
    }
    cursor
}

fn header_text(s: &LibraryScreen) -> String {
    if let Some(r) = &s.results {
        let typed = safe_text(&r.typed, false);
        let mut t = format!(" Search “{typed}” · {}", counted(r.total, "match", "matches"));
        t.push_str(&format!(" in {}", counted(r.docs, "document", "documents")));
        if r.hits.len() < r.total {
            t.push_str(&format!(" (first {} shown)", r.hits.len()));
        }
        if r.skipped > 0 {
            t.push_str(&format!(" · {} unreadable", r.skipped));
        }
        if !r.done {
            t.push_str(" · searching…");
        }
        return t;
    }
    let mut folders = s.roots.first().map(|p| shown_path(p)).unwrap_or_default();
    if s.roots.len() > 1 {
        folders.push_str(&format!(" +{}", s.roots.len() - 1));
    }
    let shelf = &s.shelf;
    let count = if shelf.filter.is_empty() {
        counted(shelf.rows.len(), "document", "documents")
    } else {
        format!("{} of {}", shelf.shown.len(), counted(shelf.rows.len(), "document", "documents"))
    };
    let order = if shelf.filter.is_empty() { shelf.sort.name() } else { "best match" };
    let mut t = format!(" Library {folders} · {count} · by {order}");
    if s.refreshing {
        t.push_str(" · updating…");
    }
    t
}

fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A folder as the header shows it: home as `~`, no control character.
fn shown_path(p: &Path) -> String {
    safe_text(&crate::config::paths::shown(p), false)
}

/// Column widths of a document row at `width` cells: date, speakers, length, progress,
/// bookmarks (0: left out); the title takes the rest.
struct Columns {
    date: u16,
    speakers: u16,
    length: u16,
    progress: u16,
    marks: u16,
}

impl Columns {
    fn at(width: u16) -> Columns {
        let wide = |min: u16, w: u16| if width >= min { w } else { 0 };
        Columns {
            date: wide(60, 11),
            speakers: wide(70, (width / 5).clamp(14, 36)),
            length: wide(30, 10),
            progress: wide(44, 5),
            marks: wide(50, 4),
        }
    }

    fn fixed(&self) -> u16 {
        self.date + self.speakers + self.length + self.progress + self.marks
    }
}

/// Text at `x`, cut to `w` cells (with an ellipsis), right-aligned when `right`.
#[allow(clippy::too_many_arguments)]
fn column(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    w: u16,
    text: &str,
    style: Style,
    right: bool,
    amb: AmbiguousWidth,
) {
    if w == 0 {
        return;
    }
    // One cell of space before the next column.
    let room = usize::from(w.saturating_sub(1));
    let text = truncate(text, room, amb);
    let pad = if right { room.saturating_sub(str_width(&text, amb)) as u16 } else { 0 };
    put(buf, x + pad, y, x.saturating_add(w), &text, style, amb);
}

fn draw_rows(buf: &mut Buffer, s: &LibraryScreen, a: Area, theme: &Theme) {
    let amb = s.ambiguous;
    let shelf = &s.shelf;
    if shelf.shown.is_empty() {
        let why = if s.refreshing {
            "looking for transcripts…"
        } else if shelf.rows.is_empty() {
            "no transcripts found here"
        } else {
            "no document matches the filter"
        };
        put(buf, a.x + 2, a.y, a.x + a.width, why, Style::default().fg(theme.dim), amb);
        return;
    }
    let cols = Columns::at(a.width);
    let title_w = a.width.saturating_sub(2 + cols.fixed());
    for (i, &row) in shelf.shown.iter().enumerate().skip(s.top).take(usize::from(a.height)) {
        let y = a.y + (i - s.top) as u16;
        let selected = i == shelf.sel;
        let base = row_style(buf, a, y, selected, theme, amb);
        draw_entry(buf, &shelf.rows[row], a.x + 2, y, title_w, &cols, base, theme, amb);
    }
}

/// The background of a row of the list in `a`, and the marker of the selected one, as
/// the other lists draw them.
fn row_style(
    buf: &mut Buffer,
    a: Area,
    y: u16,
    selected: bool,
    theme: &Theme,
    amb: AmbiguousWidth,
) -> Style {
    let inner = Area { x: a.x + 1, width: a.width.saturating_sub(1), ..a };
    entry_background(buf, inner, y, 1, selected, theme, amb)
}

#[allow(clippy::too_many_arguments)]
fn draw_entry(
    buf: &mut Buffer,
    e: &Entry,
    x: u16,
    y: u16,
    title_w: u16,
    cols: &Columns,
    base: Style,
    theme: &Theme,
    amb: AmbiguousWidth,
) {
    let sum = &e.summary;
    let title = safe_text(&sum.title, false);
    column(buf, x, y, title_w, &title, base.add_modifier(Modifier::BOLD), false, amb);
    let mut x = x + title_w;
    let dim = base.fg(theme.dim);
    let date = e.date.as_deref().map(|d| safe_text(d, false)).unwrap_or_else(|| "-".into());
    column(buf, x, y, cols.date, &date, dim, false, amb);
    x += cols.date;
    let mut speakers = sum.speakers.iter().map(|n| safe_text(n, false)).collect::<Vec<_>>();
    if sum.speaker_count > sum.speakers.len() {
        speakers.push(format!("+{}", sum.speaker_count - sum.speakers.len()));
    }
    column(buf, x, y, cols.speakers, &speakers.join(", "), base, false, amb);
    x += cols.speakers;
    let length = crate::talk::length(sum.seconds, sum.estimated);
    column(buf, x, y, cols.length, &length, base, true, amb);
    x += cols.length;
    let progress = e.progress.map_or("-".to_string(), |p| format!("{:.0}%", p * 100.0));
    column(buf, x, y, cols.progress, &progress, dim, true, amb);
    x += cols.progress;
    if e.bookmarks > 0 {
        let marks = format!("{MARK}{}", e.bookmarks);
        column(buf, x, y, cols.marks, &marks, base.fg(theme.bookmark), true, amb);
    }
}

fn draw_results(buf: &mut Buffer, s: &LibraryScreen, r: &Results, a: Area, theme: &Theme) {
    let amb = s.ambiguous;
    let end = a.x + a.width;
    if r.hits.is_empty() {
        let why = match (&r.error, r.done) {
            (Some(e), _) => safe_text(e, false),
            (None, true) => "no match".to_string(),
            (None, false) => "searching…".to_string(),
        };
        put(buf, a.x + 2, a.y, end, &why, Style::default().fg(theme.dim), amb);
        return;
    }
    let time_w: u16 = if a.width >= 50 { 9 } else { 0 };
    let speaker_w: u16 = if a.width >= 60 { (a.width / 8).clamp(8, 16) } else { 0 };
    let section_w: u16 = if a.width >= 100 { (a.width / 7).clamp(8, 24) } else { 0 };
    for i in 0..usize::from(a.height) {
        let row = r.top + i;
        let Some(what) = r.at_row(row) else { break };
        let y = a.y + i as u16;
        match what {
            Err(g) => {
                let group = &r.groups[g];
                let title = safe_text(&group.title, false);
                let head = Style::default().fg(theme.heading).add_modifier(Modifier::BOLD);
                let x = put(buf, a.x + 1, y, end, &title, head, amb);
                let n = counted(group.count, "match", "matches");
                put(buf, x, y, end, &format!(" · {n}"), Style::default().fg(theme.dim), amb);
            }
            Ok(h) => {
                let base = row_style(buf, a, y, h == r.sel, theme, amb);
                let hit = &r.hits[h].1;
                let mut x = a.x + 3;
                let time = hit
                    .start_ms
                    .map(|ms| crate::talk::duration(ms as f64 / 1000.0))
                    .unwrap_or_default();
                column(buf, x, y, time_w, &time, base.fg(theme.dim), true, amb);
                x += time_w;
                let who = hit.speaker.as_deref().map(|n| safe_text(n, false)).unwrap_or_default();
                column(buf, x, y, speaker_w, &who, base.fg(theme.quote), false, amb);
                x += speaker_w;
                let section =
                    hit.section.as_deref().map(|n| safe_text(n, false)).unwrap_or_default();
                column(buf, x, y, section_w, &section, base.fg(theme.dim), false, amb);
                x += section_w;
                draw_line(buf, x, y, end, &hit.line, hit.line_range.clone(), base, theme, amb);
            }
        }
    }
}

/// A match's line, the match marked as the reader marks the current one.
#[allow(clippy::too_many_arguments)]
fn draw_line(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    end: u16,
    line: &str,
    range: Range<usize>,
    base: Style,
    theme: &Theme,
    amb: AmbiguousWidth,
) {
    // Cut at the match's bytes first: `safe_text` may change a character's length.
    let part = |r: Range<usize>| line.get(r).map(|t| safe_text(t, false)).unwrap_or_default();
    let (before, hit, after) =
        (part(0..range.start), part(range.clone()), part(range.end..line.len()));
    let (before, hit, after) = if hit.is_empty() {
        (safe_text(line, false), String::new(), String::new())
    } else {
        (before, hit, after)
    };
    let marked = if theme.mono {
        base.add_modifier(Modifier::REVERSED)
    } else {
        base.bg(theme.current_match).fg(theme.match_fg)
    };
    // The match stays in view: what comes before it gives way first, from its start.
    let room = usize::from(end.saturating_sub(x));
    let keep = room.saturating_sub(str_width(&hit, amb) + AFTER);
    let before = tail(&before, keep, amb);
    let x = put(buf, x, y, end, &before, base, amb);
    let x = put(buf, x, y, end, &hit, marked, amb);
    put(buf, x, y, end, &after, base, amb);
}

/// Cells kept after a match, when the line is cut to show it.
const AFTER: usize = 12;

/// The end of `text` that fits in `cells`, after `…` when cut.
fn tail(text: &str, cells: usize, amb: AmbiguousWidth) -> String {
    if str_width(text, amb) <= cells {
        return text.to_string();
    }
    let room = cells.saturating_sub(str_width("…", amb));
    let mut w = 0;
    let mut start = text.len();
    for (i, g) in text.grapheme_indices(true).rev() {
        w += grapheme_width(g, amb);
        if w > room {
            break;
        }
        start = i;
    }
    if cells == 0 {
        return String::new();
    }
    format!("…{}", &text[start..])
}

fn draw_prompt(buf: &mut Buffer, s: &LibraryScreen, y: u16, theme: &Theme) -> Option<(u16, u16)> {
    let amb = s.ambiguous;
    let screen = buf.area;
    let end = screen.x + screen.width;
    let (label, text, typing) = match &s.typing {
        Some((Prompt::Filter, edit)) => ("filter: ", edit, true),
        Some((Prompt::Search, edit)) => ("/", edit, true),
        None => {
            let label = Style::default().fg(theme.dim);
            let x = put(buf, screen.x, y, end, "filter: ", label, amb);
            let f = safe_text(&s.shelf.filter, false);
            put(buf, x, y, end, &f, Style::default(), amb);
            return None;
        }
    };
    let x = put(buf, screen.x, y, end, label, Style::default().fg(theme.heading), amb);
    let room = usize::from(end.saturating_sub(x));
    let (shown, col) = text.visible(room);
    put(buf, x, y, end, &safe_text(&shown, false), Style::default(), amb);
    let cx = x.saturating_add(col as u16);
    (typing && cx < end).then_some((cx, y))
}

fn draw_status(buf: &mut Buffer, s: &LibraryScreen, y: u16, theme: &Theme) {
    let amb = s.ambiguous;
    let screen = buf.area;
    let mut st = Style::default().fg(theme.status_fg).bg(theme.status_bg);
    if theme.mono {
        st = st.add_modifier(Modifier::REVERSED);
    }
    fill(buf, Area { x: screen.x, y, width: screen.width, height: 1 }, st);
    let k = &s.keys.library;
    let e = &s.keys.search;
    let text = match (&s.message, &s.typing, &s.results) {
        (Some(m), _, _) => safe_text(m, false),
        (None, Some((Prompt::Filter, _)), _) => hints(
            "",
            &[
                (e.hint(EditAction::Submit), "read"),
                (e.hint(EditAction::Cancel), "clear"),
                (
                    either(e.hint(EditAction::HistoryPrev), e.hint(EditAction::HistoryNext)),
                    "select",
                ),
            ],
        ),
        (None, Some((Prompt::Search, _)), _) => hints(
            "@Name query: what Name said",
            &[(e.hint(EditAction::Submit), "search"), (e.hint(EditAction::Cancel), "cancel")],
        ),
        (None, None, Some(_)) => hints(
            "",
            &[
                (k.hint(LibraryAction::Open), "open at the match"),
                (k.hint(LibraryAction::Search), "new search"),
                (k.hint(LibraryAction::Back), "back to the list"),
                (k.hint(LibraryAction::Quit), "quit"),
            ],
        ),
        (None, None, None) => hints(
            "",
            &[
                (k.hint(LibraryAction::Open), "read"),
                (k.hint(LibraryAction::Filter), "filter"),
                (k.hint(LibraryAction::Search), "search"),
                (k.hint(LibraryAction::Sort), sort_hint(s.shelf.sort)),
                (k.hint(LibraryAction::Help), "keys"),
                (k.hint(LibraryAction::Quit), "quit"),
            ],
        ),
    };
    put(buf, screen.x + 1, y, screen.x + screen.width, &text, st, amb);
}

fn sort_hint(now: SortKey) -> &'static str {
    match now.next() {
        SortKey::Date => "sort by date",
        SortKey::Title => "sort by title",
        SortKey::Length => "sort by length",
        SortKey::Recent => "sort by recently read",
    }
}

/// The library's keys in a box over the screen; any key closes it.
fn draw_help(buf: &mut Buffer, s: &LibraryScreen, theme: &Theme) {
    let amb = s.ambiguous;
    let screen = buf.area;
    let a = place(screen, help_area(screen.width, screen.height));
    if a.width < 5 || a.height < 3 {
        return;
    }
    let border = Style::default().fg(theme.heading);
    let inner = framed(buf, a, " Library keys · any key closes ", border, amb);
    let keys_w = usize::from(inner.width / 3).clamp(4, 24);
    let end = inner.x + inner.width;
    let rows = s.keys.library.bindings().iter().take(usize::from(inner.height));
    for (i, (action, chords)) in rows.enumerate() {
        let y = inner.y + i as u16;
        let keys = chords.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ");
        put(
            buf,
            inner.x,
            y,
            end,
            &truncate(&keys, keys_w, amb),
            Style::default().fg(theme.quote),
            amb,
        );
        let x = inner.x.saturating_add(keys_w as u16 + 1);
        put(buf, x, y, end, action.describe(), Style::default(), amb);
    }
}

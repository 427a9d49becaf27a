//! Stage 4, the last step: the [`App`] state drawn into a ratatui frame. Drawing only reads
//! state (`update` has already laid out what is on screen). Every character goes through
//! [`put`], which measures with [`crate::width`], clips to the pane and never writes a
//! control character, so no document byte reaches the terminal as an escape sequence.
//! Panes and overlays are placed on the frame's own area, never at the size the app last
//! heard of (a key can come before the event telling of a resize), and every cell is
//! written through a bounds check, so a frame of any size is drawn without a panic.
//! Every colour drawn is the resolved configuration's ([`Theme`]); none is written here.

use std::num::NonZeroU16;
use std::ops::Range;

use ratatui::Frame;
use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use unicode_segmentation::UnicodeSegmentation;

use crate::app::bookmarks::ENTRY_ROWS;
use crate::app::stats::format_left;
use crate::app::{
    App, Area, EntryKind, Focus, GUTTER, LineKind, Overlay, Panes, help_area, list_area, note_area,
    panes,
};
use crate::config::{ColorDepth, Palette, ResolvedTheme};
use crate::doc::{Block, BlockKind, Style as Inline};
use crate::keymap::{EditAction, HelpAction, ListAction};
use crate::width::{AmbiguousWidth, first_words, grapheme_width, str_width, truncate};

/// Colours as ratatui draws them, built only from the resolved configuration (the
/// shipped `config.toml` and the user's file): nothing here has a colour of its own. Reads
/// as its palette (`theme.quote`).
#[derive(Debug, Clone)]
pub struct Theme {
    /// One colour per speaker of the document, in its speaker order.
    pub by_speaker: Vec<Color>,
    pub palette: Palette<Color>,
    /// No colour at all (`NO_COLOR`, a dumb terminal): highlights use reverse video.
    pub mono: bool,
}

impl std::ops::Deref for Theme {
    type Target = Palette<Color>;
    fn deref(&self) -> &Palette<Color> {
        &self.palette
    }
}

/// A configured colour as ratatui's; `None` (no colour) is the terminal's own.
fn rat(c: Option<crate::config::Color>) -> Color {
    use crate::config::Color as C;
    const ANSI: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match c {
        None | Some(C::Default) => Color::Reset,
        Some(C::Ansi(n)) => ANSI[usize::from(n % 16)],
        Some(C::Indexed(n)) => Color::Indexed(n),
        Some(C::Rgb(r, g, b)) => Color::Rgb(r, g, b),
    }
}

impl Theme {
    /// The theme a configuration resolved to, with one colour per speaker of `doc`.
    pub fn from_config(rt: &ResolvedTheme, doc: &crate::doc::Document) -> Theme {
        let by_speaker = doc.speakers.iter().enumerate();
        Theme {
            by_speaker: by_speaker.map(|(i, sp)| rat(rt.speaker_color(&sp.name, i))).collect(),
            palette: rt.colors.map(|&c| rat(c)),
            mono: rt.depth == ColorDepth::None,
        }
    }

    /// The theme `app` is drawn with: its options' resolved colours.
    pub fn of(app: &App) -> Theme {
        Theme::from_config(&app.opts.theme, &app.doc)
    }

    /// A speaker's colour by index; past the document's speakers, the palette's cycle.
    pub fn speaker(&self, id: usize) -> Color {
        let cycle = &self.palette.speakers;
        match self.by_speaker.get(id) {
            Some(&c) => c,
            None if cycle.is_empty() => Color::Reset,
            None => cycle[id % cycle.len()],
        }
    }
}

/// Write `text` at (x, y), clipped at `max_x` and the buffer; returns the next column.
/// Widths come from [`crate::width`]; where it counts a character wider than ratatui
/// does (ambiguous width set to wide), the spare cell is skipped so the terminal's own
/// rendering of the wide glyph shows through.
pub fn put(
    buf: &mut Buffer,
    x: u16,
    y: u16,
    max_x: u16,
    text: &str,
    style: Style,
    amb: AmbiguousWidth,
) -> u16 {
    let area = buf.area;
    let max_x = max_x.min(area.right());
    if y < area.y || y >= area.bottom() {
        return x;
    }
    let mut x = x;
    for g in text.graphemes(true) {
        let g = if g.chars().any(char::is_control) { "\u{fffd}" } else { g };
        let w = grapheme_width(g, amb) as u16;
        if w == 0 {
            continue;
        }
        if x < area.x || u32::from(x) + u32::from(w) > u32::from(max_x) {
            break;
        }
        let native = unicode_width::UnicodeWidthStr::width(g) as u16;
        let Some(cell) = buf.cell_mut((x, y)) else { break };
        cell.set_symbol(g).set_style(style);
        if w > native
            && let Some(forced) = NonZeroU16::new(w)
        {
            // Tell the diff the glyph covers `w` cells, so it moves the cursor after it.
            cell.set_diff_option(CellDiffOption::ForcedWidth(forced));
        }
        for i in 1..w {
            if let Some(cell) = buf.cell_mut((x + i, y)) {
                cell.reset();
                cell.set_style(style);
            }
        }
        x += w;
    }
    x
}

/// Fill a rectangle with blanks of a style. A wide glyph straddling its left edge is
/// blanked too, or the terminal would draw it over the rectangle's first column.
fn fill(buf: &mut Buffer, a: Area, style: Style) {
    let area = buf.area;
    for y in a.y.max(area.y)..a.y.saturating_add(a.height).min(area.bottom()) {
        if a.x > area.x
            && a.x < area.right()
            && let Some(left) = buf.cell_mut((a.x - 1, y))
            && (unicode_width::UnicodeWidthStr::width(left.symbol()) > 1
                || !matches!(left.diff_option, CellDiffOption::None))
        {
            left.reset();
        }
        for x in a.x.max(area.x)..a.x.saturating_add(a.width).min(area.right()) {
            if let Some(cell) = buf.cell_mut((x, y)) {
                cell.reset();
                cell.set_style(style);
            }
        }
    }
}

/// The mark of a bookmarked passage, in the gutter and the outline. Not East Asian
/// Ambiguous, so it stays one cell whatever the ambiguous-width setting.
pub const MARK: &str = "✦";

/// An area of a screen laid out from (0, 0), placed on `screen`.
fn place(screen: Rect, a: Area) -> Area {
    Area { x: screen.x.saturating_add(a.x), y: screen.y.saturating_add(a.y), ..a }
}

/// The panes on `screen`. Geometry is taken from what is drawn into, never from the size
/// the app last heard of: a key can arrive before the event telling of a shrunk terminal,
/// and the old size would put the panes and overlays off the screen.
fn screen_panes(app: &App, screen: Rect) -> Panes {
    let p = panes(screen.width, screen.height, app.outline_shown(), &app.opts);
    Panes {
        outline: p.outline.map(|a| place(screen, a)),
        reader: place(screen, p.reader),
        status: place(screen, p.status),
        ..p
    }
}

/// Draw the whole screen, at the frame's size.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    let theme = Theme::of(app);
    let screen = frame.area();
    draw_buffer(frame.buffer_mut(), app, &theme);
    // The terminal cursor sits in the note being typed, where an input method puts its
    // candidate window.
    if let Some((x, y)) = note_cursor(app, screen) {
        frame.set_cursor_position((x, y));
    }
}

/// Draw into a buffer, at the buffer's size (what [`draw`] does; benches and tests call it
/// directly). Any size is drawn, one smaller than the app's state included: rows and
/// overlays that do not fit are cut.
pub fn draw_buffer(buf: &mut Buffer, app: &App, theme: &Theme) {
    if buf.area.width == 0 || buf.area.height == 0 {
        return;
    }
    let panes = screen_panes(app, buf.area);
    draw_reader(buf, app, theme, panes.reader);
    if let Some(o) = panes.outline {
        draw_outline(buf, app, theme, o, panes.overlay);
    }
    draw_status(buf, app, theme, panes.status);
    match app.overlay {
        Some(Overlay::Help { .. }) => draw_help(buf, app, theme),
        Some(Overlay::BookmarkList(_)) => draw_bookmark_list(buf, app, theme),
        Some(Overlay::NoteEditor(_)) => draw_note(buf, app, theme),
        Some(Overlay::SearchPrompt) | None => {}
    }
}

fn speaker_style(theme: &Theme, id: usize) -> Style {
    Style::default().fg(theme.speaker(id)).add_modifier(Modifier::BOLD)
}

fn timestamp(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

fn draw_reader(buf: &mut Buffer, app: &App, theme: &Theme, r: Area) {
    let amb = app.opts.ambiguous;
    let doc = &app.doc;
    let tw = app.text_width() as u16;
    let x0 = r.x.saturating_add(GUTTER);
    let max_x = x0.saturating_add(tw).min(r.x.saturating_add(r.width));
    let dim = Style::default().fg(theme.dim);
    // A bookmark's mark, in the gutter's second column.
    let (mark_x, mark_style) = (r.x.saturating_add(1), Style::default().fg(theme.bookmark));
    for (i, (vi, line)) in app.view.lines.iter().enumerate() {
        if i >= usize::from(r.height) {
            break;
        }
        let y = r.y + i as u16;
        let item = vi.checked_sub(1);
        let on_passage = |b: usize| item.is_some_and(|it| app.view.passage == Some((it, b)));
        match &line.kind {
            LineKind::Blank => {}
            LineKind::Title(range) => {
                let s = Style::default().fg(theme.title).add_modifier(Modifier::BOLD);
                put(buf, x0, y, max_x, app.title.get(range.clone()).unwrap_or(""), s, amb);
            }
            LineKind::Meta(m) => {
                if let Some(m) = doc.meta.get(*m) {
                    let x = put(buf, x0, y, max_x, &m.key, dim, amb);
                    let x = put(buf, x, y, max_x, ": ", dim, amb);
                    put(buf, x, y, max_x, &m.value, Style::default(), amb);
                }
            }
            LineKind::LegendHead => {
                put(buf, x0, y, max_x, "Speakers · 1-9 jumps to their next turn", dim, amb);
            }
            LineKind::Legend(s) => {
                let n = if *s < 9 { format!("{} ", s + 1) } else { "  ".to_string() };
                let x = put(buf, x0.saturating_add(1), y, max_x, &n, dim, amb);
                let x = put(buf, x, y, max_x, doc.speaker_name(*s), speaker_style(theme, *s), amb);
                let count = doc.speakers.get(*s).map(|s| s.turn_count()).unwrap_or(0);
                let turns =
                    if count == 1 { "1 turn".to_string() } else { format!("{count} turns") };
                put(buf, x, y, max_x, &format!("  · {turns}"), dim, amb);
            }
            LineKind::LegendMore(n) => {
                let more = format!("… and {n} more speakers");
                put(buf, x0.saturating_add(1), y, max_x, &more, dim, amb);
            }
            LineKind::Heading { section, row } => {
                let s = Style::default().fg(theme.heading).add_modifier(Modifier::BOLD);
                let title = doc.sections.get(*section).map(|s| s.title.as_str()).unwrap_or("");
                put(buf, x0, y, max_x, title.get(row.clone()).unwrap_or(""), s, amb);
            }
            LineKind::HeadingRule { width } => {
                let n = width / str_width("─", amb).max(1);
                put(buf, x0, y, max_x, &"─".repeat(n), Style::default().fg(theme.heading), amb);
            }
            LineKind::TurnHeader(t) => {
                if let Some(turn) = doc.turns.get(*t) {
                    let x = put(
                        buf,
                        x0,
                        y,
                        max_x,
                        doc.speaker_name(turn.speaker()),
                        speaker_style(theme, turn.speaker()),
                        amb,
                    );
                    if let Some(ms) = turn.start_ms() {
                        put(buf, x.saturating_add(2), y, max_x, &timestamp(ms), dim, amb);
                    }
                }
            }
            LineKind::Folded(t) => {
                if let Some(turn) = doc.turns.get(*t) {
                    let name = doc.speaker_name(turn.speaker());
                    let x = put(buf, x0, y, max_x, name, dim.add_modifier(Modifier::BOLD), amb);
                    let first = doc.turn_blocks(*t).first().map_or("", |b| b.text);
                    let x = x.saturating_add(2);
                    let room = usize::from(max_x.saturating_sub(x));
                    put(buf, x, y, max_x, &truncate(first, room, amb), dim, amb);
                }
            }
            LineKind::Text { block, row, first } => {
                let Some(it) = item else { continue };
                let Some(b) = doc.item_blocks(it).get(*block) else { continue };
                if on_passage(*block) {
                    put(buf, r.x, y, max_x, "▎", Style::default().fg(theme.cursor), amb);
                }
                // On the paragraph's first row, or the top row when that is scrolled off.
                if (*first || i == 0) && app.is_marked(it, *block) {
                    put(buf, mark_x, y, max_x, MARK, mark_style, amb);
                }
                draw_text_row(
                    buf,
                    app,
                    theme,
                    (x0, y, max_x),
                    (it, *block, &b),
                    row.clone(),
                    *first,
                );
            }
            LineKind::Image(block) => {
                let Some(it) = item else { continue };
                if on_passage(*block) {
                    put(buf, r.x, y, max_x, "▎", Style::default().fg(theme.cursor), amb);
                }
                if app.is_marked(it, *block) {
                    put(buf, mark_x, y, max_x, MARK, mark_style, amb);
                }
                let url = doc.item_blocks(it).get(*block).map_or("", |b| b.url());
                let x = put(buf, x0, y, max_x, "[图片/image] ", dim, amb);
                put(buf, x, y, max_x, url, Style::default().fg(theme.link), amb);
            }
            LineKind::Rule(block) => {
                if item.is_some_and(|it| app.is_marked(it, *block)) {
                    put(buf, mark_x, y, max_x, MARK, mark_style, amb);
                }
                let n = usize::from(max_x.saturating_sub(x0)) / str_width("─", amb).max(1);
                put(buf, x0, y, max_x, &"─".repeat(n.min(40)), dim, amb);
            }
        }
    }
}

fn inline_style(theme: &Theme, s: Inline, quote: bool) -> Style {
    let mut st = Style::default();
    if s.contains(Inline::STRONG) {
        st = st.add_modifier(Modifier::BOLD);
    }
    if s.contains(Inline::EMPHASIS) {
        st = st.add_modifier(Modifier::ITALIC);
    }
    if s.contains(Inline::CODE) {
        st = st.fg(theme.code);
    }
    if s.contains(Inline::LINK) {
        st = st.fg(theme.link).add_modifier(Modifier::UNDERLINED);
    }
    if quote {
        st = st.fg(theme.quote).add_modifier(Modifier::BOLD);
    }
    st
}

fn draw_text_row(
    buf: &mut Buffer,
    app: &App,
    theme: &Theme,
    (x0, y, max_x): (u16, u16, u16),
    (item, bi, b): (usize, usize, &Block),
    row: Range<usize>,
    first: bool,
) {
    let amb = app.opts.ambiguous;
    let dim = Style::default().fg(theme.dim);
    let mut base = Style::default();
    let mut x = x0;
    match &b.kind {
        BlockKind::ListItem { depth } => {
            let marker = b.marker();
            x = x.saturating_add(2 * u16::from(*depth));
            if first {
                x = put(buf, x, y, max_x, marker, dim, amb).saturating_add(1);
            } else {
                x = x.saturating_add(str_width(marker, amb) as u16 + 1);
            }
        }
        BlockKind::BlockQuote => {
            x = put(buf, x, y, max_x, "│ ", dim, amb);
            base = base.add_modifier(Modifier::ITALIC);
        }
        BlockKind::Code => {
            x = x.saturating_add(2);
            base = base.fg(theme.code);
        }
        BlockKind::Subheading => base = base.add_modifier(Modifier::BOLD),
        BlockKind::Aside => {
            if first {
                x = put(buf, x, y, max_x, "▸ ", dim, amb);
            } else {
                x = x.saturating_add(2);
            }
            base = dim;
        }
        _ => {}
    }
    // Cut the row where a style run or a search match starts or ends.
    let (matches, current) = match &app.search {
        Some(s) => {
            let Range { start: lo, end: hi } = s.block_matches(item, bi);
            (&s.matches[lo..hi], s.current.and_then(|c| c.checked_sub(lo)).filter(|c| lo + c < hi))
        }
        None => (&[][..], None),
    };
    // Runs and matches are sorted and do not overlap: only those touching the row are
    // looked at (a paragraph may hold a hundred thousand runs; a row, a few).
    let runs = &b.runs[b.runs.partition_point(|r| r.range.end <= row.start)..];
    let runs = &runs[..runs.partition_point(|r| r.range.start < row.end)];
    let first_match = matches.partition_point(|m| m.range.end <= row.start);
    let matches_here = &matches[first_match..];
    let matches_here = &matches_here[..matches_here.partition_point(|m| m.range.start < row.end)];
    let mut cuts = vec![row.start, row.end];
    for r in runs {
        cuts.extend([r.range.start, r.range.end]);
    }
    for m in matches_here {
        cuts.extend([m.range.start, m.range.end]);
    }
    cuts.retain(|&c| c >= row.start && c <= row.end && b.text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    for w in cuts.windows(2) {
        let (a, z) = (w[0], w[1]);
        let mut st = base;
        if let Some(r) = runs.iter().find(|r| r.range.start <= a && a < r.range.end) {
            st = st.patch(inline_style(theme, r.style, r.quote.is_some()));
        }
        if let Some(k) = matches_here
            .iter()
            .position(|m| m.range.start <= a && a < m.range.end)
            .map(|k| k + first_match)
        {
            if theme.mono {
                st = st.add_modifier(Modifier::REVERSED);
                if current == Some(k) {
                    st = st.add_modifier(Modifier::UNDERLINED);
                }
            } else {
                let bg = if current == Some(k) { theme.current_match } else { theme.search_match };
                st = st.bg(bg).fg(theme.match_fg);
            }
        }
        x = put(buf, x, y, max_x, &b.text[a..z], st, amb);
    }
}

fn draw_outline(buf: &mut Buffer, app: &App, theme: &Theme, a: Area, overlay: bool) {
    let amb = app.opts.ambiguous;
    let doc = &app.doc;
    if overlay {
        fill(buf, a, Style::default());
    }
    let border =
        Style::default().fg(if app.focus == Focus::Outline { theme.heading } else { theme.border });
    let right = a.x + a.width.saturating_sub(1);
    for y in a.y..a.y + a.height {
        put(buf, right, y, right + 1, "│", border, amb);
    }
    let max_x = right;
    let current = app.outline.rows.get(app.outline.sel).map(|&e| e as usize);
    for r in 0..a.height {
        let row = app.outline.top + usize::from(r);
        let Some(e) = app.outline.rows.get(row).map(|&e| e as usize) else { break };
        let Some(entry) = app.outline.entries.get(e) else { break };
        let y = a.y + r;
        // Before the first entry (title, preamble) nothing is current.
        let selected =
            current == Some(e) && (app.focus == Focus::Outline || app.current_entry().is_some());
        let mut bg = Style::default();
        if selected {
            bg = bg.bg(theme.outline_selection);
            if app.focus == Focus::Outline || theme.mono {
                bg = bg.add_modifier(Modifier::REVERSED);
            }
            fill(buf, Area { x: a.x, y, width: max_x - a.x, height: 1 }, bg);
            put(buf, a.x, y, max_x, "›", bg.fg(theme.cursor), amb);
        }
        if app.entry_marked(e) {
            put(buf, a.x, y, max_x, MARK, bg.fg(theme.bookmark), amb);
        }
        let mut x = a.x.saturating_add(2 + 2 * entry.depth());
        match entry.kind() {
            EntryKind::Section(s) => {
                let mark = if app.outline.collapsed.contains(&e) { "▸ " } else { "▾ " };
                x = put(buf, x, y, max_x, mark, bg.fg(theme.heading), amb);
                let title = doc.sections.get(s).map(|s| s.title.as_str()).unwrap_or("");
                let st = bg.fg(theme.heading).add_modifier(Modifier::BOLD);
                put(
                    buf,
                    x,
                    y,
                    max_x,
                    &truncate(title, usize::from(max_x.saturating_sub(x)), amb),
                    st,
                    amb,
                );
            }
            EntryKind::Turn(t) => {
                let Some(turn) = doc.turns.get(t) else { continue };
                let has_quote =
                    doc.turn_blocks(t).iter().any(|b| b.runs.iter().any(|r| r.quote.is_some()));
                if has_quote {
                    put(buf, a.x.saturating_add(1), y, max_x, "❝", bg.fg(theme.quote), amb);
                }
                let name = doc.speaker_name(turn.speaker());
                let name = truncate(name, usize::from(max_x.saturating_sub(x)), amb);
                x = put(buf, x, y, max_x, &name, bg.fg(theme.speaker(turn.speaker())), amb);
                let words = doc.turn_blocks(t).first().map_or("", |b| b.text);
                let x = x.saturating_add(1);
                let room = usize::from(max_x.saturating_sub(x));
                put(buf, x, y, max_x, &truncate(words, room, amb), bg, amb);
            }
            EntryKind::Part(item) => {
                // `00:01:00 first words…`: the time it starts, then its words.
                let ms = doc.block_start_ms(item, 0).unwrap_or(0);
                let time = crate::dump::part_time(ms);
                x = put(buf, x, y, max_x, &time, bg.fg(theme.dim), amb);
                let words = doc.item_blocks(item).first().map_or("", |b| b.text);
                let x = x.saturating_add(1);
                let room = usize::from(max_x.saturating_sub(x));
                put(buf, x, y, max_x, &truncate(words, room, amb), bg, amb);
            }
        }
    }
}

fn draw_status(buf: &mut Buffer, app: &App, theme: &Theme, a: Area) {
    if a.height == 0 || a.width == 0 {
        return;
    }
    let amb = app.opts.ambiguous;
    let doc = &app.doc;
    let mut st = Style::default().fg(theme.status_fg).bg(theme.status_bg);
    if theme.mono {
        st = st.add_modifier(Modifier::REVERSED);
    }
    fill(buf, a, st);
    let y = a.y;
    let end = a.x + a.width;
    // Right side: unsaved bookmark changes, focus, search count, position, time left.
    let mut right = Vec::new();
    let unsaved = (app.unsaved > 0).then(|| format!("unsaved ✦{}", app.unsaved));
    right.extend(unsaved.clone());
    if app.focus == Focus::Outline {
        right.push("outline".to_string());
    }
    if let Some(s) = app.focus_speaker {
        right.push(format!("focus {}", doc.speaker_name(s)));
    }
    if let Some(s) = &app.search
        && !app.search_editing()
    {
        match s.current {
            _ if s.counting() => right.push(format!("/{} …", s.query())),
            Some(c) => right.push(format!("/{} {}/{}", s.query(), c + 1, s.matches.len())),
            None => right.push(format!("/{} 0/0", s.query())),
        }
    }
    let block = app.view.passage.filter(|(it, _)| Some(*it) == app.pos.body_item()).map(|(_, b)| b);
    let total = app.stats.total();
    let offset = if app.pos.key.kind == 1 { app.pos.key.offset } else { 0 };
    let before = app.stats.before(doc, app.pos.vi, block, offset);
    let (pct, left) = if app.view.at_end || total <= 0.0 {
        (100, 0.0)
    } else {
        ((before / total * 100.0).floor().min(99.0) as u32, total - before)
    };
    if let Some(l) = &app.loading {
        // The first part's percentages would mislead: say what is happening instead.
        let size = crate::app::size_text(l.bytes);
        if l.bytes == 0 {
            // Standard input: its size is known at its end.
            let read = match l.done {
                0 => String::new(),
                done => format!(" {}", crate::app::size_text(done)),
            };
            right.push(format!("indexing: {}{read}…", l.stage));
        } else if l.done > 0 && l.done < l.bytes {
            let pct = l.done * 100 / l.bytes.max(1);
            right.push(format!("indexing {size}: {} {pct}%…", l.stage));
        } else {
            right.push(format!("indexing {size}: {}…", l.stage));
        }
    } else if !app.stats.complete(doc) {
        // Reading times are still being counted: the share of items read meanwhile.
        let share = app.pos.vi * 100 / app.view_len().max(1);
        right.push(format!("{}%", if app.view.at_end { 100 } else { share.min(99) }));
    } else {
        right.push(format!("{pct}%"));
        if a.width >= 60 {
            right.push(format_left(left));
        }
    }
    let right = format!("{} ", right.join(" │ "));
    // Left side: the prompt, a message, or where we are.
    let left = if let Some(s) = app.search_prompt() {
        let count = match s.current {
            _ if s.counting() => "  …".to_string(),
            Some(c) => format!("  {}/{}", c + 1, s.matches.len()),
            None if s.query().is_empty() => String::new(),
            None => "  0/0".to_string(),
        };
        let (before, after) = s.query().split_at(s.edit.cursor());
        format!(" /{before}▏{after}{count}")
    } else if let Some(m) = &app.message {
        format!(" {m}")
    } else if app.note().is_some() {
        format!(" {}", hints("note", &note_hints(app)))
    } else if app.list().is_some() {
        let n = app.marks.bookmarks.len();
        format!(" {n} bookmark{}", if n == 1 { "" } else { "s" })
    } else {
        let mut parts = vec![app.opts.file_name.clone()];
        if let Some(s) = doc.section_title(app.current_section()) {
            parts.push(s.to_string());
        }
        if let Some(t) = app.current_turn() {
            parts.push(doc.speaker_name(doc.turns[t].speaker()).to_string());
        } else if let Some(ms) = app.current_item().and_then(|i| doc.block_start_ms(i, 0)) {
            // A timed paragraph outside turns (captions without speakers): when it is said.
            parts.push(crate::dump::part_time(ms));
        }
        format!(" {}", parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" │ "))
    };
    let rw = str_width(&right, amb);
    let width = usize::from(a.width);
    if rw + 8 <= width {
        let left = truncate(&left, width - rw - 1, amb);
        put(buf, a.x, y, end, &left, st, amb);
        put(buf, end - rw as u16, y, end, &right, st.fg(theme.status_fg), amb);
    } else {
        // Too narrow for both sides: what could be lost still shows.
        let left = match unsaved {
            Some(u) => format!(" {u}{left}"),
            None => left,
        };
        put(buf, a.x, y, end, &truncate(&left, width, amb), st, amb);
    }
}

fn draw_help(buf: &mut Buffer, app: &App, theme: &Theme) {
    let amb = app.opts.ambiguous;
    let screen = buf.area;
    let a = place(screen, help_area(screen.width, screen.height));
    if a.width < 3 || a.height < 3 {
        return;
    }
    let border = Style::default().fg(theme.heading);
    let k = &app.opts.keys.help;
    let title = hints(
        "Keys",
        &[
            (k.hint(HelpAction::Close), "closes"),
            (either(k.hint(HelpAction::Down), k.hint(HelpAction::Up)), "scroll"),
        ],
    );
    framed(buf, a, &format!(" {title} "), border, amb);
    let right = a.x + a.width - 1;
    let bottom = a.y + a.height - 1;
    let keys_w = usize::from(a.width / 3).clamp(8, 24);
    for (i, (action, chords)) in
        app.opts.keys.reader.bindings().iter().skip(app.help_top().unwrap_or(0)).enumerate()
    {
        let y = a.y + 1 + i as u16;
        if y >= bottom {
            break;
        }
        let keys = chords.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ");
        let keys = truncate(&keys, keys_w, amb);
        put(buf, a.x + 2, y, right, &keys, Style::default().fg(theme.quote), amb);
        let x = a.x.saturating_add(3 + keys_w as u16);
        put(buf, x, y, right, action.describe(), Style::default(), amb);
    }
}

/// A frame around `a` with a title in its top edge; returns the inside.
fn framed(buf: &mut Buffer, a: Area, title: &str, border: Style, amb: AmbiguousWidth) -> Area {
    fill(buf, a, Style::default());
    let right = a.x + a.width - 1;
    let bottom = a.y + a.height - 1;
    let end = right + 1;
    let horiz = "─".repeat(usize::from(a.width - 2) / str_width("─", amb).max(1));
    put(buf, a.x, a.y, end, "┌", border, amb);
    put(buf, a.x + 1, a.y, right, &horiz, border, amb);
    put(buf, right, a.y, end, "┐", border, amb);
    put(buf, a.x, bottom, end, "└", border, amb);
    put(buf, a.x + 1, bottom, right, &horiz, border, amb);
    put(buf, right, bottom, end, "┘", border, amb);
    for y in a.y + 1..bottom {
        put(buf, a.x, y, end, "│", border, amb);
        put(buf, right, y, end, "│", border, amb);
    }
    let room = usize::from(a.width.saturating_sub(4));
    put(
        buf,
        a.x + 2,
        a.y,
        right,
        &truncate(title, room, amb),
        border.add_modifier(Modifier::BOLD),
        amb,
    );
    Area { x: a.x + 2, y: a.y + 1, width: a.width.saturating_sub(4), height: a.height - 2 }
}

/// One line of a paragraph for a list: line breaks and runs of spaces folded.
fn draw_bookmark_list(buf: &mut Buffer, app: &App, theme: &Theme) {
    let Some(list) = app.list() else { return };
    let amb = app.opts.ambiguous;
    let screen = buf.area;
    let a = place(screen, list_area(screen.width, screen.height));
    if a.width < 8 || a.height < 4 {
        return;
    }
    let border = Style::default().fg(theme.heading);
    let k = &app.opts.keys.list;
    let title = hints(
        "Bookmarks",
        &[(k.hint(ListAction::Open), "jumps"), (k.hint(ListAction::Close), "closes")],
    );
    let inner = framed(buf, a, &format!(" {title} "), border, amb);
    let end = inner.x + inner.width;
    let dim = Style::default().fg(theme.dim);
    let w = usize::from(inner.width);
    let hint_y = inner.y + inner.height - 1;
    let marks = &app.marks.bookmarks;
    if marks.is_empty() {
        put(buf, inner.x, inner.y, end, "No bookmarks yet: m bookmarks the passage.", dim, amb);
    }
    for (i, b) in marks.iter().enumerate().skip(list.top) {
        let y = inner.y + ((i - list.top) * ENTRY_ROWS) as u16;
        if y + 1 >= hint_y {
            break;
        }
        let selected = i == list.sel;
        let bg =
            if selected { Style::default().bg(theme.outline_selection) } else { Style::default() };
        if selected {
            let h = (ENTRY_ROWS as u16).min(hint_y - y);
            fill(buf, Area { x: inner.x - 1, y, width: inner.width + 1, height: h }, bg);
            put(buf, inner.x - 1, y, end, "›", bg.fg(theme.cursor), amb);
        }
        // Heading: speaker · section, the date at the right.
        let date = crate::store::format_time(b.updated);
        let date_w = str_width(&date, amb);
        let mut head: Vec<&str> = Vec::new();
        if let Some(s) = b.speaker.as_deref() {
            head.push(s);
        }
        if let Some(s) = b.section.as_deref() {
            head.push(s);
        }
        let room = w.saturating_sub(date_w + 2);
        let head = first_words(&head.join(" · "), room.saturating_sub(2), amb);
        let speaker = b
            .speaker
            .as_deref()
            .and_then(|s| app.doc.speakers.iter().position(|p| p.display() == s || p.name == s));
        let hs = match speaker {
            Some(id) => bg.fg(theme.speaker(id)).add_modifier(Modifier::BOLD),
            None => bg.fg(theme.heading).add_modifier(Modifier::BOLD),
        };
        let x = put(buf, inner.x + 1, y, end, MARK, bg.fg(theme.bookmark), amb);
        put(buf, x + 1, y, end, &head, hs, amb);
        if date_w + 4 <= w {
            put(buf, end - date_w as u16, y, end, &date, bg.fg(theme.dim), amb);
        }
        // The passage's first words.
        let words = match b.orphaned {
            true => first_words(
                &format!("(not in the current text) {}", b.passage),
                w.saturating_sub(3),
                amb,
            ),
            false => first_words(&b.passage, w.saturating_sub(3), amb),
        };
        put(buf, inner.x + 3, y + 1, end, &words, bg, amb);
        // The note.
        if y + 2 < hint_y && !b.note.is_empty() {
            let note = first_words(&format!("✎ {}", b.note), w.saturating_sub(3), amb);
            put(buf, inner.x + 3, y + 2, end, &note, bg.fg(theme.quote), amb);
        }
    }
    let undo = if app.marks.can_undo() { k.hint(ListAction::Undo) } else { None };
    let hint = hints(
        "",
        &[
            (either(k.hint(ListAction::Down), k.hint(ListAction::Up)), "move"),
            (k.hint(ListAction::Delete), "delete"),
            (k.hint(ListAction::Edit), "note"),
            (undo, "undo"),
        ],
    );
    put(buf, inner.x, hint_y, end, &truncate(&hint, w, amb), dim, amb);
}

/// A hint line: `head`, then `key what` for each action that has a key, joined by ` · `
/// (an action left unbound is left out).
fn hints(head: &str, parts: &[(Option<String>, &str)]) -> String {
    let bound = parts.iter().filter_map(|(k, what)| k.as_ref().map(|k| format!("{k} {what}")));
    let all: Vec<String> =
        Some(head.to_string()).filter(|h| !h.is_empty()).into_iter().chain(bound).collect();
    all.join(" · ")
}

/// Two keys as one hint (`j/k`), or whichever is bound.
fn either(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a}/{b}")),
        (a, b) => a.or(b),
    }
}

/// What saves and what cancels a note.
fn note_hints(app: &App) -> [(Option<String>, &'static str); 2] {
    let k = &app.opts.keys.note;
    [(k.hint(EditAction::Submit), "saves"), (k.hint(EditAction::Cancel), "cancels")]
}

/// The note editor's box on `screen`.
fn note_box(screen: Rect) -> Area {
    place(screen, note_area(screen.width, screen.height))
}

/// Where the note editor's text goes inside its box `a`: (x, y, width).
fn note_field(a: Area) -> Option<(u16, u16, usize)> {
    (a.width >= 8 && a.height >= 4).then(|| {
        let y = if a.height >= 5 { a.y + 2 } else { a.y + 1 };
        (a.x + 2, y, usize::from(a.width - 4))
    })
}

/// The terminal cursor's cell in the note being typed on `screen`.
fn note_cursor(app: &App, screen: Rect) -> Option<(u16, u16)> {
    let n = app.note()?;
    let (x, y, w) = note_field(note_box(screen))?;
    let (_, col) = n.edit.visible(w);
    Some((x + col as u16, y))
}

fn draw_note(buf: &mut Buffer, app: &App, theme: &Theme) {
    let Some(n) = app.note() else { return };
    let amb = app.opts.ambiguous;
    let a = note_box(buf.area);
    let Some((fx, fy, fw)) = note_field(a) else { return };
    let border = Style::default().fg(theme.heading);
    let title = if n.context.is_empty() {
        " Note ".to_string()
    } else {
        format!(" Note · {} ", first_words(&n.context, usize::from(a.width), amb))
    };
    let inner = framed(buf, a, &title, border, amb);
    let end = inner.x + inner.width;
    let dim = Style::default().fg(theme.dim);
    if fy > inner.y {
        put(buf, inner.x, inner.y, end, &first_words(&n.passage, fw, amb), dim, amb);
    }
    let (text, col) = n.edit.visible(fw);
    let field = Style::default().bg(theme.outline_selection);
    fill(buf, Area { x: fx, y: fy, width: fw as u16, height: 1 }, field);
    put(buf, fx, fy, fx + fw as u16, &text, field, amb);
    // The caret: the cell under the cursor shown reversed.
    let cx = fx + col as u16;
    if cx < fx + fw as u16
        && let Some(cell) = buf.cell_mut((cx, fy))
    {
        cell.set_style(field.add_modifier(Modifier::REVERSED));
    }
    if fy + 1 < inner.y + inner.height {
        put(buf, inner.x, fy + 1, end, &hints("", &note_hints(app)), dim, amb);
    }
}

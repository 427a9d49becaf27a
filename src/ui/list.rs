//! The bookmark list overlay: entries with their passage and note, hints from the list's
//! key table. Drawn over the panes.

#[allow(clippy::wildcard_imports)]
use super::*;

/// One line of a paragraph for a list: line breaks and runs of spaces folded.
pub(super) fn draw_bookmark_list(buf: &mut Buffer, app: &App, theme: &Theme) {
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
        let rows = (ENTRY_ROWS as u16).min(hint_y - y);
        let bg = entry_background(buf, inner, y, rows, i == list.sel, theme, amb);
        // Heading: speaker · section, the date at the right.
        let date = crate::store::format_time(b.updated, &app.opts.tz);
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

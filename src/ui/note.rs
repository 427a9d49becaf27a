//! The note editor overlay, and where the terminal cursor sits in it (for an input
//! method's candidate window). Drawn over the panes.

#[allow(clippy::wildcard_imports)]
use super::*;

/// What saves and what cancels a note.
pub(super) fn note_hints(app: &App) -> [(Option<String>, &'static str); 2] {
    let k = &app.opts.keys.note;
    [(k.hint(EditAction::Submit), "saves"), (k.hint(EditAction::Cancel), "cancels")]
}
/// The note editor's box on `screen`.
pub(super) fn note_box(screen: Rect) -> Area {
    place(screen, note_area(screen.width, screen.height))
}
/// Where the note editor's text goes inside its box `a`: (x, y, width).
pub(super) fn note_field(a: Area) -> Option<(u16, u16, usize)> {
    (a.width >= 8 && a.height >= 4).then(|| {
        let y = if a.height >= 5 { a.y + 2 } else { a.y + 1 };
        (a.x + 2, y, usize::from(a.width - 4))
    })
}
/// The terminal cursor's cell in the note being typed on `screen`.
pub(super) fn note_cursor(app: &App, screen: Rect) -> Option<(u16, u16)> {
    let n = app.note()?;
    let (x, y, w) = note_field(note_box(screen))?;
    let (_, col) = n.edit.visible(w);
    Some((x + col as u16, y))
}
pub(super) fn draw_note(buf: &mut Buffer, app: &App, theme: &Theme) {
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

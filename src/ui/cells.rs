//! The cell primitives every pane draws with: [`put`] (measured with `crate::width`,
//! clipped to its area, never a control character), `glyph` (one of the program's own
//! one-cell glyphs), `fill`, `framed` boxes and key hints.
//! Public surface: [`put`], [`MARK`].

#[allow(clippy::wildcard_imports)]
use super::*;

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
/// Write one of the program's own one-cell glyphs (never document text; none East Asian
/// Ambiguous, so one cell at either ambiguous width) at (x, y), if it is on the buffer:
/// [`put`] without the measuring, for the timeline strip's every row on every frame.
pub(super) fn glyph(buf: &mut Buffer, x: u16, y: u16, g: &'static str, style: Style) {
    debug_assert!(grapheme_width(g, AmbiguousWidth::Wide) == 1 && !g.contains(char::is_control));
    if let Some(cell) = buf.cell_mut((x, y)) {
        cell.set_symbol(g).set_style(style);
    }
}
/// Fill a rectangle with blanks of a style. A wide glyph straddling its left edge is
/// blanked too, or the terminal would draw it over the rectangle's first column.
pub(super) fn fill(buf: &mut Buffer, a: Area, style: Style) {
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
/// A frame around `a` with a title in its top edge; returns the inside.
pub(super) fn framed(
    buf: &mut Buffer,
    a: Area,
    title: &str,
    border: Style,
    amb: AmbiguousWidth,
) -> Area {
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
/// A hint line: `head`, then `key what` for each action that has a key, joined by ` · `
/// (an action left unbound is left out).
pub(super) fn hints(head: &str, parts: &[(Option<String>, &str)]) -> String {
    let bound = parts.iter().filter_map(|(k, what)| k.as_ref().map(|k| format!("{k} {what}")));
    let all: Vec<String> =
        Some(head.to_string()).filter(|h| !h.is_empty()).into_iter().chain(bound).collect();
    all.join(" · ")
}
/// The background of a list entry taking `rows` rows from row `y` of a list drawn in
/// `inner`: the selection's colour, with the `›` arrow left of it, when it is `selected`.
pub(super) fn entry_background(
    buf: &mut Buffer,
    inner: Area,
    y: u16,
    rows: u16,
    selected: bool,
    theme: &Theme,
    amb: AmbiguousWidth,
) -> Style {
    if !selected {
        return Style::default();
    }
    let bg = Style::default().bg(theme.outline_selection);
    fill(buf, Area { x: inner.x - 1, y, width: inner.width + 1, height: rows }, bg);
    put(buf, inner.x - 1, y, inner.x + inner.width, "›", bg.fg(theme.cursor), amb);
    bg
}
/// Two keys as one hint (`j/k`), or whichever is bound.
pub(super) fn either(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) => Some(format!("{a}/{b}")),
        (a, b) => a.or(b),
    }
}

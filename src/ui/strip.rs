//! The timeline strip: the cells `App::prepare` cut and marked, drawn at the reading pane's
//! right edge, one row a cell. Its first column shows the reading position (`▶`) and the
//! rows on screen (`┃`); its second the speaker who talks most in the row's slice (a block
//! in their colour; their number without colour), a quote (`"`) or a bookmark (`•`) on
//! the speaker's colour. With speaker focus the focused speaker's rows stay bright and the
//! others dim. Drawing only reads: nothing is counted here. Public surface: [`StripPane`].

#[allow(clippy::wildcard_imports)]
use super::*;

/// Marks of the strip's first column: the reading position, the rest of what is on screen.
pub const HERE: &str = "▶";
pub const WINDOW: &str = "┃";

/// The timeline strip as a ratatui widget.
pub struct StripPane<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for StripPane<'_> {
    fn render(self, a: Rect, buf: &mut Buffer) {
        draw_strip(buf, self.app, self.theme, area(a));
    }
}

fn draw_strip(buf: &mut Buffer, app: &App, theme: &Theme, a: Area) {
    let amb = app.opts.ambiguous;
    let strip = &app.strip;
    let end = a.x.saturating_add(a.width);
    let cursor = Style::default().fg(theme.cursor);
    let dim = Style::default().fg(theme.dim);
    for (k, cell) in strip.cells.iter().enumerate().take(usize::from(a.height)) {
        let y = a.y + k as u16;
        let mark = match k {
            _ if k == strip.here => HERE,
            _ if strip.window.contains(&k) => WINDOW,
            _ => " ",
        };
        let x = put(buf, a.x, y, end, mark, cursor, amb);
        let lit = |s: usize| app.focus_speaker.is_none_or(|f| f == s);
        let glyph = match (cell.bookmark, cell.quote) {
            (true, _) => Some("•"),
            (false, true) => Some("\""),
            _ => None,
        };
        let (text, style) = match cell.speaker {
            Some(s) if !lit(s) => (glyph.unwrap_or("░"), dim),
            Some(s) if theme.mono => {
                // No colour: the speaker's number (as the 1-9 keys count), reversed in focus.
                let n = if s < 9 { char::from(b'1' + s as u8).to_string() } else { "·".into() };
                let st = match app.focus_speaker {
                    Some(_) => Style::default().add_modifier(Modifier::REVERSED),
                    None => Style::default(),
                };
                let text = glyph.map_or(n, str::to_string);
                put(buf, x, y, end, &text, st, amb);
                continue;
            }
            Some(s) => match glyph {
                Some(g) => (g, Style::default().fg(theme.status_fg).bg(theme.speaker(s))),
                None => ("█", Style::default().fg(theme.speaker(s))),
            },
            None => (glyph.unwrap_or("│"), dim),
        };
        let style = match app.focus_speaker {
            Some(f) if cell.speaker == Some(f) => style.add_modifier(Modifier::BOLD),
            _ => style,
        };
        put(buf, x, y, end, text, style, amb);
    }
}

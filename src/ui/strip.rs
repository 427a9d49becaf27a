//! The timeline strip: the cells `App::prepare` cut and marked, drawn at the reading pane's
//! right edge, one row a cell. Its first column shows the reading position ([`HERE`]) and
//! the rest of the rows on screen ([`WINDOW`]); its second the speaker who talks most in
//! the row's slice ([`SPEAKER`] in their colour; their number without colour), a quote
//! (`❝`, as the outline marks one) or a bookmark ([`MARK`], as the gutter does) on the
//! speaker's colour. With speaker focus the rows where the focused speaker talks are
//! theirs and bright (though another holds most of them), the others dim ([`DIMMED`]). Every glyph is one cell whatever the ambiguous-width setting
//! (none is East Asian Ambiguous). Drawing only reads: nothing is counted here.
//! Public surface: [`StripPane`] and the glyphs.

#[allow(clippy::wildcard_imports)]
use super::*;

pub const HERE: &str = "▸";
pub const WINDOW: &str = "╏";
pub const SPEAKER: &str = "▐";
pub const DIMMED: &str = "░";
/// A slice nobody holds (text outside turns).
pub const NOBODY: &str = "╎";
pub const QUOTE: &str = "❝";

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
    let strip = &app.strip;
    if a.width < 2 {
        return;
    }
    let cursor = Style::default().fg(theme.cursor);
    let dim = Style::default().fg(theme.dim);
    for (k, cell) in strip.cells.iter().enumerate().take(usize::from(a.height)) {
        let y = a.y + k as u16;
        let mark = match k {
            _ if k == strip.here => HERE,
            _ if strip.window.contains(&k) => WINDOW,
            _ => " ",
        };
        glyph(buf, a.x, y, mark, cursor);
        let marked = match (cell.bookmark, cell.quote) {
            (true, _) => Some(MARK),
            (false, true) => Some(QUOTE),
            _ => None,
        };
        // With speaker focus, a row where the focused speaker talks is theirs, bright; the
        // others' rows are dim.
        let shade = match (app.focus_speaker, cell.speaker) {
            (Some(f), _) if cell.has(f) => Some(f),
            (Some(_), Some(_)) => None,
            (_, Some(s)) => Some(s),
            (_, None) => {
                glyph(buf, a.x + 1, y, marked.unwrap_or(NOBODY), dim);
                continue;
            }
        };
        let (text, style) = match shade {
            None => (marked.unwrap_or(DIMMED), dim),
            Some(s) if theme.mono => {
                // No colour: the speaker's number (as the 1-9 keys count), reversed in focus.
                const DIGITS: [&str; 9] = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
                let st = match app.focus_speaker {
                    Some(_) => Style::default().add_modifier(Modifier::REVERSED),
                    None => Style::default(),
                };
                (marked.unwrap_or(DIGITS.get(s).copied().unwrap_or(SPEAKER)), st)
            }
            Some(s) => match marked {
                Some(g) => (g, Style::default().fg(theme.status_fg).bg(theme.speaker(s))),
                None => (SPEAKER, Style::default().fg(theme.speaker(s))),
            },
        };
        let style = match (app.focus_speaker, shade) {
            (Some(_), Some(_)) => style.add_modifier(Modifier::BOLD),
            _ => style,
        };
        glyph(buf, a.x + 1, y, text, style);
    }
}

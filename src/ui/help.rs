//! The help overlay: which recording listening plays, then every binding of the reading
//! screen, scrolled. Drawn over the panes.

#[allow(clippy::wildcard_imports)]
use super::*;

pub(super) fn draw_help(buf: &mut Buffer, app: &App, theme: &Theme) {
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
    let top = app.help_top().unwrap_or(0);
    // First the recording listening plays (or why there is none), then the bindings.
    let head = [Some(app.listening_line()), Some(String::new())];
    for (i, line) in head.iter().flatten().skip(top).enumerate() {
        let y = a.y + 1 + i as u16;
        if y < bottom {
            put(buf, a.x + 2, y, right, line, Style::default().fg(theme.dim), amb);
        }
    }
    let shift = head.len().saturating_sub(top);
    for (i, (action, chords)) in
        app.opts.keys.reader.bindings().iter().skip(top.saturating_sub(head.len())).enumerate()
    {
        let y = a.y + 1 + (i + shift) as u16;
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

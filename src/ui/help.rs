//! The help overlay: which recording listening plays, then every binding of the reading
//! screen, what the mouse does and the timeline strip's key, scrolled. Drawn over the panes.

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
    // First the recording listening plays (or why there is none), then the bindings, then
    // what the mouse does. `None` keys: a line of its own, dim.
    let head = [(None, app.listening_line()), (None, String::new())];
    let bindings = app.opts.keys.reader.bindings().iter().map(|(action, chords)| {
        let keys = chords.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ");
        (Some(keys), action.describe().to_string())
    });
    let mouse = match app.opts.mouse {
        true => ["the wheel scrolls, a click jumps", "Shift-drag selects text"],
        false => ["left to the terminal", "([reading] mouse = false)"],
    };
    let note = [
        (Some(String::new()), String::new()),
        (Some("mouse".to_string()), mouse[0].to_string()),
        (Some(String::new()), mouse[1].to_string()),
        (Some("timeline".to_string()), "▐ who talks most · ❝ quote · ✦ bookmark".to_string()),
        (Some(String::new()), "▸ you are here · ╏ on screen".to_string()),
    ];
    let rows = head.into_iter().chain(bindings).chain(note);
    for (i, (keys, what)) in rows.skip(app.help_top().unwrap_or(0)).enumerate() {
        let y = a.y + 1 + i as u16;
        if y >= bottom {
            break;
        }
        let Some(keys) = keys else {
            put(buf, a.x + 2, y, right, &what, Style::default().fg(theme.dim), amb);
            continue;
        };
        let keys = truncate(&keys, keys_w, amb);
        put(buf, a.x + 2, y, right, &keys, Style::default().fg(theme.quote), amb);
        let x = a.x.saturating_add(3 + keys_w as u16);
        put(buf, x, y, right, &what, Style::default(), amb);
    }
}

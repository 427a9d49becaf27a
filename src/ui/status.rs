//! The status line: file (and its encoding when not UTF-8), position, speaker, search
//! state and the go-to prompt, loading, listening (the player's clock, speed and offset) and messages. Public
//! surface: [`StatusLine`].

#[allow(clippy::wildcard_imports)]
use super::*;

/// The status line as a ratatui widget.
pub struct StatusLine<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for StatusLine<'_> {
    fn render(self, a: Rect, buf: &mut Buffer) {
        draw_status(buf, self.app, self.theme, area(a));
    }
}

/// While listening: `▶ 00:12:34 / 01:58:10 ×1.25`, the offset when it is not zero, and
/// how to follow the spoken passage again once the reader scrolled away.
fn listening(app: &App) -> Option<String> {
    use crate::app::listen::{offset_text, speed_text};
    use crate::timeline::clock;
    let l = &app.listen;
    let sign = match l.state {
        PlayState::Stopped => return None,
        PlayState::Playing => "▶",
        PlayState::Paused => "⏸",
    };
    let mut s = format!("{sign} {}", clock(l.at_ms));
    if let Some(d) = l.duration_ms {
        s.push_str(&format!(" / {}", clock(d)));
    }
    s.push_str(&format!(" {}", speed_text(l.speed)));
    if l.offset_ms != 0 {
        s.push_str(&format!(" {}", offset_text(l.offset_ms)));
    }
    if !l.following
        && let Some(k) = app.opts.keys.reader.hint(crate::keymap::Action::Follow)
    {
        s.push_str(&format!(" · {k} follows"));
    }
    Some(s)
}

pub(super) fn draw_status(buf: &mut Buffer, app: &App, theme: &Theme, a: Area) {
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
    right.extend(listening(app));
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
    let progress = app.progress();
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
    } else {
        // While reading times are still being counted, the share of items read meanwhile.
        right.push(format!("{}%", progress.percent));
        if let Some(left) = progress.left.filter(|_| a.width >= 60) {
            right.push(format_left(left));
        }
    }
    let right = format!("{} ", right.join(" │ "));
    // Left side: the prompt, a message, or where we are.
    let left = if let Some(s) = app.search_prompt() {
        let count = match s.current {
            _ if s.error.is_some() => format!("  {}", s.error.as_deref().unwrap_or_default()),
            _ if s.counting() => "  …".to_string(),
            Some(c) => format!("  {}/{}", c + 1, s.matches.len()),
            None if s.query().is_empty() => String::new(),
            None => "  0/0".to_string(),
        };
        let (before, after) = s.query().split_at(s.edit.cursor());
        format!(" /{before}▏{after}{count}")
    } else if let Some(e) = app.go_to_prompt() {
        let (before, after) = e.text().split_at(e.cursor());
        format!(" go to {before}▏{after}% of the way (Enter goes, Esc stays)")
    } else if let Some(m) = &app.message {
        format!(" {m}")
    } else if app.note().is_some() {
        format!(" {}", hints("note", &note_hints(app)))
    } else if app.list().is_some() {
        let n = app.marks.bookmarks.len();
        format!(" {n} bookmark{}", if n == 1 { "" } else { "s" })
    } else {
        let mut parts = vec![app.opts.file_name.clone()];
        // Text that was not UTF-8: which encoding it was read in (`--encoding` if it is
        // not the right one).
        parts.extend(doc.encoding.map(str::to_string));
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

//! The talk-share panel overlay: a row a speaker, largest share first, with a bar (eighths
//! of a cell, in the speaker's colour, the largest share filling the column), the share,
//! turns, longest and average turn, and pace where the transcript has times; `~` marks an
//! estimated length. The footer states the rule the shares follow. Drawn over the panes.

#[allow(clippy::wildcard_imports)]
use super::*;

use crate::talk::length;

/// Partial cells of a bar, by eighths.
const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/// A bar `cells` long (fractional), drawn in full blocks and one partial one.
fn bar(cells: f64) -> String {
    let eighths = (cells.max(0.0) * 8.0).round() as usize;
    let mut s = "█".repeat(eighths / 8);
    s.push_str(EIGHTHS[eighths % 8]);
    s
}

/// Cells of the columns right of the bar: share, turns, longest, average, pace.
const STATS_W: usize = 7 + 7 + 9 + 8 + 10;

pub(super) fn draw_talk(buf: &mut Buffer, app: &App, theme: &Theme) {
    let Some(p) = app.talk_panel() else { return };
    let amb = app.opts.ambiguous;
    let screen = buf.area;
    let a = place(screen, talk_area(screen.width, screen.height, p.order.len()));
    if a.width < 12 || a.height < 4 {
        return;
    }
    let k = &app.opts.keys.talk;
    let title = hints(
        "Talk share",
        &[
            (k.hint(TalkAction::Close), "closes"),
            (either(k.hint(TalkAction::Down), k.hint(TalkAction::Up)), "scroll"),
        ],
    );
    let border = Style::default().fg(theme.heading);
    let inner = framed(buf, a, &format!(" {title} "), border, amb);
    let end = inner.x + inner.width;
    let dim = Style::default().fg(theme.dim);
    let w = usize::from(inner.width);
    let talk = &p.talk;
    let doc = &app.doc;
    // Columns: name, bar, then the numbers (left out where the box is too narrow).
    let widest =
        p.order.iter().map(|&i| str_width(doc.speaker_name(talk.speakers[i].speaker), amb));
    let name_w = widest.max().unwrap_or(0).clamp(4, (w / 4).max(4));
    let stats = w >= name_w + 1 + 8 + STATS_W;
    let stats_w = if stats { STATS_W } else { 7 };
    let bar_w = w.saturating_sub(name_w + 1 + stats_w + 1).max(1);
    let bar_x = inner.x + name_w as u16 + 1;
    let num_x = bar_x + bar_w as u16 + 1;
    let heads = if stats {
        format!("{:>6} {:>6} {:>8} {:>7} {:>9}", "share", "turns", "longest", "avg", "pace")
    } else {
        format!("{:>6}", "share")
    };
    put(buf, inner.x, inner.y, end, "speaker", dim, amb);
    put(buf, num_x, inner.y, end, &heads, dim, amb);
    let footer_rows = crate::app::talk::FOOTER_ROWS as u16;
    let list_end = (inner.y + inner.height).saturating_sub(footer_rows + 1);
    let max = talk.speakers.iter().map(|s| s.share).fold(0.0, f64::max).max(f64::EPSILON);
    for (row, &i) in p.order.iter().skip(p.top).enumerate() {
        let y = inner.y + 1 + row as u16;
        if y >= list_end {
            break;
        }
        let s = &talk.speakers[i];
        let name = truncate(doc.speaker_name(s.speaker), name_w, amb);
        put(buf, inner.x, y, end, &name, speaker_style(theme, s.speaker), amb);
        let colour = Style::default().fg(theme.speaker(s.speaker));
        // A block is two cells where ambiguous characters are wide.
        let cells = (s.share / max * bar_w as f64) / str_width("█", amb).max(1) as f64;
        put(buf, bar_x, y, num_x, &bar(cells), colour, amb);
        let mut nums = format!("{:>5.1}%", s.share);
        if stats {
            let est = s.estimated_turns > 0;
            let pace =
                s.pace().map_or("–".to_string(), |p| format!("{:.0} {}", p.per_minute, p.unit()));
            nums.push_str(&format!(
                " {:>6} {:>8} {:>7} {:>9}",
                s.turns,
                length(s.longest, s.longest_estimated),
                length(s.average(), est),
                pace
            ));
        }
        put(buf, num_x, y, end, &nums, Style::default(), amb);
    }
    // The rule, wrapped under the list.
    let mut rule = talk.rule();
    if talk.speakers.iter().any(|s| s.pace().is_some_and(|p| p.cjk)) {
        rule.push_str("; cpm: CJK characters a minute");
    }
    let wrapped = crate::layout::wrap_text(&rule, w.max(1), amb);
    let footer_y = (inner.y + inner.height).saturating_sub(footer_rows);
    for (n, line) in wrapped.lines().take(usize::from(footer_rows)).enumerate() {
        put(buf, inner.x, footer_y + n as u16, end, line, dim, amb);
    }
}

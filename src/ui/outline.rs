//! The outline pane: sections, turns coloured by speaker (or time-based parts), the
//! current entry and bookmarks. Public surface: [`OutlinePane`].

#[allow(clippy::wildcard_imports)]
use super::*;

/// The outline pane as a ratatui widget; `overlay`: drawn over the reading pane (a narrow screen).
pub struct OutlinePane<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
    pub overlay: bool,
}

impl Widget for OutlinePane<'_> {
    fn render(self, a: Rect, buf: &mut Buffer) {
        draw_outline(buf, self.app, self.theme, area(a), self.overlay);
    }
}

pub(super) fn draw_outline(buf: &mut Buffer, app: &App, theme: &Theme, a: Area, overlay: bool) {
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

//! The quote index overlay: the filter line, each quote with its speaker, section and
//! time, hints from the index's key table, and where the terminal cursor sits while the
//! filter is typed (for an input method's candidate window). Drawn over the panes.

#[allow(clippy::wildcard_imports)]
use super::*;

/// The quote index's box on `screen`.
fn quotes_box(screen: Rect) -> Area {
    place(screen, quotes_area(screen.width, screen.height))
}

/// The terminal cursor's cell in the filter being typed on `screen`.
pub(super) fn quotes_cursor(app: &App, screen: Rect) -> Option<(u16, u16)> {
    let l = app.quote_index().filter(|l| l.typing)?;
    let a = quotes_box(screen);
    let (x, w) = filter_field(a)?;
    let (_, col) = l.filter.visible(w);
    Some((x + col as u16, a.y + 1))
}

/// Where the filter text goes in box `a`: its column and width, after the `/` prompt.
fn filter_field(a: Area) -> Option<(u16, usize)> {
    (a.width >= 10 && a.height >= 5).then(|| (a.x + 4, usize::from(a.width - 6)))
}

pub(super) fn draw_quotes(buf: &mut Buffer, app: &App, theme: &Theme) {
    let Some(l) = app.quote_index() else { return };
    let amb = app.opts.ambiguous;
    let a = quotes_box(buf.area);
    let Some((fx, fw)) = filter_field(a) else { return };
    let doc = &app.doc;
    let k = &app.opts.keys.quotes;
    let count = match l.filter.text().is_empty() {
        true => format!("{} quotes", doc.quotes.len()),
        false => format!("{}/{} quotes", l.shown.len(), doc.quotes.len()),
    };
    let title = hints(
        &format!("Quotes · {count}"),
        &[(k.hint(QuoteAction::Open), "jumps"), (k.hint(QuoteAction::Close), "closes")],
    );
    let border = Style::default().fg(theme.heading);
    let inner = framed(buf, a, &format!(" {title} "), border, amb);
    let end = inner.x + inner.width;
    let dim = Style::default().fg(theme.dim);
    let w = usize::from(inner.width);
    // The filter line: the prompt, then what is typed (a field while typing).
    if l.typing || !l.filter.text().is_empty() {
        put(buf, inner.x, inner.y, end, "/", Style::default().fg(theme.quote), amb);
    }
    if l.typing {
        let field = Style::default().bg(theme.outline_selection);
        let (text, col) = l.filter.visible(fw);
        fill(buf, Area { x: fx, y: inner.y, width: fw as u16, height: 1 }, field);
        put(buf, fx, inner.y, fx + fw as u16, &text, field, amb);
        let cx = fx + col as u16;
        if cx < fx + fw as u16
            && let Some(cell) = buf.cell_mut((cx, inner.y))
        {
            cell.set_style(field.add_modifier(Modifier::REVERSED));
        }
    } else if l.filter.text().is_empty() {
        let how = k.hint(QuoteAction::Filter).map(|f| format!("{f} filters as you type (fuzzy)"));
        put(buf, inner.x, inner.y, end, how.as_deref().unwrap_or(""), dim, amb);
    } else {
        put(buf, fx, inner.y, end, &truncate(l.filter.text(), fw, amb), Style::default(), amb);
    }
    let hint_y = inner.y + inner.height - 1;
    let first_y = inner.y + 1;
    if doc.quotes.is_empty() {
        let none = "No quotes: a transcript marks them in bold inside a turn.";
        put(buf, inner.x, first_y, end, none, dim, amb);
    } else if l.shown.is_empty() {
        put(buf, inner.x, first_y, end, "No quote matches.", dim, amb);
    }
    for (i, &q) in l.shown.iter().enumerate().skip(l.top) {
        let y = first_y + ((i - l.top) * QUOTE_ROWS) as u16;
        if y + 1 >= hint_y {
            break;
        }
        let Some(quote) = doc.quotes.get(q as usize) else { continue };
        let turn = &doc.turns[quote.turn];
        let rows = (QUOTE_ROWS as u16).min(hint_y - y);
        let bg = entry_background(buf, inner, y, rows, i == l.sel, theme, amb);
        let words = doc.quote_text(quote);
        // Quote marks, unless the quote brings its own.
        let marked = match words.starts_with(['“', '"', '「', '『', '‘']) {
            true => words.to_string(),
            false => format!("“{words}”"),
        };
        let text = first_words(&marked, w.saturating_sub(2), amb);
        put(buf, inner.x + 1, y, end, &text, bg.fg(theme.quote).add_modifier(Modifier::BOLD), amb);
        // Who, where, when.
        let id = turn.speaker();
        let x = put(buf, inner.x + 3, y + 1, end, "— ", bg.fg(theme.dim), amb);
        let x = put(buf, x, y + 1, end, doc.speaker_name(id), bg.fg(theme.speaker(id)), amb);
        let mut rest: Vec<String> = Vec::new();
        rest.extend(doc.section_title(turn.section()).map(str::to_string));
        let when = doc.turn_block_start(quote.turn, quote.block).or(turn.start_ms());
        rest.extend(when.map(crate::timeline::clock));
        if !rest.is_empty() {
            let room = usize::from(end.saturating_sub(x + 1));
            let more = first_words(&format!("· {}", rest.join(" · ")), room, amb);
            put(buf, x + 1, y + 1, end, &more, bg.fg(theme.dim), amb);
        }
    }
    let keys = match l.typing {
        true => {
            let s = &app.opts.keys.search;
            hints(
                "typing",
                &[
                    (
                        either(s.hint(EditAction::HistoryNext), s.hint(EditAction::HistoryPrev)),
                        "select",
                    ),
                    (s.hint(EditAction::Submit), "jumps"),
                    (s.hint(EditAction::Cancel), "stops typing"),
                ],
            )
        }
        false => hints(
            "",
            &[
                (either(k.hint(QuoteAction::Down), k.hint(QuoteAction::Up)), "move"),
                (k.hint(QuoteAction::Copy), "copies a citation"),
                (k.hint(QuoteAction::Filter), "filters"),
            ],
        ),
    };
    put(buf, inner.x, hint_y, end, &truncate(&keys, w, amb), dim, amb);
}

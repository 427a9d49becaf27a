//! The reading pane: the laid-out rows of the document around the reading position, each
//! row's text styled at draw time from its byte ranges (speakers, quotes, matches,
//! selection), with the gutter's marks (the passage, bookmarks, and while listening the
//! passage being spoken, with its background). Metadata, image lines and tables come laid
//! out (wrapped, never cut at the edge); struck text is drawn crossed out, a footnote's
//! mark and a link's target dim. Where links are drawn, the cells they cover are listed
//! ([`Link`], borrowing its target from the document) for the terminal edge to make
//! clickable (OSC 8): only targets [`crate::parse::inline::link_scheme_ok`] allows, none
//! while an overlay covers the pane, and (cut by the screen's drawing) no cell under the
//! outline floating over it. With the timeline strip
//! shown, the header's speaker legend gives each speaker's colour as a swatch. Public surface:
//! [`ReaderPane`], [`Link`], [`draw_reader_linked`].

#[allow(clippy::wildcard_imports)]
use super::*;

/// The gutter's mark of the passage being spoken, while listening.
pub const SPOKEN: &str = "▶";

/// The reading pane as a ratatui widget.
pub struct ReaderPane<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for ReaderPane<'_> {
    fn render(self, a: Rect, buf: &mut Buffer) {
        draw_reader(buf, self.app, self.theme, area(a), &mut Vec::new());
    }
}

/// Cells `x..x + width` of row `y` show a link to `url` (a target [`Link::safe`] let
/// through), the document's own text: a row's link is not a copy of its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link<'a> {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub url: &'a str,
}

impl<'a> Link<'a> {
    /// Whether a target may be offered to the terminal as a hyperlink: `http`, `https`
    /// or `mailto`, at most [`MAX_URL`](crate::parse::inline::MAX_URL) bytes (any other
    /// scheme, a relative path, a longer target is only shown).
    pub fn safe(url: &str) -> bool {
        crate::parse::inline::link_scheme_ok(url)
    }

    /// Add the cells `x..end` of row `y` as a link to `url`, joined to the last link when
    /// they continue it.
    fn add(links: &mut Vec<Link<'a>>, (x, end, y): (u16, u16, u16), url: &'a str) {
        if end <= x || !Link::safe(url) {
            return;
        }
        if let Some(last) = links.last_mut()
            && last.y == y
            && last.x + last.width == x
            && last.url == url
        {
            last.width = end - last.x;
            return;
        }
        links.push(Link { x, y, width: end - x, url });
    }
}

/// Draw the reading pane into `buf` at `a`, and list the links drawn.
pub fn draw_reader_linked<'a>(
    buf: &mut Buffer,
    app: &'a App,
    theme: &Theme,
    a: Rect,
) -> Vec<Link<'a>> {
    let mut links = Vec::new();
    draw_reader(buf, app, theme, area(a), &mut links);
    links
}

pub(super) fn timestamp(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}
pub(super) fn draw_reader<'a>(
    buf: &mut Buffer,
    app: &'a App,
    theme: &Theme,
    r: Area,
    links: &mut Vec<Link<'a>>,
) {
    let amb = app.opts.ambiguous;
    let doc = &app.doc;
    let tw = app.text_width() as u16;
    let x0 = r.x.saturating_add(GUTTER);
    let max_x = x0.saturating_add(tw).min(r.x.saturating_add(r.width));
    let dim = Style::default().fg(theme.dim);
    // A bookmark's mark, in the gutter's second column.
    let (mark_x, mark_style) = (r.x.saturating_add(1), Style::default().fg(theme.bookmark));
    for (i, (vi, line)) in app.view.lines.iter().enumerate() {
        if i >= usize::from(r.height) {
            break;
        }
        let y = r.y + i as u16;
        let item = vi.checked_sub(1);
        let on_passage = |b: usize| item.is_some_and(|it| app.view.passage == Some((it, b)));
        match &line.kind {
            LineKind::Blank => {}
            LineKind::Title(range) => {
                let s = Style::default().fg(theme.title).add_modifier(Modifier::BOLD);
                put(buf, x0, y, max_x, app.title.get(range.clone()).unwrap_or(""), s, amb);
            }
            LineKind::Meta { meta, row } => {
                if let Some(m) = doc.meta.get(*meta) {
                    let line = meta_line(m);
                    let key = (m.key.len() + 2).clamp(row.start, row.end);
                    let x =
                        put(buf, x0, y, max_x, line.get(row.start..key).unwrap_or(""), dim, amb);
                    let value = line.get(key..row.end).unwrap_or("");
                    put(buf, x, y, max_x, value, Style::default(), amb);
                }
            }
            LineKind::LegendHead => {
                put(buf, x0, y, max_x, "Speakers · 1-9 jumps to their next turn", dim, amb);
            }
            LineKind::Legend(s) => {
                let n = if *s < 9 { format!("{} ", s + 1) } else { "  ".to_string() };
                let x = put(buf, x0.saturating_add(1), y, max_x, &n, dim, amb);
                // With the timeline strip shown, the legend gives its colours.
                let x = match app.strip.cells.is_empty() {
                    true => x,
                    false => put(buf, x, y, max_x, "▐ ", speaker_style(theme, *s), amb),
                };
                let x = put(buf, x, y, max_x, doc.speaker_name(*s), speaker_style(theme, *s), amb);
                let count = doc.speakers.get(*s).map(|s| s.turn_count()).unwrap_or(0);
                let turns =
                    if count == 1 { "1 turn".to_string() } else { format!("{count} turns") };
                put(buf, x, y, max_x, &format!("  · {turns}"), dim, amb);
            }
            LineKind::LegendMore(n) => {
                let more = format!("… and {n} more speakers");
                put(buf, x0.saturating_add(1), y, max_x, &more, dim, amb);
            }
            LineKind::Heading { section, row } => {
                let s = Style::default().fg(theme.heading).add_modifier(Modifier::BOLD);
                let title = doc.sections.get(*section).map(|s| s.title.as_str()).unwrap_or("");
                put(buf, x0, y, max_x, title.get(row.clone()).unwrap_or(""), s, amb);
            }
            LineKind::HeadingRule { width } => {
                let n = width / str_width("─", amb).max(1);
                put(buf, x0, y, max_x, &"─".repeat(n), Style::default().fg(theme.heading), amb);
            }
            LineKind::TurnHeader(t) => {
                if let Some(turn) = doc.turns.get(*t) {
                    let x = put(
                        buf,
                        x0,
                        y,
                        max_x,
                        doc.speaker_name(turn.speaker()),
                        speaker_style(theme, turn.speaker()),
                        amb,
                    );
                    if let Some(ms) = turn.start_ms().filter(|_| app.opts.times) {
                        put(buf, x.saturating_add(2), y, max_x, &timestamp(ms), dim, amb);
                    }
                }
            }
            LineKind::Folded(t) => {
                if let Some(turn) = doc.turns.get(*t) {
                    let name = doc.speaker_name(turn.speaker());
                    let x = put(buf, x0, y, max_x, name, dim.add_modifier(Modifier::BOLD), amb);
                    let first = doc.turn_blocks(*t).first().map_or("", |b| b.text);
                    let x = x.saturating_add(2);
                    let room = usize::from(max_x.saturating_sub(x));
                    put(buf, x, y, max_x, &first_words(first, room, amb), dim, amb);
                }
            }
            LineKind::Text { block, row, first } => {
                let Some(it) = item else { continue };
                let Some(b) = doc.item_blocks(it).get(*block) else { continue };
                if app.is_spoken(it, *block) {
                    // Listening: the passage being spoken, marked in the gutter and behind
                    // its text.
                    put(buf, r.x, y, max_x, SPOKEN, Style::default().fg(theme.spoken), amb);
                    if !theme.mono {
                        let row = Area { x: x0, y, width: max_x.saturating_sub(x0), height: 1 };
                        fill(buf, row, Style::default().bg(theme.spoken_bg));
                    }
                } else if on_passage(*block) {
                    put(buf, r.x, y, max_x, "▎", Style::default().fg(theme.cursor), amb);
                }
                // On the paragraph's first row, or the top row when that is scrolled off.
                if (*first || i == 0) && app.is_marked(it, *block) {
                    put(buf, mark_x, y, max_x, MARK, mark_style, amb);
                }
                draw_text_row(
                    buf,
                    app,
                    theme,
                    (x0, y, max_x),
                    (it, *block, &b),
                    (row.clone(), *first),
                    links,
                );
            }
            LineKind::Image { block, row } => {
                let Some(it) = item else { continue };
                if on_passage(*block) {
                    put(buf, r.x, y, max_x, "▎", Style::default().fg(theme.cursor), amb);
                }
                if (row.start == 0 || i == 0) && app.is_marked(it, *block) {
                    put(buf, mark_x, y, max_x, MARK, mark_style, amb);
                }
                let url = doc.item_blocks(it).get(*block).map_or("", |b| b.url());
                let line = image_line(url);
                let cut = IMAGE_PREFIX.len().clamp(row.start, row.end);
                let x = put(buf, x0, y, max_x, line.get(row.start..cut).unwrap_or(""), dim, amb);
                let shown = line.get(cut..row.end).unwrap_or("");
                let end = put(buf, x, y, max_x, shown, Style::default().fg(theme.link), amb);
                Link::add(links, (x, end, y), url);
            }
            LineKind::TableRow { block, head, cells, bars } => {
                let Some(it) = item else { continue };
                let Some(b) = doc.item_blocks(it).get(*block) else { continue };
                if on_passage(*block) {
                    put(buf, r.x, y, max_x, "▎", Style::default().fg(theme.cursor), amb);
                }
                if (line.key.offset == 0 || i == 0) && app.is_marked(it, *block) {
                    put(buf, mark_x, y, max_x, MARK, mark_style, amb);
                }
                for &bar in bars {
                    put(buf, x0.saturating_add(bar as u16), y, max_x, "│", dim, amb);
                }
                let base = match head {
                    true => Style::default().add_modifier(Modifier::BOLD),
                    false => Style::default(),
                };
                for c in cells {
                    let x = x0.saturating_add(c.x as u16);
                    let span = (it, *block, &b);
                    draw_runs(buf, app, theme, (x, y, max_x), span, c.range.clone(), base, links);
                }
            }
            LineKind::TableRule { bars, width, .. } => {
                let mut rule: Vec<&str> = vec!["─"; *width];
                for &bar in bars {
                    if let Some(c) = rule.get_mut(bar) {
                        *c = "┼";
                    }
                }
                put(buf, x0, y, max_x, &rule.concat(), dim, amb);
            }
            LineKind::Rule(block) => {
                if item.is_some_and(|it| app.is_marked(it, *block)) {
                    put(buf, mark_x, y, max_x, MARK, mark_style, amb);
                }
                let n = usize::from(max_x.saturating_sub(x0)) / str_width("─", amb).max(1);
                put(buf, x0, y, max_x, &"─".repeat(n.min(40)), dim, amb);
            }
        }
    }
}
pub(super) fn draw_text_row<'a>(
    buf: &mut Buffer,
    app: &App,
    theme: &Theme,
    (x0, y, max_x): (u16, u16, u16),
    (item, bi, b): (usize, usize, &Block<'a>),
    (row, first): (Range<usize>, bool),
    links: &mut Vec<Link<'a>>,
) {
    let amb = app.opts.ambiguous;
    let dim = Style::default().fg(theme.dim);
    let mut base = Style::default();
    if app.is_spoken(item, bi) && !theme.mono {
        base = base.bg(theme.spoken_bg);
    }
    let mut x = x0;
    match &b.kind {
        BlockKind::ListItem { depth } => {
            let marker = b.marker();
            x = x.saturating_add(2 * u16::from(*depth));
            if first {
                x = put(buf, x, y, max_x, marker, dim, amb).saturating_add(1);
            } else {
                x = x.saturating_add(str_width(marker, amb) as u16 + 1);
            }
        }
        BlockKind::BlockQuote => {
            x = put(buf, x, y, max_x, "│ ", dim, amb);
            base = base.add_modifier(Modifier::ITALIC);
        }
        BlockKind::Code => {
            x = x.saturating_add(2);
            base = base.fg(theme.code);
        }
        BlockKind::Subheading => base = base.add_modifier(Modifier::BOLD),
        BlockKind::Footnote => {
            let marker = b.marker();
            if first {
                x = put(buf, x, y, max_x, marker, dim, amb).saturating_add(1);
            } else {
                x = x.saturating_add(str_width(marker, amb) as u16 + 1);
            }
            base = base.patch(dim);
        }
        BlockKind::Aside => {
            if first {
                x = put(buf, x, y, max_x, "▸ ", dim, amb);
            } else {
                x = x.saturating_add(2);
            }
            base = base.patch(dim);
        }
        _ => {}
    }
    draw_runs(buf, app, theme, (x, y, max_x), (item, bi, b), row, base, links);
}

/// Draw bytes `row` of block `b` from column `x`, styled by its runs and the search's
/// matches over `base`; returns the next column. Links drawn are added to `links`.
#[allow(clippy::too_many_arguments)]
fn draw_runs<'a>(
    buf: &mut Buffer,
    app: &App,
    theme: &Theme,
    (x, y, max_x): (u16, u16, u16),
    (item, bi, b): (usize, usize, &Block<'a>),
    row: Range<usize>,
    base: Style,
    links: &mut Vec<Link<'a>>,
) -> u16 {
    let amb = app.opts.ambiguous;
    let mut x = x;
    // Cut the row where a style run or a search match starts or ends.
    let (matches, current) = match &app.search {
        Some(s) => {
            let Range { start: lo, end: hi } = s.block_matches(item, bi);
            (&s.matches[lo..hi], s.current.and_then(|c| c.checked_sub(lo)).filter(|c| lo + c < hi))
        }
        None => (&[][..], None),
    };
    // Runs and matches are sorted and do not overlap: only those touching the row are
    // looked at (a paragraph may hold a hundred thousand runs; a row, a few).
    let runs = b.runs;
    let runs = &runs[runs.partition_point(|r| r.range.end <= row.start)..];
    let runs = &runs[..runs.partition_point(|r| r.range.start < row.end)];
    let first_match = matches.partition_point(|m| m.range.end <= row.start);
    let matches_here = &matches[first_match..];
    let matches_here = &matches_here[..matches_here.partition_point(|m| m.range.start < row.end)];
    let mut cuts = vec![row.start, row.end];
    for r in runs {
        cuts.extend([r.range.start, r.range.end]);
    }
    for m in matches_here {
        cuts.extend([m.range.start, m.range.end]);
    }
    cuts.retain(|&c| c >= row.start && c <= row.end && b.text.is_char_boundary(c));
    cuts.sort_unstable();
    cuts.dedup();
    for w in cuts.windows(2) {
        let (a, z) = (w[0], w[1]);
        let mut st = base;
        let run = runs.iter().find(|r| r.range.start <= a && a < r.range.end);
        if let Some(r) = run {
            st = st.patch(inline_style(theme, r.style, r.quote.is_some()));
        }
        if let Some(k) = matches_here
            .iter()
            .position(|m| m.range.start <= a && a < m.range.end)
            .map(|k| k + first_match)
        {
            if theme.mono {
                st = st.add_modifier(Modifier::REVERSED);
                if current == Some(k) {
                    st = st.add_modifier(Modifier::UNDERLINED);
                }
            } else {
                let bg = if current == Some(k) { theme.current_match } else { theme.search_match };
                st = st.bg(bg).fg(theme.match_fg);
            }
        }
        let from = x;
        x = put(buf, x, y, max_x, &b.text[a..z], st, amb);
        if let Some(url) = run.and_then(|r| r.url.as_deref()) {
            Link::add(links, (from, x, y), url);
        }
    }
    x
}

//! The timeline strip as data: the whole document scaled to the reading pane's height, one
//! cell a row, each cell the speaker who holds most of its slice.
//!
//! Stage 4, beside the layout: built from the document tree, never from laid-out lines (a
//! 72 MB document is laid out only where it is read). [`Weights`] gives every body item a
//! weight once, with the index: its spoken time in milliseconds when the transcript has
//! times (a turn runs to the next timed passage; one whose end is unknown, or an untimed
//! turn among timed ones, is estimated from its text at the document's own rate), else its
//! text in bytes. Bytes do not overweight English: a CJK character is three bytes and says
//! about what a Latin word of five or six letters says. Headings weigh nothing.
//! [`cells`] cuts the weights into rows (once per pane height: `App::prepare` keeps them),
//! and `prepare` marks bookmarks, the reading position and the visible window on them, so
//! drawing only reads.
//!
//! Invariant: the cells cover `0..total` in order, each starting where the one before
//! ended; a position maps to the cell whose slice holds it, and [`Weights::pos_at`] is
//! that map's inverse up to a row of text.
//!
//! Public surface: [`Weights`], [`Cell`], [`Strip`], [`cells`], [`cell_of`].

use std::ops::Range;

use crate::doc::{Document, Item, Quote, SpeakerId, Turn};

use crate::keymap::EditAction;
use crate::lineedit::LineEdit;

use super::update::edit_line;
use super::view::Pos;
use super::{App, Effect, Input, Line, Overlay};

/// Where each body item begins on the strip's scale (its weight summed before it).
#[derive(Debug, Clone, Default)]
pub struct Weights {
    /// `prefix[i]`: weight before body item `i`; the last entry is the total.
    prefix: Vec<u64>,
    /// The weights are milliseconds of speech (else bytes of text).
    timed: bool,
}

/// When a body item ends, if the transcript says: a turn's end, or its last timed stretch's.
fn item_end(doc: &Document, item: usize) -> Option<u64> {
    if let Some(Item::Turn(t)) = doc.items.get(item) {
        return doc.turns.get(*t as usize)?.end_ms();
    }
    doc.block_times(item, 0).last()?.end_ms()
}

impl Weights {
    /// Weigh every body item of `doc`: first each item's bytes (its blocks' lengths, read
    /// once in one pass; no text is scanned), then, when the document has times at all, one
    /// pass for the spoken times, and the sums are made in place.
    pub fn build(doc: &Document) -> Weights {
        // Each item's bytes, summed in place, counting the items that have text.
        let mut prefix: Vec<u64> =
            std::iter::once(0).chain(doc.item_text_lens().map(|b| b as u64)).collect();
        let (mut sum, mut texts) = (0u64, 0usize);
        for p in prefix.iter_mut().skip(1) {
            texts += usize::from(*p > 0);
            sum = sum.saturating_add(*p);
            *p = sum;
        }
        // Weighing by time needs a start for at least half the passages (a passage without
        // one is not timed): count the starts before looking for ends.
        let starts =
            doc.timed_block_count() + doc.turns.iter().filter(|t| t.start_ms().is_some()).count();
        let timed = starts > 0
            && starts * 2 >= texts
            && Self::weigh_times(doc, &mut prefix, doc.has_block_times());
        Weights { prefix, timed }
    }

    /// When the transcript has times for most passages, weigh each item in milliseconds
    /// in place of bytes (the rest at the document's own rate), sum them in place, and say
    /// so; else leave the sums of bytes.
    fn weigh_times(doc: &Document, prefix: &mut [u64], block_times: bool) -> bool {
        // Back from sums of bytes to each item's bytes (the sums do not overflow: they are
        // bytes held in memory).
        for i in (1..prefix.len()).rev() {
            prefix[i] -= prefix[i - 1];
        }
        // Spoken times, where the times say: (item, milliseconds), in order.
        let mut spoken: Vec<(usize, u64)> = Vec::new();
        let (mut timed_count, mut texts, mut ms, mut timed_bytes) = (0usize, 0usize, 0u64, 0u64);
        // The text item before, with its start and bytes.
        let mut prev: Option<(usize, u64, u64)> = None;
        let bytes = prefix.get(1..).unwrap_or(&[]);
        for (i, (item, &b)) in doc.items.iter().zip(bytes).enumerate() {
            if b == 0 {
                continue;
            }
            texts += 1;
            let start = match *item {
                Item::Turn(t) => doc.turns.get(t as usize).and_then(Turn::start_ms),
                Item::Block(_) if block_times => doc.block_start_ms(i, 0),
                _ => None,
            };
            if let Some((p, s, pb)) = prev.take() {
                let end = start.filter(|&e| e > s).or_else(|| item_end(doc, p).filter(|&e| e > s));
                if let Some(e) = end {
                    spoken.push((p, e - s));
                    (timed_count, ms, timed_bytes) =
                        (timed_count + 1, ms + (e - s), timed_bytes + pb);
                }
            }
            prev = start.map(|s| (i, s, b));
        }
        if let Some((p, s, pb)) = prev
            && let Some(e) = item_end(doc, p).filter(|&e| e > s)
        {
            spoken.push((p, e - s));
            (timed_count, ms, timed_bytes) = (timed_count + 1, ms + (e - s), timed_bytes + pb);
        }
        // Times for most passages: weigh in milliseconds, the rest at the document's rate.
        if timed_count == 0 || timed_count * 2 < texts {
            let mut sum = 0u64;
            for p in prefix.iter_mut().skip(1) {
                sum += *p;
                *p = sum;
            }
            return false;
        }
        let rate = if timed_bytes > 0 { ms as f64 / timed_bytes as f64 } else { 1.0 };
        let mut spoken = spoken.into_iter().peekable();
        let mut sum = 0u64;
        for (i, p) in prefix.iter_mut().skip(1).enumerate() {
            let w = match spoken.next_if(|&(item, _)| item == i) {
                Some((_, d)) => d,
                None => (*p as f64 * rate).round() as u64,
            };
            sum = sum.saturating_add(w);
            *p = sum;
        }
        true
    }

    pub fn total(&self) -> u64 {
        self.prefix.last().copied().unwrap_or(0)
    }

    /// The weights are milliseconds of speech.
    pub fn timed(&self) -> bool {
        self.timed
    }

    /// The weight of body item `item` and where it begins.
    fn item(&self, item: usize) -> (u64, u64) {
        let start = self.prefix.get(item).copied().unwrap_or_else(|| self.total());
        let end = self.prefix.get(item + 1).copied().unwrap_or(start);
        (start, end - start)
    }

    /// Where a position lies on the strip's scale: its item's start, plus the share of the
    /// item's weight its text before it makes (by bytes).
    pub fn at(&self, doc: &Document, pos: Pos) -> u64 {
        let Some(item) = pos.body_item() else { return 0 };
        let (start, w) = self.item(item);
        let Some(block) = pos.key.block() else { return start };
        let total = doc.item_text_len(item) as u64;
        let mut before = doc.item_text_before(item, block) as u64;
        let len = doc.item_text_before(item, block + 1) as u64 - before;
        // A gap row (kind 2) lies after its block's text.
        before += if pos.key.kind == 2 { len } else { (pos.key.offset as u64).min(len) };
        if total == 0 {
            return start;
        }
        start + mul_div(w, before, total)
    }

    /// The position at weight `c`: the top of the document at 0, else the item holding it
    /// and inside the item the text at the same share (a char boundary, at or before it).
    pub fn pos_at(&self, doc: &Document, c: u64) -> Pos {
        let n = doc.items.len();
        if n == 0 || c == 0 {
            return Pos::TOP;
        }
        // The item whose weight holds `c`, or a weightless one (a heading) just before it.
        let mut item = self.prefix.get(1..).unwrap_or(&[]).partition_point(|&p| p <= c).min(n - 1);
        while item > 0 && self.prefix.get(item) == Some(&c) && self.item(item - 1).1 == 0 {
            item -= 1;
        }
        let (start, w) = self.item(item);
        let blocks = doc.item_blocks(item);
        let total: u64 = blocks.iter().map(|b| b.text.len() as u64).sum();
        if w == 0 || total == 0 || c <= start {
            return Pos::item(item);
        }
        let mut want = mul_div(c - start, total, w);
        for (b, block) in blocks.iter().enumerate() {
            let len = block.text.len() as u64;
            if want < len || b + 1 == blocks.len() {
                let mut off = (want.min(len)) as usize;
                while !block.text.is_char_boundary(off) {
                    off -= 1;
                }
                return match (b, off) {
                    (0, 0) => Pos::item(item),
                    _ => Pos::text(item, b, off),
                };
            }
            want -= len;
        }
        Pos::item(item)
    }
}

/// One row of the strip: a slice of the document's weight.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    /// The slice, on the [`Weights`] scale.
    pub range: Range<u64>,
    /// Who holds most of it (`None`: nobody, or text outside turns).
    pub speaker: Option<SpeakerId>,
    /// Who talks in it at all, a bit a speaker (the first 64): speaker focus lights the
    /// rows where the focused speaker talks, though another holds most of them.
    pub present: u64,
    /// A quote begins in it.
    pub quote: bool,
    /// A bookmarked passage begins in it.
    pub bookmark: bool,
}

/// `a * b / c`, in 64 bits when the product fits (it nearly always does: 128-bit division
/// is slow, and the strip divides once a cell and once a quote).
fn mul_div(a: u64, b: u64, c: u64) -> u64 {
    match a.checked_mul(b) {
        Some(p) => p / c.max(1),
        None => (u128::from(a) * u128::from(b) / u128::from(c.max(1))) as u64,
    }
}

/// The cell holding weight `c` of `total`, on a strip of `h` cells: the last whose slice
/// starts at or before it (cells of an empty slice are passed over).
pub fn cell_of(total: u64, h: usize, c: u64) -> usize {
    if total == 0 || h == 0 {
        return 0;
    }
    let c = c.min(total - 1);
    // The last k with floor(total * k / h) <= c: k < (c + 1) * h / total.
    let k = match (c + 1).checked_mul(h as u64) {
        Some(p) => p.div_ceil(total),
        None => ((u128::from(c) + 1) * h as u128).div_ceil(u128::from(total)) as u64,
    };
    (k.saturating_sub(1) as usize).min(h - 1)
}

/// Where cell `k` of `h` begins.
fn boundary(total: u64, h: usize, k: usize) -> u64 {
    mul_div(total, k as u64, h as u64)
}

/// The strip of a document at `h` rows: each cell its slice and who holds most of it, and
/// where quotes begin. One pass over the items (no division an item; an item inside the
/// cell being filled is one addition), and a search of the quotes a cell.
pub fn cells(doc: &Document, weights: &Weights, h: usize) -> Vec<Cell> {
    let total = weights.total();
    let mut cells: Vec<Cell> = (0..h)
        .map(|k| Cell {
            range: boundary(total, h, k)..boundary(total, h, k + 1),
            ..Cell::default()
        })
        .collect();
    if h == 0 || total == 0 {
        return cells;
    }
    // Weight per speaker in the cell being filled (index 0: nobody), and who has some.
    let mut tally = vec![0u64; doc.speakers.len() + 1];
    let mut touched: Vec<usize> = Vec::new();
    // The cell being filled, and where it ends.
    let (mut k, mut end_k) = (0, cells[0].range.end);
    // Where the item begins (where the one before ended).
    let mut a = 0;
    for (item, &end) in doc.items.iter().zip(weights.prefix.get(1..).unwrap_or(&[])) {
        if end == a {
            continue;
        }
        let who = match *item {
            Item::Turn(t) => doc.turns.get(t as usize).map_or(0, |t| t.speaker() + 1),
            _ => 0,
        };
        let Some(t) = tally.get_mut(who) else { continue };
        if end <= end_k {
            // The whole item lies in the cell being filled.
            if *t == 0 {
                touched.push(who);
            }
            *t += end - a;
            a = end;
            continue;
        }
        while a < end {
            // The cells are in order, and so are the items: move to the cell holding `a`.
            while end_k <= a && k + 1 < h {
                settle(&mut cells[k], &mut tally, &mut touched);
                k += 1;
                end_k = cells[k].range.end;
            }
            let take = end.min(end_k).max(a + 1) - a;
            let t = &mut tally[who];
            if *t == 0 {
                touched.push(who);
            }
            *t += take;
            a += take;
        }
    }
    settle(&mut cells[k], &mut tally, &mut touched);
    mark_quotes(doc, weights, &mut cells);
    cells
}

/// Mark the cells where quotes begin ([`Weights::at`] of each quote's first byte): the
/// quotes are in document order, so their weights are too, and a cell holds one when the
/// first quote at or past its start is before its end. A search a cell, not a look at
/// every quote.
fn mark_quotes(doc: &Document, weights: &Weights, cells: &mut [Cell]) {
    let last = weights.total().saturating_sub(1);
    let at = |q: &Quote| match doc.turns.get(q.turn) {
        Some(t) => weights.at(doc, Pos::text(t.item(), q.block, q.range.start)).min(last),
        // (None: every quote is in a turn.)
        None => u64::MAX,
    };
    let mut from = 0;
    for cell in cells.iter_mut().filter(|c| !c.range.is_empty()) {
        let rest = doc.quotes.get(from..).unwrap_or(&[]);
        from += rest.partition_point(|q| at(q) < cell.range.start);
        cell.quote = doc.quotes.get(from).is_some_and(|q| at(q) < cell.range.end);
    }
}

/// Give a cell the speaker with most weight in it (a tie to the one who came first), and
/// empty the tally.
fn settle(cell: &mut Cell, tally: &mut [u64], touched: &mut Vec<usize>) {
    touched.sort_unstable();
    let mut best: Option<(usize, u64)> = None;
    for &who in touched.iter() {
        let w = std::mem::take(&mut tally[who]);
        if best.is_none_or(|(_, b)| w > b) {
            best = Some((who, w));
        }
    }
    cell.present = touched
        .iter()
        .filter_map(|&who| who.checked_sub(1))
        .filter(|&s| s < 64)
        .fold(0, |m, s| m | 1 << s);
    touched.clear();
    cell.speaker = best.and_then(|(who, _)| who.checked_sub(1));
}

impl Cell {
    /// Whether speaker `s` talks in this cell's slice (for speakers past the 64th: holds
    /// most of it).
    pub fn has(&self, s: SpeakerId) -> bool {
        self.speaker == Some(s) || (s < 64 && self.present & (1 << s) != 0)
    }
}

/// The strip as the reader keeps it: shown or not, its cells at the pane's height, and
/// what `prepare` marks on them for drawing.
#[derive(Debug, Clone, Default)]
pub struct Strip {
    /// `t` shows and hides it (`[layout] timeline` says how the reader opens).
    pub shown: bool,
    pub weights: Weights,
    /// One per row of the reading pane (empty while hidden).
    pub cells: Vec<Cell>,
    /// The cell of the reading position (the pane's top row).
    pub here: usize,
    /// The cells the reading pane shows, from `here` to the cell of its last row.
    pub window: Range<usize>,
}

impl Strip {
    pub fn new(weights: Weights, shown: bool) -> Strip {
        Strip { shown, weights, ..Strip::default() }
    }
}

impl App {
    /// Cut the strip to the pane's height (when that or the document changed) and mark
    /// bookmarks, the position and the window on it. Part of `prepare`: drawing only reads.
    pub(super) fn prepare_strip(&mut self) {
        let h = match self.panes().strip {
            Some(a) if self.strip.shown => usize::from(a.height),
            _ => 0,
        };
        if h == 0 {
            self.strip.cells.clear();
            return;
        }
        if self.strip.cells.len() != h {
            self.strip.cells = cells(&self.doc, &self.strip.weights, h);
        }
        let total = self.strip.weights.total();
        let marked: Vec<usize> = self
            .marked
            .iter()
            .map(|&(item, block)| {
                let c = self.strip.weights.at(&self.doc, Pos::text(item, block, 0));
                cell_of(total, h, c)
            })
            .collect();
        for (k, cell) in self.strip.cells.iter_mut().enumerate() {
            cell.bookmark = marked.contains(&k);
        }
        let top = self.strip.weights.at(&self.doc, self.pos);
        let bottom = match self.view.lines.last() {
            _ if self.view.at_end => total,
            Some((vi, Line { key, .. })) => {
                self.strip.weights.at(&self.doc, Pos { vi: *vi, key: *key })
            }
            None => top,
        };
        let here = cell_of(total, h, top);
        let last = cell_of(total, h, bottom.saturating_sub(1).max(top));
        self.strip.here = here;
        self.strip.window = here..last + 1;
    }

    /// Jump to weight `c` of the strip: the row holding it, or the next row when that
    /// begins before the cell holding `c` (the marker then lands on the cell asked for),
    /// never past the last page.
    pub(super) fn jump_to_weight(&mut self, c: u64) {
        let w = &self.strip.weights;
        let target = w.pos_at(&self.doc, c);
        let at = self.locate(target);
        let mut pos = match self.piece_lines(at.vi, at.piece).get(at.idx) {
            Some(l) => Pos { vi: at.vi, key: l.key },
            None => target,
        };
        let h = self.strip.cells.len().max(1);
        let total = self.strip.weights.total();
        let want = cell_of(total, h, c);
        let here = |app: &App, p: Pos| cell_of(total, h, app.strip.weights.at(&app.doc, p));
        if here(self, pos) < want {
            let (next, _) = self.step_down(pos, 1);
            if here(self, next) == want {
                pos = next;
            }
        }
        let end = self.end_top();
        self.jump(pos.min(end));
    }
}

/// `t`: show or hide the strip (for the session; `[layout] timeline` says how the reader
/// opens).
pub(super) fn toggle(app: &mut App) {
    app.strip.shown = !app.strip.shown;
    app.strip.cells.clear();
    if app.strip.shown && app.panes().strip.is_none() {
        app.say("the reading pane is too narrow for the timeline strip");
    }
}

/// `%`: open the go-to prompt.
pub(super) fn open_go_to(app: &mut App) {
    if app.loading.is_some() {
        return app.say("go to a percentage once the document is read");
    }
    let edit = LineEdit::new().with_ambiguous(app.opts.ambiguous);
    app.open(Overlay::GoTo(edit));
}

/// A key typed into the go-to prompt: digits; Enter goes there, Esc leaves.
pub(super) fn go_to_input(app: &mut App, i: Input) -> Vec<Effect> {
    let Some(Overlay::GoTo(edit)) = &mut app.overlay else { return Vec::new() };
    match i {
        Input::Key(EditAction::Submit) => {
            let text = edit.text().trim().trim_end_matches('%').trim().to_string();
            app.overlay = None;
            match text.parse::<u64>() {
                Ok(p) if p <= 100 => go_to_percent(app, p),
                _ if text.is_empty() => {}
                _ => app.say(format!("not a percentage (0-100): {text}")),
            }
        }
        Input::Key(EditAction::Cancel) => app.overlay = None,
        _ => {
            edit_line(edit, i);
        }
    }
    Vec::new()
}

/// Text pasted into the go-to prompt.
pub(super) fn go_to_paste(app: &mut App, text: &str) {
    if let Some(Overlay::GoTo(edit)) = &mut app.overlay {
        edit.insert(text.lines().next().unwrap_or_default());
    }
}

/// Go `percent` of the way through the document, as the strip measures it.
pub(super) fn go_to_percent(app: &mut App, percent: u64) {
    let c = percent_weight(app.strip.weights.total(), percent);
    app.jump_to_weight(c);
}

/// A click on row `row` of the strip: go to the start of that cell's slice.
pub(super) fn click(app: &mut App, row: usize) {
    if let Some(c) = app.strip.cells.get(row).map(|c| c.range.start) {
        app.jump_to_weight(c);
    }
}

impl App {
    /// The go-to prompt's text, while it is open.
    pub fn go_to_prompt(&self) -> Option<&LineEdit> {
        match &self.overlay {
            Some(Overlay::GoTo(edit)) => Some(edit),
            _ => None,
        }
    }
}

/// The weight `percent` of the way through `total`.
pub fn percent_weight(total: u64, percent: u64) -> u64 {
    mul_div(total, percent.min(100), 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse};

    /// The quote marks, found by a search a cell, are where each quote's own position
    /// falls on the strip.
    #[test]
    fn quotes_are_marked_in_the_cells_holding_them() {
        let texts = [
            include_str!("../../assets/sample.md"),
            include_str!("../../tests/fixtures/md/panel_eight.md"),
        ];
        for text in texts {
            let doc = parse(text.repeat(3), &ParseOptions::default());
            assert!(!doc.quotes.is_empty());
            let w = Weights::build(&doc);
            for h in [1usize, 2, 7, 24, 38, 40, 500] {
                let got: Vec<usize> = (cells(&doc, &w, h).iter().enumerate())
                    .filter(|(_, c)| c.quote)
                    .map(|(k, _)| k)
                    .collect();
                let mut want: Vec<usize> = (doc.quotes.iter())
                    .map(|q| {
                        let pos = Pos::text(doc.turns[q.turn].item(), q.block, q.range.start);
                        cell_of(w.total(), h, w.at(&doc, pos))
                    })
                    .collect();
                want.dedup();
                assert_eq!(got, want, "{h} rows");
            }
        }
    }

    #[test]
    fn cells_cover_the_total_in_order() {
        for total in [0u64, 1, 5, 39, 40, 41, 1000, u64::MAX / 3] {
            for h in [1usize, 2, 23, 39, 40] {
                let ranges: Vec<_> =
                    (0..h).map(|k| boundary(total, h, k)..boundary(total, h, k + 1)).collect();
                assert_eq!(ranges[0].start, 0);
                assert_eq!(ranges[h - 1].end, total);
                for w in ranges.windows(2) {
                    assert_eq!(w[0].end, w[1].start);
                }
                for (k, r) in ranges.iter().enumerate() {
                    if !r.is_empty() {
                        assert_eq!(cell_of(total, h, r.start), k, "{total} {h} {r:?}");
                        assert_eq!(cell_of(total, h, r.end - 1), k);
                    }
                }
            }
        }
    }
}

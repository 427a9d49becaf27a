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

use std::collections::HashMap;
use std::ops::Range;

use crate::doc::{Document, Item, SpeakerId};

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

/// Bytes of an item's text (its blocks, end to end).
fn item_bytes(doc: &Document, item: usize) -> u64 {
    doc.item_blocks(item).iter().map(|b| b.text.len() as u64).sum()
}

/// When a body item starts, if the transcript says: a turn's time, or a paragraph's own.
fn item_start(doc: &Document, item: usize) -> Option<u64> {
    match doc.items.get(item)? {
        Item::Turn(t) => doc.turns.get(*t as usize)?.start_ms(),
        Item::Block(_) => doc.block_start_ms(item, 0),
        Item::Heading(_) => None,
    }
}

/// When a body item ends, if the transcript says: a turn's end, or its last timed stretch's.
fn item_end(doc: &Document, item: usize) -> Option<u64> {
    if let Some(Item::Turn(t)) = doc.items.get(item) {
        return doc.turns.get(*t as usize)?.end_ms();
    }
    doc.block_times(item, 0).last()?.end_ms()
}

impl Weights {
    /// Weigh every body item of `doc` (one pass over the items; no text is scanned).
    pub fn build(doc: &Document) -> Weights {
        let n = doc.items.len();
        let bytes: Vec<u64> = (0..n)
            .map(|i| match doc.items[i] {
                Item::Heading(_) => 0,
                _ => item_bytes(doc, i),
            })
            .collect();
        let starts: Vec<Option<u64>> = (0..n).map(|i| item_start(doc, i)).collect();
        // Each item with text: how long it is spoken, when the times say.
        let mut spoken: Vec<Option<u64>> = vec![None; n];
        let mut next: Option<usize> = None;
        for i in (0..n).rev() {
            if bytes[i] == 0 {
                continue;
            }
            let later = next.and_then(|j| starts[j]);
            spoken[i] = match (starts[i], later) {
                (Some(s), Some(e)) if e > s => Some(e - s),
                (Some(s), _) => item_end(doc, i).filter(|&e| e > s).map(|e| e - s),
                _ => None,
            };
            next = Some(i);
        }
        let timed_count = spoken.iter().filter(|d| d.is_some()).count();
        let texts = bytes.iter().filter(|&&b| b > 0).count();
        // Times for most passages: weigh in milliseconds.
        let timed = timed_count > 0 && timed_count * 2 >= texts;
        let (ms, by): (u64, u64) = spoken
            .iter()
            .zip(&bytes)
            .filter_map(|(d, b)| d.map(|d| (d, *b)))
            .fold((0, 0), |(m, b), (d, x)| (m + d, b + x));
        let rate = if by > 0 { ms as f64 / by as f64 } else { 1.0 };
        let mut prefix = Vec::with_capacity(n + 1);
        let mut sum = 0u64;
        prefix.push(0);
        for i in 0..n {
            let w = match (timed, spoken[i]) {
                (false, _) => bytes[i],
                (true, Some(d)) => d,
                (true, None) => (bytes[i] as f64 * rate).round() as u64,
            };
            sum = sum.saturating_add(w);
            prefix.push(sum);
        }
        Weights { prefix, timed }
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
        let blocks = doc.item_blocks(item);
        let total: u64 = blocks.iter().map(|b| b.text.len() as u64).sum();
        let mut before: u64 = blocks.iter().take(block).map(|b| b.text.len() as u64).sum();
        let len = blocks.get(block).map_or(0, |b| b.text.len()) as u64;
        // A gap row (kind 2) lies after its block's text.
        before += if pos.key.kind == 2 { len } else { (pos.key.offset as u64).min(len) };
        if total == 0 {
            return start;
        }
        start + (u128::from(w) * u128::from(before) / u128::from(total)) as u64
    }

    /// The position at weight `c`: the item holding it, and inside the item the text at
    /// the same share (a char boundary, at or before it).
    pub fn pos_at(&self, doc: &Document, c: u64) -> Pos {
        let n = doc.items.len();
        if n == 0 {
            return Pos::TOP;
        }
        // The last item starting at or before `c` that has weight there.
        let item = self.prefix.partition_point(|&p| p <= c).saturating_sub(1).min(n - 1);
        let (start, w) = self.item(item);
        let blocks = doc.item_blocks(item);
        let total: u64 = blocks.iter().map(|b| b.text.len() as u64).sum();
        if w == 0 || total == 0 || c <= start {
            return Pos::item(item);
        }
        let mut want = (u128::from(c - start) * u128::from(total) / u128::from(w)) as u64;
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
    /// A quote begins in it.
    pub quote: bool,
    /// A bookmarked passage begins in it.
    pub bookmark: bool,
}

/// The cell holding weight `c` of `total`, on a strip of `h` cells: the last whose slice
/// starts at or before it (cells of an empty slice are passed over).
pub fn cell_of(total: u64, h: usize, c: u64) -> usize {
    if total == 0 || h == 0 {
        return 0;
    }
    let c = u128::from(c.min(total - 1));
    let k = ((c + 1) * h as u128).div_ceil(u128::from(total)) - 1;
    (k as usize).min(h - 1)
}

/// Where cell `k` of `h` begins.
fn boundary(total: u64, h: usize, k: usize) -> u64 {
    (u128::from(total) * k as u128 / h.max(1) as u128) as u64
}

/// The strip of a document at `h` rows: each cell its slice and who holds most of it, and
/// where quotes begin. One pass over the items and the quotes.
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
    let mut cur = 0;
    let mut tally: HashMap<Option<SpeakerId>, u64> = HashMap::new();
    let settle = |cells: &mut Vec<Cell>, k: usize, tally: &mut HashMap<Option<SpeakerId>, u64>| {
        // Most weight wins; a tie goes to the speaker who came first.
        let best = tally.drain().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
        if let (Some(c), Some((s, _))) = (cells.get_mut(k), best) {
            c.speaker = s;
        }
    };
    for (i, item) in doc.items.iter().enumerate() {
        let (mut a, w) = weights.item(i);
        let end = a + w;
        let speaker = match item {
            Item::Turn(t) => doc.turns.get(*t as usize).map(|t| t.speaker()),
            _ => None,
        };
        while a < end {
            let k = cell_of(total, h, a);
            let take = end.min(boundary(total, h, k + 1)).max(a + 1) - a;
            if k != cur {
                settle(&mut cells, cur, &mut tally);
                cur = k;
            }
            *tally.entry(speaker).or_default() += take;
            a += take;
        }
    }
    settle(&mut cells, cur, &mut tally);
    for q in &doc.quotes {
        let Some(turn) = doc.turns.get(q.turn) else { continue };
        let c = weights.at(doc, Pos::text(turn.item(), q.block, q.range.start));
        if let Some(cell) = cells.get_mut(cell_of(total, h, c)) {
            cell.quote = true;
        }
    }
    cells
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

    /// The cell holding weight `c`.
    pub fn cell_of(&self, c: u64) -> usize {
        cell_of(self.weights.total(), self.cells.len(), c)
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
    (u128::from(total) * u128::from(percent.min(100)) / 100) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

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

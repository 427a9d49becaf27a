//! Reading progress: how much text lies before each body item, measured in minutes of
//! reading (CJK characters and Latin words at their own speeds, counted as
//! [`crate::talk::count_said`] counts them for talk shares: link targets and footnote
//! marks left out), counted once at load: at
//! once for a small document, a slice at a time between keys for a big one.
//!
//! Public surface: [`Stats`] (minutes before a position, the total, counting a slice at a
//! time), [`Progress`] (the one percentage the status line and the resume message both
//! show, from [`App::progress`]) and [`format_left`].

use super::{App, Options};
use crate::doc::Document;
use crate::talk::count_said;

#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Minutes of reading before view item `vi` (index `vi`); the last entry is the total.
    /// Single precision: one number per turn, and a minute's thousandth is still told
    /// apart after days of reading.
    prefix: Vec<f32>,
    /// The running sum, added up in double precision.
    sum: f64,
    cjk_per_min: f64,
    words_per_min: f64,
    /// How far [`Stats::step`] got into the item it is counting (a huge paragraph takes
    /// many slices).
    partial: Partial,
}

#[derive(Debug, Clone, Copy, Default)]
struct Partial {
    block: usize,
    offset: usize,
    minutes: f64,
    in_word: bool,
}

impl Stats {
    pub fn new(doc: &Document, opts: &Options) -> Stats {
        let mut s = Stats::pending(doc, opts);
        s.step(doc, usize::MAX);
        s
    }

    /// Nothing counted yet: [`Stats::step`] counts.
    pub fn pending(doc: &Document, opts: &Options) -> Stats {
        let mut prefix = Vec::with_capacity(doc.items.len() + 2);
        // The header block costs nothing, and nothing comes before the first item.
        prefix.extend([0.0, 0.0]);
        Stats {
            prefix,
            sum: 0.0,
            cjk_per_min: f64::from(opts.cjk_chars_per_minute.max(1)),
            words_per_min: f64::from(opts.latin_words_per_minute.max(1)),
            partial: Partial::default(),
        }
    }

    /// Every item is counted.
    pub fn complete(&self, doc: &Document) -> bool {
        self.prefix.len() == doc.items.len() + 2
    }

    /// Count until about `budget` bytes of text were read (a huge paragraph is stopped in
    /// and taken up again next time). True when complete.
    pub fn step(&mut self, doc: &Document, budget: usize) -> bool {
        let budget = budget.max(1);
        let mut spent = 0;
        while !self.complete(doc) {
            // The last entry is the time before item `i`; push the time before `i + 1`.
            let i = self.prefix.len() - 2;
            let blocks = doc.item_blocks(i);
            while let Some(b) = blocks.get(self.partial.block) {
                if spent >= budget {
                    return false;
                }
                let p = &mut self.partial;
                let mut end = (p.offset + (budget - spent)).min(b.text.len());
                while !b.text.is_char_boundary(end) {
                    end += 1;
                }
                let (c, w, in_word) = count_said(b.text, b.runs, p.offset..end, p.in_word);
                p.minutes += c as f64 / self.cjk_per_min + w as f64 / self.words_per_min;
                spent += end - p.offset + 64;
                if end < b.text.len() {
                    (p.offset, p.in_word) = (end, in_word);
                } else {
                    *p = Partial { block: p.block + 1, minutes: p.minutes, ..Partial::default() };
                }
            }
            self.sum += self.partial.minutes;
            self.prefix.push(self.sum as f32);
            self.partial = Partial::default();
            spent += 64;
        }
        true
    }

    pub fn total(&self) -> f64 {
        self.sum
    }

    /// Minutes read before a position: whole items before it, plus the share of its own
    /// item before byte `offset` of `block`, by bytes (counting characters again on every
    /// frame would cost milliseconds in a huge paragraph).
    pub fn before(&self, doc: &Document, vi: usize, block: Option<usize>, offset: usize) -> f64 {
        let base = self.prefix.get(vi).map_or_else(|| self.total(), |&m| f64::from(m));
        let within = match (vi.checked_sub(1), block) {
            (Some(item), Some(b)) => {
                let item_minutes =
                    self.prefix.get(vi + 1).map_or(0.0, |&next| f64::from(next) - base);
                let blocks = doc.item_blocks(item);
                let total: usize = blocks.iter().map(|bl| bl.text.len()).sum();
                let read: usize = blocks.iter().take(b).map(|bl| bl.text.len()).sum::<usize>()
                    + blocks.get(b).map_or(0, |bl| offset.min(bl.text.len()));
                item_minutes * read as f64 / total.max(1) as f64
            }
            _ => 0.0,
        };
        base + within
    }
}

/// How far through the document the reader is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Of the reading time before the passage under the cursor (100 only at the end);
    /// while reading times are still being counted, of the items before the top line.
    pub percent: u32,
    /// Minutes of reading left, once every item is counted.
    pub left: Option<f64>,
}

impl App {
    /// The reader's progress: the status line's percentage, and the one every message
    /// naming a percentage uses (the resume message), so the two never disagree.
    pub fn progress(&self) -> Progress {
        if !self.stats.complete(&self.doc) {
            let share = self.pos.vi * 100 / self.view_len().max(1);
            let percent = if self.view.at_end { 100 } else { share.min(99) as u32 };
            return Progress { percent, left: None };
        }
        let total = self.stats.total();
        if self.view.at_end || total <= 0.0 {
            return Progress { percent: 100, left: Some(0.0) };
        }
        let block =
            self.view.passage.filter(|(it, _)| Some(*it) == self.pos.body_item()).map(|(_, b)| b);
        let offset = if self.pos.key.kind == 1 { self.pos.key.offset } else { 0 };
        let before = self.stats.before(&self.doc, self.pos.vi, block, offset);
        let percent = (before / total * 100.0).floor().clamp(0.0, 99.0) as u32;
        Progress { percent, left: Some(total - before) }
    }
}

/// "12 min left", "1 h 05 min left", "< 1 min left".
pub fn format_left(minutes: f64) -> String {
    let m = minutes.ceil() as u64;
    if minutes <= 0.0 {
        "0 min left".to_string()
    } else if m < 1 {
        "< 1 min left".to_string()
    } else if m < 60 {
        format!("{m} min left")
    } else {
        format!("{} h {:02} min left", m / 60, m % 60)
    }
}

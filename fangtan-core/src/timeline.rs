//! Beside the pipeline, pure: when each paragraph of a timed transcript is spoken. Listening
//! (play from a passage, follow playback, `P` on a quote), citations with a time, `--at`
//! and the bookmark export read it. Built once from the tree's times: a block's own timed
//! stretches ([`Document::block_times`]), and a turn's start for its first paragraph.
//!
//! Times here are the transcript's, in milliseconds; an offset between the transcript and
//! the recording is the caller's to add.
//!
//! Invariant: lookups never fail on a paragraph or time outside the document (they answer
//! `None`); a transcript whose times go back (captions merged out of order) is still looked
//! up by time correctly, through an index sorted by start.

use crate::doc::{Document, Item, NONE, TimeMark, narrow, widen};

/// Every timed paragraph of a document, in reading order.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    entries: Vec<Entry>,
    /// `entries` positions sorted by start, when reading order is not (most documents: the
    /// starts never go back, and this is `None`).
    by_start: Option<Vec<u32>>,
}

/// A paragraph that has a start: its own, or its turn's (a turn's first paragraph).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    item: u32,
    block: u32,
    start: u32,
    /// The end of the paragraph's own last stretch, or its turn's end; [`NONE`] if not known.
    end: u32,
}

/// The paragraphs one start covers: blocks `first..=last` of body item `item` (a turn timed
/// only at its start covers all its paragraphs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Spoken {
    pub item: usize,
    pub first: usize,
    pub last: usize,
}

impl Spoken {
    /// Whether paragraph `block` of body item `item` is one of these.
    pub fn holds(&self, item: usize, block: usize) -> bool {
        item == self.item && (self.first..=self.last).contains(&block)
    }
}

/// A stretch of the recording, in transcript milliseconds: where it starts, and where it
/// ends when the transcript says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: u64,
    pub end: Option<u64>,
}

fn ms(x: u32) -> Option<u64> {
    widen(x).map(|v| v as u64)
}

fn narrow_ms(t: u64) -> u32 {
    narrow(usize::try_from(t).unwrap_or(usize::MAX))
}

impl Timeline {
    /// The timeline of `doc`: empty when it has no times.
    pub fn new(doc: &Document) -> Timeline {
        let mut entries = Vec::new();
        for (item, it) in doc.items.iter().enumerate() {
            let turn = match it {
                Item::Turn(t) => doc.turns.get(*t as usize),
                Item::Block(_) => None,
                Item::Heading(_) => continue,
            };
            let blocks = doc.item_blocks(item).len();
            for block in 0..blocks {
                let own = doc.block_times(item, block);
                let (start, end) = match (own.first(), turn) {
                    (Some(first), _) if first.start_ms().is_some() => {
                        (first.start_ms(), own.iter().rev().find_map(TimeMark::end_ms))
                    }
                    (_, Some(t)) if block == 0 => (t.start_ms(), t.end_ms()),
                    _ => (None, None),
                };
                if let Some(start) = start {
                    entries.push(Entry {
                        item: narrow(item),
                        block: narrow(block),
                        start: narrow_ms(start),
                        end: end.map_or(NONE, narrow_ms),
                    });
                }
            }
        }
        let sorted = entries.windows(2).all(|w| w[0].start <= w[1].start);
        let by_start = (!sorted).then(|| {
            let mut order: Vec<u32> = (0..entries.len()).map(narrow).collect();
            order.sort_by_key(|&i| entries[i as usize].start);
            order
        });
        Timeline { entries, by_start }
    }

    /// No paragraph has a time.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry that times paragraph `block` of body item `item`: its own, else the last
    /// timed paragraph before it (a turn's later paragraphs, a block without times).
    fn entry_for(&self, item: usize, block: usize) -> Option<usize> {
        let key = (item, block);
        let n = self.entries.partition_point(|e| (e.item as usize, e.block as usize) <= key);
        n.checked_sub(1)
    }

    /// When paragraph `block` of body item `item` is spoken: its start, and its end (its
    /// own, its turn's, or the next timed paragraph's start, whichever comes first).
    pub fn span(&self, item: usize, block: usize) -> Option<Span> {
        self.entry_for(item, block).map(|i| self.span_of(i))
    }

    fn span_of(&self, i: usize) -> Span {
        let e = self.entries[i];
        let next = self.entries.get(i + 1).map(|n| n.start).filter(|&n| n > e.start);
        let end = match (ms(e.end), next.and_then(ms)) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Span { start: u64::from(e.start), end: end.filter(|&x| x > u64::from(e.start)) }
    }

    /// When the text at byte `offset` of paragraph `block` of body item `item` is spoken:
    /// the start of the timed stretch holding it (a caption paragraph has one per cue),
    /// else the paragraph's start.
    pub fn start_at(
        &self,
        doc: &Document,
        item: usize,
        block: usize,
        offset: usize,
    ) -> Option<u64> {
        let own = doc.block_times(item, block);
        let k = own.partition_point(|m| m.at() <= offset);
        let stretch = k.checked_sub(1).and_then(|k| own[k].start_ms());
        stretch.or_else(|| self.span(item, block).map(|s| s.start))
    }

    /// When the quote `quote` (an index into [`Document::quotes`]) is spoken: from its first
    /// word to its last, by word times where the source has them, else by the timed stretches
    /// holding its ends, else its paragraph's span.
    pub fn quote_span(&self, doc: &Document, quote: usize) -> Option<Span> {
        let q = doc.quotes.get(quote)?;
        let item = doc.turns.get(q.turn)?.item();
        let para = self.span(item, q.block);
        for marks in [doc.block_words(item, q.block), doc.block_times(item, q.block)] {
            let first = marks.partition_point(|m| m.at() <= q.range.start).checked_sub(1);
            let last = marks.partition_point(|m| m.at() < q.range.end).checked_sub(1);
            let (Some(first), Some(last)) = (first, last) else { continue };
            let Some(start) = marks[first].start_ms() else { continue };
            let end = marks[last].end_ms().or_else(|| marks.get(last + 1)?.start_ms());
            // The paragraph's end bounds the last stretch's (captions end at the next cue).
            let end = end.or(para.and_then(|p| p.end));
            return Some(Span { start, end: end.filter(|&e| e > start) });
        }
        para
    }

    /// The paragraphs spoken at time `t`: those of the last timed paragraph that starts at
    /// or before `t`, through the paragraph before the next timed one in the same item.
    /// `None` before the first start.
    pub fn spoken(&self, doc: &Document, t: u64) -> Option<Spoken> {
        let t = narrow_ms(t);
        let i = match &self.by_start {
            None => self.entries.partition_point(|e| e.start <= t).checked_sub(1)?,
            Some(order) => {
                let k = order.partition_point(|&i| self.entries[i as usize].start <= t);
                order[k.checked_sub(1)?] as usize
            }
        };
        let e = self.entries[i];
        let (item, first) = (e.item as usize, e.block as usize);
        let last = match self.entries.get(i + 1) {
            Some(n) if n.item == e.item => (n.block as usize).saturating_sub(1).max(first),
            _ => doc.item_blocks(item).len().saturating_sub(1).max(first),
        };
        Some(Spoken { item, first, last })
    }
}

/// A time as `HH:MM:SS`, whole seconds: citations, the status line's clock, `--at`.
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

/// `--at` and the like: `HH:MM:SS`, `MM:SS` (with an optional `.mmm`) or whole seconds,
/// into milliseconds.
pub fn parse_clock(s: &str) -> Option<u64> {
    let s = s.trim();
    if !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse::<u64>().ok()?.checked_mul(1000);
    }
    crate::parse::label::parse_time(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_read_and_write() {
        assert_eq!(clock(754_900), "00:12:34");
        assert_eq!(clock(7_090_000), "01:58:10");
        assert_eq!(parse_clock("00:12:34"), Some(754_000));
        assert_eq!(parse_clock("12:34"), Some(754_000));
        assert_eq!(parse_clock("754"), Some(754_000));
        assert_eq!(parse_clock("1:02:03.5"), Some(3_723_500));
        for bad in ["", "x", "12:75", "-3", "1:2:3:4"] {
            assert_eq!(parse_clock(bad), None, "{bad}");
        }
    }
}

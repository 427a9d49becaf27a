//! The reading pane as lines: each body item becomes a few lines at the current text width,
//! laid out lazily (only items that are drawn or scrolled over) and cached until the width
//! or the speaker focus changes.

use std::ops::Range;

use crate::doc::{BlockKind, Item, SpeakerId};
use crate::layout;
use crate::width::str_width;

use super::App;

/// Where a line sits inside its item; strictly increasing down the item, and stable
/// across widths for everything but the row offset (a row is found by the byte it starts
/// at, so a resize keeps the same passage on top).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LineKey {
    /// 0 for the item's leading lines (headers), `block + 1` for a block's lines.
    pub slot: usize,
    /// 0 lead, 1 text row, 2 the blank after a block.
    pub kind: u8,
    /// Lead line number, or the byte offset a text row starts at.
    pub offset: usize,
}

impl LineKey {
    pub const fn lead(i: usize) -> LineKey {
        LineKey { slot: 0, kind: 0, offset: i }
    }
    pub const fn text(block: usize, offset: usize) -> LineKey {
        LineKey { slot: block + 1, kind: 1, offset }
    }
    pub const fn gap(block: usize) -> LineKey {
        LineKey { slot: block + 1, kind: 2, offset: 0 }
    }
    /// The block this line belongs to, if any.
    pub fn block(self) -> Option<usize> {
        self.slot.checked_sub(1)
    }
}

/// The reading position: the line at the top of the reading pane. `vi` 0 is the header
/// block (title, meta, speaker legend); `vi = i + 1` is body item `i`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub vi: usize,
    pub key: LineKey,
}

impl Pos {
    pub const TOP: Pos = Pos { vi: 0, key: LineKey::lead(0) };
    pub const fn item(item: usize) -> Pos {
        Pos { vi: item + 1, key: LineKey::lead(0) }
    }
    pub const fn text(item: usize, block: usize, offset: usize) -> Pos {
        Pos { vi: item + 1, key: LineKey::text(block, offset) }
    }
    /// The body item, `None` in the header block.
    pub fn body_item(self) -> Option<usize> {
        self.vi.checked_sub(1)
    }
}

/// What one line of the reading pane shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind {
    Blank,
    /// A row of the document title (a byte range of it).
    Title(Range<usize>),
    Meta(usize),
    LegendHead,
    Legend(SpeakerId),
    Heading {
        section: usize,
        row: Range<usize>,
    },
    /// The rule under a heading, as wide as the heading.
    HeadingRule {
        width: usize,
    },
    TurnHeader(usize),
    /// A turn folded away by speaker focus.
    Folded(usize),
    /// A row of block text; `first` rows carry a list marker.
    Text {
        block: usize,
        row: Range<usize>,
        first: bool,
    },
    Image(usize),
    Rule(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub key: LineKey,
    pub kind: LineKind,
}

/// Cells a block is indented by, and the width of its first-row prefix (list marker).
pub fn block_indent(kind: &BlockKind, amb: crate::width::AmbiguousWidth) -> usize {
    match kind {
        BlockKind::ListItem { depth, marker } => {
            2 * usize::from(*depth) + str_width(marker, amb) + 1
        }
        BlockKind::BlockQuote | BlockKind::Code => 2,
        _ => 0,
    }
}

impl App {
    /// Number of view items (header block plus body items).
    pub fn view_len(&self) -> usize {
        self.doc.items.len() + 1
    }

    /// Lines of view item `vi` at the current width, from the cache.
    pub fn lines(&mut self, vi: usize) -> &[Line] {
        if !self.cache.contains_key(&vi) {
            let lines = self.build_lines(vi);
            self.cache.insert(vi, lines);
        }
        self.cache.get(&vi).map(Vec::as_slice).unwrap_or(&[])
    }

    fn build_lines(&self, vi: usize) -> Vec<Line> {
        let tw = self.text_width();
        let amb = self.opts.ambiguous;
        let mut out = Vec::new();
        let Some(item) = vi.checked_sub(1) else {
            let mut n = 0;
            let mut lead = |out: &mut Vec<Line>, kind| {
                out.push(Line { key: LineKey::lead(n), kind });
                n += 1;
            };
            for row in layout::layout(&self.title, tw, amb) {
                lead(&mut out, LineKind::Title(row.range));
            }
            for i in 0..self.doc.meta.len() {
                lead(&mut out, LineKind::Meta(i));
            }
            lead(&mut out, LineKind::Blank);
            if !self.doc.speakers.is_empty() {
                lead(&mut out, LineKind::LegendHead);
                for s in 0..self.doc.speakers.len() {
                    lead(&mut out, LineKind::Legend(s));
                }
                lead(&mut out, LineKind::Blank);
            }
            return out;
        };
        match self.doc.items.get(item) {
            Some(Item::Heading(s)) => {
                let title = self.doc.sections.get(*s).map(|s| s.title.as_str()).unwrap_or("");
                let mut n = 0;
                let mut widest = 0;
                for row in layout::layout(title, tw, amb) {
                    widest = widest.max(row.width);
                    out.push(Line {
                        key: LineKey::lead(n),
                        kind: LineKind::Heading { section: *s, row: row.range },
                    });
                    n += 1;
                }
                out.push(Line {
                    key: LineKey::lead(n),
                    kind: LineKind::HeadingRule { width: widest },
                });
                out.push(Line { key: LineKey::lead(n + 1), kind: LineKind::Blank });
            }
            Some(Item::Turn(t)) => {
                let t = *t;
                let speaker = self.doc.turns.get(t).map(|t| t.speaker);
                if self.focus_speaker.is_some() && speaker != self.focus_speaker {
                    out.push(Line { key: LineKey::lead(0), kind: LineKind::Folded(t) });
                    return out;
                }
                out.push(Line { key: LineKey::lead(0), kind: LineKind::TurnHeader(t) });
                self.block_lines(item, tw, &mut out);
                if self.doc.item_blocks(item).is_empty() {
                    out.push(Line { key: LineKey::lead(1), kind: LineKind::Blank });
                }
            }
            Some(Item::Block(_)) => self.block_lines(item, tw, &mut out),
            None => {}
        }
        out
    }

    fn block_lines(&self, item: usize, tw: usize, out: &mut Vec<Line>) {
        let amb = self.opts.ambiguous;
        for (b, block) in self.doc.item_blocks(item).iter().enumerate() {
            match &block.kind {
                // With images hidden (`[layout] show_images = false`) an image takes no room.
                BlockKind::Image { .. } if !self.opts.show_images => continue,
                BlockKind::Image { .. } => {
                    out.push(Line { key: LineKey::text(b, 0), kind: LineKind::Image(b) })
                }
                BlockKind::Rule => {
                    out.push(Line { key: LineKey::text(b, 0), kind: LineKind::Rule(b) })
                }
                kind => {
                    let indent = block_indent(kind, amb);
                    let w = tw.saturating_sub(indent).max(1);
                    let rows = layout::layout(&block.text, w, amb);
                    if rows.is_empty() {
                        out.push(Line {
                            key: LineKey::text(b, 0),
                            kind: LineKind::Text { block: b, row: 0..0, first: true },
                        });
                    }
                    for (i, row) in rows.into_iter().enumerate() {
                        out.push(Line {
                            key: LineKey::text(b, row.range.start),
                            kind: LineKind::Text { block: b, row: row.range, first: i == 0 },
                        });
                    }
                }
            }
            // `[layout] paragraph_spacing` blank rows after each block (they share one key:
            // a position never rests inside the gap).
            for _ in 0..self.opts.paragraph_spacing {
                out.push(Line { key: LineKey::gap(b), kind: LineKind::Blank });
            }
        }
    }

    /// Index of the line holding `pos` in its item: the last line whose key is at or before
    /// the position's key.
    pub fn line_index(&mut self, pos: Pos) -> usize {
        let lines = self.lines(pos.vi);
        lines.partition_point(|l| l.key <= pos.key).saturating_sub(1)
    }

    /// Move a position down by `n` lines, stopping at the last line of the document.
    /// Returns the new position and how many lines it moved.
    pub fn step_down(&mut self, pos: Pos, n: usize) -> (Pos, usize) {
        let mut vi = pos.vi;
        let mut idx = self.line_index(pos);
        let mut moved = 0;
        while moved < n {
            let len = self.lines(vi).len();
            if idx + 1 < len {
                idx += 1;
            } else {
                // Skip empty items.
                let mut next = vi + 1;
                while next < self.view_len() && self.lines(next).is_empty() {
                    next += 1;
                }
                if next >= self.view_len() {
                    break;
                }
                vi = next;
                idx = 0;
            }
            moved += 1;
        }
        (self.pos_at(vi, idx, pos), moved)
    }

    /// Move a position up by `n` lines, stopping at the first line.
    pub fn step_up(&mut self, pos: Pos, n: usize) -> (Pos, usize) {
        let mut vi = pos.vi;
        let mut idx = self.line_index(pos);
        let mut moved = 0;
        while moved < n {
            if idx > 0 {
                idx -= 1;
            } else {
                let mut prev = vi;
                loop {
                    if prev == 0 {
                        break;
                    }
                    prev -= 1;
                    if !self.lines(prev).is_empty() {
                        break;
                    }
                }
                if prev == vi || self.lines(prev).is_empty() {
                    break;
                }
                vi = prev;
                idx = self.lines(vi).len() - 1;
            }
            moved += 1;
        }
        (self.pos_at(vi, idx, pos), moved)
    }

    fn pos_at(&mut self, vi: usize, idx: usize, old: Pos) -> Pos {
        match self.lines(vi).get(idx) {
            Some(l) => Pos { vi, key: l.key },
            None => old,
        }
    }

    /// The top position that puts the document's last line on the pane's last row.
    pub fn end_top(&mut self) -> Pos {
        if let Some(p) = self.end_top_cache {
            return p;
        }
        let mut last = self.view_len() - 1;
        while last > 0 && self.lines(last).is_empty() {
            last -= 1;
        }
        let n = self.lines(last).len();
        let end = self.pos_at(last, n.saturating_sub(1), Pos::TOP);
        let h = self.reader_height();
        let (p, _) = self.step_up(end, h.saturating_sub(1));
        self.end_top_cache = Some(p);
        p
    }

    /// Scroll the reading pane down `n` lines (never past the end page).
    pub fn scroll_down(&mut self, n: usize) -> bool {
        let end = self.end_top();
        if self.pos >= end {
            return false;
        }
        let (p, _) = self.step_down(self.pos, n);
        let p = p.min(end);
        let changed = p != self.pos;
        self.pos = p;
        changed
    }

    pub fn scroll_up(&mut self, n: usize) -> bool {
        let (p, moved) = self.step_up(self.pos, n);
        // A jump may have left the position mid-row; normalise even without moving.
        let changed = moved > 0 || p != self.pos;
        self.pos = p;
        changed
    }
}

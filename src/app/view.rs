//! The reading pane as lines: each body item becomes a few lines at the current text width,
//! laid out lazily (only items that are drawn or scrolled over) and cached until the width
//! or the speaker focus changes.
//!
//! Metadata, image lines and tables are laid out like paragraphs (wrapped, never cut at the
//! pane's edge); a table's lines come from [`crate::layout::table`].
//!
//! Public surface: [`Pos`] (the reading position), [`Line`], [`LineKey`], [`LineKind`],
//! [`image_line`], [`meta_line`],
//! [`Cursor`], [`LineCache`], [`block_indent`], [`LEGEND_MAX`], and the `App` methods that
//! walk the lines (`locate`, `step_down`, `step_up`, `end_top`, `scroll_down`, `scroll_up`,
//! `piece_lines`) and `prepare`, which lays out what is on screen after every message.

use std::collections::HashMap;
use std::ops::Range;

use crate::doc::{Block, BlockKind, Item, SpeakerId};
use crate::layout;
use crate::width::str_width;

use super::{App, Overlay, View};

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

/// Speakers listed by name before the document: a panel has a dozen, but an archive of
/// captions may name thousands, and the legend would then be the whole first screen (and
/// a line of layout each).
pub const LEGEND_MAX: usize = 24;

/// What one line of the reading pane shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineKind {
    Blank,
    /// A row of the document title (a byte range of it).
    Title(Range<usize>),
    /// A row of metadata entry `meta`: a byte range of its [`meta_line`].
    Meta {
        meta: usize,
        row: Range<usize>,
    },
    LegendHead,
    Legend(SpeakerId),
    /// Speakers past the legend's first [`LEGEND_MAX`], counted on one line.
    LegendMore(usize),
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
    /// A row of an image block's line: a byte range of its [`image_line`]. (Its key is
    /// not that range: the first row is keyed 0 and the others past the alt text, so a
    /// search match in the alt text lands on the first.)
    Image {
        block: usize,
        row: Range<usize>,
    },
    Rule(usize),
    /// A line of a table block: its cells' byte ranges at their columns, and the columns
    /// of the `│` between columns (see [`crate::layout::table`]).
    TableRow {
        block: usize,
        head: bool,
        cells: Vec<layout::table::Placed>,
        bars: Vec<usize>,
    },
    /// The rule under a table's header (or between its stacked rows).
    TableRule {
        block: usize,
        bars: Vec<usize>,
        width: usize,
    },
}

/// What an image shows before its target.
pub const IMAGE_PREFIX: &str = "[图片/image] ";

/// The line an image block shows: [`IMAGE_PREFIX`] and its target, wrapped like a
/// paragraph (a URL breaks anywhere).
pub fn image_line(url: &str) -> String {
    format!("{IMAGE_PREFIX}{url}")
}

/// The line a metadata entry shows, `key: value`, wrapped like a paragraph; the key and
/// the colon take the first `key.len() + 2` bytes.
pub fn meta_line(m: &crate::doc::Meta) -> String {
    format!("{}: {}", m.key, m.value)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub key: LineKey,
    pub kind: LineKind,
}

/// Cells a block is indented by, and the width of its first-row prefix (list marker).
pub fn block_indent(b: &Block, amb: crate::width::AmbiguousWidth) -> usize {
    match b.kind {
        BlockKind::ListItem { depth } => 2 * usize::from(depth) + str_width(b.marker(), amb) + 1,
        BlockKind::Footnote => str_width(b.marker(), amb) + 1,
        BlockKind::BlockQuote | BlockKind::Code | BlockKind::Aside => 2,
        _ => 0,
    }
}

/// What is laid out, kept between messages: lines at the current text width, and where
/// items are cut into pieces.
#[derive(Debug, Default)]
pub struct LineCache {
    /// Laid-out lines per (view item, piece).
    pub(super) lines: HashMap<(usize, usize), Vec<Line>>,
    /// Piece starts of view items (see `App::cuts`); kept across widths, dropped with the
    /// speaker focus.
    pub(super) cuts: HashMap<usize, Vec<LineKey>>,
    /// The text width `lines` were laid out at.
    pub(super) width: usize,
    /// The top position that puts the document's last line on the last row.
    pub(super) end_top: Option<Pos>,
}

/// A place in the reading pane's lines: view item, piece of it, line in the piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor {
    pub vi: usize,
    pub piece: usize,
    pub idx: usize,
}

impl App {
    /// Number of view items (header block plus body items).
    pub fn view_len(&self) -> usize {
        self.doc.items.len() + 1
    }

    /// Where an item's pieces after the first begin. Most items are one piece; a block of
    /// a huge paragraph is cut ([`layout::pieces`]) so that only the pieces on screen are
    /// laid out. Keys sort in document order, so a position finds its piece by search.
    fn cuts(&mut self, vi: usize) -> &[LineKey] {
        if !self.laid.cuts.contains_key(&vi) {
            let cuts = self.find_cuts(vi);
            self.laid.cuts.insert(vi, cuts);
        }
        self.laid.cuts.get(&vi).map(Vec::as_slice).unwrap_or(&[])
    }

    fn find_cuts(&self, vi: usize) -> Vec<LineKey> {
        let Some(item) = vi.checked_sub(1) else { return Vec::new() };
        if self.folded(item) {
            return Vec::new();
        }
        let mut cuts = Vec::new();
        for (b, block) in self.doc.item_blocks(item).iter().enumerate() {
            if block.text.len() >= 2 * layout::PIECE
                && !matches!(block.kind, BlockKind::Image | BlockKind::Table)
            {
                let ps = layout::pieces(block.text, layout::PIECE);
                cuts.extend(ps.iter().skip(1).map(|r| LineKey::text(b, r.start)));
            }
        }
        cuts
    }

    /// A turn folded away by speaker focus.
    fn folded(&self, item: usize) -> bool {
        match self.doc.items.get(item) {
            Some(Item::Turn(t)) => {
                let speaker = self.doc.turns.get(*t as usize).map(|t| t.speaker());
                self.focus_speaker.is_some() && speaker != self.focus_speaker
            }
            _ => false,
        }
    }

    fn piece_count(&mut self, vi: usize) -> usize {
        self.cuts(vi).len() + 1
    }

    /// Lines of one piece of view item `vi` at the current width, from the cache.
    pub fn piece_lines(&mut self, vi: usize, piece: usize) -> &[Line] {
        if !self.laid.lines.contains_key(&(vi, piece)) {
            let cuts = self.cuts(vi).to_vec();
            let lo = piece.checked_sub(1).and_then(|p| cuts.get(p).copied());
            let hi = cuts.get(piece).copied();
            let lines = self.build_lines(vi, lo, hi, &cuts);
            self.laid.lines.insert((vi, piece), lines);
        }
        self.laid.lines.get(&(vi, piece)).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The lines of view item `vi` whose keys lie in `lo..hi` (`None`: unbounded); `cuts`
    /// are the item's piece starts.
    fn build_lines(
        &self,
        vi: usize,
        lo: Option<LineKey>,
        hi: Option<LineKey>,
        cuts: &[LineKey],
    ) -> Vec<Line> {
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
            for (i, m) in self.doc.meta.iter().enumerate() {
                for row in layout::layout(&meta_line(m), tw, amb) {
                    lead(&mut out, LineKind::Meta { meta: i, row: row.range });
                }
            }
            lead(&mut out, LineKind::Blank);
            if !self.doc.speakers.is_empty() {
                lead(&mut out, LineKind::LegendHead);
                let n = self.doc.speakers.len();
                for s in 0..n.min(LEGEND_MAX) {
                    lead(&mut out, LineKind::Legend(s));
                }
                if n > LEGEND_MAX {
                    lead(&mut out, LineKind::LegendMore(n - LEGEND_MAX));
                }
                lead(&mut out, LineKind::Blank);
            }
            return out;
        };
        let first = lo.is_none();
        match self.doc.items.get(item) {
            Some(Item::Heading(s)) => {
                let title =
                    self.doc.sections.get(*s as usize).map(|s| s.title.as_str()).unwrap_or("");
                let mut n = 0;
                let mut widest = 0;
                for row in layout::layout(title, tw, amb) {
                    widest = widest.max(row.width);
                    out.push(Line {
                        key: LineKey::lead(n),
                        kind: LineKind::Heading { section: *s as usize, row: row.range },
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
                if self.folded(item) {
                    out.push(Line { key: LineKey::lead(0), kind: LineKind::Folded(t as usize) });
                    return out;
                }
                if first {
                    out.push(Line {
                        key: LineKey::lead(0),
                        kind: LineKind::TurnHeader(t as usize),
                    });
                }
                self.block_lines(item, tw, (lo, hi), cuts, &mut out);
                if first && self.doc.item_blocks(item).is_empty() {
                    out.push(Line { key: LineKey::lead(1), kind: LineKind::Blank });
                }
            }
            Some(Item::Block(_)) => self.block_lines(item, tw, (lo, hi), cuts, &mut out),
            None => {}
        }
        out
    }

    fn block_lines(
        &self,
        item: usize,
        tw: usize,
        (lo, hi): (Option<LineKey>, Option<LineKey>),
        cuts: &[LineKey],
        out: &mut Vec<Line>,
    ) {
        let amb = self.opts.ambiguous;
        let inside = |k: LineKey| lo.is_none_or(|lo| k >= lo) && hi.is_none_or(|hi| k < hi);
        for (b, block) in self.doc.item_blocks(item).iter().enumerate() {
            if hi.is_some_and(|hi| LineKey::text(b, 0) >= hi) {
                break;
            }
            match &block.kind {
                // With images hidden (`[layout] show_images = false`) an image takes no room.
                BlockKind::Image if !self.opts.show_images => continue,
                BlockKind::Image if inside(LineKey::text(b, 0)) => {
                    // Keyed in the block's text (the alt text, which search finds but the
                    // line does not show): the first row holds all of it, the rest follow.
                    let rows = layout::layout(&image_line(block.url()), tw, amb);
                    for (i, row) in rows.into_iter().enumerate() {
                        let key = LineKey::text(b, if i == 0 { 0 } else { block.text.len() + i });
                        out.push(Line { key, kind: LineKind::Image { block: b, row: row.range } });
                    }
                }
                BlockKind::Table if inside(LineKey::text(b, 0)) => {
                    let t = layout::table::table(block.text, block.aligns(), tw, amb);
                    let bars = t.bars();
                    for l in t.lines {
                        let key = LineKey::text(b, l.key());
                        let kind = match l {
                            layout::table::TableLine::Cells { head, cells, .. } => {
                                LineKind::TableRow { block: b, head, cells, bars: bars.clone() }
                            }
                            layout::table::TableLine::Rule { .. } => {
                                LineKind::TableRule { block: b, bars: bars.clone(), width: t.width }
                            }
                        };
                        out.push(Line { key, kind });
                    }
                }
                BlockKind::Rule if inside(LineKey::text(b, 0)) => {
                    out.push(Line { key: LineKey::text(b, 0), kind: LineKind::Rule(b) })
                }
                BlockKind::Image | BlockKind::Rule | BlockKind::Table => {}
                _ => {
                    let indent = block_indent(&block, amb);
                    let w = tw.saturating_sub(indent).max(1);
                    // The block's pieces: from each cut in it to the next (one for most).
                    let slot = LineKey::text(b, 0).slot;
                    let mut starts = vec![0];
                    starts.extend(cuts.iter().filter(|c| c.slot == slot).map(|c| c.offset));
                    for (i, &start) in starts.iter().enumerate() {
                        if !inside(LineKey::text(b, start)) {
                            continue;
                        }
                        let end = starts.get(i + 1).copied().unwrap_or(block.text.len());
                        let rows = layout::layout(&block.text[start..end], w, amb);
                        if rows.is_empty() {
                            out.push(Line {
                                key: LineKey::text(b, start),
                                kind: LineKind::Text { block: b, row: start..start, first: true },
                            });
                        }
                        for (r, row) in rows.into_iter().enumerate() {
                            let range = row.range.start + start..row.range.end + start;
                            out.push(Line {
                                key: LineKey::text(b, range.start),
                                kind: LineKind::Text {
                                    block: b,
                                    row: range,
                                    first: start == 0 && r == 0,
                                },
                            });
                        }
                    }
                }
            }
            // `[layout] paragraph_spacing` blank rows after each block (they share one key:
            // a position never rests inside the gap).
            if inside(LineKey::gap(b)) {
                for _ in 0..self.opts.paragraph_spacing {
                    out.push(Line { key: LineKey::gap(b), kind: LineKind::Blank });
                }
            }
        }
    }

    /// The line holding `pos`: the last line whose key is at or before the position's key.
    pub fn locate(&mut self, pos: Pos) -> Cursor {
        let vi = pos.vi.min(self.view_len() - 1);
        let piece = self.cuts(vi).partition_point(|c| *c <= pos.key);
        let lines = self.piece_lines(vi, piece);
        let idx = lines.partition_point(|l| l.key <= pos.key).saturating_sub(1);
        Cursor { vi, piece, idx }
    }

    /// The first line of the next piece that has lines, if any.
    pub fn next_piece(&mut self, c: Cursor) -> Option<Cursor> {
        let (mut vi, mut piece) = (c.vi, c.piece);
        loop {
            if piece + 1 < self.piece_count(vi) {
                piece += 1;
            } else {
                vi += 1;
                piece = 0;
                if vi >= self.view_len() {
                    return None;
                }
            }
            if !self.piece_lines(vi, piece).is_empty() {
                return Some(Cursor { vi, piece, idx: 0 });
            }
        }
    }

    /// The last line of the previous piece that has lines, if any.
    fn prev_piece(&mut self, c: Cursor) -> Option<Cursor> {
        let (mut vi, mut piece) = (c.vi, c.piece);
        loop {
            if piece > 0 {
                piece -= 1;
            } else {
                vi = vi.checked_sub(1)?;
                piece = self.piece_count(vi) - 1;
            }
            let n = self.piece_lines(vi, piece).len();
            if n > 0 {
                return Some(Cursor { vi, piece, idx: n - 1 });
            }
        }
    }

    /// Move a position down by `n` lines, stopping at the last line of the document.
    /// Returns the new position and how many lines it moved.
    pub fn step_down(&mut self, pos: Pos, n: usize) -> (Pos, usize) {
        let mut c = self.locate(pos);
        let mut moved = 0;
        while moved < n {
            if c.idx + 1 < self.piece_lines(c.vi, c.piece).len() {
                c.idx += 1;
            } else {
                match self.next_piece(c) {
                    Some(next) => c = next,
                    None => break,
                }
            }
            moved += 1;
        }
        (self.pos_at(c, pos), moved)
    }

    /// Move a position up by `n` lines, stopping at the first line.
    pub fn step_up(&mut self, pos: Pos, n: usize) -> (Pos, usize) {
        let mut c = self.locate(pos);
        let mut moved = 0;
        while moved < n {
            if c.idx > 0 {
                c.idx -= 1;
            } else {
                match self.prev_piece(c) {
                    Some(prev) => c = prev,
                    None => break,
                }
            }
            moved += 1;
        }
        (self.pos_at(c, pos), moved)
    }

    fn pos_at(&mut self, c: Cursor, old: Pos) -> Pos {
        match self.piece_lines(c.vi, c.piece).get(c.idx) {
            Some(l) => Pos { vi: c.vi, key: l.key },
            None => old,
        }
    }

    /// The top position that puts the document's last line on the pane's last row.
    pub fn end_top(&mut self) -> Pos {
        if let Some(p) = self.laid.end_top {
            return p;
        }
        let last = self.view_len() - 1;
        let after = Cursor { vi: last, piece: self.piece_count(last), idx: 0 };
        let end = match self.prev_piece(after) {
            Some(c) => self.pos_at(c, Pos::TOP),
            None => Pos::TOP,
        };
        let h = self.reader_height();
        let (p, _) = self.step_up(end, h.saturating_sub(1));
        self.laid.end_top = Some(p);
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

impl App {
    /// Lay out what is on screen; called at the end of every `update`.
    pub fn prepare(&mut self) {
        let tw = self.text_width();
        if tw != self.laid.width {
            self.laid.width = tw;
            self.invalidate();
        }
        let h = self.reader_height();
        let mut lines = Vec::with_capacity(h);
        let mut c = self.locate(self.pos);
        let mut at_end = false;
        while lines.len() < h {
            if let Some(l) = self.piece_lines(c.vi, c.piece).get(c.idx) {
                lines.push((c.vi, l.clone()));
                c.idx += 1;
                continue;
            }
            match self.next_piece(c) {
                Some(next) => c = next,
                None => {
                    at_end = true;
                    break;
                }
            }
        }
        if !at_end {
            // The last line may be exactly on the last row.
            let (_, moved) = self.step_down(self.pos, h);
            at_end = moved < h;
        }
        let passage = lines.iter().find_map(|(vi, l)| match l.kind {
            LineKind::Text { block, .. }
            | LineKind::Image { block, .. }
            | LineKind::Rule(block)
            | LineKind::TableRow { block, .. }
            | LineKind::TableRule { block, .. } => Some((vi - 1, block)),
            _ => None,
        });
        let help_max = self.help_lines().saturating_sub(self.help_height());
        if let Some(Overlay::Help { top }) = &mut self.overlay {
            *top = (*top).min(help_max);
        }
        let max_top = self.outline.rows.len().saturating_sub(self.outline_height());
        self.outline.top = self.outline.top.min(max_top);
        self.view = View { lines, passage, at_end };
        if std::mem::take(&mut self.outline.follow) {
            self.sync_outline();
        }
        self.prepare_strip();
    }
}

//! Anchors into the document tree, and re-anchoring after the text was edited.
//!
//! Pure: works on a [`Document`] only.

use crate::doc::{Document, Item};

/// A place in a document: a paragraph ([`crate::doc::Block`]) and a byte offset in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Anchor {
    /// Index into `Document::items`.
    pub item: usize,
    /// Index into `Document::item_blocks(item)`.
    pub block: usize,
    /// Byte offset into the block text (a char boundary).
    pub offset: usize,
    /// Turn index when the item is a turn.
    pub turn: Option<usize>,
}

impl Anchor {
    /// The anchor of block `block` of item `item`, offset 0, with the turn filled in.
    pub fn at(doc: &Document, item: usize, block: usize) -> Anchor {
        let turn = match doc.items.get(item) {
            Some(Item::Turn(t)) => Some(*t as usize),
            _ => None,
        };
        Anchor { item, block, offset: 0, turn }
    }

    /// Reading order: by item, then block, then offset.
    pub fn key(&self) -> (usize, usize, usize) {
        (self.item, self.block, self.offset)
    }

    /// Same paragraph (offset ignored).
    pub fn same_block(&self, other: &Anchor) -> bool {
        self.item == other.item && self.block == other.block
    }

    /// The block text this anchor points to, if it exists in `doc`.
    pub fn text<'d>(&self, doc: &'d Document) -> Option<&'d str> {
        doc.item_blocks(self.item).get(self.block).map(|b| b.text)
    }
}

/// How many characters of a paragraph's start and end a fingerprint keeps.
pub const FP_CHARS: usize = 48;

/// What identifies a paragraph's text when its position is no longer trusted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    pub head: String,
    pub tail: String,
    /// FNV-1a-64 of the whole text, hex.
    pub hash: String,
    /// Length in characters.
    pub chars: usize,
}

impl Fingerprint {
    /// Whether `anchor` still points at the paragraph this fingerprints.
    pub fn holds(&self, doc: &Document, anchor: &Anchor) -> bool {
        anchor.text(doc).is_some_and(|text| crate::hash::hash_hex(text.as_bytes()) == self.hash)
    }
}

pub fn fingerprint(text: &str) -> Fingerprint {
    let chars = text.chars().count();
    let head: String = text.chars().take(FP_CHARS).collect();
    let tail: String = text.chars().skip(chars.saturating_sub(FP_CHARS)).collect();
    Fingerprint { head, tail, hash: crate::hash::hash_hex(text.as_bytes()), chars }
}

/// Where a saved anchor landed in the current document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Same paragraph text (at the old position or moved).
    Exact(Anchor),
    /// A paragraph whose text is close to the saved one (edited slightly).
    Fuzzy(Anchor),
    /// Nowhere: the paragraph was deleted or rewritten.
    Orphaned,
}

impl Placement {
    pub fn anchor(&self) -> Option<Anchor> {
        match self {
            Placement::Exact(a) | Placement::Fuzzy(a) => Some(*a),
            Placement::Orphaned => None,
        }
    }
}

/// Minimum similarity (0..1) for a fuzzy match.
const THRESHOLD: f64 = 0.8;
/// Paragraphs shorter than this (in chars) must match exactly: "Yes." and "No." are too
/// alike to tell apart by edit distance.
const MIN_FUZZY_CHARS: usize = 12;

/// The fingerprints of every paragraph of a document, computed once for re-anchoring.
pub struct Paragraphs {
    entries: Vec<Entry>,
    /// See [`Paragraphs::same_text`].
    same_text: bool,
}

struct Entry {
    anchor: Anchor,
    hash: String,
    chars: usize,
    head: Side,
    tail: Side,
}

/// One end of a paragraph, ready for comparison.
struct Side {
    chars: Vec<char>,
    /// Characters counted into buckets: a cheap lower bound on the edit distance, so most
    /// unrelated paragraphs are ruled out without computing it.
    hist: [u8; BUCKETS],
}

const BUCKETS: usize = 32;

impl Side {
    fn new(s: &str) -> Side {
        let chars: Vec<char> = s.chars().collect();
        let mut hist = [0u8; BUCKETS];
        for &c in &chars {
            let b = (u32::from(c).wrapping_mul(0x9E37_79B1) >> 27) as usize % BUCKETS;
            hist[b] = hist[b].saturating_add(1);
        }
        Side { chars, hist }
    }

    /// No edit script between the two is shorter than this.
    fn distance_at_least(&self, other: &Side) -> usize {
        let diff: usize =
            self.hist.iter().zip(&other.hist).map(|(a, b)| usize::from(a.abs_diff(*b))).sum();
        // One substitution changes two buckets by one; an insertion or deletion one.
        diff.div_ceil(2).max(self.chars.len().abs_diff(other.chars.len()))
    }

    /// Similarity 0..1 given an edit distance.
    fn similarity(&self, other: &Side, distance: usize) -> f64 {
        let longest = self.chars.len().max(other.chars.len());
        if longest == 0 { 1.0 } else { 1.0 - distance as f64 / longest as f64 }
    }
}

/// Levenshtein distance over characters.
fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == cb { diag } else { 1 + diag.min(above).min(row[j]) };
            diag = above;
        }
    }
    row[b.len()]
}

impl Entry {
    fn new(anchor: Anchor, fp: &Fingerprint) -> Entry {
        Entry {
            anchor,
            hash: fp.hash.clone(),
            chars: fp.chars,
            head: Side::new(&fp.head),
            tail: Side::new(&fp.tail),
        }
    }

    /// Head and tail are compared separately so that an edit near one end leaves the
    /// other intact, and an edit in the middle of a long paragraph touches neither.
    /// `None` when the lengths alone rule a match out, or the score cannot exceed `floor`.
    fn similarity(&self, other: &Entry, floor: f64) -> Option<f64> {
        let (lo, hi) = (self.chars.min(other.chars), self.chars.max(other.chars));
        if hi == 0 || (hi - lo) * 4 > hi {
            return None;
        }
        let most = |a: &Side, b: &Side| a.similarity(b, a.distance_at_least(b));
        if (most(&self.head, &other.head) + most(&self.tail, &other.tail)) / 2.0 <= floor {
            return None;
        }
        let head =
            self.head.similarity(&other.head, levenshtein(&self.head.chars, &other.head.chars));
        let tail =
            self.tail.similarity(&other.tail, levenshtein(&self.tail.chars, &other.tail.chars));
        Some((head + tail) / 2.0)
    }
}

impl Paragraphs {
    pub fn new(doc: &Document) -> Paragraphs {
        let mut entries = Vec::new();
        for item in 0..doc.items.len() {
            for (bi, block) in doc.item_blocks(item).iter().enumerate() {
                entries.push(Entry::new(Anchor::at(doc, item, bi), &fingerprint(block.text)));
            }
        }
        Paragraphs { entries, same_text: false }
    }

    /// The file's text is the one the anchors were saved against, and only this build
    /// reads it into other paragraph text (a parser that learned links, footnotes or
    /// tables): a paragraph still at its old place and beginning as it did is the same
    /// paragraph, however its end now reads.
    pub fn same_text(mut self, same: bool) -> Paragraphs {
        self.same_text = same;
        self
    }

    /// Where `old` (fingerprinted `fp`) belongs in `doc`, the document this was built from.
    pub fn place(&self, doc: &Document, old: &Anchor, fp: &Fingerprint) -> Placement {
        if fp.holds(doc, old) {
            return Placement::Exact(with_offset(doc, *old, old.offset));
        }
        let distance = |a: &Anchor| (a.item.abs_diff(old.item), a.block.abs_diff(old.block));
        let exact =
            self.entries.iter().filter(|e| e.hash == fp.hash).min_by_key(|e| distance(&e.anchor));
        if let Some(e) = exact {
            return Placement::Exact(with_offset(doc, e.anchor, old.offset));
        }
        if self.same_text && old.text(doc).is_some_and(|text| same_start(&fp.head, text)) {
            return Placement::Exact(with_offset(doc, *old, old.offset));
        }
        if fp.chars < MIN_FUZZY_CHARS {
            return Placement::Orphaned;
        }
        let target = Entry::new(*old, fp);
        // Outward from the old position, so the nearest of equally good matches is met
        // first and a good match found early rules later candidates out cheaply.
        let start = self.entries.partition_point(|e| e.anchor.key() < old.key());
        let (before, after) = self.entries.split_at(start);
        let mut left = before.iter().rev();
        let mut right = after.iter();
        let mut best: Option<(f64, Anchor)> = None;
        loop {
            let (r, l) = (right.next(), left.next());
            if r.is_none() && l.is_none() {
                break;
            }
            for e in [r, l].into_iter().flatten() {
                let floor = best.map_or(THRESHOLD - 1e-9, |(s, _)| s);
                if let Some(score) = e.similarity(&target, floor)
                    && score > floor
                {
                    best = Some((score, e.anchor));
                }
            }
            if best.is_some_and(|(s, _)| s >= 1.0) {
                break;
            }
        }
        match best {
            Some((_, a)) => Placement::Fuzzy(with_offset(doc, a, old.offset)),
            None => Placement::Orphaned,
        }
    }
}

/// Whether a paragraph's text `now` begins as one whose first characters were `head`,
/// but for what a parser adds or takes away: a link's target put in (`head` is found, in
/// order, among `now`'s first characters) or markup taken out (`~~`, `[^1]`: `now`'s
/// first characters are found, in order, in `head`).
fn same_start(head: &str, now: &str) -> bool {
    let n = head.chars().count();
    // A few characters are found in order in too many paragraphs to tell anything.
    if n < MIN_FUZZY_CHARS {
        return false;
    }
    // Found in order within a bounded stretch, so a huge paragraph costs no more than a
    // long link does.
    fn within(mut needle: impl Iterator<Item = char>, hay: &str, room: usize) -> bool {
        let mut hay = hay.chars().take(room);
        needle.all(|c| hay.any(|h| h == c))
    }
    within(head.chars(), now, n + 512) || within(now.chars().take(n - n / 4), head, n)
}

/// `a` with `offset` clamped into its block and moved back to a char boundary.
fn with_offset(doc: &Document, mut a: Anchor, offset: usize) -> Anchor {
    let text = a.text(doc).unwrap_or("");
    let mut off = offset.min(text.len());
    while !text.is_char_boundary(off) {
        off -= 1;
    }
    a.offset = off;
    a
}

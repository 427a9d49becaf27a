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
            Some(Item::Turn(t)) => Some(*t),
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
        doc.item_blocks(self.item).get(self.block).map(|b| b.text.as_str())
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

pub fn fingerprint(text: &str) -> Fingerprint {
    let chars = text.chars().count();
    let head: String = text.chars().take(FP_CHARS).collect();
    let tail: String = text.chars().skip(chars.saturating_sub(FP_CHARS)).collect();
    Fingerprint { head, tail, hash: super::hash_hex(text.as_bytes()), chars }
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

/// Find the paragraph a saved anchor meant in `doc`: the same text nearest the old position,
/// else the most similar paragraph above [`THRESHOLD`], else orphaned. To place many
/// anchors, build a [`Paragraphs`] once instead.
pub fn reanchor(doc: &Document, old: &Anchor, fp: &Fingerprint) -> Placement {
    Paragraphs::new(doc).place(doc, old, fp)
}

/// The fingerprints of every paragraph of a document, computed once for re-anchoring.
pub struct Paragraphs {
    entries: Vec<(Anchor, Fingerprint)>,
}

impl Paragraphs {
    pub fn new(doc: &Document) -> Paragraphs {
        let mut entries = Vec::new();
        for item in 0..doc.items.len() {
            for (bi, block) in doc.item_blocks(item).iter().enumerate() {
                entries.push((Anchor::at(doc, item, bi), fingerprint(&block.text)));
            }
        }
        Paragraphs { entries }
    }

    /// Where `old` (fingerprinted `fp`) belongs in `doc`, the document this was built from.
    pub fn place(&self, doc: &Document, old: &Anchor, fp: &Fingerprint) -> Placement {
        if let Some(text) = old.text(doc)
            && super::hash_hex(text.as_bytes()) == fp.hash
        {
            return Placement::Exact(with_offset(doc, *old, old.offset));
        }
        let distance = |a: &Anchor| (a.item.abs_diff(old.item), a.block.abs_diff(old.block));
        let exact =
            self.entries.iter().filter(|(_, f)| f.hash == fp.hash).min_by_key(|(a, _)| distance(a));
        if let Some((a, _)) = exact {
            return Placement::Exact(with_offset(doc, *a, old.offset));
        }
        if fp.chars < MIN_FUZZY_CHARS {
            return Placement::Orphaned;
        }
        let mut best: Option<(f64, (usize, usize), Anchor)> = None;
        for (a, f) in &self.entries {
            let Some(score) = similarity(f, fp) else { continue };
            let d = distance(a);
            if score >= THRESHOLD
                && best.as_ref().is_none_or(|(bs, bd, _)| score > *bs || (score == *bs && d < *bd))
            {
                best = Some((score, d, *a));
            }
        }
        match best {
            Some((_, _, a)) => Placement::Fuzzy(with_offset(doc, a, old.offset)),
            None => Placement::Orphaned,
        }
    }
}

/// Similarity (0..1) of two fingerprints, or `None` when the lengths alone rule it out.
/// Head and tail are compared separately so that an edit near one end leaves the other
/// intact, and an edit in the middle of a long paragraph touches neither.
fn similarity(a: &Fingerprint, b: &Fingerprint) -> Option<f64> {
    let (lo, hi) = (a.chars.min(b.chars), a.chars.max(b.chars));
    if hi == 0 || (hi - lo) * 4 > hi {
        return None;
    }
    let head = strsim::normalized_levenshtein(&a.head, &b.head);
    let tail = strsim::normalized_levenshtein(&a.tail, &b.tail);
    Some((head + tail) / 2.0)
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

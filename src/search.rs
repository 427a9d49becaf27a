//! Search over the document tree (beside stage 4, feeding the reader): literal,
//! case-insensitive for scripts with case, over each block's joined `text`, so a match may
//! span the join of two hard-wrapped source lines and may sit anywhere inside unspaced
//! Chinese. Pure: no terminal.

use std::ops::Range;

use crate::doc::{Document, Item};

/// One match: a byte range in the `text` of block `block` of body item `item`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub item: usize,
    pub block: usize,
    pub range: Range<usize>,
}

/// Fold a string for comparison; returns the folded text and, for every folded byte, the
/// byte offset in `s` of the char it came from (plus one entry for the end).
fn fold(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    for (i, c) in s.char_indices() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            map.push(i);
            continue;
        }
        let mut lower = c.to_lowercase();
        // Only one-to-one foldings keep offsets exact; the rest stay as written.
        let folded = match (lower.next(), lower.next()) {
            (Some(l), None) => l,
            _ => c,
        };
        let before = out.len();
        out.push(folded);
        map.extend(std::iter::repeat_n(i, out.len() - before));
    }
    map.push(s.len());
    (out, map)
}

/// What to look for, and how to compare. Most queries (Chinese, digits, ASCII words)
/// need no Unicode folding, and are matched by `memmem` over the text itself or over an
/// ASCII-lowercased copy of it (same byte offsets), at gigabytes per second.
pub struct Needle {
    folded: String,
    finder: memchr::memmem::Finder<'static>,
    mode: Mode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Nothing in the query has case: compare bytes.
    Exact,
    /// Only ASCII letters have case: lowercase the text's ASCII bytes.
    Ascii,
    /// Letters with case beyond ASCII: fold the text char by char.
    Unicode,
}

impl Needle {
    /// `None` for an empty query.
    pub fn new(query: &str) -> Option<Needle> {
        if query.is_empty() {
            return None;
        }
        let folded = fold(query).0;
        let cased = |c: char| c.is_lowercase() || c.is_uppercase();
        let mode = if query.chars().any(|c| !c.is_ascii() && cased(c)) {
            Mode::Unicode
        } else if query.bytes().any(|b| b.is_ascii_alphabetic()) {
            Mode::Ascii
        } else {
            Mode::Exact
        };
        let finder = memchr::memmem::Finder::new(folded.as_bytes()).into_owned();
        Some(Needle { folded, finder, mode })
    }

    /// Relative cost of searching one byte of text, for work budgets.
    fn cost(&self) -> usize {
        if self.mode == Mode::Unicode { 16 } else { 1 }
    }

    /// Every match in `text`, as byte ranges of `text`. `buf` is scratch space kept
    /// between calls.
    fn find(&self, text: &str, buf: &mut Vec<u8>, hit: impl FnMut(Range<usize>)) {
        let n = self.folded.len();
        match self.mode {
            Mode::Exact => self.finder.find_iter(text.as_bytes()).map(|s| s..s + n).for_each(hit),
            Mode::Ascii => {
                buf.clear();
                buf.extend_from_slice(text.as_bytes());
                // Vectorised, unlike a byte-by-byte map.
                buf.make_ascii_lowercase();
                self.finder.find_iter(buf).map(|s| s..s + n).for_each(hit)
            }
            Mode::Unicode => find_in(text, &self.folded, &self.finder, hit),
        }
    }
}

/// A search over the whole document done a slice at a time, so that a count over a huge
/// document never holds up the keyboard. It starts at the item the reader is at, runs to
/// the end, then wraps to the top and stops where it began.
pub struct Scan {
    needle: Needle,
    start: usize,
    next: usize,
    wrapped: bool,
    /// Index in the found list where the scan wrapped to the top.
    pub wrap_at: Option<usize>,
    buf: Vec<u8>,
}

impl Scan {
    /// `None` for an empty query.
    pub fn new(query: &str, start_item: usize) -> Option<Scan> {
        let needle = Needle::new(query)?;
        Some(Scan {
            needle,
            start: start_item,
            next: start_item,
            wrapped: false,
            wrap_at: None,
            buf: Vec::new(),
        })
    }

    /// Search items until about `budget` bytes of text were compared, appending matches
    /// to `out` in scan order. True when the whole document has been searched.
    pub fn step(&mut self, doc: &Document, budget: usize, out: &mut Vec<Match>) -> bool {
        let len = doc.items.len();
        self.start = self.start.min(len);
        let mut spent = 0;
        loop {
            let end = if self.wrapped { self.start } else { len };
            if self.next >= end {
                if self.wrapped || self.start == 0 {
                    return true;
                }
                self.wrapped = true;
                self.wrap_at = Some(out.len());
                self.next = 0;
                continue;
            }
            if spent >= budget {
                return false;
            }
            let item = self.next;
            self.next += 1;
            if matches!(doc.items[item], Item::Heading(_)) {
                continue;
            }
            for (block, b) in doc.item_blocks(item).iter().enumerate() {
                spent += b.text.len() * self.needle.cost() + 64;
                self.needle
                    .find(b.text, &mut self.buf, |range| out.push(Match { item, block, range }));
            }
        }
    }
}

/// Every match of `query` in the document's blocks, in document order. Empty for an empty
/// query.
pub fn find_all(doc: &Document, query: &str) -> Vec<Match> {
    let mut out = Vec::new();
    if let Some(mut scan) = Scan::new(query, 0) {
        scan.step(doc, usize::MAX, &mut out);
    }
    out
}

fn find_in(
    text: &str,
    needle: &str,
    finder: &memchr::memmem::Finder<'_>,
    mut hit: impl FnMut(Range<usize>),
) {
    if text.is_ascii() {
        // Fast path: ASCII folds byte for byte, offsets are unchanged.
        let lower = text.to_ascii_lowercase();
        for start in finder.find_iter(lower.as_bytes()) {
            hit(start..start + needle.len());
        }
        return;
    }
    let (folded, map) = fold(text);
    let mut from = 0;
    while let Some(pos) = finder.find(&folded.as_bytes()[from..]) {
        let start = from + pos;
        let end = start + needle.len();
        let (s, e) = (map[start], map[end]);
        // A fold that changed byte length can leave `end` mid-char in the source; `map`
        // points at the char start, which is always a boundary.
        if s < e {
            hit(s..e);
        }
        // Non-overlapping, advancing by at least one whole char.
        from = end.max(start + 1);
        while from < folded.len() && !folded.is_char_boundary(from) {
            from += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(text: &str, q: &str) -> Vec<Range<usize>> {
        let needle = Needle::new(q).unwrap();
        let mut v = Vec::new();
        needle.find(text, &mut Vec::new(), |r| v.push(r));
        v
    }

    #[test]
    fn latin_is_case_insensitive() {
        assert_eq!(hits("Mobile first, MOBILE last", "mobile"), vec![0..6, 14..20]);
    }

    #[test]
    fn finds_inside_unspaced_chinese() {
        let t = "我们正在达到逃逸速度了";
        let r = hits(t, "逃逸速度");
        assert_eq!(r.len(), 1);
        assert_eq!(&t[r[0].clone()], "逃逸速度");
    }

    #[test]
    fn mixed_text_offsets_point_into_source() {
        let t = "云优先 Cloud First 与 ÉCOLE";
        let r = hits(t, "école");
        assert_eq!(&t[r[0].clone()], "ÉCOLE");
        let r = hits(t, "cloud first");
        assert_eq!(&t[r[0].clone()], "Cloud First");
    }
}

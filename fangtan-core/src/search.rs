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
            Mode::Unicode => find_in(text, &self.folded, &self.finder, buf, hit),
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

/// Unicode-folded text is searched this many bytes at a time: a 10 MB paragraph folded
/// whole would take a 10 MB copy and an offset per byte (80 MB) on every key typed.
const WINDOW: usize = 1 << 20;

fn find_in(
    text: &str,
    needle: &str,
    finder: &memchr::memmem::Finder<'_>,
    buf: &mut Vec<u8>,
    hit: impl FnMut(Range<usize>),
) {
    if text.is_ascii() {
        // ASCII folds byte for byte, offsets unchanged: the Ascii mode's way.
        buf.clear();
        buf.extend_from_slice(text.as_bytes());
        buf.make_ascii_lowercase();
        finder.find_iter(buf).map(|s| s..s + needle.len()).for_each(hit);
        return;
    }
    find_in_windows(text, needle, finder, WINDOW, hit);
}

/// [`find_in`] a window of about `window` bytes at a time. Each window reaches on far
/// enough for any match that starts in it (a char folds to one char of at most four
/// bytes); matches do not overlap, as in one pass.
fn find_in_windows(
    text: &str,
    needle: &str,
    finder: &memchr::memmem::Finder<'_>,
    window: usize,
    mut hit: impl FnMut(Range<usize>),
) {
    let boundary = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let reach = 4 * needle.chars().count();
    let (mut at, mut last_end) = (0, 0);
    while at < text.len() {
        let end = boundary((at + window.max(1)).min(text.len()));
        let stop = boundary((end + reach).min(text.len()));
        let (folded, map) = fold(&text[at..stop]);
        let mut from = 0;
        while let Some(pos) = finder.find(&folded.as_bytes()[from..]) {
            let start = from + pos;
            let stop_at = start + needle.len();
            let (s, e) = (at + map[start], at + map[stop_at]);
            if s >= end {
                break;
            }
            // A fold that changed byte length can leave the end mid-char in the source;
            // `map` points at the char start, which is always a boundary.
            if s < e && s >= last_end {
                hit(s..e);
                last_end = e;
                // Non-overlapping, advancing by at least one whole char.
                from = stop_at.max(start + 1);
            } else {
                // Inside the match the window before found: one char on.
                from = start + 1;
            }
            while from < folded.len() && !folded.is_char_boundary(from) {
                from += 1;
            }
        }
        at = end;
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

    #[test]
    fn unicode_folding_in_windows_finds_what_one_pass_finds() {
        // Matches straddle every window edge; some letters change byte length when folded
        // (the Kelvin sign is three bytes, its `k` one).
        let t = "Éric ÉCOLE école \u{212A}ELVIN kelvin 云 Ωμέγα ΩΜΈΓΑ ".repeat(50);
        let t = format!("{t}éééé ÉéÉéÉ");
        for q in ["école", "\u{212A}elvin", "ωμέγα", "ric é", "éé"] {
            let needle = Needle::new(q).unwrap();
            let whole = {
                let mut v = Vec::new();
                find_in_windows(&t, &needle.folded, &needle.finder, usize::MAX / 2, |r| v.push(r));
                v
            };
            assert!(!whole.is_empty(), "{q}");
            for window in [1, 2, 3, 5, 7, 13, 64, 1000] {
                let mut v = Vec::new();
                find_in_windows(&t, &needle.folded, &needle.finder, window, |r| v.push(r));
                assert_eq!(v, whole, "{q} in windows of {window}");
            }
        }
    }
}

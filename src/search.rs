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

fn fold_query(q: &str) -> String {
    fold(q).0
}

/// Every match of `query` in the document's blocks, in document order. Empty for an empty
/// query.
pub fn find_all(doc: &Document, query: &str) -> Vec<Match> {
    let mut out = Vec::new();
    if query.is_empty() {
        return out;
    }
    let needle = fold_query(query);
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    for (item, it) in doc.items.iter().enumerate() {
        if matches!(it, Item::Heading(_)) {
            continue;
        }
        for (block, b) in doc.item_blocks(item).iter().enumerate() {
            find_in(&b.text, &needle, &finder, |range| out.push(Match { item, block, range }));
        }
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
        let needle = fold_query(q);
        let f = memchr::memmem::Finder::new(needle.as_bytes());
        let mut v = Vec::new();
        find_in(text, &needle, &f, |r| v.push(r));
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

//! Stage 3 (layout), part 2: the width of a run of text at a column.
//!
//! The hot path of layout. Most characters in a transcript (ASCII, Han, kana, Hangul
//! syllables, CJK and general punctuation) are whole grapheme clusters on their own whenever
//! their neighbour is one of them too, so those are measured a code point at a time; only
//! text around marks, joiners, emoji and the like goes through UAX #29 segmentation.

use unicode_segmentation::UnicodeSegmentation;

use crate::width::{AmbiguousWidth, TAB_STOP, char_width, grapheme_width};

/// Between two of these there is always a grapheme cluster boundary (none is Extend, ZWJ,
/// SpacingMark, Prepend, a Hangul jamo, a regional indicator or CR).
#[inline]
pub(crate) fn is_simple(c: char) -> bool {
    let u = c as u32;
    matches!(u,
        0x09 | 0x0A | 0x20..=0x7E | 0xA0..=0x2FF
        | 0x2010..=0x2027 | 0x2030..=0x205E
        | 0x3000..=0x3029 | 0x3030..=0x303F | 0x3041..=0x3096 | 0x309B..=0x30FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7A3
        | 0xFF01..=0xFF9D | 0xFFE0..=0xFFEE)
}

/// Cells a tab at column `col` advances.
#[inline]
pub(crate) fn tab_width(col: usize) -> usize {
    TAB_STOP - col % TAB_STOP
}

/// Width of one grapheme cluster drawn at column `col` (tabs expand to the next stop).
#[inline]
pub(crate) fn cluster_width_at(g: &str, col: usize, amb: AmbiguousWidth) -> usize {
    if g == "\t" { tab_width(col) } else { grapheme_width(g, amb) }
}

/// Width of `s` drawn starting at column `col`.
pub(crate) fn width_at(s: &str, col: usize, amb: AmbiguousWidth) -> usize {
    let bytes = s.as_bytes();
    if bytes.iter().all(|&b| (0x20..0x7f).contains(&b)) {
        return s.len();
    }
    // a lone code point is always one cluster: the usual case for a Han segment
    let mut it = s.chars();
    if let (Some(c), None) = (it.next(), it.next()) {
        return if c == '\t' { tab_width(col) } else { char_width(c, amb) };
    }
    let mut w = 0;
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next_simple = chars.peek().is_none_or(|&(_, n)| is_simple(n));
        if !(is_simple(c) && next_simple) {
            return w + width_by_clusters(&s[i..], col + w, amb);
        }
        w += if c == '\t' { tab_width(col + w) } else { char_width(c, amb) };
    }
    w
}

/// Grapheme clusters of a string with their byte offsets, a code point at a time where
/// [`is_simple`] allows.
pub(crate) struct Clusters<'s> {
    s: &'s str,
    pos: usize,
}

impl<'s> Clusters<'s> {
    pub(crate) fn new(s: &'s str) -> Self {
        Clusters { s, pos: 0 }
    }
}

impl<'s> Iterator for Clusters<'s> {
    type Item = (usize, &'s str);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = &self.s[self.pos..];
        let mut chars = rest.chars();
        let c = chars.next()?;
        let len = if is_simple(c) && chars.next().is_none_or(is_simple) {
            c.len_utf8()
        } else {
            rest.graphemes(true).next().map_or(c.len_utf8(), str::len)
        };
        let at = self.pos;
        self.pos += len;
        Some((at, &rest[..len]))
    }
}

fn width_by_clusters(s: &str, col: usize, amb: AmbiguousWidth) -> usize {
    s.graphemes(true).fold(0, |w, g| w + cluster_width_at(g, col + w, amb))
}

#[cfg(test)]
mod tests {
    use super::*;
    use AmbiguousWidth::Narrow;

    #[test]
    fn fast_path_agrees_with_clusters() {
        for s in [
            "abc 你好，世界。",
            "e\u{301}cole",
            "a👨\u{200d}👩\u{200d}👧b",
            "한국어 text",
            "x\u{1100}\u{1161}y",
            "\u{3099}か\u{3099}",
            "🇨🇳🇯🇵",
            "“引用”·…",
        ] {
            assert_eq!(width_at(s, 0, Narrow), width_by_clusters(s, 0, Narrow), "{s}");
        }
    }

    #[test]
    fn clusters_agree_with_uax29() {
        for s in ["abc 你好", "e\u{301}x", "👨\u{200d}👩\u{200d}👧a", "🇨🇳🇯🇵", "한\u{11A8}", "\r\nz"]
        {
            let ours: Vec<_> = Clusters::new(s).collect();
            let theirs: Vec<_> = s.grapheme_indices(true).collect();
            assert_eq!(ours, theirs, "{s:?}");
        }
    }

    #[test]
    fn tabs_expand_by_column() {
        assert_eq!(width_at("\t", 0, Narrow), 4);
        assert_eq!(width_at("\t", 1, Narrow), 3);
        assert_eq!(width_at("ab\tc", 0, Narrow), 5);
        assert_eq!(width_at("你\t", 0, Narrow), 4);
    }
}

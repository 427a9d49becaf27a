//! Display width, shared by every stage that measures text (layout, ui, note editor).
//!
//! Width is measured per extended grapheme cluster (UAX #29) with UAX #11 widths from
//! `unicode-width` (the same version ratatui uses). Never use `.len()` or
//! `.chars().count()` as a width anywhere in the program.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthChar;

/// How East Asian Ambiguous characters (“ ” ‘ ’ · — … ①) are counted.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum AmbiguousWidth {
    #[default]
    Narrow,
    Wide,
}

/// Cells a tab advances to: the next multiple of this, counted from the start of the row.
pub const TAB_STOP: usize = 4;

const VS15: char = '\u{FE0E}';
const VS16: char = '\u{FE0F}';

/// Width of one code point taken on its own (no cluster context). Controls, format
/// characters and combining marks are 0.
#[inline]
pub(crate) fn char_width(c: char, amb: AmbiguousWidth) -> usize {
    let u = c as u32;
    if (0x20..0x7f).contains(&u) {
        return 1;
    }
    if (0x4E00..=0x9FFF).contains(&u) {
        return 2;
    }
    // unicode-width counts the soft hyphen as 1 (a terminal convention), but it is an
    // invisible format character that only shows at a hyphenation point we never make.
    if c == '\u{AD}' {
        return 0;
    }
    // A regional indicator on its own is drawn as a letter box two cells wide by every
    // terminal that draws it at all; a pair (a flag) is one cluster of width 2.
    if (0x1F1E6..=0x1F1FF).contains(&u) {
        return 2;
    }
    let w = match amb {
        AmbiguousWidth::Narrow => c.width(),
        AmbiguousWidth::Wide => c.width_cjk(),
    };
    w.unwrap_or(0)
}

/// Width in cells of one extended grapheme cluster (a tab counts as 1 here; layout expands
/// it by column).
pub fn grapheme_width(g: &str, amb: AmbiguousWidth) -> usize {
    let mut chars = g.chars();
    let Some(base) = chars.next() else {
        return 0;
    };
    if base == '\t' {
        return 1;
    }
    let rest = chars.as_str();
    if rest.is_empty() {
        return char_width(base, amb);
    }
    // Variation selectors pick the presentation: text (base width) or emoji (2 cells).
    if rest.contains(VS15) {
        return char_width(base, amb);
    }
    // Emoji presentation widens only a character that has one: not a space.
    if rest.contains(VS16) {
        return if base.is_whitespace() { char_width(base, amb) } else { 2 };
    }
    let w = char_width(base, amb);
    if w > 0 {
        return w;
    }
    // A cluster led by a lone mark or joiner: as wide as its widest part.
    rest.chars().map(|c| char_width(c, amb)).max().unwrap_or(0)
}

/// Width in cells of a string, summed over its grapheme clusters.
pub fn str_width(s: &str, amb: AmbiguousWidth) -> usize {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return s.len();
    }
    s.graphemes(true).map(|g| grapheme_width(g, amb)).sum()
}

/// The leading graphemes of `text` that fit in `width` cells, with `…` when cut. Reads
/// only as far as it needs (first words of a long paragraph).
pub fn truncate(text: &str, width: usize, amb: AmbiguousWidth) -> String {
    let ell = str_width("…", amb);
    let mut w = 0;
    // End of the longest prefix that still leaves room for the ellipsis.
    let mut cut = 0;
    for (i, g) in text.grapheme_indices(true) {
        let gw = grapheme_width(g, amb);
        if w + gw > width {
            let mut out = text[..cut].to_string();
            if ell <= width {
                out.push('…');
            }
            return out;
        }
        w += gw;
        if w + ell <= width {
            cut = i + g.len();
        }
    }
    text.to_string()
}

/// The first `cells` cells' worth of a text, on one line (each run of whitespace, such as a
/// code block's line breaks, one space), with `…` when cut.
pub fn first_words(text: &str, cells: usize, amb: AmbiguousWidth) -> String {
    let mut flat = String::new();
    for word in text.split_whitespace() {
        if !flat.is_empty() {
            flat.push(' ');
        }
        // A preview of a 10 MB paragraph copies only what can show: a grapheme is at least
        // one cell wide (but for a lone mark), so `cells + 1` of them overflow it.
        let end = word.grapheme_indices(true).nth(cells + 1).map_or(word.len(), |(i, _)| i);
        flat.push_str(&word[..end]);
        if str_width(&flat, amb) > cells {
            break;
        }
    }
    truncate(&flat, cells, amb)
}

#[cfg(test)]
mod tests {
    use super::*;
    use AmbiguousWidth::{Narrow, Wide};

    #[test]
    fn latin_han_and_fullwidth() {
        assert_eq!(str_width("hello", Narrow), 5);
        assert_eq!(str_width("你好", Narrow), 4);
        assert_eq!(str_width("，。", Narrow), 4);
        assert_eq!(str_width("Ａ1", Narrow), 3);
    }

    #[test]
    fn ambiguous_setting() {
        for s in ["“", "”", "‘", "’", "·", "—", "…", "①"] {
            assert_eq!(str_width(s, Narrow), 1, "{s}");
            assert_eq!(str_width(s, Wide), 2, "{s}");
        }
    }

    #[test]
    fn clusters() {
        assert_eq!(str_width("e\u{301}", Narrow), 1);
        assert_eq!(str_width("👨\u{200d}👩\u{200d}👧", Narrow), 2);
        assert_eq!(str_width("❤\u{fe0f}", Narrow), 2);
        assert_eq!(str_width("👍🏽", Narrow), 2);
        assert_eq!(str_width("🇨🇳", Narrow), 2);
        assert_eq!(str_width("\u{200b}", Narrow), 0);
        assert_eq!(str_width("한국", Narrow), 4);
    }

    #[test]
    fn a_preview_cuts_between_graphemes_and_counts_their_cells() {
        // A coder emoji is one cluster of two cells, not two emoji and a joiner.
        assert_eq!(first_words("👩‍💻 写代码", 20, Narrow), "👩‍💻 写代码");
        assert_eq!(first_words("👩‍💻👩‍💻👩‍💻", 5, Narrow), "👩‍💻👩‍💻…");
        // An accent written as a combining mark stays on its letter.
        assert_eq!(first_words("cafe\u{301}s", 5, Narrow), "cafe\u{301}s");
        assert_eq!(first_words("cafe\u{301}s", 4, Narrow), "caf…");
        // A text that fits exactly is whole; one cell more is cut with room for `…`.
        assert_eq!(first_words("你好世界", 8, Narrow), "你好世界");
        assert_eq!(first_words("你好世界啊", 8, Narrow), "你好世…");
    }

    #[test]
    fn a_preview_is_one_line() {
        assert_eq!(
            first_words("fn main() {\n    let x = 1;\n}", 40, Narrow),
            "fn main() { let x = 1; }"
        );
        assert_eq!(first_words("  indented\tand\r\nbroken  ", 40, Narrow), "indented and broken");
    }

    #[test]
    fn a_preview_of_a_huge_paragraph_reads_only_its_start() {
        let huge = "长".repeat(5_000_000);
        assert_eq!(first_words(&huge, 10, Narrow), "长长长长…");
    }
}

//! Stage 3 (layout), part 1: where a row may end.
//!
//! UAX #14 opportunities come from ICU4X's `LineSegmenter` (CSS `line-break: normal`), then
//! the W3C clreq "basic" prohibitions are applied on top: ICU alone lets a row start with a
//! Chinese comma after a Latin word, or end with an opening book-title mark.

use icu_segmenter::LineSegmenter;
use icu_segmenter::options::{LineBreakOptions, LineBreakStrictness, LineBreakWordOption};

/// A place where a row may end: the next row starts at `pos` (after any whitespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Break {
    pub pos: usize,
    /// A hard line break (LF, CR, LS, PS, …) precedes `pos`: the row must end here.
    pub mandatory: bool,
}

/// Marks that never start a row: pauses and stops, closing quotes and brackets, connectors,
/// interpuncts and solidi (clreq "basic"). A single em dash is handled by the caller.
pub(crate) fn never_starts_row(c: char) -> bool {
    matches!(
        c,
        '、' | '，'
            | '。'
            | '．'
            | '：'
            | '；'
            | '！'
            | '？'
            | ','
            | '.'
            | ':'
            | ';'
            | '!'
            | '?'
            | '｡'
            | '､'
            | '”'
            | '’'
            | '」'
            | '』'
            | '〞'
            | '〟'
            | '）'
            | '］'
            | '｝'
            | '】'
            | '〕'
            | '〗'
            | '〙'
            | '〛'
            | '》'
            | '〉'
            | '｠'
            | '｣'
            | ')'
            | ']'
            | '}'
            | '～'
            | '–'
            | '·'
            | '・'
            | '‧'
            | '/'
            | '／'
    )
}

/// Marks that never end a row: opening quotes, brackets and book-title marks.
pub(crate) fn never_ends_row(c: char) -> bool {
    matches!(
        c,
        '“' | '‘'
            | '「'
            | '『'
            | '〝'
            | '（'
            | '［'
            | '｛'
            | '【'
            | '〔'
            | '〖'
            | '〘'
            | '〚'
            | '《'
            | '〈'
            | '｟'
            | '｢'
            | '('
            | '['
            | '{'
    )
}

pub(crate) fn is_ws(c: char) -> bool {
    c.is_whitespace()
}

/// `s` without trailing whitespace; most segments end in a letter or a Han character, so
/// that case is decided from the last code point alone.
#[inline]
pub(crate) fn trim_ws_end(s: &str) -> &str {
    match s.as_bytes().last() {
        None => s,
        Some(&b) if b < 0x80 => {
            if b.is_ascii_whitespace() || b == 0x0B {
                s.trim_end_matches(is_ws)
            } else {
                s
            }
        }
        Some(_) => match s.chars().next_back() {
            Some(c) if !is_ws(c) => s,
            _ => s.trim_end_matches(is_ws),
        },
    }
}

fn is_hard_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Would a row starting at byte `i` begin with a forbidden mark? Returns the mark.
pub(crate) fn bad_start(text: &str, i: usize) -> Option<char> {
    let rest = text.get(i..)?;
    let mut it = rest.chars();
    let c = it.next()?;
    if c == '—' {
        // a doubled dash (破折号) is one unit and may start a row; a single one connects
        return (it.next() != Some('—')).then_some(c);
    }
    never_starts_row(c).then_some(c)
}

/// Would a row ending just before byte `i` (trailing whitespace dropped) end with a forbidden
/// mark? Returns the mark.
pub(crate) fn bad_end(text: &str, i: usize) -> Option<char> {
    let c = trim_ws_end(text.get(..i)?).chars().next_back()?;
    never_ends_row(c).then_some(c)
}

/// Allowed row ends inside `text` (0 < pos < len), in order.
pub(crate) fn opportunities(text: &str) -> impl Iterator<Item = Break> + '_ {
    let mut options = LineBreakOptions::default();
    options.strictness = Some(LineBreakStrictness::Normal);
    options.word_option = Some(LineBreakWordOption::Normal);
    let segmenter = LineSegmenter::new_for_non_complex_scripts(options);
    let len = text.len();
    segmenter.segment_str(text).filter(move |&p| p > 0 && p < len).filter_map(move |pos| {
        let before = text[..pos].chars().next_back()?;
        // Never inside a character sequence: before a variation selector, a combining mark
        // or a joiner (a row would end with half a cluster).
        if text[pos..].starts_with(|c: char| {
            matches!(c as u32, 0x0300..=0x036F | 0x200D | 0x20D0..=0x20FF | 0xFE00..=0xFE0F
                | 0xE0100..=0xE01EF | 0x1F3FB..=0x1F3FF)
        }) {
            return None;
        }
        if is_hard_break(before) {
            return Some(Break { pos, mandatory: true });
        }
        let ends_badly =
            if is_ws(before) { bad_end(text, pos).is_some() } else { never_ends_row(before) };
        if ends_badly || bad_start(text, pos).is_some() {
            return None;
        }
        Some(Break { pos, mandatory: false })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_may_start(text: &str) -> Vec<&str> {
        opportunities(text).map(|b| &text[b.pos..]).collect()
    }

    #[test]
    fn any_two_han_may_break() {
        assert_eq!(rows_may_start("你好吗"), vec!["好吗", "吗"]);
    }

    #[test]
    fn closing_marks_stay_with_what_they_close() {
        let t = "他说：“好。”（笑）";
        for s in rows_may_start(t) {
            let c = s.chars().next().unwrap();
            assert!(!"：”。）".contains(c), "row may start with {c}: {s}");
        }
        // no row may end with an opening mark
        for b in opportunities(t) {
            assert!(bad_end(t, b.pos).is_none());
        }
    }

    #[test]
    fn doubled_dash_and_ellipsis_never_split() {
        let t = "他说——然后……好";
        for b in opportunities(t) {
            let (l, r) = t.split_at(b.pos);
            assert!(!(l.ends_with('—') && r.starts_with('—')), "{l}|{r}");
            assert!(!(l.ends_with('…') && r.starts_with('…')), "{l}|{r}");
        }
    }

    #[test]
    fn hard_breaks_are_mandatory() {
        let b: Vec<_> = opportunities("a\nb").collect();
        assert_eq!(b, vec![Break { pos: 2, mandatory: true }]);
    }
}

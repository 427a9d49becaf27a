//! Joining hard-wrapped source lines, as a browser does (CSS Text Level 3 segment-break
//! transformation), extended as typesetters of Chinese expect: the break disappears between
//! two East Asian Wide/Fullwidth/Halfwidth characters (Hangul excluded, since Korean
//! separates words with spaces), and also where one side is such a character and the other
//! an ambiguous-width punctuation mark (“ ” ‘ ’ … — ·), and after an ASCII `,` `?` `!` `;`
//! before such a character (speech-to-text writes Chinese with ASCII punctuation at line
//! ends: `Transformer,` + `然后` reads `Transformer,然后`; the mark itself is the author's
//! and is kept). Otherwise it becomes one space.

use unicode_width::UnicodeWidthChar;

/// East Asian Wide, Fullwidth or Halfwidth, and not Hangul.
pub fn is_east_asian(c: char) -> bool {
    if is_hangul(c) {
        return false;
    }
    // Halfwidth forms (EAW=H): halfwidth katakana and halfwidth symbol variants.
    if ('\u{FF61}'..='\u{FFDC}').contains(&c) || ('\u{FFE8}'..='\u{FFEE}').contains(&c) {
        return true;
    }
    // unicode-width gives 2 exactly for EAW W and F (and emoji presentation, which we
    // exclude: an emoji is not a CJK character for joining purposes).
    c.width() == Some(2) && !is_emoji_like(c)
}

fn is_emoji_like(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF)
}

fn is_hangul(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7AF | 0xD7B0..=0xD7FF)
}

/// An East Asian Ambiguous punctuation or symbol mark (“ ” ‘ ’ … — · §…): narrow in Latin
/// contexts, wide in CJK fonts.
pub fn is_ambiguous_punct(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace() && c.width() == Some(1) && c.width_cjk() == Some(2)
}

/// The separator a hard line break between `before` (last char of one line) and `after`
/// (first char of the next) turns into: `""` or `" "`.
pub fn separator(before: char, after: char) -> &'static str {
    if before == '\u{200B}' || after == '\u{200B}' {
        return "";
    }
    let (a, b) = (is_east_asian(before), is_east_asian(after));
    let ascii_pause = matches!(before, ',' | '?' | '!' | ';');
    if (a && (b || is_ambiguous_punct(after))) || (b && (is_ambiguous_punct(before) || ascii_pause))
    {
        ""
    } else {
        " "
    }
}

#[cfg(test)]
mod tests {
    use super::separator;

    #[test]
    fn cjk_pairs_join_without_space() {
        assert_eq!(separator('么', '你'), "");
        assert_eq!(separator('？', '你'), "");
        assert_eq!(separator('优', '”'), "");
        assert_eq!(separator('“', '移'), "");
    }

    #[test]
    fn ascii_pauses_of_speech_to_text_join_chinese_without_space() {
        assert_eq!(separator(',', '然'), "");
        assert_eq!(separator('?', '我'), "");
        assert_eq!(separator('!', '对'), "");
        assert_eq!(separator(',', 'a'), " ");
        assert_eq!(separator('.', '然'), " ");
    }

    #[test]
    fn latin_and_mixed_get_a_space() {
        assert_eq!(separator('a', 'N'), " ");
        assert_eq!(separator('2', '年'), " ");
        assert_eq!(separator('的', 'o'), " ");
        assert_eq!(separator('다', '나'), " ");
    }
}

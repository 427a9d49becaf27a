//! HTML character references (`&amp;`, `&eacute;`, `&#39;`, `&#x4E2D;`), decoded for every
//! parser that reads them (stage 2): Markdown inline text, plain text, WebVTT cue text,
//! speaker names, titles and metadata.
//!
//! Named references are looked up in the full WHATWG table (the `htmlize` crate); numeric
//! ones follow the HTML rules (`&#0;`, surrogates and code points past U+10FFFF become
//! U+FFFD, C1 numbers the Windows-1252 characters). Only references closed by `;` count
//! (CommonMark's rule), so `AT&T` and `R&D` stay as written.
//!
//! Invariant: nothing decoded can reach the display as a control character. Every decoded
//! character goes through [`crate::source::safe_char`], the sanitizing `source` applies to
//! literal text; a named directional mark (`&lrm;`, `&rlm;`) and a decoded line break are
//! dropped. A reference is recognised by looking at most [`MAX_LEN`] bytes ahead, so
//! decoding is linear in the text whatever it holds.

use std::borrow::Cow;

/// The longest reference looked for, `&` and `;` included: the longest name in the table
/// (`&CounterClockwiseContourIntegral;`, 33 bytes), and `&#` + 7 digits or `&#x` + 6 hex
/// digits (CommonMark's limits).
pub const MAX_LEN: usize = 33;

/// A decoded reference: up to two characters (some names stand for two code points).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoded {
    chars: [char; 2],
    n: u8,
}

impl Decoded {
    fn push(&mut self, c: char) {
        if let Some(slot) = self.chars.get_mut(usize::from(self.n)) {
            *slot = c;
            self.n += 1;
        }
    }

    /// The characters, already made safe to show (maybe none).
    pub fn chars(&self) -> &[char] {
        &self.chars[..usize::from(self.n)]
    }

    /// Append the characters to `out`.
    pub fn push_to(&self, out: &mut String) {
        out.extend(self.chars());
    }

    /// The characters as UTF-8 in `buf`.
    pub fn as_str<'b>(&self, buf: &'b mut [u8; 8]) -> &'b str {
        let mut len = 0;
        for &c in self.chars() {
            len += c.encode_utf8(&mut buf[len..]).len();
        }
        std::str::from_utf8(&buf[..len]).unwrap_or("")
    }
}

/// The reference at the start of `s` (which must start with `&`): what it decodes to and
/// how many bytes it takes. `None` when there is none (the `&` is literal).
pub fn at(s: &str) -> Option<(Decoded, usize)> {
    let b = s.as_bytes();
    if b.first() != Some(&b'&') {
        return None;
    }
    let window = &b[..b.len().min(MAX_LEN)];
    let semi = memchr::memchr(b';', window)?;
    let body = &s[1..semi];
    let raw = &s[..=semi];
    let mut d = Decoded { chars: ['\0'; 2], n: 0 };
    let decoded: Cow<'_, str> = match body.strip_prefix('#') {
        Some(num) => {
            let (digits, radix_ok) = match num.strip_prefix(['x', 'X']) {
                Some(hex) => (hex, hex.len() <= 6 && hex.bytes().all(|c| c.is_ascii_hexdigit())),
                None => (num, num.len() <= 7 && num.bytes().all(|c| c.is_ascii_digit())),
            };
            if digits.is_empty() || !radix_ok {
                return None;
            }
            htmlize::unescape(raw)
        }
        None => {
            let value = htmlize::ENTITIES.get(raw.as_bytes())?;
            if matches!(body, "lrm" | "rlm") {
                return Some((d, raw.len()));
            }
            Cow::Owned(String::from_utf8_lossy(value).into_owned())
        }
    };
    if decoded == raw {
        return None;
    }
    for c in decoded.chars() {
        if c != '\n' && c != '\r' {
            d.push(crate::source::safe_char(c));
        }
    }
    Some((d, raw.len()))
}

/// `s` with every reference decoded; borrowed when it holds none.
pub fn decode(s: &str) -> Cow<'_, str> {
    let Some(first) = memchr::memchr(b'&', s.as_bytes()) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut i = first;
    while i < s.len() {
        let Some(p) = memchr::memchr(b'&', &s.as_bytes()[i..]) else { break };
        let amp = i + p;
        match at(&s[amp..]) {
            Some((d, len)) => {
                out.push_str(&s[copied..amp]);
                d.push_to(&mut out);
                copied = amp + len;
                i = copied;
            }
            None => i = amp + 1,
        }
    }
    if copied == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{at, decode};

    fn one(s: &str) -> Option<(String, usize)> {
        at(s).map(|(d, n)| (d.chars().iter().collect(), n))
    }

    #[test]
    fn named_and_numeric_references() {
        assert_eq!(
            decode("Jos&eacute; &amp; Ana&#39;s &#x4E2D;&#25991; a&nbsp;b"),
            "José & Ana's 中文 a\u{a0}b"
        );
        assert_eq!(decode("&NotEqualTilde;"), "\u{2242}\u{338}");
        assert_eq!(one("&CounterClockwiseContourIntegral;x"), Some(("∳".into(), 33)));
    }

    #[test]
    fn invalid_numbers_become_the_replacement_character() {
        for s in ["&#0;", "&#xD800;", "&#x110000;", "&#xDFFF;"] {
            assert_eq!(decode(s), "\u{fffd}", "{s}");
        }
    }

    #[test]
    fn what_is_no_reference_stays_as_written() {
        for s in [
            "AT&T",
            "R&D;",
            "&bogus;",
            "&amp",
            "&#;",
            "&#x;",
            "&#12345678;",
            "&#x1234567;",
            "&",
            "&;",
            "a & b; c",
        ] {
            assert_eq!(decode(s), s, "{s}");
        }
    }

    #[test]
    fn no_control_character_is_smuggled_in() {
        let out = decode("&#27;[2J&#x202E;&lrm;&#x85;&#127;&#x9B;&NewLine;&#10;&#13;&Tab;");
        assert!(out.chars().all(|c| c == '\t' || crate::source::safe_char(c) == c), "{out:?}");
        assert!(out.starts_with('\u{241b}'), "{out:?}");
        assert!(!out.contains('\n'));
    }
}

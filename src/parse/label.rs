//! Speaker labels at the start of a paragraph, shared by the Markdown and plain-text parsers.
//!
//! Forms: `**Name：**`, `**Name:**`, `**Name**：`, `**Name**:`, an optional timestamp
//! (`**Name (00:12:34):**`, `[00:12:34] **Name:**`, `[00:12:34] Name:`), and plain
//! `Name：` / `Name: ` (which callers accept only for names used as labels at least twice).

use std::ops::Range;

/// A label found at the start of a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The name, as a byte range of the scanned string.
    pub name: Range<usize>,
    pub start_ms: Option<u64>,
    /// Byte offset just past the label (and the spaces after it).
    pub end: usize,
    /// Written in bold (`**Name：**` or `**Name**：`): a label on its own merits.
    pub bold: bool,
}

/// Longest name, in characters (a limit on content, not a display width).
const MAX_NAME_CHARS: usize = 30;

/// Is `name` plausible as a speaker name? Short, on one line, no sentence punctuation.
pub fn valid_name(name: &str) -> bool {
    // A character reference (`Jos&eacute;`) is judged by what it stands for: its `;` is no
    // sentence punctuation.
    let decoded = match name.len() <= 40 * MAX_NAME_CHARS {
        true => super::entity::decode(name),
        false => std::borrow::Cow::Borrowed(name),
    };
    let name = decoded.as_ref();
    if name.is_empty() || name.trim() != name {
        return false;
    }
    let mut n = 0;
    for c in name.chars() {
        n += 1;
        if n > MAX_NAME_CHARS {
            return false;
        }
        if matches!(
            c,
            '，' | '。'
                | '！'
                | '？'
                | '；'
                | ','
                | '?'
                | '!'
                | ';'
                | '*'
                | '\n'
                | '：'
                | ':'
                | '"'
                | '“'
                | '”'
                | '「'
                | '」'
                | '、'
                | '`'
                | '|'
                | '#'
                | '<'
                | '>'
                | '['
                | ']'
        ) {
            return false;
        }
    }
    // "1." or "2024" is a list marker or a number, not a name.
    !name.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ' ')
}

/// `[00:12:34] ` or `(00:12:34) ` style prefix: the time and the offset after it.
fn bracket_time(s: &str, open: char, close: char) -> Option<(u64, usize)> {
    let rest = s.strip_prefix(open)?;
    let end = rest.find(close)?;
    let ms = parse_time(&rest[..end])?;
    Some((ms, open.len_utf8() + end + close.len_utf8()))
}

/// `hh:mm:ss`, `mm:ss`, with optional `.mmm` or `,mmm`, into milliseconds.
pub fn parse_time(s: &str) -> Option<u64> {
    let s = s.trim();
    let (main, frac) = match s.find(['.', ',']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let parts: Vec<&str> = main.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let mut secs: u64 = 0;
    for (i, p) in parts.iter().enumerate() {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: u64 = p.parse().ok()?;
        if i > 0 && v >= 60 {
            return None;
        }
        secs = secs * 60 + v;
    }
    let mut ms = secs * 1000;
    if let Some(f) = frac {
        if f.is_empty() || f.len() > 3 || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let v: u64 = f.parse().ok()?;
        ms += v * 10u64.pow(3 - f.len() as u32);
    }
    Some(ms)
}

/// Past the spaces, tabs and ideographic spaces (U+3000, bytes E3 80 80) at `i`. Runs after
/// every label: bytes compared directly, no char decoding.
fn skip_spaces(s: &str, mut i: usize) -> usize {
    let b = s.as_bytes();
    loop {
        match b.get(i) {
            Some(b' ' | b'\t') => i += 1,
            Some(0xE3) if b[i + 1..].starts_with(&[0x80, 0x80]) => i += 3,
            _ => return i,
        }
    }
}

/// A colon ending a label: `：` anywhere, `:` only before whitespace or the end (so a URL's
/// `https://` is never a label).
fn colon_at(s: &str, i: usize) -> Option<usize> {
    let rest = &s[i..];
    if rest.starts_with('：') {
        return Some(i + '：'.len_utf8());
    }
    let after = rest.strip_prefix(':')?;
    let ends = after.is_empty()
        || after.starts_with([' ', '\t', '\n', '\u{3000}'])
        || after.starts_with("**");
    ends.then_some(i + 1)
}

/// Split a trailing `(00:12:34)` / `（00:12:34）` / `[00:12:34]` off a name.
fn name_and_time(s: &str, name: Range<usize>) -> (Range<usize>, Option<u64>) {
    let text = &s[name.clone()];
    let trimmed = text.trim_end();
    // Every closing mark ends in `)`, `]` or 0x89 (the last byte of `）`): most names end
    // in none of them.
    if !matches!(trimmed.as_bytes().last(), Some(b')' | b']' | 0x89)) {
        return (name, None);
    }
    for (open, close) in [('(', ')'), ('（', '）'), ('[', ']')] {
        if let Some(inner) = trimmed.strip_suffix(close)
            && let Some(o) = inner.rfind(open)
            && let Some(ms) = parse_time(&inner[o + open.len_utf8()..])
        {
            let n = inner[..o].trim_end().len();
            return (name.start..name.start + n, Some(ms));
        }
    }
    (name, None)
}

/// A bold label at the very start of `s`: `**Name：**`, `**Name**：` (optionally after a
/// `[00:12:34]` timestamp).
pub fn bold_label(s: &str) -> Option<Label> {
    let (pre_ms, mut i) = match bracket_time(s, '[', ']') {
        Some((ms, n)) => (Some(ms), skip_spaces(s, n)),
        None => (None, 0),
    };
    if !s[i..].starts_with("**") || s[i..].starts_with("***") {
        return None;
    }
    i += 2;
    let close = double_star(s.as_bytes(), i)?;
    let inner = &s[i..close];
    if inner.contains('\n') {
        return None;
    }
    let after_close = close + 2;
    // `**Name：**` — the colon inside the bold.
    let inner_trim = inner.trim_end();
    let (name_end, end) = if let Some(stripped) = inner_trim.strip_suffix('：') {
        (i + stripped.len(), after_close)
    } else if let Some(stripped) = inner_trim.strip_suffix(':') {
        (i + stripped.len(), after_close)
    } else {
        // `**Name**：` — the colon right after the bold.
        (close, colon_at(s, after_close)?)
    };
    let (name, ms) = name_and_time(s, i..name_end);
    let name = trim_range(s, name);
    if !valid_name(&s[name.clone()]) {
        return None;
    }
    Some(Label { name, start_ms: pre_ms.or(ms), end: skip_spaces(s, end), bold: true })
}

/// Offset of the first `**` at or after `from`. Every paragraph line is tried as a label
/// twice: a byte search is much cheaper here than setting up a substring searcher.
fn double_star(b: &[u8], from: usize) -> Option<usize> {
    memchr::memchr_iter(b'*', b.get(from..)?)
        .map(|p| from + p)
        .find(|&p| b.get(p + 1) == Some(&b'*'))
}

/// A label matched by one of the user's patterns (`[speakers] labels`): the `name` group is
/// the speaker, an optional `time` group the start time. Such a label counts on its own
/// merits, like a bold one.
pub fn pattern_label(s: &str, patterns: &[regex::Regex]) -> Option<Label> {
    for re in patterns {
        let Some(c) = re.captures(s) else { continue };
        let (Some(all), Some(name)) = (c.get(0), c.name("name")) else { continue };
        if all.start() != 0 || !valid_name(name.as_str().trim()) {
            continue;
        }
        let name = trim_range(s, name.range());
        let start_ms = c.name("time").and_then(|t| parse_time(t.as_str()));
        return Some(Label { name, start_ms, end: skip_spaces(s, all.end()), bold: true });
    }
    None
}

/// A plain label at the start of `s`: `Name：text`, `Name: text`, `[00:12:34] Name: text`.
pub fn plain_label(s: &str) -> Option<Label> {
    let (pre_ms, start) = match bracket_time(s, '[', ']') {
        Some((ms, n)) => (Some(ms), skip_spaces(s, n)),
        None => (None, 0),
    };
    // A name is short, so only the head of the line can hold its colon.
    let mut window = (start + MAX_NAME_CHARS * 4 + 16).min(s.len());
    while !s.is_char_boundary(window) {
        window -= 1;
    }
    // The first colon on the line ends the candidate name.
    let idx = first_colon(&s[start..window])?;
    let end = colon_at(s, start + idx)?;
    let (name, ms) = name_and_time(s, start..start + idx);
    let name = trim_range(s, name);
    if !valid_name(&s[name.clone()]) || s[name.clone()].contains(['(', ')', '（', '）', '/', '='])
    {
        return None;
    }
    Some(Label { name, start_ms: pre_ms.or(ms), end: skip_spaces(s, end), bold: false })
}

/// Byte offset of the first `:` or `：` (U+FF1A, bytes EF BC 9A) in `s`. Called for every
/// paragraph line, several times: `memchr2` on the bytes avoids decoding each char. It
/// looks for the colon's last byte, 0x9A, which is rarer in Chinese text than the lead
/// byte 0xEF shared by all full-width punctuation.
/// The search stops at the end of the first line.
fn first_colon(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    for p in memchr::memchr3_iter(b':', 0x9A, b'\n', b) {
        match b[p] {
            b'\n' => return None,
            b':' => return Some(p),
            _ if p >= 2 && b[p - 2] == 0xEF && b[p - 1] == 0xBC => return Some(p - 2),
            _ => {}
        }
    }
    None
}

fn trim_range(s: &str, r: Range<usize>) -> Range<usize> {
    let t = &s[r.clone()];
    let lead = t.len() - t.trim_start().len();
    let trail = t.trim_end().len().max(lead);
    r.start + lead..r.start + trail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str, l: Option<Label>) -> Option<String> {
        l.map(|l| s[l.name].to_string())
    }

    #[test]
    fn bold_forms() {
        for s in [
            "**主持人Brad：** 你好",
            "**主持人Brad:** 你好",
            "**主持人Brad**：你好",
            "**主持人Brad**: 你好",
        ] {
            let l = bold_label(s).unwrap();
            assert_eq!(&s[l.name.clone()], "主持人Brad", "{s}");
            assert_eq!(&s[l.end..], "你好", "{s}");
        }
    }

    #[test]
    fn timestamps() {
        let s = "**Ada (00:12:34):** hi";
        let l = bold_label(s).unwrap();
        assert_eq!((&s[l.name.clone()], l.start_ms), ("Ada", Some(754_000)));
        let s = "[00:12:34] **Ada:** hi";
        assert_eq!(bold_label(s).unwrap().start_ms, Some(754_000));
        let s = "[01:02] Ada: hi";
        let l = plain_label(s).unwrap();
        assert_eq!((&s[l.name.clone()], l.start_ms), ("Ada", Some(62_000)));
    }

    #[test]
    fn label_then_quote() {
        let s = "**萨提亚·纳德拉：****我正在构建的**";
        let l = bold_label(s).unwrap();
        assert_eq!(&s[l.name.clone()], "萨提亚·纳德拉");
        assert_eq!(&s[l.end..], "**我正在构建的**");
    }

    #[test]
    fn not_labels() {
        assert_eq!(name("**我认为，这很好：**", bold_label("**我认为，这很好：**")), None);
        assert_eq!(name("**bold** text", bold_label("**bold** text")), None);
        assert_eq!(plain_label("see https://example.com"), None);
        assert_eq!(plain_label("https://example.com is down"), None);
        assert_eq!(plain_label("他说，是的：好"), None);
        assert_eq!(plain_label("2024: x"), None);
    }

    #[test]
    fn first_colon_finds_either_width() {
        assert_eq!(first_colon("问：好"), Some(3));
        assert_eq!(first_colon("Ada: 你：好"), Some(3));
        // Other U+FFxx characters share the 0xEF lead byte but are not colons.
        assert_eq!(first_colon("！？；x：y"), Some(10));
        assert_eq!(first_colon("无冒号，也无"), None);
        assert_eq!(first_colon("无冒号\n下一行：有"), None);
    }

    #[test]
    fn plain_forms() {
        let s = "问：你好吗？";
        assert_eq!(name(s, plain_label(s)).as_deref(), Some("问"));
        let s = "Dr. Wu: Thanks.";
        assert_eq!(name(s, plain_label(s)).as_deref(), Some("Dr. Wu"));
    }
}

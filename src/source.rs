//! Stage 1 of the pipeline: bytes → decoded, sanitized text.
//!
//! Decodes UTF-8 (BOM dropped), UTF-16 LE/BE with BOM, and GB18030/GBK without BOM
//! (detected), normalises CRLF and CR, and replaces control characters with visible
//! stand-ins so that no byte of a document ever reaches the terminal as a control sequence.
//!
//! Detection, without an explicit encoding: a BOM decides; otherwise NUL bytes mean a
//! binary file; valid UTF-8 is UTF-8 (a truncated sequence at the very end only costs a
//! U+FFFD); bytes that are not UTF-8 but decode cleanly as GB18030 are GB18030; a file that
//! is mostly UTF-8 with a few broken sequences stays UTF-8; anything else is not text.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// Text ready for the parser.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// The encoding that was used, e.g. `UTF-8`, `UTF-16LE`, `GB18030`.
    pub encoding: &'static str,
    /// The source held control characters that were replaced by stand-ins.
    pub had_control_chars: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The OS reason is part of the message (not a `source()`), so printing the error
    /// chain shows it once.
    #[error("{}: {err}", shown(path))]
    Io { path: PathBuf, err: std::io::Error },
    #[error("{}: not a text file", shown(path))]
    NotText { path: PathBuf },
    #[error("{}: no text", shown(path))]
    NoText { path: PathBuf },
    #[error("unknown encoding {0:?}")]
    UnknownEncoding(String),
}

/// A path as printed in an error: file names are untrusted too, so control characters are
/// replaced like in document text, and the message stays on one line.
fn shown(path: &Path) -> String {
    let lossy = path.to_string_lossy();
    lossy
        .chars()
        .map(|c| if c == '\n' || c == '\t' { stand_in_c0(c) } else { safe_char(c) })
        .collect()
}

/// What standard input is called in error messages.
const STDIN_NAME: &str = "<stdin>";

/// Read a path (`-` is standard input) and decode it. `encoding` overrides detection.
pub fn read(path: &Path, encoding: Option<&str>) -> Result<Decoded, SourceError> {
    // Look the encoding up first so a typo is reported before a long read.
    let forced = lookup(encoding)?;
    let (bytes, name) = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        let name = PathBuf::from(STDIN_NAME);
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|err| SourceError::Io { path: name.clone(), err })?;
        (buf, name)
    } else {
        let bytes =
            std::fs::read(path).map_err(|err| SourceError::Io { path: path.to_path_buf(), err })?;
        (bytes, path.to_path_buf())
    };
    decode_with(Cow::Owned(bytes), forced, &name)
}

/// Decode bytes already in memory; `name` is used in error messages.
pub fn decode(bytes: &[u8], encoding: Option<&str>, name: &Path) -> Result<Decoded, SourceError> {
    let forced = lookup(encoding)?;
    decode_with(Cow::Borrowed(bytes), forced, name)
}

fn lookup(encoding: Option<&str>) -> Result<Option<&'static Encoding>, SourceError> {
    match encoding {
        None => Ok(None),
        Some(label) => Encoding::for_label(label.trim().as_bytes())
            .map(Some)
            .ok_or_else(|| SourceError::UnknownEncoding(label.to_string())),
    }
}

fn decode_with(
    bytes: Cow<'_, [u8]>,
    forced: Option<&'static Encoding>,
    name: &Path,
) -> Result<Decoded, SourceError> {
    let not_text = || SourceError::NotText { path: name.to_path_buf() };
    let (raw, encoding): (String, &'static str) = match forced {
        Some(enc) => {
            let (text, _) = enc.decode_with_bom_removal(&bytes);
            if text.contains('\0') {
                return Err(not_text());
            }
            (text.into_owned(), display_name(enc))
        }
        None => match Encoding::for_bom(&bytes) {
            Some((enc, bom_len)) if enc == UTF_8 => {
                let body = match bytes {
                    Cow::Owned(mut v) => {
                        v.drain(..bom_len);
                        Cow::Owned(v)
                    }
                    Cow::Borrowed(b) => Cow::Borrowed(&b[bom_len..]),
                };
                (detect_utf8_or_gb(body).ok_or_else(not_text)?, "UTF-8")
            }
            Some((enc, bom_len)) => {
                let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
                if text.contains('\0') {
                    return Err(not_text());
                }
                (text.into_owned(), display_name(enc))
            }
            None => {
                if memchr::memchr(0, &bytes).is_some() {
                    return Err(not_text());
                }
                detect(bytes).ok_or_else(not_text)?
            }
        },
    };
    let (clean, had_control_chars) = sanitize(&raw);
    let text = clean.unwrap_or(raw);
    if text.trim().is_empty() {
        return Err(SourceError::NoText { path: name.to_path_buf() });
    }
    Ok(Decoded { text, encoding, had_control_chars })
}

fn display_name(enc: &'static Encoding) -> &'static str {
    if enc == UTF_8 {
        "UTF-8"
    } else if enc == UTF_16LE {
        "UTF-16LE"
    } else if enc == UTF_16BE {
        "UTF-16BE"
    } else if enc == GB18030 {
        "GB18030"
    } else {
        enc.name()
    }
}

/// Detection for BOM-less bytes without NULs. `None` means not text.
fn detect(bytes: Cow<'_, [u8]>) -> Option<(String, &'static str)> {
    detect_inner(bytes, true)
}

/// After a UTF-8 BOM the file claims UTF-8; GB18030 is not considered.
fn detect_utf8_or_gb(bytes: Cow<'_, [u8]>) -> Option<String> {
    detect_inner(bytes, false).map(|(t, _)| t)
}

fn detect_inner(bytes: Cow<'_, [u8]>, try_gb: bool) -> Option<(String, &'static str)> {
    let bytes = match bytes {
        Cow::Owned(v) => match String::from_utf8(v) {
            Ok(s) => return Some((s, "UTF-8")),
            Err(e) => Cow::Owned(e.into_bytes()),
        },
        Cow::Borrowed(b) => match std::str::from_utf8(b) {
            Ok(s) => return Some((s.to_owned(), "UTF-8")),
            Err(_) => Cow::Borrowed(b),
        },
    };
    let lossy_utf8 = || String::from_utf8_lossy(&bytes).into_owned();
    // A sequence cut off at the very end (a truncated download, a `head -c`) is still
    // UTF-8: only the broken tail is lost.
    if let Err(e) = std::str::from_utf8(&bytes)
        && e.error_len().is_none()
    {
        return Some((lossy_utf8(), "UTF-8"));
    }
    let (mut invalid, mut multi) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        invalid += chunk.invalid().len();
        multi += chunk.valid().bytes().filter(|b| !b.is_ascii()).count();
    }
    // Mostly UTF-8 with a few broken sequences: GBK text almost never forms valid UTF-8
    // multi-byte sequences, so this cannot mistake GBK for UTF-8.
    if invalid.saturating_mul(20) <= multi {
        return Some((lossy_utf8(), "UTF-8"));
    }
    if try_gb {
        if let Some(text) = GB18030.decode_without_bom_handling_and_without_replacement(&bytes) {
            return Some((text.into_owned(), "GB18030"));
        }
        let (text, _) = GB18030.decode_without_bom_handling(&bytes);
        let errors = text.chars().filter(|&c| c == '\u{FFFD}').count();
        let non_ascii = text.chars().filter(|c| !c.is_ascii()).count();
        if errors.saturating_mul(20) <= non_ascii {
            return Some((text.into_owned(), "GB18030"));
        }
    }
    // Mostly ASCII with some stray bytes (e.g. a Latin-1 word): text, with losses marked.
    if invalid.saturating_mul(10) <= bytes.len() {
        return Some((lossy_utf8(), "UTF-8"));
    }
    None
}

/// Bytes that start something `sanitize` must look at: C0 controls other than tab and
/// newline (CR included), DEL, and the lead bytes of C1 controls (C2) and of the bidi
/// controls (D8 for U+061C, E2 for U+200E/F, U+202A–E, U+2066–9).
const LOOK: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b != b'\t' as usize && b != b'\n' as usize;
        b += 1;
    }
    t[0x7F] = true;
    t[0xC2] = true;
    t[0xD8] = true;
    t[0xE2] = true;
    t
};

/// Normalise line endings and replace control characters. Returns the new text (`None`
/// when nothing changed, so clean input is never copied) and whether a control character
/// (not a line ending) was replaced.
fn sanitize(s: &str) -> (Option<String>, bool) {
    let bytes = s.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut had = false;
    let mut i = 0;
    while let Some(off) = bytes[i..].iter().position(|&b| LOOK[b as usize]) {
        let p = i + off;
        let next = |k: usize| bytes.get(p + k).copied().unwrap_or(0);
        let (len, repl) = match bytes[p] {
            b'\r' => (if next(1) == b'\n' { 2 } else { 1 }, '\n'),
            b @ 0..=0x1F => {
                had = true;
                (1, stand_in_c0(char::from(b)))
            }
            0x7F => {
                had = true;
                (1, '\u{2421}')
            }
            0xC2 if (0x80..=0x9F).contains(&next(1)) => {
                had = true;
                (2, REPLACED)
            }
            0xD8 if next(1) == 0x9C => {
                had = true;
                (2, REPLACED)
            }
            0xE2 if (next(1) == 0x80 && matches!(next(2), 0x8E | 0x8F | 0xAA..=0xAE))
                || (next(1) == 0x81 && matches!(next(2), 0xA6..=0xA9)) =>
            {
                had = true;
                (3, REPLACED)
            }
            _ => {
                i = p + 1;
                continue;
            }
        };
        let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
        o.push_str(&s[copied..p]);
        o.push(repl);
        copied = p + len;
        i = copied;
    }
    if let Some(o) = &mut out {
        o.push_str(&s[copied..]);
    }
    (out, had)
}

/// What C1 and bidi controls become.
const REPLACED: char = '\u{FFFD}';

/// The Control Pictures stand-in of a C0 control (U+2400 + n).
fn stand_in_c0(c: char) -> char {
    char::from_u32(0x2400 + c as u32).unwrap_or(REPLACED)
}

/// `c` if it may reach the display, else its visible stand-in. For parsers that create
/// characters the source did not hold literally (numeric character references).
pub fn safe_char(c: char) -> char {
    match c as u32 {
        0x09 | 0x0A => c,
        0x00..=0x1F => stand_in_c0(c),
        0x7F => '\u{2421}',
        0x80..=0x9F | 0x061C | 0x200E | 0x200F | 0x202A..=0x202E | 0x2066..=0x2069 => REPLACED,
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::{safe_char, sanitize};

    #[test]
    fn clean_text_is_not_copied() {
        assert_eq!(sanitize("访谈 “hello” — ok…\n"), (None, false));
    }

    #[test]
    fn line_endings_are_not_flagged() {
        assert_eq!(sanitize("a\r\nb\rc"), (Some("a\nb\nc".to_string()), false));
    }

    #[test]
    fn every_control_is_replaced() {
        let (out, had) = sanitize("\u{1b}[31m\u{7f}\u{85}\u{202e}\u{2066}\u{200f}\u{61c}x");
        assert!(had);
        let out = out.unwrap();
        assert!(out.chars().all(|c| safe_char(c) == c), "{out:?}");
        assert!(out.starts_with('\u{241b}'));
        assert!(out.ends_with('x'));
    }
}

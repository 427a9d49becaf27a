//! Stage 1 of the pipeline: bytes → decoded, sanitized text.
//!
//! Decodes UTF-8 (BOM dropped), UTF-16 LE/BE with BOM, and legacy encodings without BOM
//! (detected: GB18030/GBK, Big5, Shift_JIS, EUC-JP, EUC-KR, the windows-125x code pages),
//! normalises CRLF and CR, and replaces control characters with visible stand-ins so that
//! no byte of a document ever reaches the terminal as a control sequence.
//!
//! Detection, without an explicit encoding: a BOM decides; otherwise NUL bytes mean a
//! binary file (an old Word `.doc` or another OLE file is named as such); valid UTF-8 is
//! UTF-8 (a truncated sequence at the very end only costs a U+FFFD); an HTML page that
//! declares another encoding (`<meta charset>`, or `http-equiv` `Content-Type`, in its first
//! [`META_SCAN`] bytes) is read in it, unless it is mostly UTF-8 all the same (a page saved
//! by a tool that re-encoded it and kept the old declaration); a file that is mostly UTF-8
//! with a few broken sequences stays UTF-8; other bytes go to Mozilla's detector
//! (`chardetng`, Firefox's), and what it names is used when the bytes decode in it cleanly
//! and look like text (a single-byte code page takes anything, so C0 controls and
//! implausible letters count against it); GBK, or no confident answer, keeps the earlier
//! rule: bytes that decode (nearly) cleanly as GB18030 are GB18030; anything else is not
//! text. [`Decoded::encoding`] names what was used.

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
    /// A text whose format refuses it (JSON of no transcript shape), with why.
    #[error("{}: {why}", shown(path))]
    Refused { path: PathBuf, why: String },
    #[error("unknown encoding {0:?}")]
    UnknownEncoding(String),
    #[error("{}: too large ({} MB); fangtan reads documents up to 4 GB", shown(path), size / 1_000_000)]
    TooLarge { path: PathBuf, size: u64 },
    #[error(
        "{}: an old Word .doc (or other Office 97-2003) file; fangtan reads .docx: save it as .docx first",
        shown(path)
    )]
    OldOffice { path: PathBuf },
    #[error(
        "{}: a password-protected Office document; save a copy without a password to read it",
        shown(path)
    )]
    Encrypted { path: PathBuf },
    /// A Word package that cannot be read, or a file that is not one (`--format docx`).
    #[error("{}: {reason}", shown(path))]
    Word { path: PathBuf, reason: String },
}

/// The first bytes of an OLE compound file: Word 97-2003, or an encrypted Office document.
const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Why binary bytes are no text: an Office file gets its own message.
fn binary(bytes: &[u8], name: &Path) -> SourceError {
    let path = name.to_path_buf();
    if !bytes.starts_with(OLE) {
        return SourceError::NotText { path };
    }
    // An encrypted OOXML document is an OLE file with a stream of this name (UTF-16).
    let stream: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    match memchr::memmem::find(bytes, &stream) {
        Some(_) => SourceError::Encrypted { path },
        None => SourceError::OldOffice { path },
    }
}

/// The longest document, in bytes: positions in it are held in 32 bits
/// ([`crate::doc::Span`]), and a few hundred thousand of them make up most of the tree.
pub const MAX_LEN: u64 = u32::MAX as u64;

/// Refuse a document longer than [`MAX_LEN`] before reading it.
pub fn check_len(path: &Path, size: u64) -> Result<(), SourceError> {
    match size > MAX_LEN {
        true => Err(SourceError::TooLarge { path: path.to_path_buf(), size }),
        false => Ok(()),
    }
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
pub const STDIN_NAME: &str = "<stdin>";

/// Read a path (`-` is standard input) and decode it. `encoding` overrides detection.
///
/// Clean UTF-8 (nearly every transcript) is read in chunks straight into the final
/// `String`, validated and checked for control characters while each chunk is still in
/// cache: the text is held once, never as bytes plus a copy. Anything else goes through
/// detection on the whole bytes.
pub fn read(path: &Path, encoding: Option<&str>) -> Result<Decoded, SourceError> {
    let stdin = path.as_os_str() == "-";
    let name = if stdin { PathBuf::from(STDIN_NAME) } else { path.to_path_buf() };
    nonblank(read_any(path, &name, encoding)?, &name)
}

/// [`read`], blank text included.
fn read_any(path: &Path, name: &Path, encoding: Option<&str>) -> Result<Decoded, SourceError> {
    // Look the encoding up first so a typo is reported before a long read.
    let forced = lookup(encoding)?;
    let stdin = path.as_os_str() == "-";
    let name = name.to_path_buf();
    let io = |err| SourceError::Io { path: name.clone(), err };
    if stdin {
        // Standard input cannot be read twice, so detection gets the bytes whole.
        let mut buf = Vec::new();
        std::io::stdin().lock().read_to_end(&mut buf).map_err(io)?;
        check_len(&name, buf.len() as u64)?;
        return decode_with(Cow::Owned(buf), forced, &name);
    }
    let mut file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_or(0, |m| m.len());
    check_len(&name, size)?;
    if forced.is_some() {
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(io)?;
        return decode_with(Cow::Owned(bytes), forced, &name);
    }
    let hint = usize::try_from(size).unwrap_or(0);
    let bytes = match fast_utf8(&mut file, hint).map_err(io)? {
        Fast::Done(text, had_control_chars) => {
            return finish(text, "UTF-8", had_control_chars, &name);
        }
        // Nothing was changed yet: what was read is the file's start, as it was.
        Fast::Fallback(Some(mut head)) => {
            file.read_to_end(&mut head).map_err(io)?;
            head
        }
        Fast::Fallback(None) => std::fs::read(path).map_err(io)?,
    };
    decode_with(Cow::Owned(bytes), None, &name)
}

/// Decode bytes already in memory; `name` is used in error messages.
pub fn decode(bytes: &[u8], encoding: Option<&str>, name: &Path) -> Result<Decoded, SourceError> {
    nonblank(decode_part(bytes, encoding, name)?, name)
}

/// [`decode`] a part of a longer text, which may be blank (its bytes still count).
pub fn decode_part(
    bytes: &[u8],
    encoding: Option<&str>,
    name: &Path,
) -> Result<Decoded, SourceError> {
    let forced = lookup(encoding)?;
    if forced.is_none() {
        let mut reader = bytes;
        if let Ok(Fast::Done(text, had)) = fast_utf8(&mut reader, bytes.len()) {
            return finish(text, "UTF-8", had, name);
        }
    }
    decode_with(Cow::Borrowed(bytes), forced, name)
}

/// What the chunked UTF-8 reader made of its input.
enum Fast {
    /// Valid UTF-8 without NUL: the sanitized text and whether controls were replaced.
    Done(String, bool),
    /// Not plain UTF-8: detection must see the whole bytes. Holds the bytes read so far,
    /// unchanged, when they could be kept (`None`: start again from the beginning).
    Fallback(Option<Vec<u8>>),
}

/// Chunk size of [`fast_utf8`]: large enough that system calls do not matter, small
/// enough to stay in cache between the read, the validation and the control scan.
const CHUNK: usize = 256 * 1024;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Read valid, NUL-free UTF-8 (optionally after a UTF-8 BOM) into a `String`, sanitizing
/// each chunk as it arrives.
fn fast_utf8(r: &mut dyn Read, size_hint: usize) -> std::io::Result<Fast> {
    let mut out = String::with_capacity(size_hint.saturating_add(1));
    let mut buf = vec![0u8; CHUNK];
    // Bytes of a character cut by the end of the previous chunk.
    let mut carry = 0;
    let mut first = true;
    let mut bom = false;
    let mut changed = false;
    let mut had = false;
    // The previous chunk ended with a CR (already turned into LF): an LF right after it
    // belongs to the same line ending.
    let mut after_cr = false;
    let keep = |out: String, bom: bool, rest: &[u8], changed: bool| {
        if changed {
            return Fast::Fallback(None);
        }
        let mut v = Vec::with_capacity(out.len() + rest.len() + UTF8_BOM.len() + CHUNK);
        if bom {
            v.extend_from_slice(UTF8_BOM);
        }
        v.extend_from_slice(out.as_bytes());
        drop(out);
        v.extend_from_slice(rest);
        Fast::Fallback(Some(v))
    };
    loop {
        let n = carry + read_full(r, &mut buf[carry..])?;
        let last = n < buf.len();
        let mut chunk = &buf[..n];
        if first {
            first = false;
            if chunk.starts_with(UTF8_BOM) {
                bom = true;
                chunk = &chunk[UTF8_BOM.len()..];
            } else if chunk.starts_with(&[0xFF, 0xFE]) || chunk.starts_with(&[0xFE, 0xFF]) {
                return Ok(keep(out, false, chunk, changed));
            }
        }
        let whole = if last { chunk.len() } else { char_boundary_before_end(chunk) };
        let Some(text) = (memchr::memchr(0, chunk).is_none())
            .then(|| UTF_8.decode_without_bom_handling_and_without_replacement(&chunk[..whole]))
            .flatten()
        else {
            return Ok(keep(out, bom, chunk, changed));
        };
        let mut text: &str = &text;
        if after_cr {
            after_cr = false;
            text = text.strip_prefix('\n').unwrap_or(text);
        }
        match next_control(text.as_bytes(), 0) {
            None => out.push_str(text),
            Some(_) => {
                let (clean, h) = sanitize(text);
                had |= h;
                changed = true;
                out.push_str(clean.as_deref().unwrap_or(text));
                after_cr = !last && text.ends_with('\r');
            }
        }
        if last {
            return Ok(Fast::Done(out, had));
        }
        carry = chunk.len() - whole;
        let tail = buf.len() - carry;
        buf.copy_within(tail.., 0);
    }
}

/// Fill `buf` unless the input ends first; the number of bytes read.
fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Where the last, possibly incomplete, UTF-8 sequence of `b` starts (or `b.len()` when
/// `b` ends on a whole character). Invalid bytes are left for validation to reject.
fn char_boundary_before_end(b: &[u8]) -> usize {
    for back in 1..=b.len().min(4) {
        let i = b.len() - back;
        let lead = b[i];
        if lead & 0xC0 == 0x80 {
            continue;
        }
        let need = match lead {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => 1,
        };
        return if need > back { i } else { b.len() };
    }
    b.len()
}

/// An empty or whitespace-only text is no document.
fn nonblank(d: Decoded, name: &Path) -> Result<Decoded, SourceError> {
    match d.text.trim().is_empty() {
        true => Err(SourceError::NoText { path: name.to_path_buf() }),
        false => Ok(d),
    }
}

fn finish(
    text: String,
    encoding: &'static str,
    had_control_chars: bool,
    name: &Path,
) -> Result<Decoded, SourceError> {
    // Decoding may lengthen a text (GB18030 to UTF-8, control characters to stand-ins).
    check_len(name, text.len() as u64)?;
    Ok(Decoded { text, encoding, had_control_chars })
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
                return Err(binary(&bytes, name));
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
                    return Err(binary(&bytes, name));
                }
                match declared(&bytes) {
                    Some(enc) => {
                        let text = enc.decode_without_bom_handling(&bytes).0.into_owned();
                        (text, display_name(enc))
                    }
                    None => detect(bytes).ok_or_else(not_text)?,
                }
            }
        },
    };
    let (clean, had_control_chars) = sanitize(&raw);
    finish(clean.unwrap_or(raw), encoding, had_control_chars, name)
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

/// How far into a page its encoding declaration is looked for: a `<head>` full of scripts
/// and styles before the `<meta>` is common.
pub const META_SCAN: usize = 8 << 10;

/// The encoding an HTML page declares in its first [`META_SCAN`] bytes, when it is not
/// UTF-8 (the bytes would be UTF-8 by detection already) and the bytes are not mostly
/// UTF-8 all the same. The tags are read by the HTML tokenizer (the declaration is ASCII in
/// every encoding a page may declare), the `content` of `http-equiv` by the WHATWG rule.
fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_SCAN)];
    memchr::memmem::find(&head.to_ascii_lowercase(), b"<meta")?;
    let label = html_meta_charset(&String::from_utf8_lossy(head))?;
    let enc = Encoding::for_label(label.trim().as_bytes())?;
    // A page cannot be UTF-16 without a BOM; `x-user-defined` is windows-1252.
    if enc == UTF_8 || enc == UTF_16LE || enc == UTF_16BE || mostly_utf8(bytes) {
        return None;
    }
    Some(if enc.name() == "x-user-defined" { encoding_rs::WINDOWS_1252 } else { enc })
}

/// The charset label of the first `<meta charset>` or `<meta http-equiv="content-type"
/// content="…; charset=…">` of a page's head.
fn html_meta_charset(head: &str) -> Option<String> {
    use html5ever::tokenizer::states::RawKind;
    use html5ever::tokenizer::{
        BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
    };
    struct Sink(std::cell::RefCell<Option<String>>);
    impl TokenSink for Sink {
        type Handle = ();
        fn process_token(&self, token: Token, _: u64) -> TokenSinkResult<()> {
            let Token::TagToken(Tag { kind: TagKind::StartTag, name, attrs, .. }) = token else {
                return TokenSinkResult::Continue;
            };
            // A `<meta>` written by a script or shown by a style is none.
            match &*name {
                "script" => return TokenSinkResult::RawData(RawKind::ScriptData),
                "style" | "noscript" | "template" => {
                    return TokenSinkResult::RawData(RawKind::Rawtext);
                }
                "meta" if self.0.borrow().is_none() => {}
                _ => return TokenSinkResult::Continue,
            }
            let get = |k: &str| attrs.iter().find(|a| &*a.name.local == k).map(|a| &*a.value);
            let found = get("charset").map(str::to_string).or_else(|| {
                get("http-equiv")
                    .filter(|h| h.trim().eq_ignore_ascii_case("content-type"))
                    .and(get("content"))
                    .and_then(charset_in_content)
            });
            *self.0.borrow_mut() = found;
            TokenSinkResult::Continue
        }
    }
    let tok = Tokenizer::new(Sink(std::cell::RefCell::new(None)), Default::default());
    let queue = BufferQueue::default();
    queue.push_back(head.into());
    while !matches!(tok.feed(&queue), html5ever::TokenizerResult::Done) {}
    tok.end();
    tok.sink.0.into_inner()
}

/// The charset in a `Content-Type` value (`text/html; charset=windows-1252`).
fn charset_in_content(content: &str) -> Option<String> {
    let lower = content.to_ascii_lowercase();
    let at = lower.find("charset")? + "charset".len();
    let rest = content[at..].trim_start().strip_prefix('=')?.trim_start();
    let value = match rest.chars().next()? {
        q @ ('"' | '\'') => rest[1..].split(q).next()?,
        _ => rest.split(|c: char| c.is_ascii_whitespace() || c == ';').next()?,
    };
    (!value.is_empty()).then(|| value.to_string())
}

/// Bytes that hold many more valid UTF-8 multi-byte sequences than invalid bytes.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (invalid, multi) = utf8_tally(bytes);
    multi > 0 && invalid.saturating_mul(20) <= multi
}

/// Invalid bytes, and non-ASCII bytes of valid sequences.
fn utf8_tally(bytes: &[u8]) -> (usize, usize) {
    let (mut invalid, mut multi) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        invalid += chunk.invalid().len();
        multi += chunk.valid().bytes().filter(|b| !b.is_ascii()).count();
    }
    (invalid, multi)
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
    let (invalid, multi) = utf8_tally(&bytes);
    // Mostly UTF-8 with a few broken sequences: GBK text almost never forms valid UTF-8
    // multi-byte sequences, so this cannot mistake GBK for UTF-8.
    if invalid.saturating_mul(20) <= multi {
        return Some((lossy_utf8(), "UTF-8"));
    }
    if try_gb {
        if let Some(found) = legacy(&bytes) {
            return Some(found);
        }
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

/// How much of a file the legacy-encoding detector reads: enough for a confident guess,
/// without a pass over a whole big file.
const DETECT_SCAN: usize = 1 << 20;

/// A legacy encoding other than GBK that Mozilla's detector is confident of, when the
/// bytes decode in it without errors and look like text: the decoded text and its name.
/// `None` leaves the bytes to the GB18030 rule.
fn legacy(bytes: &[u8]) -> Option<(String, &'static str)> {
    let mut detector = chardetng::EncodingDetector::new();
    let head = &bytes[..bytes.len().min(DETECT_SCAN)];
    detector.feed(head, head.len() == bytes.len());
    let (enc, confident) = detector.guess_assess(None, false);
    if !confident || enc == encoding_rs::GBK || enc == GB18030 || enc == UTF_8 {
        return None;
    }
    let text = enc.decode_without_bom_handling_and_without_replacement(bytes)?;
    // A single-byte code page decodes any bytes: text in one has spaces or line breaks
    // between its words (the languages written in them do), and hardly any C0 controls.
    if enc.is_single_byte() {
        let (mut breaks, mut controls) = (0usize, 0usize);
        for &b in head {
            breaks += usize::from(b == b' ' || b == b'\n');
            controls += usize::from(b < 0x20 && !b"\t\n\r\x0c".contains(&b));
        }
        if breaks.saturating_mul(50) < head.len() || controls.saturating_mul(100) > head.len() {
            return None;
        }
    }
    Some((text.into_owned(), display_name(enc)))
}

/// Is there a control character (C0 but tab and newline, CR included; DEL; C1 as C2 80..9F;
/// U+061C as D8 9C; U+200E/F, U+202A–E as E2 80 xx; U+2066–9 as E2 81 A6..A9) starting at
/// the first of these three bytes? Written with plain comparisons, no table or branch, so
/// that the block scan of [`next_control`] compiles to vector instructions.
#[inline(always)]
fn control_at(x: u8, y: u8, z: u8) -> bool {
    let c0 = x < 0x20 && x != b'\t' && x != b'\n';
    let del = x == 0x7F;
    let c1 = x == 0xC2 && (y & 0xE0) == 0x80;
    let alm = x == 0xD8 && y == 0x9C;
    let e2 = x == 0xE2
        && ((y == 0x80 && (z == 0x8E || z == 0x8F || (0xAA..=0xAE).contains(&z)))
            || (y == 0x81 && (0xA6..=0xA9).contains(&z)));
    c0 | del | c1 | alm | e2
}

/// Offset of the first control character in `b` at or after `from`. Runs over every byte
/// of every document: blocks of 32 bytes are tested at once, and only a block that holds
/// one is searched byte by byte.
pub(crate) fn next_control(b: &[u8], from: usize) -> Option<usize> {
    const BLOCK: usize = 32;
    let at = |i: usize| {
        let g = |k: usize| b.get(k).copied().unwrap_or(0);
        control_at(b[i], g(i + 1), g(i + 2))
    };
    let mut i = from;
    // Whole blocks while the two bytes after a block exist.
    while i + BLOCK + 2 <= b.len() {
        let w = &b[i..i + BLOCK + 2];
        let mut any = 0u8;
        for k in 0..BLOCK {
            any |= u8::from(control_at(w[k], w[k + 1], w[k + 2]));
        }
        if any != 0 {
            return (i..i + BLOCK).find(|&k| at(k));
        }
        i += BLOCK;
    }
    (i..b.len()).find(|&k| at(k))
}

/// Normalise line endings and replace control characters. Returns the new text (`None`
/// when nothing changed, so clean input is never copied) and whether a control character
/// (not a line ending) was replaced.
fn sanitize(s: &str) -> (Option<String>, bool) {
    let bytes = s.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut had = false;
    let mut i = 0;
    while let Some(p) = next_control(bytes, i) {
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

/// Text that did not come through [`read`] (a note, a file name, a stored passage) as the
/// reader would show it: every character through [`safe_char`], a tab as a space, and a
/// line break kept when `keep_newline`, else shown as ␊.
pub fn safe_text(s: &str, keep_newline: bool) -> String {
    s.chars()
        .map(|c| match c {
            '\n' if keep_newline => '\n',
            '\n' => stand_in_c0(c),
            '\t' => ' ',
            c => safe_char(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{CHUNK, Fast, fast_utf8, next_control, safe_char, sanitize};

    /// The chunked reader must give exactly what sanitizing the whole text gives, whatever
    /// falls on a chunk boundary.
    fn chunked(s: &str) -> (String, bool) {
        let mut r = s.as_bytes();
        match fast_utf8(&mut r, 0).unwrap() {
            Fast::Done(t, had) => (t, had),
            Fast::Fallback(_) => panic!("valid UTF-8 fell back"),
        }
    }

    #[test]
    fn chunk_boundaries_change_nothing() {
        for piece in ["\r\n", "\r", "你", "😀", "\u{202e}", "\u{85}", "\u{1b}", "\r\r\n"] {
            for shift in 0..6 {
                let mut s = "a".repeat(CHUNK - 3 + shift);
                s.push_str(piece);
                s.push_str("尾\n");
                s.push_str(&"b".repeat(CHUNK + 7));
                let (clean, had) = sanitize(&s);
                let expect = clean.unwrap_or_else(|| s.clone());
                assert_eq!(chunked(&s), (expect, had), "{piece:?} at shift {shift}");
            }
        }
    }

    #[test]
    fn late_bad_bytes_keep_what_was_read() {
        let mut bytes = "好".repeat(CHUNK).into_bytes();
        bytes.extend_from_slice(b"\xFF tail");
        let mut r = &bytes[..];
        match fast_utf8(&mut r, 0).unwrap() {
            Fast::Fallback(Some(head)) => {
                let mut all = head;
                std::io::Read::read_to_end(&mut r, &mut all).unwrap();
                assert_eq!(all, bytes);
            }
            _ => panic!("invalid UTF-8 accepted"),
        }
    }

    #[test]
    fn control_scan_matches_a_byte_by_byte_check() {
        let s = format!("{}\u{2066}{}\u{7f}x\u{1}", "“引号”…—".repeat(20), "ab".repeat(40));
        let found: Vec<usize> = std::iter::successors(next_control(s.as_bytes(), 0), |&p| {
            next_control(s.as_bytes(), p + 1)
        })
        .collect();
        let expect: Vec<usize> = s
            .char_indices()
            .filter(|&(_, c)| c != '\n' && c != '\t' && safe_char(c) != c)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(found, expect);
    }

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

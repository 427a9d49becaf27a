//! Stages 1 and 2 for big files: the first screenful at once, then the whole file in parts.
//!
//! A file bigger than [`BIG`] opens on its first [`FIRST_PART`] bytes, parsed on their own,
//! while the reader's loader thread reads the whole. The whole is read a part at a time
//! (about [`PART`] bytes, cut where a Markdown heading begins), each part decoded and
//! parsed, then dropped: the source text is never held whole, only the display text the
//! tree keeps. That is what keeps an 80 MB archive within 1.5 times its size in memory.
//! A document without headings to cut at is one part.

use std::io::Read;
use std::path::Path;

use crate::doc::{Document, Format};
use crate::parse::{self, ParseOptions, Parts};
use crate::source::{self, SourceError};

/// Files bigger than this open on their first part at once, while the whole is read and
/// indexed in the background (reading and parsing a megabyte takes about 10 ms).
pub const BIG: u64 = 1 << 20;
/// How much of a big file the first screen is made from: many screenfuls.
pub const FIRST_PART: usize = 64 << 10;
/// About how much source is read, decoded and parsed at a time.
pub const PART: usize = 4 << 20;

/// The first part of a big file, parsed: cut after its last blank line (else line break)
/// so that no paragraph is cut short when that can be helped. `None` when the part holds
/// no text (the whole file is then read as usual).
pub fn first_part(
    path: &Path,
    encoding: Option<&str>,
    opts: &ParseOptions,
) -> Result<Option<Document>, SourceError> {
    let mut bytes = Vec::with_capacity(FIRST_PART);
    std::fs::File::open(path)
        .and_then(|f| f.take(FIRST_PART as u64).read_to_end(&mut bytes))
        .map_err(|err| SourceError::Io { path: path.to_path_buf(), err })?;
    let cut = if is_utf16(&bytes) {
        bytes.len() & !1
    } else if let Some(i) = memchr::memmem::rfind(&bytes, b"\n\n") {
        i + 2
    } else if let Some(i) = memchr::memrchr(b'\n', &bytes) {
        i + 1
    } else {
        // One huge line: drop its last, maybe incomplete, UTF-8 character (continuation
        // bytes are 10xxxxxx). Other encodings may lose one character there, which shows
        // only until the whole file is read.
        let mut end = bytes.len().saturating_sub(1);
        while end > 0 && bytes[end] & 0xc0 == 0x80 {
            end -= 1;
        }
        end
    };
    bytes.truncate(cut);
    let decoded = match source::decode(&bytes, encoding, path) {
        Ok(d) => d,
        Err(SourceError::NoText { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut doc = parse::parse(decoded.text, opts);
    doc.had_control_chars = decoded.had_control_chars;
    Ok(Some(doc))
}

fn is_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff])
}

/// Read, decode and parse the whole file a part at a time, telling `stage` what it does.
/// The document's `text` is left empty (its hash is kept in `text_hash`): the tree holds
/// the display text.
pub fn whole(
    path: &Path,
    encoding: Option<&str>,
    opts: &ParseOptions,
    stage: &mut dyn FnMut(&'static str),
) -> Result<Document, SourceError> {
    whole_in_parts(path, encoding, opts, PART, stage)
}

/// [`whole`] with parts of about `part` bytes (tests use small ones).
///
/// Three threads: this one reads, decodes and hashes the parts in order; the first half of
/// the file is parsed on one thread and the second half on another (a Markdown document
/// parts at headings, so the halves are independent), then the halves are joined.
pub fn whole_in_parts(
    path: &Path,
    encoding: Option<&str>,
    opts: &ParseOptions,
    part: usize,
    stage: &mut dyn FnMut(&'static str),
) -> Result<Document, SourceError> {
    let io = |err| SourceError::Io { path: path.to_path_buf(), err };
    let file = std::fs::File::open(path).map_err(io)?;
    let half = file.metadata().map(|m| m.len()).unwrap_or(0) / 2;
    stage("reading");
    std::thread::scope(|scope| {
        let (to_first, first_rx) = std::sync::mpsc::sync_channel::<String>(2);
        let (to_second, second_rx) = std::sync::mpsc::sync_channel::<(usize, String)>(2);
        let first_half = scope.spawn(move || {
            let mut parts: Option<Parts> = None;
            for text in first_rx {
                match parts.as_mut() {
                    None => parts = Some(Parts::new(text, opts)),
                    Some(p) => p.push(text),
                }
            }
            parts
        });
        // Only a Markdown document is split between the two.
        let second_half = scope.spawn(move || {
            let mut parts: Option<Parts> = None;
            for (offset, text) in second_rx {
                match parts.as_mut() {
                    None => parts = Some(Parts::continuing(text, offset, Format::Markdown, opts)),
                    Some(p) => p.push(text),
                }
            }
            parts
        });
        let read = read_parts(file, path, encoding, part, half, opts, &to_first, &to_second, stage);
        drop((to_first, to_second));
        let first = first_half.join().ok().flatten();
        let second = second_half.join().ok().flatten();
        let (had_control_chars, hash) = read?;
        let mut doc = match (first, second) {
            (Some(a), Some(b)) => a.join(b),
            (Some(a), None) => a.finish(),
            _ => return Err(SourceError::NoText { path: path.to_path_buf() }),
        };
        doc.had_control_chars = had_control_chars;
        doc.text_hash = Some(crate::store::hash_text_digest(hash));
        Ok(doc)
    })
}

/// Read the file a part at a time, cut at headings; decode, hash and hand each part to
/// the first half's parser, or, once past `half` bytes of a Markdown document, to the
/// second's (with its offset). Returns whether control characters were replaced, and the
/// hash of the decoded text.
#[allow(clippy::too_many_arguments)]
fn read_parts(
    mut file: std::fs::File,
    path: &Path,
    encoding: Option<&str>,
    part: usize,
    half: u64,
    opts: &ParseOptions,
    to_first: &std::sync::mpsc::SyncSender<String>,
    to_second: &std::sync::mpsc::SyncSender<(usize, String)>,
    stage: &mut dyn FnMut(&'static str),
) -> Result<(bool, u64), SourceError> {
    let io = |err| SourceError::Io { path: path.to_path_buf(), err };
    let part = part.max(1);
    let mut buf: Vec<u8> = Vec::with_capacity(part + (part >> 2));
    let mut eof = false;
    let mut forced = encoding.map(str::to_string);
    let mut hash = xxhash_rust::xxh3::Xxh3Default::new();
    let mut had_control_chars = false;
    let mut first = true;
    // Bytes of source before `buf`, and of decoded text sent so far.
    let mut read_before = 0u64;
    let mut offset = 0usize;
    let mut markdown = false;
    let mut second = false;
    loop {
        // Fill the buffer to at least `want` bytes, or to the end of the file.
        let want = buf.len().max(part);
        while buf.len() < want && !eof {
            let start = buf.len();
            buf.resize(want, 0);
            let n = file.read(&mut buf[start..]).map_err(io)?;
            buf.truncate(start + n);
            eof = n == 0;
        }
        if first && is_utf16(&buf) {
            // No safe byte to cut UTF-16 at: read it whole.
            file.read_to_end(&mut buf).map_err(io)?;
            eof = true;
        }
        let cut = if eof { buf.len() } else { heading_cut(&buf).unwrap_or(0) };
        if cut == 0 {
            if eof {
                break;
            }
            // No place to cut yet: the part grows until one comes, or the file ends.
            let start = buf.len();
            buf.resize(start + part, 0);
            let n = file.read(&mut buf[start..]).map_err(io)?;
            buf.truncate(start + n);
            eof = n == 0;
            continue;
        }
        let rest = buf.split_off(cut);
        let decoded = match source::decode(&buf, forced.as_deref(), path) {
            Ok(d) => Some(d),
            // A part of blank lines only: nothing to parse.
            Err(SourceError::NoText { .. }) => None,
            Err(e) => return Err(e),
        };
        let starts_at = read_before;
        read_before += buf.len() as u64;
        buf = rest;
        buf.reserve(part.saturating_sub(buf.len()));
        let Some(decoded) = decoded else { continue };
        // Every later part is read as the first one was.
        forced.get_or_insert_with(|| decoded.encoding.to_string());
        had_control_chars |= decoded.had_control_chars;
        hash.update(decoded.text.as_bytes());
        let len = decoded.text.len();
        if first {
            stage("parsing");
            let format = opts.format.unwrap_or_else(|| parse::detect_format(&decoded.text));
            markdown = format == Format::Markdown;
            first = false;
        } else if markdown && starts_at >= half {
            second = true;
        }
        // A parser that stopped (it cannot: parsing never fails) leaves nothing to send to.
        let sent = if second {
            to_second.send((offset, decoded.text)).is_ok()
        } else {
            to_first.send(decoded.text).is_ok()
        };
        if !sent {
            break;
        }
        offset += len;
    }
    Ok((had_control_chars, hash.digest()))
}

/// Where to end a part: before the last Markdown heading (`#` at a line start after a blank
/// line) that is not inside a fenced code block or an HTML comment. `None`: no such place.
fn heading_cut(buf: &[u8]) -> Option<usize> {
    let mut end = buf.len();
    while let Some(i) = memchr::memmem::rfind(&buf[..end], b"\n\n#") {
        let at = i + 2;
        let line_end = memchr::memchr(b'\n', &buf[at..]).map(|n| at + n).unwrap_or(buf.len());
        let line = &buf[at..line_end];
        let hashes = line.iter().take_while(|&&b| b == b'#').count();
        let heading = hashes <= 6 && matches!(line.get(hashes), None | Some(b' ' | b'\t'));
        if heading && !inside_block(&buf[..at]) {
            return Some(at);
        }
        end = i;
    }
    None
}

/// Does the text before a cut leave a fenced code block or an HTML comment open? Counts
/// fence lines (``` or ~~~ after at most three spaces; fences are rare, so only their
/// occurrences are looked at); a heading inside a fence is code.
fn inside_block(before: &[u8]) -> bool {
    let at_line_start = |p: usize| {
        let start = memchr::memrchr(b'\n', &before[..p]).map(|n| n + 1).unwrap_or(0);
        p - start < 4 && before[start..p].iter().all(|&b| b == b' ')
    };
    let fences = [&b"```"[..], &b"~~~"[..]]
        .iter()
        .map(|f| memchr::memmem::find_iter(before, f).filter(|&p| at_line_start(p)).count())
        .sum::<usize>();
    let open_comment =
        match (memchr::memmem::rfind(before, b"<!--"), memchr::memmem::rfind(before, b"-->")) {
            (Some(o), Some(c)) => o > c,
            (Some(_), None) => true,
            _ => false,
        };
    fences % 2 == 1 || open_comment
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_before_the_last_heading_outside_code() {
        let t = b"# T\n\npara\n\n## A\n\ntext\n\n```\n\n# not a heading\n```\n\nmore\n";
        let cut = heading_cut(t).unwrap();
        assert!(t[cut..].starts_with(b"## A"));
        assert_eq!(heading_cut(b"no headings\n\nat all\n"), None);
        assert_eq!(heading_cut(b"para\n\n#hashtag is not a heading\n"), None);
    }
}

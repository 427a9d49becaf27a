//! Stages 1 and 2 for big files: the first screenful at once, then the whole file in parts.
//!
//! A file bigger than [`BIG`] opens on its first [`FIRST_PART`] bytes, parsed on their own,
//! while the reader's loader thread reads the whole. The whole is read a part at a time
//! (about [`PART`] bytes, cut where a Markdown heading begins, or after a blank line in
//! plain text), each part decoded and hashed on the loader thread and parsed on a parser
//! thread beside it, then dropped: the source text is never held whole, only the display
//! text the tree keeps. That is what keeps an 80 MB archive within 1.5 times its size in
//! memory. Subtitles, and documents without a place to cut, are one part.

use std::io::Read;
use std::path::Path;

use crate::doc::{Document, Format};
use crate::parse::{self, ParseOptions, Parts};
use crate::source::{self, SourceError};

/// What the loader is doing: a stage (`reading`, `parsing`, …) and, while reading, how
/// many bytes of the file are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub stage: &'static str,
    pub done: Option<u64>,
}

impl Progress {
    pub fn stage(stage: &'static str) -> Progress {
        Progress { stage, done: None }
    }
}

/// Files bigger than this open on their first part at once, while the whole is read and
/// indexed in the background: reading, parsing and indexing 256 KB already takes a few
/// milliseconds, about as long as the first screen itself.
pub const BIG: u64 = 256 << 10;
/// How much of a big file the first screen is made from: many screenfuls.
pub const FIRST_PART: usize = 64 << 10;
/// About how much source is read, decoded and parsed at a time.
pub const PART: usize = 2 << 20;

/// The first part of a big file, parsed: cut after its last blank line (else line break)
/// so that no paragraph is cut short when that can be helped. `None` when the part holds
/// no text (the whole file is then read as usual).
pub fn first_part(
    path: &Path,
    encoding: Option<&str>,
    opts: &ParseOptions,
) -> Result<Option<Document>, SourceError> {
    let io = |err| SourceError::Io { path: path.to_path_buf(), err };
    let file = std::fs::File::open(path).map_err(io)?;
    // Refused here, before the reader opens, rather than by the loader thread later.
    crate::source::check_len(path, file.metadata().map_or(0, |m| m.len()))?;
    let mut bytes = Vec::with_capacity(FIRST_PART);
    file.take(FIRST_PART as u64).read_to_end(&mut bytes).map_err(io)?;
    first_part_of(bytes, path, encoding, opts)
}

/// [`first_part`] of bytes already read (the first [`FIRST_PART`] of standard input);
/// `name` is used in error messages.
pub fn first_part_of(
    mut bytes: Vec<u8>,
    name: &Path,
    encoding: Option<&str>,
    opts: &ParseOptions,
) -> Result<Option<Document>, SourceError> {
    bytes.truncate(FIRST_PART);
    let cut = if is_utf16(&bytes) {
        bytes.len() & !1
    } else if let Some(cut) = blank_line_cut(&bytes) {
        cut
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
    let decoded = match source::decode(&bytes, encoding, name) {
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

/// Read, decode and parse the whole file a part at a time, telling `stage` what it does
/// (after each part, how much of the file is read).
/// The document's `text` is left empty (its hash is kept in `text_hash`): the tree holds
/// the display text.
pub fn whole(
    path: &Path,
    encoding: Option<&str>,
    opts: &ParseOptions,
    stage: &mut dyn FnMut(Progress),
) -> Result<Document, SourceError> {
    whole_in_parts(path, encoding, opts, PART, stage)
}

/// [`whole`] with parts of about `part` bytes (tests use small ones).
///
/// This thread reads, decodes and hashes the parts in order while a parser thread beside
/// it parses them, one Builder for the whole document (a turn goes on across a part's end).
pub fn whole_in_parts(
    path: &Path,
    encoding: Option<&str>,
    opts: &ParseOptions,
    part: usize,
    stage: &mut dyn FnMut(Progress),
) -> Result<Document, SourceError> {
    let io = |err| SourceError::Io { path: path.to_path_buf(), err };
    let mut file = std::fs::File::open(path).map_err(io)?;
    crate::source::check_len(path, file.metadata().map_or(0, |m| m.len()))?;
    whole_from(&mut file, path, encoding, opts, part, stage)
}

/// [`whole_in_parts`] from any reader (standard input: its first bytes, already read,
/// chained to the rest); `path` is what error messages call it.
pub fn whole_from(
    input: &mut dyn Read,
    path: &Path,
    encoding: Option<&str>,
    opts: &ParseOptions,
    part: usize,
    stage: &mut dyn FnMut(Progress),
) -> Result<Document, SourceError> {
    stage(Progress::stage("reading"));
    std::thread::scope(|scope| {
        // One part queued while one is parsed and one read: little memory in flight.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Piece>(1);
        let parser = scope.spawn(move || {
            let mut parts: Option<Parts> = None;
            for p in rx {
                match parts.as_mut() {
                    None => parts = Some(Parts::new(p.text, p.format, opts)),
                    Some(parts) => parts.push(p.text),
                }
            }
            parts.map(Parts::finish)
        });
        let read = read_parts(input, path, encoding, part, opts, &tx, stage);
        drop(tx);
        // Parsing never panics (a property test holds it to that); if it did, the panic
        // goes on rather than leaving the document short.
        let doc = parser.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        let (had_control_chars, hash) = read?;
        let Some(mut doc) = doc else {
            return Err(SourceError::NoText { path: path.to_path_buf() });
        };
        doc.had_control_chars = had_control_chars;
        doc.text_hash = Some(crate::store::hash_text_digest(hash));
        Ok(doc)
    })
}

/// One decoded part, and the document's format (decided before the first part was cut).
struct Piece {
    format: Option<Format>,
    text: String,
}

/// Read the file a part at a time, cut where its format allows; decode and hash each part
/// and hand it to the parser. Returns whether control characters were replaced, and the
/// hash of the decoded text.
fn read_parts(
    file: &mut dyn Read,
    path: &Path,
    encoding: Option<&str>,
    part: usize,
    opts: &ParseOptions,
    parser: &std::sync::mpsc::SyncSender<Piece>,
    stage: &mut dyn FnMut(Progress),
) -> Result<(bool, u64), SourceError> {
    let io = |err| SourceError::Io { path: path.to_path_buf(), err };
    let part = part.max(1);
    let mut buf: Vec<u8> = Vec::with_capacity(part + (part >> 2));
    let mut eof = false;
    let mut forced = encoding.map(str::to_string);
    let mut hash = xxhash_rust::xxh3::Xxh3Default::new();
    let mut had_control_chars = false;
    let mut first = true;
    // Source bytes read so far.
    let mut read_before = 0u64;
    // Decided from the first bytes read (markers are ASCII in every encoding read in
    // parts), so that the first part is cut where that format allows.
    let mut format: Option<Format> = opts.format;
    loop {
        // Only a pipe can be longer than its size said (a file was checked before).
        source::check_len(path, read_before + buf.len() as u64)?;
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
        } else if format.is_none() {
            format = Some(detect(&buf));
        }
        let cut = match format {
            _ if eof => buf.len(),
            Some(Format::Markdown) => heading_cut(&buf).unwrap_or(0),
            Some(Format::Plain) => blank_line_cut(&buf).unwrap_or(0),
            _ => 0,
        };
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
        read_before += buf.len() as u64;
        let decoded = match source::decode(&buf, forced.as_deref(), path) {
            Ok(d) => Some(d),
            // A part of blank lines only: nothing to parse.
            Err(SourceError::NoText { .. }) => None,
            Err(e) => return Err(e),
        };
        buf = rest;
        buf.reserve(part.saturating_sub(buf.len()));
        let Some(decoded) = decoded else { continue };
        // Every later part is read as the first one was.
        forced.get_or_insert_with(|| decoded.encoding.to_string());
        had_control_chars |= decoded.had_control_chars;
        hash.update(decoded.text.as_bytes());
        stage(Progress { stage: "parsing", done: Some(read_before) });
        first = false;
        // A parser that stopped (it cannot: parsing never fails) leaves nothing to send to.
        if parser.send(Piece { format, text: decoded.text }).is_err() {
            break;
        }
    }
    Ok((had_control_chars, hash.digest()))
}

/// Where to end a part: before the last Markdown heading (`#` at a line start after a blank
/// line) that is not inside a fenced code block or an HTML comment. `None`: no such place.
fn heading_cut(buf: &[u8]) -> Option<usize> {
    let mut end = buf.len();
    // A blank line then `#`, with LF or CRLF line ends: (where to search below next time,
    // where the heading begins). Reverse searches are slow: CRLF only when there is a CR.
    let cr = memchr::memchr(b'\r', buf).is_some();
    let last = |end: usize| {
        let lf = memchr::memmem::rfind(&buf[..end], b"\n\n#").map(|i| (i, i + 2));
        let crlf = cr.then(|| memchr::memmem::rfind(&buf[..end], b"\n\r\n#")).flatten();
        lf.max(crlf.map(|i| (i, i + 3)))
    };
    while let Some((i, at)) = last(end) {
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

/// The format of a document from its first bytes. UTF-8 is looked at in place (the buffer
/// may end inside a character); other encodings through a lossy copy, whose markers are
/// ASCII all the same.
fn detect(buf: &[u8]) -> Format {
    let valid = match std::str::from_utf8(buf) {
        Ok(s) => s,
        Err(e) => std::str::from_utf8(&buf[..e.valid_up_to()]).unwrap_or(""),
    };
    if valid.len() + 4 >= buf.len() {
        parse::detect_format(valid)
    } else {
        parse::detect_format(&String::from_utf8_lossy(buf))
    }
}

/// Where to end a plain-text part: after its last blank line. `None`: there is none.
fn blank_line_cut(buf: &[u8]) -> Option<usize> {
    let lf = memchr::memmem::rfind(buf, b"\n\n").map(|i| i + 2);
    let crlf = memchr::memchr(b'\r', buf)
        .and_then(|_| memchr::memmem::rfind(buf, b"\n\r\n"))
        .map(|i| i + 3);
    lf.max(crlf).filter(|&c| c < buf.len())
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
    // Most documents hold no comment: a forward search (much faster than a reverse one)
    // says so, and only then is the last opening compared with the last closing.
    let open_comment = memchr::memmem::find(before, b"<!--").is_some()
        && match (memchr::memmem::rfind(before, b"<!--"), memchr::memmem::rfind(before, b"-->")) {
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

//! Stages 1 and 2 for big files: the first screenful at once, then the whole file in parts.
//!
//! A file bigger than [`BIG`] opens on its first [`FIRST_PART`] bytes, parsed on their own,
//! while the reader's loader thread reads the whole. The whole is read a part at a time
//! (about [`PART`] bytes, cut where a Markdown heading begins, or after a blank line in
//! plain text), each part decoded and hashed on the loader thread and parsed on a parser
//! thread beside it, then dropped: the source text is never held whole, only the display
//! text the tree keeps. That is what keeps an 80 MB archive within 1.5 times its size in
//! memory. Subtitles, HTML pages, and documents without a place to cut, are one part.
//! JSON is cut anywhere and streamed through one JSON reader ([`parse::stream_json`]).
//!
//! A Word package is read whole, whatever its size ([`read`], [`from_bytes`]): it is a zip,
//! whose directory is at its end; its first screen waits for it.

use std::io::{Read, Seek};
use std::path::Path;

use crate::doc::{Document, Format};
use crate::parse::{self, ParseOptions, Parts, docx};
use crate::source::{self, Decoded, SourceError};

/// Stages 1 and 2 for a document read whole: a Word package (known by its first bytes) is
/// unpacked and written as Markdown ([`docx`]); anything else is decoded
/// ([`source::read`]) and parsed. `-` is standard input.
pub fn read(
    path: &Path,
    encoding: Option<&str>,
    opts: &ParseOptions,
) -> Result<Document, SourceError> {
    if path.as_os_str() == "-" {
        let name = Path::new(source::STDIN_NAME);
        let mut bytes = Vec::new();
        let io = |err| SourceError::Io { path: name.to_path_buf(), err };
        std::io::stdin().lock().read_to_end(&mut bytes).map_err(io)?;
        return from_bytes(bytes, name, encoding, opts);
    }
    let io = |err| SourceError::Io { path: path.to_path_buf(), err };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut magic = Vec::with_capacity(4);
    (&mut file).take(4).read_to_end(&mut magic).map_err(io)?;
    if docx::is_zip(&magic) {
        file.rewind().map_err(io)?;
        return word(std::io::BufReader::new(file), path, opts);
    }
    not_word(path, opts)?;
    drop(file);
    parsed(source::read(path, encoding)?, path, opts)
}

/// [`read`] of bytes already in memory (standard input); `name` is used in error messages.
pub fn from_bytes(
    bytes: Vec<u8>,
    name: &Path,
    encoding: Option<&str>,
    opts: &ParseOptions,
) -> Result<Document, SourceError> {
    if docx::is_zip(&bytes) {
        return word(std::io::Cursor::new(bytes), name, opts);
    }
    not_word(name, opts)?;
    source::check_len(name, bytes.len() as u64)?;
    parsed(source::decode(&bytes, encoding, name)?, name, opts)
}

/// `--format docx` names a Word package: other files are refused, not read as text.
fn not_word(name: &Path, opts: &ParseOptions) -> Result<(), SourceError> {
    match opts.format {
        Some(Format::Docx) => Err(SourceError::Word {
            path: name.to_path_buf(),
            reason: "not a Word .docx file".to_string(),
        }),
        _ => Ok(()),
    }
}

/// Decoded text parsed, or why its format refuses it (JSON of no transcript shape).
fn parsed(decoded: Decoded, name: &Path, opts: &ParseOptions) -> Result<Document, SourceError> {
    let refused =
        |why: parse::json::Refusal| SourceError::Refused { path: name.into(), why: why.0 };
    let mut doc = parse::try_parse(decoded.text, opts).map_err(refused)?;
    doc.had_control_chars |= decoded.had_control_chars;
    doc.encoding = legacy(decoded.encoding);
    Ok(doc)
}

/// A Word package, unpacked, written as Markdown and parsed.
fn word<R: Read + Seek>(
    package: R,
    name: &Path,
    opts: &ParseOptions,
) -> Result<Document, SourceError> {
    let path = name.to_path_buf();
    let (md, had) = docx::to_markdown(package).map_err(|e| match e {
        docx::DocxError::Encrypted => SourceError::Encrypted { path: path.clone() },
        e => SourceError::Word { path: path.clone(), reason: e.to_string() },
    })?;
    source::check_len(name, md.len() as u64)?;
    if md.trim().is_empty() {
        return Err(SourceError::NoText { path });
    }
    let opts = ParseOptions { format: Some(Format::Docx), ..opts.clone() };
    let mut doc = parse::parse(md, &opts);
    doc.had_control_chars |= had;
    Ok(doc)
}

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
/// no text, or the file is a Word package (the whole file is then read as usual, by
/// [`read`]).
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
    // A Word package is read whole ([`read`]).
    if docx::is_zip(&bytes) || opts.format == Some(Format::Docx) {
        return Ok(None);
    }
    bytes.truncate(FIRST_PART);
    let cut = if is_utf16(&bytes) {
        bytes.len() & !1
    } else if let Some(cut) = Cutter::new(false).scan(&bytes) {
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
    // A first part that shows no transcript yet (JSON whose segments come after a long
    // preamble) is no verdict: the whole file is read, and judged, instead.
    let Ok(mut doc) = parse::try_parse_first_part(decoded.text, opts) else { return Ok(None) };
    doc.had_control_chars |= decoded.had_control_chars;
    doc.encoding = legacy(decoded.encoding);
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
            let mut rx = rx.into_iter();
            while let Some(p) = rx.next() {
                match parts.as_mut() {
                    None if p
                        .format
                        .or(opts.format)
                        .unwrap_or_else(|| parse::detect_format(&p.text))
                        == Format::Json =>
                    {
                        // Streamed: the parts are read as they come, never held whole.
                        let rest = rx.by_ref().map(|p| p.text);
                        return Some(parse::stream_json(p.text, rest, opts));
                    }
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
        let (had_control_chars, hash, encoding) = read?;
        let mut doc = match doc {
            None => return Err(SourceError::NoText { path: path.to_path_buf() }),
            Some(Err(why)) => return Err(SourceError::Refused { path: path.into(), why: why.0 }),
            Some(Ok(doc)) => doc,
        };
        doc.had_control_chars |= had_control_chars;
        doc.text_hash = Some(crate::hash::hash_text_digest(hash));
        doc.encoding = legacy(encoding);
        Ok(doc)
    })
}

/// What [`source`] calls UTF-8.
const UTF8: &str = "UTF-8";

/// [`Document::encoding`] for text decoded from `encoding`: none for UTF-8.
fn legacy(encoding: &'static str) -> Option<&'static str> {
    (encoding != UTF8).then_some(encoding)
}

/// One decoded part, and the document's format (decided before the first part was cut).
struct Piece {
    format: Option<Format>,
    text: String,
}

/// Read the file a part at a time, cut where its format allows; decode and hash each part
/// and hand it to the parser. Returns whether control characters were replaced, the
/// hash of the decoded text, and the encoding it was read in.
fn read_parts(
    file: &mut dyn Read,
    path: &Path,
    encoding: Option<&str>,
    part: usize,
    opts: &ParseOptions,
    parser: &std::sync::mpsc::SyncSender<Piece>,
    stage: &mut dyn FnMut(Progress),
) -> Result<(bool, u64, &'static str), SourceError> {
    let io = |err| SourceError::Io { path: path.to_path_buf(), err };
    let part = part.max(1);
    let mut buf: Vec<u8> = Vec::with_capacity(part + (part >> 2));
    let mut eof = false;
    let mut forced = encoding.map(str::to_string);
    let mut hash = xxhash_rust::xxh3::Xxh3Default::new();
    let mut had_control_chars = false;
    // The encoding the parts were read in (the first that was not UTF-8).
    let mut used = UTF8;
    let mut blank = true;
    let mut first = true;
    // Source bytes read so far.
    let mut read_before = 0u64;
    // Decided from the first bytes read (markers are ASCII in every encoding read in
    // parts), so that the first part is cut where that format allows.
    let mut format: Option<Format> = opts.format;
    let mut cutter: Option<Cutter> = None;
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
        } else if format.is_none() && (eof || !buf.trim_ascii().is_empty()) {
            // Not from blank lines alone: they say nothing of the format.
            format = Some(detect(&buf));
        }
        if cutter.is_none() {
            // Subtitles are read whole: a cue may continue the one before.
            cutter = match format {
                Some(Format::Markdown) => Some(Cutter::new(true)),
                Some(Format::Plain) => Some(Cutter::new(false)),
                _ => None,
            };
        }
        let cut = match cutter.as_mut() {
            _ if eof => buf.len(),
            Some(c) => c.scan(&buf).unwrap_or(0),
            // JSON is read as a stream of parts: any character boundary will do. After a
            // line break or a comma is one in every encoding read (no multibyte character
            // of Shift_JIS, Big5 or GB18030 holds those bytes; other ASCII bytes may be a
            // character's second or fourth byte there).
            None if format == Some(Format::Json) => {
                buf.iter().rposition(|&b| b == b'\n' || b == b',').map_or(0, |i| i + 1)
            }
            None => 0,
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
        if let Some(c) = cutter.as_mut() {
            c.taken(cut);
        }
        read_before += buf.len() as u64;
        // A part of blank lines only is parsed all the same: its bytes count for the
        // source ranges and the hash of what follows.
        let decoded = match forced.as_deref() {
            // UTF-8 so far: the fast reader (a forced encoding takes the slow general
            // path), held to UTF-8 should a part on its own look like something else.
            Some(UTF8) => match source::decode_part(&buf, None, path)? {
                d if d.encoding == UTF8 => d,
                _ => source::decode_part(&buf, Some(UTF8), path)?,
            },
            other => source::decode_part(&buf, other, path)?,
        };
        // The parts after are read as this one was, once it showed its encoding: plain
        // ASCII (or blank lines) fits any, and a later GBK part must still be found GBK.
        if forced.is_none() && (decoded.encoding != UTF8 || !buf.is_ascii()) {
            forced = Some(decoded.encoding.to_string());
        }
        buf = rest;
        buf.reserve(part.saturating_sub(buf.len()));
        had_control_chars |= decoded.had_control_chars;
        if used == UTF8 {
            used = decoded.encoding;
        }
        blank &= decoded.text.trim().is_empty();
        hash.update(decoded.text.as_bytes());
        stage(Progress { stage: "parsing", done: Some(read_before) });
        first = false;
        // A parser that stopped (it cannot: parsing never fails) leaves nothing to send to.
        if parser.send(Piece { format, text: decoded.text }).is_err() {
            break;
        }
    }
    if blank {
        return Err(SourceError::NoText { path: path.to_path_buf() });
    }
    Ok((had_control_chars, hash.digest(), used))
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

/// Finds where a part may end, looking at each line once however often the buffer grows
/// (a document with no place to cut is read whole, and must not be searched again on
/// every refill). A Markdown part ends before a heading that follows a blank line outside
/// fenced code and HTML comments, by the parser's own rules for those; a plain-text part
/// after a blank line. Only whole lines are looked at: the last, maybe cut-off, line waits
/// for more bytes.
struct Cutter {
    markdown: bool,
    /// Bytes of the buffer looked at: whole lines up to here.
    seen: usize,
    /// The line before `seen` was blank.
    after_blank: bool,
    /// Inside a fenced code block: its fence byte and length.
    fence: Option<(u8, usize)>,
    /// Inside an HTML comment.
    comment: bool,
    /// The last place found to end a part at.
    cut: Option<usize>,
}

impl Cutter {
    fn new(markdown: bool) -> Cutter {
        Cutter { markdown, seen: 0, after_blank: false, fence: None, comment: false, cut: None }
    }

    /// Look at the lines of `buf` not looked at yet; the last place to end a part at.
    fn scan(&mut self, buf: &[u8]) -> Option<usize> {
        while let Some(n) = memchr::memchr(b'\n', &buf[self.seen..]) {
            let start = self.seen;
            self.seen = start + n + 1;
            let line = &buf[start..start + n];
            self.line(start, line.strip_suffix(b"\r").unwrap_or(line));
        }
        self.cut
    }

    fn line(&mut self, start: usize, line: &[u8]) {
        // ASCII blanks only: a line the parser might not call blank is never cut after.
        let blank = line.iter().all(|&b| b == b' ' || b == b'\t');
        if !self.markdown {
            if self.after_blank && !blank {
                self.cut = Some(start);
            }
        } else if self.comment {
            self.comment = memchr::memmem::find(line, b"-->").is_none();
        } else {
            // Only lines that may open or close a block are read as text (markers are
            // ASCII in every encoding read in parts; a line that is not UTF-8 is read
            // lossily, its markers intact).
            let first = line.iter().copied().find(|&b| b != b' ' && b != b'\t');
            let special = match self.fence {
                Some((c, _)) => memchr::memchr(c, line).is_some(),
                None => matches!(first, Some(b'#' | b'`' | b'~' | b'<')),
            };
            if special {
                let text = String::from_utf8_lossy(line);
                let (col, off) = parse::markdown::indent(&text);
                let t = &text[off..];
                if let Some(f) = self.fence {
                    if parse::markdown::closes_fence(&text, f) {
                        self.fence = None;
                    }
                } else if col < 4 {
                    if let Some(f) = parse::markdown::fence(t) {
                        self.fence = Some(f);
                    } else if t.starts_with("<!--") {
                        self.comment = !text.contains("-->");
                    } else if self.after_blank && is_heading(t) {
                        self.cut = Some(start);
                    }
                }
            }
        }
        self.after_blank = blank;
    }

    /// The first `n` bytes of the buffer were taken as a part: the last cut, or at the
    /// end of the input everything, looked at or not.
    fn taken(&mut self, n: usize) {
        self.seen = self.seen.saturating_sub(n);
        self.cut = None;
    }
}

/// `#` to `######` then a space, a tab or the line's end.
fn is_heading(t: &str) -> bool {
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes) && matches!(t.as_bytes().get(hashes), None | Some(b' ' | b'\t'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(t: &[u8]) -> Option<usize> {
        Cutter::new(true).scan(t)
    }

    #[test]
    fn cuts_before_the_last_heading_outside_code_and_comments() {
        let t = b"# T\n\npara\n\n## A\n\ntext\n\n```\n\n# not a heading\n```\n\nmore\n";
        assert!(t[cut(t).unwrap()..].starts_with(b"## A"));
        assert_eq!(cut(b"no headings\n\nat all\n"), None);
        assert_eq!(cut(b"para\n\n#hashtag is not a heading\n"), None);
        // A comment opened at a line start hides headings until it closes.
        let t = b"a\n\n## A\n\n<!-- note\n\n## hidden\n-->\n\n## B\n\n<!--\n\n## hidden\n";
        assert!(t[cut(t).unwrap()..].starts_with(b"## B"));
        // `<!--` inside a sentence opens nothing, as for the parser.
        let t = b"use <!-- to comment\n\n## C\n\nx\n";
        assert!(t[cut(t).unwrap()..].starts_with(b"## C"));
        // A fence closes only on as many fence bytes, alone; ```code``` opens none.
        let t = b"````\n```\n\n# code\n````\n\n```inline```\n\n## D\n\ny\n";
        assert!(t[cut(t).unwrap()..].starts_with(b"## D"));
        // CRLF line ends; a heading on the last, unfinished line is not taken yet.
        let t = b"a\r\n\r\n## E\r\n\r\nb\r\n\r\n## F";
        assert!(t[cut(t).unwrap()..].starts_with(b"## E"));
    }

    #[test]
    fn a_growing_buffer_is_read_on_from_where_it_was_left() {
        let whole = b"x\n\n```\n\n# in code\n```\n\n## A\n\nmore\n\n## B\nend\n";
        let mut c = Cutter::new(true);
        // Fed a few bytes at a time, the fence opened in one piece holds in the next.
        for end in (1..whole.len()).step_by(3) {
            if let Some(at) = c.scan(&whole[..end]) {
                assert!(whole[at..].starts_with(b"## "), "cut at {at}");
            }
        }
        let at = c.scan(whole).unwrap();
        assert!(whole[at..].starts_with(b"## B"));
        // The part before the cut is taken: what is left goes on from the same state.
        let mut rest = whole[at..].to_vec();
        c.taken(at);
        rest.extend_from_slice(b"\n## C\nlast\n");
        assert!(rest[c.scan(&rest).unwrap()..].starts_with(b"## C"));
    }

    #[test]
    fn plain_text_is_cut_after_a_blank_line() {
        let t = b"Ann: one\nline two\n\nBo: three\n\n\nAnn: four\nfive\n";
        assert!(t[Cutter::new(false).scan(t).unwrap()..].starts_with(b"Ann: four"));
        assert_eq!(Cutter::new(false).scan(b"one\ntwo\nthree\n"), None);
        // At the end of the input everything is taken, an unfinished last line too.
        let mut c = Cutter::new(false);
        assert_eq!(c.scan(b"a\n\nb"), None);
        c.taken(4);
        assert_eq!(c.scan(b""), None);
    }
}

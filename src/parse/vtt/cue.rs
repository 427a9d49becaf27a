//! Cue text → turns, shared by the WebVTT and SRT parsers (stage 2).
//!
//! Both formats reduce to the same stream: pieces of cue text, each maybe naming a
//! speaker, with the cue's timing. [`Assembler`] turns that stream into turns and
//! paragraphs; [`Inline`] reads one cue's payload (tags, entities, line breaks) into pieces.

use std::ops::Range;

use crate::doc::{BlockKind, NewBlock, Run, Style};
use crate::parse::Builder;
use crate::parse::join::separator;

/// A pause of at least this long between two cues of one turn starts a new paragraph.
const PARAGRAPH_PAUSE_MS: u64 = 2000;

/// Timing of the cue a piece came from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Timing {
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
}

/// A run of cue text with at most one speaker.
#[derive(Debug, Clone)]
pub struct Piece {
    /// The speaker named here (as written) and where the label is; `None` continues the
    /// current speaker.
    pub voice: Option<(String, Range<usize>)>,
    pub text: String,
    pub runs: Vec<Run>,
    pub src: Range<usize>,
    pub timing: Timing,
    /// Follows the previous piece inside one cue (or a stray block glued to it): no pause.
    pub same_cue: bool,
}

struct Para {
    text: String,
    runs: Vec<Run>,
    src: Range<usize>,
    end_ms: Option<u64>,
}

/// Groups pieces into turns (consecutive pieces of one speaker) and paragraphs.
#[derive(Default)]
pub struct Assembler {
    speaker: Option<String>,
    para: Option<Para>,
}

impl Assembler {
    pub fn push(&mut self, b: &mut Builder, piece: Piece) {
        if piece.text.is_empty() {
            return;
        }
        if let Some((name, label)) = &piece.voice
            && self.speaker.as_deref() != Some(name.as_str())
        {
            self.flush(b);
            b.start_turn(name, piece.timing.start_ms, label.clone());
            self.speaker = Some(name.clone());
        }
        if let Some(p) = &self.para
            && !piece.same_cue
            && let (Some(end), Some(start)) = (p.end_ms, piece.timing.start_ms)
            && start.saturating_sub(end) >= PARAGRAPH_PAUSE_MS
        {
            self.flush(b);
        }
        let end_ms = piece.timing.end_ms;
        match &mut self.para {
            Some(p) => {
                if let (Some(last), Some(first)) =
                    (p.text.chars().next_back(), piece.text.chars().next())
                {
                    p.text.push_str(separator(last, first));
                }
                let shift = p.text.len();
                p.text.push_str(&piece.text);
                p.runs.extend(piece.runs.into_iter().map(|mut r| {
                    r.range = r.range.start + shift..r.range.end + shift;
                    r
                }));
                p.src.start = p.src.start.min(piece.src.start);
                p.src.end = p.src.end.max(piece.src.end);
                if end_ms.is_some() {
                    p.end_ms = end_ms;
                }
            }
            None => {
                self.para =
                    Some(Para { text: piece.text, runs: piece.runs, src: piece.src, end_ms });
            }
        }
    }

    /// Emit the paragraph being filled, if any.
    pub fn flush(&mut self, b: &mut Builder) {
        if let Some(p) = self.para.take() {
            b.block(NewBlock {
                kind: BlockKind::Paragraph,
                aside: String::new(),
                text: p.text,
                runs: p.runs,
                src: p.src,
            });
        }
    }
}

/// Which markup a payload may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `<v>`, `<b>`, `<i>`, `<c>`, timestamps, entities.
    Vtt,
    /// `<b>`, `<i>`, `<u>`, `<font>` and `{\an8}`-style overrides; no entities, no voices.
    Srt,
}

/// Reads cue payloads into [`Piece`]s. Text is appended char by char; tags change style or
/// start a new piece; a line break inside a cue joins like a hard wrap.
pub struct Inline {
    dialect: Dialect,
    timing: Timing,
    pieces: Vec<Piece>,
    cur: Piece,
    bold: u32,
    italic: u32,
    /// Inside `<rt>`: ruby annotations (readings) are not part of the reading text.
    ruby_text: u32,
    /// A line break (or whitespace) was seen since the last visible char.
    pending_break: bool,
    pending_space: bool,
    /// Whether the next piece emitted is the first of its cue.
    first_of_cue: bool,
}

impl Inline {
    pub fn new(dialect: Dialect, timing: Timing, continues_cue: bool) -> Inline {
        Inline {
            dialect,
            timing,
            pieces: Vec::new(),
            cur: Inline::empty_piece(None, timing, continues_cue),
            bold: 0,
            italic: 0,
            ruby_text: 0,
            pending_break: false,
            pending_space: false,
            first_of_cue: !continues_cue,
        }
    }

    fn empty_piece(voice: Option<(String, Range<usize>)>, timing: Timing, same_cue: bool) -> Piece {
        Piece { voice, text: String::new(), runs: Vec::new(), src: 0..0, timing, same_cue }
    }

    /// Close the current piece and open one for `voice`.
    pub fn switch(&mut self, voice: Option<(String, Range<usize>)>) {
        let same_cue = !self.first_of_cue || !self.cur.text.is_empty();
        let next = Inline::empty_piece(voice, self.timing, same_cue);
        let done = std::mem::replace(&mut self.cur, next);
        if !done.text.is_empty() {
            self.first_of_cue = false;
            self.pieces.push(done);
        }
        // Whitespace before a voice tag belongs to neither speaker.
        self.pending_break = false;
        self.pending_space = false;
    }

    pub fn line_break(&mut self) {
        self.pending_break = true;
    }

    fn style(&self) -> Style {
        let mut s = Style::default();
        if self.bold > 0 {
            s = s.union(Style::STRONG);
        }
        if self.italic > 0 {
            s = s.union(Style::EMPHASIS);
        }
        s
    }

    fn push_styled(&mut self, s: &str, style: Style) {
        let start = self.cur.text.len();
        self.cur.text.push_str(s);
        let end = self.cur.text.len();
        if style == Style::default() {
            return;
        }
        match self.cur.runs.last_mut() {
            Some(r) if r.range.end == start && r.style == style => r.range.end = end,
            _ => self.cur.runs.push(Run { range: start..end, style, url: None, quote: None }),
        }
    }

    /// Append one char that came from `src` in the source.
    pub fn push_char(&mut self, c: char, src: Range<usize>) {
        if c == ' ' || c == '\t' {
            if self.ruby_text == 0 {
                self.pending_space = true;
            }
            return;
        }
        let mut buf = [0u8; 4];
        self.push_word(c.encode_utf8(&mut buf), src);
    }

    /// Append text without spaces or tabs that came from `src` in the source, in one go
    /// (the fast path: most of a payload is plain text between markup).
    fn push_word(&mut self, word: &str, src: Range<usize>) {
        if self.ruby_text > 0 {
            return;
        }
        let Some(c) = word.chars().next() else { return };
        let style = self.style();
        if let Some(last) = self.cur.text.chars().next_back() {
            // A space inside a styled span keeps the style; one at its edge stays plain.
            let end = self.cur.text.len();
            let continues =
                self.cur.runs.last().is_some_and(|r| r.range.end == end && r.style == style);
            let sep_style = if continues { style } else { Style::default() };
            if self.pending_break {
                let sep = separator(last, c);
                self.push_styled(sep, sep_style);
            } else if self.pending_space {
                self.push_styled(" ", sep_style);
            }
        } else {
            self.cur.src = src.start..src.start;
            if let Some((_, label)) = &self.cur.voice {
                self.cur.src.start = label.start;
            }
        }
        self.pending_break = false;
        self.pending_space = false;
        self.push_styled(word, style);
        self.cur.src.end = src.end;
    }

    /// Read one line of payload starting at byte `base` of the source.
    pub fn line(&mut self, line: &str, base: usize) {
        let mut i = 0;
        while i < line.len() {
            let Some(c) = line[i..].chars().next() else { break };
            let at = base + i;
            if (c == '<' || c == '{')
                && let Some(len) = markup_len(self.dialect, &line[i..])
            {
                if c == '<' {
                    self.tag(&line[i + 1..i + len - 1], at..at + len);
                }
                i += len;
                continue;
            }
            if c == '&'
                && self.dialect == Dialect::Vtt
                && let Some((decoded, len)) = crate::parse::entity::at(&line[i..])
            {
                for &d in decoded.chars() {
                    self.push_char(d, at..at + len);
                }
                i += len;
                continue;
            }
            if c == ' ' || c == '\t' || c == '<' || c == '{' || c == '&' {
                self.push_char(c, at..at + 1);
                i += 1;
                continue;
            }
            let end = line.as_bytes()[i..]
                .iter()
                .position(|b| matches!(b, b' ' | b'\t' | b'<' | b'{' | b'&'))
                .map_or(line.len(), |k| i + k);
            self.push_word(&line[i..end], at..base + end);
            i = end;
        }
    }

    fn tag(&mut self, tag: &str, src: Range<usize>) {
        let (closing, body) = match tag.strip_prefix('/') {
            Some(b) => (true, b),
            None => (false, tag),
        };
        // The tag name ends at a class dot, whitespace or the end.
        let name_end = body.find(['.', ' ', '\t']).unwrap_or(body.len());
        let name = &body[..name_end];
        match (name.to_ascii_lowercase().as_str(), closing) {
            ("v", false) if self.dialect == Dialect::Vtt => {
                let speaker =
                    body[name_end..].trim_start_matches(|c: char| c != ' ' && c != '\t').trim();
                if !speaker.is_empty() {
                    self.switch(Some((speaker.to_string(), src)));
                }
            }
            ("v", true) if self.dialect == Dialect::Vtt => self.switch(None),
            ("b", false) => self.bold += 1,
            ("b", true) => self.bold = self.bold.saturating_sub(1),
            ("i", false) => self.italic += 1,
            ("i", true) => self.italic = self.italic.saturating_sub(1),
            ("rt", false) if self.dialect == Dialect::Vtt => self.ruby_text += 1,
            ("rt", true) | ("ruby", true) => self.ruby_text = 0,
            _ => {}
        }
    }

    /// The pieces read so far, the current one included.
    pub fn finish(mut self) -> Vec<Piece> {
        self.switch(None);
        self.pieces
    }
}

/// The length of the tag (`<b>`, `</v>`, `<c.x>`, `<00:01.000>`) or SRT override
/// (`{\an8}`) at the start of `s`, or `None` when the `<` or `{` there is literal text
/// (SRT files, unlike WebVTT, leave `a < b and c > d` unescaped).
pub fn markup_len(dialect: Dialect, s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let (open, close) = match bytes.first()? {
        b'<' => (b'<', b'>'),
        b'{' if dialect == Dialect::Srt && s.starts_with("{\\") => (b'{', b'}'),
        _ => return None,
    };
    // The closing bracket is searched only up to the next opening one, so a line of a
    // million `<` stays linear.
    let end = memchr::memchr2(open, close, &bytes[1..])? + 1;
    if bytes[end] != close {
        return None;
    }
    if open == b'{' {
        return Some(end + 1);
    }
    let body = &s[1..end];
    let name = body.strip_prefix('/').unwrap_or(body);
    let first = name.chars().next()?;
    if !first.is_ascii_alphanumeric() {
        return None;
    }
    let known = match dialect {
        Dialect::Vtt => true,
        Dialect::Srt => {
            let n = name.find([' ', '\t']).unwrap_or(name.len());
            matches!(name[..n].to_ascii_lowercase().as_str(), "b" | "i" | "u" | "s" | "font")
        }
    };
    known.then_some(end + 1)
}

/// Longest speaker name in a `NAME:` label, in chars (a length limit, not a display width).
const MAX_NAME_CHARS: usize = 30;

/// A speaker label `NAME:` or `NAME：` at the start of a line: the name and the length of
/// the label (colon included).
pub fn label(line: &str) -> Option<(&str, usize)> {
    let mut colon = None;
    for (n, (i, c)) in line.char_indices().enumerate() {
        if n > MAX_NAME_CHARS {
            return None;
        }
        if c == ':' || c == '：' {
            colon = Some((i, c.len_utf8()));
            break;
        }
        // Sentence punctuation means this is a sentence that happens to contain a colon;
        // a tag or brace means markup.
        if matches!(
            c,
            '，' | '。' | '！' | '？' | '；' | ',' | '?' | '!' | ';' | '<' | '>' | '{' | '"'
        ) {
            return None;
        }
    }
    let (i, len) = colon?;
    let name = line[..i].trim();
    let after = &line[i + len..];
    if name.is_empty()
        || !name.chars().any(char::is_alphabetic)
        || name.split_whitespace().count() > 4
        || after.starts_with("//")
    {
        return None;
    }
    Some((name, i + len))
}

/// Read a cue's lines into `inline`. With `labels`, a `NAME:` at the start of a line
/// (after any opening tags, as in `<b>HOST:</b> hi`) starts a piece for that speaker.
pub fn feed_lines(inline: &mut Inline, lines: &[(usize, &str)], labels: bool) {
    let mut started = false;
    for &(at, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let rest = &line[lead..];
        let mut skip = 0;
        while let Some(n) = markup_len(inline.dialect, &rest[skip..]) {
            skip += n;
        }
        match label(&rest[skip..]).filter(|_| labels) {
            Some((name, len)) => {
                // Opening tags before the label still style what follows it.
                inline.line(&rest[..skip], at + lead);
                let label_at = at + lead + skip;
                inline.switch(Some((name.to_string(), label_at..label_at + len)));
                inline.line(&rest[skip + len..], label_at + len);
            }
            None => {
                if started {
                    inline.line_break();
                }
                inline.line(rest, at + lead);
            }
        }
        started = true;
    }
}

/// `[hh:]mm:ss.mmm` (or `,mmm`), lenient about digit counts.
pub fn parse_timestamp(s: &str) -> Option<u64> {
    let s = s.trim();
    let (clock, frac) = match s.rfind(['.', ',']) {
        Some(p) => (&s[..p], &s[p + 1..]),
        None => (s, ""),
    };
    let digits = |t: &str| !t.is_empty() && t.len() <= 12 && t.bytes().all(|b| b.is_ascii_digit());
    let mut parts = clock.split(':');
    let mut fields = [0u64; 3];
    let mut n = 0;
    for p in parts.by_ref() {
        if n == 3 || !digits(p) {
            return None;
        }
        fields[n] = p.parse().ok()?;
        n += 1;
    }
    let (h, m, sec) = match n {
        2 => (0, fields[0], fields[1]),
        3 => (fields[0], fields[1], fields[2]),
        _ => return None,
    };
    let ms = if frac.is_empty() {
        0
    } else {
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut v = 0u64;
        for b in frac.bytes().chain(std::iter::repeat(b'0')).take(3) {
            v = v * 10 + u64::from(b - b'0');
        }
        v
    };
    h.checked_mul(3_600_000)?
        .checked_add(m.checked_mul(60_000)?)?
        .checked_add(sec.checked_mul(1000)?)?
        .checked_add(ms)
}

/// A timing line `start --> end [settings]`: the start and end times, if it is one.
pub fn parse_timing(line: &str) -> Option<Timing> {
    let (left, right) = line.split_once("-->")?;
    let start = parse_timestamp(left)?;
    let end = right.split_whitespace().next().and_then(parse_timestamp);
    Some(Timing { start_ms: Some(start), end_ms: end })
}

/// Lines of `text` with the byte offset where each starts (`\n` removed).
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    text.split('\n').map(move |l| {
        let at = pos;
        pos += l.len() + 1;
        (at, l.strip_suffix('\r').unwrap_or(l))
    })
}

#[cfg(test)]
mod tests {
    use super::{parse_timestamp, parse_timing};

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("00:01.500"), Some(1500));
        assert_eq!(parse_timestamp("01:02:03,004"), Some(3_723_004));
        assert_eq!(parse_timestamp("1:02:03.4"), Some(3_723_400));
        assert_eq!(parse_timestamp("abc"), None);
        assert_eq!(parse_timestamp("99999999999:00:00.000"), Some(99_999_999_999 * 3_600_000));
        assert_eq!(parse_timestamp("0:0:99999999999999999999.000"), None);
        let t = parse_timing("00:00:05.000 --> 00:00:07.250 align:start line:0").unwrap();
        assert_eq!((t.start_ms, t.end_ms), (Some(5000), Some(7250)));
    }
}

//! Cue text → turns, shared by the WebVTT and SRT parsers (stage 2).
//!
//! Both formats reduce to the same stream: [`Cue`]s, read twice by [`read`]. The first
//! pass surveys the file: which `NAME:` and `[NAME]:` labels it uses ([`label::Tally`]), and
//! whether its captions roll ([`roll::Evidence`]). The second reads each cue's payload (tags,
//! entities, line breaks) into pieces of text, each maybe naming a speaker ([`Inline`]),
//! drops what a rolling file already showed ([`roll::Rolling`]), and [`Assembler`] turns the
//! pieces into turns and paragraphs.
//!
//! Invariant: a label counts as the text parsers' do, by the document's decision
//! ([`label::Decision`]): a `NAME:` at a cue line's start names a speaker only when the name
//! looks like one and the file uses such labels (several, a name more than once), so a
//! colon in speech-to-text prose (`我们今天要讲的就是：`) stays text. A bracketed machine label
//! (`[SPEAKER_03]`, `[Speaker 2]:`) counts on its own and is named without its brackets; a
//! quoted name in a WebVTT cue identifier (`1 "Dana Whitfield" (2241907733)`) names the cue's
//! speaker unless a `<v>` tag does.
//!
//! Every paragraph keeps its first cue's start time ([`Builder::timed_block`]). Text before
//! any speaker (a caption file without labels) breaks into paragraphs at pauses and, so
//! that it reads in parts of about a minute, at the first cue a minute or more after the
//! paragraph began ([`crate::doc::PART_MS`]).

use std::ops::Range;

use super::roll;
use crate::doc::{BlockKind, NewBlock, Run, Style, TimeMark};
use crate::parse::Builder;
use crate::parse::join::separator;
use crate::parse::label::{self, Label, Shape, looks_like_name};

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
    /// The first cue's start.
    start_ms: Option<u64>,
    end_ms: Option<u64>,
    /// Where each cue's text begins in `text`, with the cue's times.
    times: Vec<TimeMark>,
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
        if self.minute_break(&piece) {
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
                let (start, end) = (piece.timing.start_ms, piece.timing.end_ms);
                let last = p.times.last().map(|m| (m.start_ms(), m.end_ms()));
                if (start.is_some() || end.is_some())
                    && (!piece.same_cue || last != Some((start, end)))
                {
                    // Untimed text before the first timed cue goes with it.
                    let at = if p.times.is_empty() { 0 } else { shift };
                    p.times.push(TimeMark::new(at, start, end));
                }
                p.text.push_str(&piece.text);
                p.runs.extend(piece.runs.into_iter().map(|mut r| {
                    r.range = r.range.start + shift..r.range.end + shift;
                    r
                }));
                p.src.start = p.src.start.min(piece.src.start);
                p.src.end = p.src.end.max(piece.src.end);
                p.start_ms = p.start_ms.or(piece.timing.start_ms);
                if end_ms.is_some() {
                    p.end_ms = end_ms;
                }
            }
            None => {
                let (text, runs, src, start_ms) =
                    (piece.text, piece.runs, piece.src, piece.timing.start_ms);
                let times = match start_ms.is_some() || end_ms.is_some() {
                    true => vec![TimeMark::new(0, start_ms, end_ms)],
                    false => Vec::new(),
                };
                self.para = Some(Para { text, runs, src, start_ms, end_ms, times });
            }
        }
    }

    /// Text outside any turn (no speaker named yet) starts a new paragraph at the first cue
    /// a minute or more after the paragraph began: a caption file without speakers reads
    /// in parts of about a minute instead of one paragraph as long as the recording.
    fn minute_break(&self, piece: &Piece) -> bool {
        let Some(p) = &self.para else { return false };
        self.speaker.is_none()
            && !piece.same_cue
            && p.start_ms
                .zip(piece.timing.start_ms)
                .is_some_and(|(first, start)| start >= first.saturating_add(crate::doc::PART_MS))
    }

    /// Emit the paragraph being filled, if any.
    pub fn flush(&mut self, b: &mut Builder) {
        if let Some(p) = self.para.take() {
            let block = NewBlock {
                kind: BlockKind::Paragraph,
                aside: String::new(),
                text: p.text,
                runs: p.runs,
                src: p.src,
            };
            b.timed_block(block, &p.times, &[]);
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
    /// The current piece's speaker is named outside the payload (a cue identifier): its
    /// source starts at its text, not at the name.
    voice_outside: bool,
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
            voice_outside: false,
        }
    }

    /// Name the speaker of the cue's text from outside its payload (a cue identifier).
    pub fn identifier_voice(&mut self, name: &str, src: Range<usize>) {
        self.switch(Some((name.to_string(), src)));
        self.voice_outside = true;
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
        self.voice_outside = false;
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
            if let Some((_, label)) = &self.cur.voice
                && !self.voice_outside
            {
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

/// Longest `NAME:` label, in chars up to its colon (a length limit, not a display width):
/// the longest name [`looks_like_name`] takes, and a few spaces.
const MAX_LABEL_CHARS: usize = 44;

/// A speaker label `NAME:` or `NAME：` at the start of a line whose name looks like a name
/// ([`looks_like_name`]): the name and the length of the label (colon included). A colon
/// between digits is part of a time (`at 10:30`), not a label's.
pub fn label(line: &str) -> Option<(&str, usize)> {
    let mut colon = None;
    let mut prev = ' ';
    for (n, (i, c)) in line.char_indices().enumerate() {
        if n > MAX_LABEL_CHARS {
            return None;
        }
        let in_time = c == ':'
            && prev.is_ascii_digit()
            && line[i + 1..].starts_with(|d: char| d.is_ascii_digit());
        if (c == ':' || c == '：') && !in_time {
            colon = Some((i, c.len_utf8()));
            break;
        }
        prev = c;
    }
    let (i, len) = colon?;
    let name = line[..i].trim();
    if line[i + len..].starts_with("//") || !looks_like_name(name) {
        return None;
    }
    Some((name, i + len))
}

/// A label at the start of a cue line (after any opening tags).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueLabel {
    /// The name, a byte range of the line: without brackets for `[SPEAKER_01]`.
    pub name: Range<usize>,
    /// The label's length, brackets and colon included.
    pub len: usize,
    /// [`Shape::Colon`] or [`Shape::Bracket`], for the document's decision.
    pub shape: Shape,
    /// A diarization label (`[SPEAKER_03]`, `[Speaker 2]`): a label on its own merits.
    pub machine: bool,
}

/// `SPEAKER_03`, `Speaker 2`, `spk_1`, `Speaker A`: a speaker as diarization names one.
fn is_machine_name(name: &str) -> bool {
    let letters = name.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = name[..letters].to_ascii_lowercase();
    let rest = name[letters..].strip_prefix(['_', ' ', '-']).unwrap_or(&name[letters..]);
    matches!(word.as_str(), "speaker" | "spk" | "spkr")
        && ((1..=3).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_digit())
            || rest.len() == 1 && rest.bytes().all(|b| b.is_ascii_uppercase()))
}

/// The speaker label at the start of a cue line, of any shape: `[SPEAKER_03]: text`,
/// `[SPEAKER_03] text`, `[Name]: text`, `Name: text`. Whether it counts is the document's
/// decision (a machine label always does).
pub fn cue_label(line: &str) -> Option<CueLabel> {
    if line.starts_with('[') {
        if let Some(l) = label::bracket_label(line) {
            let machine = is_machine_name(&line[l.name.clone()]);
            let len = line[..l.end].trim_end().len();
            return Some(CueLabel { name: l.name, len, shape: Shape::Bracket, machine });
        }
        // Without a colon, only a machine label: `[Music]` is a sound.
        let close = line.get(..24).unwrap_or(line).find(']')?;
        let inner = &line[1..close];
        let name = 1 + (inner.len() - inner.trim_start().len())..1 + inner.trim_end().len();
        if !is_machine_name(&line[name.clone()]) {
            return None;
        }
        let len = close + 1;
        return Some(CueLabel { name, len, shape: Shape::Bracket, machine: true });
    }
    let (name, len) = label(line)?;
    let start = name.as_ptr() as usize - line.as_ptr() as usize;
    let machine = false;
    Some(CueLabel { name: start..start + name.len(), len, shape: Shape::Colon, machine })
}

/// The [`label::Label`] standing for a cue label, for a [`label::Tally`] or [`label::Decision`].
fn as_label(l: &CueLabel) -> Label {
    Label { name: l.name.clone(), start_ms: None, end: l.len, bold: false, shape: l.shape }
}

/// Where a payload line's text starts: past its leading spaces, and past the opening tags
/// before any label (`<b>HOST:</b> hi`, `{\an8}`). `None` for a blank line.
fn line_head(dialect: Dialect, line: &str) -> Option<(usize, usize)> {
    let rest = line.trim_start();
    if rest.is_empty() {
        return None;
    }
    let mut skip = 0;
    while let Some(n) = markup_len(dialect, &rest[skip..]) {
        skip += n;
    }
    Some((line.len() - rest.len(), skip))
}

/// Read a cue's lines into `inline`. `label_at(offset, text, inner)` gives the label that
/// counts at the start of a line's text (past leading tags; at that byte offset of the
/// source; `inner`: not the cue's first line), if any: it starts a piece for that speaker.
pub fn feed_lines(
    inline: &mut Inline,
    lines: &[(usize, &str)],
    mut label_at: impl FnMut(usize, &str, bool) -> Option<CueLabel>,
) {
    let mut started = false;
    for &(at, line) in lines {
        let Some((lead, skip)) = line_head(inline.dialect, line) else { continue };
        let rest = &line[lead..];
        let head = &rest[skip..];
        let label_start = at + lead + skip;
        match label_at(label_start, head, started) {
            Some(l) => {
                // Opening tags before the label still style what follows it.
                inline.line(&rest[..skip], at + lead);
                let name = head[l.name].to_string();
                inline.switch(Some((name, label_start..label_start + l.len)));
                inline.line(&head[l.len..], label_start + l.len);
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

/// One cue, as both formats give it.
pub struct Cue<'a> {
    /// The line before the timing line (WebVTT), if any.
    pub ident: Option<(usize, &'a str)>,
    pub timing: Timing,
    /// The payload, blank lines included, each with its byte offset.
    pub lines: &'a [(usize, &'a str)],
    /// Text before any timing line: no timing of its own.
    pub continues: bool,
}

/// Does this payload name speakers with `<v>` tags? Then its colons are not labels.
fn has_voice(dialect: Dialect, lines: &[(usize, &str)]) -> bool {
    dialect == Dialect::Vtt && lines.iter().any(|(_, l)| l.contains("<v"))
}

/// A speaker named in a WebVTT cue identifier, as one video-meeting service writes it:
/// `1 "Dana Whitfield" (2241907733)`, a number, the name in double quotes, an id in
/// brackets. The name's byte range in `id`.
pub fn identifier_speaker(id: &str) -> Option<Range<usize>> {
    let open = id.find('"')?;
    let close = open + 1 + id[open + 1..].find('"')?;
    let (before, after) = (id[..open].trim(), id[close + 1..].trim());
    let tag = after.strip_prefix('(').and_then(|a| a.strip_suffix(')'));
    let tag_ok = after.is_empty()
        || tag.is_some_and(|t| t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    if !before.bytes().all(|b| b.is_ascii_digit()) || !tag_ok {
        return None;
    }
    let inner = &id[open + 1..close];
    let start = open + 1 + (inner.len() - inner.trim_start().len());
    let name = start..open + 1 + inner.trim_end().len();
    (name.start < name.end && looks_like_name(&id[name.clone()])).then_some(name)
}

/// What the first pass learns from a caption file's cues.
struct Survey {
    dialect: Dialect,
    tally: label::Tally,
    /// Each label found, with the byte offset of the line text it starts, in order: the
    /// second pass looks them up instead of scanning every line again.
    found: Vec<(usize, CueLabel)>,
    rolls: roll::Evidence,
}

impl Survey {
    fn cue(&mut self, c: &Cue) {
        if !has_voice(self.dialect, c.lines) {
            let mut inner = false;
            for &(at, line) in c.lines {
                let Some((lead, skip)) = line_head(self.dialect, line) else { continue };
                let head = &line[lead + skip..];
                if let Some(l) = cue_label(head) {
                    self.tally.add(&as_label(&l), &head[l.name.clone()], inner);
                    self.found.push((at + lead + skip, l));
                }
                inner = true;
            }
        }
        self.rolls.cue(self.dialect, c.lines, c.timing);
    }
}

/// The second pass: cues into turns.
struct Reader {
    dialect: Dialect,
    decision: label::Decision,
    found: Vec<(usize, CueLabel)>,
    /// The next of `found` to look at.
    next: usize,
    rolling: Option<roll::Rolling>,
    asm: Assembler,
}

impl Reader {
    fn cue(&mut self, b: &mut Builder, c: &Cue) {
        let mut inline = Inline::new(self.dialect, c.timing, c.continues);
        let voiced = has_voice(self.dialect, c.lines);
        let mut named = None;
        if let Some((at, id)) = c.ident.filter(|_| !voiced && self.dialect == Dialect::Vtt)
            && let Some(r) = identifier_speaker(id)
        {
            inline.identifier_voice(&id[r.clone()], at + r.start..at + r.end);
            named = Some(&id[r]);
        }
        let (decision, found, next) = (&self.decision, &self.found, &mut self.next);
        feed_lines(&mut inline, c.lines, |at, head, inner| {
            while found.get(*next).is_some_and(|(f, _)| *f < at) {
                *next += 1;
            }
            let (_, l) = found.get(*next).filter(|(f, _)| *f == at)?;
            let name = &head[l.name.clone()];
            let counts =
                l.machine || named == Some(name) || decision.accepts(&as_label(l), name, inner);
            counts.then(|| l.clone())
        });
        let mut pieces = inline.finish();
        if let Some(r) = self.rolling.as_mut() {
            r.dedup(&mut pieces, roll::flashes(c.timing));
        }
        for piece in pieces {
            self.asm.push(b, piece);
        }
    }
}

/// Read a caption file into `b`. `each` calls its argument with every cue of the file in
/// order; it is called twice, once to survey the file and once to read it.
pub fn read(b: &mut Builder, dialect: Dialect, mut each: impl FnMut(&mut dyn FnMut(&Cue))) {
    let mut survey = Survey {
        dialect,
        tally: label::Tally::default(),
        found: Vec::new(),
        rolls: roll::Evidence::default(),
    };
    each(&mut |c| survey.cue(c));
    let rolling = survey.rolls.rolling().then(roll::Rolling::default);
    let decision = b.decide(survey.tally);
    let found = survey.found;
    let mut reader =
        Reader { dialect, decision, found, next: 0, rolling, asm: Assembler::default() };
    each(&mut |c| reader.cue(b, c));
    reader.asm.flush(b);
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
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> + Clone {
    let mut pos = 0;
    text.split('\n').map(move |l| {
        let at = pos;
        pos += l.len() + 1;
        (at, l.strip_suffix('\r').unwrap_or(l))
    })
}

#[cfg(test)]
mod tests {
    use super::{cue_label, identifier_speaker, parse_timestamp, parse_timing};

    fn named(line: &str) -> Option<(&str, &str, bool)> {
        cue_label(line).map(|l| (&line[l.name], &line[l.len..], l.machine))
    }

    #[test]
    fn cue_labels() {
        assert_eq!(named("[SPEAKER_03]: hi"), Some(("SPEAKER_03", " hi", true)));
        assert_eq!(named("[SPEAKER_03] hi"), Some(("SPEAKER_03", " hi", true)));
        assert_eq!(named("[Speaker 2] hi"), Some(("Speaker 2", " hi", true)));
        assert_eq!(named("[Ann Lee]: hi"), Some(("Ann Lee", " hi", false)));
        assert_eq!(named("Ann Lee: hi"), Some(("Ann Lee", " hi", false)));
        assert_eq!(named("[Music]"), None);
        assert_eq!(named("[Speakers talking]"), None);
        assert_eq!(named("[笑]"), None);
    }

    #[test]
    fn identifiers_naming_speakers() {
        let id = "1 \"Dana Whitfield\" (2241907733)";
        assert_eq!(identifier_speaker(id).map(|r| &id[r]), Some("Dana Whitfield"));
        let id = "\"Dana Whitfield\"";
        assert_eq!(identifier_speaker(id).map(|r| &id[r]), Some("Dana Whitfield"));
        for id in ["intro", "12", "1 \"well, I said so\" (1)", "say \"Ann\"", "1 \"Ann\" later"] {
            assert_eq!(identifier_speaker(id), None, "{id}");
        }
    }

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

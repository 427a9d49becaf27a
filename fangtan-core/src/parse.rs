//! Stage 2 of the pipeline: text → [`Document`].
//!
//! Format detection is by content, never by file name. Each format's parser feeds a
//! [`Builder`], which owns the rules every format shares: speaker interning and aliases,
//! section nesting, turn indices and the quote index.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::ops::Range;

use crate::doc::{
    Document, Format, Item, NewBlock, Section, Speaker, SpeakerId, TimeMark, Title, narrow,
};

pub mod docx;
pub mod entity;
pub mod frontmatter;
pub mod html;
pub mod inline;
pub mod join;
pub mod json;
pub mod label;
pub mod markdown;
pub mod page;
pub mod plain;
pub mod srt;
pub mod vtt;
pub mod write_md;

/// What a caller (CLI, config) tells the parser.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// Force a format instead of detecting it.
    pub format: Option<Format>,
    /// Variant spelling → canonical speaker name.
    pub aliases: HashMap<String, String>,
    /// Speaker name → display name.
    pub names: HashMap<String, String>,
    /// Extra label patterns (`[speakers] labels`): anchored regexes with a `name` group and
    /// an optional `time` group, tried at the start of a paragraph line.
    pub labels: Vec<regex::Regex>,
    /// Chapters of the recording (a Podcasting 2.0 chapters file), by start: each begins
    /// a section before the first turn or timed paragraph at or after its start.
    pub chapters: Vec<Chapter>,
}

/// A chapter of a recording ([`json::chapters`] reads a chapters file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    pub start_ms: u64,
    pub title: String,
}

/// Detect the format of a text by its content. Front matter says nothing of it: it is
/// looked past (a YAML `# comment` is no heading).
pub fn detect_format(text: &str) -> Format {
    let text = match frontmatter::find(text) {
        Some(f) => &text[f.end..],
        None => text,
    };
    let head = text.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("WEBVTT") {
        return Format::Webvtt;
    }
    if json::looks_like_json(head) {
        return Format::Json;
    }
    if srt::looks_like_srt(head) {
        return Format::Srt;
    }
    if page::looks_like_html(head) {
        return Format::Html;
    }
    if markdown::looks_like_markdown(text) {
        return Format::Markdown;
    }
    Format::Plain
}

/// Parse decoded, sanitized text into a document. A text that is not what its format
/// needs (JSON of no transcript shape) is read as plain text: callers that can report it
/// use [`try_parse`].
pub fn parse(text: String, opts: &ParseOptions) -> Document {
    try_parse_text(text, opts, false).unwrap_or_else(|(text, _)| {
        let plain = ParseOptions { format: Some(Format::Plain), ..opts.clone() };
        parse(text, &plain)
    })
}

/// Parse decoded, sanitized text into a document, or say in one line why its format
/// refuses it (`JSON, but not a transcript I know: top-level keys …`).
pub fn try_parse(text: String, opts: &ParseOptions) -> Result<Document, json::Refusal> {
    try_parse_text(text, opts, false).map_err(|(_, why)| why)
}

/// [`try_parse`] of the first part of a bigger file: text running out midway through a
/// structure (a JSON list) is no error.
pub fn try_parse_first_part(text: String, opts: &ParseOptions) -> Result<Document, json::Refusal> {
    try_parse_text(text, opts, true).map_err(|(_, why)| why)
}

fn try_parse_text(
    text: String,
    opts: &ParseOptions,
    partial: bool,
) -> Result<Document, (String, json::Refusal)> {
    let format = opts.format.unwrap_or_else(|| detect_format(&text));
    let mut b = Builder::new(text, format, opts);
    match run(format, &mut b, partial) {
        Ok(()) => Ok(b.finish()),
        Err(why) => Err((b.take_text(), why)),
    }
}

/// Parse the builder's text with the parser of `format`.
fn run(format: Format, b: &mut Builder, partial: bool) -> Result<(), json::Refusal> {
    match format {
        Format::Markdown => markdown::parse(b),
        Format::Plain => plain::parse(b),
        Format::Webvtt => vtt::parse(b),
        Format::Srt => srt::parse(b),
        Format::Json => return json::parse(b, partial),
        Format::Html => page::parse(b),
        // The text is the Markdown written from the package ([`docx`]).
        Format::Docx => markdown::parse(b),
    }
    Ok(())
}

/// A document parsed a part at a time ([`crate::load`] reads big files so), each part's
/// source dropped once parsed. Markdown parts after the first begin where a heading
/// begins, plain-text parts after a blank line, so no block spans two parts; labels that
/// need two uses are counted within a part. Subtitles and HTML pages are held and parsed whole at the end.
pub struct Parts {
    b: Builder,
    held: Option<String>,
}

impl Parts {
    /// Start with the first part; the format is detected from it unless given.
    pub fn new(first: String, format: Option<Format>, opts: &ParseOptions) -> Parts {
        let format = format.or(opts.format).unwrap_or_else(|| detect_format(&first));
        let mut b = Builder::new(String::new(), format, opts);
        b.tally = Some(label::Tally::default());
        let mut p = Parts { b, held: held(format) };
        p.push(first);
        p
    }

    /// Parse the next part (a Markdown document), or hold it (other formats).
    pub fn push(&mut self, part: String) {
        if let Some(h) = self.held.as_mut() {
            // Subtitles arrive in one piece (`load` never cuts them): taken, not copied.
            match h.is_empty() {
                true => *h = part,
                false => h.push_str(&part),
            }
            return;
        }
        self.b.base = self.b.consumed;
        self.b.consumed += part.len();
        self.b.doc.text = part;
        // Only held formats can refuse a text, and they are not parsed here.
        let _ = run(self.format(), &mut self.b, false);
        self.b.doc.text = String::new();
    }

    fn format(&self) -> Format {
        self.b.doc.format.unwrap_or(Format::Plain)
    }

    /// The document of every part pushed, or why its format refuses it.
    pub fn finish(mut self) -> Result<Document, json::Refusal> {
        if let Some(text) = self.held.take() {
            self.b.doc.text = text;
            run(self.format(), &mut self.b, false)?;
        }
        Ok(self.b.finish())
    }
}

/// A JSON document read a part at a time as the parts come ([`crate::load`]): the parts
/// are never held whole, only the tree is built.
pub fn stream_json(
    first: String,
    rest: impl Iterator<Item = String>,
    opts: &ParseOptions,
) -> Result<Document, json::Refusal> {
    let mut b = Builder::new(String::new(), Format::Json, opts);
    let reader = Chunks { now: first.into_bytes(), at: 0, rest };
    // The JSON reader takes a byte at a time: from a buffer, that is cheap.
    let reader = std::io::BufReader::with_capacity(64 << 10, reader);
    json::read(&mut b, serde_json::de::IoRead::new(reader), false)?;
    Ok(b.finish())
}

/// Parts of a text as one reader.
struct Chunks<I> {
    now: Vec<u8>,
    at: usize,
    rest: I,
}

impl<I: Iterator<Item = String>> std::io::Read for Chunks<I> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at >= self.now.len() {
            match self.rest.next() {
                Some(next) => (self.now, self.at) = (next.into_bytes(), 0),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.now.len() - self.at);
        buf[..n].copy_from_slice(&self.now[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Subtitles are parsed whole (a cue may continue the one before it), JSON (a value spans
/// the file) and HTML pages (their markup has no place to cut).
fn held(format: Format) -> Option<String> {
    matches!(format, Format::Webvtt | Format::Srt | Format::Json | Format::Html).then(String::new)
}

/// Accumulates a document in reading order. Parsers call it as they meet things.
pub struct Builder {
    doc: Document,
    /// Speakers by name: indices into `doc.speakers`, hashed by the name they point at
    /// (no second copy of every name).
    speaker_ix: hashbrown::HashTable<u32>,
    hasher: hashbrown::DefaultHashBuilder,
    aliases: HashMap<String, String>,
    names: HashMap<String, String>,
    labels: Vec<regex::Regex>,
    /// Open sections as (level, index), innermost last.
    open: Vec<(u8, usize)>,
    /// The turn being filled, if any.
    current: Option<usize>,
    /// Offset of the text being parsed in the whole source (parts after the first), added
    /// to every source range.
    base: usize,
    /// Source bytes parsed so far, in parts.
    consumed: usize,
    /// Reading in parts: the labels of the parts before (see [`Builder::decide`]). `None`
    /// when the text is parsed whole.
    tally: Option<label::Tally>,
    /// Chapters by start, and how many have begun a section.
    chapters: Vec<Chapter>,
    chapters_done: usize,
}

impl Builder {
    pub fn new(text: String, format: Format, opts: &ParseOptions) -> Builder {
        Builder {
            doc: Document::new(format, text),
            speaker_ix: hashbrown::HashTable::new(),
            hasher: hashbrown::DefaultHashBuilder::default(),
            aliases: opts.aliases.clone(),
            names: opts.names.clone(),
            labels: opts.labels.clone(),
            open: Vec::new(),
            current: None,
            base: 0,
            consumed: 0,
            tally: None,
            chapters: opts.chapters.clone(),
            chapters_done: 0,
        }
    }

    /// Begin a section for each chapter that has begun by `start_ms`. Whether one did.
    fn chapters_before(&mut self, start_ms: Option<u64>) -> bool {
        let Some(start) = start_ms else { return false };
        let mut any = false;
        while let Some(ch) = self.chapters.get(self.chapters_done)
            && ch.start_ms <= start
        {
            let title = ch.title.clone();
            self.chapters_done += 1;
            self.heading(title, 2, 0..0);
            any = true;
        }
        any
    }

    /// Which labels count, from the labels a parser found in its text ([`label::Decision`]).
    /// Read in parts, the parts before count too, and this part's are remembered for the
    /// parts after: a pattern established early still holds in a later part. (A part is
    /// parsed before the next is read, so evidence that only comes later is missed.)
    pub fn decide(&mut self, mut tally: label::Tally) -> label::Decision {
        if let Some(before) = self.tally.as_mut() {
            tally.merge(before);
            *before = tally.clone();
        }
        label::Decision::new(tally)
    }

    /// The start time of the block just added (a paragraph after a bare `(00:03:41):`).
    pub fn time_last_block(&mut self, start_ms: u64) {
        self.doc.time_last_block(&[TimeMark::new(0, Some(start_ms), None)], &[]);
    }

    /// Room for about this many turns and body items, when a parser can tell them in
    /// advance: growing by doubling would leave up to half the space unused and, while
    /// moving, hold the old and the new vector at once.
    pub fn reserve(&mut self, turns: usize, items: usize, blocks: usize) {
        self.doc.turns.reserve_exact(turns);
        self.doc.items.reserve_exact(items);
        self.doc.reserve_blocks(blocks);
    }

    /// Room for about this many speakers (a parser that counted the names it may make).
    pub fn reserve_speakers(&mut self, n: usize) {
        self.doc.speakers.reserve_exact(n.saturating_sub(self.doc.speakers.len()));
        let (speakers, hasher) = (&self.doc.speakers, &self.hasher);
        self.speaker_ix.reserve(n, |&i| hasher.hash_one(&speakers[i as usize].name));
    }

    /// The user's extra label patterns.
    pub fn label_patterns(&self) -> &[regex::Regex] {
        &self.labels
    }

    /// Take the text out while parsing borrows it; give it back with [`Builder::restore_text`].
    pub fn take_text(&mut self) -> String {
        std::mem::take(&mut self.doc.text)
    }

    pub fn restore_text(&mut self, text: String) {
        self.doc.text = text;
    }

    fn shift(&self, r: Range<usize>) -> Range<usize> {
        r.start + self.base..r.end + self.base
    }

    pub fn set_title(&mut self, text: String, src: Range<usize>) {
        let src = self.shift(src).into();
        self.doc.title = Some(Title { text, src });
    }

    pub fn has_title(&self) -> bool {
        self.doc.title.is_some()
    }

    /// Character references in a name or metadata (`Jos&eacute;`) are decoded in every
    /// format but SRT, which has none; in Markdown and plain text, known HTML tags go. The
    /// Markdown written from a page or a package holds only its own escapes.
    fn decode<'a>(&self, s: &'a str) -> std::borrow::Cow<'a, str> {
        match self.doc.format {
            Some(Format::Srt) => std::borrow::Cow::Borrowed(s),
            Some(Format::Html | Format::Docx) => write_md::unescape(s),
            Some(Format::Webvtt) => entity::decode(s),
            _ => html::plain_line(s),
        }
    }

    pub fn push_meta(&mut self, key: String, value: String, src: Range<usize>) {
        let src = self.shift(src).into();
        let key = self.decode(&key).into_owned();
        let value = self.decode(&value).into_owned();
        self.doc.meta.push(crate::doc::Meta { key, value, src });
    }

    /// How many metadata entries there are.
    pub fn meta_len(&self) -> usize {
        self.doc.meta.len()
    }

    /// Take out metadata entry `i`.
    pub fn remove_meta(&mut self, i: usize) -> Option<crate::doc::Meta> {
        (i < self.doc.meta.len()).then(|| self.doc.meta.remove(i))
    }

    /// Whether the text being parsed is the start of the document (not a later part).
    pub fn at_start(&self) -> bool {
        self.base == 0
    }

    /// Move the origin of the source ranges given from now on by `by` bytes: a parser
    /// given the text after front matter still reports ranges in the whole text.
    pub fn offset(&mut self, by: isize) {
        self.base = self.base.saturating_add_signed(by);
    }

    /// Whether any section or turn has begun (meta lines only come before that).
    pub fn body_started(&self) -> bool {
        !self.doc.sections.is_empty() || !self.doc.turns.is_empty()
    }

    /// A heading ends the current turn and opens a section nested under any open section
    /// of a lower level.
    pub fn heading(&mut self, title: String, level: u8, src: Range<usize>) {
        let src = self.shift(src).into();
        self.end_turn();
        while self.open.last().is_some_and(|&(l, _)| l >= level) {
            self.open.pop();
        }
        let index = self.doc.sections.len();
        let turns = self.doc.turns.len();
        self.doc.sections.push(Section {
            title,
            level,
            parent: self.open.last().map(|&(_, i)| i),
            item: self.doc.items.len(),
            turns: turns..turns,
            src,
        });
        self.doc.items.push(Item::Heading(narrow(index)));
        self.open.push((level, index));
    }

    fn section(&self) -> Option<usize> {
        self.open.last().map(|&(_, i)| i)
    }

    /// Start a turn of `name` (as written in the label). Ends any open turn.
    pub fn start_turn(&mut self, name: &str, start_ms: Option<u64>, label_src: Range<usize>) {
        let label_src = self.shift(label_src).into();
        self.chapters_before(start_ms);
        self.end_turn();
        let name = self.decode(name);
        let speaker = self.intern(&name);
        let index = self.doc.turns.len();
        let section = self.section();
        let turn = self.doc.new_turn(speaker, start_ms, section, self.doc.items.len(), label_src);
        self.doc.turns.push(turn);
        self.doc.items.push(Item::Turn(narrow(index)));
        if let Some(s) = section {
            // The innermost open section is the newest one, whose range began at its
            // heading: only the end moves.
            self.doc.sections[s].turns.end = index + 1;
        }
        self.current = Some(index);
    }

    /// End the open turn, if any: blocks that follow belong to the section.
    pub fn end_turn(&mut self) {
        self.current = None;
    }

    /// Append a block: to the open turn, else to the body.
    pub fn block(&mut self, mut block: NewBlock) {
        block.src = self.shift(block.src);
        let end = block.src.end;
        let index = self.doc.push_block(block);
        match self.current {
            Some(t) => {
                self.doc.extend_turn(t);
                let turn = &mut self.doc.turns[t];
                turn.src.end = turn.src.end.max(narrow(end));
            }
            None => self.doc.items.push(Item::Block(narrow(index))),
        }
    }

    /// Append a block ([`Builder::block`]) with its timed stretches (a caption paragraph:
    /// one per cue; a speech-to-text paragraph: one per segment) and word times, each
    /// sorted by where they begin in the block's text. The open turn's end moves to the
    /// last stretch's end, and a turn without a start takes the first's.
    pub fn timed_block(&mut self, block: NewBlock, times: &[TimeMark], words: &[TimeMark]) {
        let start = times.first().and_then(TimeMark::start_ms);
        if self.chapters.len() > self.chapters_done {
            // A chapter that begins inside a turn splits it: the speaker goes on after
            // the chapter's heading.
            let speaker =
                self.current.map(|t| self.doc.speakers[self.doc.turns[t].speaker()].name.clone());
            if self.chapters_before(start)
                && let Some(name) = speaker
            {
                self.start_turn(&name, start, 0..0);
            }
        }
        self.block(block);
        self.doc.time_last_block(times, words);
        if let Some(t) = self.current {
            let start = times.first().and_then(TimeMark::start_ms);
            let end = times.iter().rev().find_map(TimeMark::end_ms);
            self.doc.time_turn(t, start, end);
        }
    }

    fn intern(&mut self, name: &str) -> SpeakerId {
        let canonical = match self.aliases.is_empty() {
            true => name,
            false => self.aliases.get(name).map(String::as_str).unwrap_or(name),
        };
        // Every turn interns its speaker, and speakers repeat: only a new one allocates.
        let speakers = &self.doc.speakers;
        let hash = self.hasher.hash_one(canonical);
        if let Some(&id) = self.speaker_ix.find(hash, |&i| speakers[i as usize].name == canonical) {
            return id as usize;
        }
        let id = speakers.len();
        let display_name = self.names.get(canonical).cloned();
        let name = canonical.to_string();
        self.doc.speakers.push(Speaker::new(name, display_name));
        let (speakers, hasher) = (&self.doc.speakers, &self.hasher);
        self.speaker_ix
            .insert_unique(hash, narrow(id), |&i| hasher.hash_one(&speakers[i as usize].name));
        id
    }

    /// The document, its quotes numbered.
    pub fn finish(mut self) -> Document {
        self.doc.number_quotes();
        self.doc.shrink_arenas();
        // Lists that grew by doubling, or were reserved from a parser's upper bound, give
        // back what they will not use.
        self.doc.index_speaker_turns();
        self.doc.turns.shrink_to_fit();
        self.doc.items.shrink_to_fit();
        self.doc.sections.shrink_to_fit();
        self.doc
    }
}

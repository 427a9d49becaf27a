//! Stage 2 of the pipeline: text → [`Document`].
//!
//! Format detection is by content, never by file name. Each format's parser feeds a
//! [`Builder`], which owns the rules every format shares: speaker interning and aliases,
//! section nesting, turn indices and the quote index.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::ops::Range;

use crate::doc::{Document, Format, Item, NewBlock, Section, Speaker, SpeakerId, Title, narrow};

pub mod docx;
pub mod entity;
pub mod frontmatter;
pub mod html;
pub mod inline;
pub mod join;
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

/// Parse decoded, sanitized text into a document.
pub fn parse(text: String, opts: &ParseOptions) -> Document {
    let format = opts.format.unwrap_or_else(|| detect_format(&text));
    let mut b = Builder::new(text, format, opts);
    run(format, &mut b);
    b.finish()
}

/// Parse the builder's text with the parser of `format`.
fn run(format: Format, b: &mut Builder) {
    match format {
        Format::Markdown => markdown::parse(b),
        Format::Plain => plain::parse(b),
        Format::Webvtt => vtt::parse(b),
        Format::Srt => srt::parse(b),
        Format::Html => page::parse(b),
        // The text is the Markdown written from the package ([`docx`]).
        Format::Docx => markdown::parse(b),
    }
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
        run(self.format(), &mut self.b);
        self.b.doc.text = String::new();
    }

    fn format(&self) -> Format {
        self.b.doc.format.unwrap_or(Format::Plain)
    }

    /// The document of every part pushed.
    pub fn finish(mut self) -> Document {
        if let Some(text) = self.held.take() {
            self.b.doc.text = text;
            run(self.format(), &mut self.b);
        }
        self.b.finish()
    }
}

/// Subtitles are parsed whole: a cue may continue the one before it; so are HTML pages,
/// whose markup has no place to cut.
fn held(format: Format) -> Option<String> {
    matches!(format, Format::Webvtt | Format::Srt | Format::Html).then(String::new)
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
        }
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
        self.doc.set_block_start(start_ms);
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

    /// Append a block ([`Builder::block`]) that starts at `start_ms` into the recording (a
    /// caption paragraph): the time is kept with the block.
    pub fn timed_block(&mut self, block: NewBlock, start_ms: Option<u64>) {
        self.block(block);
        if let Some(ms) = start_ms {
            self.time_last_block(ms);
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

//! Stage 2 of the pipeline: the document tree.
//!
//! `source` hands over decoded, sanitized text; the parsers in `parse` build a [`Document`]
//! from it. Everything downstream (`layout`, `app`, `ui`, bookmarks, search) reads this tree
//! and never the raw text format. The tree is pure data: no terminal, no I/O.
//!
//! Shape: the body is a flat list of [`Item`]s in document order (section headings, blocks
//! outside turns, turns). Sections, turns and quotes are also indexed by their stable
//! position in document order, so every jump is a lookup.
//!
//! Times: a turn keeps the start time its label or first cue gave. A block may carry a start
//! time of its own (a caption paragraph: its first cue's start; a paragraph a bare time
//! begins), held in a sparse side table ([`Document::block_start_ms`]), so documents without
//! times pay nothing for it. A document without turns whose blocks have times (captions or
//! timestamped text without speakers) reads in time-based parts ([`Document::timed_parts`]): what its outline lists and `}` / `{` move between.

use std::ops::Range;

/// Byte range into [`Document::text`] (the decoded source).
pub type SrcRange = Span;

/// A byte range held in 32 bits: a big archive holds hundreds of thousands of ranges, and
/// a document is at most 4 GiB ([`crate::source`] refuses more).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl From<Range<usize>> for Span {
    /// Offsets past 4 GiB are clamped; `source` keeps documents below that.
    fn from(r: Range<usize>) -> Span {
        let clamp = |x: usize| u32::try_from(x).unwrap_or(u32::MAX);
        Span { start: clamp(r.start), end: clamp(r.end) }
    }
}

/// Which parser read the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Markdown,
    Plain,
    Webvtt,
    Srt,
    /// Speech-to-text or podcast transcript JSON ([`crate::parse::json`]).
    Json,
    /// An HTML page, read as the Markdown written from it.
    Html,
    /// A Word `.docx` package, read as the Markdown written from it.
    Docx,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Plain => "plain",
            Format::Webvtt => "webvtt",
            Format::Srt => "srt",
            Format::Json => "json",
            Format::Html => "html",
            Format::Docx => "docx",
        }
    }
}

/// Index of a speaker in [`Document::speakers`].
pub type SpeakerId = usize;

#[derive(Debug, Clone, Default)]
pub struct Document {
    pub format: Option<Format>,
    /// The decoded, sanitized source text. Every `src` range points into it.
    pub text: String,
    pub title: Option<Title>,
    pub meta: Vec<Meta>,
    /// Sections in document order (depth-first). Nesting is by `parent`.
    pub sections: Vec<Section>,
    /// Interned speakers, in order of first appearance.
    pub speakers: Vec<Speaker>,
    /// Every speaker's turns, in order, speaker after speaker ([`Document::turns_of`]).
    speaker_turns: Vec<u32>,
    /// The timed stretches of the blocks that have times of their own (a caption
    /// paragraph: one per cue; a speech-to-text segment; a paragraph a bare `(00:03:41):`
    /// begins): most documents have none, so a sparse index.
    times: Timeline,
    /// Word times, where the source has them (speech-to-text output), the same way.
    words: Timeline,
    /// Turns in document order.
    pub turns: Vec<Turn>,
    /// Quotes (bold spans inside turns) in document order.
    pub quotes: Vec<Quote>,
    /// The body in reading order.
    pub items: Vec<Item>,
    /// Every block in reading order. A turn's blocks are a run of it; a block outside turns
    /// is a body item of its own. Read them through [`Document::item_blocks`].
    blocks: Vec<StoredBlock>,
    /// The display text of every block end to end, with list markers and image targets:
    /// one allocation instead of one per block (a big archive holds hundreds of thousands
    /// of two-word turns).
    display: String,
    /// The inline runs of every block, end to end.
    runs: Vec<Run>,
    /// The text of each block of [`OWN_TEXT`] bytes or more, moved in whole: copying a 10
    /// MB paragraph into `display` would hold it twice at the peak.
    own: Vec<String>,
    /// The source held control characters that were replaced by visible stand-ins.
    pub had_control_chars: bool,
    /// [`crate::hash::text_hash`] of the source, when `text` was not kept (a big file is
    /// read and parsed a part at a time, and only the display text is held) or is not the
    /// source (an HTML page: `text` is the Markdown written from it).
    pub text_hash: Option<String>,
    /// The legacy encoding the source was decoded from (`GB18030`, `Big5`, `Shift_JIS`,
    /// `windows-1252`, …, as [`crate::source::Decoded::encoding`] names it); `None` for
    /// UTF-8. The reader's status line names it; the dump does not carry it.
    pub encoding: Option<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Title {
    pub text: String,
    pub src: SrcRange,
}

#[derive(Debug, Clone)]
pub struct Meta {
    pub key: String,
    pub value: String,
    pub src: SrcRange,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    /// Heading level, 1..=6 (1 only for level-1 headings after the title).
    pub level: u8,
    /// Enclosing section, if any.
    pub parent: Option<usize>,
    /// Index of this section's heading in [`Document::items`].
    pub item: usize,
    /// Turns whose label lies inside this section (and not in a subsection): a range into
    /// [`Document::turns`].
    pub turns: Range<usize>,
    pub src: SrcRange,
}

#[derive(Debug, Clone)]
pub struct Speaker {
    /// The canonical name, exactly as written in the label (after aliases are applied).
    pub name: String,
    /// A configured display name (`[speakers.names]`); `None` shows `name`. Not a copy of
    /// the name: an archive may have hundreds of thousands of speakers.
    pub display_name: Option<String>,
    /// This speaker's run of [`Document::speaker_turns`] (see [`Document::turns_of`]): one
    /// list for all speakers, not a vector each.
    turns: Range<u32>,
}

impl Speaker {
    pub fn new(name: String, display_name: Option<String>) -> Speaker {
        Speaker { name, display_name, turns: 0..0 }
    }

    /// How many turns this speaker has.
    pub fn turn_count(&self) -> usize {
        self.turns.len()
    }

    /// What the reader shows: the configured display name, else the name.
    pub fn display(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }
}

/// A speaker turn. Its numbers are held in 32 bits behind accessors: a big archive holds
/// hundreds of thousands of turns of a few words each.
#[derive(Debug, Clone)]
pub struct Turn {
    speaker: u32,
    /// Innermost section holding the turn, or [`NONE`].
    section: u32,
    /// Index of this turn in [`Document::items`].
    item: u32,
    /// Start time in milliseconds, or [`NONE`].
    start: u32,
    /// End time in milliseconds, when the source says (a cue's or a segment's end), or
    /// [`NONE`].
    end: u32,
    /// This turn's run of the document's blocks ([`Document::turn_blocks`]).
    blocks: Range<u32>,
    /// Whole turn, label included.
    pub src: SrcRange,
    /// The label alone.
    pub label_src: SrcRange,
}

/// Block texts this long are kept in a `String` of their own (see [`Document`]'s `own`).
const OWN_TEXT: usize = 64 * 1024;

/// A time-based part ([`Document::timed_parts`]) begins at a paragraph that starts at least
/// this long after the part before began: about one part a minute of the recording.
pub const PART_MS: u64 = 60_000;

/// "None" in a 32-bit field.
pub const NONE: u32 = u32::MAX;

/// An index or time in 32 bits; larger values (over 4 billion turns, or a start time past
/// 1,193 hours) are held as the largest that fits.
pub fn narrow(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(NONE - 1)
}

/// A 32-bit field back to an index: `None` for [`NONE`].
pub fn widen(x: u32) -> Option<usize> {
    (x != NONE).then_some(x as usize)
}

impl Turn {
    pub fn speaker(&self) -> SpeakerId {
        self.speaker as usize
    }
    /// Innermost section holding the turn.
    pub fn section(&self) -> Option<usize> {
        widen(self.section)
    }
    /// Index of this turn in [`Document::items`].
    pub fn item(&self) -> usize {
        self.item as usize
    }
    /// Start time in milliseconds, when the source gave one.
    pub fn start_ms(&self) -> Option<u64> {
        widen(self.start).map(|ms| ms as u64)
    }
    /// End time in milliseconds, when the source gave one.
    pub fn end_ms(&self) -> Option<u64> {
        widen(self.end).map(|ms| ms as u64)
    }
}

/// A stretch of a block's text that the recording times: it begins at byte `at` of the
/// block's text and runs to the next mark's `at` (or the block's end). A caption
/// paragraph has one per cue, a speech-to-text paragraph one per segment, and word times
/// one per word. 12 bytes: word times can outnumber the words' bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeMark {
    at: u32,
    start: u32,
    end: u32,
}

impl TimeMark {
    pub fn new(at: usize, start_ms: Option<u64>, end_ms: Option<u64>) -> TimeMark {
        let ms =
            |t: Option<u64>| t.map_or(NONE, |t| narrow(usize::try_from(t).unwrap_or(usize::MAX)));
        TimeMark { at: narrow(at), start: ms(start_ms), end: ms(end_ms) }
    }
    /// Where the stretch begins in the block's text (bytes).
    pub fn at(&self) -> usize {
        self.at as usize
    }
    pub fn start_ms(&self) -> Option<u64> {
        widen(self.start).map(|ms| ms as u64)
    }
    pub fn end_ms(&self) -> Option<u64> {
        widen(self.end).map(|ms| ms as u64)
    }
}

/// The time marks of the blocks that have some, by block: a sorted index of (block, first
/// mark) over one list of marks.
#[derive(Debug, Clone, Default)]
struct Timeline {
    index: Vec<(u32, u32)>,
    marks: Vec<TimeMark>,
}

impl Timeline {
    /// Add marks to block `block`, which is the last block given marks or a later one.
    fn push(&mut self, block: u32, marks: impl IntoIterator<Item = TimeMark>) {
        let first = self.marks.len();
        self.marks.extend(marks);
        if self.marks.len() > first && self.index.last().is_none_or(|&(b, _)| b != block) {
            self.index.push((block, narrow(first)));
        }
    }

    fn of(&self, block: usize) -> &[TimeMark] {
        let Ok(block) = u32::try_from(block) else { return &[] };
        let Ok(k) = self.index.binary_search_by_key(&block, |&(b, _)| b) else { return &[] };
        let first = self.index[k].1 as usize;
        let end = self.index.get(k + 1).map_or(self.marks.len(), |&(_, m)| m as usize);
        self.marks.get(first..end).unwrap_or(&[])
    }

    fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    fn shrink_to_fit(&mut self) {
        self.index.shrink_to_fit();
        self.marks.shrink_to_fit();
    }
}

#[derive(Debug, Clone)]
pub struct Quote {
    pub turn: usize,
    /// Block index inside the turn.
    pub block: usize,
    /// Byte range in that block's `text`.
    pub range: Range<usize>,
    pub src: SrcRange,
}

/// One entry of the body, in reading order. Indices are 32-bit, as in [`Turn`]: most
/// items are turns, and a big archive holds hundreds of thousands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// A section heading: index into [`Document::sections`].
    Heading(u32),
    /// A block outside any turn (preamble, section text, footer), read through
    /// [`Document::item_blocks`].
    Block(u32),
    /// A speaker turn: index into [`Document::turns`].
    Turn(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    /// One list item. `depth` 0 is the outermost list; the marker (`•`, `3.`) is
    /// [`Block::marker`].
    ListItem {
        depth: u8,
    },
    /// A paragraph inside a block quote.
    BlockQuote,
    Code,
    /// An image: the alt text is the block's text, the target [`Block::url`].
    Image,
    Rule,
    /// A bold line that introduces a list (`**人工智能时代的竞争与机遇：**`): not a speaker.
    Subheading,
    /// A side note shown dim: the `<summary>` of an HTML `<details>` (whose content is
    /// read as ordinary text, shown expanded).
    Aside,
    /// A GFM table: its text is the cells' display text, tab-separated, one row a line,
    /// the header row first; the column alignments are
    /// [`Block::aligns`]. Laid out by [`crate::layout::table`].
    Table,
    /// A footnote definition (`[^1]: text`), shown where it stands as a dim note; its
    /// marker (`[1]`) is [`Block::marker`].
    Footnote,
}

/// A paragraph-like unit, as stored: spans into the document's arenas.
#[derive(Debug, Clone)]
struct StoredBlock {
    kind: BlockKind,
    /// `text.start` indexes `own` instead of spanning `display`.
    own: bool,
    /// The list or footnote marker, image target or table alignments, in `display`.
    aside: Span,
    text: Span,
    /// Indices into `runs`.
    runs: Span,
    src: SrcRange,
}

impl StoredBlock {
    /// Bytes of its text.
    #[inline]
    fn text_len(&self, own: &[String]) -> usize {
        match self.own {
            true => own.get(self.text.start as usize).map_or(0, String::len),
            false => (self.text.end - self.text.start) as usize,
        }
    }
}

/// A paragraph-like unit: what the layout engine lays out and what a bookmark anchors to.
/// A view into the document, made on demand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block<'a> {
    pub kind: BlockKind,
    /// Display text: markup stripped, hard wraps joined, label removed.
    pub text: &'a str,
    /// Inline styles over `text`, sorted, non-overlapping; text not covered is plain.
    pub runs: &'a [Run],
    pub src: SrcRange,
    aside: &'a str,
}

impl<'a> Block<'a> {
    /// A list item's marker (`•`, `3.`) or a footnote's (`[1]`); empty for other blocks.
    pub fn marker(&self) -> &'a str {
        match self.kind {
            BlockKind::ListItem { .. } | BlockKind::Footnote => self.aside,
            _ => "",
        }
    }

    /// A table's column alignments, one byte a column: `l`, `c`, `r`, or `-` (none given);
    /// empty for other blocks.
    pub fn aligns(&self) -> &'a str {
        match self.kind {
            BlockKind::Table => self.aside,
            _ => "",
        }
    }

    /// An image's target; empty for other blocks.
    pub fn url(&self) -> &'a str {
        match self.kind {
            BlockKind::Image => self.aside,
            _ => "",
        }
    }
}

/// A block as a parser hands it over: owned, before it is stored.
#[derive(Debug, Clone)]
pub struct NewBlock {
    pub kind: BlockKind,
    /// The list or footnote marker, image target or table column alignments.
    pub aside: String,
    pub text: String,
    pub runs: Vec<Run>,
    pub src: Range<usize>,
}

impl NewBlock {
    /// A block without inline styles, marker or target.
    pub fn new(kind: BlockKind, text: String, src: Range<usize>) -> NewBlock {
        NewBlock { kind, aside: String::new(), text, runs: Vec::new(), src }
    }
}

/// The blocks of one body item: a turn's run of blocks, or a single block.
#[derive(Debug, Clone, Copy)]
pub struct Blocks<'a> {
    doc: &'a Document,
    stored: &'a [StoredBlock],
}

impl<'a> Blocks<'a> {
    pub fn len(&self) -> usize {
        self.stored.len()
    }
    pub fn is_empty(&self) -> bool {
        self.stored.is_empty()
    }
    pub fn get(&self, i: usize) -> Option<Block<'a>> {
        self.stored.get(i).map(|b| self.doc.view(b))
    }
    pub fn first(&self) -> Option<Block<'a>> {
        self.get(0)
    }
    pub fn iter(&self) -> BlockIter<'a> {
        BlockIter { doc: self.doc, stored: self.stored.iter() }
    }
    pub fn to_vec(&self) -> Vec<Block<'a>> {
        self.iter().collect()
    }
    /// Bytes of each block's text, in order, without looking at the texts.
    pub fn text_lens(&self) -> impl Iterator<Item = usize> + 'a {
        let own = self.doc.own.as_slice();
        self.stored.iter().map(move |b| b.text_len(own))
    }
}

impl<'a> IntoIterator for Blocks<'a> {
    type Item = Block<'a>;
    type IntoIter = BlockIter<'a>;
    fn into_iter(self) -> BlockIter<'a> {
        self.iter()
    }
}

/// Iterator over [`Blocks`].
#[derive(Debug, Clone)]
pub struct BlockIter<'a> {
    doc: &'a Document,
    stored: std::slice::Iter<'a, StoredBlock>,
}

impl<'a> Iterator for BlockIter<'a> {
    type Item = Block<'a>;
    fn next(&mut self) -> Option<Block<'a>> {
        self.stored.next().map(|b| self.doc.view(b))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.stored.size_hint()
    }
}

impl DoubleEndedIterator for BlockIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.stored.next_back().map(|b| self.doc.view(b))
    }
}

impl ExactSizeIterator for BlockIter<'_> {}

/// Inline style bits of a [`Run`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Style(pub u8);

impl Style {
    pub const STRONG: Style = Style(1);
    pub const EMPHASIS: Style = Style(2);
    pub const CODE: Style = Style(4);
    pub const LINK: Style = Style(8);
    pub const IMAGE: Style = Style(16);
    /// `~~struck through~~`.
    pub const STRIKE: Style = Style(32);
    /// A footnote reference, shown as `[1]`.
    pub const NOTE: Style = Style(64);
    /// A link's target, shown after its text (` <https://…>`).
    pub const URL: Style = Style(128);

    pub fn contains(self, other: Style) -> bool {
        self.0 & other.0 == other.0
    }
    pub fn union(self, other: Style) -> Style {
        Style(self.0 | other.0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Byte range in the block's `text`.
    pub range: Range<usize>,
    pub style: Style,
    /// Link or image target.
    pub url: Option<String>,
    /// Index into [`Document::quotes`] when this run is part of a quote.
    pub quote: Option<usize>,
}

impl Document {
    /// [`crate::hash::text_hash`] of the source text: tells whether the file changed.
    pub fn text_hash(&self) -> String {
        self.text_hash.clone().unwrap_or_else(|| crate::hash::text_hash(&self.text))
    }

    /// An empty document of a format, over its source text.
    pub fn new(format: Format, text: String) -> Document {
        Document { format: Some(format), text, ..Document::default() }
    }

    fn view<'a>(&'a self, b: &StoredBlock) -> Block<'a> {
        // Spans are in bounds by construction; `get` keeps even a broken one from panicking.
        let display = |s: Span| self.display.get(s.range()).unwrap_or("");
        let text = match b.own {
            true => self.own.get(b.text.start as usize).map_or("", String::as_str),
            false => display(b.text),
        };
        Block {
            kind: b.kind,
            text,
            runs: self.runs.get(b.runs.range()).unwrap_or(&[]),
            src: b.src,
            aside: display(b.aside),
        }
    }

    /// The blocks of a body item (a turn's blocks, or the one block outside turns).
    pub fn item_blocks(&self, item: usize) -> Blocks<'_> {
        let stored = match self.items.get(item) {
            Some(Item::Turn(t)) => return self.turn_blocks(*t as usize),
            Some(&Item::Block(b)) => self.blocks.get(b as usize..b as usize + 1).unwrap_or(&[]),
            _ => &[],
        };
        Blocks { doc: self, stored }
    }

    /// Bytes of a body item's text (its blocks' texts end to end), without looking at them.
    pub fn item_text_len(&self, item: usize) -> usize {
        self.item_text_before(item, usize::MAX)
    }

    /// Bytes of the texts of a body item's blocks before block `block`.
    pub fn item_text_before(&self, item: usize, block: usize) -> usize {
        self.item_blocks(item).text_lens().take(block).sum()
    }

    /// Bytes of each body item's text (its blocks' texts end to end; a heading's is 0), in
    /// order, without looking at the texts: one pass, for measures of the whole body.
    #[inline]
    pub fn item_text_lens(&self) -> impl ExactSizeIterator<Item = usize> + '_ {
        let own = self.own.as_slice();
        let sum = move |run: Option<&[StoredBlock]>| {
            run.map_or(0, |run| run.iter().map(|b| b.text_len(own)).sum())
        };
        self.items.iter().map(move |item| match *item {
            Item::Turn(t) => sum(self
                .turns
                .get(t as usize)
                .and_then(|t| self.blocks.get(t.blocks.start as usize..t.blocks.end as usize))),
            Item::Block(b) => sum(self.blocks.get(b as usize..b as usize + 1)),
            Item::Heading(_) => 0,
        })
    }

    /// The blocks of a turn.
    pub fn turn_blocks(&self, turn: usize) -> Blocks<'_> {
        let stored = match self.turns.get(turn) {
            Some(t) => self.blocks.get(t.blocks.start as usize..t.blocks.end as usize),
            None => None,
        };
        Blocks { doc: self, stored: stored.unwrap_or(&[]) }
    }

    /// Start time of block `block` of body item `item`, when the source gave it one of its
    /// own (a caption paragraph's first cue, a bare time).
    pub fn block_start_ms(&self, item: usize, block: usize) -> Option<u64> {
        self.block_start(self.block_index(item, block)?)
    }

    /// The timed stretches of block `block` of body item `item` (empty when the source
    /// gave it no times).
    pub fn block_times(&self, item: usize, block: usize) -> &[TimeMark] {
        self.block_index(item, block).map_or(&[], |i| self.times.of(i))
    }

    /// The word times of block `block` of body item `item` (empty when the source had
    /// none).
    pub fn block_words(&self, item: usize, block: usize) -> &[TimeMark] {
        self.block_index(item, block).map_or(&[], |i| self.words.of(i))
    }

    /// Whether any block has times of its own.
    pub fn has_block_times(&self) -> bool {
        !self.times.is_empty()
    }

    /// From the earliest time a block's stretches give to the latest (an end, else a
    /// start), in ms: how long the recording runs by its captions. `None` without times.
    pub fn block_time_span_ms(&self) -> Option<(u64, u64)> {
        let marks = &self.times.marks;
        let first = marks.iter().filter_map(TimeMark::start_ms).min()?;
        let last = marks.iter().filter_map(|m| m.end_ms().or(m.start_ms())).max()?;
        Some((first, last.max(first)))
    }

    /// How many blocks have times of their own.
    pub fn timed_block_count(&self) -> usize {
        self.times.index.len()
    }

    fn block_index(&self, item: usize, block: usize) -> Option<usize> {
        let first = match self.items.get(item)? {
            Item::Turn(t) => {
                let t = self.turns.get(*t as usize)?;
                (block < (t.blocks.end - t.blocks.start) as usize).then_some(t.blocks.start)?
            }
            Item::Block(b) => (block == 0).then_some(*b)?,
            Item::Heading(_) => return None,
        };
        usize::try_from(first).ok()?.checked_add(block)
    }

    /// The body items (blocks outside turns) that begin the time-based parts of a document
    /// without turns, in order: the first block with a start time, then each block that
    /// starts at least [`PART_MS`] after the part before began. Empty when the document has
    /// turns (they are its parts) or no times.
    pub fn timed_parts(&self) -> Vec<u32> {
        let mut parts = Vec::new();
        if !self.turns.is_empty() || self.times.is_empty() {
            return parts;
        }
        let mut last: Option<u64> = None;
        for (i, item) in self.items.iter().enumerate() {
            let Item::Block(_) = item else { continue };
            let Some(ms) = self.block_start_ms(i, 0) else { continue };
            if last.is_none_or(|l| ms >= l.saturating_add(PART_MS)) {
                parts.push(narrow(i));
                last = Some(ms);
            }
        }
        parts
    }

    /// Title of a section with its ancestors' titles ignored.
    pub fn section_title(&self, section: Option<usize>) -> Option<&str> {
        section.and_then(|s| self.sections.get(s)).map(|s| s.title.as_str())
    }

    /// The turns of speaker `id`, in order.
    pub fn turns_of(&self, id: SpeakerId) -> &[u32] {
        let r =
            self.speakers.get(id).map_or(0..0, |s| s.turns.start as usize..s.turns.end as usize);
        self.speaker_turns.get(r).unwrap_or(&[])
    }

    /// Group the turns by speaker (after the last turn is added): a counting sort, so one
    /// list of 4 bytes a turn serves every speaker.
    pub(crate) fn index_speaker_turns(&mut self) {
        let mut end = vec![0u32; self.speakers.len() + 1];
        for t in &self.turns {
            if let Some(n) = end.get_mut(t.speaker() + 1) {
                *n += 1;
            }
        }
        for i in 1..end.len() {
            end[i] += end[i - 1];
        }
        let mut fill = end.clone();
        let mut list = vec![0u32; self.turns.len()];
        for (i, t) in self.turns.iter().enumerate() {
            if let Some(at) = fill.get_mut(t.speaker()) {
                list[*at as usize] = narrow(i);
                *at += 1;
            }
        }
        for (s, w) in self.speakers.iter_mut().zip(end.windows(2)) {
            s.turns = w[0]..w[1];
        }
        self.speaker_turns = list;
    }

    pub fn speaker_name(&self, id: SpeakerId) -> &str {
        self.speakers.get(id).map(Speaker::display).unwrap_or("")
    }

    /// Plain text of a quote.
    pub fn quote_text(&self, q: &Quote) -> &str {
        self.turn_blocks(q.turn)
            .get(q.block)
            .and_then(|b| b.text.get(q.range.clone()))
            .unwrap_or("")
    }

    /// Give the last block added its timed stretches (`times`) and word times (`words`),
    /// each sorted by `at`. Marks at or past the block's text end are dropped.
    pub(crate) fn time_last_block(&mut self, times: &[TimeMark], words: &[TimeMark]) {
        let Some(last) = self.blocks.len().checked_sub(1) else { return };
        let len = self.blocks[last].text_len(&self.own);
        let inside = |m: &&TimeMark| (m.at as usize) < len.max(1);
        self.times.push(narrow(last), times.iter().filter(inside).copied());
        self.words.push(narrow(last), words.iter().filter(inside).copied());
    }

    /// Stretch turn `turn`'s end to `end_ms`, and give it `start_ms` if it had no start.
    pub(crate) fn time_turn(&mut self, turn: usize, start_ms: Option<u64>, end_ms: Option<u64>) {
        let Some(t) = self.turns.get_mut(turn) else { return };
        let ms = |x: u64| narrow(usize::try_from(x).unwrap_or(usize::MAX));
        if let Some(s) = start_ms
            && t.start == NONE
        {
            t.start = ms(s);
        }
        if let Some(e) = end_ms
            && (t.end == NONE || ms(e) > t.end)
        {
            t.end = ms(e);
        }
    }

    /// The start time of block `k` of turn `turn`, when its source gave it one of its own
    /// (the turn's first block starts with the turn).
    pub fn turn_block_start(&self, turn: usize, k: usize) -> Option<u64> {
        let first = self.turns.get(turn)?.blocks.start as usize;
        self.block_start(first + k)
    }

    /// A block's own start: its first timed stretch's, when that begins the block.
    fn block_start(&self, index: usize) -> Option<u64> {
        self.times.of(index).first().filter(|m| m.at == 0).and_then(TimeMark::start_ms)
    }

    /// Room for about `n` more blocks (an upper bound; pages never written are never
    /// resident).
    pub(crate) fn reserve_blocks(&mut self, n: usize) {
        self.blocks.reserve_exact(n);
    }

    /// Store a block at the end of the block list; its index there.
    pub(crate) fn push_block(&mut self, b: NewBlock) -> usize {
        let mut put = |s: &str| {
            let start = self.display.len();
            self.display.push_str(s);
            Span::from(start..self.display.len())
        };
        let aside = put(&b.aside);
        let own = b.text.len() >= OWN_TEXT;
        let text = match own {
            true => {
                let at = narrow(self.own.len());
                self.own.push(b.text);
                Span { start: at, end: at }
            }
            false => put(&b.text),
        };
        let first = self.runs.len();
        self.runs.extend(b.runs);
        let runs = Span::from(first..self.runs.len());
        let src = Span::from(b.src);
        self.blocks.push(StoredBlock { kind: b.kind, own, aside, text, runs, src });
        self.blocks.len() - 1
    }

    /// A turn with no blocks yet; [`Document::push_block`] then extends the last turn's.
    pub(crate) fn new_turn(
        &self,
        speaker: SpeakerId,
        start_ms: Option<u64>,
        section: Option<usize>,
        item: usize,
        label_src: SrcRange,
    ) -> Turn {
        let at = narrow(self.blocks.len());
        Turn {
            speaker: narrow(speaker),
            section: section.map_or(NONE, narrow),
            item: narrow(item),
            start: start_ms.map_or(NONE, |ms| narrow(usize::try_from(ms).unwrap_or(usize::MAX))),
            end: NONE,
            blocks: at..at,
            src: label_src,
            label_src,
        }
    }

    /// Add the block just pushed to a turn (turns fill in order: it is always the next).
    pub(crate) fn extend_turn(&mut self, turn: usize) {
        let end = narrow(self.blocks.len());
        if let Some(t) = self.turns.get_mut(turn) {
            t.blocks.end = end;
        }
    }

    /// Number the quotes: inside turns, each group of strong runs that the inline parser
    /// marked with the same local group number becomes one quote; outside turns strong
    /// text is just bold.
    pub(crate) fn number_quotes(&mut self) {
        let Document { items, turns, blocks, runs, quotes, .. } = self;
        for item in items.iter() {
            if let Item::Block(b) = *item
                && let Some(b) = blocks.get(b as usize)
            {
                for r in &mut runs[b.runs.range()] {
                    r.quote = None;
                }
            }
        }
        quotes.clear();
        for (ti, turn) in turns.iter().enumerate() {
            let stored = &blocks[turn.blocks.start as usize..turn.blocks.end as usize];
            for (bi, block) in stored.iter().enumerate() {
                let mut last_local: Option<usize> = None;
                for r in &mut runs[block.runs.range()] {
                    let Some(local) = r.quote else { continue };
                    if !r.style.contains(Style::STRONG) {
                        r.quote = None;
                        continue;
                    }
                    match quotes.last_mut() {
                        Some(q) if last_local == Some(local) => q.range.end = r.range.end,
                        _ => {
                            quotes.push(Quote {
                                turn: ti,
                                block: bi,
                                range: r.range.clone(),
                                src: block.src,
                            });
                            last_local = Some(local);
                        }
                    }
                    r.quote = Some(quotes.len() - 1);
                }
            }
        }
        quotes.shrink_to_fit();
    }

    /// Give back the room the arenas grew into and will not use.
    pub(crate) fn shrink_arenas(&mut self) {
        self.blocks.shrink_to_fit();
        self.display.shrink_to_fit();
        self.runs.shrink_to_fit();
        self.times.shrink_to_fit();
        self.words.shrink_to_fit();
        self.own.iter_mut().for_each(String::shrink_to_fit);
    }
}

//! Stage 2 of the pipeline: the document tree.
//!
//! `source` hands over decoded, sanitized text; the parsers in `parse` build a [`Document`]
//! from it. Everything downstream (`layout`, `app`, `ui`, bookmarks, search) reads this tree
//! and never the raw text format. The tree is pure data: no terminal, no I/O.
//!
//! Shape: the body is a flat list of [`Item`]s in document order (section headings, blocks
//! outside turns, turns). Sections, turns and quotes are also indexed by their stable
//! position in document order, so every jump is a lookup.

use std::ops::Range;

/// Byte range into [`Document::text`] (the decoded source).
pub type SrcRange = Range<usize>;

/// Which parser read the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Markdown,
    Plain,
    Webvtt,
    Srt,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Plain => "plain",
            Format::Webvtt => "webvtt",
            Format::Srt => "srt",
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
    /// Turns in document order.
    pub turns: Vec<Turn>,
    /// Quotes (bold spans inside turns) in document order.
    pub quotes: Vec<Quote>,
    /// The body in reading order.
    pub items: Vec<Item>,
    /// The source held control characters that were replaced by visible stand-ins.
    pub had_control_chars: bool,
    /// [`crate::store::text_hash`] of the source, when `text` was not kept (a big file is
    /// read and parsed a part at a time, and only the display text is held).
    pub text_hash: Option<String>,
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
    /// What the reader shows (a configured display name, else `name`).
    pub display: String,
    /// The turns of this speaker, in order.
    pub turns: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Turn {
    pub speaker: SpeakerId,
    /// Start time in milliseconds, when the source gave one.
    pub start_ms: Option<u64>,
    /// Innermost section holding the turn.
    pub section: Option<usize>,
    /// Index of this turn in [`Document::items`].
    pub item: usize,
    pub blocks: Vec<Block>,
    /// Whole turn, label included.
    pub src: SrcRange,
    /// The label alone.
    pub label_src: SrcRange,
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

/// One entry of the body, in reading order.
#[derive(Debug, Clone)]
pub enum Item {
    /// A section heading: index into [`Document::sections`].
    Heading(usize),
    /// A block outside any turn (preamble, section text, footer). Boxed: most items are
    /// turns, and an item then takes 16 bytes instead of a whole block's.
    Block(Box<Block>),
    /// A speaker turn: index into [`Document::turns`].
    Turn(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    /// One list item. `depth` 0 is the outermost list; `marker` is `•` or `3.` etc.
    ListItem {
        depth: u8,
        marker: String,
    },
    /// A paragraph inside a block quote.
    BlockQuote,
    Code,
    Image {
        url: String,
    },
    Rule,
    /// A bold line that introduces a list (`**人工智能时代的竞争与机遇：**`): not a speaker.
    Subheading,
}

/// A paragraph-like unit: what the layout engine lays out and what a bookmark anchors to.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    /// Display text: markup stripped, hard wraps joined, label removed.
    pub text: String,
    /// Inline styles over `text`, sorted, non-overlapping; text not covered is plain.
    pub runs: Vec<Run>,
    pub src: SrcRange,
}

/// Inline style bits of a [`Run`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Style(pub u8);

impl Style {
    pub const STRONG: Style = Style(1);
    pub const EMPHASIS: Style = Style(2);
    pub const CODE: Style = Style(4);
    pub const LINK: Style = Style(8);
    pub const IMAGE: Style = Style(16);

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
    /// [`crate::store::text_hash`] of the source text: tells whether the file changed.
    pub fn text_hash(&self) -> String {
        self.text_hash.clone().unwrap_or_else(|| crate::store::text_hash(&self.text))
    }

    /// The blocks of a body item (a turn's blocks, or the one block outside turns).
    pub fn item_blocks(&self, item: usize) -> &[Block] {
        match self.items.get(item) {
            Some(Item::Turn(t)) => &self.turns[*t].blocks,
            Some(Item::Block(b)) => std::slice::from_ref(b.as_ref()),
            _ => &[],
        }
    }

    /// Title of a section with its ancestors' titles ignored.
    pub fn section_title(&self, section: Option<usize>) -> Option<&str> {
        section.and_then(|s| self.sections.get(s)).map(|s| s.title.as_str())
    }

    pub fn speaker_name(&self, id: SpeakerId) -> &str {
        self.speakers.get(id).map(|s| s.display.as_str()).unwrap_or("")
    }

    /// Plain text of a quote.
    pub fn quote_text(&self, q: &Quote) -> &str {
        &self.turns[q.turn].blocks[q.block].text[q.range.clone()]
    }
}

//! Stage 4 state: the reader's [`App`] and [`update`], the one place state changes.
//!
//! `update` turns messages (actions from the keymap, search-prompt input, resizes, mouse)
//! into state changes and [`Effect`]s for the terminal layer; it does no I/O. After every
//! message it prepares the [`View`] (the lines on screen), so drawing only reads.
//! No terminal types here, and no import of the terminal edge (`reader`) or of drawing (`ui`):
//! [`Options`], what the reader is opened with, is defined here.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::doc::{Document, Item, SpeakerId, narrow};
use crate::keymap::Action;
use crate::search::{self, Match};
use crate::store::Marks;

pub mod bookmarks;
pub mod outline;
pub mod stats;
pub mod view;

pub use bookmarks::{BookmarkList, LIST_KEYS, NoteEditor, NoteTarget};
pub use outline::{Entry, EntryKind, ItemInfo};
pub use view::{Line, LineKey, LineKind, Pos};

/// Everything the reader needs besides the document, from the configuration and the
/// command line.
#[derive(Debug, Clone)]
pub struct Options {
    /// Shown in the status line.
    pub file_name: String,
    pub keymap: crate::keymap::Keymap,
    pub ambiguous: crate::width::AmbiguousWidth,
    /// Readable text width cap for the reading pane, in cells.
    pub max_text_width: usize,
    /// Outline width as a percentage of the screen, and its cap in cells.
    pub outline_percent: u16,
    pub outline_max: u16,
    pub cjk_chars_per_minute: u32,
    pub latin_words_per_minute: u32,
    /// Colours resolved from the configuration and the terminal (`None`: built-in dark).
    pub theme: Option<crate::config::ResolvedTheme>,
    /// The file read, for the bookmark store (`None`: the bundled sample or stdin).
    pub path: Option<std::path::PathBuf>,
    /// Open where the reader stopped last time (`--no-resume`, `[reading] resume`).
    pub resume: bool,
    /// Blank rows between paragraphs.
    pub paragraph_spacing: usize,
    /// Show images as one `[图片/image] URL` row each.
    pub show_images: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            file_name: String::new(),
            keymap: crate::keymap::Keymap::default(),
            ambiguous: crate::width::AmbiguousWidth::Narrow,
            max_text_width: 100,
            outline_percent: 30,
            outline_max: 40,
            cjk_chars_per_minute: 400,
            latin_words_per_minute: 250,
            theme: None,
            path: None,
            resume: true,
            paragraph_spacing: 1,
            show_images: true,
        }
    }
}

/// Below this many columns the outline hides by default and opens as an overlay.
pub const NARROW: u16 = 70;
/// Cells left of the text: passage cursor, bookmark mark.
pub const GUTTER: u16 = 2;
/// Lines moved by one mouse wheel notch.
pub const WHEEL: usize = 3;

/// Something the terminal layer must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    Suspend,
    /// Write `App::marks` to the store (bookmarks changed, or the position before leaving).
    SaveMarks,
    /// Put this text on the system clipboard (OSC 52).
    Copy(String),
}

/// Editing input for the search prompt and the note editor, and the list commands of the
/// bookmark list (not actions: any printable key is text there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Char(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    Enter,
    Esc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mouse {
    WheelUp { col: u16, row: u16 },
    WheelDown { col: u16, row: u16 },
    Click { col: u16, row: u16 },
}

#[derive(Debug)]
pub enum Msg {
    Action(Action),
    Input(Input),
    /// Text pasted (bracketed paste) or committed by an input method, whole.
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    Mouse(Mouse),
    /// Nothing happened: background work (a search count) may take its next slice.
    Tick,
    /// A big document is still being read in the background: the stage it is at.
    Progress(crate::load::Progress),
    /// The whole document, indexed off the UI thread, replaces the first screenful.
    Indexed(Box<Indexed>),
    /// How a save ([`Effect::SaveMarks`]) went: the marks as saved (merged with what
    /// another reader wrote) and warnings, or why it failed.
    Saved(Result<Box<Saved>, String>),
    /// The reader is ending, however it ends (quit, a terminating signal, a terminal
    /// error): a note being typed is kept and the position remembered. Returns
    /// [`Effect::SaveMarks`] when something is not on disk yet.
    Leave,
}

/// A save that succeeded.
#[derive(Debug)]
pub struct Saved {
    pub marks: Marks,
    pub warnings: Vec<String>,
}

/// Everything the reader derives from a document once: the tree and its lookups. Built
/// by [`Index::build`], on the UI thread for small documents and on the loader thread for
/// big ones.
#[derive(Debug, Clone)]
pub struct Index {
    pub doc: Document,
    pub entries: Vec<Entry>,
    pub items: Vec<ItemInfo>,
    pub stats: stats::Stats,
}

impl Index {
    pub fn build(doc: Document, opts: &Options) -> Index {
        let (entries, items) = outline::build(&doc);
        let stats = stats::Stats::new(&doc, opts);
        Index { doc, entries, items, stats }
    }

    /// The outline and lookups only: reading-time counts are left to the reader, which
    /// takes them a slice at a time between keys (a big document is jumpable sooner).
    pub fn build_lookups(doc: Document, opts: &Options) -> Index {
        let (entries, items) = outline::build(&doc);
        let stats = stats::Stats::pending(&doc, opts);
        Index { doc, entries, items, stats }
    }
}

/// A big document after background loading: its index and what the bookmark store held
/// for it (`None`: no store, e.g. no data directory).
#[derive(Debug)]
pub struct Indexed {
    pub index: Index,
    pub stored: Option<crate::store::Loaded>,
    /// Problems to show in the status line (e.g. bookmarks cannot be saved).
    pub warnings: Vec<String>,
    /// How long reading and indexing took, told in the status line.
    pub took: std::time::Duration,
}

/// While a big document loads, the reader shows its first part.
#[derive(Debug, Clone, Default)]
pub struct Loading {
    /// What the loader is doing (`reading`, `parsing`, …).
    pub stage: &'static str,
    /// Bytes of the file read so far.
    pub done: u64,
    /// Size of the file in bytes, for the status line; 0 when not known (standard input).
    pub bytes: u64,
    /// An action that needs the whole document (a jump past what is loaded, `G`, a
    /// bookmark command), with the reading position it was asked at: carried out once the
    /// document is indexed, if the reader is still there (a bookmark asked for one
    /// passage must not land on another).
    pub pending: Option<(Action, Pos)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Reader,
    Outline,
}

/// A screen rectangle (terminal-independent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Area {
    pub fn contains(self, col: u16, row: u16) -> bool {
        col >= self.x && col - self.x < self.width && row >= self.y && row - self.y < self.height
    }
}

/// Where each pane goes on a screen of a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    /// The outline, when shown (its last column is the divider).
    pub outline: Option<Area>,
    /// The outline floats over the reading pane (narrow screens).
    pub overlay: bool,
    pub reader: Area,
    pub status: Area,
}

#[derive(Default)]
pub struct SearchState {
    /// The query, edited like a note (whole grapheme clusters, a cursor).
    pub edit: crate::lineedit::LineEdit,
    /// The prompt is open and keys are text.
    pub editing: bool,
    /// Matches found so far: in document order once the scan is done; while it runs, in
    /// scan order (from the reader's item to the end, then from the top).
    pub matches: Vec<Match>,
    pub current: Option<usize>,
    /// Where the reader was when the search began (Esc returns there).
    pub origin: Pos,
    /// The count still running, a slice per tick (`None`: every match is in `matches`).
    pub scan: Option<search::Scan>,
}

impl std::fmt::Debug for SearchState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchState")
            .field("query", &self.query())
            .field("matches", &self.matches.len())
            .field("current", &self.current)
            .field("counting", &self.scan.is_some())
            .finish()
    }
}

impl SearchState {
    pub fn query(&self) -> &str {
        self.edit.text()
    }

    /// The search is still counting matches.
    pub fn counting(&self) -> bool {
        self.scan.is_some()
    }

    /// The matches in block `block` of body item `item`, as a range of `matches`. While
    /// a count that wrapped goes on, `matches` holds two runs in document order (from the
    /// item the search began in, then from the top); a block's matches lie in one.
    pub fn block_matches(&self, item: usize, block: usize) -> std::ops::Range<usize> {
        let n = self.matches.len();
        let wrap = self.scan.as_ref().and_then(|s| s.wrap_at).unwrap_or(n).min(n);
        for run in [0..wrap, wrap..n] {
            let m = &self.matches[run.clone()];
            let lo = run.start + m.partition_point(|m| (m.item, m.block) < (item, block));
            let hi = run.start + m.partition_point(|m| (m.item, m.block) <= (item, block));
            if lo < hi {
                return lo..hi;
            }
        }
        0..0
    }
}

/// Bytes of text searched per slice: a few milliseconds of `memmem`.
pub const SEARCH_SLICE: usize = 8 << 20;

/// What is on screen, prepared by `update` so drawing only reads.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// (view item, line) for each row of the reading pane, top to bottom.
    pub lines: Vec<(usize, Line)>,
    /// The paragraph bookmark and copy act on: (body item, block).
    pub passage: Option<(usize, usize)>,
    /// The last line of the document is on screen.
    pub at_end: bool,
}

pub struct App {
    pub doc: Document,
    pub opts: Options,
    /// What the header block shows as the title.
    pub title: String,
    pub width: u16,
    pub height: u16,
    pub pos: Pos,
    pub focus: Focus,
    /// The user's outline choice; `None` follows the screen width.
    pub outline_user: Option<bool>,
    pub entries: Vec<Entry>,
    /// Body items beginning the time-based parts of a document without turns (the
    /// [`EntryKind::Part`] entries): where `}` / `{` go there.
    pub parts: Vec<u32>,
    pub collapsed: HashSet<usize>,
    /// Visible outline rows (indices into `entries`, 32-bit: one per turn).
    pub outline_rows: Vec<u32>,
    /// Selected outline row (index into `outline_rows`).
    pub outline_sel: usize,
    pub outline_top: usize,
    pub items: Vec<ItemInfo>,
    pub focus_speaker: Option<SpeakerId>,
    pub search: Option<SearchState>,
    pub help: bool,
    pub help_top: usize,
    /// The exact quote or match the last jump went to (the pane shows it with some
    /// context above), so the next jump continues from it.
    pub last_target: Option<Pos>,
    /// A transient status message, cleared by the next key.
    pub message: Option<String>,
    pub view: View,
    pub stats: stats::Stats,
    /// Bookmarks and the reading position of this document.
    pub marks: Marks,
    /// The document has a store: bookmark changes are saved (not for the bundled sample
    /// or standard input, whose bookmarks last the session).
    pub keep_marks: bool,
    /// Where a reader opened without resuming (`--no-resume`) stood while a saved position
    /// exists: leaving from there keeps the saved position rather than overwrite it.
    pub opened_without_resume: Option<Pos>,
    /// The bookmark list overlay, when open.
    pub list: Option<BookmarkList>,
    /// The note editor overlay, when open.
    pub note: Option<NoteEditor>,
    /// Bookmark changes (adds, notes, deletions) not yet saved; the status line shows
    /// them until a save succeeds.
    pub unsaved: usize,
    /// Why the last save failed, while it has not succeeded since.
    pub save_error: Option<String>,
    /// (body item, block) of every placed bookmark, for the gutter.
    marked: BTreeSet<(usize, usize)>,
    /// Outline entries standing for a bookmarked passage.
    marked_entries: HashSet<usize>,
    /// Something changed since the last draw.
    pub dirty: bool,
    /// A big document is still loading (the tree holds only its first part).
    pub loading: Option<Loading>,
    /// Bytes of text a search slice covers ([`SEARCH_SLICE`]; tests make it small).
    pub search_slice: usize,
    /// Laid-out lines per (view item, piece).
    cache: HashMap<(usize, usize), Vec<Line>>,
    /// Piece starts of view items (see `cuts`); kept across widths, dropped with the
    /// speaker focus.
    cuts: HashMap<usize, Vec<LineKey>>,
    cache_width: usize,
    end_top_cache: Option<Pos>,
}

impl App {
    pub fn new(doc: Document, opts: Options) -> App {
        let index = Index::build(doc, &opts);
        App::from_index(index, opts)
    }

    /// An app over a document whose index is already built.
    pub fn from_index(index: Index, opts: Options) -> App {
        let Index { doc, entries, items, stats } = index;
        let title = title_of(&doc, &opts);
        // Marks kept only for the session need no identity; a store gives the real one
        // (`restore`), so the text is not hashed here.
        let id = crate::store::DocId {
            path: String::new(),
            file_name: opts.file_name.clone(),
            text_hash: String::new(),
        };
        let mut app = App {
            doc,
            opts,
            title,
            width: 0,
            height: 0,
            pos: Pos::TOP,
            focus: Focus::Reader,
            outline_user: None,
            parts: part_items(&entries),
            entries,
            collapsed: HashSet::new(),
            outline_rows: Vec::new(),
            outline_sel: 0,
            outline_top: 0,
            items,
            focus_speaker: None,
            search: None,
            help: false,
            help_top: 0,
            last_target: None,
            message: None,
            view: View::default(),
            stats,
            marks: Marks::new(id),
            keep_marks: false,
            opened_without_resume: None,
            list: None,
            note: None,
            unsaved: 0,
            save_error: None,
            marked: BTreeSet::new(),
            marked_entries: HashSet::new(),
            dirty: true,
            loading: None,
            search_slice: SEARCH_SLICE,
            cache: HashMap::new(),
            cuts: HashMap::new(),
            cache_width: 0,
            end_top_cache: None,
        };
        app.rebuild_outline_rows();
        app
    }

    /// The first part of a big document is shown while the rest loads (`size`: the file's
    /// size in bytes).
    pub fn start_loading(&mut self, size: u64) {
        self.loading = Some(Loading { stage: "reading", bytes: size, ..Loading::default() });
    }

    /// Put the whole document in place of its first part. The reading position stays
    /// (the first part parses to the same items); what the user asked for meanwhile
    /// happens now.
    fn take_index(&mut self, arrived: Indexed) -> Vec<Effect> {
        let loading = self.loading.take().unwrap_or_default();
        let Index { doc, entries, items, stats } = arrived.index;
        self.title = title_of(&doc, &self.opts);
        self.doc = doc;
        self.parts = part_items(&entries);
        self.entries = entries;
        self.items = items;
        self.stats = stats;
        self.collapsed.clear();
        self.rebuild_outline_rows();
        self.invalidate_all();
        if self.pos.vi >= self.view_len() {
            self.pos = Pos::TOP;
        }
        self.last_target = None;
        if self.focus_speaker.is_some_and(|s| s >= self.doc.speakers.len()) {
            self.focus_speaker = None;
        }
        if let Some(stored) = arrived.stored {
            // A reader who moved while it loaded (keys or mouse) stays where they are.
            let resume = self.opts.resume && self.pos == Pos::TOP && loading.pending.is_none();
            self.restore(stored, resume);
        }
        if !arrived.warnings.is_empty() {
            self.say(arrived.warnings.join("; "));
        } else if self.message.is_none() {
            self.say(format!(
                "indexed in {:.2} s: {} sections, {} turns, {} quotes",
                arrived.took.as_secs_f64(),
                self.doc.sections.len(),
                self.doc.turns.len(),
                self.doc.quotes.len()
            ));
        }
        refresh_search(self);
        self.follow_outline();
        match loading.pending {
            Some((a, at)) if at == self.pos => act(self, a),
            Some(_) => {
                self.say("the reading position moved while the document loaded: not done");
                Vec::new()
            }
            None => Vec::new(),
        }
    }

    /// Background work is waiting for idle time: a search still counting, or reading
    /// times not yet counted.
    pub fn busy(&self) -> bool {
        self.search.as_ref().is_some_and(SearchState::counting) || !self.stats.complete(&self.doc)
    }

    pub fn outline_shown(&self) -> bool {
        self.outline_user.unwrap_or(self.width >= NARROW)
    }

    pub fn panes(&self) -> Panes {
        panes(self.width, self.height, self.outline_shown(), &self.opts)
    }

    /// Width of the reading text column, in cells.
    pub fn text_width(&self) -> usize {
        let r = self.panes().reader;
        usize::from(r.width.saturating_sub(GUTTER + 1)).clamp(1, self.opts.max_text_width.max(1))
    }

    pub fn reader_height(&self) -> usize {
        usize::from(self.panes().reader.height)
    }

    fn outline_height(&self) -> usize {
        self.panes().outline.map(|a| usize::from(a.height)).unwrap_or(0)
    }

    /// How many pieces of the document are laid out now (a huge paragraph is laid out
    /// only where it is read).
    pub fn laid_out_pieces(&self) -> usize {
        self.cache.len()
    }

    /// Forget every laid-out line, as after a resize (benches measure a cold screen).
    pub fn forget_layout(&mut self) {
        self.invalidate();
    }

    /// Forget laid-out lines (width or focus changed).
    fn invalidate(&mut self) {
        self.cache.clear();
        self.end_top_cache = None;
    }

    /// Forget laid-out lines and where items are cut into pieces (the document or the
    /// speaker focus changed; a width change keeps the cuts).
    fn invalidate_all(&mut self) {
        self.invalidate();
        self.cuts.clear();
    }

    /// The body item at the top of the reading pane.
    pub fn current_item(&self) -> Option<usize> {
        self.pos.body_item()
    }

    /// The turn at the top of the reading pane.
    pub fn current_turn(&self) -> Option<usize> {
        match self.current_item().and_then(|i| self.doc.items.get(i)) {
            Some(Item::Turn(t)) => Some(*t as usize),
            _ => None,
        }
    }

    pub fn current_section(&self) -> Option<usize> {
        self.current_item().and_then(|i| self.items.get(i)).and_then(ItemInfo::section)
    }

    /// The outline entry standing for the reading position.
    pub fn current_entry(&self) -> Option<usize> {
        self.current_item().and_then(|i| self.items.get(i)).and_then(ItemInfo::entry)
    }

    pub fn search_editing(&self) -> bool {
        self.search.as_ref().is_some_and(|s| s.editing)
    }

    fn say(&mut self, msg: impl Into<String>) {
        self.message = Some(msg.into());
    }

    /// Move the reading position to `pos` and let the outline follow.
    fn jump(&mut self, pos: Pos) {
        self.pos = pos;
        self.last_target = None;
        self.follow_outline();
    }

    /// Jump to a passage inside an item, showing it with context: from the item's start
    /// when that is near, else two lines above it.
    fn jump_into(&mut self, target: Pos) {
        let start = Pos { vi: target.vi, key: LineKey::lead(0) };
        let at = self.locate(target);
        let near = (self.reader_height() / 3).max(1);
        self.pos = if at.piece == 0 && at.idx <= near { start } else { self.step_up(target, 2).0 };
        self.last_target = Some(target);
        self.follow_outline();
    }

    /// Where relative jumps count from: the last exact target, else the top line.
    fn here(&self) -> Pos {
        self.last_target.unwrap_or(self.pos)
    }

    /// Select the outline row of the current entry (or its nearest visible ancestor).
    fn follow_outline(&mut self) {
        let Some(mut e) = self.current_entry() else {
            self.outline_sel = 0;
            self.reveal_outline();
            return;
        };
        loop {
            if let Some(row) = self.outline_row_of(e) {
                self.outline_sel = row;
                break;
            }
            match self.entries.get(e).and_then(Entry::parent) {
                Some(p) => e = p,
                None => break,
            }
        }
        self.reveal_outline();
    }

    fn outline_row_of(&self, entry: usize) -> Option<usize> {
        self.outline_rows.binary_search(&narrow(entry)).ok()
    }

    /// Scroll the outline so the selected row is in view.
    fn reveal_outline(&mut self) {
        let h = self.outline_height().max(1);
        if self.outline_sel < self.outline_top {
            self.outline_top = self.outline_sel;
        } else if self.outline_sel >= self.outline_top + h {
            self.outline_top = self.outline_sel + 1 - h;
        }
    }

    fn rebuild_outline_rows(&mut self) {
        let collapsed = &self.collapsed;
        let entries = &self.entries;
        self.outline_rows = (0..entries.len())
            .filter(|&i| {
                let mut p = entries[i].parent();
                while let Some(s) = p {
                    if collapsed.contains(&s) {
                        return false;
                    }
                    p = entries[s].parent();
                }
                true
            })
            .map(narrow)
            .collect();
    }

    /// Lay out what is on screen; called at the end of every `update`.
    pub fn prepare(&mut self) {
        let tw = self.text_width();
        if tw != self.cache_width {
            self.cache_width = tw;
            self.invalidate();
        }
        let h = self.reader_height();
        let mut lines = Vec::with_capacity(h);
        let mut c = self.locate(self.pos);
        let mut at_end = false;
        while lines.len() < h {
            if let Some(l) = self.piece_lines(c.vi, c.piece).get(c.idx) {
                lines.push((c.vi, l.clone()));
                c.idx += 1;
                continue;
            }
            match self.next_piece(c) {
                Some(next) => c = next,
                None => {
                    at_end = true;
                    break;
                }
            }
        }
        if !at_end {
            // The last line may be exactly on the last row.
            let (_, moved) = self.step_down(self.pos, h);
            at_end = moved < h;
        }
        let passage = lines.iter().find_map(|(vi, l)| match l.kind {
            LineKind::Text { block, .. } | LineKind::Image(block) | LineKind::Rule(block) => {
                Some((vi - 1, block))
            }
            _ => None,
        });
        let help_max = self.help_lines().saturating_sub(self.help_height());
        self.help_top = self.help_top.min(help_max);
        let max_top = self.outline_rows.len().saturating_sub(self.outline_height());
        self.outline_top = self.outline_top.min(max_top);
        self.view = View { lines, passage, at_end };
    }

    /// Rows the help overlay lists.
    pub fn help_lines(&self) -> usize {
        self.opts.keymap.bindings().len()
    }

    /// Rows of the help overlay available for bindings (inside its frame).
    pub fn help_height(&self) -> usize {
        usize::from(help_area(self.width, self.height).height.saturating_sub(2))
    }
}

/// What the header block shows as the title: the document's, else the file name.
/// The body items of the [`EntryKind::Part`] entries, in order.
fn part_items(entries: &[Entry]) -> Vec<u32> {
    let part = |e: &Entry| match e.kind() {
        EntryKind::Part(i) => Some(narrow(i)),
        _ => None,
    };
    entries.iter().filter_map(part).collect()
}

fn title_of(doc: &Document, opts: &Options) -> String {
    doc.title
        .as_ref()
        .map(|t| t.text.clone())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| opts.file_name.clone())
}

/// "79 MB", "512 KB".
pub fn size_text(bytes: u64) -> String {
    if bytes >= 10_000_000 {
        format!("{} MB", bytes / 1_000_000)
    } else if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{} KB", bytes.div_ceil(1000))
    }
}

/// Geometry of the panes for a screen size.
pub fn panes(width: u16, height: u16, outline_shown: bool, opts: &Options) -> Panes {
    let body_h = height.saturating_sub(1);
    let status = Area { x: 0, y: body_h, width, height: height.min(1) };
    let full = Area { x: 0, y: 0, width, height: body_h };
    if !outline_shown || width == 0 {
        return Panes { outline: None, overlay: false, reader: full, status };
    }
    let pct = u32::from(width) * u32::from(opts.outline_percent.min(100)) / 100;
    let ow = (pct as u16).min(opts.outline_max).max(12).min(width);
    if width < NARROW {
        let ow = ow.max(width * 3 / 4).min(width);
        let outline = Area { x: 0, y: 0, width: ow, height: body_h };
        return Panes { outline: Some(outline), overlay: true, reader: full, status };
    }
    let outline = Area { x: 0, y: 0, width: ow, height: body_h };
    let reader = Area { x: ow, y: 0, width: width - ow, height: body_h };
    Panes { outline: Some(outline), overlay: false, reader, status }
}

/// Where the help overlay goes.
pub fn help_area(width: u16, height: u16) -> Area {
    let body_h = height.saturating_sub(1);
    let w = width.min(64);
    let h = body_h.min(30);
    Area { x: (width - w) / 2, y: (body_h - h) / 2, width: w, height: h }
}

/// The one place state changes.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    match msg {
        Msg::Resize { width, height } => {
            app.width = width;
            app.height = height;
            if app.focus == Focus::Outline && !app.outline_shown() {
                app.focus = Focus::Reader;
            }
            app.prepare();
            app.reveal_outline();
            app.reveal_list();
        }
        Msg::Action(a) => {
            app.message = None;
            effects = act(app, a);
        }
        Msg::Input(i) => {
            app.message = None;
            effects = if app.note.is_some() {
                bookmarks::note_input(app, i)
            } else if app.list.is_some() {
                bookmarks::list_input(app, i)
            } else {
                input(app, i);
                Vec::new()
            };
        }
        Msg::Paste(text) => {
            if app.note.is_some() {
                bookmarks::note_paste(app, &text);
            } else if app.search_editing() {
                paste_search(app, &text);
            }
        }
        Msg::Tick => {
            let counted =
                !app.stats.complete(&app.doc) && app.stats.step(&app.doc, app.search_slice / 4);
            if !search_slice(app) && !counted {
                // Nothing visible changed: no redraw.
                return effects;
            }
        }
        Msg::Progress(p) => {
            if let Some(l) = app.loading.as_mut() {
                l.stage = p.stage;
                l.done = p.done.unwrap_or(l.done);
            }
        }
        Msg::Indexed(arrived) => effects = app.take_index(*arrived),
        Msg::Saved(saved) => bookmarks::saved(app, saved),
        Msg::Leave => effects = bookmarks::leaving(app),
        Msg::Mouse(m) => {
            // The overlays are modal: the mouse does not reach the reader under them.
            if app.note.is_none() && app.list.is_none() {
                mouse(app, m);
            }
        }
    }
    app.prepare();
    app.dirty = true;
    effects
}

fn act(app: &mut App, a: Action) -> Vec<Effect> {
    match a {
        Action::Quit | Action::ForceQuit => {
            let mut effects = bookmarks::before_leaving(app, a == Action::ForceQuit);
            effects.push(Effect::Quit);
            return effects;
        }
        Action::Suspend => {
            let mut effects = bookmarks::before_leaving(app, false);
            effects.push(Effect::Suspend);
            return effects;
        }
        _ => {}
    }
    let marks_action = matches!(
        a,
        Action::ToggleBookmark
            | Action::EditNote
            | Action::BookmarkList
            | Action::NextBookmark
            | Action::PrevBookmark
            | Action::CopyCitation
    );
    if let Some(l) = app.loading.as_mut()
        && marks_action
    {
        // Bookmarks are read from the store with the whole document.
        l.pending = Some((a, app.pos));
        app.say("bookmarks open once the document is read: waiting");
        return Vec::new();
    }
    if app.note.is_some() {
        // Keys are text in the note editor; an action reaching here is a Ctrl/Alt chord.
        return Vec::new();
    }
    if app.list.is_some() {
        return bookmarks::list_act(app, a);
    }
    if app.help {
        let h = app.help_height().max(1);
        match a {
            Action::Help | Action::Cancel => app.help = false,
            Action::LineDown => app.help_top += 1,
            Action::LineUp => app.help_top = app.help_top.saturating_sub(1),
            Action::PageDown | Action::HalfPageDown => app.help_top += h,
            Action::PageUp | Action::HalfPageUp => app.help_top = app.help_top.saturating_sub(h),
            Action::Top => app.help_top = 0,
            Action::Bottom => app.help_top = usize::MAX / 2,
            _ => {}
        }
        return Vec::new();
    }
    if app.focus == Focus::Outline && outline_act(app, a) {
        return Vec::new();
    }
    let h = app.reader_height().max(1);
    match a {
        Action::LineDown => scroll(app, true, 1),
        Action::LineUp => scroll(app, false, 1),
        Action::PageDown => scroll(app, true, h.saturating_sub(2).max(1)),
        Action::PageUp => scroll(app, false, h.saturating_sub(2).max(1)),
        Action::HalfPageDown => scroll(app, true, (h / 2).max(1)),
        Action::HalfPageUp => scroll(app, false, (h / 2).max(1)),
        Action::Top => app.jump(Pos::TOP),
        Action::Bottom if app.loading.is_some() => miss(app, a, String::new()),
        Action::Bottom => {
            let p = app.end_top();
            app.jump(p);
        }
        Action::NextTurn | Action::PrevTurn => {
            let found = turn_jump(app, a == Action::NextTurn);
            missed(app, a, found);
        }
        Action::NextTurnSameSpeaker | Action::PrevTurnSameSpeaker => {
            let speaker = app.current_turn().map(|t| app.doc.turns[t].speaker());
            match speaker {
                Some(s) => {
                    let found = speaker_jump(app, s, a == Action::NextTurnSameSpeaker);
                    missed(app, a, found);
                }
                None => app.say("no current speaker: move to a turn first"),
            }
        }
        Action::SpeakerTurn(n) => {
            let s = usize::from(n).saturating_sub(1);
            let found = match s < app.doc.speakers.len() && n > 0 {
                true => speaker_jump(app, s, true),
                false => Err(format!("no speaker {n}")),
            };
            missed(app, a, found);
        }
        Action::NextQuote | Action::PrevQuote => {
            let found = quote_jump(app, a == Action::NextQuote);
            missed(app, a, found);
        }
        Action::NextSection | Action::PrevSection => {
            let found = section_jump(app, a == Action::NextSection);
            missed(app, a, found);
        }
        Action::Search => {
            app.search =
                Some(SearchState { editing: true, origin: app.pos, ..SearchState::default() });
        }
        Action::NextMatch | Action::PrevMatch => {
            let found = match_step(app, a == Action::NextMatch);
            missed(app, a, found);
        }
        Action::CycleSpeakerFocus => {
            let n = app.doc.speakers.len();
            app.focus_speaker = match app.focus_speaker {
                None if n > 0 => Some(0),
                Some(s) if s + 1 < n => Some(s + 1),
                _ => None,
            };
            app.invalidate_all();
            match app.focus_speaker {
                Some(s) => {
                    let name = app.doc.speaker_name(s).to_string();
                    app.say(format!("focus on {name} (s: next speaker, S: clear)"));
                }
                None => app.say("speaker focus cleared"),
            }
        }
        Action::ClearSpeakerFocus => {
            if app.focus_speaker.take().is_some() {
                app.invalidate_all();
                app.say("speaker focus cleared");
            }
        }
        Action::SwitchPane => {
            if !app.outline_shown() {
                app.outline_user = Some(true);
                app.focus = Focus::Outline;
            } else {
                app.focus = match app.focus {
                    Focus::Reader => Focus::Outline,
                    Focus::Outline => Focus::Reader,
                };
            }
            app.follow_outline();
        }
        Action::ToggleOutline => {
            let show = !app.outline_shown();
            app.outline_user = Some(show);
            if !show {
                app.focus = Focus::Reader;
            } else if app.width < NARROW {
                app.focus = Focus::Outline;
            }
            app.follow_outline();
        }
        Action::Help => {
            app.help = true;
            app.help_top = 0;
        }
        Action::Cancel => {
            if app.outline_shown() && app.panes().overlay {
                app.outline_user = Some(false);
                app.focus = Focus::Reader;
            } else if app.search.take().is_none() && app.focus == Focus::Outline {
                app.focus = Focus::Reader;
            }
        }
        Action::Select => {}
        Action::ToggleBookmark => return bookmarks::toggle(app),
        Action::EditNote => bookmarks::edit_note(app),
        Action::BookmarkList => bookmarks::open_list(app),
        Action::NextBookmark | Action::PrevBookmark => {
            bookmarks::step(app, a == Action::NextBookmark)
        }
        Action::CopyCitation => return bookmarks::copy(app),
        Action::Quit | Action::ForceQuit | Action::Suspend => {}
    }
    Vec::new()
}

fn scroll(app: &mut App, down: bool, n: usize) {
    app.last_target = None;
    let moved = if down { app.scroll_down(n) } else { app.scroll_up(n) };
    if !moved && down && app.loading.is_some() {
        app.say("the rest of the document is still being read");
    } else if !moved {
        app.say(if down { "end of document" } else { "top of document" });
    }
    app.follow_outline();
}

/// Actions that mean something else while the outline has focus. True when handled.
fn outline_act(app: &mut App, a: Action) -> bool {
    let h = app.outline_height().max(1);
    let last = app.outline_rows.len().saturating_sub(1);
    let sel = app.outline_sel;
    app.outline_sel = match a {
        Action::LineDown => (sel + 1).min(last),
        Action::LineUp => sel.saturating_sub(1),
        Action::PageDown => (sel + h).min(last),
        Action::PageUp => sel.saturating_sub(h),
        Action::HalfPageDown => (sel + h / 2).min(last),
        Action::HalfPageUp => sel.saturating_sub(h / 2),
        Action::Top => 0,
        Action::Bottom => last,
        Action::Select => {
            select_row(app, sel);
            return true;
        }
        _ => return false,
    };
    app.reveal_outline();
    true
}

/// Jump to an outline row. A section that is already being read folds or unfolds instead.
fn select_row(app: &mut App, row: usize) {
    let Some(e) = app.outline_rows.get(row).map(|&e| e as usize) else { return };
    let Some(entry) = app.entries.get(e).cloned() else { return };
    match entry.kind() {
        EntryKind::Section(s) => {
            let item = app.doc.sections[s].item;
            if app.current_item() == Some(item) {
                if !app.collapsed.remove(&e) {
                    app.collapsed.insert(e);
                }
                app.rebuild_outline_rows();
                app.follow_outline();
                return;
            }
            app.jump(Pos::item(item));
        }
        EntryKind::Turn(t) => {
            let item = app.doc.turns[t].item();
            app.jump(Pos::item(item));
        }
        EntryKind::Part(item) => app.jump(Pos::item(item)),
    }
    app.outline_sel = row;
    if app.panes().overlay {
        app.outline_user = Some(false);
        app.focus = Focus::Reader;
    }
}

/// The jumps: `Err` says what was not found (see [`missed`]).
fn turn_jump(app: &mut App, next: bool) -> Result<(), String> {
    let word = if next { "next" } else { "previous" };
    if let Some(s) = app.focus_speaker {
        let name = app.doc.speaker_name(s).to_string();
        let found = pick_sorted(
            app,
            app.doc.turns_of(s),
            |app, t| Pos::item(app.doc.turns[t].item()),
            next,
        );
        let p = found.ok_or_else(|| format!("no {word} turn by {name}"))?;
        app.jump(p);
        return Ok(());
    }
    if app.doc.turns.is_empty() && !app.parts.is_empty() {
        // Captions without speakers: their time-based parts stand in for turns.
        let target = pick_slice(app, &app.parts, |_, &i| Pos::item(i as usize), next);
        app.jump(target.ok_or_else(|| format!("no {word} part"))?);
        return Ok(());
    }
    let target = pick_slice(app, &app.doc.turns, |_, t| Pos::item(t.item()), next);
    let p = target.ok_or_else(|| format!("no {word} turn"))?;
    app.jump(p);
    Ok(())
}

/// Binary search in a sorted list of ids whose positions increase with the id.
fn pick_sorted(app: &App, ids: &[u32], at: impl Fn(&App, usize) -> Pos, next: bool) -> Option<Pos> {
    let here = app.here();
    if next {
        let i = ids.partition_point(|&t| at(app, t as usize) <= here);
        ids.get(i).map(|&t| at(app, t as usize))
    } else {
        let i = ids.partition_point(|&t| at(app, t as usize) < here);
        i.checked_sub(1).map(|i| at(app, ids[i] as usize))
    }
}

fn speaker_jump(app: &mut App, s: SpeakerId, next: bool) -> Result<(), String> {
    let found =
        pick_sorted(app, app.doc.turns_of(s), |app, t| Pos::item(app.doc.turns[t].item()), next);
    let word = if next { "next" } else { "previous" };
    let name = app.doc.speaker_name(s);
    let p = found.ok_or_else(|| format!("no {word} turn by {name}"))?;
    app.jump(p);
    Ok(())
}

fn quote_jump(app: &mut App, next: bool) -> Result<(), String> {
    let found = pick_slice(
        app,
        &app.doc.quotes,
        |app, q| Pos::text(app.doc.turns[q.turn].item(), q.block, q.range.start),
        next,
    );
    let p = found.ok_or(if next { "no next quote" } else { "no previous quote" })?;
    app.jump_into(p);
    Ok(())
}

fn section_jump(app: &mut App, next: bool) -> Result<(), String> {
    let found = pick_slice(app, &app.doc.sections, |_, s| Pos::item(s.item), next);
    let p = found.ok_or(if next { "no next section" } else { "no previous section" })?;
    app.jump(p);
    Ok(())
}

/// Binary search in a list in document order: the first entry after the reading position,
/// or the last before it.
fn pick_slice<T>(app: &App, list: &[T], at: impl Fn(&App, &T) -> Pos, next: bool) -> Option<Pos> {
    let here = app.here();
    if next {
        let i = list.partition_point(|x| at(app, x) <= here);
        list.get(i).map(|x| at(app, x))
    } else {
        let i = list.partition_point(|x| at(app, x) < here);
        i.checked_sub(1).map(|i| at(app, &list[i]))
    }
}

fn match_pos(m: &Match) -> Pos {
    Pos::text(m.item, m.block, m.range.start)
}

fn input(app: &mut App, i: Input) {
    let Some(s) = app.search.as_mut() else { return };
    if !s.editing {
        return;
    }
    match edit_line(&mut s.edit, i) {
        Some(true) => return search_edited(app),
        Some(false) => return,
        None => {}
    }
    match i {
        Input::Enter => {
            s.editing = false;
            if s.query().is_empty() {
                app.search = None;
            } else if s.matches.is_empty() && !s.counting() {
                let q = s.query().to_string();
                app.say(format!("not found: {q}"));
            }
        }
        Input::Esc => {
            let origin = s.origin;
            app.search = None;
            app.jump(origin);
        }
        _ => {}
    }
}

/// A key typed into a one-line editor (the search prompt, the note editor): whether the
/// text changed; `None` for Enter and Esc, which each editor handles itself.
pub(super) fn edit_line(edit: &mut crate::lineedit::LineEdit, i: Input) -> Option<bool> {
    let changed = match i {
        Input::Char(c) => {
            edit.insert_char(c);
            true
        }
        Input::Backspace => edit.backspace(),
        Input::Delete => edit.delete(),
        Input::Left => {
            edit.left();
            false
        }
        Input::Right => {
            edit.right();
            false
        }
        Input::Home => {
            edit.home();
            false
        }
        Input::End => {
            edit.end();
            false
        }
        Input::Enter | Input::Esc => return None,
    };
    Some(changed)
}

/// Pasted text joins the search query as one line.
fn paste_search(app: &mut App, text: &str) {
    let Some(s) = app.search.as_mut() else { return };
    // A copied line often ends in a line break; it is no part of what to find.
    s.edit.insert(text.trim_end_matches(['\n', '\r']));
    search_edited(app);
}

/// The query changed: start a new count, and show the first match after where the search
/// began as soon as it is found.
fn search_edited(app: &mut App) {
    let Some(s) = app.search.as_mut() else { return };
    let origin = s.origin;
    s.matches.clear();
    s.current = None;
    s.scan = search::Scan::new(s.edit.text(), origin.body_item().unwrap_or(0));
    app.jump(origin);
    search_slice(app);
}

/// Search the next slice of the document. True when something the user sees changed (the
/// first match was found, or the count finished).
fn search_slice(app: &mut App) -> bool {
    let Some(s) = app.search.as_mut() else { return false };
    let Some(scan) = s.scan.as_mut() else { return false };
    let seen = s.matches.len();
    let looking = s.current.is_none();
    let done = if looking {
        // Until the first match is on screen, search in small steps and stop at it: a key
        // typed into the prompt shows its match without waiting for a whole slice.
        let step = (app.search_slice / 32).max(1);
        let mut spent = 0;
        loop {
            let done = scan.step(&app.doc, step, &mut s.matches);
            spent += step;
            s.current = first_after(&s.matches, s.origin, seen, scan.wrap_at);
            if done || s.current.is_some() || spent >= app.search_slice {
                break done;
            }
        }
    } else {
        scan.step(&app.doc, app.search_slice, &mut s.matches)
    };
    let wrap_at = scan.wrap_at;
    let mut changed = false;
    if looking && let Some(c) = s.current {
        let target = match_pos(&s.matches[c]);
        app.jump_into(target);
        changed = true;
    }
    let Some(s) = app.search.as_mut() else { return changed };
    if done {
        s.scan = None;
        if let Some(w) = wrap_at {
            // Back to document order: what was found after the wrap comes first.
            let n = s.matches.len();
            s.matches.rotate_left(w);
            s.current = s.current.map(|c| (c + n - w) % n.max(1));
        }
        if s.current.is_none() && !s.matches.is_empty() {
            // Every match lies above the reading position in the item the search began
            // in (scanned first, before the wrap): wrap around to the first.
            s.current = Some(0);
            let target = match_pos(&s.matches[0]);
            app.jump_into(target);
        } else if s.matches.is_empty() && !s.editing {
            let q = s.query().to_string();
            app.say(format!("not found: {q}"));
        }
        changed = true;
    }
    changed
}

/// The first match from index `from` on to show: before the wrap (`wrap_at`), one at or
/// after where the search began; after it, the first one from the top.
fn first_after(
    matches: &[Match],
    origin: Pos,
    from: usize,
    wrap_at: Option<usize>,
) -> Option<usize> {
    (from..matches.len())
        .find(|&i| wrap_at.is_some_and(|w| i >= w) || match_pos(&matches[i]) >= origin)
}

/// The document changed under a search (a big document finished loading): count again,
/// keeping the match on screen.
fn refresh_search(app: &mut App) {
    let Some(s) = app.search.as_mut() else { return };
    let here = s.current.map(|c| match_pos(&s.matches[c]));
    if let Some(h) = here {
        s.origin = h;
    }
    s.matches.clear();
    s.current = None;
    s.scan = search::Scan::new(s.edit.text(), s.origin.body_item().unwrap_or(0));
    search_slice(app);
}

fn match_step(app: &mut App, next: bool) -> Result<(), String> {
    let Some(s) = app.search.as_mut() else {
        app.say("no search: press / to search");
        return Ok(());
    };
    if s.matches.is_empty() {
        let q = s.query().to_string();
        if !s.counting() {
            return Err(format!("not found: {q}"));
        }
        app.say(format!("searching for {q}…"));
        return Ok(());
    }
    let counting = s.counting();
    let cur = s.current.unwrap_or(0);
    let target =
        if next { (cur + 1 < s.matches.len()).then_some(cur + 1) } else { cur.checked_sub(1) };
    match target {
        Some(t) => {
            s.current = Some(t);
            let p = match_pos(&s.matches[t]);
            app.jump_into(p);
        }
        None if counting => app.say("still searching: try again in a moment"),
        None => return Err(if next { "no next match" } else { "no previous match" }.into()),
    }
    Ok(())
}

/// What a jump for `a` found: nothing found is told ([`miss`]).
fn missed(app: &mut App, a: Action, found: Result<(), String>) {
    if let Err(text) = found {
        miss(app, a, text);
    }
}

/// A jump found nothing. While a big document is still loading the target may lie in the
/// part not read yet: the jump, as asked, waits for it, and the status line says so.
fn miss(app: &mut App, a: Action, text: String) {
    match app.loading.as_mut() {
        Some(l) => {
            l.pending = Some((a, app.pos));
            app.say("not indexed yet: will jump when the document is read");
        }
        None => app.say(text),
    }
}

fn mouse(app: &mut App, m: Mouse) {
    let panes = app.panes();
    let over_outline = |col, row| panes.outline.is_some_and(|a| a.contains(col, row));
    match m {
        Mouse::WheelDown { col, row } | Mouse::WheelUp { col, row } => {
            let down = matches!(m, Mouse::WheelDown { .. });
            if app.help {
                app.help_top =
                    if down { app.help_top + WHEEL } else { app.help_top.saturating_sub(WHEEL) };
            } else if over_outline(col, row) {
                app.outline_top = if down {
                    app.outline_top + WHEEL
                } else {
                    app.outline_top.saturating_sub(WHEEL)
                };
            } else if down {
                app.last_target = None;
                app.scroll_down(WHEEL);
                app.follow_outline();
            } else {
                app.last_target = None;
                app.scroll_up(WHEEL);
                app.follow_outline();
            }
        }
        Mouse::Click { col, row } => {
            if app.help {
                app.help = false;
                return;
            }
            if let Some(a) = panes.outline.filter(|a| a.contains(col, row)) {
                let r = app.outline_top + usize::from(row - a.y);
                if r < app.outline_rows.len() {
                    select_row(app, r);
                }
            } else if panes.reader.contains(col, row) {
                if panes.overlay {
                    app.outline_user = Some(false);
                }
                app.focus = Focus::Reader;
            }
        }
    }
}

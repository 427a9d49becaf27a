//! The reader's state: [`App`] and what it is made of.
//!
//! Public surface: [`Options`] (what the reader is opened with; [`Options::from_config`]
//! builds them from the resolved configuration), [`App`] (the whole state, read by
//! drawing, changed only by [`update`](super::update)), [`Index`] (what is derived from a
//! document once), [`Overlay`] (what is open over the reading screen: one at a time),
//! [`Loading`], [`Focus`], [`View`] (the lines on screen), and [`size_text`]. Construction
//! ([`App::new`], [`App::from_index`]), the overlay's accessors (`list`, `note`,
//! `help_top`) and the lookups every part of `update` shares (the current item, turn,
//! section and outline entry).

use std::collections::{BTreeSet, HashSet};

use crate::config::{Config, EnvInfo, ResolvedTheme};
use crate::doc::{Document, Item, SpeakerId};
use crate::keymap::Action;
use crate::store::Marks;

use super::outline::{self, Entry, ItemInfo, Outline};
use super::search::{SEARCH_SLICE, SearchState, refresh_search};
use super::view::{Line, LineCache, Pos};
use super::{BookmarkList, Effect, Indexed, NoteEditor, stats, strip};

/// Everything the reader needs besides the document, from the configuration and the
/// command line.
#[derive(Debug, Clone)]
pub struct Options {
    /// Shown in the status line.
    pub file_name: String,
    /// Every layer's keymap.
    pub keys: crate::keymap::Keys,
    pub ambiguous: crate::width::AmbiguousWidth,
    /// Readable text width cap for the reading pane, in cells.
    pub max_text_width: usize,
    /// Outline width as a percentage of the screen, and its cap in cells.
    pub outline_percent: u16,
    pub outline_max: u16,
    pub cjk_chars_per_minute: u32,
    pub latin_words_per_minute: u32,
    /// Colours resolved from the configuration and the terminal.
    pub theme: ResolvedTheme,
    /// The file read, for the bookmark store (`None`: the bundled sample or stdin).
    pub path: Option<std::path::PathBuf>,
    /// Open where the reader stopped last time (`--no-resume`, `[reading] resume`).
    pub resume: bool,
    /// Show a turn's start time beside its speaker (`--no-times`, `[reading] times`).
    pub times: bool,
    /// Capture the mouse (`[reading] mouse`).
    pub mouse: bool,
    /// Blank rows between paragraphs.
    pub paragraph_spacing: usize,
    /// Show images as `[图片/image] URL` rows.
    pub show_images: bool,
    /// Write links as OSC 8 hyperlinks (`[layout] hyperlinks`, and a terminal that
    /// takes them: see [`EnvInfo::hyperlinks`]).
    pub hyperlinks: bool,
    /// Open with the timeline strip beside the text (`[layout] timeline`; `t` toggles it).
    pub timeline: bool,
    /// `--media`: the recording to listen to, a path or URL.
    pub media: Option<String>,
    /// A recording beside the transcript (same name, a media extension), found by the
    /// edge.
    pub media_beside: Option<String>,
    /// `--at`: open at the passage spoken at this time of the recording (ms).
    pub at_ms: Option<u64>,
    /// `[player]`: the media player listening drives.
    pub player: crate::config::PlayerOptions,
    /// Where to open, given on the command line; it wins over the saved position.
    pub start: Option<Start>,
    /// The time zone bookmark dates are shown in: UTC unless the terminal edge loads the
    /// system's (`TZ`, `/etc/localtime`).
    pub tz: jiff::tz::TimeZone,
    /// Opened from the library screen: `quit` (and `cancel` with nothing to close) goes
    /// back to it ([`Effect::Back`]) instead of ending fangtan.
    pub from_library: bool,
}

/// A starting position given on the command line, as `less +…` takes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// `+N`: the N-th turn (from 1).
    Turn(usize),
    /// `+/PATTERN`: the first match of a search, which stays for `n` and `N`.
    Search(String),
    /// One match of a search (a hit of the library's search across documents): the
    /// search stays for `n` and `N`, the current match the one at `item`, `block` and byte
    /// `at` of that block's text (else the first after it).
    Match { query: String, item: usize, block: usize, at: usize },
}

impl Options {
    /// The options a configuration gives, with colours fitted to the terminal `env`
    /// describes. `path` is left unset; `resume` is the configuration's.
    pub fn from_config(config: &Config, file_name: String, env: &EnvInfo) -> Options {
        Options {
            file_name,
            keys: config.keys.clone(),
            ambiguous: config.layout.ambiguous_width,
            max_text_width: config.layout.max_text_width,
            outline_percent: config.layout.outline_width,
            outline_max: config.layout.outline_max_width,
            cjk_chars_per_minute: config.reading.cjk_chars_per_minute,
            latin_words_per_minute: config.reading.latin_words_per_minute,
            theme: config.resolve_theme(env),
            path: None,
            resume: config.reading.resume,
            times: config.reading.times,
            mouse: config.reading.mouse,
            paragraph_spacing: config.layout.paragraph_spacing,
            show_images: config.layout.show_images,
            hyperlinks: config.layout.hyperlinks && env.hyperlinks(),
            timeline: config.layout.timeline,
            start: None,
            media: None,
            media_beside: None,
            at_ms: None,
            player: config.player.clone(),
            tz: jiff::tz::TimeZone::UTC,
            from_library: false,
        }
    }
}

impl Default for Options {
    /// The shipped configuration's options, in full colour (tests, benches).
    fn default() -> Options {
        let truecolor = EnvInfo { colorterm: Some("truecolor".into()), ..EnvInfo::default() };
        Options::from_config(&Config::builtin(), String::new(), &truecolor)
    }
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
    /// Where each item lies on the timeline strip.
    pub weights: strip::Weights,
}

impl Index {
    pub fn build(doc: Document, opts: &Options) -> Index {
        let (entries, items) = outline::build(&doc);
        let stats = stats::Stats::new(&doc, opts);
        let weights = strip::Weights::build(&doc);
        Index { doc, entries, items, stats, weights }
    }

    /// The outline and lookups only: reading-time counts are left to the reader, which
    /// takes them a slice at a time between keys (a big document is jumpable sooner).
    pub fn build_lookups(doc: Document, opts: &Options) -> Index {
        let (entries, items) = outline::build(&doc);
        let stats = stats::Stats::pending(&doc, opts);
        let weights = strip::Weights::build(&doc);
        Index { doc, entries, items, stats, weights }
    }
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
    /// An overlay of the whole document asked for meanwhile (the quote index, the talk
    /// shares): opened once the document is indexed, after the saved or asked-for
    /// position is restored. Asking for it does not move the reader.
    pub overlay: Option<Action>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Reader,
    Outline,
}

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

/// What is open over the reading screen. One at a time: which one it is decides where
/// keys go ([`route`](super::route)), what `update` does with them and what is drawn on top.
#[derive(Debug, Clone)]
pub enum Overlay {
    /// The keys, scrolled to row `top`.
    Help {
        top: usize,
    },
    BookmarkList(BookmarkList),
    NoteEditor(NoteEditor),
    /// The search prompt in the status line: keys are text of the query
    /// ([`App::search`] holds it and the matches).
    SearchPrompt,
    /// The quote index: every quote, filtered as you type.
    Quotes(super::QuoteIndex),
    /// The talk-share panel: who talks how much.
    Talk(super::TalkPanel),
    /// The go-to prompt in the status line: a percentage of the way through the document
    /// (of its spoken time when it has times), as the timeline strip measures it.
    GoTo(crate::lineedit::LineEdit),
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
    pub outline: Outline,
    pub items: Vec<ItemInfo>,
    pub focus_speaker: Option<SpeakerId>,
    /// The `s` cycle: the speaker it focused first (it ends after going round to it) and
    /// the one it focused last. It holds only while `focus_speaker` is that last one:
    /// focus set or cleared another way starts a new cycle.
    pub focus_cycle: Option<(SpeakerId, SpeakerId)>,
    pub search: Option<SearchState>,
    /// Searches made, oldest first: the data directory's ([`Msg::SearchHistory`]) and this
    /// session's.
    ///
    /// [`Msg::SearchHistory`]: super::Msg::SearchHistory
    pub search_history: Vec<String>,
    /// The overlay open over the reading screen, if any: it gets the keys.
    pub overlay: Option<Overlay>,
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
    /// Bookmark changes (adds, notes, deletions) not yet saved; the status line shows
    /// them until a save succeeds.
    pub unsaved: usize,
    /// Why the last save failed, while it has not succeeded since.
    pub save_error: Option<String>,
    /// (body item, block) of every placed bookmark, for the gutter.
    pub(super) marked: BTreeSet<(usize, usize)>,
    /// Outline entries standing for a bookmarked passage.
    pub(super) marked_entries: HashSet<usize>,
    /// Something changed since the last draw.
    pub dirty: bool,
    /// The time of the last [`Msg::Clock`](super::Msg::Clock), in milliseconds since the
    /// epoch (0 until one comes): bookmarks and the reading position are stamped with it.
    pub now: i64,
    /// A big document is still loading (the tree holds only its first part).
    pub loading: Option<Loading>,
    /// Bytes of text a search slice covers ([`SEARCH_SLICE`]; tests make it small).
    pub search_slice: usize,
    /// Listening: what the media player is doing, and the reader's side of it.
    pub listen: super::Listening,
    /// The timeline strip beside the reading pane.
    pub strip: strip::Strip,
    /// The talk shares, counted the first time the panel (`i`) opens and reused after:
    /// forgotten when the whole of a big document replaces its first part.
    pub talk: Option<std::sync::Arc<crate::talk::Talk>>,
    /// What is laid out, kept between messages.
    pub(super) laid: LineCache,
    /// The starting position ([`Start`]) lay past the text there was when it was taken (the
    /// first part of a big document): taken again once the whole is read.
    pub(super) start_short: bool,
}

impl App {
    pub fn new(doc: Document, opts: Options) -> App {
        let index = Index::build(doc, &opts);
        App::from_index(index, opts)
    }

    /// An app over a document whose index is already built.
    pub fn from_index(index: Index, opts: Options) -> App {
        let Index { doc, entries, items, stats, weights } = index;
        let title = title_of(&doc, &opts);
        let timeline = opts.timeline;
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
            outline: Outline { follow: true, ..Outline::new(entries) },
            items,
            focus_speaker: None,
            focus_cycle: None,
            search: None,
            search_history: Vec::new(),
            overlay: None,
            last_target: None,
            message: None,
            view: View::default(),
            stats,
            marks: Marks::new(id),
            keep_marks: false,
            opened_without_resume: None,
            unsaved: 0,
            save_error: None,
            marked: BTreeSet::new(),
            marked_entries: HashSet::new(),
            dirty: true,
            now: 0,
            loading: None,
            search_slice: SEARCH_SLICE,
            listen: super::Listening::default(),
            strip: strip::Strip::new(weights, timeline),
            talk: None,
            laid: LineCache::default(),
            start_short: false,
        };
        app.go_to_start();
        app.opened()
    }

    /// Just made: open at `--at` when it was given.
    fn opened(mut self) -> App {
        if let Some(said) = self.open_at() {
            self.say(said);
        }
        self
    }

    /// The first part of a big document is shown while the rest loads (`size`: the file's
    /// size in bytes).
    pub fn start_loading(&mut self, size: u64) {
        self.loading = Some(Loading { stage: "reading", bytes: size, ..Loading::default() });
    }

    /// Put the whole document in place of its first part. The reading position stays
    /// (the first part parses to the same items); what the user asked for meanwhile
    /// happens now.
    pub(super) fn take_index(&mut self, arrived: Indexed) -> Vec<Effect> {
        let loading = self.loading.take().unwrap_or_default();
        let Index { doc, entries, items, stats, weights } = arrived.index;
        self.title = title_of(&doc, &self.opts);
        self.doc = doc;
        self.talk = None;
        self.listen.forget_timeline();
        self.outline.replace(entries);
        self.items = items;
        self.stats = stats;
        self.strip = strip::Strip::new(weights, self.strip.shown);
        self.invalidate_all();
        if self.pos.vi >= self.view_len() {
            self.pos = Pos::TOP;
        }
        self.last_target = None;
        if self.focus_speaker.is_some_and(|s| s >= self.doc.speakers.len()) {
            self.focus_speaker = None;
        }
        if let Some(stored) = arrived.stored {
            // A reader who moved while it loaded (keys or mouse) stays where they are; an
            // overlay asked for meanwhile is no move ([`Loading::overlay`]).
            let resume = self.opts.resume && self.pos == Pos::TOP && loading.pending.is_none();
            self.restore(stored, resume);
        } else if let Some(said) = self.open_at() {
            self.say(said);
        }
        if (self.pos == Pos::TOP || self.start_short) && loading.pending.is_none() {
            // The starting position may lie past the first part (what was said of it
            // then, "only N turns" or "not found", may not hold for the whole).
            if self.start_short {
                self.message = None;
            }
            self.go_to_start();
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
        let mut effects = match loading.pending {
            Some((a, at)) if at == self.pos => super::update::act(self, a),
            Some(_) => {
                self.say("the reading position moved while the document loaded: not done");
                Vec::new()
            }
            None => Vec::new(),
        };
        if let Some(a) = loading.overlay {
            effects.extend(super::update::act(self, a));
        }
        effects
    }

    /// Background work is waiting for idle time: a search still counting, or reading
    /// times not yet counted.
    pub fn busy(&self) -> bool {
        self.search.as_ref().is_some_and(SearchState::counting) || !self.stats.complete(&self.doc)
    }

    /// How many pieces of the document are laid out now (a huge paragraph is laid out
    /// only where it is read).
    pub fn laid_out_pieces(&self) -> usize {
        self.laid.lines.len()
    }

    /// Forget every laid-out line, as after a resize (benches measure a cold screen).
    pub fn forget_layout(&mut self) {
        self.invalidate();
    }

    /// Forget laid-out lines (width or focus changed).
    pub(super) fn invalidate(&mut self) {
        self.laid.lines.clear();
        self.laid.end_top = None;
    }

    /// Forget laid-out lines and where items are cut into pieces (the document or the
    /// speaker focus changed; a width change keeps the cuts).
    pub(super) fn invalidate_all(&mut self) {
        self.invalidate();
        self.laid.cuts.clear();
    }

    /// The body item at the top of the reading pane.
    pub fn current_item(&self) -> Option<usize> {
        self.pos.body_item()
    }

    /// The body item of the passage under the cursor (the first paragraph on screen, the
    /// one `m`, `y` and `p` act on), else the item at the top of the reading pane. What
    /// the status line, the outline's `›` and `.`/`,` name is this passage, so they never
    /// disagree with what a key would act on (under speaker focus the top row can be
    /// another speaker's folded turn).
    pub fn passage_item(&self) -> Option<usize> {
        self.view.passage.map(|(item, _)| item).or_else(|| self.current_item())
    }

    /// The turn of the passage under the cursor.
    pub fn current_turn(&self) -> Option<usize> {
        match self.passage_item().and_then(|i| self.doc.items.get(i)) {
            Some(Item::Turn(t)) => Some(*t as usize),
            _ => None,
        }
    }

    /// The section of the passage under the cursor.
    pub fn current_section(&self) -> Option<usize> {
        self.passage_item().and_then(|i| self.items.get(i)).and_then(ItemInfo::section)
    }

    /// The outline entry standing for the passage under the cursor; a section heading at
    /// the top of the pane stands for its section (where `)` lands, and where Enter on the
    /// outline folds).
    pub fn current_entry(&self) -> Option<usize> {
        let top = self
            .current_item()
            .filter(|&i| matches!(self.doc.items.get(i), Some(Item::Heading(_))));
        top.or_else(|| self.passage_item())
            .and_then(|i| self.items.get(i))
            .and_then(ItemInfo::entry)
    }

    /// Open an overlay in place of the one open (a search prompt it replaces ends as
    /// Enter ends it).
    pub(super) fn open(&mut self, overlay: Overlay) {
        self.end_prompt();
        self.overlay = Some(overlay);
    }

    /// The bookmark list, when it is the overlay.
    pub fn list(&self) -> Option<&BookmarkList> {
        match &self.overlay {
            Some(Overlay::BookmarkList(l)) => Some(l),
            _ => None,
        }
    }

    pub(super) fn list_mut(&mut self) -> Option<&mut BookmarkList> {
        match &mut self.overlay {
            Some(Overlay::BookmarkList(l)) => Some(l),
            _ => None,
        }
    }

    /// The note editor, when it is the overlay.
    pub fn note(&self) -> Option<&NoteEditor> {
        match &self.overlay {
            Some(Overlay::NoteEditor(n)) => Some(n),
            _ => None,
        }
    }

    pub(super) fn note_mut(&mut self) -> Option<&mut NoteEditor> {
        match &mut self.overlay {
            Some(Overlay::NoteEditor(n)) => Some(n),
            _ => None,
        }
    }

    /// Close the note editor, if it is the overlay, and return it.
    pub(super) fn take_note(&mut self) -> Option<NoteEditor> {
        match self.overlay.take() {
            Some(Overlay::NoteEditor(n)) => Some(n),
            other => {
                self.overlay = other;
                None
            }
        }
    }

    /// The first row help shows, when help is the overlay.
    pub fn help_top(&self) -> Option<usize> {
        match self.overlay {
            Some(Overlay::Help { top }) => Some(top),
            _ => None,
        }
    }

    pub(super) fn say(&mut self, msg: impl Into<String>) {
        self.message = Some(msg.into());
    }
}

/// What the header block shows as the title: the document's, else the file name.
pub(super) fn title_of(doc: &Document, opts: &Options) -> String {
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

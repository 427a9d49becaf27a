//! The library screen, as data: the rows of a folder's transcripts
//! ([`crate::library::Entry`]) on a [`Shelf`] (the order they are in, a [`SortKey`]; the
//! fuzzy filter typed, [`crate::fuzzy`], CJK-aware, over title, speakers and file name;
//! the selection, which stays on the same document when the order, the filter or the
//! rows change, and when the reader opened from it returns), and the matches of a search
//! across them ([`Results`]: grouped by document, streamed in, counted as they grow).
//! [`LibraryScreen`] holds both, [`update_library`] is the one place it changes and
//! [`route_library`] says what a key means there.
//!
//! Invariant: pure, like the rest of `app`: no terminal, no file, no clock, no thread.
//! The rows, the search's matches and the reader's return come in as [`LibMsg`]s; what
//! needs the world (open a document, start or stop a search, refresh the rows, quit) goes
//! out as [`LibEffect`]s. A search's matches are all counted but at most [`MAX_HITS`] are
//! kept; matches of a search that is no longer the current one (an older generation)
//! are dropped.
//!
//! Public surface: [`Shelf`], [`SortKey`], [`LibraryScreen`], [`Results`], [`Group`],
//! [`Prompt`], [`LibMsg`], [`LibEffect`], [`update_library`], [`route_library`],
//! [`MAX_HITS`].

use std::cmp::Reverse;
use std::path::{Path, PathBuf};

use fangtan_core::library::{Found, Hit, speaker_query};

use crate::keymap::{Action, EditAction, Key, KeyChord, Keys, LibraryAction};
use crate::library::Entry;
use crate::lineedit::LineEdit;
use crate::width::AmbiguousWidth;

use super::Input;
use super::state::Start;
use super::update::edit_line;

/// What the rows are ordered by when no filter is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Newest first; undated last.
    #[default]
    Date,
    /// Title, A to Z (by code point).
    Title,
    /// Longest first.
    Length,
    /// Most recently read first; never read last.
    Recent,
}

impl SortKey {
    /// The next key, round: what the sort key cycles through.
    pub fn next(self) -> SortKey {
        match self {
            SortKey::Date => SortKey::Title,
            SortKey::Title => SortKey::Length,
            SortKey::Length => SortKey::Recent,
            SortKey::Recent => SortKey::Date,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SortKey::Date => "date",
            SortKey::Title => "title",
            SortKey::Length => "length",
            SortKey::Recent => "recently read",
        }
    }
}

/// The library screen: rows, their order, the filter and the selection.
#[derive(Debug, Clone, Default)]
pub struct Shelf {
    pub rows: Vec<Entry>,
    pub sort: SortKey,
    /// The filter typed (empty: every row, in the sort key's order).
    pub filter: String,
    /// The rows shown (indices into `rows`): sorted, or the filter's matches best first.
    pub shown: Vec<usize>,
    /// Selected entry (index into `shown`).
    pub sel: usize,
}

impl Shelf {
    pub fn new(rows: Vec<Entry>) -> Shelf {
        let mut s = Shelf { rows, ..Shelf::default() };
        s.refresh();
        s
    }

    /// The selected document's path.
    pub fn selected(&self) -> Option<&Path> {
        self.shown.get(self.sel).map(|&i| self.rows[i].path.as_path())
    }

    /// Select the row of `path` when it is shown (the reader returning to the library).
    pub fn select_path(&mut self, path: &Path) {
        if let Some(at) = self.shown.iter().position(|&i| self.rows[i].path == path) {
            self.sel = at;
        }
    }

    /// New rows (the library refreshed): order and filter them again, the selection kept
    /// on its document when it is still there.
    pub fn set_rows(&mut self, mut rows: Vec<Entry>) {
        let keep: Option<PathBuf> = self.selected().map(Path::to_path_buf);
        // A refresh sends the cached rows first, before the store has been read for them:
        // a row that knows nothing of your reading keeps what the last list knew, so
        // progress, bookmarks and the recently-read order do not blink out meanwhile.
        let known: std::collections::HashMap<&Path, &Entry> =
            self.rows.iter().map(|e| (e.path.as_path(), e)).collect();
        for e in &mut rows {
            if e.progress.is_none()
                && e.last_read.is_none()
                && e.bookmarks == 0
                && let Some(old) = known.get(e.path.as_path())
            {
                e.progress = old.progress;
                e.last_read = old.last_read;
                e.bookmarks = old.bookmarks;
            }
        }
        self.rows = rows;
        self.shown.clear();
        self.refresh();
        if let Some(p) = keep {
            self.select_path(&p);
        }
    }

    /// The entry of `path`, if it is a row.
    pub fn entry(&self, path: &Path) -> Option<&Entry> {
        self.rows.iter().find(|e| e.path == path)
    }

    /// Move the selection by `delta` rows, stopping at either end.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.shown.len().saturating_sub(1);
        self.sel = self.sel.saturating_add_signed(delta).min(last);
    }

    pub fn set_sort(&mut self, key: SortKey) {
        self.sort = key;
        self.refresh();
    }

    pub fn set_filter(&mut self, filter: &str) {
        self.filter = filter.to_string();
        self.refresh();
    }

    /// What a row is filtered on: its title, speakers and file name.
    fn haystack(e: &Entry) -> String {
        let name = e.path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        format!("{} {} {name}", e.summary.title, e.summary.speakers.join(" "))
    }

    /// Order (or filter) the rows again, the selection kept on its document when it is
    /// still shown, else on the first row.
    fn refresh(&mut self) {
        let keep: Option<PathBuf> = self.selected().map(Path::to_path_buf);
        let all = 0..self.rows.len();
        self.shown = if self.filter.trim().is_empty() {
            let mut v: Vec<usize> = all.collect();
            let rows = &self.rows;
            match self.sort {
                SortKey::Date => {
                    v.sort_by_key(|&i| (rows[i].date.is_none(), Reverse(rows[i].date.clone())))
                }
                SortKey::Title => {
                    v.sort_by(|&a, &b| rows[a].summary.title.cmp(&rows[b].summary.title))
                }
                SortKey::Length => {
                    v.sort_by(|&a, &b| rows[b].summary.seconds.total_cmp(&rows[a].summary.seconds))
                }
                SortKey::Recent => {
                    v.sort_by_key(|&i| (rows[i].last_read.is_none(), Reverse(rows[i].last_read)))
                }
            }
            v
        } else {
            let rows = &self.rows;
            crate::fuzzy::filter(&self.filter, all, |&i| Shelf::haystack(&rows[i]))
                .into_iter()
                .map(|(i, _)| i)
                .collect()
        };
        self.sel = 0;
        if let Some(p) = keep {
            self.select_path(&p);
        }
    }
}

/// Matches kept for display; more are counted, not kept.
pub const MAX_HITS: usize = 20_000;

/// The line being typed at the bottom of the library screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// The fuzzy filter over the rows, applied as it is typed.
    Filter,
    /// A search across the documents, run on Enter.
    Search,
}

/// One document of a search's results: its header, and where its kept matches start.
#[derive(Debug, Clone)]
pub struct Group {
    pub path: PathBuf,
    /// Its title (the row's), else its file name.
    pub title: String,
    /// Matches found in it (all counted, kept or not).
    pub count: usize,
    /// Index of its first kept match in [`Results::hits`].
    pub first: usize,
}

/// A search across the library: what was typed, the matches so far, the selection.
#[derive(Debug, Clone, Default)]
pub struct Results {
    /// As typed (`@Name query`).
    pub typed: String,
    /// The text searched (the speaker filter taken off).
    pub query: String,
    pub speaker: Option<String>,
    /// Which search this is: messages of any other are dropped.
    pub generation: u64,
    /// Documents with kept matches, in the order found.
    pub groups: Vec<Group>,
    /// Kept matches (at most [`MAX_HITS`]), each with its group.
    pub hits: Vec<(usize, Hit)>,
    /// Every match found so far, kept or not.
    pub total: usize,
    /// Documents with a match so far.
    pub docs: usize,
    /// Documents that could not be read.
    pub skipped: usize,
    /// The search has ended (every document searched, or it failed).
    pub done: bool,
    /// Why it failed (a regex that does not compile), in one line.
    pub error: Option<String>,
    /// Selected match (index into `hits`).
    pub sel: usize,
    /// First display row shown (a group's header is a row, then its matches).
    pub top: usize,
    /// The path of the last document a match came from (counted in `docs`).
    last: Option<PathBuf>,
}

impl Results {
    /// Display rows: each group's header and its kept matches.
    pub fn rows(&self) -> usize {
        self.hits.len() + self.groups.len()
    }

    /// The display row of kept match `h`.
    pub fn row_of(&self, h: usize) -> usize {
        self.hits.get(h).map_or(0, |(g, _)| h + g + 1)
    }

    /// What display row `row` is: `Err(group)` a group's header, `Ok(hit)` a match.
    pub fn at_row(&self, row: usize) -> Option<Result<usize, usize>> {
        // The last group whose header (row `first + g`) is at or before `row`.
        let (mut lo, mut hi) = (0, self.groups.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.groups[mid].first + mid <= row {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let g = lo.checked_sub(1)?;
        match row - (self.groups[g].first + g) {
            0 => Some(Err(g)),
            n => {
                let h = self.groups[g].first + n - 1;
                let end = self.groups.get(g + 1).map_or(self.hits.len(), |next| next.first);
                (h < end).then_some(Ok(h))
            }
        }
    }

    /// The selected match and its document.
    pub fn selected(&self) -> Option<(&Path, &Hit)> {
        let (g, hit) = self.hits.get(self.sel)?;
        Some((self.groups[*g].path.as_path(), hit))
    }

    /// Take one message of the search.
    fn take(&mut self, path: &Path, found: Found, title: impl FnOnce() -> String) {
        match found {
            Found::Hit(hit) => {
                self.total += 1;
                let new_doc = self.last.as_deref() != Some(path);
                if new_doc {
                    self.docs += 1;
                    self.last = Some(path.to_path_buf());
                }
                let kept = self.hits.len() < MAX_HITS;
                let same = self.groups.last().is_some_and(|g| g.path == path);
                if kept && !same {
                    let first = self.hits.len();
                    self.groups.push(Group {
                        path: path.to_path_buf(),
                        title: title(),
                        count: 0,
                        first,
                    });
                }
                if let Some(g) = self.groups.last_mut().filter(|g| g.path == path) {
                    g.count += 1;
                }
                if kept {
                    self.hits.push((self.groups.len() - 1, hit));
                }
            }
            Found::Done { .. } => {}
            // Text that is no transcript (a README, notes) is not part of the library,
            // so not worth a word; a transcript that would not read is.
            Found::Skipped(s) if s.why == fangtan_core::library::NOT_A_TRANSCRIPT => {}
            Found::Skipped(_) => self.skipped += 1,
        }
    }
}

/// The library screen: the rows, a search's results, the line being typed.
#[derive(Debug, Clone)]
pub struct LibraryScreen {
    pub shelf: Shelf,
    /// The folders it lists, as given.
    pub roots: Vec<PathBuf>,
    pub keys: Keys,
    pub ambiguous: AmbiguousWidth,
    pub width: u16,
    pub height: u16,
    /// First row of the list shown.
    pub top: usize,
    /// The line being typed, and what it is.
    pub typing: Option<(Prompt, LineEdit)>,
    /// The search across documents, while its results are shown.
    pub results: Option<Results>,
    /// The last search typed, offered again by the next `/`.
    pub last_search: String,
    /// The rows are being brought up to date in the background.
    pub refreshing: bool,
    /// A line for the status bar (a refresh that failed, a search with no match).
    pub message: Option<String>,
    /// The help box is open.
    pub help: bool,
    /// Search generations handed out so far.
    pub generation: u64,
    /// Something changed since the last draw.
    pub dirty: bool,
}

/// What comes into the library screen.
#[derive(Debug)]
pub enum LibMsg {
    Key(LibraryAction),
    /// A key of the line being typed.
    Input(Input),
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// The rows, as the library knows them now (a refresh's news).
    Rows(Vec<Entry>),
    /// The refresh ended: why it failed, if it did.
    Refreshed(Option<String>),
    /// One message of search `generation`, with its document's path.
    Found {
        generation: u64,
        path: PathBuf,
        found: Found,
    },
    /// Search `generation` ended: why it failed, if it did.
    Searched {
        generation: u64,
        error: Option<String>,
    },
    /// The reader opened from here has closed its document.
    Returned,
    /// Stop until continued (the reader's suspend key).
    Suspend,
}

/// What the library screen asks of the edge.
#[derive(Debug, Clone, PartialEq)]
pub enum LibEffect {
    /// Open a document in the reader (where it was left, or at `start`).
    Open {
        path: PathBuf,
        start: Option<Start>,
    },
    /// Search every document (on a thread), its messages tagged with `generation`; any
    /// search of another generation stops.
    Search {
        generation: u64,
        query: String,
        speaker: Option<String>,
    },
    /// Stop searching: no search's messages are wanted but `generation`'s.
    StopSearches {
        generation: u64,
    },
    /// Bring the rows up to date (on a thread).
    Refresh,
    Suspend,
    Quit,
}

impl LibraryScreen {
    pub fn new(rows: Vec<Entry>, roots: Vec<PathBuf>, keys: Keys, amb: AmbiguousWidth) -> Self {
        LibraryScreen {
            shelf: Shelf::new(rows),
            roots,
            keys,
            ambiguous: amb,
            width: 80,
            height: 24,
            top: 0,
            typing: None,
            results: None,
            last_search: String::new(),
            refreshing: false,
            message: None,
            help: false,
            generation: 0,
            dirty: true,
        }
    }

    /// The prompt line is shown: a line is being typed, or a filter is set on the list.
    pub fn prompt_shown(&self) -> bool {
        self.typing.is_some() || self.results.is_none() && !self.shelf.filter.is_empty()
    }

    /// Rows of the list (or the results): the screen less the header, the status line
    /// and the prompt when shown.
    pub fn list_rows(&self) -> usize {
        let chrome = 2 + u16::from(self.prompt_shown());
        usize::from(self.height.saturating_sub(chrome)).max(1)
    }

    /// Keep the selection in view.
    fn scroll(&mut self) {
        let rows = self.list_rows();
        if let Some(r) = self.results.as_mut() {
            let row = r.row_of(r.sel);
            // A document's first match brings its header into view with it.
            let first = r.hits.get(r.sel).map(|&(g, _)| (r.groups[g].first, g));
            let up_to = match first {
                Some((f, g)) if f == r.sel => f + g,
                _ => row,
            };
            r.top = r.top.min(up_to);
            if row >= r.top + rows {
                r.top = row + 1 - rows;
            }
        } else {
            let sel = self.shelf.sel;
            if sel < self.top {
                self.top = sel;
            } else if sel >= self.top + rows {
                self.top = sel + 1 - rows;
            }
            let max_top = self.shelf.shown.len().saturating_sub(rows);
            self.top = self.top.min(max_top);
        }
    }

    fn move_by(&mut self, delta: isize) {
        match self.results.as_mut() {
            Some(r) => {
                let last = r.hits.len().saturating_sub(1);
                r.sel = r.sel.saturating_add_signed(delta).min(last);
            }
            None => self.shelf.move_by(delta),
        }
    }

    fn open_selected(&self) -> Vec<LibEffect> {
        if let Some(r) = &self.results {
            let Some((path, hit)) = r.selected() else { return Vec::new() };
            let start = Start::Match {
                query: r.query.clone(),
                item: hit.item,
                block: hit.block,
                at: hit.range.start,
            };
            return vec![LibEffect::Open { path: path.to_path_buf(), start: Some(start) }];
        }
        match self.shelf.selected() {
            Some(p) => vec![LibEffect::Open { path: p.to_path_buf(), start: None }],
            None => Vec::new(),
        }
    }

    /// Start the search typed; an empty one closes the prompt.
    fn search(&mut self, typed: &str) -> Vec<LibEffect> {
        let (speaker, query) = speaker_query(typed);
        if query.trim().is_empty() {
            self.message = Some(match speaker {
                Some(_) => "give words after the speaker: @Name query".to_string(),
                None => "nothing to search".to_string(),
            });
            return Vec::new();
        }
        self.generation += 1;
        self.last_search = typed.to_string();
        let speaker = speaker.map(str::to_string);
        self.results = Some(Results {
            typed: typed.to_string(),
            query: query.to_string(),
            speaker: speaker.clone(),
            generation: self.generation,
            ..Results::default()
        });
        vec![LibEffect::Search { generation: self.generation, query: query.to_string(), speaker }]
    }
}

/// A document's title for a search's results: its row's, else its file name.
fn title_of(shelf: &Shelf, path: &Path) -> String {
    match shelf.entry(path) {
        Some(e) => e.summary.title.clone(),
        None => path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
    }
}

/// The one place the library screen changes.
pub fn update_library(s: &mut LibraryScreen, msg: LibMsg) -> Vec<LibEffect> {
    s.dirty = true;
    let effects = match msg {
        LibMsg::Key(a) => {
            s.message = None;
            key(s, a)
        }
        LibMsg::Input(i) => input(s, i),
        LibMsg::Paste(text) => {
            let one_line: String = text.lines().collect::<Vec<_>>().join(" ");
            if let Some((prompt, edit)) = s.typing.as_mut() {
                edit.insert(&one_line);
                if *prompt == Prompt::Filter {
                    let f = edit.text().to_string();
                    s.shelf.set_filter(&f);
                }
            }
            Vec::new()
        }
        LibMsg::Resize { width, height } => {
            (s.width, s.height) = (width, height);
            Vec::new()
        }
        LibMsg::Rows(rows) => {
            s.shelf.set_rows(rows);
            Vec::new()
        }
        LibMsg::Refreshed(error) => {
            s.refreshing = false;
            if error.is_some() {
                s.message = error;
            }
            Vec::new()
        }
        LibMsg::Found { generation, path, found } => {
            if let Some(r) = s.results.as_mut().filter(|r| r.generation == generation) {
                r.take(&path, found, || title_of(&s.shelf, &path));
            }
            Vec::new()
        }
        LibMsg::Searched { generation, error } => {
            if let Some(r) = s.results.as_mut().filter(|r| r.generation == generation) {
                r.done = true;
                r.error = error;
            }
            Vec::new()
        }
        LibMsg::Suspend => vec![LibEffect::Suspend],
        LibMsg::Returned => {
            s.message = None;
            // Progress and bookmarks of the document read may have changed.
            s.refreshing = true;
            vec![LibEffect::Refresh]
        }
    };
    s.scroll();
    effects
}

fn key(s: &mut LibraryScreen, a: LibraryAction) -> Vec<LibEffect> {
    if s.help {
        // Any key closes the help box; quit too, as an overlay's q does.
        s.help = false;
        return Vec::new();
    }
    let page = s.list_rows() as isize;
    match a {
        LibraryAction::Down => s.move_by(1),
        LibraryAction::Up => s.move_by(-1),
        LibraryAction::PageDown => s.move_by(page),
        LibraryAction::PageUp => s.move_by(-page),
        LibraryAction::Top => s.move_by(isize::MIN),
        LibraryAction::Bottom => s.move_by(isize::MAX),
        LibraryAction::Open => {
            // The list, once back to it, is on the document read.
            if let Some((path, _)) = s.results.as_ref().and_then(Results::selected) {
                let path = path.to_path_buf();
                s.shelf.select_path(&path);
            }
            return s.open_selected();
        }
        LibraryAction::Filter => {
            if s.results.is_none() {
                let edit = LineEdit::with_text(&s.shelf.filter).with_ambiguous(s.ambiguous);
                s.typing = Some((Prompt::Filter, edit));
            }
        }
        LibraryAction::Search => {
            let edit = LineEdit::with_text(&s.last_search).with_ambiguous(s.ambiguous);
            s.typing = Some((Prompt::Search, edit));
        }
        LibraryAction::Sort => {
            if s.results.is_none() {
                s.shelf.set_sort(s.shelf.sort.next());
            }
        }
        LibraryAction::Back => {
            if s.results.take().is_some() {
                return vec![LibEffect::StopSearches { generation: s.generation }];
            }
            s.shelf.set_filter("");
        }
        LibraryAction::Quit => return vec![LibEffect::Quit],
        LibraryAction::Help => s.help = true,
    }
    Vec::new()
}

fn input(s: &mut LibraryScreen, i: Input) -> Vec<LibEffect> {
    let Some((prompt, edit)) = s.typing.as_mut() else { return Vec::new() };
    let prompt = *prompt;
    if let Some(changed) = edit_line(edit, i) {
        if changed && prompt == Prompt::Filter {
            let f = edit.text().to_string();
            s.shelf.set_filter(&f);
        }
        return Vec::new();
    }
    let text = edit.text().to_string();
    match (prompt, i) {
        (_, Input::Key(EditAction::HistoryPrev)) => s.move_by(-1),
        (_, Input::Key(EditAction::HistoryNext)) => s.move_by(1),
        // The filter stays; Enter reads the selected document.
        (Prompt::Filter, Input::Key(EditAction::Submit)) => {
            s.typing = None;
            return s.open_selected();
        }
        (Prompt::Filter, Input::Key(EditAction::Cancel)) => {
            s.typing = None;
            s.shelf.set_filter("");
        }
        (Prompt::Search, Input::Key(EditAction::Submit)) => {
            s.typing = None;
            let mut effects = s.search(&text);
            if effects.is_empty() {
                return effects;
            }
            effects.insert(0, LibEffect::StopSearches { generation: s.generation });
            return effects;
        }
        // The search typed is dropped; results shown before stay.
        (Prompt::Search, Input::Key(EditAction::Cancel)) => s.typing = None,
        _ => {}
    }
    Vec::new()
}

/// What `chord` means on the library screen: the help box closes on any key; a line
/// being typed takes the search prompt's keys (`[keys.search_prompt]`) and characters,
/// then the library's keys that are no text (PageDown); otherwise the library's
/// `[keys.library]`; over all of them the reader's force quit and suspend.
pub fn route_library(s: &LibraryScreen, chord: KeyChord) -> Option<LibMsg> {
    let global = || match s.keys.reader.lookup(chord) {
        Some(Action::ForceQuit) => Some(LibMsg::Key(LibraryAction::Quit)),
        Some(Action::Suspend) => Some(LibMsg::Suspend),
        _ => None,
    };
    let library = || s.keys.library.lookup(chord).map(LibMsg::Key);
    if s.help {
        return Some(LibMsg::Key(LibraryAction::Help));
    }
    if s.typing.is_some() {
        if let Some(e) = s.keys.search.lookup(chord) {
            return Some(LibMsg::Input(Input::Key(e)));
        }
        let c = chord.normalize();
        if !c.mods.ctrl && !c.mods.alt {
            match c.key {
                Key::Char(ch) => return Some(LibMsg::Input(Input::Char(ch))),
                Key::Space => return Some(LibMsg::Input(Input::Char(' '))),
                _ => {}
            }
        }
        return library().or_else(global);
    }
    library().or_else(global)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fangtan_core::library::Summary;

    fn entry(
        name: &str,
        title: &str,
        date: Option<&str>,
        seconds: f64,
        read: Option<i64>,
    ) -> Entry {
        Entry {
            path: PathBuf::from(format!("/lib/{name}")),
            summary: Summary {
                title: title.to_string(),
                date: date.map(str::to_string),
                speakers: vec!["张三".to_string(), "Satya".to_string()],
                speaker_count: 2,
                seconds,
                estimated: true,
                turns: 3,
                format: Some("markdown"),
            },
            date: date.map(str::to_string),
            progress: None,
            bookmarks: 0,
            last_read: read,
        }
    }

    fn shelf() -> Shelf {
        Shelf::new(vec![
            entry("a.md", "Bravo", Some("2024-01-01"), 100.0, None),
            entry("b.md", "Alpha", None, 300.0, Some(5)),
            entry("c.md", "搜索的未来", Some("2024-06-01"), 200.0, Some(9)),
        ])
    }

    fn names(s: &Shelf) -> Vec<String> {
        s.shown
            .iter()
            .map(|&i| s.rows[i].path.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn cached_rows_keep_what_the_last_list_knew_of_your_reading() {
        let mut s = shelf();
        s.rows[2].progress = Some(0.4);
        s.rows[2].bookmarks = 3;
        // The refresh's first list: from the cache, nothing of the store yet.
        let mut cached = vec![
            entry("a.md", "Bravo", Some("2024-01-01"), 100.0, None),
            entry("c.md", "搜索的未来", Some("2024-06-01"), 200.0, None),
        ];
        s.set_rows(cached.clone());
        let c = s.entry(Path::new("/lib/c.md")).unwrap();
        assert_eq!((c.progress, c.bookmarks, c.last_read), (Some(0.4), 3, Some(9)));
        // The store read: what it says stands.
        cached[1].progress = Some(0.9);
        cached[1].last_read = Some(12);
        s.set_rows(cached);
        let c = s.entry(Path::new("/lib/c.md")).unwrap();
        assert_eq!((c.progress, c.bookmarks, c.last_read), (Some(0.9), 0, Some(12)));
    }

    #[test]
    fn each_sort_key_orders_the_rows() {
        let mut s = shelf();
        assert_eq!(names(&s), ["c.md", "a.md", "b.md"]);
        s.set_sort(SortKey::Title);
        assert_eq!(names(&s), ["b.md", "a.md", "c.md"]);
        s.set_sort(SortKey::Length);
        assert_eq!(names(&s), ["b.md", "c.md", "a.md"]);
        s.set_sort(SortKey::Recent);
        assert_eq!(names(&s), ["c.md", "b.md", "a.md"]);
        assert_eq!(SortKey::Recent.next(), SortKey::Date);
    }

    #[test]
    fn the_filter_matches_titles_in_any_script_and_the_selection_follows_its_document() {
        let mut s = shelf();
        s.move_by(1);
        assert_eq!(s.selected(), Some(Path::new("/lib/a.md")));
        // Re-sorted: still on a.md.
        s.set_sort(SortKey::Title);
        assert_eq!(s.selected(), Some(Path::new("/lib/a.md")));
        s.set_filter("未来");
        assert_eq!(names(&s), ["c.md"]);
        assert_eq!(s.selected(), Some(Path::new("/lib/c.md")));
        s.set_filter("alph");
        assert_eq!(names(&s), ["b.md"]);
        s.set_filter("");
        assert_eq!(s.selected(), Some(Path::new("/lib/b.md")));
        // Back from the reader at the row it opened.
        s.select_path(Path::new("/lib/c.md"));
        assert_eq!(s.selected(), Some(Path::new("/lib/c.md")));
        s.move_by(10);
        assert_eq!(s.sel, 2);
        s.move_by(-10);
        assert_eq!(s.sel, 0);
    }

    fn hit(item: usize) -> Hit {
        Hit {
            doc: 0,
            speaker: None,
            section: None,
            start_ms: None,
            item,
            block: 0,
            range: 0..1,
            line: "x".to_string(),
            line_range: 0..1,
        }
    }

    #[test]
    fn display_rows_are_each_documents_header_then_its_matches() {
        let mut r = Results::default();
        for (path, item) in [("/a", 1), ("/a", 2), ("/b", 3), ("/c", 4), ("/c", 5)] {
            r.take(Path::new(path), Found::Hit(hit(item)), || path.to_string());
        }
        assert_eq!((r.total, r.docs, r.groups.len(), r.rows()), (5, 3, 3, 8));
        let rows: Vec<_> = (0..9).map(|row| r.at_row(row)).collect();
        let want = [Err(0), Ok(0), Ok(1), Err(1), Ok(2), Err(2), Ok(3), Ok(4)];
        assert_eq!(rows[..8], want.map(Some));
        assert_eq!(rows[8], None, "past the end");
        for h in 0..5 {
            assert_eq!(r.at_row(r.row_of(h)), Some(Ok(h)));
        }
    }
}

//! Search in the reader: the prompt, the incremental count and stepping between matches.
//!
//! Public surface: [`SearchState`] (the query, the matches found so far, the current one,
//! the count still running) and [`SEARCH_SLICE`]. The count runs a slice at a time between
//! keys (`Msg::Tick`); the first match after where the search began is shown as soon as it
//! is found. Enter remembers the query in [`App::search_history`] (and asks the edge to
//! keep it on disk, `Effect::RememberSearch`); Up and Down in the prompt go through that
//! history, and Enter on an empty prompt repeats the last search. A regex query (`\v…`)
//! that does not compile says why in the prompt (`SearchState::error`), and Enter closes
//! the prompt with that message instead of a search. While the prompt is open (`Overlay::SearchPrompt`) keys edit the query; the
//! search stays after it closes, for `n` and `N`, which wrap around at the ends with a note
//! in the status line (vim's `search hit BOTTOM, continuing at TOP`).

use crate::keymap::EditAction;
use crate::search::{self, Match};

use super::update::edit_line;
use super::view::Pos;
use super::{App, Effect, Input, Overlay};

#[derive(Default)]
pub struct SearchState {
    /// The query, edited like a note (whole grapheme clusters, a cursor).
    pub edit: crate::lineedit::LineEdit,
    /// Matches found so far: in document order once the scan is done; while it runs, in
    /// scan order (from the reader's item to the end, then from the top).
    pub matches: Vec<Match>,
    pub current: Option<usize>,
    /// Where the reader was when the search began (Esc returns there).
    pub origin: Pos,
    /// The count still running, a slice per tick (`None`: every match is in `matches`).
    pub scan: Option<search::Scan>,
    /// The entry of [`App::search_history`] in the prompt while Up and Down go through
    /// it, and what was typed before (only entries starting with it are offered).
    pub browsing: Option<(usize, String)>,
    /// Why the query is no search (a regex, `\v…`, that does not compile), in one line.
    pub error: Option<String>,
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

impl App {
    /// The search prompt is open: keys are text of the query.
    pub fn search_editing(&self) -> bool {
        matches!(self.overlay, Some(Overlay::SearchPrompt)) && self.search.is_some()
    }

    /// The search, while its prompt is open.
    pub fn search_prompt(&self) -> Option<&SearchState> {
        self.search.as_ref().filter(|_| self.search_editing())
    }

    /// Close the search prompt, keeping the search (an empty one goes).
    pub(super) fn end_prompt(&mut self) {
        if self.search_editing() {
            self.overlay = None;
        }
        if self.search.as_ref().is_some_and(|s| s.query().is_empty()) {
            self.search = None;
        }
    }

    /// Drop the search and close its prompt.
    pub(super) fn end_search(&mut self) {
        if self.search_editing() {
            self.overlay = None;
        }
        self.search = None;
    }
}

pub(super) fn match_pos(m: &Match) -> Pos {
    Pos::text(m.item, m.block, m.range.start)
}

pub(super) fn input(app: &mut App, i: Input) -> Vec<Effect> {
    if !app.search_editing() {
        return Vec::new();
    }
    let Some(s) = app.search.as_mut() else { return Vec::new() };
    match edit_line(&mut s.edit, i) {
        Some(true) => {
            s.browsing = None;
            search_edited(app);
            return Vec::new();
        }
        Some(false) => return Vec::new(),
        None => {}
    }
    match i {
        Input::Key(EditAction::Submit) => return submit(app),
        Input::Key(EditAction::Cancel) => {
            let origin = s.origin;
            app.end_search();
            app.jump(origin);
        }
        Input::Key(EditAction::HistoryPrev) => browse(app, true),
        Input::Key(EditAction::HistoryNext) => browse(app, false),
        _ => {}
    }
    Vec::new()
}

/// Enter in the prompt: keep the search and remember it. An empty prompt repeats the
/// last search, from the match after the one the reader is at.
fn submit(app: &mut App) -> Vec<Effect> {
    let Some(s) = app.search.as_ref() else { return Vec::new() };
    if s.query().is_empty()
        && let Some(last) = app.search_history.last().cloned()
    {
        let at = app.last_target;
        set_query(app, &last);
        if let Some(s) = app.search.as_mut()
            && let Some(c) = s.current
            && at == Some(match_pos(&s.matches[c]))
            && c + 1 < s.matches.len()
        {
            s.current = Some(c + 1);
            let p = match_pos(&s.matches[c + 1]);
            app.jump_into(p);
        }
    }
    let Some(s) = app.search.as_ref() else { return Vec::new() };
    let q = s.query().to_string();
    if let Some(e) = s.error.clone() {
        // Nothing to keep: the prompt closes and says why.
        app.end_search();
        app.say(e);
        return Vec::new();
    }
    if !q.is_empty() && s.matches.is_empty() && !s.counting() {
        app.say(format!("not found: {q}"));
    }
    app.end_prompt();
    if q.is_empty() {
        return Vec::new();
    }
    crate::store::push_search(&mut app.search_history, &q);
    vec![Effect::RememberSearch(q)]
}

/// Up (`back`) or Down in the prompt: the earlier or later search in the history that
/// starts with what was typed; Down past the newest gives back what was typed.
fn browse(app: &mut App, back: bool) {
    let Some(s) = app.search.as_mut() else { return };
    let history = &app.search_history;
    let (at, typed) = match s.browsing.take() {
        Some((at, typed)) => (Some(at), typed),
        None if back => (None, s.query().to_string()),
        None => return,
    };
    let offered = |i: &usize| history[*i].starts_with(typed.as_str());
    let next = if back {
        (0..at.unwrap_or(history.len())).rev().find(offered).or(at)
    } else {
        at.and_then(|a| (a + 1..history.len()).find(offered))
    };
    let text = match next {
        Some(i) => history[i].clone(),
        None => typed.clone(),
    };
    s.browsing = next.map(|i| (i, typed));
    if text != s.query() {
        set_query(app, &text);
    }
}

/// Put `text` in the prompt and search for it.
fn set_query(app: &mut App, text: &str) {
    let Some(s) = app.search.as_mut() else { return };
    s.edit = crate::lineedit::LineEdit::with_text(text).with_ambiguous(app.opts.ambiguous);
    search_edited(app);
}

/// Pasted text joins the search query as one line.
pub(super) fn paste_search(app: &mut App, text: &str) {
    let Some(s) = app.search.as_mut() else { return };
    // A copied line often ends in a line break; it is no part of what to find.
    s.edit.insert(text.trim_end_matches(['\n', '\r']));
    search_edited(app);
}

/// The query changed: start a new count, and show the first match after where the search
/// began as soon as it is found.
pub(super) fn search_edited(app: &mut App) {
    let Some(s) = app.search.as_mut() else { return };
    let origin = s.origin;
    s.matches.clear();
    s.current = None;
    start_scan(s, origin.body_item().unwrap_or(0));
    app.jump(origin);
    search_slice(app);
}

/// Start counting the query's matches from item `start`, or keep why it cannot be.
fn start_scan(s: &mut SearchState, start: usize) {
    (s.scan, s.error) = match search::Scan::parse(s.edit.text(), start) {
        Ok(scan) => (scan, None),
        Err(e) => (None, Some(e)),
    };
}

/// Search the next slice of the document. True when something the user sees changed (the
/// first match was found, or the count finished).
pub(super) fn search_slice(app: &mut App) -> bool {
    let editing = app.search_editing();
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
        } else if s.matches.is_empty() && !editing {
            let q = s.query().to_string();
            app.say(format!("not found: {q}"));
        }
        changed = true;
    }
    changed
}

/// The first match from index `from` on to show: before the wrap (`wrap_at`), one at or
/// after where the search began; after it, the first one from the top.
pub(super) fn first_after(
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
pub(super) fn refresh_search(app: &mut App) {
    let Some(s) = app.search.as_mut() else { return };
    let here = s.current.map(|c| match_pos(&s.matches[c]));
    if let Some(h) = here {
        s.origin = h;
    }
    s.matches.clear();
    s.current = None;
    let start = s.origin.body_item().unwrap_or(0);
    start_scan(s, start);
    search_slice(app);
}

pub(super) fn match_step(app: &mut App, next: bool) -> Result<(), String> {
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
    let n = s.matches.len();
    let target = if next { (cur + 1 < n).then_some(cur + 1) } else { cur.checked_sub(1) };
    let (t, note) = match target {
        Some(t) => (t, None),
        None if counting => {
            app.say("still searching: try again in a moment");
            return Ok(());
        }
        // Past the last match (or before the first): round to the other end, as vim does.
        None if next => (0, Some("search hit BOTTOM, continuing at TOP")),
        None => (n - 1, Some("search hit TOP, continuing at BOTTOM")),
    };
    s.current = Some(t);
    let p = match_pos(&s.matches[t]);
    app.jump_into(p);
    if let Some(note) = note {
        app.say(note);
    }
    Ok(())
}

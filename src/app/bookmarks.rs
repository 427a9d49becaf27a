//! Bookmarks in the reader: the pure half of the feature. `update` calls these to toggle,
//! annotate, list, jump between and cite bookmarks, and to restore and remember the reading
//! position; each change returns [`Effect::SaveMarks`] (when the document has a store) for
//! the event loop to carry out, and counts as unsaved (`App::unsaved`, shown in the status
//! line) until the event loop reports a save that succeeded (`Msg::Saved`). However the
//! reader ends, `Msg::Leave` keeps a note being typed. What the store held comes as
//! `Msg::Restored`, and every time stamped (created, updated, deleted, the position's) is
//! `App::now`, from `Msg::Clock`: no clock is read here. The marks themselves live in
//! [`crate::store::Marks`].
//!
//! Public surface: [`BookmarkList`] and [`NoteEditor`] (the overlays' state, with
//! [`NoteTarget`]), [`ENTRY_ROWS`], [`anchor_pos`], and the `App` methods drawing reads
//! (`is_marked`, `entry_marked`, `passage_anchor`, `top_anchor`, `list_open`,
//! `note_editing`).

use std::collections::{BTreeSet, HashSet};

use crate::keymap::{EditAction, ListAction};
use crate::lineedit::LineEdit;
use crate::store::{self, Anchor, Loaded, Toggled};

use super::{App, Effect, Input, LineKind, Overlay, Pos, Saved};

/// Rows one bookmark takes in the list: heading, first words, note.
pub const ENTRY_ROWS: usize = 3;

/// The bookmark list overlay.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BookmarkList {
    /// Selected bookmark (index into `Marks::bookmarks`).
    pub sel: usize,
    /// First bookmark shown.
    pub top: usize,
}

/// What a note being edited belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteTarget {
    /// An existing bookmark, by id.
    Bookmark(String),
    /// A passage with no bookmark yet: one is added when the note is saved, so Esc leaves
    /// nothing behind.
    New(Anchor),
}

/// The note editor overlay.
#[derive(Debug, Clone)]
pub struct NoteEditor {
    pub edit: LineEdit,
    pub target: NoteTarget,
    /// `speaker, section` of the passage, for the box title.
    pub context: String,
    /// The passage's text (the box shows its first words).
    pub passage: String,
    /// Return to the bookmark list when done.
    pub from_list: bool,
}

impl App {
    /// The anchor of the passage under the passage cursor.
    pub fn passage_anchor(&self) -> Option<Anchor> {
        self.view.passage.map(|(item, block)| Anchor::at(&self.doc, item, block))
    }

    /// The reading position to store: the anchor of the top line of the reading pane (its
    /// row start inside the paragraph), else the first paragraph on screen.
    pub fn top_anchor(&self) -> Option<Anchor> {
        let (vi, line) = self.view.lines.first()?;
        let Some(item) = vi.checked_sub(1) else {
            // The title block: stand for it by the document's first paragraph.
            let first = first_paragraph(&self.doc)?;
            return Some(Anchor::at(&self.doc, first, 0));
        };
        match &line.kind {
            LineKind::Text { block, row, .. } => {
                Some(Anchor { offset: row.start, ..Anchor::at(&self.doc, item, *block) })
            }
            LineKind::Image { block: b, .. }
            | LineKind::Rule(b)
            | LineKind::TableRow { block: b, .. }
            | LineKind::TableRule { block: b, .. } => Some(Anchor::at(&self.doc, item, *b)),
            _ => self.passage_anchor(),
        }
    }

    /// Remember the reading position in the marks (to be saved by the event loop).
    pub(super) fn remember_position(&mut self) {
        if self.opened_without_resume == Some(self.pos) {
            return;
        }
        if let Some(a) = self.top_anchor() {
            self.marks.set_position(&self.doc, a, self.now);
        }
    }

    /// Take what the store loaded: the marks, and (when `resume`) the reading position,
    /// saying where the reader resumed. Warnings are shown in the status line. From now on
    /// bookmark changes are saved.
    pub(super) fn restore(&mut self, loaded: Loaded, resume: bool) {
        self.marks = loaded.marks;
        self.keep_marks = true;
        self.marks_changed();
        self.restore_listen();
        let mut said = loaded.warnings;
        // `--at` says where to open.
        let resume = resume && self.opts.at_ms.is_none();
        let mut resumed = None;
        if resume && let Some(a) = loaded.position {
            let pos = anchor_pos(&self.doc, &a);
            if pos != Pos::TOP {
                self.jump(pos);
                resumed = Some(a);
            }
        }
        let orphans = self.marks.orphaned().count();
        if loaded.edited && orphans > 0 {
            let s = if orphans == 1 { "" } else { "s" };
            said.push(format!("{orphans} bookmark{s} not found in the edited text (see ')"));
        }
        said.extend(self.open_at());
        self.prepare();
        if let Some(a) = resumed {
            // Said once the screen is laid out: the status line's own percentage.
            said.insert(0, store::resume_text(&self.doc, &a, self.progress().percent));
        }
        if !said.is_empty() {
            self.say(said.join("; "));
        }
        self.opened_without_resume =
            (!self.opts.resume && loaded.position.is_some()).then_some(self.pos);
        self.dirty = true;
    }

    /// Recompute what the gutter and outline mark, and keep the list selection in range,
    /// after the marks changed (here or by a save merging another process's changes).
    pub(super) fn marks_changed(&mut self) {
        self.marked = self
            .marks
            .bookmarks
            .iter()
            .filter(|b| !b.orphaned)
            .map(|b| (b.anchor.item, b.anchor.block))
            .collect::<BTreeSet<_>>();
        self.marked_entries = self
            .marked
            .iter()
            .filter_map(|(item, _)| self.items.get(*item).and_then(super::ItemInfo::entry))
            .collect::<HashSet<_>>();
        let n = self.marks.bookmarks.len();
        if let Some(l) = self.list_mut() {
            l.sel = l.sel.min(n.saturating_sub(1));
        }
        self.reveal_list();
    }

    /// Paragraph `block` of body item `item` has a bookmark.
    pub fn is_marked(&self, item: usize, block: usize) -> bool {
        self.marked.contains(&(item, block))
    }

    /// Outline entry `e` stands for a passage with a bookmark.
    pub fn entry_marked(&self, e: usize) -> bool {
        self.marked_entries.contains(&e)
    }

    pub fn note_editing(&self) -> bool {
        self.note().is_some()
    }

    pub fn list_open(&self) -> bool {
        self.list().is_some()
    }

    /// Scroll the list so the selection is in view (after a move or a resize).
    pub(super) fn reveal_list(&mut self) {
        let page = self.list_page();
        if let Some(l) = self.list_mut() {
            if l.sel < l.top {
                l.top = l.sel;
            } else if l.sel >= l.top + page {
                l.top = l.sel + 1 - page;
            }
        }
    }

    /// A bookmark changed: it counts as unsaved until a save succeeds, and is saved now
    /// (when the document has a store).
    fn changed(&mut self) -> Vec<Effect> {
        if !self.keep_marks {
            return Vec::new();
        }
        self.unsaved += 1;
        vec![Effect::SaveMarks]
    }

    /// Move to a bookmarked paragraph so its first row is the passage under the cursor (a
    /// turn's first paragraph with its speaker line above).
    fn goto(&mut self, a: &Anchor) {
        let pos = if a.block == 0 { Pos::item(a.item) } else { Pos::text(a.item, a.block, 0) };
        self.jump(pos);
    }

    /// "speaker, section" of a bookmark or passage, for messages and titles.
    fn context_of(&self, a: &Anchor) -> String {
        let (speaker, section) = store::marks::context(&self.doc, a);
        [speaker, section].into_iter().flatten().collect::<Vec<_>>().join(", ")
    }
}

/// The first body item that has a paragraph.
fn first_paragraph(doc: &crate::doc::Document) -> Option<usize> {
    (0..doc.items.len()).find(|&i| !doc.item_blocks(i).is_empty())
}

/// The reading pane position that puts a stored anchor on top. The start of a turn's first
/// paragraph shows the turn from its speaker line; the document's first paragraph, from
/// the title.
pub fn anchor_pos(doc: &crate::doc::Document, a: &Anchor) -> Pos {
    if a.block == 0 && a.offset == 0 {
        if first_paragraph(doc) == Some(a.item) { Pos::TOP } else { Pos::item(a.item) }
    } else {
        Pos::text(a.item, a.block, a.offset)
    }
}

/// `m`: bookmark the passage, or remove its bookmark.
pub(super) fn toggle(app: &mut App) -> Vec<Effect> {
    let Some(at) = app.passage_anchor() else {
        app.say("no passage on screen to bookmark");
        return Vec::new();
    };
    let now = app.now;
    match app.marks.toggle(&app.doc, at, now) {
        Some(Toggled::Added(_)) => {
            let ctx = app.context_of(&at);
            let tail = if app.keep_marks { "" } else { " (this session only)" };
            if ctx.is_empty() {
                app.say(format!("bookmarked{tail} · a adds a note"));
            } else {
                app.say(format!("bookmarked {ctx}{tail} · a adds a note"));
            }
        }
        Some(Toggled::Removed(_)) => app.say("bookmark removed · ' then u brings it back"),
        None => {
            app.say("no passage on screen to bookmark");
            return Vec::new();
        }
    }
    app.marks_changed();
    app.changed()
}

/// `a`: edit the note of the passage's bookmark (a new bookmark when there is none).
pub(super) fn edit_note(app: &mut App) {
    let Some(at) = app.passage_anchor() else {
        app.say("no passage on screen to annotate");
        return;
    };
    let target = match app.marks.at(&at) {
        Some(b) => NoteTarget::Bookmark(b.id.clone()),
        None => NoteTarget::New(at),
    };
    open_editor(app, target, false);
}

fn open_editor(app: &mut App, target: NoteTarget, from_list: bool) {
    let (note, passage, context) = match &target {
        NoteTarget::Bookmark(id) => match app.marks.get(id) {
            Some(b) => {
                let context = [b.speaker.as_deref(), b.section.as_deref()];
                let context: Vec<&str> = context.into_iter().flatten().collect();
                (b.note.clone(), b.passage.clone(), context.join(", "))
            }
            None => return,
        },
        NoteTarget::New(a) => {
            // Shown as its first words on every frame: a huge paragraph is not copied whole.
            let passage =
                store::marks::cut(a.text(&app.doc).unwrap_or(""), store::marks::PASSAGE_MAX);
            (String::new(), passage, app.context_of(a))
        }
    };
    let edit = LineEdit::with_text(&note).with_ambiguous(app.opts.ambiguous);
    app.open(Overlay::NoteEditor(NoteEditor { edit, target, context, passage, from_list }));
}

/// Keys typed into the note editor.
pub(super) fn note_input(app: &mut App, i: Input) -> Vec<Effect> {
    let Some(n) = app.note_mut() else { return Vec::new() };
    if super::update::edit_line(&mut n.edit, i).is_some() {
        return Vec::new();
    }
    match i {
        Input::Key(EditAction::Submit) => return save_note(app),
        Input::Key(EditAction::Cancel) => {
            let back = app.take_note().is_some_and(|n| n.from_list);
            app.say("note not changed");
            if back {
                app.overlay = Some(Overlay::BookmarkList(BookmarkList::default()));
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Pasted (or IME-committed) text into the note editor.
pub(super) fn note_paste(app: &mut App, text: &str) {
    if let Some(n) = app.note_mut() {
        n.edit.insert(text);
    }
}

/// Enter in the note editor: store the note (adding the bookmark first if needed).
pub(super) fn save_note(app: &mut App) -> Vec<Effect> {
    let Some(n) = app.take_note() else { return Vec::new() };
    let now = app.now;
    let text = n.edit.text().trim().to_string();
    let id = match n.target {
        NoteTarget::Bookmark(id) => Some(id),
        NoteTarget::New(at) => match app.marks.toggle(&app.doc, at, now) {
            Some(Toggled::Added(id)) => Some(id),
            _ => None,
        },
    };
    let ok = id.as_deref().is_some_and(|id| app.marks.set_note(id, &text, now));
    if ok {
        app.say(if text.is_empty() { "note cleared" } else { "note saved" });
    } else {
        app.say("the bookmark is gone; note not saved");
    }
    app.marks_changed();
    if n.from_list {
        let sel = id
            .and_then(|id| app.marks.bookmarks.iter().position(|b| b.id == id))
            .unwrap_or_default();
        app.overlay = Some(Overlay::BookmarkList(BookmarkList { sel, top: 0 }));
        app.reveal_list();
    }
    if ok { app.changed() } else { Vec::new() }
}

/// `'`: open the list with the bookmark at or after the reading position selected.
pub(super) fn open_list(app: &mut App) {
    let here = app.passage_anchor().map(|a| (a.item, a.block));
    let sel = match here {
        Some(h) => app
            .marks
            .bookmarks
            .iter()
            .position(|b| !b.orphaned && (b.anchor.item, b.anchor.block) >= h)
            .unwrap_or(0),
        None => 0,
    };
    app.open(Overlay::BookmarkList(BookmarkList { sel, top: sel.saturating_sub(1) }));
    app.reveal_list();
}

/// Keys of the bookmark list: move, jump, close, delete, undo, edit the note.
pub(super) fn list_key(app: &mut App, a: ListAction) -> Vec<Effect> {
    let n = app.marks.bookmarks.len();
    let page = app.list_page();
    let Some(sel) = app.list().map(|l| l.sel) else { return Vec::new() };
    let last = n.saturating_sub(1);
    let now = app.now;
    let moved = match a {
        ListAction::Down => (sel + 1).min(last),
        ListAction::Up => sel.saturating_sub(1),
        ListAction::PageDown => (sel + page).min(last),
        ListAction::PageUp => sel.saturating_sub(page),
        ListAction::Top => 0,
        ListAction::Bottom => last,
        ListAction::Close => {
            app.overlay = None;
            return Vec::new();
        }
        ListAction::Open => {
            match app.marks.bookmarks.get(sel).map(|b| (b.anchor, b.orphaned)) {
                Some((_, true)) => {
                    app.say("that passage is not in the current text (kept with its note)")
                }
                Some((a, false)) => {
                    app.overlay = None;
                    app.goto(&a);
                    let ctx = app.context_of(&a);
                    app.say(format!("bookmark {}/{n}{}", sel + 1, prefixed(&ctx)));
                }
                None => app.overlay = None,
            }
            return Vec::new();
        }
        ListAction::Delete => {
            let Some(id) = app.marks.bookmarks.get(sel).map(|b| b.id.clone()) else {
                return Vec::new();
            };
            app.marks.delete(&id, now);
            let undo = app.opts.keys.list.hint(ListAction::Undo);
            match undo {
                Some(k) => app.say(format!("bookmark deleted · {k} brings it back")),
                None => app.say("bookmark deleted"),
            }
            app.marks_changed();
            return app.changed();
        }
        ListAction::Undo => {
            let Some(id) = app.marks.undo(now) else {
                app.say("nothing to undo");
                return Vec::new();
            };
            let at = app.marks.bookmarks.iter().position(|b| b.id == id).unwrap_or(0);
            if let Some(l) = app.list_mut() {
                l.sel = at;
            }
            app.say("bookmark restored");
            app.marks_changed();
            return app.changed();
        }
        ListAction::Edit => {
            if let Some(id) = app.marks.bookmarks.get(sel).map(|b| b.id.clone()) {
                open_editor(app, NoteTarget::Bookmark(id), true);
            }
            return Vec::new();
        }
    };
    if let Some(l) = app.list_mut() {
        l.sel = moved;
    }
    app.reveal_list();
    Vec::new()
}

fn prefixed(ctx: &str) -> String {
    if ctx.is_empty() { String::new() } else { format!(" · {ctx}") }
}

/// `>` / `<`: the next or previous bookmark after the passage, wrapping around.
pub(super) fn step(app: &mut App, next: bool) {
    let here = app.passage_anchor().unwrap_or(Anchor::at(&app.doc, 0, 0));
    let placed = app.marks.bookmarks.iter().filter(|b| !b.orphaned).count();
    let found = if next { app.marks.next_after(&here) } else { app.marks.prev_before(&here) };
    let Some(b) = found else {
        app.say(if app.marks.bookmarks.is_empty() {
            "no bookmarks: m bookmarks the passage"
        } else {
            "no bookmark in the current text"
        });
        return;
    };
    let a = b.anchor;
    let key = (a.item, a.block);
    let wrapped =
        if next { key <= (here.item, here.block) } else { key >= (here.item, here.block) };
    let index = app
        .marks
        .bookmarks
        .iter()
        .filter(|b| !b.orphaned)
        .position(|b| b.anchor.same_block(&a))
        .unwrap_or(0);
    app.goto(&a);
    let ctx = app.context_of(&a);
    let wrap = if !wrapped {
        ""
    } else if next {
        " (wrapped to the first)"
    } else {
        " (wrapped to the last)"
    };
    app.say(format!("bookmark {}/{placed}{}{wrap}", index + 1, prefixed(&ctx)));
}

/// `y`: the passage as a citation, for the event loop to put on the clipboard.
pub(super) fn copy(app: &mut App) -> Vec<Effect> {
    // Right after a jump to a quote (`]`), the quote is what is copied.
    if let Some(text) = landed_quote(app) {
        let chars = text.chars().count();
        app.say(format!("copied the quote as a citation ({chars} characters, OSC 52)"));
        return vec![Effect::Copy(text)];
    }
    let Some(at) = app.passage_anchor() else {
        app.say("no passage on screen to copy");
        return Vec::new();
    };
    let (when, url) = app.recording_time(at.item, at.block).unzip();
    let url = url.flatten();
    let heard = when.map(|at_ms| store::Heard { at_ms, url: url.as_deref() });
    let title = Some(app.title.as_str()).filter(|t| !t.is_empty());
    match store::citation_at(&app.doc, &at, title, heard) {
        Some(text) => {
            let chars = text.chars().count();
            app.say(format!("copied the passage as a citation ({chars} characters, OSC 52)"));
            vec![Effect::Copy(text)]
        }
        None => {
            app.say("no passage on screen to copy");
            Vec::new()
        }
    }
}

/// The quote the last jump landed on, as a citation (with its paragraph's time in a timed
/// transcript), while the reader has not moved since.
fn landed_quote(app: &mut App) -> Option<String> {
    let target = app.last_target?;
    let doc = &app.doc;
    let q = doc
        .quotes
        .iter()
        .position(|q| Pos::text(doc.turns[q.turn].item(), q.block, q.range.start) == target)?;
    quote_citation(app, q)
}

/// Quote `q` (an index into `Document::quotes`) as a citation: its words, speaker, section
/// and title, and its paragraph's time in a timed transcript. What `y` copies after a jump
/// to a quote, and from the quote index.
pub(super) fn quote_citation(app: &mut App, q: usize) -> Option<String> {
    let quote = app.doc.quotes.get(q)?;
    let (item, block) = (app.doc.turns.get(quote.turn)?.item(), quote.block);
    let (when, url) = app.recording_time(item, block).unzip();
    let url = url.flatten();
    let heard = when.map(|at_ms| store::Heard { at_ms, url: url.as_deref() });
    let doc = &app.doc;
    let quote = doc.quotes.get(q)?;
    let (speaker, section) = store::marks::context(doc, &Anchor::at(doc, item, block));
    let title = Some(app.title.as_str()).filter(|t| !t.is_empty());
    let words = doc.quote_text(quote);
    Some(store::citation(words, speaker.as_deref(), section.as_deref(), title, heard))
}

/// How a save went, as the event loop reports it. A failure leaves the changes counted
/// as unsaved (the status line shows them) for the next save to retry.
pub(super) fn saved(app: &mut App, saved: Result<Box<Saved>, String>) {
    match saved {
        Ok(s) => {
            let Saved { marks, warnings } = *s;
            // A save merges what another reader wrote.
            app.marks = marks;
            app.unsaved = 0;
            app.save_error = None;
            if !warnings.is_empty() {
                app.say(warnings.join("; "));
            }
            app.marks_changed();
        }
        Err(e) => {
            app.say(format!("{e}; kept in memory, will retry"));
            app.save_error = Some(e);
        }
    }
}

/// The reader is ending, whatever ended it: keep a note being typed and remember the
/// position, and ask for a save when something is not on disk yet (after a quit that
/// saved, nothing is).
pub(super) fn leaving(app: &mut App) -> Vec<Effect> {
    let at = |app: &App| app.marks.position.as_ref().map(|p| p.anchor);
    let before = at(app);
    let effects = before_leaving(app, true);
    let moved = at(app) != before;
    if app.unsaved > 0 || app.save_error.is_some() || moved { effects } else { Vec::new() }
}

/// Quit or suspend: remember where the reader is (and keep a note being typed when the
/// reader is forced to quit) so the event loop saves it.
pub(super) fn before_leaving(app: &mut App, force: bool) -> Vec<Effect> {
    if force && app.note().is_some_and(|n| !n.edit.text().trim().is_empty()) {
        save_note(app);
    }
    if !app.keep_marks {
        return Vec::new();
    }
    app.remember_position();
    vec![Effect::SaveMarks]
}

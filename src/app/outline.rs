//! The outline as data: sections as a tree with their turns under them, one entry each,
//! built once at load. A document without turns whose paragraphs have times (captions
//! or timestamped text without speakers) lists its time-based parts instead
//! ([`Document::timed_parts`]), so it too has an outline and `}` / `{` stops.
//!
//! Public surface: [`build`] (the entries and per-item facts of a document), [`Entry`],
//! [`EntryKind`], [`ItemInfo`], and [`Outline`] (the pane's state: entries, folds, visible
//! rows, selection, scroll, shown or hidden). Moving and selecting in the outline with the
//! reader's keys is `update`'s, through the functions here.

use std::collections::HashSet;

use crate::doc::{Document, Item, NONE, narrow, widen};
use crate::keymap::Action;

use super::view::Pos;
use super::{App, Focus};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Section(usize),
    Turn(usize),
    /// A time-based part: the body item (a block outside turns) it begins at.
    Part(usize),
}

/// One outline row. Twelve bytes: an archive of 200,000 turns has as many entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Index of the section, turn or body item.
    index: u32,
    /// Which of them: [`SECTION`], [`TURN`] or [`PART`].
    kind: u8,
    depth: u16,
    /// Entry of the enclosing section, `NONE` at the top.
    parent: u32,
}

const SECTION: u8 = 0;
const TURN: u8 = 1;
const PART: u8 = 2;

/// No index (indices of a document fit in 32 bits: 4 billion turns).
fn pack(i: Option<usize>) -> u32 {
    i.map_or(NONE, narrow)
}

impl Entry {
    fn new(kind: EntryKind, depth: u16, parent: Option<usize>) -> Entry {
        let (index, kind) = match kind {
            EntryKind::Section(s) => (s, SECTION),
            EntryKind::Turn(t) => (t, TURN),
            EntryKind::Part(i) => (i, PART),
        };
        Entry { index: pack(Some(index)), kind, depth, parent: pack(parent) }
    }

    pub fn kind(&self) -> EntryKind {
        let i = self.index as usize;
        match self.kind {
            SECTION => EntryKind::Section(i),
            TURN => EntryKind::Turn(i),
            _ => EntryKind::Part(i),
        }
    }

    /// Nesting depth (0 at the top).
    pub fn depth(&self) -> u16 {
        self.depth
    }

    /// The entry of the enclosing section.
    pub fn parent(&self) -> Option<usize> {
        widen(self.parent)
    }
}

/// Per body item facts gathered at load, so the status line and outline are lookups.
/// Eight bytes, one per item.
#[derive(Debug, Clone, Copy)]
pub struct ItemInfo {
    section: u32,
    entry: u32,
}

impl Default for ItemInfo {
    fn default() -> ItemInfo {
        ItemInfo { section: NONE, entry: NONE }
    }
}

impl ItemInfo {
    pub fn new(section: Option<usize>, entry: Option<usize>) -> ItemInfo {
        ItemInfo { section: pack(section), entry: pack(entry) }
    }

    /// Innermost section the item is in.
    pub fn section(&self) -> Option<usize> {
        widen(self.section)
    }

    /// Outline entry that stands for this item (its own, or the one before it).
    pub fn entry(&self) -> Option<usize> {
        widen(self.entry)
    }
}

/// Entries in document order, and for each body item its section and outline entry.
pub fn build(doc: &Document) -> (Vec<Entry>, Vec<ItemInfo>) {
    let mut entries: Vec<Entry> = Vec::with_capacity(doc.sections.len() + doc.turns.len());
    let mut items = Vec::with_capacity(doc.items.len());
    // Entry index of each section.
    let mut section_entry = vec![0usize; doc.sections.len()];
    let mut section: Option<usize> = None;
    let mut last: Option<usize> = None;
    let parts = doc.timed_parts();
    let mut parts = parts.iter().peekable();
    // Add an entry under the entry of section `within`.
    let mut push = |entries: &mut Vec<Entry>, kind, within: Option<usize>| {
        let parent = within.and_then(|s| section_entry.get(s).copied());
        let depth = parent.map(|p| entries[p].depth + 1).unwrap_or(0);
        if let EntryKind::Section(s) = kind {
            section_entry[s] = entries.len();
        }
        entries.push(Entry::new(kind, depth, parent));
        Some(entries.len() - 1)
    };
    for (i, item) in doc.items.iter().enumerate() {
        match item {
            Item::Heading(s) => {
                let s = *s as usize;
                last = push(&mut entries, EntryKind::Section(s), doc.sections[s].parent);
                section = Some(s);
            }
            Item::Turn(t) => {
                let t = *t as usize;
                last = push(&mut entries, EntryKind::Turn(t), doc.turns[t].section());
            }
            Item::Block(_) if parts.next_if(|&&p| p as usize == i).is_some() => {
                last = push(&mut entries, EntryKind::Part(i), section);
            }
            Item::Block(_) => {}
        }
        items.push(ItemInfo::new(section, last));
    }
    (entries, items)
}

/// The outline pane's state: its entries, which sections are folded, the visible rows,
/// the selection and the scroll, and whether the user showed or hid it.
#[derive(Debug, Clone, Default)]
pub struct Outline {
    /// Every entry, in document order.
    pub entries: Vec<Entry>,
    /// Body items beginning the time-based parts of a document without turns (the
    /// [`EntryKind::Part`] entries): where `}` / `{` go there.
    pub parts: Vec<u32>,
    /// Section entries the user folded.
    pub collapsed: HashSet<usize>,
    /// Visible rows (indices into `entries`, 32-bit: one per turn).
    pub rows: Vec<u32>,
    /// Selected row (index into `rows`).
    pub sel: usize,
    /// First row shown.
    pub top: usize,
    /// The user's choice to show or hide it; `None` follows the screen width.
    pub shown: Option<bool>,
    /// The reading position moved: select the passage's row once the screen is laid out
    /// (the passage is known only then).
    pub follow: bool,
}

impl Outline {
    /// The outline of a document's entries, nothing folded, nothing chosen yet.
    pub fn new(entries: Vec<Entry>) -> Outline {
        let mut o = Outline::default();
        o.replace(entries);
        o
    }

    /// New entries (the whole of a big document, after its first part): folds are
    /// forgotten; the selection, scroll and the user's choice stay.
    pub fn replace(&mut self, entries: Vec<Entry>) {
        let part = |e: &Entry| match e.kind() {
            EntryKind::Part(i) => Some(narrow(i)),
            _ => None,
        };
        self.parts = entries.iter().filter_map(part).collect();
        self.entries = entries;
        self.collapsed.clear();
        self.rebuild_rows();
    }

    /// The visible row of an entry.
    pub fn row_of(&self, entry: usize) -> Option<usize> {
        self.rows.binary_search(&narrow(entry)).ok()
    }

    /// Recompute the visible rows after a fold changed.
    pub fn rebuild_rows(&mut self) {
        let (collapsed, entries) = (&self.collapsed, &self.entries);
        self.rows = (0..entries.len())
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
}

impl App {
    /// Let the outline follow the reading position: its row is selected when the screen
    /// is next laid out ([`App::prepare`]), where the passage under the cursor is known.
    pub(super) fn follow_outline(&mut self) {
        self.outline.follow = true;
    }

    /// Select the outline row of the current entry (or its nearest visible ancestor, when
    /// a fold hides it), scrolled into view: the `›` always stands on a row that is shown.
    pub(super) fn sync_outline(&mut self) {
        let Some(mut e) = self.current_entry() else {
            self.outline.sel = 0;
            self.reveal_outline();
            return;
        };
        loop {
            if let Some(row) = self.outline.row_of(e) {
                self.outline.sel = row;
                break;
            }
            match self.outline.entries.get(e).and_then(Entry::parent) {
                Some(p) => e = p,
                None => break,
            }
        }
        self.reveal_outline();
    }

    /// Scroll the outline so the selected row is in view.
    pub(super) fn reveal_outline(&mut self) {
        let h = self.outline_height().max(1);
        if self.outline.sel < self.outline.top {
            self.outline.top = self.outline.sel;
        } else if self.outline.sel >= self.outline.top + h {
            self.outline.top = self.outline.sel + 1 - h;
        }
    }
}

/// Actions that mean something else while the outline has focus. True when handled.
pub(super) fn outline_act(app: &mut App, a: Action) -> bool {
    let h = app.outline_height().max(1);
    let last = app.outline.rows.len().saturating_sub(1);
    let sel = app.outline.sel;
    app.outline.sel = match a {
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
pub(super) fn select_row(app: &mut App, row: usize) {
    let Some(e) = app.outline.rows.get(row).map(|&e| e as usize) else { return };
    let Some(entry) = app.outline.entries.get(e).cloned() else { return };
    match entry.kind() {
        EntryKind::Section(s) => {
            let item = app.doc.sections[s].item;
            if app.current_item() == Some(item) {
                if !app.outline.collapsed.remove(&e) {
                    app.outline.collapsed.insert(e);
                }
                app.outline.rebuild_rows();
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
    app.outline.sel = row;
    if app.panes().overlay {
        app.outline.shown = Some(false);
        app.focus = Focus::Reader;
    }
}

#[cfg(test)]
mod tests {
    use super::{Entry, ItemInfo};

    #[test]
    fn entries_and_item_facts_stay_small() {
        // One entry per turn, one fact per body item: an archive holds hundreds of thousands.
        assert_eq!(std::mem::size_of::<Entry>(), 12);
        assert_eq!(std::mem::size_of::<ItemInfo>(), 8);
    }
}

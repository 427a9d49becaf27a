//! The outline as data: sections as a tree with their turns under them, one entry each,
//! built once at load.

use crate::doc::{Document, Item, NONE, narrow, widen};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Section(usize),
    Turn(usize),
}

/// One outline row. Twelve bytes: an archive of 200,000 turns has as many entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Index of the section or turn.
    index: u32,
    section: bool,
    depth: u16,
    /// Entry of the enclosing section, `NONE` at the top.
    parent: u32,
}

/// No index (indices of a document fit in 32 bits: 4 billion turns).
fn pack(i: Option<usize>) -> u32 {
    i.map_or(NONE, narrow)
}

impl Entry {
    fn new(kind: EntryKind, depth: u16, parent: Option<usize>) -> Entry {
        let (index, section) = match kind {
            EntryKind::Section(s) => (s, true),
            EntryKind::Turn(t) => (t, false),
        };
        Entry { index: pack(Some(index)), section, depth, parent: pack(parent) }
    }

    pub fn kind(&self) -> EntryKind {
        let i = self.index as usize;
        if self.section { EntryKind::Section(i) } else { EntryKind::Turn(i) }
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
    for item in &doc.items {
        match item {
            Item::Heading(s) => {
                let sec = &doc.sections[*s as usize];
                let parent = sec.parent.and_then(|p| section_entry.get(p).copied());
                let depth = parent.map(|p| entries[p].depth + 1).unwrap_or(0);
                section_entry[*s as usize] = entries.len();
                last = Some(entries.len());
                entries.push(Entry::new(EntryKind::Section(*s as usize), depth, parent));
                section = Some(*s as usize);
            }
            Item::Turn(t) => {
                let parent =
                    doc.turns[*t as usize].section().and_then(|s| section_entry.get(s).copied());
                let depth = parent.map(|p| entries[p].depth + 1).unwrap_or(0);
                last = Some(entries.len());
                entries.push(Entry::new(EntryKind::Turn(*t as usize), depth, parent));
            }
            Item::Block(_) => {}
        }
        items.push(ItemInfo::new(section, last));
    }
    (entries, items)
}

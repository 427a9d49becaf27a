//! The outline as data: sections as a tree with their turns under them, one entry each,
//! built once at load.

use crate::doc::{Document, Item};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Section(usize),
    Turn(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub kind: EntryKind,
    /// Nesting depth (0 at the top).
    pub depth: u16,
    /// The entry of the enclosing section.
    pub parent: Option<usize>,
}

/// Entries in document order, and for each body item its section and outline entry.
pub fn build(doc: &Document) -> (Vec<Entry>, Vec<super::ItemInfo>) {
    let mut entries: Vec<Entry> = Vec::new();
    let mut items = Vec::with_capacity(doc.items.len());
    // Entry index of each section.
    let mut section_entry = vec![0usize; doc.sections.len()];
    let mut section: Option<usize> = None;
    let mut last: Option<usize> = None;
    for item in &doc.items {
        match item {
            Item::Heading(s) => {
                let sec = &doc.sections[*s];
                let parent = sec.parent.and_then(|p| section_entry.get(p).copied());
                let depth = parent.map(|p| entries[p].depth + 1).unwrap_or(0);
                section_entry[*s] = entries.len();
                last = Some(entries.len());
                entries.push(Entry { kind: EntryKind::Section(*s), depth, parent });
                section = Some(*s);
            }
            Item::Turn(t) => {
                let parent = doc.turns[*t].section.and_then(|s| section_entry.get(s).copied());
                let depth = parent.map(|p| entries[p].depth + 1).unwrap_or(0);
                last = Some(entries.len());
                entries.push(Entry { kind: EntryKind::Turn(*t), depth, parent });
            }
            Item::Block(_) => {}
        }
        items.push(super::ItemInfo { section, entry: last });
    }
    (entries, items)
}

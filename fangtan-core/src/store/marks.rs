//! The in-memory bookmarks of one document and the operations the reader performs on them.
//!
//! Pure: every function takes the time (`now`, ms) as an argument and touches no file.

use std::sync::atomic::{AtomicU64, Ordering};

use super::anchor::{Anchor, Fingerprint, Paragraphs, Placement, fingerprint};
use super::{DocId, FORMAT_VERSION};
use crate::doc::{Document, Item};

/// Most bytes of a paragraph a bookmark keeps as its passage.
pub const PASSAGE_MAX: usize = 16 * 1024;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Bookmark {
    /// Unique across processes: creation time, process id and a counter.
    pub id: String,
    pub anchor: Anchor,
    pub fingerprint: Fingerprint,
    /// The paragraph text when it was marked (or last re-anchored): what an orphaned
    /// bookmark still shows and exports.
    pub passage: String,
    #[serde(default)]
    pub speaker: Option<String>,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub note: String,
    pub created: i64,
    pub updated: i64,
    #[serde(default)]
    pub orphaned: bool,
}

/// A deletion remembered so that a merge does not resurrect the bookmark.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tombstone {
    pub id: String,
    pub deleted: i64,
}

/// The reading position: the anchor at the top of the reading pane.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Position {
    pub anchor: Anchor,
    pub fingerprint: Fingerprint,
    pub saved: i64,
}

/// What the reader remembers for listening to a document: the recording chosen for it
/// (`--media`) and the offset between the transcript and that recording.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Listen {
    /// The recording given with `--media` for this document: a path or a URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media: Option<String>,
    /// Milliseconds the recording runs later than the transcript's times (negative:
    /// earlier); ads inserted into an episode make it drift.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub offset_ms: i64,
    /// When it was last changed (ms): of two copies, the later wins a merge.
    pub saved: i64,
}

fn is_zero(x: &i64) -> bool {
    *x == 0
}

/// What [`Marks::toggle`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Toggled {
    /// A bookmark was added; its id.
    Added(String),
    /// The bookmark on that paragraph was removed (undo brings it back).
    Removed(Box<Bookmark>),
}

/// All that is stored for one document; also the on-disk shape (see the module docs of
/// `store` for the format).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Marks {
    pub version: u32,
    pub doc: DocId,
    #[serde(default)]
    pub position: Option<Position>,
    /// In reading order.
    #[serde(default)]
    pub bookmarks: Vec<Bookmark>,
    #[serde(default)]
    pub tombstones: Vec<Tombstone>,
    /// The recording and offset for listening, once either was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listen: Option<Listen>,
    /// Fields this build does not know (a newer fangtan's), kept as they were and written
    /// back, so a save by this build loses nothing another wrote.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
    /// Deleted bookmarks, most recent last, for undo. Session only.
    #[serde(skip)]
    undo: Vec<Bookmark>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Unique without coordination: the caller's time, the process id, a random number drawn
/// once per process (process ids are reused) and a per-process counter. No clock is read
/// here: the time is the caller's.
fn new_id(now: i64) -> String {
    use std::hash::{BuildHasher, Hasher};
    static NONCE: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    // std seeds its hasher keys from the system's randomness.
    let nonce = *NONCE.get_or_init(|| std::hash::RandomState::new().build_hasher().finish() as u32);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{now:x}-{:x}-{nonce:x}-{n:x}", std::process::id())
}

/// At most `max` bytes of `s`, cut at a character boundary.
pub fn cut(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_string()
}

/// Speaker and section of the paragraph at `a`, for citations and export.
pub fn context(doc: &Document, a: &Anchor) -> (Option<String>, Option<String>) {
    match doc.items.get(a.item) {
        Some(Item::Turn(t)) => {
            let turn = &doc.turns[*t as usize];
            let speaker =
                Some(doc.speaker_name(turn.speaker()).to_string()).filter(|s| !s.is_empty());
            (speaker, doc.section_title(turn.section()).map(str::to_string))
        }
        Some(_) => {
            // A block outside turns belongs to the nearest heading above it.
            let section = doc.items[..a.item].iter().rev().find_map(|i| match i {
                Item::Heading(s) => doc.section_title(Some(*s as usize)).map(str::to_string),
                _ => None,
            });
            (None, section)
        }
        None => (None, None),
    }
}

impl Marks {
    /// An empty store for a document.
    pub fn new(doc: DocId) -> Marks {
        Marks {
            version: FORMAT_VERSION,
            doc,
            position: None,
            bookmarks: Vec::new(),
            tombstones: Vec::new(),
            listen: None,
            other: serde_json::Map::new(),
            undo: Vec::new(),
        }
    }

    /// The bookmark on the paragraph of `at`, if any.
    pub fn at(&self, at: &Anchor) -> Option<&Bookmark> {
        self.bookmarks.iter().find(|b| !b.orphaned && b.anchor.same_block(at))
    }

    pub fn get(&self, id: &str) -> Option<&Bookmark> {
        self.bookmarks.iter().find(|b| b.id == id)
    }

    /// Bookmarks that could not be placed in the current text.
    pub fn orphaned(&self) -> impl Iterator<Item = &Bookmark> {
        self.bookmarks.iter().filter(|b| b.orphaned)
    }

    /// Add a bookmark on the paragraph of `at`, or remove the one already there.
    /// `None` when `at` points at no paragraph.
    pub fn toggle(&mut self, doc: &Document, at: Anchor, now: i64) -> Option<Toggled> {
        if let Some(id) = self.at(&at).map(|b| b.id.clone()) {
            return self.delete(&id, now).map(|b| Toggled::Removed(Box::new(b)));
        }
        let text = at.text(doc)?;
        let (speaker, section) = context(doc, &at);
        let id = new_id(now);
        self.bookmarks.push(Bookmark {
            id: id.clone(),
            anchor: at,
            fingerprint: fingerprint(text),
            passage: cut(text, PASSAGE_MAX),
            speaker,
            section,
            note: String::new(),
            created: now,
            updated: now,
            orphaned: false,
        });
        self.sort();
        Some(Toggled::Added(id))
    }

    /// Set a bookmark's note. False when there is no such bookmark.
    pub fn set_note(&mut self, id: &str, note: &str, now: i64) -> bool {
        match self.bookmarks.iter_mut().find(|b| b.id == id) {
            Some(b) => {
                b.note = note.to_string();
                b.updated = b.updated.max(now);
                true
            }
            None => false,
        }
    }

    /// Delete a bookmark, leaving a tombstone; it can be brought back with [`Marks::undo`].
    pub fn delete(&mut self, id: &str, now: i64) -> Option<Bookmark> {
        let ix = self.bookmarks.iter().position(|b| b.id == id)?;
        let b = self.bookmarks.remove(ix);
        // The tombstone must be later than the bookmark's last change or a merge would
        // keep the bookmark alive.
        let deleted = now.max(b.updated + 1);
        self.tombstones.retain(|t| t.id != id);
        self.tombstones.push(Tombstone { id: id.to_string(), deleted });
        self.undo.push(b.clone());
        Some(b)
    }

    /// Bring back the most recently deleted bookmark. Returns its id.
    pub fn undo(&mut self, now: i64) -> Option<String> {
        let mut b = self.undo.pop()?;
        let deleted = self.tombstones.iter().find(|t| t.id == b.id).map_or(0, |t| t.deleted);
        b.updated = now.max(deleted + 1);
        self.tombstones.retain(|t| t.id != b.id);
        let id = b.id.clone();
        self.bookmarks.push(b);
        self.sort();
        Some(id)
    }

    /// Whether [`Marks::undo`] has something to bring back.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// The first placed bookmark after `pos` (a later paragraph), wrapping to the first.
    pub fn next_after(&self, pos: &Anchor) -> Option<&Bookmark> {
        let mut placed = self.bookmarks.iter().filter(|b| !b.orphaned);
        let first = placed.clone().next();
        placed.find(|b| (b.anchor.item, b.anchor.block) > (pos.item, pos.block)).or(first)
    }

    /// The last placed bookmark before `pos` (an earlier paragraph), wrapping to the last.
    pub fn prev_before(&self, pos: &Anchor) -> Option<&Bookmark> {
        let mut placed = self.bookmarks.iter().filter(|b| !b.orphaned).rev();
        let last = placed.clone().next();
        placed.find(|b| (b.anchor.item, b.anchor.block) < (pos.item, pos.block)).or(last)
    }

    /// Remember `at` as the reading position.
    pub fn set_position(&mut self, doc: &Document, at: Anchor, now: i64) {
        let Some(text) = at.text(doc) else { return };
        self.position = Some(Position { anchor: at, fingerprint: fingerprint(text), saved: now });
    }

    /// Re-anchor everything against `doc` (whose identity is `id`) after the text changed.
    /// Bookmarks that cannot be placed are kept, marked orphaned, with their passage.
    /// Returns the restored position, if it could be placed. `same_text`: the file is the
    /// one the anchors were saved against, read by a build that parses it otherwise
    /// ([`Paragraphs::same_text`]).
    pub fn reanchor(&mut self, doc: &Document, id: &DocId, same_text: bool) -> Option<Anchor> {
        let paragraphs = Paragraphs::new(doc).same_text(same_text);
        for b in &mut self.bookmarks {
            match paragraphs.place(doc, &b.anchor, &b.fingerprint) {
                Placement::Exact(a) | Placement::Fuzzy(a) => {
                    b.anchor = a;
                    b.orphaned = false;
                    if let Some(text) = a.text(doc) {
                        b.fingerprint = fingerprint(text);
                        b.passage = cut(text, PASSAGE_MAX);
                    }
                    let (speaker, section) = context(doc, &a);
                    b.speaker = speaker.or(b.speaker.take());
                    b.section = section.or(b.section.take());
                }
                Placement::Orphaned => b.orphaned = true,
            }
        }
        self.sort();
        self.doc = id.clone();
        let pos = self.position.as_ref()?;
        match paragraphs.place(doc, &pos.anchor, &pos.fingerprint).anchor() {
            Some(a) => {
                let saved = pos.saved;
                self.set_position(doc, a, saved);
                Some(a)
            }
            None => None,
        }
    }

    /// The restored reading position, checked against `doc` (no re-anchoring).
    pub fn position_in(&self, doc: &Document) -> Option<Anchor> {
        let p = self.position.as_ref()?;
        p.anchor.text(doc).map(|_| p.anchor)
    }

    /// Merge another copy of the same document's store (another process's) into this one:
    /// bookmarks are united by id, the later change wins, tombstones are united and hide
    /// any bookmark not changed after the deletion, and the later position wins.
    /// `theirs` must already be anchored to the same text as `self`.
    pub fn merge(&mut self, theirs: &Marks) {
        for t in &theirs.tombstones {
            match self.tombstones.iter_mut().find(|m| m.id == t.id) {
                Some(m) => m.deleted = m.deleted.max(t.deleted),
                None => self.tombstones.push(t.clone()),
            }
        }
        for b in &theirs.bookmarks {
            match self.bookmarks.iter_mut().find(|m| m.id == b.id) {
                Some(m) => {
                    if b.updated > m.updated {
                        *m = b.clone();
                    }
                }
                None => self.bookmarks.push(b.clone()),
            }
        }
        let tombs = &self.tombstones;
        self.bookmarks.retain(|b| !tombs.iter().any(|t| t.id == b.id && t.deleted >= b.updated));
        let live = &self.bookmarks;
        self.tombstones.retain(|t| !live.iter().any(|b| b.id == t.id));
        if let Some(p) = &theirs.position
            && self.position.as_ref().is_none_or(|m| p.saved > m.saved)
        {
            self.position = Some(p.clone());
        }
        if let Some(l) = &theirs.listen
            && self.listen.as_ref().is_none_or(|m| l.saved > m.saved)
        {
            self.listen = Some(l.clone());
        }
        for (k, v) in &theirs.other {
            self.other.entry(k.clone()).or_insert_with(|| v.clone());
        }
        self.sort();
    }

    fn sort(&mut self) {
        // Orphans last, placed ones in reading order; ties by creation for stability.
        self.bookmarks.sort_by(|a, b| {
            (a.orphaned, a.anchor.key(), a.created, &a.id).cmp(&(
                b.orphaned,
                b.anchor.key(),
                b.created,
                &b.id,
            ))
        });
    }
}

//! Beside the pipeline, pure: bookmarks and the reading position of one document, as data.
//! The disk half (locking, atomic replace, corrupt files set aside) lives in the binary
//! crate's `store::disk`; this half reads no clock and touches no file except to
//! canonicalize a path for a [`DocId`].
//!
//! The reader (`app`) keeps a [`Marks`] in memory and changes it with the pure operations in
//! [`marks`] (toggle, note, delete, undo, next/previous). Its `update` returns effects; the
//! event loop carries them out by calling the binary crate's `Store::save`. All file I/O lives in the binary crate's `store::disk`.
//!
//! # Identity
//!
//! A document is identified across edits by its canonical path (and file name): the store
//! file is named `<16 hex digits of FNV-1a-64 of the canonical path>.json`. The hash of the
//! decoded text is kept inside the file; when it differs from the text just read, the file
//! was edited and every bookmark (and the reading position) is re-anchored ([`anchor`]).
//! Renaming or moving a file therefore starts a fresh store; editing it does not.
//!
//! # Storage
//!
//! Directory: `$FANGTAN_DATA_DIR`, else `$XDG_DATA_HOME/fangtan/`, else
//! `~/.local/share/fangtan/`. One file per document, plus a `.lock` file beside it that
//! writers lock (advisory, exclusive) while they re-read, merge and replace the store.
//!
//! # File format (version 1), JSON
//!
//! ```json
//! {
//!   "version": 1,
//!   "doc": { "path": "/abs/canonical/path.md", "file_name": "path.md",
//!            "text_hash": "xxh3:9f1c0a3b5d7e2468" },
//!   "position": { "anchor": {...}, "fingerprint": {...}, "saved": 1764370000000 },
//!   "bookmarks": [ {
//!       "id": "19ad0f3c2e1-3039-1a2b3c-0",
//!       "anchor": { "item": 12, "block": 0, "offset": 0, "turn": 5 },
//!       "fingerprint": { "head": "first 48 chars", "tail": "last 48 chars",
//!                        "hash": "16 hex digits", "chars": 211 },
//!       "passage": "the paragraph text when it was marked (at most 16 KiB)",
//!       "speaker": "李明", "section": "第二部分",
//!       "note": "", "created": 1764370000000, "updated": 1764370000000,
//!       "orphaned": false } ],
//!   "tombstones": [ { "id": "19ad0f3c2e1-3039-4d5e6f-1", "deleted": 1764370000000 } ],
//!   "listen": { "media": "/abs/episode.mp3", "offset_ms": 1500, "saved": 1764370000000 }
//! }
//! ```
//!
//! * Times are milliseconds since the Unix epoch (UTC).
//! * `anchor.item` indexes `Document::items`; `anchor.block` indexes that item's blocks
//!   (`Document::item_blocks`); `anchor.offset` is a byte offset into the block text;
//!   `anchor.turn` is the turn index when the item is a turn.
//! * `fingerprint.hash` is FNV-1a-64 of the block text (hex); `head`/`tail` are its first and
//!   last 48 characters, `chars` its length in characters.
//! * `orphaned` is true when the passage could not be found in the current text; the
//!   bookmark is kept, with its saved `passage`, and never dropped.
//! * A deleted bookmark leaves a tombstone so a merge with another process's copy does not
//!   bring it back. A bookmark whose `updated` is later than its tombstone's `deleted`
//!   (undo) is alive.
//! * `listen` (optional; `media` and `offset_ms` each left out when unset) is what the reader
//!   remembers for listening: the recording given with `--media` and the offset between
//!   the transcript's times and it, in ms. The later `saved` wins a merge. A build older
//!   than listening reads such a file (no field is refused) but does not write `listen`
//!   back; bookmarks, notes and the position are never at stake.
//! * Fields this build does not know are kept as they are and written back, so a store
//!   written by a newer build of the same version loses nothing through this one.
//! * A file that does not parse is renamed to `NAME.corrupt-<ms>` and never overwritten.
//! * A file with a higher `version` than this build knows is neither read nor written
//!   (the binary crate's `StoreError::Newer`).

use std::path::PathBuf;

use crate::hash::{hash_hex, text_hash};

pub mod anchor;
pub mod export;
pub mod marks;

pub use anchor::{Anchor, Fingerprint, Placement, fingerprint};
pub use export::{
    Heard, bookmark_times, citation, citation_at, export_json, export_markdown, format_time,
    resume_text, summaries_text,
};
pub use marks::{Bookmark, Listen, Marks, Position, Toggled, Tombstone};

/// Version of the store file format written by this build.
pub const FORMAT_VERSION: u32 = 1;

/// Who a store file belongs to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocId {
    /// Canonical absolute path (lossy UTF-8).
    pub path: String,
    pub file_name: String,
    /// Hash of the decoded text: [`text_hash`] (`xxh3:` and 16 hex digits); stores written
    /// before version 0.2 hold FNV-1a-64 in hex, still recognised by [`same_text`](crate::hash::same_text).
    pub text_hash: String,
}

impl DocId {
    /// Identity of a document read from `path` with decoded text `text`. The path is
    /// canonicalized when possible (a file that vanished keeps the path as given).
    /// Standard input has no identity across runs: callers keep no store for it.
    pub fn new(path: &std::path::Path, text: &str) -> DocId {
        Self::with_hash(path, text_hash(text))
    }

    /// Identity of a document read from `path`, its text hashed by [`text_hash`].
    pub fn for_doc(path: &std::path::Path, doc: &crate::doc::Document) -> DocId {
        Self::with_hash(path, doc.text_hash())
    }

    fn with_hash(path: &std::path::Path, text_hash: String) -> DocId {
        let canonical: PathBuf = std::fs::canonicalize(path)
            .unwrap_or_else(|_| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()));
        let file_name =
            canonical.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        DocId { path: canonical.to_string_lossy().into_owned(), file_name, text_hash }
    }

    /// Name of the store file of the document at `path`, whatever its text (the name
    /// depends on the path only): whether one exists can be asked without reading it.
    pub fn store_name_for(path: &std::path::Path) -> String {
        Self::with_hash(path, String::new()).store_name()
    }

    /// Name of the store file for this document (without directory).
    pub fn store_name(&self) -> String {
        format!("{}.json", hash_hex(self.path.as_bytes()))
    }
}

/// One document in the binary crate's `store::list_all` (`fangtan bookmarks --all`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocSummary {
    pub path: String,
    pub file_name: String,
    pub bookmarks: usize,
    pub orphaned: usize,
    /// When the reading position was last saved (ms).
    pub last_read: Option<i64>,
    /// Latest bookmark change (ms).
    pub updated: Option<i64>,
}

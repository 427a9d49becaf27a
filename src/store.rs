//! Beside the pipeline: bookmarks and the reading position, kept per document on disk.
//!
//! The reader (`app`) keeps a [`Marks`] in memory and changes it with the pure operations in
//! [`marks`] (toggle, note, delete, undo, next/previous). Its `update` returns effects; the
//! event loop carries them out by calling [`Store::save`]. All file I/O lives in [`disk`].
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
//!   "tombstones": [ { "id": "19ad0f3c2e1-3039-4d5e6f-1", "deleted": 1764370000000 } ]
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
//! * A file that does not parse is renamed to `NAME.corrupt-<ms>` and never overwritten.
//! * A file with a higher `version` than this build knows is neither read nor written
//!   ([`StoreError::Newer`]).

use std::path::PathBuf;

pub mod anchor;
pub mod disk;
pub mod export;
pub mod marks;

pub use anchor::{Anchor, Fingerprint, Placement, fingerprint};
pub use disk::{DocSummary, Loaded, Store, data_dir, list_all, recovery_dirs, write_recovery};
pub use export::{
    citation, citation_at, export_json, export_markdown, format_time, osc52, resume_text,
    summaries_text,
};
pub use marks::{Bookmark, Marks, Position, Toggled, Tombstone};

/// Version of the store file format written by this build.
pub const FORMAT_VERSION: u32 = 1;

/// Who a store file belongs to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocId {
    /// Canonical absolute path (lossy UTF-8).
    pub path: String,
    pub file_name: String,
    /// Hash of the decoded text: [`text_hash`] (`xxh3:` and 16 hex digits); stores written
    /// before version 0.2 hold FNV-1a-64 in hex, still recognised by [`same_text`].
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

    /// Name of the store file for this document (without directory).
    pub fn store_name(&self) -> String {
        format!("{}.json", hash_hex(self.path.as_bytes()))
    }
}

/// Errors at the store's boundary. Each says what the user should know in one line.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot save bookmarks in {}: {source}", path.display())]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot read bookmarks from {}: {source}", path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("bookmarks in {} were written by a newer fangtan (format {version}); left alone", path.display())]
    Newer { path: PathBuf, version: u32 },
    #[error("no data directory: set FANGTAN_DATA_DIR or HOME")]
    NoDataDir,
    /// The data directory, or a directory it would be made in, is a file (the system
    /// says only "File exists" or "Not a directory").
    #[error("{}", not_a_folder(*writing, file, dir))]
    NotAFolder { writing: bool, file: PathBuf, dir: PathBuf },
}

fn not_a_folder(writing: bool, file: &std::path::Path, dir: &std::path::Path) -> String {
    let verb = if writing { "save" } else { "read" };
    let fix = "move that file away or set FANGTAN_DATA_DIR to a folder";
    if file == dir {
        format!("cannot {verb} bookmarks: {} is a file, not a folder; {fix}", dir.display())
    } else {
        format!(
            "cannot {verb} bookmarks in {}: {} is a file, not a folder; {fix}",
            dir.display(),
            file.display()
        )
    }
}

/// FNV-1a, 64 bit: stable across builds and platforms (std's hasher is not), which is what
/// a name on disk needs. Not for security.
pub fn hash64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The hash that tells whether a document changed: XXH3-64, stable across builds and
/// platforms, and fast enough (gigabytes per second) to hash an 80 MB archive at load.
pub fn text_hash(text: &str) -> String {
    hash_text_digest(xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// How a text hash is written: `xxh3:` and 16 hex digits.
pub fn hash_text_digest(digest: u64) -> String {
    format!("xxh3:{digest:016x}")
}

/// Whether a stored text hash is that of `text`; `current` is `text_hash(text)`. Older
/// stores hold FNV-1a, computed only for them; `None` when that cannot be told (a big
/// file is not held as source text, only its XXH3 hash is).
pub fn same_text(stored: &str, current: &str, text: &str) -> Option<bool> {
    if stored.starts_with("xxh3:") {
        Some(stored == current)
    } else if text.is_empty() && current != text_hash("") {
        None
    } else {
        Some(stored == hash_hex(text.as_bytes()))
    }
}

pub fn hash_hex(bytes: &[u8]) -> String {
    format!("{:016x}", hash64(bytes))
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

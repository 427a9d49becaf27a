//! The edge beside the pipeline: bookmarks and the reading position on disk ([`disk`]:
//! locking, atomic replace, corrupt files set aside, recovery files), the clock, and the
//! clipboard sequence. The data itself and its pure operations (anchoring, marks, export)
//! are `fangtan_core::store`, re-exported here with the hashes, so `store::Marks` and
//! `store::text_hash` name the same things as before the split. The file format is
//! documented there.

use std::path::PathBuf;

use base64::Engine as _;

pub mod disk;

pub use disk::{
    Loaded, SEARCH_HISTORY_LEN, Store, data_dir, list_all, load_search_history, push_search,
    recovery_dirs, remember_search, write_recovery,
};
pub use fangtan_core::hash::*;
pub use fangtan_core::store::*;

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

/// The OSC 52 sequence that puts `text` on the system clipboard. The text is base64
/// encoded, so none of its bytes reach the terminal as a control sequence.
pub fn osc52(text: &str) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("\x1b]52;c;{b64}\x07")
}

/// Milliseconds since the Unix epoch, now.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

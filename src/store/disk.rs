//! All file I/O of the store: where files live, atomic replacement, locking and merging
//! with other processes, moving unreadable files aside, and the recovery file for
//! bookmarks the store could not take. A file where the data directory should be is
//! reported as such ([`StoreError::NotAFolder`]).

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::anchor::Anchor;
use super::marks::Marks;
use super::{DocId, DocSummary, FORMAT_VERSION, StoreError, now_ms};
use crate::doc::Document;

/// The data directory: `$FANGTAN_DATA_DIR`, else `$XDG_DATA_HOME/fangtan`, else
/// `~/.local/share/fangtan`.
pub fn data_dir() -> Result<PathBuf, StoreError> {
    if let Some(d) = std::env::var_os("FANGTAN_DATA_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_DATA_HOME").map(PathBuf::from)
        && d.is_absolute()
    {
        return Ok(d.join("fangtan"));
    }
    dirs::home_dir()
        .map(|h| h.join(".local").join("share").join("fangtan"))
        .ok_or(StoreError::NoDataDir)
}

/// What [`Store::load`] found.
#[derive(Debug)]
pub struct Loaded {
    pub marks: Marks,
    /// The saved reading position, placed in the current text.
    pub position: Option<Anchor>,
    /// The text changed since the store was written (bookmarks were re-anchored).
    pub edited: bool,
    /// Things the user must be told (a corrupt store moved aside, ...).
    pub warnings: Vec<String>,
}

/// The store files of one data directory.
#[derive(Debug, Clone)]
pub struct Store {
    dir: PathBuf,
}

enum Parsed {
    Missing,
    Found(Box<Marks>),
    Bad,
}

enum OnDisk {
    Missing,
    Found(Box<Marks>),
    /// Did not parse; moved aside to the path given.
    Corrupt(PathBuf),
}

static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl Store {
    pub fn new(dir: impl Into<PathBuf>) -> Store {
        Store { dir: dir.into() }
    }

    /// The store in [`data_dir`].
    pub fn open_default() -> Result<Store, StoreError> {
        data_dir().map(Store::new)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Path of the store file of a document.
    pub fn path_for(&self, id: &DocId) -> PathBuf {
        self.dir.join(id.store_name())
    }

    /// Load a document's bookmarks and reading position, re-anchored against `doc`.
    /// A missing store is an empty one; an unparsable one is moved aside (a warning says
    /// where) and an empty one returned. On `Err` (the file cannot be read) the reader
    /// should go on with `Marks::new(id.clone())` and show the error: a later
    /// [`Store::save`] re-reads and merges, so nothing on disk is lost.
    pub fn load(&self, id: &DocId, doc: &Document) -> Result<Loaded, StoreError> {
        self.load_here(id, doc).map_err(|e| self.explain(e))
    }

    fn load_here(&self, id: &DocId, doc: &Document) -> Result<Loaded, StoreError> {
        let path = self.path_for(id);
        let mut warnings = Vec::new();
        // Reading needs no lock (files are replaced whole), but moving a bad one aside
        // does: a writer may be replacing it at that moment.
        let on_disk = match parse_file(&path)? {
            Parsed::Missing => OnDisk::Missing,
            Parsed::Found(m) => OnDisk::Found(m),
            Parsed::Bad => {
                let _lock = lock(&path)?;
                read_locked(&path)?
            }
        };
        let mut marks = match on_disk {
            OnDisk::Missing => return Ok(Loaded::empty(id)),
            OnDisk::Found(m) => *m,
            OnDisk::Corrupt(aside) => {
                warnings.push(corrupt_warning(&aside));
                return Ok(Loaded { warnings, ..Loaded::empty(id) });
            }
        };
        let same = fangtan_core::hash::same_text(&marks.doc.text_hash, &id.text_hash, &doc.text);
        // Same text (or not known: an old store of a big file): the anchors hold, unless
        // this build parses the file into other paragraphs than the one that saved them
        // did. An index then points at another paragraph (or none), and its fingerprint
        // tells.
        let stale = same != Some(false)
            && (marks
                .bookmarks
                .iter()
                .any(|b| !b.orphaned && !b.fingerprint.holds(doc, &b.anchor))
                || marks.position.as_ref().is_some_and(|p| !p.fingerprint.holds(doc, &p.anchor)));
        // Not known: a paragraph that moved is taken for an edit.
        let edited = same.map_or(stale, |same| !same);
        let position = match edited || stale {
            true => marks.reanchor(doc, id, same == Some(true)),
            false => marks.position_in(doc),
        };
        marks.doc = id.clone();
        Ok(Loaded { marks, position, edited, warnings })
    }

    /// Write `marks` for `doc`: under an exclusive lock, re-read the file, merge what
    /// another process wrote into `marks` (so `marks` ends up holding both), and replace
    /// the file atomically. On error nothing on disk changed and `marks` is still whole;
    /// the next save retries. Returns warnings for the user.
    pub fn save(&self, marks: &mut Marks, doc: &Document) -> Result<Vec<String>, StoreError> {
        self.save_here(marks, doc).map_err(|e| self.explain(e))
    }

    fn save_here(&self, marks: &mut Marks, doc: &Document) -> Result<Vec<String>, StoreError> {
        let path = self.path_for(&marks.doc);
        let werr = |source| StoreError::Write { path: path.clone(), source };
        fs::create_dir_all(&self.dir).map_err(werr)?;
        let lock = lock(&path)?;
        remove_stale_temps(&path);
        let mut warnings = Vec::new();
        match read_locked(&path)? {
            OnDisk::Missing => {}
            OnDisk::Found(mut theirs) => {
                let same = fangtan_core::hash::same_text(
                    &theirs.doc.text_hash,
                    &marks.doc.text_hash,
                    &doc.text,
                );
                if same != Some(true) {
                    let id = marks.doc.clone();
                    theirs.reanchor(doc, &id, false);
                }
                marks.merge(&theirs);
            }
            OnDisk::Corrupt(aside) => warnings.push(corrupt_warning(&aside)),
        }
        marks.version = FORMAT_VERSION;
        let json = serde_json::to_vec_pretty(&*marks).map_err(|e| werr(e.into()))?;
        write_atomic(&self.dir, &path, &json).map_err(werr)?;
        drop(lock);
        Ok(warnings)
    }
}

impl Store {
    /// A read or write error caused by a file where the data directory (or a directory
    /// above it) should be, said as such: the system says only "File exists" or "Not a
    /// directory".
    fn explain(&self, e: StoreError) -> StoreError {
        let writing = match e {
            StoreError::Read { .. } => false,
            StoreError::Write { .. } => true,
            e => return e,
        };
        match blocking_file(&self.dir) {
            Some(file) => StoreError::NotAFolder { writing, file, dir: self.dir.clone() },
            None => e,
        }
    }
}

/// The nearest of `dir` and the directories above it that exists, when it is not a
/// directory.
fn blocking_file(dir: &Path) -> Option<PathBuf> {
    let (path, meta) = dir.ancestors().find_map(|p| fs::metadata(p).ok().map(|m| (p, m)))?;
    (!meta.is_dir()).then(|| path.to_path_buf())
}

/// Where [`write_recovery`] tries to put bookmarks the store could not take: the home
/// directory (it outlives a reboot), else the temporary directory.
pub fn recovery_dirs() -> Vec<PathBuf> {
    dirs::home_dir().into_iter().chain([std::env::temp_dir()]).collect()
}

/// Write `marks`, in the store's own format (so the file can be copied over the store
/// file once the data directory is writable), to a new file
/// `fangtan-recovered-<file name>-<UTC time>.json` in the first of `dirs` that takes it.
/// For bookmarks that could not be saved when the reader ends. Returns the path written.
pub fn write_recovery(marks: &Marks, dirs: &[PathBuf]) -> std::io::Result<PathBuf> {
    let json = serde_json::to_vec_pretty(marks)?;
    let name: String = marks
        .doc
        .file_name
        .chars()
        .map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' })
        .take(40)
        .collect();
    let stem = format!("fangtan-recovered-{name}-{}", super::export::file_stamp(now_ms()));
    let mut last = std::io::Error::new(ErrorKind::NotFound, "no directory to write to");
    for dir in dirs {
        for n in 1..10 {
            let path = match n {
                1 => dir.join(format!("{stem}.json")),
                n => dir.join(format!("{stem}-{n}.json")),
            };
            match write_new(&path, &json) {
                Ok(()) => return Ok(path),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => last = e,
                Err(e) => {
                    last = e;
                    break;
                }
            }
        }
    }
    Err(last)
}

/// Create `path` (never replacing a file) holding `bytes`, synced to disk; nothing is
/// left behind on failure.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut f = OpenOptions::new().write(true).create_new(true).open(path)?;
    let written = f.write_all(bytes).and_then(|()| f.sync_all());
    if written.is_err() {
        let _ = fs::remove_file(path);
    }
    written
}

impl Loaded {
    fn empty(id: &DocId) -> Loaded {
        Loaded {
            marks: Marks::new(id.clone()),
            position: None,
            edited: false,
            warnings: Vec::new(),
        }
    }
}

fn corrupt_warning(aside: &Path) -> String {
    format!("bookmark store was unreadable; kept it as {}", aside.display())
}

/// Read and parse a store file. Nothing is changed on disk.
fn parse_file(path: &Path) -> Result<Parsed, StoreError> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Parsed::Missing),
        Err(source) => return Err(StoreError::Read { path: path.to_path_buf(), source }),
    };
    // Peek at the version first: a newer format need not parse as ours.
    #[derive(serde::Deserialize)]
    struct Version {
        version: u32,
    }
    if let Ok(v) = serde_json::from_slice::<Version>(&bytes)
        && v.version > FORMAT_VERSION
    {
        return Err(StoreError::Newer { path: path.to_path_buf(), version: v.version });
    }
    Ok(match serde_json::from_slice::<Marks>(&bytes) {
        Ok(m) => Parsed::Found(Box::new(m)),
        Err(_) => Parsed::Bad,
    })
}

/// Rename an unparsable store aside so no save overwrites it. Call with the lock held.
fn move_aside(path: &Path) -> Result<Option<PathBuf>, StoreError> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".corrupt-{}", now_ms()));
    let aside = path.with_file_name(name);
    match fs::rename(path, &aside) {
        Ok(()) => Ok(Some(aside)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
        Err(source) => Err(StoreError::Write { path: path.to_path_buf(), source }),
    }
}

/// Take the exclusive lock of a store file (the lock lives in a `.lock` file beside it,
/// since the store itself is replaced by rename). Released when the file is dropped.
fn lock(path: &Path) -> Result<File, StoreError> {
    lock_file(path).map_err(|source| StoreError::Write { path: path.to_path_buf(), source })
}

fn lock_file(path: &Path) -> std::io::Result<File> {
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path.with_extension("lock"))?;
    match lock.lock() {
        Ok(()) => Ok(lock),
        // Some file systems have no locks: saving unlocked beats not saving.
        Err(e) if e.kind() == ErrorKind::Unsupported => Ok(lock),
        Err(e) => Err(e),
    }
}

/// [`parse_file`], with an unparsable file moved aside. Call with the lock held.
fn read_locked(path: &Path) -> Result<OnDisk, StoreError> {
    Ok(match parse_file(path)? {
        Parsed::Missing => OnDisk::Missing,
        Parsed::Found(m) => OnDisk::Found(m),
        Parsed::Bad => match move_aside(path)? {
            Some(aside) => OnDisk::Corrupt(aside),
            None => OnDisk::Missing,
        },
    })
}

/// Temp files of this store left by a writer that died mid-save. Called under the lock,
/// when no live writer of this store can be writing one.
fn remove_stale_temps(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else { return };
    let mut prefix = name.to_os_string();
    prefix.push(".tmp-");
    let prefix = prefix.to_string_lossy().into_owned();
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Temp file in the same directory, fsync, rename over the target, fsync the directory:
/// a reader sees the old file or the new one, never a torn one, even after a crash.
fn write_atomic(dir: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}-{n}", std::process::id()));
    let tmp = path.with_file_name(name);
    let result = (|| {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        // Directory fsync makes the rename itself durable; not every platform can open a
        // directory, and the data is already safe in either file by then.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// How many searches [`remember_search`] keeps.
pub const SEARCH_HISTORY_LEN: usize = 500;

/// The search history file in `data_dir`: a JSON list of queries, oldest first.
pub fn search_history_path(data_dir: &Path) -> PathBuf {
    data_dir.join("search-history.json")
}

/// The searches remembered in `data_dir`, oldest first. None yet, or a file that does not
/// parse, is empty (the next search moves such a file aside, see [`remember_search`]).
pub fn load_search_history(data_dir: &Path) -> std::io::Result<Vec<String>> {
    match fs::read(search_history_path(data_dir)) {
        Ok(bytes) => Ok(serde_json::from_slice(&bytes).unwrap_or_default()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e),
    }
}

/// Add `query` to the history in `data_dir` as its newest entry (an older copy of it
/// goes), keeping the last [`SEARCH_HISTORY_LEN`]. Under the lock, re-reading the file,
/// so two readers searching at once both keep their searches; replaced atomically.
/// A history file that does not parse (damaged, or written by a newer fangtan) is moved
/// aside (`search-history.json.corrupt-<ms>`), never written over.
pub fn remember_search(data_dir: &Path, query: &str) -> std::io::Result<()> {
    let path = search_history_path(data_dir);
    fs::create_dir_all(data_dir)?;
    let _lock = lock_file(&path)?;
    let mut list = match fs::read(&path) {
        Ok(bytes) => match serde_json::from_slice::<Vec<String>>(&bytes) {
            Ok(list) => list,
            Err(_) => {
                move_aside(&path).map_err(|e| std::io::Error::other(e.to_string()))?;
                Vec::new()
            }
        },
        Err(e) if e.kind() == ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e),
    };
    push_search(&mut list, query);
    write_atomic(data_dir, &path, &serde_json::to_vec(&list)?)
}

/// `query` as the newest entry of `list` (oldest first), its older copy dropped, at most
/// [`SEARCH_HISTORY_LEN`] kept.
pub fn push_search(list: &mut Vec<String>, query: &str) {
    list.retain(|q| q != query);
    list.push(query.to_string());
    let over = list.len().saturating_sub(SEARCH_HISTORY_LEN);
    list.drain(..over);
}

/// Every document in `data_dir` that has bookmarks, most recently used first. Unreadable
/// store files are skipped (they are moved aside when their document is opened).
pub fn list_all(data_dir: &Path) -> Result<Vec<DocSummary>, StoreError> {
    let entries = match fs::read_dir(data_dir) {
        Ok(e) => e,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => {
            let err = StoreError::Read { path: data_dir.to_path_buf(), source };
            return Err(Store::new(data_dir).explain(err));
        }
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let Ok(bytes) = fs::read(&path) else { continue };
        let Ok(m) = serde_json::from_slice::<Marks>(&bytes) else { continue };
        if m.bookmarks.is_empty() {
            continue;
        }
        out.push(DocSummary {
            path: m.doc.path.clone(),
            file_name: m.doc.file_name.clone(),
            bookmarks: m.bookmarks.len(),
            orphaned: m.orphaned().count(),
            last_read: m.position.as_ref().map(|p| p.saved),
            updated: m.bookmarks.iter().map(|b| b.updated).max(),
        });
    }
    out.sort_by(|a, b| {
        let ka = a.last_read.max(a.updated);
        let kb = b.last_read.max(b.updated);
        kb.cmp(&ka).then_with(|| a.path.cmp(&b.path))
    });
    Ok(out)
}

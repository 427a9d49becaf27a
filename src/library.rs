//! The edge of a library of transcripts: finding them on disk, and what the disk and the
//! store add to each one's [`Summary`] (the file's date when the document gives none, the
//! reading progress, the bookmarks). `fangtan library DIR`, `fangtan search DIR QUERY` and
//! `fangtan DIR` build on it; the search itself is the core's [`Corpus`](crate::library).
//!
//! A transcript is found by its content, not its name: every file under the folder
//! (recursively, symbolic links followed, loops among them skipped) that is not hidden
//! (no path component below the folder starts with `.`), not binary (a NUL byte in its
//! first 8 KiB, unless it is a zip, which may be a Word package or UTF-16 with its byte
//! order mark), and that reads and parses into at least one turn or timed paragraph.
//!
//! Invariant: a file that cannot be read or is no transcript is left out, never an error;
//! only a folder that cannot be walked at all is. Rows are in path order.

use std::io::Read;
use std::path::{Path, PathBuf};

use fangtan_core::doc::Document;
use fangtan_core::library::{Corpus, Hit, Scan, SearchError, Summary, in_order, is_transcript};
use fangtan_core::load;
use fangtan_core::parse::ParseOptions;
use fangtan_core::source::safe_text;
use fangtan_core::store::DocId;
use fangtan_core::talk;

pub use fangtan_core::library::Found;

use crate::store::Store;

/// Documents read at once for a list: the machine this is measured on has two cores.
const THREADS: usize = 2;

/// Bytes sniffed for a NUL before a file is read whole.
const SNIFF: usize = 8 * 1024;

/// One document of a library.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    /// As found under the folder walked.
    pub path: PathBuf,
    #[serde(flatten)]
    pub summary: Summary,
    /// The document's own date, else its file's modification day (`YYYY-MM-DD`, local).
    pub date: Option<String>,
    /// Where the reader last was, as a share of the document's paragraphs (0 to 1).
    pub progress: Option<f64>,
    /// Bookmarks kept for it (those whose paragraph is gone not counted).
    pub bookmarks: usize,
    /// When the reading position was last saved (ms since the epoch).
    pub last_read: Option<i64>,
}

/// A library: the transcripts under some folders, listed and searched. What `fangtan
/// library`, `fangtan search` and the library screen use, whatever keeps it (today every
/// call reads the folders anew; an index in the cache folder may stand behind it).
///
/// Every method but [`Library::open`] and [`Library::cached_rows`] may take long: the
/// screen calls them on a thread of their own.
pub struct Library {
    roots: Vec<PathBuf>,
    opts: ParseOptions,
    store: Option<Store>,
}

impl Library {
    /// The library of `roots`, each of which must be a folder (else one line saying which
    /// is not). `store` adds progress and bookmarks to the rows.
    pub fn open(
        roots: Vec<PathBuf>,
        opts: ParseOptions,
        store: Option<Store>,
    ) -> anyhow::Result<Library> {
        if roots.is_empty() {
            anyhow::bail!("no library folder given");
        }
        for root in &roots {
            let meta =
                std::fs::metadata(root).map_err(|e| anyhow::anyhow!("{}: {e}", root.display()))?;
            if !meta.is_dir() {
                anyhow::bail!("{}: not a folder", root.display());
            }
        }
        Ok(Library { roots, opts, store })
    }

    /// The folders it holds.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// The rows known without reading the folders (from a cache), at once; possibly stale,
    /// possibly none.
    pub fn cached_rows(&self) -> Vec<Entry> {
        Vec::new()
    }

    /// Every candidate file under the roots, in path order, each once.
    fn paths(&self) -> anyhow::Result<Vec<PathBuf>> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for root in &self.roots {
            for path in discover(root)? {
                let key = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
                if seen.insert(key) {
                    out.push(path);
                }
            }
        }
        Ok(out)
    }

    /// Brings the rows up to date with the folders: `on` gets the whole list, in path
    /// order, each time it is known anew (at least once), and returns `false` to stop.
    pub fn refresh(&self, on: &mut dyn FnMut(Vec<Entry>) -> bool) -> anyhow::Result<()> {
        let tz = jiff::tz::TimeZone::system();
        let paths = self.paths()?;
        let mut out = Vec::new();
        let read = |i: usize| {
            let doc = load::read(&paths[i], None, &self.opts).ok().filter(is_transcript)?;
            Some(entry(paths[i].clone(), &doc, self.store.as_ref(), &tz))
        };
        in_order(paths.len(), THREADS, read, |_, e| {
            out.extend(e);
            true
        });
        on(out);
        Ok(())
    }

    /// Every match of `query` across the library (see [`Corpus::search`]), each with the
    /// path of its document; `sink` returns `false` to stop.
    pub fn search(
        &self,
        query: &str,
        speaker: Option<&str>,
        sink: &mut dyn FnMut(&Path, Found) -> bool,
    ) -> Result<(), SearchError> {
        let paths = self.paths().map_err(|e| SearchError::Query(e.to_string()))?;
        let corpus = Scan::new(paths, self.opts.clone());
        corpus.search(query, speaker, &mut |found| {
            let doc = match &found {
                Found::Hit(h) => h.doc,
                Found::Done { doc, .. } => *doc,
                Found::Skipped(s) => s.doc,
            };
            sink(&corpus.paths[doc], found)
        })
    }
}

/// The candidate files under `root`, in path order: not hidden, not binary. `root` that
/// cannot be read is an error; anything under it that cannot be is skipped.
pub fn discover(root: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(root).map_err(|e| anyhow::anyhow!("{}: {e}", root.display()))?;
    if !meta.is_dir() {
        anyhow::bail!("{}: not a folder", root.display());
    }
    let walk = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    let mut out = Vec::new();
    // Errors (a loop of links, a folder not readable) skip that entry only.
    for entry in walk.flatten() {
        if entry.file_type().is_file() && !looks_binary(entry.path()) {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

/// A NUL byte early on, in a file that is not a zip and has no UTF-16 byte order mark.
fn looks_binary(path: &Path) -> bool {
    let mut head = Vec::with_capacity(SNIFF);
    let Ok(file) = std::fs::File::open(path) else { return true };
    if file.take(SNIFF as u64).read_to_end(&mut head).is_err() {
        return true;
    }
    let zip = head.starts_with(b"PK\x03\x04");
    let utf16 = head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]);
    !zip && !utf16 && head.contains(&0)
}

/// The transcripts under `root`, with what the store knows of each (`store` `None`: no
/// progress, no bookmarks).
pub fn list(root: &Path, opts: &ParseOptions, store: Option<&Store>) -> anyhow::Result<Vec<Entry>> {
    let library = Library::open(vec![root.to_path_buf()], opts.clone(), store.cloned())?;
    let mut out = Vec::new();
    library.refresh(&mut |rows| {
        out = rows;
        true
    })?;
    Ok(out)
}

fn entry(path: PathBuf, doc: &Document, store: Option<&Store>, tz: &jiff::tz::TimeZone) -> Entry {
    let summary = Summary::of(doc, &path);
    let date = summary.date.clone().or_else(|| file_day(&path, tz));
    let mut e = Entry { path, summary, date, progress: None, bookmarks: 0, last_read: None };
    if let Some(store) = store {
        let id = DocId::for_doc(&e.path, doc);
        // A store that cannot be read leaves the row without progress: a listing never
        // fails for it (the reader says why when the document is opened).
        if let Ok(loaded) = store.load(&id, doc) {
            let items = doc.items.len().max(1);
            e.progress = loaded.position.map(|a| ((a.item + 1) as f64 / items as f64).min(1.0));
            e.bookmarks = loaded.marks.bookmarks.iter().filter(|b| !b.orphaned).count();
            e.last_read = loaded.marks.position.as_ref().map(|p| p.saved);
        }
    }
    e
}

/// The day a file was last modified, in `tz`.
fn file_day(path: &Path, tz: &jiff::tz::TimeZone) -> Option<String> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let ts = jiff::Timestamp::try_from(modified).ok()?;
    Some(ts.to_zoned(tz.clone()).date().to_string())
}

/// A path as printed: lossy UTF-8, no control character.
fn shown(path: &Path) -> String {
    safe_text(&path.to_string_lossy(), false)
}

/// `fangtan library`'s text: one line a document, its fields separated by tabs: date,
/// length (`~` before an estimate), progress, bookmarks, title, first speakers, path.
pub fn rows_text(entries: &[Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        let s = &e.summary;
        let progress = e.progress.map_or("-".to_string(), |p| format!("{:.0}%", p * 100.0));
        let mut speakers = s.speakers.join(", ");
        if s.speaker_count > s.speakers.len() {
            speakers.push_str(&format!(" +{}", s.speaker_count - s.speakers.len()));
        }
        let fields = [
            e.date.clone().unwrap_or_else(|| "-".to_string()),
            talk::length(s.seconds, s.estimated),
            progress,
            e.bookmarks.to_string(),
            s.title.clone(),
            speakers,
            shown(&e.path),
        ];
        let fields: Vec<String> = fields.iter().map(|f| safe_text(f, false)).collect();
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
    out
}

/// A hit's time as the reader shows it (`m:ss`, `h:mm:ss`), or nothing.
fn hit_time(hit: &Hit) -> String {
    hit.start_ms.map(|ms| talk::duration(ms as f64 / 1000.0)).unwrap_or_default()
}

/// `fangtan search`'s text: `PATH:TIME:SPEAKER:SECTION: LINE` and a line break; fields
/// the match has not are empty.
pub fn hit_text(path: &Path, hit: &Hit) -> String {
    let field = |s: &Option<String>| safe_text(s.as_deref().unwrap_or(""), false);
    format!(
        "{}:{}:{}:{}: {}\n",
        shown(path),
        hit_time(hit),
        field(&hit.speaker),
        field(&hit.section),
        safe_text(&hit.line, false)
    )
}

/// `fangtan search --format json`: one JSON object and a line break. Its fields: `path`,
/// `speaker`, `section`, `time`, `start_ms` (null when untimed), `item`, `block`,
/// `range` (bytes of the paragraph's text), `line` (the match in context) and
/// `line_range` (the match's bytes in `line`).
pub fn hit_json(path: &Path, hit: &Hit) -> String {
    let time = hit.start_ms.map(|_| hit_time(hit));
    let v = serde_json::json!({
        "path": path.to_string_lossy(),
        "speaker": hit.speaker,
        "section": hit.section,
        "time": time,
        "start_ms": hit.start_ms,
        "item": hit.item,
        "block": hit.block,
        "range": [hit.range.start, hit.range.end],
        "line": hit.line,
        "line_range": [hit.line_range.start, hit.line_range.end],
    });
    format!("{v}\n")
}

//! The edge of a library of transcripts: finding them on disk, and what the disk and the
//! store add to each one's [`Summary`] (the file's date when the document gives none, the
//! reading progress, the bookmarks). `fangtan library DIR`, `fangtan search DIR QUERY` and
//! `fangtan DIR` build on it; the matching itself is the core's
//! ([`Matcher`](fangtan_core::library::Matcher), over the index or a document read anew).
//!
//! A transcript is found by its content, not its name: every file under the folder
//! (recursively, symbolic links followed, loops among them skipped) that is not hidden
//! (no path component below the folder starts with `.`), not binary (a NUL byte in its
//! first 8 KiB, unless it is a zip, which may be a Word package or UTF-16 with its byte
//! order mark), and that reads and parses into at least one turn or timed paragraph.
//!
//! Rows and searches go through the cache folder's index ([`cache`]): rows known at once,
//! documents read again only when their size or time changed, searches reading only the
//! chunks that may match, and reading as they are the documents not indexed (yet).
//!
//! Invariant: a file that cannot be read or is no transcript is left out, never an error;
//! only a folder that cannot be walked at all is. Rows are in path order. Results are
//! those of reading every document anew, whatever state the cache is in.

pub mod cache;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use fangtan_core::doc::Document;
use fangtan_core::library::{
    Corpus, Hit, Matcher, Scan, SearchError, Summary, hand_on, in_order, is_transcript, read_hits,
};
use fangtan_core::load;
use fangtan_core::parse::ParseOptions;
use fangtan_core::source::safe_text;
use fangtan_core::store::DocId;
use fangtan_core::talk;

pub use cache::{Built, Progress};
pub use fangtan_core::library::Found;

use crate::store::Store;

/// Documents read at once for a list: the machine this is measured on has two cores.
const THREADS: usize = 2;

/// Bytes sniffed for a NUL before a file is read whole.
const SNIFF: usize = 8 * 1024;

/// One document of a library.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    /// As found under the folder walked. Serialized as text, lossily where the name is
    /// not UTF-8 (a list never fails for one file's name).
    #[serde(serialize_with = "lossy_path")]
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
/// library`, `fangtan search`, `fangtan index` and the library screen use; its index in
/// the cache folder ([`cache`]) stands behind it, and reading every document stands in
/// for whatever part of that is missing or damaged.
///
/// Every method but [`Library::open`] and [`Library::cached_rows`] may take long: the
/// screen calls them on a thread of their own.
pub struct Library {
    /// The folders, canonical: however they were typed, one index, the same paths.
    roots: Vec<PathBuf>,
    /// The folders as they were given, for the paths printed ([`Library::shown`]).
    typed: Vec<PathBuf>,
    opts: ParseOptions,
    store: Option<Store>,
    /// Its index's folder in the cache; `None` when there is no cache folder.
    cache: Option<PathBuf>,
    /// What went wrong with the cache (once said, taken).
    warning: Mutex<Option<String>>,
    /// Threads that read and index new documents in a refresh.
    index_threads: usize,
}

/// A search holds every segment of the index open (about one a 4 MB of text): the soft
/// limit on open files (often 1,024) raised towards the hard one, so a library of many
/// gigabytes does not run out of them. Best effort: where it cannot be raised, a segment
/// that will not open is read around (its documents read anew).
fn raise_open_files() {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    // Enough for a library of hundreds of gigabytes; not the hard limit itself, which may
    // be "unlimited" and would reach the player started from the reader.
    const ENOUGH: u64 = 1 << 16;
    if let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) {
        let want = hard.min(ENOUGH);
        if soft < want {
            let _ = setrlimit(Resource::RLIMIT_NOFILE, want, hard);
        }
    }
}

fn lossy_path<S: serde::Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path.to_string_lossy())
}

impl Entry {
    /// The same row with its path as the user gave the folder ([`Library::shown`]).
    pub fn shown_in(mut self, library: &Library) -> Entry {
        self.path = library.shown(&self.path);
        self
    }
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
        raise_open_files();
        let typed = roots.clone();
        let roots: Vec<PathBuf> =
            roots.into_iter().map(|r| std::fs::canonicalize(&r).unwrap_or(r)).collect();
        let cache = cache::index_dir(&roots, &opts);
        let warning = Mutex::new(None);
        Ok(Library { roots, typed, opts, store, cache, warning, index_threads: THREADS })
    }

    /// The same library with its cache under `folder` instead of [`cache::cache_dir`].
    pub fn with_cache_root(mut self, folder: &Path) -> Library {
        self.cache = cache::index_dir_in(folder, &self.roots, &self.opts);
        self
    }

    /// The same library reading and indexing new documents on `threads` threads in a
    /// refresh (two by default): one leaves a core to the reader on a two-core machine.
    pub fn with_index_threads(mut self, threads: usize) -> Library {
        self.index_threads = threads.max(1);
        self
    }

    /// The folder of its index in the cache, when there is a cache folder.
    pub fn cache_dir(&self) -> Option<&Path> {
        self.cache.as_deref()
    }

    /// What went wrong with the cache since last asked, in one line (the answers were
    /// right all the same: the documents were read instead).
    pub fn take_warning(&self) -> Option<String> {
        self.warning.lock().ok().and_then(|mut w| w.take())
    }

    fn warn(&self, what: String) {
        if let Ok(mut w) = self.warning.lock() {
            w.get_or_insert(what);
        }
    }

    /// The folders it holds.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// A document's path (as the library knows it: under a canonical folder) as the user
    /// would write it: under the folder as it was given (`./talks/a.md`, not
    /// `/home/me/talks/a.md`), as the command line prints it.
    pub fn shown(&self, path: &Path) -> PathBuf {
        for (root, typed) in self.roots.iter().zip(&self.typed) {
            if let Ok(rest) = path.strip_prefix(root) {
                return typed.join(rest);
            }
        }
        path.to_path_buf()
    }

    /// The rows known without reading the folders (from the cache's manifest), at once;
    /// possibly stale, possibly none; without progress and bookmarks (which
    /// [`Library::refresh`] adds).
    pub fn cached_rows(&self) -> Vec<Entry> {
        self.cache.as_deref().map(cache::cached_rows).unwrap_or_default()
    }

    /// Every candidate file under the roots, in path order, each once.
    fn paths(&self) -> anyhow::Result<Vec<PathBuf>> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for root in &self.roots {
            walk(root, |path, meta| {
                if seen.insert(file_key(meta)) && !looks_binary(&path) {
                    out.push(path);
                }
            })?;
        }
        Ok(out)
    }

    /// Brings the rows up to date with the folders: `on` gets the whole list, in path
    /// order, each time it is known anew (at least once), and returns `false` to stop.
    /// Brings the index up to date on the way (see [`Library::refresh_reporting`]).
    pub fn refresh(&self, on: &mut dyn FnMut(Vec<Entry>) -> bool) -> anyhow::Result<()> {
        self.refresh_reporting(on, &mut |_| {}).map(|_| ())
    }

    /// [`Library::refresh`], also telling `progress` how far the reading and indexing of
    /// new and changed documents has come; what it did. Rows of unchanged documents come
    /// from the cache (read again only for a document with reading progress or bookmarks),
    /// those of new and changed documents as they are read. Without a usable cache folder
    /// it reads every document (one warning, see [`Library::take_warning`]).
    pub fn refresh_reporting(
        &self,
        on: &mut dyn FnMut(Vec<Entry>) -> bool,
        progress: &mut dyn FnMut(Progress),
    ) -> anyhow::Result<Built> {
        let mut told = false;
        if let Some(dir) = &self.cache {
            let mut on_told = |rows: Vec<Entry>| {
                told = true;
                on(rows)
            };
            match cache::build(
                dir,
                &self.roots,
                &self.opts,
                self.store.as_ref(),
                self.index_threads,
                true,
                &mut on_told,
                progress,
            ) {
                Ok(built) => {
                    if let Some(w) = &built.warning {
                        self.warn(w.clone());
                    }
                    return Ok(built);
                }
                Err(e) => {
                    // A folder that cannot be walked is the caller's error; a cache that
                    // cannot be written is only slower.
                    for root in &self.roots {
                        discover(root)?;
                    }
                    self.warn(format!("library cache {}: {e}", dir.display()));
                }
            }
        }
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
        let built = Built {
            documents: out.len(),
            corpus_bytes: out
                .iter()
                .filter_map(|e| std::fs::metadata(&e.path).ok())
                .map(|m| m.len())
                .sum(),
            ..Built::default()
        };
        if !told {
            on(out);
        }
        Ok(built)
    }

    /// Brings the index up to date, unless another process is doing so now (then nothing
    /// is done, at once). `None`: no cache folder, busy, or the cache could not be
    /// written (a warning; a search reads what it must).
    pub fn update_index_unless_busy(&self) -> Option<Built> {
        let dir = self.cache.as_ref()?;
        let built = cache::build(
            dir,
            &self.roots,
            &self.opts,
            None,
            self.index_threads,
            false,
            &mut |_| true,
            &mut |_| {},
        );
        match built {
            Ok(b) if b.busy => None,
            Ok(b) => {
                if let Some(w) = &b.warning {
                    self.warn(w.clone());
                }
                Some(b)
            }
            Err(e) => {
                self.warn(format!("library cache {}: {e}", dir.display()));
                None
            }
        }
    }

    /// Every match of `query` across the library (see [`Corpus::search`]), each with the
    /// path of its document; `sink` returns `false` to stop. Documents indexed and
    /// unchanged are searched in the index, the others read; never waits for indexing.
    pub fn search(
        &self,
        query: &str,
        speaker: Option<&str>,
        sink: &mut dyn FnMut(&Path, Found) -> bool,
    ) -> Result<(), SearchError> {
        self.search_indexing(false, query, speaker, sink)
    }

    /// [`Library::search`], but when some document is not indexed (new, changed, or no
    /// index yet) the index is first brought up to date, unless another process is doing
    /// so right then ([`Library::update_index_unless_busy`]): what `fangtan search` does,
    /// so that a folder only ever searched from the command line gets its index too, at
    /// about the cost of reading those documents for this search. When all is indexed,
    /// nothing more than a search.
    pub fn search_indexing_first(
        &self,
        query: &str,
        speaker: Option<&str>,
        sink: &mut dyn FnMut(&Path, Found) -> bool,
    ) -> Result<(), SearchError> {
        self.search_indexing(true, query, speaker, sink)
    }

    fn search_indexing(
        &self,
        index_first: bool,
        query: &str,
        speaker: Option<&str>,
        sink: &mut dyn FnMut(&Path, Found) -> bool,
    ) -> Result<(), SearchError> {
        let Some(matcher) = Matcher::new(query, speaker, &self.opts)? else { return Ok(()) };
        let sources = || {
            cache::sources(&self.roots, self.cache.as_deref())
                .map_err(|e| SearchError::Query(e.to_string()))
        };
        let mut src = sources()?;
        let stale = src.sources.iter().any(|s| matches!(s, cache::Source::Read));
        if index_first && stale && self.update_index_unless_busy().is_some() {
            src = sources()?;
        }
        if src.damaged {
            self.warn("library cache: a damaged index file was skipped".to_string());
        }
        let literal = matcher.literal();
        let mut candidates = Vec::with_capacity(src.segments.len());
        for seg in &src.segments {
            candidates.push(seg.candidates(literal).ok());
        }
        let damaged = std::sync::atomic::AtomicBool::new(false);
        let work = |i: usize| {
            let path = &src.paths[i];
            match &src.sources[i] {
                cache::Source::Skip(why) => Err(why.clone()),
                cache::Source::Indexed { segment, chunks, number } => {
                    let seg = &src.segments[*segment];
                    let found = candidates[*segment]
                        .as_ref()
                        .map(|c| seg.hits(chunks.clone(), *number, c, &matcher, i));
                    match found {
                        Some(Ok(hits)) => Ok(hits),
                        _ => {
                            damaged.store(true, std::sync::atomic::Ordering::Relaxed);
                            read_hits(path, i, &matcher, &self.opts)
                        }
                    }
                }
                cache::Source::Read => read_hits(path, i, &matcher, &self.opts),
            }
        };
        in_order(src.paths.len(), THREADS, work, |doc, found| {
            hand_on(doc, found, &mut |f| sink(&src.paths[doc], f))
        });
        if damaged.into_inner() {
            self.warn("library cache: a damaged index file was skipped".to_string());
        }
        Ok(())
    }

    /// Every match as [`Library::search`] finds it, every document read anew (no index):
    /// what the index must agree with.
    pub fn scan(
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
    let mut out = Vec::new();
    walk(root, |path, _| {
        if !looks_binary(&path) {
            out.push(path);
        }
    })?;
    Ok(out)
}

/// Every file under `root` that is not hidden, in path order, with its metadata (links
/// followed). `root` that cannot be read is an error; anything under it that cannot be is
/// skipped.
fn walk(root: &Path, mut each: impl FnMut(PathBuf, &std::fs::Metadata)) -> anyhow::Result<()> {
    let meta = std::fs::metadata(root).map_err(|e| anyhow::anyhow!("{}: {e}", root.display()))?;
    if !meta.is_dir() {
        anyhow::bail!("{}: not a folder", root.display());
    }
    let walk = walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    // Errors (a loop of links, a folder not readable) skip that entry only.
    for entry in walk.flatten() {
        if entry.file_type().is_file()
            && let Ok(meta) = entry.metadata()
        {
            each(entry.into_path(), &meta);
        }
    }
    Ok(())
}

/// What tells one file from another, whatever the path to it (links followed).
fn file_key(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
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
    /// One match as printed: the fields in the order they always had (alphabetical).
    #[derive(serde::Serialize)]
    struct Row<'a> {
        block: usize,
        item: usize,
        line: &'a str,
        line_range: [usize; 2],
        path: std::borrow::Cow<'a, str>,
        range: [usize; 2],
        section: Option<&'a str>,
        speaker: Option<&'a str>,
        start_ms: Option<u64>,
        time: Option<String>,
    }
    let row = Row {
        block: hit.block,
        item: hit.item,
        line: &hit.line,
        line_range: [hit.line_range.start, hit.line_range.end],
        path: path.to_string_lossy(),
        range: [hit.range.start, hit.range.end],
        section: hit.section.as_deref(),
        speaker: hit.speaker.as_deref(),
        start_ms: hit.start_ms,
        time: hit.start_ms.map(|_| hit_time(hit)),
    };
    // A struct of strings and numbers always serializes.
    let mut out = serde_json::to_string(&row).unwrap_or_default();
    out.push('\n');
    out
}

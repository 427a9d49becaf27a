//! The library's cache on disk (binary edge: files, file times, locks, threads): one folder
//! per set of library folders and parse options, under [`cache_dir`], holding a manifest
//! (every document seen: path, size, modification time, text hash, its row, why it is no
//! transcript, and where its paragraphs are indexed) and the index's segment files
//! ([`fangtan_core::index`]).
//!
//! [`build`] brings it up to date: a walk with a `stat` per file, documents whose size or
//! time changed read again (a changed text hash re-indexes them; the same text keeps its
//! index), new ones read and indexed on the library's threads (two unless told otherwise)
//! into new segments, deleted ones
//! dropped, segments mostly dead rebuilt. The manifest is replaced whole (temporary file,
//! sync, rename) after each segment, so a reader sees a consistent state at any time (and
//! left as it is when nothing changed), and one lock file keeps two writers apart (a
//! writer asked not to wait, as `fangtan search` asks, does nothing while another
//! writes). [`Sources`] is what a search starts from: each
//! document found by a walk, indexed (fresh in the manifest, segment readable) or to be
//! read as it is.
//!
//! Invariant: the cache only ever saves work. Whatever is missing, stale, damaged, of
//! another version, or cannot be written, the answer is the one a fresh read would give
//! (the document is read instead, or the index rebuilt), never an error of the search.

use std::collections::{HashMap, HashSet};
use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Instant, UNIX_EPOCH};

use fangtan_core::doc::Format;
use fangtan_core::index::{self, Segment, SegmentBuilder, Trigrams};
use fangtan_core::library::{NOT_A_TRANSCRIPT, Summary, is_transcript};
use fangtan_core::load;
use fangtan_core::parse::ParseOptions;
use fangtan_core::store::DocId;
use serde::{Deserialize, Serialize};

use super::{Entry, entry};
use crate::store::Store;

/// The manifest's format; with [`index::VERSION`], a change rebuilds the cache.
const MANIFEST_VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";
/// The version of fangtan, in every manifest it writes.
const BUILT_BY: &str = env!("CARGO_PKG_VERSION");
const LOCK: &str = "lock";
const SEGMENT_EXT: &str = "seg";

/// The user's cache folder for fangtan: `$FANGTAN_CACHE_DIR` when set and not empty, else
/// `$XDG_CACHE_HOME/fangtan` (absolute), else the platform's cache folder's `fangtan`.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("FANGTAN_CACHE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from)
        && d.is_absolute()
    {
        return Some(d.join("fangtan"));
    }
    dirs::cache_dir().map(|d| d.join("fangtan"))
}

/// The folder of the index of `roots` read with `opts`: another set of folders, or
/// options that change how documents parse, is another index.
pub fn index_dir(roots: &[PathBuf], opts: &ParseOptions) -> Option<PathBuf> {
    index_dir_in(&cache_dir()?, roots, opts)
}

/// [`index_dir`] under the cache folder `cache`.
pub fn index_dir_in(cache: &Path, roots: &[PathBuf], opts: &ParseOptions) -> Option<PathBuf> {
    let mut key = String::new();
    for r in roots {
        let r = fs::canonicalize(r).unwrap_or_else(|_| r.clone());
        key.push_str(&r.to_string_lossy());
        key.push('\0');
    }
    let mut sorted = |m: &HashMap<String, String>| {
        let mut v: Vec<_> = m.iter().collect();
        v.sort();
        key.push_str(&format!("{v:?}\0"));
    };
    sorted(&opts.aliases);
    sorted(&opts.names);
    for l in &opts.labels {
        key.push_str(l.as_str());
        key.push('\0');
    }
    key.push_str(&format!("{:?}", opts.format));
    let hash = fangtan_core::hash::hash_hex(key.as_bytes());
    Some(cache.join("library").join(hash))
}

/// A document's row as cached (a [`Summary`] and the row's date).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Row {
    title: String,
    own_date: Option<String>,
    speakers: Vec<String>,
    speaker_count: usize,
    seconds: f64,
    estimated: bool,
    turns: usize,
    format: Option<Format>,
    date: Option<String>,
}

impl Row {
    fn of(e: &Entry) -> Row {
        let s = &e.summary;
        Row {
            title: s.title.clone(),
            own_date: s.date.clone(),
            speakers: s.speakers.clone(),
            speaker_count: s.speaker_count,
            seconds: s.seconds,
            estimated: s.estimated,
            turns: s.turns,
            // A format's name is its serialized form.
            format: s.format.and_then(|n| serde_json::from_value(serde_json::json!(n)).ok()),
            date: e.date.clone(),
        }
    }

    fn entry(&self, path: &Path) -> Entry {
        Entry {
            path: path.to_path_buf(),
            summary: Summary {
                title: self.title.clone(),
                date: self.own_date.clone(),
                speakers: self.speakers.clone(),
                speaker_count: self.speaker_count,
                seconds: self.seconds,
                estimated: self.estimated,
                turns: self.turns,
                format: self.format.map(Format::name),
            },
            date: self.date.clone(),
            progress: None,
            bookmarks: 0,
            last_read: None,
        }
    }
}

/// One file seen under the folders.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Record {
    path: String,
    size: u64,
    mtime_ns: u64,
    /// The inode's change time: moved on by every write (and by `chmod`), even when the
    /// modification time is put back (`cp -p`, `rsync -t`, `touch -r`).
    #[serde(default)]
    ctime_ns: u64,
    /// The decoded text's hash; empty when it did not read.
    hash: String,
    /// Its row, when it is a transcript.
    row: Option<Row>,
    /// Why it is not one (no transcript, or it did not read).
    why: Option<String>,
    /// The segment holding its paragraphs, their chunks there, and the number they
    /// were added under (checked against the segment's own, so that a manifest pointing
    /// at another document's chunks is caught).
    segment: Option<u64>,
    chunks: Range<u32>,
    #[serde(default)]
    number: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SegmentRecord {
    id: u64,
    chunks: u32,
    bytes: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Manifest {
    version: u32,
    index_version: u32,
    /// The fangtan that wrote it ([`BUILT_BY`]): another one may parse documents otherwise
    /// (other items, other speakers, another "no transcript"), so its cache is rebuilt.
    #[serde(default)]
    built_by: String,
    next_segment: u64,
    docs: Vec<Record>,
    segments: Vec<SegmentRecord>,
}

fn segment_path(dir: &Path, id: u64) -> PathBuf {
    dir.join(format!("{id:08}.{SEGMENT_EXT}"))
}

/// The manifest in `dir`; `None` when there is none or it is damaged or of another
/// version.
fn load_manifest(dir: &Path) -> Option<Manifest> {
    let bytes = fs::read(dir.join(MANIFEST)).ok()?;
    let m: Manifest = serde_json::from_slice(&bytes).ok()?;
    (m.version == MANIFEST_VERSION && m.index_version == index::VERSION && m.built_by == BUILT_BY)
        .then_some(m)
}

/// Replaces the manifest whole: a temporary file, synced, renamed over it.
fn save_manifest(dir: &Path, m: &Manifest) -> std::io::Result<()> {
    let tmp = dir.join(format!("{MANIFEST}.tmp"));
    let mut f = File::create(&tmp)?;
    f.write_all(&serde_json::to_vec(m).map_err(std::io::Error::other)?)?;
    f.sync_all()?;
    drop(f);
    fs::rename(&tmp, dir.join(MANIFEST))
}

/// The exclusive lock of the cache folder: one writer at a time. `wait`: until the
/// writer before is done, else `None` at once while another writer holds it.
fn lock(dir: &Path, wait: bool) -> std::io::Result<Option<File>> {
    let f = OpenOptions::new().create(true).truncate(false).write(true).open(dir.join(LOCK))?;
    let locked = match wait {
        true => f.lock(),
        false => match f.try_lock() {
            Ok(()) => Ok(()),
            Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(e),
        },
    };
    match locked {
        Ok(()) => Ok(Some(f)),
        Err(e) if e.kind() == ErrorKind::Unsupported => Ok(Some(f)),
        Err(e) => Err(e),
    }
}

fn stamp(meta: &fs::Metadata) -> Stamp {
    use std::os::unix::fs::MetadataExt;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    let ctime = u64::try_from(meta.ctime()).unwrap_or(0).saturating_mul(1_000_000_000)
        + u64::try_from(meta.ctime_nsec()).unwrap_or(0);
    (meta.len(), mtime, ctime)
}

/// Size, modification time and change time (ns since the epoch) of a file: a file whose
/// stamp is the one recorded is taken as unchanged.
type Stamp = (u64, u64, u64);

/// The rows the manifest holds, in path order, at once.
pub fn cached_rows(dir: &Path) -> Vec<Entry> {
    let Some(m) = load_manifest(dir) else { return Vec::new() };
    m.docs.iter().filter_map(|r| Some(r.row.as_ref()?.entry(Path::new(&r.path)))).collect()
}

/// Where a document of a search comes from.
pub enum Source {
    /// Its paragraphs are in segment `segment` (of [`Sources::segments`]), these chunks.
    Indexed { segment: usize, chunks: Range<u32>, number: u32 },
    /// Known (fresh in the manifest) to be no transcript, or not to read.
    Skip(String),
    /// Read it.
    Read,
}

/// The documents of a search, in path order, and the segments they are indexed in.
pub struct Sources {
    pub paths: Vec<PathBuf>,
    pub sources: Vec<Source>,
    pub segments: Vec<Segment>,
    /// A damaged part of the cache was met (the documents it held are read instead).
    pub damaged: bool,
}

/// The files under `roots` (as [`super::discover`] finds them), each with what the
/// manifest in `dir` knows of it when it is fresh (same size and time).
pub fn sources(roots: &[PathBuf], dir: Option<&Path>) -> anyhow::Result<Sources> {
    let manifest = dir.and_then(load_manifest).unwrap_or_default();
    let known: HashMap<&str, &Record> =
        manifest.docs.iter().map(|r| (r.path.as_str(), r)).collect();
    let mut out =
        Sources { paths: Vec::new(), sources: Vec::new(), segments: Vec::new(), damaged: false };
    let mut opened: HashMap<u64, Option<usize>> = HashMap::new();
    let mut seen = HashSet::new();
    for root in roots {
        super::walk(root, |path, meta| {
            let fresh = path
                .to_str()
                .and_then(|p| known.get(p))
                .filter(|r| (r.size, r.mtime_ns, r.ctime_ns) == stamp(meta));
            let source = match fresh {
                Some(r) => match (&r.row, r.segment) {
                    (None, _) => Source::Skip(r.why.clone().unwrap_or_default()),
                    (Some(_), None) => Source::Read,
                    (Some(_), Some(id)) => {
                        let at = *opened.entry(id).or_insert_with(|| {
                            match dir.map(|d| Segment::open(&segment_path(d, id))) {
                                Some(Ok(s)) => {
                                    out.segments.push(s);
                                    Some(out.segments.len() - 1)
                                }
                                _ => None,
                            }
                        });
                        match at {
                            Some(segment) => Source::Indexed {
                                segment,
                                chunks: r.chunks.clone(),
                                number: r.number,
                            },
                            None => {
                                out.damaged = true;
                                Source::Read
                            }
                        }
                    }
                },
                None if super::looks_binary(&path) => return,
                None => Source::Read,
            };
            if seen.insert(super::file_key(meta)) {
                out.paths.push(path);
                out.sources.push(source);
            }
        })?;
    }
    Ok(out)
}

/// What a [`build`] did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Built {
    /// Transcripts in the library.
    pub documents: usize,
    /// Their files' bytes.
    pub corpus_bytes: u64,
    /// Documents read in this build, and their bytes.
    pub read_documents: usize,
    pub read_bytes: u64,
    /// The cache folder's index: segments and manifest, in bytes.
    pub index_bytes: u64,
    /// A segment that could not be written (its documents are read by searches).
    #[serde(skip)]
    pub warning: Option<String>,
    /// Nothing was done: another writer held the cache (asked not to wait).
    #[serde(skip)]
    pub busy: bool,
}

/// How far a build has come: documents read of those to read, their bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    pub bytes: u64,
}

/// A file to read in a build.
struct Job {
    pos: usize,
    path: PathBuf,
    stamp: Stamp,
    /// What the manifest knew (its index still usable when the text is the same).
    old: Option<Record>,
    /// Only its row is wanted (progress and bookmarks from the store); its record holds.
    row_only: bool,
}

enum Msg {
    Row(usize, Option<Entry>),
    Record(usize, Record),
    Segment(SegmentRecord, Vec<(usize, Record)>),
    Failed(std::io::Error, Vec<(usize, Record)>),
}

/// Brings the cache in `dir` up to date with the files under `roots` (see the module's
/// doc) on `threads` threads, `on` told the rows in path order each time more are known (returning `false`
/// stops), `progress` told of the reading. `wait`: for another writer to finish first;
/// else, while one writes, nothing is done and the result is [`Built::busy`] (`on` not
/// told).
#[allow(clippy::too_many_arguments)]
pub fn build(
    dir: &Path,
    roots: &[PathBuf],
    opts: &ParseOptions,
    store: Option<&Store>,
    threads: usize,
    wait: bool,
    on: &mut dyn FnMut(Vec<Entry>) -> bool,
    progress: &mut dyn FnMut(Progress),
) -> anyhow::Result<Built> {
    fs::create_dir_all(dir)?;
    let Some(_lock) = lock(dir, wait)? else {
        return Ok(Built { busy: true, ..Built::default() });
    };
    let loaded = load_manifest(dir);
    let had_manifest = loaded.is_some();
    let mut manifest = loaded.unwrap_or_else(|| {
        // None, damaged or another version: start over, never reusing a segment's name
        // (a search may still hold the old manifest).
        let next_segment = segment_ids(dir).max().map_or(0, |id| id + 1);
        remove_segments(dir, &HashSet::new());
        Manifest {
            version: MANIFEST_VERSION,
            index_version: index::VERSION,
            built_by: BUILT_BY.to_string(),
            next_segment,
            ..Manifest::default()
        }
    });
    let alive_segments: HashSet<u64> = manifest.segments.iter().map(|s| s.id).collect();
    let mut known: HashMap<String, Record> =
        manifest.docs.drain(..).map(|r| (r.path.clone(), r)).collect();
    let mut paths = Vec::new();
    let mut stamps = Vec::new();
    let mut seen = HashSet::new();
    for root in roots {
        super::walk(root, |path, meta| {
            if (known.contains_key(path.to_str().unwrap_or("")) || !super::looks_binary(&path))
                && seen.insert(super::file_key(meta))
            {
                paths.push(path);
                stamps.push(stamp(meta));
            }
        })?;
    }
    // Live chunks per segment, to find the mostly dead ones (a changed file counts as
    // live: its text may be the same).
    let mut live: HashMap<u64, u32> = HashMap::new();
    for path in &paths {
        if let Some(r) = path.to_str().and_then(|p| known.get(p))
            && let Some(id) = r.segment
        {
            *live.entry(id).or_default() += r.chunks.len() as u32;
        }
    }
    let rebuild: HashSet<u64> = manifest
        .segments
        .iter()
        .filter(|s| live.get(&s.id).copied().unwrap_or(0) * 2 < s.chunks)
        .map(|s| s.id)
        .collect();
    let mut records: Vec<Option<Record>> = vec![None; paths.len()];
    let mut rows: Vec<Option<Entry>> = vec![None; paths.len()];
    let mut jobs = Vec::new();
    for (pos, (path, s)) in paths.iter().zip(&stamps).enumerate() {
        let old = path.to_str().and_then(|p| known.remove(p));
        let fresh = old.as_ref().is_some_and(|r| {
            (r.size, r.mtime_ns, r.ctime_ns) == *s
                && (r.row.is_none()
                    || r.segment
                        .is_some_and(|id| alive_segments.contains(&id) && !rebuild.contains(&id)))
        });
        if fresh && let Some(r) = old {
            rows[pos] = r.row.as_ref().map(|row| row.entry(path));
            let has_store =
                store.is_some_and(|st| st.dir().join(DocId::store_name_for(path)).exists());
            if has_store && r.row.is_some() {
                jobs.push(Job { pos, path: path.clone(), stamp: *s, old: None, row_only: true });
            }
            records[pos] = Some(r);
        } else {
            jobs.push(Job { pos, path: path.clone(), stamp: *s, old, row_only: false });
        }
    }
    // Nothing new, changed, deleted or to re-index: the manifest on disk stays as it is.
    let untouched =
        had_manifest && jobs.iter().all(|j| j.row_only) && known.is_empty() && rebuild.is_empty();
    let mut built = Built::default();
    let emit = |rows: &[Option<Entry>]| rows.iter().flatten().cloned().collect::<Vec<Entry>>();
    let mut stopped = !jobs.is_empty() && !on(emit(&rows));
    let total = jobs.iter().filter(|j| !j.row_only).count();
    let tz = jiff::tz::TimeZone::system();
    let next_job = AtomicUsize::new(0);
    let next_segment = AtomicU64::new(manifest.next_segment);
    let stop = std::sync::atomic::AtomicBool::new(stopped);
    let (tx, rx) = mpsc::channel::<Msg>();
    let mut progress_now = Progress { done: 0, total, bytes: 0 };
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            let tx = tx.clone();
            let (jobs, next_job, next_segment, stop, tz) =
                (&jobs, &next_job, &next_segment, &stop, &tz);
            let keep_index = |id: u64| alive_segments.contains(&id) && !rebuild.contains(&id);
            scope.spawn(move || {
                let mut builder = SegmentBuilder::default();
                let mut trigrams = Trigrams::default();
                let mut pending: Vec<(usize, Record)> = Vec::new();
                let flush = |builder: &mut SegmentBuilder, pending: &mut Vec<(usize, Record)>| {
                    if builder.is_empty() {
                        return;
                    }
                    let id = next_segment.fetch_add(1, Ordering::Relaxed);
                    let chunks = builder.chunk_count() as u32;
                    let mut done = std::mem::take(pending);
                    for (_, r) in &mut done {
                        r.segment = Some(id);
                    }
                    let msg = match builder.write(&segment_path(dir, id)) {
                        Ok(bytes) => Msg::Segment(SegmentRecord { id, chunks, bytes }, done),
                        Err(e) => {
                            *builder = SegmentBuilder::default();
                            for (_, r) in &mut done {
                                r.segment = None;
                            }
                            Msg::Failed(e, done)
                        }
                    };
                    let _ = tx.send(msg);
                };
                while !stop.load(Ordering::Relaxed) {
                    let Some(job) = jobs.get(next_job.fetch_add(1, Ordering::Relaxed)) else {
                        break;
                    };
                    let doc = load::read(&job.path, None, opts);
                    let mut rec = Record {
                        path: job.path.to_string_lossy().into_owned(),
                        size: job.stamp.0,
                        mtime_ns: job.stamp.1,
                        ctime_ns: job.stamp.2,
                        hash: String::new(),
                        row: None,
                        why: None,
                        segment: None,
                        chunks: 0..0,
                        number: 0,
                    };
                    let doc = match doc {
                        Ok(d) if is_transcript(&d) => d,
                        other => {
                            rec.why = Some(match other {
                                Ok(_) => NOT_A_TRANSCRIPT.to_string(),
                                Err(e) => e.to_string(),
                            });
                            let _ = tx.send(Msg::Row(job.pos, None));
                            if !job.row_only {
                                let _ = tx.send(Msg::Record(job.pos, rec));
                            }
                            continue;
                        }
                    };
                    let e = entry(job.path.clone(), &doc, store, tz);
                    rec.row = Some(Row::of(&e));
                    let _ = tx.send(Msg::Row(job.pos, Some(e)));
                    if job.row_only {
                        continue;
                    }
                    rec.hash = doc.text_hash();
                    // The same text as indexed (a file touched, or saved unchanged).
                    if let Some(old) = &job.old
                        && old.hash == rec.hash
                        && old.segment.is_some_and(keep_index)
                    {
                        rec.segment = old.segment;
                        rec.chunks = old.chunks.clone();
                        rec.number = old.number;
                        let _ = tx.send(Msg::Record(job.pos, rec));
                        continue;
                    }
                    if job.path.to_str().is_none() {
                        // Not kept in the manifest: read by every search.
                        continue;
                    }
                    rec.number = pending.len() as u32;
                    rec.chunks = builder.add(rec.number, index::chunks(&doc, &mut trigrams));
                    drop(doc);
                    pending.push((job.pos, rec));
                    if builder.text_bytes() >= index::SEGMENT_BYTES {
                        flush(&mut builder, &mut pending);
                    }
                }
                flush(&mut builder, &mut pending);
            });
        }
        drop(tx);
        let mut last_rows = Instant::now();
        let mut rows_dirty = false;
        for msg in rx.iter() {
            let mut save = false;
            match msg {
                Msg::Row(pos, e) => {
                    rows[pos] = e;
                    rows_dirty = true;
                }
                Msg::Record(pos, r) => {
                    progress_now.done += 1;
                    progress_now.bytes += r.size;
                    built.read_documents += 1;
                    built.read_bytes += r.size;
                    records[pos] = Some(r);
                    progress(progress_now);
                }
                Msg::Segment(seg, done) => {
                    for (pos, r) in done {
                        progress_now.done += 1;
                        progress_now.bytes += r.size;
                        built.read_documents += 1;
                        built.read_bytes += r.size;
                        records[pos] = Some(r);
                    }
                    manifest.segments.push(seg);
                    save = true;
                    progress(progress_now);
                }
                Msg::Failed(e, done) => {
                    built.warning.get_or_insert(format!("library cache {}: {e}", dir.display()));
                    for (pos, r) in done {
                        progress_now.done += 1;
                        records[pos] = Some(r);
                    }
                    progress(progress_now);
                }
            }
            if save {
                manifest.next_segment = next_segment.load(Ordering::Relaxed);
                manifest.docs = records.iter().flatten().cloned().collect();
                // A cache that cannot be written is only slower.
                let _ = save_manifest(dir, &manifest);
            }
            if rows_dirty && !stopped && last_rows.elapsed().as_millis() >= 200 {
                rows_dirty = false;
                last_rows = Instant::now();
                if !on(emit(&rows)) {
                    stopped = true;
                    stop.store(true, Ordering::Relaxed);
                }
            }
        }
    });
    manifest.next_segment = next_segment.load(Ordering::Relaxed);
    manifest.docs = records.into_iter().flatten().collect();
    let used: HashSet<u64> = manifest.docs.iter().filter_map(|r| r.segment).collect();
    manifest.segments.retain(|s| used.contains(&s.id));
    if !untouched {
        save_manifest(dir, &manifest)?;
        remove_segments(dir, &used);
    }
    built.documents = manifest.docs.iter().filter(|r| r.row.is_some()).count();
    built.corpus_bytes = manifest.docs.iter().filter(|r| r.row.is_some()).map(|r| r.size).sum();
    built.index_bytes = manifest.segments.iter().map(|s| s.bytes).sum::<u64>()
        + fs::metadata(dir.join(MANIFEST)).map_or(0, |m| m.len());
    if !stopped {
        on(emit(&rows));
    }
    Ok(built)
}

/// The numbers of the segment files in `dir`.
fn segment_ids(dir: &Path) -> impl Iterator<Item = u64> {
    fs::read_dir(dir).into_iter().flatten().flatten().filter_map(|f| {
        let path = f.path();
        if path.extension().and_then(|e| e.to_str()) != Some(SEGMENT_EXT) {
            return None;
        }
        path.file_stem()?.to_str()?.parse::<u64>().ok()
    })
}

/// Removes the segment files in `dir` not in `keep`, and temporary files left behind.
fn remove_segments(dir: &Path, keep: &HashSet<u64>) {
    for id in segment_ids(dir).filter(|id| !keep.contains(id)).collect::<Vec<_>>() {
        let _ = fs::remove_file(segment_path(dir, id));
    }
    let Ok(list) = fs::read_dir(dir) else { return };
    for f in list.flatten() {
        if f.path().extension().is_some_and(|e| e == "tmp") {
            let _ = fs::remove_file(f.path());
        }
    }
}

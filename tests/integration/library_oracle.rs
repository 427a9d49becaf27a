#![allow(clippy::unwrap_used)]
//! A library search finds exactly what the reader's own search finds, document by
//! document, whatever stands behind the library (a scan of the folders, an index in the
//! cache folder): on a generated corpus of every form fangtan reads (`support::corpus`),
//! for 200 seeded queries, with and without a speaker filter; right after files are
//! edited, added and removed; with a cache folder full of garbage, cut short, or not
//! writable; and through the command line. The oracle reads every file anew
//! (`load::read`), keeps the transcripts (`is_transcript`) and runs `search::find_all`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Output;

use fangtan::library::{Found, Library};
use fangtan_core::doc::{Document, Item};
use fangtan_core::library::is_transcript;
use fangtan_core::load;
use fangtan_core::parse::ParseOptions;
use fangtan_core::search::find_all;

use crate::cli::fangtan;
use crate::support::corpus::{self, CJK_WORD, PLANTED, RARE, Rng, Written};

/// One hit: document (relative path), item, block, byte range.
type Key = (String, usize, usize, usize, usize);

/// A generated corpus in a temporary folder, with its own data and cache folders.
struct Lab {
    dir: tempfile::TempDir,
    data: tempfile::TempDir,
    cache: tempfile::TempDir,
    written: Vec<Written>,
}

impl Lab {
    fn new(docs: usize, bytes: u64, seed: u64) -> Lab {
        let dir = tempfile::tempdir().unwrap();
        let written = corpus::generate(dir.path(), docs, bytes, seed).unwrap();
        Lab {
            dir,
            data: tempfile::tempdir().unwrap(),
            cache: tempfile::tempdir().unwrap(),
            written,
        }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn library(&self, opts: &ParseOptions) -> Library {
        Library::open(vec![self.root().to_path_buf()], opts.clone(), None)
            .unwrap()
            .with_cache_root(self.cache.path())
    }

    /// The command line with this lab's data and cache folders.
    fn cli(&self, args: &[&str]) -> Output {
        fangtan()
            .env("FANGTAN_DATA_DIR", self.data.path())
            .env("FANGTAN_CACHE_DIR", self.cache.path())
            .args(args)
            .output()
            .unwrap()
    }

    fn rel(&self, path: &Path) -> String {
        path.strip_prefix(self.root()).unwrap_or(path).to_string_lossy().into_owned()
    }
}

/// Every file under `root`, in path order (the corpus has nothing hidden).
fn files(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() { stack.push(p) } else { out.push(p) }
        }
    }
    out.sort();
    out
}

/// The oracle's documents: every file read anew, the transcripts kept.
fn oracle_docs(root: &Path, opts: &ParseOptions) -> Vec<(String, Document)> {
    files(root)
        .into_iter()
        .filter_map(|p| {
            let doc = load::read(&p, None, opts).ok().filter(is_transcript)?;
            Some((p.strip_prefix(root).unwrap().to_string_lossy().into_owned(), doc))
        })
        .collect()
}

/// Whether `doc`'s item is a turn said by someone whose display name holds `name`.
fn said_by(doc: &Document, item: usize, name: &str) -> bool {
    let Some(&Item::Turn(t)) = doc.items.get(item) else { return false };
    let turn = &doc.turns[t as usize];
    doc.speaker_name(turn.speaker()).to_lowercase().contains(&name.to_lowercase())
}

/// The reader's `find_all` over every document; with `speaker`, only turns of the speaker
/// whose display name holds it.
fn oracle(docs: &[(String, Document)], query: &str, speaker: Option<&str>) -> Vec<Key> {
    let mut out = Vec::new();
    for (rel, doc) in docs {
        for m in find_all(doc, query) {
            if speaker.is_none_or(|s| said_by(doc, m.item, s)) {
                out.push((rel.clone(), m.item, m.block, m.range.start, m.range.end));
            }
        }
    }
    out.sort();
    out
}

/// What the library finds, checked to come grouped by document, each group closed by its
/// `Done` with the right count.
fn searched(lab: &Lab, lib: &Library, query: &str, speaker: Option<&str>) -> Vec<Key> {
    let mut out = Vec::new();
    let mut open: Option<(String, usize)> = None;
    let mut closed = BTreeSet::new();
    lib.search(query, speaker, &mut |path, found| {
        let rel = lab.rel(path);
        match found {
            Found::Hit(h) => {
                assert!(!closed.contains(&rel), "{query:?}: {rel} hit after its Done");
                match &mut open {
                    Some((doc, n)) if *doc == rel => *n += 1,
                    _ => open = Some((rel.clone(), 1)),
                }
                out.push((rel, h.item, h.block, h.range.start, h.range.end));
            }
            Found::Done { hits, .. } => {
                let n = open.take().filter(|(doc, _)| *doc == rel).map_or(0, |(_, n)| n);
                assert_eq!(n, hits, "{query:?}: {rel}: Done counts {hits}, {n} seen");
                closed.insert(rel);
            }
            Found::Skipped(_) => {}
        }
        true
    })
    .unwrap();
    out.sort();
    out
}

/// Every paragraph's display text, for queries taken from the corpus.
fn texts(docs: &[(String, Document)]) -> Vec<String> {
    let mut out = Vec::new();
    for (_, doc) in docs {
        for item in 0..doc.items.len() {
            for b in doc.item_blocks(item).iter() {
                if !b.text.trim().is_empty() {
                    out.push(b.text.to_string());
                }
            }
        }
    }
    out
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Some characters of `text` around a random place.
fn window(rng: &mut Rng, text: &str, len: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = rng.below(chars.len().saturating_sub(len).max(1));
    chars[at..(at + len).min(chars.len())].iter().collect()
}

fn recased(rng: &mut Rng, s: &str) -> String {
    match rng.below(4) {
        0 => s.to_uppercase(),
        1 => s.to_lowercase(),
        2 => s
            .chars()
            .enumerate()
            .map(|(i, c)| if i % 2 == 0 { c.to_ascii_uppercase() } else { c })
            .collect(),
        _ => s.to_string(),
    }
}

/// `count` queries of every kind the issue names, seeded.
fn queries(texts: &[String], count: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let mut out = vec![PLANTED.to_string(), RARE.to_string(), CJK_WORD.to_string()];
    while out.len() < count {
        let text = &texts[rng.below(texts.len())];
        let q = match rng.below(8) {
            // An English word of the corpus, in some case.
            0 | 1 => {
                let words: Vec<&str> = text
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .filter(|w| w.len() > 1)
                    .collect();
                if words.is_empty() {
                    continue;
                }
                let w = words[rng.below(words.len())];
                recased(&mut rng, w)
            }
            // One to four Chinese characters of the corpus.
            2 | 3 => {
                let han: Vec<usize> =
                    text.char_indices().filter(|(_, c)| is_han(*c)).map(|(i, _)| i).collect();
                if han.is_empty() {
                    continue;
                }
                let at = han[rng.below(han.len())];
                text[at..].chars().take(1 + rng.below(4)).collect()
            }
            // One to four random Han characters: mostly no match.
            4 => (0..1 + rng.below(4))
                .map(|_| char::from_u32(0x4E00 + rng.below(0x5000) as u32).unwrap())
                .collect(),
            // A stretch of text, across Latin and Chinese, spaces and punctuation; at
            // times without its spaces (which the reader's search does not count).
            5 => {
                let len = 2 + rng.below(9);
                let w = window(&mut rng, text, len);
                let w = if rng.chance(0.3) { w.replace(' ', "") } else { w };
                recased(&mut rng, &w)
            }
            // Two words with a space.
            6 => {
                let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
                if words.len() < 2 {
                    continue;
                }
                let i = rng.below(words.len() - 1);
                format!("{} {}", words[i], words[i + 1])
            }
            // Not in the corpus (no `z` or `q` in its words but the planted ones).
            _ => {
                let q = format!("qz{}x", ["a", "vor", "冷", "Zorv"][rng.below(4)]);
                recased(&mut rng, &q)
            }
        };
        // An empty query finds nothing by contract; `\v` would be a regex.
        if q.trim().is_empty() || q.starts_with('\\') {
            continue;
        }
        out.push(q);
    }
    out
}

fn aliased() -> ParseOptions {
    let mut opts = ParseOptions::default();
    for (variant, name) in
        [("Satya", "Satya Nadella"), ("S. Nadella", "Satya Nadella"), ("张 伟", "张伟")]
    {
        opts.aliases.insert(variant.to_string(), name.to_string());
    }
    opts
}

/// A corpus of every form: 54 documents, 6 of each.
fn lab() -> Lab {
    Lab::new(54, 160_000, 7)
}

#[test]
fn two_hundred_random_queries_find_what_the_reader_finds_in_each_document() {
    let lab = lab();
    let opts = ParseOptions::default();
    let docs = oracle_docs(lab.root(), &opts);
    // Every generated file is a transcript, in every form.
    assert_eq!(docs.len(), lab.written.len());
    let lib = lab.library(&opts);
    let mut matched = 0;
    for q in queries(&texts(&docs), 200, 18) {
        let want = oracle(&docs, &q, None);
        let got = searched(&lab, &lib, &q, None);
        assert_eq!(got, want, "query {q:?}");
        matched += usize::from(!want.is_empty());
    }
    // The queries are not all misses, nor all hits.
    assert!((60..200).contains(&matched), "{matched} of 200 queries matched");
    // The planted words are where the generator put them, in whatever case.
    let planted: usize = lab.written.iter().map(|w| w.planted).sum();
    assert_eq!(searched(&lab, &lib, PLANTED, None).len(), planted);
    assert_eq!(searched(&lab, &lib, RARE, None).len(), 5);
}

#[test]
fn a_speaker_filter_keeps_the_turns_of_that_speaker_under_every_spelling() {
    let lab = lab();
    let opts = aliased();
    let docs = oracle_docs(lab.root(), &opts);
    let lib = lab.library(&opts);
    // The same person is written three ways across the files.
    for spelling in ["Satya Nadella", "Satya", "S. Nadella"] {
        assert!(lab.written.iter().any(|w| w.speakers.iter().any(|s| s == spelling)), "{spelling}");
    }
    let qs = queries(&texts(&docs), 40, 99);
    for (speaker, name) in
        [("Satya", "Satya Nadella"), ("s. nadella", "Satya Nadella"), ("张 伟", "张伟")]
    {
        let mut from = BTreeSet::new();
        for q in &qs {
            let want = oracle(&docs, q, Some(name));
            let got = searched(&lab, &lib, q, Some(speaker));
            assert_eq!(got, want, "query {q:?} said by {speaker:?}");
            from.extend(want.into_iter().map(|k| k.0));
        }
        if speaker == "Satya" {
            // Hits come from files of each spelling.
            let spelled: HashMap<String, &Written> =
                lab.written.iter().map(|w| (w.path.to_string_lossy().into_owned(), w)).collect();
            let spellings: BTreeSet<&str> = from
                .iter()
                .flat_map(|f| spelled[f].speakers.iter().map(String::as_str))
                .filter(|s| s.contains("Nadella") || *s == "Satya")
                .collect();
            assert_eq!(spellings.len(), 3, "{spellings:?}");
        }
    }
}

/// Searches of the library, a fresh one and `lib` after a refresh, against the oracle.
fn check_fresh(lab: &Lab, lib: &Library, queries: &[&str]) {
    let opts = ParseOptions::default();
    let docs = oracle_docs(lab.root(), &opts);
    let mut rows = 0;
    lib.refresh(&mut |r| {
        rows = r.len();
        true
    })
    .unwrap();
    assert_eq!(rows, docs.len());
    let fresh = lab.library(&opts);
    for q in queries {
        let want = oracle(&docs, q, None);
        assert_eq!(searched(lab, &fresh, q, None), want, "new library, query {q:?}");
        assert_eq!(searched(lab, lib, q, None), want, "refreshed library, query {q:?}");
    }
}

#[test]
fn searches_follow_files_edited_added_and_removed() {
    let lab = Lab::new(18, 40_000, 3);
    let opts = ParseOptions::default();
    let lib = lab.library(&opts);
    let words = ["Glimmerquox", "Brindlewump", PLANTED, RARE, CJK_WORD, "新词汇"];
    // Known first (an index, if there is one, is built).
    check_fresh(&lab, &lib, &words);
    assert!(searched(&lab, &lib, "Glimmerquox", None).is_empty());

    // Edited: a turn added to a Markdown file (it grows).
    let md = lab.root().join(corpus::path_of(0, corpus::Form::Markdown));
    let mut text = std::fs::read_to_string(&md).unwrap();
    text.push_str("\n**张伟：** 我们在 2026 年见到了 Glimmerquox 和新词汇。\n");
    std::fs::write(&md, &text).unwrap();
    // Edited in place: one word for another of the same length, the file a bit later.
    let srt = lab.root().join(corpus::path_of(3, corpus::Form::Srt));
    let text = std::fs::read_to_string(&srt).unwrap();
    let (at, word) = text
        .match_indices(|c: char| c.is_ascii_lowercase())
        .map(|(i, _)| i)
        .find_map(|i| {
            let w: String = text[i..].chars().take_while(char::is_ascii_lowercase).collect();
            (w.len() == 11 && !text[..i].ends_with(|c: char| c.is_ascii_alphabetic()))
                .then_some((i, w))
        })
        .expect("an 11-letter word");
    let edited = format!("{}{}{}", &text[..at], "brindlewump", &text[at + word.len()..]);
    assert_eq!(edited.len(), text.len());
    std::fs::write(&srt, &edited).unwrap();
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(3);
    std::fs::File::options().write(true).open(&srt).unwrap().set_modified(later).unwrap();
    check_fresh(&lab, &lib, &words);
    assert_eq!(searched(&lab, &lib, "Glimmerquox", None).len(), 1);
    assert!(!searched(&lab, &lib, "Brindlewump", None).is_empty());

    // Added, in a new folder.
    let added = lab.root().join("late/extra.vtt");
    std::fs::create_dir_all(added.parent().unwrap()).unwrap();
    std::fs::write(
        &added,
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Satya>Glimmerquox again, 新词汇。\n",
    )
    .unwrap();
    check_fresh(&lab, &lib, &words);
    assert_eq!(searched(&lab, &lib, "glimmerquox", None).len(), 2);

    // Removed: every file that holds the rare word.
    let rare: BTreeSet<String> =
        searched(&lab, &lib, RARE, None).into_iter().map(|k| k.0).collect();
    assert!(!rare.is_empty());
    for f in &rare {
        std::fs::remove_file(lab.root().join(f)).unwrap();
    }
    check_fresh(&lab, &lib, &words);
    assert!(searched(&lab, &lib, RARE, None).is_empty());
}

/// `fangtan search DIR QUERY --format json`: its lines as keys, the JSON of each checked.
fn cli_search(lab: &Lab, query: &str) -> Vec<Key> {
    let o = lab.cli(&["search", lab.root().to_str().unwrap(), query, "--format", "json"]);
    assert!(o.status.success(), "{query:?}: {}", String::from_utf8_lossy(&o.stderr));
    let mut out: Vec<Key> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let n = |v: &serde_json::Value| v.as_u64().unwrap() as usize;
            let line = v["line"].as_str().unwrap();
            let (a, b) = (n(&v["line_range"][0]), n(&v["line_range"][1]));
            assert!(line.get(a..b).is_some_and(|m| !m.is_empty()), "{l}");
            (
                lab.rel(Path::new(v["path"].as_str().unwrap())),
                n(&v["item"]),
                n(&v["block"]),
                n(&v["range"][0]),
                n(&v["range"][1]),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_command_line_searches_and_lists_the_generated_corpus() {
    let lab = Lab::new(27, 60_000, 11);
    let docs = oracle_docs(lab.root(), &ParseOptions::default());
    for q in queries(&texts(&docs), 12, 5) {
        assert_eq!(cli_search(&lab, &q), oracle(&docs, &q, None), "query {q:?}");
    }
    // Text lines: one a hit, the path first.
    let o = lab.cli(&["search", lab.root().to_str().unwrap(), PLANTED]);
    let text = String::from_utf8(o.stdout).unwrap();
    let planted: usize = lab.written.iter().map(|w| w.planted).sum();
    assert_eq!(text.lines().count(), planted);
    assert!(text.lines().all(|l| l.starts_with(lab.root().to_str().unwrap())), "{text}");

    let o = lab.cli(&["library", lab.root().to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
    let listed: BTreeMap<String, &serde_json::Value> =
        list.iter().map(|e| (lab.rel(Path::new(e["path"].as_str().unwrap())), e)).collect();
    assert_eq!(listed.len(), lab.written.len());
    for w in &lab.written {
        let e = listed[&*w.path.to_string_lossy()];
        let first: Vec<&str> = w.speakers.iter().take(3).map(String::as_str).collect();
        assert_eq!(e["speakers"], serde_json::json!(first), "{}", w.path.display());
        assert_eq!(e["speaker_count"], w.speakers.len(), "{}", w.path.display());
        if let Some(date) = &w.date {
            assert_eq!(e["date"], date.as_str(), "{}", w.path.display());
        }
        if let Some(title) = &w.title {
            assert_eq!(e["title"], title.as_str(), "{}", w.path.display());
        }
    }
}

/// Every file under `dir`, recursively.
fn cache_files(dir: &Path) -> Vec<PathBuf> {
    if !dir.exists() { Vec::new() } else { files(dir) }
}

#[test]
fn a_broken_cache_never_changes_results_nor_fails_the_command() {
    let lab = Lab::new(18, 40_000, 5);
    let root = lab.root().to_str().unwrap();
    let docs = oracle_docs(lab.root(), &ParseOptions::default());
    let qs = [PLANTED, CJK_WORD, RARE, "the"];
    let check = |when: &str| {
        for q in qs {
            assert_eq!(cli_search(&lab, q), oracle(&docs, q, None), "{when}: {q:?}");
        }
        let o = lab.cli(&["library", root, "--format", "json"]);
        assert!(o.status.success(), "{when}: {}", String::from_utf8_lossy(&o.stderr));
        let list: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(list.len(), docs.len(), "{when}");
        // Text lines too, with their exit status.
        let o = lab.cli(&["search", root, PLANTED]);
        assert!(o.status.success(), "{when}: {}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            o.stdout.iter().filter(|&&b| b == b'\n').count(),
            oracle(&docs, PLANTED, None).len()
        );
    };
    check("first run");
    // Garbage in every file the cache holds (whatever is there).
    let mut rng = Rng::new(1);
    for f in cache_files(lab.cache.path()) {
        let junk: Vec<u8> = (0..4096).map(|_| rng.next() as u8).collect();
        std::fs::write(&f, junk).unwrap();
    }
    check("garbage");
    // Every file cut short.
    for f in cache_files(lab.cache.path()) {
        let len = std::fs::metadata(&f).unwrap().len();
        std::fs::File::options().write(true).open(&f).unwrap().set_len(len / 3).unwrap();
    }
    check("truncated");
    // Every file emptied.
    for f in cache_files(lab.cache.path()) {
        std::fs::write(&f, b"").unwrap();
    }
    check("emptied");
    // A cache folder that cannot be written (root writes anyway: nothing to see then).
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if !is_root {
        use std::os::unix::fs::PermissionsExt;
        let dirs: Vec<PathBuf> = std::iter::once(lab.cache.path().to_path_buf())
            .chain(
                cache_files(lab.cache.path())
                    .iter()
                    .filter_map(|f| f.parent().map(Path::to_path_buf)),
            )
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for d in &dirs {
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
        check("read-only");
        for d in &dirs {
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    // A cache path that is a file, not a folder.
    let file = lab.data.path().join("not-a-folder");
    std::fs::write(&file, b"x").unwrap();
    let o = fangtan()
        .env("FANGTAN_DATA_DIR", lab.data.path())
        .env("FANGTAN_CACHE_DIR", &file)
        .args(["search", root, PLANTED, "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        o.stdout.iter().filter(|&&b| b == b'\n').count(),
        oracle(&docs, PLANTED, None).len()
    );
}

#[test]
fn the_command_line_follows_changes_between_runs() {
    // Each run may keep what it learnt in the cache folder: the next run must not trust
    // it for files that changed, came or went.
    let lab = Lab::new(18, 40_000, 13);
    let words = [PLANTED, RARE, CJK_WORD, "Glimmerquox"];
    let check = |when: &str| {
        let docs = oracle_docs(lab.root(), &ParseOptions::default());
        for q in words {
            assert_eq!(cli_search(&lab, q), oracle(&docs, q, None), "{when}: {q:?}");
        }
    };
    check("first run");
    let md = lab.root().join(corpus::path_of(9, corpus::Form::Markdown));
    let mut text = std::fs::read_to_string(&md).unwrap();
    text.push_str("\n**Satya：** Glimmerquox 在 2026 年。\n");
    std::fs::write(&md, text).unwrap();
    check("edited");
    std::fs::write(
        lab.root().join("season01/new.srt"),
        "1\n00:00:01,000 --> 00:00:02,000\nAda: glimmerquox 数据\n",
    )
    .unwrap();
    check("added");
    for w in lab.written.iter().filter(|w| w.planted > 0) {
        std::fs::remove_file(lab.root().join(&w.path)).unwrap();
    }
    check("removed");
    assert!(cli_search(&lab, PLANTED).is_empty());
}

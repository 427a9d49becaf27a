#![allow(clippy::unwrap_used)]
//! The library's index in the cache folder, as a user relies on it: searches through it
//! find exactly what reading every document finds (many queries over a generated mixed
//! corpus), it follows edits, additions and deletions, survives damaged files and a format
//! change, two libraries can share it, and `fangtan index DIR` builds it.

use std::path::{Path, PathBuf};

use fangtan::library::{Found, Library};
use fangtan_core::parse::ParseOptions;

use crate::cli::fangtan;

/// A small deterministic generator (no crate needed for a test corpus).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.next() % from.len()]
    }
}

const HAN: &[&str] = &[
    "数据", "搜索", "模型", "未来", "我们", "今天", "问题", "公司", "技术", "产品", "用户", "时间",
    "的", "了", "是", "在", "有", "人", "这", "个", "说", "中", "大", "为",
];
const WORDS: &[&str] = &[
    "search",
    "lantern",
    "model",
    "data",
    "future",
    "the",
    "and",
    "of",
    "we",
    "really",
    "think",
    "Zorvath",
    "quillmoss",
    "SEARCH",
    "Lantern",
    "team",
    "shipped",
    "ground",
    "rebuilt",
];
const SPEAKERS: &[&str] = &["张三", "Satya Nadella", "Satya", "Kevin Scott", "Host", "李四"];

fn sentence(rng: &mut Rng) -> String {
    let mut s = String::new();
    for _ in 0..(4 + rng.next() % 12) {
        if rng.next().is_multiple_of(2) {
            s.push_str(rng.pick(HAN));
        } else {
            // Latin inside Chinese with typesetting spaces, or plain.
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(rng.pick(WORDS));
            s.push(' ');
        }
        if rng.next().is_multiple_of(9) {
            s.push_str(&format!("{}年", 1990 + rng.next() % 30));
        }
    }
    s.trim().to_string()
}

fn markdown(rng: &mut Rng, turns: usize) -> String {
    let mut s = format!("---\ntitle: 第{}集\n---\n\n", rng.next() % 100);
    for t in 0..turns {
        if t.is_multiple_of(7) {
            s.push_str(&format!("## 第{}节 {}\n\n", t / 7, rng.pick(WORDS)));
        }
        let who = rng.pick(SPEAKERS);
        s.push_str(&format!("**{who}：** {}\n", sentence(rng)));
        // A hard-wrapped second line: a match may span the join.
        s.push_str(&format!("{}\n\n", sentence(rng)));
    }
    s
}

fn vtt(rng: &mut Rng, cues: usize) -> String {
    let mut s = "WEBVTT\n\n".to_string();
    for c in 0..cues {
        let who = rng.pick(SPEAKERS);
        s.push_str(&format!(
            "00:{:02}:{:02}.000 --> 00:{:02}:{:02}.500\n<v {who}>{}\n\n",
            c / 60,
            c % 60,
            c / 60,
            c % 60,
            sentence(rng)
        ));
    }
    s
}

fn srt(rng: &mut Rng, cues: usize) -> String {
    let mut s = String::new();
    for c in 0..cues {
        let who = rng.pick(SPEAKERS);
        s.push_str(&format!(
            "{}\n00:00:{:02},000 --> 00:00:{:02},500\n{who}: {}\n\n",
            c + 1,
            c % 60,
            c % 60,
            sentence(rng)
        ));
    }
    s
}

/// A mixed corpus: Markdown (one long enough for many chunks), WebVTT, SRT, plain text
/// with labels, a file that is no transcript, a binary one.
fn corpus(dir: &Path) {
    let mut rng = Rng(18);
    std::fs::create_dir_all(dir.join("s2")).unwrap();
    for i in 0..6 {
        std::fs::write(dir.join(format!("ep{i}.md")), markdown(&mut rng, 20 + i * 5)).unwrap();
    }
    std::fs::write(dir.join("long.md"), markdown(&mut rng, 900)).unwrap();
    std::fs::write(dir.join("s2/cues.vtt"), vtt(&mut rng, 80)).unwrap();
    std::fs::write(dir.join("s2/subs.srt"), srt(&mut rng, 50)).unwrap();
    let plain: String = (0..30)
        .map(|_| format!("{}: {}\n\n", rng.pick(&["Host", "Guest"]), sentence(&mut rng)))
        .collect();
    std::fs::write(dir.join("s2/plain.txt"), plain).unwrap();
    std::fs::write(dir.join("notes.txt"), "Just a note about search and 数据.\n").unwrap();
    std::fs::write(dir.join("blob.bin"), b"\0\0search\0").unwrap();
}

fn library(dir: &Path, cache: &Path) -> Library {
    Library::open(vec![dir.to_path_buf()], ParseOptions::default(), None)
        .unwrap()
        .with_cache_root(cache)
}

type Results = Vec<(PathBuf, Found)>;

fn search(lib: &Library, q: &str, speaker: Option<&str>) -> Results {
    let mut out = Vec::new();
    lib.search(q, speaker, &mut |p, f| {
        out.push((p.to_path_buf(), f));
        true
    })
    .unwrap();
    out
}

fn scan(lib: &Library, q: &str, speaker: Option<&str>) -> Results {
    let mut out = Vec::new();
    lib.scan(q, speaker, &mut |p, f| {
        out.push((p.to_path_buf(), f));
        true
    })
    .unwrap();
    out
}

fn hits(r: &Results) -> usize {
    r.iter().filter(|(_, f)| matches!(f, Found::Hit(_))).count()
}

fn refresh(lib: &Library) -> Vec<fangtan::library::Entry> {
    let mut rows = Vec::new();
    lib.refresh(&mut |r| {
        rows = r;
        true
    })
    .unwrap();
    rows
}

fn segments(lib: &Library) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(lib.cache_dir().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "seg"))
        .collect();
    v.sort();
    v
}

/// Queries of every kind: CJK of 1 to 4 characters, ASCII words in any case, mixed, with
/// spaces (typesetting ones too), a year, a regex, and some that find nothing.
fn queries() -> Vec<String> {
    let mut rng = Rng(200);
    let mut q: Vec<String> = [
        "数",
        "数据",
        "数据搜",
        "数据搜索",
        "的人",
        "SEARCH",
        "search",
        "Lantern",
        "zorvath",
        "quillmoss",
        "the ground",
        "search 的",
        "数据 search",
        "数据search",
        "1999年",
        "1999 年",
        "未来 lantern",
        "\\vsea?rch",
        "\\v数据|模型",
        "xyzzy",
        "模型未来我们",
        "ea",
        "e",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for _ in 0..40 {
        let n = 1 + rng.next() % 4;
        let s: String = (0..n).map(|_| rng.pick(HAN)).collect::<String>().chars().take(n).collect();
        q.push(s);
        q.push(format!("{} {}", rng.pick(WORDS), rng.pick(WORDS)));
    }
    q
}

#[test]
fn searches_through_the_index_find_what_reading_every_document_finds() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let lib = library(dir.path(), cache.path());
    assert!(lib.cached_rows().is_empty(), "nothing cached yet");
    let rows = refresh(&lib);
    assert_eq!(rows.len(), 10, "{:?}", rows.iter().map(|r| &r.path).collect::<Vec<_>>());
    assert!(!segments(&lib).is_empty(), "the index is written to the cache folder");
    // The rows come back from the cache at once, as refresh gave them.
    let cached = lib.cached_rows();
    assert_eq!(
        cached.iter().map(|r| (&r.path, &r.summary, &r.date)).collect::<Vec<_>>(),
        rows.iter().map(|r| (&r.path, &r.summary, &r.date)).collect::<Vec<_>>()
    );
    let mut total = 0;
    for q in queries() {
        let indexed = search(&lib, &q, None);
        assert_eq!(indexed, scan(&lib, &q, None), "query {q:?}");
        total += hits(&indexed);
    }
    assert!(total > 1000, "the queries find things: {total}");
    for (q, who) in [("search", "Satya"), ("数据", "张三"), ("the", "kevin")] {
        let indexed = search(&lib, q, Some(who));
        assert!(hits(&indexed) > 0, "{q} @{who}");
        assert_eq!(indexed, scan(&lib, q, Some(who)), "{q} @{who}");
    }
    assert_eq!(lib.take_warning(), None);
}

#[test]
fn edits_additions_and_deletions_show_in_the_next_search() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let lib = library(dir.path(), cache.path());
    refresh(&lib);
    let before = segments(&lib);
    // Edited (a new word, and a different size), added, removed.
    let ep1 = dir.path().join("ep1.md");
    let mut text = std::fs::read_to_string(&ep1).unwrap();
    text.push_str("\n**Host：** a brand new word: plonkwhistle 新词语\n");
    std::fs::write(&ep1, text).unwrap();
    std::fs::write(dir.path().join("s2/added.md"), "**Guest:** plonkwhistle again 新词语\n")
        .unwrap();
    std::fs::remove_file(dir.path().join("ep2.md")).unwrap();
    // Not refreshed yet: the search reads what changed, and is right at once.
    for q in ["plonkwhistle", "新词语", "search"] {
        let r = search(&lib, q, None);
        assert_eq!(r, scan(&lib, q, None), "{q}");
    }
    assert_eq!(hits(&search(&lib, "plonkwhistle", None)), 2);
    assert!(search(&lib, "search", None).iter().all(|(p, _)| !p.ends_with("ep2.md")));
    let rows = refresh(&lib);
    assert!(rows.iter().any(|r| r.path.ends_with("s2/added.md")));
    assert!(!rows.iter().any(|r| r.path.ends_with("ep2.md")));
    assert_ne!(segments(&lib), before, "the changes were indexed");
    for q in ["plonkwhistle", "新词语", "search", "数据"] {
        assert_eq!(search(&lib, q, None), scan(&lib, q, None), "{q}");
    }
    assert_eq!(hits(&search(&lib, "plonkwhistle", None)), 2);
    // A file saved again unchanged (a new time, the same text) keeps its index.
    let now = std::fs::read(&ep1).unwrap();
    std::fs::write(&ep1, now).unwrap();
    let kept = segments(&lib);
    refresh(&lib);
    assert_eq!(segments(&lib), kept);
}

#[test]
fn a_damaged_cache_never_changes_an_answer() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let lib = library(dir.path(), cache.path());
    refresh(&lib);
    let expected: Vec<Results> =
        ["数据", "lantern", "the ground"].iter().map(|q| scan(&lib, q, None)).collect();
    // Every segment cut short or overwritten in the middle.
    for (i, seg) in segments(&lib).iter().enumerate() {
        let mut bytes = std::fs::read(seg).unwrap();
        if i % 2 == 0 {
            bytes.truncate(bytes.len() / 2);
        } else {
            let n = bytes.len();
            bytes[n / 2..].iter_mut().for_each(|b| *b = b.wrapping_add(77));
        }
        std::fs::write(seg, bytes).unwrap();
    }
    for (q, want) in ["数据", "lantern", "the ground"].iter().zip(&expected) {
        assert_eq!(&search(&lib, q, None), want, "{q}");
    }
    assert!(lib.take_warning().is_some(), "the damage is told once");
    // A manifest that is no JSON: rebuilt by the next refresh, right before and after.
    std::fs::write(lib.cache_dir().unwrap().join("manifest.json"), "{not json").unwrap();
    assert!(lib.cached_rows().is_empty());
    assert_eq!(search(&lib, "数据", None), expected[0]);
    assert_eq!(refresh(&lib).len(), 10);
    assert_eq!(lib.cached_rows().len(), 10);
    for (q, want) in ["数据", "lantern", "the ground"].iter().zip(&expected) {
        assert_eq!(&search(&lib, q, None), want, "{q}");
    }
}

#[test]
fn another_format_version_rebuilds_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let lib = library(dir.path(), cache.path());
    refresh(&lib);
    let old = segments(&lib);
    let manifest = lib.cache_dir().unwrap().join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    assert!(text.contains("\"version\":1"), "{}", &text[..80]);
    std::fs::write(&manifest, text.replacen("\"version\":1", "\"version\":999", 1)).unwrap();
    assert!(lib.cached_rows().is_empty(), "a manifest of another version is not read");
    refresh(&lib);
    let new = segments(&lib);
    assert!(!new.is_empty());
    assert!(old.iter().all(|o| !new.contains(o)), "every segment written anew");
    assert_eq!(search(&lib, "数据", None), scan(&lib, "数据", None));
    // Written by another fangtan (which may parse documents otherwise): rebuilt too.
    let text = std::fs::read_to_string(&manifest).unwrap();
    let ours = format!("\"built_by\":\"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(text.contains(&ours), "{}", &text[..120]);
    std::fs::write(&manifest, text.replacen(&ours, "\"built_by\":\"0.0.1\"", 1)).unwrap();
    assert!(lib.cached_rows().is_empty(), "a manifest of another fangtan is not read");
}

#[test]
fn two_libraries_share_one_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let a = library(dir.path(), cache.path());
    // One of them indexing on one thread (as a reader on two cores would).
    let b = library(dir.path(), cache.path()).with_index_threads(1);
    assert_eq!(a.cache_dir(), b.cache_dir());
    std::thread::scope(|s| {
        s.spawn(|| refresh(&a));
        s.spawn(|| refresh(&b));
    });
    assert_eq!(a.cached_rows().len(), 10);
    for q in ["数据", "lantern"] {
        assert_eq!(search(&a, q, None), scan(&b, q, None));
        assert_eq!(search(&b, q, None), scan(&a, q, None));
    }
}

#[test]
fn fangtan_index_builds_then_only_updates() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let index = |format: &str| {
        let o = fangtan()
            .env("FANGTAN_CACHE_DIR", cache.path())
            .args(["index", dir.path().to_str().unwrap(), "--format", format])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(o.stderr.is_empty(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let v: serde_json::Value = serde_json::from_str(&index("json")).unwrap();
    assert_eq!(v["documents"], 10);
    assert_eq!(v["read_documents"], 11, "every file read once, no transcript or not");
    assert!(v["index_bytes"].as_u64().unwrap() > 0);
    assert!(v["corpus_bytes"].as_u64().unwrap() > 100_000);
    assert!(Path::new(v["cache"].as_str().unwrap()).starts_with(cache.path()));
    let text = index("text");
    assert!(
        text.starts_with("10 documents, ") && text.contains("read and indexed 0 documents"),
        "{text}"
    );
    // `fangtan search` goes through it and prints what a scan prints.
    let search = |cache: &Path| {
        let o = fangtan()
            .env("FANGTAN_CACHE_DIR", cache)
            .args(["search", dir.path().to_str().unwrap(), "数据 search", "--format", "json"])
            .output()
            .unwrap();
        assert!(o.status.success());
        String::from_utf8(o.stdout).unwrap()
    };
    let empty = tempfile::tempdir().unwrap();
    let found = search(cache.path());
    assert!(!found.is_empty());
    assert_eq!(found, search(empty.path()));
}

#[test]
fn a_cache_folder_that_cannot_be_written_only_costs_one_line() {
    let dir = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let blocked = tempfile::tempdir().unwrap();
    // A file where the cache folder should be: nothing can be made under it.
    let cache = blocked.path().join("cache");
    std::fs::write(&cache, "not a folder").unwrap();
    let run =
        |args: &[&str]| fangtan().env("FANGTAN_CACHE_DIR", &cache).args(args).output().unwrap();
    let o = run(&["library", dir.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().count(), 10);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("cache"), "{err}");
    let o = run(&["search", dir.path().to_str().unwrap(), "数据"]);
    assert!(o.status.success());
    assert!(!o.stdout.is_empty());
}

#[test]
fn a_manifest_pointing_at_another_documents_chunks_is_caught() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let lib = library(dir.path(), cache.path());
    refresh(&lib);
    let path = lib.cache_dir().unwrap().join("manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    // Two documents of one segment given each other's chunks.
    let docs = m["docs"].as_array_mut().unwrap();
    let mut pair = None;
    'find: for i in 0..docs.len() {
        for j in i + 1..docs.len() {
            if !docs[i]["segment"].is_null() && docs[i]["segment"] == docs[j]["segment"] {
                pair = Some((i, j));
                break 'find;
            }
        }
    }
    let (i, j) = pair.expect("two documents in one segment");
    let chunks = docs[i]["chunks"].clone();
    docs[i]["chunks"] = docs[j]["chunks"].clone();
    docs[j]["chunks"] = chunks;
    std::fs::write(&path, serde_json::to_vec(&m).unwrap()).unwrap();
    for q in ["数据", "lantern"] {
        assert_eq!(search(&lib, q, None), scan(&lib, q, None), "{q}");
    }
    assert!(lib.take_warning().is_some());
}

#[test]
fn a_folder_searched_from_the_command_line_gets_its_index() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let run = |args: &[&str]| {
        let o = fangtan().env("FANGTAN_CACHE_DIR", cache.path()).args(args).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let root = dir.path().to_str().unwrap();
    assert!(!run(&["search", root, "数据"]).is_empty());
    // The search indexed the folder on its way: nothing is left to read.
    let v: serde_json::Value =
        serde_json::from_str(&run(&["index", root, "--format", "json"])).unwrap();
    assert_eq!(v["documents"], 10);
    assert_eq!(v["read_documents"], 0, "{v}");
}

#[test]
fn another_spelling_of_the_folder_is_the_same_index_and_paths_print_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let run = |cwd: &Path, args: &[&str]| {
        let o = fangtan()
            .env("FANGTAN_CACHE_DIR", cache.path())
            .current_dir(cwd)
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let root = dir.path().to_str().unwrap();
    run(dir.path(), &["index", root]);
    // `.` from inside it, and the path with a detour: nothing to read again.
    let v: serde_json::Value =
        serde_json::from_str(&run(dir.path(), &["index", ".", "--format", "json"])).unwrap();
    assert_eq!(v["read_documents"], 0, "{v}");
    let detour = format!("{root}/../{}", dir.path().file_name().unwrap().to_str().unwrap());
    let v: serde_json::Value =
        serde_json::from_str(&run(dir.path(), &["index", &detour, "--format", "json"])).unwrap();
    assert_eq!(v["read_documents"], 0, "{v}");
    // Paths print under the folder as it was typed.
    let found = run(dir.path(), &["search", ".", "数据"]);
    assert!(found.lines().all(|l| l.starts_with("./")), "{found}");
    let listed = run(dir.path(), &["library", "."]);
    assert!(listed.lines().all(|l| l.contains("\t./")), "{listed}");
}

#[test]
fn a_file_name_that_is_not_utf8_is_listed_not_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let name = std::ffi::OsStr::from_bytes(b"talk-\xff.md");
    std::fs::write(dir.path().join(name), "**Host:** Hello there.\n\n**Guest:** Hi.\n").unwrap();
    let o = fangtan()
        .env("FANGTAN_CACHE_DIR", cache.path())
        .args(["library", dir.path().to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert!(v[0]["path"].as_str().unwrap().ends_with("talk-\u{fffd}.md"), "{v}");
}

#[test]
fn an_edit_that_keeps_size_and_time_is_still_seen() {
    let dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    corpus(dir.path());
    let lib = library(dir.path(), cache.path());
    refresh(&lib);
    // As `cp -p` or `rsync -t` leave it: other words, the same size, the old time.
    let ep3 = dir.path().join("ep3.md");
    let time = std::fs::metadata(&ep3).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&ep3).unwrap();
    let first = text.find("**").unwrap();
    let edited = format!("{}**Host:** zyxwvu.{}", &text[..first], &text[first + 17..]);
    assert_eq!(edited.len(), text.len());
    std::fs::write(&ep3, &edited).unwrap();
    std::fs::File::options().write(true).open(&ep3).unwrap().set_modified(time).unwrap();
    assert_eq!(std::fs::metadata(&ep3).unwrap().modified().unwrap(), time);
    assert_eq!(hits(&search(&lib, "zyxwvu", None)), 1, "read before the refresh");
    refresh(&lib);
    assert_eq!(hits(&search(&lib, "zyxwvu", None)), 1, "and indexed after it");
    assert_eq!(search(&lib, "zyxwvu", None), scan(&lib, "zyxwvu", None));
}

#![allow(clippy::unwrap_used)]
//! A folder of transcripts as a user meets it: `fangtan library DIR`, `fangtan search DIR
//! QUERY` and `fangtan DIR`, over a small corpus made here (Chinese and English, several
//! formats, one speaker under two spellings, files that are no transcripts, a hidden
//! folder and a loop of links).

use std::path::{Path, PathBuf};
use std::process::Output;

use fangtan::store::Store;
use fangtan_core::library::{Corpus, Found, Scan};
use fangtan_core::parse::ParseOptions;
use fangtan_core::store::{Anchor, DocId, Marks};

use crate::cli::{fails_with, fangtan};

const EP1: &str = "---
title: 第一集：搜索的未来
date: 2024-05-01
---

## 开场

**张三：** 今天我们聊聊 search 的未来，还有 AI。

**Satya Nadella：** Search is changing. 我们在 2024 年重新做了搜索。

## 结尾

**张三：** 谢谢 Satya。
";

const EP2: &str = "WEBVTT

00:00:01.000 --> 00:00:04.000
<v Satya>We rebuilt SEARCH from the ground up.

00:01:05.000 --> 00:01:09.000
<v Kevin Scott>And the 搜索 team shipped it.
";

const EP3: &str = "1
00:00:02,000 --> 00:00:05,000
Alice: nothing about the topic here.

2
00:00:06,000 --> 00:00:08,000
Bob: still nothing.
";

/// The corpus: three transcripts, and what must not be listed.
fn corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("ep1.md"), EP1).unwrap();
    std::fs::create_dir_all(p.join("season2/deep")).unwrap();
    std::fs::write(p.join("season2/ep2.vtt"), EP2).unwrap();
    std::fs::write(p.join("season2/deep/ep3.srt"), EP3).unwrap();
    // Not listed: hidden, binary, no transcript (nobody speaks, nothing timed).
    std::fs::create_dir_all(p.join(".cache")).unwrap();
    std::fs::write(p.join(".cache/copy.md"), EP1).unwrap();
    std::fs::write(p.join(".hidden.md"), EP1).unwrap();
    std::fs::write(p.join("photo.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR search").unwrap();
    std::fs::write(p.join("notes.txt"), "Just a note about search.\n").unwrap();
    // A link to the folder itself: followed once, never round and round.
    std::os::unix::fs::symlink(p, p.join("season2/loop")).unwrap();
    dir
}

fn run(args: &[&str], data: &Path) -> Output {
    fangtan().env("FANGTAN_DATA_DIR", data).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "stderr: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn json_list(dir: &Path, data: &Path) -> Vec<serde_json::Value> {
    let o = run(&["library", dir.to_str().unwrap(), "--format", "json"], data);
    let text = stdout(&o);
    let list: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    // Each field once (a parser would take the last of two silently).
    assert_eq!(text.matches("\"date\":").count(), list.len(), "{text}");
    list
}

/// Paths relative to the corpus, as printed.
fn rel(dir: &Path, path: &str) -> String {
    Path::new(path).strip_prefix(dir).unwrap().to_string_lossy().into_owned()
}

#[test]
fn a_folder_lists_its_transcripts_by_content_skipping_the_rest() {
    let dir = corpus();
    let data = tempfile::tempdir().unwrap();
    let list = json_list(dir.path(), data.path());
    let paths: Vec<String> =
        list.iter().map(|e| rel(dir.path(), e["path"].as_str().unwrap())).collect();
    assert_eq!(paths, ["ep1.md", "season2/deep/ep3.srt", "season2/ep2.vtt"]);

    let ep1 = &list[0];
    assert_eq!(ep1["title"], "第一集：搜索的未来");
    assert_eq!(ep1["date"], "2024-05-01");
    assert_eq!(ep1["speakers"], serde_json::json!(["张三", "Satya Nadella"]));
    assert_eq!(ep1["estimated"], true);
    assert_eq!(ep1["bookmarks"], 0);
    assert_eq!(ep1["progress"], serde_json::Value::Null);
    // No title: the file's name; no date in it: the file's day.
    let ep2 = &list[2];
    assert_eq!(ep2["title"], "ep2.vtt");
    let day = ep2["date"].as_str().unwrap();
    assert!(day.len() == 10 && day.as_bytes()[4] == b'-', "{day}");
    assert_eq!(ep2["speakers"], serde_json::json!(["Satya", "Kevin Scott"]));
    assert_eq!(ep2["estimated"], false);
    // Spoken time: its cues' lengths.
    assert_eq!(ep2["seconds"], 7.0);
}

#[test]
fn the_list_shows_reading_progress_and_bookmarks_from_the_store() {
    let dir = corpus();
    let data = tempfile::tempdir().unwrap();
    let path = dir.path().join("ep1.md");
    let doc = fangtan::load::read(&path, None, &ParseOptions::default()).unwrap();
    let mut marks = Marks::new(DocId::for_doc(&path, &doc));
    let last = doc.items.len() - 1;
    marks.toggle(&doc, Anchor::at(&doc, 2, 0), 1_000);
    marks.set_position(&doc, Anchor::at(&doc, last, 0), 2_000);
    Store::new(data.path()).save(&mut marks, &doc).unwrap();

    let list = json_list(dir.path(), data.path());
    assert_eq!(list[0]["bookmarks"], 1);
    assert_eq!(list[0]["progress"], 1.0);
    assert_eq!(list[0]["last_read"], 2_000);
    assert_eq!(list[1]["bookmarks"], 0);
    // The text list says the same, a tab between fields.
    let text = stdout(&run(&["library", dir.path().to_str().unwrap()], data.path()));
    let first: Vec<&str> = text.lines().next().unwrap().split('\t').collect();
    assert_eq!(
        first[..6],
        ["2024-05-01", "~0:08", "100%", "1", "第一集：搜索的未来", "张三, Satya Nadella"]
    );
}

#[test]
fn a_folder_given_to_the_reader_prints_its_list_for_now() {
    let dir = corpus();
    let data = tempfile::tempdir().unwrap();
    let listed = stdout(&run(&["library", dir.path().to_str().unwrap()], data.path()));
    let bare = stdout(&run(&[dir.path().to_str().unwrap()], data.path()));
    assert_eq!(bare, listed);
    assert_eq!(bare.lines().count(), 3);
    // A place to open at means a document.
    fails_with(&run(&["+3", dir.path().to_str().unwrap()], data.path()), "give a FILE");
}

#[test]
fn a_folder_that_is_not_there_is_one_line_of_error() {
    let data = tempfile::tempdir().unwrap();
    let missing = data.path().join("nowhere");
    fails_with(&run(&["library", missing.to_str().unwrap()], data.path()), "nowhere");
    fails_with(&run(&["search", missing.to_str().unwrap(), "x"], data.path()), "nowhere");
    let file = data.path().join("a.md");
    std::fs::write(&file, EP1).unwrap();
    fails_with(&run(&["search", file.to_str().unwrap(), "x"], data.path()), "not a folder");
}

/// `fangtan search` text lines, the corpus's path taken off each.
fn search(dir: &Path, args: &[&str]) -> Vec<String> {
    let data = tempfile::tempdir().unwrap();
    let mut all = vec!["search", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    let prefix = format!("{}/", dir.display());
    stdout(&run(&all, data.path()))
        .lines()
        .map(|l| l.strip_prefix(&prefix).unwrap_or(l).to_string())
        .collect()
}

#[test]
fn search_finds_what_the_reader_finds_in_every_document() {
    let dir = corpus();
    // Case folded, grouped by document in path order, each with time, speaker, section.
    assert_eq!(
        search(dir.path(), &["search"]),
        [
            "ep1.md::张三:开场: 今天我们聊聊 search 的未来，还有 AI。",
            "ep1.md::Satya Nadella:开场: Search is changing. 我们在 2024 年重新做了搜索。",
            "season2/ep2.vtt:0:01:Satya:: We rebuilt SEARCH from the ground up.",
        ]
    );
    // Chinese without word boundaries; the spaces between Chinese and Latin do not count.
    let hits = search(dir.path(), &["search的未来"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    let hits = search(dir.path(), &["搜索"]);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits[1].starts_with("season2/ep2.vtt:1:05:Kevin Scott::"), "{hits:?}");
    let hits = search(dir.path(), &["2024年"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    // Nothing found: nothing printed, and no error.
    assert!(search(dir.path(), &["lantern"]).is_empty());
}

#[test]
fn search_by_speaker_honours_spellings_and_aliases() {
    let dir = corpus();
    // A part of the name finds both spellings.
    let hits = search(dir.path(), &["search", "--speaker", "satya"]);
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits.iter().all(|h| h.contains(":Satya")), "{hits:?}");
    let hits = search(dir.path(), &["search", "--speaker", "张三"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    // An alias of the configuration names the speaker.
    let cfg = dir.path().join(".fangtan.toml");
    std::fs::write(&cfg, "[speakers.aliases]\n\"Nadella\" = \"Satya\"\n").unwrap();
    let hits =
        search(dir.path(), &["search", "--speaker", "nadella", "--config", cfg.to_str().unwrap()]);
    assert_eq!(hits.len(), 2, "{hits:?}");
}

#[test]
fn search_as_json_lines_names_each_field() {
    let dir = corpus();
    let hits = search(dir.path(), &["rebuilt", "--format", "json"]);
    assert_eq!(hits.len(), 1);
    let v: serde_json::Value = serde_json::from_str(&hits[0]).unwrap();
    assert_eq!(rel(dir.path(), v["path"].as_str().unwrap()), "season2/ep2.vtt");
    assert_eq!(v["speaker"], "Satya");
    assert_eq!(v["time"], "0:01");
    assert_eq!(v["start_ms"], 1000);
    let line = v["line"].as_str().unwrap();
    let r = &v["line_range"];
    let (s, e) = (r[0].as_u64().unwrap() as usize, r[1].as_u64().unwrap() as usize);
    assert_eq!(&line[s..e], "rebuilt");
}

#[test]
fn a_corpus_search_hands_documents_on_in_order_and_can_be_stopped() {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = (0..12)
        .map(|i| {
            let p = dir.path().join(format!("{i:02}.md"));
            // Longer documents first, so that later ones finish first on another thread.
            let body = "**A：** word 词 word\n\n".repeat(400 - i * 30);
            std::fs::write(&p, body).unwrap();
            p
        })
        .collect();
    let corpus = Scan::new(paths, ParseOptions::default());
    let mut order = Vec::new();
    corpus
        .search("词", None, &mut |f| {
            if let Found::Done { doc, hits } = f {
                order.push((doc, hits));
            }
            true
        })
        .unwrap();
    let want: Vec<(usize, usize)> = (0..12).map(|i| (i, 400 - i * 30)).collect();
    assert_eq!(order, want);
    // The sink says stop: nothing more comes.
    let mut seen = 0;
    corpus
        .search("word", None, &mut |_| {
            seen += 1;
            seen < 5
        })
        .unwrap();
    assert_eq!(seen, 5);
    // A regex that does not compile is an error, not a panic.
    assert!(corpus.search("\\v(", None, &mut |_| true).is_err());
}

#[test]
fn a_corpus_search_finds_what_the_readers_search_finds_in_each_document() {
    // Every query over every document: the scan's hits are the reader's matches
    // (`search::find_all`, what `/` highlights), document by document, in order.
    let dir = corpus();
    let mut paths = fangtan::library::discover(dir.path()).unwrap();
    paths.sort();
    let opts = ParseOptions::default();
    let corpus = Scan::new(paths.clone(), opts.clone());
    for query in [
        "search",
        "SEARCH",
        "搜索",
        "的",
        "2024年",
        "search 的",
        "e",
        "Satya",
        "谢谢 Satya",
        "\\vre\\w+t",
    ] {
        let mut got: Vec<(usize, usize, usize, std::ops::Range<usize>)> = Vec::new();
        corpus
            .search(query, None, &mut |f| {
                if let Found::Hit(h) = f {
                    got.push((h.doc, h.item, h.block, h.range));
                }
                true
            })
            .unwrap();
        let mut want = Vec::new();
        for (i, p) in paths.iter().enumerate() {
            let doc = fangtan::load::read(p, None, &opts).unwrap();
            if !fangtan_core::library::is_transcript(&doc) {
                continue;
            }
            for m in fangtan::search::find_all(&doc, query) {
                want.push((i, m.item, m.block, m.range));
            }
        }
        assert_eq!(got, want, "{query}");
        assert!(!want.is_empty(), "{query}");
    }
}

#[test]
fn a_file_name_with_control_characters_reaches_the_terminal_harmless() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("evil\u{1b}[2J.md"), EP1).unwrap();
    let data = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    for args in [&["library", d][..], &["search", d, "search"]] {
        let out = stdout(&run(args, data.path()));
        assert!(!out.contains('\u{1b}'), "{out:?}");
        assert!(out.contains("evil\u{241b}[2J.md"), "{out:?}");
    }
}

#![allow(clippy::unwrap_used)]
//! The fuzz targets of `fuzz/` as proptests, so `cargo test` on stable runs the same checks
//! (`fangtan::fuzzing`): each target replays its seed corpus (`fuzz/seeds/TARGET`) and runs
//! on inputs built from the dictionary's markup tokens (`fuzz/markup.dict`), random bytes
//! and splices into the seeds. Inputs a fuzz run found are kept below as regression cases.

use std::path::{Path, PathBuf};

use fangtan::fuzzing;
use proptest::prelude::*;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of `fuzz/seeds/TARGET`, sorted.
fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = fuzz_dir().join("seeds").join(target);
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .map(|p| {
            (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seeds in {}", dir.display());
    out
}

/// The values of `fuzz/markup.dict`, unescaped as libFuzzer does (`\\`, `\"`, `\xNN`).
fn dictionary() -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(fuzz_dir().join("markup.dict")).unwrap();
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (Some(l), Some(r)) = (line.find('"'), line.rfind('"')) else {
            panic!("not a dictionary entry: {line}")
        };
        assert!(l < r, "not a dictionary entry: {line}");
        let inner = &line.as_bytes()[l + 1..r];
        let mut value = Vec::new();
        let mut i = 0;
        while i < inner.len() {
            let b = inner[i];
            assert!(b.is_ascii_graphic() || b == b' ', "libFuzzer refuses byte {b:#x}: {line}");
            if b == b'\\' {
                match inner.get(i + 1) {
                    Some(b'x') => {
                        let hex = std::str::from_utf8(&inner[i + 2..i + 4]).unwrap();
                        value.push(u8::from_str_radix(hex, 16).unwrap());
                        i += 4;
                    }
                    Some(&c @ (b'\\' | b'"')) => {
                        value.push(c);
                        i += 2;
                    }
                    other => panic!("bad escape {other:?}: {line}"),
                }
            } else {
                value.push(b);
                i += 1;
            }
        }
        out.push(value);
    }
    out
}

/// Token soup: dictionary tokens, short random byte runs and CJK text, end to end.
fn soup() -> impl Strategy<Value = Vec<u8>> {
    let dict = dictionary();
    let part = prop_oneof![
        4 => prop::sample::select(dict),
        2 => prop::collection::vec(any::<u8>(), 0..6),
        2 => "[a-z ]{1,12}|[\u{4E00}-\u{4E40}，。]{1,10}".prop_map(String::into_bytes),
    ];
    prop::collection::vec(part, 0..48).prop_map(|v| v.concat())
}

/// A seed of `target` with a run of its bytes replaced by dictionary tokens or random bytes.
fn spliced(target: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let seeds: Vec<Vec<u8>> = seeds(target).into_iter().map(|(_, b)| b).collect();
    let insert =
        prop_oneof![prop::sample::select(dictionary()), prop::collection::vec(any::<u8>(), 0..8),];
    (prop::sample::select(seeds), any::<prop::sample::Index>(), 0usize..16, insert).prop_map(
        |(mut seed, at, cut, insert)| {
            let at = at.index(seed.len() + 1);
            let end = (at + cut).min(seed.len());
            seed.splice(at..end, insert);
            seed
        },
    )
}

/// `n` cases; a failure is reported, not kept in a file (what fuzz runs found is kept below).
fn cases(n: u32) -> ProptestConfig {
    ProptestConfig { cases: n, failure_persistence: None, ..ProptestConfig::default() }
}

fn input(target: &'static str) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![soup(), spliced(target)]
}

#[test]
fn the_dictionary_reads_as_libfuzzer_reads_it() {
    let dict = dictionary();
    assert!(dict.len() > 100, "{} tokens", dict.len());
    for token in ["**", "](", "<!--", "WEBVTT", " --> ", "<v ", "：", "[00:00:01]"] {
        assert!(dict.iter().any(|d| d == token.as_bytes()), "{token:?} missing");
    }
}

/// Run a target on each of its seeds, naming the seed that fails.
fn replay(target: &str, run: impl Fn(&[u8])) {
    for (name, bytes) in seeds(target) {
        eprintln!("{target}: {name}");
        run(&bytes);
    }
}

#[test]
fn parse_dump_replays_its_seeds() {
    replay("parse_dump", fuzzing::parse_dump);
}

#[test]
fn wrap_replays_its_seeds() {
    replay("wrap", fuzzing::wrap);
}

#[test]
fn config_replays_its_seeds() {
    replay("config", fuzzing::config);
}

#[test]
fn store_json_replays_its_seeds() {
    let dir = tempfile::tempdir().unwrap();
    replay("store_json", |bytes| fuzzing::store_json(dir.path(), bytes));
}

proptest! {
    #![proptest_config(cases(200))]

    #[test]
    fn parse_dump_twin(bytes in input("parse_dump")) {
        fuzzing::parse_dump(&bytes);
    }

    #[test]
    fn wrap_twin(bytes in input("wrap")) {
        fuzzing::wrap(&bytes);
    }

    #[test]
    fn config_twin(bytes in input("config")) {
        fuzzing::config(&bytes);
    }
}

proptest! {
    // Each case saves to disk (with syncs): fewer cases.
    #![proptest_config(cases(48))]

    #[test]
    fn store_json_twin(bytes in input("store_json")) {
        let dir = tempfile::tempdir().unwrap();
        fuzzing::store_json(dir.path(), &bytes);
    }
}

// --- what fuzz runs found -----------------------------------------------------------------

/// `wrap`, 521 s into its first run: a space followed by U+FE0F (emoji presentation
/// selector). UAX #14 allows a break between them (LB10 takes a mark after a space as a
/// letter), so the layout measures the space (1 cell) and the selector (0) apart, while the
/// row is drawn by grapheme clusters and `grapheme_width(" \u{fe0f}")` is 2: the row
/// "ab \u{fe0f}cd" is laid out as 5 cells at width 5 and drawn as 6 (and at width 4 the
/// second row starts with the lone selector). Fixed: the selector widens no space, and no
/// row ends before a selector, mark or joiner.
#[test]
fn wrap_found_a_space_and_emoji_selector_overflowing_the_row() {
    let mut input = vec![5u8, 0];
    input.extend_from_slice("ab \u{fe0f}cd".as_bytes());
    fuzzing::wrap(&input);
    input[0] = 4;
    fuzzing::wrap(&input);
}

/// Writes the store seeds (`fuzz/seeds/store_json`) with the store's own code:
/// `cargo test --test integration -- --ignored write_store_seeds`.
#[test]
#[ignore]
fn write_store_seeds() {
    use fangtan::parse::{ParseOptions, parse};
    use fangtan::store::{Anchor, Marks, Store};

    let out = fuzz_dir().join("seeds").join("store_json");
    let doc = parse(fuzzing::SAMPLE_TRANSCRIPT.to_string(), &ParseOptions::default());
    let id = fuzzing::sample_id(&doc);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let paragraphs: Vec<Anchor> = (0..doc.items.len())
        .flat_map(|i| (0..doc.item_blocks(i).len()).map(move |b| (i, b)))
        .map(|(i, b)| Anchor::at(&doc, i, b))
        .collect();
    assert!(paragraphs.len() >= 4, "{paragraphs:?}");
    let now = 1_764_370_000_000;
    let saved = |marks: &mut Marks| {
        store.save(marks, &doc).unwrap();
        let bytes = std::fs::read(store.path_for(&id)).unwrap();
        std::fs::remove_file(store.path_for(&id)).unwrap();
        bytes
    };
    let mut files: Vec<(&str, Vec<u8>)> = Vec::new();

    let mut empty = Marks::new(id.clone());
    files.push(("empty.json", saved(&mut empty)));

    let mut marks = Marks::new(id.clone());
    for a in &paragraphs[1..4] {
        marks.toggle(&doc, *a, now);
    }
    let first = marks.bookmarks[0].id.clone();
    marks.set_note(&first, "一条笔记 with a note", now + 1);
    marks.set_position(&doc, Anchor { offset: 3, ..paragraphs[2] }, now + 2);
    files.push(("three_bookmarks.json", saved(&mut marks.clone())));

    let mut deleted = marks.clone();
    deleted.delete(&first, now + 3);
    files.push(("tombstone.json", saved(&mut deleted)));

    // Written for another text: every anchor is placed again, one paragraph is gone.
    let mut edited = marks.clone();
    edited.doc.text_hash = "xxh3:0123456789abcdef".into();
    edited.bookmarks[1].fingerprint.hash = "0000000000000000".into();
    edited.bookmarks[1].passage = "这一段已经不在了。".into();
    edited.bookmarks[1].fingerprint.head = edited.bookmarks[1].passage.clone();
    edited.bookmarks[1].fingerprint.tail = edited.bookmarks[1].passage.clone();
    edited.bookmarks[2].anchor.item += 1;
    let mut edited_json = serde_json::to_vec_pretty(&edited).unwrap();
    files.push(("edited.json", edited_json.clone()));

    edited_json.truncate(edited_json.len() / 2);
    files.push(("truncated.json", edited_json));
    files.push(("newer.json", br#"{"version": 2, "doc": "a later shape"}"#.to_vec()));

    std::fs::create_dir_all(&out).unwrap();
    for (name, bytes) in files {
        std::fs::write(out.join(name), bytes).unwrap();
    }
}

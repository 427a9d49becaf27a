//! Beside the pipeline: the bodies of the fuzz targets (`fuzz/`), shared with their proptest
//! twins (`tests/fuzz_twins.rs`) so both run the same checks.
//!
//! Each function takes arbitrary bytes, drives one public path of the program the way the
//! command line does, and panics (that is its whole job: it is a test oracle, not program
//! code) when the path panics or breaks a stated invariant:
//! * [`parse_dump`]: bytes → [`source::decode`] → [`parse::parse`] → [`dump`]; the tree's
//!   indices and ranges hold, no control character survives into any text the reader
//!   shows, and the dump is valid JSON.
//! * [`wrap`]: bytes → decode → [`layout::wrap_text`] (`fangtan wrap`); no row is wider than
//!   the width unless it is one cluster, no text but whitespace is lost.
//! * [`config`]: text → [`Config::from_user_text`]; `Ok`, or an error located at a line and
//!   column of the text.
//! * [`store_json`]: bytes as a document's store file → [`Store::load`]; loaded (anchors on
//!   paragraphs of the document) or moved aside whole; a save and a reload keep every
//!   bookmark.
//!
//! Nothing here is used by the program itself.

use std::collections::BTreeSet;
use std::path::Path;

use crate::config::{Config, ConfigError, EnvInfo};
use crate::doc::{Document, Item};
use crate::layout;
use crate::parse::{self, ParseOptions};
use crate::source;
use crate::store::{self, Anchor, DocId, Marks, Store, StoreError};
use crate::width::{AmbiguousWidth, grapheme_width};
use crate::{dump, source::safe_char};

/// Name given to the decoder, as a file name would be.
const NAME: &str = "fuzz-input";

/// bytes → decode → parse → the tree's invariants → `dump` (JSON, outline, speakers,
/// quotes).
pub fn parse_dump(bytes: &[u8]) {
    let Ok(decoded) = source::decode(bytes, None, Path::new(NAME)) else { return };
    assert_safe("decoded text", &decoded.text);
    let doc = parse::parse(decoded.text, &ParseOptions::default());
    check_doc(&doc);
    let json = dump::json(&doc);
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&json) {
        panic!("dump is not JSON ({e}): {json}");
    }
    let _ = dump::outline(&doc);
    let _ = dump::speakers(&doc);
    let _ = dump::quotes(&doc);
}

/// The width and ambiguous-width choice are taken from the first two bytes, the text from
/// the rest: decode → `wrap_text`, as `fangtan wrap --width W`.
pub fn wrap(bytes: &[u8]) {
    let [w, a, rest @ ..] = bytes else { return };
    let width = usize::from(*w);
    let amb = if a & 1 == 0 { AmbiguousWidth::Narrow } else { AmbiguousWidth::Wide };
    let Ok(decoded) = source::decode(rest, None, Path::new(NAME)) else { return };
    let text = decoded.text;
    let out = layout::wrap_text(&text, width, amb);
    for line in out.lines() {
        assert_safe("wrapped row", line);
        assert!(!line.contains('\t'), "a tab reached the output: {line:?}");
        let cells: usize = graphemes(line).map(|g| grapheme_width(g, amb)).sum();
        let one_cluster = graphemes(line).nth(1).is_none();
        assert!(
            cells <= width.max(1) || one_cluster,
            "row {line:?} is {cells} cells at width {width}"
        );
    }
    // Only whitespace (dropped at breaks, tabs expanded) and control characters (never
    // shown) may differ.
    let kept = |s: &str| -> String {
        s.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect()
    };
    assert_eq!(kept(&out), kept(&text), "wrapping lost or added text");
}

/// Arbitrary text as a user's config file: `Ok` (then usable: parse options, theme,
/// labels tried on a short transcript), or an `Invalid` error at a line and column inside
/// the text.
pub fn config(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    match Config::from_user_text("fuzz.toml", &text) {
        Ok(c) => {
            let opts = c.parse_options();
            for env in [
                EnvInfo::default(),
                EnvInfo { colorterm: Some("truecolor".into()), ..EnvInfo::default() },
                EnvInfo { term: Some("xterm-256color".into()), ..EnvInfo::default() },
            ] {
                let _ = c.resolve_theme(&env);
            }
            let doc = parse::parse(SAMPLE_TRANSCRIPT.to_string(), &opts);
            check_doc(&doc);
        }
        Err(ConfigError::Invalid { path, line, column, message }) => {
            assert_eq!(path, "fuzz.toml");
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let lines = text.split('\n').count();
            assert!((1..=lines).contains(&line), "line {line} of {lines}: {message}");
            let line_text = text.split('\n').nth(line - 1).unwrap_or("");
            let columns = line_text.chars().count() + 1;
            assert!((1..=columns).contains(&column), "column {column} of {columns}: {message}");
            assert!(!message.trim().is_empty(), "an error without a message");
        }
        Err(e @ ConfigError::Read { .. }) => panic!("text gave a read error: {e}"),
    }
}

/// A short transcript: title, meta, a section, two speakers, a quote, a list.
pub const SAMPLE_TRANSCRIPT: &str = "# 访谈：夜班\n\n日期：2024-03-01\n\n## 第一部分\n\n\
**李明：** 我们从**凌晨三点**开始。\n\n接着是第二段，讲的是交接。\n\n\
**Anna:** Then the night shift ends.\n\n- one\n- two\n\n## 第二部分\n\n\
**李明：** 最后一段。\n";

/// `bytes` as the store file of [`SAMPLE_TRANSCRIPT`] in `dir` (which the caller owns; the
/// file and anything moved aside are removed again), loaded, saved and reloaded.
pub fn store_json(dir: &Path, bytes: &[u8]) {
    let doc = parse::parse(SAMPLE_TRANSCRIPT.to_string(), &ParseOptions::default());
    let id = sample_id(&doc);
    let store = Store::new(dir);
    let path = store.path_for(&id);
    clear(dir);
    std::fs::write(&path, bytes).expect("fuzz harness: write the store file");
    let loaded = match store.load(&id, &doc) {
        Ok(l) => l,
        Err(StoreError::Newer { .. }) => {
            let left = std::fs::read(&path).expect("a newer store is left in place");
            assert_eq!(left, bytes, "a newer store was changed");
            return clear(dir);
        }
        Err(e) => panic!("loading gave an error: {e}"),
    };
    let parsed = serde_json::from_slice::<Marks>(bytes).ok();
    if !loaded.warnings.is_empty() {
        // Set aside: the bytes are kept whole under another name, and nothing was loaded.
        assert!(parsed.is_none(), "a readable store was set aside: {:?}", loaded.warnings);
        assert!(!path.exists(), "the unreadable store is still in place");
        let aside = asides(dir);
        assert_eq!(aside.len(), 1, "set aside as {aside:?}");
        let kept = std::fs::read(&aside[0]).expect("read the file set aside");
        assert_eq!(kept, bytes, "the file set aside differs from the store");
        assert!(loaded.marks.bookmarks.is_empty() && loaded.position.is_none());
        return clear(dir);
    }
    let Some(parsed) = parsed else { panic!("an unreadable store was loaded") };
    let marks = loaded.marks;
    let ids = |m: &Marks| m.bookmarks.iter().map(|b| b.id.clone()).collect::<BTreeSet<_>>();
    assert!(ids(&parsed).is_subset(&ids(&marks)), "loading lost bookmarks");
    // A bookmark its own file also holds a later tombstone of is deleted: a save drops it.
    let alive = |m: &Marks| {
        let dead = |b: &store::Bookmark| {
            m.tombstones.iter().any(|t| t.id == b.id && t.deleted >= b.updated)
        };
        m.bookmarks.iter().filter(|b| !dead(b)).map(|b| b.id.clone()).collect::<BTreeSet<_>>()
    };
    if let Some(p) = &loaded.position {
        check_anchor(&doc, p, "the position");
    }
    for b in marks.bookmarks.iter().filter(|b| !b.orphaned) {
        check_anchor(&doc, &b.anchor, "a bookmark");
        let heard = store::Heard { at_ms: 754_000, url: Some("https://example.org/a.mp3") };
        let _ = store::citation_at(&doc, &b.anchor, Some("title"), Some(heard));
    }
    if let Some(p) = &loaded.position {
        let _ = store::resume_text(&doc, p, 50);
        let _ = marks.next_after(p);
        let _ = marks.prev_before(p);
    }
    let times = store::bookmark_times(&doc, &marks.bookmarks, -1500);
    let _ = store::export_markdown("title", &id.path, &marks.bookmarks, &times);
    let _ = store::export_json("title", &id.path, &marks.bookmarks, &times);

    // A save (which re-reads and merges the same file) and a reload keep every bookmark.
    let mut saving = marks.clone();
    match store.save(&mut saving, &doc) {
        Ok(warnings) => assert!(warnings.is_empty(), "save warned: {warnings:?}"),
        Err(e) => panic!("saving a loaded store failed: {e}"),
    }
    let again = store.load(&id, &doc).expect("reload what was saved");
    assert!(again.warnings.is_empty(), "what was saved did not load: {:?}", again.warnings);
    assert!(alive(&marks).is_subset(&ids(&again.marks)), "save and reload lost bookmarks");
    clear(dir);
}

/// The identity [`store_json`] gives [`SAMPLE_TRANSCRIPT`] (for making seed files).
pub fn sample_id(doc: &Document) -> DocId {
    DocId::new(Path::new("/fangtan-fuzz/sample.md"), &doc.text)
}

/// Remove every file in `dir` (the store, its lock, files set aside).
fn clear(dir: &Path) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

fn asides(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(".corrupt-"))
        .collect()
}

/// An anchor the reader may use: its paragraph exists. (Its offset and turn are taken as
/// stored when the text did not change; the reader clamps the offset into the paragraph.)
fn check_anchor(doc: &Document, a: &Anchor, what: &str) {
    assert!(a.text(doc).is_some(), "{what} points at no paragraph: {a:?}");
}

fn graphemes(s: &str) -> unicode_segmentation::Graphemes<'_> {
    unicode_segmentation::UnicodeSegmentation::graphemes(s, true)
}

/// No character that [`source`] would have replaced: none can reach the terminal.
fn assert_safe(what: &str, s: &str) {
    if let Some(c) = s.chars().find(|&c| safe_char(c) != c) {
        panic!("{what} holds control character {c:?}: {s:?}");
    }
}

/// The tree's stated invariants: every index points at what it says, every range is in
/// bounds and on character boundaries, runs are sorted and disjoint, and no text the
/// reader shows holds a control character.
fn check_doc(doc: &Document) {
    let text_len = doc.text.len();
    let in_text = |r: std::ops::Range<usize>, what: &str| {
        assert!(r.start <= r.end && r.end <= text_len, "{what} src {r:?} outside 0..{text_len}");
    };
    if let Some(t) = &doc.title {
        assert_safe("title", &t.text);
        in_text(t.src.range(), "title");
    }
    for m in &doc.meta {
        assert_safe("meta key", &m.key);
        assert_safe("meta value", &m.value);
        in_text(m.src.range(), "meta");
    }
    for (i, s) in doc.sections.iter().enumerate() {
        assert_safe("section title", &s.title);
        in_text(s.src.range(), "section");
        assert_eq!(doc.items.get(s.item), Some(&Item::Heading(i as u32)), "section {i}'s item");
        assert!(s.parent.is_none_or(|p| p < i), "section {i} has parent {:?}", s.parent);
        assert!(s.turns.end <= doc.turns.len(), "section {i} turns {:?}", s.turns);
    }
    for (i, s) in doc.speakers.iter().enumerate() {
        assert_safe("speaker name", &s.name);
        assert_safe("speaker display", s.display());
        let turns = doc.turns_of(i);
        assert!(turns.iter().all(|&t| (t as usize) < doc.turns.len()), "speaker turns");
        assert!(turns.iter().all(|&t| doc.turns[t as usize].speaker() == i), "speaker turns");
    }
    for (i, t) in doc.turns.iter().enumerate() {
        assert!(t.speaker() < doc.speakers.len(), "turn {i} speaker {}", t.speaker());
        assert!(t.section().is_none_or(|s| s < doc.sections.len()), "turn {i} section");
        assert_eq!(doc.items.get(t.item()), Some(&Item::Turn(i as u32)), "turn {i}'s item");
        in_text(t.src.range(), "turn");
        in_text(t.label_src.range(), "turn label");
    }
    for (i, item) in doc.items.iter().enumerate() {
        match *item {
            Item::Heading(s) => assert!((s as usize) < doc.sections.len(), "item {i}"),
            Item::Turn(t) => assert!((t as usize) < doc.turns.len(), "item {i}"),
            Item::Block(_) => assert_eq!(doc.item_blocks(i).len(), 1, "item {i} has no block"),
        }
        for b in doc.item_blocks(i) {
            assert_safe("paragraph", b.text);
            assert_safe("list marker", b.marker());
            assert_safe("image target", b.url());
            in_text(b.src.range(), "block");
            let mut end = 0;
            for r in b.runs {
                assert!(
                    end <= r.range.start && r.range.start <= r.range.end,
                    "runs out of order or overlapping in item {i}: {:?}",
                    b.runs
                );
                assert!(b.text.get(r.range.clone()).is_some(), "run {:?} in {:?}", r.range, b.text);
                assert!(r.quote.is_none_or(|q| q < doc.quotes.len()), "run quote {:?}", r.quote);
                if let Some(u) = &r.url {
                    assert_safe("link target", u);
                }
                end = r.range.end;
            }
        }
    }
    for q in &doc.quotes {
        let block = doc.turn_blocks(q.turn).get(q.block);
        let Some(block) = block else { panic!("quote points at no paragraph: {q:?}") };
        assert!(block.text.get(q.range.clone()).is_some(), "quote {q:?} in {:?}", block.text);
        in_text(q.src.range(), "quote");
    }
}

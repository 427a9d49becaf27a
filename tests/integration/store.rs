#![allow(clippy::unwrap_used)]
//! Bookmarks as the reader uses them: toggle, note, delete and undo, next/previous, the
//! reading position, re-anchoring after the file was edited, export and the overview.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use fangtan::doc::{BlockKind, Document, Format, NewBlock};
use fangtan::parse::{Builder, ParseOptions};
use fangtan::store::{
    Anchor, DocId, Marks, Store, Toggled, citation_at, export_json, export_markdown, list_all,
    osc52, resume_text,
};

/// One piece of a test document.
#[derive(Clone)]
enum P<'a> {
    Heading(&'a str),
    Turn(&'a str),
    Para(&'a str),
    EndTurn,
}

fn para(text: &str) -> NewBlock {
    NewBlock::new(BlockKind::Paragraph, text.to_string(), 0..0)
}

fn build(parts: &[P]) -> Document {
    tree(source(parts), parts)
}

/// The Markdown source the parts stand for.
fn source(parts: &[P]) -> String {
    parts
        .iter()
        .map(|p| match p {
            P::Heading(t) => format!("## {t}\n\n"),
            P::Turn(t) => format!("{t}:\n"),
            P::Para(t) => format!("{t}\n\n"),
            P::EndTurn => String::new(),
        })
        .collect()
}

/// The document of `parts` over `text`, as a parser would build it.
fn tree(text: String, parts: &[P]) -> Document {
    let opts = ParseOptions::default();
    let mut b = Builder::new(text, Format::Markdown, &opts);
    for p in parts {
        match p {
            P::Heading(t) => b.heading(t.to_string(), 2, 0..0),
            P::Turn(t) => b.start_turn(t, None, 0..0),
            P::Para(t) => b.block(para(t)),
            P::EndTurn => b.end_turn(),
        }
    }
    b.finish()
}

const A0: &str =
    "我们今天聊一聊长篇访谈的阅读体验，尤其是中英文混排的时候，换行和标点都很容易出问题。";
const A1: &str = "The second thing is export: most transcripts we get come out of WeChat with hard line breaks everywhere.";
const H0: &str = "那您觉得，读者最需要的是什么功能？书签，还是搜索？";
const A2: &str = "书签一定要可靠。如果文件改了几个字，书签就丢了，那就没人敢用了。";
const FOOT: &str = "附录：本文根据录音整理，未经受访者本人审阅，仅供参考。";

const ORIGINAL: &[P] = &[
    P::Heading("第一部分"),
    P::Turn("李明"),
    P::Para(A0),
    P::Para(A1),
    P::Turn("主持人"),
    P::Para(H0),
    P::Heading("第二部分"),
    P::Turn("李明"),
    P::Para(A2),
    P::EndTurn,
    P::Para(FOOT),
];

fn original() -> Document {
    build(ORIGINAL)
}

/// Anchor of the paragraph whose text is `text`.
fn find(doc: &Document, text: &str) -> Anchor {
    for item in 0..doc.items.len() {
        for (bi, b) in doc.item_blocks(item).iter().enumerate() {
            if b.text == text {
                return Anchor::at(doc, item, bi);
            }
        }
    }
    panic!("no paragraph {text:?}");
}

fn id_for(path: &Path, doc: &Document) -> DocId {
    DocId::new(path, &doc.text)
}

fn setup() -> (tempfile::TempDir, Store, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path().join("data"));
    let file = dir.path().join("访谈.md");
    (dir, store, file)
}

#[test]
fn toggle_adds_then_removes_the_bookmark_on_a_paragraph() {
    let doc = original();
    let mut m = Marks::new(id_for(Path::new("/x/a.md"), &doc));
    let at = find(&doc, A1);
    let Some(Toggled::Added(id)) = m.toggle(&doc, at, 1000) else { panic!("not added") };
    let b = m.get(&id).unwrap();
    assert_eq!(b.passage, A1);
    assert_eq!(b.speaker.as_deref(), Some("李明"));
    assert_eq!(b.section.as_deref(), Some("第一部分"));
    // Another offset in the same paragraph finds the same bookmark.
    let later = Anchor { offset: 10, ..at };
    assert_eq!(m.at(&later).unwrap().id, id);
    assert!(matches!(m.toggle(&doc, later, 2000), Some(Toggled::Removed(_))));
    assert!(m.bookmarks.is_empty());
    // A place with no paragraph cannot be bookmarked.
    assert_eq!(m.toggle(&doc, Anchor { item: 99, block: 0, offset: 0, turn: None }, 3), None);
}

#[test]
fn note_delete_and_undo() {
    let doc = original();
    let mut m = Marks::new(id_for(Path::new("/x/a.md"), &doc));
    let Some(Toggled::Added(id)) = m.toggle(&doc, find(&doc, A2), 1000) else { panic!() };
    assert!(m.set_note(&id, "可靠性是关键", 2000));
    assert_eq!(m.get(&id).unwrap().note, "可靠性是关键");
    assert!(!m.set_note("nope", "x", 2000));

    let gone = m.delete(&id, 3000).unwrap();
    assert_eq!(gone.note, "可靠性是关键");
    assert!(m.get(&id).is_none());
    assert!(m.can_undo());
    assert_eq!(m.undo(3000).as_deref(), Some(id.as_str()));
    let back = m.get(&id).unwrap();
    assert_eq!(back.note, "可靠性是关键", "undo brings the note back too");
    assert!(m.tombstones.is_empty());
    assert_eq!(m.undo(4000), None);
}

#[test]
fn next_and_previous_follow_reading_order_and_wrap() {
    let doc = original();
    let mut m = Marks::new(id_for(Path::new("/x/a.md"), &doc));
    // Added out of order on purpose.
    for t in [A2, A0, H0] {
        m.toggle(&doc, find(&doc, t), 1);
    }
    let passage = |b: Option<&fangtan::store::Bookmark>| b.unwrap().passage.clone();
    let at_a1 = find(&doc, A1);
    assert_eq!(passage(m.next_after(&at_a1)), H0);
    assert_eq!(passage(m.prev_before(&at_a1)), A0);
    assert_eq!(passage(m.next_after(&find(&doc, H0))), A2);
    assert_eq!(passage(m.next_after(&find(&doc, A2))), A0, "wraps to the first");
    assert_eq!(passage(m.prev_before(&find(&doc, A0))), A2, "wraps to the last");
    let empty = Marks::new(id_for(Path::new("/x/a.md"), &doc));
    assert!(empty.next_after(&at_a1).is_none());
}

#[test]
fn reading_position_is_restored_on_reopen() {
    let (_t, store, file) = setup();
    let doc = original();
    let id = id_for(&file, &doc);
    let mut m = store.load(&id, &doc).unwrap().marks;
    let at = Anchor { offset: 6, ..find(&doc, H0) };
    m.set_position(&doc, at, 5000);
    store.save(&mut m, &doc).unwrap();

    let loaded = store.load(&id, &doc).unwrap();
    assert_eq!(loaded.position, Some(at));
    assert!(!loaded.edited);
    let msg = resume_text(&doc, &at, 40);
    assert_eq!(msg, "resumed at 主持人, 第一部分 (40%)");
}

#[test]
fn bookmark_and_position_follow_a_paragraph_inserted_before_them() {
    let (_t, store, file) = setup();
    let doc = original();
    let mut m = store.load(&id_for(&file, &doc), &doc).unwrap().marks;
    let Some(Toggled::Added(id)) = m.toggle(&doc, find(&doc, A2), 1) else { panic!() };
    m.set_note(&id, "重点", 2);
    m.set_position(&doc, find(&doc, A2), 3);
    store.save(&mut m, &doc).unwrap();

    let edited = build(&[
        P::Heading("第一部分"),
        P::Turn("李明"),
        P::Para(A0),
        P::Para(A1),
        P::Turn("主持人"),
        P::Para(H0),
        P::Para("新加的一段：这是后来补充进来的问题，用来测试书签会不会跟着原来的段落走。"),
        P::Heading("第二部分"),
        P::Turn("李明"),
        P::Para(A2),
        P::EndTurn,
        P::Para(FOOT),
    ]);
    let loaded = store.load(&id_for(&file, &edited), &edited).unwrap();
    assert!(loaded.edited);
    let b = loaded.marks.get(&id).unwrap();
    assert!(!b.orphaned);
    assert_eq!(b.anchor, find(&edited, A2));
    assert_eq!(b.note, "重点");
    assert_eq!(loaded.position, Some(find(&edited, A2)));
}

#[test]
fn bookmarks_and_position_follow_their_paragraphs_when_the_same_file_parses_differently() {
    // A later fangtan may read the same file into other paragraphs: the text and its hash
    // are unchanged, the saved indices point elsewhere.
    let (_t, store, file) = setup();
    let doc = original();
    let id = id_for(&file, &doc);
    let mut m = store.load(&id, &doc).unwrap().marks;
    let Some(Toggled::Added(bid)) = m.toggle(&doc, find(&doc, H0), 1) else { panic!() };
    m.set_note(&bid, "问得好", 2);
    m.set_position(&doc, find(&doc, A2), 3);
    store.save(&mut m, &doc).unwrap();

    // Now a preamble paragraph is found before the first heading: every index shifts by
    // one, and the old ones still name paragraphs that exist.
    let mut parts = vec![P::Para("开场白：旧版本把这一段当成了标题的一部分。")];
    parts.extend_from_slice(ORIGINAL);
    let reparsed = tree(doc.text.clone(), &parts);
    let old = m.get(&bid).unwrap().anchor;
    assert!(old.text(&reparsed).is_some_and(|t| t != H0), "the old index names another paragraph");

    let loaded = store.load(&id, &reparsed).unwrap();
    assert!(!loaded.edited, "same file");
    let b = loaded.marks.get(&bid).unwrap();
    assert_eq!(b.anchor, find(&reparsed, H0));
    assert_eq!(b.note, "问得好");
    assert!(!b.orphaned);
    assert_eq!(loaded.position, Some(find(&reparsed, A2)));
}

#[test]
fn bookmark_follows_a_paragraph_edited_slightly() {
    let (_t, store, file) = setup();
    let doc = original();
    let mut m = store.load(&id_for(&file, &doc), &doc).unwrap().marks;
    let Some(Toggled::Added(id)) = m.toggle(&doc, find(&doc, A1), 1) else { panic!() };
    let Some(Toggled::Added(id2)) = m.toggle(&doc, find(&doc, A0), 1) else { panic!() };
    store.save(&mut m, &doc).unwrap();

    // A typo fixed near the start of one paragraph and a word changed in the other.
    let a1_fixed = A1.replace("The second thing", "The second point");
    let a0_fixed = A0.replace("聊一聊", "谈一谈");
    let edited = build(&[
        P::Heading("第一部分"),
        P::Turn("李明"),
        P::Para(&a0_fixed),
        P::Para(&a1_fixed),
        P::Turn("主持人"),
        P::Para(H0),
        P::EndTurn,
        P::Para(FOOT),
    ]);
    let loaded = store.load(&id_for(&file, &edited), &edited).unwrap();
    let b = loaded.marks.get(&id).unwrap();
    assert!(!b.orphaned);
    assert_eq!(b.anchor, find(&edited, &a1_fixed));
    assert_eq!(b.passage, a1_fixed, "the passage follows the edit");
    assert_eq!(loaded.marks.get(&id2).unwrap().anchor, find(&edited, &a0_fixed));
}

#[test]
fn bookmark_on_a_deleted_paragraph_is_kept_orphaned_and_exported() {
    let (_t, store, file) = setup();
    let doc = original();
    let mut m = store.load(&id_for(&file, &doc), &doc).unwrap().marks;
    let Some(Toggled::Added(gone)) = m.toggle(&doc, find(&doc, H0), 1) else { panic!() };
    m.set_note(&gone, "这个问题问得好", 2);
    let Some(Toggled::Added(kept)) = m.toggle(&doc, find(&doc, FOOT), 1) else { panic!() };
    store.save(&mut m, &doc).unwrap();

    let edited = build(&[
        P::Heading("第一部分"),
        P::Turn("李明"),
        P::Para(A0),
        P::Para(A1),
        P::Heading("第二部分"),
        P::Turn("李明"),
        P::Para(A2),
        P::EndTurn,
        P::Para(FOOT),
    ]);
    let edited_id = id_for(&file, &edited);
    let mut loaded = store.load(&edited_id, &edited).unwrap();
    let b = loaded.marks.get(&gone).unwrap();
    assert!(b.orphaned);
    assert_eq!(b.passage, H0);
    assert_eq!(loaded.marks.orphaned().count(), 1);
    assert!(!loaded.marks.get(&kept).unwrap().orphaned);
    // Orphans are skipped by next/previous but still listed.
    let first = find(&edited, A0);
    assert_eq!(loaded.marks.next_after(&first).unwrap().id, kept);

    let md = export_markdown("访谈", &edited_id.path, &loaded.marks.bookmarks, &[]);
    assert!(md.contains(&format!("> {H0}")), "{md}");
    assert!(md.contains("Not found in the current text"), "{md}");
    assert!(md.contains("**Note:** 这个问题问得好"), "{md}");
    let json: serde_json::Value =
        serde_json::from_str(&export_json("访谈", &edited_id.path, &loaded.marks.bookmarks, &[]))
            .unwrap();
    let marks = json["bookmarks"].as_array().unwrap();
    assert_eq!(marks.len(), 2);
    assert!(marks.iter().any(|m| m["orphaned"] == true && m["passage"] == H0));

    // Saving again keeps the orphan on disk.
    store.save(&mut loaded.marks, &edited).unwrap();
    let again = store.load(&edited_id, &edited).unwrap();
    assert!(again.marks.get(&gone).unwrap().orphaned);
}

#[test]
fn markdown_export_quotes_each_passage_with_speaker_section_and_note() {
    let doc = original();
    let mut m = Marks::new(id_for(Path::new("/x/a.md"), &doc));
    let Some(Toggled::Added(id)) = m.toggle(&doc, find(&doc, A2), 1) else { panic!() };
    m.set_note(&id, "引用到文章里", 2);
    m.toggle(&doc, find(&doc, FOOT), 3);
    let md = export_markdown("长谈", "/x/a.md", &m.bookmarks, &[]);
    let expected = format!(
        "# 长谈\n\n`/x/a.md`\n\n> {A2}\n\n— 李明, 第二部分\n\n**Note:** 引用到文章里\n\n---\n\n> {FOOT}\n\n— 第二部分\n"
    );
    assert_eq!(md, expected);
    let json: serde_json::Value =
        serde_json::from_str(&export_json("长谈", "/x/a.md", &m.bookmarks, &[])).unwrap();
    assert_eq!(json["title"], "长谈");
    assert_eq!(json["bookmarks"][0]["note"], "引用到文章里");
    assert_eq!(json["bookmarks"][0]["speaker"], "李明");
    assert_eq!(json["bookmarks"][1]["speaker"], serde_json::Value::Null);
}

#[test]
fn citation_names_speaker_section_and_title_and_travels_base64_encoded() {
    let doc = original();
    let c = citation_at(&doc, &find(&doc, A0), Some("长谈"), None).unwrap();
    assert_eq!(c, format!("> {A0}\n\n— 李明, 第一部分, 长谈\n"));
    let seq = osc52(&c);
    let body = seq.strip_prefix("\x1b]52;c;").unwrap().strip_suffix('\x07').unwrap();
    assert!(body.bytes().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b)));
    let decoded = base64::engine::general_purpose::STANDARD.decode(body).unwrap();
    assert_eq!(String::from_utf8(decoded).unwrap(), c);
}

#[test]
fn a_deletion_in_one_copy_is_not_undone_by_merging_another() {
    let (_t, store, file) = setup();
    let doc = original();
    let id = id_for(&file, &doc);
    let mut a = store.load(&id, &doc).unwrap().marks;
    let Some(Toggled::Added(x)) = a.toggle(&doc, find(&doc, A0), 10) else { panic!() };
    store.save(&mut a, &doc).unwrap();
    // A second reader opens the same file and holds the bookmark in memory.
    let mut b = store.load(&id, &doc).unwrap().marks;
    assert!(b.get(&x).is_some());
    a.delete(&x, 20);
    store.save(&mut a, &doc).unwrap();
    // The second reader adds its own bookmark and saves: the deletion stands.
    let Some(Toggled::Added(y)) = b.toggle(&doc, find(&doc, A2), 30) else { panic!() };
    store.save(&mut b, &doc).unwrap();
    assert!(b.get(&x).is_none());
    let disk = store.load(&id, &doc).unwrap().marks;
    assert!(disk.get(&x).is_none());
    assert!(disk.get(&y).is_some());
}

#[test]
fn list_all_counts_bookmarks_per_document() {
    let (t, store, _) = setup();
    let doc = original();
    let one = t.path().join("one.md");
    let two = t.path().join("two.md");
    let mut m1 = store.load(&id_for(&one, &doc), &doc).unwrap().marks;
    m1.toggle(&doc, find(&doc, A0), 1);
    m1.toggle(&doc, find(&doc, A1), 1);
    m1.set_position(&doc, find(&doc, H0), 1_764_370_000_000);
    store.save(&mut m1, &doc).unwrap();
    let mut m2 = store.load(&id_for(&two, &doc), &doc).unwrap().marks;
    m2.toggle(&doc, find(&doc, A2), 5);
    store.save(&mut m2, &doc).unwrap();
    let mut m3 = store.load(&id_for(&t.path().join("none.md"), &doc), &doc).unwrap().marks;
    m3.set_position(&doc, find(&doc, A2), 5);
    store.save(&mut m3, &doc).unwrap();

    let all = list_all(store.dir()).unwrap();
    let text = fangtan::store::summaries_text(&all, &jiff::tz::TimeZone::UTC);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("2 bookmarks, last read 2025-11-28 22:46 UTC  /"), "{text}");
    assert!(lines[0].ends_with("one.md"), "{text}");
    assert!(lines[1].starts_with("1 bookmark, never read"), "{text}");
    assert_eq!(all.len(), 2, "documents without bookmarks are not listed");
    assert_eq!(all[0].file_name, "one.md");
    assert_eq!(all[0].bookmarks, 2);
    assert_eq!(all[0].last_read, Some(1_764_370_000_000));
    assert_eq!(all[1].file_name, "two.md");
    assert_eq!(all[1].bookmarks, 1);
    let utc = jiff::tz::TimeZone::UTC;
    assert_eq!(fangtan::store::format_time(1_764_370_000_000, &utc), "2025-11-28 22:46 UTC");
    assert_eq!(fangtan::store::format_time(0, &utc), "1970-01-01 00:00 UTC");
    assert_eq!(fangtan::store::format_time(951_782_400_000, &utc), "2000-02-29 00:00 UTC");
    // In the reader's own zone: a POSIX `TZ` as a user might set it, and a named zone
    // whose summer time changes the abbreviation (from jiff's rules, not our arithmetic).
    let shanghai = jiff::tz::TimeZone::posix("CST-8").expect("a POSIX zone");
    assert_eq!(fangtan::store::format_time(1_764_370_000_000, &shanghai), "2025-11-29 06:46 CST");
    let berlin = jiff::tz::TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").expect("a POSIX zone");
    assert_eq!(fangtan::store::format_time(1_751_371_200_000, &berlin), "2025-07-01 14:00 CEST");
    assert_eq!(fangtan::store::format_time(-1, &utc), "1969-12-31 23:59 UTC");
    assert!(list_all(&t.path().join("missing")).unwrap().is_empty());
}

#[test]
fn undoing_a_saved_deletion_survives_the_next_save() {
    let (_t, store, file) = setup();
    let doc = original();
    let id = id_for(&file, &doc);
    let mut m = store.load(&id, &doc).unwrap().marks;
    let Some(Toggled::Added(x)) = m.toggle(&doc, find(&doc, A1), 10) else { panic!() };
    store.save(&mut m, &doc).unwrap();
    m.delete(&x, 20);
    store.save(&mut m, &doc).unwrap();
    assert!(store.load(&id, &doc).unwrap().marks.get(&x).is_none());
    // Undo in the same millisecond as the delete still wins over the tombstone on disk.
    m.undo(20).unwrap();
    store.save(&mut m, &doc).unwrap();
    assert!(m.get(&x).is_some());
    let disk = store.load(&id, &doc).unwrap().marks;
    assert!(disk.get(&x).is_some());
    assert!(disk.tombstones.is_empty());
}

#[test]
fn a_position_whose_paragraph_is_gone_is_not_restored() {
    let (_t, store, file) = setup();
    let doc = original();
    let mut m = store.load(&id_for(&file, &doc), &doc).unwrap().marks;
    m.set_position(&doc, find(&doc, H0), 1);
    store.save(&mut m, &doc).unwrap();
    let edited = build(&[P::Heading("第一部分"), P::Turn("李明"), P::Para(A0)]);
    let loaded = store.load(&id_for(&file, &edited), &edited).unwrap();
    assert_eq!(loaded.position, None);
}

#[test]
fn an_edit_in_the_middle_of_a_long_paragraph_keeps_the_bookmark() {
    let long = format!("{A0}{A1}{A2}");
    let doc = build(&[P::Turn("李明"), P::Para(A0), P::Para(&long), P::Para(FOOT)]);
    let mut m = Marks::new(id_for(Path::new("/x/long.md"), &doc));
    let Some(Toggled::Added(id)) = m.toggle(&doc, find(&doc, &long), 1) else { panic!() };
    let changed = long.replace("WeChat", "微信");
    let edited = build(&[P::Turn("李明"), P::Para(FOOT), P::Para(A0), P::Para(&changed)]);
    m.reanchor(&edited, &id_for(Path::new("/x/long.md"), &edited), false);
    let b = m.get(&id).unwrap();
    assert!(!b.orphaned);
    assert_eq!(b.anchor, find(&edited, &changed));
}

#[test]
fn an_old_store_of_a_big_file_read_in_parts_is_not_taken_for_an_edit() {
    // Stores written before XXH3 hold an FNV hash of the source text. A big file is read in
    // parts and its source text is not kept, so that hash cannot be checked: the
    // bookmarks' own fingerprints decide.
    let (_t, store, file) = setup();
    let text = format!(
        "# 访谈\n\n## 第一部分\n\n**李明：** {A0}\n\n**主持人：** {H0}\n\n## 第二部分\n\n**李明：** {A2}\n"
    );
    std::fs::write(&file, &text).unwrap();
    let opts = ParseOptions::default();
    let doc = fangtan::load::whole_in_parts(&file, None, &opts, 64, &mut |_| {}).unwrap();
    assert!(doc.text.is_empty(), "read in parts, the source is not kept");
    let id = DocId::for_doc(&file, &doc);
    let old = DocId { text_hash: fangtan::store::hash_hex(text.as_bytes()), ..id.clone() };
    let mut m = Marks::new(old);
    let at = find(&doc, H0);
    let Some(Toggled::Added(bid)) = m.toggle(&doc, at, 1) else { panic!() };
    store.save(&mut m, &doc).unwrap();

    let loaded = store.load(&id, &doc).unwrap();
    assert!(!loaded.edited, "an unchanged file is not reported edited");
    assert_eq!(loaded.marks.get(&bid).unwrap().anchor, at);
}

#[test]
fn the_search_history_is_kept_per_user_newest_last_without_repeats_and_bounded() {
    use fangtan::store::{SEARCH_HISTORY_LEN, load_search_history, remember_search};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    assert!(load_search_history(&data).unwrap().is_empty(), "none yet");
    remember_search(&data, "灯笼").unwrap();
    remember_search(&data, "lantern").unwrap();
    remember_search(&data, "灯笼").unwrap();
    assert_eq!(load_search_history(&data).unwrap(), ["lantern", "灯笼"]);
    for i in 0..SEARCH_HISTORY_LEN + 20 {
        remember_search(&data, &format!("q{i}")).unwrap();
    }
    let kept = load_search_history(&data).unwrap();
    assert_eq!(kept.len(), SEARCH_HISTORY_LEN);
    assert_eq!(
        kept.last().map(String::as_str),
        Some(format!("q{}", SEARCH_HISTORY_LEN + 19).as_str())
    );
    // A damaged file is no history, and the next search writes a good one.
    let file = fangtan::store::disk::search_history_path(&data);
    std::fs::write(&file, b"{not json").unwrap();
    assert!(load_search_history(&data).unwrap().is_empty());
    remember_search(&data, "again").unwrap();
    assert_eq!(load_search_history(&data).unwrap(), ["again"]);
}

#[test]
fn a_search_history_that_does_not_parse_is_moved_aside_not_written_over() {
    use fangtan::store::disk::search_history_path;
    use fangtan::store::{load_search_history, remember_search};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let odd = "{\"version\": 9, \"searches\": [\"from a newer fangtan\"]}";
    std::fs::write(search_history_path(&data), odd).unwrap();
    remember_search(&data, "灯笼").unwrap();
    assert_eq!(load_search_history(&data).unwrap(), ["灯笼"]);
    let aside: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("search-history.json.corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "moved aside");
    assert_eq!(std::fs::read_to_string(aside[0].path()).unwrap(), odd);
}

/// The store file's shape as builds before listening read it: no `listen`, and no field
/// refused (no `deny_unknown_fields`), exactly as `Marks` was.
#[derive(serde::Deserialize)]
#[allow(dead_code)]
struct MarksBeforeListening {
    version: u32,
    doc: DocId,
    #[serde(default)]
    position: Option<fangtan::store::Position>,
    #[serde(default)]
    bookmarks: Vec<fangtan::store::Bookmark>,
    #[serde(default)]
    tombstones: Vec<fangtan::store::Tombstone>,
}

/// The original text written to `file`, its identity, and marks with one bookmark.
fn one_bookmark(file: &Path) -> (Document, DocId, Marks) {
    let doc = original();
    std::fs::write(file, &doc.text).unwrap();
    let id = id_for(file, &doc);
    let mut marks = Marks::new(id.clone());
    marks.toggle(&doc, find(&doc, A1), 10);
    (doc, id, marks)
}

#[test]
fn the_recording_and_offset_are_kept_with_the_bookmarks_and_merged_later_wins() {
    use fangtan::store::Listen;
    let (_t, store, file) = setup();
    let (doc, id, mut ours) = one_bookmark(&file);
    let listen = Listen { media: Some("/m/ep.mp3".into()), offset_ms: 1500, saved: 20 };
    ours.listen = Some(listen.clone());
    store.save(&mut ours, &doc).unwrap();
    let text = std::fs::read_to_string(store.path_for(&id)).unwrap();
    assert!(text.contains("\"offset_ms\": 1500"), "{text}");

    // A build from before listening reads the file, bookmarks and all.
    let old: MarksBeforeListening = serde_json::from_str(&text).unwrap();
    assert_eq!(old.bookmarks.len(), 1);

    // Another reader's older choice does not win; a later one does.
    let mut theirs = Marks::new(id.clone());
    theirs.listen = Some(Listen { media: None, offset_ms: -500, saved: 5 });
    store.save(&mut theirs, &doc).unwrap();
    assert_eq!(store.load(&id, &doc).unwrap().marks.listen, Some(listen));
    theirs.listen = Some(Listen { media: None, offset_ms: -500, saved: 30 });
    store.save(&mut theirs, &doc).unwrap();
    let loaded = store.load(&id, &doc).unwrap().marks;
    assert_eq!(loaded.listen.map(|l| l.offset_ms), Some(-500));
    assert_eq!(loaded.bookmarks.len(), 1, "the bookmark is still there");

    // Without a choice, nothing is written for it.
    let mut plain = Marks::new(id_for(Path::new("/x/b.md"), &doc));
    plain.toggle(&doc, find(&doc, A1), 1);
    let json = serde_json::to_string(&plain).unwrap();
    assert!(!json.contains("listen"), "{json}");
}

#[test]
fn fields_of_a_newer_build_survive_a_save_by_this_one() {
    let (_t, store, file) = setup();
    let (doc, id, mut first) = one_bookmark(&file);
    store.save(&mut first, &doc).unwrap();
    // A newer build adds a field of its own.
    let path = store.path_for(&id);
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    json["highlights"] = serde_json::json!([{ "from": 3, "to": 9, "colour": "yellow" }]);
    std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    // This build loads it, changes a bookmark, saves.
    let mut loaded = store.load(&id, &doc).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    loaded.marks.toggle(&doc, find(&doc, A2), 20);
    store.save(&mut loaded.marks, &doc).unwrap();
    let after: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(after["highlights"], json["highlights"], "kept");
    assert_eq!(after["bookmarks"].as_array().unwrap().len(), 2);
    // A copy without the field (saved by a session that started before) keeps it too.
    let mut stale = Marks::new(id.clone());
    stale.toggle(&doc, find(&doc, A0), 30);
    store.save(&mut stale, &doc).unwrap();
    let last: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(last["highlights"], json["highlights"]);
}

#[test]
fn the_export_says_when_each_passage_is_heard_in_the_recording() {
    use fangtan::store::bookmark_times;
    let text = crate::support::doc::timed_talk(6);
    let doc = fangtan::parse::parse(text, &ParseOptions::default());
    let mut m = Marks::new(id_for(Path::new("/x/talk.md"), &doc));
    let at = |k: usize| Anchor::at(&doc, doc.turns[k].item(), 0);
    m.toggle(&doc, at(1), 1);
    m.toggle(&doc, at(3), 2);
    let times = bookmark_times(&doc, &m.bookmarks, 1_500);
    assert_eq!(times, vec![Some(124_500), Some(130_500)]);
    let md = export_markdown("Harbour", "/x/talk.md", &m.bookmarks, &times);
    assert!(md.contains("— Mara [00:02:04]\n"), "{md}");
    assert!(md.contains("[00:02:10]"), "{md}");
    let json: serde_json::Value =
        serde_json::from_str(&export_json("Harbour", "/x/talk.md", &m.bookmarks, &times)).unwrap();
    assert_eq!(json["bookmarks"][0]["start_ms"], 124_500);
    assert_eq!(json["bookmarks"][1]["time"], "00:02:10");
    // An untimed transcript: no times, as before.
    let plain = original();
    let mut m = Marks::new(id_for(Path::new("/x/a.md"), &plain));
    m.toggle(&plain, find(&plain, A1), 1);
    assert_eq!(bookmark_times(&plain, &m.bookmarks, 0), vec![None]);
}

/// A file read by an older build that did not show a link's target, and by this one: the
/// same bytes, so the same text hash, but the paragraph now ends otherwise.
#[test]
fn a_build_that_reads_links_keeps_the_bookmarks_an_older_one_saved() {
    let (_t, store, file) = setup();
    let short = "看这篇";
    let old_text = "看这篇吧，写得很仔细，值得一读。";
    let new_text =
        "看这篇 <https://example.com/2024/05/how-we-built-the-map>吧，写得很仔细，值得一读。";
    let parts = |p: &'static str| vec![P::Turn("主持人"), P::Para(p), P::Para(A0), P::EndTurn];
    let source = "主持人: 看[这篇](https://example.com/2024/05/how-we-built-the-map)吧，写得很仔细，值得一读。\n\n".to_string();
    let old = tree(source.clone(), &parts(old_text));
    let new = tree(source, &parts(new_text));
    let id = id_for(&file, &old);
    let mut m = store.load(&id, &old).unwrap().marks;
    let at = find(&old, old_text);
    assert!(matches!(m.toggle(&old, at, 1000), Some(Toggled::Added(_))));
    m.set_position(&old, Anchor { offset: 6, ..at }, 2000);
    store.save(&mut m, &old).unwrap();

    let loaded = store.load(&id_for(&file, &new), &new).unwrap();
    assert!(!loaded.edited, "the file did not change");
    let b = &loaded.marks.bookmarks[0];
    assert!(!b.orphaned, "the bookmark keeps its paragraph");
    assert_eq!(b.anchor.text(&new), Some(new_text));
    assert_eq!(loaded.position.and_then(|p| p.text(&new)), Some(new_text));
    assert!(new_text.starts_with(short));
}

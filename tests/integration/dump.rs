//! `fangtan dump`: nothing the reader shows is lost from the JSON, and nothing is told twice.
//! Text outside turns (a preamble, notes between sections, a caption file without speakers)
//! is in the top-level `paragraphs`; a caption file without speakers has time-based parts.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fangtan::doc::{BlockKind, Document, Format};
use fangtan::parse::{ParseOptions, parse};
use serde_json::Value;

const SAMPLE: &str = include_str!("../../assets/sample.md");
const BEES: &str = include_str!("../fixtures/subs/beekeeping.srt");
const HARBOUR: &str = include_str!("../fixtures/subs/harbour.vtt");

fn doc(text: &str) -> Document {
    parse(text.to_string(), &ParseOptions::default())
}

fn dump(d: &Document) -> Value {
    serde_json::from_str(&fangtan::dump::json(d)).expect("dump is JSON")
}

fn words(text: &str, into: &mut BTreeMap<String, isize>, sign: isize) {
    for w in text.split_whitespace() {
        *into.entry(w.to_string()).or_default() += sign;
    }
}

/// Every word the reader shows: the title, each meta line, each heading and the text of
/// every block, inside turns or not (images and rules show no words of the text).
fn reader_words(d: &Document, into: &mut BTreeMap<String, isize>) {
    if let Some(t) = &d.title {
        words(&t.text, into, 1);
    }
    for m in &d.meta {
        words(&m.key, into, 1);
        words(&m.value, into, 1);
    }
    for s in &d.sections {
        words(&s.title, into, 1);
    }
    for i in 0..d.items.len() {
        for b in d.item_blocks(i) {
            if !matches!(b.kind, BlockKind::Image | BlockKind::Rule) {
                words(b.text, into, 1);
            }
        }
    }
}

/// Every word in the dump's text fields: title, meta, section titles, the turns'
/// paragraphs and the top-level paragraphs (highlights repeat their turn's words).
fn dump_words(v: &Value, into: &mut BTreeMap<String, isize>) {
    fn sections(list: &Value, into: &mut BTreeMap<String, isize>) {
        for s in list.as_array().expect("sections") {
            words(s["title"].as_str().expect("title"), into, -1);
            sections(&s["sections"], into);
        }
    }
    if let Some(t) = v["title"].as_str() {
        words(t, into, -1);
    }
    for (k, val) in v["meta"].as_object().expect("meta") {
        words(k, into, -1);
        words(val.as_str().expect("meta value"), into, -1);
    }
    sections(&v["sections"], into);
    for t in v["turns"].as_array().expect("turns") {
        for p in t["paragraphs"].as_array().expect("paragraphs") {
            words(p.as_str().expect("paragraph"), into, -1);
        }
    }
    for p in v["paragraphs"].as_array().expect("top-level paragraphs") {
        words(p["text"].as_str().expect("text"), into, -1);
    }
}

/// Words the reader shows that the dump has fewer (positive) or more (negative) times.
fn lost_or_doubled(d: &Document) -> Vec<(String, isize)> {
    let mut count = BTreeMap::new();
    reader_words(d, &mut count);
    dump_words(&dump(d), &mut count);
    count.into_iter().filter(|&(_, n)| n != 0).collect()
}

fn fixtures(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("fixture dir") {
        let path = e.expect("entry").path();
        if path.is_dir() {
            fixtures(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_word_the_reader_shows_is_in_the_dump_exactly_once() {
    let mut files = Vec::new();
    fixtures(Path::new("tests/fixtures"), &mut files);
    files.sort();
    assert!(files.len() >= 25, "fixtures found: {files:?}");
    let mut docs: Vec<(String, Document)> = vec![("assets/sample.md".into(), doc(SAMPLE))];
    for f in &files {
        let text = fangtan::source::read(f, None).expect("fixture decodes").text;
        docs.push((f.display().to_string(), doc(&text)));
    }
    for (name, d) in &docs {
        assert_eq!(lost_or_doubled(d), vec![], "{name}: words lost (+) or doubled (-)");
    }
    // The property holds for documents with text outside turns, not only around it.
    let outside = docs.iter().filter(|(_, d)| d.items.iter().any(is_block)).count();
    assert!(outside >= 10, "only {outside} fixtures have text outside turns");
}

fn is_block(i: &fangtan::doc::Item) -> bool {
    matches!(i, fangtan::doc::Item::Block(_))
}

#[test]
fn preamble_notes_between_sections_and_a_closing_note_are_paragraphs() {
    let src = "# 访谈标题\n\n编辑：小林\n\n\
这是导语，介绍这次访谈的背景。\n\n\
## 第一部分\n\n\
**甲：**你好，欢迎。\n\n\
**乙：**谢谢邀请。\n\n\
## 第二部分\n\n\
编者按：这一节的录音有缺损。\n\n\
- 缺失约两分钟\n\n\
**甲：**我们继续。\n\n\
**乙：**好的。\n\n\
## 附记\n\n\
（全文完）\n";
    let d = doc(src);
    assert_eq!(d.format, Some(Format::Markdown));
    let v = dump(&d);
    assert_eq!(v["turns"].as_array().expect("turns").len(), 4);
    let paras: Vec<(Value, u64, &str, &str)> = v["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .map(|p| {
            (
                p["section"].clone(),
                p["turns_before"].as_u64().expect("turns_before"),
                p["kind"].as_str().expect("kind"),
                p["text"].as_str().expect("text"),
            )
        })
        .collect();
    assert_eq!(
        paras,
        vec![
            (Value::Null, 0, "paragraph", "这是导语，介绍这次访谈的背景。"),
            ("第二部分".into(), 2, "paragraph", "编者按：这一节的录音有缺损。"),
            ("第二部分".into(), 2, "list_item", "缺失约两分钟"),
            ("附记".into(), 4, "paragraph", "（全文完）"),
        ]
    );
    assert!(v["paragraphs"].as_array().expect("paragraphs").iter().all(|p| p["start"].is_null()));
    assert_eq!(lost_or_doubled(&d), vec![]);
}

#[test]
fn plain_text_preamble_is_a_paragraph() {
    let src = "录音整理稿，未经本人审阅。\n\n主持人：第一个问题。\n\n嘉宾：好。\n\n主持人：第二个问题。\n\n嘉宾：也好。\n";
    let d = doc(src);
    assert_eq!(d.format, Some(Format::Plain));
    let v = dump(&d);
    assert_eq!(v["turns"].as_array().expect("turns").len(), 4);
    assert_eq!(v["paragraphs"][0]["text"], "录音整理稿，未经本人审阅。");
    assert_eq!(v["paragraphs"].as_array().expect("paragraphs").len(), 1);
    assert_eq!(lost_or_doubled(&d), vec![]);
}

#[test]
fn a_fully_labelled_transcript_has_no_paragraphs_outside_turns() {
    let d = doc(include_str!("../fixtures/subs/teahouse.vtt"));
    let v = dump(&d);
    assert!(!v["turns"].as_array().expect("turns").is_empty());
    assert_eq!(v["paragraphs"], serde_json::json!([]));
}

/// (start, text) of each top-level paragraph.
fn timed(v: &Value) -> Vec<(Option<String>, String)> {
    v["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .map(|p| {
            assert_eq!(p["kind"], "paragraph");
            assert_eq!(p["turns_before"], 0);
            let start = p["start"].as_str().map(str::to_string);
            (start, p["text"].as_str().expect("text").to_string())
        })
        .collect()
}

#[test]
fn an_srt_without_speakers_is_timed_paragraphs_of_at_most_about_a_minute() {
    let d = doc(BEES);
    assert_eq!(d.format, Some(Format::Srt));
    let v = dump(&d);
    assert_eq!(v["turns"], serde_json::json!([]));
    assert_eq!(v["speakers"], serde_json::json!([]));
    let paras = timed(&v);
    let starts: Vec<_> = paras.iter().map(|(s, _)| s.clone().expect("a start")).collect();
    // A 4 s pause (00:00:20 → 00:00:24) starts a paragraph; so does the first cue a minute
    // or more after a paragraph began (00:01:30.100, 66 s after 00:00:24).
    assert_eq!(starts, ["00:00:01", "00:00:24", "00:01:30.100", "00:02:35"]);
    assert!(paras[1].1.starts_with("Now lift the lid slowly."));
    assert!(paras[1].1.ends_with("standing upright in the cells."));
    // Every word of every cue, once: the cue text minus numbers and timing lines.
    let mut count = BTreeMap::new();
    for line in BEES.lines() {
        let l = line.trim();
        if !l.contains("-->") && !l.bytes().all(|b| b.is_ascii_digit()) {
            words(l, &mut count, 1);
        }
    }
    dump_words(&v, &mut count);
    assert_eq!(count.into_iter().filter(|&(_, n)| n != 0).collect::<Vec<_>>(), vec![]);
}

#[test]
fn a_webvtt_without_speakers_is_timed_paragraphs() {
    let d = doc(HARBOUR);
    let v = dump(&d);
    assert_eq!(v["title"], "港口夜班纪录片");
    assert_eq!(v["turns"], serde_json::json!([]));
    let paras = timed(&v);
    assert_eq!(
        paras,
        vec![
            (
                Some("00:00:00.500".into()),
                "凌晨四点，码头上的灯还亮着。第一艘渔船靠岸的时候，雾气刚刚散开。\
工人们把一筐筐带鱼搬上冷链车。这份工作他已经做了二十二年。"
                    .into()
            ),
            (Some("00:01:05.100".into()), "He says the tide decides everything here.".into()),
            (Some("00:01:45".into()), "天亮以后，鱼市开始热闹起来。 <完>".into()),
        ]
    );
    assert!(!fangtan::dump::json(&d).contains("自动字幕"), "a NOTE is not text");
    assert_eq!(lost_or_doubled(&d), vec![]);
}

#[test]
fn the_outline_of_a_caption_file_without_speakers_lists_its_parts() {
    assert_eq!(
        fangtan::dump::outline(&doc(BEES)),
        "[00:00:01] Good morning, and welcome to the apiary…\n\
[00:01:30] If you spot queen cups along the lower …\n\
[00:02:35] Finally, close everything gently and no…\n"
    );
    let harbour = fangtan::dump::outline(&doc(HARBOUR));
    assert_eq!(harbour.lines().count(), 3, "{harbour}");
    assert!(harbour.contains("[00:01:05] He says the tide"), "{harbour}");
    // Bare times in plain text without speakers make parts too.
    let bare = "(00:00:05): First thing said.\n\n(00:01:10): A minute later.\n\n\
(00:01:30): Soon after.\n\n(00:02:40): Last words.\n";
    assert_eq!(
        fangtan::dump::outline(&doc(bare)),
        "[00:00:05] First thing said.\n[00:01:10] A minute later.\n[00:02:40] Last words.\n"
    );
    assert_eq!(timed(&dump(&doc(bare)))[2], (Some("00:01:30".into()), "Soon after.".into()));
    // Untimed text outside turns makes no parts.
    assert_eq!(fangtan::dump::outline(&doc("One paragraph.\n\nAnother.\n")), "");
}

#![allow(clippy::unwrap_used)]
//! WebVTT and SRT transcripts: who speaks, when, and what the reader sees.

use fangtan::doc::{Document, Format, Item, Style};
use fangtan::parse::{ParseOptions, detect_format, parse};
use proptest::prelude::*;

const TEAHOUSE: &str = include_str!("fixtures/subs/teahouse.vtt");
const NIGHTSHIFT: &str = include_str!("fixtures/subs/nightshift.vtt");
const SCHOOL: &str = include_str!("fixtures/subs/village_school.srt");
const WORKSHOP: &str = include_str!("fixtures/subs/workshop.srt");

fn doc(text: &str) -> Document {
    parse(text.to_string(), &ParseOptions::default())
}

fn forced(text: &str, format: Format) -> Document {
    parse(text.to_string(), &ParseOptions { format: Some(format), ..ParseOptions::default() })
}

/// (speaker, start, paragraphs) for each turn.
fn turns(d: &Document) -> Vec<(String, Option<u64>, Vec<String>)> {
    d.turns
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let name = d.speakers[t.speaker()].name.clone();
            (name, t.start_ms(), d.turn_blocks(i).iter().map(|b| b.text.to_string()).collect())
        })
        .collect()
}

fn all_text(d: &Document) -> String {
    let mut out = String::new();
    for i in 0..d.items.len() {
        for b in d.item_blocks(i) {
            out.push_str(b.text);
            out.push('\n');
        }
    }
    out
}

#[test]
fn formats_are_detected_by_content() {
    assert_eq!(detect_format(TEAHOUSE), Format::Webvtt);
    assert_eq!(detect_format(NIGHTSHIFT), Format::Webvtt);
    assert_eq!(detect_format(SCHOOL), Format::Srt);
    assert_eq!(detect_format(WORKSHOP), Format::Srt);
    assert_eq!(detect_format("\n\n00:00:01,000 --> 00:00:02,000\nno number\n"), Format::Srt);
    assert_ne!(detect_format("1\nOne thing I learned --> never give up\n"), Format::Srt);
    assert_eq!(doc(SCHOOL).format, Some(Format::Srt));
}

#[test]
fn vtt_voices_with_classes_and_merged_cues() {
    let d = doc(TEAHOUSE);
    assert_eq!(
        turns(&d),
        vec![
            ("主持人".into(), Some(1000), vec!["欢迎收听本期节目。今天请到的是一位老茶客".into()]),
            (
                "老周".into(),
                Some(5100),
                vec![
                    "谢谢邀请。我在茶馆里坐了三十年，见过很多人。还记得第一次去的时候才十二岁。"
                        .into(),
                    "后来那家店搬走了。".into(),
                ]
            ),
            ("主持人".into(), Some(15000), vec!["真可惜。".into()]),
            ("老周".into(), Some(15000), vec!["是啊 & 没办法<笑>".into()]),
        ]
    );
    assert_eq!(d.speakers.len(), 2);
    assert_eq!(d.turns_of(0), [0, 2]);
}

#[test]
fn vtt_note_style_region_and_settings_never_show() {
    let d = doc(TEAHOUSE);
    let text = all_text(&d);
    for hidden in
        ["NOTE", "多行注释", "第二行", "cue(", "id:left", "align:", "line:90%", "intro", "-->"]
    {
        assert!(!text.contains(hidden), "{hidden:?} leaked into {text}");
    }
    assert!(d.items.iter().all(|i| matches!(i, Item::Turn(_))), "nothing outside turns");
}

#[test]
fn vtt_title_meta_and_label_source() {
    let d = doc(TEAHOUSE);
    let title = d.title.as_ref().unwrap();
    assert_eq!(title.text, "茶馆往事");
    assert_eq!(&d.text[title.src.range()], "茶馆往事");
    let meta: Vec<_> = d.meta.iter().map(|m| (m.key.as_str(), m.value.as_str())).collect();
    assert_eq!(meta, vec![("Kind", "captions"), ("Language", "zh-CN")]);
    assert_eq!(&d.text[d.turns[0].label_src.range()], "<v.host 主持人>");
    assert_eq!(&d.text[d.turns[1].label_src.range()], "<v 老周>");

    let d = doc(NIGHTSHIFT);
    assert_eq!(d.title.as_ref().unwrap().text, "Night Shift Radio");
}

#[test]
fn vtt_bold_becomes_strong_run() {
    let d = doc(TEAHOUSE);
    let block = d.turn_blocks(1).get(0).unwrap();
    let strong: Vec<&str> = block
        .runs
        .iter()
        .filter(|r| r.style.contains(Style::STRONG))
        .map(|r| &block.text[r.range.clone()])
        .collect();
    assert_eq!(strong, vec!["我在茶馆里坐了三十年"]);
}

#[test]
fn vtt_paragraph_source_spans_its_cues() {
    let d = doc(TEAHOUSE);
    let block = d.turn_blocks(1).get(0).unwrap();
    let src = &d.text[block.src.range()];
    assert!(src.starts_with("<v 老周>谢谢邀请"), "{src}");
    assert!(src.ends_with("才十二岁。"), "{src}");
    assert!(d.turns[1].src.end >= block.src.end);
}

#[test]
fn vtt_english_joins_with_spaces_and_strips_tags() {
    let d = doc(NIGHTSHIFT);
    assert_eq!(
        turns(&d),
        vec![
            (
                "Mara Quinn".into(),
                Some(2500),
                vec![
                    "Good evening, and thanks for staying up with us. Tonight I'm talking with \
                     a lighthouse keeper."
                        .into()
                ]
            ),
            (
                "Tobias Fenn".into(),
                Some(6200),
                vec!["Happy to be here, truly.".into(), "The lamp never sleeps.".into()]
            ),
        ]
    );
    let b = d.turn_blocks(1).get(0).unwrap();
    assert_eq!(b.runs.len(), 1);
    assert_eq!(&b.text[b.runs[0].range.clone()], "truly");
    assert!(b.runs[0].style.contains(Style::EMPHASIS));
}

#[test]
fn vtt_cue_without_voice_and_no_speaker_is_outside_turns() {
    let d = doc(NIGHTSHIFT);
    match &d.items[0] {
        Item::Block(_) => assert_eq!(d.item_blocks(0).get(0).unwrap().text, "[soft music]"),
        other => panic!("expected a block outside turns, got {other:?}"),
    }
}

#[test]
fn vtt_close_tag_then_text_continues_speaker() {
    let d = doc(
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Hello</v> there\n\n00:02.100 --> 00:03.000\n<v Bo>Hi\n",
    );
    assert_eq!(
        turns(&d),
        vec![
            ("Ann".into(), Some(1000), vec!["Hello there".into()]),
            ("Bo".into(), Some(2100), vec!["Hi".into()]),
        ]
    );
}

#[test]
fn vtt_entities_cannot_smuggle_controls() {
    let d = doc("WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>a&#27;[2Jb&#x202E;c&lrm;d&#x85;\n");
    let text = all_text(&d);
    for c in ['\u{1b}', '\u{202e}', '\u{200e}', '\u{85}'] {
        assert!(!text.contains(c), "{c:?} in {text:?}");
    }
    assert!(text.contains("[2Jb"));
}

#[test]
fn srt_names_continuation_and_pause_paragraphs_chinese() {
    let d = doc(SCHOOL);
    assert_eq!(
        turns(&d),
        vec![
            ("记者".into(), Some(1000), vec!["您好，先请您介绍一下自己。".into()]),
            (
                "林老师".into(),
                Some(3200),
                vec![
                    "我叫林秋，在山里教了二十年书。学生最多的时候有四十个。现在只剩下七个了。"
                        .into()
                ]
            ),
            ("记者".into(), Some(12000), vec!["为什么会这样？".into()]),
            ("林老师".into(), Some(14100), vec!["年轻人都进城了。有些人过年回来看看。".into()]),
        ]
    );
    assert_eq!(&d.text[d.turns[1].label_src.range()], "林老师：");
    let b = d.turn_blocks(1).get(0).unwrap();
    assert!(b.runs.iter().any(|r| &b.text[r.range.clone()] == "现在只剩下七个了"));
    let all = all_text(&d);
    assert!(!all.contains("-->") && !all.contains("<i>"));
    // Cue numbers are not text.
    assert!(!all.chars().any(|c| c.is_ascii_digit()), "{all}");
}

#[test]
fn srt_english_labels_in_one_cue_and_pauses() {
    let d = doc(WORKSHOP);
    assert_eq!(
        turns(&d),
        vec![
            (
                "HOST".into(),
                Some(500),
                vec![
                    "Welcome back to the workshop. Today we're building a birdhouse.".into(),
                    "First, measure twice.".into(),
                ]
            ),
            ("GUEST".into(), Some(9100), vec!["And cut once, right?".into()]),
            ("HOST".into(), Some(9100), vec!["Exactly. Anyway, the time is 10:30 already.".into()]),
        ]
    );
}

#[test]
fn srt_without_any_label_is_body_text() {
    let d = doc(
        "1\n00:00:01,000 --> 00:00:02,000\nRain on the roof.\n\n2\n00:00:02,100 --> 00:00:03,000\nThen silence.\n",
    );
    assert!(d.turns.is_empty());
    match &d.items[..] {
        [Item::Block(_)] => {
            assert_eq!(d.item_blocks(0).get(0).unwrap().text, "Rain on the roof. Then silence.")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn srt_is_lenient_about_garbage() {
    let text = "junk before\n\n1\n00:00:01,000 --> 00:00:02,000\nA: one\n\n\n\n00:00:xx --> nope\ntwo\n3\n00:00:03,000 --> 00:00:04,000\nthree\n\n\u{FFFD}\u{FFFD} trailing\n";
    let d = forced(text, Format::Srt);
    let all = all_text(&d);
    for piece in ["junk before", "one", "two", "three", "trailing"] {
        assert!(all.contains(piece), "{piece} lost: {all}");
    }
    assert_eq!(d.turns.len(), 1);
}

fn check_invariants(d: &Document) {
    let len = d.text.len();
    for i in 0..d.items.len() {
        for b in d.item_blocks(i) {
            let src = b.src.range();
            assert!(src.start <= src.end && src.end <= len);
            assert!(d.text.is_char_boundary(src.start) && d.text.is_char_boundary(src.end));
            let mut prev = 0;
            for r in b.runs {
                assert!(prev <= r.range.start && r.range.start < r.range.end);
                assert!(r.range.end <= b.text.len());
                assert!(b.text.is_char_boundary(r.range.start));
                assert!(b.text.is_char_boundary(r.range.end));
                prev = r.range.end;
            }
        }
    }
    for t in &d.turns {
        assert!(t.label_src.range().end <= len && t.src.range().end <= len);
    }
}

fn subtitle_soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("WEBVTT\n".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("00:00:01.000 --> 00:00:02.000 align:end\n".to_string()),
        Just("00:00:05,000 --> 00:00:09,000\n".to_string()),
        Just("-->".to_string()),
        Just("12\n".to_string()),
        Just("<v.a 甲>".to_string()),
        Just("<v 乙>".to_string()),
        Just("</v>".to_string()),
        Just("<b>".to_string()),
        Just("</b>".to_string()),
        Just("<i>".to_string()),
        Just("<".to_string()),
        Just("&amp;".to_string()),
        Just("&#".to_string()),
        Just("主持人：".to_string()),
        Just("Bob: ".to_string()),
        Just("NOTE ".to_string()),
        Just("{\\an8}".to_string()),
        "[a-z 你好。，]{0,8}",
    ];
    prop::collection::vec(token, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn parsers_never_panic_on_arbitrary_text(s in any::<String>()) {
        check_invariants(&forced(&s, Format::Webvtt));
        check_invariants(&forced(&s, Format::Srt));
    }

    #[test]
    fn parsers_never_panic_on_subtitle_like_text(s in subtitle_soup()) {
        check_invariants(&forced(&s, Format::Webvtt));
        check_invariants(&forced(&s, Format::Srt));
    }
}

#[test]
fn huge_single_line_cue_is_fine() {
    let mut s = String::from("WEBVTT\n\n00:01.000 --> 00:02.000\n<v A>");
    s.push_str(&"<".repeat(200_000));
    s.push_str(&"字".repeat(200_000));
    let d = forced(&s, Format::Webvtt);
    assert_eq!(d.turns.len(), 1);
    let d = forced(&s.replace("WEBVTT", "1"), Format::Srt);
    check_invariants(&d);
}

#[test]
fn vtt_header_after_leading_blank_lines() {
    let d = doc("\n\nWEBVTT\n\n00:01.000 --> 00:02.000\n<v 甲>你好\n");
    assert_eq!(d.format, Some(Format::Webvtt));
    assert_eq!(turns(&d), vec![("甲".into(), Some(1000), vec!["你好".into()])]);
    assert!(!all_text(&d).contains("WEBVTT"));
}

#[test]
fn vtt_without_voice_tags_takes_name_labels() {
    let d = doc(include_str!("fixtures/subs/standup.vtt"));
    assert_eq!(
        turns(&d),
        vec![
            (
                "Priya Raman".into(),
                Some(800),
                vec!["Morning all, quick round today. Let's keep it to a minute each.".into()]
            ),
            (
                "Wen Hao".into(),
                Some(6400),
                vec!["我昨天把缓存的问题修好了，今天准备写测试。".into()]
            ),
            // A label-like start is a speaker: the known cost of guessing names.
            ("Status".into(), Some(10000), vec!["green, I think.".into()]),
        ]
    );
    assert_eq!(&d.text[d.turns[1].label_src.range()], "Wen Hao:");
}

#[test]
fn vtt_voice_tags_win_over_colons() {
    let d = doc("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ann>Note: the room is cold\n");
    assert_eq!(turns(&d), vec![("Ann".into(), Some(1000), vec!["Note: the room is cold".into()])]);
}

#[test]
fn srt_label_inside_markup() {
    let d = doc(
        "1\n00:00:01,000 --> 00:00:02,000\n<b>HOST:</b> Welcome.\n\n2\n00:00:02,100 --> 00:00:03,000\n{\\an8}<i>GUEST: Thanks.</i>\n",
    );
    assert_eq!(
        turns(&d),
        vec![
            ("HOST".into(), Some(1000), vec!["Welcome.".into()]),
            ("GUEST".into(), Some(2100), vec!["Thanks.".into()]),
        ]
    );
    let b = d.turn_blocks(1).get(0).unwrap();
    assert_eq!(b.runs.len(), 1, "the italic opened before the label still applies");
    assert!(b.runs[0].style.contains(Style::EMPHASIS));
}

#[test]
fn srt_unescaped_angle_brackets_stay_text() {
    let d = forced("1\n00:00:01,000 --> 00:00:02,000\nA: if a < b and c > d then\n", Format::Srt);
    assert_eq!(turns(&d)[0].2, vec!["if a < b and c > d then".to_string()]);
}

#[test]
fn vtt_cues_without_blank_line_between_them() {
    let d = doc("WEBVTT\n00:01.000 --> 00:02.000\n<v A>one\n00:05.000 --> 00:06.000\n<v B>two\n");
    assert_eq!(
        turns(&d),
        vec![
            ("A".into(), Some(1000), vec!["one".into()]),
            ("B".into(), Some(5000), vec!["two".into()]),
        ]
    );
}

#[test]
fn vtt_many_cues_without_blank_lines_do_not_overflow() {
    let mut s = String::from("WEBVTT\n");
    for i in 0..50_000u64 {
        s.push_str(&format!("00:00:{:02}.000 --> 00:00:{:02}.500\n<v A>x\n", i % 60, i % 60));
    }
    let d = forced(&s, Format::Webvtt);
    assert_eq!(d.turns.len(), 1);
}

#[test]
fn vtt_ruby_readings_and_language_spans_are_not_text() {
    let d = doc(
        "WEBVTT\n\n00:01.000 --> 00:02.000\n<v 甲><ruby>茶<rt>chá</rt></ruby>馆很<lang en>cozy</lang>。\n",
    );
    assert_eq!(turns(&d)[0].2, vec!["茶馆很cozy。".to_string()]);
}

#![allow(clippy::unwrap_used)]
//! WebVTT and SRT transcripts: who speaks, when, and what the reader sees.

use fangtan::doc::{Document, Format, Item, Style};
use fangtan::parse::{ParseOptions, detect_format, parse};
use proptest::prelude::*;

const TEAHOUSE: &str = include_str!("../fixtures/subs/teahouse.vtt");
const NIGHTSHIFT: &str = include_str!("../fixtures/subs/nightshift.vtt");
const SCHOOL: &str = include_str!("../fixtures/subs/village_school.srt");
const WORKSHOP: &str = include_str!("../fixtures/subs/workshop.srt");

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
    // One `A:` in a file is not a pattern of labels (issue 12): it stays text.
    assert!(d.turns.is_empty());
    assert!(all.contains("A: one"), "{all}");
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
        Just("[SPEAKER_01] ".to_string()),
        Just("1 \"Ann Lee\" (42)\n".to_string()),
        Just("<00:00:01.500><c> ".to_string()),
        Just("</c>".to_string()),
        Just(" \n".to_string()),
        Just("00:00:02.000 --> 00:00:02.010\n".to_string()),
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
    let d = doc(include_str!("../fixtures/subs/standup.vtt"));
    // Three labels, no name said twice: not yet a pattern of labels (issue 12 changed this
    // from "every label-like start is a speaker", which made `Status` one). Nothing is lost.
    assert!(d.turns.is_empty());
    assert!(all_text(&d).contains("Status: green, I think."));
    // The same meeting going on: the names recur, and every label counts, `Status`'s too.
    let more = "\n\n5\n00:00:12.500 --> 00:00:14.000\nPriya Raman: Thanks, that's all.\n";
    let text = format!("{}{more}", include_str!("../fixtures/subs/standup.vtt"));
    let d = doc(&text);
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
            // A one-time speaker, once the file has established its labels.
            ("Status".into(), Some(10000), vec!["green, I think.".into()]),
            ("Priya Raman".into(), Some(12500), vec!["Thanks, that's all.".into()]),
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
        "1\n00:00:01,000 --> 00:00:02,000\n<b>HOST:</b> Welcome.\n\n2\n00:00:02,100 --> 00:00:03,000\n{\\an8}<i>GUEST: Thanks.</i>\n\n3\n00:00:03,100 --> 00:00:04,000\nHOST: Bye.\n",
    );
    assert_eq!(
        turns(&d),
        vec![
            ("HOST".into(), Some(1000), vec!["Welcome.".into()]),
            ("GUEST".into(), Some(2100), vec!["Thanks.".into()]),
            ("HOST".into(), Some(3100), vec!["Bye.".into()]),
        ]
    );
    let b = d.turn_blocks(1).get(0).unwrap();
    assert_eq!(b.runs.len(), 1, "the italic opened before the label still applies");
    assert!(b.runs[0].style.contains(Style::EMPHASIS));
}

#[test]
fn srt_unescaped_angle_brackets_stay_text() {
    let d = forced("1\n00:00:01,000 --> 00:00:02,000\nA: if a < b and c > d then\n", Format::Srt);
    assert_eq!(all_text(&d).trim(), "A: if a < b and c > d then");
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

// Issue 12.4: captions as video sites, meeting services and speech-to-text write them.

const ROLLING: &str = include_str!("../fixtures/subs/rolling_auto.vtt");
const ROLLING_SCRIPT: &str = include_str!("../fixtures/subs/rolling_script.txt");

/// How often each word occurs.
fn word_counts(text: &str) -> std::collections::BTreeMap<String, usize> {
    let mut m = std::collections::BTreeMap::new();
    for w in text.split_whitespace() {
        *m.entry(w.to_string()).or_insert(0) += 1;
    }
    m
}

#[test]
fn rolling_auto_captions_show_each_word_once() {
    let d = doc(ROLLING);
    assert!(d.turns.is_empty(), "auto-captions name no speaker");
    let text = all_text(&d);
    assert_eq!(word_counts(&text), word_counts(ROLLING_SCRIPT), "{text}");
    // In order, too: the text reads as the script does.
    let script: Vec<&str> = ROLLING_SCRIPT.split_whitespace().collect();
    assert_eq!(text.split_whitespace().collect::<Vec<_>>(), script);
    // Inline timing and class tags never show.
    assert!(!text.contains('<') && !text.contains("00:"), "{text}");
    // The pause before "now let me show you" starts a paragraph, at the cue's start.
    let paras: Vec<String> = (0..d.items.len())
        .flat_map(|i| d.item_blocks(i).iter().map(|b| b.text.to_string()).collect::<Vec<_>>())
        .collect();
    assert_eq!(paras.len(), 2, "{paras:?}");
    assert!(paras[0].starts_with("hi everyone and welcome") && paras[0].ends_with("falling in"));
    assert!(paras[1].starts_with("now let me show you the hive itself"), "{paras:?}");
}

#[test]
fn rolling_captions_as_srt_and_paint_on_growth() {
    // The same roll as SubRip (no inline tags), with a speaker who repeats a word across
    // the line break, and cues that grow a word at a time.
    let srt = "1\n00:00:00,000 --> 00:00:02,000\nwe said no\n\n\
               2\n00:00:02,000 --> 00:00:04,000\nwe said no\nno and no again\n\n\
               3\n00:00:04,000 --> 00:00:06,000\nno and no again\nthen we left\n\n\
               4\n00:00:06,000 --> 00:00:08,000\nthen we left\nquietly\n";
    assert_eq!(all_text(&doc(srt)).trim(), "we said no no and no again then we left quietly");
    let vtt = "WEBVTT\n\n00:00.000 --> 00:01.000\nthe\n\n00:01.000 --> 00:02.000\nthe tide\n\n\
               00:02.000 --> 00:03.000\nthe tide was\n\n00:03.000 --> 00:04.000\nthe tide was out\n\n\
               00:04.000 --> 00:05.000\nthe tide was out\nand the\n\n\
               00:05.000 --> 00:06.000\nthe tide was out\nand the boats\n";
    assert_eq!(all_text(&doc(vtt)).trim(), "the tide was out and the boats");
}

#[test]
fn repeated_lines_in_ordinary_captions_are_kept() {
    // Not a rolling file: a line said again in the next cue is said twice.
    let vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\nNo.\n\n00:02.500 --> 00:03.000\nNo.\n\n\
               00:03.500 --> 00:05.000\nAbsolutely not.\n\n00:05.500 --> 00:06.000\nNo.\n";
    assert_eq!(all_text(&doc(vtt)).trim(), "No. No. Absolutely not. No.");
}

#[test]
fn chinese_asr_colons_are_not_speakers() {
    let text = include_str!("../fixtures/subs/asr_lecture.srt");
    let d = doc(text);
    assert!(d.speakers.is_empty(), "{:?}", d.speakers.iter().map(|s| &s.name).collect::<Vec<_>>());
    assert!(d.turns.is_empty());
    let expected: String = text
        .lines()
        .filter(|l| !l.is_empty() && !l.contains("-->") && !l.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    assert_eq!(all_text(&d).replace('\n', ""), expected);
}

#[test]
fn a_one_off_colon_in_english_captions_is_not_a_speaker() {
    let d = doc("1\n00:00:01,000 --> 00:00:03,000\nThe plan is simple: we walk.\n\n\
         2\n00:00:03,000 --> 00:00:05,000\nIt rained the whole way.\n");
    assert!(d.turns.is_empty());
    assert_eq!(all_text(&d).trim(), "The plan is simple: we walk. It rained the whole way.");
}

#[test]
fn meeting_captions_name_speakers_in_cue_identifiers() {
    let d = doc(include_str!("../fixtures/subs/meeting.vtt"));
    assert_eq!(
        turns(&d),
        vec![
            (
                "Dana Whitfield".into(),
                Some(1200),
                vec![
                    "Okay, I think everyone is here, so let's start. First item is the venue \
                      for the spring workshop."
                        .into()
                ]
            ),
            (
                "Marcus Oyelaran".into(),
                Some(8000),
                vec![
                    "I called the library on Tuesday and they still have the big room free in \
                      April. It seats about sixty."
                        .into()
                ]
            ),
            ("Dana Whitfield".into(), Some(13400), vec!["That's plenty. Any objections?".into()]),
            // The voice tag wins over the identifier.
            ("Ines Carvalho".into(), Some(15200), vec!["Only that parking there is awful.".into()]),
            (
                "Dana Whitfield".into(),
                Some(17300),
                vec![
                    "Fair point, Ines. We'll mention the tram.".into(),
                    "Next item: the budget. Marcus, can you share it?".into()
                ]
            ),
        ]
    );
    assert_eq!(d.speakers.len(), 3);
    // The paragraph after a pause keeps its own start.
    assert_eq!(d.turn_block_start(4, 1), Some(23000));
    let all = all_text(&d);
    assert!(!all.contains("2241907733") && !all.contains('"'), "{all}");
}

#[test]
fn bracketed_machine_labels_lose_their_brackets() {
    let d = doc(include_str!("../fixtures/subs/diarized.srt"));
    assert_eq!(
        turns(&d),
        vec![
            ("SPEAKER_00".into(), Some(500), vec!["Thanks for coming in today.".into()]),
            (
                "SPEAKER_01".into(),
                Some(3100),
                vec!["Happy to. It's been a long week, but a good one.".into()]
            ),
            ("SPEAKER_00".into(), Some(6500), vec!["What kept you busy?".into()]),
            (
                "SPEAKER_01".into(),
                Some(9200),
                vec![
                    "Mostly the harvest. We picked the last of the apples on Friday. And the \
                      pears are next week."
                        .into()
                ]
            ),
            ("SPEAKER_00".into(), Some(15100), vec!["Sounds like hard work.".into()]),
        ]
    );
    assert!(!all_text(&d).contains('['));
    let vtt = "WEBVTT\n\n00:01.000 --> 00:02.000\n[SPEAKER_03]: Ready?\n\n\
               00:02.500 --> 00:04.000\n[SPEAKER_04] Ready.\n\n00:04.500 --> 00:05.000\n[Music]\n";
    let d = doc(vtt);
    assert_eq!(
        turns(&d),
        vec![
            ("SPEAKER_03".into(), Some(1000), vec!["Ready?".into()]),
            ("SPEAKER_04".into(), Some(2500), vec!["Ready. [Music]".into()]),
        ]
    );
}

#[test]
fn machine_labels_take_config_aliases_and_names() {
    let cfg = fangtan::config::Config::from_user_text(
        "config.toml",
        "[speakers.aliases]\n\"SPEAKER_01\" = \"Farmer\"\n\n\
         [speakers.names]\n\"SPEAKER_00\" = \"Interviewer\"\n",
    )
    .unwrap();
    let d = parse(include_str!("../fixtures/subs/diarized.srt").to_string(), &cfg.parse_options());
    let speakers: Vec<(&str, Option<&str>)> =
        d.speakers.iter().map(|s| (s.name.as_str(), s.display_name.as_deref())).collect();
    assert_eq!(speakers, vec![("SPEAKER_00", Some("Interviewer")), ("Farmer", None)]);
    assert_eq!(d.turns_of(1), [1, 3]);
}

#[test]
fn srt_names_with_credentials_and_a_one_time_speaker() {
    let d = doc(include_str!("../fixtures/subs/panel.srt"));
    assert_eq!(
        turns(&d),
        vec![
            (
                "MODERATOR".into(),
                Some(0),
                vec![
                    "Good afternoon and welcome to the panel. Our first guest runs the night \
                      clinic downtown."
                        .into()
                ]
            ),
            (
                "Dr. Lee, MD".into(),
                Some(7200),
                vec!["Thank you. We see about forty patients on a quiet night.".into()]
            ),
            ("MODERATOR".into(), Some(11000), vec!["And on a busy one?".into()]),
            (
                "Dr. Lee, MD".into(),
                Some(14200),
                vec!["Double that. The plan is simple: nobody waits outside.".into()]
            ),
            ("Tomás Ibarra".into(), Some(18500), vec!["Can I ask how you staff that?".into()]),
            (
                "MODERATOR".into(),
                Some(21200),
                vec!["A question from the floor, go ahead. We have time until 10:30.".into()]
            ),
        ]
    );
    assert_eq!(&d.text[d.turns[1].label_src.range()], "Dr. Lee, MD:");
}

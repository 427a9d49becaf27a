#![allow(clippy::unwrap_used)]
//! The plain-text parser: paragraphs at blank lines (or at labels when a file has none),
//! `Name: text` labels by the two-uses rule, hard wraps joined as in Markdown.

use fangtan::doc::{Document, Format};
use fangtan::parse::{ParseOptions, detect_format, parse};
use proptest::prelude::*;

use crate::support::doc as support;
use support::{all_blocks, parse_as, speakers, turn_speakers, turn_texts};

fn plain(src: &str) -> Document {
    parse_as(Format::Plain, src)
}

#[test]
fn paragraphs_split_at_blank_lines_and_labels_need_two_uses() {
    let text = include_str!("../fixtures/plain/paragraphs.txt");
    assert_eq!(detect_format(text), Format::Plain);
    let doc = parse(text.to_string(), &ParseOptions::default());
    assert_eq!(doc.format, Some(Format::Plain));
    assert_eq!(speakers(&doc), vec!["Kai", "米拉"]);
    assert_eq!(turn_speakers(&doc), vec!["Kai", "米拉", "Kai", "米拉"]);
    assert_eq!(turn_texts(&doc, 0), vec!["Welcome back to the show. Today we talk about tea."]);
    // One-off `Note:` and `注意：` are text of the turn they follow.
    assert_eq!(
        turn_texts(&doc, 1),
        vec![
            "大家好，我是米拉。今天我们聊聊茶。",
            "Note: the audio was noisy here.",
            "注意：以下内容有删节。",
        ]
    );
    assert_eq!(turn_texts(&doc, 2), vec!["So, where do we start?"]);
    // `https:` is never a label: no whitespace after its colon.
    assert_eq!(turn_texts(&doc, 3), vec!["从水开始。", "https://example.org/tea 是节目主页。"]);
}

#[test]
fn without_blank_lines_every_line_is_an_utterance() {
    let doc = plain(include_str!("../fixtures/plain/no_blank_lines.txt"));
    assert_eq!(turn_speakers(&doc), vec!["Kai", "米拉", "Kai", "米拉"]);
    let texts: Vec<Vec<&str>> = (0..4).map(|t| turn_texts(&doc, t)).collect();
    assert_eq!(
        texts,
        vec![
            vec!["First line of Kai."],
            // One utterance per line: the lines are utterances, not hard wraps.
            vec!["第一句。", "这一行接着上一句", "继续写。"],
            vec!["Second line,", "still Kai."],
            vec!["第二句。"],
        ]
    );
}

#[test]
fn names_may_hold_dots_and_emoji_but_not_sentence_punctuation_or_urls() {
    let doc = plain(include_str!("../fixtures/plain/names.txt"));
    assert_eq!(speakers(&doc), vec!["Dr. Wu", "小鹿🦌"]);
    assert_eq!(turn_speakers(&doc), vec!["Dr. Wu", "小鹿🦌", "Dr. Wu", "小鹿🦌"]);
    // Used twice, but a comma, a too-long "name" or a URL's `https:` is never a label.
    assert_eq!(
        turn_texts(&doc, 3),
        vec![
            "好。",
            "我想说的是，其实：这不是标签。",
            "我想说的是，其实：这也不是。",
            "这是一句相当长的开头它一点也不像名字而且远远超过了三十个字的上限所以不算：一。",
            "这是一句相当长的开头它一点也不像名字而且远远超过了三十个字的上限所以不算：二。",
            "https://example.org/a 是第一个链接。",
            "https://example.org/b 是第二个链接。",
        ]
    );
}

#[test]
fn a_text_without_labels_is_just_paragraphs() {
    let doc = plain(include_str!("../fixtures/plain/no_labels.txt"));
    assert!(doc.speakers.is_empty());
    assert!(doc.turns.is_empty());
    let texts: Vec<&str> = all_blocks(&doc).iter().map(|b| b.text).collect();
    assert_eq!(
        texts,
        vec![
            "这是一份没有任何发言人标记的文字稿。它只是几段普通的文字。",
            "第二段：这里有一个冒号，但只出现一次。",
            "Third paragraph in English, wrapped across two lines.",
        ]
    );
}

#[test]
fn a_txt_file_holding_markdown_is_markdown() {
    let text = include_str!("../fixtures/plain/markdown_in.txt");
    assert_eq!(detect_format(text), Format::Markdown);
    let doc = parse(text.to_string(), &ParseOptions::default());
    assert_eq!(doc.format, Some(Format::Markdown));
    assert_eq!(doc.title.as_ref().unwrap().text, "其实是 Markdown");
    assert_eq!(speakers(&doc), vec!["甲"]);
    assert_eq!(doc.turns.len(), 2);
    assert_eq!(turn_texts(&doc, 0), vec!["你好。"]);
}

#[test]
fn plain_text_keeps_stars_and_hashes_as_written() {
    // Plain text has no markup: what looks like it is the author's text.
    let doc = plain("甲：2 * 3 = 6\n\n甲：#不是标题\n");
    assert_eq!(turn_speakers(&doc), vec!["甲", "甲"]);
    assert_eq!(turn_texts(&doc, 0), vec!["2 * 3 = 6"]);
    assert_eq!(turn_texts(&doc, 1), vec!["#不是标题"]);
}

#[test]
fn blank_and_whitespace_only_lines_do_not_panic() {
    for s in
        ["", " ", " \n", "\n\n", "\u{3000}\n", "\t\n  \n", "甲：一\n \n甲：二", "甲： \n甲：\n"]
    {
        let doc = plain(s);
        assert!(all_blocks(&doc).iter().all(|b| !b.text.trim().is_empty()), "{s:?}");
    }
    let doc = plain("甲：一\n   \n甲：二\n");
    assert_eq!(turn_speakers(&doc), vec!["甲", "甲"]);
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

fn plainish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("：".to_string()),
        Just(": ".to_string()),
        Just(":".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just(" ".to_string()),
        Just("甲：".to_string()),
        Just("Kai: ".to_string()),
        Just("https://x.org ".to_string()),
        Just("。".to_string()),
        "[一-龥]{1,6}",
        "[a-zA-Z]{1,6}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn plain_parse_never_panics(s in any::<String>()) {
        let _ = plain(&s);
    }

    #[test]
    fn plain_parse_drops_no_cjk_character(s in plainish()) {
        let doc = plain(&s);
        let mut shown: String = doc.speakers.iter().map(|s| s.name.as_str()).collect();
        // The title and metadata at the top are shown too.
        shown.extend(doc.title.iter().map(|t| t.text.as_str()));
        shown.extend(doc.meta.iter().flat_map(|m| [m.key.as_str(), m.value.as_str()]));
        for b in all_blocks(&doc) {
            shown.push_str(b.text);
        }
        for c in s.chars().filter(|&c| is_cjk(c)) {
            prop_assert!(shown.contains(c), "{c:?} of {s:?} missing from {shown:?}");
        }
    }
}

#[test]
fn references_and_front_matter_in_plain_text() {
    let text = include_str!("../fixtures/plain/entities.txt");
    assert_eq!(detect_format(text), Format::Plain);
    let doc = parse(text.to_string(), &ParseOptions::default());
    assert_eq!(doc.title.as_ref().unwrap().text, "Letters from Porto");
    let meta: Vec<(&str, &str)> =
        doc.meta.iter().map(|m| (m.key.as_str(), m.value.as_str())).collect();
    assert_eq!(meta, [("host", "José Almeida")]);
    assert_eq!(turn_speakers(&doc), ["José", "Ana", "José", "Ana"]);
    assert_eq!(turn_texts(&doc, 0), ["Bom dia & welcome. It's a grey morning in Porto."]);
    assert_eq!(turn_texts(&doc, 1), ["Olá! The river\u{a0}is high today."]);
    assert_eq!(
        turn_texts(&doc, 2),
        ["We start with the \"old bridge\" story — and 中文 readers too. Ready?"]
    );
    // What the author escaped shows as written; a `&` that starts no reference stays.
    assert_eq!(turn_texts(&doc, 3), ["<laughs> Of course. AT&T and R&D stay as they are."]);
    // No rule, no `key:` line of the front matter is text.
    for b in all_blocks(&doc) {
        assert!(!b.text.contains("---") && !b.text.contains("title"), "{:?}", b.text);
    }
}

#[test]
fn a_txt_with_front_matter_and_markdown_is_markdown_and_keeps_its_meta() {
    let text =
        "---\ntitle: Field Notes\nrecorded: 2022-07-09\n---\n\n**Ana:** Hi.\n\n**Bo:** Hello.\n";
    assert_eq!(detect_format(text), Format::Markdown);
    let doc = parse(text.to_string(), &ParseOptions::default());
    assert_eq!(doc.title.as_ref().unwrap().text, "Field Notes");
    assert_eq!(doc.meta.len(), 1);
    assert_eq!(turn_speakers(&doc), ["Ana", "Bo"]);
}

#[test]
fn known_html_tags_in_plain_text_are_dropped_and_lines_of_html_blocks_are_a_page() {
    let doc = plain(
        "Ana: one<br>two <i>three</i>\nBo: <span class=x>four</span> <inaudible>\nAna: five\nBo: six\n",
    );
    assert_eq!(turn_texts(&doc, 0), ["one two three"]);
    assert_eq!(turn_texts(&doc, 1), ["four <inaudible>"]);
    // A text whose lines are block-level HTML is an HTML page (a fragment without
    // `<html>`), its paragraphs' labels read as anywhere else.
    let html = "<p>Ana: Hello.</p>\n<p>Bo: Hi.</p>\n<p>Ana: Bye.</p>\n";
    assert_eq!(detect_format(html), Format::Html);
    let doc = parse(html.to_string(), &ParseOptions::default());
    assert_eq!(turn_speakers(&doc), ["Ana", "Bo", "Ana"]);
}

/// Numbered items of a list of notes (`Lesson one:`, `Step 2:`) are not speakers, even said
/// twice; `Speaker 2:` still is.
#[test]
fn numbered_list_items_are_not_speakers() {
    let notes = "What I learned.\n\nLesson one: ship small things.\nLesson two: write tests.\n\
                 Remember: nobody reads the manual.\nLesson one: again, ship small.\n";
    assert!(plain(notes).speakers.is_empty());
    let talk = "Speaker 1: Hi.\nSpeaker 2: Hello.\nSpeaker 1: Bye.\n";
    assert_eq!(speakers(&plain(talk)), vec!["Speaker 1", "Speaker 2"]);
}

/// An editor's `重点：` (key point) between turns is not a speaker, and the line stays text.
#[test]
fn a_key_point_note_is_not_a_speaker() {
    let doc = plain("主持人：欢迎。\n王芳：谢谢。\n重点：早上六点最多。\n主持人：有意思。\n");
    assert_eq!(speakers(&doc), vec!["主持人", "王芳"]);
    assert_eq!(turn_texts(&doc, 1), vec!["谢谢。", "重点：早上六点最多。"]);
}

fn meta(doc: &Document) -> Vec<(String, String)> {
    doc.meta.iter().map(|m| (m.key.clone(), m.value.clone())).collect()
}

#[test]
fn a_short_first_line_is_the_title_and_key_value_lines_under_it_are_metadata() {
    let doc = plain(
        "山居对谈\n\n作者：测试编辑\n日期：2024年3月\n\n阿青：欢迎两位来到山里。\n\n老周：谢谢。\n\n\
         阿青：我们开始吧。\n\n老周：好的。\n",
    );
    assert_eq!(doc.title.as_ref().map(|t| t.text.as_str()), Some("山居对谈"));
    let want = [("作者", "测试编辑"), ("日期", "2024年3月")];
    assert_eq!(meta(&doc), want.map(|(k, v)| (k.to_string(), v.to_string())));
    assert_eq!(turn_speakers(&doc), vec!["阿青", "老周", "阿青", "老周"]);
    assert_eq!(turn_texts(&doc, 0), vec!["欢迎两位来到山里。"]);
    // Without a title line, the metadata at the top all the same.
    let doc = plain(
        "Host: Ann Lee\nRecorded: 3 May\n\nAnn: Welcome.\n\nBo: Thanks.\n\nAnn: So.\n\nBo: Yes.\n",
    );
    assert!(doc.title.is_none());
    assert_eq!(meta(&doc).len(), 2, "{:?}", meta(&doc));
    assert_eq!(turn_speakers(&doc), vec!["Ann", "Bo", "Ann", "Bo"]);
}

#[test]
fn a_conversation_from_the_first_line_stays_turns() {
    // `Name: text` lines at the top whose names speak again are turns, not metadata.
    let doc = plain("Ann: hello there\nBo: hi\n\nAnn: how are you\n\nBo: fine\n");
    assert!(doc.meta.is_empty() && doc.title.is_none(), "{:?}", meta(&doc));
    assert_eq!(turn_speakers(&doc), vec!["Ann", "Bo", "Ann", "Bo"]);
    // A key that comes twice in the block is people talking.
    let doc = plain("甲：你好\n乙：你好\n甲：再见\n");
    assert!(doc.meta.is_empty(), "{:?}", meta(&doc));
    // A first line that ends a sentence, or is a label, is no title.
    let doc = plain("Welcome back to the show.\n\nKai: hi\n\nMia: hello\n\nKai: bye\n\nMia: bye\n");
    assert!(doc.title.is_none());
    let doc = plain("Kai: hi\n\nMia: hello\n\nKai: bye\n\nMia: bye\n");
    assert!(doc.title.is_none());
    assert_eq!(turn_speakers(&doc), vec!["Kai", "Mia", "Kai", "Mia"]);
    // One line alone is the text, not a title over nothing.
    let doc = plain("一句话\n");
    assert!(doc.title.is_none());
}

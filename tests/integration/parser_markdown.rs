#![allow(clippy::unwrap_used)]
//! The Markdown parser, rule by rule: each fixture under `tests/fixtures/md/` pins one rule
//! or trap of the transcript spec, and the bundled sample is checked as designed.

use std::collections::HashMap;

use fangtan::doc::{Block, BlockKind, Document, Format, Item, Style};
use fangtan::parse::{ParseOptions, detect_format, parse};
use proptest::prelude::*;

use crate::support::doc as support;
use support::{all_blocks, parse_as, speakers, turn_speakers, turn_texts};

fn md(src: &str) -> Document {
    parse_as(Format::Markdown, src)
}

/// The first block's text of every turn.
fn first_texts(doc: &Document) -> Vec<&str> {
    (0..doc.turns.len()).map(|t| doc.turn_blocks(t).first().map_or("", |b| b.text)).collect()
}

fn quotes(doc: &Document) -> Vec<&str> {
    doc.quotes.iter().map(|q| doc.quote_text(q)).collect()
}

/// Blocks outside any turn, in reading order.
fn loose_blocks(doc: &Document) -> Vec<Block<'_>> {
    (0..doc.items.len())
        .filter(|&i| matches!(doc.items[i], Item::Block(_)))
        .flat_map(|i| doc.item_blocks(i))
        .collect()
}

fn section_titles(doc: &Document) -> Vec<&str> {
    doc.sections.iter().map(|s| s.title.as_str()).collect()
}

fn meta(doc: &Document) -> Vec<(&str, &str)> {
    doc.meta.iter().map(|m| (m.key.as_str(), m.value.as_str())).collect()
}

/// No markup star may survive into display text (code is verbatim and exempt).
fn assert_no_stars(doc: &Document) {
    for b in all_blocks(doc) {
        if b.kind != BlockKind::Code {
            assert!(!b.text.contains('*'), "stray * in {:?}", b.text);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Title and meta

#[test]
fn title_is_the_first_h1_and_key_value_lines_become_meta_in_order() {
    let doc = md(include_str!("../fixtures/md/title_meta.md"));
    assert_eq!(doc.title.as_ref().unwrap().text, "茶馆里的对话｜第三期");
    assert_eq!(
        meta(&doc),
        vec![
            ("作者", "青石编辑部"),
            ("发布时间", "2025-11-02"),
            ("原文链接", "https://example.org/qingshi/3"),
            ("Author", "Qingshi Editorial"),
        ]
    );
    // A sentence with a colon in it is preamble, not meta.
    let loose = loose_blocks(&doc);
    assert_eq!(loose.len(), 1);
    assert_eq!(loose[0].text, "这是一段导语，里面也有冒号：但它是一句完整的话，不是元数据。");
    assert_eq!(section_titles(&doc), vec!["正文"]);
    assert_eq!(speakers(&doc), vec!["阿禾"]);
}

#[test]
fn meta_lines_may_be_separate_paragraphs_and_stop_at_the_first_section() {
    let doc = md(include_str!("../fixtures/md/meta_paragraphs.md"));
    assert_eq!(doc.title.as_ref().unwrap().text, "分段的元数据");
    assert_eq!(meta(&doc), vec![("作者", "岚"), ("Translator", "Jun Park")]);
    let loose = loose_blocks(&doc);
    assert_eq!(loose.len(), 1);
    assert_eq!(loose[0].text, "来源：这一行在第一节之后，所以只是一段普通文字。");
    assert!(doc.turns.is_empty(), "a one-off `来源：` is not a speaker");
}

// ---------------------------------------------------------------------------------------
// Labels

#[test]
fn every_bold_label_form_starts_a_turn_and_names_are_kept_as_written() {
    let doc = md(include_str!("../fixtures/md/label_forms.md"));
    assert_eq!(speakers(&doc), vec!["林小雨", "Tom Hale", "周·默", "Dr. Chen", "小鹿🦌"]);
    assert_eq!(
        turn_speakers(&doc),
        vec!["林小雨", "Tom Hale", "周·默", "Dr. Chen", "小鹿🦌", "林小雨"]
    );
    assert_eq!(
        first_texts(&doc),
        vec![
            "全角冒号写在加粗里面。",
            "ASCII colon inside the bold.",
            "全角冒号写在加粗外面。",
            "ASCII colon outside the bold.",
            "名字里可以有表情。",
            "同一个名字再说一次。",
        ]
    );
    assert_eq!(doc.turns_of(0), [0, 5]);
    assert!(doc.turns.iter().all(|t| t.start_ms().is_none()));
    // The label's source range holds the label, and the turn's range holds the label.
    for t in &doc.turns {
        let label = &doc.text[t.label_src.range()];
        assert!(label.contains(doc.speakers[t.speaker()].name.as_str()), "{label:?}");
        assert!(label.trim_end().ends_with(['：', ':', '*']), "{label:?}");
        assert!(t.src.start <= t.label_src.start && t.label_src.end <= t.src.end);
    }
    assert!(doc.quotes.is_empty(), "a label is not a quote");
    assert_no_stars(&doc);
}

#[test]
fn timestamps_in_labels_give_the_start_time() {
    let doc = md(include_str!("../fixtures/md/timestamps.md"));
    assert_eq!(speakers(&doc), vec!["苏青"]);
    let starts: Vec<Option<u64>> = doc.turns.iter().map(|t| t.start_ms()).collect();
    assert_eq!(starts, vec![Some(754_000), Some(754_000), Some(3_723_000), None]);
    assert_eq!(
        first_texts(&doc),
        vec![
            "括号里的时间戳。",
            "方括号时间戳在前面。",
            "方括号时间戳加上不加粗的名字。",
            "没有时间戳。"
        ]
    );
    for b in all_blocks(&doc) {
        assert!(!b.text.contains("00:"), "timestamp left in text: {:?}", b.text);
    }
}

#[test]
fn plain_labels_need_two_uses_and_an_ascii_colon_needs_whitespace() {
    let doc = md(include_str!("../fixtures/md/plain_labels.md"));
    assert_eq!(speakers(&doc), vec!["问", "答", "Kai"]);
    assert_eq!(turn_speakers(&doc), vec!["问", "答", "问", "答", "Kai", "Kai"]);
    // The one-off `注意：` stays text of the turn it follows.
    assert_eq!(turn_texts(&doc, 1), vec!["第一个回答。", "注意：以上内容仅供参考。"]);
    // A one-off `Note:` and a URL (`https:` has no whitespace after the colon) likewise.
    assert_eq!(
        turn_texts(&doc, 3),
        vec![
            "第二个回答。",
            "Note: this line is a one-off note.",
            "https://example.org/letters 是原文地址。",
            "https://example.org/replies 是回信地址。",
        ]
    );
    assert_eq!(first_texts(&doc)[4..], ["第一次用不加粗的英文名。", "第二次。"]);
}

#[test]
fn a_label_is_short_and_has_no_sentence_punctuation() {
    let doc = md(include_str!("../fixtures/md/name_shape.md"));
    assert_eq!(speakers(&doc), vec!["主持人"]);
    assert_eq!(doc.turns.len(), 1);
    assert_eq!(
        turn_texts(&doc, 0),
        vec![
            "开场白。",
            "我想说的是，这件事很重要：逗号说明这是一句话，不是名字。",
            "你真的这么想吗？：问号也说明这是一句话。",
            "这是一个非常非常长的加粗短语它远远超过了三十个字符所以绝不可能是某个人的名字吧：正文。",
            "Why not?: Not a name either.",
        ]
    );
    // Not labels, so the bold is what it looks like: quotes of the host's turn.
    assert_eq!(
        quotes(&doc),
        vec![
            "我想说的是，这件事很重要：",
            "你真的这么想吗？",
            "这是一个非常非常长的加粗短语它远远超过了三十个字符所以绝不可能是某个人的名字吧：",
            "Why not?:",
        ]
    );
}

#[test]
fn a_bold_label_alone_before_a_list_is_a_subheading_and_before_a_paragraph_a_turn() {
    let doc = md(include_str!("../fixtures/md/subheading.md"));
    assert_eq!(speakers(&doc), vec!["主持人", "嘉宾"]);

    let loose = loose_blocks(&doc);
    assert_eq!(loose.len(), 3);
    assert_eq!(loose[0].kind, BlockKind::Subheading);
    assert_eq!(loose[0].text.trim_end_matches(['：', ':']), "本期要点");
    assert!(matches!(loose[1].kind, BlockKind::ListItem { depth: 0, .. }));
    assert_eq!(loose[1].text, "第一点");
    assert_eq!(loose[2].text, "第二点");

    let host = doc.turn_blocks(0).to_vec();
    let kinds: Vec<&BlockKind> = host.iter().map(|b| &b.kind).collect();
    assert_eq!(kinds.len(), 4);
    assert_eq!(*kinds[0], BlockKind::Paragraph);
    assert_eq!(host[0].text, "我们开始吧。");
    assert_eq!(*kinds[1], BlockKind::Subheading);
    assert_eq!(host[1].text.trim_end_matches(['：', ':']), "行业里的竞争与机会");
    assert!(matches!(kinds[2], BlockKind::ListItem { .. }));
    assert!(matches!(kinds[3], BlockKind::ListItem { .. }));
    assert_eq!(turn_texts(&doc, 1), vec!["好的。"]);
}

#[test]
fn labels_in_lists_quotes_code_and_comments_are_never_speakers() {
    let doc = md(include_str!("../fixtures/md/not_labels.md"));
    assert_eq!(speakers(&doc), vec!["庚"]);
    assert_eq!(doc.turns.len(), 2);
    assert_eq!(turn_texts(&doc, 0), vec!["这才是。"]);
    let last = doc.turn_blocks(1).to_vec();
    assert_eq!(last.len(), 2);
    assert_eq!(last[0].text, "第二段，下面是清单：");
    assert!(matches!(last[1].kind, BlockKind::ListItem { .. }));
    assert_eq!(last[1].text, "辛：也不是发言人");
    // The list item and block quote before the first turn keep their text, markup stripped.
    let loose: Vec<&str> = loose_blocks(&doc).iter().map(|b| b.text).collect();
    assert!(loose.contains(&"甲：列表里的不是发言人"), "{loose:?}");
    assert!(loose.contains(&"乙：也不是"), "{loose:?}");
    assert!(loose.contains(&"丙：引用里的也不是"), "{loose:?}");
}

#[test]
fn a_turn_runs_over_following_blocks_until_the_next_label_or_heading() {
    let doc = md(include_str!("../fixtures/md/turn_extent.md"));
    assert_eq!(turn_speakers(&doc), vec!["甲", "甲", "乙", "乙"]);

    let first = doc.turn_blocks(0).to_vec();
    let kinds: Vec<BlockKind> = first.iter().map(|b| b.kind).collect();
    assert_eq!(kinds.len(), 7, "{kinds:?}");
    assert_eq!(kinds[0], BlockKind::Paragraph);
    assert_eq!(kinds[1], BlockKind::Paragraph);
    assert!(matches!(kinds[2], BlockKind::ListItem { depth: 0, .. }));
    assert!(matches!(kinds[3], BlockKind::ListItem { depth: 0, .. }));
    assert_eq!(kinds[4], BlockKind::BlockQuote);
    assert_eq!(kinds[5], BlockKind::Image);
    assert_eq!(first[5].url(), "https://example.org/a.png");
    assert_eq!(kinds[6], BlockKind::Code);
    assert_eq!(first[0].text, "第一段。");
    assert_eq!(first[1].text, "第二段。");
    assert_eq!(first[2].text, "要点一");
    assert_eq!(first[3].text, "要点二");
    assert_eq!(first[4].text, "引用一句");
    assert_eq!(first[6].text.trim_end(), "code");

    // Reading order: heading, preamble, three turns, heading, loose paragraph, turn.
    let shape: Vec<String> = doc
        .items
        .iter()
        .enumerate()
        .map(|(n, i)| match i {
            Item::Heading(s) => format!("H{s}"),
            Item::Block(_) => format!("B:{}", doc.item_blocks(n).first().unwrap().text),
            Item::Turn(t) => format!("T{t}"),
        })
        .collect();
    assert_eq!(
        shape,
        vec![
            "H0",
            "B:开场白，不属于任何人。",
            "T0",
            "T1",
            "T2",
            "H1",
            "B:这一段在标题之后，不属于任何发言。",
            "T3",
        ]
    );
    for (i, t) in doc.turns.iter().enumerate() {
        assert!(matches!(doc.items[t.item()], Item::Turn(x) if x as usize == i));
    }
}

#[test]
fn a_label_followed_directly_by_bold_is_a_label_then_a_quote() {
    let doc = md(include_str!("../fixtures/md/label_then_quote.md"));
    assert_eq!(speakers(&doc), vec!["林·安娜", "Tom Hale"]);
    assert_eq!(
        first_texts(&doc),
        vec![
            "我正在做的，是一个人人都能用的工具。然后她笑了。",
            "Bold right after the label. Then plain text.",
        ]
    );
    assert_eq!(
        quotes(&doc),
        vec!["我正在做的，是一个人人都能用的工具。", "Bold right after the label."]
    );
    assert_eq!(doc.quotes[0].turn, 0);
    assert_eq!(doc.quotes[1].turn, 1);
    assert_no_stars(&doc);
}

// ---------------------------------------------------------------------------------------
// Emphasis and quotes

#[test]
fn cjk_friendly_strong_emphasis_becomes_quotes_inside_turns() {
    let doc = md(include_str!("../fixtures/md/emphasis_cjk.md"));
    assert_eq!(speakers(&doc), vec!["甲"]);
    assert_eq!(doc.turns.len(), 7);
    let texts = first_texts(&doc);
    assert_eq!(texts[0], "我们叫它“慢读”模式。");
    assert_eq!(texts[1], "这是我想做的事。所以我来了。");
    assert_eq!(texts[2], "墙上写着警告：别动。");
    assert_eq!(texts[3], "第一句。中间第二句结尾，还有斜体。");
    assert_eq!(texts[5].trim_end(), "结尾的空加粗也不算。");
    assert_eq!(quotes(&doc), vec!["“慢读”", "我想做的事。", "警告：", "第一句。", "第二句"]);
    assert_no_stars(&doc);
}

#[test]
fn quote_runs_are_strong_and_point_back_to_their_quote() {
    let doc = md(include_str!("../fixtures/md/emphasis_cjk.md"));
    for (qi, q) in doc.quotes.iter().enumerate() {
        let block = doc.turn_blocks(q.turn).get(q.block).unwrap();
        let runs: Vec<_> = block.runs.iter().filter(|r| r.quote == Some(qi)).collect();
        assert!(!runs.is_empty(), "quote {qi} has no run");
        for r in runs {
            assert!(r.style.contains(Style::STRONG));
            assert!(r.range.start >= q.range.start && r.range.end <= q.range.end);
        }
    }
    // Italic is styled but is not a quote.
    let block = doc.turn_blocks(3).get(0).unwrap();
    let start = block.text.find("斜体").unwrap();
    let italic = block.runs.iter().find(|r| r.range.start == start).unwrap();
    assert!(italic.style.contains(Style::EMPHASIS));
    assert_eq!(italic.quote, None);
}

#[test]
fn whitespace_only_bold_is_no_quote_and_leaves_no_stars() {
    let doc = md(include_str!("../fixtures/md/emphasis_cjk.md"));
    for t in [4, 5, 6] {
        assert!(doc.quotes.iter().all(|q| q.turn != t), "turn {t} got a quote");
    }
    // A paragraph of nothing but an empty bold leaves nothing to read.
    assert_eq!(turn_texts(&doc, 6), vec!["独立成段的空加粗也不算。"]);
    let text = doc.turn_blocks(4).get(0).unwrap().text;
    assert!(text.starts_with("空的加粗"), "{text:?}");
    assert!(text.ends_with("不算。"), "{text:?}");
    assert_no_stars(&doc);
}

#[test]
fn bold_outside_turns_is_styled_but_not_a_quote() {
    let doc = md(include_str!("../fixtures/md/emphasis_cjk.md"));
    let preamble = loose_blocks(&doc)[0];
    assert_eq!(preamble.text, "这段导语里有加粗，但它不在任何发言里。");
    let start = preamble.text.find("加粗").unwrap();
    let run = preamble.runs.iter().find(|r| r.style.contains(Style::STRONG)).unwrap();
    assert_eq!(run.range, start..start + "加粗".len());
    assert_eq!(run.quote, None);
    assert!(doc.quotes.iter().all(|q| doc.quote_text(q) != "加粗"));
}

// ---------------------------------------------------------------------------------------
// Hard wraps

#[test]
fn hard_wraps_join_without_space_between_cjk_and_with_one_space_otherwise() {
    let doc = md(include_str!("../fixtures/md/wraps.md"));
    assert_eq!(
        first_texts(&doc),
        vec![
            "我们当时觉得这样就够了。",
            "My teacher Ada Lindqvist said so.",
            "你知道什么？你知道吗？",
            "口号是“云优先”，后来改了。",
            "我们坚持了整整一年。后来呢？很难，但值得。",
            "我们用了 Rust 来写，2024 年发布。",
            "한국어 문장도 있다。",
            "他停了一下……然后说“好”。",
            "He said “yes”.",
            "她说我们想让一个人读完，对。",
            "看这个强调文字。",
            "请看这篇文章 <https://example.org/a> 里的说法，还有code 之后。",
        ]
    );
    assert_eq!(quotes(&doc), vec!["云优先", "整整一年", "很难", "我们想让一个人读完"]);
    assert_no_stars(&doc);
}

// ---------------------------------------------------------------------------------------
// Blocks and sections

#[test]
fn block_kinds_and_plain_text() {
    let doc = md(include_str!("../fixtures/md/blocks.md"));
    let blocks = doc.turn_blocks(0).to_vec();
    let kinds: Vec<(BlockKind, &str)> = blocks.iter().map(|b| (b.kind, b.marker())).collect();
    assert_eq!(
        kinds,
        vec![
            (BlockKind::Paragraph, ""),
            (BlockKind::ListItem { depth: 0 }, "•"),
            (BlockKind::ListItem { depth: 1 }, "•"),
            (BlockKind::ListItem { depth: 0 }, "1."),
            (BlockKind::ListItem { depth: 0 }, "2."),
            (BlockKind::BlockQuote, ""),
            (BlockKind::Image, ""),
            (BlockKind::Code, ""),
            (BlockKind::Rule, ""),
            (BlockKind::Paragraph, ""),
        ]
    );
    assert_eq!(blocks[6].url(), "https://example.org/cover.png");
    let para = &blocks[0];
    // A link keeps its target, shown after its text.
    assert_eq!(para.text, "段落里有链接 <https://example.org/x>和代码。");
    let link = para.runs.iter().find(|r| r.style.contains(Style::LINK)).unwrap();
    assert_eq!(&para.text[link.range.clone()], "链接");
    assert_eq!(link.url.as_deref(), Some("https://example.org/x"));
    let code = para.runs.iter().find(|r| r.style.contains(Style::CODE)).unwrap();
    assert_eq!(&para.text[code.range.clone()], "代码");
    assert_eq!(blocks[1].text, "外层");
    assert_eq!(blocks[2].text, "内层");
    assert_eq!(blocks[3].text, "第一");
    assert_eq!(blocks[4].text, "第二");
    assert_eq!(blocks[5].text, "引用的话");
    assert_eq!(blocks[7].text.trim_end(), "let x = 1;");
    assert_eq!(blocks[9].text, "最后一段。");
}

#[test]
fn sections_nest_by_level_and_turns_know_their_innermost_section() {
    let doc = md(include_str!("../fixtures/md/sections.md"));
    assert_eq!(doc.title.as_ref().unwrap().text, "标题");
    let shape: Vec<(&str, u8, Option<usize>)> =
        doc.sections.iter().map(|s| (s.title.as_str(), s.level, s.parent)).collect();
    assert_eq!(
        shape,
        vec![
            ("第一章", 2, None),
            ("1.1", 3, Some(0)),
            ("1.1.1", 4, Some(1)),
            ("1.2", 3, Some(0)),
            ("第二章", 2, None),
            ("附录", 1, None),
        ]
    );
    let sections: Vec<Option<usize>> = doc.turns.iter().map(|t| t.section()).collect();
    assert_eq!(sections, vec![Some(0), Some(1), Some(2), Some(3), Some(4), Some(5)]);
    let ranges: Vec<_> = doc.sections.iter().map(|s| s.turns.clone()).collect();
    assert_eq!(ranges, vec![0..1, 1..2, 2..3, 3..4, 4..5, 5..6]);
    for (i, s) in doc.sections.iter().enumerate() {
        assert!(matches!(doc.items[s.item], Item::Heading(x) if x as usize == i));
    }
}

#[test]
fn aliases_merge_a_variant_spelling_into_the_canonical_speaker() {
    let mut aliases = HashMap::new();
    aliases.insert("Lena".to_string(), "主持人Lena".to_string());
    let opts = ParseOptions { format: Some(Format::Markdown), aliases, ..ParseOptions::default() };
    let doc = parse(include_str!("../fixtures/md/aliases.md").to_string(), &opts);
    assert_eq!(speakers(&doc), vec!["主持人Lena", "嘉宾"]);
    assert_eq!(doc.turns_of(0), [0, 1, 3]);
    assert_eq!(turn_speakers(&doc), vec!["主持人Lena", "主持人Lena", "嘉宾", "主持人Lena"]);

    // Without the alias the variant is its own speaker.
    let doc = md(include_str!("../fixtures/md/aliases.md"));
    assert_eq!(speakers(&doc), vec!["主持人Lena", "Lena", "嘉宾"]);
}

// ---------------------------------------------------------------------------------------
// Format detection

#[test]
fn detect_markdown_by_headings_emphasis_or_images() {
    assert_eq!(detect_format("# 标题\n\n正文。\n"), Format::Markdown);
    assert_eq!(detect_format("正文\n\n## 第二节\n\n更多。\n"), Format::Markdown);
    assert_eq!(detect_format("甲：你好，**这很重要**。\n"), Format::Markdown);
    assert_eq!(detect_format("看图：\n\n![](https://example.org/p.png)\n"), Format::Markdown);
    assert_eq!(detect_format(include_str!("../../assets/sample.md")), Format::Markdown);
    for text in
        [include_str!("../fixtures/md/title_meta.md"), include_str!("../fixtures/md/wraps.md")]
    {
        assert_eq!(detect_format(text), Format::Markdown, "{text}");
    }
}

#[test]
fn detect_plain_without_markdown_syntax() {
    assert_eq!(detect_format("Kai: hello\n\nMila: hi\n"), Format::Plain);
    assert_eq!(detect_format("甲：你好。\n乙：你好。\n"), Format::Plain);
    assert_eq!(detect_format("2 * 3 = 6, says Kai.\n"), Format::Plain);
}

// ---------------------------------------------------------------------------------------
// The bundled sample (assets/sample.md), as designed

const LENA: &str = "主持人Lena";
const XM: &str = "欧阳·小满";
const MB: &str = "Marcus Bell";
const WU: &str = "Dr. Wu";

fn sample() -> Document {
    parse(include_str!("../../assets/sample.md").to_string(), &ParseOptions::default())
}

#[test]
fn sample_title_meta_and_sections() {
    let doc = sample();
    assert_eq!(doc.format, Some(Format::Markdown));
    assert_eq!(doc.title.as_ref().unwrap().text, "终端茶话 EP17｜三小时的访谈，八十列的屏幕");
    assert_eq!(
        meta(&doc),
        vec![
            ("作者", "终端茶话编辑部"),
            ("发布时间", "2026-03-14 20:30"),
            ("原文链接", "https://example.org/teaterm/ep17"),
            ("Author", "Tea & Terminals Editorial"),
        ]
    );
    let shape: Vec<(&str, u8, Option<usize>)> =
        doc.sections.iter().map(|s| (s.title.as_str(), s.level, s.parent)).collect();
    assert_eq!(
        shape,
        vec![
            ("开场", 2, None),
            ("一、为什么还要做终端应用", 2, None),
            ("宽字符这件事", 3, Some(1)),
            ("二、断行与标点", 2, None),
            ("三、书签、搜索和“下一位发言人”", 2, None),
            ("听众提问", 2, None),
            ("关于本节目", 2, None),
        ]
    );
    let per_section: Vec<usize> = doc.sections.iter().map(|s| s.turns.len()).collect();
    assert_eq!(per_section, vec![5, 7, 6, 7, 6, 7, 0]);
    // The footer sits in its own section, after the last turn.
    let footer: Vec<&str> = (doc.sections[6].item + 1..doc.items.len())
        .filter(|&i| matches!(doc.items[i], Item::Block(_)))
        .flat_map(|i| doc.item_blocks(i))
        .map(|b| b.text)
        .collect();
    assert_eq!(footer.len(), 3, "{footer:?}");
    assert_eq!(
        footer[0],
        "本期节目录制于 2026 年 2 月，文字稿经三位嘉宾确认，为便于阅读略有删节。"
    );
    let last = doc.turn_blocks(doc.turns.len() - 1);
    assert_eq!(last.iter().next_back().unwrap().kind, BlockKind::Rule);
}

#[test]
fn sample_speakers_and_turns() {
    let doc = sample();
    assert_eq!(speakers(&doc), vec![LENA, XM, MB, WU]);
    let counts: Vec<usize> = doc.speakers.iter().map(|s| s.turn_count()).collect();
    assert_eq!(counts, vec![13, 13, 7, 5]);
    assert_eq!(doc.turns.len(), 38);
    #[rustfmt::skip]
    let expected = vec![
        // 开场
        LENA, XM, MB, WU, LENA,
        // 一、为什么还要做终端应用
        LENA, XM, MB, XM, LENA, WU, XM,
        // 宽字符这件事 (小满 speaks twice in a row: two turns)
        LENA, XM, MB, XM, XM, LENA,
        // 二、断行与标点 (turn 23 is the unbolded `欧阳·小满：` label)
        MB, LENA, XM, WU, LENA, XM, MB,
        // 三、书签、搜索和“下一位发言人”
        LENA, XM, MB, WU, LENA, XM,
        // 听众提问
        LENA, WU, MB, XM, LENA, XM, LENA,
    ];
    assert_eq!(turn_speakers(&doc), expected);
    let starts: Vec<(usize, u64)> =
        doc.turns.iter().enumerate().filter_map(|(i, t)| t.start_ms().map(|s| (i, s))).collect();
    assert_eq!(
        starts,
        vec![
            (18, 2_467_000),
            (19, 2_550_000),
            (25, 3_735_000),
            (26, 3_768_000),
            (27, 3_843_000),
            (28, 3_920_000),
        ]
    );
    assert!(
        (0..doc.turns.len()).all(|t| doc.turn_blocks(t).iter().any(|b| !b.text.trim().is_empty()))
    );
}

#[test]
fn sample_quotes() {
    let doc = sample();
    assert_eq!(
        quotes(&doc),
        vec![
            "欢迎来到终端茶话，今天我们只聊一件事：怎么在终端里把字排好。",
            "如果它只是一段安安静静的文字，那该多好。",
            "a grid is a promise you make to the reader.",
            "“我读到哪儿了”",
            "才是我真正想做的事。",
            "宁可让用户多点一下，也别替他猜错。",
            "终端优先",
            "我们把这个规则磨了整整一年",
            "Readers never notice when you get it right, and they always notice when you get it wrong.",
            "我们想让一个人在地铁上读完三小时的访谈",
            "不用鼠标，不用滚轮，手指不离开键盘。",
            "“为什么不直接做成网页？”",
            "一个安静的地方，只放文字。",
            "谢谢三位，今天的茶也喝得差不多了。",
        ]
    );
    assert_no_stars(&doc);
}

#[test]
fn sample_text_is_joined_and_stripped() {
    let doc = sample();
    let loose = loose_blocks(&doc);
    assert_eq!(
        loose[0].text,
        "这是一期关于“慢读”的节目。我们请来了独立开发者欧阳·小满、住在杭州的排版设计师 Marcus Bell，\
         以及研究汉语书写习惯的语言学者吴博士，从一个看似很小的问题聊起：在一块只有八十列的终端屏幕上，\
         怎样才能舒舒服服地读完一场三个小时的访谈？"
    );
    assert_eq!(loose[1].kind, BlockKind::Image);
    assert_eq!(loose[1].url(), "https://example.org/teaterm/ep17-cover.jpg");
    assert_eq!(loose[2].kind, BlockKind::Subheading);
    assert_eq!(loose[2].text.trim_end_matches(['：', ':']), "本期你会听到");
    let items: Vec<&str> = loose[3..6].iter().map(|b| b.text).collect();
    assert_eq!(
        items,
        vec![
            "宽字符：为什么一个汉字在终端里要占两个格子",
            "断行：导出的文字稿里那些莫名其妙的换行从哪里来",
            "书签：读到一半合上电脑，第二天怎么接着读",
        ]
    );

    let texts = first_texts(&doc);
    assert_eq!(
        texts[0],
        "欢迎来到终端茶话，今天我们只聊一件事：怎么在终端里把字排好。桌上这壶是今年的明前龙井，三位嘉宾先跟大家打个招呼吧。"
    );
    assert_eq!(
        texts[6],
        "因为我发现自己每天打开最多的窗口就是终端。有一次在地铁上用手机读一篇访谈的文字稿，页面不停地跳广告，\
         我就想，如果它只是一段安安静静的文字，那该多好。后来我们用了 Rust，一个人慢慢写。"
    );
    assert_eq!(
        texts[7],
        "I think there is something honest about a terminal. Every character sits in a cell. My old \
         teacher, Margo Fenwick, used to say that a grid is a promise you make to the reader. The \
         terminal keeps that promise whether you like it or not."
    );
    assert_eq!(
        texts[8],
        "我第一次听 Marcus 讲这句话的时候挺受触动的。终端里的每一个格子都是确定的，你没法偷偷挪半个字，这种约束反而让人安心。"
    );
    assert_eq!(
        texts[13],
        "这个要从很早以前的终端说起。简单讲，汉字被归在“宽字符”里，显示时占两列，英文字母只占一列。\
         我们最早的版本只算了字节数，结果英文看着没事，中文一多就全乱了，整段文字往右边歪出去一大截。"
    );
    assert_eq!(
        texts[20],
        "我先插一句。我们当时的口号是“终端优先”，听起来有点傻，但确实帮我们砍掉了很多功能。"
    );
    assert_eq!(
        texts[23],
        "标点最容易出错。有些平台导出的时候，喜欢在加粗的文字后面留一个空格，比如我们把这个规则磨了整整一年。\
         那个空格必须去掉，否则句号就孤零零地挂在后面。"
    );
    assert_eq!(
        texts[28],
        "我补充一点。读访谈的人，很多时候不是从头读到尾的，他只想看某一个人说了什么。\
         她说我们想让一个人在地铁上读完三小时的访谈，我觉得前提就是能在发言人之间跳来跳去。"
    );
    assert_eq!(
        texts[30].trim_end(),
        "每一段发言我们都记下了说话的人。按一个键跳到下一位发言人，再按一个键只看某一个人。\
         不用鼠标，不用滚轮，手指不离开键盘。对了，加粗的句子也会被单独收集起来，做成一个“金句”列表。"
    );

    // 小满's code sample holds a label-shaped line that must stay code.
    let code = doc.turn_blocks(15).to_vec();
    assert_eq!(code.len(), 2);
    assert_eq!(code[1].kind, BlockKind::Code);
    assert!(code[1].text.starts_with("主持人Lena：“你好”"));

    // The listener's question is a block quote inside the host's turn.
    let host = doc.turn_blocks(31).to_vec();
    assert_eq!(host[1].kind, BlockKind::BlockQuote);
    assert_eq!(host[1].text, "我用的是很老的笔记本，终端只有六十列宽，这种阅读器还能用吗？");
}

// ---------------------------------------------------------------------------------------
// Robustness

#[test]
fn empty_and_whitespace_only_inputs_do_not_panic() {
    for s in [
        "",
        " ",
        " \n",
        "\n\n",
        "\u{3000}\n",
        "**",
        "****",
        "**  \n**",
        "# ",
        "**甲：**",
        "**乙**：",
    ] {
        let doc = md(s);
        assert!(doc.turns.len() <= 1, "{s:?}");
    }
}

/// The ranges other stages slice with must be in bounds and on character boundaries, and
/// runs sorted and non-overlapping, or layout and bookmarks would panic on them.
fn assert_ranges_sound(doc: &Document) {
    let check = |text: &str, r: &std::ops::Range<usize>, what: &str| {
        assert!(r.start <= r.end && text.get(r.clone()).is_some(), "{what} {r:?} in {text:?}");
    };
    for b in all_blocks(doc) {
        check(&doc.text, &b.src.range(), "block src");
        let mut end = 0;
        for r in b.runs {
            check(b.text, &r.range, "run");
            assert!(r.range.start >= end, "runs overlap or are unsorted: {:?}", b.runs);
            end = r.range.end;
        }
    }
    for t in &doc.turns {
        check(&doc.text, &t.src.range(), "turn src");
        check(&doc.text, &t.label_src.range(), "label src");
    }
    for s in &doc.sections {
        check(&doc.text, &s.src.range(), "section src");
    }
    for q in &doc.quotes {
        let block = doc.turn_blocks(q.turn).get(q.block).unwrap();
        check(block.text, &q.range, "quote");
    }
}

#[test]
fn ranges_are_sound_in_every_fixture() {
    for text in [
        include_str!("../fixtures/md/title_meta.md"),
        include_str!("../fixtures/md/meta_paragraphs.md"),
        include_str!("../fixtures/md/label_forms.md"),
        include_str!("../fixtures/md/timestamps.md"),
        include_str!("../fixtures/md/plain_labels.md"),
        include_str!("../fixtures/md/name_shape.md"),
        include_str!("../fixtures/md/subheading.md"),
        include_str!("../fixtures/md/not_labels.md"),
        include_str!("../fixtures/md/turn_extent.md"),
        include_str!("../fixtures/md/label_then_quote.md"),
        include_str!("../fixtures/md/emphasis_cjk.md"),
        include_str!("../fixtures/md/wraps.md"),
        include_str!("../fixtures/md/sections.md"),
        include_str!("../fixtures/md/aliases.md"),
        include_str!("../fixtures/md/blocks.md"),
        include_str!("../../assets/sample.md"),
    ] {
        let doc = md(text);
        assert_eq!(doc.text, text, "the source text is kept as given");
        assert_ranges_sound(&doc);
    }
}

/// Every text the reader can show, concatenated.
fn visible_text(doc: &Document) -> String {
    let mut out = String::new();
    if let Some(t) = &doc.title {
        out.push_str(&t.text);
    }
    for m in &doc.meta {
        out.push_str(&m.key);
        out.push_str(&m.value);
    }
    for s in &doc.sections {
        out.push_str(&s.title);
    }
    for s in &doc.speakers {
        out.push_str(&s.name);
    }
    for b in all_blocks(doc) {
        out.push_str(b.text);
    }
    out
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Markdown-ish text: the pieces transcripts are made of, in any order.
fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("**".to_string()),
        Just("*".to_string()),
        Just("# ".to_string()),
        Just("## ".to_string()),
        Just("：".to_string()),
        Just(":".to_string()),
        Just(": ".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("  \n".to_string()),
        Just(" ".to_string()),
        Just("- ".to_string()),
        Just("> ".to_string()),
        Just("**甲：**".to_string()),
        Just("**Tom:** ".to_string()),
        Just("**乙**：".to_string()),
        Just("[00:01:02] ".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("。".to_string()),
        "[一-龥]{1,6}",
        "[a-zA-Z]{1,6}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn parse_never_panics_on_arbitrary_text(s in any::<String>()) {
        let _ = parse(s.clone(), &ParseOptions::default());
        let _ = md(&s);
    }

    #[test]
    fn parse_never_panics_on_markdownish_text(s in markdownish()) {
        let doc = md(&s);
        assert_ranges_sound(&doc);
        for q in &doc.quotes {
            let _ = doc.quote_text(q);
        }
    }

    #[test]
    fn no_cjk_character_is_dropped(s in markdownish()) {
        let doc = md(&s);
        let shown = visible_text(&doc);
        for c in s.chars().filter(|&c| is_cjk(c)) {
            prop_assert!(shown.contains(c), "{c:?} of {s:?} missing from {shown:?}");
        }
    }
}

#[test]
fn a_line_a_user_label_pattern_matches_is_a_turn_even_where_metadata_may_stand() {
    // `[speakers] labels`: right after the title, where `key: value` lines are metadata.
    // `JH：…` used once would be a `key：value` line; the user's pattern says it is a label.
    let pattern = regex::Regex::new(r"^(?:(?P<name>[A-Z]{2,3})：)").unwrap();
    let opts = ParseOptions { labels: vec![pattern], ..ParseOptions::default() };
    let doc = parse("# 访谈\n\nJH：我们先从芯片说起。\n\n正文在这里。\n".into(), &opts);
    assert!(doc.meta.is_empty(), "{:?}", doc.meta);
    assert_eq!(turn_speakers(&doc), ["JH"]);
}

/// A paragraph of `n` bytes of `unit` repeated, after a word (so no block rule applies).
fn repeated(unit: &str, n: usize) -> String {
    let mut s = String::with_capacity(n + 16);
    s.push_str("x ");
    while s.len() < n {
        s.push_str(unit);
    }
    s.push('\n');
    s
}

/// Openers without closers once made every opener scan to the paragraph's end: a 1 MB
/// paragraph of `[` took hours. Each construct at 1 MB must parse well inside a deadline
/// that only a quadratic parse misses (a hang guard, not a timing: a linear parse takes a
/// fraction of it even in a debug build on a busy machine), and keep every byte visible.
#[test]
fn a_megabyte_of_unmatched_openers_parses_in_linear_time() {
    let units = [
        "[",
        "![a",
        "[a](",
        "<",
        "<!--",
        "**a ",
        "` `` ",
        "_a ",
        "[a]",
        "<a:b",
        "*a _b ",
        "a* ",
        // Raw HTML and references that never close: each must not read on to the end.
        "<span ",
        "<span a=\"",
        "<b a='",
        "</",
        "<p",
        "<scrip",
        "&amp",
        "&#x4E",
        "&",
    ];
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for unit in units {
            let text = repeated(unit, 1 << 20);
            let doc = md(&text);
            let shown: usize = all_blocks(&doc).iter().map(|b| b.text.len()).sum();
            // Nothing is dropped but markup that matched (there is none here but code
            // spans, whose backticks go).
            let _ = tx.send((unit, shown, text.trim_end().len()));
        }
    });
    for unit in units {
        let (u, shown, len) = rx
            .recv_timeout(std::time::Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("parsing 1 MB of {unit:?} did not finish: not linear"));
        assert_eq!(u, unit);
        if !unit.contains('`') {
            assert_eq!(shown, len, "{unit:?}: every byte of the paragraph is shown");
        }
    }
}

/// Links nested a hundred thousand deep are walked without recursion (a recursive walk
/// overflowed the stack).
#[test]
fn deeply_nested_links_do_not_overflow_the_stack() {
    let depth = 100_000;
    let text = format!("x {}a{}\n", "[".repeat(depth), "](u)".repeat(depth));
    let doc = md(&text);
    let shown: Vec<&str> = all_blocks(&doc).iter().map(|b| b.text).collect();
    // Only the outermost link shows its target.
    assert_eq!(shown, ["x a <u>"]);
}

// ---------------------------------------------------------------------------------------
// Markdown as exported: front matter, character references, raw HTML

/// Every string the reader can show that is not verbatim code.
fn shown_strings(doc: &Document) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    out.extend(doc.title.iter().map(|t| t.text.clone()));
    out.extend(doc.meta.iter().flat_map(|m| [m.key.clone(), m.value.clone()]));
    out.extend(doc.sections.iter().map(|s| s.title.clone()));
    out.extend(doc.speakers.iter().map(|s| s.name.clone()));
    out.extend(all_blocks(doc).iter().filter(|b| b.kind != BlockKind::Code).map(|b| b.text.into()));
    out
}

/// Known HTML tags, as they would show if left in the text.
const TAG_TEXT: &[&str] = &[
    "<p", "</", "<span", "<br", "<b>", "<a ", "<em", "<div", "<details", "<summary", "<script",
    "<style", "<!--",
];

fn assert_no_tags(doc: &Document) {
    for s in shown_strings(doc) {
        for tag in TAG_TEXT {
            assert!(!s.contains(tag), "{tag:?} shows in {s:?}");
        }
    }
}

#[test]
fn yaml_front_matter_becomes_meta_and_its_title_the_document_title() {
    let doc = md(include_str!("../fixtures/md/front_matter.md"));
    assert_eq!(doc.title.as_ref().unwrap().text, "Night Shift: Voices from the Harbour");
    assert_eq!(
        meta(&doc),
        vec![
            ("date", "2024-03-18"),
            ("episode", "042"),
            ("guests", "Mara Okafor, Teodor Lind"),
            ("summary", "Two dock workers talk about the years before containers."),
            ("notes", "Recorded on the quay. Wind noise in places."),
            ("show.host", "Ines Duarte"),
            ("show.network", "Tidewater Radio"),
        ]
    );
    // Never a rule and a list: nothing of it is a block.
    assert!(loose_blocks(&doc).is_empty(), "{:?}", loose_blocks(&doc));
    assert_eq!(turn_speakers(&doc), ["Ines Duarte", "Mara Okafor", "Teodor Lind", "Ines Duarte"]);
    assert_eq!(first_texts(&doc)[0], "Welcome back to the harbour. Tonight, the night cranes.");
    for b in all_blocks(&doc) {
        assert!(!b.text.contains("---") && !b.text.contains("guests"), "{:?}", b.text);
    }
    // The title points at its line in the front matter.
    let title = doc.title.as_ref().unwrap();
    assert!(doc.text[title.src.range()].starts_with("title: "));
    assert_ranges_sound(&doc);
}

#[test]
fn toml_front_matter_is_meta_and_a_hash_title_wins() {
    let doc = md(include_str!("../fixtures/md/front_matter_toml.md"));
    assert_eq!(doc.title.as_ref().unwrap().text, "Salt and Static (Full Transcript)");
    assert_eq!(
        meta(&doc),
        vec![
            ("title", "Salt and Static"),
            ("recorded", "2023-11-05"),
            ("speakers", "Wen Hao, Lucía Ferrer"),
            ("source.service", "Archive Desk"),
        ]
    );
    assert!(loose_blocks(&doc).is_empty());
    assert_eq!(turn_speakers(&doc), ["Wen Hao", "Lucía Ferrer"]);
    assert_ranges_sound(&doc);
}

#[test]
fn front_matter_that_does_not_parse_is_read_line_by_line() {
    // An unquoted colon in the title and an unclosed quote: YAML refuses it, a reader not.
    let doc = md(include_str!("../fixtures/md/front_matter_broken.md"));
    assert_eq!(doc.title.as_ref().unwrap().text, "Part Two: The Return of the Ferry");
    assert_eq!(meta(&doc)[0], ("speakers", "Ana Beltrão, Bo Sandvik"));
    assert!(loose_blocks(&doc).is_empty());
    assert_eq!(turn_speakers(&doc), ["Ana Beltrão", "Bo Sandvik"]);
}

#[test]
fn front_matter_is_only_read_at_the_top() {
    // Rules around prose at the top, and `key: value` between rules further down, are text.
    let doc = md("---\nA quiet start, between two rules.\n---\n\n**Ana:** Hi.\n");
    assert!(doc.meta.is_empty());
    assert!(loose_blocks(&doc).iter().any(|b| b.text == "A quiet start, between two rules."));
    let doc = md("**Ana:** Hi.\n\n---\ntitle: not meta\n---\n");
    assert!(doc.meta.is_empty() && doc.title.is_none());
    // A BOM and blank lines before it are fine; so is front matter with nothing in it.
    let doc = md("\u{feff}\n---\ntitle: T\n---\n**Ana:** Hi.\n");
    assert_eq!(doc.title.as_ref().unwrap().text, "T");
    let doc = md("---\n---\n**Ana:** Hi.\n");
    assert!(loose_blocks(&doc).is_empty());
}

#[test]
fn front_matter_neither_makes_nor_breaks_markdown_detection() {
    // A YAML comment is no heading, a bold value no emphasis.
    let plain = "---\n# exported by a tool\ntitle: \"**Loud** title\"\n---\nAna: Hi.\nBo: Hello.\n";
    assert_eq!(detect_format(plain), Format::Plain);
    let markdown = "---\ntitle: T\n---\n**Ana:** Hi.\n\n**Bo:** Hello.\n";
    assert_eq!(detect_format(markdown), Format::Markdown);
    let doc = parse(markdown.to_string(), &ParseOptions::default());
    assert_eq!(doc.title.as_ref().unwrap().text, "T");
    assert_eq!(turn_speakers(&doc), ["Ana", "Bo"]);
}

#[test]
fn raw_html_keeps_its_text_and_drops_its_markup() {
    let doc = md(include_str!("../fixtures/md/html_export.md"));
    assert_no_tags(&doc);
    let shown = shown_strings(&doc).join("\n");
    // Scripts, styles and comments go whole, and nothing in them is a speaker.
    for gone in ["tracker", "color: grey", "a comment", "editor: check"] {
        assert!(!shown.contains(gone), "{gone:?} shows");
    }
    assert_eq!(speakers(&doc), ["Alice", "Bob"]);
    let loose = loose_blocks(&doc);
    assert_eq!(
        loose[0].text,
        "Recorded at the community centre on a rainy Tuesday. Edited for length."
    );
    // `<details>`: the summary is a dim aside; what it holds is read as usual.
    assert_eq!((loose[1].kind, loose[1].text), (BlockKind::Aside, "Show notes & links"));
    assert_eq!(loose[2].kind, BlockKind::ListItem { depth: 0 });
    assert_eq!(loose[3].text, "The recipe card");
    let texts: Vec<Vec<&str>> = (0..doc.turns.len()).map(|t| turn_texts(&doc, t)).collect();
    assert_eq!(texts[0], ["I started baking at six. My grandmother's oven was older than me."]);
    assert_eq!(texts[1], ["And the famous rye bread?"]);
    assert_eq!(texts[2], ["That came later — after the move. See https://example.org/rye."]);
    // The autolink is still a link, and so is the `<a>`'s text no more than text.
    let b = doc.turn_blocks(2).get(0).unwrap();
    let urls: Vec<&str> = b.runs.iter().filter_map(|r| r.url.as_deref()).collect();
    assert_eq!(urls, ["https://example.org/rye"]);
    // The paragraphs of a `<div>` are paragraphs, labels and all.
    assert!(shown.contains("Cheers to that."));
    let last = all_blocks(&doc);
    let n = last.len();
    assert_eq!((last[n - 3].kind, last[n - 3].text), (BlockKind::Aside, "Full recipe"));
    assert_eq!(last[n - 2].text, "Flour, water, salt\u{a0}and time.");
    // Unknown tags are the transcriber's notes, kept.
    assert_eq!(
        last[n - 1].text,
        "An unknown tag is the transcriber's note, kept: <inaudible> and <crosstalk>."
    );
    assert_ranges_sound(&doc);
}

#[test]
fn character_references_are_decoded_in_text_titles_names_and_labels() {
    let doc = md(concat!(
        "# Q&amp;A with Jos&eacute;\n\nauthor: Ana &amp; Bo\n\n## Part &#x4E00;\n\n",
        "**Jos&eacute;:** It&#39;s &#x4E2D;&#25991;&nbsp;text, `&amp;` in code.\n\n",
        "**Ana &amp; Bo:** &quot;Hi&quot; &mdash; AT&T, R&D, &bogus; &amp\n\n",
        "**Jos&eacute;:** ![a &lt;map&gt;](m.png)\n",
    ));
    assert_eq!(doc.title.as_ref().unwrap().text, "Q&A with José");
    assert_eq!(meta(&doc), [("author", "Ana & Bo")]);
    assert_eq!(section_titles(&doc), ["Part 一"]);
    assert_eq!(speakers(&doc), ["José", "Ana & Bo"]);
    assert_eq!(first_texts(&doc)[0], "It's 中文\u{a0}text, &amp; in code.");
    assert_eq!(first_texts(&doc)[1], "\"Hi\" — AT&T, R&D, &bogus; &amp");
    assert_eq!(first_texts(&doc)[2], "a <map>");
}

/// Text a reference decodes to goes through the same sanitizing as the source: no control
/// or bidi character reaches the screen, and invalid numbers are U+FFFD, never a panic.
#[test]
fn decoded_references_never_produce_control_characters() {
    let refs = "a&#27;[2Jb&#x202E;c&#0;d&#xD800;e&#x110000;f&#x85;g&#x9B;h&lrm;i&#x2066;j&#127;k";
    for doc in [md(&format!("**Ana:** {refs}\n")), parse_as(Format::Plain, &format!("{refs}\n"))] {
        let s = shown_strings(&doc).join("\n");
        assert!(s.chars().all(|c| c == '\n' || fangtan::source::safe_char(c) == c), "{s:?}");
        assert!(s.contains("\u{241b}[2Jb") && s.contains("d\u{fffd}e\u{fffd}f"), "{s:?}");
    }
}

/// HTML- and reference-ish text: tags, comments and references in any order, mixed with
/// Markdown and words.
fn htmlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<p class=\"x\">".to_string()),
        Just("<span style='a>b'>".to_string()),
        Just("</span>".to_string()),
        Just("<br>".to_string()),
        Just("<br/>".to_string()),
        Just("<details>".to_string()),
        Just("</details>".to_string()),
        Just("<summary>".to_string()),
        Just("</summary>".to_string()),
        Just("<div align=center>".to_string()),
        Just("</div>".to_string()),
        Just("<b>".to_string()),
        Just("<script>".to_string()),
        Just("</script>".to_string()),
        Just("<style>".to_string()),
        Just("</style>".to_string()),
        Just("<!-- ".to_string()),
        Just(" -->".to_string()),
        Just("&amp;".to_string()),
        Just("&#27;".to_string()),
        Just("&#x202E;".to_string()),
        Just("&#0;".to_string()),
        Just("&#xD800;".to_string()),
        Just("&eacute;".to_string()),
        Just("&#x4E2D;".to_string()),
        Just("&nbsp;".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just(" ".to_string()),
        Just("**Ana:** ".to_string()),
        Just("Bo: ".to_string()),
        Just("- ".to_string()),
        Just("# ".to_string()),
        Just("> ".to_string()),
        Just("---\n".to_string()),
        Just("title: x\n".to_string()),
        "[a-z]{1,5}",
        "[一-龥]{1,3}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn html_and_references_never_show_a_tag_or_a_control_character(s in htmlish()) {
        for doc in [md(&s), parse_as(Format::Plain, &s)] {
            assert_ranges_sound(&doc);
            for shown in shown_strings(&doc) {
                for tag in TAG_TEXT.iter().filter(|t| **t != "<!--") {
                    prop_assert!(!shown.contains(tag), "{tag:?} in {shown:?} from {s:?}");
                }
                prop_assert!(
                    shown.chars().all(|c| fangtan::source::safe_char(c) == c),
                    "control character in {shown:?} from {s:?}"
                );
            }
        }
    }
}

/// Raw HTML at 1 MB, matched or not, inline or as blocks: a hang guard like the one above.
#[test]
fn a_megabyte_of_raw_html_parses_in_linear_time() {
    let inline =
        ["<span>a</span>", "&amp;", "<!-- c -->", "<script>", "<script>a</script>", "<br>"];
    let blocks =
        ["<div>\n", "<script>\n", "<p>a</p>\n", "<details><summary>s</summary>\n", "<!--\n"];
    let texts: Vec<String> = inline
        .iter()
        .map(|u| repeated(u, 1 << 20))
        .chain(blocks.iter().map(|u| u.repeat((1 << 20) / u.len())))
        .collect();
    let n = texts.len();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for text in texts {
            let doc = md(&text);
            let shown: usize = all_blocks(&doc).iter().map(|b| b.text.len()).sum();
            let _ = tx.send(shown <= text.len());
            let _ = parse_as(Format::Plain, &text);
        }
    });
    for k in 0..n {
        let ok = rx
            .recv_timeout(std::time::Duration::from_secs(120))
            .unwrap_or_else(|_| panic!("parsing 1 MB of raw HTML #{k} did not finish: not linear"));
        assert!(ok);
    }
}

#[test]
fn a_header_block_of_bold_keys_under_the_title_is_metadata() {
    let src = "# Interview with Ruth Okafor\n\n**Interviewer:** Jonah Pike\n**Date**: 14 March 2019\n\n## Childhood\n\n**PIKE:** Where did you live?\n\n**OKAFOR:** On a boat.\n\n**PIKE:** And then?\n\n**OKAFOR:** A house.\n";
    let doc = parse_as(Format::Markdown, src);
    let meta: Vec<(&str, &str)> =
        doc.meta.iter().map(|m| (m.key.as_str(), m.value.as_str())).collect();
    assert_eq!(meta, [("Interviewer", "Jonah Pike"), ("Date", "14 March 2019")]);
    assert_eq!(speakers(&doc), ["PIKE", "OKAFOR"]);
    // People talking under the title are no header: a name comes twice, or a value is a sentence.
    let chat = "# Notes\n\n**Mina:** hi\n**Ravi:** hello\n**Mina:** ok\n";
    assert!(parse_as(Format::Markdown, chat).meta.is_empty());
    let talk = "# Notes\n\n**Mina:** I think we should start.\n**Ravi:** Agreed, let us begin.\n";
    let doc = parse_as(Format::Markdown, talk);
    assert!(doc.meta.is_empty() && speakers(&doc)[0] == "Mina");
}

#[test]
fn a_gfm_table_is_one_block_of_tab_separated_rows() {
    let doc =
        md("# T\n\n| 名字 | **Age** |\n|:---|---:|\n| 张三 | 12 |\n| Bo \\| Al | 7 |\n\nAfter.\n");
    let blocks = loose_blocks(&doc);
    assert_eq!(blocks[0].kind, BlockKind::Table);
    assert_eq!(blocks[0].text, "名字\tAge\n张三\t12\nBo | Al\t7");
    assert_eq!(blocks[0].aligns(), "lr");
    assert!(blocks[0].runs.iter().any(|r| r.style.contains(Style::STRONG)));
    assert_eq!(blocks[1].text, "After.");
    // A pipe in a paragraph without a delimiter row is text.
    let doc = md("# T\n\na | b\nc | d\n");
    assert_eq!(loose_blocks(&doc)[0].kind, BlockKind::Paragraph);
}

#[test]
fn footnotes_are_notes_not_speakers() {
    let src = "# T\n\n**甲：** 我说过[^1]。\n\n**乙：** 对。\n\n[^1]: 见 2019 年的采访。\n";
    let doc = md(src);
    assert_eq!(speakers(&doc), ["甲", "乙"]);
    assert_eq!(first_texts(&doc)[0], "我说过[1]。");
    let note = all_blocks(&doc).into_iter().find(|b| b.kind == BlockKind::Footnote);
    let note = note.expect("a footnote block");
    assert_eq!((note.marker(), note.text), ("[1]", "见 2019 年的采访。"));
}

#[test]
fn strike_and_links_in_a_turn() {
    let doc = md("# T\n\n**甲：** ~~旧的~~新的，见[这里](https://x.org/p)。\n\n**乙：** 好。\n");
    assert_eq!(first_texts(&doc)[0], "旧的新的，见这里 <https://x.org/p>。");
    let b = doc.turn_blocks(0).first().expect("block");
    assert!(b.runs.iter().any(|r| r.style == Style::STRIKE && &b.text[r.range.clone()] == "旧的"));
}

#![allow(clippy::unwrap_used)]
//! Properties of the layout over random mixed-script paragraphs: nothing overflows, nothing
//! is lost, rows come in order and never start with whitespace; and of tables made of them:
//! each line's key is in its row and at or before the first byte it shows (where a search
//! match lands).

use fangtan::layout::layout;
use fangtan::layout::table::{TableLine, table};
use fangtan::width::{AmbiguousWidth, str_width};
use proptest::prelude::*;

fn piece() -> impl Strategy<Value = String> {
    let han = prop::collection::vec(prop::char::range('\u{4E00}', '\u{9FA5}'), 1..12)
        .prop_map(|v| v.into_iter().collect::<String>());
    let kana = prop::collection::vec(prop::char::range('\u{3041}', '\u{30FA}'), 1..6)
        .prop_map(|v| v.into_iter().collect::<String>());
    let hangul = prop::collection::vec(prop::char::range('\u{AC00}', '\u{D7A3}'), 1..5)
        .prop_map(|v| v.into_iter().collect::<String>());
    prop_oneof![
        4 => han,
        1 => kana,
        1 => hangul,
        3 => "[A-Za-z]{1,14}",
        1 => "[a-z]{20,60}",
        2 => "[0-9]{1,6}(%|\\.5|km)?",
        3 => prop::sample::select(vec![
            "，", "。", "、", "：", "；", "！", "？", "“", "”", "‘", "’", "（", "）", "《", "》",
            "「", "」", "【", "】", "·", "——", "—", "……", "…", "～", "／", "①", "–",
        ]).prop_map(str::to_string),
        2 => prop::sample::select(vec![",", ".", ":", ";", "!", "?", "(", ")", "[", "]", "/", "-", "'", "\""])
            .prop_map(str::to_string),
        3 => prop::sample::select(vec![" ", " ", "  ", "\u{3000}", "\t"]).prop_map(str::to_string),
        1 => prop::sample::select(vec![
            "👨\u{200d}👩\u{200d}👧", "👍🏽", "❤\u{fe0f}", "🇨🇳", "😀", "e\u{301}", "a\u{308}\u{323}",
            "\u{200b}", "ｶﾞ", "한\u{11A8}",
        ]).prop_map(str::to_string),
        1 => "https://[a-z]{3,10}\\.com/[a-z0-9_/?=&]{5,40}",
    ]
}

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

/// A table's text: rows of cells (as many as `columns`, fewer or more), tab-separated.
fn table_text() -> impl Strategy<Value = String> {
    let cell = prop::collection::vec(piece(), 0..6)
        .prop_map(|v| v.concat().replace(['\t', '\n'], " ").trim().to_string());
    prop::collection::vec(prop::collection::vec(cell, 1..5), 1..5)
        .prop_map(|rows| rows.iter().map(|r| r.join("\t")).collect::<Vec<_>>().join("\n"))
}

fn amb() -> impl Strategy<Value = AmbiguousWidth> {
    prop::sample::select(vec![AmbiguousWidth::Narrow, AmbiguousWidth::Wide])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn rows_fit_keep_order_and_lose_nothing(text in paragraph(), width in 2usize..200, amb in amb()) {
        let rows = layout(&text, width, amb);
        prop_assert!(!rows.is_empty());
        let mut prev_end = 0;
        for row in &rows {
            let s = text.get(row.range.clone());
            prop_assert!(s.is_some(), "row {:?} is not on char boundaries", row.range);
            let s = s.unwrap();
            prop_assert!(row.range.start >= prev_end, "rows overlap or go back: {:?}", rows);
            // what lies between rows is whitespace dropped at a break, nothing else
            let gap = &text[prev_end..row.range.start];
            prop_assert!(gap.chars().all(char::is_whitespace), "text lost: {:?}", gap);
            prop_assert!(row.width <= width, "row {:?} is {} wide > {}", s, row.width, width);
            prop_assert!(!s.starts_with(char::is_whitespace), "row starts with whitespace: {:?}", s);
            prop_assert!(!s.ends_with(char::is_whitespace), "row ends with whitespace: {:?}", s);
            if !s.contains('\t') {
                prop_assert_eq!(row.width, str_width(s, amb));
            }
            prev_end = row.range.end;
        }
        prop_assert!(text[prev_end..].chars().all(char::is_whitespace), "tail lost");
        if rows.len() > 1 {
            prop_assert!(rows.iter().all(|r| !r.range.is_empty()), "empty row: {:?}", rows);
        }
    }

    #[test]
    fn widths_zero_and_one_make_progress(text in paragraph(), width in 0usize..2, amb in amb()) {
        let rows = layout(&text, width, amb);
        let mut prev_end = 0;
        for row in &rows {
            prop_assert!(row.range.start >= prev_end);
            prop_assert!(text.get(row.range.clone()).is_some());
            if rows.len() > 1 {
                prop_assert!(!row.range.is_empty());
            }
            prev_end = row.range.end;
        }
        prop_assert!(text[prev_end..].chars().all(char::is_whitespace));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn table_line_keys_rise_and_stay_in_their_row(
        text in table_text(), columns in 1usize..5, width in 1usize..60, amb in amb()
    ) {
        let t = table(&text, &"-".repeat(columns), width, amb);
        let keys: Vec<usize> = t.lines.iter().map(TableLine::key).collect();
        prop_assert!(keys.windows(2).all(|k| k[0] < k[1]), "{:?}", keys);
        let row_of = |at: usize| text[..at.min(text.len())].matches('\n').count();
        // The line a byte is found on: the last whose key is at or before it.
        let found = |at: usize| t.lines.partition_point(|l| l.key() <= at) - 1;
        for (i, l) in t.lines.iter().enumerate() {
            let TableLine::Cells { key, cells, .. } = l else { continue };
            let Some(first) = cells.iter().map(|c| c.range.start).min() else { continue };
            prop_assert!(*key <= first, "key {} after its text at {}: {:?}", key, first, t.lines);
            prop_assert_eq!(row_of(*key), row_of(first), "{:?}", t.lines);
            // The first byte a line shows is found on that line.
            prop_assert_eq!(found(first), i, "{:?}", t.lines);
        }
    }
}

#![allow(clippy::unwrap_used)]
//! What a reader sees when a paragraph is wrapped: prohibition rules, widths, tabs,
//! over-wide words, and byte ranges that map rows back to the text.

use fangtan::layout::{Row, Segment, layout, row_graphemes, split_row, wrap_text};
use fangtan::width::{AmbiguousWidth, str_width};

const N: AmbiguousWidth = AmbiguousWidth::Narrow;
const W: AmbiguousWidth = AmbiguousWidth::Wide;

fn rows(text: &str, width: usize, amb: AmbiguousWidth) -> Vec<&str> {
    layout(text, width, amb).into_iter().map(|r| &text[r.range]).collect()
}

#[test]
fn han_breaks_between_any_two_characters() {
    assert_eq!(rows("春夏秋冬东南西北", 5, N), vec!["春夏", "秋冬", "东南", "西北"]);
}

#[test]
fn pause_and_stop_marks_never_start_a_row() {
    // greedy fill alone would put the mark first on row 2; the character before it comes along
    for mark in ['，', '。', '、', '：', '；', '！', '？', '．'] {
        let text = format!("春夏秋冬{mark}东南");
        let r = rows(&text, 8, N);
        assert_eq!(r, vec!["春夏秋".to_string(), format!("冬{mark}东南")], "mark {mark}");
    }
}

#[test]
fn closing_quotes_and_brackets_never_start_a_row() {
    for (open, close) in [
        ('“', '”'),
        ('‘', '’'),
        ('「', '」'),
        ('『', '』'),
        ('（', '）'),
        ('《', '》'),
        ('【', '】'),
    ] {
        let text = format!("{open}春夏{close}秋冬东南西北");
        // from 6 cells up a mark and its neighbour always fit on one row together
        for width in 6..12 {
            for row in rows(&text, width, W).iter().skip(1) {
                assert!(!row.starts_with(close), "{text:?} at {width}: row {row:?}");
            }
        }
    }
}

#[test]
fn opening_marks_never_end_a_row() {
    for open in ['“', '‘', '「', '『', '（', '《', '【', '〔'] {
        let text = format!("春夏秋{open}冬东南西北");
        for width in 6..12 {
            for row in rows(&text, width, W) {
                assert!(!row.ends_with(open), "{text:?} at {width}: row {row:?}");
            }
        }
    }
}

#[test]
fn interpunct_tilde_and_solidus_stay_attached() {
    for text in
        ["一二三四五六七萨提亚·纳德拉说", "今年增长了十到二十～三十倍", "春夏秋冬／东南西北"]
    {
        for width in 4..20 {
            for row in rows(text, width, N).iter().skip(1) {
                let c = row.chars().next().unwrap();
                assert!(!"·～／".contains(c), "{text:?} at {width}: row {row:?}");
            }
        }
    }
}

#[test]
fn ascii_closing_punctuation_stays_with_its_word() {
    let text = "he said (quietly), then left; why? done.";
    for width in 11..30 {
        for row in rows(text, width, N).iter().skip(1) {
            let c = row.chars().next().unwrap();
            assert!(!",.;?)".contains(c), "at {width}: row {row:?}");
        }
    }
}

#[test]
fn doubled_dash_and_ellipsis_are_never_split() {
    for text in ["春夏秋冬——东南西北", "春夏秋冬……东南西北"] {
        // the mark and the character it hangs on are 6 cells when ambiguous is wide
        for width in 6..20 {
            let r = rows(text, width, W);
            for pair in r.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                assert!(!(a.ends_with('—') && b.starts_with('—')), "{a:?}|{b:?}");
                assert!(!(a.ends_with('…') && b.starts_with('…')), "{a:?}|{b:?}");
            }
        }
    }
}

#[test]
fn a_single_em_dash_never_starts_a_row() {
    let text = "春夏秋冬—东南西北";
    for width in 4..20 {
        for row in rows(text, width, N).iter().skip(1) {
            assert!(!row.starts_with('—'), "at {width}: {row:?}");
        }
    }
}

#[test]
fn latin_words_and_numbers_with_units_stay_whole() {
    assert_eq!(rows("hello brave new world", 11, N), vec!["hello brave", "new world"]);
    let text = "毛利率高达 98% 到 99.5%，对吧";
    for width in 6..30 {
        for row in rows(text, width, N) {
            assert!(
                !row.ends_with("98") && !row.ends_with("99") && !row.ends_with("99."),
                "{row:?}"
            );
        }
    }
}

#[test]
fn spaces_at_a_break_are_dropped() {
    let text = "alpha   beta gamma";
    let r = layout(text, 8, N);
    assert_eq!(
        r.iter().map(|r| &text[r.range.clone()]).collect::<Vec<_>>(),
        vec!["alpha", "beta", "gamma"]
    );
    assert_eq!(r[0].width, 5);
}

#[test]
fn ambiguous_width_setting_changes_the_fill() {
    let text = "“一二三四五六七八”";
    assert_eq!(rows(text, 18, N), vec![text]);
    let wide = layout(text, 18, W);
    assert!(wide.len() > 1);
    assert!(wide.iter().all(|r| r.width <= 18));
    assert_eq!(str_width("…①·", N), 3);
    assert_eq!(str_width("…①·", W), 6);
}

#[test]
fn tabs_expand_to_the_next_stop_from_the_row_start() {
    assert_eq!(wrap_text("a\tb", 20, N), "a   b\n");
    assert_eq!(wrap_text("abcd\tb", 20, N), "abcd    b\n");
    assert_eq!(wrap_text("你\tb", 20, N), "你  b\n");
    let text = "ab\tcd";
    let row = &layout(text, 20, N)[0];
    assert_eq!(row.width, 6);
    let cells: Vec<_> = row_graphemes(text, row, N).collect();
    assert_eq!(cells[2], (2..3, "  ", 2));
}

#[test]
fn a_long_url_is_cut_between_characters_to_fill_each_row() {
    let url = "https://example.org/a/very/long/path/with_no_spaces_at_all?query=1&more=2";
    let text = format!("看这里 {url} 然后");
    let r = layout(&text, 20, N);
    assert!(r.iter().all(|r| r.width <= 20), "{r:?}");
    let joined: String = r.iter().map(|r| &text[r.range.clone()]).collect::<Vec<_>>().join("");
    assert_eq!(joined.replace(' ', ""), text.replace(' ', ""));
    // the unbreakable tail of the URL is cut into full rows
    let tail = r.iter().find(|r| text[r.range.clone()].starts_with("with_")).unwrap();
    assert_eq!(tail.width, 20);
}

#[test]
fn a_long_latin_word_is_cut_and_no_letter_is_lost() {
    let text = "pneumonoultramicroscopicsilicovolcanoconiosis";
    let r = rows(text, 10, N);
    assert_eq!(r.concat(), text);
    assert!(r.iter().all(|s| s.len() <= 10));
    assert_eq!(r[0], "pneumonoul");
}

#[test]
fn a_cut_word_does_not_push_a_chinese_comma_to_the_next_row() {
    let r = rows("abcdefghij，好", 10, N);
    assert!(r.iter().skip(1).all(|s| !s.starts_with('，')), "{r:?}");
    assert_eq!(r.concat(), "abcdefghij，好");
}

#[test]
fn clusters_are_never_split() {
    let text = "e\u{301}e\u{301}e\u{301} 👨\u{200d}👩\u{200d}👧👍🏽❤\u{fe0f}🇨🇳";
    for width in 0..8 {
        let r = rows(text, width, N);
        for s in &r {
            assert!(!s.starts_with('\u{301}') && !s.starts_with('\u{200d}'), "{s:?}");
            assert!(!s.starts_with('\u{fe0f}') && !s.starts_with('🏽'), "{s:?}");
        }
    }
    assert_eq!(layout("👨\u{200d}👩\u{200d}👧", 2, N).len(), 1);
}

#[test]
fn tiny_widths_still_make_progress() {
    let text = "你好abc，世界！ e\u{301}";
    for width in [0, 1] {
        let r = layout(text, width, N);
        assert!(r.iter().all(|r| !r.range.is_empty()));
        assert!(r.len() >= 6);
        assert_eq!(r.last().unwrap().range.end, text.len());
    }
}

#[test]
fn empty_paragraph_is_one_empty_row() {
    assert_eq!(layout("", 10, N), vec![Row { range: 0..0, width: 0 }]);
    assert_eq!(layout("   ", 10, N).len(), 1);
}

#[test]
fn row_ranges_slice_the_original_text() {
    let text = "  萨提亚说：“我们要做 AI 基础设施。”然后 Brad 笑了。";
    let r = layout(text, 12, N);
    let mut prev_end = 0;
    for row in &r {
        assert!(row.range.start >= prev_end);
        assert!(text[prev_end..row.range.start].chars().all(char::is_whitespace));
        let s = &text[row.range.clone()];
        assert_eq!(str_width(s, N), row.width);
        prev_end = row.range.end;
    }
    assert_eq!(prev_end, text.len());
}

#[test]
fn split_row_cuts_at_style_boundaries() {
    let row = Row { range: 3..12, width: 9 };
    let runs = [(0..5, 'b'), (7..8, 'q'), (11..20, 'b')];
    assert_eq!(
        split_row(&row, &runs, '-'),
        vec![
            Segment { range: 3..5, style: 'b' },
            Segment { range: 5..7, style: '-' },
            Segment { range: 7..8, style: 'q' },
            Segment { range: 8..11, style: '-' },
            Segment { range: 11..12, style: 'b' },
        ]
    );
    assert_eq!(split_row(&row, &[], '-'), vec![Segment { range: 3..12, style: '-' }]);
    assert_eq!(split_row(&row, &[(0..30, 'x')], '-'), vec![Segment { range: 3..12, style: 'x' }]);
}

#[test]
fn control_characters_never_reach_the_screen() {
    let text = "ab\u{1b}[31mcd\u{7}";
    let row = &layout(text, 40, N)[0];
    let shown: String = row_graphemes(text, row, N).map(|(_, g, _)| g).collect();
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
}

#[test]
fn wrap_text_separates_paragraphs_with_one_empty_line() {
    assert_eq!(wrap_text("one two\nthree", 3, N), "one\ntwo\n\nthr\nee\n");
    assert_eq!(wrap_text("", 3, N), "");
}

#[test]
fn a_hard_line_break_inside_a_paragraph_ends_the_row() {
    assert_eq!(rows("春夏\n\n秋冬", 40, N), vec!["春夏", "", "秋冬"]);
    assert_eq!(rows("one\u{2028}two", 40, N), vec!["one", "two"]);
}

#[test]
fn cells_of_a_row_carry_their_byte_ranges_and_widths() {
    let text = "a你e\u{301}👍🏽";
    let row = &layout(text, 40, N)[0];
    let cells: Vec<_> = row_graphemes(text, row, N).collect();
    assert_eq!(
        cells,
        vec![(0..1, "a", 1), (1..4, "你", 2), (4..7, "e\u{301}", 1), (7..15, "👍🏽", 2),]
    );
    assert_eq!(cells.iter().map(|c| c.2).sum::<usize>(), row.width);
}

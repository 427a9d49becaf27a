#![allow(clippy::unwrap_used)]
//! The note editor: the cursor moves and deletes by what the reader sees as one character,
//! and what is drawn never overflows its box.

use fangtan::lineedit::LineEdit;
use fangtan::width::{AmbiguousWidth, str_width};
use unicode_segmentation::UnicodeSegmentation;

const FAMILY: &str = "👨\u{200d}👩\u{200d}👧";
const E_ACUTE: &str = "e\u{301}";

fn w(s: &str) -> usize {
    str_width(s, AmbiguousWidth::Narrow)
}

#[test]
fn typing_chinese_and_moving_by_character() {
    let mut e = LineEdit::new();
    for c in "访谈记录".chars() {
        e.insert_char(c);
    }
    assert_eq!(e.text(), "访谈记录");
    e.left();
    e.left();
    e.insert("很长的");
    assert_eq!(e.text(), "访谈很长的记录");
    e.home();
    e.right();
    assert_eq!(e.cursor(), "访".len());
    e.end();
    assert_eq!(e.cursor(), e.text().len());
}

#[test]
fn emoji_zwj_sequence_is_one_step_and_one_deletion() {
    let mut e = LineEdit::with_text(&format!("a{FAMILY}b"));
    e.left(); // before b
    e.left(); // before the family
    assert_eq!(e.cursor(), 1);
    e.right();
    assert_eq!(e.cursor(), 1 + FAMILY.len(), "skips the whole sequence");
    assert!(e.backspace());
    assert_eq!(e.text(), "ab", "backspace removes the whole family, not one person");
    e.home();
    e.insert(FAMILY);
    e.home();
    assert!(e.delete());
    assert_eq!(e.text(), "ab");
}

#[test]
fn combining_marks_stay_with_their_letter() {
    let mut e = LineEdit::with_text(&format!("caf{E_ACUTE}!"));
    e.left();
    e.left();
    assert_eq!(e.cursor(), 3, "one step over the accented e");
    e.end();
    e.left();
    assert!(e.backspace());
    assert_eq!(e.text(), "caf!");
    // A combining mark typed after a letter joins it; the cursor lands after the cluster.
    let mut e = LineEdit::with_text("cafe");
    e.insert("\u{301}");
    assert_eq!(e.text(), format!("caf{E_ACUTE}"));
    assert_eq!(e.cursor(), e.text().len());
    e.backspace();
    assert_eq!(e.text(), "caf");
}

#[test]
fn ime_commit_and_paste_insert_whole_strings_on_one_line() {
    let mut e = LineEdit::with_text("笔记：");
    e.insert("这一段讲得很好");
    assert_eq!(e.text(), "笔记：这一段讲得很好");
    e.insert("\n第二行\tand\u{1b}[31m red");
    assert_eq!(e.text(), "笔记：这一段讲得很好 第二行 and[31m red", "no control byte survives");
    assert_eq!(e.cursor(), e.text().len());
}

#[test]
fn backspace_and_delete_at_the_ends_do_nothing() {
    let mut e = LineEdit::with_text("书签");
    assert!(!e.delete());
    e.home();
    assert!(!e.backspace());
    assert_eq!(e.text(), "书签");
    let mut empty = LineEdit::new();
    assert!(!empty.backspace());
    assert_eq!(empty.visible(10), (String::new(), 0));
}

#[test]
fn short_text_is_shown_whole_with_the_cursor_column_in_cells() {
    let mut e = LineEdit::with_text("中文note");
    assert_eq!(e.visible(20), ("中文note".to_string(), 8));
    e.home();
    e.right();
    assert_eq!(e.visible(20).1, 2, "after one Chinese character the cursor is 2 cells in");
}

#[test]
fn visible_window_never_exceeds_the_box_and_always_shows_the_cursor() {
    let text =
        format!("长篇访谈的笔记{FAMILY}mixed English 和中文{E_ACUTE}，还有标点。再来一些字。");
    for width in 1..30 {
        let mut e = LineEdit::with_text(&text);
        let check = |e: &LineEdit, what: &str| {
            let (shown, col) = e.visible(width);
            assert!(w(&shown) <= width, "{what} w={width}: {shown:?} is {} wide", w(&shown));
            assert!(col < width.max(1), "{what} w={width}: cursor column {col}");
            // The cursor stands where the text under it is: what is shown left of the
            // column ends the text before the cursor, and the rest starts the text after.
            let mut split = 0;
            let mut cells = 0;
            for g in shown.graphemes(true) {
                if cells >= col {
                    break;
                }
                cells += w(g);
                split += g.len();
            }
            assert_eq!(cells, col, "{what} w={width}: column inside a character");
            assert!(e.text()[..e.cursor()].ends_with(&shown[..split]), "{what} w={width}");
            assert!(e.text()[e.cursor()..].starts_with(&shown[split..]), "{what} w={width}");
        };
        check(&e, "end");
        for _ in 0..60 {
            e.left();
            check(&e, "left");
        }
        for _ in 0..60 {
            e.right();
            check(&e, "right");
        }
        while e.backspace() {
            check(&e, "backspace");
        }
    }
}

#[test]
fn a_wide_character_is_left_out_rather_than_cut_at_the_edge() {
    let mut e = LineEdit::with_text("ab中文");
    e.home();
    // 5 cells: "ab中" is 4, "文" would need 6.
    let (shown, col) = e.visible(5);
    assert_eq!(shown, "ab中");
    assert_eq!(col, 0);
}

#[test]
fn the_view_scrolls_to_keep_the_cursor_and_back_after_deleting() {
    let mut e = LineEdit::with_text("一二三四五六七八九十");
    // At the end: the last characters and one cell for the cursor.
    let (shown, col) = e.visible(9);
    assert_eq!(shown, "七八九十");
    assert_eq!(col, 8);
    // Moving left inside the view does not scroll it.
    e.left();
    e.left();
    assert_eq!(e.visible(9), ("七八九十".to_string(), 4));
    // Past its left edge it follows the cursor.
    e.left();
    e.left();
    assert_eq!(e.visible(9), ("七八九十".to_string(), 0));
    e.left();
    assert_eq!(e.visible(9), ("六七八九".to_string(), 0));
    // Delete most of the text: the start comes back into view.
    e.end();
    for _ in 0..7 {
        e.backspace();
    }
    assert_eq!(e.visible(9), ("一二三".to_string(), 6));
}

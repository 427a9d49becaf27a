#![allow(clippy::unwrap_used)]
//! Frames of the bookmark overlays on the bundled sample at 80x24, as text: the list, the
//! note editor, and the marks in the gutter and the outline.

use crate::support::{frame, keys};
use fangtan::app::{App, Msg, update};
use fangtan::width::{AmbiguousWidth, str_width};
use frame::{app, render};
use keys::{press, typed};

/// Press keys, one per character.
fn keys(app: &mut App, keys: &str) {
    typed(app, keys);
}

/// Two bookmarks, the second with a note; the clock is fixed so frames are stable.
fn marked() -> App {
    let mut a = app(80, 24);
    update(&mut a, Msg::Clock(1_764_370_000_000));
    keys(&mut a, "}}m}a");
    typed(&mut a, "终端里读访谈，真方便 ✓");
    press(&mut a, &["<Enter>"]);
    keys(&mut a, "g");
    a
}

#[test]
fn marks_in_gutter_and_outline() {
    let mut a = marked();
    keys(&mut a, ">");
    let s = render(&a);
    assert!(s.contains('✦'), "{s}");
    insta::assert_snapshot!("bookmark_marks_80x24", s);
}

#[test]
fn bookmark_list() {
    let mut a = marked();
    keys(&mut a, "'j");
    let s = render(&a);
    assert!(s.contains("终端里读访谈"), "{s}");
    insta::assert_snapshot!("bookmark_list_80x24", s);
}

#[test]
fn note_editor() {
    let mut a = marked();
    keys(&mut a, ">>a");
    typed(&mut a, "，再加一句 e\u{301}👍");
    let s = render(&a);
    insta::assert_snapshot!("note_editor_80x24", s);
}

#[test]
fn a_long_note_scrolls_inside_its_box() {
    let mut a = marked();
    keys(&mut a, ">a");
    typed(&mut a, &"很长的笔记".repeat(40));
    let s = render(&a);
    // The box keeps its right border in one column on every row: nothing spilled out.
    let rows: Vec<&str> = s.lines().collect();
    let top = rows.iter().position(|l| l.contains("┌─ Note")).unwrap();
    let bottom = rows.iter().position(|l| l.contains('└')).unwrap();
    let column = |l: &str, c: char| l.rfind(c).map(|i| str_width(&l[..i], AmbiguousWidth::Narrow));
    let right = column(rows[top], '┐');
    assert!(right.is_some());
    for row in &rows[top + 1..bottom] {
        assert_eq!(column(row, '│'), right, "{row}");
    }
    assert_eq!(column(rows[bottom], '┘'), right);
    // The field has scrolled to the cursor at the note's end: its start is out of view.
    let field = rows[top + 2];
    let inside = field[field.find('│').unwrap() + '│'.len_utf8()..].trim_start();
    assert!(inside.starts_with("长的笔记") && inside.contains("笔记很长的笔记"), "{field}");
    insta::assert_snapshot!("note_editor_long_80x24", s);
}

#[test]
fn overlays_never_panic_at_tiny_sizes() {
    for (w, h) in [(1, 1), (5, 3), (12, 4), (20, 6), (30, 8)] {
        let mut a = app(w, h);
        keys(&mut a, "}m'");
        let _ = render(&a);
        press(&mut a, &["e"]);
        typed(&mut a, "笔记");
        let _ = render(&a);
        press(&mut a, &["<Enter>"]);
        let _ = render(&a);
    }
}

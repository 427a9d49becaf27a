#![allow(clippy::unwrap_used)]
//! Bookmarks through `update`, pure: toggling, notes typed through the editor, the list,
//! next/previous, the citation effect, save effects, and resuming from a store on disk
//! (a temporary directory given to `Store::new`).

use std::path::{Path, PathBuf};

use fangtan::app::{App, Effect, LineKind, Msg, Options, Saved, update};
use fangtan::config::Config;
use fangtan::keymap::Action;
use fangtan::parse::{self, ParseOptions};
use fangtan::store::{DocId, Store};

use crate::support::frame;
use crate::support::keys::{press, typed};

/// Two sections, three speakers, a long turn with two paragraphs.
fn fixture() -> String {
    let long = "夜里的河很安静，我们把船停在桥下，听水声说话。".repeat(40);
    format!(
        "# 河边夜谈\n\n## 开场\n\n\
**主持人阿青：**欢迎来到河边，今晚我们聊聊夜航。\n\n\
**老周：**谢谢邀请。我在这条河上跑了二十年船。\n\n\
**Ming:** I came for the lanterns and stayed for the stories.\n\n\
## 深谈\n\n\
**主持人阿青：**{long}\n\n第二段：{long}\n\n\
**老周：**灯笼是最好的向导，比地图还准。\n\n\
**Ming:** The last word goes to the river itself.\n"
    )
}

fn opts(path: Option<PathBuf>) -> Options {
    Options { file_name: "river.md".into(), path, ..Options::default() }
}

fn app_of(text: &str, path: Option<PathBuf>) -> App {
    app_with(text, opts(path))
}

fn app_with(text: &str, opts: Options) -> App {
    let doc = parse::parse(text.to_string(), &ParseOptions::default());
    let mut app = App::new(doc, opts);
    update(&mut app, Msg::Resize { width: 100, height: 30 });
    app
}

fn app() -> App {
    app_of(&fixture(), None)
}

/// An app for `file` with its store loaded from `data` (as the reader does at startup).
fn stored(file: &Path, data: &Path, resume: bool) -> App {
    let text = std::fs::read_to_string(file).unwrap();
    let mut app = app_of(&text, Some(file.to_path_buf()));
    app.opts.resume = resume;
    let id = DocId::new(file, &app.doc.text);
    let loaded = Store::new(data).load(&id, &app.doc).unwrap();
    update(&mut app, Msg::Restored(Box::new(loaded)));
    app
}

/// Carry out the save effects as the event loop does, reporting each save to `update`.
fn run(app: &mut App, data: &Path, effects: &[Effect]) {
    for e in effects {
        if *e == Effect::SaveMarks {
            let mut marks = app.marks.clone();
            let warnings = Store::new(data).save(&mut marks, &app.doc).unwrap();
            update(app, Msg::Saved(Ok(Box::new(Saved { marks, warnings }))));
        }
    }
}

fn act(app: &mut App, a: Action) -> Vec<Effect> {
    update(app, Msg::Action(a))
}

fn message(app: &App) -> String {
    app.message.clone().unwrap_or_default()
}

/// The text of the passage under the passage cursor.
fn passage(app: &App) -> String {
    app.passage_anchor().and_then(|a| a.text(&app.doc)).unwrap_or("").to_string()
}

fn top_line(app: &App) -> (usize, LineKind) {
    let (vi, l) = &app.view.lines[0];
    (*vi, l.kind.clone())
}

/// The fixture written to a temporary directory, with a data directory beside it:
/// (the directory, kept alive by the caller, the file, the data directory).
fn river_on_disk() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("river.md");
    std::fs::write(&file, fixture()).unwrap();
    let data = dir.path().join("data");
    (dir, file, data)
}

#[test]
fn m_toggles_a_bookmark_on_the_passage() {
    let mut a = app();
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::NextTurn);
    assert!(passage(&a).starts_with("谢谢邀请"));
    let effects = act(&mut a, Action::ToggleBookmark);
    // No store for this document: nothing to save, and the message says so.
    assert!(effects.is_empty());
    assert_eq!(a.marks.bookmarks.len(), 1);
    let b = &a.marks.bookmarks[0];
    assert_eq!(b.speaker.as_deref(), Some("老周"));
    assert_eq!(b.section.as_deref(), Some("开场"));
    let (item, block) = a.view.passage.unwrap();
    assert!(a.is_marked(item, block));
    assert!(message(&a).starts_with("bookmarked 老周, 开场"), "{}", message(&a));
    assert!(message(&a).contains("this session only"));
    act(&mut a, Action::ToggleBookmark);
    assert!(a.marks.bookmarks.is_empty());
    assert!(!a.is_marked(item, block));
    assert!(message(&a).starts_with("bookmark removed"));
}

#[test]
fn a_types_a_note_with_chinese_emoji_and_combining_marks() {
    let mut a = app();
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::EditNote);
    assert!(a.note_editing());
    typed(&mut a, "夜航很美");
    // A family emoji (one cluster of five code points) arrives whole as a paste.
    update(&mut a, Msg::Paste("👨‍👩‍👧".into()));
    // A letter and its combining accent, typed one after the other.
    typed(&mut a, " cafe\u{301}");
    press(&mut a, &["<BS>"]);
    assert_eq!(a.note().unwrap().edit.text(), "夜航很美👨‍👩‍👧 caf");
    // Left steps over whole clusters: "f", "a", "c", " ", then the emoji.
    press(&mut a, &["<Left>"; 5]);
    press(&mut a, &["<Del>"]);
    assert_eq!(a.note().unwrap().edit.text(), "夜航很美 caf");
    press(&mut a, &["<Home>"]);
    typed(&mut a, "é");
    press(&mut a, &["<End>"]);
    typed(&mut a, "e\u{301}");
    // Keys that are actions elsewhere are text here.
    typed(&mut a, "mq");
    assert_eq!(a.note().unwrap().edit.text(), "é夜航很美 cafe\u{301}mq");
    press(&mut a, &["<Enter>"]);
    assert!(!a.note_editing());
    assert_eq!(a.marks.bookmarks.len(), 1, "the note added a bookmark");
    assert_eq!(a.marks.bookmarks[0].note, "é夜航很美 cafe\u{301}mq");
    assert_eq!(message(&a), "note saved");
    // Editing again starts from the saved note; Esc leaves it unchanged.
    act(&mut a, Action::EditNote);
    assert_eq!(a.note().unwrap().edit.text(), "é夜航很美 cafe\u{301}mq");
    press(&mut a, &["<BS>"]);
    press(&mut a, &["<Esc>"]);
    assert_eq!(a.marks.bookmarks[0].note, "é夜航很美 cafe\u{301}mq");
}

#[test]
fn escape_from_a_new_note_leaves_no_bookmark() {
    let mut a = app();
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::EditNote);
    typed(&mut a, "草稿");
    press(&mut a, &["<Esc>"]);
    assert!(!a.note_editing());
    assert!(a.marks.bookmarks.is_empty());
}

#[test]
fn a_pasted_note_is_one_line_without_control_characters() {
    let mut a = app();
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::EditNote);
    update(&mut a, Msg::Paste("第一行\n第二行\u{1b}[31m红".into()));
    press(&mut a, &["<Enter>"]);
    let note = &a.marks.bookmarks[0].note;
    assert!(!note.chars().any(char::is_control), "{note:?}");
    assert!(note.starts_with("第一行 第二行"));
}

/// Bookmarks on the turns of 老周 (first) and Ming (second).
fn two_marks() -> App {
    two_marks_in(app())
}

fn two_marks_in(mut a: App) -> App {
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::ToggleBookmark);
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::ToggleBookmark);
    act(&mut a, Action::Top);
    a
}

#[test]
fn next_and_previous_bookmark_wrap_around() {
    let mut a = two_marks();
    act(&mut a, Action::NextBookmark);
    assert!(passage(&a).starts_with("谢谢邀请"), "{}", passage(&a));
    assert!(message(&a).starts_with("bookmark 1/2 · 老周"), "{}", message(&a));
    act(&mut a, Action::NextBookmark);
    assert!(passage(&a).starts_with("I came for the lanterns"));
    assert_eq!(message(&a), "bookmark 2/2 · Ming, 开场");
    act(&mut a, Action::NextBookmark);
    assert!(passage(&a).starts_with("谢谢邀请"));
    assert!(message(&a).ends_with("(wrapped to the first)"));
    act(&mut a, Action::PrevBookmark);
    assert!(passage(&a).starts_with("I came for the lanterns"));
    assert!(message(&a).ends_with("(wrapped to the last)"));
    let mut empty = app();
    act(&mut empty, Action::NextBookmark);
    assert!(message(&empty).starts_with("no bookmarks"));
}

#[test]
fn the_list_moves_jumps_deletes_and_undoes() {
    let mut a = two_marks();
    press(&mut a, &["'"]);
    assert!(a.list_open());
    assert_eq!(a.list().unwrap().sel, 0);
    // Reader keys do not scroll the reader under the list.
    let pos = a.pos;
    press(&mut a, &["j"]);
    assert_eq!(a.list().unwrap().sel, 1);
    press(&mut a, &["j"]);
    assert_eq!(a.list().unwrap().sel, 1, "stays on the last");
    assert_eq!(a.pos, pos);
    press(&mut a, &["<Enter>"]);
    assert!(!a.list_open());
    assert!(passage(&a).starts_with("I came for the lanterns"));
    // Delete the selected one, bring it back.
    press(&mut a, &["'", "k"]);
    press(&mut a, &["d"]);
    assert_eq!(a.marks.bookmarks.len(), 1);
    assert_eq!(a.marks.bookmarks[0].speaker.as_deref(), Some("Ming"));
    assert!(message(&a).starts_with("bookmark deleted"));
    press(&mut a, &["u"]);
    assert_eq!(a.marks.bookmarks.len(), 2);
    assert_eq!(a.list().unwrap().sel, 0, "the restored bookmark is selected");
    press(&mut a, &["u"]);
    assert_eq!(message(&a), "nothing to undo");
    // e edits the selected note and returns to the list.
    press(&mut a, &["e"]);
    assert!(a.note_editing() && !a.list_open());
    typed(&mut a, "二十年");
    press(&mut a, &["<Enter>"]);
    assert!(a.list_open());
    assert_eq!(a.marks.bookmarks[0].note, "二十年");
    press(&mut a, &["q"]);
    assert!(!a.list_open(), "q closes the list");
    assert!(a.marks.bookmarks.len() == 2, "and quits nothing");
}

#[test]
fn the_lists_keys_are_the_configs_to_rebind() {
    let config = Config::from_user_text("test.toml", "[keys.list]\ndelete = [\"x\"]\n").unwrap();
    let opts = Options { keys: config.keys, ..opts(None) };
    let mut a = two_marks_in(app_with(&fixture(), opts));
    press(&mut a, &["'", "d"]);
    assert_eq!(a.marks.bookmarks.len(), 2, "d deletes nothing now");
    assert!(a.list_open());
    let screen = frame::render(&a);
    assert!(screen.contains("x delete") && !screen.contains("d delete"), "the hint:\n{screen}");
    press(&mut a, &["x"]);
    assert_eq!(a.marks.bookmarks.len(), 1, "x deletes");
    assert!(message(&a).starts_with("bookmark deleted · u brings it back"), "{}", message(&a));
    // The other keys of the list keep their defaults.
    press(&mut a, &["u"]);
    assert_eq!(a.marks.bookmarks.len(), 2);
}

#[test]
fn bookmark_times_come_from_the_clock_message() {
    let (_dir, file, data) = river_on_disk();
    let mut a = stored(&file, &data, true);
    update(&mut a, Msg::Clock(1_000));
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::ToggleBookmark);
    update(&mut a, Msg::Clock(2_000));
    act(&mut a, Action::EditNote);
    typed(&mut a, "好");
    press(&mut a, &["<Enter>"]);
    let b = &a.marks.bookmarks[0];
    assert_eq!((b.created, b.updated), (1_000, 2_000));
    update(&mut a, Msg::Clock(3_000));
    act(&mut a, Action::Quit);
    assert_eq!(a.marks.position.as_ref().map(|p| p.saved), Some(3_000));
}

#[test]
fn y_copies_the_passage_as_a_citation() {
    let mut a = app();
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::NextTurn);
    let effects = act(&mut a, Action::CopyCitation);
    let [Effect::Copy(text)] = effects.as_slice() else { panic!("{effects:?}") };
    assert_eq!(text, "> 谢谢邀请。我在这条河上跑了二十年船。\n\n— 老周, 开场, 河边夜谈\n");
    assert!(message(&a).starts_with("copied the passage as a citation"));
}

#[test]
fn changes_and_leaving_emit_saves_when_there_is_a_store() {
    let (_dir, file, data) = river_on_disk();
    let mut a = stored(&file, &data, true);
    act(&mut a, Action::NextTurn);
    assert_eq!(act(&mut a, Action::ToggleBookmark), vec![Effect::SaveMarks]);
    act(&mut a, Action::EditNote);
    typed(&mut a, "好");
    assert_eq!(press(&mut a, &["<Enter>"]), vec![Effect::SaveMarks]);
    press(&mut a, &["'"]);
    assert_eq!(press(&mut a, &["d"]), vec![Effect::SaveMarks]);
    assert_eq!(press(&mut a, &["u"]), vec![Effect::SaveMarks]);
    press(&mut a, &["<Esc>"]);
    assert_eq!(act(&mut a, Action::Suspend), vec![Effect::SaveMarks, Effect::Suspend]);
    assert_eq!(act(&mut a, Action::Quit), vec![Effect::SaveMarks, Effect::Quit]);
    assert!(a.marks.position.is_some(), "the position is remembered before leaving");
    // Without a store, quitting is just quitting.
    let mut plain = app();
    assert_eq!(act(&mut plain, Action::Quit), vec![Effect::Quit]);
}

#[test]
fn reopening_resumes_where_the_reader_stopped() {
    let (_dir, file, data) = river_on_disk();
    let mut a = stored(&file, &data, true);
    assert_eq!(a.message, None, "nothing to resume the first time");
    for _ in 0..4 {
        act(&mut a, Action::NextTurn);
    }
    for _ in 0..7 {
        act(&mut a, Action::LineDown);
    }
    let top = top_line(&a);
    assert!(matches!(top.1, LineKind::Text { row: ref r, .. } if r.start > 0), "{top:?}");
    act(&mut a, Action::ToggleBookmark);
    let effects = act(&mut a, Action::Quit);
    run(&mut a, &data, &effects);

    let b = stored(&file, &data, true);
    assert_eq!(top_line(&b), top, "same line on top");
    assert!(message(&b).starts_with("resumed at 主持人阿青, 深谈"), "{}", message(&b));
    // The message's percentage is the status line's, not a count of paragraphs.
    let pct = message(&b).rsplit_once('(').map(|(_, p)| p.trim_end_matches(')').to_string());
    let pct = pct.expect("a percentage in the resume message");
    let status = status_line(&b);
    let shown = status.split_whitespace().rfind(|w| w.ends_with('%') && !w.starts_with('('));
    assert_eq!(shown, Some(pct.as_str()), "{} / {status}", message(&b));
    assert_eq!(b.marks.bookmarks.len(), 1);
    assert_eq!(b.marks.bookmarks[0].anchor, a.marks.bookmarks[0].anchor);
    let (item, block) = b.view.passage.unwrap();
    assert!(b.is_marked(item, block));

    // --no-resume (or `[reading] resume = false`) opens at the top, marks still loaded.
    let mut c = stored(&file, &data, false);
    assert_eq!(c.pos, fangtan::app::Pos::TOP);
    assert_eq!(c.message, None);
    assert_eq!(c.marks.bookmarks.len(), 1);
    // Leaving from where it opened keeps the saved place: a peek does not lose it.
    let effects = act(&mut c, Action::Quit);
    run(&mut c, &data, &effects);
    let d = stored(&file, &data, true);
    assert_eq!(top_line(&d), top, "still resumes at the saved line");
    // Moving, then leaving, is reading: that place is saved.
    let mut e = stored(&file, &data, false);
    for _ in 0..3 {
        act(&mut e, Action::NextTurn);
    }
    let moved = top_line(&e);
    let effects = act(&mut e, Action::Quit);
    run(&mut e, &data, &effects);
    assert_eq!(top_line(&stored(&file, &data, true)), moved);
}

#[test]
fn an_edited_file_keeps_the_bookmark_on_its_passage() {
    let (_dir, file, data) = river_on_disk();
    let mut a = stored(&file, &data, true);
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::ToggleBookmark);
    let effects = act(&mut a, Action::Quit);
    run(&mut a, &data, &effects);
    // A new turn at the start shifts every item by one.
    let edited =
        fixture().replace("## 开场\n\n", "## 开场\n\n**主持人阿青：**先说一句开场白。\n\n");
    std::fs::write(&file, edited).unwrap();
    let mut b = stored(&file, &data, true);
    assert!(passage(&b).starts_with("谢谢邀请"), "resumed on the same passage");
    act(&mut b, Action::Top);
    act(&mut b, Action::NextBookmark);
    assert!(passage(&b).starts_with("谢谢邀请"));
}

#[test]
fn a_corrupt_store_is_reported_and_kept() {
    let (_dir, file, data) = river_on_disk();
    std::fs::create_dir_all(&data).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let doc = parse::parse(text, &ParseOptions::default());
    let store = Store::new(&data);
    std::fs::write(store.path_for(&DocId::new(&file, &doc.text)), b"{ not json").unwrap();
    let a = stored(&file, &data, true);
    assert!(message(&a).contains("unreadable"), "{}", message(&a));
    let kept = std::fs::read_dir(&data)
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains(".corrupt-"))
        .count();
    assert_eq!(kept, 1);
}

#[test]
fn ctrl_c_while_typing_a_note_keeps_it() {
    let (_dir, file, data) = river_on_disk();
    let mut a = stored(&file, &data, true);
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::EditNote);
    typed(&mut a, "还没写完");
    let effects = act(&mut a, Action::ForceQuit);
    assert_eq!(effects, vec![Effect::SaveMarks, Effect::Quit]);
    run(&mut a, &data, &effects);
    let b = stored(&file, &data, true);
    assert_eq!(b.marks.bookmarks.len(), 1);
    assert_eq!(b.marks.bookmarks[0].note, "还没写完");
}

#[test]
fn leaving_however_the_reader_ends_keeps_the_note_being_typed() {
    let (_dir, file, data) = river_on_disk();
    let mut a = stored(&file, &data, true);
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::EditNote);
    typed(&mut a, "写到一半");
    // A signal or a terminal error ends the reader without a key: the exit path says so.
    let effects = update(&mut a, Msg::Leave);
    assert_eq!(effects, vec![Effect::SaveMarks]);
    run(&mut a, &data, &effects);
    let b = stored(&file, &data, true);
    assert_eq!(b.marks.bookmarks.len(), 1);
    assert_eq!(b.marks.bookmarks[0].note, "写到一半");
    // After a quit that saved everything, the exit path has nothing left to write.
    let effects = act(&mut a, Action::Quit);
    run(&mut a, &data, &effects);
    assert_eq!(update(&mut a, Msg::Leave), vec![]);
}

/// The status line (the last row) as drawn.
fn status_line(app: &App) -> String {
    frame::render(app).lines().last().unwrap_or("").to_string()
}

#[test]
fn changes_a_save_could_not_write_stay_marked_until_a_save_succeeds() {
    let (_dir, file, data) = river_on_disk();
    let mut a = stored(&file, &data, true);
    act(&mut a, Action::NextTurn);
    assert_eq!(act(&mut a, Action::ToggleBookmark), vec![Effect::SaveMarks]);
    update(&mut a, Msg::Saved(Err("cannot save bookmarks: No space left on device".into())));
    act(&mut a, Action::NextTurn);
    assert_eq!(act(&mut a, Action::ToggleBookmark), vec![Effect::SaveMarks]);
    update(&mut a, Msg::Saved(Err("cannot save bookmarks: No space left on device".into())));
    assert!(message(&a).contains("No space left"), "{}", message(&a));
    // The message goes with the next key; the mark stays, on a wide and a narrow screen.
    act(&mut a, Action::LineDown);
    for width in [100, 40, 20] {
        update(&mut a, Msg::Resize { width, height: 30 });
        let status = status_line(&a);
        assert!(status.contains("unsaved ✦2"), "{width} columns: {status:?}");
        assert!(!status.contains("No space"), "{status:?}");
    }
    // Leaving tries again; a save that succeeds clears the mark.
    let effects = update(&mut a, Msg::Leave);
    assert_eq!(effects, vec![Effect::SaveMarks]);
    run(&mut a, &data, &effects);
    assert_eq!(a.unsaved, 0);
    assert!(!status_line(&a).contains("unsaved"), "{}", status_line(&a));
    assert_eq!(stored(&file, &data, true).marks.bookmarks.len(), 2);
}

#[test]
fn a_paste_into_the_search_prompt_is_its_query_on_one_line_and_finds_it() {
    let mut a = app();
    act(&mut a, Action::Search);
    update(&mut a, Msg::Paste("灯笼\n".into()));
    let s = a.search.as_ref().unwrap();
    assert_eq!(s.query(), "灯笼");
    // The line break is dropped (a prompt is one line), not taken as Enter; the match
    // shown is of the whole paste.
    assert!(a.search_editing());
    let first = s.current.map(|c| &s.matches[c]).expect("a current match");
    let text = a.doc.item_blocks(first.item).get(first.block).unwrap().text;
    assert_eq!(&text[first.range.clone()], "灯笼");
    // Outside the prompt and the note editor a paste does nothing.
    press(&mut a, &["<Esc>"]);
    let pos = a.pos;
    update(&mut a, Msg::Paste("jjjj".into()));
    assert_eq!(a.pos, pos);
    assert!(a.marks.bookmarks.is_empty());
}

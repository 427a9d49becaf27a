#![allow(clippy::unwrap_used)]
//! `update` for every action, pure: no terminal, only the state a user would see.

use crate::support::{frame, keys};

use fangtan::app::{
    App, Effect, EntryKind, Focus, Input, LineKind, Mouse, Msg, Options, Start, update,
};
use fangtan::doc::Item;
use fangtan::keymap::{Action, EditAction, HelpAction, ListAction};
use fangtan::parse::{self, ParseOptions};
use keys::press;

/// A small transcript: three speakers, nested sections, two quotes, a long turn.
fn fixture() -> String {
    let long = "山路很长，我们一边走一边说话，".repeat(30);
    format!(
        "# 山居对谈\n\n作者：测试编辑\n\n前言一段，说明这次对谈的缘起。\n\n## 第一部分\n\n\
**主持人阿青：**欢迎两位来到山里。\n\n\
**老周：**谢谢。**山里的时间走得慢**，我很喜欢。\n\n\
**Ming:** Thanks for having me. The search word is Lantern here.\n\n\
### 小节\n\n\
**主持人阿青：**{long}\n\n第二段也很长。{long}\n\n\
**老周：**我补充一句，灯笼（lantern）是我们的线索。\n\n\
## 第二部分\n\n\
**Ming:** **Slow time is good time.** Another LANTERN appears.\n\n\
**主持人阿青：**最后一个问题，结束吧。\n"
    )
}

fn app_sized(w: u16, h: u16) -> App {
    let doc = parse::parse(fixture(), &ParseOptions::default());
    let opts = Options { file_name: "fixture.md".into(), ..Options::default() };
    let mut app = App::new(doc, opts);
    update(&mut app, Msg::Resize { width: w, height: h });
    app
}

fn app() -> App {
    app_sized(100, 30)
}

fn act(app: &mut App, a: Action) -> Vec<Effect> {
    update(app, Msg::Action(a))
}

/// The turn whose header is on the top row, if any.
fn top_turn(app: &App) -> Option<usize> {
    match app.view.lines.first().map(|(_, l)| &l.kind) {
        Some(LineKind::TurnHeader(t)) => Some(*t),
        _ => None,
    }
}

fn top_speaker(app: &App) -> String {
    let t = top_turn(app).expect("a turn header on top");
    app.doc.speaker_name(app.doc.turns[t].speaker()).to_string()
}

/// Text of the screen's reading lines (Text rows only), joined.
fn screen_text(app: &App) -> String {
    let mut s = String::new();
    for (vi, l) in &app.view.lines {
        if let LineKind::Text { block, row, .. } = &l.kind {
            s.push_str(&app.doc.item_blocks(vi - 1).get(*block).unwrap().text[row.clone()]);
            s.push('\n');
        }
    }
    s
}

fn message(app: &App) -> String {
    app.message.clone().unwrap_or_default()
}

#[test]
fn fixture_parses_as_expected() {
    let a = app();
    assert_eq!(a.doc.speakers.len(), 3);
    assert_eq!(a.doc.quotes.len(), 2);
    assert!(a.doc.sections.len() >= 3);
}

#[test]
fn line_down_and_up() {
    let mut a = app();
    let start = a.pos;
    act(&mut a, Action::LineDown);
    assert!(a.pos > start);
    act(&mut a, Action::LineUp);
    assert_eq!(a.pos, start);
    act(&mut a, Action::LineUp);
    assert_eq!(message(&a), "top of document");
}

#[test]
fn page_down_keeps_two_lines_of_context_and_page_up_returns() {
    let mut a = app();
    let before: Vec<_> = a.view.lines.clone();
    act(&mut a, Action::PageDown);
    let h = a.view.lines.len();
    assert_eq!(a.view.lines[0], before[h - 2]);
    act(&mut a, Action::PageUp);
    assert_eq!(a.view.lines, before);
}

#[test]
fn half_pages() {
    let mut a = app();
    let before = a.view.lines.clone();
    act(&mut a, Action::HalfPageDown);
    assert_eq!(a.view.lines[0], before[before.len() / 2]);
    act(&mut a, Action::HalfPageUp);
    assert_eq!(a.view.lines, before);
}

#[test]
fn bottom_shows_the_end_and_stops_there() {
    let mut a = app();
    act(&mut a, Action::Bottom);
    assert!(a.view.at_end);
    assert!(screen_text(&a).contains("结束吧"));
    let pos = a.pos;
    act(&mut a, Action::LineDown);
    assert_eq!(a.pos, pos);
    assert_eq!(message(&a), "end of document");
    act(&mut a, Action::PageDown);
    assert_eq!(a.pos, pos);
    act(&mut a, Action::Top);
    assert!(matches!(a.view.lines[0].1.kind, LineKind::Title(_)));
}

#[test]
fn next_and_previous_turn_put_the_header_on_top() {
    let mut a = app();
    act(&mut a, Action::NextTurn);
    assert_eq!(top_turn(&a), Some(0));
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::NextTurn);
    assert_eq!(top_turn(&a), Some(2));
    act(&mut a, Action::PrevTurn);
    assert_eq!(top_turn(&a), Some(1));
    // From inside a turn, `{` goes back to its own header.
    act(&mut a, Action::LineDown);
    act(&mut a, Action::PrevTurn);
    assert_eq!(top_turn(&a), Some(1));
    let last = a.doc.turns.len() - 1;
    for _ in 0..10 {
        act(&mut a, Action::NextTurn);
    }
    assert_eq!(top_turn(&a), Some(last));
    assert_eq!(message(&a), "no next turn");
    act(&mut a, Action::Top);
    act(&mut a, Action::PrevTurn);
    assert_eq!(message(&a), "no previous turn");
}

#[test]
fn same_speaker_turns() {
    let mut a = app();
    act(&mut a, Action::NextTurnSameSpeaker);
    assert!(message(&a).starts_with("no current speaker"));
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::NextTurnSameSpeaker);
    assert_eq!(top_speaker(&a), "主持人阿青");
    assert_eq!(top_turn(&a), Some(3));
    act(&mut a, Action::NextTurnSameSpeaker);
    assert_eq!(top_turn(&a), Some(6));
    act(&mut a, Action::NextTurnSameSpeaker);
    assert_eq!(message(&a), "no next turn by 主持人阿青");
    act(&mut a, Action::PrevTurnSameSpeaker);
    assert_eq!(top_turn(&a), Some(3));
}

#[test]
fn speaker_number_jumps_to_that_speakers_next_turn() {
    let mut a = app();
    act(&mut a, Action::SpeakerTurn(3));
    assert_eq!(top_speaker(&a), "Ming");
    act(&mut a, Action::SpeakerTurn(3));
    assert_eq!(top_turn(&a), Some(5));
    act(&mut a, Action::SpeakerTurn(2));
    assert_eq!(message(&a), "no next turn by 老周");
    act(&mut a, Action::SpeakerTurn(9));
    assert_eq!(message(&a), "no speaker 9");
}

#[test]
fn quotes_are_visible_after_the_jump_and_the_end_is_announced() {
    let mut a = app();
    act(&mut a, Action::NextQuote);
    assert!(screen_text(&a).contains("山里的时间走得慢"));
    act(&mut a, Action::NextQuote);
    assert!(screen_text(&a).contains("Slow time is good time."));
    act(&mut a, Action::NextQuote);
    assert_eq!(message(&a), "no next quote");
    act(&mut a, Action::PrevQuote);
    assert!(screen_text(&a).contains("山里的时间走得慢"));
    act(&mut a, Action::PrevQuote);
    assert_eq!(message(&a), "no previous quote");
}

#[test]
fn sections() {
    let mut a = app();
    act(&mut a, Action::NextSection);
    let first = &a.view.lines[0].1.kind;
    assert!(matches!(first, LineKind::Heading { section: 0, .. }), "{first:?}");
    act(&mut a, Action::NextSection);
    act(&mut a, Action::NextSection);
    assert!(matches!(a.view.lines[0].1.kind, LineKind::Heading { section: 2, .. }));
    assert_eq!(a.doc.section_title(a.current_section()), Some("第二部分"));
    act(&mut a, Action::NextSection);
    assert_eq!(message(&a), "no next section");
    act(&mut a, Action::PrevSection);
    assert!(matches!(a.view.lines[0].1.kind, LineKind::Heading { section: 1, .. }));
}

fn search(a: &mut App, q: &str) {
    act(a, Action::Search);
    keys::typed(a, q);
}

#[test]
fn search_is_incremental_case_insensitive_and_counts() {
    let mut a = app();
    search(&mut a, "lantern");
    let s = a.search.as_ref().unwrap();
    assert!(a.search_editing());
    assert_eq!((s.current, s.matches.len()), (Some(0), 3));
    press(&mut a, &["<Enter>"]);
    assert!(!a.search_editing());
    act(&mut a, Action::NextMatch);
    assert_eq!(a.search.as_ref().unwrap().current, Some(1));
    assert!(screen_text(&a).to_lowercase().contains("lantern"));
    act(&mut a, Action::NextMatch);
    assert_eq!(a.search.as_ref().unwrap().current, Some(2));
    // Past the last match `n` wraps to the first, and says so, as vim does.
    act(&mut a, Action::NextMatch);
    assert_eq!(message(&a), "search hit BOTTOM, continuing at TOP");
    assert_eq!(a.search.as_ref().unwrap().current, Some(0));
    act(&mut a, Action::PrevMatch);
    assert_eq!(message(&a), "search hit TOP, continuing at BOTTOM");
    assert_eq!(a.search.as_ref().unwrap().current, Some(2));
    act(&mut a, Action::PrevMatch);
    assert_eq!(a.search.as_ref().unwrap().current, Some(1));
    act(&mut a, Action::Cancel);
    assert!(a.search.is_none());
    act(&mut a, Action::NextMatch);
    assert!(message(&a).starts_with("no search"));
}

fn query(a: &App) -> String {
    a.search.as_ref().map(|s| s.query().to_string()).unwrap_or_default()
}

#[test]
fn slash_then_enter_repeats_the_last_search_from_the_next_match() {
    let mut a = app();
    search(&mut a, "lantern");
    // Enter keeps the search and asks the edge to remember it.
    assert_eq!(press(&mut a, &["<Enter>"]), vec![Effect::RememberSearch("lantern".into())]);
    assert_eq!(a.search.as_ref().unwrap().current, Some(0));
    assert_eq!(a.search_history, ["lantern"]);
    let fx = press(&mut a, &["/", "<Enter>"]);
    assert_eq!(query(&a), "lantern");
    assert!(!a.search_editing());
    let s = a.search.as_ref().unwrap();
    assert_eq!((s.current, s.matches.len()), (Some(1), 3), "on to the match after");
    assert_eq!(fx, vec![Effect::RememberSearch("lantern".into())]);
    assert_eq!(a.search_history, ["lantern"], "kept once");
    // Without any search made, an empty prompt is no search.
    let mut b = app();
    assert!(press(&mut b, &["/", "<Enter>"]).is_empty());
    assert!(b.search.is_none());
}

#[test]
fn up_and_down_in_the_search_prompt_go_through_the_history() {
    let mut a = app();
    search(&mut a, "slow");
    press(&mut a, &["<Enter>"]);
    // A history read from disk after searches were made keeps them as the newest.
    update(&mut a, Msg::SearchHistory(vec!["lantern".into(), "slow".into(), "ming".into()]));
    assert_eq!(a.search_history, ["lantern", "ming", "slow"]);
    press(&mut a, &["/"]);
    press(&mut a, &["<Up>"]);
    assert_eq!(query(&a), "slow");
    assert!(a.search.as_ref().unwrap().current.is_some(), "the recalled search searches");
    press(&mut a, &["<Up>", "<Up>"]);
    assert_eq!(query(&a), "lantern");
    press(&mut a, &["<Up>"]);
    assert_eq!(query(&a), "lantern", "the oldest stays");
    press(&mut a, &["<Down>", "<Down>", "<Down>"]);
    assert_eq!(query(&a), "", "past the newest: what was typed");
    // What is typed picks the entries that start with it.
    keys::typed(&mut a, "l");
    press(&mut a, &["<Up>"]);
    assert_eq!(query(&a), "lantern");
    press(&mut a, &["<Down>"]);
    assert_eq!(query(&a), "l");
    press(&mut a, &["<Esc>"]);
    assert!(a.search.is_none());
}

#[test]
fn a_match_above_the_reading_position_in_the_same_turn_is_found_by_wrapping() {
    // The only match is at the start of a long turn, and the reader is further down in
    // that turn: the search wraps around to it, as it would to any match above.
    let long = "这段话很长，一直在讲终端里的阅读体验。".repeat(40);
    let text = format!("# 长谈\n\n**阿青：** Zanzibar 是开头的词。{long}\n\n**Ming:** short.\n");
    let doc = parse::parse(text, &ParseOptions::default());
    let mut a = App::new(doc, Options::default());
    update(&mut a, Msg::Resize { width: 60, height: 12 });
    for _ in 0..12 {
        act(&mut a, Action::LineDown);
    }
    assert!(!screen_text(&a).contains("Zanzibar"), "the match is scrolled off");
    assert!(screen_text(&a).contains("阅读体验"), "still inside the long turn");
    search(&mut a, "zanzibar");
    press(&mut a, &["<Enter>"]);
    let s = a.search.as_ref().unwrap();
    assert_eq!((s.current, s.matches.len()), (Some(0), 1));
    assert!(screen_text(&a).contains("Zanzibar"), "{}", screen_text(&a));
}

#[test]
fn the_search_prompt_edits_whole_characters_at_a_cursor() {
    let mut a = app();
    // `e` and a combining acute are one character on screen: one Backspace takes both.
    search(&mut a, "走e\u{301}");
    press(&mut a, &["<BS>"]);
    assert_eq!(a.search.as_ref().unwrap().query(), "走");
    // The cursor moves: a word typed after Home goes in front.
    search_more(&mut a, "一");
    press(&mut a, &["<Home>"]);
    search_more(&mut a, "一边");
    assert_eq!(a.search.as_ref().unwrap().query(), "一边走一");
    assert!(!a.search.as_ref().unwrap().matches.is_empty());
}

/// Type more into an open search prompt.
fn search_more(a: &mut App, q: &str) {
    keys::typed(a, q);
}

#[test]
fn search_inside_unspaced_chinese_and_escape_returns() {
    let mut a = app();
    act(&mut a, Action::NextTurn);
    let origin = a.pos;
    search(&mut a, "一边走");
    assert_eq!(a.search.as_ref().unwrap().matches.len(), 60);
    press(&mut a, &["<BS>"]);
    assert_eq!(a.search.as_ref().unwrap().query(), "一边");
    press(&mut a, &["<Esc>"]);
    assert!(a.search.is_none());
    assert_eq!(a.pos, origin);
    search(&mut a, "no such words");
    press(&mut a, &["<Enter>"]);
    assert_eq!(message(&a), "not found: no such words");
}

#[test]
fn speaker_focus_folds_other_speakers() {
    let mut a = app();
    act(&mut a, Action::CycleSpeakerFocus);
    assert_eq!(a.focus_speaker, Some(0));
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::NextTurn);
    // Only the focused speaker's turns are stepped to; the others are one folded row.
    assert_eq!(top_turn(&a), Some(3));
    act(&mut a, Action::Top);
    let folded = a.view.lines.iter().filter(|(_, l)| matches!(l.kind, LineKind::Folded(_))).count();
    assert!(folded >= 2, "{folded}");
    act(&mut a, Action::CycleSpeakerFocus);
    act(&mut a, Action::CycleSpeakerFocus);
    assert_eq!(a.focus_speaker, Some(2));
    act(&mut a, Action::CycleSpeakerFocus);
    assert_eq!(a.focus_speaker, None);
    act(&mut a, Action::CycleSpeakerFocus);
    act(&mut a, Action::ClearSpeakerFocus);
    assert_eq!(a.focus_speaker, None);
    assert!(!a.view.lines.iter().any(|(_, l)| matches!(l.kind, LineKind::Folded(_))));
}

#[test]
fn outline_focus_selects_and_jumps() {
    let mut a = app();
    assert!(a.outline_shown());
    act(&mut a, Action::SwitchPane);
    assert_eq!(a.focus, Focus::Outline);
    act(&mut a, Action::Top);
    act(&mut a, Action::LineDown);
    act(&mut a, Action::LineDown);
    act(&mut a, Action::Select);
    // Row 0 is the first section, rows 1 and 2 its first turns.
    assert_eq!(top_turn(&a), Some(1));
    act(&mut a, Action::SwitchPane);
    assert_eq!(a.focus, Focus::Reader);
    act(&mut a, Action::LineDown);
    assert!(top_turn(&a).is_none());
}

#[test]
fn selecting_the_current_section_folds_it() {
    let mut a = app();
    act(&mut a, Action::NextSection);
    act(&mut a, Action::SwitchPane);
    let rows = a.outline.rows.len();
    act(&mut a, Action::Select);
    assert!(a.outline.rows.len() < rows);
    act(&mut a, Action::Select);
    assert_eq!(a.outline.rows.len(), rows);
}

#[test]
fn outline_hides_below_seventy_columns_and_opens_as_overlay() {
    let mut a = app_sized(60, 20);
    assert!(!a.outline_shown());
    act(&mut a, Action::ToggleOutline);
    assert!(a.outline_shown() && a.panes().overlay);
    assert_eq!(a.focus, Focus::Outline);
    act(&mut a, Action::Cancel);
    assert!(!a.outline_shown());
    assert_eq!(a.focus, Focus::Reader);
    let mut b = app();
    act(&mut b, Action::ToggleOutline);
    assert!(!b.outline_shown());
    assert_eq!(b.panes().reader.width, 100);
}

#[test]
fn help_opens_scrolls_and_closes() {
    let mut a = app_sized(80, 12);
    press(&mut a, &["?"]);
    assert_eq!(a.help_top(), Some(0));
    let pos = a.pos;
    press(&mut a, &["j"]);
    assert_eq!(a.help_top(), Some(1));
    assert_eq!(a.pos, pos);
    press(&mut a, &["G"]);
    assert_eq!(a.help_top(), Some(a.help_lines() - a.help_height()));
    press(&mut a, &["<Esc>"]);
    assert_eq!(a.help_top(), None);
    press(&mut a, &["?", "?"]);
    assert_eq!(a.help_top(), None);
}

#[test]
fn q_closes_help_and_the_reader_keeps_running() {
    let mut a = app();
    press(&mut a, &["<F1>"]);
    assert_eq!(a.help_top(), Some(0));
    assert_eq!(press(&mut a, &["q"]), vec![], "q in help is no quit");
    assert_eq!(a.help_top(), None, "q closes help");
    // From the reading screen q quits, and over any overlay Ctrl-C still does.
    press(&mut a, &["?"]);
    assert_eq!(press(&mut a, &["<C-c>"]), vec![Effect::Quit]);
    assert_eq!(press(&mut a, &["<Esc>", "q"]), vec![Effect::Quit]);
}

#[test]
fn quit_force_quit_and_suspend_are_effects() {
    let mut a = app();
    assert_eq!(act(&mut a, Action::Quit), vec![Effect::Quit]);
    assert_eq!(act(&mut a, Action::ForceQuit), vec![Effect::Quit]);
    assert_eq!(act(&mut a, Action::Suspend), vec![Effect::Suspend]);
    act(&mut a, Action::Help);
    assert_eq!(act(&mut a, Action::Quit), vec![Effect::Quit]);
    press(&mut a, &["<Esc>"]);
    search(&mut a, "x");
    assert!(a.search_editing());
    assert_eq!(act(&mut a, Action::ForceQuit), vec![Effect::Quit]);
}

#[test]
fn select_in_the_reader_does_nothing_and_clears_the_message() {
    // Bookmark actions are tested in bookmarks_update.rs.
    let mut a = app();
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::NextBookmark);
    assert!(a.message.is_some());
    let (pos, lines) = (a.pos, a.view.lines.clone());
    act(&mut a, Action::Select);
    assert_eq!(a.message, None);
    assert_eq!(a.pos, pos, "nothing moved");
    assert_eq!(a.view.lines, lines);
    assert!(a.marks.bookmarks.is_empty() && a.note().is_none() && a.list().is_none());
}

#[test]
fn resize_keeps_the_same_passage_on_top() {
    let mut a = app();
    act(&mut a, Action::SpeakerTurn(1));
    act(&mut a, Action::NextTurnSameSpeaker);
    for _ in 0..7 {
        act(&mut a, Action::LineDown);
    }
    let (vi, top) = a.view.lines[0].clone();
    let LineKind::Text { block, row, .. } = top.kind else { panic!("text on top") };
    for (w, h) in [(60, 20), (140, 50), (45, 10), (100, 30)] {
        update(&mut a, Msg::Resize { width: w, height: h });
        let (vi2, l) = &a.view.lines[0];
        let LineKind::Text { block: b2, row: r2, .. } = &l.kind else { panic!("text on top") };
        assert_eq!((*vi2, *b2), (vi, block));
        assert!(r2.start <= row.start && row.start < r2.end.max(r2.start + 1), "{w}x{h}");
    }
}

#[test]
fn passage_cursor_follows_scrolling() {
    let mut a = app();
    act(&mut a, Action::NextTurn);
    let first = a.view.passage;
    assert_eq!(first, Some((a.doc.turns[0].item(), 0)));
    for _ in 0..3 {
        act(&mut a, Action::LineDown);
    }
    assert_ne!(a.view.passage, first);
}

#[test]
fn mouse_wheel_scrolls_the_pane_under_the_pointer_and_click_jumps() {
    let mut a = app();
    let reader = a.panes().reader;
    let pos = a.pos;
    update(&mut a, Msg::Mouse(Mouse::WheelDown { col: reader.x + 5, row: 3 }));
    assert!(a.pos > pos);
    update(&mut a, Msg::Mouse(Mouse::WheelUp { col: reader.x + 5, row: 3 }));
    assert_eq!(a.pos, pos);
    let pos = a.pos;
    update(&mut a, Msg::Mouse(Mouse::WheelDown { col: 1, row: 3 }));
    assert_eq!(a.pos, pos);
    // Row 2 of the outline is the second turn.
    update(&mut a, Msg::Mouse(Mouse::Click { col: 4, row: 2 }));
    assert_eq!(top_turn(&a), Some(1));
}

#[test]
fn every_action_at_every_size_is_safe() {
    for (w, h) in [(0, 0), (1, 1), (20, 5), (40, 12), (100, 30)] {
        let mut a = app_sized(w, h);
        for &x in Action::ALL {
            act(&mut a, x);
            act(&mut a, x);
        }
        // And every key of every overlay, in each overlay and outside it.
        for opener in [Action::Help, Action::BookmarkList, Action::EditNote, Action::Search] {
            act(&mut a, opener);
            for &x in ListAction::ALL {
                update(&mut a, Msg::List(x));
            }
            act(&mut a, opener);
            for &x in HelpAction::ALL {
                update(&mut a, Msg::Help(x));
            }
            act(&mut a, opener);
            for &x in EditAction::ALL {
                update(&mut a, Msg::Input(Input::Key(x)));
                update(&mut a, Msg::Input(Input::Char('x')));
            }
        }
        assert!(a.view.lines.len() <= usize::from(h));
    }
}

#[test]
fn turns_index_matches_items() {
    let a = app();
    for (i, t) in a.doc.turns.iter().enumerate() {
        assert!(matches!(a.doc.items[t.item()], Item::Turn(x) if x as usize == i));
    }
}

/// A caption file without speakers, open at 100x30.
fn captions() -> App {
    let text = include_str!("../fixtures/subs/beekeeping.srt");
    let doc = parse::parse(text.to_string(), &ParseOptions::default());
    let opts = Options { file_name: "beekeeping.srt".into(), ..Options::default() };
    let mut app = App::new(doc, opts);
    update(&mut app, Msg::Resize { width: 100, height: 30 });
    app
}

/// The first words on the top row of the reading pane.
fn top_text(app: &App) -> String {
    screen_text(app).lines().next().unwrap_or("").to_string()
}

#[test]
fn next_and_previous_turn_move_between_the_parts_of_captions_without_speakers() {
    let mut a = captions();
    assert!(a.doc.turns.is_empty());
    // One outline entry a minute or so: 00:00:01, 00:01:30, 00:02:35.
    let parts: Vec<usize> = a
        .outline
        .entries
        .iter()
        .map(|e| match e.kind() {
            EntryKind::Part(item) => item,
            other => panic!("not a part: {other:?}"),
        })
        .collect();
    assert_eq!(parts, [0, 2, 3]);
    let screen = frame::render(&a);
    for row in ["00:00:01 Good morning", "00:01:30 If you spot", "00:02:35 Finally, close"] {
        assert!(screen.contains(row), "outline row {row:?} missing:\n{screen}");
    }
    act(&mut a, Action::NextTurn);
    assert!(top_text(&a).starts_with("Good morning"), "{}", top_text(&a));
    act(&mut a, Action::NextTurn);
    assert!(top_text(&a).starts_with("If you spot queen cups"), "{}", top_text(&a));
    assert_eq!(a.current_entry(), Some(1));
    assert_eq!(a.outline.sel, 1);
    let status = frame::render(&a).lines().last().unwrap_or("").to_string();
    assert!(status.contains("beekeeping.srt │ 00:01:30"), "status line: {status}");
    act(&mut a, Action::NextTurn);
    assert!(top_text(&a).starts_with("Finally, close"), "{}", top_text(&a));
    act(&mut a, Action::NextTurn);
    assert_eq!(message(&a), "no next part");
    assert!(top_text(&a).starts_with("Finally, close"));
    act(&mut a, Action::PrevTurn);
    assert!(top_text(&a).starts_with("If you spot queen cups"), "{}", top_text(&a));
    act(&mut a, Action::PrevTurn);
    act(&mut a, Action::PrevTurn);
    assert_eq!(message(&a), "no previous part");
    // Selecting an outline row jumps to its part.
    act(&mut a, Action::SwitchPane);
    act(&mut a, Action::Bottom);
    act(&mut a, Action::Select);
    assert!(top_text(&a).starts_with("Finally, close"), "{}", top_text(&a));
}

#[test]
fn a_document_with_turns_has_no_parts() {
    let a = app();
    assert!(a.outline.parts.is_empty());
    assert!(a.outline.entries.iter().all(|e| !matches!(e.kind(), EntryKind::Part(_))));
}

fn status(a: &App) -> String {
    frame::render(a).lines().last().unwrap_or_default().to_string()
}

#[test]
fn a_regex_search_finds_by_pattern_and_a_bad_one_says_why() {
    let mut a = app();
    search(&mut a, r"\vlant(e|o)rn");
    let s = a.search.as_ref().unwrap();
    assert_eq!((s.current, s.matches.len()), (Some(0), 3));
    press(&mut a, &["<Enter>"]);
    assert!(status(&a).contains(r"/\vlant(e|o)rn 1/3"), "{}", status(&a));
    // While typed, the prompt says what is wrong; Enter leaves it with that message.
    search(&mut a, r"\v(lan");
    assert!(status(&a).contains("invalid regex: unclosed group"));
    press(&mut a, &["<Enter>"]);
    assert!(a.search.is_none());
    assert_eq!(message(&a), "invalid regex: unclosed group");
}

#[test]
fn the_status_line_names_an_encoding_that_is_not_utf8() {
    let a = app();
    assert!(!status(&a).contains("UTF-8"), "{}", status(&a));
    let mut doc = parse::parse(fixture(), &ParseOptions::default());
    doc.encoding = Some("Big5");
    let opts = Options { file_name: "fixture.md".into(), ..Options::default() };
    let mut a = App::new(doc, opts);
    update(&mut a, Msg::Resize { width: 100, height: 30 });
    assert!(status(&a).contains("fixture.md │ Big5"), "{}", status(&a));
}

#[test]
fn a_starting_position_opens_at_the_nth_turn_or_the_first_match() {
    let open = |start| {
        let doc = parse::parse(fixture(), &ParseOptions::default());
        let mut app = App::new(doc, Options { start: Some(start), ..Options::default() });
        update(&mut app, Msg::Resize { width: 100, height: 30 });
        app
    };
    let a = open(Start::Turn(3));
    assert_eq!((top_turn(&a), top_speaker(&a).as_str()), (Some(2), "Ming"));
    let a = open(Start::Turn(99));
    assert_eq!(top_turn(&a), Some(a.doc.turns.len() - 1));
    assert!(message(&a).contains("only 7 turns"), "{}", message(&a));
    // The first match on top, and the search stays for `n`.
    let mut a = open(Start::Search("lantern".into()));
    assert!(screen_text(&a).starts_with("Thanks for having me"), "{}", screen_text(&a));
    act(&mut a, Action::NextMatch);
    assert_eq!(a.search.as_ref().and_then(|s| s.current), Some(1));
    let a = open(Start::Search("不在文中".into()));
    assert!(message(&a).contains("not found: 不在文中"));
    assert_eq!(a.pos, fangtan::app::Pos::TOP);
}

#[test]
fn an_empty_outline_takes_no_width() {
    // Paragraphs only: no section, no turn, nothing to list.
    let doc = parse::parse("一段话。\n\n又一段话。\n".to_string(), &ParseOptions::default());
    let mut a = App::new(doc, Options::default());
    update(&mut a, Msg::Resize { width: 100, height: 30 });
    assert!(a.outline.entries.is_empty());
    assert!(!a.outline_shown());
    assert_eq!(a.panes().reader.width, 100);
    // Asking for it says why there is none, and the reading pane keeps the width.
    for action in [Action::ToggleOutline, Action::SwitchPane] {
        act(&mut a, action);
        assert!(message(&a).contains("no outline"), "{}", message(&a));
        assert_eq!((a.focus, a.panes().reader.width), (Focus::Reader, 100));
    }
}

#[test]
fn speaker_focus_starts_at_the_speaker_under_the_cursor() {
    let mut a = app();
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::NextTurn);
    assert_eq!(top_speaker(&a), "老周");
    act(&mut a, Action::CycleSpeakerFocus);
    let focused = a.focus_speaker.map(|s| a.doc.speaker_name(s).to_string());
    assert_eq!(focused.as_deref(), Some("老周"), "{}", message(&a));
    assert!(message(&a).contains("focus on 老周"), "{}", message(&a));
}

#[test]
fn y_right_after_a_quote_jump_copies_the_quote_and_elsewhere_the_paragraph() {
    let mut a = app();
    act(&mut a, Action::NextQuote);
    let effects = act(&mut a, Action::CopyCitation);
    let [Effect::Copy(text)] = effects.as_slice() else { panic!("{effects:?}") };
    assert!(text.starts_with("> 山里的时间走得慢\n"), "{text}");
    assert!(text.contains("— 老周"), "{text}");
    assert!(message(&a).starts_with("copied the quote"), "{}", message(&a));
    // Moved since: the paragraph again.
    act(&mut a, Action::LineDown);
    let effects = act(&mut a, Action::CopyCitation);
    let [Effect::Copy(text)] = effects.as_slice() else { panic!("{effects:?}") };
    assert!(!text.starts_with("> 山里的时间走得慢\n"), "{text}");
    assert!(message(&a).starts_with("copied the passage"), "{}", message(&a));
}

/// Two speakers taking turns, short turns, so speaker focus folds every other one.
fn alternating() -> App {
    let mut text = String::from("# 轮流\n\n");
    for i in 0..30 {
        text.push_str(&format!("**甲：**第{i}段，甲说了一句比较短的话。\n\n"));
        text.push_str(&format!("**乙：**第{i}段，乙回答了一句。\n\n"));
    }
    let doc = parse::parse(text, &ParseOptions::default());
    let opts = Options { file_name: "alt.md".into(), ..Options::default() };
    let mut app = App::new(doc, opts);
    update(&mut app, Msg::Resize { width: 100, height: 12 });
    app
}

#[test]
fn under_speaker_focus_the_status_and_outline_name_the_passage_keys_act_on() {
    let mut a = alternating();
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::CycleSpeakerFocus);
    assert!(a.message.as_deref().unwrap_or("").contains("focus on 乙"), "{:?}", a.message);
    for step in 0..12 {
        // (A key also takes the message away.)
        act(&mut a, Action::LineDown);
        let screen = frame::render(&a);
        let (item, _) = a.view.passage.expect("a passage on screen");
        let Some(Item::Turn(t)) = a.doc.items.get(item) else { panic!("a turn") };
        assert_eq!(a.doc.speaker_name(a.doc.turns[*t as usize].speaker()), "乙", "step {step}");
        let status = screen.lines().last().unwrap_or("");
        let left = status.split("focus").next().unwrap_or("");
        assert!(left.contains("│ 乙") && !left.contains('甲'), "step {step}: {status}\n{screen}");
        // The outline's `›` is on a row that is shown, and that row is the passage's turn.
        let cursor = screen.lines().find(|l| l.starts_with('›'));
        let cursor = cursor.unwrap_or_else(|| panic!("step {step}: no › shown\n{screen}"));
        let want = format!("乙 第{}段", t / 2);
        assert!(cursor.contains(&want), "step {step}: {cursor} is not {want}\n{screen}");
    }
}

#[test]
fn speaker_focus_goes_round_every_speaker_from_the_one_under_the_cursor() {
    let mut a = app();
    // The second turn is 老周's (speakers: 主持人阿青, 老周, Ming).
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::NextTurn);
    let mut seen = Vec::new();
    for _ in 0..4 {
        act(&mut a, Action::CycleSpeakerFocus);
        seen.push(a.focus_speaker.map(|s| a.doc.speaker_name(s).to_string()));
    }
    let names: Vec<Option<&str>> = seen.iter().map(Option::as_deref).collect();
    assert_eq!(names, [Some("老周"), Some("Ming"), Some("主持人阿青"), None]);
}

/// The speakers `s` focuses, press by press, until focus clears.
fn focus_round(a: &mut App) -> Vec<usize> {
    let mut seen = Vec::new();
    for _ in 0..=a.doc.speakers.len() {
        act(a, Action::CycleSpeakerFocus);
        match a.focus_speaker {
            Some(s) => seen.push(s),
            None => return seen,
        }
    }
    panic!("the round never ends: {seen:?}")
}

#[test]
fn every_round_of_speaker_focus_goes_through_every_speaker() {
    let mut a = app();
    act(&mut a, Action::NextTurn);
    act(&mut a, Action::NextTurn);
    let n = a.doc.speakers.len();
    let here = a.current_turn().map(|t| a.doc.turns[t].speaker()).unwrap();
    let round: Vec<usize> = (0..n).map(|k| (here + k) % n).collect();
    assert!(n >= 3 && here > 0, "{n} {here}");
    // s, S, then s: a whole round again from the speaker under the cursor.
    act(&mut a, Action::CycleSpeakerFocus);
    act(&mut a, Action::ClearSpeakerFocus);
    assert_eq!(focus_round(&mut a), round);
    // Focus set another way mid-round: the round starts at its speaker and misses none.
    act(&mut a, Action::CycleSpeakerFocus);
    let other = (here + 1) % n;
    a.focus_speaker = Some(other);
    let rest: Vec<usize> = (1..n).map(|k| (other + k) % n).collect();
    assert_eq!(focus_round(&mut a), rest);
}

#[test]
fn a_link_target_adds_no_reading_time() {
    let minutes = |md: &str| {
        let a =
            App::new(parse::parse(md.to_string(), &ParseOptions::default()), Options::default());
        a.stats.total()
    };
    let plain = minutes("**Ann:** I read this piece today.\n");
    let linked = minutes(
        "**Ann:** I read [this piece](https://example.com/a/long/path\
         /of/many/words/no/one/reads/aloud) today.\n",
    );
    assert!(plain > 0.0 && (linked - plain).abs() < 1e-9, "{linked} {plain}");
}

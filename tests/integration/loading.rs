#![allow(clippy::unwrap_used)]
//! A big document opens on its first part while the whole loads: what the user sees
//! before and after the whole arrives, and a search that counts in slices. Pure `update`,
//! no terminal, no thread: the messages the loader thread would send are sent by hand.

use fangtan::app::{App, Index, Indexed, LineKind, Mouse, Msg, Options, update};
use fangtan::keymap::Action;
use fangtan::parse::{self, ParseOptions};

use crate::support::doc as support;
use crate::support::keys;

/// `n` numbered sessions, each a heading and three turns; the word 灯塔 once per session.
fn archive(n: usize) -> String {
    let mut s = String::from("# 夜谈合集\n\n");
    for i in 1..=n {
        s.push_str(&format!(
            "## 第{i}期\n\n**主持人阿青：**第{i}期开始，欢迎。\n\n\
             **老周：**我想说说灯塔，第{i}期的灯塔。\n\n\
             **Ming:** Session {i} ends here, thanks.\n\n"
        ));
    }
    s
}

fn opts() -> Options {
    Options { file_name: "archive.md".into(), ..Options::default() }
}

/// The reader on the first `cut` bytes of `text` (cut after a blank line), loading.
fn loading_app(text: &str, cut: usize) -> App {
    let cut = text[..cut].rfind("\n\n").unwrap() + 2;
    let first = parse::parse(text[..cut].to_string(), &ParseOptions::default());
    let mut app = App::new(first, opts());
    app.start_loading(text.len() as u64);
    update(&mut app, Msg::Resize { width: 100, height: 30 });
    app
}

fn arrive(app: &mut App, text: &str) {
    let doc = parse::parse(text.to_string(), &ParseOptions::default());
    let index = Index::build(doc, &opts());
    update(
        app,
        Msg::Indexed(Box::new(Indexed {
            index,
            stored: None,
            warnings: Vec::new(),
            took: Default::default(),
        })),
    );
}

/// The status line of a drawn frame.
fn render_status(app: &App) -> String {
    let area = ratatui::layout::Rect::new(0, 0, app.width, app.height);
    let mut buf = ratatui::buffer::Buffer::empty(area);
    fangtan::ui::draw_buffer(&mut buf, app, &fangtan::ui::Theme::of(app));
    (0..app.width).map(|x| buf[(x, app.height - 1)].symbol().to_string()).collect()
}

fn act(app: &mut App, a: Action) {
    update(app, Msg::Action(a));
}

fn screen(app: &App) -> String {
    let mut s = String::new();
    for (vi, l) in &app.view.lines {
        match &l.kind {
            LineKind::Text { block, row, .. } => {
                let item = vi - 1;
                s.push_str(&app.doc.item_blocks(item).get(*block).unwrap().text[row.clone()]);
                s.push('\n');
            }
            LineKind::Heading { section, .. } => {
                s.push_str(&app.doc.sections[*section].title);
                s.push('\n');
            }
            _ => {}
        }
    }
    s
}

#[test]
fn g_while_loading_waits_and_says_so_then_lands_on_the_end() {
    let text = archive(200);
    let mut app = loading_app(&text, 2000);
    act(&mut app, Action::Bottom);
    let msg = app.message.clone().unwrap_or_default();
    assert!(msg.contains("not indexed yet"), "{msg}");
    assert!(screen(&app).contains("第1期"), "still at the top:\n{}", screen(&app));
    arrive(&mut app, &text);
    assert!(app.loading.is_none());
    assert!(app.view.at_end, "{}", screen(&app));
    assert!(screen(&app).contains("Session 200 ends here"), "{}", screen(&app));
}

#[test]
fn jumps_inside_the_loaded_part_work_at_once_and_past_it_wait() {
    let text = archive(200);
    let mut app = loading_app(&text, 2000);
    let loaded_turns = app.doc.turns.len();
    act(&mut app, Action::NextTurn);
    assert_eq!(app.current_turn(), Some(0));
    for _ in 0..loaded_turns + 3 {
        act(&mut app, Action::NextTurn);
    }
    // Past the first part: the last key waits for the whole document.
    assert!(app.loading.as_ref().unwrap().pending.is_some());
    arrive(&mut app, &text);
    assert_eq!(app.current_turn(), Some(loaded_turns));
    assert_eq!(app.doc.turns.len(), 600);
    assert_eq!(app.outline.entries.len(), 200 + 600, "every section and turn in the outline");
}

#[test]
fn the_reading_position_stays_when_the_whole_arrives() {
    let text = archive(200);
    let mut app = loading_app(&text, 3000);
    act(&mut app, Action::NextSection);
    act(&mut app, Action::NextSection);
    let before = screen(&app);
    arrive(&mut app, &text);
    assert_eq!(screen(&app), before);
}

/// The whole document arrives with a store whose saved position is `at`'s paragraph.
fn arrive_with_saved_position(app: &mut App, text: &str, at: &str) {
    let doc = parse::parse(text.to_string(), &ParseOptions::default());
    let item = (0..doc.items.len())
        .find(|&i| doc.item_blocks(i).iter().any(|b| b.text.contains(at)))
        .unwrap();
    let anchor = fangtan::store::Anchor::at(&doc, item, 0);
    let id = fangtan::store::DocId::new(std::path::Path::new("/x/archive.md"), &doc.text);
    let mut marks = fangtan::store::Marks::new(id);
    marks.set_position(&doc, anchor, 1);
    let stored = fangtan::store::Loaded {
        marks,
        position: Some(anchor),
        edited: false,
        warnings: Vec::new(),
    };
    let index = Index::build(doc, &opts());
    update(
        app,
        Msg::Indexed(Box::new(Indexed {
            index,
            stored: Some(stored),
            warnings: Vec::new(),
            took: Default::default(),
        })),
    );
}

#[test]
fn the_saved_position_is_restored_only_for_a_reader_who_did_not_move_while_loading() {
    let text = archive(200);
    let resuming = Options { resume: true, ..opts() };
    // Untouched: the saved place, deep in the document.
    let mut app = loading_app(&text, 3000);
    app.opts = resuming.clone();
    arrive_with_saved_position(&mut app, &text, "第150期的灯塔");
    assert!(screen(&app).contains("第150期的灯塔"), "{}", screen(&app));
    // Scrolled with the mouse wheel meanwhile: the reader stays where they scrolled to.
    let mut app = loading_app(&text, 3000);
    app.opts = resuming;
    update(&mut app, Msg::Mouse(Mouse::WheelDown { col: 60, row: 10 }));
    let before = screen(&app);
    arrive_with_saved_position(&mut app, &text, "第150期的灯塔");
    assert_eq!(screen(&app), before);
}

#[test]
fn opening_the_talk_shares_or_the_quote_index_while_loading_still_resumes_and_then_opens() {
    let text = archive(200);
    let resuming = Options { resume: true, ..opts() };
    for a in [Action::TalkShare, Action::QuoteIndex] {
        // The saved position is restored: asking for an overlay is no move.
        let mut app = loading_app(&text, 3000);
        app.opts = resuming.clone();
        act(&mut app, a);
        arrive_with_saved_position(&mut app, &text, "第150期的灯塔");
        assert!(screen(&app).contains("第150期的灯塔"), "{a:?}: {}", screen(&app));
        let opened = match a {
            Action::TalkShare => app.talk_panel().is_some(),
            _ => app.quote_index().is_some(),
        };
        assert!(opened, "{a:?} opens once the whole is read");
        if let Some(p) = app.talk_panel() {
            let turns: usize = p.talk.speakers.iter().map(|s| s.turns).sum();
            assert_eq!(turns, 600, "the shares are the whole document's");
        }
        // `+/PATTERN` past the first part still goes to its match.
        let start = Some(fangtan::app::Start::Search("第150期的灯塔".into()));
        let mut app = loading_app(&text, 3000);
        app.opts = Options { start, ..opts() };
        act(&mut app, a);
        arrive(&mut app, &text);
        assert!(screen(&app).contains("第150期的灯塔"), "{a:?}: {}", screen(&app));
        assert!(app.overlay.is_some(), "{a:?} opens once the whole is read");
    }
}

#[test]
fn a_waiting_command_is_dropped_when_the_reader_moves_on_meanwhile() {
    let text = archive(200);
    // `G` waits; moving to the next section meanwhile means the reader changed their mind.
    let mut app = loading_app(&text, 3000);
    act(&mut app, Action::Bottom);
    act(&mut app, Action::NextSection);
    let before = screen(&app);
    arrive(&mut app, &text);
    assert_eq!(screen(&app), before, "not taken to the end");
    assert!(app.message.clone().unwrap().contains("moved"), "{:?}", app.message);
    // A bookmark asked for on one passage is not put on the passage read later.
    let mut app = loading_app(&text, 3000);
    act(&mut app, Action::ToggleBookmark);
    for _ in 0..5 {
        act(&mut app, Action::LineDown);
    }
    arrive(&mut app, &text);
    assert!(app.marks.bookmarks.is_empty(), "{:?}", app.marks.bookmarks);
    assert!(app.message.clone().unwrap().contains("moved"), "{:?}", app.message);
    // Not moved: the waiting command is carried out.
    let mut app = loading_app(&text, 3000);
    act(&mut app, Action::Bottom);
    arrive(&mut app, &text);
    assert!(app.view.at_end);
}

#[test]
fn a_speaker_key_that_waits_goes_to_that_speaker_not_the_current_one() {
    // The first part ends after 老周's turn in session 5; Ming (speaker 3) speaks next,
    // in the part not read yet. `3` on 老周's turn waits, then lands on Ming.
    let text = archive(200);
    let mut app = loading_app(&text, text.find("**Ming:** Session 5 ").unwrap());
    for _ in 0..40 {
        act(&mut app, Action::NextTurn);
    }
    let t = app.current_turn().unwrap();
    assert_eq!(app.doc.speaker_name(app.doc.turns[t].speaker()), "老周");
    act(&mut app, Action::SpeakerTurn(3));
    assert!(app.message.clone().unwrap().contains("not indexed yet"), "{:?}", app.message);
    arrive(&mut app, &text);
    assert!(screen(&app).starts_with("Session 5 ends here"), "{}", screen(&app));
}

#[test]
fn the_status_line_says_indexing_until_the_whole_arrives() {
    let text = archive(200);
    let mut app = loading_app(&text, 2000);
    let parsing = fangtan::load::Progress { stage: "parsing", done: Some(3000) };
    update(&mut app, Msg::Progress(parsing));
    let loading = app.loading.as_ref().unwrap();
    assert_eq!((loading.stage, loading.done), ("parsing", 3000));
    let frame = render_status(&app);
    let size = fangtan::app::size_text(text.len() as u64);
    assert!(frame.contains(&format!("indexing {size}: parsing")), "{frame}");
    arrive(&mut app, &text);
    assert!(app.loading.is_none());
    let frame = render_status(&app);
    assert!(!frame.contains("indexing") && frame.contains("indexed in"), "{frame}");
    // Standard input: no size known, the bytes read are counted instead.
    let mut app = loading_app(&text, 2000);
    app.start_loading(0);
    update(&mut app, Msg::Progress(fangtan::load::Progress { stage: "parsing", done: Some(3000) }));
    let frame = render_status(&app);
    assert!(frame.contains("indexing: parsing 3 KB"), "{frame}");
}

#[test]
fn reading_times_are_counted_in_slices_after_the_index_arrives() {
    let text = archive(400);
    let mut app = loading_app(&text, 2000);
    let doc = parse::parse(text.clone(), &ParseOptions::default());
    let full = Index::build(doc.clone(), &opts()).stats.total();
    let index = Index::build_lookups(doc, &opts());
    update(
        &mut app,
        Msg::Indexed(Box::new(Indexed {
            index,
            stored: None,
            warnings: Vec::new(),
            took: Default::default(),
        })),
    );
    app.search_slice = 4000;
    assert!(app.busy(), "counting reading times");
    let mut ticks = 0;
    while app.busy() {
        update(&mut app, Msg::Tick);
        ticks += 1;
        assert!(ticks < 100_000, "the counting ends");
    }
    assert!(ticks > 3, "{ticks}");
    assert!((app.stats.total() - full).abs() < 1e-9);
}

#[test]
fn bookmark_commands_wait_for_the_whole_document() {
    let text = archive(50);
    let mut app = loading_app(&text, 2000);
    act(&mut app, Action::BookmarkList);
    assert!(app.list().is_none());
    assert!(app.message.clone().unwrap().contains("once the document is read"));
    arrive(&mut app, &text);
    assert!(app.list().is_some(), "the list opens once loaded");
}

/// Type a query into the search prompt.
fn search(app: &mut App, q: &str) {
    act(app, Action::Search);
    keys::typed(app, q);
}

#[test]
fn a_search_shows_the_first_match_at_once_and_counts_in_slices() {
    let text = archive(300);
    let doc = parse::parse(text, &ParseOptions::default());
    let mut app = App::new(doc, opts());
    app.search_slice = 2000;
    update(&mut app, Msg::Resize { width: 100, height: 30 });
    for _ in 0..40 {
        act(&mut app, Action::NextSection);
    }
    search(&mut app, "灯塔");
    keys::press(&mut app, &["<Enter>"]);
    let s = app.search.as_ref().unwrap();
    assert!(s.counting(), "the count is not done after one slice");
    assert!(screen(&app).contains("第40期的灯塔"), "{}", screen(&app));
    // Keys still work while it counts: the second match of session 40.
    act(&mut app, Action::NextMatch);
    assert!(app.search.as_ref().unwrap().counting());
    let mut ticks = 0;
    while app.search.as_ref().unwrap().counting() {
        update(&mut app, Msg::Tick);
        ticks += 1;
        assert!(ticks < 10_000);
    }
    assert!(ticks > 10, "counted in many slices, not at once ({ticks})");
    let s = app.search.as_ref().unwrap();
    // Two matches per session, in document order once counted; the current one is still
    // the second match of session 40 (39 sessions of two before it).
    assert_eq!(s.matches.len(), 600);
    assert_eq!(s.current, Some(39 * 2 + 1));
    assert!(
        s.matches.windows(2).all(|w| (w[0].item, w[0].range.start) < (w[1].item, w[1].range.start))
    );
}

/// One paragraph of about 600 KB without a line break.
#[test]
fn while_a_count_that_wrapped_goes_on_every_match_is_found_in_its_block() {
    // The screen highlights a block's matches by looking them up; while the count runs
    // from the reading position to the end and then from the top, they are in two runs.
    let text = archive(300);
    let doc = parse::parse(text, &ParseOptions::default());
    let mut app = App::new(doc, opts());
    app.search_slice = 2000;
    update(&mut app, Msg::Resize { width: 100, height: 30 });
    for _ in 0..150 {
        act(&mut app, Action::NextSection);
    }
    search(&mut app, "灯塔");
    keys::press(&mut app, &["<Enter>"]);
    let (mut ticks, mut seen_wrapped) = (0, false);
    while app.search.as_ref().unwrap().counting() {
        update(&mut app, Msg::Tick);
        ticks += 1;
        assert!(ticks < 10_000, "the count ends");
        let s = app.search.as_ref().unwrap();
        seen_wrapped |= s.scan.as_ref().is_some_and(|scan| scan.wrap_at.is_some());
        for (i, m) in s.matches.iter().enumerate() {
            assert!(
                s.block_matches(m.item, m.block).contains(&i),
                "match {i} of {}",
                s.matches.len()
            );
        }
    }
    assert!(seen_wrapped, "the count was seen after it wrapped");
    assert_eq!(app.search.as_ref().unwrap().matches.len(), 600);
}

fn huge_paragraph() -> String {
    let mut s = String::from("# 一段长话\n\n");
    for i in 0..6000 {
        s.push_str(&format!("第{i}句话说到这里，and then some English words follow。"));
    }
    s.push_str("最后一句。\n");
    s
}

#[test]
fn a_huge_paragraph_is_laid_out_only_where_it_is_read_and_loses_nothing() {
    let doc = parse::parse(huge_paragraph(), &ParseOptions::default());
    let mut app = App::new(doc, opts());
    update(&mut app, Msg::Resize { width: 100, height: 30 });
    assert!(app.laid_out_pieces() <= 3, "{}", app.laid_out_pieces());
    act(&mut app, Action::Bottom);
    // (The rows' breaks depend on the width: the outline, empty here, takes none.)
    assert!(screen(&app).replace('\n', "").contains("最后一句。"), "{}", screen(&app));
    assert!(app.laid_out_pieces() <= 6, "G lays out the end only: {}", app.laid_out_pieces());
    // Page through all of it: every character shows, in order.
    act(&mut app, Action::Top);
    let mut seen = String::new();
    let mut last_top = None;
    for page in 0.. {
        assert!(page < 100_000, "paging reaches the end");
        for (vi, l) in &app.view.lines {
            if let LineKind::Text { block, row, .. } = &l.kind {
                let key = (*vi, *block, row.start);
                if last_top.is_none_or(|t| key > t) {
                    seen.push_str(
                        &app.doc.item_blocks(vi - 1).get(*block).unwrap().text[row.clone()],
                    );
                    last_top = Some(key);
                }
            }
        }
        if app.view.at_end {
            break;
        }
        act(&mut app, Action::PageDown);
    }
    let text = app.doc.item_blocks(0).get(0).unwrap().text;
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert_eq!(squeeze(&seen), squeeze(text));
}

/// Everything the parts must agree on: headings, code with `#` lines, an HTML comment, a
/// list after a bold subheading, images, quotes, GB-free UTF-8 with control characters.
fn tricky_archive() -> String {
    let mut s = String::from("# 合集\n\n作者：测试\n日期：2026-11-29\n\n");
    for i in 1..=60 {
        s.push_str(&format!(
            "## 第{i}期\n\n**主持人阿青：**欢迎，第{i}期。\n\n\
             **老周：**先看代码：\n\n```\n# 这不是标题 {i}\n\n# 也不是\n```\n\n\
             <!--\n\n# 注释里的标题\n\n-->\n\n\
             **要点：**\n\n- 第一点\n- 第二点\n\n\
             ![图](https://example.com/{i}.png)\n\n\
             **Ming:** **Quote {i}.** And the rest\nwraps here\u{7}.\n\n"
        ));
    }
    s
}

#[test]
fn reading_in_parts_gives_the_same_tree_as_reading_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive.md");
    std::fs::write(&path, tricky_archive()).unwrap();
    let opts = ParseOptions::default();
    let whole = fangtan::source::read(&path, None).unwrap();
    let mut expected = parse::parse(whole.text, &opts);
    expected.had_control_chars = whole.had_control_chars;
    let expected_json = fangtan::dump::json(&expected);
    for part in [200, 1000, 5000, 1 << 20] {
        let mut stages = Vec::new();
        let doc = fangtan::load::whole_in_parts(&path, None, &opts, part, &mut |p| {
            if stages.last() != Some(&p.stage) {
                stages.push(p.stage);
            }
        })
        .unwrap();
        let json = fangtan::dump::json(&doc);
        let first_diff = json.lines().zip(expected_json.lines()).find(|(a, b)| a != b);
        assert!(json == expected_json, "parts of {part} bytes: {first_diff:?}");
        assert_same_tree(&doc, &expected, &format!("parts of {part} bytes"));
        assert_eq!(doc.text_hash(), expected.text_hash());
        assert!(doc.had_control_chars);
        assert_eq!(stages, ["reading", "parsing"]);
    }
}

#[test]
fn a_binary_tail_is_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.md");
    let mut bytes = tricky_archive().into_bytes();
    bytes.extend_from_slice(b"\n\n## tail\n\n\0\0\0binary");
    std::fs::write(&path, bytes).unwrap();
    let err =
        fangtan::load::whole_in_parts(&path, None, &ParseOptions::default(), 1000, &mut |_| {})
            .unwrap_err();
    assert!(err.to_string().ends_with("not a text file"), "{err}");
}

/// Headings of three levels, a speaker who first speaks late, quotes on both sides of any
/// cut: parts must build the tree of one pass.
fn nested_archive() -> String {
    let mut s = String::from("# 年度合集\n\n");
    for i in 1..=12 {
        s.push_str(&format!("# 第{i}卷\n\n**主持人：**第{i}卷的开场。\n\n"));
        for j in 1..=3 {
            s.push_str(&format!(
                "## 第{i}卷第{j}章\n\n**甲：****要点{i}-{j}。**然后展开。\n\n\
                 ### 小节{i}-{j}\n\n**乙：**回应{i}-{j}。\n\n"
            ));
            if i > 8 {
                s.push_str(&format!("**后来者：**我在第{i}卷才出现。\n\n"));
            }
        }
    }
    s
}

#[test]
fn parts_keep_sections_nested_across_their_cuts_and_late_speakers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested.md");
    std::fs::write(&path, nested_archive()).unwrap();
    let opts = ParseOptions::default();
    let expected = parse::parse(nested_archive(), &opts);
    let expected_json = fangtan::dump::json(&expected);
    for part in [100, 700, 3000] {
        let doc = fangtan::load::whole_in_parts(&path, None, &opts, part, &mut |_| {}).unwrap();
        let json = fangtan::dump::json(&doc);
        let first_diff = json.lines().zip(expected_json.lines()).find(|(a, b)| a != b);
        assert!(json == expected_json, "parts of {part} bytes differ: {first_diff:?}");
        let parents: Vec<_> = doc.sections.iter().map(|s| s.parent).collect();
        assert_eq!(parents, expected.sections.iter().map(|s| s.parent).collect::<Vec<_>>());
        let speakers: Vec<_> = (0..doc.speakers.len()).map(|i| doc.turns_of(i).to_vec()).collect();
        let expected_speakers: Vec<_> =
            (0..expected.speakers.len()).map(|i| expected.turns_of(i).to_vec()).collect();
        assert_eq!(speakers, expected_speakers);
        for (t, turn) in doc.turns.iter().enumerate() {
            assert!(
                matches!(doc.items[turn.item()], fangtan::doc::Item::Turn(x) if x as usize == t)
            );
        }
    }
}

#[test]
fn a_huge_paragraph_has_its_reading_time_counted_in_many_slices() {
    let doc = parse::parse(huge_paragraph(), &ParseOptions::default());
    let full = Index::build(doc.clone(), &opts()).stats.total();
    let mut app = App::from_index(Index::build_lookups(doc, &opts()), opts());
    app.search_slice = 40_000;
    let mut ticks = 0;
    while app.busy() {
        update(&mut app, Msg::Tick);
        ticks += 1;
        assert!(ticks < 100_000, "the counting ends");
    }
    assert!(ticks > 20, "one paragraph, many slices: {ticks}");
    assert!((app.stats.total() - full).abs() < 1e-6 * full, "{} vs {full}", app.stats.total());
}

/// Reading in parts against reading whole, for a text written to a file.
/// Items, blocks (kinds, markers, targets, runs) and source ranges all equal.
fn assert_same_tree(doc: &fangtan::doc::Document, expected: &fangtan::doc::Document, what: &str) {
    let (got, want) = (support::tree(doc), support::tree(expected));
    let first_diff = got.iter().zip(&want).find(|(a, b)| a != b);
    assert_eq!(got.len(), want.len(), "{what}: {first_diff:?}");
    assert!(first_diff.is_none(), "{what}: {first_diff:?}");
}

fn assert_parts_match_whole(name: &str, text: &str, parts: &[usize]) {
    assert_bytes_in_parts_match_whole(name, text.as_bytes(), parts);
}

fn assert_bytes_in_parts_match_whole(name: &str, bytes: &[u8], parts: &[usize]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let opts = ParseOptions::default();
    let whole = fangtan::source::read(&path, None).unwrap();
    let mut expected = parse::parse(whole.text, &opts);
    expected.had_control_chars = whole.had_control_chars;
    let expected_json = fangtan::dump::json(&expected);
    for &part in parts {
        let doc = fangtan::load::whole_in_parts(&path, None, &opts, part, &mut |_| {}).unwrap();
        let json = fangtan::dump::json(&doc);
        let first_diff = json.lines().zip(expected_json.lines()).find(|(a, b)| a != b);
        assert!(json == expected_json, "{name}, parts of {part} bytes: {first_diff:?}");
        assert_same_tree(&doc, &expected, &format!("{name}, parts of {part} bytes"));
        assert_eq!(doc.text_hash(), expected.text_hash(), "{name}");
        assert!(doc.turns.len() > 10, "{name}: {} turns", doc.turns.len());
    }
}

#[test]
fn a_plain_speaker_established_in_an_early_part_is_one_in_a_later_part_too() {
    // `Name:` needs two uses. Rui speaks twice near the start, then once in each later
    // part: read in parts, each of those must still be a turn of Rui's.
    let mut plain = String::from("Rui: 开场先说两句。\n\nRui: 再说一句。\n\n");
    for i in 0..400 {
        plain.push_str(&format!("阿青: 第{i}个问题。\n\nMing: answer {i}.\n\n"));
        if i % 100 == 99 {
            plain.push_str(&format!("Rui: 第{i}段的插话。\n\n"));
        }
    }
    assert_parts_match_whole("rui.txt", &plain, &[2000, 9000]);
    // Markdown parts begin at headings.
    let md =
        plain.replace("阿青:", "**阿青：**").replace("\n\nRui: 第", "\n\n## 又一节\n\nRui: 第");
    assert_parts_match_whole("rui.md", &format!("# 访谈\n\n{md}"), &[2000]);
}

/// A pipe that hands over a few bytes per read.
struct Trickle<'a>(&'a [u8]);

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.0.len()).min(7);
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

#[test]
fn standard_input_read_in_parts_from_short_reads_matches_reading_whole() {
    let text = nested_archive();
    let expected = fangtan::dump::json(&parse::parse(text.clone(), &ParseOptions::default()));
    // What the reader does with a big pipe: its first bytes were read already.
    let (head, rest) = text.as_bytes().split_at(1000);
    let mut input = std::io::Read::chain(head, Trickle(rest));
    let name = std::path::Path::new("<stdin>");
    let opts = ParseOptions::default();
    let doc = fangtan::load::whole_from(&mut input, name, None, &opts, 700, &mut |_| {}).unwrap();
    assert_eq!(fangtan::dump::json(&doc), expected);
}

#[test]
fn plain_text_crlf_markdown_and_subtitles_read_in_parts_match_reading_whole() {
    // Plain text: parts end after blank lines; a turn goes on across a part's end.
    let mut plain = String::new();
    for i in 0..300 {
        plain.push_str(&format!("阿青: 第{i}个问题，\n分两行写。\n\n第二段还是阿青。\n\n"));
        plain.push_str(&format!("Ming: answer {i}, in\ntwo lines.\n\n"));
    }
    assert_parts_match_whole("talk.txt", &plain, &[3000, 20_000]);
    // A part may hold nothing but blank lines: its bytes still count for what follows.
    // A part may hold nothing but blank lines (here the first: the file opens with 500 of
    // them, and the first place to cut is the heading after them): its bytes still count
    // for the source ranges and the hash of what follows.
    let mut padded = "\n".repeat(500);
    for i in 0..30 {
        let q = "问题".repeat(30);
        padded.push_str(&format!("## 第{i}节\n\n**阿青：** {q}\n\n**Ming:** answer {i}.\n\n"));
    }
    assert_parts_match_whole("padded.md", &padded, &[100]);
    // GBK after a first part of plain ASCII: found GBK, as reading whole finds it.
    let mut gbk = b"# Archive\n\n".to_vec();
    for i in 0..40 {
        gbk.extend_from_slice(format!("## Part {i}\n\n**Ann:** plain words.\n\n").as_bytes());
    }
    for i in 0..40 {
        let section = format!("## 第{i}节\n\n**阿青：** 第{i}个问题。\n\n**Ming:** 好的。\n\n");
        gbk.extend_from_slice(&encoding_rs::GB18030.encode(&section).0);
    }
    assert_bytes_in_parts_match_whole("gbk.md", &gbk, &[300]);
    // Blank lines alone are still no text.
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank.md");
    std::fs::write(&blank, " \n\n\t\n".repeat(1000)).unwrap();
    let read =
        fangtan::load::whole_in_parts(&blank, None, &ParseOptions::default(), 100, &mut |_| {});
    assert!(matches!(read, Err(fangtan::source::SourceError::NoText { .. })), "{read:?}");
    // A `<!--` in a sentence opens no comment; one at a line start hides headings.
    let mut md = String::from("# 档案\n\n用 <!-- 开头的话不是注释。\n\n");
    for i in 0..60 {
        md.push_str(&format!(
            "## 第{i}期\n\n**阿青：** 第{i}个问题。\n\n**Ming:** answer {i}.\n\n"
        ));
        if i % 20 == 7 {
            md.push_str("<!-- 编辑备注\n\n## 这不是标题\n-->\n\n");
        }
    }
    assert_parts_match_whole("comments.md", &md, &[300, 2000]);
    // Markdown with CRLF line ends still parts at headings.
    let crlf = nested_archive().replace('\n', "\r\n");
    assert_parts_match_whole("crlf.md", &crlf, &[500, 4000]);
    // Subtitles are read whole (a cue may continue the one before).
    let mut vtt = String::from("WEBVTT\n\n");
    for i in 0..200 {
        let (m, s) = (i / 60, i % 60);
        vtt.push_str(&format!(
            "00:{m:02}:{s:02}.000 --> 00:{m:02}:{s:02}.900\n<v {}>第{i}句字幕。\n\n",
            if i % 3 == 0 { "主持人" } else { "嘉宾" }
        ));
    }
    assert_parts_match_whole("talk.vtt", &vtt, &[300]);
}

#[test]
fn front_matter_html_and_references_read_in_parts_match_reading_whole() {
    let front =
        "---\ntitle: \"Harbour Archive\"\ndate: 2024-03-18\nguests:\n  - Mara\n  - Teo\n---\n\n";
    let mut md = String::from(front);
    let mut plain = String::from(front);
    for i in 0..60 {
        md.push_str(&format!(
            "## Part {i}\n\n<details><summary>Notes &amp; links {i}</summary>\n\n\
             **Mara:** Crane {i}<br>went &quot;quiet&quot;.\n\n**Teo:** <span>Yes</span> {i}.\n\n</details>\n\n"
        ));
        plain.push_str(&format!("Mara: Crane {i}<br>went &quot;quiet&quot;.\n\nTeo: Yes {i}.\n\n"));
    }
    assert_parts_match_whole("export.md", &md, &[200, 1000, 1 << 20]);
    // (Plain parts not much smaller than 1000 bytes: a name used once in a part is a speaker
    // only once used twice, a limit of the two-uses rule read in parts.)
    assert_parts_match_whole("export.txt", &plain, &[1000, 1 << 20]);
}

/// A WhisperX-shaped transcript of `n` segments, Chinese and English, with word times.
fn json_transcript(n: usize) -> String {
    let mut segs = Vec::new();
    for i in 0..n {
        let (who, text) = match i % 3 {
            0 => ("SPEAKER_00", format!("第{i}段：我们谈到了 compiler 的细节。")),
            1 => ("SPEAKER_01", format!("Segment {i} says the borrow checker was right.")),
            _ => ("SPEAKER_01", "还有一句补充。".to_string()),
        };
        let start = i as f64 * 3.0;
        let words: Vec<serde_json::Value> = text
            .split(' ')
            .enumerate()
            .map(|(k, w)| serde_json::json!({"word": w, "start": start + k as f64 * 0.25, "end": start + k as f64 * 0.25 + 0.2}))
            .collect();
        segs.push(serde_json::json!({"start": start, "end": start + 2.5, "text": format!(" {text}"), "speaker": who, "words": words}));
    }
    serde_json::to_string_pretty(&serde_json::json!({"segments": segs, "language": "zh"})).unwrap()
}

#[test]
fn json_read_in_parts_streams_to_the_same_tree_and_times() {
    assert_parts_match_whole("talk.json", &json_transcript(300), &[100, 777, 5000]);
}

#[test]
fn the_first_part_of_a_big_json_shows_its_first_turns() {
    let text = json_transcript(3000);
    assert!(text.len() as u64 > fangtan::load::BIG);
    let bytes = text.as_bytes()[..fangtan::load::FIRST_PART].to_vec();
    let opts = ParseOptions::default();
    let first = fangtan::load::first_part_of(bytes, std::path::Path::new("talk.json"), None, &opts)
        .unwrap()
        .unwrap();
    assert!(first.turns.len() > 20, "{}", first.turns.len());
    let whole = parse::parse(text, &opts);
    let n = first.turns.len() - 1;
    assert_eq!(support::tree(&first)[..n], support::tree(&whole)[..n]);
}

#[test]
fn a_big_json_whose_first_part_holds_no_segment_yet_is_read_whole_not_refused() {
    let mut text = String::from("{\"metadata\": {\"notes\": [");
    for i in 0..6000 {
        text.push_str(&format!("\"note {i} about the recording session\","));
    }
    text.push_str("\"end\"]}, ");
    text.push_str(&json_transcript(200)[1..]);
    let opts = ParseOptions::default();
    let bytes = text.as_bytes()[..fangtan::load::FIRST_PART].to_vec();
    let first = fangtan::load::first_part_of(bytes, std::path::Path::new("talk.json"), None, &opts);
    assert!(matches!(first, Ok(None)), "{first:?}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("talk.json");
    std::fs::write(&path, &text).unwrap();
    let doc = fangtan::load::whole_in_parts(&path, None, &opts, 5000, &mut |_| {}).unwrap();
    assert_eq!(doc.turns.len(), parse::parse(text, &opts).turns.len());
}

#[test]
fn json_in_shift_jis_read_in_parts_keeps_every_character() {
    let mut segs = Vec::new();
    for i in 0..300 {
        let text = format!("第{i}話：ソフトウェアの表示、構造、予定を話した。");
        let who = ["A", "B"][i % 2];
        segs.push(
            serde_json::json!({"speaker": who, "start": i * 3, "end": i * 3 + 2, "text": text}),
        );
    }
    let text = serde_json::to_string_pretty(&serde_json::json!({"utterances": segs})).unwrap();
    let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!bad);
    assert_bytes_in_parts_match_whole("talk.json", &sjis, &[100, 333, 4000]);
}

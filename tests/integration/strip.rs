#![allow(clippy::unwrap_used)]
//! The timeline strip: frames with it on (the bundled sample, an eight-speaker panel),
//! its cells covering the document in order, the position marker where the reading pane
//! is, weighing by spoken time, speaker focus, `t`, `%` and a click, and in a real terminal.

use fangtan::app::strip::{Weights, cell_of};
use fangtan::app::{App, Mouse, Msg, Options, Pos, update};
use fangtan::parse::{self, ParseOptions};
use fangtan::width::AmbiguousWidth;
use proptest::prelude::*;

use crate::support::doc::timed_talk;
use crate::support::frame::{SAMPLE, render};
use crate::support::keys;
use crate::support::tmux::{Tmux, have_tmux, reader_command};

const PANEL: &str = include_str!("../fixtures/md/panel_eight.md");

fn strip_app(src: &str, w: u16, h: u16) -> App {
    let doc = parse::parse(src.to_string(), &ParseOptions::default());
    let opts = Options { file_name: "doc.md".into(), timeline: true, ..Options::default() };
    let mut app = App::new(doc, opts);
    update(&mut app, Msg::Resize { width: w, height: h });
    app
}

/// The strip's two columns of each reading row, as drawn.
fn strip_columns(app: &App) -> Vec<String> {
    let screen = render(app);
    let rows: Vec<&str> = screen.lines().collect();
    rows[..rows.len() - 1]
        .iter()
        .map(|r| {
            let chars: Vec<char> = r.chars().collect();
            chars[chars.len() - 2..].iter().collect()
        })
        .collect()
}

#[test]
fn frames_with_the_strip() {
    for (name, src) in [("sample", SAMPLE), ("panel_eight", PANEL)] {
        for (w, h, k) in [(120, 40, ""), (80, 24, ""), (80, 24, "}}}}}}}}}}")] {
            let mut app = strip_app(src, w, h);
            keys::typed(&mut app, k);
            let moved = if k.is_empty() { "" } else { "_moved" };
            insta::assert_snapshot!(format!("strip_{name}_{w}x{h}{moved}"), render(&app));
        }
    }
}

#[test]
fn speaker_focus_lights_the_speakers_rows_and_dims_the_others() {
    let mut app = strip_app(PANEL, 80, 24);
    keys::typed(&mut app, "s");
    let focus = app.focus_speaker.unwrap();
    insta::assert_snapshot!("strip_panel_eight_80x24_focus", render(&app));
    let cols = strip_columns(&app);
    for (cell, col) in app.strip.cells.iter().zip(&cols) {
        let glyph = col.chars().nth(1).unwrap();
        // A row where the focused speaker talks at all is theirs; the others' are dim.
        match cell.speaker {
            _ if cell.has(focus) => assert!(glyph != '░', "{col:?} {cell:?}"),
            Some(_) => assert!(glyph == '░' || glyph == '✦' || glyph == '❝', "{col:?} {cell:?}"),
            None => {}
        }
    }
    assert!(cols.iter().any(|c| c.ends_with('░')), "others are dimmed: {cols:?}");
    let lit = cols.iter().filter(|c| c.ends_with('▐')).count();
    let held = app.strip.cells.iter().filter(|c| c.speaker == Some(focus)).count();
    assert!(lit > held, "rows where the moderator asks are lit ({lit}), not only hers ({held})");
}

#[test]
fn eight_speakers_get_eight_colours() {
    let app = strip_app(PANEL, 120, 40);
    let theme = fangtan::ui::Theme::of(&app);
    let colours: std::collections::HashSet<String> =
        (0..app.doc.speakers.len()).map(|s| format!("{:?}", theme.speaker(s))).collect();
    assert_eq!(app.doc.speakers.len(), 8);
    assert_eq!(colours.len(), 8, "{colours:?}");
    // Every speaker holds some row at 40 rows, and the header's legend gives the colours.
    let held: std::collections::HashSet<_> =
        app.strip.cells.iter().filter_map(|c| c.speaker).collect();
    assert!(held.len() >= 6, "{held:?}");
    assert!(render(&app).contains("1 ▐ 林岚"), "{}", render(&app));
}

#[test]
fn the_strip_keeps_its_two_columns_at_either_ambiguous_width() {
    for amb in [AmbiguousWidth::Narrow, AmbiguousWidth::Wide] {
        let doc = parse::parse(PANEL.to_string(), &ParseOptions::default());
        let opts = Options { timeline: true, ambiguous: amb, ..Options::default() };
        let mut app = App::new(doc, opts);
        update(&mut app, Msg::Resize { width: 80, height: 24 });
        let cols = strip_columns(&app);
        assert_eq!(cols.len(), 23);
        assert!(cols[0].starts_with('▸') && cols[1].starts_with('╏'), "{amb:?} {cols:?}");
        assert!(cols.iter().all(|c| c.chars().count() == 2), "{amb:?} {cols:?}");
    }
}

#[test]
fn spoken_time_decides_the_colour_when_the_transcript_has_times() {
    // Ana says little for ten minutes; Ben says much in one.
    let long = "word ".repeat(400);
    let src = format!(
        "**Ana (00:00:00):** Yes.\n\n**Ben (00:10:00):** {long}\n\n**Ana (00:11:00):** Right.\n\n\
         **Ben (00:11:10):** Done.\n"
    );
    let app = strip_app(&src, 80, 24);
    assert!(Weights::build(&app.doc).timed());
    let ana = app.strip.cells.iter().filter(|c| c.speaker == Some(0)).count();
    let ben = app.strip.cells.iter().filter(|c| c.speaker == Some(1)).count();
    assert!(ana > ben * 5, "ana {ana} ben {ben}");
    // Without times the same words weigh by their text.
    let untimed = src.replace(" (00:00:00)", "").replace(" (00:10:00)", "");
    let untimed = untimed.replace(" (00:11:00)", "").replace(" (00:11:10)", "");
    let app = strip_app(&untimed, 80, 24);
    assert!(!Weights::build(&app.doc).timed());
    let ana = app.strip.cells.iter().filter(|c| c.speaker == Some(0)).count();
    let ben = app.strip.cells.iter().filter(|c| c.speaker == Some(1)).count();
    assert!(ben > ana * 5, "ana {ana} ben {ben}");
}

#[test]
fn t_toggles_the_strip_and_the_text_takes_its_columns_back() {
    let doc = parse::parse(PANEL.to_string(), &ParseOptions::default());
    let mut app = App::new(doc, Options::default());
    update(&mut app, Msg::Resize { width: 80, height: 24 });
    let without = app.text_width();
    assert!(app.strip.cells.is_empty() && app.panes().strip.is_none());
    keys::typed(&mut app, "t");
    assert_eq!(app.strip.cells.len(), 23);
    let strip = app.panes().strip.unwrap();
    assert_eq!((strip.x, strip.width), (78, 2));
    assert_eq!(app.text_width(), without - 2, "the strip's columns leave the text");
    assert!(!render(&app).lines().any(|l| l.chars().count() > 80));
    keys::typed(&mut app, "t");
    assert!(app.strip.cells.is_empty());
    assert_eq!(app.text_width(), without);
}

#[test]
fn percent_and_a_click_jump_there() {
    let mut app = strip_app(PANEL, 80, 24);
    keys::typed(&mut app, "%50\n");
    let total = app.strip.weights.total();
    let half = cell_of(total, app.strip.cells.len(), total / 2);
    assert!(app.strip.here.abs_diff(half) <= 1, "here {} half {half}", app.strip.here);
    assert!(app.go_to_prompt().is_none());
    keys::typed(&mut app, "%x\n");
    assert!(app.message.as_deref().unwrap_or("").contains("not a percentage"));
    // Esc leaves the prompt where the reader was.
    let before = app.pos;
    keys::typed(&mut app, "%9");
    assert!(render(&app).contains("go to 9▏%"), "{}", render(&app));
    keys::press(&mut app, &["<Esc>"]);
    assert_eq!(app.pos, before);
    // A click on a row of the strip puts the marker there (or on the last page).
    let strip = app.panes().strip.unwrap();
    for row in [0, 3, 7, 12, 20] {
        update(&mut app, Msg::Mouse(Mouse::Click { col: strip.x + 1, row }));
        let end = app.end_top();
        let here = app.strip.here;
        assert!(
            here == usize::from(row) || (app.pos == end && here <= usize::from(row)),
            "row {row}: here {here}"
        );
        assert_eq!(strip_columns(&app)[here].chars().next(), Some('▸'));
    }
}

/// A random transcript: sections, turns by up to eight speakers with texts of random
/// lengths (CJK and Latin), some with times.
fn transcript() -> impl Strategy<Value = String> {
    let turn = (0usize..8, 1usize..200, any::<bool>(), 0u8..4);
    prop::collection::vec(turn, 1..60).prop_map(|turns| {
        let mut s = String::from("# Random panel\n\n");
        let mut t = 0;
        for (i, (who, len, cjk, kind)) in turns.into_iter().enumerate() {
            if kind == 0 && i % 5 == 0 {
                s.push_str(&format!("## Part {i}\n\n"));
            }
            let text = if cjk { "说".repeat(len) } else { "word ".repeat(len) };
            let quote = if kind == 1 { " **a quote here**" } else { "" };
            t += len as u64 / 3 + 1;
            let time = match kind {
                3 => String::new(),
                _ => format!(" ({:02}:{:02}:{:02})", t / 3600, t / 60 % 60, t % 60),
            };
            s.push_str(&format!("**Speaker{who}{time}:** {text}{quote}\n\n"));
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn cells_cover_the_document_in_order_and_the_marker_is_where_the_pane_is(
        src in transcript(),
        w in 30u16..140,
        h in 3u16..60,
        moves in prop::collection::vec(0u8..5, 0..6),
    ) {
        let mut app = strip_app(&src, w, h);
        for m in moves {
            let k = match m { 0 => "}", 1 => "j", 2 => " ", 3 => "G", _ => "b" };
            keys::typed(&mut app, k);
        }
        let cells = &app.strip.cells;
        prop_assert_eq!(cells.len(), usize::from(h - 1));
        let total = app.strip.weights.total();
        prop_assert_eq!(cells[0].range.start, 0);
        prop_assert_eq!(cells[cells.len() - 1].range.end, total);
        for pair in cells.windows(2) {
            prop_assert_eq!(pair[0].range.end, pair[1].range.start);
        }
        // Every turn's weight lies inside the cells, in the turns' order.
        let mut last = 0;
        for turn in &app.doc.turns {
            let at = app.strip.weights.at(&app.doc, Pos::item(turn.item()));
            prop_assert!(at >= last && at <= total);
            last = at;
        }
        // The marker is at the reading pane's top row, and drawn there.
        let top = app.strip.weights.at(&app.doc, app.pos);
        let here = cell_of(total, cells.len(), top);
        prop_assert_eq!(app.strip.here, here);
        prop_assert!(app.strip.window.contains(&here));
        let cols = strip_columns(&app);
        prop_assert_eq!(cols[here].chars().next(), Some('▸'));
        prop_assert_eq!(cols.iter().filter(|c| c.starts_with('▸')).count(), 1);
        // At the end of the document the window reaches the last cell.
        if app.view.at_end {
            prop_assert_eq!(app.strip.window.end, cells.len());
        }
    }
}

#[test]
fn in_a_terminal_t_shows_the_strip_and_a_click_jumps() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("talk.md");
    std::fs::write(&file, timed_talk(200)).unwrap();
    let cmd = reader_command(&dir.path().join("data"), &file.display().to_string(), "true");
    let t = Tmux::start("strip", 100, 30, &cmd);
    // The last two columns of a row: the strip's, once it is shown.
    let right = |s: &str, row: usize| -> String {
        let chars: Vec<char> = s.lines().nth(row).unwrap_or("").chars().collect();
        chars[chars.len().saturating_sub(2)..].iter().collect()
    };
    let marker = |s: &str| (0..29).filter(|&r| right(s, r).starts_with('▸')).collect::<Vec<_>>();
    t.wait("the reader", |s| s.contains("Harbour night shift"));
    assert!(marker(&t.screen()).is_empty());
    t.keys(&["t"]);
    let s = t.wait("the strip", |s| marker(s) == [0]);
    assert!(right(&s, 1).starts_with('╏'), "{s}");
    // A click on the strip's row 20 (SGR mouse, 1-based) moves the marker there.
    t.bytes(b"\x1b[<0;100;21M\x1b[<0;100;21m");
    t.wait("the jump", |s| marker(s) == [20]);
    // 10% goes back near the top: the cell a tenth of the way down.
    t.keys(&["%", "1", "0", "Enter"]);
    t.wait("10%", |s| marker(s) == [2]);
    // t again gives the columns back to the text.
    t.keys(&["t"]);
    t.wait("no strip", |s| marker(s).is_empty() && !s.contains('╏'));
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
}

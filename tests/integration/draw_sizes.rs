//! Drawing never trusts the size the app last heard of: a frame of any size, one smaller
//! than the state expects included, is drawn without a panic (a key can arrive before the
//! resize event that tells of a shrunk terminal), and the note editor's cursor stays on it.

use crate::support::{frame, keys, tmux};
use fangtan::app::{App, Msg, Options, update};
use fangtan::keymap::Action;
use fangtan::parse::{self, ParseOptions};
use fangtan::ui;
use frame::SAMPLE;
use keys::{press, typed};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// The documents drawn: the bundled sample, a small fixture with a list, a quote, an
/// image, code and a rule, and an empty one.
#[derive(Debug, Clone, Copy)]
enum Source {
    Sample,
    Blocks,
    Empty,
}

impl Source {
    fn text(self) -> &'static str {
        match self {
            Source::Sample => SAMPLE,
            Source::Blocks => include_str!("../fixtures/md/blocks.md"),
            Source::Empty => "",
        }
    }
}

fn act(app: &mut App, actions: &[Action]) {
    for &a in actions {
        update(app, Msg::Action(a));
    }
}

/// What is open when the frame is drawn.
#[derive(Debug, Clone, Copy)]
enum Scene {
    Reader,
    Help,
    Outline,
    SpeakerFocus,
    List,
    Note,
    NoteFromList,
    SearchPrompt,
    SearchResults,
    Message,
    Quotes,
    QuotesFiltered,
    Talk,
}

const SCENES: [Scene; 13] = [
    Scene::Reader,
    Scene::Help,
    Scene::Outline,
    Scene::SpeakerFocus,
    Scene::List,
    Scene::Note,
    Scene::NoteFromList,
    Scene::SearchPrompt,
    Scene::SearchResults,
    Scene::Message,
    Scene::Quotes,
    Scene::QuotesFiltered,
    Scene::Talk,
];

/// Some typed text: wide CJK characters, a combining mark, an emoji.
const NOTE: &str = "终端里读访谈，e\u{301} 很方便👍";

/// `src` open at 80x24 with `scene` set up, then told the terminal is `w`x`h`.
fn scene(src: Source, scene: Scene, (w, h): (u16, u16)) -> App {
    let doc = parse::parse(src.text().to_string(), &ParseOptions::default());
    let opts = Options { file_name: "t.md".into(), ..Options::default() };
    let mut a = App::new(doc, opts);
    update(&mut a, Msg::Resize { width: 80, height: 24 });
    match scene {
        Scene::Reader => act(&mut a, &[Action::NextTurn, Action::LineDown]),
        Scene::Help => act(&mut a, &[Action::Help, Action::LineDown]),
        Scene::Outline => act(&mut a, &[Action::SwitchPane, Action::LineDown]),
        Scene::SpeakerFocus => act(&mut a, &[Action::CycleSpeakerFocus, Action::NextTurn]),
        Scene::List | Scene::NoteFromList => {
            act(&mut a, &[Action::NextTurn, Action::ToggleBookmark, Action::NextTurn]);
            act(&mut a, &[Action::EditNote]);
            typed(&mut a, NOTE);
            press(&mut a, &["<Enter>"]);
            act(&mut a, &[Action::BookmarkList]);
            if matches!(scene, Scene::NoteFromList) {
                press(&mut a, &["e"]);
                typed(&mut a, NOTE);
            }
        }
        Scene::Note => {
            act(&mut a, &[Action::NextTurn, Action::EditNote]);
            typed(&mut a, &NOTE.repeat(5));
            press(&mut a, &["<Left>"]);
        }
        Scene::SearchPrompt => {
            act(&mut a, &[Action::Search]);
            typed(&mut a, "终端");
        }
        Scene::SearchResults => {
            act(&mut a, &[Action::Search]);
            typed(&mut a, "的");
            press(&mut a, &["<Enter>"]);
            act(&mut a, &[Action::NextMatch]);
        }
        Scene::Message => act(&mut a, &[Action::NextBookmark]),
        Scene::Quotes => {
            act(&mut a, &[Action::QuoteIndex]);
            press(&mut a, &["j"]);
        }
        Scene::QuotesFiltered => {
            act(&mut a, &[Action::QuoteIndex]);
            typed(&mut a, "/终端 a");
        }
        Scene::Talk => act(&mut a, &[Action::TalkShare]),
    }
    update(&mut a, Msg::Resize { width: w, height: h });
    a
}

/// Draw `app` into a buffer of `area` and, when it has room, through a terminal of its
/// size; the cursor of the note editor or the quote filter must be on the screen.
fn draw_at(app: &App, area: Rect) {
    let mut buf = Buffer::empty(area);
    ui::draw_buffer(&mut buf, app, &ui::Theme::of(app));
    if area.is_empty() || area.area() > 5_000 {
        return;
    }
    let mut t = Terminal::new(TestBackend::new(area.width, area.height)).expect("a terminal");
    t.draw(|f| ui::draw(f, app)).expect("drawn");
    let typing = app.note().is_some() || app.quote_index().is_some_and(|l| l.typing);
    if typing && area.width >= 12 && area.height >= 5 {
        let c = t.get_cursor_position().expect("a cursor");
        assert!(c.x < area.width && c.y < area.height, "cursor {c:?} off a {area:?} screen");
    }
}

#[test]
fn a_note_typed_after_the_terminal_shrank_is_drawn_at_the_new_size() {
    // The reported case: the note editor open at 300x100, the terminal shrunk to 113x24,
    // and the keys typed reach the app before the resize event does.
    let mut a = scene(Source::Sample, Scene::Reader, (300, 100));
    act(&mut a, &[Action::EditNote]);
    assert!(a.note().is_some(), "the note editor is open");
    typed(&mut a, "a note");
    let mut t = Terminal::new(TestBackend::new(113, 24)).expect("a terminal");
    t.draw(|f| ui::draw(f, &a)).expect("drawn");
    let screen = frame::text(t.backend().buffer());
    assert!(screen.contains("a note"), "the note shows on the smaller screen:\n{screen}");
    let c = t.get_cursor_position().expect("a cursor");
    assert!(c.x < 113 && c.y < 24, "the cursor is on the screen: {c:?}");
}

#[test]
fn a_note_typed_as_the_terminal_shrinks_is_kept_in_a_real_terminal() {
    if !tmux::have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let t = tmux::Tmux::start("shrink", 300, 100, &tmux::reader_command(dir.path(), "", "true"));
    t.wait("the reader", |s| s.contains("Speakers"));
    t.keys(&["}"]);
    t.wait("the next turn", |s| s.contains('▎'));
    t.keys(&["a"]);
    t.wait("the note editor", |s| s.contains("Enter saves"));
    // The shrink and the keys in one go: the keys are read before the resize event.
    t.tmux(
        &["resize-window", "-t", "t", "-x", "113", "-y", "24", ";"]
            .into_iter()
            .chain(["send-keys", "-t", "t", "-l", "typed note"])
            .collect::<Vec<_>>(),
    );
    t.wait("the note typed", |s| s.contains("typed note") || s.contains("EXIT="));
    t.keys(&["Enter", "'"]);
    let s = t.wait("the bookmark list", |s| s.contains("Enter jumps") || s.contains("EXIT="));
    assert!(!s.contains("EXIT="), "the reader went on:\n{s}");
    assert!(s.contains("✎ typed note"), "the note was kept:\n{s}");
}

#[test]
fn every_scene_draws_at_edge_sizes() {
    let states = [(0, 0), (1, 1), (30, 0), (12, 5), (69, 2), (300, 100), (u16::MAX, 1)];
    let sizes = [
        (0, 0),
        (1, 1),
        (0, 30),
        (30, 0),
        (1, 40),
        (2, 3),
        (11, 4),
        (12, 5),
        (69, 2),
        (70, 3),
        (300, 100),
        (2000, 3),
        (3, 2000),
    ];
    for src in [Source::Sample, Source::Blocks, Source::Empty] {
        for s in SCENES {
            for state in states {
                let a = scene(src, s, state);
                for (w, h) in sizes {
                    draw_at(&a, Rect::new(0, 0, w, h));
                    // A buffer not at the origin, reaching the end of the coordinates.
                    draw_at(&a, Rect::new(u16::MAX - w / 2, 7, w, h));
                }
            }
        }
    }
}

fn side() -> impl Strategy<Value = u16> {
    prop_oneof![0..=3u16, 0..=40u16, 0..=320u16]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_scene_draws_at_any_size_whatever_size_the_state_expects(
        src in prop::sample::select(vec![Source::Sample, Source::Blocks]),
        s in prop::sample::select(SCENES.to_vec()),
        state in (side(), side()),
        (w, h) in (side(), side()),
        (x, y) in (0..=3u16, 0..=3u16),
    ) {
        let a = scene(src, s, state);
        draw_at(&a, Rect::new(x, y, w, h));
    }
}

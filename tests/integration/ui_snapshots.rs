#![allow(clippy::unwrap_used)]
//! Whole frames of the reader on the bundled sample, as text.

use crate::support::{frame, keys};
use fangtan::app::{App, Msg, Options, update};
use fangtan::parse::{self, ParseOptions};
use fangtan::ui;
use fangtan::width::{AmbiguousWidth, str_width};
use frame::{SAMPLE, app, render, text};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

/// Press keys, one per character; text after `/` up to `\n` is typed into the prompt.
fn keys(app: &mut App, keys: &str) {
    keys::typed(app, keys);
}

/// Draw straight into a buffer (TestBackend refuses zero sizes).
fn render_raw(app: &App) -> String {
    let mut buf = Buffer::empty(Rect::new(0, 0, app.width, app.height));
    ui::draw_buffer(&mut buf, app, &ui::Theme::of(app));
    text(&buf)
}

fn frame(w: u16, h: u16, k: &str) -> String {
    let mut a = app(w, h);
    keys(&mut a, k);
    render(&a)
}

macro_rules! snap {
    ($name:ident, $keys:expr) => {
        #[test]
        fn $name() {
            for (w, h) in [(100, 30), (80, 24), (40, 12)] {
                insta::assert_snapshot!(
                    format!("{}_{w}x{h}", stringify!($name)),
                    frame(w, h, $keys)
                );
            }
        }
    };
}

snap!(open, "");
snap!(three_turns, "}}}");
snap!(next_quote, "]");
snap!(speaker_two, "2");
snap!(search, "/终端\n");
snap!(speaker_focus, "ss}");
snap!(help, "?");

#[test]
fn tiny_sizes_never_panic() {
    for (w, h) in [(0, 0), (1, 1), (1, 0), (0, 5), (20, 5), (5, 20), (2, 2), (12, 3)] {
        let mut a = app(w, h);
        for k in ["", "}", "G", "?", "o", "/a\n", "ss", "]", "g", "j"] {
            keys(&mut a, k);
            let _ = render_raw(&a);
            if w > 0 && h > 0 {
                let _ = render(&a);
            }
        }
    }
}

fn app_text(src: &str, w: u16, h: u16, amb: AmbiguousWidth) -> App {
    let doc = parse::parse(src.to_string(), &ParseOptions::default());
    let opts = Options { file_name: "sample.md".into(), ambiguous: amb, ..Options::default() };
    let mut app = App::new(doc, opts);
    update(&mut app, Msg::Resize { width: w, height: h });
    app
}

/// Walk a buffer row as the terminal would (each glyph advancing by its width under `amb`)
/// and return the glyphs of each row with their columns.
fn rows(buf: &Buffer, amb: AmbiguousWidth) -> Vec<Vec<(u16, String)>> {
    let mut out = Vec::new();
    for y in 0..buf.area.height {
        let mut row = Vec::new();
        let mut x = 0;
        while x < buf.area.width {
            let s = buf[(x, y)].symbol().to_string();
            let w = str_width(&s, amb).max(1) as u16;
            assert!(x + w <= buf.area.width, "glyph {s:?} at {x} overflows row {y}");
            row.push((x, s));
            x += w;
        }
        out.push(row);
    }
    out
}

#[test]
fn no_row_overflows_and_no_reading_row_starts_with_closing_punctuation() {
    check_every_page(SAMPLE);
}

/// The same check on any transcript: `FANGTAN_CHECK_FILE=path cargo test --test integration ui_snapshots`.
#[test]
fn check_file_from_env() {
    if let Ok(path) = std::env::var("FANGTAN_CHECK_FILE") {
        check_every_page(&std::fs::read_to_string(path).unwrap());
    }
}

fn check_every_page(src: &str) {
    for amb in [AmbiguousWidth::Narrow, AmbiguousWidth::Wide] {
        for (w, h) in [(120, 40), (100, 30), (80, 24), (61, 20), (40, 12), (20, 5)] {
            let mut a = app_text(src, w, h, amb);
            let reader_x = a.panes().reader.x + fangtan::app::GUTTER;
            for _ in 0..5000 {
                let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
                ui::draw_buffer(&mut buf, &a, &ui::Theme::of(&a));
                for (y, row) in rows(&buf, amb).iter().enumerate().take(usize::from(h) - 1) {
                    let first = row.iter().find(|(x, s)| *x >= reader_x && s != " ");
                    if let Some((x, s)) = first {
                        assert!(
                            !"，。、：；？！）」』".contains(s.as_str()) || *x > reader_x,
                            "{amb:?} {w}x{h} row {y} starts with {s}"
                        );
                    }
                }
                if a.view.at_end {
                    break;
                }
                update(&mut a, Msg::Action(fangtan::keymap::Action::PageDown));
            }
        }
    }
}

#[test]
fn document_control_characters_never_reach_the_screen() {
    use fangtan::doc::{BlockKind, Format, NewBlock};
    let mut b =
        fangtan::parse::Builder::new(String::new(), Format::Markdown, &ParseOptions::default());
    b.heading("Title \u{1b}]0;pwned\u{7}".into(), 2, 0..0);
    b.start_turn("Eve\u{1b}[31m", None, 0..0);
    b.block(NewBlock::new(
        BlockKind::Paragraph,
        "plain \u{1b}[2J\u{1b}[H text \u{9b}31m and \r carriage".into(),
        0..0,
    ));
    let doc = b.finish();
    let mut a = App::new(doc, Options::default());
    update(&mut a, Msg::Resize { width: 80, height: 12 });
    keys(&mut a, "}");
    for state in ["", "s", "?"] {
        keys(&mut a, state);
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 12));
        ui::draw_buffer(&mut buf, &a, &ui::Theme::of(&a));
        for cell in buf.content() {
            assert!(!cell.symbol().chars().any(char::is_control), "{:?}", cell.symbol());
        }
        let screen = text(&buf);
        assert!(state == "?" || screen.contains("plain"), "{screen}");
    }
}

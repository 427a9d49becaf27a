#![allow(clippy::unwrap_used)]
//! Whole frames of the reader on the bundled sample, as text.

use fangtan::app::{App, Input, Msg, update};
use fangtan::keymap::KeyChord;
use fangtan::parse::{self, ParseOptions};
use fangtan::reader::ReaderOptions;
use fangtan::ui;
use fangtan::width::{AmbiguousWidth, str_width};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const SAMPLE: &str = include_str!("../assets/sample.md");

fn app(w: u16, h: u16) -> App {
    let doc = parse::parse(SAMPLE.to_string(), &ParseOptions::default());
    let opts = ReaderOptions { file_name: "sample.md".into(), ..ReaderOptions::default() };
    let mut app = App::new(doc, opts);
    update(&mut app, Msg::Resize { width: w, height: h });
    app
}

/// Press keys through the keymap; text after `/` up to `\n` is typed into the prompt.
fn keys(app: &mut App, keys: &str) {
    let mut typing = false;
    for c in keys.chars() {
        if typing {
            let i = if c == '\n' { Input::Enter } else { Input::Char(c) };
            typing = c != '\n';
            update(app, Msg::Input(i));
            continue;
        }
        let action = app.opts.keymap.lookup(KeyChord::ch(c)).unwrap();
        update(app, Msg::Action(action));
        typing = c == '/';
    }
}

/// The screen as a terminal would show it: one line per row, wide glyphs once.
fn render(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(app.width, app.height)).unwrap();
    t.draw(|f| ui::draw(f, app)).unwrap();
    text(t.backend().buffer())
}

fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let s = buf[(x, y)].symbol();
            out.push_str(s);
            x += str_width(s, AmbiguousWidth::Narrow).max(1) as u16;
        }
        out.push('\n');
    }
    out
}

/// Draw straight into a buffer (TestBackend refuses zero sizes).
fn render_raw(app: &App) -> String {
    let mut buf = Buffer::empty(Rect::new(0, 0, app.width, app.height));
    ui::draw_buffer(&mut buf, app, &ui::Theme::default());
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

//! Frames as a terminal would show them, for the snapshot and reader tests: the bundled
//! sample opened at a size, and a buffer read back as text.
#![allow(dead_code, clippy::unwrap_used)]

use fangtan::app::{App, Msg, Options, update};
use fangtan::parse::{self, ParseOptions};
use fangtan::ui;
use fangtan::width::{AmbiguousWidth, str_width};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

pub const SAMPLE: &str = include_str!("../../../assets/sample.md");

/// The bundled sample open at `w`x`h`.
pub fn app(w: u16, h: u16) -> App {
    let doc = parse::parse(SAMPLE.to_string(), &ParseOptions::default());
    let opts = Options { file_name: "sample.md".into(), ..Options::default() };
    let mut app = App::new(doc, opts);
    update(&mut app, Msg::Resize { width: w, height: h });
    app
}

/// The screen as a terminal would show it: one line per row, wide glyphs once.
pub fn render(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(app.width, app.height)).unwrap();
    t.draw(|f| ui::draw(f, app)).unwrap();
    text(t.backend().buffer())
}

pub fn text(buf: &Buffer) -> String {
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

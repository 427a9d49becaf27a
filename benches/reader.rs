//! Reader speed: one 120x40 frame deep inside a big document, single jumps, and the bytes of
//! a frame written for the terminal (ratatui's crossterm backend, which fangtan used before,
//! against `term::backend::LeanBackend`: a whole screen, and a page down).
//! The document is the bundled sample (or `FANGTAN_BENCH_FILE`) repeated to about 8 MB.
//! The timeline strip: a frame and a line's scroll with it and without, and what it costs
//! to build (its weights and cells) beside the outline.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use fangtan::app::strip::{Weights, cells};
use fangtan::app::{App, Msg, Options, Pos, outline, update};
use fangtan::keymap::Action;
use fangtan::parse::{self, ParseOptions};
use fangtan::term::backend::LeanBackend;
use fangtan::ui;
use ratatui::backend::{Backend, CrosstermBackend};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const SAMPLE: &str = include_str!("../assets/sample.md");
const TARGET: usize = 8 << 20;

fn big_app() -> App {
    let one = match std::env::var("FANGTAN_BENCH_FILE") {
        Ok(path) => std::fs::read_to_string(path).expect("readable bench file"),
        Err(_) => SAMPLE.to_string(),
    };
    let mut text = String::with_capacity(TARGET + one.len());
    while text.len() < TARGET {
        text.push_str(&one);
        text.push('\n');
    }
    let doc = parse::parse(text, &ParseOptions::default());
    let mut app = App::new(doc, Options::default());
    update(&mut app, Msg::Resize { width: 120, height: 40 });
    app
}

/// Put the reader at the middle turn.
fn go_deep(app: &mut App) {
    let t = app.doc.turns.len() / 2;
    app.pos = Pos::item(app.doc.turns[t].item());
    update(app, Msg::Resize { width: 120, height: 40 });
}

fn benches(c: &mut Criterion) {
    let mut app = big_app();
    go_deep(&mut app);
    let theme = ui::Theme::of(&app);
    let mut buf = Buffer::empty(Rect::new(0, 0, 120, 40));
    c.bench_function("draw 120x40 frame deep in 8 MB", |b| {
        b.iter(|| {
            buf.reset();
            ui::draw_buffer(&mut buf, black_box(&app), &theme);
        })
    });
    c.bench_function("draw 120x40 frame, cold layout", |b| {
        b.iter(|| {
            app.forget_layout();
            update(&mut app, Msg::Resize { width: 120, height: 40 });
            buf.reset();
            ui::draw_buffer(&mut buf, black_box(&app), &theme);
        })
    });
    for (name, action) in [
        ("jump G (end)", Action::Bottom),
        ("jump } (next turn)", Action::NextTurn),
        ("jump ] (next quote)", Action::NextQuote),
    ] {
        // Only the jump is timed: from the middle, with nothing laid out yet.
        c.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    go_deep(&mut app);
                    app.forget_layout();
                    let start = Instant::now();
                    update(&mut app, Msg::Action(black_box(action)));
                    total += start.elapsed();
                }
                total
            })
        });
    }
}

// Kept out of line so that an instruction count (callgrind) can name them.
#[inline(never)]
fn write_plain(out: &mut Vec<u8>, prev: &Buffer, next: &Buffer) {
    out.clear();
    let mut backend = CrosstermBackend::new(out);
    backend.draw(prev.diff_iter(next)).expect("written");
    Backend::flush(&mut backend).expect("written");
}

#[inline(never)]
fn write_lean(backend: &mut LeanBackend<Vec<u8>>, prev: &Buffer, next: &Buffer) {
    backend.writer_mut().clear();
    backend.draw(prev.diff_iter(next)).expect("written");
    backend.flush().expect("written");
}

/// Write the frame that takes the screen from `prev` to `next` into memory, as each backend
/// would send it to the terminal.
fn write_frames(c: &mut Criterion) {
    let mut app = big_app();
    go_deep(&mut app);
    let theme = ui::Theme::of(&app);
    let draw = |app: &App| {
        let mut buf = Buffer::empty(Rect::new(0, 0, 120, 40));
        ui::draw_buffer(&mut buf, app, &theme);
        buf
    };
    let empty = Buffer::empty(Rect::new(0, 0, 120, 40));
    let page = draw(&app);
    update(&mut app, Msg::Action(Action::PageDown));
    let next = draw(&app);
    let mut lean = LeanBackend::new(Vec::new());
    let mut plain_out = Vec::new();
    for (what, prev, next) in [("whole screen", &empty, &page), ("page down", &page, &next)] {
        write_plain(&mut plain_out, prev, next);
        write_lean(&mut lean, prev, next);
        eprintln!(
            "write 120x40 {what}: {} bytes with the crossterm backend, {} with the lean one",
            plain_out.len(),
            lean.writer().len()
        );
        c.bench_function(&format!("write 120x40 {what}, crossterm backend"), |b| {
            b.iter(|| write_plain(&mut plain_out, black_box(prev), next))
        });
        c.bench_function(&format!("write 120x40 {what}, lean backend"), |b| {
            b.iter(|| write_lean(&mut lean, black_box(prev), next))
        });
    }
}

/// The timeline strip: the same frame and the same scroll with it and without; its
/// weights and cells for the whole document beside the outline's build.
fn strip(c: &mut Criterion) {
    let mut app = big_app();
    go_deep(&mut app);
    let theme = ui::Theme::of(&app);
    let mut buf = Buffer::empty(Rect::new(0, 0, 120, 40));
    for on in [false, true] {
        if app.strip.shown != on {
            update(&mut app, Msg::Action(Action::ToggleTimeline));
        }
        let with = if on { "with the strip" } else { "without the strip" };
        c.bench_function(&format!("draw 120x40 frame deep in 8 MB, {with}"), |b| {
            b.iter(|| {
                buf.reset();
                ui::draw_buffer(&mut buf, black_box(&app), &theme);
            })
        });
        c.bench_function(&format!("scroll a line and draw, {with}"), |b| {
            let mut down = true;
            b.iter(|| {
                let a = if down { Action::LineDown } else { Action::LineUp };
                down = !down;
                update(&mut app, Msg::Action(a));
                buf.reset();
                ui::draw_buffer(&mut buf, black_box(&app), &theme);
            })
        });
    }
    c.bench_function("outline of 8 MB", |b| b.iter(|| outline::build(black_box(&app.doc))));
    c.bench_function("strip of 8 MB (weights and 39 cells)", |b| {
        b.iter(|| {
            let w = Weights::build(black_box(&app.doc));
            cells(&app.doc, &w, 39)
        })
    });
}

criterion_group! {
    name = reader;
    config = Criterion::default().sample_size(30);
    targets = benches, write_frames, strip
}
criterion_main!(reader);

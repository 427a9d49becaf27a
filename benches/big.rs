//! Big documents (issue 7): parse, index, screen layout, frame draw, jumps and search at 1x,
//! 100x and 1000x a transcript, each copy under a numbered heading as `bench/gen.sh` makes
//! them. The transcript is the bundled sample, or `FANGTAN_BENCH_FILE` (e.g. the seed: its
//! 1000x is about 79 MB). Generated at bench time, never stored.
//!
//! `cargo bench --bench big` (a few minutes); `-- search` runs one group. `load` is the
//! reader's path for a big file (`fangtan::load::whole` and the index it builds).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{
    BatchSize, BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main,
};
use fangtan::app::{App, Msg, Options, Pos, update};
use fangtan::keymap::Action;
use fangtan::parse::{self, ParseOptions};
use fangtan::ui;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

const COPIES: [usize; 3] = [1, 100, 1000];
const SCREEN: Msg = Msg::Resize { width: 120, height: 40 };

fn source() -> String {
    match std::env::var_os("FANGTAN_BENCH_FILE") {
        Some(p) => std::fs::read_to_string(p).expect("FANGTAN_BENCH_FILE is readable UTF-8"),
        None => include_str!("../assets/sample.md").to_string(),
    }
}

/// The source `copies` times, each copy under `## 第 N 部分 · Part N`.
fn document(one: &str, copies: usize) -> String {
    let mut text = String::with_capacity(copies * (one.len() + 40));
    for i in 1..=copies {
        text.push_str(&format!("## 第 {i} 部分 · Part {i}\n\n"));
        text.push_str(one);
        text.push('\n');
    }
    text
}

/// The reader as it opens: parsed, indexed, laid out for 120x40, at the middle turn.
fn app(text: String) -> App {
    let doc = parse::parse(text, &ParseOptions::default());
    let mut app = App::new(doc, Options::default());
    if let Some(t) = app.doc.turns.get(app.doc.turns.len() / 2) {
        app.pos = Pos::item(t.item());
    }
    update(&mut app, SCREEN);
    app
}

/// The last Latin word (5+ letters) of the source outside links: found once per copy, so the
/// search scans the whole document.
fn query(one: &str) -> String {
    one.lines()
        .rev()
        .filter(|l| !l.contains("http") && !l.contains("]("))
        .find_map(|l| l.split(|c: char| !c.is_ascii_alphabetic()).rfind(|w| w.len() >= 5))
        .unwrap_or("the")
        .to_string()
}

fn group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    g
}

fn benches(c: &mut Criterion) {
    let one = source();
    let word = query(&one);
    for copies in COPIES {
        let id = format!("{copies}x");
        let text = document(&one, copies);
        let bytes = Throughput::Bytes(text.len() as u64);
        let opts = ParseOptions::default();

        let mut g = group(c, "parse");
        g.throughput(bytes.clone());
        g.bench_function(&id, |b| {
            b.iter_batched(|| text.clone(), |t| parse::parse(t, &opts), BatchSize::LargeInput)
        });
        g.finish();

        let mut g = group(c, "index");
        g.throughput(bytes.clone());
        g.bench_function(&id, |b| {
            b.iter_batched(
                || text.clone(),
                |t| App::new(parse::parse(t, &opts), Options::default()),
                BatchSize::LargeInput,
            )
        });
        g.finish();

        // What the reader does with a big file on its loader thread: read, decode and
        // parse a part at a time, then the outline and lookups.
        let mut g = group(c, "load");
        g.throughput(bytes.clone());
        let dir = std::env::temp_dir().join(format!("fangtan-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        let file = dir.join(format!("{id}.md"));
        std::fs::write(&file, &text).expect("write the generated document");
        g.bench_function(&id, |b| {
            b.iter(|| {
                let doc = fangtan::load::whole(&file, None, &opts, &mut |_| {}).expect("load");
                fangtan::app::Index::build_lookups(doc, &Options::default())
            })
        });
        g.finish();
        let _ = std::fs::remove_dir_all(&dir);

        let mut app = app(text);

        let mut g = group(c, "layout");
        g.bench_function(&id, |b| {
            b.iter(|| {
                app.forget_layout();
                update(&mut app, SCREEN)
            })
        });
        g.finish();

        let theme = ui::Theme::of(&app);
        let mut buf = Buffer::empty(Rect::new(0, 0, 120, 40));
        let mut g = group(c, "frame");
        g.bench_function(&id, |b| {
            b.iter(|| {
                buf.reset();
                ui::draw_buffer(&mut buf, black_box(&app), &theme);
            })
        });
        g.finish();

        // Each jump starts from the middle turn, laid out; only the jump is timed.
        let home = app.pos;
        let mut g = group(c, "jump");
        for (key, action) in
            [("}", Action::NextTurn), ("G", Action::Bottom), (")", Action::NextSection)]
        {
            g.bench_function(format!("{key} {id}"), |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        app.pos = home;
                        update(&mut app, SCREEN);
                        let start = Instant::now();
                        update(&mut app, Msg::Action(black_box(action)));
                        total += start.elapsed();
                    }
                    total
                })
            });
        }
        g.finish();

        let mut g = group(c, "search");
        g.throughput(bytes);
        g.bench_function(format!("{word} {id}"), |b| {
            b.iter(|| fangtan::search::find_all(&app.doc, black_box(&word)))
        });
        g.finish();
    }
}

criterion_group!(big, benches);
criterion_main!(big);

//! Parsing throughput: decode + parse of a transcript repeated to about 8 MB, and the
//! `adversarial` group: paragraphs of unmatched openers at 1, 2 and 4 MB.
//! Input: `FANGTAN_BENCH_FILE` (e.g. the user's real document), else the bundled sample.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fangtan::parse::{ParseOptions, parse};

fn input() -> String {
    let one = match std::env::var_os("FANGTAN_BENCH_FILE") {
        Some(p) => std::fs::read_to_string(p).expect("FANGTAN_BENCH_FILE is readable UTF-8"),
        None => include_str!("../assets/sample.md").to_string(),
    };
    let mut s = String::with_capacity(8 << 20);
    while s.len() < 8 << 20 {
        s.push_str(&one);
        s.push_str("\n\n");
    }
    s
}

fn bench_parse(c: &mut Criterion) {
    let text = input();
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("markdown_8mb", |b| b.iter(|| parse(text.clone(), &ParseOptions::default())));
    // The cost per turn: many short speaker turns, like a chat log.
    let turns: String = (0..20_000)
        .map(|i| {
            format!(
                "**{}：** {}\n\n",
                ["甲", "乙", "Ada"][i % 3],
                ["对。", "好的，没错。", "Right."][i % 3]
            )
        })
        .collect();
    g.throughput(Throughput::Bytes(turns.len() as u64));
    g.bench_function("short_turns_20k", |b| {
        b.iter(|| parse(turns.clone(), &ParseOptions::default()))
    });
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("decode_8mb", |b| {
        b.iter(|| fangtan::source::decode(text.as_bytes(), None, std::path::Path::new("bench")))
    });
    g.finish();
}

/// Openers without closers, each repeated to 1, 2 and 4 MB in one paragraph: the time per
/// MB must stay flat (a quadratic parse took seconds at 256 KB).
fn bench_adversarial(c: &mut Criterion) {
    let mut g = c.benchmark_group("adversarial");
    g.sample_size(10);
    for (name, unit) in [
        ("bracket", "["),
        ("image", "![a"),
        ("link", "[a]("),
        ("lt", "<"),
        ("comment", "<!--"),
        ("strong", "**a "),
        ("backticks", "` `` "),
    ] {
        for mb in [1, 2, 4] {
            let n = mb << 20;
            let mut text = String::with_capacity(n + 8);
            text.push_str("x ");
            while text.len() < n {
                text.push_str(unit);
            }
            g.throughput(Throughput::Bytes(text.len() as u64));
            g.bench_function(format!("{name}/{mb}MB"), |b| {
                b.iter(|| parse(text.clone(), &ParseOptions::default()))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench_parse, bench_adversarial);
criterion_main!(benches);

//! Parsing throughput: decode + parse of a transcript repeated to about 8 MB.
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

criterion_group!(benches, bench_parse);
criterion_main!(benches);

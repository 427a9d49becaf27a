//! Parsing throughput: decode + parse of a transcript repeated to about 8 MB, the
//! `adversarial` group: paragraphs of unmatched openers at 1, 2 and 4 MB, and the `json`
//! group: an 8 MB word-timed WhisperX-shaped transcript, whole and streamed in parts.
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

/// A WhisperX-shaped transcript of about `bytes`, two speakers, every word timed.
pub fn word_timed_json(bytes: usize) -> String {
    let words = ["the", "archive", "opens", "at", "nine", "我们", "谈到", "compiler", "细节。"];
    let mut out = String::from("{\"language\": \"en\", \"segments\": [");
    let (mut t, mut i) = (0.0f64, 0usize);
    while out.len() < bytes {
        let n = 8 + i % 9;
        let seg: Vec<&str> = (0..n).map(|k| words[(i + k) % words.len()]).collect();
        let ws: Vec<String> = seg
            .iter()
            .enumerate()
            .map(|(k, w)| {
                let s = t + k as f64 * 0.31;
                format!(
                    "{{\"word\": \"{w}\", \"start\": {s:.3}, \"end\": {:.3}, \"score\": 0.87}}",
                    s + 0.25
                )
            })
            .collect();
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{{\"start\": {t:.3}, \"end\": {:.3}, \"text\": \" {}\", \"speaker\": \"SPEAKER_0{}\", \"words\": [{}]}}",
            t + n as f64 * 0.31,
            seg.join(" "),
            (i / 3) % 2,
            ws.join(", ")
        ));
        t += n as f64 * 0.31 + 0.4;
        i += 1;
    }
    out.push_str("]}");
    out
}

fn bench_json(c: &mut Criterion) {
    let text = word_timed_json(8 << 20);
    let mut g = c.benchmark_group("json");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    g.bench_function("word_timed_8mb", |b| {
        b.iter(|| parse(text.clone(), &ParseOptions::default()))
    });
    let dir = std::env::temp_dir().join(format!("fangtan-bench-json-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("talk.json");
    std::fs::write(&path, &text).expect("bench file");
    g.bench_function("word_timed_8mb_streamed", |b| {
        b.iter(|| fangtan::load::whole(&path, None, &ParseOptions::default(), &mut |_| {}))
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench_parse, bench_adversarial, bench_json);
criterion_main!(benches);

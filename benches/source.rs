//! Decoding and subtitle parsing speed: `fangtan` opens 80 MB transcripts, so the clean
//! UTF-8 path must not copy and every path must stay linear.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use fangtan::doc::Format;
use fangtan::parse::{ParseOptions, parse};

const LINE: &str = "主持人：我们今天聊一聊“城市里的茶馆”……Guest: sure, let's talk about it.\n";

fn decoding(c: &mut Criterion) {
    let clean = LINE.repeat(100_000);
    let crlf = clean.replace('\n', "\r\n");
    let (gb, _, _) = encoding_rs::GB18030.encode(&clean);
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(clean.len() as u64));
    g.sample_size(20);
    let name = Path::new("bench");
    g.bench_function("utf8_clean", |b| {
        b.iter(|| fangtan::source::decode(black_box(clean.as_bytes()), None, name))
    });
    g.bench_function("utf8_crlf", |b| {
        b.iter(|| fangtan::source::decode(black_box(crlf.as_bytes()), None, name))
    });
    g.bench_function("gb18030", |b| b.iter(|| fangtan::source::decode(black_box(&gb), None, name)));
    // What opening a file costs: the read itself, validation and the control scan, chunk
    // by chunk into the one copy of the text.
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    std::io::Write::write_all(&mut file, clean.as_bytes()).expect("temp file written");
    g.bench_function("read_file_utf8", |b| {
        b.iter(|| fangtan::source::read(black_box(file.path()), None))
    });
    g.finish();
}

fn subtitles(c: &mut Criterion) {
    let mut vtt = String::from("WEBVTT\n\n");
    let mut srt = String::new();
    for i in 0..20_000u64 {
        let (s, e) = (i * 1500, i * 1500 + 1400);
        let ts =
            |ms: u64| format!("00:{:02}:{:02}.{:03}", ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        let who = if i % 7 == 0 { "嘉宾" } else { "主持人" };
        vtt.push_str(&format!("{} --> {}\n<v {who}>{}\n\n", ts(s), ts(e), &LINE[..30]));
        srt.push_str(&format!("{}\n{} --> {}\n{who}：{}\n\n", i + 1, ts(s), ts(e), &LINE[..30]));
    }
    let mut g = c.benchmark_group("subtitles");
    g.sample_size(20);
    for (name, text, format) in [("vtt", vtt, Format::Webvtt), ("srt", srt, Format::Srt)] {
        let opts = ParseOptions { format: Some(format), ..ParseOptions::default() };
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name, |b| b.iter(|| parse(black_box(text.clone()), &opts)));
    }
    g.finish();
}

criterion_group!(benches, decoding, subtitles);
criterion_main!(benches);

//! Writes a synthetic library of interview transcripts for the issue 18 bench: invented
//! text only (random syllable words, random Han words drawn from a Zipf-ranked pool), mixed
//! Chinese and English turns with speaker labels. Deterministic for a given seed.
//!
//! usage: gen OUT_DIR SIZE_MB DOCS
//! Planted words: `Zorvath` (a made-up name, ~2,000 times in about half the documents,
//! in mixed case and with typesetting spaces around it in Chinese turns), `quillmoss` (a
//! rare word, 5 times), and `数据` is a frequent 2-char Chinese word of the pool.
use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Zipf-ranked sampler over `n` items.
struct Zipf(Vec<f64>);
impl Zipf {
    fn new(n: usize, s: f64) -> Self {
        let mut acc = 0.0;
        let mut c = Vec::with_capacity(n);
        for r in 0..n {
            acc += 1.0 / ((r as f64) + 2.7).powf(s);
            c.push(acc);
        }
        Zipf(c)
    }
    fn sample(&self, rng: &mut Rng) -> usize {
        let x = rng.unit() * self.0[self.0.len() - 1];
        self.0.partition_point(|&v| v < x).min(self.0.len() - 1)
    }
}

const ONSETS: &[&str] = &[
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st",
    "tr", "pl", "gr", "sh", "ch", "th", "br", "cl", "",
];
const NUCLEI: &[&str] = &["a", "e", "i", "o", "u", "ea", "ou", "ai", "io", "y"];
const CODAS: &[&str] = &["", "", "n", "r", "s", "t", "l", "nd", "ng", "ck", "m", "st", "x"];
const FUNCTION: &[&str] = &[
    "the", "and", "of", "to", "a", "in", "that", "is", "it", "we", "you", "i", "was", "for", "on",
    "with", "so", "but", "they", "this", "what", "not", "be", "have", "at", "think", "really",
    "just", "like", "know", "about", "people", "when", "there",
];

fn syllable_word(rng: &mut Rng) -> String {
    let n = 1 + rng.below(3);
    let mut w = String::new();
    for _ in 0..n {
        w.push_str(ONSETS[rng.below(ONSETS.len())]);
        w.push_str(NUCLEI[rng.below(NUCLEI.len())]);
        w.push_str(CODAS[rng.below(CODAS.len())]);
    }
    w
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: gen OUT_DIR SIZE_MB DOCS");
        std::process::exit(2);
    }
    let out = Path::new(&args[1]);
    let size: usize = args[2].parse::<usize>().expect("SIZE_MB") * 1_000_000;
    let docs: usize = args[3].parse().expect("DOCS");
    let mut rng = Rng(0x5eed_f00d ^ size as u64);

    // English vocabulary: function words first (most frequent), then invented words.
    let mut en: Vec<String> = FUNCTION.iter().map(|s| s.to_string()).collect();
    while en.len() < 30_000 {
        let w = syllable_word(&mut rng);
        if w != "zorvath" && w != "quillmoss" {
            en.push(w);
        }
    }
    // Han character pool: 3,500 code points from the URO, ranked at random.
    let han: Vec<char> = (0..3_500)
        .map(|_| char::from_u32(0x4E00 + rng.below(0x9FA5 - 0x4E00) as u32).expect("han"))
        .collect();
    let han_z = Zipf::new(han.len(), 1.05);
    let mut zh: Vec<String> = Vec::new();
    while zh.len() < 40_000 {
        let len = [1, 2, 2, 2, 2, 3, 4][rng.below(7)];
        let w: String = (0..len).map(|_| han[han_z.sample(&mut rng)]).collect();
        if w != "数据" {
            zh.push(w);
        }
    }
    zh.insert(30, "数据".to_string());
    let en_z = Zipf::new(en.len(), 1.0);
    let zh_z = Zipf::new(zh.len(), 1.0);
    let zh_punct = ["，", "，", "，", "。", "。", "？", "、", "！"];

    // Speakers: hosts and guests, Chinese and English, with labels in both styles.
    let zh_names: Vec<String> =
        (0..200).map(|_| (0..2 + rng.below(2)).map(|_| han[rng.below(400)]).collect()).collect();
    let en_names: Vec<String> = (0..200)
        .map(|_| {
            let mut a = syllable_word(&mut rng);
            a[..1].make_ascii_uppercase();
            let mut b = syllable_word(&mut rng);
            b[..1].make_ascii_uppercase();
            format!("{a} {b}")
        })
        .collect();

    // Planted words: Zorvath ~2,000 times over half the documents, quillmoss 5 times.
    let half: Vec<usize> = (0..docs).filter(|_| rng.below(2) == 0).collect();
    let mut zorvath = vec![0usize; docs];
    for _ in 0..2_000 {
        zorvath[half[rng.below(half.len())]] += 1;
    }
    let mut quill = vec![0usize; docs];
    for _ in 0..5 {
        quill[rng.below(docs)] += 1;
    }

    fs::create_dir_all(out).expect("mkdir");
    let per_doc = size / docs;
    let mut total = 0usize;
    for d in 0..docs {
        let sub = out.join(format!("season{:02}", d % 17));
        fs::create_dir_all(&sub).expect("mkdir");
        let ext = if d % 5 == 4 { "txt" } else { "md" };
        let path = sub.join(format!("ep{d:05}.{ext}"));
        let mut w = BufWriter::with_capacity(1 << 20, fs::File::create(&path).expect("create"));
        let target = per_doc / 2 + rng.below(per_doc.max(1));
        let zh_doc = rng.below(3) != 0; // two thirds of the episodes are mainly Chinese
        let guest_zh = zh_names[rng.below(zh_names.len())].clone();
        let guest_en = en_names[rng.below(en_names.len())].clone();
        let mut buf = String::with_capacity(target + 4096);
        if zh_doc {
            buf.push_str(&format!("# 访谈第{d}期：{}\n\n", zh[200 + rng.below(5000)]));
        } else {
            buf.push_str(&format!("# Episode {d}: {}\n\n", en[100 + rng.below(5000)]));
        }
        // Where in the doc the planted words go: positions measured in turns.
        let est_turns = (target / 600).max(1);
        let mut plants: Vec<(usize, bool)> = Vec::new();
        for _ in 0..zorvath[d] {
            plants.push((rng.below(est_turns), true));
        }
        for _ in 0..quill[d] {
            plants.push((rng.below(est_turns), false));
        }
        let mut turn = 0usize;
        while buf.len() < target || plants.iter().any(|p| p.0 >= turn) {
            let host = turn % 2 == 0;
            let zh_turn = if zh_doc { rng.below(6) != 0 } else { rng.below(8) == 0 };
            let label = match (zh_turn, host, ext) {
                (true, true, "md") => "**主持人：** ".to_string(),
                (true, false, "md") => format!("**{guest_zh}：** "),
                (false, true, "md") => "**Host:** ".to_string(),
                (false, false, "md") => format!("**{guest_en}:** "),
                (true, true, _) => "主持人：".to_string(),
                (true, false, _) => format!("{guest_zh}："),
                (false, true, _) => "Host: ".to_string(),
                (false, false, _) => format!("{guest_en}: "),
            };
            buf.push_str(&label);
            let words = 20 + rng.below(if zh_turn { 200 } else { 160 });
            let here: Vec<bool> = plants.iter().filter(|p| p.0 == turn).map(|p| p.1).collect();
            let mut cap = true;
            for i in 0..words {
                for &z in here.iter().filter(|_| i == words / 2) {
                    let word = if z {
                        ["Zorvath", "Zorvath", "zorvath", "ZORVATH"][rng.below(4)]
                    } else {
                        "quillmoss"
                    };
                    if zh_turn {
                        buf.push(' ');
                        buf.push_str(word);
                        buf.push(' ');
                    } else {
                        buf.push_str(word);
                        buf.push(' ');
                    }
                }
                if zh_turn {
                    if rng.below(25) == 0 {
                        // Latin words and numbers inside Chinese, with typesetting spaces.
                        let lat = if rng.below(2) == 0 {
                            format!("{}", 1950 + rng.below(75))
                        } else {
                            en[20 + rng.below(2000)].to_uppercase()
                        };
                        buf.push(' ');
                        buf.push_str(&lat);
                        buf.push(' ');
                    } else {
                        buf.push_str(&zh[zh_z.sample(&mut rng)]);
                    }
                    if rng.below(9) == 0 {
                        buf.push_str(zh_punct[rng.below(zh_punct.len())]);
                    }
                } else {
                    let mut word = en[en_z.sample(&mut rng)].clone();
                    if cap {
                        if let Some(f) = word.get_mut(..1) {
                            f.make_ascii_uppercase();
                        }
                        cap = false;
                    }
                    buf.push_str(&word);
                    if rng.below(12) == 0 {
                        buf.push_str([".", ",", "?", ","][rng.below(4)]);
                        cap = buf.ends_with('.') || buf.ends_with('?');
                    }
                    buf.push(' ');
                }
                // Hard-wrap long turns now and then, as exported captions do.
                if rng.below(60) == 0 {
                    buf.push('\n');
                }
            }
            buf.push_str("\n\n");
            turn += 1;
        }
        w.write_all(buf.as_bytes()).expect("write");
        total += buf.len();
    }
    println!("{} docs, {:.1} MB in {}", docs, total as f64 / 1e6, out.display());
}

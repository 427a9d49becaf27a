//! A made-up library of transcripts, written to a folder, for the library's tests and
//! its bench (`bench/library` includes this file): the same seed and sizes always write the
//! same bytes. Invented text only: English words built from syllables, Chinese words drawn
//! from Han characters picked at random, names made the same way.
//!
//! Every form fangtan reads: Markdown with front matter (`title:`, `date:`), sections and
//! bold `**Name：**` labels; plain text with timestamped speaker headers (`Name  0:03`, and
//! `Name (00:00:04):`); SubRip with `Name: text` cues; WebVTT with `<v Name>` voice tags;
//! JSON as segments (seconds) and as utterances (milliseconds); an HTML page of
//! `<cite>`/`<time>`/`<p>`; a Word `.docx` (stored, not compressed) with a title, headings
//! and bold names. Paragraphs mix Chinese and English with typesetting spaces
//! (`他在 2019 年说 Zorvath`), hard-wrapped where the form allows; some people speak under
//! variant spellings across files (`Satya Nadella` / `Satya` / `S. Nadella`, `张伟` /
//! `张 伟`).
//!
//! Planted: [`PLANTED`] twice in about half the documents (in mixed case, ~2,000 times in a
//! corpus of 2,000), [`RARE`] five times in all, and [`CJK_WORD`], a frequent 2-character
//! Chinese word. Neither planted word can arise by chance: the English syllables have no
//! `z` or `q`.
//!
//! Invariant: deterministic for (docs, bytes, seed); std and `zip` only.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// The planted word: ~2 times in about half the documents.
pub const PLANTED: &str = "Zorvath";
/// The rare word: 5 times in the whole corpus (fewer only if it has fewer documents).
pub const RARE: &str = "quillmoss";
/// A frequent 2-character Chinese word.
pub const CJK_WORD: &str = "数据";

/// The forms written, one after another by document number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Markdown,
    /// `Name  0:03` headers.
    PlainOtter,
    /// `Name (00:00:04):` headers.
    PlainRev,
    Srt,
    Vtt,
    JsonSegments,
    JsonUtterances,
    Html,
    Docx,
}

pub const FORMS: [Form; 9] = [
    Form::Markdown,
    Form::PlainOtter,
    Form::PlainRev,
    Form::Srt,
    Form::Vtt,
    Form::JsonSegments,
    Form::JsonUtterances,
    Form::Html,
    Form::Docx,
];

impl Form {
    pub fn ext(self) -> &'static str {
        match self {
            Form::Markdown => "md",
            Form::PlainOtter | Form::PlainRev => "txt",
            Form::Srt => "srt",
            Form::Vtt => "vtt",
            Form::JsonSegments | Form::JsonUtterances => "json",
            Form::Html => "html",
            Form::Docx => "docx",
        }
    }

    /// Bytes written per byte of spoken text, about: sizes each document's text so that
    /// its file comes near its share of the corpus.
    fn overhead(self) -> f64 {
        match self {
            Form::Markdown | Form::PlainOtter | Form::PlainRev => 1.02,
            Form::Srt => 1.48,
            Form::Vtt => 1.40,
            Form::JsonSegments | Form::JsonUtterances => 1.81,
            Form::Html => 1.12,
            Form::Docx => 1.33,
        }
    }
}

/// What was written for one document.
#[derive(Debug, Clone)]
pub struct Written {
    /// Relative to the corpus folder.
    pub path: PathBuf,
    pub form: Form,
    /// Its title, where the form carries one (front matter, `.docx` title, HTML title).
    pub title: Option<String>,
    /// The `date:` of its front matter (Markdown only).
    pub date: Option<String>,
    /// Speakers as written, by first appearance.
    pub speakers: Vec<String>,
    /// How many times [`PLANTED`] and [`RARE`] were put in.
    pub planted: usize,
    pub rare: usize,
    /// Its size on disk.
    pub bytes: u64,
}

/// A small seeded generator (splitmix64): the same seed, the same numbers, everywhere.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5eed_1e55_c0ff_ee00)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// In `0..n` (`n` at least 1).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// In `0..n`, small numbers far more often (rank-like).
    pub fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((u * u * u) * n as f64) as usize % n.max(1)
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const ONSETS: &[&str] = &[
    "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st",
    "tr", "pl", "gr", "sh", "ch", "th", "br", "cl", "",
];
const NUCLEI: &[&str] = &["a", "e", "i", "o", "u", "ea", "ou", "ai", "io", "y"];
const CODAS: &[&str] = &["", "", "n", "r", "s", "t", "l", "nd", "ng", "ck", "m", "st", "x"];
const FUNCTION: &[&str] = &[
    "the", "and", "of", "to", "a", "in", "that", "is", "it", "we", "you", "was", "for", "on",
    "with", "so", "but", "they", "this", "what", "not", "be", "have", "at", "think", "really",
    "just", "like", "know", "about", "people", "when", "there",
];
const ZH_PUNCT: &[&str] = &["，", "，", "，", "。", "。", "？", "、", "！"];

/// The words and names a corpus is made of (the same for every seed: only the documents
/// vary).
struct Lexicon {
    en: Vec<String>,
    zh: Vec<String>,
    people: Vec<Vec<String>>,
}

fn syllables(rng: &mut Rng, most: usize) -> String {
    let mut w = String::new();
    for _ in 0..1 + rng.below(most) {
        w.push_str(ONSETS[rng.below(ONSETS.len())]);
        w.push_str(NUCLEI[rng.below(NUCLEI.len())]);
        w.push_str(CODAS[rng.below(CODAS.len())]);
    }
    w
}

fn capitalized(w: &str) -> String {
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

impl Lexicon {
    fn new() -> Lexicon {
        let mut rng = Rng::new(0x1e71_c0de);
        let mut en: Vec<String> = FUNCTION.iter().map(|s| s.to_string()).collect();
        while en.len() < 3_000 {
            let w = syllables(&mut rng, 3);
            if w.len() > 1 {
                en.push(w);
            }
        }
        // Han characters from the unified block, at random; a few hundred of them, so
        // that 1- to 4-character strings taken from the text recur.
        let han: Vec<char> = (0..700)
            .filter_map(|_| char::from_u32(0x4E00 + rng.below(0x9FA5 - 0x4E00) as u32))
            .collect();
        let mut zh = Vec::new();
        while zh.len() < 4_000 {
            let len = [1, 2, 2, 2, 2, 3, 4][rng.below(7)];
            let w: String = (0..len).map(|_| han[rng.skewed(han.len())]).collect();
            if !w.contains(CJK_WORD) {
                zh.push(w);
            }
        }
        // Frequent: among the first ranks.
        zh.insert(3, CJK_WORD.to_string());
        let mut people = vec![
            vec!["Satya Nadella".to_string(), "Satya".to_string(), "S. Nadella".to_string()],
            vec!["张伟".to_string(), "张 伟".to_string()],
        ];
        while people.len() < 40 {
            let name = if people.len() % 2 == 0 {
                format!(
                    "{} {}",
                    capitalized(&syllables(&mut rng, 2)),
                    capitalized(&syllables(&mut rng, 2))
                )
            } else {
                (0..2 + rng.below(2)).map(|_| han[rng.below(200)]).collect()
            };
            if name.chars().count() > 1 && !people.iter().any(|p| p[0] == name) {
                people.push(vec![name]);
            }
        }
        Lexicon { en, zh, people }
    }

    fn en_word(&self, rng: &mut Rng) -> &str {
        &self.en[rng.skewed(self.en.len())]
    }

    fn zh_word(&self, rng: &mut Rng) -> &str {
        &self.zh[rng.skewed(self.zh.len())]
    }

    fn english(&self, rng: &mut Rng, out: &mut String) {
        let n = 5 + rng.below(14);
        for i in 0..n {
            let w = self.en_word(rng);
            if i == 0 {
                out.push_str(&capitalized(w));
            } else {
                out.push(' ');
                if rng.chance(0.03) {
                    let _ = write!(out, "{}", 1950 + rng.below(80));
                } else {
                    out.push_str(w);
                }
            }
        }
        out.push_str(if rng.chance(0.2) { "?" } else { "." });
    }

    fn chinese(&self, rng: &mut Rng, out: &mut String) {
        let n = 4 + rng.below(12);
        for i in 0..n {
            if i > 0 && rng.chance(0.08) {
                // Latin words and numbers inside Chinese, set apart by spaces.
                if !out.ends_with(' ') {
                    out.push(' ');
                }
                if rng.chance(0.5) {
                    let _ = write!(out, "{}", 1990 + rng.below(35));
                } else {
                    out.push_str(&capitalized(self.en_word(rng)));
                }
                out.push(' ');
            } else {
                out.push_str(self.zh_word(rng));
            }
            if i + 1 < n && rng.chance(0.12) {
                out.push_str(ZH_PUNCT[rng.below(3)]);
            }
        }
        out.push_str(if rng.chance(0.2) { "？" } else { "。" });
    }

    /// A paragraph of a few sentences: Chinese, English, or both.
    fn paragraph(&self, rng: &mut Rng, chinese_share: f64) -> String {
        let mut out = String::new();
        for i in 0..1 + rng.below(5) {
            let zh = rng.chance(chinese_share);
            if i > 0 && !zh {
                out.push(' ');
            }
            if zh {
                self.chinese(rng, &mut out);
            } else {
                self.english(rng, &mut out);
            }
        }
        out
    }
}

/// A word put in a paragraph: an English or a Chinese sentence holding it.
fn planted_sentence(rng: &mut Rng, word: &str) -> String {
    let cased = match rng.below(4) {
        0 => word.to_lowercase(),
        1 => word.to_uppercase(),
        _ => capitalized(word),
    };
    match rng.below(3) {
        0 => format!("他在 {} 年说 {cased}，然后走了。", 1990 + rng.below(35)),
        1 => format!("We met {cased} in {}.", 1990 + rng.below(35)),
        _ => format!("{cased} 的故事很长。"),
    }
}

struct Turn {
    speaker: usize,
    start_s: u64,
    end_s: u64,
    paras: Vec<String>,
}

struct Section {
    title: String,
    turns: Vec<Turn>,
}

struct Doc {
    title: String,
    date: String,
    /// Names as written in this document.
    cast: Vec<String>,
    sections: Vec<Section>,
}

fn make_doc(lex: &Lexicon, rng: &mut Rng, index: usize, text_bytes: usize) -> Doc {
    // Host and guests; each person under one of their spellings in this document.
    let mut people: Vec<usize> = Vec::new();
    let want = 2 + rng.below(3);
    if index.is_multiple_of(3) {
        people.push(0);
    }
    if index % 4 == 1 {
        people.push(1);
    }
    while people.len() < want {
        let p = 2 + rng.below(lex.people.len() - 2);
        if !people.contains(&p) {
            people.push(p);
        }
    }
    let cast: Vec<String> = people
        .iter()
        .map(|&p| {
            let spellings = &lex.people[p];
            spellings[(index / 3 + p) % spellings.len()].clone()
        })
        .collect();
    let chinese_share = [0.2, 0.5, 0.8][index % 3];
    let sections_wanted = 2 + rng.below(4);
    let per_section = text_bytes / sections_wanted + 1;
    let mut sections = Vec::new();
    let mut clock = rng.below(20) as u64;
    let mut written = 0;
    let mut last = usize::MAX;
    for s in 0..sections_wanted {
        let title = if rng.chance(0.5) {
            format!("第{}部分 {}", s + 1, lex.zh_word(rng))
        } else {
            format!("Part {}: {}", s + 1, capitalized(lex.en_word(rng)))
        };
        let mut turns = Vec::new();
        let mut here = 0;
        while here < per_section || turns.is_empty() {
            let mut speaker = rng.below(cast.len());
            if speaker == last {
                speaker = (speaker + 1) % cast.len();
            }
            last = speaker;
            let paras: Vec<String> =
                (0..1 + rng.below(3)).map(|_| lex.paragraph(rng, chinese_share)).collect();
            let len: usize = paras.iter().map(|p| p.len() + 2).sum();
            let start_s = clock;
            clock += 2 + (len / 12) as u64;
            turns.push(Turn { speaker, start_s, end_s: clock, paras });
            clock += rng.below(3) as u64;
            here += len + 12;
        }
        written += here;
        sections.push(Section { title, turns });
        if written >= text_bytes {
            break;
        }
    }
    let title = if index.is_multiple_of(2) {
        format!("第{}集：{}{}", index + 1, lex.zh_word(rng), lex.zh_word(rng))
    } else {
        format!("Episode {}: {} {}", index + 1, capitalized(lex.en_word(rng)), lex.en_word(rng))
    };
    let date =
        format!("20{:02}-{:02}-{:02}", 15 + rng.below(10), 1 + rng.below(12), 1 + rng.below(28));
    Doc { title, date, cast, sections }
}

/// Puts `word` into `count` random paragraphs of `doc`.
fn plant(doc: &mut Doc, rng: &mut Rng, word: &str, count: usize) {
    for _ in 0..count {
        let s = rng.below(doc.sections.len());
        let section = &mut doc.sections[s];
        let t = rng.below(section.turns.len());
        let turn = &mut section.turns[t];
        let p = rng.below(turn.paras.len());
        let para = &mut turn.paras[p];
        if !para.ends_with(['。', '？', '！']) {
            para.push(' ');
        }
        para.push_str(&planted_sentence(rng, word));
    }
}

/// `text` broken into lines of about `width` columns (a Han character counts two): at a
/// space, or between two Han characters; never inside a Latin word.
fn hard_wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / width);
    let mut col = 0;
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let wide = !c.is_ascii();
        if col >= width {
            if c == ' ' {
                out.push('\n');
                col = 0;
                prev = None;
                continue;
            }
            if wide && prev.is_some_and(is_han) && is_han(c) {
                out.push('\n');
                col = 0;
            }
        }
        out.push(c);
        col += if wide { 2 } else { 1 };
        prev = Some(c);
    }
    out
}

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

fn is_chinese_name(name: &str) -> bool {
    name.chars().any(is_han)
}

/// `Name：` for Chinese names, `Name:` otherwise.
fn label(name: &str) -> String {
    if is_chinese_name(name) { format!("{name}：") } else { format!("{name}:") }
}

fn hms(s: u64) -> String {
    format!("{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
}

fn short_time(s: u64) -> String {
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

fn json_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn xml_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The sentences of a paragraph, for forms that give each its own cue or segment.
fn sentences(para: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in para.char_indices() {
        if matches!(c, '。' | '？' | '！' | '.' | '?') {
            let end = i + c.len_utf8();
            // A Latin full stop ends a sentence only before a space (not `S. Nadella`).
            if matches!(c, '.' | '?') && !para[end..].starts_with(' ') && end < para.len() {
                continue;
            }
            let s = para[start..end].trim();
            if !s.is_empty() {
                out.push(s);
            }
            start = end;
        }
    }
    let rest = para[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// Times for the sentences of a turn, spread over it.
fn spread(turn: &Turn, count: usize) -> Vec<(u64, u64)> {
    let span = (turn.end_s - turn.start_s).max(count as u64);
    (0..count as u64)
        .map(|i| {
            let a = turn.start_s + span * i / count as u64;
            let b = turn.start_s + span * (i + 1) / count as u64;
            (a, b.max(a + 1))
        })
        .collect()
}

fn turns(doc: &Doc) -> impl Iterator<Item = &Turn> {
    doc.sections.iter().flat_map(|s| s.turns.iter())
}

fn render(doc: &Doc, form: Form) -> Vec<u8> {
    let mut o = String::new();
    let name = |t: &Turn| doc.cast[t.speaker].as_str();
    match form {
        Form::Markdown => {
            let _ = write!(o, "---\ntitle: {}\ndate: {}\n---\n\n", doc.title, doc.date);
            for s in &doc.sections {
                let _ = write!(o, "## {}\n\n", s.title);
                for t in &s.turns {
                    for (i, p) in t.paras.iter().enumerate() {
                        let text =
                            if i == 0 { format!("**{}** {p}", label(name(t))) } else { p.clone() };
                        o.push_str(&hard_wrap(&text, 76));
                        o.push_str("\n\n");
                    }
                }
            }
        }
        Form::PlainOtter | Form::PlainRev => {
            let _ = write!(o, "{}\n\n", doc.title);
            for t in turns(doc) {
                if form == Form::PlainOtter {
                    let _ = writeln!(o, "{}  {}", name(t), short_time(t.start_s));
                } else {
                    let _ = writeln!(o, "{} ({}):", name(t), hms(t.start_s));
                }
                let body: Vec<String> = t.paras.iter().map(|p| hard_wrap(p, 80)).collect();
                o.push_str(&body.join("\n"));
                o.push_str("\n\n");
            }
        }
        Form::Srt | Form::Vtt => {
            if form == Form::Vtt {
                o.push_str("WEBVTT\n\n");
            }
            let mut cue = 0;
            for t in turns(doc) {
                let said: Vec<&str> = t.paras.iter().flat_map(|p| sentences(p)).collect();
                for ((a, b), line) in spread(t, said.len()).into_iter().zip(said) {
                    cue += 1;
                    if form == Form::Srt {
                        let _ = write!(
                            o,
                            "{cue}\n{},000 --> {},000\n{} {line}\n\n",
                            hms(a),
                            hms(b),
                            label(name(t))
                        );
                    } else {
                        let _ = write!(
                            o,
                            "{}.000 --> {}.000\n<v {}>{line}\n\n",
                            hms(a),
                            hms(b),
                            name(t)
                        );
                    }
                }
            }
        }
        Form::JsonSegments | Form::JsonUtterances => {
            let ms = form == Form::JsonUtterances;
            let _ = writeln!(o, "{{\"{}\": [", if ms { "utterances" } else { "segments" });
            let mut first = true;
            for t in turns(doc) {
                let said: Vec<&str> = t.paras.iter().flat_map(|p| sentences(p)).collect();
                for ((a, b), line) in spread(t, said.len()).into_iter().zip(said) {
                    if !first {
                        o.push_str(",\n");
                    }
                    first = false;
                    if ms {
                        let _ = write!(
                            o,
                            "{{\"speaker\": {}, \"start\": {}, \"end\": {}, \"text\": {}}}",
                            json_str(name(t)),
                            a * 1000 + 120,
                            b * 1000,
                            json_str(line)
                        );
                    } else {
                        let _ = write!(
                            o,
                            "{{\"start\": {}.25, \"end\": {}.0, \"text\": {}, \"speaker\": {}}}",
                            a,
                            b,
                            json_str(&format!(" {line}")),
                            json_str(name(t))
                        );
                    }
                }
            }
            o.push_str("\n]}\n");
        }
        Form::Html => {
            let _ = write!(
                o,
                "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head><body>\n",
                xml_text(&doc.title)
            );
            for t in turns(doc) {
                let _ = write!(
                    o,
                    "<cite>{}</cite>\n<time>{}</time>\n",
                    xml_text(&label(name(t))),
                    short_time(t.start_s)
                );
                for p in &t.paras {
                    let _ = writeln!(o, "<p>{}</p>", xml_text(p));
                }
            }
            o.push_str("</body></html>\n");
        }
        Form::Docx => return docx(doc),
    }
    o.into_bytes()
}

fn docx(doc: &Doc) -> Vec<u8> {
    let para = |style: Option<&str>, runs: &str| match style {
        Some(s) => format!("<w:p><w:pPr><w:pStyle w:val=\"{s}\"/></w:pPr>{runs}</w:p>\n"),
        None => format!("<w:p>{runs}</w:p>\n"),
    };
    let run =
        |text: &str| format!("<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>", xml_text(text));
    let bold =
        |text: &str| format!("<w:r><w:rPr><w:b/></w:rPr><w:t>{}</w:t></w:r>", xml_text(text));
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\n",
    );
    body.push_str(&para(Some("Title"), &run(&doc.title)));
    for s in &doc.sections {
        body.push_str(&para(Some("Heading1"), &run(&s.title)));
        for t in &s.turns {
            for (i, p) in t.paras.iter().enumerate() {
                if i == 0 {
                    let name = &doc.cast[t.speaker];
                    body.push_str(&para(
                        None,
                        &format!("{}{}", bold(&label(name)), run(&format!(" {p}"))),
                    ));
                } else {
                    body.push_str(&para(None, &run(p)));
                }
            }
        }
    }
    body.push_str("</w:body></w:document>\n");
    let types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>";
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>";
    let parts: [(&str, &[u8]); 3] = [
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", body.as_bytes()),
    ];
    let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
    // Stored, not deflated: the words stay visible to a byte scanner such as ripgrep, so
    // that the bench compares like with like.
    let opts: zip::write::SimpleFileOptions =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in parts {
        w.start_file(name, opts).expect("zip entry");
        w.write_all(bytes).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

/// The relative path of document `index` (folders of a hundred).
pub fn path_of(index: usize, form: Form) -> PathBuf {
    PathBuf::from(format!("season{:02}/ep{:04}.{}", index / 100 + 1, index + 1, form.ext()))
}

/// Writes `docs` transcripts of about `bytes` bytes in all under `dir`, in every form in
/// turn ([`FORMS`]); deterministic for the three numbers.
pub fn generate(dir: &Path, docs: usize, bytes: u64, seed: u64) -> io::Result<Vec<Written>> {
    let lex = Lexicon::new();
    let share = (bytes / docs.max(1) as u64) as f64;
    // Documents that hold the rare word: five spread over the corpus.
    let rare_at: Vec<usize> =
        (0..5.min(docs)).map(|k| k * docs / 5.min(docs).max(1) + docs / 10).collect();
    let mut out = Vec::with_capacity(docs);
    for index in 0..docs {
        let mut rng = Rng::new(seed.wrapping_mul(0x100_0000_01B3) ^ index as u64);
        let form = FORMS[index % FORMS.len()];
        let size = share * (0.6 + 0.8 * rng.unit()) / form.overhead();
        let mut doc = make_doc(&lex, &mut rng, index, size as usize);
        let planted = if rng.chance(0.5) { 2 } else { 0 };
        plant(&mut doc, &mut rng, PLANTED, planted);
        let rare = rare_at.iter().filter(|&&i| i.min(docs - 1) == index).count();
        plant(&mut doc, &mut rng, RARE, rare);
        let bytes = render(&doc, form);
        let rel = path_of(index, form);
        let full = dir.join(&rel);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&full, &bytes)?;
        let mut speakers: Vec<String> = Vec::new();
        for t in turns(&doc) {
            let n = &doc.cast[t.speaker];
            if !speakers.contains(n) {
                speakers.push(n.clone());
            }
        }
        out.push(Written {
            path: rel,
            form,
            title: matches!(form, Form::Markdown | Form::Docx | Form::Html)
                .then(|| doc.title.clone()),
            date: (form == Form::Markdown).then(|| doc.date.clone()),
            speakers,
            planted,
            rare,
            bytes: bytes.len() as u64,
        });
    }
    Ok(out)
}

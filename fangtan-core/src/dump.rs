//! Text and JSON views of a document, for `fangtan dump`, `outline`, `speakers`, `quotes`.
//! `speakers` prints the numbers of [`crate::talk`], the reader's talk-share panel's.
//!
//! The `dump` JSON and the `speakers` JSON are contracts read by other tools (documented
//! in the README): fields keep their names; new fields may be added.
//!
//! Nothing the reader shows is lost from `dump`, and nothing is told twice: the title,
//! `meta`, section titles, the turns' `paragraphs` and the top-level `paragraphs` (every
//! block outside turns: a preamble, notes between sections, a caption file without
//! speakers) hold each word of the text once. `highlights` repeat words of their turn;
//! images and rules carry no text and are left out.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq};

use crate::doc::{BlockKind, Document, Item, TimeMark, narrow};
use crate::talk::{CJK_PER_SECOND, Talk, WORDS_PER_SECOND, length};
use crate::width::{AmbiguousWidth, first_words, str_width};

#[derive(Serialize)]
struct DumpDoc<'a> {
    format: &'a str,
    title: Option<&'a str>,
    meta: Meta<'a>,
    sections: Vec<DumpSection<'a>>,
    speakers: Vec<DumpSpeaker<'a>>,
    turns: Vec<DumpTurn<'a>>,
    paragraphs: Vec<DumpParagraph<'a>>,
    had_control_chars: bool,
}

/// Meta keys in document order.
struct Meta<'a>(&'a Document);

impl Serialize for Meta<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.meta.len()))?;
        for e in &self.0.meta {
            m.serialize_entry(&e.key, &e.value)?;
        }
        m.end()
    }
}

#[derive(Serialize)]
struct DumpSection<'a> {
    title: &'a str,
    level: u8,
    turns: usize,
    sections: Vec<DumpSection<'a>>,
}

#[derive(Serialize)]
struct DumpSpeaker<'a> {
    name: &'a str,
    display: &'a str,
    turns: usize,
}

#[derive(Serialize)]
struct DumpTurn<'a> {
    speaker: &'a str,
    section: Option<&'a str>,
    start: Option<String>,
    end: Option<String>,
    paragraphs: Vec<&'a str>,
    /// Per paragraph, its timed stretches `[start_ms, end_ms]`, or `null`.
    times: Vec<Times<'a>>,
    highlights: Vec<&'a str>,
}

/// A paragraph's timed stretches as `[[start_ms, end_ms], …]` (either may be `null`), or
/// `null` when the source gave the paragraph no times.
struct Times<'a>(&'a [TimeMark]);

impl Serialize for Times<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_empty() {
            return s.serialize_none();
        }
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for m in self.0 {
            seq.serialize_element(&[m.start_ms(), m.end_ms()])?;
        }
        seq.end()
    }
}

/// A block outside any turn.
#[derive(Serialize)]
struct DumpParagraph<'a> {
    section: Option<&'a str>,
    /// How many turns come before it: `paragraphs` and `turns` interleave into reading order.
    turns_before: usize,
    kind: &'static str,
    start: Option<String>,
    text: &'a str,
    times: Times<'a>,
}

fn kind_name(kind: BlockKind) -> &'static str {
    match kind {
        BlockKind::Paragraph => "paragraph",
        BlockKind::ListItem { .. } => "list_item",
        BlockKind::BlockQuote => "block_quote",
        BlockKind::Code => "code",
        BlockKind::Image => "image",
        BlockKind::Rule => "rule",
        BlockKind::Subheading => "subheading",
        BlockKind::Aside => "aside",
        BlockKind::Table => "table",
        BlockKind::Footnote => "footnote",
    }
}

/// Blocks carrying text: images and rules have none to show.
fn has_text(kind: BlockKind) -> bool {
    !matches!(kind, BlockKind::Image | BlockKind::Rule)
}

/// Every text block outside turns, in reading order.
fn paragraphs(doc: &Document) -> Vec<DumpParagraph<'_>> {
    let mut out = Vec::new();
    let mut section = None;
    let mut turns_before = 0;
    for (i, item) in doc.items.iter().enumerate() {
        match item {
            Item::Heading(s) => section = Some(*s as usize),
            Item::Turn(_) => turns_before += 1,
            Item::Block(_) => {
                for (bi, b) in doc.item_blocks(i).iter().enumerate() {
                    if !has_text(b.kind) {
                        continue;
                    }
                    out.push(DumpParagraph {
                        section: doc.section_title(section),
                        turns_before,
                        kind: kind_name(b.kind),
                        start: doc.block_start_ms(i, bi).map(format_time),
                        text: b.text,
                        times: Times(doc.block_times(i, bi)),
                    });
                }
            }
        }
    }
    out
}

/// `hh:mm:ss` (with `.mmm` when the source had milliseconds).
pub fn format_time(ms: u64) -> String {
    let (h, m, s, f) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    if f == 0 { format!("{h:02}:{m:02}:{s:02}") } else { format!("{h:02}:{m:02}:{s:02}.{f:03}") }
}

/// A time-based part's label time: `hh:mm:ss`, whole seconds.
pub fn part_time(ms: u64) -> String {
    format_time(ms / 1000 * 1000)
}

/// The section tree under `parent`; `children[p]` lists the sections whose parent is `p`
/// (grouped once, so a big archive's tree is not searched once per section).
fn sections<'d>(
    doc: &'d Document,
    children: &[Vec<usize>],
    list: &[usize],
) -> Vec<DumpSection<'d>> {
    list.iter()
        .map(|&i| {
            let s = &doc.sections[i];
            DumpSection {
                title: &s.title,
                level: s.level,
                turns: s.turns.len(),
                sections: sections(doc, children, &children[i]),
            }
        })
        .collect()
}

/// `fangtan dump`: the document tree as JSON.
pub fn json(doc: &Document) -> String {
    // Quotes are in document order, so each turn's quotes are one contiguous stretch.
    let mut quotes_of: Vec<Vec<&str>> = vec![Vec::new(); doc.turns.len()];
    for q in &doc.quotes {
        quotes_of[q.turn].push(doc.quote_text(q));
    }
    let mut top = Vec::new();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); doc.sections.len()];
    for (i, s) in doc.sections.iter().enumerate() {
        match s.parent {
            Some(p) => children[p].push(i),
            None => top.push(i),
        }
    }
    let d = DumpDoc {
        format: doc.format.map_or("plain", |f| f.name()),
        title: doc.title.as_ref().map(|t| t.text.as_str()),
        meta: Meta(doc),
        sections: sections(doc, &children, &top),
        speakers: doc
            .speakers
            .iter()
            .map(|s| DumpSpeaker { name: &s.name, display: s.display(), turns: s.turn_count() })
            .collect(),
        turns: doc
            .turns
            .iter()
            .enumerate()
            .map(|(ti, t)| {
                let blocks = doc.turn_blocks(ti);
                let text = || blocks.iter().enumerate().filter(|(_, b)| has_text(b.kind));
                DumpTurn {
                    speaker: &doc.speakers[t.speaker()].name,
                    section: doc.section_title(t.section()),
                    start: t.start_ms().map(format_time),
                    end: t.end_ms().map(format_time),
                    paragraphs: text().map(|(_, b)| b.text).collect(),
                    times: text().map(|(k, _)| Times(doc.block_times(t.item(), k))).collect(),
                    highlights: std::mem::take(&mut quotes_of[ti]),
                }
            })
            .collect(),
        paragraphs: paragraphs(doc),
        had_control_chars: doc.had_control_chars,
    };
    let mut s = serde_json::to_string_pretty(&d).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

fn turn_preview(doc: &Document, t: usize) -> String {
    let text = doc.turn_blocks(t).iter().find(|b| !b.text.is_empty()).map_or("", |b| b.text);
    first_words(text, 40, AmbiguousWidth::Narrow)
}

/// `fangtan outline`: sections and turns as an indented tree (a document without turns
/// whose paragraphs have times: sections and its time-based parts).
pub fn outline(doc: &Document) -> String {
    let mut out = String::new();
    if let Some(t) = &doc.title {
        out.push_str(&t.text);
        out.push('\n');
    }
    let parts = doc.timed_parts();
    let mut depth = 0usize;
    for (i, item) in doc.items.iter().enumerate() {
        match item {
            Item::Heading(s) => {
                let sec = &doc.sections[*s as usize];
                let mut d = 0;
                let mut p = sec.parent;
                while let Some(x) = p {
                    d += 1;
                    p = doc.sections[x].parent;
                }
                depth = d + 1;
                out.push_str(&format!("{}§ {}\n", "  ".repeat(d), sec.title));
            }
            Item::Turn(t) => {
                let turn = &doc.turns[*t as usize];
                let time =
                    turn.start_ms().map(|ms| format!("[{}] ", format_time(ms))).unwrap_or_default();
                out.push_str(&format!(
                    "{}{}{}: {}\n",
                    "  ".repeat(depth),
                    time,
                    doc.speaker_name(turn.speaker()),
                    turn_preview(doc, *t as usize)
                ));
            }
            Item::Block(_) if parts.binary_search(&narrow(i)).is_ok() => {
                let ms = doc.block_start_ms(i, 0).unwrap_or(0);
                let text = doc.item_blocks(i).first().map_or("", |b| b.text);
                out.push_str(&format!(
                    "{}[{}] {}\n",
                    "  ".repeat(depth),
                    part_time(ms),
                    first_words(text, 40, AmbiguousWidth::Narrow)
                ));
            }
            Item::Block(_) => {}
        }
    }
    out
}

/// `fangtan speakers`: name, turns, share of the talk ([`Talk`]), time spoken (`~` when
/// estimated), and the pace where the transcript has times.
pub fn speakers(doc: &Document) -> String {
    let talk = Talk::of(doc);
    let name_w = doc
        .speakers
        .iter()
        .map(|s| str_width(s.display(), AmbiguousWidth::Narrow))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (t, s) in talk.speakers.iter().zip(&doc.speakers) {
        let pad = name_w - str_width(s.display(), AmbiguousWidth::Narrow);
        // `1 turn `: the percentages stay in one column.
        let turns = if t.turns == 1 { "turn " } else { "turns" };
        let time = length(t.seconds, t.estimated_turns > 0);
        out.push_str(&format!(
            "{}. {}{}  {:>4} {turns}  {:>5.1}%  {time:>8}",
            t.speaker + 1,
            s.display(),
            " ".repeat(pad),
            t.turns,
            t.share,
        ));
        if let Some(p) = t.pace() {
            out.push_str(&format!("  {:>4.0} {}", p.per_minute, p.unit()));
        }
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct SpeakersJson<'a> {
    basis: &'static str,
    rule: String,
    rates: Rates,
    total_seconds: f64,
    timed_turns: usize,
    estimated_turns: usize,
    speakers: Vec<SpeakerJson<'a>>,
}

#[derive(Serialize)]
struct Rates {
    cjk_chars_per_second: f64,
    words_per_second: f64,
}

#[derive(Serialize)]
struct SpeakerJson<'a> {
    name: &'a str,
    display: &'a str,
    turns: usize,
    share: f64,
    seconds: f64,
    estimated_turns: usize,
    longest_turn_seconds: f64,
    average_turn_seconds: f64,
    cjk_chars: usize,
    words: usize,
    per_minute: Option<f64>,
    per_minute_unit: Option<&'static str>,
}

/// Rounded for print: a tenth of a second, a hundredth of a percent.
fn round(x: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (x * k).round() / k
}

/// `fangtan speakers --format json` (`--output json` is an alias): the same numbers as the
/// text, as JSON (documented in the README).
pub fn speakers_json(doc: &Document) -> String {
    let talk = Talk::of(doc);
    let d = SpeakersJson {
        basis: talk.basis.name(),
        rule: talk.rule(),
        rates: Rates { cjk_chars_per_second: CJK_PER_SECOND, words_per_second: WORDS_PER_SECOND },
        total_seconds: round(talk.total_seconds, 1),
        timed_turns: talk.timed_turns,
        estimated_turns: talk.estimated_turns,
        speakers: talk
            .speakers
            .iter()
            .zip(&doc.speakers)
            .map(|(t, s)| {
                let pace = t.pace();
                SpeakerJson {
                    name: &s.name,
                    display: s.display(),
                    turns: t.turns,
                    share: round(t.share, 2),
                    seconds: round(t.seconds, 1),
                    estimated_turns: t.estimated_turns,
                    longest_turn_seconds: round(t.longest, 1),
                    average_turn_seconds: round(t.average(), 1),
                    cjk_chars: t.counts.cjk,
                    words: t.counts.words,
                    per_minute: pace.map(|p| round(p.per_minute, 1)),
                    per_minute_unit: pace.map(|p| if p.cjk { "cjk_chars" } else { "words" }),
                }
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&d).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// `fangtan quotes`: each quote with its speaker and section.
pub fn quotes(doc: &Document) -> String {
    let mut out = String::new();
    for (i, q) in doc.quotes.iter().enumerate() {
        let turn = &doc.turns[q.turn];
        out.push_str(&format!(
            "{}. {}\n   — {}",
            i + 1,
            doc.quote_text(q),
            doc.speaker_name(turn.speaker())
        ));
        if let Some(s) = doc.section_title(turn.section()) {
            out.push_str(&format!(", {s}"));
        }
        out.push('\n');
    }
    out
}

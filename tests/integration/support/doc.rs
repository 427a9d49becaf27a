//! Helpers shared by the parser tests: what a document says, in the shapes tests compare.
#![allow(dead_code)]

use fangtan::doc::{Block, Document, Format};
use fangtan::parse::{ParseOptions, parse};

pub fn parse_as(format: Format, src: &str) -> Document {
    let opts = ParseOptions { format: Some(format), ..ParseOptions::default() };
    parse(src.to_string(), &opts)
}

pub fn speakers(doc: &Document) -> Vec<&str> {
    doc.speakers.iter().map(|s| s.name.as_str()).collect()
}

/// The speaker name of every turn, in order.
pub fn turn_speakers(doc: &Document) -> Vec<&str> {
    doc.turns.iter().map(|t| doc.speakers[t.speaker()].name.as_str()).collect()
}

pub fn turn_texts(doc: &Document, turn: usize) -> Vec<&str> {
    doc.turn_blocks(turn).iter().map(|b| b.text).collect()
}

/// Every block in reading order, inside turns or not.
pub fn all_blocks(doc: &Document) -> Vec<Block<'_>> {
    (0..doc.items.len()).flat_map(|i| doc.item_blocks(i)).collect()
}

/// The whole tree, one line per body item and per block: kind, list marker, image target,
/// text, inline runs and source range. Two documents read differently (whole, in parts)
/// are the same tree when these are equal; `dump` leaves out most of it.
pub fn tree(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for (i, item) in doc.items.iter().enumerate() {
        out.push(match *item {
            fangtan::doc::Item::Heading(s) => {
                let s = &doc.sections[s as usize];
                format!("heading {} {:?} {:?}", s.level, s.title, s.src)
            }
            fangtan::doc::Item::Turn(t) => {
                let t = &doc.turns[t as usize];
                let who = &doc.speakers[t.speaker()].name;
                let (start, end) = (t.start_ms(), t.end_ms());
                format!("turn {who} {start:?}-{end:?} {:?} {:?}", t.src, t.label_src)
            }
            fangtan::doc::Item::Block(_) => "block".to_string(),
        });
        for (k, b) in doc.item_blocks(i).iter().enumerate() {
            out.push(format!(
                "  {:?} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
                b.kind,
                b.marker(),
                b.url(),
                b.text,
                b.runs,
                b.src,
                doc.block_times(i, k),
                doc.block_words(i, k),
            ));
        }
    }
    out
}

/// A timed talk for listening: turns by two speakers, each with its start time in the
/// label and a bold quote. Passage 0 starts at 00:01:50, passage 1 at 00:02:03 and each
/// later one 3 s after the one before (passage `k` at 123 + 3(k-1) s), `n` passages in all.
pub fn timed_talk(n: usize) -> String {
    let mut s = String::from("# Harbour night shift\n\n");
    for k in 0..n {
        let t = if k == 0 { 110 } else { 123 + 3 * (k - 1) };
        let at = format!("{:02}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60);
        let who = if k % 2 == 0 { "Ines" } else { "Mara" };
        s.push_str(&format!(
            "**{who} ({at}):** Passage number {k} at {at}, about the **night cranes {k}** \
             and the quay.\n\n"
        ));
    }
    s
}

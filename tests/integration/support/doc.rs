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

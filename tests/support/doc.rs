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

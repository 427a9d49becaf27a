//! Text and JSON views of a document, for `fangtan dump`, `outline`, `speakers`, `quotes`.
//! The `dump` JSON is a contract read by other tools: fields keep their names.

use crate::doc::Document;

pub fn json(doc: &Document) -> String {
    let _ = doc;
    String::from("{}\n")
}
pub fn outline(doc: &Document) -> String {
    let _ = doc;
    String::new()
}
pub fn speakers(doc: &Document) -> String {
    let _ = doc;
    String::new()
}
pub fn quotes(doc: &Document) -> String {
    let _ = doc;
    String::new()
}

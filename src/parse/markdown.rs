//! Markdown transcripts, including WeChat/公众号 exports.

use super::Builder;

pub fn looks_like_markdown(text: &str) -> bool {
    let _ = text;
    true
}

pub fn parse(b: &mut Builder) {
    let _ = b;
}

//! Plain-text transcripts.

use super::Builder;

pub fn parse(b: &mut Builder) {
    let _ = b;
}

//! WebVTT transcripts: `<v Name>` voice tags name the speaker.

use super::Builder;

pub fn parse(b: &mut Builder) {
    let _ = b;
    todo!("subtitle helper implements")
}

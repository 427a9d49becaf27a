//! SubRip (`.srt`) transcripts: numbered cues with `-->` timings; `NAME:` at the start of a
//! cue names the speaker, a cue without one continues the current speaker.

use super::Builder;

/// Numbered cues with `-->` timings.
pub fn looks_like_srt(head: &str) -> bool {
    let _ = head;
    false
}

pub fn parse(b: &mut Builder) {
    let _ = b;
    todo!("subtitle helper implements")
}

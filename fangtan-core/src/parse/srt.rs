//! SubRip (`.srt`) transcripts (stage 2): numbered cues with `-->` timings; `NAME:` or
//! `[SPEAKER_01]` at the start of a cue line names the speaker (as the file establishes such
//! labels: see [`cue`]), a cue without one continues the current speaker. Rolling captions
//! are read with each word once.
//!
//! Lenient: a cue is everything from its timing line to the next timing line, so missing
//! numbers, blank lines inside cues and trailing garbage all survive; the number line
//! just before a timing line is dropped. Text before the first cue is kept as body text.

use super::Builder;
use super::vtt::cue::{self, Cue, Dialect, Timing};

/// Numbered cues with `-->` timings: the first non-blank lines are a number and a timing
/// line (or, with the number missing, a timing line).
pub fn looks_like_srt(head: &str) -> bool {
    let mut lines = cue::lines(head).map(|(_, l)| l.trim()).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else { return false };
    let first = first.trim_start_matches('\u{feff}');
    if is_timing(first) {
        return true;
    }
    is_number(first) && lines.next().is_some_and(is_timing)
}

fn is_number(line: &str) -> bool {
    !line.is_empty() && line.len() <= 12 && line.bytes().all(|b| b.is_ascii_digit())
}

/// A timing line with both times readable.
fn is_timing(line: &str) -> bool {
    cue::parse_timing(line).is_some_and(|t| t.end_ms.is_some())
}

pub fn parse(b: &mut Builder) {
    let text = b.take_text();
    parse_text(b, &text);
    b.restore_text(text);
}

fn parse_text(b: &mut Builder, text: &str) {
    cue::read(b, Dialect::Srt, |f| each_cue(text, f));
}

/// Call `f` with each cue, in order (the preamble first, as a cue without timing).
fn each_cue(text: &str, f: &mut dyn FnMut(&Cue)) {
    // Lines of the cue being read (before the first timing line: the preamble).
    let mut cue_lines: Vec<(usize, &str)> = Vec::new();
    let mut timing: Option<Timing> = None;
    let mut emit = |lines: &[(usize, &str)], timing: Option<Timing>| {
        let timing = timing.unwrap_or_default();
        f(&Cue { ident: None, timing, lines, continues: false });
    };
    for (at, line) in cue::lines(text) {
        if line.contains("-->")
            && let Some(t) = cue::parse_timing(line)
        {
            drop_number(&mut cue_lines);
            emit(&cue_lines, timing);
            cue_lines.clear();
            timing = Some(t);
            continue;
        }
        cue_lines.push((at, line));
    }
    emit(&cue_lines, timing);
}

/// Remove the trailing blank lines and the cue number that precede a timing line.
fn drop_number(lines: &mut Vec<(usize, &str)>) {
    while lines.last().is_some_and(|(_, l)| l.trim().is_empty()) {
        lines.pop();
    }
    if lines.last().is_some_and(|(_, l)| is_number(l.trim())) {
        lines.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_srt;
    use crate::parse::vtt::cue::label;

    #[test]
    fn labels() {
        assert_eq!(label("主持人：你好"), Some(("主持人", 12)));
        assert_eq!(label("Dr. Lin: hi"), Some(("Dr. Lin", 8)));
        assert_eq!(label("好的，我觉得：是这样"), None);
        assert_eq!(label("Why? Because: x"), None);
        assert_eq!(label("10:30 we met"), None);
        assert_eq!(label("see https://example.org"), None);
        assert_eq!(label("https://example.org"), None);
        assert_eq!(label("just text"), None);
        // The shared name test: credentials and commas before them, but no clauses.
        assert_eq!(label("Dr. Lee, MD: hi"), Some(("Dr. Lee, MD", 12)));
        assert_eq!(label("我们今天要讲的就是：注意力"), None);
        assert_eq!(label("Note: the room is cold"), None);
        assert_eq!(label("We meet at 10:30: bring tea"), None);
    }

    #[test]
    fn detection() {
        assert!(looks_like_srt("1\n00:00:01,000 --> 00:00:02,000\nhi\n"));
        assert!(looks_like_srt("\n\n12\r\n00:00:01,000 --> 00:00:02,000\r\n"));
        assert!(looks_like_srt("00:00:01,000 --> 00:00:02,000\nhi\n"));
        assert!(!looks_like_srt("1\nhello\n"));
        assert!(!looks_like_srt("# Title\n\n1\n00:00:01,000 --> 00:00:02,000\n"));
    }
}

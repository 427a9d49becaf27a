//! WebVTT transcripts (stage 2): `<v Name>` voice tags name the speaker.
//!
//! A cue without voice tags may name its speaker in its identifier, as a video-meeting
//! service writes it (`1 "Dana Whitfield" (2241907733)`), or the SRT way, `Name: text` or
//! `[SPEAKER_01]: text` at the start of a line, as the file establishes such labels (see
//! [`cue`]). Rolling auto-captions are read with each word once (see [`roll`]).
//!
//! NOTE, STYLE and REGION blocks are skipped, other cue identifiers and cue settings
//! ignored. The title is the text after `WEBVTT` on the first line (`WEBVTT - 茶馆访谈`),
//! else a `Title:` header line; other `Key: value` header lines become meta. A block without
//! a timing line (after a blank line, or a line of spaces, inside a cue) continues the cue
//! before it, so no text is lost.

pub(crate) mod cue;
mod roll;

use cue::{Cue, Dialect, Timing};

use super::Builder;

pub fn parse(b: &mut Builder) {
    let text = b.take_text();
    parse_text(b, &text);
    b.restore_text(text);
}

fn parse_text(b: &mut Builder, text: &str) {
    let mut lines = cue::lines(text).peekable();
    while lines.next_if(|(_, l)| l.trim().is_empty()).is_some() {}
    if let Some(&(at, first)) = lines.peek() {
        let bom = first.len() - first.trim_start_matches('\u{feff}').len();
        if first[bom..].starts_with("WEBVTT") {
            lines.next();
            let after = at + bom + "WEBVTT".len();
            let rest = &first[bom + "WEBVTT".len()..];
            let title = rest.trim_start_matches([' ', '\t', '-']).trim_end();
            if !title.is_empty() {
                let start = after + (rest.len() - rest.trim_start_matches([' ', '\t', '-']).len());
                b.set_title(title.to_string(), start..start + title.len());
            }
            header(b, &mut lines);
        }
    }
    cue::read(b, Dialect::Vtt, |f| each_cue(lines.clone(), f));
}

/// Header lines after `WEBVTT`, up to the first blank line (or a timing line, for files
/// that omit the blank line).
fn header<'a>(
    b: &mut Builder,
    lines: &mut std::iter::Peekable<impl Iterator<Item = (usize, &'a str)>>,
) {
    while let Some(&(at, line)) = lines.peek() {
        if line.trim().is_empty() || line.contains("-->") {
            return;
        }
        lines.next();
        let Some((key, value)) = line.split_once(':') else { continue };
        let (key, value) = (key.trim(), value.trim());
        if key.is_empty() || value.is_empty() {
            continue;
        }
        let src = at..at + line.len();
        if key.eq_ignore_ascii_case("title") && !b.has_title() {
            let start = at + (value.as_ptr() as usize - line.as_ptr() as usize);
            b.set_title(value.to_string(), start..start + value.len());
        }
        b.push_meta(key.to_string(), value.to_string(), src);
    }
}

fn is_keyword_block(line: &str, kw: &str) -> bool {
    line.strip_prefix(kw).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
}

/// Call `f` with each cue of the body, in order. A block without a timing line (after a
/// line of only spaces inside a cue, as auto-captions write) continues the cue before it.
fn each_cue<'a>(mut lines: impl Iterator<Item = (usize, &'a str)>, f: &mut dyn FnMut(&Cue)) {
    let mut block: Vec<(usize, &str)> = Vec::new();
    let mut payload: Vec<(usize, &str)> = Vec::new();
    // The cue being gathered (its payload aside).
    let mut open: Option<Cue> = None;
    let mut emit = |open: &mut Option<Cue>, payload: &mut Vec<_>| {
        if let Some(cue) = open.take() {
            f(&Cue { lines: payload, ..cue });
        }
        payload.clear();
    };
    loop {
        block.clear();
        for (at, line) in lines.by_ref() {
            if line.trim().is_empty() {
                if block.is_empty() {
                    continue;
                }
                break;
            }
            block.push((at, line));
        }
        let Some(&(_, first)) = block.first() else { break };
        let first = first.trim_start_matches('\u{feff}');
        if ["NOTE", "STYLE", "REGION"].iter().any(|kw| is_keyword_block(first, kw)) {
            continue;
        }
        // A loop: a file that forgot every blank line is one block of many cues.
        let mut rest = &block[..];
        while !rest.is_empty() {
            // The timing line is the first line, or the second after a cue identifier.
            let timing_ix = rest.iter().take(2).position(|(_, l)| l.contains("-->"));
            let from = timing_ix.map_or(0, |ix| ix + 1);
            // Without the blank line between two cues, the next timing line still starts
            // the next cue instead of showing up as text.
            let end = rest[from..]
                .iter()
                .position(|(_, l)| l.contains("-->") && cue::parse_timing(l).is_some())
                .map_or(rest.len(), |j| from + j);
            match timing_ix {
                Some(ix) => {
                    emit(&mut open, &mut payload);
                    let timing = cue::parse_timing(rest[ix].1).unwrap_or_default();
                    let ident = (ix == 1).then(|| rest[0]);
                    open = Some(Cue { ident, timing, lines: &[], continues: false });
                }
                None if open.is_none() => {
                    open = Some(Cue {
                        ident: None,
                        timing: Timing::default(),
                        lines: &[],
                        continues: true,
                    });
                }
                None => {}
            }
            payload.extend_from_slice(&rest[from..end]);
            rest = &rest[end..];
        }
    }
    emit(&mut open, &mut payload);
}

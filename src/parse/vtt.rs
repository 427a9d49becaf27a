//! WebVTT transcripts (stage 2): `<v Name>` voice tags name the speaker.
//!
//! A cue without voice tags may name its speaker the SRT way, `Name: text` at the start
//! of a line (as meeting tools export captions).
//!
//! NOTE, STYLE and REGION blocks are skipped, cue identifiers and cue settings ignored.
//! The title is the text after `WEBVTT` on the first line (`WEBVTT - 茶馆访谈`), else a
//! `Title:` header line; other `Key: value` header lines become meta. A block without a
//! timing line (a blank line inside a cue) is kept as a continuation of the cue before it,
//! so no text is lost.

pub(crate) mod cue;

use cue::{Assembler, Dialect, Inline, Timing};

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
    let mut asm = Assembler::default();
    let mut block: Vec<(usize, &str)> = Vec::new();
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
        if block.is_empty() {
            break;
        }
        cue_block(b, &mut asm, &block);
    }
    asm.flush(b);
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

fn cue_block(b: &mut Builder, asm: &mut Assembler, block: &[(usize, &str)]) {
    let Some(&(_, first)) = block.first() else { return };
    let first = first.trim_start_matches('\u{feff}');
    if ["NOTE", "STYLE", "REGION"].iter().any(|kw| is_keyword_block(first, kw)) {
        return;
    }
    let mut block = block;
    // A loop, not recursion: a file that forgot every blank line is one block of
    // many cues.
    loop {
        // The timing line is the first line, or the second after a cue identifier.
        let timing_ix = block.iter().take(2).position(|(_, l)| l.contains("-->"));
        let (mut payload, mut inline) = match timing_ix {
            Some(ix) => {
                let timing = cue::parse_timing(block[ix].1).unwrap_or_default();
                (&block[ix + 1..], Inline::new(Dialect::Vtt, timing, false))
            }
            None => (block, Inline::new(Dialect::Vtt, Timing::default(), true)),
        };
        // Without the blank line between two cues, the next timing line still starts the
        // next cue instead of showing up as text.
        let mut next_cue = None;
        if let Some(j) = payload.iter().position(|(_, l)| cue::parse_timing(l).is_some()) {
            next_cue = Some(&payload[j..]);
            payload = &payload[..j];
        }
        // Captions exported from meeting tools often name speakers `Name: text` instead of
        // using voice tags; such labels count only in cues without a voice tag.
        let has_voice = payload.iter().any(|(_, l)| l.contains("<v"));
        cue::feed_lines(&mut inline, payload, !has_voice);
        for piece in inline.finish() {
            asm.push(b, piece);
        }
        match next_cue {
            Some(rest) => block = rest,
            None => return,
        }
    }
}

//! Plain-text transcripts: paragraphs split at blank lines and at labels (in a file of one
//! utterance per line, at every line), labels as the document establishes them
//! ([`label::Decision`]), hard wraps joined as in Markdown. No markup: a `*` is a `*`; but
//! what exports leave in text files is read as a person would: front matter at the top
//! becomes metadata ([`super::frontmatter`]), character references are decoded and known
//! HTML tags dropped, their text kept ([`super::html::plain_line`]). At the top of a
//! document ([`head`]), a short first line followed by a blank line is the title, and a
//! paragraph of short `key：value` lines is metadata (one entry a line), by the Markdown
//! parser's rule ([`super::markdown::meta_block`]), unless a key speaks later.

use std::ops::Range;

use super::Builder;
use super::join::separator;
use super::label::{self, Shape, Tally};
use crate::doc::{BlockKind, NewBlock};

pub fn parse(b: &mut Builder) {
    let text = b.take_text();
    super::frontmatter::around(&text, b, build);
    b.restore_text(text);
}

/// Every line as a trimmed range, and the text's lines walked twice rather than held: a
/// list of a few million ranges would cost more than the text.
fn lines(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len())).filter_map(
        move |nl| {
            let from = start;
            start = nl + 1;
            (from <= nl && from <= text.len()).then(|| {
                let s = &text[from..nl];
                let lead = s.len() - s.trim_start().len();
                from + lead..from + s.trim_end().len().max(lead)
            })
        },
    )
}

fn build(text: &str, b: &mut Builder) {
    let patterns = b.label_patterns().to_vec();
    let from = if b.at_start() { head(text, b, &patterns) } else { 0 };
    // First pass: the labels of every shape (each line's found again in the second pass
    // rather than held for every line), and bounds on the turns and paragraphs to come.
    let mut tally = Tally::default();
    let (mut lines_used, mut starts, mut bare, mut before_labels) = (0, 0, 0, 0);
    let (mut prev_blank, mut prev_header) = (true, false);
    for l in lines(text).filter(|l| l.start >= from) {
        let s = &text[l.clone()];
        let found = label::scan(s, &patterns);
        let header = found.as_ref().is_some_and(|lb| lb.shape == Shape::Header);
        if header && prev_header {
            tally.add_stacked();
        }
        prev_header = header;
        if let Some(lb) = &found {
            tally.add(lb, &s[lb.name.clone()], !prev_blank);
            bare += usize::from(lb.end >= s.len());
        } else if tally.labels() == 0 {
            before_labels += usize::from(!l.is_empty());
        }
        lines_used += usize::from(!l.is_empty());
        starts += usize::from(!l.is_empty() && (prev_blank || found.is_some()));
        prev_blank = l.is_empty();
    }
    let labels = tally.labels();
    b.reserve_speakers(tally.names());
    let decision = b.decide(tally);
    match decision.line_mode {
        true => b.reserve(labels, labels + before_labels, lines_used - bare),
        false => b.reserve(labels, starts, starts),
    }
    let mut para: Vec<Range<usize>> = Vec::new();
    let mut pending_time: Option<u64> = None;
    let flush = |para: &mut Vec<Range<usize>>, b: &mut Builder, time: &mut Option<u64>| {
        if let Some(block) = join_lines(text, para) {
            b.block(block);
            if let Some(ms) = time.take() {
                b.time_last_block(ms);
            }
        }
        para.clear();
    };
    let mut prev_blank = true;
    for l in lines(text).filter(|l| l.start >= from) {
        let inner = !prev_blank;
        prev_blank = l.is_empty();
        if l.is_empty() {
            flush(&mut para, b, &mut pending_time);
            continue;
        }
        let s = &text[l.clone()];
        let lb =
            label::scan(s, &patterns).filter(|lb| decision.accepts(lb, &s[lb.name.clone()], inner));
        let Some(lb) = lb else {
            // One utterance per line: each line a paragraph of its own.
            if decision.line_mode {
                flush(&mut para, b, &mut pending_time);
            }
            para.push(l.clone());
            continue;
        };
        flush(&mut para, b, &mut pending_time);
        if lb.shape == Shape::TimeOnly {
            pending_time = lb.start_ms;
        } else {
            let name = &text[l.start + lb.name.start..l.start + lb.name.end];
            b.start_turn(name, lb.start_ms, l.start..l.start + lb.end);
        }
        if l.start + lb.end < l.end {
            para.push(l.start + lb.end..l.end);
        }
    }
    flush(&mut para, b, &mut pending_time);
}

/// The title and metadata at the top of the text, put in `b`; returns where the body
/// begins. The title: a first line short enough for one, that is no label, ends no
/// sentence and has a blank line after it (and text after that). The metadata: the next
/// paragraph, when every line is a short `key：value` ([`meta_block`]: two lines at
/// least, no key twice) and no key is a speaker's label later on: `Ann: hi` / `Bo: hello`
/// opening a conversation stays its first turns.
///
/// [`meta_block`]: super::markdown::meta_block
fn head(text: &str, b: &mut Builder, patterns: &[regex::Regex]) -> usize {
    let mut paras: Vec<Vec<Range<usize>>> = vec![Vec::new()];
    for l in lines(text) {
        let Some(cur) = paras.last_mut() else { break };
        if !l.is_empty() {
            cur.push(l);
        } else if !cur.is_empty() {
            if paras.len() == 3 {
                break;
            }
            paras.push(Vec::new());
        }
    }
    let end = |p: &[Range<usize>]| p.last().map_or(0, |l| l.end);
    let mut at = 0;
    let mut from = 0;
    if let [line] = paras[0].as_slice()
        && paras.len() > 1
        && !paras[1].is_empty()
        && !b.has_title()
        && is_title(&text[line.clone()], patterns)
    {
        let title = super::html::plain_line(&text[line.clone()]).trim().to_string();
        b.set_title(title, line.clone());
        at = 1;
        from = end(&paras[0]);
    }
    let Some(block) = paras.get(at) else { return from };
    let Some(metas) = super::markdown::meta_block(text, block) else { return from };
    let after = end(block);
    let speaks = |key: &str| {
        lines(text).filter(|l| l.start > after).any(|l| {
            let s = &text[l];
            label::scan(s, patterns).is_some_and(|lb| s[lb.name].trim() == key)
        })
    };
    if metas.iter().any(|(k, _)| speaks(k)) {
        return from;
    }
    for ((k, v), l) in metas.into_iter().zip(block) {
        b.push_meta(k, v, l.clone());
    }
    after
}

/// A line that can be a title: short, no label, no sentence's end.
fn is_title(s: &str, patterns: &[regex::Regex]) -> bool {
    !super::html::plain_line(s).trim().is_empty()
        && s.chars().count() <= 60
        && label::scan(s, patterns).is_none()
        && !s.ends_with(['.', '?', '!', ',', ':', '。', '？', '！', '，', '：', '…', ';', '；'])
}

fn join_lines(text: &str, lines: &[Range<usize>]) -> Option<NewBlock> {
    let mut out = String::new();
    for l in lines {
        let s = super::html::plain_line(&text[l.clone()]);
        if let (Some(a), Some(c)) = (out.chars().next_back(), s.chars().next()) {
            out.push_str(separator(a, c));
        }
        out.push_str(&s);
    }
    if out.trim().is_empty() {
        return None;
    }
    let src = lines.first()?.start..lines.last()?.end;
    Some(NewBlock::new(BlockKind::Paragraph, out, src))
}

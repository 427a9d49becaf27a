//! Plain-text transcripts: paragraphs split at blank lines (in a file with none, at
//! labels), `Name: text` labels for names used as labels at least twice, hard wraps joined
//! as in Markdown. No markup: a `*` is a `*`; but what exports leave in text files is read
//! as a person would: front matter at the top becomes metadata ([`super::frontmatter`]),
//! character references are decoded and known HTML tags dropped, their text kept
//! ([`super::html::plain_line`]).

use std::collections::HashMap;
use std::ops::Range;

use super::Builder;
use super::join::separator;
use super::label;
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
    // Each line's plain label is found twice rather than held for every line: counted
    // first, then taken where its name is used at least twice. The first pass also bounds
    // the turns and paragraphs to come, so that they are sized once.
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let (mut labelled, mut starts, mut blank_before) = (0, 0, true);
    for l in lines(text) {
        let s = &text[l.clone()];
        let lb = label::plain_label(s);
        if let Some(lb) = &lb {
            *counts.entry(&s[lb.name.clone()]).or_default() += 1;
            labelled += 1;
        }
        starts += usize::from(!l.is_empty() && (blank_before || lb.is_some()));
        blank_before = l.is_empty();
    }
    b.count_label_uses(&mut counts);
    b.reserve_speakers(counts.len());
    let patterns = b.label_patterns().to_vec();
    if patterns.is_empty() {
        b.reserve(labelled, starts);
    }
    let mut para: Vec<Range<usize>> = Vec::new();
    let flush = |para: &mut Vec<Range<usize>>, b: &mut Builder| {
        if let Some(block) = join_lines(text, para) {
            b.block(block);
        }
        para.clear();
    };
    for l in lines(text) {
        if l.is_empty() {
            flush(&mut para, b);
            continue;
        }
        let s = &text[l.clone()];
        let lb = label::pattern_label(s, &patterns).or_else(|| {
            label::plain_label(s)
                .filter(|lb| counts.get(&s[lb.name.clone()]).copied().unwrap_or(0) >= 2)
        });
        if let Some(lb) = lb {
            flush(&mut para, b);
            let name = &text[l.start + lb.name.start..l.start + lb.name.end];
            b.start_turn(name, lb.start_ms, l.start..l.start + lb.end);
            if l.start + lb.end < l.end {
                para.push(l.start + lb.end..l.end);
            }
            continue;
        }
        para.push(l.clone());
    }
    flush(&mut para, b);
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

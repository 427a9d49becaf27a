//! Plain-text transcripts: paragraphs split at blank lines (in a file with none, at
//! labels), `Name: text` labels for names used as labels at least twice, hard wraps joined
//! as in Markdown. No markup: a `*` is a `*`.

use std::collections::HashMap;
use std::ops::Range;

use super::Builder;
use super::join::separator;
use super::label;
use crate::doc::{BlockKind, NewBlock};

pub fn parse(b: &mut Builder) {
    let text = b.take_text();
    build(&text, b);
    b.restore_text(text);
}

fn build(text: &str, b: &mut Builder) {
    let mut lines: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len())) {
        if start <= nl && start <= text.len() {
            let s = &text[start..nl];
            let lead = s.len() - s.trim_start().len();
            lines.push(start + lead..start + s.trim_end().len().max(lead));
        }
        start = nl + 1;
    }
    // Each line's plain label, found once: counted first, then taken where its name is
    // used at least twice.
    let plain: Vec<Option<label::Label>> =
        lines.iter().map(|l| label::plain_label(&text[l.clone()])).collect();
    let name =
        |l: &Range<usize>, lb: &label::Label| &text[l.start + lb.name.start..l.start + lb.name.end];
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (l, lb) in lines.iter().zip(&plain) {
        if let Some(lb) = lb {
            *counts.entry(name(l, lb)).or_default() += 1;
        }
    }
    b.count_label_uses(&mut counts);
    let patterns = b.label_patterns().to_vec();
    let is_label = |k: usize| {
        let l = &lines[k];
        if let Some(lb) = label::pattern_label(&text[l.clone()], &patterns) {
            return Some(lb);
        }
        plain[k].clone().filter(|lb| counts.get(name(l, lb)).copied().unwrap_or(0) >= 2)
    };
    let mut para: Vec<Range<usize>> = Vec::new();
    let flush = |para: &mut Vec<Range<usize>>, b: &mut Builder| {
        if let Some(block) = join_lines(text, para) {
            b.block(block);
        }
        para.clear();
    };
    for (k, l) in lines.iter().enumerate() {
        if l.is_empty() {
            flush(&mut para, b);
            continue;
        }
        if let Some(lb) = is_label(k) {
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
        let s = &text[l.clone()];
        if let (Some(a), Some(c)) = (out.chars().next_back(), s.chars().next()) {
            out.push_str(separator(a, c));
        }
        out.push_str(s);
    }
    if out.trim().is_empty() {
        return None;
    }
    let src = lines.first()?.start..lines.last()?.end;
    Some(NewBlock::new(BlockKind::Paragraph, out, src))
}

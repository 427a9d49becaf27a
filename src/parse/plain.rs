//! Plain-text transcripts: paragraphs split at blank lines (in a file with none, at
//! labels), `Name: text` labels for names used as labels at least twice, hard wraps joined
//! as in Markdown. No markup: a `*` is a `*`.

use std::collections::HashMap;
use std::ops::Range;

use super::Builder;
use super::join::separator;
use super::label;
use crate::doc::{Block, BlockKind};

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
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for l in &lines {
        if let Some(lb) = label::plain_label(&text[l.clone()]) {
            *counts.entry(&text[l.start + lb.name.start..l.start + lb.name.end]).or_default() += 1;
        }
    }
    let patterns = b.label_patterns().to_vec();
    let is_label = |l: &Range<usize>| {
        if let Some(lb) = label::pattern_label(&text[l.clone()], &patterns) {
            return Some(lb);
        }
        label::plain_label(&text[l.clone()]).filter(|lb| {
            counts.get(&text[l.start + lb.name.start..l.start + lb.name.end]).copied().unwrap_or(0)
                >= 2
        })
    };
    let mut para: Vec<Range<usize>> = Vec::new();
    let flush = |para: &mut Vec<Range<usize>>, b: &mut Builder| {
        if let Some(block) = join_lines(text, para) {
            b.block(block);
        }
        para.clear();
    };
    for l in &lines {
        if l.is_empty() {
            flush(&mut para, b);
            continue;
        }
        if let Some(lb) = is_label(l) {
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

fn join_lines(text: &str, lines: &[Range<usize>]) -> Option<Block> {
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
    Some(Block { kind: BlockKind::Paragraph, text: out, runs: Vec::new(), src })
}

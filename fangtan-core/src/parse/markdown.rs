//! Markdown transcripts, including WeChat/公众号 exports.
//!
//! Front matter at the top is metadata ([`super::frontmatter`]). Block structure is read
//! line by line (headings, paragraphs, lists, block quotes, fenced code, rules, images, raw
//! HTML blocks: comments and scripts skipped, other blocks read by [`super::html`] for
//! their text, as paragraphs and `<summary>` asides); speaker labels are taken off the
//! start of top-level paragraphs *before* inline parsing, so `**Name：****quote**` is a
//! label and then a quote; inline markup is handled by [`super::inline`]. GFM tables
//! (a row of `|` cells over a `|---|:--:|` delimiter row) become one table block, its
//! cells' text tab-separated, a row a line; a footnote definition (`[^1]: text`) is a note
//! block where it stands, never a speaker's turn.

use std::ops::Range;

use super::label::{self, Decision, Label, Shape, Tally};
use super::{Builder, html, inline};
use crate::doc::{BlockKind, NewBlock, Run};

/// Headings, emphasis, images or raw HTML blocks mark a text as Markdown.
pub fn looks_like_markdown(text: &str) -> bool {
    let mut lines = 0;
    for line in text.lines() {
        lines += 1;
        if lines > 2000 {
            break;
        }
        let t = line.trim_start();
        if (t.starts_with('#')
            && t.trim_start_matches('#').starts_with(' ')
            && t.len() - t.trim_start_matches('#').len() <= 6)
            || t.starts_with("![")
            || t.starts_with("```")
            || (t.contains("**") && t.matches("**").count() >= 2)
            || t.contains("](")
            || (t.starts_with('<') && html_block(t))
        {
            return true;
        }
    }
    false
}

/// Does the line start a block of raw HTML (a comment aside), which plain text would show
/// as tags?
fn html_block(t: &str) -> bool {
    html::block_start(t, true).is_some_and(|s| s != html::Start::Drop { end: "-->" })
}

/// A block as the scanner sees it, before labels and inline parsing. Its lines' content
/// ranges are handed over in a buffer the caller reuses, so a block costs no allocation.
#[derive(Debug, Clone)]
enum Raw {
    Heading {
        level: u8,
        content: Range<usize>,
        src: Range<usize>,
    },
    /// A top-level paragraph.
    Para,
    Item {
        depth: u8,
        marker: String,
    },
    Quote,
    Code {
        src: Range<usize>,
    },
    Rule {
        src: Range<usize>,
    },
    /// The text of an HTML `<summary>`.
    Summary,
    /// A GFM table: `lines` are its rows (the delimiter row left out), each cut into cells
    /// by [`cells`].
    Table {
        aligns: String,
    },
    /// A footnote definition: `lines` are its text.
    Footnote {
        marker: String,
    },
}

/// The line starting at byte `pos`, without its newline, and where the next one starts.
/// Lines end at every `\n`; a last line without one still counts.
pub(crate) fn line_at(text: &str, pos: usize) -> Option<(Range<usize>, usize)> {
    if pos >= text.len() {
        return None;
    }
    match memchr::memchr(b'\n', &text.as_bytes()[pos..]) {
        Some(k) => Some((pos..pos + k, pos + k + 1)),
        None => Some((pos..text.len(), text.len())),
    }
}

/// Columns of leading indentation (tab = 4) and the byte offset of the first non-blank.
pub(crate) fn indent(line: &str) -> (usize, usize) {
    let mut col = 0;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b' ' => col += 1,
            b'\t' => col += 4 - col % 4,
            _ => return (col, i),
        }
    }
    (col, line.len())
}

pub(crate) fn is_blank(line: &str) -> bool {
    match line.as_bytes().first() {
        None => true,
        // A visible ASCII character (controls are gone after `source`): the common case,
        // decided without a Unicode trim.
        Some(&b) if b > b' ' && b.is_ascii() => false,
        Some(_) => line.trim().is_empty(),
    }
}

fn atx_heading(t: &str) -> Option<(u8, usize, usize)> {
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &t[hashes..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let mut content = rest.trim();
    // A closing sequence of #s preceded by a space.
    let stripped = content.trim_end_matches('#');
    if stripped.len() < content.len() && (stripped.is_empty() || stripped.ends_with([' ', '\t'])) {
        content = stripped.trim_end();
    }
    let start = if content.is_empty() {
        t.len()
    } else {
        t.len() - rest.len() + rest.find(content).unwrap_or(0)
    };
    Some((hashes as u8, start, start + content.len()))
}

fn is_rule(t: &str) -> bool {
    let t = t.trim_end();
    let Some(c) = t.bytes().next() else { return false };
    if !matches!(c, b'*' | b'-' | b'_') {
        return false;
    }
    let mut n = 0;
    for b in t.bytes() {
        if b == c {
            n += 1;
        } else if b != b' ' && b != b'\t' {
            return false;
        }
    }
    n >= 3
}

/// An opening code fence at the start of `t` (indentation removed): its byte and length.
pub(crate) fn fence(t: &str) -> Option<(u8, usize)> {
    let c = *t.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = t.bytes().take_while(|&b| b == c).count();
    if n < 3 || (c == b'`' && t[n..].contains('`')) {
        return None;
    }
    Some((c, n))
}

/// Does `line` close a code block opened by `fence` (as many fence bytes or more, alone)?
pub(crate) fn closes_fence(line: &str, (c, n): (u8, usize)) -> bool {
    let t = line.trim_start();
    t.bytes().take_while(|&b| b == c).count() >= n
        && t.trim_start_matches(c as char).trim().is_empty()
}

/// A list marker at the start of `t`: (marker as shown, bytes it takes incl. the space).
/// A list item marker at the start of `t`: the marker as shown (`•`, `3.`) and the bytes it
/// takes. Borrowed: it is tested on many continuation lines and kept only for real items.
fn list_marker(t: &str) -> Option<(&str, usize)> {
    let b = t.as_bytes();
    match b.first()? {
        b'*' | b'-' | b'+' => {
            if b.len() == 1 || b[1] == b' ' || b[1] == b'\t' {
                if is_rule(t) {
                    return None;
                }
                return Some(("•", (2).min(b.len())));
            }
            None
        }
        b'0'..=b'9' => {
            let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
            if digits > 9 {
                return None;
            }
            let d = *b.get(digits)?;
            if (d == b'.' || d == b')')
                && (b.len() == digits + 1 || matches!(b[digits + 1], b' ' | b'\t'))
            {
                return Some((&t[..=digits], (digits + 2).min(b.len())));
            }
            None
        }
        _ => None,
    }
}

/// Does a line start a block that interrupts a paragraph?
fn interrupts(t: &str, col: usize) -> bool {
    if col >= 4 || !may_start_block(t) {
        return false;
    }
    atx_heading(t).is_some()
        || footnote_def(t).is_some()
        || t.starts_with('>')
        || fence(t).is_some()
        || is_rule(t)
        || (t.starts_with('<') && html::block_start(t, true).is_some())
        || list_marker(t).is_some_and(|(m, _)| m == "•" || m.starts_with("1"))
}

/// Can a line that starts (after its indentation) with `t` be anything but paragraph text?
/// Every block marker begins with one of these bytes; most lines of a transcript begin
/// with none of them, and then no other test is needed.
fn may_start_block(t: &str) -> bool {
    t.as_bytes().first().is_some_and(|b| {
        matches!(
            b,
            b'#' | b'>' | b'`' | b'~' | b'*' | b'-' | b'_' | b'<' | b'+' | b'[' | b'0'..=b'9'
        )
    })
}

pub(crate) fn trimmed(text: &str, r: &Range<usize>) -> Range<usize> {
    let s = &text[r.clone()];
    // Most lines neither start nor end with a space: decide that from two characters.
    if let (Some(first), Some(last)) = (s.chars().next(), s.chars().next_back())
        && !first.is_whitespace()
        && !last.is_whitespace()
    {
        return r.clone();
    }
    let lead = s.len() - s.trim_start().len();
    r.start + lead..r.start + s.trim_end().len().max(lead)
}

/// A footnote definition's start, `[^label]:`: the marker as shown (`[label]`) and the
/// bytes it takes.
fn footnote_def(t: &str) -> Option<(String, usize)> {
    let label = inline::note_at(t, 0, t.len())?;
    let after = label.end + 1;
    t[after..].starts_with(':').then(|| (format!("[{}]", &t[label]), after + 1))
}

/// The cells of a table row: split at each `|` not escaped, an outer pipe at either end
/// dropped, each cell trimmed. Ranges into `text`.
fn cells(text: &str, row: &Range<usize>) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut i) = (row.start, row.start);
    while i < row.end {
        match b[i] {
            b'\\' => i += 1,
            b'|' => {
                out.push(start..i);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(start..row.end);
    let blank = |r: &Range<usize>| text[r.clone()].trim().is_empty();
    if text[row.clone()].trim_start().starts_with('|') && out.first().is_some_and(blank) {
        out.remove(0);
    }
    if text[row.clone()].trim_end().ends_with('|') && out.len() > 1 && out.last().is_some_and(blank)
    {
        out.pop();
    }
    out.iter().map(|r| trimmed(text, r)).collect()
}

/// A delimiter row (`|---|:--:|--:|`): each cell's alignment (`l`, `c`, `r`, `-`).
fn delimiter_row(text: &str, row: &Range<usize>) -> Option<String> {
    if !text[row.clone()].contains(['|', '-']) {
        return None;
    }
    cells(text, row)
        .iter()
        .map(|r| {
            let c = &text[r.clone()];
            let inner = c.trim_start_matches(':').trim_end_matches(':');
            if inner.is_empty() || !inner.bytes().all(|b| b == b'-') {
                return None;
            }
            Some(match (c.starts_with(':'), c.ends_with(':')) {
                (true, true) => 'c',
                (true, false) => 'l',
                (false, true) => 'r',
                (false, false) => '-',
            })
        })
        .collect()
}

/// A table starting at the line `lr` (its header), whose next line starts at `next`: the
/// alignments, if the next line is a delimiter row with as many cells.
fn table_start(text: &str, lr: &Range<usize>, next: usize) -> Option<(String, usize)> {
    if !text[lr.clone()].contains('|') {
        return None;
    }
    let (dr, after) = line_at(text, next)?;
    let aligns = delimiter_row(text, &trimmed(text, &dr))?;
    (aligns.len() == cells(text, lr).len()).then_some((aligns, after))
}

/// The lines that continue a paragraph or list item from the line at `pos`: up to a blank
/// line or a line that starts another block (any list marker too, inside a list item).
/// Returns where the first line not taken starts.
fn continuation(text: &str, mut pos: usize, in_item: bool, body: &mut Vec<Range<usize>>) -> usize {
    while let Some((lr, next)) = line_at(text, pos) {
        let l = &text[lr.clone()];
        if is_blank(l) {
            break;
        }
        let (col, off) = indent(l);
        let t = &l[off..];
        if (in_item && list_marker(t).is_some()) || interrupts(t, col) {
            break;
        }
        body.push(trimmed(text, &lr));
        pos = next;
    }
    pos
}

/// Reads the block structure one block at a time, front to back: nothing is kept for the
/// whole document (the text of 80 MB has two million lines).
struct Scanner<'t> {
    text: &'t str,
    /// Start of the next line to read.
    pos: usize,
    list_indents: Vec<usize>,
    /// Content column of the last list item, for indented continuation paragraphs.
    item_content_col: Option<usize>,
    /// Inside a block quote whose next line is still to be read.
    in_quote: bool,
    /// Inside a block of raw HTML whose text is still to be read.
    html: Option<html::TextBlock>,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Self {
        Scanner {
            text,
            pos: 0,
            list_indents: Vec::new(),
            item_content_col: None,
            in_quote: false,
            html: None,
        }
    }

    fn end_list(&mut self) {
        self.list_indents.clear();
        self.item_content_col = None;
    }

    /// The next block, its line ranges in `lines` (cleared first).
    fn next(&mut self, lines: &mut Vec<Range<usize>>) -> Option<Raw> {
        lines.clear();
        let text = self.text;
        if self.in_quote
            && let Some(q) = self.quote(lines)
        {
            return Some(q);
        }
        while let Some((lr, next)) = line_at(text, self.pos) {
            if let Some(h) = self.html.as_mut() {
                match h.next(text, &mut self.pos, lines) {
                    Some(html::Para::Text) => return Some(Raw::Para),
                    Some(html::Para::Summary) => return Some(Raw::Summary),
                    None => {
                        self.html = None;
                        continue;
                    }
                }
            }
            let line = &text[lr.clone()];
            if is_blank(line) {
                self.pos = next;
                continue;
            }
            let (col, off) = indent(line);
            let t = &line[off..];
            let tstart = lr.start + off;
            let special = may_start_block(t);
            if special
                && col < 4
                && let Some(start) = html::block_start(t, false)
            {
                // Raw HTML: comments, scripts and styles skipped whole (so nothing in them
                // is ever a speaker), other blocks read for their text.
                self.end_list();
                match start {
                    html::Start::Drop { end } => {
                        let open = if end == "-->" { 2 } else { 1 };
                        self.pos = html::drop_until(text, tstart + open, end);
                    }
                    html::Start::Text { .. } => {
                        self.html = Some(html::TextBlock::new(start));
                        self.pos = tstart;
                    }
                }
                continue;
            }
            if special
                && col < 4
                && let Some((c, n)) = fence(t)
            {
                let start = lr.start;
                let mut end = lr.end;
                self.pos = next;
                while let Some((r, nx)) = line_at(text, self.pos) {
                    self.pos = nx;
                    end = r.end;
                    if closes_fence(&text[r.clone()], (c, n)) {
                        break;
                    }
                    lines.push(r);
                }
                self.end_list();
                return Some(Raw::Code { src: start..end });
            }
            if special
                && col < 4
                && let Some((level, a, b)) = atx_heading(t)
            {
                self.end_list();
                self.pos = next;
                return Some(Raw::Heading { level, content: tstart + a..tstart + b, src: lr });
            }
            if special && col < 4 && is_rule(t) {
                self.end_list();
                self.pos = next;
                return Some(Raw::Rule { src: lr });
            }
            if special && col < 4 && t.starts_with('>') {
                self.in_quote = true;
                if let Some(q) = self.quote(lines) {
                    return Some(q);
                }
                continue;
            }
            if col < 4
                && let Some((aligns, mut pos)) = table_start(text, &trimmed(text, &lr), next)
            {
                // A GFM table: its header row, then rows up to a blank line, a line
                // without a pipe, or the start of another block.
                self.end_list();
                lines.push(trimmed(text, &lr));
                while let Some((r, nx)) = line_at(text, pos) {
                    let l = &text[r.clone()];
                    let (c, o) = indent(l);
                    if is_blank(l) || !l.contains('|') || interrupts(&l[o..], c) {
                        break;
                    }
                    lines.push(trimmed(text, &r));
                    pos = nx;
                }
                self.pos = pos;
                return Some(Raw::Table { aligns });
            }
            if special
                && col < 4
                && let Some((marker, mlen)) = footnote_def(t)
            {
                self.end_list();
                lines.push(trimmed(text, &(tstart + mlen..lr.end)));
                self.pos = continuation(text, next, false, lines);
                lines.retain(|r| !r.is_empty());
                return Some(Raw::Footnote { marker });
            }
            if special && let Some((marker, mlen)) = list_marker(t) {
                while self.list_indents.last().is_some_and(|&c| c > col) {
                    self.list_indents.pop();
                }
                if self.list_indents.last() != Some(&col) {
                    self.list_indents.push(col);
                }
                let depth = (self.list_indents.len() - 1).min(u8::MAX as usize) as u8;
                lines.push(trimmed(text, &(tstart + mlen..lr.end)));
                self.item_content_col = Some(col + mlen);
                self.pos = continuation(text, next, true, lines);
                lines.retain(|r| !r.is_empty());
                return Some(Raw::Item { depth, marker: marker.to_string() });
            }
            // A paragraph.
            lines.push(trimmed(text, &lr));
            self.pos = continuation(text, next, false, lines);
            return Some(match self.item_content_col {
                // An indented paragraph after a list item continues that item.
                Some(ic) if col >= ic.min(2) && col > 0 && !self.list_indents.is_empty() => {
                    let depth = (self.list_indents.len() - 1) as u8;
                    Raw::Item { depth, marker: String::new() }
                }
                _ => {
                    self.end_list();
                    Raw::Para
                }
            });
        }
        None
    }

    /// The next paragraph of a block quote: consecutive `>` lines, where `>` alone
    /// separates paragraphs. `None` when the quote ends without one.
    fn quote(&mut self, lines: &mut Vec<Range<usize>>) -> Option<Raw> {
        let text = self.text;
        while let Some((lr, next)) = line_at(text, self.pos) {
            let l = &text[lr.clone()];
            let (_, o) = indent(l);
            if !l[o..].starts_with('>') {
                break;
            }
            self.pos = next;
            let inner = trimmed(text, &(lr.start + o + 1..lr.end));
            if inner.is_empty() {
                if !lines.is_empty() {
                    return Some(Raw::Quote);
                }
            } else {
                lines.push(inner);
            }
        }
        self.in_quote = false;
        self.end_list();
        (!lines.is_empty()).then_some(Raw::Quote)
    }
}

/// `key: value` lines of a metadata paragraph; the key may be bold (`**Date:** 14 March`,
/// `**Date**: 14 March`), as web pages and documents write a header block.
pub(super) fn meta_line(text: &str, r: &Range<usize>) -> Option<(String, String)> {
    let line = &text[r.clone()];
    if let Some(rest) = line.strip_prefix("**") {
        let close = rest.find("**")?;
        let (inner, after) = (&rest[..close], &rest[close + 2..]);
        let (key, value) = match inner.trim_end().strip_suffix([':', '：']) {
            Some(key) => (key, after),
            None => (inner, after.trim_start().strip_prefix([':', '：'])?),
        };
        let (key, value) = (key.trim(), value.trim());
        if value.is_empty()
            || value.contains("**")
            || !label::valid_name(key)
            || key.chars().count() > 20
        {
            return None;
        }
        return Some((key.to_string(), value.to_string()));
    }
    let idx = line.find(['：', ':'])?;
    let key = line[..idx].trim();
    let colon_len = if line[idx..].starts_with('：') { '：'.len_utf8() } else { 1 };
    let value = line[idx + colon_len..].trim();
    if colon_len == 1 && !line[idx + 1..].starts_with([' ', '\t']) {
        return None;
    }
    if value.is_empty()
        || !label::valid_name(key)
        || key.chars().count() > 20
        || key.contains(['*', '[', '('])
    {
        return None;
    }
    Some((key.to_string(), value.to_string()))
}

/// The label at the start of a paragraph line, if the document counts it (`inner`: not the
/// paragraph's first line).
fn find_label(
    text: &str,
    line: &Range<usize>,
    decision: &Decision,
    patterns: &[regex::Regex],
    inner: bool,
) -> Option<Label> {
    let s = &text[line.clone()];
    let l = label::scan(s, patterns)?;
    decision.accepts(&l, &s[l.name.clone()], inner).then_some(l)
}

fn shift(l: Label, by: usize) -> Label {
    Label { name: l.name.start + by..l.name.end + by, end: l.end + by, ..l }
}

/// What the first pass learns about the whole document.
struct Survey {
    tally: Tally,
    /// Upper bounds of the turns and body items the document makes, to size them once.
    turns: usize,
    items: usize,
}

/// Labels of every shape at the start of every line of every top-level paragraph.
fn survey(text: &str, patterns: &[regex::Regex]) -> Survey {
    let mut tally = Tally::default();
    let (mut turns, mut items) = (0, 0);
    let mut scanner = Scanner::new(text);
    let mut lines = Vec::new();
    while let Some(raw) = scanner.next(&mut lines) {
        items += 1;
        if !matches!(raw, Raw::Para) {
            continue;
        }
        let mut prev_header = false;
        for (k, line) in lines.iter().enumerate() {
            let s = &text[line.clone()];
            let found = label::scan(s, patterns);
            let header = found.as_ref().is_some_and(|l| l.shape == Shape::Header);
            if header && prev_header {
                tally.add_stacked();
            }
            prev_header = header;
            if let Some(l) = found {
                turns += 1;
                items += 1;
                tally.add(&l, &s[l.name.clone()], k > 0);
            }
        }
        // One utterance per line: every line may become a paragraph of its own.
        items += lines.len();
    }
    Survey { tally, turns, items }
}

/// A table's block: each cell's inline text (tabs made spaces), cells joined by tabs, rows
/// by newlines, every row as many cells as the header.
fn table_block(text: &str, aligns: String, lines: &[Range<usize>]) -> NewBlock {
    let columns = aligns.len();
    let mut out = NewBlock::new(BlockKind::Table, String::new(), 0..0);
    let mut group_base = 0;
    for (k, row) in lines.iter().enumerate() {
        if k > 0 {
            out.text.push('\n');
        }
        let mut cs = cells(text, row);
        cs.resize(columns, row.end..row.end);
        for (c, cell) in cs.iter().enumerate() {
            if c > 0 {
                out.text.push('\t');
            }
            let inl = inline::parse_block(text, std::slice::from_ref(cell));
            let at = out.text.len();
            out.text.push_str(&inl.text.replace(['\t', '\n'], " "));
            // Quote groups are numbered from 0 in each cell: number them on across cells,
            // so two bold cells are two quotes.
            let groups = inl.runs.iter().filter_map(|r| r.quote).max().map_or(0, |g| g + 1);
            out.runs.extend(inl.runs.into_iter().map(|r| Run {
                range: r.range.start + at..r.range.end + at,
                quote: r.quote.map(|g| g + group_base),
                ..r
            }));
            group_base += groups;
        }
    }
    out.src = match (lines.first(), lines.last()) {
        (Some(a), Some(z)) => a.start..z.end,
        _ => 0..0,
    };
    out.aside = aligns;
    out
}

fn block(text: &str, kind: BlockKind, lines: &[Range<usize>]) -> Option<NewBlock> {
    let inl = inline::parse_block(text, lines);
    let src = match (lines.first(), lines.last()) {
        (Some(a), Some(b)) => a.start..b.end,
        _ => 0..0,
    };
    if inl.text.trim_matches(|c: char| c.is_whitespace() || c == '*').is_empty()
        && kind != BlockKind::Rule
    {
        return None;
    }
    Some(NewBlock { kind, aside: String::new(), text: inl.text, runs: inl.runs, src })
}

/// A paragraph made only of images: one image block each.
fn image_blocks(text: &str, lines: &[Range<usize>]) -> Option<Vec<NewBlock>> {
    let mut v = Vec::new();
    for l in lines {
        let mut s = &text[l.clone()];
        let mut pos = l.start;
        while !s.is_empty() {
            let rest = s.strip_prefix("![")?;
            let close = rest.find("](")?;
            let after = &rest[close + 2..];
            let end = after.find(')')?;
            let url = after[..end].split_whitespace().next().unwrap_or("").to_string();
            let alt = html::plain_line(rest[..close].trim()).into_owned();
            let used = 2 + close + 2 + end + 1;
            v.push(NewBlock {
                kind: BlockKind::Image,
                aside: url,
                text: alt,
                runs: Vec::new(),
                src: pos..pos + used,
            });
            let tail = &s[used..];
            let t2 = tail.trim_start();
            pos += used + (tail.len() - t2.len());
            s = t2;
        }
    }
    (!v.is_empty()).then_some(v)
}

pub fn parse(b: &mut Builder) {
    let text = b.take_text();
    super::frontmatter::around(&text, b, build);
    b.restore_text(text);
}

fn build(text: &str, b: &mut Builder) {
    let patterns = b.label_patterns().to_vec();
    let survey = survey(text, &patterns);
    b.reserve(survey.turns, survey.items, survey.items);
    b.reserve_speakers(survey.tally.names());
    let decision = b.decide(survey.tally);
    let mut scanner = Scanner::new(text);
    // The block being built and the one after it (a paragraph's meaning depends on what
    // follows), each with its own reused line buffer.
    let (mut lines, mut next_lines) = (Vec::new(), Vec::new());
    let mut cur = scanner.next(&mut lines);
    let mut ctx = Ctx { in_preamble: true, rest: Vec::new(), pending_time: None };
    while let Some(raw) = cur {
        let next = scanner.next(&mut next_lines);
        match raw {
            Raw::Heading { level, content, src } => {
                let title = inline::parse(text, std::slice::from_ref(&content)).text;
                if level == 1 && !b.has_title() && !b.body_started() {
                    b.set_title(title, src);
                } else {
                    b.heading(title, level, src);
                    ctx.in_preamble = false;
                }
            }
            Raw::Rule { src } => b.block(NewBlock::new(BlockKind::Rule, String::new(), src)),
            Raw::Summary => {
                // A `<summary>` heads what follows, like a subheading: it ends the turn.
                b.end_turn();
                if let Some(bl) = block(text, BlockKind::Aside, &lines) {
                    b.block(bl);
                }
            }
            Raw::Code { src } => {
                // The body lines are consecutive source lines: joined by newlines they are
                // the source between the first and the last.
                let body = match (lines.first(), lines.last()) {
                    (Some(a), Some(z)) => text[a.start..z.end].to_string(),
                    _ => String::new(),
                };
                b.block(NewBlock::new(BlockKind::Code, body, src));
            }
            Raw::Quote => {
                if let Some(bl) = block(text, BlockKind::BlockQuote, &lines) {
                    b.block(bl);
                }
            }
            Raw::Table { aligns } => b.block(table_block(text, aligns, &lines)),
            Raw::Footnote { marker } => {
                if let Some(bl) = block(text, BlockKind::Footnote, &lines) {
                    b.block(NewBlock { aside: marker, ..bl });
                }
            }
            Raw::Item { depth, marker } => {
                if let Some(bl) = block(text, BlockKind::ListItem { depth }, &lines) {
                    b.block(NewBlock { aside: marker, ..bl });
                }
            }
            Raw::Para => {
                let next_is_list = matches!(next, Some(Raw::Item { .. }));
                let next_ends = matches!(next, None | Some(Raw::Heading { .. }));
                let alone_is_subheading = next_is_list || next_ends;
                paragraph(text, b, &lines, &decision, &patterns, alone_is_subheading, &mut ctx);
            }
        }
        cur = next;
        std::mem::swap(&mut lines, &mut next_lines);
    }
}

/// State carried from paragraph to paragraph.
struct Ctx {
    in_preamble: bool,
    /// Scratch line list for the text after a label.
    rest: Vec<Range<usize>>,
    /// A bare time label on a line of its own (`(00:03:41):`): the start of the paragraph
    /// that follows.
    pending_time: Option<u64>,
}

/// A paragraph of `key: value` lines with short values that end no sentence is metadata,
/// even where its keys are speakers' names elsewhere (`Interviewer: Jane Doe`); but not
/// where a key comes twice: that is people talking (`Mina: hi` / `Ravi: hello` / `Mina: ok`).
pub(super) fn meta_block(text: &str, lines: &[Range<usize>]) -> Option<Vec<(String, String)>> {
    if lines.len() < 2 {
        return None;
    }
    let metas: Vec<(String, String)> = lines
        .iter()
        .map(|l| {
            meta_line(text, l).filter(|(_, v)| {
                v.chars().count() <= 80
                    && !v.ends_with(['.', '?', '!', '。', '？', '！', '…', '"', '”'])
            })
        })
        .collect::<Option<_>>()?;
    let repeated = metas.iter().enumerate().any(|(i, (k, _))| metas[..i].iter().any(|m| &m.0 == k));
    (!repeated).then_some(metas)
}

fn paragraph(
    text: &str,
    b: &mut Builder,
    lines: &[Range<usize>],
    decision: &Decision,
    patterns: &[regex::Regex],
    label_alone_is_subheading: bool,
    ctx: &mut Ctx,
) {
    if let Some(images) = image_blocks(text, lines) {
        for im in images {
            b.block(im);
        }
        return;
    }
    // Metadata: between the title and the first section or turn, every line `key: value`.
    if ctx.in_preamble && b.has_title() && !b.body_started() && !lines.is_empty() {
        let metas = meta_block(text, lines).or_else(|| {
            lines
                .iter()
                .enumerate()
                .map(|(k, l)| match find_label(text, l, decision, patterns, k > 0) {
                    Some(_) => None,
                    None => meta_line(text, l),
                })
                .collect()
        });
        if let Some(metas) = metas {
            for ((k, v), l) in metas.into_iter().zip(lines) {
                b.push_meta(k, v, l.clone());
            }
            return;
        }
    }
    // Split the paragraph at every line that starts with a label the document counts (and,
    // in a document of one utterance per line, at every line).
    let mut start = 0;
    let mut label: Option<Label> = None;
    for k in 0..=lines.len() {
        let here = match lines.get(k) {
            Some(line) => find_label(text, line, decision, patterns, k > 0),
            None => None,
        };
        let split = k == lines.len() || here.is_some() || (decision.line_mode && k > 0);
        if !split {
            continue;
        }
        if k > start || label.is_some() {
            emit_part(
                text,
                b,
                &lines[start..k],
                label.take(),
                label_alone_is_subheading && k == lines.len(),
                ctx,
            );
        }
        label = here.map(|l| shift(l, lines[k].start));
        start = k;
    }
}

/// One labelled (or unlabelled) stretch of a paragraph.
fn emit_part(
    text: &str,
    b: &mut Builder,
    lines: &[Range<usize>],
    label: Option<Label>,
    alone_is_subheading: bool,
    ctx: &mut Ctx,
) {
    let Some(l) = label else {
        if let Some(bl) = block(text, BlockKind::Paragraph, lines) {
            b.block(bl);
            if let Some(ms) = ctx.pending_time.take() {
                b.time_last_block(ms);
            }
        }
        return;
    };
    let first = lines[0].clone();
    let rest = &mut ctx.rest;
    rest.clear();
    if l.end < first.end {
        rest.push(l.end..first.end);
    }
    rest.extend(lines[1..].iter().cloned());
    if l.shape == Shape::TimeOnly {
        // A new paragraph of the current speaker, with its own start time.
        ctx.pending_time = l.start_ms;
        if !rest.is_empty()
            && let Some(bl) = block(text, BlockKind::Paragraph, rest)
        {
            b.block(bl);
            if let Some(ms) = ctx.pending_time.take() {
                b.time_last_block(ms);
            }
        }
        return;
    }
    ctx.pending_time = None;
    let name = &text[l.name.clone()];
    if rest.is_empty() && alone_is_subheading && l.bold {
        // A bold "label" introducing a list is a subheading, not a speaker.
        if let Some(bl) = block(text, BlockKind::Subheading, std::slice::from_ref(&first)) {
            b.block(bl);
        }
        return;
    }
    b.start_turn(name, l.start_ms, first.start..l.end.min(first.end));
    if !rest.is_empty()
        && let Some(bl) = block(text, BlockKind::Paragraph, rest)
    {
        b.block(bl);
    }
}

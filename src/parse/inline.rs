//! Inline Markdown inside one block: emphasis, code, links, images, escapes, and the joining
//! of hard-wrapped lines.
//!
//! Emphasis follows the CommonMark delimiter-run algorithm with the "CJK-friendly emphasis"
//! amendment: a run next to punctuation may still open or close when the character on its
//! other side is a CJK character, so `这是**我想做的事。**所以` and `**“中文”**文字` are
//! bold, as a Chinese writer means them. No crate released today implements both that and
//! the segment-break joining we need, so this is ours, and tested hard.

use std::ops::Range;

use super::join::{is_east_asian, separator};
use crate::doc::{Run, Style};

/// Display text and style runs of one block.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Inline {
    pub text: String,
    pub runs: Vec<Run>,
}

#[derive(Debug, Clone)]
enum Tok {
    /// Literal text: a range of the source.
    Text(Range<usize>),
    /// A soft line break between two source lines.
    Break,
    Delim(Delim),
    Code(Range<usize>),
    LinkStart(String),
    LinkEnd,
    Image {
        alt: Range<usize>,
        url: String,
    },
}

#[derive(Debug, Clone)]
struct Delim {
    ch: u8,
    /// Characters not yet used by a match.
    len: usize,
    orig: usize,
    can_open: bool,
    can_close: bool,
    /// (count, id) of emphasis closed here, in order.
    closes: Vec<(usize, usize)>,
    /// (count, id) of emphasis opened here, in order (outermost first).
    opens: Vec<(usize, usize)>,
}

fn is_ws(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

/// Unicode punctuation or symbol, as CommonMark 0.31 counts them (approximated as "not a
/// letter, digit or space").
fn is_punct(c: Option<char>) -> bool {
    c.is_some_and(|c| !c.is_alphanumeric() && !c.is_whitespace())
}

fn is_cjk(c: Option<char>) -> bool {
    c.is_some_and(|c| is_east_asian(c) || matches!(c as u32, 0xAC00..=0xD7AF | 0x1100..=0x11FF))
}

/// Parse the inline content of a block whose lines are the given source ranges (each
/// already stripped of block markers and surrounding whitespace).
pub fn parse(src: &str, lines: &[Range<usize>]) -> Inline {
    // A one-line block without markup or ASCII space (a short turn: `对。`, `Right.`) comes
    // out as it went in: no tokens, no runs, no joins, no space to drop before a pause mark.
    // Only the leading trim of `finish` can apply.
    if let [line] = lines {
        let b = src.as_bytes();
        let s = &src[line.clone()];
        if next_special(b, line.start, line.end) == line.end
            && memchr::memchr2(b' ', b'\t', s.as_bytes()).is_none()
        {
            return Inline { text: s.trim_start().to_owned(), runs: Vec::new() };
        }
    }
    // A document has tens of thousands of blocks: reuse one token buffer per thread rather
    // than growing a fresh one for each block.
    // The same for the style runs, which are built in full and then mostly dropped (plain
    // text needs none): only those kept are copied out, into a vector of their exact size.
    thread_local! {
        static SCRATCH: std::cell::RefCell<(Vec<Tok>, Vec<Run>)> =
            const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    }
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            let (toks, runs) = &mut *scratch;
            parse_into(src, lines, toks, runs)
        }
        // Not reachable today (parsing does not re-enter itself), but never panic over it.
        Err(_) => parse_into(src, lines, &mut Vec::new(), &mut Vec::new()),
    })
}

fn parse_into(
    src: &str,
    lines: &[Range<usize>],
    toks: &mut Vec<Tok>,
    runs: &mut Vec<Run>,
) -> Inline {
    toks.clear();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            toks.push(Tok::Break);
        }
        tokenize(src, line.clone(), toks);
    }
    process_emphasis(toks);
    drop_empty_emphasis(src, toks);
    // The display text is about as long as the source lines: size it once.
    let cap = lines.iter().map(|l| l.len() + 1).sum();
    let inline = render(src, toks, cap, runs);
    toks.clear();
    inline
}

fn tokenize(src: &str, line: Range<usize>, toks: &mut Vec<Tok>) {
    let b = src.as_bytes();
    let mut i = line.start;
    let mut text_start = i;
    let end = line.end;
    macro_rules! flush {
        ($to:expr) => {
            if text_start < $to {
                toks.push(Tok::Text(text_start..$to));
            }
        };
    }
    while i < end {
        match b[i] {
            b'\\' if i + 1 < end && b[i + 1].is_ascii_punctuation() => {
                flush!(i);
                toks.push(Tok::Text(i + 1..i + 2));
                i += 2;
                text_start = i;
            }
            c @ (b'*' | b'_') => {
                flush!(i);
                let mut j = i;
                while j < end && b[j] == c {
                    j += 1;
                }
                let prev = if i > line.start { src[..i].chars().next_back() } else { None };
                let next = if j < end { src[j..].chars().next() } else { None };
                let left = !is_ws(next)
                    && (!is_punct(next) || is_ws(prev) || is_punct(prev) || is_cjk(prev));
                let right = !is_ws(prev)
                    && (!is_punct(prev) || is_ws(next) || is_punct(next) || is_cjk(next));
                let (can_open, can_close) = if c == b'*' {
                    (left, right)
                } else {
                    (left && (!right || is_punct(prev)), right && (!left || is_punct(next)))
                };
                toks.push(Tok::Delim(Delim {
                    ch: c,
                    len: j - i,
                    orig: j - i,
                    can_open,
                    can_close,
                    closes: Vec::new(),
                    opens: Vec::new(),
                }));
                i = j;
                text_start = i;
            }
            b'`' => {
                let mut j = i;
                while j < end && b[j] == b'`' {
                    j += 1;
                }
                let n = j - i;
                // Find a closing run of exactly n backticks.
                let mut k = j;
                let mut found = None;
                while k < end {
                    if b[k] == b'`' {
                        let s = k;
                        while k < end && b[k] == b'`' {
                            k += 1;
                        }
                        if k - s == n {
                            found = Some(s);
                            break;
                        }
                    } else {
                        k += 1;
                    }
                }
                match found {
                    Some(close) => {
                        flush!(i);
                        let inner = trim_one_space(src, j..close);
                        toks.push(Tok::Code(inner));
                        i = close + n;
                        text_start = i;
                    }
                    None => i = j,
                }
            }
            b'!' if i + 1 < end && b[i + 1] == b'[' => match link_at(src, i + 1, end) {
                Some((text, url, after)) => {
                    flush!(i);
                    toks.push(Tok::Image { alt: text, url });
                    i = after;
                    text_start = i;
                }
                None => i += 1,
            },
            b'[' => match link_at(src, i, end) {
                Some((text, url, after)) => {
                    flush!(i);
                    toks.push(Tok::LinkStart(url));
                    tokenize(src, text, toks);
                    toks.push(Tok::LinkEnd);
                    i = after;
                    text_start = i;
                }
                None => i += 1,
            },
            b'<' => match autolink_at(src, i, end) {
                Some((url, after)) => {
                    flush!(i);
                    toks.push(Tok::LinkStart(src[url.clone()].to_string()));
                    toks.push(Tok::Text(url));
                    toks.push(Tok::LinkEnd);
                    i = after;
                    text_start = i;
                }
                None => i += 1,
            },
            // Most bytes are ordinary text: jump straight to the next byte that can start
            // markup instead of going round the match once per byte.
            _ => {
                i = next_special(b, i + 1, end);
            }
        }
    }
    flush!(end);
}

/// Can this byte begin inline markup (the arms of `tokenize`'s match)? Plain comparisons,
/// so that [`next_special`] tests a block of bytes with vector instructions.
#[inline(always)]
fn is_special(c: u8) -> bool {
    (c == b'\\') | (c == b'*') | (c == b'_') | (c == b'`') | (c == b'!') | (c == b'[') | (c == b'<')
}

/// The first byte in `b[from..end]` that can begin markup, or `end`. Every byte of every
/// block passes here: blocks of 32 are tested at once.
fn next_special(b: &[u8], from: usize, end: usize) -> usize {
    const BLOCK: usize = 32;
    let mut i = from;
    while i + BLOCK <= end {
        let w = &b[i..i + BLOCK];
        let mut any = 0u8;
        for &c in w {
            any |= u8::from(is_special(c));
        }
        if any != 0 {
            break;
        }
        i += BLOCK;
    }
    (i..end).find(|&k| is_special(b[k])).unwrap_or(end)
}

fn trim_one_space(src: &str, r: Range<usize>) -> Range<usize> {
    let s = &src[r.clone()];
    if s.len() >= 2 && s.starts_with(' ') && s.ends_with(' ') && !s.trim().is_empty() {
        r.start + 1..r.end - 1
    } else {
        r
    }
}

/// `[text](url)` starting at `open` (the `[`): (text range, url, offset after `)`).
fn link_at(src: &str, open: usize, end: usize) -> Option<(Range<usize>, String, usize)> {
    let b = src.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    let close = loop {
        if i >= end {
            return None;
        }
        match b[i] {
            b'\\' => i += 1,
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    break i;
                }
            }
            _ => {}
        }
        i += 1;
    };
    if close + 1 >= end || b[close + 1] != b'(' {
        return None;
    }
    let mut j = close + 2;
    let mut paren = 1usize;
    while j < end {
        match b[j] {
            b'(' => paren += 1,
            b')' => {
                paren -= 1;
                if paren == 0 {
                    break;
                }
            }
            b'\n' => return None,
            _ => {}
        }
        j += 1;
    }
    if j >= end {
        return None;
    }
    let dest = src[close + 2..j].trim();
    // Drop an optional title: `(url "title")`.
    let url = dest.split_whitespace().next().unwrap_or("").trim_matches(['<', '>']);
    Some((open + 1..close, url.to_string(), j + 1))
}

/// `<https://…>` or `<mailto:…>` starting at `i`: (url range, offset after `>`).
fn autolink_at(src: &str, i: usize, end: usize) -> Option<(Range<usize>, usize)> {
    let rest = &src[i + 1..end];
    let close = rest.find('>')?;
    let inner = &rest[..close];
    let scheme = inner.find(':')?;
    if scheme < 2
        || !inner[..scheme].bytes().all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'.')
        || inner.contains([' ', '<'])
    {
        return None;
    }
    Some((i + 1..i + 1 + close, i + 1 + close + 1))
}

/// The CommonMark "process emphasis" procedure over the delimiter tokens.
fn process_emphasis(toks: &mut [Tok]) {
    let delims: Vec<usize> = toks
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t, Tok::Delim(_)))
        .map(|(i, _)| i)
        .collect();
    let mut active = vec![true; delims.len()];
    let mut next_id = 0usize;
    // openers_bottom, by (char is '*', closer can open, orig % 3).
    let mut bottom = [[[0usize; 3]; 2]; 2];
    let mut c = 0;
    while c < delims.len() {
        let (ch, can_close, can_open_c, orig_c, len_c) = match &toks[delims[c]] {
            Tok::Delim(d) => (d.ch, d.can_close, d.can_open, d.orig, d.len),
            _ => unreachable!("delims indexes delimiter tokens"),
        };
        if !active[c] || !can_close || len_c == 0 {
            c += 1;
            continue;
        }
        let bi = (usize::from(ch == b'*'), usize::from(can_open_c), orig_c % 3);
        let floor = bottom[bi.0][bi.1][bi.2];
        let mut found = None;
        let mut o = c;
        while o > floor {
            o -= 1;
            if !active[o] {
                continue;
            }
            if let Tok::Delim(d) = &toks[delims[o]]
                && d.ch == ch
                && d.can_open
                && d.len > 0
            {
                let odd = (d.can_close || can_open_c)
                    && (d.orig + orig_c) % 3 == 0
                    && !(d.orig % 3 == 0 && orig_c % 3 == 0);
                if !odd {
                    found = Some(o);
                    break;
                }
            }
        }
        match found {
            Some(o) => {
                let olen = match &toks[delims[o]] {
                    Tok::Delim(d) => d.len,
                    _ => 0,
                };
                let clen = match &toks[delims[c]] {
                    Tok::Delim(d) => d.len,
                    _ => 0,
                };
                let n = if olen >= 2 && clen >= 2 { 2 } else { 1 };
                let id = next_id;
                next_id += 1;
                if let Tok::Delim(d) = &mut toks[delims[o]] {
                    d.len -= n;
                    // Inner emphasis is opened after outer: insert at the front of the
                    // opener's list so that the outermost (matched later) comes first.
                    d.opens.insert(0, (n, id));
                }
                if let Tok::Delim(d) = &mut toks[delims[c]] {
                    d.len -= n;
                    d.closes.push((n, id));
                }
                for a in active.iter_mut().take(c).skip(o + 1) {
                    *a = false;
                }
                // Stay on this closer while it has characters left.
            }
            None => {
                bottom[bi.0][bi.1][bi.2] = c;
                c += 1;
            }
        }
    }
}

/// Unmatched delimiter runs of the same kind and length with only whitespace between them
/// (`** **`, `**  \n**`) are emphasis of nothing, which an export leaves behind: they are
/// dropped instead of showing as stray stars.
fn drop_empty_emphasis(src: &str, toks: &mut [Tok]) {
    let mut i = 0;
    while i < toks.len() {
        let Tok::Delim(d) = &toks[i] else {
            i += 1;
            continue;
        };
        if d.len == 0 {
            i += 1;
            continue;
        }
        let (ch, len) = (d.ch, d.len);
        let mut j = i + 1;
        while j < toks.len()
            && match &toks[j] {
                Tok::Break => true,
                Tok::Text(r) => src[r.clone()].trim().is_empty(),
                _ => false,
            }
        {
            j += 1;
        }
        if j < toks.len()
            && let Tok::Delim(e) = &mut toks[j]
            && e.ch == ch
            && e.len == len
        {
            e.len = 0;
            if let Tok::Delim(d) = &mut toks[i] {
                d.len = 0;
            }
            i = j + 1;
            continue;
        }
        i += 1;
    }
}

struct Out {
    text: String,
    runs: Vec<Run>,
}

impl Out {
    fn push(&mut self, s: &str, style: Style, url: Option<&String>, group: Option<usize>) {
        // Pieces are pushed whole; only a full-width pause or closing mark needs a look at
        // what precedes it (to drop an export's stray space), so split there.
        if s.is_empty() {
            return;
        }
        // A mark inside the piece only matters after a space or tab: without one, only the
        // piece's first character needs the look (most Chinese pieces have no ASCII space).
        if memchr::memchr2(b' ', b'\t', s.as_bytes()).is_none() {
            if s.chars().next().is_some_and(is_fullwidth_pause_or_close) {
                self.trim_trailing_spaces();
            }
            self.push_raw(s, style, url, group);
            return;
        }
        let mut rest = s;
        while !rest.is_empty() {
            let first = rest.chars().next().map_or(0, char::len_utf8);
            let cut = next_pause_after_space(rest, first).unwrap_or(rest.len());
            if rest.chars().next().is_some_and(is_fullwidth_pause_or_close) {
                self.trim_trailing_spaces();
            }
            self.push_raw(&rest[..cut], style, url, group);
            rest = &rest[cut..];
        }
    }

    fn push_raw(&mut self, s: &str, style: Style, url: Option<&String>, group: Option<usize>) {
        let start = self.text.len();
        self.text.push_str(s);
        let end = self.text.len();
        match self.runs.last_mut() {
            Some(r)
                if r.range.end == start
                    && r.style == style
                    && r.url.as_ref() == url
                    && r.quote == group =>
            {
                r.range.end = end
            }
            _ => self.runs.push(Run { range: start..end, style, url: url.cloned(), quote: group }),
        }
    }

    fn trim_trailing_spaces(&mut self) {
        let keep = self.text.trim_end_matches([' ', '\t']).len();
        if keep == self.text.len() {
            return;
        }
        self.text.truncate(keep);
        while let Some(r) = self.runs.last_mut() {
            if r.range.start >= keep {
                self.runs.pop();
            } else {
                r.range.end = r.range.end.min(keep);
                break;
            }
        }
    }
}

/// Byte offset of the first full-width pause or closing mark in `s` at or after `from` (a
/// char boundary) that follows a space or tab, the only place where splitting the piece
/// changes anything. Every such mark is U+30xx or U+FFxx, whose UTF-8 starts with 0xE3 or
/// 0xEF, so `memchr2` finds the few candidates instead of decoding every char of the piece
/// (this runs on every piece of every block).
fn next_pause_after_space(s: &str, from: usize) -> Option<usize> {
    let b = s.as_bytes();
    memchr::memchr2_iter(0xE3, 0xEF, &b[from..]).map(|p| from + p).find(|&p| {
        // 0xE3 and 0xEF only ever lead a sequence, so `p` is a char boundary.
        p > 0
            && matches!(b[p - 1], b' ' | b'\t')
            && s.get(p..).and_then(|t| t.chars().next()).is_some_and(is_fullwidth_pause_or_close)
    })
}

/// Full-width pause, stop and closing marks: a space before them is an export artefact.
fn is_fullwidth_pause_or_close(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '！'
            | '？'
            | '）'
            | '」'
            | '』'
            | '】'
            | '》'
            | '〉'
            | '〕'
    )
}

#[derive(Clone)]
struct Open {
    style: Style,
    id: usize,
}

fn render(src: &str, toks: &[Tok], cap: usize, scratch: &mut Vec<Run>) -> Inline {
    let mut runs = std::mem::take(scratch);
    runs.clear();
    let mut out = Out { text: String::with_capacity(cap), runs };
    let mut stack: Vec<Open> = Vec::new();
    let mut links: Vec<String> = Vec::new();
    let mut pending_break = false;
    let cur = |stack: &[Open], links: &[String]| -> (Style, Option<usize>) {
        let mut s = Style::default();
        let mut group = None;
        for o in stack {
            s = s.union(o.style);
            if o.style.contains(Style::STRONG) && group.is_none() {
                group = Some(o.id);
            }
        }
        if !links.is_empty() {
            s = s.union(Style::LINK);
        }
        (s, group)
    };
    let emit = |out: &mut Out, s: &str, style: Style, url: Option<&String>, g, brk: &mut bool| {
        if s.is_empty() {
            return;
        }
        if *brk {
            *brk = false;
            let before = out.text.trim_end_matches([' ', '\t']);
            if let (Some(a), Some(b)) = (before.chars().next_back(), s.chars().next()) {
                out.trim_trailing_spaces();
                if !b.is_whitespace() {
                    let sep = separator(a, b);
                    if !sep.is_empty() {
                        // The space takes the style of what precedes it only when both
                        // sides share it; plain is the safe choice otherwise.
                        let keep =
                            out.runs.last().is_some_and(|r| r.style == style && r.quote == g);
                        if keep {
                            out.push(sep, style, url, g);
                        } else {
                            out.push(sep, Style::default(), None, None);
                        }
                    }
                }
            }
        }
        out.push(s, style, url, g);
    };
    for t in toks {
        match t {
            Tok::Break => pending_break = true,
            Tok::Text(r) => {
                let (s, g) = cur(&stack, &links);
                emit(&mut out, &src[r.clone()], s, links.last(), g, &mut pending_break);
            }
            Tok::Code(r) => {
                let (s, g) = cur(&stack, &links);
                emit(
                    &mut out,
                    &src[r.clone()],
                    s.union(Style::CODE),
                    links.last(),
                    g,
                    &mut pending_break,
                );
            }
            Tok::Image { alt, url } => {
                let (s, g) = cur(&stack, &links);
                let alt = src[alt.clone()].trim();
                let label = if alt.is_empty() { "图片" } else { alt };
                let u = url.clone();
                emit(&mut out, label, s.union(Style::IMAGE), Some(&u), g, &mut pending_break);
            }
            Tok::LinkStart(url) => links.push(url.clone()),
            Tok::LinkEnd => {
                links.pop();
            }
            Tok::Delim(d) => {
                for &(n, id) in &d.closes {
                    if let Some(pos) = stack.iter().rposition(|o| o.id == id) {
                        stack.remove(pos);
                    }
                    let _ = n;
                }
                if d.len > 0 {
                    let lit = if d.ch == b'*' { "*" } else { "_" }.repeat(d.len);
                    let (s, g) = cur(&stack, &links);
                    emit(&mut out, &lit, s, links.last(), g, &mut pending_break);
                }
                for &(n, id) in &d.opens {
                    let style = if n == 2 { Style::STRONG } else { Style::EMPHASIS };
                    stack.push(Open { style, id });
                }
            }
        }
    }
    finish(out, scratch)
}

/// Trim the block's outer whitespace and drop strong emphasis that holds only whitespace.
fn finish(mut out: Out, scratch: &mut Vec<Run>) -> Inline {
    out.trim_trailing_spaces();
    let lead = out.text.len() - out.text.trim_start().len();
    if lead > 0 {
        out.text.drain(..lead);
        out.runs.retain_mut(|r| {
            r.range.start = r.range.start.saturating_sub(lead);
            r.range.end = r.range.end.saturating_sub(lead);
            !r.range.is_empty()
        });
    }
    // Group ids are numbered densely from 0 within the block (see `process_emphasis`), so
    // a vector indexed by id does what a map would without hashing.
    let groups = out.runs.iter().filter_map(|r| r.quote).max().map_or(0, |m| m + 1);
    // Per group: None = no run seen, Some(all runs blank so far).
    let mut blank_groups: Vec<Option<bool>> = vec![None; groups];
    for r in &out.runs {
        if let Some(g) = r.quote {
            let blank = out.text[r.range.clone()].trim().is_empty();
            let slot = &mut blank_groups[g];
            *slot = Some(slot.unwrap_or(true) && blank);
        }
    }
    for r in &mut out.runs {
        if r.quote.is_some_and(|g| blank_groups[g] == Some(true)) {
            r.quote = None;
            r.style = Style(r.style.0 & !Style::STRONG.0);
        }
    }
    // Merge neighbours that became identical.
    out.runs.dedup_by(|r, p| {
        let same = p.range.end == r.range.start
            && p.style == r.style
            && p.url == r.url
            && p.quote == r.quote;
        if same {
            p.range.end = r.range.end;
        }
        same
    });
    let keep = |r: &Run| r.style != Style::default() || r.url.is_some();
    let mut runs = Vec::with_capacity(out.runs.iter().filter(|r| keep(r)).count());
    runs.extend(out.runs.drain(..).filter(keep));
    *scratch = out.runs;
    Inline { text: out.text, runs }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<Range<usize>> {
        let mut v = Vec::new();
        let mut start = 0;
        for l in s.split('\n') {
            let lead = l.len() - l.trim_start().len();
            v.push(start + lead..start + l.trim_end().len());
            start += l.len() + 1;
        }
        v
    }

    fn bold(s: &str) -> (String, Vec<String>) {
        let r = parse(s, &lines(s));
        let quotes = r
            .runs
            .iter()
            .filter(|x| x.style.contains(Style::STRONG))
            .map(|x| r.text[x.range.clone()].to_string())
            .collect();
        (r.text, quotes)
    }

    #[test]
    fn cjk_friendly_emphasis() {
        assert_eq!(bold("**“中文”**文字"), ("“中文”文字".into(), vec!["“中文”".into()]));
        assert_eq!(
            bold("这是**我想做的事。**所以"),
            ("这是我想做的事。所以".into(), vec!["我想做的事。".into()])
        );
        assert_eq!(bold("**警告：**别动"), ("警告：别动".into(), vec!["警告：".into()]));
    }

    #[test]
    fn joins_through_markup() {
        assert_eq!(
            bold("简化为“**移动优先，云优先**\n”，因为").0,
            "简化为“移动优先，云优先”，因为"
        );
        assert_eq!(bold("Satya\nNadella").0, "Satya Nadella");
        assert_eq!(bold("什么？\n你知道").0, "什么？你知道");
        assert_eq!(bold("**无限记忆的一年** 。比尔").0, "无限记忆的一年。比尔");
        assert_eq!(bold("然后在\n2014 年").0, "然后在 2014 年");
    }

    #[test]
    fn whitespace_only_bold_vanishes() {
        // Inline, the stars stay literal (CommonMark); the block is dropped as markup-only
        // by the Markdown parser, so no stray `*` reaches the reader.
        let (_, q) = bold("**  \n**");
        assert!(q.is_empty());
        let (t, q) = bold("前文** **后文");
        assert!(q.is_empty(), "{t:?}");
    }

    #[test]
    fn pause_marks_found_past_the_first_char() {
        assert_eq!(next_pause_after_space("，好 ，", 3), Some(7));
        assert_eq!(next_pause_after_space("，好，", 3), None);
        assert_eq!(next_pause_after_space("好 （对 ）吗", 0), Some(11));
        assert_eq!(next_pause_after_space("“引号” ～", 0), None);
        assert_eq!(bold("你好 ，世界 。").0, "你好，世界。");
    }

    /// Whether `parse` takes its shortcut for a one-line block.
    fn plain_line(s: &str) -> bool {
        next_special(s.as_bytes(), 0, s.len()) == s.len()
            && memchr::memchr2(b' ', b'\t', s.as_bytes()).is_none()
    }

    #[test]
    fn one_plain_line_is_its_own_text() {
        for s in ["对。", "Right.", "\u{3000}好的", "OK，明白。", "3.14", "（笑）"] {
            assert!(plain_line(s), "{s:?} should take the shortcut");
            let range = 0..s.len();
            let line = std::slice::from_ref(&range);
            let fast = parse(s, line);
            let slow = parse_into(s, line, &mut Vec::new(), &mut Vec::new());
            assert_eq!(fast, slow, "{s:?}");
        }
        // Markup or a space (a pause mark after it is dropped) takes the long way.
        for s in ["a_b", "好 ，", "**好**", "[链接](x)"] {
            assert!(!plain_line(s), "{s:?}");
        }
    }

    #[test]
    fn plain_commonmark_still_works() {
        assert_eq!(bold("a **b** c"), ("a b c".into(), vec!["b".into()]));
        assert_eq!(bold("2 * 3 * 4").0, "2 * 3 * 4");
        assert_eq!(bold("snake_case_name").0, "snake_case_name");
        assert_eq!(bold("*em* and `co*de`").0, "em and co*de");
        assert_eq!(bold("see [链接](http://x.y/a_b) now").0, "see 链接 now");
    }
}

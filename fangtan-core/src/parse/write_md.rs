//! Markdown written for the Markdown parser ([`super::markdown`]) by the readers of other
//! formats: HTML pages ([`super::page`]) and Word documents ([`super::docx`]). They gather
//! each paragraph's text, line breaks and emphasis in a [`Para`], and a [`Writer`] turns
//! headings, paragraphs, table rows and speaker labels into Markdown, which is then parsed
//! as Markdown is: speakers, times, sections and quotes follow exactly the rules of text.
//!
//! Invariant: what the Markdown parser shows of a written paragraph is the text gathered,
//! every word once and no stray mark. Whitespace runs are collapsed to one space (as HTML
//! does); lines break only where the source breaks them. The text is escaped where it
//! could be read as markup: a backslash before every `\`, `*` and `` ` ``, before an `_`
//! that is not inside a word, a `<` or `&` that could open a tag or a reference, the `!`
//! of `![` and the `]` of `](`, and at a line's start before `#`, `>`, `-`, `+`, `~` and the
//! dot of `1.`. Emphasis is written only where the inline parser reads the line back with
//! the same text (checked line by line; where it would not, the line goes plain). Every
//! character passes [`crate::source::safe_char`], so none reaches the terminal as a control.

use std::ops::Range;

use super::{inline, label};

/// Bold: a quote inside a turn, a label at a paragraph's start.
pub const BOLD: u8 = 0;
/// Italic.
pub const ITALIC: u8 = 1;
const MARKS: [&str; 2] = ["**", "*"];

/// A paragraph being gathered: its text (lines separated by `\n`) and emphasis.
#[derive(Debug, Default, Clone)]
pub struct Para {
    text: String,
    /// Emphasis as (byte range of `text`, style), in the order they closed; none spans a
    /// line break.
    spans: Vec<(Range<usize>, u8)>,
    /// How deep each style is open (nested `<b><b>`).
    depth: [u32; 2],
    /// Where the open span of each style began: `None` until a character follows it, so
    /// that spaces at its edges stay outside.
    open: [Option<usize>; 2],
    /// A space is due before the next character.
    space: bool,
    /// A character was replaced by its visible stand-in.
    pub had_control_chars: bool,
}

/// Does whitespace that collapses start at byte `i`: HTML's (space, tab, line feed, form
/// feed, carriage return) and the no-break space, which exports use for indentation?
fn collapses_at(b: &[u8], i: usize) -> bool {
    match b[i] {
        b' ' | b'\t' | b'\n' | b'\r' | 0x0C => true,
        0xC2 => b.get(i + 1) == Some(&0xA0),
        _ => false,
    }
}

impl Para {
    /// Whether no visible character has been gathered.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// How many bytes of text are gathered.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Append text; whitespace runs become one space, none at a line's edges.
    pub fn push(&mut self, s: &str) {
        // Controls (a character reference may name one) become their stand-ins first.
        let safe: String;
        let s = match crate::source::next_control(s.as_bytes(), 0) {
            None => s,
            Some(_) => {
                safe = s.chars().map(crate::source::safe_char).collect();
                self.had_control_chars |= safe != s;
                &safe
            }
        };
        let b = s.as_bytes();
        let mut at = 0;
        while at < b.len() {
            // The run up to the next space that changes when collapsed (all ASCII, or the
            // no-break space): a single space between words is kept as it is.
            let mut end = at;
            while end < b.len()
                && (!collapses_at(b, end)
                    || (b[end] == b' '
                        && end > at
                        && end + 1 < b.len()
                        && !collapses_at(b, end + 1)))
            {
                end += 1;
            }
            if end > at {
                self.push_word(&s[at..end]);
            }
            if end < b.len() {
                self.space = true;
                end += if b[end] == 0xC2 { 2 } else { 1 };
            }
            at = end;
        }
    }

    /// Append a run without spaces at its edges or two in a row.
    fn push_word(&mut self, w: &str) {
        if self.space && !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push(' ');
        }
        self.space = false;
        for st in [BOLD, ITALIC] {
            let i = usize::from(st);
            if self.depth[i] > 0 && self.open[i].is_none() {
                self.open[i] = Some(self.text.len());
            }
        }
        self.text.push_str(w);
    }

    /// A line break (not at the paragraph's start, not twice).
    pub fn brk(&mut self) {
        self.space = false;
        if self.text.is_empty() || self.text.ends_with('\n') {
            return;
        }
        for st in [BOLD, ITALIC] {
            self.close_span(st);
        }
        self.text.push('\n');
    }

    fn close_span(&mut self, st: u8) {
        if let Some(start) = self.open[usize::from(st)].take()
            && start < self.text.len()
        {
            self.spans.push((start..self.text.len(), st));
        }
    }

    /// Open style `st` (nested opens count).
    pub fn open(&mut self, st: u8) {
        self.depth[usize::from(st)] += 1;
    }

    /// Close style `st`; unbalanced closes are ignored.
    pub fn close(&mut self, st: u8) {
        let d = &mut self.depth[usize::from(st)];
        if *d == 0 {
            return;
        }
        *d -= 1;
        if *d == 0 {
            self.close_span(st);
        }
    }

    /// Set style `st` on or off, whatever it was.
    pub fn set(&mut self, st: u8, on: bool) {
        match (on, self.depth[usize::from(st)] > 0) {
            (true, false) => self.open(st),
            (false, true) => {
                self.depth[usize::from(st)] = 1;
                self.close(st);
            }
            _ => {}
        }
    }

    /// The text on one line (line breaks as spaces), for headings and names.
    pub fn plain(&self) -> String {
        self.text.replace('\n', " ")
    }

    /// The text as gathered, lines separated by `\n`.
    pub fn text(&self) -> &str {
        self.text.trim_end_matches('\n')
    }

    /// Append `other` after a separator, its emphasis kept.
    fn append(&mut self, sep: &str, other: &Para) {
        if !self.text.is_empty() && !other.text.is_empty() {
            self.text.push_str(sep);
        }
        let at = self.text.len();
        self.text.push_str(other.text());
        self.spans.extend(other.all_spans().map(|(r, st)| (r.start + at..r.end + at, st)));
        self.had_control_chars |= other.had_control_chars;
    }

    /// Closed spans and those still open (ending at the text's end).
    fn all_spans(&self) -> impl Iterator<Item = (Range<usize>, u8)> + '_ {
        let end = self.text().len();
        let open = [BOLD, ITALIC]
            .into_iter()
            .filter_map(move |st| self.open[usize::from(st)].map(|s| (s..end, st)));
        self.spans.iter().cloned().chain(open).filter(move |(r, _)| r.start < r.end.min(end))
    }

    /// The paragraph split at its line breaks, one paragraph a line.
    pub fn into_lines(self) -> Vec<Para> {
        let mut out = Vec::new();
        let mut lines = LineSpans::new(&self);
        for line in self.text().split('\n') {
            let mut p = Para { text: line.to_string(), ..Para::default() };
            lines.next_line(line.len(), &mut p.spans);
            p.had_control_chars = self.had_control_chars;
            if !p.is_empty() {
                out.push(p);
            }
        }
        out
    }
}

/// A paragraph's emphasis handed out line by line, in offsets of the line (no span crosses
/// a line break): one pass, however many lines and spans.
struct LineSpans {
    spans: Vec<(Range<usize>, u8)>,
    next: usize,
    /// Where the next line starts in the paragraph's text.
    at: usize,
}

impl LineSpans {
    fn new(p: &Para) -> LineSpans {
        let mut spans: Vec<_> = p.all_spans().collect();
        spans.sort_unstable_by_key(|(r, _)| r.start);
        LineSpans { spans, next: 0, at: 0 }
    }

    /// The spans of the next line, `len` bytes long, into `out` (cleared first).
    fn next_line(&mut self, len: usize, out: &mut Vec<(Range<usize>, u8)>) {
        out.clear();
        let range = self.at..self.at + len;
        while let Some((r, st)) = self.spans.get(self.next).filter(|(r, _)| r.start < range.end) {
            if r.start >= range.start && r.end <= range.end {
                out.push((r.start - range.start..r.end - range.start, *st));
            }
            self.next += 1;
        }
        self.at = range.end + 1;
    }
}

/// A speaker label written before a paragraph's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Label {
    pub name: Option<String>,
    /// As the source wrote it (`0:05`, `00:01:02.500`).
    pub time: Option<String>,
    /// Written in bold: a label on its own merits (the source marked it as a speaker).
    pub bold: bool,
}

/// The Markdown of a whole document, block by block.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
    /// The title the document names apart from its body (`<title>`, the package's
    /// properties): written first, unless the body opens with a level-1 heading.
    title: Option<String>,
    started: bool,
    pub had_control_chars: bool,
}

/// How table cells are joined on a row's line.
pub const CELL_SEP: &str = " | ";

impl Writer {
    pub fn with_capacity(n: usize) -> Writer {
        Writer { out: String::with_capacity(n), ..Writer::default() }
    }

    /// The title named apart from the body (the first one named counts).
    pub fn title(&mut self, t: &Para) {
        let t = t.plain();
        if self.title.is_none() && !self.started && !t.trim().is_empty() {
            self.title = Some(t);
        }
    }

    fn begin(&mut self, opens_with_title: bool) {
        if !self.started {
            self.started = true;
            let title = self.title.take();
            if let Some(t) = title.filter(|_| !opens_with_title) {
                self.heading_line(1, &t);
            }
        }
        if !self.out.is_empty() {
            self.out.push_str("\n\n");
        }
    }

    fn heading_line(&mut self, level: u8, text: &str) {
        self.begin(level == 1);
        for _ in 0..level.clamp(1, 6) {
            self.out.push('#');
        }
        self.out.push(' ');
        escape(&mut self.out, text, &[]);
        // A closing run of `#` would be dropped as the heading's closing sequence.
        if text.ends_with('#') {
            self.out.pop();
            self.out.push_str("\\#");
        }
    }

    /// A heading of `level` (1–6; the first level-1 heading before any text is the title).
    pub fn heading(&mut self, level: u8, text: &Para) {
        self.had_control_chars |= text.had_control_chars;
        let t = text.plain();
        if !t.trim().is_empty() {
            self.heading_line(level, t.trim());
        }
    }

    /// A thematic break.
    pub fn rule(&mut self) {
        self.begin(false);
        self.out.push_str("***");
    }

    /// A paragraph, after `label` when given. A label without text is written alone.
    pub fn paragraph(&mut self, p: &Para, label: Option<&Label>) {
        self.had_control_chars |= p.had_control_chars;
        let text = p.text();
        if text.is_empty() && label.is_none() {
            return;
        }
        self.begin(false);
        let mut lines = LineSpans::new(p);
        let mut mine = Vec::new();
        for (k, line) in text.split('\n').enumerate() {
            if k > 0 {
                self.out.push('\n');
            }
            lines.next_line(line.len(), &mut mine);
            let mut lead = false;
            if k == 0
                && let Some(l) = label
            {
                write_label(&mut self.out, l);
                lead = !line.is_empty();
            }
            self.line(line, &mine, lead);
        }
    }

    /// One line of a paragraph (after a label when `after_label`), its emphasis kept where
    /// the inline parser reads it back as the same text.
    fn line(&mut self, line: &str, spans: &[(Range<usize>, u8)], after_label: bool) {
        if after_label {
            self.out.push(' ');
        }
        let start = self.out.len();
        if spans.is_empty() {
            escape(&mut self.out, line, &[]);
            return;
        }
        let marks = marks(spans);
        escape(&mut self.out, line, &marks);
        if plainly_flanked(line, spans) {
            return;
        }
        let styled = &self.out[start..];
        let mut plain = String::with_capacity(styled.len());
        escape(&mut plain, line, &[]);
        let read = |s: &str| inline::parse(s, std::slice::from_ref(&(0..s.len()))).text;
        if read(styled) != read(&plain) {
            self.out.truncate(start);
            self.out.push_str(&plain);
        }
    }

    /// A table row: its non-empty cells on one line. Leading cells that hold only a name
    /// or a time (`Ann | 0:05 | text`) become a label the document's rules may count; a
    /// header row is written as it is.
    pub fn row(&mut self, cells: &[Para], header: bool) {
        let cells: Vec<&Para> = cells.iter().filter(|c| !c.is_empty()).collect();
        let (mut name, mut time) = (None, None);
        let mut first = 0;
        if !header {
            for c in cells.iter().take(cells.len().saturating_sub(1)) {
                let t = c.text();
                let bare = t.trim_matches(|c| matches!(c, '[' | ']' | '(' | ')'));
                if time.is_none() && !t.contains('\n') && label::parse_time(bare).is_some() {
                    time = Some(bare.to_string());
                } else if name.is_none() && name_like(t) {
                    name = Some(t.trim_end_matches([':', '：']).trim_end().to_string());
                } else {
                    break;
                }
                first += 1;
            }
        }
        let mut line = Para::default();
        for c in &cells[first..] {
            line.append(CELL_SEP, c);
        }
        let lab = (name.is_some() || time.is_some()).then_some(Label { name, time, bold: false });
        self.paragraph(&line, lab.as_ref());
    }

    /// The Markdown written.
    pub fn finish(mut self) -> String {
        if !self.started
            && let Some(t) = self.title.take()
        {
            self.heading_line(1, &t);
        }
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }
}

/// Emphasis the inline parser surely reads back: spans apart (no two touching), each
/// starting and ending with a character that is neither space nor punctuation, or with
/// punctuation that has space or punctuation (or the line's edge) on its outer side. Other
/// lines are checked by parsing them.
fn plainly_flanked(line: &str, spans: &[(Range<usize>, u8)]) -> bool {
    let punct = |c: char| !c.is_alphanumeric() && !c.is_whitespace();
    let outer = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || punct(c));
    let mut sorted: Vec<&Range<usize>> = spans.iter().map(|(r, _)| r).collect();
    sorted.sort_unstable_by_key(|r| r.start);
    sorted.windows(2).all(|w| w[0].end < w[1].start)
        && sorted.iter().all(|r| {
            let (before, inner, after) = (&line[..r.start], &line[r.start..r.end], &line[r.end..]);
            let (Some(first), Some(last)) = (inner.chars().next(), inner.chars().next_back())
            else {
                return false;
            };
            !first.is_whitespace()
                && !last.is_whitespace()
                && (!punct(first) || outer(before.chars().next_back()))
                && (!punct(last) || outer(after.chars().next()))
        })
}

/// A cell that may name a speaker: one short line that reads as a name.
fn name_like(t: &str) -> bool {
    let t = t.trim_end_matches([':', '：']).trim_end();
    !t.contains('\n') && t.chars().count() <= 30 && label::valid_name(t)
}

fn write_label(out: &mut String, l: &Label) {
    let stars = if l.bold { "**" } else { "" };
    match (&l.name, &l.time) {
        (Some(n), t) => {
            out.push_str(stars);
            escape(out, n, &[]);
            if let Some(t) = t {
                out.push_str(" (");
                out.push_str(t);
                out.push(')');
            }
            out.push(':');
            out.push_str(stars);
        }
        (None, Some(t)) => {
            out.push('[');
            out.push_str(t);
            out.push(']');
        }
        (None, None) => {}
    }
}

/// Emphasis marks to insert, by byte offset: at one offset closers come before openers,
/// the inner span's closer first and the outer span's opener first.
fn marks(spans: &[(Range<usize>, u8)]) -> Vec<(usize, &'static str)> {
    let mut ev: Vec<(usize, u8, usize, &'static str)> = Vec::with_capacity(spans.len() * 2);
    for (r, st) in spans {
        let m = MARKS[usize::from(*st)];
        // Closers (0) before openers (1): the one that began last closes first, the one
        // that ends last opens first.
        ev.push((r.end, 0, usize::MAX - r.start, m));
        ev.push((r.start, 1, usize::MAX - r.end, m));
    }
    ev.sort_unstable();
    ev.into_iter().map(|(at, _, _, m)| (at, m)).collect()
}

/// Write `line` escaped, inserting `marks` (sorted by offset) at their offsets. Every byte
/// that may need a backslash is ASCII, so runs of other bytes are copied whole.
fn escape(out: &mut String, line: &str, marks: &[(usize, &str)]) {
    let b = line.as_bytes();
    let ordered = ordered_marker(line);
    let mut mi = 0;
    let mut copied = 0;
    for (i, &c) in b.iter().enumerate() {
        let mark = marks.get(mi).is_some_and(|&(at, _)| at <= i);
        if !mark && !MAY_ESCAPE[usize::from(c)] && i > 0 {
            continue;
        }
        out.push_str(&line[copied..i]);
        copied = i;
        while let Some(&(_, m)) = marks.get(mi).filter(|(at, _)| *at <= i) {
            out.push_str(m);
            mi += 1;
        }
        let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let next = b.get(i + 1).copied();
        let esc = match c {
            b'\\' | b'*' | b'`' => true,
            b'_' => !(alnum(line[..i].chars().next_back()) && alnum(line[i + 1..].chars().next())),
            b'<' => {
                next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, b'/' | b'!' | b'?'))
            }
            b'&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == b'#'),
            b'!' => next == Some(b'['),
            b']' => next == Some(b'('),
            // `~~` would strike text through, `[^` start a footnote.
            b'~' if next == Some(b'~') => true,
            b'[' => next == Some(b'^'),
            b'#' | b'>' | b'-' | b'+' | b'~' | b'=' | b'|' if i == 0 => true,
            b'.' | b')' => ordered == Some(i),
            _ => false,
        };
        if esc {
            out.push('\\');
        }
    }
    out.push_str(&line[copied..]);
    for &(_, m) in &marks[mi.min(marks.len())..] {
        out.push_str(m);
    }
}

/// The bytes [`escape`] may put a backslash before.
const MAY_ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let set = b"\\*`_<&!]#>-+~=|.)[";
    let mut i = 0;
    while i < set.len() {
        t[set[i] as usize] = true;
        i += 1;
    }
    t
};

/// Text written by [`escape`] as it was: a backslash before ASCII punctuation dropped (for
/// names and metadata, which are taken from the Markdown before inline parsing).
pub fn unescape(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('\\') {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && n.is_ascii_punctuation()
        {
            out.push(n);
            chars.next();
            continue;
        }
        out.push(c);
    }
    std::borrow::Cow::Owned(out)
}

/// The offset of the `.` or `)` of an ordered-list marker opening `line` (`12. `), if any.
fn ordered_marker(line: &str) -> Option<usize> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let b = line.as_bytes();
    ((1..=9).contains(&digits)
        && matches!(b.get(digits), Some(b'.' | b')'))
        && matches!(b.get(digits + 1), None | Some(b' ' | b'\t')))
    .then_some(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(parts: &[(&str, bool)]) -> Para {
        let mut p = Para::default();
        for &(s, bold) in parts {
            p.set(BOLD, bold);
            p.push(s);
        }
        p.set(BOLD, false);
        p
    }

    fn md(p: &Para, label: Option<&Label>) -> String {
        let mut w = Writer::default();
        w.paragraph(p, label);
        w.finish()
    }

    /// What the inline parser shows of a written line.
    fn shown(md: &str) -> String {
        let md = md.trim_end();
        inline::parse(md, std::slice::from_ref(&(0..md.len()))).text
    }

    #[test]
    fn markup_in_text_stays_text() {
        for s in [
            "# not a heading",
            "> not a quote",
            "- not a list",
            "+ plus",
            "1. not a list",
            "12) nor this",
            "***",
            "a *star* and **two** and `code`",
            "snake_case and _under_ and __init__",
            "<b>tag</b> &amp; &#65; <3 & co",
            "![alt](img.png) and [link](http://x.y)",
            "back\\slash \\* and C:\\Users",
            "~~~ fence",
            "---",
        ] {
            let p = para(&[(s, false)]);
            assert_eq!(shown(&md(&p, None)), s, "{s:?} written as {:?}", md(&p, None));
        }
    }

    #[test]
    fn bold_is_kept_where_it_reads_back() {
        let p = para(&[("Ann:", true), (" hello ", false), ("there", true), (" you", false)]);
        assert_eq!(md(&p, None), "**Ann:** hello **there** you\n");
        // Spaces at a bold run's edges go outside it.
        let p = para(&[("a", false), (" b ", true), ("c", false)]);
        assert_eq!(md(&p, None), "a **b** c\n");
        // Bold that would not read back (punctuation inside, a letter outside) goes plain.
        let p = para(&[("x", false), ("\"q\"", true), ("y", false)]);
        assert_eq!(shown(&md(&p, None)), "x\"q\"y");
    }

    #[test]
    fn labels_and_lines() {
        let mut p = para(&[("Welcome", false)]);
        p.brk();
        p.push("  second   line ");
        let l = Label { name: Some("Kevin".into()), time: Some("0:05".into()), bold: true };
        assert_eq!(md(&p, Some(&l)), "**Kevin (0:05):** Welcome\nsecond line\n");
        let l = Label { name: None, time: Some("1:00".into()), bold: false };
        assert_eq!(md(&para(&[("x", false)]), Some(&l)), "[1:00] x\n");
    }

    #[test]
    fn rows_take_a_name_and_a_time() {
        let cells = [para(&[("0:05", false)]), para(&[("Ann", false)]), para(&[("Hi.", false)])];
        let mut w = Writer::default();
        w.row(&cells, false);
        w.row(&cells, true);
        assert_eq!(w.finish(), "Ann (0:05): Hi.\n\n0:05 | Ann | Hi.\n");
    }

    #[test]
    fn the_title_comes_first_unless_a_heading_opens_the_body() {
        let mut w = Writer::default();
        w.title(&para(&[("Page", false)]));
        w.paragraph(&para(&[("text", false)]), None);
        assert_eq!(w.finish(), "# Page\n\ntext\n");
        let mut w = Writer::default();
        w.title(&para(&[("Page", false)]));
        w.heading(1, &para(&[("Episode 3 #", false)]));
        assert_eq!(w.finish(), "# Episode 3 \\#\n");
    }
}

//! Raw HTML in Markdown and plain text (stage 2): the markup is dropped, the text kept.
//!
//! Exports put HTML in Markdown: `<details>`/`<summary>` toggles, `<p class=…>` paragraphs,
//! `<br>`, `<span>`. Here a tag is `<name …>`, `</name>` or `<name …/>` for a *known* HTML
//! element name (so a transcriber's `<inaudible>` or `<crosstalk>` stays visible text),
//! with quoted attribute values, on one line. Blocks follow CommonMark's HTML block kinds:
//! comments, `<?…?>`, declarations, CDATA, `<script>`, `<style>` and `<svg>` are dropped
//! whole; a block-level tag (kind 6) or a line holding only a known tag (kind 7) starts a
//! block of text that runs to a blank line (`<pre>`, `<textarea>`: to their closing tag),
//! read by [`TextBlock`] into paragraphs split at block-level tags, inline tags left for
//! [`super::inline`] to drop. A `<summary>` is a paragraph of its own, shown as a dim aside;
//! what a `<details>` holds is read as ordinary text (fangtan shows everything expanded).
//!
//! Invariant: linear time on any input. A tag is looked for only up to the next `<`
//! (attribute values may not hold one), so no byte is scanned by two attempts; a comment's
//! end and a `</script>` once per line, remembered by the caller ([`Closers`]).

use std::ops::Range;

use super::markdown::{is_blank, line_at, trimmed};

/// What kind of element a known tag name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Block-level (CommonMark's kind 6 list): breaks a paragraph.
    Block,
    /// `<br>`: a line break inside a paragraph.
    Break,
    /// Inline: dropped, its text kept in place.
    Inline,
    /// `<pre>`, `<textarea>`: text up to the closing tag.
    Pre,
    /// `<script>`, `<style>`, `<svg>`, `<template>`: dropped with everything inside.
    Drop,
}

/// Lowercase names by kind, each list sorted.
const BLOCK: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "meta",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];
const INLINE: &[&str] = &[
    "a", "abbr", "acronym", "audio", "b", "bdi", "bdo", "big", "button", "canvas", "cite", "code",
    "data", "del", "dfn", "em", "embed", "font", "i", "img", "input", "ins", "kbd", "label", "map",
    "mark", "meter", "noscript", "object", "output", "picture", "progress", "q", "rp", "rt",
    "ruby", "s", "samp", "select", "small", "source", "span", "strike", "strong", "sub", "sup",
    "time", "tt", "u", "var", "video", "wbr",
];
const DROP: &[&str] = &["math", "script", "style", "svg", "template"];

/// The kind of the element `name` names (any case), if it is a known one.
pub fn kind_of(name: &[u8]) -> Option<Kind> {
    if name.is_empty() || name.len() > 10 {
        return None;
    }
    let mut buf = [0u8; 10];
    let lower = &mut buf[..name.len()];
    lower.copy_from_slice(name);
    lower.make_ascii_lowercase();
    let lower = std::str::from_utf8(lower).ok()?;
    let has = |list: &[&str]| list.binary_search(&lower).is_ok();
    match lower {
        "br" => Some(Kind::Break),
        "pre" | "textarea" => Some(Kind::Pre),
        _ if has(BLOCK) => Some(Kind::Block),
        _ if has(INLINE) => Some(Kind::Inline),
        _ if has(DROP) => Some(Kind::Drop),
        _ => None,
    }
}

/// A tag found in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    /// Bytes from `<` to `>`, both included.
    pub len: usize,
    pub closing: bool,
    pub kind: Kind,
    /// Where the name lies, as an offset from `<` and a length.
    name: (usize, usize),
}

impl Tag {
    /// The tag's name as written.
    pub fn name<'a>(&self, b: &'a [u8], at: usize) -> &'a [u8] {
        &b[at + self.name.0..at + self.name.0 + self.name.1]
    }

    fn is(&self, b: &[u8], at: usize, name: &str) -> bool {
        self.name(b, at).eq_ignore_ascii_case(name.as_bytes())
    }
}

/// The name after `<` or `</` at `i` (a letter, then letters, digits and `-`): (closing,
/// name start, name end).
fn name_at(b: &[u8], i: usize, end: usize) -> Option<(bool, usize, usize)> {
    let mut j = i + 1;
    let closing = b.get(j) == Some(&b'/');
    j += usize::from(closing);
    if j >= end || !b[j].is_ascii_alphabetic() {
        return None;
    }
    let start = j;
    while j < end && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
        j += 1;
    }
    Some((closing, start, j))
}

/// A complete tag of a known element starting at `i` (a `<`) and ending by `end`. Reads
/// no further than the next `<`.
pub fn tag_at(b: &[u8], i: usize, end: usize) -> Option<Tag> {
    let (closing, ns, ne) = name_at(b, i, end)?;
    let kind = kind_of(&b[ns..ne])?;
    let mut j = ne;
    // After the name: the end of the tag, or whitespace or `/` before attributes.
    match b.get(j) {
        Some(b'>') => {}
        Some(b' ' | b'\t' | b'/' | b'\n') if j < end => {}
        _ => return None,
    }
    // A quote opens a value only right after `=` (spaces between allowed): `title=don't`
    // is an unquoted value.
    let mut quote: Option<u8> = None;
    let mut after_eq = false;
    while j < end {
        let c = b[j];
        match quote {
            _ if c == b'<' => return None,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'>' => {
                let len = j + 1 - i;
                return Some(Tag { len, closing, kind, name: (ns - i, ne - ns) });
            }
            None if (c == b'"' || c == b'\'') && after_eq => quote = Some(c),
            None => {}
        }
        if quote.is_none() && !matches!(c, b' ' | b'\t') {
            after_eq = c == b'=';
        }
        j += 1;
    }
    None
}

/// One search for a closer (`-->`, `</script`) remembered: it covered `from..end` and
/// found the closer at `found` (or nowhere).
#[derive(Debug, Default, Clone, Copy)]
struct Memo {
    from: usize,
    end: usize,
    found: Option<usize>,
    used: bool,
}

/// Where the closers of comments and of elements dropped whole lie, each searched for
/// once per line however many openers need it: a line of a thousand unclosed `<!--` or
/// `<script>` is read once, not once per opener. Searches must come in the order of the
/// text.
#[derive(Debug, Default, Clone, Copy)]
pub struct Closers {
    /// `-->`, then the closing tag of each name in [`DROP`].
    memo: [Memo; 6],
}

impl Closers {
    /// The first `needle` (ASCII, any case) in `b[from..end]`: where it starts.
    fn find(&mut self, k: usize, b: &[u8], from: usize, end: usize, needle: &str) -> Option<usize> {
        let m = &mut self.memo[k];
        let known = m.used && m.end == end && m.from <= from && m.found.is_none_or(|f| from <= f);
        if !known {
            let n = needle.len();
            *m = Memo {
                from,
                end,
                found: find_ci(&b[from.min(end)..end], needle).map(|after| from + after - n),
                used: true,
            };
        }
        m.found
    }

    /// The offset just past the `-->` closing a comment opened at `i` (`<!--`; `<!-->` and
    /// `<!--->` are comments too), looking no further than `end`.
    pub fn comment(&mut self, b: &[u8], i: usize, end: usize) -> Option<usize> {
        self.find(0, b, i + 2, end, "-->").map(|f| f + 3)
    }

    /// The offset just past the closing tag of the element named `name` (one of [`DROP`])
    /// whose content starts at `from`.
    fn element(&mut self, name: &[u8], b: &[u8], from: usize, end: usize) -> Option<usize> {
        let k = DROP.iter().position(|d| name.eq_ignore_ascii_case(d.as_bytes()))?;
        let close = self.find(k + 1, b, from, end, CLOSE[k])?;
        let tail = close + CLOSE[k].len();
        memchr::memchr(b'>', &b[tail..end]).map(|g| tail + g + 1)
    }
}

/// `</name` for each name in [`DROP`].
const CLOSE: [&str; 5] = ["</math", "</script", "</style", "</svg", "</template"];

/// The markup at `i` (a `<`) that inline text drops: its length and whether it breaks the
/// line (`<br>`, block-level tags). An element dropped whole (`<script>…</script>`) goes
/// with its content when it closes on the line; else only its tag goes.
pub fn inline_markup(
    b: &[u8],
    i: usize,
    end: usize,
    closers: &mut Closers,
) -> Option<(usize, bool)> {
    if b[i..end].starts_with(b"<!--") {
        return closers.comment(b, i, end).map(|after| (after - i, false));
    }
    let t = tag_at(b, i, end)?;
    if t.kind == Kind::Drop
        && !t.closing
        && let Some(after) = closers.element(t.name(b, i), b, i + t.len, end)
    {
        return Some((after - i, false));
    }
    Some((t.len, matches!(t.kind, Kind::Break | Kind::Block | Kind::Pre)))
}

/// How an HTML block that starts a line is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Dropped whole, up to and including the line that holds `end` (any case).
    Drop { end: &'static str },
    /// Text: a [`TextBlock`] ending at a blank line, or with `close` at the line holding
    /// `</close`.
    Text { close: Option<&'static str> },
}

/// The HTML block that the line `t` (indentation removed) starts, if any. `interrupting`:
/// the line follows paragraph text, which only CommonMark's kinds 1 to 6 may interrupt.
pub fn block_start(t: &str, interrupting: bool) -> Option<Start> {
    let b = t.as_bytes();
    if b.first() != Some(&b'<') {
        return None;
    }
    if t.starts_with("<!--") {
        return Some(Start::Drop { end: "-->" });
    }
    if t.starts_with("<?") {
        return Some(Start::Drop { end: "?>" });
    }
    if t.starts_with("<![CDATA[") {
        return Some(Start::Drop { end: "]]>" });
    }
    if b.len() > 2 && b[1] == b'!' && b[2].is_ascii_alphabetic() {
        return Some(Start::Drop { end: ">" });
    }
    let (closing, ns, ne) = name_at(b, 0, b.len())?;
    let kind = kind_of(&b[ns..ne])?;
    let after_name =
        matches!(b.get(ne), None | Some(b' ' | b'\t' | b'>')) || b[ne..].starts_with(b"/>");
    match kind {
        Kind::Drop if !closing && after_name => Some(Start::Drop { end: close_marker(&t[ns..ne]) }),
        Kind::Pre if !closing && after_name => {
            let name = if t[ns..ne].eq_ignore_ascii_case("pre") { "pre" } else { "textarea" };
            Some(Start::Text { close: Some(name) })
        }
        Kind::Block if after_name => Some(Start::Text { close: None }),
        _ if interrupting => None,
        // Kind 7: a whole tag alone on its line.
        _ => {
            let tag = tag_at(b, 0, b.len())?;
            t[tag.len..].trim().is_empty().then_some(Start::Text { close: None })
        }
    }
}

/// `</script` and the like, for a dropped element's name (any case).
fn close_marker(name: &str) -> &'static str {
    DROP.iter()
        .zip(CLOSE)
        .find(|(n, _)| name.eq_ignore_ascii_case(n))
        .map_or("</script", |(_, m)| m)
}

/// Where `needle` (ASCII, lowercase) first occurs in `hay`, in any case: the offset after it.
pub fn find_ci(hay: &[u8], needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    let first = *n.first()?;
    memchr::memchr_iter(first, hay)
        .find(|&p| hay.get(p..p + n.len()).is_some_and(|w| w.eq_ignore_ascii_case(n)))
        .map(|p| p + n.len())
}

/// The offset just past the line that holds `end`, searching from `from` (which may be
/// inside a line): where a dropped block ends. The whole text when it never closes.
pub fn drop_until(text: &str, from: usize, end: &str) -> usize {
    let mut pos = from;
    while let Some((r, next)) = line_at(text, pos) {
        if find_ci(&text.as_bytes()[r], end).is_some() {
            return next;
        }
        pos = next;
    }
    text.len()
}

/// What a paragraph of an HTML block is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Para {
    Text,
    /// The text of a `<summary>`.
    Summary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Text,
    Comment,
    /// Inside an element dropped whole, until this closing marker.
    Drop(&'static str),
}

/// Reads the text of one HTML block as paragraphs, one per call, from a position that may
/// lie inside a line. Paragraphs break at block-level tags; each line's text between them
/// is one source range, inline tags and character references left in it.
#[derive(Debug, Clone)]
pub struct TextBlock {
    close: Option<&'static str>,
    mode: Mode,
    summary: bool,
    line_start: bool,
    done: bool,
    comments: Closers,
}

impl TextBlock {
    pub fn new(start: Start) -> TextBlock {
        let (close, mode) = match start {
            Start::Text { close } => (close, Mode::Text),
            Start::Drop { end } => (None, Mode::Drop(end)),
        };
        TextBlock {
            close,
            mode,
            summary: false,
            line_start: false,
            done: false,
            comments: Closers::default(),
        }
    }

    /// The next paragraph, its lines in `lines` (cleared first); `None` once the block
    /// has ended, `*pos` then where the text after it starts.
    pub fn next(
        &mut self,
        text: &str,
        pos: &mut usize,
        lines: &mut Vec<Range<usize>>,
    ) -> Option<Para> {
        lines.clear();
        let b = text.as_bytes();
        let mut kind = self.para();
        while !self.done {
            let Some((lr, next)) = line_at(text, *pos) else {
                self.done = true;
                break;
            };
            if self.line_start && is_blank(&text[lr.clone()]) {
                if self.close.is_none() {
                    self.done = true;
                    break;
                }
                *pos = next;
                if !lines.is_empty() {
                    return Some(kind);
                }
                continue;
            }
            let last = self.close.is_some_and(|c| {
                let mut marker = [0u8; 10];
                let m = &mut marker[..c.len() + 2];
                m[..2].copy_from_slice(b"</");
                m[2..].copy_from_slice(c.as_bytes());
                std::str::from_utf8(m).ok().and_then(|m| find_ci(&b[lr.clone()], m)).is_some()
            });
            let mut i = *pos;
            let mut seg = i;
            while i < lr.end {
                match self.mode {
                    Mode::Comment => {
                        match self.comments.comment(b, i.saturating_sub(2), lr.end) {
                            Some(after) => {
                                i = after;
                                self.mode = Mode::Text;
                            }
                            None => i = lr.end,
                        }
                        seg = i;
                    }
                    Mode::Drop(end) => {
                        i = match find_ci(&b[i..lr.end], end) {
                            Some(k) => {
                                self.mode = Mode::Text;
                                let close = i + k;
                                memchr::memchr(b'>', &b[close..lr.end])
                                    .map_or(lr.end, |g| close + g + 1)
                            }
                            None => lr.end,
                        };
                        seg = i;
                    }
                    Mode::Text => {
                        let Some(k) = memchr::memchr(b'<', &b[i..lr.end]) else { break };
                        let p = i + k;
                        if b[p..lr.end].starts_with(b"<!--") {
                            push(text, seg..p, lines);
                            self.mode = Mode::Comment;
                            i = p + 2;
                            continue;
                        }
                        let Some(tag) = tag_at(b, p, lr.end) else {
                            i = p + 1;
                            continue;
                        };
                        i = p + tag.len;
                        match tag.kind {
                            Kind::Inline | Kind::Break => continue,
                            Kind::Drop if !tag.closing => {
                                self.mode = Mode::Drop(close_marker(
                                    std::str::from_utf8(tag.name(b, p)).unwrap_or("script"),
                                ));
                            }
                            _ => {}
                        }
                        push(text, seg..p, lines);
                        seg = i;
                        let was = kind;
                        if tag.is(b, p, "summary") {
                            self.summary = !tag.closing;
                        }
                        kind = self.para();
                        if !lines.is_empty() && !matches!(tag.kind, Kind::Drop) {
                            *pos = i;
                            self.line_start = false;
                            return Some(was);
                        }
                    }
                }
            }
            push(text, seg..lr.end, lines);
            *pos = next;
            self.line_start = true;
            if last {
                self.done = true;
            }
        }
        (!lines.is_empty()).then_some(kind)
    }

    fn para(&self) -> Para {
        if self.summary { Para::Summary } else { Para::Text }
    }
}

/// Add the text in `r`, trimmed, unless there is none.
fn push(text: &str, r: Range<usize>, lines: &mut Vec<Range<usize>>) {
    if r.is_empty() {
        return;
    }
    let t = trimmed(text, &r);
    if !t.is_empty() {
        lines.push(t);
    }
}

/// One line of plain text as a reader sees it: character references decoded, known tags
/// and comments on the line dropped (`<br>` as a space). Borrowed when there is nothing
/// to change.
pub fn plain_line(s: &str) -> std::borrow::Cow<'_, str> {
    let b = s.as_bytes();
    if memchr::memchr2(b'<', b'&', b).is_none() {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut comments = Closers::default();
    let (mut i, mut copied, mut pending_break) = (0, 0, false);
    // Text up to `to`, after the break a dropped `<br>` left (joined as hard wraps are).
    let text = |out: &mut String, piece: &str, pending: &mut bool| {
        if let (true, Some(a), Some(c)) = (*pending, out.chars().next_back(), piece.chars().next())
        {
            *pending = false;
            if !a.is_whitespace() && !c.is_whitespace() {
                out.push_str(super::join::separator(a, c));
            }
        }
        out.push_str(piece);
    };
    while let Some(k) = memchr::memchr2(b'<', b'&', &b[i..]) {
        let p = i + k;
        let found = match b[p] {
            b'<' => inline_markup(b, p, b.len(), &mut comments).map(|(len, brk)| (len, brk, None)),
            _ => super::entity::at(&s[p..]).map(|(d, len)| (len, false, Some(d))),
        };
        match found {
            Some((len, brk, d)) => {
                text(&mut out, &s[copied..p], &mut pending_break);
                if let Some(d) = d {
                    let mut buf = [0u8; 8];
                    text(&mut out, d.as_str(&mut buf), &mut pending_break);
                }
                pending_break |= brk;
                copied = p + len;
                i = copied;
            }
            None => i = p + 1,
        }
    }
    text(&mut out, &s[copied..], &mut pending_break);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_lists_are_sorted() {
        for list in [BLOCK, INLINE, DROP] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
        }
    }

    #[test]
    fn tags_of_known_elements_only() {
        let t = |s: &str| tag_at(s.as_bytes(), 0, s.len()).map(|t| (t.len, t.closing, t.kind));
        assert_eq!(t("<span class=\"a>b\">x"), Some((18, false, Kind::Inline)));
        assert_eq!(t("</P >"), Some((5, true, Kind::Block)));
        assert_eq!(t("<br/>"), Some((5, false, Kind::Break)));
        assert_eq!(t("<inaudible>"), None);
        assert_eq!(t("<span a=\"<b>\">"), None);
        assert_eq!(t("<span"), None);
        assert_eq!(t("<spanx>"), None);
    }

    #[test]
    fn block_starts() {
        assert_eq!(block_start("<details>", true), Some(Start::Text { close: None }));
        assert_eq!(block_start("<SCRIPT type=x>", true), Some(Start::Drop { end: "</script" }));
        assert_eq!(block_start("<pre>", true), Some(Start::Text { close: Some("pre") }));
        assert_eq!(block_start("<span>", false), Some(Start::Text { close: None }));
        assert_eq!(block_start("<span>", true), None);
        assert_eq!(block_start("<span>text", false), None);
        assert_eq!(block_start("<crosstalk>", false), None);
    }

    #[test]
    fn plain_lines() {
        assert_eq!(plain_line("a<br>b &amp; <span class=x>c</span><!-- no -->"), "a b & c");
        assert_eq!(plain_line("你好<br/>世界<span title=don't>!</span>"), "你好世界!");
        assert_eq!(plain_line("a<script>x()</script>b<style>"), "ab");
        assert_eq!(plain_line("<inaudible> AT&T"), "<inaudible> AT&T");
    }
}

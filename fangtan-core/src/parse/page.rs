//! HTML pages: a transcript page from a podcast or news site, a Podcasting 2.0 HTML
//! transcript (`<cite>Name:</cite> <time>0:00</time> <p>text</p>`), an oral-history page
//! written in the last century (`<FONT>`, upper-case tags, `<P>` never closed).
//!
//! The page is read by the WHATWG tokenizer of html5ever (character references, broken
//! and legacy markup, the raw text of scripts and styles) as a stream of tags and text, and
//! written as Markdown ([`super::write_md`]) that [`super::markdown`] then parses, so that
//! labels, times, sections and quotes follow exactly the rules of text:
//! - `<title>` or a first `<h1>` is the title, `<h2>`…`<h6>` are sections;
//! - `<p>`, `<div>`, `<li>`, `<blockquote>` and other blocks are paragraphs, `<br>` breaks a
//!   line and two in a row a paragraph, `<pre>` keeps its lines;
//! - `<b>`/`<strong>` are bold (`<b>Name:</b> text` is a label, bold inside a turn a quote),
//!   `<i>`/`<em>` italic; emphasis left open ends with its paragraph;
//! - a `<cite>` and a `<time>` before a paragraph's text are its speaker and start time;
//! - a table row is one paragraph, its cells joined (leading name and time cells make a
//!   label); a cell holding blocks of its own, or a page's worth of text, is page layout and
//!   is read as blocks;
//! - `<script>`, `<style>`, `<nav>`, a page's `<header>` and `<footer>` (not an article's),
//!   forms' controls, media, `hidden` elements and comments are dropped.
//!
//! Invariant: no tree is built: memory is the page and the Markdown written, time is linear
//! in the page, and no page, however broken, makes the reader panic.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::{LocalName, TokenizerResult};

use super::Builder;
use super::write_md::{BOLD, ITALIC, Label, Para, Writer};

/// Parse the builder's text, an HTML page: written as Markdown, which becomes the
/// document's text (its hash stays that of the page, as when read in parts).
pub fn parse(b: &mut Builder) {
    let html = b.take_text();
    b.doc.text_hash.get_or_insert_with(|| crate::hash::text_hash(&html));
    let (mut md, had) = to_markdown(&html);
    drop(html);
    md.shrink_to_fit();
    b.doc.had_control_chars |= had;
    b.restore_text(md);
    super::markdown::parse(b);
}

/// Does the text read as an HTML page rather than Markdown with a little HTML in it? A
/// doctype or an `<html>` tag first says so; else the text must open with a tag, and most
/// of its lines begin with an HTML element's tag (not `<alice>` of a chat log).
pub fn looks_like_html(text: &str) -> bool {
    let mut head = text.trim_start_matches('\u{feff}').trim_start();
    // An XML declaration and comments before the first tag.
    loop {
        if head.starts_with("<?") {
            head = head.find("?>").map_or("", |e| &head[e + 2..]).trim_start();
        } else if head.starts_with("<!--") {
            head = head.find("-->").map_or("", |e| &head[e + 3..]).trim_start();
        } else {
            break;
        }
    }
    let lower = |s: &str, n: usize| s.get(..n.min(s.len())).map(str::to_ascii_lowercase);
    if lower(head, 14).is_some_and(|h| h.starts_with("<!doctype html") || h.starts_with("<html")) {
        return true;
    }
    if element_tag(head).is_none() {
        return false;
    }
    let (mut lines, mut tags) = (0, 0);
    for line in head.lines().map(str::trim_start).filter(|l| !l.is_empty()).take(2000) {
        lines += 1;
        tags += usize::from(element_tag(line).is_some() || line.starts_with("</"));
    }
    tags * 2 > lines
}

/// The HTML element whose tag opens `s` (`<p>`, `<P class=x>`, `<br/>`), if it is one.
fn element_tag(s: &str) -> Option<&'static str> {
    let rest = s.strip_prefix('<')?;
    let n = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    if !matches!(rest.as_bytes().get(n), Some(b'>' | b' ' | b'/' | b'\t' | b'\n')) {
        return None;
    }
    let name = rest[..n].to_ascii_lowercase();
    ELEMENTS.iter().copied().find(|&e| e == name)
}

/// Elements a transcript page is made of, for [`looks_like_html`].
#[rustfmt::skip]
const ELEMENTS: &[&str] = &[
    "html", "head", "body", "meta", "title", "link", "style", "script", "p", "div", "span",
    "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "b", "strong", "i", "em", "a", "ul", "ol",
    "li", "dl", "dt", "dd", "table", "tr", "td", "th", "tbody", "thead", "blockquote", "pre",
    "cite", "time", "section", "article", "main", "header", "footer", "nav", "font", "center",
    "img", "figure", "small", "sup", "u",
];

/// The page written as Markdown, and whether a character reference named a control
/// character (shown as its stand-in).
pub fn to_markdown(html: &str) -> (String, bool) {
    // The Markdown is shorter than the page (tags go, a few escapes come): room for it at
    // once, never a copy while it grows.
    let conv = Conv { w: Writer::with_capacity(html.len()), ..Conv::default() };
    let tok = Tokenizer::new(Sink(RefCell::new(conv)), TokenizerOpts::default());
    let queue = BufferQueue::default();
    // Fed a piece at a time: the tokenizer holds a copy of what it is given.
    const PIECE: usize = 64 << 10;
    let mut at = 0;
    while at < html.len() {
        let mut end = (at + PIECE).min(html.len());
        while !html.is_char_boundary(end) {
            end += 1;
        }
        queue.push_back(StrTendril::from_slice(&html[at..end]));
        at = end;
        // No sink result stops the tokenizer (no scripts run, encodings are settled).
        while !matches!(tok.feed(&queue), TokenizerResult::Done) {}
    }
    tok.end();
    let conv = tok.sink.0.into_inner();
    conv.finish()
}

struct Sink(RefCell<Conv>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut c = self.0.borrow_mut();
        match token {
            Token::CharacterTokens(t) => c.text(&t),
            Token::TagToken(tag) => return c.tag(&tag),
            Token::EOFToken => c.end(),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// What text goes to, besides the paragraph.
#[derive(Default)]
enum Capture {
    #[default]
    None,
    Title(Para),
    Heading(u8, Para),
    /// A `<cite>` opening a paragraph: maybe its speaker.
    Cite(Para),
    /// A `<time>` opening a paragraph: maybe its start.
    Time(Para),
}

/// A table row being read.
#[derive(Default)]
struct Row {
    cells: Vec<Para>,
    /// Every cell so far a `<th>`.
    header: bool,
    /// The row is page layout: its cells are read as blocks.
    layout: bool,
    in_cell: bool,
}

/// A cell with more text than this is page layout, not a table's cell.
const LAYOUT_CELL: usize = 8 << 10;

#[derive(Default)]
struct Conv {
    w: Writer,
    para: Para,
    /// The label of `para`, set when its first text came.
    label: Option<Label>,
    /// A dropped element being skipped: its name and nesting.
    skip: Option<(LocalName, u32)>,
    capture: Capture,
    /// A `<cite>` and a `<time>` read before a paragraph's text.
    cite: Option<String>,
    time: Option<String>,
    /// Inside `<pre>`, and how many line ends in a row were seen there.
    pre: u32,
    pre_breaks: u32,
    /// Open tables, innermost last, each with its row.
    tables: Vec<Option<Row>>,
    /// Inside `<article>` or `<main>`: its `<header>` and `<footer>` are content.
    article: u32,
    /// `<br>`s in a row with only whitespace between.
    brs: u32,
    title_seen: bool,
}

/// Elements whose content is dropped.
fn dropped(name: &str, article: u32) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "template"
            | "nav"
            | "svg"
            | "math"
            | "select"
            | "button"
            | "textarea"
            | "noscript"
            | "iframe"
            | "object"
            | "canvas"
            | "audio"
            | "video"
            | "noembed"
            | "noframes"
            | "datalist"
            | "dialog"
    ) || (article == 0 && matches!(name, "header" | "footer"))
}

/// Elements without an end tag or content.
fn void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
            | "frame"
            | "basefont"
            | "isindex"
    )
}

/// Block elements: a paragraph ends at their start and end.
fn block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "section"
            | "article"
            | "main"
            | "aside"
            | "address"
            | "center"
            | "figure"
            | "figcaption"
            | "details"
            | "summary"
            | "fieldset"
            | "legend"
            | "form"
            | "hgroup"
            | "menu"
            | "dir"
            | "body"
            | "html"
            | "caption"
            | "header"
            | "footer"
            | "frameset"
            | "option"
    )
}

/// Blocks that make a table cell page layout.
fn layout_block(name: &str) -> bool {
    matches!(
        name,
        "li" | "ul" | "ol" | "dl" | "blockquote" | "table" | "hr" | "pre" | "section" | "article"
    ) || heading_level(name).is_some()
}

fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

/// The tokenizer state an element's content is read in, when not markup.
fn raw_kind(name: &str) -> Option<TokenSinkResult<()>> {
    Some(match name {
        "script" => TokenSinkResult::RawData(RawKind::ScriptData),
        "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
            TokenSinkResult::RawData(RawKind::Rawtext)
        }
        "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
        "plaintext" => TokenSinkResult::Plaintext,
        _ => return None,
    })
}

fn hidden(tag: &Tag) -> bool {
    tag.attrs.iter().any(|a| {
        let n = &*a.name.local;
        n == "hidden" || (n == "aria-hidden" && a.value.eq_ignore_ascii_case("true"))
    })
}

impl Conv {
    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name = &*tag.name;
        let raw = raw_kind(name);
        let start = tag.kind == TagKind::StartTag;
        if let Some((n, depth)) = self.skip.as_mut() {
            if &**n == name && !void(name) {
                if start {
                    *depth += u32::from(!tag.self_closing);
                } else {
                    *depth -= 1;
                }
            } else if !start && matches!(name, "body" | "html") {
                *depth = 0;
            }
            if *depth == 0 {
                self.skip = None;
            }
            // Raw text is raw inside a dropped element too (a script in a `<nav>`).
            return match start {
                true => raw.unwrap_or(TokenSinkResult::Continue),
                false => TokenSinkResult::Continue,
            };
        }
        if start {
            self.start(tag, name);
            raw.unwrap_or(TokenSinkResult::Continue)
        } else {
            self.end_tag(name);
            TokenSinkResult::Continue
        }
    }

    fn start(&mut self, tag: &Tag, name: &str) {
        let skip = |c: &mut Conv| {
            if !void(name) && !tag.self_closing {
                c.skip = Some((tag.name.clone(), 1));
            }
        };
        if name == "title" {
            if self.title_seen || !matches!(self.capture, Capture::None) {
                return skip(self);
            }
            self.capture = Capture::Title(Para::default());
            return;
        }
        if dropped(name, self.article) || hidden(tag) {
            return skip(self);
        }
        if name == "br" {
            return self.br();
        }
        if matches!(name, "b" | "strong" | "i" | "em") {
            return self.style(name, true);
        }
        if name == "cite" || name == "time" {
            // Only where it opens a paragraph (not a book's title inside a sentence).
            let opens = self.para.is_empty()
                && matches!(self.capture, Capture::None)
                && self.pre == 0
                && !self.in_plain_row();
            if opens && name == "cite" && self.cite.is_none() && self.time.is_none() {
                self.capture = Capture::Cite(Para::default());
            } else if opens && name == "time" && self.time.is_none() {
                self.capture = Capture::Time(Para::default());
            }
            return;
        }
        if let Some(level) = heading_level(name) {
            self.block(name);
            self.capture = Capture::Heading(level, Para::default());
            return;
        }
        match name {
            "hr" => {
                self.block(name);
                self.w.rule();
            }
            "pre" | "listing" | "xmp" | "plaintext" => {
                self.block(name);
                self.pre += 1;
                self.pre_breaks = 0;
            }
            "table" => {
                self.block(name);
                self.tables.push(None);
            }
            "tr" => self.row_start(),
            "td" | "th" => self.cell_start(name == "th"),
            "article" | "main" => {
                self.block(name);
                self.article += 1;
            }
            _ if block(name) => self.block(name),
            _ => {}
        }
    }

    fn end_tag(&mut self, name: &str) {
        match name {
            "title" => {
                if let Capture::Title(p) = std::mem::take(&mut self.capture) {
                    self.w.title(&p);
                    self.title_seen = true;
                }
            }
            "br" => self.br(),
            "b" | "strong" | "i" | "em" => self.style(name, false),
            "cite" | "time" => self.end_capture(),
            "pre" | "listing" | "xmp" => {
                self.block(name);
                self.pre = self.pre.saturating_sub(1);
            }
            "tr" => self.row_end(),
            "td" | "th" => self.cell_end(),
            "table" => {
                self.row_end();
                self.tables.pop();
                self.block(name);
            }
            "article" | "main" => {
                self.block(name);
                self.article = self.article.saturating_sub(1);
            }
            _ if heading_level(name).is_some() => self.block(name),
            _ if block(name) => self.block(name),
            _ => {}
        }
    }

    fn style(&mut self, name: &str, on: bool) {
        let st = if matches!(name, "b" | "strong") { BOLD } else { ITALIC };
        let p = match &mut self.capture {
            Capture::None => &mut self.para,
            // Emphasis in a title, heading or label is no quote.
            _ => return,
        };
        if on { p.open(st) } else { p.close(st) }
    }

    fn text(&mut self, s: &str) {
        if self.skip.is_some() {
            return;
        }
        match &mut self.capture {
            Capture::None => {}
            Capture::Title(p) | Capture::Heading(_, p) | Capture::Cite(p) | Capture::Time(p) => {
                return p.push(s);
            }
        }
        if self.pre > 0 {
            return self.pre_text(s);
        }
        if s.chars().all(|c| c.is_ascii_whitespace() || c == '\u{a0}') {
            return self.para.push(s);
        }
        self.brs = 0;
        if self.para.is_empty() {
            self.take_label();
        }
        self.para.push(s);
        self.check_cell_size();
    }

    /// Text inside `<pre>`: each line a line, a blank line a paragraph break.
    fn pre_text(&mut self, s: &str) {
        for (k, piece) in s.split('\n').enumerate() {
            if k > 0 {
                self.pre_breaks += 1;
                match self.pre_breaks {
                    1 => self.para.brk(),
                    2 => self.flush(),
                    _ => {}
                }
            }
            if !piece.trim().is_empty() {
                self.pre_breaks = 0;
                if self.para.is_empty() {
                    self.take_label();
                }
            }
            self.para.push(piece);
        }
    }

    /// A paragraph's first text came: a `<cite>` and `<time>` before it are its label.
    fn take_label(&mut self) {
        let (cite, time) = (self.cite.take(), self.time.take());
        let label = match (cite, time) {
            (None, None) => return,
            (Some(name), time) => {
                let colon = name.ends_with([':', '：']);
                if !colon && time.is_none() {
                    // A cite of a book or a source opening the text: it is text.
                    self.para.push(&name);
                    self.para.push(" ");
                    return;
                }
                let name = name.trim_end_matches([':', '：']).trim_end().to_string();
                Label { name: (!name.is_empty()).then_some(name), time, bold: true }
            }
            (None, time) => Label { name: None, time, bold: false },
        };
        self.label = Some(label);
    }

    /// The end of a `<cite>` or `<time>` capture: a name or a time kept for the paragraph,
    /// or (a `<time>` that holds no time) text.
    fn end_capture(&mut self) {
        match std::mem::take(&mut self.capture) {
            Capture::Cite(p) => {
                let name = p.plain().trim().to_string();
                if !name.is_empty() {
                    self.cite = Some(name);
                }
            }
            Capture::Time(p) => {
                let t = p.plain().trim().to_string();
                if super::label::parse_time(&t).is_some() {
                    self.time = Some(t);
                } else if !t.is_empty() {
                    self.take_label();
                    self.para.push(&t);
                    self.para.push(" ");
                }
            }
            other => self.capture = other,
        }
    }

    fn br(&mut self) {
        match &mut self.capture {
            Capture::None => {}
            Capture::Title(p) | Capture::Heading(_, p) | Capture::Cite(p) | Capture::Time(p) => {
                return p.push(" ");
            }
        }
        if self.skip.is_some() {
            return;
        }
        self.brs += 1;
        if self.pre > 0 || self.in_plain_row() || self.brs < 2 {
            self.para.brk();
        } else {
            self.flush();
        }
    }

    /// In a table row read as a row (not page layout)?
    fn in_plain_row(&self) -> bool {
        matches!(self.tables.last(), Some(Some(r)) if !r.layout)
    }

    /// A block starts or ends.
    fn block(&mut self, name: &str) {
        match self.capture {
            Capture::Heading(..) | Capture::Cite(_) | Capture::Time(_) => self.end_heading(),
            _ => {}
        }
        self.brs = 0;
        if let Some(Some(row)) = self.tables.last_mut()
            && !row.layout
            && row.in_cell
        {
            if !layout_block(name) {
                // A paragraph inside a cell is a line of it.
                return self.para.brk();
            }
            self.row_is_layout();
        }
        self.flush();
    }

    fn end_heading(&mut self) {
        match std::mem::take(&mut self.capture) {
            Capture::Heading(level, p) => {
                self.flush_label();
                self.w.heading(level, &p);
            }
            other @ (Capture::Cite(_) | Capture::Time(_)) => {
                self.capture = other;
                self.end_capture();
            }
            other => self.capture = other,
        }
    }

    /// A cite or time with no text after it (before a heading, at the end): written alone.
    fn flush_label(&mut self) {
        self.flush();
        if self.cite.is_some() || self.time.is_some() {
            self.take_label();
            self.flush();
            if let Some(l) = self.label.take() {
                self.w.paragraph(&Para::default(), Some(&l));
            }
        }
    }

    /// The current row turns out to be page layout: its cells so far become paragraphs,
    /// the current cell's lines too.
    fn row_is_layout(&mut self) {
        let Some(Some(row)) = self.tables.last_mut() else { return };
        row.layout = true;
        let cells = std::mem::take(&mut row.cells);
        for c in cells {
            self.w.paragraph(&c, None);
        }
        let para = std::mem::take(&mut self.para);
        let mut lines = para.into_lines();
        if let Some(last) = lines.pop() {
            for l in lines {
                self.w.paragraph(&l, None);
            }
            self.para = last;
        }
    }

    fn check_cell_size(&mut self) {
        if self.para.len() > LAYOUT_CELL && self.in_plain_row() {
            self.row_is_layout();
        }
    }

    /// Write the current paragraph, if it has text.
    fn flush(&mut self) {
        let para = std::mem::take(&mut self.para);
        let label = self.label.take();
        if !para.is_empty() {
            self.w.paragraph(&para, label.as_ref());
        }
    }

    fn row_start(&mut self) {
        self.row_end();
        self.flush();
        match self.tables.last_mut() {
            Some(t) => *t = Some(Row { header: true, ..Row::default() }),
            None => self.tables.push(Some(Row { header: true, ..Row::default() })),
        }
    }

    fn cell_start(&mut self, th: bool) {
        if !matches!(self.tables.last(), Some(Some(_))) {
            self.row_start();
        }
        let Some(Some(row)) = self.tables.last_mut() else { return };
        if row.layout {
            return self.flush();
        }
        if row.in_cell || !self.para.is_empty() {
            row.cells.push(std::mem::take(&mut self.para));
        }
        row.in_cell = true;
        row.header &= th;
    }

    fn cell_end(&mut self) {
        let Some(Some(row)) = self.tables.last_mut() else { return };
        if row.layout {
            return self.flush();
        }
        if row.in_cell {
            row.cells.push(std::mem::take(&mut self.para));
            row.in_cell = false;
        }
    }

    fn row_end(&mut self) {
        let Some(Some(mut row)) = self.tables.last_mut().map(Option::take) else { return };
        if row.layout {
            return self.flush();
        }
        if row.in_cell || !self.para.is_empty() {
            row.cells.push(std::mem::take(&mut self.para));
        }
        self.label = None;
        self.w.row(&row.cells, row.header);
    }

    fn end(&mut self) {
        if let Capture::Title(p) = &self.capture {
            self.w.title(p);
        }
        self.end_heading();
        while !self.tables.is_empty() {
            self.row_end();
            self.tables.pop();
        }
        self.flush_label();
    }

    fn finish(self) -> (String, bool) {
        let had = self.w.had_control_chars;
        (self.w.finish(), had)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        to_markdown(html).0
    }

    #[test]
    fn blocks_breaks_and_bold() {
        assert_eq!(
            md("<title>T</title><p><b>Ann:</b> hi <i>there</i><br>again<p>next"),
            "# T\n\n**Ann:** hi *there*\nagain\n\nnext\n"
        );
        assert_eq!(md("one<br><br>two<br>three"), "one\n\ntwo\nthree\n");
    }

    #[test]
    fn dropped_parts() {
        let page = "<nav><p>Home</p></nav><script>var a = '<p>x</p>';</script>\
                    <style>p{}</style><!-- c --><header>Site</header><p>kept</p>\
                    <article><header><h1>Title</h1></header><p>body</p></article>";
        assert_eq!(md(page), "kept\n\n# Title\n\nbody\n");
    }

    #[test]
    fn podcasting_cite_and_time() {
        let page = "<cite>Kevin:</cite>\n<time>0:00</time>\n<p>Welcome.</p>\n\
                    <time>0:09</time><p>Still me.</p><p><cite>Dune</cite> is a book.</p>";
        assert_eq!(md(page), "**Kevin (0:00):** Welcome.\n\n[0:09] Still me.\n\nDune is a book.\n");
    }

    #[test]
    fn tables_rows_and_layout() {
        let page = "<table><tr><th>Who</th><th>Said</th></tr>\
                    <tr><td>Ann</td><td>Hello <b>you</b>.</td></tr></table>";
        assert_eq!(md(page), "Who | Said\n\nAnn: Hello **you**.\n");
        let page = "<table><tr><td>menu</td><td><h2>Part</h2><p>A: x<p>B: y</td></tr></table>";
        assert_eq!(md(page), "menu\n\n## Part\n\nA: x\n\nB: y\n");
    }

    #[test]
    fn detection() {
        assert!(looks_like_html("<!DOCTYPE html><p>x"));
        assert!(looks_like_html("<?xml version=\"1.0\"?>\n<html>"));
        assert!(looks_like_html("<cite>A:</cite>\n<time>0:00</time>\n<p>x</p>\n"));
        assert!(!looks_like_html("<alice> hi\n<bob> hello\n"));
        assert!(!looks_like_html("# T\n\n<details>\n\ntext\n\nmore\n\nand more\n"));
    }
}

//! Inline Markdown inside one block: emphasis, GFM `~~strikethrough~~`, code, links (their
//! target kept after their text, ` <https://…>`, in a block's text), footnote references
//! (`[^1]`, shown `[1]`), images, escapes, character
//! references (decoded by [`super::entity`]), raw HTML (known tags and comments dropped,
//! their text kept, `<br>` a line break: see [`super::html`]), and the joining of
//! hard-wrapped lines. The schemes a link may be followed by are listed here once
//! ([`link_scheme`], [`link_scheme_ok`]): the reading pane and the terminal edge ask.
//!
//! Emphasis follows the CommonMark delimiter-run algorithm with the "CJK-friendly emphasis"
//! amendment: a run next to punctuation may still open or close when the character on its
//! other side is a CJK character, so `这是**我想做的事。**所以` and `**“中文”**文字` are
//! bold, as a Chinese writer means them. No crate released today implements both that and
//! the segment-break joining we need, so this is ours, and tested hard.
//!
//! Invariant: a block of N bytes is parsed in O(N log N) time whatever it holds (document
//! text is untrusted): every closer an opener may need (`]`, `)`, a backtick run, `>`) is
//! found through a table built once per line, emphasis skips what a match has already
//! ruled out, and link text is walked without recursion. A raw HTML tag is looked for no
//! further than the next `<`, a comment's `-->` (or a `</script>`) once per line, a character reference no
//! further than [`super::entity::MAX_LEN`] bytes. Tokens are 8 bytes, text is what
//! lies between them, so a paragraph of unmatched delimiters costs about twice its size.

use std::ops::Range;

use super::join::{is_east_asian, separator};
use crate::doc::{Run, Style};

/// Display text and style runs of one block.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Inline {
    pub text: String,
    pub runs: Vec<Run>,
}

/// A piece of markup. Literal text is not a token: it is the source between the token
/// before (from where it [resumes](Tok::resume)) and the next token's `at`.
///
/// `x` packs a delimiter run (`*` or `_`): [`EXTRA`] clear, then the char, the flanking
/// flags, whether it is still active, its original length mod 3 and the characters not yet
/// used by a match. Any other token has [`EXTRA`] set and indexes [`Extra`]s.
#[derive(Debug, Clone, Copy)]
struct Tok {
    at: u32,
    x: u32,
}

const EXTRA: u32 = 1 << 31;
const STAR: u32 = 1 << 30;
const CAN_OPEN: u32 = 1 << 29;
const CAN_CLOSE: u32 = 1 << 28;
const ACTIVE: u32 = 1 << 27;
const MOD3_SHIFT: u32 = 25;
/// A `~~` run (strikethrough) rather than `*` or `_`.
const TILDE: u32 = 1 << 24;
const LEN_MASK: u32 = TILDE - 1;

impl Tok {
    fn is_delim(self) -> bool {
        self.x & EXTRA == 0
    }
    fn ch(self) -> u8 {
        if self.x & TILDE != 0 {
            b'~'
        } else if self.x & STAR != 0 {
            b'*'
        } else {
            b'_'
        }
    }
    /// Index of the delimiter's character: `_`, `*`, `~`.
    fn kind(self) -> usize {
        match self.ch() {
            b'_' => 0,
            b'*' => 1,
            _ => 2,
        }
    }
    fn has(self, flag: u32) -> bool {
        self.is_delim() && self.x & flag != 0
    }
    fn len(self) -> usize {
        (self.x & LEN_MASK) as usize
    }
    fn set_len(&mut self, len: usize) {
        self.x = (self.x & !LEN_MASK) | (len as u32 & LEN_MASK);
    }
    fn mod3(self) -> u32 {
        (self.x >> MOD3_SHIFT) & 3
    }
    fn extra(self) -> Option<usize> {
        (!self.is_delim()).then_some((self.x & !EXTRA) as usize)
    }
}

/// Tokens other than delimiter runs: few, so they may be larger.
#[derive(Debug, Clone)]
enum Extra {
    /// A soft line break; the text resumes at the next line's start.
    Break {
        resume: u32,
    },
    /// A backslash before ASCII punctuation: the backslash is dropped.
    Escape,
    Code {
        inner: Range<u32>,
        resume: u32,
    },
    LinkStart {
        url: Range<u32>,
        resume: u32,
    },
    LinkEnd {
        resume: u32,
    },
    Image {
        alt: Range<u32>,
        url: Range<u32>,
        resume: u32,
    },
    /// Raw HTML dropped from the text (a known tag, a comment); `brk`: it breaks the line
    /// (`<br>`, a block-level tag), joined as a hard wrap is.
    Skip {
        resume: u32,
        brk: bool,
    },
    /// A character reference, decoded.
    Entity {
        decoded: super::entity::Decoded,
        resume: u32,
    },
    /// A footnote reference `[^label]`: `label` is shown as `[label]`.
    Note {
        label: Range<u32>,
        resume: u32,
    },
}

/// A source offset in 32 bits: a document over 4 GB is refused before it is parsed.
fn u(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

fn is_ws(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}

/// Unicode punctuation or symbol, as CommonMark 0.31 counts them (approximated as "not a
/// letter, digit or space").
fn is_punct(c: Option<char>) -> bool {
    c.is_some_and(|c| !c.is_alphanumeric() && !c.is_whitespace())
}

/// A wide East Asian character (punctuation too) or hangul: around these CommonMark's
/// CJK-friendly emphasis rule lets delimiters open and close without spaces. Not what
/// counting speech or search means by CJK ([`crate::talk::is_cjk_syllable`],
/// [`crate::search::is_unspaced_script`]).
fn is_emphasis_cjk(c: Option<char>) -> bool {
    c.is_some_and(|c| is_east_asian(c) || matches!(c as u32, 0xAC00..=0xD7AF | 0x1100..=0x11FF))
}

/// Reused buffers of one thread's parses: a document has tens of thousands of blocks.
#[derive(Default)]
struct Scratch {
    toks: Vec<Tok>,
    extras: Vec<Extra>,
    tables: Tables,
    emph: Emphasis,
    runs: Vec<Run>,
    /// `render`'s lists of the emphasis matches: styles, and ids by closer and by opener.
    order: (Vec<Style>, Vec<u32>, Vec<u32>),
}

impl Scratch {
    fn clear(&mut self) {
        self.toks.clear();
        self.extras.clear();
        self.emph.matches.clear();
        self.emph.skip.clear();
        self.tables.closers = super::html::Closers::default();
    }

    /// After a huge block, give the memory back rather than hold it for the next one.
    fn trim(&mut self) {
        const KEEP: usize = 1 << 16;
        if self.toks.capacity() > KEEP {
            self.toks = Vec::new();
        }
        if self.emph.matches.capacity() > KEEP {
            self.emph = Emphasis::default();
        }
        self.tables.trim(KEEP);
    }
}

/// Parse the inline content of a block whose lines are the given source ranges (each
/// already stripped of block markers and surrounding whitespace).
pub fn parse(src: &str, lines: &[Range<usize>]) -> Inline {
    parse_as(src, lines, false)
}

/// [`parse`] for a block's text: a link's target follows its text (` <https://…>`, styled
/// [`Style::URL`]) unless the text already says it, so the reader shows where a link goes.
/// (Headings and titles are parsed without: an outline row of URLs helps no one.)
pub fn parse_block(src: &str, lines: &[Range<usize>]) -> Inline {
    parse_as(src, lines, true)
}

fn parse_as(src: &str, lines: &[Range<usize>], urls: bool) -> Inline {
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
    // The style runs are built in full and then mostly dropped (plain text needs none):
    // only those kept are copied out, into a vector of their exact size.
    thread_local! {
        static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
    }
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => parse_into(src, lines, &mut scratch, urls),
        // Not reachable today (parsing does not re-enter itself), but never panic over it.
        Err(_) => parse_into(src, lines, &mut Scratch::default(), urls),
    })
}

fn parse_into(src: &str, lines: &[Range<usize>], s: &mut Scratch, urls: bool) -> Inline {
    s.clear();
    // One token per byte that may start markup, and a break per line, at the most: room
    // for that is reserved once (pages never written are never resident), so a huge
    // block is not copied while its token list grows.
    // (Only for a big block: a small one grows its list cheaply, without a second pass.)
    let b = src.as_bytes();
    let size: usize = lines.iter().map(|l| l.len()).sum();
    if size > 1 << 16 {
        let bound: usize = lines.iter().map(|l| count_special(&b[l.clone()]) + 2).sum();
        if bound > s.toks.capacity() {
            s.toks.reserve_exact(bound - s.toks.len());
        }
    }
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            let resume = u(line.start);
            push_extra(&mut s.toks, &mut s.extras, u(lines[i - 1].end), Extra::Break { resume });
        }
        s.tables.reset();
        tokenize(src, line.clone(), &mut s.toks, &mut s.extras, &mut s.tables);
    }
    s.emph.process(&mut s.toks);
    drop_empty_emphasis(src, lines, &mut s.toks, &s.extras);
    // The display text is about as long as the source lines: size it once.
    let cap = lines.iter().map(|l| l.len() + 1).sum();
    let inline = render(src, lines, s, cap, urls);
    s.clear();
    s.trim();
    inline
}

/// An upper bound of the tokens a line can make: the bytes that may begin markup.
fn count_special(b: &[u8]) -> usize {
    b.iter().filter(|&&c| may_be_special(c)).count()
}

fn push_extra(toks: &mut Vec<Tok>, extras: &mut Vec<Extra>, at: u32, e: Extra) {
    let x = EXTRA | (u(extras.len()) & !EXTRA);
    extras.push(e);
    toks.push(Tok { at, x });
}

/// Closers found once per line, so that no opener scans to the line's end for its own.
#[derive(Default)]
struct Tables {
    /// `[` → its `]` (as `(open, close)`, by open), escapes honoured; built on first use.
    brackets: Vec<(u32, u32)>,
    /// `(` → its `)`, by open.
    parens: Vec<(u32, u32)>,
    /// Backtick runs as `(length, start)`, sorted.
    ticks: Vec<(u32, u32)>,
    built: [bool; 3],
    stack: Vec<u32>,
    /// Where the last look-up in `brackets` and in `parens` ended.
    at: [usize; 2],
    /// The last searches for a comment's or a script's end in this block (what they found
    /// holds for any line: a search is keyed by where it started and ended).
    closers: super::html::Closers,
}

impl Tables {
    fn reset(&mut self) {
        self.built = [false; 3];
        self.at = [0; 2];
    }

    fn trim(&mut self, keep: usize) {
        for v in [&mut self.brackets, &mut self.parens, &mut self.ticks] {
            if v.capacity() > keep {
                *v = Vec::new();
            }
        }
        if self.stack.capacity() > keep {
            self.stack = Vec::new();
        }
    }

    /// Pair the brackets (`escapes`: a backslash hides the byte after it) of `line`.
    fn pair(
        b: &[u8],
        line: &Range<usize>,
        (open, close): (u8, u8),
        escapes: bool,
        stack: &mut Vec<u32>,
        out: &mut Vec<(u32, u32)>,
    ) {
        out.clear();
        stack.clear();
        let mut i = line.start;
        while i < line.end {
            let c = b[i];
            if escapes && c == b'\\' {
                i += 1;
            } else if c == open {
                stack.push(u(i));
            } else if c == close
                && let Some(o) = stack.pop()
            {
                out.push((o, u(i)));
            }
            i += 1;
        }
        out.sort_unstable();
    }

    /// The closer of the opener at `open`. Openers are mostly asked for in order, so the
    /// search starts at the last answer (`at`) and steps forward; a binary search over the
    /// whole line (cache misses on a line of megabytes) only when asked for an earlier one.
    fn find(pairs: &[(u32, u32)], at: &mut usize, open: usize) -> Option<usize> {
        let open = u(open);
        let from = (*at).min(pairs.len());
        let k = if pairs.get(from).is_some_and(|p| p.0 <= open) {
            let ahead = &pairs[from..];
            let step = ahead.iter().take(8).position(|p| p.0 >= open);
            from + step.unwrap_or_else(|| ahead.partition_point(|p| p.0 < open))
        } else {
            pairs.partition_point(|p| p.0 < open)
        };
        *at = k;
        let &(o, close) = pairs.get(k)?;
        (o == open).then_some(close as usize)
    }

    /// The `]` closing the `[` at `open`.
    fn bracket(&mut self, b: &[u8], line: &Range<usize>, open: usize) -> Option<usize> {
        if !self.built[0] {
            Self::pair(b, line, (b'[', b']'), true, &mut self.stack, &mut self.brackets);
            self.built[0] = true;
        }
        Self::find(&self.brackets, &mut self.at[0], open)
    }

    /// The `)` closing the `(` at `open`.
    fn paren(&mut self, b: &[u8], line: &Range<usize>, open: usize) -> Option<usize> {
        if !self.built[1] {
            Self::pair(b, line, (b'(', b')'), false, &mut self.stack, &mut self.parens);
            self.built[1] = true;
        }
        Self::find(&self.parens, &mut self.at[1], open)
    }

    /// The first run of exactly `n` backticks starting at or after `from` and ending by
    /// `end`.
    fn ticks(
        &mut self,
        b: &[u8],
        line: &Range<usize>,
        n: usize,
        from: usize,
        end: usize,
    ) -> Option<usize> {
        if !self.built[2] {
            self.ticks.clear();
            let mut i = line.start;
            while let Some(p) = memchr::memchr(b'`', &b[i..line.end]) {
                let s = i + p;
                let mut e = s;
                while e < line.end && b[e] == b'`' {
                    e += 1;
                }
                self.ticks.push((u(e - s), u(s)));
                i = e;
            }
            self.ticks.sort_unstable();
            self.built[2] = true;
        }
        let key = (u(n), u(from));
        let k = self.ticks.partition_point(|&t| t < key);
        let &(len, s) = self.ticks.get(k)?;
        (len as usize == n && s as usize + n <= end).then_some(s as usize)
    }
}

/// Link text being walked: where it ends and where the text after the link resumes.
struct Level {
    start: u32,
    end: u32,
    after: u32,
}

fn tokenize(
    src: &str,
    line: Range<usize>,
    toks: &mut Vec<Tok>,
    extras: &mut Vec<Extra>,
    tables: &mut Tables,
) {
    let b = src.as_bytes();
    let mut i = line.start;
    // The segment being walked: the line, or a link's text inside it (whose first and last
    // characters have no neighbours for flanking, as if it were a line of its own).
    let (mut seg_start, mut end) = (line.start, line.end);
    let mut outer: Vec<Level> = Vec::new();
    loop {
        if i >= end {
            let Some(l) = outer.pop() else { break };
            push_extra(toks, extras, u(end), Extra::LinkEnd { resume: l.after });
            (i, seg_start, end) = (l.after as usize, l.start as usize, l.end as usize);
            continue;
        }
        match b[i] {
            b'\\' if i + 1 < end && b[i + 1].is_ascii_punctuation() => {
                push_extra(toks, extras, u(i), Extra::Escape);
                i += 2;
            }
            c @ (b'*' | b'_' | b'~') => {
                let mut j = i;
                while j < end && b[j] == c {
                    j += 1;
                }
                let n = j - i;
                // GFM strikethrough: a run of exactly two tildes; any other is text.
                if c == b'~' && n != 2 {
                    i = j;
                    continue;
                }
                let prev = if i > seg_start { src[..i].chars().next_back() } else { None };
                let next = if j < end { src[j..].chars().next() } else { None };
                let left = !is_ws(next)
                    && (!is_punct(next) || is_ws(prev) || is_punct(prev) || is_emphasis_cjk(prev));
                let right = !is_ws(prev)
                    && (!is_punct(prev) || is_ws(next) || is_punct(next) || is_emphasis_cjk(next));
                let (can_open, can_close) = if c != b'_' {
                    (left, right)
                } else {
                    (left && (!right || is_punct(prev)), right && (!left || is_punct(next)))
                };
                // A run too long to count in the token is text: no one means 32 million
                // stars as emphasis.
                if n <= LEN_MASK as usize {
                    let mut x = ACTIVE | (u(n % 3) << MOD3_SHIFT) | u(n);
                    if c == b'*' {
                        x |= STAR;
                    }
                    if c == b'~' {
                        x |= TILDE;
                    }
                    if can_open {
                        x |= CAN_OPEN;
                    }
                    if can_close {
                        x |= CAN_CLOSE;
                    }
                    toks.push(Tok { at: u(i), x });
                }
                i = j;
            }
            b'`' => {
                let mut j = i;
                while j < end && b[j] == b'`' {
                    j += 1;
                }
                let n = j - i;
                match tables.ticks(b, &line, n, j, end) {
                    Some(close) => {
                        let inner = trim_one_space(src, j..close);
                        let code = Extra::Code {
                            inner: u(inner.start)..u(inner.end),
                            resume: u(close + n),
                        };
                        push_extra(toks, extras, u(i), code);
                        i = close + n;
                    }
                    None => i = j,
                }
            }
            b'!' if i + 1 < end && b[i + 1] == b'[' => {
                match link_at(src, &line, tables, i + 1, end) {
                    Some((text, url, after)) => {
                        let alt = u(text.start)..u(text.end);
                        let image =
                            Extra::Image { alt, url: u(url.start)..u(url.end), resume: u(after) };
                        push_extra(toks, extras, u(i), image);
                        i = after;
                    }
                    None => i += 1,
                }
            }
            b'[' => match link_at(src, &line, tables, i, end) {
                Some((text, url, after)) => {
                    let start =
                        Extra::LinkStart { url: u(url.start)..u(url.end), resume: u(text.start) };
                    push_extra(toks, extras, u(i), start);
                    outer.push(Level { start: u(seg_start), end: u(end), after: u(after) });
                    (i, seg_start, end) = (text.start, text.start, text.end);
                }
                None => match note_at(src, i, end) {
                    Some(label) => {
                        let note = Extra::Note {
                            label: u(label.start)..u(label.end),
                            resume: u(label.end + 1),
                        };
                        push_extra(toks, extras, u(i), note);
                        i = label.end + 1;
                    }
                    None => i += 1,
                },
            },
            b'<' => match autolink_at(src, i, end) {
                Some((url, after)) => {
                    let start =
                        Extra::LinkStart { url: u(url.start)..u(url.end), resume: u(url.start) };
                    push_extra(toks, extras, u(i), start);
                    push_extra(toks, extras, u(url.end), Extra::LinkEnd { resume: u(after) });
                    i = after;
                }
                None => match super::html::inline_markup(b, i, end, &mut tables.closers) {
                    Some((len, brk)) => {
                        push_extra(toks, extras, u(i), Extra::Skip { resume: u(i + len), brk });
                        i += len;
                    }
                    None => i += 1,
                },
            },
            b'&' => match super::entity::at(&src[i..end]) {
                Some((decoded, len)) => {
                    push_extra(toks, extras, u(i), Extra::Entity { decoded, resume: u(i + len) });
                    i += len;
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
}

/// Can this byte begin inline markup (the arms of `tokenize`'s match)? Plain comparisons,
/// so that [`next_special`] tests a block of bytes with vector instructions.
#[inline(always)]
fn is_special(c: u8) -> bool {
    (c == b'\\')
        | (c == b'*')
        | (c == b'_')
        | (c == b'`')
        | (c == b'!')
        | (c == b'[')
        | (c == b'<')
        | (c == b'&')
        | (c == b'~')
}

/// [`is_special`] or one of `]` and `^`: fewer comparisons (`[`, `\\`, `]`, `^`, `_` and
/// `` ` `` are one range), for the tests that run on every byte.
#[inline(always)]
fn may_be_special(c: u8) -> bool {
    (c.wrapping_sub(b'[') <= b'`' - b'[')
        | (c == b'*')
        | (c == b'!')
        | (c == b'<')
        | (c == b'&')
        | (c == b'~')
}

/// The first byte in `b[from..end]` that can begin markup, or `end`. Every byte of every
/// block passes here: blocks of 32 are tested at once (for a byte that may begin markup:
/// the block holding one is then searched byte by byte).
fn next_special(b: &[u8], from: usize, end: usize) -> usize {
    const BLOCK: usize = 32;
    let mut i = from;
    while i + BLOCK <= end {
        let w = &b[i..i + BLOCK];
        let mut any = 0u8;
        for &c in w {
            any |= u8::from(may_be_special(c));
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

/// `[text](url)` starting at `open` (the `[`), closed before `end`: (text range, url range,
/// offset after `)`). Both closers come from the line's tables.
fn link_at(
    src: &str,
    line: &Range<usize>,
    tables: &mut Tables,
    open: usize,
    end: usize,
) -> Option<(Range<usize>, Range<usize>, usize)> {
    let b = src.as_bytes();
    let close = tables.bracket(b, line, open).filter(|&c| c < end)?;
    if close + 1 >= end || b[close + 1] != b'(' {
        return None;
    }
    let j = tables.paren(b, line, close + 1).filter(|&j| j < end)?;
    Some((open + 1..close, url_in(src, close + 2..j), j + 1))
}

/// The destination of a link's `(…)`: its first word (an optional title follows), without
/// angle brackets.
fn url_in(src: &str, dest: Range<usize>) -> Range<usize> {
    let s = &src[dest.clone()];
    let lead = s.len() - s.trim_start().len();
    let word = s[lead..].split(char::is_whitespace).next().unwrap_or("");
    let inner = word.trim_start_matches(['<', '>']);
    let start = dest.start + lead + (word.len() - inner.len());
    start..start + inner.trim_end_matches(['<', '>']).len()
}

/// A footnote reference `[^label]` starting at `i` (the `[`), closed before `end`: the
/// label's range. A label is 1 to 32 bytes of letters, digits, `-`, `_` and `.`, with a
/// letter or digit among them: `[^1]`, `[^note-2]`, but not the emoticon `[^_^]`.
pub(crate) fn note_at(src: &str, i: usize, end: usize) -> Option<Range<usize>> {
    let b = src.as_bytes();
    if b.get(i + 1) != Some(&b'^') {
        return None;
    }
    let from = i + 2;
    let limit = end.min(from + 33);
    let close = from + b.get(from..limit)?.iter().position(|&c| c == b']')?;
    let label = &src[from..close];
    let fine = label.chars().any(char::is_alphanumeric)
        && label.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    fine.then_some(from..close)
}

/// `<https://…>` or `<mailto:…>` starting at `i`: (url range, offset after `>`). Only the
/// bytes up to the next `>`, `<` or space are read, so a run of `<` costs its length.
fn autolink_at(src: &str, i: usize, end: usize) -> Option<(Range<usize>, usize)> {
    let b = src.as_bytes();
    let k = i + 1 + memchr::memchr3(b'>', b'<', b' ', &b[i + 1..end])?;
    if b[k] != b'>' {
        return None;
    }
    let inner = &src[i + 1..k];
    let scheme = inner.find(':')?;
    if scheme < 2
        || !inner[..scheme].bytes().all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'.')
    {
        return None;
    }
    Some((i + 1..k, k + 1))
}

/// A match of emphasis: `n` characters of the opener token and of the closer token.
#[derive(Debug, Clone, Copy)]
struct Match {
    opener: u32,
    closer: u32,
    n: u8,
}

/// The CommonMark "process emphasis" procedure, in time linear in the tokens (give or take
/// a log): what a match deactivates is skipped in one step thereafter.
#[derive(Default)]
struct Emphasis {
    /// In the order they were made; a match's index is its id.
    matches: Vec<Match>,
    /// Deactivated stretches, by their last token: a look-back landing there jumps to the
    /// stretch's opener.
    skip: std::collections::HashMap<u32, u32>,
}

impl Emphasis {
    /// The token before `k` on a look-back, jumping over deactivated stretches.
    fn before(&self, toks: &[Tok], k: usize) -> usize {
        let p = k - 1;
        if toks[p].has(ACTIVE) || self.skip.is_empty() {
            return p;
        }
        self.skip.get(&u(p)).map_or(p, |&o| o as usize)
    }

    fn process(&mut self, toks: &mut [Tok]) {
        // openers_bottom, by (char is '*', closer can open, orig % 3).
        let mut bottom = [[[0usize; 3]; 2]; 3];
        let mut c = 0;
        while c < toks.len() {
            let t = toks[c];
            if !t.has(ACTIVE) || !t.has(CAN_CLOSE) || t.len() == 0 {
                c += 1;
                continue;
            }
            let bi = (t.kind(), usize::from(t.has(CAN_OPEN)), t.mod3() as usize);
            let floor = bottom[bi.0][bi.1][bi.2];
            let mut found = None;
            let mut o = c;
            while o > floor {
                o = self.before(toks, o);
                let d = toks[o];
                if o < floor
                    || !d.has(ACTIVE)
                    || !d.has(CAN_OPEN)
                    || d.ch() != t.ch()
                    || d.len() == 0
                {
                    continue;
                }
                // (Tilde runs are all two long: the rule of three is for `*` and `_`.)
                let odd = t.ch() != b'~'
                    && (d.has(CAN_CLOSE) || t.has(CAN_OPEN))
                    && (d.mod3() + t.mod3()).is_multiple_of(3)
                    && !(d.mod3() == 0 && t.mod3() == 0);
                if !odd {
                    found = Some(o);
                    break;
                }
            }
            let Some(o) = found else {
                bottom[bi.0][bi.1][bi.2] = c;
                c += 1;
                continue;
            };
            let n = if toks[o].len() >= 2 && t.len() >= 2 { 2 } else { 1 };
            self.matches.push(Match { opener: u(o), closer: u(c), n });
            let ol = toks[o].len() - usize::from(n);
            toks[o].set_len(ol);
            toks[c].set_len(t.len() - usize::from(n));
            // Everything between is out of play: deactivate it, jumping over what is
            // already out, and remember the stretch for later look-backs.
            if c > o + 1 {
                let mut k = c;
                while k > o + 1 {
                    let p = self.before(toks, k);
                    if p <= o {
                        break;
                    }
                    toks[p].x &= !(ACTIVE * u32::from(toks[p].is_delim()));
                    k = p;
                }
                let last = u(c - 1);
                let lo = self.skip.get(&last).map_or(u(o), |&e| e.min(u(o)));
                self.skip.insert(last, lo);
            }
            // Stay on this closer while it has characters left.
        }
    }
}

/// Where the text resumes after the delimiter run at `at`: past its original length
/// (the run is never longer than its line).
fn run_end(b: &[u8], at: usize, ch: u8, line_end: usize) -> usize {
    let mut e = at;
    while e < line_end && b[e] == ch {
        e += 1;
    }
    e
}

/// Unmatched delimiter runs of the same kind and length with only whitespace between them
/// (`** **`, `**  \n**`) are emphasis of nothing, which an export leaves behind: they are
/// dropped instead of showing as stray stars.
fn drop_empty_emphasis(src: &str, lines: &[Range<usize>], toks: &mut [Tok], extras: &[Extra]) {
    let b = src.as_bytes();
    let blank = |from: usize, to: usize| src.get(from..to).is_none_or(|s| s.trim().is_empty());
    let mut li = 0;
    let mut i = 0;
    while i < toks.len() {
        let d = toks[i];
        if let Some(e) = d.extra() {
            li += usize::from(matches!(extras[e], Extra::Break { .. }));
        }
        if !d.is_delim() || d.len() == 0 {
            i += 1;
            continue;
        }
        let line_end = lines.get(li).map_or(b.len(), |l| l.end);
        let mut pos = run_end(b, d.at as usize, d.ch(), line_end);
        let mut j = i + 1;
        let mut lj = li;
        while j < toks.len() && blank(pos, toks[j].at as usize) {
            match toks[j].extra().map(|e| &extras[e]) {
                Some(Extra::Break { resume }) => {
                    pos = *resume as usize;
                    lj += 1;
                    j += 1;
                }
                _ => break,
            }
        }
        if j < toks.len()
            && blank(pos, toks[j].at as usize)
            && toks[j].is_delim()
            && toks[j].ch() == d.ch()
            && toks[j].len() == d.len()
        {
            toks[j].set_len(0);
            toks[i].set_len(0);
            i = j + 1;
            li = lj;
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
    fn push(&mut self, s: &str, style: Style, url: Option<&str>, group: Option<usize>) {
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

    fn push_raw(&mut self, s: &str, style: Style, url: Option<&str>, group: Option<usize>) {
        let start = self.text.len();
        self.text.push_str(s);
        let end = self.text.len();
        match self.runs.last_mut() {
            Some(r)
                if r.range.end == start
                    && r.style == style
                    && r.url.as_deref() == url
                    && r.quote == group =>
            {
                r.range.end = end
            }
            _ => self.runs.push(Run {
                range: start..end,
                style,
                url: url.map(str::to_owned),
                quote: group,
            }),
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

/// An open emphasis, with the style and quote group of everything open up to it.
#[derive(Clone)]
struct Open {
    id: usize,
    style: Style,
    group: Option<usize>,
}

/// Open emphasis, innermost last.
#[derive(Default)]
struct Stack(Vec<Open>);

impl Stack {
    fn top(&self) -> (Style, Option<usize>) {
        self.0.last().map_or((Style::default(), None), |o| (o.style, o.group))
    }

    fn push(&mut self, id: usize, style: Style) {
        let (below, group) = self.top();
        let group = group.or(style.contains(Style::STRONG).then_some(id));
        self.0.push(Open { id, style: below.union(style), group });
    }

    /// Close emphasis `id`, which is the innermost but for misnested input.
    fn close(&mut self, id: usize, styles: &[Style]) {
        let Some(pos) = self.0.iter().rposition(|o| o.id == id) else { return };
        let rest: Vec<usize> = self.0.drain(pos..).skip(1).map(|o| o.id).collect();
        for id in rest {
            self.push(id, styles[id]);
        }
    }
}

fn render(src: &str, lines: &[Range<usize>], s: &mut Scratch, cap: usize, urls: bool) -> Inline {
    let mut runs = std::mem::take(&mut s.runs);
    runs.clear();
    let mut out = Out { text: String::with_capacity(cap), runs };
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return finish(out, &mut s.runs);
    };
    let b = src.as_bytes();
    let matches = &s.emph.matches;
    let (mut styles, mut closes, mut opens) = std::mem::take(&mut s.order);
    styles.clear();
    styles.extend(matches.iter().map(|m| match s.toks[m.opener as usize].ch() {
        b'~' => Style::STRIKE,
        _ if m.n == 2 => Style::STRONG,
        _ => Style::EMPHASIS,
    }));
    // Emphasis closed at each token, innermost (made first) first, and opened, outermost
    // (made last) first.
    closes.clear();
    closes.extend(0..u(matches.len()));
    closes.sort_unstable_by_key(|&m| (matches[m as usize].closer, m));
    opens.clear();
    opens.extend_from_slice(&closes);
    opens.sort_unstable_by_key(|&m| (matches[m as usize].opener, std::cmp::Reverse(m)));
    let (mut ci, mut oi) = (0, 0);
    let mut stack = Stack::default();
    // The open links' targets, as source ranges: a String only where a run needs one.
    let mut links: Vec<&str> = Vec::new();
    // Where each open link's text began in the output, to tell whether it shows its target.
    let mut link_starts: Vec<usize> = Vec::new();
    let mut pending_break = false;
    let cur = |stack: &Stack, links: &[&str]| -> (Style, Option<usize>) {
        let (s, group) = stack.top();
        (if links.is_empty() { s } else { s.union(Style::LINK) }, group)
    };
    let emit = |out: &mut Out, s: &str, style: Style, url: Option<&str>, g, brk: &mut bool| {
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
    let mut pos = first.start;
    let mut li = 0;
    for (k, t) in s.toks.iter().enumerate() {
        let at = t.at as usize;
        if pos < at {
            let (st, g) = cur(&stack, &links);
            emit(&mut out, &src[pos..at], st, links.last().copied(), g, &mut pending_break);
        }
        let Some(e) = t.extra() else {
            let k = u(k);
            while let Some(&m) = closes.get(ci).filter(|&&m| matches[m as usize].closer == k) {
                stack.close(m as usize, &styles);
                ci += 1;
            }
            if t.len() > 0 {
                // Most runs left over are short: no allocation for them.
                const STARS: &str = "****************";
                const LINES: &str = "________________";
                let long;
                let lit = match (t.ch(), t.len() <= STARS.len()) {
                    (b'*', true) => &STARS[..t.len()],
                    (b'~', _) => &"~~"[..t.len().min(2)],
                    (_, true) => &LINES[..t.len()],
                    (c, false) => {
                        long = char::from(c).to_string().repeat(t.len());
                        long.as_str()
                    }
                };
                let (st, g) = cur(&stack, &links);
                emit(&mut out, lit, st, links.last().copied(), g, &mut pending_break);
            }
            while let Some(&m) = opens.get(oi).filter(|&&m| matches[m as usize].opener == k) {
                stack.push(m as usize, styles[m as usize]);
                oi += 1;
            }
            let line_end = lines.get(li).map_or(b.len(), |l| l.end);
            pos = run_end(b, at, t.ch(), line_end);
            continue;
        };
        let (st, g) = cur(&stack, &links);
        pos = match &s.extras[e] {
            Extra::Break { resume } => {
                pending_break = true;
                li += 1;
                *resume as usize
            }
            Extra::Escape => at + 1,
            Extra::Code { inner, resume } => {
                let code = &src[inner.start as usize..inner.end as usize];
                emit(
                    &mut out,
                    code,
                    st.union(Style::CODE),
                    links.last().copied(),
                    g,
                    &mut pending_break,
                );
                *resume as usize
            }
            Extra::LinkStart { url, resume } => {
                links.push(&src[url.start as usize..url.end as usize]);
                link_starts.push(out.text.len());
                *resume as usize
            }
            Extra::LinkEnd { resume } => {
                let url = links.pop();
                let from = link_starts.pop().unwrap_or(out.text.len());
                if let Some(url) = url.filter(|u| urls && links.is_empty() && !u.is_empty()) {
                    let shown = out.text.get(from..).unwrap_or("");
                    if !says_url(shown, url) {
                        let st =
                            Style(cur(&stack, &links).0.0 & !Style::STRONG.0).union(Style::URL);
                        emit(&mut out, " <", st, Some(url), None, &mut pending_break);
                        emit(&mut out, url, st, Some(url), None, &mut pending_break);
                        emit(&mut out, ">", st, Some(url), None, &mut pending_break);
                    }
                }
                *resume as usize
            }
            Extra::Note { label, resume } => {
                let label = &src[label.start as usize..label.end as usize];
                let st = st.union(Style::NOTE);
                emit(&mut out, "[", st, links.last().copied(), g, &mut pending_break);
                emit(&mut out, label, st, links.last().copied(), g, &mut pending_break);
                emit(&mut out, "]", st, links.last().copied(), g, &mut pending_break);
                *resume as usize
            }
            Extra::Skip { resume, brk } => {
                pending_break |= *brk;
                *resume as usize
            }
            Extra::Entity { decoded, resume } => {
                let mut buf = [0u8; 8];
                let s = decoded.as_str(&mut buf);
                emit(&mut out, s, st, links.last().copied(), g, &mut pending_break);
                *resume as usize
            }
            Extra::Image { alt, url, resume } => {
                let alt = super::html::plain_line(src[alt.start as usize..alt.end as usize].trim());
                let alt = alt.trim();
                let label = if alt.is_empty() { "图片" } else { alt };
                let u = &src[url.start as usize..url.end as usize];
                emit(&mut out, label, st.union(Style::IMAGE), Some(u), g, &mut pending_break);
                *resume as usize
            }
        };
    }
    if pos < last.end {
        let (st, g) = cur(&stack, &links);
        emit(&mut out, &src[pos..last.end], st, links.last().copied(), g, &mut pending_break);
    }
    s.order = (styles, closes, opens);
    finish(out, &mut s.runs)
}

/// Does a link's shown text already say where it goes (an autolink, `[https://x](https://x)`,
/// `[x.org](https://x.org)`, `[a@b.c](mailto:a@b.c)`)?
fn says_url(shown: &str, url: &str) -> bool {
    let bare = |s: &str| {
        let s = s.trim();
        let s = s.get(link_scheme(s).unwrap_or(0)..).unwrap_or(s);
        s.trim_end_matches('/').to_string()
    };
    bare(shown) == bare(url)
}

/// The one list of the schemes a link may be followed by: offered to a terminal as a
/// hyperlink, and left out of a link's shown text that already says it.
const LINK_SCHEMES: [&str; 3] = ["https://", "http://", "mailto:"];

/// The longest link target offered to a terminal as a hyperlink (before and after
/// percent-encoding); a longer one is only shown.
pub const MAX_URL: usize = 2048;

/// The length of `url`'s scheme (`https://`, `http://` or `mailto:`, in any case) when it
/// is one a link may be followed by; `None` for any other (`javascript:`, `file:`, a
/// relative path). Only the first bytes are read, whatever the target's length.
pub fn link_scheme(url: &str) -> Option<usize> {
    let head = url.as_bytes();
    LINK_SCHEMES
        .iter()
        .find(|p| head.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes())))
        .map(|p| p.len())
}

/// Whether a link target may be offered to a terminal as a hyperlink: one of the
/// [`link_scheme`]s, at most [`MAX_URL`] bytes.
pub fn link_scheme_ok(url: &str) -> bool {
    url.len() <= MAX_URL && link_scheme(url).is_some()
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

    #[test]
    fn link_schemes_are_web_and_mail_in_any_case_read_from_the_first_bytes() {
        assert_eq!(link_scheme("https://x.org"), Some(8));
        assert_eq!(link_scheme("HTTP://x.org"), Some(7));
        assert_eq!(link_scheme("MailTo:a@b.c"), Some(7));
        // A multi-byte character where a scheme would end is no scheme, and no panic.
        for refused in ["javascript:x", "./doc.md", "", "http:/", "https:链", "链接://x"] {
            assert_eq!(link_scheme(refused), None, "{refused}");
        }
        assert!(link_scheme_ok("https://x.org"));
        assert!(!link_scheme_ok(&format!("https://x.org/{}", "a".repeat(MAX_URL))));
        assert!(says_url("HTTPS://x.org/", "https://x.org"));
    }

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
            let slow = parse_into(s, line, &mut Scratch::default(), false);
            assert_eq!(fast, slow, "{s:?}");
        }
        // Markup or a space (a pause mark after it is dropped) takes the long way.
        for s in ["a_b", "好 ，", "**好**", "[链接](x)"] {
            assert!(!plain_line(s), "{s:?}");
        }
    }

    /// The text of a block and its (text, style) runs.
    fn styled(s: &str) -> (String, Vec<(String, Style)>) {
        let r = parse_block(s, &lines(s));
        let runs = r.runs.iter().map(|x| (r.text[x.range.clone()].to_string(), x.style)).collect();
        (r.text, runs)
    }

    #[test]
    fn strikethrough_is_a_style_not_tildes() {
        let (t, runs) = styled("这个~~删掉~~了 and ~~gone~~");
        assert_eq!(t, "这个删掉了 and gone");
        assert_eq!(runs, [("删掉".into(), Style::STRIKE), ("gone".into(), Style::STRIKE)]);
        // One tilde, three, or a lone pair stay text.
        assert_eq!(styled("~1 ~~~ x~~").0, "~1 ~~~ x~~");
    }

    #[test]
    fn emoticons_are_no_footnote_references() {
        for face in ["[^_^]", "[^o^]", "[^-^]", "[^^]", "[^ ^]"] {
            let text = format!("哈哈{face}好的");
            assert_eq!(styled(&text).0, text, "{face}");
        }
    }

    #[test]
    fn footnote_references_show_their_label() {
        let (t, runs) = styled("见注释[^1]和[^note]。");
        assert_eq!(t, "见注释[1]和[note]。");
        assert_eq!(runs[0], ("[1]".into(), Style::NOTE));
        // Not a reference: a space in it, or a link.
        assert_eq!(styled("[^a b] x").0, "[^a b] x");
    }

    #[test]
    fn a_link_keeps_its_target_after_its_text() {
        let (t, runs) = styled("看[这篇文章](https://example.com/a_b)吧");
        assert_eq!(t, "看这篇文章 <https://example.com/a_b>吧");
        assert_eq!(runs[0], ("这篇文章".into(), Style::LINK));
        assert_eq!(runs[1], (" <https://example.com/a_b>".into(), Style::URL));
        // Text that already says where it goes is not repeated.
        assert_eq!(styled("<https://x.org/>").0, "https://x.org/");
        assert_eq!(styled("[x.org](https://x.org)").0, "x.org");
        // Titles and headings keep only the text.
        assert_eq!(bold("see [链接](http://x.y/a_b) now").0, "see 链接 now");
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

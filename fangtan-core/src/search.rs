//! Search over the document tree (beside stage 4, feeding the reader): literal,
//! case-insensitive for scripts with case, over each block's joined `text`, so a match may
//! span the join of two hard-wrapped source lines and may sit anywhere inside unspaced
//! Chinese. Spaces that typesetting puts between CJK and Latin letters or digits
//! (`你 1992 年`) do not count, in the text or in the query: `你1992年` finds `你 1992 年`
//! and `1992 年` finds `1992年`. Match ranges are always byte ranges of the block's own
//! text (what the reader shows and highlights), and a match never starts or ends on such a
//! space. A query that starts with `\v` is a regular expression (the `regex` crate's
//! syntax, case-insensitive, over the same text as it is, spaces and all; matches of no
//! length are skipped); one that does not compile is an error to show, never a panic.
//! Linear in the text, in both modes. Pure: no terminal.

use std::ops::Range;

use crate::doc::{Document, Item};

/// One match: a byte range in the `text` of block `block` of body item `item`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub item: usize,
    pub block: usize,
    pub range: Range<usize>,
}

/// Fold a string for comparison; returns the folded text and, for every folded byte, the
/// byte offset in `s` of the char it came from (plus one entry for the end).
fn fold(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut map = Vec::with_capacity(s.len() + 1);
    for (i, c) in s.char_indices() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            map.push(i);
            continue;
        }
        let before = out.len();
        out.push(fold_char(c));
        map.extend(std::iter::repeat_n(i, out.len() - before));
    }
    map.push(s.len());
    (out, map)
}

/// One char folded: lowercase when that is one char, else as written (only one-to-one
/// foldings keep offsets exact).
fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if is_unspaced_script(c) {
        // Han, kana, bopomofo: no case (and the bulk of a Chinese text).
        return c;
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// `s` folded as [`fold`] folds it onto the end of `out`, without the offsets.
fn push_folded(s: &str, out: &mut String) {
    let start = out.len();
    if s.is_ascii() {
        out.push_str(s);
        out[start..].make_ascii_lowercase();
    } else {
        out.extend(s.chars().map(fold_char));
    }
}

/// A char of a script written without spaces between words: Han (with its radicals,
/// compatibility forms and the supplementary planes), kana and bopomofo. Hangul is not
/// (Korean puts spaces between words). What search's typesetting spaces and the fuzzy
/// matcher's close CJK words ([`crate::fuzzy`]) are about; counting speech has its own
/// test ([`crate::talk::is_cjk_syllable`]).
pub fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3040..=0x312F | 0x31A0..=0x31FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// A Latin letter or a digit, the other side of a typesetting space.
fn is_latin_or_digit(c: char) -> bool {
    c.is_alphanumeric() && (c as u32) < 0x0370
}

/// The runs of ASCII spaces in `text` that stand between a CJK char and a Latin letter or
/// digit (either way round), as byte ranges, in order. None in ASCII text.
fn gaps(text: &str, out: &mut Vec<Range<usize>>) {
    out.clear();
    if text.is_ascii() {
        return;
    }
    let bytes = text.as_bytes();
    let mut next_free = 0;
    for p in memchr::memchr_iter(b' ', bytes) {
        if p < next_free {
            continue;
        }
        let mut q = p;
        while q < bytes.len() && bytes[q] == b' ' {
            q += 1;
        }
        next_free = q;
        let (Some(a), Some(b)) = (text[..p].chars().next_back(), text[q..].chars().next()) else {
            continue;
        };
        if (is_unspaced_script(a) && is_latin_or_digit(b))
            || (is_latin_or_digit(a) && is_unspaced_script(b))
        {
            out.push(p..q);
        }
    }
}

/// `text` without its typesetting spaces ([`gaps`]).
fn squeeze(text: &str) -> String {
    let mut g = Vec::new();
    gaps(text, &mut g);
    let mut out = String::with_capacity(text.len());
    squeeze_into(text, &g, &mut out, &mut Vec::new());
    out
}

/// Copy `text` less the ranges `gaps` into `out`; `shifts` gets, for each gap, its offset
/// in `out` and the bytes dropped up to and including it.
fn squeeze_into(
    text: &str,
    gaps: &[Range<usize>],
    out: &mut String,
    shifts: &mut Vec<(usize, usize)>,
) {
    out.clear();
    shifts.clear();
    let (mut at, mut dropped) = (0, 0);
    for g in gaps {
        out.push_str(&text[at..g.start]);
        dropped += g.len();
        shifts.push((out.len(), dropped));
        at = g.end;
    }
    out.push_str(&text[at..]);
}

/// `text` as a literal query is compared with it: typesetting spaces dropped, then folded
/// (ASCII lowercased, one-to-one Unicode lowercase). A match of a literal [`Needle`] in a
/// text is always a substring of this text's `normalize`, equal to [`Needle::literal`]:
/// what the library's trigram index ([`crate::index`]) counts on.
pub fn normalize(text: &str) -> String {
    let mut g = Vec::new();
    gaps(text, &mut g);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in g.iter().chain(std::iter::once(&(text.len()..text.len()))) {
        push_folded(&text[at..r.start], &mut out);
        at = r.end;
    }
    out
}

/// Scratch space a search keeps between blocks.
#[derive(Default)]
pub struct Scratch {
    buf: Vec<u8>,
    gaps: Vec<Range<usize>>,
    squeezed: String,
    shifts: Vec<(usize, usize)>,
}

/// What to look for, and how to compare. Most queries (Chinese, digits, ASCII words)
/// need no Unicode folding, and are matched by `memmem` over the text itself or over an
/// ASCII-lowercased copy of it (same byte offsets), at gigabytes per second.
pub struct Needle {
    folded: String,
    finder: memchr::memmem::Finder<'static>,
    mode: Mode,
    /// A regex query (`\v…`): matched as it is, the rest unused.
    regex: Option<regex::Regex>,
    /// No typesetting space can fall inside or at the edge of a match, so the text is
    /// searched as it is, its gaps not worked out: the query has no char of an unspaced
    /// script (a gap needs one beside it, and a match holding both sides of a gap would
    /// hold it) and neither begins nor ends with a space.
    gapless: bool,
}

/// The prefix of a regex query, as in vim's "very magic" searches.
pub const REGEX_PREFIX: &str = "\\v";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Nothing in the query has case: compare bytes.
    Exact,
    /// Only ASCII letters have case: lowercase the text's ASCII bytes.
    Ascii,
    /// Letters with case beyond ASCII: fold the text char by char.
    Unicode,
    /// A regular expression, over the text as it is.
    Regex,
}

/// What is wrong with a regex, on one line: the crate's message ends with it, below a
/// picture of the pattern.
fn regex_error(e: &regex::Error) -> String {
    match e {
        regex::Error::Syntax(s) => {
            let last = s.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or(s);
            last.trim().trim_start_matches("error: ").to_string()
        }
        regex::Error::CompiledTooBig(_) => "the pattern is too big".to_string(),
        other => other.to_string(),
    }
}

impl Needle {
    /// `None` for an empty query, or a regex that does not compile.
    pub fn new(query: &str) -> Option<Needle> {
        Needle::parse(query).ok().flatten()
    }

    /// `None` for an empty query; an error, in one line, for a regex that does not
    /// compile.
    pub fn parse(query: &str) -> Result<Option<Needle>, String> {
        if let Some(pattern) = query.strip_prefix(REGEX_PREFIX) {
            if pattern.is_empty() {
                return Ok(None);
            }
            let regex = regex::RegexBuilder::new(pattern)
                .case_insensitive(true)
                .build()
                .map_err(|e| format!("invalid regex: {}", regex_error(&e)))?;
            let finder = memchr::memmem::Finder::new(b"").into_owned();
            let mode = Mode::Regex;
            let (folded, regex) = (String::new(), Some(regex));
            return Ok(Some(Needle { folded, finder, mode, regex, gapless: false }));
        }
        if query.is_empty() {
            return Ok(None);
        }
        let folded = fold(&squeeze(query)).0;
        let cased = |c: char| c.is_lowercase() || c.is_uppercase();
        let mode = if query.chars().any(|c| !c.is_ascii() && cased(c)) {
            Mode::Unicode
        } else if query.bytes().any(|b| b.is_ascii_alphabetic()) {
            Mode::Ascii
        } else {
            Mode::Exact
        };
        let finder = memchr::memmem::Finder::new(folded.as_bytes()).into_owned();
        let gapless = !folded.chars().any(is_unspaced_script)
            && !folded.starts_with(' ')
            && !folded.ends_with(' ');
        Ok(Some(Needle { folded, finder, mode, regex: None, gapless }))
    }

    /// What a literal query compares, normalized as [`normalize`] does; `None` for a
    /// regex, which may match anything.
    pub fn literal(&self) -> Option<&str> {
        self.regex.is_none().then_some(self.folded.as_str())
    }

    /// Relative cost of searching one byte of text, for work budgets.
    fn cost(&self) -> usize {
        match self.mode {
            Mode::Unicode | Mode::Regex => 16,
            Mode::Exact | Mode::Ascii => 1,
        }
    }

    /// Every match in `text`, as byte ranges of `text`, typesetting spaces ignored.
    pub fn find(&self, text: &str, scratch: &mut Scratch, mut hit: impl FnMut(Range<usize>)) {
        if let Some(re) = &self.regex {
            re.find_iter(text).filter(|m| !m.is_empty()).for_each(|m| hit(m.range()));
            return;
        }
        if self.gapless {
            return self.find_plain(text, &mut scratch.buf, hit);
        }
        gaps(text, &mut scratch.gaps);
        if scratch.gaps.is_empty() {
            return self.find_plain(text, &mut scratch.buf, hit);
        }
        let Scratch { buf, gaps, squeezed, shifts } = scratch;
        squeeze_into(text, gaps, squeezed, shifts);
        // Back to offsets in `text`: a start after a dropped gap, an end before it.
        let dropped_by = |p: usize, inclusive: bool| {
            let n = shifts.partition_point(|&(at, _)| if inclusive { at <= p } else { at < p });
            n.checked_sub(1).map_or(0, |i| shifts[i].1)
        };
        self.find_plain(squeezed, buf, |r| {
            hit(r.start + dropped_by(r.start, true)..r.end + dropped_by(r.end, false))
        });
    }

    /// Every match in `text` as it is. `buf` is scratch space kept between calls.
    fn find_plain(&self, text: &str, buf: &mut Vec<u8>, hit: impl FnMut(Range<usize>)) {
        let n = self.folded.len();
        match self.mode {
            Mode::Exact => self.finder.find_iter(text.as_bytes()).map(|s| s..s + n).for_each(hit),
            Mode::Ascii => {
                buf.clear();
                buf.extend_from_slice(text.as_bytes());
                // Vectorised, unlike a byte-by-byte map.
                buf.make_ascii_lowercase();
                self.finder.find_iter(buf).map(|s| s..s + n).for_each(hit)
            }
            Mode::Unicode => find_in(text, &self.folded, &self.finder, buf, hit),
            Mode::Regex => {}
        }
    }
}

/// A search over the whole document done a slice at a time, so that a count over a huge
/// document never holds up the keyboard. It starts at the item the reader is at, runs to
/// the end, then wraps to the top and stops where it began.
pub struct Scan {
    needle: Needle,
    start: usize,
    next: usize,
    wrapped: bool,
    /// Index in the found list where the scan wrapped to the top.
    pub wrap_at: Option<usize>,
    scratch: Scratch,
}

impl Scan {
    /// `None` for an empty query (or a regex that does not compile).
    pub fn new(query: &str, start_item: usize) -> Option<Scan> {
        Scan::parse(query, start_item).ok().flatten()
    }

    /// [`Scan::new`], with why a regex does not compile.
    pub fn parse(query: &str, start_item: usize) -> Result<Option<Scan>, String> {
        let Some(needle) = Needle::parse(query)? else { return Ok(None) };
        Ok(Some(Scan {
            needle,
            start: start_item,
            next: start_item,
            wrapped: false,
            wrap_at: None,
            scratch: Scratch::default(),
        }))
    }

    /// Search items until about `budget` bytes of text were compared, appending matches
    /// to `out` in scan order. True when the whole document has been searched.
    pub fn step(&mut self, doc: &Document, budget: usize, out: &mut Vec<Match>) -> bool {
        let len = doc.items.len();
        self.start = self.start.min(len);
        let mut spent = 0;
        loop {
            let end = if self.wrapped { self.start } else { len };
            if self.next >= end {
                if self.wrapped || self.start == 0 {
                    return true;
                }
                self.wrapped = true;
                self.wrap_at = Some(out.len());
                self.next = 0;
                continue;
            }
            if spent >= budget {
                return false;
            }
            let item = self.next;
            self.next += 1;
            if matches!(doc.items[item], Item::Heading(_)) {
                continue;
            }
            for (block, b) in doc.item_blocks(item).iter().enumerate() {
                spent += b.text.len() * self.needle.cost() + 64;
                self.needle.find(b.text, &mut self.scratch, |range| {
                    out.push(Match { item, block, range })
                });
            }
        }
    }
}

/// Every match of `query` in the document's blocks, in document order. Empty for an empty
/// query.
pub fn find_all(doc: &Document, query: &str) -> Vec<Match> {
    let mut out = Vec::new();
    if let Some(mut scan) = Scan::new(query, 0) {
        scan.step(doc, usize::MAX, &mut out);
    }
    out
}

/// Unicode-folded text is searched this many bytes at a time: a 10 MB paragraph folded
/// whole would take a 10 MB copy and an offset per byte (80 MB) on every key typed.
const WINDOW: usize = 1 << 20;

fn find_in(
    text: &str,
    needle: &str,
    finder: &memchr::memmem::Finder<'_>,
    buf: &mut Vec<u8>,
    hit: impl FnMut(Range<usize>),
) {
    if text.is_ascii() {
        // ASCII folds byte for byte, offsets unchanged: the Ascii mode's way.
        buf.clear();
        buf.extend_from_slice(text.as_bytes());
        buf.make_ascii_lowercase();
        finder.find_iter(buf).map(|s| s..s + needle.len()).for_each(hit);
        return;
    }
    find_in_windows(text, needle, finder, WINDOW, hit);
}

/// [`find_in`] a window of about `window` bytes at a time. Each window reaches on far
/// enough for any match that starts in it (a char folds to one char of at most four
/// bytes); matches do not overlap, as in one pass.
fn find_in_windows(
    text: &str,
    needle: &str,
    finder: &memchr::memmem::Finder<'_>,
    window: usize,
    mut hit: impl FnMut(Range<usize>),
) {
    let boundary = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i += 1;
        }
        i
    };
    let reach = 4 * needle.chars().count();
    let (mut at, mut last_end) = (0, 0);
    while at < text.len() {
        let end = boundary((at + window.max(1)).min(text.len()));
        let stop = boundary((end + reach).min(text.len()));
        let (folded, map) = fold(&text[at..stop]);
        let mut from = 0;
        while let Some(pos) = finder.find(&folded.as_bytes()[from..]) {
            let start = from + pos;
            let stop_at = start + needle.len();
            let (s, e) = (at + map[start], at + map[stop_at]);
            if s >= end {
                break;
            }
            // A fold that changed byte length can leave the end mid-char in the source;
            // `map` points at the char start, which is always a boundary.
            if s < e && s >= last_end {
                hit(s..e);
                last_end = e;
                // Non-overlapping, advancing by at least one whole char.
                from = stop_at.max(start + 1);
            } else {
                // Inside the match the window before found: one char on.
                from = start + 1;
            }
            while from < folded.len() && !folded.is_char_boundary(from) {
                from += 1;
            }
        }
        at = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hits(text: &str, q: &str) -> Vec<Range<usize>> {
        let needle = Needle::new(q).unwrap();
        let mut v = Vec::new();
        needle.find(text, &mut Scratch::default(), |r| v.push(r));
        v
    }

    proptest::proptest! {
        /// Skipping the gaps for a query that cannot meet one finds exactly what working
        /// them out finds.
        #[test]
        fn a_gapless_query_finds_what_the_gaps_would(
            text in "[a-cA-C1 数据你\\n]{0,40}",
            q in "[a-cA-C1 ]{1,4}",
        ) {
            let needle = Needle::new(&q).unwrap();
            let mut slow = Needle::new(&q).unwrap();
            slow.gapless = false;
            let (mut fast_hits, mut slow_hits) = (Vec::new(), Vec::new());
            needle.find(&text, &mut Scratch::default(), |r| fast_hits.push(r));
            slow.find(&text, &mut Scratch::default(), |r| slow_hits.push(r));
            proptest::prop_assert_eq!(fast_hits, slow_hits);
        }
    }

    #[test]
    fn a_query_with_chinese_or_an_edge_space_works_out_the_gaps() {
        for q in ["你1", " ab", "ab ", "数据"] {
            assert!(!Needle::new(q).unwrap().gapless, "{q}");
        }
        for q in ["ab", "a b", "Zorvath 2019"] {
            assert!(Needle::new(q).unwrap().gapless, "{q}");
        }
        // What the gaps are there for still holds.
        assert_eq!(found("你 1992 年", "你1992年"), vec!["你 1992 年"]);
        assert_eq!(found("他说 Zorvath 很好", " Zorvath"), Vec::<&str>::new());
        assert_eq!(found("他说 Zorvath 很好", "Zorvath"), vec!["Zorvath"]);
    }

    fn found<'a>(text: &'a str, q: &str) -> Vec<&'a str> {
        hits(text, q).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn typesetting_spaces_between_cjk_and_latin_do_not_count() {
        assert_eq!(found("他说你 1992 年来过", "你1992年"), ["你 1992 年"]);
        assert_eq!(found("他说你1992年来过", "1992 年"), ["1992年"]);
        assert_eq!(found("他说你1992年来过", "你 1992 年"), ["你1992年"]);
        // A match starts and ends on text, never on a dropped space.
        assert_eq!(found("你 1992 年，又 1992 年", "1992"), ["1992", "1992"]);
        assert_eq!(found("用 iPhone  拍的", "用iphone拍"), ["用 iPhone  拍"]);
        assert_eq!(found("用 iPhone 拍的", "iPhone 拍"), ["iPhone 拍"]);
        assert_eq!(found("去 École 上学", "去école"), ["去 École"]);
        // Spaces between words of one script still count.
        assert!(hits("one two", "onetwo").is_empty());
        assert!(hits("我 们", "我们").is_empty());
        assert_eq!(found("你 1992 年", "你 1"), ["你 1"]);
    }

    #[test]
    fn typesetting_spaces_are_dropped_in_linear_time() {
        // A long block of such gaps, searched in one pass: the offsets stay exact at the end.
        let t = "第 1 章 ".repeat(200_000);
        let r = hits(&t, "第1章");
        assert_eq!(r.len(), 200_000);
        let last = r.last().unwrap();
        assert_eq!(last.end, t.len() - 1);
        assert_eq!(&t[last.clone()], "第 1 章");
    }

    #[test]
    fn normalize_is_fold_of_squeeze() {
        for t in ["", "Hello WORLD", "你 1992 年 Search 的 ÀΣς İ ǅ  x", "数据  ABC", "K\u{212A}ß"]
        {
            assert_eq!(normalize(t), fold(&squeeze(t)).0, "{t:?}");
        }
    }

    #[test]
    fn latin_is_case_insensitive() {
        assert_eq!(hits("Mobile first, MOBILE last", "mobile"), vec![0..6, 14..20]);
    }

    #[test]
    fn finds_inside_unspaced_chinese() {
        let t = "我们正在达到逃逸速度了";
        let r = hits(t, "逃逸速度");
        assert_eq!(r.len(), 1);
        assert_eq!(&t[r[0].clone()], "逃逸速度");
    }

    #[test]
    fn mixed_text_offsets_point_into_source() {
        let t = "云优先 Cloud First 与 ÉCOLE";
        let r = hits(t, "école");
        assert_eq!(&t[r[0].clone()], "ÉCOLE");
        let r = hits(t, "cloud first");
        assert_eq!(&t[r[0].clone()], "Cloud First");
    }

    #[test]
    fn unicode_folding_in_windows_finds_what_one_pass_finds() {
        // Matches straddle every window edge; some letters change byte length when folded
        // (the Kelvin sign is three bytes, its `k` one).
        let t = "Éric ÉCOLE école \u{212A}ELVIN kelvin 云 Ωμέγα ΩΜΈΓΑ ".repeat(50);
        let t = format!("{t}éééé ÉéÉéÉ");
        for q in ["école", "\u{212A}elvin", "ωμέγα", "ric é", "éé"] {
            let needle = Needle::new(q).unwrap();
            let whole = {
                let mut v = Vec::new();
                find_in_windows(&t, &needle.folded, &needle.finder, usize::MAX / 2, |r| v.push(r));
                v
            };
            assert!(!whole.is_empty(), "{q}");
            for window in [1, 2, 3, 5, 7, 13, 64, 1000] {
                let mut v = Vec::new();
                find_in_windows(&t, &needle.folded, &needle.finder, window, |r| v.push(r));
                assert_eq!(v, whole, "{q} in windows of {window}");
            }
        }
    }

    #[test]
    fn a_regex_query_searches_the_text_as_it_is() {
        let t = "Lantern 1992 年，lamp 2024 年，又 1992";
        assert_eq!(found(t, r"\vla(ntern|mp)"), ["Lantern", "lamp"]);
        assert_eq!(found(t, r"\v\d{4} 年"), ["1992 年", "2024 年"]);
        // Matches of no length are no matches; an empty pattern is no search.
        assert!(hits(t, r"\vx*").is_empty());
        assert!(Needle::parse(r"\v").unwrap().is_none());
    }

    #[test]
    fn a_regex_that_does_not_compile_is_one_line_of_error() {
        let Err(e) = Needle::parse(r"\v(lan") else { panic!("compiled") };
        assert_eq!(e, "invalid regex: unclosed group");
        let Err(e) = Needle::parse(r"\va{99999999}") else { panic!("compiled") };
        assert!(e.starts_with("invalid regex: "), "{e}");
        assert!(!e.contains('\n'), "{e}");
        assert!(Scan::new(r"\v[", 0).is_none());
    }
}

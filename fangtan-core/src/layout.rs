//! Stage 3 of the pipeline: lines for a width.
//!
//! Input: one paragraph's display text (a [`crate::doc::Block`]'s `text`). Output: rows, each
//! a byte range of that text, so any later stage maps a screen cell back to a paragraph and
//! an offset. Styles are applied at draw time by intersecting rows with style runs
//! ([`split_row`]), so one cached layout serves every highlight state.
//! Pure: no terminal, no I/O.
//!
//! Rows are filled greedily: a row takes every break-delimited segment that fits
//! ([`breaks`] says where a row may end, [`measure`] how wide a segment is). A segment wider
//! than a whole row is cut between grapheme clusters, backing off a little rather than start
//! the next row with a closing mark. Tables are laid out by [`table`].

mod breaks;
mod measure;
pub mod table;

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use crate::width::AmbiguousWidth;
use breaks::{bad_end, bad_start, is_ws, trim_ws_end};
use measure::{Clusters, cluster_width_at, width_at};

/// One laid-out row: a byte range of the paragraph text (whitespace dropped at a break is
/// outside every row) and its width in cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub range: Range<usize>,
    pub width: usize,
}

/// Lay out one paragraph at `width` cells.
///
/// Widths 0 and 1 are treated as 1; every row still holds at least one grapheme cluster, so
/// a wide character at width 1 overflows rather than stalls. An empty (or all-whitespace)
/// paragraph is one empty row.
pub fn layout(text: &str, width: usize, amb: AmbiguousWidth) -> Vec<Row> {
    let mut fill = Filler::new(text, width.max(1), amb);
    for b in breaks::opportunities(text) {
        fill.segment_to(b.pos);
        if b.mandatory {
            fill.end_row(true);
        }
    }
    fill.segment_to(text.len());
    fill.end_row(false);
    if fill.rows.is_empty() {
        fill.rows.push(Row { range: 0..0, width: 0 });
    }
    fill.rows
}

/// Paragraphs longer than this are laid out a piece at a time ([`pieces`]).
pub const PIECE: usize = 32 << 10;

/// Cut a huge paragraph into pieces of about `size` bytes, each laid out on its own, so
/// that scrolling through a 10 MB paragraph lays out only the rows on screen. Each cut is
/// an allowed row end (never before a closing mark nor after an opening one), so a piece
/// boundary only ever costs one row that ends early. A text shorter than twice `size` is
/// one piece. The pieces cover the text exactly, in order.
pub fn pieces(text: &str, size: usize) -> Vec<Range<usize>> {
    let size = size.max(64);
    let mut out = Vec::with_capacity(text.len() / size + 1);
    let mut start = 0;
    while text.len() - start >= 2 * size {
        let cut = piece_end(text, start + size);
        out.push(start..cut);
        start = cut;
    }
    out.push(start..text.len());
    out
}

/// The first allowed row end at or after byte `at` (within a few KB), else the character
/// boundary at `at`.
fn piece_end(text: &str, at: usize) -> usize {
    let mut at = at;
    while !text.is_char_boundary(at) {
        at += 1;
    }
    // Opportunities depend on a little context: look from a few characters back.
    let mut from = at.saturating_sub(16);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (at + 4096).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let window = &text[from..to];
    breaks::opportunities(window).map(|b| from + b.pos).find(|&p| p > at && p < to).unwrap_or(at)
}

/// Greedy row filling over break-delimited segments.
struct Filler<'t> {
    text: &'t str,
    width: usize,
    amb: AmbiguousWidth,
    rows: Vec<Row>,
    /// Where the current row's content starts.
    row_start: usize,
    /// End of the last segment taken (its trailing whitespace included).
    seg_start: usize,
    /// End and width of the current row's content, trailing whitespace excluded.
    content_end: usize,
    content_width: usize,
    /// Column after the last segment taken, its trailing whitespace included (tabs need it).
    col: usize,
    has_content: bool,
}

impl<'t> Filler<'t> {
    fn new(text: &'t str, width: usize, amb: AmbiguousWidth) -> Self {
        Filler {
            text,
            width,
            amb,
            rows: Vec::new(),
            row_start: 0,
            seg_start: 0,
            content_end: 0,
            content_width: 0,
            col: 0,
            has_content: false,
        }
    }

    fn skip_ws(&self, mut i: usize, limit: usize) -> usize {
        let rest = &self.text[i..limit];
        i += rest.len() - rest.trim_start_matches(is_ws).len();
        i
    }

    /// Take the segment `seg_start..end` onto the current row, or start new rows for it.
    fn segment_to(&mut self, end: usize) {
        // the common case in Chinese text: one character, joining a row that has room
        if self.has_content {
            let mut it = self.text[self.seg_start..end].chars();
            if let (Some(c), None) = (it.next(), it.next())
                && !is_ws(c)
            {
                let w = crate::width::char_width(c, self.amb);
                if self.col + w <= self.width {
                    self.col += w;
                    self.content_end = end;
                    self.content_width = self.col;
                    self.seg_start = end;
                    return;
                }
            }
        }
        loop {
            if !self.has_content {
                self.row_start = self.skip_ws(self.seg_start, end);
                self.seg_start = self.row_start;
                self.col = 0;
            }
            let seg = &self.text[self.seg_start..end];
            let content = trim_ws_end(seg);
            if content.is_empty() {
                if self.has_content {
                    self.col += width_at(seg, self.col, self.amb);
                }
                self.seg_start = end;
                return;
            }
            let cw = width_at(content, self.col, self.amb);
            if self.col + cw <= self.width {
                self.take(content.len(), self.col + cw, end);
                return;
            }
            if self.has_content {
                self.end_row(false);
                continue;
            }
            let rest = self.cut_over_wide(self.seg_start, self.seg_start + content.len());
            if rest.start == rest.end {
                self.seg_start = end;
                return;
            }
            self.row_start = rest.start;
            self.seg_start = rest.start;
            self.take(rest.end - rest.start, rest.width, end);
            return;
        }
    }

    /// Accept `content_len` bytes of content (ending at `content_width` cells) and the
    /// segment's trailing whitespace up to `end`.
    fn take(&mut self, content_len: usize, content_width: usize, end: usize) {
        self.content_end = self.seg_start + content_len;
        self.content_width = content_width;
        self.col =
            content_width + width_at(&self.text[self.content_end..end], content_width, self.amb);
        self.seg_start = end;
        self.has_content = true;
    }

    fn end_row(&mut self, keep_empty: bool) {
        if self.has_content {
            self.rows
                .push(Row { range: self.row_start..self.content_end, width: self.content_width });
        } else if keep_empty {
            self.rows.push(Row { range: self.seg_start..self.seg_start, width: 0 });
        }
        self.has_content = false;
        self.col = 0;
    }

    /// Cut `start..end`, wider than a row, between grapheme clusters; push the full rows and
    /// return what is left (it starts the current row).
    fn cut_over_wide(&mut self, start: usize, end: usize) -> Tail {
        let mut pos = start;
        loop {
            // the last few places the row could end: (byte offset, width so far)
            let mut cuts: [(usize, usize); 4] = [(0, 0); 4];
            let mut n_cuts = 0usize;
            let mut w = 0;
            let mut overflow = false;
            for (i, g) in Clusters::new(&self.text[pos..end]) {
                let gw = cluster_width_at(g, w, self.amb);
                if w + gw > self.width && n_cuts > 0 {
                    overflow = true;
                    break;
                }
                w += gw;
                cuts[n_cuts % 4] = (pos + i + g.len(), w);
                n_cuts += 1;
            }
            if !overflow {
                return Tail { start: pos, end, width: w };
            }
            let newest = (n_cuts - 1) % 4;
            let mut chosen = cuts[newest];
            for back in 0..n_cuts.min(4) {
                let cut = cuts[(n_cuts - 1 - back) % 4];
                if !self.cut_is_bad(cut.0) {
                    chosen = cut;
                    break;
                }
            }
            let row_text = &self.text[pos..chosen.0];
            let kept = trim_ws_end(row_text);
            let width =
                if kept.len() == row_text.len() { chosen.1 } else { width_at(kept, 0, self.amb) };
            self.rows.push(Row { range: pos..pos + kept.len(), width });
            pos = self.skip_ws(chosen.0, end);
            if pos >= end {
                return Tail { start: end, end, width: 0 };
            }
        }
    }

    /// A cut inside an over-wide segment still should not start a row with a CJK closing
    /// mark or end one with an opening mark (ASCII marks inside a URL are let go).
    fn cut_is_bad(&self, q: usize) -> bool {
        let next = self.skip_ws(q, self.text.len());
        if next >= self.text.len() {
            return false;
        }
        let wide_mark = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
        wide_mark(bad_start(self.text, next)) || wide_mark(bad_end(self.text, q))
    }
}

struct Tail {
    start: usize,
    end: usize,
    width: usize,
}

/// A piece of a row with one style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment<S> {
    pub range: Range<usize>,
    pub style: S,
}

/// Split a row into styled segments. `runs` are sorted, non-overlapping (range, style)
/// pairs over the paragraph text; text outside every run gets `plain`.
pub fn split_row<S: Copy>(row: &Row, runs: &[(Range<usize>, S)], plain: S) -> Vec<Segment<S>> {
    let Range { start, end } = row.range.clone();
    let mut out = Vec::new();
    let first = runs.partition_point(|(r, _)| r.end <= start);
    let mut pos = start;
    for (r, style) in &runs[first..] {
        if r.start >= end {
            break;
        }
        let (a, b) = (r.start.max(start), r.end.min(end));
        if a >= b {
            continue;
        }
        if a > pos {
            out.push(Segment { range: pos..a, style: plain });
        }
        out.push(Segment { range: a.max(pos)..b, style: *style });
        pos = pos.max(b);
    }
    if pos < end {
        out.push(Segment { range: pos..end, style: plain });
    }
    out
}

const SPACES: &str = "        ";
const _: () = assert!(crate::width::TAB_STOP <= SPACES.len());

/// The cells of a row, for drawing: (byte range in `text`, what to draw, cells). A tab
/// yields the spaces it expands to at its column; a control character yields nothing, so no
/// byte of the document can reach the terminal as a control sequence.
pub fn row_graphemes<'a>(
    text: &'a str,
    row: &Row,
    amb: AmbiguousWidth,
) -> impl Iterator<Item = (Range<usize>, &'a str, usize)> + 'a {
    let base = row.range.start;
    let slice = text.get(row.range.clone()).unwrap_or("");
    let mut col = 0;
    slice.grapheme_indices(true).map(move |(i, g)| {
        let range = base + i..base + i + g.len();
        let (shown, w) = if g == "\t" {
            let w = measure::tab_width(col);
            (&SPACES[..w], w)
        } else if g.chars().any(char::is_control) {
            ("", 0)
        } else {
            (g, crate::width::grapheme_width(g, amb))
        };
        col += w;
        (range, shown, w)
    })
}

/// Wrap plain text the way the reading pane does: each input line is one paragraph; each
/// paragraph's rows one per line, one empty line between paragraphs, a final newline.
pub fn wrap_text(input: &str, width: usize, amb: AmbiguousWidth) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 8);
    for (n, para) in input.lines().enumerate() {
        if n > 0 {
            out.push('\n');
        }
        for row in layout(para, width, amb) {
            for (_, shown, _) in row_graphemes(para, &row, amb) {
                out.push_str(shown);
            }
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod piece_tests {
    use super::*;

    #[test]
    fn pieces_cover_the_text_and_cut_where_a_row_may_end() {
        let text = "他说：“好。”（笑）Latin words here，然后继续。".repeat(400);
        let ps = pieces(&text, 1000);
        assert!(ps.len() > 5);
        assert_eq!(ps.first().map(|r| r.start), Some(0));
        assert_eq!(ps.last().map(|r| r.end), Some(text.len()));
        for w in ps.windows(2) {
            assert_eq!(w[0].end, w[1].start);
            let cut = w[0].end;
            assert!(breaks::bad_start(&text, cut).is_none(), "{}", &text[cut..cut + 12]);
            assert!(breaks::bad_end(&text, cut).is_none());
            assert!(!text[..cut].ends_with("Latin wo"));
        }
    }

    #[test]
    fn a_short_paragraph_is_one_piece() {
        let one = pieces("短段落", PIECE);
        assert_eq!((one.len(), one[0].clone()), (1, 0.."短段落".len()));
        assert_eq!(pieces("", PIECE).len(), 1);
    }
}

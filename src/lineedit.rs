//! Beside the pipeline: the one-line editor for bookmark notes (and any short input).
//!
//! Pure state: the UI feeds it keys and pasted or IME-committed strings and draws
//! [`LineEdit::visible`]. The cursor sits on extended grapheme cluster boundaries only, so a
//! Chinese character, an emoji ZWJ sequence or a letter with combining marks moves and
//! deletes as one. Widths come from [`crate::width`], so the visible slice never overflows
//! its box.

use std::cell::Cell;

use unicode_segmentation::UnicodeSegmentation;

use crate::width::{AmbiguousWidth, grapheme_width};

#[derive(Debug, Clone, Default)]
pub struct LineEdit {
    text: String,
    /// Byte offset, always on a grapheme cluster boundary.
    cursor: usize,
    /// Byte offset of the first visible cluster; kept between draws so the view does not
    /// jump while the cursor moves inside it.
    scroll: Cell<usize>,
    amb: AmbiguousWidth,
}

/// Text as it may stand on one line: line breaks and tabs become spaces, other control
/// characters are dropped (they must never reach the terminal).
fn one_line(s: &str) -> String {
    let s = s.replace("\r\n", " ");
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

impl LineEdit {
    pub fn new() -> LineEdit {
        LineEdit::default()
    }

    /// An editor holding `text` (made one line), cursor at the end.
    pub fn with_text(text: &str) -> LineEdit {
        let text = one_line(text);
        LineEdit { cursor: text.len(), text, ..LineEdit::default() }
    }

    /// Count East Asian Ambiguous characters as the reader does.
    pub fn with_ambiguous(mut self, amb: AmbiguousWidth) -> LineEdit {
        self.amb = amb;
        self
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Cursor position as a byte offset into [`LineEdit::text`].
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Start of the cluster before the cursor.
    fn prev_boundary(&self, at: usize) -> usize {
        self.text[..at].grapheme_indices(true).next_back().map_or(0, |(i, _)| i)
    }

    /// End of the cluster at the cursor.
    fn next_boundary(&self, at: usize) -> usize {
        self.text[at..].graphemes(true).next().map_or(at, |g| at + g.len())
    }

    /// The first cluster boundary at or after byte `at`.
    fn snap_forward(&self, at: usize) -> usize {
        let mut end = 0;
        for (i, g) in self.text.grapheme_indices(true) {
            if i >= at {
                return i;
            }
            end = i + g.len();
            if end >= at {
                return end;
            }
        }
        end.max(at).min(self.text.len())
    }

    /// Insert typed, pasted or IME-committed text at the cursor.
    pub fn insert(&mut self, s: &str) {
        let s = one_line(s);
        if s.is_empty() {
            return;
        }
        self.text.insert_str(self.cursor, &s);
        // A combining mark or ZWJ joins the cluster before it: land after the whole cluster.
        self.cursor = self.snap_forward(self.cursor + s.len());
    }

    pub fn insert_char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        self.insert(c.encode_utf8(&mut buf));
    }

    /// Delete the cluster before the cursor. False at the start.
    pub fn backspace(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        let start = self.prev_boundary(self.cursor);
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
        true
    }

    /// Delete the cluster at the cursor. False at the end.
    pub fn delete(&mut self) -> bool {
        let end = self.next_boundary(self.cursor);
        if end == self.cursor {
            return false;
        }
        self.text.replace_range(self.cursor..end, "");
        true
    }

    pub fn left(&mut self) {
        self.cursor = self.prev_boundary(self.cursor);
    }

    pub fn right(&mut self) {
        self.cursor = self.next_boundary(self.cursor);
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }

    /// The part of the text that fits in `width` cells, and the cursor's column in it.
    /// The slice plus the cursor cell never exceed `width`; a wide character that would
    /// straddle the right edge is left out rather than cut.
    pub fn visible(&self, width: usize) -> (String, usize) {
        if width == 0 {
            return (String::new(), 0);
        }
        let clusters: Vec<(usize, &str, usize)> = self
            .text
            .grapheme_indices(true)
            .map(|(i, g)| (i, g, grapheme_width(g, self.amb)))
            .collect();
        let cur = clusters.partition_point(|&(i, _, _)| i < self.cursor);
        let mut first = clusters.partition_point(|&(i, _, _)| i < self.scroll.get()).min(cur);
        // The cursor needs a cell of its own, as wide as the cluster under it.
        let caret = clusters.get(cur).map_or(1, |c| c.2.max(1));
        let span = |a: usize, b: usize| clusters[a..b].iter().map(|c| c.2).sum::<usize>();
        while first < cur && span(first, cur) + caret > width {
            first += 1;
        }
        // After deleting, show more of the start again if the rest fits.
        let end_caret = usize::from(cur == clusters.len());
        while first > 0 && span(first - 1, clusters.len()) + end_caret <= width {
            first -= 1;
        }
        self.scroll.set(clusters.get(first).map_or(self.text.len(), |c| c.0));
        let mut used = 0;
        let mut out = String::new();
        for &(_, g, w) in &clusters[first..] {
            if used + w > width {
                break;
            }
            used += w;
            out.push_str(g);
        }
        (out, span(first, cur).min(width.saturating_sub(1)))
    }
}

//! Stage 3 of the pipeline: lines for a width.
//!
//! Input: one paragraph's display text (a [`crate::doc::Block`]'s `text`). Output: rows, each
//! a byte range of that text, so any later stage maps a screen cell back to a paragraph and
//! an offset. Styles are applied at draw time by intersecting rows with style runs
//! ([`split_row`]), so one cached layout serves every highlight state.
//! Pure: no terminal, no I/O.

use std::ops::Range;

use crate::width::AmbiguousWidth;

/// One laid-out row: a byte range of the paragraph text (whitespace dropped at a break is
/// outside every row) and its width in cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub range: Range<usize>,
    pub width: usize,
}

/// Lay out one paragraph at `width` cells.
pub fn layout(text: &str, width: usize, amb: AmbiguousWidth) -> Vec<Row> {
    let _ = (text, width, amb);
    todo!("layout helper implements")
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
    let _ = (row, runs, plain);
    todo!("layout helper implements")
}

/// `fangtan wrap`: each input line is one paragraph; its rows, one per line, with one empty
/// line between paragraphs.
pub fn wrap_text(input: &str, width: usize, amb: AmbiguousWidth) -> String {
    let _ = (input, width, amb);
    todo!("layout helper implements")
}

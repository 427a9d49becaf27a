//! Stage 3 (layout), part 3: rows laid out on demand and kept per paragraph.
//!
//! The reading pane asks only for the paragraphs it draws; a resize or a change of the
//! ambiguous-width setting drops everything, so only what is drawn next is laid out again.

use std::collections::HashMap;

use super::{Row, layout};
use crate::width::AmbiguousWidth;

/// Rows per paragraph key (whatever pair the caller uses, e.g. (item, block)) for one
/// (width, ambiguous) setting.
#[derive(Debug, Default)]
pub struct LayoutCache {
    width: usize,
    amb: AmbiguousWidth,
    rows: HashMap<(usize, usize), Vec<Row>>,
}

impl LayoutCache {
    pub fn new() -> Self {
        Self::default()
    }

    /// Rows of the paragraph `key` (whose text is `text`) at `width`, laid out on first use.
    pub fn rows(
        &mut self,
        key: (usize, usize),
        text: &str,
        width: usize,
        amb: AmbiguousWidth,
    ) -> &[Row] {
        if width != self.width || amb != self.amb {
            self.rows.clear();
            self.width = width;
            self.amb = amb;
        }
        self.rows.entry(key).or_insert_with(|| layout(text, width, amb))
    }

    /// Forget one paragraph (its text changed).
    pub fn invalidate(&mut self, key: (usize, usize)) {
        self.rows.remove(&key);
    }

    /// Forget everything (the document changed).
    pub fn clear(&mut self) {
        self.rows.clear();
    }

    /// How many paragraphs are laid out.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

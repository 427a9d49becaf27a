//! Stage 3 for tables: a table block's rows at a width.
//!
//! Input: a [`crate::doc::BlockKind::Table`] block's text (cells tab-separated, a row a
//! line, the header first) and its alignments. Output: screen lines, each the cells it
//! shows as byte ranges of that text placed at a column, so drawing styles them from the
//! block's runs like any row.
//!
//! Invariant: nothing is cut and nothing is wider than the width (but for a single
//! character wider than the width itself, as in [`super::layout`]). Columns are as wide as
//! their widest cell (measured by [`crate::width`]: a CJK character is two cells) when the
//! table fits; otherwise the widest columns are narrowed to a common cap and their cells
//! wrap; when even that leaves a column under [`MIN_COLUMN`] cells, each cell is a line of
//! its own (stacked), rows apart by rules. Line keys increase strictly down the table, each
//! at or before the first byte its line shows and at or after its row's start, so the line
//! a byte offset (a search match) falls on is in that byte's row: on the byte's own line
//! for the first column, else on a line of that row. (Where there are more lines than
//! bytes to key them by, a header of no bytes or a stacked row of empty cells, that row
//! shows no line.)

use std::ops::Range;

use crate::width::{AmbiguousWidth, str_width};

/// Cells between two columns: ` │ `.
pub const GAP: usize = 3;

/// The narrowest a column is made before the table is stacked instead.
pub const MIN_COLUMN: usize = 6;

/// One cell's part on a screen line: the column it starts at, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub x: usize,
    pub range: Range<usize>,
}

/// One screen line of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableLine {
    /// Cells (a row, or one wrapped line of it); `head`: of the header row.
    Cells { key: usize, head: bool, cells: Vec<Placed> },
    /// The rule under the header (or, stacked, between rows).
    Rule { key: usize },
}

impl TableLine {
    /// Where the line sits in the block: strictly increasing down the table, near the byte
    /// its row starts at.
    pub fn key(&self) -> usize {
        match self {
            TableLine::Cells { key, .. } | TableLine::Rule { key } => *key,
        }
    }
}

/// A table laid out at a width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableLayout {
    pub lines: Vec<TableLine>,
    /// Where each column starts; empty when stacked.
    pub columns: Vec<usize>,
    /// The table's width in cells.
    pub width: usize,
}

impl TableLayout {
    /// The columns of the `│` between columns.
    pub fn bars(&self) -> Vec<usize> {
        self.columns.iter().skip(1).map(|x| x - 2).collect()
    }
}

/// Line keys: each the byte its line stands for, but past the key before.
#[derive(Default)]
struct Keys {
    next: usize,
}

impl Keys {
    fn at(&mut self, at: usize) -> usize {
        let k = at.max(self.next);
        self.next = k + 1;
        k
    }
}

/// The rows of a table's text, each its cells, as byte ranges; every row has `columns`
/// cells (missing ones empty).
fn rows(text: &str, columns: usize) -> Vec<Vec<Range<usize>>> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split('\n') {
        let mut row = Vec::with_capacity(columns);
        let mut c = at;
        for cell in line.split('\t') {
            row.push(c..c + cell.len());
            c += cell.len() + 1;
        }
        let end = at + line.len();
        row.resize(columns.max(1), end..end);
        out.push(row);
        at = end + 1;
    }
    out
}

/// Lay out a table (`aligns`: one of `l`, `c`, `r`, `-` a column) at `width` cells.
pub fn table(text: &str, aligns: &str, width: usize, amb: AmbiguousWidth) -> TableLayout {
    let width = width.max(1);
    let n = aligns.len().max(1);
    let rows = rows(text, n);
    let mut natural = vec![1; n];
    for row in &rows {
        for (c, r) in row.iter().enumerate().take(n) {
            natural[c] = natural[c].max(str_width(&text[r.clone()], amb));
        }
    }
    let room = width.saturating_sub(GAP * (n - 1));
    let Some(widths) = fit(&natural, room) else { return stacked(text, &rows, width, amb) };
    let mut columns = Vec::with_capacity(n);
    let mut x = 0;
    for w in &widths {
        columns.push(x);
        x += w + GAP;
    }
    let total = x - GAP;
    let mut lines = Vec::new();
    let mut keys = Keys::default();
    for (r, row) in rows.iter().enumerate() {
        let wrapped: Vec<Vec<super::Row>> = row
            .iter()
            .zip(&widths)
            .map(|(cell, &w)| super::layout(&text[cell.clone()], w, amb))
            .collect();
        let start = row.first().map_or(0, |c| c.start);
        // A header of no bytes shows nothing: its rule alone stands for it (and takes the
        // one key there is before the next row).
        let height = match r == 0 && row.last().is_some_and(|c| c.end == start) {
            true => 0,
            false => wrapped.iter().map(Vec::len).max().unwrap_or(1),
        };
        for k in 0..height {
            // The line's key: the row's start for its first line, else the first byte the
            // line shows (a match in a tall cell lands on its own line, never a later one
            // nor past the next row's start).
            let shows = row.iter().zip(&wrapped).filter_map(|(cell, rows)| {
                rows.get(k).filter(|l| !l.range.is_empty()).map(|l| cell.start + l.range.start)
            });
            let at = if k == 0 { start } else { shows.min().unwrap_or(start + k) };
            let mut cells = Vec::new();
            for (c, rows) in wrapped.iter().enumerate() {
                let Some(line) = rows.get(k) else { continue };
                if line.range.is_empty() {
                    continue;
                }
                let spare = widths[c].saturating_sub(line.width);
                let pad = match aligns.as_bytes().get(c) {
                    Some(b'r') => spare,
                    Some(b'c') => spare / 2,
                    _ => 0,
                };
                let base = row[c].start;
                cells.push(Placed {
                    x: columns[c] + pad,
                    range: base + line.range.start..base + line.range.end,
                });
            }
            lines.push(TableLine::Cells { key: keys.at(at), head: r == 0, cells });
        }
        if r == 0 {
            // At the header's end (its newline): before the next row's first byte.
            let end = row.last().map_or(start, |c| c.end);
            lines.push(TableLine::Rule { key: keys.at(end) });
        }
    }
    TableLayout { lines, columns, width: total }
}

/// Column widths for `room` cells: the natural ones when they fit, else the widest capped
/// at the largest width that fits (what is left over goes to the capped ones). `None`
/// when a capped column would be narrower than [`MIN_COLUMN`].
fn fit(natural: &[usize], room: usize) -> Option<Vec<usize>> {
    if natural.iter().sum::<usize>() <= room {
        return Some(natural.to_vec());
    }
    let used = |cap: usize| natural.iter().map(|&w| w.min(cap)).sum::<usize>();
    // The largest cap whose columns fit: `used` grows with the cap.
    let (mut lo, mut hi) = (0, natural.iter().copied().max().unwrap_or(1));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if used(mid) <= room { lo = mid } else { hi = mid - 1 }
    }
    let cap = lo;
    if natural.iter().any(|&w| w.min(cap) < w.min(MIN_COLUMN)) {
        return None;
    }
    let mut widths: Vec<usize> = natural.iter().map(|&w| w.min(cap)).collect();
    let mut spare = room - used(cap);
    for (w, &nat) in widths.iter_mut().zip(natural) {
        if spare > 0 && nat > *w {
            *w += 1;
            spare -= 1;
        }
    }
    Some(widths)
}

/// Too narrow for columns: each cell on lines of its own (an empty cell a blank line, a
/// cell the row lacks or a row of empty cells none), a rule between rows.
fn stacked(
    text: &str,
    rows: &[Vec<Range<usize>>],
    width: usize,
    amb: AmbiguousWidth,
) -> TableLayout {
    let mut lines = Vec::new();
    let mut keys = Keys::default();
    for (r, row) in rows.iter().enumerate() {
        // A line showing no text (a rule, an empty cell) takes the next key: the newline
        // or tab before it leaves room, and a line of text keeps its own first byte.
        if r > 0 {
            lines.push(TableLine::Rule { key: keys.at(0) });
        }
        // A row of empty cells shows nothing: the rule above it stands for it.
        if row.iter().all(Range::is_empty) {
            continue;
        }
        for (c, cell) in row.iter().enumerate() {
            // A cell the row lacks (no tab before it) has no line of its own.
            if c > 0 && cell.start == row[c - 1].end {
                continue;
            }
            for line in super::layout(&text[cell.clone()], width, amb) {
                let range = cell.start + line.range.start..cell.start + line.range.end;
                let (key, cells) = match range.is_empty() {
                    true => (keys.at(0), Vec::new()),
                    false => (keys.at(range.start), vec![Placed { x: 0, range }]),
                };
                lines.push(TableLine::Cells { key, head: r == 0, cells });
            }
        }
    }
    if lines.is_empty() {
        // A table of no bytes at all is still a line.
        lines.push(TableLine::Cells { key: 0, head: true, cells: Vec::new() });
    }
    TableLayout { lines, columns: Vec::new(), width: width.min(MIN_COLUMN * 8) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AMB: AmbiguousWidth = AmbiguousWidth::Narrow;

    /// The table drawn as text: cells at their columns, `│` between, `─` rules.
    fn draw(text: &str, t: &TableLayout) -> Vec<String> {
        t.lines
            .iter()
            .map(|l| match l {
                TableLine::Rule { .. } => "─".repeat(t.width),
                TableLine::Cells { cells, .. } => {
                    let mut s = String::new();
                    let mut col = 0;
                    let mut bars = t.bars().into_iter().peekable();
                    for c in cells {
                        while let Some(&b) = bars.peek().filter(|&&b| b < c.x) {
                            s.push_str(&" ".repeat(b - col));
                            s.push('│');
                            col = b + 1;
                            bars.next();
                        }
                        s.push_str(&" ".repeat(c.x - col));
                        s.push_str(&text[c.range.clone()]);
                        col = c.x + str_width(&text[c.range.clone()], AMB);
                    }
                    for b in bars {
                        s.push_str(&" ".repeat(b.saturating_sub(col)));
                        s.push('│');
                        col = b + 1;
                    }
                    s.trim_end().to_string()
                }
            })
            .collect()
    }

    #[test]
    fn columns_align_by_display_width() {
        let text = "名字\tAge\n张三丰\t120\nBo\t7";
        let t = table(text, "-r", 40, AMB);
        assert_eq!(
            draw(text, &t),
            ["名字   │ Age", "────────────", "张三丰 │ 120", "Bo     │   7"]
        );
    }

    #[test]
    fn a_narrow_pane_wraps_cells_and_cuts_nothing() {
        let text = "Question\tAnswer\nWhat is it?\tA long answer that wraps over lines";
        let t = table(text, "--", 20, AMB);
        let shown = draw(text, &t);
        assert!(shown.iter().all(|l| str_width(l, AMB) <= 20), "{shown:#?}");
        let all: String = shown.join(" ");
        for word in ["Question", "Answer", "What", "long", "answer", "wraps", "lines"] {
            assert!(all.contains(word), "{word} lost: {shown:#?}");
        }
    }

    #[test]
    fn too_narrow_for_columns_stacks_the_cells() {
        let text = "a\tb\tc\nxyz\t中文\tq";
        for w in 1..8 {
            let t = table(text, "---", w, AMB);
            let shown = draw(text, &t);
            let all: String = shown.join("");
            for part in ["a", "b", "c", "xyz", "q"] {
                assert!(all.contains(part), "{part} lost at {w}: {shown:#?}");
            }
            assert!(all.contains('中') && all.contains('文'));
            let keys: Vec<usize> = t.lines.iter().map(TableLine::key).collect();
            assert!(keys.windows(2).all(|k| k[0] < k[1]), "{keys:?}");
        }
    }

    /// Each line's key is at or before the first byte it shows, and not before its row's
    /// start: the line found for a byte (the last whose key is at or before it) is in the
    /// byte's row.
    fn assert_keys_in_rows(text: &str, t: &TableLayout) {
        let keys: Vec<usize> = t.lines.iter().map(TableLine::key).collect();
        assert!(keys.windows(2).all(|k| k[0] < k[1]), "{keys:?}");
        let starts: Vec<usize> =
            std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        for l in &t.lines {
            let TableLine::Cells { key, cells, .. } = l else { continue };
            let Some(first) = cells.iter().map(|c| c.range.start).min() else { continue };
            assert!(*key <= first, "{text:?}: key {key} after its text at {first}");
            let row = starts.partition_point(|&s| s <= first);
            assert!(starts.partition_point(|&s| s <= *key) == row, "{text:?}: {key} {first}");
        }
    }

    #[test]
    fn a_tall_cells_lines_are_keyed_by_their_own_bytes() {
        let tall = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥";
        let texts = [
            format!("很长很长很长的表头文字\tb\n一\t二\n{tall}\t目标"),
            format!("a\t{tall}\n{tall}\tx\ny\t"),
            "x\t\t\ny\n\tz\n\t".to_string(),
            "Question\tAnswer\nWhat is it?\tA long answer that wraps over lines".to_string(),
        ];
        for text in &texts {
            for w in [1, 3, 8, 12, 20, 30, 80] {
                assert_keys_in_rows(text, &table(text, "--", w, AMB));
                assert_keys_in_rows(text, &table(text, "---", w, AMB));
            }
        }
        // The tall cell's third line is found by a byte on it.
        let text = &texts[0];
        let t = table(text, "--", 20, AMB);
        let at = text.find('午').expect("there");
        let line = t.lines.partition_point(|l| l.key() <= at) - 1;
        let TableLine::Cells { cells, .. } = &t.lines[line] else { panic!("a rule") };
        assert!(cells.iter().any(|c| c.range.contains(&at)), "{:?}", t.lines[line]);
    }

    #[test]
    fn keys_increase_even_for_empty_cells() {
        for text in ["", "\n", "\t\n\t", "x\n\ny"] {
            for w in [1, 5, 80] {
                let t = table(text, "-", w, AMB);
                assert!(!t.lines.is_empty(), "{text:?} {w}");
                let keys: Vec<usize> = t.lines.iter().map(TableLine::key).collect();
                assert!(keys.windows(2).all(|k| k[0] < k[1]), "{text:?} {w}: {keys:?}");
            }
        }
    }
}

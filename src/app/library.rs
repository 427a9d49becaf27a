//! The library screen's state, as data (issue 18, not yet drawn nor routed): the rows of
//! a folder's transcripts ([`crate::library::Entry`]), the order they are in (a
//! [`SortKey`]), the fuzzy filter typed ([`crate::fuzzy`], CJK-aware, over title, speakers
//! and file name) and the selection, which stays on the same document when the order or
//! the filter changes, and when the reader opened from it returns ([`Shelf::select_path`]).
//!
//! Public surface: [`Shelf`], [`SortKey`]. Pure: no terminal, no file, no clock; the
//! rows are given.

use std::cmp::Reverse;
use std::path::{Path, PathBuf};

use crate::library::Entry;

/// What the rows are ordered by when no filter is typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Newest first; undated last.
    #[default]
    Date,
    /// Title, A to Z (by code point).
    Title,
    /// Longest first.
    Length,
    /// Most recently read first; never read last.
    Recent,
}

impl SortKey {
    /// The next key, round: what the sort key cycles through.
    pub fn next(self) -> SortKey {
        match self {
            SortKey::Date => SortKey::Title,
            SortKey::Title => SortKey::Length,
            SortKey::Length => SortKey::Recent,
            SortKey::Recent => SortKey::Date,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            SortKey::Date => "date",
            SortKey::Title => "title",
            SortKey::Length => "length",
            SortKey::Recent => "recently read",
        }
    }
}

/// The library screen: rows, their order, the filter and the selection.
#[derive(Debug, Clone, Default)]
pub struct Shelf {
    pub rows: Vec<Entry>,
    pub sort: SortKey,
    /// The filter typed (empty: every row, in the sort key's order).
    pub filter: String,
    /// The rows shown (indices into `rows`): sorted, or the filter's matches best first.
    pub shown: Vec<usize>,
    /// Selected entry (index into `shown`).
    pub sel: usize,
}

impl Shelf {
    pub fn new(rows: Vec<Entry>) -> Shelf {
        let mut s = Shelf { rows, ..Shelf::default() };
        s.refresh();
        s
    }

    /// The selected document's path.
    pub fn selected(&self) -> Option<&Path> {
        self.shown.get(self.sel).map(|&i| self.rows[i].path.as_path())
    }

    /// Select the row of `path` when it is shown (the reader returning to the library).
    pub fn select_path(&mut self, path: &Path) {
        if let Some(at) = self.shown.iter().position(|&i| self.rows[i].path == path) {
            self.sel = at;
        }
    }

    /// Move the selection by `delta` rows, stopping at either end.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.shown.len().saturating_sub(1);
        self.sel = self.sel.saturating_add_signed(delta).min(last);
    }

    pub fn set_sort(&mut self, key: SortKey) {
        self.sort = key;
        self.refresh();
    }

    pub fn set_filter(&mut self, filter: &str) {
        self.filter = filter.to_string();
        self.refresh();
    }

    /// What a row is filtered on: its title, speakers and file name.
    fn haystack(e: &Entry) -> String {
        let name = e.path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default();
        format!("{} {} {name}", e.summary.title, e.summary.speakers.join(" "))
    }

    /// Order (or filter) the rows again, the selection kept on its document when it is
    /// still shown, else on the first row.
    fn refresh(&mut self) {
        let keep: Option<PathBuf> = self.selected().map(Path::to_path_buf);
        let all = 0..self.rows.len();
        self.shown = if self.filter.trim().is_empty() {
            let mut v: Vec<usize> = all.collect();
            let rows = &self.rows;
            match self.sort {
                SortKey::Date => {
                    v.sort_by_key(|&i| (rows[i].date.is_none(), Reverse(rows[i].date.clone())))
                }
                SortKey::Title => {
                    v.sort_by(|&a, &b| rows[a].summary.title.cmp(&rows[b].summary.title))
                }
                SortKey::Length => {
                    v.sort_by(|&a, &b| rows[b].summary.seconds.total_cmp(&rows[a].summary.seconds))
                }
                SortKey::Recent => {
                    v.sort_by_key(|&i| (rows[i].last_read.is_none(), Reverse(rows[i].last_read)))
                }
            }
            v
        } else {
            let rows = &self.rows;
            crate::fuzzy::filter(&self.filter, all, |&i| Shelf::haystack(&rows[i]))
                .into_iter()
                .map(|(i, _)| i)
                .collect()
        };
        self.sel = 0;
        if let Some(p) = keep {
            self.select_path(&p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fangtan_core::library::Summary;

    fn entry(
        name: &str,
        title: &str,
        date: Option<&str>,
        seconds: f64,
        read: Option<i64>,
    ) -> Entry {
        Entry {
            path: PathBuf::from(format!("/lib/{name}")),
            summary: Summary {
                title: title.to_string(),
                date: date.map(str::to_string),
                speakers: vec!["张三".to_string(), "Satya".to_string()],
                speaker_count: 2,
                seconds,
                estimated: true,
                turns: 3,
                format: Some("markdown"),
            },
            date: date.map(str::to_string),
            progress: None,
            bookmarks: 0,
            last_read: read,
        }
    }

    fn shelf() -> Shelf {
        Shelf::new(vec![
            entry("a.md", "Bravo", Some("2024-01-01"), 100.0, None),
            entry("b.md", "Alpha", None, 300.0, Some(5)),
            entry("c.md", "搜索的未来", Some("2024-06-01"), 200.0, Some(9)),
        ])
    }

    fn names(s: &Shelf) -> Vec<String> {
        s.shown
            .iter()
            .map(|&i| s.rows[i].path.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn each_sort_key_orders_the_rows() {
        let mut s = shelf();
        assert_eq!(names(&s), ["c.md", "a.md", "b.md"]);
        s.set_sort(SortKey::Title);
        assert_eq!(names(&s), ["b.md", "a.md", "c.md"]);
        s.set_sort(SortKey::Length);
        assert_eq!(names(&s), ["b.md", "c.md", "a.md"]);
        s.set_sort(SortKey::Recent);
        assert_eq!(names(&s), ["c.md", "b.md", "a.md"]);
        assert_eq!(SortKey::Recent.next(), SortKey::Date);
    }

    #[test]
    fn the_filter_matches_titles_in_any_script_and_the_selection_follows_its_document() {
        let mut s = shelf();
        s.move_by(1);
        assert_eq!(s.selected(), Some(Path::new("/lib/a.md")));
        // Re-sorted: still on a.md.
        s.set_sort(SortKey::Title);
        assert_eq!(s.selected(), Some(Path::new("/lib/a.md")));
        s.set_filter("未来");
        assert_eq!(names(&s), ["c.md"]);
        assert_eq!(s.selected(), Some(Path::new("/lib/c.md")));
        s.set_filter("alph");
        assert_eq!(names(&s), ["b.md"]);
        s.set_filter("");
        assert_eq!(s.selected(), Some(Path::new("/lib/b.md")));
        // Back from the reader at the row it opened.
        s.select_path(Path::new("/lib/c.md"));
        assert_eq!(s.selected(), Some(Path::new("/lib/c.md")));
        s.move_by(10);
        assert_eq!(s.sel, 2);
        s.move_by(-10);
        assert_eq!(s.sel, 0);
    }
}

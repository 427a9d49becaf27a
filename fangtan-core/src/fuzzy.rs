//! Beside the pipeline, pure: the one fuzzy matcher of the program (the quote index's
//! filter is its one user). A wrapper over `nucleo-matcher` (Helix's matcher, fzf's
//! scoring) that knows CJK text.
//!
//! A query is split at spaces into words; an item matches when every word does. A Latin
//! word matches fuzzily, its letters in order with gaps (`mny` finds `money`), case and
//! accents ignored; word starts score higher. CJK text has no spaces and so no word starts
//! to score: a CJK word's characters, found anywhere, would match almost any long passage.
//! So a word holding CJK characters must be found close together: its characters in order,
//! within twice its length plus two (`台风地图` finds `台风过后的地图`, not `台…………风…地…图`
//! spread over a paragraph). Type a space between two CJK words to find them apart.
//!
//! Invariant: an empty query matches everything, in the order given; a match is scored so
//! that a higher score is a better match; results keep the input order among equal scores.

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::search::is_unspaced_script;

/// A query, ready to match items against.
pub struct Fuzzy {
    matcher: Matcher,
    /// Each word, and whether it holds CJK characters (its match must be close).
    atoms: Vec<(Atom, Option<usize>)>,
    buf: Vec<char>,
    indices: Vec<u32>,
}

impl std::fmt::Debug for Fuzzy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fuzzy").field("words", &self.atoms.len()).finish()
    }
}

impl Fuzzy {
    pub fn new(query: &str) -> Fuzzy {
        let atoms = query
            .split_whitespace()
            .map(|w| {
                let atom = Atom::new(
                    w,
                    CaseMatching::Ignore,
                    Normalization::Smart,
                    AtomKind::Fuzzy,
                    false,
                );
                let n = w.chars().count();
                let cjk = w.chars().any(is_unspaced_script).then_some(n * 2 + 2);
                (atom, cjk)
            })
            .collect();
        Fuzzy {
            matcher: Matcher::new(Config::DEFAULT),
            atoms,
            buf: Vec::new(),
            indices: Vec::new(),
        }
    }

    /// The query has no words: everything matches.
    pub fn is_empty(&self) -> bool {
        self.atoms.is_empty()
    }

    /// How well `haystack` matches (higher is better), or `None`.
    pub fn score(&mut self, haystack: &str) -> Option<u32> {
        let Fuzzy { matcher, atoms, buf, indices } = self;
        let hay = Utf32Str::new(haystack, buf);
        let mut total = 0u32;
        for (atom, window) in atoms.iter() {
            let score = match window {
                None => atom.score(hay, matcher)?,
                Some(window) => {
                    indices.clear();
                    let score = atom.indices(hay, matcher, indices)?;
                    let first = indices.iter().min().copied().unwrap_or(0);
                    let last = indices.iter().max().copied().unwrap_or(0);
                    if (last - first) as usize >= *window {
                        return None;
                    }
                    score
                }
            };
            total = total.saturating_add(u32::from(score));
        }
        Some(total)
    }
}

/// The items matching `query`, best first (ties in the order given): each item's key and
/// score. `text` gives an item's text to match.
pub fn filter<T, S: AsRef<str>>(
    query: &str,
    items: impl IntoIterator<Item = T>,
    text: impl Fn(&T) -> S,
) -> Vec<(T, u32)> {
    let mut f = Fuzzy::new(query);
    let mut out: Vec<(T, u32)> = items
        .into_iter()
        .filter_map(|item| {
            let score = f.score(text(&item).as_ref())?;
            Some((item, score))
        })
        .collect();
    // Stable: equal scores keep their order.
    out.sort_by_key(|&(_, s)| std::cmp::Reverse(s));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(query: &str, items: &[&str]) -> Vec<usize> {
        filter(query, 0..items.len(), |&i| items[i]).into_iter().map(|(i, _)| i).collect()
    }

    #[test]
    fn latin_words_match_fuzzily_and_cjk_words_close_together() {
        let items = [
            "The engineering was the easy part; the money was the hard part.",
            "每一次台风过后，我们都要重新画一遍地图",
            "顺序比总数更重要。",
        ];
        assert_eq!(keys("mny", &items), vec![0]);
        assert_eq!(keys("MONEY hard", &items), vec![0]);
        assert_eq!(keys("地图", &items), vec![1]);
        assert_eq!(keys("台风 地图", &items), vec![1]);
        // Its characters in order but spread over the passage: no match.
        assert_eq!(keys("台地", &items), Vec::<usize>::new());
        assert_eq!(keys("顺序重要", &items), vec![2]);
        assert_eq!(keys("", &items), vec![0, 1, 2]);
        assert_eq!(keys("zzz", &items), Vec::<usize>::new());
    }
}

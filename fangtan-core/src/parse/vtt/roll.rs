//! Rolling captions (stage 2): auto-captions from video sites and roll-up broadcast
//! captions show each line two or three times, scrolling up a cue at a time (a cue
//! begins with the previous cue's last lines), growing a word at a time (a cue repeats
//! the previous one and adds a word), or flashing the finished line in a cue of a few
//! milliseconds.
//!
//! Invariant: only a file that rolls ([`Evidence`], decided over the whole file) is
//! de-duplicated, so a line really said twice in ordinary captions is kept; in a rolling
//! file each spoken word appears once ([`Rolling`]), and times stay those of the first cue
//! that showed the words.

use std::ops::Range;

use super::cue::{Dialect, Piece, Timing, markup_len};
use crate::parse::join::is_east_asian;

/// A cue shorter than this only flashes a line already shown.
const FLASH_MS: u64 = 50;
/// The most lines of one cue compared with the cue before (a caption window holds two or
/// three).
const WINDOW_LINES: usize = 8;
/// The most words compared at each end of two cues: far more than a screen holds, and a
/// bound on the work a pathological cue causes.
const WINDOW_WORDS: usize = 256;

/// Does a cue of this timing only flash (a few milliseconds)?
pub fn flashes(t: Timing) -> bool {
    matches!((t.start_ms, t.end_ms), (Some(s), Some(e)) if e.saturating_sub(s) < FLASH_MS)
}

/// Counts, over a file's cues, those that roll: is this a rolling caption file?
#[derive(Default)]
pub struct Evidence {
    /// The previous cue's text and this one's: lines with markup stripped and spaces
    /// collapsed, joined by a space, and where each line ends.
    prev: String,
    prev_ends: Vec<usize>,
    cur: String,
    cur_ends: Vec<usize>,
    /// Cues with text after the first, and those of them that roll.
    cues: usize,
    rolls: usize,
}

/// Line `k` of a cue's text whose lines end at `ends`.
fn line<'a>(text: &'a str, ends: &[usize], k: usize) -> &'a str {
    let start = k.checked_sub(1).map_or(0, |j| ends[j] + 1);
    &text[start..ends[k]]
}

impl Evidence {
    /// The next cue's payload.
    pub fn cue(&mut self, dialect: Dialect, lines: &[(usize, &str)], timing: Timing) {
        self.cur.clear();
        self.cur_ends.clear();
        for &(_, l) in lines {
            let mut i = 0;
            let before = self.cur.len();
            while i < l.len() {
                let rest = &l[i..];
                if let Some(n) = markup_len(dialect, rest) {
                    i += n;
                    continue;
                }
                // Up to the next `<` or `{` (the byte after the first: a literal one is text).
                let end = memchr::memchr2(b'<', b'{', &rest.as_bytes()[1..])
                    .map_or(rest.len(), |k| k + 1);
                // Spaces are compared, not shown: ASCII ones are enough to split on.
                for w in rest[..end].split_ascii_whitespace() {
                    if self.cur.len() > before {
                        self.cur.push(' ');
                    }
                    self.cur.push_str(w);
                }
                i += end;
            }
            if self.cur.len() > before {
                self.cur_ends.push(self.cur.len());
                self.cur.push(' ');
            }
        }
        self.cur.pop();
        if self.cur_ends.is_empty() {
            return;
        }
        if !self.prev_ends.is_empty() {
            self.cues += 1;
            if self.rolls_on(flashes(timing)) {
                self.rolls += 1;
            }
        }
        std::mem::swap(&mut self.prev, &mut self.cur);
        std::mem::swap(&mut self.prev_ends, &mut self.cur_ends);
    }

    fn rolls_on(&self, flash: bool) -> bool {
        let (prev, cur) = (&self.prev, &self.cur);
        let (np, nc) = (self.prev_ends.len(), self.cur_ends.len());
        // Scrolled up: the cue begins with the previous cue's last lines and adds more (or,
        // flashing, adds none).
        let scrolled = (1..=np.min(nc).min(WINDOW_LINES)).filter(|&k| k < nc || flash).any(|k| {
            (0..k).all(|j| line(cur, &self.cur_ends, j) == line(prev, &self.prev_ends, np - k + j))
        });
        // Grew: the cue is the previous one and a word or more.
        let grew = cur.len() > prev.len()
            && cur.starts_with(prev.as_str())
            && cur[prev.len()..].starts_with(|c: char| {
                c == ' ' || is_east_asian(c) || prev.chars().next_back().is_some_and(is_east_asian)
            });
        scrolled || grew
    }

    /// A file rolls when a third of its cues (and at least three) do.
    pub fn rolling(&self) -> bool {
        self.rolls >= 3 && self.rolls * 3 >= self.cues
    }
}

/// Words of cue text as cues are compared: runs between spaces, each East Asian character
/// a word of its own (Chinese and Japanese captions grow a character at a time).
fn words(text: &str, mut word: impl FnMut(Range<usize>)) {
    let b = text.as_bytes();
    let mut start = None;
    let mut i = 0;
    while i < b.len() {
        // ASCII needs no decoding: the most of most captions.
        let (len, space, east) = match b[i] {
            c if c.is_ascii() => (1, c.is_ascii_whitespace(), false),
            _ => {
                let c = text[i..].chars().next().unwrap_or(' ');
                (c.len_utf8(), c.is_whitespace(), is_east_asian(c))
            }
        };
        if space || east {
            if let Some(s) = start.take() {
                word(s..i);
            }
            if east {
                word(i..i + len);
            }
        } else if start.is_none() {
            start = Some(i);
        }
        i += len;
    }
    if let Some(s) = start {
        word(s..text.len());
    }
}

/// The longest start of `new` that ends `prev`, and whether all of `new` occurs in `prev`
/// (Knuth–Morris–Pratt: linear in both).
fn overlap(new: &[&str], prev: &[&str]) -> (usize, bool) {
    if new.is_empty() {
        return (0, false);
    }
    let mut fail = vec![0; new.len()];
    let mut k = 0;
    for i in 1..new.len() {
        while k > 0 && new[i] != new[k] {
            k = fail[k - 1];
        }
        if new[i] == new[k] {
            k += 1;
        }
        fail[i] = k;
    }
    let (mut k, mut inside) = (0, false);
    for &t in prev {
        while k > 0 && (k == new.len() || new[k] != t) {
            k = fail[k - 1];
        }
        if new[k] == t {
            k += 1;
        }
        inside |= k == new.len();
    }
    (k, inside)
}

/// De-duplicates the cues of a rolling file, one after another.
#[derive(Default)]
pub struct Rolling {
    /// The last words of the previous cue that showed words: their text, and where each is.
    prev: String,
    prev_words: Vec<Range<usize>>,
    /// (piece, byte range in its text) of each word of the cue being read.
    words: Vec<(usize, Range<usize>)>,
}

impl Rolling {
    /// Drop from a cue's pieces the words the previous cue already showed; a flashing cue
    /// that only repeats them is dropped whole.
    pub fn dedup(&mut self, pieces: &mut Vec<Piece>, flash: bool) {
        let all = &mut self.words;
        all.clear();
        for (i, p) in pieces.iter().enumerate() {
            words(&p.text, |r| all.push((i, r)));
        }
        if all.is_empty() {
            return;
        }
        let word = |(i, r): &(usize, Range<usize>)| &pieces[*i].text[r.clone()];
        let head: Vec<&str> = all.iter().take(WINDOW_WORDS).map(word).collect();
        let prev: Vec<&str> = self.prev_words.iter().map(|r| &self.prev[r.clone()]).collect();
        let (repeated, inside) = overlap(&head, &prev);
        if flash && inside && head.len() == all.len() {
            pieces.clear();
            return;
        }
        self.prev.clear();
        self.prev_words.clear();
        for w in &all[all.len().saturating_sub(WINDOW_WORDS)..] {
            let at = self.prev.len();
            self.prev.push_str(word(w));
            self.prev_words.push(at..self.prev.len());
        }
        if let Some((at, r)) = repeated.checked_sub(1).map(|k| all[k].clone()) {
            cut(pieces, at, r.end);
        }
    }
}

/// Drop the text of `pieces` before byte `end` of piece `at` (and the spaces after it).
fn cut(pieces: &mut [Piece], at: usize, end: usize) {
    let first_same_cue = pieces.first().is_some_and(|p| p.same_cue);
    for p in &mut pieces[..at] {
        p.text.clear();
        p.runs.clear();
    }
    let p = &mut pieces[at];
    let rest = &p.text[end..];
    let skip = end + (rest.len() - rest.trim_start().len());
    p.text.drain(..skip);
    p.runs.retain_mut(|r| {
        if r.range.end <= skip {
            return false;
        }
        r.range = r.range.start.max(skip) - skip..r.range.end - skip;
        true
    });
    // The first piece left is where the cue now begins: a pause before it still counts.
    if let Some(p) = pieces.iter_mut().find(|p| !p.text.is_empty()) {
        p.same_cue = first_same_cue;
    }
}

#[cfg(test)]
mod tests {
    use super::{overlap, words};

    #[test]
    fn overlaps() {
        let s = |t: &'static str| t.split(' ').collect::<Vec<_>>();
        assert_eq!(overlap(&s("we said no no and"), &s("x we said no")), (3, false));
        assert_eq!(
            overlap(&s("no and no again then"), &s("we said no no and no again")),
            (4, false)
        );
        assert_eq!(overlap(&s("b c"), &s("a b c d")), (0, true));
        assert_eq!(overlap(&s("c d"), &s("a b c d")), (2, true));
        assert_eq!(overlap(&s("x"), &[]), (0, false));
    }

    #[test]
    fn east_asian_characters_are_words() {
        let mut out = Vec::new();
        let t = "我们 today好，ok";
        words(t, |r| out.push(r));
        let w: Vec<&str> = out.into_iter().map(|r| &t[r]).collect();
        assert_eq!(w, ["我", "们", "today", "好", "，", "ok"]);
    }
}

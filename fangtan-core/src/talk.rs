//! Beside the pipeline, pure: who talks how much. The talk-share panel (`i`) and
//! `fangtan speakers` read the same [`Talk`], built from the tree ([`Talk::of`]).
//!
//! A turn's length is **spoken time** when the transcript says it: from the turn's start to
//! its end, or to the next turn's start, or to the last time its own paragraphs give, or
//! the sum of its paragraphs' timed stretches. A turn without times, or with only a start
//! (often the last one: the rule counts those apart), is given an **estimate** in the same
//! unit, seconds, at typical speaking rates ([`CJK_PER_SECOND`], [`WORDS_PER_SECOND`]): a
//! CJK character and a Latin word are different units, and counting characters (or bytes,
//! or words) makes one language talk more than another that says the same. Measured and
//! estimated seconds add up, so a transcript timed only in part still gets one share.
//!
//! The counting of text ([`count_said`]: [`count_from`] leaving out link targets and
//! footnote marks, which are read, not said) is the one the reader's time-left estimate
//! uses too, at reading speeds instead of speaking ones.
//!
//! Invariant: shares add up to 100 % (when anything is said); no speaker or turn outside
//! the document is read; nothing here panics on a turn without blocks or times.

use std::ops::Range;

use crate::doc::{Document, Run, SpeakerId, Style};

/// Estimated speaking rate of CJK text: 4 characters a second (240 a minute). Mandarin
/// interviews and broadcasts run at about 220-280 characters (syllables) a minute.
pub const CJK_PER_SECOND: f64 = 4.0;

/// Estimated speaking rate of text in words: 2.75 words a second (165 a minute). English
/// interviews and podcasts run at about 150-180 words a minute. The two rates stand at
/// 1.45 CJK characters to a word, about what a translation between Chinese and English
/// gives for the same content (1.2-1.6 characters a word).
pub const WORDS_PER_SECOND: f64 = 2.75;

/// The estimate's rule, as the panel's footer and `fangtan speakers` state it.
pub const RULE: &str = "CJK 4 characters/s (240/min), other text 2.75 words/s (165/min)";

/// A character said as one syllable, so counted one by one rather than in words:
/// ideographs, kana, hangul and fullwidth letters and digits (fullwidth punctuation, `，`
/// `？` `：`, is said by no one). Not [`crate::search::is_unspaced_script`] (what is written
/// without spaces between words: Korean is spaced, yet said a syllable a block) nor the
/// inline parser's test for CJK-friendly emphasis (any wide character, punctuation too).
pub fn is_cjk_syllable(c: char) -> bool {
    match c as u32 {
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF => true,
        0xF900..=0xFAFF | 0x20000..=0x3FFFF => true,
        0xFF00..=0xFFEF => c.is_alphanumeric(),
        _ => false,
    }
}

/// (CJK characters, words) in a text that may continue one counted before (`in_word`: it
/// ended inside a word); also says whether this one ends inside a word. A word is a run of
/// letters and digits that are not CJK; an apostrophe inside one (`don't`, `else’s`) does
/// not end it.
pub fn count_from(text: &str, in_word: bool) -> (usize, usize, bool) {
    let (mut cjk, mut words, mut in_word) = (0, 0, in_word);
    for c in text.chars() {
        if c.is_ascii() {
            // Most of a mixed text: decided without the Unicode tables.
            if c.is_ascii_alphanumeric() {
                words += usize::from(!in_word);
                in_word = true;
            } else if c != '\'' {
                in_word = false;
            }
        } else if is_cjk_syllable(c) {
            cjk += 1;
            in_word = false;
        } else if c == '\u{2019}' {
            // A typographic apostrophe: as `'`.
        } else if matches!(c as u32, 0x2000..=0x2BFF | 0x3000..=0x303F | 0xFE30..=0xFE4F) {
            // Punctuation and symbols (，。“” — ……): common in CJK text, never a word.
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                words += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    (cjk, words, in_word)
}

/// Whether a run is left out of counting: a link's target shown after its text and a
/// footnote mark are there to be read, not said.
fn unsaid(r: &Run) -> bool {
    r.style.contains(Style::URL) || r.style.contains(Style::NOTE)
}

/// [`count_from`] over `text[range]` (on character boundaries) of a block whose inline
/// runs are `runs`, leaving out what no one says ([`Style::URL`] and [`Style::NOTE`]
/// runs); a left-out run ends a word.
pub fn count_said(
    text: &str,
    runs: &[Run],
    range: Range<usize>,
    in_word: bool,
) -> (usize, usize, bool) {
    let (mut cjk, mut words, mut in_word) = (0, 0, in_word);
    let mut at = range.start;
    let mut count = |piece: Range<usize>, in_word: bool| {
        let (c, w, i) = count_from(text.get(piece).unwrap_or(""), in_word);
        cjk += c;
        words += w;
        i
    };
    for r in runs.iter().filter(|r| unsaid(r)) {
        if r.range.end <= at {
            continue;
        }
        if r.range.start >= range.end {
            break;
        }
        count(at..r.range.start.max(at), in_word);
        in_word = false;
        at = r.range.end.min(range.end);
    }
    if at < range.end {
        in_word = count(at..range.end, in_word);
    }
    (cjk, words, in_word)
}

/// CJK characters and words of a text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub cjk: usize,
    pub words: usize,
}

impl Counts {
    /// Seconds the text takes to say at the estimate's rates.
    pub fn seconds(self) -> f64 {
        self.cjk as f64 / CJK_PER_SECOND + self.words as f64 / WORDS_PER_SECOND
    }

    fn add(&mut self, o: Counts) {
        self.cjk += o.cjk;
        self.words += o.words;
    }
}

/// What one turn says.
fn turn_counts(doc: &Document, t: usize) -> Counts {
    let mut c = Counts::default();
    for b in doc.turn_blocks(t).iter() {
        let (cjk, words, _) = count_said(b.text, b.runs, 0..b.text.len(), false);
        c.add(Counts { cjk, words });
    }
    c
}

/// How long turn `t` is spoken, when the transcript says: start to end, start to the next
/// turn's start, start to the last time its own paragraphs' timed stretches give (the
/// last turn of a transcript timed by turn starts and paragraph stretches), else its
/// paragraphs' timed stretches added up.
pub fn turn_ms(doc: &Document, t: usize) -> Option<u64> {
    let turn = doc.turns.get(t)?;
    let item = turn.item();
    let marks = || (0..doc.turn_blocks(t).len()).flat_map(move |k| doc.block_times(item, k));
    if let Some(s) = turn.start_ms() {
        let end = turn
            .end_ms()
            .or_else(|| doc.turns.get(t + 1)?.start_ms())
            .or_else(|| marks().filter_map(|m| m.end_ms()).max());
        if let Some(e) = end.filter(|&e| e > s) {
            return Some(e - s);
        }
    }
    let stretches: u64 =
        marks().filter_map(|m| Some(m.end_ms()?.saturating_sub(m.start_ms()?))).sum();
    (stretches > 0).then_some(stretches)
}

/// How the shares were measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    /// Every turn's spoken time is the transcript's.
    Time,
    /// No turn has times: every length is estimated.
    Estimate,
    /// Some turns timed, the rest estimated.
    Mixed,
}

impl Basis {
    pub fn name(self) -> &'static str {
        match self {
            Basis::Time => "time",
            Basis::Estimate => "estimate",
            Basis::Mixed => "mixed",
        }
    }
}

/// One speaker's talk.
#[derive(Debug, Clone, PartialEq)]
pub struct SpeakerTalk {
    pub speaker: SpeakerId,
    pub turns: usize,
    /// Seconds spoken: measured where the transcript says, estimated elsewhere.
    pub seconds: f64,
    /// Percent of everyone's seconds (0-100).
    pub share: f64,
    /// The longest turn's seconds, and the turn (an index into `Document::turns`).
    pub longest: f64,
    pub longest_turn: Option<usize>,
    /// The longest turn's length is an estimate.
    pub longest_estimated: bool,
    /// What the speaker said.
    pub counts: Counts,
    /// Seconds of the turns whose time the transcript gives, and what those turns say.
    pub timed_seconds: f64,
    pub timed_counts: Counts,
    /// Turns whose time is estimated.
    pub estimated_turns: usize,
}

/// A speaking pace: how many units a minute.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pace {
    pub per_minute: f64,
    /// CJK characters (the speaker says mostly CJK text) or words.
    pub cjk: bool,
}

impl Pace {
    /// `wpm` or `cpm` (CJK characters a minute).
    pub fn unit(self) -> &'static str {
        if self.cjk { "cpm" } else { "wpm" }
    }
}

impl SpeakerTalk {
    /// Average turn length in seconds.
    pub fn average(&self) -> f64 {
        if self.turns == 0 { 0.0 } else { self.seconds / self.turns as f64 }
    }

    /// Every turn's length is estimated.
    pub fn estimated(&self) -> bool {
        self.estimated_turns > 0 && self.estimated_turns == self.turns
    }

    /// Words (or CJK characters, for a speaker who mostly says CJK text) a minute, over
    /// the turns the transcript times; the other kind of text counts at the estimate's
    /// exchange rate (a word is 1.45 characters). `None` without timed turns.
    pub fn pace(&self) -> Option<Pace> {
        let minutes = self.timed_seconds / 60.0;
        let c = self.timed_counts;
        if minutes <= 0.0 || (c.cjk == 0 && c.words == 0) {
            return None;
        }
        let cjk = c.cjk as f64 / CJK_PER_SECOND > c.words as f64 / WORDS_PER_SECOND;
        let ratio = CJK_PER_SECOND / WORDS_PER_SECOND;
        let units = match cjk {
            true => c.cjk as f64 + c.words as f64 * ratio,
            false => c.words as f64 + c.cjk as f64 / ratio,
        };
        Some(Pace { per_minute: units / minutes, cjk })
    }
}

/// Everyone's talk, in order of first appearance.
#[derive(Debug, Clone, PartialEq)]
pub struct Talk {
    pub speakers: Vec<SpeakerTalk>,
    pub total_seconds: f64,
    pub basis: Basis,
    pub timed_turns: usize,
    pub estimated_turns: usize,
    /// Of the estimated turns, those with a start time but no end (the transcript times
    /// turn starts, and nothing follows the last).
    pub unended_turns: usize,
}

impl Talk {
    /// Who talks how much in `doc`.
    pub fn of(doc: &Document) -> Talk {
        let mut speakers: Vec<SpeakerTalk> = (0..doc.speakers.len())
            .map(|speaker| SpeakerTalk {
                speaker,
                turns: 0,
                seconds: 0.0,
                share: 0.0,
                longest: 0.0,
                longest_turn: None,
                longest_estimated: false,
                counts: Counts::default(),
                timed_seconds: 0.0,
                timed_counts: Counts::default(),
                estimated_turns: 0,
            })
            .collect();
        let (mut timed_turns, mut estimated_turns, mut unended_turns) = (0, 0, 0);
        for (t, turn) in doc.turns.iter().enumerate() {
            let Some(s) = speakers.get_mut(turn.speaker()) else { continue };
            let counts = turn_counts(doc, t);
            let timed = turn_ms(doc, t);
            let secs = match timed {
                Some(ms) => {
                    timed_turns += 1;
                    let secs = ms as f64 / 1000.0;
                    s.timed_seconds += secs;
                    s.timed_counts.add(counts);
                    secs
                }
                None => {
                    estimated_turns += 1;
                    unended_turns += usize::from(turn.start_ms().is_some());
                    s.estimated_turns += 1;
                    counts.seconds()
                }
            };
            s.turns += 1;
            s.seconds += secs;
            s.counts.add(counts);
            if s.longest_turn.is_none() || secs > s.longest {
                s.longest = secs;
                s.longest_turn = Some(t);
                s.longest_estimated = timed.is_none();
            }
        }
        let total_seconds: f64 = speakers.iter().map(|s| s.seconds).sum();
        if total_seconds > 0.0 {
            for s in &mut speakers {
                s.share = s.seconds * 100.0 / total_seconds;
            }
        }
        let basis = match (timed_turns, estimated_turns) {
            (0, _) => Basis::Estimate,
            (_, 0) => Basis::Time,
            _ => Basis::Mixed,
        };
        Talk { speakers, total_seconds, basis, timed_turns, estimated_turns, unended_turns }
    }

    /// The rule the shares follow, in a line: what the panel's footer and `fangtan
    /// speakers` say.
    pub fn rule(&self) -> String {
        match self.basis {
            Basis::Time => "share of spoken time, from the transcript's times".to_string(),
            Basis::Estimate => format!("share of estimated speaking time: {RULE}"),
            Basis::Mixed => {
                let turns = |n: usize, what: &str| {
                    let s = if n == 1 { "" } else { "s" };
                    (n > 0).then(|| format!("{n} turn{s} without {what}"))
                };
                let untimed = turns(self.estimated_turns - self.unended_turns, "times");
                let unended = turns(self.unended_turns, "an end time");
                let which: Vec<String> = untimed.into_iter().chain(unended).collect();
                format!("share of spoken time; {} estimated at {RULE}", which.join(" and "))
            }
        }
    }
}

/// A length of time as `m:ss`, or `h:mm:ss` from an hour.
pub fn duration(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    match s >= 3600 {
        true => format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60),
        false => format!("{}:{:02}", s / 60, s % 60),
    }
}

/// A length as [`duration`] writes it, after `~` when it is estimated: how the panel and
/// `fangtan speakers` show a length.
pub fn length(seconds: f64, estimated: bool) -> String {
    format!("{}{}", if estimated { "~" } else { "" }, duration(seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_tells_characters_from_words() {
        assert_eq!(count_from("我们做的第一件事", false), (8, 0, false));
        assert_eq!(count_from("Everyone else's costs", false), (0, 3, true));
        assert_eq!(count_from("don’t stop, 好吗？", false), (2, 2, false));
        // A text that continues a word counted before does not start another.
        assert_eq!(count_from("ing on", true), (0, 1, true));
    }

    #[test]
    fn link_targets_and_footnote_marks_are_not_said() {
        let parse = |md: &str| {
            let doc = crate::parse::parse(md.to_string(), &crate::parse::ParseOptions::default());
            let talk = Talk::of(&doc);
            talk.speakers.iter().map(|s| (s.counts, s.share.round())).collect::<Vec<_>>()
        };
        let plain = "**Ann:** I read this piece today.\n\n**Bo:** I read that piece today.\n";
        let linked = "[^1]: A note.\n\n\
                      **Ann:** I read [this piece](https://example.com/a/long/path/of/many/words\
                      /that/no/one/says/aloud?and=a&query=too) today[^1].\n\n\
                      **Bo:** I read that piece today.\n";
        let (p, l) = (parse(plain), parse(linked));
        assert_eq!(l[0].0, Counts { cjk: 0, words: 5 }, "{l:?}");
        assert_eq!(l, p);
        // A word is not continued across a left-out run, nor counted in a slice of one.
        let note = Run { range: 2..5, style: Style::NOTE, url: None, quote: None };
        assert_eq!(count_said("ab[1]cd", std::slice::from_ref(&note), 0..7, false), (0, 2, true));
        assert_eq!(count_said("ab[1]cd", std::slice::from_ref(&note), 3..7, true), (0, 1, true));
    }

    #[test]
    fn timed_turns_share_their_spoken_time() {
        let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ann>Hello there friend.\n\n\
                   00:00:04.000 --> 00:00:10.000\n<v Bo>你好，很高兴见到你。\n";
        let doc = crate::parse::parse(vtt.to_string(), &crate::parse::ParseOptions::default());
        let talk = Talk::of(&doc);
        assert_eq!(talk.basis, Basis::Time, "{talk:?}");
        let shares: Vec<f64> = talk.speakers.iter().map(|s| s.share.round()).collect();
        assert_eq!(shares, vec![33.0, 67.0]);
        let ann = &talk.speakers[0];
        assert_eq!((ann.seconds, ann.counts.words), (3.0, 3));
        // Three words in three seconds.
        assert_eq!(ann.pace().map(|p| (p.per_minute.round(), p.cjk)), Some((60.0, false)));
        let bo = &talk.speakers[1];
        assert_eq!(bo.counts.cjk, 8);
        assert_eq!(bo.pace().map(|p| (p.per_minute.round(), p.cjk)), Some((80.0, true)));
    }

    #[test]
    fn a_last_turn_with_only_a_start_is_said_to_lack_an_end_time() {
        let md = "**Ann (00:00:01):** Hello there friend.\n\n**Bo (00:00:04):** 你好。\n";
        let doc = crate::parse::parse(md.to_string(), &crate::parse::ParseOptions::default());
        let talk = Talk::of(&doc);
        assert_eq!((talk.basis, talk.estimated_turns, talk.unended_turns), (Basis::Mixed, 1, 1));
        let rule = talk.rule();
        assert!(rule.contains("1 turn without an end time estimated"), "{rule}");
        assert!(!rule.contains("without times"), "{rule}");
    }

    #[test]
    fn durations_read_as_clocks() {
        assert_eq!(duration(65.4), "1:05");
        assert_eq!(duration(3725.0), "1:02:05");
        assert_eq!(duration(-3.0), "0:00");
        assert_eq!((length(65.4, true), length(65.4, false)), ("~1:05".into(), "1:05".into()));
    }
}

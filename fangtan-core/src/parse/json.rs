//! Stage 2 for JSON transcripts: speech-to-text output and podcast transcript files.
//!
//! One reader serves the shapes in use, told apart by their keys, not by a vendor list:
//! - Podcasting 2.0: `{"version", "segments": [{"speaker", "startTime", "endTime", "body"}]}`
//!   (segments are often single words);
//! - Whisper and WhisperX: `{"segments": [{"start", "end", "text", "speaker"?, "words"?:
//!   [{"word", "start", "end", "speaker"?}]}]}`;
//! - hosted speech-to-text "utterances": `{"utterances": [{"speaker", "start", "end",
//!   "text", "words"?}]}`, also under `"results"`, or a bare array of such objects;
//! - monologues: `{"monologues": [{"speaker", "speaker_name"?, "elements": [{"type":
//!   "text" | "punct", "value", "ts", "end_ts"}]}]}` (the values carry their spaces);
//! - a recognizer's items, one word or mark each: `"items"` / `"audio_segments"` /
//!   a `"results"` list of `{"alternatives": [{"content", "speaker"?}], "start_time",
//!   "end_time", "type": "pronunciation" | "word" | "punctuation"}` (a mark joins the
//!   word before; speakers may come apart as `"speaker_labels": {"segments": [{"start_time",
//!   "end_time", "speaker_label"}]}` time ranges);
//! - whisper.cpp: `{"transcription": [{"timestamps": {"from": "00:00:01,500", "to"}, "text"}]}`;
//! - a video site's caption events: `{"events": [{"tStartMs", "dDurationMs", "segs":
//!   [{"utf8", "tOffsetMs"?}]}]}` (times in ms);
//! - audio channels' words: `"channels": [{"alternatives": [{"words": [{"word",
//!   "punctuated_word", "start", "end", "speaker"}]}]}]`, read only when nothing else is.
//!
//! A segment's text is its `body`, `text` or `transcript`; its times `startTime`/`start`/
//! `start_time` and `endTime`/`end`/`end_time`, numbers or numeric strings. Consecutive
//! segments of one speaker make a turn; a turn's segments are joined as hard-wrapped lines
//! are (a space between Latin words, none between Chinese characters) into paragraphs,
//! which end at a pause of [`PAUSE_MS`] or more, or at a sentence's end once a paragraph
//! holds [`PARAGRAPH_BYTES`]. Every segment keeps its times as a timed stretch of its
//! paragraph, and every word with times its word time. Without any speaker the text is
//! read in paragraphs outside turns, a new one at least every minute (as captions are).
//!
//! Units: times are seconds, unless every time among the first [`DECIDE_AFTER`] segments
//! is a whole number and they average [`MS_PER_WORD`] or more per word of text (seconds
//! would make that 12 seconds a word, milliseconds 12 ms: speech runs at about 0.4 s a
//! word): then they are milliseconds.
//!
//! Parsing streams: segments go to the [`Builder`] as they are read, and nothing but the
//! first [`DECIDE_AFTER`] is held (audio channels' words excepted: they are read, merged
//! by time, at the end, only when the file has no segments). A JSON value of another shape is refused with its
//! top-level keys named ([`Refusal`]).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::Builder;
use super::join::separator;
use crate::doc::{BlockKind, NewBlock, PART_MS, TimeMark};
use crate::source::safe_text;

/// Who says a stretch the source names no one for, in a transcript that names people.
pub const UNKNOWN: &str = "Unknown speaker";

/// A pause this long between segments ends a paragraph.
pub const PAUSE_MS: u64 = 2_000;
/// A paragraph this long ends at the next sentence end.
pub const PARAGRAPH_BYTES: usize = 600;
/// How many segments the unit of times is decided on.
pub const DECIDE_AFTER: usize = 64;
/// Time units per word of text at or above which whole-number times are milliseconds.
pub const MS_PER_WORD: f64 = 12.0;

/// Does this text look like a JSON object or array (what a transcript in JSON is)?
pub fn looks_like_json(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    let mut chars = t.chars();
    match chars.next() {
        Some('{') => matches!(chars.find(|c| !c.is_whitespace()), Some('"' | '}')),
        Some('[') => matches!(chars.find(|c| !c.is_whitespace()), Some('{' | ']')),
        _ => false,
    }
}

/// Why a JSON text is not read as a transcript: one line for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub String);

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Read the JSON in `b`'s text into `b`. `partial`: the text is the first part of a
/// bigger file, so running out of text is no error.
pub fn parse(b: &mut Builder, partial: bool) -> Result<(), Refusal> {
    let text = b.take_text();
    let result = read(b, serde_json::de::StrRead::new(&text), partial);
    b.restore_text(text);
    result
}

/// Read JSON from `read` into `b` (the whole of a file streamed, or a text).
pub fn read<'de, R: serde_json::de::Read<'de>>(
    b: &mut Builder,
    read: R,
    partial: bool,
) -> Result<(), Refusal> {
    let mut de = serde_json::Deserializer::new(read);
    let mut st = State::new();
    let outcome = Top { st: &mut st, b }.deserialize(&mut de).and_then(|()| de.end());
    if !st.found {
        st.read_channels(b);
    }
    if st.chapters && !st.found {
        return Err(Refusal(
            "JSON chapters, not a transcript: give them with --chapters beside the transcript"
                .into(),
        ));
    }
    match outcome {
        Ok(()) => {}
        Err(e) if partial && e.is_eof() => {}
        Err(e) if e.is_syntax() || e.is_eof() => {
            return Err(Refusal(format!("not valid JSON: {e}")));
        }
        Err(e) => return Err(Refusal(format!("JSON, but not a transcript I know: {e}"))),
    }
    if !st.found {
        let keys = match st.keys.is_empty() {
            true => "no keys".to_string(),
            false => format!("top-level keys {}", st.keys.join(", ")),
        };
        return Err(Refusal(format!(
            "JSON, but not a transcript I know: {keys} (expected \"segments\", \"utterances\" or \"monologues\")"
        )));
    }
    st.finish(b);
    Ok(())
}

/// The chapters of a Podcasting 2.0 chapters file (`{"version", "chapters": [{"startTime",
/// "title", "toc"?}]}`), by start; those with `"toc": false` are left out (they are not
/// for a table of contents).
pub fn chapters(text: &str) -> Result<Vec<super::Chapter>, Refusal> {
    #[derive(serde::Deserialize)]
    struct File {
        chapters: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "startTime")]
        start: Time,
        #[serde(default)]
        title: String,
        #[serde(default = "yes")]
        toc: bool,
    }
    fn yes() -> bool {
        true
    }
    let file: File = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| Refusal(format!("not a chapters file: {e}")))?;
    let mut out: Vec<super::Chapter> = file
        .chapters
        .into_iter()
        .filter(|e| e.toc)
        .map(|e| super::Chapter {
            start_ms: (e.start.value * 1000.0).round() as u64,
            title: safe_text(e.title.trim(), false),
        })
        .collect();
    out.sort_by_key(|c| c.start_ms);
    Ok(out)
}

/// A time as the source wrote it: a number (or numeric string) in units not yet known.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Time {
    value: f64,
    /// Written with a fraction (or as `hh:mm:ss`): surely seconds.
    fractional: bool,
}

impl<'de> serde::Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Time;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a time (a number of seconds or milliseconds)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Time, E> {
                Ok(Time { value: v as f64, fractional: false })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Time, E> {
                Ok(Time { value: v.max(0) as f64, fractional: false })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Time, E> {
                let v = if v.is_finite() { v.max(0.0) } else { 0.0 };
                Ok(Time { value: v, fractional: v.fract() != 0.0 })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Time, E> {
                parse_time_text(v).ok_or_else(|| E::custom(format!("not a time: {v:?}")))
            }
        }
        d.deserialize_any(V)
    }
}

/// `"12.5"`, `"12"`, `"00:01:02.500"`, `"1:02"` (the last two surely seconds).
fn parse_time_text(v: &str) -> Option<Time> {
    let v = v.trim();
    if v.contains(':') {
        let mut secs = 0.0;
        for part in v.split(':') {
            let x: f64 = part.replace(',', ".").parse().ok()?;
            secs = secs * 60.0 + x;
        }
        return secs.is_finite().then_some(Time { value: secs.max(0.0), fractional: true });
    }
    // Some recognizers write seconds as `"1.400s"`.
    let v = v.strip_suffix('s').unwrap_or(v);
    let x: f64 = v.parse().ok()?;
    x.is_finite().then_some(Time { value: x.max(0.0), fractional: v.contains('.') })
}

/// A speaker as written: a name, or a number (`0` → `Speaker 0`).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Name(String);

impl<'de> serde::Deserialize<'de> for Name {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Name, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Name;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a speaker name or number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Name, E> {
                Ok(Name(safe_text(v.trim(), false)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Name, E> {
                Ok(Name(format!("Speaker {v}")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Name, E> {
                Ok(Name(format!("Speaker {v}")))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Name, E> {
                Ok(Name(format!("Speaker {v}")))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Name, E> {
                Ok(Name(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Word {
    word: Option<String>,
    text: Option<String>,
    /// Deepgram gives both `word` (lower-cased) and this: what was said, as written.
    punctuated_word: Option<String>,
    #[serde(alias = "startTime", alias = "start_time")]
    start: Option<Time>,
    #[serde(alias = "endTime", alias = "end_time")]
    end: Option<Time>,
    #[serde(alias = "speakerTag", alias = "speaker_label")]
    speaker: Option<Name>,
}

impl Word {
    fn text(&self) -> &str {
        self.punctuated_word
            .as_deref()
            .or(self.word.as_deref())
            .or(self.text.as_deref())
            .unwrap_or("")
    }
}

/// One of a recognizer's alternatives for a stretch: the first is its best guess.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Alternative {
    #[serde(alias = "content")]
    transcript: Option<String>,
    words: Option<Vec<Word>>,
    speaker: Option<Name>,
}

/// A piece of a monologue (`{"type": "text" | "punct", "value", "ts", "end_ts"}`): the
/// values carry their own spaces.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Element {
    #[serde(rename = "type")]
    kind: String,
    value: String,
    ts: Option<Time>,
    end_ts: Option<Time>,
}

/// A stretch of talk in any of the shapes read: a segment, an utterance, a monologue, a
/// recognizer's item (a word or a punctuation mark with its alternatives).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Segment {
    #[serde(alias = "speaker_label", alias = "speakerName", alias = "speakerTag")]
    speaker: Option<Name>,
    /// A monologue's speaker as named (its `speaker` is a number).
    speaker_name: Option<Name>,
    #[serde(alias = "startTime", alias = "start_time")]
    start: Option<Time>,
    #[serde(alias = "endTime", alias = "end_time")]
    end: Option<Time>,
    #[serde(alias = "body", alias = "transcript")]
    text: Option<String>,
    words: Option<Vec<Word>>,
    alternatives: Option<Vec<Alternative>>,
    elements: Option<Vec<Element>>,
    /// `punctuation` / `punct`: a mark that goes with the word before, no space.
    #[serde(rename = "type")]
    kind: Option<String>,
    /// `previous`: attached to the word before.
    attaches_to: Option<String>,
    /// whisper.cpp: `{"from": "00:00:01,500", "to": "00:00:04,000"}`.
    timestamps: Option<FromTo>,
    /// A video site's caption event: start and length in ms, text in pieces.
    #[serde(rename = "tStartMs")]
    t_start_ms: Option<Time>,
    #[serde(rename = "dDurationMs")]
    d_duration_ms: Option<Time>,
    segs: Option<Vec<Seg>>,
}

#[derive(Debug, serde::Deserialize)]
struct FromTo {
    from: Time,
    to: Time,
}

/// A piece of a caption event: its text and where it starts after the event (ms).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Seg {
    utf8: String,
    #[serde(rename = "tOffsetMs")]
    t_offset_ms: Option<Time>,
}

impl Segment {
    /// The shapes folded into one: the first alternative's text, words and speaker; a
    /// monologue's elements as its text and words; times from the words when the
    /// stretch has none of its own.
    fn normalize(&mut self) {
        if let Some(t) = self.timestamps.take() {
            self.start = self.start.or(Some(t.from));
            self.end = self.end.or(Some(t.to));
        }
        if let Some(segs) = self.segs.take() {
            // Milliseconds, whatever their size says: the keys say so.
            let ms = |t: Time| Time { value: t.value / 1000.0, fractional: true };
            let start = self.t_start_ms.take().map(ms);
            let end = start
                .zip(self.d_duration_ms.take().map(ms))
                .map(|(s, d)| Time { value: s.value + d.value, fractional: true });
            let mut text = String::new();
            let mut words = Vec::new();
            for seg in segs {
                if let (Some(s), Some(off)) = (start, seg.t_offset_ms.map(ms)) {
                    let at = Time { value: s.value + off.value, fractional: true };
                    let word = Some(seg.utf8.trim().to_string());
                    words.push(Word { text: word, start: Some(at), ..Word::default() });
                }
                text.push_str(&seg.utf8);
            }
            self.text = self.text.take().or(Some(text));
            self.words = self.words.take().or((!words.is_empty()).then_some(words));
            self.start = self.start.or(start);
            self.end = self.end.or(end);
        }
        if let Some(a) = self.alternatives.take().and_then(|a| a.into_iter().next()) {
            self.text = self.text.take().or(a.transcript);
            self.words = self.words.take().or(a.words);
            self.speaker = self.speaker.take().or(a.speaker);
        }
        if let Some(elements) = self.elements.take() {
            let mut text = String::new();
            let mut words = Vec::new();
            for e in elements {
                if e.kind == "text" {
                    let (start, end) = (e.ts, e.end_ts);
                    words.push(Word { text: Some(e.value.clone()), start, end, ..Word::default() });
                }
                text.push_str(&e.value);
            }
            self.text = self.text.take().or(Some(text));
            self.words = self.words.take().or(Some(words));
        }
        if let Some(n) = self.speaker_name.take()
            && !n.0.is_empty()
        {
            self.speaker = Some(n);
        }
        let words = self.words.iter().flatten();
        if self.start.is_none() {
            self.start = words.clone().find_map(|w| w.start);
        }
        if self.end.is_none() {
            self.end = words.filter_map(|w| w.end).next_back();
        }
    }

    /// A punctuation mark that goes with the text before it, without a space.
    fn glued(&self) -> bool {
        matches!(self.kind.as_deref(), Some("punctuation" | "punct"))
            || self.attaches_to.as_deref() == Some("previous")
    }

    fn times(&self) -> impl Iterator<Item = Time> + '_ {
        let words = self.words.iter().flatten().flat_map(|w| [w.start, w.end]);
        [self.start, self.end].into_iter().chain(words).flatten()
    }

    /// The text: `text`/`body`, else the words joined.
    fn take_text(&mut self) -> String {
        if let Some(t) = self.text.take()
            && !t.trim().is_empty()
        {
            return t;
        }
        let mut out = String::new();
        for w in self.words.iter().flatten() {
            push_joined(&mut out, w.text());
        }
        out
    }

    /// The speaker: its own, else the one most of its words name.
    fn speaker(&self) -> Option<String> {
        if let Some(Name(n)) = &self.speaker
            && !n.is_empty()
        {
            return Some(n.clone());
        }
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for w in self.words.iter().flatten() {
            let Some(Name(n)) = &w.speaker else { continue };
            match counts.iter_mut().find(|(m, _)| m == n) {
                Some((_, c)) => *c += 1,
                None => counts.push((n, 1)),
            }
        }
        let best = counts.iter().max_by_key(|&&(_, c)| c)?;
        (!best.0.is_empty()).then(|| best.0.to_string())
    }
}

/// Append `piece` to `out` (whitespace collapsed) with the separator a line break between
/// them would become.
fn push_joined(out: &mut String, piece: &str) {
    for word in piece.split_whitespace() {
        if let (Some(last), Some(first)) = (out.chars().next_back(), word.chars().next()) {
            out.push_str(separator(last, first));
        }
        out.push_str(word);
    }
}

/// Does this text end a sentence?
fn ends_sentence(text: &str) -> bool {
    let t = text.trim_end_matches(['"', '\'', '”', '’', ')', '）', '」', '』']);
    t.ends_with(['.', '?', '!', '。', '？', '！', '…'])
}

/// Latin words plus half the CJK characters: about how many words were spoken.
fn word_count(text: &str) -> usize {
    let cjk = text.chars().filter(|&c| super::join::is_east_asian(c)).count();
    text.split_whitespace().count() + cjk / 2
}

/// A paragraph being filled.
#[derive(Default)]
struct Para {
    text: String,
    times: Vec<TimeMark>,
    words: Vec<TimeMark>,
    start_ms: Option<u64>,
    end_ms: Option<u64>,
}

struct State {
    /// Segments held until the unit of times is decided.
    held: Vec<Segment>,
    /// Milliseconds per unit, once decided.
    scale: Option<f64>,
    speaker: Option<String>,
    para: Para,
    /// The source had a transcript's list.
    found: bool,
    /// The source is a chapters file.
    chapters: bool,
    /// Top-level keys, for a refusal.
    keys: Vec<String>,
    /// Who speaks when, where a recognizer says so apart from its words.
    spans: SpeakerSpans,
    /// Audio channels, read if nothing else in the source is.
    channels: Vec<Channel>,
}

/// Speaker turns given as time ranges beside the words (`"speaker_labels": {"segments":
/// [{"start_time", "end_time", "speaker_label"}]}`), in the source's units: a word without
/// a speaker of its own takes the one whose range holds its start.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct SpeakerSpans {
    segments: Vec<Span>,
}

#[derive(Debug, serde::Deserialize)]
struct Span {
    #[serde(alias = "startTime")]
    start_time: Time,
    #[serde(alias = "endTime")]
    end_time: Time,
    #[serde(alias = "speaker")]
    speaker_label: Name,
}

impl SpeakerSpans {
    fn speaker_at(&self, at: Option<Time>) -> Option<String> {
        let at = at?.value;
        let k = self.segments.partition_point(|s| s.end_time.value < at);
        let s = self.segments.get(k).filter(|s| s.start_time.value <= at)?;
        (!s.speaker_label.0.is_empty()).then(|| s.speaker_label.0.clone())
    }
}

impl State {
    fn new() -> State {
        State {
            held: Vec::new(),
            scale: None,
            speaker: None,
            para: Para::default(),
            found: false,
            chapters: false,
            keys: Vec::new(),
            spans: SpeakerSpans::default(),
            channels: Vec::new(),
        }
    }

    fn segment(&mut self, b: &mut Builder, seg: Segment) {
        let said = seg.text.as_deref().is_some_and(|t| !t.trim().is_empty())
            || seg.words.as_ref().is_some_and(|w| !w.is_empty());
        if !said {
            return;
        }
        self.found = true;
        match self.scale {
            Some(scale) => self.add(b, seg, scale),
            None => {
                self.held.push(seg);
                if self.held.len() >= DECIDE_AFTER {
                    self.decide(b);
                }
            }
        }
    }

    /// Decide the unit of times on the segments held, and read them.
    fn decide(&mut self, b: &mut Builder) {
        let held = std::mem::take(&mut self.held);
        let times = || held.iter().flat_map(Segment::times);
        let fractional = times().any(|t| t.fractional);
        let span = times().map(|t| t.value).fold(0.0, f64::max)
            - times().map(|t| t.value).fold(f64::INFINITY, f64::min).min(f64::MAX);
        let words: usize = held
            .iter()
            .map(|s| match &s.text {
                Some(t) => word_count(t),
                None => s.words.as_ref().map_or(0, Vec::len),
            })
            .sum();
        let ms = !fractional && words > 0 && span / words as f64 >= MS_PER_WORD;
        let scale = if ms { 1.0 } else { 1000.0 };
        self.scale = Some(scale);
        for seg in held {
            self.add(b, seg, scale);
        }
    }

    fn add(&mut self, b: &mut Builder, mut seg: Segment, scale: f64) {
        let ms = |t: Option<Time>| t.map(|t| (t.value * scale).round() as u64);
        let (start, end) = (ms(seg.start), ms(seg.end));
        let speaker = seg.speaker().or_else(|| self.spans.speaker_at(seg.start));
        let raw = seg.take_text();
        // Line breaks inside the text are kept as whitespace, which joining collapses.
        let text = safe_text(&raw, true);
        if text.trim().is_empty() {
            return;
        }
        if seg.glued() && !self.para.text.is_empty() {
            self.para.text.push_str(text.trim());
            return;
        }
        // Once people are named, a stretch nobody is named for is no one's turn to take:
        // it is said by an unknown speaker, not by whoever spoke before.
        let speaker = match (speaker, &self.speaker) {
            (None, Some(_)) => Some(UNKNOWN.to_string()),
            (s, _) => s,
        };
        if let Some(name) = speaker
            && self.speaker.as_deref() != Some(name.as_str())
        {
            self.flush(b);
            b.start_turn(&name, start, 0..0);
            self.speaker = Some(name);
        }
        if self.breaks_before(start) {
            self.flush(b);
        }
        let p = &mut self.para;
        let before = p.text.len();
        push_joined(&mut p.text, &text);
        // Where this segment's text begins: after the separator, if one was written.
        let at = match p.text.len() > before {
            true => before + usize::from(p.text.as_bytes().get(before) == Some(&b' ')),
            false => before,
        };
        if start.is_some() || end.is_some() {
            p.times.push(TimeMark::new(at, start, end));
        }
        // Word times: each word found in the segment's text, in order.
        let mut from = at;
        for w in seg.words.iter().flatten() {
            let word = w.text().trim();
            let Some(first) = word.split_whitespace().next() else { continue };
            let Some(found) = p.text.get(from..).and_then(|rest| rest.find(first)) else {
                continue;
            };
            let (ws, we) = (ms(w.start), ms(w.end));
            if ws.is_some() || we.is_some() {
                p.words.push(TimeMark::new(from + found, ws, we));
            }
            from += found + first.len();
        }
        p.start_ms = p.start_ms.or(start);
        p.end_ms = end.or(p.end_ms);
    }

    /// Does a segment starting at `start` begin a new paragraph?
    fn breaks_before(&self, start: Option<u64>) -> bool {
        let p = &self.para;
        if p.text.is_empty() {
            return false;
        }
        let paused = p.end_ms.zip(start).is_some_and(|(e, s)| s.saturating_sub(e) >= PAUSE_MS);
        let long = p.text.len() >= PARAGRAPH_BYTES && ends_sentence(&p.text);
        let minute = self.speaker.is_none()
            && p.start_ms.zip(start).is_some_and(|(f, s)| s >= f.saturating_add(PART_MS));
        paused || long || minute
    }

    fn flush(&mut self, b: &mut Builder) {
        let p = std::mem::take(&mut self.para);
        if p.text.is_empty() {
            return;
        }
        let block = NewBlock::new(BlockKind::Paragraph, p.text, 0..0);
        b.timed_block(block, &p.times, &p.words);
    }

    fn finish(&mut self, b: &mut Builder) {
        if self.scale.is_none() {
            self.decide(b);
        }
        self.flush(b);
        b.end_turn();
    }
}

/// The top-level value: an object with a transcript's list, or a bare list of segments.
struct Top<'a> {
    st: &'a mut State,
    b: &'a mut Builder,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object or array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        Segments { st: self.st, b: self.b }.visit_seq(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if self.st.keys.len() < 12 {
                self.st.keys.push(safe_text(&key, false));
            }
            match key.as_str() {
                // Segments, utterances, monologues, a recognizer's items (words and marks),
                // its audio segments.
                "segments" | "utterances" | "monologues" | "items" | "audio_segments"
                | "transcription" | "events"
                    if !self.st.found =>
                {
                    map.next_value_seed(Segments { st: self.st, b: self.b })?;
                }
                // Words per audio channel, each word with its speaker.
                "channels" if !self.st.found => {
                    map.next_value_seed(Channels { st: self.st })?;
                }
                "speaker_labels" if !self.st.found => {
                    self.st.spans = map.next_value()?;
                    self.st
                        .spans
                        .segments
                        .sort_by(|a, b| a.start_time.value.total_cmp(&b.start_time.value));
                }
                // Hosted services nest their utterances in `results`.
                "results" if !self.st.found => {
                    map.next_value_seed(Top { st: self.st, b: self.b })?;
                }
                // A chapters file's list (a transcript's own `"chapters": null` is not).
                "chapters" => {
                    let list = map.next_value::<Option<Vec<IgnoredAny>>>().unwrap_or_default();
                    self.st.chapters |= list.is_some_and(|l| !l.is_empty());
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }

    // Other values are no transcript: the keys left empty say so.
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Audio channels (`[{"alternatives": [{"transcript", "words": [{"word",
/// "punctuated_word", "start", "end", "speaker"?}]}]}]`): each word of a channel's best
/// alternative read as a segment of its own; words without a speaker are the channel's
/// when there are several channels.
struct Channels<'a> {
    st: &'a mut State,
}

#[derive(serde::Deserialize)]
struct Channel {
    #[serde(default)]
    alternatives: Vec<Alternative>,
}

impl<'de> DeserializeSeed<'de> for Channels<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Channels<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of channels")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        // Held: utterances after them, when there are, say the same by speaker.
        while let Some(c) = seq.next_element::<Channel>()? {
            self.st.channels.push(c);
        }
        Ok(())
    }
}

impl State {
    /// The channels' words, when the source had nothing better.
    /// Several channels (one speaker each, or diarized within each) are merged by time:
    /// their words interleave as they were said, and a speaker is named with its channel.
    fn read_channels(&mut self, b: &mut Builder) {
        let channels = std::mem::take(&mut self.channels);
        let several = channels.len() > 1;
        let mut said: Vec<(f64, Segment)> = Vec::new();
        for (k, c) in channels.into_iter().enumerate() {
            let Some(best) = c.alternatives.into_iter().next() else { continue };
            let words = best.words.unwrap_or_default();
            if words.is_empty() {
                let seg = Segment { text: best.transcript, ..Segment::default() };
                said.push((f64::INFINITY, seg));
                continue;
            }
            for w in words {
                let speaker = match (&w.speaker, several) {
                    (Some(Name(n)), true) => Some(Name(format!("Channel {k} {n}"))),
                    (Some(n), false) => Some(n.clone()),
                    (None, true) => Some(Name(format!("Channel {k}"))),
                    (None, false) => None,
                };
                let text = Some(w.text().to_string());
                let at = w.start.map_or(f64::INFINITY, |t| t.value);
                let seg =
                    Segment { speaker, start: w.start, end: w.end, text, ..Segment::default() };
                said.push((at, seg));
            }
        }
        // Stable: words of one channel keep their order.
        said.sort_by(|a, b| a.0.total_cmp(&b.0));
        for (_, seg) in said {
            self.segment(b, seg);
        }
    }
}

/// A list of segments, each read into the builder as it comes.
struct Segments<'a> {
    st: &'a mut State,
    b: &'a mut Builder,
}

impl<'de> DeserializeSeed<'de> for Segments<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Segments<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of segments")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(mut seg) = seq.next_element::<Segment>()? {
            seg.normalize();
            self.st.segment(self.b, seg);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_told_by_its_first_characters() {
        assert!(looks_like_json("{\"segments\": []}"));
        assert!(looks_like_json("\u{feff}  [\n {\"text\": \"hi\"}]"));
        assert!(looks_like_json("{}"));
        assert!(!looks_like_json("{ 这不是 JSON }"));
        assert!(!looks_like_json("[链接](x)"));
        assert!(!looks_like_json("# {\"a\": 1}"));
    }

    #[test]
    fn times_in_text_are_read() {
        assert_eq!(parse_time_text("00:01:02.500").map(|t| t.value), Some(62.5));
        assert_eq!(parse_time_text("12").map(|t| t.fractional), Some(false));
        assert_eq!(parse_time_text("1,5"), None);
    }

    #[test]
    fn sentences_end_at_their_marks() {
        assert!(ends_sentence("He left."));
        assert!(ends_sentence("他走了。”"));
        assert!(!ends_sentence("and then"));
    }
}

//! Text made from bookmarks: citations, Markdown and JSON export, the `resumed at …` line. Pure.
//!
//! Invariant: what is printed is as safe as the screen. Notes, passages, titles and paths
//! may hold control and bidi characters (a store file is data, and a file name is
//! anyone's); text output shows them as the reader does ([`crate::source::safe_text`]),
//! and JSON escapes them (`\u202e`), so the text is kept but none reaches a terminal raw.

use super::anchor::Anchor;
use super::marks::{Bookmark, context};
use crate::doc::Document;
use crate::source::{safe_char, safe_text};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Serialized JSON with every character the reader would not show raw written as a
/// `\uXXXX` escape. serde_json escapes C0 controls itself; DEL, C1 and bidi controls it
/// leaves raw, and only inside strings (the JSON around them is ASCII), where an escape
/// means the same character.
fn escape_controls(json: String) -> String {
    if json.chars().all(|c| safe_char(c) == c) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if safe_char(c) == c {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        }
    }
    out
}

fn quote_lines(passage: &str) -> String {
    let mut out = String::new();
    for line in safe_text(passage, true).lines() {
        out.push('>');
        if !line.is_empty() {
            out.push(' ');
            out.push_str(line);
        }
        out.push('\n');
    }
    if out.is_empty() {
        out.push_str(">\n");
    }
    out
}

fn attribution(parts: &[Option<&str>]) -> Option<String> {
    let parts: Vec<String> = parts
        .iter()
        .flatten()
        .map(|p| safe_text(p.trim(), false))
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| format!("— {}", parts.join(", ")))
}

/// Where a cited passage is in the recording: when it starts there (ms), and the
/// recording's address when it is on the web.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heard<'a> {
    pub at_ms: u64,
    pub url: Option<&'a str>,
}

/// `— speaker, section [00:12:34]`: the attribution with the time, when there is one.
fn attribution_at(parts: &[Option<&str>], at_ms: Option<u64>) -> Option<String> {
    let time = at_ms.map(|t| format!("[{}]", crate::timeline::clock(t)));
    match (attribution(parts), time) {
        (Some(a), Some(t)) => Some(format!("{a} {t}")),
        (None, Some(t)) => Some(format!("— {t}")),
        (a, None) => a,
    }
}

/// A citation: the passage as a block quote, then `— speaker, section, title` (missing
/// parts left out) with the passage's time in the recording (`[00:12:34]`) when `heard`
/// says it, and below that a link to that moment (`URL#t=754`, a media fragment) when the
/// recording is on the web.
pub fn citation(
    passage: &str,
    speaker: Option<&str>,
    section: Option<&str>,
    title: Option<&str>,
    heard: Option<Heard<'_>>,
) -> String {
    let mut out = quote_lines(passage);
    if let Some(a) = attribution_at(&[speaker, section, title], heard.map(|h| h.at_ms)) {
        out.push('\n');
        out.push_str(&a);
        out.push('\n');
    }
    if let Some(Heard { at_ms, url: Some(url) }) = heard {
        let url = safe_text(url, false);
        let base = url.split('#').next().unwrap_or(&url);
        out.push_str(&format!("{base}#t={}\n", at_ms / 1000));
    }
    out
}

/// The citation of the paragraph at `at`, or `None` when `at` is not in `doc`.
pub fn citation_at(
    doc: &Document,
    at: &Anchor,
    title: Option<&str>,
    heard: Option<Heard<'_>>,
) -> Option<String> {
    let text = at.text(doc)?;
    let (speaker, section) = context(doc, at);
    Some(citation(text, speaker.as_deref(), section.as_deref(), title, heard))
}

/// A time (ms since the epoch) as `YYYY-MM-DD HH:MM ZONE` in time zone `tz`, the zone
/// named by its abbreviation (`UTC`, `CST`) or, where it has none, its offset (`+08`).
/// A time out of range shows as the epoch's.
pub fn format_time(ms: i64, tz: &TimeZone) -> String {
    let at = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
    at.to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M %Z").to_string()
}

/// A time (ms since the epoch) for a file name: `YYYYMMDD-HHMMSS` (UTC).
pub fn file_stamp(ms: i64) -> String {
    let at = Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH);
    at.strftime("%Y%m%d-%H%M%S").to_string()
}

/// Bookmarks as Markdown, ready to paste into notes: a heading, then per bookmark the
/// passage as a block quote, the speaker and section with the time the passage is heard
/// in the recording (`times`, one per bookmark, e.g. from [`bookmark_times`]; missing ones
/// leave it out), and the note. Orphaned bookmarks are included and marked.
pub fn export_markdown(
    title: &str,
    path: &str,
    marks: &[Bookmark],
    times: &[Option<u64>],
) -> String {
    let mut out = format!("# {}\n\n", safe_text(title, false));
    if !path.is_empty() {
        out.push_str(&format!("`{}`\n\n", safe_text(path, false).replace('`', "'")));
    }
    if marks.is_empty() {
        out.push_str("No bookmarks.\n");
        return out;
    }
    for (i, b) in marks.iter().enumerate() {
        if i > 0 {
            out.push_str("\n---\n\n");
        }
        if b.orphaned {
            out.push_str("*Not found in the current text; the passage as it was saved:*\n\n");
        }
        out.push_str(&quote_lines(&b.passage));
        let at = times.get(i).copied().flatten();
        if let Some(a) = attribution_at(&[b.speaker.as_deref(), b.section.as_deref()], at) {
            out.push('\n');
            out.push_str(&a);
            out.push('\n');
        }
        let note = safe_text(b.note.trim(), false);
        if !note.is_empty() {
            out.push_str(&format!("\n**Note:** {note}\n"));
        }
    }
    out
}

#[derive(serde::Serialize)]
struct JsonExport<'a> {
    title: &'a str,
    path: &'a str,
    bookmarks: Vec<JsonMark<'a>>,
}

#[derive(serde::Serialize)]
struct JsonMark<'a> {
    passage: &'a str,
    speaker: Option<&'a str>,
    section: Option<&'a str>,
    note: &'a str,
    created: i64,
    updated: i64,
    orphaned: bool,
    item: usize,
    block: usize,
    turn: Option<usize>,
    /// When the passage is heard in the recording: ms, and `HH:MM:SS`.
    start_ms: Option<u64>,
    time: Option<String>,
}

/// Bookmarks as JSON: `{ "title", "path", "bookmarks": [{ "passage", "speaker", "section",
/// "note", "created", "updated", "orphaned", "item", "block", "turn", "start_ms", "time"
/// }] }` (`start_ms` and `time`, when the passage is heard in the recording, from `times`;
/// else null). The strings are kept whole; control and bidi characters in them are
/// `\uXXXX` escapes.
pub fn export_json(title: &str, path: &str, marks: &[Bookmark], times: &[Option<u64>]) -> String {
    let e = JsonExport {
        title,
        path,
        bookmarks: marks
            .iter()
            .zip(times.iter().copied().chain(std::iter::repeat(None)))
            .map(|(b, at)| JsonMark {
                passage: &b.passage,
                speaker: b.speaker.as_deref(),
                section: b.section.as_deref(),
                note: &b.note,
                created: b.created,
                updated: b.updated,
                orphaned: b.orphaned,
                item: b.anchor.item,
                block: b.anchor.block,
                turn: b.anchor.turn,
                start_ms: at,
                time: at.map(crate::timeline::clock),
            })
            .collect(),
    };
    // Serializing plain strings and numbers cannot fail.
    escape_controls(serde_json::to_string_pretty(&e).unwrap_or_default())
}

/// When each bookmark's passage is heard in the recording: the transcript's time of the
/// passage (the timed stretch holding the bookmark's place) moved by `offset_ms`; `None`
/// for an orphaned bookmark or an untimed passage.
pub fn bookmark_times(doc: &Document, marks: &[Bookmark], offset_ms: i64) -> Vec<Option<u64>> {
    let timeline = crate::timeline::Timeline::new(doc);
    marks
        .iter()
        .map(|b| {
            let a = &b.anchor;
            let t = timeline.start_at(doc, a.item, a.block, a.offset).filter(|_| !b.orphaned)?;
            u64::try_from(i64::try_from(t).ok()?.saturating_add(offset_ms)).ok()
        })
        .collect()
}

/// The line the reader shows after restoring the position: `resumed at 李明, 第二部分 (40%)`.
pub fn resume_text(doc: &Document, at: &Anchor, pct: u32) -> String {
    let (speaker, section) = context(doc, at);
    match attribution(&[speaker.as_deref(), section.as_deref()]) {
        Some(a) => format!("resumed at {} ({pct}%)", a.trim_start_matches("— ")),
        None => format!("resumed at paragraph {} ({pct}%)", at.item + 1),
    }
}

/// The `fangtan bookmarks --all` listing: one line per document, most recent first, e.g.
/// `3 bookmarks (1 orphaned), last read 2025-11-28 22:46 UTC  /home/me/访谈.md`.
pub fn summaries_text(list: &[super::DocSummary], tz: &TimeZone) -> String {
    let mut out = String::new();
    for s in list {
        let plural = if s.bookmarks == 1 { "" } else { "s" };
        out.push_str(&format!("{} bookmark{plural}", s.bookmarks));
        if s.orphaned > 0 {
            out.push_str(&format!(" ({} orphaned)", s.orphaned));
        }
        match s.last_read {
            Some(t) => out.push_str(&format!(", last read {}", format_time(t, tz))),
            None => out.push_str(", never read to a position"),
        }
        out.push_str("  ");
        out.push_str(&safe_text(&s.path, false));
        out.push('\n');
    }
    out
}

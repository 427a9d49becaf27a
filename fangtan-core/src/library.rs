//! Beside the pipeline, feeding `fangtan library`, `fangtan search`, `fangtan index` and the
//! library screen: many documents at once. A [`Summary`] is one document's row (title,
//! date, speakers, length), taken from its tree. A [`Matcher`] (a query, a speaker filter)
//! builds every [`Hit`], matching the display text of paragraphs with the reader's own
//! [`crate::search::Needle`] (case folding, CJK without word boundaries, typesetting
//! spaces ignored), so a search across documents finds exactly what the reader's `/` finds
//! in each: over paragraphs read back from the index ([`crate::index`]), or over documents
//! read anew by [`Scan`] (a [`Corpus`], on [`Scan::threads`] threads), which is what stands
//! in for documents not indexed.
//!
//! Invariant: hits reach the sink grouped by document, documents in the order given,
//! matches in reading order inside each, whatever thread found them; the sink can stop the
//! search. No terminal, no clock: walking folders and file times are the caller's.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use crate::doc::{Document, Item};
use crate::load;
use crate::parse::ParseOptions;
use crate::search::{Needle, Scratch};
use crate::talk::{Basis, Talk};

/// How many speakers a [`Summary`] names.
pub const FIRST_SPEAKERS: usize = 3;

/// Results a thread of [`in_order`] may have done ahead of what its sink has taken.
pub const AHEAD: usize = 32;

/// Characters of context a [`Hit`]'s line keeps on each side of the match.
const CONTEXT_CHARS: usize = 40;

/// One document's row in a library.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    /// The document's title, else its file name.
    pub title: String,
    /// The `date` of its front matter or metadata, as written there; `None` when it has
    /// none (the caller falls back to the file's time). Not serialized: a row's `date`,
    /// with that fallback, is the caller's.
    #[serde(skip)]
    pub date: Option<String>,
    /// The first [`FIRST_SPEAKERS`] speakers, by first appearance, as displayed.
    pub speakers: Vec<String>,
    /// How many speakers in all.
    pub speaker_count: usize,
    /// Its length in seconds: spoken time when every turn is timed; for captions or
    /// speech-to-text without speakers, the span of their times; else an estimate at
    /// speaking rates (reading time, near enough).
    pub seconds: f64,
    /// The length is an estimate, not the transcript's times.
    pub estimated: bool,
    pub turns: usize,
    /// The format it was read as (`markdown`, `webvtt`, …).
    pub format: Option<&'static str>,
}

impl Summary {
    /// The row of `doc`, read from `path`.
    pub fn of(doc: &Document, path: &Path) -> Summary {
        let title = doc
            .title
            .as_ref()
            .map(|t| t.text.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| {
                path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
            });
        let date = doc
            .meta
            .iter()
            .find(|m| m.key.eq_ignore_ascii_case("date"))
            .map(|m| m.value.trim().to_string())
            .filter(|d| !d.is_empty());
        let talk = Talk::of(doc);
        // Captions or speech-to-text without speakers: no turn to time, but the
        // recording's span is known.
        let span = doc.block_time_span_ms().filter(|_| talk.basis != Basis::Time);
        let (seconds, estimated) = match span {
            Some((a, b)) if b > a => ((b - a) as f64 / 1000.0, false),
            _ => (talk.total_seconds, talk.basis != Basis::Time),
        };
        let speakers =
            doc.speakers.iter().take(FIRST_SPEAKERS).map(|s| s.display().to_string()).collect();
        Summary {
            title,
            date,
            speakers,
            speaker_count: doc.speakers.len(),
            seconds,
            estimated,
            turns: doc.turns.len(),
            format: doc.format.map(|f| f.name()),
        }
    }
}

/// A parsed document that is a transcript: someone speaks, or something is timed. What a
/// library lists and a [`Scan`] searches; other text (a README, notes) is left out.
pub fn is_transcript(doc: &Document) -> bool {
    !doc.turns.is_empty() || doc.has_block_times()
}

/// Why [`Scan`] skipped a document that read well.
pub const NOT_A_TRANSCRIPT: &str = "not a transcript";

/// One match in a document of a corpus.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    /// Index of the document in the corpus.
    pub doc: usize,
    /// Who says it (display name); `None` outside turns.
    pub speaker: Option<String>,
    /// Title of the innermost section holding it.
    pub section: Option<String>,
    /// When it is said: its paragraph's own time, else its turn's start.
    pub start_ms: Option<u64>,
    /// Where: body item, block in it, byte range in the block's text (as the reader's
    /// [`crate::search::Match`]).
    pub item: usize,
    pub block: usize,
    pub range: Range<usize>,
    /// The match with up to [`CONTEXT_CHARS`] characters either side, on one line.
    pub line: String,
    /// Byte range of the match in `line`.
    pub line_range: Range<usize>,
}

/// Why a search could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("{0}")]
    Query(String),
}

/// A document that could not be read during a search: its index and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub doc: usize,
    pub why: String,
}

/// What the sink is told, in order for each document.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Hit(Hit),
    /// Document `doc` was read and searched: all its hits came before this.
    Done {
        doc: usize,
        hits: usize,
    },
    Skipped(Skipped),
}

/// Many documents, searched as one.
pub trait Corpus {
    /// Every match of `query` (the reader's `/` syntax: literal, or `\v` regex), in turns
    /// of a speaker whose name holds `speaker` (case folded, aliases resolved) when one is
    /// given. `sink` gets each [`Found`] as it is known, grouped by document in corpus
    /// order, and returns `false` to stop. An empty query finds nothing.
    fn search(
        &self,
        query: &str,
        speaker: Option<&str>,
        sink: &mut dyn FnMut(Found) -> bool,
    ) -> Result<(), SearchError>;
}

/// A query typed in the library's `/` split into its speaker filter and its text:
/// `@Satya search` is `search` said by Satya, `@"Satya Nadella" search` names a speaker
/// with a space; no `@` first, no filter. What is left is trimmed at its start only (a
/// query may end in a space).
pub fn speaker_query(typed: &str) -> (Option<&str>, &str) {
    let Some(rest) = typed.strip_prefix('@') else { return (None, typed) };
    let (name, rest) = match rest.strip_prefix('"') {
        Some(quoted) => quoted.split_once('"').unwrap_or((quoted, "")),
        None => rest.split_once(' ').unwrap_or((rest, "")),
    };
    let name = name.trim();
    ((!name.is_empty()).then_some(name), rest.trim_start())
}

/// A corpus searched by reading every document anew: no index, nothing cached. Paths that
/// do not read, or are no [transcript](is_transcript), are [`Found::Skipped`].
pub struct Scan {
    pub paths: Vec<PathBuf>,
    pub opts: ParseOptions,
    /// Worker threads (at least one).
    pub threads: usize,
}

impl Scan {
    pub fn new(paths: Vec<PathBuf>, opts: ParseOptions) -> Scan {
        Scan { paths, opts, threads: 2 }
    }
}

/// The speaker filter: a needle over speaker names, the name given resolved through the
/// aliases first.
struct SpeakerFilter(Needle);

impl SpeakerFilter {
    fn new(name: &str, opts: &ParseOptions) -> Option<SpeakerFilter> {
        let name = name.trim();
        let canonical = opts
            .aliases
            .iter()
            .find(|(variant, _)| variant.to_lowercase() == name.to_lowercase())
            .map_or(name, |(_, c)| c.as_str());
        Needle::new(canonical).map(SpeakerFilter)
    }

    /// A speaker known by `name` and `display` name passes.
    fn admits(&self, who: Who<'_>, scratch: &mut Scratch) -> bool {
        let mut any = false;
        for name in [who.name, who.display] {
            self.0.find(name, scratch, |_| any = true);
        }
        any
    }
}

/// The match in `text` at `range` with some context, on one line; the match's range in it.
fn context(text: &str, range: &Range<usize>) -> (String, Range<usize>) {
    let start =
        text[..range.start].char_indices().rev().nth(CONTEXT_CHARS - 1).map_or(0, |(i, _)| i);
    let end = text[range.end..]
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(text.len(), |(i, _)| range.end + i);
    let one_line = |s: &str| s.replace(['\n', '\r', '\t'], " ");
    let before = one_line(&text[start..range.start]);
    let matched = one_line(&text[range.clone()]);
    let after = one_line(&text[range.end..end]);
    let at = before.len()..before.len() + matched.len();
    (format!("{before}{matched}{after}"), at)
}

/// A speaker as a search knows them: the name written and the name shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Who<'a> {
    pub name: &'a str,
    pub display: &'a str,
}

/// One paragraph as a search across documents sees it: everything a [`Hit`] in it is
/// made of. What [`paragraphs`] takes from a document and the index ([`crate::index`])
/// stores, so both find the same hits through [`Matcher::hits`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paragraph<'a> {
    pub item: usize,
    pub block: usize,
    /// Who says it; `None` outside turns.
    pub speaker: Option<Who<'a>>,
    /// Title of the innermost section of its turn.
    pub section: Option<&'a str>,
    /// Its own time, else its turn's start.
    pub start_ms: Option<u64>,
    /// Its display text, as the reader searches it.
    pub text: &'a str,
}

/// Every paragraph of `doc` that the reader's search looks into (headings are not), in
/// reading order.
pub fn paragraphs(doc: &Document) -> impl Iterator<Item = Paragraph<'_>> {
    doc.items.iter().enumerate().flat_map(move |(item, it)| {
        let turn = match *it {
            Item::Heading(_) => None,
            Item::Block(_) => Some(None),
            Item::Turn(t) => Some(doc.turns.get(t as usize)),
        };
        let blocks =
            if turn.is_some() { doc.item_blocks(item).iter().collect() } else { Vec::new() };
        let turn = turn.flatten();
        blocks.into_iter().enumerate().map(move |(block, b)| Paragraph {
            item,
            block,
            speaker: turn
                .and_then(|t| doc.speakers.get(t.speaker()))
                .map(|s| Who { name: s.name.as_str(), display: s.display() }),
            section: turn.and_then(|t| doc.section_title(t.section())),
            start_ms: doc.block_start_ms(item, block).or_else(|| turn.and_then(|t| t.start_ms())),
            text: b.text,
        })
    })
}

/// A query and its speaker filter, ready to match paragraphs.
pub struct Matcher {
    needle: Needle,
    filter: Option<SpeakerFilter>,
}

impl Matcher {
    /// `Ok(None)` when nothing can match: an empty query, or a speaker filter with no
    /// name.
    pub fn new(
        query: &str,
        speaker: Option<&str>,
        opts: &ParseOptions,
    ) -> Result<Option<Matcher>, SearchError> {
        let Some(needle) = Needle::parse(query).map_err(SearchError::Query)? else {
            return Ok(None);
        };
        let filter = match speaker.map(|s| SpeakerFilter::new(s, opts)) {
            Some(None) => return Ok(None),
            Some(Some(f)) => Some(f),
            None => None,
        };
        Ok(Some(Matcher { needle, filter }))
    }

    /// The literal text every match holds, normalized ([`crate::search::normalize`]);
    /// `None` for a regex.
    pub fn literal(&self) -> Option<&str> {
        self.needle.literal()
    }

    /// The hits in paragraph `p` of document `doc`, onto `out`, in reading order.
    pub fn hits(&self, p: &Paragraph<'_>, doc: usize, scratch: &mut Scratch, out: &mut Vec<Hit>) {
        if let Some(filter) = &self.filter {
            match p.speaker {
                Some(who) if filter.admits(who, scratch) => {}
                _ => return,
            }
        }
        let mut ranges = Vec::new();
        self.needle.find(p.text, scratch, |r| ranges.push(r));
        for range in ranges {
            let (line, line_range) = context(p.text, &range);
            out.push(Hit {
                doc,
                speaker: p.speaker.map(|w| w.display.to_string()),
                section: p.section.map(str::to_string),
                start_ms: p.start_ms,
                item: p.item,
                block: p.block,
                range,
                line,
                line_range,
            });
        }
    }

    /// Every hit in `doc` (document `index` of the corpus), in reading order.
    pub fn doc_hits(&self, doc: &Document, index: usize) -> Vec<Hit> {
        let mut out = Vec::new();
        let mut scratch = Scratch::default();
        for p in paragraphs(doc) {
            self.hits(&p, index, &mut scratch, &mut out);
        }
        out
    }
}

/// `work(0)` … `work(count - 1)` on `threads` threads (at least one), each result handed
/// to `sink` on the calling thread in index order as soon as it and all before it are
/// done. `sink` returns `false` to stop: no more work starts, and no more is handed on.
/// At most [`AHEAD`] results a thread wait for a slow one or a slow sink, so memory is
/// bounded however much each result holds and however slowly the sink takes them (a
/// pipe nobody reads, a screen showing a document): the workers wait with it.
/// What `fangtan library` reads its rows with and [`Scan`] searches with.
pub fn in_order<T: Send>(
    count: usize,
    threads: usize,
    work: impl Fn(usize) -> T + Sync,
    mut sink: impl FnMut(usize, T) -> bool,
) {
    let threads = threads.max(1);
    let window = AHEAD * threads;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // How many results the sink has taken, and a wake-up for workers waiting on it.
    let taken = (std::sync::Mutex::new(0usize), std::sync::Condvar::new());
    let (tx, rx) = mpsc::sync_channel::<(usize, T)>(window);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let (next, stop, work, taken) = (&next, &stop, &work, &taken);
            scope.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= count {
                        break;
                    }
                    // Not too far ahead of what the sink has taken.
                    let (lock, wake) = taken;
                    let mut done = lock.lock().unwrap_or_else(|e| e.into_inner());
                    while i >= *done + window && !stop.load(Ordering::Relaxed) {
                        done = wake.wait(done).unwrap_or_else(|e| e.into_inner());
                    }
                    drop(done);
                    if stop.load(Ordering::Relaxed) || tx.send((i, work(i))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Results come out of order; they are handed on in order.
        let mut pending: BTreeMap<usize, T> = BTreeMap::new();
        let mut want = 0;
        let tell = |want: usize| {
            let (lock, wake) = &taken;
            *lock.lock().unwrap_or_else(|e| e.into_inner()) = want;
            wake.notify_all();
        };
        'recv: for (i, found) in rx.iter() {
            pending.insert(i, found);
            while let Some(found) = pending.remove(&want) {
                let go_on = sink(want, found);
                want += 1;
                if !go_on {
                    stop.store(true, Ordering::Relaxed);
                    tell(want);
                    break 'recv;
                }
            }
            tell(want);
        }
        // Dropping the receiver ends the workers at their next send.
        drop(rx);
    });
}

impl Corpus for Scan {
    fn search(
        &self,
        query: &str,
        speaker: Option<&str>,
        sink: &mut dyn FnMut(Found) -> bool,
    ) -> Result<(), SearchError> {
        let Some(matcher) = Matcher::new(query, speaker, &self.opts)? else { return Ok(()) };
        in_order(
            self.paths.len(),
            self.threads,
            |i| read_hits(&self.paths[i], i, &matcher, &self.opts),
            |doc, found| hand_on(doc, found, sink),
        );
        Ok(())
    }
}

/// The hits of the document at `path` (document `doc` of a corpus), read anew; why not
/// when it does not read or is no transcript.
pub fn read_hits(
    path: &Path,
    doc: usize,
    matcher: &Matcher,
    opts: &ParseOptions,
) -> Result<Vec<Hit>, String> {
    match load::read(path, None, opts) {
        Ok(d) if is_transcript(&d) => Ok(matcher.doc_hits(&d, doc)),
        Ok(_) => Err(NOT_A_TRANSCRIPT.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

/// One document's outcome told to a sink: its hits then `Done`, or `Skipped`; `false`
/// when the sink said stop.
pub fn hand_on(
    doc: usize,
    found: Result<Vec<Hit>, String>,
    sink: &mut dyn FnMut(Found) -> bool,
) -> bool {
    match found {
        Ok(hits) => {
            let n = hits.len();
            hits.into_iter().all(|h| sink(Found::Hit(h))) && sink(Found::Done { doc, hits: n })
        }
        Err(why) => sink(Found::Skipped(Skipped { doc, why })),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_at_sign_first_names_the_speaker() {
        assert_eq!(speaker_query("@Satya search"), (Some("Satya"), "search"));
        assert_eq!(speaker_query("@\"Satya Nadella\"  搜索 "), (Some("Satya Nadella"), "搜索 "));
        assert_eq!(speaker_query("@张三"), (Some("张三"), ""));
        assert_eq!(speaker_query("search @Satya"), (None, "search @Satya"));
        assert_eq!(speaker_query("@ search"), (None, "search"));
    }

    #[test]
    fn in_order_waits_for_a_slow_sink_instead_of_running_ahead() {
        let started = AtomicUsize::new(0);
        let mut peak = 0;
        let mut got = Vec::new();
        in_order(
            1000,
            2,
            |i| {
                started.fetch_add(1, Ordering::SeqCst);
                i
            },
            |i, r| {
                if i == 0 {
                    // A sink that holds on: let the workers run as far as they would.
                    std::thread::sleep(std::time::Duration::from_millis(100));
                    peak = started.load(Ordering::SeqCst);
                }
                got.push(r);
                true
            },
        );
        assert_eq!(got, (0..1000).collect::<Vec<_>>());
        assert!(peak <= 2 * AHEAD + 2, "{peak} results done ahead of the sink");
    }

    #[test]
    fn captions_without_speakers_last_as_long_as_their_cues() {
        let srt = "1\n00:00:01,000 --> 00:00:04,000\nThe ferry leaves at dawn.\n\n\
                   2\n00:12:30,000 --> 00:12:35,500\nAnd comes back at dusk.\n";
        let doc = crate::parse::parse(srt.to_string(), &ParseOptions::default());
        assert!(doc.turns.is_empty() && doc.has_block_times());
        let row = Summary::of(&doc, Path::new("ferry.srt"));
        assert_eq!(row.seconds, 754.5);
        assert!(!row.estimated);
    }

    #[test]
    fn context_keeps_the_match_on_one_line() {
        let text = "第一行\n他说 lantern 很好";
        let at = text.find("lantern").unwrap();
        let (line, r) = context(text, &(at..at + 7));
        assert_eq!(line, "第一行 他说 lantern 很好");
        assert_eq!(&line[r], "lantern");
        let long = "x".repeat(100) + "HIT" + &"y".repeat(100);
        let (line, r) = context(&long, &(100..103));
        assert_eq!(&line[r.clone()], "HIT");
        assert_eq!(line.len(), 2 * CONTEXT_CHARS + 3);
    }
}

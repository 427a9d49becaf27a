//! Listening, the pure half: which recording belongs to the document, what playing is
//! doing (as data), what the listening keys ask of the player and what its news changes.
//!
//! Public surface: [`Listening`] (the state, `App::listen`), [`PlayState`], [`Media`] and
//! [`MediaSource`] (which recording, found how), the constants [`SEEK_MS`],
//! [`OFFSET_STEP_MS`], [`SPEEDS`], [`MEDIA_KEYS`], [`MEDIA_EXTENSIONS`] and [`NO_PLAYER`],
//! the texts [`speed_text`] and [`offset_text`], and the `App` methods drawing reads
//! (`media`, `has_times`, `listening_line`, `is_spoken`).
//!
//! `update` sends listening keys here (`act`) and the player's news (`heard`); both
//! return [`Effect::Player`] commands for the edge, which runs mpv and sends back
//! [`Msg::Player`](super::Msg::Player). Times the player knows are the recording's; the
//! transcript's are those minus the offset. Nothing here waits for the player: what it
//! says arrives as messages, and a command it cannot carry out comes back as
//! [`PlayerEvent::Failed`].
//!
//! Invariant: a player's news redraws only when something on screen changes (the spoken
//! paragraph, the clock's second, the state), so playing costs a redraw a second.

use crate::doc::Document;
use crate::keymap::Action;
use crate::store::Listen;
use crate::timeline::{Span, Spoken, Timeline, clock};

use super::{App, Effect, LineKey, PlayerCmd, PlayerEvent, Pos};

/// How far the seek keys move, in ms.
pub const SEEK_MS: i64 = 5_000;

/// One step of the offset keys, in ms.
pub const OFFSET_STEP_MS: i64 = 500;

/// The speeds the speed keys step through, in hundredths (mpv keeps the pitch).
pub const SPEEDS: [u32; 11] = [50, 75, 100, 125, 150, 175, 200, 225, 250, 275, 300];

/// Metadata or front-matter keys that name the recording, in the order they are looked
/// for.
pub const MEDIA_KEYS: [&str; 5] = ["media", "audio", "enclosure", "youtube_url", "video_url"];

/// Extensions of a recording beside the transcript (`talk.md` → `talk.mp3`), in the order
/// they are looked for.
pub const MEDIA_EXTENSIONS: [&str; 10] =
    ["mp3", "m4a", "aac", "opus", "ogg", "flac", "wav", "mp4", "mkv", "webm"];

/// What the play key says when the player program is not there.
pub const NO_PLAYER: &str =
    "mpv not found: install it to listen (apt install mpv / brew install mpv)";

/// Whether the player is playing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PlayState {
    #[default]
    Stopped,
    Playing,
    Paused,
}

/// How the recording was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaSource {
    /// `--media` on the command line.
    Given,
    /// Given with `--media` for this document before (kept with its bookmarks).
    Remembered,
    /// A key of the document's metadata or front matter.
    Meta(String),
    /// A file beside the transcript with its name.
    Beside,
}

/// The recording listening plays: a path or a URL, and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    pub target: String,
    pub source: MediaSource,
}

impl Media {
    /// A web address (a citation can link to a moment of it).
    pub fn is_web(&self) -> bool {
        let t = self.target.to_ascii_lowercase();
        t.starts_with("http://") || t.starts_with("https://")
    }

    /// How the status line and help name it: `episode.mp3 (--media)`.
    pub fn describe(&self) -> String {
        let name = match self.is_web() || self.target.contains("://") {
            true => self.target.clone(),
            false => {
                let p = std::path::Path::new(&self.target);
                p.file_name().map_or(self.target.clone(), |n| n.to_string_lossy().into_owned())
            }
        };
        let how = match &self.source {
            MediaSource::Given => "--media".to_string(),
            MediaSource::Remembered => "given before".to_string(),
            MediaSource::Meta(key) => format!("\"{key}\" in the document"),
            MediaSource::Beside => "beside the transcript".to_string(),
        };
        format!("{} ({how})", crate::source::safe_text(&name, false))
    }
}

/// What listening is doing, as data: the player's state as last heard, and the reader's
/// side of it (speed, offset, following).
#[derive(Debug, Clone)]
pub struct Listening {
    pub state: PlayState,
    /// The recording's time last heard from the player (or asked of it), ms.
    pub at_ms: u64,
    /// The recording's length, once the player knows it.
    pub duration_ms: Option<u64>,
    /// Playback speed in hundredths (100: as recorded).
    pub speed: u32,
    /// Milliseconds the recording runs later than the transcript's times.
    pub offset_ms: i64,
    /// The reading pane keeps the spoken passage in view (until the reader scrolls away).
    pub following: bool,
    /// `P`: the recording's time to pause at.
    pub span_end: Option<u64>,
    /// The paragraphs being spoken, while playing or paused.
    pub spoken: Option<Spoken>,
    /// When each paragraph is spoken, built the first time it is needed.
    timeline: Option<Timeline>,
    /// Where `--at` put the reading position.
    pub(super) opened_at: OpenedAt,
    /// A recording given with `--media` to remember for the document once it plays.
    remember: Option<String>,
}

/// `--at` and the reading position: it is applied again (once the store's offset or the
/// whole document arrives) only while the reader has not moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum OpenedAt {
    #[default]
    NotYet,
    At(Pos),
    /// The reader moved: `--at` is done with.
    Left,
}

impl Default for Listening {
    fn default() -> Listening {
        Listening {
            state: PlayState::Stopped,
            at_ms: 0,
            duration_ms: None,
            speed: 100,
            offset_ms: 0,
            following: true,
            span_end: None,
            spoken: None,
            timeline: None,
            opened_at: OpenedAt::NotYet,
            remember: None,
        }
    }
}

impl Listening {
    /// The timeline of `doc`, built on first use.
    pub(super) fn timeline(&mut self, doc: &Document) -> &Timeline {
        self.timeline.get_or_insert_with(|| Timeline::new(doc))
    }

    /// The document changed (a big one finished loading): its timeline is built anew.
    pub(super) fn forget_timeline(&mut self) {
        self.timeline = None;
    }

    /// The transcript's time for a time of the recording (`None` before the offset).
    fn transcript_ms(&self, recording_ms: u64) -> Option<u64> {
        let t = i64::try_from(recording_ms).ok()?.checked_sub(self.offset_ms)?;
        u64::try_from(t).ok()
    }

    /// The recording's time for a time of the transcript (0 at the least).
    pub fn recording_ms(&self, transcript_ms: u64) -> u64 {
        let t = i64::try_from(transcript_ms).unwrap_or(i64::MAX).saturating_add(self.offset_ms);
        u64::try_from(t).unwrap_or(0)
    }

    /// The player is playing or paused.
    pub fn active(&self) -> bool {
        self.state != PlayState::Stopped
    }

    fn stopped(&mut self) {
        self.state = PlayState::Stopped;
        self.span_end = None;
        self.spoken = None;
        self.remember = None;
    }
}

impl App {
    /// The recording for this document: `--media`, else the one given for it before, else
    /// its metadata's, else one beside the transcript.
    pub fn media(&self) -> Option<Media> {
        let found = |target: &str, source| Some(Media { target: target.to_string(), source });
        if let Some(m) = &self.opts.media {
            return found(m, MediaSource::Given);
        }
        if let Some(m) = self.marks.listen.as_ref().and_then(|l| l.media.as_deref()) {
            return found(m, MediaSource::Remembered);
        }
        for key in MEDIA_KEYS {
            let meta = self.doc.meta.iter().find(|m| m.key.trim().eq_ignore_ascii_case(key));
            let Some(value) = meta.map(|m| m.value.trim()).filter(|v| !v.is_empty()) else {
                continue;
            };
            return Some(Media {
                target: self.beside_transcript(value),
                source: MediaSource::Meta(key.to_string()),
            });
        }
        self.opts.media_beside.as_deref().and_then(|m| found(m, MediaSource::Beside))
    }

    /// A path written in the document, taken from the transcript's folder (a URL, or a path
    /// from the root, as it is).
    fn beside_transcript(&self, value: &str) -> String {
        let p = std::path::Path::new(value);
        match (&self.opts.path, value.contains("://") || p.is_absolute()) {
            (Some(doc), false) => doc.with_file_name(value).to_string_lossy().into_owned(),
            _ => value.to_string(),
        }
    }

    /// The document has times (a paragraph's or a turn's) to listen by.
    pub fn has_times(&self) -> bool {
        match &self.listen.timeline {
            Some(t) => !t.is_empty(),
            None => {
                self.doc.has_block_times() || self.doc.turns.iter().any(|t| t.start_ms().is_some())
            }
        }
    }

    /// The line help starts with: which recording plays, or why none does.
    pub fn listening_line(&self) -> String {
        if !self.has_times() {
            return "Listening: this transcript has no times".to_string();
        }
        match self.media() {
            Some(m) => format!("Listening to {}", m.describe()),
            None => "Listening: no recording found (--media PATH)".to_string(),
        }
    }

    /// Paragraph `block` of body item `item` is being spoken.
    pub fn is_spoken(&self, item: usize, block: usize) -> bool {
        self.listen.active() && self.listen.spoken.is_some_and(|s| s.holds(item, block))
    }

    /// Put a paragraph on top as a bookmark jump does: a turn's first paragraph with its
    /// speaker line.
    fn show_paragraph(&mut self, item: usize, block: usize) {
        let pos = if block == 0 { Pos::item(item) } else { Pos::text(item, block, 0) };
        self.jump(pos);
    }

    /// Keep the spoken paragraph in view: when its first row is off the screen, or in the
    /// pane's last quarter, it goes to the top.
    fn reveal_spoken(&mut self) {
        let Some(s) = self.listen.spoken else { return };
        let rows = self.view.lines.len();
        let first = LineKey::text(s.first, 0);
        let row = self.view.lines.iter().position(|(vi, l)| *vi == s.item + 1 && l.key == first);
        let shown = row.is_some_and(|r| r < rows - rows / 4 || self.view.at_end);
        if !shown {
            self.show_paragraph(s.item, s.first);
        }
    }

    /// The paragraphs spoken at the recording's time `t`.
    fn spoken_at(&mut self, t: u64) -> Option<Spoken> {
        let t = self.listen.transcript_ms(t)?;
        let doc = &self.doc;
        self.listen.timeline(doc).spoken(doc, t)
    }

    /// Open at `--at`: the passage spoken then in the recording. Again after the store's
    /// offset arrives, or the whole document, while the reader has not moved. What to tell.
    pub(super) fn open_at(&mut self) -> Option<String> {
        let at = self.opts.at_ms?;
        match self.listen.opened_at {
            OpenedAt::Left => return None,
            OpenedAt::At(p) if p != self.pos => return None,
            _ => {}
        }
        let when = clock(at);
        Some(match self.spoken_at(at) {
            Some(s) => {
                self.show_paragraph(s.item, s.first);
                self.listen.opened_at = OpenedAt::At(self.pos);
                format!("opened at {when}")
            }
            None if self.listen.timeline(&self.doc).is_empty() => {
                "this transcript has no times: --at is not used".to_string()
            }
            None => format!("nothing is spoken by {when}: opened at the top"),
        })
    }

    /// The offset changed: kept with the bookmarks.
    fn remember_listen(&mut self, media: Option<String>) -> Vec<Effect> {
        let now = self.now;
        let l = self.marks.listen.get_or_insert_with(Listen::default);
        if let Some(m) = media {
            l.media = Some(m);
        }
        l.offset_ms = self.listen.offset_ms;
        l.saved = now;
        if self.keep_marks { vec![Effect::SaveMarks] } else { Vec::new() }
    }

    /// What the store held: the offset kept for this document.
    pub(super) fn restore_listen(&mut self) {
        self.listen.offset_ms = self.marks.listen.as_ref().map_or(0, |l| l.offset_ms);
    }

    /// When paragraph `block` of body item `item` is heard in the recording (ms), and the
    /// recording's address when it is on the web: for citations.
    pub(super) fn recording_time(
        &mut self,
        item: usize,
        block: usize,
    ) -> Option<(u64, Option<String>)> {
        let doc = &self.doc;
        let t = self.listen.timeline(doc).start_at(doc, item, block, 0)?;
        let url = self.media().filter(Media::is_web).map(|m| m.target);
        Some((self.listen.recording_ms(t), url))
    }

    /// The quote the last jump went to, when it is in paragraph `(item, block)`.
    fn current_quote(&self, item: usize, block: usize) -> Option<usize> {
        let at = self.last_target?;
        if at.body_item() != Some(item) || at.key.block() != Some(block) {
            return None;
        }
        self.doc.quotes.iter().position(|q| {
            self.doc.turns.get(q.turn).is_some_and(|t| t.item() == item)
                && q.block == block
                && q.range.start == at.key.offset
        })
    }
}

/// A listening key.
pub(super) fn act(app: &mut App, a: Action) -> Vec<Effect> {
    let l = &mut app.listen;
    match a {
        Action::Play => match l.state {
            PlayState::Playing => {
                l.state = PlayState::Paused;
                vec![Effect::Player(PlayerCmd::Pause(true))]
            }
            PlayState::Paused if l.following => {
                l.state = PlayState::Playing;
                vec![Effect::Player(PlayerCmd::Pause(false))]
            }
            _ => start(app, false),
        },
        Action::PlaySpan => start(app, true),
        Action::StopPlaying if l.active() => {
            l.stopped();
            app.say("stopped");
            vec![Effect::Player(PlayerCmd::Stop)]
        }
        Action::SeekBack | Action::SeekForward if l.active() => {
            let by = if a == Action::SeekBack { -SEEK_MS } else { SEEK_MS };
            l.at_ms = u64::try_from(i64::try_from(l.at_ms).unwrap_or(0) + by).unwrap_or(0);
            l.span_end = None;
            l.following = true;
            vec![Effect::Player(PlayerCmd::Seek(by))]
        }
        Action::Follow if l.active() => {
            l.following = true;
            app.reveal_spoken();
            Vec::new()
        }
        Action::StopPlaying | Action::SeekBack | Action::SeekForward | Action::Follow => {
            let key = app.opts.keys.reader.hint(Action::Play).unwrap_or_default();
            app.say(format!("not playing: {key} plays from the passage on screen"));
            Vec::new()
        }
        Action::SpeedDown | Action::SpeedUp => {
            let i = SPEEDS.iter().position(|&s| s >= l.speed).unwrap_or(2);
            let i = if a == Action::SpeedUp {
                (i + 1).min(SPEEDS.len() - 1)
            } else {
                i.saturating_sub(1)
            };
            l.speed = SPEEDS[i];
            let speed = l.speed;
            let active = l.active();
            app.say(format!("speed {}", speed_text(speed)));
            if active { vec![Effect::Player(PlayerCmd::Speed(speed))] } else { Vec::new() }
        }
        Action::OffsetLater | Action::OffsetEarlier => {
            let step = if a == Action::OffsetLater { OFFSET_STEP_MS } else { -OFFSET_STEP_MS };
            l.offset_ms = l.offset_ms.saturating_add(step);
            let text = match l.offset_ms {
                0 => "offset 0: the recording runs with the transcript".to_string(),
                o => format!(
                    "offset {}: the recording runs {} s {} than the transcript",
                    offset_text(o),
                    seconds(o.unsigned_abs()),
                    if o > 0 { "later" } else { "earlier" }
                ),
            };
            app.say(text);
            if app.listen.active() {
                app.listen.spoken = app.spoken_at(app.listen.at_ms);
            }
            app.remember_listen(None)
        }
        _ => Vec::new(),
    }
}

/// `p` or `P`: play from the passage on screen (`span`: only it, then pause).
fn start(app: &mut App, span: bool) -> Vec<Effect> {
    if !app.has_times() {
        app.say("this transcript has no times");
        return Vec::new();
    }
    let Some(media) = app.media() else {
        app.say("no recording found: --media PATH");
        return Vec::new();
    };
    let Some((item, block)) = app.view.passage else {
        app.say("no passage on screen to play");
        return Vec::new();
    };
    let quote = if span { app.current_quote(item, block) } else { None };
    let doc = &app.doc;
    let timeline = app.listen.timeline(doc);
    let found: Option<Span> = match quote {
        Some(q) => timeline.quote_span(doc, q),
        None => timeline.span(item, block),
    };
    let Some(found) = found else {
        app.say("no time at or before this passage");
        return Vec::new();
    };
    let l = &mut app.listen;
    let from = l.recording_ms(found.start);
    l.state = PlayState::Playing;
    l.at_ms = from;
    l.following = true;
    l.span_end = match span {
        true => Some(found.end.map_or(u64::MAX, |e| l.recording_ms(e))),
        false => None,
    };
    app.listen.spoken = app.spoken_at(from);
    let what = match (span, quote.is_some()) {
        (true, true) => "the quote",
        (true, false) => "the paragraph",
        (false, _) => "from",
    };
    let until = match app.listen.span_end.filter(|&e| span && e != u64::MAX) {
        Some(e) => format!(" to {}", clock(e)),
        None if span => " (its end is not known: to the end)".to_string(),
        None => String::new(),
    };
    app.say(format!("playing {what} {}{until} · {}", clock(from), media.describe()));
    // `--media` is remembered for the document, with its bookmarks, once it plays.
    let kept = app.marks.listen.as_ref().and_then(|l| l.media.as_deref());
    app.listen.remember = (media.source == MediaSource::Given
        && kept != Some(media.target.as_str()))
    .then(|| media.target.clone());
    vec![Effect::Player(PlayerCmd::Play {
        media: media.target,
        from_ms: from,
        speed: app.listen.speed,
    })]
}

/// What the player said. False when nothing on screen changed (no redraw).
pub(super) fn heard(app: &mut App, e: PlayerEvent) -> (bool, Vec<Effect>) {
    let l = &mut app.listen;
    match e {
        PlayerEvent::Time(t) if l.active() => {
            let second = t / 1000 != l.at_ms / 1000;
            l.at_ms = t;
            let mut effects = match l.remember.take() {
                Some(media) => app.remember_listen(Some(media)),
                None => Vec::new(),
            };
            let l = &mut app.listen;
            let paused = l.span_end.is_some_and(|end| t >= end);
            if paused {
                l.span_end = None;
                l.state = PlayState::Paused;
                effects.push(Effect::Player(PlayerCmd::Pause(true)));
                app.say(format!("paused at the end of the passage, {}", clock(t)));
            }
            let spoken = app.spoken_at(t);
            let moved = spoken != app.listen.spoken;
            app.listen.spoken = spoken;
            if moved && app.listen.following {
                app.reveal_spoken();
            }
            (second || moved || paused, effects)
        }
        PlayerEvent::Time(_) => (false, Vec::new()),
        PlayerEvent::Paused(p) if l.active() => {
            let state = if p { PlayState::Paused } else { PlayState::Playing };
            let changed = state != l.state;
            l.state = state;
            (changed, Vec::new())
        }
        PlayerEvent::Paused(_) => (false, Vec::new()),
        PlayerEvent::Duration(d) => {
            let changed = l.duration_ms != Some(d);
            l.duration_ms = Some(d);
            (changed && l.active(), Vec::new())
        }
        PlayerEvent::Ended => {
            l.stopped();
            app.say("end of the recording");
            (true, Vec::new())
        }
        PlayerEvent::Failed(why) => {
            l.stopped();
            app.say(why);
            (true, Vec::new())
        }
        PlayerEvent::Refused(why) => {
            app.say(why);
            (true, Vec::new())
        }
    }
}

/// The reader moved the reading position while playing: following stops until the follow
/// key.
pub(super) fn moved_by_reader(app: &mut App) {
    if app.listen.active() {
        app.listen.following = false;
    }
    app.listen.opened_at = OpenedAt::Left;
}

/// `×1.25`, `×1`, `×0.5`.
pub fn speed_text(hundredths: u32) -> String {
    let s = format!("{}.{:02}", hundredths / 100, hundredths % 100);
    format!("×{}", s.trim_end_matches('0').trim_end_matches('.'))
}

/// `+1.5s`, `-0.5s`.
pub fn offset_text(ms: i64) -> String {
    format!("{}{}s", if ms < 0 { "-" } else { "+" }, seconds(ms.unsigned_abs()))
}

/// `1.5`, `2`.
fn seconds(ms: u64) -> String {
    let s = format!("{}.{:03}", ms / 1000, ms % 1000);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_and_offsets_read_as_people_write_them() {
        assert_eq!(speed_text(125), "×1.25");
        assert_eq!(speed_text(100), "×1");
        assert_eq!(speed_text(50), "×0.5");
        assert_eq!(offset_text(1500), "+1.5s");
        assert_eq!(offset_text(-500), "-0.5s");
        assert_eq!(offset_text(2000), "+2s");
    }
}

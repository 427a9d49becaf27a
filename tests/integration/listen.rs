#![allow(clippy::unwrap_used)]
//! Listening through `update`, pure: what the listening keys ask of the player, what its
//! news does to the screen (the spoken passage, following, the status line), the answers
//! without times, recording or player, the offset and recording kept with the bookmarks,
//! citations with a time, `--at`, and the timeline underneath.

use std::path::PathBuf;

use fangtan::app::{App, Effect, Msg, Options, PlayState, PlayerCmd, PlayerEvent, update};
use fangtan::app::{LineKind, MediaSource};
use fangtan::doc::Format;
use fangtan::parse::{self, ParseOptions};
use fangtan::store::{DocId, Loaded, Marks};
use fangtan::timeline::Timeline;

use crate::support::doc::{parse_as, timed_talk};
use crate::support::frame;
use crate::support::keys::press;

const MEDIA: &str = "/talks/talk.wav";

fn opts() -> Options {
    Options {
        file_name: "talk.md".into(),
        path: Some(PathBuf::from("/talks/talk.md")),
        media: Some(MEDIA.into()),
        ..Options::default()
    }
}

fn app_with(text: &str, opts: Options) -> App {
    let doc = parse::parse(text.to_string(), &ParseOptions::default());
    let mut app = App::new(doc, opts);
    update(&mut app, Msg::Resize { width: 100, height: 30 });
    app
}

fn talk() -> App {
    app_with(&timed_talk(40), opts())
}

/// The body item of passage `k` (turn `k`).
fn item(app: &App, k: usize) -> usize {
    app.doc.turns[k].item()
}

/// Go to passage `k` with the turn keys, as a reader would.
fn to_passage(app: &mut App, k: usize) {
    press(app, &["g"]);
    for _ in 0..=k {
        press(app, &["}"]);
    }
    assert_eq!(app.view.passage, Some((item(app, k), 0)), "on passage {k}");
}

fn heard(app: &mut App, e: PlayerEvent) -> Vec<Effect> {
    update(app, Msg::Player(e))
}

fn status(app: &App) -> String {
    frame::render(app).lines().last().unwrap_or("").to_string()
}

fn message(app: &App) -> String {
    app.message.clone().unwrap_or_default()
}

/// The passage the gutter marks as spoken, by its number.
fn spoken(app: &App) -> Option<usize> {
    (0..app.doc.turns.len()).find(|&k| app.is_spoken(item(app, k), 0))
}

/// Whether passage `k`'s text is on screen.
fn on_screen(app: &App, k: usize) -> bool {
    let it = item(app, k);
    app.view.lines.iter().any(|(vi, l)| *vi == it + 1 && matches!(l.kind, LineKind::Text { .. }))
}

fn play(from_ms: u64) -> Effect {
    Effect::Player(PlayerCmd::Play { media: MEDIA.into(), from_ms, speed: 100 })
}

#[test]
fn p_plays_the_passage_on_screen_from_its_start_and_again_pauses_and_resumes() {
    let mut app = talk();
    to_passage(&mut app, 1);
    assert_eq!(press(&mut app, &["p"]), vec![play(123_000)]);
    assert_eq!(app.listen.state, PlayState::Playing);
    assert!(message(&app).contains("00:02:03") && message(&app).contains("talk.wav (--media)"));
    assert!(status(&app).contains("▶ 00:02:03 ×1"), "{}", status(&app));
    assert_eq!(spoken(&app), Some(1));
    assert_eq!(press(&mut app, &["p"]), vec![Effect::Player(PlayerCmd::Pause(true))]);
    assert!(status(&app).contains("⏸ 00:02:03"), "{}", status(&app));
    assert_eq!(press(&mut app, &["p"]), vec![Effect::Player(PlayerCmd::Pause(false))]);
    // The player's word is what counts.
    heard(&mut app, PlayerEvent::Paused(true));
    assert_eq!(app.listen.state, PlayState::Paused);
    heard(&mut app, PlayerEvent::Duration(7_090_000));
    heard(&mut app, PlayerEvent::Paused(false));
    assert!(status(&app).contains("▶ 00:02:03 / 01:58:10 ×1"), "{}", status(&app));
}

#[test]
fn the_clock_and_the_spoken_passage_follow_the_player_and_the_pane_keeps_it_in_view() {
    let mut app = talk();
    to_passage(&mut app, 1);
    press(&mut app, &["p"]);
    heard(&mut app, PlayerEvent::Time(124_400));
    assert!(status(&app).contains("▶ 00:02:04"), "{}", status(&app));
    assert_eq!(spoken(&app), Some(1));
    heard(&mut app, PlayerEvent::Time(126_050));
    assert_eq!(spoken(&app), Some(2), "the next passage's time was reached");
    let screen = frame::render(&app);
    let marked: Vec<&str> = screen.lines().filter(|l| l.contains('▶')).collect();
    assert!(marked.iter().any(|l| l.contains("Passage number 2")), "{screen}");
    // Far down the talk: the pane has moved along with it.
    let top = app.pos;
    heard(&mut app, PlayerEvent::Time(123_000 + 3_000 * 30 + 100));
    assert_eq!(spoken(&app), Some(31));
    assert!(on_screen(&app, 31), "{}", frame::render(&app));
    assert!(app.pos > top);
}

#[test]
fn a_reader_who_scrolls_away_is_not_pulled_back_until_the_follow_key() {
    let mut app = talk();
    to_passage(&mut app, 1);
    press(&mut app, &["p"]);
    press(&mut app, &["G"]);
    let away = app.pos;
    assert!(status(&app).contains("F follows"), "{}", status(&app));
    heard(&mut app, PlayerEvent::Time(129_100));
    assert_eq!(spoken(&app), Some(3));
    assert_eq!(app.pos, away, "not pulled back");
    press(&mut app, &["F"]);
    assert!(on_screen(&app, 3), "{}", frame::render(&app));
    assert!(!status(&app).contains("F follows"));
    heard(&mut app, PlayerEvent::Time(123_000 + 3_000 * 30 + 100));
    assert!(on_screen(&app, 31), "following again");
}

#[test]
fn only_a_new_second_or_a_new_passage_redraws() {
    let mut app = talk();
    to_passage(&mut app, 1);
    press(&mut app, &["p"]);
    heard(&mut app, PlayerEvent::Time(123_100));
    app.dirty = false;
    for t in [123_200, 123_500, 123_900] {
        heard(&mut app, PlayerEvent::Time(t));
        assert!(!app.dirty, "no redraw at {t}");
    }
    heard(&mut app, PlayerEvent::Time(124_000));
    assert!(app.dirty, "the clock ticked a second");
}

#[test]
fn shift_p_plays_just_the_passage_and_pauses_at_its_end() {
    let mut app = talk();
    to_passage(&mut app, 2);
    assert_eq!(press(&mut app, &["P"]), vec![play(126_000)]);
    assert!(message(&app).contains("the paragraph 00:02:06 to 00:02:09"), "{}", message(&app));
    assert!(heard(&mut app, PlayerEvent::Time(128_900)).is_empty());
    let effects = heard(&mut app, PlayerEvent::Time(129_050));
    assert_eq!(effects, vec![Effect::Player(PlayerCmd::Pause(true))]);
    assert_eq!(app.listen.state, PlayState::Paused);
    assert!(message(&app).contains("end of the passage"), "{}", message(&app));
    // Once: the next time does not pause again.
    assert!(heard(&mut app, PlayerEvent::Time(129_300)).is_empty());
    // After a jump to a quote, the quote.
    press(&mut app, &["]"]);
    let effects = press(&mut app, &["P"]);
    assert!(matches!(effects.as_slice(), [Effect::Player(PlayerCmd::Play { .. })]), "{effects:?}");
    assert!(message(&app).starts_with("playing the quote"), "{}", message(&app));
}

#[test]
fn the_other_listening_keys_ask_the_player() {
    let mut app = talk();
    to_passage(&mut app, 1);
    press(&mut app, &["x"]);
    assert!(message(&app).starts_with("not playing: p plays"), "{}", message(&app));
    press(&mut app, &["p"]);
    assert_eq!(press(&mut app, &["<Right>"]), vec![Effect::Player(PlayerCmd::Seek(5_000))]);
    assert_eq!(press(&mut app, &["h"]), vec![Effect::Player(PlayerCmd::Seek(-5_000))]);
    assert_eq!(press(&mut app, &["V"]), vec![Effect::Player(PlayerCmd::Speed(125))]);
    assert!(status(&app).contains("×1.25"), "{}", status(&app));
    for _ in 0..20 {
        press(&mut app, &["V"]);
    }
    assert_eq!(app.listen.speed, 300, "3× at most");
    for _ in 0..20 {
        press(&mut app, &["v"]);
    }
    assert_eq!(app.listen.speed, 50, "0.5× at least");
    assert_eq!(press(&mut app, &["x"]), vec![Effect::Player(PlayerCmd::Stop)]);
    assert_eq!(app.listen.state, PlayState::Stopped);
    assert_eq!(spoken(&app), None);
    // The speed chosen is the next play's.
    assert_eq!(
        press(&mut app, &["p"]),
        vec![Effect::Player(PlayerCmd::Play { media: MEDIA.into(), from_ms: 123_000, speed: 50 })]
    );
}

#[test]
fn ctrl_z_pauses_the_recording_before_the_reader_stops() {
    let mut app = talk();
    to_passage(&mut app, 1);
    press(&mut app, &["p"]);
    let effects = press(&mut app, &["<C-z>"]);
    let pause = effects.iter().position(|e| *e == Effect::Player(PlayerCmd::Pause(true)));
    let suspend = effects.iter().position(|e| *e == Effect::Suspend);
    assert!(pause.is_some() && pause < suspend, "{effects:?}");
}

#[test]
fn without_times_a_recording_or_a_player_the_play_key_answers_in_the_status_line() {
    let mut untimed = app_with("# Talk\n\n**Ines:** No times here.\n", opts());
    assert!(press(&mut untimed, &["p"]).is_empty());
    assert_eq!(message(&untimed), "this transcript has no times");
    assert!(
        frame::render(&{
            press(&mut untimed, &["?"]);
            untimed
        })
        .contains("Listening: this transcript has no times")
    );

    let mut nothing = app_with(&timed_talk(5), Options { media: None, ..opts() });
    to_passage(&mut nothing, 1);
    assert!(press(&mut nothing, &["p"]).is_empty());
    assert_eq!(message(&nothing), "no recording found: --media PATH");

    let mut app = talk();
    to_passage(&mut app, 1);
    press(&mut app, &["p"]);
    let why = fangtan::app::listen::NO_PLAYER.to_string();
    heard(&mut app, PlayerEvent::Failed(why.clone()));
    assert_eq!(message(&app), why);
    assert_eq!(app.listen.state, PlayState::Stopped);
    assert!(!status(&app).contains('▶'));
    // A refused request is told, and playing goes on.
    press(&mut app, &["p"]);
    heard(&mut app, PlayerEvent::Refused("mpv: property unavailable".into()));
    assert_eq!(message(&app), "mpv: property unavailable");
    assert_eq!(app.listen.state, PlayState::Playing);
    // And the reader is otherwise as before.
    press(&mut app, &["j"]);
    heard(&mut app, PlayerEvent::Failed("mpv exited (exit status: 1)".into()));
    assert_eq!(message(&app), "mpv exited (exit status: 1)");
}

#[test]
fn help_names_the_recording_and_how_it_was_found() {
    let mut app = talk();
    press(&mut app, &["?"]);
    let screen = frame::render(&app);
    assert!(screen.contains("Listening to talk.wav (--media)"), "{screen}");
}

#[test]
fn the_recording_is_found_in_order_given_remembered_metadata_beside() {
    let text = format!("---\ntitle: Harbour\naudio: ep/harbour.mp3\n---\n\n{}", timed_talk(3));
    let beside = Options { media: None, media_beside: Some("/talks/talk.ogg".into()), ..opts() };
    let app = app_with(&timed_talk(3), beside.clone());
    let m = app.media().unwrap();
    assert_eq!((m.target.as_str(), m.source), ("/talks/talk.ogg", MediaSource::Beside));

    let mut app = app_with(&text, beside.clone());
    let m = app.media().unwrap();
    assert_eq!(m.target, "/talks/ep/harbour.mp3", "beside the transcript");
    assert_eq!(m.source, MediaSource::Meta("audio".into()));

    let mut marks = Marks::new(DocId::new(&PathBuf::from("/talks/talk.md"), &app.doc.text));
    marks.listen = Some(fangtan::store::Listen {
        media: Some("https://example.org/ep.mp3".into()),
        offset_ms: 0,
        saved: 1,
    });
    let loaded = Loaded { marks, position: None, edited: false, warnings: Vec::new() };
    update(&mut app, Msg::Restored(Box::new(loaded)));
    let m = app.media().unwrap();
    assert_eq!(m.source, MediaSource::Remembered);
    assert_eq!(m.target, "https://example.org/ep.mp3");

    let given = app_with(&text, opts());
    assert_eq!(given.media().unwrap().source, MediaSource::Given);
}

/// `talk()` with an (empty) store, as when the reader opens a file.
fn stored_talk(opts: Options) -> App {
    let mut app = app_with(&timed_talk(40), opts);
    let marks = Marks::new(DocId::new(&PathBuf::from("/talks/talk.md"), &app.doc.text));
    let loaded = Loaded { marks, position: None, edited: false, warnings: Vec::new() };
    update(&mut app, Msg::Restored(Box::new(loaded)));
    app
}

#[test]
fn the_offset_moves_the_recording_against_the_text_and_is_kept_with_the_bookmarks() {
    let mut app = stored_talk(opts());
    to_passage(&mut app, 1);
    // `--media` for a document with a store is remembered once it plays.
    assert_eq!(press(&mut app, &["p"]), vec![play(123_000)]);
    assert_eq!(app.marks.listen, None);
    let effects = heard(&mut app, PlayerEvent::Time(123_050));
    assert_eq!(effects, vec![Effect::SaveMarks]);
    assert_eq!(app.marks.listen.as_ref().unwrap().media.as_deref(), Some(MEDIA));
    assert!(heard(&mut app, PlayerEvent::Time(123_100)).is_empty(), "once");
    app.now = 5_000;
    let effects = press(&mut app, &["+", "+", "+", "-"]);
    assert_eq!(effects.iter().filter(|e| **e == Effect::SaveMarks).count(), 4);
    let kept = app.marks.listen.clone().unwrap();
    assert_eq!((kept.offset_ms, kept.saved), (1_000, 5_000));
    assert!(message(&app).contains("runs 1 s later"), "{}", message(&app));
    assert!(status(&app).contains("+1s"), "{}", status(&app));
    // The recording at 2:04 is the transcript's 2:03.
    heard(&mut app, PlayerEvent::Time(126_500));
    assert_eq!(spoken(&app), Some(1));
    press(&mut app, &["x"]);
    to_passage(&mut app, 2);
    assert_eq!(press(&mut app, &["p"]), vec![play(127_000)]);

    // What the store held is the next session's offset.
    let mut again = app_with(&timed_talk(40), opts());
    let loaded =
        Loaded { marks: app.marks.clone(), position: None, edited: false, warnings: vec![] };
    update(&mut again, Msg::Restored(Box::new(loaded)));
    to_passage(&mut again, 2);
    assert_eq!(press(&mut again, &["p"]), vec![play(127_000)]);
}

#[test]
fn a_citation_carries_the_passage_time_and_a_link_to_that_moment_of_a_web_recording() {
    let web = "https://example.org/harbour.mp3";
    let mut app = app_with(&timed_talk(10), Options { media: Some(web.into()), ..opts() });
    to_passage(&mut app, 1);
    let effects = press(&mut app, &["y"]);
    let [Effect::Copy(text)] = effects.as_slice() else { panic!("{effects:?}") };
    assert!(text.contains("— Mara, Harbour night shift [00:02:03]\n"), "{text}");
    assert!(text.ends_with(&format!("{web}#t=123\n")), "{text}");

    // A file is not linked; the time still says where.
    let mut app = talk();
    to_passage(&mut app, 2);
    let effects = press(&mut app, &["y"]);
    let [Effect::Copy(text)] = effects.as_slice() else { panic!("{effects:?}") };
    assert!(text.contains("[00:02:06]") && !text.contains("#t="), "{text}");
}

#[test]
fn at_opens_at_the_passage_spoken_then() {
    let app = app_with(&timed_talk(40), Options { at_ms: Some(156_500), ..opts() });
    // 156.5 s: passage 12 began at 156 s.
    assert_eq!(app.view.passage, Some((item(&app, 12), 0)), "{}", frame::render(&app));
    assert_eq!(message(&app), "opened at 00:02:36");
    // What the store holds arrives next: its offset places `--at` again, unless the reader
    // has moved meanwhile.
    let mut app = app_with(&timed_talk(40), Options { at_ms: Some(156_500), ..opts() });
    let mut marks = Marks::new(DocId::new(&PathBuf::from("/talks/talk.md"), &app.doc.text));
    marks.listen = Some(fangtan::store::Listen { media: None, offset_ms: 3_000, saved: 1 });
    let loaded = |marks: &Marks| Loaded {
        marks: marks.clone(),
        position: None,
        edited: false,
        warnings: Vec::new(),
    };
    update(&mut app, Msg::Restored(Box::new(loaded(&marks))));
    assert_eq!(app.view.passage, Some((item(&app, 11), 0)), "153.5 s of the transcript");
    let mut moved = app_with(&timed_talk(40), Options { at_ms: Some(156_500), ..opts() });
    press(&mut moved, &["j", "j"]);
    let here = moved.pos;
    update(&mut moved, Msg::Restored(Box::new(loaded(&marks))));
    assert_eq!(moved.pos, here, "the reader moved: left where they are");

    let app = app_with(&timed_talk(4), Options { at_ms: Some(60_000), ..opts() });
    assert!(message(&app).contains("nothing is spoken by 00:01:00"), "{}", message(&app));
    let app = app_with("**A:** untimed\n", Options { at_ms: Some(60_000), ..opts() });
    assert!(message(&app).contains("no times"), "{}", message(&app));
}

#[test]
fn the_timeline_times_captions_by_cue_quotes_by_word_and_survives_times_that_go_back() {
    // Captions: one paragraph per speaker run, a stretch per cue.
    let vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Ann>One two.\n\n\
               00:00:03.000 --> 00:00:05.000\n<v Ann>Three four.\n\n\
               00:00:06.000 --> 00:00:08.000\n<v Bo>Five six.\n";
    let doc = parse_as(Format::Webvtt, vtt);
    let tl = Timeline::new(&doc);
    let (first, second) = (doc.turns[0].item(), doc.turns[1].item());
    let s = tl.span(first, 0).unwrap();
    assert_eq!((s.start, s.end), (1_000, Some(5_000)));
    assert_eq!(tl.spoken(&doc, 6_500).map(|s| s.item), Some(second));
    assert_eq!(tl.spoken(&doc, 500), None, "nothing before the first cue");
    let text = doc.item_blocks(first).get(0).unwrap().text;
    let three = text.find("Three").unwrap();
    assert_eq!(tl.start_at(&doc, first, 0, three), Some(3_000), "the cue holding it");

    // Out of order: looked up by time all the same.
    let md = "**A (00:00:30):** late\n\n**B (00:00:10):** early\n\n**C (00:00:50):** last\n";
    let doc = parse::parse(md.to_string(), &ParseOptions::default());
    let tl = Timeline::new(&doc);
    assert_eq!(tl.spoken(&doc, 15_000).map(|s| s.item), Some(doc.turns[1].item()));
    assert_eq!(tl.spoken(&doc, 35_000).map(|s| s.item), Some(doc.turns[0].item()));
}

#[test]
fn a_quote_is_timed_by_its_words_when_the_transcript_has_word_times() {
    let json = r#"{"segments": [{"start": 10.0, "end": 14.0, "speaker": "A",
        "text": "We said it plainly.",
        "words": [{"word": "We", "start": 10.0, "end": 10.4},
                  {"word": "said", "start": 10.5, "end": 11.0},
                  {"word": "it", "start": 11.1, "end": 11.3},
                  {"word": "plainly.", "start": 11.4, "end": 12.2}]}]}"#;
    let mut doc = parse_as(Format::Json, json);
    // JSON has no bold: a quote stands over "said it" as a marked passage would.
    assert!(doc.quotes.is_empty());
    let text = doc.item_blocks(doc.turns[0].item()).get(0).unwrap().text.to_string();
    let start = text.find("said").unwrap();
    let range = start..start + "said it".len();
    doc.quotes.push(fangtan::doc::Quote { turn: 0, block: 0, range, src: Default::default() });
    let tl = Timeline::new(&doc);
    let s = tl.quote_span(&doc, 0).unwrap();
    assert_eq!((s.start, s.end), (10_500, Some(11_300)));
}

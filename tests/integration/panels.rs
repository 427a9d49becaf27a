#![allow(clippy::unwrap_used)]
//! The talk-share panel (`i`) and the quote index (`"`): frames at 120x40 and 80x24 on the
//! bundled sample and the eight-speaker panel; the share rule on a bilingual pair (the
//! panel and `fangtan speakers` agree); filtering with a CJK and a Latin query; Enter
//! jumping; `y` copying a citation; and both overlays in a real terminal.

use std::process::Command;

use crate::support::{frame, keys, tmux};
use fangtan::app::{App, Effect, Msg, Options, update};
use fangtan::parse::{self, ParseOptions};
use frame::render;
use keys::{press, typed};

const PANEL: &str = "tests/fixtures/md/panel_eight.md";
const BILINGUAL: &str = "tests/fixtures/md/bilingual_share.md";

/// A fixture open at `w`x`h`.
fn open(path: &str, w: u16, h: u16) -> App {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = parse::parse(text, &ParseOptions::default());
    let name = path.rsplit('/').next().unwrap_or(path).to_string();
    let opts = Options { file_name: name, ..Options::default() };
    let mut app = App::new(doc, opts);
    update(&mut app, Msg::Resize { width: w, height: h });
    app
}

fn sample(w: u16, h: u16) -> App {
    frame::app(w, h)
}

/// The bundled sample and the eight-speaker panel, each at 120x40 and 80x24.
fn snapshot_apps() -> [(&'static str, App); 4] {
    [
        ("sample_120x40", sample(120, 40)),
        ("sample_80x24", sample(80, 24)),
        ("panel8_120x40", open(PANEL, 120, 40)),
        ("panel8_80x24", open(PANEL, 80, 24)),
    ]
}

/// Every quote listed, in order, by its text.
fn listed(app: &App) -> Vec<String> {
    let l = app.quote_index().expect("the quote index is open");
    l.shown.iter().map(|&q| app.doc.quote_text(&app.doc.quotes[q as usize]).to_string()).collect()
}

#[test]
fn talk_share_frames() {
    for (name, mut a) in snapshot_apps() {
        typed(&mut a, "i");
        let s = render(&a);
        assert!(s.contains("Talk share"), "{s}");
        insta::assert_snapshot!(format!("talk_share_{name}"), s);
        typed(&mut a, "q");
        assert!(a.talk_panel().is_none(), "q closes the panel");
    }
}

#[test]
fn talk_share_lists_every_speaker_at_24_rows_and_states_its_rule() {
    let mut a = open(PANEL, 80, 24);
    typed(&mut a, "i");
    let s = render(&a);
    for who in [
        "林岚",
        "Ada Byrne",
        "周启明",
        "Tomás Ferreira",
        "Keiko Hara",
        "陈静",
        "Rafael Ortiz",
        "Nadia Okafor",
    ] {
        assert!(s.contains(who), "{who} missing:\n{s}");
    }
    // One turn has no end (the last): estimated, and the footer says by what rule.
    assert!(s.contains("spoken time") && s.contains("estimated"), "{s}");
    let mut b = open(BILINGUAL, 80, 24);
    typed(&mut b, "i");
    let s = render(&b);
    assert!(s.contains("CJK 4 characters/s"), "{s}");
    press(&mut b, &["<Esc>"]);
    assert!(b.overlay.is_none());
}

/// The two shares of the bilingual pair, in percent, as `fangtan speakers` prints them.
fn cli_shares(args: &[&str]) -> String {
    let o = Command::new(tmux::BIN).args(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn a_chinese_and_an_english_speaker_saying_the_same_get_about_the_same_share() {
    let mut a = open(BILINGUAL, 120, 40);
    typed(&mut a, "i");
    let p = a.talk_panel().unwrap();
    let shares: Vec<f64> = p.talk.speakers.iter().map(|s| s.share).collect();
    assert_eq!(shares.len(), 2);
    assert!((shares[0] - shares[1]).abs() < 10.0, "panel: {shares:?}");
    // Counting characters gave the English speaker three quarters of the talk.
    assert!(shares[0] > 40.0, "panel: {shares:?}");

    let text = cli_shares(&["speakers", BILINGUAL]);
    let pct: Vec<f64> = text
        .lines()
        .map(|l| {
            let p = l.split('%').next().unwrap();
            p.rsplit(' ').next().unwrap().parse().unwrap()
        })
        .collect();
    assert!((pct[0] - pct[1]).abs() < 10.0, "{text}");
    // The same numbers as the panel, to the printed tenth.
    assert_eq!(format!("{:.1}", shares[0]), format!("{:.1}", pct[0]), "{text}");

    let json = cli_shares(&["speakers", "--format", "json", BILINGUAL]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["basis"], "estimate");
    let s = v["speakers"].as_array().unwrap();
    let (zh, en) = (s[0]["share"].as_f64().unwrap(), s[1]["share"].as_f64().unwrap());
    assert!((zh - en).abs() < 10.0, "{json}");
    assert_eq!(s[0]["name"], "王晓");
    assert!(s[0]["cjk_chars"].as_u64().unwrap() > 100 && s[1]["words"].as_u64().unwrap() > 80);
    assert!(v["rule"].as_str().unwrap().contains("CJK 4 characters/s"), "{json}");
}

#[test]
fn speakers_json_has_times_and_paces_of_a_timed_panel() {
    let json = cli_shares(&["speakers", "--output", "json", PANEL]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    // The last turn has no end and no turn after it: estimated.
    assert_eq!(v["basis"], "mixed");
    assert_eq!(v["estimated_turns"], 1);
    let s = v["speakers"].as_array().unwrap();
    assert_eq!(s.len(), 8);
    // Ada's longest turn runs from 00:05:30 to the next turn at 00:07:02.
    assert_eq!(s[1]["name"], "Ada Byrne");
    assert_eq!(s[1]["longest_turn_seconds"], 92.0);
    assert_eq!(s[1]["per_minute_unit"], "words");
    assert_eq!(s[2]["per_minute_unit"], "cjk_chars");
    let total: f64 = s.iter().map(|x| x["share"].as_f64().unwrap()).sum();
    assert!((total - 100.0).abs() < 0.1, "{total}");
    // The text keeps its shape: `N. name  turns  share%`, then the time spoken.
    let text = cli_shares(&["speakers", PANEL]);
    assert!(text.starts_with("1. 林岚 "), "{text}");
    assert!(text.contains("2. Ada Byrne          3 turns   14.0%      2:49"), "{text}");
}

#[test]
fn quote_index_frames() {
    for (name, mut a) in snapshot_apps() {
        typed(&mut a, "\"");
        let s = render(&a);
        assert!(s.contains("Quotes"), "{s}");
        insta::assert_snapshot!(format!("quote_index_{name}"), s);
    }
    // Filtered, while typing.
    let mut a = open(PANEL, 80, 24);
    typed(&mut a, "\"/地图");
    let s = render(&a);
    insta::assert_snapshot!("quote_index_panel8_filtered_80x24", s);
}

#[test]
fn the_quote_index_lists_every_quote_with_speaker_and_section() {
    let mut a = open(PANEL, 120, 40);
    typed(&mut a, "\"");
    assert_eq!(listed(&a).len(), a.doc.quotes.len());
    assert_eq!(a.doc.quotes.len(), 5);
    let s = render(&a);
    assert!(s.contains("— 周启明 · 开场 · 00:01:42"), "{s}");
    assert!(s.contains("— Nadia Okafor · 问答 · 00:16:05"), "{s}");
}

#[test]
fn filtering_with_a_cjk_query_and_a_latin_query() {
    let mut a = open(PANEL, 120, 40);
    typed(&mut a, "\"/地图");
    assert_eq!(listed(&a), vec!["每一次台风过后，我们都要重新画一遍地图"]);
    // Characters of the query far apart in a quote are no match.
    press(&mut a, &["<BS>", "<BS>"]);
    typed(&mut a, "台堤");
    assert!(listed(&a).is_empty(), "{:?}", listed(&a));
    let s = render(&a);
    assert!(s.contains("No quote matches."), "{s}");

    let mut a = open(PANEL, 120, 40);
    // Fuzzy: letters in order, case ignored, the best match first; a speaker's name
    // matches too.
    typed(&mut a, "\"/mny hard");
    let found = listed(&a);
    assert_eq!(found[0], "The engineering was the easy part; the money was the hard part.");
    assert!(found.len() < 5, "{found:?}");
    press(&mut a, &["<Esc>"]);
    assert!(a.quote_index().is_some_and(|l| !l.typing), "Esc stops typing, the list stays");
    typed(&mut a, "/");
    press(&mut a, &["<BS>"; 8]);
    typed(&mut a, "nadia");
    assert_eq!(listed(&a), vec!["By 2050 the hundred-year storm becomes the ten-year storm here."]);
    // Pasted text (an input method's commit) filters as typed.
    press(&mut a, &["<BS>"; 5]);
    update(&mut a, Msg::Paste("话语权".into()));
    assert_eq!(listed(&a), vec!["而没有堤的地方，住的都是没有话语权的人"]);
}

#[test]
fn enter_jumps_to_the_quote_and_y_in_the_reader_then_copies_it() {
    let mut a = open(PANEL, 80, 24);
    typed(&mut a, "\"/顺序");
    press(&mut a, &["<Enter>"]);
    assert!(a.overlay.is_none(), "Enter jumps and closes the index");
    let s = render(&a);
    assert!(s.contains("顺序比总数更重要"), "{s}");
    assert!(a.message.as_deref().is_some_and(|m| m.contains("quote 3/5")), "{:?}", a.message);
    let q = &a.doc.quotes[2];
    let item = a.doc.turns[q.turn].item();
    assert_eq!(a.last_target.and_then(|p| p.body_item()), Some(item));
    // Landed as `]` lands: `y` now copies the quote itself.
    let effects = press(&mut a, &["y"]);
    let Some(Effect::Copy(text)) = effects.first() else { panic!("{effects:?}") };
    assert!(text.starts_with("> 顺序比总数更重要。"), "{text}");

    // Enter from the list, without a filter: the selected quote (the one after here).
    let mut a = open(PANEL, 80, 24);
    typed(&mut a, "\"jj");
    press(&mut a, &["<Enter>"]);
    let q = &a.doc.quotes[2];
    assert!(a.message.as_deref().is_some_and(|m| m.contains("quote 3/5")), "{:?}", a.message);
    assert_eq!(a.last_target.and_then(|p| p.body_item()), Some(a.doc.turns[q.turn].item()));
}

#[test]
fn y_in_the_index_copies_the_quote_as_a_timed_citation() {
    let mut a = open(PANEL, 80, 24);
    typed(&mut a, "\"/2050");
    press(&mut a, &["<Esc>"]);
    let effects = press(&mut a, &["y"]);
    let Some(Effect::Copy(text)) = effects.first() else { panic!("{effects:?}") };
    assert!(text.starts_with("> By 2050 the hundred-year storm"), "{text}");
    assert!(text.contains("— Nadia Okafor, 问答"), "{text}");
    assert!(text.contains("[00:16:05]"), "{text}");
    assert!(a.quote_index().is_some(), "the index stays open");
    assert!(
        a.message.as_deref().is_some_and(|m| m.contains("copied the quote")),
        "{:?}",
        a.message
    );
    // The sample has no times on that quote's turn: a citation without a time.
    let mut b = sample(80, 24);
    typed(&mut b, "\"");
    let effects = press(&mut b, &["y"]);
    assert!(matches!(effects.first(), Some(Effect::Copy(t)) if t.starts_with("> ")), "{effects:?}");
}

#[test]
fn the_overlays_keep_their_keys_from_the_reader() {
    let mut a = open(PANEL, 80, 24);
    let before = a.pos;
    typed(&mut a, "i");
    typed(&mut a, "}}G");
    assert_eq!(a.pos, before, "reader keys do not reach under the panel");
    typed(&mut a, "i");
    assert!(a.overlay.is_none(), "i closes the panel it opened");
    typed(&mut a, "\"");
    typed(&mut a, "\"");
    assert!(a.overlay.is_none(), "\" closes the index it opened");
}

#[test]
fn both_overlays_in_a_real_terminal() {
    if !tmux::have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::canonicalize(PANEL).unwrap();
    let cmd = tmux::reader_command(&dir.path().join("data"), &file.display().to_string(), "true");
    let t = tmux::Tmux::start("panels", 100, 30, &cmd);
    t.wait("the reader", |s| s.contains("河口城市论坛") && s.contains("panel_eight.md"));
    t.keys(&["i"]);
    let s =
        t.wait("the talk-share panel", |s| s.contains("Talk share") && s.contains("Nadia Okafor"));
    assert!(s.contains('%'), "{s}");
    t.keys(&["q"]);
    t.wait("the panel closed", |s| !s.contains("Talk share"));
    t.keys(&["\""]);
    t.wait("the quote index", |s| s.contains("Quotes · 5 quotes"));
    t.keys(&["/"]);
    t.tmux(&["send-keys", "-t", "t", "-l", "话语权"]);
    t.wait("filtered", |s| s.contains("1/5 quotes"));
    t.keys(&["Enter"]);
    let s = t.wait("the jump", |s| !s.contains("Quotes ·") && s.contains("quote 4/5"));
    assert!(s.contains("没有话语权的人"), "{s}");
    t.keys(&["q"]);
    t.wait("the reader quit", |s| s.contains("EXIT=0"));
}

/// Forty speakers, each saying a word more than the last, the panel open at 80x24.
fn forty_guests_in_the_panel() -> App {
    let text: String =
        (1..=40).map(|i| format!("**Guest{i:02}:** word {}\n\n", "x ".repeat(i))).collect();
    let doc = parse::parse(text, &ParseOptions::default());
    let mut a = App::new(doc, Options::default());
    update(&mut a, Msg::Resize { width: 80, height: 24 });
    typed(&mut a, "i");
    a
}

#[test]
fn many_speakers_scroll_in_the_panel() {
    let mut a = forty_guests_in_the_panel();
    let s = render(&a);
    // Largest share first: the one who said most.
    assert!(s.contains("Guest40") && !s.contains("Guest01"), "{s}");
    typed(&mut a, "G");
    let s = render(&a);
    assert!(s.contains("Guest01") && !s.contains("Guest40"), "{s}");
    typed(&mut a, "k");
    assert!(render(&a).contains("Guest02"));
    typed(&mut a, "g");
    assert_eq!(a.talk_panel().map(|p| p.top), Some(0));
    // A document without speakers has nothing to share.
    let mut b =
        App::new(parse::parse("just text\n".into(), &ParseOptions::default()), Options::default());
    update(&mut b, Msg::Resize { width: 80, height: 24 });
    typed(&mut b, "i");
    assert!(b.overlay.is_none());
    assert_eq!(b.message.as_deref(), Some("no speakers: the document has no turns"));
}

#[test]
fn the_shares_are_counted_once_and_reused_by_every_opening() {
    let mut a = open(PANEL, 120, 40);
    assert!(a.talk.is_none(), "nothing counted before the panel opens");
    typed(&mut a, "i");
    let first = a.talk_panel().map(|p| std::sync::Arc::clone(&p.talk)).unwrap();
    typed(&mut a, "q");
    typed(&mut a, "i");
    let again = a.talk_panel().map(|p| std::sync::Arc::clone(&p.talk)).unwrap();
    assert!(std::sync::Arc::ptr_eq(&first, &again), "the second opening counts nothing");
    assert!(a.talk.as_ref().is_some_and(|t| std::sync::Arc::ptr_eq(t, &first)));
}

#[test]
fn a_taller_screen_shows_no_blank_rows_under_the_last_speaker() {
    let mut a = forty_guests_in_the_panel();
    typed(&mut a, "G");
    update(&mut a, Msg::Resize { width: 80, height: 60 });
    let s = render(&a);
    // All forty fit now: the list starts at the largest share again.
    assert_eq!(a.talk_panel().map(|p| p.top), Some(0));
    assert!(s.contains("Guest40") && s.contains("Guest01"), "{s}");
}

#![allow(clippy::unwrap_used)]
//! The library screen (issue 18): its state and update as a user drives them (keys through
//! `route_library`, rows and a search's matches as the edge's threads send them), the
//! reader opened from it (quit and Esc go back, a match opens with `n`/`N` going on),
//! frames at 120x40, 80x24 and 40 columns, `[library]` in the configuration, and the whole
//! of it in a real terminal: `fangtan DIR`, filter, search, Enter on a match, `n`, back,
//! quit.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{frame, keys, tmux};
use fangtan::app::library::{
    LibEffect, LibMsg, LibraryScreen, MAX_HITS, Prompt, SortKey, route_library, update_library,
};
use fangtan::app::{App, Effect, Msg, Options, Start, update};
use fangtan::config::Config;
use fangtan::doc::Document;
use fangtan::keymap::{Action, KeyChord};
use fangtan::library::{Entry, Found};
use fangtan::parse::{self, ParseOptions};
use fangtan_core::library::{Hit, Summary};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

fn entry(name: &str, title: &str, date: &str, speakers: &[&str], seconds: f64) -> Entry {
    Entry {
        path: PathBuf::from(format!("/talks/{name}")),
        summary: Summary {
            title: title.to_string(),
            date: Some(date.to_string()),
            speakers: speakers.iter().take(3).map(|s| s.to_string()).collect(),
            speaker_count: speakers.len(),
            seconds,
            estimated: !name.ends_with(".vtt"),
            turns: 10,
            format: Some("markdown"),
        },
        date: Some(date.to_string()),
        progress: None,
        bookmarks: 0,
        last_read: None,
    }
}

fn rows() -> Vec<Entry> {
    let mut lantern = entry(
        "lantern.md",
        "The Lantern Interview",
        "2024-03-01",
        &["Alice", "Bob", "Carol", "Dave", "Erin"],
        1900.0,
    );
    lantern.progress = Some(0.42);
    lantern.bookmarks = 3;
    lantern.last_read = Some(50);
    let mut search = entry("搜索.md", "搜索的未来", "2024-06-01", &["张三", "Satya"], 3700.0);
    search.last_read = Some(90);
    vec![
        lantern,
        search,
        entry("captions.vtt", "captions.vtt", "2023-11-20", &["Carol", "Dave"], 11.0),
        entry("notes.txt", "notes.txt", "2024-01-15", &["Erin", "Frank"], 7.0),
    ]
}

fn screen(w: u16, h: u16) -> LibraryScreen {
    let mut s = LibraryScreen::new(
        rows(),
        vec![PathBuf::from("/talks")],
        Config::builtin().keys,
        Default::default(),
    );
    update_library(&mut s, LibMsg::Resize { width: w, height: h });
    s
}

/// Press keys written in the config syntax; the effects.
fn press(s: &mut LibraryScreen, keys: &[&str]) -> Vec<LibEffect> {
    let mut effects = Vec::new();
    for k in keys {
        let chord: KeyChord = k.parse().expect("a key in the config syntax");
        if let Some(msg) = route_library(s, chord) {
            effects.extend(update_library(s, msg));
        }
    }
    effects
}

/// Type `text`, a key per character.
fn typed(s: &mut LibraryScreen, text: &str) -> Vec<LibEffect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        if let Some(msg) = route_library(s, KeyChord::ch(c)) {
            effects.extend(update_library(s, msg));
        }
    }
    effects
}

fn shown(s: &LibraryScreen) -> Vec<String> {
    s.shelf.shown.iter().map(|&i| s.shelf.rows[i].summary.title.clone()).collect()
}

fn selected(s: &LibraryScreen) -> String {
    s.shelf.selected().unwrap().file_name().unwrap().to_string_lossy().into_owned()
}

fn hit(item: usize, speaker: &str, line: &str, word: &str) -> Hit {
    let at = line.find(word).unwrap();
    Hit {
        doc: 0,
        speaker: Some(speaker.to_string()),
        section: Some("Opening".to_string()),
        start_ms: Some(65_000 + item as u64 * 1000),
        item,
        block: 0,
        range: at..at + word.len(),
        line: line.to_string(),
        line_range: at..at + word.len(),
    }
}

fn found(s: &mut LibraryScreen, generation: u64, path: &str, h: Hit) {
    let path = PathBuf::from(path);
    update_library(s, LibMsg::Found { generation, path, found: Found::Hit(h) });
}

/// A search for `lantern` typed and three matches in two documents arrived.
fn searched(s: &mut LibraryScreen) -> u64 {
    press(s, &["/"]);
    let effects = typed(s, "lantern");
    assert!(effects.is_empty(), "the search runs on Enter");
    let effects = press(s, &["<Enter>"]);
    let generation = s.results.as_ref().unwrap().generation;
    assert_eq!(
        effects,
        vec![
            LibEffect::StopSearches { generation },
            LibEffect::Search { generation, query: "lantern".into(), speaker: None },
        ]
    );
    let one = "Welcome. Today we talk about the lantern project.";
    found(s, generation, "/talks/lantern.md", hit(1, "Alice", one, "lantern"));
    let two = "Thanks. The lantern started as a small idea.";
    found(s, generation, "/talks/lantern.md", hit(2, "Bob", two, "lantern"));
    let three = "We found the old lantern in the attic.";
    found(s, generation, "/talks/captions.vtt", hit(4, "Dave", three, "lantern"));
    generation
}

fn draw(s: &LibraryScreen) -> String {
    let theme = fangtan::ui::Theme::from_config(&Options::default().theme, &Document::default());
    let mut buf = Buffer::empty(Rect::new(0, 0, s.width, s.height));
    fangtan::ui::draw_library(&mut buf, s, &theme);
    frame::text(&buf)
}

#[test]
fn sort_keys_cycle_and_the_selection_stays_on_its_document() {
    let mut s = screen(100, 30);
    assert_eq!(s.shelf.sort, SortKey::Date);
    assert_eq!(shown(&s)[0], "搜索的未来", "newest first");
    press(&mut s, &["j"]);
    assert_eq!(selected(&s), "lantern.md");
    press(&mut s, &["s"]);
    assert_eq!(s.shelf.sort, SortKey::Title);
    assert_eq!(selected(&s), "lantern.md", "re-sorted, still on its document");
    press(&mut s, &["s", "s"]);
    assert_eq!(s.shelf.sort, SortKey::Recent);
    assert_eq!(shown(&s), ["搜索的未来", "The Lantern Interview", "captions.vtt", "notes.txt"]);
    press(&mut s, &["s"]);
    assert_eq!(s.shelf.sort, SortKey::Date, "round");
    // New rows from a refresh keep the selection on its document.
    let mut fresh = rows();
    fresh.insert(0, entry("new.md", "A New One", "2025-01-01", &["Zed"], 60.0));
    update_library(&mut s, LibMsg::Rows(fresh));
    assert_eq!(s.shelf.rows.len(), 5);
    assert_eq!(selected(&s), "lantern.md");
    // Enter reads it where it was left.
    let effects = press(&mut s, &["<Enter>"]);
    let path = PathBuf::from("/talks/lantern.md");
    assert_eq!(effects, vec![LibEffect::Open { path, start: None }]);
}

#[test]
fn the_filter_narrows_as_typed_and_esc_clears_it() {
    let mut s = screen(100, 30);
    press(&mut s, &["f"]);
    assert!(matches!(s.typing, Some((Prompt::Filter, _))));
    // Keys that are commands elsewhere are text here.
    typed(&mut s, "未来");
    assert_eq!(shown(&s), ["搜索的未来"]);
    press(&mut s, &["<BS>", "<BS>"]);
    typed(&mut s, "lantern");
    assert_eq!(shown(&s), ["The Lantern Interview"]);
    assert!(draw(&s).contains("1 of 4 documents"), "{}", draw(&s));
    press(&mut s, &["<Esc>"]);
    assert!(s.typing.is_none());
    assert_eq!(shown(&s).len(), 4, "Esc clears the filter");
    assert_eq!(selected(&s), "lantern.md", "on the document the filter found");
    // A filter kept (Enter reads the match) is cleared by back.
    press(&mut s, &["f"]);
    typed(&mut s, "notes");
    let effects = press(&mut s, &["<Enter>"]);
    let path = PathBuf::from("/talks/notes.txt");
    assert_eq!(effects, vec![LibEffect::Open { path, start: None }]);
    assert_eq!(s.shelf.filter, "notes");
    press(&mut s, &["<Esc>"]);
    assert_eq!(s.shelf.filter, "");
    // A second q quits.
    assert_eq!(press(&mut s, &["q"]), vec![LibEffect::Quit]);
}

#[test]
fn search_results_stream_in_grouped_by_document_and_open_at_the_match() {
    let mut s = screen(100, 30);
    let generation = searched(&mut s);
    let r = s.results.as_ref().unwrap();
    assert_eq!((r.total, r.docs, r.groups.len()), (3, 2, 2));
    assert_eq!(r.groups[0].title, "The Lantern Interview", "the row's title");
    assert_eq!(r.groups[1].count, 1);
    let f = draw(&s);
    assert!(f.contains("3 matches in 2 documents · searching…"), "{f}");
    // A message of an older search is dropped.
    let stale = hit(9, "Old", "an old lantern", "lantern");
    found(&mut s, generation - 1, "/talks/notes.txt", stale);
    assert_eq!(s.results.as_ref().unwrap().total, 3);
    update_library(&mut s, LibMsg::Searched { generation, error: None });
    assert!(!draw(&s).contains("searching"), "{}", draw(&s));
    // Enter on the second match opens its document there, the search set to the query.
    press(&mut s, &["j"]);
    let effects = press(&mut s, &["<Enter>"]);
    let start = Start::Match { query: "lantern".into(), item: 2, block: 0, at: 12 };
    let path = PathBuf::from("/talks/lantern.md");
    assert_eq!(effects, vec![LibEffect::Open { path, start: Some(start) }]);
    // Back from the reader: the same match is selected, the rows are refreshed.
    s.message = Some("opening lantern.md…".into());
    assert_eq!(update_library(&mut s, LibMsg::Returned), vec![LibEffect::Refresh]);
    assert_eq!(s.message, None, "the note of the opening goes");
    assert_eq!(s.results.as_ref().unwrap().sel, 1);
    // Esc leaves the results (stopping the search) for the list, on the document read.
    let effects = press(&mut s, &["<Esc>"]);
    assert_eq!(effects, vec![LibEffect::StopSearches { generation }]);
    assert!(s.results.is_none());
    assert_eq!(selected(&s), "lantern.md");
}

#[test]
fn a_speaker_filter_and_a_new_search_replace_the_old_one() {
    let mut s = screen(100, 30);
    let first = searched(&mut s);
    press(&mut s, &["/"]);
    // The last search is offered again.
    press(&mut s, &["<C-u>"]);
    let (_, edit) = s.typing.as_ref().unwrap();
    assert_eq!(edit.text(), "lantern");
    for _ in 0..7 {
        press(&mut s, &["<BS>"]);
    }
    typed(&mut s, "@\"Satya Nadella\" search engines");
    let effects = press(&mut s, &["<Enter>"]);
    let generation = first + 1;
    assert_eq!(
        effects,
        vec![
            LibEffect::StopSearches { generation },
            LibEffect::Search {
                generation,
                query: "search engines".into(),
                speaker: Some("Satya Nadella".into()),
            },
        ]
    );
    let r = s.results.as_ref().unwrap();
    assert_eq!((r.total, r.hits.len()), (0, 0), "the old results are gone");
    // A speaker with no words to look for is no search.
    press(&mut s, &["/"]);
    for _ in 0..40 {
        press(&mut s, &["<BS>"]);
    }
    typed(&mut s, "@Satya");
    assert!(press(&mut s, &["<Enter>"]).is_empty());
    assert!(s.message.as_deref().unwrap_or("").contains("@Name query"), "{:?}", s.message);
}

#[test]
fn every_match_is_counted_but_only_so_many_are_kept() {
    let mut s = screen(100, 30);
    let generation = searched(&mut s);
    let line = "lantern";
    for i in 0..MAX_HITS + 50 {
        let path = format!("/talks/doc{}.md", i / 1000);
        found(&mut s, generation, &path, hit(i, "A", line, "lantern"));
    }
    let r = s.results.as_ref().unwrap();
    assert_eq!(r.total, MAX_HITS + 53);
    assert_eq!(r.hits.len(), MAX_HITS);
    assert_eq!(r.docs, 2 + (MAX_HITS + 50).div_ceil(1000));
    assert!(draw(&s).contains(&format!("(first {MAX_HITS} shown)")), "{}", draw(&s));
    // The last page of kept matches is reachable, and drawn.
    press(&mut s, &["G"]);
    assert_eq!(s.results.as_ref().unwrap().sel, MAX_HITS - 1);
    assert!(draw(&s).contains("›"), "{}", draw(&s));
}

#[test]
fn help_lists_the_library_keys_and_any_key_closes_it() {
    let mut s = screen(100, 30);
    press(&mut s, &["?"]);
    let f = draw(&s);
    assert!(f.contains("Library keys") && f.contains("search every document"), "{f}");
    // q closes the help, as an overlay's q does; it does not quit.
    assert!(press(&mut s, &["q"]).is_empty());
    assert!(!s.help);
    // Ctrl-C quits from anywhere.
    press(&mut s, &["f"]);
    assert_eq!(press(&mut s, &["<C-c>"]), vec![LibEffect::Quit]);
}

#[test]
fn library_frames() {
    let mut s = screen(120, 40);
    insta::assert_snapshot!("library_rows_120x40", draw(&s));
    update_library(&mut s, LibMsg::Resize { width: 80, height: 24 });
    insta::assert_snapshot!("library_rows_80x24", draw(&s));
    press(&mut s, &["f"]);
    typed(&mut s, "e");
    insta::assert_snapshot!("library_filter_80x24", draw(&s));
    press(&mut s, &["<Esc>"]);
    update_library(&mut s, LibMsg::Resize { width: 120, height: 40 });
    let generation = searched(&mut s);
    update_library(&mut s, LibMsg::Searched { generation, error: None });
    insta::assert_snapshot!("library_results_120x40", draw(&s));
    update_library(&mut s, LibMsg::Resize { width: 80, height: 24 });
    insta::assert_snapshot!("library_results_80x24", draw(&s));
}

#[test]
fn narrow_and_tiny_frames_draw_without_a_panic_and_untrusted_text_stays_text() {
    let mut s = screen(40, 12);
    let mut evil =
        entry("evil.md", "Title\x1b]0;pwned\x07\x1b[2J", "2024-02-02", &["M\x1b[31m"], 1.0);
    evil.bookmarks = 2;
    let mut all = rows();
    all.push(evil);
    update_library(&mut s, LibMsg::Rows(all));
    let f = draw(&s);
    assert!(!f.contains('\x1b') && !f.contains('\x07'), "{f:?}");
    let generation = searched(&mut s);
    let bad = "a \x1b[2J lantern \u{7}";
    found(&mut s, generation, "/talks/evil.md", hit(3, "M\x1b[0m", bad, "lantern"));
    for (w, h) in [(40, 12), (20, 5), (1, 1), (3, 2), (0, 0), (12, 3)] {
        update_library(&mut s, LibMsg::Resize { width: w, height: h });
        let f = draw(&s);
        assert!(!f.contains('\x1b') && !f.contains('\x07'), "{w}x{h}: {f:?}");
        press(&mut s, &["/"]);
        draw(&s);
        press(&mut s, &["<Esc>", "?"]);
        draw(&s);
        press(&mut s, &["?"]);
    }
}

/// The sample opened as the library opens a document: its options, at `start`.
fn from_library(start: Option<Start>) -> App {
    let doc = parse::parse(frame::SAMPLE.to_string(), &ParseOptions::default());
    let opts = Options { from_library: true, start, ..Options::default() };
    let mut app = App::new(doc, opts);
    update(&mut app, Msg::Resize { width: 100, height: 30 });
    app
}

fn act(app: &mut App, a: Action) -> Vec<Effect> {
    update(app, Msg::Action(a))
}

#[test]
fn the_reader_opened_from_the_library_goes_back_to_it() {
    let mut a = from_library(None);
    assert_eq!(act(&mut a, Action::Quit), vec![Effect::Back]);
    // Esc closes what is open first (help, the search), then goes back.
    assert!(keys::press(&mut a, &["?", "<Esc>"]).is_empty());
    assert!(a.overlay.is_none());
    keys::press(&mut a, &["/"]);
    keys::typed(&mut a, "lantern");
    keys::press(&mut a, &["<Enter>"]);
    assert!(a.search.is_some());
    assert!(keys::press(&mut a, &["<Esc>"]).is_empty(), "the search is cleared first");
    assert!(a.search.is_none());
    assert_eq!(keys::press(&mut a, &["<Esc>"]), vec![Effect::Back]);
    // Force quit ends fangtan.
    assert_eq!(act(&mut a, Action::ForceQuit), vec![Effect::Quit]);
    // Opened on its own, Esc never quits and q quits.
    let mut plain = frame::app(100, 30);
    assert!(act(&mut plain, Action::Cancel).is_empty());
    assert_eq!(act(&mut plain, Action::Quit), vec![Effect::Quit]);
}

#[test]
fn a_match_opens_at_that_match_and_n_goes_on_from_it() {
    let doc = parse::parse(frame::SAMPLE.to_string(), &ParseOptions::default());
    let all = fangtan::search::find_all(&doc, "the");
    assert!(all.len() > 4, "the sample says `the` often");
    let m = &all[3];
    let start =
        Start::Match { query: "the".into(), item: m.item, block: m.block, at: m.range.start };
    let mut a = from_library(Some(start));
    let s = a.search.as_ref().expect("the search is set");
    assert_eq!((s.query(), s.current), ("the", Some(3)));
    act(&mut a, Action::NextMatch);
    assert_eq!(a.search.as_ref().unwrap().current, Some(4));
    // A match no longer where it was (the file changed): the next one after it.
    let start =
        Start::Match { query: "the".into(), item: m.item, block: m.block, at: m.range.start + 1 };
    let a = from_library(Some(start));
    assert_eq!(a.search.as_ref().unwrap().current, Some(4));
}

#[test]
fn library_paths_expand_the_home_folder_and_refuse_unknown_names() {
    let c = Config::builtin();
    assert!(c.library.paths.is_empty(), "none shipped: bare fangtan opens the sample");
    let c =
        Config::from_user_text("u.toml", "[library]\npaths = [\"~/talks\", \"/srv/a\"]\n").unwrap();
    let home = dirs::home_dir().unwrap();
    assert_eq!(c.library.paths, vec![home.join("talks"), PathBuf::from("/srv/a")]);
    let e = Config::from_user_text("u.toml", "[library]\npath = [\"~/talks\"]\n").unwrap_err();
    assert!(e.to_string().contains("path"), "{e}");
    // Its keys are a table of their own, rebindable, and must keep a way to quit.
    let c = Config::from_user_text("u.toml", "[keys.library]\nsearch = [\"S\"]\n").unwrap();
    let chord: KeyChord = "S".parse().unwrap();
    assert_eq!(c.keys.library.lookup(chord), Some(fangtan::keymap::LibraryAction::Search));
    let e = Config::from_user_text("u.toml", "[keys.library]\nquit = []\n").unwrap_err();
    assert!(e.to_string().contains("quit the library screen"), "{e}");
}

fn fangtan(args: &[&str], data: &Path, config: Option<&Path>) -> std::process::Output {
    let mut c = Command::new(tmux::BIN);
    c.args(args).env("FANGTAN_DATA_DIR", data).env("FANGTAN_CACHE_DIR", data.join("cache"));
    c.env("XDG_CONFIG_HOME", data.join("no-config"));
    if let Some(p) = config {
        c.arg("--config").arg(p);
    }
    c.output().unwrap()
}

#[test]
fn library_without_configured_folders_is_one_line_and_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let out = fangtan(&["--library"], tmp.path(), None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("[library] paths"), "{err}");
    // What names one document's place or recording is no option for a folder.
    for args in [["+3"], ["--at=0:10"]] {
        let mut args = args.to_vec();
        args.push(tmp.path().to_str().unwrap());
        let out = fangtan(&args, tmp.path(), None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("give a FILE") && err.lines().count() == 1, "{err}");
    }
    // Configured, piped: the list, as `fangtan library` prints it.
    let lib = tmp.path().join("talks");
    corpus(&lib);
    let cfg = tmp.path().join("c.toml");
    std::fs::write(&cfg, format!("[library]\npaths = [{:?}]\n", lib.to_str().unwrap())).unwrap();
    let out = fangtan(&["--library"], tmp.path(), Some(&cfg));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let list = String::from_utf8_lossy(&out.stdout);
    assert_eq!(list.lines().count(), 3, "{list}");
    assert!(list.contains("Lantern") && list.contains("captions.vtt"), "{list}");
    // A configured folder that is not there (a drive not mounted) is left out and said;
    // with none of them there, one line and exit 2.
    let gone = tmp.path().join("unmounted");
    let both =
        format!("[library]\npaths = [{:?}, {:?}]\n", gone.to_str().unwrap(), lib.to_str().unwrap());
    std::fs::write(&cfg, both).unwrap();
    let out = fangtan(&["--library"], tmp.path(), Some(&cfg));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.lines().count() == 1 && err.contains("not found, left out"), "{err}");
    assert!(err.contains("unmounted"), "{err}");
    std::fs::write(&cfg, format!("[library]\npaths = [{:?}]\n", gone.to_str().unwrap())).unwrap();
    let out = fangtan(&["--library"], tmp.path(), Some(&cfg));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

/// Three transcripts in three formats: two say `lantern`.
fn corpus(dir: &Path) {
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(
        dir.join("interview.md"),
        "# The Lantern Interview\n\n**Alice:** Welcome. Today we talk about the lantern \
         project and its history.\n\n**Bob:** Thanks. The lantern started as a small idea in \
         2019.\n\n**Alice:** What did the lantern teach you?\n\n**Bob:** Patience, mostly.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("sub/captions.vtt"),
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Carol>Good morning, everyone.\n\n\
         00:00:05.000 --> 00:00:09.000\n<v Dave>We found the old lantern in the attic.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("notes.txt"),
        "Erin: I never read transcripts before this year.\nFrank: Neither did I, but they \
         help.\nErin: Searching them is the best part.\n",
    )
    .unwrap();
}

#[test]
fn e2e_open_filter_search_read_the_match_and_come_back() {
    if !tmux::have_tmux() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("talks");
    corpus(&lib);
    let data = tmp.path().join("data");
    let cmd = format!(
        "env FANGTAN_DATA_DIR={} FANGTAN_CACHE_DIR={} XDG_CONFIG_HOME={} {} {}; echo EXIT=$?; sleep 30",
        data.display(),
        tmp.path().join("cache").display(),
        tmp.path().join("cfg").display(),
        tmux::BIN,
        lib.display()
    );
    let t = tmux::Tmux::start("library", 100, 24, &cmd);
    t.wait("the rows", |s| s.contains("3 documents") && s.contains("captions.vtt"));
    // Filter, then clear it.
    t.keys(&["f", "c", "a", "p"]);
    // "ca" already leaves one document: wait for the whole filter typed.
    let s = t.wait("the filter", |s| s.contains("1 of 3 documents") && s.contains("filter: cap"));
    assert!(!s.contains("notes.txt"), "{s}");
    t.keys(&["Escape"]);
    t.wait("the filter cleared", |s| s.contains("· 3 documents") && s.contains("notes.txt"));
    // Search a word two documents say.
    t.keys(&["/", "l", "a", "n", "t", "e", "r", "n", "Enter"]);
    let s = t.wait("the results", |s| {
        s.contains("4 matches in 2 documents") && !s.contains("searching")
    });
    assert!(s.contains("The Lantern Interview · 3 matches"), "{s}");
    assert!(s.contains("captions.vtt · 1 match"), "{s}");
    // Enter on the second match: the reader, at that match, the search on.
    t.keys(&["j", "Enter"]);
    let s = t.wait("the reader at the match", |s| s.contains("/lantern 2/3"));
    assert!(s.contains("Thanks. The lantern started"), "{s}");
    t.keys(&["n"]);
    t.wait("the next match", |s| s.contains("/lantern 3/3"));
    // Back to the results, on the same match.
    t.keys(&["q"]);
    let s = t.wait("the results again", |s| s.contains("4 matches in 2 documents"));
    let sel = s.lines().find(|l| l.starts_with('›')).unwrap_or_default();
    assert!(sel.contains("Thanks. The lantern started"), "{s}");
    // Back to the list, on the document read, its progress saved; q quits.
    t.keys(&["Escape"]);
    let s = t.wait("the list", |s| s.contains("· 3 documents") && s.contains('%'));
    let sel = s.lines().find(|l| l.starts_with('›')).unwrap_or_default();
    assert!(sel.contains("The Lantern Interview"), "{s}");
    t.keys(&["q"]);
    t.wait("the exit", |s| s.contains("EXIT=0"));
    assert_eq!(t.modes(), "0 0 1", "the terminal is handed back");
}

#[test]
fn e2e_bare_fangtan_opens_the_configured_library_and_reads_a_document() {
    if !tmux::have_tmux() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    // `~` in the configuration is the home folder.
    corpus(&tmp.path().join("talks"));
    let cfg = tmp.path().join("cfg/fangtan");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("config.toml"), "[library]\npaths = [\"~/talks\"]\n").unwrap();
    let cmd = format!(
        "env HOME={0} FANGTAN_DATA_DIR={0}/data FANGTAN_CACHE_DIR={0}/cache \
         XDG_CONFIG_HOME={0}/cfg {1}; echo EXIT=$?; sleep 30",
        tmp.path().display(),
        tmux::BIN,
    );
    let t = tmux::Tmux::start("library-bare", 80, 24, &cmd);
    t.wait("the configured library", |s| s.contains("Library ~/talks · 3 documents"));
    // Sorted by title, the first row is the interview: Enter reads it, q comes back.
    t.keys(&["s"]);
    let s = t.wait("sorted by title", |s| s.contains("by title"));
    let sel = s.lines().find(|l| l.starts_with('›')).unwrap_or_default();
    assert!(sel.contains("The Lantern Interview"), "{s}");
    t.keys(&["Enter"]);
    t.wait("the reader", |s| s.contains("interview.md │"));
    t.keys(&["q"]);
    let s = t.wait("back in the library", |s| s.contains("by title"));
    let sel = s.lines().find(|l| l.starts_with('›')).unwrap_or_default();
    assert!(sel.contains("The Lantern Interview"), "the same row: {s}");
    t.keys(&["q"]);
    t.wait("the exit", |s| s.contains("EXIT=0"));
    assert_eq!(t.modes(), "0 0 1", "the terminal is handed back");
}

#[test]
fn a_match_far_into_its_line_stays_in_view() {
    for (w, h) in [(80, 24), (60, 20), (40, 12)] {
        let mut s = screen(w, h);
        let generation = searched(&mut s);
        let line = format!("{}灯塔在这里", "我们今天谈谈搜索的未来".repeat(4));
        found(&mut s, generation, "/talks/搜索.md", hit(7, "张三", &line, "灯塔"));
        press(&mut s, &["G"]);
        let f = draw(&s);
        let row = f.lines().find(|l| l.starts_with('›')).unwrap();
        assert!(row.contains("…") && row.contains("灯塔"), "{w}x{h}:\n{f}");
    }
}

#[test]
fn e2e_a_big_document_opens_at_a_match_past_its_first_part() {
    if !tmux::have_tmux() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let lib = tmp.path().join("talks");
    std::fs::create_dir_all(&lib).unwrap();
    // A match in the first part too: the reader must not stop there.
    let mut big = String::from("# Archive\n\n**Host:** A quillmoss first, early on.\n\n");
    for i in 0..12000 {
        big.push_str(&format!("**Host:** Turn {i} of a long archive, with words enough.\n\n"));
    }
    big.push_str("**Guest:** At the very end the quillmoss appears.\n");
    assert!(big.len() as u64 > fangtan::load::BIG * 2);
    std::fs::write(lib.join("archive.md"), &big).unwrap();
    let cmd = format!(
        "env FANGTAN_DATA_DIR={0}/data FANGTAN_CACHE_DIR={0}/cache XDG_CONFIG_HOME={0}/cfg \
         {1} {2}; echo EXIT=$?; sleep 30",
        tmp.path().display(),
        tmux::BIN,
        lib.display()
    );
    let t = tmux::Tmux::start("library-big", 100, 24, &cmd);
    t.wait("the row", |s| s.contains("1 document"));
    t.keys(&["/", "q", "u", "i", "l", "l", "m", "o", "s", "s", "Enter"]);
    t.wait("the matches", |s| s.contains("2 matches in 1 document") && !s.contains("searching"));
    // The second match, past the first part.
    t.keys(&["j", "Enter"]);
    let s = t.wait("the reader at the match", |s| s.contains("/quillmoss 2/2"));
    assert!(s.contains("the quillmoss appears"), "{s}");
    t.keys(&["q"]);
    t.wait("the results", |s| s.contains("2 matches in 1 document"));
    t.keys(&["q"]);
    t.wait("the exit", |s| s.contains("EXIT=0"));
    assert_eq!(t.modes(), "0 0 1", "the terminal is handed back");
}

#[test]
fn text_that_is_no_transcript_is_not_called_unreadable() {
    use fangtan_core::library::{NOT_A_TRANSCRIPT, Skipped};
    let mut s = screen(120, 30);
    let generation = searched(&mut s);
    let skipped = |doc, why: &str| Found::Skipped(Skipped { doc, why: why.to_string() });
    for (path, found) in [
        ("/talks/README.txt", skipped(7, NOT_A_TRANSCRIPT)),
        ("/talks/notes.md", skipped(8, NOT_A_TRANSCRIPT)),
        ("/talks/broken.json", skipped(9, "JSON, but not a transcript I know")),
    ] {
        update_library(&mut s, LibMsg::Found { generation, path: PathBuf::from(path), found });
    }
    let header = draw(&s).lines().next().unwrap_or_default().to_string();
    assert!(header.contains("· 1 unreadable"), "{header}");
}

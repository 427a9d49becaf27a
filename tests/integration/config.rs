#![allow(clippy::unwrap_used)]
//! `config.toml`: the shipped defaults, layering, validation messages, colour resolution and
//! key syntax.

use std::path::{Path, PathBuf};

use fangtan::config::theme::{nearest_16, nearest_256};
use fangtan::config::{
    Color, ColorDepth, Config, ConfigError, EnvInfo, Preset, default_text, readme_section,
    search_paths_in,
};
use fangtan::keymap::{
    Action, EditAction, Key, KeyChord, KeyParseError, Keymap, Keys, ListAction, Mods,
};
use fangtan::width::AmbiguousWidth;
use proptest::prelude::*;

fn user(text: &str) -> Result<Config, ConfigError> {
    Config::from_user_text("test.toml", text)
}

fn err(text: &str) -> String {
    user(text).unwrap_err().to_string()
}

// --- the shipped file -------------------------------------------------------------------

#[test]
fn shipped_file_parses_and_equals_the_compiled_defaults() {
    let parsed = Config::from_user_text("config.toml", default_text()).unwrap();
    assert_eq!(parsed, Config::builtin());
    assert_eq!(Config::default(), Config::builtin());
    let order: Vec<Action> =
        Config::builtin().keys.reader.bindings().iter().map(|(a, _)| *a).collect();
    assert_eq!(order, Action::ALL, "every action, in help order");
}

#[test]
fn every_action_has_a_default_key_and_no_key_two_actions() {
    let c = Config::default();
    for &a in Action::ALL {
        assert!(!c.keys.reader.keys_for(a).is_empty(), "{} has no default key", a.name());
        assert!(
            default_text().contains(&format!("\n{} = [", a.name())),
            "{} not in file",
            a.name()
        );
    }
    // No key belongs to two actions in the defaults.
    let mut owner = std::collections::HashMap::new();
    for (a, keys) in c.keys.reader.bindings() {
        for k in keys {
            if let Some(other) = owner.insert(k.normalize(), *a) {
                assert_eq!(other, *a, "{k} is bound to {} and {}", other.name(), a.name());
            }
        }
    }
}

#[test]
fn shipped_defaults_are_the_documented_values() {
    let c = Config::default();
    assert_eq!(c.layout.outline_width, 30);
    assert_eq!(c.layout.outline_max_width, 40);
    assert_eq!(c.layout.max_text_width, 100);
    assert_eq!(c.layout.paragraph_spacing, 1);
    assert_eq!(c.layout.ambiguous_width, AmbiguousWidth::Narrow);
    assert!(c.layout.show_images);
    assert_eq!(c.reading.cjk_chars_per_minute, 400);
    assert_eq!(c.reading.latin_words_per_minute, 250);
    assert!(c.reading.resume);
    assert_eq!(c.theme.preset, Preset::Dark);
    assert!(c.speakers.labels.is_empty());
}

// --- fixtures -----------------------------------------------------------------------------

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(Path::new("tests/configs").join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_valid_example_loads() {
    let files = fixtures("valid");
    assert!(files.len() >= 3);
    for f in files {
        if let Err(e) = Config::check(&f) {
            panic!("{}: {e}", f.display());
        }
    }
}

/// Each invalid file fails with exactly the message in its sibling `.expected` file.
/// `FANGTAN_BLESS=1` rewrites the `.expected` files (review the diff).
#[test]
fn every_invalid_example_fails_with_its_expected_message() {
    let bless = std::env::var_os("FANGTAN_BLESS").is_some();
    let mut failures = Vec::new();
    for f in fixtures("invalid") {
        // Relative, as a user would type it: the message shows the path as given.
        let msg = match Config::check(&f) {
            Ok(()) => {
                failures.push(format!("{}: loaded, expected an error", f.display()));
                continue;
            }
            Err(e) => e.to_string(),
        };
        let expected_path = f.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, format!("{msg}\n")).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if msg != expected.trim_end() {
            failures.push(format!(
                "{}:\n  got:      {msg}\n  expected: {}",
                f.display(),
                expected.trim_end()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn there_is_an_invalid_example_for_every_kind_of_mistake() {
    for kind in [
        "unknown_key",
        "unknown_section",
        "wrong_type",
        "bad_colour",
        "unknown_action",
        "bad_key_syntax",
        "conflicting_bindings",
        "bad_regex",
        "regex_without_name",
        "bad_ambiguous_width",
        "toml_syntax",
        "unquittable",
        "overlay_without_close",
    ] {
        let p = Path::new("tests/configs/invalid").join(format!("{kind}.toml"));
        assert!(p.is_file(), "missing {}", p.display());
        assert!(p.with_extension("expected").is_file(), "missing expected message for {kind}");
    }
}

// --- messages -----------------------------------------------------------------------------

#[test]
fn a_typo_gets_the_nearest_valid_name() {
    assert_eq!(
        err("[keys]\nnext_trun = [\"t\"]\n"),
        "test.toml:2:1: unknown action \"next_trun\" in [keys] (did you mean \"next_turn\"?)"
    );
    assert!(err("[layout]\nshow_image = true").contains("(did you mean \"show_images\"?)"));
    assert!(err("[reading]\nresum = true").contains("(did you mean \"resume\"?)"));
    assert!(err("[theme]\npreset = \"lihgt\"").contains("(did you mean \"light\"?)"));
    assert!(err("[keys]\nquit = [\"<Escape2>\"]").contains("unknown key name"));
    assert!(err("[keys]\nquit = [\"Esc\"]").contains("\"<Esc>\""));
    assert!(err("[theme.dark]\ndim = \"darkgrey2\"").contains("(did you mean \"darkgrey\"?)"));
}

#[test]
fn positions_count_characters_not_bytes() {
    let e = err("[speakers.names]\n\"主持人\" = 3\n");
    assert!(e.starts_with("test.toml:2:9: "), "{e}");
}

#[test]
fn a_missing_explicit_file_is_an_error_naming_it() {
    let e = Config::load(Some(Path::new("no/such/fangtan.toml"))).unwrap_err().to_string();
    assert!(e.starts_with("no/such/fangtan.toml: cannot read: "), "{e}");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let c = user("\u{feff}[layout]\nmax_text_width = 70\n").unwrap();
    assert_eq!(c.layout.max_text_width, 70);
}

// --- layering -----------------------------------------------------------------------------

#[test]
fn a_user_file_overrides_only_what_it_sets() {
    let c = user("[layout]\nmax_text_width = 80\n").unwrap();
    let mut expected = Config::default();
    expected.layout.max_text_width = 80;
    assert_eq!(c, expected);

    let c = user("[theme]\npreset = \"light\"\n").unwrap();
    assert_eq!(c.theme.preset, Preset::Light);
    assert_eq!(c.theme.light, Config::default().theme.light);
}

#[test]
fn an_empty_user_file_is_the_defaults() {
    assert_eq!(user("").unwrap(), Config::default());
    assert_eq!(user("# nothing yet\n[keys]\n[layout]\n").unwrap(), Config::default());
}

#[test]
fn a_user_binding_replaces_only_that_actions_keys() {
    let c = user("[keys]\nnext_turn = [\"z\"]\n").unwrap();
    assert_eq!(c.keys.reader.keys_for(Action::NextTurn), &[KeyChord::ch('z')]);
    assert_eq!(c.keys.reader.lookup(KeyChord::ch('z')), Some(Action::NextTurn));
    assert_eq!(c.keys.reader.lookup(KeyChord::ch('}')), None);
    assert_eq!(c.keys.reader.keys_for(Action::PrevTurn), &[KeyChord::ch('{')]);
    for &a in Action::ALL.iter().filter(|&&a| a != Action::NextTurn) {
        assert_eq!(c.keys.reader.keys_for(a), Config::default().keys.reader.keys_for(a));
    }
    // Help order is kept.
    let order: Vec<Action> = c.keys.reader.bindings().iter().map(|(a, _)| *a).collect();
    assert_eq!(order, Action::ALL);
}

#[test]
fn a_key_can_move_to_another_action_when_its_old_action_is_rebound() {
    let c = user("[keys]\nquit = [\"Q\"]\nbookmark_list = [\"q\"]\n").unwrap();
    assert_eq!(c.keys.reader.lookup(KeyChord::ch('q')), Some(Action::BookmarkList));
    assert_eq!(c.keys.reader.lookup(KeyChord::ch('Q')), Some(Action::Quit));
}

#[test]
fn an_empty_list_unbinds_an_action() {
    let c = user("[keys]\ncopy_citation = []\nnext_turn = [\"y\"]\n").unwrap();
    assert!(c.keys.reader.keys_for(Action::CopyCitation).is_empty());
    assert_eq!(c.keys.reader.lookup(KeyChord::ch('y')), Some(Action::NextTurn));
}

#[test]
fn binding_a_key_of_another_action_names_both() {
    let e = err("[keys]\nnext_turn = [\"j\"]\n");
    assert!(e.contains("\"line_down\"") && e.contains("\"next_turn\""), "{e}");
    let e = err("[keys]\nnext_turn = [\"z\"]\nprev_turn = [\"z\"]\n");
    assert_eq!(
        e,
        "test.toml:3:14: key \"z\" is bound to both \"next_turn\" and \"prev_turn\" in [keys]"
    );
}

#[test]
fn a_keymap_without_a_way_to_quit_is_refused() {
    assert_eq!(
        err("[keys]\nforce_quit = []\nquit = []\n"),
        "test.toml:3:1: no key is left to quit: bind \"quit\" or \"force_quit\""
    );
    // One way out is enough.
    assert!(user("[keys]\nquit = []\n").is_ok());
    let c = user("[keys]\nforce_quit = []\nquit = [\"Q\"]\n").unwrap();
    assert_eq!(c.keys.reader.keys_for(Action::Quit), &[KeyChord::ch('Q')]);
}

#[test]
fn every_overlay_keeps_a_way_out() {
    assert_eq!(
        err("[keys.list]\nclose = []\n"),
        "test.toml:2:1: no key is left to close the bookmark list: bind \"close\" in [keys.list]"
    );
    assert_eq!(
        err("[keys.help_screen]\nclose = []\n"),
        "test.toml:2:1: no key is left to close the help screen: bind \"close\" in \
         [keys.help_screen]"
    );
    // An editor is left by cancel or by submit: one of them is enough, not neither.
    assert_eq!(
        err("[keys.note]\ncancel = []\nsubmit = []\n"),
        "test.toml:3:1: no key is left to leave the note editor: bind \"cancel\" or \"submit\" \
         in [keys.note]"
    );
    assert!(err("[keys.search_prompt]\nsubmit = []\ncancel = []\n").starts_with(
        "test.toml:3:1: no key is left to leave the search prompt: bind \"cancel\" or \"submit\""
    ));
    assert_eq!(
        err("[keys.quotes]\nclose = []\n"),
        "test.toml:2:1: no key is left to close the quote index: bind \"close\" in [keys.quotes]"
    );
    assert_eq!(
        err("[keys.talk]\nclose = []\n"),
        "test.toml:2:1: no key is left to close the talk-share panel: bind \"close\" in \
         [keys.talk]"
    );
    let c = user("[keys.note]\ncancel = []\n[keys.search_prompt]\nsubmit = []\n").unwrap();
    assert!(c.keys.note.keys_for(EditAction::Cancel).is_empty());
    assert_eq!(c.keys.search.keys_for(EditAction::Cancel), &[k("<Esc>")]);
    // Rebinding the way out is fine; so is unbinding every other key of the layer.
    let c = user("[keys.list]\nclose = [\"x\"]\nopen = []\ndelete = []\n").unwrap();
    assert_eq!(c.keys.list.lookup(KeyChord::ch('x')), Some(ListAction::Close));
    assert_eq!(c.keys.list.lookup(KeyChord::ch('q')), None);
}

#[test]
fn a_palette_role_wins_over_the_same_role_in_theme() {
    for text in [
        "[theme]\nquote = \"red\"\n[theme.dark]\nquote = \"blue\"\n",
        "[theme.dark]\nquote = \"blue\"\n[theme]\nquote = \"red\"\n",
    ] {
        let c = user(text).unwrap();
        assert_eq!((c.theme.dark.quote, c.theme.light.quote), (Color::Ansi(4), Color::Ansi(1)));
    }
}

#[test]
fn a_theme_role_in_theme_sets_both_palettes() {
    let c = user("[theme]\nquote = \"red\"\n").unwrap();
    assert_eq!(c.theme.dark.quote, Color::Ansi(1));
    assert_eq!(c.theme.light.quote, Color::Ansi(1));
    let c = user("[theme.light]\nquote = 208\n").unwrap();
    assert_eq!(c.theme.light.quote, Color::Indexed(208));
    assert_eq!(c.theme.dark.quote, Config::default().theme.dark.quote);
}

#[test]
fn speakers_feed_the_parser_options_and_label_patterns() {
    let c = Config::check(Path::new("tests/configs/valid/full.toml"))
        .and_then(|()| Config::load(Some(Path::new("tests/configs/valid/full.toml"))))
        .unwrap();
    let o = c.parse_options();
    assert_eq!(o.aliases.get("布拉德").map(String::as_str), Some("Brad"));
    assert_eq!(o.names.get("主持人Brad").map(String::as_str), Some("Brad Gerstner (host)"));
    let labels = c.label_patterns();
    assert_eq!(labels.len(), 2);
    let caps = labels[0].captures("[12:05] Jensen Huang: we build").unwrap();
    assert_eq!(&caps["name"], "Jensen Huang");
    assert_eq!(&caps["time"], "12:05");
    // Anchored at the start of the paragraph.
    assert!(labels[1].captures("so JH > said").is_none());
    assert!(labels[1].captures("JH > said").is_some());
    assert_eq!(c.speakers.colors.get("黄仁勋"), Some(&Color::Rgb(0x76, 0xb9, 0x00)));
}

#[test]
fn a_pattern_that_closes_the_anchor_group_is_still_rejected() {
    let e = err("[speakers]\nlabels = ['(?P<name>a)|(b']\n");
    assert!(e.contains("does not compile"), "{e}");
    let e = err("[speakers]\nlabels = ['x)|(?P<name>b']\n");
    assert!(e.contains("does not compile"), "{e}");
}

// --- colour -------------------------------------------------------------------------------

fn env(no_color: Option<&str>, colorterm: Option<&str>, term: Option<&str>) -> EnvInfo {
    EnvInfo {
        no_color: no_color.map(str::to_string),
        colorterm: colorterm.map(str::to_string),
        term: term.map(str::to_string),
    }
}

#[test]
fn no_color_removes_every_colour() {
    let t =
        Config::default().resolve_theme(&env(Some("1"), Some("truecolor"), Some("xterm-256color")));
    assert_eq!(t.depth, ColorDepth::None);
    assert!(t.colors.speakers.iter().all(Option::is_none));
    assert_eq!(t.colors.map(|c| c.is_some()), t.colors.map(|_| false), "{t:?}");
    // An empty NO_COLOR does not count (no-color.org).
    let t = Config::default().resolve_theme(&env(Some(""), Some("truecolor"), None));
    assert_eq!(t.depth, ColorDepth::TrueColor);
}

#[test]
fn truecolor_keeps_rgb_and_lesser_terminals_get_the_nearest() {
    let c = user("[theme]\nsearch_match = \"#ffaf00\"\n").unwrap();
    let t = c.resolve_theme(&env(None, Some("24bit"), Some("xterm")));
    assert_eq!(t.colors.search_match, Some(Color::Rgb(0xff, 0xaf, 0x00)));
    let t = c.resolve_theme(&env(None, None, Some("xterm-256color")));
    assert_eq!(t.colors.search_match, Some(Color::Indexed(214)));
    let t = c.resolve_theme(&env(None, None, Some("xterm")));
    assert!(matches!(t.colors.search_match, Some(Color::Ansi(_))));
    assert_eq!(env(None, None, Some("dumb")).depth(), ColorDepth::None);
    assert_eq!(env(None, None, None).depth(), ColorDepth::Ansi16);
}

#[test]
fn colour_fallbacks_pick_visibly_close_colours() {
    assert_eq!(nearest_256(0, 0, 0), 16);
    assert_eq!(nearest_256(255, 255, 255), 231);
    assert_eq!(nearest_256(0x80, 0x80, 0x80), 244);
    assert_eq!(nearest_16(250, 10, 10), 9);
    assert_eq!(nearest_16(0, 0, 139), 4);
    assert_eq!(Color::Indexed(196).at_depth(ColorDepth::Ansi16), Some(Color::Ansi(9)));
    assert_eq!(Color::Indexed(3).at_depth(ColorDepth::Ansi16), Some(Color::Ansi(3)));
    assert_eq!(Color::Default.at_depth(ColorDepth::Ansi16), Some(Color::Default));
}

#[test]
fn fixed_speaker_colours_win_over_the_palette() {
    let c = user("[speakers.colors]\n\"Brad\" = \"red\"\n").unwrap();
    let t = c.resolve_theme(&env(None, Some("truecolor"), None));
    assert_eq!(t.speaker_color("Brad", 0), Some(Color::Ansi(1)));
    assert_eq!(t.speaker_color("Jensen", 0), t.colors.speakers[0]);
    let n = t.colors.speakers.len();
    assert_eq!(t.speaker_color("Jensen", n + 1), t.colors.speakers[1]);
}

#[test]
fn colours_parse_and_display_in_config_syntax() {
    for s in ["red", "lightblue", "#0a0b0c", "default", "darkgray"] {
        assert_eq!(Color::from_name(s).unwrap().to_string(), s);
    }
    assert_eq!(Color::from_name("LightBlue"), Color::from_name("lightblue"));
    assert_eq!(Color::from_name("grey"), Color::from_name("gray"));
    for bad in ["#fff", "#12345g", "lightbleu", ""] {
        assert_eq!(Color::from_name(bad), None, "{bad}");
    }
}

// --- key syntax ---------------------------------------------------------------------------

fn k(s: &str) -> KeyChord {
    s.parse().unwrap()
}

#[test]
fn key_syntax_examples() {
    assert_eq!(k("j"), KeyChord::ch('j'));
    assert_eq!(k("}"), KeyChord::ch('}'));
    assert_eq!(k("<"), KeyChord::ch('<'));
    assert_eq!(k("<lt>"), KeyChord::ch('<'));
    assert_eq!(k("<C-f>"), KeyChord::ctrl('f'));
    assert_eq!(
        k("<c-F>"),
        KeyChord { key: Key::Char('F'), mods: Mods { ctrl: true, ..Mods::default() } }
    );
    assert_eq!(
        k("<A-x>"),
        KeyChord { key: Key::Char('x'), mods: Mods { alt: true, ..Mods::default() } }
    );
    assert_eq!(k("<M-x>"), k("<A-x>"));
    assert_eq!(k("<S-Tab>"), KeyChord::plain(Key::BackTab));
    assert_eq!(k("<S-g>"), KeyChord::ch('G'));
    assert_eq!(k("<space>"), KeyChord::plain(Key::Space));
    assert_eq!(k("<PageDown>"), KeyChord::plain(Key::PageDown));
    assert_eq!(k("<BS>"), KeyChord::plain(Key::Backspace));
    assert_eq!(k("<F12>"), KeyChord::plain(Key::F(12)));
    assert_eq!(k("<C-->"), KeyChord::ctrl('-'));
    assert!(k("<S-Up>").mods.shift);
    assert_eq!(k("中"), KeyChord::ch('中'));
}

#[test]
fn bad_key_syntax_is_refused() {
    assert_eq!("".parse::<KeyChord>(), Err(KeyParseError::Empty));
    assert_eq!("<>".parse::<KeyChord>(), Err(KeyParseError::Empty));
    assert!(matches!("gg".parse::<KeyChord>(), Err(KeyParseError::Sequence(_))));
    assert!(matches!("Space".parse::<KeyChord>(), Err(KeyParseError::Unbracketed(_))));
    assert!(matches!("<PageDwn>".parse::<KeyChord>(), Err(KeyParseError::UnknownName(_))));
    assert!(matches!("<X-a>".parse::<KeyChord>(), Err(KeyParseError::Modifier(_))));
    assert!(matches!("<S-1>".parse::<KeyChord>(), Err(KeyParseError::ShiftChar(_))));
    assert!(matches!("\t".parse::<KeyChord>(), Err(KeyParseError::Control(_))));
    assert!(matches!(" ".parse::<KeyChord>(), Err(KeyParseError::Control(_))));
    assert!(matches!("<F0>".parse::<KeyChord>(), Err(KeyParseError::UnknownName(_))));
}

#[test]
fn every_default_key_round_trips_through_its_config_spelling() {
    for (_, keys) in Config::builtin().keys.reader.bindings() {
        for &c in keys {
            assert_eq!(c.to_string().parse::<KeyChord>(), Ok(c), "{c}");
        }
    }
}

#[test]
fn a_chord_as_the_terminal_reports_it_finds_its_action() {
    let km = Keys::default().reader;
    let shifted_g = KeyChord { key: Key::Char('G'), mods: Mods { shift: true, ..Mods::default() } };
    assert_eq!(km.lookup(shifted_g), Some(Action::Bottom));
    let shift_tab = KeyChord { key: Key::BackTab, mods: Mods { shift: true, ..Mods::default() } };
    let km = Keymap::new(vec![(Action::SwitchPane, vec![k("<S-Tab>")])]);
    assert_eq!(km.lookup(shift_tab), Some(Action::SwitchPane));
    assert_eq!(Keys::default().reader.lookup(KeyChord::ch(' ')), Some(Action::PageDown));
}

fn any_key() -> impl Strategy<Value = Key> {
    prop_oneof![
        any::<char>().prop_map(Key::Char),
        Just(Key::Enter),
        Just(Key::Esc),
        Just(Key::Tab),
        Just(Key::BackTab),
        Just(Key::Backspace),
        Just(Key::Delete),
        Just(Key::Insert),
        Just(Key::Up),
        Just(Key::Down),
        Just(Key::Left),
        Just(Key::Right),
        Just(Key::Home),
        Just(Key::End),
        Just(Key::PageUp),
        Just(Key::PageDown),
        Just(Key::Space),
        (1u8..=24).prop_map(Key::F),
    ]
}

proptest! {
    /// Display ↔ parse: every chord a user can bind prints as text that parses back to it.
    #[test]
    fn key_syntax_round_trips(key in any_key(), ctrl: bool, alt: bool, shift: bool) {
        let c = KeyChord { key, mods: Mods { ctrl, alt, shift } }.normalize();
        prop_assume!(!matches!(c.key, Key::Char(ch) if ch.is_control()));
        prop_assume!(!(c.mods.shift && matches!(c.key, Key::Char(_))));
        let text = c.to_string();
        prop_assert_eq!(text.parse::<KeyChord>(), Ok(c), "{}", text);
    }

    /// No text makes the parser panic.
    #[test]
    fn key_parser_never_panics(s in "\\PC{0,8}|<[A-Za-z-]{0,8}>") {
        let _ = s.parse::<KeyChord>();
    }
}

// --- paths and docs -----------------------------------------------------------------------

#[test]
fn search_paths_follow_xdg_then_home() {
    let p = search_paths_in(Some(Path::new("/x/cfg")), Some(Path::new("/home/u")));
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].path, Path::new("/x/cfg/fangtan/config.toml"));
    let p = search_paths_in(Some(Path::new("rel")), Some(Path::new("/home/u")));
    assert_eq!(p[0].path, Path::new("/home/u/.config/fangtan/config.toml"));
    assert!(!p[0].exists);
    assert!(search_paths_in(None, None).is_empty());
}

#[test]
fn load_finds_the_user_file_under_xdg() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("fangtan")).unwrap();
    std::fs::write(dir.path().join("fangtan/config.toml"), "[reading]\nresume = false\n").unwrap();
    let p = search_paths_in(Some(dir.path()), None);
    assert!(p[0].exists);
    let c = Config::load(Some(&p[0].path)).unwrap();
    assert!(!c.reading.resume);
}

#[test]
fn readme_section_lists_every_action_and_the_shipped_file() {
    let md = readme_section();
    assert!(md.starts_with("## Configuration\n"));
    for &a in Action::ALL {
        assert!(md.contains(&format!("| `{}` |", a.name())), "{}", a.name());
    }
    assert!(md.contains(default_text().trim_end()));
    assert!(md.contains("| `page_down` | `<Space>` `<PageDown>` `<C-f>` |"));
}

// --- the overlays' tables ------------------------------------------------------------------

#[test]
fn every_overlay_has_its_table_in_the_shipped_file_with_every_action_bound() {
    use fangtan::keymap::{Actions, EditAction, HelpAction, Keymap, ListAction};
    fn check<A: Actions>(table: &str, keymap: &Keymap<A>) {
        let text = default_text();
        let at = text.find(&format!("\n[keys.{table}]\n")).unwrap_or_else(|| panic!("{table}"));
        let section = &text[at + 1..];
        let section = &section[..section[1..].find("\n[").map_or(section.len(), |i| i + 1)];
        let mut owner = std::collections::HashMap::new();
        for &a in A::ALL {
            // The history is the search prompt's: the note editor has none.
            if table == "note" && a.name().starts_with("history_") {
                continue;
            }
            assert!(!keymap.keys_for(a).is_empty(), "{table}: {} has no key", a.name());
            assert!(section.contains(&format!("\n{} = [", a.name())), "{table}: {}", a.name());
            for k in keymap.keys_for(a) {
                assert_eq!(*owner.entry(*k).or_insert(a), a, "{table}: {k} bound twice");
            }
        }
    }
    let keys = Config::default().keys;
    check::<ListAction>("list", &keys.list);
    check::<HelpAction>("help_screen", &keys.help);
    check::<EditAction>("note", &keys.note);
    check::<EditAction>("search_prompt", &keys.search);
}

#[test]
fn an_overlay_key_is_rebound_in_its_table_and_may_repeat_another_tables() {
    use fangtan::keymap::{HelpAction, ListAction};
    let c = user("[keys]\nnext_turn = [\"X\"]\n\n[keys.list]\ndelete = [\"X\"]\n").unwrap();
    assert_eq!(c.keys.list.lookup(KeyChord::ch('X')), Some(ListAction::Delete));
    assert_eq!(c.keys.list.lookup(KeyChord::ch('d')), None, "d no longer deletes");
    assert_eq!(c.keys.reader.lookup(KeyChord::ch('X')), Some(Action::NextTurn));
    assert_eq!(c.keys.list.keys_for(ListAction::Undo), &[KeyChord::ch('u')]);
    assert_eq!(c.keys.help, Config::default().keys.help, "other tables keep their defaults");
    let c = user("[keys.help_screen]\nclose = [\"<Esc>\"]\n").unwrap();
    assert_eq!(c.keys.help.lookup(KeyChord::ch('q')), None);
    assert_eq!(c.keys.help.keys_for(HelpAction::Down), &[KeyChord::ch('j'), k("<Down>")]);
}

#[test]
fn mistakes_in_an_overlays_table_are_located_and_named() {
    assert_eq!(
        err("[keys.list]\ndelete = [\"u\"]\n"),
        "test.toml:2:11: key \"u\" is bound to both \"undo\" (by default) and \"delete\" in \
         [keys.list]; rebind \"undo\" too, or unbind it with undo = []"
    );
    assert_eq!(
        err("[keys.note]\nsubmt = [\"<Enter>\"]\n"),
        "test.toml:2:1: unknown action \"submt\" in [keys.note] (did you mean \"submit\"?)"
    );
    let e = err("[keys.lst]\ndelete = [\"x\"]\n");
    assert!(
        e.starts_with("test.toml:1:7: unknown table [keys.lst] (did you mean [keys.list]?)"),
        "{e}"
    );
    // `help` and `search` are actions in [keys]: their overlays' tables have other names.
    let e = err("[keys.help]\nclose = [\"x\"]\n");
    assert!(e.starts_with("test.toml:1:7: unknown table [keys.help]"), "{e}");
    assert!(e.contains("[keys.help_screen]"), "{e}");
    assert!(err("[keys.search]\nsubmit = [\"x\"]\n").contains("[keys.search_prompt]"));
    let e = err("[keys]\nlist = [\"x\"]\n");
    assert!(
        e.starts_with("test.toml:2:8: \"list\" in [keys] is the table of the bookmark list"),
        "{e}"
    );
}

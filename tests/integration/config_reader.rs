#![allow(clippy::unwrap_used)]
//! The configuration as a reader meets it: speaker aliases and display names in `dump`,
//! `outline` and the reader; `NO_COLOR`; a remapped key in a real terminal.

use crate::support::tmux as support;
use crate::support::{frame, keys};

use std::process::Command;

use fangtan::app::{App, Msg, Options, update};
use fangtan::config::{Config, EnvInfo};
use fangtan::keymap::Action;
use fangtan::parse;
use fangtan::ui;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use support::{BIN, Tmux, have_tmux};

/// The same guest spelled two ways, as exports often do.
const TALK: &str = "# 两种写法\n\n## 正文\n\n\
**主持人小林：** 欢迎来到节目。今天请到了一位老朋友。\n\n\
**萨蒂亚：** 谢谢，很高兴来。\n\n\
**主持人小林：** 我们从头说起吧。\n\n\
**萨提亚：** 好的，那是很多年前的事了。\n";

const CONFIG: &str = "[speakers.aliases]\n\"萨蒂亚\" = \"萨提亚\"\n\n\
[speakers.names]\n\"主持人小林\" = \"Lin (host)\"\n";

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn alias_and_display_name_in_dump_and_outline() {
    let dir = tempfile::tempdir().unwrap();
    let talk = write(dir.path(), "talk.md", TALK);
    let cfg = write(dir.path(), "config.toml", CONFIG);
    let run = |sub: &str| {
        let o = Command::new(BIN).arg(sub).arg(&talk).arg("--config").arg(&cfg).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let dump: serde_json::Value = serde_json::from_str(&run("dump")).unwrap();
    let speakers = dump["speakers"].as_array().unwrap();
    assert_eq!(speakers.len(), 2, "the variant spelling merged: {speakers:?}");
    assert_eq!(speakers[1]["name"], "萨提亚");
    assert_eq!(speakers[1]["turns"], 2);
    assert_eq!(speakers[0]["display"], "Lin (host)");
    let outline = run("outline");
    assert!(outline.contains("Lin (host): 欢迎来到节目"), "{outline}");
    assert!(!outline.contains("萨蒂亚"), "{outline}");
}

#[test]
fn alias_and_display_name_in_the_reader() {
    let cfg = Config::from_user_text("config.toml", CONFIG).unwrap();
    let doc = parse::parse(TALK.to_string(), &cfg.parse_options());
    let mut app = App::new(doc, Options { file_name: "talk.md".into(), ..Default::default() });
    update(&mut app, Msg::Resize { width: 100, height: 30 });
    let screen = frame::render(&app);
    assert!(screen.contains("Lin (host)"), "display name shown");
    assert!(screen.contains("萨提亚"), "the canonical name shown: {screen}");
    assert!(!screen.contains("萨蒂亚"), "the variant spelling is gone everywhere: {screen}");
    // Without the alias the variant is on screen: the check above can see it.
    let plain = parse::parse(TALK.to_string(), &Config::default().parse_options());
    let mut app = App::new(plain, Options { file_name: "talk.md".into(), ..Default::default() });
    update(&mut app, Msg::Resize { width: 100, height: 30 });
    assert!(frame::render(&app).contains("萨蒂亚"));
}

#[test]
fn no_color_draws_without_colour_but_keeps_highlights_visible() {
    let cfg = Config::default();
    let env = EnvInfo { no_color: Some("1".into()), colorterm: None, term: Some("xterm".into()) };
    let doc = parse::parse(TALK.to_string(), &cfg.parse_options());
    let opts = Options {
        file_name: "talk.md".into(),
        theme: cfg.resolve_theme(&env),
        ..Default::default()
    };
    let mut app = App::new(doc, opts);
    update(&mut app, Msg::Resize { width: 80, height: 24 });
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    t.draw(|f| ui::draw(f, &app)).unwrap();
    let buf = t.backend().buffer();
    for c in buf.content() {
        assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "a coloured cell: {c:?}");
    }
    assert!(
        buf.content().iter().any(|c| c.modifier.contains(Modifier::REVERSED)),
        "the status line still stands out in reverse video"
    );
}

#[test]
fn a_remapped_key_works_in_the_terminal() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let talk = write(dir.path(), "talk.md", TALK);
    let cfg = write(dir.path(), "config.toml", "[keys]\nnext_turn = [\"<C-n>\"]\n");
    let args = format!("--config {} {}", cfg.display(), talk.display());
    let cmd = support::reader_command(&dir.path().join("data"), &args, "true");
    let t = Tmux::start("remap", 100, 30, &cmd);
    t.wait("the reader", |s| s.contains("两种写法"));
    t.keys(&["C-n", "C-n"]);
    t.wait("the second turn on top", |s| s.lines().next().is_some_and(|l| l.contains("萨蒂亚")));
    // The old key no longer moves: `}` is unbound now. Help opened after both keys shows
    // they were handled; then the reader is exactly one turn further, not two.
    t.keys(&["}", "C-n", "?"]);
    t.wait("help, after both keys", |s| s.contains("Esc closes"));
    t.keys(&["Escape"]);
    let s = t.wait("help closed", |s| !s.contains("Esc closes"));
    let rows: Vec<&str> = s.lines().take(2).collect();
    assert!(rows[0].contains("主持人小林") && rows[1].contains("我们从头说起吧"), "{s}");
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
}

#[test]
fn a_label_pattern_from_the_config_finds_speakers() {
    let dir = tempfile::tempdir().unwrap();
    // A court-record style the built-in rules don't know: `【Name 00:01:02】 text`.
    let talk = write(
        dir.path(),
        "record.txt",
        "【书记员 00:00:05】 现在开庭。\n\n【Judge Li 00:01:10】 Please be seated.\n\n【书记员 00:02:00】 记录完毕。\n",
    );
    let cfg = write(
        dir.path(),
        "config.toml",
        "[speakers]\nlabels = ['【(?P<name>[^】]+?) (?P<time>\\d+:\\d+:\\d+)】']\n",
    );
    let o = Command::new(BIN).arg("dump").arg(&talk).arg("--config").arg(&cfg).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let turns = v["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 3, "{v}");
    assert_eq!(turns[1]["speaker"], "Judge Li");
    assert_eq!(turns[1]["start"], "00:01:10");
    assert_eq!(turns[1]["paragraphs"][0], "Please be seated.");
    assert_eq!(v["speakers"][0]["turns"], 2);
}

/// The reading pane's text for a document under some reader options.
fn screen_with(src: &str, opts: Options) -> String {
    let doc = parse::parse(src.to_string(), &Default::default());
    let mut app = App::new(doc, opts);
    update(&mut app, Msg::Resize { width: 60, height: 20 });
    let mut t = Terminal::new(TestBackend::new(60, 20)).unwrap();
    t.draw(|f| ui::draw(f, &app)).unwrap();
    frame::text(t.backend().buffer())
}

#[test]
fn paragraph_spacing_and_show_images_change_the_reading_pane() {
    let src = "# 图与文\n\n**甲：** 第一段。\n\n![](https://example.org/a.png)\n\n第二段。\n";
    let base = screen_with(src, Options::default());
    assert!(base.contains("https://example.org/a.png"), "{base}");
    let hidden = screen_with(src, Options { show_images: false, ..Default::default() });
    assert!(!hidden.contains("example.org"), "{hidden}");
    let tight = screen_with(src, Options { paragraph_spacing: 0, ..Default::default() });
    let (b, t) = (rows(&base), rows(&tight));
    fn rows(s: &str) -> Vec<&str> {
        s.lines().map(str::trim_end).collect()
    }
    let at = |r: &[&str], what: &str| r.iter().position(|l| l.contains(what)).unwrap();
    assert!(at(&t, "第二段") - at(&t, "第一段") < at(&b, "第二段") - at(&b, "第一段"));
}

/// A talk that uses every colour role: title, heading, speakers, a quote, code, a link,
/// and times to listen by.
const RICH: &str = "# The lantern talk\n\n## Part one\n\n\
**Host (00:00:05):** Welcome. **A line worth quoting.** Some `code` and a \
[link](https://example.org). The lantern, and the lantern again.\n\n\
**Guest (00:00:09):** Thanks. One more lantern.\n\n## Part two\n\n**Host:** Goodbye.\n";

/// `RICH` read with `cfg` at 120x30 in a true-colour terminal: the first screen, then on
/// the second turn (the passage bar, the outline's selection), bookmarked, searched for
/// "lantern", and played (the spoken passage).
fn rich_screens(cfg: &Config) -> [Buffer; 2] {
    let env = EnvInfo { colorterm: Some("truecolor".into()), ..EnvInfo::default() };
    let doc = parse::parse(RICH.to_string(), &cfg.parse_options());
    let mut opts = Options::from_config(cfg, "rich.md".into(), &env);
    opts.media = Some("/tmp/rich.wav".into());
    let mut app = App::new(doc, opts);
    let mut t = Terminal::new(TestBackend::new(120, 30)).unwrap();
    update(&mut app, Msg::Resize { width: 120, height: 30 });
    t.draw(|f| ui::draw(f, &app)).unwrap();
    let first = t.backend().buffer().clone();
    update(&mut app, Msg::Action(Action::NextTurn));
    update(&mut app, Msg::Action(Action::ToggleBookmark));
    update(&mut app, Msg::Action(Action::Search));
    keys::typed(&mut app, "lantern\n");
    update(&mut app, Msg::Action(Action::Play));
    t.draw(|f| ui::draw(f, &app)).unwrap();
    [first, t.backend().buffer().clone()]
}

/// Every cell of the screens.
fn cells(screens: &[Buffer]) -> impl Iterator<Item = &ratatui::buffer::Cell> {
    screens.iter().flat_map(|b| b.content())
}

/// Every colour the screens' cells use, foreground and background.
fn colours_drawn(screens: &[Buffer]) -> std::collections::HashSet<Color> {
    cells(screens).flat_map(|c| [c.fg, c.bg]).collect()
}

#[test]
fn every_theme_key_is_drawn() {
    // Each role its own colour, set in [theme] (both palettes).
    let roles = [
        "title",
        "heading",
        "quote",
        "code",
        "link",
        "dim",
        "cursor",
        "bookmark",
        "outline_selection",
        "border",
        "search_match",
        "current_match",
        "match_fg",
        "status_fg",
        "status_bg",
        "spoken",
        "spoken_bg",
    ];
    let mut text = "[theme]\nspeakers = [\"#0a0001\", \"#0a0002\"]\n".to_string();
    for (i, role) in roles.iter().enumerate() {
        text.push_str(&format!("{role} = \"#0b00{i:02x}\"\n"));
    }
    let cfg = Config::from_user_text("theme.toml", &text).unwrap();
    let drawn = colours_drawn(&rich_screens(&cfg));
    for (i, role) in roles.iter().enumerate() {
        assert!(drawn.contains(&Color::Rgb(0x0b, 0, i as u8)), "{role} is not drawn");
    }
    for s in 1..=2 {
        assert!(drawn.contains(&Color::Rgb(0x0a, 0, s)), "speaker colour {s} is not drawn");
    }
    // The shipped file sets exactly these roles: a role added there must be added here.
    let shipped: toml::Table = toml::from_str(fangtan::config::default_text()).unwrap();
    let keys: Vec<&str> = shipped["theme"]["dark"]
        .as_table()
        .unwrap()
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "speakers")
        .collect();
    assert_eq!(keys, roles);
}

#[test]
fn a_bookmark_is_drawn_in_the_bookmark_colour() {
    let cfg = Config::from_user_text("b.toml", "[theme.dark]\nbookmark = \"#123456\"\n").unwrap();
    let screens = rich_screens(&cfg);
    let marks: Vec<_> = cells(&screens).filter(|c| c.symbol() == "✦").collect();
    assert!(!marks.is_empty(), "a bookmark mark is on screen");
    for c in marks {
        assert_eq!(c.fg, Color::Rgb(0x12, 0x34, 0x56), "{c:?}");
    }
}

/// A colour as an xterm shows it, for contrast.
fn rgb(c: Color) -> Option<(u8, u8, u8)> {
    use fangtan::config::Color as C;
    let ansi = |n| C::Ansi(n).rgb();
    match c {
        Color::Reset => None,
        Color::Rgb(r, g, b) => Some((r, g, b)),
        Color::Indexed(n) => C::Indexed(n).rgb(),
        Color::Black => ansi(0),
        Color::Red => ansi(1),
        Color::Green => ansi(2),
        Color::Yellow => ansi(3),
        Color::Blue => ansi(4),
        Color::Magenta => ansi(5),
        Color::Cyan => ansi(6),
        Color::Gray => ansi(7),
        Color::DarkGray => ansi(8),
        Color::LightRed => ansi(9),
        Color::LightGreen => ansi(10),
        Color::LightYellow => ansi(11),
        Color::LightBlue => ansi(12),
        Color::LightMagenta => ansi(13),
        Color::LightCyan => ansi(14),
        Color::White => ansi(15),
    }
}

/// WCAG contrast ratio of two colours.
fn contrast(a: (u8, u8, u8), b: (u8, u8, u8)) -> f64 {
    let lum = |(r, g, b): (u8, u8, u8)| {
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn the_light_preset_reads_on_a_light_background() {
    let cfg = Config::from_user_text("light.toml", "[theme]\npreset = \"light\"\n").unwrap();
    let screens = rich_screens(&cfg);
    // Text on the terminal's own (light) background, and on a highlight (a match, the
    // status line, a selection).
    for c in cells(&screens).filter(|c| !c.symbol().trim().is_empty()) {
        let Some(fg) = rgb(c.fg) else { continue };
        let bg = match c.bg {
            Color::Reset => (255, 255, 255),
            bg => rgb(bg).unwrap(),
        };
        let ratio = contrast(fg, bg);
        assert!(ratio >= 3.0, "{:?} {:?} on {:?}: contrast {ratio:.1}", c.symbol(), c.fg, c.bg);
    }
}

#[test]
fn every_colour_drawn_comes_from_the_palette() {
    for preset in ["dark", "light"] {
        let cfg = Config::from_user_text("t.toml", &format!("[theme]\npreset = \"{preset}\"\n"));
        let cfg = cfg.unwrap();
        let env = EnvInfo { colorterm: Some("truecolor".into()), ..EnvInfo::default() };
        let doc = parse::parse(RICH.to_string(), &cfg.parse_options());
        let theme = ui::Theme::from_config(&cfg.resolve_theme(&env), &doc);
        let mut allowed = vec![Color::Reset];
        theme.palette.map(|&c| allowed.push(c));
        for c in colours_drawn(&rich_screens(&cfg)) {
            assert!(allowed.contains(&c), "{preset}: {c:?} is not in the palette");
        }
    }
}

#![allow(clippy::unwrap_used)]
//! Text that used to be cut or shown raw: metadata values and image lines wrap, GFM tables
//! are aligned rows, `~~strike~~` is crossed out, footnotes are marks and notes, links
//! keep their target (shown dim, and listed for OSC 8 where safe); in the reading pane, in
//! the printed text and in search.

use fangtan::app::{App, Msg, Options, update};
use fangtan::doc::{BlockKind, Format};
use fangtan::print::laid_out;
use fangtan::width::{AmbiguousWidth, str_width};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Modifier;

use crate::support::doc::{all_blocks, parse_as};
use crate::support::keys;

const RICH: &str = include_str!("../fixtures/md/rich_text.md");
const AMB: AmbiguousWidth = AmbiguousWidth::Narrow;
const IMAGE: &str =
    "https://example.com/images/a-very-long-image-name-that-will-not-fit-in-a-narrow-pane.png";
const SOURCE: &str = "https://example.com/a/very/long/path/that/goes/on/and/on/for/quite/a/while/2024/interview.html";

fn printed(width: usize) -> String {
    laid_out(parse_as(Format::Markdown, RICH), Options::default(), width)
}

/// The printed text without its white space: what wrapping split is whole again.
fn squeezed(out: &str) -> String {
    out.split_whitespace().collect()
}

fn open(w: u16, h: u16) -> App {
    let mut app = App::new(parse_as(Format::Markdown, RICH), Options::default());
    update(&mut app, Msg::Resize { width: w, height: h });
    app
}

#[test]
fn metadata_values_and_image_lines_wrap_instead_of_being_cut() {
    for width in [20, 33, 40, 57] {
        let out = printed(width);
        assert!(out.lines().all(|l| str_width(l, AMB) <= width), "{width}:\n{out}");
        let all = squeezed(&out);
        assert!(all.contains(&format!("原文链接:{SOURCE}")), "{width}:\n{out}");
        assert!(all.contains(&format!("[图片/image]{IMAGE}")), "{width}:\n{out}");
    }
}

#[test]
fn a_table_is_aligned_rows_by_display_width() {
    let out = printed(60);
    let rows: Vec<&str> = out.lines().filter(|l| l.contains('│')).collect();
    assert_eq!(rows.len(), 3, "{out}");
    // Every row's bars stand in the same columns, CJK counted two cells wide.
    let bars = |l: &str| -> Vec<usize> {
        let mut col = 0;
        let mut at = Vec::new();
        for c in l.chars() {
            if c == '│' {
                at.push(col);
            }
            col += str_width(c.encode_utf8(&mut [0; 4]), AMB);
        }
        at
    };
    assert!(rows.iter().all(|r| bars(r) == bars(rows[0])), "{out}");
    assert!(rows[0].starts_with("名字") && rows[1].starts_with("张三丰"), "{out}");
    // The header rule crosses the bars; the right-aligned column ends at its bar.
    assert!(out.lines().any(|l| l.starts_with("───") && l.contains('┼')), "{out}");
    assert!(rows[1].contains(" 120 │"), "{out}");
}

#[test]
fn a_narrow_pane_wraps_or_stacks_a_table_and_never_cuts_it() {
    let doc = parse_as(Format::Markdown, RICH);
    let table = all_blocks(&doc).into_iter().find(|b| b.kind == BlockKind::Table).unwrap();
    let count = |s: &str, c: char| s.chars().filter(|&x| x == c).count();
    for width in 1..=48 {
        let out = printed(width);
        // Every character of every cell is printed (at width 1 no character two cells
        // wide fits anywhere, in a table or not).
        for c in table.text.chars().filter(|c| !c.is_whitespace()) {
            if width > 1 || c.is_ascii() {
                assert!(count(&out, c) >= count(table.text, c), "{c} lost at {width}:\n{out}");
            }
        }
        if width >= 2 {
            assert!(out.lines().all(|l| str_width(l, AMB) <= width), "{width}:\n{out}");
        }
    }
    // Where columns would be too narrow to read, each cell is a line of its own.
    let out = printed(15);
    assert!(out.lines().any(|l| l == "张三丰") && !out.contains('│'), "{out}");
}

#[test]
fn strike_is_crossed_out_footnotes_are_notes_and_links_show_their_target() {
    let app = open(60, 40);
    let mut t = Terminal::new(TestBackend::new(60, 40)).unwrap();
    let mut links = Vec::new();
    t.draw(|f| links = fangtan::ui::draw_linked(f, &app)).unwrap();
    let buf = t.backend().buffer();
    let screen = crate::support::frame::text(buf);
    assert!(!screen.contains("~~") && !screen.contains("[^1]"), "{screen}");
    assert!(screen.contains("我们先看一张表[1]"), "{screen}");
    assert!(screen.lines().any(|l| l.trim_start().starts_with("[1] 数据来自")), "{screen}");
    // The struck words are drawn crossed out, the words around them are not.
    let crossed: String = buf
        .content()
        .iter()
        .filter(|c| c.modifier.contains(Modifier::CROSSED_OUT))
        .map(|c| c.symbol())
        .filter(|s| !s.trim().is_empty())
        .collect();
    assert_eq!(crossed, "删掉的话");
    // The link's target follows its text; both are listed as a hyperlink, and the
    // `javascript:` link is shown but not listed.
    let flat = squeezed(&screen.replace('▎', ""));
    assert!(flat.contains("一篇文章<https://example.com/article?id=42>"), "{screen}");
    let urls: Vec<&str> = links.iter().map(|l| l.url).collect();
    assert!(urls.contains(&"https://example.com/article?id=42"), "{urls:?}");
    assert!(urls.contains(&IMAGE), "{urls:?}");
    assert!(urls.iter().all(|u| !u.starts_with("javascript")), "{urls:?}");
    assert!(flat.contains("点这里<javascript:alert(1)>"), "{screen}");
    // A link's cells are where its text is drawn.
    let article = links.iter().find(|l| l.url.ends_with("id=42")).unwrap();
    let row = screen.lines().nth(usize::from(article.y)).unwrap();
    assert!(row.contains("一篇文") || row.contains("<https"), "{row}");
}

#[test]
fn no_links_are_offered_while_an_overlay_covers_the_pane() {
    let mut app = open(60, 40);
    keys::typed(&mut app, "?");
    let mut t = Terminal::new(TestBackend::new(60, 40)).unwrap();
    let mut links = vec![];
    t.draw(|f| links = fangtan::ui::draw_linked(f, &app)).unwrap();
    assert!(links.is_empty(), "{links:?}");
}

/// The links drawn on `app`'s screen, at its size.
fn drawn_links(app: &App) -> Vec<(u16, u16, u16, String)> {
    let mut t = Terminal::new(TestBackend::new(app.width, app.height)).unwrap();
    let mut links = vec![];
    t.draw(|f| {
        links = fangtan::ui::draw_linked(f, app)
            .iter()
            .map(|l| (l.x, l.y, l.width, l.url.to_string()))
            .collect();
    })
    .unwrap();
    links
}

#[test]
fn no_link_cell_lies_under_the_outline_floating_over_the_pane_or_in_the_strip() {
    // Narrow: the outline (`o`) floats over the reading pane; what it covers is outline
    // rows, and none of them may open a link.
    let mut app = open(60, 40);
    assert!(app.panes().outline.is_none());
    let before = drawn_links(&app);
    assert!(before.iter().any(|l| l.0 < 40), "links under the outline-to-be: {before:?}");
    keys::typed(&mut app, "o");
    let p = app.panes();
    let outline = p.outline.filter(|_| p.overlay).expect("the outline floats");
    let links = drawn_links(&app);
    for (x, y, w, url) in &links {
        let covered = (*x..x + w).any(|c| outline.contains(c, *y));
        assert!(!covered, "{url} at {x}..{} of row {y} under the outline {outline:?}", x + w);
    }
    // Wide, with the timeline strip: every link cell is in the reading pane.
    let mut app = open(120, 40);
    keys::typed(&mut app, "t");
    let p = app.panes();
    assert!(p.strip.is_some());
    let links = drawn_links(&app);
    assert!(!links.is_empty());
    for (x, y, w, url) in &links {
        assert!((*x..x + w).all(|c| p.reader.contains(c, *y)), "{url} at {x} outside {p:?}");
    }
}

#[test]
fn a_link_of_megabytes_is_shown_and_never_copied_into_a_frame() {
    let huge = format!("https://x.org/{}", "a".repeat(5 << 20));
    let src = format!("# 链接\n\n先看[小文档](https://x.org/small)，再看[大文档]({huge})。\n");
    let mut app = App::new(parse_as(Format::Markdown, &src), Options::default());
    update(&mut app, Msg::Resize { width: 80, height: 24 });
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut links = vec![];
    t.draw(|f| links = fangtan::ui::draw_linked(f, &app).iter().map(|l| l.url.len()).collect())
        .unwrap();
    let screen = crate::support::frame::text(t.backend().buffer());
    assert!(squeezed(&screen.replace('▎', "")).contains("大文档<https://x.org/aaaa"), "{screen}");
    // The small link is offered; the huge one only shown, its target held by no link.
    assert!(links.contains(&"https://x.org/small".len()), "{links:?}");
    let max = fangtan::term::backend::MAX_URL;
    assert!(links.iter().all(|&n| n <= max), "{links:?}");
}

/// `src` open at `w`x`h`, searched for `query`: the reading pane the search lands on.
fn landed(src: &str, (w, h): (u16, u16), query: &str) -> String {
    let mut app = App::new(parse_as(Format::Markdown, src), Options::default());
    update(&mut app, Msg::Resize { width: w, height: h });
    keys::typed(&mut app, &format!("/{query}\n"));
    while app.search.as_ref().is_some_and(|s| s.scan.is_some()) {
        update(&mut app, Msg::Tick);
    }
    assert_eq!(app.search.as_ref().map(|s| s.matches.len()), Some(1), "{query}");
    // The reading pane: all but the status line (which shows the query).
    let screen = crate::support::frame::render(&app);
    let rows: Vec<&str> = screen.lines().collect();
    rows[..rows.len() - 1].join("\n")
}

#[test]
fn a_match_in_a_wrapped_table_cell_or_an_images_alt_text_lands_on_screen() {
    // A short screen: the table's rows are far from its start, so the search shows the
    // line its match is on (two lines above it), not the table's top.
    let rest = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥";
    let tall = format!("{rest}麒{rest}{rest}");
    let table =
        format!("| 很长很长很长的表头文字 | b |\n|---|---|\n| 一 | 二 |\n| {tall} | 尾 |\n");
    let screen = landed(&table, (24, 8), "麒");
    assert!(screen.contains('麒'), "the match is off screen:\n{screen}");
    // The alt text is not shown: a match in it lands on the image's first row.
    let alt = format!("{}，里面藏着麒麟", "一张很长很长的图片说明文字".repeat(3));
    let image = format!("![{alt}](https://example.com/{}.png)\n", "a-long-path/".repeat(8));
    let screen = landed(&image, (24, 8), "麒麟");
    assert!(screen.contains("[图片/image]"), "the image is off screen:\n{screen}");
}

#[test]
fn search_finds_text_in_tables_links_and_footnotes() {
    for (query, want) in [("武当山", 1), ("article?id", 1), ("2024 年的调查", 1), ("删掉", 1)]
    {
        let mut app = open(60, 20);
        keys::typed(&mut app, &format!("/{query}\n"));
        while app.search.as_ref().is_some_and(|s| s.scan.is_some()) {
            update(&mut app, Msg::Tick);
        }
        let found = app.search.as_ref().map_or(0, |s| s.matches.len());
        assert_eq!(found, want, "{query}");
    }
}

#[test]
fn tables_and_footnotes_are_named_in_the_dump() {
    let doc = parse_as(Format::Markdown, RICH);
    let kinds: Vec<BlockKind> = all_blocks(&doc).iter().map(|b| b.kind).collect();
    assert!(kinds.contains(&BlockKind::Table) && kinds.contains(&BlockKind::Footnote));
    // Outside turns a table and a note are paragraphs of their kind.
    let doc = parse_as(Format::Markdown, "# T\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[^n]: note\n");
    let json: serde_json::Value = serde_json::from_str(&fangtan::dump::json(&doc)).unwrap();
    let paragraphs = json["paragraphs"].as_array().unwrap();
    let kinds: Vec<&str> = paragraphs.iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["table", "footnote"]);
    assert_eq!(paragraphs[0]["text"], "a\tb\n1\t2");
    assert_eq!(paragraphs[1]["text"], "note");
}

#[test]
fn a_piped_table_prints_aligned() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_fangtan"))
        .args(["--width", "40"])
        .stdin(std::fs::File::open("tests/fixtures/md/rich_text.md").unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("张三丰 │  120 │"), "{text}");
    assert!(!text.contains('\u{1b}'), "no escape sequence on a pipe");
}

/// In a real terminal: the table is aligned, the long metadata value wraps, and the OSC 8
/// hyperlinks written after each frame leave no trace on a terminal that ignores them
/// (tmux before 3.4) or takes them.
#[test]
fn in_tmux_tables_wrap_and_hyperlinks_leave_no_trace() {
    use crate::support::tmux::{Tmux, have_tmux, reader_command};
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rich.md");
    std::fs::write(&file, RICH).unwrap();
    let cmd = reader_command(&dir.path().join("data"), &file.display().to_string(), "true");
    let t = Tmux::start("rich", 120, 50, &cmd);
    let s = t.wait("the reader", |s| s.contains("数据来自"));
    assert!(s.contains("张三丰 │  120 │"), "{s}");
    assert!(s.contains("interview.html"), "the metadata value wraps: {s}");
    assert!(s.contains("narrow-pane.png"), "the image line wraps: {s}");
    assert!(!s.contains("8;;") && !s.contains('\u{fffd}'), "{s}");
    // Scrolling redraws the links again, still without a trace.
    t.keys(&["j", "j", "k"]);
    let s = t.wait("scrolled", |s| s.contains("数据来自"));
    assert!(!s.contains("8;;"), "{s}");
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
}

#![allow(clippy::unwrap_used)]
//! The command line as a user meets it: exit statuses, one-line errors, stdin, the bundled
//! sample, and inputs that must neither panic nor hang.

use std::io::Write;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_fangtan");
/// The transcript bundled into the binary.
const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/sample.md");

/// The binary with no configuration of the user's: its own data directory and a home
/// without a config file.
pub(crate) fn fangtan() -> Command {
    let none = std::env::temp_dir().join("fangtan-tests-no-config");
    let mut c = Command::new(BIN);
    c.env("FANGTAN_DATA_DIR", std::env::temp_dir())
        // The library's index: never the user's cache folder.
        .env("FANGTAN_CACHE_DIR", std::env::temp_dir().join("fangtan-tests-cache"))
        .env("XDG_CONFIG_HOME", none.join("xdg"))
        .env("HOME", &none);
    c
}

fn run(args: &[&str]) -> Output {
    fangtan().args(args).output().unwrap()
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = fangtan()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Exit status 2 and exactly one line on stderr containing `what`.
pub(crate) fn fails_with(o: &Output, what: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert_eq!(err.lines().count(), 1, "one line: {err:?}");
    assert!(err.starts_with("fangtan: ") && err.contains(what), "{err:?}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn errors_are_one_line_with_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.md");
    fails_with(&run(&["dump", missing.to_str().unwrap()]), "nope.md: No such file or directory");
    fails_with(&run(&["dump", dir.path().to_str().unwrap()]), "");
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, "  \n\n\t\n").unwrap();
    fails_with(&run(&["outline", empty.to_str().unwrap()]), "no text");
    let bin = dir.path().join("photo.jpg");
    std::fs::write(&bin, [0xFFu8, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1])
        .unwrap();
    fails_with(&run(&["dump", bin.to_str().unwrap()]), "not a text file");
    fails_with(&run(&["dump", "--encoding", "klingon", empty.to_str().unwrap()]), "klingon");
}

#[test]
fn a_document_over_4_gb_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.md");
    // Sparse: the size is there, the bytes are not (reading it would take minutes).
    std::fs::File::create(&huge).unwrap().set_len(u64::from(u32::MAX) + 1).unwrap();
    for cmd in [&["dump"][..], &["wrap", "--width", "40"], &["dump", "--encoding", "gbk"]] {
        let mut args = cmd.to_vec();
        args.push(huge.to_str().unwrap());
        fails_with(&run(&args), "huge.md: too large (4294 MB); fangtan reads documents up to 4 GB");
    }
}

#[test]
fn a_bad_config_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("bad.toml");
    std::fs::write(&cfg, "[layout]\nmax_text_widht = 80\n").unwrap();
    let o = run(&["dump", "--config", cfg.to_str().unwrap()]);
    fails_with(&o, "bad.toml:2:1");
    assert!(String::from_utf8_lossy(&o.stderr).contains("max_text_width"), "suggests the name");
    let o = run(&["config", "--check", cfg.to_str().unwrap()]);
    fails_with(&o, "bad.toml:2:1");
}

#[test]
fn config_check_refuses_a_keymap_that_cannot_quit() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("keys.toml");
    std::fs::write(&cfg, "[keys]\nquit = []\nforce_quit = []\n").unwrap();
    fails_with(&run(&["config", "--check", cfg.to_str().unwrap()]), "keys.toml:3:1: no key");
    fails_with(&run(&["dump", "--config", cfg.to_str().unwrap()]), "keys.toml:3:1: no key");
}

#[test]
fn config_check_refuses_an_overlay_left_with_no_close_key() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("keys.toml");
    std::fs::write(&cfg, "[keys.help_screen]\nclose = []\n").unwrap();
    let o = run(&["config", "--check", cfg.to_str().unwrap()]);
    fails_with(&o, "keys.toml:2:1: no key is left to close the help screen");
    // Binding it again (to one key) is accepted.
    std::fs::write(&cfg, "[keys.help_screen]\nclose = [\"x\"]\n").unwrap();
    assert!(run(&["config", "--check", cfg.to_str().unwrap()]).status.success());
}

/// Run with `XDG_CONFIG_HOME` and `HOME` set, as a user's shell would.
fn run_in_home(args: &[&str], xdg: &std::path::Path, home: &std::path::Path) -> Output {
    fangtan().args(args).env("XDG_CONFIG_HOME", xdg).env("HOME", home).output().unwrap()
}

#[test]
fn the_config_in_xdg_config_home_is_found_checked_and_used() {
    let dir = tempfile::tempdir().unwrap();
    let (xdg, home) = (dir.path().join("xdg"), dir.path().join("home"));
    std::fs::create_dir_all(xdg.join("fangtan")).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    // Nothing there yet: the defaults, and `--check` without a path says so.
    let o = run_in_home(&["config", "--check"], &xdg, &home);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("no configuration file found"));

    let file = xdg.join("fangtan").join("config.toml");
    std::fs::write(&file, "[layout]\nmax_text_widht = 80\n").unwrap();
    let o = run_in_home(&["config", "--path"], &xdg, &home);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains(&format!("using {}", file.display())), "{out}");
    // `--check` without a path checks that file; any command refuses to start with it.
    fails_with(&run_in_home(&["config", "--check"], &xdg, &home), "config.toml:2:1");
    fails_with(&run_in_home(&["dump"], &xdg, &home), "config.toml:2:1");

    std::fs::write(&file, "[speakers.aliases]\n\"Dr. Wu\" = \"吴博士\"\n").unwrap();
    let o = run_in_home(&["config", "--check"], &xdg, &home);
    assert_eq!(String::from_utf8_lossy(&o.stdout), format!("{}: ok\n", file.display()));
    // Used: the bundled sample's `Dr. Wu` is listed under the alias's name.
    let o = run_in_home(&["speakers", SAMPLE], &xdg, &home);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("吴博士") && !out.contains("Dr. Wu"), "{out}");
}

#[test]
fn stdin_and_format_override() {
    let o = run_stdin(
        &["speakers", "-"],
        "Ann: hello there\n\nBo: hi\n\nAnn: bye\n\nBo: see you\n".as_bytes(),
    );
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("Ann") && out.contains("Bo"), "{out}");
    // Forced plain text keeps the stars a Markdown reading would take away.
    let o = run_stdin(&["dump", "--format", "plain", "-"], "甲：**你好**\n\n甲：再见\n".as_bytes());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["format"], "plain");
    assert_eq!(v["turns"][0]["paragraphs"][0], "**你好**");
}

#[test]
fn the_bundled_sample_is_a_transcript_of_three_speakers() {
    // Bare `fangtan` in a terminal opens it (e2e_tmux); here its text is checked.
    let o = run(&["dump", SAMPLE]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["format"], "markdown");
    assert!(v["turns"].as_array().unwrap().len() >= 30);
    assert!(v["speakers"].as_array().unwrap().len() >= 3);
}

#[test]
fn wrap_reads_stdin_and_keeps_the_contract() {
    let o = run_stdin(&["wrap", "--width", "10", "-"], "一二三四五六七八，九十\nab\n".as_bytes());
    assert!(o.status.success());
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(out, "一二三四五\n六七八，九\n十\n\nab\n");
}

#[test]
fn control_characters_are_flagged_and_replaced() {
    let o = run_stdin(&["dump", "-"], "甲：一\u{1b}[31m红\n\n甲：二\n".as_bytes());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["had_control_chars"], true);
    let p = v["turns"][0]["paragraphs"][0].as_str().unwrap();
    assert!(!p.contains('\u{1b}') && p.contains('␛'), "{p:?}");
}

#[test]
fn huge_inputs_neither_panic_nor_hang() {
    let dir = tempfile::tempdir().unwrap();
    // 200,000 turns.
    let mut s = String::with_capacity(6 << 20);
    for i in 0..200_000 {
        s.push_str(["**甲：** 第", "**Bo:** turn "][i % 2]);
        s.push_str(&i.to_string());
        s.push_str("\n\n");
    }
    let many = dir.path().join("many.md");
    std::fs::write(&many, &s).unwrap();
    let o = run_within(&["speakers", many.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("100000 turns"));
    // One 5 MB line without a single break.
    let line = dir.path().join("line.txt");
    std::fs::write(&line, "没有换行的一句话，".repeat(5 << 20 >> 5)).unwrap();
    let o = run_within(&["outline", line.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Truncated UTF-8 at the end is still text.
    let cut = dir.path().join("cut.md");
    let mut bytes = "**甲：** 你好\n\n**甲：** 再见".as_bytes().to_vec();
    bytes.pop();
    std::fs::write(&cut, bytes).unwrap();
    assert!(run_within(&["dump", cut.to_str().unwrap()]).status.success());
}

/// [`run`], failing (and killing the process) if it does not end within a minute: a hang
/// is a failure, not a stalled test run. Generous: a debug build on a loaded machine.
fn run_within(args: &[&str]) -> Output {
    let mut child =
        fangtan().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    // Drain both pipes meanwhile, so a big output cannot block the child.
    fn drain(mut r: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            r.read_to_end(&mut v).unwrap();
            v
        })
    }
    let out = drain(child.stdout.take().unwrap());
    let err = drain(child.stderr.take().unwrap());
    let end = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > end {
            child.kill().unwrap();
            panic!("fangtan {args:?} did not end within a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output { status, stdout: out.join().unwrap(), stderr: err.join().unwrap() }
}

/// Characters that would act on a terminal if printed raw: C0 controls but the line break,
/// DEL, C1, and the bidi controls.
fn raw_controls(s: &str) -> Vec<char> {
    s.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}')
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
        })
        .collect()
}

#[test]
fn bookmarks_print_no_raw_control_or_bidi_character_in_any_format() {
    use fangtan::parse::{self, ParseOptions};
    use fangtan::store::{Anchor, DocId, Marks, Store, Toggled};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // A file name with a bidi override; with no title, the name is the export's title.
    let file = dir.path().join("report\u{202e}dm.txt.md");
    std::fs::write(&file, "**甲：**第一段。\n\n**乙：**第二段。\n").unwrap();
    let doc = parse::parse(std::fs::read_to_string(&file).unwrap(), &ParseOptions::default());
    let mut marks = Marks::new(DocId::for_doc(&file, &doc));
    let Some(Toggled::Added(id)) = marks.toggle(&doc, Anchor::at(&doc, 0, 0), 1) else {
        panic!("no bookmark added");
    };
    let note = "看这里\u{202e}exe.txt\u{1b}[31m红\u{7f}\u{85}\u{2066}完";
    assert!(marks.set_note(&id, note, 2));
    Store::new(&data).save(&mut marks, &doc).unwrap();
    let out = |args: &[&str]| {
        let o = fangtan().args(args).env("FANGTAN_DATA_DIR", &data).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let f = file.to_str().unwrap();

    // Markdown: the text, with the controls shown as the reader shows them.
    let md = out(&["bookmarks", f]);
    assert_eq!(raw_controls(&md), Vec::<char>::new(), "{md:?}");
    assert!(md.contains("**Note:** 看这里\u{fffd}exe.txt␛[31m红␡\u{fffd}\u{fffd}完"), "{md}");
    assert!(md.starts_with("# report\u{fffd}dm.txt.md"), "{md}");

    // JSON: the same characters, escaped; parsed back, the text is whole.
    let json = out(&["bookmarks", "--format", "json", f]);
    assert_eq!(raw_controls(&json), Vec::<char>::new(), "{json:?}");
    assert!(json.contains("\\u202e"), "{json}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["bookmarks"][0]["note"], note);
    assert_eq!(v["title"], "report\u{202e}dm.txt.md");
    assert!(v["path"].as_str().unwrap().ends_with("report\u{202e}dm.txt.md"), "{v}");

    // The overview of every document.
    let all = out(&["bookmarks", "--all"]);
    assert_eq!(raw_controls(&all), Vec::<char>::new(), "{all:?}");
    assert!(all.contains("report\u{fffd}dm.txt.md"), "{all}");
}

#[test]
fn bookmarks_with_a_file_for_a_data_folder_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let doc = dir.path().join("doc.md");
    std::fs::write(&doc, "**甲：**第一段。\n").unwrap();
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "").unwrap();
    for args in [vec!["bookmarks", doc.to_str().unwrap()], vec!["bookmarks", "--all"]] {
        let o = fangtan().args(&args).env("FANGTAN_DATA_DIR", &blocker).output().unwrap();
        fails_with(&o, &format!("{} is a file, not a folder", blocker.display()));
        assert!(!String::from_utf8_lossy(&o.stderr).contains("os error"));
    }
}

#[test]
fn json_of_no_transcript_shape_is_refused_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("list.json");
    std::fs::write(&path, include_str!("../fixtures/json/not_transcript.json")).unwrap();
    let o = run(&["dump", path.to_str().unwrap()]);
    fails_with(&o, "JSON, but not a transcript I know: top-level keys name, items, owner");
    // Read from standard input, and with the format forced, the same.
    let o = run_stdin(&["--format", "json", "dump", "-"], b"{\"rows\": [1, 2]}");
    fails_with(&o, "top-level keys rows");
}

#[test]
fn chapters_beside_a_json_transcript_become_its_sections() {
    let dir = tempfile::tempdir().unwrap();
    let talk = dir.path().join("keeper.json");
    std::fs::write(&talk, include_str!("../fixtures/json/podcast20.json")).unwrap();
    let chapters = r#"{"version": "1.2.0", "chapters": [
        {"startTime": 0, "title": "Welcome"},
        {"startTime": 3.2, "title": "Hidden", "toc": false},
        {"startTime": 6.5, "title": "Eleven winters"}]}"#;
    std::fs::write(dir.path().join("keeper.chapters.json"), chapters).unwrap();
    let o = run(&["dump", talk.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let d: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let titles: Vec<&str> =
        d["sections"].as_array().unwrap().iter().map(|s| s["title"].as_str().unwrap()).collect();
    assert_eq!(titles, ["Welcome", "Eleven winters"]);
    assert_eq!(d["turns"][0]["section"], "Welcome");
    assert_eq!(d["turns"][1]["section"], "Eleven winters");
    // Given on the command line instead; a broken one is an error, not missing sections.
    let other = dir.path().join("other.json");
    std::fs::write(&other, "{\"chapters\": [{\"title\": \"no start\"}]}").unwrap();
    let o = run(&["dump", talk.to_str().unwrap(), "--chapters", other.to_str().unwrap()]);
    fails_with(&o, "not a chapters file");
}

/// A transcript for the printed-text tests: a title, metadata, a section, timed turns.
const TIMED: &str = "WEBVTT\n\n00:00:12.000 --> 00:00:15.000\n<v Ann>hello there, this is a \
sentence long enough to wrap at twenty cells.\n\n00:01:05.000 --> 00:01:09.000\n<v Bo>好的，\
我们从头说起吧，今天天气很好。\n";

fn printed_rows(out: &str) -> Vec<&str> {
    out.lines().collect()
}

#[test]
fn piped_text_is_read_without_a_dash_and_printed_laid_out() {
    // `cat file | fangtan | cat`: no `-`, no full-screen reader.
    let o = run_stdin(&["--width", "20"], TIMED.as_bytes());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(!out.contains('\u{1b}'), "no escape sequence: {out:?}");
    let rows = printed_rows(&out);
    let ann = rows.iter().position(|r| *r == "Ann  00:12").expect(&out);
    assert_eq!(rows[ann + 1], "hello there, this is");
    assert!(rows.contains(&"Bo  01:05"), "{out}");
    for r in &rows {
        let w = fangtan::width::str_width(r, fangtan::width::AmbiguousWidth::Narrow);
        assert!(w <= 20, "row wider than 20: {r:?}");
    }
    assert!(out.contains("好的，"), "{out}");
    // `--no-times` leaves the times out, as in the reader.
    let o = run_stdin(&["--width", "20", "--no-times"], TIMED.as_bytes());
    assert!(String::from_utf8(o.stdout).unwrap().lines().any(|r| r == "Ann"));
}

#[test]
fn a_file_printed_to_a_pipe_has_title_metadata_sections_and_wraps_at_columns() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("talk.md");
    std::fs::write(
        &f,
        "# 山居对谈\n\n作者：测试编辑\n\n## 第一部分\n\n**阿青：**欢迎两位来到山里，我们一边走一边说话。\n\n\
**老周：**谢谢。\n",
    )
    .unwrap();
    let o = fangtan().arg(&f).env("COLUMNS", "16").output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    let rows = printed_rows(&out);
    assert_eq!(rows[0], "山居对谈", "{out}");
    assert_eq!(rows[1], "作者: 测试编辑", "{out}");
    assert!(
        rows.contains(&"第一部分") && rows.contains(&"阿青") && rows.contains(&"老周"),
        "{out}"
    );
    // The speaker legend belongs to the reader's keys, not to paper.
    assert!(!out.contains("jumps to"), "{out}");
    // Wrapped at 16 cells, a closing mark never starting a row.
    assert!(rows.contains(&"欢迎两位来到山") && rows.contains(&"里，我们一边走一"), "{out}");
    // `| head`: a pipe closed early is no error.
    let mut child =
        fangtan().arg(&f).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
    fails_with(&fangtan().arg(&f).args(["--width", "0"]).output().unwrap(), "--width");
}

#[test]
fn printing_commands_read_piped_text_without_a_dash() {
    let o = run_stdin(&["speakers"], TIMED.as_bytes());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("Ann") && out.contains("Bo"), "{out}");
    // Nothing piped in (an empty standard input) is an empty text, not the sample.
    fails_with(&run(&["dump"]), "no text");
}

#[test]
fn a_starting_position_is_for_the_reader_only_and_must_be_well_formed() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t.md");
    std::fs::write(&f, "**甲：**一\n\n**乙：**二\n").unwrap();
    let f = f.to_str().unwrap();
    fails_with(&run(&["+x", f]), "+N");
    fails_with(&run(&["+/", f]), "pattern");
    fails_with(&run(&["dump", "+2", f]), "without a command");
    // Printed, the whole text is printed whatever the starting position.
    let o = run(&["+2", f]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn stdout_of(args: &[&str]) -> String {
    let o = run(args);
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn each_command_lists_only_its_own_options() {
    let wrap = stdout_of(&["wrap", "--help"]);
    assert!(wrap.contains("--width") && wrap.contains("--encoding"), "{wrap}");
    for other in ["--no-resume", "--no-times", "--format", "--chapters"] {
        assert!(!wrap.contains(other), "{other} on wrap: {wrap}");
    }
    let dump = stdout_of(&["dump", "--help"]);
    assert!(dump.contains("--format") && dump.contains("[FILE]"), "{dump}");
    assert!(!dump.contains("--no-resume") && !dump.contains("--export"), "{dump}");
    assert!(dump.contains("Transcript to read"), "[FILE] described: {dump}");
    // The input format and the bookmark export are two options.
    let marks = stdout_of(&["bookmarks", "--help"]);
    assert!(marks.contains("--export") && !marks.contains("webvtt"), "{marks}");
    let config = stdout_of(&["config", "--help"]);
    assert!(!config.contains("--encoding") && config.contains("--config"), "{config}");
    let top = stdout_of(&["--help"]);
    assert!(top.contains("--no-resume") && top.contains("Examples:"), "{top}");
    for env in ["FANGTAN_DATA_DIR", "NO_COLOR", "XDG_CONFIG_HOME", "XDG_DATA_HOME"] {
        assert!(top.contains(env), "{env}: {top}");
    }
    assert!(top.trim_end().ends_with("press ? for the keys."), "{top}");
}

#[test]
fn a_mistyped_command_is_named_and_the_right_one_suggested() {
    let sample = SAMPLE;
    fails_with(
        &run(&["speaker", sample]),
        "`speaker`: no such file or command; did you mean `fangtan speakers`?",
    );
    fails_with(&run(&["--format", "json", "dumpp"]), "did you mean `fangtan dump`?");
    fails_with(&run(&["Outline", sample]), "did you mean `fangtan outline`?");
    // A file of that name is read, not corrected.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("speaker");
    std::fs::write(&f, "**甲：**一\n\n**乙：**二\n").unwrap();
    let o = fangtan().current_dir(dir.path()).args(["speaker"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A name far from every command is a missing file.
    fails_with(&run(&["interview.md"]), "interview.md");
}

#[test]
fn widths_of_zero_are_refused_and_one_turn_is_singular() {
    fails_with(&run_stdin(&["wrap", "--width", "0"], b"text\n"), "--width must be at least 1");
    let o = run_stdin(&["speakers"], b"A: hi\n\nB: yo\n\nA: x\n\nB: y\n\nC: z\n");
    let out = String::from_utf8(o.stdout).unwrap();
    assert!(out.contains("   1 turn ") && out.contains("   2 turns"), "{out}");
    assert!(!out.contains("1 turns"), "{out}");
}

#[test]
fn bookmarks_export_is_named_export_and_format_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("t.md");
    std::fs::write(&f, "**甲：**一\n\n**乙：**二\n").unwrap();
    let f = f.to_str().unwrap();
    let data = dir.path().join("data");
    let out = |args: &[&str]| {
        let o = fangtan().args(args).env("FANGTAN_DATA_DIR", &data).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let json = out(&["bookmarks", f, "--export", "json"]);
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok(), "{json}");
    assert_eq!(out(&["bookmarks", f, "--format", "json"]), json);
    assert!(!out(&["bookmarks", f]).trim_start().starts_with('{'));
    // An input format is no export format (clap's usage message, status 2).
    let o = run(&["bookmarks", f, "--export", "webvtt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("possible values: markdown, json"));
}

#[test]
fn completions_and_a_man_page_are_printed() {
    for shell in ["bash", "zsh", "fish"] {
        let s = stdout_of(&["completions", shell]);
        assert!(s.contains("speakers") && s.contains("no-resume"), "{shell}: {s}");
    }
    let man = stdout_of(&["man"]);
    assert!(man.contains(".TH fangtan 1") && man.contains("speakers"), "{man}");
}

#[test]
fn at_takes_a_time_of_the_recording_or_says_what_a_time_looks_like() {
    let o = run(&["--at", "half past two", "x.md"]);
    fails_with(&o, "write HH:MM:SS, MM:SS or seconds");
}

#[test]
fn bookmarks_of_a_timed_transcript_are_printed_with_their_times() {
    use fangtan::store::{Anchor, DocId, Marks, Store};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("talk.md");
    let text = crate::support::doc::timed_talk(5);
    std::fs::write(&file, &text).unwrap();
    let doc = fangtan::parse::parse(text, &Default::default());
    let data = dir.path().join("data");
    let mut marks = Marks::new(DocId::for_doc(&file, &doc));
    marks.toggle(&doc, Anchor::at(&doc, doc.turns[1].item(), 0), 1);
    Store::new(&data).save(&mut marks, &doc).unwrap();
    let o = fangtan().env("FANGTAN_DATA_DIR", &data).args(["bookmarks"]).arg(&file).output();
    let out = String::from_utf8(o.unwrap().stdout).unwrap();
    assert!(out.contains("— Mara [00:02:03]"), "{out}");
}

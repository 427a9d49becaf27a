#![allow(clippy::unwrap_used)]
//! Bookmarks end to end in a real terminal: tmux runs the binary with its own data
//! directory; we bookmark, type a Chinese note, quit (or are killed), reopen, and read the
//! export; and with a data directory that cannot be written, nothing is lost unsaid.
//! Without tmux these tests say they were skipped and pass.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::tmux as support;

use support::{
    BIN, LongTranscript, Tmux, have_tmux, reader_command, reader_command_with, reading_rows,
};

/// Type text as it is (UTF-8), not as key names.
fn literal(t: &Tmux, text: &str) {
    t.tmux(&["send-keys", "-t", "t", "-l", text]);
}

/// The ferry transcript.
fn fixture(dir: &Path) -> PathBuf {
    LongTranscript {
        title: "渡口访谈",
        halves: ["上午", "下午"],
        who: ["**船工老林：**", "**记者小苏：**", "**Ada:** "],
        turns: 30,
        zh: "第{i}回，渡口的雾很浓，船慢慢地离岸，岸上的人挥手。",
        en: "Part {i}: the ferry leaves at dawn and the fog is thick on the water. ",
        times: [4, 3],
    }
    .write(&dir.join("ferry.md"))
}

fn command(data: &Path, file: &Path) -> String {
    reader_command(data, &file.display().to_string(), "true")
}

/// The status line (the last row).
fn status(screen: &str) -> String {
    screen.lines().last().unwrap_or("").to_string()
}

#[test]
fn bookmark_with_a_chinese_note_survives_a_restart() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    let data = dir.path().join("data");
    let note = "雾里认路，记下来";

    let t = Tmux::start("first", 100, 30, &command(&data, &file));
    t.wait("the reader", |s| s.contains("渡口访谈") && s.contains("ferry.md"));
    for _ in 0..7 {
        t.keys(&["}"]);
    }
    t.wait("turn 6", |s| reading_rows(s)[1].starts_with("第6回"));
    t.keys(&["j", "j"]);
    let before = t.wait("two lines into turn 6", |s| {
        let r = reading_rows(s);
        r[0].contains("第6回") && !r[0].starts_with("第6回")
    });
    let top = reading_rows(&before)[0].clone();
    t.keys(&["m"]);
    t.wait("bookmarked", |s| status(s).contains("bookmarked"));
    t.keys(&["a"]);
    t.wait("the note editor", |s| s.contains("Enter saves"));
    literal(&t, note);
    t.wait("the note typed", |s| s.contains(note));
    t.keys(&["Enter"]);
    t.wait("saved", |s| status(s).contains("note saved"));
    t.keys(&["q"]);
    let s = t.wait("exit", |s| s.contains("EXIT="));
    assert!(s.contains("EXIT=0"), "{s}");
    drop(t);

    let t = Tmux::start("second", 100, 30, &command(&data, &file));
    let s = t.wait("resumed", |s| status(s).contains("resumed at"));
    assert!(status(&s).contains("船工老林, 上午"), "{s}");
    assert_eq!(reading_rows(&s)[0], top, "same passage on top:\n{s}");
    // The passage carries the mark in the gutter (and its turn in the outline).
    assert!(s.lines().filter(|l| l.contains('✦')).count() >= 2, "{s}");
    t.keys(&["'"]);
    let s = t.wait("the list", |s| s.contains("Bookmarks"));
    assert!(s.contains(note) && s.contains("船工老林 · 上午"), "{s}");
    // Escape and q sent together read as Alt-q: wait for the list to close first.
    t.keys(&["Escape"]);
    t.wait("the list closed", |s| !s.contains("Bookmarks"));
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));

    let out = Command::new(BIN).arg("bookmarks").arg(&file).env("FANGTAN_DATA_DIR", &data).output();
    let out = out.unwrap();
    assert!(out.status.success());
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# 渡口访谈"), "{md}");
    assert!(md.contains("> 第6回，渡口的雾很浓"), "{md}");
    assert!(md.contains("— 船工老林, 上午"), "{md}");
    assert!(md.contains(&format!("**Note:** {note}")), "{md}");

    let out = Command::new(BIN)
        .args(["bookmarks", "--format", "json"])
        .arg(&file)
        .env("FANGTAN_DATA_DIR", &data)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["bookmarks"][0]["note"], note);

    let out = Command::new(BIN)
        .args(["bookmarks", "--all"])
        .env("FANGTAN_DATA_DIR", &data)
        .output()
        .unwrap();
    let all = String::from_utf8(out.stdout).unwrap();
    assert!(all.starts_with("1 bookmark, last read ") && all.contains("ferry.md"), "{all}");

    // Dates are the reader's local time: the same moment in two zones, eight hours apart.
    let last_read = |tz: &str| {
        let out = Command::new(BIN)
            .args(["bookmarks", "--all"])
            .env("FANGTAN_DATA_DIR", &data)
            .env("TZ", tz)
            .output()
            .unwrap();
        let all = String::from_utf8(out.stdout).unwrap();
        let when = all.trim_start_matches("1 bookmark, last read ");
        let (date, rest) = when.split_once(' ').expect("a date");
        let (clock, rest) = rest.split_once(' ').expect("a time");
        let zone = rest.split_whitespace().next().unwrap_or("").to_string();
        let hour: i64 = clock[..2].parse().expect("an hour");
        (date.to_string(), hour, zone)
    };
    let (utc_date, utc_hour, utc) = last_read("UTC0");
    let (cst_date, cst_hour, cst) = last_read("CST-8");
    assert_eq!((utc.as_str(), cst.as_str()), ("UTC", "CST"));
    let shift = (cst_hour - utc_hour).rem_euclid(24);
    assert_eq!(shift, 8, "{utc_date} {utc_hour} / {cst_date} {cst_hour}");
}

#[test]
fn no_resume_opens_at_the_top() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    let data = dir.path().join("data");
    let t = Tmux::start("deep", 100, 30, &command(&data, &file));
    t.wait("the reader", |s| s.contains("渡口访谈"));
    t.keys(&["}", "}", "}", "}", "q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
    drop(t);
    let cmd = reader_command(&data, &format!("--no-resume {}", file.display()), "true");
    let t = Tmux::start("top", 100, 30, &cmd);
    let s = t.wait("the reader", |s| s.contains("ferry.md"));
    assert!(reading_rows(&s)[0].contains("渡口访谈"), "{s}");
    assert!(!s.contains("resumed at"), "{s}");
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
    drop(t);
    // The position was saved all the same: without the flag the reader resumes.
    let t = Tmux::start("again", 100, 30, &command(&data, &file));
    t.wait("resumed", |s| s.contains("resumed at"));
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
}

/// `fangtan bookmarks FILE` with the data directory `data`: its Markdown.
fn exported(file: &Path, data: &Path) -> String {
    let out = Command::new(BIN).arg("bookmarks").arg(file).env("FANGTAN_DATA_DIR", data).output();
    let out = out.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_note_being_typed_survives_sigterm_and_sighup() {
    if !have_tmux() || Command::new("pgrep").arg("-V").output().is_err() {
        eprintln!("skipped: tmux or pgrep not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    for (sig, code) in [("TERM", 143), ("HUP", 129)] {
        let data = dir.path().join(format!("data-{sig}"));
        let note = format!("写到一半就被关了 {sig}");
        let t = Tmux::start(&format!("killed-{sig}"), 100, 30, &command(&data, &file));
        t.wait("the reader", |s| s.contains("渡口访谈") && s.contains("ferry.md"));
        t.keys(&["}", "}"]);
        t.wait("a turn", |s| status(s).contains("上午"));
        t.keys(&["a"]);
        t.wait("the note editor", |s| s.contains("Enter saves"));
        literal(&t, &note);
        t.wait("the note typed", |s| s.contains(&note));
        let pid = t.reader_pid();
        Command::new("kill").args([&format!("-{sig}"), &pid]).status().unwrap();
        let s = t.wait("exit", |s| s.contains("EXIT="));
        assert!(s.contains(&format!("EXIT={code}")), "SIG{sig}:\n{s}");
        drop(t);
        let md = exported(&file, &data);
        assert!(md.contains(&format!("**Note:** {note}")), "SIG{sig}: {md}");
    }
}

#[test]
fn bookmarks_the_store_cannot_take_stay_marked_and_are_recovered_on_quit() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    // A file where the data directory should be: running as root, read-only modes would
    // not stop a write.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, "not a folder").unwrap();
    let tmp = dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let stderr = dir.path().join("stderr.txt");
    let env = format!("FANGTAN_DATA_DIR={} TMPDIR={}", blocker.display(), tmp.display());
    let args = format!("{} 2>{}", file.display(), stderr.display());
    let note = "存不下的笔记";

    let t = Tmux::start("unsaved", 160, 30, &reader_command_with(dir.path(), &env, &args, "true"));
    // What is wrong is said in words, not as "Not a directory (os error 20)".
    let s = t.wait("the reader", |s| s.contains("渡口访谈"));
    assert!(status(&s).contains("is a file, not a folder"), "{s}");
    assert!(!s.contains("os error"), "{s}");
    t.keys(&["}", "}", "m"]);
    t.wait("the failed save", |s| status(s).contains("unsaved ✦1"));
    // The message goes with the next key; the mark stays.
    t.keys(&["j"]);
    let s = t.wait("the message gone", |s| !status(s).contains("cannot save"));
    assert!(status(&s).contains("unsaved ✦1"), "{s}");
    t.keys(&["a"]);
    t.wait("the note editor", |s| s.contains("Enter saves"));
    literal(&t, note);
    t.wait("the note typed", |s| s.contains(note));
    t.keys(&["Enter"]);
    t.wait("two unsaved", |s| status(s).contains("unsaved ✦2"));
    t.keys(&["j", "j"]);
    let s = t.wait("the message gone", |s| !status(s).contains("cannot save"));
    assert!(status(&s).contains("unsaved ✦2"), "{s}");
    t.keys(&["q"]);
    let s = t.wait("exit", |s| s.contains("EXIT="));
    assert!(s.contains("EXIT=1"), "quitting with bookmarks unsaved is no success:\n{s}");
    drop(t);

    // stderr: what happened, where the bookmarks are, and what to do.
    let err = std::fs::read_to_string(&stderr).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 2, "{err}");
    assert!(lines[0].starts_with("fangtan: 2 bookmark changes to ferry.md could not be saved"));
    assert!(lines[0].contains("is a file, not a folder"), "{err}");
    let recovered: Vec<PathBuf> =
        std::fs::read_dir(&tmp).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(recovered.len(), 1, "{recovered:?}");
    let recovered = &recovered[0];
    let name = recovered.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("fangtan-recovered-ferry.md-") && name.ends_with(".json"), "{name}");
    assert!(lines[1].contains(&recovered.display().to_string()), "{err}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(recovered).unwrap()).unwrap();
    assert!(json["doc"]["path"].as_str().unwrap().ends_with("ferry.md"), "{json}");
    assert_eq!(json["bookmarks"][0]["note"], note, "{json}");

    // Doing what it says brings them back once the folder can be written.
    let (_, target) = lines[1].split_once("copy that file to ").unwrap();
    let target = PathBuf::from(target.split(" to get them back").next().unwrap());
    std::fs::remove_file(&blocker).unwrap();
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    std::fs::copy(recovered, &target).unwrap();
    assert!(exported(&file, &blocker).contains(&format!("**Note:** {note}")));
}

#[test]
fn q_closes_the_overlays_before_it_quits_and_the_lists_keys_are_the_configs() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    let data = dir.path().join("data");
    let config = dir.path().join("keys.toml");
    std::fs::write(&config, "[keys.list]\ndelete = [\"x\"]\n").unwrap();
    let args = format!("--config {} {}", config.display(), file.display());
    let t = Tmux::start("overlays", 100, 30, &reader_command(&data, &args, "true"));
    t.wait("the reader", |s| s.contains("渡口访谈") && s.contains("ferry.md"));
    t.keys(&["}", "m", "}", "m"]);
    t.wait("two bookmarks", |s| status(s).contains("bookmarked 记者小苏"));
    t.keys(&["'"]);
    t.wait("the list", |s| s.contains("Bookmarks ·") && status(s).contains("2 bookmarks"));
    // d is no longer delete: only x deletes, once.
    t.keys(&["d", "x", "j"]);
    let s = t.wait("one delete", |s| {
        let st = status(s);
        st.contains("1 bookmark ") || st.contains("0 bookmarks")
    });
    assert!(status(&s).contains("1 bookmark "), "{s}");
    // q closes the list, and the reader goes on.
    t.keys(&["q"]);
    t.wait("the list closed", |s| !s.contains("Bookmarks ·") && status(s).contains("ferry.md"));
    // q closes help, and the reader goes on.
    t.keys(&["?"]);
    t.wait("help", |s| s.contains("Keys · Esc closes"));
    t.keys(&["q"]);
    let s = t.wait("help closed", |s| !s.contains("Keys · Esc closes") || s.contains("EXIT="));
    assert!(!s.contains("EXIT="), "q in help quit the reader:\n{s}");
    assert!(status(&s).contains("ferry.md"), "{s}");
    // From the reading screen, q quits.
    t.keys(&["q"]);
    let s = t.wait("exit", |s| s.contains("EXIT="));
    assert!(s.contains("EXIT=0"), "{s}");
}

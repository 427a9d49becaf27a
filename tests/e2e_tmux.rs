#![allow(clippy::unwrap_used)]
//! End to end in a real terminal: tmux runs the binary, we type and read the screen.
//! Without tmux these tests say they were skipped and pass.

use std::path::{Path, PathBuf};

#[path = "support/tmux.rs"]
mod support;
use std::process::Command;
use support::{BIN, LongTranscript, Tmux, have_tmux, reader_command, reading_rows};

/// The night-boat transcript, with a closing line the search test looks for.
fn fixture(dir: &Path) -> PathBuf {
    let p = LongTranscript {
        title: "夜航船对谈",
        halves: ["上半场", "下半场"],
        who: ["**主持人阿青：**", "**老周：**", "**Ming:** "],
        turns: 40,
        zh: "第{i}段，船在夜里慢慢地走，灯笼照着水面，我们说了很多话。",
        en: "Turn {i} talks about the lantern on the boat and the river at night, slowly. ",
        times: [5, 4],
    }
    .write(&dir.join("night.md"));
    let mut s = std::fs::read_to_string(&p).unwrap();
    s.push_str("**老周：**最后一句：Lantern 收尾。\n");
    std::fs::write(&p, s).unwrap();
    p
}

fn command(dir: &Path, file: &Path, tail: &str) -> String {
    reader_command(&dir.join("data"), &file.display().to_string(), tail)
}

#[test]
fn open_and_quit_leaves_the_terminal_sane() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    let t = Tmux::start("quit", 100, 30, &command(dir.path(), &file, "stty -a"));
    t.wait("the reader", |s| s.contains("夜航船对谈") && s.contains("night.md"));
    t.keys(&["q"]);
    let s = t.wait("exit", |s| s.contains("EXIT=") && s.contains("icanon"));
    assert!(s.contains("EXIT=0"), "{s}");
    let words: Vec<&str> = s.split_whitespace().collect();
    assert!(words.contains(&"icanon") && !words.contains(&"-icanon"), "{s}");
    assert!(words.contains(&"echo") && !words.contains(&"-echo"), "{s}");
    // The alternate screen is gone: the reader's frame is no longer on screen.
    assert!(!s.contains("夜航船对谈"), "{s}");
}

#[test]
fn search_shows_the_match_count() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    let t = Tmux::start("search", 100, 30, &command(dir.path(), &file, "true"));
    t.wait("the reader", |s| s.contains("夜航船对谈"));
    t.keys(&["/", "lantern"]);
    t.wait("the count while typing", |s| s.contains("1/53"));
    t.keys(&["Enter", "n", "n"]);
    t.wait("the third match", |s| s.contains("/lantern 3/53"));
    t.keys(&["Escape"]);
    t.wait("search cleared", |s| !s.contains("/lantern"));
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
}

#[test]
fn resize_deep_in_the_document_keeps_the_passage_on_top() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    let t = Tmux::start("resize", 100, 30, &command(dir.path(), &file, "true"));
    t.wait("the reader", |s| s.contains("夜航船对谈"));
    for _ in 0..25 {
        t.keys(&["}"]);
    }
    // Turn 24 (主持人阿青's) has its header on top.
    t.wait("turn 24", |s| {
        let r = reading_rows(s);
        r[0] == "主持人阿青" && r[1].starts_with("第24段")
    });
    t.keys(&["j", "j"]);
    let before = t.wait("two lines into turn 24", |s| {
        let r = reading_rows(s);
        !r[0].starts_with("主持人阿青") && !r[0].starts_with("第24段") && r[0].contains("第24段")
    });
    let top = reading_rows(&before)[0].clone();
    let head: String = top.chars().take(3).collect();
    t.tmux(&["resize-window", "-t", "t", "-x", "60"]);
    // tmux blanks the pane on a resize before the reader redraws: wait for the redraw.
    let after = t.wait("the narrow frame", |s| {
        s.lines().next().is_some_and(|l| !l.contains('│') && !l.trim().is_empty())
            && s.contains("night.md")
    });
    let rows = reading_rows(&after);
    let first_two = format!("{}{}", rows[0], rows[1]);
    assert!(first_two.contains(&head), "before:\n{before}\nafter:\n{after}");
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
}

fn sane(s: &str) {
    let words: Vec<&str> = s.split_whitespace().collect();
    assert!(words.contains(&"icanon") && !words.contains(&"-icanon"), "{s}");
    assert!(words.contains(&"echo") && !words.contains(&"-echo"), "{s}");
}

#[test]
fn sigterm_restores_the_terminal() {
    if !have_tmux() || Command::new("pgrep").arg("-V").output().is_err() {
        eprintln!("skipped: tmux or pgrep not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    let t = Tmux::start("term", 100, 30, &command(dir.path(), &file, "stty -a"));
    t.wait("the reader", |s| s.contains("夜航船对谈"));
    let pid = t.reader_pid();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let s = t.wait("exit", |s| s.contains("EXIT=") && s.contains("icanon"));
    assert!(s.contains("EXIT=143"), "{s}");
    sane(&s);
}

#[test]
fn ctrl_z_suspends_and_resumes_with_a_full_redraw() {
    if !have_tmux() || Command::new("bash").arg("--version").output().is_err() {
        eprintln!("skipped: tmux or bash not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    // A shell with job control, so the stop is real and `fg` brings the reader back.
    let cmd = format!(
        "bash -c 'set -m; {} {BIN} {}; echo STOPPED=$?; sleep 2; fg; echo EXIT=$?; stty -a; sleep 60'",
        support::isolated(&dir.path().join("data")),
        file.display()
    );
    let t = Tmux::start("susp", 100, 30, &cmd);
    t.wait("the reader", |s| s.contains("夜航船对谈"));
    t.keys(&["}"]);
    t.wait("first turn", |s| s.contains("night.md │ 上半场 │ 主持人阿青"));
    t.keys(&["C-z"]);
    // Stopped: the shell has the screen (and waits two seconds before `fg`).
    t.wait("the stop", |s| s.contains("STOPPED=148"));
    t.wait("redrawn after fg", |s| {
        s.contains("night.md │ 上半场 │ 主持人阿青")
            && s.contains("▾ 下半场")
            && !s.contains("STOPPED")
    });
    t.keys(&["q"]);
    let s = t.wait("exit", |s| s.contains("EXIT=") && s.contains("icanon"));
    assert!(s.contains("STOPPED=148"), "the reader never stopped:\n{s}");
    assert!(s.contains("EXIT=0"), "{s}");
    sane(&s);
}

/// A 3 MB archive of numbered sessions: big enough to be opened on its first part while
/// the rest loads in the background.
fn archive(dir: &Path) -> PathBuf {
    let mut s = String::from("# 夜谈合集\n\n");
    for i in 1..=4000 {
        s.push_str(&format!(
            "## 第{i}期\n\n**主持人阿青：**第{i}期开始，欢迎两位，我们今天聊聊夜里的河。\n\n\
             **老周：**我想说说灯塔和河上的船，第{i}期的灯塔在雾里。**雾里的灯塔最亮。**\n\n\
             **Ming:** Session {i}: the lighthouse and the river at night, slowly.\n\n"
        ));
    }
    s.push_str("## 尾声\n\n**老周：**全集到此结束，谢谢收听。\n");
    let p = dir.join("archive.md");
    std::fs::write(&p, s).unwrap();
    p
}

#[test]
fn a_big_archive_opens_at_once_and_jumps_reach_its_end() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = archive(dir.path());
    let t = Tmux::start("big", 100, 30, &command(dir.path(), &file, "true"));
    t.wait("the first screen", |s| s.contains("第1期"));
    // `G` right away: it waits for the whole document if need be, then shows the end.
    t.keys(&["G"]);
    t.wait("the end", |s| s.contains("全集到此结束") && s.contains("100%"));
    t.keys(&["g", "/", "第3999期的灯塔", "Enter"]);
    t.wait("the search count", |s| s.contains("/第3999期的灯塔 1/1"));
    // Ming's turn of that session is already on screen below the match: `3` must bring
    // it to the top.
    t.keys(&["3"]);
    t.wait("Ming's next turn at the top", |s| {
        let rows = reading_rows(s);
        rows.first().is_some_and(|r| r.starts_with("Ming"))
            && rows.get(1).is_some_and(|r| r.starts_with("Session 3999:"))
    });
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
}

#[test]
fn a_big_archive_piped_in_opens_at_once_and_is_read_to_its_end() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = archive(dir.path());
    let data = dir.path().join("data");
    let cmd = format!(
        "sh -c 'cat {} | {} {BIN} -; echo EXIT=$?; sleep 60'",
        file.display(),
        support::isolated(&data)
    );
    let t = Tmux::start("pipe", 100, 30, &cmd);
    t.wait("the first screen", |s| s.contains("第1期") && s.contains("stdin"));
    t.keys(&["G"]);
    t.wait("the end", |s| s.contains("全集到此结束") && s.contains("100%"));
    t.keys(&["/", "第3999期的灯塔", "Enter"]);
    t.wait("the search count", |s| s.contains("/第3999期的灯塔 1/1"));
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
}

#[test]
fn a_big_archive_resumes_where_the_reader_stopped() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = archive(dir.path());
    let t = Tmux::start("resume1", 100, 30, &command(dir.path(), &file, "true"));
    t.wait("the first screen", |s| s.contains("第1期"));
    t.keys(&["G"]);
    t.wait("the end", |s| s.contains("全集到此结束") && s.contains("100%"));
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
    drop(t);
    // Reopened: the first part shows at once, then the saved place once indexed.
    let t = Tmux::start("resume2", 100, 30, &command(dir.path(), &file, "true"));
    t.wait("resumed at the end", |s| s.contains("resumed at") && s.contains("全集到此结束"));
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
}

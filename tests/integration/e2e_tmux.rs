#![allow(clippy::unwrap_used)]
//! End to end in a real terminal: tmux runs the binary, we type and read the screen.
//! Without tmux these tests say they were skipped and pass.

use std::path::{Path, PathBuf};

use crate::support::tmux as support;
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

/// Stop the reader with `stop` after one move, check the terminal was handed back to the
/// shell, continue it, and see it redrawn and quit cleanly.
fn stops_and_resumes(name: &str, stop: impl Fn(&Tmux)) {
    if !have_tmux() || Command::new("bash").arg("--version").output().is_err() {
        eprintln!("skipped: tmux or bash not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    let cmd = support::job_control_command(dir.path(), &file.display().to_string());
    let t = Tmux::start(name, 100, 30, &cmd);
    t.wait("the reader", |s| s.contains("夜航船对谈"));
    t.keys(&["}"]);
    t.wait("first turn", |s| s.contains("night.md │ 上半场 │ 主持人阿青"));
    stop(&t);
    // Stopped: the shell has the screen, and the terminal is its own again.
    let s = t.wait("the stop", |s| s.contains("STOPPED="));
    assert!(s.contains("STOPPED=148"), "the reader did not stop on SIGTSTP:\n{s}");
    assert_eq!(t.modes(), "0 0 1", "alternate screen, mouse, cursor while stopped:\n{s}");
    std::fs::write(dir.path().join("go"), "").unwrap();
    t.wait("redrawn after fg", |s| {
        s.contains("night.md │ 上半场 │ 主持人阿青")
            && s.contains("▾ 下半场")
            && !s.contains("STOPPED")
    });
    t.keys(&["q"]);
    let s = t.wait("exit", |s| s.contains("EXIT=") && s.contains("icanon"));
    assert!(s.contains("EXIT=0"), "{s}");
    sane(&s);
}

#[test]
fn ctrl_z_suspends_and_resumes_with_a_full_redraw() {
    stops_and_resumes("susp", |t| t.keys(&["C-z"]));
}

#[test]
fn sigtstp_from_outside_stops_like_ctrl_z() {
    stops_and_resumes("tstp", |t| {
        let pid = t.reader_pid();
        Command::new("kill").args(["-TSTP", &pid]).status().unwrap();
    });
}

#[test]
fn every_terminating_signal_restores_the_terminal_and_saves_the_place() {
    if !have_tmux() || Command::new("pgrep").arg("-V").output().is_err() {
        eprintln!("skipped: tmux or pgrep not found");
        return;
    }
    use signal_hook::consts::*;
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    let signals = [
        ("TERM", SIGTERM),
        ("HUP", SIGHUP),
        ("INT", SIGINT),
        ("QUIT", SIGQUIT),
        ("USR1", SIGUSR1),
        ("USR2", SIGUSR2),
        ("ALRM", SIGALRM),
    ];
    for (name, number) in signals {
        let data = dir.path().join(format!("data-{name}"));
        let cmd = reader_command(&data, &file.display().to_string(), "stty -a");
        let t = Tmux::start(&format!("sig{name}"), 100, 30, &cmd);
        t.wait("the reader", |s| s.contains("夜航船对谈"));
        t.keys(&["}", "}", "}"]);
        t.wait("the third turn", |s| s.contains("night.md │ 上半场 │ Ming"));
        Command::new("kill").args([&format!("-{name}"), &t.reader_pid()]).status().unwrap();
        let s = t.wait("exit", |s| s.contains("EXIT=") && s.contains("icanon"));
        assert!(s.contains(&format!("EXIT={}", 128 + number)), "SIG{name}:\n{s}");
        sane(&s);
        assert_eq!(t.modes(), "0 0 1", "SIG{name}: alternate screen, mouse, cursor:\n{s}");
        drop(t);
        let t = Tmux::start(&format!("sig{name}-again"), 100, 30, &cmd);
        t.wait(&format!("the place saved on SIG{name}"), |s| s.contains("resumed at Ming, 上半场"));
        t.keys(&["q"]);
        t.wait("exit", |s| s.contains("EXIT=0"));
    }
}

#[test]
fn an_incomplete_escape_sequence_does_not_swallow_the_keys_after_it() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    // The starts of a mouse report and of a terminal's private reply, and no more of them.
    for (name, noise) in [("mouse", &b"\x1b[<"[..]), ("reply", b"\x1b[?")] {
        let t = Tmux::start(name, 100, 30, &command(dir.path(), &file, "true"));
        t.wait("the reader", |s| s.contains("夜航船对谈"));
        t.bytes(noise);
        let s = t.keys_until(&["q"], "q to quit", |s| s.contains("EXIT="));
        assert!(s.contains("EXIT=0"), "{name}: {s}");
    }
}

#[test]
fn a_paste_without_its_end_reaches_the_search_prompt() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    let t = Tmux::start("paste", 100, 30, &command(dir.path(), &file, "true"));
    t.wait("the reader", |s| s.contains("夜航船对谈"));
    t.keys(&["/"]);
    t.wait("the search prompt", |s| s.lines().last().is_some_and(|l| l.contains("/▏")));
    t.bytes(b"\x1b[200~lantern");
    t.wait("the pasted query", |s| s.contains("/lantern▏") && s.contains("1/53"));
    t.keys(&["Enter", "n"]);
    t.wait("the second match", |s| s.contains("/lantern 2/53"));
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
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

#[test]
fn without_a_file_the_reader_opens_the_sample_and_printing_commands_ask_for_one() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let t = Tmux::start("sample", 100, 30, &reader_command(&data, "", "true"));
    t.wait("the sample", |s| s.contains("sample.md"));
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
    drop(t);
    // A terminal on standard input and no file: one line of usage, status 2.
    let t = Tmux::start("nofile", 100, 30, &reader_command(&data, "dump", "true"));
    let s = t.wait("the error", |s| s.contains("EXIT="));
    assert!(s.contains("EXIT=2") && s.contains("fangtan: dump: give a FILE"), "{s}");
}

#[test]
fn a_position_on_the_command_line_wins_over_the_saved_one() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    let data = dir.path().join("data");
    // Read to the end: that position is saved.
    let t = Tmux::start("start-save", 100, 30, &command(dir.path(), &file, "true"));
    t.wait("the reader", |s| s.contains("夜航船对谈"));
    t.keys(&["G"]);
    t.wait("the end", |s| s.contains("Lantern 收尾"));
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
    drop(t);
    let top = |s: &str| reading_rows(s).first().cloned().unwrap_or_default();
    // `+/PATTERN`: the first match on top, and `n` goes on to the next.
    let args = format!("+/第6段 {}", file.display());
    let t = Tmux::start("start-search", 100, 30, &reader_command(&data, &args, "true"));
    let s = t.wait("the match on top", |s| top(s).contains("第6段"));
    assert!(!s.contains("resumed"), "{s}");
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
    drop(t);
    // `+N`: the N-th turn's header on top.
    let args = format!("+5 {}", file.display());
    let t = Tmux::start("start-turn", 100, 30, &reader_command(&data, &args, "true"));
    t.wait("turn 5 on top", |s| top(s).trim_start().starts_with("老周"));
    t.keys(&["q"]);
    t.wait("exit", |s| s.contains("EXIT=0"));
    drop(t);
    // Opened there and not moved, the saved position is still the one to resume at.
    let t = Tmux::start("start-resume", 100, 30, &command(dir.path(), &file, "true"));
    t.wait("resumed at the end", |s| s.contains("resumed") && s.contains("Lantern 收尾"));
}

#[test]
fn mouse_false_leaves_the_mouse_to_the_terminal_and_help_says_how_to_select() {
    if !have_tmux() {
        eprintln!("skipped: tmux not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = fixture(dir.path());
    let config = dir.path().join("mouse.toml");
    std::fs::write(&config, "[reading]\nmouse = false\n").unwrap();
    for (name, args, captured) in [
        ("mouse-on", format!("{}", file.display()), "1"),
        ("mouse-off", format!("--config {} {}", config.display(), file.display()), "0"),
    ] {
        let t =
            Tmux::start(name, 100, 60, &reader_command(&dir.path().join("data"), &args, "true"));
        t.wait("the reader", |s| s.contains("夜航船对谈"));
        let modes = t.modes();
        assert_eq!(modes.split(' ').nth(1), Some(captured), "{name}: {modes}");
        t.keys(&["?", "G"]);
        let said = if captured == "1" { "Shift-drag selects text" } else { "left to the terminal" };
        t.wait("help's last row", |s| s.contains(said));
        t.keys(&["q", "q"]);
        t.wait("quit", |s| s.contains("EXIT=0"));
    }
}

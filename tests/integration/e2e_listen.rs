#![allow(clippy::unwrap_used)]
//! Listening end to end: the reader in tmux drives a real mpv (`--ao=null`: no sound card
//! needed) playing a WAV written here. The test asks mpv itself where it is, over an extra
//! `--input-ipc-server` socket given in `[player] args`. Without tmux or mpv these tests
//! say they were skipped and pass; under CI they fail instead.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::doc::timed_talk;
use crate::support::tmux::{
    DEADLINE, Tmux, have_mpv, have_tmux, job_control_command, reader_command,
};

/// A WAV of `secs` seconds: a quiet 440 Hz tone, 8 kHz, 8-bit mono.
fn write_wav(path: &Path, secs: u32) {
    let rate = 8_000u32;
    let n = rate * secs;
    let mut b = Vec::with_capacity(44 + n as usize);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + n).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16u32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes()); // PCM
    b.extend_from_slice(&1u16.to_le_bytes()); // mono
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&rate.to_le_bytes()); // bytes a second
    b.extend_from_slice(&1u16.to_le_bytes()); // bytes a frame
    b.extend_from_slice(&8u16.to_le_bytes()); // bits a sample
    b.extend_from_slice(b"data");
    b.extend_from_slice(&n.to_le_bytes());
    for i in 0..n {
        let phase = f64::from(i) * 440.0 * std::f64::consts::TAU / f64::from(rate);
        b.push((128.0 + 20.0 * phase.sin()) as u8);
    }
    std::fs::write(path, b).unwrap();
}

/// A listening session's files: the talk, its recording, a config whose player has no
/// sound and a socket the test asks mpv through.
struct Session {
    dir: tempfile::TempDir,
    talk: PathBuf,
    sock: PathBuf,
}

impl Session {
    fn new() -> Session {
        let dir = tempfile::tempdir().unwrap();
        let talk = dir.path().join("talk.md");
        std::fs::write(&talk, timed_talk(40)).unwrap();
        write_wav(&dir.path().join("recording.wav"), 300);
        let sock = dir.path().join("mpv.sock");
        let config = format!(
            "[player]\nargs = [\"--ao=null\", \"--input-ipc-server={}\"]\n",
            sock.display()
        );
        std::fs::write(dir.path().join("config.toml"), config).unwrap();
        Session { dir, talk, sock }
    }

    /// The reader's arguments: the config, the recording, `extra`, the talk.
    fn args(&self, extra: &str) -> String {
        let d = self.dir.path();
        format!(
            "--config {} --media {} {extra} {}",
            d.join("config.toml").display(),
            d.join("recording.wav").display(),
            self.talk.display()
        )
    }

    /// The reader on the talk with `extra` arguments, then its exit status and a pause.
    fn command(&self, extra: &str) -> String {
        reader_command(&self.dir.path().join("data"), &self.args(extra), "true")
    }

    /// Open at 00:02:03 in `t`, press `p`, and wait for mpv to play there: its pid, and the
    /// first time it reports after its seek.
    fn playing(&self, t: &Tmux) -> (String, f64) {
        t.wait("the reader at 00:02:03", |sc| sc.contains("opened at 00:02:03"));
        t.keys(&["p"]);
        self.playing_again(t)
    }

    /// Once `p` was pressed: mpv's pid, and the first time it reports after its seek.
    fn playing_again(&self, t: &Tmux) -> (String, f64) {
        let first = self.ask_until("time-pos", "passed 100 s", |v| time_pos(v) > 100.0);
        (t.child_of_reader(), time_pos(&first))
    }

    /// A property of mpv, asked over the test's own socket; `None` while mpv has none (no
    /// file loaded yet) or is not listening yet.
    fn ask(&self, property: &str) -> Option<Value> {
        let mut s = UnixStream::connect(&self.sock).ok()?;
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let line = json!({ "command": ["get_property", property], "request_id": 1 });
        s.write_all(format!("{line}\n").as_bytes()).ok()?;
        for l in BufReader::new(s).lines() {
            let v: Value = serde_json::from_str(&l.ok()?).ok()?;
            if v["request_id"] == 1 {
                return (v["error"] == "success").then(|| v["data"].clone());
            }
        }
        None
    }

    /// Ask until `ok` holds for the answer; panics at the deadline (a hang guard).
    fn ask_until(&self, property: &str, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
        let end = Instant::now() + DEADLINE;
        loop {
            if let Some(v) = self.ask(property).filter(|v| ok(v)) {
                return v;
            }
            assert!(Instant::now() < end, "mpv's {property} never {what}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Whether process `pid` is gone (or only a zombie waiting to be reaped by its new parent).
fn gone(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z')),
    }
}

/// The screen row holding `text`.
fn row<'s>(screen: &'s str, text: &str) -> &'s str {
    screen.lines().find(|l| l.contains(text)).unwrap_or("")
}

fn time_pos(v: &Value) -> f64 {
    v.as_f64().unwrap_or(-1.0)
}

/// Whether tmux and mpv are there (else the test says it was skipped).
fn can_listen() -> bool {
    let can = have_tmux() && have_mpv();
    if !can {
        eprintln!("skipped: tmux or mpv not found");
    }
    can
}

#[test]
fn listening_plays_from_the_passage_follows_it_and_stops_at_the_span_end() {
    if !can_listen() {
        return;
    }
    let s = Session::new();
    // Opened at 00:02:03 (`--at`): passage 1 is on top. mpv starts where it starts.
    let t = Tmux::start("listen", 100, 30, &s.command("--at 00:02:03"));
    let (player, first) = s.playing(&t);
    assert!((first - 123.0).abs() < 0.3, "mpv started at {first}");
    // The status line's clock moves, and the spoken mark moves on at passage 2's time.
    t.wait("the clock moving", |sc| sc.contains("▶ 00:02:05"));
    let sc = t.wait("the mark on passage 2", |sc| row(sc, "Passage number 2 at").contains('▶'));
    assert!(!row(&sc, "Passage number 1 at").contains('▶'), "{sc}");

    // `P` on passage 1 (still the passage on top): 2:03 to 2:06, then paused.
    t.keys(&["P"]);
    t.wait("playing the passage", |sc| sc.contains("playing the paragraph 00:02:03 to 00:02:06"));
    s.ask_until("pause", "paused", |v| *v == json!(true));
    let at = time_pos(&s.ask("time-pos").unwrap());
    assert!((125.9..126.8).contains(&at), "paused at {at}, the span ends at 126");
    t.wait("the status line", |sc| sc.contains("⏸ 00:02:0"));

    // Quit: the player is gone with the reader.
    t.keys(&["q"]);
    t.wait("exit", |sc| sc.contains("EXIT=0"));
    assert!(gone(&player), "mpv {player} is still running after quit");
}

#[test]
fn a_killed_reader_leaves_no_player_behind() {
    if !can_listen() {
        return;
    }
    let s = Session::new();
    let t = Tmux::start("listen-kill", 100, 30, &s.command("--at 00:02:03"));
    let (player, _) = s.playing(&t);
    let reader = t.reader_pid();
    let killed = Instant::now();
    Command::new("kill").args(["-KILL", &reader]).status().unwrap();
    // The bound: mpv sees the connection close and exits within a second.
    while !gone(&player) && killed.elapsed() < Duration::from_secs(1) {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(gone(&player), "mpv {player} outlived the killed reader by a second");
    t.wait("the reader killed", |sc| sc.contains("EXIT=137"));
}

#[test]
fn a_suspended_reader_pauses_the_player_and_a_terminating_signal_stops_it() {
    if !can_listen() || Command::new("bash").arg("--version").output().is_err() {
        return;
    }
    let s = Session::new();
    let cmd = job_control_command(s.dir.path(), &s.args("--at 00:02:03"));
    let t = Tmux::start("listen-stop", 100, 30, &cmd);
    let (player, _) = s.playing(&t);
    t.keys(&["C-z"]);
    t.wait("the stop", |sc| sc.contains("STOPPED=148"));
    s.ask_until("pause", "paused while the reader is stopped", |v| *v == json!(true));
    assert!(!gone(&player), "paused, not ended");
    std::fs::write(s.dir.path().join("go"), "").unwrap();
    t.wait("back, paused", |sc| sc.contains("⏸ 00:02:0"));
    Command::new("kill").args(["-TERM", &t.reader_pid()]).status().unwrap();
    t.wait("exit", |sc| sc.contains("EXIT=143"));
    assert!(gone(&player), "mpv {player} is still running after SIGTERM");

    let t = Tmux::start("listen-hup", 100, 30, &s.command("--at 00:02:03"));
    let (player, _) = s.playing(&t);
    Command::new("kill").args(["-HUP", &t.reader_pid()]).status().unwrap();
    t.wait("exit", |sc| sc.contains("EXIT=129"));
    assert!(gone(&player), "mpv {player} is still running after SIGHUP");
}

#[test]
fn a_player_that_dies_mid_play_is_reported_and_the_next_p_starts_another() {
    if !can_listen() {
        return;
    }
    let s = Session::new();
    let t = Tmux::start("listen-dies", 100, 30, &s.command("--at 00:02:03"));
    let (player, _) = s.playing(&t);
    Command::new("kill").args(["-KILL", &player]).status().unwrap();
    let sc = t.wait("the player's end told", |sc| sc.contains("mpv exited"));
    assert!(!sc.contains("▶ 00:"), "no clock once it is gone:\n{sc}");
    t.keys(&["j", "k", "p"]);
    let (again, first) = s.playing_again(&t);
    assert_ne!(again, player);
    assert!((first - 123.0).abs() < 0.3, "mpv started at {first}");
    t.keys(&["q"]);
    t.wait("exit", |sc| sc.contains("EXIT=0"));
}

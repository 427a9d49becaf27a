//! The tmux harness shared by the end-to-end tests: a private tmux server per test, keys in,
//! screen out, polling with deadlines (never fixed sleeps).
#![allow(dead_code, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_fangtan");
pub const DEADLINE: Duration = Duration::from_secs(15);

/// Whether tmux can run the end-to-end tests. A developer's machine without it skips them;
/// CI (`CI` set) must run them, so there a missing tmux fails instead of passing unseen.
pub fn have_tmux() -> bool {
    let found = Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
    assert!(found || std::env::var_os("CI").is_none(), "tmux is needed for the end-to-end tests");
    found
}

/// Whether mpv is there for the listening tests; like [`have_tmux`], a missing mpv fails
/// under CI instead of passing unseen.
pub fn have_mpv() -> bool {
    let found = Command::new("mpv").arg("--version").output().is_ok_and(|o| o.status.success());
    assert!(found || std::env::var_os("CI").is_none(), "mpv is needed for the listening tests");
    found
}

/// A tmux server of our own (its own socket), killed on drop.
pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn start(name: &str, w: u16, h: u16, cmd: &str) -> Tmux {
        let socket = format!("fangtan-e2e-{}-{name}", std::process::id());
        let t = Tmux { socket };
        let ok = t
            .tmux(&[
                "new-session",
                "-d",
                "-x",
                &w.to_string(),
                "-y",
                &h.to_string(),
                "-s",
                "t",
                cmd,
            ])
            .status
            .success();
        assert!(ok, "tmux new-session failed");
        t
    }

    /// Run tmux on our server, without the user's `~/.tmux.conf` (key timing, default
    /// command and shell options would change what the tests see).
    pub fn tmux(&self, args: &[&str]) -> std::process::Output {
        let mut c = Command::new("tmux");
        c.args(["-f", "/dev/null", "-L"]).arg(&self.socket).args(args);
        c.output().unwrap()
    }

    pub fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", "t", k]);
        }
    }

    /// Send raw bytes, as a terminal (or line noise) would.
    pub fn bytes(&self, bytes: &[u8]) {
        let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let mut args = vec!["send-keys", "-t", "t", "-H"];
        args.extend(hex.iter().map(String::as_str));
        self.tmux(&args);
    }

    /// Whether the pane is in the alternate screen, reports the mouse, and shows the
    /// cursor: `"0 0 1"` is a terminal handed back.
    pub fn modes(&self) -> String {
        let fmt = "#{alternate_on} #{mouse_any_flag} #{cursor_flag}";
        let out = self.tmux(&["display-message", "-p", "-t", "t", fmt]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    /// Poll the screen until `ok` holds; panics with the last screen at the deadline.
    pub fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + DEADLINE;
        loop {
            if let Some(s) = self.look(what, &ok, end) {
                return s;
            }
        }
    }

    /// Type `keys` again every half second until `ok` holds (a key typed while the reader
    /// still holds earlier bytes may go with them); panics with the last screen at the
    /// deadline.
    pub fn keys_until(&self, keys: &[&str], what: &str, ok: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + DEADLINE;
        loop {
            self.keys(keys);
            for _ in 0..10 {
                if let Some(s) = self.look(what, &ok, end) {
                    return s;
                }
            }
        }
    }

    /// One look at the screen: the screen when `ok` holds, else a pause; panics with the
    /// screen once `end` has passed.
    fn look(&self, what: &str, ok: &impl Fn(&str) -> bool, end: Instant) -> Option<String> {
        let s = self.screen();
        if ok(&s) {
            return Some(s);
        }
        assert!(Instant::now() < end, "timed out waiting for {what}; screen:\n{s}");
        std::thread::sleep(Duration::from_millis(50));
        None
    }
}

impl Tmux {
    /// The process id of the reader's child (the media player), once it has one.
    pub fn child_of_reader(&self) -> String {
        child_of(&self.reader_pid(), "the reader started no child")
    }

    /// The reader's process id: the child of the pane's shell.
    pub fn reader_pid(&self) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "t", "#{pane_pid}"]);
        let sh = String::from_utf8_lossy(&out.stdout).trim().to_string();
        child_of(&sh, "no reader process")
    }
}

/// The process id of `parent`'s child, once it has one; panics with `missing` at the
/// deadline.
fn child_of(parent: &str, missing: &str) -> String {
    let end = Instant::now() + DEADLINE;
    loop {
        let o = Command::new("pgrep").args(["-P", parent]).output().unwrap();
        let pid = String::from_utf8_lossy(&o.stdout).trim().to_string();
        if !pid.is_empty() {
            return pid;
        }
        assert!(Instant::now() < end, "{missing}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.tmux(&["kill-server"]);
    }
}

/// A transcript long enough to scroll deep, written for these tests: `turns` turns by three
/// speakers in turn (the third speaks English), in two sections split halfway. `{i}` in the
/// bodies is the turn number; `times` says how often the Chinese and English bodies repeat.
pub struct LongTranscript<'a> {
    pub title: &'a str,
    pub halves: [&'a str; 2],
    pub who: [&'a str; 3],
    pub turns: usize,
    pub zh: &'a str,
    pub en: &'a str,
    pub times: [usize; 2],
}

impl LongTranscript<'_> {
    pub fn write(&self, path: &Path) -> PathBuf {
        let mut s = format!("# {}\n\n作者：测试\n\n## {}\n\n", self.title, self.halves[0]);
        for i in 0..self.turns {
            let (body, times) =
                if i % 3 == 2 { (self.en, self.times[1]) } else { (self.zh, self.times[0]) };
            s.push_str(self.who[i % 3]);
            s.push_str(&body.replace("{i}", &i.to_string()).repeat(times));
            s.push_str("\n\n");
            if i == self.turns / 2 {
                s.push_str(&format!("## {}\n\n", self.halves[1]));
            }
        }
        std::fs::write(path, s).unwrap();
        path.to_path_buf()
    }
}

/// Environment for the reader in a test session: its own data and cache directories, and
/// no config file of the user's (`XDG_CONFIG_HOME` and `HOME` point where there is none).
pub fn isolated(data: &Path) -> String {
    let d = data.display();
    format!(
        "FANGTAN_DATA_DIR={d} FANGTAN_CACHE_DIR={d}/cache XDG_CONFIG_HOME={d}/no-config \
         HOME={d}/no-home"
    )
}

/// The shell command a test session runs: the reader with its own data directory, then the
/// exit status, then `tail` (e.g. `stty -a`), then a pause so the screen can be read.
pub fn reader_command(data: &Path, args: &str, tail: &str) -> String {
    reader_command_with(data, "", args, tail)
}

/// [`reader_command`] with more environment for the reader (`NAME=value …`, which wins
/// over the isolated defaults).
pub fn reader_command_with(data: &Path, env: &str, args: &str, tail: &str) -> String {
    format!("sh -c '{} {env} {BIN} {args}; echo EXIT=$?; {tail}; sleep 60'", isolated(data))
}

/// A shell with job control running the reader with `args`, so a stop is real and `fg`
/// brings the reader back: it says `STOPPED=` and the status once the reader stops, waits
/// until the file `go` exists in `dir`, then continues the reader and says `EXIT=` and
/// `stty -a`.
pub fn job_control_command(dir: &Path, args: &str) -> String {
    format!(
        "bash -c 'set -m; {} {BIN} {args}; echo STOPPED=$?; \
         while [ ! -e {go} ]; do sleep 0.1; done; fg; echo EXIT=$?; stty -a; sleep 60'",
        isolated(&dir.join("data")),
        go = dir.join("go").display(),
    )
}

/// The reading pane's rows: right of the outline divider when the outline is shown, without
/// the gutter's passage and bookmark marks.
pub fn reading_rows(screen: &str) -> Vec<String> {
    screen
        .lines()
        .map(|l| match l.find('│') {
            Some(i) => l[i + '│'.len_utf8()..].to_string(),
            None => l.to_string(),
        })
        .map(|l| l.trim_start_matches(['▎', '✦', ' ']).trim_end().to_string())
        .collect()
}

//! Stage 4's edge for listening: the media player, mpv, run as a child and driven over its
//! JSON IPC ([`ipc`]). [`Players`] carries out the app's [`PlayerCmd`]s and turns what mpv
//! reports into [`PlayerEvent`]s for `update`; the event loop is woken for them through
//! the same wake-up as signals. Also [`beside`], which finds a recording next to the
//! transcript.
//!
//! mpv is started as `COMMAND --idle=yes --no-video --no-terminal --input-ipc-client=fd://0
//! ARGS…` (`[player]`) with one end of a socket pair as its standard input: the connection
//! needs no socket file, and mpv exits as soon as the other end closes, so a reader that
//! ends any way at all, even killed, leaves no player behind. It starts with no signal
//! blocked (the reader's SIGTSTP block is not passed on). A recording is played by
//! `loadfile` and, once `file-loaded` comes, `seek ABS absolute+exact` (no start options to
//! `loadfile`: mpv 0.38 changed its arguments).
//!
//! Invariant: nothing here waits for mpv longer than [`DEADLINE`]; a player that stops
//! answering, exits or closes the connection is stopped, reaped and reported as
//! [`PlayerEvent::Failed`], and the reader goes on. Every way out of the reader stops it
//! ([`Players::shutdown`]; on a panic, the hook [`install_panic_hook`] kills it).

pub mod ipc;

use std::ffi::CString;
use std::io::Write;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::spawn::{PosixSpawnAttr, PosixSpawnFileActions, PosixSpawnFlags, posix_spawnp};
use nix::sys::signal::{SigSet, Signal};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;
use serde_json::{Map, Value, json};

use self::ipc::{Client, Incoming, IpcError};
use crate::app::listen::{MEDIA_EXTENSIONS, NO_PLAYER};
use crate::app::{PlayerCmd, PlayerEvent};
use crate::config::PlayerOptions;

/// The longest any call to the player may take.
pub const DEADLINE: Duration = Duration::from_secs(2);

/// The options fangtan needs of mpv, before `[player] args`.
pub const OWN_ARGS: [&str; 4] =
    ["--idle=yes", "--no-video", "--no-terminal", "--input-ipc-client=fd://0"];

/// Observed properties, by the id their `property-change` events carry.
const TIME_POS: u64 = 1;
const PAUSE: u64 = 2;
const DURATION: u64 = 3;

/// How long a player that was asked to end may take before it is killed.
const REAP_WAIT: Duration = Duration::from_millis(500);

/// The running player's process id, for the panic hook (0: none).
static RUNNING: AtomicI32 = AtomicI32::new(0);

/// Kill the player on a panic, before the previous hook runs (a panic unwinds through
/// [`Players`] too, but a hook runs even where unwinding would not).
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let pid = RUNNING.swap(0, Ordering::SeqCst);
        if pid > 0 {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        previous(info);
    }));
}

/// A recording beside the transcript at `path`: the same name with a media extension
/// ([`MEDIA_EXTENSIONS`], in that order), when such a file exists.
pub fn beside(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_string_lossy().into_owned();
    MEDIA_EXTENSIONS.iter().find_map(|ext| {
        let p = path.with_file_name(format!("{stem}.{ext}"));
        p.is_file().then(|| std::path::absolute(&p).unwrap_or(p).to_string_lossy().into_owned())
    })
}

/// The media player as the event loop sees it: started on the first play, stopped on the
/// way out.
pub struct Players {
    opts: PlayerOptions,
    /// Written to when the player has news: the event loop's wait for input ends.
    waker: Option<UnixStream>,
    current: Option<Player>,
    /// The deadline of each call (tests shorten it).
    deadline: Duration,
}

/// A running mpv.
struct Player {
    child: Proc,
    client: Client,
    news: Receiver<Incoming>,
    /// The recording loaded (or being loaded).
    loaded: Option<String>,
    /// Where to seek once the recording is loaded (ms).
    pending: Option<u64>,
    /// After a seek: the time to expect, until mpv has moved there (times reported before
    /// are the old position's).
    settling: Option<u64>,
    /// The recording's time last reported, in ms.
    last: u64,
}

/// A command that failed: the player refused it (it goes on), or broke (it is stopped).
enum Failure {
    Refused(String),
    Broken(String),
}

impl Players {
    /// Players run as `[player]` says; `waker` is written to when one has news.
    pub fn new(opts: PlayerOptions, waker: Option<UnixStream>) -> Players {
        Players { opts, waker, current: None, deadline: DEADLINE }
    }

    /// Each call to the player waits at most `deadline`.
    pub fn with_deadline(mut self, deadline: Duration) -> Players {
        self.deadline = deadline;
        self
    }

    /// The running player's process id.
    pub fn pid(&self) -> Option<u32> {
        self.current.as_ref().map(|p| p.child.id())
    }

    /// Carry out a command; what went wrong comes back as news.
    pub fn carry_out(&mut self, cmd: PlayerCmd) -> Vec<PlayerEvent> {
        let playing = matches!(cmd, PlayerCmd::Play { .. });
        let done = match cmd {
            PlayerCmd::Play { media, from_ms, speed } => self.play(&media, from_ms, speed),
            PlayerCmd::Pause(p) => self.running(|p_| p_.client.set("pause", json!(p))),
            PlayerCmd::Seek(by) => self.running(|p| {
                let to = i64::try_from(p.last).unwrap_or(0).saturating_add(by).max(0);
                p.settling = u64::try_from(to).ok();
                p.client.command(&[
                    json!("seek"),
                    json!(by as f64 / 1000.0),
                    json!("relative+exact"),
                ])
            }),
            PlayerCmd::Speed(s) => self.running(|p| p.client.set("speed", json!(s as f64 / 100.0))),
            PlayerCmd::Stop => self.running(|p| {
                p.loaded = None;
                p.pending = None;
                p.settling = None;
                p.client.command(&[json!("stop")]).map(drop)
            }),
        };
        match done {
            Ok(()) => Vec::new(),
            // A refused play plays nothing; anything else goes on as it was.
            Err(Failure::Refused(why)) if playing => vec![PlayerEvent::Failed(why)],
            Err(Failure::Refused(why)) => vec![PlayerEvent::Refused(why)],
            Err(Failure::Broken(why)) => {
                self.stop_current();
                vec![PlayerEvent::Failed(why)]
            }
        }
    }

    /// Pause, if playing (the reader is being stopped from outside).
    pub fn pause(&mut self) {
        if let Some(p) = &self.current {
            let _ = p.client.set("pause", json!(true));
        }
    }

    /// Stop the player, if any, and wait for it (at most a moment; then it is killed).
    pub fn shutdown(&mut self) {
        self.stop_current();
    }

    /// What the player reported since the last call.
    pub fn take_news(&mut self) -> Vec<PlayerEvent> {
        let Some(p) = &mut self.current else { return Vec::new() };
        let mut out = Vec::new();
        let mut closed = false;
        while let Ok(news) = p.news.try_recv() {
            match news {
                Incoming::Closed => {
                    closed = true;
                    break;
                }
                Incoming::Event(name, obj) => {
                    if let Err(f) = p.event(&name, &obj, &mut out) {
                        match f {
                            // Only the seek that starts a play is asked here.
                            Failure::Refused(why) => out.push(PlayerEvent::Failed(why)),
                            Failure::Broken(why) => {
                                out.push(PlayerEvent::Failed(why));
                                closed = true;
                                break;
                            }
                        }
                    }
                }
            }
        }
        if closed {
            let why = self.gone();
            out.push(PlayerEvent::Failed(why));
        }
        out
    }

    /// Run `f` on the player when one runs (nothing to do otherwise).
    fn running<T>(
        &mut self,
        f: impl FnOnce(&mut Player) -> Result<T, IpcError>,
    ) -> Result<(), Failure> {
        let Some(p) = &mut self.current else { return Ok(()) };
        f(p).map(drop).map_err(|e| self.failure(e))
    }

    fn play(&mut self, media: &str, from_ms: u64, speed: u32) -> Result<(), Failure> {
        if self.current.is_none() {
            self.current = Some(self.spawn()?);
        }
        let Some(p) = &mut self.current else { return Ok(()) };
        let r = (|| {
            p.client.set("speed", json!(speed as f64 / 100.0))?;
            if p.loaded.as_deref() == Some(media) {
                if p.pending.is_some() {
                    // Still loading: it seeks there once loaded.
                    p.pending = Some(from_ms);
                    return Ok(());
                }
                p.seek_to(from_ms)?;
                return p.client.set("pause", json!(false));
            }
            // Loaded paused, so nothing of the start is heard before the seek.
            p.client.set("pause", json!(true))?;
            p.client.command(&[json!("loadfile"), json!(media), json!("replace")])?;
            p.loaded = Some(media.to_string());
            p.pending = Some(from_ms);
            p.settling = Some(from_ms);
            Ok(())
        })();
        r.map_err(|e| self.failure(e))
    }

    /// Start mpv and observe what the reader follows.
    fn spawn(&self) -> Result<Player, Failure> {
        let broken =
            |e: std::io::Error| Failure::Broken(format!("could not start the player: {e}"));
        let (ours, theirs) = UnixStream::pair().map_err(broken)?;
        let args = OWN_ARGS.iter().map(|a| a.to_string()).chain(self.opts.args.iter().cloned());
        let spawned = Proc::spawn(&self.opts.command, args, &theirs);
        // The player's end of the connection is closed here, or its end would not be seen
        // when the player exits.
        drop(theirs);
        let child = match spawned {
            Ok(c) => c,
            Err(Errno::ENOENT) => return Err(Failure::Broken(not_found(&self.opts.command))),
            Err(e) => {
                let name = crate::source::safe_text(&self.opts.command, false);
                return Err(Failure::Broken(format!("could not start {name}: {}", e.desc())));
            }
        };
        RUNNING.store(i32::try_from(child.id()).unwrap_or(0), Ordering::SeqCst);
        let (tx, news) = mpsc::channel();
        let waker = self.waker.as_ref().and_then(|w| w.try_clone().ok());
        let on = move |n: Incoming| {
            let _ = tx.send(n);
            if let Some(w) = &waker {
                // Non-blocking: a full pipe already holds a wake-up.
                let _ = (&*w).write(&[1]);
            }
        };
        let client = match Client::start(ours, self.deadline, on) {
            Ok(c) => c,
            Err(e) => {
                reap(child, Duration::ZERO);
                return Err(broken(e));
            }
        };
        let mut p =
            Player { child, client, news, loaded: None, pending: None, settling: None, last: 0 };
        let observed = [(TIME_POS, "time-pos"), (PAUSE, "pause"), (DURATION, "duration")]
            .iter()
            .try_for_each(|(id, name)| p.client.observe(*id, name));
        if let Err(e) = observed {
            let why = p.ended(&e);
            p.stop();
            return Err(Failure::Broken(why));
        }
        p.last = 0;
        Ok(p)
    }

    /// A failed call as a failure: a broken player's says why it is gone.
    fn failure(&mut self, e: IpcError) -> Failure {
        if !e.is_broken() {
            return Failure::Refused(format!("mpv: {}", e_text(&e)));
        }
        match &mut self.current {
            Some(p) => Failure::Broken(p.ended(&e)),
            None => Failure::Broken(e.to_string()),
        }
    }

    /// The connection ended by itself: the player is reaped; why it ended.
    fn gone(&mut self) -> String {
        let why = match &mut self.current {
            Some(p) => p.ended(&IpcError::Closed),
            None => "the player went away".to_string(),
        };
        self.stop_current();
        why
    }

    fn stop_current(&mut self) {
        if let Some(p) = self.current.take() {
            p.stop();
        }
    }
}

impl Drop for Players {
    fn drop(&mut self) {
        self.stop_current();
    }
}

impl Player {
    /// An event from mpv: news for the reader in `out`, and what the reader asked for
    /// once the recording is loaded.
    fn event(
        &mut self,
        name: &str,
        obj: &Map<String, Value>,
        out: &mut Vec<PlayerEvent>,
    ) -> Result<(), Failure> {
        let broken = |e: IpcError| match e.is_broken() {
            true => Failure::Broken(format!("the player stopped answering: {e}")),
            false => Failure::Refused(format!("mpv: {}", e_text(&e))),
        };
        match name {
            "property-change" => {
                let data = obj.get("data");
                match obj.get("id").and_then(Value::as_u64) {
                    Some(TIME_POS) => {
                        let Some(t) = data.and_then(Value::as_f64).filter(|t| *t >= 0.0) else {
                            return Ok(());
                        };
                        let ms = (t * 1000.0).round() as u64;
                        if let Some(want) = self.settling {
                            // Times from before the seek took effect are not reported.
                            if self.pending.is_some() || want.abs_diff(ms) > 1500 {
                                return Ok(());
                            }
                            self.settling = None;
                        }
                        self.last = ms;
                        out.push(PlayerEvent::Time(ms));
                    }
                    Some(PAUSE) if self.pending.is_none() => {
                        if let Some(p) = data.and_then(Value::as_bool) {
                            out.push(PlayerEvent::Paused(p));
                        }
                    }
                    Some(DURATION) => {
                        if let Some(d) = data.and_then(Value::as_f64).filter(|d| *d > 0.0) {
                            out.push(PlayerEvent::Duration((d * 1000.0).round() as u64));
                        }
                    }
                    _ => {}
                }
            }
            "file-loaded" => {
                if let Some(from) = self.pending.take() {
                    self.seek_to(from).map_err(broken)?;
                    self.client.set("pause", json!(false)).map_err(broken)?;
                }
            }
            "playback-restart" => self.settling = None,
            "end-file" => {
                let reason = obj.get("reason").and_then(Value::as_str).unwrap_or("");
                match reason {
                    "eof" => {
                        self.loaded = None;
                        out.push(PlayerEvent::Ended);
                    }
                    "error" => {
                        let media = self.loaded.take().unwrap_or_default();
                        self.pending = None;
                        self.settling = None;
                        let why = obj.get("file_error").and_then(Value::as_str).unwrap_or("error");
                        out.push(PlayerEvent::Failed(format!(
                            "mpv could not play {}: {}",
                            crate::source::safe_text(&media, false),
                            crate::source::safe_text(why, false)
                        )));
                    }
                    // Replaced by another recording, or stopped: asked for.
                    _ => {}
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn seek_to(&mut self, ms: u64) -> Result<(), IpcError> {
        self.settling = Some(ms);
        let at = json!(ms as f64 / 1000.0);
        self.client.command(&[json!("seek"), at, json!("absolute+exact")]).map(drop)
    }

    /// Why the player can no longer be talked to, after `e`: it exited (with its status),
    /// or stopped answering.
    fn ended(&mut self, e: &IpcError) -> String {
        let limit = Instant::now() + REAP_WAIT;
        loop {
            match self.child.try_wait() {
                Some(status) => {
                    return format!("mpv exited ({status}); check [player] command and args");
                }
                None if Instant::now() < limit && matches!(e, IpcError::Closed) => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                None => return format!("mpv stopped: {e}"),
            }
        }
    }

    /// Close the connection (mpv exits), and reap it, killing it if it lingers.
    fn stop(self) {
        self.client.close();
        reap(self.child, REAP_WAIT);
    }
}

/// Wait up to `wait` for the child to exit, then kill it; reap it either way.
fn reap(mut child: Proc, wait: Duration) {
    let limit = Instant::now() + wait;
    while Instant::now() < limit && child.try_wait().is_none() {
        std::thread::sleep(Duration::from_millis(5));
    }
    if child.try_wait().is_none() {
        child.kill();
    }
    child.wait();
    let pid = i32::try_from(child.id()).unwrap_or(0);
    let _ = RUNNING.compare_exchange(pid, 0, Ordering::SeqCst, Ordering::SeqCst);
}

/// The player's process. Started with `posix_spawnp` rather than std's `Command`, so that it
/// begins with no signal blocked and SIGPIPE at its default: the reader blocks SIGTSTP in
/// all its threads ([`crate::term::Signals`]), and `Command` would pass that on (a player
/// that could not be stopped, nor its own children).
struct Proc {
    pid: Pid,
    /// How it ended, once reaped.
    ended: Option<String>,
}

impl Proc {
    /// Start `command` (found on `PATH` unless it holds a `/`) with `args`, `stdin` as its
    /// standard input and `/dev/null` as its output, in this process's environment.
    fn spawn(
        command: &str,
        args: impl Iterator<Item = String>,
        stdin: &impl AsRawFd,
    ) -> Result<Proc, Errno> {
        let c = |s: &[u8]| CString::new(s).map_err(|_| Errno::EINVAL);
        let program = c(command.as_bytes())?;
        let mut argv = vec![program.clone()];
        for a in args {
            argv.push(c(a.as_bytes())?);
        }
        let mut env = Vec::new();
        for (k, v) in std::env::vars_os() {
            env.push(c(&[k.as_bytes(), b"=", v.as_bytes()].concat())?);
        }
        let null = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .map_err(|e| e.raw_os_error().map_or(Errno::EIO, Errno::from_raw))?;
        let mut files = PosixSpawnFileActions::init()?;
        files.add_dup2(stdin.as_raw_fd(), 0)?;
        files.add_dup2(null.as_raw_fd(), 1)?;
        files.add_dup2(null.as_raw_fd(), 2)?;
        let mut attr = PosixSpawnAttr::init()?;
        attr.set_flags(
            PosixSpawnFlags::POSIX_SPAWN_SETSIGMASK | PosixSpawnFlags::POSIX_SPAWN_SETSIGDEF,
        )?;
        attr.set_sigmask(&SigSet::empty())?;
        let mut defaults = SigSet::empty();
        defaults.add(Signal::SIGPIPE);
        attr.set_sigdefault(&defaults)?;
        let pid = posix_spawnp(&program, &files, &attr, &argv, &env)?;
        Ok(Proc { pid, ended: None })
    }

    fn id(&self) -> u32 {
        u32::try_from(self.pid.as_raw()).unwrap_or(0)
    }

    /// How it ended (`exit status: 1`), if it has: reaped then.
    fn try_wait(&mut self) -> Option<String> {
        if self.ended.is_none() {
            self.ended = match waitpid(self.pid, Some(WaitPidFlag::WNOHANG)) {
                Ok(WaitStatus::Exited(_, code)) => Some(format!("exit status: {code}")),
                Ok(WaitStatus::Signaled(_, sig, _)) => Some(format!("killed by {}", sig.as_str())),
                Ok(_) => None,
                Err(e) => Some(e.desc().to_string()),
            };
        }
        self.ended.clone()
    }

    fn kill(&self) {
        let _ = nix::sys::signal::kill(self.pid, Signal::SIGKILL);
    }

    /// Wait until it has ended, and reap it.
    fn wait(&mut self) {
        if self.ended.is_none() {
            let _ = waitpid(self.pid, None);
            self.ended = Some("ended".to_string());
        }
    }
}

/// What a failed command says, without the "refused" framing.
fn e_text(e: &IpcError) -> String {
    match e {
        IpcError::Refused(why) => why.clone(),
        e => e.to_string(),
    }
}

/// The play key's answer when the player program is missing.
fn not_found(command: &str) -> String {
    if command == "mpv" {
        NO_PLAYER.to_string()
    } else {
        let name = crate::source::safe_text(command, false);
        format!(
            "{name} not found ([player] command): install mpv to listen (apt install mpv / brew install mpv)"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn players(command: &str) -> Players {
        let opts = PlayerOptions { command: command.to_string(), args: Vec::new() };
        Players::new(opts, None).with_deadline(Duration::from_secs(10))
    }

    fn play() -> PlayerCmd {
        PlayerCmd::Play { media: "/nowhere/talk.wav".into(), from_ms: 123_000, speed: 100 }
    }

    #[test]
    fn a_missing_player_is_told_how_to_install_it() {
        assert_eq!(not_found("mpv"), NO_PLAYER);
        let mut p = players("fangtan-test-no-such-player");
        let news = p.carry_out(play());
        assert_eq!(news.len(), 1, "{news:?}");
        let PlayerEvent::Failed(why) = &news[0] else { panic!("{news:?}") };
        assert!(why.contains("not found") && why.contains("apt install mpv"), "{why}");
        assert_eq!(p.pid(), None);
        // Nothing runs, so the other commands have nothing to do.
        assert_eq!(p.carry_out(PlayerCmd::Pause(true)), Vec::new());
    }

    #[test]
    fn a_player_that_exits_at_once_is_reported_with_its_status() {
        // `false` takes the options and exits 1, as mpv does with a bad one.
        let deadline = Duration::from_secs(60);
        let mut p = players("false").with_deadline(deadline);
        let started = Instant::now();
        let news = p.carry_out(play());
        // Its exit ends the connection: nothing waits for the deadline.
        assert!(started.elapsed() < deadline / 2, "waited for the deadline");
        let [PlayerEvent::Failed(why)] = news.as_slice() else { panic!("{news:?}") };
        assert!(why.starts_with("mpv exited") && why.contains("status: 1"), "{why}");
        assert_eq!(p.pid(), None, "reaped");
        assert!(p.take_news().is_empty());
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn the_player_starts_with_no_signal_blocked_though_the_reader_blocks_sigtstp() {
        // As in the reader, SIGTSTP is blocked in the thread that starts the player.
        let mut tstp = SigSet::empty();
        tstp.add(Signal::SIGTSTP);
        tstp.thread_block().expect("block");
        let (_ours, theirs) = UnixStream::pair().expect("pair");
        let started = Proc::spawn("sleep", ["30".to_string()].into_iter(), &theirs);
        tstp.thread_unblock().expect("unblock");
        let mut child = started.expect("sleep starts");
        let status = std::fs::read_to_string(format!("/proc/{}/status", child.id()));
        child.kill();
        child.wait();
        let status = status.expect("its status");
        let blocked = status.lines().find(|l| l.starts_with("SigBlk:")).unwrap_or_default();
        assert_eq!(blocked.split_whitespace().nth(1), Some("0000000000000000"), "{blocked}");
    }

    #[test]
    fn a_recording_beside_the_transcript_is_found_by_its_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        let talk = dir.path().join("talk.md");
        assert_eq!(beside(&talk), None);
        std::fs::write(dir.path().join("talk.ogg"), b"").expect("write");
        std::fs::write(dir.path().join("talk.mp3"), b"").expect("write");
        std::fs::write(dir.path().join("other.wav"), b"").expect("write");
        let found = beside(&talk).expect("found");
        assert!(found.ends_with("/talk.mp3"), "mp3 comes first: {found}");
    }
}

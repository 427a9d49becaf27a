//! mpv's JSON IPC, the client side, over one Unix socket connection.
//!
//! The protocol: one JSON object a line each way. A command goes out as
//! `{"command": ["seek", 123, "absolute+exact"], "request_id": 7}`; its reply comes back as
//! `{"request_id": 7, "error": "success", "data": …}`, and events
//! (`{"event": "property-change", "id": 1, "name": "time-pos", "data": 12.5}`, `file-loaded`,
//! `end-file`, …) come in between, in any order. A property observed
//! (`observe_property`) is reported on this connection only, so it is kept open for the
//! player's life.
//!
//! A thread reads the connection: each reply goes to the call waiting for its
//! `request_id`, each event to the callback given to [`Client::start`], and the end of the
//! connection (the player exited or closed it) to the callback as [`Incoming::Closed`],
//! failing every call still waiting.
//!
//! Invariant: no call waits longer than the client's deadline, whatever the player does
//! (answers late, never, or dies); a line that is not JSON, or far too long, is skipped.

use std::collections::HashMap;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, SyncSender};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde_json::{Map, Value, json};

/// The longest line read from the player; a longer one is skipped.
const MAX_LINE: u64 = 1 << 20;

/// Why a call failed.
#[derive(Debug, thiserror::Error)]
pub enum IpcError {
    #[error("the player closed the connection")]
    Closed,
    #[error("the player did not answer within {} s", .0.as_secs_f64())]
    Timeout(Duration),
    /// The player answered with an error (`"property unavailable"`, …).
    #[error("the player refused: {0}")]
    Refused(String),
    #[error("the player's connection failed: {0}")]
    Io(#[from] io::Error),
}

impl IpcError {
    /// The player cannot be talked to any more (rather than having refused one command).
    pub fn is_broken(&self) -> bool {
        !matches!(self, IpcError::Refused(_))
    }
}

/// What the player sends besides replies.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// An event: its name and the whole object.
    Event(String, Map<String, Value>),
    /// The connection ended (the player exited, or closed it).
    Closed,
}

type Reply = Result<Value, IpcError>;

/// The calls waiting for a reply, by request id; closed once the connection ended.
#[derive(Default)]
struct Waiting {
    calls: HashMap<u64, SyncSender<Reply>>,
    closed: bool,
}

/// One connection to the player.
pub struct Client {
    stream: UnixStream,
    next_id: AtomicU64,
    waiting: Arc<Mutex<Waiting>>,
    deadline: Duration,
}

fn lock(w: &Mutex<Waiting>) -> MutexGuard<'_, Waiting> {
    // A poisoned lock only means a thread panicked holding it; the map is still whole.
    w.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Client {
    /// Talk to the player at the other end of `stream`. Every call waits at most
    /// `deadline` for its reply (and for its line to be written); events and the end of
    /// the connection go to `on`, from the reading thread.
    pub fn start(
        stream: UnixStream,
        deadline: Duration,
        mut on: impl FnMut(Incoming) + Send + 'static,
    ) -> io::Result<Client> {
        let reading = stream.try_clone()?;
        stream.set_write_timeout(Some(deadline))?;
        let waiting = Arc::new(Mutex::new(Waiting::default()));
        let shared = Arc::clone(&waiting);
        std::thread::Builder::new().name("fangtan-player".into()).spawn(move || {
            read_all(reading, &shared, &mut on);
            let mut w = lock(&shared);
            w.closed = true;
            // Dropping the senders ends every wait at once.
            w.calls.clear();
            drop(w);
            on(Incoming::Closed);
        })?;
        Ok(Client { stream, next_id: AtomicU64::new(1), waiting, deadline })
    }

    /// Send a command (`["seek", 12.5, "absolute+exact"]`) and wait for its reply: the
    /// reply's `data` (`null` when there is none).
    pub fn command(&self, args: &[Value]) -> Result<Value, IpcError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::sync_channel(1);
        {
            let mut w = lock(&self.waiting);
            if w.closed {
                return Err(IpcError::Closed);
            }
            w.calls.insert(id, tx);
        }
        let mut line = json!({ "command": args, "request_id": id }).to_string();
        line.push('\n');
        if let Err(e) = (&self.stream).write_all(line.as_bytes()) {
            lock(&self.waiting).calls.remove(&id);
            return Err(match e.kind() {
                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => {
                    IpcError::Timeout(self.deadline)
                }
                io::ErrorKind::BrokenPipe
                | io::ErrorKind::ConnectionReset
                | io::ErrorKind::NotConnected => IpcError::Closed,
                _ => IpcError::Io(e),
            });
        }
        match rx.recv_timeout(self.deadline) {
            Ok(reply) => reply,
            Err(RecvTimeoutError::Timeout) => {
                lock(&self.waiting).calls.remove(&id);
                Err(IpcError::Timeout(self.deadline))
            }
            Err(RecvTimeoutError::Disconnected) => Err(IpcError::Closed),
        }
    }

    /// Set a property (`pause`, `speed`, …).
    pub fn set(&self, property: &str, value: Value) -> Result<(), IpcError> {
        self.command(&[json!("set_property"), json!(property), value]).map(drop)
    }

    /// Have changes of `property` reported as `property-change` events carrying `id`.
    pub fn observe(&self, id: u64, property: &str) -> Result<(), IpcError> {
        self.command(&[json!("observe_property"), json!(id), json!(property)]).map(drop)
    }

    /// End the connection, for both directions and every clone: the player sees it closed
    /// (mpv then exits), and the reading thread ends.
    pub fn close(&self) {
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        self.close();
    }
}

/// Read lines until the connection ends: replies to their calls, events to `on`.
fn read_all(stream: UnixStream, waiting: &Mutex<Waiting>, on: &mut impl FnMut(Incoming)) {
    let mut r = BufReader::new(stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        match (&mut r).take(MAX_LINE).read_until(b'\n', &mut line) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return,
        }
        if !line.ends_with(b"\n") && line.len() as u64 == MAX_LINE {
            // Far too long: skip to its end.
            loop {
                line.clear();
                match (&mut r).take(MAX_LINE).read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => return,
                    Ok(_) if line.ends_with(b"\n") => break,
                    Ok(_) => {}
                }
            }
            continue;
        }
        let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(&line) else { continue };
        if let Some(name) = obj.get("event").and_then(Value::as_str) {
            on(Incoming::Event(name.to_string(), obj));
            continue;
        }
        let Some(id) = obj.get("request_id").and_then(Value::as_u64) else { continue };
        let reply = match obj.get("error").and_then(Value::as_str) {
            None | Some("success") => Ok(obj.get("data").cloned().unwrap_or(Value::Null)),
            Some(e) => Err(IpcError::Refused(e.to_string())),
        };
        if let Some(tx) = lock(waiting).calls.remove(&id) {
            let _ = tx.try_send(reply);
        }
    }
}

#[cfg(test)]
mod tests {
    //! The client against a fake mpv: a Unix-socket server in the test, which reads the
    //! client's lines and answers (or not) as each test says.
    use super::*;
    use std::io::BufRead;
    use std::time::Instant;

    /// A fake player: reads the client's lines, writes what the test says.
    struct Fake {
        lines: std::io::Lines<BufReader<UnixStream>>,
        out: UnixStream,
    }

    impl Fake {
        fn next(&mut self) -> Value {
            let line = self.lines.next().expect("a line").expect("read");
            serde_json::from_str(&line).expect("JSON")
        }
        fn send(&mut self, v: &Value) {
            let mut line = v.to_string();
            line.push('\n');
            self.out.write_all(line.as_bytes()).expect("write");
        }
    }

    /// A client with `deadline` connected to a fake player listening on a socket file, the
    /// player's end, and what the client heard.
    fn connect(deadline: Duration) -> (Client, Fake, mpsc::Receiver<Incoming>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("mpv.sock");
        let server = std::os::unix::net::UnixListener::bind(&path).expect("listen");
        let ours = UnixStream::connect(&path).expect("connect");
        let (theirs, _) = server.accept().expect("accept");
        let (tx, rx) = mpsc::channel();
        let client = Client::start(ours, deadline, move |i| {
            let _ = tx.send(i);
        })
        .expect("client");
        let reading = BufReader::new(theirs.try_clone().expect("clone"));
        (client, Fake { lines: reading.lines(), out: theirs }, rx)
    }

    /// Run `f` (the fake player's side) on a thread of its own.
    fn player(mut fake: Fake, f: impl FnOnce(&mut Fake) + Send + 'static) {
        std::thread::spawn(move || f(&mut fake));
    }

    const LONG: Duration = Duration::from_secs(10);

    #[test]
    fn a_command_is_one_json_line_with_a_request_id_and_gets_its_reply() {
        let (client, fake, _heard) = connect(LONG);
        let (seen_tx, seen) = mpsc::channel();
        player(fake, move |p| {
            let cmd = p.next();
            let id = cmd["request_id"].clone();
            seen_tx.send(cmd).expect("send");
            p.send(&json!({ "request_id": id, "error": "success", "data": 123.5 }));
        });
        let got = client.command(&[json!("get_property"), json!("time-pos")]).expect("reply");
        assert_eq!(got, json!(123.5));
        let cmd = seen.recv().expect("the command");
        assert_eq!(cmd["command"], json!(["get_property", "time-pos"]));
        assert!(cmd["request_id"].as_u64().is_some_and(|id| id > 0), "{cmd}");
        let keys: Vec<&String> = cmd.as_object().expect("object").keys().collect();
        assert_eq!(keys.len(), 2, "{cmd}");
    }

    #[test]
    fn replies_are_matched_by_request_id_and_events_between_them_are_told() {
        let (client, fake, heard) = connect(LONG);
        player(fake, |p| {
            for _ in 0..2 {
                let id = p.next()["request_id"].as_u64().expect("id");
                // A stray reply (another id), an event, noise, then the answer.
                p.send(&json!({ "request_id": id + 1000, "error": "success", "data": "wrong" }));
                p.send(&json!({ "event": "property-change", "id": 1, "name": "time-pos",
                                "data": id as f64 }));
                p.out.write_all(b"not json\n").expect("write");
                p.send(&json!({ "request_id": id, "error": "success", "data": id }));
            }
            p.send(&json!({ "event": "end-file", "reason": "eof" }));
            let id = p.next()["request_id"].clone();
            p.send(&json!({ "request_id": id, "error": "property unavailable" }));
        });
        for _ in 0..2 {
            let data = client.command(&[json!("get_property"), json!("x")]).expect("reply");
            let event = heard.recv_timeout(LONG).expect("an event");
            let Incoming::Event(name, obj) = event else { panic!("{event:?}") };
            assert_eq!(name, "property-change");
            assert_eq!(obj["data"].as_f64(), data.as_u64().map(|d| d as f64), "its own reply");
        }
        let refused = client.set("pause", json!(true));
        assert!(
            matches!(&refused, Err(IpcError::Refused(e)) if e == "property unavailable"),
            "{refused:?}"
        );
        let end = heard.recv_timeout(LONG).expect("an event");
        assert!(matches!(&end, Incoming::Event(n, o) if n == "end-file" && o["reason"] == "eof"));
    }

    #[test]
    fn a_player_that_dies_fails_the_waiting_call_at_once_and_is_told() {
        let (client, fake, heard) = connect(LONG);
        player(fake, |p| {
            let _ = p.next();
            // Exits without answering.
            let _ = p.out.shutdown(std::net::Shutdown::Both);
        });
        let started = Instant::now();
        let r = client.command(&[json!("loadfile"), json!("x.mp3")]);
        assert!(matches!(r, Err(IpcError::Closed)), "{r:?}");
        // Well before the deadline: the end of the connection ends the wait.
        assert!(started.elapsed() < LONG, "waited for the deadline");
        assert_eq!(heard.recv_timeout(LONG).expect("told"), Incoming::Closed);
        let again = client.command(&[json!("stop")]);
        assert!(matches!(again, Err(IpcError::Closed | IpcError::Io(_))), "{again:?}");
    }

    #[test]
    fn a_player_that_never_answers_hits_the_deadline() {
        let deadline = Duration::from_millis(200);
        let (client, fake, _heard) = connect(deadline);
        // Reads every command, answers none, stays connected.
        player(fake, |p| while p.lines.next().is_some() {});
        let r = client.command(&[json!("seek"), json!(123), json!("absolute+exact")]);
        assert!(matches!(r, Err(IpcError::Timeout(d)) if d == deadline), "{r:?}");
        assert!(r.is_err_and(|e| e.is_broken()));
    }

    #[test]
    fn a_player_that_reads_nothing_cannot_block_a_write_past_the_deadline() {
        let deadline = Duration::from_millis(200);
        let (client, fake, _heard) = connect(deadline);
        // The fake never reads: the socket's buffer fills, and a write would block.
        let _keep = fake;
        let big = "x".repeat(1 << 20);
        let r = client.command(&[json!("show-text"), json!(big)]);
        assert!(matches!(r, Err(IpcError::Timeout(_))), "{r:?}");
    }
}

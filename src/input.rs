//! The input half of stage 4's terminal edge: bytes from the terminal become events
//! (keys, mouse, pastes). termina's parser decodes them; this module owns reading and
//! time.
//!
//! Invariant: input never wedges. A sequence the terminal left incomplete (line noise, a
//! mistyped key: `ESC [ <`, `ESC [ ?`) is dropped once no byte has come for
//! [`SEQUENCE_WAIT`], so the next key works; a paste whose end marker never comes is
//! delivered with what arrived once no byte has come for [`PASTE_WAIT`]. A lone `ESC`
//! at the end of what the terminal sent is the Esc key at once.

use std::fs::File;
use std::io::{self, IsTerminal, Read};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::time::{Duration, Instant};

use termina::{Event, Parser};

/// How long an incomplete escape sequence waits for its next byte before it is dropped.
/// A terminal sends a whole sequence in one go; a gap this long means it never ends.
pub const SEQUENCE_WAIT: Duration = Duration::from_millis(100);

/// How long an unfinished paste waits for its next byte before it is delivered as it
/// is. Longer than [`SEQUENCE_WAIT`]: a big paste over a slow link can pause mid-way,
/// and its rest would then arrive as keys.
pub const PASTE_WAIT: Duration = Duration::from_millis(500);

/// The longest escape sequence kept waiting; anything longer is noise and is dropped
/// (the parser rereads what it holds on every byte).
const LONGEST_SEQUENCE: usize = 256;

const PASTE_START: &[u8] = b"\x1b[200~";
const PASTE_END: &[u8] = b"\x1b[201~";

/// Bytes to events, with no clock: the owner says when the wait for a pending sequence
/// ran out ([`Decoder::finish`]).
#[derive(Debug, Default)]
pub struct Decoder {
    parser: Parser,
    /// Bytes given to the parser since it last produced an event.
    pending: Vec<u8>,
    /// The text of a bracketed paste whose end has not come yet.
    paste: Option<Vec<u8>>,
    events: std::collections::VecDeque<Event>,
}

impl Decoder {
    /// Take what one read from the terminal returned. A lone `ESC` at its end is the Esc
    /// key (the terminal sends a key's whole sequence in one write).
    pub fn feed(&mut self, bytes: &[u8]) {
        for (i, &b) in bytes.iter().enumerate() {
            if let Some(paste) = &mut self.paste {
                paste.push(b);
                if paste.ends_with(PASTE_END) {
                    paste.truncate(paste.len() - PASTE_END.len());
                    self.close_paste();
                }
                continue;
            }
            self.pending.push(b);
            self.parser.parse(&[b], i + 1 < bytes.len());
            let before = self.events.len();
            while let Some(e) = self.parser.pop() {
                self.events.push_back(e);
            }
            if self.events.len() > before {
                self.pending.clear();
            } else if self.pending.ends_with(PASTE_START) {
                // The paste is collected here, not by the parser: it rereads its whole
                // buffer on every byte, and the paste must close at a timeout.
                self.drop_pending();
                self.paste = Some(Vec::new());
            } else if self.pending.len() > LONGEST_SEQUENCE {
                self.drop_pending();
            }
        }
    }

    /// How long what is pending may wait for its next byte; `None` when nothing is.
    pub fn waiting(&self) -> Option<Duration> {
        if self.paste.is_some() {
            Some(PASTE_WAIT)
        } else if !self.pending.is_empty() {
            Some(SEQUENCE_WAIT)
        } else {
            None
        }
    }

    /// The wait ran out: a paste is delivered with what arrived, a lone `ESC` is the Esc
    /// key, and an incomplete sequence is dropped.
    pub fn finish(&mut self) {
        if self.paste.is_some() {
            self.close_paste();
            return;
        }
        self.parser.parse(&[], false);
        while let Some(e) = self.parser.pop() {
            self.events.push_back(e);
        }
        self.drop_pending();
    }

    /// The next decoded event.
    pub fn pop(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    fn close_paste(&mut self) {
        if let Some(text) = self.paste.take() {
            self.events.push_back(Event::Paste(String::from_utf8_lossy(&text).into_owned()));
        }
    }

    fn drop_pending(&mut self) {
        self.parser = Parser::default();
        self.pending.clear();
    }
}

/// The terminal's input: standard input when it is the terminal, else `/dev/tty` (a
/// document piped in on standard input).
pub struct Tty {
    file: File,
    decoder: Decoder,
    /// When the last byte came, for the wait of a pending sequence.
    last: Instant,
}

impl Tty {
    pub fn open() -> io::Result<Tty> {
        let stdin = io::stdin();
        let tty = if stdin.is_terminal() {
            // A file of its own: standard input's handle reads through a buffer, which
            // would keep bytes from the readiness wait.
            File::from(std::os::fd::AsFd::as_fd(&stdin).try_clone_to_owned()?)
        } else {
            File::open("/dev/tty")?
        };
        Ok(Tty::reading(tty))
    }

    fn reading(tty: File) -> Tty {
        Tty { file: tty, decoder: Decoder::default(), last: Instant::now() }
    }

    /// The next event, waiting at most about `wait` for it. `None` when the wait ran out
    /// or `wake` became readable (a signal to look at; what it holds is drained). What the
    /// terminal already sent is read even when `wait` is zero.
    pub fn next(&mut self, wait: Duration, wake: &UnixStream) -> io::Result<Option<Event>> {
        let until = Instant::now() + wait;
        loop {
            if let Some(e) = self.decoder.pop() {
                return Ok(Some(e));
            }
            let now = Instant::now();
            let mut timeout = until.saturating_duration_since(now);
            if let Some(grace) = self.decoder.waiting() {
                let due = self.last + grace;
                if now >= due {
                    self.decoder.finish();
                    continue;
                }
                timeout = timeout.min(due - now);
            }
            let (input, woken) = match ready(&self.file, wake, timeout) {
                Ok(r) => r,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(None),
                Err(e) => return Err(e),
            };
            if woken {
                // One read: more left over only makes the next wait return at once.
                let _ = (&*wake).read(&mut [0u8; 64]);
                return Ok(None);
            }
            if input {
                let mut buf = [0u8; 1024];
                match self.file.read(&mut buf) {
                    Ok(0) => {
                        return Err(io::Error::new(
                            io::ErrorKind::UnexpectedEof,
                            "the terminal closed",
                        ));
                    }
                    Ok(n) => {
                        self.decoder.feed(&buf[..n]);
                        self.last = Instant::now();
                    }
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
                continue;
            }
            if Instant::now() >= until {
                return Ok(None);
            }
        }
    }
}

/// Wait up to `timeout` for the terminal or `wake`: whether each is ready (a hang-up
/// counts as ready, so the read reports it).
fn ready(tty: &File, wake: &UnixStream, timeout: Duration) -> io::Result<(bool, bool)> {
    use filedescriptor::{POLLERR, POLLHUP, POLLIN, pollfd};
    let fd = |raw| pollfd { fd: raw, events: POLLIN, revents: 0 };
    let mut fds = [fd(tty.as_raw_fd()), fd(wake.as_raw_fd())];
    // poll counts whole milliseconds: round up, or a short wait would not wait at all.
    let ms = u64::try_from(timeout.as_micros().div_ceil(1000)).unwrap_or(u64::MAX);
    match filedescriptor::poll(&mut fds, Some(Duration::from_millis(ms))) {
        Ok(_) => {}
        Err(filedescriptor::Error::Poll(e) | filedescriptor::Error::Io(e)) => return Err(e),
        Err(e) => return Err(io::Error::other(e)),
    }
    let any = POLLIN | POLLHUP | POLLERR;
    Ok((fds[0].revents & any != 0, fds[1].revents & any != 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use termina::event::{KeyCode, KeyEvent, MouseButton, MouseEventKind};

    fn drain(d: &mut Decoder) -> Vec<Event> {
        std::iter::from_fn(|| d.pop()).collect()
    }

    fn key(c: char) -> Event {
        Event::Key(KeyEvent::new(KeyCode::Char(c), termina::event::Modifiers::NONE))
    }

    #[test]
    fn an_incomplete_sequence_is_dropped_at_the_timeout_and_the_next_key_works() {
        for noise in [&b"\x1b[<"[..], b"\x1b[?", b"\x1b[", b"\x1b[<0;12", b"\x1bO", b"\xe4\xb8"] {
            let mut d = Decoder::default();
            d.feed(noise);
            d.feed(b"q");
            // Before the timeout the key is taken as part of the sequence.
            assert_eq!(drain(&mut d), vec![], "{noise:?}");
            assert_eq!(d.waiting(), Some(SEQUENCE_WAIT), "{noise:?}");
            d.finish();
            assert_eq!(drain(&mut d), vec![], "{noise:?}");
            assert_eq!(d.waiting(), None, "{noise:?}");
            d.feed(b"q");
            assert_eq!(drain(&mut d), vec![key('q')], "{noise:?}");
        }
    }

    #[test]
    fn a_paste_without_its_end_is_delivered_at_the_timeout() {
        let mut d = Decoder::default();
        d.feed(b"\x1b[200~lantern ");
        d.feed("灯".as_bytes());
        assert_eq!(drain(&mut d), vec![]);
        assert_eq!(d.waiting(), Some(PASTE_WAIT));
        d.finish();
        assert_eq!(drain(&mut d), vec![Event::Paste("lantern 灯".into())]);
        d.feed(b"q");
        assert_eq!(drain(&mut d), vec![key('q')]);
    }

    #[test]
    fn whole_sequences_decode_however_the_reads_split_them() {
        let input: &[u8] = b"a\x1b[200~x\x1b[A\x1b[201~\x1b[<0;5;3M\x1b[Bz";
        let want = vec![
            key('a'),
            Event::Paste("x\x1b[A".into()),
            Event::Mouse(termina::event::MouseEvent {
                kind: MouseEventKind::Down(MouseButton::Left),
                column: 4,
                row: 2,
                modifiers: termina::event::Modifiers::NONE,
            }),
            Event::Key(KeyCode::Down.into()),
            key('z'),
        ];
        // The ESCs that start a sequence outside the paste.
        let starts = [1, 17, 26];
        assert!(starts.iter().all(|&i| input[i] == 0x1b));
        for split in 0..=input.len() {
            let mut d = Decoder::default();
            d.feed(&input[..split]);
            d.feed(&input[split..]);
            assert_eq!(d.waiting(), None, "split at {split}");
            // A read that ends in such an ESC makes it the Esc key (a terminal sends a
            // key's sequence in one write), so splits there are left out.
            if !starts.contains(&split.wrapping_sub(1)) {
                assert_eq!(drain(&mut d), want, "split at {split}");
            }
        }
    }

    /// An input reading one end of a socket pair, the terminal's side being the other.
    fn piped() -> (Tty, UnixStream, UnixStream, UnixStream) {
        let (ours, terminal) = UnixStream::pair().expect("pair");
        let (wake, waker) = UnixStream::pair().expect("pair");
        let input = Tty::reading(File::from(std::os::fd::OwnedFd::from(ours)));
        (input, terminal, wake, waker)
    }

    #[test]
    fn keys_already_sent_are_read_without_waiting() {
        use std::io::Write;
        let (mut input, mut terminal, wake, _waker) = piped();
        terminal.write_all(b"q").expect("write");
        let got = input.next(Duration::ZERO, &wake).expect("read");
        assert_eq!(got, Some(key('q')));
    }

    #[test]
    fn an_incomplete_sequence_times_out_in_the_reading_loop() {
        use std::io::Write;
        let (mut input, mut terminal, wake, _waker) = piped();
        terminal.write_all(b"\x1b[<").expect("write");
        // Steps until the loop itself has ended the sequence; the deadline is a hang guard.
        let guard = Instant::now() + Duration::from_secs(30);
        loop {
            assert_eq!(input.next(Duration::from_millis(20), &wake).expect("read"), None);
            if input.decoder.waiting().is_none() {
                break;
            }
            assert!(Instant::now() < guard, "the sequence never timed out");
        }
        terminal.write_all(b"q").expect("write");
        assert_eq!(input.next(Duration::from_secs(5), &wake).expect("read"), Some(key('q')));
    }

    #[test]
    fn a_signal_ends_the_wait() {
        use std::io::Write;
        let (mut input, _terminal, wake, mut waker) = piped();
        wake.set_nonblocking(true).expect("nonblocking");
        waker.write_all(&[0]).expect("write");
        assert_eq!(input.next(Duration::from_secs(10), &wake).expect("read"), None);
        let left = (&wake).read(&mut [0u8; 8]);
        assert!(left.is_err_and(|e| e.kind() == io::ErrorKind::WouldBlock), "woken and drained");
    }

    #[test]
    fn a_lone_escape_is_the_esc_key_at_once() {
        let mut d = Decoder::default();
        d.feed(b"\x1b");
        assert_eq!(drain(&mut d), vec![Event::Key(KeyCode::Escape.into())]);
        assert_eq!(d.waiting(), None);
    }

    #[test]
    fn endless_noise_is_dropped_without_waiting() {
        let mut d = Decoder::default();
        d.feed(b"\x1b[<");
        d.feed(&[b'1'; 10_000]);
        assert!(d.pending.len() <= LONGEST_SEQUENCE);
        d.finish();
        d.feed(b"q");
        assert_eq!(drain(&mut d).last(), Some(&key('q')));
    }
}

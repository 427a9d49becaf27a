//! The terminal edge of stage 4: raw mode, alternate screen and mouse capture on, and
//! restored on every way out — normal quit, error, panic (a chained hook), a terminating
//! signal ([`TERMINATING`]) — and around a stop (Ctrl-Z, or SIGTSTP from outside).
//! Restoring is idempotent, and ends a synchronized update a frame may have left open.
//! Frames are written by [`backend::LeanBackend`].

pub mod backend;

use std::io::{self, Stdout, Write};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode,
    enable_raw_mode,
};
use crossterm::{cursor, execute};
use nix::sys::signal::{SigSet, Signal};
use ratatui::Terminal;
use signal_hook::consts::{SIGALRM, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH};
use termina::event::{KeyCode, KeyEvent, Modifiers};

use self::backend::LeanBackend;
use crate::keymap::{Key, KeyChord, Mods};

/// Each frame reaches the terminal in one write, inside a synchronized update, so the
/// terminal never shows a half-drawn frame.
pub type Term = Terminal<LeanBackend<Stdout>>;

/// Set while the terminal is in reader mode, so restore runs once.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// Whether the reader captures the mouse (`[reading] mouse`); kept for a resume after
/// Ctrl-z.
static MOUSE: AtomicBool = AtomicBool::new(true);

/// Enter reader mode.
/// Enter reader mode; `mouse`: capture the mouse (wheel and clicks come to the reader,
/// and the terminal's own selection needs Shift).
pub fn init(mouse: bool) -> io::Result<Term> {
    MOUSE.store(mouse, Ordering::SeqCst);
    enter()?;
    Terminal::new(LeanBackend::new(io::stdout()))
}

fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    // Bracketed paste: a pasted note arrives whole, not as keys that would run commands.
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste, cursor::Hide)?;
    if MOUSE.load(Ordering::SeqCst) {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    Ok(())
}

/// Leave reader mode; safe to call any number of times, from any exit path.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        // A frame whose write failed may have begun an update that never ended.
        let _ = execute!(
            out,
            EndSynchronizedUpdate,
            DisableBracketedPaste,
            DisableMouseCapture,
            LeaveAlternateScreen,
            cursor::Show
        );
        let _ = disable_raw_mode();
        let _ = out.flush();
    }
}

/// Restore the terminal before any panic message prints, then run the previous hook.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// The signals that end the reader the way SIGTERM does: terminal restored, bookmarks and
/// position saved, exit status 128 + the signal. SIGPIPE is not among them: the Rust
/// runtime ignores it (a write to a closed pipe fails instead), and the reader's output
/// is the terminal.
pub const TERMINATING: [i32; 7] = [SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM];

/// What signals asked for, kept for the event loop: each only sets a flag and writes a
/// byte to `wake`, which ends the loop's wait for input; the loop does the rest. Other
/// threads with news for the loop write to it too ([`Signals::waker`]).
pub struct Signals {
    /// The last terminating signal received, 0 if none.
    which: Arc<AtomicUsize>,
    /// A stop was asked from outside (SIGTSTP).
    stop: Arc<AtomicBool>,
    /// The window changed size (SIGWINCH).
    resized: Arc<AtomicBool>,
    /// Readable once a signal came.
    wake: UnixStream,
    /// The other end of `wake`, for other news to end the wait ([`Signals::waker`]).
    waker: UnixStream,
}

impl Signals {
    /// Install the handlers. Call before the reader starts any thread: SIGTSTP is blocked
    /// here and threads started later inherit that, so a stop from outside reaches the
    /// thread waiting for it instead of stopping the process in reader mode.
    pub fn register() -> io::Result<Signals> {
        let which = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let resized = Arc::new(AtomicBool::new(false));
        let (wake, waker) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        waker.set_nonblocking(true)?;
        // The flag first: the wake-up must find it set.
        for sig in TERMINATING {
            signal_hook::flag::register_usize(sig, Arc::clone(&which), sig as usize)?;
            signal_hook::low_level::pipe::register(sig, waker.try_clone()?)?;
        }
        signal_hook::flag::register(SIGWINCH, Arc::clone(&resized))?;
        signal_hook::low_level::pipe::register(SIGWINCH, waker.try_clone()?)?;
        // A handler would replace SIGTSTP's own action, the stop, which the kernel knows to
        // skip when no shell could continue the reader (a stop of our own making would
        // hang it there). So SIGTSTP stays blocked, a thread waits for it, and `suspend`
        // lets it through once the terminal is restored.
        tstp().thread_block()?;
        let asked = Arc::clone(&stop);
        let stops = waker.try_clone()?;
        std::thread::Builder::new().name("fangtan-tstp".into()).spawn(move || {
            while tstp().wait().is_ok() {
                asked.store(true, Ordering::SeqCst);
                let _ = (&stops).write(&[0]);
            }
        })?;
        Ok(Signals { which, stop, resized, wake, waker })
    }

    /// The signal number to exit for, if one arrived.
    pub fn pending(&self) -> Option<i32> {
        match self.which.load(Ordering::SeqCst) {
            0 => None,
            sig => Some(sig as i32),
        }
    }

    /// Whether a stop was asked from outside since the last call.
    pub fn take_stop(&self) -> bool {
        self.stop.swap(false, Ordering::SeqCst)
    }

    /// Whether the window changed size since the last call.
    pub fn take_resize(&self) -> bool {
        self.resized.swap(false, Ordering::SeqCst)
    }

    /// Readable once a signal came: the input wait watches it.
    pub fn wake(&self) -> &UnixStream {
        &self.wake
    }

    /// A writer to [`Signals::wake`] (non-blocking): a byte written ends the input wait,
    /// for news from another thread (the media player's).
    pub fn waker(&self) -> io::Result<UnixStream> {
        self.waker.try_clone()
    }
}

fn tstp() -> SigSet {
    let mut set = SigSet::empty();
    set.add(Signal::SIGTSTP);
    set
}

/// Stop the process as the shell's Ctrl-Z would, with the terminal restored; on resume,
/// re-enter reader mode and force a full redraw. Needs [`Signals::register`] first.
pub fn suspend(term: &mut Term) -> io::Result<()> {
    restore();
    // Raised at this thread, where it is blocked, then let through: SIGTSTP's own action
    // stops the process here until it is continued.
    nix::sys::signal::raise(Signal::SIGTSTP)?;
    tstp().thread_unblock()?;
    tstp().thread_block()?;
    enter()?;
    term.clear()
}

/// A key event as a keymap chord (shift folded into characters).
pub fn chord(k: &KeyEvent) -> Option<KeyChord> {
    let m = k.modifiers;
    let mut mods = Mods {
        ctrl: m.contains(Modifiers::CONTROL),
        alt: m.contains(Modifiers::ALT),
        shift: m.contains(Modifiers::SHIFT),
    };
    let key = match k.code {
        KeyCode::Char(' ') => Key::Space,
        KeyCode::Char(c) => {
            mods.shift = false;
            // Terminals report Ctrl-letters in either case.
            Key::Char(if mods.ctrl { c.to_ascii_lowercase() } else { c })
        }
        KeyCode::Enter => Key::Enter,
        KeyCode::Escape => Key::Esc,
        KeyCode::Tab => Key::Tab,
        KeyCode::BackTab => {
            mods.shift = false;
            Key::BackTab
        }
        KeyCode::Backspace => Key::Backspace,
        KeyCode::Delete => Key::Delete,
        KeyCode::Insert => Key::Insert,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Home => Key::Home,
        KeyCode::End => Key::End,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown => Key::PageDown,
        KeyCode::Function(n) => Key::F(n),
        _ => return None,
    };
    Some(KeyChord { key, mods })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, m: Modifiers) -> Option<KeyChord> {
        chord(&KeyEvent::new(code, m))
    }

    #[test]
    fn shift_folds_into_characters_and_ctrl_letters_are_lowercase() {
        assert_eq!(ev(KeyCode::Char('G'), Modifiers::SHIFT), Some(KeyChord::ch('G')));
        assert_eq!(ev(KeyCode::Char('}'), Modifiers::SHIFT), Some(KeyChord::ch('}')));
        assert_eq!(
            ev(KeyCode::Char('F'), Modifiers::CONTROL | Modifiers::SHIFT),
            Some(KeyChord::ctrl('f'))
        );
        assert_eq!(ev(KeyCode::Char(' '), Modifiers::NONE), Some(KeyChord::plain(Key::Space)));
        assert_eq!(ev(KeyCode::BackTab, Modifiers::SHIFT), Some(KeyChord::plain(Key::BackTab)));
        assert_eq!(ev(KeyCode::CapsLock, Modifiers::NONE), None);
    }

    #[test]
    fn default_keymap_reaches_the_spec_keys() {
        use crate::keymap::{Action, Keys};
        let k = Keys::default().reader;
        let look = |code, m| ev(code, m).and_then(|c| k.lookup(c));
        assert_eq!(look(KeyCode::Char('c'), Modifiers::CONTROL), Some(Action::ForceQuit));
        assert_eq!(look(KeyCode::Char('z'), Modifiers::CONTROL), Some(Action::Suspend));
        assert_eq!(look(KeyCode::Char(' '), Modifiers::NONE), Some(Action::PageDown));
        assert_eq!(look(KeyCode::Char('G'), Modifiers::SHIFT), Some(Action::Bottom));
        assert_eq!(look(KeyCode::PageUp, Modifiers::NONE), Some(Action::PageUp));
        assert_eq!(look(KeyCode::Escape, Modifiers::NONE), Some(Action::Cancel));
    }
}

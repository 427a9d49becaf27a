//! The terminal edge of stage 4: raw mode, alternate screen and mouse capture on, and
//! restored on every way out — normal quit, error, panic (a chained hook), SIGTERM/SIGHUP
//! — and around a Ctrl-Z suspend. Restoring is idempotent.

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, KeyCode,
    KeyEvent, KeyModifiers,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::keymap::{Key, KeyChord, Mods};

/// Frames go out through a buffer big enough for a whole screen, so each frame reaches the
/// terminal in one write (stdout alone flushes every kilobyte, and the terminal could
/// show a half-drawn frame).
pub type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Set while the terminal is in reader mode, so restore runs once.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Enter reader mode.
pub fn init() -> io::Result<Term> {
    enter()?;
    Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(1 << 16, io::stdout())))
}

fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    // Bracketed paste: a pasted note arrives whole, not as keys that would run commands.
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    Ok(())
}

/// Leave reader mode; safe to call any number of times, from any exit path.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let mut out = io::stdout();
        let _ = execute!(
            out,
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

/// The last termination signal received (SIGTERM or SIGHUP), 0 if none.
pub struct Signals {
    flag: Arc<AtomicBool>,
    which: Arc<AtomicUsize>,
}

impl Signals {
    pub fn register() -> io::Result<Signals> {
        let flag = Arc::new(AtomicBool::new(false));
        let which = Arc::new(AtomicUsize::new(0));
        for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
            signal_hook::flag::register(sig, Arc::clone(&flag))?;
            let w = Arc::clone(&which);
            signal_hook::flag::register_usize(sig, w, sig as usize)?;
        }
        Ok(Signals { flag, which })
    }

    /// The signal number to exit for, if one arrived.
    pub fn pending(&self) -> Option<i32> {
        self.flag.load(Ordering::SeqCst).then(|| self.which.load(Ordering::SeqCst) as i32)
    }
}

/// Stop the process as the shell's Ctrl-Z would, with the terminal restored; on resume,
/// re-enter reader mode and force a full redraw.
pub fn suspend(term: &mut Term) -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    enter()?;
    term.clear()
}

/// A crossterm key event as a keymap chord (shift folded into characters).
pub fn chord(k: &KeyEvent) -> Option<KeyChord> {
    let m = k.modifiers;
    let mut mods = Mods {
        ctrl: m.contains(KeyModifiers::CONTROL),
        alt: m.contains(KeyModifiers::ALT),
        shift: m.contains(KeyModifiers::SHIFT),
    };
    let key = match k.code {
        KeyCode::Char(' ') => Key::Space,
        KeyCode::Char(c) => {
            mods.shift = false;
            // Terminals report Ctrl-letters in either case.
            Key::Char(if mods.ctrl { c.to_ascii_lowercase() } else { c })
        }
        KeyCode::Enter => Key::Enter,
        KeyCode::Esc => Key::Esc,
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
        KeyCode::F(n) => Key::F(n),
        _ => return None,
    };
    Some(KeyChord { key, mods })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEvent;

    fn ev(code: KeyCode, m: KeyModifiers) -> Option<KeyChord> {
        chord(&KeyEvent::new(code, m))
    }

    #[test]
    fn shift_folds_into_characters_and_ctrl_letters_are_lowercase() {
        assert_eq!(ev(KeyCode::Char('G'), KeyModifiers::SHIFT), Some(KeyChord::ch('G')));
        assert_eq!(ev(KeyCode::Char('}'), KeyModifiers::SHIFT), Some(KeyChord::ch('}')));
        assert_eq!(
            ev(KeyCode::Char('F'), KeyModifiers::CONTROL | KeyModifiers::SHIFT),
            Some(KeyChord::ctrl('f'))
        );
        assert_eq!(ev(KeyCode::Char(' '), KeyModifiers::NONE), Some(KeyChord::plain(Key::Space)));
        assert_eq!(ev(KeyCode::BackTab, KeyModifiers::SHIFT), Some(KeyChord::plain(Key::BackTab)));
        assert_eq!(ev(KeyCode::CapsLock, KeyModifiers::NONE), None);
    }

    #[test]
    fn default_keymap_reaches_the_spec_keys() {
        use crate::keymap::{Action, Keymap};
        let k = Keymap::default();
        let look = |code, m| ev(code, m).and_then(|c| k.lookup(c));
        assert_eq!(look(KeyCode::Char('c'), KeyModifiers::CONTROL), Some(Action::ForceQuit));
        assert_eq!(look(KeyCode::Char('z'), KeyModifiers::CONTROL), Some(Action::Suspend));
        assert_eq!(look(KeyCode::Char(' '), KeyModifiers::NONE), Some(Action::PageDown));
        assert_eq!(look(KeyCode::Char('G'), KeyModifiers::SHIFT), Some(Action::Bottom));
        assert_eq!(look(KeyCode::PageUp, KeyModifiers::NONE), Some(Action::PageUp));
        assert_eq!(look(KeyCode::Esc, KeyModifiers::NONE), Some(Action::Cancel));
    }
}

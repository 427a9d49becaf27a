//! Stage 4 of the pipeline, the edge: the interactive reader (terminal setup, event loop).

use std::time::Duration;

use crossterm::event::{self, Event, KeyEventKind, MouseButton, MouseEventKind};

use crate::app::{App, Effect, Input, Mouse, Msg, update};
use crate::doc::Document;
use crate::keymap::Key;
use crate::keymap::Keymap;
use crate::width::AmbiguousWidth;
use crate::{term, ui};

/// Everything the reader needs besides the document.
#[derive(Debug, Clone)]
pub struct ReaderOptions {
    /// Shown in the status line.
    pub file_name: String,
    pub keymap: Keymap,
    pub ambiguous: AmbiguousWidth,
    /// Readable text width cap for the reading pane, in cells.
    pub max_text_width: usize,
    /// Outline width as a percentage of the screen, and its cap in cells.
    pub outline_percent: u16,
    pub outline_max: u16,
    pub cjk_chars_per_minute: u32,
    pub latin_words_per_minute: u32,
    /// Colours resolved from the configuration and the terminal (`None`: built-in dark).
    pub theme: Option<crate::config::ResolvedTheme>,
}

impl Default for ReaderOptions {
    fn default() -> ReaderOptions {
        ReaderOptions {
            file_name: String::new(),
            keymap: Keymap::default(),
            ambiguous: AmbiguousWidth::Narrow,
            max_text_width: 100,
            outline_percent: 30,
            outline_max: 40,
            cjk_chars_per_minute: 400,
            latin_words_per_minute: 250,
            theme: None,
        }
    }
}

/// Run the reader until the user quits. Restores the terminal on every exit path.
pub fn run(doc: Document, opts: ReaderOptions) -> std::io::Result<()> {
    term::install_panic_hook();
    let signals = term::Signals::register()?;
    let mut terminal = term::init()?;
    let result = event_loop(&mut terminal, App::new(doc, opts), &signals);
    term::restore();
    if let Some(sig) = signals.pending() {
        std::process::exit(128 + sig);
    }
    result
}

fn event_loop(
    terminal: &mut term::Term,
    mut app: App,
    signals: &term::Signals,
) -> std::io::Result<()> {
    let size = terminal.size()?;
    update(&mut app, Msg::Resize { width: size.width, height: size.height });
    loop {
        if signals.pending().is_some() {
            return Ok(());
        }
        if app.dirty {
            terminal.draw(|f| ui::draw(f, &app))?;
            app.dirty = false;
        }
        if !event::poll(Duration::from_millis(250))? {
            continue;
        }
        let Some(msg) = message(&app, event::read()?) else { continue };
        for effect in update(&mut app, msg) {
            match effect {
                Effect::Quit => return Ok(()),
                Effect::Suspend => {
                    term::suspend(terminal)?;
                    let size = terminal.size()?;
                    update(&mut app, Msg::Resize { width: size.width, height: size.height });
                }
            }
        }
    }
}

/// A terminal event as an `update` message: keys go through the keymap, except text typed
/// into the search prompt.
fn message(app: &App, ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) if k.kind == KeyEventKind::Press => {
            let chord = term::chord(&k)?;
            if app.search_editing() && !chord.mods.ctrl && !chord.mods.alt {
                let input = match chord.key {
                    Key::Char(c) => Some(Input::Char(c)),
                    Key::Space => Some(Input::Char(' ')),
                    Key::Backspace => Some(Input::Backspace),
                    Key::Enter => Some(Input::Enter),
                    Key::Esc => Some(Input::Esc),
                    _ => None,
                };
                if let Some(i) = input {
                    return Some(Msg::Input(i));
                }
            }
            app.opts.keymap.lookup(chord).map(Msg::Action)
        }
        Event::Mouse(m) => {
            let (col, row) = (m.column, m.row);
            match m.kind {
                MouseEventKind::ScrollDown => Some(Msg::Mouse(Mouse::WheelDown { col, row })),
                MouseEventKind::ScrollUp => Some(Msg::Mouse(Mouse::WheelUp { col, row })),
                MouseEventKind::Down(MouseButton::Left) => {
                    Some(Msg::Mouse(Mouse::Click { col, row }))
                }
                _ => None,
            }
        }
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        _ => None,
    }
}

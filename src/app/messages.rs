//! What reaches [`update`](super::update) and what it asks of the terminal edge.
//!
//! Public surface: [`Msg`] (every input: keys as each layer's actions or line-editor input,
//! pastes, resizes, mouse, idle ticks, the clock, what the store held, the search history,
//! loading and saving results, warnings, the media player's news, leaving), [`Effect`]
//! (what the event loop must carry out), [`Input`], [`Mouse`], and the payloads [`Saved`],
//! [`Indexed`], [`PlayerCmd`] and [`PlayerEvent`]. Data only: no behaviour lives
//! here.

use crate::keymap::{Action, EditAction, HelpAction, ListAction, QuoteAction, TalkAction};
use crate::store::Marks;

use super::Index;

/// Something the terminal layer must do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    /// Leave the document for the library screen it was opened from (the reader's save on
    /// leaving runs first, as for a quit).
    Back,
    Suspend,
    /// Write `App::marks` to the store (bookmarks changed, or the position before leaving).
    SaveMarks,
    /// Put this text on the system clipboard (OSC 52).
    Copy(String),
    /// Add this query to the search history on disk (a search was made).
    RememberSearch(String),
    /// Ask the media player for something (listening).
    Player(PlayerCmd),
}

/// What listening asks of the media player. Times are the recording's, in ms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlayerCmd {
    /// Play `media` (a path or URL) from `from_ms` at `speed` (hundredths), starting the
    /// player or loading the recording first when needed.
    Play {
        media: String,
        from_ms: u64,
        speed: u32,
    },
    /// Pause (true) or resume (false).
    Pause(bool),
    /// Move by this many ms.
    Seek(i64),
    /// Play at this speed, in hundredths.
    Speed(u32),
    Stop,
}

/// What the media player told the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlayerEvent {
    /// The recording's time now, in ms.
    Time(u64),
    Paused(bool),
    /// The recording's length, in ms.
    Duration(u64),
    /// The recording played to its end.
    Ended,
    /// The player could not do what was asked, or went away (not found, exited, stopped
    /// answering): one line to tell. Playing has stopped.
    Failed(String),
    /// The player refused one request (a seek before the recording is loaded) and plays on
    /// as it was: one line to tell.
    Refused(String),
}

/// A key typed into a one-line editor (the search prompt, the note editor, the quote
/// index's filter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A character: text.
    Char(char),
    /// A key of the editor's table (`[keys.note]`, `[keys.search_prompt]`): submit, cancel,
    /// a cursor move or a deletion.
    Key(EditAction),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mouse {
    WheelUp { col: u16, row: u16 },
    WheelDown { col: u16, row: u16 },
    Click { col: u16, row: u16 },
}

#[derive(Debug)]
pub enum Msg {
    /// A reading-screen action (`[keys]`): with no overlay, in the search prompt for a key
    /// that is not text, and over any overlay for the [global](Action::is_global) ones.
    Action(Action),
    /// A key of the bookmark list (`[keys.list]`).
    List(ListAction),
    /// A key of the help screen (`[keys.help_screen]`).
    Help(HelpAction),
    /// A key of the quote index (`[keys.quotes]`), when not typing its filter.
    Quotes(QuoteAction),
    /// A key of the talk-share panel (`[keys.talk]`).
    Talk(TalkAction),
    /// A key typed into the open line editor.
    Input(Input),
    /// Text pasted (bracketed paste) or committed by an input method, whole.
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    Mouse(Mouse),
    /// Nothing happened: background work (a search count) may take its next slice.
    Tick,
    /// A big document is still being read in the background: the stage it is at.
    Progress(crate::load::Progress),
    /// The whole document, indexed off the UI thread, replaces the first screenful.
    Indexed(Box<Indexed>),
    /// How a save ([`Effect::SaveMarks`]) went: the marks as saved (merged with what
    /// another reader wrote) and warnings, or why it failed.
    Saved(Result<Box<Saved>, String>),
    /// The wall clock, in milliseconds since the epoch: the edge sends it before a message
    /// that may change bookmarks or the reading position (keys, mouse, a loaded document,
    /// leaving). `update` takes every time it needs from here and reads no clock.
    Clock(i64),
    /// What the bookmark store held for the document (read by the edge): its marks, and
    /// the reading position to resume at when [`Options::resume`](super::Options) says so.
    Restored(Box<crate::store::Loaded>),
    /// The search history kept in the data directory, oldest first (read by the edge).
    SearchHistory(Vec<String>),
    /// A problem at the edge to tell in the status line (no data directory, a failed copy).
    Warning(String),
    /// News from the media player (listening).
    Player(PlayerEvent),
    /// The reader is ending, however it ends (quit, a terminating signal, a terminal
    /// error): a note being typed is kept and the position remembered. Returns
    /// [`Effect::SaveMarks`] when something is not on disk yet.
    Leave,
}

/// A save that succeeded.
#[derive(Debug)]
pub struct Saved {
    pub marks: Marks,
    pub warnings: Vec<String>,
}

/// A big document after background loading: its index and what the bookmark store held
/// for it (`None`: no store, e.g. no data directory).
#[derive(Debug)]
pub struct Indexed {
    pub index: Index,
    pub stored: Option<crate::store::Loaded>,
    /// Problems to show in the status line (e.g. bookmarks cannot be saved).
    pub warnings: Vec<String>,
    /// How long reading and indexing took, told in the status line.
    pub took: std::time::Duration,
}

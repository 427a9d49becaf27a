//! Stage 4 state: the reader's [`App`] and [`update`], the one place state changes.
//!
//! `update` turns messages (actions from the keymap, line-editor input, resizes, mouse)
//! into state changes and [`Effect`]s for the terminal layer; it does no I/O. After every
//! message it prepares the [`View`] (the lines on screen), so drawing only reads.
//! No terminal types here, and no import of the terminal edge (`reader`) or of drawing (`ui`):
//! [`Options`], what the reader is opened with, is defined here.
//!
//! The parts, by concern: [`messages`] (what comes in and goes out), [`state`] (the `App`),
//! `update` (what each message does), `jumps`, [`search`], [`geometry`]
//! (panes and overlay boxes), [`view`] (the reading pane as lines), [`outline`],
//! [`bookmarks`], [`listen`] (playing the recording, as data), [`stats`] (reading
//! times), [`strip`] (the timeline strip beside the text), and two overlays of their
//! own: [`quotes`] (the quote index) and [`talk`] (the talk-share panel). [`library`] is
//! the library screen's state and update (a folder's transcripts, sorted and filtered;
//! a search across them), a screen beside the reader with messages and effects of its own.

pub mod bookmarks;
pub mod geometry;
mod jumps;
pub mod library;
pub mod listen;
pub mod messages;
pub mod outline;
pub mod quotes;
pub mod routing;
pub mod search;
pub mod state;
pub mod stats;
pub mod strip;
pub mod talk;
mod update;
pub mod view;

pub use bookmarks::{BookmarkList, NoteEditor, NoteTarget};
pub use geometry::{Area, GUTTER, NARROW, Panes, STRIP, help_area, list_area, note_area, panes};
pub use listen::{Listening, Media, MediaSource, PlayState};
pub use messages::{Effect, Indexed, Input, Mouse, Msg, PlayerCmd, PlayerEvent, Saved};
pub use outline::{Entry, EntryKind, ItemInfo, Outline};
pub use quotes::{QUOTE_ROWS, QuoteIndex, quotes_area};
pub use routing::route;
pub use search::{SEARCH_SLICE, SearchState};
pub use state::{App, Focus, Index, Loading, Options, Overlay, Start, View, size_text};
pub use talk::{TalkPanel, talk_area};
pub use update::{WHEEL, update};
pub use view::{IMAGE_PREFIX, Line, LineKey, LineKind, Pos, image_line, meta_line};

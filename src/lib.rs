//! fangtan (访谈): a terminal reader for long interview, podcast and panel transcripts.
//!
//! Data flows one way:
//! bytes → [`source`] (decode, sanitize) → [`parse`] builds the [`doc`] tree →
//! [`layout`] (rows for a width, lazily, cached) → `ui` (a frame).
//! [`width`] is the one display-width function of the whole program.
//! Big files go through [`load`]: the first screenful at once, the whole read, decoded and
//! parsed a part at a time on a loader thread.

pub mod app;
pub mod config;
pub mod doc;
pub mod dump;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod lineedit;
pub mod load;
pub mod parse;
pub mod reader;
pub mod search;
pub mod source;
pub mod store;
pub mod term;
pub mod ui;
pub mod width;

//! fangtan (访谈): a terminal reader for long interview, podcast and panel transcripts.
//!
//! Data flows one way:
//! bytes → [`source`] (decode, sanitize) → [`parse`] builds the [`doc`] tree →
//! [`layout`] (rows for a width, lazily, cached) → [`ui`] (a frame).
//! Those first stages, with [`width`], [`search`], [`load`], [`dump`] and the pure half of
//! bookmarks, are the terminal-free crate `fangtan_core`, re-exported here under the same
//! names, as are [`timeline`] (when each paragraph is spoken), [`talk`] (who talks how
//! much) and [`fuzzy`] (the fuzzy matcher). This crate is the edge: the
//! app's state and [`keymap`]s ([`app`]), [`config`], [`ui`], the terminal ([`term`],
//! [`input`], [`reader`]), the disk ([`store`], and the transcripts of a folder:
//! [`library`]) and the media player ([`player`]).

pub use fangtan_core::{
    doc, dump, fuzzy, hash, layout, load, parse, search, source, talk, timeline, width,
};

pub mod app;
pub mod config;
#[doc(hidden)]
pub mod fuzzing;
pub mod input;
pub mod keymap;
pub mod library;
pub mod lineedit;
pub mod player;
pub mod print;
pub mod reader;
pub mod store;
pub mod term;
pub mod ui;

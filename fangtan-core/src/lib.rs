//! fangtan's core: the pipeline from bytes to rows, with no terminal and no screen.
//!
//! Data flows one way:
//! bytes → [`source`] (decode, sanitize) → [`parse`] builds the [`doc`] tree →
//! [`layout`] (rows for a width, lazily, cached) → the binary crate's `ui` (a frame).
//! [`width`] is the one display-width function of the whole program.
//! Big files go through [`load`]: the first screenful at once, the whole read, decoded and
//! parsed a part at a time on a loader thread. Beside the pipeline: [`search`] over the
//! tree, [`dump`] (the `fangtan dump` contract), [`store`] (bookmarks and the reading
//! position as data, anchored across edits), [`timeline`] (when each paragraph is
//! spoken, for listening), [`talk`] (who talks how much), [`fuzzy`] (the one fuzzy
//! matcher), [`library`] (many documents: their rows, a search across them) and [`hash`].
//!
//! Invariant, enforced by the compiler: this crate depends on no terminal crate, so
//! nothing here can draw, read a key or touch the terminal; `tests/architecture.rs` in
//! the binary crate checks both that and that no two modules import each other.

pub mod doc;
pub mod dump;
pub mod fuzzy;
pub mod hash;
pub mod index;
pub mod layout;
pub mod library;
pub mod load;
pub mod parse;
pub mod search;
pub mod source;
pub mod store;
pub mod talk;
pub mod timeline;
pub mod width;

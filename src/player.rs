//! Stage 4's edge for listening: the media player, mpv, driven over its JSON IPC
//! ([`ipc`]).

pub mod ipc;

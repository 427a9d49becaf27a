//! The integration tests, one binary (as bottom does): one link instead of one per file,
//! which is most of a clean build's test time. Each module is what was a file of its own
//! under `tests/`; `support` holds the harnesses they share. `tests/memory.rs` stays a
//! binary of its own: it swaps in a counting global allocator.

mod support {
    pub mod corpus;
    pub mod doc;
    pub mod frame;
    pub mod keys;
    pub mod tmux;
}

mod architecture;
mod bookmarks_snapshots;
mod bookmarks_update;
mod cli;
mod config;
mod config_reader;
mod draw_sizes;
mod dump;
mod e2e_bookmarks;
mod e2e_listen;
mod e2e_tmux;
mod fuzz_twins;
mod json;
mod layout;
mod layout_props;
mod library;
mod library_index;
mod library_oracle;
mod library_screen;
mod lineedit;
mod listen;
mod loading;
mod panels;
mod parser_markdown;
mod parser_plain;
mod readme;
mod rich_text;
mod source;
mod store;
mod store_durability;
mod strip;
mod subtitles;
mod transcripts;
mod ui_snapshots;
mod update;
mod web;

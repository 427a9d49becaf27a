//! Configuration: `config.toml` (the shipped defaults) layered under the user's file.
//! Read once at the edge; the rest of the program receives plain values.

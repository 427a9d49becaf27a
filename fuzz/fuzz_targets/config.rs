//! Bytes as a user's config file (see `fangtan::fuzzing::config`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fangtan::fuzzing::config(data));

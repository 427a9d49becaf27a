//! Bytes as a transcript file: decode → parse → dump (see `fangtan::fuzzing::parse_dump`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fangtan::fuzzing::parse_dump(data));

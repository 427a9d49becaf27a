//! Width, ambiguous width and bytes: decode → wrap, as `fangtan wrap` (see `fangtan::fuzzing::wrap`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| fangtan::fuzzing::wrap(data));

//! Bytes as a document's bookmark store file: load or set aside, save, reload (see
//! `fangtan::fuzzing::store_json`). The files live in a directory of this process under the
//! temporary directory (`TMPDIR=/dev/shm` keeps the syncs of each save off the disk).
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

static DIR: OnceLock<PathBuf> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let dir = DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("fangtan-fuzz-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create the store directory");
        dir
    });
    fangtan::fuzzing::store_json(dir, data);
});

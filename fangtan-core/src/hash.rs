//! Beside the pipeline: the stable hashes a document and its store are named and checked by.
//! Pure; every function gives the same answer on every build and platform (what a name
//! on disk needs), unlike std's hasher.

/// FNV-1a, 64 bit: stable across builds and platforms (std's hasher is not), which is what
/// a name on disk needs. Not for security.
pub fn hash64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The hash that tells whether a document changed: XXH3-64, stable across builds and
/// platforms, and fast enough (gigabytes per second) to hash an 80 MB archive at load.
pub fn text_hash(text: &str) -> String {
    hash_text_digest(xxhash_rust::xxh3::xxh3_64(text.as_bytes()))
}

/// How a text hash is written: `xxh3:` and 16 hex digits.
pub fn hash_text_digest(digest: u64) -> String {
    format!("xxh3:{digest:016x}")
}

/// Whether a stored text hash is that of `text`; `current` is `text_hash(text)`. Older
/// stores hold FNV-1a, computed only for them; `None` when that cannot be told (a big
/// file is not held as source text, only its XXH3 hash is).
pub fn same_text(stored: &str, current: &str, text: &str) -> Option<bool> {
    if stored.starts_with("xxh3:") {
        Some(stored == current)
    } else if text.is_empty() && current != text_hash("") {
        None
    } else {
        Some(stored == hash_hex(text.as_bytes()))
    }
}

pub fn hash_hex(bytes: &[u8]) -> String {
    format!("{:016x}", hash64(bytes))
}

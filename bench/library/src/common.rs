// Shared by bench.rs and tv.rs through include!: corpus walk, memory, normalisation.
use memchr::memmem;
use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::Instant;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn rss_kb() -> u64 {
    let s = fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn unspaced(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x2FDF | 0x3040..=0x312F | 0x31A0..=0x31FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}
fn latin(c: char) -> bool {
    c.is_alphanumeric() && (c as u32) < 0x0370
}

/// The reader's matching, as one normalised string: lowercase (one-to-one folds only) and
/// the typesetting spaces between CJK and Latin/digits dropped. Newlines become spaces
/// (a match may span a hard wrap).
fn norm(s: &str, out: &mut String) {
    out.clear();
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let c = if c == '\n' { ' ' } else { c };
        if c == ' ' {
            let mut run = 1;
            while chars.peek().is_some_and(|&n| n == ' ' || n == '\n') {
                chars.next();
                run += 1;
            }
            let next = chars.peek().copied();
            let gap = match (prev, next) {
                (Some(a), Some(b)) => (unspaced(a) && latin(b)) || (latin(a) && unspaced(b)),
                _ => false,
            };
            if !gap {
                for _ in 0..run {
                    out.push(' ');
                }
            }
            prev = Some(' ');
            continue;
        }
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            let mut l = c.to_lowercase();
            match (l.next(), l.next()) {
                (Some(x), None) => out.push(x),
                _ => out.push(c),
            }
        }
        prev = Some(c);
    }
}


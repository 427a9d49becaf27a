#![allow(clippy::unwrap_used)]
//! The store never loses a committed bookmark: not when the writer is killed at any moment,
//! not when two readers write at once, not when the file is corrupt or cannot be written.
//!
//! The child processes are this test binary itself, run with `--exact child_… ` and
//! `FANGTAN_TEST_CHILD` set; without that variable the child tests do nothing.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use fangtan::doc::{BlockKind, Document, Format, NewBlock};
use fangtan::parse::{Builder, ParseOptions};
use fangtan::store::{Anchor, DocId, Marks, Store, StoreError, Toggled};

const PARAGRAPHS: usize = 300;

/// A document of many distinct paragraphs outside turns.
fn doc() -> Document {
    let paras: Vec<String> = (0..PARAGRAPHS)
        .map(|i| format!("第{i}段：这是用来测试写入中断的段落，编号 {i}，内容各不相同。"))
        .collect();
    let text = paras.join("\n\n");
    let opts = ParseOptions::default();
    let mut b = Builder::new(text, Format::Plain, &opts);
    for p in paras {
        b.block(NewBlock::new(BlockKind::Paragraph, p, 0..0));
    }
    b.finish()
}

fn id(doc: &Document, path: &Path) -> DocId {
    DocId::new(path, &doc.text)
}

fn spawn_child(name: &str, data: &Path, docpath: &Path, extra: &[(&str, String)]) -> Child {
    // The test's full name in the one test binary: `store_durability::child_writer`.
    let module = module_path!().split_once("::").map_or(module_path!(), |(_, m)| m);
    let full = format!("{module}::{name}");
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([full.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env("FANGTAN_TEST_CHILD", name)
        .env("FANGTAN_DATA_DIR", data)
        .env("FANGTAN_TEST_DOC", docpath)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

/// Lines a child printed that start with `COMMIT `, sent as they arrive.
fn commits(child: &mut Child) -> mpsc::Receiver<String> {
    let out = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines() {
            let Ok(line) = line else { break };
            // The harness may print `test child_… ... ` on the same line first.
            let msg = if let Some(at) = line.find("COMMIT ") {
                line[at + 7..].to_string()
            } else if line.ends_with("READY") {
                "READY".to_string()
            } else {
                continue;
            };
            if tx.send(msg).is_err() {
                break;
            }
        }
    });
    rx
}

fn child_env() -> Option<(Store, Document, DocId)> {
    let name = std::env::var("FANGTAN_TEST_CHILD").ok()?;
    let _ = name;
    let store = Store::open_default().unwrap();
    let doc = doc();
    let path = PathBuf::from(std::env::var_os("FANGTAN_TEST_DOC").unwrap());
    let id = id(&doc, &path);
    Some((store, doc, id))
}

/// How many bookmarks the writer adds before it switches to rewriting notes (which keeps
/// each save small and the test quick).
const WRITER_MARKS: usize = 40;

fn clock_ns() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
}

/// Writer: keeps adding bookmarks, then rewriting notes with the clock's nanoseconds, and
/// prints `COMMIT id note` after each save returned.
#[test]
fn child_writer() {
    let Some((store, doc, id)) = child_env() else { return };
    let mut marks = store.load(&id, &doc).unwrap().marks;
    println!("READY");
    let mut n = 0usize;
    loop {
        n += 1;
        let now = fangtan::store::now_ms();
        let (what, note) = if marks.bookmarks.len() < WRITER_MARKS {
            let free = (0..PARAGRAPHS).find(|&i| marks.at(&Anchor::at(&doc, i, 0)).is_none());
            match marks.toggle(&doc, Anchor::at(&doc, free.unwrap(), 0), now) {
                Some(Toggled::Added(id)) => (id, String::new()),
                _ => panic!("toggle did not add"),
            }
        } else {
            let id = marks.bookmarks[n % marks.bookmarks.len()].id.clone();
            let note = clock_ns().to_string();
            marks.set_note(&id, &note, now);
            (id, note)
        };
        store.save(&mut marks, &doc).unwrap();
        println!("COMMIT {what} {note}");
    }
}

/// Adder: adds bookmarks on paragraphs `FANGTAN_TEST_FROM..+100`, saving after each.
#[test]
fn child_adder() {
    let Some((store, doc, id)) = child_env() else { return };
    let from: usize = std::env::var("FANGTAN_TEST_FROM").unwrap().parse().unwrap();
    let mut marks = store.load(&id, &doc).unwrap().marks;
    println!("READY");
    for i in from..from + 100 {
        let Some(Toggled::Added(id)) = marks.toggle(&doc, Anchor::at(&doc, i, 0), i as i64) else {
            panic!("paragraph {i} was already marked");
        };
        store.save(&mut marks, &doc).unwrap();
        println!("COMMIT {id}");
    }
}

/// A small xorshift: kill moments need to vary, not to be unpredictable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A scratch directory, in memory when the machine has one: a killed process leaves its
/// writes in the page cache either way, so the test means the same and runs without
/// waiting for the disk on every fsync.
fn scratch() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(t) = tempfile::tempdir_in(shm)
    {
        return t;
    }
    tempfile::tempdir().unwrap()
}

#[test]
fn killing_the_writer_at_random_moments_loses_no_committed_bookmark() {
    let t = scratch();
    let data = t.path().join("data");
    let docpath = t.path().join("killed.md");
    let doc = doc();
    let id = id(&doc, &docpath);
    let store = Store::new(&data);
    let seed =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
            as u64
            | 1;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed);
    let mut committed: Vec<String> = Vec::new();
    // Latest committed note per bookmark.
    let mut notes: std::collections::HashMap<String, u128> = Default::default();
    let rounds = 200;
    for round in 0..rounds {
        let mut child = spawn_child("child_writer", &data, &docpath, &[]);
        let rx = commits(&mut child);
        // Wait until the child is past start-up, so the kill lands among the saves.
        let ready = rx.recv_timeout(Duration::from_secs(20)).unwrap();
        assert_eq!(ready, "READY");
        // Let 0 to 2 saves commit, then kill somewhere in the next few milliseconds:
        // before, during or after the next save's write, fsync or rename.
        for _ in 0..rng.next() % 3 {
            committed.push(rx.recv_timeout(Duration::from_secs(20)).unwrap());
        }
        std::thread::sleep(Duration::from_micros(rng.next() % 5000));
        child.kill().unwrap();
        child.wait().unwrap();
        committed.extend(rx.iter());

        let loaded = store.load(&id, &doc).unwrap();
        assert!(loaded.warnings.is_empty(), "round {round}: {:?}", loaded.warnings);
        for c in &committed {
            let (id, note) = c.split_once(' ').unwrap();
            let b = loaded.marks.get(id);
            assert!(b.is_some(), "round {round}: committed {id} lost");
            if let Ok(note) = note.parse::<u128>() {
                let seen = notes.entry(id.to_string()).or_default();
                *seen = (*seen).max(note);
            }
        }
        for (id, note) in &notes {
            // A save that landed just before the kill may not have been reported: the
            // note on disk is the last committed one or a later one, never an older one.
            let on_disk: u128 = loaded.marks.get(id).unwrap().note.parse().unwrap();
            assert!(on_disk >= *note, "round {round}: note of {id} went back in time");
        }
    }
    eprintln!("{} saves committed over {rounds} kills", committed.len());
    assert!(committed.len() >= rounds / 2, "the kills mostly landed before any save");
    let leftovers: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".corrupt-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn two_processes_adding_a_hundred_each_lose_none() {
    let t = scratch();
    let data = t.path().join("data");
    let docpath = t.path().join("shared.md");
    let mut a = spawn_child("child_adder", &data, &docpath, &[("FANGTAN_TEST_FROM", "0".into())]);
    let mut b = spawn_child("child_adder", &data, &docpath, &[("FANGTAN_TEST_FROM", "100".into())]);
    let (ra, rb) = (commits(&mut a), commits(&mut b));
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let ids: Vec<String> = ra.iter().chain(rb.iter()).filter(|l| l != "READY").collect();
    assert_eq!(ids.len(), 200);
    let doc = doc();
    let loaded = Store::new(&data).load(&id(&doc, &docpath), &doc).unwrap();
    assert_eq!(loaded.marks.bookmarks.len(), 200);
    for i in &ids {
        assert!(loaded.marks.get(i).is_some(), "{i} lost");
    }
}

#[test]
fn a_corrupt_store_is_kept_aside_and_reported() {
    let t = tempfile::tempdir().unwrap();
    let store = Store::new(t.path().join("data"));
    let doc = doc();
    let id = id(&doc, &t.path().join("c.md"));
    let path = store.path_for(&id);
    std::fs::create_dir_all(store.dir()).unwrap();
    let garbage = b"{\"version\": 1, \"doc\": {\"path\": \"/x\", trunc";
    std::fs::write(&path, garbage).unwrap();

    let mut loaded = store.load(&id, &doc).unwrap();
    assert_eq!(loaded.warnings.len(), 1);
    assert!(loaded.warnings[0].contains(".corrupt-"), "{:?}", loaded.warnings);
    assert!(loaded.marks.bookmarks.is_empty());
    let aside: Vec<PathBuf> = std::fs::read_dir(store.dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(".corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert_eq!(std::fs::read(&aside[0]).unwrap(), garbage, "the unreadable file is untouched");

    // Reading goes on and new bookmarks save normally.
    loaded.marks.toggle(&doc, Anchor::at(&doc, 3, 0), 1);
    assert!(store.save(&mut loaded.marks, &doc).unwrap().is_empty());
    assert_eq!(store.load(&id, &doc).unwrap().marks.bookmarks.len(), 1);

    // A store that turns corrupt while the reader is open is moved aside by the save.
    std::fs::write(&path, b"not json at all").unwrap();
    let warnings = store.save(&mut loaded.marks, &doc).unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(store.load(&id, &doc).unwrap().marks.bookmarks.len(), 1);
}

/// Whether this process can write into a directory whose mode forbids it (root can).
fn permissions_bypassed(dir: &Path) -> bool {
    std::fs::write(dir.join("probe"), b"x").is_ok()
}

#[cfg(unix)]
#[test]
fn an_unwritable_data_directory_keeps_bookmarks_in_memory_and_reports() {
    use std::os::unix::fs::PermissionsExt;
    let t = tempfile::tempdir().unwrap();
    let doc = doc();
    let id = id(&doc, &t.path().join("ro.md"));
    let data = t.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Running as root, mode bits do not stop writes: then block the directory instead by
    // putting a regular file where the data directory's parent should be.
    let (store, blocker) = if permissions_bypassed(&data) {
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        let blocker = t.path().join("not-a-dir");
        std::fs::write(&blocker, b"").unwrap();
        (Store::new(blocker.join("data")), Some(blocker))
    } else {
        (Store::new(&data), None)
    };

    // The reader opens anyway, with the error shown and an empty store.
    let mut marks = match store.load(&id, &doc) {
        Ok(l) => l.marks,
        Err(e) => {
            assert!(e.to_string().contains("bookmarks"), "{e}");
            Marks::new(id.clone())
        }
    };
    marks.toggle(&doc, Anchor::at(&doc, 1, 0), 1);
    marks.set_position(&doc, Anchor::at(&doc, 2, 0), 2);
    let err = store.save(&mut marks, &doc).unwrap_err();
    let said = matches!(err, StoreError::Write { .. } | StoreError::NotAFolder { .. });
    assert!(said, "{err:?}");
    assert!(err.to_string().starts_with("cannot save bookmarks"), "{err}");
    assert_eq!(marks.bookmarks.len(), 1, "still in memory");
    marks.toggle(&doc, Anchor::at(&doc, 5, 0), 3);

    // The problem goes away; the next save writes everything.
    match blocker {
        Some(b) => std::fs::remove_file(b).unwrap(),
        None => std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap(),
    }
    store.save(&mut marks, &doc).unwrap();
    let loaded = store.load(&id, &doc).unwrap();
    assert_eq!(loaded.marks.bookmarks.len(), 2);
    assert_eq!(loaded.position, Some(Anchor::at(&doc, 2, 0)));
}

#[test]
fn a_file_where_the_data_directory_should_be_is_said_in_words() {
    let t = tempfile::tempdir().unwrap();
    let doc = doc();
    let id = id(&doc, &t.path().join("f.md"));
    let file = t.path().join("blocker");
    std::fs::write(&file, b"").unwrap();
    // The data directory itself, or a directory above it, is a file: the system says
    // "File exists (os error 17)" or "Not a directory (os error 20)".
    for dir in [file.clone(), file.join("fangtan")] {
        let store = Store::new(&dir);
        let mut marks = Marks::new(id.clone());
        marks.toggle(&doc, Anchor::at(&doc, 1, 0), 1);
        let saving = store.save(&mut marks, &doc).unwrap_err().to_string();
        let reading = store.load(&id, &doc).unwrap_err().to_string();
        for (err, verb) in [(saving, "save"), (reading, "read")] {
            assert!(err.starts_with(&format!("cannot {verb} bookmarks")), "{err}");
            assert!(err.contains(&format!("{} is a file, not a folder", file.display())), "{err}");
            assert!(err.contains("set FANGTAN_DATA_DIR to a folder"), "{err}");
            assert!(!err.contains("os error"), "{err}");
        }
        let all = fangtan::store::list_all(&dir).unwrap_err().to_string();
        assert!(all.contains("is a file, not a folder"), "{all}");
        assert_eq!(marks.bookmarks.len(), 1, "still in memory");
    }
}

#[test]
fn a_store_from_a_newer_fangtan_is_left_alone() {
    let t = tempfile::tempdir().unwrap();
    let store = Store::new(t.path().join("data"));
    let doc = doc();
    let id = id(&doc, &t.path().join("n.md"));
    std::fs::create_dir_all(store.dir()).unwrap();
    let future = br#"{"version": 99, "something": "new"}"#;
    std::fs::write(store.path_for(&id), future).unwrap();
    let err = store.load(&id, &doc).unwrap_err();
    assert!(matches!(err, StoreError::Newer { version: 99, .. }), "{err:?}");
    let mut marks = Marks::new(id.clone());
    marks.toggle(&doc, Anchor::at(&doc, 0, 0), 1);
    assert!(store.save(&mut marks, &doc).is_err());
    assert_eq!(std::fs::read(store.path_for(&id)).unwrap(), future);
}

//! Issue 18 engine bench: SQLite FTS5 (trigram) vs a parallel scan vs ripgrep, over a
//! library made by `gen`. Subcommands (each its own process, so memory is per engine):
//!   bench build DIR DB_PREFIX SHARDS DETAIL      build FTS5 shards (DETAIL: full|none)
//!     env: FTS_TUNE="hashsize=N,automerge=0", FTS_OPTIMIZE=1, NO_FTS=1 (skip the FTS insert)
//!   query env: FTS_AND=1 (AND of trigrams, needed for detail=none), SKIP_NORM=1, TV_INDEX=DIR
//!   bench scan DIR WORD [norm]                   2-thread memmem scan (norm: + CJK gap folding)
//!   bench fts DIR DB_PREFIX SHARDS WORD          FTS5 query + verify hits in the files
//!   bench run DIR DB_PREFIX SHARDS WORD...       all of the above + `rg -c -F`, best of 3
//! Every engine prints: first_ms full_ms hits docs rss_kb.
use rusqlite::{Connection, params};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

include!("../common.rs");

struct Res {
    first_ms: f64,
    full_ms: f64,
    hits: usize,
    docs: usize,
}
fn print(r: &Res) {
    println!("{:.2} {:.2} {} {} {}", r.first_ms, r.full_ms, r.hits, r.docs, rss_kb());
}

// ---------- scan ----------
fn scan(dir: &Path, word: &str, full_norm: bool) -> Res {
    let t0 = Instant::now();
    let list = files(dir);
    let mut q = String::new();
    norm(word, &mut q);
    let next = AtomicUsize::new(0);
    let first = Mutex::new(None::<f64>);
    let (hits, docs) = std::thread::scope(|s| {
        let hs: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let finder = memmem::Finder::new(q.as_bytes());
                    let (mut hits, mut docs) = (0, 0);
                    let mut buf = Vec::new();
                    let mut ns = String::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(p) = list.get(i) else { break };
                        buf.clear();
                        fs::File::open(p).and_then(|mut f| f.read_to_end(&mut buf)).expect("read");
                        let n = if q.bytes().all(|b| b >= 0x80) {
                            // No ASCII in the query (pure CJK): folding and typesetting
                            // spaces cannot change a match, so search the raw bytes.
                            finder.find_iter(&buf).count()
                        } else if full_norm {
                            norm(std::str::from_utf8(&buf).unwrap_or(""), &mut ns);
                            finder.find_iter(ns.as_bytes()).count()
                        } else {
                            buf.make_ascii_lowercase();
                            // Hard wraps: a newline inside a match counts as a space.
                            for b in buf.iter_mut() {
                                if *b == b'\n' {
                                    *b = b' ';
                                }
                            }
                            finder.find_iter(&buf).count()
                        };
                        if n > 0 {
                            let mut f = first.lock().expect("lock");
                            if f.is_none() {
                                *f = Some(t0.elapsed().as_secs_f64() * 1e3);
                            }
                            hits += n;
                            docs += 1;
                        }
                    }
                    (hits, docs)
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().expect("join")).fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    let full_ms = t0.elapsed().as_secs_f64() * 1e3;
    Res { first_ms: first.into_inner().expect("lock").unwrap_or(full_ms), full_ms, hits, docs }
}

// ---------- FTS5 ----------
fn shard_path(prefix: &str, i: usize) -> String {
    format!("{prefix}.{i}.db")
}

fn build(dir: &Path, prefix: &str, shards: usize, detail: &str) {
    let t0 = Instant::now();
    let list = files(dir);
    let bytes: u64 = list.iter().map(|p| fs::metadata(p).map(|m| m.len()).unwrap_or(0)).sum();
    std::thread::scope(|s| {
        for sh in 0..shards {
            let list = &list;
            s.spawn(move || {
                let path = shard_path(prefix, sh);
                let _ = fs::remove_file(&path);
                let mut c = Connection::open(&path).expect("open");
                c.execute_batch(&format!(
                    "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=8192;
                     PRAGMA cache_size=-65536;
                     CREATE TABLE docs(id INTEGER PRIMARY KEY, path TEXT);
                     CREATE TABLE blocks(id INTEGER PRIMARY KEY, doc INTEGER, start INTEGER, len INTEGER);
                     CREATE VIRTUAL TABLE fts USING fts5(body, content='', contentless_delete=1,
                        detail={detail}, tokenize='trigram case_sensitive 1');"
                ))
                .expect("schema");
                // FTS_TUNE="hashsize=67108864,automerge=0": FTS5 config knobs.
                for kv in std::env::var("FTS_TUNE").unwrap_or_default().split(',').filter(|s| !s.is_empty()) {
                    let (k, v) = kv.split_once('=').expect("k=v");
                    c.execute("INSERT INTO fts(fts, rank) VALUES(?1, ?2)", params![k, v.parse::<i64>().expect("int")])
                        .expect("tune");
                }
                let tx = c.transaction().expect("tx");
                {
                    let mut ins_doc = tx.prepare("INSERT INTO docs VALUES(?1, ?2)").expect("p");
                    let mut ins_blk = tx.prepare("INSERT INTO blocks VALUES(?1, ?2, ?3, ?4)").expect("p");
                    let mut ins_fts = tx.prepare("INSERT INTO fts(rowid, body) VALUES(?1, ?2)").expect("p");
                    let mut bid: i64 = 0;
                    let mut ns = String::new();
                    for (d, p) in list.iter().enumerate().filter(|(d, _)| d % shards == sh) {
                        let text = fs::read_to_string(p).expect("read");
                        ins_doc.execute(params![d as i64, p.to_string_lossy()]).expect("doc");
                        let mut start = 0;
                        for para in text.split("\n\n") {
                            let len = para.len();
                            if !para.trim().is_empty() {
                                norm(para, &mut ns);
                                ns.push('\n'); // every char has a follower (2-char prefix queries)
                                ins_blk.execute(params![bid, d as i64, start as i64, len as i64]).expect("blk");
                                if std::env::var("NO_FTS").is_err() {
                                    ins_fts.execute(params![bid, ns]).expect("fts");
                                }
                                bid += 1;
                            }
                            start += len + 2;
                        }
                    }
                }
                tx.commit().expect("commit");
                if std::env::var("FTS_OPTIMIZE").is_ok() {
                    c.execute_batch("INSERT INTO fts(fts) VALUES('optimize')").expect("optimize");
                }
            });
        }
    });
    let build_s = t0.elapsed().as_secs_f64();
    let size: u64 = (0..shards)
        .map(|i| fs::metadata(shard_path(prefix, i)).map(|m| m.len()).unwrap_or(0))
        .sum();
    println!(
        "build: {:.1} MB in {:.1} s = {:.1} MB/s; index {:.1} MB = {:.2}x corpus; rss {} kB",
        bytes as f64 / 1e6,
        build_s,
        bytes as f64 / 1e6 / build_s,
        size as f64 / 1e6,
        size as f64 / bytes as f64,
        rss_kb()
    );
}

/// Rowids of blocks that may hold `q` (already normalised), via the index.
fn candidates(c: &Connection, q: &str) -> Vec<i64> {
    let n = q.chars().count();
    let expr = if n >= 3 && std::env::var("FTS_AND").is_ok() {
        // detail=none keeps no positions, so a phrase of trigrams finds nothing: AND the
        // query's trigrams instead (candidate blocks; the file read below verifies).
        let cs: Vec<char> = q.chars().collect();
        let mut grams: Vec<String> = cs.windows(3).map(|w| w.iter().collect()).collect();
        grams.sort();
        grams.dedup();
        grams
            .iter()
            .map(|g| format!("\"{}\"", g.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" AND ")
    } else if n >= 3 {
        format!("\"{}\"", q.replace('"', "\"\""))
    } else {
        // 1-2 chars: every trigram that starts with q (each row ends in a sentinel, so
        // every occurrence of q starts some trigram), OR-ed together.
        c.execute_batch(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.v USING fts5vocab(main, fts, row)",
        )
        .expect("vocab");
        let mut st =
            c.prepare("SELECT term FROM temp.v WHERE term >= ?1 AND term < ?2").expect("p");
        let hi = format!("{q}\u{10FFFF}");
        let terms: Vec<String> =
            st.query_map(params![q, hi], |r| r.get(0)).expect("q").filter_map(|t| t.ok()).collect();
        if terms.is_empty() {
            return Vec::new();
        }
        terms
            .iter()
            .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
            .collect::<Vec<_>>()
            .join(" OR ")
    };
    let mut st = c.prepare("SELECT rowid FROM fts WHERE fts MATCH ?1").expect("p");
    st.query_map(params![expr], |r| r.get(0)).expect("q").filter_map(|r| r.ok()).collect()
}

fn fts(dir: &Path, prefix: &str, shards: usize, word: &str) -> Res {
    let _ = dir;
    let t0 = Instant::now();
    let mut q = String::new();
    norm(word, &mut q);
    let first = Mutex::new(None::<f64>);
    let q = Arc::new(q);
    let (hits, docs) = std::thread::scope(|s| {
        let hs: Vec<_> = (0..shards)
            .map(|sh| {
                let q = q.clone();
                let first = &first;
                s.spawn(move || {
                    let c = Connection::open_with_flags(shard_path(prefix, sh), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                        .expect("open");
                    let ids = candidates(&c, &q);
                    let mut st = c
                        .prepare("SELECT b.doc, b.start, b.len, d.path FROM blocks b JOIN docs d ON d.id = b.doc WHERE b.id = ?1")
                        .expect("p");
                    let finder = memmem::Finder::new(q.as_bytes());
                    let (mut hits, mut docs, mut last_doc) = (0, 0, -1i64);
                    let mut file: Option<fs::File> = None;
                    let mut buf = Vec::new();
                    let mut ns = String::new();
                    for id in ids {
                        let (doc, start, len, path): (i64, i64, i64, String) = st
                            .query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                            .expect("row");
                        if doc != last_doc {
                            file = fs::File::open(&path).ok();
                        }
                        let Some(f) = file.as_mut() else { continue };
                        buf.resize(len as usize, 0);
                        f.seek(SeekFrom::Start(start as u64)).expect("seek");
                        f.read_exact(&mut buf).expect("read");
                        norm(std::str::from_utf8(&buf).unwrap_or(""), &mut ns);
                        let n = finder.find_iter(ns.as_bytes()).count();
                        if n > 0 {
                            // A real reader would now send (doc, block, line) to the screen.
                            let mut g = first.lock().expect("lock");
                            if g.is_none() {
                                *g = Some(t0.elapsed().as_secs_f64() * 1e3);
                            }
                            drop(g);
                            hits += n;
                            if doc != last_doc {
                                docs += 1;
                            }
                            last_doc = doc;
                        }
                    }
                    (hits, docs)
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().expect("join")).fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1))
    });
    let full_ms = t0.elapsed().as_secs_f64() * 1e3;
    Res { first_ms: first.into_inner().expect("lock").unwrap_or(full_ms), full_ms, hits, docs }
}

// ---------- driver ----------
fn sub(args: &[&str]) -> (f64, String) {
    let exe = std::env::current_exe().expect("exe");
    let t = Instant::now();
    let out = Command::new(exe).args(args).output().expect("spawn");
    (t.elapsed().as_secs_f64() * 1e3, String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn rg(dir: &str, word: &str) -> (f64, f64, usize) {
    // rg -c -F WORD DIR (case-sensitive, as the brief's anchor), and -i as the fair twin.
    let t = Instant::now();
    let out = Command::new("rg").args(["-c", "-F", word, dir]).output().expect("rg");
    let ms = t.elapsed().as_secs_f64() * 1e3;
    let t = Instant::now();
    let out_i = Command::new("rg").args(["-c", "-F", "-i", word, dir]).output().expect("rg");
    let ms_i = t.elapsed().as_secs_f64() * 1e3;
    let _ = out;
    let lines: usize = String::from_utf8_lossy(&out_i.stdout)
        .lines()
        .filter_map(|l| l.rsplit(':').next()?.parse::<usize>().ok())
        .sum();
    (ms, ms_i, lines)
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let a: Vec<&str> = a.iter().map(|s| s.as_str()).collect();
    match a.get(1).copied() {
        Some("build") => build(Path::new(a[2]), a[3], a[4].parse().expect("shards"), a[5]),
        Some("scan") => print(&scan(Path::new(a[2]), a[3], a.get(4) == Some(&"norm"))),
        Some("fts") => print(&fts(Path::new(a[2]), a[3], a[4].parse().expect("shards"), a[5])),
        Some("run") => {
            let (dir, prefix, shards) = (a[2], a[3], a[4]);
            println!(
                "| query | engine | first ms | full ms (in-process) | process wall ms | hits | docs | peak RSS MB | runs (wall ms) |"
            );
            println!("|---|---|---|---|---|---|---|---|---|");
            for word in &a[5..] {
                let mut rows: Vec<(String, Vec<(f64, String)>)> = vec![
                    ("scan (ASCII fold)".into(), vec![]),
                    ("scan (reader norm)".into(), vec![]),
                    ("fts5 trigram".into(), vec![]),
                ];
                // TV_INDEX=DIR adds tantivy (the `tv` binary beside this one).
                let tv = std::env::var("TV_INDEX").ok();
                if tv.is_some() {
                    rows.push(("tantivy ngram(3)".into(), vec![]));
                }
                let mut rgs = vec![];
                for _ in 0..3 {
                    if let Some(ix) = &tv {
                        let exe = std::env::current_exe().expect("exe").with_file_name("tv");
                        let t = Instant::now();
                        let out = Command::new(exe).args(["query", ix, word]).output().expect("tv");
                        let w = t.elapsed().as_secs_f64() * 1e3;
                        rows[3]
                            .1
                            .push((w, String::from_utf8_lossy(&out.stdout).trim().to_string()));
                    }
                    rgs.push(rg(dir, word));
                    rows[0].1.push(sub(&["scan", dir, word]));
                    if std::env::var("SKIP_NORM").is_err() {
                        rows[1].1.push(sub(&["scan", dir, word, "norm"]));
                    }
                    rows[2].1.push(sub(&["fts", dir, prefix, shards, word]));
                }
                let best = |v: &[f64]| v.iter().cloned().fold(f64::INFINITY, f64::min);
                let rgw: Vec<f64> = rgs.iter().map(|r| r.0).collect();
                let rgi: Vec<f64> = rgs.iter().map(|r| r.1).collect();
                println!(
                    "| `{word}` | rg -c -F | - | - | {:.1} | - | - | - | {:?} |",
                    best(&rgw),
                    rgw.iter().map(|x| x.round()).collect::<Vec<_>>()
                );
                println!(
                    "| `{word}` | rg -c -F -i | - | - | {:.1} | {} lines | - | - | {:?} |",
                    best(&rgi),
                    rgs[0].2,
                    rgi.iter().map(|x| x.round()).collect::<Vec<_>>()
                );
                for (name, runs) in &rows {
                    let walls: Vec<f64> = runs.iter().map(|r| r.0).collect();
                    let parsed: Vec<Vec<f64>> = runs
                        .iter()
                        .map(|r| r.1.split_whitespace().filter_map(|x| x.parse().ok()).collect())
                        .collect();
                    let firsts: Vec<f64> =
                        parsed.iter().filter_map(|p| p.first().copied()).collect();
                    let fulls: Vec<f64> = parsed.iter().filter_map(|p| p.get(1).copied()).collect();
                    let Some(p) = parsed.first() else { continue };
                    if p.len() < 5 {
                        println!("| `{word}` | {name} | failed: {} |", runs[0].1);
                        continue;
                    }
                    println!(
                        "| `{word}` | {name} | {:.1} | {:.1} | {:.1} | {} | {} | {:.0} | {:?} |",
                        best(&firsts),
                        best(&fulls),
                        best(&walls),
                        p[2],
                        p[3],
                        p[4] / 1024.0,
                        walls.iter().map(|x| x.round()).collect::<Vec<_>>()
                    );
                }
            }
        }
        _ => {
            eprintln!("see the doc comment at the top of src/bin/bench.rs");
            std::process::exit(2);
        }
    }
}

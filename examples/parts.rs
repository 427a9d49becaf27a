//! Check that reading a big file in parts gives the same tree as reading it whole, and
//! measure both (a measuring aid, not a test).
use std::time::Instant;
fn hwm() -> String {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines().filter(|l| l.starts_with("VmHWM")).collect()
}
fn main() {
    let p = std::env::args().nth(1).expect("file");
    let whole_first = std::env::args().nth(2).is_some();
    let path = std::path::Path::new(&p);
    let opts = fangtan::parse::ParseOptions::default();
    let run_parts = || {
        let t = Instant::now();
        let doc = fangtan::load::whole(path, None, &opts, &mut |_| {}).expect("load");
        eprintln!("parts: {:?} {}", t.elapsed(), hwm());
        doc
    };
    let run_whole = || {
        let t = Instant::now();
        let d = fangtan::source::read(path, None).expect("read");
        let doc = fangtan::parse::parse(d.text, &opts);
        eprintln!("whole: {:?} {}", t.elapsed(), hwm());
        doc
    };
    let t = Instant::now();
    let first = fangtan::load::first_part(path, None, &opts).expect("first part");
    eprintln!(
        "first part: {:?}, {} turns",
        t.elapsed(),
        first.as_ref().map_or(0, |d| d.turns.len())
    );
    if std::env::var_os("ONLY_PARTS").is_some() {
        let a = run_parts();
        eprintln!("turns {}", a.turns.len());
        return;
    }
    let (a, b) = if whole_first {
        let b = run_whole();
        (run_parts(), b)
    } else {
        let a = run_parts();
        (a, run_whole())
    };
    let (ja, jb) = (fangtan::dump::json(&a), fangtan::dump::json(&b));
    eprintln!(
        "same dump: {} (turns {} vs {}, quotes {} vs {}, hash {} vs {})",
        ja == jb,
        a.turns.len(),
        b.turns.len(),
        a.quotes.len(),
        b.quotes.len(),
        a.text_hash(),
        b.text_hash()
    );
}

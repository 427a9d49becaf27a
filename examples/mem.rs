//! Peak memory and time by loading stage (a measuring aid, not a test).
use std::time::Instant;
fn rss() -> String {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .map(|l| l.split_whitespace().nth(1).unwrap_or("").to_string() + " ")
        .collect()
}
fn main() {
    let p = std::env::args().nth(1).expect("file");
    let t = Instant::now();
    let d = fangtan::source::read(std::path::Path::new(&p), None).expect("read");
    eprintln!("read+decode {:?} rss/hwm {}", t.elapsed(), rss());
    let t = Instant::now();
    let doc = fangtan::parse::parse(d.text, &Default::default());
    eprintln!(
        "parse {:?} rss/hwm {} items {} turns {} quotes {}",
        t.elapsed(),
        rss(),
        doc.items.len(),
        doc.turns.len(),
        doc.quotes.len()
    );
    let mut text = 0usize;
    let mut blocks = 0usize;
    for i in 0..doc.items.len() {
        for b in doc.item_blocks(i) {
            text += b.text.len();
            blocks += 1;
        }
    }
    eprintln!("source {} bytes, {} blocks holding {} bytes of text", doc.text.len(), blocks, text);
    let t = Instant::now();
    let app = fangtan::app::App::new(doc, Default::default());
    eprintln!("app {:?} rss/hwm {}", t.elapsed(), rss());
    drop(app);
}

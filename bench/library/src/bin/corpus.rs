//! Writes the acceptance corpus of issue 18 with the generator the tests use
//! (`tests/integration/support/corpus.rs`): every form fangtan reads, Chinese and English,
//! planted words. Prints one summary line: documents, bytes, and the planted counts.
//!
//! usage: corpus OUT_DIR DOCS MEGABYTES [SEED]
#[path = "../../../../tests/integration/support/corpus.rs"]
mod corpus;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 || args.len() > 5 {
        eprintln!("usage: corpus OUT_DIR DOCS MEGABYTES [SEED]");
        std::process::exit(2);
    }
    let number = |s: &str, what: &str| -> u64 {
        s.parse().unwrap_or_else(|_| {
            eprintln!("{what}: not a number: {s}");
            std::process::exit(2)
        })
    };
    let docs = number(&args[2], "DOCS") as usize;
    let bytes = number(&args[3], "MEGABYTES") * 1_000_000;
    let seed = args.get(4).map_or(18, |s| number(s, "SEED"));
    let written = match corpus::generate(std::path::Path::new(&args[1]), docs, bytes, seed) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("{}: {e}", args[1]);
            std::process::exit(2)
        }
    };
    let total: u64 = written.iter().map(|w| w.bytes).sum();
    let planted: usize = written.iter().map(|w| w.planted).sum();
    let planted_docs = written.iter().filter(|w| w.planted > 0).count();
    let rare: usize = written.iter().map(|w| w.rare).sum();
    println!(
        "{} documents, {total} bytes; {} {planted} times in {planted_docs} documents, {} {rare} times, {} frequent",
        written.len(),
        corpus::PLANTED,
        corpus::RARE,
        corpus::CJK_WORD
    );
}

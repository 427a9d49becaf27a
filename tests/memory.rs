//! Peak heap while a document is parsed, indexed and laid out for a screen, on documents
//! made to cost memory (issue 19.2). Counted by a global allocator, not timed: one test in
//! its own binary, so no other test allocates meanwhile.

use fangtan::app::{App, Msg, update};
use fangtan::doc::Format;
use fangtan::parse::{ParseOptions, parse};
use peak_alloc::PeakAlloc;

#[global_allocator]
static PEAK: PeakAlloc = PeakAlloc;

/// Peak heap bytes above what was held before, for parsing `text` and showing it.
fn peak_of(text: String, format: Format) -> usize {
    let before = PEAK.current_usage();
    PEAK.reset_peak_usage();
    let opts = ParseOptions { format: Some(format), ..ParseOptions::default() };
    let doc = parse(text, &opts);
    let mut app = App::new(doc, Default::default());
    update(&mut app, Msg::Resize { width: 120, height: 40 });
    let peak = PEAK.peak_usage();
    drop(app);
    peak.saturating_sub(before)
}

#[test]
fn adversarial_documents_stay_within_their_memory_budgets() {
    const MB: usize = 1 << 20;
    // Unmatched strong openers in one paragraph: the source, its display text and 8 bytes
    // a delimiter run. The reader's budget for any document: 1.5 × the file + 30 MB (the
    // peak was 40 × the file).
    let mut stars = String::with_capacity(2 * MB + 8);
    while stars.len() < 2 * MB {
        stars.push_str("**a ");
    }
    let n = stars.len();
    let peak = peak_of(stars, Format::Markdown);
    let budget = n * 3 / 2 + 30 * MB;
    assert!(peak <= budget, "2 MB of '**a ' peaked at {peak} bytes of heap, over {budget}");

    // Two-line turns, every name used twice: a speaker for every two turns. Budget 20 × the
    // file (speakers, turns, blocks, outline entries and the legend all grow with it).
    let mut turns = String::with_capacity(2 * MB + 32);
    let mut i = 0;
    while turns.len() < 2 * MB {
        turns.push_str(&format!("S{}:\nx\n", i % 100_000 + (i / 200_000) * 100_000));
        i += 1;
    }
    let n = turns.len();
    let peak = peak_of(turns, Format::Plain);
    assert!(peak <= n * 20, "{i} turns peaked at {peak} bytes of heap, over 20 × {n}");
}

//! Re-anchoring speed: opening an edited long transcript must not stall the reader.
//! Goal: 50 bookmarks in a 5,000-paragraph document re-anchored in well under 100 ms,
//! including 10 whose paragraphs were edited (fuzzy matching).

use criterion::{Criterion, criterion_group, criterion_main};
use fangtan::doc::{Block, BlockKind, Document, Format};
use fangtan::parse::{Builder, ParseOptions};
use fangtan::store::{Anchor, DocId, Marks};

fn build(paras: &[String]) -> Document {
    let opts = ParseOptions::default();
    let mut b = Builder::new(paras.join("\n\n"), Format::Plain, &opts);
    for (i, p) in paras.iter().enumerate() {
        if i % 10 == 0 {
            b.start_turn(if i % 20 == 0 { "主持人" } else { "嘉宾" }, None, 0..0);
        }
        b.block(Block { kind: BlockKind::Paragraph, text: p.clone(), runs: Vec::new(), src: 0..0 });
    }
    b.finish()
}

fn bench(c: &mut Criterion) {
    let paras: Vec<String> = (0..5000)
        .map(|i| {
            format!(
                "第{i}段。我们讨论了很多问题，包括 transcript {i} 的格式、断行以及标点的处理方式，\
                 还有读者在长时间阅读时最在意的那些细节，编号{}。",
                i * 7919 % 10007
            )
        })
        .collect();
    let doc = build(&paras);
    let mut marks = Marks::new(DocId::new(std::path::Path::new("/bench.md"), &doc.text));
    let turns: Vec<usize> = (0..doc.items.len()).step_by(doc.items.len() / 50).collect();
    for &item in &turns {
        marks.toggle(&doc, Anchor::at(&doc, item, 3), 1);
    }
    let mut edited = vec!["新插入的一段。".to_string()];
    edited.extend(paras.iter().enumerate().map(|(i, p)| {
        if i % 500 == 3 { p.replacen("我们讨论了", "我们谈到了", 1) } else { p.clone() }
    }));
    let edited_doc = build(&edited);
    let id = DocId::new(std::path::Path::new("/bench.md"), &edited_doc.text);
    c.bench_function("reanchor 50 marks in 5000 paragraphs", |b| {
        b.iter(|| {
            let mut m = marks.clone();
            m.reanchor(&edited_doc, &id);
            m
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

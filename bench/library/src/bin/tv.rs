//! tantivy side of the issue 18 bench (built with `--features tantivy`): one tantivy
//! document per paragraph (turn) of normalised text, tokenised into character trigrams
//! (tantivy's NgramTokenizer gives every gram position 0, so no phrase queries: the index
//! only narrows to blocks holding all the query's trigrams; hits are verified in the file).
//!   tv build DIR INDEX_DIR        tv query INDEX_DIR WORD
//! Prints like `bench`: first_ms full_ms hits docs rss_kb.
#[cfg(feature = "tantivy")]
mod imp {
    include!("../common.rs");
    use tantivy::collector::DocSetCollector;
    use tantivy::query::{BooleanQuery, Occur, Query, RegexQuery, TermQuery};
    use tantivy::schema::{FAST, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
    use tantivy::tokenizer::NgramTokenizer;
    use tantivy::{Index, IndexWriter, TantivyDocument, Term, doc};

    fn schema() -> Schema {
        let mut sb = Schema::builder();
        let opts = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("tri")
                .set_index_option(IndexRecordOption::Basic),
        );
        sb.add_text_field("body", opts);
        sb.add_u64_field("doc", FAST);
        sb.add_u64_field("start", FAST);
        sb.add_u64_field("len", FAST);
        sb.build()
    }

    pub fn build(dir: &Path, out: &Path) {
        let t0 = Instant::now();
        let list = files(dir);
        let bytes: u64 = list.iter().map(|p| fs::metadata(p).map(|m| m.len()).unwrap_or(0)).sum();
        let _ = fs::remove_dir_all(out);
        fs::create_dir_all(out).expect("mkdir");
        let sc = schema();
        let (body, docf, startf, lenf) = (
            sc.get_field("body").expect("f"),
            sc.get_field("doc").expect("f"),
            sc.get_field("start").expect("f"),
            sc.get_field("len").expect("f"),
        );
        let index = Index::create_in_dir(out, sc).expect("create");
        index.tokenizers().register("tri", NgramTokenizer::new(3, 3, false).expect("ngram"));
        let mut w: IndexWriter = index.writer_with_num_threads(2, 400_000_000).expect("writer");
        let paths: Vec<String> = list.iter().map(|p| p.to_string_lossy().to_string()).collect();
        fs::write(out.join("paths.txt"), paths.join("\n")).expect("paths");
        let mut ns = String::new();
        for (d, p) in list.iter().enumerate() {
            let text = fs::read_to_string(p).expect("read");
            let mut start = 0;
            for para in text.split("\n\n") {
                let len = para.len();
                if !para.trim().is_empty() {
                    norm(para, &mut ns);
                    ns.push('\n');
                    let td: TantivyDocument = doc!(body => ns.clone(), docf => d as u64, startf => start as u64, lenf => len as u64);
                    w.add_document(td).expect("add");
                }
                start += len + 2;
            }
        }
        w.commit().expect("commit");
        w.wait_merging_threads().expect("merge");
        let build_s = t0.elapsed().as_secs_f64();
        let size: u64 = fs::read_dir(out)
            .expect("rd")
            .flatten()
            .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
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

    pub fn query(out: &Path, word: &str) {
        let t0 = Instant::now();
        let mut q = String::new();
        norm(word, &mut q);
        let index = Index::open_in_dir(out).expect("open");
        index.tokenizers().register("tri", NgramTokenizer::new(3, 3, false).expect("ngram"));
        let paths: Vec<String> = fs::read_to_string(out.join("paths.txt"))
            .expect("paths")
            .lines()
            .map(String::from)
            .collect();
        let body = index.schema().get_field("body").expect("f");
        let searcher = index.reader().expect("reader").searcher();
        let chars: Vec<char> = q.chars().collect();
        let query: Box<dyn Query> = if chars.len() >= 3 {
            let mut grams: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
            grams.sort();
            grams.dedup();
            Box::new(BooleanQuery::new(
                grams
                    .into_iter()
                    .map(|g| {
                        let tq: Box<dyn Query> = Box::new(TermQuery::new(
                            Term::from_field_text(body, &g),
                            IndexRecordOption::Basic,
                        ));
                        (Occur::Must, tq)
                    })
                    .collect(),
            ))
        } else {
            let esc: String = chars
                .iter()
                .map(|c| if c.is_alphanumeric() { c.to_string() } else { format!("\\{c}") })
                .collect();
            Box::new(RegexQuery::from_pattern(&format!("(?s){esc}.*"), body).expect("regex"))
        };
        let set = searcher.search(&*query, &DocSetCollector).expect("search");
        let mut rows: Vec<(u64, u64, u64)> = set
            .into_iter()
            .filter_map(|a| {
                let ff = searcher.segment_reader(a.segment_ord).fast_fields();
                let d = ff.u64("doc").ok()?.first(a.doc_id)?;
                let s = ff.u64("start").ok()?.first(a.doc_id)?;
                let l = ff.u64("len").ok()?.first(a.doc_id)?;
                Some((d, s, l))
            })
            .collect();
        rows.sort();
        let finder = memmem::Finder::new(q.as_bytes());
        let (mut hits, mut docs, mut last) = (0usize, 0usize, u64::MAX);
        let mut first = None;
        let mut file: Option<fs::File> = None;
        let mut buf = Vec::new();
        let mut ns = String::new();
        let mut opened = u64::MAX;
        for (d, s, l) in rows {
            if d != opened {
                file = fs::File::open(&paths[d as usize]).ok();
                opened = d;
            }
            let Some(f) = file.as_mut() else { continue };
            buf.resize(l as usize, 0);
            f.seek(SeekFrom::Start(s)).expect("seek");
            f.read_exact(&mut buf).expect("read");
            norm(std::str::from_utf8(&buf).unwrap_or(""), &mut ns);
            let n = finder.find_iter(ns.as_bytes()).count();
            if n > 0 {
                first.get_or_insert(t0.elapsed().as_secs_f64() * 1e3);
                hits += n;
                if d != last {
                    docs += 1;
                    last = d;
                }
            }
        }
        let full = t0.elapsed().as_secs_f64() * 1e3;
        println!("{:.2} {:.2} {} {} {}", first.unwrap_or(full), full, hits, docs, rss_kb());
    }
}

fn main() {
    #[cfg(feature = "tantivy")]
    {
        let a: Vec<String> = std::env::args().collect();
        match a.get(1).map(|s| s.as_str()) {
            Some("build") => imp::build(std::path::Path::new(&a[2]), std::path::Path::new(&a[3])),
            Some("query") => imp::query(std::path::Path::new(&a[2]), &a[3]),
            _ => std::process::exit(2),
        }
    }
    #[cfg(not(feature = "tantivy"))]
    {
        eprintln!("build with --features tantivy");
        std::process::exit(2);
    }
}

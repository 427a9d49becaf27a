#![allow(clippy::unwrap_used)]
//! HTML pages and Word documents as a reader meets them: the speakers, turns, start times
//! and text `fangtan dump` shows for a Podcasting 2.0 HTML transcript, an ordinary web
//! transcript page, a broken page of the last century in windows-1252, and `.docx` exports
//! (bold name runs, `Speaker 1  00:00:05` lines, headings by localized style ids) built
//! here from the XML under `tests/fixtures/docx`; every word of each once. Then the errors
//! a user gets for an old `.doc`, an encrypted or damaged package, and proptests that no
//! mutated page or package makes the parsers panic or hang, and that text written as
//! Markdown reads back as itself.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use fangtan::doc::Format;
use fangtan::parse::{ParseOptions, detect_format};
use proptest::prelude::*;
use serde_json::Value;

use super::cli::{fails_with, fangtan};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// The files under `dir`, as (path relative to it with `/`, bytes), sorted.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// A zip of `parts`, deflated as Word writes them.
fn zip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The `.docx` of the XML parts under `tests/fixtures/docx/NAME`.
fn docx(name: &str) -> Vec<u8> {
    zip(&files(&fixture(&format!("docx/{name}"))))
}

fn dump_of(doc: &fangtan::doc::Document) -> Value {
    serde_json::from_str(&fangtan::dump::json(doc)).unwrap()
}

fn dump_file(path: &Path) -> Value {
    dump_of(&fangtan::load::read(path, None, &ParseOptions::default()).unwrap())
}

/// The dump of the `.docx` built from `tests/fixtures/docx/NAME`.
fn dump_docx(name: &str) -> Value {
    let bytes = docx(name);
    let name = Path::new(name).with_extension("docx");
    dump_of(&fangtan::load::from_bytes(bytes, &name, None, &ParseOptions::default()).unwrap())
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_string()).collect()
}

fn turn_speakers(v: &Value) -> Vec<String> {
    v["turns"].as_array().unwrap().iter().map(|t| t["speaker"].as_str().unwrap().into()).collect()
}

fn starts(v: &Value) -> Vec<Option<String>> {
    v["turns"].as_array().unwrap().iter().map(|t| t["start"].as_str().map(str::to_string)).collect()
}

fn speakers(v: &Value) -> Vec<String> {
    v["speakers"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap().into()).collect()
}

/// The words (runs of letters and digits) of `s`.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

/// Every word the dump shows: title, metadata, section titles, each turn's speaker and
/// paragraphs, the paragraphs outside turns.
fn dump_words(v: &Value) -> Vec<String> {
    let mut text = String::new();
    let mut add = |s: &str| {
        text.push_str(s);
        text.push('\n');
    };
    if let Some(t) = v["title"].as_str() {
        add(t);
    }
    for (k, val) in v["meta"].as_object().unwrap() {
        add(k);
        add(val.as_str().unwrap());
    }
    fn sections(s: &Value, add: &mut dyn FnMut(&str)) {
        for sec in s.as_array().unwrap() {
            add(sec["title"].as_str().unwrap());
            sections(&sec["sections"], add);
        }
    }
    sections(&v["sections"], &mut add);
    for t in v["turns"].as_array().unwrap() {
        add(t["speaker"].as_str().unwrap());
        for p in strs(&t["paragraphs"]) {
            add(&p);
        }
    }
    for p in v["paragraphs"].as_array().unwrap() {
        add(p["text"].as_str().unwrap());
    }
    words(&text)
}

/// Every word of the fixture's visible text (`NAME.txt`: what a browser or Word shows, the
/// times left out) is in the dump once, and no other.
fn every_word_once(v: &Value, txt: &str) {
    let mut want = words(&std::fs::read_to_string(fixture(txt)).unwrap());
    let mut got = dump_words(v);
    want.sort();
    got.sort();
    assert_eq!(got, want, "the dump's words are the visible text's");
}

#[test]
fn a_podcasting_html_transcript_has_its_speakers_and_times() {
    let v = dump_file(&fixture("html/podcasting.html"));
    assert_eq!(v["format"], "html");
    assert_eq!(speakers(&v), ["Lena Okafor", "Ivo Brandt"]);
    assert_eq!(
        turn_speakers(&v),
        ["Lena Okafor", "Lena Okafor", "Ivo Brandt", "Lena Okafor", "Ivo Brandt", "Ivo Brandt"]
    );
    let s: Vec<_> = starts(&v).into_iter().map(Option::unwrap).collect();
    assert_eq!(s, ["00:00:00", "00:00:06", "00:00:13", "00:00:21", "00:00:24", "01:02:09"]);
    assert_eq!(
        strs(&v["turns"][2]["paragraphs"]),
        ["Thanks, Lena. It’s good to be here & to talk about clover."]
    );
    every_word_once(&v, "html/podcasting.txt");
}

#[test]
fn a_web_page_keeps_its_transcript_and_drops_the_site() {
    let v = dump_file(&fixture("html/web_page.html"));
    assert_eq!(v["format"], "html");
    assert_eq!(v["title"], "The Night Ferry");
    let secs: Vec<_> =
        v["sections"].as_array().unwrap().iter().map(|s| s["title"].clone()).collect();
    assert_eq!(secs, ["Part one: leaving port", "Part two: the storm of 2009"]);
    assert_eq!(v["sections"][0]["turns"], 4);
    assert_eq!(speakers(&v), ["Saoirse Flynn", "Tomas Reyes"]);
    assert_eq!(turn_speakers(&v).len(), 7);
    assert!(starts(&v).iter().all(Option::is_none));
    let t = &v["turns"][3];
    assert_eq!(t["speaker"], "Tomas Reyes");
    assert_eq!(
        strs(&t["paragraphs"]),
        [
            "Mostly lorry drivers. They sleep, they eat, they sleep again. Nobody looks at the \
             sea at night. That is the strange part.",
            "It took me years to notice it myself."
        ]
    );
    assert_eq!(strs(&t["highlights"]), ["Nobody looks at the sea at night."]);
    let all = v.to_string();
    for gone in ["Episodes", "Home", "Ghost", "dataLayer", "Editor", "Subscribe", "rights", "color"]
    {
        assert!(!all.contains(gone), "{gone:?} is the site's, not the transcript's");
    }
    every_word_once(&v, "html/web_page.txt");
}

#[test]
fn a_broken_legacy_page_in_windows_1252_reads_right() {
    let path = fixture("html/legacy_1252.html");
    let decoded = fangtan::source::read(&path, None).unwrap();
    assert_eq!(decoded.encoding, "windows-1252");
    let v = dump_file(&path);
    assert_eq!(v["format"], "html");
    assert_eq!(v["title"], "Oral History Project: Interview with Mrs. Delia Marsh");
    assert_eq!(speakers(&v), ["INTERVIEWER", "MARSH"]);
    assert_eq!(turn_speakers(&v).len(), 10);
    assert_eq!(
        strs(&v["turns"][3]["paragraphs"]),
        ["Every day, four miles on foot. The teacher said, “Delia, you’ll wear out those boots \
          before you wear out the alphabet.” I never forgot that."]
    );
    assert_eq!(strs(&v["turns"][5]["highlights"]), ["for twelve years"]);
    // A `<B>` never closed ends with its paragraph: the turns after it have no quotes.
    assert_eq!(strs(&v["turns"][7]["highlights"]), ["You couldn’t hear yourself think."]);
    assert!(strs(&v["turns"][8]["highlights"]).is_empty());
    assert_eq!(v["sections"][1]["title"], "Tape 1, Side B");
    every_word_once(&v, "html/legacy_1252.txt");
}

#[test]
fn a_declared_charset_yields_to_a_bom_and_to_utf8() {
    let decode = |b: &[u8]| fangtan::source::decode(b, None, Path::new("p.html")).unwrap();
    let meta = b"<html><head><meta charset=\"windows-1252\"></head><p>caf\xe9 \x93x\x94";
    let d = decode(meta);
    assert_eq!(d.encoding, "windows-1252");
    assert!(d.text.contains("café “x”"));
    // A BOM wins over the declaration; so do bytes that are UTF-8 all the same.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice("<html><meta charset=\"windows-1252\"><p>café".as_bytes());
    assert!(decode(&bom).text.contains("café"));
    let utf8 = "<html><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"><p>café ☕";
    assert_eq!(decode(utf8.as_bytes()).encoding, "UTF-8");
    // A `<meta>` inside a script is no declaration.
    let script = b"<html><script>w('<meta charset=koi8-r>')</script><p>caf\xe9";
    assert_ne!(decode(script).encoding, "KOI8-R");
    // `http-equiv`, a quoted charset, another legacy encoding.
    let koi = b"<META HTTP-EQUIV='content-type' CONTENT='text/html; charset=\"koi8-r\"'><P>\xf0\xd2\xc9\xd7\xc5\xd4";
    let d = decode(koi);
    assert_eq!(d.encoding, "KOI8-R");
    assert!(d.text.contains("Привет"), "{}", d.text);
}

#[test]
fn markdown_with_a_little_html_stays_markdown() {
    let md = "# Notes\n\n<details>\n<summary>More</summary>\n\n**Ann:** hi<br>there\n\n</details>\n\n**Bo:** ok\n";
    assert_eq!(detect_format(md), Format::Markdown);
    let text = "<alice> hi\n<bob> hello\n<alice> bye\n";
    assert_ne!(detect_format(text), Format::Html);
    assert_eq!(detect_format("<p><b>Ann:</b> hi</p>\n<p><b>Bo:</b> yo</p>\n"), Format::Html);
}

#[test]
fn a_docx_with_bold_name_runs() {
    let v = dump_docx("bold_names");
    assert_eq!(v["format"], "docx");
    assert_eq!(v["title"], "Interview: Harbour Pilots");
    assert_eq!(speakers(&v), ["Ruth Adeyemi", "Jonas Berg"]);
    assert_eq!(turn_speakers(&v), ["Ruth Adeyemi", "Jonas Berg", "Ruth Adeyemi", "Jonas Berg"]);
    let jonas = &v["turns"][1];
    assert_eq!(
        strs(&jonas["paragraphs"]),
        [
            "In 1998. A grain carrier, in fog so thick I could not see the bow from the bridge.",
            "My hands were shaking the whole way. Then we docked."
        ]
    );
    // Bold by its character style; `w:b w:val="0"` over that style is not bold.
    assert_eq!(strs(&jonas["highlights"]), ["in fog so thick"]);
    assert_eq!(
        strs(&v["turns"][3]["paragraphs"]),
        ["Tugs & pilots still go out at night. Radar helps – a little."]
    );
    let secs: Vec<_> =
        v["sections"].as_array().unwrap().iter().map(|s| s["title"].clone()).collect();
    assert_eq!(secs, ["Morning shift", "Ships mentioned"]);
    // A table's rows are paragraphs.
    let paras: Vec<_> =
        v["paragraphs"].as_array().unwrap().iter().map(|p| p["text"].clone()).collect();
    assert_eq!(paras[1], "Vessel | Year");
    every_word_once(&v, "docx/bold_names.txt");
}

#[test]
fn a_docx_with_speaker_and_time_lines() {
    let v = dump_docx("speaker_lines");
    assert_eq!(v["title"], "Weekly standup", "the Title paragraph, not dc:title");
    assert_eq!(speakers(&v), ["Speaker 1", "Speaker 2", "Speaker 3"]);
    assert_eq!(
        turn_speakers(&v),
        ["Speaker 1", "Speaker 2", "Speaker 1", "Speaker 3", "Speaker 2"]
    );
    let s: Vec<_> = starts(&v).into_iter().map(Option::unwrap).collect();
    assert_eq!(s, ["00:00:05", "00:00:09", "00:01:15", "01:02:03", "01:02:10"]);
    assert_eq!(
        strs(&v["turns"][1]["paragraphs"]),
        ["I can. I finished the report on Friday.", "It still needs a chart, and a second reader."]
    );
    every_word_once(&v, "docx/speaker_lines.txt");
}

#[test]
fn a_docx_with_time_first_headers_and_no_other_part() {
    let v = dump_docx("at_headers");
    assert_eq!(turn_speakers(&v), ["Priya Nair", "Olu Bankole", "Priya Nair"]);
    let s: Vec<_> = starts(&v).into_iter().map(Option::unwrap).collect();
    assert_eq!(s, ["00:00:04", "00:00:11", "00:12:05"]);
    every_word_once(&v, "docx/at_headers.txt");
}

#[test]
fn a_docx_with_headings_by_localized_style_ids() {
    let v = dump_docx("localized_styles");
    assert_eq!(v["title"], "茶农访谈录");
    let top = &v["sections"][0];
    assert_eq!((top["title"].as_str(), top["level"].as_u64()), (Some("第一部分：春茶"), Some(1)));
    // A style of its own name, based on heading 2, is a heading 2.
    let sub: Vec<_> =
        top["sections"].as_array().unwrap().iter().map(|s| s["title"].clone()).collect();
    assert_eq!(sub, ["炒茶", "结语"]);
    assert_eq!(speakers(&v), ["主持人", "林阿伯"]);
    assert_eq!(turn_speakers(&v).len(), 7);
    assert_eq!(strs(&v["turns"][1]["paragraphs"]), ["清明前十天，比去年早一周。"]);
    assert_eq!(strs(&v["turns"][3]["highlights"]), ["雨水一多，茶就淡了。"]);
    let all = v.to_string();
    assert!(!all.contains("三天") && !all.contains("HYPERLINK"), "deleted text and field codes");
    assert_eq!(all.matches("祖传的铁锅").count(), 1, "a text box once, not its fallback too");
    every_word_once(&v, "docx/localized_styles.txt");
}

#[test]
fn a_big_docx_is_read_whole_not_by_its_first_part() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.docx");
    let mut parts = files(&fixture("docx/speaker_lines"));
    // Incompressible filler past the size at which a text opens on its first part.
    let mut noise = Vec::new();
    let mut x = 0x2545_f491_u32;
    for _ in 0..(fangtan::load::BIG as usize * 2) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise.push(x as u8);
    }
    parts.push(("word/media/image1.png".into(), noise));
    std::fs::write(&path, zip(&parts)).unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > fangtan::load::BIG);
    let opts = ParseOptions::default();
    assert!(fangtan::load::first_part(&path, None, &opts).unwrap().is_none());
    assert_eq!(speakers(&dump_file(&path)), ["Speaker 1", "Speaker 2", "Speaker 3"]);
}

// --- the command line ---------------------------------------------------------------------

fn run_file(args: &[&str], dir: &Path, name: &str, bytes: &[u8]) -> Output {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    fangtan().args(args).arg(&p).output().unwrap()
}

/// The first bytes of an OLE compound file, then its sectors (zeros here).
fn ole(extra: &[u8]) -> Vec<u8> {
    let mut b = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    b.resize(512, 0);
    b.extend_from_slice(extra);
    b.resize(4096, 0);
    b
}

#[test]
fn old_word_encrypted_and_damaged_files_say_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fails_with(&run_file(&["dump"], d, "old.doc", &ole(b"W\0o\0r\0d\0D\0o\0c\0")), ".doc");
    let stream: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    fails_with(&run_file(&["dump"], d, "locked.docx", &ole(&stream)), "password");
    let whole = docx("bold_names");
    fails_with(
        &run_file(&["dump"], d, "cut.docx", &whole[..whole.len() / 2]),
        "damaged Word document",
    );
    let other = zip(&[("mimetype".to_string(), b"application/epub+zip".to_vec())]);
    fails_with(&run_file(&["dump"], d, "book.epub", &other), "not a Word document");
    fails_with(
        &run_file(&["dump", "--format", "docx"], d, "notes.txt", b"Ann: hi\n"),
        "not a Word .docx file",
    );
    // The reader itself refuses them before the terminal is touched.
    fails_with(&run_file(&[], d, "old2.doc", &ole(b"")), ".doc");
}

#[test]
fn a_zip_bomb_stops_early() {
    // 19 MB of empty paragraphs deflate some hundredfold, even at the fastest level.
    let mut xml = b"<w:document xmlns:w=\"x\"><w:body>".to_vec();
    xml.extend(b"<w:p/>".repeat(3 << 20));
    xml.extend(b"</w:body></w:document>");
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let fast = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    w.start_file("word/document.xml", fast).unwrap();
    w.write_all(&xml).unwrap();
    let bomb = w.finish().unwrap().into_inner();
    assert!(bomb.len() * 100 < xml.len(), "{} bytes zipped", bomb.len());
    let dir = tempfile::tempdir().unwrap();
    fails_with(&run_file(&["dump"], dir.path(), "bomb.docx", &bomb), "zip bomb");
}

#[test]
fn docx_from_stdin_and_html_by_override() {
    let mut child = fangtan()
        .args(["speakers", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&docx("speaker_lines")).unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Speaker 3"));
    // A fragment that does not look like a page, read as one on request.
    let dir = tempfile::tempdir().unwrap();
    let frag = "Notes on the call.\n<p><b>Ann:</b> hello<p><b>Bo:</b> hi\n";
    let o = run_file(&["dump", "--format", "html"], dir.path(), "frag.txt", frag.as_bytes());
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["format"], "html");
    assert_eq!(speakers(&v), ["Ann", "Bo"]);
}

// --- mutated inputs -------------------------------------------------------------------------

/// A change to a file: a byte set, a cut, a run of bytes put in, a run taken out.
#[derive(Debug, Clone)]
enum Edit {
    Set(prop::sample::Index, u8),
    Cut(prop::sample::Index),
    Put(prop::sample::Index, Vec<u8>),
    Take(prop::sample::Index, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    let markup = prop::sample::select(vec![
        &b"<"[..],
        b">",
        b"</p>",
        b"<b>",
        b"<P>",
        b"<cite>",
        b"<time>0:0",
        b"<br>",
        b"&#27;",
        b"&amp",
        b"<w:p>",
        b"</w:p>",
        b"<w:b/>",
        b"<w:t>",
        b"</w:t>",
        b"<w:br/>",
        b"\"",
        b"**",
        b"<script>",
        b"<table><tr><td>",
        b"<h2>",
        b"<!--",
        b"\xe9",
        b"\x93",
        b"\0",
    ]);
    prop_oneof![
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Edit::Set(i, b)),
        any::<prop::sample::Index>().prop_map(Edit::Cut),
        (
            any::<prop::sample::Index>(),
            prop_oneof![markup.prop_map(<[u8]>::to_vec), prop::collection::vec(any::<u8>(), 1..8)]
        )
            .prop_map(|(i, b)| Edit::Put(i, b)),
        (any::<prop::sample::Index>(), 1usize..64).prop_map(|(i, n)| Edit::Take(i, n)),
    ]
}

fn mutate(mut b: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        match e {
            Edit::Set(i, x) if !b.is_empty() => {
                let i = i.index(b.len());
                b[i] = *x;
            }
            Edit::Cut(i) => b.truncate(i.index(b.len() + 1)),
            Edit::Put(i, x) => {
                let i = i.index(b.len() + 1);
                b.splice(i..i, x.iter().copied());
            }
            Edit::Take(i, n) if !b.is_empty() => {
                let i = i.index(b.len());
                b.drain(i..(i + n).min(b.len()));
            }
            _ => {}
        }
    }
    b
}

/// Run `f` on a thread of its own and fail if it does not end within a minute: a hang is
/// a failure, not a stalled test run (generous: a debug build on a loaded machine).
fn within(f: impl FnOnce() + Send + 'static) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        f();
        let _ = tx.send(());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(()) => {}
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("the parser panicked"),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("the parser hung"),
    }
}

/// No character of the dump would act on a terminal.
fn no_controls(v: &str) {
    assert!(
        !v.chars()
            .any(|c| (c < ' ' && c != '\n' && c != '\t') || ('\u{7f}'..='\u{9f}').contains(&c)),
        "a control character in {v:?}"
    );
}

fn html_seeds() -> Vec<Vec<u8>> {
    ["podcasting", "web_page", "legacy_1252"]
        .iter()
        .map(|n| std::fs::read(fixture(&format!("html/{n}.html"))).unwrap())
        .collect()
}

/// The parts of each `.docx` fixture.
fn docx_seeds() -> Vec<Vec<(String, Vec<u8>)>> {
    ["bold_names", "speaker_lines", "localized_styles", "at_headers"]
        .iter()
        .map(|n| files(&fixture(&format!("docx/{n}"))))
        .collect()
}

fn cases(n: u32) -> ProptestConfig {
    ProptestConfig { cases: n, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(cases(96))]

    #[test]
    fn mutated_pages_neither_panic_nor_hang(
        seed in prop::sample::select(html_seeds()),
        edits in prop::collection::vec(edit(), 1..12),
    ) {
        let bytes = mutate(seed, &edits);
        within(move || {
            let name = Path::new("page.html");
            for format in [None, Some(Format::Html)] {
                let opts = ParseOptions { format, ..ParseOptions::default() };
                if let Ok(doc) = fangtan::load::from_bytes(bytes.clone(), name, None, &opts) {
                    no_controls(&fangtan::dump::json(&doc));
                }
            }
        });
    }

    #[test]
    fn mutated_word_packages_neither_panic_nor_hang(
        seed in prop::sample::select(docx_seeds()),
        part in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 1..12),
        zipped in any::<bool>(),
    ) {
        // Mutate the XML of one part and zip it, or the zip itself.
        let mut parts = seed;
        let bytes = if zipped {
            mutate(zip(&parts), &edits)
        } else {
            let i = part.index(parts.len());
            parts[i].1 = mutate(std::mem::take(&mut parts[i].1), &edits);
            zip(&parts)
        };
        within(move || {
            let opts = ParseOptions::default();
            if let Ok(doc) = fangtan::load::from_bytes(bytes, Path::new("x.docx"), None, &opts) {
                no_controls(&fangtan::dump::json(&doc));
            }
        });
    }
}

/// A paragraph's text with markup characters, in runs plain or bold.
fn runs() -> impl Strategy<Value = Vec<(String, bool)>> {
    let text = "[a-zA-Z0-9 *_`#>+\\-.!()\\[\\]<&;/\\\\~=|\"'\u{4E00}-\u{4E10}，。]{1,16}";
    prop::collection::vec((text, any::<bool>()), 1..6)
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

proptest! {
    #![proptest_config(cases(256))]

    /// Whatever a page's paragraph says, the reader shows it as written (spaces collapsed):
    /// nothing in it turns into markup, and no escape shows.
    #[test]
    fn a_paragraph_of_a_page_reads_as_written(runs in runs()) {
        let mut html = String::from("<!DOCTYPE html><p>");
        let mut plain = String::new();
        for (s, bold) in &runs {
            let s = s.replace(':', "");
            if *bold {
                html.push_str(&format!("<b>{}</b>", html_escape(&s)));
            } else {
                html.push_str(&html_escape(&s));
            }
            plain.push_str(&s);
        }
        html.push_str("</p>");
        // Spaces collapse as in HTML; a space before a full-width pause mark goes, as in
        // any paragraph fangtan reads.
        let want = plain.split_whitespace().collect::<Vec<_>>().join(" ").replace(" ，", "，").replace(" 。", "。");
        prop_assume!(!want.is_empty());
        let doc = fangtan::parse::parse(html.clone(), &ParseOptions::default());
        let shown: Vec<String> = (0..doc.items.len())
            .flat_map(|i| doc.item_blocks(i))
            .map(|b| b.text.to_string())
            .collect();
        prop_assert!(doc.speakers.is_empty(), "no colon, no speaker: {:?}", html);
        // A paragraph of stars only is a divider, dropped as in Markdown.
        let want: Vec<String> = match want.trim_matches(|c: char| c == '*' || c == ' ').is_empty() {
            true => Vec::new(),
            false => vec![want],
        };
        prop_assert_eq!(shown, want, "{:?}", html);
    }
}

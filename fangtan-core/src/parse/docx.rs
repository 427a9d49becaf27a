//! Word `.docx` documents (Office Open XML), as transcription services and meeting tools
//! hand them out.
//!
//! The package is a zip of XML parts: the main document (found through `_rels/.rels`, else
//! `word/document.xml`), its styles and its core properties. The document's paragraphs,
//! runs, bold and italic runs, line breaks, tabs and tables are written as Markdown
//! ([`super::write_md`]), which [`super::markdown`] then parses: the labels of exports
//! (`Speaker 1  00:00:05` on a line of its own, bold `Name:` runs, `Name (00:01:02):`)
//! follow exactly the rules of text. Headings are known by paragraph style: a style named
//! `heading N` or `Title` (whatever its id: ids are localized, names are not) or with an
//! outline level, directly or through the style it is based on. The title is a heading
//! that opens the document, else the `dc:title` of the core properties. A table row is one
//! paragraph, its cells joined (leading name and time cells make a label). Deleted text
//! (tracked changes), field codes and the fallback copies of drawings are left out.
//!
//! Invariant: parts are read as a stream of XML events, never whole, and no part is
//! inflated past [`inflate_cap`] (a zip bomb stops there, having cost little time and no
//! more memory than the Markdown of what it inflated); a damaged, encrypted or foreign
//! package is an error of one line, never a panic.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Seek};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::read::ZipFile;

use super::write_md::{BOLD, ITALIC, Para, Writer};

/// The first bytes of a zip archive (a local file header, or the end record of an empty
/// one).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// The most XML inflated from one part, whatever its size: a gigabyte of WordprocessingML
/// holds some 200 MB of text, more than any transcript.
pub const MAX_XML: u64 = 1 << 30;

/// How much one part of `compressed` bytes may inflate to: [`MAX_XML`], and no more than
/// 100 times its size (Word's XML deflates 5 to 30 times; a zip bomb a thousand), but
/// 16 MB in any case.
pub fn inflate_cap(compressed: u64) -> u64 {
    compressed.saturating_mul(100).clamp(16 << 20, MAX_XML)
}

#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    #[error("not a Word document: a zip archive without word/document.xml")]
    NotWord,
    #[error("a damaged Word document ({0})")]
    Damaged(String),
    #[error("an encrypted Word document: save a copy without a password to read it")]
    Encrypted,
    #[error("a Word document that inflates too far (a zip bomb, or over {} MB of XML)", MAX_XML >> 20)]
    TooLarge,
}

impl From<zip::result::ZipError> for DocxError {
    fn from(e: zip::result::ZipError) -> DocxError {
        use zip::result::ZipError;
        match e {
            ZipError::FileNotFound => DocxError::NotWord,
            ZipError::UnsupportedArchive(m) if m == ZipError::PASSWORD_REQUIRED => {
                DocxError::Encrypted
            }
            ZipError::InvalidPassword => DocxError::Encrypted,
            e => DocxError::Damaged(e.to_string()),
        }
    }
}

impl From<quick_xml::Error> for DocxError {
    fn from(e: quick_xml::Error) -> DocxError {
        match e {
            quick_xml::Error::Io(io) if io.kind() == std::io::ErrorKind::FileTooLarge => {
                DocxError::TooLarge
            }
            e => DocxError::Damaged(e.to_string()),
        }
    }
}

/// A reader that fails once more than its limit is read.
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.left = self.left.checked_sub(n as u64).ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::FileTooLarge, "part too large")
        })?;
        Ok(n)
    }
}

/// The package written as Markdown, and whether a character had to be shown as a stand-in.
pub fn to_markdown<R: Read + Seek>(package: R) -> Result<(String, bool), DocxError> {
    let mut zip = zip::ZipArchive::new(package)?;
    let main = main_part(&mut zip).unwrap_or_else(|| "word/document.xml".to_string());
    if zip.index_for_name(&main).is_none() {
        return Err(DocxError::NotWord);
    }
    let dir = main.rsplit_once('/').map_or("", |(d, _)| d);
    let styles = match zip.by_name(format!("{dir}/styles.xml").trim_start_matches('/')) {
        Ok(f) => read_styles(xml(f))?,
        Err(zip::result::ZipError::FileNotFound) => Styles::default(),
        Err(e) => return Err(e.into()),
    };
    let title = match zip.by_name("docProps/core.xml") {
        Ok(f) => core_title(xml(f))?,
        Err(_) => None,
    };
    let f = zip.by_name(&main)?;
    let size = f.size();
    let mut conv = Conv {
        w: Writer::with_capacity(usize::try_from(size / 4).unwrap_or(0).min(64 << 20)),
        styles,
        ..Conv::default()
    };
    if let Some(t) = title {
        let mut p = Para::default();
        p.push(&t);
        conv.w.title(&p);
    }
    conv.read(xml(f))?;
    let had = conv.w.had_control_chars;
    Ok((conv.w.finish(), had))
}

/// A part as a stream of XML events, inflated no further than [`inflate_cap`].
fn xml<R: Read>(f: ZipFile<'_, R>) -> Reader<BufReader<Capped<ZipFile<'_, R>>>> {
    let left = inflate_cap(f.compressed_size());
    let mut x = Reader::from_reader(BufReader::new(Capped { inner: f, left }));
    x.config_mut().check_end_names = false;
    x
}

/// The main document's part name, from the package's relationships.
fn main_part<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Option<String> {
    let f = zip.by_name("_rels/.rels").ok()?;
    let mut x = xml(f);
    let mut buf = Vec::new();
    loop {
        match x.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let ty = attr(&e, "Type").unwrap_or_default();
                if ty.ends_with("/officeDocument") {
                    let target = attr(&e, "Target")?;
                    return Some(target.trim_start_matches('/').to_string());
                }
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// The value of attribute `key` (its qualified name), unescaped.
fn attr(e: &BytesStart, key: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find(|a| a.key.as_ref() == key).and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned())
    })
}

/// `w:val` as an OOXML on/off value: absent or anything but `0`, `false`, `off` is on.
fn on(e: &BytesStart) -> bool {
    !matches!(attr(e, "w:val").as_deref(), Some("0" | "false" | "off"))
}

/// What the document's styles say of headings and emphasis.
#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
}

#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    bold: Option<bool>,
    italic: Option<bool>,
}

impl Styles {
    /// A style and those it is based on, nearest first (a loop ends the chain).
    fn chain(&self, id: &str) -> impl Iterator<Item = &Style> {
        let mut next = self.by_id.get(id);
        std::iter::from_fn(move || {
            let s = next?;
            next = s.based_on.as_deref().and_then(|b| self.by_id.get(b));
            Some(s)
        })
        .take(16)
    }

    /// The heading level of a paragraph style (`Title` is 1, `heading N` is N), by its
    /// name or outline level; a style unknown to `styles.xml` by its id.
    fn level(&self, id: &str) -> Option<u8> {
        if !self.by_id.contains_key(id) {
            return level_of_name(id);
        }
        self.chain(id).find_map(|s| level_of_name(&s.name).or(s.outline))
    }

    fn bold(&self, id: &str) -> Option<bool> {
        self.chain(id).find_map(|s| s.bold)
    }

    fn italic(&self, id: &str) -> Option<bool> {
        self.chain(id).find_map(|s| s.italic)
    }
}

/// `Title` → 1, `heading 2` / `Heading2` → 2.
fn level_of_name(name: &str) -> Option<u8> {
    let n = name.to_ascii_lowercase().replace(' ', "");
    if n == "title" {
        return Some(1);
    }
    let d: u8 = n.strip_prefix("heading")?.parse().ok()?;
    (1..=9).contains(&d).then_some(d.min(6))
}

fn read_styles<B: BufRead>(mut x: Reader<B>) -> Result<Styles, DocxError> {
    let mut styles = Styles::default();
    let mut cur: Option<(String, Style)> = None;
    let (mut in_ppr, mut in_rpr) = (false, false);
    let mut buf = Vec::new();
    loop {
        let ev = x.read_event_into(&mut buf)?;
        let empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "w:style" if !empty => {
                    let id = attr(&e, "w:styleId").unwrap_or_default();
                    cur = Some((id, Style::default()));
                }
                "w:pPr" => in_ppr = !empty,
                "w:rPr" => in_rpr = !empty,
                name => {
                    if let Some((_, s)) = cur.as_mut() {
                        match name {
                            "w:name" => s.name = attr(&e, "w:val").unwrap_or_default(),
                            "w:basedOn" => s.based_on = attr(&e, "w:val"),
                            "w:outlineLvl" if in_ppr => {
                                let lvl = attr(&e, "w:val").and_then(|v| v.parse::<u8>().ok());
                                // Level 9 is body text.
                                s.outline = lvl.filter(|&l| l < 9).map(|l| (l + 1).min(6));
                            }
                            "w:b" if in_rpr => s.bold = Some(on(&e)),
                            "w:i" if in_rpr => s.italic = Some(on(&e)),
                            _ => {}
                        }
                    }
                }
            },
            Event::End(e) => match e.name().as_ref() {
                "w:style" => {
                    if let Some((id, s)) = cur.take() {
                        styles.by_id.insert(id, s);
                    }
                }
                "w:pPr" => in_ppr = false,
                "w:rPr" => in_rpr = false,
                _ => {}
            },
            Event::Eof => return Ok(styles),
            _ => {}
        }
        buf.clear();
    }
}

/// The `dc:title` of the core properties, if not blank.
fn core_title<B: BufRead>(mut x: Reader<B>) -> Result<Option<String>, DocxError> {
    let mut buf = Vec::new();
    let mut inside = false;
    let mut title = String::new();
    loop {
        match x.read_event_into(&mut buf)? {
            Event::Start(e) if e.name().as_ref() == "dc:title" => inside = true,
            Event::End(e) if e.name().as_ref() == "dc:title" => break,
            Event::Text(t) if inside => title.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if inside => title.push_str(&reference(&r)),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let t = title.trim();
    Ok((!t.is_empty()).then(|| t.to_string()))
}

/// An entity or character reference as text (an unknown one as written).
fn reference(r: &quick_xml::events::BytesRef) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    match &**r {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        other => format!("&{other};"),
    }
}

/// A table row being read.
#[derive(Default)]
struct Row {
    cells: Vec<Para>,
    header: bool,
}

#[derive(Default)]
struct Conv {
    w: Writer,
    styles: Styles,
    para: Para,
    /// The paragraph's style, and its heading level.
    p_style: Option<String>,
    level: Option<u8>,
    in_ppr: bool,
    in_run: bool,
    in_rpr: bool,
    /// The run's own bold and italic, and its character style.
    r_bold: Option<bool>,
    r_italic: Option<bool>,
    r_style: Option<String>,
    /// Inside `w:t`: text to read.
    in_text: bool,
    /// Inside content left out (a drawing's fallback copy, text moved away), its depth.
    skip: u32,
    /// Open tables; only the outermost makes rows, inner ones lines of its cell.
    tables: u32,
    row: Option<Row>,
    /// Paragraphs open (a text box's inside a paragraph's).
    paras: u32,
}

impl Conv {
    fn read<B: BufRead>(&mut self, mut x: Reader<B>) -> Result<(), DocxError> {
        let mut buf = Vec::new();
        loop {
            let ev = x.read_event_into(&mut buf)?;
            match ev {
                Event::Start(e) => self.start(&e, false),
                Event::Empty(e) => self.start(&e, true),
                Event::End(e) => self.end(e.name().as_ref()),
                Event::Text(t) if self.in_text && self.skip == 0 => {
                    self.run_style();
                    self.para.push(&t.xml10_content());
                }
                Event::CData(t) if self.in_text && self.skip == 0 => {
                    self.run_style();
                    self.para.push(&t.xml10_content());
                }
                Event::GeneralRef(r) if self.in_text && self.skip == 0 => {
                    self.run_style();
                    self.para.push(&reference(&r));
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        self.end_para();
        self.end_row();
        Ok(())
    }

    fn start(&mut self, e: &BytesStart, empty: bool) {
        let name = e.name();
        let name = name.as_ref();
        if self.skip > 0 {
            self.skip += u32::from(!empty && skipped(name));
            return;
        }
        if skipped(name) {
            self.skip += u32::from(!empty);
            return;
        }
        match name {
            "w:p" => {
                if self.paras > 0 {
                    // A text box's paragraph inside this one: what came before is one.
                    self.end_para();
                }
                self.paras += u32::from(!empty);
            }
            "w:pPr" => self.in_ppr = !empty,
            "w:pStyle" if self.in_ppr => {
                let id = attr(e, "w:val");
                self.level = id.as_deref().and_then(|id| self.styles.level(id)).or(self.level);
                self.p_style = id;
            }
            "w:outlineLvl" if self.in_ppr => {
                let lvl = attr(e, "w:val").and_then(|v| v.parse::<u8>().ok());
                if let Some(l) = lvl.filter(|&l| l < 9) {
                    self.level = Some((l + 1).min(6));
                }
            }
            "w:r" => {
                self.in_run = !empty;
                (self.r_bold, self.r_italic, self.r_style) = (None, None, None);
            }
            "w:rPr" if self.in_run => self.in_rpr = !empty,
            "w:b" if self.in_rpr => self.r_bold = Some(on(e)),
            "w:i" if self.in_rpr => self.r_italic = Some(on(e)),
            "w:rStyle" if self.in_rpr => self.r_style = attr(e, "w:val"),
            "w:t" => self.in_text = !empty,
            "w:tab" | "w:ptab" if self.in_run => self.para.push(" "),
            "w:br" | "w:cr" if self.in_run => self.para.brk(),
            "w:noBreakHyphen" if self.in_run => {
                self.run_style();
                self.para.push("-");
            }
            "w:tbl" => {
                self.end_para();
                self.tables += 1;
            }
            "w:tr" if self.tables == 1 => {
                self.end_row();
                self.row = Some(Row::default());
            }
            "w:tblHeader" => {
                if let Some(r) = self.row.as_mut()
                    && r.cells.is_empty()
                {
                    r.header = on(e);
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if self.skip > 0 {
            self.skip -= u32::from(skipped(name));
            return;
        }
        match name {
            "w:p" => {
                self.paras = self.paras.saturating_sub(1);
                self.end_para();
            }
            "w:pPr" => self.in_ppr = false,
            "w:r" => self.in_run = false,
            "w:rPr" => self.in_rpr = false,
            "w:t" => self.in_text = false,
            "w:tc" if self.tables == 1 => {
                if let Some(r) = self.row.as_mut() {
                    r.cells.push(std::mem::take(&mut self.para));
                }
            }
            "w:tc" | "w:tr" if self.tables > 1 => self.para.brk(),
            "w:tr" if self.tables == 1 => self.end_row(),
            "w:tbl" => {
                if self.tables == 1 {
                    self.end_row();
                }
                self.tables = self.tables.saturating_sub(1);
            }
            _ => {}
        }
    }

    /// Bring the paragraph's emphasis to what the current run says: its own properties,
    /// else its character style, else the paragraph's style.
    fn run_style(&mut self) {
        let from_styles = |c: &Conv, f: fn(&Styles, &str) -> Option<bool>| {
            c.r_style
                .as_deref()
                .and_then(|s| f(&c.styles, s))
                .or_else(|| c.p_style.as_deref().and_then(|s| f(&c.styles, s)))
        };
        let bold = self.r_bold.or_else(|| from_styles(self, Styles::bold)).unwrap_or(false);
        let italic = self.r_italic.or_else(|| from_styles(self, Styles::italic)).unwrap_or(false);
        // A heading's emphasis is its style, not a quote.
        let heading = self.level.is_some();
        self.para.set(BOLD, bold && !heading);
        self.para.set(ITALIC, italic && !heading);
    }

    /// The end of a paragraph: a heading, a paragraph, or a line of a table's cell.
    fn end_para(&mut self) {
        let level = self.level.take();
        self.p_style = None;
        self.para.set(BOLD, false);
        self.para.set(ITALIC, false);
        if self.tables > 0 {
            return self.para.brk();
        }
        let p = std::mem::take(&mut self.para);
        match level {
            Some(l) => self.w.heading(l, &p),
            None => self.w.paragraph(&p, None),
        }
    }

    fn end_row(&mut self) {
        if let Some(mut r) = self.row.take() {
            if !self.para.is_empty() {
                r.cells.push(std::mem::take(&mut self.para));
            }
            self.w.row(&r.cells, r.header);
        }
    }
}

/// Elements whose content is left out: deleted and moved-away text, field codes, the
/// fallback copy of a drawing, footnote marks.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "w:del"
            | "w:moveFrom"
            | "w:instrText"
            | "w:delText"
            | "w:delInstrText"
            | "mc:Fallback"
            | "w:rPrChange"
            | "w:pPrChange"
    )
}

//! Beside the pipeline, behind the library's search: a full-text index of many documents,
//! so that a search across them reads what may match instead of every file. Built from
//! parsed documents (stage 3's tree), read back as the [`Paragraph`]s a search matches.
//!
//! Each document's searchable paragraphs ([`crate::library::paragraphs`]) are packed into
//! *chunks* of about [`CHUNK_BYTES`] of text (a chunk never holds two documents), stored
//! LZ4-compressed with everything a [`crate::library::Hit`] is made of. Each chunk is
//! listed under every byte trigram of its paragraphs' [`normalize`]d text. A *segment*
//! file holds the chunks of some documents (about [`SEGMENT_BYTES`] of text, so building
//! one takes little memory) and, per trigram, the ascending list of its chunks
//! (delta-varint), behind a key table of which only every [`FENCE`]th key is read when the
//! segment is opened: a query reads the slices it needs, never the whole index.
//!
//! Invariant: a literal query's match in a paragraph is a substring of the paragraph's
//! normalized text equal to the query's normalized text ([`Matcher::literal`]), so every
//! trigram of that text is listed for the paragraph's chunk: [`Segment::candidates`] never
//! leaves out a chunk that holds a match (tested by property). Matching itself is always
//! the reader's own, on the stored display text ([`Matcher::hits`]), so an indexed search
//! finds exactly what a scan finds. A damaged or foreign file is an error, never a panic.
//! No terminal, no clock; the caller names the files.

use std::fs::File;
use std::io::{self, Write};
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::Path;

use crate::doc::Document;
use crate::library::{Hit, Matcher, Paragraph, Who, paragraphs};
use crate::search::{Scratch, normalize};

/// Format of a segment file; one that differs is rebuilt.
pub const VERSION: u32 = 1;

/// Text a chunk holds, about (a paragraph is never split: a longer one is a chunk alone).
pub const CHUNK_BYTES: usize = 8 * 1024;

/// Text a segment holds, about, before it is written and a new one begun.
pub const SEGMENT_BYTES: usize = 4 << 20;

/// Keys of the key table read at opening: one of every `FENCE`.
pub const FENCE: usize = 64;

const MAGIC: &[u8; 4] = b"FTIX";
const HEADER: usize = 4 + 4 + 4 * 3 + 8 * 6;
const CHUNK_ROW: usize = 4 + 8 + 4 + 4;
const KEY_ROW: usize = 4 + 4 + 4;

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, format!("index: {what}"))
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push(v as u8 | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Bytes read from a stored slice, every read checked.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn varint(&mut self) -> io::Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at).ok_or_else(|| bad("truncated number"))?;
            self.at += 1;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(bad("number too long"))
    }

    fn usize(&mut self) -> io::Result<usize> {
        usize::try_from(self.varint()?).map_err(|_| bad("number too big"))
    }

    fn str(&mut self) -> io::Result<&'a str> {
        let n = self.usize()?;
        let end = self.at.checked_add(n).ok_or_else(|| bad("length"))?;
        let s = self.bytes.get(self.at..end).ok_or_else(|| bad("truncated text"))?;
        self.at = end;
        simdutf8::basic::from_utf8(s).map_err(|_| bad("text not UTF-8"))
    }

    fn u32(&mut self) -> io::Result<u32> {
        let b = self.bytes.get(self.at..self.at + 4).ok_or_else(|| bad("truncated"))?;
        self.at += 4;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u64(&mut self) -> io::Result<u64> {
        let lo = u64::from(self.u32()?);
        Ok(lo | u64::from(self.u32()?) << 32)
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn key(w: &[u8]) -> u32 {
    u32::from(w[0]) << 16 | u32::from(w[1]) << 8 | u32::from(w[2])
}

/// The trigrams of a chunk's texts, every occurrence (a segment's blocks sort and
/// deduplicate them: cheaper than a hash set per chunk). Kept between documents for its
/// buffer.
#[derive(Default)]
pub struct Trigrams {
    keys: Vec<u32>,
}

impl Trigrams {
    fn add_text(&mut self, text: &[u8]) {
        self.keys.extend(text.windows(3).map(key));
    }

    fn take(&mut self) -> Vec<u32> {
        let n = self.keys.len();
        std::mem::replace(&mut self.keys, Vec::with_capacity(n))
    }
}

/// Sorts `v` by its upper 24 bits (a trigram), keeping the order of equal ones (their
/// lower 8 bits, a chunk's number, ascending as they were added): a radix sort, three
/// passes of 8 bits (256 buckets stay in cache, where 4,096 did not), their counts taken
/// in one pass, a pass whose byte is the same everywhere skipped.
fn sort_by_key(v: &mut Vec<u32>, tmp: &mut Vec<u32>) {
    let mut counts = [[0usize; 256]; 3];
    for &e in v.iter() {
        counts[0][((e >> 8) & 0xff) as usize] += 1;
        counts[1][((e >> 16) & 0xff) as usize] += 1;
        counts[2][(e >> 24) as usize] += 1;
    }
    tmp.clear();
    tmp.resize(v.len(), 0);
    for (counts, shift) in counts.iter_mut().zip([8u32, 16, 24]) {
        if counts.contains(&v.len()) {
            continue;
        }
        let mut sum = 0;
        for c in counts.iter_mut() {
            let n = *c;
            *c = sum;
            sum += n;
        }
        for &e in v.iter() {
            let b = ((e >> shift) & 0xff) as usize;
            tmp[counts[b]] = e;
            counts[b] += 1;
        }
        std::mem::swap(v, tmp);
    }
}

/// A chunk ready for a segment: its trigrams, its paragraphs encoded and
/// compressed, and how much text it holds.
pub struct Chunk {
    keys: Vec<u32>,
    data: Vec<u8>,
    raw_len: u32,
    text_bytes: usize,
}

/// The chunks of a document, built from its tree. Several documents can be built at once
/// on several threads, each with its own `Trigrams`.
pub fn chunks(doc: &Document, trigrams: &mut Trigrams) -> Vec<Chunk> {
    let mut out = Vec::new();
    let mut paras: Vec<Paragraph<'_>> = Vec::new();
    let mut text_bytes = 0;
    trigrams.keys.clear();
    for p in paragraphs(doc) {
        if text_bytes > 0 && text_bytes + p.text.len() > CHUNK_BYTES {
            out.push(chunk(&paras, text_bytes, trigrams));
            paras.clear();
            text_bytes = 0;
        }
        trigrams.add_text(normalize(p.text).as_bytes());
        text_bytes += p.text.len();
        paras.push(p);
    }
    if !paras.is_empty() {
        out.push(chunk(&paras, text_bytes, trigrams));
    }
    out
}

/// One chunk of `paras`, their trigrams taken from `trigrams` (begun anew).
fn chunk(paras: &[Paragraph<'_>], text_bytes: usize, trigrams: &mut Trigrams) -> Chunk {
    let mut raw = Vec::with_capacity(text_bytes + 64);
    encode(paras, &mut raw);
    let keys = trigrams.take();
    Chunk { keys, data: lz4_flex::block::compress(&raw), raw_len: raw.len() as u32, text_bytes }
}

/// Paragraphs as stored: the speakers and sections named once, then each paragraph.
fn encode(paras: &[Paragraph<'_>], out: &mut Vec<u8>) {
    let mut speakers: Vec<Who<'_>> = Vec::new();
    let mut sections: Vec<&str> = Vec::new();
    let mut rows = Vec::with_capacity(paras.len());
    for p in paras {
        let who = p.speaker.map(|w| match speakers.iter().position(|s| *s == w) {
            Some(i) => i,
            None => {
                speakers.push(w);
                speakers.len() - 1
            }
        });
        let section = p.section.map(|t| match sections.iter().position(|s| *s == t) {
            Some(i) => i,
            None => {
                sections.push(t);
                sections.len() - 1
            }
        });
        rows.push((who, section));
    }
    put_varint(out, speakers.len() as u64);
    for w in &speakers {
        put_str(out, w.name);
        put_str(out, w.display);
    }
    put_varint(out, sections.len() as u64);
    for s in &sections {
        put_str(out, s);
    }
    put_varint(out, paras.len() as u64);
    let opt = |v: Option<usize>| v.map_or(0, |v| v as u64 + 1);
    for (p, (who, section)) in paras.iter().zip(rows) {
        put_varint(out, p.item as u64);
        put_varint(out, p.block as u64);
        put_varint(out, opt(who));
        put_varint(out, opt(section));
        put_varint(out, p.start_ms.map_or(0, |t| t.saturating_add(1)));
        put_str(out, p.text);
    }
}

/// Each stored paragraph of a chunk's decompressed bytes, in order.
pub fn decode(raw: &[u8], mut each: impl FnMut(&Paragraph<'_>)) -> io::Result<()> {
    let mut r = Reader { bytes: raw, at: 0 };
    let n = r.usize()?;
    let mut speakers = Vec::with_capacity(n.min(1024));
    for _ in 0..n {
        let name = r.str()?;
        speakers.push(Who { name, display: r.str()? });
    }
    let n = r.usize()?;
    let mut sections = Vec::with_capacity(n.min(1024));
    for _ in 0..n {
        sections.push(r.str()?);
    }
    let n = r.usize()?;
    for _ in 0..n {
        let item = r.usize()?;
        let block = r.usize()?;
        let pick = |i: usize, len: usize| match i {
            0 => Ok(None),
            i if i <= len => Ok(Some(i - 1)),
            _ => Err(bad("reference out of range")),
        };
        let speaker = pick(r.usize()?, speakers.len())?.map(|i| speakers[i]);
        let section = pick(r.usize()?, sections.len())?.map(|i| sections[i]);
        let start_ms = r.varint()?.checked_sub(1);
        let text = r.str()?;
        each(&Paragraph { item, block, speaker, section, start_ms, text });
    }
    Ok(())
}

/// Where a chunk lies in its segment and whose it is.
#[derive(Debug, Clone, Copy)]
struct ChunkRow {
    doc: u32,
    offset: u64,
    len: u32,
    raw_len: u32,
}

/// Chunks of a segment whose postings are gathered as one block: an entry is a trigram
/// and the chunk's number in its block in one `u32`, so a block's entries sort into its
/// postings, and a segment's blocks merge in order when it is written.
const BLOCK_CHUNKS: usize = 64;

/// A segment being built in memory, written whole by [`SegmentBuilder::write`].
#[derive(Default)]
pub struct SegmentBuilder {
    /// Sorted entries (`key << 8 | chunk in block`) of the full blocks.
    blocks: Vec<Vec<u32>>,
    /// The block being filled, unsorted, repeats and all.
    current: Vec<u32>,
    /// Room for sorting it.
    tmp: Vec<u32>,
    chunks: Vec<ChunkRow>,
    data: Vec<u8>,
    text_bytes: usize,
}

impl SegmentBuilder {
    /// Adds document `doc`'s chunks (the caller's number for it); the range of chunk
    /// numbers they got in this segment.
    pub fn add(&mut self, doc: u32, chunks: Vec<Chunk>) -> Range<u32> {
        let first = self.chunks.len() as u32;
        for c in chunks {
            let id = self.chunks.len();
            let local = (id % BLOCK_CHUNKS) as u32;
            self.current.extend(c.keys.iter().map(|k| k << 8 | local));
            self.chunks.push(ChunkRow {
                doc,
                offset: self.data.len() as u64,
                len: c.data.len() as u32,
                raw_len: c.raw_len,
            });
            self.data.extend_from_slice(&c.data);
            self.text_bytes += c.text_bytes;
            if local as usize == BLOCK_CHUNKS - 1 {
                self.close_block();
            }
        }
        first..self.chunks.len() as u32
    }

    fn close_block(&mut self) {
        let mut block = std::mem::take(&mut self.current);
        sort_by_key(&mut block, &mut self.tmp);
        block.dedup();
        block.shrink_to_fit();
        self.blocks.push(block);
    }

    /// Text added so far.
    pub fn text_bytes(&self) -> usize {
        self.text_bytes
    }

    /// Chunks added so far.
    pub fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    /// Every key's postings (delta-varint chunk numbers), keys ascending, the blocks
    /// merged in order.
    fn postings(&mut self) -> (Vec<u32>, Vec<u32>, Vec<u8>) {
        if !self.current.is_empty() {
            self.close_block();
        }
        let blocks = std::mem::take(&mut self.blocks);
        let mut at = vec![0usize; blocks.len()];
        let (mut keys, mut ends, mut bytes) = (Vec::new(), Vec::new(), Vec::new());
        loop {
            let next = blocks.iter().zip(&at).filter_map(|(b, &i)| b.get(i).map(|e| e >> 8)).min();
            let Some(k) = next else { break };
            let mut last = 0u64;
            for (n, b) in blocks.iter().enumerate() {
                let base = (n * BLOCK_CHUNKS) as u64;
                while let Some(&e) = b.get(at[n]).filter(|&&e| e >> 8 == k) {
                    let id = base + u64::from(e & 0xff);
                    put_varint(&mut bytes, id - last);
                    last = id;
                    at[n] += 1;
                }
            }
            keys.push(k);
            ends.push(bytes.len() as u32);
        }
        (keys, ends, bytes)
    }

    /// Writes the segment to `path` (through a temporary file beside it, synced, then
    /// renamed) and empties the builder; the file's size.
    pub fn write(&mut self, path: &Path) -> io::Result<u64> {
        let (keys, ends, postings) = self.postings();
        let n_fences = keys.len().div_ceil(FENCE);
        let off_chunks = HEADER as u64;
        let off_fences = off_chunks + (self.chunks.len() * CHUNK_ROW) as u64;
        let off_keys = off_fences + (n_fences * 4) as u64;
        let off_postings = off_keys + (keys.len() * KEY_ROW) as u64;
        let off_data = off_postings + postings.len() as u64;
        let total = off_data + self.data.len() as u64;
        let mut head = Vec::with_capacity(off_postings as usize);
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&VERSION.to_le_bytes());
        for n in [self.chunks.len(), keys.len(), n_fences] {
            head.extend_from_slice(&(n as u32).to_le_bytes());
        }
        for off in [off_chunks, off_fences, off_keys, off_postings, off_data, total] {
            head.extend_from_slice(&off.to_le_bytes());
        }
        for c in &self.chunks {
            head.extend_from_slice(&c.doc.to_le_bytes());
            head.extend_from_slice(&c.offset.to_le_bytes());
            head.extend_from_slice(&c.len.to_le_bytes());
            head.extend_from_slice(&c.raw_len.to_le_bytes());
        }
        for f in keys.iter().step_by(FENCE) {
            head.extend_from_slice(&f.to_le_bytes());
        }
        let mut start = 0u32;
        for (k, &end) in keys.iter().zip(&ends) {
            head.extend_from_slice(&k.to_le_bytes());
            head.extend_from_slice(&start.to_le_bytes());
            head.extend_from_slice(&(end - start).to_le_bytes());
            start = end;
        }
        let tmp = path.with_extension("tmp");
        let mut out = io::BufWriter::new(File::create(&tmp)?);
        out.write_all(&head)?;
        out.write_all(&postings)?;
        out.write_all(&self.data)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        *self = SegmentBuilder::default();
        Ok(total)
    }
}

/// A segment file opened for queries: its header, chunk table and fence keys in memory,
/// the rest read as needed.
pub struct Segment {
    file: File,
    chunks: Vec<ChunkRow>,
    fences: Vec<u32>,
    n_keys: usize,
    off_keys: u64,
    off_postings: u64,
    off_data: u64,
    total: u64,
}

/// Which chunks of a segment may hold a match: all of them, or these (ascending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Candidates {
    All,
    Some(Vec<u32>),
}

impl Candidates {
    /// Whether chunk `c` is one.
    pub fn has(&self, c: u32) -> bool {
        match self {
            Candidates::All => true,
            Candidates::Some(v) => v.binary_search(&c).is_ok(),
        }
    }
}

impl Segment {
    pub fn open(path: &Path) -> io::Result<Segment> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        let mut head = [0u8; HEADER];
        file.read_exact_at(&mut head, 0)?;
        if &head[..4] != MAGIC {
            return Err(bad("not an index segment"));
        }
        let mut r = Reader { bytes: &head, at: 4 };
        if r.u32()? != VERSION {
            return Err(bad("another version"));
        }
        let n_chunks = r.u32()? as usize;
        let n_keys = r.u32()? as usize;
        let n_fences = r.u32()? as usize;
        let [off_chunks, off_fences, off_keys, off_postings, off_data, total] =
            [r.u64()?, r.u64()?, r.u64()?, r.u64()?, r.u64()?, r.u64()?];
        let fits = off_chunks == HEADER as u64
            && off_fences == off_chunks + (n_chunks * CHUNK_ROW) as u64
            && off_keys == off_fences + (n_fences * 4) as u64
            && n_fences == n_keys.div_ceil(FENCE)
            && off_postings == off_keys + (n_keys * KEY_ROW) as u64
            && off_postings <= off_data
            && off_data <= total
            && total == len;
        if !fits {
            return Err(bad("damaged segment header"));
        }
        let mut table = vec![0u8; (off_keys - off_chunks) as usize];
        file.read_exact_at(&mut table, off_chunks)?;
        let mut r = Reader { bytes: &table, at: 0 };
        let mut chunks = Vec::with_capacity(n_chunks);
        for _ in 0..n_chunks {
            let c = ChunkRow { doc: r.u32()?, offset: r.u64()?, len: r.u32()?, raw_len: r.u32()? };
            if c.offset + u64::from(c.len) > total - off_data {
                return Err(bad("chunk out of range"));
            }
            chunks.push(c);
        }
        let fences = (0..n_fences).map(|_| r.u32()).collect::<io::Result<Vec<u32>>>()?;
        Ok(Segment { file, chunks, fences, n_keys, off_keys, off_postings, off_data, total })
    }

    /// How many chunks it holds.
    pub fn chunk_count(&self) -> usize {
        self.chunks.len()
    }

    /// The document number chunk `c` was added under.
    pub fn chunk_doc(&self, c: u32) -> Option<u32> {
        self.chunks.get(c as usize).map(|c| c.doc)
    }

    /// The byte range of `key`'s list in the postings, if it has one.
    fn find_key(&self, key: u32) -> io::Result<Option<(u64, u32)>> {
        let block = self.fences.partition_point(|&f| f <= key);
        let Some(block) = block.checked_sub(1) else { return Ok(None) };
        let first = block * FENCE;
        let n = FENCE.min(self.n_keys - first);
        let mut rows = vec![0u8; n * KEY_ROW];
        self.file.read_exact_at(&mut rows, self.off_keys + (first * KEY_ROW) as u64)?;
        let mut r = Reader { bytes: &rows, at: 0 };
        for _ in 0..n {
            let (k, at, len) = (r.u32()?, r.u32()?, r.u32()?);
            if k == key {
                if self.off_postings + u64::from(at) + u64::from(len) > self.off_data {
                    return Err(bad("postings out of range"));
                }
                return Ok(Some((self.off_postings + u64::from(at), len)));
            }
        }
        Ok(None)
    }

    fn postings(&self, at: u64, len: u32) -> io::Result<Vec<u32>> {
        let mut bytes = vec![0u8; len as usize];
        self.file.read_exact_at(&mut bytes, at)?;
        let mut r = Reader { bytes: &bytes, at: 0 };
        let mut out = Vec::new();
        let mut id = 0u64;
        while r.at < bytes.len() {
            id = id.checked_add(r.varint()?).ok_or_else(|| bad("posting out of range"))?;
            if id >= self.chunks.len() as u64 {
                return Err(bad("posting out of range"));
            }
            out.push(id as u32);
        }
        Ok(out)
    }

    /// The chunks that may hold a match of `literal` (normalized text; `None`, or shorter
    /// than a trigram: every chunk).
    pub fn candidates(&self, literal: Option<&str>) -> io::Result<Candidates> {
        let Some(text) = literal.filter(|t| t.len() >= 3) else { return Ok(Candidates::All) };
        let mut keys: Vec<u32> = text.as_bytes().windows(3).map(key).collect();
        keys.sort_unstable();
        keys.dedup();
        let mut lists = Vec::with_capacity(keys.len());
        for k in keys {
            match self.find_key(k)? {
                Some(l) => lists.push(l),
                None => return Ok(Candidates::Some(Vec::new())),
            }
        }
        // Rarest first: the shortest list bounds the rest.
        lists.sort_unstable_by_key(|l| l.1);
        let mut out: Option<Vec<u32>> = None;
        for (at, len) in lists {
            let list = self.postings(at, len)?;
            out = Some(match out {
                None => list,
                Some(prev) => {
                    let mut j = 0;
                    prev.into_iter()
                        .filter(|c| {
                            while j < list.len() && list[j] < *c {
                                j += 1;
                            }
                            j < list.len() && list[j] == *c
                        })
                        .collect()
                }
            });
            if out.as_ref().is_some_and(Vec::is_empty) {
                break;
            }
        }
        Ok(Candidates::Some(out.unwrap_or_default()))
    }

    /// Chunk `c`'s paragraphs, decompressed (to be [`decode`]d).
    pub fn chunk(&self, c: u32) -> io::Result<Vec<u8>> {
        let row = self.chunks.get(c as usize).ok_or_else(|| bad("no such chunk"))?;
        // LZ4 expands at most 255 times: a bigger size is damage, not an allocation.
        if u64::from(row.raw_len) > u64::from(row.len) * 255 + 16 {
            return Err(bad("damaged chunk"));
        }
        let mut data = vec![0u8; row.len as usize];
        self.file.read_exact_at(&mut data, self.off_data + row.offset)?;
        debug_assert!(self.off_data + row.offset + u64::from(row.len) <= self.total);
        lz4_flex::block::decompress(&data, row.raw_len as usize).map_err(|_| bad("damaged chunk"))
    }

    /// Every hit of `matcher` in chunks `range`, added under number `number`, that are
    /// `candidates`, as document `doc` of a corpus, in reading order. Chunks of another
    /// number, or out of range, are an error.
    pub fn hits(
        &self,
        range: Range<u32>,
        number: u32,
        candidates: &Candidates,
        matcher: &Matcher,
        doc: usize,
    ) -> io::Result<Vec<Hit>> {
        let rows = self.chunks.get(range.start as usize..range.end as usize);
        if !rows.is_some_and(|rows| rows.iter().all(|c| c.doc == number)) {
            return Err(bad("chunks of another document"));
        }
        let mut out = Vec::new();
        let mut scratch = Scratch::default();
        for c in range.filter(|c| candidates.has(*c)) {
            let raw = self.chunk(c)?;
            decode(&raw, |p| matcher.hits(p, doc, &mut scratch, &mut out))?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse};
    use proptest::prelude::*;

    fn doc(text: &str) -> Document {
        parse(text.to_string(), &ParseOptions::default())
    }

    fn built(docs: &[&Document]) -> (tempfile::TempDir, Segment, Vec<Range<u32>>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("s.seg");
        let mut b = SegmentBuilder::default();
        let mut t = Trigrams::default();
        let ranges =
            docs.iter().enumerate().map(|(i, d)| b.add(i as u32, chunks(d, &mut t))).collect();
        b.write(&path).expect("write");
        (dir, Segment::open(&path).expect("open"), ranges)
    }

    fn search(seg: &Segment, ranges: &[Range<u32>], q: &str) -> Vec<Hit> {
        let m = Matcher::new(q, None, &ParseOptions::default()).expect("query").expect("needle");
        let cands = seg.candidates(m.literal()).expect("candidates");
        let mut out = Vec::new();
        for (i, r) in ranges.iter().enumerate() {
            out.extend(seg.hits(r.clone(), i as u32, &cands, &m, i).expect("hits"));
        }
        out
    }

    fn scan(docs: &[&Document], q: &str) -> Vec<Hit> {
        let m = Matcher::new(q, None, &ParseOptions::default()).expect("query").expect("needle");
        docs.iter().enumerate().flat_map(|(i, d)| m.doc_hits(d, i)).collect()
    }

    #[test]
    fn the_index_finds_what_the_scan_finds() {
        let long: String =
            (0..3000).map(|i| format!("**B:** 第{i}段 Lantern 数据 x{i}\n\n")).collect();
        let a = doc(
            "# Talk\n\n**主持人：** 你好 1992 年的 Search 很好\n\n**Guest:** lantern light 搜索引擎\n",
        );
        let b = doc(&long);
        let docs = [&a, &b];
        let (_dir, seg, ranges) = built(&docs);
        assert!(ranges[1].len() > 1, "a long document takes several chunks");
        let m = Matcher::new("B", None, &ParseOptions::default()).unwrap().unwrap();
        assert!(
            seg.hits(ranges[1].clone(), 0, &Candidates::All, &m, 1).is_err(),
            "another's chunks"
        );
        for q in [
            "lantern",
            "你好1992",
            "1992年",
            "搜索",
            "数据 x29",
            "第2999段",
            "B",
            "zzz",
            "\\vx\\d+9$",
        ] {
            assert_eq!(search(&seg, &ranges, q), scan(&docs, q), "{q}");
        }
        let m = Matcher::new("x2999", None, &ParseOptions::default()).unwrap().unwrap();
        match seg.candidates(m.literal()).unwrap() {
            Candidates::Some(v) => assert_eq!(v.len(), 1, "one chunk holds x2999"),
            Candidates::All => panic!("a literal query narrows the chunks"),
        }
    }

    #[test]
    fn postings_run_across_blocks_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("b.seg");
        let mut b = SegmentBuilder::default();
        let n = BLOCK_CHUNKS * 2 + 44;
        for i in 0..n as u32 {
            let keys = vec![5, 10 + i % 7, 1000 + i, 5];
            b.add(i, vec![Chunk { keys, data: Vec::new(), raw_len: 0, text_bytes: 1 }]);
        }
        b.write(&path).expect("write");
        let seg = Segment::open(&path).expect("open");
        let list = |k: u32| {
            let (at, len) = seg.find_key(k).expect("read").expect("key");
            seg.postings(at, len).expect("postings")
        };
        assert_eq!(list(5), (0..n as u32).collect::<Vec<_>>());
        assert_eq!(list(13), (0..n as u32).filter(|i| i % 7 == 3).collect::<Vec<_>>());
        assert_eq!(list(1000 + 100), vec![100]);
        assert_eq!(seg.find_key(999).expect("read"), None);
        assert_eq!(seg.chunk_doc(101), Some(101));
    }

    #[test]
    fn a_damaged_segment_is_an_error() {
        let a = doc("**A:** hello lantern world\n");
        let (dir, seg, _) = built(&[&a]);
        drop(seg);
        let path = dir.path().join("s.seg");
        let mut bytes = std::fs::read(&path).unwrap();
        let n = bytes.len();
        bytes[n - 5] ^= 0xff;
        bytes[n - 3] ^= 0x55;
        std::fs::write(&path, &bytes).unwrap();
        let seg = Segment::open(&path).unwrap();
        let m = Matcher::new("lantern", None, &ParseOptions::default()).unwrap().unwrap();
        // Either an error or no panic with whatever it decodes.
        let _ = seg.hits(0..1, 0, &Candidates::All, &m, 0);
        std::fs::write(&path, &bytes[..n / 2]).unwrap();
        assert!(Segment::open(&path).is_err());
        std::fs::write(&path, b"garbage").unwrap();
        assert!(Segment::open(&path).is_err());
    }

    proptest! {
        /// The invariant the index rests on: a literal match's normalized text holds
        /// the query's normalized text, so every trigram of it.
        #[test]
        fn a_match_is_a_substring_of_the_normalized_text(
            text in "[a-zA-Z0-9 你好年ÀàΣσςİıǅǆẞß\u{212A}]{0,24}",
            query in "[a-zA-Z0-9 你好年ÀàΣσςİıǅǆẞß\u{212A}]{1,6}",
            cut in 0usize..24,
            len in 1usize..8,
        ) {
            // Half the time the query is a piece of the text, so that it matches.
            let chars: Vec<char> = text.chars().collect();
            let s = cut.min(chars.len());
            let piece: String = chars[s..(s + len).min(chars.len())].iter().collect();
            for q in [query, piece] {
                let Some(m) = Matcher::new(&q, None, &ParseOptions::default()).unwrap() else { continue };
                let p = Paragraph { item: 0, block: 0, speaker: None, section: None, start_ms: None, text: &text };
                let mut hits = Vec::new();
                m.hits(&p, 0, &mut Scratch::default(), &mut hits);
                let norm = normalize(&text);
                let lit = m.literal().unwrap();
                prop_assert!(hits.is_empty() || norm.contains(lit), "{:?} / {:?}: {:?} lacks {:?}", text, q, norm, lit);
            }
        }
    }
}

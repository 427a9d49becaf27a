//! Front matter (stage 2): a YAML block (`---` … `---` or `...`) or a TOML block (`+++` …
//! `+++`) at the very top of a Markdown or plain-text document becomes its metadata, and
//! its `title` the document's title when the text gives none (`#`).
//!
//! Values are read with `serde_yaml_ng` and `toml`: scalars as written, folded, literal
//! and quoted strings on one line (lines joined as hard wraps are), lists joined with
//! `, `, nested tables flattened to `parent.child` keys (lists of tables are skipped). A
//! block that does not parse still goes to the metadata line by line (`key: value`,
//! `key = value`, `- item` under a key), so a front matter with an unquoted colon in a
//! title is not lost, and the document never fails over it.
//!
//! Invariant: front matter is recognised only at the top of the text (after blank lines
//! or a BOM), closed by its fence within [`MAX_LEN`] bytes, and opened by a `key:` (or
//! `key =`, `[table]`) line; anything else at the top is ordinary text. It is never shown
//! as a rule and list. Values are made safe to show (no control characters, even from
//! escapes such as `"\e"` or `"\u202E"`).

use std::ops::Range;

use super::Builder;
use super::join::separator;

/// The longest front matter read, fences included.
pub const MAX_LEN: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Yaml,
    Toml,
}

/// Front matter found at the top of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    /// Between the fences.
    pub body: Range<usize>,
    /// From the opening fence to the end of the closing one.
    pub src: Range<usize>,
    /// Where the text after it starts.
    pub end: usize,
}

/// One metadata entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub src: Range<usize>,
}

/// Lines of `text[from..to]` as (range without the newline, start of the next).
fn lines(text: &str, from: usize, to: usize) -> impl Iterator<Item = (Range<usize>, usize)> + '_ {
    let mut pos = from;
    std::iter::from_fn(move || {
        if pos >= to {
            return None;
        }
        let (r, next) = super::markdown::line_at(text, pos)?;
        pos = next;
        Some((r, next))
    })
}

/// The front matter at the top of `text`, if it has one.
pub fn find(text: &str) -> Option<Found> {
    let start = text.len() - text.trim_start_matches('\u{feff}').len();
    let limit = text.len().min(start + MAX_LEN);
    let mut it = lines(text, start, limit).skip_while(|(r, _)| text[r.clone()].trim().is_empty());
    let (open, body_start) = it.next()?;
    let kind = match text[open.clone()].trim_end() {
        "---" => Kind::Yaml,
        "+++" => Kind::Toml,
        _ => return None,
    };
    let mut first_key = None;
    for (r, next) in it {
        let line = &text[r.clone()];
        let fence = line.trim_end();
        let closes = match kind {
            Kind::Yaml => fence == "---" || fence == "...",
            Kind::Toml => fence == "+++",
        };
        if closes {
            // Opened by a key, or empty: anything else between two rules is text.
            let found =
                Found { kind, body: body_start..r.start, src: open.start..r.end, end: next };
            return (first_key != Some(false)).then_some(found);
        }
        let t = line.trim();
        if first_key.is_none() && !t.is_empty() && !t.starts_with('#') {
            first_key = Some(match kind {
                Kind::Yaml => yaml_key(line).is_some(),
                Kind::Toml => toml_key(line).is_some() || t.starts_with('['),
            });
        }
    }
    None
}

/// The key of a top-level YAML line `key: value` (or `key:`), and where the value starts.
fn yaml_key(line: &str) -> Option<(&str, usize)> {
    let first = line.chars().next()?;
    if first.is_whitespace() || "#-:>*[]{}!&|%@`,?".contains(first) {
        return None;
    }
    let colon = line
        .char_indices()
        .find(|&(i, c)| c == ':' && line[i + 1..].chars().next().is_none_or(char::is_whitespace))?;
    let key = line[..colon.0].trim_end();
    let key = unquote(key);
    (!key.is_empty() && key.chars().count() <= 60).then_some((key, colon.0 + 1))
}

/// The key of a TOML line `key = value`, and where the value starts.
fn toml_key(line: &str) -> Option<(&str, usize)> {
    let eq = line.find('=')?;
    let key = unquote(line[..eq].trim());
    let ok = !key.is_empty()
        && key.chars().count() <= 60
        && !line.starts_with(char::is_whitespace)
        && key.chars().all(|c| c.is_alphanumeric() || "-_. \"'".contains(c));
    ok.then_some((key, eq + 1))
}

fn unquote(s: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = s.strip_prefix(q).and_then(|x| x.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// The metadata entries of front matter `f` in `text`, in order.
pub fn entries(text: &str, f: &Found) -> Vec<Entry> {
    let body = &text[f.body.clone()];
    let mut out = Vec::new();
    let mut lines = KeyLines { text, f, pos: f.body.start };
    let parsed = match f.kind {
        Kind::Yaml => match serde_yaml_ng::from_str::<serde_yaml_ng::Value>(body) {
            Ok(serde_yaml_ng::Value::Mapping(m)) => {
                for (k, v) in &m {
                    let Some(key) = scalar(k) else { continue };
                    let (src, raw) = lines.find(&key);
                    value(&key, v, raw.as_deref(), &src, 0, &mut out);
                }
                true
            }
            Ok(serde_yaml_ng::Value::Null) => true,
            _ => false,
        },
        Kind::Toml => match toml::from_str::<toml::Table>(body) {
            Ok(t) => {
                for (key, v) in &t {
                    let (src, raw) = lines.find(key);
                    value(key, v, raw.as_deref(), &src, 0, &mut out);
                }
                true
            }
            Err(_) => false,
        },
    };
    if !parsed {
        by_lines(text, f, &mut out);
    }
    for e in &mut out {
        e.value = crate::source::safe_text(&e.value, false);
        e.key = crate::source::safe_text(&e.key, false);
    }
    out.retain(|e| !e.key.is_empty() && !e.value.trim().is_empty());
    out
}

/// Finds each top-level key's line, in order, for its source range and its value as
/// written (a number or a boolean is shown as the author wrote it: `1.10`, `042`, `yes`).
struct KeyLines<'a> {
    text: &'a str,
    f: &'a Found,
    pos: usize,
}

impl KeyLines<'_> {
    fn find(&mut self, key: &str) -> (Range<usize>, Option<String>) {
        for (r, next) in lines(self.text, self.pos, self.f.body.end) {
            let line = &self.text[r.clone()];
            let found = match self.f.kind {
                Kind::Yaml => yaml_key(line),
                Kind::Toml => toml_key(line),
            };
            if let Some((_, v)) = found.filter(|(k, _)| *k == key) {
                self.pos = next;
                let raw = strip_comment(&line[v..]).trim();
                return (r, (!raw.is_empty()).then(|| unquote(raw).to_string()));
            }
        }
        (self.f.src.clone(), None)
    }
}

/// A value without a trailing ` # comment`.
fn strip_comment(s: &str) -> &str {
    match s.find(" #") {
        Some(i) if !s.trim_start().starts_with(['"', '\'']) => &s[..i],
        _ => s,
    }
}

/// A string's lines on one line, joined as hard wraps are.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for l in s.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let (Some(a), Some(b)) = (out.chars().next_back(), l.chars().next()) {
            out.push_str(separator(a, b));
        }
        out.push_str(l);
    }
    out
}

const MAX_DEPTH: usize = 8;

/// A parsed value, as metadata sees it.
enum Shape<'a, V> {
    /// Text: strings, dates.
    Text(String),
    /// A number or a boolean: shown as the author wrote it when that is known.
    Written(String),
    List(&'a [V]),
    /// A table's entries (YAML keys that are no scalars are skipped).
    Table(Vec<(String, &'a V)>),
    Nothing,
}

/// YAML and TOML values alike.
trait Node: Sized {
    fn shape(&self) -> Shape<'_, Self>;
}

impl Node for serde_yaml_ng::Value {
    fn shape(&self) -> Shape<'_, Self> {
        use serde_yaml_ng::Value as V;
        match self {
            V::Bool(b) => Shape::Written(b.to_string()),
            V::Number(n) => Shape::Written(n.to_string()),
            V::String(s) => Shape::Text(one_line(s)),
            V::Tagged(t) => t.value.shape(),
            V::Null => Shape::Nothing,
            V::Sequence(items) => Shape::List(items),
            V::Mapping(m) => {
                Shape::Table(m.iter().filter_map(|(k, v)| Some((scalar(k)?, v))).collect())
            }
        }
    }
}

impl Node for toml::Value {
    fn shape(&self) -> Shape<'_, Self> {
        use toml::Value as V;
        match self {
            V::String(s) => Shape::Text(one_line(s)),
            V::Integer(i) => Shape::Written(i.to_string()),
            V::Float(f) => Shape::Written(f.to_string()),
            V::Boolean(b) => Shape::Written(b.to_string()),
            V::Datetime(d) => Shape::Text(d.to_string()),
            V::Array(items) => Shape::List(items),
            V::Table(t) => Shape::Table(t.iter().map(|(k, v)| (k.clone(), v)).collect()),
        }
    }
}

/// A scalar value as text.
fn scalar<V: Node>(v: &V) -> Option<String> {
    match v.shape() {
        Shape::Text(s) | Shape::Written(s) => Some(s),
        _ => None,
    }
}

/// The entries of `key` = `v` (`raw`: its value as written on the key's line).
fn value<V: Node>(
    key: &str,
    v: &V,
    raw: Option<&str>,
    src: &Range<usize>,
    depth: usize,
    out: &mut Vec<Entry>,
) {
    let value = match v.shape() {
        Shape::Text(s) => Some(s),
        Shape::Written(s) => Some(raw.map_or(s, str::to_string)),
        Shape::List(items) => Some(items.iter().filter_map(scalar).collect::<Vec<_>>().join(", ")),
        Shape::Table(entries) => {
            if depth < MAX_DEPTH {
                for (k, v) in entries {
                    value(&format!("{key}.{k}"), v, None, src, depth + 1, out);
                }
            }
            None
        }
        Shape::Nothing => None,
    };
    if let Some(value) = value {
        out.push(Entry { key: key.to_string(), value, src: src.clone() });
    }
}

/// Front matter that does not parse, read a line at a time: `key: value` (or `key =
/// value`, under a `[table]` as `table.key`), `- item` lines and indented lines after a
/// key adding to its value.
fn by_lines(text: &str, f: &Found, out: &mut Vec<Entry>) {
    let mut prefix = String::new();
    let mut list = false;
    for (r, _) in lines(text, f.body.start, f.body.end) {
        let line = &text[r.clone()];
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let key = match f.kind {
            Kind::Yaml => yaml_key(line),
            Kind::Toml => {
                if let Some(table) = t.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
                    prefix = format!("{}.", table.trim_matches(['[', ']']).trim());
                    continue;
                }
                toml_key(line)
            }
        };
        if let Some((k, v)) = key {
            let value = strip_comment(&line[v..]).trim();
            let value = value.strip_prefix('[').and_then(|x| x.strip_suffix(']')).map_or_else(
                || unquote(value).to_string(),
                |items| {
                    let items: Vec<&str> = items
                        .split(',')
                        .map(|i| unquote(i.trim()))
                        .filter(|i| !i.is_empty())
                        .collect();
                    items.join(", ")
                },
            );
            list = value.is_empty();
            out.push(Entry { key: format!("{prefix}{k}"), value, src: r });
            continue;
        }
        // An item or a continuation of the last key's value.
        let Some(last) = out.last_mut() else { continue };
        let (item, sep) = match t.strip_prefix("- ").or_else(|| (t == "-").then_some("")) {
            Some(item) => (unquote(item.trim()), ", "),
            None => (t, " "),
        };
        if !last.value.is_empty() && !item.is_empty() {
            let joined = if list { ", " } else { sep };
            last.value.push_str(joined);
        }
        last.value.push_str(item);
        last.src.end = r.end;
    }
}

/// Read the front matter at the top of `text` (the first part only) into `b`, run
/// `parse` on the text after it, and then give the document the front matter's title if
/// the text gave it none.
pub fn around(text: &str, b: &mut Builder, parse: impl FnOnce(&str, &mut Builder)) {
    let found = if b.at_start() { find(text) } else { None };
    let Some(f) = found else {
        parse(text, b);
        return;
    };
    let first = b.meta_len();
    let entries = entries(text, &f);
    let title = entries.iter().position(|e| e.key.eq_ignore_ascii_case("title")).map(|i| first + i);
    for e in entries {
        b.push_meta(e.key, e.value, e.src);
    }
    b.offset(f.end as isize);
    parse(&text[f.end..], b);
    b.offset(-(f.end as isize));
    if let Some(i) = title
        && !b.has_title()
        && let Some(m) = b.remove_meta(i)
    {
        b.set_title(m.value, m.src.range());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(text: &str) -> Vec<(String, String)> {
        let f = find(text).expect("front matter");
        entries(text, &f).into_iter().map(|e| (e.key, e.value)).collect()
    }

    fn kv(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn yaml_values() {
        let text = "---\ntitle: \"Q: and A\"\nversion: 1.10\ntags:\n  - a\n  - b\nabout: >\n  folded\n  text\nguest:\n  name: Ana\n  role: host\nempty:\n---\nbody\n";
        assert_eq!(
            meta(text),
            kv(&[
                ("title", "Q: and A"),
                ("version", "1.10"),
                ("tags", "a, b"),
                ("about", "folded text"),
                ("guest.name", "Ana"),
                ("guest.role", "host")
            ])
        );
        assert_eq!(find(text).unwrap().end, text.len() - "body\n".len());
    }

    #[test]
    fn malformed_yaml_is_read_line_by_line() {
        let text = "---\ntitle: Part 2: the return\nspeakers:\n- Ana\n- Bo\n---\n";
        assert_eq!(meta(text), kv(&[("title", "Part 2: the return"), ("speakers", "Ana, Bo")]));
    }

    #[test]
    fn toml_values() {
        let text = "+++\ntitle = \"T\"\ndate = 2024-05-01\ntags = [\"x\", \"y\"]\n[extra]\nhost = \"Ana\"\n+++\n";
        assert_eq!(
            meta(text),
            kv(&[("title", "T"), ("date", "2024-05-01"), ("tags", "x, y"), ("extra.host", "Ana")])
        );
        let bad = "+++\ntitle = \"T\nhost = Ana\n+++\n";
        assert_eq!(meta(bad), kv(&[("title", "\"T"), ("host", "Ana")]));
    }

    #[test]
    fn only_at_the_top_and_only_when_it_opens_with_a_key() {
        assert!(find("text\n---\na: b\n---\n").is_none());
        assert!(find("---\nJust a sentence between rules.\n---\n").is_none());
        assert!(find("---\na: b\nno closing fence\n").is_none());
        assert!(find("\u{feff}\n\n---\na: b\n---\n").is_some());
        assert!(find("---\n---\n").is_some());
    }

    #[test]
    fn escapes_cannot_smuggle_controls() {
        let text = "---\ntitle: \"a\\e[2Jb\\u202Ec\\nd\"\n---\n";
        let m = meta(text);
        assert!(m[0].1.chars().all(|c| crate::source::safe_char(c) == c), "{m:?}");
    }
}

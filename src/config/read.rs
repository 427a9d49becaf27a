//! Typed reads from a parsed TOML table, each failure located at a line and column.
//!
//! Config stage. The `toml` crate's `DeTable` keeps the byte span of every key and value;
//! this module turns spans into `file:line:column:` messages and offers the nearest valid
//! name for a typo.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeString, DeTable, DeValue};

use super::ConfigError;

pub(crate) type Val<'i> = Spanned<DeValue<'i>>;
pub(crate) type Key<'i> = Spanned<DeString<'i>>;

/// One config text and the name its messages show.
pub(crate) struct Doc<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl<'a> Doc<'a> {
    /// An error at byte `at` of the text.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        let at = span.start.min(self.text.len());
        let mut at = at;
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &self.text[..at];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        ConfigError::Invalid { path: self.name.to_string(), line, column, message: message.into() }
    }

    pub fn parse(&self) -> Result<Spanned<DeTable<'a>>, ConfigError> {
        DeTable::parse(self.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            let msg = e.message().trim_end().replace('\n', "; ");
            self.error(span, format!("invalid TOML: {msg}"))
        })
    }
}

/// A table's entries in file order (the map itself is sorted by name).
pub(crate) fn entries<'t, 'i>(t: &'t DeTable<'i>) -> Vec<(&'t Key<'i>, &'t Val<'i>)> {
    let mut v: Vec<_> = t.iter().collect();
    v.sort_by_key(|(k, _)| k.span().start);
    v
}

/// "a string", "an integer", … for "found …" in messages.
pub(crate) fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// The candidate closest to `word`, if it is close enough to be the intended one.
pub(crate) fn suggest<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// ` (did you mean "x"?)`, or nothing.
pub(crate) fn did_you_mean<'c>(
    word: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> String {
    suggest(word, candidates).map(|s| format!(" (did you mean \"{s}\"?)")).unwrap_or_default()
}

/// An integer in `range`, or a message saying what was expected.
pub(crate) fn int_in(
    doc: &Doc<'_>,
    what: &str,
    v: &Val<'_>,
    range: std::ops::RangeInclusive<i64>,
) -> Result<i64, ConfigError> {
    let expected = format!("expected an integer from {} to {}", range.start(), range.end());
    match v.get_ref() {
        DeValue::Integer(i) => {
            let n = i64::from_str_radix(i.as_str(), i.radix()).ok().filter(|n| range.contains(n));
            n.ok_or_else(|| doc.error(v.span(), format!("{what}: {expected}, found {i}")))
        }
        other => {
            Err(doc.error(v.span(), format!("{what}: {expected}, found {}", type_name(other))))
        }
    }
}

pub(crate) fn boolean(doc: &Doc<'_>, what: &str, v: &Val<'_>) -> Result<bool, ConfigError> {
    match v.get_ref() {
        DeValue::Boolean(b) => Ok(*b),
        other => Err(doc.error(
            v.span(),
            format!("{what}: expected true or false, found {}", type_name(other)),
        )),
    }
}

pub(crate) fn string<'v>(
    doc: &Doc<'_>,
    what: &str,
    v: &'v Val<'_>,
) -> Result<&'v str, ConfigError> {
    match v.get_ref() {
        DeValue::String(s) => Ok(s),
        other => {
            Err(doc
                .error(v.span(), format!("{what}: expected a string, found {}", type_name(other))))
        }
    }
}

pub(crate) fn table<'v, 'i>(
    doc: &Doc<'_>,
    what: &str,
    v: &'v Val<'i>,
) -> Result<&'v DeTable<'i>, ConfigError> {
    match v.get_ref() {
        DeValue::Table(t) => Ok(t),
        other => {
            Err(doc
                .error(v.span(), format!("{what}: expected a table, found {}", type_name(other))))
        }
    }
}

/// An array, or a single value standing for a one-element array.
pub(crate) fn list<'v, 'i>(v: &'v Val<'i>) -> Vec<&'v Val<'i>> {
    match v.get_ref() {
        DeValue::Array(a) => a.iter().collect(),
        _ => vec![v],
    }
}

//! From text to checked values: every mistake one `file:line:column: message`.
//!
//! Config stage, the checks. [`Sources`] parses the shipped file and the user's (a syntax
//! error stops here) and keeps both trees, the user's with its spans moved past the shipped
//! text's end, so one span says which file and where. [`read`] merges them and lets serde
//! read [`schema::File`], turning serde's errors into this module's messages (the key's
//! place, the table it is in, the nearest valid name). The checks after serde (colours,
//! label patterns here, keys in `keys.rs`) name the place of the value they refuse.
//!
//! Invariant: a message names the file and line it is about, the shipped file included,
//! and what was expected there; the shipped file's names are the valid ones.
//!
//! Public surface (to the config module): [`ConfigError`], [`LabelPattern`], [`Sources`],
//! [`read`], [`theme`], [`colors`], [`labels`], [`player`], [`suggest`], [`did_you_mean`].

use std::collections::BTreeMap;
use std::ops::Range;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::schema::{self, Raw};
use super::theme::{self, Color, Theme};

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid { path: String, line: usize, column: usize, message: String },
}

/// How messages name the shipped file.
const SHIPPED_NAME: &str = "config.toml";

/// The shipped file and the user's, parsed. Spans of the user's tree start at `base`.
pub struct Sources<'a> {
    shipped: &'a str,
    user: Option<(&'a str, &'a str)>,
    base: usize,
    shipped_tree: DeTable<'a>,
    user_tree: DeTable<'a>,
}

impl<'a> Sources<'a> {
    /// Parse the shipped text and the user's (`(name, text)`; a byte-order mark is
    /// dropped).
    pub fn parse(shipped: &'a str, user: Option<(&'a str, &'a str)>) -> Result<Self, ConfigError> {
        let user = user.map(|(name, text)| (name, text.strip_prefix('\u{feff}').unwrap_or(text)));
        let base = shipped.len() + 1;
        let shipped_tree = parse(SHIPPED_NAME, shipped)?;
        let user_tree = match user {
            Some((name, text)) => shift(parse(name, text)?, base),
            None => DeTable::default(),
        };
        Ok(Sources { shipped, user, base, shipped_tree, user_tree })
    }

    /// Whether a span is in the user's file.
    pub fn is_user(&self, span: &Range<usize>) -> bool {
        span.start >= self.base
    }

    /// An error at the start of `span`, in whichever file it is.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> ConfigError {
        match self.user {
            Some((name, text)) if self.is_user(&span) => {
                located(name, text, span.start - self.base, message.into())
            }
            _ => located(SHIPPED_NAME, self.shipped, span.start, message.into()),
        }
    }

    /// The keys leading to what `span` covers (a list's items are their list's), whether
    /// it is the key itself, and the value there.
    fn place(&self, span: &Range<usize>) -> Option<(Vec<&str>, bool, &DeValue<'a>)> {
        let tree = if self.is_user(span) { &self.user_tree } else { &self.shipped_tree };
        let mut path = Vec::new();
        let (key, value) = find(tree, span, &mut path)?;
        Some((path, key, value))
    }

    /// How messages name the value at `span`: `max_text_width in [layout]`, or a quoted
    /// key where the table's keys are the user's own (`"Brad" in [speakers.colors]`).
    pub fn what(&self, span: &Range<usize>) -> String {
        match self.place(span) {
            Some((path, _, _)) => self.name_of(&path),
            None => "a value".to_string(),
        }
    }

    fn name_of(&self, path: &[&str]) -> String {
        let Some((key, table)) = path.split_last() else { return "the file".to_string() };
        let key = match self.known(table).contains(key) {
            true => key.to_string(),
            false => format!("\"{key}\""),
        };
        format!("{key} in [{}]", table.join("."))
    }

    /// "a string", "an integer", … for the value at `span`.
    pub fn found(&self, span: &Range<usize>) -> &'static str {
        self.place(span).map_or("a value", |(_, _, v)| type_name(v))
    }

    /// The names valid in a table: those the shipped file uses there, and in `[theme]` the
    /// palette roles too.
    fn known(&self, table: &[&str]) -> Vec<&str> {
        let keys_at = |path: &[&str]| -> Vec<&str> {
            let mut t = Some(&self.shipped_tree);
            for k in path {
                t = t.and_then(|t| t.get(*k)).and_then(|v| v.get_ref().as_table());
            }
            t.map(|t| t.keys().map(|k| k.get_ref().as_ref()).collect()).unwrap_or_default()
        };
        let mut names = keys_at(table);
        if table == ["theme"] {
            names.extend(keys_at(&["theme", "dark"]));
        }
        names
    }

    /// Serde's error as this module's message.
    fn serde_error(&self, e: &toml::de::Error) -> ConfigError {
        let span = e.span().unwrap_or(0..0);
        let msg = e.message();
        let Some((path, _, value)) = self.place(&span) else {
            return self.error(span, msg);
        };
        let what = self.name_of(&path);
        let (problem, expected) = msg.rsplit_once(", expected ").unwrap_or((msg, ""));
        let message = if problem.starts_with("unknown field") {
            self.unknown(&path, value)
        } else if expected.starts_with("struct ") || expected == "a map" {
            format!("[{}] must be a table, found {}", path.join("."), type_name(value))
        } else if msg == "wanted string or table" {
            format!("{what}: expected a string, found {}", type_name(value))
        } else if problem.starts_with("invalid type") {
            let expected = match expected {
                "a boolean" => "true or false",
                "a sequence" => "a list",
                other => other,
            };
            format!("{what}: expected {expected}, found {}", type_name(value))
        } else if problem.starts_with("invalid value") || problem.starts_with("unknown variant") {
            // `unknown variant `wdie`, expected `narrow` or `wide``: the names are ours.
            let names: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            let expected = expected.replace('`', "\"");
            match value {
                DeValue::String(s) => {
                    let dym = did_you_mean(s, names);
                    format!("{what}: expected {expected}, found \"{s}\"{dym}")
                }
                _ => format!("{what}: expected {expected}, found {}", self.text_at(&span)),
            }
        } else {
            format!("{what}: {msg}")
        };
        self.error(span, message)
    }

    /// A name no table has: a section, a key outside any section, a key of a section.
    fn unknown(&self, path: &[&str], value: &DeValue<'_>) -> String {
        let Some((name, table)) = path.split_last() else { return "unknown key".to_string() };
        let sections = self.known(&[]);
        let list = sections.iter().map(|s| format!("[{s}]")).collect::<Vec<_>>().join(", ");
        if !table.is_empty() {
            let known = self.known(table);
            let dym = did_you_mean(name, known.iter().copied());
            return format!(
                "unknown key \"{name}\" in [{}]{dym}; expected one of: {}",
                table.join("."),
                known.join(", ")
            );
        }
        if let DeValue::Table(_) = value {
            let dym = suggest(name, sections.iter().copied())
                .map(|s| format!(" (did you mean [{s}]?)"))
                .unwrap_or_default();
            return format!("unknown section [{name}]{dym}; sections are {list}");
        }
        let home = match sections.iter().find(|s| self.known(&[s]).contains(name)) {
            Some(s) => format!("[{s}]"),
            None => format!("one of {list}"),
        };
        format!("\"{name}\" is outside any section; it belongs in {home}")
    }

    /// The text a span covers, as written.
    fn text_at(&self, span: &Range<usize>) -> &str {
        let (text, at) = match self.user {
            Some((_, text)) if self.is_user(span) => {
                (text, span.start - self.base..span.end - self.base)
            }
            _ => (self.shipped, span.clone()),
        };
        text.get(at).unwrap_or("")
    }
}

fn parse<'a>(name: &str, text: &'a str) -> Result<DeTable<'a>, ConfigError> {
    DeTable::parse(text).map(Spanned::into_inner).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let msg = e.message().trim_end().replace('\n', "; ");
        located(name, text, at, format!("invalid TOML: {msg}"))
    })
}

/// An error at byte `at` of `text`, as line and column (in characters).
fn located(name: &str, text: &str, at: usize, message: String) -> ConfigError {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    ConfigError::Invalid { path: name.to_string(), line, column, message }
}

/// Every span in a tree moved by `by`.
fn shift(t: DeTable<'_>, by: usize) -> DeTable<'_> {
    let moved = |s: Range<usize>| s.start + by..s.end + by;
    fn value<'i>(v: Spanned<DeValue<'i>>, by: usize) -> Spanned<DeValue<'i>> {
        let span = v.span();
        let inner = match v.into_inner() {
            DeValue::Table(t) => DeValue::Table(shift(t, by)),
            DeValue::Array(a) => DeValue::Array(a.into_iter().map(|x| value(x, by)).collect()),
            other => other,
        };
        Spanned::new(span.start + by..span.end + by, inner)
    }
    t.into_iter()
        .map(|(k, v)| (Spanned::new(moved(k.span()), k.into_inner()), value(v, by)))
        .collect()
}

/// The key or value whose span is `span`, with the keys leading to it pushed on `path`.
fn find<'t, 'a>(
    t: &'t DeTable<'a>,
    span: &Range<usize>,
    path: &mut Vec<&'t str>,
) -> Option<(bool, &'t DeValue<'a>)> {
    fn in_value<'t, 'a>(
        v: &'t Spanned<DeValue<'a>>,
        span: &Range<usize>,
        path: &mut Vec<&'t str>,
    ) -> Option<(bool, &'t DeValue<'a>)> {
        if v.span() == *span {
            return Some((false, v.get_ref()));
        }
        match v.get_ref() {
            DeValue::Table(t) => find(t, span, path),
            DeValue::Array(a) => a.iter().find_map(|x| in_value(x, span, path)),
            _ => None,
        }
    }
    for (k, v) in t {
        path.push(k.get_ref().as_ref());
        if k.span() == *span {
            return Some((true, v.get_ref()));
        }
        if let Some(hit) = in_value(v, span, path) {
            return Some(hit);
        }
        path.pop();
    }
    None
}

/// "a string", "an integer", … for "found …" in messages.
fn type_name(v: &DeValue<'_>) -> &'static str {
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

/// The shipped file with the user's laid over it, read by serde.
pub fn read(src: &Sources<'_>) -> Result<schema::File, ConfigError> {
    let mut tree = src.shipped_tree.clone();
    schema::merge(&mut tree, src.user_tree.clone());
    let de = toml::de::Deserializer::from(Spanned::new(0..0, tree));
    schema::File::deserialize(de).map_err(|e| src.serde_error(&e))
}

/// A colour: a name, `#rrggbb` or a 256-colour index.
fn color(src: &Sources<'_>, v: &Raw) -> Result<Color, ConfigError> {
    let span = v.span();
    let what = src.what(&span);
    let expected = "expected a colour name, \"#rrggbb\" or 0–255";
    match v.get_ref() {
        toml::Value::String(s) => Color::from_name(s).ok_or_else(|| {
            let dym = match s.starts_with('#') {
                true => String::new(),
                false => did_you_mean(s, theme::color_names()),
            };
            src.error(span.clone(), format!("bad colour \"{s}\" for {what}: {expected}{dym}"))
        }),
        toml::Value::Integer(n) => u8::try_from(*n).map(Color::Indexed).map_err(|_| {
            let msg = format!("colour for {what}: expected an integer from 0 to 255, found {n}");
            src.error(span.clone(), msg)
        }),
        _ => {
            let found = src.found(&span);
            Err(src.error(span, format!("bad colour for {what}: {expected}, found {found}")))
        }
    }
}

/// `[theme]` with every colour checked.
pub fn theme(t: &schema::Theme, src: &Sources<'_>) -> Result<Theme, ConfigError> {
    Ok(Theme {
        preset: t.preset,
        dark: t.dark.try_map(|v| color(src, v))?,
        light: t.light.try_map(|v| color(src, v))?,
    })
}

/// `[speakers.colors]` with every colour checked.
pub fn colors(
    c: &BTreeMap<String, Raw>,
    src: &Sources<'_>,
) -> Result<BTreeMap<String, Color>, ConfigError> {
    c.iter().map(|(who, v)| Ok((who.clone(), color(src, v)?))).collect()
}

/// `[player]`, its command checked to name a program.
pub fn player(p: &schema::Player, src: &Sources<'_>) -> Result<super::PlayerOptions, ConfigError> {
    let command = p.command.get_ref().trim();
    if command.is_empty() {
        let msg = "command in [player]: expected the player program, like \"mpv\"";
        return Err(src.error(p.command.span(), msg));
    }
    Ok(super::PlayerOptions { command: command.to_string(), args: p.args.clone() })
}

/// One `labels` entry: the pattern as written and its compiled, anchored form.
#[derive(Debug, Clone)]
pub struct LabelPattern {
    pub source: String,
    pub regex: Regex,
}

impl PartialEq for LabelPattern {
    fn eq(&self, other: &LabelPattern) -> bool {
        self.source == other.source
    }
}

/// `[speakers] labels`, each compiled, with a `name` group, anchored at the start.
pub fn labels(
    patterns: &[Spanned<String>],
    src: &Sources<'_>,
) -> Result<Vec<LabelPattern>, ConfigError> {
    patterns.iter().map(|p| label(p, src)).collect()
}

fn label(p: &Spanned<String>, src: &Sources<'_>) -> Result<LabelPattern, ConfigError> {
    let source = p.get_ref();
    let bad = |e: regex::Error| {
        src.error(
            p.span(),
            format!("label pattern in [speakers] does not compile: {}", regex_message(&e)),
        )
    };
    // Compiled alone first, so a pattern like `a)|(b` cannot pass by closing our wrapper.
    let bare = Regex::new(source).map_err(bad)?;
    if !bare.capture_names().any(|n| n == Some("name")) {
        return Err(src.error(
            p.span(),
            "label pattern in [speakers] has no group named \"name\"; write (?P<name>...) around the speaker's name",
        ));
    }
    let regex = Regex::new(&format!("^(?:{source})")).map_err(bad)?;
    Ok(LabelPattern { source: source.clone(), regex })
}

/// The message of a regex error on one line (the crate's own spans several).
fn regex_message(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .map(str::to_string)
        .unwrap_or_else(|| text.lines().next().unwrap_or("").to_string())
}

/// The candidate closest to `word`, if it is close enough to be the intended one.
pub fn suggest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&word.to_lowercase(), &c.to_lowercase()), c))
        .filter(|&(d, _)| d <= limit)
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// ` (did you mean "x"?)`, or nothing.
pub fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    suggest(word, candidates).map(|s| format!(" (did you mean \"{s}\"?)")).unwrap_or_default()
}

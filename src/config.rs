//! Configuration: `config.toml` (the shipped defaults) layered under the user's file.
//! Read once at the edge; the rest of the program receives plain values.
//!
//! The repository's top-level `config.toml` is compiled in and is the default; a user file
//! overrides only what it sets. Every mistake is one `file:line:column: message` error,
//! never a silent fallback.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use regex::Regex;
use toml::de::{DeTable, DeValue};

use crate::keymap::{Action, Keys};
use crate::width::AmbiguousWidth;

mod keys;
mod read;
pub mod theme;

use read::{Doc, Val, boolean, did_you_mean, entries, int_in, string, table, type_name};
pub use theme::{Color, ColorDepth, EnvInfo, Palette, Preset, ResolvedTheme, Theme};

const SHIPPED: &str = include_str!("../config.toml");

const SECTIONS: [&str; 5] = ["keys", "theme", "speakers", "layout", "reading"];

/// The shipped `config.toml`, every option present and commented (for `fangtan config`).
pub fn default_text() -> &'static str {
    SHIPPED
}

/// A config file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {error}")]
    Read { path: String, error: std::io::Error },
    #[error("{path}:{line}:{column}: {message}")]
    Invalid { path: String, line: usize, column: usize, message: String },
}

/// `[speakers]`.
#[derive(Debug, Clone, Default)]
pub struct Speakers {
    /// Variant spelling → canonical name.
    pub aliases: BTreeMap<String, String>,
    /// Canonical name → display name.
    pub names: BTreeMap<String, String>,
    /// Canonical name → fixed colour.
    pub colors: BTreeMap<String, Color>,
    /// Extra label patterns, anchored at the start of a paragraph, each with a `name` group.
    pub labels: Vec<LabelPattern>,
}

impl PartialEq for Speakers {
    fn eq(&self, other: &Speakers) -> bool {
        self.aliases == other.aliases
            && self.names == other.names
            && self.colors == other.colors
            && self.labels == other.labels
    }
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

/// `[layout]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutOptions {
    /// Outline pane width, percent of the screen (5–90).
    pub outline_width: u16,
    /// Cap on the outline pane, in columns (10–500).
    pub outline_max_width: u16,
    /// Text column cap, in cells.
    pub max_text_width: usize,
    pub ambiguous_width: AmbiguousWidth,
    /// Blank rows between paragraphs.
    pub paragraph_spacing: usize,
    pub show_images: bool,
}

impl Default for LayoutOptions {
    fn default() -> LayoutOptions {
        LayoutOptions {
            outline_width: 30,
            outline_max_width: 40,
            max_text_width: 100,
            ambiguous_width: AmbiguousWidth::Narrow,
            paragraph_spacing: 1,
            show_images: true,
        }
    }
}

/// `[reading]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadingOptions {
    pub cjk_chars_per_minute: u32,
    pub latin_words_per_minute: u32,
    /// Reopen a file where it was left.
    pub resume: bool,
}

impl Default for ReadingOptions {
    fn default() -> ReadingOptions {
        ReadingOptions { cjk_chars_per_minute: 400, latin_words_per_minute: 250, resume: true }
    }
}

/// The whole configuration, defaults and user file merged.
#[derive(Debug, Clone)]
pub struct Config {
    /// Every layer's keymap: `[keys]` and its tables.
    pub keys: Keys,
    pub theme: Theme,
    pub speakers: Speakers,
    pub layout: LayoutOptions,
    pub reading: ReadingOptions,
}

impl PartialEq for Config {
    fn eq(&self, other: &Config) -> bool {
        self.keys == other.keys
            && self.theme == other.theme
            && self.speakers == other.speakers
            && self.layout == other.layout
            && self.reading == other.reading
    }
}

impl Default for Config {
    /// The defaults: [`Config::builtin`]. The shipped `config.toml` is tested to parse to
    /// exactly this, so it need not be parsed again at every start.
    fn default() -> Config {
        Config::builtin()
    }
}

/// One place fangtan looks for the user's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchPath {
    pub path: PathBuf,
    pub exists: bool,
}

/// Where fangtan looks for the user's file without `--config` (for `fangtan config --path`):
/// `$XDG_CONFIG_HOME/fangtan/config.toml` if that variable is set, else
/// `~/.config/fangtan/config.toml`.
pub fn search_paths() -> Vec<SearchPath> {
    let xdg = std::env::var_os("XDG_CONFIG_HOME").map(PathBuf::from);
    search_paths_in(xdg.as_deref(), dirs::home_dir().as_deref())
}

/// The user's file fangtan would use without `--config`: the first existing
/// [`search_paths`] entry (for `fangtan config --check` without a path).
pub fn user_file() -> Option<PathBuf> {
    search_paths().into_iter().find(|s| s.exists).map(|s| s.path)
}

/// [`search_paths`] with the environment passed in. A relative `XDG_CONFIG_HOME` is
/// ignored, as the XDG spec asks.
pub fn search_paths_in(xdg_config_home: Option<&Path>, home: Option<&Path>) -> Vec<SearchPath> {
    let dir = match (xdg_config_home.filter(|p| p.is_absolute()), home) {
        (Some(x), _) => Some(x.to_path_buf()),
        (None, Some(h)) => Some(h.join(".config")),
        (None, None) => None,
    };
    dir.into_iter()
        .map(|d| {
            let path = d.join("fangtan").join("config.toml");
            SearchPath { exists: path.is_file(), path }
        })
        .collect()
}

/// A path as messages show it: home abbreviated to `~`.
fn shown(path: &Path) -> String {
    if let Some(home) = dirs::home_dir()
        && let Ok(rest) = path.strip_prefix(&home)
    {
        return format!("~/{}", rest.display());
    }
    path.display().to_string()
}

impl Config {
    /// The defaults as Rust values. The shipped file states exactly these (tested).
    pub fn builtin() -> Config {
        Config {
            keys: Keys::default(),
            theme: Theme::default(),
            speakers: Speakers::default(),
            layout: LayoutOptions::default(),
            reading: ReadingOptions::default(),
        }
    }

    /// The defaults overlaid with the user's file: `explicit` (`--config PATH`, which must
    /// exist), else the first existing [`search_paths`] entry, else the defaults alone.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let (path, name) = match explicit {
            // Shown as given, so messages match what the user typed.
            Some(p) => (p.to_path_buf(), p.display().to_string()),
            None => match user_file() {
                Some(p) => {
                    let name = shown(&p);
                    (p, name)
                }
                None => return Ok(Config::default()),
            },
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|error| ConfigError::Read { path: name.clone(), error })?;
        Config::from_user_text(&name, &text)
    }

    /// The defaults overlaid with `text`; `name` is how messages name the file.
    pub fn from_user_text(name: &str, text: &str) -> Result<Config, ConfigError> {
        let mut c = Config::default();
        c.apply(name, text)?;
        Ok(c)
    }

    /// Validate a file as [`Config::load`] would use it (for `fangtan config --check`).
    pub fn check(path: &Path) -> Result<(), ConfigError> {
        Config::load(Some(path)).map(|_| ())
    }

    /// What the parser needs from `[speakers]`.
    pub fn parse_options(&self) -> crate::parse::ParseOptions {
        crate::parse::ParseOptions {
            format: None,
            aliases: self.speakers.aliases.clone().into_iter().collect::<HashMap<_, _>>(),
            names: self.speakers.names.clone().into_iter().collect::<HashMap<_, _>>(),
            labels: self.label_patterns(),
        }
    }

    /// The `[speakers] labels` patterns, compiled and anchored at the paragraph start.
    pub fn label_patterns(&self) -> Vec<Regex> {
        self.speakers.labels.iter().map(|l| l.regex.clone()).collect()
    }

    /// The active palette fitted to the terminal, with `[speakers.colors]` included.
    pub fn resolve_theme(&self, env: &EnvInfo) -> ResolvedTheme {
        self.theme.resolve_with(env, &self.speakers.colors)
    }

    /// Overlay one file. On error `self` may be half-updated; callers drop it.
    fn apply(&mut self, name: &str, text: &str) -> Result<(), ConfigError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let doc = Doc { name, text };
        let root = doc.parse()?;
        for (k, v) in entries(root.get_ref()) {
            let section = k.get_ref().as_ref();
            let t = match (section, v.get_ref()) {
                (s, DeValue::Table(t)) if SECTIONS.contains(&s) => t,
                (s, _) if SECTIONS.contains(&s) => {
                    return Err(doc.error(
                        v.span(),
                        format!("[{s}] must be a table, found {}", type_name(v.get_ref())),
                    ));
                }
                (s, DeValue::Table(_)) => {
                    let dym = read::suggest(s, SECTIONS)
                        .map(|x| format!(" (did you mean [{x}]?)"))
                        .unwrap_or_default();
                    return Err(doc.error(
                        k.span(),
                        format!("unknown section [{s}]{dym}; sections are {}", list_sections()),
                    ));
                }
                (s, _) => {
                    let home = match s {
                        "preset" | "dark" | "light" => "in [theme]".to_string(),
                        "aliases" | "names" | "colors" | "labels" => "in [speakers]".to_string(),
                        "cjk_chars_per_minute" | "latin_words_per_minute" | "resume" => {
                            "in [reading]".to_string()
                        }
                        "outline_width" | "outline_max_width" | "max_text_width"
                        | "ambiguous_width" | "paragraph_spacing" | "show_images" => {
                            "in [layout]".to_string()
                        }
                        s if theme::ROLES.contains(&s) => "in [theme]".to_string(),
                        s if Action::from_name(s).is_some() => "in [keys]".to_string(),
                        _ => format!("in one of {}", list_sections()),
                    };
                    return Err(doc.error(
                        k.span(),
                        format!("\"{s}\" is outside any section; it belongs {home}"),
                    ));
                }
            };
            match section {
                "keys" => keys::apply(&doc, t, &mut self.keys)?,
                "theme" => apply_theme(&doc, t, &mut self.theme)?,
                "speakers" => apply_speakers(&doc, t, &mut self.speakers)?,
                "layout" => apply_layout(&doc, t, &mut self.layout)?,
                _ => apply_reading(&doc, t, &mut self.reading)?,
            }
        }
        Ok(())
    }
}

fn list_sections() -> String {
    SECTIONS.map(|s| format!("[{s}]")).join(", ")
}

/// An unknown key in `[section]`.
fn unknown_key(doc: &Doc<'_>, k: &read::Key<'_>, section: &str, known: &[&str]) -> ConfigError {
    let name = k.get_ref().as_ref();
    let dym = did_you_mean(name, known.iter().copied());
    doc.error(
        k.span(),
        format!(
            "unknown key \"{name}\" in [{section}]{dym}; expected one of: {}",
            known.join(", ")
        ),
    )
}

fn color(doc: &Doc<'_>, what: &str, v: &Val<'_>) -> Result<Color, ConfigError> {
    let expected = "expected a colour name, \"#rrggbb\" or 0–255";
    match v.get_ref() {
        DeValue::String(s) => Color::from_name(s).ok_or_else(|| {
            let dym = if s.starts_with('#') {
                String::new()
            } else {
                did_you_mean(s, theme::color_names())
            };
            doc.error(v.span(), format!("bad colour \"{s}\" for {what}: {expected}{dym}"))
        }),
        DeValue::Integer(_) => {
            let n = int_in(doc, &format!("colour for {what}"), v, 0..=255)?;
            Ok(Color::Indexed(u8::try_from(n).unwrap_or(0)))
        }
        other => Err(doc.error(
            v.span(),
            format!("bad colour for {what}: {expected}, found {}", type_name(other)),
        )),
    }
}

/// Role keys of one palette (`[theme.dark]`, `[theme.light]`, or `[theme]` itself, which sets
/// both palettes).
fn apply_role(
    doc: &Doc<'_>,
    section: &str,
    key: &str,
    v: &Val<'_>,
    palettes: &mut [&mut Palette],
) -> Result<(), ConfigError> {
    let what = format!("{key} in [{section}]");
    if key == "speakers" {
        let DeValue::Array(items) = v.get_ref() else {
            return Err(doc.error(
                v.span(),
                format!("{what}: expected a list of colours, found {}", type_name(v.get_ref())),
            ));
        };
        let cs = items.iter().map(|i| color(doc, &what, i)).collect::<Result<Vec<_>, _>>()?;
        for p in palettes.iter_mut() {
            p.speakers = cs.clone();
        }
        return Ok(());
    }
    let c = color(doc, &what, v)?;
    for p in palettes.iter_mut() {
        if let Some(slot) = p.role_mut(key) {
            *slot = c;
        }
    }
    Ok(())
}

fn apply_theme(doc: &Doc<'_>, t: &DeTable<'_>, theme: &mut Theme) -> Result<(), ConfigError> {
    let mut known = vec!["preset", "dark", "light"];
    known.extend(theme::ROLES);
    for (k, v) in entries(t) {
        let key = k.get_ref().as_ref();
        match key {
            "preset" => {
                let s = string(doc, "preset in [theme]", v)?;
                theme.preset = match s {
                    "dark" => Preset::Dark,
                    "light" => Preset::Light,
                    other => {
                        let dym = did_you_mean(other, ["dark", "light"]);
                        return Err(doc.error(
                            v.span(),
                            format!(
                                "preset in [theme]: expected \"dark\" or \"light\", found \"{other}\"{dym}"
                            ),
                        ));
                    }
                };
            }
            "dark" | "light" => {
                let section = format!("theme.{key}");
                let sub = table(doc, &format!("[{section}]"), v)?;
                let p = if key == "dark" { &mut theme.dark } else { &mut theme.light };
                for (rk, rv) in entries(sub) {
                    let role = rk.get_ref().as_ref();
                    if !theme::ROLES.contains(&role) {
                        return Err(unknown_key(doc, rk, &section, &theme::ROLES));
                    }
                    apply_role(doc, &section, role, rv, &mut [&mut *p])?;
                }
            }
            role if theme::ROLES.contains(&role) => {
                apply_role(doc, "theme", role, v, &mut [&mut theme.dark, &mut theme.light])?;
            }
            _ => return Err(unknown_key(doc, k, "theme", &known)),
        }
    }
    Ok(())
}

/// A table of string → string (`aliases`, `names`), merged into `into`.
fn string_map(
    doc: &Doc<'_>,
    section: &str,
    v: &Val<'_>,
    into: &mut BTreeMap<String, String>,
) -> Result<(), ConfigError> {
    let t = table(doc, &format!("[{section}]"), v)?;
    for (k, val) in entries(t) {
        let key = k.get_ref().as_ref();
        let s = string(doc, &format!("\"{key}\" in [{section}]"), val)?;
        into.insert(key.to_string(), s.to_string());
    }
    Ok(())
}

/// The message of a regex error on one line (the crate's own spans several).
fn regex_message(e: &regex::Error) -> String {
    let text = e.to_string();
    text.lines()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .map(str::to_string)
        .unwrap_or_else(|| text.lines().next().unwrap_or("").to_string())
}

fn label_pattern(doc: &Doc<'_>, v: &Val<'_>) -> Result<LabelPattern, ConfigError> {
    let src = string(doc, "labels in [speakers]", v)?;
    // Compiled alone first, so a pattern like `a)|(b` cannot pass by closing our wrapper.
    let bare = Regex::new(src).map_err(|e| {
        doc.error(
            v.span(),
            format!("label pattern in [speakers] does not compile: {}", regex_message(&e)),
        )
    })?;
    if !bare.capture_names().any(|n| n == Some("name")) {
        return Err(doc.error(
            v.span(),
            "label pattern in [speakers] has no group named \"name\"; write (?P<name>...) around the speaker's name",
        ));
    }
    let regex = Regex::new(&format!("^(?:{src})")).map_err(|e| {
        doc.error(
            v.span(),
            format!("label pattern in [speakers] does not compile: {}", regex_message(&e)),
        )
    })?;
    Ok(LabelPattern { source: src.to_string(), regex })
}

fn apply_speakers(doc: &Doc<'_>, t: &DeTable<'_>, sp: &mut Speakers) -> Result<(), ConfigError> {
    const KNOWN: [&str; 4] = ["aliases", "names", "colors", "labels"];
    for (k, v) in entries(t) {
        match k.get_ref().as_ref() {
            "aliases" => string_map(doc, "speakers.aliases", v, &mut sp.aliases)?,
            "names" => string_map(doc, "speakers.names", v, &mut sp.names)?,
            "colors" => {
                let t = table(doc, "[speakers.colors]", v)?;
                for (ck, cv) in entries(t) {
                    let who = ck.get_ref().as_ref();
                    let c = color(doc, &format!("\"{who}\" in [speakers.colors]"), cv)?;
                    sp.colors.insert(who.to_string(), c);
                }
            }
            "labels" => {
                let DeValue::Array(items) = v.get_ref() else {
                    return Err(doc.error(
                        v.span(),
                        format!(
                            "labels in [speakers]: expected a list of patterns, found {}",
                            type_name(v.get_ref())
                        ),
                    ));
                };
                sp.labels =
                    items.iter().map(|i| label_pattern(doc, i)).collect::<Result<Vec<_>, _>>()?;
            }
            _ => return Err(unknown_key(doc, k, "speakers", &KNOWN)),
        }
    }
    Ok(())
}

fn usize_in(
    doc: &Doc<'_>,
    what: &str,
    v: &Val<'_>,
    range: std::ops::RangeInclusive<i64>,
) -> Result<usize, ConfigError> {
    let n = int_in(doc, what, v, range)?;
    Ok(usize::try_from(n).unwrap_or(0))
}

fn u16_in(
    doc: &Doc<'_>,
    what: &str,
    v: &Val<'_>,
    range: std::ops::RangeInclusive<i64>,
) -> Result<u16, ConfigError> {
    let n = int_in(doc, what, v, range)?;
    Ok(u16::try_from(n).unwrap_or(0))
}

fn apply_layout(doc: &Doc<'_>, t: &DeTable<'_>, l: &mut LayoutOptions) -> Result<(), ConfigError> {
    const KNOWN: [&str; 6] = [
        "outline_width",
        "outline_max_width",
        "max_text_width",
        "ambiguous_width",
        "paragraph_spacing",
        "show_images",
    ];
    for (k, v) in entries(t) {
        let key = k.get_ref().as_ref();
        let what = format!("{key} in [layout]");
        match key {
            "outline_width" => l.outline_width = u16_in(doc, &what, v, 5..=90)?,
            "outline_max_width" => l.outline_max_width = u16_in(doc, &what, v, 10..=500)?,
            "max_text_width" => l.max_text_width = usize_in(doc, &what, v, 20..=10_000)?,
            "paragraph_spacing" => l.paragraph_spacing = usize_in(doc, &what, v, 0..=5)?,
            "show_images" => l.show_images = boolean(doc, &what, v)?,
            "ambiguous_width" => {
                l.ambiguous_width = match string(doc, &what, v)? {
                    "narrow" => AmbiguousWidth::Narrow,
                    "wide" => AmbiguousWidth::Wide,
                    other => {
                        let dym = did_you_mean(other, ["narrow", "wide"]);
                        return Err(doc.error(
                            v.span(),
                            format!(
                                "{what}: expected \"narrow\" or \"wide\", found \"{other}\"{dym}"
                            ),
                        ));
                    }
                }
            }
            _ => return Err(unknown_key(doc, k, "layout", &KNOWN)),
        }
    }
    Ok(())
}

fn apply_reading(
    doc: &Doc<'_>,
    t: &DeTable<'_>,
    r: &mut ReadingOptions,
) -> Result<(), ConfigError> {
    const KNOWN: [&str; 3] = ["cjk_chars_per_minute", "latin_words_per_minute", "resume"];
    for (k, v) in entries(t) {
        let key = k.get_ref().as_ref();
        let what = format!("{key} in [reading]");
        let rate = |v| int_in(doc, &what, v, 1..=100_000).map(|n| u32::try_from(n).unwrap_or(1));
        match key {
            "cjk_chars_per_minute" => r.cjk_chars_per_minute = rate(v)?,
            "latin_words_per_minute" => r.latin_words_per_minute = rate(v)?,
            "resume" => r.resume = boolean(doc, &what, v)?,
            _ => return Err(unknown_key(doc, k, "reading", &KNOWN)),
        }
    }
    Ok(())
}

/// The README's configuration section, generated from the shipped file and the default
/// bindings so the two cannot drift (the lead pastes it; a test can compare).
pub fn readme_section() -> String {
    let mut s = String::from(
        "## Configuration\n\n\
         fangtan works without a config file. To change something, create \
         `$XDG_CONFIG_HOME/fangtan/config.toml` (else `~/.config/fangtan/config.toml`), or pass \
         `--config PATH`, and set only what you want to change: everything else keeps its \
         default. Binding an action replaces that action's default keys; a key may belong to \
         one action only in each table: `[keys]` for the reading screen, and one table for each \
         overlay, where `q` closes the overlay.\n\n\
         - `fangtan config` prints the default configuration, every option commented.\n\
         - `fangtan config --path` shows where fangtan looks and which file it found.\n\
         - `fangtan config --check [PATH]` validates a file and names the line of any mistake.\n\n\
         ### Keys\n\n",
    );
    s.push_str(&keys::readme_tables());
    s.push_str("\n### The default configuration\n\n```toml\n");
    s.push_str(SHIPPED.trim_end());
    s.push_str("\n```\n");
    s
}

//! Configuration: the shipped `config.toml` with the user's file laid over it.
//! Read once at the edge; the rest of the program receives plain values.
//!
//! The repository's top-level `config.toml` is compiled in and is the one source of
//! defaults: it is read by the same code as the user's file, which needs to set only what it
//! changes. Stages: [`paths`] finds the user's file; `schema` is its shape (serde types) and
//! how it lays over the shipped one; `validate` turns text into checked values and every
//! mistake into one `file:line:column: message`; `keys` builds every layer's keymap (the
//! reading screen's and each overlay's) and checks each keeps a way out; [`theme`] fits
//! colours to the terminal.
//!
//! Invariant: never a silent fallback. A file is used whole or refused with a message.
//!
//! Public surface: [`Config`] ([`Config::load`], [`Config::builtin`],
//! [`Config::from_user_text`], [`Config::check`]) and its parts ([`Speakers`],
//! [`LayoutOptions`], [`ReadingOptions`], [`PlayerOptions`], [`LibraryOptions`], [`LabelPattern`]), [`ConfigError`],
//! [`default_text`], [`readme_section`], the [`paths`] functions and the [`theme`] types.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use crate::keymap::Keys;
use crate::width::AmbiguousWidth;

mod keys;
pub mod paths;
mod schema;
pub mod theme;
mod validate;

pub use paths::{SearchPath, search_paths, search_paths_in, user_file};
pub use theme::{Color, ColorDepth, EnvInfo, Palette, Preset, ResolvedTheme, Theme};
pub use validate::{ConfigError, LabelPattern};

const SHIPPED: &str = include_str!("../config.toml");

/// The shipped `config.toml`, every option present and commented (for `fangtan config`).
pub fn default_text() -> &'static str {
    SHIPPED
}

/// `[speakers]`.
#[derive(Debug, Clone, PartialEq)]
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
    /// Links as OSC 8 hyperlinks.
    pub hyperlinks: bool,
    /// Open with the timeline strip shown.
    pub timeline: bool,
}

/// `[reading]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadingOptions {
    pub cjk_chars_per_minute: u32,
    pub latin_words_per_minute: u32,
    /// Reopen a file where it was left.
    pub resume: bool,
    /// Show a turn's start time beside its speaker.
    pub times: bool,
    /// Capture the mouse (wheel, clicks); `false` leaves the terminal's selection alone.
    pub mouse: bool,
}

/// `[player]`: the media player listening drives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlayerOptions {
    /// The program (mpv, or a path to it).
    pub command: String,
    /// Options passed after fangtan's own.
    pub args: Vec<String>,
}

/// `[library]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LibraryOptions {
    /// The folders `fangtan --library` opens (and bare `fangtan`, when there are any),
    /// `~` expanded to the home folder.
    pub paths: Vec<std::path::PathBuf>,
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
    pub player: PlayerOptions,
    pub library: LibraryOptions,
}

impl PartialEq for Config {
    fn eq(&self, other: &Config) -> bool {
        self.keys == other.keys
            && self.theme == other.theme
            && self.speakers == other.speakers
            && self.layout == other.layout
            && self.reading == other.reading
            && self.player == other.player
            && self.library == other.library
    }
}

impl Default for Config {
    /// The shipped file's configuration: [`Config::builtin`].
    fn default() -> Config {
        Config::builtin()
    }
}

impl Default for Keys {
    /// The shipped file's bindings, every layer's.
    fn default() -> Keys {
        Config::builtin().keys
    }
}

/// The shipped file, read once.
static BUILTIN: LazyLock<Config> = LazyLock::new(|| {
    // A test reads the shipped file through this same path: it cannot fail at run time.
    Config::read(None).expect("the shipped config.toml is valid")
});

impl Config {
    /// The defaults: the shipped `config.toml` alone.
    pub fn builtin() -> Config {
        BUILTIN.clone()
    }

    /// The defaults overlaid with the user's file: `explicit` (`--config PATH`, which must
    /// exist), else the first existing [`search_paths`] entry, else the defaults alone.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let (path, name) = match explicit {
            // Shown as given, so messages match what the user typed.
            Some(p) => (p.to_path_buf(), p.display().to_string()),
            None => match user_file() {
                Some(p) => {
                    let name = paths::shown(&p);
                    (p, name)
                }
                None => return Ok(Config::builtin()),
            },
        };
        let text = std::fs::read_to_string(&path)
            .map_err(|error| ConfigError::Read { path: name.clone(), error })?;
        Config::from_user_text(&name, &text)
    }

    /// The defaults overlaid with `text`; `name` is how messages name the file.
    pub fn from_user_text(name: &str, text: &str) -> Result<Config, ConfigError> {
        Config::read(Some((name, text)))
    }

    /// Validate a file as [`Config::load`] would use it (for `fangtan config --check`).
    pub fn check(path: &Path) -> Result<(), ConfigError> {
        Config::load(Some(path)).map(|_| ())
    }

    /// The shipped file with `user` (`(name, text)`) laid over it, checked.
    fn read(user: Option<(&str, &str)>) -> Result<Config, ConfigError> {
        let src = validate::Sources::parse(SHIPPED, user)?;
        let file = validate::read(&src)?;
        let (layout, reading) = (&file.layout, &file.reading);
        Ok(Config {
            keys: keys::keys(&file.keys, &src)?,
            theme: validate::theme(&file.theme, &src)?,
            speakers: Speakers {
                colors: validate::colors(&file.speakers.colors, &src)?,
                labels: validate::labels(&file.speakers.labels, &src)?,
                aliases: file.speakers.aliases,
                names: file.speakers.names,
            },
            layout: LayoutOptions {
                outline_width: layout.outline_width.get(),
                outline_max_width: layout.outline_max_width.get(),
                max_text_width: layout.max_text_width.get(),
                ambiguous_width: layout.ambiguous_width,
                paragraph_spacing: layout.paragraph_spacing.get(),
                show_images: layout.show_images,
                hyperlinks: layout.hyperlinks,
                timeline: layout.timeline,
            },
            reading: ReadingOptions {
                cjk_chars_per_minute: reading.cjk_chars_per_minute.get(),
                latin_words_per_minute: reading.latin_words_per_minute.get(),
                resume: reading.resume,
                times: reading.times,
                mouse: reading.mouse,
            },
            player: validate::player(&file.player, &src)?,
            library: LibraryOptions {
                paths: file.library.paths.iter().map(|p| paths::expand_home(p)).collect(),
            },
        })
    }

    /// What the parser needs from `[speakers]`.
    pub fn parse_options(&self) -> crate::parse::ParseOptions {
        crate::parse::ParseOptions {
            format: None,
            aliases: self.speakers.aliases.clone().into_iter().collect::<HashMap<_, _>>(),
            names: self.speakers.names.clone().into_iter().collect::<HashMap<_, _>>(),
            labels: self.label_patterns(),
            chapters: Vec::new(),
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
}

/// The README's configuration section, generated from the shipped file so the two cannot
/// drift (a test compares).
pub fn readme_section() -> String {
    let mut s = String::from(
        "## Configuration\n\n\
         fangtan works without a config file. To change something, create \
         `$XDG_CONFIG_HOME/fangtan/config.toml` (else `~/.config/fangtan/config.toml`), or pass \
         `--config PATH`, and set only what you want to change: everything else keeps its \
         default. Binding an action replaces that action's default keys; a key may belong to \
         one action only in each table: `[keys]` for the reading screen, one table for each \
         overlay, where `q` closes the overlay, and `[keys.library]` for the library screen. \
         A file that leaves no key to quit, or an overlay no key to close, is refused.\n\n\
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

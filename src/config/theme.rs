//! Colours of the `[theme]` section, and how they fit the terminal at hand.
//!
//! Config stage, pure data. [`Color`] is our own type so nothing here depends on the
//! terminal library; the UI maps it. [`Palette`] names every colour role once, generic over
//! the colour, so the file's schema, the configured theme, the resolved one and the UI's
//! are the same list of roles. [`Theme::resolve_with`] takes the environment as a value
//! ([`EnvInfo`]) so `NO_COLOR` and colour-depth fallbacks are testable.
//!
//! Invariant: nothing has a default here; every colour and the preset come from the
//! shipped `config.toml` or the user's file.
//!
//! Public surface: [`Color`] (names, `#rrggbb`, depth fitting), [`ColorDepth`], [`EnvInfo`],
//! [`Preset`], [`Palette`], [`Theme`], [`ResolvedTheme`], [`COLOR_NAMES`], [`color_names`],
//! [`nearest_16`], [`nearest_256`].

use std::collections::BTreeMap;
use std::fmt;

/// A colour as written in the config: a name, `#rrggbb`, or a 256-colour index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Color {
    /// The terminal's own foreground or background.
    Default,
    /// One of the 16 ANSI colours, by number (0 black … 7 gray, 8 darkgray … 15 white).
    Ansi(u8),
    /// An index into the 256-colour palette.
    Indexed(u8),
    Rgb(u8, u8, u8),
}

/// Colour names in ANSI order; the index is the ANSI number.
pub const COLOR_NAMES: [&str; 16] = [
    "black",
    "red",
    "green",
    "yellow",
    "blue",
    "magenta",
    "cyan",
    "gray",
    "darkgray",
    "lightred",
    "lightgreen",
    "lightyellow",
    "lightblue",
    "lightmagenta",
    "lightcyan",
    "white",
];

/// Every name [`Color::from_name`] accepts, for suggestions.
pub fn color_names() -> Vec<&'static str> {
    let mut v: Vec<&str> = COLOR_NAMES.to_vec();
    v.extend(["default", "grey", "darkgrey"]);
    v
}

/// The usual xterm RGB values of the 16 ANSI colours, to map true colour down.
const ANSI_RGB: [(u8, u8, u8); 16] = [
    (0, 0, 0),
    (205, 0, 0),
    (0, 205, 0),
    (205, 205, 0),
    (0, 0, 238),
    (205, 0, 205),
    (0, 205, 205),
    (229, 229, 229),
    (127, 127, 127),
    (255, 0, 0),
    (0, 255, 0),
    (255, 255, 0),
    (92, 92, 255),
    (255, 0, 255),
    (0, 255, 255),
    (255, 255, 255),
];

const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

impl Color {
    /// A colour name (case-insensitive) or `#rrggbb`.
    pub fn from_name(s: &str) -> Option<Color> {
        let lower = s.trim().to_ascii_lowercase();
        if let Some(hex) = lower.strip_prefix('#') {
            if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let v = u32::from_str_radix(hex, 16).ok()?;
            let [_, r, g, b] = v.to_be_bytes();
            return Some(Color::Rgb(r, g, b));
        }
        let name = match lower.as_str() {
            "grey" => "gray",
            "darkgrey" => "darkgray",
            "default" | "reset" => return Some(Color::Default),
            other => other,
        };
        let i = COLOR_NAMES.iter().position(|n| *n == name)?;
        u8::try_from(i).ok().map(Color::Ansi)
    }

    /// The RGB value this colour shows as on a typical xterm (`None`: the terminal's own).
    pub fn rgb(self) -> Option<(u8, u8, u8)> {
        match self {
            Color::Default => None,
            Color::Ansi(n) => ANSI_RGB.get(usize::from(n)).copied(),
            Color::Indexed(n) => Some(index_rgb(n)),
            Color::Rgb(r, g, b) => Some((r, g, b)),
        }
    }

    /// This colour at a terminal's depth; `None` means "no colour".
    pub fn at_depth(self, depth: ColorDepth) -> Option<Color> {
        match (depth, self) {
            (ColorDepth::None, _) => None,
            (_, Color::Default) => Some(Color::Default),
            (ColorDepth::TrueColor, c) => Some(c),
            (ColorDepth::Ansi256, Color::Rgb(r, g, b)) => {
                Some(Color::Indexed(nearest_256(r, g, b)))
            }
            (ColorDepth::Ansi256, c) => Some(c),
            (ColorDepth::Ansi16, Color::Ansi(n)) => Some(Color::Ansi(n)),
            (ColorDepth::Ansi16, Color::Indexed(n)) if n < 16 => Some(Color::Ansi(n)),
            (ColorDepth::Ansi16, c) => {
                let (r, g, b) = c.rgb()?;
                Some(Color::Ansi(nearest_16(r, g, b)))
            }
        }
    }
}

impl fmt::Display for Color {
    /// The config syntax (an index is shown as its number).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Color::Default => f.write_str("default"),
            Color::Ansi(n) => f.write_str(COLOR_NAMES.get(usize::from(n)).copied().unwrap_or("?")),
            Color::Indexed(n) => write!(f, "{n}"),
            Color::Rgb(r, g, b) => write!(f, "#{r:02x}{g:02x}{b:02x}"),
        }
    }
}

fn index_rgb(n: u8) -> (u8, u8, u8) {
    match n {
        0..=15 => ANSI_RGB[usize::from(n)],
        16..=231 => {
            let i = usize::from(n - 16);
            (CUBE[i / 36], CUBE[(i / 6) % 6], CUBE[i % 6])
        }
        _ => {
            let v = 8 + (n - 232) * 10;
            (v, v, v)
        }
    }
}

fn dist(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).unsigned_abs().pow(2);
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
}

/// Nearest entry of the 6×6×6 cube or the gray ramp (16–255); the first 16 are skipped
/// because terminals redefine them.
pub fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    (16..=255u8).min_by_key(|&n| dist(index_rgb(n), (r, g, b))).unwrap_or(16)
}

/// Nearest of the 16 ANSI colours.
pub fn nearest_16(r: u8, g: u8, b: u8) -> u8 {
    (0..16u8).min_by_key(|&n| dist(ANSI_RGB[usize::from(n)], (r, g, b))).unwrap_or(7)
}

/// How many colours the terminal shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ColorDepth {
    /// `NO_COLOR`, or a dumb terminal: bold and reverse only.
    None,
    Ansi16,
    Ansi256,
    TrueColor,
}

/// The environment variables that decide colour, passed in so resolution stays pure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvInfo {
    pub no_color: Option<String>,
    pub colorterm: Option<String>,
    pub term: Option<String>,
}

impl EnvInfo {
    /// Read `NO_COLOR`, `COLORTERM` and `TERM` from the process environment.
    pub fn from_env() -> EnvInfo {
        let var = |k: &str| std::env::var(k).ok();
        EnvInfo { no_color: var("NO_COLOR"), colorterm: var("COLORTERM"), term: var("TERM") }
    }

    /// Whether the terminal may be sent OSC 8 hyperlinks: any but the Linux console and a
    /// dumb terminal (terminals that do not know the sequence ignore it).
    pub fn hyperlinks(&self) -> bool {
        let term = self.term.as_deref().unwrap_or("").to_ascii_lowercase();
        !matches!(term.as_str(), "dumb" | "linux")
    }

    /// `NO_COLOR` (any non-empty value, per no-color.org) or `TERM=dumb` → none;
    /// `COLORTERM` truecolor/24bit → RGB; `TERM` naming 256color → 256; else 16.
    pub fn depth(&self) -> ColorDepth {
        if self.no_color.as_deref().is_some_and(|v| !v.is_empty()) {
            return ColorDepth::None;
        }
        let term = self.term.as_deref().unwrap_or("").to_ascii_lowercase();
        if term == "dumb" {
            return ColorDepth::None;
        }
        let ct = self.colorterm.as_deref().unwrap_or("").to_ascii_lowercase();
        if ct == "truecolor" || ct == "24bit" {
            return ColorDepth::TrueColor;
        }
        if term.contains("256color") {
            return ColorDepth::Ansi256;
        }
        ColorDepth::Ansi16
    }
}

/// `preset = "dark" | "light"`: which palette is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Preset {
    Dark,
    Light,
}

/// One colour per role of a palette. `C` is the colour at each stage: as written in
/// `config.toml` (a spanned raw value, checked by `validate`), as configured ([`Color`]),
/// as the terminal can show it (`Option<Color>`, [`ResolvedTheme`]), and as the UI draws it.
/// The field names are the `[theme.dark]` / `[theme.light]` keys; the UI draws every one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Palette<C> {
    /// Speakers without a fixed colour take these in order of first appearance, cycling.
    pub speakers: Vec<C>,
    pub title: C,
    pub heading: C,
    pub quote: C,
    pub code: C,
    pub link: C,
    pub dim: C,
    /// The bar beside the passage the reader is on, and the `›` of a selected entry.
    pub cursor: C,
    /// The mark of a bookmarked passage.
    pub bookmark: C,
    /// Background of the outline's selected entry (and of a selected bookmark, a note).
    pub outline_selection: C,
    pub border: C,
    /// Backgrounds of search matches and of the current one, and the text on both.
    pub search_match: C,
    pub current_match: C,
    pub match_fg: C,
    pub status_fg: C,
    pub status_bg: C,
    /// While listening: the mark beside the passage being spoken, and its background.
    pub spoken: C,
    pub spoken_bg: C,
}

impl<C> Palette<C> {
    /// Every colour through `f`; the first error stops.
    pub fn try_map<D, E>(&self, mut f: impl FnMut(&C) -> Result<D, E>) -> Result<Palette<D>, E> {
        Ok(Palette {
            speakers: self.speakers.iter().map(&mut f).collect::<Result<_, _>>()?,
            title: f(&self.title)?,
            heading: f(&self.heading)?,
            quote: f(&self.quote)?,
            code: f(&self.code)?,
            link: f(&self.link)?,
            dim: f(&self.dim)?,
            cursor: f(&self.cursor)?,
            bookmark: f(&self.bookmark)?,
            outline_selection: f(&self.outline_selection)?,
            border: f(&self.border)?,
            search_match: f(&self.search_match)?,
            current_match: f(&self.current_match)?,
            match_fg: f(&self.match_fg)?,
            status_fg: f(&self.status_fg)?,
            status_bg: f(&self.status_bg)?,
            spoken: f(&self.spoken)?,
            spoken_bg: f(&self.spoken_bg)?,
        })
    }

    /// Every colour through `f`.
    pub fn map<D>(&self, mut f: impl FnMut(&C) -> D) -> Palette<D> {
        match self.try_map(|c| Ok::<D, std::convert::Infallible>(f(c))) {
            Ok(p) => p,
            Err(never) => match never {},
        }
    }
}

/// The `[theme]` section: a preset and both palettes (`[theme.dark]`, `[theme.light]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub preset: Preset,
    pub dark: Palette<Color>,
    pub light: Palette<Color>,
}

/// Colours ready to draw: each is `None` when the terminal gets no colour (the UI keeps
/// bold and reverse then), else a colour the terminal can show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedTheme {
    pub depth: ColorDepth,
    /// The active palette at the terminal's depth.
    pub colors: Palette<Option<Color>>,
    /// Fixed colours by canonical speaker name (`[speakers.colors]`).
    pub fixed: BTreeMap<String, Option<Color>>,
}

impl ResolvedTheme {
    /// A speaker's colour: the fixed one if set, else the palette entry for its index
    /// (order of first appearance), cycling.
    pub fn speaker_color(&self, name: &str, index: usize) -> Option<Color> {
        if let Some(c) = self.fixed.get(name) {
            return *c;
        }
        let cycle = &self.colors.speakers;
        if cycle.is_empty() {
            return None;
        }
        cycle[index % cycle.len()]
    }
}

impl Theme {
    /// The palette the preset selects.
    pub fn palette(&self) -> &Palette<Color> {
        match self.preset {
            Preset::Dark => &self.dark,
            Preset::Light => &self.light,
        }
    }

    /// Fit the active palette to the terminal described by `env`, with fixed speaker
    /// colours.
    pub fn resolve_with(&self, env: &EnvInfo, fixed: &BTreeMap<String, Color>) -> ResolvedTheme {
        let depth = env.depth();
        ResolvedTheme {
            depth,
            colors: self.palette().map(|c| c.at_depth(depth)),
            fixed: fixed.iter().map(|(k, c)| (k.clone(), c.at_depth(depth))).collect(),
        }
    }
}

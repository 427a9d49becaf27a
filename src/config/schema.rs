//! The shape of `config.toml` as serde types, and how a user's file lays over the shipped one.
//!
//! Config stage, the data model between parsing and checking: `validate` parses both
//! files, lays the user's tree over the shipped one with [`merge`] and has serde read the
//! result into [`File`]. Every field is required, so serde itself proves the shipped file
//! complete, and `deny_unknown_fields` refuses a name no section has.
//!
//! Invariant: serde checks names and types only. A value whose check needs more (a colour,
//! a key, a label pattern) stays a spanned value here, so `validate` and `keys` can name
//! its line.
//!
//! Public surface (to the config module): [`File`] and its sections ([`Keys`] with its
//! layers' [`Bindings`] and their names, [`LAYERS`]), [`Int`], [`KeyList`], [`Raw`],
//! [`merge`].

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::theme::{Palette, Preset};
use crate::width::AmbiguousWidth;

/// A value kept with its place in the text, for a check after serde.
pub type Raw = Spanned<toml::Value>;

/// A whole configuration: the shipped file with the user's laid over it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub keys: Keys,
    pub theme: Theme,
    pub speakers: Speakers,
    pub layout: Layout,
    pub reading: Reading,
    pub player: Player,
    pub library: Library,
}

/// `[keys]`: the reading screen's bindings, and each overlay's in a table of its own
/// (`[keys.list]`, …). Every layer is required, as a field would be; names and key syntax
/// are `keys.rs`'s.
#[derive(Debug, Default)]
pub struct Keys {
    /// `[keys]` itself, the reading screen's. An entry that is not an action binding (a
    /// layer's name bound to keys, a table that is no layer's) is kept here as written, for
    /// `keys.rs` to refuse at its place with a message that says what was meant.
    pub reader: Bindings,
    /// `[keys.list]`, the bookmark list's.
    pub list: Bindings,
    /// `[keys.help_screen]`, the help screen's.
    pub help_screen: Bindings,
    /// `[keys.quotes]`, the quote index's.
    pub quotes: Bindings,
    /// `[keys.talk]`, the talk-share panel's.
    pub talk: Bindings,
    /// `[keys.note]`, the note editor's.
    pub note: Bindings,
    /// `[keys.search_prompt]`, the search prompt's.
    pub search_prompt: Bindings,
    /// `[keys.library]`, the library screen's.
    pub library: Bindings,
}

/// One layer's table: action name → what it is bound to.
pub type Bindings = BTreeMap<Spanned<String>, Spanned<KeyList>>;

/// The names of the overlays' tables in `[keys]`, as [`Keys`] has them.
pub const LAYERS: [&str; 7] =
    ["list", "help_screen", "note", "search_prompt", "quotes", "talk", "library"];

impl Keys {
    /// The table of a layer named in [`LAYERS`].
    fn layer_mut(&mut self, name: &str) -> Option<&mut Bindings> {
        match name {
            "list" => Some(&mut self.list),
            "help_screen" => Some(&mut self.help_screen),
            "note" => Some(&mut self.note),
            "search_prompt" => Some(&mut self.search_prompt),
            "quotes" => Some(&mut self.quotes),
            "talk" => Some(&mut self.talk),
            "library" => Some(&mut self.library),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Tables;
        impl<'de> Visitor<'de> for Tables {
            type Value = Keys;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of actions and their keys")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Keys::default();
                let mut seen = Vec::new();
                while let Some(name) = map.next_key::<Spanned<String>>()? {
                    let value: Spanned<KeyList> = map.next_value()?;
                    let layer = keys.layer_mut(name.get_ref());
                    if layer.is_some() {
                        seen.push(name.get_ref().clone());
                    }
                    match (layer, value.get_ref()) {
                        (Some(layer), KeyList::Table(_)) => {
                            if let KeyList::Table(t) = value.into_inner() {
                                *layer = t;
                            }
                        }
                        _ => {
                            keys.reader.insert(name, value);
                        }
                    }
                }
                // Only the shipped file can leave a layer out (the user's is laid over it).
                match LAYERS.iter().find(|l| !seen.iter().any(|s| s == *l)) {
                    Some(missing) => Err(de::Error::missing_field(missing)),
                    None => Ok(keys),
                }
            }
        }
        d.deserialize_map(Tables)
    }
}

/// `[theme]`. A role written in `[theme]` itself was moved into both palettes by [`merge`].
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Theme {
    pub preset: Preset,
    pub dark: Palette<Raw>,
    pub light: Palette<Raw>,
}

/// `[speakers]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speakers {
    pub labels: Vec<Spanned<String>>,
    pub aliases: BTreeMap<String, String>,
    pub names: BTreeMap<String, String>,
    pub colors: BTreeMap<String, Raw>,
}

/// `[layout]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    pub outline_width: Int<5, 90>,
    pub outline_max_width: Int<10, 500>,
    pub max_text_width: Int<20, 10_000>,
    #[serde(with = "AmbiguousWidthName")]
    pub ambiguous_width: AmbiguousWidth,
    pub paragraph_spacing: Int<0, 5>,
    pub show_images: bool,
    pub hyperlinks: bool,
    pub timeline: bool,
}

/// `[reading]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    pub cjk_chars_per_minute: Int<1, 100_000>,
    pub latin_words_per_minute: Int<1, 100_000>,
    pub resume: bool,
    pub times: bool,
    pub mouse: bool,
}

/// `[player]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Player {
    pub command: Spanned<String>,
    pub args: Vec<String>,
}

/// `[library]`: the folders `fangtan --library` (and bare `fangtan`, when there are any)
/// opens, as written (`~` is expanded by the config module).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Library {
    pub paths: Vec<String>,
}

/// How `ambiguous_width` is spelt (the type is the width module's).
#[derive(Deserialize)]
#[serde(remote = "AmbiguousWidth", rename_all = "lowercase")]
enum AmbiguousWidthName {
    Narrow,
    Wide,
}

/// An integer from `LO` to `HI`; serde refuses any other value, saying the range.
#[derive(Debug, Clone, Copy)]
pub struct Int<const LO: i64, const HI: i64>(i64);

impl<const LO: i64, const HI: i64> Int<LO, HI> {
    /// The value as the type it is used as. Every range fits its type, so the fallback
    /// is never taken.
    pub fn get<T: TryFrom<i64> + Default>(self) -> T {
        T::try_from(self.0).unwrap_or_default()
    }
}

impl<'de, const LO: i64, const HI: i64> Deserialize<'de> for Int<LO, HI> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Range<const LO: i64, const HI: i64>;
        impl<const LO: i64, const HI: i64> Visitor<'_> for Range<LO, HI> {
            type Value = Int<LO, HI>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "an integer from {LO} to {HI}")
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Int<LO, HI>, E> {
                match (LO..=HI).contains(&n) {
                    true => Ok(Int(n)),
                    false => Err(E::invalid_value(Unexpected::Signed(n), &self)),
                }
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Int<LO, HI>, E> {
                match i64::try_from(n) {
                    Ok(n) => self.visit_i64(n),
                    Err(_) => Err(E::invalid_value(Unexpected::Unsigned(n), &self)),
                }
            }
            fn visit_i128<E: de::Error>(self, _: i128) -> Result<Int<LO, HI>, E> {
                Err(E::invalid_value(Unexpected::Other("a big integer"), &self))
            }
            fn visit_u128<E: de::Error>(self, _: u128) -> Result<Int<LO, HI>, E> {
                Err(E::invalid_value(Unexpected::Other("a big integer"), &self))
            }
        }
        d.deserialize_i64(Range)
    }
}

/// What an action is bound to: one key, or a list (each item checked by `keys.rs`), or a
/// table: a layer's in `[keys]` ([`Keys`] takes those), else refused by `keys.rs` once it
/// has checked the name (so `[keys.lsit]` is reported as a misspelt table).
#[derive(Debug)]
pub enum KeyList {
    One(String),
    Many(Vec<Raw>),
    Table(Bindings),
}

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = KeyList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(r#"a list of keys like ["j", "<Down>"]"#)
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<KeyList, E> {
                Ok(KeyList::One(s.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyList, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(KeyList::Many(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyList, A::Error> {
                let mut table = Bindings::new();
                while let Some((name, value)) = map.next_entry()? {
                    table.insert(name, value);
                }
                Ok(KeyList::Table(table))
            }
        }
        d.deserialize_any(Keys)
    }
}

/// Lay `over` (the user's tree) on `base` (the shipped one): tables merge key by key,
/// anything else (a value, a list) replaces what was there. A role written in `[theme]`
/// itself goes to both palettes first, under what the user set in `[theme.dark]` or
/// `[theme.light]`.
pub fn merge<'i>(base: &mut DeTable<'i>, mut over: DeTable<'i>) {
    if let Some(theme) = over.get_mut("theme") {
        spread_roles(theme.get_mut());
    }
    merge_tables(base, over);
}

fn merge_tables<'i>(base: &mut DeTable<'i>, over: DeTable<'i>) {
    for (k, v) in over {
        match (base.get_mut(k.get_ref().as_ref()), v.get_ref()) {
            (Some(b), DeValue::Table(_)) if matches!(b.get_ref(), DeValue::Table(_)) => {
                if let (DeValue::Table(bt), DeValue::Table(ot)) = (b.get_mut(), v.into_inner()) {
                    merge_tables(bt, ot);
                }
            }
            _ => {
                // Replaced, not updated in place: the key keeps the user's span too.
                base.remove(k.get_ref().as_ref());
                base.insert(k, v);
            }
        }
    }
}

/// `[theme] quote = "red"` → `quote` in `[theme.dark]` and `[theme.light]`, unless set
/// there. Names other than `preset`, `dark`, `light` all move, so a misspelt one is refused
/// by the palette's schema, at its own place in the file.
fn spread_roles(theme: &mut DeValue<'_>) {
    let DeValue::Table(t) = theme else { return };
    let roles: Vec<_> = t
        .keys()
        .filter(|k| !matches!(k.get_ref().as_ref(), "preset" | "dark" | "light"))
        .cloned()
        .collect();
    for k in roles {
        let Some(v) = t.remove(k.get_ref().as_ref()) else { continue };
        for palette in ["dark", "light"] {
            let slot = t
                .entry(Spanned::new(k.span(), palette.into()))
                .or_insert_with(|| Spanned::new(k.span(), DeValue::Table(DeTable::default())));
            if let DeValue::Table(p) = slot.get_mut()
                && !p.contains_key(k.get_ref().as_ref())
            {
                p.insert(k.clone(), v.clone());
            }
        }
    }
}

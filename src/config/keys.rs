//! `[keys]`: the keymaps a config file sets, one table per layer, read from its TOML table.
//!
//! Config stage. `[keys]` binds the reading screen's actions and holds one sub-table per
//! overlay ([`LAYERS`]: `[keys.list]`, `[keys.help_screen]`, `[keys.note]`,
//! `[keys.search_prompt]`). In each table, each action listed replaces that action's
//! bindings; a key may belong to one action of a table only, counting the bindings the
//! file leaves in place, while the same key may serve in several tables. Every mistake is
//! one `file:line:column: message` error.
//!
//! Public surface (to `config`): [`apply`] and [`readme_tables`].

use std::collections::HashMap;

use toml::de::{DeTable, DeValue};

use crate::keymap::{
    Action, Actions, EditAction, HelpAction, KeyChord, KeyParseError, Keymap, Keys, ListAction,
    key_names,
};

use super::ConfigError;
use super::read::{self, Doc, Key, Val, did_you_mean, entries, list, type_name};

/// A value and the bytes of the file it came from.
type Located<T> = (T, std::ops::Range<usize>);

/// The overlays' tables inside `[keys]`: (name, what it binds, the reader action whose name
/// a user may reach for instead).
pub const LAYERS: [(&str, &str, Option<&str>); 4] = [
    ("list", "the bookmark list", Some("bookmark_list")),
    ("help_screen", "the help screen", Some("help")),
    ("note", "the note editor", Some("edit_note")),
    ("search_prompt", "the search prompt", Some("search")),
];

/// `[keys]` and its sub-tables, overlaid on `keys`.
pub(super) fn apply(doc: &Doc<'_>, t: &DeTable<'_>, keys: &mut Keys) -> Result<(), ConfigError> {
    let mut reader = Vec::new();
    for (k, v) in entries(t) {
        let name = k.get_ref().as_ref();
        let layer = LAYERS.iter().find(|(l, _, _)| *l == name);
        match (layer, v.get_ref()) {
            (Some(_), DeValue::Table(sub)) => {
                let table = format!("keys.{name}");
                let sub = entries(sub);
                match name {
                    "list" => apply_table(doc, &table, &sub, &mut keys.list)?,
                    "help_screen" => apply_table(doc, &table, &sub, &mut keys.help)?,
                    "note" => apply_table(doc, &table, &sub, &mut keys.note)?,
                    _ => apply_table(doc, &table, &sub, &mut keys.search)?,
                }
            }
            (Some((_, what, _)), other) => {
                return Err(doc.error(
                    v.span(),
                    format!(
                        "\"{name}\" in [keys] is the table of {what}'s keys: write [keys.{name}] \
                         and its actions under it, found {}",
                        type_name(other)
                    ),
                ));
            }
            (None, DeValue::Table(_)) => return Err(unknown_table(doc, k)),
            (None, _) => reader.push((k, v)),
        }
    }
    apply_table(doc, "keys", &reader, &mut keys.reader)
}

/// A table inside `[keys]` that is no layer's.
fn unknown_table(doc: &Doc<'_>, k: &Key<'_>) -> ConfigError {
    let name = k.get_ref().as_ref();
    let tables = LAYERS.map(|(l, _, _)| format!("[keys.{l}]")).join(", ");
    // `[keys.help]` and `[keys.search]` name reader actions, which take a list of keys.
    let meant = LAYERS.iter().find(|(_, _, action)| *action == Some(name));
    let hint = match meant {
        Some((l, what, _)) => format!(
            "; \"{name}\" in [keys] is an action, bound to a list of keys, and {what}'s own \
             keys go in [keys.{l}]"
        ),
        None => read::suggest(name, LAYERS.map(|(l, _, _)| l))
            .map(|l| format!(" (did you mean [keys.{l}]?)"))
            .unwrap_or_default(),
    };
    doc.error(
        k.span(),
        format!("unknown table [keys.{name}]{hint}; the tables in [keys] are {tables}"),
    )
}

/// One table (`[keys]` itself or a layer's): each action listed replaces that action's
/// bindings in `keymap`; a key may belong to one action only, counting the bindings this
/// file leaves in place.
fn apply_table<A: Actions>(
    doc: &Doc<'_>,
    table: &str,
    items: &[(&Key<'_>, &Val<'_>)],
    keymap: &mut Keymap<A>,
) -> Result<(), ConfigError> {
    let mut set: Vec<(A, Vec<Located<KeyChord>>)> = Vec::new();
    for &(k, v) in items {
        let name = k.get_ref().as_ref();
        let Some(action) = A::from_name(name) else {
            let dym = did_you_mean(name, A::ALL.iter().map(|a| a.name()));
            return Err(doc.error(k.span(), format!("unknown action \"{name}\" in [{table}]{dym}")));
        };
        let mut chords = Vec::new();
        for item in list(v) {
            let DeValue::String(s) = item.get_ref() else {
                return Err(doc.error(
                    item.span(),
                    format!(
                        "{name} in [{table}]: expected a list of keys like [\"j\", \"<Down>\"], found {}",
                        type_name(item.get_ref())
                    ),
                ));
            };
            let chord: KeyChord = s.parse().map_err(|e: KeyParseError| {
                let dym = match &e {
                    KeyParseError::UnknownName(n) | KeyParseError::Unbracketed(n) => {
                        let all = key_names();
                        read::suggest(n, all.iter().map(String::as_str))
                            .map(|x| format!(" (did you mean \"<{x}>\"?)"))
                            .unwrap_or_default()
                    }
                    _ => String::new(),
                };
                doc.error(item.span(), format!("bad key \"{s}\" for {name} in [{table}]: {e}{dym}"))
            })?;
            if !chords.iter().any(|(c, _)| *c == chord) {
                chords.push((chord, item.span()));
            }
        }
        set.push((action, chords));
    }

    let mut owner: HashMap<KeyChord, (A, bool)> = HashMap::new();
    for (a, keys) in keymap.bindings() {
        if set.iter().any(|(s, _)| s == a) {
            continue;
        }
        for k in keys {
            owner.insert(*k, (*a, false));
        }
    }
    for (a, chords) in &set {
        for (c, span) in chords {
            match owner.get(c) {
                Some(&(other, here)) if other != *a => {
                    let (o, n) = (other.name(), a.name());
                    let msg = if here {
                        format!("key \"{c}\" is bound to both \"{o}\" and \"{n}\" in [{table}]")
                    } else {
                        format!(
                            "key \"{c}\" is bound to both \"{o}\" (by default) and \"{n}\" in [{table}]; \
                             rebind \"{o}\" too, or unbind it with {o} = []"
                        )
                    };
                    return Err(doc.error(span.clone(), msg));
                }
                _ => {
                    owner.insert(*c, (*a, true));
                }
            }
        }
    }

    let mut bindings: Vec<(A, Vec<KeyChord>)> = keymap.bindings().to_vec();
    for (a, chords) in set {
        let keys: Vec<KeyChord> = chords.into_iter().map(|(c, _)| c).collect();
        match bindings.iter_mut().find(|(b, _)| *b == a) {
            Some(slot) => slot.1 = keys,
            None => bindings.push((a, keys)),
        }
    }
    bindings.sort_by_key(|(a, _)| A::ALL.iter().position(|x| x == a));
    *keymap = Keymap::new(bindings);
    Ok(())
}

/// The README's tables of the default keys: the reading screen's, then each overlay's.
pub(super) fn readme_tables() -> String {
    let keys = Keys::default();
    let mut s = String::from("| Action | Keys | What it does |\n|---|---|---|\n");
    // The help overlay's "this help" reads wrong on its own.
    rows(&mut s, &keys.reader, |a| if a == Action::Help { "show the keys" } else { a.describe() });
    // The line editors share their actions; submit and cancel mean each editor's own.
    let note = |a| match a {
        EditAction::Submit => "save the note",
        EditAction::Cancel => "leave the note as it was",
        a => a.describe(),
    };
    let search = |a| match a {
        EditAction::Submit => "keep the search and close the prompt",
        EditAction::Cancel => "drop the search and go back to where it began",
        a => a.describe(),
    };
    let tables: [(&str, String); 4] = [
        ("list", table(&keys.list, ListAction::describe)),
        ("help_screen", table(&keys.help, HelpAction::describe)),
        ("note", table(&keys.note, note)),
        ("search_prompt", table(&keys.search, search)),
    ];
    for (name, rows) in tables {
        let what = LAYERS.iter().find(|(l, _, _)| *l == name).map_or("", |(_, w, _)| w);
        s.push_str(&format!("\nIn {what}, `[keys.{name}]`:\n\n{rows}"));
    }
    s
}

fn table<A: Actions>(keymap: &Keymap<A>, what: impl Fn(A) -> &'static str) -> String {
    let mut s = String::from("| Action | Keys | What it does |\n|---|---|---|\n");
    rows(&mut s, keymap, what);
    s
}

fn rows<A: Actions>(s: &mut String, keymap: &Keymap<A>, what: impl Fn(A) -> &'static str) {
    for (a, keys) in keymap.bindings() {
        let ks: Vec<String> =
            keys.iter().map(|k| format!("`{}`", k.to_string().replace('|', "\\|"))).collect();
        s.push_str(&format!("| `{}` | {} | {} |\n", a.name(), ks.join(" "), what(*a)));
    }
}

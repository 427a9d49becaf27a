//! `[keys]`: every layer's action names and key lists → [`Keys`].
//!
//! Config stage, a check after serde (like `validate`'s, kept apart because it is the one
//! that knows actions). `[keys]` binds the reading screen's actions and holds one table
//! per overlay ([`LAYERS`]: `[keys.list]`, `[keys.help_screen]`, `[keys.note]`,
//! `[keys.search_prompt]`, `[keys.quotes]`, `[keys.talk]`, `[keys.library]`); serde has read them into [`schema::Keys`], the shipped
//! bindings and the user's merged and told apart by their spans. [`keys`] returns every
//! layer's keymap, or the first mistake at its place in the user's file.
//!
//! Invariant: an action the user lists keeps exactly the keys listed (`[]` unbinds it); a
//! key belongs to one action of a table only, while the same key may serve in several
//! tables; every layer keeps a way out (the groups of [`NEEDED`], [`LIST_NEEDED`],
//! [`HELP_NEEDED`], [`EDIT_NEEDED`], [`QUOTES_NEEDED`], [`TALK_NEEDED`], [`LIBRARY_NEEDED`] each
//! keep a key).
//!
//! Public surface (to the config module): [`keys`] and [`readme_tables`].

use std::collections::HashMap;
use std::ops::Range;

use super::schema::{self, Bindings, KeyList, LAYERS};
use super::validate::{ConfigError, Sources, did_you_mean, suggest};
use crate::keymap::{
    Action, Actions, EDIT_NEEDED, EditAction, HELP_NEEDED, HelpAction, KeyChord, KeyParseError,
    Keymap, Keys, LIBRARY_NEEDED, LIST_NEEDED, LibraryAction, ListAction, NEEDED, Needed,
    QUOTES_NEEDED, QuoteAction, TALK_NEEDED, TalkAction, key_names,
};

/// What each overlay's table binds, and the reader action whose name a user may reach for
/// instead of the table's, in [`schema::LAYERS`]'s order (which names the tables).
const OVERLAYS: [(&str, &str); 7] = [
    ("the bookmark list", "bookmark_list"),
    ("the help screen", "help"),
    ("the note editor", "edit_note"),
    ("the search prompt", "search"),
    ("the quote index", "quote_index"),
    ("the talk-share panel", "talk_share"),
    // No reader action opens the library: it is a screen of its own.
    ("the library screen", ""),
];

/// The overlays' tables: (name in `[keys]`, what it binds, the reader action of that name).
fn layers() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    LAYERS.into_iter().zip(OVERLAYS).map(|(name, (what, action))| (name, what, action))
}

/// One table of `[keys]`, as messages name it.
struct Table {
    /// `keys`, `keys.list`, …
    name: String,
    /// What it binds, for an overlay's (`the bookmark list`).
    overlay: Option<&'static str>,
}

impl Table {
    fn reader() -> Table {
        Table { name: "keys".to_string(), overlay: None }
    }

    /// An overlay's table, by its name in [`LAYERS`].
    fn layer(name: &str) -> Table {
        let what = layers().find(|(l, _, _)| *l == name).map_or("", |(_, what, _)| what);
        Table { name: format!("keys.{name}"), overlay: Some(what) }
    }
}

/// Every layer's keymap as `[keys]` and its tables describe them.
pub fn keys(k: &schema::Keys, src: &Sources<'_>) -> Result<Keys, ConfigError> {
    refuse_misplaced(&k.reader, src)?;
    Ok(Keys {
        reader: keymap(Table::reader(), &k.reader, NEEDED, src)?,
        list: keymap(Table::layer("list"), &k.list, LIST_NEEDED, src)?,
        help: keymap(Table::layer("help_screen"), &k.help_screen, HELP_NEEDED, src)?,
        note: keymap(Table::layer("note"), &k.note, EDIT_NEEDED, src)?,
        search: keymap(Table::layer("search_prompt"), &k.search_prompt, EDIT_NEEDED, src)?,
        quotes: keymap(Table::layer("quotes"), &k.quotes, QUOTES_NEEDED, src)?,
        talk: keymap(Table::layer("talk"), &k.talk, TALK_NEEDED, src)?,
        library: keymap(Table::layer("library"), &k.library, LIBRARY_NEEDED, src)?,
    })
}

/// In `[keys]` itself: a layer's name bound to keys, or a table that is no layer's.
fn refuse_misplaced(reader: &Bindings, src: &Sources<'_>) -> Result<(), ConfigError> {
    let mut entries: Vec<_> = reader.iter().collect();
    entries.sort_by_key(|(name, _)| name.span().start);
    for (key, value) in entries {
        let name = key.get_ref().as_str();
        let layer = layers().find(|(l, _, _)| *l == name);
        match (layer, value.get_ref()) {
            (Some((_, what, _)), _) => {
                let span = value.span();
                let found = src.found(&span);
                return Err(src.error(
                    span,
                    format!(
                        "\"{name}\" in [keys] is the table of {what}'s keys: write [keys.{name}] \
                         and its actions under it, found {found}"
                    ),
                ));
            }
            (None, KeyList::Table(_)) => return Err(unknown_table(src, name, key.span())),
            (None, _) => {}
        }
    }
    Ok(())
}

/// A table inside `[keys]` that is no layer's.
fn unknown_table(src: &Sources<'_>, name: &str, span: Range<usize>) -> ConfigError {
    let tables = LAYERS.map(|l| format!("[keys.{l}]")).join(", ");
    // `[keys.help]` and `[keys.search]` name reader actions, which take a list of keys.
    let meant = layers().find(|(_, _, action)| *action == name);
    let hint = match meant {
        Some((l, what, _)) => format!(
            "; \"{name}\" in [keys] is an action, bound to a list of keys, and {what}'s own \
             keys go in [keys.{l}]"
        ),
        None => suggest(name, LAYERS)
            .map(|l| format!(" (did you mean [keys.{l}]?)"))
            .unwrap_or_default(),
    };
    src.error(span, format!("unknown table [keys.{name}]{hint}; the tables in [keys] are {tables}"))
}

/// The keymap of one table. Entries are taken as written, the shipped file's first, so a
/// conflict is reported at the user's later key.
fn keymap<A: Actions>(
    table: Table,
    keys: &Bindings,
    needed: Needed<A>,
    src: &Sources<'_>,
) -> Result<Keymap<A>, ConfigError> {
    let t = table.name.as_str();
    let mut entries: Vec<_> = keys.iter().collect();
    entries.sort_by_key(|(name, _)| name.span().start);
    let mut owner: HashMap<KeyChord, (A, bool)> = HashMap::new();
    let mut bindings: Vec<(A, Vec<KeyChord>)> = Vec::new();
    for (key, list) in &entries {
        let name = key.get_ref();
        let action = A::from_name(name).ok_or_else(|| {
            let dym = did_you_mean(name, A::ALL.iter().map(|a| a.name()));
            src.error(key.span(), format!("unknown action \"{name}\" in [{t}]{dym}"))
        })?;
        let wrong = |span: Range<usize>| {
            let found = src.found(&span);
            let msg = format!(
                "{name} in [{t}]: expected a list of keys like [\"j\", \"<Down>\"], found {found}"
            );
            src.error(span, msg)
        };
        let items = match list.get_ref() {
            KeyList::One(s) => vec![(s.as_str(), list.span())],
            KeyList::Many(items) => items
                .iter()
                .map(|i| match i.get_ref() {
                    toml::Value::String(s) => Ok((s.as_str(), i.span())),
                    _ => Err(wrong(i.span())),
                })
                .collect::<Result<_, _>>()?,
            KeyList::Table(_) => return Err(wrong(key.span())),
        };
        let mut chords = Vec::new();
        for (text, span) in items {
            let chord = chord(text, name, t).map_err(|m| src.error(span.clone(), m))?;
            match owner.get(&chord) {
                Some(&(other, by_user)) if other != action => {
                    return Err(src.error(span, conflict(chord, other, by_user, action, t)));
                }
                _ => owner.insert(chord, (action, src.is_user(&span))),
            };
            if !chords.contains(&chord) {
                chords.push(chord);
            }
        }
        bindings.push((action, chords));
    }
    bindings.sort_by_key(|(a, _)| A::ALL.iter().position(|x| x == a));
    let keymap = Keymap::new(bindings);
    for (group, verb) in needed {
        if group.iter().all(|&a| keymap.keys_for(a).is_empty()) {
            // Named at the line that took the group's last key away.
            let names: Vec<&str> = group.iter().map(|a| a.name()).collect();
            let last = entries
                .iter()
                .filter(|(n, _)| names.contains(&n.get_ref().as_str()))
                .map(|(n, _)| n.span())
                .max_by_key(|s| s.start)
                .unwrap_or(0..0);
            let names = names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>();
            let msg = match table.overlay {
                None => format!("no key is left to {verb}: bind {}", names.join(" or ")),
                Some(what) => {
                    format!("no key is left to {verb} {what}: bind {} in [{t}]", names.join(" or "))
                }
            };
            return Err(src.error(last, msg));
        }
    }
    Ok(keymap)
}

/// One key in the config syntax, or the message saying why not.
fn chord(text: &str, action: &str, table: &str) -> Result<KeyChord, String> {
    text.parse().map_err(|e: KeyParseError| {
        let dym = match &e {
            KeyParseError::UnknownName(n) | KeyParseError::Unbracketed(n) => {
                let all = key_names();
                suggest(n, all.iter().map(String::as_str))
                    .map(|x| format!(" (did you mean \"<{x}>\"?)"))
                    .unwrap_or_default()
            }
            _ => String::new(),
        };
        format!("bad key \"{text}\" for {action} in [{table}]: {e}{dym}")
    })
}

/// A key bound twice in `table`: `other` had it first (`by_user`: in the user's file).
fn conflict<A: Actions>(key: KeyChord, other: A, by_user: bool, action: A, table: &str) -> String {
    let (o, n) = (other.name(), action.name());
    match by_user {
        true => format!("key \"{key}\" is bound to both \"{o}\" and \"{n}\" in [{table}]"),
        false => format!(
            "key \"{key}\" is bound to both \"{o}\" (by default) and \"{n}\" in [{table}]; \
             rebind \"{o}\" too, or unbind it with {o} = []"
        ),
    }
}

/// The README's tables of the default keys: the reading screen's, then each overlay's.
pub fn readme_tables() -> String {
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
    let tables: [String; 7] = [
        table(&keys.list, ListAction::describe),
        table(&keys.help, HelpAction::describe),
        table(&keys.note, note),
        table(&keys.search, search),
        table(&keys.quotes, QuoteAction::describe),
        table(&keys.talk, TalkAction::describe),
        table(&keys.library, LibraryAction::describe),
    ];
    for ((name, what, _), rows) in layers().zip(tables) {
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

//! `[keys]`: action names and key lists → the [`Keymap`].
//!
//! Config stage, a check after serde (like `validate`'s, kept apart because it is the one
//! that knows actions). [`keymap`] takes the merged `[keys]` table (the shipped bindings
//! and the user's, told apart by their spans) and returns the keymap, or the first mistake
//! at its place in the user's file.
//!
//! Invariant: an action the user lists keeps exactly the keys listed (`[]` unbinds it); a
//! key belongs to one action only; every group of [`NEEDED`] actions keeps a key.
//!
//! Public surface (to the config module): [`keymap`].

use std::collections::HashMap;

use super::schema::{KeyList, Keys};
use super::validate::{ConfigError, Sources, did_you_mean, suggest};
use crate::keymap::{Action, KeyChord, KeyParseError, Keymap, NEEDED, key_names};

/// The keymap `[keys]` describes. Entries are taken as written, the shipped file's first,
/// so a conflict is reported at the user's later key.
pub fn keymap(keys: &Keys, src: &Sources<'_>) -> Result<Keymap, ConfigError> {
    let mut entries: Vec<_> = keys.iter().collect();
    entries.sort_by_key(|(name, _)| name.span().start);
    let mut owner: HashMap<KeyChord, (Action, bool)> = HashMap::new();
    let mut bindings: Vec<(Action, Vec<KeyChord>)> = Vec::new();
    for (key, list) in &entries {
        let name = key.get_ref();
        let action = Action::from_name(name).ok_or_else(|| {
            let names: Vec<String> = Action::ALL.iter().map(|a| a.name()).collect();
            let dym = did_you_mean(name, names.iter().map(String::as_str));
            src.error(key.span(), format!("unknown action \"{name}\" in [keys]{dym}"))
        })?;
        let wrong = |span: std::ops::Range<usize>| {
            let found = src.found(&span);
            let msg = format!(
                "{name} in [keys]: expected a list of keys like [\"j\", \"<Down>\"], found {found}"
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
            KeyList::Other => return Err(wrong(key.span())),
        };
        let mut chords = Vec::new();
        for (text, span) in items {
            let chord = chord(text, name).map_err(|m| src.error(span.clone(), m))?;
            match owner.get(&chord) {
                Some(&(other, by_user)) if other != action => {
                    return Err(src.error(span, conflict(chord, other, by_user, action)));
                }
                _ => owner.insert(chord, (action, src.is_user(&span))),
            };
            if !chords.contains(&chord) {
                chords.push(chord);
            }
        }
        bindings.push((action, chords));
    }
    bindings.sort_by_key(|(a, _)| Action::ALL.iter().position(|x| x == a));
    let keymap = Keymap::new(bindings);
    for (group, what) in NEEDED {
        if group.iter().all(|&a| keymap.keys_for(a).is_empty()) {
            // Named at the line that took the group's last key away.
            let names: Vec<String> = group.iter().map(|a| a.name()).collect();
            let last = entries
                .iter()
                .filter(|(n, _)| names.contains(n.get_ref()))
                .map(|(n, _)| n.span())
                .max_by_key(|s| s.start)
                .unwrap_or(0..0);
            let names = names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>();
            let msg = format!("no key is left to {what}: bind {}", names.join(" or "));
            return Err(src.error(last, msg));
        }
    }
    Ok(keymap)
}

/// One key in the config syntax, or the message saying why not.
fn chord(text: &str, action: &str) -> Result<KeyChord, String> {
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
        format!("bad key \"{text}\" for {action} in [keys]: {e}{dym}")
    })
}

/// A key bound twice: `other` had it first (`by_user`: in the user's file).
fn conflict(key: KeyChord, other: Action, by_user: bool, action: Action) -> String {
    let (o, n) = (other.name(), action.name());
    match by_user {
        true => format!("key \"{key}\" is bound to both \"{o}\" and \"{n}\" in [keys]"),
        false => format!(
            "key \"{key}\" is bound to both \"{o}\" (by default) and \"{n}\" in [keys]; \
             rebind \"{o}\" too, or unbind it with {o} = []"
        ),
    }
}

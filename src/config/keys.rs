//! `[keys]`: the keymap a config file sets, read from its TOML table.
//!
//! Config stage. Each action listed replaces that action's bindings; a key may belong to one
//! action only, counting the bindings the file leaves in place. Every mistake is one
//! `file:line:column: message` error.

use std::collections::HashMap;

use toml::de::{DeTable, DeValue};

use crate::keymap::{Action, KeyChord, KeyParseError, Keymap, key_names};

use super::ConfigError;
use super::read::{self, Doc, did_you_mean, entries, list, type_name};

/// A value and the bytes of the file it came from.
type Located<T> = (T, std::ops::Range<usize>);

/// `[keys]`: each action listed replaces that action's bindings; a key may belong to
/// one action only, counting the bindings this file leaves in place.
pub(super) fn apply(
    doc: &Doc<'_>,
    t: &DeTable<'_>,
    keymap: &mut Keymap,
) -> Result<(), ConfigError> {
    let mut set: Vec<(Action, Vec<Located<KeyChord>>)> = Vec::new();
    for (k, v) in entries(t) {
        let name = k.get_ref().as_ref();
        let Some(action) = Action::from_name(name) else {
            let dym = did_you_mean(name, Action::ALL.iter().map(|a| a.name()));
            return Err(doc.error(k.span(), format!("unknown action \"{name}\" in [keys]{dym}")));
        };
        let mut chords = Vec::new();
        for item in list(v) {
            let DeValue::String(s) = item.get_ref() else {
                return Err(doc.error(
                    item.span(),
                    format!(
                        "{name} in [keys]: expected a list of keys like [\"j\", \"<Down>\"], found {}",
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
                doc.error(item.span(), format!("bad key \"{s}\" for {name} in [keys]: {e}{dym}"))
            })?;
            if !chords.iter().any(|(c, _)| *c == chord) {
                chords.push((chord, item.span()));
            }
        }
        set.push((action, chords));
    }

    let mut owner: HashMap<KeyChord, (Action, bool)> = HashMap::new();
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
                        format!("key \"{c}\" is bound to both \"{o}\" and \"{n}\" in [keys]")
                    } else {
                        format!(
                            "key \"{c}\" is bound to both \"{o}\" (by default) and \"{n}\" in [keys]; \
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

    let mut bindings: Vec<(Action, Vec<KeyChord>)> = keymap.bindings().to_vec();
    for (a, chords) in set {
        let keys: Vec<KeyChord> = chords.into_iter().map(|(c, _)| c).collect();
        match bindings.iter_mut().find(|(b, _)| *b == a) {
            Some(slot) => slot.1 = keys,
            None => bindings.push((a, keys)),
        }
    }
    bindings.sort_by_key(|(a, _)| Action::ALL.iter().position(|x| x == a));
    *keymap = Keymap::new(bindings);
    Ok(())
}

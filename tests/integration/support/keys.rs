//! Keys pressed as a user presses them: each goes through [`route`], as the terminal edge
//! sends it, and what it means goes to `update`.
#![allow(dead_code)]

use fangtan::app::{App, Effect, route, update};
use fangtan::keymap::KeyChord;

/// Press keys written in the config syntax (`"j"`, `"<Enter>"`, `"<C-c>"`); the effects.
pub fn press(app: &mut App, keys: &[&str]) -> Vec<Effect> {
    let mut effects = Vec::new();
    for k in keys {
        let chord: KeyChord = k.parse().expect("a key in the config syntax");
        if let Some(msg) = route(app, chord) {
            effects.extend(update(app, msg));
        }
    }
    effects
}

/// Type `text`, a key per character (`\n` is Enter).
pub fn typed(app: &mut App, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        if let Some(msg) = route(app, KeyChord::ch(c)) {
            effects.extend(update(app, msg));
        }
    }
    effects
}

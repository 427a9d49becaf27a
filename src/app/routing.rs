//! Keys → messages: the one place that decides what a key means, given what is open.
//!
//! Public surface: [`route`]. Pure: the terminal edge turns its key events into
//! [`KeyChord`]s and sends whatever `route` returns to [`update`](super::update); tests do
//! the same.
//!
//! Each layer has its own table ([`Keys`](crate::keymap::Keys)): the reading screen's
//! `[keys]`, and one per overlay (the go-to prompt edits with the note editor's). Over an overlay a key its table leaves unbound is text in
//! a line editor (a character without Ctrl or Alt), else a [global](crate::keymap::Action::is_global)
//! reader action (quit, force quit, suspend), else nothing; the search prompt also leaves
//! the reader's other keys to the reader (PageUp/PageDown scroll while typing; Up/Down
//! are its history). The quote index's filter, while typed, takes the search prompt's
//! table too, then the index's own.

use crate::keymap::{EditAction, Key, KeyChord, Keymap};

use super::{App, Input, Msg, Overlay};

/// What `chord` means now: the message for [`update`](super::update), or `None` when the
/// key means nothing here.
pub fn route(app: &App, chord: KeyChord) -> Option<Msg> {
    let keys = &app.opts.keys;
    let reader = || keys.reader.lookup(chord).map(Msg::Action);
    let global = || keys.reader.lookup(chord).filter(|a| a.is_global()).map(Msg::Action);
    match app.overlay {
        None => reader(),
        Some(Overlay::Help { .. }) => keys.help.lookup(chord).map(Msg::Help).or_else(global),
        Some(Overlay::BookmarkList(_)) => keys.list.lookup(chord).map(Msg::List).or_else(global),
        Some(Overlay::NoteEditor(_)) => edit(&keys.note, chord).or_else(global),
        Some(Overlay::SearchPrompt) => edit(&keys.search, chord).or_else(reader),
        // Typing a filter: the search prompt's keys, then the index's for keys that are no
        // text (PageDown).
        Some(Overlay::Quotes(ref q)) if q.typing => edit(&keys.search, chord)
            .or_else(|| keys.quotes.lookup(chord).map(Msg::Quotes))
            .or_else(global),
        Some(Overlay::Quotes(_)) => keys.quotes.lookup(chord).map(Msg::Quotes).or_else(global),
        Some(Overlay::Talk(_)) => keys.talk.lookup(chord).map(Msg::Talk).or_else(global),
        // The go-to prompt edits as the note editor does.
        Some(Overlay::GoTo(_)) => edit(&keys.note, chord).or_else(global),
    }
}

/// A key in a one-line editor: one of its table's, else a character typed.
fn edit(keymap: &Keymap<EditAction>, chord: KeyChord) -> Option<Msg> {
    if let Some(e) = keymap.lookup(chord) {
        return Some(Msg::Input(Input::Key(e)));
    }
    let chord = chord.normalize();
    if chord.mods.ctrl || chord.mods.alt {
        return None;
    }
    match chord.key {
        Key::Char(c) => Some(Msg::Input(Input::Char(c))),
        Key::Space => Some(Msg::Input(Input::Char(' '))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Document;
    use crate::keymap::Action;

    fn app() -> App {
        App::new(Document::default(), super::super::Options::default())
    }

    #[test]
    fn q_quits_the_reader_and_closes_an_overlay() {
        let mut a = app();
        assert!(matches!(route(&a, KeyChord::ch('q')), Some(Msg::Action(Action::Quit))));
        a.overlay = Some(Overlay::Help { top: 0 });
        assert!(matches!(route(&a, KeyChord::ch('q')), Some(Msg::Help(_))));
        // A way out is never locked in.
        let ctrl_c = route(&a, KeyChord::ctrl('c'));
        assert!(matches!(ctrl_c, Some(Msg::Action(Action::ForceQuit))), "{ctrl_c:?}");
        assert!(route(&a, KeyChord::ch('}')).is_none(), "reader keys do not reach under help");
    }

    #[test]
    fn line_editors_type_characters_and_leave_other_keys_alone() {
        let mut a = app();
        a.overlay = Some(Overlay::SearchPrompt);
        a.search = Some(super::super::SearchState::default());
        assert!(matches!(route(&a, KeyChord::ch('q')), Some(Msg::Input(Input::Char('q')))));
        let space = route(&a, KeyChord::plain(Key::Space));
        assert!(matches!(space, Some(Msg::Input(Input::Char(' ')))));
        // The search prompt leaves the reader's other keys to the reader; Up and Down are
        // its history.
        let page = route(&a, KeyChord::plain(Key::PageDown));
        assert!(matches!(page, Some(Msg::Action(Action::PageDown))), "{page:?}");
        let down = route(&a, KeyChord::plain(Key::Down));
        assert!(matches!(down, Some(Msg::Input(Input::Key(EditAction::HistoryNext)))), "{down:?}");
    }
}

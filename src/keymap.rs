//! Keys → actions, as data, one table per layer.
//!
//! The terminal layer turns its key events into [`KeyChord`]s; `app::route` looks a chord
//! up in the table of the layer that is open ([`Keys`]: the reading screen's [`Action`]s,
//! the bookmark list's [`ListAction`]s, the quote index's [`QuoteAction`]s, the talk-share
//! panel's [`TalkAction`]s, the library screen's [`LibraryAction`]s, the help screen's [`HelpAction`]s, the line
//! editors' [`EditAction`]s), and `app::update` acts. Each layer's actions, their config
//! names and their help lines come from one list (`actions!`). Pure: no terminal types
//! here, so config validation and tests need no terminal.
//!
//! Public surface: the action enums and the [`Actions`] trait they share, [`KeyChord`]
//! (with its config syntax, [`KeyParseError`] and [`key_names`]), [`Keymap`] (one layer's
//! lookup), [`Keys`] (every layer's) and what each layer cannot do without ([`NEEDED`],
//! [`LIST_NEEDED`], [`QUOTES_NEEDED`], [`TALK_NEEDED`], [`LIBRARY_NEEDED`], [`HELP_NEEDED`], [`EDIT_NEEDED`]). The default bindings are the shipped
//! `config.toml`'s: `Keys::default()` is built there, in `config`; none is written here.

use std::collections::HashMap;
use std::fmt;
use std::hash::Hash;

/// What every layer's action list offers: its members in help order, their `[keys]` names
/// and help lines. Implemented by the `actions!` macro for each list.
pub trait Actions: Copy + Eq + Hash + fmt::Debug + 'static {
    /// Every action, in the order help and the config file list them.
    const ALL: &'static [Self];
    /// The name in the config file, e.g. `next_turn`, `speaker_3`.
    fn name(self) -> &'static str;
    /// One line for help.
    fn describe(self) -> &'static str;
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|a| a.name() == name)
    }
}

/// One list makes a layer's actions: each entry is a variant, its config name and its help
/// line (`Variant => "name", "help";`), in help order; a family of numbered actions is one
/// variant with a number, each member listed (`Variant(u8) { 1 => "name_1", "help 1"; … }`).
/// It generates the enum, `ALL`, `name()`, `from_name()` and `describe()`, and the
/// [`Actions`] impl.
macro_rules! actions {
    ($(#[$meta:meta])* $vis:vis enum $E:ident { $($body:tt)* }) => {
        actions!(@munch [$(#[$meta])* $vis $E] [] [] [] [] $($body)*);
    };
    // A numbered family: the members are listed; any other number has no name.
    (@munch $head:tt [$($decl:tt)*] [$($all:tt)*] [$($names:tt)*] [$($helps:tt)*]
        $(#[$vm:meta])* $V:ident($T:ty) { $($n:literal => $name:literal, $help:literal;)* }
        $($rest:tt)*) => {
        actions!(@munch $head
            [$($decl)* $(#[$vm])* $V($T),]
            [$($all)* $(Self::$V($n),)*]
            [$($names)* $(Self::$V($n) => $name,)* Self::$V(_) => "",]
            [$($helps)* $(Self::$V($n) => $help,)* Self::$V(_) => "",]
            $($rest)*);
    };
    (@munch $head:tt [$($decl:tt)*] [$($all:tt)*] [$($names:tt)*] [$($helps:tt)*]
        $(#[$vm:meta])* $V:ident => $name:literal, $help:literal; $($rest:tt)*) => {
        actions!(@munch $head
            [$($decl)* $(#[$vm])* $V,]
            [$($all)* Self::$V,]
            [$($names)* Self::$V => $name,]
            [$($helps)* Self::$V => $help,]
            $($rest)*);
    };
    (@munch [$(#[$meta:meta])* $vis:vis $E:ident]
        [$($decl:tt)*] [$($all:tt)*] [$($names:tt)*] [$($helps:tt)*]) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $E { $($decl)* }

        impl $E {
            /// Every action, in the order help and the config file list them.
            pub const ALL: &'static [$E] = &[$($all)*];

            /// The name in the config file.
            pub fn name(self) -> &'static str {
                match self { $($names)* }
            }

            /// One line for help.
            pub fn describe(self) -> &'static str {
                match self { $($helps)* }
            }

            pub fn from_name(name: &str) -> Option<$E> {
                <$E as Actions>::from_name(name)
            }
        }

        impl Actions for $E {
            const ALL: &'static [$E] = $E::ALL;
            fn name(self) -> &'static str {
                $E::name(self)
            }
            fn describe(self) -> &'static str {
                $E::describe(self)
            }
        }
    };
}

actions! {
    /// Every action of the reading screen. The names are the `[keys]` names in `config.toml`.
    pub enum Action {
        LineDown => "line_down", "down one line";
        LineUp => "line_up", "up one line";
        PageDown => "page_down", "down one page";
        PageUp => "page_up", "up one page";
        HalfPageDown => "half_page_down", "down half a page";
        HalfPageUp => "half_page_up", "up half a page";
        Top => "top", "go to the top";
        Bottom => "bottom", "go to the end";
        NextTurn => "next_turn", "next turn";
        PrevTurn => "prev_turn", "previous turn";
        NextTurnSameSpeaker => "next_turn_same_speaker", "next turn by the current speaker";
        PrevTurnSameSpeaker => "prev_turn_same_speaker", "previous turn by the current speaker";
        /// Next turn by speaker N (1-based, order of first appearance).
        SpeakerTurn(u8) {
            1 => "speaker_1", "next turn by speaker 1";
            2 => "speaker_2", "next turn by speaker 2";
            3 => "speaker_3", "next turn by speaker 3";
            4 => "speaker_4", "next turn by speaker 4";
            5 => "speaker_5", "next turn by speaker 5";
            6 => "speaker_6", "next turn by speaker 6";
            7 => "speaker_7", "next turn by speaker 7";
            8 => "speaker_8", "next turn by speaker 8";
            9 => "speaker_9", "next turn by speaker 9";
        }
        NextQuote => "next_quote", "next quote";
        PrevQuote => "prev_quote", "previous quote";
        QuoteIndex => "quote_index", "list every quote, filter as you type";
        NextSection => "next_section", "next section";
        PrevSection => "prev_section", "previous section";
        Search => "search", "search";
        NextMatch => "next_match", "next match";
        PrevMatch => "prev_match", "previous match";
        CycleSpeakerFocus => "cycle_speaker_focus", "focus on one speaker (cycles)";
        ClearSpeakerFocus => "clear_speaker_focus", "clear speaker focus";
        TalkShare => "talk_share", "who talks how much: turns, share, longest turn, pace";
        SwitchPane => "switch_pane", "switch between outline and reader";
        ToggleOutline => "toggle_outline", "show or hide the outline";
        ToggleTimeline => "toggle_timeline", "show or hide the timeline strip";
        GoToPercent => "go_to_percent", "go to N% of the way through (type N)";
        Help => "help", "this help";
        /// Close an overlay, clear search; never quits.
        Cancel => "cancel", "close overlay, clear search";
        Select => "select", "jump to the selected entry";
        Quit => "quit", "quit";
        ForceQuit => "force_quit", "quit from anywhere";
        Suspend => "suspend", "suspend to the shell";
        ToggleBookmark => "toggle_bookmark", "bookmark the current passage (toggle)";
        EditNote => "edit_note", "add or edit the bookmark's note";
        BookmarkList => "bookmark_list", "list bookmarks";
        NextBookmark => "next_bookmark", "next bookmark";
        PrevBookmark => "prev_bookmark", "previous bookmark";
        CopyCitation => "copy_citation", "copy the passage as a citation";
        Play => "play", "play the recording from this passage; again pauses, resumes";
        PlaySpan => "play_span", "play just this quote or paragraph, then stop";
        StopPlaying => "stop_playing", "stop playing";
        SeekBack => "seek_back", "back 5 seconds in the recording";
        SeekForward => "seek_forward", "forward 5 seconds in the recording";
        SpeedDown => "speed_down", "play slower (down to 0.5×)";
        SpeedUp => "speed_up", "play faster (up to 3×)";
        Follow => "follow", "follow the passage being spoken again";
        OffsetLater => "offset_later", "the recording runs half a second later than the text";
        OffsetEarlier => "offset_earlier", "the recording runs half a second earlier";
    }
}

impl Action {
    /// Actions that work over any overlay whose own table leaves the key unbound: a way
    /// out (quit, force quit, suspend) is never locked in.
    pub fn is_global(self) -> bool {
        matches!(self, Action::Quit | Action::ForceQuit | Action::Suspend)
    }
}

actions! {
    /// Keys of the bookmark list (`[keys.list]`).
    pub enum ListAction {
        Down => "down", "select the next bookmark";
        Up => "up", "select the previous bookmark";
        PageDown => "page_down", "down one page of bookmarks";
        PageUp => "page_up", "up one page of bookmarks";
        Top => "top", "select the first bookmark";
        Bottom => "bottom", "select the last bookmark";
        Open => "open", "jump to the selected bookmark";
        Close => "close", "close the list";
        Delete => "delete", "delete the selected bookmark";
        Undo => "undo", "bring back the last deleted bookmark";
        Edit => "edit", "edit the selected bookmark's note";
    }
}

actions! {
    /// Keys of the quote index (`[keys.quotes]`). Its filter line, while typing, takes the
    /// search prompt's keys (`[keys.search_prompt]`).
    pub enum QuoteAction {
        Down => "down", "select the next quote";
        Up => "up", "select the previous quote";
        PageDown => "page_down", "down one page of quotes";
        PageUp => "page_up", "up one page of quotes";
        Top => "top", "select the first quote";
        Bottom => "bottom", "select the last quote";
        Open => "open", "jump to the selected quote";
        Copy => "copy", "copy the selected quote as a citation";
        Filter => "filter", "type to filter the quotes (fuzzy; Esc stops typing)";
        Close => "close", "close the quote index";
    }
}

actions! {
    /// Keys of the library screen (`[keys.library]`): the transcripts of a folder, and the
    /// matches of a search across them. Its filter and search lines, while typed, take the
    /// search prompt's keys (`[keys.search_prompt]`).
    pub enum LibraryAction {
        Down => "down", "select the next row";
        Up => "up", "select the previous row";
        PageDown => "page_down", "down one page of rows";
        PageUp => "page_up", "up one page of rows";
        Top => "top", "select the first row";
        Bottom => "bottom", "select the last row";
        Open => "open", "read the selected document, or open it at the selected match";
        Filter => "filter", "type to filter the documents (fuzzy; Esc clears)";
        Search => "search", "search every document (@Name query: what Name said)";
        Sort => "sort", "sort by date, title, length, recently read (cycles)";
        Back => "back", "clear the filter, or leave the search results";
        Quit => "quit", "quit";
        Help => "help", "show these keys";
    }
}

actions! {
    /// Keys of the talk-share panel (`[keys.talk]`).
    pub enum TalkAction {
        Close => "close", "close the panel";
        Down => "down", "scroll down one speaker";
        Up => "up", "scroll up one speaker";
        PageDown => "page_down", "scroll down one page";
        PageUp => "page_up", "scroll up one page";
        Top => "top", "go to the top";
        Bottom => "bottom", "go to the end";
    }
}

actions! {
    /// Keys of the help screen (`[keys.help_screen]`).
    pub enum HelpAction {
        Close => "close", "close help";
        Down => "down", "scroll down one line";
        Up => "up", "scroll up one line";
        PageDown => "page_down", "scroll down one page";
        PageUp => "page_up", "scroll up one page";
        Top => "top", "go to the top";
        Bottom => "bottom", "go to the end";
    }
}

actions! {
    /// The keys of a one-line editor that are not text (`[keys.note]` for the note editor,
    /// `[keys.search_prompt]` for the search prompt). Any other key without Ctrl or Alt
    /// types its character.
    pub enum EditAction {
        Submit => "submit", "save the note, or keep the search and close the prompt";
        Cancel => "cancel", "leave without saving the note, or drop the search";
        DeleteBack => "delete_back", "delete the character before the cursor";
        DeleteForward => "delete_forward", "delete the character under the cursor";
        Left => "left", "cursor one character left";
        Right => "right", "cursor one character right";
        Start => "start", "cursor to the start";
        End => "end", "cursor to the end";
        HistoryPrev => "history_prev", "the search before, from the history (the search prompt's)";
        HistoryNext => "history_next", "the search after, back to what was typed (the search prompt's)";
    }
}

/// Modifier bits of a [`KeyChord`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Mods {
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

/// A key without modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Char(char),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Space,
    F(u8),
}

/// A key with modifiers, terminal-independent. For `Key::Char`, shift is folded into the
/// character (`G`, `}`), so `shift` is only set for named keys (`<S-Tab>` is `BackTab`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyChord {
    pub key: Key,
    pub mods: Mods,
}

impl KeyChord {
    pub const fn plain(key: Key) -> KeyChord {
        KeyChord { key, mods: Mods { ctrl: false, alt: false, shift: false } }
    }
    pub const fn ctrl(c: char) -> KeyChord {
        KeyChord { key: Key::Char(c), mods: Mods { ctrl: true, alt: false, shift: false } }
    }
    pub const fn ch(c: char) -> KeyChord {
        KeyChord::plain(Key::Char(c))
    }
}

impl KeyChord {
    /// The one spelling of a chord, so chords from the terminal and from the config compare
    /// equal: shift folds into characters (`S-g` is `G`), `S-Tab` is `BackTab` without a shift
    /// bit, and the characters a terminal may report for named keys become those keys.
    pub fn normalize(self) -> KeyChord {
        let mut c = self;
        c.key = match c.key {
            Key::Char(' ') => Key::Space,
            Key::Char('\t') => Key::Tab,
            Key::Char('\n' | '\r') => Key::Enter,
            k => k,
        };
        match c.key {
            Key::Char(ch) if c.mods.shift => {
                let mut up = ch.to_uppercase();
                if let (Some(u), None) = (up.next(), up.next()) {
                    c.key = Key::Char(u);
                }
                c.mods.shift = false;
            }
            Key::Tab if c.mods.shift => {
                c.key = Key::BackTab;
                c.mods.shift = false;
            }
            Key::BackTab => c.mods.shift = false,
            _ => {}
        }
        c
    }
}

/// Why a key in the config syntax did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyParseError {
    #[error("an empty key")]
    Empty,
    #[error("unknown key name \"{0}\"")]
    UnknownName(String),
    #[error("\"{0}\" is several keys; a binding is one key")]
    Sequence(String),
    #[error("key names go in angle brackets: \"<{0}>\"")]
    Unbracketed(String),
    #[error("\"{0}\" is a control character; write the key by name, like \"<Tab>\"")]
    Control(String),
    #[error("shift with \"{0}\": write the shifted character itself")]
    ShiftChar(String),
    #[error("unknown modifier \"{0}-\" (use C-, A- or S-)")]
    Modifier(String),
}

/// Named keys of the config syntax, lower-cased; the first spelling of each is canonical
/// (what `Display` writes, in its own case).
const KEY_NAMES: &[(&str, Key)] = &[
    ("enter", Key::Enter),
    ("cr", Key::Enter),
    ("return", Key::Enter),
    ("esc", Key::Esc),
    ("escape", Key::Esc),
    ("tab", Key::Tab),
    ("bs", Key::Backspace),
    ("backspace", Key::Backspace),
    ("del", Key::Delete),
    ("delete", Key::Delete),
    ("insert", Key::Insert),
    ("ins", Key::Insert),
    ("up", Key::Up),
    ("down", Key::Down),
    ("left", Key::Left),
    ("right", Key::Right),
    ("home", Key::Home),
    ("end", Key::End),
    ("pageup", Key::PageUp),
    ("pgup", Key::PageUp),
    ("pagedown", Key::PageDown),
    ("pgdn", Key::PageDown),
    ("space", Key::Space),
    ("lt", Key::Char('<')),
];

/// Every canonical key name, for suggestions in error messages.
pub fn key_names() -> Vec<String> {
    let mut v: Vec<String> = [
        "Enter", "Esc", "Tab", "S-Tab", "BS", "Del", "Insert", "Up", "Down", "Left", "Right",
        "Home", "End", "PageUp", "PageDown", "Space",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.extend((1..=12).map(|n| format!("F{n}")));
    v
}

fn named_key(name: &str) -> Option<Key> {
    let lower = name.to_ascii_lowercase();
    if let Some(&(_, k)) = KEY_NAMES.iter().find(|(n, _)| *n == lower) {
        return Some(k);
    }
    let n: u8 = lower.strip_prefix('f')?.parse().ok()?;
    (1..=24).contains(&n).then_some(Key::F(n))
}

impl std::str::FromStr for KeyChord {
    type Err = KeyParseError;

    /// The config syntax: a character (`j`, `}`, `<`), or angle brackets holding modifiers
    /// (`C-`, `A-`/`M-`, `S-`) and a character or key name (`<C-f>`, `<S-Tab>`, `<F1>`).
    /// Names are case-insensitive; the result is [`KeyChord::normalize`]d.
    fn from_str(s: &str) -> Result<KeyChord, KeyParseError> {
        let mut chars = s.chars();
        let (first, second) = (chars.next(), chars.next());
        let Some(first) = first else { return Err(KeyParseError::Empty) };
        if second.is_none() {
            if first.is_control() || first == ' ' {
                return Err(KeyParseError::Control(s.escape_default().to_string()));
            }
            return Ok(KeyChord::ch(first));
        }
        let Some(inner) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) else {
            if named_key(s).is_some() {
                return Err(KeyParseError::Unbracketed(s.to_string()));
            }
            return Err(KeyParseError::Sequence(s.to_string()));
        };
        let mut mods = Mods::default();
        let mut rest = inner;
        loop {
            let mut it = rest.chars();
            let (Some(m), Some('-'), Some(_)) = (it.next(), it.next(), it.next()) else { break };
            match m.to_ascii_lowercase() {
                'c' => mods.ctrl = true,
                'a' | 'm' => mods.alt = true,
                's' => mods.shift = true,
                _ => {
                    // `<x-y>` where x is not a modifier: only an error if it looks like one.
                    if named_key(rest).is_none() {
                        return Err(KeyParseError::Modifier(m.to_string()));
                    }
                    break;
                }
            }
            rest = &rest[m.len_utf8() + 1..];
        }
        let mut it = rest.chars();
        let key = match (it.next(), it.next()) {
            (None, _) => return Err(KeyParseError::Empty),
            (Some(c), None) if c.is_control() => {
                return Err(KeyParseError::Control(c.escape_default().to_string()));
            }
            (Some(c), None) => {
                if mods.shift && !c.is_alphabetic() {
                    return Err(KeyParseError::ShiftChar(c.to_string()));
                }
                Key::Char(c)
            }
            _ => named_key(rest).ok_or_else(|| KeyParseError::UnknownName(rest.to_string()))?,
        };
        Ok(KeyChord { key, mods }.normalize())
    }
}

impl KeyChord {
    /// The chord as hints on screen name it: the config syntax without angle brackets
    /// (`j`, `Esc`, `C-f`).
    pub fn label(self) -> String {
        let s = self.to_string();
        match s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
            Some(inner) if !inner.is_empty() => inner.to_string(),
            _ => s,
        }
    }
}

impl fmt::Display for KeyChord {
    /// The config syntax: `j`, `<C-f>`, `<Space>`, `<S-Tab>`, `<F1>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.key {
            Key::Char(c) if !self.mods.ctrl && !self.mods.alt => return write!(f, "{c}"),
            Key::Char(c) => c.to_string(),
            Key::Enter => "Enter".into(),
            Key::Esc => "Esc".into(),
            Key::Tab => "Tab".into(),
            Key::BackTab => "S-Tab".into(),
            Key::Backspace => "BS".into(),
            Key::Delete => "Del".into(),
            Key::Insert => "Insert".into(),
            Key::Up => "Up".into(),
            Key::Down => "Down".into(),
            Key::Left => "Left".into(),
            Key::Right => "Right".into(),
            Key::Home => "Home".into(),
            Key::End => "End".into(),
            Key::PageUp => "PageUp".into(),
            Key::PageDown => "PageDown".into(),
            Key::Space => "Space".into(),
            Key::F(n) => format!("F{n}"),
        };
        let mut pre = String::new();
        if self.mods.ctrl {
            pre.push_str("C-");
        }
        if self.mods.alt {
            pre.push_str("A-");
        }
        if self.mods.shift && self.key != Key::BackTab {
            pre.push_str("S-");
        }
        write!(f, "<{pre}{name}>")
    }
}

/// What a layer cannot do without: groups of its actions, each with what it is for (a
/// verb, said of the layer). At least one action of each group keeps a key, or the layer
/// could not be left; `config` refuses a file that takes a group's last key away.
pub type Needed<A> = &'static [(&'static [A], &'static str)];

/// The reading screen's: a way to quit. (`cancel` is not one: it never quits, and each
/// overlay has its own way out below.)
pub const NEEDED: Needed<Action> = &[(&[Action::Quit, Action::ForceQuit], "quit")];

/// The bookmark list's: its close key. (`open` leaves it too, but not from a bookmark
/// whose passage is gone from the text.)
pub const LIST_NEEDED: Needed<ListAction> = &[(&[ListAction::Close], "close")];

/// The quote index's: its close key. (`open` leaves it too, but not when no quote is
/// listed.)
pub const QUOTES_NEEDED: Needed<QuoteAction> = &[(&[QuoteAction::Close], "close")];

/// The talk-share panel's: its close key.
pub const TALK_NEEDED: Needed<TalkAction> = &[(&[TalkAction::Close], "close")];

/// The library screen's: a way to quit.
pub const LIBRARY_NEEDED: Needed<LibraryAction> = &[(&[LibraryAction::Quit], "quit")];

/// The help screen's: its close key (nothing else leaves it but quitting).
pub const HELP_NEEDED: Needed<HelpAction> = &[(&[HelpAction::Close], "close")];

/// A line editor's (the note editor's, the search prompt's): `submit` leaves it as
/// `cancel` does, keeping the note or the search instead of dropping it, so either is a
/// way out and a table may keep just one (say, Enter only).
pub const EDIT_NEEDED: Needed<EditAction> = &[(&[EditAction::Cancel, EditAction::Submit], "leave")];

/// Chord → action lookup for one layer (the reader's by default).
#[derive(Debug, Clone)]
pub struct Keymap<A: Actions = Action> {
    map: HashMap<KeyChord, A>,
    /// Bindings per action, in help order.
    bindings: Vec<(A, Vec<KeyChord>)>,
}

impl<A: Actions> Keymap<A> {
    /// Build from (action, chords) pairs. Callers validate conflicts first (config).
    pub fn new(bindings: Vec<(A, Vec<KeyChord>)>) -> Keymap<A> {
        let mut map = HashMap::new();
        for (a, keys) in &bindings {
            for k in keys {
                map.insert(k.normalize(), *a);
            }
        }
        Keymap { map, bindings }
    }

    /// The action for a chord as the terminal reports it (normalized first, so a `G` that
    /// arrives with a shift bit still finds `G`).
    pub fn lookup(&self, chord: KeyChord) -> Option<A> {
        self.map.get(&chord.normalize()).copied()
    }

    pub fn bindings(&self) -> &[(A, Vec<KeyChord>)] {
        &self.bindings
    }

    pub fn keys_for(&self, action: A) -> &[KeyChord] {
        self.bindings.iter().find(|(a, _)| *a == action).map(|(_, k)| k.as_slice()).unwrap_or(&[])
    }

    /// The first key of an action as hints name it (`Esc`), if it has one.
    pub fn hint(&self, action: A) -> Option<String> {
        self.keys_for(action).first().map(|k| k.label())
    }
}

impl<A: Actions> PartialEq for Keymap<A> {
    fn eq(&self, other: &Keymap<A>) -> bool {
        self.bindings == other.bindings
    }
}

/// Every layer's keymap: each overlay has its own table, so a key means one thing per
/// layer and the same key may serve in several.
#[derive(Debug, Clone, PartialEq)]
pub struct Keys {
    /// `[keys]`: the reading screen (and the outline).
    pub reader: Keymap<Action>,
    /// `[keys.list]`: the bookmark list.
    pub list: Keymap<ListAction>,
    /// `[keys.help_screen]`: the help screen.
    pub help: Keymap<HelpAction>,
    /// `[keys.quotes]`: the quote index.
    pub quotes: Keymap<QuoteAction>,
    /// `[keys.talk]`: the talk-share panel.
    pub talk: Keymap<TalkAction>,
    /// `[keys.note]`: the note editor's keys that are not text.
    pub note: Keymap<EditAction>,
    /// `[keys.search_prompt]`: the search prompt's keys that are not text.
    pub search: Keymap<EditAction>,
    /// `[keys.library]`: the library screen.
    pub library: Keymap<LibraryAction>,
}

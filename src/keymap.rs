//! Keys → [`Action`]s, as data.
//!
//! The one place a key means something: the terminal layer turns its key events into
//! [`KeyChord`]s, the keymap turns chords into actions, and `app::update` acts. Pure: no
//! terminal types here, so config validation and tests need no terminal. The default
//! bindings are the shipped `config.toml`'s (`Keymap::default()` is built there, in
//! `config`).

use std::collections::HashMap;
use std::fmt;

/// Every user-facing action. The snake_case names are the `[keys]` names in `config.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    LineDown,
    LineUp,
    PageDown,
    PageUp,
    HalfPageDown,
    HalfPageUp,
    Top,
    Bottom,
    NextTurn,
    PrevTurn,
    NextTurnSameSpeaker,
    PrevTurnSameSpeaker,
    /// Next turn by speaker N (1-based, order of first appearance).
    SpeakerTurn(u8),
    NextQuote,
    PrevQuote,
    NextSection,
    PrevSection,
    Search,
    NextMatch,
    PrevMatch,
    CycleSpeakerFocus,
    ClearSpeakerFocus,
    SwitchPane,
    ToggleOutline,
    Help,
    /// Close an overlay, clear search; never quits.
    Cancel,
    Select,
    Quit,
    ForceQuit,
    Suspend,
    ToggleBookmark,
    EditNote,
    BookmarkList,
    NextBookmark,
    PrevBookmark,
    CopyCitation,
}

impl Action {
    /// Every action, in the order help lists them.
    pub const ALL: &'static [Action] = &[
        Action::LineDown,
        Action::LineUp,
        Action::PageDown,
        Action::PageUp,
        Action::HalfPageDown,
        Action::HalfPageUp,
        Action::Top,
        Action::Bottom,
        Action::NextTurn,
        Action::PrevTurn,
        Action::NextTurnSameSpeaker,
        Action::PrevTurnSameSpeaker,
        Action::SpeakerTurn(1),
        Action::SpeakerTurn(2),
        Action::SpeakerTurn(3),
        Action::SpeakerTurn(4),
        Action::SpeakerTurn(5),
        Action::SpeakerTurn(6),
        Action::SpeakerTurn(7),
        Action::SpeakerTurn(8),
        Action::SpeakerTurn(9),
        Action::NextQuote,
        Action::PrevQuote,
        Action::NextSection,
        Action::PrevSection,
        Action::Search,
        Action::NextMatch,
        Action::PrevMatch,
        Action::CycleSpeakerFocus,
        Action::ClearSpeakerFocus,
        Action::SwitchPane,
        Action::ToggleOutline,
        Action::Help,
        Action::Cancel,
        Action::Select,
        Action::Quit,
        Action::ForceQuit,
        Action::Suspend,
        Action::ToggleBookmark,
        Action::EditNote,
        Action::BookmarkList,
        Action::NextBookmark,
        Action::PrevBookmark,
        Action::CopyCitation,
    ];

    /// The `[keys]` name, e.g. `next_turn`, `speaker_3`.
    pub fn name(self) -> String {
        let s = match self {
            Action::LineDown => "line_down",
            Action::LineUp => "line_up",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::HalfPageDown => "half_page_down",
            Action::HalfPageUp => "half_page_up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::NextTurn => "next_turn",
            Action::PrevTurn => "prev_turn",
            Action::NextTurnSameSpeaker => "next_turn_same_speaker",
            Action::PrevTurnSameSpeaker => "prev_turn_same_speaker",
            Action::SpeakerTurn(n) => return format!("speaker_{n}"),
            Action::NextQuote => "next_quote",
            Action::PrevQuote => "prev_quote",
            Action::NextSection => "next_section",
            Action::PrevSection => "prev_section",
            Action::Search => "search",
            Action::NextMatch => "next_match",
            Action::PrevMatch => "prev_match",
            Action::CycleSpeakerFocus => "cycle_speaker_focus",
            Action::ClearSpeakerFocus => "clear_speaker_focus",
            Action::SwitchPane => "switch_pane",
            Action::ToggleOutline => "toggle_outline",
            Action::Help => "help",
            Action::Cancel => "cancel",
            Action::Select => "select",
            Action::Quit => "quit",
            Action::ForceQuit => "force_quit",
            Action::Suspend => "suspend",
            Action::ToggleBookmark => "toggle_bookmark",
            Action::EditNote => "edit_note",
            Action::BookmarkList => "bookmark_list",
            Action::NextBookmark => "next_bookmark",
            Action::PrevBookmark => "prev_bookmark",
            Action::CopyCitation => "copy_citation",
        };
        s.to_string()
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// One line for the help overlay.
    pub fn describe(self) -> String {
        let s = match self {
            Action::LineDown => "down one line",
            Action::LineUp => "up one line",
            Action::PageDown => "down one page",
            Action::PageUp => "up one page",
            Action::HalfPageDown => "down half a page",
            Action::HalfPageUp => "up half a page",
            Action::Top => "go to the top",
            Action::Bottom => "go to the end",
            Action::NextTurn => "next turn",
            Action::PrevTurn => "previous turn",
            Action::NextTurnSameSpeaker => "next turn by the current speaker",
            Action::PrevTurnSameSpeaker => "previous turn by the current speaker",
            Action::SpeakerTurn(n) => return format!("next turn by speaker {n}"),
            Action::NextQuote => "next quote",
            Action::PrevQuote => "previous quote",
            Action::NextSection => "next section",
            Action::PrevSection => "previous section",
            Action::Search => "search",
            Action::NextMatch => "next match",
            Action::PrevMatch => "previous match",
            Action::CycleSpeakerFocus => "focus on one speaker (cycles)",
            Action::ClearSpeakerFocus => "clear speaker focus",
            Action::SwitchPane => "switch between outline and reader",
            Action::ToggleOutline => "show or hide the outline",
            Action::Help => "this help",
            Action::Cancel => "close overlay, clear search",
            Action::Select => "jump to the selected entry",
            Action::Quit => "quit",
            Action::ForceQuit => "quit from anywhere",
            Action::Suspend => "suspend to the shell",
            Action::ToggleBookmark => "bookmark the current passage (toggle)",
            Action::EditNote => "add or edit the bookmark's note",
            Action::BookmarkList => "list bookmarks",
            Action::NextBookmark => "next bookmark",
            Action::PrevBookmark => "previous bookmark",
            Action::CopyCitation => "copy the passage as a citation",
        };
        s.to_string()
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

/// Actions a keymap cannot do without, in groups, with what they are for: at least one
/// action of each group keeps a key, or the reader could not be left. (`cancel` is not
/// one: the quit keys work under any overlay.)
pub const NEEDED: &[(&[Action], &str)] = &[(&[Action::Quit, Action::ForceQuit], "quit")];

/// Chord → action lookup.
#[derive(Debug, Clone)]
pub struct Keymap {
    map: HashMap<KeyChord, Action>,
    /// Bindings per action, in help order.
    bindings: Vec<(Action, Vec<KeyChord>)>,
}

impl Keymap {
    /// Build from (action, chords) pairs. Callers validate conflicts first (config).
    pub fn new(bindings: Vec<(Action, Vec<KeyChord>)>) -> Keymap {
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
    pub fn lookup(&self, chord: KeyChord) -> Option<Action> {
        self.map.get(&chord.normalize()).copied()
    }

    pub fn bindings(&self) -> &[(Action, Vec<KeyChord>)] {
        &self.bindings
    }

    pub fn keys_for(&self, action: Action) -> &[KeyChord] {
        self.bindings.iter().find(|(a, _)| *a == action).map(|(_, k)| k.as_slice()).unwrap_or(&[])
    }
}

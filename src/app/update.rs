//! [`update`], the one place state changes, and [`act`], what each reader action does.
//!
//! Public surface: [`update`] and [`WHEEL`]. `update` takes a [`Msg`], changes the state,
//! prepares the [`View`](super::View) and returns [`Effect`]s; it does no I/O and reads no
//! clock (times come as `Msg::Clock`). What a key means was decided by
//! [`route`](super::route); which overlay is open decides what a message does here.

use crate::keymap::{Action, EditAction, HelpAction};

use super::jumps::{miss, missed, quote_jump, section_jump, speaker_jump, turn_jump};
use super::outline::{outline_act, select_row};
use super::search::{SearchState, input, match_step, paste_search, search_slice};
use super::view::Pos;
use super::{
    App, Effect, Focus, Input, Mouse, Msg, NARROW, Overlay, bookmarks, listen, quotes, strip, talk,
};

/// Lines moved by one mouse wheel notch.
pub const WHEEL: usize = 3;

/// The one place state changes.
pub fn update(app: &mut App, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    // What the reader does to the reading position stops following the spoken passage
    // (but not the keys that start or resume following).
    let by_reader = match &msg {
        Msg::Action(Action::Follow | Action::Play | Action::PlaySpan) => false,
        Msg::Action(_) | Msg::List(_) | Msg::Input(_) | Msg::Paste(_) | Msg::Mouse(_) => true,
        Msg::Tick => true,
        _ => false,
    };
    let before = app.pos;
    match msg {
        Msg::Clock(now) => {
            // Nothing on screen depends on it: no layout, no redraw.
            app.now = now;
            return effects;
        }
        Msg::Restored(loaded) => {
            let resume = app.opts.resume;
            app.restore(*loaded, resume);
        }
        Msg::Warning(text) => app.say(text),
        Msg::SearchHistory(loaded) => {
            // Searches made before it arrived are newer than any on disk.
            let made = std::mem::replace(&mut app.search_history, loaded);
            for q in made {
                crate::store::push_search(&mut app.search_history, &q);
            }
            return effects;
        }
        Msg::Player(e) => {
            let (visible, asked) = listen::heard(app, e);
            if !visible {
                return asked;
            }
            effects = asked;
        }
        Msg::Resize { width, height } => {
            app.width = width;
            app.height = height;
            if app.focus == Focus::Outline && !app.outline_shown() {
                app.focus = Focus::Reader;
            }
            app.prepare();
            app.reveal_outline();
            app.reveal_list();
            app.reveal_quote();
            talk::fit(app);
        }
        Msg::Action(a) => {
            app.message = None;
            effects = act(app, a);
        }
        Msg::List(a) => {
            app.message = None;
            effects = bookmarks::list_key(app, a);
        }
        Msg::Help(a) => {
            app.message = None;
            help_key(app, a);
        }
        Msg::Quotes(a) => {
            app.message = None;
            effects = quotes::key(app, a);
        }
        Msg::Talk(a) => {
            app.message = None;
            talk::key(app, a);
        }
        Msg::Input(i) => {
            app.message = None;
            effects = match app.overlay {
                Some(Overlay::NoteEditor(_)) => bookmarks::note_input(app, i),
                Some(Overlay::SearchPrompt) => input(app, i),
                Some(Overlay::Quotes(_)) => quotes::input(app, i),
                Some(Overlay::GoTo(_)) => strip::go_to_input(app, i),
                Some(Overlay::BookmarkList(_) | Overlay::Help { .. } | Overlay::Talk(_)) | None => {
                    Vec::new()
                }
            };
        }
        Msg::Paste(text) => match app.overlay {
            Some(Overlay::NoteEditor(_)) => bookmarks::note_paste(app, &text),
            Some(Overlay::SearchPrompt) => paste_search(app, &text),
            Some(Overlay::Quotes(_)) => quotes::paste(app, &text),
            Some(Overlay::GoTo(_)) => strip::go_to_paste(app, &text),
            Some(Overlay::BookmarkList(_) | Overlay::Help { .. } | Overlay::Talk(_)) | None => {}
        },
        Msg::Tick => {
            let counted =
                !app.stats.complete(&app.doc) && app.stats.step(&app.doc, app.search_slice / 4);
            if !search_slice(app) && !counted {
                // Nothing visible changed: no redraw.
                return effects;
            }
        }
        Msg::Progress(p) => {
            if let Some(l) = app.loading.as_mut() {
                l.stage = p.stage;
                l.done = p.done.unwrap_or(l.done);
            }
        }
        Msg::Indexed(arrived) => effects = app.take_index(*arrived),
        Msg::Saved(saved) => bookmarks::saved(app, saved),
        Msg::Leave => effects = bookmarks::leaving(app),
        Msg::Mouse(m) => match app.overlay {
            // The boxes are modal: the mouse does not reach the reader under them.
            Some(
                Overlay::NoteEditor(_)
                | Overlay::BookmarkList(_)
                | Overlay::Quotes(_)
                | Overlay::Talk(_),
            ) => {}
            Some(Overlay::Help { .. }) => help_mouse(app, m),
            Some(Overlay::SearchPrompt | Overlay::GoTo(_)) | None => mouse(app, m),
        },
    }
    if by_reader && app.pos != before {
        listen::moved_by_reader(app);
    }
    app.prepare();
    app.dirty = true;
    effects
}

pub(super) fn act(app: &mut App, a: Action) -> Vec<Effect> {
    match a {
        Action::Quit | Action::ForceQuit => {
            let mut effects = bookmarks::before_leaving(app, a == Action::ForceQuit);
            // From the library, quit goes back to it; force quit ends fangtan.
            let back = app.opts.from_library && a == Action::Quit;
            effects.push(if back { Effect::Back } else { Effect::Quit });
            return effects;
        }
        Action::Suspend => {
            let mut effects = bookmarks::before_leaving(app, false);
            // The recording does not play on while the reader is stopped.
            if app.listen.state == super::PlayState::Playing {
                app.listen.state = super::PlayState::Paused;
                effects.push(Effect::Player(super::PlayerCmd::Pause(true)));
            }
            effects.push(Effect::Suspend);
            return effects;
        }
        _ => {}
    }
    let marks_action = matches!(
        a,
        Action::ToggleBookmark
            | Action::EditNote
            | Action::BookmarkList
            | Action::NextBookmark
            | Action::PrevBookmark
            | Action::CopyCitation
    );
    if let Some(l) = app.loading.as_mut()
        && marks_action
    {
        // Bookmarks are read from the store with the whole document.
        l.pending = Some((a, app.pos));
        app.say("bookmarks open once the document is read: waiting");
        return Vec::new();
    }
    if let Some(l) = app.loading.as_mut()
        && matches!(a, Action::QuoteIndex | Action::TalkShare)
    {
        // Quotes and shares are the whole document's. They open wherever the reader is
        // then: asking for them is no move (the saved position is still restored).
        l.overlay = Some(a);
        app.say("opens once the whole document is read: waiting");
        return Vec::new();
    }
    if matches!(
        app.overlay,
        Some(
            Overlay::NoteEditor(_)
                | Overlay::BookmarkList(_)
                | Overlay::Help { .. }
                | Overlay::Quotes(_)
                | Overlay::Talk(_)
        )
    ) {
        // The boxes take their own keys ([`route`](super::route)): reader actions do not
        // reach the reader under them.
        return Vec::new();
    }
    if app.focus == Focus::Outline && outline_act(app, a) {
        return Vec::new();
    }
    let h = app.reader_height().max(1);
    match a {
        Action::LineDown => scroll(app, true, 1),
        Action::LineUp => scroll(app, false, 1),
        Action::PageDown => scroll(app, true, h.saturating_sub(2).max(1)),
        Action::PageUp => scroll(app, false, h.saturating_sub(2).max(1)),
        Action::HalfPageDown => scroll(app, true, (h / 2).max(1)),
        Action::HalfPageUp => scroll(app, false, (h / 2).max(1)),
        Action::Top => app.jump(Pos::TOP),
        Action::Bottom if app.loading.is_some() => miss(app, a, String::new()),
        Action::Bottom => {
            let p = app.end_top();
            app.jump(p);
        }
        Action::NextTurn | Action::PrevTurn => {
            let found = turn_jump(app, a == Action::NextTurn);
            missed(app, a, found);
        }
        Action::NextTurnSameSpeaker | Action::PrevTurnSameSpeaker => {
            let speaker = app.current_turn().map(|t| app.doc.turns[t].speaker());
            match speaker {
                Some(s) => {
                    let found = speaker_jump(app, s, a == Action::NextTurnSameSpeaker);
                    missed(app, a, found);
                }
                None => app.say("no current speaker: move to a turn first"),
            }
        }
        Action::SpeakerTurn(n) => {
            let s = usize::from(n).saturating_sub(1);
            let found = match s < app.doc.speakers.len() && n > 0 {
                true => speaker_jump(app, s, true),
                false => Err(format!("no speaker {n}")),
            };
            missed(app, a, found);
        }
        Action::NextQuote | Action::PrevQuote => {
            let found = quote_jump(app, a == Action::NextQuote);
            missed(app, a, found);
        }
        Action::QuoteIndex => quotes::open(app),
        Action::TalkShare => talk::open(app),
        Action::NextSection | Action::PrevSection => {
            let found = section_jump(app, a == Action::NextSection);
            missed(app, a, found);
        }
        Action::Search => {
            app.search = Some(SearchState { origin: app.pos, ..SearchState::default() });
            app.overlay = Some(Overlay::SearchPrompt);
        }
        Action::NextMatch | Action::PrevMatch => {
            let found = match_step(app, a == Action::NextMatch);
            missed(app, a, found);
        }
        Action::CycleSpeakerFocus => {
            let n = app.doc.speakers.len();
            // The first press focuses the speaker of the passage under the cursor (the one
            // `m` and `y` act on), else the first speaker; each next press the next one,
            // round the list, and focus clears after the last before that first one. Focus
            // set another way starts the round at its speaker.
            let here = app.current_turn().map_or(0, |t| app.doc.turns[t].speaker());
            let first = match (app.focus_speaker, app.focus_cycle) {
                (Some(s), Some((first, last))) if s == last => first,
                (Some(s), _) => s,
                (None, _) => here,
            };
            app.focus_speaker = match app.focus_speaker {
                None if n > 0 => Some(here),
                Some(s) if (s + 1) % n.max(1) != first => Some((s + 1) % n),
                _ => None,
            };
            app.focus_cycle = app.focus_speaker.map(|s| (first, s));
            app.invalidate_all();
            match app.focus_speaker {
                Some(s) => {
                    let name = app.doc.speaker_name(s).to_string();
                    app.say(format!("focus on {name} (s: next speaker, S: clear)"));
                }
                None => app.say("speaker focus cleared"),
            }
        }
        Action::ClearSpeakerFocus => {
            if app.focus_speaker.take().is_some() {
                app.invalidate_all();
                app.say("speaker focus cleared");
            }
        }
        Action::SwitchPane | Action::ToggleOutline if app.outline.entries.is_empty() => {
            app.say("no outline: the document has no sections or turns");
        }
        Action::SwitchPane => {
            if !app.outline_shown() {
                app.outline.shown = Some(true);
                app.focus = Focus::Outline;
            } else {
                app.focus = match app.focus {
                    Focus::Reader => Focus::Outline,
                    Focus::Outline => Focus::Reader,
                };
            }
            app.follow_outline();
        }
        Action::ToggleOutline => {
            let show = !app.outline_shown();
            app.outline.shown = Some(show);
            if !show {
                app.focus = Focus::Reader;
            } else if app.width < NARROW {
                app.focus = Focus::Outline;
            }
            app.follow_outline();
        }
        Action::ToggleTimeline => strip::toggle(app),
        Action::GoToPercent => strip::open_go_to(app),
        Action::Help => app.open(Overlay::Help { top: 0 }),
        Action::Cancel => {
            if app.outline_shown() && app.panes().overlay {
                app.outline.shown = Some(false);
                app.focus = Focus::Reader;
            } else if app.search.is_some() {
                app.end_search();
            } else if app.focus == Focus::Outline {
                app.focus = Focus::Reader;
            } else if app.opts.from_library {
                // Nothing left to close: back to the library it was opened from.
                let mut effects = bookmarks::before_leaving(app, false);
                effects.push(Effect::Back);
                return effects;
            }
        }
        Action::Select => {}
        Action::ToggleBookmark => return bookmarks::toggle(app),
        Action::EditNote => bookmarks::edit_note(app),
        Action::BookmarkList => bookmarks::open_list(app),
        Action::NextBookmark | Action::PrevBookmark => {
            bookmarks::step(app, a == Action::NextBookmark)
        }
        Action::CopyCitation => return bookmarks::copy(app),
        Action::Play
        | Action::PlaySpan
        | Action::StopPlaying
        | Action::SeekBack
        | Action::SeekForward
        | Action::SpeedDown
        | Action::SpeedUp
        | Action::Follow
        | Action::OffsetLater
        | Action::OffsetEarlier => return listen::act(app, a),
        Action::Quit | Action::ForceQuit | Action::Suspend => {}
    }
    Vec::new()
}

/// Keys of the help screen: scroll, close.
fn help_key(app: &mut App, a: HelpAction) {
    let h = app.help_height().max(1);
    let Some(Overlay::Help { top }) = &mut app.overlay else { return };
    *top = match a {
        HelpAction::Close => {
            app.overlay = None;
            return;
        }
        HelpAction::Down => *top + 1,
        HelpAction::Up => top.saturating_sub(1),
        HelpAction::PageDown => *top + h,
        HelpAction::PageUp => top.saturating_sub(h),
        HelpAction::Top => 0,
        HelpAction::Bottom => usize::MAX / 2,
    };
}

/// The mouse over help: the wheel scrolls it, a click closes it.
fn help_mouse(app: &mut App, m: Mouse) {
    let Some(Overlay::Help { top }) = &mut app.overlay else { return };
    match m {
        Mouse::WheelDown { .. } => *top += WHEEL,
        Mouse::WheelUp { .. } => *top = top.saturating_sub(WHEEL),
        Mouse::Click { .. } => app.overlay = None,
    }
}

pub(super) fn scroll(app: &mut App, down: bool, n: usize) {
    app.last_target = None;
    let moved = if down { app.scroll_down(n) } else { app.scroll_up(n) };
    if !moved && down && app.loading.is_some() {
        app.say("the rest of the document is still being read");
    } else if !moved {
        app.say(if down { "end of document" } else { "top of document" });
    }
    app.follow_outline();
}

/// A key typed into a one-line editor (the search prompt, the note editor): whether the
/// text changed; `None` for submit, cancel and the history, which each editor handles
/// itself (the note editor has no history).
pub(super) fn edit_line(edit: &mut crate::lineedit::LineEdit, i: Input) -> Option<bool> {
    let changed = match i {
        Input::Char(c) => {
            edit.insert_char(c);
            true
        }
        Input::Key(EditAction::DeleteBack) => edit.backspace(),
        Input::Key(EditAction::DeleteForward) => edit.delete(),
        Input::Key(EditAction::Left) => {
            edit.left();
            false
        }
        Input::Key(EditAction::Right) => {
            edit.right();
            false
        }
        Input::Key(EditAction::Start) => {
            edit.home();
            false
        }
        Input::Key(EditAction::End) => {
            edit.end();
            false
        }
        Input::Key(
            EditAction::Submit
            | EditAction::Cancel
            | EditAction::HistoryPrev
            | EditAction::HistoryNext,
        ) => return None,
    };
    Some(changed)
}

pub(super) fn mouse(app: &mut App, m: Mouse) {
    let panes = app.panes();
    let over_outline = |col, row| panes.outline.is_some_and(|a| a.contains(col, row));
    match m {
        Mouse::WheelDown { col, row } | Mouse::WheelUp { col, row } => {
            let down = matches!(m, Mouse::WheelDown { .. });
            if over_outline(col, row) {
                app.outline.top = if down {
                    app.outline.top + WHEEL
                } else {
                    app.outline.top.saturating_sub(WHEEL)
                };
            } else if down {
                app.last_target = None;
                app.scroll_down(WHEEL);
                app.follow_outline();
            } else {
                app.last_target = None;
                app.scroll_up(WHEEL);
                app.follow_outline();
            }
        }
        Mouse::Click { col, row } => {
            if let Some(a) = panes.outline.filter(|a| a.contains(col, row)) {
                let r = app.outline.top + usize::from(row - a.y);
                if r < app.outline.rows.len() {
                    select_row(app, r);
                }
            } else if let Some(a) = panes.strip.filter(|a| a.contains(col, row)) {
                strip::click(app, usize::from(row - a.y));
            } else if panes.reader.contains(col, row) {
                if panes.overlay {
                    app.outline.shown = Some(false);
                }
                app.focus = Focus::Reader;
            }
        }
    }
}

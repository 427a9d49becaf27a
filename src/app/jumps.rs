//! Jumps: to a position, and to the next or previous turn, speaker's turn, quote or
//! section.
//!
//! Public surface: none outside `app`. `update` calls these; each returns `Err` with what was
//! not found, which [`missed`] tells (or, while a big document loads, keeps for later).

use crate::doc::SpeakerId;
use crate::keymap::Action;

use super::state::Start;
use super::view::{LineKey, Pos};
use super::{App, SearchState};

impl App {
    /// Move the reading position to `pos` and let the outline follow.
    pub(super) fn jump(&mut self, pos: Pos) {
        self.pos = pos;
        self.last_target = None;
        self.follow_outline();
    }

    /// Jump to a passage inside an item, showing it with context: from the item's start
    /// when that is near, else two lines above it.
    pub(super) fn jump_into(&mut self, target: Pos) {
        let start = Pos { vi: target.vi, key: LineKey::lead(0) };
        let at = self.locate(target);
        let near = (self.reader_height() / 3).max(1);
        self.pos = if at.piece == 0 && at.idx <= near { start } else { self.step_up(target, 2).0 };
        self.last_target = Some(target);
        self.follow_outline();
    }

    /// Open at the command line's starting position ([`Start`]), if any: the N-th turn
    /// (the last when there are fewer), or the first match of a search, which stays for
    /// `n` and `N`. What cannot be found is said in the status line.
    pub(super) fn go_to_start(&mut self) {
        let Some(start) = self.opts.start.clone() else { return };
        self.start_short = false;
        match start {
            Start::Turn(n) => {
                let count = self.doc.turns.len();
                let Some(last) = count.checked_sub(1) else {
                    return self.say("no turns: opened at the top");
                };
                self.start_short = n > count;
                let t = n.saturating_sub(1).min(last);
                self.jump(Pos::item(self.doc.turns[t].item()));
                if n > count {
                    let s = if count == 1 { "" } else { "s" };
                    self.say(format!("only {count} turn{s}: opened at the last"));
                }
            }
            Start::Search(query) => self.open_at_match(&query, None),
            Start::Match { query, item, block, at } => {
                self.open_at_match(&query, Some((item, block, at)));
            }
        }
    }

    /// Open with `query` searched, at its match at (item, block, byte) when given (else
    /// the first one after it), or at its first match: the search stays for `n` and `N`.
    fn open_at_match(&mut self, query: &str, at: Option<(usize, usize, usize)>) {
        let matches = crate::search::find_all(&self.doc, query);
        let current = match at {
            Some(at) => matches.partition_point(|m| (m.item, m.block, m.range.start) < at),
            None => 0,
        };
        self.start_short = at.is_some() && current == matches.len();
        let current = current.min(matches.len().saturating_sub(1));
        let Some(pos) = matches.get(current).map(super::search::match_pos) else {
            return self.say(format!("not found: {query}"));
        };
        self.search = Some(SearchState {
            edit: crate::lineedit::LineEdit::with_text(query).with_ambiguous(self.opts.ambiguous),
            matches,
            current: Some(current),
            ..SearchState::default()
        });
        self.jump(pos);
    }

    /// Where relative jumps count from: the last exact target, else the top line.
    pub(super) fn here(&self) -> Pos {
        self.last_target.unwrap_or(self.pos)
    }
}

/// The jumps: `Err` says what was not found (see [`missed`]).
pub(super) fn turn_jump(app: &mut App, next: bool) -> Result<(), String> {
    let word = if next { "next" } else { "previous" };
    if let Some(s) = app.focus_speaker {
        let name = app.doc.speaker_name(s).to_string();
        let found = pick_sorted(
            app,
            app.doc.turns_of(s),
            |app, t| Pos::item(app.doc.turns[t].item()),
            next,
        );
        let p = found.ok_or_else(|| format!("no {word} turn by {name}"))?;
        app.jump(p);
        return Ok(());
    }
    if app.doc.turns.is_empty() && !app.outline.parts.is_empty() {
        // Captions without speakers: their time-based parts stand in for turns.
        let target = pick_slice(app, &app.outline.parts, |_, &i| Pos::item(i as usize), next);
        app.jump(target.ok_or_else(|| format!("no {word} part"))?);
        return Ok(());
    }
    let target = pick_slice(app, &app.doc.turns, |_, t| Pos::item(t.item()), next);
    let p = target.ok_or_else(|| format!("no {word} turn"))?;
    app.jump(p);
    Ok(())
}

/// Binary search in a sorted list of ids whose positions increase with the id.
pub(super) fn pick_sorted(
    app: &App,
    ids: &[u32],
    at: impl Fn(&App, usize) -> Pos,
    next: bool,
) -> Option<Pos> {
    let here = app.here();
    if next {
        let i = ids.partition_point(|&t| at(app, t as usize) <= here);
        ids.get(i).map(|&t| at(app, t as usize))
    } else {
        let i = ids.partition_point(|&t| at(app, t as usize) < here);
        i.checked_sub(1).map(|i| at(app, ids[i] as usize))
    }
}

pub(super) fn speaker_jump(app: &mut App, s: SpeakerId, next: bool) -> Result<(), String> {
    let found =
        pick_sorted(app, app.doc.turns_of(s), |app, t| Pos::item(app.doc.turns[t].item()), next);
    let word = if next { "next" } else { "previous" };
    let name = app.doc.speaker_name(s);
    let p = found.ok_or_else(|| format!("no {word} turn by {name}"))?;
    app.jump(p);
    Ok(())
}

pub(super) fn quote_jump(app: &mut App, next: bool) -> Result<(), String> {
    let found = pick_slice(
        app,
        &app.doc.quotes,
        |app, q| Pos::text(app.doc.turns[q.turn].item(), q.block, q.range.start),
        next,
    );
    let p = found.ok_or(if next { "no next quote" } else { "no previous quote" })?;
    app.jump_into(p);
    Ok(())
}

pub(super) fn section_jump(app: &mut App, next: bool) -> Result<(), String> {
    let found = pick_slice(app, &app.doc.sections, |_, s| Pos::item(s.item), next);
    let p = found.ok_or(if next { "no next section" } else { "no previous section" })?;
    app.jump(p);
    Ok(())
}

/// Binary search in a list in document order: the first entry after the reading position,
/// or the last before it.
pub(super) fn pick_slice<T>(
    app: &App,
    list: &[T],
    at: impl Fn(&App, &T) -> Pos,
    next: bool,
) -> Option<Pos> {
    let here = app.here();
    if next {
        let i = list.partition_point(|x| at(app, x) <= here);
        list.get(i).map(|x| at(app, x))
    } else {
        let i = list.partition_point(|x| at(app, x) < here);
        i.checked_sub(1).map(|i| at(app, &list[i]))
    }
}

/// What a jump for `a` found: nothing found is told ([`miss`]).
pub(super) fn missed(app: &mut App, a: Action, found: Result<(), String>) {
    if let Err(text) = found {
        miss(app, a, text);
    }
}

/// A jump found nothing. While a big document is still loading the target may lie in the
/// part not read yet: the jump, as asked, waits for it, and the status line says so.
pub(super) fn miss(app: &mut App, a: Action, text: String) {
    match app.loading.as_mut() {
        Some(l) => {
            l.pending = Some((a, app.pos));
            app.say("not indexed yet: will jump when the document is read");
        }
        None => app.say(text),
    }
}

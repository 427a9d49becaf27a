//! The quote index (`"`): every quote of the document with its speaker and section, in
//! document order, or, once a filter is typed, the quotes it matches best first
//! ([`crate::fuzzy`], CJK-aware). Enter jumps to the selected quote, as `]` would land on
//! it (so `y` in the reader then copies it); `y` copies it as a citation from the list,
//! the reader's own citation ([`super::bookmarks`]), with the time of its paragraph in a
//! timed transcript.
//!
//! Public surface: [`QuoteIndex`] (the overlay's state: filter, matches, selection),
//! [`QUOTE_ROWS`], [`quotes_area`] (its box) and the `App` methods drawing reads
//! (`quote_index`, `quotes_page`). Pure: `update` calls [`open`], [`key`], [`input`] and
//! [`paste`]; copying returns [`Effect::Copy`].

use crate::keymap::{EditAction, QuoteAction};
use crate::lineedit::LineEdit;

use super::{App, Area, Effect, Input, Overlay, Pos};

/// Rows one quote takes in the list: the quote, then its speaker, section and time.
pub const QUOTE_ROWS: usize = 2;

/// The quote index overlay.
#[derive(Debug, Clone)]
pub struct QuoteIndex {
    /// The filter typed.
    pub filter: LineEdit,
    /// Keys are text of the filter (after `/`).
    pub typing: bool,
    /// The quotes listed (indices into `Document::quotes`): every quote in document order,
    /// or the filter's matches, best first.
    pub shown: Vec<u32>,
    /// Selected entry (index into `shown`), and the first entry shown.
    pub sel: usize,
    pub top: usize,
}

/// Where the quote index draws: most of the screen, up to 100 columns wide.
pub fn quotes_area(width: u16, height: u16) -> Area {
    panel_area(width, height, |body_h| body_h.saturating_sub(2).max(body_h.min(8)))
}

/// A panel over the screen (the quote index, the talk shares): centred above the status
/// line, up to 100 columns wide, as tall as `height_of` the body's height says (at most
/// that height).
pub(super) fn panel_area(width: u16, height: u16, height_of: impl FnOnce(u16) -> u16) -> Area {
    let body_h = height.saturating_sub(1);
    let w = width.saturating_sub(4).min(100).max(width.min(20));
    let h = height_of(body_h).min(body_h);
    Area { x: (width - w) / 2, y: (body_h - h) / 2, width: w, height: h }
}

impl App {
    /// The quote index, when it is the overlay.
    pub fn quote_index(&self) -> Option<&QuoteIndex> {
        match &self.overlay {
            Some(Overlay::Quotes(q)) => Some(q),
            _ => None,
        }
    }

    fn quote_index_mut(&mut self) -> Option<&mut QuoteIndex> {
        match &mut self.overlay {
            Some(Overlay::Quotes(q)) => Some(q),
            _ => None,
        }
    }

    /// Quotes the index shows at once: inside its frame, below the filter line and above
    /// the hints.
    pub fn quotes_page(&self) -> usize {
        let a = quotes_area(self.width, self.height);
        (usize::from(a.height.saturating_sub(4)) / QUOTE_ROWS).max(1)
    }

    /// What quote `q` is matched on: its text, its speaker and its section.
    fn quote_haystack(&self, q: usize) -> String {
        let doc = &self.doc;
        let Some(quote) = doc.quotes.get(q) else { return String::new() };
        let turn = &doc.turns[quote.turn];
        let section = doc.section_title(turn.section()).unwrap_or("");
        format!("{} {} {section}", doc.quote_text(quote), doc.speaker_name(turn.speaker()))
    }

    /// Where quote `q` is in the reading pane.
    pub(super) fn quote_pos(&self, q: usize) -> Option<Pos> {
        let quote = self.doc.quotes.get(q)?;
        let item = self.doc.turns.get(quote.turn)?.item();
        Some(Pos::text(item, quote.block, quote.range.start))
    }

    /// Scroll the list so the selection is in view.
    pub(super) fn reveal_quote(&mut self) {
        let page = self.quotes_page();
        if let Some(l) = self.quote_index_mut() {
            if l.sel < l.top {
                l.top = l.sel;
            } else if l.sel >= l.top + page {
                l.top = l.sel + 1 - page;
            }
        }
    }

    /// List the quotes the filter matches, best first, and select the best.
    fn refilter(&mut self) {
        let Some(query) = self.quote_index().map(|l| l.filter.text().to_string()) else {
            return;
        };
        let all = 0..self.doc.quotes.len();
        let shown: Vec<u32> = crate::fuzzy::filter(&query, all, |&q| self.quote_haystack(q))
            .into_iter()
            .map(|(q, _)| crate::doc::narrow(q))
            .collect();
        if let Some(l) = self.quote_index_mut() {
            l.shown = shown;
            l.sel = 0;
            l.top = 0;
        }
    }
}

/// `"`: open the index with the first quote at or after the reading position selected.
pub(super) fn open(app: &mut App) {
    let here = app.here();
    let n = app.doc.quotes.len();
    let sel = (0..n).find(|&q| app.quote_pos(q).is_some_and(|p| p >= here)).unwrap_or(0);
    let filter = LineEdit::default().with_ambiguous(app.opts.ambiguous);
    let shown = (0..n).map(crate::doc::narrow).collect();
    let top = sel.saturating_sub(1);
    app.open(Overlay::Quotes(QuoteIndex { filter, typing: false, shown, sel, top }));
    app.reveal_quote();
}

/// Keys of the quote index: move, jump, copy, filter, close.
pub(super) fn key(app: &mut App, a: QuoteAction) -> Vec<Effect> {
    let page = app.quotes_page();
    let Some(l) = app.quote_index() else { return Vec::new() };
    let (sel, n) = (l.sel, l.shown.len());
    let last = n.saturating_sub(1);
    let moved = match a {
        QuoteAction::Down => (sel + 1).min(last),
        QuoteAction::Up => sel.saturating_sub(1),
        QuoteAction::PageDown => (sel + page).min(last),
        QuoteAction::PageUp => sel.saturating_sub(page),
        QuoteAction::Top => 0,
        QuoteAction::Bottom => last,
        QuoteAction::Close => {
            app.overlay = None;
            return Vec::new();
        }
        QuoteAction::Filter => {
            if let Some(l) = app.quote_index_mut() {
                l.typing = true;
            }
            return Vec::new();
        }
        QuoteAction::Open => {
            jump(app);
            return Vec::new();
        }
        QuoteAction::Copy => return copy(app),
    };
    if let Some(l) = app.quote_index_mut() {
        l.sel = moved;
    }
    app.reveal_quote();
    Vec::new()
}

/// The selected quote (an index into `Document::quotes`).
fn selected(app: &App) -> Option<usize> {
    let l = app.quote_index()?;
    l.shown.get(l.sel).map(|&q| q as usize)
}

/// Enter: close the index and land on the selected quote as `]` would.
fn jump(app: &mut App) {
    let Some(q) = selected(app) else {
        app.say("no quote selected");
        return;
    };
    app.overlay = None;
    let Some(pos) = app.quote_pos(q) else { return };
    app.jump_into(pos);
    let doc = &app.doc;
    let turn = &doc.turns[doc.quotes[q].turn];
    let mut ctx = vec![doc.speaker_name(turn.speaker()).to_string()];
    ctx.extend(doc.section_title(turn.section()).map(str::to_string));
    app.say(format!("quote {}/{} · {}", q + 1, doc.quotes.len(), ctx.join(", ")));
}

/// `y`: the selected quote as a citation, for the event loop to put on the clipboard.
fn copy(app: &mut App) -> Vec<Effect> {
    let Some(text) = selected(app).and_then(|q| super::bookmarks::quote_citation(app, q)) else {
        app.say("no quote selected");
        return Vec::new();
    };
    let chars = text.chars().count();
    app.say(format!("copied the quote as a citation ({chars} characters, OSC 52)"));
    vec![Effect::Copy(text)]
}

/// Keys typed into the filter (the search prompt's table): text filters as it is typed;
/// Up and Down select; Enter jumps; Esc stops typing and keeps the filter.
pub(super) fn input(app: &mut App, i: Input) -> Vec<Effect> {
    let Some(l) = app.quote_index_mut() else { return Vec::new() };
    match super::update::edit_line(&mut l.filter, i) {
        Some(true) => app.refilter(),
        Some(false) => {}
        None => match i {
            Input::Key(EditAction::Submit) => jump(app),
            Input::Key(EditAction::Cancel) => l.typing = false,
            Input::Key(EditAction::HistoryPrev) => return key(app, QuoteAction::Up),
            Input::Key(EditAction::HistoryNext) => return key(app, QuoteAction::Down),
            _ => {}
        },
    }
    Vec::new()
}

/// Text pasted (or committed by an input method) into the filter.
pub(super) fn paste(app: &mut App, text: &str) {
    if let Some(l) = app.quote_index_mut()
        && l.typing
    {
        // One line: a pasted line break would be no part of a quote's words.
        l.filter.insert(&text.replace(['\n', '\r'], " "));
        app.refilter();
    }
}

//! The talk-share panel (`i`): who talks how much, as bars. Its numbers are
//! [`crate::talk`]'s (the same as `fangtan speakers` prints), counted the first time the
//! panel opens and kept in [`App::talk`] for every later opening (counting a huge document
//! takes long), so drawing only reads them; the speakers are listed by share, largest
//! first.
//!
//! Public surface: [`TalkPanel`] (the overlay's state), [`talk_area`] (its box), [`FOOTER_ROWS`]
//! and the `App` methods drawing reads (`talk_panel`, `talk_page`). Pure: `update` calls
//! [`open`], [`key`] and [`fit`] (on a resize).

use std::sync::Arc;

use crate::keymap::TalkAction;
use crate::talk::Talk;

use super::{App, Area, Overlay};

/// Rows under the speakers: the rule the shares follow (wrapped), at most.
pub const FOOTER_ROWS: usize = 3;

/// The talk-share panel overlay.
#[derive(Debug, Clone)]
pub struct TalkPanel {
    /// The document's shares: [`App::talk`]'s.
    pub talk: Arc<Talk>,
    /// Indices into `talk.speakers`, largest share first (ties in order of appearance).
    pub order: Vec<usize>,
    /// The first speaker shown (an index into `order`).
    pub top: usize,
}

/// Where the panel draws: up to 100 columns wide, as tall as its speakers need.
pub fn talk_area(width: u16, height: u16, speakers: usize) -> Area {
    // Frame, column heads, a blank row and the footer.
    let want = u16::try_from(speakers + 4 + FOOTER_ROWS).unwrap_or(u16::MAX);
    super::quotes::panel_area(width, height, |_| want)
}

impl App {
    /// The talk-share panel, when it is the overlay.
    pub fn talk_panel(&self) -> Option<&TalkPanel> {
        match &self.overlay {
            Some(Overlay::Talk(t)) => Some(t),
            _ => None,
        }
    }

    /// Speakers the panel shows at once.
    pub fn talk_page(&self) -> usize {
        let n = self.talk_panel().map_or(0, |t| t.order.len());
        let a = talk_area(self.width, self.height, n);
        usize::from(a.height).saturating_sub(4 + FOOTER_ROWS).max(1)
    }
}

/// `i`: count who talks how much, and show it.
pub(super) fn open(app: &mut App) {
    if app.doc.speakers.is_empty() {
        app.say("no speakers: the document has no turns");
        return;
    }
    let talk = Arc::clone(app.talk.get_or_insert_with(|| Arc::new(Talk::of(&app.doc))));
    let mut order: Vec<usize> = (0..talk.speakers.len()).collect();
    order.sort_by(|&a, &b| talk.speakers[b].share.total_cmp(&talk.speakers[a].share));
    app.open(Overlay::Talk(TalkPanel { talk, order, top: 0 }));
}

/// Keep the panel's first speaker where the page below it is full (after a resize, a
/// taller screen shows more speakers: no blank rows under the last).
pub(super) fn fit(app: &mut App) {
    let page = app.talk_page();
    if let Some(Overlay::Talk(t)) = &mut app.overlay {
        t.top = t.top.min(t.order.len().saturating_sub(page));
    }
}

/// Keys of the panel: scroll, close.
pub(super) fn key(app: &mut App, a: TalkAction) {
    let page = app.talk_page();
    let Some(Overlay::Talk(t)) = &mut app.overlay else { return };
    let last = t.order.len().saturating_sub(page);
    t.top = match a {
        TalkAction::Close => {
            app.overlay = None;
            return;
        }
        TalkAction::Down => t.top + 1,
        TalkAction::Up => t.top.saturating_sub(1),
        TalkAction::PageDown => t.top + page,
        TalkAction::PageUp => t.top.saturating_sub(page),
        TalkAction::Top => 0,
        TalkAction::Bottom => last,
    }
    .min(last);
}

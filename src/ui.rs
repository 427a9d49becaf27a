//! Stage 4, the last step: the [`App`] state drawn into a ratatui frame. Drawing only reads
//! state (`update` has already laid out what is on screen). Every character goes through
//! [`put`], which measures with [`crate::width`], clips to the pane and never writes a
//! control character, so no document byte reaches the terminal as an escape sequence (the
//! timeline strip's glyphs, the program's own and one cell each, are set directly).
//! Panes and overlays are placed on the frame's own area, never at the size the app last
//! heard of (a key can come before the event telling of a resize), and every cell is
//! written through a bounds check, so a frame of any size is drawn without a panic.
//! Every colour drawn is the resolved configuration's ([`Theme`]); none is written here.
//!
//! One file a pane, each pane a ratatui `Widget` ([`ReaderPane`], [`OutlinePane`],
//! [`StripPane`], [`StatusLine`]) built on the cell primitives of `cells`; one file an overlay (`help`,
//! `list`, `note`, `quotes`, `talk`), drawn over the panes in the order the app's one
//! overlay says; `theme` holds the colours. The library screen, a screen of its own, is
//! drawn by [`draw_library`] (`library`). Public surface: [`draw`], [`draw_linked`]
//! (which also lists the links on screen, [`Link`], for the terminal edge's OSC 8),
//! [`draw_buffer`], the panes, [`Theme`], [`put`] and [`MARK`], and [`draw_library`].

use std::num::NonZeroU16;
use std::ops::Range;

use ratatui::Frame;
use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Widget;
use unicode_segmentation::UnicodeSegmentation;

use crate::app::bookmarks::ENTRY_ROWS;
use crate::app::stats::format_left;
use crate::app::{
    App, Area, EntryKind, Focus, GUTTER, IMAGE_PREFIX, LineKind, Overlay, Panes, PlayState,
    QUOTE_ROWS, help_area, image_line, list_area, meta_line, note_area, panes, quotes_area,
    talk_area,
};
use crate::config::{ColorDepth, Palette, ResolvedTheme};
use crate::doc::{Block, BlockKind, Style as Inline};
use crate::keymap::{EditAction, HelpAction, ListAction, QuoteAction, TalkAction};
use crate::width::{AmbiguousWidth, first_words, grapheme_width, str_width, truncate};

mod cells;
mod help;
mod library;
mod list;
mod note;
mod outline;
mod quotes;
mod reader;
mod status;
mod strip;
mod talk;
mod theme;

#[allow(clippy::wildcard_imports)]
use cells::*;
pub use cells::{MARK, put};
use help::draw_help;
pub use library::draw_library;
use list::draw_bookmark_list;
use note::{draw_note, note_cursor, note_hints};
pub use outline::OutlinePane;
use quotes::{draw_quotes, quotes_cursor};
pub use reader::{Link, ReaderPane};
pub use status::StatusLine;
pub use strip::StripPane;
use talk::draw_talk;
pub use theme::Theme;
use theme::{inline_style, speaker_style};

/// An area of a screen laid out from (0, 0), placed on `screen`.
fn place(screen: Rect, a: Area) -> Area {
    Area { x: screen.x.saturating_add(a.x), y: screen.y.saturating_add(a.y), ..a }
}
/// The panes on `screen`. Geometry is taken from what is drawn into, never from the size
/// the app last heard of: a key can arrive before the event telling of a shrunk terminal,
/// and the old size would put the panes and overlays off the screen.
fn screen_panes(app: &App, screen: Rect) -> Panes {
    let p = panes(screen.width, screen.height, app.outline_shown(), app.strip.shown, &app.opts);
    Panes {
        outline: p.outline.map(|a| place(screen, a)),
        strip: p.strip.map(|a| place(screen, a)),
        reader: place(screen, p.reader),
        status: place(screen, p.status),
        ..p
    }
}
/// Draw the whole screen, at the frame's size.
pub fn draw(frame: &mut Frame<'_>, app: &App) {
    draw_linked(frame, app);
}
/// [`draw`], and list the links on screen for the terminal edge to make clickable (none
/// while an overlay is open: it may cover them; none of their cells under the outline
/// floating over the reading pane, nor outside that pane).
pub fn draw_linked<'a>(frame: &mut Frame<'_>, app: &'a App) -> Vec<Link<'a>> {
    let theme = Theme::of(app);
    let screen = frame.area();
    let links = draw_buffer_linked(frame.buffer_mut(), app, &theme);
    // The terminal cursor sits in the note or filter being typed, where an input method
    // puts its candidate window.
    if let Some((x, y)) = note_cursor(app, screen).or_else(|| quotes_cursor(app, screen)) {
        frame.set_cursor_position((x, y));
    }
    links
}
/// Draw into a buffer, at the buffer's size (what [`draw`] does; benches and tests call it
/// directly). Any size is drawn, one smaller than the app's state included: rows and
/// overlays that do not fit are cut.
pub fn draw_buffer(buf: &mut Buffer, app: &App, theme: &Theme) {
    draw_buffer_linked(buf, app, theme);
}
fn draw_buffer_linked<'a>(buf: &mut Buffer, app: &'a App, theme: &Theme) -> Vec<Link<'a>> {
    if buf.area.width == 0 || buf.area.height == 0 {
        return Vec::new();
    }
    let panes = screen_panes(app, buf.area);
    let mut links = reader::draw_reader_linked(buf, app, theme, rect(panes.reader));
    if let Some(s) = panes.strip {
        StripPane { app, theme }.render(rect(s), buf);
    }
    if let Some(o) = panes.outline {
        OutlinePane { app, theme, overlay: panes.overlay }.render(rect(o), buf);
    }
    StatusLine { app, theme }.render(rect(panes.status), buf);
    match app.overlay {
        Some(Overlay::Help { .. }) => draw_help(buf, app, theme),
        Some(Overlay::BookmarkList(_)) => draw_bookmark_list(buf, app, theme),
        Some(Overlay::NoteEditor(_)) => draw_note(buf, app, theme),
        Some(Overlay::Quotes(_)) => draw_quotes(buf, app, theme),
        Some(Overlay::Talk(_)) => draw_talk(buf, app, theme),
        Some(Overlay::SearchPrompt | Overlay::GoTo(_)) | None => {}
    }
    if !matches!(app.overlay, Some(Overlay::SearchPrompt) | None) {
        links.clear();
    }
    // A link keeps only its cells of the reading pane that nothing covers: not the
    // outline floating over it on a narrow screen, nor the strip beside it.
    let covers = panes.outline.filter(|_| panes.overlay);
    uncovered(&mut links, panes.reader, covers);
    links
}

/// Cut `links` to their cells inside `pane` and outside `cover`.
fn uncovered(links: &mut Vec<Link<'_>>, pane: Area, cover: Option<Area>) {
    let cols = |a: Area| (u32::from(a.x), u32::from(a.x) + u32::from(a.width));
    let rows = |a: Area| u32::from(a.y)..u32::from(a.y) + u32::from(a.height);
    let (left, right) = cols(pane);
    let mut out = Vec::with_capacity(links.len());
    for l in links.drain(..) {
        if !rows(pane).contains(&u32::from(l.y)) {
            continue;
        }
        let (x, end) = (u32::from(l.x).max(left), (u32::from(l.x) + u32::from(l.width)).min(right));
        // What is left of the cells either side of the cover, on its rows.
        let parts = match cover.filter(|c| rows(*c).contains(&u32::from(l.y))).map(cols) {
            Some((c0, c1)) => [(x, end.min(c0)), (x.max(c1), end)],
            None => [(x, end), (end, end)],
        };
        for (a, z) in parts {
            if a < z {
                // Both within the pane's u16 columns.
                let (a16, z16) = (a as u16, z as u16);
                out.push(Link { x: a16, width: z16 - a16, ..l });
            }
        }
    }
    *links = out;
}

fn rect(a: Area) -> Rect {
    Rect { x: a.x, y: a.y, width: a.width, height: a.height }
}

fn area(r: Rect) -> Area {
    Area { x: r.x, y: r.y, width: r.width, height: r.height }
}

//! Where things go on the screen, terminal-independent.
//!
//! Public surface: [`Area`] (a rectangle), [`Panes`] and [`panes`] (the outline, reading pane,
//! timeline strip and status line for a screen size), the overlays' boxes ([`help_area`],
//! [`list_area`], [`note_area`]), the constants [`NARROW`], [`GUTTER`] and [`STRIP`], and the
//! `App` methods that measure its panes (text width, pane heights, help and list pages).
//! The strip's columns are taken from the reading pane, so the text's width and the
//! mouse's map both leave them out.

use super::bookmarks::ENTRY_ROWS;
use super::{App, Options};

/// Below this many columns the outline hides by default and opens as an overlay.
pub const NARROW: u16 = 70;

/// Cells left of the text: passage cursor, bookmark mark.
pub const GUTTER: u16 = 2;

/// Columns of the timeline strip: the reading position and window, then the speaker cell.
pub const STRIP: u16 = 2;

/// The narrowest reading pane that gives columns to the strip.
const STRIP_MIN_READER: u16 = 24;

/// A screen rectangle (terminal-independent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Area {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub height: u16,
}

impl Area {
    pub fn contains(self, col: u16, row: u16) -> bool {
        col >= self.x && col - self.x < self.width && row >= self.y && row - self.y < self.height
    }
}

/// Where each pane goes on a screen of a given size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Panes {
    /// The outline, when shown (its last column is the divider).
    pub outline: Option<Area>,
    /// The outline floats over the reading pane (narrow screens).
    pub overlay: bool,
    pub reader: Area,
    /// The timeline strip, when shown: at the reading pane's right edge, outside it.
    pub strip: Option<Area>,
    pub status: Area,
}

impl App {
    /// The outline has a pane: shown by the user or by a wide screen, and not empty (a
    /// document with no sections and no turns gives the reading pane the whole width).
    pub fn outline_shown(&self) -> bool {
        !self.outline.entries.is_empty() && self.outline.shown.unwrap_or(self.width >= NARROW)
    }

    pub fn panes(&self) -> Panes {
        panes(self.width, self.height, self.outline_shown(), self.strip.shown, &self.opts)
    }

    /// Width of the reading text column, in cells.
    pub fn text_width(&self) -> usize {
        let r = self.panes().reader;
        usize::from(r.width.saturating_sub(GUTTER + 1)).clamp(1, self.opts.max_text_width.max(1))
    }

    pub fn reader_height(&self) -> usize {
        usize::from(self.panes().reader.height)
    }

    pub(super) fn outline_height(&self) -> usize {
        self.panes().outline.map(|a| usize::from(a.height)).unwrap_or(0)
    }

    /// Rows the help overlay lists: every binding, a blank row, the mouse note (two) and
    /// the timeline strip's key (two).
    pub fn help_lines(&self) -> usize {
        // The listening line and a blank, the bindings, a blank, the mouse note and the
        // strip's key (two each).
        self.opts.keys.reader.bindings().len() + 7
    }

    /// Bookmarks the list shows at once.
    pub fn list_page(&self) -> usize {
        let a = list_area(self.width, self.height);
        // Frame (2 rows) and the hint line.
        (usize::from(a.height.saturating_sub(3)) / ENTRY_ROWS).max(1)
    }

    /// Rows of the help overlay available for bindings (inside its frame).
    pub fn help_height(&self) -> usize {
        usize::from(help_area(self.width, self.height).height.saturating_sub(2))
    }
}

/// Geometry of the panes for a screen size, with the timeline strip (when `strip` and the
/// reading pane is wide enough) cut from the reading pane's right edge.
pub fn panes(width: u16, height: u16, outline_shown: bool, strip: bool, opts: &Options) -> Panes {
    let mut p = text_panes(width, height, outline_shown, opts);
    if strip && p.reader.width >= STRIP_MIN_READER {
        p.reader.width -= STRIP;
        p.strip = Some(Area { x: p.reader.x + p.reader.width, width: STRIP, ..p.reader });
    }
    p
}

/// The panes without the strip.
fn text_panes(width: u16, height: u16, outline_shown: bool, opts: &Options) -> Panes {
    let body_h = height.saturating_sub(1);
    let status = Area { x: 0, y: body_h, width, height: height.min(1) };
    let full = Area { x: 0, y: 0, width, height: body_h };
    if !outline_shown || width == 0 {
        return Panes { outline: None, overlay: false, reader: full, strip: None, status };
    }
    let pct = u32::from(width) * u32::from(opts.outline_percent.min(100)) / 100;
    let ow = (pct as u16).min(opts.outline_max).max(12).min(width);
    if width < NARROW {
        let ow = ow.max(width * 3 / 4).min(width);
        let outline = Area { x: 0, y: 0, width: ow, height: body_h };
        return Panes { outline: Some(outline), overlay: true, reader: full, strip: None, status };
    }
    let outline = Area { x: 0, y: 0, width: ow, height: body_h };
    let reader = Area { x: ow, y: 0, width: width - ow, height: body_h };
    Panes { outline: Some(outline), overlay: false, reader, strip: None, status }
}

/// Where the help overlay goes.
pub fn help_area(width: u16, height: u16) -> Area {
    let body_h = height.saturating_sub(1);
    let w = width.min(64);
    let h = body_h.min(30);
    Area { x: (width - w) / 2, y: (body_h - h) / 2, width: w, height: h }
}

/// Where the bookmark list and the note editor draw: the list like help, the editor a short
/// box in the middle.
pub fn list_area(width: u16, height: u16) -> Area {
    help_area(width, height)
}

pub fn note_area(width: u16, height: u16) -> Area {
    let body_h = height.saturating_sub(1);
    let w = width.saturating_sub(4).min(64);
    let h = body_h.min(6);
    Area { x: (width - w) / 2, y: (body_h - h) / 2, width: w, height: h }
}

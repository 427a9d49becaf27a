//! The terminal edge of stage 4, the bytes of a frame: a ratatui [`Backend`] that turns the
//! cells ratatui's buffer diff hands it into terminal output, lean, and writes each frame in
//! one piece inside a synchronized update (DEC private mode 2026; terminals without it
//! ignore the mode).
//!
//! Invariant: the screen shows what the buffer holds, exactly as with ratatui's own
//! crossterm backend, in fewer bytes. The backend knows where the cursor lands after each
//! symbol it prints and moves it only where it is not already (a row's wide characters then
//! go out back to back); it trusts a symbol's width only where every terminal agrees on it
//! (one code point of width 1, or a CJK character of width 2, measured by [`crate::width`]),
//! and after anything else (emoji, clusters, forced widths) the next symbol is placed
//! explicitly. Each frame starts from an explicit move, with the style the last one reset
//! to. Colours and attributes change only where they differ, in one SGR sequence each.
//! The cells of a symbol's span that the diff sends (the trailing cell of an emoji with VS16)
//! are written before the symbol, which then covers them on every terminal that draws it
//! wide. Nothing reaches the terminal before [`Backend::flush`], so a frame cut short by an
//! error or a panic is never half-written; a failed write still tries to end the update.
//!
//! Hyperlinks: ratatui's cells carry no link, so the frame's links come beside it. The
//! drawing code offers them through a [`LinkSlot`] before ratatui hands over the frame's
//! cells, and the cells the diff sends inside a link go out between an OSC 8 open
//! (`ESC ] 8 ; ; URL ESC \`) and close (`ESC ] 8 ; ; ESC \`), written once.
//! [`LeanBackend::hyperlinks`] then completes the frame: the backend remembers the links it
//! sent, and writes again, outside any link, the cells of one the frame no longer has there
//! (gone, moved, another target: the diff does not resend a cell whose symbol and style
//! stayed, and the terminal would keep its old target), and inside its link the cells of a
//! new one the diff did not send; a full clear forgets them. Links not offered before the
//! frame have all their cells written again. So a cell is a link exactly where the last
//! frame has one. Only the schemes
//! [`crate::parse::inline::link_scheme`] allows (`http`, `https`, `mailto`) go out, as
//! printable ASCII (anything else percent-encoded) of at most [`MAX_URL`] bytes
//! ([`sanitize_url`], which refuses a longer target before encoding it): a document's
//! target can never end the sequence or start another.

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::rc::Rc;

use crossterm::cursor::{Hide, Show};
use crossterm::queue;
use crossterm::style::Colored;
use crossterm::terminal::{BeginSynchronizedUpdate, Clear, EndSynchronizedUpdate};
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use ratatui::backend::{Backend, ClearType, IntoCrossterm, WindowSize};
use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth};
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

use crate::parse::inline::link_scheme_ok;
use crate::width::{AmbiguousWidth, grapheme_width};

/// The longest link target sent as a hyperlink; a longer one is only shown.
pub use crate::parse::inline::MAX_URL;

/// Bytes a target sent to the terminal has percent-encoded: controls, space, and (by
/// `utf8_percent_encode`) every byte outside ASCII.
const UNSAFE: &AsciiSet = &CONTROLS.add(b' ');

/// A link target as the terminal may be sent it: `http`, `https` or `mailto` only, made
/// printable ASCII (controls, spaces and non-ASCII percent-encoded), at most [`MAX_URL`]
/// bytes; `None` for anything else.
pub fn sanitize_url(url: &str) -> Option<String> {
    // Refused before any encoding: a target of megabytes costs nothing a frame.
    if !link_scheme_ok(url) {
        return None;
    }
    let clean = utf8_percent_encode(url, UNSAFE).to_string();
    (clean.len() <= MAX_URL).then_some(clean)
}

/// A run of cells of the frame just drawn that shows a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hyperlink<'a> {
    pub x: u16,
    pub y: u16,
    pub width: u16,
    pub url: &'a str,
}

/// A link as sent: its cells (`x`, `y`, `width`) and its sanitized target.
type Sent = (u16, u16, u16, String);

/// Where the drawing code leaves the links of the frame it is drawing, for the backend to
/// write their cells inside them as the diff sends them (see the module doc). Shared with
/// the backend it came from ([`LeanBackend::link_slot`]).
#[derive(Debug, Clone, Default)]
pub struct LinkSlot(Rc<RefCell<Vec<Sent>>>);

impl LinkSlot {
    /// The links of the frame being drawn; targets [`sanitize_url`] refuses are left out.
    pub fn offer(&self, links: &[Hyperlink<'_>]) {
        *self.0.borrow_mut() = sendable(links);
    }
}

fn sendable(links: &[Hyperlink<'_>]) -> Vec<Sent> {
    links.iter().filter_map(|l| Some((l.x, l.y, l.width, sanitize_url(l.url)?))).collect()
}

/// The OSC 8 that closes a link.
const CLOSE: &[u8] = b"\x1b]8;;\x1b\\";

/// The link of `links` whose cells hold `(x, y)`.
fn link_at(links: &[Sent], x: u16, y: u16) -> Option<usize> {
    links.iter().position(|l| l.1 == y && x >= l.0 && x < l.0.saturating_add(l.2))
}

/// A ratatui backend writing lean frames to `out` (see the module doc).
#[derive(Debug)]
pub struct LeanBackend<W: Write> {
    out: W,
    /// The frame being written; goes to `out` in one write at `flush`.
    frame: Vec<u8>,
    /// Where the terminal's cursor is, when known.
    cursor: Option<Position>,
    /// The colours and attributes the terminal writes with now.
    pen: Pen,
    /// A synchronized update was begun in `frame` and not yet ended.
    syncing: bool,
    /// A fixed size instead of the terminal's (tests, benches).
    fixed: Option<Size>,
    /// Room to compose SGR parameters in.
    changes: String,
    whole: String,
    /// The links the terminal was last sent (cells and sanitized target), which it keeps
    /// until their cells are written again.
    linked: Vec<Sent>,
    /// Links offered for the next frame.
    slot: LinkSlot,
    /// The links the last frame's cells were written inside, as the diff sent them, and
    /// the cells it sent of those and of `linked` (all written as the frame has them).
    staged: Vec<Sent>,
    touched: HashSet<(u16, u16)>,
}

/// The style state of the terminal's writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Pen {
    fg: Color,
    bg: Color,
    underline: Color,
    modifier: Modifier,
}

impl Pen {
    fn of(cell: &Cell) -> Pen {
        Pen { fg: cell.fg, bg: cell.bg, underline: cell.underline_color, modifier: cell.modifier }
    }
}

/// Each modifier with the SGR parameters that set and clear it, and what the clearing one
/// clears: bold and dim go together (normal intensity), and so do the two blinks.
const MODIFIERS: [(Modifier, &str, &str, Modifier); 9] = [
    (Modifier::REVERSED, "7", "27", Modifier::REVERSED),
    (Modifier::BOLD, "1", "22", Modifier::BOLD.union(Modifier::DIM)),
    (Modifier::DIM, "2", "22", Modifier::BOLD.union(Modifier::DIM)),
    (Modifier::ITALIC, "3", "23", Modifier::ITALIC),
    (Modifier::UNDERLINED, "4", "24", Modifier::UNDERLINED),
    (Modifier::CROSSED_OUT, "9", "29", Modifier::CROSSED_OUT),
    (Modifier::HIDDEN, "8", "28", Modifier::HIDDEN),
    (Modifier::SLOW_BLINK, "5", "25", Modifier::SLOW_BLINK.union(Modifier::RAPID_BLINK)),
    (Modifier::RAPID_BLINK, "6", "25", Modifier::SLOW_BLINK.union(Modifier::RAPID_BLINK)),
];

impl<W: Write> LeanBackend<W> {
    pub fn new(out: W) -> LeanBackend<W> {
        LeanBackend {
            out,
            frame: Vec::with_capacity(1 << 16),
            cursor: None,
            pen: Pen::default(),
            syncing: false,
            fixed: None,
            changes: String::new(),
            whole: String::new(),
            linked: Vec::new(),
            slot: LinkSlot::default(),
            staged: Vec::new(),
            touched: HashSet::new(),
        }
    }

    /// A backend that reports `size` instead of asking the terminal (tests, benches).
    pub fn with_size(out: W, size: Size) -> LeanBackend<W> {
        LeanBackend { fixed: Some(size), ..LeanBackend::new(out) }
    }

    /// Where the frames went.
    pub fn writer(&self) -> &W {
        &self.out
    }

    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.out
    }

    /// Where to offer the links of the next frame (see [`LinkSlot`]).
    pub fn link_slot(&self) -> LinkSlot {
        self.slot.clone()
    }

    /// Make `links` clickable: after the frame `buf` was drawn, write again, each link
    /// between an OSC 8 open and close, the cells of its links the diff did not already
    /// send inside them (all of them when `links` were not offered before the frame). A
    /// link whose target [`sanitize_url`] refuses is left as drawn. The cells of a link
    /// sent before that is not among `links` now (gone, moved or to another target) are
    /// written again first, outside any link, but for those the diff just sent: the diff
    /// does not resend a cell whose symbol and style stayed, and the terminal would keep
    /// the old target there. Nothing is written when nothing needs it.
    pub fn hyperlinks(&mut self, buf: &Buffer, links: &[Hyperlink<'_>]) -> io::Result<()> {
        let now = sendable(links);
        let offered = std::mem::take(&mut self.staged) == now;
        let touched = std::mem::take(&mut self.touched);
        // Cells the diff just sent are as the frame has them when it knew its links.
        let done = |x: u16, y: u16| offered && touched.contains(&(x, y));
        let before = std::mem::take(&mut self.linked);
        let mut wrote = false;
        for (x, y, width, _) in before.iter().filter(|l| !now.contains(l)) {
            wrote |= self.rewrite(buf, *x, *y, *width, &done, None);
        }
        for (x, y, width, url) in &now {
            // A link the terminal has, whose cells the diff sent inside it.
            if offered && before.contains(&(*x, *y, *width, url.clone())) {
                continue;
            }
            wrote |= self.rewrite(buf, *x, *y, *width, &done, Some(url));
        }
        self.linked = now;
        if !wrote {
            return Ok(());
        }
        self.pen_to(Pen::default());
        self.send()
    }

    /// Whether a link sent before may still be on the terminal (see [`Self::hyperlinks`]).
    pub fn has_links(&self) -> bool {
        !self.linked.is_empty()
    }

    /// Write the cells `x..x + width` of row `y` of `buf` again, from the start of a wide
    /// symbol that covers `x` (its trailing cells are not written over it), but those
    /// `done`; inside a link to `url` when given. Whether anything was written.
    fn rewrite(
        &mut self,
        buf: &Buffer,
        x: u16,
        y: u16,
        width: u16,
        done: &dyn Fn(u16, u16) -> bool,
        url: Option<&str>,
    ) -> bool {
        let end = x.saturating_add(width).min(buf.area.right());
        let covering = (x.saturating_sub(3)..x).find(|&at| {
            buf.cell((at, y))
                .is_some_and(|c| u32::from(at) + u32::from(c.cell_width()) > u32::from(x))
        });
        let mut x = covering.unwrap_or(x);
        let mut opened = false;
        while x < end {
            let Some(cell) = buf.cell((x, y)) else { break };
            if !done(x, y) {
                if !opened {
                    self.begin();
                    if let Some(url) = url {
                        let _ = write!(self.frame, "\x1b]8;;{url}\x1b\\");
                    }
                    opened = true;
                }
                self.print(x, y, cell);
            }
            x = x.saturating_add(cell.cell_width().max(1));
        }
        if opened && url.is_some() {
            self.frame.extend_from_slice(CLOSE);
        }
        opened
    }

    /// Print a cell the diff sends, inside the link of `links` that holds it (opening or
    /// closing links as it goes: `open` is the one open), and remember it when it is a
    /// link's cell now or was one.
    fn print_linked(
        &mut self,
        x: u16,
        y: u16,
        cell: &Cell,
        links: &[Sent],
        open: &mut Option<usize>,
    ) {
        let at = link_at(links, x, y);
        if at != *open {
            if open.is_some() {
                self.frame.extend_from_slice(CLOSE);
            }
            if let Some(url) = at.and_then(|i| links.get(i)).map(|l| l.3.as_str()) {
                let _ = write!(self.frame, "\x1b]8;;{url}\x1b\\");
            }
            *open = at;
        }
        self.print(x, y, cell);
        if at.is_some() || link_at(&self.linked, x, y).is_some() {
            self.touched.insert((x, y));
        }
    }

    /// Open a synchronized update at the first output of a frame.
    fn begin(&mut self) {
        if !self.syncing {
            self.syncing = true;
            let _ = queue!(self.frame, BeginSynchronizedUpdate);
        }
    }

    /// Put the cursor at `to`, with as few bytes as it takes from where it is known to be.
    fn move_to(&mut self, to: Position) {
        match self.cursor {
            Some(at) if at == to => {}
            // A column further right on the same row exists, so the cursor is really at
            // `at` and not waiting to wrap after the last column.
            // (CUF; its count and CUP's column are left out where they would be 1.)
            Some(at) if at.y == to.y && at.x < to.x => match to.x - at.x {
                1 => self.frame.extend_from_slice(b"\x1b[C"),
                n => {
                    let _ = write!(self.frame, "\x1b[{n}C");
                }
            },
            _ => {
                let _ = match to.x {
                    0 => write!(self.frame, "\x1b[{}H", u32::from(to.y) + 1),
                    x => write!(self.frame, "\x1b[{};{}H", u32::from(to.y) + 1, u32::from(x) + 1),
                };
            }
        }
        self.cursor = Some(to);
    }

    /// Set the terminal's colours and attributes to `to`, in one SGR sequence: the changes
    /// alone, or a reset and the whole style when that is shorter.
    fn pen_to(&mut self, to: Pen) {
        if self.pen == to {
            return;
        }
        let (mut changes, mut whole) =
            (std::mem::take(&mut self.changes), std::mem::take(&mut self.whole));
        sgr_changes(self.pen, to, &mut changes);
        // A reset can only be shorter when something goes away.
        let goes = |a: Color, b: Color| a != Color::Reset && b == Color::Reset;
        let from = self.pen;
        let may_reset = !(from.modifier - to.modifier).is_empty()
            || goes(from.fg, to.fg)
            || goes(from.bg, to.bg)
            || goes(from.underline, to.underline);
        whole.clear();
        if may_reset {
            sgr_changes(Pen::default(), to, &mut whole);
        }
        // `CSI m` resets everything; `CSI 0;…m` resets and sets.
        let reset = if whole.is_empty() { 0 } else { whole.len() + 2 };
        if may_reset && reset < changes.len() {
            self.frame.extend_from_slice(b"\x1b[");
            if !whole.is_empty() {
                self.frame.extend_from_slice(b"0;");
                self.frame.extend_from_slice(whole.as_bytes());
            }
            self.frame.push(b'm');
        } else if !changes.is_empty() {
            self.frame.extend_from_slice(b"\x1b[");
            self.frame.extend_from_slice(changes.as_bytes());
            self.frame.push(b'm');
        }
        (self.changes, self.whole) = (changes, whole);
        self.pen = to;
    }

    /// Print one cell's symbol at its place.
    fn print(&mut self, x: u16, y: u16, cell: &Cell) {
        self.move_to(Position { x, y });
        self.pen_to(Pen::of(cell));
        self.frame.extend_from_slice(cell.symbol().as_bytes());
        self.cursor = advance(cell).map(|w| Position { x: x.saturating_add(w), y });
    }

    /// Write the pending frame to `out` and end its synchronized update.
    fn send(&mut self) -> io::Result<()> {
        // Until the next frame the terminal may move the cursor (a resize, a resume).
        self.cursor = None;
        if self.syncing {
            let _ = queue!(self.frame, EndSynchronizedUpdate);
            self.syncing = false;
        }
        if self.frame.is_empty() {
            return self.out.flush();
        }
        let sent = self.out.write_all(&self.frame).and_then(|()| self.out.flush());
        self.frame.clear();
        if sent.is_err() {
            // Part of the frame may have gone out: try to end the update it began, so the
            // terminal does not hold its screen waiting.
            let _ = queue!(self.out, EndSynchronizedUpdate);
            let _ = self.out.flush();
        }
        sent
    }
}

/// Write into `p` the SGR parameters that take the terminal from `from` to `to`,
/// `;`-separated, colours as crossterm writes them (nothing for a colour when `NO_COLOR`
/// turns crossterm's colours off).
fn sgr_changes(from: Pen, to: Pen, p: &mut String) {
    p.clear();
    let removed = from.modifier - to.modifier;
    let mut cleared = Modifier::empty();
    for (m, _, off, clears) in MODIFIERS {
        if removed.contains(m) && !cleared.contains(m) {
            push_param(p, off);
            cleared |= clears;
        }
    }
    for (m, on, _, _) in MODIFIERS {
        // Set what is new, and what stays but was cleared with its partner.
        if to.modifier.contains(m) && (!from.modifier.contains(m) || cleared.contains(m)) {
            push_param(p, on);
        }
    }
    for (changed, c) in [
        (from.fg != to.fg, Colored::ForegroundColor(to.fg.into_crossterm())),
        (from.bg != to.bg, Colored::BackgroundColor(to.bg.into_crossterm())),
        (from.underline != to.underline, Colored::UnderlineColor(to.underline.into_crossterm())),
    ] {
        if changed {
            let start = p.len();
            let _ = write!(p, ";{c}");
            match p.len() - start {
                1 => p.truncate(start),
                _ if start == 0 => {
                    p.remove(0);
                }
                _ => {}
            }
        }
    }
}

fn push_param(p: &mut String, param: &str) {
    if !p.is_empty() {
        p.push(';');
    }
    p.push_str(param);
}

/// How many columns the terminal cursor moves when `cell`'s symbol is printed, when every
/// terminal agrees: one code point of width 1, or a CJK character of width 2. `None` for
/// anything else (an emoji, a cluster, an ambiguous character drawn wide, a lone mark): the
/// next symbol is then placed explicitly.
fn advance(cell: &Cell) -> Option<u16> {
    if matches!(cell.diff_option, CellDiffOption::ForcedWidth(_)) {
        return None;
    }
    let s = cell.symbol();
    let mut chars = s.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else { return None };
    match grapheme_width(s, AmbiguousWidth::Narrow) {
        1 => Some(1),
        2 if settled_wide(c) => Some(2),
        _ => None,
    }
}

/// East Asian Wide and Fullwidth blocks whose width no terminal doubts: Hangul, CJK
/// radicals, punctuation, kana and ideographs, Yi, fullwidth forms.
fn settled_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{303E}'
        | '\u{3041}'..='\u{33FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{A000}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{2FFFD}'
        | '\u{30000}'..='\u{3FFFD}')
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        // The cursor as the frame found it (see `send`).
        self.cursor = None;
        // The frame's links, when offered: their cells go out inside them.
        let links = std::mem::take(&mut *self.slot.0.borrow_mut());
        self.touched.clear();
        let mut open = None;
        // A wide symbol waits until the cells of its span that the diff sends are written.
        let mut held: Option<(u16, u16, &Cell)> = None;
        for (x, y, cell) in content {
            self.begin();
            if let Some((hx, hy, hc)) = held {
                if y == hy && x > hx && u32::from(x) < u32::from(hx) + u32::from(hc.cell_width()) {
                    self.print_linked(x, y, cell, &links, &mut open);
                    continue;
                }
                self.print_linked(hx, hy, hc, &links, &mut open);
                held = None;
            }
            if cell.cell_width() > 1 {
                held = Some((x, y, cell));
            } else {
                self.print_linked(x, y, cell, &links, &mut open);
            }
        }
        if let Some((hx, hy, hc)) = held {
            self.print_linked(hx, hy, hc, &links, &mut open);
        }
        if open.is_some() {
            self.frame.extend_from_slice(CLOSE);
        }
        self.staged = links;
        // Whatever writes next (a clear, another program after the reader) starts plain.
        self.pen_to(Pen::default());
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        queue!(self.frame, Hide)
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        queue!(self.frame, Show)
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        let (x, y) = crossterm::cursor::position()?;
        Ok(Position { x, y })
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.move_to(position.into());
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        use crossterm::terminal::ClearType as C;
        self.begin();
        let what = match clear_type {
            ClearType::All => C::All,
            ClearType::AfterCursor => C::FromCursorDown,
            ClearType::BeforeCursor => C::FromCursorUp,
            ClearType::CurrentLine => C::CurrentLine,
            ClearType::UntilNewLine => C::UntilNewLine,
        };
        self.cursor = None;
        if matches!(clear_type, ClearType::All) {
            // A cleared screen keeps no link.
            self.linked.clear();
        }
        queue!(self.frame, Clear(what))
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        for _ in 0..n {
            self.frame.push(b'\n');
        }
        self.cursor = None;
        self.send()
    }

    fn size(&self) -> io::Result<Size> {
        if let Some(s) = self.fixed {
            return Ok(s);
        }
        let (width, height) = crossterm::terminal::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        if let Some(s) = self.fixed {
            return Ok(WindowSize { columns_rows: s, pixels: Size::default() });
        }
        let w = crossterm::terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size { width: w.columns, height: w.rows },
            pixels: Size { width: w.width, height: w.height },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use ratatui::Terminal;
    use ratatui::backend::CrosstermBackend;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    use super::*;
    use crate::ui::put;

    const BSU: &[u8] = b"\x1b[?2026h";
    const ESU: &[u8] = b"\x1b[?2026l";

    /// The bytes each backend writes to take the screen from `prev` to `next`.
    fn lean(prev: &Buffer, next: &Buffer) -> Vec<u8> {
        let mut b = LeanBackend::new(Vec::new());
        b.draw(prev.diff_iter(next)).expect("drawn");
        b.flush().expect("flushed");
        b.out
    }

    fn plain(prev: &Buffer, next: &Buffer) -> Vec<u8> {
        let mut out = Vec::new();
        let mut b = CrosstermBackend::new(&mut out);
        b.draw(prev.diff_iter(next)).expect("drawn");
        Backend::flush(&mut b).expect("flushed");
        out
    }

    fn blank(w: u16, h: u16) -> Buffer {
        Buffer::empty(Rect::new(0, 0, w, h))
    }

    fn ratatui_to_vt(c: Color) -> vt100::Color {
        match c {
            Color::Reset => vt100::Color::Default,
            Color::Indexed(i) => vt100::Color::Idx(i),
            Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
            // A named colour: crossterm writes its palette index (`38;5;N`).
            named => {
                let sgr = Colored::ForegroundColor(named.into_crossterm()).to_string();
                let index = sgr.rsplit(';').next().and_then(|i| i.parse().ok());
                vt100::Color::Idx(index.expect("a palette index"))
            }
        }
    }

    fn terminal(bytes: &[u8], w: u16, h: u16) -> vt100::Parser {
        let nz = |n| std::num::NonZeroU16::new(n).expect("a screen of some size");
        let mut vt = vt100::Parser::new(nz(h), nz(w), 0);
        vt.process(bytes);
        vt
    }

    /// The screen a terminal shows after `bytes`, against `want` cell by cell: each symbol
    /// at its place, each wide symbol's second cell covered, and the colours and attributes
    /// of every cell but a blank one (a blank cell a wide symbol left when overwritten takes
    /// the attributes then current, whichever backend writes: tested against ratatui's own).
    fn assert_shows(bytes: &[u8], want: &Buffer) {
        let (w, h) = (want.area.width, want.area.height);
        let vt = terminal(bytes, w, h);
        let screen = vt.screen();
        for y in 0..h {
            let mut x = 0;
            while x < w {
                let cell = &want[(x, y)];
                let got = screen.cell(y, x).expect("a cell on screen");
                let at = format!("at ({x}, {y}) in {:?}", String::from_utf8_lossy(bytes));
                let shown = if got.contents().is_empty() { " " } else { got.contents() };
                assert_eq!(shown, cell.symbol(), "symbol {at}");
                if cell.symbol() != " " {
                    assert_eq!(got.fgcolor(), ratatui_to_vt(cell.fg), "fg {at}");
                    assert_eq!(got.bgcolor(), ratatui_to_vt(cell.bg), "bg {at}");
                    let m = cell.modifier;
                    assert_eq!(got.bold(), m.contains(Modifier::BOLD), "bold {at}");
                    assert_eq!(got.dim(), m.contains(Modifier::DIM), "dim {at}");
                    assert_eq!(got.italic(), m.contains(Modifier::ITALIC), "italic {at}");
                    assert_eq!(got.underline(), m.contains(Modifier::UNDERLINED), "underline {at}");
                    assert_eq!(got.inverse(), m.contains(Modifier::REVERSED), "inverse {at}");
                }
                let span = cell.cell_width().max(1);
                for i in 1..span {
                    let c = screen.cell(y, x + i).expect("a cell on screen");
                    assert!(c.is_wide_continuation(), "covered by the wide symbol {at}");
                }
                x += span;
            }
        }
    }

    /// The same screen, every cell with every attribute, after both streams of bytes.
    fn assert_same_screen(a: &[u8], b: &[u8], w: u16, h: u16) {
        let (a, b) = (terminal(a, w, h), terminal(b, w, h));
        for y in 0..h {
            for x in 0..w {
                let (p, q) = (a.screen().cell(y, x), b.screen().cell(y, x));
                assert_eq!(p, q, "at ({x}, {y})");
            }
        }
    }

    /// Text as fangtan's panes write it: graphemes measured by `crate::width`, the second
    /// cell of a wide one blank.
    fn page(w: u16, h: u16, rows: &[(u16, &str, Style)]) -> Buffer {
        let mut b = blank(w, h);
        for (y, (x, text, style)) in rows.iter().enumerate() {
            put(&mut b, *x, y as u16, w, text, *style, AmbiguousWidth::Narrow);
        }
        b
    }

    #[test]
    fn only_web_and_mail_targets_are_sent_and_always_as_printable_ascii() {
        assert_eq!(sanitize_url("https://x.org/a?b=1"), Some("https://x.org/a?b=1".into()));
        assert_eq!(sanitize_url("MAILTO:a@b.c"), Some("MAILTO:a@b.c".into()));
        assert_eq!(
            sanitize_url("http://例子.cn/路 径"),
            Some("http://%E4%BE%8B%E5%AD%90.cn/%E8%B7%AF%20%E5%BE%84".into())
        );
        // An escape or a bell inside would end the sequence early: encoded, never sent.
        let sent = sanitize_url("https://x.org/\u{1b}]8;;evil\u{7}\u{1b}\\").expect("web");
        assert!(sent.bytes().all(|b| (0x21..0x7f).contains(&b)), "{sent}");
        for refused in ["javascript:alert(1)", "file:///etc/passwd", "/relative", "", "data:x"] {
            assert_eq!(sanitize_url(refused), None, "{refused}");
        }
        assert_eq!(sanitize_url(&format!("https://x.org/{}", "a".repeat(MAX_URL))), None);
    }

    #[test]
    fn a_link_is_its_cells_again_between_an_osc_8_open_and_close() {
        let next = page(20, 2, &[(0, "看 链接 好", Style::default())]);
        let mut b = drawn(&next);
        let drawn = b.out.len();
        let link = Hyperlink { x: 3, y: 0, width: 4, url: "https://x.org/链" };
        let refused = Hyperlink { x: 0, y: 0, width: 2, url: "javascript:x" };
        b.hyperlinks(&next, &[link, refused]).expect("written");
        let sent = String::from_utf8(b.out[drawn..].to_vec()).expect("utf-8");
        let open = "\x1b]8;;https://x.org/%E9%93%BE\x1b\\";
        let close = "\x1b]8;;\x1b\\";
        let inner = sent.split(open).nth(1).and_then(|s| s.split(close).next());
        assert_eq!(inner.map(|s| s.contains("链接")), Some(true), "{sent:?}");
        assert_eq!(sent.matches("\x1b]8;;").count(), 2, "one link: {sent:?}");
        assert!(!sent.contains("javascript"));
        // The screen is the frame's, unchanged.
        assert_shows(&b.out, &next);
        // No links now nor before, nothing written.
        let mut fresh = LeanBackend::new(Vec::new());
        fresh.hyperlinks(&next, &[]).expect("nothing");
        assert!(fresh.out.is_empty());
    }

    /// A backend that has drawn `buf` on a blank screen.
    fn drawn(buf: &Buffer) -> LeanBackend<Vec<u8>> {
        let mut b = LeanBackend::new(Vec::new());
        b.draw(blank(buf.area.width, buf.area.height).diff_iter(buf)).expect("drawn");
        b.flush().expect("flushed");
        b
    }

    /// Whether `sent` opens a link to `url`.
    fn opens(sent: &str, url: &str) -> bool {
        sent.contains(&format!("\x1b]8;;{url}\x1b\\"))
    }

    #[test]
    fn a_link_that_goes_away_leaves_no_target_behind() {
        // `[文档](https://x.org)` drawn, then `[文档](./doc.md)` in the same cells, with the
        // same symbols and style: the diff resends nothing, the relative target is refused,
        // and the terminal must not keep x.org on "文档".
        let dim = Style::default().add_modifier(Modifier::DIM);
        let shown = page(20, 2, &[(2, "文档", dim)]);
        let mut b = drawn(&shown);
        let web = Hyperlink { x: 2, y: 0, width: 4, url: "https://x.org" };
        b.hyperlinks(&shown, &[web]).expect("written");
        assert!(b.has_links());
        let first = b.out.len();
        b.draw(shown.diff_iter(&shown)).expect("drawn");
        b.flush().expect("flushed");
        let relative = Hyperlink { url: "./doc.md", ..web };
        b.hyperlinks(&shown, &[relative]).expect("written");
        let sent = String::from_utf8(b.out[first..].to_vec()).expect("utf-8");
        // "文档" is written again, and no link is opened: its cells are plain text now.
        assert!(sent.contains("文档"), "{sent:?}");
        assert!(!sent.contains("\x1b]8;;h"), "{sent:?}");
        assert!(!b.has_links());
        assert_shows(&b.out, &shown);
        // Nothing is left to take back.
        let before = b.out.len();
        b.hyperlinks(&shown, &[]).expect("nothing");
        assert_eq!(b.out.len(), before);
    }

    #[test]
    fn a_link_that_moves_or_changes_target_is_rewritten_where_it_was() {
        let shown = page(20, 2, &[(0, "看 链接 和 网页", Style::default())]);
        let mut b = drawn(&shown);
        let a = Hyperlink { x: 3, y: 0, width: 4, url: "https://a.org" };
        b.hyperlinks(&shown, &[a]).expect("written");
        let first = b.out.len();
        // The same cells to another target, and a link further on.
        let a2 = Hyperlink { url: "https://b.org", ..a };
        let c = Hyperlink { x: 10, y: 0, width: 4, url: "https://c.org" };
        b.hyperlinks(&shown, &[a2, c]).expect("written");
        let sent = String::from_utf8(b.out[first..].to_vec()).expect("utf-8");
        assert!(opens(&sent, "https://b.org") && opens(&sent, "https://c.org"), "{sent:?}");
        assert!(!opens(&sent, "https://a.org"), "{sent:?}");
        let second = b.out.len();
        // The first link gone: its cells go out plain, before the one that stays.
        b.hyperlinks(&shown, &[c]).expect("written");
        let sent = String::from_utf8(b.out[second..].to_vec()).expect("utf-8");
        let plain = sent.split("\x1b]8;;").next().expect("before any link");
        assert!(plain.contains("链接"), "{sent:?}");
        assert_eq!(sent.matches("\x1b]8;;").count(), 2, "one link: {sent:?}");
        assert_shows(&b.out, &shown);
        // A cleared screen keeps no link.
        b.clear().expect("cleared");
        assert!(!b.has_links());
    }

    #[test]
    fn a_gone_link_half_under_a_wide_character_is_rewritten_from_that_character() {
        // The link was on "ab" at columns 3-4; now "中" covers columns 2-3. Its cells are
        // written again from column 2, so the character is not cut in half.
        let before = page(10, 1, &[(3, "ab", Style::default())]);
        let after = page(10, 1, &[(2, "中x", Style::default())]);
        let mut b = drawn(&before);
        let link = Hyperlink { x: 3, y: 0, width: 2, url: "https://x.org" };
        b.hyperlinks(&before, &[link]).expect("written");
        b.draw(before.diff_iter(&after)).expect("drawn");
        b.flush().expect("flushed");
        b.hyperlinks(&after, &[]).expect("written");
        assert!(!b.has_links());
        assert_shows(&b.out, &after);
    }

    /// Draw `next` over `prev` with `links` offered before the cells go out, then complete
    /// the frame's links; what the two steps wrote.
    fn offered(
        b: &mut LeanBackend<Vec<u8>>,
        prev: &Buffer,
        next: &Buffer,
        links: &[Hyperlink<'_>],
    ) -> String {
        let from = b.out.len();
        b.link_slot().offer(links);
        b.draw(prev.diff_iter(next)).expect("drawn");
        b.flush().expect("flushed");
        b.hyperlinks(next, links).expect("written");
        String::from_utf8(b.out[from..].to_vec()).expect("utf-8")
    }

    #[test]
    fn offered_links_go_out_once_inside_their_link_as_the_diff_writes_them() {
        let before = page(20, 2, &[(0, "上一页的文字", Style::default())]);
        let next =
            page(20, 2, &[(0, "看 链接 好", Style::default()), (0, "第二行", Style::default())]);
        let mut b = drawn(&before);
        let link = Hyperlink { x: 3, y: 0, width: 4, url: "https://x.org/a" };
        let sent = offered(&mut b, &before, &next, &[link]);
        // The link's text is written once, inside its link, and the frame is one write.
        assert_eq!(sent.matches("链").count(), 1, "{sent:?}");
        let inner = sent.split("\x1b]8;;https://x.org/a\x1b\\").nth(1);
        let inner = inner.and_then(|s| s.split("\x1b]8;;\x1b\\").next()).expect("a link");
        assert!(
            inner.contains("链接") && !inner.contains('好') && !inner.contains('看'),
            "{sent:?}"
        );
        assert_eq!(sent.matches("\x1b[?2026h").count(), 1, "{sent:?}");
        assert!(b.has_links());
        assert_shows(&b.out, &next);
        // The same frame again: nothing to write, the terminal keeps the link.
        let again = offered(&mut b, &next, &next, &[link]);
        assert!(!again.contains("\x1b]8"), "{again:?}");
        // The next frame has no link there, the same text: its cells go out plain.
        let gone = offered(&mut b, &next, &next, &[]);
        assert_eq!(gone.matches("链").count(), 1, "{gone:?}");
        assert!(!gone.contains("\x1b]8;;h"), "{gone:?}");
        assert!(!b.has_links());
        // A link whose cells the diff does not send (the text stayed) is written inside it.
        let back = offered(&mut b, &next, &next, &[link]);
        assert!(opens(&back, "https://x.org/a") && back.contains("链接"), "{back:?}");
        assert_shows(&b.out, &next);
    }

    #[test]
    fn a_huge_target_is_refused_before_it_is_encoded() {
        let huge = format!("https://x.org/{}", "路".repeat(2 * 1024 * 1024));
        assert_eq!(sanitize_url(&huge), None);
        assert_eq!(sanitize_url(&format!("https://x.org/{}", "a".repeat(MAX_URL))), None);
        let fits = format!("https://x.org/{}", "a".repeat(MAX_URL - 14));
        assert_eq!(sanitize_url(&fits).map(|u| u.len()), Some(MAX_URL));
    }

    #[test]
    fn a_row_of_chinese_goes_out_without_a_move_between_characters() {
        let next = page(20, 2, &[(2, "中文，你好ab한국", Style::default())]);
        let bytes = lean(&blank(20, 2), &next);
        let row = "\x1b[1;3H中文，你好ab한국".as_bytes();
        assert!(
            bytes.windows(row.len()).any(|w| w == row),
            "{:?}",
            String::from_utf8_lossy(&bytes)
        );
        assert_shows(&bytes, &next);
    }

    #[test]
    fn a_page_of_the_sample_takes_half_the_bytes_of_ratatuis_backend() {
        let mut app = crate::app::App::new(
            crate::parse::parse(
                include_str!("../../assets/sample.md").to_string(),
                &crate::parse::ParseOptions::default(),
            ),
            crate::app::Options::default(),
        );
        let draw = |app: &crate::app::App| {
            let mut b = blank(120, 40);
            crate::ui::draw_buffer(&mut b, app, &crate::ui::Theme::of(app));
            b
        };
        crate::app::update(&mut app, crate::app::Msg::Resize { width: 120, height: 40 });
        let first = draw(&app);
        crate::app::update(&mut app, crate::app::Msg::Action(crate::keymap::Action::PageDown));
        let second = draw(&app);
        let empty = blank(120, 40);
        let mut by_lean = Vec::new();
        let mut by_plain = Vec::new();
        for (prev, next) in [(&empty, &first), (&first, &second)] {
            let (l, p) = (lean(prev, next), plain(prev, next));
            assert!(l.len() * 2 < p.len(), "{} bytes against {}", l.len(), p.len());
            by_lean.extend_from_slice(&l);
            by_plain.extend_from_slice(&p);
            assert_shows(&by_lean, next);
            assert_same_screen(&by_lean, &by_plain, 120, 40);
        }
    }

    #[test]
    fn style_changes_only_where_the_style_differs() {
        let red = Style::default().fg(Color::Indexed(1));
        let bold_red = red.add_modifier(Modifier::BOLD);
        let next = page(
            30,
            3,
            &[(0, "红色文字", red), (0, "红色", bold_red), (0, "plain", Style::default())],
        );
        let bytes = lean(&blank(30, 3), &next);
        let text = String::from_utf8_lossy(&bytes);
        // One colour for the first row, bold added for the second, all reset for the third
        // and once more at the end of the frame (nothing left to reset: no second reset).
        assert!(text.contains("\x1b[38;5;1m红色文字"), "{text:?}");
        assert!(text.contains("\x1b[1m红色"), "{text:?}");
        assert_eq!(text.matches("\x1b[m").count(), 1, "{text:?}");
        assert_eq!(text.matches("38;5;1").count(), 1, "{text:?}");
        assert_shows(&bytes, &next);
    }

    #[test]
    fn an_attribute_cleared_with_its_partner_is_set_again() {
        // SGR 22 clears bold and dim at once, 25 both blinks.
        let pen = |modifier| Pen { modifier, ..Pen::default() };
        let mut p = String::new();
        sgr_changes(pen(Modifier::BOLD | Modifier::DIM), pen(Modifier::DIM), &mut p);
        assert_eq!(p, "22;2");
        sgr_changes(
            pen(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK),
            pen(Modifier::RAPID_BLINK),
            &mut p,
        );
        assert_eq!(p, "25;6");
        sgr_changes(pen(Modifier::BOLD | Modifier::ITALIC), pen(Modifier::ITALIC), &mut p);
        assert_eq!(p, "22");
        let red = Pen { fg: Color::Indexed(1), ..pen(Modifier::REVERSED) };
        sgr_changes(Pen::default(), red, &mut p);
        assert_eq!(p, "7;38;5;1");
    }

    #[test]
    fn after_a_symbol_of_doubtful_width_the_next_is_placed_explicitly() {
        // An emoji, a cluster and a character counted wide by the ambiguous-width setting
        // may take another width on some terminal: what follows is moved to, not assumed.
        for (text, amb) in [
            ("👍x", AmbiguousWidth::Narrow),
            ("e\u{301}x", AmbiguousWidth::Narrow),
            ("“x", AmbiguousWidth::Wide),
        ] {
            let mut next = blank(10, 1);
            let end = put(&mut next, 0, 0, 10, text, Style::default(), amb);
            let bytes = lean(&blank(10, 1), &next);
            let tail = format!("\x1b[1;{end}Hx");
            let s = String::from_utf8_lossy(&bytes);
            assert!(s.contains(&tail), "{text}: {s:?}");
        }
    }

    #[test]
    fn the_cell_after_an_emoji_with_vs16_is_written_before_it() {
        // ratatui's diff sends the second cell of a VS16 emoji when it changed; written after
        // the emoji (with no move, as ratatui's backend does) it lands one cell too far
        // right, and the rest of the row with it.
        let prev = page(10, 1, &[(0, "abcdefgh", Style::default())]);
        let next = page(10, 1, &[(0, "a❤\u{fe0f}defgh", Style::default())]);
        let bytes = lean(&prev, &next);
        let mut shown = lean(&blank(10, 1), &prev);
        shown.extend_from_slice(&bytes);
        assert_shows(&shown, &next);
        let s = String::from_utf8_lossy(&bytes);
        assert!(s.contains("\x1b[1;3H \x1b[1;2H❤\u{fe0f}"), "{s:?}");
    }

    #[test]
    fn a_frame_is_one_synchronized_write_at_flush() {
        let size = Size { width: 12, height: 3 };
        let mut t = Terminal::new(LeanBackend::with_size(Vec::new(), size)).expect("terminal");
        t.draw(|f| {
            put(f.buffer_mut(), 0, 0, 12, "你好", Style::default(), AmbiguousWidth::Narrow);
        })
        .expect("drawn");
        let out = t.backend().writer().clone();
        assert!(out.starts_with(BSU), "{out:?}");
        assert!(out.ends_with(ESU), "{out:?}");
        // Nothing reaches the terminal before the flush.
        t.backend_mut().writer_mut().clear();
        t.backend_mut().draw([(0, 1, &Cell::new("x"))].into_iter()).expect("drawn");
        assert!(t.backend().writer().is_empty());
        t.backend_mut().flush().expect("flushed");
        assert!(t.backend().writer().starts_with(BSU));
        assert!(t.backend().writer().ends_with(ESU));
        // A frame with nothing to change only hides the cursor, without an update around it.
        t.backend_mut().writer_mut().clear();
        t.draw(|f| {
            put(f.buffer_mut(), 0, 0, 12, "你好", Style::default(), AmbiguousWidth::Narrow);
        })
        .expect("drawn");
        assert_eq!(t.backend().writer().as_slice(), b"\x1b[?25l");
    }

    /// Takes `room` bytes, then fails once, then takes everything.
    struct Flaky {
        got: Vec<u8>,
        room: usize,
        failed: bool,
    }

    impl Write for Flaky {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.room == 0 && !self.failed {
                self.failed = true;
                return Err(io::Error::other("disk full"));
            }
            let n = if self.failed { buf.len() } else { buf.len().min(self.room) };
            self.room -= n.min(self.room);
            self.got.extend_from_slice(&buf[..n]);
            Ok(n)
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_frame_cut_short_by_a_failed_write_still_ends_its_update() {
        let mut b = LeanBackend::new(Flaky { got: Vec::new(), room: 12, failed: false });
        let next = page(10, 1, &[(0, "一二三四五", Style::default())]);
        b.draw(blank(10, 1).diff_iter(&next)).expect("drawn");
        assert!(b.flush().is_err());
        assert!(b.writer().got.starts_with(BSU));
        assert!(b.writer().got.ends_with(ESU), "{:?}", String::from_utf8_lossy(&b.writer().got));
    }

    fn grapheme() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "a",
            "Z",
            " ",
            "-",
            "中",
            "文",
            "，",
            "。",
            "한",
            "カ",
            "Ａ",
            "“",
            "…",
            "é",
            "e\u{301}",
            "👍",
            "❤\u{fe0f}",
            "ß",
        ])
    }

    fn colour() -> impl Strategy<Value = Color> {
        prop::sample::select(vec![
            Color::Reset,
            Color::Red,
            Color::LightCyan,
            Color::Indexed(4),
            Color::Indexed(200),
            Color::Rgb(10, 20, 30),
        ])
    }

    fn style() -> impl Strategy<Value = Style> {
        let modifier = prop::sample::select(vec![
            Modifier::empty(),
            Modifier::BOLD,
            Modifier::DIM,
            Modifier::ITALIC,
            Modifier::UNDERLINED,
            Modifier::REVERSED,
            Modifier::BOLD | Modifier::ITALIC | Modifier::UNDERLINED,
            Modifier::DIM | Modifier::REVERSED,
            Modifier::CROSSED_OUT | Modifier::ITALIC,
        ]);
        (colour(), colour(), modifier).prop_map(|(fg, bg, m)| {
            // Bold and dim never meet in a cell: the emulator keeps one intensity.
            let s = Style::default().fg(fg).bg(bg).add_modifier(m);
            if m.contains(Modifier::BOLD) {
                s.remove_modifier(Modifier::DIM)
            } else if m.contains(Modifier::DIM) {
                s.remove_modifier(Modifier::BOLD)
            } else {
                s
            }
        })
    }

    /// Spans of text at random places, each written over what is there as the panes do: a
    /// wide symbol whose second cell a span starts on is blanked first (so no two symbols
    /// overlap, which ratatui's diff assumes).
    fn screen(w: u16, h: u16) -> impl Strategy<Value = Buffer> {
        let span = (0..w, 0..h, prop::collection::vec(grapheme(), 0..12), style());
        prop::collection::vec(span, 0..14).prop_map(move |spans| {
            let mut b = blank(w, h);
            for (x, y, text, style) in spans {
                if x > 0 && b[(x - 1, y)].cell_width() > 1 {
                    b[(x - 1, y)].reset();
                }
                put(&mut b, x, y, w, &text.concat(), style, AmbiguousWidth::Narrow);
            }
            b
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

        #[test]
        fn the_terminal_shows_the_buffer(prev in screen(13, 4), next in screen(13, 4)) {
            let empty = blank(13, 4);
            let mut by_lean = lean(&empty, &prev);
            by_lean.extend_from_slice(&lean(&prev, &next));
            assert_shows(&by_lean, &next);
            let vs16 = |b: &Buffer| b.content.iter().any(|c| c.symbol().contains('\u{fe0f}'));
            if !vs16(&prev) && !vs16(&next) {
                // ratatui's backend misplaces what follows an emoji with VS16 (#2651): its
                // screen, and its byte count (it saves the moves that would put things
                // right), are no yardstick there.
                let mut by_plain = plain(&empty, &prev);
                by_plain.extend_from_slice(&plain(&prev, &next));
                assert_same_screen(&by_lean, &by_plain, 13, 4);
                // A cluster of code points (`e` and a combining accent) is followed by an
                // explicit move, as terminals disagree on its width ([`advance`]); ratatui's
                // backend trusts it, so it is no yardstick for bytes there either.
                let cluster = |b: &Buffer| b.content.iter().any(|c| c.symbol().chars().count() > 1);
                if !cluster(&prev) && !cluster(&next) {
                    let (l, p) = (lean(&prev, &next).len(), plain(&prev, &next).len());
                    prop_assert!(l <= p + BSU.len() + ESU.len(), "{} bytes against {}", l, p);
                }
            }
        }
    }
}

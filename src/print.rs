//! The reader's text without the terminal: what `fangtan FILE | head` or `fangtan FILE >
//! out.txt` prints when standard output is not a terminal (as `less` and `bat` do).
//!
//! Stage 4 reused, not copied: the document is laid out by the reader's own [`App`]
//! (`view`: title, metadata, headings, `Speaker  00:12` headers, paragraphs with their
//! indents and list markers) and drawn by the reading pane ([`ReaderPane`]) into an
//! off-screen buffer a page at a time; each row's cells become a line of text. The speaker
//! legend (its keys are the reader's) and the gutter are left out. Every character went
//! through [`crate::ui::put`], so no control character of the document is printed. What
//! the reader shows with styles alone is printed as its text: tables are aligned rows as
//! on screen, struck text is plain (without its `~~`), a footnote mark is `[1]`, a link's
//! target follows its text; there is no hyperlink (OSC 8 is for the terminal only).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use crate::app::{App, GUTTER, LineKind, Msg, Options, update};
use crate::doc::Document;
use crate::ui::{ReaderPane, Theme};
use crate::width::{AmbiguousWidth, str_width};

/// Rows drawn per page (the buffer is this tall).
const PAGE: u16 = 512;

/// The document laid out at `width` cells of text, as plain lines (no styles, no trailing
/// blanks on a line).
pub fn laid_out(doc: Document, mut opts: Options, width: usize) -> String {
    let width = width.clamp(1, usize::from(u16::MAX - GUTTER - 1));
    opts.max_text_width = width;
    let mut app = App::new(doc, opts);
    app.outline.shown = Some(false);
    // The reading pane is the whole screen: the gutter, the text and a spare column.
    let screen = width as u16 + GUTTER + 1;
    update(&mut app, Msg::Resize { width: screen, height: PAGE + 1 });
    let theme = Theme::of(&app);
    let mut out = String::new();
    let mut after_legend = false;
    loop {
        let area = Rect::new(0, 0, screen, PAGE);
        let mut buf = Buffer::empty(area);
        ReaderPane { app: &app, theme: &theme }.render(area, &mut buf);
        for (y, (_, line)) in app.view.lines.iter().enumerate() {
            let legend = matches!(
                line.kind,
                LineKind::LegendHead | LineKind::Legend(_) | LineKind::LegendMore(_)
            );
            // The legend and the blank line that closes it.
            let skip = legend || (after_legend && line.kind == LineKind::Blank);
            after_legend = legend;
            if !skip {
                out.push_str(row_text(&buf, y as u16, app.opts.ambiguous).trim_end());
                out.push('\n');
            }
        }
        let (next, moved) = app.step_down(app.pos, usize::from(PAGE));
        if moved < usize::from(PAGE) {
            break;
        }
        app.pos = next;
        app.prepare();
    }
    // The document's last blank lines say nothing on paper.
    let end = out.trim_end_matches('\n').len();
    out.truncate(end);
    out.push('\n');
    out
}

/// The text of row `y` right of the gutter, each wide glyph once.
fn row_text(buf: &Buffer, y: u16, amb: AmbiguousWidth) -> String {
    let mut s = String::new();
    let mut x = GUTTER;
    while x < buf.area.width {
        let sym = buf[(x, y)].symbol();
        s.push_str(sym);
        x += str_width(sym, amb).max(1) as u16;
    }
    s
}

//! Stage 4 of the pipeline, the edge: the interactive reader (terminal setup, event loop).

use crate::doc::Document;
use crate::keymap::Keymap;
use crate::width::AmbiguousWidth;

/// Everything the reader needs besides the document.
#[derive(Debug, Clone)]
pub struct ReaderOptions {
    /// Shown in the status line.
    pub file_name: String,
    pub keymap: Keymap,
    pub ambiguous: AmbiguousWidth,
    /// Readable text width cap for the reading pane, in cells.
    pub max_text_width: usize,
    /// Outline width as a percentage of the screen, and its cap in cells.
    pub outline_percent: u16,
    pub outline_max: u16,
    pub cjk_chars_per_minute: u32,
    pub latin_words_per_minute: u32,
}

impl Default for ReaderOptions {
    fn default() -> ReaderOptions {
        ReaderOptions {
            file_name: String::new(),
            keymap: Keymap::default(),
            ambiguous: AmbiguousWidth::Narrow,
            max_text_width: 100,
            outline_percent: 30,
            outline_max: 40,
            cjk_chars_per_minute: 400,
            latin_words_per_minute: 250,
        }
    }
}

/// Run the reader until the user quits. Restores the terminal on every exit path.
pub fn run(doc: Document, opts: ReaderOptions) -> std::io::Result<()> {
    let _ = (doc, opts);
    Ok(())
}

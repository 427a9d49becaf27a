//! Colours as the panes draw them ([`Theme`]), built only from the resolved configuration,
//! and the styles of speakers and inline runs. Public surface: [`Theme`].

#[allow(clippy::wildcard_imports)]
use super::*;

/// Colours as ratatui draws them, built only from the resolved configuration (the
/// shipped `config.toml` and the user's file): nothing here has a colour of its own. Reads
/// as its palette (`theme.quote`).
#[derive(Debug, Clone)]
pub struct Theme {
    /// One colour per speaker of the document, in its speaker order.
    pub by_speaker: Vec<Color>,
    pub palette: Palette<Color>,
    /// No colour at all (`NO_COLOR`, a dumb terminal): highlights use reverse video.
    pub mono: bool,
}
impl std::ops::Deref for Theme {
    type Target = Palette<Color>;
    fn deref(&self) -> &Palette<Color> {
        &self.palette
    }
}
/// A configured colour as ratatui's; `None` (no colour) is the terminal's own.
pub(super) fn rat(c: Option<crate::config::Color>) -> Color {
    use crate::config::Color as C;
    const ANSI: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match c {
        None | Some(C::Default) => Color::Reset,
        Some(C::Ansi(n)) => ANSI[usize::from(n % 16)],
        Some(C::Indexed(n)) => Color::Indexed(n),
        Some(C::Rgb(r, g, b)) => Color::Rgb(r, g, b),
    }
}
impl Theme {
    /// The theme a configuration resolved to, with one colour per speaker of `doc`.
    pub fn from_config(rt: &ResolvedTheme, doc: &crate::doc::Document) -> Theme {
        let by_speaker = doc.speakers.iter().enumerate();
        Theme {
            by_speaker: by_speaker.map(|(i, sp)| rat(rt.speaker_color(&sp.name, i))).collect(),
            palette: rt.colors.map(|&c| rat(c)),
            mono: rt.depth == ColorDepth::None,
        }
    }

    /// The theme `app` is drawn with: its options' resolved colours.
    pub fn of(app: &App) -> Theme {
        Theme::from_config(&app.opts.theme, &app.doc)
    }

    /// A speaker's colour by index; past the document's speakers, the palette's cycle.
    pub fn speaker(&self, id: usize) -> Color {
        let cycle = &self.palette.speakers;
        match self.by_speaker.get(id) {
            Some(&c) => c,
            None if cycle.is_empty() => Color::Reset,
            None => cycle[id % cycle.len()],
        }
    }
}
pub(super) fn speaker_style(theme: &Theme, id: usize) -> Style {
    Style::default().fg(theme.speaker(id)).add_modifier(Modifier::BOLD)
}
pub(super) fn inline_style(theme: &Theme, s: Inline, quote: bool) -> Style {
    let mut st = Style::default();
    if s.contains(Inline::STRONG) {
        st = st.add_modifier(Modifier::BOLD);
    }
    if s.contains(Inline::EMPHASIS) {
        st = st.add_modifier(Modifier::ITALIC);
    }
    if s.contains(Inline::CODE) {
        st = st.fg(theme.code);
    }
    if s.contains(Inline::LINK) {
        st = st.fg(theme.link).add_modifier(Modifier::UNDERLINED);
    }
    if s.contains(Inline::STRIKE) {
        st = st.add_modifier(Modifier::CROSSED_OUT);
    }
    // A footnote's mark and a link's target, shown after its text: dim.
    if s.contains(Inline::NOTE) || s.contains(Inline::URL) {
        st = st.fg(theme.dim);
    }
    if quote {
        st = st.fg(theme.quote).add_modifier(Modifier::BOLD);
    }
    st
}

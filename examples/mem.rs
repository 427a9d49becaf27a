//! Peak memory and time by loading stage (a measuring aid, not a test).
use std::time::Instant;
fn rss() -> String {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .map(|l| l.split_whitespace().nth(1).unwrap_or("").to_string() + " ")
        .collect()
}
fn main() {
    let p = std::env::args().nth(1).expect("file");
    let t = Instant::now();
    let d = fangtan::source::read(std::path::Path::new(&p), None).expect("read");
    eprintln!("read+decode {:?} rss/hwm {}", t.elapsed(), rss());
    let t = Instant::now();
    let doc = fangtan::parse::parse(d.text, &Default::default());
    eprintln!(
        "parse {:?} rss/hwm {} items {} turns {} quotes {}",
        t.elapsed(),
        rss(),
        doc.items.len(),
        doc.turns.len(),
        doc.quotes.len()
    );
    let mut text = 0usize;
    let mut blocks = 0usize;
    for i in 0..doc.items.len() {
        for b in doc.item_blocks(i) {
            text += b.text.len();
            blocks += 1;
        }
    }
    eprintln!("source {} bytes, {} blocks holding {} bytes of text", doc.text.len(), blocks, text);
    let t = Instant::now();
    let mut app = fangtan::app::App::new(doc, Default::default());
    eprintln!("app {:?} rss/hwm {}", t.elapsed(), rss());
    use fangtan::app::{Input, Msg, update};
    use fangtan::keymap::{Action, EditAction};
    let theme = fangtan::ui::Theme::of(&app);
    let mut buf = ratatui::buffer::Buffer::empty(ratatui::layout::Rect::new(0, 0, 120, 40));
    let mut key = |app: &mut fangtan::app::App, name: &str, msg: Msg| {
        let t = Instant::now();
        update(app, msg);
        buf.reset();
        fangtan::ui::draw_buffer(&mut buf, app, &theme);
        eprintln!("{name:>10} {:>8.3} ms", t.elapsed().as_secs_f64() * 1e3);
    };
    key(&mut app, "resize", Msg::Resize { width: 120, height: 40 });
    for (n, a) in [
        ("}", Action::NextTurn),
        ("]", Action::NextQuote),
        (".", Action::NextTurnSameSpeaker),
        (")", Action::NextSection),
        ("G", Action::Bottom),
        ("g", Action::Top),
        ("G", Action::Bottom),
        ("{", Action::PrevTurn),
        ("j", Action::LineDown),
        ("PgDn", Action::PageDown),
    ] {
        key(&mut app, n, Msg::Action(a));
    }
    key(&mut app, "resize", Msg::Resize { width: 100, height: 30 });
    key(&mut app, "resize", Msg::Resize { width: 120, height: 40 });
    key(&mut app, "g", Msg::Action(Action::Top));
    key(&mut app, "/", Msg::Action(Action::Search));
    for c in std::env::var("Q").unwrap_or("纳德拉".into()).chars() {
        key(&mut app, "type", Msg::Input(Input::Char(c)));
    }
    let t = Instant::now();
    let mut ticks = 0;
    while app.busy() {
        update(&mut app, Msg::Tick);
        ticks += 1;
    }
    eprintln!(
        "count done in {:?} ({ticks} ticks), {} matches",
        t.elapsed(),
        app.search.as_ref().map(|s| s.matches.len()).unwrap_or(0)
    );
    key(&mut app, "Enter", Msg::Input(Input::Key(EditAction::Submit)));
    key(&mut app, "n", Msg::Action(Action::NextMatch));
    key(&mut app, "N", Msg::Action(Action::PrevMatch));
    key(&mut app, "S-focus", Msg::Action(Action::CycleSpeakerFocus));
    key(&mut app, "}", Msg::Action(Action::NextTurn));
    drop(app);
}

//! Stage 4 of the pipeline, the edge: the interactive reader (terminal setup, event loop;
//! keys, mouse and pastes come from [`crate::input`], signals through [`term::Signals`]).
//! A key only becomes a [`KeyChord`](crate::keymap::KeyChord) here: what it means, given
//! what is open, is [`route`]'s to say.
//! For a big file ([`run_loading`]) it also owns the loader thread, whose stages and
//! result reach `update` as messages; background work (a search count, reading times)
//! gets the time between keys as `Msg::Tick`.
//! The event loop carries out `update`'s effects: it saves bookmarks and the reading
//! position with [`Store`] (and reports how it went as `Msg::Saved`), writes clipboard
//! sequences, and drives the media player through [`Players`], whose news (wakes the
//! input wait as signals do and) reaches `update` as `Msg::Player`. What `update` may not
//! do itself comes in as messages: what the store held (`Msg::Restored`), the search
//! history (`Msg::SearchHistory`; a search made comes back as `Effect::RememberSearch`),
//! problems to tell (`Msg::Warning`), and the clock (`Msg::Clock`, sent
//! before each message that may stamp a bookmark or the reading position). Before each
//! draw it tells `update` the terminal's size when that changed before its resize event
//! came; after each it has the backend make the frame's links clickable (OSC 8), unless
//! `Options::hyperlinks` is off.
//!
//! Invariant: nothing typed or marked is lost without a word, and no player is left
//! running. Every way out (a quit, any terminating signal [`term::Signals`] catches, a
//! terminal error) goes through one exit path that stops the player, keeps a note being
//! typed and saves; bookmark changes the store still cannot
//! take are written to a recovery file, named on stderr, and the exit status is not 0.
//!
//! The library screen ([`run_library`], in `library`) is the other top-level mode: its
//! own loop, and for each document opened from it this reader's loop and way out, but
//! for the terminal, which stays the reader's until the library is left.
//!
//! Bookmarks are kept for documents read from a file (`Options::path`). The bundled
//! sample and standard input have no identity across runs: their bookmarks last the
//! session and nothing is written.

use std::io::Write;
use std::path::Path;
use std::sync::mpsc::{self, Receiver, TryRecvError};
use std::time::Duration;

use termina::Event;
use termina::event::{KeyEventKind, MouseButton, MouseEventKind};

use crate::app::{App, Effect, Index, Indexed, Mouse, Msg, Options, Saved, route, update};
use crate::doc::Document;
use crate::input::Tty;
use crate::load::Progress;
use crate::player::Players;
use crate::store::{DocId, Loaded, Marks, Store};
use crate::term::backend::Hyperlink;
use crate::{player, term, ui};

mod library;
pub use library::run_library;

/// Run the reader until the user quits. Restores the terminal on every exit path.
pub fn run(doc: Document, opts: Options) -> std::io::Result<()> {
    term::install_panic_hook();
    player::install_panic_hook();
    let signals = term::Signals::register()?;
    let mut players = Players::new(opts.player.clone(), signals.waker().ok());
    let mut app = App::new(doc, opts);
    // Load before the terminal switches over, so a slow disk shows no blank screen.
    let store = open_store(&mut app);
    load_search_history(&mut app);
    let mut input = Tty::open()?;
    let mut terminal = term::init(app.opts.mouse)?;
    let mut edge = Edge { store, players: &mut players, back: false };
    let result = event_loop(&mut terminal, &mut input, &mut app, &mut edge, None, &signals);
    finish(&mut app, &mut edge, result, &signals)
}

/// What the event loop carries out effects with, besides the terminal: the bookmark store
/// (once known) and the media player.
struct Edge<'p> {
    store: Option<Store>,
    players: &'p mut Players,
    /// The reader asked to go back to the library it was opened from ([`Effect::Back`]).
    back: bool,
}

/// Reads and parses the whole of a big document off the UI thread. It tells its stage
/// (`reading`, `parsing`) through the callback, and returns the document or a one-line
/// error.
pub type Loader = Box<dyn FnOnce(&mut dyn FnMut(Progress)) -> Result<Document, String> + Send>;

/// What the loader thread sends to the event loop.
enum Load {
    Stage(Progress),
    Done(Result<Box<(Indexed, Option<Store>)>, String>),
}

/// Run the reader on the first part of a big document (`size` bytes in all) at once,
/// while `loader` reads the whole of it in the background; the outline, jumps, search and
/// bookmarks cover the whole document as soon as it is indexed.
pub fn run_loading(
    first: Document,
    size: u64,
    loader: Loader,
    opts: Options,
) -> std::io::Result<()> {
    term::install_panic_hook();
    player::install_panic_hook();
    let signals = term::Signals::register()?;
    let mut players = Players::new(opts.player.clone(), signals.waker().ok());
    let index_opts = opts.clone();
    let mut app = App::new(first, opts);
    app.start_loading(size);
    load_search_history(&mut app);
    let mut input = Tty::open()?;
    let mut terminal = term::init(app.opts.mouse)?;
    let rx = start_loader(&mut terminal, &mut app, loader, index_opts);
    let mut edge = Edge { store: None, players: &mut players, back: false };
    let result = match rx {
        Ok(rx) => event_loop(&mut terminal, &mut input, &mut app, &mut edge, Some(rx), &signals),
        Err(e) => Err(e),
    };
    finish(&mut app, &mut edge, result, &signals)
}

/// Show the first part of a big document, then start `loader` on a thread of its own: its
/// stages and its result (indexed, with what the store holds for it) come through the
/// receiver.
fn start_loader(
    terminal: &mut term::Term,
    app: &mut App,
    loader: Loader,
    index_opts: Options,
) -> std::io::Result<Receiver<Load>> {
    // The first screen goes out before the loader starts: on two cores its threads would
    // compete with it.
    let size = terminal.size()?;
    update(app, Msg::Resize { width: size.width, height: size.height });
    draw(terminal, app)?;
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new().name("fangtan-load".into()).spawn(move || {
        let started = std::time::Instant::now();
        let mut stage = |s: Progress| {
            let _ = tx.send(Load::Stage(s));
        };
        let done = loader(&mut stage).map(|doc| {
            stage(Progress::stage("indexing"));
            let index = Index::build_lookups(doc, &index_opts);
            let (store, stored, warnings) = match &index_opts.path {
                Some(path) => read_store(path, &index.doc),
                None => (None, None, Vec::new()),
            };
            let took = started.elapsed();
            Box::new((Indexed { index, stored, warnings, took }, store))
        });
        let _ = tx.send(Load::Done(done));
    })?;
    Ok(rx)
}

/// Every way out of the reader ends here, whatever ended the event loop (a quit, a
/// terminating signal, a terminal error): the media player is stopped; a note being typed
/// is kept and what is not on disk yet is saved, a last time; the terminal is restored;
/// bookmark changes the store still could not take go to a recovery file, told on
/// stderr, and the exit status is not 0.
fn finish(
    app: &mut App,
    edge: &mut Edge<'_>,
    result: std::io::Result<()>,
    signals: &term::Signals,
) -> std::io::Result<()> {
    edge.players.shutdown();
    let store = edge.store.as_ref();
    for effect in stamped(app, Msg::Leave) {
        if effect == Effect::SaveMarks {
            save(app, store);
        }
    }
    term::restore();
    let lost = report_unsaved(app, store, &mut std::io::stderr().lock());
    if let Some(sig) = signals.pending() {
        std::process::exit(128 + sig);
    }
    if lost && result.is_ok() {
        std::process::exit(1);
    }
    result
}

/// After the terminal is restored (or into `err`, kept until it is): when bookmark changes
/// could not be saved, write them to a recovery file and say on stderr what happened, where they are and what to do. True
/// when there were such changes. A reading position that could not be saved is told in
/// one line.
fn report_unsaved(app: &App, store: Option<&Store>, err: &mut dyn Write) -> bool {
    let (Some(store), Some(why)) = (store, app.save_error.as_deref()) else { return false };
    let name = crate::source::safe_text(&app.opts.file_name, false);
    if app.unsaved == 0 {
        let _ = writeln!(err, "fangtan: the reading position in {name} was not saved: {why}");
        return false;
    }
    let (n, s) = (app.unsaved, if app.unsaved == 1 { "" } else { "s" });
    let _ = writeln!(err, "fangtan: {n} bookmark change{s} to {name} could not be saved: {why}");
    let store_file = store.path_for(&app.marks.doc);
    match crate::store::write_recovery(&app.marks, &crate::store::recovery_dirs()) {
        Ok(path) => {
            let _ = writeln!(
                err,
                "fangtan: they are in {}; once the data folder can be written, copy that file \
                 to {} to get them back",
                path.display(),
                store_file.display()
            );
        }
        Err(e) => {
            // Nowhere to write: stderr is the last place left to keep them.
            let json = serde_json::to_string_pretty(&app.marks).unwrap_or_default();
            let _ = writeln!(
                err,
                "fangtan: no recovery file could be written either ({e}); save the JSON \
                 below as {} once the data folder can be written:\n{json}",
                store_file.display()
            );
        }
    }
    true
}

/// Load the document's bookmarks and reading position into `app`. `None` when the
/// document has no store (sample, stdin) or there is no data directory; problems are told
/// in the status line and the reader goes on with bookmarks in memory.
fn open_store(app: &mut App) -> Option<Store> {
    let path = app.opts.path.clone()?;
    let (store, stored, warnings) = read_store(&path, &app.doc);
    if let Some(loaded) = stored {
        update(app, Msg::Restored(Box::new(loaded)));
    }
    if !warnings.is_empty() {
        update(app, Msg::Warning(warnings.join("; ")));
    }
    store
}

/// The search history of the data directory, for Up and Down in the search prompt. Without
/// a data directory, or with an unreadable history, searches are remembered for the
/// session (the bookmarks' own warning already tells of a missing data directory).
fn load_search_history(app: &mut App) {
    let Ok(dir) = crate::store::data_dir() else { return };
    let msg = match crate::store::load_search_history(&dir) {
        Ok(list) => Msg::SearchHistory(list),
        // The store's own warning about the data directory, if any, says more.
        Err(_) if app.message.is_some() => return,
        Err(e) => {
            let file = crate::store::disk::search_history_path(&dir);
            Msg::Warning(format!(
                "cannot read {}: {e}; searches are not remembered",
                file.display()
            ))
        }
    };
    update(app, msg);
}

/// Add a search to the history on disk; a failure is told in the status line.
fn remember_search(app: &mut App, query: &str) {
    let Ok(dir) = crate::store::data_dir() else { return };
    if let Err(e) = crate::store::remember_search(&dir, query) {
        let file = crate::store::disk::search_history_path(&dir);
        update(app, Msg::Warning(format!("search not remembered in {}: {e}", file.display())));
    }
}

/// The store and what it holds for the document read from `path`. Without a data
/// directory there is neither, and a warning says so; an unreadable store file starts
/// empty (each save re-reads and merges, so what is on disk is kept, and a file from a
/// newer fangtan is never written).
fn read_store(path: &Path, doc: &Document) -> (Option<Store>, Option<Loaded>, Vec<String>) {
    let store = match Store::open_default() {
        Ok(s) => s,
        Err(e) => return (None, None, vec![format!("{e}; bookmarks will not be saved")]),
    };
    let id = DocId::for_doc(path, doc);
    let loaded = match store.load(&id, doc) {
        Ok(l) => l,
        Err(e) => Loaded {
            marks: Marks::new(id),
            position: None,
            edited: false,
            warnings: vec![e.to_string()],
        },
    };
    (Some(store), Some(loaded), Vec::new())
}

/// Write the marks and tell `update` how it went: the merged marks, or why it failed (the
/// marks stay in memory for the next save).
fn save(app: &mut App, store: Option<&Store>) {
    let Some(store) = store else { return };
    let mut marks = app.marks.clone();
    let saved = match store.save(&mut marks, &app.doc) {
        Ok(warnings) => Ok(Box::new(Saved { marks, warnings })),
        Err(e) => Err(e.to_string()),
    };
    update(app, Msg::Saved(saved));
}

/// `update` with a message that may stamp bookmarks or the reading position, the clock
/// read just before it: `update` reads none.
fn stamped(app: &mut App, msg: Msg) -> Vec<Effect> {
    update(app, Msg::Clock(crate::store::now_ms()));
    update(app, msg)
}

/// Carry out `update`'s effects (and those of what they bring: the player's answers).
/// True when the reader should stop.
fn apply(
    terminal: &mut term::Term,
    app: &mut App,
    edge: &mut Edge<'_>,
    effects: Vec<Effect>,
) -> std::io::Result<bool> {
    let mut todo = std::collections::VecDeque::from(effects);
    while let Some(effect) = todo.pop_front() {
        match effect {
            Effect::Quit => return Ok(true),
            Effect::Back => {
                edge.back = true;
                return Ok(true);
            }
            Effect::Suspend => suspend(terminal, app, edge.players)?,
            Effect::SaveMarks => save(app, edge.store.as_ref()),
            Effect::RememberSearch(query) => remember_search(app, &query),
            Effect::Player(cmd) => {
                for news in edge.players.carry_out(cmd) {
                    todo.extend(update(app, Msg::Player(news)));
                }
            }
            Effect::Copy(text) => {
                let mut out = std::io::stdout().lock();
                let wrote =
                    out.write_all(crate::store::osc52(&text).as_bytes()).and_then(|()| out.flush());
                if let Err(e) = wrote {
                    update(app, Msg::Warning(format!("could not copy: {e}")));
                }
            }
        }
    }
    Ok(false)
}

/// Draw a frame, then write its links as hyperlinks (where they are on).
fn draw(terminal: &mut term::Term, app: &App) -> std::io::Result<()> {
    let mut links = Vec::new();
    // With no link now, the links of the last frame may still need taking back.
    let had_links = terminal.backend().has_links();
    // The links go to the backend before it writes the frame's cells, so a link's cells
    // go out once, inside it.
    let slot = terminal.backend().link_slot();
    let frame = terminal.draw(|f| {
        links = ui::draw_linked(f, app)
            .iter()
            .map(|l| Hyperlink { x: l.x, y: l.y, width: l.width, url: l.url })
            .collect();
        if app.opts.hyperlinks {
            slot.offer(&links);
        }
    })?;
    if !app.opts.hyperlinks || links.is_empty() && !had_links {
        return Ok(());
    }
    let buf = frame.buffer.clone();
    terminal.backend_mut().hyperlinks(&buf, &links)
}

/// Stop until continued (Ctrl-Z, or SIGTSTP from outside), the recording paused, then
/// redraw at the size the terminal has then.
fn suspend(terminal: &mut term::Term, app: &mut App, players: &mut Players) -> std::io::Result<()> {
    players.pause();
    term::suspend(terminal)?;
    resized(terminal, app)
}

fn resized(terminal: &mut term::Term, app: &mut App) -> std::io::Result<()> {
    let size = terminal.size()?;
    update(app, Msg::Resize { width: size.width, height: size.height });
    Ok(())
}

/// Take what the media player reported. True when the reader should stop.
fn hear(terminal: &mut term::Term, app: &mut App, edge: &mut Edge<'_>) -> std::io::Result<bool> {
    for news in edge.players.take_news() {
        let effects = update(app, Msg::Player(news));
        if apply(terminal, app, edge, effects)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Take what the loader thread sent. True when the reader should stop.
fn receive(
    terminal: &mut term::Term,
    app: &mut App,
    edge: &mut Edge<'_>,
    rx: &mut Option<Receiver<Load>>,
) -> std::io::Result<bool> {
    while let Some(r) = rx.as_ref() {
        let load = match r.try_recv() {
            Ok(l) => l,
            Err(TryRecvError::Empty) => return Ok(false),
            Err(TryRecvError::Disconnected) => {
                return Err(std::io::Error::other("the document could not be loaded"));
            }
        };
        match load {
            Load::Stage(s) => {
                update(app, Msg::Progress(s));
            }
            Load::Done(Err(e)) => return Err(std::io::Error::other(e)),
            Load::Done(Ok(done)) => {
                let (indexed, s) = *done;
                *rx = None;
                edge.store = s;
                let effects = stamped(app, Msg::Indexed(Box::new(indexed)));
                if apply(terminal, app, edge, effects)? {
                    return Ok(true);
                }
            }
        }
    }
    Ok(false)
}

fn event_loop(
    terminal: &mut term::Term,
    input: &mut Tty,
    app: &mut App,
    edge: &mut Edge<'_>,
    mut rx: Option<Receiver<Load>>,
    signals: &term::Signals,
) -> std::io::Result<()> {
    resized(terminal, app)?;
    loop {
        // What is left to save is saved by `finish`, on every way out.
        if signals.pending().is_some() {
            return Ok(());
        }
        if signals.take_stop() {
            suspend(terminal, app, edge.players)?;
        }
        if signals.take_resize() {
            resized(terminal, app)?;
        }
        if receive(terminal, app, edge, &mut rx)? || hear(terminal, app, edge)? {
            return Ok(());
        }
        if app.dirty {
            // Lay out at the terminal's size as it is now: a key read before the event
            // telling of a resize would otherwise be laid out at the old size (the draw
            // itself takes the frame's size, so a resize in between only cuts it).
            let size = terminal.size()?;
            if (size.width, size.height) != (app.width, app.height) {
                update(app, Msg::Resize { width: size.width, height: size.height });
            }
            draw(terminal, app)?;
            app.dirty = false;
        }
        let Some(event) = input.next(idle_wait(app.busy(), rx.is_some()), signals.wake())? else {
            if app.busy() {
                update(app, Msg::Tick);
            }
            continue;
        };
        let Some(msg) = message(app, event) else { continue };
        let effects = stamped(app, msg);
        if apply(terminal, app, edge, effects)? {
            return Ok(());
        }
    }
}

/// How long the event loop waits for input. Background work gets the idle time: a search
/// count or the reading-time count takes a slice whenever no key is waiting, and loading is
/// checked on often; keys typed meanwhile are read between slices ([`Tty::next`] reads
/// what the terminal sent even when it may not wait). Never zero, so an idle loop sleeps.
fn idle_wait(busy: bool, loading: bool) -> Duration {
    if busy {
        Duration::from_millis(1)
    } else if loading {
        Duration::from_millis(20)
    } else {
        Duration::from_millis(250)
    }
}

/// A terminal event as an `update` message: a key press becomes a chord, and
/// [`route`] says what it means given what is open.
fn message(app: &App, ev: Event) -> Option<Msg> {
    match ev {
        Event::Key(k) if k.kind == KeyEventKind::Press => route(app, term::chord(&k)?),
        Event::Mouse(m) => {
            let (col, row) = (m.column, m.row);
            match m.kind {
                MouseEventKind::ScrollDown => Some(Msg::Mouse(Mouse::WheelDown { col, row })),
                MouseEventKind::ScrollUp => Some(Msg::Mouse(Mouse::WheelUp { col, row })),
                MouseEventKind::Down(MouseButton::Left) => {
                    Some(Msg::Mouse(Mouse::Click { col, row }))
                }
                _ => None,
            }
        }
        Event::Paste(text) => Some(Msg::Paste(text)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_event_loop_never_polls_with_a_zero_timeout() {
        // A zero timeout would spin the loop.
        for (busy, loading) in [(true, true), (true, false), (false, true), (false, false)] {
            assert!(idle_wait(busy, loading) > Duration::ZERO);
        }
        assert!(idle_wait(true, false) <= Duration::from_millis(2), "busy slices stay short");
    }
}

//! The library screen's edge: its event loop, the threads that refresh its rows and search
//! across its documents, and the reader opened from it. The screen is one of two top-level
//! modes ([`Screen`]): the library, or a document in the reader; the terminal stays in
//! reader mode across both.
//!
//! Rows appear from [`Library::cached_rows`] at once; [`Library::refresh`] runs on a
//! thread (one at a time), and only its latest list waits for the screen. A search runs on a thread of its own, its
//! matches sent through a bounded channel (a search far ahead of the screen waits for it,
//! so memory stays bounded), each tagged with its generation: a new search, or leaving the
//! results, changes the current generation and the old search's sink returns `false`.
//! Threads write a byte to the signals' waker after each message, so the input wait ends.
//!
//! Invariant: each document opened goes through the reader's own open path (its store,
//! resume, search history) and its own leaving path (the player stopped, what is not on
//! disk saved, bookmark changes the store could not take written to a recovery file)
//! before the library is shown again; what would be told on stderr is kept until the
//! terminal is restored. Every way out (quit, a terminating signal, a terminal error)
//! restores the terminal.

use std::io::Write;
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex};

use termina::Event;
use termina::event::{KeyEventKind, MouseEventKind};

use super::{
    Edge, Loader, event_loop, load_search_history, open_store, report_unsaved, save, stamped,
    start_loader,
};
use crate::app::library::{LibEffect, LibMsg, LibraryScreen, route_library, update_library};
use crate::app::{App, Effect, Msg, Options, Start};
use crate::doc::Document;
use crate::input::Tty;
use crate::keymap::LibraryAction;
use crate::library::{Entry, Found, Library};
use crate::parse::ParseOptions;
use crate::player::Players;
use crate::{player, term, ui};

/// Search messages that may wait for the screen before the search thread waits too.
const QUEUED: usize = 1024;

/// Messages of a thread taken between two looks at the keys.
const BATCH: usize = 4096;

/// What is on screen: the library, or a document opened from it.
enum Screen {
    Library,
    Reader(PathBuf, Option<Start>),
}

/// What the library's loop hands on when it stops.
enum Next {
    Quit,
    Open(PathBuf, Option<Start>),
}

/// The threads' ends of the loop's channels.
struct Mail {
    rows: Sender<LibMsg>,
    rows_in: Receiver<LibMsg>,
    /// The refresh's latest list of rows, not yet taken: only the latest counts, so lists
    /// sent while a document is read do not pile up.
    latest: Arc<Mutex<Option<Vec<Entry>>>>,
    /// A refresh is running; `again`: another was asked for meanwhile, to run after it.
    refreshing: Arc<AtomicBool>,
    again: Arc<AtomicBool>,
    found: SyncSender<LibMsg>,
    found_in: Receiver<LibMsg>,
    /// The search whose messages are wanted.
    generation: Arc<AtomicU64>,
    waker: Option<UnixStream>,
}

/// Run the library screen on `library` until the user quits. `base` is what each document
/// opens with (its name, path and start filled in per document); `popts` how documents
/// are parsed; `note`, what the status line says first. Restores the terminal on every
/// exit path.
pub fn run_library(
    library: Library,
    base: Options,
    popts: ParseOptions,
    note: Option<String>,
) -> std::io::Result<()> {
    term::install_panic_hook();
    player::install_panic_hook();
    let signals = term::Signals::register()?;
    let mut players = Players::new(base.player.clone(), signals.waker().ok());
    let library = Arc::new(library);
    let mut screen = LibraryScreen::new(
        library.cached_rows(),
        library.roots().to_vec(),
        base.keys.clone(),
        base.ambiguous,
    );
    screen.message = note;
    let (rows, rows_in) = mpsc::channel();
    let (found, found_in) = mpsc::sync_channel(QUEUED);
    let generation = Arc::new(AtomicU64::new(0));
    let mail = Mail {
        rows,
        rows_in,
        latest: Arc::default(),
        refreshing: Arc::default(),
        again: Arc::default(),
        found,
        found_in,
        generation,
        waker: signals.waker().ok(),
    };
    let theme = ui::Theme::from_config(&base.theme, &Document::default());
    let mut input = Tty::open()?;
    let mut terminal = term::init(base.mouse)?;
    // What would go to stderr while the terminal is the reader's.
    let mut later: Vec<u8> = Vec::new();
    let mut lost = false;
    refresh(&library, &mail, &mut screen);
    let mut on = Screen::Library;
    let result = loop {
        let step = match on {
            Screen::Library => {
                let (term, tty) = (&mut terminal, &mut input);
                library_loop(term, tty, &mut screen, &theme, &library, &mail, &signals).map(
                    |next| match next {
                        Next::Quit => None,
                        Next::Open(path, start) => Some(Screen::Reader(path, start)),
                    },
                )
            }
            Screen::Reader(ref path, ref start) => {
                let opened = Opened { path, start: start.clone(), base: &base, popts: &popts };
                let mut edge = Edge { store: None, players: &mut players, back: false };
                read_one(&mut terminal, &mut input, opened, &mut edge, &signals, &mut later).map(
                    |left| match left {
                        Left::Quit { unsaved } => {
                            lost |= unsaved;
                            None
                        }
                        Left::Back { unsaved } => {
                            lost |= unsaved;
                            update_library(&mut screen, LibMsg::Returned);
                            refresh(&library, &mail, &mut screen);
                            Some(Screen::Library)
                        }
                        Left::Unreadable(why) => {
                            screen.message = Some(why);
                            Some(Screen::Library)
                        }
                    },
                )
            }
        };
        match step {
            Ok(Some(next)) if signals.pending().is_none() => on = next,
            Ok(_) => break Ok(()),
            Err(e) => break Err(e),
        }
    };
    // No search is wanted any more; a thread waiting on the channel ends with it.
    mail.generation.fetch_add(1, Ordering::SeqCst);
    players.shutdown();
    term::restore();
    let _ = std::io::stderr().write_all(&later);
    if let Some(sig) = signals.pending() {
        std::process::exit(128 + sig);
    }
    if lost && result.is_ok() {
        std::process::exit(1);
    }
    result
}

/// A document to open from the library.
struct Opened<'a> {
    path: &'a Path,
    start: Option<Start>,
    base: &'a Options,
    popts: &'a ParseOptions,
}

/// How the reader opened from the library ended.
enum Left {
    /// Back to the library; `unsaved`: bookmark changes could not be saved.
    Back { unsaved: bool },
    /// Quit (force quit, a signal).
    Quit { unsaved: bool },
    /// The document could not be read: why, in one line.
    Unreadable(String),
}

/// Read one document in the reader until it is left.
fn read_one(
    terminal: &mut term::Term,
    input: &mut Tty,
    o: Opened<'_>,
    edge: &mut Edge<'_>,
    signals: &term::Signals,
    later: &mut Vec<u8>,
) -> std::io::Result<Left> {
    let mut opts = o.base.clone();
    opts.file_name = file_name(o.path);
    opts.path = Some(o.path.to_path_buf());
    opts.media_beside = player::beside(o.path);
    // A match to open at wins over the saved position, as a position given on the command
    // line does.
    opts.resume = o.base.resume && o.start.is_none();
    opts.start = o.start;
    opts.from_library = true;
    // A big file as the reader opens one: its first part at once, the rest read meanwhile.
    let size = std::fs::metadata(o.path).map_or(0, |m| m.len());
    let first = match size > crate::load::BIG {
        true => crate::load::first_part(o.path, None, o.popts).ok().flatten(),
        false => None,
    };
    let (mut app, rx) = match first {
        Some(first) => {
            let (path, popts) = (o.path.to_path_buf(), o.popts.clone());
            let loader: Loader = Box::new(move |stage| {
                crate::load::whole(&path, None, &popts, stage).map_err(|e| e.to_string())
            });
            let mut app = App::new(first, opts.clone());
            app.start_loading(size);
            load_search_history(&mut app);
            let rx = start_loader(terminal, &mut app, loader, opts)?;
            (app, Some(rx))
        }
        None => {
            let doc = match crate::load::read(o.path, None, o.popts) {
                Ok(doc) => doc,
                Err(e) => return Ok(Left::Unreadable(e.to_string())),
            };
            let mut app = App::new(doc, opts);
            edge.store = open_store(&mut app);
            load_search_history(&mut app);
            (app, None)
        }
    };
    let result = event_loop(terminal, input, &mut app, edge, rx, signals);
    // The reader's way out, but for the terminal, which stays for the library.
    edge.players.shutdown();
    for effect in stamped(&mut app, Msg::Leave) {
        if effect == Effect::SaveMarks {
            save(&mut app, edge.store.as_ref());
        }
    }
    let unsaved = report_unsaved(&app, edge.store.as_ref(), later);
    result?;
    Ok(match edge.back {
        true => Left::Back { unsaved },
        false => Left::Quit { unsaved },
    })
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Bring the rows up to date on a thread: the latest list waits in [`Mail::latest`], the
/// end comes back as a message. One refresh at a time: one asked for while another runs
/// runs after it (indexing the same folders twice at once would only halve each).
fn refresh(library: &Arc<Library>, mail: &Mail, screen: &mut LibraryScreen) {
    screen.refreshing = true;
    // Asked for first, then claimed: a running thread that has not yet looked at `again`
    // will see it; one that has already let go leaves `refreshing` free to claim here.
    mail.again.store(true, Ordering::SeqCst);
    if mail.refreshing.swap(true, Ordering::SeqCst) {
        return;
    }
    let (library, tx) = (Arc::clone(library), mail.rows.clone());
    let (latest, running, again) =
        (Arc::clone(&mail.latest), Arc::clone(&mail.refreshing), Arc::clone(&mail.again));
    let waker = mail.waker.as_ref().and_then(|w| w.try_clone().ok());
    let spawned = std::thread::Builder::new().name("fangtan-refresh".into()).spawn(move || {
        let wake = || {
            if let Some(w) = &waker {
                // Non-blocking: a full pipe already holds a wake-up.
                let _ = (&*w).write(&[0]);
            }
        };
        loop {
            again.store(false, Ordering::SeqCst);
            let done = library.refresh(&mut |rows| {
                if let Ok(mut slot) = latest.lock() {
                    *slot = Some(rows);
                }
                wake();
                true
            });
            running.store(false, Ordering::SeqCst);
            // Asked again meanwhile: go on, unless a new refresh has started since.
            if again.swap(false, Ordering::SeqCst) && !running.swap(true, Ordering::SeqCst) {
                continue;
            }
            let _ = tx.send(LibMsg::Refreshed(done.err().map(|e| e.to_string())));
            wake();
            break;
        }
    });
    if let Err(e) = spawned {
        mail.refreshing.store(false, Ordering::SeqCst);
        update_library(screen, LibMsg::Refreshed(Some(format!("cannot refresh: {e}"))));
    }
}

/// Search the library on a thread, as search `generation`.
fn search(
    library: &Arc<Library>,
    mail: &Mail,
    generation: u64,
    query: String,
    speaker: Option<String>,
) {
    let (library, tx) = (Arc::clone(library), mail.found.clone());
    let current = Arc::clone(&mail.generation);
    let waker = mail.waker.as_ref().and_then(|w| w.try_clone().ok());
    let _ = std::thread::Builder::new().name("fangtan-search".into()).spawn(move || {
        let wake = || {
            if let Some(w) = &waker {
                let _ = (&*w).write(&[0]);
            }
        };
        let wanted = || current.load(Ordering::SeqCst) == generation;
        let done = library.search(&query, speaker.as_deref(), &mut |path: &Path, found: Found| {
            if !wanted() {
                return false;
            }
            let msg = LibMsg::Found { generation, path: path.to_path_buf(), found };
            let sent = tx.send(msg).is_ok();
            wake();
            sent && wanted()
        });
        if wanted() {
            let error = done.err().map(|e| e.to_string());
            let _ = tx.send(LibMsg::Searched { generation, error });
            wake();
        }
    });
}

/// The library screen's loop: keys, the threads' messages, draws; until a document is
/// opened or the user quits (or a signal or a terminal error ends it).
fn library_loop(
    terminal: &mut term::Term,
    input: &mut Tty,
    screen: &mut LibraryScreen,
    theme: &ui::Theme,
    library: &Arc<Library>,
    mail: &Mail,
    signals: &term::Signals,
) -> std::io::Result<Next> {
    resize(terminal, screen)?;
    // The reader drew last: everything is drawn anew.
    terminal.clear()?;
    loop {
        if signals.pending().is_some() {
            return Ok(Next::Quit);
        }
        if signals.take_stop() {
            term::suspend(terminal)?;
            resize(terminal, screen)?;
        }
        if signals.take_resize() {
            resize(terminal, screen)?;
        }
        let mut effects = Vec::new();
        if let Some(rows) = mail.latest.lock().ok().and_then(|mut slot| slot.take()) {
            effects.extend(update_library(screen, LibMsg::Rows(rows)));
        }
        let found = drain(&mail.found_in);
        // More waiting: look again at once, after the keys typed meanwhile and a draw.
        let more = found.len() == BATCH;
        for msg in drain(&mail.rows_in).into_iter().chain(found) {
            effects.extend(update_library(screen, msg));
        }
        if let Some(next) = carry_out(terminal, screen, library, mail, effects)? {
            return Ok(next);
        }
        if screen.dirty {
            let size = terminal.size()?;
            if (size.width, size.height) != (screen.width, screen.height) {
                update_library(screen, LibMsg::Resize { width: size.width, height: size.height });
            }
            draw(terminal, screen, theme)?;
        }
        let wait = std::time::Duration::from_millis(if more { 1 } else { 250 });
        let Some(event) = input.next(wait, signals.wake())? else { continue };
        let msg = match event {
            Event::Key(k) if k.kind == KeyEventKind::Press => {
                term::chord(&k).and_then(|c| route_library(screen, c))
            }
            Event::Paste(text) => Some(LibMsg::Paste(text)),
            Event::Mouse(m) => match m.kind {
                MouseEventKind::ScrollDown => Some(LibMsg::Key(LibraryAction::Down)),
                MouseEventKind::ScrollUp => Some(LibMsg::Key(LibraryAction::Up)),
                _ => None,
            },
            _ => None,
        };
        let Some(msg) = msg else { continue };
        let effects = update_library(screen, msg);
        if let Some(next) = carry_out(terminal, screen, library, mail, effects)? {
            if let Next::Open(path, _) = &next {
                // Reading a long document takes a moment: say so meanwhile.
                screen.message = Some(format!("opening {}…", file_name(path)));
                draw(terminal, screen, theme)?;
            }
            return Ok(next);
        }
    }
}

fn draw(
    terminal: &mut term::Term,
    screen: &mut LibraryScreen,
    theme: &ui::Theme,
) -> std::io::Result<()> {
    terminal.draw(|f| {
        if let Some((x, y)) = ui::draw_library(f.buffer_mut(), screen, theme) {
            f.set_cursor_position((x, y));
        }
    })?;
    screen.dirty = false;
    Ok(())
}

/// What a thread sent, at most [`BATCH`] messages: a search that finds faster than the
/// screen takes its matches does not keep keys and draws waiting.
fn drain(rx: &Receiver<LibMsg>) -> Vec<LibMsg> {
    let mut out = Vec::new();
    while out.len() < BATCH {
        match rx.try_recv() {
            Ok(m) => out.push(m),
            Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
        }
    }
    out
}

fn resize(terminal: &mut term::Term, screen: &mut LibraryScreen) -> std::io::Result<()> {
    let size = terminal.size()?;
    update_library(screen, LibMsg::Resize { width: size.width, height: size.height });
    Ok(())
}

/// Carry out the screen's effects; what the loop hands on, if it stops.
fn carry_out(
    terminal: &mut term::Term,
    screen: &mut LibraryScreen,
    library: &Arc<Library>,
    mail: &Mail,
    effects: Vec<LibEffect>,
) -> std::io::Result<Option<Next>> {
    for effect in effects {
        match effect {
            LibEffect::Open { path, start } => return Ok(Some(Next::Open(path, start))),
            LibEffect::Quit => return Ok(Some(Next::Quit)),
            LibEffect::Suspend => {
                term::suspend(terminal)?;
                resize(terminal, screen)?;
            }
            LibEffect::Refresh => refresh(library, mail, screen),
            LibEffect::StopSearches { generation } => {
                mail.generation.store(generation, Ordering::SeqCst);
            }
            LibEffect::Search { generation, query, speaker } => {
                mail.generation.store(generation, Ordering::SeqCst);
                search(library, mail, generation, query, speaker);
            }
        }
    }
    Ok(None)
}

//! The command line: the edge of the program, where errors become one line on stderr and an
//! exit status.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use fangtan::config::{self, Config};
use fangtan::doc::{Document, Format};
use fangtan::parse::{self, ParseOptions};
use fangtan::width::AmbiguousWidth;
use fangtan::{dump, layout, source};

/// The sample transcript bundled into the binary: `fangtan` with no file opens it.
const SAMPLE: &str = include_str!("../assets/sample.md");

#[derive(Parser, Debug)]
#[command(
    name = "fangtan",
    version,
    about = "A terminal reader for interview and podcast transcripts"
)]
struct Cli {
    /// Transcript to read (`-` for standard input). Without one, the bundled sample opens.
    file: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// Open at the top instead of where you stopped reading.
    #[arg(long, global = true)]
    no_resume: bool,
    /// Hide the start times shown beside speakers.
    #[arg(long, global = true)]
    no_times: bool,
    /// The recording to listen to (a file or URL mpv plays); remembered for the document.
    #[arg(long, value_name = "PATH|URL")]
    media: Option<String>,
    /// Open at the passage spoken at this time of the recording (HH:MM:SS, MM:SS or
    /// seconds).
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(clap::Args, Debug, Clone)]
struct InputArgs {
    /// Force the input format instead of detecting it from the content.
    #[arg(long, value_enum, global = true)]
    format: Option<FormatArg>,
    /// Force the text encoding (e.g. gb18030, utf-16le) instead of detecting it.
    #[arg(long, global = true, value_name = "NAME")]
    encoding: Option<String>,
    /// Configuration file (default: $XDG_CONFIG_HOME/fangtan/config.toml).
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Chapters of the recording (Podcasting 2.0 chapters JSON), as sections of a timed
    /// transcript. Default: NAME.chapters.json beside the file, when there is one.
    #[arg(long, global = true, value_name = "PATH")]
    chapters: Option<PathBuf>,
}

#[derive(ValueEnum, Debug, Clone, Copy)]
enum FormatArg {
    Markdown,
    Plain,
    Webvtt,
    Srt,
    /// A JSON transcript (speech-to-text or podcast); for `fangtan bookmarks`: export as JSON.
    Json,
}

impl FormatArg {
    /// The input format it forces.
    fn input(self) -> anyhow::Result<Format> {
        Ok(match self {
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Plain => Format::Plain,
            FormatArg::Webvtt => Format::Webvtt,
            FormatArg::Srt => Format::Srt,
            FormatArg::Json => Format::Json,
        })
    }
}

#[derive(ValueEnum, Debug, Clone, Copy)]
enum AmbArg {
    Narrow,
    Wide,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the document tree as JSON.
    Dump { file: Option<PathBuf> },
    /// Print sections and turns as an indented tree.
    Outline { file: Option<PathBuf> },
    /// Print each speaker with turns and share of the spoken characters.
    Speakers { file: Option<PathBuf> },
    /// Print each highlighted quote with its speaker and section.
    Quotes { file: Option<PathBuf> },
    /// Print the default configuration, where fangtan looks for yours, or check a file.
    Config {
        /// Print where fangtan looks for a configuration file and which one it found.
        #[arg(long, conflicts_with = "check")]
        path: bool,
        /// Validate a configuration file (default: the one fangtan would use) and exit.
        #[arg(long, value_name = "PATH", num_args = 0..=1)]
        check: Option<Option<PathBuf>>,
    },
    /// Print a document's bookmarks (Markdown, or JSON with --format json), or with --all
    /// every document that has bookmarks.
    Bookmarks {
        /// The transcript whose bookmarks to print.
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        file: Option<PathBuf>,
        /// List every document with bookmarks, most recently read first.
        #[arg(long)]
        all: bool,
    },
    /// Wrap text the way the reading pane does: each input line is one paragraph.
    Wrap {
        /// Row width in terminal cells.
        #[arg(long, short)]
        width: usize,
        /// How East Asian Ambiguous characters are counted.
        #[arg(long, value_enum, default_value = "narrow")]
        ambiguous_width: AmbArg,
        file: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One clear line: the chain joined, never a backtrace. A cause already spelled out
            // by the message above it is not repeated.
            let mut msg = String::new();
            for cause in e.chain() {
                let c = cause.to_string();
                if !msg.contains(&c) {
                    if !msg.is_empty() {
                        msg.push_str(": ");
                    }
                    msg.push_str(&c);
                }
            }
            let msg = msg.replace(['\n', '\r'], " ");
            let _ = writeln!(std::io::stderr(), "fangtan: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let input = cli.input.clone();
    if let Some(Command::Config { path, check }) = &cli.command {
        let check = check.as_ref().map(Option::as_deref);
        return config_command(*path, check, input.config.as_deref());
    }
    // A bad configuration stops everything before the terminal is touched.
    let config = Config::load(input.config.as_deref())?;
    match cli.command {
        None => {
            let at_ms = cli.at.as_deref().map(at_time).transpose()?;
            let popts = parse_options(&input, &config, cli.file.as_deref())?;
            let (opened, name) = open(cli.file.as_deref(), &input, &config, &popts)?;
            let env = config::EnvInfo::from_env();
            let mut opts = fangtan::app::Options::from_config(&config, name, &env);
            // Standard input and the sample have no path, and so no bookmarks to resume.
            opts.path = cli.file.clone().filter(|p| p.as_os_str() != "-");
            opts.resume = config.reading.resume && !cli.no_resume;
            opts.times = config.reading.times && !cli.no_times;
            opts.media = cli.media.as_deref().map(media_target);
            opts.media_beside = opts.path.as_deref().and_then(fangtan::player::beside);
            opts.at_ms = at_ms;
            match opened {
                Opened::Whole(doc) => fangtan::reader::run(doc, opts).context("terminal")?,
                Opened::Loading { first, size, loader } => {
                    fangtan::reader::run_loading(first, size, loader, opts).map_err(|e| {
                        // A failed background read is the document's fault, not the terminal's.
                        anyhow::anyhow!(e)
                    })?
                }
            }
        }
        Some(Command::Config { .. }) => {}
        Some(Command::Dump { file }) => {
            let (doc, _) = load(file.as_deref(), &input, &config)?;
            print(&dump::json(&doc))?;
        }
        Some(Command::Outline { file }) => {
            print(&dump::outline(&load(file.as_deref(), &input, &config)?.0))?
        }
        Some(Command::Speakers { file }) => {
            print(&dump::speakers(&load(file.as_deref(), &input, &config)?.0))?
        }
        Some(Command::Quotes { file }) => {
            print(&dump::quotes(&load(file.as_deref(), &input, &config)?.0))?
        }
        Some(Command::Bookmarks { file, all }) => {
            bookmarks_command(file.as_deref(), all, &input, &config)?
        }
        Some(Command::Wrap { width, ambiguous_width, file }) => {
            let path = file.unwrap_or_else(|| PathBuf::from("-"));
            let text = source::read(&path, input.encoding.as_deref())?.text;
            let amb = match ambiguous_width {
                AmbArg::Narrow => AmbiguousWidth::Narrow,
                AmbArg::Wide => AmbiguousWidth::Wide,
            };
            print(&layout::wrap_text(&text, width, amb))?;
        }
    }
    Ok(())
}

/// A document for the reader: whole, or (a file or standard input over
/// [`fangtan::load::BIG`]) its first part at once and the rest from a loader.
enum Opened {
    Whole(Document),
    /// `size` is 0 when not known (standard input).
    Loading {
        first: Document,
        size: u64,
        loader: fangtan::reader::Loader,
    },
}

/// Open what the reader shows, and its name: a file, standard input (`-`) or the sample.
fn open(
    file: Option<&Path>,
    input: &InputArgs,
    config: &Config,
    popts: &ParseOptions,
) -> anyhow::Result<(Opened, String)> {
    if file.is_some_and(|p| p.as_os_str() == "-") {
        return Ok((read_stdin(input, popts)?, "stdin".to_string()));
    }
    if let Some(p) = file {
        let size = std::fs::metadata(p).ok().filter(|m| m.is_file()).map_or(0, |m| m.len());
        let encoding = input.encoding.clone();
        if size > fangtan::load::BIG
            && let Some(first) = fangtan::load::first_part(p, encoding.as_deref(), popts)?
        {
            let (path, popts) = (p.to_path_buf(), popts.clone());
            let loader: fangtan::reader::Loader = Box::new(move |stage| {
                fangtan::load::whole(&path, encoding.as_deref(), &popts, stage)
                    .map_err(|e| e.to_string())
            });
            return Ok((Opened::Loading { first, size, loader }, file_name(p)));
        }
    }
    let (doc, name) = load(file, input, config)?;
    Ok((Opened::Whole(doc), name))
}

/// Standard input: a short text whole, a long one as a big file is read (its first part at
/// once, the bytes already read chained in front of the rest).
fn read_stdin(input: &InputArgs, popts: &ParseOptions) -> anyhow::Result<Opened> {
    use std::io::Read;
    let name = Path::new(source::STDIN_NAME);
    let io = |err| source::SourceError::Io { path: name.to_path_buf(), err };
    let mut head = Vec::new();
    let limit = fangtan::load::BIG + 1;
    std::io::stdin().lock().take(limit).read_to_end(&mut head).map_err(io)?;
    let encoding = input.encoding.clone();
    if head.len() as u64 == limit {
        let start = head.get(..fangtan::load::FIRST_PART).unwrap_or(&head).to_vec();
        let first = fangtan::load::first_part_of(start, name, encoding.as_deref(), popts)?;
        if let Some(first) = first {
            let popts = popts.clone();
            let loader: fangtan::reader::Loader = Box::new(move |stage| {
                let mut rest = std::io::Cursor::new(head).chain(std::io::stdin());
                let (part, enc) = (fangtan::load::PART, encoding.as_deref());
                fangtan::load::whole_from(&mut rest, name, enc, &popts, part, stage)
                    .map_err(|e| e.to_string())
            });
            return Ok(Opened::Loading { first, size: 0, loader });
        }
        // Nothing to show in the first part: read it all, as a short text is.
        std::io::stdin().lock().read_to_end(&mut head).map_err(io)?;
    }
    source::check_len(name, head.len() as u64)?;
    let decoded = source::decode(&head, input.encoding.as_deref(), name)?;
    let refused =
        |why: parse::json::Refusal| source::SourceError::Refused { path: name.into(), why: why.0 };
    let mut doc = parse::try_parse(decoded.text, popts).map_err(refused)?;
    doc.had_control_chars = decoded.had_control_chars;
    Ok(Opened::Whole(doc))
}

/// `--at`: a time of the recording, in ms.
fn at_time(s: &str) -> anyhow::Result<u64> {
    fangtan::timeline::parse_clock(s).ok_or_else(|| {
        let s = source::safe_text(s, false);
        anyhow::anyhow!("--at \"{s}\" is not a time: write HH:MM:SS, MM:SS or seconds")
    })
}

/// `--media`: a URL as given, a path made absolute (it is remembered for the document, and
/// read from wherever fangtan is started next).
fn media_target(given: &str) -> String {
    if given.contains("://") {
        return given.to_string();
    }
    let p = Path::new(given);
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf()).to_string_lossy().into_owned()
}

fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "stdin".into())
}

fn parse_options(
    input: &InputArgs,
    config: &Config,
    file: Option<&Path>,
) -> anyhow::Result<ParseOptions> {
    let format = input.format.map(FormatArg::input).transpose()?;
    let chapters = chapters(input.chapters.as_deref(), file)?;
    Ok(ParseOptions { format, chapters, ..config.parse_options() })
}

/// The chapters given with `--chapters`, else those of `NAME.chapters.json` beside `file`.
/// A chapters file that cannot be read is an error, found or given: its sections would
/// be silently missing.
fn chapters(given: Option<&Path>, file: Option<&Path>) -> anyhow::Result<Vec<parse::Chapter>> {
    let sibling = || {
        let file = file.filter(|f| f.as_os_str() != "-")?;
        let stem = file.file_stem()?.to_string_lossy();
        let path = file.with_file_name(format!("{stem}.chapters.json"));
        (path.is_file() && path != file).then_some(path)
    };
    let Some(path) = given.map(Path::to_path_buf).or_else(sibling) else { return Ok(Vec::new()) };
    let text = source::read(&path, None)?.text;
    parse::json::chapters(&text)
        .map_err(|why| source::SourceError::Refused { path, why: why.0 }.into())
}

/// Read, decode and parse a file (or the bundled sample when `path` is `None`).
fn load(
    path: Option<&Path>,
    input: &InputArgs,
    config: &Config,
) -> anyhow::Result<(Document, String)> {
    let (text, name, had_control_chars) = match path {
        Some(p) => {
            let decoded = source::read(p, input.encoding.as_deref())?;
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            (decoded.text, name.unwrap_or_else(|| "stdin".into()), decoded.had_control_chars)
        }
        None => (SAMPLE.to_string(), "sample.md".to_string(), false),
    };
    let opts = parse_options(input, config, path)?;
    let shown = path.unwrap_or(Path::new("sample.md")).to_path_buf();
    let refused =
        |why: parse::json::Refusal| source::SourceError::Refused { path: shown, why: why.0 };
    let mut doc = parse::try_parse(text, &opts).map_err(refused)?;
    doc.had_control_chars = had_control_chars;
    Ok((doc, name))
}

/// `fangtan bookmarks FILE [--format markdown|json]`, `fangtan bookmarks --all`.
fn bookmarks_command(
    file: Option<&Path>,
    all: bool,
    input: &InputArgs,
    config: &Config,
) -> anyhow::Result<()> {
    use fangtan::store::{self, DocId, Store};
    let store = Store::open_default()?;
    if all {
        let list = store::list_all(store.dir())?;
        if list.is_empty() {
            return print(&format!("no bookmarks in {}\n", store.dir().display()));
        }
        return print(&store::summaries_text(&list));
    }
    let Some(file) = file.filter(|f| f.as_os_str() != "-") else {
        anyhow::bail!("standard input keeps no bookmarks: give a FILE or --all");
    };
    let json = match input.format {
        None | Some(FormatArg::Markdown) => false,
        Some(FormatArg::Json) => true,
        Some(_) => anyhow::bail!("bookmarks are printed as markdown or json"),
    };
    // --format names the output here, so the document's own format is detected.
    let read = InputArgs { format: None, ..input.clone() };
    let (doc, name) = load(Some(file), &read, config)?;
    let id = DocId::for_doc(file, &doc);
    let loaded = store.load(&id, &doc)?;
    for w in &loaded.warnings {
        let _ = writeln!(std::io::stderr(), "fangtan: {w}");
    }
    let title = doc.title.as_ref().map(|t| t.text.clone()).filter(|t| !t.is_empty());
    let title = title.unwrap_or(name);
    let marks = &loaded.marks.bookmarks;
    let offset = loaded.marks.listen.as_ref().map_or(0, |l| l.offset_ms);
    let times = store::bookmark_times(&doc, marks, offset);
    if json {
        print(&format!("{}\n", store::export_json(&title, &id.path, marks, &times)))
    } else {
        print(&store::export_markdown(&title, &id.path, marks, &times))
    }
}

/// `fangtan config`, `fangtan config --path`, `fangtan config --check [PATH]` (`check` is
/// `Some(None)` without a path).
fn config_command(
    path: bool,
    check: Option<Option<&Path>>,
    explicit: Option<&Path>,
) -> anyhow::Result<()> {
    if path {
        let mut out = String::new();
        if let Some(p) = explicit {
            out.push_str(&format!("{} (--config)\n", p.display()));
        }
        for sp in config::search_paths() {
            let state = if sp.exists { "found" } else { "not found" };
            out.push_str(&format!("{} ({state})\n", sp.path.display()));
        }
        let used = explicit.map(Path::to_path_buf).or_else(config::user_file);
        match used {
            Some(p) => out.push_str(&format!("using {}\n", p.display())),
            None => out.push_str("using the built-in defaults\n"),
        }
        return print(&out);
    }
    if let Some(p) = check {
        let target = match p {
            Some(p) => Some(p.to_path_buf()),
            None => explicit.map(Path::to_path_buf).or_else(config::user_file),
        };
        return match target {
            Some(t) => {
                Config::check(&t)?;
                print(&format!("{}: ok\n", t.display()))
            }
            None => print("no configuration file found; the built-in defaults are valid\n"),
        };
    }
    print(config::default_text())
}

/// Print to stdout; a closed pipe (`fangtan dump x | head`) is not an error.
fn print(s: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

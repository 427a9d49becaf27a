//! The command line: the edge of the program, where errors become one line on stderr and an
//! exit status. `fangtan [+N | +/PATTERN] [FILE]` opens the reader (standard input when text
//! is piped in; the bundled sample when nothing is given), or prints the laid-out text when
//! standard output is not a terminal ([`fangtan::print`]); `fangtan DIR` opens the library
//! screen on a folder (`fangtan --library`, and bare `fangtan`, the folders of `[library]
//! paths` when some are set), or prints its list (`fangtan library DIR`'s) when standard
//! output is not a terminal; the commands print what they name.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use fangtan::app::Start;
use fangtan::config::{self, Config};
use fangtan::doc::{Document, Format};
use fangtan::parse::{self, ParseOptions};
use fangtan::width::AmbiguousWidth;
use fangtan::{dump, layout, source};

/// The sample transcript bundled into the binary: `fangtan` with no file opens it.
const SAMPLE: &str = include_str!("../assets/sample.md");

/// What `fangtan --help` ends with: examples, the environment, where the keys are.
const AFTER_HELP: &str = "\
Examples:
  fangtan talk.md                  read a transcript (q quits)
  fangtan +/lantern talk.md        open at the first match of `lantern`
  fangtan +12 talk.md              open at the 12th turn
  cat talk.srt | fangtan           read standard input
  fangtan talk.md | head -40       print the laid-out text instead (--width, $COLUMNS or 80)
  fangtan ~/podcasts               the library: every transcript under a folder, / searches
                                   them all (--library: the folders of [library] paths)
  fangtan speakers talk.md         who speaks, and how much
  fangtan bookmarks talk.md --export json

Environment:
  FANGTAN_DATA_DIR   where bookmarks and reading positions are kept
                     (default: $XDG_DATA_HOME/fangtan, else ~/.local/share/fangtan)
  XDG_CONFIG_HOME    the configuration is $XDG_CONFIG_HOME/fangtan/config.toml
                     (default: ~/.config/fangtan/config.toml)
  XDG_DATA_HOME      see FANGTAN_DATA_DIR
  NO_COLOR           no colours (bold and reverse remain)

In the reader, press ? for the keys.";

/// The FILE a command reads, described once.
const FILE_HELP: &str = "Transcript to read: Markdown, plain text, WebVTT, SRT, JSON, HTML or \
Word .docx, told by content (`-`, or text piped in: standard input)";

#[derive(Parser, Debug)]
#[command(
    name = "fangtan",
    version,
    about = "A terminal reader for interview and podcast transcripts",
    after_help = AFTER_HELP
)]
struct Cli {
    /// Transcript to read: Markdown, plain text, WebVTT, SRT, JSON, HTML or Word .docx,
    /// told by content (`-`, or text piped in: standard input). Without one, the bundled
    /// sample opens. `+N` before it opens at the N-th turn, `+/PATTERN` at the first match.
    #[arg(value_name = "FILE")]
    file: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
    /// Open at the top instead of where you stopped reading.
    #[arg(long)]
    no_resume: bool,
    /// Hide the start times shown beside speakers.
    #[arg(long)]
    no_times: bool,
    /// Text width when the text is printed (standard output not a terminal). Default:
    /// $COLUMNS, else 80.
    #[arg(long, short, value_name = "N")]
    width: Option<usize>,
    /// The recording to listen to (a file or URL mpv plays); remembered for the document.
    #[arg(long, value_name = "PATH|URL")]
    media: Option<String>,
    /// Open at the passage spoken at this time of the recording (HH:MM:SS, MM:SS or
    /// seconds).
    #[arg(long, value_name = "TIME")]
    at: Option<String>,
    /// Open the library of `[library] paths` in the configuration (bare `fangtan` opens it
    /// too when some are set).
    #[arg(long, conflicts_with = "file")]
    library: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

/// How a document is read: for the reader and every command that reads one.
#[derive(clap::Args, Debug, Clone, Default)]
struct InputArgs {
    /// Force the input format instead of detecting it from the content.
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    #[command(flatten)]
    read: ReadArgs,
}

/// How a document is read, but for its format (`fangtan bookmarks`, where `--format`
/// names the export).
#[derive(clap::Args, Debug, Clone, Default)]
struct ReadArgs {
    /// Force the text encoding (e.g. gb18030, utf-16le) instead of detecting it.
    #[arg(long, value_name = "NAME")]
    encoding: Option<String>,
    #[command(flatten)]
    config: ConfigArg,
    /// Chapters of the recording (Podcasting 2.0 chapters JSON), as sections of a timed
    /// transcript. Default: NAME.chapters.json beside the file, when there is one.
    #[arg(long, value_name = "PATH")]
    chapters: Option<PathBuf>,
}

#[derive(clap::Args, Debug, Clone, Default)]
struct ConfigArg {
    /// Configuration file (default: $XDG_CONFIG_HOME/fangtan/config.toml).
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
}

impl InputArgs {
    /// These, each unset one taken from `top` (given before the command's name:
    /// `fangtan --format json dump FILE`).
    fn or(self, top: &InputArgs) -> InputArgs {
        InputArgs { format: self.format.or(top.format), read: self.read.or(&top.read) }
    }
}

impl ReadArgs {
    fn or(self, top: &ReadArgs) -> ReadArgs {
        ReadArgs {
            encoding: self.encoding.or_else(|| top.encoding.clone()),
            config: ConfigArg { config: self.config.config.or_else(|| top.config.config.clone()) },
            chapters: self.chapters.or_else(|| top.chapters.clone()),
        }
    }
}

/// A command that prints something about one document.
#[derive(clap::Args, Debug)]
struct Source {
    #[arg(value_name = "FILE", help = FILE_HELP)]
    file: Option<PathBuf>,
    #[command(flatten)]
    input: InputArgs,
}

#[derive(ValueEnum, Debug, Clone, Copy)]
enum FormatArg {
    Markdown,
    Plain,
    Webvtt,
    Srt,
    Html,
    /// A Word .docx file.
    Docx,
    /// A JSON transcript (speech-to-text or podcast).
    Json,
}

impl FormatArg {
    /// The input format it forces.
    fn input(self) -> Format {
        match self {
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Plain => Format::Plain,
            FormatArg::Webvtt => Format::Webvtt,
            FormatArg::Srt => Format::Srt,
            FormatArg::Html => Format::Html,
            FormatArg::Docx => Format::Docx,
            FormatArg::Json => Format::Json,
        }
    }
}

/// How `fangtan speakers` prints.
#[derive(ValueEnum, Debug, Clone, Copy)]
enum OutputArg {
    Text,
    Json,
}

/// How `fangtan bookmarks` prints.
#[derive(ValueEnum, Debug, Clone, Copy, Default)]
enum ExportArg {
    #[default]
    Markdown,
    Json,
}

#[derive(ValueEnum, Debug, Clone, Copy)]
enum AmbArg {
    Narrow,
    Wide,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the document tree as JSON.
    Dump(Source),
    /// Print sections and turns as an indented tree.
    Outline(Source),
    /// Print each speaker with turns, share of the talk, time spoken and pace.
    ///
    /// The share is of spoken time where the transcript has times, else of an estimate at
    /// typical speaking rates (CJK 4 characters a second, other text 2.75 words a
    /// second), so a language is not counted as talking more for using more characters.
    Speakers {
        #[arg(value_name = "FILE", help = FILE_HELP)]
        file: Option<PathBuf>,
        /// How to print them: a table (text) or JSON (`--output` is another name for it).
        #[arg(long, value_enum, default_value = "text", alias = "output", value_name = "HOW")]
        format: OutputArg,
        /// Force the input format instead of detecting it from the content (`--format`
        /// names the output here).
        #[arg(long, value_enum, value_name = "FORMAT")]
        input_format: Option<FormatArg>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Print each highlighted quote with its speaker and section.
    Quotes(Source),
    /// Print the default configuration, where fangtan looks for yours, or check a file.
    Config {
        /// Print where fangtan looks for a configuration file and which one it found.
        #[arg(long, conflicts_with = "check")]
        path: bool,
        /// Validate a configuration file (default: the one fangtan would use) and exit.
        #[arg(long, value_name = "PATH", num_args = 0..=1)]
        check: Option<Option<PathBuf>>,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Print a document's bookmarks (Markdown, or JSON with --export json), or with --all
    /// every document that has bookmarks.
    Bookmarks {
        /// The transcript whose bookmarks to print.
        #[arg(value_name = "FILE", required_unless_present = "all", conflicts_with = "all")]
        file: Option<PathBuf>,
        /// List every document with bookmarks, most recently read first.
        #[arg(long)]
        all: bool,
        /// How to print them (`--format` is another name for it).
        #[arg(long, value_enum, alias = "format", value_name = "FORMAT")]
        export: Option<ExportArg>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Wrap text the way the reading pane does: each input line is one paragraph.
    Wrap {
        /// Row width in terminal cells (at least 1).
        #[arg(long, short)]
        width: usize,
        /// How East Asian Ambiguous characters are counted.
        #[arg(long, value_enum, default_value = "narrow")]
        ambiguous_width: AmbArg,
        /// Force the text encoding (e.g. gb18030, utf-16le) instead of detecting it.
        #[arg(long, value_name = "NAME")]
        encoding: Option<String>,
        /// Text to wrap (`-`, or none: standard input).
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// List the transcripts under a folder: title, date, length, speakers, your progress
    /// and bookmarks.
    ///
    /// Every file under DIR (recursively; hidden and binary files skipped) that reads as a
    /// transcript, told by content, is one row, in path order.
    Library {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// How to print them: one line each (text) or a JSON array.
        #[arg(long, value_enum, default_value = "text", value_name = "HOW")]
        format: OutputArg,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Search every transcript under a folder, as the reader's `/` searches one.
    ///
    /// Case is ignored, Chinese needs no word boundaries, spaces between Chinese and
    /// Latin letters or digits do not count; a QUERY starting with \v is a regular
    /// expression. Matches print as they are found, grouped by document: one line each
    /// (text: `PATH:TIME:SPEAKER:SECTION: LINE`), or one JSON object a line (json).
    Search {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        #[arg(value_name = "QUERY")]
        query: String,
        /// Only what this speaker says (their name, or a part of it; aliases from the
        /// configuration honoured).
        #[arg(long, value_name = "NAME")]
        speaker: Option<String>,
        /// How to print matches: one line each (text) or JSON lines.
        #[arg(long, value_enum, default_value = "text", value_name = "HOW")]
        format: OutputArg,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Build or bring up to date the index of the transcripts under a folder, in the
    /// cache folder, and print what it holds.
    ///
    /// New and changed documents are read and indexed, deleted ones dropped. Prints the
    /// documents, their bytes, the bytes read and indexed now, the seconds it took, the
    /// speed (MB/s of what was read) and the index's size (text: one line; json: one
    /// object).
    Index {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
        /// How to print the summary: one line (text) or a JSON object.
        #[arg(long, value_enum, default_value = "text", value_name = "HOW")]
        format: OutputArg,
        #[command(flatten)]
        config: ConfigArg,
    },
    /// Print a shell completion script.
    ///
    /// For bash: `fangtan completions bash > ~/.local/share/bash-completion/completions/fangtan`;
    /// for zsh, into a file `_fangtan` in a folder of your `$fpath`; for fish:
    /// `fangtan completions fish > ~/.config/fish/completions/fangtan.fish`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    ///
    /// Read it with `fangtan man | man -l -`, or install it as `fangtan.1` in a `man1` folder.
    Man,
}

fn main() -> ExitCode {
    let mut args: Vec<OsString> = std::env::args_os().collect();
    // Before clap reads them: a mistyped command would be taken for a FILE, and the
    // arguments after it refused, without a word about what was meant.
    let start = take_start(&mut args).and_then(|start| match mistyped_command(&args) {
        Some((typed, meant)) => {
            anyhow::bail!("`{typed}`: no such file or command; did you mean `fangtan {meant}`?")
        }
        None => Ok(start),
    });
    match start.and_then(|start| run(Cli::parse_from(args), start)) {
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

/// Take a starting position out of the arguments, as `less` takes one: `+N` (the N-th
/// turn) or `+/PATTERN` (the first match). Only the first argument starting with `+`
/// (before a `--`) is one; a file whose name starts with `+` is given as `./+name`.
fn take_start(args: &mut Vec<OsString>) -> anyhow::Result<Option<Start>> {
    let end = args.iter().position(|a| a == "--").unwrap_or(args.len());
    let Some(i) = (1..end).find(|&i| args[i].to_string_lossy().starts_with('+')) else {
        return Ok(None);
    };
    let arg = args.remove(i).to_string_lossy().into_owned();
    let start = match arg.strip_prefix("+/") {
        Some("") => anyhow::bail!("`+/` needs a pattern: +/PATTERN opens at its first match"),
        Some(pattern) => Start::Search(pattern.to_string()),
        None => match arg[1..].parse::<usize>() {
            Ok(n) if n > 0 => Start::Turn(n),
            _ => anyhow::bail!(
                "`{arg}`: give +N (open at the N-th turn) or +/PATTERN (at the first match); \
                 a file whose name starts with + as ./{arg}"
            ),
        },
    };
    Ok(Some(start))
}

/// The file a command reads: the one given, else standard input when something is piped
/// in, else (standard input a terminal) `None`.
fn file_or_stdin(file: Option<PathBuf>) -> Option<PathBuf> {
    file.or_else(|| (!std::io::stdin().is_terminal()).then(|| PathBuf::from("-")))
}

/// [`file_or_stdin`] for a printing command: with nothing to read, a usage error.
fn needed_file(file: Option<PathBuf>, command: &str) -> anyhow::Result<PathBuf> {
    file_or_stdin(file).ok_or_else(|| {
        anyhow::anyhow!("{command}: give a FILE (or pipe text in, or `-` for standard input)")
    })
}

/// The width printed text is wrapped at: `--width`, else `$COLUMNS`, else 80.
fn print_width(given: Option<usize>) -> anyhow::Result<usize> {
    let columns = || std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse().ok());
    positive_width(given.or_else(columns).unwrap_or(80))
}

/// A width of at least one cell, or a usage error.
fn positive_width(w: usize) -> anyhow::Result<usize> {
    match w {
        0 => anyhow::bail!("--width must be at least 1"),
        w => Ok(w),
    }
}

/// The first argument that would be the FILE, when it is no file but close to a command's
/// name (`fangtan speaker FILE`): what was typed and the command meant.
fn mistyped_command(args: &[OsString]) -> Option<(String, String)> {
    let cmd = <Cli as clap::CommandFactory>::command();
    let mut rest = args.iter().skip(1).map(|a| a.to_string_lossy());
    let first = loop {
        let a = rest.next()?;
        if a == "--" {
            return None;
        }
        if !a.starts_with('-') || a == "-" {
            break a;
        }
        // An option's value is no FILE.
        let takes_value = cmd.get_arguments().any(|arg| {
            arg.get_action().takes_values()
                && (arg.get_long().is_some_and(|l| a == format!("--{l}"))
                    || arg.get_short().is_some_and(|c| a == format!("-{c}")))
        });
        if takes_value {
            rest.next();
        }
    };
    let names: Vec<&str> = cmd.get_subcommands().map(clap::Command::get_name).collect();
    if names.contains(&first.as_ref()) || Path::new(first.as_ref()).exists() {
        return None;
    }
    let lower = first.to_lowercase();
    names
        .iter()
        .map(|n| (strsim::damerau_levenshtein(&lower, n), *n))
        .filter(|(d, n)| *d <= 2 && *d < n.len() / 2 + 1)
        .min()
        .map(|(_, n)| (first.to_string(), n.to_string()))
}

fn run(cli: Cli, start: Option<Start>) -> anyhow::Result<()> {
    if start.is_some() && cli.command.is_some() {
        anyhow::bail!("+N and +/PATTERN say where the reader opens: give them without a command");
    }
    let top = cli.input.clone();
    let Some(command) = cli.command else {
        let config = Config::load(top.read.config.config.as_deref())?;
        let flags = cli.flags();
        let roots = match cli.file.as_deref() {
            Some(dir) if dir.is_dir() => vec![dir.to_path_buf()],
            Some(_) => Vec::new(),
            None if cli.library && config.library.paths.is_empty() => anyhow::bail!(
                "--library: no library configured; set [library] paths = [\"~/folder\"] in \
                 your config.toml (`fangtan config --path` shows where it is)"
            ),
            // Bare `fangtan` with text piped in reads it, as ever.
            None if cli.library || std::io::stdin().is_terminal() => config.library.paths.clone(),
            None => Vec::new(),
        };
        if roots.is_empty() {
            return read(cli.file, &top, &config, &flags, start);
        }
        if start.is_some() {
            anyhow::bail!("+N and +/PATTERN say where a document opens: give a FILE");
        }
        if flags.media.is_some() || flags.at.is_some() {
            anyhow::bail!("--media and --at name a document's recording: give a FILE");
        }
        return library_screen(roots, &config, &flags);
    };
    match command {
        Command::Config { path, check, config } => {
            let check = check.as_ref().map(Option::as_deref);
            let explicit = config.config.or_else(|| top.read.config.config.clone());
            config_command(path, check, explicit.as_deref())
        }
        Command::Dump(src) => report(src, &top, "dump", dump::json),
        Command::Outline(src) => report(src, &top, "outline", dump::outline),
        Command::Speakers { file, format, input_format, read } => {
            let src = Source { file, input: InputArgs { format: input_format, read } };
            let f = match format {
                OutputArg::Text => dump::speakers,
                OutputArg::Json => dump::speakers_json,
            };
            report(src, &top, "speakers", f)
        }
        Command::Quotes(src) => report(src, &top, "quotes", dump::quotes),
        Command::Bookmarks { file, all, export, read } => {
            let read = read.or(&top.read);
            let config = Config::load(read.config.config.as_deref())?;
            bookmarks_command(file.as_deref(), all, export.unwrap_or_default(), read, &config)
        }
        Command::Wrap { width, ambiguous_width, encoding, file } => {
            // A bad configuration stops every command that is not about it.
            Config::load(top.read.config.config.as_deref())?;
            let width = positive_width(width)?;
            let path = file.unwrap_or_else(|| PathBuf::from("-"));
            let encoding = encoding.or_else(|| top.read.encoding.clone());
            let text = source::read(&path, encoding.as_deref())?.text;
            let amb = match ambiguous_width {
                AmbArg::Narrow => AmbiguousWidth::Narrow,
                AmbArg::Wide => AmbiguousWidth::Wide,
            };
            print(&layout::wrap_text(&text, width, amb))
        }
        Command::Library { dir, format, config } => {
            let path = config.config.or_else(|| top.read.config.config.clone());
            library_command(&dir, format, &Config::load(path.as_deref())?)
        }
        Command::Search { dir, query, speaker, format, config } => {
            let path = config.config.or_else(|| top.read.config.config.clone());
            let config = Config::load(path.as_deref())?;
            search_command(&dir, &query, speaker.as_deref(), format, &config)
        }
        Command::Index { dir, format, config } => {
            let path = config.config.or_else(|| top.read.config.config.clone());
            index_command(&dir, format, &Config::load(path.as_deref())?)
        }
        Command::Completions { shell } => {
            let mut out = Vec::new();
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "fangtan", &mut out);
            print(&String::from_utf8_lossy(&out))
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out)?;
            print(&String::from_utf8_lossy(&out))
        }
    }
}

/// The reader's switches from the command line.
struct Flags {
    no_resume: bool,
    no_times: bool,
    width: Option<usize>,
    media: Option<String>,
    at: Option<String>,
}

impl Cli {
    fn flags(&self) -> Flags {
        Flags {
            no_resume: self.no_resume,
            no_times: self.no_times,
            width: self.width,
            media: self.media.clone(),
            at: self.at.clone(),
        }
    }
}

/// `fangtan dump|outline|speakers|quotes [FILE]`: what `f` prints of the document.
fn report(
    src: Source,
    top: &InputArgs,
    command: &str,
    f: fn(&Document) -> String,
) -> anyhow::Result<()> {
    let input = src.input.or(top);
    // A bad configuration stops everything, before any text is read.
    let config = Config::load(input.read.config.config.as_deref())?;
    let file = needed_file(src.file, command)?;
    print(&f(&load(Some(&file), &input, &config)?.0))
}

/// `fangtan [FILE]`: the reader, or with standard output not a terminal the laid-out text.
fn read(
    file: Option<PathBuf>,
    input: &InputArgs,
    config: &Config,
    flags: &Flags,
    start: Option<Start>,
) -> anyhow::Result<()> {
    // A time that is no time is an error whatever else is wrong.
    let at_ms = flags.at.as_deref().map(at_time).transpose()?;
    let file = file_or_stdin(file);
    let env = config::EnvInfo::from_env();
    if !std::io::stdout().is_terminal() {
        // `fangtan FILE | head`: the laid-out text, no full-screen reader.
        let width = print_width(flags.width)?;
        let (doc, name) = load(file.as_deref(), input, config)?;
        let mut opts = fangtan::app::Options::from_config(config, name, &env);
        opts.times = config.reading.times && !flags.no_times;
        return print(&fangtan::print::laid_out(doc, opts, width));
    }
    let popts = parse_options(input, config, file.as_deref())?;
    let (opened, name) = open(file.as_deref(), input, config, &popts)?;
    let mut opts = fangtan::app::Options::from_config(config, name, &env);
    // Standard input and the sample have no path, and so no bookmarks to resume.
    opts.path = file.clone().filter(|p| p.as_os_str() != "-");
    // A position given on the command line wins over the saved one.
    opts.resume = config.reading.resume && !flags.no_resume && start.is_none();
    opts.times = config.reading.times && !flags.no_times;
    opts.start = start;
    opts.media = flags.media.as_deref().map(media_target);
    opts.media_beside = opts.path.as_deref().and_then(fangtan::player::beside);
    opts.at_ms = at_ms;
    opts.tz = jiff::tz::TimeZone::system();
    match opened {
        Opened::Whole(doc) => fangtan::reader::run(doc, opts).context("terminal")?,
        Opened::Loading { first, size, loader } => {
            fangtan::reader::run_loading(first, size, loader, opts).map_err(|e| {
                // A failed background read is the document's fault, not the terminal's.
                anyhow::anyhow!(e)
            })?
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
        let encoding = input.read.encoding.clone();
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
    let encoding = input.read.encoding.clone();
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
        // Nothing to show in the first part (or a Word package): read it all, as a short
        // text is.
        std::io::stdin().lock().read_to_end(&mut head).map_err(io)?;
    }
    let doc = fangtan::load::from_bytes(head, name, input.read.encoding.as_deref(), popts)?;
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
    let format = input.format.map(FormatArg::input);
    let chapters = chapters(input.read.chapters.as_deref(), file)?;
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
    let opts = parse_options(input, config, path)?;
    Ok(match path {
        Some(p) => {
            let doc = fangtan::load::read(p, input.read.encoding.as_deref(), &opts)?;
            let name =
                p.file_name().filter(|n| *n != "-").map(|n| n.to_string_lossy().into_owned());
            (doc, name.unwrap_or_else(|| "stdin".into()))
        }
        None => (parse::parse(SAMPLE.to_string(), &opts), "sample.md".to_string()),
    })
}

/// `fangtan DIR`, `fangtan --library` (and bare `fangtan` with `[library] paths` set): the
/// library screen, or with standard output not a terminal the list `fangtan library`
/// prints.
fn library_screen(roots: Vec<PathBuf>, config: &Config, flags: &Flags) -> anyhow::Result<()> {
    // Without a data folder there is nothing to add: the rows go on without progress.
    let store = fangtan::store::Store::open_default().ok();
    let popts = config.parse_options();
    // A configured folder that is not there now (a drive not mounted) is left out, and
    // said; with none there at all, opening says why.
    let (present, missing): (Vec<PathBuf>, Vec<PathBuf>) =
        roots.into_iter().partition(|r| r.is_dir());
    let roots = if present.is_empty() { missing.clone() } else { present };
    let library = fangtan::library::Library::open(roots, popts.clone(), store)?;
    let note = (!missing.is_empty()).then(|| {
        let names: Vec<String> = missing
            .iter()
            .map(|m| fangtan_core::source::safe_text(&config::paths::shown(m), false))
            .collect();
        format!("not found, left out: {}", names.join(", "))
    });
    if !std::io::stdout().is_terminal() {
        if let Some(note) = &note {
            eprintln!("fangtan: {note}");
        }
        let mut entries = Vec::new();
        library.refresh(&mut |rows| {
            // Printed under the folder as it was given.
            entries = rows.into_iter().map(|e| e.shown_in(&library)).collect();
            true
        })?;
        return print(&fangtan::library::rows_text(&entries));
    }
    let env = config::EnvInfo::from_env();
    let mut opts = fangtan::app::Options::from_config(config, String::new(), &env);
    opts.resume = config.reading.resume && !flags.no_resume;
    opts.times = config.reading.times && !flags.no_times;
    opts.tz = jiff::tz::TimeZone::system();
    fangtan::reader::run_library(library, opts, popts, note).context("terminal")?;
    Ok(())
}

/// `fangtan library DIR [--format text|json]`.
fn library_command(dir: &Path, format: OutputArg, config: &Config) -> anyhow::Result<()> {
    // Without a data folder there is nothing to add: the list goes on without progress.
    let store = fangtan::store::Store::open_default().ok();
    let library =
        fangtan::library::Library::open(vec![dir.to_path_buf()], config.parse_options(), store)?;
    let mut entries = Vec::new();
    library.refresh(&mut |rows| {
        // Printed under the folder as it was given.
        entries = rows.into_iter().map(|e| e.shown_in(&library)).collect();
        true
    })?;
    warn_cache(&library);
    match format {
        OutputArg::Text => print(&fangtan::library::rows_text(&entries)),
        OutputArg::Json => print(&format!("{}\n", serde_json::to_string_pretty(&entries)?)),
    }
}

/// `fangtan index DIR [--format text|json]`: the index built or brought up to date in the
/// foreground, one summary printed.
fn index_command(dir: &Path, format: OutputArg, config: &Config) -> anyhow::Result<()> {
    use fangtan::library::Library;
    let store = fangtan::store::Store::open_default().ok();
    let library = Library::open(vec![dir.to_path_buf()], config.parse_options(), store)?;
    let started = std::time::Instant::now();
    let built = library.refresh_reporting(&mut |_| true, &mut |_| {})?;
    let seconds = started.elapsed().as_secs_f64();
    warn_cache(&library);
    let mb_per_s = built.read_bytes as f64 / 1e6 / seconds.max(1e-9);
    match format {
        OutputArg::Text => print(&format!(
            "{} documents, {} bytes; read and indexed {} documents, {} bytes in {:.2} s ({:.1} MB/s); index {} bytes{}\n",
            built.documents,
            built.corpus_bytes,
            built.read_documents,
            built.read_bytes,
            seconds,
            mb_per_s,
            built.index_bytes,
            library
                .cache_dir()
                .map(|d| format!(
                    " in {}",
                    fangtan_core::source::safe_text(&d.to_string_lossy(), false)
                ))
                .unwrap_or_default(),
        )),
        OutputArg::Json => {
            let mut v = serde_json::to_value(&built)?;
            v["seconds"] = serde_json::json!(seconds);
            v["mb_per_s"] = serde_json::json!(mb_per_s);
            v["cache"] = serde_json::json!(library.cache_dir().map(|d| d.to_string_lossy()));
            print(&format!("{v}\n"))
        }
    }
}

/// The library's cache trouble, if any, in one line on stderr (the output is right all
/// the same).
fn warn_cache(library: &fangtan::library::Library) {
    if let Some(w) = library.take_warning() {
        eprintln!("fangtan: {}", fangtan_core::source::safe_text(&w, false));
    }
}

/// `fangtan search DIR QUERY [--speaker NAME] [--format text|json]`: matches printed as
/// the search finds them.
fn search_command(
    dir: &Path,
    query: &str,
    speaker: Option<&str>,
    format: OutputArg,
    config: &Config,
) -> anyhow::Result<()> {
    use fangtan::library::{Found, Library};
    // A search needs no reading progress: no store.
    let library = Library::open(vec![dir.to_path_buf()], config.parse_options(), None)?;
    let mut out = std::io::stdout().lock();
    let mut failed = None;
    library.search_indexing_first(query, speaker, &mut |path, found| {
        let line = match found {
            Found::Hit(hit) => match format {
                OutputArg::Text => fangtan::library::hit_text(&library.shown(path), &hit),
                OutputArg::Json => fangtan::library::hit_json(&library.shown(path), &hit),
            },
            _ => return true,
        };
        match out.write_all(line.as_bytes()) {
            Ok(()) => true,
            Err(e) => {
                failed = Some(e);
                false
            }
        }
    })?;
    warn_cache(&library);
    match failed.map_or_else(|| out.flush(), Err) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

/// `fangtan bookmarks FILE [--export markdown|json]`, `fangtan bookmarks --all`.
fn bookmarks_command(
    file: Option<&Path>,
    all: bool,
    export: ExportArg,
    read: ReadArgs,
    config: &Config,
) -> anyhow::Result<()> {
    use fangtan::store::{self, DocId, Store};
    let store = Store::open_default()?;
    if all {
        let list = store::list_all(store.dir())?;
        if list.is_empty() {
            return print(&format!("no bookmarks in {}\n", store.dir().display()));
        }
        return print(&store::summaries_text(&list, &jiff::tz::TimeZone::system()));
    }
    let Some(file) = file.filter(|f| f.as_os_str() != "-") else {
        anyhow::bail!("standard input keeps no bookmarks: give a FILE or --all");
    };
    // The document's own format is detected: `--format` names the export here.
    let read = InputArgs { format: None, read };
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
    match export {
        ExportArg::Json => {
            print(&format!("{}\n", store::export_json(&title, &id.path, marks, &times)))
        }
        ExportArg::Markdown => print(&store::export_markdown(&title, &id.path, marks, &times)),
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

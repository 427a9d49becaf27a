//! The command line: the edge of the program, where errors become one line on stderr and an
//! exit status.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

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
}

#[derive(ValueEnum, Debug, Clone, Copy)]
enum FormatArg {
    Markdown,
    Plain,
    Webvtt,
    Srt,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Plain => Format::Plain,
            FormatArg::Webvtt => Format::Webvtt,
            FormatArg::Srt => Format::Srt,
        }
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
            // One clear line: the chain joined, never a backtrace.
            let msg = format!("{e:#}").replace('\n', " ");
            let _ = writeln!(std::io::stderr(), "fangtan: {msg}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let input = cli.input.clone();
    match cli.command {
        None => {
            let (doc, name) = load(cli.file.as_deref(), &input)?;
            let opts = fangtan::reader::ReaderOptions { file_name: name, ..Default::default() };
            let _ = cli.no_resume;
            fangtan::reader::run(doc, opts).context("terminal")?;
        }
        Some(Command::Dump { file }) => {
            let (doc, _) = load(file.as_deref(), &input)?;
            print(&dump::json(&doc))?;
        }
        Some(Command::Outline { file }) => {
            print(&dump::outline(&load(file.as_deref(), &input)?.0))?
        }
        Some(Command::Speakers { file }) => {
            print(&dump::speakers(&load(file.as_deref(), &input)?.0))?
        }
        Some(Command::Quotes { file }) => print(&dump::quotes(&load(file.as_deref(), &input)?.0))?,
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

/// Read, decode and parse a file (or the bundled sample when `path` is `None`).
fn load(path: Option<&Path>, input: &InputArgs) -> anyhow::Result<(Document, String)> {
    let (text, name) = match path {
        Some(p) => {
            let decoded = source::read(p, input.encoding.as_deref())?;
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            (decoded.text, name.unwrap_or_else(|| "stdin".into()))
        }
        None => (SAMPLE.to_string(), "sample.md".to_string()),
    };
    let opts = ParseOptions { format: input.format.map(Format::from), ..ParseOptions::default() };
    Ok((parse::parse(text, &opts), name))
}

/// Print to stdout; a closed pipe (`fangtan dump x | head`) is not an error.
fn print(s: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => Ok(r?),
    }
}

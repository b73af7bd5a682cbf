//! Options shared by several commands, and the validated configuration built from them.
//!
//! Raw arguments are turned into a [`Model`] and an [`Output`] once, up front; a bad actors or
//! lexicon file is a configuration error (exit 2) before any input is read.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

/// Bytes buffered in front of an output file or stdout (and of compare's spill file): writes
/// of this size let the kernel fill whole page-cache folios instead of zeroing part of each.
pub(crate) const WRITE_BUFFER: usize = 1 << 20;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// One JSON report (sorted keys, 4-decimal floats).
    Json,
    /// One JSON object per line, written as soon as it is ready.
    Jsonl,
    /// A tidy long table, one row per document and dyad (RFC 4180).
    Csv,
    /// A readable view for a terminal.
    Table,
    /// One line of mergeable integer totals per document (see `stance merge`).
    Partials,
}

/// When to colour the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Where documents come from.
#[derive(Debug, Args)]
pub(crate) struct InputArgs {
    /// Files or directories to read; `-` reads stdin (so does no PATHS with piped stdin).
    #[arg(value_name = "PATHS")]
    pub(crate) paths: Vec<String>,
    /// Read a document field from another JSONL key or CSV column, e.g. `text=body` (repeatable).
    #[arg(long = "column", value_name = "FIELD=COLUMN")]
    pub(crate) columns: Vec<String>,
}

/// The actor gazetteer and lexicon to score with.
#[derive(Debug, Args)]
pub(crate) struct ModelArgs {
    /// Extra actors file (`[[actor]]` code, name, aliases), merged over the built-ins (repeatable).
    #[arg(long = "actors", value_name = "FILE")]
    pub(crate) actors: Vec<PathBuf>,
    /// Start from an empty gazetteer instead of the built-in one.
    #[arg(long)]
    pub(crate) no_default_actors: bool,
    /// Extra lexicon file (`[[cue]]` pattern, stance, weight), merged over the built-ins (repeatable).
    #[arg(long = "lexicon", value_name = "FILE")]
    pub(crate) lexicon: Vec<PathBuf>,
}

/// How and where to write results.
#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// Output format [default: jsonl for score, json for compare, table otherwise].
    #[arg(long, value_enum)]
    pub(crate) format: Option<Format>,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// Colour terminal output (honours NO_COLOR in auto mode).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
    /// No progress bar.
    #[arg(short, long)]
    pub(crate) quiet: bool,
}

/// How many threads to score and compare with.
#[derive(Debug, Args)]
pub(crate) struct ThreadArgs {
    /// Worker threads [default: one per core]; results never depend on it.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub(crate) threads: Option<u16>,
}

/// The loaded gazetteer and lexicon.
pub(crate) struct Model {
    pub(crate) actors: score::Actors,
    pub(crate) lexicon: score::Lexicon,
}

fn read_config_file(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

impl ModelArgs {
    /// Loads the built-ins and every user file; an error names the file and line.
    pub(crate) fn load(&self) -> Result<Model> {
        let mut actors = if self.no_default_actors {
            score::Actors::empty()
        } else {
            score::Actors::builtin()
        };
        for path in &self.actors {
            let source = read_config_file(path)?;
            actors
                .load_toml(&path.display().to_string(), &source)
                .with_context(|| format!("bad actors file {}", path.display()))?;
        }
        let mut lexicon = score::Lexicon::builtin();
        for path in &self.lexicon {
            let source = read_config_file(path)?;
            lexicon
                .load_toml(&path.display().to_string(), &source)
                .with_context(|| format!("bad lexicon file {}", path.display()))?;
        }
        Ok(Model { actors, lexicon })
    }
}

impl InputArgs {
    /// The paths to read: as given, or `-` when none were given and stdin is piped.
    ///
    /// Returns `None` when there are no paths and stdin is a terminal (the caller prints help).
    pub(crate) fn resolve(&self) -> Option<Vec<String>> {
        if !self.paths.is_empty() {
            return Some(self.paths.clone());
        }
        if io::stdin().is_terminal() {
            None
        } else {
            Some(vec!["-".to_string()])
        }
    }

    /// The reading options for these arguments; a bad `--column` is a usage error.
    pub(crate) fn read_options(&self) -> Result<crate::input::ReadOptions> {
        crate::input::ReadOptions::new(&self.columns)
    }
}

/// The destination of a command's results.
pub(crate) struct Output {
    pub(crate) writer: Box<dyn Write>,
    pub(crate) color: bool,
    pub(crate) format: Format,
    pub(crate) quiet: bool,
}

impl OutputArgs {
    /// Opens the destination; `default_format` applies when `--format` was not given.
    pub(crate) fn open(&self, default_format: Format, allowed: &[Format]) -> Result<Output> {
        let format = self.format.unwrap_or(default_format);
        if !allowed.contains(&format) {
            let names: Vec<String> = allowed
                .iter()
                .filter_map(|f| f.to_possible_value())
                .map(|v| v.get_name().to_string())
                .collect();
            let name = format
                .to_possible_value()
                .map(|v| v.get_name().to_string())
                .unwrap_or_default();
            bail!(
                "--format {name} is not available here (use {})",
                names.join(", ")
            );
        }
        let (writer, is_terminal): (Box<dyn Write>, bool) = match &self.output {
            Some(path) => {
                let file = std::fs::File::create(path)
                    .with_context(|| format!("cannot create {}", path.display()))?;
                (
                    Box::new(io::BufWriter::with_capacity(WRITE_BUFFER, file)),
                    false,
                )
            }
            None => {
                let stdout = io::stdout();
                let is_terminal = stdout.is_terminal();
                (
                    Box::new(io::BufWriter::with_capacity(WRITE_BUFFER, stdout.lock())),
                    is_terminal,
                )
            }
        };
        let color = match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        Ok(Output {
            writer,
            color,
            format,
            quiet: self.quiet,
        })
    }
}

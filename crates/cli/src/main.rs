//! The `stance` command-line tool: score, compare and explain stances between actors in articles.
//!
//! The binary owns stdout, stderr, exit codes and every serialisable type; the libraries do the
//! work. Arguments are parsed once into per-command `Args` structs and validated into a model
//! and an output before any input is read.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod actors;
mod compare_cmd;
mod eval;
mod explain;
mod input;
mod lexicon;
mod merge_cmd;
mod options;
mod progress;
mod report;
mod score_cmd;
mod write;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// mimalloc instead of the system allocator: scoring and report rendering allocate many
/// small strings and vectors per document, on every worker (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  some inputs were rejected (results for the rest are still written; each problem is
     reported on stderr with its path and line)
  2  usage or configuration error (bad flag, bad actors or lexicon file)";

/// Measure how hawkish or conciliatory actors are shown to be toward each other in articles.
#[derive(Debug, Parser)]
#[command(name = "stance", version, about, after_help = EXIT_CODES, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Score documents: one stance matrix per document.
    #[command(after_help = EXIT_CODES)]
    Score(score_cmd::ScoreArgs),
    /// Score and compare documents: corpus matrix, contested dyads, similarity, timeline.
    #[command(after_help = EXIT_CODES)]
    Compare(compare_cmd::CompareArgs),
    /// Show the evidence behind one dyad, sentence by sentence.
    #[command(after_help = EXIT_CODES)]
    Explain(explain::ExplainArgs),
    /// List or search the actor gazetteer.
    #[command(after_help = EXIT_CODES)]
    Actors(actors::ActorsArgs),
    /// List lexicon cues, or check a lexicon file.
    #[command(after_help = EXIT_CODES)]
    Lexicon(lexicon::LexiconArgs),
    /// Measure accuracy against gold sentences with coded dyads (JSONL).
    #[command(after_help = EXIT_CODES)]
    Eval(eval::EvalArgs),
    /// Add partials lines (`stance score --format partials`) key by key; `--finalize` turns
    /// the totals into the corpus matrix, contested dyads, timeline, profiles and groups.
    #[command(after_help = EXIT_CODES)]
    Merge(merge_cmd::MergeArgs),
}

/// How a command ended when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Everything was read and written.
    Success,
    /// Some inputs were rejected; the rest were written.
    Rejected,
    /// No inputs were given on a terminal: help was printed.
    Help,
}

/// Prints a subcommand's help to stderr (used when it has no inputs on a terminal).
pub(crate) fn print_help(name: &str) {
    let mut command = Cli::command();
    // Building fills in the full usage names (`stance score`, not `score`).
    command.build();
    let help = match command.find_subcommand_mut(name) {
        Some(sub) => sub.render_help(),
        None => command.render_help(),
    };
    eprintln!("{help}");
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .and_then(|json| json.io_error_kind())
                .is_some_and(|kind| kind == std::io::ErrorKind::BrokenPipe)
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let threads = match &cli.command {
        Command::Score(args) => args.threads.threads,
        Command::Compare(args) => args.threads.threads,
        Command::Explain(args) => args.threads.threads,
        _ => None,
    };
    if let Some(threads) = threads {
        compare::use_threads(usize::from(threads));
    }
    let result = match cli.command {
        Command::Score(args) => score_cmd::run(&args),
        Command::Compare(args) => compare_cmd::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Actors(args) => actors::run(&args),
        Command::Lexicon(args) => lexicon::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Merge(args) => merge_cmd::run(&args),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Rejected) => ExitCode::from(1),
        Ok(Outcome::Help) => ExitCode::from(2),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("stance: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

//! `stance lexicon`: list cues, or check a lexicon file and report every error by line.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Args;
use serde::Serialize;

use crate::Outcome;
use crate::options::{Format, ModelArgs, OutputArgs};
use crate::report::{self, F4, SCHEMA};
use crate::write::{self, Paint};

/// Arguments of `stance lexicon`.
#[derive(Debug, Args)]
pub(crate) struct LexiconArgs {
    /// Show only cues whose pattern contains QUERY (case-insensitive), or whose stance is QUERY.
    pub(crate) query: Option<String>,
    /// Check FILE as a lexicon: print every problem with its line; exit 1 if there is one.
    #[arg(long, value_name = "FILE")]
    pub(crate) check: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) model: ModelArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// One cue in `stance lexicon --format json`.
#[derive(Debug, Serialize)]
struct CueReport<'a> {
    category: Option<&'a str>,
    pattern: &'a str,
    stance: &'a str,
    symmetric: bool,
    weight: F4,
}

/// `stance lexicon --format json`.
#[derive(Debug, Serialize)]
struct LexiconReport<'a> {
    cues: Vec<CueReport<'a>>,
    schema: &'static str,
}

/// A problem found by `--check`: the 1-based line (0 if unknown) and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckProblem {
    pub(crate) line: usize,
    pub(crate) message: String,
    pub(crate) warning: bool,
}

/// The result of checking a lexicon file.
#[derive(Debug, Default)]
pub(crate) struct CheckResult {
    pub(crate) problems: Vec<CheckProblem>,
    pub(crate) n_cues: usize,
    pub(crate) n_overrides: usize,
}

/// Checks a lexicon source, finding every bad `[[cue]]` rather than only the first.
///
/// The whole file is parsed first; if that fails, each `[[cue]]` block is parsed on its own
/// (with its line offset) so that one mistake does not hide the next.
pub(crate) fn check_source(file: &str, source: &str) -> CheckResult {
    let builtin = score::Lexicon::builtin();
    let mut result = CheckResult::default();
    // Block boundaries: the preamble, then each `[[cue]]` header to the next.
    let mut starts = vec![0usize];
    let mut offset = 0usize;
    for line in source.split_inclusive('\n') {
        if line.trim() == "[[cue]]" && offset > 0 {
            starts.push(offset);
        }
        offset += line.len();
    }
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (block_idx, &start) in starts.iter().enumerate() {
        let end = starts.get(block_idx + 1).copied().unwrap_or(source.len());
        let block = &source[start..end];
        let first_line = source[..start].matches('\n').count();
        let mut lexicon = score::Lexicon::empty();
        match lexicon.load_toml(file, block) {
            Ok(()) => {
                let header_line = first_line
                    + block
                        .lines()
                        .position(|l| l.trim() == "[[cue]]")
                        .map_or(1, |p| p + 1);
                for cue in lexicon.cues() {
                    result.n_cues += 1;
                    if builtin.cues().iter().any(|b| b.pattern == cue.pattern) {
                        result.n_overrides += 1;
                    }
                    if let Some((_, line)) =
                        seen.iter().find(|(pattern, _)| *pattern == cue.pattern)
                    {
                        result.problems.push(CheckProblem {
                            line: header_line,
                            message: format!(
                                "pattern {:?} repeats the cue at line {line}; the later one wins",
                                cue.pattern
                            ),
                            warning: true,
                        });
                    } else {
                        seen.push((cue.pattern.clone(), header_line));
                    }
                }
            }
            Err(error) => {
                let line = if error.line == 0 {
                    0
                } else {
                    first_line + error.line
                };
                result.problems.push(CheckProblem {
                    line,
                    message: error.message,
                    warning: false,
                });
            }
        }
    }
    // A file whose blocks each parse may still fail as a whole (a duplicated table, say).
    if result.problems.iter().all(|p| p.warning)
        && let Err(error) = score::Lexicon::empty().load_toml(file, source)
    {
        result.problems.push(CheckProblem {
            line: error.line,
            message: error.message,
            warning: false,
        });
    }
    result
        .problems
        .sort_by(|a, b| (a.line, &a.message).cmp(&(b.line, &b.message)));
    result
}

fn run_check(path: &Path) -> Result<Outcome> {
    let file = path.display().to_string();
    let source = match std::fs::read_to_string(path) {
        Ok(source) => source,
        Err(error) => {
            eprintln!("stance: {file}: cannot read: {error}");
            return Ok(Outcome::Rejected);
        }
    };
    let result = check_source(&file, &source);
    let mut n_errors = 0;
    for problem in &result.problems {
        let kind = if problem.warning { "warning: " } else { "" };
        n_errors += usize::from(!problem.warning);
        eprintln!("stance: {kind}{file}:{}: {}", problem.line, problem.message);
    }
    if n_errors > 0 {
        eprintln!("{file}: {n_errors} error(s)");
        return Ok(Outcome::Rejected);
    }
    let mut stdout = std::io::stdout().lock();
    writeln!(
        stdout,
        "{file}: ok, {} cues ({} override built-in cues)",
        result.n_cues, result.n_overrides
    )?;
    Ok(Outcome::Success)
}

/// Runs `stance lexicon`.
pub(crate) fn run(args: &LexiconArgs) -> Result<Outcome> {
    if let Some(path) = &args.check {
        return run_check(path);
    }
    let model = args.model.load()?;
    let mut output = args.output.open(
        Format::Table,
        &[Format::Table, Format::Json, Format::Jsonl, Format::Csv],
    )?;
    let paint = Paint {
        enabled: output.color,
    };
    let selected: Vec<&score::Cue> = model
        .lexicon
        .cues()
        .iter()
        .filter(|cue| {
            args.query.as_deref().is_none_or(|query| {
                let query = query.to_lowercase();
                cue.pattern.contains(&query) || cue.stance.as_str() == query
            })
        })
        .collect();
    let out = &mut output.writer;
    match output.format {
        Format::Json => {
            let report = LexiconReport {
                cues: selected.iter().map(|cue| as_report(cue)).collect(),
                schema: SCHEMA,
            };
            report::write_json_pretty(out, &report)?;
        }
        Format::Jsonl => {
            for cue in &selected {
                serde_json::to_writer(&mut *out, &as_report(cue))?;
                writeln!(out)?;
            }
        }
        Format::Csv => {
            write::csv_record(
                out,
                &["pattern", "stance", "weight", "category", "symmetric"],
            )?;
            for cue in &selected {
                write::csv_record(
                    out,
                    &[
                        &cue.pattern,
                        cue.stance.as_str(),
                        &write::number(cue.weight.as_f64()),
                        cue.category.as_deref().unwrap_or(""),
                        if cue.symmetric { "true" } else { "false" },
                    ],
                )?;
            }
        }
        // `open` rejects partials here, so this arm only ever sees tables.
        Format::Table | Format::Partials => {
            let width = selected
                .iter()
                .map(|c| c.pattern.len())
                .max()
                .unwrap_or(7)
                .clamp(7, 40);
            for cue in &selected {
                let signed = match cue.stance {
                    score::Stance::Hawkish => -cue.weight.as_f64(),
                    score::Stance::Conciliatory => cue.weight.as_f64(),
                };
                let stance = format!("{:<12}", cue.stance.as_str());
                writeln!(
                    out,
                    "{:<width$}  {}  {}{}{}",
                    cue.pattern,
                    paint.score(signed, &stance),
                    cue.weight,
                    cue.category
                        .as_deref()
                        .map(|c| format!("  {c}"))
                        .unwrap_or_default(),
                    if cue.symmetric { "  symmetric" } else { "" },
                )?;
            }
            if selected.is_empty() {
                writeln!(out, "no cue matches")?;
            }
        }
    }
    out.flush().context("cannot write output")?;
    Ok(Outcome::Success)
}

fn as_report(cue: &score::Cue) -> CueReport<'_> {
    CueReport {
        category: cue.category.as_deref(),
        pattern: &cue.pattern,
        stance: cue.stance.as_str(),
        symmetric: cue.symmetric,
        weight: F4(cue.weight.as_f64()),
    }
}

#[cfg(test)]
mod tests;

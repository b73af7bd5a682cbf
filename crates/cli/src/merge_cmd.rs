//! `stance merge`: add partials lines key by key, and optionally finalize them.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use crate::Outcome;
use crate::report::{self, ErrorReport, PartialsLine};

/// Arguments of `stance merge`.
#[derive(Debug, Args)]
pub(crate) struct MergeArgs {
    /// Files of partials lines (`stance score --format partials`); `-` reads stdin (so does no
    /// FILES with piped stdin).
    #[arg(value_name = "FILES")]
    pub(crate) files: Vec<String>,
    /// Write the corpus matrix, contested dyads, timeline, profiles and (for lines written with
    /// `--group-by`) groups instead of merged partials.
    #[arg(long)]
    pub(crate) finalize: bool,
    /// Write to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
    /// With `--finalize`: neighbours kept per group when there are too many groups for a full
    /// similarity matrix (as `stance compare --top-k`).
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) top_k: u32,
}

/// What the lines read so far add up to.
#[derive(Default)]
struct Merged {
    total: compare::Partial,
    /// Inputs rejected upstream, carried in the lines.
    errors: Vec<ErrorReport>,
    /// The `--group-by` field of the lines that have one; all must agree.
    group_by: Option<String>,
}

/// Adds one partials line to `merged`; the error names what is wrong with the line (and then
/// nothing is changed).
fn add_line(merged: &mut Merged, text: &str) -> Result<(), String> {
    let mut line: PartialsLine = serde_json::from_str(text).map_err(|error| error.to_string())?;
    if let (Some(field), Some(seen)) = (&line.group_by, &merged.group_by)
        && field != seen
    {
        return Err(format!(
            "grouped by {field:?}, but earlier lines are grouped by {seen:?}"
        ));
    }
    let carried = std::mem::take(&mut line.errors);
    let group_by = line.group_by.take();
    let partial = report::read_partials_line(line)?;
    merged.total = std::mem::take(&mut merged.total).merge(partial);
    merged.errors.extend(carried);
    if group_by.is_some() {
        merged.group_by = group_by;
    }
    Ok(())
}

/// The document id of a line that could not be read, if it can be found.
fn doc_id(text: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    value.get("doc")?.as_str().map(str::to_owned)
}

/// Runs `stance merge`.
pub(crate) fn run(args: &MergeArgs) -> Result<Outcome> {
    let files = if args.files.is_empty() {
        if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            crate::print_help("merge");
            return Ok(Outcome::Help);
        }
        vec!["-".to_owned()]
    } else {
        args.files.clone()
    };
    let mut merged = Merged::default();
    let mut rejected = false;
    for file in &files {
        let reader: Box<dyn BufRead> = if file == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            let opened = std::fs::File::open(file).with_context(|| format!("cannot read {file}"));
            match opened {
                Ok(opened) => Box::new(std::io::BufReader::new(opened)),
                Err(error) => {
                    eprintln!("stance: {file}: {error:#}");
                    rejected = true;
                    continue;
                }
            }
        };
        for (line_idx, text) in reader.lines().enumerate() {
            let text = text.with_context(|| format!("cannot read {file}"))?;
            if text.trim().is_empty() {
                continue;
            }
            if let Err(message) = add_line(&mut merged, &text) {
                let id = match doc_id(&text) {
                    Some(doc) => format!(" (document {doc:?})"),
                    None => String::new(),
                };
                eprintln!("stance: {file}:{}{id}: {message}", line_idx + 1);
                rejected = true;
            }
        }
    }
    // Inputs that `stance score --inline-errors` rejected upstream are reported here, where a
    // distributed run ends, and make the exit code 1 like any rejected input.
    let Merged {
        total,
        errors: mut carried,
        group_by,
    } = merged;
    carried.sort();
    for error in &carried {
        eprintln!(
            "stance: {}: {} (carried in the partials)",
            error.input, error.message
        );
    }
    rejected |= !carried.is_empty();
    let mut out: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    if args.finalize {
        let options = compare::Options {
            top_k: args.top_k as usize,
            ..compare::Options::default()
        };
        let report = report::finalized_report(&total, carried, group_by.as_deref(), &options);
        report::write_json_pretty(&mut out, &report)?;
    } else {
        let mut line = report::partials_line(&total, None);
        line.errors = carried;
        line.group_by = group_by;
        serde_json::to_writer(&mut out, &line)?;
        writeln!(out)?;
    }
    out.flush().context("cannot write output")?;
    Ok(if rejected {
        Outcome::Rejected
    } else {
        Outcome::Success
    })
}

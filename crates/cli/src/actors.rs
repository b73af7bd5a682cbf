//! `stance actors`: list or search the actor gazetteer.

use std::io::Write;

use anyhow::{Context, Result};
use clap::Args;
use serde::Serialize;

use crate::Outcome;
use crate::options::{Format, ModelArgs, OutputArgs};
use crate::report::{self, SCHEMA};
use crate::write::{self, Paint};

/// Arguments of `stance actors`.
#[derive(Debug, Args)]
pub(crate) struct ActorsArgs {
    /// Show only actors whose code, name or an alias contains QUERY (case-insensitive).
    pub(crate) query: Option<String>,
    #[command(flatten)]
    pub(crate) model: ModelArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
}

/// One actor in `stance actors --format json`.
#[derive(Debug, Serialize)]
struct ActorReport<'a> {
    aliases: &'a [String],
    code: &'a str,
    name: &'a str,
}

/// `stance actors --format json`.
#[derive(Debug, Serialize)]
struct ActorsReport<'a> {
    actors: Vec<ActorReport<'a>>,
    schema: &'static str,
}

fn matches(actor: &score::Actor, query: &str) -> bool {
    let query = query.to_lowercase();
    actor.code.to_lowercase().contains(&query)
        || actor.name.to_lowercase().contains(&query)
        || actor
            .aliases
            .iter()
            .any(|alias| alias.to_lowercase().contains(&query))
}

/// Runs `stance actors`.
pub(crate) fn run(args: &ActorsArgs) -> Result<Outcome> {
    let model = args.model.load()?;
    let mut output = args.output.open(
        Format::Table,
        &[Format::Table, Format::Json, Format::Jsonl, Format::Csv],
    )?;
    let paint = Paint {
        enabled: output.color,
    };
    let selected: Vec<&score::Actor> = model
        .actors
        .list()
        .iter()
        .filter(|actor| {
            args.query
                .as_deref()
                .is_none_or(|query| matches(actor, query))
        })
        .collect();
    let out = &mut output.writer;
    match output.format {
        Format::Json => {
            let report = ActorsReport {
                actors: selected.iter().map(|actor| as_report(actor)).collect(),
                schema: SCHEMA,
            };
            report::write_json_pretty(out, &report)?;
        }
        Format::Jsonl => {
            for actor in &selected {
                serde_json::to_writer(&mut *out, &as_report(actor))?;
                writeln!(out)?;
            }
        }
        Format::Csv => {
            write::csv_record(out, &["code", "name", "aliases"])?;
            for actor in &selected {
                write::csv_record(out, &[&actor.code, &actor.name, &actor.aliases.join("; ")])?;
            }
        }
        // `open` rejects partials here, so this arm only ever sees tables.
        Format::Table | Format::Partials => {
            let code_width = selected
                .iter()
                .map(|a| a.code.len())
                .max()
                .unwrap_or(4)
                .max(4);
            let name_width = selected
                .iter()
                .map(|a| a.name.len())
                .max()
                .unwrap_or(4)
                .clamp(4, 32);
            for actor in &selected {
                writeln!(
                    out,
                    "{}  {:<name_width$}  {}",
                    paint.bold(&format!("{:<code_width$}", actor.code)),
                    actor.name,
                    actor.aliases.join(", ")
                )?;
            }
            if selected.is_empty() {
                writeln!(out, "no actor matches")?;
            }
        }
    }
    out.flush().context("cannot write output")?;
    Ok(Outcome::Success)
}

fn as_report(actor: &score::Actor) -> ActorReport<'_> {
    ActorReport {
        aliases: &actor.aliases,
        code: &actor.code,
        name: &actor.name,
    }
}

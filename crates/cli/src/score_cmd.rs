//! `stance score`: ingest and score documents, writing each as soon as its batch is scored.

use std::io::Write;

use anyhow::{Context, Result};
use clap::Args;

use crate::Outcome;
use crate::input::{self, Item, Problem, ReadOptions};
use crate::options::{Format, InputArgs, ModelArgs, OutputArgs, ThreadArgs};
use crate::progress::Progress;
use crate::report::{self, DocumentReport, ErrorReport, SCHEMA, ScoreReport};
use crate::write::{self, Paint};

/// Arguments of `stance score`.
#[derive(Debug, Args)]
pub(crate) struct ScoreArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) model: ModelArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    #[command(flatten)]
    pub(crate) threads: ThreadArgs,
    /// With `--format partials`, also key totals by this field: outlet, year, month, date, id,
    /// title, or a metadata field (the corpus key is always written).
    #[arg(long, value_name = "FIELD")]
    pub(crate) group_by: Option<String>,
    /// With `--format partials`, also write the rejected inputs as one partials line with an
    /// `errors` list, for `stance merge` to report at the end, and exit 0 despite them: for
    /// filters whose runner fails on a non-zero exit (Spark's `rdd.pipe(checkCode=True)`).
    #[arg(long)]
    pub(crate) inline_errors: bool,
}

/// Documents scored per batch: large enough to keep every core busy, small enough that
/// memory stays bounded however large the corpus.
const BATCH: usize = 256;

/// One scored document, with the sentence start offsets when it was scored from text.
pub(crate) struct Scored {
    pub(crate) doc: score::ScoredDocument,
    /// Byte offset of each sentence's first byte (absent for documents read back from JSONL).
    pub(crate) sentence_starts: Option<Vec<usize>>,
}

/// Inputs that were rejected, as reported on stderr.
#[derive(Default)]
pub(crate) struct Problems {
    pub(crate) errors: Vec<ErrorReport>,
}

impl Problems {
    fn report(&mut self, problem: Problem, progress: &Progress) {
        if problem.warning {
            progress.println(&format!(
                "stance: warning: {}: {}",
                problem.input, problem.message
            ));
        } else {
            progress.println(&format!("stance: {}: {}", problem.input, problem.message));
            self.errors.push(ErrorReport {
                input: problem.input,
                message: problem.message,
            });
        }
    }

    /// The outcome: rejected if any input was.
    pub(crate) fn outcome(&self) -> Outcome {
        if self.errors.is_empty() {
            Outcome::Success
        } else {
            Outcome::Rejected
        }
    }
}

/// Everything needed to score a stream of inputs.
pub(crate) struct Pipeline<'a> {
    pub(crate) paths: &'a [String],
    pub(crate) read_options: &'a ReadOptions,
    pub(crate) scorer: &'a score::Scorer,
}

fn score_batch(pipeline: &Pipeline<'_>, batch: Vec<Item>) -> Vec<Scored> {
    // Raw documents are scored in parallel (compare owns the rayon driver), then put back in
    // input order among any documents that were read back already scored.
    let mut raw = Vec::new();
    let mut slots = Vec::with_capacity(batch.len());
    for item in batch {
        match item {
            Item::Raw(doc) => {
                slots.push(None);
                raw.push(doc);
            }
            Item::Scored(doc) => slots.push(Some(doc)),
        }
    }
    let scored = compare::score_corpus(pipeline.scorer, &raw);
    let mut scored = scored.into_iter().zip(&raw);
    let mut out = Vec::with_capacity(slots.len());
    for slot in slots {
        match slot {
            Some(doc) => out.push(Scored {
                doc,
                sentence_starts: None,
            }),
            None => {
                if let Some((doc, raw_doc)) = scored.next() {
                    let starts = raw_doc.sentences.iter().map(|span| span.start).collect();
                    out.push(Scored {
                        doc,
                        sentence_starts: Some(starts),
                    });
                }
            }
        }
    }
    out
}

/// Reads, scores and hands over documents in input order, `BATCH` at a time.
pub(crate) fn run_pipeline(
    pipeline: &Pipeline<'_>,
    progress: &mut Progress,
    problems: &mut Problems,
    mut sink: impl FnMut(Vec<Scored>) -> Result<()>,
) -> Result<()> {
    let mut batch = Vec::with_capacity(BATCH);
    for item in input::read(pipeline.paths, pipeline.read_options) {
        match item {
            Ok(item) => batch.push(item),
            Err(problem) => problems.report(problem, progress),
        }
        if batch.len() == BATCH {
            let scored = score_batch(
                pipeline,
                std::mem::replace(&mut batch, Vec::with_capacity(BATCH)),
            );
            progress.inc(scored.len() as u64);
            sink(scored)?;
        }
    }
    if !batch.is_empty() {
        let scored = score_batch(pipeline, batch);
        progress.inc(scored.len() as u64);
        sink(scored)?;
    }
    Ok(())
}

/// Runs `stance score`.
pub(crate) fn run(args: &ScoreArgs) -> Result<Outcome> {
    let Some(paths) = args.input.resolve() else {
        crate::print_help("score");
        return Ok(Outcome::Help);
    };
    if args.inline_errors && args.output.format != Some(Format::Partials) {
        anyhow::bail!("--inline-errors needs --format partials");
    }
    let read_options = args.input.read_options()?;
    let model = args.model.load()?;
    let scorer = score::Scorer::new(&model.actors, &model.lexicon);
    let mut output = args.output.open(
        Format::Jsonl,
        &[
            Format::Json,
            Format::Jsonl,
            Format::Csv,
            Format::Table,
            Format::Partials,
        ],
    )?;
    let paint = Paint {
        enabled: output.color,
    };
    let pipeline = Pipeline {
        paths: &paths,
        read_options: &read_options,
        scorer: &scorer,
    };
    let mut progress = Progress::new(output.quiet, "scoring");
    let mut problems = Problems::default();
    let mut collected: Vec<DocumentReport> = Vec::new();
    let format = output.format;
    let out = &mut output.writer;
    if format == Format::Csv {
        write::csv_record(out, &write::CSV_HEADER.split(',').collect::<Vec<_>>())?;
    }
    run_pipeline(&pipeline, &mut progress, &mut problems, |batch| {
        for scored in batch {
            if format == Format::Partials {
                let line = report::document_partials(&scored.doc, args.group_by.as_deref());
                serde_json::to_writer(&mut *out, &line)?;
                writeln!(out)?;
                continue;
            }
            let mut doc = report::document_report(&scored.doc);
            match format {
                Format::Jsonl => {
                    doc.schema = Some(SCHEMA.to_string());
                    serde_json::to_writer(&mut *out, &doc)?;
                    writeln!(out)?;
                }
                Format::Csv => write::csv_document(out, &doc)?,
                Format::Table => write::table_document(out, &doc, paint)?,
                Format::Json => collected.push(doc),
                // Written above, without building the report.
                Format::Partials => {}
            }
        }
        out.flush().context("cannot write output")
    })?;
    progress.finish();
    if format == Format::Partials && args.inline_errors {
        if !problems.errors.is_empty() {
            let mut line = report::partials_line(&compare::Partial::default(), None);
            line.errors = std::mem::take(&mut problems.errors);
            serde_json::to_writer(&mut *out, &line)?;
            writeln!(out)?;
        }
    } else if format == Format::Json {
        let report = ScoreReport {
            documents: collected,
            errors: problems.errors.clone(),
            schema: SCHEMA,
        };
        report::write_json_pretty(out, &report)?;
    }
    out.flush().context("cannot write output")?;
    Ok(problems.outcome())
}

//! `stance score`: ingest and score documents, writing each as soon as its batch is scored.

use std::io::Write;

use anyhow::{Context, Result};
use clap::Args;
use rayon::prelude::*;

use crate::Outcome;
use crate::input::{self, Item, Problem, ReadOptions};
use crate::options::{Format, InputArgs, ModelArgs, OutputArgs, ThreadArgs};
use crate::progress::Progress;
use crate::report::{self, ErrorReport, SCHEMA, ScoreReport};
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
    /// Byte offset of each sentence's first byte, when the pipeline asked for them (absent for
    /// documents read back from JSONL).
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
    /// Whether scored documents carry their sentence starts ([`Scored::sentence_starts`]):
    /// only `stance explain` reads them (1.6 MB for a 29.7 MB document).
    pub(crate) sentence_starts: bool,
}

/// Scores one batch read in input order: records are built (parsed, cleaned, segmented),
/// scored and handed to `finish` in parallel (compare owns the rayon driver); documents read
/// back already scored only go through `finish`. The output keeps input order, with each
/// problem where its item was.
fn score_batch<T: Send>(
    pipeline: &Pipeline<'_>,
    batch: Vec<Result<Item, Problem>>,
    finish: &(dyn Fn(Scored) -> T + Sync),
) -> Vec<Result<Finished<T>, Problem>> {
    enum Slot {
        Record,
        Scored,
        Problem(Problem),
    }
    let mut records = Vec::new();
    let mut lines = Vec::new();
    let mut slots = Vec::with_capacity(batch.len());
    for item in batch {
        match item {
            Ok(Item::Raw(record)) => {
                slots.push(Slot::Record);
                records.push(record);
            }
            Ok(Item::Scored(line)) => {
                slots.push(Slot::Scored);
                lines.push(line);
            }
            Err(problem) => slots.push(Slot::Problem(problem)),
        }
    }
    // Documents read back already scored are parsed and finished on the workers too.
    let mut parsed = lines
        .into_par_iter()
        .with_max_len(1)
        .map(|line| {
            line.parse().map(|doc| Finished {
                item: finish(Scored {
                    doc,
                    sentence_starts: None,
                }),
                warnings: Vec::new(),
            })
        })
        .collect::<Vec<_>>()
        .into_iter();
    let finish_raw = |raw_doc: ingest::Document, doc: score::ScoredDocument| {
        let starts = pipeline
            .sentence_starts
            .then(|| raw_doc.sentences.iter().map(|span| span.start).collect());
        Finished {
            item: finish(Scored {
                doc,
                sentence_starts: starts,
            }),
            warnings: raw_doc.warnings,
        }
    };
    let mut finished = compare::score_records(pipeline.scorer, records, &finish_raw).into_iter();
    let mut out = Vec::with_capacity(slots.len());
    for slot in slots {
        match slot {
            Slot::Record => {
                if let Some(result) = finished.next() {
                    out.push(result.map_err(|error| input::problem(&error, pipeline.paths)));
                }
            }
            Slot::Scored => {
                if let Some(result) = parsed.next() {
                    out.push(result);
                }
            }
            Slot::Problem(problem) => out.push(Err(problem)),
        }
    }
    out
}

/// A document through `finish`, with what reading it warned about (an unrecognised date,
/// invalid UTF-8, nothing left after cleaning), each message led by the input's location.
struct Finished<T> {
    item: T,
    warnings: Vec<String>,
}

/// Reads, scores and hands over documents in input order, `BATCH` at a time.
pub(crate) fn run_pipeline(
    pipeline: &Pipeline<'_>,
    progress: &mut Progress,
    problems: &mut Problems,
    sink: impl FnMut(Vec<Scored>) -> Result<()>,
) -> Result<()> {
    run_pipeline_with(pipeline, progress, problems, &|scored| scored, sink)
}

/// Like [`run_pipeline`], but each scored document first goes through `finish` on the worker
/// that scored it (rendering its report, say), and `sink` gets what `finish` returned.
///
/// Problems, and the warnings of documents that were read, are reported on stderr in input
/// order, each batch's before its documents reach `sink`.
pub(crate) fn run_pipeline_with<T: Send>(
    pipeline: &Pipeline<'_>,
    progress: &mut Progress,
    problems: &mut Problems,
    finish: &(dyn Fn(Scored) -> T + Sync),
    mut sink: impl FnMut(Vec<T>) -> Result<()>,
) -> Result<()> {
    // Reading, scoring and `sink` each run on their own thread, a batch apart: the workers
    // score one batch while the next is read (splitting CSV rows or JSONL lines), and do not
    // wait while `sink` takes the one before (writing it, adding it to totals). Reading on
    // the scoring thread left both workers idle for every batch's read: reading ahead cut
    // the two-thread time on real news by about a fifth. The reader hands a batch over only when scoring takes it
    // (a rendezvous channel), so it holds at most the one batch it is reading or offering.
    std::thread::scope(|scope| {
        let (batch_sender, batches) = std::sync::mpsc::sync_channel(0);
        scope.spawn(move || {
            let mut batch = Vec::with_capacity(BATCH);
            let mut n_items = 0;
            for item in input::read(pipeline.paths, pipeline.read_options) {
                n_items += usize::from(item.is_ok());
                batch.push(item);
                if n_items == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    if batch_sender.send(full).is_err() {
                        // Scoring stopped (`sink` failed): stop reading.
                        return;
                    }
                    n_items = 0;
                }
            }
            if !batch.is_empty() {
                // An error here only means scoring already stopped.
                let _ = batch_sender.send(batch);
            }
        });
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        scope.spawn(move || {
            for batch in batches {
                if sender.send(score_batch(pipeline, batch, finish)).is_err() {
                    // `sink` failed and the receiver is gone: stop scoring, which drops
                    // `batches` and so stops the reader.
                    return;
                }
            }
        });
        // Leaving this loop early (`sink` failed) drops the receiver, which stops the reader.
        for scored in receiver {
            let mut documents = Vec::with_capacity(scored.len());
            for result in scored {
                match result {
                    Ok(finished) => {
                        for warning in &finished.warnings {
                            progress.println(&format!("stance: warning: {warning}"));
                        }
                        documents.push(finished.item);
                    }
                    Err(problem) => problems.report(problem, progress),
                }
            }
            if documents.is_empty() {
                continue;
            }
            progress.inc(documents.len() as u64);
            sink(documents)?;
        }
        Ok(())
    })
}

/// One document of `stance score`'s output, rendered on the worker that scored it.
enum Rendered {
    /// Its bytes, for the formats written document by document.
    Bytes(Vec<u8>),
    /// Its element of the `documents` array, for `--format json`, which writes all documents
    /// in one object.
    Element(Vec<u8>),
    /// The document itself, for its JSON (line or element) to be written in pieces by the
    /// output's thread: it is larger than [`STREAM_ABOVE`].
    Large(Scored),
}

/// Documents whose JSON would take more than this many bytes are not rendered whole on a
/// worker but written out in pieces ([`report::stream_document`]): evidence sentences make a
/// report about three times the size of its text, and holding it whole made one 3 MB
/// document cost 9 MB more memory.
const STREAM_ABOVE: usize = 1 << 20;

/// The pretty-printed `--format json` report up to the elements of `documents`, its first key.
const JSON_OPENING: &[u8] = b"{\n  \"documents\": [";

/// Renders one scored document in `format`.
fn render(
    scored: Scored,
    format: Format,
    group_by: Option<&str>,
    paint: Paint,
) -> Result<Rendered> {
    let mut bytes = Vec::new();
    if matches!(format, Format::Json | Format::Jsonl) {
        let size = report::size_hint(
            &scored.doc,
            if format == Format::Json {
                report::Layout::Pretty
            } else {
                report::Layout::Compact
            },
        );
        if size > STREAM_ABOVE {
            return Ok(Rendered::Large(scored));
        }
        bytes.reserve(size);
    }
    match format {
        Format::Partials => {
            let line = report::document_partials(&scored.doc, group_by);
            serde_json::to_writer(&mut bytes, &line)?;
            bytes.push(b'\n');
        }
        // Straight from the scored document: the same bytes as serialising its report (with
        // the schema tag on a line), without copying every evidence sentence into a report.
        Format::Jsonl => report::document_line(&mut bytes, &scored.doc),
        Format::Json => {
            report::document_element(&mut bytes, &scored.doc);
            return Ok(Rendered::Element(bytes));
        }
        Format::Csv => write::csv_document(&mut bytes, &report::document_report(&scored.doc))?,
        Format::Table => {
            write::table_document(&mut bytes, &report::document_report(&scored.doc), paint)?;
        }
    }
    Ok(Rendered::Bytes(bytes))
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
        sentence_starts: false,
    };
    let mut progress = Progress::new(output.quiet, "scoring");
    let mut problems = Problems::default();
    let format = output.format;
    let out = &mut output.writer;
    if format == Format::Csv {
        write::csv_record(out, &write::CSV_HEADER.split(',').collect::<Vec<_>>())?;
    }
    // `--format json` writes the report's first key, `documents`, and its elements as they
    // come; the rest of the report (the errors) follows them at the end.
    if format == Format::Json {
        out.write_all(JSON_OPENING)?;
    }
    let mut n_elements = 0usize;
    let group_by = args.group_by.as_deref();
    let finish = |scored: Scored| render(scored, format, group_by, paint);
    run_pipeline_with(&pipeline, &mut progress, &mut problems, &finish, |batch| {
        for rendered in batch {
            let rendered = rendered?;
            // An element of the `documents` array, whole or streamed, follows a `,` after the
            // first.
            if matches!(rendered, Rendered::Element(_))
                || matches!(rendered, Rendered::Large(_)) && format == Format::Json
            {
                if n_elements > 0 {
                    out.write_all(b",")?;
                }
                n_elements += 1;
            }
            match rendered {
                Rendered::Bytes(bytes) | Rendered::Element(bytes) => out.write_all(&bytes)?,
                Rendered::Large(scored) => {
                    report::stream_document(out, &scored.doc, format == Format::Json)?;
                }
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
            documents: Vec::new(),
            errors: problems.errors.clone(),
            schema: SCHEMA,
        };
        // serde writes the report with `documents` empty; what follows its `[]` comes after the
        // elements already written.
        let pretty = serde_json::to_vec_pretty(&report)?;
        let rest = pretty
            .strip_prefix(JSON_OPENING)
            .and_then(|rest| rest.strip_prefix(b"]"))
            .context("internal error: the report does not start with its documents")?;
        if n_elements > 0 {
            out.write_all(b"\n  ")?;
        }
        out.write_all(b"]")?;
        out.write_all(rest)?;
        out.write_all(b"\n")?;
    }
    out.flush().context("cannot write output")?;
    Ok(problems.outcome())
}

//! `stance compare`: score documents and compare them across the corpus.

use std::io::Write;

use anyhow::{Context, Result};
use clap::Args;

use crate::Outcome;
use crate::options::{Format, InputArgs, ModelArgs, OutputArgs, ThreadArgs};
use crate::progress::Progress;
use crate::report::{self, CompareReport, SimilarityReport, compare_report};
use crate::score_cmd::{Pipeline, Problems, run_pipeline};
use crate::write::{self, Paint, signed};

/// Arguments of `stance compare`.
#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) model: ModelArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    #[command(flatten)]
    pub(crate) threads: ThreadArgs,
    /// Also compare groups of documents: outlet, year, month, date, or a metadata field.
    #[arg(long, value_name = "FIELD")]
    pub(crate) group_by: Option<String>,
    /// Neighbours kept per document when the corpus is too large for a full similarity matrix.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) top_k: u32,
}

/// Runs `stance compare`.
pub(crate) fn run(args: &CompareArgs) -> Result<Outcome> {
    let Some(paths) = args.input.resolve() else {
        crate::print_help("compare");
        return Ok(Outcome::Help);
    };
    let read_options = args.input.read_options()?;
    let model = args.model.load()?;
    let scorer = score::Scorer::new(&model.actors, &model.lexicon);
    let mut output = args.output.open(
        Format::Json,
        &[Format::Json, Format::Jsonl, Format::Csv, Format::Table],
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
    let mut documents: Vec<score::ScoredDocument> = Vec::new();
    run_pipeline(&pipeline, &mut progress, &mut problems, |batch| {
        documents.extend(batch.into_iter().map(|scored| scored.doc));
        Ok(())
    })?;
    progress.finish();

    let options = compare::Options {
        group_by: args.group_by.clone(),
        top_k: args.top_k as usize,
        threads: args.threads.threads.map(usize::from),
        ..compare::Options::default()
    };
    let comparison = compare::compare(&documents, &options);
    // Each scored document is dropped as soon as its report exists, to keep the peak low.
    let reports: Vec<_> = documents
        .into_iter()
        .map(|doc| report::document_report(&doc))
        .collect();
    let report = compare_report(reports, &comparison, problems.errors.clone());
    let out = &mut output.writer;
    match output.format {
        Format::Json => report::write_json_pretty(out, &report)?,
        Format::Jsonl => {
            serde_json::to_writer(&mut *out, &report)?;
            writeln!(out)?;
        }
        Format::Csv => {
            write::csv_record(out, &write::CSV_HEADER.split(',').collect::<Vec<_>>())?;
            for doc in &report.documents {
                write::csv_document(out, doc)?;
            }
        }
        // `open` rejects partials here, so this arm only ever sees tables.
        Format::Table | Format::Partials => write_table(out, &report, paint)?,
    }
    out.flush().context("cannot write output")?;
    Ok(problems.outcome())
}

/// The readable terminal view of a comparison.
fn write_table(out: &mut dyn Write, report: &CompareReport, paint: Paint) -> std::io::Result<()> {
    for doc in &report.documents {
        write::table_document(out, doc, paint)?;
    }
    writeln!(
        out,
        "{}",
        paint.bold(&format!("Corpus ({} documents)", report.documents.len()))
    )?;
    write::matrix_table(out, &report.corpus.matrix, paint)?;
    writeln!(out)?;

    writeln!(
        out,
        "{}",
        paint.bold("Contested dyads (most contested first)")
    )?;
    if report.contested.is_empty() {
        writeln!(out, "  none")?;
    }
    for contested in &report.contested {
        let side = |docs: &[report::ContestedDocReport]| {
            docs.iter()
                .map(|d| format!("{} {}", d.doc, signed(d.score.0)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(
            out,
            "  {} -> {}  measure {}\n    conciliatory: {}\n    hawkish:      {}",
            contested.source,
            contested.target,
            write::number(contested.measure.0),
            paint.score(1.0, &side(&contested.conciliatory_docs)),
            paint.score(-1.0, &side(&contested.hawkish_docs)),
        )?;
    }
    writeln!(out)?;

    writeln!(out, "{}", paint.bold("Nearest neighbours"))?;
    match &report.similarity {
        SimilarityReport::Full {
            documents, matrix, ..
        } => {
            for (doc_idx, id) in documents.iter().enumerate() {
                let nearest = matrix.get(doc_idx).and_then(|row| {
                    row.iter()
                        .enumerate()
                        .filter(|&(other, value)| other != doc_idx && value.rounded() > 0.0)
                        .max_by(|a, b| a.1.rounded().total_cmp(&b.1.rounded()).then(b.0.cmp(&a.0)))
                });
                if let Some((other, value)) = nearest {
                    writeln!(
                        out,
                        "  {id}  ~  {}  {}",
                        documents[other],
                        write::number(value.0)
                    )?;
                }
            }
        }
        SimilarityReport::TopK {
            documents,
            neighbours,
            ..
        } => {
            for (id, list) in documents.iter().zip(neighbours) {
                if let Some(first) = list.first().filter(|first| first.score.rounded() > 0.0) {
                    writeln!(
                        out,
                        "  {id}  ~  {}  {}",
                        first.doc,
                        write::number(first.score.0)
                    )?;
                }
            }
        }
    }
    writeln!(out)?;

    writeln!(out, "{}", paint.bold("Timeline (dated documents per dyad)"))?;
    if report.timeline.iter().all(|t| t.points.is_empty()) {
        writeln!(out, "  no dated evidence")?;
    }
    for dyad in report.timeline.iter().filter(|t| !t.points.is_empty()) {
        let points: Vec<String> = dyad
            .points
            .iter()
            .map(|p| format!("{} {}", p.date, paint.score(p.score.0, &signed(p.score.0))))
            .collect();
        writeln!(
            out,
            "  {} -> {}: {}",
            dyad.source,
            dyad.target,
            points.join(", ")
        )?;
    }
    Ok(())
}

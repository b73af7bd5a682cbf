//! `stance compare`: score documents and compare them across the corpus.

use std::io::{Read, Seek, Write};

use anyhow::{Context, Result};
use clap::Args;

use crate::Outcome;
use crate::options::{Format, InputArgs, ModelArgs, OutputArgs, ThreadArgs};
use crate::progress::Progress;
use crate::report::{self, CompareReport, SimilarityReport, compare_report};
use crate::score_cmd::{Pipeline, Problems, Scored, run_pipeline_with};
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
    /// Similarity of documents (and of groups): the full matrix up to 2,000 of them and top-k
    /// neighbours above (auto), always the full matrix, or always top-k.
    #[arg(long, value_enum, value_name = "MODE", default_value_t = SimilarityMode::Auto)]
    pub(crate) similarity: SimilarityMode,
}

/// How `stance compare` reports similarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SimilarityMode {
    /// The full matrix up to 2,000 documents (or groups), top-k neighbours above.
    Auto,
    /// Always the full matrix (n² numbers: 10,000 documents make 100 million).
    Full,
    /// Always the top-k neighbours.
    TopK,
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
    let options = compare::Options {
        group_by: args.group_by.clone(),
        top_k: args.top_k as usize,
        threads: args.threads.threads.map(usize::from),
        full_similarity_max_docs: match args.similarity {
            SimilarityMode::Auto => compare::Options::default().full_similarity_max_docs,
            SimilarityMode::Full => usize::MAX,
            SimilarityMode::TopK => 0,
        },
    };
    let format = output.format;
    let out = &mut output.writer;
    // Documents go out as soon as they are scored: straight to the output where they come
    // first (csv, table), otherwise rendered into a spill file that is copied into the report
    // at the end. Only the comparison's integer totals and vectors stay in memory.
    let mut spill = match format {
        Format::Json | Format::Jsonl => Some(Spill::new()),
        _ => None,
    };
    let mut collector = compare::Collector::new(&options);
    let mut documents = 0usize;
    if format == Format::Csv {
        write::csv_record(out, &write::CSV_HEADER.split(',').collect::<Vec<_>>())?;
    }
    // Each document's report is rendered, and what the comparison keeps of it computed, on
    // the worker that scored it; the document itself is dropped there.
    let finish = |scored: Scored| {
        let rendered = render(&scored.doc, format, paint);
        let contribution =
            (format != Format::Csv).then(|| compare::Contribution::new(&scored.doc, &options));
        (contribution, rendered)
    };
    run_pipeline_with(&pipeline, &mut progress, &mut problems, &finish, |batch| {
        let mut contributions = Vec::with_capacity(batch.len());
        for (contribution, rendered) in batch {
            let rendered = rendered.context("cannot render a document")?;
            documents += 1;
            match &mut spill {
                Some(spill) => spill.push(&rendered)?,
                None => out.write_all(&rendered)?,
            }
            contributions.extend(contribution);
        }
        collector.add_contributions(contributions);
        Ok(())
    })?;
    progress.finish();
    if format == Format::Csv {
        out.flush().context("cannot write output")?;
        return Ok(problems.outcome());
    }

    let report = compare_report(Vec::new(), collector.finish(), problems.errors.clone());
    match (spill, format) {
        (Some(spill), Format::Json) => {
            let splice = spill.splice_into(out, b"\n  \"documents\": []", b"\n  ");
            // serde writes token by token; the buffer hands the splice whole chunks.
            let mut buffered = std::io::BufWriter::with_capacity(SPLICE_CHUNK, splice);
            report::write_json_pretty(&mut buffered, &report)?;
            finish_splice(buffered)?;
        }
        (Some(spill), _) => {
            let splice = spill.splice_into(out, b"\"documents\":[]", b"");
            let mut buffered = std::io::BufWriter::with_capacity(SPLICE_CHUNK, splice);
            serde_json::to_writer(&mut buffered, &report)?;
            writeln!(buffered)?;
            finish_splice(buffered)?;
        }
        // `open` rejects partials here, so this arm only ever sees tables.
        (None, _) => write_table(out, &report, documents, paint)?,
    }
    out.flush().context("cannot write output")?;
    Ok(problems.outcome())
}

/// One document as it goes into the output: for json, an element of the `documents` array on
/// its own lines, indented as `serde_json`'s pretty printer indents the second level; for
/// jsonl, the compact element; for csv and table, its rows or table.
fn render(doc: &score::ScoredDocument, format: Format, paint: Paint) -> Result<Vec<u8>> {
    let report = report::document_report(doc);
    let mut out = Vec::new();
    match format {
        Format::Json => {
            let pretty = serde_json::to_vec_pretty(&report)?;
            out.reserve(pretty.len() + pretty.len() / 8);
            // A JSON string never holds a raw newline, so every newline is between tokens.
            for line in pretty.split(|&byte| byte == b'\n') {
                out.extend_from_slice(b"\n    ");
                out.extend_from_slice(line);
            }
        }
        Format::Jsonl => serde_json::to_writer(&mut out, &report)?,
        Format::Csv => write::csv_document(&mut out, &report)?,
        Format::Table | Format::Partials => write::table_document(&mut out, &report, paint)?,
    }
    Ok(out)
}

/// Document reports rendered as the elements of the report's `documents` array, in a
/// temporary file, so that memory does not grow with the corpus.
struct Spill {
    store: Store,
    count: usize,
}

/// Where spilled elements wait: a temporary file, or memory when none can be created.
enum Store {
    File(std::io::BufWriter<std::fs::File>),
    Memory(Vec<u8>),
}

impl Spill {
    /// A spill into a temporary file; when none can be created (no writable temporary
    /// directory), a warning and a spill into memory, so the run still completes.
    fn new() -> Spill {
        let store = match tempfile::tempfile() {
            Ok(file) => Store::File(std::io::BufWriter::with_capacity(
                crate::options::WRITE_BUFFER,
                file,
            )),
            Err(error) => {
                eprintln!(
                    "stance: warning: cannot create a temporary file ({error}); keeping the document reports in memory"
                );
                Store::Memory(Vec::new())
            }
        };
        Spill { store, count: 0 }
    }

    /// Appends one element rendered by [`render`], with `,` between elements.
    fn push(&mut self, element: &[u8]) -> Result<()> {
        let separator: &[u8] = if self.count > 0 { b"," } else { b"" };
        self.count += 1;
        match &mut self.store {
            Store::File(file) => file
                .write_all(separator)
                .and_then(|()| file.write_all(element))
                .context("cannot write the temporary file"),
            Store::Memory(bytes) => {
                bytes.extend_from_slice(separator);
                bytes.extend_from_slice(element);
                Ok(())
            }
        }
    }

    /// A writer for the report (rendered with an empty `documents` array) that puts the
    /// spilled elements inside the brackets of the first `anchor` (which ends in `[]`), with
    /// `close` between the last element and `]`.
    fn splice_into<'a>(
        self,
        out: &'a mut dyn Write,
        anchor: &'a [u8],
        close: &'a [u8],
    ) -> Splice<'a> {
        Splice {
            out,
            spill: Some(self),
            finder: memchr::memmem::Finder::new(anchor),
            close,
            pending: Vec::with_capacity(SPLICE_CHUNK + anchor.len()),
        }
    }

    /// Copies the spilled elements to `out`, then `close` when there were any.
    fn copy_to(self, out: &mut dyn Write, close: &[u8]) -> std::io::Result<()> {
        if self.count == 0 {
            return Ok(());
        }
        match self.store {
            Store::File(file) => {
                let mut file = file.into_inner().map_err(|error| error.into_error())?;
                file.seek(std::io::SeekFrom::Start(0))?;
                // In WRITE_BUFFER pieces: `std::io::copy` would go 8 KiB at a time.
                let mut buffer = vec![0; crate::options::WRITE_BUFFER];
                loop {
                    match file.read(&mut buffer) {
                        Ok(0) => break,
                        Ok(n) => out.write_all(&buffer[..n])?,
                        Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(error) => return Err(error),
                    }
                }
            }
            Store::Memory(bytes) => out.write_all(&bytes)?,
        }
        out.write_all(close)
    }
}

/// Flushes the buffer in front of a splice, then finishes the splice.
fn finish_splice(buffered: std::io::BufWriter<Splice<'_>>) -> Result<()> {
    let splice = buffered
        .into_inner()
        .map_err(|error| error.into_error())
        .context("cannot write output")?;
    splice.finish()
}

/// Bytes [`Splice`] gathers before it searches them for the anchor.
const SPLICE_CHUNK: usize = 1 << 16;

/// The writer [`Spill::splice_into`] returns. Until the anchor is found, writes gather in
/// `pending` and are searched a chunk at a time, keeping the last `anchor.len() - 1` bytes
/// back in case the anchor starts there; after it, writes go straight out.
struct Splice<'a> {
    out: &'a mut dyn Write,
    /// `None` once the elements are in.
    spill: Option<Spill>,
    finder: memchr::memmem::Finder<'a>,
    close: &'a [u8],
    pending: Vec<u8>,
}

impl Splice<'_> {
    /// Searches `pending`: on a match, writes up to the anchor's `[`, the elements and the
    /// rest; otherwise writes all but the bytes the anchor could still start in.
    fn search(&mut self) -> std::io::Result<()> {
        let anchor = self.finder.needle().len();
        if let Some(at) = self.finder.find(&self.pending) {
            let open = at + anchor - 1;
            self.out.write_all(&self.pending[..open])?;
            if let Some(spill) = self.spill.take() {
                spill.copy_to(self.out, self.close)?;
            }
            self.out.write_all(&self.pending[open..])?;
            self.pending = Vec::new();
        } else {
            let keep = self.pending.len().min(anchor.saturating_sub(1));
            let cut = self.pending.len() - keep;
            self.out.write_all(&self.pending[..cut])?;
            self.pending.drain(..cut);
        }
        Ok(())
    }

    /// Fails if the anchor never came (an internal error: the report always has documents).
    fn finish(mut self) -> Result<()> {
        if self.spill.is_some() {
            self.search()?;
        }
        if self.spill.is_some() {
            anyhow::bail!("internal error: no documents array in the report");
        }
        Ok(())
    }
}

impl Write for Splice<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.spill.is_none() {
            return self.out.write(buf);
        }
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= SPLICE_CHUNK {
            self.search()?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The readable terminal view of a comparison, after the `documents` tables.
fn write_table(
    out: &mut dyn Write,
    report: &CompareReport,
    documents: usize,
    paint: Paint,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{}",
        paint.bold(&format!("Corpus ({documents} documents)"))
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

#[cfg(test)]
mod tests;

//! `stance compare`: score documents and compare them across the corpus.

use std::io::{Read, Seek, Write};

use anyhow::{Context, Result};
use clap::Args;

use crate::Outcome;
use crate::options::{Format, InputArgs, ModelArgs, OutputArgs, ThreadArgs};
use crate::progress::Progress;
use crate::report::{self, CompareReport, Direct, SimilarityReport, compare_report, indentation};
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
        sentence_starts: false,
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
        // A pretty report's elements are spilled compact (half the bytes) and indented as
        // they are copied into the report.
        Format::Json => Some(Spill::new(Some(2))),
        Format::Jsonl => Some(Spill::new(None)),
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

    let mut report = compare_report(Vec::new(), collector.finish(), problems.errors.clone());
    match (spill, format) {
        (Some(spill), Format::Json) => {
            // The largest arrays are taken out of the report, which serde then writes with
            // them empty, and go back in between their brackets, rendered in parallel.
            let contested = DirectList(std::mem::take(&mut report.contested));
            let corpus_dyads = DirectList(std::mem::take(&mut report.corpus.dyads));
            let timeline = DirectList(std::mem::take(&mut report.timeline));
            let (similarity_anchor, similarity): (&[u8], Box<dyn ElementList>) =
                match &mut report.similarity {
                    SimilarityReport::Full { matrix, .. } => (
                        b"\n    \"matrix\": []",
                        Box::new(MatrixRows(std::mem::take(matrix).0)),
                    ),
                    SimilarityReport::TopK { neighbours, .. } => (
                        b"\n    \"neighbours\": []",
                        Box::new(DirectList(std::mem::take(neighbours))),
                    ),
                };
            let inserts = vec![
                Insert::elements(b"\n  \"contested\": []", &contested, 2),
                Insert::elements(b"\n    \"dyads\": []", &corpus_dyads, 3),
                Insert::spill(b"\n  \"documents\": []", spill, b"\n  "),
                Insert::elements(similarity_anchor, &*similarity, 3),
                Insert::elements(b"\n  \"timeline\": []", &timeline, 2),
            ];
            // serde writes token by token; the buffer hands the splice whole chunks.
            let splice = Splice::new(out, inserts);
            let mut buffered = std::io::BufWriter::with_capacity(SPLICE_CHUNK, splice);
            report::write_json_pretty(&mut buffered, &report)?;
            finish_splice(buffered)?;
            // Not dropped: see the end of this function.
            std::mem::forget((contested, corpus_dyads, timeline, similarity));
        }
        (Some(spill), _) => {
            let splice = Splice::new(out, vec![Insert::spill(b"\"documents\":[]", spill, b"")]);
            let mut buffered = std::io::BufWriter::with_capacity(SPLICE_CHUNK, splice);
            serde_json::to_writer(&mut buffered, &report)?;
            writeln!(buffered)?;
            finish_splice(buffered)?;
        }
        // `open` rejects partials here, so this arm only ever sees tables.
        (None, _) => write_table(out, &report, documents, paint)?,
    }
    out.flush().context("cannot write output")?;
    // The report is written and the process about to exit: freeing it one allocation at a
    // time (per-document scores, contested sides, neighbours: 0.26 s at 100,000 documents)
    // would only delay the exit.
    std::mem::forget(report);
    Ok(problems.outcome())
}

/// One document as it goes into the output: for json, an element of the `documents` array in
/// the [marked](report::marked) form (expanded to its own lines, indented as `serde_json`'s
/// pretty printer indents the second level, on the way out); for jsonl, the compact element;
/// for csv and table, its rows or table.
fn render(doc: &score::ScoredDocument, format: Format, paint: Paint) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    match format {
        // Straight from the scored document: the same bytes as serialising its report,
        // without copying every evidence sentence into a report first.
        Format::Json => report::document_marked(&mut out, doc),
        Format::Jsonl => report::document_compact(&mut out, doc),
        Format::Csv => write::csv_document(&mut out, &report::document_report(doc))?,
        Format::Table | Format::Partials => {
            write::table_document(&mut out, &report::document_report(doc), paint)?;
        }
    }
    Ok(out)
}

/// The elements of an array of the report, rendered in parallel (see [`Insert::elements`]).
trait ElementList: Sync {
    /// How many elements there are.
    fn len(&self) -> usize;
    /// Appends elements `range` to `out` as `report::indented_element` (test builds) does at
    /// `depth`, with `,` between two.
    fn render(
        &self,
        out: &mut Vec<u8>,
        range: std::ops::Range<usize>,
        depth: usize,
    ) -> serde_json::Result<()>;
}

/// Any serialisable list, rendered by serde ([`indented_element`]): what the direct writer's
/// lists are tested against.
#[cfg(test)]
impl<T: serde::Serialize + Sync> ElementList for Vec<T> {
    fn len(&self) -> usize {
        self.as_slice().len()
    }

    fn render(
        &self,
        out: &mut Vec<u8>,
        range: std::ops::Range<usize>,
        depth: usize,
    ) -> serde_json::Result<()> {
        comma_separated(out, &self[range], |out, item| {
            crate::report::indented_element(out, item, depth)
        })
    }
}

/// The rows of the full similarity matrix, computed as they are rendered, so that the matrix
/// is never held (800 MB at 10,000 documents).
struct MatrixRows(compare::SimilarityMatrix);

impl ElementList for MatrixRows {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn render(
        &self,
        out: &mut Vec<u8>,
        range: std::ops::Range<usize>,
        depth: usize,
    ) -> serde_json::Result<()> {
        comma_separated(out, &self.0.rows(range), |out, row| {
            report::direct_element(out, &report::MatrixRow(row), depth);
            Ok(())
        })
    }
}

/// A list whose elements the direct writer renders ([`report::direct_element`]).
struct DirectList<T>(Vec<T>);

impl<T: Direct + Sync> ElementList for DirectList<T> {
    fn len(&self) -> usize {
        self.0.len()
    }

    fn render(
        &self,
        out: &mut Vec<u8>,
        range: std::ops::Range<usize>,
        depth: usize,
    ) -> serde_json::Result<()> {
        comma_separated(out, &self.0[range], |out, item| {
            report::direct_element(out, item, depth);
            Ok(())
        })
    }
}

/// Appends each of `items` with `element`, with `,` between two.
fn comma_separated<T>(
    out: &mut Vec<u8>,
    items: &[T],
    mut element: impl FnMut(&mut Vec<u8>, &T) -> serde_json::Result<()>,
) -> serde_json::Result<()> {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        element(out, item)?;
    }
    Ok(())
}

/// Elements a rayon task renders together.
const ELEMENTS_PER_TASK: usize = 16;
/// Tasks rendered before their bytes are written, which bounds the memory they hold.
const TASKS_PER_ROUND: usize = 16;

/// Writes `list` as the elements of an array at `depth`, each round of tasks rendered in
/// parallel and then written in order, and the array's closing indentation; nothing when the
/// list is empty (serde wrote `[]`).
fn write_elements(
    out: &mut dyn Write,
    list: &dyn ElementList,
    depth: usize,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let len = list.len();
    if len == 0 {
        return Ok(());
    }
    let tasks: Vec<std::ops::Range<usize>> = (0..len)
        .step_by(ELEMENTS_PER_TASK)
        .map(|start| start..len.min(start + ELEMENTS_PER_TASK))
        .collect();
    for (round, ranges) in tasks.chunks(TASKS_PER_ROUND).enumerate() {
        let rendered: Vec<Vec<u8>> = ranges
            .par_iter()
            .map(|range| {
                let mut bytes = Vec::new();
                list.render(&mut bytes, range.clone(), depth)
                    .map(|()| bytes)
            })
            .collect::<serde_json::Result<_>>()?;
        for (i, bytes) in rendered.iter().enumerate() {
            if round > 0 || i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(bytes)?;
        }
    }
    let close = indentation(depth.saturating_sub(1));
    out.write_all(&close)
}

/// Document reports rendered as the elements of the report's `documents` array, in a
/// temporary file, so that memory does not grow with the corpus.
struct Spill {
    store: Store,
    count: usize,
    /// For a pretty report, the depth of the array the [marked](report::marked) elements are
    /// expanded into as they are copied out; `None` copies them as they are.
    indent: Option<usize>,
    /// Bytes spilled so far.
    len: usize,
    /// [`PIECE`], smaller in tests.
    piece: usize,
}

/// Where spilled elements wait: a temporary file, or memory when none can be created.
enum Store {
    File(std::io::BufWriter<std::fs::File>),
    Memory(Vec<u8>),
}

/// The size of a piece of spilled elements expanded on its own.
const PIECE: usize = 1 << 18;

/// Pieces expanded in parallel at a time, then written in order.
const PIECES_PER_ROUND: usize = 8;

impl Spill {
    /// A spill into a temporary file; when none can be created (no writable temporary
    /// directory), a warning and a spill into memory, so the run still completes.
    fn new(indent: Option<usize>) -> Spill {
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
        Spill {
            store,
            count: 0,
            indent,
            len: 0,
            piece: PIECE,
        }
    }

    /// Appends one element rendered by [`render`], with `,` between elements.
    fn push(&mut self, element: &[u8]) -> Result<()> {
        let separator: &[u8] = if self.count > 0 { b"," } else { b"" };
        self.count += 1;
        self.len += separator.len() + element.len();
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

    /// Copies the spilled elements to `out` (expanded, for a pretty report), then `close` when
    /// there were any.
    fn copy_to(self, out: &mut dyn Write, close: &[u8]) -> std::io::Result<()> {
        if self.count == 0 {
            return Ok(());
        }
        let mut source = match self.store {
            Store::File(file) => {
                let mut file = file.into_inner().map_err(|error| error.into_error())?;
                file.seek(std::io::SeekFrom::Start(0))?;
                Source::File(file)
            }
            Store::Memory(bytes) => Source::Memory(bytes),
        };
        match self.indent {
            Some(depth) => copy_expanded(&mut source, self.len, self.piece, depth, out)?,
            None => {
                // In WRITE_BUFFER pieces: `std::io::copy` would go 8 KiB at a time.
                let mut buffer = Vec::new();
                for start in (0..self.len).step_by(crate::options::WRITE_BUFFER) {
                    let end = self.len.min(start + crate::options::WRITE_BUFFER);
                    out.write_all(source.read(start..end, &mut buffer)?)?;
                }
            }
        }
        out.write_all(close)
    }
}

/// The spilled bytes, read back in order.
enum Source {
    File(std::fs::File),
    Memory(Vec<u8>),
}

impl Source {
    /// Bytes `range`, the ones after the last call's, read into `buffer` when they are in the
    /// file.
    fn read<'a>(
        &'a mut self,
        range: std::ops::Range<usize>,
        buffer: &'a mut Vec<u8>,
    ) -> std::io::Result<&'a [u8]> {
        match self {
            Source::File(file) => {
                buffer.resize(range.len(), 0);
                file.read_exact(buffer)?;
                Ok(buffer)
            }
            Source::Memory(bytes) => Ok(&bytes[range]),
        }
    }
}

/// Writes the `len` spilled bytes, marked elements, expanded as the elements of an array
/// `depth` levels down: a round of pieces of `piece` bytes is read, expanded in parallel and
/// written in order (expansion carries nothing from one byte to the next, so pieces may be
/// cut anywhere).
fn copy_expanded(
    source: &mut Source,
    len: usize,
    piece: usize,
    depth: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut buffer = Vec::new();
    let round = piece.saturating_mul(PIECES_PER_ROUND);
    for start in (0..len).step_by(round) {
        let bytes = source.read(start..len.min(start + round), &mut buffer)?;
        let expanded: Vec<Vec<u8>> = bytes
            .par_chunks(piece)
            .map(|marked| {
                let mut expanded = Vec::with_capacity(2 * marked.len());
                report::marked::expand(marked, depth, &mut expanded);
                expanded
            })
            .collect();
        for piece in &expanded {
            out.write_all(piece)?;
        }
    }
    Ok(())
}

/// Flushes the buffer in front of a splice, then finishes the splice.
fn finish_splice(buffered: std::io::BufWriter<Splice<'_>>) -> Result<()> {
    let splice = buffered
        .into_inner()
        .map_err(|error| error.into_error())
        .context("cannot write output")?;
    splice.finish()
}

/// Elements to write between the brackets of an empty array of the report.
struct Insert<'a> {
    /// The bytes that end in that array's `[]`; the first match after the previous insert's
    /// array is the one (pretty-printed keys are told apart by their indentation).
    anchor: &'a [u8],
    contents: Contents<'a>,
}

/// What an [`Insert`] writes.
enum Contents<'a> {
    /// Spilled elements, then the closing bytes when there were any.
    Spill(Spill, &'a [u8]),
    /// A list rendered by [`write_elements`] at a depth.
    Elements(&'a dyn ElementList, usize),
}

impl<'a> Insert<'a> {
    /// The spilled elements, then `close` when there were any.
    fn spill(anchor: &'a [u8], spill: Spill, close: &'a [u8]) -> Insert<'a> {
        Insert {
            anchor,
            contents: Contents::Spill(spill, close),
        }
    }

    /// `list`, as the elements of a pretty-printed array `depth` levels down.
    fn elements(anchor: &'a [u8], list: &'a dyn ElementList, depth: usize) -> Insert<'a> {
        Insert {
            anchor,
            contents: Contents::Elements(list, depth),
        }
    }

    fn write(self, out: &mut dyn Write) -> std::io::Result<()> {
        match self.contents {
            Contents::Spill(spill, close) => spill.copy_to(out, close),
            Contents::Elements(list, depth) => write_elements(out, list, depth),
        }
    }
}

/// Bytes [`Splice`] gathers before it searches them for the anchor.
const SPLICE_CHUNK: usize = 1 << 16;

/// A writer for the report (rendered with the inserts' arrays empty) that writes each
/// [`Insert`] between the brackets of its anchor, in order. Until the last anchor is found,
/// writes gather in `pending` and are searched a chunk at a time, keeping the last
/// `anchor.len() - 1` bytes back in case the anchor starts there; after it, writes go straight
/// out.
struct Splice<'a> {
    out: &'a mut dyn Write,
    /// The inserts whose anchors are still to come, in output order.
    inserts: std::collections::VecDeque<Insert<'a>>,
    pending: Vec<u8>,
}

impl<'a> Splice<'a> {
    fn new(out: &'a mut dyn Write, inserts: Vec<Insert<'a>>) -> Splice<'a> {
        Splice {
            out,
            inserts: inserts.into(),
            pending: Vec::with_capacity(SPLICE_CHUNK),
        }
    }

    /// Searches `pending` for the next anchors: writes up to each one's `[`, its elements,
    /// and goes on from there; then writes all but the bytes the next anchor could still
    /// start in.
    fn search(&mut self) -> std::io::Result<()> {
        let mut written = 0;
        while let Some(insert) = self.inserts.front() {
            let rest = &self.pending[written..];
            let Some(at) = memchr::memmem::find(rest, insert.anchor) else {
                let keep = rest.len().min(insert.anchor.len().saturating_sub(1));
                let cut = self.pending.len() - keep;
                self.out.write_all(&self.pending[written..cut])?;
                self.pending.drain(..cut);
                return Ok(());
            };
            let open = written + at + insert.anchor.len() - 1;
            self.out.write_all(&self.pending[written..open])?;
            written = open;
            if let Some(insert) = self.inserts.pop_front() {
                insert.write(self.out)?;
            }
        }
        self.out.write_all(&self.pending[written..])?;
        self.pending = Vec::new();
        Ok(())
    }

    /// Fails if an anchor never came (an internal error: the report always has the arrays).
    fn finish(mut self) -> Result<()> {
        if !self.inserts.is_empty() {
            self.search()?;
        }
        if let Some(insert) = self.inserts.front() {
            anyhow::bail!(
                "internal error: no {} in the report",
                String::from_utf8_lossy(insert.anchor).trim()
            );
        }
        Ok(())
    }
}

impl Write for Splice<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.inserts.is_empty() {
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
            let matrix = &matrix.0;
            for first in (0..matrix.len()).step_by(report::MATRIX_ROWS_PER_ROUND) {
                let last = matrix.len().min(first + report::MATRIX_ROWS_PER_ROUND);
                for (doc_idx, row) in (first..last).zip(matrix.rows(first..last)) {
                    let nearest = row
                        .iter()
                        .map(|&value| crate::report::F4(value))
                        .enumerate()
                        .filter(|(other, value)| *other != doc_idx && value.rounded() > 0.0)
                        .max_by(|a, b| a.1.rounded().total_cmp(&b.1.rounded()).then(b.0.cmp(&a.0)));
                    if let Some((other, value)) = nearest {
                        writeln!(
                            out,
                            "  {}  ~  {}  {}",
                            documents[doc_idx],
                            documents[other],
                            write::number(value.0)
                        )?;
                    }
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

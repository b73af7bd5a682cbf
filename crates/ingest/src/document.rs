//! The document model every later stage reads.

use std::collections::BTreeMap;
use std::sync::Arc;

/// A half-open byte range `start..end` into [`Document::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// First byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

/// Where a document came from: a path (`-` for stdin) and, for JSONL and CSV, the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origin {
    /// The input path as the user gave it (or as found under a directory); `-` for stdin.
    pub path: String,
    /// The 1-based line (JSONL) or record start line (CSV) inside `path`, if any.
    pub line: Option<u64>,
}

/// Why a line was taken out of [`Document::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemovedKind {
    /// Site furniture: copyright, "show comments", "Subscribe", hit counters, taglines.
    Boilerplate,
    /// An author biography at the end of the article: kept, but not scored.
    Bio,
}

/// A line removed from the text during cleaning, kept so nothing is silently lost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemovedLine {
    /// The line as it stood in the input.
    pub text: String,
    /// Why it was removed.
    pub kind: RemovedKind,
}

/// One cleaned article, ready for scoring.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    /// Stable id: the file stem, the JSONL/CSV `id`, or a content hash when absent.
    pub id: String,
    /// Where the document came from.
    pub origin: Origin,
    /// The title, if the input gave or implied one.
    pub title: Option<String>,
    /// Publication day as ISO 8601 `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Which rule found [`Document::date`] (for example `field`, `published-statement`, `header`).
    pub date_rule: Option<String>,
    /// Outlet or source name.
    pub outlet: Option<String>,
    /// Author, where known.
    pub author: Option<String>,
    /// Canonical URL, where known.
    pub url: Option<String>,
    /// Other input fields (JSONL keys, CSV columns, HTML meta), sorted by key.
    pub metadata: BTreeMap<String, String>,
    /// Cleaned body text. All spans index into it. Shared, so that the evidence scored from
    /// it can point into it rather than copy its sentences.
    pub text: Arc<String>,
    /// Sentence spans: in order, non-overlapping, covering every non-whitespace byte of `text`.
    pub sentences: Vec<Span>,
    /// Paragraph spans, in order.
    pub paragraphs: Vec<Span>,
    /// Lines removed while cleaning (boilerplate, author bios).
    pub removed: Vec<RemovedLine>,
    /// Non-fatal problems met while reading this document (lossy UTF-8, empty input).
    pub warnings: Vec<String>,
}

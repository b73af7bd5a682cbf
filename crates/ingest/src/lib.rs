//! Reads articles into clean [`Document`]s with sentence spans.
//!
//! `ingest` owns everything between the filesystem and the first stage that reads text:
//! it is the only crate of the workspace that does IO. [`read`] takes the inputs as the user
//! gave them (files, directories, `-` for stdin) and returns a [`Reader`], an iterator of
//! `Result<Document, Error>` with one item per document or failed input. The iterator is
//! lazy: it opens the next file only when asked, reads JSONL line by line and CSV record by
//! record, so a multi-gigabyte export never has to fit in memory, and one bad input never
//! stops the others. [`Reader::next_record`] splits each item in two: the reading, which has
//! to happen in input order, and [`Record::build`] (parsing, cleaning, segmenting), which a
//! caller may run on another thread.
//!
//! The decision a reader will question is cleaning by line rules. Text pasted from web
//! pages carries furniture (copyright lines, "show comments", bios) that would otherwise be
//! scored as evidence. The rules are pattern classes over whole lines (see `clean.rs`),
//! deliberately conservative: long lines are never removed except as trailing bios, and
//! every removed line is kept in [`Document::removed`] so nothing is silently lost.

mod build;
mod clean;
mod date;
mod document;
mod error;
mod html;
mod jsonl;
mod options;
mod reader;
mod record;
mod segment;
mod table;

pub use document::{Document, Origin, RemovedKind, RemovedLine, Span};
pub use error::Error;
pub use options::{Columns, Options};
pub use reader::{Reader, read};
pub use record::Record;
pub use segment::segment;

#[cfg(test)]
mod tests;

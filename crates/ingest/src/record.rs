//! A document's input, read in order but not yet parsed, cleaned or segmented.

use std::sync::Arc;

use crate::build::{Fields, build};
use crate::table::CsvRow;
use crate::{Columns, Document, Error, Origin, html, jsonl};

/// One document's worth of input: a JSONL line, a CSV record or a whole text or HTML file,
/// read from its input but not yet turned into a [`Document`].
///
/// [`Reader::next_record`](crate::Reader::next_record) only does the IO and the framing
/// (finding line and record ends, size limits), which must happen in input order;
/// [`Record::build`] does the rest (JSON parsing, HTML extraction, cleaning, segmenting),
/// which is most of the work and can run on any thread. Building a record gives exactly the
/// item the [`Reader`](crate::Reader) iterator would have given for it.
#[derive(Debug)]
pub struct Record {
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// One non-blank JSONL line, without its newline.
    JsonlLine {
        path: String,
        line: u64,
        bytes: Vec<u8>,
        columns: Arc<Columns>,
    },
    /// A whole plain-text or HTML file (or stdin), within the size limit.
    Text {
        path: String,
        id: Option<String>,
        html: bool,
        bytes: Vec<u8>,
    },
    /// A CSV record, split into fields when built.
    CsvRow(Box<CsvRow>),
}

impl Record {
    pub(crate) fn jsonl_line(
        path: String,
        line: u64,
        bytes: Vec<u8>,
        columns: Arc<Columns>,
    ) -> Record {
        Record {
            kind: Kind::JsonlLine {
                path,
                line,
                bytes,
                columns,
            },
        }
    }

    pub(crate) fn text(path: String, id: Option<String>, html: bool, bytes: Vec<u8>) -> Record {
        Record {
            kind: Kind::Text {
                path,
                id,
                html,
                bytes,
            },
        }
    }

    pub(crate) fn csv_row(row: CsvRow) -> Record {
        Record {
            kind: Kind::CsvRow(Box::new(row)),
        }
    }

    /// Parses, cleans and segments the record into a document, or says why it cannot be one
    /// (for example a JSONL line that is not a JSON object with a `text` string).
    pub fn build(self) -> Result<Document, Error> {
        match self.kind {
            Kind::JsonlLine {
                path,
                line,
                bytes,
                columns,
            } => jsonl::build_line(&path, line, bytes, &columns),
            Kind::Text {
                path,
                id,
                html,
                bytes,
            } => Ok(build_text(path, id, html, bytes)),
            Kind::CsvRow(row) => row.build(),
        }
    }
}

/// A whole plain-text or HTML input, with a warning if it was not valid UTF-8.
fn build_text(path: String, id: Option<String>, html: bool, bytes: Vec<u8>) -> Document {
    let mut warnings = Vec::new();
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            warnings.push(format!(
                "{path}: not valid UTF-8; invalid bytes replaced with U+FFFD"
            ));
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let origin = Origin { path, line: None };
    if html {
        let (body, mut fields) = html::extract(&text);
        fields.id = id;
        fields.warnings = warnings;
        build(fields, body, origin)
    } else {
        let fields = Fields {
            id,
            warnings,
            ..Fields::default()
        };
        build(fields, text, origin)
    }
}

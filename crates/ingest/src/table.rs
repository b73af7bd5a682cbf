//! CSV with a header row, read record by record (RFC 4180 quoting, embedded newlines).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Arc;

use crate::build::build;
use crate::jsonl::record_fields;
use crate::{Columns, Document, Error, Options, Origin, Record};
use records::{Records, Row};

mod records;
#[cfg(test)]
mod tests;

/// Documents from one CSV stream.
pub(crate) struct CsvSource {
    path: String,
    records: Records,
    table: Arc<Table>,
    record: Row,
    limit: usize,
    done: bool,
}

impl CsvSource {
    /// Reads the header row and finds the text column.
    pub(crate) fn new(
        path: String,
        input: Box<dyn Read + Send>,
        options: Options,
    ) -> Result<CsvSource, Error> {
        let mut records = Records::new(input);
        let mut header = Row::default();
        let limit = options.max_document_bytes;
        if let Err(source) = records.read(&mut header, limit) {
            return Err(Error::Io { path, source });
        }
        let fail = |message: String| Error::Record {
            path: path.clone(),
            line: header.line(),
            message,
        };
        if header.too_large() {
            return Err(fail(format!("CSV header longer than {limit} bytes")));
        }
        let headers: Vec<String> = header
            .fields()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_string()
            })
            .collect();
        let wanted = &options.columns.text;
        let text_column = headers
            .iter()
            .position(|h| h == wanted)
            .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(wanted)))
            .ok_or_else(|| {
                fail(format!(
                    "no `{wanted}` column (columns: {})",
                    headers.join(", ")
                ))
            })?;
        Ok(CsvSource {
            path,
            records,
            table: Arc::new(Table {
                headers,
                text_column,
                columns: options.columns,
            }),
            record: Row::default(),
            limit,
            done: false,
        })
    }
}

impl Iterator for CsvSource {
    type Item = Result<Document, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record()
            .map(|record| record.and_then(Record::build))
    }
}

impl CsvSource {
    /// The next record, split into fields but not cleaned or segmented yet.
    pub(crate) fn next_record(&mut self) -> Option<Result<Record, Error>> {
        if self.done {
            return None;
        }
        match self.records.read(&mut self.record, self.limit) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => Some(self.current_record()),
            Err(source) => {
                self.done = true;
                Some(Err(Error::Io {
                    path: self.path.clone(),
                    source,
                }))
            }
        }
    }

    fn current_record(&self) -> Result<Record, Error> {
        if self.record.too_large() {
            return Err(Error::TooLarge {
                path: self.path.clone(),
                line: Some(self.record.line()),
                limit: self.limit,
            });
        }
        Ok(Record::csv_row(CsvRow {
            path: self.path.clone(),
            row: self.record.clone(),
            table: Arc::clone(&self.table),
        }))
    }
}

/// What every row of one CSV input shares: its header and where the text is.
#[derive(Debug)]
struct Table {
    headers: Vec<String>,
    text_column: usize,
    columns: Columns,
}

/// A CSV record copied out of the reader, split into a document's fields only when built, so
/// the reader's thread does no more than the framing.
#[derive(Debug)]
pub(crate) struct CsvRow {
    path: String,
    row: Row,
    table: Arc<Table>,
}

impl CsvRow {
    /// The record's document, or the error of a row too short to have a text.
    pub(crate) fn build(self) -> Result<Document, Error> {
        let CsvRow { path, row, table } = self;
        let line = row.line();
        if row.len() <= table.text_column {
            let message = format!(
                "missing `{}` value (short row)",
                table.headers[table.text_column]
            );
            return Err(Error::Record {
                path,
                line,
                message,
            });
        }
        // The record is checked for UTF-8 once, as a whole: when it is valid, so is each field
        // (fields end at ASCII delimiters, which no multi-byte character contains), and they
        // are sliced from it instead of being checked again one by one.
        let whole = std::str::from_utf8(row.as_slice()).ok();
        let mut values = BTreeMap::new();
        for i in 0..row.len() {
            if i == table.text_column {
                continue;
            }
            let key = match table.headers.get(i) {
                Some(h) if !h.is_empty() => h.clone(),
                _ => format!("column_{}", i + 1),
            };
            let value = field(&row, whole, i);
            if !value.is_empty() {
                values.insert(key, value.into_owned());
            }
        }
        let mut fields = record_fields(values, &table.columns);
        if whole.is_none() {
            fields.warnings.push(format!(
                "{path}:{line}: not valid UTF-8; invalid bytes replaced with U+FFFD"
            ));
        }
        if row.unclosed() {
            fields.warnings.push(format!(
                "{path}:{line}: a quoted field is never closed; it runs to the end of the file"
            ));
        }
        let text = field(&row, whole, table.text_column);
        let origin = Origin {
            path,
            line: Some(line),
        };
        Ok(build(fields, text.into_owned(), origin))
    }
}

/// Field `i` of `row` as text: sliced from `whole`, the row's text when it is valid UTF-8,
/// or converted lossily.
fn field<'a>(row: &'a Row, whole: Option<&'a str>, i: usize) -> Cow<'a, str> {
    let sliced = whole
        .zip(row.range(i))
        .and_then(|(whole, range)| whole.get(range));
    match sliced {
        Some(value) => Cow::Borrowed(value),
        None => String::from_utf8_lossy(row.get(i).unwrap_or_default()),
    }
}

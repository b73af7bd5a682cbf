//! CSV with a header row, read record by record (RFC 4180 quoting, embedded newlines).

use std::collections::BTreeMap;
use std::io::Read;

use crate::jsonl::record_fields;
use crate::{Document, Error, Options, Origin, Record};

#[cfg(test)]
mod tests;

/// Documents from one CSV stream.
pub(crate) struct CsvSource {
    path: String,
    reader: csv::Reader<Box<dyn Read + Send>>,
    headers: Vec<String>,
    text_column: usize,
    record: csv::ByteRecord,
    options: Options,
    done: bool,
}

impl CsvSource {
    /// Reads the header row and finds the text column.
    pub(crate) fn new(
        path: String,
        input: Box<dyn Read + Send>,
        options: Options,
    ) -> Result<CsvSource, Error> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(true)
            .from_reader(input);
        let fail = |message: String| Error::Record {
            path: path.clone(),
            line: 1,
            message,
        };
        let headers: Vec<String> = reader
            .byte_headers()
            .map_err(|e| fail(format!("malformed CSV header: {e}")))?
            .iter()
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
            reader,
            headers,
            text_column,
            record: csv::ByteRecord::new(),
            options,
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
        match self.reader.read_byte_record(&mut self.record) {
            Ok(false) => {
                self.done = true;
                None
            }
            Ok(true) => {
                let line = self.record.position().map_or(0, csv::Position::line);
                Some(self.current_record(line))
            }
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                if let csv::ErrorKind::Io(_) = e.kind() {
                    self.done = true;
                    let source = std::io::Error::other(e.to_string());
                    return Some(Err(Error::Io {
                        path: self.path.clone(),
                        source,
                    }));
                }
                Some(Err(Error::Record {
                    path: self.path.clone(),
                    line,
                    message: format!("malformed CSV: {e}"),
                }))
            }
        }
    }

    fn current_record(&self, line: u64) -> Result<Record, Error> {
        let limit = self.options.max_document_bytes;
        if self.record.as_slice().len() > limit {
            return Err(Error::TooLarge {
                path: self.path.clone(),
                line: Some(line),
                limit,
            });
        }
        let Some(text) = self.record.get(self.text_column) else {
            let message = format!(
                "missing `{}` value (short row)",
                self.headers[self.text_column]
            );
            return Err(Error::Record {
                path: self.path.clone(),
                line,
                message,
            });
        };
        // The record is checked for UTF-8 once, as a whole: when it is valid, so is each field
        // (fields end at ASCII delimiters, which no multi-byte character contains), and they
        // are sliced from it instead of being checked again one by one.
        let whole = std::str::from_utf8(self.record.as_slice()).ok();
        let lossy = whole.is_none();
        let field = |i: usize, bytes: &[u8]| -> String {
            match (whole, self.record.range(i)) {
                (Some(whole), Some(range)) => match whole.get(range) {
                    Some(value) => value.to_owned(),
                    None => String::from_utf8_lossy(bytes).into_owned(),
                },
                _ => String::from_utf8_lossy(bytes).into_owned(),
            }
        };
        let text = field(self.text_column, text);
        let mut values = BTreeMap::new();
        for (i, value) in self.record.iter().enumerate() {
            if i == self.text_column {
                continue;
            }
            let key = match self.headers.get(i) {
                Some(h) if !h.is_empty() => h.clone(),
                _ => format!("column_{}", i + 1),
            };
            let value = field(i, value);
            if !value.is_empty() {
                values.insert(key, value);
            }
        }
        let mut fields = record_fields(values, &self.options.columns);
        if lossy {
            fields.warnings.push(format!(
                "{}:{line}: not valid UTF-8; invalid bytes replaced with U+FFFD",
                self.path
            ));
        }
        Ok(Record::fields(
            fields,
            text,
            Origin {
                path: self.path.clone(),
                line: Some(line),
            },
        ))
    }
}

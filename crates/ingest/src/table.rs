//! CSV with a header row, read record by record (RFC 4180 quoting, embedded newlines).

use std::collections::BTreeMap;
use std::io::Read;

use crate::jsonl::record_fields;
use crate::{Document, Error, Options, Origin, Record};
use records::{Records, Row};

mod records;
#[cfg(test)]
mod tests;

/// Documents from one CSV stream.
pub(crate) struct CsvSource {
    path: String,
    records: Records,
    headers: Vec<String>,
    text_column: usize,
    record: Row,
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
        let headers: Vec<String> = (0..header.len())
            .filter_map(|i| header.get(i))
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
            headers,
            text_column,
            record: Row::default(),
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
        let limit = self.options.max_document_bytes;
        match self.records.read(&mut self.record, limit) {
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
        let limit = self.options.max_document_bytes;
        let line = self.record.line();
        if self.record.too_large() {
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
        for (i, value) in (0..self.record.len()).filter_map(|i| Some((i, self.record.get(i)?))) {
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

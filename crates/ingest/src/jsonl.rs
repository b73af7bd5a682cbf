//! JSON Lines: one document per line, read with a bounded line reader.

use std::collections::BTreeMap;
use std::io::{self, BufRead};
use std::sync::Arc;

use serde_json::Value;

use crate::build::{Fields, build};
use crate::{Columns, Document, Error, Options, Origin, Record};

#[cfg(test)]
pub(crate) mod tests;

/// Documents from one JSONL stream, produced line by line.
pub(crate) struct JsonlSource {
    path: String,
    reader: Box<dyn BufRead + Send>,
    max_document_bytes: usize,
    columns: Arc<Columns>,
    line_no: u64,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlSource {
    pub(crate) fn new(
        path: String,
        reader: Box<dyn BufRead + Send>,
        options: Options,
    ) -> JsonlSource {
        JsonlSource {
            path,
            reader,
            max_document_bytes: options.max_document_bytes,
            columns: Arc::new(options.columns),
            line_no: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl JsonlSource {
    /// The next non-blank line as a record (not parsed yet), or the error that ended it.
    pub(crate) fn next_record(&mut self) -> Option<Result<Record, Error>> {
        while !self.done {
            let limit = self.max_document_bytes;
            let read = read_line_bounded(&mut *self.reader, &mut self.buf, limit);
            self.line_no += 1;
            let line_no = self.line_no;
            match read {
                Err(source) => {
                    self.done = true;
                    return Some(Err(Error::Io {
                        path: self.path.clone(),
                        source,
                    }));
                }
                Ok(Line::End) => self.done = true,
                Ok(Line::TooLong) => {
                    return Some(Err(Error::TooLarge {
                        path: self.path.clone(),
                        line: Some(line_no),
                        limit,
                    }));
                }
                Ok(Line::Read) => {
                    if self.buf.iter().all(u8::is_ascii_whitespace) {
                        continue;
                    }
                    // A copy of exactly the line's size; `buf` keeps its capacity for the next.
                    return Some(Ok(Record::jsonl_line(
                        self.path.clone(),
                        line_no,
                        self.buf.clone(),
                        Arc::clone(&self.columns),
                    )));
                }
            }
        }
        None
    }
}

impl Iterator for JsonlSource {
    type Item = Result<Document, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record()
            .map(|record| record.and_then(Record::build))
    }
}

/// Parses one non-blank JSONL line (raw bytes, without its newline) into a document; invalid
/// UTF-8 is replaced and noted as a warning on the document.
pub(crate) fn build_line(
    path: &str,
    line_no: u64,
    bytes: &[u8],
    columns: &Columns,
) -> Result<Document, Error> {
    let (line, lossy) = match std::str::from_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), false),
        Err(_) => (String::from_utf8_lossy(bytes), true),
    };
    let mut result = parse_line(path, line_no, &line, columns);
    if let (Ok(doc), true) = (&mut result, lossy) {
        doc.warnings.push(format!(
            "{path}:{line_no}: not valid UTF-8; invalid bytes replaced with U+FFFD"
        ));
    }
    result
}

enum Line {
    Read,
    TooLong,
    End,
}

/// Reads one line (without its newline) into `buf`, keeping at most `limit` bytes; the
/// rest of a longer line is consumed and dropped.
fn read_line_bounded(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<Line> {
    buf.clear();
    let mut read_any = false;
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(match (read_any, too_long) {
                (false, _) => Line::End,
                (true, true) => Line::TooLong,
                (true, false) => Line::Read,
            });
        }
        read_any = true;
        let newline = memchr::memchr(b'\n', available);
        let chunk = &available[..newline.unwrap_or(available.len())];
        if !too_long {
            if buf.len() + chunk.len() > limit {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(chunk);
            }
        }
        let used = newline.map_or(available.len(), |p| p + 1);
        reader.consume(used);
        if newline.is_some() {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(if too_long { Line::TooLong } else { Line::Read });
        }
    }
}

/// Parses one JSONL line into a document.
pub(crate) fn parse_line(
    path: &str,
    line_no: u64,
    line: &str,
    columns: &Columns,
) -> Result<Document, Error> {
    let fail = |message: String| Error::Record {
        path: path.to_string(),
        line: line_no,
        message: match record_id(line, &columns.id) {
            Some(id) => format!("document {id:?}: {message}"),
            None => message,
        },
    };
    let value: Value =
        serde_json::from_str(line).map_err(|e| fail(format!("malformed JSON: {e}")))?;
    let Value::Object(map) = value else {
        return Err(fail("expected a JSON object".to_string()));
    };
    let mut values = BTreeMap::new();
    let mut text = None;
    for (key, value) in map {
        if key == columns.text {
            match value {
                Value::String(s) => text = Some(s),
                Value::Null => {}
                _ => return Err(fail(format!("field `{key}` is not a string"))),
            }
            continue;
        }
        let value = match value {
            Value::Null => continue,
            Value::String(s) => s,
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            nested @ (Value::Array(_) | Value::Object(_)) => nested.to_string(),
        };
        values.insert(key, value);
    }
    let Some(text) = text else {
        return Err(fail(format!("missing `{}` field", columns.text)));
    };
    let fields = record_fields(values, columns);
    let origin = Origin {
        path: path.to_string(),
        line: Some(line_no),
    };
    Ok(build(fields, &text, origin))
}

/// The id of a line that could not be used, when it can still be found, so that the error
/// names the document even where line numbers mean little (a Spark partition's stdin): the
/// first `"KEY": "…"` pair with the id key, read leniently from a line that may be broken
/// after it.
fn record_id(line: &str, key: &str) -> Option<String> {
    let quoted = serde_json::to_string(key).ok()?;
    let mut from = 0;
    while let Some(found) = line[from..].find(&quoted) {
        let after = from + found + quoted.len();
        from = after;
        let rest = line[after..].trim_start();
        let Some(value) = rest.strip_prefix(':') else {
            continue;
        };
        let mut values = serde_json::Deserializer::from_str(value).into_iter::<Value>();
        return match values.next() {
            Some(Ok(Value::String(id))) if !id.trim().is_empty() => Some(id),
            Some(Ok(Value::Number(id))) => Some(id.to_string()),
            _ => None,
        };
    }
    None
}

/// Takes the known fields out of a record's values; the rest become metadata.
pub(crate) fn record_fields(mut values: BTreeMap<String, String>, columns: &Columns) -> Fields {
    let mut take = |name: &str| {
        let key = if values.contains_key(name) {
            Some(name.to_string())
        } else {
            values
                .keys()
                .find(|k| k.eq_ignore_ascii_case(name))
                .cloned()
        };
        key.and_then(|k| values.remove(&k))
            .filter(|v| !v.trim().is_empty())
    };
    let id = take(&columns.id);
    let title = take(&columns.title);
    let date = take(&columns.date);
    let url = take(&columns.url);
    let mut outlet = take(&columns.outlet);
    if outlet.is_none() {
        outlet = take("source");
    }
    Fields {
        id,
        title,
        date,
        date_rule: "field",
        outlet,
        url,
        outlet_from_url: true,
        metadata: values,
        ..Fields::default()
    }
}

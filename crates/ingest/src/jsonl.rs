//! JSON Lines: one document per line, read with a bounded line reader.

use std::collections::BTreeMap;
use std::io::{self, BufRead};
use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;
use serde_json::value::RawValue;

use crate::build::{Fields, build};
use crate::{Columns, Document, Error, Options, Origin, Record};

#[cfg(test)]
pub(crate) mod tests;

/// A line buffer that grew past this many bytes goes with its line rather than being kept
/// for the next one.
const KEEP_BUFFER_BELOW: usize = 1 << 20;

/// Documents from one JSONL stream, produced line by line.
pub(crate) struct JsonlSource {
    path: String,
    reader: Box<dyn BufRead + Send>,
    max_document_bytes: usize,
    columns: Arc<Columns>,
    line_no: u64,
    buf: Vec<u8>,
    /// Bytes of the input not read yet, when its size is known (else 0).
    unread: u64,
    done: bool,
}

impl JsonlSource {
    /// Lines of `reader`; `size` is its length in bytes when known (a plain file's), else 0.
    pub(crate) fn new(
        path: String,
        reader: Box<dyn BufRead + Send>,
        options: Options,
        size: u64,
    ) -> JsonlSource {
        JsonlSource {
            path,
            reader,
            max_document_bytes: options.max_document_bytes,
            columns: Arc::new(options.columns),
            line_no: 0,
            buf: Vec::new(),
            unread: size,
            done: false,
        }
    }
}

impl JsonlSource {
    /// The next non-blank line as a record (not parsed yet), or the error that ended it.
    pub(crate) fn next_record(&mut self) -> Option<Result<Record, Error>> {
        while !self.done {
            let limit = self.max_document_bytes;
            let read = read_line_bounded(&mut *self.reader, &mut self.buf, limit, &mut self.unread);
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
                    let bytes = hand_over(&mut self.buf);
                    return Some(Ok(Record::jsonl_line(
                        self.path.clone(),
                        line_no,
                        bytes,
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

/// Parses one non-blank JSONL line (raw bytes, without its newline) into a document;
/// invalid UTF-8 is replaced and noted as a warning on the document.
///
/// The text is unescaped within the line's own buffer, which becomes the text, so a large
/// document is in memory once while it is parsed and at most twice (its text and the cleaned
/// text) after.
pub(crate) fn build_line(
    path: &str,
    line_no: u64,
    bytes: Vec<u8>,
    columns: &Columns,
) -> Result<Document, Error> {
    let (parsed, lossy) = match String::from_utf8(bytes) {
        Ok(line) => (parse_fields(path, line_no, line, columns), false),
        Err(error) => {
            let line = String::from_utf8_lossy(error.as_bytes()).into_owned();
            drop(error);
            (parse_fields(path, line_no, line, columns), true)
        }
    };
    let (fields, text, origin) = parsed?;
    let mut doc = build(fields, text, origin);
    if lossy {
        doc.warnings.push(format!(
            "{path}:{line_no}: not valid UTF-8; invalid bytes replaced with U+FFFD"
        ));
    }
    Ok(doc)
}

/// The line in `buf`, for its record: a copy of exactly the line's size, and `buf` keeps its
/// capacity for the next; a long line's buffer is handed over instead, so that a large
/// document is neither copied nor kept a second time by the reader, less the room reserved
/// for the rest of the input that the line did not take.
fn hand_over(buf: &mut Vec<u8>) -> Vec<u8> {
    if buf.capacity() <= KEEP_BUFFER_BELOW {
        return buf.clone();
    }
    let mut line = std::mem::take(buf);
    if line.capacity() - line.len() > KEEP_BUFFER_BELOW {
        line.shrink_to_fit();
    }
    line
}

enum Line {
    Read,
    TooLong,
    End,
}

/// Reads one line (without its newline) into `buf`, keeping at most `limit` bytes; the
/// rest of a longer line is consumed and dropped. `unread` counts down the bytes the input
/// has left, when that is known (else it stays 0).
///
/// A line that outgrows [`KEEP_BUFFER_BELOW`] gets room for the rest of the input (up to
/// `limit`) at once: grown by doubling, each larger buffer left the one before with the
/// allocator, which kept it resident, so a 30 MB line took 30 MB more at its peak.
fn read_line_bounded(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: usize,
    unread: &mut u64,
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
                if buf.len() + chunk.len() > buf.capacity() && buf.capacity() >= KEEP_BUFFER_BELOW {
                    let rest = usize::try_from(*unread).unwrap_or(usize::MAX);
                    // Room the allocator cannot give (a library caller's limit far above the
                    // default, a file of many gigabytes) is no error: the buffer then grows
                    // by doubling, as it did before.
                    let _ = buf.try_reserve_exact(rest.min(limit - buf.len()));
                }
                buf.extend_from_slice(chunk);
            }
        }
        let used = newline.map_or(available.len(), |p| p + 1);
        *unread = unread.saturating_sub(used as u64);
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
#[cfg(test)]
pub(crate) fn parse_line(
    path: &str,
    line_no: u64,
    line: &str,
    columns: &Columns,
) -> Result<Document, Error> {
    let (fields, text, origin) = parse_fields(path, line_no, line.to_string(), columns)?;
    Ok(build(fields, text, origin))
}

/// Parses one JSONL line into its document's fields and text, not yet cleaned.
///
/// The text is unescaped in the line's own buffer ([`split_fields`]); lines that way does
/// not take (errors among them) go through serde_json's `Value`, which gives the same fields
/// and the same errors.
fn parse_fields(
    path: &str,
    line_no: u64,
    line: String,
    columns: &Columns,
) -> Result<(Fields, String, Origin), Error> {
    let origin = Origin {
        path: path.to_string(),
        line: Some(line_no),
    };
    let (values, text) = match split_fields(line, columns) {
        Ok(split) => split,
        Err(line) => value_fields(&line, columns).map_err(|message| Error::Record {
            path: path.to_string(),
            line: line_no,
            message: match record_id(&line, &columns.id) {
                Some(id) => format!("document {id:?}: {message}"),
                None => message,
            },
        })?,
    };
    Ok((record_fields(values, columns), text, origin))
}

/// A line's fields other than its text, as strings (`null`s left out), and its text: the
/// same as [`value_fields`] gives; or the line back, untouched, where that is not sure (the
/// line is not an object of valid JSON, its text is not a string or holds a lone surrogate
/// escape).
///
/// serde_json builds a string value in a scratch buffer that grows by doubling and then
/// copies it: with the line, a large text was in memory three to four times over while it
/// was parsed. Here the line is only checked, and the text unescaped once: into a string
/// sized to fit, or, from a line of [`UNESCAPE_IN_PLACE_FROM`] bytes on, where it is, into
/// the front of the line's buffer, which then is the text.
fn split_fields(
    line: String,
    columns: &Columns,
) -> Result<(BTreeMap<String, String>, String), String> {
    let Some((values, text)) = locate_fields(&line, columns) else {
        return Err(line);
    };
    let text = if line.len() < UNESCAPE_IN_PLACE_FROM {
        match unescape(&line[text]) {
            Some(text) => text,
            None => return Err(line),
        }
    } else {
        unescape_in_place(line, text)?
    };
    Ok((values, text))
}

/// A line this long has its text unescaped in its own buffer, so that a large document is
/// not in memory twice while it is parsed. A shorter one's text is copied out, which takes
/// fewer instructions: in place, the text is checked for UTF-8 a second time.
const UNESCAPE_IN_PLACE_FROM: usize = 1 << 20;

/// The fields of `line` other than its text, as strings, and where in `line` the text's
/// JSON value is; `None` if the line is not an object of valid JSON or has no text field.
fn locate_fields(
    line: &str,
    columns: &Columns,
) -> Option<(BTreeMap<String, String>, Range<usize>)> {
    let raw: BTreeMap<String, &RawValue> = serde_json::from_str(line).ok()?;
    let mut values = BTreeMap::new();
    let mut text = None;
    for (key, value) in raw {
        if key == columns.text {
            // A raw value is a slice of the line it was read from.
            let start = (value.get().as_ptr() as usize).checked_sub(line.as_ptr() as usize)?;
            text = Some(start..start + value.get().len());
            continue;
        }
        if let Some(value) = field_string(serde_json::from_str(value.get()).ok()?) {
            values.insert(key, value);
        }
    }
    Some((values, text?))
}

/// The value of the JSON string literal `raw` (quotes included, its syntax already checked
/// by serde_json), or `None` if `raw` is not a string or escapes a lone surrogate.
fn unescape(raw: &str) -> Option<String> {
    let inner = raw.strip_prefix('"')?.strip_suffix('"')?;
    let bytes = inner.as_bytes();
    let mut out = String::with_capacity(inner.len());
    let mut from = 0;
    while let Some(found) = memchr::memchr(b'\\', &bytes[from..]) {
        let at = from + found;
        // Escapes are ASCII, so `from` and `at` are character boundaries.
        out.push_str(&inner[from..at]);
        let (c, width) = escape(bytes, at)?;
        out.push(c);
        from = at + width;
    }
    out.push_str(&inner[from..]);
    Some(out)
}

/// The value of the JSON string literal at `raw` in `line` (quotes included, its syntax
/// already checked by serde_json), unescaped into the front of the line's buffer; or the
/// line back, untouched, if `raw` is not a string or escapes a lone surrogate.
///
/// No escape is longer written than read (a `\uXXXX` is at most three bytes of UTF-8, a
/// surrogate pair four), so what is written never overtakes what is still to be read.
fn unescape_in_place(line: String, raw: Range<usize>) -> Result<String, String> {
    let Some(inner) = line
        .get(raw.clone())
        .filter(|raw| raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"'))
        .map(|_| raw.start + 1..raw.end - 1)
    else {
        return Err(line);
    };
    // Every escape is decoded before a byte is moved, walked as the copy below walks them, so
    // a line that fails (a lone surrogate) is handed back as it came.
    let bytes = line.as_bytes();
    let mut from = inner.start;
    while let Some(found) = memchr::memchr(b'\\', &bytes[from..inner.end]) {
        match escape(bytes, from + found) {
            Some((_, width)) => from += found + width,
            None => return Err(line),
        }
    }
    let mut bytes = line.into_bytes();
    let (mut read, mut write) = (inner.start, 0);
    while let Some(found) = memchr::memchr(b'\\', &bytes[read..inner.end]) {
        let at = read + found;
        bytes.copy_within(read..at, write);
        write += at - read;
        let Some((c, width)) = escape(&bytes, at) else {
            // Not reached: every escape was checked above.
            return Err(String::from_utf8_lossy(&bytes).into_owned());
        };
        write += c.encode_utf8(&mut bytes[write..at + width]).len();
        read = at + width;
    }
    bytes.copy_within(read..inner.end, write);
    bytes.truncate(write + inner.end - read);
    // Escapes are ASCII, so what was copied between them was whole characters.
    String::from_utf8(bytes).map_err(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// The character escaped at `at` in `bytes` (where a backslash is) and how many bytes its
/// escape takes, or `None` if it is no escape of a character (a lone surrogate among them).
fn escape(bytes: &[u8], at: usize) -> Option<(char, usize)> {
    Some(match *bytes.get(at + 1)? {
        b'"' => ('"', 2),
        b'\\' => ('\\', 2),
        b'/' => ('/', 2),
        b'b' => ('\u{8}', 2),
        b'f' => ('\u{c}', 2),
        b'n' => ('\n', 2),
        b'r' => ('\r', 2),
        b't' => ('\t', 2),
        b'u' => {
            let unit = hex4(bytes.get(at + 2..at + 6)?)?;
            if (0xD800..0xDC00).contains(&unit) {
                // A leading surrogate must be followed by an escaped trailing one.
                if bytes.get(at + 6..at + 8)? != b"\\u" {
                    return None;
                }
                let low = hex4(bytes.get(at + 8..at + 12)?)?;
                if !(0xDC00..0xE000).contains(&low) {
                    return None;
                }
                let c = char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))?;
                (c, 12)
            } else {
                // A lone trailing surrogate is no character either.
                (char::from_u32(unit)?, 6)
            }
        }
        _ => return None,
    })
}

/// The value of four hexadecimal digits.
fn hex4(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0, |value, &digit| {
        Some(value << 4 | char::from(digit).to_digit(16)?)
    })
}

/// A line's fields other than its text, as strings (`null`s left out), and its text, read
/// through serde_json's `Value`; or what is wrong with the line.
fn value_fields(
    line: &str,
    columns: &Columns,
) -> Result<(BTreeMap<String, String>, String), String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("expected a JSON object".to_string());
    };
    let mut values = BTreeMap::new();
    let mut text = None;
    for (key, value) in map {
        if key == columns.text {
            match value {
                Value::String(s) => text = Some(s),
                Value::Null => {}
                _ => return Err(format!("field `{key}` is not a string")),
            }
            continue;
        }
        if let Some(value) = field_string(value) {
            values.insert(key, value);
        }
    }
    let text = text.ok_or_else(|| format!("missing `{}` field", columns.text))?;
    Ok((values, text))
}

/// A field's value as metadata keeps it: strings as they are, other values as JSON, `null`
/// as nothing.
fn field_string(value: Value) -> Option<String> {
    Some(match value {
        Value::Null => return None,
        Value::String(s) => s,
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        nested @ (Value::Array(_) | Value::Object(_)) => nested.to_string(),
    })
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

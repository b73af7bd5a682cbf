//! CSV records from a byte stream: RFC 4180 framing, found with `memchr` a chunk at a time.
//!
//! The grammar is the one spreadsheets and the `csv` crate accept (the tests check field for
//! field against it): fields end at `,`, records at `\n`, `\r` or `\r\n`; blank lines between
//! records are skipped; a field that starts with `"` runs to the next lone `"`, with `""` for
//! a quote and newlines kept; bytes after its closing quote, and quotes inside an unquoted
//! field, are kept as written; a byte-order mark opening the stream is dropped.
//!
//! Scanning for the few bytes that matter instead of stepping a state machine byte by byte
//! is what makes this worth having over the crate: news text is long quoted fields with few
//! quotes, so most of the input is copied in runs found by one `memchr` each.

use std::io::{self, Read};

#[cfg(test)]
pub(super) mod tests;

/// Bytes read from the input at a time.
const CHUNK: usize = 64 * 1024;

/// The UTF-8 byte-order mark, which some spreadsheet exports put before the header.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// Reads records one at a time from a stream, holding one buffer of input.
pub(crate) struct Records {
    input: Box<dyn Read + Send>,
    buf: Box<[u8]>,
    /// The unread part of `buf` is `buf[pos..len]`.
    pos: usize,
    len: usize,
    /// The line (1-based) of `buf[pos]`.
    line: u64,
    /// Whether the stream's first bytes were checked for a byte-order mark.
    started: bool,
}

/// One record: its fields' bytes, unquoted and concatenated, and where each ends.
#[derive(Debug, Default, Clone)]
pub(crate) struct Row {
    bytes: Vec<u8>,
    ends: Vec<usize>,
    /// The line the record starts on, 1-based.
    line: u64,
    /// The record's length in the input, from its first byte to its terminator (quotes and
    /// delimiters included).
    size: usize,
    /// The most bytes kept; a longer record is measured but not kept.
    limit: usize,
    /// Whether the stream ended inside a quoted field.
    unclosed: bool,
}

/// Where a field is being read: what the next byte means.
#[derive(Clone, Copy)]
enum State {
    /// At a field's first byte.
    Start,
    /// Inside an unquoted field (or after a quoted field's closing quote).
    Bare,
    /// Inside a quoted field.
    Quoted,
    /// Just after a quote inside a quoted field: a second quote is an escaped one.
    Closing,
}

impl Records {
    pub(crate) fn new(input: Box<dyn Read + Send>) -> Records {
        Records {
            input,
            buf: vec![0; CHUNK].into_boxed_slice(),
            pos: 0,
            len: 0,
            line: 1,
            started: false,
        }
    }

    /// Reads the next record into `row`, keeping at most `limit` of its bytes; `false` at the
    /// end of the stream. An IO error leaves the stream at an unspecified point.
    pub(crate) fn read(&mut self, row: &mut Row, limit: usize) -> io::Result<bool> {
        if !self.started {
            self.start()?;
        }
        row.bytes.clear();
        row.ends.clear();
        row.size = 0;
        row.unclosed = false;
        row.limit = limit;
        // Blank lines (and the `\n` of a `\r\n`) before the record.
        loop {
            if self.pos == self.len && !self.fill()? {
                return Ok(false);
            }
            match self.buf[self.pos] {
                b'\n' => self.line += 1,
                b'\r' => {}
                _ => break,
            }
            self.pos += 1;
        }
        row.line = self.line;
        let mut state = State::Start;
        loop {
            if self.pos == self.len && !self.fill()? {
                row.unclosed = matches!(state, State::Quoted);
                row.end_record();
                return Ok(true);
            }
            let rest = &self.buf[self.pos..self.len];
            match state {
                State::Start | State::Closing => {
                    let byte = rest[0];
                    match byte {
                        b',' => {
                            row.end_field();
                            row.size += 1;
                            state = State::Start;
                        }
                        b'\n' | b'\r' => {
                            row.end_record();
                            return Ok(true);
                        }
                        b'"' => {
                            if let State::Closing = state {
                                row.push(b"\"");
                            } else {
                                row.size += 1;
                            }
                            state = State::Quoted;
                        }
                        _ => {
                            state = State::Bare;
                            continue;
                        }
                    }
                    self.pos += 1;
                }
                State::Bare => match memchr::memchr3(b',', b'\n', b'\r', rest) {
                    Some(at) => {
                        row.push(&rest[..at]);
                        if rest[at] != b',' {
                            // The terminator is left for the next record's blank-line skip.
                            self.pos += at;
                            row.end_record();
                            return Ok(true);
                        }
                        row.end_field();
                        row.size += 1;
                        self.pos += at + 1;
                        state = State::Start;
                    }
                    None => {
                        row.push(rest);
                        self.pos = self.len;
                    }
                },
                State::Quoted => {
                    let (run, closed) = match memchr::memchr(b'"', rest) {
                        Some(at) => (&rest[..at], true),
                        None => (rest, false),
                    };
                    self.line += memchr::memchr_iter(b'\n', run).count() as u64;
                    row.push(run);
                    self.pos += run.len();
                    if closed {
                        row.size += 1;
                        self.pos += 1;
                        state = State::Closing;
                    }
                }
            }
        }
    }

    /// Drops a byte-order mark at the start of the stream.
    fn start(&mut self) -> io::Result<()> {
        while self.len < BOM.len() {
            let n = read_retrying(&mut *self.input, &mut self.buf[self.len..])?;
            if n == 0 {
                break;
            }
            self.len += n;
        }
        if self.buf[..self.len].starts_with(BOM) {
            self.pos = BOM.len();
        }
        self.started = true;
        Ok(())
    }

    /// Replaces the consumed buffer with the next bytes of the stream; `false` at its end.
    fn fill(&mut self) -> io::Result<bool> {
        self.pos = 0;
        self.len = read_retrying(&mut *self.input, &mut self.buf)?;
        Ok(self.len > 0)
    }
}

/// One `read`, retried when interrupted by a signal.
fn read_retrying(input: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match input.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            result => return result,
        }
    }
}

impl Row {
    /// Appends bytes to the current field, or only counts them once past the limit.
    fn push(&mut self, bytes: &[u8]) {
        self.size += bytes.len();
        if self.size <= self.limit {
            self.bytes.extend_from_slice(bytes);
        }
    }

    fn end_field(&mut self) {
        // A record past the limit is only measured, whatever its field count.
        if self.size <= self.limit {
            self.ends.push(self.bytes.len());
        }
    }

    /// Ends the last field; a record past the limit keeps none.
    fn end_record(&mut self) {
        self.end_field();
        if self.too_large() {
            self.bytes.clear();
            self.ends.clear();
        }
    }

    /// The line the record starts on, 1-based.
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    /// Whether the stream ended inside one of the record's quoted fields: the quote was never
    /// closed, so the field took in everything after it.
    pub(crate) fn unclosed(&self) -> bool {
        self.unclosed
    }

    /// Whether the record was longer than the limit it was read with; it then has no fields.
    pub(crate) fn too_large(&self) -> bool {
        self.size > self.limit
    }

    /// All fields' bytes, concatenated.
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.bytes
    }

    /// How many fields the record has.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Where field `i` is in [`Row::as_slice`].
    pub(crate) fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(start..end)
    }

    /// Field `i`'s bytes.
    pub(crate) fn get(&self, i: usize) -> Option<&[u8]> {
        self.range(i).map(|r| &self.bytes[r])
    }

    /// Every field's bytes, in order.
    pub(crate) fn fields(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.len()).filter_map(|i| self.get(i))
    }
}

//! The lazy reader: expands directories, opens one input at a time, picks the format.

use std::collections::VecDeque;
use std::fs::{self, File};
use std::io::{self, BufReader, Cursor, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

use crate::jsonl::JsonlSource;
use crate::table::CsvSource;
use crate::{Document, Error, Options, Record};

#[cfg(test)]
mod tests;

/// How many leading bytes are checked for NUL to detect binary files.
const SNIFF_BYTES: usize = 8 * 1024;

/// Starts reading `inputs` (paths, directories, or `-` for stdin) in the order given.
///
/// Nothing is opened until the returned [`Reader`] is iterated.
pub fn read(inputs: &[String], options: &Options) -> Reader {
    Reader {
        options: options.clone(),
        queue: inputs.iter().cloned().collect(),
        current: None,
    }
}

/// An iterator over documents: one `Ok` per document, one `Err` per input or record that
/// could not be read. Errors never stop the remaining inputs.
pub struct Reader {
    options: Options,
    /// Inputs not opened yet; directory entries are pushed to the front in sorted order.
    queue: VecDeque<String>,
    /// A multi-document input (JSONL, CSV) being read.
    current: Option<Source>,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("pending", &self.queue)
            .finish_non_exhaustive()
    }
}

enum Source {
    Jsonl(JsonlSource),
    Csv(Box<CsvSource>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Plain,
    Html,
    Jsonl,
    Csv,
}

impl Iterator for Reader {
    type Item = Result<Document, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record()
            .map(|record| record.and_then(Record::build))
    }
}

impl Reader {
    /// The next document's input, read but not yet parsed, cleaned or segmented, or the next
    /// error, in the same order as the iterator. [`Record::build`] turns it into the item
    /// the iterator would have given, so callers can build records on other threads while
    /// this one reads on.
    pub fn next_record(&mut self) -> Option<Result<Record, Error>> {
        loop {
            if let Some(source) = &mut self.current {
                let item = match source {
                    Source::Jsonl(s) => s.next_record(),
                    Source::Csv(s) => s.next_record(),
                };
                match item {
                    Some(item) => return Some(item),
                    None => self.current = None,
                }
            }
            let path = self.queue.pop_front()?;
            if let Some(item) = self.open(path) {
                return Some(item);
            }
        }
    }

    /// Opens one input. Returns an item for single-document inputs and errors; for
    /// directories and multi-document inputs it queues work and returns `None`.
    fn open(&mut self, path: String) -> Option<Result<Record, Error>> {
        if path == "-" {
            return self.open_stdin();
        }
        let io_error = |source: io::Error| Error::Io {
            path: path.clone(),
            source,
        };
        let meta = match fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => return Some(Err(io_error(e))),
        };
        if meta.is_dir() {
            return match list_dir(&path) {
                Ok(entries) => {
                    for entry in entries.into_iter().rev() {
                        self.queue.push_front(entry);
                    }
                    None
                }
                Err(e) => Some(Err(io_error(e))),
            };
        }
        let (format, gzipped) = format_of(&path);
        let limit = self.options.max_document_bytes;
        if !gzipped && matches!(format, Format::Plain | Format::Html) && meta.len() > limit as u64 {
            return Some(Err(Error::TooLarge {
                path,
                line: None,
                limit,
            }));
        }
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) => return Some(Err(io_error(e))),
        };
        let input: Box<dyn Read + Send> = if gzipped {
            Box::new(MultiGzDecoder::new(BufReader::new(file)))
        } else {
            Box::new(file)
        };
        let id = stem(&path);
        let size = if gzipped { 0 } else { meta.len() };
        self.open_stream(path, Some(id), format, input, size)
    }

    /// Stdin, sniffed.
    fn open_stdin(&mut self) -> Option<Result<Record, Error>> {
        self.open_sniffed("-".to_string(), Box::new(io::stdin()))
    }

    /// Reads a stream of unknown format: gzip by its magic bytes, then JSONL when the
    /// first non-blank character is `{`, plain text otherwise.
    fn open_sniffed(
        &mut self,
        path: String,
        mut input: Box<dyn Read + Send>,
    ) -> Option<Result<Record, Error>> {
        let mut prefix = match read_prefix(&mut input, 2) {
            Ok(p) => p,
            Err(source) => return Some(Err(Error::Io { path, source })),
        };
        if prefix.starts_with(&[0x1f, 0x8b]) {
            input = Box::new(MultiGzDecoder::new(Cursor::new(prefix).chain(input)));
            prefix = Vec::new();
        }
        // Read until the first non-blank byte so the sniff sees it.
        loop {
            if prefix.iter().any(|b| !b.is_ascii_whitespace()) {
                break;
            }
            match read_prefix(&mut input, SNIFF_BYTES) {
                Ok(more) if more.is_empty() => break,
                Ok(more) => prefix.extend_from_slice(&more),
                Err(source) => return Some(Err(Error::Io { path, source })),
            }
        }
        let first = prefix.iter().find(|b| !b.is_ascii_whitespace());
        let format = if first == Some(&b'{') {
            Format::Jsonl
        } else {
            Format::Plain
        };
        let input: Box<dyn Read + Send> = Box::new(Cursor::new(prefix).chain(input));
        self.open_stream(path, None, format, input, 0)
    }

    /// Reads a decoded stream in `format`; `size` is its length when known (a plain file's),
    /// else 0.
    fn open_stream(
        &mut self,
        path: String,
        id: Option<String>,
        format: Format,
        mut input: Box<dyn Read + Send>,
        size: u64,
    ) -> Option<Result<Record, Error>> {
        let limit = self.options.max_document_bytes;
        let prefix = match read_prefix(&mut input, SNIFF_BYTES) {
            Ok(p) => p,
            Err(source) => return Some(Err(Error::Io { path, source })),
        };
        if memchr::memchr(0, &prefix).is_some() {
            return Some(Err(Error::Binary { path }));
        }
        let input: Box<dyn Read + Send> = Box::new(Cursor::new(prefix).chain(input));
        match format {
            Format::Jsonl => {
                let reader = Box::new(BufReader::with_capacity(64 * 1024, input));
                self.current = Some(Source::Jsonl(JsonlSource::new(
                    path,
                    reader,
                    self.options.clone(),
                    size,
                )));
                None
            }
            Format::Csv => match CsvSource::new(path, input, self.options.clone()) {
                Ok(source) => {
                    self.current = Some(Source::Csv(Box::new(source)));
                    None
                }
                Err(e) => Some(Err(e)),
            },
            Format::Plain | Format::Html => {
                // Sized to the file when its size is known: grown by doubling instead, a
                // large document's buffer was copied at each step and left up to twice its
                // size in capacity.
                let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).min(limit));
                if let Err(source) = input.take(limit as u64 + 1).read_to_end(&mut bytes) {
                    return Some(Err(Error::Io { path, source }));
                }
                if bytes.len() > limit {
                    return Some(Err(Error::TooLarge {
                        path,
                        line: None,
                        limit,
                    }));
                }
                let html = format == Format::Html;
                Some(Ok(Record::text(path, id, html, bytes)))
            }
        }
    }
}

/// Reads up to `n` bytes (fewer only at the end of the stream).
fn read_prefix(input: &mut dyn Read, n: usize) -> io::Result<Vec<u8>> {
    let mut prefix = Vec::with_capacity(n);
    input.take(n as u64).read_to_end(&mut prefix)?;
    Ok(prefix)
}

/// The entries of a directory, recursively expanded later: sorted, hidden names skipped,
/// symbolic links to directories not followed (so a link cycle cannot loop).
fn list_dir(path: &str) -> io::Result<Vec<String>> {
    let mut entries = Vec::new();
    for entry in fs::read_dir(path)? {
        let entry = entry?;
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let file_type = entry.file_type()?;
        if file_type.is_symlink() && fs::metadata(entry.path()).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        entries.push(Path::new(path).join(&name).to_string_lossy().into_owned());
    }
    entries.sort();
    Ok(entries)
}

/// The format by extension (after an optional `.gz`), and whether the file is gzipped.
fn format_of(path: &str) -> (Format, bool) {
    let lower = path.to_lowercase();
    let (name, gzipped) = match lower.strip_suffix(".gz") {
        Some(rest) => (rest, true),
        None => (lower.as_str(), false),
    };
    let ext = Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    let format = match ext {
        "html" | "htm" => Format::Html,
        "jsonl" | "ndjson" => Format::Jsonl,
        "csv" => Format::Csv,
        _ => Format::Plain,
    };
    (format, gzipped)
}

/// The file name without its extensions (`.gz` and the format extension).
fn stem(path: &str) -> String {
    let name = Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = name
        .strip_suffix(".gz")
        .or_else(|| name.strip_suffix(".GZ"))
        .unwrap_or(&name);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => name.to_string(),
    }
}

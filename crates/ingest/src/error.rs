//! The one error type of the crate: every variant knows where it happened.

use std::io;

/// An input that could not be read, or a record inside it that could not be used.
///
/// `Display` always starts with the location (`path: message` or `path:line: message`),
/// so a caller can print errors as they come and report them all at the end.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The path could not be opened or read (missing, unreadable, corrupt gzip).
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The input path.
        path: String,
        /// The underlying IO error.
        #[source]
        source: io::Error,
    },
    /// The file looks binary (a NUL byte in its first 8 KiB) and was skipped.
    #[error("{path}: skipped binary file (NUL byte in the first 8 KiB)")]
    Binary {
        /// The input path.
        path: String,
    },
    /// One document is larger than [`crate::Options::max_document_bytes`].
    #[error("{}: document is larger than the limit of {limit} bytes", location(path, *line))]
    TooLarge {
        /// The input path.
        path: String,
        /// The line (JSONL) or record start line (CSV), if any.
        line: Option<u64>,
        /// The configured limit in bytes.
        limit: usize,
    },
    /// A JSONL line or CSV record that could not be turned into a document.
    #[error("{path}:{line}: {message}")]
    Record {
        /// The input path.
        path: String,
        /// The 1-based line.
        line: u64,
        /// What was wrong with it.
        message: String,
    },
    /// A column mapping such as `text=body` that could not be understood.
    #[error("{spec}: {message}")]
    ColumnSpec {
        /// The mapping as given.
        spec: String,
        /// What was wrong with it.
        message: String,
    },
}

impl Error {
    /// Where the error happened: `path`, `path:line`, or the column mapping as given.
    pub fn location(&self) -> String {
        match self {
            Error::Io { path, .. } | Error::Binary { path } => path.clone(),
            Error::TooLarge { path, line, .. } => location(path, *line),
            Error::Record { path, line, .. } => location(path, Some(*line)),
            Error::ColumnSpec { spec, .. } => spec.clone(),
        }
    }

    /// What went wrong, without the location.
    pub fn message(&self) -> String {
        let full = self.to_string();
        let prefix = self.location();
        match full
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_prefix(": "))
        {
            Some(rest) => rest.to_string(),
            None => full,
        }
    }

    /// True for problems that only skip an input the user probably did not mean to
    /// pass (binary files); callers may report these as warnings rather than errors.
    pub fn is_warning(&self) -> bool {
        matches!(self, Error::Binary { .. })
    }
}

/// Formats `path` or `path:line`.
pub(crate) fn location(path: &str, line: Option<u64>) -> String {
    match line {
        Some(line) => format!("{path}:{line}"),
        None => path.to_string(),
    }
}

//! Turns the command line's PATHS into a stream of documents and rejected inputs.
//!
//! Raw articles go through `ingest`; `.jsonl` files written by `stance score` (their first
//! object has `"schema": "stance/1"` and `"dyads"`) are read back as already scored documents,
//! so `compare` and `explain` can reuse a scoring run.

use std::io::BufRead;

use crate::report::{self, DocumentReport, SCHEMA};

/// One item of input: a raw document to build and score, or one read back already scored.
pub(crate) enum Item {
    Raw(ingest::Record),
    Scored(ScoredLine),
}

/// One line of a `stance score` JSONL file, parsed by the worker that takes it
/// ([`ScoredLine::parse`]), so reading stays a line split on the reading thread.
pub(crate) struct ScoredLine {
    /// `path:line`.
    input: String,
    text: String,
}

impl ScoredLine {
    /// The scored document on this line, or the problem with it.
    pub(crate) fn parse(&self) -> Result<score::ScoredDocument, Problem> {
        serde_json::from_str::<DocumentReport>(&self.text)
            .map_err(|error| format!("not a stance/1 scored document: {error}"))
            .and_then(|doc| match doc.schema.as_deref() {
                Some(SCHEMA) => report::scored_document(&doc),
                other => Err(format!(
                    "unsupported schema {other:?} (expected {SCHEMA:?})"
                )),
            })
            .map_err(|message| Problem {
                input: self.input.clone(),
                message,
                warning: false,
            })
    }
}

/// An input (or record) that was rejected, or skipped with a warning.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    /// `path` or `path:line`.
    pub(crate) input: String,
    pub(crate) message: String,
    /// A warning (for example a binary file found while walking a directory) does not
    /// change the exit code.
    pub(crate) warning: bool,
}

/// Options for reading inputs.
pub(crate) struct ReadOptions {
    ingest: ingest::Options,
}

impl ReadOptions {
    /// Options with these `NAME=FIELD` column mappings.
    pub(crate) fn new(columns: &[String]) -> anyhow::Result<ReadOptions> {
        let mut options = ingest::Options::default();
        for spec in columns {
            options
                .columns
                .set(spec)
                .map_err(|error| anyhow::anyhow!("bad --column {spec}: {}", error.message()))?;
        }
        Ok(ReadOptions { ingest: options })
    }
}

/// True if `path` names a JSONL file whose first object is a `stance/1` scored document.
///
/// Only `schema` and whether `dyads` is there are read from the first non-blank line; its
/// other values are skipped, not built: building them all cost a large document twice its
/// size in memory before it was read for real.
fn is_scored_jsonl(path: &str) -> bool {
    if !path.ends_with(".jsonl") {
        return false;
    }
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut reader = std::io::BufReader::new(file);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) => {}
        }
        let Ok(text) = std::str::from_utf8(&line) else {
            return false;
        };
        if !text.trim().is_empty() {
            break;
        }
    }
    serde_json::from_slice::<Probe>(&line)
        .is_ok_and(|probe| probe.schema.as_deref() == Some(SCHEMA) && probe.dyads.0)
}

/// What [`is_scored_jsonl`] needs of a first line; other keys are skipped.
#[derive(serde::Deserialize)]
struct Probe {
    schema: Option<String>,
    #[serde(default)]
    dyads: Present,
}

/// Whether a key was there at all, whatever its value (`null` included).
#[derive(Default)]
struct Present(bool);

impl<'de> serde::Deserialize<'de> for Present {
    fn deserialize<D: serde::Deserializer<'de>>(value: D) -> Result<Present, D::Error> {
        serde::de::IgnoredAny::deserialize(value)?;
        Ok(Present(true))
    }
}

/// The lines of a `stance score` JSONL file, one at a time (blank lines skipped); a read
/// error is reported with its line and ends the file.
fn read_scored(path: &str) -> Box<dyn Iterator<Item = Result<Item, Problem>>> {
    let problem = |input: String, message: String| Problem {
        input,
        message,
        warning: false,
    };
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) => {
            let error = problem(path.to_string(), format!("cannot read: {error}"));
            return Box::new(std::iter::once(Err(error)));
        }
    };
    let path = path.to_string();
    let mut lines = std::io::BufReader::new(file).lines().enumerate();
    let mut failed = false;
    Box::new(std::iter::from_fn(move || {
        if failed {
            return None;
        }
        for (line_idx, line) in lines.by_ref() {
            let input = format!("{path}:{}", line_idx + 1);
            match line {
                Ok(text) if text.trim().is_empty() => continue,
                Ok(text) => return Some(Ok(Item::Scored(ScoredLine { input, text }))),
                Err(error) => {
                    failed = true;
                    return Some(Err(problem(input, format!("cannot read: {error}"))));
                }
            }
        }
        None
    }))
}

/// The problem to report for an ingest error; `paths` are the inputs the user named, which
/// are never skipped with a mere warning.
pub(crate) fn problem(error: &ingest::Error, paths: &[String]) -> Problem {
    let input = error.location();
    Problem {
        warning: error.is_warning() && !paths.contains(&input),
        message: error.message(),
        input,
    }
}

/// Reads `paths` in order, yielding records and problems as they come.
pub(crate) fn read(
    paths: &[String],
    options: &ReadOptions,
) -> impl Iterator<Item = Result<Item, Problem>> {
    let explicit: Vec<String> = paths.to_vec();
    let mut groups: Vec<(bool, Vec<String>)> = Vec::new();
    for path in paths {
        let scored = is_scored_jsonl(path);
        match groups.last_mut() {
            Some((last_scored, group)) if *last_scored == scored && !scored => {
                group.push(path.clone())
            }
            _ => groups.push((scored, vec![path.clone()])),
        }
    }
    let ingest_options = options.ingest.clone();
    groups.into_iter().flat_map(
        move |(scored, group)| -> Box<dyn Iterator<Item = Result<Item, Problem>>> {
            if scored {
                Box::new(group.into_iter().flat_map(|path| read_scored(&path)))
            } else {
                let explicit = explicit.clone();
                let mut reader = ingest::read(&group, &ingest_options);
                Box::new(std::iter::from_fn(move || {
                    let result = reader.next_record()?;
                    Some(
                        result
                            .map(Item::Raw)
                            .map_err(|error| problem(&error, &explicit)),
                    )
                }))
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::is_scored_jsonl;

    /// Whether a `.jsonl` file that starts with `content` is taken for scored output.
    fn scored(content: &str) -> bool {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("in.jsonl");
        std::fs::write(&path, content).expect("a written file");
        is_scored_jsonl(&path.to_string_lossy())
    }

    #[test]
    fn the_first_non_blank_line_decides() {
        let line = r#"{"id": "a", "dyads": [], "schema": "stance/1", "text": "x"}"#;
        let cases = [
            (format!("{line}\n"), true, "a scored line"),
            (format!("\n  \r\n{line}"), true, "blank lines before it"),
            (
                r#"{"dyads": null, "schema": "stance/1"}"#.into(),
                true,
                "null dyads",
            ),
            (
                r#"{"schema": "stance/1", "text": "x"}"#.into(),
                false,
                "no dyads",
            ),
            (
                r#"{"dyads": [], "schema": "stance/2"}"#.into(),
                false,
                "another schema",
            ),
            (
                r#"{"dyads": [], "schema": 1}"#.into(),
                false,
                "a schema not a string",
            ),
            (r#"{"text": "x"}"#.into(), false, "a raw document"),
            (format!("{line} x"), false, "more after the object"),
            (
                "{\"dyads\": [],\n\"schema\": \"stance/1\"}".into(),
                false,
                "over lines",
            ),
            (
                format!("{{\"text\": \"x\"}}\n{line}"),
                false,
                "a later line",
            ),
            (String::new(), false, "an empty file"),
        ];
        for (content, expected, case) in cases {
            assert_eq!(scored(&content), expected, "{case}");
        }
    }
}

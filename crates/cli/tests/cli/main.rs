//! Integration tests for the `stance` binary: every command, format and exit code.
//!
//! One test binary (see `autotests = false` in Cargo.toml) whose modules share the helpers
//! below; every test runs the built binary through [`stance`] and inspects a [`Run`].

mod actors;
mod compare;
mod errors;
mod eval;
mod explain;
mod golden;
mod lexicon;
mod partials;
mod schema;
mod score;

use std::path::{Path, PathBuf};

/// The workspace root (tests run from there, so `seeds` resolves).
pub fn root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .ancestors()
        .nth(2)
        .unwrap_or(manifest_dir)
        .to_path_buf()
}

/// The result of one run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The stdout parsed as one JSON value.
    pub fn json(&self) -> serde_json::Value {
        match serde_json::from_str(&self.stdout) {
            Ok(value) => value,
            Err(error) => panic!(
                "stdout is not JSON ({error}):\n```\n{}\n```\nstderr:\n```\n{}\n```",
                self.stdout, self.stderr
            ),
        }
    }

    /// The stdout parsed as JSON lines.
    pub fn jsonl(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|line| match serde_json::from_str(line) {
                Ok(value) => value,
                Err(error) => panic!(
                    "line is not JSON ({error}): {line}\nstderr:\n{}",
                    self.stderr
                ),
            })
            .collect()
    }

    /// Asserts the exit code, printing both streams when it differs.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\nstdout:\n```\n{}\n```\nstderr:\n```\n{}\n```\nhelp: 0 success, 1 rejected inputs, 2 usage/config",
            self.stdout, self.stderr
        );
        self
    }
}

/// Runs `stance ARGS` from the workspace root with `stdin` piped in.
pub fn stance_with_stdin(args: &[&str], stdin: &str) -> Run {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("stance");
    command
        .current_dir(root())
        .env_remove("NO_COLOR")
        .args(args)
        .write_stdin(stdin);
    let output = match command.output() {
        Ok(output) => output,
        Err(error) => panic!("cannot run stance: {error}"),
    };
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `stance ARGS` from the workspace root with empty stdin.
pub fn stance(args: &[&str]) -> Run {
    stance_with_stdin(args, "")
}

/// A temporary directory holding the given files.
pub fn files(entries: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(error) => panic!("cannot create a temporary directory: {error}"),
    };
    for (name, contents) in entries {
        let path = dir.path().join(name);
        if let Err(error) = std::fs::write(&path, contents) {
            panic!("cannot write {}: {error}", path.display());
        }
    }
    dir
}

/// A path inside `dir` as a string argument.
pub fn arg(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).display().to_string()
}

/// The dyad `source -> target` of a document report, if present.
pub fn dyad<'a>(
    doc: &'a serde_json::Value,
    source: &str,
    target: &str,
) -> Option<&'a serde_json::Value> {
    doc["dyads"]
        .as_array()?
        .iter()
        .find(|d| d["source"] == source && d["target"] == target)
}

/// The score of `source -> target` in a document report; panics with the document if absent.
pub fn dyad_score(doc: &serde_json::Value, source: &str, target: &str) -> f64 {
    match dyad(doc, source, target).and_then(|d| d["score"].as_f64()) {
        Some(score) => score,
        None => panic!(
            "no {source} -> {target} dyad in:\n{}\nhelp: check the gazetteer aliases and the lexicon cue",
            serde_json::to_string_pretty(doc).unwrap_or_default()
        ),
    }
}

/// Validates a JSON report against docs/stance.schema.json.
pub fn assert_schema_valid(value: &serde_json::Value) {
    let path = root().join("docs").join("stance.schema.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) => panic!("cannot read {}: {error}", path.display()),
    };
    let schema: serde_json::Value = match serde_json::from_str(&text) {
        Ok(schema) => schema,
        Err(error) => panic!("{} is not JSON: {error}", path.display()),
    };
    let errors = schema::validate(&schema, value);
    assert!(
        errors.is_empty(),
        "report does not match docs/stance.schema.json:\n{}\nhelp: update docs/json.md and the schema together with the report types",
        errors.join("\n")
    );
}

/// Asserts that every object in a JSON text has its keys in sorted order, as written.
pub fn assert_sorted_keys(text: &str) {
    if let Some(error) = unsorted_key(text) {
        panic!(
            "keys are not sorted: {error}\nhelp: declare report struct fields in alphabetical order"
        );
    }
}

/// The first out-of-order key of a JSON text (or a parse error), if any.
pub fn unsorted_key(text: &str) -> Option<String> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    serde::de::DeserializeSeed::deserialize(sorted::Sorted, &mut deserializer)
        .err()
        .map(|e| e.to_string())
}

mod sorted {
    //! A serde visitor that walks JSON and fails on the first out-of-order key.

    use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};

    pub(crate) struct Sorted;

    impl<'de> DeserializeSeed<'de> for Sorted {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_any(Sorted)
        }
    }

    impl<'de> Visitor<'de> for Sorted {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            while seq.next_element_seed(Sorted)?.is_some() {}
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut previous: Option<String> = None;
            while let Some(key) = map.next_key::<String>()? {
                if let Some(previous) = &previous
                    && *previous >= key
                {
                    return Err(A::Error::custom(format!(
                        "{key:?} comes after {previous:?}"
                    )));
                }
                map.next_value_seed(Sorted)?;
                previous = Some(key);
            }
            Ok(())
        }
    }
}

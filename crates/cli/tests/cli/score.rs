//! `stance score`: every format, stdin, ordering and the facts any reader agrees with.

use crate::{arg, assert_schema_valid, dyad_score, files, stance, stance_with_stdin};

const CONDEMN: &str = "Moscow condemned Tokyo.";
const PRAISE: &str = "Japan praised Russia.";

#[test]
fn condemnation_is_a_hawkish_dyad() {
    let dir = files(&[("condemn.txt", CONDEMN.as_bytes())]);
    let run = stance(&["score", &arg(&dir, "condemn.txt")]);
    run.expect_code(0);
    let docs = run.jsonl();
    assert_eq!(docs.len(), 1, "one document per line");
    assert_eq!(
        run.stderr, "",
        "nothing on stderr for a clean run (no progress bar off a terminal)"
    );
    assert_eq!(docs[0]["schema"], "stance/1");
    assert_eq!(docs[0]["id"], "condemn");
    assert!(
        dyad_score(&docs[0], "RUS", "JPN") < 0.0,
        "condemning is hawkish: {}",
        run.stdout
    );
    assert!(
        docs[0]["matrix"]["RUS"]["JPN"]
            .as_f64()
            .is_some_and(|s| s < 0.0)
    );
}

#[test]
fn praise_is_a_conciliatory_dyad() {
    let run = stance_with_stdin(&["score", "-"], PRAISE);
    run.expect_code(0);
    assert!(
        dyad_score(&run.jsonl()[0], "JPN", "RUS") > 0.0,
        "praising is conciliatory: {}",
        run.stdout
    );
}

#[test]
fn piped_stdin_is_read_without_paths() {
    let run = stance_with_stdin(&["score"], CONDEMN);
    run.expect_code(0);
    assert!(dyad_score(&run.jsonl()[0], "RUS", "JPN") < 0.0);
}

#[test]
fn json_report_is_sorted_valid_and_deterministic() {
    let dir = files(&[("a.txt", CONDEMN.as_bytes()), ("b.txt", PRAISE.as_bytes())]);
    let run = stance(&[
        "score",
        "--format",
        "json",
        &arg(&dir, "b.txt"),
        &arg(&dir, "a.txt"),
    ]);
    run.expect_code(0);
    let report = run.json();
    assert_schema_valid(&report);
    assert_eq!(report["schema"], "stance/1");
    assert_eq!(report["errors"], serde_json::json!([]));
    let ids: Vec<&str> = report["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert_eq!(ids, ["b", "a"], "documents keep input order");
    crate::assert_sorted_keys(&run.stdout);
    let again = stance(&[
        "score",
        "--format",
        "json",
        &arg(&dir, "b.txt"),
        &arg(&dir, "a.txt"),
    ]);
    assert_eq!(run.stdout, again.stdout, "same input, same bytes");
}

#[test]
fn csv_is_a_tidy_long_table() {
    let dir = files(&[("x, \"quoted\".txt", CONDEMN.as_bytes())]);
    let run = stance(&["score", "--format", "csv", &arg(&dir, "x, \"quoted\".txt")]);
    run.expect_code(0);
    let mut lines = run.stdout.split("\r\n");
    assert_eq!(
        lines.next(),
        Some("doc_id,date,source,target,score,conciliatory,hawkish,cues")
    );
    let row = lines
        .find(|l| l.contains(",RUS,JPN,"))
        .unwrap_or_else(|| panic!("no RUS,JPN row:\n{}", run.stdout));
    assert!(
        row.starts_with("\"x, \"\"quoted\"\"\",,RUS,JPN,-"),
        "RFC 4180 quoting and a negative score: {row}"
    );
}

#[test]
fn table_shows_the_matrix() {
    let dir = files(&[("condemn.txt", CONDEMN.as_bytes())]);
    let run = stance(&["score", "--format", "table", &arg(&dir, "condemn.txt")]);
    run.expect_code(0);
    assert!(run.stdout.contains("condemn"), "{}", run.stdout);
    let row = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("RUS"))
        .unwrap_or_default();
    assert!(
        row.contains("-0."),
        "RUS row has a negative cell: {}",
        run.stdout
    );
    assert!(
        !run.stdout.contains('\x1b'),
        "no colour when stdout is not a terminal"
    );
    let coloured = stance(&[
        "score",
        "--format",
        "table",
        "--color",
        "always",
        &arg(&dir, "condemn.txt"),
    ]);
    assert!(
        coloured.stdout.contains("\x1b[31m"),
        "--color always paints hawkish cells red"
    );
}

#[test]
fn output_file_and_directory_input() {
    let dir = files(&[
        ("one.txt", CONDEMN.as_bytes()),
        ("two.txt", PRAISE.as_bytes()),
    ]);
    let out = arg(&dir, "out.jsonl");
    let run = stance(&["score", "-o", &out, &dir.path().display().to_string()]);
    run.expect_code(0);
    assert_eq!(run.stdout, "", "-o writes nothing to stdout");
    let written = std::fs::read_to_string(&out).unwrap_or_default();
    let ids: Vec<String> = written
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        ids,
        ["one", "two"],
        "directory entries in sorted order:\n{written}"
    );
}

#[test]
fn many_documents_stream_in_order() {
    let mut jsonl = String::new();
    for idx in 0..600 {
        let sentence = if idx % 2 == 0 { CONDEMN } else { PRAISE };
        jsonl.push_str(&format!(
            "{{\"id\":\"d{idx:04}\",\"text\":\"{sentence}\"}}\n"
        ));
    }
    let dir = files(&[("many.jsonl", jsonl.as_bytes())]);
    let run = stance(&["score", &arg(&dir, "many.jsonl")]);
    run.expect_code(0);
    let docs = run.jsonl();
    assert_eq!(docs.len(), 600, "across three batches");
    for (idx, doc) in docs.iter().enumerate() {
        assert_eq!(doc["id"], format!("d{idx:04}"), "input order is kept");
    }
}

#[test]
fn jsonl_is_written_before_the_input_ends() {
    use std::io::{BufRead, Write};
    let mut child = match std::process::Command::new(assert_cmd::cargo::cargo_bin!("stance"))
        .args(["score", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(error) => panic!("cannot start stance: {error}"),
    };
    // One full batch (256 documents) and a few more, while stdin stays open.
    let mut stdin = child.stdin.take();
    if let Some(stdin) = stdin.as_mut() {
        for idx in 0..300 {
            let _ = writeln!(stdin, "{{\"id\":\"d{idx}\",\"text\":\"{CONDEMN}\"}}");
        }
        let _ = stdin.flush();
    }
    let (sender, receiver) = std::sync::mpsc::channel();
    let stdout = child.stdout.take();
    std::thread::spawn(move || {
        let mut first = String::new();
        if let Some(stdout) = stdout {
            let _ = std::io::BufReader::new(stdout).read_line(&mut first);
        }
        let _ = sender.send(first);
    });
    let first = receiver.recv_timeout(std::time::Duration::from_secs(30));
    drop(stdin);
    let _ = child.kill();
    let _ = child.wait();
    let first = first.unwrap_or_default();
    assert!(
        first.contains("\"id\":\"d0\""),
        "the first batch is written while stdin is still open, got {first:?}\nhelp: score must stream, not collect"
    );
}

#[test]
fn column_mapping_reads_another_field() {
    let jsonl = format!("{{\"id\":\"x\",\"body\":\"{CONDEMN}\",\"when\":\"2024-05-06\"}}\n");
    let dir = files(&[("renamed.jsonl", jsonl.as_bytes())]);
    let run = stance(&[
        "score",
        "--column",
        "text=body",
        "--column",
        "date=when",
        &arg(&dir, "renamed.jsonl"),
    ]);
    run.expect_code(0);
    let docs = run.jsonl();
    assert_eq!(docs[0]["date"], "2024-05-06");
    assert!(dyad_score(&docs[0], "RUS", "JPN") < 0.0, "{}", run.stdout);
}

#[test]
fn score_output_does_not_depend_on_threads() {
    let one = stance(&["score", "--threads", "1", "seeds"]);
    let two = stance(&["score", "--threads", "2", "seeds"]);
    one.expect_code(0);
    two.expect_code(0);
    assert_eq!(
        one.stdout, two.stdout,
        "help: scoring must be deterministic whatever the pool size"
    );
    let explain = stance(&[
        "explain",
        "--threads",
        "1",
        "--source",
        "RUS",
        "--target",
        "JPN",
        "seeds",
    ]);
    explain.expect_code(0);
}

/// A document whose report runs to megabytes is written in pieces by the output's thread
/// instead of whole on a worker: it must land in its place among the others, in both JSON
/// formats, with the same bytes whatever the thread count. Two of them, so that a separator
/// owed only to json elements would show between jsonl lines.
#[test]
fn a_large_document_keeps_its_place_and_bytes() {
    let seeds = seed_texts();
    let large = seeds.join("\n\n").repeat(14);
    let dir = files(&[
        ("a.txt", CONDEMN.as_bytes()),
        ("b.txt", large.as_bytes()),
        ("c.txt", PRAISE.as_bytes()),
        ("d.txt", large.as_bytes()),
    ]);
    let paths = [
        arg(&dir, "a.txt"),
        arg(&dir, "b.txt"),
        arg(&dir, "c.txt"),
        arg(&dir, "d.txt"),
    ];
    let run = |format: &str, threads: &str| {
        let mut args = vec!["score", "--format", format, "--threads", threads];
        args.extend(paths.iter().map(String::as_str));
        let run = stance(&args);
        run.expect_code(0);
        run
    };
    let lines = run("jsonl", "1");
    let large_line = lines.stdout.lines().nth(1).map_or(0, str::len);
    assert!(
        large_line > 1 << 20,
        "{large_line} bytes: not large enough to be streamed"
    );
    assert_eq!(lines.stdout, run("jsonl", "2").stdout);
    let docs = lines.jsonl();
    let ids: Vec<&str> = docs
        .iter()
        .map(|d| d["id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
    let report = run("json", "2");
    assert_eq!(report.stdout, run("json", "1").stdout);
    let report: serde_json::Value = serde_json::from_str(&report.stdout).expect("valid JSON");
    for (element, mut line) in report["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .zip(docs)
    {
        line.as_object_mut().expect("an object").remove("schema");
        assert!(
            *element == line,
            "the json element differs from the jsonl line"
        );
    }
}

/// A JSONL line of a megabyte or more is read into one buffer and its text unescaped there
/// (`ingest`'s long-line path): the document must score exactly as the same text read from
/// a plain file, escapes of every kind (`\n`, `\"`, `\u2019`, a surrogate pair) included.
#[test]
fn a_long_jsonl_line_scores_as_its_text_in_a_file() {
    let seeds = seed_texts();
    let text = format!("{} Tokyo \"welcomed\" the 🤝.", seeds.join("\n\n")).repeat(40);
    // serde_json writes non-ASCII as it is; write some of it as `\u` escapes instead.
    let literal = serde_json::to_string(&text)
        .expect("a string")
        .replace('’', "\\u2019")
        .replace('🤝', "\\ud83e\\udd1d");
    assert!(literal.contains("\\u2019") && literal.contains("\\ud83e\\udd1d"));
    let line = format!("{{\"id\": \"b\", \"text\": {literal}}}\n");
    assert!(
        line.len() > 1 << 20,
        "{} bytes: not a long line",
        line.len()
    );
    let dir = files(&[("b.txt", text.as_bytes()), ("b.jsonl", line.as_bytes())]);
    let score = |name: &str| {
        let run = stance(&["score", "--threads", "2", &arg(&dir, name)]);
        run.expect_code(0);
        run.stdout
    };
    let from_file = score("b.txt");
    assert!(from_file.contains("\"dyads\":[{"), "no dyads found");
    // Not `assert_eq!`: the two reports are megabytes each.
    assert!(
        score("b.jsonl") == from_file,
        "the long JSONL line scores differently from its text in a file"
    );
}

/// The texts of the seed articles, in file order.
fn seed_texts() -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(crate::root().join("seeds"))
        .expect("the seeds directory")
        .map(|entry| entry.expect("a seed").path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| std::fs::read_to_string(path).expect("a seed reads"))
        .collect()
}

//! Exit codes: rejected inputs (1) still write the good documents; configuration errors (2).

use std::io::{Read, Write};
use std::process::Stdio;

use crate::{arg, dyad_score, files, root, stance};

const GOOD: &str = "Moscow condemned Tokyo.";

#[test]
fn missing_file_is_rejected_and_the_rest_scored() {
    let dir = files(&[("good.txt", GOOD.as_bytes())]);
    let missing = arg(&dir, "missing.txt");
    let run = stance(&["score", &missing, &arg(&dir, "good.txt")]);
    run.expect_code(1);
    assert!(
        run.stderr.contains(&missing),
        "the problem names the path: {}",
        run.stderr
    );
    let docs = run.jsonl();
    assert_eq!(docs.len(), 1);
    assert!(dyad_score(&docs[0], "RUS", "JPN") < 0.0);
}

#[test]
fn malformed_jsonl_line_is_rejected_with_its_line() {
    let jsonl = format!(
        "{{\"id\":\"a\",\"text\":\"{GOOD}\"}}\n{{not json\n{{\"id\":\"c\",\"text\":\"{GOOD}\"}}\n"
    );
    let dir = files(&[("mixed.jsonl", jsonl.as_bytes())]);
    let path = arg(&dir, "mixed.jsonl");
    let run = stance(&["score", "--format", "json", &path]);
    run.expect_code(1);
    assert!(
        run.stderr.contains(&format!("{path}:2")),
        "stderr names path:line: {}",
        run.stderr
    );
    let report = run.json();
    let ids: Vec<&str> = report["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert_eq!(ids, ["a", "c"], "the good lines are scored");
    assert_eq!(report["errors"][0]["input"], format!("{path}:2"));
    crate::assert_schema_valid(&report);
}

#[test]
fn binary_file_given_by_name_is_rejected() {
    let dir = files(&[
        ("blob.bin", b"\x00\x01\x02binary\x00"),
        ("good.txt", GOOD.as_bytes()),
    ]);
    let run = stance(&["score", &arg(&dir, "blob.bin"), &arg(&dir, "good.txt")]);
    run.expect_code(1);
    assert!(run.stderr.contains("blob.bin"), "{}", run.stderr);
    assert_eq!(run.jsonl().len(), 1, "the text file is still scored");
}

#[test]
fn bad_actors_file_is_a_configuration_error() {
    let dir = files(&[
        (
            "actors.toml",
            b"[[actor]]\ncode = \"rus\"\nname = \"Bad\"\n",
        ),
        ("good.txt", GOOD.as_bytes()),
    ]);
    let run = stance(&[
        "score",
        "--actors",
        &arg(&dir, "actors.toml"),
        &arg(&dir, "good.txt"),
    ]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("actors.toml:2"),
        "file and line: {}",
        run.stderr
    );
    assert_eq!(run.stdout, "", "nothing is scored with a bad configuration");
}

#[test]
fn bad_lexicon_file_is_a_configuration_error() {
    let dir = files(&[(
        "lexicon.toml",
        b"[[cue]]\npattern = \"frown at\"\nstance = \"grumpy\"\nweight = 0.5\n",
    )]);
    let run = stance(&["score", "--lexicon", &arg(&dir, "lexicon.toml"), "-"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("lexicon.toml:3"),
        "file and line: {}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["score", "--format", "xml"][..],
        &["score", "--no-such-flag"],
        &["explain", "seeds"],
        &["nonsense"],
        &["compare", "--threads", "0", "seeds"],
        &["score", "--column", "nonsense", "seeds"],
        &["actors", "--format", "table", "-o", "/nonexistent-dir/x"],
    ] {
        let run = stance(args);
        assert_eq!(run.code, 2, "stance {args:?}\nstderr: {}", run.stderr);
        assert!(!run.stderr.is_empty(), "stance {args:?} says why");
    }
}

#[test]
fn help_documents_exit_codes() {
    for args in [
        &["--help"][..],
        &["score", "--help"],
        &["compare", "--help"],
    ] {
        let run = stance(args);
        run.expect_code(0);
        assert!(
            run.stdout.contains("Exit codes:") && run.stdout.contains("rejected"),
            "{}",
            run.stdout
        );
    }
}

#[test]
fn broken_pipe_exits_quietly() {
    // Enough output that the pipe fills after the reader hangs up.
    let mut jsonl = String::new();
    for idx in 0..2_000 {
        jsonl.push_str(&format!(
            "{{\"id\":\"d{idx}\",\"text\":\"{GOOD} {GOOD} {GOOD}\"}}\n"
        ));
    }
    let dir = files(&[("many.jsonl", jsonl.as_bytes())]);
    let mut child = match std::process::Command::new(assert_cmd::cargo::cargo_bin!("stance"))
        .current_dir(root())
        .args(["score", &arg(&dir, "many.jsonl")])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(error) => panic!("cannot start stance: {error}"),
    };
    let mut first = [0u8; 16];
    if let Some(stdout) = child.stdout.as_mut() {
        let _ = stdout.read_exact(&mut first);
    }
    drop(child.stdout.take());
    let output = match child.wait_with_output() {
        Ok(output) => output,
        Err(error) => panic!("stance did not finish: {error}"),
    };
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "",
        "no error message on a closed pipe"
    );
    let _ = std::io::stdout().flush();
}

#[test]
fn broken_line_in_scored_jsonl_is_rejected_with_its_line() {
    let dir = files(&[("doc.txt", GOOD.as_bytes())]);
    let scored = stance(&["score", &arg(&dir, "doc.txt")]);
    scored.expect_code(0);
    let text = format!("{}{{\"schema\": \"stance/1\", \"id\": 3}}\n", scored.stdout);
    let dir = files(&[("scored.jsonl", text.as_bytes())]);
    let path = arg(&dir, "scored.jsonl");
    let run = stance(&["compare", &path]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains(&format!("{path}:2: not a stance/1 scored document")),
        "{}",
        run.stderr
    );
    let report = run.json();
    assert_eq!(
        report["documents"][0]["id"], "doc",
        "line 1 is still compared"
    );
    assert_eq!(report["errors"][0]["input"], format!("{path}:2"));
}

#[test]
fn no_paths_on_a_terminal_prints_help() {
    // `script` (bsdutils, essential on Debian) runs the binary on a pseudo-terminal.
    let binary = assert_cmd::cargo::cargo_bin!("stance")
        .display()
        .to_string();
    for command in ["score", "compare", "explain --source RUS --target JPN"] {
        let output = std::process::Command::new("script")
            .args(["-qec", &format!("{binary} {command}"), "/dev/null"])
            .stdin(Stdio::null())
            .output();
        let output = match output {
            Ok(output) => output,
            Err(error) => panic!("cannot run script(1): {error}\nhelp: install bsdutils"),
        };
        let text = String::from_utf8_lossy(&output.stdout);
        let verb = command.split(' ').next().unwrap_or_default();
        assert!(
            text.contains(&format!("Usage: stance {verb}")),
            "help for {command}: {text}"
        );
        assert_eq!(
            output.status.code(),
            Some(2),
            "help instead of work is a usage error: {text}"
        );
    }
}

#[test]
fn binary_file_found_in_a_directory_is_only_a_warning() {
    let dir = files(&[
        ("blob.bin", b"\x00\x01\x02binary\x00"),
        ("good.txt", GOOD.as_bytes()),
    ]);
    let run = stance(&["score", &dir.path().display().to_string()]);
    run.expect_code(0);
    assert!(
        run.stderr.contains("warning:") && run.stderr.contains("blob.bin"),
        "{}",
        run.stderr
    );
    assert_eq!(run.jsonl().len(), 1, "the text file is scored");
}

#[test]
fn what_reading_a_document_warned_about_reaches_stderr_with_its_line() {
    let mut csv = b"id,date,text\r\n1,someday,".to_vec();
    csv.extend_from_slice(GOOD.as_bytes());
    csv.extend_from_slice(b"\r\n2,,\r\n\r\n3,2017-02-01,Caf\xe9 ");
    csv.extend_from_slice(GOOD.as_bytes());
    csv.extend_from_slice(b"\r\n");
    let dir = files(&[("rows.csv", &csv)]);
    let path = arg(&dir, "rows.csv");
    for command in ["score", "compare"] {
        let run = stance(&[command, &path]);
        run.expect_code(0);
        let warnings: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("stance: warning: "))
            .collect();
        assert_eq!(
            warnings,
            [
                format!("stance: warning: {path}:2: unrecognised date `someday` kept in metadata"),
                format!("stance: warning: {path}:3: empty document"),
                format!(
                    "stance: warning: {path}:5: not valid UTF-8; invalid bytes replaced with U+FFFD"
                ),
            ],
            "`{command}`, in input order, each with the line its row starts on"
        );
    }
    let docs = stance(&["score", &path]).jsonl();
    assert_eq!(docs.len(), 3, "warnings reject nothing");
}

//! `stance score --format partials` and `stance merge`: sharded totals finalize to the same
//! corpus parts as `stance compare`, and a bad line is reported without stopping the rest.

use crate::{Run, arg, files, stance, stance_with_stdin};

/// The parts of `stance compare --format json` that `stance merge --finalize` prints.
const PARTS: [&str; 4] = ["contested", "corpus", "profiles", "timeline"];

fn pretty(value: &serde_json::Value) -> String {
    match serde_json::to_string_pretty(value) {
        Ok(text) => text,
        Err(error) => panic!("cannot print JSON: {error}"),
    }
}

/// Asserts that `merged` (from `stance merge --finalize`) has exactly `expected`'s parts.
fn check_parts(merged: &Run, expected: &serde_json::Value) {
    let merged = merged.json();
    for part in PARTS {
        let (actual, wanted) = (pretty(&merged[part]), pretty(&expected[part]));
        assert!(
            actual == wanted,
            "part {part} differs\nmerged:\n```\n{actual}\n```\ncompare:\n```\n{wanted}\n```\nhelp: merge --finalize must print compare's parts byte for byte"
        );
    }
}

#[test]
fn seeds_sharded_and_merged_equal_compare() {
    let compare = stance(&["compare", "-q", "--format", "json", "seeds"]);
    compare.expect_code(0);
    let expected = compare.json();
    let score = stance(&["score", "-q", "--format", "partials", "seeds"]);
    score.expect_code(0);
    let lines: Vec<&str> = score.stdout.lines().collect();
    assert_eq!(lines.len(), 5, "one partials line per seed document");
    // Shard the lines (reversed, so the order differs from the input), merge one shard into a
    // merged partials line, then merge that with the other shard and finalize.
    let first: String = lines
        .iter()
        .rev()
        .step_by(2)
        .map(|l| format!("{l}\n"))
        .collect();
    let second: String = lines
        .iter()
        .rev()
        .skip(1)
        .step_by(2)
        .map(|l| format!("{l}\n"))
        .collect();
    let merged_first = stance_with_stdin(&["merge", "-"], &first);
    merged_first.expect_code(0);
    assert_eq!(merged_first.stdout.lines().count(), 1);
    let dir = files(&[
        ("a.jsonl", merged_first.stdout.as_bytes()),
        ("b.jsonl", second.as_bytes()),
    ]);
    let finalized = stance(&[
        "merge",
        "--finalize",
        &arg(&dir, "b.jsonl"),
        &arg(&dir, "a.jsonl"),
    ]);
    finalized.expect_code(0);
    check_parts(&finalized, &expected);
    assert_eq!(finalized.json()["documents"], 5);
}

#[test]
fn group_by_adds_group_keys_beside_the_corpus() {
    let jsonl = "{\"id\":\"a\",\"outlet\":\"North\",\"text\":\"Moscow criticized Tokyo.\"}\n";
    let run = stance_with_stdin(
        &["score", "--format", "partials", "--group-by", "outlet", "-"],
        jsonl,
    );
    run.expect_code(0);
    let lines = run.jsonl();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["schema"], "stance/1-partials");
    assert_eq!(lines[0]["doc"], "a");
    let groups: Vec<&serde_json::Value> = lines[0]["groups"]
        .as_array()
        .map(|groups| groups.iter().map(|g| &g["group"]).collect())
        .unwrap_or_default();
    assert_eq!(
        groups,
        [&serde_json::Value::Null, &serde_json::json!("North")]
    );
}

#[test]
fn malformed_lines_are_reported_and_the_rest_merged() {
    let score = stance(&["score", "-q", "--format", "partials", "seeds"]);
    score.expect_code(0);
    let lines: Vec<&str> = score.stdout.lines().collect();
    let good: String = lines.iter().map(|l| format!("{l}\n")).collect();
    let bad_schema = lines[1].replace("stance/1-partials", "stance/0-partials");
    let input = format!(
        "{}\n{{\"doc\":\"broken\", \"keys\": [\n{}\n{}",
        lines[0],
        bad_schema,
        lines[2..]
            .iter()
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    );
    let run = stance_with_stdin(&["merge", "--finalize", "-"], &input);
    run.expect_code(1);
    assert!(run.stderr.contains("-:2"), "stderr: {}", run.stderr);
    assert!(run.stderr.contains("-:3"), "stderr: {}", run.stderr);
    assert!(
        run.stderr.contains("001_a20b4882fe9274f4"),
        "stderr: {}",
        run.stderr
    );
    // The merge of every line but the bad one.
    let without: String = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let expected = stance_with_stdin(&["merge", "--finalize", "-"], &without);
    expected.expect_code(0);
    assert_eq!(run.stdout, expected.stdout);
    assert_eq!(run.json()["documents"], 4);
    let all = stance_with_stdin(&["merge", "--finalize", "-"], &good);
    assert_eq!(all.json()["documents"], 5);
}

#[test]
fn score_reports_a_bad_input_line_and_writes_the_others() {
    let jsonl = "{\"id\":\"a\",\"text\":\"Moscow criticized Tokyo.\"}\nnot json\n{\"id\":\"b\",\"text\":\"Tokyo praised Moscow.\"}\n";
    let run = stance_with_stdin(&["score", "--format", "partials", "-"], jsonl);
    run.expect_code(1);
    assert!(run.stderr.contains("-:2"), "stderr: {}", run.stderr);
    let docs: Vec<serde_json::Value> = run.jsonl().iter().map(|l| l["doc"].clone()).collect();
    assert_eq!(docs, [serde_json::json!("a"), serde_json::json!("b")]);
}

#[test]
fn inline_errors_travel_through_merge_to_the_end_of_the_run() {
    let jsonl = concat!(
        "{\"id\":\"a\",\"text\":\"Moscow criticized Tokyo.\"}\n",
        "{\"id\":\"bad-1\",\"text\":42}\n",
        "{\"id\":\"b\",\"text\":\"Tokyo praised Moscow.\"}\n",
        "{\"id\":\"cut-2\",\"text\":\"Tokyo warned\n",
    );
    let good = concat!(
        "{\"id\":\"a\",\"text\":\"Moscow criticized Tokyo.\"}\n",
        "{\"id\":\"b\",\"text\":\"Tokyo praised Moscow.\"}\n",
    );
    // As a pipe filter the run succeeds, and the rejected lines become one `errors` line.
    let score = stance_with_stdin(
        &[
            "score",
            "-q",
            "--format",
            "partials",
            "--inline-errors",
            "-",
        ],
        jsonl,
    );
    score.expect_code(0);
    assert!(
        score.stderr.contains("document \"bad-1\""),
        "{}",
        score.stderr
    );
    let lines = score.jsonl();
    assert_eq!(lines.len(), 3, "two documents and one errors line");
    let inputs: Vec<&str> = lines[2]["errors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["input"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(inputs, ["-:2", "-:4"]);
    assert_eq!(lines[2]["keys"], serde_json::json!([]));

    // Merging carries the errors; finalizing reports them, exits 1, and counts the rest.
    let merged = stance_with_stdin(&["merge", "-"], &score.stdout);
    merged.expect_code(1);
    assert_eq!(merged.jsonl()[0]["errors"], lines[2]["errors"]);
    let finalized = stance_with_stdin(&["merge", "--finalize", "-"], &merged.stdout);
    finalized.expect_code(1);
    assert!(
        finalized
            .stderr
            .contains("-:4: document \"cut-2\": malformed JSON"),
        "stderr: {}",
        finalized.stderr
    );
    let report = finalized.json();
    assert_eq!(report["errors"], lines[2]["errors"]);
    assert_eq!(report["documents"], 2);
    let compare = stance_with_stdin(&["compare", "-q", "--format", "json", "-"], good);
    compare.expect_code(0);
    check_parts(&finalized, &compare.json());

    // Without --format partials the flag is a usage error.
    stance_with_stdin(&["score", "--inline-errors", "-"], good).expect_code(2);
}

#[test]
fn grouped_partials_finalize_to_compare_groups_with_their_similarity() {
    // Four documents from three outlets, one without an outlet: every group part must come
    // out of sharded partials exactly as `stance compare --group-by outlet` prints it.
    let jsonl = concat!(
        "{\"id\":\"a\",\"outlet\":\"North\",\"text\":\"Moscow criticized Tokyo. Tokyo protested to Moscow.\"}\n",
        "{\"id\":\"b\",\"outlet\":\"North\",\"text\":\"Moscow praised Tokyo. Beijing welcomed Moscow.\"}\n",
        "{\"id\":\"c\",\"outlet\":\"South\",\"text\":\"Moscow criticized Tokyo. Beijing threatened Tokyo.\"}\n",
        "{\"id\":\"d\",\"text\":\"Tokyo praised Moscow. Moscow praised Tokyo.\"}\n",
    );
    let compare = stance_with_stdin(
        &[
            "compare",
            "-q",
            "--format",
            "json",
            "--group-by",
            "outlet",
            "-",
        ],
        jsonl,
    );
    compare.expect_code(0);
    let expected = compare.json();
    let score = stance_with_stdin(
        &[
            "score",
            "-q",
            "--format",
            "partials",
            "--group-by",
            "outlet",
            "-",
        ],
        jsonl,
    );
    score.expect_code(0);
    let lines: Vec<&str> = score.stdout.lines().collect();
    assert_eq!(lines.len(), 4);
    let shard =
        |picks: &[usize]| -> String { picks.iter().map(|&i| format!("{}\n", lines[i])).collect() };
    let first = stance_with_stdin(&["merge", "-"], &shard(&[3, 0]));
    first.expect_code(0);
    assert_eq!(first.jsonl()[0]["group_by"], "outlet");
    let input = format!("{}{}", shard(&[2, 1]), first.stdout);
    let finalized = stance_with_stdin(&["merge", "--finalize", "-"], &input);
    finalized.expect_code(0);
    check_parts(&finalized, &expected);
    let (merged, wanted) = (finalized.json(), expected);
    assert_eq!(
        pretty(&merged["groups"]),
        pretty(&wanted["groups"]),
        "help: groups, with their members, contested dyads and similarity, must match compare"
    );
    assert_eq!(wanted["groups"]["groups"].as_array().map(Vec::len), Some(3));

    // A line grouped by another field cannot be added to these.
    let other = stance_with_stdin(
        &[
            "score",
            "-q",
            "--format",
            "partials",
            "--group-by",
            "id",
            "-",
        ],
        "{\"id\":\"e\",\"text\":\"Moscow praised Tokyo.\"}\n",
    );
    let mixed = format!("{}{}", score.stdout, other.stdout);
    let run = stance_with_stdin(&["merge", "--finalize", "-"], &mixed);
    run.expect_code(1);
    assert!(
        run.stderr.contains("-:5") && run.stderr.contains("grouped by \"id\""),
        "stderr: {}",
        run.stderr
    );
    assert_eq!(pretty(&run.json()["groups"]), pretty(&wanted["groups"]));
}

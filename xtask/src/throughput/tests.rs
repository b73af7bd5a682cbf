//! Tests for the benchmark corpus and the median.

use std::process::Command;

use super::{Input, Timed, median, repeated_corpus, run_copies, table};

#[test]
fn the_corpus_repeats_each_seed_with_numbered_ids() {
    let seeds = vec![
        (
            "a".to_string(),
            "Line one\n\"quoted\" and \\ and ’".to_string(),
        ),
        ("b".to_string(), String::new()),
    ];
    let corpus = repeated_corpus(&seeds, 3);
    let lines: Vec<&str> = corpus.lines().collect();
    assert_eq!(lines.len(), 6);
    let ids: Vec<String> = lines
        .iter()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            value["id"].as_str().expect("an id").to_string()
        })
        .collect();
    assert_eq!(ids, ["a-1", "b-1", "a-2", "b-2", "a-3", "b-3"]);
    assert_eq!(
        lines[0],
        r#"{"id":"a-1","text":"Line one\n\"quoted\" and \\ and ’"}"#
    );
    assert_eq!(lines[5], r#"{"id":"b-3","text":""}"#);
}

#[test]
fn median_of_odd_and_even_counts() {
    assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
    assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
    assert_eq!(median(&[0.5]), 0.5);
    assert!(median(&[]).is_nan());
}

fn timed(label: &str, copies: usize, seconds: &[f64]) -> Timed {
    Timed {
        label: label.to_string(),
        command: Command::new("true"),
        copies,
        seconds: seconds.to_vec(),
    }
}

#[test]
fn the_table_reads_the_pair_of_runs_as_the_ceiling_for_two_threads() {
    let input = Input {
        name: "x.jsonl".to_string(),
        bytes: 10_000_000,
        runs: vec![
            timed("stance score --threads 1", 1, &[1.0, 1.2, 0.9]),
            timed("stance score --threads 2", 1, &[0.5, 0.6, 0.55]),
            timed("2 × --threads 1 at once", 2, &[1.25, 1.3, 1.2]),
            timed("wc -w", 1, &[0.25, 0.25, 0.25]),
        ],
    };
    let report = table(&[input], 3);
    let lines: Vec<&str> = report.lines().collect();
    // Medians 1.0, 0.55, 1.25 and 0.25 s.
    assert!(lines[4].ends_with(" 10.0         4.0×"), "{report}");
    // The pair's rate is both copies' bytes; it has no ratio to `wc -w`.
    let pair = lines[6];
    assert!(pair.starts_with("  2 × --threads 1 at once"), "{report}");
    assert!(pair.ends_with(" 16.0            -"), "{report}");
    assert_eq!(
        lines[8],
        "  two threads: 1.82× one thread; two one-thread runs at once: 1.60×"
    );
}

#[test]
fn copies_run_at_once_and_a_failing_copy_is_an_error() {
    // Two one-second sleeps at once take about one second, not two.
    let mut sleep = Command::new("sleep");
    sleep.arg("1");
    let seconds = run_copies(&mut sleep, 2).expect("sleep runs");
    assert!((0.9..1.9).contains(&seconds), "{seconds}");
    // A copy that fills its stderr pipe is drained while the other is waited for: two copies
    // writing 1 MB each to stderr, then sleeping a second, still take about a second.
    let mut noisy = Command::new("sh");
    noisy
        .args(["-c", "head -c 1000000 /dev/zero >&2; sleep 1"])
        .stderr(std::process::Stdio::piped());
    let seconds = run_copies(&mut noisy, 2).expect("sh runs");
    assert!((0.9..1.9).contains(&seconds), "{seconds}");
    let mut fail = Command::new("false");
    let error = run_copies(&mut fail, 2).expect_err("false fails");
    assert!(error.to_string().contains("false"), "{error}");
}

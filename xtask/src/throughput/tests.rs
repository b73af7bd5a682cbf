//! Tests for the benchmark corpus and the median.

use super::{median, repeated_corpus};

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

//! `stance compare`: corpus matrix, contested dyads, similarity, groups, timeline, formats.
//!
//! These tests bring their own small lexicon so that the facts they check (which side each
//! document takes) do not move while the built-in lexicon is tuned.

use crate::{arg, assert_schema_valid, assert_sorted_keys, files, stance};

const LEXICON: &str = "\
[[cue]]
pattern = \"denounc*\"
stance = \"hawkish\"
weight = 0.8

[[cue]]
pattern = \"applaud*\"
stance = \"conciliatory\"
weight = 0.8
";

fn corpus() -> tempfile::TempDir {
    let jsonl = "\
{\"id\":\"a\",\"date\":\"2024-01-05\",\"outlet\":\"North\",\"text\":\"Moscow denounced Tokyo.\"}
{\"id\":\"b\",\"date\":\"2024-02-10\",\"outlet\":\"South\",\"text\":\"Moscow applauded Tokyo. Russia applauded Japan again.\"}
{\"id\":\"c\",\"date\":\"2024-02-20\",\"outlet\":\"North\",\"text\":\"Moscow denounced Tokyo once more.\"}
";
    files(&[
        ("lexicon.toml", LEXICON.as_bytes()),
        ("docs.jsonl", jsonl.as_bytes()),
    ])
}

fn compare(dir: &tempfile::TempDir, extra: &[&str]) -> crate::Run {
    let lexicon = arg(dir, "lexicon.toml");
    let docs = arg(dir, "docs.jsonl");
    let mut args = vec!["compare", "--lexicon", &lexicon];
    args.extend_from_slice(extra);
    args.push(&docs);
    stance(&args)
}

fn ids(value: &serde_json::Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["doc"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn contested_dyad_names_both_sides() {
    let dir = corpus();
    let run = compare(&dir, &[]);
    run.expect_code(0);
    assert_sorted_keys(&run.stdout);
    let report = run.json();
    assert_schema_valid(&report);
    let contested = &report["contested"][0];
    assert_eq!(
        (&contested["source"], &contested["target"]),
        (&"RUS".into(), &"JPN".into()),
        "{report:#}"
    );
    assert_eq!(ids(&contested["hawkish_docs"]), ["a", "c"]);
    assert_eq!(ids(&contested["conciliatory_docs"]), ["b"]);
    assert_eq!(
        contested["hawkish_docs"][0]["evidence"]["text"],
        "Moscow denounced Tokyo."
    );
    assert!(report["corpus"]["matrix"]["RUS"]["JPN"].is_number());
    let dyad = &report["corpus"]["dyads"][0];
    assert_eq!(dyad["documents"], 3);
    assert_eq!(dyad["min"]["doc"], "a", "ties go to the smallest id");
    assert_eq!(dyad["max"]["doc"], "b");
    assert_eq!(report["actors"], serde_json::json!(["JPN", "RUS"]));
}

#[test]
fn similarity_is_full_for_small_corpora() {
    let dir = corpus();
    let report = compare(&dir, &[]).json();
    let similarity = &report["similarity"];
    assert_eq!(similarity["mode"], "full");
    assert_eq!(similarity["documents"], serde_json::json!(["a", "b", "c"]));
    let at = |i: usize, j: usize| similarity["matrix"][i][j].as_f64().unwrap_or(f64::NAN);
    for i in 0..3 {
        assert_eq!(at(i, i), 1.0, "diagonal");
        for j in 0..3 {
            assert_eq!(at(i, j), at(j, i), "symmetric");
        }
    }
    assert!(
        at(0, 2) > at(0, 1),
        "the two hawkish documents are closer: {similarity:#}"
    );
}

#[test]
fn timeline_and_groups() {
    let dir = corpus();
    let run = compare(&dir, &["--group-by", "outlet"]);
    run.expect_code(0);
    let report = run.json();
    assert_schema_valid(&report);
    let timeline = &report["timeline"][0];
    let points: Vec<&str> = timeline["points"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["date"].as_str())
        .collect();
    assert_eq!(points, ["2024-01-05", "2024-02-10", "2024-02-20"]);
    let months: Vec<&str> = timeline["months"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m["month"].as_str())
        .collect();
    assert_eq!(months, ["2024-01", "2024-02"]);
    assert_eq!(report["groups"]["field"], "outlet");
    let names: Vec<&str> = report["groups"]["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|g| g["name"].as_str())
        .collect();
    assert_eq!(names, ["North", "South"]);
    assert_eq!(
        report["groups"]["groups"][0]["documents"],
        serde_json::json!(["a", "c"])
    );
    let ungrouped = compare(&dir, &[]).json();
    assert_eq!(ungrouped["groups"], serde_json::Value::Null);
}

#[test]
fn scored_jsonl_compares_like_the_raw_corpus() {
    let dir = corpus();
    let scored = arg(&dir, "scored.jsonl");
    let lexicon = arg(&dir, "lexicon.toml");
    stance(&[
        "score",
        "--lexicon",
        &lexicon,
        "-o",
        &scored,
        &arg(&dir, "docs.jsonl"),
    ])
    .expect_code(0);
    let from_raw = compare(&dir, &[]);
    let from_scored = stance(&["compare", &scored]);
    from_scored.expect_code(0);
    assert_eq!(
        from_scored.stdout, from_raw.stdout,
        "help: JSONL must round-trip scored documents exactly"
    );
}

#[test]
fn compare_formats() {
    let dir = corpus();
    let table = compare(&dir, &["--format", "table"]);
    table.expect_code(0);
    for heading in [
        "Corpus (3 documents)",
        "Contested dyads",
        "Nearest neighbours",
        "Timeline",
    ] {
        assert!(
            table.stdout.contains(heading),
            "table has {heading:?}:\n{}",
            table.stdout
        );
    }
    assert!(
        table.stdout.contains("  a  ~  c  "),
        "a's nearest neighbour is c:\n{}",
        table.stdout
    );
    let csv = compare(&dir, &["--format", "csv"]);
    csv.expect_code(0);
    assert_eq!(
        csv.stdout
            .split("\r\n")
            .filter(|l| l.contains(",RUS,JPN,"))
            .count(),
        3,
        "{}",
        csv.stdout
    );
    let jsonl = compare(&dir, &["--format", "jsonl"]);
    jsonl.expect_code(0);
    assert_eq!(jsonl.jsonl().len(), 1, "one report on one line");
    assert_eq!(jsonl.jsonl()[0], compare(&dir, &[]).json());
}

#[test]
fn similarity_mode_can_be_forced_either_way() {
    let seeds = "seeds";
    let auto = stance(&["compare", "--quiet", seeds]);
    auto.expect_code(0);
    let auto = auto.json();
    assert_eq!(
        auto["similarity"]["mode"], "full",
        "five documents: full by default"
    );
    let full = stance(&["compare", "--quiet", "--similarity", "full", seeds]);
    full.expect_code(0);
    assert_eq!(
        full.json(),
        auto,
        "forcing the default mode changes nothing"
    );
    let top = stance(&[
        "compare",
        "--quiet",
        "--similarity",
        "top-k",
        "--top-k",
        "2",
        seeds,
    ]);
    top.expect_code(0);
    let top = top.json();
    assert_schema_valid(&top);
    let similarity = &top["similarity"];
    assert_eq!(similarity["mode"], "top_k");
    assert_eq!(similarity["documents"], auto["similarity"]["documents"]);
    // Each document's neighbours are the two largest off-diagonal values of its matrix row.
    for (i, neighbours) in similarity["neighbours"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let row = auto["similarity"]["matrix"][i]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut others: Vec<f64> = row
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .filter_map(|(_, value)| value.as_f64())
            .collect();
        others.sort_by(|a, b| b.total_cmp(a));
        let scores: Vec<f64> = neighbours
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|n| n["score"].as_f64())
            .collect();
        assert!(scores.len() <= 2, "at most k: {scores:?}");
        assert_eq!(scores, others[..scores.len()], "row {i}");
    }
    let bad = stance(&["compare", "--similarity", "some", seeds]);
    bad.expect_code(2);
}

#[test]
fn large_corpora_keep_top_k_neighbours() {
    let mut jsonl = String::new();
    for idx in 0..2_001 {
        let text = if idx % 2 == 0 {
            "Moscow denounced Tokyo."
        } else {
            "Moscow applauded Tokyo."
        };
        jsonl.push_str(&format!("{{\"id\":\"d{idx:05}\",\"text\":\"{text}\"}}\n"));
    }
    let dir = files(&[
        ("lexicon.toml", LEXICON.as_bytes()),
        ("docs.jsonl", jsonl.as_bytes()),
    ]);
    let run = compare(&dir, &["--top-k", "3", "--quiet"]);
    run.expect_code(0);
    let report = run.json();
    assert_schema_valid(&report);
    let similarity = &report["similarity"];
    assert_eq!(
        (similarity["mode"].as_str(), similarity["k"].as_u64()),
        (Some("top_k"), Some(3))
    );
    let first = similarity["neighbours"][0].as_array().map_or(0, Vec::len);
    assert!((1..=3).contains(&first), "at most k neighbours: {first}");
}

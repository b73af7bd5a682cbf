//! `stance eval`: the accuracy floor over the project's own gold set, and eval's own behaviour.

use crate::{arg, files, root, stance};

/// Signed F1 on eval/gold.jsonl must not fall below the floor recorded in eval/floor.json.
#[test]
fn own_gold_set_stays_above_its_floor() {
    let floors: serde_json::Value = {
        let text =
            std::fs::read_to_string(root().join("eval/floor.json")).expect("eval/floor.json");
        serde_json::from_str(&text).expect("eval/floor.json is JSON")
    };
    let floor = floors["floors"]["eval/gold.jsonl"]
        .as_f64()
        .expect("a floor for eval/gold.jsonl");
    let run = stance(&["eval", "eval/gold.jsonl", "--json"]);
    run.expect_code(0);
    let report = run.json();
    let f1 = report["files"][0]["measures"]["f1"].as_f64().expect("f1");
    assert!(
        f1 >= floor,
        "signed F1 on eval/gold.jsonl is {f1:.4}, below the floor {floor:.4}\n\
         help: run `cargo xtask eval` and read the misses; a change that costs accuracy needs a reason"
    );
}

#[test]
fn counts_measures_and_misses_on_a_small_gold_file() {
    let gold = concat!(
        r#"{"id": "a", "text": "Moscow condemned Tokyo.", "phenomenon": "svo", "events": [{"source": "RUS", "target": "JPN", "polarity": -1}]}"#,
        "\n",
        r#"{"id": "b", "text": "Seoul praised Beijing.", "phenomenon": "svo", "events": [{"source": "KOR", "target": "CHN", "polarity": -1}]}"#,
        "\n",
        r#"{"id": "c", "text": "It rained in Paris.", "phenomenon": "none", "events": []}"#,
        "\n",
    );
    let dir = files(&[("gold.jsonl", gold.as_bytes())]);
    let run = stance(&["eval", &arg(&dir, "gold.jsonl"), "--json"]);
    run.expect_code(0);
    let report = run.json();
    let file = &report["files"][0];
    assert_eq!(file["sentences"], 3);
    assert_eq!(file["counts"]["events"], 2);
    assert_eq!(
        file["counts"]["signed_found"], 1,
        "RUS>JPN found with the right sign"
    );
    assert_eq!(file["counts"]["predicted"], 2);
    assert_eq!(file["measures"]["signed_recall"], 0.5);
    assert_eq!(file["measures"]["precision"], 0.5);
    let kinds: Vec<&str> = file["misses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["wrong sign"],
        "KOR>CHN was praise, gold says hawkish"
    );
}

#[test]
fn malformed_gold_line_is_reported_and_the_rest_evaluated() {
    let gold = concat!(
        r#"{"id": "a", "text": "Moscow condemned Tokyo.", "events": [{"source": "RUS", "target": "JPN", "polarity": -1}]}"#,
        "\n",
        "{not json\n",
    );
    let dir = files(&[("gold.jsonl", gold.as_bytes())]);
    let run = stance(&["eval", &arg(&dir, "gold.jsonl")]);
    run.expect_code(1);
    assert!(
        run.stdout.contains("1 sentences, 1 gold events"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("gold.jsonl:2:"),
        "the bad line is named: {}",
        run.stdout
    );
}

#[test]
fn missing_gold_file_is_exit_one() {
    let run = stance(&["eval", "no/such/gold.jsonl"]);
    run.expect_code(1);
    assert!(run.stderr.contains("no/such/gold.jsonl"), "{}", run.stderr);
}

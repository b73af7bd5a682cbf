//! `stance actors`: list and search, with user files merged in.

use crate::{arg, files, stance};

const EXTRA: &str = "[[actor]]\ncode = \"ATL\"\nname = \"Atlantis\"\naliases = [\"Atlantis\", \"the Atlantean council\"]\n";

#[test]
fn search_finds_an_actor_by_alias() {
    let run = stance(&["actors", "kremlin"]);
    run.expect_code(0);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("RUS") && l.contains("Russia")),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.lines().any(|l| l.starts_with("JPN")),
        "only matches are listed"
    );
}

#[test]
fn user_actors_are_listed() {
    let dir = files(&[("extra.toml", EXTRA.as_bytes())]);
    let run = stance(&["actors", "--actors", &arg(&dir, "extra.toml"), "atlant"]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("ATL") && run.stdout.contains("the Atlantean council"),
        "{}",
        run.stdout
    );
}

#[test]
fn no_default_actors_leaves_only_user_files() {
    let dir = files(&[("extra.toml", EXTRA.as_bytes())]);
    let run = stance(&[
        "actors",
        "--no-default-actors",
        "--actors",
        &arg(&dir, "extra.toml"),
        "--format",
        "json",
    ]);
    run.expect_code(0);
    let report = run.json();
    crate::assert_schema_valid(&report);
    assert_eq!(
        report["actors"],
        serde_json::json!([{"aliases": ["Atlantis", "the Atlantean council"], "code": "ATL", "name": "Atlantis"}])
    );
}

#[test]
fn actors_csv_and_jsonl() {
    let run = stance(&["actors", "--format", "csv", "JPN"]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("code,name,aliases\r\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("\r\nJPN,Japan,Japan; "),
        "{}",
        run.stdout
    );
    let run = stance(&["actors", "--format", "jsonl", "JPN"]);
    run.expect_code(0);
    assert!(run.jsonl().iter().any(|a| a["code"] == "JPN"));
}

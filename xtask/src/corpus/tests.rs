//! Tests for the corpus generator's line parser and PRNG.

use super::*;

const LEXICON: &str = r#"
# A comment line.
[[cue]]
pattern = "thaw relations"   # trailing comment
stance = "conciliatory"
weight = 0.8

[[cue]]
pattern = "condemn*"
stance = "hawkish"
weight = 0.6

[[cue]]
pattern = "odd \"quoted\" # not a comment"
stance = "hawkish"
weight = 0.1

[[cue]]
pattern = "no stance here"
weight = 0.5
"#;

const ACTORS: &str = r#"
[[actor]]
code = "RUS"
name = "Russia"
aliases = ["Russia", "Moscow", "the Kremlin"]

[[actor]]
code = "JPN"
name = "Japan"
aliases = [
    "Japan",   # the state
    "Tokyo",
]

[[actor]]
code = "XXX"
name = "No aliases"
"#;

#[test]
fn parses_cues() {
    let cues = parse_cues(LEXICON);
    let got: Vec<(&str, bool)> = cues
        .iter()
        .map(|c| (c.pattern.as_str(), c.hawkish))
        .collect();
    assert_eq!(
        got,
        [
            ("thaw relations", false),
            ("condemn*", true),
            ("odd \"quoted\" # not a comment", true)
        ],
        "help: a cue without a stance is skipped; `#` inside a string is not a comment"
    );
}

#[test]
fn parses_actors_with_multiline_aliases() {
    let actors = parse_actors(ACTORS);
    assert_eq!(
        actors,
        [
            Actor {
                code: "RUS".into(),
                aliases: vec!["Russia".into(), "Moscow".into(), "the Kremlin".into()]
            },
            Actor {
                code: "JPN".into(),
                aliases: vec!["Japan".into(), "Tokyo".into()]
            },
        ]
    );
}

#[test]
fn surface_fills_stem_wildcards() {
    for (pattern, expected) in [
        ("condemn*", "condemns"),
        ("thaw relations", "thaw relations"),
        ("threat* to", "threats to"),
    ] {
        assert_eq!(surface(pattern), expected, "pattern {pattern:?}");
    }
}

#[test]
fn splitmix_matches_reference_values() {
    // Reference outputs of SplitMix64 seeded with 0 (Vigna's splitmix64.c).
    let mut rng = SplitMix64::new(0);
    assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
    assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
}

fn generate(n_docs: usize, seed: u64) -> String {
    let mut out = Vec::new();
    write(
        &mut out,
        n_docs,
        seed,
        &parse_cues(LEXICON),
        &parse_actors(ACTORS),
    )
    .expect("writing to a Vec");
    String::from_utf8(out).expect("generator writes UTF-8")
}

#[test]
fn corpus_is_deterministic_and_valid_jsonl() {
    let first = generate(30, 7);
    assert_eq!(
        first,
        generate(30, 7),
        "help: the same seed must give the same bytes"
    );
    assert_ne!(first, generate(30, 8), "help: the seed must matter");
    let mut months = std::collections::BTreeSet::new();
    for (line_idx, line) in first.lines().enumerate() {
        let value: serde_json::Value = serde_json::from_str(line).expect("each line is JSON");
        assert_eq!(value["id"], format!("gen-{:06}", line_idx + 1));
        let date = value["date"].as_str().expect("date");
        months.insert(date[..7].to_string());
        let text = value["text"].as_str().expect("text");
        assert!(text.contains("\n\n"), "several paragraphs: {text}");
    }
    assert_eq!(first.lines().count(), 30);
    assert_eq!(
        months.len(),
        12,
        "dates spread over every month: {months:?}"
    );
}

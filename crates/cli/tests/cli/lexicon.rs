//! `stance lexicon`: list cues and check a user lexicon with line-numbered errors.

use crate::{arg, files, stance};

#[test]
fn lists_and_filters_cues() {
    let run = stance(&["lexicon", "condemn"]);
    run.expect_code(0);
    assert!(
        run.stdout
            .lines()
            .any(|l| l.starts_with("condemn") && l.contains("hawkish")),
        "{}",
        run.stdout
    );
    let run = stance(&["lexicon", "--format", "json"]);
    run.expect_code(0);
    let report = run.json();
    crate::assert_schema_valid(&report);
    let cues = report["cues"].as_array().map_or(0, Vec::len);
    assert!(
        cues > 50,
        "the built-in lexicon has many cues, found {cues}"
    );
}

#[test]
fn user_lexicon_adds_a_cue() {
    let dir = files(&[(
        "mine.toml",
        b"[[cue]]\npattern = \"glowered at\"\nstance = \"hawkish\"\nweight = 0.3\n",
    )]);
    let run = stance(&["lexicon", "--lexicon", &arg(&dir, "mine.toml"), "glowered"]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("glowered at") && run.stdout.contains("0.3"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_accepts_a_good_file() {
    let dir = files(&[(
        "good.toml",
        b"[[cue]]\npattern = \"glowered at\"\nstance = \"hawkish\"\nweight = 0.3\n",
    )]);
    let run = stance(&["lexicon", "--check", &arg(&dir, "good.toml")]);
    run.expect_code(0);
    assert!(run.stdout.contains("ok, 1 cues"), "{}", run.stdout);
}

#[test]
fn check_reports_every_error_with_its_line() {
    let text = "\
[[cue]]
pattern = \"glowered at\"
stance = \"grumpy\"
weight = 0.3

[[cue]]
pattern = \"smiled at\"
stance = \"conciliatory\"
weight = 0.2

[[cue]]
pattern = \"sneered at\"
stance = \"hawkish\"
weight = 7
";
    let dir = files(&[("bad.toml", text.as_bytes())]);
    let path = arg(&dir, "bad.toml");
    let run = stance(&["lexicon", "--check", &path]);
    run.expect_code(1);
    assert!(
        run.stderr.contains(&format!("{path}:3:")),
        "stance error on line 3: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!("{path}:14:")),
        "weight error on line 14: {}",
        run.stderr
    );
    assert!(run.stderr.contains("2 error(s)"), "{}", run.stderr);
}

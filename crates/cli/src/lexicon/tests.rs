//! Tests for `lexicon --check`: every bad cue is found, each with its own line.

use super::check_source;

/// A test case: name, lexicon source, expected (line, is_warning) problems.
type Case = (&'static str, &'static str, &'static [(usize, bool)]);

fn check(source: &str) -> Vec<(usize, bool)> {
    check_source("test.toml", source)
        .problems
        .iter()
        .map(|p| (p.line, p.warning))
        .collect()
}

#[test]
fn finds_every_problem_with_its_line() {
    let cases: &[Case] = &[
        (
            "good",
            "[[cue]]\npattern = \"smiled at\"\nstance = \"conciliatory\"\nweight = 0.2\n",
            &[],
        ),
        (
            "two bad blocks",
            "[[cue]]\npattern = \"a\"\nstance = \"odd\"\nweight = 0.2\n\n[[cue]]\npattern = \"b\"\nstance = \"hawkish\"\nweight = 2.0\n",
            &[(3, false), (9, false)],
        ),
        (
            "syntax error does not hide a later error",
            "[[cue]]\npattern = \"a\nstance = \"hawkish\"\nweight = 0.2\n[[cue]]\npattern = \"*\"\nstance = \"hawkish\"\nweight = 0.2\n",
            &[(2, false), (6, false)],
        ),
        (
            "repeated pattern is a warning",
            "[[cue]]\npattern = \"a\"\nstance = \"hawkish\"\nweight = 0.2\n[[cue]]\npattern = \"A\"\nstance = \"hawkish\"\nweight = 0.3\n",
            &[(5, true)],
        ),
        (
            "unknown key",
            "[[cue]]\npattern = \"a\"\nstance = \"hawkish\"\nweight = 0.2\ncolour = \"red\"\n",
            &[(5, false)],
        ),
    ];
    for (name, source, expected) in cases {
        assert_eq!(
            check(source),
            *expected,
            "case {name}: {:#?}",
            check_source("test.toml", source).problems
        );
    }
}

#[test]
fn counts_cues() {
    let result = check_source(
        "test.toml",
        "[[cue]]\npattern = \"a\"\nstance = \"hawkish\"\nweight = 0.2\n",
    );
    assert_eq!(result.n_cues, 1);
}

//! The seeds read by hand: the dyads any careful reader of each article agrees on.
//!
//! Each fact names the sentence that makes it obvious. The test checks the sign of the engine's
//! score for the dyad, so a rule change that turns one of these around fails here.

const SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../seeds");

/// (seed file stem, source, target, expected sign, the sentence a reader relies on).
const FACTS: &[(&str, &str, &str, i8, &str)] = &[
    (
        "000_f94768ee9ed23074",
        "RUS",
        "JPN",
        1,
        "Russia wants to thaw relations with Japan",
    ),
    (
        "000_f94768ee9ed23074",
        "RUS",
        "PRK",
        -1,
        "Russia's hawkish response to North Korean belligerence",
    ),
    (
        "001_a20b4882fe9274f4",
        "RUS",
        "JPN",
        1,
        "an opportunity to improve its relations with Tokyo",
    ),
    (
        "001_a20b4882fe9274f4",
        "USA",
        "PRK",
        -1,
        "the U.S. and Japanese effort to coerce North Korea",
    ),
    (
        "002_fa70ba8b07161890",
        "RUS",
        "JPN",
        1,
        "Putin has attempted to ... thaw relations with Japan",
    ),
    (
        "002_fa70ba8b07161890",
        "KOR",
        "RUS",
        1,
        "cooperates extensively with Russia",
    ),
    (
        "003_6c03b276927b0c11",
        "RUS",
        "JPN",
        1,
        "Russia's attempt to improve relations with Japan",
    ),
    (
        "003_6c03b276927b0c11",
        "RUS",
        "CHN",
        1,
        "a cordial relationship with China",
    ),
    (
        "004_9758f7dde3184293",
        "RUS",
        "JPN",
        -1,
        "Russia is toughening its position toward Japan",
    ),
    (
        "004_9758f7dde3184293",
        "JPN",
        "RUS",
        -1,
        "anti-Russian sanctions",
    ),
    (
        "004_9758f7dde3184293",
        "RUS",
        "CHN",
        1,
        "regards it as a close partner",
    ),
];

#[test]
fn seeds_read_as_a_careful_reader_reads_them() {
    let scorer = score::Scorer::new(&score::Actors::builtin(), &score::Lexicon::builtin());
    let mut failures = Vec::new();
    for (stem, source, target, sign, why) in FACTS {
        let path = format!("{SEEDS}/{stem}.txt");
        let text = std::fs::read_to_string(&path).expect("seed is readable");
        let doc = ingest::Document::from_text(stem, &text);
        let scored = scorer.score(&doc);
        let score = scored
            .dyads
            .iter()
            .find(|d| d.source == *source && d.target == *target)
            .map(|d| d.score());
        let ok = score.is_some_and(|s| (s > 0.0 && *sign > 0) || (s < 0.0 && *sign < 0));
        if !ok {
            failures.push(format!(
                "{stem} {source}->{target}: expected sign {sign:+}, got {score:?} (\"{why}\")"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\nhelp: run `stance explain --source SRC --target TGT seeds/<file>` to see the evidence",
        failures.join("\n")
    );
}

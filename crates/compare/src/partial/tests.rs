//! Tests for the partial aggregate: hand-computed measures and the monoid laws.

use proptest::prelude::*;

use super::*;
use crate::test_support::{arb_corpus, config, doc};

/// Folds documents (all under `group`) into one partial, one by one.
fn fold(docs: &[ScoredDocument], group: Option<&str>) -> Partial {
    docs.iter().fold(Partial::default(), |acc, d| {
        acc.merge(Partial::from_document(d, group))
    })
}

fn corpus(docs: &[ScoredDocument]) -> Aggregate {
    fold(docs, None)
        .finalize()
        .into_iter()
        .next()
        .unwrap_or_default()
}

fn close(actual: f64, expected: f64, what: &str) {
    assert!(
        (actual - expected).abs() < 1e-12,
        "{what}: expected {expected}, got {actual}\nhelp: recompute the hand figures in the test comment"
    );
}

/// Three documents on RUS→JPN, one on JPN→RUS.
///
/// - a: C = 3.0 → s = 3/4 = 0.75, w = 3
/// - b: H = 1.0 → s = −1/2 = −0.5, w = 1
/// - c: C = 1.0, H = 1.0 → s = 0, w = 2
///
/// mean = (3·0.75 − 1·0.5 + 0)/6 = 1.75/6 = 7/24;
/// E[s²] = (3·0.5625 + 1·0.25)/6 = 31/96; var = 31/96 − 49/576 = 137/576; stdev = √137/24.
/// Sides: a conciliatory (0.75 ≥ 0.2, w 3 ≥ 0.5), b hawkish, c none;
/// measure = 137/576 · min(3, 1) = 137/576.
fn three_docs() -> Vec<ScoredDocument> {
    vec![
        doc("c", None, None, &[("RUS", "JPN", 10_000, 10_000)]),
        doc(
            "a",
            None,
            None,
            &[("JPN", "RUS", 10_000, 0), ("RUS", "JPN", 30_000, 0)],
        ),
        doc("b", None, None, &[("RUS", "JPN", 0, 10_000)]),
    ]
}

#[test]
fn corpus_mean_stdev_min_max() {
    let aggregate = corpus(&three_docs());
    assert_eq!(aggregate.documents, 3);
    let names: Vec<(&str, &str)> = aggregate
        .corpus
        .iter()
        .map(|d| (d.source.as_str(), d.target.as_str()))
        .collect();
    assert_eq!(names, [("JPN", "RUS"), ("RUS", "JPN")]);
    let dyad = &aggregate.corpus[1];
    close(dyad.mean, 7.0 / 24.0, "mean");
    close(dyad.stdev, 137f64.sqrt() / 24.0, "stdev");
    assert_eq!(dyad.documents, 3);
    assert_eq!(
        dyad.min,
        DocScore {
            doc: "b".into(),
            score: -0.5
        }
    );
    assert_eq!(
        dyad.max,
        DocScore {
            doc: "a".into(),
            score: 0.75
        }
    );
    let per: Vec<(&str, f64)> = dyad
        .per_document
        .iter()
        .map(|d| (&*d.doc, d.score))
        .collect();
    assert_eq!(per, [("a", 0.75), ("b", -0.5), ("c", 0.0)]);
    assert_eq!(
        (dyad.conciliatory, dyad.hawkish, dyad.cues),
        (Weight(40_000), Weight(20_000), 4)
    );
    // A single document: mean is its score, stdev 0.
    let other = &aggregate.corpus[0];
    assert_eq!((other.mean, other.stdev, other.documents), (0.5, 0.0, 1));
}

#[test]
fn contested_measure_and_sides() {
    let aggregate = corpus(&three_docs());
    assert_eq!(aggregate.contested.len(), 1, "{:#?}", aggregate.contested);
    let contested = &aggregate.contested[0];
    assert_eq!(
        (contested.source.as_str(), contested.target.as_str()),
        ("RUS", "JPN")
    );
    close(contested.measure, 137.0 / 576.0, "measure");
    let side = |docs: &[ContestedDoc]| -> Vec<(String, f64, Option<String>)> {
        docs.iter()
            .map(|d| {
                (
                    d.doc.to_string(),
                    d.score,
                    d.evidence.as_ref().map(|e| e.text.to_string()),
                )
            })
            .collect()
    };
    assert_eq!(
        side(&contested.conciliatory_docs),
        [("a".into(), 0.75, Some("a: RUS courts JPN.".into()))]
    );
    assert_eq!(
        side(&contested.hawkish_docs),
        [("b".into(), -0.5, Some("b: RUS warns JPN.".into()))]
    );
}

#[test]
fn side_thresholds() {
    // Each case: the other document's (C, H) against a fixed hawkish document with H = 1.0
    // (s = −0.5, w = 1), and whether the dyad comes out contested.
    const CASES: &[(&str, i64, i64, bool)] = &[
        // s = 0.25/1.25 = 0.2 (on the score threshold) but w = 0.25 < 0.3.
        ("thin evidence", 2_500, 0, false),
        // s = 0.3/1.3 = 0.23, w = 0.3: exactly the minimum mass.
        ("minimum mass", 3_000, 0, true),
        // s = (0.28 − 0.01)/1.29 = 0.209 ≥ 0.2 but w = 0.29 < 0.3.
        ("thin mixed evidence", 2_800, 100, false),
        // s = (0.6 − 0.4)/2 = 0.1 < 0.2.
        ("weak score", 6_000, 4_000, false),
        // s = (1.2 − 0.2)/2.4 = 0.4167.
        ("mixed but clear", 12_000, 2_000, true),
        // Both hawkish: no conciliatory side.
        ("same side", 0, 20_000, false),
    ];
    for &(name, c, h, expected) in CASES {
        let docs = [
            doc("x", None, None, &[("RUS", "JPN", c, h)]),
            doc("y", None, None, &[("RUS", "JPN", 0, 10_000)]),
        ];
        let got = !corpus(&docs).contested.is_empty();
        assert_eq!(
            got, expected,
            "case {name}\nhelp: see CONTESTED_MIN_SCORE and CONTESTED_MIN_EVIDENCE"
        );
    }
}

#[test]
fn ties_go_to_the_smallest_id() {
    let docs = [
        doc("z", None, None, &[("RUS", "JPN", 10_000, 0)]),
        doc("m", None, None, &[("RUS", "JPN", 10_000, 0)]),
        doc("q", None, None, &[("RUS", "JPN", 10_000, 0)]),
    ];
    let dyad = &corpus(&docs).corpus[0];
    assert_eq!((&*dyad.min.doc, &*dyad.max.doc), ("m", "m"));
}

#[test]
fn timeline_orders_by_date_then_id_and_buckets_months() {
    // a: 2017-09-05, s 0.75, w 3; b: 2017-09-01, s −0.5, w 1; c: 2017-10-02, s 0, w 2;
    // e: 2017-09-01, s 0.5, w 1; d: undated.
    // 2017-09: (3·0.75 − 0.5 + 0.5)/5 = 0.45 over 3 documents; 2017-10: 0 over 1.
    let docs = [
        doc("a", Some("2017-09-05"), None, &[("RUS", "JPN", 30_000, 0)]),
        doc("e", Some("2017-09-01"), None, &[("RUS", "JPN", 10_000, 0)]),
        doc("b", Some("2017-09-01"), None, &[("RUS", "JPN", 0, 10_000)]),
        doc(
            "c",
            Some("2017-10-02"),
            None,
            &[("RUS", "JPN", 10_000, 10_000)],
        ),
        doc("d", None, None, &[("RUS", "JPN", 10_000, 0)]),
    ];
    let timeline = &corpus(&docs).timeline[0];
    let points: Vec<(&str, &str)> = timeline
        .points
        .iter()
        .map(|p| (&*p.date, &*p.doc))
        .collect();
    assert_eq!(
        points,
        [
            ("2017-09-01", "b"),
            ("2017-09-01", "e"),
            ("2017-09-05", "a"),
            ("2017-10-02", "c")
        ]
    );
    assert_eq!(timeline.undated, 1);
    assert_eq!(timeline.months.len(), 2);
    assert_eq!(timeline.months[0].month, "2017-09");
    close(timeline.months[0].mean, 0.45, "september mean");
    assert_eq!(timeline.months[0].documents, 3);
    assert_eq!(
        (
            timeline.months[1].month.as_str(),
            timeline.months[1].mean,
            timeline.months[1].documents
        ),
        ("2017-10", 0.0, 1)
    );
}

#[test]
fn profiles_by_role() {
    // RUS as source: RUS→JPN only (mean 7/24, 1 dyad, 3 observations);
    // RUS as target: JPN→RUS in a (s 0.5). JPN mirrors it.
    let profiles = corpus(&three_docs()).profiles;
    let rows: Vec<(&str, f64, usize, usize, f64, usize, usize)> = profiles
        .iter()
        .map(|p| {
            (
                p.actor.as_str(),
                p.as_source.mean,
                p.as_source.dyads,
                p.as_source.observations,
                p.as_target.mean,
                p.as_target.dyads,
                p.as_target.observations,
            )
        })
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].0, "JPN");
    assert_eq!((rows[0].1, rows[0].2, rows[0].3), (0.5, 1, 1));
    close(rows[0].4, 7.0 / 24.0, "JPN as target");
    assert_eq!(rows[1].0, "RUS");
    close(rows[1].1, 7.0 / 24.0, "RUS as source");
    assert_eq!((rows[1].4, rows[1].5, rows[1].6), (0.5, 1, 1));
}

#[test]
fn groups_and_contested_between_groups() {
    // Group X: a (s 0.75, w 3) and c (s 0, w 2): mean 2.25/5 = 0.45, w 5 → conciliatory.
    // Group Y: b (s −0.5, w 1) → hawkish. Variance over the two groups, weights 5 and 1:
    // mean = (2.25 − 0.5)/6 = 7/24, E[s²] = (5·0.2025 + 0.25)/6 = 1.2625/6;
    // var = 1.2625/6 − 49/576; measure = var · min(5, 1).
    let docs = three_docs();
    let partial = Partial::from_document(&docs[0], Some("X"))
        .merge(Partial::from_document(&docs[1], Some("X")))
        .merge(Partial::from_document(&docs[2], Some("Y")));
    let aggregates = partial.finalize();
    let groups: Vec<(Option<&str>, u64)> = aggregates
        .iter()
        .map(|a| (a.group.as_deref(), a.documents))
        .collect();
    assert_eq!(groups, [(Some("X"), 2), (Some("Y"), 1)]);
    let between = partial.contested_between_groups();
    assert_eq!(between.len(), 1);
    close(
        between[0].measure,
        1.2625 / 6.0 - 49.0 / 576.0,
        "between-group measure",
    );
    assert_eq!(&*between[0].conciliatory_docs[0].doc, "X");
    assert_eq!(between[0].conciliatory_docs[0].score, 0.45);
    assert_eq!(&*between[0].hawkish_docs[0].doc, "Y");
    let strongest = between[0].conciliatory_docs[0]
        .evidence
        .as_ref()
        .map(|e| &*e.text);
    assert_eq!(strongest, Some("a: RUS courts JPN."));
}

#[test]
fn identity_and_empty() {
    assert_eq!(
        Partial::default().merge(Partial::default()),
        Partial::default()
    );
    assert_eq!(Partial::default().finalize(), Vec::<Aggregate>::new());
    let one = Partial::from_document(&three_docs()[0], None);
    assert_eq!(one.clone().merge(Partial::default()), one);
}

#[test]
fn parts_from_outside_are_clamped_and_recomputed() {
    let observation = PartialObservation {
        doc: "d".to_owned(),
        score: i64::MAX,
        mass: -5,
        date: None,
        conciliatory: None,
        hawkish: None,
    };
    let row = |observations| PartialRow {
        group: None,
        source: "A".to_owned(),
        target: "B".to_owned(),
        documents: u64::MAX,
        mass: i128::MAX,
        weighted_score: i128::MIN,
        weighted_square: i128::MAX,
        conciliatory: i64::MAX,
        hawkish: 3,
        cues: u64::MAX,
        observations,
    };
    let parts = PartialParts {
        groups: vec![(None, u64::MAX), (None, 2)],
        rows: vec![
            row(vec![(observation.clone(), 2)]),
            row(vec![(observation, 1)]),
        ],
        members: vec![
            ("g".to_owned(), "d".to_owned(), u64::MAX),
            ("g".to_owned(), "d".to_owned(), 1),
        ],
        evidence: vec![
            ("g".to_owned(), 7, i64::MAX),
            ("g".to_owned(), 7, 5),
            ("g".to_owned(), 8, -5),
        ],
    };
    let partial = Partial::from_parts(parts);
    let back = partial.to_parts();
    assert_eq!(back.groups, vec![(None, u64::MAX)]);
    assert_eq!(
        back.members,
        vec![("g".to_owned(), "d".to_owned(), u64::MAX)]
    );
    assert_eq!(
        back.evidence,
        vec![("g".to_owned(), 7, i64::MAX), ("g".to_owned(), 8, 0)],
        "help: weights saturate and negative ones count as 0"
    );
    let [row] = back.rows.as_slice() else {
        panic!("one row expected, got {:?}", back.rows);
    };
    assert_eq!(
        (
            row.documents,
            row.mass,
            row.weighted_score,
            row.weighted_square
        ),
        (3, 0, 0, 0),
        "help: derived sums come from the observations"
    );
    assert_eq!(
        (row.conciliatory, row.hawkish, row.cues),
        (i64::MAX, 6, u64::MAX)
    );
    assert_eq!(row.observations[0].0.score, SCALE);
    assert_eq!(row.observations[0].1, 3);
    let aggregate = partial.finalize();
    assert_eq!(aggregate[0].corpus[0].per_document.len(), 3);
}

fn groups_for(docs: &[ScoredDocument]) -> Vec<Partial> {
    docs.iter()
        .map(|d| {
            let group = d.outlet.as_deref();
            Partial::from_document(d, None).merge(Partial::from_document(d, group))
        })
        .collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn of_document_is_the_corpus_and_group_partials_merged(docs in arb_corpus()) {
        for doc in &docs {
            let group = doc.outlet.as_deref();
            let merged = Partial::from_document(doc, None).merge(Partial::from_document(doc, group));
            let expected = if group.is_some() { merged } else { Partial::from_document(doc, None) };
            prop_assert_eq!(Partial::of_document(doc, group), expected);
        }
    }

    /// The first half of the corpus is added twice, so equal observations (counted with a
    /// multiplicity) occur, besides ids repeated across different documents.
    #[test]
    fn observations_build_the_merged_partial(docs in arb_corpus(), grouped in any::<bool>()) {
        let mut observations = Observations::default();
        let mut expected = Partial::default();
        let mut ids: std::collections::BTreeMap<(String, String), u32> = Default::default();
        for doc in docs.iter().chain(&docs[..docs.len() / 2]) {
            let group = if grouped { doc.outlet.as_deref() } else { None };
            let evidence: Vec<(u64, i64)> = evidence_weights(doc).into_iter().collect();
            let dyad_ids: Vec<u32> = doc
                .dyads
                .iter()
                .map(|dyad| {
                    let next = ids.len() as u32;
                    *ids.entry((dyad.source.clone(), dyad.target.clone())).or_insert(next)
                })
                .collect();
            observations.add(Observations::of_document(doc, group, &evidence), dyad_ids);
            expected = expected.merge(Partial::of_document(doc, group));
        }
        let mut names: Vec<(&(String, String), u32)> = ids.iter().map(|(k, &v)| (k, v)).collect();
        names.sort_by_key(|&(_, id)| id);
        let names: Vec<&(String, String)> = names.into_iter().map(|(name, _)| name).collect();
        prop_assert_eq!(observations.into_partial(&names), expected);
    }

    #[test]
    fn merge_is_associative_and_commutative(a in arb_corpus(), b in arb_corpus(), c in arb_corpus()) {
        let (pa, pb, pc) = (fold(&a, None), fold(&b, Some("g")), fold(&c, None));
        prop_assert_eq!(pa.clone().merge(pb.clone().merge(pc.clone())), pa.clone().merge(pb.clone()).merge(pc.clone()));
        prop_assert_eq!(pa.clone().merge(pb.clone()), pb.merge(pa.clone()));
        prop_assert_eq!(pa.clone().merge(Partial::default()), pa);
    }

    #[test]
    fn shards_merge_to_the_single_run(docs in arb_corpus(), cut in 0usize..16, shards in 1usize..5) {
        let partials = groups_for(&docs);
        let single = partials.iter().cloned().fold(Partial::default(), Partial::merge);
        // Shard round-robin, fold each shard from the back, then merge shards from a rotation.
        let mut merged = Partial::default();
        for shard in 0..shards {
            let part = partials
                .iter()
                .enumerate()
                .filter(|(i, _)| (i + cut) % shards == shard)
                .rev()
                .fold(Partial::default(), |acc, (_, p)| p.clone().merge(acc));
            merged = part.merge(merged);
        }
        prop_assert_eq!(&merged, &single);
        prop_assert_eq!(merged.finalize(), single.finalize());
        let options = crate::Options::default();
        prop_assert_eq!(merged.groups("outlet", &options), single.groups("outlet", &options));
    }

    #[test]
    fn prop_parts_round_trip_and_shards_merge_through_parts(docs in arb_corpus(), shards in 1usize..5) {
        let partials = groups_for(&docs);
        let single = partials.iter().cloned().fold(Partial::default(), Partial::merge);
        prop_assert_eq!(Partial::from_parts(single.to_parts()), single.clone());
        // Each shard goes through plain parts (as between processes), merged in reverse.
        let mut merged = Partial::default();
        for shard in (0..shards).rev() {
            let part = partials
                .iter()
                .enumerate()
                .filter(|(i, _)| i % shards == shard)
                .fold(Partial::default(), |acc, (_, p)| acc.merge(p.clone()));
            merged = merged.merge(Partial::from_parts(part.to_parts()));
        }
        prop_assert_eq!(merged.finalize(), single.finalize());
        let options = crate::Options::default();
        prop_assert_eq!(merged.groups("outlet", &options), single.groups("outlet", &options));
    }

    #[test]
    fn scores_stay_within_bounds(docs in arb_corpus()) {
        for aggregate in fold(&docs, None).finalize() {
            for dyad in &aggregate.corpus {
                prop_assert!((-1.0..=1.0).contains(&dyad.mean), "mean {}", dyad.mean);
                prop_assert!((0.0..=1.0).contains(&dyad.stdev), "stdev {}", dyad.stdev);
                prop_assert!(dyad.min.score <= dyad.max.score);
                for per in &dyad.per_document {
                    prop_assert!((-1.0..=1.0).contains(&per.score));
                    prop_assert!(dyad.min.score <= per.score && per.score <= dyad.max.score);
                }
                prop_assert!(dyad.per_document.windows(2).all(|w| w[0].doc <= w[1].doc));
            }
            for contested in &aggregate.contested {
                prop_assert!(contested.measure >= 0.0);
                for side in contested.conciliatory_docs.iter().chain(&contested.hawkish_docs) {
                    prop_assert!((-1.0..=1.0).contains(&side.score));
                }
            }
        }
    }
}

/// A collected observation stays as small as its docs say: a million of them are held at once
/// for a large corpus.
#[cfg(target_pointer_width = "64")]
#[test]
fn an_observation_takes_40_bytes() {
    assert_eq!(std::mem::size_of::<Observation>(), 40);
}

/// The evidence a partial keeps holds copies of its sentences, one per sentence, not the
/// document's text, which every scored evidence item points into: comparing a corpus keeps
/// a few sentences of each document, never all its text.
#[test]
fn kept_evidence_holds_its_sentences_not_the_document_text() {
    let scorer = score::Scorer::new(&score::Actors::builtin(), &score::Lexicon::builtin());
    let text = include_str!("../../../../seeds/000_f94768ee9ed23074.txt");
    let document = ingest::Document::from_text("seed", text);
    let scored = scorer.score(&document);
    let sentences = |doc: &ScoredDocument| -> std::collections::BTreeSet<String> {
        let items = doc.dyads.iter().flat_map(|dyad| &dyad.evidence);
        items.map(|item| item.text.to_string()).collect()
    };
    assert!(std::sync::Arc::strong_count(&document.text) > 1);
    let partial = Partial::of_document(&scored, Some("outlet"));
    let evidence: Vec<(u64, i64)> = evidence_weights(&scored).into_iter().collect();
    let observations = Observations::of_document(&scored, Some("outlet"), &evidence);
    let all = sentences(&scored);
    drop(scored);
    assert_eq!(std::sync::Arc::strong_count(&document.text), 1);
    let kept: Vec<Evidence> = partial
        .to_parts()
        .rows
        .into_iter()
        .flat_map(|row| row.observations)
        .flat_map(|(observation, _)| [observation.conciliatory, observation.hawkish])
        .flatten()
        .collect();
    assert!(kept.len() > 4, "{} items kept", kept.len());
    for item in &kept {
        assert!(all.contains(item.text.as_str()), "{:?}", item.text);
    }
    // A sentence kept for several dyads (or keys) is one copy.
    let mut shared = 0;
    for (i, a) in kept.iter().enumerate() {
        for b in &kept[i + 1..] {
            if a.text == b.text {
                assert_eq!(a.text.as_ptr(), b.text.as_ptr(), "{:?}", a.text);
                shared += 1;
            }
        }
    }
    assert!(shared > 0, "the seed has a sentence kept twice");
    drop(observations);
}

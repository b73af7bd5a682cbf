//! Tests for the `compare` driver: thread-count independence, the sequential oracle, groups.

use std::collections::BTreeMap;

use proptest::prelude::*;
use score::{ScoredDocument, Stance};

use super::*;
use crate::test_support::{arb_corpus, config, doc, dyad, evidence};

fn in_pool(threads: usize, docs: &[ScoredDocument], options: &Options) -> Comparison {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool");
    pool.install(|| compare(docs, options))
}

#[test]
fn public_types_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Comparison>();
    check::<Partial>();
    check::<Options>();
}

#[test]
fn group_names() {
    let mut document = doc("x", Some("2017-09-05"), Some("The Diplomat"), &[]);
    document.metadata.insert("section".into(), "asia".into());
    let undated = doc("y", None, None, &[]);
    let odd = doc("z", Some("sometime"), Some("  "), &[]);
    const CASES: &[(&str, &str, &str, &str)] = &[
        // (field, x, y, z)
        ("outlet", "The Diplomat", NO_GROUP, NO_GROUP),
        ("date", "2017-09-05", NO_GROUP, "sometime"),
        ("year", "2017", NO_GROUP, NO_GROUP),
        ("month", "2017-09", NO_GROUP, NO_GROUP),
        ("id", "x", "y", "z"),
        ("section", "asia", NO_GROUP, NO_GROUP),
    ];
    for &(field, x, y, z) in CASES {
        let got = [
            group_name(&document, field),
            group_name(&undated, field),
            group_name(&odd, field),
        ];
        assert_eq!(got, [x, y, z], "field {field}");
    }
}

/// A corpus where d2 quotes d0 at length (sharing three evidence sentences), d1 reports the
/// same stance as d0 in its own words, and d3 reports the opposite stance.
fn quoting_corpus() -> Vec<ScoredDocument> {
    let shared = [
        "Russia wants to thaw relations with Japan.",
        "Moscow offered Tokyo joint development of the islands.",
        "Putin welcomed Abe warmly.",
    ];
    let own = |id: &str, n: usize| -> Vec<score::Evidence> {
        (0..n)
            .map(|i| {
                evidence(
                    &format!("{id} own sentence {i}."),
                    "cooperat*",
                    Stance::Conciliatory,
                    10_000,
                )
            })
            .collect()
    };
    let quoted: Vec<score::Evidence> = shared
        .iter()
        .map(|s| evidence(s, "thaw*", Stance::Conciliatory, 10_000))
        .collect();
    let with = |id: &str, items: Vec<score::Evidence>| ScoredDocument {
        id: id.into(),
        dyads: vec![dyad("RUS", "JPN", items)],
        ..ScoredDocument::default()
    };
    let mut d2_items = quoted.clone();
    d2_items.extend(own("d2", 1));
    d2_items.push(evidence(
        "d2 but Tokyo hesitates.",
        "hesitat*",
        Stance::Hawkish,
        10_000,
    ));
    vec![
        with("d0", quoted),
        with("d1", own("d1", 3)),
        with("d2", d2_items),
        with(
            "d3",
            vec![evidence(
                "Russia threatens Japan.",
                "threat*",
                Stance::Hawkish,
                30_000,
            )],
        ),
    ]
}

#[test]
fn quoting_document_is_the_nearest_neighbour() {
    // d0: RUS→JPN C = 3 → s = 0.75. d1: same. d2: C = 4, H = 1 → s = 3/6 = 0.5, so cos(d0, d2)
    // = 1 too, but d0 and d2 share 3 evidence keys of weight 1: overlap = 3/√(3 · 5) = 0.7746,
    // sim = 1. With d1, overlap 0, sim = cos = 1. To make the quote decide, give d1 a second
    // dyad: cos(d0, d1) = 0.75·0.75 / (0.75 · √(0.75² + 0.75²)) = 1/√2.
    let mut docs = quoting_corpus();
    docs[1].dyads.push(dyad(
        "RUS",
        "USA",
        vec![evidence(
            "d1 other.",
            "cooperat*",
            Stance::Conciliatory,
            30_000,
        )],
    ));
    let comparison = compare(&docs, &Options::default());
    let Similarity::Full { documents, matrix } = &comparison.similarity else {
        panic!("expected a full matrix for 4 documents");
    };
    let matrix = matrix.rows(0..matrix.len());
    assert_eq!(documents, &["d0", "d1", "d2", "d3"]);
    let nearest = |i: usize| {
        (0..documents.len())
            .filter(|&j| j != i)
            .max_by(|&a, &b| matrix[i][a].total_cmp(&matrix[i][b]).then(b.cmp(&a)))
    };
    assert_eq!(nearest(0), Some(2), "row {:?}", matrix[0]);
    assert_eq!(nearest(2), Some(0), "row {:?}", matrix[2]);
    assert!(
        (matrix[0][1] - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-12,
        "{:?}",
        matrix[0]
    );
    // The opposite stance is far: cos = −1, nothing shared.
    assert_eq!(matrix[0][3], -1.0);

    // The same corpus in top-k mode finds the same neighbour first.
    let options = Options {
        full_similarity_max_docs: 2,
        top_k: 2,
        ..Options::default()
    };
    let Similarity::TopK { neighbours, k, .. } = compare(&docs, &options).similarity else {
        panic!("expected top-k above the threshold");
    };
    assert_eq!(k, 2);
    assert_eq!(&*neighbours[0][0].doc, "d2");
    assert_eq!(neighbours[0].len(), 2);
}

#[test]
fn top_k_past_the_posting_window() {
    // 300 documents on RUS→JPN with scores spread over [-0.75, 0.75] (far more than the
    // 2 · POSTING_WINDOW the dyad list is cut to), plus the quoting pair from
    // `quoting_corpus`. Each filler also has RUS→CHN (s = 0.5), so its cosine with d0 is below
    // 1, while d2 has cos 1 and shares evidence with d0: sim(d0, d2) = 1 is the strict maximum.
    // The quote shares evidence keys, whose posting lists are short, so it is still found;
    // every list is full because every document shares the dyad.
    let mut docs = quoting_corpus();
    for i in 0..300i64 {
        let (c, h) = if i % 2 == 0 {
            (i * 100, 0)
        } else {
            (0, i * 100)
        };
        docs.push(doc(
            &format!("f{i:03}"),
            None,
            None,
            &[("RUS", "CHN", 10_000, 0), ("RUS", "JPN", c, h)],
        ));
    }
    docs[1].dyads.push(dyad(
        "RUS",
        "USA",
        vec![evidence(
            "d1 other.",
            "cooperat*",
            Stance::Conciliatory,
            30_000,
        )],
    ));
    let options = Options {
        full_similarity_max_docs: 100,
        top_k: 5,
        ..Options::default()
    };
    let comparison = compare(&docs, &options);
    let Similarity::TopK {
        documents,
        neighbours,
        ..
    } = &comparison.similarity
    else {
        panic!("expected top-k above 100 documents");
    };
    assert_eq!(documents.len(), 304);
    assert!(neighbours.iter().all(|row| row.len() == 5));
    let d0 = documents.iter().position(|id| id == "d0").expect("d0");
    assert_eq!(&*neighbours[d0][0].doc, "d2", "{:?}", neighbours[d0]);
    assert!(neighbours[d0][1].score < 1.0, "{:?}", neighbours[d0]);
    assert!(neighbours[d0].windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn groups_by_outlet() {
    let docs = vec![
        doc(
            "a",
            Some("2017-09-05"),
            Some("X"),
            &[("RUS", "JPN", 30_000, 0)],
        ),
        doc(
            "b",
            Some("2017-10-01"),
            Some("Y"),
            &[("RUS", "JPN", 0, 10_000)],
        ),
        doc("c", None, None, &[("RUS", "JPN", 10_000, 0)]),
        doc("d", None, Some("X"), &[("RUS", "JPN", 10_000, 0)]),
    ];
    let options = Options {
        group_by: Some("outlet".into()),
        ..Options::default()
    };
    let groups = compare(&docs, &options).groups.expect("groups");
    assert_eq!(groups.field, "outlet");
    let listed: Vec<(&str, Vec<&str>)> = groups
        .groups
        .iter()
        .map(|g| {
            (
                g.name.as_str(),
                g.documents.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (NO_GROUP, vec!["c"]),
            ("X", vec!["a", "d"]),
            ("Y", vec!["b"])
        ]
    );
    // X: (3·0.75 + 1·0.5)/4 = 0.6875.
    assert_eq!(groups.groups[1].corpus[0].mean, 0.6875);
    let between: Vec<(&str, Vec<&str>, Vec<&str>)> = groups
        .contested
        .iter()
        .map(|c| {
            (
                c.source.as_str(),
                c.conciliatory_docs.iter().map(|d| &*d.doc).collect(),
                c.hawkish_docs.iter().map(|d| &*d.doc).collect(),
            )
        })
        .collect();
    assert_eq!(between, [("RUS", vec![NO_GROUP, "X"], vec!["Y"])]);
    let Similarity::Full { documents, matrix } = &groups.similarity else {
        panic!("expected full")
    };
    let matrix = matrix.rows(0..matrix.len());
    assert_eq!(documents, &[NO_GROUP, "X", "Y"]);
    assert_eq!((matrix[1][2], matrix[0][1]), (-1.0, 1.0));
}

/// (source, target, mean, documents) per dyad.
type Means = Vec<(String, String, f64, usize)>;

/// A plain sequential oracle: nested loops over documents and dyads, no partials, no rayon.
fn oracle(docs: &[ScoredDocument]) -> (Means, Vec<Vec<f64>>, Vec<String>) {
    let mut sorted: Vec<&ScoredDocument> = docs.iter().collect();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    let mut sums: BTreeMap<(String, String), (i128, i128, usize)> = BTreeMap::new();
    let mut per_doc: Vec<BTreeMap<(String, String), (i64, i64)>> = Vec::new();
    let mut keys: Vec<BTreeMap<u64, i64>> = Vec::new();
    for d in &sorted {
        let mut mine: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
        let mut evidence: BTreeMap<u64, i64> = BTreeMap::new();
        for y in &d.dyads {
            let (c, h) = (y.conciliatory.0.max(0), y.hawkish.0.max(0));
            let s = partial::score_units(c, h);
            let entry = sums
                .entry((y.source.clone(), y.target.clone()))
                .or_default();
            entry.0 += i128::from(c + h);
            entry.1 += i128::from(c + h) * i128::from(s);
            entry.2 += 1;
            let m = mine
                .entry((y.source.clone(), y.target.clone()))
                .or_default();
            m.0 += c;
            m.1 += h;
            for e in &y.evidence {
                if e.weight.0 > 0 {
                    let k = evidence
                        .entry(similarity::evidence_key(&e.text, &e.cue))
                        .or_default();
                    *k = (*k).max(e.weight.0);
                }
            }
        }
        for t in &d.tone {
            for e in &t.evidence {
                if e.weight.0 > 0 {
                    let k = evidence
                        .entry(similarity::evidence_key(&e.text, &e.cue))
                        .or_default();
                    *k = (*k).max(e.weight.0);
                }
            }
        }
        per_doc.push(mine);
        keys.push(evidence);
    }
    let means = sums
        .into_iter()
        .map(|((s, t), (w, ws, n))| {
            (
                s,
                t,
                if w > 0 {
                    ws as f64 / w as f64 / 10_000.0
                } else {
                    0.0
                },
                n,
            )
        })
        .collect();
    let n = sorted.len();
    let mut matrix = vec![vec![0.0; n]; n];
    for i in 0..n {
        for j in 0..n {
            if i == j {
                matrix[i][j] = 1.0;
                continue;
            }
            let score = |m: &BTreeMap<(String, String), (i64, i64)>, k: &(String, String)| {
                m.get(k)
                    .map_or(0, |&(c, h)| i128::from(partial::score_units(c, h)))
            };
            let (mut dot, mut na, mut nb) = (0i128, 0i128, 0i128);
            for k in per_doc[i].keys() {
                let a = score(&per_doc[i], k);
                dot += a * score(&per_doc[j], k);
                na += a * a;
            }
            for k in per_doc[j].keys() {
                let b = score(&per_doc[j], k);
                nb += b * b;
            }
            let (mut shared, mut wa, mut wb) = (0i128, 0i128, 0i128);
            for (k, &a) in &keys[i] {
                wa += i128::from(a);
                if let Some(&b) = keys[j].get(k) {
                    shared += i128::from(a.min(b));
                }
            }
            for &b in keys[j].values() {
                wb += i128::from(b);
            }
            let cos = if na == 0 || nb == 0 {
                0.0
            } else {
                dot as f64 / ((na as f64).sqrt() * (nb as f64).sqrt())
            };
            let overlap = if wa == 0 || wb == 0 {
                0.0
            } else {
                shared as f64 / ((wa as f64).sqrt() * (wb as f64).sqrt())
            };
            let (cos, overlap) = (cos.clamp(-1.0, 1.0), overlap.clamp(0.0, 1.0));
            matrix[i][j] = (overlap + (1.0 - overlap) * cos).clamp(-1.0, 1.0);
        }
    }
    (means, matrix, sorted.iter().map(|d| d.id.clone()).collect())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn result_does_not_depend_on_thread_count(docs in arb_corpus(), group in any::<bool>(), full_max in 0usize..20) {
        let options = Options {
            group_by: group.then(|| "outlet".to_owned()),
            full_similarity_max_docs: full_max,
            top_k: 3,
            threads: None,
        };
        let one = in_pool(1, &docs, &options);
        prop_assert_eq!(&one, &in_pool(2, &docs, &options));
        prop_assert_eq!(&one, &in_pool(8, &docs, &options));
        let with_threads = Options { threads: Some(3), ..options.clone() };
        prop_assert_eq!(&one, &compare(&docs, &with_threads));
        // Input order does not matter either.
        let sorted_input = { let mut s = docs.clone(); s.sort_by(|a, b| a.id.cmp(&b.id)); s };
        prop_assert_eq!(compare(&sorted_input, &options).corpus, one.corpus.clone());
    }

    /// Handing the corpus to a [`Collector`] in batches of any size, with or without groups
    /// and in full or top-k mode, gives exactly [`compare`] of the whole corpus.
    #[test]
    fn collector_in_batches_equals_compare(docs in arb_corpus(), batch in 1usize..6, mode in 0usize..4) {
        let options = Options {
            group_by: (mode % 2 == 1).then(|| "outlet".to_owned()),
            full_similarity_max_docs: if mode >= 2 { 0 } else { 2_000 },
            top_k: 3,
            ..Options::default()
        };
        let mut collector = Collector::new(&options);
        for chunk in docs.chunks(batch) {
            collector.add(chunk);
        }
        prop_assert_eq!(collector.finish(), compare(&docs, &options));
    }

    #[test]
    fn parallel_path_equals_sequential_oracle(docs in arb_corpus()) {
        let comparison = compare(&docs, &Options::default());
        let (means, matrix, ids) = oracle(&docs);
        let got: Vec<(String, String, f64, usize)> =
            comparison.corpus.iter().map(|d| (d.source.clone(), d.target.clone(), d.mean, d.documents)).collect();
        prop_assert_eq!(got, means);
        let Similarity::Full { documents, matrix: got_matrix } = comparison.similarity else {
            panic!("small corpora give a full matrix");
        };
        prop_assert_eq!(documents, ids);
        prop_assert_eq!(got_matrix.rows(0..got_matrix.len()), matrix);
    }
}

proptest! {
    #![proptest_config(config())]

    /// Each group's matrix is the matrix of its documents compared alone.
    #[test]
    fn group_matrix_equals_the_group_alone(docs in arb_corpus()) {
        let options = Options { group_by: Some("outlet".to_owned()), ..Options::default() };
        let groups = compare(&docs, &options).groups.expect("groups");
        for group in &groups.groups {
            let members: Vec<ScoredDocument> = docs
                .iter()
                .filter(|d| d.outlet.as_deref().unwrap_or(NO_GROUP) == group.name)
                .cloned()
                .collect();
            let alone = compare(&members, &Options::default());
            prop_assert_eq!(&group.corpus, &alone.corpus, "group {}", group.name);
            prop_assert_eq!(&group.contested, &alone.contested);
            prop_assert_eq!(&group.profiles, &alone.profiles);
        }
    }

    /// Top-k neighbours carry the same values as the full matrix, in (−similarity, id) order.
    #[test]
    fn top_k_agrees_with_the_full_matrix(docs in arb_corpus(), k in 1usize..5) {
        // An empty corpus is never above the threshold.
        prop_assume!(!docs.is_empty());
        let Similarity::Full { documents, matrix } = compare(&docs, &Options::default()).similarity else {
            panic!("small corpora give a full matrix");
        };
        let matrix = matrix.rows(0..matrix.len());
        let options = Options { full_similarity_max_docs: 0, top_k: k, ..Options::default() };
        let Similarity::TopK { documents: names, neighbours, .. } = compare(&docs, &options).similarity else {
            panic!("a zero threshold gives top-k");
        };
        prop_assert_eq!(&names, &documents);
        for (i, row) in neighbours.iter().enumerate() {
            prop_assert!(row.len() <= k);
            for pair in row.windows(2) {
                prop_assert!(pair[0].score > pair[1].score || (pair[0].score == pair[1].score && pair[0].doc <= pair[1].doc));
            }
            for neighbour in row {
                // Ids may repeat, so accept any column with that id.
                let found = (0..documents.len())
                    .any(|j| j != i && *documents[j] == *neighbour.doc && matrix[i][j] == neighbour.score);
                prop_assert!(found, "neighbour {:?} of {} not in the matrix row {:?}", neighbour, i, matrix[i]);
            }
        }
    }
}

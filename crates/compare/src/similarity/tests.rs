//! Tests for the similarity measure and the full and top-k drivers.

use proptest::prelude::*;

use super::*;
use crate::partial::div_round;
use crate::test_support::{arb_corpus, config};

/// A vector from (dyad id, score units) and (evidence key, weight units).
fn vector(dyads: &[(u32, i64)], evidence: &[(u64, i64)]) -> DocVector {
    DocVector::from_parts(
        dyads.iter().map(|&(id, s)| (id, s, 10_000)).collect(),
        evidence.to_vec(),
    )
}

#[test]
fn pair_known_answers() {
    // (name, a, b, expected)
    let cases: &[(&str, DocVector, DocVector, f64)] = &[
        // Same single dyad, same sign: cos = 1.
        (
            "same stance",
            vector(&[(1, 5_000)], &[]),
            vector(&[(1, 2_000)], &[]),
            1.0,
        ),
        // Opposite signs: cos = −1.
        (
            "opposite stance",
            vector(&[(1, 5_000)], &[]),
            vector(&[(1, -5_000)], &[]),
            -1.0,
        ),
        // a = (0.6, 0.8), b = (0.6, 0): cos = 0.36/(1 · 0.6) = 0.6; dyad 2 only in a counts.
        (
            "one-sided dyad",
            vector(&[(1, 6_000), (2, 8_000)], &[]),
            vector(&[(1, 6_000)], &[]),
            0.6,
        ),
        // Disjoint dyads, nothing shared.
        (
            "disjoint",
            vector(&[(1, 5_000)], &[]),
            vector(&[(2, 5_000)], &[]),
            0.0,
        ),
        // Evidence: a has keys 1, 2 (W 2), b has key 1 and seven others (W 8), weights 1.0:
        // overlap = 1/√16 = 0.25; cos 0 → 0.25.
        (
            "shared evidence",
            vector(&[(1, 5_000)], &[(1, 10_000), (2, 10_000)]),
            vector(
                &[(2, 5_000)],
                &[
                    (1, 10_000),
                    (3, 10_000),
                    (4, 10_000),
                    (5, 10_000),
                    (6, 10_000),
                    (7, 10_000),
                    (8, 10_000),
                    (9, 10_000),
                ],
            ),
            0.25,
        ),
        // The same overlap with opposite stances: 0.25 + 0.75 · (−1) = −0.5.
        (
            "shared evidence, opposite",
            vector(&[(1, 5_000)], &[(1, 10_000), (2, 10_000)]),
            vector(
                &[(1, -5_000)],
                &[
                    (1, 10_000),
                    (3, 10_000),
                    (4, 10_000),
                    (5, 10_000),
                    (6, 10_000),
                    (7, 10_000),
                    (8, 10_000),
                    (9, 10_000),
                ],
            ),
            -0.5,
        ),
        // Overlap uses the smaller weight: min(1.0, 0.5) / √(1.0 · 0.5) = √0.5.
        (
            "min weight",
            vector(&[], &[(9, 10_000)]),
            vector(&[], &[(9, 5_000)]),
            0.5f64.sqrt(),
        ),
        // No evidence at all.
        ("empty", vector(&[], &[]), vector(&[], &[]), 0.0),
    ];
    for (name, a, b, expected) in cases {
        let got = pair(a, b);
        assert!(
            (got - expected).abs() < 1e-12,
            "case {name}: expected {expected}, got {got}"
        );
        assert_eq!(
            got.to_bits(),
            pair(b, a).to_bits(),
            "case {name}: not symmetric"
        );
    }
}

#[test]
fn evidence_key_ignores_case_and_spacing() {
    let cases = [
        (
            "Moscow courts Tokyo.",
            "court*",
            "moscow  courts\ntokyo.",
            "court*",
            true,
        ),
        (
            "Moscow courts Tokyo.",
            "court*",
            "Moscow courts Tokyo.",
            "visit*",
            false,
        ),
        (
            "Moscow courts Tokyo.",
            "court*",
            "Moscow courts Seoul.",
            "court*",
            false,
        ),
    ];
    for (a, cue_a, b, cue_b, same) in cases {
        assert_eq!(
            evidence_key(a, cue_a) == evidence_key(b, cue_b),
            same,
            "{a:?} vs {b:?}"
        );
    }
}

/// Evidence weights hash each shared sentence once (by its address): the same keys as
/// hashing every evidence item's own copy of its sentence.
#[test]
fn evidence_weights_of_shared_sentences_equal_those_of_copies() {
    let scorer = score::Scorer::new(&score::Actors::builtin(), &score::Lexicon::builtin());
    let seeds = [
        include_str!("../../../../seeds/000_f94768ee9ed23074.txt"),
        include_str!("../../../../seeds/003_6c03b276927b0c11.txt"),
    ];
    for (i, seed) in seeds.iter().enumerate() {
        let doc = scorer.score(&ingest::Document::from_text(&format!("seed-{i}"), seed));
        let mut copied = doc.clone();
        let items = copied.dyads.iter_mut().flat_map(|dyad| &mut dyad.evidence);
        for item in items.chain(copied.tone.iter_mut().flat_map(|tone| &mut tone.evidence)) {
            let copy = score::SentenceText::from(&*item.text);
            std::sync::Arc::make_mut(item).text = copy;
        }
        let weights = evidence_weights(&doc);
        assert!(weights.len() > 5, "{} keys", weights.len());
        assert_eq!(weights, evidence_weights(&copied));
        let expected: BTreeMap<u64, i64> = doc
            .dyads
            .iter()
            .flat_map(|dyad| &dyad.evidence)
            .chain(doc.tone.iter().flat_map(|tone| &tone.evidence))
            .filter(|item| item.weight.0 > 0)
            .fold(BTreeMap::new(), |mut map, item| {
                let slot = map.entry(evidence_key(&item.text, &item.cue)).or_default();
                *slot = std::cmp::max(*slot, item.weight.0);
                map
            });
        assert_eq!(weights, expected);
    }
}

/// [`evidence_key`] as first written: every character lowercased and hashed as UTF-8.
fn evidence_key_by_chars(text: &str, cue: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325;
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            hash = fnv1a(hash, b" ");
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            let mut buffer = [0; 4];
            hash = fnv1a(hash, c.encode_utf8(&mut buffer).as_bytes());
        }
    }
    hash = fnv1a(hash, &[0]);
    fnv1a(hash, cue.as_bytes())
}

proptest! {
    #![proptest_config(config())]

    /// Keys travel in partials between runs (and versions), so the ASCII fast path must give
    /// the same key as the character-by-character definition, for any text.
    #[test]
    fn evidence_key_ascii_path_is_the_definition(
        text in "([A-Za-z0-9.,]{0,6}[ \t\n\r\u{b}\u{a0}\u{3000}]{0,2}(Ä|İ|ß|Σ|é|Ω|ǅ)?){0,8}",
        cue in "[a-z*]{0,6}",
    ) {
        prop_assert_eq!(evidence_key(&text, &cue), evidence_key_by_chars(&text, &cue));
    }
}

/// The vector of a group of documents, computed from its members' vectors (the oracle for
/// `Partial::groups`, which computes it from integer totals): per dyad the evidence-weighted mean score and the
/// total mass; per evidence key the total weight.
fn combine(members: &[&DocVector]) -> DocVector {
    let mut dyads: BTreeMap<u32, (i128, i128)> = BTreeMap::new();
    let mut evidence: BTreeMap<u64, i64> = BTreeMap::new();
    for member in members {
        for &(id, score, mass) in &member.dyads {
            let slot = dyads.entry(id).or_default();
            slot.0 += i128::from(mass);
            slot.1 += i128::from(mass) * i128::from(score);
        }
        for &(key, weight) in &member.evidence {
            let slot = evidence.entry(key).or_default();
            *slot = slot.saturating_add(weight);
        }
    }
    let dyads = dyads
        .into_iter()
        .map(|(id, (mass, weighted))| {
            let score = if mass > 0 {
                div_round(weighted, mass) as i64
            } else {
                0
            };
            (id, score, i64::try_from(mass).unwrap_or(i64::MAX))
        })
        .collect();
    DocVector::from_parts(dyads, evidence.into_iter().collect())
}

#[test]
fn group_vector_is_the_weighted_mean() {
    // Scores 0.75 (w 3) and −0.5 (w 1) on dyad 1: (2.25 − 0.5)/4 = 0.4375; evidence sums.
    let a = DocVector::from_parts(vec![(1, 7_500, 30_000)], vec![(5, 10_000)]);
    let b = DocVector::from_parts(vec![(1, -5_000, 10_000)], vec![(5, 2_000), (6, 1_000)]);
    let group = combine(&[&a, &b]);
    assert_eq!(group.dyads, [(1, 4_375, 40_000)]);
    assert_eq!(group.evidence, [(5, 12_000), (6, 1_000)]);
    assert_eq!(group.evidence_mass, 13_000);
}

/// Vectors of an arbitrary corpus, dyad ids assigned in sorted order.
fn vectors_of(docs: &[score::ScoredDocument]) -> Vec<DocVector> {
    let mut names: Vec<(&str, &str)> = docs
        .iter()
        .flat_map(|d| {
            d.dyads
                .iter()
                .map(|y| (y.source.as_str(), y.target.as_str()))
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    let ids = names
        .into_iter()
        .enumerate()
        .map(|(i, k)| (k, i as u32))
        .collect();
    docs.iter().map(|d| DocVector::new(d, &ids)).collect()
}

proptest! {
    #![proptest_config(config())]

    /// The group similarity `Partial::groups` computes from integer totals equals the one of
    /// the groups' member vectors combined, in full and in top-k mode. (A scored document has
    /// each dyad once; the generator may repeat one, so repeats are dropped first.)
    #[test]
    fn group_similarity_from_partials_equals_combined_members(mut docs in arb_corpus(), top in 0usize..2) {
        for doc in &mut docs {
            let mut seen = std::collections::BTreeSet::new();
            doc.dyads.retain(|d| seen.insert((d.source.clone(), d.target.clone())));
        }
        let vectors = vectors_of(&docs);
        let mut members: BTreeMap<String, Vec<&DocVector>> = BTreeMap::new();
        let mut partial = crate::Partial::default();
        for (doc, vector) in docs.iter().zip(&vectors) {
            let name = crate::group_name(doc, "outlet");
            partial = partial.merge(crate::Partial::from_document(doc, Some(&name)));
            members.entry(name).or_default().push(vector);
        }
        let names: Vec<&str> = members.keys().map(String::as_str).collect();
        let combined: Vec<DocVector> = members.values().map(|m| combine(m)).collect();
        let options = crate::Options {
            full_similarity_max_docs: if top == 1 { 0 } else { 2_000 },
            top_k: 3,
            ..crate::Options::default()
        };
        let expected = crate::similarity_of(&combined, &names, &options);
        prop_assert_eq!(partial.groups("outlet", &options).similarity, expected);
    }

    /// The full matrix gives every pair exactly, whether its rows are read all at once in
    /// parallel or a range at a time (rows of one range share their scratch arrays, and a
    /// range may start anywhere): pairs that share much, pairs that share nothing (their
    /// value is not computed when it must be 0), and, when `negative` names a vector, a
    /// negative evidence mass, whose NaN norm has every value computed.
    #[test]
    fn full_matrix_is_pair_of_every_two_documents(
        mut vectors in prop::collection::vec(prop_oneof![arb_vector(), arb_wide_vector()], 0..150),
        cuts in prop::collection::vec(0usize..150, 0..4),
        negative in prop::option::of(any::<prop::sample::Index>()),
    ) {
        if let Some(index) = negative.filter(|_| !vectors.is_empty()) {
            let at = index.index(vectors.len());
            let vector = &mut vectors[at];
            let evidence = vector.evidence.iter().map(|&(key, w)| (key, -w)).chain([(0, -1)]);
            let evidence: std::collections::BTreeMap<u64, i64> = evidence.collect();
            *vector = DocVector::from_parts(vector.dyads.clone(), evidence.into_iter().collect());
        }
        let full = SimilarityMatrix::new(&vectors);
        let matrix = full.rows(0..full.len());
        prop_assert_eq!(matrix.len(), vectors.len());
        prop_assert_eq!(full.len(), vectors.len());
        for (i, row) in matrix.iter().enumerate() {
            for (j, &value) in row.iter().enumerate() {
                let expected = if i == j { 1.0 } else { pair(&vectors[i], &vectors[j]) };
                prop_assert_eq!(value.to_bits(), expected.to_bits(), "({}, {})", i, j);
            }
        }
        let mut bounds: Vec<usize> = cuts.into_iter().map(|cut| cut.min(vectors.len())).collect();
        bounds.extend([0, vectors.len()]);
        bounds.sort_unstable();
        let bits = |rows: Vec<Vec<f64>>| -> Vec<Vec<u64>> {
            rows.iter().map(|row| row.iter().map(|v| v.to_bits()).collect()).collect()
        };
        let read: Vec<Vec<f64>> = bounds
            .windows(2)
            .flat_map(|range| full.rows(range[0]..range[1]))
            .collect();
        prop_assert_eq!(bits(read), bits(matrix));
    }

    #[test]
    fn full_matrix_is_symmetric_bounded_with_unit_diagonal(docs in arb_corpus()) {
        let full = SimilarityMatrix::new(&vectors_of(&docs));
        let matrix = full.rows(0..full.len());
        for (i, row) in matrix.iter().enumerate() {
            prop_assert_eq!(row[i], 1.0);
            for (j, &value) in row.iter().enumerate() {
                prop_assert!((-1.0..=1.0).contains(&value), "value {}", value);
                prop_assert_eq!(value.to_bits(), matrix[j][i].to_bits());
            }
        }
    }

    /// With lists shorter than the posting window, top-k equals a brute-force search over every
    /// document that shares a dyad or an evidence key.
    #[test]
    fn top_k_matches_brute_force(docs in arb_corpus(), k in 1usize..6) {
        let vectors = vectors_of(&docs);
        let names: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        let fast = top_k(&vectors, &names, k);
        for (i, a) in vectors.iter().enumerate() {
            let mut expected: Vec<(usize, f64)> = Vec::new();
            for (j, b) in vectors.iter().enumerate() {
                let shares_dyad = a.dyads.iter().any(|x| b.dyads.iter().any(|y| x.0 == y.0));
                let shares_key = a.evidence.iter().any(|x| b.evidence.iter().any(|y| x.0 == y.0));
                if i != j && (shares_dyad || shares_key) {
                    expected.push((j, pair(a, b)));
                }
            }
            expected.sort_by(|x, y| y.1.total_cmp(&x.1).then(names[x.0].cmp(names[y.0])).then(x.0.cmp(&y.0)));
            expected.truncate(k);
            prop_assert_eq!(&fast[i], &expected);
        }
    }

    /// With posting lists far longer than the window, scoring each pair once and offering it
    /// to both documents gives exactly what scoring every document's own candidates gives.
    #[test]
    fn top_k_scores_each_pair_once_as_if_per_document(
        vectors in prop::collection::vec(arb_vector(), 40..160),
        k in 1usize..12,
    ) {
        let names: Vec<String> = (0..vectors.len()).map(|i| format!("d{:03}", i % 50)).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        prop_assert_eq!(top_k(&vectors, &names, k), top_k_per_document(&vectors, &names, k));
    }

    /// The lookup table holds exactly the entries of the last fill, keys from the whole range
    /// (colliding home slots included), reused from one fill to the next.
    #[test]
    fn lookup_holds_the_last_fill(
        fills in prop::collection::vec(
            prop::collection::btree_map(
                prop_oneof![0u64..64, any::<u64>(), Just(u64::MAX)],
                any::<i64>(),
                0..80,
            ),
            1..5,
        ),
        probes in prop::collection::vec(any::<u64>(), 0..20),
    ) {
        let mut lookup = Lookup::default();
        for &key in &probes {
            prop_assert_eq!(lookup.get(key), None);
        }
        for (fill, entries) in fills.iter().enumerate() {
            let entries: Vec<(u64, i64)> = entries.iter().map(|(&k, &v)| (k, v)).collect();
            lookup.fill(&entries, fill as u32 + 1);
            for key in probes.iter().copied().chain(0..64).chain(entries.iter().map(|e| e.0)) {
                let held = entries.iter().find(|e| e.0 == key).map(|e| e.1);
                prop_assert_eq!(lookup.get(key), held);
            }
        }
    }

    /// Scoring against a document's lookup tables is [`pair`], bit for bit, with scores that
    /// fit the one-word dyads of the packed records (all within ±10 000) or not (one beyond
    /// an `i32`, the most a hand-written partial file could hold without overflowing a
    /// product).
    #[test]
    fn pair_with_lookups_is_pair(
        a in arb_wide_vector(),
        others in prop::collection::vec(arb_wide_vector(), 1..6),
        huge in prop::option::of((0usize..6, prop_oneof![
            -3_000_000_000i64..=i64::from(i32::MIN) - 1,
            i64::from(i32::MAX) + 1..=3_000_000_000,
        ])),
    ) {
        let mut vectors = vec![a];
        vectors.extend(others);
        if let Some((at, score)) = huge {
            let at = at % vectors.len();
            let mut dyads = vectors[at].dyads.clone();
            // Last in id order, as dyads are sorted.
            match dyads.last_mut() {
                Some(last) if last.0 == u32::MAX => last.1 = score,
                _ => dyads.push((u32::MAX, score, 1)),
            }
            let evidence = vectors[at].evidence.clone();
            vectors[at] = DocVector::from_parts(dyads, evidence);
        }
        let packed = Packed::new(&vectors, |_, _| true);
        prop_assert_eq!(packed.narrow, huge.is_none());
        let (mut dyads, mut evidence) = (Lookup::default(), Lookup::default());
        for a in 0..vectors.len() {
            dyads.fill(&packed.dyads(a), a as u32 + 1);
            evidence.fill(&packed.evidence(a), a as u32 + 1);
            for b in 0..vectors.len() {
                let fast = packed.pair_with(a, &dyads, &evidence, b);
                prop_assert_eq!(fast.to_bits(), pair(&vectors[a], &vectors[b]).to_bits());
            }
        }
    }
}

/// A vector over ids and keys from a wide range, shared with another vector or not.
fn arb_wide_vector() -> impl Strategy<Value = DocVector> {
    (
        prop::collection::btree_map(
            prop_oneof![0u32..8, any::<u32>()],
            -10_000i64..=10_000,
            0..12,
        ),
        prop::collection::btree_map(prop_oneof![0u64..8, any::<u64>()], 1i64..20_000, 0..12),
    )
        .prop_map(|(dyads, evidence)| {
            vector(
                &dyads.into_iter().collect::<Vec<_>>(),
                &evidence.into_iter().collect::<Vec<_>>(),
            )
        })
}

/// A vector over few dyads and evidence keys, so that posting lists are long and scores tie.
fn arb_vector() -> impl Strategy<Value = DocVector> {
    (
        prop::collection::btree_map(0u32..6, -2i64..3, 0..4),
        prop::collection::btree_map(0u64..8, 1i64..3, 0..4),
    )
        .prop_map(|(dyads, evidence)| {
            vector(
                &dyads
                    .into_iter()
                    .map(|(id, s)| (id, s * 5_000))
                    .collect::<Vec<_>>(),
                &evidence
                    .into_iter()
                    .map(|(key, w)| (key, w * 5_000))
                    .collect::<Vec<_>>(),
            )
        })
}

/// The oracle for [`top_k`], written from its definition: every document scores each of its
/// own candidates (so each pair twice), found by looking itself up in sorted posting lists.
fn top_k_per_document(vectors: &[DocVector], names: &[&str], k: usize) -> Vec<Vec<(usize, f64)>> {
    let mut lists: BTreeMap<(bool, u64), Vec<(i64, usize)>> = BTreeMap::new();
    for (doc, vector) in vectors.iter().enumerate() {
        for &(id, score, _) in &vector.dyads {
            lists
                .entry((false, u64::from(id)))
                .or_default()
                .push((score, doc));
        }
        for &(key, weight) in &vector.evidence {
            lists.entry((true, key)).or_default().push((weight, doc));
        }
    }
    for list in lists.values_mut() {
        list.sort_unstable();
    }
    (0..vectors.len())
        .map(|doc| {
            let mut candidates = Vec::new();
            for list in lists.values() {
                if let Some(position) = list.iter().position(|&(_, d)| d == doc) {
                    let low = position.saturating_sub(POSTING_WINDOW);
                    let high = (position + POSTING_WINDOW + 1).min(list.len());
                    candidates.extend(
                        list[low..high]
                            .iter()
                            .map(|&(_, d)| d)
                            .filter(|&d| d != doc),
                    );
                }
            }
            candidates.sort_unstable();
            candidates.dedup();
            let mut scored: Vec<(usize, f64)> = candidates
                .into_iter()
                .map(|other| (other, pair(&vectors[doc], &vectors[other])))
                .collect();
            scored.sort_by(|a, b| {
                b.1.total_cmp(&a.1)
                    .then_with(|| names[a.0].cmp(names[b.0]))
                    .then(a.0.cmp(&b.0))
            });
            scored.truncate(k);
            scored
        })
        .collect()
}

//! Hand-made scored documents and proptest strategies shared by the unit tests.

use std::sync::Arc;

use proptest::prelude::*;
use score::{DyadScore, Evidence, ScoredDocument, Stance, ToneScore, Weight};

/// One dyad of a hand-made document: (source, target, conciliatory units, hawkish units).
pub(crate) type Spec<'a> = (&'a str, &'a str, i64, i64);

/// One evidence item with weight `units` and a sentence `text`.
pub(crate) fn evidence(text: &str, cue: &str, stance: Stance, units: i64) -> Evidence {
    Evidence {
        sentence: 0,
        start: 0,
        end: cue.len(),
        cue: cue.into(),
        stance,
        weight: Weight(units),
        modifiers: Box::default(),
        text: text.into(),
    }
}

/// A document whose dyads each carry one conciliatory and one hawkish evidence item (when the
/// totals are non-zero), with sentences unique to the document.
pub(crate) fn doc(
    id: &str,
    date: Option<&str>,
    outlet: Option<&str>,
    specs: &[Spec<'_>],
) -> ScoredDocument {
    let dyads = specs
        .iter()
        .map(|&(source, target, c, h)| {
            let mut items = Vec::new();
            if c > 0 {
                items.push(evidence(
                    &format!("{id}: {source} courts {target}."),
                    "court*",
                    Stance::Conciliatory,
                    c,
                ));
            }
            if h > 0 {
                items.push(evidence(
                    &format!("{id}: {source} warns {target}."),
                    "warn*",
                    Stance::Hawkish,
                    h,
                ));
            }
            dyad(source, target, items)
        })
        .collect();
    ScoredDocument {
        id: id.to_owned(),
        date: date.map(str::to_owned),
        outlet: outlet.map(str::to_owned),
        dyads,
        ..ScoredDocument::default()
    }
}

/// A dyad whose totals are the sums of its evidence.
pub(crate) fn dyad(source: &str, target: &str, evidence: Vec<Evidence>) -> DyadScore {
    let total = |stance| {
        evidence
            .iter()
            .filter(|e| e.stance == stance)
            .map(|e| e.weight.0)
            .sum()
    };
    DyadScore {
        source: source.to_owned(),
        target: target.to_owned(),
        conciliatory: Weight(total(Stance::Conciliatory)),
        hawkish: Weight(total(Stance::Hawkish)),
        cues: evidence.len() as u32,
        evidence: evidence.into_iter().map(Arc::new).collect(),
    }
}

const ACTORS: [&str; 4] = ["CHN", "JPN", "PRK", "RUS"];
const SENTENCES: [&str; 6] = [
    "Moscow courts Tokyo.",
    "Tokyo rebuffs Moscow.",
    "Beijing watches closely.",
    "Talks on the islands resume.",
    "Sanctions stay in place.",
    "A summit is planned.",
];
const CUES: [&str; 3] = ["court*", "rebuff*", "summit"];

fn arb_evidence() -> impl Strategy<Value = Evidence> {
    (
        0..SENTENCES.len(),
        0..CUES.len(),
        any::<bool>(),
        0i64..=15_000,
    )
        .prop_map(|(s, c, conc, w)| {
            let stance = if conc {
                Stance::Conciliatory
            } else {
                Stance::Hawkish
            };
            let mut item = evidence(SENTENCES[s], CUES[c], stance, w);
            item.sentence = s;
            item
        })
}

fn arb_dyad() -> impl Strategy<Value = DyadScore> {
    (
        0..ACTORS.len(),
        0..ACTORS.len(),
        prop::collection::vec(arb_evidence(), 1..4),
    )
        .prop_map(|(s, t, items)| dyad(ACTORS[s], ACTORS[t], items))
}

/// An arbitrary small document: ids from a small pool (duplicates possible), optional dates
/// and outlets, dyads over four actors and evidence from a small pool of sentences.
pub(crate) fn arb_doc() -> impl Strategy<Value = ScoredDocument> {
    (
        0u8..12,
        prop::option::of((2016u32..2019, 1u32..13, 1u32..29)),
        prop::option::of(0u8..3),
        prop::collection::vec(arb_dyad(), 0..5),
        prop::collection::vec(arb_evidence(), 0..2),
    )
        .prop_map(|(id, date, outlet, mut dyads, tone)| {
            dyads.sort_by(|a, b| (&a.source, &a.target).cmp(&(&b.source, &b.target)));
            ScoredDocument {
                id: format!("d{id:02}"),
                date: date.map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
                outlet: outlet.map(|o| format!("outlet{o}")),
                dyads,
                tone: if tone.is_empty() {
                    Vec::new()
                } else {
                    vec![ToneScore {
                        actor: "RUS".to_owned(),
                        conciliatory: Weight(0),
                        hawkish: Weight(0),
                        cues: tone.len() as u32,
                        evidence: tone.into_iter().map(Arc::new).collect(),
                    }]
                },
                ..ScoredDocument::default()
            }
        })
}

/// An arbitrary small corpus.
pub(crate) fn arb_corpus() -> impl Strategy<Value = Vec<ScoredDocument>> {
    prop::collection::vec(arb_doc(), 0..16)
}

/// Proptest settings: 64 cases unless `PROPTEST_CASES` says otherwise; no regression files
/// (a failure prints its minimal input, which belongs in a named unit test).
pub(crate) fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

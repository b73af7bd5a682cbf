//! A serialisation-neutral view of a [`Partial`], so a caller can write and read it in any format.

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::sync::Arc;

use score::Evidence;

use super::{DocEntry, DyadTotals, Partial, StoredEvidence};

/// Every number a [`Partial`] holds, as plain public data, sorted by key.
///
/// [`Partial::to_parts`] and [`Partial::from_parts`] are inverse: a caller (the CLI writes
/// JSON lines) can ship a partial between processes or machines and merge it there exactly.
/// Reading parts never fails: repeated keys and observations are added as [`Partial::merge`]
/// would add them, scores are clamped to [-1, 1] and masses to at least 0, and a row's
/// `documents`, `mass`, `weighted_score` and `weighted_square` are recomputed from its
/// observations (they are written for readers), so no input can make the sums overflow.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PartialParts {
    /// Documents counted under each group key (`None` is the whole corpus), by key.
    pub groups: Vec<(Option<String>, u64)>,
    /// One row per (group, source, target), by key.
    pub rows: Vec<PartialRow>,
    /// Named groups only: (group, document id, multiplicity), by (group, id).
    pub members: Vec<(String, String, u64)>,
    /// Named groups only: (group, evidence key, summed weight), by (group, key).
    pub evidence: Vec<(String, u64, i64)>,
}

/// The integer totals of one (group, source, target) key.
#[derive(Debug, Clone, PartialEq)]
pub struct PartialRow {
    /// The group key (`None` is the whole corpus).
    pub group: Option<String>,
    /// The source actor.
    pub source: String,
    /// The target actor.
    pub target: String,
    /// Number of (document, dyad) observations.
    pub documents: u64,
    /// Σ w, the evidence mass in fixed-point weight units.
    pub mass: i128,
    /// Σ w·s, with s the document score in 1/10 000.
    pub weighted_score: i128,
    /// Σ w·s².
    pub weighted_square: i128,
    /// Σ C in weight units.
    pub conciliatory: i64,
    /// Σ H in weight units.
    pub hawkish: i64,
    /// Σ cue occurrences.
    pub cues: u64,
    /// Every document observation with its multiplicity, sorted.
    pub observations: Vec<(PartialObservation, u64)>,
}

/// One document's view of one dyad, as kept inside a [`Partial`].
#[derive(Debug, Clone, PartialEq)]
pub struct PartialObservation {
    /// The document id.
    pub doc: String,
    /// The document's dyad score in 1/10 000.
    pub score: i64,
    /// The document's evidence mass C + H in weight units.
    pub mass: i64,
    /// The document date, if any.
    pub date: Option<String>,
    /// The strongest conciliatory evidence, if any.
    pub conciliatory: Option<Evidence>,
    /// The strongest hawkish evidence, if any.
    pub hawkish: Option<Evidence>,
}

impl PartialObservation {
    fn from_entry(entry: &DocEntry) -> PartialObservation {
        PartialObservation {
            doc: entry.doc.to_string(),
            score: entry.score,
            mass: entry.mass,
            date: entry.date.as_deref().map(str::to_owned),
            conciliatory: entry
                .conciliatory
                .as_deref()
                .map(StoredEvidence::to_evidence),
            hawkish: entry.hawkish.as_deref().map(StoredEvidence::to_evidence),
        }
    }

    fn into_entry(self) -> DocEntry {
        DocEntry {
            doc: Arc::from(self.doc),
            score: self.score.clamp(-super::SCALE, super::SCALE),
            mass: self.mass.max(0),
            date: self.date.map(Arc::from),
            conciliatory: self.conciliatory.as_ref().map(StoredEvidence::read_back),
            hawkish: self.hawkish.as_ref().map(StoredEvidence::read_back),
        }
    }
}

impl Partial {
    /// This partial as plain data, sorted by key; [`Partial::from_parts`] reads it back.
    pub fn to_parts(&self) -> PartialParts {
        PartialParts {
            groups: self
                .documents
                .iter()
                .map(|(group, count)| (group.clone(), *count))
                .collect(),
            rows: self
                .dyads
                .iter()
                .map(|((group, source, target), totals)| PartialRow {
                    group: group.clone(),
                    source: source.clone(),
                    target: target.clone(),
                    documents: totals.documents,
                    mass: totals.mass,
                    weighted_score: totals.weighted_score,
                    weighted_square: totals.weighted_square,
                    conciliatory: totals.conciliatory,
                    hawkish: totals.hawkish,
                    cues: totals.cues,
                    observations: totals
                        .entries
                        .iter()
                        .map(|(entry, count)| (PartialObservation::from_entry(entry), *count))
                        .collect(),
                })
                .collect(),
            members: self
                .members
                .iter()
                .map(|((group, doc), count)| (group.clone(), doc.clone(), *count))
                .collect(),
            evidence: self
                .evidence
                .iter()
                .map(|((group, key), weight)| (group.clone(), *key, *weight))
                .collect(),
        }
    }

    /// Rebuilds a partial from plain data; repeated keys and observations are added.
    pub fn from_parts(parts: PartialParts) -> Partial {
        let mut partial = Partial::default();
        for (group, count) in parts.groups {
            let slot = partial.documents.entry(group).or_default();
            *slot = slot.saturating_add(count);
        }
        for (group, doc, count) in parts.members {
            let slot = partial.members.entry((group, doc)).or_default();
            *slot = slot.saturating_add(count);
        }
        for (group, key, weight) in parts.evidence {
            let slot = partial.evidence.entry((group, key)).or_default();
            *slot = slot.saturating_add(weight.max(0));
        }
        for row in parts.rows {
            let mut entries: BTreeMap<DocEntry, u64> = BTreeMap::new();
            for (observation, count) in row.observations {
                let slot = entries.entry(observation.into_entry()).or_default();
                *slot = slot.saturating_add(count);
            }
            let (mut documents, mut mass, mut weighted_score, mut weighted_square) =
                (0u64, 0i128, 0i128, 0i128);
            for (entry, &count) in &entries {
                let n = i128::from(count);
                let w = i128::from(entry.mass).saturating_mul(n);
                let s = i128::from(entry.score);
                documents = documents.saturating_add(count);
                mass = mass.saturating_add(w);
                weighted_score = weighted_score.saturating_add(w.saturating_mul(s));
                weighted_square =
                    weighted_square.saturating_add(w.saturating_mul(s).saturating_mul(s));
            }
            let totals = DyadTotals {
                documents,
                mass,
                weighted_score,
                weighted_square,
                conciliatory: row.conciliatory,
                hawkish: row.hawkish,
                cues: row.cues,
                entries,
            };
            match partial.dyads.entry((row.group, row.source, row.target)) {
                Entry::Vacant(slot) => {
                    slot.insert(totals);
                }
                Entry::Occupied(mut slot) => slot.get_mut().absorb(totals),
            }
        }
        partial
    }
}

//! Sparse dyad and evidence vectors, the pairwise similarity, and the full and top-k drivers.

use std::collections::BTreeMap;

use rayon::prelude::*;
use score::ScoredDocument;

use crate::partial::{mass_units, score_units};

/// In top-k mode, each document is compared with at most this many documents on either side
/// of it in each posting list it belongs to (so at most `2 * POSTING_WINDOW` per list).
pub const POSTING_WINDOW: usize = 16;

/// One document (or group) as sparse integer vectors.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct DocVector {
    /// (dyad id, score in 1/10 000, evidence mass), sorted by dyad id.
    pub(crate) dyads: Vec<(u32, i64, i64)>,
    /// Σ score² over `dyads`.
    pub(crate) norm2: i128,
    /// (evidence key, weight), sorted by key.
    pub(crate) evidence: Vec<(u64, i64)>,
    /// Σ weight over `evidence`.
    pub(crate) evidence_mass: i128,
}

/// FNV-1a, 64 bits: a hash that is the same on every run and platform.
fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The evidence key of a sentence and cue: FNV-1a of the lowercased, whitespace-collapsed
/// sentence text, a 0 byte, and the cue pattern.
pub(crate) fn evidence_key(text: &str, cue: &str) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325;
    let mut first = true;
    for word in text.split_whitespace() {
        if !first {
            hash = fnv1a(hash, b" ");
        }
        first = false;
        for c in word.chars().flat_map(char::to_lowercase) {
            let mut buffer = [0; 4];
            hash = fnv1a(hash, c.encode_utf8(&mut buffer).as_bytes());
        }
    }
    hash = fnv1a(hash, &[0]);
    fnv1a(hash, cue.as_bytes())
}

/// A document's evidence keys (from dyads and tone), each with its largest positive weight in
/// the document.
pub(crate) fn evidence_weights(doc: &ScoredDocument) -> BTreeMap<u64, i64> {
    let mut evidence: BTreeMap<u64, i64> = BTreeMap::new();
    let dyad_items = doc.dyads.iter().flat_map(|dyad| &dyad.evidence);
    let tone_items = doc.tone.iter().flat_map(|tone| &tone.evidence);
    for item in dyad_items.chain(tone_items) {
        if item.weight.0 > 0 {
            let slot = evidence
                .entry(evidence_key(&item.text, &item.cue))
                .or_default();
            *slot = (*slot).max(item.weight.0);
        }
    }
    evidence
}

impl DocVector {
    /// Builds the vector of one scored document, with dyad ids from `dyad_ids` (the tests'
    /// oracle for the vectors [`crate::Collector`] builds).
    #[cfg(test)]
    pub(crate) fn new(doc: &ScoredDocument, dyad_ids: &BTreeMap<(&str, &str), u32>) -> DocVector {
        let mut totals: BTreeMap<u32, (i64, i64)> = BTreeMap::new();
        for dyad in &doc.dyads {
            if let Some(&id) = dyad_ids.get(&(dyad.source.as_str(), dyad.target.as_str())) {
                let slot = totals.entry(id).or_default();
                slot.0 = slot.0.saturating_add(dyad.conciliatory.0.max(0));
                slot.1 = slot.1.saturating_add(dyad.hawkish.0.max(0));
            }
        }
        DocVector::from_totals(totals, evidence_weights(doc).into_iter().collect())
    }

    /// A vector from per-dyad (C, H) totals and evidence weights (sorted by key).
    pub(crate) fn from_totals(
        totals: BTreeMap<u32, (i64, i64)>,
        evidence: Vec<(u64, i64)>,
    ) -> DocVector {
        let dyads = totals
            .into_iter()
            .map(|(id, (c, h))| (id, score_units(c, h), mass_units(c, h)))
            .collect();
        DocVector::from_parts(dyads, evidence)
    }

    /// A vector from its dyads (sorted by id) and evidence weights (sorted by key).
    pub(crate) fn from_parts(dyads: Vec<(u32, i64, i64)>, evidence: Vec<(u64, i64)>) -> DocVector {
        let norm2 = dyads
            .iter()
            .map(|&(_, s, _)| i128::from(s) * i128::from(s))
            .sum();
        let evidence_mass = evidence.iter().map(|&(_, w)| i128::from(w)).sum();
        DocVector {
            dyads,
            norm2,
            evidence,
            evidence_mass,
        }
    }
}

/// The similarity of two different documents, in [-1, 1]; symmetric to the last bit.
///
/// `cos` is the cosine of the score vectors over the union of dyads (a dyad only one side
/// has counts in its norm only); `overlap` is Σ min(weight) over shared evidence keys divided
/// by √(mass_a · mass_b), in [0, 1]; the result is `overlap + (1 − overlap) · cos`.
pub(crate) fn pair(a: &DocVector, b: &DocVector) -> f64 {
    // Scores are within ±10 000, so each product is at most 10⁸ and the dot product of any
    // realistic number of dyads fits an i64 exactly.
    let dot = join(
        &a.dyads,
        &b.dyads,
        |x| x.0,
        0i64,
        |sum, x, y| sum.saturating_add(x.1 * y.1),
    );
    let shared = join(
        &a.evidence,
        &b.evidence,
        |x| x.0,
        0i128,
        |sum, x, y| sum + i128::from(x.1.min(y.1)),
    );
    combine_measures(
        dot,
        (a.norm2 as f64).sqrt(),
        (b.norm2 as f64).sqrt(),
        shared,
        (a.evidence_mass as f64).sqrt(),
        (b.evidence_mass as f64).sqrt(),
    )
}

/// Folds `add` over the pairs of entries of `a` and `b` (each sorted by `key`) with equal keys.
fn join<T, K: Ord, S>(
    a: &[T],
    b: &[T],
    key: impl Fn(&T) -> K,
    init: S,
    mut add: impl FnMut(S, &T, &T) -> S,
) -> S {
    let mut sum = init;
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match key(&a[i]).cmp(&key(&b[j])) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum = add(sum, &a[i], &b[j]);
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// `overlap + (1 − overlap) · cos` from the dot product and shared evidence of two documents
/// and their square-rooted norms (a norm of 0 makes its measure 0).
fn combine_measures(
    dot: i64,
    norm_a: f64,
    norm_b: f64,
    shared: i128,
    evidence_norm_a: f64,
    evidence_norm_b: f64,
) -> f64 {
    let cos = if norm_a == 0.0 || norm_b == 0.0 {
        0.0
    } else {
        dot as f64 / (norm_a * norm_b)
    };
    let overlap = if evidence_norm_a == 0.0 || evidence_norm_b == 0.0 {
        0.0
    } else {
        shared as f64 / (evidence_norm_a * evidence_norm_b)
    };
    let cos = cos.clamp(-1.0, 1.0);
    let overlap = overlap.clamp(0.0, 1.0);
    (overlap + (1.0 - overlap) * cos).clamp(-1.0, 1.0)
}

/// The full symmetric matrix, 1.0 on the diagonal. Rows are computed in parallel; each
/// unordered pair once.
pub(crate) fn full(vectors: &[DocVector]) -> Vec<Vec<f64>> {
    let n = vectors.len();
    let upper: Vec<Vec<f64>> = (0..n)
        .into_par_iter()
        .map(|i| (i + 1..n).map(|j| pair(&vectors[i], &vectors[j])).collect())
        .collect();
    let mut matrix = vec![vec![0.0; n]; n];
    for (i, row) in upper.iter().enumerate() {
        matrix[i][i] = 1.0;
        for (offset, &value) in row.iter().enumerate() {
            let j = i + 1 + offset;
            matrix[i][j] = value;
            matrix[j][i] = value;
        }
    }
    matrix
}

/// An inverted index: for each term (sorted), its postings sorted by (value, document).
struct Postings {
    terms: Vec<u64>,
    starts: Vec<usize>,
    postings: Vec<(i64, u32)>,
}

impl Postings {
    fn new(mut flat: Vec<(u64, i64, u32)>) -> Postings {
        flat.par_sort_unstable();
        let mut terms = Vec::new();
        let mut starts = Vec::new();
        for (position, posting) in flat.iter().enumerate() {
            if terms.last() != Some(&posting.0) {
                terms.push(posting.0);
                starts.push(position);
            }
        }
        starts.push(flat.len());
        Postings {
            terms,
            starts,
            postings: flat.into_iter().map(|(_, v, d)| (v, d)).collect(),
        }
    }

    /// Whether more than one posting has `term`.
    fn shared(&self, term: u64) -> bool {
        self.terms
            .binary_search(&term)
            .is_ok_and(|index| self.starts[index + 1] - self.starts[index] > 1)
    }

    /// The documents near `doc` in the posting list of `term`: at most [`POSTING_WINDOW`] on
    /// each side of it when the list is ordered by (value, document).
    fn window(&self, term: u64, value: i64, doc: u32, out: &mut Vec<u32>) {
        let Ok(index) = self.terms.binary_search(&term) else {
            return;
        };
        let list = &self.postings[self.starts[index]..self.starts[index + 1]];
        let position = list.partition_point(|&p| p < (value, doc));
        let low = position.saturating_sub(POSTING_WINDOW);
        let high = (position + 1 + POSTING_WINDOW).min(list.len());
        out.extend(
            list[low..high]
                .iter()
                .map(|p| p.1)
                .filter(|&other| other != doc),
        );
    }
}

/// The vectors of a corpus laid out for many random pair lookups: every document's dyads and
/// evidence in two flat arrays, norms already square-rooted, and only the evidence keys that
/// another document shares (a key only one document has never adds to a shared sum, while its
/// weight still counts in that document's evidence norm). [`Packed::pair`] gives exactly
/// [`pair`], bit for bit.
struct Packed {
    /// Document `d`'s dyads are `dyads[dyad_starts[d]..dyad_starts[d + 1]]`: (id, score).
    dyad_starts: Vec<usize>,
    dyads: Vec<(u32, i64)>,
    /// The same for the shared evidence keys: (key, weight).
    evidence_starts: Vec<usize>,
    evidence: Vec<(u64, i64)>,
    /// √(Σ score²) as `pair` computes it, 0 when the sum is 0.
    norms: Vec<f64>,
    /// √(Σ weight) over all of a document's evidence, 0 when the sum is 0.
    evidence_norms: Vec<f64>,
}

impl Packed {
    fn new(vectors: &[DocVector], shared: impl Fn(u64) -> bool) -> Packed {
        let mut packed = Packed {
            dyad_starts: Vec::with_capacity(vectors.len() + 1),
            dyads: Vec::new(),
            evidence_starts: Vec::with_capacity(vectors.len() + 1),
            evidence: Vec::new(),
            norms: Vec::with_capacity(vectors.len()),
            evidence_norms: Vec::with_capacity(vectors.len()),
        };
        for vector in vectors {
            packed.dyad_starts.push(packed.dyads.len());
            packed
                .dyads
                .extend(vector.dyads.iter().map(|&(id, score, _)| (id, score)));
            packed.evidence_starts.push(packed.evidence.len());
            packed
                .evidence
                .extend(vector.evidence.iter().filter(|&&(key, _)| shared(key)));
            packed.norms.push((vector.norm2 as f64).sqrt());
            packed
                .evidence_norms
                .push((vector.evidence_mass as f64).sqrt());
        }
        packed.dyad_starts.push(packed.dyads.len());
        packed.evidence_starts.push(packed.evidence.len());
        packed
    }

    /// [`pair`] of documents `a` and `b`, from the packed arrays.
    fn pair(&self, a: usize, b: usize) -> f64 {
        let dyads_a = &self.dyads[self.dyad_starts[a]..self.dyad_starts[a + 1]];
        let dyads_b = &self.dyads[self.dyad_starts[b]..self.dyad_starts[b + 1]];
        let dot = join(
            dyads_a,
            dyads_b,
            |x| x.0,
            0i64,
            |sum, x, y| sum.saturating_add(x.1 * y.1),
        );
        let evidence_a = &self.evidence[self.evidence_starts[a]..self.evidence_starts[a + 1]];
        let evidence_b = &self.evidence[self.evidence_starts[b]..self.evidence_starts[b + 1]];
        let shared = join(
            evidence_a,
            evidence_b,
            |x| x.0,
            0i128,
            |sum, x, y| sum + i128::from(x.1.min(y.1)),
        );
        combine_measures(
            dot,
            self.norms[a],
            self.norms[b],
            shared,
            self.evidence_norms[a],
            self.evidence_norms[b],
        )
    }
}

/// The `k` most similar documents of each document, among the candidates the inverted
/// indexes (dyad → documents, evidence key → documents) give, bounded by [`POSTING_WINDOW`].
/// `names` orders ties. Each list is sorted by (decreasing similarity, name).
pub(crate) fn top_k(vectors: &[DocVector], names: &[&str], k: usize) -> Vec<Vec<(usize, f64)>> {
    let mut dyad_postings = Vec::new();
    let mut evidence_postings = Vec::new();
    for (doc, vector) in vectors.iter().enumerate() {
        let doc = doc as u32;
        dyad_postings.extend(
            vector
                .dyads
                .iter()
                .map(|&(id, score, _)| (u64::from(id), score, doc)),
        );
        evidence_postings.extend(
            vector
                .evidence
                .iter()
                .map(|&(key, weight)| (key, weight, doc)),
        );
    }
    let dyad_postings = Postings::new(dyad_postings);
    let evidence_postings = Postings::new(evidence_postings);
    let packed = Packed::new(vectors, |key| evidence_postings.shared(key));
    (0..vectors.len())
        .into_par_iter()
        .map(|doc| {
            let vector = &vectors[doc];
            let mut candidates = Vec::new();
            for &(id, score, _) in &vector.dyads {
                dyad_postings.window(u64::from(id), score, doc as u32, &mut candidates);
            }
            for &(key, weight) in &vector.evidence {
                evidence_postings.window(key, weight, doc as u32, &mut candidates);
            }
            candidates.sort_unstable();
            candidates.dedup();
            let mut scored: Vec<(usize, f64)> = candidates
                .into_iter()
                .map(|other| (other as usize, packed.pair(doc, other as usize)))
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

#[cfg(test)]
mod tests;

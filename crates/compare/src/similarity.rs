//! Sparse dyad and evidence vectors, the pairwise similarity, and the full and top-k drivers.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

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

/// FNV-1a's offset basis: the hash of no bytes.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a, 64 bits: a hash that is the same on every run and platform.
fn fnv1a(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The hasher of the collector's maps keyed by dyad: FNV-1a, which for keys of a few short
/// strings costs a fraction of the default SipHash (the order of a map's keys never reaches
/// the output).
pub(crate) type KeyHash = std::hash::BuildHasherDefault<Fnv>;

/// [`fnv1a`] as a [`std::hash::Hasher`].
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(FNV_OFFSET)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = fnv1a(self.0, bytes);
    }
}

/// The evidence key of a sentence and cue: FNV-1a of the lowercased, whitespace-collapsed
/// sentence text, a 0 byte, and the cue pattern.
#[cfg(test)]
pub(crate) fn evidence_key(text: &str, cue: &str) -> u64 {
    key_of_sentence(sentence_hash(text), cue)
}

/// The hash of a sentence's normalised text, the first part of `evidence_key` (test builds).
fn sentence_hash(text: &str) -> u64 {
    if text.is_ascii() {
        ascii_text_hash(text.as_bytes())
    } else {
        text_hash(text)
    }
}

/// `evidence_key` (test builds) from the sentence's [`sentence_hash`].
fn key_of_sentence(sentence: u64, cue: &str) -> u64 {
    fnv1a(fnv1a(sentence, &[0]), cue.as_bytes())
}

/// [`text_hash`] of ASCII text in one pass over its bytes: an ASCII letter lowercases to one
/// ASCII byte, and a run of whitespace between words hashes as one space (`split_whitespace`
/// decoded every character; this was 5 % of the scoring workers' time in `stance compare`).
fn ascii_text_hash(bytes: &[u8]) -> u64 {
    let mut hash = FNV_OFFSET;
    // Whether a word has been hashed, and whether whitespace followed the last one.
    let mut started = false;
    let mut space_pending = false;
    for &byte in bytes {
        if matches!(byte, b' ' | b'\t'..=b'\r') {
            space_pending = started;
            continue;
        }
        if space_pending {
            hash = fnv1a(hash, b" ");
            space_pending = false;
        }
        started = true;
        hash = (hash ^ u64::from(byte.to_ascii_lowercase())).wrapping_mul(0x100_0000_01b3);
    }
    hash
}

/// FNV-1a of `text`'s words, lowercased, with one space between them.
fn text_hash(text: &str) -> u64 {
    let mut hash = FNV_OFFSET;
    let mut first = true;
    for word in text.split_whitespace() {
        if !first {
            hash = fnv1a(hash, b" ");
        }
        first = false;
        if word.is_ascii() {
            hash = word.bytes().fold(hash, |hash, byte| {
                (hash ^ u64::from(byte.to_ascii_lowercase())).wrapping_mul(0x100_0000_01b3)
            });
            continue;
        }
        for c in word.chars().flat_map(char::to_lowercase) {
            let mut buffer = [0; 4];
            hash = fnv1a(hash, c.encode_utf8(&mut buffer).as_bytes());
        }
    }
    hash
}

/// A document's evidence keys (from dyads and tone), each with its largest positive weight in
/// the document.
pub(crate) fn evidence_weights(doc: &ScoredDocument) -> BTreeMap<u64, i64> {
    let mut evidence: BTreeMap<u64, i64> = BTreeMap::new();
    // A sentence backing several cues and dyads is one range of the document's shared text:
    // its hash is computed once, by address and length (a live text at one address and of one
    // length is one text).
    let mut sentences: std::collections::HashMap<(usize, usize), u64, KeyHash> = Default::default();
    let dyad_items = doc.dyads.iter().flat_map(|dyad| &dyad.evidence);
    let tone_items = doc.tone.iter().flat_map(|tone| &tone.evidence);
    for item in dyad_items.chain(tone_items) {
        if item.weight.0 > 0 {
            let address = (item.text.as_ptr() as usize, item.text.len());
            let sentence = *sentences
                .entry(address)
                .or_insert_with(|| sentence_hash(&item.text));
            let slot = evidence
                .entry(key_of_sentence(sentence, &item.cue))
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
///
/// This is the definition, kept for the tests: the drivers score pairs with
/// [`Packed::pair_with`] and [`SimilarityMatrix`]'s rows, which give exactly this, bit for bit.
#[cfg(test)]
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
#[cfg(test)]
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

/// The full similarity matrix of some documents (or groups): symmetric, 1.0 on the diagonal,
/// in [-1, 1], rows and columns in the order of the documents it was built from.
///
/// Its rows are computed when they are read, not held: the n² values were the largest
/// allocation of a comparison (800 MB at 10,000 documents). A row walks the posting lists of
/// its own document's dyads and shared evidence keys (every document with that dyad or key,
/// and its score or weight), summing each other document's dot product and shared evidence
/// as it meets it; a document met in no list shares nothing, and its value is 0. So a row
/// costs its lists' lengths plus one write per document, rather than a pass over every other
/// document's entries. The sums are exact integers, so every value is the similarity of the
/// crate docs to the last bit (the tests check it against the definition), and the value at
/// (i, j) is the value at (j, i).
#[derive(Clone, Default)]
pub struct SimilarityMatrix {
    dense: Arc<Dense>,
}

/// The arrays a row is summed in, one slot per document, left zeroed between rows.
struct RowSums {
    /// The dot product of the row's document and each other document, so far.
    dots: Vec<i64>,
    /// Σ min(weight) over the evidence keys the two share, so far.
    shared: Vec<i128>,
    /// Whether a document has been met in one of the row's posting lists.
    met: Vec<bool>,
    /// The documents met, in the order they were met.
    touched: Vec<u32>,
}

impl SimilarityMatrix {
    /// The matrix of `vectors`.
    pub(crate) fn new(vectors: &[DocVector]) -> SimilarityMatrix {
        SimilarityMatrix {
            dense: Arc::new(Dense::new(vectors)),
        }
    }

    /// The number of rows (and of columns).
    pub fn len(&self) -> usize {
        self.dense.norms.len()
    }

    /// Whether the matrix has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows in `rows`, computed in parallel and held: as many values as the range has rows
    /// times [`len`](Self::len), so read a large matrix a range at a time. Rows computed by
    /// one task share their scratch arrays (one slot per document).
    ///
    /// # Panics
    ///
    /// If `rows` reaches past [`len`](Self::len).
    pub fn rows(&self, rows: std::ops::Range<usize>) -> Vec<Vec<f64>> {
        assert!(
            rows.end <= self.len() || rows.is_empty(),
            "rows {rows:?} of a matrix of {}",
            self.len()
        );
        rows.into_par_iter()
            // A task of at least 16 rows, so that few of them allocate the scratch arrays.
            .with_min_len(16)
            .map_init(
                || self.scratch(),
                |scratch, i| {
                    let mut row = Vec::new();
                    self.fill_row(i, scratch, &mut row);
                    row
                },
            )
            .collect()
    }

    /// Zeroed arrays for [`fill_row`](Self::fill_row).
    fn scratch(&self) -> RowSums {
        let n = self.len();
        RowSums {
            dots: vec![0; n],
            shared: vec![0; n],
            met: vec![false; n],
            touched: Vec::new(),
        }
    }

    /// Sets `row` to row `i`. `sums` comes from [`scratch`](Self::scratch) and is left as it
    /// was found.
    fn fill_row(&self, i: usize, sums: &mut RowSums, row: &mut Vec<f64>) {
        let dense = &*self.dense;
        let RowSums {
            dots,
            shared,
            met,
            touched,
        } = sums;
        let mut meet = |j: usize| {
            if !met[j] {
                met[j] = true;
                touched.push(j as u32);
            }
        };
        let (dyads, evidence) = dense.document(i);
        for &(id, score) in dyads {
            for &(j, other) in dense.dyad_documents(id) {
                let j = j as usize;
                meet(j);
                dots[j] = dots[j].saturating_add(score * other);
            }
        }
        for &(key, weight) in evidence {
            for &(j, other) in dense.key_documents(key) {
                let j = j as usize;
                meet(j);
                shared[j] += i128::from(weight.min(other));
            }
        }
        let value = |j: usize, dot: i64, shared: i128| {
            combine_measures(
                dot,
                dense.norms[i],
                dense.norms[j],
                shared,
                dense.evidence_norms[i],
                dense.evidence_norms[j],
            )
        };
        row.clear();
        if dense.disjoint_is_zero {
            row.resize(self.len(), 0.0);
        } else {
            row.extend((0..self.len()).map(|j| value(j, 0, 0)));
        }
        for &j in touched.iter() {
            let j = j as usize;
            row[j] = value(j, dots[j], shared[j]);
            dots[j] = 0;
            shared[j] = 0;
            met[j] = false;
        }
        touched.clear();
        row[i] = 1.0;
    }
}

/// Equal when every value is equal (the rows are computed to compare them).
impl PartialEq for SimilarityMatrix {
    fn eq(&self, other: &SimilarityMatrix) -> bool {
        self.len() == other.len() && self.rows(0..self.len()) == other.rows(0..other.len())
    }
}

/// The rows, as a `Vec<Vec<f64>>` would show them.
impl std::fmt::Debug for SimilarityMatrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.rows(0..self.len())).finish()
    }
}

/// A dense index (dyad id or evidence key number) and its value (score or weight).
type Entry = (u32, i64);

/// The vectors of a corpus for the full matrix: dyads and shared evidence keys numbered
/// densely from 0 (an evidence key only one document has never adds to a shared sum; its weight
/// still counts in that document's evidence norm), each document's entries in flat arrays,
/// and the same entries by dyad and by key.
#[derive(Default)]
struct Dense {
    /// Document `d`'s dyads are `dyads[dyad_starts[d]..dyad_starts[d + 1]]`: (id, score).
    dyad_starts: Vec<usize>,
    dyads: Vec<Entry>,
    /// The same for its shared evidence: (key number, weight).
    evidence_starts: Vec<usize>,
    evidence: Vec<Entry>,
    /// Dyad `id`'s documents are `by_dyad[by_dyad_starts[id]..by_dyad_starts[id + 1]]`:
    /// (document, score), in document order.
    by_dyad_starts: Vec<usize>,
    by_dyad: Vec<Entry>,
    /// The same for each shared evidence key: (document, weight).
    by_key_starts: Vec<usize>,
    by_key: Vec<Entry>,
    /// √(Σ score²) as `pair` computes it, and √(Σ weight) over all of a document's evidence.
    norms: Vec<f64>,
    evidence_norms: Vec<f64>,
    /// Whether two documents that share no dyad and no evidence key have similarity +0.0
    /// (what `combine_measures` gives for a zero dot product and shared sum when every norm
    /// is 0 or from 1 to 10¹⁵⁰, so that no product of two is 0 or infinite). Norms are square
    /// roots of non-negative integers, so only a negative evidence mass (an impossible weight
    /// in a hand-made partial) makes this false, and then every value is computed.
    disjoint_is_zero: bool,
}

impl Dense {
    fn new(vectors: &[DocVector]) -> Dense {
        // Dyad ids are dense when the collector numbers them, but the matrix does not rely on
        // it: its arrays are as long as the numbers of distinct dyads and shared keys.
        let mut ids: Vec<u32> = vectors
            .iter()
            .flat_map(|vector| vector.dyads.iter().map(|&(id, _, _)| id))
            .collect();
        ids.par_sort_unstable();
        ids.dedup();
        let mut keys: Vec<u64> = vectors
            .iter()
            .flat_map(|vector| vector.evidence.iter().map(|&(key, _)| key))
            .collect();
        keys.par_sort_unstable();
        let shared: Vec<u64> = keys
            .chunk_by(|a, b| a == b)
            .filter(|run| run.len() > 1)
            .map(|run| run[0])
            .collect();
        let mut dense = Dense {
            dyad_starts: vec![0],
            evidence_starts: vec![0],
            norms: Vec::with_capacity(vectors.len()),
            evidence_norms: Vec::with_capacity(vectors.len()),
            ..Dense::default()
        };
        for vector in vectors {
            for &(id, score, _) in &vector.dyads {
                if let Ok(number) = ids.binary_search(&id) {
                    dense.dyads.push((number as u32, score));
                }
            }
            for &(key, weight) in &vector.evidence {
                if let Ok(number) = shared.binary_search(&key) {
                    dense.evidence.push((number as u32, weight));
                }
            }
            dense.dyad_starts.push(dense.dyads.len());
            dense.evidence_starts.push(dense.evidence.len());
            dense.norms.push((vector.norm2 as f64).sqrt());
            dense
                .evidence_norms
                .push((vector.evidence_mass as f64).sqrt());
        }
        (dense.by_dyad_starts, dense.by_dyad) =
            by_column(&dense.dyad_starts, &dense.dyads, ids.len());
        (dense.by_key_starts, dense.by_key) =
            by_column(&dense.evidence_starts, &dense.evidence, shared.len());
        dense.disjoint_is_zero = dense
            .norms
            .iter()
            .chain(&dense.evidence_norms)
            .all(|&norm| norm == 0.0 || (1.0..=1e150).contains(&norm));
        dense
    }

    /// Document `d`'s dyads and shared evidence.
    fn document(&self, d: usize) -> (&[Entry], &[Entry]) {
        (
            &self.dyads[self.dyad_starts[d]..self.dyad_starts[d + 1]],
            &self.evidence[self.evidence_starts[d]..self.evidence_starts[d + 1]],
        )
    }

    /// The documents with dyad `id`, and their scores.
    fn dyad_documents(&self, id: u32) -> &[Entry] {
        let id = id as usize;
        &self.by_dyad[self.by_dyad_starts[id]..self.by_dyad_starts[id + 1]]
    }

    /// The documents with shared evidence key number `key`, and their weights.
    fn key_documents(&self, key: u32) -> &[Entry] {
        let key = key as usize;
        &self.by_key[self.by_key_starts[key]..self.by_key_starts[key + 1]]
    }
}

/// The entries of each document (`entries[starts[d]..starts[d + 1]]`, (column, value)) by
/// column instead, for `columns` columns: the starts of each column's list, and the lists of
/// (document, value), each in document order. ([`Postings`], top-k's index, keeps no values
/// and orders each list by value, for its windows.)
fn by_column(starts: &[usize], entries: &[Entry], columns: usize) -> (Vec<usize>, Vec<Entry>) {
    let mut column_starts = vec![0; columns + 1];
    for &(column, _) in entries {
        column_starts[column as usize + 1] += 1;
    }
    for column in 0..columns {
        column_starts[column + 1] += column_starts[column];
    }
    let mut next = column_starts.clone();
    let mut by_column = vec![(0, 0); entries.len()];
    for (document, bounds) in starts.windows(2).enumerate() {
        for &(column, value) in &entries[bounds[0]..bounds[1]] {
            let slot = &mut next[column as usize];
            by_column[*slot] = (document as u32, value);
            *slot += 1;
        }
    }
    (column_starts, by_column)
}

/// An inverted index: for each term, its postings sorted by (value, document), and for each
/// document where its own postings are.
struct Postings {
    /// Every posting's document, grouped by term, each term's list sorted by (value, document).
    documents: Vec<u32>,
    /// Posting `p` belongs to the list `documents[list_start[p]..list_end[p]]`.
    list_start: Vec<usize>,
    list_end: Vec<usize>,
    /// Document `d`'s own postings are at `own[own_starts[d]..own_starts[d + 1]]`.
    own_starts: Vec<usize>,
    own: Vec<usize>,
}

impl Postings {
    /// The index of `flat` (term, value, document) postings over `n_docs` documents.
    fn new(mut flat: Vec<(u64, i64, u32)>, n_docs: usize) -> Postings {
        flat.par_sort_unstable();
        let mut list_start = vec![0; flat.len()];
        let mut list_end = vec![0; flat.len()];
        let mut start = 0;
        for position in 1..=flat.len() {
            if position == flat.len() || flat[position].0 != flat[start].0 {
                list_start[start..position].fill(start);
                list_end[start..position].fill(position);
                start = position;
            }
        }
        // Each document's postings, in the order of their positions.
        let mut own_starts = vec![0usize; n_docs + 1];
        for posting in &flat {
            own_starts[posting.2 as usize + 1] += 1;
        }
        for doc in 0..n_docs {
            own_starts[doc + 1] += own_starts[doc];
        }
        let mut next = own_starts.clone();
        let mut own = vec![0; flat.len()];
        for (position, posting) in flat.iter().enumerate() {
            let slot = &mut next[posting.2 as usize];
            own[*slot] = position;
            *slot += 1;
        }
        Postings {
            documents: flat.into_iter().map(|(_, _, d)| d).collect(),
            list_start,
            list_end,
            own_starts,
            own,
        }
    }

    /// Whether another document has the term of `doc`'s `index`-th posting (its postings are
    /// in term order, as its vector is).
    fn shared(&self, doc: usize, index: usize) -> bool {
        let position = self.own[self.own_starts[doc] + index];
        self.list_end[position] - self.list_start[position] > 1
    }

    /// The documents near `doc` in each posting list it belongs to: at most
    /// [`POSTING_WINDOW`] on each side of it when a list is ordered by (value, document).
    fn windows(&self, doc: u32, out: &mut Vec<u32>) {
        let doc_index = doc as usize;
        for &position in &self.own[self.own_starts[doc_index]..self.own_starts[doc_index + 1]] {
            let low = position
                .saturating_sub(POSTING_WINDOW)
                .max(self.list_start[position]);
            let high = (position + 1 + POSTING_WINDOW).min(self.list_end[position]);
            out.extend(
                self.documents[low..high]
                    .iter()
                    .copied()
                    .filter(|&other| other != doc),
            );
        }
    }
}

/// The vectors of a corpus laid out for many random pair lookups: each document's record in
/// one run of words, so that scoring a candidate reads two or three adjacent cache lines (its
/// norms, its dyads and its shared evidence kept in five arrays cost a cache miss each, and
/// those misses were most of top-k's time at 100,000 documents). Only the evidence keys that
/// another document shares are kept (a key only one document has never adds to a shared sum,
/// while its weight still counts in that document's evidence norm). [`Packed::pair_with`]
/// gives exactly `pair` (test builds), bit for bit.
///
/// A record is [`HEADER`] words (√(Σ score²) and √(Σ weight) as `f64` bits, the number of
/// dyads), then each dyad (one word, id and score, when every score of the corpus fits an
/// `i32`, as the ±10 000 of a real comparison do; two words otherwise), then each shared
/// evidence key and its weight (two words).
struct Packed {
    /// Document `d`'s record is `words[starts[d]..starts[d + 1]]`.
    starts: Vec<usize>,
    words: Vec<u64>,
    /// Whether a dyad takes one word (every score fits an `i32`) or two.
    narrow: bool,
}

/// The words of a record before its dyads.
const HEADER: usize = 3;

impl Packed {
    /// `shared(d, i)` tells whether the `i`-th evidence key of document `d` is shared.
    fn new(vectors: &[DocVector], shared: impl Fn(usize, usize) -> bool) -> Packed {
        let narrow = vectors
            .iter()
            .flat_map(|vector| &vector.dyads)
            .all(|&(_, score, _)| i32::try_from(score).is_ok());
        let mut starts = Vec::with_capacity(vectors.len() + 1);
        let mut words = Vec::new();
        for (doc, vector) in vectors.iter().enumerate() {
            starts.push(words.len());
            words.push((vector.norm2 as f64).sqrt().to_bits());
            words.push((vector.evidence_mass as f64).sqrt().to_bits());
            words.push(vector.dyads.len() as u64);
            for &(id, score, _) in &vector.dyads {
                if narrow {
                    // The score's 32 bits, sign and all, below the id.
                    words.push(u64::from(id) << 32 | u64::from(score as i32 as u32));
                } else {
                    words.extend([u64::from(id), score as u64]);
                }
            }
            for (index, &(key, weight)) in vector.evidence.iter().enumerate() {
                if shared(doc, index) {
                    words.extend([key, weight as u64]);
                }
            }
        }
        starts.push(words.len());
        Packed {
            starts,
            words,
            narrow,
        }
    }

    /// Document `d`'s header, dyad words and evidence words.
    fn record(&self, d: usize) -> (&[u64], &[u64], &[u64]) {
        let record = &self.words[self.starts[d]..self.starts[d + 1]];
        let (header, rest) = record.split_at(HEADER);
        let width = if self.narrow { 1 } else { 2 };
        let (dyads, evidence) = rest.split_at(header[2] as usize * width);
        (header, dyads, evidence)
    }

    /// The first and last words of document `d`'s record.
    fn bounds(&self, d: usize) -> (u64, u64) {
        (
            self.words[self.starts[d]],
            self.words[self.starts[d + 1] - 1],
        )
    }

    /// Document `d`'s dyads, (id, score) by ascending id.
    fn dyads(&self, d: usize) -> Vec<(u64, i64)> {
        let (_, dyads, _) = self.record(d);
        if self.narrow {
            dyads.iter().map(|&word| narrow_dyad(word)).collect()
        } else {
            two_word_entries(dyads).collect()
        }
    }

    /// Document `d`'s shared evidence, (key, weight) by ascending key.
    fn evidence(&self, d: usize) -> Vec<(u64, i64)> {
        let (_, _, evidence) = self.record(d);
        two_word_entries(evidence).collect()
    }

    /// `pair` (test builds) of documents `a` and `b`, with `a`'s dyads and evidence already in
    /// `dyads` and `evidence` ([`Lookup::fill`]): the same sums as the merge of two sorted
    /// lists, in the same order (`b`'s keys ascending; a key `a` lacks adds nothing), so the
    /// same bits.
    fn pair_with(&self, a: usize, dyads: &Lookup, evidence: &Lookup, b: usize) -> f64 {
        let (header_b, dyads_b, evidence_b) = self.record(b);
        let add = |sum: i64, (id, score): (u64, i64)| match dyads.get(id) {
            Some(mine) => sum.saturating_add(mine * score),
            None => sum,
        };
        let dot = if self.narrow {
            dyads_b
                .iter()
                .fold(0i64, |sum, &word| add(sum, narrow_dyad(word)))
        } else {
            two_word_entries(dyads_b).fold(0i64, add)
        };
        let shared = two_word_entries(evidence_b).fold(0i128, |sum, (key, weight)| match evidence
            .get(key)
        {
            Some(mine) => sum + i128::from(mine.min(weight)),
            None => sum,
        });
        let header_a = &self.words[self.starts[a]..self.starts[a] + HEADER];
        combine_measures(
            dot,
            f64::from_bits(header_a[0]),
            f64::from_bits(header_b[0]),
            shared,
            f64::from_bits(header_a[1]),
            f64::from_bits(header_b[1]),
        )
    }
}

/// The (key, value) entries of a run of two-word entries: a wide dyad, or an evidence key.
fn two_word_entries(words: &[u64]) -> impl Iterator<Item = (u64, i64)> + '_ {
    words.chunks_exact(2).map(|pair| (pair[0], pair[1] as i64))
}

/// The (id, score) of a one-word dyad.
fn narrow_dyad(word: u64) -> (u64, i64) {
    (word >> 32, i64::from(word as u32 as i32))
}

/// One document's entries (dyads or shared evidence keys) for lookups by key: a small
/// open-addressing table, so that a document scored against its candidates is read from
/// the cache instead of merged with each candidate's sorted list (whose compare-and-branch
/// per step went the wrong way about half the time).
#[derive(Default)]
struct Lookup {
    /// (key, value, owner): a slot holds an entry of the current document while its owner
    /// is the document's stamp, so nothing needs clearing between documents.
    slots: Vec<(u64, i64, u32)>,
    stamp: u32,
}

impl Lookup {
    /// Holds `entries` (unique keys), replacing what it held, under `stamp` (never 0, and
    /// different from every stamp this table was filled under before).
    fn fill(&mut self, entries: &[(u64, i64)], stamp: u32) {
        // At most a quarter full, so most lookups end at their first slot.
        let wanted = (entries.len() * 4).next_power_of_two().max(16);
        if wanted > self.slots.len() {
            self.slots = vec![(0, 0, 0); wanted];
        }
        self.stamp = stamp;
        let mask = self.slots.len() - 1;
        for &(key, value) in entries {
            let mut slot = Self::home(key) & mask;
            while self.slots[slot].2 == stamp {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = (key, value, stamp);
        }
    }

    /// The value held for `key` (none before the first fill).
    fn get(&self, key: u64) -> Option<i64> {
        // A power of two (or 0, when nothing was filled: every slot then reads as free).
        let mask = self.slots.len().wrapping_sub(1);
        let mut slot = Self::home(key) & mask;
        loop {
            let (held, value, owner) = *self.slots.get(slot)?;
            if owner != self.stamp {
                return None;
            }
            if held == key {
                return Some(value);
            }
            slot = (slot + 1) & mask;
        }
    }

    fn home(key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize
    }
}

/// The `k` most similar documents of each document, among the candidates the inverted
/// indexes (dyad → documents, evidence key → documents) give, bounded by [`POSTING_WINDOW`].
/// `names` orders ties. Each list is sorted by (decreasing similarity, name).
///
/// Being a candidate is symmetric (`b` is within the window of `a` in a posting list exactly
/// when `a` is within the window of `b`), and so is `pair` (test builds), so each unordered
/// pair is scored once, by the smaller document, and offered to both documents' lists. A list
/// keeps the `k` best under a strict total order, so the result does not depend on the order
/// in which pairs arrive, or on the number of threads.
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
    let dyad_postings = Postings::new(dyad_postings, vectors.len());
    let evidence_postings = Postings::new(evidence_postings, vectors.len());
    let packed = Packed::new(vectors, |doc, index| evidence_postings.shared(doc, index));
    // Ties go by (name, index): each document's rank in that order.
    let mut order: Vec<usize> = (0..vectors.len()).collect();
    if !names.is_sorted() {
        order.par_sort_by(|&a, &b| names[a].cmp(names[b]).then(a.cmp(&b)));
    }
    let mut rank = vec![0u32; vectors.len()];
    for (position, &doc) in order.iter().enumerate() {
        rank[doc] = position as u32;
    }
    let better =
        |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1).then(rank[a.0].cmp(&rank[b.0]));
    let lists: Vec<std::sync::Mutex<Best>> = (0..vectors.len())
        .map(|_| std::sync::Mutex::new(Best::default()))
        .collect();
    // The score of each full list's worst entry (as `f64` bits; -inf while the list is not
    // full). Lists only get better, so a value read without the lock is at most the current
    // one, and a candidate scoring strictly below it would be turned away anyway: most offers
    // are decided without taking the lock. Equal scores go to the lock, for the tie-break.
    let floors: Vec<AtomicU64> = (0..vectors.len())
        .map(|_| AtomicU64::new(f64::NEG_INFINITY.to_bits()))
        .collect();
    let offer = |doc: usize, candidate: (usize, f64)| {
        if candidate.1 < f64::from_bits(floors[doc].load(Ordering::Relaxed)) {
            return;
        }
        // A poisoned lock only means another worker panicked; its list is still sound.
        let mut list = lists[doc]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        list.offer(candidate, k, &better);
        if list.0.len() == k
            && let Some(worst) = list.0.last()
        {
            floors[doc].store(worst.1.to_bits(), Ordering::Relaxed);
        }
    };
    (0..vectors.len()).into_par_iter().for_each_init(
        || (Vec::new(), Lookup::default(), Lookup::default()),
        |(candidates, dyads, evidence), doc| {
            candidates.clear();
            dyad_postings.windows(doc as u32, candidates);
            evidence_postings.windows(doc as u32, candidates);
            candidates.retain(|&other| other as usize > doc);
            if candidates.is_empty() {
                return;
            }
            candidates.sort_unstable();
            candidates.dedup();
            // Each candidate's record and floor read first, in a loop of independent loads
            // the processor runs many of at once, so that scoring and offering below find
            // them in the cache instead of waiting on one miss after another.
            let warm = candidates.iter().fold(0u64, |acc, &other| {
                let other = other as usize;
                let (first, last) = packed.bounds(other);
                acc ^ first ^ last ^ floors[other].load(Ordering::Relaxed)
            });
            std::hint::black_box(warm);
            // Stamps are unique per document, and documents fewer than u32::MAX (ids).
            let stamp = doc as u32 + 1;
            dyads.fill(&packed.dyads(doc), stamp);
            evidence.fill(&packed.evidence(doc), stamp);
            for &other in candidates.iter() {
                let other = other as usize;
                let score = packed.pair_with(doc, dyads, evidence, other);
                offer(doc, (other, score));
                offer(other, (doc, score));
            }
        },
    );
    lists
        .into_iter()
        .map(|list| {
            list.into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0
        })
        .collect()
}

/// The best candidates of one document so far, sorted best first.
#[derive(Default)]
struct Best(Vec<(usize, f64)>);

impl Best {
    /// Keeps `candidate` if it is among the `k` best under `better` (a strict total order).
    fn offer(
        &mut self,
        candidate: (usize, f64),
        k: usize,
        better: &impl Fn(&(usize, f64), &(usize, f64)) -> std::cmp::Ordering,
    ) {
        if self.0.len() == k
            && self
                .0
                .last()
                .is_some_and(|worst| better(&candidate, worst).is_ge())
        {
            return;
        }
        let position = self
            .0
            .partition_point(|kept| better(kept, &candidate).is_lt());
        self.0.insert(position, candidate);
        self.0.truncate(k);
    }
}

#[cfg(test)]
mod tests;

//! Parallel, deterministic comparison of scored documents across a corpus.
//!
//! `compare` owns everything that looks at more than one document: the corpus stance matrix,
//! contested dyads, document similarity, timelines, groups and actor profiles. It also owns the
//! parallel driver that scores a corpus ([`score_corpus`]), because rayon lives only here.
//!
//! # Public API
//!
//! ```text
//! pub struct Options { group_by: Option<String>, full_similarity_max_docs: usize /* 2000 */,
//!                      top_k: usize /* 10 */, threads: Option<usize> }          // impl Default
//! pub fn score_corpus(scorer: &score::Scorer, docs: &[ingest::Document]) -> Vec<score::ScoredDocument>
//! pub fn score_records<T: Send>(scorer: &score::Scorer, records: Vec<ingest::Record>,
//!                               finish: &(dyn Fn(ingest::Document, score::ScoredDocument) -> T + Sync))
//!     -> Vec<Result<T, ingest::Error>>
//! pub fn compare(docs: &[score::ScoredDocument], options: &Options) -> Comparison
//! pub struct Collector;  // new(&Options), add(&mut self, &[score::ScoredDocument]) /* a batch */,
//!                        // add_contributions(&mut self, impl IntoIterator<Item = Contribution>),
//!                        // finish(self) -> Comparison /* == compare of every batch at once */
//! pub struct Contribution; // new(&ScoredDocument, &Options): what a Collector keeps of a document
//! pub struct Comparison { actors: Vec<String>, corpus: Vec<CorpusDyad>, contested: Vec<Contested>,
//!                         similarity: Similarity, timeline: Vec<TimelineDyad>,
//!                         profiles: Vec<Profile>, groups: Option<Groups> }
//! pub struct CorpusDyad { source, target: String, mean, stdev: f64, documents: usize,
//!                         min, max: DocScore, per_document: Vec<DocScore> /* by id */,
//!                         conciliatory, hawkish: score::Weight, cues: u64 }
//! pub struct DocScore { doc: Arc<str>, score: f64 } // std::sync::Arc: results share one copy
//!                                                   // of an id or date instead of one each
//! pub struct Contested { source, target: String, measure: f64,
//!                        conciliatory_docs, hawkish_docs: Vec<ContestedDoc> /* by id */ }
//! pub struct ContestedDoc { doc: Arc<str>, score: f64, evidence: Option<score::Evidence> }
//! pub enum Similarity { Full { documents: Vec<String>, matrix: SimilarityMatrix },
//!                       TopK { documents: Vec<String>, k: usize, neighbours: Vec<Vec<DocScore>> } }
//! pub struct SimilarityMatrix; // len(), rows(range): rows are computed when read, a range at
//!                             // a time, never all held
//! pub struct TimelineDyad { source, target: String, points: Vec<TimelinePoint> /* by (date, id) */,
//!                           months: Vec<MonthBucket>, undated: usize }
//! pub struct TimelinePoint { date: Arc<str>, doc: Arc<str>, score: f64 }
//! pub struct MonthBucket { month: String /* YYYY-MM */, mean: f64, documents: usize }
//! pub struct Profile { actor: String, as_source: RoleStance, as_target: RoleStance }
//! pub struct RoleStance { mean: f64, dyads: usize, observations: usize }
//! pub struct Groups { field: String, groups: Vec<Group>, contested: Vec<Contested>,
//!                     similarity: Similarity /* documents = group names */ }
//! pub struct Group { name: String, documents: Vec<String>, corpus: Vec<CorpusDyad>,
//!                    contested: Vec<Contested>, profiles: Vec<Profile> }
//! pub struct Partial;   // Default (identity), from_document(&ScoredDocument, Option<&str>),
//!                       // of_document(&ScoredDocument, Option<&str>) /* corpus + group key */,
//!                       // merge(self, Partial) -> Partial, finalize(&self) -> Vec<Aggregate>,
//!                       // to_parts(&self) -> PartialParts, from_parts(PartialParts) -> Partial
//! pub struct PartialParts { groups: Vec<(Option<String>, u64)>, rows: Vec<PartialRow> }
//! pub struct PartialRow { group: Option<String>, source, target: String, documents: u64,
//!                         mass, weighted_score, weighted_square: i128, conciliatory, hawkish: i64,
//!                         cues: u64, observations: Vec<(PartialObservation, u64)> }
//! pub struct PartialObservation { doc: String, score, mass: i64, date: Option<String>,
//!                                 conciliatory, hawkish: Option<score::Evidence> }
//! pub struct Aggregate { group: Option<String>, documents: u64, corpus, contested, timeline, profiles }
//! pub const CONTESTED_MIN_SCORE: Weight /* 0.2 */; pub const CONTESTED_MIN_EVIDENCE: Weight /* 0.3 */;
//! pub fn group_name(doc: &score::ScoredDocument, field: &str) -> String /* or NO_GROUP */
//! pub const POSTING_WINDOW: usize /* 16 */; pub const NO_GROUP: &str /* "(none)" */;
//! ```
//!
//! # Determinism
//!
//! The result of [`compare`] depends only on the input documents, never on the thread count,
//! work stealing or hash seeds: the same corpus gives `==` results in pools of 1, 2 or 8
//! threads. Partial aggregates ([`Partial`]) hold only integers (weights and scores in
//! fixed-point 1/10 000 units, products in `i128`) in sorted maps, so merging them is exact,
//! associative and commutative, and splitting the corpus into shards and merging gives exactly
//! the single-run result. Floats appear only in [`Partial::finalize`] and in the per-pair
//! similarity, each computed sequentially from integers in a fixed order. Every list is
//! sorted: dyads by (source, target), documents by id, neighbours by (−similarity, id),
//! contested dyads by (−measure, source, target). Duplicate document ids are kept as separate
//! observations.
//!
//! # Measures
//!
//! For a directed dyad in document `d` with conciliatory total `C_d` and hawkish total `H_d`
//! (negative weights count as 0):
//!
//! - **Document score** `s_d = score::dyad_score(C_d, H_d)`, rounded to 1/10 000 and clamped
//!   to [-1, 1]. **Evidence mass** `w_d = C_d + H_d`.
//! - **Mean** (corpus, group, month, profile): the evidence-weighted mean `Σ w_d s_d / Σ w_d`
//!   (0 when `Σ w_d = 0`). A profile's `as_source` mean runs over every (document, dyad)
//!   where the actor is the source; `as_target` where it is the target.
//! - **Stdev**: the evidence-weighted population standard deviation
//!   `√(Σ w_d s_d² / Σ w_d − mean²)`, computed as `√((Σw·Σws² − (Σws)²) / (Σw)²)` in integers.
//! - **Sides and contested dyads**: a document's dyad takes the conciliatory side when
//!   `s_d ≥ 0.2` ([`CONTESTED_MIN_SCORE`]) and the hawkish side when `s_d ≤ −0.2`, in both
//!   cases only if `w_d ≥ 0.3` ([`CONTESTED_MIN_EVIDENCE`]: one explicit act of approval or
//!   disapproval on the built-in lexicon's scale, such as criticize or praise, while a lone
//!   meeting or visit, 0.15-0.2, is not enough). A dyad is contested when both sides are
//!   non-empty. Its **measure** is the weighted variance of all its document scores (stdev²)
//!   times the evidence mass of the weaker side
//!   `min(Σ_{conciliatory} w_d, Σ_{hawkish} w_d)`: wide disagreement backed by real evidence on
//!   both sides ranks first. Each side document carries its strongest evidence on that side
//!   (highest weight, then earliest sentence and byte offset).
//! - **Similarity**, in [-1, 1], symmetric, exactly 1.0 on the diagonal:
//!   `sim(a, b) = overlap + (1 − overlap) · cos`, where `cos` is the cosine of the two score
//!   vectors over the union of their dyads (a dyad only one document covers adds to that
//!   document's norm and so lowers the similarity; scores already grow with evidence through
//!   the shrinkage in `dyad_score`, which is how evidence weighs in), and `overlap` is the
//!   shared evidence: each document's evidence keys (FNV-1a hash of the lowercased,
//!   whitespace-collapsed sentence text plus the cue pattern, from dyads and tone, each key
//!   weighted by its largest weight in the document) give
//!   `overlap = Σ_shared min(w_a, w_b) / √(W_a · W_b)` in [0, 1]. Documents reporting the same
//!   stances come close to 1, opposite stances close to −1, and a document that quotes another
//!   at length shares many evidence keys, so its similarity is pulled toward 1 whatever the
//!   scores. Documents without evidence have similarity 0 to every other document.
//! - **Top-k mode**: above [`Options::full_similarity_max_docs`] documents (default 2 000)
//!   only the [`Options::top_k`] (default 10) nearest neighbours per document are kept
//!   ([`Similarity::TopK`]). Candidates come from inverted indexes dyad → documents and
//!   evidence key → documents; each posting list is ordered by (score or weight, document)
//!   and a document is compared with at most [`POSTING_WINDOW`] (16) documents on either side
//!   of itself in each list, so the work per document is at most
//!   `32 · (dyads + evidence keys)` pair computations, whatever the corpus size. Documents that
//!   share nothing have similarity 0 and are not listed; lists may hold fewer than `k`.
//! - **Timeline**: dated documents ordered by (date, id); months are the `YYYY-MM` prefix of
//!   the date (dates without one are left out of the buckets but kept as points).
//! - **Groups**: documents are grouped by `outlet`, `date`, `year` (first 4 characters of the
//!   date), `month` (first 7), `id`, `title`, or any metadata key; documents without the field
//!   go to [`NO_GROUP`]. Between groups, each group counts as one item whose score is its
//!   weighted mean and whose mass is its total evidence, with the same side rule and measure;
//!   group similarity uses per dyad the weighted mean score and per evidence key the summed
//!   weight of the group's documents.

#![deny(missing_docs)]

mod model;
mod partial;
mod similarity;

pub use model::{
    Aggregate, Comparison, Contested, ContestedDoc, CorpusDyad, DocScore, Group, Groups,
    MonthBucket, Options, Profile, RoleStance, Similarity, TimelineDyad, TimelinePoint,
};
pub use partial::{
    CONTESTED_MIN_EVIDENCE, CONTESTED_MIN_SCORE, Partial, PartialObservation, PartialParts,
    PartialRow,
};
pub use similarity::{POSTING_WINDOW, SimilarityMatrix};

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use score::ScoredDocument;

use crate::partial::{DocumentObservations, Observations};
use crate::similarity::{DocVector, KeyHash};

/// The group of documents that lack the grouping field.
pub const NO_GROUP: &str = "(none)";

/// Scores every document in parallel; the output is in input order.
pub fn score_corpus(scorer: &score::Scorer, docs: &[ingest::Document]) -> Vec<ScoredDocument> {
    docs.par_iter().map(|doc| scorer.score(doc)).collect()
}

/// Builds every record into a document, scores it and hands both to `finish`, all in
/// parallel, one record per task; the output is in input order.
///
/// This is the whole per-document pipeline after reading: a caller that only reads records
/// in order and writes what `finish` returns keeps nothing serial but its IO. Whatever
/// `finish` computes (a rendered report line, say) depends only on its record, so the output
/// does not depend on the thread count.
pub fn score_records<T: Send>(
    scorer: &score::Scorer,
    records: Vec<ingest::Record>,
    finish: &(dyn Fn(ingest::Document, ScoredDocument) -> T + Sync),
) -> Vec<Result<T, ingest::Error>> {
    // One record per task: rayon otherwise hands a worker a run of records that no other
    // worker can take from it once started, and at the end of a batch one worker scored the
    // rest of such a run while the other had nothing to do (a few milliseconds per batch of
    // the seeds).
    records
        .into_par_iter()
        .with_max_len(1)
        .map(|record| {
            let doc = record.build()?;
            let scored = scorer.score(&doc);
            Ok(finish(doc, scored))
        })
        .collect()
}

/// Sets the number of worker threads for every later parallel call in this process (scoring
/// and comparison). Call it once, before any parallel work; later calls have no effect.
/// Results never depend on the thread count.
pub fn use_threads(threads: usize) {
    // An error only means the pool was already set up: keep it, as documented.
    let _ = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global();
}

/// Compares scored documents. See the crate docs for the measures and the determinism promise.
pub fn compare(docs: &[ScoredDocument], options: &Options) -> Comparison {
    let mut collector = Collector::new(options);
    collector.add(docs);
    collector.finish()
}

/// Builds a [`Comparison`] from documents handed over a batch at a time, keeping only what the
/// comparison needs (each (document, dyad) observation with its strongest evidence per side,
/// and each document's sparse vector; not the rest of its evidence), so a caller can drop each
/// batch once it is added.
///
/// Adding a corpus in any number of batches gives exactly [`compare`] of the whole corpus:
/// documents are ordered by (id, arrival) at the end, and everything else is integer sums.
pub struct Collector {
    options: Options,
    pool: Option<rayon::ThreadPool>,
    observations: Observations,
    docs: Vec<Collected>,
    /// Dyad (source, target) → provisional id, in order of first sight.
    dyads: std::collections::HashMap<(String, String), u32, KeyHash>,
}

/// What a [`Collector`] keeps of one document. It depends only on the document and the
/// options, so it can be computed wherever the document is (on the worker that scored it),
/// leaving [`Collector::add_contributions`] only bookkeeping.
pub struct Contribution {
    observations: DocumentObservations,
    id: String,
    /// (source, target, C, H), one per dyad of the document.
    dyads: Vec<(String, String, i64, i64)>,
    /// Evidence key → largest weight, sorted by key.
    evidence: Vec<(u64, i64)>,
}

impl Contribution {
    /// `doc`'s contribution to a comparison under `options` (its group, when grouping).
    pub fn new(doc: &ScoredDocument, options: &Options) -> Contribution {
        // The evidence weights serve the document's vector and its group's totals.
        let evidence: Vec<(u64, i64)> = similarity::evidence_weights(doc).into_iter().collect();
        let group = options
            .group_by
            .as_deref()
            .map(|field| group_name(doc, field));
        let observations = Observations::of_document(doc, group.as_deref(), &evidence);
        let dyads = doc
            .dyads
            .iter()
            .map(|dyad| {
                (
                    dyad.source.clone(),
                    dyad.target.clone(),
                    dyad.conciliatory.0,
                    dyad.hawkish.0,
                )
            })
            .collect();
        Contribution {
            observations,
            id: doc.id.clone(),
            dyads,
            evidence,
        }
    }
}

/// What the similarity needs of one document.
struct Collected {
    id: String,
    /// (provisional dyad id, C, H), one per dyad of the document.
    dyads: Vec<(u32, i64, i64)>,
    /// Evidence key → largest weight, sorted by key.
    evidence: Vec<(u64, i64)>,
}

impl Collector {
    /// An empty collector; `options` apply to every later call.
    pub fn new(options: &Options) -> Collector {
        let pool = options
            .threads
            .filter(|&threads| threads > 0)
            .and_then(|threads| {
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .ok()
            });
        Collector {
            options: options.clone(),
            pool,
            observations: Observations::default(),
            docs: Vec::new(),
            dyads: std::collections::HashMap::default(),
        }
    }

    fn install<R: Send>(&self, work: impl FnOnce() -> R + Send) -> R {
        match &self.pool {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }

    /// Adds a batch of documents (their contributions are computed in parallel).
    pub fn add(&mut self, docs: &[ScoredDocument]) {
        let options = &self.options;
        let contributions: Vec<Contribution> = self.install(|| {
            docs.par_iter()
                .map(|doc| Contribution::new(doc, options))
                .collect()
        });
        self.add_contributions(contributions);
    }

    /// Adds documents' contributions, computed beforehand with the same options (on the
    /// workers that scored them, say); what is left here is bookkeeping. The same documents
    /// give the same comparison as [`Collector::add`], in any number of calls.
    pub fn add_contributions(&mut self, contributions: impl IntoIterator<Item = Contribution>) {
        for contribution in contributions {
            let Contribution {
                observations,
                id,
                dyads: named,
                evidence,
            } = contribution;
            let mut dyads = Vec::with_capacity(named.len());
            for (source, target, conciliatory, hawkish) in named {
                let next = self.dyads.len() as u32;
                let id = *self.dyads.entry((source, target)).or_insert(next);
                dyads.push((id, conciliatory, hawkish));
            }
            self.observations
                .add(observations, dyads.iter().map(|&(id, _, _)| id));
            self.docs.push(Collected {
                id,
                dyads,
                evidence,
            });
        }
    }

    /// The comparison of every document added so far.
    pub fn finish(self) -> Comparison {
        let Collector {
            options,
            pool,
            observations,
            docs,
            dyads,
        } = self;
        let work = || {
            // The (source, target) of each provisional id, by id.
            let mut names: Vec<(&(String, String), u32)> =
                dyads.iter().map(|(name, &id)| (name, id)).collect();
            names.sort_unstable_by_key(|&(_, id)| id);
            let names: Vec<&(String, String)> = names.into_iter().map(|(name, _)| name).collect();
            finish(observations.into_partial(&names), docs, &names, &options)
        };
        match &pool {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }
}

fn finish(
    partial: Partial,
    mut docs: Vec<Collected>,
    // The (source, target) of each provisional dyad id, by id.
    names: &[&(String, String)],
    options: &Options,
) -> Comparison {
    // A stable sort keeps documents with the same id in arrival order.
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    let corpus = partial
        .finalize_where(|group| group.is_none())
        .pop()
        .unwrap_or_default();
    let actors: Vec<String> = {
        let mut actors: Vec<&str> = corpus
            .corpus
            .iter()
            .flat_map(|dyad| [dyad.source.as_str(), dyad.target.as_str()])
            .collect();
        actors.sort_unstable();
        actors.dedup();
        actors.into_iter().map(str::to_owned).collect()
    };
    // Dyad ids in (source, target) order, the corpus matrix's order.
    let mut by_name: Vec<u32> = (0..names.len() as u32).collect();
    by_name.sort_unstable_by_key(|&id| names[id as usize]);
    let mut final_id = vec![0u32; names.len()];
    for (position, &provisional_id) in by_name.iter().enumerate() {
        final_id[provisional_id as usize] = position as u32;
    }
    let groups = options
        .group_by
        .as_deref()
        .map(|field| partial.groups(field, options));
    // The totals (with every observation's evidence) are the largest thing held; the rest
    // needs only the vectors.
    partial.drop_in_parallel();
    let vectors: Vec<DocVector> = docs
        .par_iter_mut()
        .map(|doc| {
            let mut totals: BTreeMap<u32, (i64, i64)> = BTreeMap::new();
            for &(id, c, h) in &doc.dyads {
                let slot = totals.entry(final_id[id as usize]).or_default();
                slot.0 = slot.0.saturating_add(c.max(0));
                slot.1 = slot.1.saturating_add(h.max(0));
            }
            DocVector::from_totals(totals, std::mem::take(&mut doc.evidence))
        })
        .collect();
    let ids: Vec<&str> = docs.iter().map(|doc| doc.id.as_str()).collect();
    let doc_similarity = similarity_of(&vectors, &ids, options);

    Comparison {
        actors,
        corpus: corpus.corpus,
        contested: corpus.contested,
        similarity: doc_similarity,
        timeline: corpus.timeline,
        profiles: corpus.profiles,
        groups,
    }
}

/// The value of `field` for `doc` (as `--group-by` reads it), or [`NO_GROUP`].
pub fn group_name(doc: &ScoredDocument, field: &str) -> String {
    let date_prefix = |len: usize| {
        let date = doc.date.as_deref()?;
        let prefix = if len == 7 {
            partial::month_of(date)?
        } else {
            date.get(0..len)?
        };
        let digits = prefix.get(0..4)?.bytes().all(|b| b.is_ascii_digit());
        digits.then(|| prefix.to_owned())
    };
    let value = match field {
        "outlet" => doc.outlet.clone(),
        "date" => doc.date.clone(),
        "year" => date_prefix(4),
        "month" => date_prefix(7),
        "id" => Some(doc.id.clone()),
        "title" => doc.title.clone(),
        key => doc.metadata.get(key).cloned(),
    };
    value
        .filter(|value| !value.trim().is_empty())
        .unwrap_or_else(|| NO_GROUP.to_owned())
}

/// Builds the similarity of `vectors` named `names` (both in output order).
pub(crate) fn similarity_of(
    vectors: &[DocVector],
    names: &[&str],
    options: &Options,
) -> Similarity {
    let documents: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
    if vectors.len() <= options.full_similarity_max_docs {
        Similarity::Full {
            documents,
            matrix: SimilarityMatrix::new(vectors),
        }
    } else {
        // Each name is allocated once and shared: with `k` neighbours per document, copying
        // the name of each neighbour made about a million tiny strings per 100 000 documents.
        let shared: Vec<Arc<str>> = names.iter().map(|&name| Arc::from(name)).collect();
        let neighbours = similarity::top_k(vectors, names, options.top_k)
            .into_iter()
            .map(|row| {
                row.into_iter()
                    .map(|(other, score)| DocScore {
                        doc: Arc::clone(&shared[other]),
                        score,
                    })
                    .collect()
            })
            .collect();
        Similarity::TopK {
            documents,
            k: options.top_k,
            neighbours,
        }
    }
}

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;

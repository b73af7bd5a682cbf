//! The plain-data result types of a comparison.

use std::sync::Arc;

use crate::SimilarityMatrix;

/// How [`crate::compare`] runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Group documents by this field (`outlet`, `year`, `month`, `date`, `id`, `title`, or any
    /// metadata key); `None` for no grouping.
    pub group_by: Option<String>,
    /// Largest number of documents (or groups) for which the full similarity matrix is built;
    /// above it only the `top_k` nearest neighbours are kept.
    pub full_similarity_max_docs: usize,
    /// Number of neighbours kept per document in top-k mode.
    pub top_k: usize,
    /// Number of worker threads; `None` uses the current rayon pool. The result never depends on it.
    pub threads: Option<usize>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            group_by: None,
            full_similarity_max_docs: 2_000,
            top_k: 10,
            threads: None,
        }
    }
}

/// The whole comparison of a corpus. Every list is sorted as its field says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Comparison {
    /// Every actor that appears as source or target of a dyad, sorted.
    pub actors: Vec<String>,
    /// The corpus stance matrix, one row per directed dyad, sorted by (source, target).
    pub corpus: Vec<CorpusDyad>,
    /// Contested dyads, sorted by decreasing measure, then (source, target).
    pub contested: Vec<Contested>,
    /// Document-to-document similarity.
    pub similarity: Similarity,
    /// Dated scores per dyad, sorted by (source, target).
    pub timeline: Vec<TimelineDyad>,
    /// One profile per actor, sorted by actor.
    pub profiles: Vec<Profile>,
    /// Per-group results, when [`Options::group_by`] is set.
    pub groups: Option<Groups>,
}

/// One directed dyad across a set of documents.
#[derive(Debug, Clone, PartialEq)]
pub struct CorpusDyad {
    /// Source actor code.
    pub source: String,
    /// Target actor code.
    pub target: String,
    /// Evidence-weighted mean of the per-document scores, in [-1, 1].
    pub mean: f64,
    /// Evidence-weighted (population) standard deviation of the per-document scores.
    pub stdev: f64,
    /// Number of documents that score this dyad.
    pub documents: usize,
    /// The most hawkish document (lowest score; ties go to the smallest id).
    pub min: DocScore,
    /// The most conciliatory document (highest score; ties go to the smallest id).
    pub max: DocScore,
    /// Every document's score, sorted by id.
    pub per_document: Vec<DocScore>,
    /// Total conciliatory evidence weight.
    pub conciliatory: score::Weight,
    /// Total hawkish evidence weight.
    pub hawkish: score::Weight,
    /// Total number of cue occurrences.
    pub cues: u64,
}

/// A document (or group) id with a number: a dyad score or a similarity.
#[derive(Debug, Clone, PartialEq)]
pub struct DocScore {
    /// Document id (or group name); results share one copy instead of allocating one each.
    pub doc: Arc<str>,
    /// The score, rounded to 1/10 000 for dyad scores.
    pub score: f64,
}

/// A dyad that documents (or groups) score with opposite signs on real evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Contested {
    /// Source actor code.
    pub source: String,
    /// Target actor code.
    pub target: String,
    /// Weighted variance times the evidence on the weaker side (see the crate docs).
    pub measure: f64,
    /// The documents on the conciliatory side, sorted by id.
    pub conciliatory_docs: Vec<ContestedDoc>,
    /// The documents on the hawkish side, sorted by id.
    pub hawkish_docs: Vec<ContestedDoc>,
}

/// One side-taking document of a contested dyad.
#[derive(Debug, Clone, PartialEq)]
pub struct ContestedDoc {
    /// Document id (or group name); results share one copy instead of allocating one each.
    pub doc: Arc<str>,
    /// Its score for the dyad.
    pub score: f64,
    /// Its strongest evidence on its side (highest weight, then earliest position).
    pub evidence: Option<score::Evidence>,
}

/// Similarity between documents (or groups), in [-1, 1], symmetric, 1.0 on the diagonal.
#[derive(Debug, Clone, PartialEq)]
pub enum Similarity {
    /// The full matrix, rows and columns in the order of `documents` (sorted by id).
    Full {
        /// Document ids, sorted.
        documents: Vec<String>,
        /// Row `i`, column `j` is the similarity of `documents[i]` and `documents[j]`; rows
        /// are computed as they are read.
        matrix: SimilarityMatrix,
    },
    /// Only the `k` most similar documents per document, among those that share a dyad or an
    /// evidence key with it (see the crate docs for the per-posting-list bound).
    TopK {
        /// Document ids, sorted.
        documents: Vec<String>,
        /// Neighbours kept per document.
        k: usize,
        /// `neighbours[i]` for `documents[i]`, sorted by (decreasing similarity, id).
        neighbours: Vec<Vec<DocScore>>,
    },
}

impl Default for Similarity {
    fn default() -> Similarity {
        Similarity::Full {
            documents: Vec::new(),
            matrix: SimilarityMatrix::default(),
        }
    }
}

/// The dated scores of one dyad.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineDyad {
    /// Source actor code.
    pub source: String,
    /// Target actor code.
    pub target: String,
    /// Dated documents, sorted by (date, id).
    pub points: Vec<TimelinePoint>,
    /// Monthly buckets, sorted by month.
    pub months: Vec<MonthBucket>,
    /// Number of documents without a date (left out of `points`).
    pub undated: usize,
}

/// One dated document score.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelinePoint {
    /// The document's date as given (normally `YYYY-MM-DD`), shared like `doc`.
    pub date: Arc<str>,
    /// Document id; results share one copy instead of allocating one each.
    pub doc: Arc<str>,
    /// Its score for the dyad.
    pub score: f64,
}

/// The documents of one month.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthBucket {
    /// `YYYY-MM`.
    pub month: String,
    /// Evidence-weighted mean score of the month's documents.
    pub mean: f64,
    /// Number of documents.
    pub documents: usize,
}

/// How an actor acts and how it is treated.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Actor code.
    pub actor: String,
    /// Its stance toward others (dyads where it is the source).
    pub as_source: RoleStance,
    /// Others' stance toward it (dyads where it is the target).
    pub as_target: RoleStance,
}

/// An actor's evidence-weighted mean stance in one role.
#[derive(Debug, Clone, PartialEq)]
pub struct RoleStance {
    /// Evidence-weighted mean over every (document, dyad) in this role; 0 when there is none.
    pub mean: f64,
    /// Number of distinct dyads in this role.
    pub dyads: usize,
    /// Number of (document, dyad) observations in this role.
    pub observations: usize,
}

/// Results per group of documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Groups {
    /// The field the documents were grouped by.
    pub field: String,
    /// One entry per group, sorted by name (`(none)` holds documents without the field).
    pub groups: Vec<Group>,
    /// Dyads that groups score with opposite signs; `doc` fields hold group names.
    pub contested: Vec<Contested>,
    /// Similarity between groups; `documents` holds group names.
    pub similarity: Similarity,
}

/// One group of documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The group's value of the field, or `(none)`.
    pub name: String,
    /// Its document ids, sorted.
    pub documents: Vec<String>,
    /// Its stance matrix, sorted by (source, target).
    pub corpus: Vec<CorpusDyad>,
    /// Dyads contested between its documents.
    pub contested: Vec<Contested>,
    /// Its actor profiles, sorted by actor.
    pub profiles: Vec<Profile>,
}

/// What [`crate::Partial::finalize`] yields for one group key.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Aggregate {
    /// The group, `None` for the partial built without a group.
    pub group: Option<String>,
    /// Number of documents merged into this group.
    pub documents: u64,
    /// Stance matrix, sorted by (source, target).
    pub corpus: Vec<CorpusDyad>,
    /// Contested dyads, sorted by decreasing measure, then (source, target).
    pub contested: Vec<Contested>,
    /// Dated scores per dyad.
    pub timeline: Vec<TimelineDyad>,
    /// Actor profiles, sorted by actor.
    pub profiles: Vec<Profile>,
}

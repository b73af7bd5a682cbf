//! The `stance compare` report: corpus matrix, contested dyads, similarity, timeline, profiles.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};

use super::{DocumentReport, ErrorReport, EvidenceReport, F4, evidence_report};

/// A document (or group) with a score.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DocScoreReport {
    pub(crate) doc: Arc<str>,
    pub(crate) score: F4,
}

/// One dyad across the corpus.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CorpusDyadReport {
    pub(crate) conciliatory: F4,
    pub(crate) cues: u64,
    pub(crate) documents: usize,
    pub(crate) hawkish: F4,
    pub(crate) max: DocScoreReport,
    pub(crate) mean: F4,
    pub(crate) min: DocScoreReport,
    pub(crate) per_document: BTreeMap<Arc<str>, F4>,
    pub(crate) source: String,
    pub(crate) stdev: F4,
    pub(crate) target: String,
}

/// The corpus matrix and its dyads.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CorpusReport {
    pub(crate) dyads: Vec<CorpusDyadReport>,
    pub(crate) matrix: BTreeMap<String, BTreeMap<String, F4>>,
}

/// One side-taking document of a contested dyad.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContestedDocReport {
    pub(crate) doc: Arc<str>,
    pub(crate) evidence: Option<EvidenceReport>,
    pub(crate) score: F4,
}

/// A dyad scored with opposite signs by different documents.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ContestedReport {
    pub(crate) conciliatory_docs: Vec<ContestedDocReport>,
    pub(crate) hawkish_docs: Vec<ContestedDocReport>,
    pub(crate) measure: F4,
    pub(crate) source: String,
    pub(crate) target: String,
}

/// The full similarity matrix of a report: an array of rows of [`F4`]s, each row computed as
/// it is written ([`compare::SimilarityMatrix`] holds no values).
#[derive(Debug, Clone, Default)]
pub(crate) struct MatrixReport(pub(crate) compare::SimilarityMatrix);

/// Rows of a full matrix read at a time, wherever the matrix is written (computed in parallel
/// by [`compare::SimilarityMatrix::rows`], then written in order): a round holds 256 rows
/// (20 MB at 10,000 documents), and a failed write stops the rest within one round.
pub(crate) const MATRIX_ROWS_PER_ROUND: usize = 256;

impl Serialize for MatrixReport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let matrix = &self.0;
        let mut rows = serializer.serialize_seq(Some(matrix.len()))?;
        for round in (0..matrix.len()).step_by(MATRIX_ROWS_PER_ROUND) {
            for row in matrix.rows(round..matrix.len().min(round + MATRIX_ROWS_PER_ROUND)) {
                rows.serialize_element(&MatrixRow(&row))?;
            }
        }
        rows.end()
    }
}

/// One row of the full similarity matrix, its values rounded as [`F4`] rounds them.
pub(crate) struct MatrixRow<'a>(pub(crate) &'a [f64]);

impl Serialize for MatrixRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|&value| F4(value)))
    }
}

/// Document similarity: the full matrix, or the top-k neighbours of each document.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(crate) enum SimilarityReport {
    Full {
        documents: Vec<String>,
        matrix: MatrixReport,
        mode: &'static str,
    },
    TopK {
        documents: Vec<String>,
        k: usize,
        mode: &'static str,
        neighbours: Vec<Vec<DocScoreReport>>,
    },
}

/// One dated score of a dyad.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TimelinePointReport {
    pub(crate) date: Arc<str>,
    pub(crate) doc: Arc<str>,
    pub(crate) score: F4,
}

/// One month of a dyad's timeline.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct MonthReport {
    pub(crate) documents: usize,
    pub(crate) mean: F4,
    pub(crate) month: String,
}

/// The dated scores of one dyad.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TimelineReport {
    pub(crate) months: Vec<MonthReport>,
    pub(crate) points: Vec<TimelinePointReport>,
    pub(crate) source: String,
    pub(crate) target: String,
    pub(crate) undated: usize,
}

/// An actor's mean stance in one role.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RoleReport {
    pub(crate) dyads: usize,
    pub(crate) mean: F4,
    pub(crate) observations: usize,
}

/// How an actor acts (as source) and is treated (as target).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProfileReport {
    pub(crate) actor: String,
    pub(crate) as_source: RoleReport,
    pub(crate) as_target: RoleReport,
}

/// One group of documents (`--group-by`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GroupReport {
    pub(crate) contested: Vec<ContestedReport>,
    pub(crate) corpus: CorpusReport,
    pub(crate) documents: Vec<String>,
    pub(crate) name: String,
    pub(crate) profiles: Vec<ProfileReport>,
}

/// Results per group (`--group-by`).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct GroupsReport {
    pub(crate) contested: Vec<ContestedReport>,
    pub(crate) field: String,
    pub(crate) groups: Vec<GroupReport>,
    pub(crate) similarity: SimilarityReport,
}

/// `stance compare --format json`.
#[derive(Debug, Serialize)]
pub(crate) struct CompareReport {
    pub(crate) actors: Vec<String>,
    pub(crate) contested: Vec<ContestedReport>,
    pub(crate) corpus: CorpusReport,
    pub(crate) documents: Vec<DocumentReport>,
    pub(crate) errors: Vec<ErrorReport>,
    pub(crate) groups: Option<GroupsReport>,
    pub(crate) profiles: Vec<ProfileReport>,
    pub(crate) schema: &'static str,
    pub(crate) similarity: SimilarityReport,
    pub(crate) timeline: Vec<TimelineReport>,
}

fn doc_score(value: compare::DocScore) -> DocScoreReport {
    DocScoreReport {
        doc: value.doc,
        score: F4(value.score),
    }
}

/// The report of contested dyads; the strings move, none is copied.
pub(super) fn contested_report(contested: Vec<compare::Contested>) -> Vec<ContestedReport> {
    let side = |docs: Vec<compare::ContestedDoc>| -> Vec<ContestedDocReport> {
        docs.into_iter()
            .map(|doc| ContestedDocReport {
                evidence: doc.evidence.as_ref().map(evidence_report),
                doc: doc.doc,
                score: F4(doc.score),
            })
            .collect()
    };
    contested
        .into_par_iter()
        .map(|c| ContestedReport {
            conciliatory_docs: side(c.conciliatory_docs),
            hawkish_docs: side(c.hawkish_docs),
            measure: F4(c.measure),
            source: c.source,
            target: c.target,
        })
        .collect()
}

/// The report of a timeline; the strings move, none is copied.
pub(super) fn timeline_report(timeline: Vec<compare::TimelineDyad>) -> Vec<TimelineReport> {
    timeline
        .into_par_iter()
        .map(|t| TimelineReport {
            months: t
                .months
                .into_iter()
                .map(|m| MonthReport {
                    documents: m.documents,
                    mean: F4(m.mean),
                    month: m.month,
                })
                .collect(),
            points: t
                .points
                .into_iter()
                .map(|p| TimelinePointReport {
                    date: p.date,
                    doc: p.doc,
                    score: F4(p.score),
                })
                .collect(),
            source: t.source,
            target: t.target,
            undated: t.undated,
        })
        .collect()
}

/// The report of a similarity; the names move.
fn similarity_report(similarity: compare::Similarity) -> SimilarityReport {
    match similarity {
        compare::Similarity::Full { documents, matrix } => SimilarityReport::Full {
            documents,
            matrix: MatrixReport(matrix),
            mode: "full",
        },
        compare::Similarity::TopK {
            documents,
            k,
            neighbours,
        } => SimilarityReport::TopK {
            documents,
            k,
            mode: "top_k",
            neighbours: neighbours
                .into_par_iter()
                .map(|row| row.into_iter().map(doc_score).collect())
                .collect(),
        },
    }
}

/// The report of the corpus dyads, with their matrix; the per-document names move.
pub(super) fn corpus_report(dyads: Vec<compare::CorpusDyad>) -> CorpusReport {
    let mut matrix: BTreeMap<String, BTreeMap<String, F4>> = BTreeMap::new();
    for dyad in &dyads {
        matrix
            .entry(dyad.source.clone())
            .or_default()
            .insert(dyad.target.clone(), F4(dyad.mean));
    }
    let reports = dyads
        .into_par_iter()
        .map(|dyad| CorpusDyadReport {
            conciliatory: F4(dyad.conciliatory.as_f64()),
            cues: dyad.cues,
            documents: dyad.documents,
            hawkish: F4(dyad.hawkish.as_f64()),
            max: doc_score(dyad.max),
            mean: F4(dyad.mean),
            min: doc_score(dyad.min),
            per_document: dyad
                .per_document
                .into_iter()
                .map(|d| (d.doc, F4(d.score)))
                .collect(),
            source: dyad.source,
            stdev: F4(dyad.stdev),
            target: dyad.target,
        })
        .collect();
    CorpusReport {
        dyads: reports,
        matrix,
    }
}

fn role(role: &compare::RoleStance) -> RoleReport {
    RoleReport {
        dyads: role.dyads,
        mean: F4(role.mean),
        observations: role.observations,
    }
}

pub(super) fn profiles_report(profiles: &[compare::Profile]) -> Vec<ProfileReport> {
    profiles
        .iter()
        .map(|p| ProfileReport {
            actor: p.actor.clone(),
            as_source: role(&p.as_source),
            as_target: role(&p.as_target),
        })
        .collect()
}

pub(crate) fn groups_report(groups: compare::Groups) -> GroupsReport {
    GroupsReport {
        contested: contested_report(groups.contested),
        field: groups.field,
        groups: groups
            .groups
            .into_iter()
            .map(|g| GroupReport {
                contested: contested_report(g.contested),
                corpus: corpus_report(g.corpus),
                documents: g.documents,
                name: g.name,
                profiles: profiles_report(&g.profiles),
            })
            .collect(),
        similarity: similarity_report(groups.similarity),
    }
}

/// Builds the compare report from the scored documents' reports and the comparison, dropping
/// each part of the comparison once its report exists, to keep the peak low.
pub(crate) fn compare_report(
    documents: Vec<DocumentReport>,
    comparison: compare::Comparison,
    errors: Vec<ErrorReport>,
) -> CompareReport {
    let compare::Comparison {
        actors,
        corpus,
        contested,
        similarity,
        timeline,
        profiles,
        groups,
    } = comparison;
    let contested_reports = contested_report(contested);
    let corpus_reports = corpus_report(corpus);
    let groups = groups.map(groups_report);
    let profiles = profiles_report(&{ profiles });
    let similarity = similarity_report(similarity);
    let timeline_reports = timeline_report(timeline);
    CompareReport {
        actors,
        contested: contested_reports,
        corpus: corpus_reports,
        documents,
        errors,
        groups,
        profiles,
        schema: super::SCHEMA,
        similarity,
        timeline: timeline_reports,
    }
}

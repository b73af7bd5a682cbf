//! The `stance compare` report: corpus matrix, contested dyads, similarity, timeline, profiles.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::{DocumentReport, ErrorReport, EvidenceReport, F4, evidence_report};

/// A document (or group) with a score.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DocScoreReport {
    pub(crate) doc: String,
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
    pub(crate) per_document: BTreeMap<String, F4>,
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
    pub(crate) doc: String,
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

/// Document similarity: the full matrix, or the top-k neighbours of each document.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub(crate) enum SimilarityReport {
    Full {
        documents: Vec<String>,
        matrix: Vec<Vec<F4>>,
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
    pub(crate) date: String,
    pub(crate) doc: String,
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

fn doc_score(value: &compare::DocScore) -> DocScoreReport {
    DocScoreReport {
        doc: value.doc.clone(),
        score: F4(value.score),
    }
}

pub(super) fn corpus_report(dyads: &[compare::CorpusDyad]) -> CorpusReport {
    let mut matrix: BTreeMap<String, BTreeMap<String, F4>> = BTreeMap::new();
    for dyad in dyads {
        matrix
            .entry(dyad.source.clone())
            .or_default()
            .insert(dyad.target.clone(), F4(dyad.mean));
    }
    // Dyad by dyad in parallel; the indexed collect keeps their order.
    let reports = dyads
        .par_iter()
        .map(|dyad| CorpusDyadReport {
            conciliatory: F4(dyad.conciliatory.as_f64()),
            cues: dyad.cues,
            documents: dyad.documents,
            hawkish: F4(dyad.hawkish.as_f64()),
            max: doc_score(&dyad.max),
            mean: F4(dyad.mean),
            min: doc_score(&dyad.min),
            per_document: dyad
                .per_document
                .iter()
                .map(|d| (d.doc.clone(), F4(d.score)))
                .collect(),
            source: dyad.source.clone(),
            stdev: F4(dyad.stdev),
            target: dyad.target.clone(),
        })
        .collect();
    CorpusReport {
        dyads: reports,
        matrix,
    }
}

fn contested_doc(doc: &compare::ContestedDoc) -> ContestedDocReport {
    ContestedDocReport {
        doc: doc.doc.clone(),
        evidence: doc.evidence.as_ref().map(evidence_report),
        score: F4(doc.score),
    }
}

pub(super) fn contested_report(contested: &[compare::Contested]) -> Vec<ContestedReport> {
    contested
        .par_iter()
        .map(|c| ContestedReport {
            conciliatory_docs: c.conciliatory_docs.iter().map(contested_doc).collect(),
            hawkish_docs: c.hawkish_docs.iter().map(contested_doc).collect(),
            measure: F4(c.measure),
            source: c.source.clone(),
            target: c.target.clone(),
        })
        .collect()
}

fn similarity_report(similarity: &compare::Similarity) -> SimilarityReport {
    match similarity {
        compare::Similarity::Full { documents, matrix } => SimilarityReport::Full {
            documents: documents.clone(),
            matrix: matrix
                .par_iter()
                .map(|row| row.iter().map(|&v| F4(v)).collect())
                .collect(),
            mode: "full",
        },
        compare::Similarity::TopK {
            documents,
            k,
            neighbours,
        } => SimilarityReport::TopK {
            documents: documents.clone(),
            k: *k,
            mode: "top_k",
            neighbours: neighbours
                .par_iter()
                .map(|row| row.iter().map(doc_score).collect())
                .collect(),
        },
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

pub(super) fn timeline_report(timeline: &[compare::TimelineDyad]) -> Vec<TimelineReport> {
    timeline
        .par_iter()
        .map(|t| TimelineReport {
            months: t
                .months
                .iter()
                .map(|m| MonthReport {
                    documents: m.documents,
                    mean: F4(m.mean),
                    month: m.month.clone(),
                })
                .collect(),
            points: t
                .points
                .iter()
                .map(|p| TimelinePointReport {
                    date: p.date.clone(),
                    doc: p.doc.clone(),
                    score: F4(p.score),
                })
                .collect(),
            source: t.source.clone(),
            target: t.target.clone(),
            undated: t.undated,
        })
        .collect()
}

pub(crate) fn groups_report(groups: &compare::Groups) -> GroupsReport {
    GroupsReport {
        contested: contested_report(&groups.contested),
        field: groups.field.clone(),
        groups: groups
            .groups
            .iter()
            .map(|g| GroupReport {
                contested: contested_report(&g.contested),
                corpus: corpus_report(&g.corpus),
                documents: g.documents.clone(),
                name: g.name.clone(),
                profiles: profiles_report(&g.profiles),
            })
            .collect(),
        similarity: similarity_report(&groups.similarity),
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
    let contested_reports = contested_report(&contested);
    drop_in_parallel(contested);
    let corpus_reports = corpus_report(&corpus);
    drop_in_parallel(corpus);
    let groups = groups.as_ref().map(groups_report);
    let profiles = profiles_report(&{ profiles });
    let similarity = similarity_report(&{ similarity });
    let timeline_reports = timeline_report(&timeline);
    drop_in_parallel(timeline);
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

/// Drops `items` on the rayon workers, one by one: a comparison's lists hold millions of small
/// strings.
fn drop_in_parallel<T: Send>(items: Vec<T>) {
    items.into_par_iter().for_each(drop);
}

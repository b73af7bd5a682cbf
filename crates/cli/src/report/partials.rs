//! Partials lines (`stance score --format partials`, `stance merge`): a document's mergeable
//! integer totals, and the compare parts that can be finalized from them.

use serde::{Deserialize, Serialize};

use super::comparison::{
    ContestedReport, CorpusReport, GroupsReport, ProfileReport, TimelineReport, contested_report,
    corpus_report, groups_report, profiles_report, timeline_report,
};
use super::{ErrorReport, EvidenceReport, evidence_report, parse_evidence};

/// The schema name of a partials line.
pub(crate) const PARTIALS_SCHEMA: &str = "stance/1-partials";

/// One line of partials: the integer totals of one document (or of merged documents).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PartialsLine {
    /// The document id, for a line written by `stance score` (absent once merged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) doc: Option<String>,
    /// Inputs that `stance score --inline-errors` rejected, carried through merges so that
    /// the end of a distributed run still reports them (absent when there are none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) errors: Vec<ErrorReport>,
    /// Named groups' evidence weights, for the similarity between groups (absent when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) evidence: Vec<EvidenceWeight>,
    /// The `--group-by` field the named groups come from (absent without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) group_by: Option<String>,
    pub(crate) groups: Vec<GroupCount>,
    pub(crate) keys: Vec<KeyLine>,
    /// Named groups' member documents (absent when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) members: Vec<Member>,
    pub(crate) schema: String,
}

/// One evidence key of a named group with its summed weight (weight units).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EvidenceWeight {
    pub(crate) group: String,
    pub(crate) key: u64,
    pub(crate) weight: i64,
}

/// One member document of a named group, with its multiplicity.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Member {
    pub(crate) count: u64,
    pub(crate) doc: String,
    pub(crate) group: String,
}

/// Documents counted under one group (`null` is the whole corpus).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GroupCount {
    pub(crate) documents: u64,
    pub(crate) group: Option<String>,
}

/// The integer totals of one (group, source, target) key.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KeyLine {
    pub(crate) conciliatory: i64,
    pub(crate) cues: u64,
    pub(crate) documents: u64,
    pub(crate) group: Option<String>,
    pub(crate) hawkish: i64,
    pub(crate) mass: i128,
    pub(crate) observations: Vec<ObservationLine>,
    pub(crate) source: String,
    pub(crate) target: String,
    pub(crate) weighted_score: i128,
    pub(crate) weighted_square: i128,
}

/// One document's view of one dyad, with its multiplicity.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ObservationLine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) conciliatory: Option<EvidenceReport>,
    pub(crate) count: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) date: Option<String>,
    pub(crate) doc: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) hawkish: Option<EvidenceReport>,
    pub(crate) mass: i64,
    pub(crate) score: i64,
}

/// The parts of `stance compare --format json` that merged partials determine.
#[derive(Debug, Serialize)]
pub(crate) struct FinalizedReport {
    pub(crate) contested: Vec<ContestedReport>,
    pub(crate) corpus: CorpusReport,
    pub(crate) documents: u64,
    /// Inputs rejected upstream and carried in the partials (absent when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) errors: Vec<ErrorReport>,
    /// The named groups, when the partials were written with `--group-by`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) groups: Option<GroupsReport>,
    pub(crate) profiles: Vec<ProfileReport>,
    pub(crate) schema: &'static str,
    pub(crate) timeline: Vec<TimelineReport>,
}

/// The partials line of `partial`, naming `doc` when it comes from one document.
pub(crate) fn partials_line(partial: &compare::Partial, doc: Option<&str>) -> PartialsLine {
    let parts = partial.to_parts();
    PartialsLine {
        doc: doc.map(str::to_owned),
        errors: Vec::new(),
        evidence: parts
            .evidence
            .into_iter()
            .map(|(group, key, weight)| EvidenceWeight { group, key, weight })
            .collect(),
        group_by: None,
        members: parts
            .members
            .into_iter()
            .map(|(group, doc, count)| Member { count, doc, group })
            .collect(),
        groups: parts
            .groups
            .into_iter()
            .map(|(group, documents)| GroupCount { documents, group })
            .collect(),
        keys: parts
            .rows
            .into_iter()
            .map(|row| KeyLine {
                conciliatory: row.conciliatory,
                cues: row.cues,
                documents: row.documents,
                group: row.group,
                hawkish: row.hawkish,
                mass: row.mass,
                observations: row
                    .observations
                    .into_iter()
                    .map(|(observation, count)| ObservationLine {
                        conciliatory: observation.conciliatory.as_ref().map(evidence_report),
                        count,
                        date: observation.date,
                        doc: observation.doc,
                        hawkish: observation.hawkish.as_ref().map(evidence_report),
                        mass: observation.mass,
                        score: observation.score,
                    })
                    .collect(),
                source: row.source,
                target: row.target,
                weighted_score: row.weighted_score,
                weighted_square: row.weighted_square,
            })
            .collect(),
        schema: PARTIALS_SCHEMA.to_owned(),
    }
}

/// The partials line of one scored document: the corpus key, and the `group_by` field's key.
pub(crate) fn document_partials(
    doc: &score::ScoredDocument,
    group_by: Option<&str>,
) -> PartialsLine {
    let group = group_by.map(|field| compare::group_name(doc, field));
    let partial = compare::Partial::of_document(doc, group.as_deref());
    let mut line = partials_line(&partial, Some(&doc.id));
    line.group_by = group_by.map(str::to_owned);
    line
}

/// Reads a partials line back into a partial; a wrong schema or evidence is an error.
pub(crate) fn read_partials_line(line: PartialsLine) -> Result<compare::Partial, String> {
    if line.schema != PARTIALS_SCHEMA {
        return Err(format!(
            "schema {:?} is not {PARTIALS_SCHEMA:?}",
            line.schema
        ));
    }
    let evidence = |report: Option<EvidenceReport>| report.as_ref().map(parse_evidence).transpose();
    let mut rows = Vec::with_capacity(line.keys.len());
    for key in line.keys {
        let mut observations = Vec::with_capacity(key.observations.len());
        for observation in key.observations {
            observations.push((
                compare::PartialObservation {
                    conciliatory: evidence(observation.conciliatory)?,
                    date: observation.date,
                    doc: observation.doc,
                    hawkish: evidence(observation.hawkish)?,
                    mass: observation.mass,
                    score: observation.score,
                },
                observation.count,
            ));
        }
        rows.push(compare::PartialRow {
            group: key.group,
            source: key.source,
            target: key.target,
            documents: key.documents,
            mass: key.mass,
            weighted_score: key.weighted_score,
            weighted_square: key.weighted_square,
            conciliatory: key.conciliatory,
            hawkish: key.hawkish,
            cues: key.cues,
            observations,
        });
    }
    Ok(compare::Partial::from_parts(compare::PartialParts {
        groups: line
            .groups
            .into_iter()
            .map(|count| (count.group, count.documents))
            .collect(),
        rows,
        members: line
            .members
            .into_iter()
            .map(|member| (member.group, member.doc, member.count))
            .collect(),
        evidence: line
            .evidence
            .into_iter()
            .map(|item| (item.group, item.key, item.weight))
            .collect(),
    }))
}

/// The compare parts of the corpus key (`group` null) of `partial`, with the `errors` carried
/// in the partials, and the named groups under `group_by` when the partials have one.
pub(crate) fn finalized_report(
    partial: &compare::Partial,
    errors: Vec<ErrorReport>,
    group_by: Option<&str>,
    options: &compare::Options,
) -> FinalizedReport {
    let corpus = partial
        .finalize()
        .into_iter()
        .find(|aggregate| aggregate.group.is_none())
        .unwrap_or_default();
    FinalizedReport {
        contested: contested_report(corpus.contested),
        corpus: corpus_report(corpus.corpus),
        documents: corpus.documents,
        errors,
        groups: group_by.map(|field| groups_report(partial.groups(field, options))),
        profiles: profiles_report(&corpus.profiles),
        schema: super::SCHEMA,
        timeline: timeline_report(corpus.timeline),
    }
}

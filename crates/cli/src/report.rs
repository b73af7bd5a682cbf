//! The serialisable report types (the JSON contract `stance/1`) and conversions into them.
//!
//! These are the only `Serialize` types in the workspace: the libraries' types stay free to
//! change, and this module freezes what users see. Fields are declared in alphabetical order
//! so that serde writes sorted keys; maps are `BTreeMap`s; floats go through [`F4`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize, Serializer};

mod comparison;
mod direct;
pub(crate) mod marked;
mod partials;

pub(crate) use comparison::{
    CompareReport, ContestedDocReport, MATRIX_ROWS_PER_ROUND, MatrixRow, SimilarityReport,
    compare_report,
};
pub(crate) use direct::{
    Direct, Layout, direct_element, document_compact, document_element, document_line,
    document_marked, size_hint, stream_document,
};
pub(crate) use partials::{
    PartialsLine, document_partials, finalized_report, partials_line, read_partials_line,
};

/// The schema tag written into every report and every JSONL line.
pub(crate) const SCHEMA: &str = "stance/1";

/// A float written rounded to 4 decimals, with `-0.0` written as `0.0`.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(transparent)]
pub(crate) struct F4(pub(crate) f64);

impl F4 {
    /// The rounded value that will be written.
    pub(crate) fn rounded(self) -> f64 {
        let value = (self.0 * 10_000.0).round() / 10_000.0;
        if value == 0.0 || !value.is_finite() {
            0.0
        } else {
            value
        }
    }
}

impl Serialize for F4 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.rounded())
    }
}

/// One piece of evidence: a cue occurrence in one sentence.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct EvidenceReport {
    pub(crate) cue: String,
    pub(crate) end: usize,
    pub(crate) modifiers: Box<[Cow<'static, str>]>,
    pub(crate) sentence: usize,
    pub(crate) stance: String,
    pub(crate) start: usize,
    pub(crate) text: String,
    pub(crate) weight: F4,
}

/// One directed dyad in one document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DyadReport {
    pub(crate) conciliatory: F4,
    pub(crate) cues: u32,
    pub(crate) evidence: Vec<EvidenceReport>,
    pub(crate) hawkish: F4,
    pub(crate) score: F4,
    pub(crate) source: String,
    pub(crate) target: String,
}

/// One actor's undirected tone in one document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ToneReport {
    pub(crate) actor: String,
    pub(crate) conciliatory: F4,
    pub(crate) cues: u32,
    pub(crate) evidence: Vec<EvidenceReport>,
    pub(crate) hawkish: F4,
    pub(crate) score: F4,
}

/// One scored document: the `documents[]` entry of every report and one JSONL line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DocumentReport {
    pub(crate) date: Option<String>,
    pub(crate) dyads: Vec<DyadReport>,
    pub(crate) id: String,
    pub(crate) matrix: BTreeMap<String, BTreeMap<String, F4>>,
    pub(crate) metadata: BTreeMap<String, String>,
    pub(crate) outlet: Option<String>,
    /// Present on JSONL lines only, so each line stands alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) schema: Option<String>,
    pub(crate) sentences: usize,
    pub(crate) title: Option<String>,
    pub(crate) tone: Vec<ToneReport>,
    pub(crate) warnings: Vec<String>,
}

/// An input (or a record inside one) that was rejected.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ErrorReport {
    /// `path` or `path:line`.
    pub(crate) input: String,
    pub(crate) message: String,
}

/// `stance score --format json`.
#[derive(Debug, Serialize)]
pub(crate) struct ScoreReport {
    pub(crate) documents: Vec<DocumentReport>,
    pub(crate) errors: Vec<ErrorReport>,
    pub(crate) schema: &'static str,
}

fn stance_name(stance: score::Stance) -> String {
    stance.as_str().to_string()
}

fn evidence_report(evidence: &score::Evidence) -> EvidenceReport {
    EvidenceReport {
        cue: evidence.cue.to_string(),
        end: evidence.end,
        modifiers: evidence.modifiers.clone(),
        sentence: evidence.sentence,
        stance: stance_name(evidence.stance),
        start: evidence.start,
        text: evidence.text.to_string(),
        weight: F4(evidence.weight.as_f64()),
    }
}

/// Converts a scored document into its report form.
pub(crate) fn document_report(doc: &score::ScoredDocument) -> DocumentReport {
    let mut matrix: BTreeMap<String, BTreeMap<String, F4>> = BTreeMap::new();
    let mut dyads = Vec::with_capacity(doc.dyads.len());
    for dyad in &doc.dyads {
        matrix
            .entry(dyad.source.clone())
            .or_default()
            .insert(dyad.target.clone(), F4(dyad.score()));
        dyads.push(DyadReport {
            conciliatory: F4(dyad.conciliatory.as_f64()),
            cues: dyad.cues,
            evidence: dyad.evidence.iter().map(|e| evidence_report(e)).collect(),
            hawkish: F4(dyad.hawkish.as_f64()),
            score: F4(dyad.score()),
            source: dyad.source.clone(),
            target: dyad.target.clone(),
        });
    }
    dyads.sort_by(|a, b| (&a.source, &a.target).cmp(&(&b.source, &b.target)));
    let mut tone: Vec<ToneReport> = doc
        .tone
        .iter()
        .map(|tone| ToneReport {
            actor: tone.actor.clone(),
            conciliatory: F4(tone.conciliatory.as_f64()),
            cues: tone.cues,
            evidence: tone.evidence.iter().map(|e| evidence_report(e)).collect(),
            hawkish: F4(tone.hawkish.as_f64()),
            score: F4(tone.score()),
        })
        .collect();
    tone.sort_by(|a, b| a.actor.cmp(&b.actor));
    DocumentReport {
        date: doc.date.clone(),
        dyads,
        id: doc.id.clone(),
        matrix,
        metadata: doc.metadata.clone(),
        outlet: doc.outlet.clone(),
        schema: None,
        sentences: doc.sentences,
        title: doc.title.clone(),
        tone,
        warnings: doc.warnings.clone(),
    }
}

fn parse_stance(name: &str) -> Result<score::Stance, String> {
    match name {
        "hawkish" => Ok(score::Stance::Hawkish),
        "conciliatory" => Ok(score::Stance::Conciliatory),
        other => Err(format!("unknown stance {other:?}")),
    }
}

fn parse_evidence(evidence: &EvidenceReport) -> Result<score::Evidence, String> {
    Ok(score::Evidence {
        sentence: evidence.sentence,
        start: evidence.start,
        end: evidence.end,
        cue: evidence.cue.as_str().into(),
        stance: parse_stance(&evidence.stance)?,
        weight: score::Weight::from_f64(evidence.weight.0),
        modifiers: evidence.modifiers.clone(),
        text: evidence.text.as_str().into(),
    })
}

/// Converts a report (read back from JSONL) into the scored document it was written from.
///
/// Weights round-trip exactly: they are multiples of 1/10 000 written with 4 decimals.
pub(crate) fn scored_document(report: &DocumentReport) -> Result<score::ScoredDocument, String> {
    let mut dyads = Vec::with_capacity(report.dyads.len());
    for dyad in &report.dyads {
        dyads.push(score::DyadScore {
            source: dyad.source.clone(),
            target: dyad.target.clone(),
            conciliatory: score::Weight::from_f64(dyad.conciliatory.0),
            hawkish: score::Weight::from_f64(dyad.hawkish.0),
            cues: dyad.cues,
            evidence: dyad
                .evidence
                .iter()
                .map(|e| parse_evidence(e).map(std::sync::Arc::new))
                .collect::<Result<_, _>>()?,
        });
    }
    dyads.sort_by(|a, b| (&a.source, &a.target).cmp(&(&b.source, &b.target)));
    let mut tone = Vec::with_capacity(report.tone.len());
    for entry in &report.tone {
        tone.push(score::ToneScore {
            actor: entry.actor.clone(),
            conciliatory: score::Weight::from_f64(entry.conciliatory.0),
            hawkish: score::Weight::from_f64(entry.hawkish.0),
            cues: entry.cues,
            evidence: entry
                .evidence
                .iter()
                .map(|e| parse_evidence(e).map(std::sync::Arc::new))
                .collect::<Result<_, _>>()?,
        });
    }
    tone.sort_by(|a, b| a.actor.cmp(&b.actor));
    Ok(score::ScoredDocument {
        id: report.id.clone(),
        title: report.title.clone(),
        date: report.date.clone(),
        outlet: report.outlet.clone(),
        metadata: report.metadata.clone(),
        sentences: report.sentences,
        dyads,
        tone,
        warnings: report.warnings.clone(),
    })
}

/// Writes a report as pretty JSON followed by a newline, straight to `out` (no copy in memory).
pub(crate) fn write_json_pretty<T: Serialize>(
    out: &mut dyn std::io::Write,
    value: &T,
) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// `\n` and the indentation of a pretty-printed value `depth` levels down.
pub(crate) fn indentation(depth: usize) -> Vec<u8> {
    let mut prefix = vec![b' '; 1 + 2 * depth];
    prefix[0] = b'\n';
    prefix
}

/// Appends `value` as an element of a pretty-printed array `depth` levels down: the bytes of
/// [`pretty_element`] with [`indentation`]`(depth)`, written in one pass by serde_json with
/// [`Indented`] as its formatter rather than pretty-printed and then copied line by line. The
/// report's inserted arrays are written by the direct writer; this is what tests compare it
/// with.
#[cfg(test)]
pub(crate) fn indented_element(
    out: &mut Vec<u8>,
    value: &impl Serialize,
    depth: usize,
) -> serde_json::Result<()> {
    out.push(b'\n');
    out.resize(out.len() + 2 * depth, b' ');
    let formatter = Indented {
        depth,
        has_value: false,
    };
    value.serialize(&mut serde_json::Serializer::with_formatter(out, formatter))
}

/// serde_json's pretty layout (two spaces per level, `": "` after keys, `[]` and `{}` when
/// empty) for a value that starts `depth` levels down.
#[cfg(test)]
struct Indented {
    depth: usize,
    /// Whether the innermost open container has an element yet.
    has_value: bool,
}

#[cfg(test)]
impl Indented {
    fn newline<W: ?Sized + std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        writer.write_all(b"\n")?;
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        bracket: &[u8],
    ) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.newline(writer)?;
        }
        writer.write_all(bracket)
    }

    fn item<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        self.newline(writer)
    }
}

#[cfg(test)]
impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(writer, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        _writer: &mut W,
    ) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, writer: &mut W) -> std::io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        _writer: &mut W,
    ) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Appends `value` as an element of a pretty-printed array: `prefix` (from [`indentation`])
/// before each of its lines, as `serde_json`'s pretty printer indents it at that depth. The
/// definition [`indented_element`] and the direct writer are tested against.
#[cfg(test)]
pub(crate) fn pretty_element(
    out: &mut Vec<u8>,
    value: &impl Serialize,
    prefix: &[u8],
) -> serde_json::Result<()> {
    let pretty = serde_json::to_vec_pretty(value)?;
    out.reserve(pretty.len() + pretty.len() / 8);
    // A JSON string never holds a raw newline, so every newline is between tokens.
    for line in pretty.split(|&byte| byte == b'\n') {
        out.extend_from_slice(prefix);
        out.extend_from_slice(line);
    }
    Ok(())
}

#[cfg(test)]
mod tests;

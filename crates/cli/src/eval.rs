//! `stance eval`: accuracy against gold sentences with coded dyads.
//!
//! Each gold line is `{"id", "text", "events": [{"source", "target", "polarity": 1 | -1}]}`
//! (extra fields ignored; `phenomenon` or `category`, when present, groups the figures). Every
//! sentence is scored as its own document. Measures, per file and per group:
//!
//! - dyad recall: gold events whose directed dyad the engine reports at all;
//! - signed recall: … reported with the gold sign;
//! - precision: reported non-zero dyads that match a gold event of the same sign;
//! - F1 of precision and signed recall;
//! - polarity accuracy: among gold events whose dyad is reported with a non-zero score, the share
//!   with the right sign.
//!
//! Every miss is listed for error analysis as a missed dyad, a wrong sign, a wrong direction
//! (source and target swapped) or a false positive, with the evidence the engine used.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::Context;
use clap::Args;
use serde::{Deserialize, Serialize};

use crate::Outcome;
use crate::options::ModelArgs;

/// Arguments of `stance eval`.
#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    /// Gold files: JSONL, one `{"id", "text", "events": [{"source", "target", "polarity"}]}` a line.
    #[arg(value_name = "GOLD", required = true)]
    pub(crate) gold: Vec<std::path::PathBuf>,
    #[command(flatten)]
    pub(crate) model: ModelArgs,
    /// Write the full report (measures, groups, every miss) as JSON.
    #[arg(long)]
    pub(crate) json: bool,
    /// List every miss with its sentence and evidence (text report).
    #[arg(long)]
    pub(crate) misses: bool,
}

/// `stance eval --json`.
#[derive(Debug, Serialize)]
struct EvalReport<'a> {
    errors: &'a [String],
    files: &'a [FileReport],
    schema: &'static str,
}

/// Runs `stance eval`: exit 1 when a gold file or line could not be read.
pub(crate) fn run(args: &EvalArgs) -> anyhow::Result<Outcome> {
    let model = args.model.load()?;
    let scorer = score::Scorer::new(&model.actors, &model.lexicon);
    let paths: Vec<&Path> = args.gold.iter().map(|p| p.as_path()).collect();
    let (reports, errors) = evaluate_paths(&scorer, &paths);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.json {
        let report = EvalReport {
            errors: &errors,
            files: &reports,
            schema: crate::report::SCHEMA,
        };
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        write_text(&mut out, &reports, args.misses)?;
    }
    out.flush()?;
    for error in &errors {
        eprintln!("stance: {error}");
    }
    let rejected = !errors.is_empty() || reports.iter().any(|r| !r.errors.is_empty());
    Ok(if rejected {
        Outcome::Rejected
    } else {
        Outcome::Success
    })
}

/// One gold sentence.
#[derive(Debug, Deserialize)]
struct GoldLine {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    events: Vec<GoldEvent>,
    #[serde(default)]
    phenomenon: Option<String>,
    #[serde(default)]
    category: Option<String>,
}

#[derive(Debug, Deserialize)]
struct GoldEvent {
    source: String,
    target: String,
    polarity: i64,
}

/// Counts behind the measures; they add up across sentences.
#[derive(Debug, Default, Clone, Copy, Serialize, PartialEq, Eq)]
pub(crate) struct Counts {
    /// Gold events with non-zero polarity.
    pub(crate) events: usize,
    /// Gold events whose directed dyad was reported.
    pub(crate) dyads_found: usize,
    /// Gold events reported with a non-zero score.
    pub(crate) dyads_signed: usize,
    /// Gold events reported with the gold sign.
    pub(crate) signed_found: usize,
    /// Reported non-zero dyads.
    pub(crate) predicted: usize,
    /// Reported non-zero dyads matching a gold event of the same sign.
    pub(crate) predicted_correct: usize,
}

impl Counts {
    fn add(&mut self, other: Counts) {
        self.events += other.events;
        self.dyads_found += other.dyads_found;
        self.dyads_signed += other.dyads_signed;
        self.signed_found += other.signed_found;
        self.predicted += other.predicted;
        self.predicted_correct += other.predicted_correct;
    }
}

/// The measures computed from [`Counts`].
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub(crate) struct Measures {
    pub(crate) dyad_recall: f64,
    pub(crate) signed_recall: f64,
    pub(crate) precision: f64,
    pub(crate) f1: f64,
    pub(crate) polarity_accuracy: f64,
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl Measures {
    pub(crate) fn of(counts: Counts) -> Measures {
        let signed_recall = ratio(counts.signed_found, counts.events);
        let precision = ratio(counts.predicted_correct, counts.predicted);
        let f1 = if signed_recall + precision == 0.0 {
            0.0
        } else {
            2.0 * signed_recall * precision / (signed_recall + precision)
        };
        Measures {
            dyad_recall: round4(ratio(counts.dyads_found, counts.events)),
            signed_recall: round4(signed_recall),
            precision: round4(precision),
            f1: round4(f1),
            polarity_accuracy: round4(ratio(counts.signed_found, counts.dyads_signed)),
        }
    }
}

/// One miss, for error analysis.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct Miss {
    pub(crate) kind: &'static str,
    pub(crate) id: String,
    pub(crate) source: String,
    pub(crate) target: String,
    /// The gold polarity (0 for a false positive).
    pub(crate) gold: i64,
    /// The engine's score for the dyad (0 when not reported).
    pub(crate) score: f64,
    pub(crate) text: String,
    /// The cues the engine used in this sentence: `SRC>TGT cue (weight, modifiers)`.
    pub(crate) evidence: Vec<String>,
}

/// The result for one gold file.
#[derive(Debug, Serialize)]
pub(crate) struct FileReport {
    pub(crate) file: String,
    pub(crate) sentences: usize,
    pub(crate) counts: Counts,
    pub(crate) measures: Measures,
    pub(crate) groups: BTreeMap<String, GroupReport>,
    pub(crate) misses: Vec<Miss>,
    pub(crate) errors: Vec<String>,
}

/// The result for one phenomenon or category.
#[derive(Debug, Serialize)]
pub(crate) struct GroupReport {
    pub(crate) sentences: usize,
    pub(crate) counts: Counts,
    pub(crate) measures: Measures,
}

/// Scores one gold sentence: its counts and misses.
fn evaluate_sentence(
    id: &str,
    text: &str,
    events: &[GoldEvent],
    scored: &score::ScoredDocument,
) -> (Counts, Vec<Miss>) {
    let mut counts = Counts::default();
    let mut misses = Vec::new();
    let gold: BTreeSet<(&str, &str, i64)> = events
        .iter()
        .filter(|e| e.polarity != 0)
        .map(|e| (e.source.as_str(), e.target.as_str(), e.polarity.signum()))
        .collect();
    let reported: BTreeMap<(&str, &str), f64> = scored
        .dyads
        .iter()
        .map(|d| ((d.source.as_str(), d.target.as_str()), d.score()))
        .collect();
    let evidence: Vec<String> = scored
        .dyads
        .iter()
        .flat_map(|d| {
            d.evidence.iter().map(move |e| {
                format!(
                    "{}>{} {} {} {:.2}{}",
                    d.source,
                    d.target,
                    e.stance.as_str(),
                    e.cue,
                    e.weight.as_f64(),
                    if e.modifiers.is_empty() {
                        String::new()
                    } else {
                        format!(" [{}]", e.modifiers.join(", "))
                    }
                )
            })
        })
        .chain(
            scored
                .tone
                .iter()
                .map(|t| format!("{} tone {:.2}", t.actor, t.score())),
        )
        .collect();
    let sign = |score: f64| {
        if score > 0.0 {
            1
        } else if score < 0.0 {
            -1
        } else {
            0
        }
    };
    let miss = |kind, source: &str, target: &str, gold, score| Miss {
        kind,
        id: id.to_string(),
        source: source.to_string(),
        target: target.to_string(),
        gold,
        score: round4(score),
        text: text.to_string(),
        evidence: evidence.clone(),
    };
    for &(source, target, polarity) in &gold {
        counts.events += 1;
        match reported.get(&(source, target)) {
            Some(&score) => {
                counts.dyads_found += 1;
                if sign(score) != 0 {
                    counts.dyads_signed += 1;
                }
                if sign(score) == polarity {
                    counts.signed_found += 1;
                } else {
                    misses.push(miss("wrong sign", source, target, polarity, score));
                }
            }
            None => {
                let kind = if reported.contains_key(&(target, source)) {
                    "wrong direction"
                } else {
                    "missed dyad"
                };
                misses.push(miss(kind, source, target, polarity, 0.0));
            }
        }
    }
    for (&(source, target), &score) in &reported {
        let s = sign(score);
        if s == 0 {
            continue;
        }
        counts.predicted += 1;
        if gold.contains(&(source, target, s)) {
            counts.predicted_correct += 1;
        } else if !gold.iter().any(|&(gs, gt, _)| (gs, gt) == (source, target)) {
            misses.push(miss("false positive", source, target, 0, score));
        }
    }
    (counts, misses)
}

/// Evaluates one gold file read from `reader`.
pub(crate) fn evaluate_file(
    scorer: &score::Scorer,
    file: &str,
    reader: &mut dyn BufRead,
) -> anyhow::Result<FileReport> {
    let mut report = FileReport {
        file: file.to_string(),
        sentences: 0,
        counts: Counts::default(),
        measures: Measures::of(Counts::default()),
        groups: BTreeMap::new(),
        misses: Vec::new(),
        errors: Vec::new(),
    };
    let mut line = String::new();
    let mut number = 0;
    loop {
        line.clear();
        if reader
            .read_line(&mut line)
            .with_context(|| format!("reading {file}"))?
            == 0
        {
            break;
        }
        number += 1;
        if line.trim().is_empty() {
            continue;
        }
        let gold: GoldLine = match serde_json::from_str(&line) {
            Ok(gold) => gold,
            Err(error) => {
                report.errors.push(format!("{file}:{number}: {error}"));
                continue;
            }
        };
        let id = match &gold.id {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let doc = ingest::Document::from_text(&id, &gold.text);
        let scored = scorer.score(&doc);
        let (counts, misses) = evaluate_sentence(&id, &gold.text, &gold.events, &scored);
        report.sentences += 1;
        report.counts.add(counts);
        report.misses.extend(misses);
        let group = gold
            .phenomenon
            .or(gold.category)
            .unwrap_or_else(|| "(none)".to_string());
        let entry = report.groups.entry(group).or_insert_with(|| GroupReport {
            sentences: 0,
            counts: Counts::default(),
            measures: Measures::of(Counts::default()),
        });
        entry.sentences += 1;
        entry.counts.add(counts);
    }
    report.measures = Measures::of(report.counts);
    for group in report.groups.values_mut() {
        group.measures = Measures::of(group.counts);
    }
    let order = |kind: &str| {
        [
            "missed dyad",
            "wrong sign",
            "wrong direction",
            "false positive",
        ]
        .iter()
        .position(|k| *k == kind)
    };
    report
        .misses
        .sort_by(|a, b| order(a.kind).cmp(&order(b.kind)).then(a.id.cmp(&b.id)));
    Ok(report)
}

/// Evaluates each gold file; a file that cannot be opened is an error for that file only.
pub(crate) fn evaluate_paths(
    scorer: &score::Scorer,
    paths: &[&Path],
) -> (Vec<FileReport>, Vec<String>) {
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        let name = path.display().to_string();
        match std::fs::File::open(path) {
            Ok(file) => {
                let mut reader = std::io::BufReader::new(file);
                match evaluate_file(scorer, &name, &mut reader) {
                    Ok(report) => reports.push(report),
                    Err(error) => errors.push(format!("{error:#}")),
                }
            }
            Err(error) => errors.push(format!("{name}: {error}")),
        }
    }
    (reports, errors)
}

/// Writes the human-readable report.
pub(crate) fn write_text(
    out: &mut dyn Write,
    reports: &[FileReport],
    show_misses: bool,
) -> std::io::Result<()> {
    for report in reports {
        let m = report.measures;
        writeln!(
            out,
            "{}: {} sentences, {} gold events",
            report.file, report.sentences, report.counts.events
        )?;
        writeln!(
            out,
            "  signed F1 {:.3}  precision {:.3}  signed recall {:.3}  dyad recall {:.3}  polarity accuracy {:.3}",
            m.f1, m.precision, m.signed_recall, m.dyad_recall, m.polarity_accuracy
        )?;
        writeln!(
            out,
            "  {:<16} {:>5} {:>6} {:>6} {:>6} {:>6} {:>6}",
            "group", "sents", "F1", "prec", "s.rec", "d.rec", "pol"
        )?;
        for (name, group) in &report.groups {
            if group.counts.events == 0 {
                // No gold events: recall and F1 mean nothing; what counts is false positives.
                writeln!(
                    out,
                    "  {:<16} {:>5}  no gold events; {} dyads reported",
                    name, group.sentences, group.counts.predicted
                )?;
                continue;
            }
            let g = group.measures;
            writeln!(
                out,
                "  {:<16} {:>5} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3}",
                name,
                group.sentences,
                g.f1,
                g.precision,
                g.signed_recall,
                g.dyad_recall,
                g.polarity_accuracy
            )?;
        }
        let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
        for miss in &report.misses {
            *by_kind.entry(miss.kind).or_default() += 1;
        }
        let summary: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
        writeln!(
            out,
            "  misses: {}",
            if summary.is_empty() {
                "none".to_string()
            } else {
                summary.join(", ")
            }
        )?;
        if show_misses {
            for miss in &report.misses {
                writeln!(
                    out,
                    "  [{}] {} {}>{} gold {:+} score {:+.3}",
                    miss.kind, miss.id, miss.source, miss.target, miss.gold, miss.score
                )?;
                writeln!(out, "      {}", miss.text)?;
                for line in &miss.evidence {
                    writeln!(out, "      - {line}")?;
                }
            }
        }
        for error in &report.errors {
            writeln!(out, "  error: {error}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use score::{DyadScore, ScoredDocument, Weight};

    fn dyad(source: &str, target: &str, c: i64, h: i64) -> DyadScore {
        DyadScore {
            source: source.into(),
            target: target.into(),
            conciliatory: Weight(c),
            hawkish: Weight(h),
            cues: 1,
            evidence: Vec::new(),
        }
    }

    fn event(source: &str, target: &str, polarity: i64) -> GoldEvent {
        GoldEvent {
            source: source.into(),
            target: target.into(),
            polarity,
        }
    }

    #[test]
    fn counts_each_kind_of_outcome() {
        let scored = ScoredDocument {
            dyads: vec![
                dyad("AAA", "BBB", 0, 5000),    // right sign
                dyad("CCC", "DDD", 5000, 0),    // wrong sign
                dyad("FFF", "EEE", 0, 5000),    // wrong direction of EEE>FFF
                dyad("GGG", "HHH", 5000, 0),    // false positive
                dyad("III", "JJJ", 5000, 5000), // zero score: not a prediction
            ],
            ..ScoredDocument::default()
        };
        let events = [
            event("AAA", "BBB", -1),
            event("CCC", "DDD", -1),
            event("EEE", "FFF", -1),
            event("XXX", "YYY", 1),
        ];
        let (counts, misses) = evaluate_sentence("s1", "text", &events, &scored);
        assert_eq!(
            counts,
            Counts {
                events: 4,
                dyads_found: 2,
                dyads_signed: 2,
                signed_found: 1,
                predicted: 4,
                predicted_correct: 1
            }
        );
        let kinds: Vec<&str> = misses.iter().map(|m| m.kind).collect();
        assert_eq!(
            kinds,
            [
                "wrong sign",
                "wrong direction",
                "missed dyad",
                "false positive",
                "false positive"
            ]
        );
        let m = Measures::of(counts);
        assert_eq!(
            (
                m.signed_recall,
                m.precision,
                m.dyad_recall,
                m.polarity_accuracy
            ),
            (0.25, 0.25, 0.5, 0.5)
        );
        assert_eq!(m.f1, 0.25);
    }

    #[test]
    fn empty_counts_give_zero_not_nan() {
        let m = Measures::of(Counts::default());
        assert_eq!(m.f1, 0.0);
        assert_eq!(m.precision, 0.0);
    }
}

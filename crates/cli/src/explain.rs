//! `stance explain`: the evidence behind one dyad, sentence by sentence.

use std::io::Write;

use anyhow::{Context, Result, bail};
use clap::Args;

use crate::Outcome;
use crate::options::{Format, InputArgs, ModelArgs, OutputArgs, ThreadArgs};
use crate::progress::Progress;
use crate::report::{self, SCHEMA, ScoreReport};
use crate::score_cmd::{Pipeline, Problems, Scored, run_pipeline};
use crate::write::{Paint, signed};

/// Arguments of `stance explain`.
#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// Source actor code (who acts), e.g. RUS.
    #[arg(long, value_name = "CODE")]
    pub(crate) source: String,
    /// Target actor code (toward whom), e.g. JPN.
    #[arg(long, value_name = "CODE")]
    pub(crate) target: String,
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) model: ModelArgs,
    #[command(flatten)]
    pub(crate) output: OutputArgs,
    #[command(flatten)]
    pub(crate) threads: ThreadArgs,
}

/// Where the cue sits inside its sentence text, as a byte range, if it can be found.
fn cue_range(
    evidence: &score::Evidence,
    sentence_starts: Option<&[usize]>,
) -> Option<(usize, usize)> {
    let text = &evidence.text;
    let range = match sentence_starts.and_then(|starts| starts.get(evidence.sentence)) {
        Some(&sentence_start) => (
            evidence.start.checked_sub(sentence_start)?,
            evidence.end.checked_sub(sentence_start)?,
        ),
        None => {
            // Read back from JSONL: no sentence offsets, so look for the cue's first word.
            let first_word = evidence
                .cue
                .split(' ')
                .next()?
                .trim_end_matches('*')
                .to_lowercase();
            let at = text.to_lowercase().find(&first_word)?;
            (at, at + (evidence.end - evidence.start))
        }
    };
    (range.0 < range.1
        && range.1 <= text.len()
        && text.is_char_boundary(range.0)
        && text.is_char_boundary(range.1))
    .then_some(range)
}

fn base_weight(lexicon: &score::Lexicon, cue: &str) -> Option<score::Cue> {
    lexicon.cues().iter().find(|c| c.pattern == cue).cloned()
}

fn write_dyad(
    out: &mut dyn Write,
    scored: &Scored,
    dyad: &score::DyadScore,
    lexicon: &score::Lexicon,
    paint: Paint,
) -> std::io::Result<()> {
    let doc = &scored.doc;
    let mut header = format!("{} -> {} in {}", dyad.source, dyad.target, doc.id);
    if let Some(date) = &doc.date {
        header.push_str(&format!(" ({date})"));
    }
    writeln!(out, "{}", paint.bold(&header))?;
    if let Some(title) = &doc.title {
        writeln!(out, "  {title}")?;
    }
    let score = dyad.score();
    writeln!(
        out,
        "  score {}  conciliatory {}  hawkish {}  cues {}",
        paint.score(score, &signed(score)),
        dyad.conciliatory,
        dyad.hawkish,
        dyad.cues
    )?;
    for evidence in &dyad.evidence {
        let text = evidence.text.trim_end();
        let sentence = match cue_range(evidence, scored.sentence_starts.as_deref()) {
            Some((start, end)) if end <= text.len() => {
                format!(
                    "{}{}{}",
                    &text[..start],
                    paint.highlight(&format!("[{}]", &text[start..end])),
                    &text[end..]
                )
            }
            _ => text.to_string(),
        };
        writeln!(
            out,
            "  s{:<4} {}",
            evidence.sentence,
            sentence.replace('\n', " ")
        )?;
        let base = base_weight(lexicon, &evidence.cue);
        let mut line = format!("        cue \"{}\"", evidence.cue);
        if let Some(base) = &base {
            line.push_str(&format!(" {} {}", base.stance.as_str(), base.weight));
        }
        if !evidence.modifiers.is_empty() {
            line.push_str(&format!(", modifiers: {}", evidence.modifiers.join(", ")));
        }
        let result = format!("{} {}", evidence.stance.as_str(), evidence.weight);
        let signed_weight = match evidence.stance {
            score::Stance::Hawkish => -evidence.weight.as_f64(),
            score::Stance::Conciliatory => evidence.weight.as_f64(),
        };
        line.push_str(&format!(" -> {}", paint.score(signed_weight, &result)));
        writeln!(out, "{line}")?;
    }
    writeln!(out)
}

/// Runs `stance explain`.
pub(crate) fn run(args: &ExplainArgs) -> Result<Outcome> {
    let source = args.source.trim().to_uppercase();
    let target = args.target.trim().to_uppercase();
    if source.is_empty() || target.is_empty() {
        bail!("--source and --target need actor codes");
    }
    let Some(paths) = args.input.resolve() else {
        crate::print_help("explain");
        return Ok(Outcome::Help);
    };
    let read_options = args.input.read_options()?;
    let model = args.model.load()?;
    for code in [&source, &target] {
        if !model.actors.list().iter().any(|actor| &actor.code == code) {
            bail!("unknown actor code {code} (see `stance actors`)");
        }
    }
    let scorer = score::Scorer::new(&model.actors, &model.lexicon);
    let mut output = args
        .output
        .open(Format::Table, &[Format::Table, Format::Json, Format::Jsonl])?;
    let paint = Paint {
        enabled: output.color,
    };
    let format = output.format;
    let pipeline = Pipeline {
        paths: &paths,
        read_options: &read_options,
        scorer: &scorer,
        sentence_starts: true,
    };
    let mut progress = Progress::new(output.quiet, "explaining");
    let mut problems = Problems::default();
    let mut collected = Vec::new();
    let mut n_found = 0usize;
    let out = &mut output.writer;
    run_pipeline(&pipeline, &mut progress, &mut problems, |batch| {
        for mut scored in batch {
            scored
                .doc
                .dyads
                .retain(|dyad| dyad.source == source && dyad.target == target);
            let Some(dyad) = scored.doc.dyads.first() else {
                continue;
            };
            n_found += 1;
            match format {
                Format::Table => write_dyad(out, &scored, dyad, &model.lexicon, paint)?,
                Format::Jsonl => {
                    scored.doc.tone.clear();
                    let mut doc = report::document_report(&scored.doc);
                    doc.schema = Some(SCHEMA.to_string());
                    serde_json::to_writer(&mut *out, &doc)?;
                    writeln!(out)?;
                }
                _ => {
                    scored.doc.tone.clear();
                    collected.push(report::document_report(&scored.doc));
                }
            }
        }
        out.flush().context("cannot write output")
    })?;
    progress.finish();
    match format {
        Format::Json => {
            let report = ScoreReport {
                documents: collected,
                errors: problems.errors.clone(),
                schema: SCHEMA,
            };
            report::write_json_pretty(out, &report)?;
        }
        Format::Table if n_found == 0 => writeln!(out, "no evidence for {source} -> {target}")?,
        _ => {}
    }
    out.flush().context("cannot write output")?;
    Ok(problems.outcome())
}

//! Writers shared by the commands: CSV quoting, the tidy dyad table, terminal matrices, colour.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use crate::report::{DocumentReport, F4};

/// The CSV header of the tidy long table.
pub(crate) const CSV_HEADER: &str = "doc_id,date,source,target,score,conciliatory,hawkish,cues";

/// Quotes one CSV field per RFC 4180: fields holding a comma, quote, CR or LF are wrapped in
/// quotes, with quotes doubled.
pub(crate) fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// Writes one CSV record (fields quoted as needed, CRLF as RFC 4180 asks).
pub(crate) fn csv_record(out: &mut dyn Write, fields: &[&str]) -> io::Result<()> {
    let line: Vec<String> = fields.iter().map(|field| csv_field(field)).collect();
    write!(out, "{}\r\n", line.join(","))
}

/// A float as written in CSV and tables: 4 decimals at most, never `-0`.
pub(crate) fn number(value: f64) -> String {
    let rounded = F4(value).rounded();
    format!("{rounded}")
}

/// Writes the tidy rows of one document: one per dyad.
pub(crate) fn csv_document(out: &mut dyn Write, doc: &DocumentReport) -> io::Result<()> {
    for dyad in &doc.dyads {
        csv_record(
            out,
            &[
                &doc.id,
                doc.date.as_deref().unwrap_or(""),
                &dyad.source,
                &dyad.target,
                &number(dyad.score.0),
                &number(dyad.conciliatory.0),
                &number(dyad.hawkish.0),
                &dyad.cues.to_string(),
            ],
        )?;
    }
    Ok(())
}

/// ANSI colours, applied only when the output wants them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Paint {
    pub(crate) enabled: bool,
}

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Bold.
    pub(crate) fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    /// Dimmed.
    pub(crate) fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }

    /// Highlighted (a cue inside its sentence): bold yellow.
    pub(crate) fn highlight(self, text: &str) -> String {
        self.wrap("1;33", text)
    }

    /// A score: red when hawkish, green when conciliatory.
    pub(crate) fn score(self, value: f64, text: &str) -> String {
        let rounded = F4(value).rounded();
        if rounded < 0.0 {
            self.wrap("31", text)
        } else if rounded > 0.0 {
            self.wrap("32", text)
        } else {
            text.to_string()
        }
    }
}

/// A signed score with 2 decimals for tables: `+0.62`, `-0.45`, `0.00`.
pub(crate) fn signed(value: f64) -> String {
    let rounded = F4(value).rounded();
    if rounded == 0.0 {
        "0.00".to_string()
    } else {
        format!("{rounded:+.2}")
    }
}

/// Writes a source × target matrix (rows sources, columns targets, `.` where absent).
pub(crate) fn matrix_table(
    out: &mut dyn Write,
    matrix: &BTreeMap<String, BTreeMap<String, F4>>,
    paint: Paint,
) -> io::Result<()> {
    let targets: BTreeSet<&String> = matrix.values().flat_map(|row| row.keys()).collect();
    if targets.is_empty() {
        return writeln!(out, "  (no dyads)");
    }
    let width = targets
        .iter()
        .map(|t| t.len())
        .chain([5])
        .max()
        .unwrap_or(5)
        + 2;
    let label_width = matrix
        .keys()
        .map(String::len)
        .chain(["src\\tgt".len()])
        .max()
        .unwrap_or(7)
        + 2;
    write!(out, "  {:<label_width$}", "src\\tgt")?;
    for target in &targets {
        write!(out, "{target:>width$}")?;
    }
    writeln!(out)?;
    for (source, row) in matrix {
        write!(out, "  {}", paint.bold(&format!("{source:<label_width$}")))?;
        for target in &targets {
            match row.get(*target) {
                Some(value) => {
                    let cell = format!("{:>width$}", signed(value.0));
                    write!(out, "{}", paint.score(value.0, &cell))?;
                }
                None => write!(out, "{}", paint.dim(&format!("{:>width$}", ".")))?,
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Writes one document's header and matrix for the table format.
pub(crate) fn table_document(
    out: &mut dyn Write,
    doc: &DocumentReport,
    paint: Paint,
) -> io::Result<()> {
    let mut header = doc.id.clone();
    for part in [doc.date.as_deref(), doc.outlet.as_deref()]
        .into_iter()
        .flatten()
    {
        header.push_str("  ");
        header.push_str(part);
    }
    writeln!(
        out,
        "{}  ({} sentences, {} dyads)",
        paint.bold(&header),
        doc.sentences,
        doc.dyads.len()
    )?;
    if let Some(title) = &doc.title {
        writeln!(out, "  {title}")?;
    }
    matrix_table(out, &doc.matrix, paint)?;
    if !doc.tone.is_empty() {
        let tones: Vec<String> = doc
            .tone
            .iter()
            .map(|tone| {
                format!(
                    "{} {}",
                    tone.actor,
                    paint.score(tone.score.0, &signed(tone.score.0))
                )
            })
            .collect();
        writeln!(out, "  tone: {}", tones.join(", "))?;
    }
    writeln!(out)
}

#[cfg(test)]
mod tests;

//! `cargo xtask memory`: the peak resident memory of `stance score`, on corpora of growing size
//! and on single documents of growing size.
//!
//! Issue 7 asks that the peak not grow with the corpus when JSONL is written (streaming), and
//! that one document cost no more than a few MB above its own size. The first shows as the same
//! peak for the seeds repeated to 21 MB and to 85 MB; the second as the peak of a one-document
//! file above that of a one-sentence document (the program, its gazetteer, lexicon and
//! matcher), next to the document's size.
//!
//! The peak is the child's `VmHWM` in `/proc/PID/status`, read every millisecond while it runs:
//! a high-water mark, so a read at any time after the peak sees it; only a peak reached in the
//! last millisecond before the process exits could be missed. Linux only.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::throughput::{
    SEED_COPIES, median, news_corpus, repeated_corpus, write_corpus, write_seeds_corpus,
};
use crate::{describe, release_stance};

/// One input and its peaks, in bytes, one per round, for each of [`THREADS`].
struct Measured {
    label: String,
    bytes: u64,
    /// Whether the input is one document (its peak is read against its size).
    one_document: bool,
    command_args: Vec<String>,
    path: PathBuf,
    peaks: [Vec<u64>; 3],
}

/// The `--threads` of each run, `None` for the default (one worker per core). The default
/// builds the worker pool on first use, `--threads` at start-up, and on a one-document input
/// the two peak differently (24 against 30 MB for 3 MB).
const THREADS: [Option<u8>; 3] = [Some(1), Some(2), None];

/// Writes the inputs, runs `stance score` on each on one thread, two, and the default,
/// `rounds` times in turn, and prints the peaks.
pub(crate) fn memory(rounds: usize) -> Result<()> {
    if rounds == 0 {
        bail!("--rounds must be at least 1");
    }
    if !Path::new("/proc/self/status").is_file() {
        bail!("peak memory is read from /proc/PID/status, which this system does not have");
    }
    let stance = release_stance()?;
    let sentence = write_corpus("one-sentence.jsonl", |_| {
        "{\"id\":\"one\",\"text\":\"Russia warned Japan.\"}\n".to_string()
    })?;
    let seeds21 = write_seeds_corpus()?;
    let seeds84 = write_corpus("seeds84.jsonl", |seeds| {
        repeated_corpus(seeds, 4 * SEED_COPIES)
    })?;
    let doc3 = write_corpus("one-document-3mb.jsonl", |seeds| {
        one_document(seeds, 3_000_000)
    })?;
    let doc30 = write_corpus("one-document-30mb.jsonl", |seeds| {
        one_document(seeds, 30_000_000)
    })?;
    let mut inputs = vec![
        measured("one sentence", &sentence, true, &[])?,
        measured("seeds21.jsonl", &seeds21, false, &[])?,
        measured("seeds84.jsonl (4× seeds21)", &seeds84, false, &[])?,
        measured("one document of 3 MB", &doc3, true, &[])?,
        measured("one document of 30 MB", &doc30, true, &[])?,
    ];
    if let Some((news, columns)) = news_corpus() {
        inputs.push(measured("news.csv", &news, false, &columns)?);
    } else {
        eprintln!("news corpus not installed (`cargo xtask corpus news`): leaving it out");
    }
    for round in 1..=rounds {
        eprintln!("round {round} of {rounds}");
        for input in &mut inputs {
            for (slot, threads) in THREADS.into_iter().enumerate() {
                let mut command = Command::new(&stance);
                command.args(["score", "--format", "jsonl", "--quiet"]);
                if let Some(threads) = threads {
                    command.arg("--threads").arg(threads.to_string());
                }
                command.args(&input.command_args).arg(&input.path);
                input.peaks[slot].push(peak_resident(&mut command)?);
            }
        }
    }
    print!("{}", table(&inputs, rounds));
    Ok(())
}

fn measured(label: &str, path: &Path, one_document: bool, args: &[String]) -> Result<Measured> {
    let bytes = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    Ok(Measured {
        label: label.to_string(),
        bytes,
        one_document,
        command_args: args.to_vec(),
        path: path.to_path_buf(),
        peaks: [Vec::new(), Vec::new(), Vec::new()],
    })
}

/// One JSONL document whose text is the seed articles, one after the other and over again
/// (blank lines between), until it holds at least `bytes` bytes.
fn one_document(seeds: &[(String, String)], bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + 64 * 1024);
    while text.len() < bytes && !seeds.is_empty() {
        for (_, seed) in seeds {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(seed.trim());
        }
    }
    let text = serde_json::Value::from(text).to_string();
    format!("{{\"id\":\"one-document\",\"text\":{text}}}\n")
}

/// Runs `command` (its output thrown away) and returns its peak resident memory in bytes; a
/// failure is an error, with its stderr.
fn peak_resident(command: &mut Command) -> Result<u64> {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run `{}`", describe(command)))?;
    let status_path = format!("/proc/{}/status", child.id());
    // Drained on its own thread, so that a run with many warnings does not block on a full
    // pipe.
    let mut stderr = child.stderr.take();
    let drain = std::thread::spawn(move || {
        let mut text = Vec::new();
        if let Some(stderr) = &mut stderr {
            let _ = stderr.read_to_end(&mut text);
        }
        text
    });
    let mut peak = 0;
    let status = loop {
        // Read before the exit is collected: once it is, the status file is gone.
        if let Some(bytes) = std::fs::read_to_string(&status_path)
            .ok()
            .and_then(|status| high_water_mark(&status))
        {
            peak = peak.max(bytes);
        }
        if let Some(status) = child
            .try_wait()
            .with_context(|| format!("cannot wait for `{}`", describe(command)))?
        {
            break status;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let stderr = drain.join().unwrap_or_default();
    if !status.success() {
        bail!(
            "`{}` failed ({status}):\n{}",
            describe(command),
            String::from_utf8_lossy(&stderr)
        );
    }
    if peak == 0 {
        bail!("no peak memory read for `{}`", describe(command));
    }
    Ok(peak)
}

/// The `VmHWM` line of a `/proc/PID/status` text, in bytes.
fn high_water_mark(status: &str) -> Option<u64> {
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib = line
        .trim_start_matches("VmHWM:")
        .trim()
        .strip_suffix("kB")?
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(kib * 1024)
}

const MIB: f64 = 1024.0 * 1024.0;

/// Per input: its size, the median peak and range on one thread, two and the default, and for
/// a single document how far its peak (one thread) is above the one-sentence document's,
/// against its size.
fn table(inputs: &[Measured], rounds: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "peak resident memory of `stance score`, MiB: median of {rounds} round(s) (range)"
    );
    let _ = writeln!(
        out,
        "  {:<28} {:>8} {:>22} {:>22} {:>22}",
        "input", "MB", "--threads 1", "--threads 2", "default"
    );
    let median_of = |peaks: &[u64]| median(&peaks.iter().map(|&p| p as f64).collect::<Vec<_>>());
    for input in inputs {
        let cells: Vec<String> = input
            .peaks
            .iter()
            .map(|peaks| {
                let low = peaks.iter().copied().min().unwrap_or(0) as f64 / MIB;
                let high = peaks.iter().copied().max().unwrap_or(0) as f64 / MIB;
                format!(
                    "{:.1} ({low:.1}-{high:.1})",
                    median_of(peaks.as_slice()) / MIB
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "  {:<28} {:>8.1} {:>22} {:>22} {:>22}",
            input.label,
            input.bytes as f64 / 1e6,
            cells[0],
            cells[1],
            cells[2]
        );
    }
    if let Some(base) = inputs.first() {
        for input in inputs.iter().skip(1).filter(|input| input.one_document) {
            let above = median_of(&input.peaks[0]) - median_of(&base.peaks[0]);
            let _ = writeln!(
                out,
                "  {}, one thread: {:.1} MiB above one sentence, {:.2}× its {:.1} MiB",
                input.label,
                above / MIB,
                above / input.bytes as f64,
                input.bytes as f64 / MIB
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{high_water_mark, one_document, peak_resident};

    #[test]
    fn the_high_water_mark_is_read_in_bytes() {
        let status = "Name:\tstance\nVmPeak:\t  200 kB\nVmHWM:\t    1536 kB\nVmRSS:\t 1000 kB\n";
        assert_eq!(high_water_mark(status), Some(1536 * 1024));
        assert_eq!(high_water_mark("VmRSS:\t 1000 kB\n"), None);
        assert_eq!(high_water_mark("VmHWM:\t lots kB\n"), None);
    }

    #[test]
    fn one_document_is_one_line_of_at_least_the_size_asked() {
        let seeds = [
            ("a".to_string(), "Tokyo \"protests\".\n".to_string()),
            ("b".to_string(), "Moscow talks.".to_string()),
        ];
        let line = one_document(&seeds, 100);
        assert_eq!(line.matches('\n').count(), 1);
        let doc: serde_json::Value = serde_json::from_str(&line).unwrap_or_default();
        let text = doc["text"].as_str().unwrap_or_default();
        assert!(text.len() >= 100, "{text:?}");
        assert!(text.starts_with("Tokyo \"protests\".\n\nMoscow talks.\n\nTokyo"));
        assert_eq!(
            one_document(&[], 100),
            "{\"id\":\"one-document\",\"text\":\"\"}\n"
        );
    }

    #[test]
    fn a_child_s_peak_is_read_and_a_failure_is_an_error() {
        if !std::path::Path::new("/proc/self/status").is_file() {
            return;
        }
        // A shell that holds a 64 MiB string for a moment peaks above 64 MiB.
        let mut big = std::process::Command::new("sh");
        big.args([
            "-c",
            "x=$(head -c 67108864 /dev/zero | tr '\\0' x); sleep 0.2",
        ]);
        let peak = peak_resident(&mut big).unwrap_or(0);
        assert!(peak > 64 << 20, "{peak}");
        let mut small = std::process::Command::new("sh");
        small.args(["-c", "sleep 0.1"]);
        let peak = peak_resident(&mut small).unwrap_or(0);
        assert!(peak > 0 && peak < 64 << 20, "{peak}");
        let mut failing = std::process::Command::new("sh");
        failing.args(["-c", "echo broken >&2; exit 3"]);
        let error = peak_resident(&mut failing).map_err(|e| e.to_string());
        assert!(
            error.as_ref().is_err_and(|e| e.contains("broken")),
            "{error:?}"
        );
    }
}

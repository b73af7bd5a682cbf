//! `cargo xtask throughput`: end-to-end `stance score` rates next to `wc -w`, measured in the
//! same rounds.
//!
//! On a shared machine absolute times drift by a quarter within minutes, so each round runs
//! every command once, in turn, and the report gives medians, ranges and the ratios between
//! commands of the same rounds (issue 7 asks for the ratio to `wc -w` on the same file). Two
//! one-thread runs started together show what the two cores give two separate processes, the
//! ceiling the two-thread speed-up is read against.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::{NEWS_COLUMNS, describe, release_stance, root, target_dir};

/// How many times `seeds21.jsonl` repeats the seed articles: 21 MB of JSONL.
pub(crate) const SEED_COPIES: usize = 720;

/// One command timed in every round.
struct Timed {
    /// What the table calls it.
    label: String,
    command: Command,
    /// How many copies of `command` run at once (each round times until the last ends).
    copies: usize,
    /// Wall-clock seconds, one per round.
    seconds: Vec<f64>,
}

/// One input file and the commands timed on it.
struct Input {
    name: String,
    bytes: u64,
    /// `stance score` on one thread, on two, two one-thread runs at once, then `wc -w` when
    /// the machine has it.
    runs: Vec<Timed>,
}

/// Writes the benchmark corpus, times `stance score` (one and two threads) and `wc -w` on it,
/// and on the news corpus when `cargo xtask corpus news` has installed it, `rounds` times in
/// turn, and prints the table.
pub(crate) fn throughput(rounds: usize) -> Result<()> {
    if rounds == 0 {
        bail!("--rounds must be at least 1");
    }
    let stance = release_stance()?;
    let seeds21 = write_seeds_corpus()?;
    let mut inputs = vec![input(&stance, "seeds21.jsonl", &seeds21, &[])?];
    if let Some((news, columns)) = news_corpus() {
        inputs.push(input(&stance, "news.csv", &news, &columns)?);
    } else {
        eprintln!("news corpus not installed (`cargo xtask corpus news`): timing seeds21 only");
    }
    for round in 1..=rounds {
        eprintln!("round {round} of {rounds}");
        for input in &mut inputs {
            for timed in &mut input.runs {
                let elapsed = run_copies(&mut timed.command, timed.copies)?;
                timed.seconds.push(elapsed);
            }
        }
    }
    print!("{}", table(&inputs, rounds));
    Ok(())
}

/// The news corpus's path and the `--column` arguments that read it, when `cargo xtask corpus
/// news` has installed it.
pub(crate) fn news_corpus() -> Option<(PathBuf, Vec<String>)> {
    let news = target_dir().join("corpora").join("news").join("news.csv");
    let columns = NEWS_COLUMNS
        .iter()
        .flat_map(|column| ["--column".to_string(), (*column).to_string()])
        .collect();
    news.is_file().then_some((news, columns))
}

/// Runs `copies` copies of `command` at once and returns the wall-clock seconds until the last
/// one ended; a copy that fails is an error, with its stderr. Each copy is waited for on its
/// own thread, which drains its stderr: waiting for one copy after the other would leave the
/// second blocked on a full pipe (a run with many warnings) and time that as its work.
fn run_copies(command: &mut Command, copies: usize) -> Result<f64> {
    let start = Instant::now();
    let children = (0..copies)
        .map(|_| command.spawn())
        .collect::<std::io::Result<Vec<_>>>()
        .with_context(|| format!("cannot run `{}`", describe(command)))?;
    let outputs = std::thread::scope(|scope| {
        let waits: Vec<_> = children
            .into_iter()
            .map(|child| scope.spawn(move || child.wait_with_output()))
            .collect();
        waits
            .into_iter()
            .map(|wait| {
                wait.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("a waiting thread panicked")))
            })
            .collect::<std::io::Result<Vec<_>>>()
    })
    .with_context(|| format!("cannot run `{}`", describe(command)))?;
    let elapsed = start.elapsed().as_secs_f64();
    if let Some(output) = outputs.iter().find(|output| !output.status.success()) {
        bail!(
            "`{}` failed ({}):\n{}",
            describe(command),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(elapsed)
}

/// The commands timed on `path`; `extra` goes after `stance score`'s options.
fn input(stance: &Path, name: &str, path: &Path, extra: &[String]) -> Result<Input> {
    let bytes = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    let mut runs = Vec::new();
    // One thread, two threads, and two one-thread runs at once: how much two separate
    // processes get from the machine's two cores (shared caches, memory and whatever else
    // runs on the host) is the ceiling against which the two-thread speed-up is read.
    for (threads, copies) in [(1, 1), (2, 1), (1, 2)] {
        let mut command = Command::new(stance);
        command
            .args(["score", "--format", "jsonl", "--quiet", "--threads"])
            .arg(threads.to_string())
            .args(extra)
            .arg(path)
            .stdout(Stdio::null())
            // Captured, not shown: the news corpus's warnings (rows with an empty text)
            // would repeat every round; a failure shows them.
            .stderr(Stdio::piped());
        let label = match copies {
            1 => format!("stance score --threads {threads}"),
            _ => format!("{copies} × --threads {threads} at once"),
        };
        runs.push(Timed {
            label,
            command,
            copies,
            seconds: Vec::new(),
        });
    }
    let mut wc = Command::new("wc");
    wc.arg("-w")
        .arg(path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if wc.status().is_ok_and(|status| status.success()) {
        runs.push(Timed {
            label: "wc -w".to_string(),
            command: wc,
            copies: 1,
            seconds: Vec::new(),
        });
    } else {
        eprintln!("`wc -w` cannot be run here: no ratio to it");
    }
    Ok(Input {
        name: name.to_string(),
        bytes,
        runs,
    })
}

/// Writes target/bench-corpus/seeds21.jsonl (the seed articles, `SEED_COPIES` times) and
/// returns its path.
pub(crate) fn write_seeds_corpus() -> Result<PathBuf> {
    write_corpus("seeds21.jsonl", |seeds| repeated_corpus(seeds, SEED_COPIES))
}

/// Writes target/bench-corpus/NAME, made by `make` from the seed articles ((name, text) pairs
/// in file order), and returns its path.
pub(crate) fn write_corpus(
    name: &str,
    make: impl FnOnce(&[(String, String)]) -> String,
) -> Result<PathBuf> {
    let dir = root().join("seeds");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("cannot list {}", dir.display()))?;
    paths.retain(|path| path.extension().is_some_and(|ext| ext == "txt"));
    paths.sort();
    let mut seeds = Vec::with_capacity(paths.len());
    for path in &paths {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let stem = path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        seeds.push((stem, text));
    }
    if seeds.is_empty() {
        bail!("no .txt articles in {}", dir.display());
    }
    let out = target_dir().join("bench-corpus");
    std::fs::create_dir_all(&out).with_context(|| format!("cannot create {}", out.display()))?;
    let path = out.join(name);
    std::fs::write(&path, make(&seeds))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

/// JSONL of `seeds` ((name, text) pairs) `copies` times over: copy `i` (from 1) of seed `name`
/// is the line `{"id":"name-i","text":...}`, copies in order, the seeds in order within each.
pub(crate) fn repeated_corpus(seeds: &[(String, String)], copies: usize) -> String {
    let texts: Vec<String> = seeds
        .iter()
        .map(|(_, text)| serde_json::Value::from(text.as_str()).to_string())
        .collect();
    let mut out = String::new();
    for copy in 1..=copies {
        for ((name, _), text) in seeds.iter().zip(&texts) {
            let id = serde_json::Value::from(format!("{name}-{copy}"));
            let _ = writeln!(out, "{{\"id\":{id},\"text\":{text}}}");
        }
    }
    out
}

/// The median of some times (the mean of the middle two for an even count).
pub(crate) fn median(seconds: &[f64]) -> f64 {
    let mut sorted = seconds.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[middle],
        _ => (sorted[middle - 1] + sorted[middle]) / 2.0,
    }
}

/// The report: per command its median, range and rate (of all its copies' bytes together), its
/// ratio to `wc -w`, the two-thread speed-up and the speed-up two one-thread runs at once got,
/// all from the same rounds.
fn table(inputs: &[Input], rounds: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{rounds} round(s); MB/s is 10^6 input bytes per second of wall time"
    );
    for input in inputs {
        let _ = writeln!(out, "\n{} ({:.1} MB)", input.name, input.bytes as f64 / 1e6);
        let _ = writeln!(
            out,
            "  {:<26} {:>9} {:>19} {:>8} {:>12}",
            "command", "median s", "range s", "MB/s", "time / wc -w"
        );
        let wc = input
            .runs
            .iter()
            .find(|timed| timed.label == "wc -w")
            .map(|timed| median(&timed.seconds));
        for timed in &input.runs {
            let seconds = median(&timed.seconds);
            let low = timed.seconds.iter().copied().fold(f64::INFINITY, f64::min);
            let high = timed.seconds.iter().copied().fold(0.0, f64::max);
            let ratio = match wc {
                Some(wc) if timed.copies == 1 => format!("{:.1}×", seconds / wc),
                _ => "-".to_string(),
            };
            let _ = writeln!(
                out,
                "  {:<26} {:>9.3} {:>19} {:>8.1} {:>12}",
                timed.label,
                seconds,
                format!("{low:.3}-{high:.3}"),
                (input.bytes * timed.copies as u64) as f64 / 1e6 / seconds,
                ratio
            );
        }
        if let [one, two, pair, ..] = input.runs.as_slice() {
            let one = median(&one.seconds);
            let _ = writeln!(
                out,
                "  two threads: {:.2}× one thread; two one-thread runs at once: {:.2}×",
                one / median(&two.seconds),
                2.0 * one / median(&pair.seconds)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests;

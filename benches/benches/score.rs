//! Scoring throughput: documents built from the seeds, scored with the built-in actors and lexicon.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const SEEDS: &[&str] = &[
    include_str!("../../seeds/000_f94768ee9ed23074.txt"),
    include_str!("../../seeds/001_a20b4882fe9274f4.txt"),
    include_str!("../../seeds/002_fa70ba8b07161890.txt"),
    include_str!("../../seeds/003_6c03b276927b0c11.txt"),
    include_str!("../../seeds/004_9758f7dde3184293.txt"),
];

/// The seeds repeated until the corpus holds at least `bytes` bytes, as cleaned documents.
fn corpus(bytes: usize) -> Vec<ingest::Document> {
    let mut docs = Vec::new();
    let mut total = 0;
    while total < bytes {
        for (i, seed) in SEEDS.iter().enumerate() {
            let doc = ingest::Document::from_text(&format!("seed{i}-{}", docs.len()), seed);
            total += doc.text.len();
            docs.push(doc);
        }
    }
    docs
}

fn score(c: &mut Criterion) {
    let scorer = score::Scorer::new(&score::Actors::builtin(), &score::Lexicon::builtin());
    let docs = corpus(1 << 20);
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    // Known answer: seed 004 shows Russia toughening its position toward Japan.
    let seed4 = scorer.score(&docs[4]);
    let rus_jpn = seed4
        .dyads
        .iter()
        .find(|d| d.source == "RUS" && d.target == "JPN");
    assert!(
        rus_jpn.is_some_and(|d| d.score() < 0.0),
        "seed 004 must show RUS->JPN hawkish"
    );

    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_with_input(
        BenchmarkId::new("seeds", format!("{}KiB", bytes / 1024)),
        &docs,
        |b, docs| {
            b.iter(|| {
                let mut dyads = 0;
                for doc in docs {
                    dyads += scorer.score(black_box(doc)).dyads.len();
                }
                dyads
            })
        },
    );
    group.finish();

    news(c, &scorer);

    let mut build = c.benchmark_group("score-build");
    build.bench_function("builtin automaton", |b| {
        b.iter(|| {
            score::Scorer::new(
                black_box(&score::Actors::builtin()),
                &score::Lexicon::builtin(),
            )
        })
    });
    build.finish();
}

/// Real news, when `cargo xtask corpus news` has installed it: 3,824 articles from nine
/// outlets, read with the CSV ingest as `stance` reads them.
#[allow(
    clippy::print_stderr,
    reason = "a bench without its corpus says why it was skipped"
)]
fn news(c: &mut Criterion, scorer: &score::Scorer) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/corpora/news/news.csv"
    );
    if !std::path::Path::new(path).is_file() {
        eprintln!("score/news: skipped, no {path} (run `cargo xtask corpus news` to install it)");
        return;
    }
    let mut options = ingest::Options::default();
    for spec in [
        "id=article_id",
        "date=publish_date",
        "url=article_source_link",
    ] {
        if let Err(error) = options.columns.set(spec) {
            panic!("column mapping {spec}: {error}");
        }
    }
    let docs: Vec<ingest::Document> = ingest::read(&[path.to_owned()], &options)
        .map(|doc| doc.unwrap_or_else(|error| panic!("news corpus: {error}")))
        .collect();
    // Known answer: every article reads, the first is ABC News's, and the corpus is about
    // international politics, so most articles have at least one dyad.
    assert_eq!(docs.len(), 3_824, "news corpus size");
    assert_eq!(docs[0].outlet.as_deref(), Some("abcnews.go.com"));
    let with_dyads = docs
        .iter()
        .filter(|doc| !scorer.score(doc).dyads.is_empty())
        .count();
    assert!(with_dyads > 1_000, "only {with_dyads} articles with a dyad");
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut group = c.benchmark_group("score");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_with_input(
        BenchmarkId::new("news", format!("{}KiB", bytes / 1024)),
        &docs,
        |b, docs| {
            b.iter(|| {
                docs.iter()
                    .map(|doc| scorer.score(black_box(doc)).dyads.len())
                    .sum::<usize>()
            })
        },
    );
    group.finish();
}

criterion_group!(benches, score);
criterion_main!(benches);

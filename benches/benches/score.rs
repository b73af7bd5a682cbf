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

criterion_group!(benches, score);
criterion_main!(benches);

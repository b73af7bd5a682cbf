//! Compare throughput on synthetic scored corpora: full similarity at 1k, top-k at 10k
//! documents, and the full matrix forced at 10k.

use std::collections::BTreeSet;
use std::hint::black_box;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use score::{DyadScore, Evidence, ScoredDocument, Stance, Weight};

/// xorshift64*: a tiny deterministic generator, so the fixture is the same on every run.
struct Prng(u64);

impl Prng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A value in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const ACTORS: [&str; 12] = [
    "CHN", "DEU", "FRA", "GBR", "IND", "IRN", "JPN", "KOR", "PRK", "RUS", "TUR", "USA",
];
const CUES: [&str; 8] = [
    "thaw*",
    "cooperat*",
    "visit*",
    "aid",
    "condemn*",
    "sanction*",
    "threat*",
    "warn*",
];
/// Distinct sentence texts; a small pool makes documents share evidence, as quotes do.
const SENTENCE_POOL: u64 = 2_000;

/// `n` documents with 1-5 dyads each and 1-3 evidence items per dyad, and the number of
/// distinct dyads among them (the known answer).
fn corpus(n: usize, seed: u64) -> (Vec<ScoredDocument>, usize) {
    let mut rng = Prng(seed);
    let mut names = BTreeSet::new();
    let docs = (0..n)
        .map(|i| {
            let mut dyads: Vec<DyadScore> = Vec::new();
            for _ in 0..1 + rng.below(5) {
                let source = ACTORS[rng.below(ACTORS.len() as u64) as usize];
                let target = ACTORS[rng.below(ACTORS.len() as u64) as usize];
                if source == target
                    || dyads
                        .iter()
                        .any(|d| d.source == source && d.target == target)
                {
                    continue;
                }
                let evidence: Vec<Arc<Evidence>> = (0..1 + rng.below(3))
                    .map(|_| {
                        let cue = rng.below(CUES.len() as u64) as usize;
                        let sentence = rng.below(SENTENCE_POOL);
                        Arc::new(Evidence {
                            sentence: sentence as usize,
                            start: 0,
                            end: 4,
                            cue: CUES[cue].into(),
                            stance: if cue < 4 {
                                Stance::Conciliatory
                            } else {
                                Stance::Hawkish
                            },
                            weight: Weight(2_500 + 2_500 * rng.below(4) as i64),
                            modifiers: Box::default(),
                            text: format!("Sentence {sentence} about {source} and {target}.")
                                .into(),
                        })
                    })
                    .collect();
                let total = |stance| {
                    evidence
                        .iter()
                        .filter(|e| e.stance == stance)
                        .map(|e| e.weight.0)
                        .sum()
                };
                names.insert((source, target));
                dyads.push(DyadScore {
                    source: source.to_owned(),
                    target: target.to_owned(),
                    conciliatory: Weight(total(Stance::Conciliatory)),
                    hawkish: Weight(total(Stance::Hawkish)),
                    cues: evidence.len() as u32,
                    evidence,
                });
            }
            dyads.sort_by(|a, b| (&a.source, &a.target).cmp(&(&b.source, &b.target)));
            ScoredDocument {
                id: format!("doc{i:06}"),
                date: Some(format!(
                    "20{:02}-{:02}-{:02}",
                    15 + rng.below(5),
                    1 + rng.below(12),
                    1 + rng.below(28)
                )),
                outlet: Some(format!("outlet{}", rng.below(7))),
                dyads,
                ..ScoredDocument::default()
            }
        })
        .collect();
    (docs, names.len())
}

fn compare(c: &mut Criterion) {
    let mut group = c.benchmark_group("compare");
    group.sample_size(10);
    for n in [1_000, 10_000] {
        let (docs, n_dyads) = corpus(n, 0x5eed_0000 + n as u64);
        let options = compare::Options {
            group_by: Some("outlet".to_owned()),
            ..compare::Options::default()
        };
        // Check the known answer before timing anything.
        let result = compare::compare(&docs, &options);
        assert_eq!(
            result.corpus.len(),
            n_dyads,
            "distinct dyads in the fixture"
        );
        let observations: usize = docs.iter().map(|d| d.dyads.len()).sum();
        assert_eq!(
            result.corpus.iter().map(|d| d.documents).sum::<usize>(),
            observations
        );
        let full = n <= options.full_similarity_max_docs;
        assert_eq!(
            matches!(result.similarity, compare::Similarity::Full { .. }),
            full
        );

        group.throughput(Throughput::Elements(n as u64));
        let mode = if full { "full" } else { "top_k" };
        group.bench_with_input(BenchmarkId::new(mode, n), &docs, |b, docs| {
            b.iter(|| compare::compare(black_box(docs), &options).corpus.len());
        });
    }
    // Issue 7's full matrix at 10,000 documents (100 M values), forced as --similarity full
    // forces it.
    let n = 10_000;
    let (docs, _) = corpus(n, 0x5eed_0000 + n as u64);
    let options = compare::Options {
        full_similarity_max_docs: usize::MAX,
        ..compare::Options::default()
    };
    let result = compare::compare(&docs, &options);
    let compare::Similarity::Full { documents, matrix } = &result.similarity else {
        panic!("--similarity full must give the full matrix");
    };
    assert_eq!((documents.len(), matrix.len()), (n, n));
    // Rows are computed when read: check a spread of them, and time reading every row as
    // `stance compare --similarity full` writes them.
    let rows: Vec<(usize, Vec<f64>)> = (0..n)
        .step_by(997)
        .map(|i| (i, matrix.rows(i..i + 1).remove(0)))
        .collect();
    for (i, row) in &rows {
        assert_eq!(row.len(), n);
        assert_eq!(row[*i], 1.0, "unit diagonal");
        for (j, other) in &rows {
            assert_eq!(row[*j].to_bits(), other[*i].to_bits(), "symmetric");
        }
    }
    drop(result);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_with_input(BenchmarkId::new("full", n), &docs, |b, docs| {
        b.iter(|| {
            let compare::Similarity::Full { matrix, .. } =
                compare::compare(black_box(docs), &options).similarity
            else {
                unreachable!("checked above");
            };
            // A block of rows at a time (computed in parallel), never the whole matrix.
            (0..matrix.len())
                .step_by(256)
                .map(|first| matrix.rows(first..matrix.len().min(first + 256)).len())
                .sum::<usize>()
        });
    });
    group.finish();
}

criterion_group!(benches, compare);
criterion_main!(benches);

//! Ingest throughput: the plain-text pipeline (clean, date, title, segment), the splitter alone,
//! CSV framing (the work `stance score` does on its reader thread), and JSONL lines read and
//! built into documents (parse, unescape, clean, segment: the work of its workers).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// The five seed articles, embedded so the bench never touches the filesystem.
const SEEDS: [(&str, &str); 5] = [
    ("000", include_str!("../../seeds/000_f94768ee9ed23074.txt")),
    ("001", include_str!("../../seeds/001_a20b4882fe9274f4.txt")),
    ("002", include_str!("../../seeds/002_fa70ba8b07161890.txt")),
    ("003", include_str!("../../seeds/003_6c03b276927b0c11.txt")),
    ("004", include_str!("../../seeds/004_9758f7dde3184293.txt")),
];

/// Sentences per seed after cleaning, pinned from a reviewed run (the golden test in
/// crates/ingest/tests/seeds.rs checks titles, dates and removed lines of the same texts).
const SENTENCES: [usize; 5] = [14, 29, 55, 54, 34];

/// About one megabyte of articles: the seeds repeated, each copy a separate document.
fn corpus() -> Vec<&'static str> {
    let round: usize = SEEDS.iter().map(|(_, t)| t.len()).sum();
    let rounds = (1 << 20) / round + 1;
    (0..rounds)
        .flat_map(|_| SEEDS.iter().map(|(_, t)| *t))
        .collect()
}

fn ingest(c: &mut Criterion) {
    // Check the known answer before timing anything.
    for ((name, text), expected) in SEEDS.iter().zip(SENTENCES) {
        let doc = ingest::Document::from_text(name, text);
        assert_eq!(
            doc.sentences.len(),
            expected,
            "seed {name}: sentence count changed"
        );
    }
    let docs = corpus();
    let bytes: usize = docs.iter().map(|t| t.len()).sum();
    let rounds = docs.len() / SEEDS.len();
    let cleaned: Vec<String> = docs
        .iter()
        .map(|t| ingest::Document::from_text("b", t).text.to_string())
        .collect();
    let cleaned_bytes: usize = cleaned.iter().map(String::len).sum();
    let n_sentences: usize = cleaned.iter().map(|t| ingest::segment(t).len()).sum();
    assert_eq!(n_sentences, rounds * SENTENCES.iter().sum::<usize>());

    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_with_input(BenchmarkId::new("from_text", bytes), &docs, |b, docs| {
        b.iter(|| {
            let mut n = 0;
            for text in docs {
                n += ingest::Document::from_text("b", black_box(text))
                    .sentences
                    .len();
            }
            n
        });
    });
    group.throughput(Throughput::Bytes(cleaned_bytes as u64));
    group.bench_with_input(
        BenchmarkId::new("segment", cleaned_bytes),
        &cleaned,
        |b, cleaned| {
            b.iter(|| {
                cleaned
                    .iter()
                    .map(|t| ingest::segment(black_box(t)).len())
                    .sum::<usize>()
            });
        },
    );
    group.finish();
    csv(c);
    jsonl(c);
}

/// A CSV export shaped like a news archive (id, date, link, title, quoted multi-line text),
/// with the seeds as the text column and their quotes doubled, about `bytes` long.
fn csv_export(bytes: usize) -> (String, usize) {
    let mut out = String::from("article_id,publish_date,article_source_link,title,text\n");
    let mut rows = 0;
    while out.len() < bytes {
        for (name, text) in SEEDS {
            out.push_str(&format!(
                "{rows},2016-12-21,https://example.com/{name}/{rows},\"Seed {name}, again\",\"{}\"\n",
                text.replace('"', "\"\"")
            ));
            rows += 1;
        }
    }
    (out, rows)
}

/// `export` written to a temporary file with extension `ext` (which picks the reader), and
/// the input list that names it.
fn temp_input(export: &str, ext: &str) -> (std::path::PathBuf, [String; 1]) {
    let path = std::env::temp_dir().join(format!("stance-bench-{}.{ext}", std::process::id()));
    std::fs::write(&path, export).expect("the temporary export can be written");
    let inputs = [path.to_string_lossy().into_owned()];
    (path, inputs)
}

/// Every document of `inputs`; each must read.
fn read_docs(inputs: &[String]) -> Vec<ingest::Document> {
    ingest::read(inputs, &ingest::Options::default())
        .map(|doc| doc.expect("every record of the export reads"))
        .collect()
}

/// Times reading every record of `inputs` (`bytes` long) and handing each to `each`, whose
/// results must sum to `expected` in every iteration.
fn bench_records(
    c: &mut Criterion,
    name: &str,
    bytes: usize,
    inputs: &[String],
    expected: usize,
    each: impl Fn(Result<ingest::Record, ingest::Error>) -> usize,
) {
    let options = ingest::Options::default();
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(BenchmarkId::new(name, bytes), |b| {
        b.iter(|| {
            let mut reader = ingest::read(black_box(inputs), &options);
            let mut n = 0;
            while let Some(record) = reader.next_record() {
                n += each(record);
            }
            assert_eq!(n, expected);
            n
        });
    });
    group.finish();
}

fn csv(c: &mut Criterion) {
    let (export, rows) = csv_export(4 << 20);
    let (path, inputs) = temp_input(&export, "csv");
    // Known answer: every row is one record, and each builds into its seed's sentences.
    let docs = read_docs(&inputs);
    assert_eq!(docs.len(), rows);
    for (doc, expected) in docs.iter().zip(SENTENCES.iter().cycle()) {
        assert_eq!(doc.sentences.len(), *expected, "row {}", doc.id);
    }

    bench_records(c, "csv-records", export.len(), &inputs, rows, |record| {
        usize::from(record.is_ok())
    });
    let _ = std::fs::remove_file(&path);
}

/// `text` as a JSON string the way Python's `json.dumps` writes it by default: every
/// character past ASCII as a `\u` escape (a surrogate pair past the BMP).
fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            ' '..='~' => out.push(c),
            _ => {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
    out
}

fn jsonl(c: &mut Criterion) {
    let mut export = String::new();
    let mut lines = 0;
    while export.len() < 4 << 20 {
        for (name, text) in SEEDS {
            export.push_str(&format!(
                "{{\"id\": \"{name}-{lines}\", \"title\": \"Seed {name}\", \"date\": \"2016-12-21\", \"text\": {}}}\n",
                json_string(text)
            ));
            lines += 1;
        }
    }
    let (path, inputs) = temp_input(&export, "jsonl");
    // Known answer: every line builds into its seed's text (as read from the seed file) and
    // sentences.
    let docs = read_docs(&inputs);
    assert_eq!(docs.len(), lines);
    for (doc, ((name, text), expected)) in docs.iter().zip(SEEDS.iter().zip(SENTENCES).cycle()) {
        assert_eq!(doc.sentences.len(), expected, "line {}", doc.id);
        assert_eq!(doc.text, ingest::Document::from_text(name, text).text);
    }

    let sentences = docs.iter().map(|doc| doc.sentences.len()).sum();
    bench_records(
        c,
        "jsonl-build",
        export.len(),
        &inputs,
        sentences,
        |record| {
            let doc = record.and_then(ingest::Record::build);
            doc.map_or(0, |doc| doc.sentences.len())
        },
    );
    let _ = std::fs::remove_file(&path);
}

criterion_group!(benches, ingest);
criterion_main!(benches);

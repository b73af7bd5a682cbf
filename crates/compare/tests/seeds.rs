//! End-to-end check over the seed articles: RUS→JPN is contested, 000 and 002 are nearest neighbours.

use std::path::Path;

use compare::{Options, Similarity};

fn seeds() -> Vec<ingest::Document> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../seeds");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("seeds directory")
        .map(|entry| entry.expect("seed entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("seed text");
            let stem = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .expect("seed stem");
            ingest::Document::from_text(stem, &text)
        })
        .collect()
}

#[test]
fn seeds_contest_russia_japan_and_pair_the_quote() {
    let scorer = score::Scorer::new(&score::Actors::builtin(), &score::Lexicon::builtin());
    let scored = compare::score_corpus(&scorer, &seeds());
    assert_eq!(
        scored.len(),
        5,
        "help: the seeds/ directory should hold five articles"
    );
    let comparison = compare::compare(&scored, &Options::default());

    let russia_japan = comparison
        .contested
        .iter()
        .find(|contested| contested.source == "RUS" && contested.target == "JPN");
    let Some(russia_japan) = russia_japan else {
        panic!(
            "RUS→JPN is not contested; contested: {:?}\nRUS→JPN per document: {:?}\n\
             help: seed 004 should score RUS→JPN hawkish and most others conciliatory",
            comparison
                .contested
                .iter()
                .map(|c| (&c.source, &c.target))
                .collect::<Vec<_>>(),
            comparison
                .corpus
                .iter()
                .find(|dyad| dyad.source == "RUS" && dyad.target == "JPN")
                .map(|dyad| &dyad.per_document),
        );
    };
    assert!(
        russia_japan
            .hawkish_docs
            .iter()
            .any(|doc| doc.doc.starts_with("004")),
        "seed 004 should be on the hawkish side: {russia_japan:#?}"
    );

    let Similarity::Full { documents, matrix } = &comparison.similarity else {
        panic!("five documents should give a full matrix");
    };
    let matrix = matrix.rows(0..matrix.len());
    let index = |prefix: &str| {
        documents
            .iter()
            .position(|id| id.starts_with(prefix))
            .expect("seed id")
    };
    let nearest = |i: usize| {
        (0..documents.len())
            .filter(|&j| j != i)
            .max_by(|&a, &b| matrix[i][a].total_cmp(&matrix[i][b]).then(b.cmp(&a)))
            .expect("other documents")
    };
    let (quoting, quoted) = (index("000"), index("002"));
    assert_eq!(
        nearest(quoting),
        quoted,
        "row of 000: {:?} over {documents:?}",
        matrix[quoting]
    );
    assert_eq!(
        nearest(quoted),
        quoting,
        "row of 002: {:?} over {documents:?}",
        matrix[quoted]
    );
}

#[test]
fn score_records_equals_reading_then_scoring_in_any_pool() {
    let scorer = score::Scorer::new(&score::Actors::builtin(), &score::Lexicon::builtin());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../seeds")
        .to_string_lossy()
        .into_owned();
    let inputs = [dir];
    let expected: Vec<(ingest::Document, score::ScoredDocument)> =
        ingest::read(&inputs, &ingest::Options::default())
            .map(|doc| {
                let doc = doc.expect("seed document");
                let scored = scorer.score(&doc);
                (doc, scored)
            })
            .collect();
    assert_eq!(expected.len(), 5, "help: seeds/ should hold five articles");
    for threads in [1, 2, 8] {
        let mut reader = ingest::read(&inputs, &ingest::Options::default());
        let records: Vec<ingest::Record> = std::iter::from_fn(|| reader.next_record())
            .map(|record| record.expect("seed record"))
            .collect();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let finish = |doc: ingest::Document, scored: score::ScoredDocument| (doc, scored);
        let got: Vec<_> = pool
            .install(|| compare::score_records(&scorer, records, &finish))
            .into_iter()
            .map(|result| result.expect("seed builds"))
            .collect();
        assert_eq!(
            got, expected,
            "help: score_records in a pool of {threads} should build and score each record \
             exactly as reading the documents and scoring them in order does"
        );
    }
}

//! Tests for CSV reading: quoting, embedded newlines, renamed columns, bad rows.

use std::io::Cursor;

use super::CsvSource;
use super::records::{self, tests::hostile_bytes};
use crate::{Document, Error, Options};
use proptest::prelude::*;

/// What a document read from a row holds of its fields: text, title, metadata.
type Read = (String, Option<String>, Vec<(String, String)>);

fn read_all(input: &[u8], options: Options) -> Vec<Result<Document, Error>> {
    match CsvSource::new(
        "in.csv".to_string(),
        Box::new(Cursor::new(input.to_vec())),
        options,
    ) {
        Ok(source) => source.collect(),
        Err(e) => vec![Err(e)],
    }
}

#[test]
fn quoting_newlines_and_metadata() {
    let input = "\u{feff}id,title,text,date,source,lang\n7,\"Talks, again\",\"He said \"\"no.\"\"\nThen left.\",Dec 21 2016,Example Times,en\n8,T2,Plain text.,,,\n";
    let docs: Vec<Document> = read_all(input.as_bytes(), Options::default())
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].id, "7");
    assert_eq!(docs[0].title.as_deref(), Some("Talks, again"));
    assert_eq!(*docs[0].text, "He said \"no.\"\nThen left.");
    assert_eq!(docs[0].date.as_deref(), Some("2016-12-21"));
    assert_eq!(docs[0].outlet.as_deref(), Some("Example Times"));
    assert_eq!(docs[0].metadata.get("lang").map(String::as_str), Some("en"));
    assert_eq!(docs[0].origin.line, Some(2));
    assert_eq!(
        docs[1].origin.line,
        Some(4),
        "line of the record start, after the embedded newline"
    );
    assert!(docs[1].metadata.is_empty());
}

#[test]
fn lines_are_where_records_start_with_crlf_and_blank_lines() {
    let docs: Vec<Document> = read_all(
        b"id,text\r\n1,One.\r\n\r\n\r\n2,Two.\r\n",
        Options::default(),
    )
    .into_iter()
    .flatten()
    .collect();
    let lines: Vec<Option<u64>> = docs.iter().map(|d| d.origin.line).collect();
    assert_eq!(lines, [Some(2), Some(5)]);
}

#[test]
fn a_quote_never_closed_is_a_warning_on_its_row() {
    let results = read_all(
        b"id,text\n1,Fine.\n2,\"Opened here.\n3,swallowed\n",
        Options::default(),
    );
    let docs: Vec<Document> = results.into_iter().flatten().collect();
    assert_eq!(docs.len(), 2);
    assert!(docs[0].warnings.is_empty(), "{:?}", docs[0].warnings);
    assert_eq!(*docs[1].text, "Opened here.\n3,swallowed");
    assert!(
        docs[1].warnings.iter().any(
            |w| w == "in.csv:3: a quoted field is never closed; it runs to the end of the file"
        ),
        "{:?}",
        docs[1].warnings
    );
}

#[test]
fn renamed_columns() {
    let mut options = Options::default();
    for spec in [
        "text=Body",
        "date=published_at",
        "outlet=publication",
        "id=doc_id",
    ] {
        assert!(options.columns.set(spec).is_ok());
    }
    let input = "doc_id,Body,published_at,publication\nA1,Text here.,2015-03-03,Wire\n";
    let docs: Vec<Document> = read_all(input.as_bytes(), options)
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(docs.len(), 1);
    assert_eq!(
        (
            docs[0].id.as_str(),
            docs[0].date.as_deref(),
            docs[0].outlet.as_deref()
        ),
        ("A1", Some("2015-03-03"), Some("Wire"))
    );
}

#[test]
fn missing_text_column_is_one_error() {
    let results = read_all(b"id,body\n1,x\n", Options::default());
    assert_eq!(results.len(), 1);
    let err = results[0].as_ref().err();
    assert_eq!(err.map(Error::location).as_deref(), Some("in.csv:1"));
    assert!(err.is_some_and(|e| {
        e.message()
            .starts_with("no `text` column (columns: id, body)")
    }));
}

#[test]
fn short_row_is_an_error_and_others_go_through() {
    let results = read_all(
        b"id,title,text\n1,a,First.\n2\n3,c,Third.\n",
        Options::default(),
    );
    let summary: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(d) => d.text.to_string(),
            Err(e) => e.to_string(),
        })
        .collect();
    assert_eq!(
        summary,
        [
            "First.",
            "in.csv:3: missing `text` value (short row)",
            "Third."
        ]
    );
}

#[test]
fn url_gives_outlet_and_lossy_utf8_warns() {
    let mut input = b"text,url\nCaf".to_vec();
    input.extend_from_slice(&[0xe9]);
    input.extend_from_slice(b".,http://www.news.example.co.uk:8080/a?b\n");
    let docs: Vec<Document> = read_all(&input, Options::default())
        .into_iter()
        .flatten()
        .collect();
    assert_eq!(docs[0].outlet.as_deref(), Some("news.example.co.uk"));
    assert_eq!(*docs[0].text, "Caf\u{fffd}.");
    assert!(
        docs[0]
            .warnings
            .iter()
            .any(|w| w.starts_with("in.csv:2: not valid UTF-8")),
        "{:?}",
        docs[0].warnings
    );
}

#[test]
fn oversized_record_is_rejected() {
    let options = Options {
        max_document_bytes: 10,
        ..Options::default()
    };
    let results = read_all(b"text\nthis record is too long\nshort\n", options);
    assert!(matches!(
        results[0],
        Err(Error::TooLarge { line: Some(2), .. })
    ));
    assert!(results[1].is_ok());
}

#[test]
fn streams_record_by_record() {
    use crate::jsonl::tests::Generated;
    let pulled = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let input = Generated {
        next_line: 0,
        lines: 1_000_000,
        pending: Vec::new(),
        pulled: pulled.clone(),
        make: |i| {
            if i == 0 {
                "id,text\n".to_string()
            } else {
                format!("{i},\"Record\nnumber {i}.\"\n")
            }
        },
    };
    let source = CsvSource::new("big.csv".into(), Box::new(input), Options::default());
    let ids: Vec<String> = source
        .into_iter()
        .flatten()
        .take(3)
        .flatten()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, ["1", "2", "3"]);
    let pulled = pulled.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        pulled <= 64 * 1024,
        "read {pulled} bytes of a ~30 MB stream for three records"
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    /// A row's fields are read as their lossy UTF-8 text: the same document as from the
    /// row with every field already converted (which takes the path for valid records).
    #[test]
    fn fields_read_as_their_lossy_text(
        fields in prop::collection::vec(
            prop::collection::vec(
                prop::sample::select(vec![b'a', b' ', b',', b'"', b'\n', 0xc3, 0xa9, 0xff, 0xe2, 0x80, 0x99]),
                0..12,
            ),
            3,
        ),
    ) {
        let csv = |fields: &[Vec<u8>]| {
            let mut input = b"text,title,extra\n".to_vec();
            for (i, field) in fields.iter().enumerate() {
                if i > 0 {
                    input.push(b',');
                }
                input.push(b'"');
                for &byte in field {
                    if byte == b'"' {
                        input.push(b'"');
                    }
                    input.push(byte);
                }
                input.push(b'"');
            }
            input.push(b'\n');
            input
        };
        let converted: Vec<Vec<u8>> = fields
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned().into_bytes())
            .collect();
        let summary = |input: &[u8]| -> Vec<Option<Read>> {
            read_all(input, Options::default())
                .into_iter()
                .map(|doc| {
                    doc.ok().map(|d| {
                        let metadata = d.metadata.into_iter().collect();
                        (d.text.to_string(), d.title, metadata)
                    })
                })
                .collect()
        };
        prop_assert_eq!(summary(&csv(&fields)), summary(&csv(&converted)));
    }

    /// Any bytes after a header give one item, a document or an error, per record the
    /// framing finds, whatever the size limit (from the header's own 7 bytes up): nothing is
    /// lost and nothing panics.
    #[test]
    fn every_record_is_one_item(body in hostile_bytes(80), limit in 7usize..40) {
        let input = [b"id,text\n".as_slice(), &body].concat();
        // The framing's records of the whole input, less the header.
        let framed = records::tests::read_all(&input).len() - 1;
        let options = Options {
            max_document_bytes: limit,
            ..Options::default()
        };
        prop_assert_eq!(read_all(&input, options).len(), framed);
    }

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        let _ = read_all(s.as_bytes(), Options::default());
        let _ = read_all(format!("text,id\n{s}").as_bytes(), Options::default());
    }
}

//! Crate-level tests: the public API, id stability, thread safety.

use crate::{Columns, Document, Error, Options, Reader, Record, segment};
use proptest::prelude::*;

#[test]
fn public_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<Document>();
    send_sync::<Error>();
    send_sync::<Options>();
    send::<Reader>();
    send_sync::<Record>();
}

#[test]
fn from_text_runs_the_whole_pipeline() {
    let doc = Document::from_text(
        "x",
        "Talks Resume\n\nThe U.S. and Japan met. Mr. Abe spoke.\n\nFollow Us On Twitter\n",
    );
    assert_eq!(doc.id, "x");
    assert_eq!(doc.title.as_deref(), Some("Talks Resume"));
    let sentences: Vec<&str> = doc
        .sentences
        .iter()
        .map(|s| &doc.text[s.start..s.end])
        .collect();
    assert_eq!(
        sentences,
        ["Talks Resume", "The U.S. and Japan met.", "Mr. Abe spoke."]
    );
    assert_eq!(doc.paragraphs.len(), 2);
    assert_eq!(doc.removed.len(), 1);
    assert!(doc.warnings.is_empty());
}

#[test]
fn content_ids_are_stable() {
    // FNV-1a 64 test vectors: the empty string and "a" (published constants of the hash).
    assert_eq!(crate::build::content_id(""), "cbf29ce484222325");
    assert_eq!(crate::build::content_id("a"), "af63dc4c8601ec8c");
    assert_eq!(
        Document::from_text("", "Some text.").id,
        crate::build::content_id("Some text.")
    );
}

#[test]
fn column_specs() {
    let mut columns = Columns::default();
    assert!(columns.set("source=publication").is_ok());
    assert_eq!(columns.outlet, "publication");
    for bad in ["text", "text=", "body=text"] {
        let err = columns.set(bad).err();
        assert!(
            err.as_ref().is_some_and(
                |e| e.location() == bad && e.to_string().starts_with(&format!("{bad}: "))
            ),
            "{bad}: {err:?}"
        );
    }
}

#[test]
fn error_location_and_message() {
    let e = Error::Record {
        path: "a.jsonl".into(),
        line: 3,
        message: "missing `text` field".into(),
    };
    assert_eq!(
        (e.location(), e.message()),
        ("a.jsonl:3".to_string(), "missing `text` field".to_string())
    );
    let e = Error::TooLarge {
        path: "b.txt".into(),
        line: None,
        limit: 10,
    };
    assert_eq!(
        e.to_string(),
        "b.txt: document is larger than the limit of 10 bytes"
    );
    assert_eq!(e.message(), "document is larger than the limit of 10 bytes");
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn from_text_never_panics_and_spans_index_text(s in any::<String>()) {
        let doc = Document::from_text("id", &s);
        for span in doc.sentences.iter().chain(&doc.paragraphs) {
            prop_assert!(doc.text.get(span.start..span.end).is_some());
        }
        prop_assert_eq!(doc.sentences, segment(&doc.text));
    }

    #[test]
    fn ids_depend_only_on_text(s in any::<String>()) {
        prop_assert_eq!(Document::from_text("", &s).id, Document::from_text("", &s).id);
    }

    #[test]
    fn count_words_is_split_whitespace(
        s in "[a-zé.\u{2019} \t\n\u{b}\u{85}\u{a0}\u{2003}\u{3000}\u{1680}\u{205f}\u{202f}]{0,40}",
        limit in 0usize..12,
    ) {
        prop_assert_eq!(
            crate::clean::count_words(&s, limit),
            s.split_whitespace().take(limit).count()
        );
    }

    /// Mostly ASCII, so that whole eight-byte chunks take the word-at-a-time path, with every
    /// control byte around `\t`..`\r`, the bytes next to the space, and the odd wider
    /// character (a space or not) that sends a chunk down the byte path.
    #[test]
    fn count_words_is_split_whitespace_on_ascii_runs(
        s in "[a-z\\x00-\\x21\\x7f.,\u{a0}\u{3000}é]{0,120}",
        limit in 0usize..50,
    ) {
        prop_assert_eq!(
            crate::clean::count_words(&s, limit),
            s.split_whitespace().take(limit).count()
        );
    }
}

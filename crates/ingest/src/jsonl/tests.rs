//! Tests for JSONL parsing, the bounded line reader and the field mapping.

use std::io::{BufReader, Cursor};

use std::fmt::Write as _;

use super::{
    JsonlSource, Line, UNESCAPE_IN_PLACE_FROM, hand_over, parse_line, read_line_bounded,
    split_fields, unescape, unescape_in_place, value_fields,
};
use crate::{Columns, Document, Error, Options};
use proptest::prelude::*;

fn read_all(input: &str, options: Options) -> Vec<Result<Document, Error>> {
    JsonlSource::new(
        "in.jsonl".to_string(),
        Box::new(Cursor::new(input.as_bytes().to_vec())),
        options,
        input.len() as u64,
    )
    .collect()
}

#[test]
fn fields_and_metadata() {
    let line = r#"{"id": 42, "text": "Russia objected. Japan agreed.", "title": "T", "date": "2016-12-21T08:00:00Z", "url": "https://www.example.org/x", "lang": "en", "score": 1.5, "flag": true, "tags": ["a", "b"], "meta": {"k": 1}, "none": null}"#;
    let doc = parse_line("in.jsonl", 3, line, &Columns::default()).unwrap_or_default();
    assert_eq!(doc.id, "42");
    assert_eq!(doc.origin.line, Some(3));
    assert_eq!(doc.title.as_deref(), Some("T"));
    assert_eq!(doc.date.as_deref(), Some("2016-12-21"));
    assert_eq!(doc.date_rule.as_deref(), Some("field"));
    assert_eq!(
        doc.outlet.as_deref(),
        Some("example.org"),
        "outlet falls back to the URL host"
    );
    let meta: Vec<(&str, &str)> = doc
        .metadata
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        meta,
        [
            ("flag", "true"),
            ("lang", "en"),
            ("meta", r#"{"k":1}"#),
            ("score", "1.5"),
            ("tags", r#"["a","b"]"#)
        ]
    );
    assert_eq!(doc.sentences.len(), 2);
}

#[test]
fn source_is_outlet_and_columns_rename() {
    let doc = parse_line(
        "f",
        1,
        r#"{"text": "x", "source": "Example Times"}"#,
        &Columns::default(),
    )
    .unwrap_or_default();
    assert_eq!(doc.outlet.as_deref(), Some("Example Times"));
    let mut columns = Columns::default();
    assert!(columns.set("text=body").is_ok());
    let doc = parse_line("f", 1, r#"{"body": "Hello there."}"#, &columns).unwrap_or_default();
    assert_eq!(*doc.text, "Hello there.");
}

#[test]
fn errors_name_path_and_line_and_other_lines_go_through() {
    let input = "{\"text\": \"One.\"}\n{not json\n\n{\"title\": \"no text\"}\n[1]\n{\"text\": 5}\n{\"text\": \"Two.\"}\n";
    let results = read_all(input, Options::default());
    let summary: Vec<String> = results
        .iter()
        .map(|r| match r {
            Ok(doc) => format!("ok {}", doc.text),
            Err(e) => format!("err {}", e.location()),
        })
        .collect();
    assert_eq!(
        summary,
        [
            "ok One.",
            "err in.jsonl:2",
            "err in.jsonl:4",
            "err in.jsonl:5",
            "err in.jsonl:6",
            "ok Two."
        ]
    );
    let messages: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(Error::message)
        .collect();
    assert!(messages[0].starts_with("malformed JSON"), "{messages:?}");
    assert_eq!(messages[1], "missing `text` field");
}

#[test]
fn errors_name_the_document_when_its_id_can_be_found() {
    let input = concat!(
        "{\"id\": \"bad-7\", \"text\": 42}\n",
        "{\"id\" : \"cut-8\", \"text\": \"Russia prai\n",
        "{\"id\": 9, \"title\": \"no text\"}\n",
        "{\"text\": \"he said \\\"id\\\": \\\"x\\\"\", \"id\": [1]}\n",
        "{\"id\": \"\", \"text\": null}\n",
    );
    let messages: Vec<String> = read_all(input, Options::default())
        .iter()
        .map(|r| match r {
            Ok(doc) => format!("ok {}", doc.id),
            Err(e) => e.to_string(),
        })
        .collect();
    assert_eq!(
        messages[..3],
        [
            "in.jsonl:1: document \"bad-7\": field `text` is not a string",
            "in.jsonl:2: document \"cut-8\": malformed JSON: EOF while parsing a string at line 1 column 37",
            "in.jsonl:3: document \"9\": missing `text` field",
        ]
    );
    // An escaped `"id"` inside a string is not the key, and an id that is not a string or a
    // number is not shown; neither is an empty one.
    assert!(messages[3].starts_with("ok "), "{messages:?}");
    assert_eq!(messages[4], "in.jsonl:5: missing `text` field");
}

#[test]
fn oversized_line_is_rejected_and_reading_continues() {
    let big = "a".repeat(200);
    let input = format!("{{\"text\": \"{big}\"}}\r\n{{\"text\": \"small\"}}");
    let options = Options {
        max_document_bytes: 100,
        ..Options::default()
    };
    let results = read_all(&input, options);
    assert_eq!(results.len(), 2);
    assert!(matches!(
        &results[0],
        Err(Error::TooLarge {
            line: Some(1),
            limit: 100,
            ..
        })
    ));
    assert!(
        results[0]
            .as_ref()
            .err()
            .is_some_and(|e| e.to_string().starts_with("in.jsonl:1: "))
    );
    assert_eq!(
        results[1].as_ref().map(|d| d.text.as_str()).ok(),
        Some("small")
    );
}

#[test]
fn invalid_utf8_line_is_decoded_lossily_with_a_warning() {
    let mut bytes = b"{\"text\": \"caf".to_vec();
    bytes.extend_from_slice(&[0xff, b'"', b'}']);
    let results: Vec<_> = JsonlSource::new(
        "b.jsonl".into(),
        Box::new(Cursor::new(bytes)),
        Options::default(),
        0,
    )
    .collect();
    let doc = results[0].as_ref().ok();
    assert_eq!(doc.map(|d| d.text.as_str()), Some("caf\u{fffd}"));
    assert!(doc.is_some_and(|d| {
        d.warnings
            .iter()
            .any(|w| w.starts_with("b.jsonl:1: not valid UTF-8"))
    }));
}

#[test]
fn missing_id_is_a_stable_content_hash() {
    let a =
        parse_line("f", 1, r#"{"text": "Same text."}"#, &Columns::default()).unwrap_or_default();
    let b =
        parse_line("g", 9, r#"{"text": "Same text."}"#, &Columns::default()).unwrap_or_default();
    assert_eq!(a.id, b.id);
    // FNV-1a 64 of "Same text.", computed independently of this crate's code path.
    assert_eq!(a.id.len(), 16);
    assert_eq!(a.id, crate::build::content_id("Same text."));
}

/// A stream of `lines` generated lines that counts how many bytes were pulled from it.
pub(crate) struct Generated {
    pub(crate) next_line: u64,
    pub(crate) lines: u64,
    pub(crate) pending: Vec<u8>,
    pub(crate) pulled: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    pub(crate) make: fn(u64) -> String,
}

impl std::io::Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pending.len() < out.len() && self.next_line < self.lines {
            self.pending
                .extend_from_slice((self.make)(self.next_line).as_bytes());
            self.next_line += 1;
        }
        let n = out.len().min(self.pending.len());
        out[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        self.pulled
            .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
        Ok(n)
    }
}

#[test]
fn streams_line_by_line() {
    let pulled = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let input = Generated {
        next_line: 0,
        lines: 1_000_000,
        pending: Vec::new(),
        pulled: pulled.clone(),
        make: |i| format!("{{\"id\": {i}, \"text\": \"Document number {i}.\"}}\n"),
    };
    let reader = std::io::BufReader::new(input);
    let ids: Vec<String> =
        JsonlSource::new("big.jsonl".into(), Box::new(reader), Options::default(), 0)
            .take(3)
            .flatten()
            .map(|d| d.id)
            .collect();
    assert_eq!(ids, ["0", "1", "2"]);
    let pulled = pulled.load(std::sync::atomic::Ordering::Relaxed);
    assert!(
        pulled <= 64 * 1024,
        "read {pulled} bytes of a ~40 MB stream for three documents"
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_lines_never_panic(s in any::<String>()) {
        let _ = parse_line("f", 1, &s, &Columns::default());
        let _: Vec<_> = read_all(&s, Options::default());
    }

    /// Serialise fields with serde_json, read them back: the same document.
    #[test]
    fn round_trip(
        id in "[a-z0-9_]{1,12}",
        title in "[A-Za-z][A-Za-z ]{0,29}",
        y in 1990u32..2030, m in 1u32..13, d in 1u32..29,
        outlet in "[A-Za-z][A-Za-z ]{0,19}",
        text in "([A-Z][a-z]{1,8}( [a-z]{1,8}){0,8}[.?!] ?){1,6}",
        extra in proptest::collection::btree_map("[a-z]{1,6}", "[a-z0-9 ]{1,10}", 0..4),
    ) {
        let date = format!("{y:04}-{m:02}-{d:02}");
        let mut object = serde_json::Map::new();
        for (k, v) in &extra {
            object.insert(format!("x_{k}"), serde_json::Value::String(v.clone()));
        }
        object.insert("id".into(), id.clone().into());
        object.insert("title".into(), title.clone().into());
        object.insert("date".into(), date.clone().into());
        object.insert("outlet".into(), outlet.clone().into());
        object.insert("text".into(), text.clone().into());
        let line = serde_json::Value::Object(object).to_string();
        let docs = read_all(&format!("{line}\n{line}\n"), Options::default());
        prop_assert_eq!(docs.len(), 2);
        let doc = docs[0].as_ref().map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&doc.id, &id);
        prop_assert_eq!(doc.title.as_deref(), Some(title.trim()));
        prop_assert_eq!(doc.date.as_deref(), Some(date.as_str()));
        prop_assert_eq!(doc.outlet.as_deref(), Some(outlet.trim()));
        let plain = Document::from_text(&id, &text);
        prop_assert_eq!(&doc.text, &plain.text);
        prop_assert_eq!(&doc.sentences, &plain.sentences);
        let meta: Vec<(String, String)> = extra.iter().map(|(k, v)| (format!("x_{k}"), v.clone())).collect();
        let got: Vec<(String, String)> = doc.metadata.clone().into_iter().collect();
        prop_assert_eq!(got, meta);
        // The same line read twice gives the same document but for its line number.
        let second = docs[1].as_ref().map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&second.origin.line, &Some(2));
        prop_assert_eq!(&second.text, &doc.text);
    }
}

/// A JSON string literal and its value: each character written as itself or escaped in one
/// of the ways JSON allows (short escapes, `\u` in either case, surrogate pairs), so that
/// every way of writing a character is read back.
fn json_string() -> impl Strategy<Value = (String, String)> {
    // Half the characters from those JSON writes specially, which any character is seldom.
    let special = prop::sample::select(vec![
        '"', '\\', '/', '\n', '\t', '\r', '\u{8}', '\u{c}', '\u{0}', '\u{1f}', '\u{7f}', 'é', '😀',
    ]);
    let c = prop_oneof![any::<char>(), special];
    prop::collection::vec((c, 0..4u8), 0..40).prop_map(|chars| {
        let mut literal = String::from("\"");
        let mut value = String::new();
        for (c, style) in chars {
            value.push(c);
            match (c, style) {
                ('"', _) => literal.push_str("\\\""),
                ('\\', _) => literal.push_str("\\\\"),
                ('\n', 1) => literal.push_str("\\n"),
                ('\t', 1) => literal.push_str("\\t"),
                ('\r', 1) => literal.push_str("\\r"),
                ('\u{8}', 1) => literal.push_str("\\b"),
                ('\u{c}', 1) => literal.push_str("\\f"),
                ('/', 1) => literal.push_str("\\/"),
                (c, 0) if c >= ' ' => literal.push(c),
                (c, _) => {
                    for unit in c.encode_utf16(&mut [0; 2]) {
                        let _ = if style == 3 {
                            write!(literal, "\\u{unit:04X}")
                        } else {
                            write!(literal, "\\u{unit:04x}")
                        };
                    }
                }
            }
        }
        literal.push('"');
        (literal, value)
    })
}

/// A JSONL line of a few fields, keys repeated at times, each value a string written as
/// [`json_string`] writes it or another JSON value.
fn jsonl_object() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec!["text", "id", "title", "date", "Text", "x"]);
    let value = prop_oneof![
        4 => json_string().prop_map(|(literal, _)| literal),
        1 => Just("null".to_string()),
        1 => Just("true".to_string()),
        1 => (-1e9f64..1e9).prop_map(|n| n.to_string()),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => json_string().prop_map(|(literal, _)| format!("[{literal}, {{\"k\": 1.50}}]")),
    ];
    prop::collection::vec((key, value), 0..6).prop_map(|fields| {
        let fields: Vec<String> = fields
            .iter()
            .map(|(key, value)| format!("\"{key}\" : {value}"))
            .collect();
        format!("{{{}}}", fields.join(", "))
    })
}

proptest! {
    #[test]
    fn unescape_reads_back_every_way_of_writing_a_string(
        (literal, value) in json_string(),
        before in "[a-z\"{}:, ]{0,12}",
        after in "[a-z\"{}:, ]{0,12}",
    ) {
        // The literal where it may be in a line: anywhere, with anything either side.
        let line = format!("{before}{literal}{after}");
        let raw = before.len()..before.len() + literal.len();
        prop_assert_eq!(unescape_in_place(line, raw), Ok(value.clone()));
        prop_assert_eq!(unescape(&literal), Some(value.clone()));
        // serde_json agrees on the value.
        prop_assert_eq!(serde_json::from_str::<String>(&literal).ok(), Some(value));
    }

    #[test]
    fn split_fields_agrees_with_json_values(line in jsonl_object()) {
        let columns = Columns::default();
        let split = split_fields(line.clone(), &columns).ok();
        // Every line with a string text is taken (the generator writes no lone surrogate)...
        prop_assert_eq!(split.is_some(), value_fields(&line, &columns).is_ok());
        // ... and read as serde_json's values read it.
        prop_assert_eq!(split, value_fields(&line, &columns).ok());
    }

    #[test]
    fn split_fields_takes_no_line_values_reject(line in "[{}\\[\\]\":, a-z0-9.\\\\/ud-]{0,40}") {
        let columns = Columns::default();
        if let Ok(split) = split_fields(line.clone(), &columns) {
            prop_assert_eq!(Some(split), value_fields(&line, &columns).ok());
        }
    }
}

#[test]
fn a_long_line_gets_room_for_the_rest_of_the_input_at_once() {
    let line = "x".repeat(3 << 20);
    let input = format!("{line}\n{{}}\n");
    let read = |unread: u64, limit: usize| {
        let mut reader = BufReader::with_capacity(64 * 1024, Cursor::new(input.as_bytes()));
        let (mut buf, mut unread) = (Vec::new(), unread);
        let first = read_line_bounded(&mut reader, &mut buf, limit, &mut unread);
        assert!(matches!(first, Ok(Line::Read)));
        assert_eq!(buf, line.as_bytes());
        let capacity = buf.capacity();
        let second = read_line_bounded(&mut reader, &mut buf, limit, &mut unread);
        assert!(matches!(second, Ok(Line::Read)));
        assert_eq!(buf, b"{}");
        (capacity, unread)
    };
    // Its size known, the input is read into one buffer that fits it, not one of 4 MiB.
    let (capacity, unread) = read(input.len() as u64, usize::MAX);
    assert!(capacity <= input.len(), "{capacity}");
    assert_eq!(unread, 0);
    // No more than the limit is reserved.
    assert!(read(input.len() as u64, line.len()).0 <= line.len());
    // Its size unknown or wrong, the line is read all the same.
    assert!(read(0, usize::MAX).0 >= line.len());
    assert!(read(10, usize::MAX).0 >= line.len());
    // Room that cannot be had is not asked for: no panic, no abort.
    assert!(read(u64::MAX, usize::MAX).0 >= line.len());
}

#[test]
fn a_line_is_handed_over_without_room_to_spare() {
    // A short line is copied, and the buffer kept for the next.
    let mut buf = Vec::with_capacity(4096);
    buf.extend_from_slice(b"{}");
    assert_eq!(hand_over(&mut buf), b"{}");
    assert_eq!(buf.capacity(), 4096);
    // A long one goes with its buffer, less what was reserved for more.
    let mut buf = Vec::with_capacity(8 << 20);
    buf.resize(2 << 20, b'x');
    let line = hand_over(&mut buf);
    assert_eq!((line.len(), buf.capacity()), (2 << 20, 0));
    assert!(line.capacity() < 3 << 20, "{}", line.capacity());
}

#[test]
fn long_lines_are_read_as_short_ones() {
    // Past the length from which the text is unescaped in its line's buffer: every kind of
    // escape, a surrogate pair, non-ASCII text, fields before and after the text.
    let unit = r#"Tokyo\n\"talks\"\t\u00e9\uD83D\uDE00 é \\ \/ \b\f\r "#;
    let text = unit.repeat(UNESCAPE_IN_PLACE_FROM / unit.len() + 1);
    let columns = Columns::default();
    let line = format!(r#"{{"id": "d", "title": "T\u00e9", "text": "{text}", "n": 2}}"#);
    assert!(line.len() >= UNESCAPE_IN_PLACE_FROM);
    let split = split_fields(line.clone(), &columns);
    assert_eq!(
        split.as_ref().ok(),
        value_fields(&line, &columns).ok().as_ref()
    );
    assert!(split.is_ok_and(|(_, text)| text.starts_with("Tokyo\n\"talks\"\té😀 é \\ / ")));
    // The text is where the line was, not a copy of it.
    let copy = line.clone();
    let buffer = copy.as_ptr();
    let (_, text) = split_fields(copy, &columns).unwrap_or_default();
    assert_eq!(text.as_ptr(), buffer);
    // A lone surrogate at the very end is found before anything is moved.
    let bad = line.replace(r#"", "n""#, r#"\udc00", "n""#);
    assert_eq!(split_fields(bad.clone(), &columns), Err(bad.clone()));
    assert!(value_fields(&bad, &columns).is_err());
}

#[test]
fn lone_surrogates_are_errors_as_before() {
    for text in [
        r#"a\ud800b"#,
        r#"a\udc00"#,
        r#"\ud800\u0041"#,
        r#"\uDBFF"#,
        r#"é\n\u00e9\ud800"#,
        // An escaped backslash, then `ud83d` as text, then a lone trailing surrogate: read
        // from the second backslash, the bytes would look like a surrogate pair.
        r#"\\ud83d\ude00"#,
    ] {
        let line = format!(r#"{{"id": "d", "text": "{text}"}}"#);
        // Handed back as it came, for serde_json to say what is wrong with it.
        let literal = format!("\"{text}\"");
        assert_eq!(unescape(&literal), None);
        assert_eq!(
            unescape_in_place(literal.clone(), 0..literal.len()),
            Err(literal)
        );
        assert_eq!(
            split_fields(line.clone(), &Columns::default()),
            Err(line.clone())
        );
        let error = parse_line("f", 4, &line, &Columns::default()).map(|doc| doc.text);
        let Err(Error::Record { message, .. }) = error else {
            panic!("{text}: {error:?}");
        };
        // serde_json's own message, as before.
        let expected = value_fields(&line, &Columns::default())
            .err()
            .unwrap_or_default();
        assert!(expected.starts_with("malformed JSON: "), "{expected}");
        assert_eq!(message, format!("document \"d\": {expected}"));
    }
    let line = r#"{"text": "\ud83d\ude00 \u00e9"}"#;
    let doc = parse_line("f", 1, line, &Columns::default()).map(|doc| doc.text.to_string());
    assert_eq!(doc.ok().as_deref(), Some("\u{1f600} \u{e9}"));
}

//! Tests for the reader: directories, formats by extension, gzip, sniffing, bad inputs.

use std::fs;
use std::io::{Cursor, Write};
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;

use super::{Reader, format_of, read, stem};
use crate::{Document, Error, Options};

/// One line per result: `ok <id> <origin>` or `err <location>: <message>`.
fn summarise(results: impl Iterator<Item = Result<Document, Error>>, root: &Path) -> Vec<String> {
    let root = format!("{}/", root.display());
    results
        .map(|r| match r {
            Ok(d) => format!(
                "ok {} {}:{:?}",
                d.id,
                d.origin.path.replace(&root, ""),
                d.origin.line
            ),
            Err(e) => format!("err {}", e.to_string().replace(&root, "")),
        })
        .collect()
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        assert!(fs::create_dir_all(parent).is_ok());
    }
    assert!(
        fs::write(path, bytes).is_ok(),
        "cannot write {}",
        path.display()
    );
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    assert!(encoder.write_all(bytes).is_ok());
    encoder.finish().unwrap_or_default()
}

fn tempdir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => panic!("cannot create a temporary directory: {e}"),
    }
}

#[test]
fn directory_is_recursive_sorted_and_skips_hidden() {
    let dir = tempdir();
    let root = dir.path();
    write(&root.join("b.txt"), b"B text.");
    write(&root.join("a.md"), b"A text.");
    write(&root.join(".hidden.txt"), b"secret");
    write(&root.join(".git/config.txt"), b"secret");
    write(
        &root.join("sub/c.jsonl.gz"),
        &gzip(b"{\"id\": \"c1\", \"text\": \"One.\"}\n{\"text\": \"Two.\"}\n"),
    );
    write(&root.join("sub/d.htm"), b"<p>Hi there.</p>");
    write(&root.join("sub/e.csv"), b"id,text\ne1,Row.\n");
    write(&root.join("z.weird"), b"Unknown extension is plain text.");
    let inputs = [root.display().to_string()];
    let got = summarise(read(&inputs, &Options::default()), root);
    let two = crate::build::content_id("Two.");
    assert_eq!(
        got,
        [
            "ok a a.md:None".to_string(),
            "ok b b.txt:None".to_string(),
            "ok c1 sub/c.jsonl.gz:Some(1)".to_string(),
            format!("ok {two} sub/c.jsonl.gz:Some(2)"),
            "ok d sub/d.htm:None".to_string(),
            "ok e1 sub/e.csv:Some(2)".to_string(),
            "ok z z.weird:None".to_string(),
        ]
    );
}

#[test]
fn bad_inputs_are_reported_and_others_go_through() {
    let dir = tempdir();
    let root = dir.path();
    write(&root.join("latin1.txt"), b"Caf\xe9 au lait.");
    write(&root.join("empty.txt"), b"");
    write(&root.join("binary.txt"), b"PK\x03\x04\x00\x00 binary");
    write(&root.join("big.txt"), &[b'a'; 300]);
    write(&root.join("big.txt.gz"), &gzip(&[b'a'; 300]));
    write(&root.join("good.txt"), b"Fine.");
    write(&root.join("broken.txt.gz"), b"not gzip at all");
    let names = [
        "latin1.txt",
        "missing.txt",
        "empty.txt",
        "binary.txt",
        "big.txt",
        "big.txt.gz",
        "broken.txt.gz",
        "good.txt",
    ];
    let inputs: Vec<String> = names
        .iter()
        .map(|n| root.join(n).display().to_string())
        .collect();
    let options = Options {
        max_document_bytes: 200,
        ..Options::default()
    };
    let results: Vec<_> = read(&inputs, &options).collect();
    assert_eq!(results.len(), names.len(), "one result per input");

    let latin1 = results[0].as_ref().ok();
    assert_eq!(
        latin1.map(|d| d.text.as_str()),
        Some("Caf\u{fffd} au lait.")
    );
    assert!(latin1.is_some_and(
        |d| d.warnings.len() == 1 && d.warnings[0].contains("latin1.txt: not valid UTF-8")
    ));

    let missing = results[1].as_ref().err();
    assert!(missing.is_some_and(
        |e| e.location().ends_with("missing.txt") && e.message().starts_with("cannot read")
    ));

    let empty = results[2].as_ref().ok();
    assert!(empty.is_some_and(|d| {
        d.sentences.is_empty()
            && d.warnings
                .iter()
                .any(|w| w.ends_with("empty.txt: empty document"))
    }));

    assert!(
        matches!(&results[3], Err(e @ Error::Binary { .. }) if e.is_warning() && e.location().ends_with("binary.txt"))
    );
    assert!(matches!(
        &results[4],
        Err(Error::TooLarge {
            limit: 200,
            line: None,
            ..
        })
    ));
    assert!(
        matches!(
            &results[5],
            Err(Error::TooLarge {
                limit: 200,
                line: None,
                ..
            })
        ),
        "gzipped too"
    );
    assert!(
        matches!(&results[6], Err(Error::Io { .. })),
        "{:?}",
        results[6]
    );
    assert_eq!(
        results[7].as_ref().map(|d| d.id.as_str()).ok(),
        Some("good")
    );
    for e in results.iter().filter_map(|r| r.as_ref().err()) {
        assert!(
            e.to_string().starts_with(&format!("{}: ", e.location())),
            "{e}"
        );
    }
}

#[test]
fn reader_is_lazy() {
    let dir = tempdir();
    let root = dir.path();
    write(&root.join("a.txt"), b"First.");
    let inputs = [
        root.join("a.txt").display().to_string(),
        root.join("later.txt").display().to_string(),
    ];
    let mut reader = read(&inputs, &Options::default());
    assert!(reader.next().is_some_and(|r| r.is_ok()));
    // The second file is created only after the first document was read.
    write(&root.join("later.txt"), b"Second.");
    assert_eq!(
        reader
            .next()
            .and_then(Result::ok)
            .map(|d| d.text.to_string()),
        Some("Second.".to_string())
    );
    assert!(reader.next().is_none());
}

fn sniff(bytes: Vec<u8>) -> Vec<Result<Document, Error>> {
    let mut reader = read(&[], &Options::default());
    let mut out = Vec::new();
    if let Some(first) = reader.open_sniffed("-".to_string(), Box::new(Cursor::new(bytes))) {
        out.push(first.and_then(crate::Record::build));
    }
    out.extend(&mut reader as &mut Reader);
    out
}

#[test]
fn stdin_sniffing() {
    let jsonl = sniff(b"\n  \n{\"text\": \"A.\"}\n{\"text\": \"B.\"}\n".to_vec());
    let texts: Vec<String> = jsonl
        .into_iter()
        .flatten()
        .map(|d| d.text.to_string())
        .collect();
    assert_eq!(texts, ["A.", "B."]);
    let plain = sniff(b"Title\n\nBody {not json}.".to_vec());
    assert_eq!(plain.len(), 1);
    assert_eq!(
        plain[0]
            .as_ref()
            .ok()
            .map(|d| (d.origin.path.as_str(), d.title.as_deref())),
        Some(("-", Some("Title")))
    );
    let gz = sniff(gzip(b"{\"text\": \"Zipped.\"}\n"));
    assert_eq!(
        gz.into_iter()
            .flatten()
            .map(|d| d.text.to_string())
            .collect::<Vec<_>>(),
        ["Zipped."]
    );
    let blank = sniff(b"   \n".to_vec());
    assert!(
        blank[0]
            .as_ref()
            .is_ok_and(|d| d.sentences.is_empty() && !d.warnings.is_empty())
    );
}

#[test]
fn formats_and_stems() {
    let cases = [
        ("x.jsonl.gz", "Jsonl", true, "x"),
        (
            "dir/000_f94768ee9ed23074.txt",
            "Plain",
            false,
            "000_f94768ee9ed23074",
        ),
        ("A.HTML", "Html", false, "A"),
        ("b.ndjson", "Jsonl", false, "b"),
        ("c.csv.GZ", "Csv", true, "c"),
        ("notes", "Plain", false, "notes"),
        ("page.htm", "Html", false, "page"),
        ("v1.2.text", "Plain", false, "v1.2"),
    ];
    for (path, format, gzipped, expected_stem) in cases {
        let (f, gz) = format_of(path);
        assert_eq!(
            (format!("{f:?}"), gz, stem(path)),
            (format.to_string(), gzipped, expected_stem.to_string()),
            "{path}"
        );
    }
}

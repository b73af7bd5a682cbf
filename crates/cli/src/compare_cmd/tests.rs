use std::io::Write;

use super::{Insert, Spill, Splice};

/// Writes `text` through a splice of a spill holding `elements`, in pieces of `chunk` bytes,
/// and returns what came out.
fn splice(text: &str, anchor: &str, elements: &[&str], chunk: usize) -> Result<String, String> {
    let mut spill = Spill::new(None);
    for element in elements {
        spill.push(element.as_bytes()).map_err(|e| e.to_string())?;
    }
    let mut out = Vec::new();
    let mut writer = Splice::new(
        &mut out,
        vec![Insert::spill(anchor.as_bytes(), spill, b"|")],
    );
    for piece in text.as_bytes().chunks(chunk) {
        writer.write_all(piece).map_err(|e| e.to_string())?;
    }
    writer.finish().map_err(|e| e.to_string())?;
    String::from_utf8(out).map_err(|e| e.to_string())
}

#[test]
fn elements_go_inside_the_first_anchor_whatever_the_write_sizes() {
    // Near misses before the anchor (a prefix that breaks off, a prefix that restarts inside
    // itself), the anchor itself, and a second anchor that must stay as it is.
    let text =
        r#"{"a":"documents","documen":1,""documents":[]x,"documents":[],"b":{"documents":[]}}"#;
    let want =
        r#"{"a":"documents","documen":1,""documents":[]x,"documents":[],"b":{"documents":[]}}"#
            .replacen(r#"[]x"#, r#"[1,2|]x"#, 1);
    for chunk in [1, 2, 3, 7, 1000, 1 << 17] {
        let got = splice(text, r#""documents":[]"#, &["1", "2"], chunk);
        assert_eq!(got.as_deref(), Ok(want.as_str()), "chunk {chunk}");
    }
    // No elements: the report is copied unchanged, and `close` is not written.
    let got = splice(text, r#""documents":[]"#, &[], 3);
    assert_eq!(got.as_deref(), Ok(text));
}

#[test]
fn a_missing_anchor_is_an_error() {
    let got = splice("{\"x\":[]}", "\"documents\":[]", &["1"], 4);
    assert!(got.is_err(), "{got:?}");
}

#[test]
fn a_spill_in_memory_splices_like_a_file() {
    let mut spill = Spill::new(None);
    spill.store = super::Store::Memory(Vec::new());
    for element in ["1", "2"] {
        assert!(spill.push(element.as_bytes()).is_ok());
    }
    let mut out = Vec::new();
    let mut writer = Splice::new(&mut out, vec![Insert::spill(b"\"d\":[]", spill, b"")]);
    assert!(writer.write_all(b"{\"d\":[]}").is_ok());
    assert!(writer.finish().is_ok());
    assert_eq!(String::from_utf8_lossy(&out), "{\"d\":[1,2]}");
}

/// A pretty report's spill holds marked elements and writes them expanded, from a file and
/// from memory alike, whether it is cut into pieces (expanded in parallel, in rounds) or not.
#[test]
fn an_expanding_spill_writes_pretty_elements() {
    let elements = [r#"{"a":[1,{}],"b":"x,\"y"}"#, "[]"];
    let want = "{\"d\": [\n  {\n    \"a\": [\n      1,\n      {}\n    ],\n    \"b\": \"x,\\\"y\"\n  },\n  []|]}";
    // Many elements and small pieces: several rounds, pieces cut inside lines and markers.
    let many: Vec<String> = (0..100)
        .map(|i| {
            format!(
                r#"{{"i":{i},"l":[{}],"s":"{}"}}"#,
                "1,".repeat(i % 4) + "0",
                ",".repeat(i % 3)
            )
        })
        .collect();
    let mut want_many = String::from("{\"d\": [");
    for (i, element) in many.iter().enumerate() {
        if i > 0 {
            want_many.push(',');
        }
        let value: serde_json::Value = serde_json::from_str(element).expect("valid JSON");
        let mut bytes = Vec::new();
        assert!(crate::report::indented_element(&mut bytes, &value, 1).is_ok());
        want_many.push_str(&String::from_utf8_lossy(&bytes));
    }
    want_many.push_str("|]}");
    let marked = |elements: &[&str]| -> Vec<Vec<u8>> {
        elements
            .iter()
            .map(|element| {
                let value: serde_json::Value = serde_json::from_str(element).expect("valid JSON");
                let mut pretty = Vec::new();
                assert!(crate::report::indented_element(&mut pretty, &value, 0).is_ok());
                crate::report::marked::marked_of(&pretty)
            })
            .collect()
    };
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    for (elements, want) in [
        (marked(&elements), want),
        (marked(&many), want_many.as_str()),
    ] {
        for in_memory in [false, true] {
            for piece in [1, 7, 1 << 20] {
                let mut spill = Spill::new(Some(1));
                spill.piece = piece;
                if in_memory {
                    spill.store = super::Store::Memory(Vec::new());
                }
                for element in &elements {
                    assert!(spill.push(element).is_ok());
                }
                let mut out = Vec::new();
                let mut writer =
                    Splice::new(&mut out, vec![Insert::spill(b"\"d\": []", spill, b"|")]);
                assert!(writer.write_all(b"{\"d\": []}").is_ok());
                assert!(writer.finish().is_ok());
                assert_eq!(
                    String::from_utf8_lossy(&out),
                    want,
                    "in memory: {in_memory}, piece: {piece}"
                );
            }
        }
    }
}

/// A value with arrays at the depths the report's inserts use, nested arrays and objects in
/// the elements, and an empty array that must stay `[]`.
#[derive(serde::Serialize)]
struct Nested {
    a: Vec<Vec<u8>>,
    b: Inner,
    c: Vec<Inner>,
    d: Vec<u8>,
}

#[derive(serde::Serialize, Clone)]
struct Inner {
    list: Vec<Vec<u8>>,
    name: String,
}

fn nested(n: usize) -> Nested {
    let inner = |i: usize| Inner {
        list: (0..i % 4).map(|j| vec![j as u8; j]).collect(),
        name: format!("x{i}\"\\\n"),
    };
    Nested {
        a: (0..n).map(|i| vec![i as u8; i % 3]).collect(),
        b: Inner {
            list: (0..n).map(|i| vec![i as u8; i % 5]).collect(),
            name: "b".into(),
        },
        c: (0..n).map(inner).collect(),
        d: Vec::new(),
    }
}

/// Inserting the arrays through a splice, rendered in parallel rounds of tasks, gives the bytes
/// `serde_json`'s pretty printer gives for the whole value: for empty arrays, one element,
/// and more elements than one round of tasks holds.
#[test]
fn inserted_elements_equal_the_pretty_printer() {
    let rounds = super::ELEMENTS_PER_TASK * super::TASKS_PER_ROUND;
    for n in [0, 1, 2, 17, rounds + 3] {
        let value = nested(n);
        let want = serde_json::to_string_pretty(&value).unwrap_or_default();
        let mut emptied = nested(n);
        let a = std::mem::take(&mut emptied.a);
        let b_list = std::mem::take(&mut emptied.b.list);
        let c = std::mem::take(&mut emptied.c);
        let mut out = Vec::new();
        let mut writer = Splice::new(
            &mut out,
            vec![
                Insert::elements(b"\n  \"a\": []", &a, 2),
                Insert::elements(b"\n    \"list\": []", &b_list, 3),
                Insert::elements(b"\n  \"c\": []", &c, 2),
            ],
        );
        let text = serde_json::to_string_pretty(&emptied).unwrap_or_default();
        for piece in text.as_bytes().chunks(5) {
            assert!(writer.write_all(piece).is_ok());
        }
        assert!(writer.finish().is_ok(), "n = {n}");
        assert_eq!(String::from_utf8_lossy(&out), want, "n = {n}");
    }
}

/// Inserts are found in order: an anchor that only comes before the previous insert's is
/// missing.
#[test]
fn inserts_out_of_order_are_an_error() {
    let mut emptied = nested(2);
    let a = std::mem::take(&mut emptied.a);
    let c = std::mem::take(&mut emptied.c);
    let mut out = Vec::new();
    let mut writer = Splice::new(
        &mut out,
        vec![
            Insert::elements(b"\n  \"c\": []", &c, 2),
            Insert::elements(b"\n  \"a\": []", &a, 2),
        ],
    );
    let text = serde_json::to_string_pretty(&emptied).unwrap_or_default();
    assert!(writer.write_all(text.as_bytes()).is_ok());
    assert!(writer.finish().is_err());
}

/// The report of the five seeds compared (twice each, once with a date), with the full
/// matrix when `full`, else top-k neighbours; one contested document's id and evidence
/// text, and a timeline point's id, need escaping.
fn seeds_report(full: bool) -> crate::report::CompareReport {
    let seeds = [
        include_str!("../../../../seeds/000_f94768ee9ed23074.txt"),
        include_str!("../../../../seeds/001_a20b4882fe9274f4.txt"),
        include_str!("../../../../seeds/002_fa70ba8b07161890.txt"),
        include_str!("../../../../seeds/003_6c03b276927b0c11.txt"),
        include_str!("../../../../seeds/004_9758f7dde3184293.txt"),
    ];
    let scorer = score::Scorer::new(&score::Actors::builtin(), &score::Lexicon::builtin());
    let mut docs = Vec::new();
    for (i, seed) in seeds.iter().enumerate() {
        for copy in 0..2 {
            let doc = ingest::Document::from_text(&format!("seed \"{i}\"\t{copy}"), seed);
            let mut scored = scorer.score(&doc);
            if copy == 1 {
                scored.date = Some(format!("2016-0{}-1{i}", i + 1));
            }
            docs.push(scored);
        }
    }
    let options = compare::Options {
        full_similarity_max_docs: if full { 100 } else { 0 },
        top_k: 3,
        ..compare::Options::default()
    };
    let comparison = compare::compare(&docs, &options);
    let mut report = crate::report::compare_report(Vec::new(), comparison, Vec::new());
    if let Some(doc) = report
        .contested
        .first_mut()
        .and_then(|c| c.conciliatory_docs.first_mut())
    {
        doc.doc = "\u{1}\"quoted\"\\".into();
        if let Some(evidence) = &mut doc.evidence {
            evidence.text.push_str("\n\u{7f}’\u{2028}");
            evidence.modifiers = [evidence.modifiers.to_vec(), vec!["negated".into()]]
                .concat()
                .into();
        }
    }
    report
}

/// The matrix rows, computed as they are rendered, render as serde renders the rows held
/// (the generic `ElementList` of a `Vec`), over the whole matrix and over ranges of it.
fn same_rows(matrix: &compare::SimilarityMatrix) {
    use super::{ElementList, MatrixRows};
    let rows: Vec<Vec<crate::report::F4>> = matrix
        .rows(0..matrix.len())
        .into_iter()
        .map(|row| row.into_iter().map(crate::report::F4).collect())
        .collect();
    assert!(rows.len() > 4, "the seeds give a matrix to compare");
    let lazy = MatrixRows(matrix.clone());
    for depth in 0..5 {
        for range in [0..rows.len(), 0..1, 2..rows.len() - 1, 3..3] {
            let render = |elements: &dyn ElementList| {
                let mut out = Vec::new();
                assert!(elements.render(&mut out, range.clone(), depth).is_ok());
                String::from_utf8_lossy(&out).into_owned()
            };
            assert_eq!(
                render(&lazy),
                render(&rows),
                "matrix rows {range:?} at depth {depth}"
            );
        }
    }
}

/// The direct writer renders each inserted array as serde renders it (the generic
/// `ElementList` of a `Vec`), at the depths the report uses and more.
#[test]
fn direct_lists_render_as_serde_renders_them() {
    use super::{DirectList, ElementList};
    fn same<T: serde::Serialize + crate::report::Direct + Clone + Sync>(list: &[T], name: &str) {
        assert!(!list.is_empty(), "{name}: the seeds give none to compare");
        for depth in 0..5 {
            let render = |elements: &dyn ElementList| {
                let mut out = Vec::new();
                assert!(elements.render(&mut out, 0..elements.len(), depth).is_ok());
                String::from_utf8_lossy(&out).into_owned()
            };
            let serde = list.to_vec();
            assert_eq!(
                render(&DirectList(list.to_vec())),
                render(&serde),
                "{name} at depth {depth}"
            );
        }
    }
    for full in [true, false] {
        let report = seeds_report(full);
        same(&report.contested, "contested");
        same(&report.corpus.dyads, "corpus dyads");
        same(&report.timeline, "timeline");
        match &report.similarity {
            crate::report::SimilarityReport::Full { matrix, .. } => same_rows(&matrix.0),
            crate::report::SimilarityReport::TopK { neighbours, .. } => {
                same(neighbours, "neighbours");
            }
        }
    }
}

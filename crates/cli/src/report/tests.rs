//! Tests for float rounding, the scored-document round trip through JSON, and the direct
//! writer against serde_json.

use super::*;

/// The direct writer's floats are serde_json's digits for F4: for every value of four decimals
/// up to ±1 (each similarity and dyad score), for sampled larger ones up to the fast path's
/// bound and past it, and for values that round.
#[test]
fn direct_floats_are_serde_digits() {
    let check = |value: f64| {
        let mut got = Vec::new();
        direct::float(&mut got, value);
        let want = serde_json::to_string(&F4(value)).expect("serialises");
        assert_eq!(String::from_utf8_lossy(&got), want, "F4({value:e})");
    };
    for k in -10_000..=10_000 {
        check(k as f64 / 10_000.0);
    }
    let mut k: u128 = 1;
    while k < 1 << 70 {
        for value in [k, k + 1, k * 3 + 7, k * 10_000 + 5_000, k * 10_000 - 1] {
            check(value as f64 / 10_000.0);
            check(-(value as f64) / 10_000.0);
        }
        k = k * 7 + 3;
    }
    for value in [
        0.123_449,
        0.123_45,
        0.000_05,
        -0.000_05,
        0.000_049,
        1e-300,
        12.345_65,
        1e9,
        1e15,
        1e16,
        1e300,
        f64::MAX,
        f64::MIN_POSITIVE,
        f64::NAN,
        f64::INFINITY,
        -0.0,
    ] {
        check(value);
        check(-value);
    }
}

/// [`direct::float`] writes serde_json's digits for F4 of `value`.
fn direct_float_is_serde(value: f64) -> Result<(), proptest::test_runner::TestCaseError> {
    let mut got = Vec::new();
    direct::float(&mut got, value);
    let want = serde_json::to_string(&F4(value)).expect("serialises");
    proptest::prop_assert_eq!(String::from_utf8_lossy(&got), want, "F4({:e})", value);
    Ok(())
}

proptest::proptest! {
    /// The direct writer rounds as `f64::round` does, for any double and for those at and
    /// next to a half (`k + 0.5` ten-thousandths, where rounding goes away from zero), up to
    /// and past the fast path's bound.
    #[test]
    fn direct_floats_round_as_serde_does(
        value in proptest::num::f64::ANY,
        k in proptest::prop_oneof![-20_000i64..20_000, -2_000_000_000_000_000i64..2_000_000_000_000_000],
    ) {
        direct_float_is_serde(value)?;
        let half = (k as f64 + 0.5) / 10_000.0;
        for value in [half, half.next_up(), half.next_down()] {
            direct_float_is_serde(value)?;
        }
    }
}

#[test]
fn f4_rounds_to_four_decimals_and_drops_negative_zero() {
    let cases: &[(f64, &str)] = &[
        (0.123_449, "0.1234"),
        (0.123_451, "0.1235"),
        (-0.000_01, "0.0"),
        (-0.0, "0.0"),
        (2.0 / 3.0, "0.6667"),
        (-0.62, "-0.62"),
        (1.0, "1.0"),
        (f64::NAN, "0.0"),
    ];
    for &(value, expected) in cases {
        let got = serde_json::to_string(&F4(value)).expect("serialises");
        assert_eq!(got, expected, "F4({value})");
    }
}

fn sample() -> score::ScoredDocument {
    let evidence = |sentence, start, stance, weight: i64, modifiers: &[&str]| {
        std::sync::Arc::new(score::Evidence {
            sentence,
            start,
            end: start + 7,
            cue: "condemn*".into(),
            stance,
            weight: score::Weight(weight),
            modifiers: modifiers.iter().map(|m| m.to_string().into()).collect(),
            text: "Moscow condemned Tokyo.".into(),
        })
    };
    score::ScoredDocument {
        id: "doc-1".into(),
        title: Some("A \"title\"".into()),
        date: Some("2024-03-01".into()),
        outlet: None,
        metadata: [("section".to_string(), "world".to_string())]
            .into_iter()
            .collect(),
        sentences: 3,
        dyads: vec![score::DyadScore {
            source: "RUS".into(),
            target: "JPN".into(),
            conciliatory: score::Weight(3),
            hawkish: score::Weight(12_345),
            cues: 2,
            evidence: vec![
                evidence(0, 7, score::Stance::Hawkish, 12_345, &[]),
                evidence(2, 40, score::Stance::Conciliatory, 3, &["negated", "hedge"]),
            ],
        }],
        tone: vec![score::ToneScore {
            actor: "PRK".into(),
            conciliatory: score::Weight(0),
            hawkish: score::Weight(7_001),
            cues: 1,
            evidence: vec![evidence(
                1,
                3,
                score::Stance::Hawkish,
                7_001,
                &["intensifier"],
            )],
        }],
        warnings: vec!["a warning".into()],
    }
}

#[test]
fn scored_document_round_trips_exactly_through_jsonl() {
    let original = sample();
    let mut report = document_report(&original);
    report.schema = Some(SCHEMA.to_string());
    let line = serde_json::to_string(&report).expect("serialises");
    let parsed: DocumentReport = serde_json::from_str(&line).expect("parses back");
    let back = scored_document(&parsed).expect("converts back");
    assert_eq!(
        back, original,
        "help: weights are 4-decimal fixed point and must survive JSON exactly"
    );
}

#[test]
fn matrix_holds_the_rounded_dyad_score() {
    let report = document_report(&sample());
    let json = serde_json::to_value(&report).expect("serialises");
    // (0.0003 - 1.2345) / (0.0003 + 1.2345 + 1) = -0.55230...
    assert_eq!(json["matrix"]["RUS"]["JPN"], serde_json::json!(-0.5523));
    assert_eq!(json["dyads"][0]["score"], serde_json::json!(-0.5523));
    assert_eq!(json["dyads"][0]["evidence"][1]["stance"], "conciliatory");
}

#[test]
fn unknown_stance_is_an_error() {
    let mut report = document_report(&sample());
    report.dyads[0].evidence[0].stance = "neutral".into();
    assert_eq!(
        scored_document(&report).map(|_| ()),
        Err("unknown stance \"neutral\"".to_string())
    );
}

/// The JSONL line of `doc` as serde_json writes its report, the oracle of `document_line`.
fn serde_line(doc: &score::ScoredDocument) -> String {
    let mut report = document_report(doc);
    report.schema = Some(SCHEMA.to_string());
    let mut line = serde_json::to_string(&report).expect("serialises");
    line.push('\n');
    line
}

/// The `documents` element of `doc` as serde_json pretty-prints its report, the oracle of
/// `document_element`.
fn serde_element(doc: &score::ScoredDocument) -> String {
    let mut bytes = Vec::new();
    pretty_element(&mut bytes, &document_report(doc), &indentation(2)).expect("serialises");
    String::from_utf8(bytes).expect("the element is UTF-8")
}

/// Checks both forms the direct writer writes, the JSONL line and the pretty element, against
/// serde_json.
fn check_direct(doc: &score::ScoredDocument) {
    let mut bytes = Vec::new();
    document_line(&mut bytes, doc);
    let line = String::from_utf8(bytes).expect("the line is UTF-8");
    let expected = serde_line(doc);
    assert!(
        line == expected,
        "document_line differs from serde_json\n```\n{line}```\n```\n{expected}```\nhelp: a field, its order or the string escaping of report/direct.rs no longer follows DocumentReport"
    );
    let mut bytes = Vec::new();
    document_element(&mut bytes, doc);
    let element = String::from_utf8(bytes).expect("the element is UTF-8");
    let expected = serde_element(doc);
    assert!(
        element == expected,
        "document_element differs from serde_json's pretty printer\n```{element}\n```\n```{expected}\n```\nhelp: check the newlines, indentation and empty containers of report/direct.rs's Json writer against serde_json's PrettyFormatter"
    );
    let mut bytes = Vec::new();
    document_compact(&mut bytes, doc);
    let compact = String::from_utf8(bytes).expect("the element is UTF-8");
    let expected = serde_json::to_string(&document_report(doc)).expect("a report serialises");
    assert!(
        compact == expected,
        "document_compact differs from serde_json\n```\n{compact}\n```\n```\n{expected}\n```"
    );
    // Large documents are streamed to the output instead.
    for (element, expected) in [(false, line.as_bytes()), (true, element.as_bytes())] {
        let mut streamed = Vec::new();
        stream_document(&mut streamed, doc, element).expect("a Vec takes every write");
        assert!(
            streamed == expected,
            "stream_document(element: {element}) differs from the document written whole"
        );
    }
    // `stance compare` spills the marked form and expands it on the way out.
    let mut marked = Vec::new();
    document_marked(&mut marked, doc);
    let mut expanded = Vec::new();
    super::marked::expand(&marked, 2, &mut expanded);
    assert!(
        expanded == element.as_bytes(),
        "the marked element expanded differs from document_element\n```{}\n```",
        String::from_utf8_lossy(&expanded)
    );
}

#[test]
fn direct_writer_equals_serde_json() {
    let mut doc = sample();
    check_direct(&doc);
    // Strings needing every kind of escape, at every offset of the eight-byte chunks.
    let nasty: String = (0u8..0x80).map(char::from).collect::<String>() + "é’\u{2028}\"\\";
    for shift in 0..9 {
        let text = format!("{}{nasty}{}", "x".repeat(shift), "y".repeat(shift));
        std::sync::Arc::make_mut(&mut doc.dyads[0].evidence[0]).text = text.as_str().into();
        std::sync::Arc::make_mut(&mut doc.tone[0].evidence[0]).modifiers =
            [text.clone().into(), "".into()].into();
        doc.metadata.insert(text.clone(), text.clone());
        doc.outlet = Some(text);
        check_direct(&doc);
    }
    // Evidence of one sentence in several dyads and a tone entry, written from the escaped
    // text kept for the sentence; evidence whose sentence number holds other text (not made by
    // the scorer) and sentence numbers past the table are escaped anew.
    let mut shared = doc.dyads[0].clone();
    shared.target = "IND".into();
    let mut other_text = shared.evidence[0].clone();
    std::sync::Arc::make_mut(&mut other_text).text = "Another \"sentence\".".into();
    let mut far = shared.evidence[0].clone();
    std::sync::Arc::make_mut(&mut far).sentence = usize::MAX;
    shared.evidence.extend([other_text, far.clone(), far]);
    doc.tone[0].evidence.push(shared.evidence[0].clone());
    doc.dyads.push(shared);
    check_direct(&doc);
    // Several dyads, out of order and with a repeated pair; no tone, no title.
    let mut second = doc.dyads[0].clone();
    second.target = "CHN".into();
    second.hawkish = score::Weight(1);
    let mut repeated = doc.dyads[0].clone();
    repeated.conciliatory = score::Weight(99_999);
    let mut other_source = doc.dyads[0].clone();
    other_source.source = "JPN".into();
    doc.dyads = vec![second, doc.dyads[0].clone(), other_source, repeated];
    doc.tone.clear();
    doc.title = None;
    doc.warnings = vec!["no actors found".into(), "\u{1}".into()];
    check_direct(&doc);
    // A dyad and a tone entry without evidence, no warnings.
    let mut quiet = doc.dyads[0].clone();
    quiet.evidence.clear();
    doc.dyads.push(quiet);
    doc.tone = vec![score::ToneScore {
        actor: "USA".into(),
        conciliatory: score::Weight(1),
        hawkish: score::Weight(0),
        cues: 0,
        evidence: Vec::new(),
    }];
    doc.warnings.clear();
    check_direct(&doc);
    // Every list and map empty, every optional field absent.
    doc.dyads.clear();
    doc.tone.clear();
    doc.metadata.clear();
    doc.date = None;
    doc.outlet = None;
    check_direct(&doc);
    for sentences in [0, 9, 10, 99, 100, 12_345, usize::MAX] {
        doc.sentences = sentences;
        check_direct(&doc);
    }
}

#[test]
fn direct_writer_equals_serde_json_on_seeds() {
    let model_actors = score::Actors::builtin();
    let lexicon = score::Lexicon::builtin();
    let scorer = score::Scorer::new(&model_actors, &lexicon);
    let seeds = [
        include_str!("../../../../seeds/000_f94768ee9ed23074.txt"),
        include_str!("../../../../seeds/001_a20b4882fe9274f4.txt"),
        include_str!("../../../../seeds/002_fa70ba8b07161890.txt"),
    ];
    for (i, seed) in seeds.iter().enumerate() {
        let doc = ingest::Document::from_text(&format!("seed-{i}"), seed);
        let scored = scorer.score(&doc);
        check_direct(&scored);
        check_size_hint(&scored);
    }
}

/// A writer that counts its writes and fails from the `fail_at`-th on.
struct Pieces {
    bytes: Vec<u8>,
    writes: usize,
    fail_at: usize,
}

impl std::io::Write for Pieces {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writes += 1;
        if self.writes >= self.fail_at {
            return Err(std::io::Error::other("disk full"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn escaped_sentences_are_kept_up_to_a_bound_and_written_the_same_either_way() {
    use direct::SentenceTexts;
    // Twelve sentences of 200 KB, each needing escapes: 2.4 MB, past what is kept.
    let texts: Vec<String> = (0..12)
        .map(|i| format!("\"{i}\" and \\ ’\n").repeat(200_000 / 12))
        .collect();
    let mut kept = SentenceTexts::new(texts.len());
    for _ in 0..2 {
        for (sentence, text) in texts.iter().enumerate() {
            let mut out = Vec::new();
            kept.write(&mut out, sentence, text);
            let mut expected = Vec::new();
            direct::string(&mut expected, text);
            assert!(out == expected, "sentence {sentence} written differently");
        }
    }
    assert!(kept.kept() > 0, "nothing was kept");
    assert!(kept.kept() <= 1 << 20, "{} bytes kept", kept.kept());
}

#[test]
fn a_large_document_is_streamed_in_pieces_with_the_same_bytes() {
    let scorer = score::Scorer::new(&score::Actors::builtin(), &score::Lexicon::builtin());
    let seeds = [
        include_str!("../../../../seeds/000_f94768ee9ed23074.txt"),
        include_str!("../../../../seeds/001_a20b4882fe9274f4.txt"),
        include_str!("../../../../seeds/002_fa70ba8b07161890.txt"),
    ]
    .join("\n\n")
    .repeat(4);
    let doc = scorer.score(&ingest::Document::from_text("large", &seeds));
    for element in [false, true] {
        let mut whole = Vec::new();
        if element {
            document_element(&mut whole, &doc);
        } else {
            document_line(&mut whole, &doc);
        }
        assert!(whole.len() > 3 * direct::DRAIN_AT, "{} bytes", whole.len());
        let mut pieces = Pieces {
            bytes: Vec::new(),
            writes: 0,
            fail_at: usize::MAX,
        };
        stream_document(&mut pieces, &doc, element).expect("no write fails");
        assert!(
            pieces.bytes == whole,
            "streamed bytes differ (element: {element})"
        );
        assert!(
            pieces.writes > 3,
            "{} writes: the report was held whole",
            pieces.writes
        );
        // A write error ends the document and is returned; nothing is written after it.
        let mut failing = Pieces {
            bytes: Vec::new(),
            writes: 0,
            fail_at: 2,
        };
        let error =
            stream_document(&mut failing, &doc, element).expect_err("the second write fails");
        assert_eq!(error.to_string(), "disk full");
        assert_eq!(failing.writes, 2);
    }
}

/// The buffer reserved for a document holds its report (for plain strings) without wasting
/// more than a fifth of it (on the seeds the hint is 5-9 % above).
fn check_size_hint(doc: &score::ScoredDocument) {
    for layout in [Layout::Compact, Layout::Pretty, Layout::Marked] {
        let mut bytes = Vec::new();
        match layout {
            Layout::Compact => document_line(&mut bytes, doc),
            Layout::Pretty => document_element(&mut bytes, doc),
            Layout::Marked => document_marked(&mut bytes, doc),
        }
        let hint = direct::size_hint(doc, layout);
        assert!(
            (bytes.len()..=bytes.len() * 6 / 5).contains(&hint),
            "size_hint({layout:?}) is {hint} for a report of {} bytes",
            bytes.len()
        );
    }
}

/// `indented_element` writes in one pass what `pretty_element` gets by re-indenting serde's
/// pretty output: at several depths, for a document report and for a value with empty and
/// nested arrays and objects.
#[test]
fn indented_element_equals_the_reindented_pretty_printer() {
    let nested: serde_json::Value = serde_json::from_str(
        r#"{"a": [], "b": {}, "c": [[], [1, [2, {}]], {"d": {"e": []}}], "f": "x\ny", "g": null}"#,
    )
    .expect("valid JSON");
    let report = document_report(&sample());
    for depth in 0..5 {
        let prefix = indentation(depth);
        for value in [
            &nested,
            &serde_json::to_value(&report).expect("a report serialises"),
        ] {
            let (mut want, mut got) = (Vec::new(), Vec::new());
            pretty_element(&mut want, value, &prefix).expect("serialises");
            indented_element(&mut got, value, depth).expect("serialises");
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&want),
                "depth {depth}"
            );
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { failure_persistence: None, ..proptest::prelude::ProptestConfig::with_cases(512) })]

    /// The direct writer's strings are serde_json's, whatever the mix of plain bytes and
    /// bytes to escape, and wherever in the eight-byte chunks they fall.
    #[test]
    fn prop_direct_string_is_serde_json(
        value in proptest::prop_oneof![
            proptest::prelude::any::<String>(),
            "[a-z \"\\\\\u{0}-\u{1f}é’\u{2028}]{0,40}",
            "[a-z]{0,20}",
        ],
    ) {
        let mut out = Vec::new();
        direct::string(&mut out, &value);
        let expected = serde_json::to_string(&value).expect("a string serialises");
        proptest::prop_assert_eq!(String::from_utf8(out).expect("UTF-8"), expected);
    }
}

//! Tests for the sentence splitter: a table of cases and a coverage property.

use super::{ELLIPSIS, Stops, segment, segment_all};
use proptest::prelude::*;

/// Segments `text` and compares the sentence texts with `expected`.
fn check(name: &str, text: &str, expected: &[&str]) {
    let got: Vec<&str> = segment(text)
        .iter()
        .map(|s| &text[s.start..s.end])
        .collect();
    assert_eq!(
        got, expected,
        "case {name}\ninput:\n```\n{text}\n```\nhelp: a split point is wrong; see `sentence_end` and `abbreviation`"
    );
}

const CASES: &[(&str, &str, &[&str])] = &[
    ("empty", "", &[]),
    ("blank", "  \n\n \t", &[]),
    (
        "two sentences",
        "Russia objected. Japan agreed.",
        &["Russia objected.", "Japan agreed."],
    ),
    (
        "question and bang",
        "Why now? Nobody knows! Fine.",
        &["Why now?", "Nobody knows!", "Fine."],
    ),
    (
        "us acronym mid sentence",
        "the U.S. and Japanese effort failed.",
        &["the U.S. and Japanese effort failed."],
    ),
    (
        "us acronym then opener",
        "Sanctions came from the U.S. The Kremlin shrugged.",
        &["Sanctions came from the U.S.", "The Kremlin shrugged."],
    ),
    (
        "un acronym before name",
        "The U.N. Security Council met.",
        &["The U.N. Security Council met."],
    ),
    (
        "title abbreviation",
        "Mr. Abe met Gen. Gerasimov.",
        &["Mr. Abe met Gen. Gerasimov."],
    ),
    (
        "initial",
        "President Vladimir V. Putin spoke.",
        &["President Vladimir V. Putin spoke."],
    ),
    (
        "month abbreviation",
        "It was signed on Jan. 6 in Seoul.",
        &["It was signed on Jan. 6 in Seoul."],
    ),
    (
        "decimal and money",
        "Trade reached $1 billion, up 3.5 percent.",
        &["Trade reached $1 billion, up 3.5 percent."],
    ),
    (
        "closing quote belongs to sentence",
        "He called it \u{201c}frightening.\u{201d} Moscow agreed.",
        &[
            "He called it \u{201c}frightening.\u{201d}",
            "Moscow agreed.",
        ],
    ),
    (
        "straight quote",
        "She said \"no.\" Then she left.",
        &["She said \"no.\"", "Then she left."],
    ),
    (
        "quote then lowercase",
        "\"Stop.\" he said.",
        &["\"Stop.\" he said."],
    ),
    (
        "ellipsis lowercase",
        "He waited... and waited.",
        &["He waited... and waited."],
    ),
    (
        "ellipsis uppercase",
        "He waited... Nothing came.",
        &["He waited...", "Nothing came."],
    ),
    (
        "unicode ellipsis",
        "He waited\u{2026} Nothing came.",
        &["He waited\u{2026}", "Nothing came."],
    ),
    (
        "heading line",
        "A Pivot to Japan\nEven though it rained, they met.",
        &["A Pivot to Japan", "Even though it rained, they met."],
    ),
    (
        "list items",
        "- first item\n- second item",
        &["- first item", "- second item"],
    ),
    (
        "numbered list",
        "1. First point\n2. Second point",
        &["1. First point", "2. Second point"],
    ),
    (
        "wrapped prose",
        "Moscow has spent\nyears on this.",
        &["Moscow has spent\nyears on this."],
    ),
    (
        "url",
        "See www.example.com/a?b=c for more.",
        &["See www.example.com/a?b=c for more."],
    ),
    (
        "no final punctuation",
        "Russia objected",
        &["Russia objected"],
    ),
    (
        "etc then lowercase",
        "oil, gas, etc. are traded.",
        &["oil, gas, etc. are traded."],
    ),
    (
        "parenthesis closer",
        "(This is aside.) Next one.",
        &["(This is aside.)", "Next one."],
    ),
    ("crlf", "One.\r\nTwo.\r\n", &["One.", "Two."]),
    (
        "digit after stop",
        "It ended in 2016. 2017 was calmer.",
        &["It ended in 2016.", "2017 was calmer."],
    ),
];

#[test]
fn sentence_cases() {
    for (name, text, expected) in CASES {
        check(name, text, expected);
    }
}

#[test]
fn paragraphs_blank_separated() {
    let text = "One. Two.\nThree.\n\nFour.";
    let (_, paragraphs) = segment_all(text);
    let got: Vec<&str> = paragraphs.iter().map(|s| &text[s.start..s.end]).collect();
    assert_eq!(got, ["One. Two.\nThree.", "Four."]);
}

#[test]
fn paragraphs_one_per_line_without_blank_lines() {
    let text = "Title\nOne. Two.\nThree.";
    let (_, paragraphs) = segment_all(text);
    let got: Vec<&str> = paragraphs.iter().map(|s| &text[s.start..s.end]).collect();
    assert_eq!(got, ["Title", "One. Two.", "Three."]);
}

fn proptest_config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

/// Checks the span invariants against a slow oracle that walks characters.
fn assert_covering(text: &str, spans: &[crate::Span]) {
    let mut previous_end = 0;
    for span in spans {
        assert!(span.start < span.end, "empty span {span:?} in {text:?}");
        assert!(
            span.start >= previous_end,
            "overlapping or unordered {span:?} in {text:?}"
        );
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        let piece = &text[span.start..span.end];
        assert_eq!(piece, piece.trim(), "span {span:?} not trimmed in {text:?}");
        previous_end = span.end;
    }
    for (offset, c) in text.char_indices() {
        let n_in = spans
            .iter()
            .filter(|s| s.start <= offset && offset < s.end)
            .count();
        if c.is_whitespace() {
            assert!(n_in <= 1);
        } else {
            assert_eq!(
                n_in, 1,
                "char {c:?} at {offset} covered {n_in} times in {text:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(proptest_config())]

    #[test]
    fn spans_cover_arbitrary_text(text in any::<String>()) {
        let (sentences, paragraphs) = segment_all(&text);
        assert_covering(&text, &sentences);
        assert_covering(&text, &paragraphs);
    }

    #[test]
    fn spans_cover_prose_like_text(text in "([A-Za-z]{1,6}|[ .!?\n\"'()…”’]|U\\.S\\.|Mr\\.|3\\.5| ){0,80}") {
        let (sentences, paragraphs) = segment_all(&text);
        assert_covering(&text, &sentences);
        assert_covering(&text, &paragraphs);
        // Paragraphs are unions of whole sentences.
        for p in &paragraphs {
            for s in &sentences {
                let inside = p.start <= s.start && s.end <= p.end;
                let outside = s.end <= p.start || p.end <= s.start;
                prop_assert!(inside || outside, "sentence {s:?} straddles paragraph {p:?}");
            }
        }
    }
}

/// The stops [`Stops`] finds, one byte at a time: the definition, and the bytes `segment_all`'s
/// match looks at.
fn next_stop_by_bytes(bytes: &[u8], from: usize) -> usize {
    (from..bytes.len())
        .find(|&at| matches!(bytes[at], b'\n' | b'.' | b'!' | b'?') || bytes[at] == ELLIPSIS[0])
        .unwrap_or(bytes.len())
}

proptest! {
    #![proptest_config(proptest_config())]

    /// For any text and any rising positions, `Stops::next` is the next stop byte.
    #[test]
    fn stops_are_the_next_stop_byte(
        text in "[a.!?\n …’ ]{0,60}",
        steps in prop::collection::vec(0usize..8, 0..20),
    ) {
        let bytes = text.as_bytes();
        let mut stops = Stops::new(bytes);
        let mut from = 0;
        for step in steps {
            from += step;
            prop_assert_eq!(stops.next(from), next_stop_by_bytes(bytes, from), "from {}", from);
        }
    }
}

//! Tests for boilerplate removal, titles, bylines and text dates.

use super::{
    COUNTED_WORDS, Content, DISCLAIMER_SUBJECTS, DISCLAIMERS, Piece, READING_TIME, Rule, assemble,
    clean, clean_with_site, count_words, finders, line_rule,
};
use crate::RemovedKind;
use proptest::prelude::*;

/// Cleans `input` and checks which lines were removed (and how), the title and the date.
fn check(
    name: &str,
    input: &str,
    removed: &[(&str, RemovedKind)],
    title: Option<&str>,
    date: Option<&str>,
) {
    let cleaned = clean(input);
    let got: Vec<(&str, RemovedKind)> = cleaned
        .removed
        .iter()
        .map(|r| (r.text.trim(), r.kind))
        .collect();
    assert_eq!(
        got, removed,
        "case {name}: removed lines\n```\n{input}\n```\nkept text:\n```\n{}\n```\nhelp: see `line_rule` and the header and tail passes",
        cleaned.text
    );
    assert_eq!(cleaned.title.as_deref(), title, "case {name}: title");
    assert_eq!(
        cleaned.date.as_ref().map(|d| d.0.as_str()),
        date,
        "case {name}: date"
    );
}

const LONG: &str = "Moscow and Tokyo have spent much of the past thirty years on the verge of a reconciliation after more than a century of tension, as their strategic interests have increasingly aligned in the region.";

use RemovedKind::{Bio, Boilerplate};

#[test]
fn furniture_lines() {
    let input = format!(
        "Headline Here\n\n{LONG}\n\nShare this article\nPrivacy Policy\n© 2020 Example Media\n"
    );
    check(
        "footer",
        &input,
        &[
            ("Share this article", Boilerplate),
            ("Privacy Policy", Boilerplate),
            ("© 2020 Example Media", Boilerplate),
        ],
        Some("Headline Here"),
        None,
    );
}

#[test]
fn short_body_lines_with_furniture_words_survive() {
    // Vocabulary alone is not enough: these are sentences, not furniture.
    let input = format!(
        "{LONG}\nThe minister refused to share the details.\nSearch parties found nothing.\n{LONG}"
    );
    check("prose", &input, &[], None, None);
}

#[test]
fn trailing_fence_takes_tagline_after_furniture() {
    let input = format!(
        "{LONG}\n\nRelated Articles\nExample Review\nTo inform the world about everything that matters.\n"
    );
    check(
        "fence",
        &input,
        &[
            ("Related Articles", Boilerplate),
            ("Example Review", Boilerplate),
            (
                "To inform the world about everything that matters.",
                Boilerplate,
            ),
        ],
        None,
        None,
    );
}

#[test]
fn bios_only_at_the_end() {
    let bio = "Jane Q. Doe is a senior fellow at the Example Institute. She writes on Russia.";
    let input = format!("{bio}\n{LONG}\n{bio}\nFollow us on Mastodon\n");
    check(
        "bio",
        &input,
        &[(bio, Bio), ("Follow us on Mastodon", Boilerplate)],
        None,
        None,
    );
    let not_bio = "Vladimir Putin is a former intelligence officer who rose quickly.";
    check(
        "not at end",
        &format!("{LONG}\n{not_bio}\n{LONG}"),
        &[],
        None,
        None,
    );
}

#[test]
fn header_kicker_byline_and_tag_list() {
    let input = format!(
        "smith jones nakamura\nAsia Desk\nMoscow Courts Tokyo Again\nAnna Petrova\n\n{LONG}"
    );
    check(
        "header",
        &input,
        &[
            ("smith jones nakamura", Boilerplate),
            ("Asia Desk", Boilerplate),
            ("Anna Petrova", Boilerplate),
        ],
        Some("Moscow Courts Tokyo Again"),
        None,
    );
    assert_eq!(clean(&input).author.as_deref(), Some("Anna Petrova"));
}

#[test]
fn markdown_heading_title() {
    check(
        "markdown",
        &format!("## Talks Resume\n\n{LONG}"),
        &[],
        Some("Talks Resume"),
        None,
    );
    check("hashtag", &format!("#Talks\n\n{LONG}"), &[], None, None);
}

#[test]
fn no_title_when_first_line_is_a_sentence() {
    check("no title", &format!("{LONG}\n{LONG}"), &[], None, None);
}

#[test]
fn dates_prefer_published_statement_over_header() {
    let input = format!(
        "Friday 3rd of March 2023\n\nTitle Of Piece\n{LONG}\nOn January 6, 2016, North Korea tested a bomb and the world reacted with alarm and anger.\nThis article was first published in Example Review on Dec 21,2016\n"
    );
    check(
        "published wins",
        &input,
        &[
            ("Friday 3rd of March 2023", Boilerplate),
            (
                "This article was first published in Example Review on Dec 21,2016",
                Boilerplate,
            ),
        ],
        Some("Title Of Piece"),
        Some("2016-12-21"),
    );
}

#[test]
fn dates_never_from_narrative() {
    let input = format!("Title Of Piece\n\nOn January 6, 2016, North Korea tested a bomb.\n{LONG}");
    check("narrative", &input, &[], Some("Title Of Piece"), None);
}

#[test]
fn header_date_and_labels() {
    let input = format!(
        "Title Of Piece\nMarch 3, 2015 | 10:00 GMT\nSource: Example News\nTopics : Security, Trade\n\n{LONG}"
    );
    check(
        "labels",
        &input,
        &[
            ("March 3, 2015 | 10:00 GMT", Boilerplate),
            ("Source: Example News", Boilerplate),
            ("Topics : Security, Trade", Boilerplate),
        ],
        Some("Title Of Piece"),
        Some("2015-03-03"),
    );
    assert_eq!(clean(&input).outlet.as_deref(), Some("Example News"));
    let empty = format!("Source:\nAuthor:\n\n{LONG}");
    assert_eq!((clean(&empty).outlet, clean(&empty).author), (None, None));
}

#[test]
fn byline_under_a_one_word_title() {
    let input = format!("Title\nBy John Smith\nPublished: March 3, 2015\n\n{LONG}");
    check(
        "byline",
        &input,
        &[
            ("By John Smith", Boilerplate),
            ("Published: March 3, 2015", Boilerplate),
        ],
        Some("Title"),
        Some("2015-03-03"),
    );
    assert_eq!(clean(&input).author.as_deref(), Some("John Smith"));
}

#[test]
fn menu_runs_in_the_header() {
    let input = format!("Home\nWorld\nAsia\n\n{LONG}\n");
    check(
        "menu",
        &input,
        &[
            ("Home", Boilerplate),
            ("World", Boilerplate),
            ("Asia", Boilerplate),
        ],
        None,
        None,
    );
}

#[test]
fn wire_datelines() {
    let cases: &[(&str, Option<&str>)] = &[
        (
            "MOSCOW, Dec. 3, 2015 (Reuters) - Russia said on Thursday it would respond.",
            Some("2015-12-03"),
        ),
        (
            "NEW YORK, March 3, 2015 \u{2014} The talks ended.",
            Some("2015-03-03"),
        ),
        (
            "Moscow, Dec. 3, 2015 (Reuters) - lowercase place is not a dateline.",
            None,
        ),
        ("RUSSIA, in 2015, on March 3, 2015 - too far.", None),
    ];
    for (line, expected) in cases {
        let input = format!("{line}\n{LONG}");
        assert_eq!(
            clean(&input).date.as_ref().map(|d| d.0.as_str()),
            *expected,
            "{line}"
        );
    }
}

#[test]
fn text_keeps_paragraph_breaks_and_normalises_spaces() {
    let cleaned = clean("One line.\u{a0}\r\nTwo line.\r\n\r\n\r\nThree.");
    assert_eq!(cleaned.text, "One line.\nTwo line.\n\nThree.");
}

#[test]
fn the_cleaned_text_is_written_over_the_input() {
    let input =
        "Menu\n\n  First line, \u{feff}rewritten.  \r\nSecond\u{a0}line.\n\n\nThird.\n".repeat(50);
    let address = input.as_ptr();
    let cleaned = clean_with_site(input, None);
    assert_eq!(
        cleaned.text,
        ["First line, rewritten.\nSecond line.\n\nThird."; 50].join("\n\n")
    );
    assert_eq!(cleaned.text.as_ptr(), address, "the text was copied");
}

#[test]
fn a_plan_that_would_overwrite_what_is_unread_is_written_into_a_new_string() {
    let piece = |separator, raw: std::ops::Range<usize>, content| Piece {
        separator,
        raw,
        content,
    };
    // A rewritten text longer than its raw line would run past what it may overwrite (here
    // past the end of the input).
    let input = "aaaa\nbb".to_string();
    let pieces = [
        piece("", 0..4, Content::Kept(0..4)),
        piece("\n", 5..7, Content::Changed("bbbbb".to_string())),
    ];
    assert_eq!(assemble(input, &pieces), "aaaa\nbbbbb");
    // Past the line breaks before the next line, it would overwrite that line unread.
    let input = "aaaa\nbb\ncccc".to_string();
    let pieces = [
        piece("", 0..4, Content::Kept(0..4)),
        piece("\n", 5..7, Content::Changed("bbbbb".to_string())),
        piece("\n", 8..12, Content::Kept(8..12)),
    ];
    assert_eq!(assemble(input, &pieces), "aaaa\nbbbbb\ncccc");
    // A separator needs the line breaks before its line: written past them, it would
    // overwrite the start of the line before it is moved.
    let input = "aaaa\nbb  ".to_string();
    let pieces = [
        piece("", 0..4, Content::Kept(0..4)),
        piece("\n\n", 5..9, Content::Kept(5..7)),
    ];
    assert_eq!(assemble(input, &pieces), "aaaa\n\nbb");
}

const WORDS: &[&str] = &[
    "river",
    "policy",
    "minister",
    "talks",
    "island",
    "trade",
    "market",
    "summit",
    "army",
    "border",
    "energy",
    "winter",
    "village",
    "council",
    "treaty",
    "harbor",
    "budget",
    "railway",
    "farmers",
    "engineers",
    "quickly",
    "slowly",
    "often",
    "never",
    "and",
    "the",
    "of",
    "to",
    "with",
    "under",
    "over",
    "signed",
    "rejected",
    "welcomed",
    "built",
    "crossed",
    "discussed",
    "announced",
    "new",
    "old",
    "large",
    "small",
    "northern",
    "eastern",
    "cheap",
    "strong",
    "quiet",
];

fn sentence() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(WORDS), 2..18).prop_map(|words| {
        let mut s = words.join(" ");
        if let Some(first) = s.get(0..1) {
            let upper = first.to_uppercase();
            s.replace_range(0..1, &upper);
        }
        s.push('.');
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    /// Random prose: every sentence survives cleaning.
    #[test]
    fn body_sentences_are_never_dropped(
        paragraphs in proptest::collection::vec(proptest::collection::vec(sentence(), 1..6), 1..8),
        blank_lines in any::<bool>(),
    ) {
        let separator = if blank_lines { "\n\n" } else { "\n" };
        let input = paragraphs.iter().map(|p| p.join(" ")).collect::<Vec<_>>().join(separator);
        let cleaned = clean(&input);
        prop_assert!(cleaned.removed.is_empty(), "removed {:?}", cleaned.removed);
        for paragraph in &paragraphs {
            for s in paragraph {
                prop_assert!(cleaned.text.contains(s.as_str()), "lost {s:?}");
            }
        }
    }

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        let _ = clean(&s);
    }

    #[test]
    fn arbitrary_lines_never_panic(lines in proptest::collection::vec("[A-Za-z0-9 ,.:©*’\u{a0}-]{0,40}", 0..12)) {
        let _ = clean(&lines.join("\n"));
    }

    /// The bio check with its verb search bounded agrees with the whole-paragraph search.
    #[test]
    fn prop_bounded_bio_search_is_the_whole_paragraph_search(
        pieces in proptest::collection::vec(proptest::sample::select(BIO_PIECES), 0..24),
        spaces in proptest::collection::vec(prop_oneof![4 => Just(" "), 1 => Just("  "), 1 => Just("\u{a0}"), 1 => Just("")], 24),
    ) {
        let mut line = String::new();
        for (piece, space) in pieces.iter().zip(&spaces) {
            line.push_str(piece);
            line.push_str(space);
        }
        prop_assert_eq!(super::is_bio(&line), is_bio_reference(&line), "{:?}", line);
    }

    #[test]
    fn prop_normalize_is_the_char_by_char_replacement(
        pieces in prop::collection::vec(
            prop::sample::select(&[
                "\u{a0}", "\u{feff}", "\u{200b}", "’", "“", "©", "\u{2028}", "\u{c2}", "\u{ef}",
                "a", " ", "\t", "Word", "é",
            ][..]),
            0..24,
        ),
    ) {
        let line = pieces.concat();
        let (got, want) = (super::normalize(&line), normalize_reference(&line));
        prop_assert_eq!(got.as_ref(), want.as_str(), "{:?}", line);
    }
}

#[test]
fn normalize_replaces_only_its_three_characters() {
    const CASES: &[(&str, &str, &str)] = &[
        ("plain", "  Plain line.  ", "Plain line."),
        ("no-break space", "A\u{a0}B", "A B"),
        ("byte-order mark", "\u{feff}Text", "Text"),
        ("zero-width space", "Zero\u{200b}width", "Zerowidth"),
        ("same first bytes", "It’s “quoted” ©", "It’s “quoted” ©"),
        ("mixed", "’\u{a0}x\u{200b}’", "’ x’"),
    ];
    for &(name, input, expected) in CASES {
        assert_eq!(
            super::normalize(input),
            expected,
            "case {name}\nhelp: normalize should replace U+00A0 and drop U+FEFF and U+200B, nothing else"
        );
    }
}

/// `normalize` as first written, a character at a time: the oracle for the span copy.
fn normalize_reference(raw: &str) -> String {
    let replaced: String = raw
        .chars()
        .filter(|c| !matches!(c, '\u{feff}' | '\u{200b}'))
        .map(|c| if c == '\u{a0}' { ' ' } else { c })
        .collect();
    replaced.trim().to_string()
}

/// `is_bio` as first written, searching the whole paragraph for its verb and lowercasing
/// its start: the oracle for the bounded search (what follows the verb is shared).
fn is_bio_reference(s: &str) -> bool {
    let s = s.trim_start_matches(['*', '-', '\u{2013}', '\u{2014}', ' ']);
    let lower_start: String = s.chars().take(24).collect::<String>().to_lowercase();
    if lower_start.starts_with("the author is") || lower_start.starts_with("the authors are") {
        return true;
    }
    let Some(verb) = [" is ", " was ", " has been "]
        .iter()
        .filter_map(|v| s.find(v).map(|p| (p, *v)))
        .min()
    else {
        return false;
    };
    super::is_bio_around(s, verb.0, verb.1)
}

/// Name words, verbs, articles, roles and odd characters, so that names of every length meet
/// the verbs at every position.
const BIO_PIECES: &[&str] = &[
    "Jane",
    "Q.",
    "Doe",
    "de",
    "van",
    "Smith",
    "O'Neil",
    "the",
    "The",
    "THE",
    "Author",
    "author",
    "authors",
    "AUTHORS",
    "is",
    "IS",
    "was",
    "has",
    "been",
    "are",
    "a",
    "an",
    "senior",
    "fellow",
    "student",
    "journalist",
    "professor",
    "at",
    "*",
    "-",
    "\u{2014}",
    "K",
    "\u{212a}im",
    "é",
    "İs",
    "\u{a0}",
    "\u{2003}",
    "",
    "x1",
];

#[test]
fn bounded_bio_search_examples() {
    for line in [
        "Jane Q. Doe is a senior fellow at the Example Institute.",
        "Jane Q. de Doe Smith is a student of history.",
        "Jane Q. de Doe Smith Jones is a student of history.",
        "Jane Doe Smith Jones Brown has been a journalist since 2001.",
        "Jane Doe Smith Jones Brown Green has been a journalist since 2001.",
        "THE AUTHOR IS a student.",
        "the authors are journalists",
        "*Taehwa Hong is a student at Seoul National University.",
        "Vladimir Putin is a former intelligence officer who rose quickly.",
    ] {
        assert_eq!(super::is_bio(line), is_bio_reference(line), "{line:?}");
    }
    assert!(super::is_bio(
        "Jane Doe Smith Jones Brown has been a journalist since 2001."
    ));
    assert!(super::is_bio(
        "Jane Doe was a senior fellow at the Example Institute."
    ));
    // The first verb decides: here it leaves no name before it.
    assert!(!super::is_bio(
        "Talks was the word, and Jane Doe is a senior fellow."
    ));
    assert!(!super::is_bio(
        "Jane Doe Smith Jones Brown Green has been a journalist."
    ));
}

#[test]
fn every_phrase_searched_anywhere_in_a_line_is_found_in_any_case() {
    let rule = |line: &str| {
        line_rule(
            line,
            count_words(line, COUNTED_WORDS),
            finders(),
            &mut String::new(),
        )
    };
    for phrase in DISCLAIMERS {
        for line in [
            format!("The {phrase} in this column are the author's own."),
            format!(
                "THE {} ARE THE AUTHOR'S — «NOT» THE EDITORS'.",
                phrase.to_uppercase()
            ),
        ] {
            assert_eq!(rule(&line), Some(Rule::Disclaimer), "{line:?}");
        }
        if !DISCLAIMER_SUBJECTS.iter().any(|s| phrase.contains(s)) {
            assert_eq!(
                rule(&format!("The {phrase} in the talks.")),
                None,
                "no subject"
            );
        }
    }
    for phrase in READING_TIME {
        for line in [
            format!("4 {phrase}"),
            format!("Ünïcode · 4 {}", phrase.to_uppercase()),
        ] {
            assert_eq!(rule(&line), Some(Rule::ReadingTime), "{line:?}");
        }
    }
    for line in [
        "Copyright 2024 Example News.",
        "Example News. All Rights Reserved.",
        "© Ünïcode Média",
    ] {
        assert_eq!(rule(line), Some(Rule::Copyright), "{line:?}");
    }
    // Longer than forty words: no rule applies, whatever the line holds.
    let long = format!("All rights reserved. {}", "word ".repeat(40));
    assert_eq!(rule(&long), None);
}

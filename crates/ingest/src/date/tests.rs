//! Tests for date finding and date fields.

use super::{find_date, find_date_in_tokens, is_date_only, parse_field};
use proptest::prelude::*;

fn check_find(line: &str, expected: Option<&str>) {
    let got = find_date(line).map(|(d, _, _)| d.iso());
    assert_eq!(
        got.as_deref(),
        expected,
        "line: {line:?}\nhelp: see `date_at`"
    );
}

const FIND: &[(&str, Option<&str>)] = &[
    ("Apr 27, 2017", Some("2017-04-27")),
    ("4 MINS READApr 27, 2017 | 00:05 GMT", Some("2017-04-27")),
    ("December 2, 2014", Some("2014-12-02")),
    ("\u{a0}on December 2, 2014", Some("2014-12-02")),
    ("Monday 20th of May 2024", Some("2024-05-20")),
    (
        "This Article first published at Eurasia Review Dec 21,2016",
        Some("2016-12-21"),
    ),
    ("Dec. 3, 2015", Some("2015-12-03")),
    ("2 December 2014", Some("2014-12-02")),
    ("Sept 9, 2001", Some("2001-09-09")),
    ("2016-12-21T10:00:00Z", Some("2016-12-21")),
    ("2016/02/29", Some("2016-02-29")),
    ("2015/02/29", None),
    ("February 30, 2016", None),
    ("© The American Interest LLC 2005-2017", None),
    ("in May 2024 the talks", None),
    ("Russia may 20 times", None),
    ("Apr 27", None),
    ("", None),
];

#[test]
fn find_cases() {
    for (line, expected) in FIND {
        check_find(line, *expected);
    }
}

#[test]
fn date_only_lines() {
    let cases: &[(&str, bool)] = &[
        ("Monday 20th of May 2024", true),
        (" on December 2, 2014", true),
        ("Published: Apr 27, 2017 10:05 GMT", true),
        ("4 MINS READApr 27, 2017 | 00:05 GMT", false),
        ("On January 6, 2016, North Korea tested a bomb.", false),
        ("Russia Reprises a Familiar Role", false),
    ];
    for (line, expected) in cases {
        assert_eq!(is_date_only(line), *expected, "line: {line:?}");
    }
}

#[test]
fn field_cases() {
    let cases: &[(&str, Option<&str>)] = &[
        ("2016-12-21", Some("2016-12-21")),
        (" 2016-12-21T23:59:59+09:00 ", Some("2016-12-21")),
        ("2016-12-21 08:00", Some("2016-12-21")),
        ("20161221", Some("2016-12-21")),
        ("Dec 21,2016", Some("2016-12-21")),
        ("Monday 20th of May 2024", Some("2024-05-20")),
        ("yesterday", None),
        ("2016-13-01", None),
        ("", None),
    ];
    for (value, expected) in cases {
        assert_eq!(
            parse_field(value).map(|d| d.iso()).as_deref(),
            *expected,
            "field: {value:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        let _ = find_date(&s);
        let _ = is_date_only(&s);
        let _ = parse_field(&s);
    }

    #[test]
    fn the_four_digit_test_drops_no_date(
        before in "[a-zA-Z0-9 ,.]{0,12}",
        form in 0usize..4,
        day in 0u32..40,
        month in 0usize..4,
        year in prop_oneof![0u32..100, 1000u32..10_000, 10_000u32..100_000],
        after in "[a-zA-Z0-9 ,.]{0,12}",
    ) {
        let name = ["March", "sept", "May", "Mon"][month];
        let date = match form {
            0 => format!("{name} {day}, {year}"),
            1 => format!("{day} of {name} {year}"),
            2 => format!("{year}-{:02}-{day:02}", month + 1),
            _ => format!("{day}th {name}. {year}"),
        };
        let line = format!("{before} {date}{after}");
        prop_assert_eq!(find_date(&line), find_date_in_tokens(&line));
    }

    #[test]
    fn iso_round_trip(y in 1900u32..2100, m in 1u32..13, d in 1u32..29) {
        let iso = format!("{y:04}-{m:02}-{d:02}");
        prop_assert_eq!(parse_field(&iso).map(|x| x.iso()), Some(iso));
    }
}

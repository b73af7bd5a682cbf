//! Tests for CSV quoting, number formatting and the terminal matrix.

use super::*;

#[test]
fn csv_fields_are_quoted_per_rfc_4180() {
    let cases: &[(&str, &str)] = &[
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"no\"", "\"say \"\"no\"\"\""),
        ("two\nlines", "\"two\nlines\""),
        ("cr\rhere", "\"cr\rhere\""),
        ("semi;colon", "semi;colon"),
    ];
    for &(input, expected) in cases {
        assert_eq!(csv_field(input), expected, "input {input:?}");
    }
}

#[test]
fn csv_records_end_with_crlf() {
    let mut out = Vec::new();
    csv_record(&mut out, &["a", "b,c", ""]).expect("writes to a Vec");
    assert_eq!(String::from_utf8(out).expect("utf-8"), "a,\"b,c\",\r\n");
}

#[test]
fn numbers_and_signed_scores() {
    let cases: &[(f64, &str, &str)] = &[
        (0.62, "0.62", "+0.62"),
        (-0.456_78, "-0.4568", "-0.46"),
        (-0.000_01, "0", "0.00"),
        (1.0, "1", "+1.00"),
    ];
    for &(value, plain, with_sign) in cases {
        assert_eq!(number(value), plain, "number({value})");
        assert_eq!(signed(value), with_sign, "signed({value})");
    }
}

#[test]
fn matrix_table_lists_sources_by_targets() {
    let mut matrix: BTreeMap<String, BTreeMap<String, F4>> = BTreeMap::new();
    matrix
        .entry("RUS".into())
        .or_default()
        .insert("JPN".into(), F4(0.62));
    matrix
        .entry("RUS".into())
        .or_default()
        .insert("PRK".into(), F4(-0.5));
    matrix
        .entry("JPN".into())
        .or_default()
        .insert("RUS".into(), F4(0.25));
    let mut out = Vec::new();
    matrix_table(&mut out, &matrix, Paint { enabled: false }).expect("writes to a Vec");
    let expected = "  src\\tgt      JPN    PRK    RUS\n  JPN            .      .  +0.25\n  RUS        +0.62  -0.50      .\n";
    assert_eq!(String::from_utf8(out).expect("utf-8"), expected);
}

#[test]
fn paint_adds_ansi_only_when_enabled() {
    assert_eq!(Paint { enabled: false }.score(-0.5, "x"), "x");
    assert_eq!(Paint { enabled: true }.score(-0.5, "x"), "\x1b[31mx\x1b[0m");
    assert_eq!(Paint { enabled: true }.score(0.0, "x"), "x");
}

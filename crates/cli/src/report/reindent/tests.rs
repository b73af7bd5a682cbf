//! The re-indenter against serde_json's own pretty printer.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::Reindent;
use crate::report::indented_element;

/// `values` as the elements of a pretty-printed array `depth` levels down, the way serde
/// writes them (the oracle).
fn pretty(values: &[Value], depth: usize) -> String {
    let mut out = Vec::new();
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        indented_element(&mut out, value, depth).expect("serialises");
    }
    String::from_utf8(out).expect("UTF-8")
}

/// `values` compact, comma-separated, re-indented from pieces cut at `cuts`.
fn reindented(values: &[Value], depth: usize, cuts: &[usize]) -> String {
    let compact: Vec<String> = values.iter().map(Value::to_string).collect();
    let compact = compact.join(",");
    let bytes = compact.as_bytes();
    let mut bounds: Vec<usize> = cuts.iter().map(|&cut| cut.min(bytes.len())).collect();
    bounds.extend([0, bytes.len()]);
    bounds.sort_unstable();
    let mut reindent = Reindent::new(depth);
    let mut out = Vec::new();
    for piece in bounds.windows(2) {
        reindent.feed(&bytes[piece[0]..piece[1]], &mut out);
    }
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn examples_match_the_pretty_printer() {
    let values = [
        json!({"a": [], "b": {}, "c": [1, [2, []], {"d": null}], "e\"}": "x\\\"],:{"}),
        json!([]),
        json!({}),
        json!("a string with \"quotes\", \\ backslashes \\\\ and ] } , : inside"),
        json!([-1.5e-7, true, false, null, "’\u{1}\u{2028}"]),
    ];
    for depth in 0..4 {
        let expected = pretty(&values, depth);
        assert_eq!(reindented(&values, depth, &[]), expected, "depth {depth}");
        // Cut everywhere, one byte a piece: state carries across pieces.
        let every: Vec<usize> = (0..expected.len()).collect();
        assert_eq!(
            reindented(&values, depth, &every),
            expected,
            "depth {depth}, bytewise"
        );
    }
}

/// Nesting deeper than the property test reaches (twenty levels, under depths up to 16), and
/// strings whose first quote or backslash comes after many plain bytes.
#[test]
fn deep_values_and_long_strings_match_the_pretty_printer() {
    let mut deep = json!([1, "x", {"k": [2.5, null]}]);
    for level in 0..20 {
        deep = if level % 2 == 0 {
            json!([deep, level])
        } else {
            json!({"level": level, "inner": deep, "empty": {}})
        };
    }
    let values = [
        deep,
        json!("twenty-four plain bytes \"then a quote, and \\ a backslash far on"),
        json!({"a long key without any escape at all in it": "and a long value just like it"}),
    ];
    for depth in [0, 3, 14, 16] {
        let expected = pretty(&values, depth);
        assert_eq!(reindented(&values, depth, &[]), expected, "depth {depth}");
        let every: Vec<usize> = (0..expected.len()).step_by(7).collect();
        assert_eq!(
            reindented(&values, depth, &every),
            expected,
            "depth {depth}, cut every 7 bytes"
        );
    }
}

/// Any JSON value: nested arrays and objects (often empty), and strings full of the bytes the
/// re-indenter must not take for structure.
fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|x| json!(x)),
        "[\"\\\\,:{}\\[\\] a’\u{1}]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(("[\"\\\\:,{}a]{0,4}", inner), 0..5)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Whatever the values, the depth and where the stream is cut, the re-indented stream is
    /// what serde's pretty printer writes.
    #[test]
    fn reindented_equals_the_pretty_printer(
        values in prop::collection::vec(arb_value(), 1..4),
        depth in 0usize..5,
        cuts in prop::collection::vec(0usize..400, 0..6),
    ) {
        prop_assert_eq!(reindented(&values, depth, &cuts), pretty(&values, depth));
    }
}

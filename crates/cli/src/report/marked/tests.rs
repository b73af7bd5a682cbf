//! The marked form against serde_json's own pretty printer.

use proptest::prelude::*;
use serde_json::{Value, json};

use super::{expand, first_marker, marked_of};
use crate::report::indented_element;

/// `values` as the elements of a pretty-printed array `depth` levels down, the way serde
/// writes them (the oracle), `,` between two.
fn pretty(values: &[Value], depth: usize) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        indented_element(&mut out, value, depth).expect("serialises");
    }
    out
}

/// `marked` expanded at `depth` from pieces cut at `cuts`.
fn expanded(marked: &[u8], depth: usize, cuts: &[usize]) -> String {
    let mut bounds: Vec<usize> = cuts.iter().map(|&cut| cut.min(marked.len())).collect();
    bounds.extend([0, marked.len()]);
    bounds.sort_unstable();
    let mut out = Vec::new();
    for piece in bounds.windows(2) {
        expand(&marked[piece[0]..piece[1]], depth, &mut out);
    }
    String::from_utf8(out).expect("UTF-8")
}

fn check(values: &[Value], depths: &[usize], step: usize) {
    let marked = marked_of(&pretty(values, 0));
    for &depth in depths {
        let expected = String::from_utf8(pretty(values, depth)).expect("UTF-8");
        assert_eq!(expanded(&marked, depth, &[]), expected, "depth {depth}");
        let cuts: Vec<usize> = (0..marked.len()).step_by(step).collect();
        assert_eq!(
            expanded(&marked, depth, &cuts),
            expected,
            "depth {depth}, cut every {step} bytes"
        );
    }
}

#[test]
fn examples_match_the_pretty_printer() {
    let values = [
        json!({"a": [], "b": {}, "c": [1, [2, []], {"d": null}], "e\"}": "x\\\"],:{"}),
        json!([]),
        json!({}),
        json!("a string with \"quotes\", \\ backslashes \\\\, a\nline break and \u{1f} inside"),
        json!([-1.5e-7, true, false, null, "’\u{1}\u{2028}"]),
        // Lines of every length around the 32-byte block a short line is copied in.
        Value::Array((20..44).map(|n| Value::from("x".repeat(n))).collect()),
    ];
    // Cut at every byte: nothing carries from one byte to the next.
    check(&values, &[0, 1, 2, 3], 1);
}

/// Nesting twenty levels deep under depths up to 40 (past the table of spaces), and strings
/// whose escapes come after many plain bytes.
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
    check(&values, &[0, 3, 14, 40], 7);
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[ -~\n\t\u{1}é’\u{2028}]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(6, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map("[a-z\",:{}]{0,4}", inner, 0..5)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Any values, at any depth, cut anywhere, expand to serde's pretty elements.
    #[test]
    fn marked_values_expand_to_the_pretty_printer(
        values in prop::collection::vec(json_value(), 1..4),
        depth in 0usize..6,
        cuts in prop::collection::vec(0usize..400, 0..6),
    ) {
        let marked = marked_of(&pretty(&values, 0));
        let expected = String::from_utf8(pretty(&values, depth)).expect("UTF-8");
        prop_assert_eq!(expanded(&marked, depth, &cuts), expected);
    }

    /// The chunked search finds what a byte-by-byte one finds.
    #[test]
    fn first_marker_is_the_first_control_byte(
        bytes in prop::collection::vec(prop_oneof![4 => 0x20u8..=0xff, 1 => 0u8..0x20], 0..40),
    ) {
        prop_assert_eq!(first_marker(&bytes), bytes.iter().position(|&byte| byte < 0x20));
    }
}

//! Tests for the compare summary printed on stderr.

use serde_json::json;

use super::summary;

#[test]
fn summary_lists_contested_dyads_and_nearest_neighbours() {
    let report = json!({
        "documents": [{}, {}, {}],
        "corpus": {"dyads": [{}, {}]},
        "contested": [{
            "source": "RUS", "target": "JPN", "measure": 0.288,
            "conciliatory_docs": [{"doc": "b"}], "hawkish_docs": [{"doc": "a"}, {"doc": "c"}]
        }],
        "similarity": {"mode": "full", "documents": ["a", "b", "c"],
                       "matrix": [[1.0, -0.5, 0.9], [-0.5, 1.0, -0.4], [0.9, -0.4, 1.0]]}
    });
    let expected = "
3 documents, 2 corpus dyads
contested dyads (most contested first):
  RUS -> JPN  measure 0.288  conciliatory in [b]  hawkish in [a, c]
nearest neighbours:
  a ~ c (0.9000)
  b ~ (no similar document)
  c ~ a (0.9000)
";
    assert_eq!(summary(&report), expected);
}

#[test]
fn summary_reads_top_k_neighbours() {
    let report = json!({
        "documents": [], "corpus": {"dyads": []}, "contested": [],
        "similarity": {"mode": "top_k", "k": 2, "documents": ["a", "b"],
                       "neighbours": [[{"doc": "b", "score": 0.5}], []]}
    });
    let text = summary(&report);
    assert!(text.contains("contested dyads: none"), "{text}");
    assert!(
        text.contains("  a ~ b (0.5000)\n  b ~ (no similar document)\n"),
        "{text}"
    );
}

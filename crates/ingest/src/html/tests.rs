//! Tests for HTML text and metadata extraction.

use super::extract;
use crate::Origin;
use crate::build::build;
use proptest::prelude::*;

const PAGE: &str = r#"<!doctype html>
<html><head>
<title>Moscow Courts Tokyo | Example Review</title>
<meta property="article:published_time" content="2017-04-27T05:00:00Z">
<meta name="author" content="Anna Petrova">
<meta property="og:site_name" content="Example Review">
<meta name="description" content="A short summary.">
<link rel="canonical" href="https://www.example.com/a/1">
<style>p { color: red; }</style>
<script>var x = "<p>not text</p>"; if (a < b) {}</script>
</head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Moscow Courts   Tokyo</h1>
<p>Russia &amp; Japan met on <time datetime="2016-01-02">Saturday</time>.
The talks went well.</p>
<p>Second <b>paragraph</b> here.<br>New line.</p>
</article>
<footer>© 2017 Example Review. All rights reserved.</footer>
</body></html>"#;

#[test]
fn visible_text_only() {
    let (text, _) = extract(PAGE);
    assert_eq!(
        text.trim(),
        "Moscow Courts Tokyo\n\nRussia & Japan met on Saturday. The talks went well.\n\nSecond paragraph here.\nNew line.",
        "help: skipped elements or whitespace collapsing changed"
    );
}

#[test]
fn metadata_fields() {
    let (_, fields) = extract(PAGE);
    assert_eq!(fields.title.as_deref(), Some("Moscow Courts Tokyo"));
    assert_eq!(fields.date.as_deref(), Some("2017-04-27T05:00:00Z"));
    assert_eq!(fields.date_rule, "html-meta");
    assert_eq!(fields.author.as_deref(), Some("Anna Petrova"));
    assert_eq!(fields.outlet.as_deref(), Some("Example Review"));
    assert_eq!(fields.url.as_deref(), Some("https://www.example.com/a/1"));
    assert_eq!(
        fields.metadata.get("description").map(String::as_str),
        Some("A short summary.")
    );
}

#[test]
fn time_element_and_title_fallbacks() {
    let page =
        "<title>Only Title</title><p>Body <time datetime='2016-01-02T10:00'>then</time>.</p>";
    let (text, fields) = extract(page);
    assert_eq!(fields.title.as_deref(), Some("Only Title"));
    assert_eq!(fields.date_rule, "html-time");
    let doc = build(fields, text, Origin::default());
    assert_eq!(doc.date.as_deref(), Some("2016-01-02"));
    assert_eq!(doc.date_rule.as_deref(), Some("html-time"));
    assert_eq!(*doc.text, "Body then.");
}

#[test]
fn unclosed_and_nested_skips() {
    let (text, _) =
        extract("<p>Keep this.</p><nav><nav>x</nav>y</nav><p>And this.</p><script>never");
    assert_eq!(text.trim(), "Keep this.\n\nAnd this.");
}

#[test]
fn unclosed_head_does_not_hide_the_body() {
    let (text, fields) = extract("<html><head><title>T</title><p>Body text.</p>");
    assert_eq!(
        (text.trim(), fields.title.as_deref()),
        ("Body text.", Some("T"))
    );
}

#[test]
fn page_end_to_end() {
    let (text, fields) = extract(include_str!("page.html"));
    let doc = build(fields, text, Origin::default());
    let sentences: Vec<&str> = doc
        .sentences
        .iter()
        .map(|s| &doc.text[s.start..s.end])
        .collect();
    assert_eq!(
        sentences,
        [
            "Russia and Japan Hold Talks on Kurils",
            "MOSCOW \u{2014} Russian President Vladimir Putin met Japanese Prime Minister Shinzo Abe on Tuesday.",
            "The two leaders discussed a peace treaty.",
            "\u{201c}We are ready to work,\u{201d} Mr. Putin said.",
            "Abe called the talks \u{201c}constructive.\u{201d}",
        ],
        "help: site name, menu, kicker, byline and share line should all be removed"
    );
    let removed: Vec<&str> = doc.removed.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(
        removed,
        [
            "Example Times",
            "Home",
            "World",
            "Asia",
            "Opinion",
            "Diplomacy",
            "By Anna Petrova",
            "Share this article"
        ]
    );
    assert_eq!(doc.author.as_deref(), Some("Anna Petrova"));
    assert_eq!(
        (doc.date.as_deref(), doc.date_rule.as_deref()),
        (Some("2019-01-22"), Some("html-meta"))
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(64),
        ..ProptestConfig::default()
    })]

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        let _ = extract(&s);
    }

    #[test]
    fn tag_soup_never_panics(s in "(<[a-z/!]{0,8}( [a-z]+=('[^']*'|\"[^\"]*\"))?>|[a-z &;.]{0,10}){0,30}") {
        let (text, fields) = extract(&s);
        let _ = build(fields, text, Origin::default());
    }
}

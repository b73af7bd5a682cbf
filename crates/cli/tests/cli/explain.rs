//! `stance explain`: evidence sentence by sentence, the cue marked, colour only when asked.

use crate::{Run, arg, files, stance};

const TEXT: &str = "Trade figures were flat. Moscow condemned Tokyo. The weather was mild.";

/// `stance explain --source RUS --target JPN` on a file holding `text`.
fn explain_rus_jpn(text: &str) -> Run {
    let dir = files(&[("doc.txt", text.as_bytes())]);
    stance(&[
        "explain",
        "--source",
        "RUS",
        "--target",
        "JPN",
        &arg(&dir, "doc.txt"),
    ])
}

#[test]
fn explain_shows_the_sentence_and_the_cue() {
    let run = explain_rus_jpn(TEXT);
    run.expect_code(0);
    assert!(run.stdout.contains("RUS -> JPN in doc"), "{}", run.stdout);
    assert!(
        run.stdout.contains("Moscow [condemned] Tokyo."),
        "the cue is marked in its sentence:\n{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("-> hawkish"),
        "the resulting stance and weight:\n{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\x1b'), "no colour off a terminal");
    assert!(
        !run.stdout.contains("Trade figures"),
        "only evidence sentences are shown"
    );
}

#[test]
fn explain_marks_the_cue_where_it_was_found() {
    // The cue's first word also occurs earlier, inside another word: the mark comes from the
    // cue's offsets in the document, not from a search of the sentence.
    let run = explain_rus_jpn("An uncondemned raid came first, and Moscow condemned Tokyo.");
    run.expect_code(0);
    assert!(
        run.stdout
            .contains("An uncondemned raid came first, and Moscow [condemned] Tokyo."),
        "{}",
        run.stdout
    );
}

#[test]
fn explain_colours_when_asked() {
    let dir = files(&[("doc.txt", TEXT.as_bytes())]);
    let run = stance(&[
        "explain",
        "--source",
        "rus",
        "--target",
        "jpn",
        "--color",
        "always",
        &arg(&dir, "doc.txt"),
    ]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("\x1b[1;33m[condemned]\x1b[0m"),
        "{:?}",
        run.stdout
    );
}

#[test]
fn explain_json_keeps_only_the_dyad() {
    let dir = files(&[("doc.txt", TEXT.as_bytes())]);
    let run = stance(&[
        "explain",
        "--source",
        "RUS",
        "--target",
        "JPN",
        "--format",
        "json",
        &arg(&dir, "doc.txt"),
    ]);
    run.expect_code(0);
    let report = run.json();
    crate::assert_schema_valid(&report);
    let dyads = &report["documents"][0]["dyads"];
    assert_eq!(dyads.as_array().map(Vec::len), Some(1), "{report:#}");
    assert_eq!(dyads[0]["evidence"][0]["text"], "Moscow condemned Tokyo.");
    assert_eq!(dyads[0]["evidence"][0]["stance"], "hawkish");
}

#[test]
fn explain_without_evidence_says_so() {
    let dir = files(&[("doc.txt", b"Markets were calm.")]);
    let run = stance(&[
        "explain",
        "--source",
        "RUS",
        "--target",
        "JPN",
        &arg(&dir, "doc.txt"),
    ]);
    run.expect_code(0);
    assert_eq!(run.stdout, "no evidence for RUS -> JPN\n");
}

#[test]
fn explain_rejects_unknown_codes() {
    let run = stance(&["explain", "--source", "XXZ", "--target", "JPN", "seeds"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("unknown actor code XXZ"),
        "{}",
        run.stderr
    );
}

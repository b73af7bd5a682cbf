//! One test per attribution rule, each a sentence written for this project.

use super::*;

const ACTORS: &str = r#"
[[actor]]
code = "RUS"
name = "Russia"
aliases = ["Russia", "Russian", "Russians", "Moscow", "Kremlin", "Vladimir Putin", "Putin", "Sergei Lavrov", "Lavrov"]
[[actor]]
code = "JPN"
name = "Japan"
aliases = ["Japan", "Japanese", "Tokyo", "Shinzo Abe", "Abe"]
[[actor]]
code = "PRK"
name = "North Korea"
aliases = ["North Korea", "North Korean", "DPRK", "Pyongyang", "Kim Jong-un"]
[[actor]]
code = "KOR"
name = "South Korea"
aliases = ["South Korea", "South Korean", "Seoul", "ROK"]
[[actor]]
code = "CHN"
name = "China"
aliases = ["China", "Chinese", "Beijing", "Sino", "Xi Jinping"]
[[actor]]
code = "USA"
name = "United States"
aliases = ["United States", "US", "U.S.", "American", "Americans", "Washington", "White House"]
[[actor]]
code = "EU"
name = "European Union"
aliases = ["European Union", "EU", "Brussels"]
"#;

const LEXICON: &str = r#"
[[cue]]
pattern = "condemn*"
stance = "hawkish"
weight = 0.6
[[cue]]
pattern = "rebuk*"
stance = "hawkish"
weight = 0.5
[[cue]]
pattern = "sanction*"
stance = "hawkish"
weight = 0.6
[[cue]]
pattern = "toughen*"
stance = "hawkish"
weight = 0.5
[[cue]]
pattern = "harsh"
stance = "hawkish"
weight = 0.4
[[cue]]
pattern = "belligeren*"
stance = "hawkish"
weight = 0.5
[[cue]]
pattern = "threat*"
stance = "hawkish"
weight = 0.6
[[cue]]
pattern = "tension*"
stance = "hawkish"
weight = 0.4
symmetric = true
[[cue]]
pattern = "strained"
stance = "hawkish"
weight = 0.4
symmetric = true
[[cue]]
pattern = "thaw relations"
stance = "conciliatory"
weight = 0.6
[[cue]]
pattern = "improve relations"
stance = "conciliatory"
weight = 0.5
[[cue]]
pattern = "cooperat*"
stance = "conciliatory"
weight = 0.5
symmetric = true
[[cue]]
pattern = "talks"
stance = "conciliatory"
weight = 0.5
symmetric = true
[[cue]]
pattern = "joint drills"
stance = "conciliatory"
weight = 0.5
symmetric = true
[[cue]]
pattern = "support*"
stance = "conciliatory"
weight = 0.4
[[cue]]
pattern = "aid"
stance = "conciliatory"
weight = 0.6
[[cue]]
pattern = "attack*"
stance = "hawkish"
weight = 0.9
[[cue]]
pattern = "frustration"
stance = "hawkish"
weight = 0.3
[[cue]]
pattern = "signed"
stance = "conciliatory"
weight = 0.5
symmetric = true
[[cue]]
pattern = "mediation"
stance = "conciliatory"
weight = 0.5
symmetric = true
[[cue]]
pattern = "cut"
stance = "hawkish"
weight = 0.4
[[cue]]
pattern = "reject*"
stance = "hawkish"
weight = 0.4
[[cue]]
pattern = "offer*"
stance = "conciliatory"
weight = 0.3
[[cue]]
pattern = "complain*"
stance = "hawkish"
weight = 0.3
[[cue]]
pattern = "retaliat*"
stance = "hawkish"
weight = 0.6
[[cue]]
pattern = "bought"
stance = "conciliatory"
weight = 0.4
symmetric = true
[[cue]]
pattern = "opposed"
stance = "hawkish"
weight = 0.35
[[cue]]
pattern = "boycott*"
stance = "hawkish"
weight = 0.5
[[cue]]
pattern = "warn*"
stance = "hawkish"
weight = 0.4
[[cue]]
pattern = "praise*"
stance = "conciliatory"
weight = 0.4
"#;

fn scorer() -> Scorer {
    let mut actors = Actors::empty();
    actors.load_toml("test actors", ACTORS).unwrap();
    actors.places.push("Sea of Japan".to_string());
    actors.places.push("Korean peninsula".to_string());
    let mut lexicon = Lexicon::empty();
    lexicon.load_toml("test lexicon", LEXICON).unwrap();
    Scorer::new(&actors, &lexicon)
}

/// Renders a document's dyads as `SRC>TGT sign` lines and its tone as `SRC tone sign`.
fn render(text: &str) -> String {
    let doc = ingest::Document::from_text("t", text);
    let scored = scorer().score(&doc);
    let sign = |c: Weight, h: Weight| match c.cmp(&h) {
        std::cmp::Ordering::Greater => "+",
        std::cmp::Ordering::Less => "-",
        std::cmp::Ordering::Equal => "0",
    };
    let mut lines: Vec<String> = scored
        .dyads
        .iter()
        .map(|d| {
            format!(
                "{}>{} {}",
                d.source,
                d.target,
                sign(d.conciliatory, d.hawkish)
            )
        })
        .collect();
    lines.extend(
        scored
            .tone
            .iter()
            .map(|t| format!("{} tone {}", t.actor, sign(t.conciliatory, t.hawkish))),
    );
    lines.join(", ")
}

/// (construction, sentence, expected dyads).
const CASES: &[(&str, &str, &str)] = &[
    (
        "subject-verb-object",
        "Moscow condemned Tokyo on Monday.",
        "RUS>JPN -",
    ),
    (
        "leader merged with demonym",
        "Russian President Vladimir Putin praised Japan.",
        "RUS>JPN +",
    ),
    (
        "prepositional target",
        "Russia is toughening its position toward Japan.",
        "RUS>JPN -",
    ),
    (
        "sanctions against",
        "The European Union imposed sanctions against Russia.",
        "EU>RUS -",
    ),
    (
        "possessive source",
        "Russia's harsh response to North Korea surprised observers.",
        "RUS>PRK -",
    ),
    (
        "passive with by-agent",
        "Japan was rebuked by Moscow for the decision.",
        "RUS>JPN -",
    ),
    (
        "passive without agent",
        "Japan was rebuked for the decision.",
        "",
    ),
    (
        "negated hawkish cue is no evidence",
        "China did not condemn North Korea.",
        "",
    ),
    (
        "refusal to cooperate is hawkish",
        "Seoul refused to cooperate with Tokyo.",
        "KOR>JPN -",
    ),
    (
        "double negation is a hedge",
        "Russia has not ruled out supporting tougher sanctions against North Korea.",
        "RUS>PRK -",
    ),
    (
        "symmetric between",
        "Tensions between Japan and China rose again.",
        "CHN>JPN -, JPN>CHN -",
    ),
    (
        "compound pair",
        "Russia-Japan relations have been strained for years.",
        "JPN>RUS -, RUS>JPN -",
    ),
    (
        "coordinated subjects, joint act",
        "Russia and China held joint drills last week.",
        "CHN>RUS +, RUS>CHN +",
    ),
    (
        "symmetric cue with a target",
        "Seoul held talks with Pyongyang.",
        "KOR>PRK +, PRK>KOR +",
    ),
    (
        "anti- compound names the target",
        "Washington pushed anti-Russian sanctions.",
        "USA>RUS -",
    ),
    (
        "X-led names the source",
        "The US-led sanctions against Russia deepened.",
        "USA>RUS -",
    ),
    (
        "place is not an actor",
        "Missiles fell into the Sea of Japan.",
        "",
    ),
    (
        "pronoun back to the subject",
        "Russia needs buyers. It wants to thaw relations with Japan.",
        "RUS>JPN +",
    ),
    (
        "two countries",
        "Japan met Russia. The two countries agreed to cooperate.",
        "JPN>RUS +, RUS>JPN +",
    ),
    (
        "coordinated targets",
        "Russia wants to improve relations with the United States, Japan and South Korea.",
        "RUS>JPN +, RUS>KOR +, RUS>USA +",
    ),
    (
        "several dyads in one sentence",
        "Moscow condemned Pyongyang, but Beijing praised Seoul.",
        "CHN>KOR +, RUS>PRK -",
    ),
    (
        "adjective demonym as source",
        "Observers noted North Korean belligerence toward Seoul.",
        "PRK>KOR -",
    ),
    (
        "possessive object after a verb",
        "Moscow called Pyongyang's test a threat.",
        "RUS>PRK -",
    ),
    (
        "undirected tone",
        "Russia wants to cooperate.",
        "RUS tone +",
    ),
    (
        "domestic group after a demonym",
        "Chinese police attacked protesters in Beijing.",
        "CHN>CHN -",
    ),
    (
        "domestic group located by in",
        "Troops attacked protesters in South Korea.",
        "KOR>KOR -",
    ),
    (
        "domestic group, one named actor",
        "Japanese troops attacked rebels.",
        "JPN>JPN -",
    ),
    (
        "named non-state group is no actor",
        "Japanese troops attacked Taliban fighters.",
        "JPN tone -",
    ),
    (
        "domestic group beside two states stays unresolved",
        "Japanese troops attacked rebels near China.",
        "JPN tone -",
    ),
    (
        "coordinated subjects past a determiner",
        "Japan, South Korea and the United States condemned North Korea.",
        "JPN>PRK -, KOR>PRK -, USA>PRK -",
    ),
    (
        "reaction of a third party",
        "Seoul stayed neutral, to the frustration of Tokyo.",
        "JPN>KOR -",
    ),
    (
        "location is not a target",
        "Moscow and Beijing signed a treaty in Washington.",
        "CHN>RUS +, RUS>CHN +",
    ),
    (
        "mediator acts toward both parties",
        "Japan's mediation between Seoul and Beijing continued.",
        "JPN>CHN +, JPN>KOR +",
    ),
    (
        "reversal of a hostile act",
        "Seoul lifted its sanctions on Tokyo.",
        "KOR>JPN +",
    ),
    (
        "reversal of a cooperative act",
        "Moscow cut aid to Pyongyang.",
        "RUS>PRK -",
    ),
    (
        "hostility that has ended",
        "Tensions between Japan and China have eased.",
        "CHN>JPN +, JPN>CHN +",
    ),
    (
        "accusing is not opposing",
        "Japan was rebuked by Moscow for its talks with Seoul.",
        "JPN>KOR +, KOR>JPN +, RUS>JPN -",
    ),
    (
        "third party toward a compound pair",
        "Pyongyang condemned the US-South Korean joint drills.",
        "KOR>USA +, PRK>KOR -, PRK>USA -, USA>KOR +",
    ),
    (
        "passive with an irregular verb and coordinated agents",
        "North Korea was attacked by Japan and South Korea.",
        "JPN>PRK -, KOR>PRK -",
    ),
    (
        "rejection of a cooperative offer",
        "Tokyo rejected Seoul's offer of talks.",
        "JPN>KOR -",
    ),
    (
        "relative-clause passive",
        "Japan said the ship that was attacked by China sank.",
        "CHN tone -",
    ),
    (
        "grievance after the addressee",
        "Seoul complained to the United States over Chinese threats.",
        "KOR>CHN -, CHN tone -",
    ),
    (
        "condition in mid-sentence",
        "Japan will condemn China if Beijing attacks Seoul.",
        "JPN>CHN -",
    ),
    (
        "response aimed at the actor of the condition",
        "Japan warned it would retaliate if China attacked again.",
        "JPN>CHN -",
    ),
    (
        "purchase from a counterpart",
        "Japan bought jets from the United States.",
        "JPN>USA +, USA>JPN +",
    ),
    (
        "the country refers back",
        "Japan met Moscow. The country then praised Seoul.",
        "JPN>KOR +",
    ),
    (
        "participle before a preposition is no passive",
        "Japan is opposed to Chinese mediation.",
        "JPN>CHN -",
    ),
    (
        "plural pronoun back to this sentence's subject",
        "Russian officials said they would boycott talks with Japan.",
        "RUS>JPN -",
    ),
    (
        "borrowed subject is the earlier clause's subject",
        "Beijing praised Seoul while warning Tokyo against escalation.",
        "CHN>JPN -, CHN>KOR +",
    ),
];

#[test]
fn constructions() {
    let mut failures = Vec::new();
    for (name, text, expected) in CASES {
        let got = render(text);
        if got != *expected {
            failures.push(format!(
                "{name}\n  text:     {text}\n  expected: {expected}\n  got:      {got}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} constructions wrong:\n{}\nhelp: see attribute.rs",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn evidence_carries_span_cue_weight_and_modifiers() {
    let text = "Russia may thaw relations with Japan.";
    let doc = ingest::Document::from_text("t", text);
    let scored = scorer().score(&doc);
    let dyad = &scored.dyads[0];
    let evidence = &dyad.evidence[0];
    assert_eq!(&text[evidence.start..evidence.end], "thaw relations");
    assert_eq!(&*evidence.cue, "thaw relations");
    assert_eq!(*evidence.modifiers, ["hedge"]);
    assert_eq!(evidence.weight, Weight(3600));
    assert_eq!(&*evidence.text, text);
}

#[test]
fn evidence_names_its_modifiers_without_strings_of_its_own() {
    let text = "Although Russia may strongly condemn Japan, trade grew. Russia condemned Japan.";
    let scored = scorer().score(&ingest::Document::from_text("t", text));
    let items: Vec<&Evidence> = scored
        .dyads
        .iter()
        .flat_map(|d| d.evidence.iter().map(|e| &**e))
        .collect();
    assert!(
        items.iter().any(|item| item.modifiers.len() > 1),
        "{items:?}"
    );
    for item in &items {
        assert!(
            item.modifiers
                .iter()
                .all(|modifier| matches!(modifier, std::borrow::Cow::Borrowed(_))),
            "{:?}",
            item.modifiers
        );
    }
    // A third of a large document's memory is its evidence: an item stays within 96 bytes.
    assert!(std::mem::size_of::<Evidence>() <= 96);
}

#[test]
fn evidence_sentences_point_into_the_document_text() {
    let text =
        "Russia condemned Japan. China threatened Seoul. Tokyo and Washington signed a pact.";
    let doc = ingest::Document::from_text("t", text);
    let scored = scorer().score(&doc);
    let items: Vec<&Evidence> = scored
        .dyads
        .iter()
        .flat_map(|d| d.evidence.iter().map(|e| &**e))
        .collect();
    assert_eq!(items.len(), 4, "one item per dyad, two for the pact");
    let base = doc.text.as_ptr() as usize;
    for item in items {
        let sentence = doc.sentences[item.sentence];
        assert_eq!(&*item.text, &doc.text[sentence.start..sentence.end]);
        // The very bytes of the document, not a copy of them.
        assert_eq!(item.text.as_ptr() as usize, base + sentence.start);
    }
    // The pact is one cue occurrence, counted for both of its dyads: one item, shared.
    let pact: Vec<&std::sync::Arc<Evidence>> = scored
        .dyads
        .iter()
        .filter(|d| matches!(d.source.as_str(), "JPN" | "USA"))
        .flat_map(|d| &d.evidence)
        .collect();
    assert_eq!(pact.len(), 2, "{:?}", scored.dyads);
    assert!(std::sync::Arc::ptr_eq(pact[0], pact[1]), "copied per dyad");
    drop(scored);
    assert_eq!(std::sync::Arc::strong_count(&doc.text), 1);
}

#[test]
fn modifiers_reweight() {
    let weight = |text: &str| {
        let doc = ingest::Document::from_text("t", text);
        scorer()
            .score(&doc)
            .dyads
            .first()
            .map(|d| (d.hawkish.0, d.evidence[0].modifiers.to_vec()))
    };
    assert_eq!(weight("Moscow condemned Tokyo."), Some((6000, vec![])));
    assert_eq!(
        weight("Moscow strongly condemned Tokyo."),
        Some((7800, vec!["intensified".into()]))
    );
    // The act inside "if …" is hypothetical: no evidence.
    assert_eq!(
        weight("If Moscow condemned Tokyo, trade would suffer."),
        None
    );
    assert_eq!(
        weight("Although Moscow condemned Tokyo, trade grew."),
        Some((4200, vec!["concessive".into()]))
    );
    // The comma after a concession or a condition ends it: what follows counts in full.
    for text in [
        "Although trade grew, Moscow condemned Tokyo.",
        "If talks fail, Moscow condemned Tokyo.",
    ] {
        assert_eq!(weight(text), Some((6000, vec![])), "{text}");
    }
    // A dash ends nothing here: the concession runs on.
    assert_eq!(
        weight("Although trade grew - Moscow condemned Tokyo."),
        Some((4200, vec!["concessive".into()]))
    );
}

#[test]
fn scores_are_bounded_and_shrink_with_thin_evidence() {
    let one = render("Moscow condemned Tokyo.");
    assert_eq!(one, "RUS>JPN -");
    let doc = ingest::Document::from_text("t", "Moscow condemned Tokyo.");
    let score = scorer().score(&doc).dyads[0].score();
    assert!((score + 0.375).abs() < 1e-9, "0.6 / 1.6, got {score}");
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Words that exercise the rules: actors, cues, modifiers, prepositions and punctuation.
    const VOCABULARY: &[&str] = &[
        "Russia",
        "Russia's",
        "Japan",
        "Tokyo",
        "North Korea",
        "Moscow",
        "Seoul",
        "anti-Russian",
        "US-led",
        "Russia-Japan",
        "condemned",
        "sanctions",
        "talks",
        "thaw relations",
        "not",
        "never",
        "may",
        "if",
        "but",
        "although",
        "toward",
        "against",
        "with",
        "by",
        "between",
        "and",
        ",",
        ".",
        ";",
        "was",
        "it",
        "the two countries",
        "strongly",
        "joint drills",
        "ü",
        "’s",
        "—",
        "-",
        "\n",
        "U.S.",
        "didn't",
    ];

    fn prose() -> impl Strategy<Value = String> {
        prop::collection::vec(prop::sample::select(VOCABULARY), 0..60).prop_map(|w| w.join(" "))
    }

    fn sentences() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop::collection::vec(prop::sample::select(VOCABULARY), 0..16)
                .prop_map(|w| w.join(" ")),
            0..6,
        )
        .prop_map(|s| s.join(". "))
    }

    fn check_invariants(text: &str) -> Result<(), TestCaseError> {
        let doc = ingest::Document::from_text("p", text);
        let scored = scorer().score(&doc);
        // Offsets index the cleaned text, not the raw input.
        let text = doc.text.as_str();
        let mut previous: Option<(String, String)> = None;
        for dyad in &scored.dyads {
            // Same-state dyads exist (domestic events), but only as hostile acts.
            prop_assert!(dyad.source != dyad.target || dyad.hawkish.0 > 0);
            let score = dyad.score();
            prop_assert!(score > -1.0 && score < 1.0, "score {score} out of bounds");
            prop_assert_eq!(dyad.cues as usize, dyad.evidence.len());
            let key = (dyad.source.clone(), dyad.target.clone());
            prop_assert!(
                previous.as_ref().is_none_or(|p| p < &key),
                "dyads sorted and unique"
            );
            previous = Some(key);
            for evidence in &dyad.evidence {
                prop_assert!(evidence.start < evidence.end && evidence.end <= text.len());
                prop_assert!(
                    text.is_char_boundary(evidence.start) && text.is_char_boundary(evidence.end)
                );
                prop_assert!(evidence.weight.0 > 0 && evidence.weight.0 <= Weight::SCALE);
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(64) })]

        #[test]
        fn prop_score_invariants_on_ir_prose(text in prose()) {
            check_invariants(&text)?;
        }

        #[test]
        fn prop_score_never_panics_on_arbitrary_text(text in any::<String>()) {
            check_invariants(&text)?;
        }

        #[test]
        fn prop_score_does_not_depend_on_the_documents_before(first in sentences(), second in sentences()) {
            // Buffers are reused from one document (and sentence) to the next on a thread.
            let scorer = scorer();
            let (a, b) = (ingest::Document::from_text("a", &first), ingest::Document::from_text("b", &second));
            let fresh = std::thread::scope(|scope| scope.spawn(|| scorer.score(&a)).join().unwrap());
            scorer.score(&b);
            prop_assert_eq!(scorer.score(&a), fresh);
        }

        #[test]
        fn prop_score_ignores_extra_spaces(text in prose()) {
            // Doubling the spaces between words changes offsets, never the matrix.
            let doc = ingest::Document::from_text("a", &text);
            let spaced = ingest::Document::from_text("a", &text.replace(' ', "  "));
            let matrix = |d: &ingest::Document| {
                scorer().score(d).dyads.iter().map(|x| (x.source.clone(), x.target.clone(), x.conciliatory, x.hawkish)).collect::<Vec<_>>()
            };
            prop_assert_eq!(matrix(&doc), matrix(&spaced));
        }
    }
}

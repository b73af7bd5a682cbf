//! Matcher tests: cue automaton parts, and the same hits as an automaton holding every expansion.

use proptest::prelude::*;

use super::oracle::{Entry, StreamBuffers, StreamMatcher, actor_patterns, cue_pattern};
use super::*;
use crate::token::Stream;

/// Every stream string a cue stands for: one, or one per suffix of each inner stem.
///
/// This is how cues were matched before the automaton held only their part up to the first
/// inner stem; it is the oracle the tail check must agree with.
fn cue_patterns(pattern: &str) -> Vec<String> {
    let words = cue_words(pattern);
    let mut variants = vec![String::from(" ")];
    for (i, word) in words.iter().enumerate() {
        let last = i + 1 == words.len();
        match word.strip_suffix('*') {
            Some(stem) if last => {
                for v in &mut variants {
                    v.push_str(stem);
                }
            }
            Some(stem) => {
                let mut next = Vec::new();
                for v in &variants {
                    for form in stem_forms(stem) {
                        next.push(format!("{v}{form} "));
                    }
                }
                variants = next;
            }
            None => {
                for v in &mut variants {
                    v.push_str(word);
                    v.push(' ');
                }
            }
        }
    }
    variants.sort();
    variants.dedup();
    variants
}

/// A stream matcher whose automaton holds every expansion of every cue.
fn expanded_matcher(actors: &Actors, lexicon: &Lexicon) -> StreamMatcher {
    let (mut patterns, mut entries) = actor_patterns(actors);
    for (cue_index, cue) in lexicon.cues().iter().enumerate() {
        for pattern in cue_patterns(&cue.pattern) {
            patterns.push(pattern);
            entries.push(Entry::Cue {
                cue: cue_index as u32,
            });
        }
    }
    StreamMatcher::build(patterns, entries)
}

/// The word matcher and its two oracles: the stream matcher it replaced, and that matcher
/// with every expansion of every cue in its automaton.
struct Matchers {
    matcher: Matcher,
    stream: StreamMatcher,
    expanded: StreamMatcher,
}

fn matchers() -> &'static Matchers {
    static MATCHERS: std::sync::OnceLock<Matchers> = std::sync::OnceLock::new();
    MATCHERS.get_or_init(|| {
        let (actors, lexicon) = (Actors::builtin(), Lexicon::builtin());
        Matchers {
            matcher: Matcher::new(&actors, &lexicon),
            stream: StreamMatcher::new(&actors, &lexicon),
            expanded: expanded_matcher(&actors, &lexicon),
        }
    })
}

type Hits = (Vec<Hit>, Vec<Hit>);

/// Scans `text` with the word matcher and both stream matchers and returns (mentions, cues)
/// of each.
fn scan_all(text: &str) -> [Hits; 3] {
    let doc = ingest::Document::from_text("t", text);
    let text = doc.text.as_str();
    let mut tokens = Vec::new();
    let mut sentences = Vec::new();
    let mut stream = Stream::default();
    stream.clear();
    for span in &doc.sentences {
        let first = tokens.len();
        token::tokenize(text, span.start, span.end, &mut tokens);
        stream.extend(text, &tokens, first..tokens.len());
        stream.break_here();
        sentences.push(first..tokens.len());
    }
    let matchers = matchers();
    let (mut mentions, mut cues, mut classes) = (Vec::new(), Vec::new(), Vec::new());
    matchers.matcher.scan(
        text,
        &tokens,
        &sentences,
        &mut mentions,
        &mut cues,
        &mut classes,
        &mut ScanBuffers::default(),
    );
    for (token, &found) in tokens.iter().zip(&classes) {
        let word = &text[token.start as usize..token.end as usize];
        assert_eq!(
            found,
            attribute::word_classes(text, *token),
            "the scan gave {word:?} ({token:?}) other classes than word_classes\nhelp: a class word's key is no longer the last whole key of its trie node, or the fallback for skipped, non-ASCII and negation tokens changed"
        );
    }
    let word_hits = (mentions, cues);
    let [stream_hits, expanded_hits] = [&matchers.stream, &matchers.expanded].map(|matcher| {
        let (mut mentions, mut cues) = (Vec::new(), Vec::new());
        matcher.scan(
            text,
            &tokens,
            &stream,
            &mut mentions,
            &mut cues,
            &mut StreamBuffers::default(),
        );
        (mentions, cues)
    });
    [word_hits, stream_hits, expanded_hits]
}

fn check_same_hits(text: &str) {
    let [word, stream, expanded] = scan_all(text);
    assert!(
        stream == expanded,
        "stream matcher and expanded oracle disagree on\n```\n{text}\n```\nmatcher: {stream:?}\noracle:  {expanded:?}\nhelp: the tail check of cues with inner stems (Tail) no longer follows cue_patterns"
    );
    assert!(
        word == stream,
        "word matcher and stream oracle disagree on\n```\n{text}\n```\nword:   {word:?}\nstream: {stream:?}\nhelp: a word, form or stem key (WordTrie) or a pattern trie edge no longer follows the stream patterns"
    );
}

#[test]
fn cue_patterns_expand_inner_stems_only() {
    assert_eq!(cue_patterns("sanction*"), [" sanction"]);
    assert_eq!(cue_patterns("improve relations"), [" improve relations "]);
    assert_eq!(
        cue_patterns("improve the relations"),
        [" improve relations "]
    );
    let expel = cue_patterns("expel* diplomat*");
    assert!(expel.contains(&" expelled diplomat".to_string()));
    assert!(expel.contains(&" expels diplomat".to_string()));
}

#[test]
fn automaton_holds_cues_up_to_their_first_inner_stem() {
    let cases: &[(&str, &str, Option<usize>)] = &[
        ("sanction*", " sanction", None),
        ("improve the relations", " improve relations ", None),
        ("expel* diplomat*", " expel", Some(2)),
        ("sharply rais* tension*", " sharply rais", Some(2)),
        ("lodg* protest* with", " lodg", Some(3)),
    ];
    for &(cue, pattern, tail_len) in cases {
        let (found, entry) = cue_pattern(0, &cue_words(cue));
        assert_eq!(found, pattern, "automaton part of {cue:?}");
        let found_tail_len = match entry {
            Entry::CueTail { tail, .. } => Some(tail.len()),
            _ => None,
        };
        assert_eq!(found_tail_len, tail_len, "tail of {cue:?}");
    }
}

#[test]
fn tail_hits_equal_expanded_hits_on_examples() {
    let texts = [
        "Tokyo expelled Russian diplomats. Moscow expels diplomat after diplomat.",
        "Japan lodged a protest with Russia, and Russia lodges protests with Japan.",
        "China summoned the Japanese ambassador; Japan summons envoys.",
        "Raising tensions, Russia raised concerns and raises tension.",
        "expel\nexpelled\n diplomats expelling",
        "Tokyo expelx diplomats and lodgx protests; Japan summoned’s envoy.",
        "José Eduardo dos Santos met Néstor Kirchner; Évariste Ndayishimiye condemned Burkinabè \
         troops, and Schüssel’s Austria expelled Burkinabe diplomats.",
        "Joséx Kirchnér and JOSÉ EDUARDO DOS SANTOS criticized Wolfgang Schussel's Burkinabè.",
    ];
    for text in texts {
        check_same_hits(text);
    }
}

#[test]
fn tail_hits_equal_expanded_hits_on_seeds() {
    let seeds = [
        include_str!("../../../../seeds/000_f94768ee9ed23074.txt"),
        include_str!("../../../../seeds/001_a20b4882fe9274f4.txt"),
        include_str!("../../../../seeds/002_fa70ba8b07161890.txt"),
        include_str!("../../../../seeds/003_6c03b276927b0c11.txt"),
        include_str!("../../../../seeds/004_9758f7dde3184293.txt"),
    ];
    for seed in seeds {
        check_same_hits(seed);
    }
}

/// Cues with inner stems written out with suffixes (right and wrong), among actors and fillers.
fn cue_prose() -> impl Strategy<Value = String> {
    let lexicon = Lexicon::builtin();
    let cues: Vec<Vec<String>> = lexicon
        .cues()
        .iter()
        .map(|cue| cue_words(&cue.pattern))
        .filter(|words| {
            words.len() >= 2 && words[..words.len() - 1].iter().any(|w| w.ends_with('*'))
        })
        .map(|words| {
            words
                .iter()
                .map(|w| w.trim_end_matches('*').to_string())
                .collect()
        })
        .collect();
    assert!(
        !cues.is_empty(),
        "the built-in lexicon has cues with inner stems"
    );
    const SUFFIXES_TRIED: &[&str] = &["", "", "s", "ed", "led", "ing", "ations", "x", "’s", "\n"];
    let phrase = (
        prop::sample::select(cues),
        prop::collection::vec(prop::sample::select(SUFFIXES_TRIED), 4),
    )
        .prop_map(|(words, suffixes)| {
            let words: Vec<String> = words
                .iter()
                .enumerate()
                .map(|(i, w)| format!("{w}{}", suffixes[i % suffixes.len()]))
                .collect();
            words.join(" ")
        });
    let filler = prop::sample::select(
        &[
            "the",
            "Russia",
            "Japan",
            ".",
            ",",
            "\n",
            "US",
            "Néstor",
            "Kirchner",
            "Burkinabè",
            "Burkinab",
            "Évariste",
        ][..],
    )
    .prop_map(str::to_string);
    let token = prop_oneof![2 => phrase, 1 => filler];
    prop::collection::vec(token, 0..20).prop_map(|w| w.join(" "))
}

/// Every class word in three capitalisations, with possessives, contractions, non-ASCII
/// letters and punctuation around them, so that each path to a token's classes is taken.
#[test]
fn scanned_classes_equal_word_classes_for_every_class_word() {
    let mut text = String::new();
    for (word, _) in attribute::ascii_class_words() {
        let mut title = word.clone();
        title[..1].make_ascii_uppercase();
        for form in [word.clone(), title, word.to_ascii_uppercase()] {
            text.push_str(&form);
            text.push_str(" ’s ");
            text.push_str(&form);
            text.push_str("n't, é");
            text.push_str(&form);
            text.push_str(" – ");
        }
    }
    // scan_all checks every token's classes.
    scan_all(&text);
}

/// Class words, determiners, actors, cue words and punctuation in any order.
fn class_prose() -> impl Strategy<Value = String> {
    let mut pieces: Vec<String> = attribute::ascii_class_words()
        .into_iter()
        .map(|(word, _)| word)
        .collect();
    pieces.extend(
        "The ITS their n't ’s 's Russia sanctions é Néstor , ; : – - . \n NOT Against K\u{212a}"
            .split(' ')
            .map(str::to_string),
    );
    prop::collection::vec(prop::sample::select(pieces), 0..30).prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(64) })]

    #[test]
    fn prop_tail_hits_equal_expanded_hits(text in cue_prose()) {
        check_same_hits(&text);
    }

    #[test]
    fn prop_scanned_classes_equal_word_classes(text in class_prose()) {
        // scan_all checks every token's classes.
        scan_all(&text);
    }
}

#[test]
fn a_node_holds_its_key_only_when_it_is_the_one_key_and_fits() {
    let single = |prefix: &[u32], whole: &[u32]| {
        WordNode {
            classes: WordNode::single_bits(prefix, whole) | 0b101,
            children: 0,
            label: 0,
            child_count: 0,
            prefix: !prefix.is_empty(),
            whole: !whole.is_empty(),
        }
        .single()
    };
    assert_eq!(single(&[7], &[]), Some(7));
    assert_eq!(single(&[], &[0]), Some(0));
    assert_eq!(single(&[], &[]), None);
    assert_eq!(single(&[3], &[4]), None);
    assert_eq!(single(&[], &[4, 5]), None);
    // The largest key that fits, and the first that does not (it is read from the node's
    // span instead).
    let largest = (1u32 << (64 - KEY_SHIFT)) - 2;
    assert_eq!(single(&[largest], &[]), Some(largest));
    for too_large in [largest + 1, largest + 2, largest * 2, 1 << 30] {
        assert_eq!(single(&[too_large], &[]), None, "{too_large}");
    }
    assert_eq!(single(&[], &[u32::MAX]), None);
    // The key's bits are above every class bit.
    assert_eq!(
        WordNode::single_bits(&[u32::MAX >> 9], &[]) & ((1 << KEY_SHIFT) - 1),
        0
    );
}

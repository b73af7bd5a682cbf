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

/// Every word of the built-in patterns, as written and with each suffix a stem takes, in
/// lowercase, capitalised and uppercase, and some words no pattern has.
fn memo_words() -> Vec<String> {
    let (actors, lexicon) = (Actors::builtin(), Lexicon::builtin());
    let mut words: Vec<String> = Vec::new();
    let texts = actors
        .list()
        .iter()
        .flat_map(|actor| actor.aliases.iter())
        .chain(actors.places())
        .chain(lexicon.cues().iter().map(|cue| &cue.pattern));
    for text in texts {
        for word in text.split_whitespace() {
            match word.strip_suffix('*') {
                Some(stem) => words.extend(stem_forms(stem)),
                None => words.push(word.to_string()),
            }
        }
    }
    words.extend(
        [
            "zzz",
            "Qx",
            "a1b2c3",
            "x-y",
            "u.s.",
            "AT&T",
            "sixteen-letters!",
        ]
        .map(String::from),
    );
    let cased: Vec<String> = words
        .iter()
        .flat_map(|word| {
            let mut capital = word.clone();
            if let Some(first) = capital.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            [word.clone(), capital, word.to_ascii_uppercase()]
        })
        .filter(|word| word.is_ascii() && !word.is_empty())
        .collect();
    cased
}

/// The keys the memo gives each of `words` (ASCII), looked up in order through one memo,
/// against the walk's; returns how many of the words have more keys than a slot holds.
fn check_memo_against_walk(words: &[String]) -> usize {
    let words_trie = &matchers().matcher.words;
    let mut text = words.join(" ");
    // Room for the memo's 16-byte reads after the last word.
    text.push_str(&" ".repeat(16));
    let bytes = text.as_bytes();
    let mut memo = WalkMemo::default();
    let mut over = 0;
    // Twice over: the first pass fills slots (and replaces colliding words), the second
    // finds many words in their slot.
    for _ in 0..2 {
        let mut start = 0;
        for word in words {
            let end = start + word.len();
            let (mut expected, mut found) = (vec![9], vec![9]);
            words_trie.walk::<true>(word.as_bytes(), &mut expected);
            memo.walk(words_trie, bytes, start, end, &mut found);
            assert_eq!(found, expected, "the memo's keys for {word:?}");
            over += usize::from(expected.len() - 1 > MEMO_KEYS);
            start = end + 1;
        }
    }
    over
}

#[test]
fn the_memo_gives_each_word_the_keys_its_walk_gives() {
    let words = memo_words();
    let over = check_memo_against_walk(&words);
    // Words with more keys than a slot holds are walked every time, and exist.
    assert!(over > 0, "no built-in word has more than {MEMO_KEYS} keys");
    // A walk fills the word's slot, and only it.
    let words_trie = &matchers().matcher.words;
    let mut memo = WalkMemo::default();
    let text = format!("Relations{}", " ".repeat(16));
    memo.walk(words_trie, text.as_bytes(), 0, 9, &mut Vec::new());
    let held = memo.slots.iter().filter(|slot| slot.len > 0).count();
    assert_eq!(held, 1);
}

#[test]
fn packed_lowercase_packs_up_to_sixteen_bytes() {
    let text = "AbCdEfGhIjKlMnOpQ-Z09 and some room after it";
    for len in 0..=16 {
        let lower = text[..len].to_ascii_lowercase();
        let mut bytes = [0u8; 16];
        bytes[..len].copy_from_slice(lower.as_bytes());
        let expected = [
            u64::from_le_bytes(bytes[..8].try_into().unwrap()),
            u64::from_le_bytes(bytes[8..].try_into().unwrap()),
        ];
        assert_eq!(
            packed_lowercase(text.as_bytes(), 0, len),
            Some(expected),
            "{len}"
        );
    }
    // Letters only change case: digits, dashes and the bytes next to `A` and `Z` do not.
    let edges = "@[`{09-Z";
    let padded = format!("{edges}{}", " ".repeat(16));
    let packed = packed_lowercase(padded.as_bytes(), 0, edges.len()).unwrap();
    assert_eq!(packed[0].to_le_bytes(), *b"@[`{09-z");
    assert_eq!(packed_lowercase(text.as_bytes(), 0, 17), None);
    // Within 16 bytes of the end: not read.
    let end = text.len();
    assert_eq!(packed_lowercase(text.as_bytes(), end - 5, end), None);
}

/// Words of ASCII letters (either case), digits and the punctuation words hold.
fn ascii_word() -> impl Strategy<Value = String> {
    prop::string::string_regex("[a-zA-Z0-9'&.-]{1,20}").expect("a valid regex")
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(64) })]

    #[test]
    fn prop_the_memo_gives_the_walks_keys(
        words in prop::collection::vec(
            prop_oneof![ascii_word(), prop::sample::select(memo_words())],
            1..200,
        ),
    ) {
        check_memo_against_walk(&words);
    }
}

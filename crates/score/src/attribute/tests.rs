//! Tests for the word-class bits behind `Sentence::in_class`.

use super::{CLASS_LISTS, class, class_bit};

#[test]
fn class_constants_are_the_bits_of_their_lists() {
    // The lists that were inline words until 2026-12-01 are in CONVERTED, below.
    let mut named: Vec<(&str, &[&str], u64)> = vec![
        (
            "DOMESTIC_GROUPS",
            super::DOMESTIC_GROUPS,
            class::DOMESTIC_GROUPS,
        ),
        (
            "TARGET_PREPOSITIONS",
            super::TARGET_PREPOSITIONS,
            class::TARGET_PREPOSITIONS,
        ),
        (
            "OTHER_PREPOSITIONS",
            super::OTHER_PREPOSITIONS,
            class::OTHER_PREPOSITIONS,
        ),
        ("BE_FORMS", super::BE_FORMS, class::BE_FORMS),
        ("NEGATORS", super::NEGATORS, class::NEGATORS),
        ("REVERSERS", super::REVERSERS, class::REVERSERS),
        ("BACKGROUND", super::BACKGROUND, class::BACKGROUND),
        ("HEDGES", super::HEDGES, class::HEDGES),
        ("INTENT", super::INTENT, class::INTENT),
        ("INTENSIFIERS", super::INTENSIFIERS, class::INTENSIFIERS),
        ("DAMPENERS", super::DAMPENERS, class::DAMPENERS),
        (
            "CONCESSIVE_OPENERS",
            super::CONCESSIVE_OPENERS,
            class::CONCESSIVE_OPENERS,
        ),
        ("CONTRASTIVE", super::CONTRASTIVE, class::CONTRASTIVE),
        (
            "CONDITIONAL_OPENERS",
            super::CONDITIONAL_OPENERS,
            class::CONDITIONAL_OPENERS,
        ),
        (
            "SINGULAR_PRONOUNS",
            super::SINGULAR_PRONOUNS,
            class::SINGULAR_PRONOUNS,
        ),
        (
            "PLURAL_PRONOUNS",
            super::PLURAL_PRONOUNS,
            class::PLURAL_PRONOUNS,
        ),
        ("PAIR_NOUNS", super::PAIR_NOUNS, class::PAIR_NOUNS),
        ("TITLES", super::TITLES, class::TITLES),
        ("AGENT_NOUNS", super::AGENT_NOUNS, class::AGENT_NOUNS),
        (
            "AGENT_PARTICIPLES",
            super::AGENT_PARTICIPLES,
            class::AGENT_PARTICIPLES,
        ),
        ("COMMA", super::COMMA, class::COMMA),
        ("PERIOD", super::PERIOD, class::PERIOD),
        ("SEMICOLON", super::SEMICOLON, class::SEMICOLON),
        ("COLON", super::COLON, class::COLON),
        (
            "CLAUSE_BOUNDARIES",
            super::CLAUSE_BOUNDARIES,
            class::CLAUSE_BOUNDARIES,
        ),
        ("EN_DASH", super::EN_DASH, class::EN_DASH),
    ];
    named.extend_from_slice(CONVERTED);
    assert_eq!(
        named.len(),
        CLASS_LISTS.len(),
        "help: every list of CLASS_LISTS needs its constant in `mod class` and a row here"
    );
    for &(name, list, bit) in &named {
        assert_eq!(
            class_bit(list),
            Some(bit),
            "help: class::{name} must be 1 << the index of {name} in CLASS_LISTS"
        );
    }
}

/// The class bits of `word` found the slow way: every list, every word, compared as
/// `word_classes` promises (ASCII-lowercased token bytes against each list word lowercased).
fn classes_by_scan(word: &str) -> u64 {
    if word.len() > super::CLASS_WORD_MAX {
        return 0;
    }
    let lower = word.to_ascii_lowercase();
    CLASS_LISTS
        .iter()
        .enumerate()
        .filter(|(_, list)| list.iter().any(|w| w.to_lowercase() == lower))
        .map(|(i, _)| 1 << i)
        .fold(0, |bits, bit| bits | bit)
}

#[test]
fn word_classes_equal_a_scan_of_the_lists() {
    let mut words: Vec<String> = Vec::new();
    for list in CLASS_LISTS {
        for word in list.iter() {
            let upper = word.to_uppercase();
            // The lists hold punctuation too ("—"): cut and capitalise by character.
            let mut chars = word.chars();
            let first = chars.next().map(|c| c.to_ascii_uppercase());
            let capital: String = first.into_iter().chain(chars).collect();
            let mut shorter = word.chars();
            shorter.next_back();
            words.extend([
                word.to_string(),
                upper,
                capital,
                format!("{word}s"),
                format!("x{word}"),
                shorter.as_str().to_string(),
                format!("{word}{}", "z".repeat(16)),
            ]);
        }
    }
    words.extend(
        [
            "",
            "a",
            "zzzzzzzzzzzzzzzz",
            "zzzzzzzzzzzzzzzzz",
            "É",
            "naïve",
        ]
        .map(String::from),
    );
    for word in &words {
        // The word alone (packed byte by byte), and before and after at least 16 more bytes
        // of every kind (read 16 bytes at once and masked).
        let after = "AZ@[`{\u{7f}é Zz09'.-_\u{0}";
        for (text, start) in [
            (word.clone(), 0),
            (format!("{word}{after}"), 0),
            (format!("{after}{word}{after}"), after.len()),
        ] {
            let token = crate::token::Token {
                start: start as u32,
                end: (start + word.len()) as u32,
                kind: crate::token::Kind::Word,
                flags: 0,
            };
            assert_eq!(
                super::word_classes(&text, token),
                classes_by_scan(word),
                "classes of {word:?} in {text:?}\nhelp: pack_lower, pack_lower_at or the class table no longer agrees with the lists"
            );
        }
    }
    // Every byte value through both packings.
    let all: Vec<u8> = (0..=255).collect();
    for start in 0..all.len() - 16 {
        for len in 1..=16 {
            assert_eq!(
                super::pack_lower_at(&all, start, len),
                super::pack_lower(&all[start..start + len]),
                "bytes {start}..{}",
                start + len
            );
        }
    }
}

/// The answer the rules got before they tested class bits: `Sentence::is`, which compared the
/// token's text with each word of an inline list (ASCII case-insensitive) and took the negation
/// `n't` for "not", whatever the token's kind.
fn is_by_comparison(text: &str, token: crate::token::Token, words: &[&str]) -> bool {
    if token.kind == crate::token::Kind::Negation {
        return words.contains(&"not");
    }
    let word = &text[token.start as usize..token.end as usize];
    words.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// The lists that replaced the inline word lists of single rules.
static CONVERTED: &[(&str, &[&str], u64)] = &[
    ("ANTI_PREFIXES", super::ANTI_PREFIXES, class::ANTI_PREFIXES),
    (
        "AGENT_NOUN_PREPOSITIONS",
        super::AGENT_NOUN_PREPOSITIONS,
        class::AGENT_NOUN_PREPOSITIONS,
    ),
    ("AND_OR", super::AND_OR, class::AND_OR),
    (
        "NOT_ADJECTIVES",
        super::NOT_ADJECTIVES,
        class::NOT_ADJECTIVES,
    ),
    ("IF_UNLESS", super::IF_UNLESS, class::IF_UNLESS),
    (
        "CONDITION_JOINERS",
        super::CONDITION_JOINERS,
        class::CONDITION_JOINERS,
    ),
    (
        "LOCATIVE_PREPOSITIONS",
        super::LOCATIVE_PREPOSITIONS,
        class::LOCATIVE_PREPOSITIONS,
    ),
    (
        "LOOSE_TARGET_PREPOSITIONS",
        super::LOOSE_TARGET_PREPOSITIONS,
        class::LOOSE_TARGET_PREPOSITIONS,
    ),
    (
        "SOURCE_PREPOSITIONS",
        super::SOURCE_PREPOSITIONS,
        class::SOURCE_PREPOSITIONS,
    ),
    ("MUST", super::MUST, class::MUST),
    (
        "ADJECTIVAL_PREPOSITIONS",
        super::ADJECTIVAL_PREPOSITIONS,
        class::ADJECTIVAL_PREPOSITIONS,
    ),
    ("RULE_FORMS", super::RULE_FORMS, class::RULE_FORMS),
    ("OUT", super::OUT, class::OUT),
    ("BY", super::BY, class::BY),
    ("AND_AMPERSAND", super::AND_AMPERSAND, class::AND_AMPERSAND),
    (
        "AND_OR_AMPERSAND",
        super::AND_OR_AMPERSAND,
        class::AND_OR_AMPERSAND,
    ),
    ("TO", super::TO, class::TO),
    ("OF", super::OF, class::OF),
    ("FROM", super::FROM, class::FROM),
    (
        "RELATIVE_PRONOUNS",
        super::RELATIVE_PRONOUNS,
        class::RELATIVE_PRONOUNS,
    ),
    ("NOT_ATTACHED", super::NOT_ATTACHED, class::NOT_ATTACHED),
    ("STATE_NOUNS", super::STATE_NOUNS, class::STATE_NOUNS),
    ("PAIR_COUNTS", super::PAIR_COUNTS, class::PAIR_COUNTS),
    (
        "SUBJECT_CONTINUERS",
        super::SUBJECT_CONTINUERS,
        class::SUBJECT_CONTINUERS,
    ),
    (
        "CLAUSE_JOINERS",
        super::CLAUSE_JOINERS,
        class::CLAUSE_JOINERS,
    ),
    ("OF_IN_FOR", super::OF_IN_FOR, class::OF_IN_FOR),
    ("BETWEEN", super::BETWEEN, class::BETWEEN),
    ("IN", super::IN, class::IN),
    ("OF_FOR", super::OF_FOR, class::OF_FOR),
    (
        "GRIEVANCE_PREPOSITIONS",
        super::GRIEVANCE_PREPOSITIONS,
        class::GRIEVANCE_PREPOSITIONS,
    ),
];

#[test]
fn converted_lists_set_their_bit_for_exactly_their_words() {
    // Every word of every converted list in three cases, near-misses of each, and tokens of
    // every kind (punctuation, a possessive, a contracted negation), through the tokenizer.
    let mut text = String::new();
    for &(_, list, _) in CONVERTED {
        for word in list {
            let mut capital = word.to_string();
            capital[..1].make_ascii_uppercase();
            let shorter = &word[..word.len() - 1];
            text.push_str(&format!(
                "{word} {} {capital} {word}s x{word} {shorter} {word}{word} ",
                word.to_uppercase()
            ));
        }
    }
    text.push_str("didn't NOT not Iran's & && and/or + , ; . - anti-Iran counter-terrorism ");
    text.push_str("between between's ruled-out bye fro ot froms inn offf tow");
    let mut tokens = Vec::new();
    crate::token::tokenize(&text, 0, text.len(), &mut tokens);
    assert!(
        tokens
            .iter()
            .any(|t| t.kind == crate::token::Kind::Negation)
            && tokens
                .iter()
                .any(|t| t.kind == crate::token::Kind::Possessive)
            && tokens
                .iter()
                .any(|t| &text[t.start as usize..t.end as usize] == "&"),
        "help: the text no longer yields every token kind"
    );
    for &(name, list, bit) in CONVERTED {
        for word in list {
            let found = tokens
                .iter()
                .filter(|t| &text[t.start as usize..t.end as usize] == *word)
                .count();
            assert!(found > 0, "{word:?} of {name} is not a token of the text");
        }
        for &token in &tokens {
            let word = &text[token.start as usize..token.end as usize];
            assert_eq!(
                super::word_classes(&text, token) & bit != 0,
                is_by_comparison(&text, token, list),
                "{word:?} ({:?}) in {name}\nhelp: the bit must be set for exactly the words of the list",
                token.kind
            );
        }
    }
}

/// The answer the rules got before punctuation had class bits: `Sentence::is_punct`, true for a
/// punctuation token found in `chars` as a substring.
fn is_punct_by_search(text: &str, token: crate::token::Token, chars: &str) -> bool {
    token.kind == crate::token::Kind::Punct
        && chars.contains(&text[token.start as usize..token.end as usize])
}

#[test]
fn punctuation_lists_set_their_bit_for_exactly_their_characters() {
    let punctuation: &[(&str, &str, u64)] = &[
        ("COMMA", ",", class::COMMA),
        ("PERIOD", ".", class::PERIOD),
        ("SEMICOLON", ";", class::SEMICOLON),
        ("COLON", ":", class::COLON),
        ("CLAUSE_BOUNDARIES", ";:()—", class::CLAUSE_BOUNDARIES),
        ("EN_DASH", "–", class::EN_DASH),
    ];
    let text = "Iran's , . ; : ( ) — – - ‐ ‑ … ! ? \" ' ’ [ ] { } / & didn't U.S. 3.5 a,b a.b \
        x;y (z) w—v t – u s-r ,, .. ;: ,;:. word";
    let mut tokens = Vec::new();
    crate::token::tokenize(text, 0, text.len(), &mut tokens);
    for &(name, chars, bit) in punctuation {
        for c in chars.chars() {
            let found = tokens.iter().any(|t| {
                t.kind == crate::token::Kind::Punct
                    && text[t.start as usize..t.end as usize] == *c.to_string()
            });
            assert!(
                found,
                "{c:?} of {name} is not a punctuation token of the text"
            );
        }
        for &token in &tokens {
            let word = &text[token.start as usize..token.end as usize];
            assert_eq!(
                super::word_classes(text, token) & bit != 0,
                is_punct_by_search(text, token, chars),
                "{word:?} ({:?}) in {name}\nhelp: the bit must be set for exactly the characters of the list",
                token.kind
            );
        }
    }
}

#[test]
fn the_length_filter_passes_every_list_word_in_any_case() {
    // A shape ignores ASCII case for every byte value, so no casing of a list word is filtered.
    for byte in 0..=255u8 {
        for other in [b'a', b'Z', b'&', 0xE2, byte] {
            assert_eq!(
                super::shape_of(byte, other),
                super::shape_of(byte.to_ascii_lowercase(), other.to_ascii_uppercase()),
                "bytes {byte:#x} and {other:#x}\nhelp: a shape must not depend on ASCII case"
            );
        }
    }
    let table = super::class_table();
    for list in CLASS_LISTS {
        for word in list.iter() {
            for cased in [
                word.to_string(),
                word.to_uppercase(),
                word.to_ascii_uppercase(),
            ] {
                let bytes = cased.as_bytes();
                if bytes.len() != word.len() {
                    continue;
                }
                let shape = super::shape_of(bytes[0], bytes[bytes.len() - 1]);
                assert!(
                    table.lengths[shape] >> (bytes.len() - 1) & 1 == 1,
                    "{cased:?} is filtered out\nhelp: the length filter must pass every list word"
                );
            }
        }
    }
}

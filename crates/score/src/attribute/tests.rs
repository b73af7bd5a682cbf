//! Tests for the word-class bits behind `Sentence::is` and `Sentence::in_class`.

use super::{CLASS_LISTS, class, class_bit};

#[test]
fn class_constants_are_the_bits_of_their_lists() {
    let named: &[(&str, &[&str], u32)] = &[
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
    ];
    assert_eq!(
        named.len(),
        CLASS_LISTS.len(),
        "help: every list of CLASS_LISTS needs its constant in `mod class` and a row here"
    );
    for &(name, list, bit) in named {
        assert_eq!(
            class_bit(list),
            Some(bit),
            "help: class::{name} must be 1 << the index of {name} in CLASS_LISTS"
        );
    }
}

/// The class bits of `word` found the slow way: every list, every word, compared as
/// `word_classes` promises (ASCII-lowercased token bytes against each list word lowercased).
fn classes_by_scan(word: &str) -> u32 {
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
            let mut capital = word.to_string();
            capital[..1].make_ascii_uppercase();
            words.extend([
                word.to_string(),
                upper,
                capital,
                format!("{word}s"),
                format!("x{word}"),
                word[..word.len() - 1].to_string(),
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

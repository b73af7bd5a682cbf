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

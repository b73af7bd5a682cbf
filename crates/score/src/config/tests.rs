//! Tests for actor and lexicon file parsing.

use super::*;

fn actor_error(source: &str) -> String {
    Actors::empty()
        .load_toml("user.toml", source)
        .unwrap_err()
        .to_string()
}

fn lexicon_error(source: &str) -> String {
    Lexicon::empty()
        .load_toml("lex.toml", source)
        .unwrap_err()
        .to_string()
}

#[test]
fn user_actor_file_in_the_documented_shape() {
    let mut actors = Actors::empty();
    actors
        .load_toml(
            "v.toml",
            r#"
[[actor]]
code = "VLD"
name = "Veldoria"
aliases = ["Veldoria", "Veldorian", "Port Amsel", "President Karsk"]
"#,
        )
        .unwrap();
    assert_eq!(actors.list().len(), 1);
    assert_eq!(actors.list()[0].code, "VLD");
    assert_eq!(actors.list()[0].aliases.len(), 4);
}

#[test]
fn same_code_extends_and_user_alias_takes_precedence() {
    let mut actors = Actors::empty();
    actors
        .load_toml("a.toml", "[[actor]]\ncode = \"USA\"\nname = \"United States\"\naliases = [\"Washington\", \"US\"]\n")
        .unwrap();
    actors
        .load_toml("b.toml", "[[actor]]\ncode = \"WST\"\nname = \"Washington State\"\naliases = [\"Washington\"]\n[[actor]]\ncode = \"USA\"\naliases = [\"America\"]\n")
        .unwrap();
    let usa = actors.list().iter().find(|a| a.code == "USA").unwrap();
    assert_eq!(
        usa.aliases,
        ["US", "America"],
        "Washington moved to WST, America added"
    );
}

#[test]
fn actor_errors_name_file_and_line() {
    for (source, expected) in [
        (
            "[[actor]]\ncode = \"vld\"\nname = \"V\"\n",
            "user.toml:2: actor code \"vld\"",
        ),
        (
            "[[actor]]\ncode = \"VLD\"\naliases = [\"V\"]\n",
            "user.toml:1: actor VLD needs a name",
        ),
        (
            "[[actor]]\ncode = \"VLD\"\nname = \"V\"\naliases = [\"  \"]\n",
            "user.toml:4: alias",
        ),
        (
            "[[actor]]\ncode = \"VLD\"\nname = \"V\"\nalias = [\"V\"]\n",
            "user.toml:4:",
        ),
        ("[[actor]\n", "user.toml:1:"),
    ] {
        let error = actor_error(source);
        assert!(
            error.starts_with(expected),
            "got {error:?}\nhelp: expected a prefix {expected:?}"
        );
    }
}

#[test]
fn lexicon_errors_name_file_and_line() {
    for (source, expected) in [
        (
            "[[cue]]\npattern = \"x\"\nstance = \"angry\"\nweight = 0.5\n",
            "lex.toml:3: stance \"angry\"",
        ),
        (
            "[[cue]]\npattern = \"x\"\nstance = \"hawkish\"\nweight = 1.5\n",
            "lex.toml:4: weight 1.5",
        ),
        (
            "[[cue]]\npattern = \"x\"\nstance = \"hawkish\"\nweight = 0\n",
            "lex.toml:4: weight 0",
        ),
        (
            "[[cue]]\npattern = \"a*b\"\nstance = \"hawkish\"\nweight = 0.5\n",
            "lex.toml:2: pattern",
        ),
        (
            "[[cue]]\npattern = \"x\"\nstance = \"hawkish\"\n",
            "lex.toml:1:",
        ),
    ] {
        let error = lexicon_error(source);
        assert!(
            error.starts_with(expected),
            "got {error:?}\nhelp: expected a prefix {expected:?}"
        );
    }
}

#[test]
fn lexicon_patterns_are_normalised_and_replaced() {
    let mut lexicon = Lexicon::empty();
    lexicon
        .load_toml(
            "a.toml",
            "[[cue]]\npattern = \"De-Escalat*\"\nstance = \"conciliatory\"\nweight = 0.8\n",
        )
        .unwrap();
    lexicon
        .load_toml(
            "b.toml",
            "[[cue]]\npattern = \"de escalat*\"\nstance = \"conciliatory\"\nweight = 0.5\n",
        )
        .unwrap();
    assert_eq!(lexicon.cues().len(), 1);
    assert_eq!(lexicon.cues()[0].pattern, "de escalat*");
    assert_eq!(lexicon.cues()[0].weight, Weight(5000));
}

#[test]
fn near_normal_patterns_are_normalised() {
    for (pattern, expected) in [
        ("talks with", "talks with"),
        ("talks  with", "talks with"),
        (" talks", "talks"),
        ("talks ", "talks"),
        ("Talks", "talks"),
        ("cease-fire", "cease fire"),
        ("talks\twith", "talks with"),
        ("rapprochement’s", "rapprochement's"),
    ] {
        assert_eq!(
            normalise_pattern(pattern.to_string()),
            expected,
            "{pattern:?}"
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

    /// Patterns taken as they are (already lowercase ASCII words and single spaces) are the
    /// ones the full normalisation would not change.
    #[test]
    fn kept_patterns_are_already_normal(
        chars in proptest::collection::vec(
            // Mostly what a kept pattern is made of, so that near misses are common.
            proptest::sample::select(vec![
                'a', 'b', 'a', ' ', ' ', ' ', '*', '\'', 'Z', '-', '–', '’', '\t', 'é', '\n',
            ]),
            0..8,
        ),
    ) {
        let pattern: String = chars.into_iter().collect();
        proptest::prop_assert_eq!(normalise_pattern(pattern.clone()), normalise_words(&pattern));
    }
}

#[test]
fn builtin_tables_equal_parsing_the_builtin_toml() {
    let (tables, parsed) = (Actors::builtin(), Actors::builtin_from_toml());
    assert_eq!(tables.actors, parsed.actors);
    assert_eq!(tables.places, parsed.places);
    assert!(tables.actors.len() > 150 && tables.places.len() > 20);
    let mut lexicon = Lexicon::default();
    lexicon
        .load_toml("builtin lexicon.toml", BUILTIN_LEXICON)
        .unwrap();
    assert_eq!(Lexicon::builtin().cues, lexicon.cues);
    assert!(lexicon.cues.len() > 1000);
}

#[test]
fn builtin_table_spans_point_at_their_values_in_the_toml() {
    // An error in a built-in entry must name the line a user would be shown for the file: the
    // table's span is its header, and a value's span is the value as written.
    let check =
        |source: &str, table: std::ops::Range<usize>, header: &str, value: &Spanned<String>| {
            assert_eq!(&source[table], header);
            assert_eq!(&source[value.span()], format!("{:?}", value.get_ref()));
        };
    for actor in builtin::actor_entries() {
        check(
            BUILTIN_ACTORS,
            actor.span(),
            "[[actor]]",
            &actor.get_ref().code,
        );
    }
    for cue in builtin::cue_entries() {
        check(
            BUILTIN_LEXICON,
            cue.span(),
            "[[cue]]",
            &cue.get_ref().pattern,
        );
    }
}

//! The built-in actors, places and lexicon as static tables.
//!
//! `build.rs` parses `data/actors.toml`, `data/places.toml` and `data/lexicon.toml` with the
//! shapes in [`super::files`] and writes every entry, spans included, into `builtin.rs` in
//! `OUT_DIR`. Parsing the TOML was about half of a run's start-up (49 of 93 million
//! instructions for a one-sentence document). The entries turned back into the parsed shape
//! here go through the same checks and merge as a user file's, and a test checks that the
//! result equals parsing the TOML at run time.

use std::ops::Range;

use toml::Spanned;

use super::files::{ActorEntry, CueEntry};

/// A string value and its span in the source file.
type Text = (Range<usize>, &'static str);

/// One `[[actor]]` table.
struct Actor {
    span: Range<usize>,
    code: Text,
    name: Option<&'static str>,
    kind: Option<&'static str>,
    aliases: &'static [Text],
}

/// One `[[cue]]` table.
struct Cue {
    span: Range<usize>,
    pattern: Text,
    stance: Text,
    weight: (Range<usize>, f64),
    category: Option<&'static str>,
    symmetric: bool,
}

include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

fn spanned((span, text): &Text) -> Spanned<String> {
    Spanned::new(span.clone(), text.to_string())
}

/// The `[[actor]]` entries of `data/actors.toml`, in file order.
pub(super) fn actor_entries() -> Vec<Spanned<ActorEntry>> {
    ACTORS
        .iter()
        .map(|actor| {
            let entry = ActorEntry {
                code: spanned(&actor.code),
                name: actor.name.map(str::to_string),
                kind: actor.kind.map(str::to_string),
                aliases: actor.aliases.iter().map(spanned).collect(),
            };
            Spanned::new(actor.span.clone(), entry)
        })
        .collect()
}

/// The `[[cue]]` entries of `data/lexicon.toml`, in file order.
pub(super) fn cue_entries() -> Vec<Spanned<CueEntry>> {
    CUES.iter()
        .map(|cue| {
            let entry = CueEntry {
                pattern: spanned(&cue.pattern),
                stance: spanned(&cue.stance),
                weight: Spanned::new(cue.weight.0.clone(), cue.weight.1),
                category: cue.category.map(str::to_string),
                symmetric: cue.symmetric,
            };
            Spanned::new(cue.span.clone(), entry)
        })
        .collect()
}

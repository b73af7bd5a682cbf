//! Parses the built-in actors, places and lexicon at build time and writes their entries as
//! static tables (`OUT_DIR/builtin.rs`, read by `src/config/builtin.rs`), so that `stance`
//! does not parse 270 KB of TOML on every start. The checks and the merge still run at
//! start-up, on the same entries a user file would give.

use std::fmt::Write as _;
use std::ops::Range;
use std::path::PathBuf;

#[path = "src/config/files.rs"]
mod files;

use files::{ActorsFile, LexiconFile, PlacesFile};
use toml::Spanned;

fn main() {
    for path in [
        "data/actors.toml",
        "data/places.toml",
        "data/lexicon.toml",
        "src/config/files.rs",
    ] {
        println!("cargo::rerun-if-changed={path}");
    }
    let actors: ActorsFile = parse("data/actors.toml");
    let places: PlacesFile = parse("data/places.toml");
    let lexicon: LexiconFile = parse("data/lexicon.toml");

    let mut out = String::from("// Written by build.rs from data/*.toml.\n\n");
    out.push_str("static ACTORS: &[Actor] = &[\n");
    for actor in &actors.actor {
        let span = actor.span();
        let actor = actor.get_ref();
        let aliases: Vec<String> = actor.aliases.iter().map(text).collect();
        writeln!(
            out,
            "    Actor {{ span: {span:?}, code: {}, name: {:?}, kind: {:?}, aliases: &[{}] }},",
            text(&actor.code),
            actor.name,
            actor.kind,
            aliases.join(", "),
        )
        .unwrap();
    }
    out.push_str("];\n\n/// The phrases of `data/places.toml`, in file order.\n");
    out.push_str("pub(super) static PLACES: &[&str] = &[\n");
    for phrase in &places.phrases {
        writeln!(out, "    {phrase:?},").unwrap();
    }
    out.push_str("];\n\nstatic CUES: &[Cue] = &[\n");
    for cue in &lexicon.cue {
        let span = cue.span();
        let cue = cue.get_ref();
        writeln!(
            out,
            "    Cue {{ span: {span:?}, pattern: {}, stance: {}, weight: ({:?}, {:?}), \
             category: {:?}, symmetric: {} }},",
            text(&cue.pattern),
            text(&cue.stance),
            cue.weight.span(),
            cue.weight.get_ref(),
            cue.category,
            cue.symmetric,
        )
        .unwrap();
    }
    out.push_str("];\n");

    let dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(dir.join("builtin.rs"), out).expect("write OUT_DIR/builtin.rs");
}

/// A spanned string as the source of a `(Range<usize>, &str)` tuple.
fn text(value: &Spanned<String>) -> String {
    let span: Range<usize> = value.span();
    format!("({span:?}, {:?})", value.get_ref())
}

fn parse<T: serde::de::DeserializeOwned>(path: &str) -> T {
    let source = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    toml::from_str(&source).unwrap_or_else(|e| panic!("{path}: {e}"))
}

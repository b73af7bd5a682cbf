//! The serde shapes of actors, places and lexicon files.
//!
//! Shared by the crate, which parses user files with them, and by its build script, which
//! parses the built-in files with them at build time and writes the entries out as static
//! tables ([`super::builtin`]), so that a run does not parse 270 KB of TOML.

use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActorsFile {
    #[serde(default)]
    pub(crate) actor: Vec<Spanned<ActorEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActorEntry {
    pub(crate) code: Spanned<String>,
    pub(crate) name: Option<String>,
    #[serde(default)]
    pub(crate) kind: Option<String>,
    #[serde(default)]
    pub(crate) aliases: Vec<Spanned<String>>,
}

/// Read by the build script and by a test; the crate itself loads the built-in places from
/// the build script's table.
#[cfg_attr(
    not(test),
    allow(dead_code, reason = "read by build.rs and by tests only")
)]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlacesFile {
    #[serde(default)]
    pub(crate) phrases: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LexiconFile {
    #[serde(default)]
    pub(crate) cue: Vec<Spanned<CueEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CueEntry {
    pub(crate) pattern: Spanned<String>,
    pub(crate) stance: Spanned<String>,
    pub(crate) weight: Spanned<f64>,
    #[serde(default)]
    pub(crate) category: Option<String>,
    #[serde(default)]
    pub(crate) symmetric: bool,
}

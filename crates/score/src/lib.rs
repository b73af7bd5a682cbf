//! Directed stance scoring of one document.
//!
//! The crate owns the actor gazetteer ([`Actors`]), the stance lexicon ([`Lexicon`]) and the
//! [`Scorer`] that turns one [`ingest::Document`] into a [`ScoredDocument`]: for every directed
//! dyad (source actor → target actor) the conciliatory and hawkish evidence, each piece with its
//! sentence, byte span, cue, weight and modifiers.
//!
//! # What a stance number means
//!
//! A cue is a word or phrase that shows one actor acting or speaking toward another in a
//! conflictual (hawkish) or cooperative (conciliatory) way, weighted after the Goldstein scale.
//! Modifiers re-weight it: negation, hedges, intent, intensifiers, concessive and conditional
//! clauses. Weights are fixed-point integers so that sums are exact in any order. A dyad's score
//! is `(C - H) / (C + H + 1)` ([`dyad_score`]): in (-1, 1), negative hawkish, and shrunk toward 0
//! when evidence is thin.
//!
//! # What the lexicon can't see
//!
//! There is no parser. Sources and targets are found with a handful of rules over tokens: the
//! subject to the left, a by-agent, a possessive or adjective attached to a nominal cue, an actor
//! marked by toward/against/with/on/to or a bare object on the right, compounds ("Russia-Japan"),
//! coordination, and pronouns back to the last subject. Long-distance dependencies, irony, and
//! stances implied by facts rather than words are out of reach; every score carries its evidence
//! so a reader can check it. Scoring does no IO and never fails: problems become warnings.

mod attribute;
mod config;
mod matcher;
mod model;
mod scorer;
mod token;

pub use config::{Actor, Actors, Cue, Lexicon};
pub use model::{
    DyadScore, Evidence, SHRINKAGE, ScoredDocument, SentenceText, Stance, ToneScore, Weight,
    dyad_score,
};
pub use scorer::Scorer;

/// A problem in an actors or lexicon file, with the file and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct Error {
    /// The file name as given by the caller.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
}

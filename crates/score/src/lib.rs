//! Directed stance scoring of one document.
//!
//! (Being written: the engine lands with the scoring issue.)

mod model;

pub use model::{
    DyadScore, Evidence, ScoredDocument, Stance, ToneScore, Weight, SHRINKAGE, dyad_score,
};

/// A problem in an actors or lexicon file, with the file and 1-based line.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct Error {
    /// The file name as given by the caller.
    pub file: String,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// What is wrong, lowercase, no trailing period.
    pub message: String,
}

/// One actor: a code and the phrases that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Actor code (ISO 3166-1 alpha-3 for states; UNO, EU, NATO … for organisations).
    pub code: String,
    /// Display name.
    pub name: String,
    /// Alias phrases.
    pub aliases: Vec<String>,
}

/// The actor gazetteer.
#[derive(Debug, Clone, Default)]
pub struct Actors {
    actors: Vec<Actor>,
}

impl Actors {
    /// The built-in gazetteer.
    pub fn builtin() -> Actors {
        Actors::default()
    }

    /// An empty gazetteer (for `--no-default-actors`).
    pub fn empty() -> Actors {
        Actors::default()
    }

    /// Merges a user actors file (`[[actor]] code, name, aliases`) over this gazetteer.
    pub fn load_toml(&mut self, file: &str, source: &str) -> Result<(), Error> {
        let _ = (file, source);
        Ok(())
    }

    /// All actors, sorted by code.
    pub fn list(&self) -> &[Actor] {
        &self.actors
    }
}

/// One lexicon entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// The pattern, lowercase tokens, `*` for a stem wildcard.
    pub pattern: String,
    /// Which way it pulls.
    pub stance: Stance,
    /// Its weight in (0, 1].
    pub weight: Weight,
}

/// The stance lexicon.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    cues: Vec<Cue>,
}

impl Lexicon {
    /// The built-in lexicon.
    pub fn builtin() -> Lexicon {
        Lexicon::default()
    }

    /// An empty lexicon.
    pub fn empty() -> Lexicon {
        Lexicon::default()
    }

    /// Merges a user lexicon file (`[[cue]] pattern, stance, weight`).
    pub fn load_toml(&mut self, file: &str, source: &str) -> Result<(), Error> {
        let _ = (file, source);
        Ok(())
    }

    /// All cues, sorted by pattern.
    pub fn cues(&self) -> &[Cue] {
        &self.cues
    }
}

/// Scores documents against an actor gazetteer and a stance lexicon.
#[derive(Debug)]
pub struct Scorer {}

impl Scorer {
    /// Compiles the matcher for these actors and this lexicon.
    pub fn new(actors: &Actors, lexicon: &Lexicon) -> Scorer {
        let _ = (actors, lexicon);
        Scorer {}
    }

    /// Scores one document. Pure: the same document always gives the same result.
    pub fn score(&self, doc: &ingest::Document) -> ScoredDocument {
        ScoredDocument {
            id: doc.id.clone(),
            title: doc.title.clone(),
            date: doc.date.clone(),
            outlet: doc.outlet.clone(),
            metadata: doc.metadata.clone(),
            sentences: doc.sentences.len(),
            ..ScoredDocument::default()
        }
    }
}

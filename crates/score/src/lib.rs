//! Directed stance scoring of one document.
//!
//! (Being written: the engine lands with the scoring issue.)

mod model;

pub use model::{
    DyadScore, Evidence, ScoredDocument, Stance, ToneScore, Weight, SHRINKAGE, dyad_score,
};

/// Scores documents against an actor gazetteer and a stance lexicon.
#[derive(Debug, Default)]
pub struct Scorer {}

impl Scorer {
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

//! The scored-document model: dyads, evidence and fixed-point weights.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// A non-negative weight in fixed-point units of 1/10 000.
///
/// Weights are integers so that sums are exact and associative: adding evidence in any order,
/// on any number of threads or machines, gives the same bits. Floats appear only when a
/// score is finally computed with [`dyad_score`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Weight(pub i64);

impl Weight {
    /// Units per 1.0.
    pub const SCALE: i64 = 10_000;

    /// Rounds a float to the nearest unit.
    pub fn from_f64(value: f64) -> Weight {
        Weight((value * Weight::SCALE as f64).round() as i64)
    }

    /// The weight as a float.
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / Weight::SCALE as f64
    }
}

impl std::ops::Add for Weight {
    type Output = Weight;
    fn add(self, other: Weight) -> Weight {
        Weight(self.0 + other.0)
    }
}

impl std::ops::AddAssign for Weight {
    fn add_assign(&mut self, other: Weight) {
        self.0 += other.0;
    }
}

impl fmt::Display for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.4}", self.as_f64())
    }
}

/// The evidence mass that pulls a score halfway to ±1.
///
/// `score = (C - H) / (C + H + SHRINKAGE)`: one cue of weight 1.0 gives ±0.5, two give ±0.67,
/// so a single stray cue never reads as a firm stance.
pub const SHRINKAGE: f64 = 1.0;

/// The stance score in (-1, 1) of conciliatory total `c` and hawkish total `h`.
///
/// Negative is hawkish, positive conciliatory; it shrinks toward 0 when evidence is thin.
pub fn dyad_score(conciliatory: Weight, hawkish: Weight) -> f64 {
    let c = conciliatory.as_f64();
    let h = hawkish.as_f64();
    (c - h) / (c + h + SHRINKAGE)
}

/// Which way a cue pulls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stance {
    /// Conflictual: condemn, threaten, sanction, attack.
    Hawkish,
    /// Cooperative: thaw, visit, cooperate, aid.
    Conciliatory,
}

impl Stance {
    /// `"hawkish"` or `"conciliatory"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Hawkish => "hawkish",
            Stance::Conciliatory => "conciliatory",
        }
    }

    /// The other stance.
    pub fn flipped(self) -> Stance {
        match self {
            Stance::Hawkish => Stance::Conciliatory,
            Stance::Conciliatory => Stance::Hawkish,
        }
    }
}

/// One cue occurrence attributed to a dyad (or to an actor's undirected tone).
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    /// Index of the sentence in the document.
    pub sentence: usize,
    /// Byte offset of the cue's first byte in the document text.
    pub start: usize,
    /// Byte offset one past the cue's last byte in the document text.
    pub end: usize,
    /// The lexicon pattern that matched (for example `thaw relations` or `sanction*`); shared
    /// with every other evidence of the same cue.
    pub cue: Arc<str>,
    /// The stance after modifiers (negation may flip it).
    pub stance: Stance,
    /// The weight after modifiers.
    pub weight: Weight,
    /// The modifiers applied, in the order they were applied (for example `negated`, `hedge`).
    pub modifiers: Vec<String>,
    /// The sentence text; shared by all evidence from the same sentence of a document, so a
    /// sentence backing several cues and dyads is held once.
    pub text: Arc<str>,
}

/// The evidence for one directed dyad in one document.
#[derive(Debug, Clone, PartialEq)]
pub struct DyadScore {
    /// Source actor code (who acts).
    pub source: String,
    /// Target actor code (toward whom).
    pub target: String,
    /// Sum of conciliatory evidence weights.
    pub conciliatory: Weight,
    /// Sum of hawkish evidence weights.
    pub hawkish: Weight,
    /// Number of cue occurrences.
    pub cues: u32,
    /// The evidence, in document order.
    pub evidence: Vec<Evidence>,
}

impl DyadScore {
    /// The dyad's score, see [`dyad_score`].
    pub fn score(&self) -> f64 {
        dyad_score(self.conciliatory, self.hawkish)
    }
}

/// An actor's undirected tone: cues whose target could not be resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct ToneScore {
    /// Actor code.
    pub actor: String,
    /// Sum of conciliatory weights.
    pub conciliatory: Weight,
    /// Sum of hawkish weights.
    pub hawkish: Weight,
    /// Number of cue occurrences.
    pub cues: u32,
    /// The evidence, in document order.
    pub evidence: Vec<Evidence>,
}

impl ToneScore {
    /// The tone score, see [`dyad_score`].
    pub fn score(&self) -> f64 {
        dyad_score(self.conciliatory, self.hawkish)
    }
}

/// One document after scoring: its metadata and its stance matrix.
///
/// Self-contained (evidence carries its sentence text), so it can be written as JSONL and read
/// back for comparison without the original document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScoredDocument {
    /// Document id.
    pub id: String,
    /// Title, if any.
    pub title: Option<String>,
    /// Publication day, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Outlet, if any.
    pub outlet: Option<String>,
    /// Other metadata fields, for grouping.
    pub metadata: BTreeMap<String, String>,
    /// Number of sentences in the document.
    pub sentences: usize,
    /// Directed dyads, sorted by (source, target).
    pub dyads: Vec<DyadScore>,
    /// Undirected tone per actor, sorted by actor.
    pub tone: Vec<ToneScore>,
    /// Non-fatal notes (for example "no actors found").
    pub warnings: Vec<String>,
}

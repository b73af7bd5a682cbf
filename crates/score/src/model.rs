//! The scored-document model: dyads, evidence and fixed-point weights.

use std::borrow::Cow;
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
    /// The modifiers applied, in the order they were applied (for example `negated`, `hedge`):
    /// the scorer's are static names, so an item holds no string of its own for them (nor a
    /// buffer, when there are none); evidence read back from a report owns its strings.
    pub modifiers: Box<[Cow<'static, str>]>,
    /// The sentence text: a range of the document's text, which all the document's evidence
    /// shares, so a sentence is never copied to be evidence.
    pub text: SentenceText,
}

/// The text of an evidence sentence: a range of a shared text, usually the whole cleaned text
/// of the document it came from (no copy per sentence), or a text of its own (read back from
/// a report). Derefs to the sentence's `str`.
#[derive(Clone)]
pub struct SentenceText {
    source: Arc<String>,
    start: usize,
    end: usize,
}

impl SentenceText {
    /// The range `range` of `source`; an empty text if `range` is not a range of `source`
    /// between character boundaries.
    ///
    /// Not inlined: inlined into the scorer's sentence loop, its bounds check changed how the
    /// compiler laid out that whole loop, for 1.5 % more instructions on real news than
    /// copying each sentence took; out of line, 0.7 % more.
    #[inline(never)]
    pub fn new(source: Arc<String>, range: std::ops::Range<usize>) -> SentenceText {
        let (start, end) = if source.get(range.clone()).is_some() {
            (range.start, range.end)
        } else {
            (0, 0)
        };
        SentenceText { source, start, end }
    }

    /// The sentence's text.
    pub fn as_str(&self) -> &str {
        &self.source[self.start..self.end]
    }
}

impl std::ops::Deref for SentenceText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for SentenceText {
    fn from(text: String) -> SentenceText {
        let end = text.len();
        SentenceText {
            source: Arc::new(text),
            start: 0,
            end,
        }
    }
}

impl From<&str> for SentenceText {
    fn from(text: &str) -> SentenceText {
        SentenceText::from(text.to_owned())
    }
}

/// Texts are equal when their sentences are, wherever they are held.
impl PartialEq for SentenceText {
    fn eq(&self, other: &SentenceText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for SentenceText {}

impl PartialOrd for SentenceText {
    fn partial_cmp(&self, other: &SentenceText) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Ordered as their sentences are.
impl Ord for SentenceText {
    fn cmp(&self, other: &SentenceText) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for SentenceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
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
    /// The evidence, in document order. An item is shared (`Arc`) with the other dyads and
    /// tone entries the same cue occurrence counts for, rather than copied for each.
    pub evidence: Vec<Arc<Evidence>>,
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
    /// The evidence, in document order, shared as [`DyadScore::evidence`] is.
    pub evidence: Vec<Arc<Evidence>>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_text_is_a_range_of_its_source_or_empty() {
        let source = Arc::new("Tokyo protests. Moscow, café talks.".to_string());
        let second = SentenceText::new(Arc::clone(&source), 16..36);
        assert_eq!(second.as_str(), "Moscow, café talks.");
        assert_eq!(&*second, "Moscow, café talks.");
        assert_eq!(Arc::strong_count(&source), 2, "shared, not copied");
        // Past the end, reversed, or inside a character: empty, never a panic.
        let reversed = std::ops::Range { start: 20, end: 10 };
        for range in [0..99, reversed, 28..30, 37..37] {
            assert_eq!(
                SentenceText::new(Arc::clone(&source), range.clone()).as_str(),
                "",
                "{range:?}"
            );
        }
        assert_eq!(SentenceText::new(Arc::clone(&source), 0..0).as_str(), "");
    }

    #[test]
    fn sentence_texts_compare_as_their_sentences() {
        let source = Arc::new("Talks. Talks.".to_string());
        let first = SentenceText::new(Arc::clone(&source), 0..6);
        let second = SentenceText::new(Arc::clone(&source), 7..13);
        let own = SentenceText::from("Talks.");
        assert_eq!(first, second);
        assert_eq!(first, own);
        assert!(SentenceText::from("Accord.") < own);
        assert_eq!(format!("{first:?}"), "\"Talks.\"");
        assert_eq!(SentenceText::from(String::from("Own.")).as_str(), "Own.");
    }
}

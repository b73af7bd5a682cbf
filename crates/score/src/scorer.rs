//! The scorer: tokens, matches and attributions for one document, filed into dyads.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::attribute::{self, Attribution, CueInfo, Discourse, SentenceWork};
use crate::config::{Actors, Lexicon};
use crate::matcher::{Hit, Matcher, ScanBuffers};
use crate::model::{DyadScore, Evidence, ScoredDocument, SentenceText, Stance, ToneScore, Weight};
use crate::token::{self, Token};

/// Buffers that grew past this many tokens (for a sentence of a hundred thousand words) are
/// dropped after the document, so a thread does not keep them for the rest of the corpus.
const KEEP_SCRATCH_BELOW: usize = 1 << 16;

/// Buffers reused from one document to the next on the same thread.
#[derive(Default)]
struct Scratch {
    tokens: Vec<Token>,
    mentions: Vec<Hit>,
    cues: Vec<Hit>,
    /// The class bits of each token of the sentence.
    classes: Vec<u64>,
    sentence: SentenceWork,
    scan: ScanBuffers,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// Scores documents against an actor gazetteer and a stance lexicon.
///
/// Building a scorer compiles one automaton for every alias, place and cue; scoring is then a
/// pure function of the document. A scorer is `Send + Sync` and can be shared across threads.
#[derive(Debug)]
pub struct Scorer {
    matcher: Matcher,
    /// What attribution needs of each cue, indexed like the lexicon's cues.
    cue_info: Vec<CueInfo>,
    /// Each cue's pattern, indexed like the lexicon's cues, shared by its evidence.
    patterns: Vec<Arc<str>>,
}

impl Scorer {
    /// Compiles the matcher for these actors and this lexicon.
    pub fn new(actors: &Actors, lexicon: &Lexicon) -> Scorer {
        let matcher = Matcher::new(actors, lexicon);
        let cue_info = matcher
            .cues
            .iter()
            .map(|cue| CueInfo {
                stance: cue.stance,
                weight: cue.weight,
                symmetric: cue.symmetric,
                protest: cue.category.as_deref().is_some_and(|c| c.starts_with("14")),
            })
            .collect();
        let patterns = matcher
            .cues
            .iter()
            .map(|cue| Arc::from(cue.pattern.as_str()))
            .collect();
        Scorer {
            matcher,
            cue_info,
            patterns,
        }
    }

    /// Scores one document. Pure: the same document always gives the same result.
    pub fn score(&self, doc: &ingest::Document) -> ScoredDocument {
        // Token, stream and hit buffers are kept per thread and reused, so scoring a corpus
        // does not allocate and fault in fresh buffers for every document. A re-entrant call
        // gets fresh ones.
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => {
                let scored = self.score_with(&mut scratch, doc);
                if scratch.tokens.capacity() > KEEP_SCRATCH_BELOW {
                    *scratch = Scratch::default();
                }
                scored
            }
            Err(_) => self.score_with(&mut Scratch::default(), doc),
        })
    }

    fn score_with(&self, scratch: &mut Scratch, doc: &ingest::Document) -> ScoredDocument {
        let text = doc.text.as_str();
        let Scratch {
            tokens,
            mentions,
            cues,
            classes,
            sentence,
            scan,
        } = scratch;
        let mut discourse = Discourse::default();
        let mut dyads: BTreeMap<(u32, u32), DyadScore> = BTreeMap::new();
        let mut tone: BTreeMap<u32, ToneScore> = BTreeMap::new();
        let mut any_mention = false;
        // One sentence at a time: no pattern, mention or rule looks past its sentence (the
        // discourse state carries actors, not tokens), so the token and hit buffers hold one
        // sentence and a long document needs no more memory for them than a short one.
        for (sentence_index, &span) in doc.sentences.iter().enumerate() {
            tokens.clear();
            let (start, end) = (span.start.min(text.len()), span.end.min(text.len()));
            if text.is_char_boundary(start) && text.is_char_boundary(end) && start < end {
                token::tokenize(text, start, end, tokens);
            }
            let whole = 0..tokens.len();
            self.matcher.scan(
                text,
                tokens,
                std::slice::from_ref(&whole),
                mentions,
                cues,
                classes,
                scan,
            );
            if mentions.is_empty() && cues.is_empty() {
                continue;
            }
            any_mention |= !mentions.is_empty();
            sentence.attributions.clear();
            attribute::attribute_sentence(
                text,
                tokens,
                classes,
                whole,
                mentions,
                cues,
                &self.cue_info,
                &mut discourse,
                sentence,
            );
            // The sentence's text, a range of the document's, for all the evidence it holds.
            let mut sentence_text: Option<SentenceText> = None;
            for attribution in sentence.attributions.iter() {
                // One item, shared by all the dyads and tones it counts for.
                if attribution.dyads.is_empty() && attribution.tone.is_empty() {
                    continue;
                }
                let shared = sentence_text
                    .get_or_insert_with(|| SentenceText::new(Arc::clone(&doc.text), start..end))
                    .clone();
                let evidence = Arc::new(self.evidence(tokens, sentence_index, shared, attribution));
                let (stance, weight) = (attribution.stance, attribution.weight);
                for &(source, target) in &attribution.dyads {
                    let dyad = dyads.entry((source, target)).or_insert_with(|| DyadScore {
                        source: self.matcher.codes[source as usize].clone(),
                        target: self.matcher.codes[target as usize].clone(),
                        conciliatory: Weight(0),
                        hawkish: Weight(0),
                        cues: 0,
                        evidence: Vec::new(),
                    });
                    add(&mut dyad.conciliatory, &mut dyad.hawkish, stance, weight);
                    dyad.cues += 1;
                    dyad.evidence.push(Arc::clone(&evidence));
                }
                for &actor in &attribution.tone {
                    let entry = tone.entry(actor).or_insert_with(|| ToneScore {
                        actor: self.matcher.codes[actor as usize].clone(),
                        conciliatory: Weight(0),
                        hawkish: Weight(0),
                        cues: 0,
                        evidence: Vec::new(),
                    });
                    add(&mut entry.conciliatory, &mut entry.hawkish, stance, weight);
                    entry.cues += 1;
                    entry.evidence.push(Arc::clone(&evidence));
                }
            }
        }
        let mut warnings = Vec::new();
        if !any_mention && !doc.text.trim().is_empty() {
            warnings.push("no actors found".to_string());
        }
        let mut dyads: Vec<DyadScore> = dyads.into_values().collect();
        dyads.sort_by(|a, b| (&a.source, &a.target).cmp(&(&b.source, &b.target)));
        let mut tone: Vec<ToneScore> = tone.into_values().collect();
        tone.sort_by(|a, b| a.actor.cmp(&b.actor));
        ScoredDocument {
            id: doc.id.clone(),
            title: doc.title.clone(),
            date: doc.date.clone(),
            outlet: doc.outlet.clone(),
            metadata: doc.metadata.clone(),
            sentences: doc.sentences.len(),
            dyads,
            tone,
            warnings,
        }
    }

    fn evidence(
        &self,
        tokens: &[Token],
        sentence: usize,
        text: SentenceText,
        attribution: &Attribution,
    ) -> Evidence {
        let start = tokens[attribution.first].start as usize;
        let end = tokens[attribution.last].end as usize;
        Evidence {
            sentence,
            start,
            end,
            cue: Arc::clone(&self.patterns[attribution.cue as usize]),
            stance: attribution.stance,
            weight: attribution.weight,
            modifiers: attribution
                .modifiers
                .iter()
                .map(|&m| Cow::Borrowed(m))
                .collect(),
            text,
        }
    }
}

fn add(conciliatory: &mut Weight, hawkish: &mut Weight, stance: Stance, weight: Weight) {
    match stance {
        Stance::Conciliatory => *conciliatory += weight,
        Stance::Hawkish => *hawkish += weight,
    }
}

#[cfg(test)]
mod tests;

//! One Aho-Corasick automaton for actor aliases, non-actor places and lexicon cues.
//!
//! Every pattern is matched against the normalised token stream (see `token`), with a space on
//! each side (a trailing space is left off when the pattern ends in a stem wildcard), so raw hits
//! are already whole-word hits and no per-token hashing is needed.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::config::{Actors, Cue, Lexicon};
use crate::token::{self, ALL_CAPS, CAPITAL, Kind, Stream, Token};

/// How the text must be capitalised for an alias word to match.
#[derive(Debug, Clone)]
enum Case {
    /// Any capitalisation.
    Any,
    /// The first letter is uppercase ("Turkey", not "turkey").
    Capital,
    /// Exactly these characters ("US", not "us" or "Us").
    Exact(Box<str>),
}

#[derive(Debug, Clone)]
enum Entry {
    Alias { actor: u32, case: Box<[Case]> },
    Place,
    Cue { cue: u32 },
}

/// An actor mention or a place: tokens `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) first: usize,
    pub(crate) last: usize,
    /// The actor index, the cue index, or `u32::MAX` for a place.
    pub(crate) id: u32,
}

pub(crate) const PLACE: u32 = u32::MAX;

/// The compiled matcher.
#[derive(Debug)]
pub(crate) struct Matcher {
    automaton: Option<AhoCorasick>,
    entries: Vec<Entry>,
    pub(crate) codes: Vec<String>,
    pub(crate) cues: Vec<Cue>,
}

/// Suffixes tried for a stem that is not the last word of a pattern (`expel* diplomat*`).
const SUFFIXES: &[&str] = &[
    "", "s", "es", "e", "ed", "d", "ing", "er", "ers", "ion", "ions", "ation", "ations", "ment",
    "ments", "ement", "ements", "al", "ive", "y", "ies", "ied", "ity", "ize", "ized", "ise",
    "ised", "ance", "ence", "ly",
];

impl Matcher {
    pub(crate) fn new(actors: &Actors, lexicon: &Lexicon) -> Matcher {
        let mut patterns: Vec<String> = Vec::new();
        let mut entries = Vec::new();
        let mut tokens = Vec::new();
        let mut stream = Stream::default();
        for (actor_index, actor) in actors.list().iter().enumerate() {
            for alias in &actor.aliases {
                if let Some((pattern, case)) = alias_pattern(alias, &mut tokens, &mut stream) {
                    patterns.push(pattern);
                    entries.push(Entry::Alias {
                        actor: actor_index as u32,
                        case,
                    });
                }
            }
        }
        for place in actors.places() {
            if let Some((pattern, _)) = alias_pattern(place, &mut tokens, &mut stream) {
                patterns.push(pattern);
                entries.push(Entry::Place);
            }
        }
        for (cue_index, cue) in lexicon.cues().iter().enumerate() {
            for pattern in cue_patterns(&cue.pattern) {
                patterns.push(pattern);
                entries.push(Entry::Cue {
                    cue: cue_index as u32,
                });
            }
        }
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&patterns)
                .expect("patterns are short and the DFA fits")
        });
        Matcher {
            automaton,
            entries,
            codes: actors.list().iter().map(|a| a.code.clone()).collect(),
            cues: lexicon.cues().to_vec(),
        }
    }

    /// Finds actor mentions (places removed) and cue hits in `stream`, sorted and non-overlapping.
    pub(crate) fn scan(
        &self,
        text: &str,
        tokens: &[Token],
        stream: &Stream,
        mentions: &mut Vec<Hit>,
        cues: &mut Vec<Hit>,
    ) {
        mentions.clear();
        cues.clear();
        let Some(automaton) = &self.automaton else {
            return;
        };
        let bytes = stream.text.as_bytes();
        let mut actor_hits: Vec<(Hit, u8)> = Vec::new();
        for found in automaton.find_overlapping_iter(&stream.text) {
            let entry = &self.entries[found.pattern().as_usize()];
            let start_ordinal = stream.ordinal_at(found.start() + 1);
            let stem = bytes[found.end() - 1] != b' ';
            let end_ordinal = stream.ordinal_at(found.end() - if stem { 1 } else { 2 });
            let first = stream.tokens[start_ordinal] as usize;
            let last = stream.tokens[end_ordinal] as usize;
            match entry {
                Entry::Alias { actor, case } => {
                    let fits = case.iter().enumerate().all(|(i, rule)| {
                        let Some(&index) = stream.tokens.get(start_ordinal + i) else {
                            return false;
                        };
                        case_fits(rule, text, tokens[index as usize])
                    });
                    if fits {
                        actor_hits.push((
                            Hit {
                                first,
                                last,
                                id: *actor,
                            },
                            1,
                        ));
                    }
                }
                Entry::Place => actor_hits.push((
                    Hit {
                        first,
                        last,
                        id: PLACE,
                    },
                    0,
                )),
                Entry::Cue { cue } => cues.push(Hit {
                    first,
                    last,
                    id: *cue,
                }),
            }
        }
        // Leftmost-longest; on a tie, a place beats an alias, then the lower actor index.
        actor_hits
            .sort_by_key(|&(hit, rank)| (hit.first, std::cmp::Reverse(hit.last), rank, hit.id));
        let mut taken_until = None;
        for (hit, _) in actor_hits {
            if taken_until.is_some_and(|end| hit.first <= end) {
                continue;
            }
            taken_until = Some(hit.last);
            mentions.push(hit);
        }
        cues.sort_by_key(|hit| (hit.first, std::cmp::Reverse(hit.last), hit.id));
        let mut kept: Vec<Hit> = Vec::with_capacity(cues.len());
        for &hit in cues.iter() {
            if kept.last().is_some_and(|prev| hit.first <= prev.last) {
                continue;
            }
            let overlaps_actor = mentions
                .iter()
                .any(|m| m.first <= hit.last && hit.first <= m.last);
            if !overlaps_actor {
                kept.push(hit);
            }
        }
        *cues = kept;
        mentions.retain(|m| m.id != PLACE);
    }
}

fn case_fits(rule: &Case, text: &str, token: Token) -> bool {
    match rule {
        Case::Any => true,
        Case::Capital => token.has(CAPITAL),
        Case::Exact(word) => text[token.start as usize..token.end as usize] == **word,
    }
}

/// The stream pattern of an alias and the capitalisation each of its words needs.
fn alias_pattern(
    alias: &str,
    tokens: &mut Vec<Token>,
    stream: &mut Stream,
) -> Option<(String, Box<[Case]>)> {
    tokens.clear();
    token::tokenize(alias, 0, alias.len(), tokens);
    stream.clear();
    stream.extend(alias, tokens, 0..tokens.len());
    if stream.tokens.is_empty() {
        return None;
    }
    let case = stream
        .tokens
        .iter()
        .map(|&i| {
            let token = tokens[i as usize];
            let word = &alias[token.start as usize..token.end as usize];
            if token.kind != Kind::Word {
                Case::Any
            } else if token.has(ALL_CAPS) {
                Case::Exact(word.into())
            } else if token.has(CAPITAL) {
                Case::Capital
            } else {
                Case::Any
            }
        })
        .collect();
    Some((stream.text.clone(), case))
}

/// The stream patterns of a cue: one, or several when an inner word is a stem.
fn cue_patterns(pattern: &str) -> Vec<String> {
    let words: Vec<&str> = pattern
        .split(' ')
        .filter(|w| !w.is_empty() && !is_skipped_word(w))
        .collect();
    let mut variants = vec![String::from(" ")];
    for (i, word) in words.iter().enumerate() {
        let last = i + 1 == words.len();
        match word.strip_suffix('*') {
            Some(stem) if last => {
                for v in &mut variants {
                    v.push_str(stem);
                }
            }
            Some(stem) => {
                let mut next = Vec::new();
                for v in &variants {
                    for form in stem_forms(stem) {
                        next.push(format!("{v}{form} "));
                    }
                }
                variants = next;
            }
            None => {
                for v in &mut variants {
                    v.push_str(word);
                    if !last {
                        v.push(' ');
                    }
                }
                if last {
                    for v in &mut variants {
                        v.push(' ');
                    }
                }
            }
        }
    }
    variants.sort();
    variants.dedup();
    variants
}

fn stem_forms(stem: &str) -> Vec<String> {
    let mut forms: Vec<String> = SUFFIXES.iter().map(|s| format!("{stem}{s}")).collect();
    // Doubled final consonant: expel -> expelled, expelling.
    if let Some(last) = stem.chars().last()
        && last.is_ascii_alphabetic()
        && !"aeiouwxy".contains(last)
    {
        for suffix in ["ed", "ing", "er"] {
            forms.push(format!("{stem}{last}{suffix}"));
        }
    }
    forms
}

fn is_skipped_word(word: &str) -> bool {
    let mut tokens = Vec::new();
    token::tokenize(word, 0, word.len(), &mut tokens);
    tokens.len() == 1 && tokens[0].has(token::SKIPPED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cue_patterns_expand_inner_stems_only() {
        assert_eq!(cue_patterns("sanction*"), [" sanction"]);
        assert_eq!(cue_patterns("improve relations"), [" improve relations "]);
        assert_eq!(
            cue_patterns("improve the relations"),
            [" improve relations "]
        );
        let expel = cue_patterns("expel* diplomat*");
        assert!(expel.contains(&" expelled diplomat".to_string()));
        assert!(expel.contains(&" expels diplomat".to_string()));
    }
}

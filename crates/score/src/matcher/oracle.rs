//! The stream matcher the word matcher replaced, kept as a test oracle: one Aho-Corasick
//! automaton for actor aliases, non-actor places and lexicon cues.
//!
//! Every pattern is matched against the normalised token stream (see `token`), with a space on
//! each side (a trailing space is left off when the pattern ends in a stem wildcard), so raw hits
//! are already whole-word hits and no per-token hashing is needed.
//!
//! A cue with a stem before its last word (`expel* diplomat*`) stands for dozens of strings,
//! one per suffix of each inner stem. Putting them all in the automaton made it 15 000 patterns
//! and a 64 MB DFA that took 110 ms to build; instead the automaton holds the cue's text up to
//! its first inner stem (`" expel"`) and each hit is checked against the rest of the cue
//! ([`Tail`]). The hits are the same as with every expansion in the automaton; a test checks it.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::{Case, Hit, PLACE, cue_words, stem_forms};
use crate::config::{Actors, Lexicon};
use crate::token::{self, Stream, Token};

#[derive(Debug, Clone)]
pub(crate) enum Entry {
    Alias {
        actor: u32,
        case: Box<[Case]>,
    },
    Place,
    Cue {
        cue: u32,
    },
    /// A cue with an inner stem: the automaton matched its text up to the first inner stem's
    /// stem, and the match stands only if the stream goes on as `tail` says.
    CueTail {
        cue: u32,
        stem_len: usize,
        tail: Box<[Tail]>,
    },
}

/// One word of a cue after the automaton's part, checked against the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tail {
    /// A whole word that is one of these forms (an inner stem with each suffix), then a space.
    Forms(Box<[Box<str>]>),
    /// Exactly this word, then a space.
    Word(Box<str>),
    /// A final stem: the stream goes on with these characters.
    Stem(Box<str>),
}

/// The compiled stream matcher.
#[derive(Debug)]
pub(crate) struct StreamMatcher {
    automaton: Option<AhoCorasick>,
    entries: Vec<Entry>,
}

/// Buffers `StreamMatcher::scan` reuses from one call to the next.
#[derive(Debug, Default)]
pub(crate) struct StreamBuffers {
    /// Alias and place hits with their tie-break rank, before overlaps are resolved.
    actor_hits: Vec<(Hit, u8)>,
    /// Cue hits kept while resolving overlaps.
    kept: Vec<Hit>,
}

impl StreamMatcher {
    pub(crate) fn new(actors: &Actors, lexicon: &Lexicon) -> StreamMatcher {
        let (mut patterns, mut entries) = actor_patterns(actors);
        for (cue_index, cue) in lexicon.cues().iter().enumerate() {
            let (pattern, entry) = cue_pattern(cue_index as u32, &cue_words(&cue.pattern));
            entries.push(entry);
            patterns.push(pattern);
        }
        StreamMatcher::build(patterns, entries)
    }

    /// Compiles the automaton over `patterns`, one entry each.
    pub(crate) fn build(patterns: Vec<String>, entries: Vec<Entry>) -> StreamMatcher {
        // A contiguous NFA rather than a DFA: the DFA takes fewer instructions per byte, but
        // at about 20 MB (against about 2 MB) most of its transitions miss the cache, and on a
        // busy two-core machine the NFA scored the 21 MB bench corpus in a fifth less CPU
        // time; it is also built in a sixth of the time (see BENCHMARKS.md).
        let automaton = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&patterns)
                .expect("patterns are short and the automaton fits")
        });
        StreamMatcher { automaton, entries }
    }

    /// Finds actor mentions (places removed) and cue hits in `stream`, sorted and non-overlapping.
    pub(crate) fn scan(
        &self,
        text: &str,
        tokens: &[Token],
        stream: &Stream,
        mentions: &mut Vec<Hit>,
        cues: &mut Vec<Hit>,
        buffers: &mut StreamBuffers,
    ) {
        mentions.clear();
        cues.clear();
        let Some(automaton) = &self.automaton else {
            return;
        };
        let bytes = stream.text.as_bytes();
        let StreamBuffers { actor_hits, kept } = buffers;
        actor_hits.clear();
        kept.clear();
        for found in automaton.find_overlapping_iter(&stream.text) {
            let entry = &self.entries[found.pattern().as_usize()];
            let end = match entry {
                Entry::CueTail { stem_len, tail, .. } => {
                    match tail_end(bytes, found.end(), *stem_len, tail) {
                        Some(end) => end,
                        None => continue,
                    }
                }
                _ => found.end(),
            };
            let start_ordinal = stream.ordinal_at(found.start() + 1);
            let stem = bytes[end - 1] != b' ';
            let end_ordinal = stream.ordinal_at(end - if stem { 1 } else { 2 });
            let first = stream.tokens[start_ordinal] as usize;
            let last = stream.tokens[end_ordinal] as usize;
            match entry {
                Entry::Alias { actor, case } => {
                    let fits = case.iter().enumerate().all(|(i, rule)| {
                        let Some(&index) = stream.tokens.get(start_ordinal + i) else {
                            return false;
                        };
                        rule.fits(text, tokens[index as usize])
                    });
                    if fits {
                        actor_hits.push((
                            Hit {
                                first,
                                last,
                                id: *actor,
                            },
                            super::ALIAS_RANK,
                        ));
                    }
                }
                Entry::Place => actor_hits.push((
                    Hit {
                        first,
                        last,
                        id: PLACE,
                    },
                    super::PLACE_RANK,
                )),
                Entry::Cue { cue } | Entry::CueTail { cue, .. } => cues.push(Hit {
                    first,
                    last,
                    id: *cue,
                }),
            }
        }
        super::resolve(actor_hits, cues, kept, mentions);
    }
}

/// The patterns and entries of every alias and place.
pub(crate) fn actor_patterns(actors: &Actors) -> (Vec<String>, Vec<Entry>) {
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
    (patterns, entries)
}

/// The stream end of a cue whose automaton part ended at `at`, if the stream goes on as `tail`
/// says. The automaton part ends inside the first inner stem's word, `stem_len` bytes after the
/// word starts.
fn tail_end(bytes: &[u8], at: usize, stem_len: usize, tail: &[Tail]) -> Option<usize> {
    let mut pos = at - stem_len;
    for word in tail {
        match word {
            Tail::Forms(forms) => {
                let len = bytes[pos..].iter().position(|&b| b == b' ')?;
                let found = &bytes[pos..pos + len];
                if !forms.iter().any(|form| form.as_bytes() == found) {
                    return None;
                }
                pos += len + 1;
            }
            Tail::Word(text) => {
                let text = text.as_bytes();
                let end = pos + text.len();
                if bytes.get(pos..end) != Some(text) || bytes.get(end) != Some(&b' ') {
                    return None;
                }
                pos = end + 1;
            }
            Tail::Stem(text) => {
                let end = pos + text.len();
                if bytes.get(pos..end) != Some(text.as_bytes()) {
                    return None;
                }
                pos = end;
            }
        }
    }
    Some(pos)
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
            Case::of(token, &alias[token.start as usize..token.end as usize])
        })
        .collect();
    Some((stream.text.clone(), case))
}

/// The automaton pattern of cue number `cue` and its entry. When a word before the last is a
/// stem, the pattern ends with that stem (`" expel"` for `expel* diplomat*`) and the entry
/// holds the rest of the cue.
pub(crate) fn cue_pattern(cue: u32, words: &[&str]) -> (String, Entry) {
    let mut pattern = String::from(" ");
    for (i, word) in words.iter().enumerate() {
        let last = i + 1 == words.len();
        match word.strip_suffix('*') {
            Some(stem) if last => pattern.push_str(stem),
            Some(stem) => {
                pattern.push_str(stem);
                let mut tail = vec![Tail::Forms(
                    stem_forms(stem)
                        .into_iter()
                        .map(String::into_boxed_str)
                        .collect(),
                )];
                for (j, word) in words.iter().enumerate().skip(i + 1) {
                    let last = j + 1 == words.len();
                    tail.push(match word.strip_suffix('*') {
                        Some(stem) if last => Tail::Stem(stem.into()),
                        Some(stem) => Tail::Forms(
                            stem_forms(stem)
                                .into_iter()
                                .map(String::into_boxed_str)
                                .collect(),
                        ),
                        None => Tail::Word((*word).into()),
                    });
                }
                let entry = Entry::CueTail {
                    cue,
                    stem_len: stem.len(),
                    tail: tail.into_boxed_slice(),
                };
                return (pattern, entry);
            }
            None => {
                pattern.push_str(word);
                pattern.push(' ');
            }
        }
    }
    (pattern, Entry::Cue { cue })
}

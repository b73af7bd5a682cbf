//! Sentence and paragraph segmentation: one linear byte scan, no allocation per token.
//!
//! A sentence ends at terminal punctuation (`.`, `!`, `?`, `…`, plus any closing quotes
//! and brackets right after it) followed by whitespace, unless the word before a full stop
//! is an abbreviation, an initial or a decimal; and at a line break, unless the next line
//! starts with a lowercase letter (hard-wrapped prose). Paragraphs are blank-line separated
//! blocks; a text without any blank line has one paragraph per sentence-ending line break.

use crate::Span;

#[cfg(test)]
mod tests;

/// Splits `text` into sentence spans.
///
/// The spans are in order, do not overlap, start and end on character boundaries, are
/// trimmed of whitespace, and together cover every non-whitespace character of `text`.
pub fn segment(text: &str) -> Vec<Span> {
    segment_all(text).0
}

/// Splits `text` into sentence spans and paragraph spans. Every paragraph is a union of
/// whole sentences.
pub(crate) fn segment_all(text: &str) -> (Vec<Span>, Vec<Span>) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let blank_separated = has_blank_line(bytes);
    let mut sentences = Vec::new();
    let mut paragraphs = Vec::new();
    let mut sentence_start = 0;
    let mut paragraph_start = 0;
    let mut line_start = 0;
    let mut stops = Stops::new(bytes);
    let mut i = 0;
    while i < n {
        match bytes[i] {
            b'\n' => {
                let line_blank = is_blank(&bytes[line_start..i]);
                let next_start = i + 1;
                let next_blank = line_is_blank_at(bytes, next_start);
                let ends = line_blank || next_blank || !continues(bytes, next_start);
                if ends {
                    push_trimmed(&mut sentences, text, sentence_start, i);
                    sentence_start = next_start;
                    let ends_paragraph = if blank_separated {
                        line_blank || next_blank
                    } else {
                        true
                    };
                    if ends_paragraph {
                        push_trimmed(&mut paragraphs, text, paragraph_start, i);
                        paragraph_start = next_start;
                    }
                }
                line_start = next_start;
                i = next_start;
            }
            b'.' | b'!' | b'?' => match sentence_end(text, i, line_start) {
                Some(end) => {
                    push_trimmed(&mut sentences, text, sentence_start, end);
                    sentence_start = end;
                    i = end;
                }
                None => i += 1,
            },
            0xE2 if bytes[i..].starts_with(ELLIPSIS) => match sentence_end(text, i, line_start) {
                Some(end) => {
                    push_trimmed(&mut sentences, text, sentence_start, end);
                    sentence_start = end;
                    i = end;
                }
                None => i += ELLIPSIS.len(),
            },
            _ => i = stops.next(i + 1),
        }
    }
    push_trimmed(&mut sentences, text, sentence_start, n);
    push_trimmed(&mut paragraphs, text, paragraph_start, n);
    (sentences, paragraphs)
}

const ELLIPSIS: &[u8] = "…".as_bytes();

/// Finds the bytes `segment_all` stops at: a line break, terminal punctuation, and the first
/// byte of `…`; every other byte only moves the scan on. Two vectorised searches (`memchr`)
/// find the next common stop (`\n`, `.`, 0xE2) and the next rare one (`!`, `?`), and each
/// result is kept until the scan passes it, so the text is searched once, not byte by byte
/// (the byte loop was 2 % of `stance score`'s instructions).
struct Stops<'a> {
    bytes: &'a [u8],
    /// The first common stop at or after the last search's start (`bytes.len()`: none).
    common: usize,
    /// The same for the rare stops.
    rare: usize,
}

impl<'a> Stops<'a> {
    fn new(bytes: &'a [u8]) -> Stops<'a> {
        let mut stops = Stops {
            bytes,
            common: 0,
            rare: 0,
        };
        stops.search_common(0);
        stops.search_rare(0);
        stops
    }

    fn search_common(&mut self, from: usize) {
        let rest = self.bytes.get(from..).unwrap_or_default();
        self.common = memchr::memchr3(b'\n', b'.', ELLIPSIS[0], rest)
            .map_or(self.bytes.len(), |at| from + at);
    }

    fn search_rare(&mut self, from: usize) {
        let rest = self.bytes.get(from..).unwrap_or_default();
        self.rare = memchr::memchr2(b'!', b'?', rest).map_or(self.bytes.len(), |at| from + at);
    }

    /// The first stop at or after `from` (`bytes.len()` when there is none). `from` must not
    /// go back: a kept result is the next stop only for searches from no earlier position.
    fn next(&mut self, from: usize) -> usize {
        if self.common < from {
            self.search_common(from);
        }
        if self.rare < from {
            self.search_rare(from);
        }
        self.common.min(self.rare)
    }
}

/// Closing quotes and brackets that belong to the sentence they follow.
const CLOSERS: [&[u8]; 9] = [
    b"\"",
    b"'",
    b")",
    b"]",
    b"*",
    "\u{201d}".as_bytes(), // ”
    "\u{2019}".as_bytes(), // ’
    "\u{bb}".as_bytes(),   // »
    "\u{203a}".as_bytes(), // ›
];

/// Pushes `text[start..end]` trimmed of whitespace, unless nothing is left.
fn push_trimmed(spans: &mut Vec<Span>, text: &str, start: usize, end: usize) {
    let piece = &text[start..end];
    let left = piece.trim_start();
    let trimmed = left.trim_end();
    if trimmed.is_empty() {
        return;
    }
    let s = start + (piece.len() - left.len());
    spans.push(Span {
        start: s,
        end: s + trimmed.len(),
    });
}

fn is_blank(line: &[u8]) -> bool {
    line.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c'))
}

/// True when the line starting at `start` holds only spaces and tabs (or the text ends).
fn line_is_blank_at(bytes: &[u8], start: usize) -> bool {
    let rest = &bytes[start..];
    let end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
    is_blank(&rest[..end])
}

fn has_blank_line(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\n', bytes).any(|nl| {
        let rest = &bytes[nl + 1..];
        match memchr::memchr(b'\n', rest) {
            Some(end) => is_blank(&rest[..end]),
            None => false,
        }
    })
}

/// True when the line starting at `start` continues the previous one: it begins (after
/// spaces) with a lowercase ASCII letter, as hard-wrapped prose does.
fn continues(bytes: &[u8], start: usize) -> bool {
    bytes[start..]
        .iter()
        .find(|b| !matches!(b, b' ' | b'\t'))
        .is_some_and(u8::is_ascii_lowercase)
}

/// Decides whether terminal punctuation at `i` ends a sentence; returns the end offset.
fn sentence_end(text: &str, i: usize, line_start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    // Runs of terminal punctuation ("?!", "...", "…").
    let mut j = i;
    let mut n_marks = 0;
    loop {
        if j < n && matches!(bytes[j], b'.' | b'!' | b'?') {
            j += 1;
        } else if bytes[j..].starts_with(ELLIPSIS) {
            j += ELLIPSIS.len();
            n_marks += 2;
        } else {
            break;
        }
        n_marks += 1;
    }
    let full_stop_only = bytes[i] == b'.' && n_marks == 1;
    let mut with_closers = j;
    'closers: while with_closers < n {
        for closer in CLOSERS {
            if bytes[with_closers..].starts_with(closer) {
                with_closers += closer.len();
                continue 'closers;
            }
        }
        break;
    }
    let end = with_closers;
    if end == n {
        return Some(end);
    }
    if !text[end..].chars().next().is_some_and(char::is_whitespace) {
        return None;
    }
    // The next visible character: a line break always ends the sentence.
    let mut k = end;
    while k < n && matches!(bytes[k], b' ' | b'\t' | b'\r') {
        k += 1;
    }
    if k == n || bytes[k] == b'\n' {
        return Some(end);
    }
    let next = bytes[k];
    if full_stop_only {
        match abbreviation(
            &bytes[line_start..i],
            line_start == word_start(bytes, line_start, i),
        ) {
            Abbrev::Hard => return None,
            Abbrev::Soft => {
                return if next.is_ascii_uppercase() && is_opener(&bytes[k..]) {
                    Some(end)
                } else {
                    None
                };
            }
            Abbrev::None => {}
        }
    }
    if next.is_ascii_lowercase() {
        None
    } else {
        Some(end)
    }
}

/// Where the word that ends at `i` starts (after the last space before `i` on its line).
fn word_start(bytes: &[u8], line_start: usize, i: usize) -> usize {
    let mut s = i;
    while s > line_start && !matches!(bytes[s - 1], b' ' | b'\t' | b'\r' | b'\n') {
        s -= 1;
    }
    s
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Abbrev {
    /// Never ends a sentence (titles before names: "Mr.", "Gen.").
    Hard,
    /// Ends a sentence only before a typical sentence opener ("U.S.", "Jan.", "V.").
    Soft,
    /// An ordinary word.
    None,
}

/// Classifies the word that ends at the end of `line` (just before a full stop).
fn abbreviation(line: &[u8], first_on_line: bool) -> Abbrev {
    let start = word_start(line, 0, line.len());
    let mut word = &line[start..];
    while let Some((&first, rest)) = word.split_first() {
        if matches!(first, b'(' | b'[' | b'"' | b'\'') {
            word = rest;
        } else if word.starts_with("\u{201c}".as_bytes()) || word.starts_with("\u{2018}".as_bytes())
        {
            word = &word[3..];
        } else {
            break;
        }
    }
    if word.is_empty() {
        return Abbrev::None;
    }
    // A numbered list marker at the start of a line: "1. First point".
    if first_on_line && word.len() <= 3 && word.iter().all(u8::is_ascii_digit) {
        return Abbrev::Hard;
    }
    // A single letter: an initial ("Vladimir V. Putin").
    if word.len() == 1 && word[0].is_ascii_alphabetic() {
        return Abbrev::Soft;
    }
    // Dotted acronyms and abbreviations: "U.S", "U.N", "e.g", "i.e", "a.m".
    if word.contains(&b'.') && word.iter().all(|b| b.is_ascii_alphabetic() || *b == b'.') {
        return Abbrev::Soft;
    }
    match word {
        b"Mr" | b"Mrs" | b"Ms" | b"Dr" | b"Prof" | b"Gen" | b"Lt" | b"Col" | b"Maj" | b"Capt"
        | b"Sgt" | b"Cpl" | b"Adm" | b"Cmdr" | b"Rep" | b"Reps" | b"Sen" | b"Sens" | b"Gov"
        | b"Pres" | b"Rev" | b"Hon" | b"Amb" | b"St" | b"Mt" | b"Ft" | b"Messrs" | b"Mme"
        | b"Mlle" | b"Insp" | b"Supt" | b"Brig" | b"Gens" => Abbrev::Hard,
        b"Jan" | b"Feb" | b"Mar" | b"Apr" | b"Jun" | b"Jul" | b"Aug" | b"Sep" | b"Sept"
        | b"Oct" | b"Nov" | b"Dec" | b"etc" | b"vs" | b"approx" | b"No" | b"Nos" | b"no"
        | b"Vol" | b"vol" | b"pp" | b"Inc" | b"Ltd" | b"Corp" | b"Co" | b"Jr" | b"Sr" | b"al"
        | b"cf" | b"Fig" | b"fig" | b"Dept" | b"Univ" | b"Bros" | b"est" | b"ca" | b"Ave"
        | b"Blvd" | b"Rd" | b"Op" | b"Art" | b"Sec" | b"Min" | b"Govt" | b"Gov't" => Abbrev::Soft,
        _ => Abbrev::None,
    }
}

/// True when `rest` starts with a word that typically opens a sentence.
fn is_opener(rest: &[u8]) -> bool {
    let len = rest.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    matches!(
        &rest[..len],
        b"The"
            | b"A"
            | b"An"
            | b"This"
            | b"That"
            | b"These"
            | b"Those"
            | b"It"
            | b"Its"
            | b"He"
            | b"She"
            | b"They"
            | b"We"
            | b"I"
            | b"You"
            | b"But"
            | b"And"
            | b"Or"
            | b"So"
            | b"Yet"
            | b"In"
            | b"On"
            | b"At"
            | b"As"
            | b"If"
            | b"When"
            | b"While"
            | b"After"
            | b"Before"
            | b"However"
            | b"Meanwhile"
            | b"There"
            | b"Here"
            | b"His"
            | b"Her"
            | b"Their"
            | b"Our"
            | b"Such"
            | b"Some"
            | b"Many"
            | b"Most"
            | b"For"
            | b"With"
            | b"Since"
            | b"Although"
            | b"Though"
            | b"What"
            | b"Why"
            | b"How"
            | b"Who"
            | b"Still"
            | b"Also"
            | b"Moreover"
            | b"Thus"
            | b"Then"
            | b"Now"
            | b"Yes"
            | b"No"
    )
}

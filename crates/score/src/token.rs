//! A tokenizer that yields byte spans and a normalised stream for matching.
//!
//! Tokens are spans into the document text; nothing is allocated per token. The *stream* is the
//! lowercased text of the tokens that matter for matching, each surrounded by single spaces
//! (`" russia 's harsh response to north korea , "`), so a pattern `" north korea "` can only
//! match whole words. Determiners and possessive determiners are left out of the stream, so
//! "improve its relations" matches the cue `improve relations`.

/// What kind of token this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters and digits, with internal apostrophes, dots of abbreviations and decimal points.
    Word,
    /// The possessive `'s` or `’s`.
    Possessive,
    /// The contracted negation `n't`.
    Negation,
    /// Any other single character that is not whitespace.
    Punct,
}

/// The first letter is uppercase.
pub(crate) const CAPITAL: u8 = 1;
/// Every letter is uppercase and there are at least two.
pub(crate) const ALL_CAPS: u8 = 2;
/// Joined to the previous word by a hyphen or dash with no space ("Russia-Japan").
pub(crate) const HYPHENATED: u8 = 4;
/// Left out of the matching stream (a determiner).
pub(crate) const SKIPPED: u8 = 8;

/// One token: a byte span of the text and what it is.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token {
    pub(crate) start: u32,
    pub(crate) end: u32,
    pub(crate) kind: Kind,
    pub(crate) flags: u8,
}

impl Token {
    pub(crate) fn has(self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// Words left out of the matching stream.
const DETERMINERS: &[&str] = &[
    "a", "an", "the", "its", "their", "his", "her", "our", "my", "your", "this", "that", "these",
    "those",
];

fn is_determiner(word: &str) -> bool {
    word.len() <= 5 && DETERMINERS.iter().any(|d| d.eq_ignore_ascii_case(word))
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '‐' | '‑')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// Tokenizes `text[start..end]`, appending tokens to `tokens`.
pub(crate) fn tokenize(text: &str, start: usize, end: usize, tokens: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let mut pos = start;
    let mut joined = false;
    while pos < end {
        let c = char_at(text, pos);
        let width = c.len_utf8();
        if c.is_whitespace() {
            joined = false;
            pos += width;
            continue;
        }
        if c.is_alphanumeric() {
            let word_end = word_end(text, pos, end);
            // Split a trailing n't ("didn't" -> "did" + "n't").
            let (word_end, negation) = split_negation(text, pos, word_end);
            let flags = case_flags(&text[pos..word_end]) | if joined { HYPHENATED } else { 0 };
            let flags = if is_determiner(&text[pos..word_end]) {
                flags | SKIPPED
            } else {
                flags
            };
            tokens.push(Token {
                start: pos as u32,
                end: word_end as u32,
                kind: Kind::Word,
                flags,
            });
            pos = word_end;
            if let Some(neg_end) = negation {
                tokens.push(Token {
                    start: pos as u32,
                    end: neg_end as u32,
                    kind: Kind::Negation,
                    flags: 0,
                });
                pos = neg_end;
            }
            // A possessive 's or ’s directly after the word.
            if pos < end && is_apostrophe(char_at(text, pos)) {
                let after = pos + char_at(text, pos).len_utf8();
                if after < end
                    && (bytes[after] == b's' || bytes[after] == b'S')
                    && (after + 1 >= end || !char_at(text, after + 1).is_alphanumeric())
                {
                    tokens.push(Token {
                        start: pos as u32,
                        end: (after + 1) as u32,
                        kind: Kind::Possessive,
                        flags: 0,
                    });
                    pos = after + 1;
                }
            }
            // A dash directly between two words joins them.
            joined = false;
            if pos < end && is_dash(char_at(text, pos)) {
                let after = pos + char_at(text, pos).len_utf8();
                if after < end && char_at(text, after).is_alphanumeric() {
                    joined = true;
                    pos = after;
                }
            }
            continue;
        }
        joined = false;
        tokens.push(Token {
            start: pos as u32,
            end: (pos + width) as u32,
            kind: Kind::Punct,
            flags: 0,
        });
        pos += width;
    }
}

fn char_at(text: &str, pos: usize) -> char {
    match text.as_bytes().get(pos) {
        Some(&b) if b.is_ascii() => b as char,
        _ => text[pos..].chars().next().unwrap_or(' '),
    }
}

/// The end of the word starting at `pos`: letters, digits, inner apostrophes ("d'Ivoire"),
/// dots inside abbreviations ("U.S.") and decimal points ("3.5").
fn word_end(text: &str, start: usize, end: usize) -> usize {
    let bytes = text.as_bytes();
    // Abbreviations made of single letters and dots: U.S., U.N., U.S.A.
    if let Some(abbrev_end) = abbreviation_end(text, start, end) {
        return abbrev_end;
    }
    let mut pos = start;
    while pos < end {
        let c = char_at(text, pos);
        if c.is_alphanumeric() {
            pos += c.len_utf8();
            continue;
        }
        let next = pos + c.len_utf8();
        if next < end {
            let n = char_at(text, next);
            // Inner apostrophe followed by a letter, but not a possessive or n't.
            if is_apostrophe(c) && n.is_alphabetic() {
                let lower_n = n.to_ascii_lowercase();
                let after_n = next + n.len_utf8();
                let ends_after_n = after_n >= end || !char_at(text, after_n).is_alphanumeric();
                if lower_n == 's' && ends_after_n {
                    break;
                }
                if lower_n == 't' && ends_after_n && pos > start && (bytes[pos - 1] | 0x20) == b'n'
                {
                    break;
                }
                pos = next;
                continue;
            }
            // Decimal point or thousands separator between digits.
            if (c == '.' || c == ',')
                && pos > start
                && bytes[pos - 1].is_ascii_digit()
                && n.is_ascii_digit()
            {
                pos = next;
                continue;
            }
        }
        break;
    }
    pos
}

fn abbreviation_end(text: &str, start: usize, end: usize) -> Option<usize> {
    let mut pos = start;
    let mut letters = 0;
    loop {
        if pos >= end {
            break;
        }
        let c = char_at(text, pos);
        if !c.is_alphabetic() {
            break;
        }
        let after = pos + c.len_utf8();
        if after >= end || text.as_bytes()[after] != b'.' {
            break;
        }
        // The letter must stand alone: the character after the dot is not a letter-run start
        // of a longer word unless it is itself an abbreviation letter followed by a dot.
        letters += 1;
        pos = after + 1;
        if pos < end {
            let n = char_at(text, pos);
            let n_after = pos + n.len_utf8();
            let continues = n.is_alphabetic() && n_after < end && text.as_bytes()[n_after] == b'.';
            if !continues {
                break;
            }
        }
    }
    (letters >= 2).then_some(pos)
}

fn split_negation(text: &str, start: usize, end: usize) -> (usize, Option<usize>) {
    // The word stops before an apostrophe; look for n + ' + t.
    let bytes = text.as_bytes();
    if end > start + 1 && (bytes[end - 1] | 0x20) == b'n' && end < text.len() {
        let c = char_at(text, end);
        if is_apostrophe(c) {
            let t = end + c.len_utf8();
            if t < text.len()
                && (bytes[t] | 0x20) == b't'
                && (t + 1 >= text.len() || !char_at(text, t + 1).is_alphanumeric())
            {
                // "can't" keeps "ca"; "n't" is the negation.
                return (end - 1, Some(t + 1));
            }
        }
    }
    (end, None)
}

fn case_flags(word: &str) -> u8 {
    let mut chars = word.chars().filter(|c| c.is_alphabetic());
    let Some(first) = chars.next() else { return 0 };
    let mut flags = if first.is_uppercase() { CAPITAL } else { 0 };
    let mut letters = 1;
    let mut all_upper = first.is_uppercase();
    for c in chars {
        letters += 1;
        all_upper &= c.is_uppercase();
    }
    if all_upper && letters >= 2 {
        flags |= ALL_CAPS;
    }
    flags
}

/// Appends the normalised form of `word` (lowercase, ’ as ') to `out`.
pub(crate) fn push_normalised(out: &mut String, word: &str) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        if c == '’' {
            out.push('\'');
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// The normalised matching stream of a token run.
#[derive(Debug, Default)]
pub(crate) struct Stream {
    /// `" tok tok tok "`: each streamed token's normalised text between single spaces.
    pub(crate) text: String,
    /// Byte offset in `text` where each streamed token starts, in order.
    pub(crate) starts: Vec<u32>,
    /// The token index of each streamed token.
    pub(crate) tokens: Vec<u32>,
}

impl Stream {
    pub(crate) fn clear(&mut self) {
        self.text.clear();
        self.starts.clear();
        self.tokens.clear();
        self.text.push(' ');
    }

    /// Appends tokens `range` of `tokens` (skipping determiners).
    pub(crate) fn extend(&mut self, text: &str, tokens: &[Token], range: std::ops::Range<usize>) {
        for index in range {
            let token = tokens[index];
            if token.has(SKIPPED) {
                continue;
            }
            self.starts.push(self.text.len() as u32);
            self.tokens.push(index as u32);
            push_normalised(
                &mut self.text,
                &text[token.start as usize..token.end as usize],
            );
            self.text.push(' ');
        }
    }

    /// Ends a sentence: no pattern can match across it.
    pub(crate) fn break_here(&mut self) {
        self.text.push_str("\n ");
    }

    /// The streamed-token ordinal whose text contains stream byte `offset`.
    pub(crate) fn ordinal_at(&self, offset: usize) -> usize {
        match self.starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, Kind, u8)> {
        let mut tokens = Vec::new();
        tokenize(text, 0, text.len(), &mut tokens);
        tokens
            .iter()
            .map(|t| {
                (
                    text[t.start as usize..t.end as usize].to_string(),
                    t.kind,
                    t.flags,
                )
            })
            .collect()
    }

    fn texts(text: &str) -> Vec<String> {
        words(text).into_iter().map(|(w, _, _)| w).collect()
    }

    #[test]
    fn splits_possessives_negations_and_hyphens() {
        assert_eq!(
            texts("Russia’s U.S.-led sanctions didn't help Russia-Japan talks."),
            [
                "Russia",
                "’s",
                "U.S.",
                "led",
                "sanctions",
                "did",
                "n't",
                "help",
                "Russia",
                "Japan",
                "talks",
                "."
            ]
        );
        let tokens = words("U.S.-led and Russia–Japan");
        assert!(tokens[1].2 & HYPHENATED != 0, "led is joined to U.S.");
        assert!(
            tokens[4].2 & HYPHENATED != 0,
            "Japan is joined by an en dash"
        );
        assert!(tokens[0].2 & ALL_CAPS != 0);
    }

    #[test]
    fn keeps_inner_apostrophes_decimals_and_initials() {
        assert_eq!(
            texts("Côte d'Ivoire paid $1.5 billion"),
            ["Côte", "d'Ivoire", "paid", "$", "1.5", "billion"]
        );
        assert_eq!(texts("Vladimir V. Putin"), ["Vladimir", "V", ".", "Putin"]);
        assert_eq!(texts("the U.N. said"), ["the", "U.N.", "said"]);
        assert_eq!(texts("spaced - dash"), ["spaced", "-", "dash"]);
    }

    #[test]
    fn stream_skips_determiners_and_lowercases() {
        let text = "Russia wants to improve its Relations with the DPRK.";
        let mut tokens = Vec::new();
        tokenize(text, 0, text.len(), &mut tokens);
        let mut stream = Stream::default();
        stream.clear();
        stream.extend(text, &tokens, 0..tokens.len());
        assert_eq!(
            stream.text,
            " russia wants to improve relations with dprk . "
        );
        assert_eq!(stream.ordinal_at(stream.text.find("improve").unwrap()), 3);
    }
}

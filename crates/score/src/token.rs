//! A tokenizer that yields byte spans, and the normalised text the matcher compares tokens by.
//!
//! Tokens are spans into the document text; nothing is allocated per token. Matching compares
//! each token's normalised text (lowercase, `’` as `'`) with the words of the patterns.
//! Determiners and possessive determiners are flagged [`SKIPPED`] and left out of matching, so
//! "improve its relations" matches the cue `improve relations`. The *stream* (`Stream`, test
//! builds only) is the same tokens' text between single spaces,
//! `" russia 's harsh response to north korea , "`, which the matcher's test oracle scans.

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
/// Every byte of the token is ASCII: the tokenizer knows it for nearly every token without
/// looking again, and the matcher need not test each word's bytes (that test's exit, at a
/// word's first byte or its last, was one of the branches the processor most often guessed
/// wrong).
pub(crate) const ASCII: u8 = 16;

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

/// `word`'s bytes (at most 8) as one integer, first byte lowest: what `u64::from_le_bytes`
/// reads from them.
const fn packed(word: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < word.len() {
        key |= (word[i] as u64) << (8 * i);
        i += 1;
    }
    key
}

/// A multiplier under which the packed [`DETERMINERS`] fall in distinct slots of a 32-slot
/// table (found by trying random odd constants; building the table fails to compile if two
/// share a slot).
const DETERMINER_HASH: u64 = 0x10c5_a99a_1595_790b;

const fn determiner_slot(key: u64) -> usize {
    (key.wrapping_mul(DETERMINER_HASH) >> 59) as usize
}

/// [`DETERMINERS`], packed, each in its slot; the other slots hold `u64::MAX`, which no word
/// of five bytes or fewer packs to.
static DETERMINER_TABLE: [u64; 32] = {
    let mut table = [u64::MAX; 32];
    let mut i = 0;
    while i < DETERMINERS.len() {
        let key = packed(DETERMINERS[i].as_bytes());
        let slot = determiner_slot(key);
        assert!(table[slot] == u64::MAX, "two determiners share a slot");
        table[slot] = key;
        i += 1;
    }
    table
};

/// Whether the word `bytes[start..end]` is one of `DETERMINERS`, in any case.
///
/// `| 0x20` lowercases an ASCII letter and turns no other byte into one, so the packed word
/// equals a packed determiner exactly when the word is that determiner in any case. Where the
/// text has eight bytes from `start`, they are read at once and masked to the word, and no
/// branch depends on the word's length (short and long words alternate unpredictably).
fn is_determiner(bytes: &[u8], start: usize, end: usize) -> bool {
    let len = end - start;
    let key = match eight_at(bytes, start) {
        Some(chunk) => {
            // The longest determiner has five letters; other lengths get key 0, which no
            // determiner packs to.
            let short = u64::from(len.wrapping_sub(1) < 5);
            let mask = (1u64 << (8 * len.min(5))) - 1;
            (chunk | 0x2020_2020_2020_2020) & mask & short.wrapping_neg()
        }
        None => {
            if len == 0 || len > 5 {
                return false;
            }
            bytes[start..end]
                .iter()
                .enumerate()
                .fold(0, |key, (i, &b)| key | u64::from(b | 0x20) << (8 * i))
        }
    };
    DETERMINER_TABLE[determiner_slot(key)] == key
}

/// Whether `word`, taken whole, is one of [`DETERMINERS`] in any case: a word the tokenizer
/// makes a single token and skips.
pub(crate) fn is_determiner_word(word: &str) -> bool {
    DETERMINERS.iter().any(|d| d.eq_ignore_ascii_case(word))
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '‐' | '‑')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’')
}

/// [`BYTE_CLASS`] bit: an ASCII whitespace character (`char::is_whitespace`).
const SPACE_BYTE: u8 = 1;
/// [`BYTE_CLASS`] bit: an ASCII letter or digit.
const ALNUM_BYTE: u8 = 2;

/// The class bits of each byte value: one load per byte in the tokenizer's loops instead of a
/// chain of range checks (a third of the tokenizer's instructions went to `is_ascii_*`).
static BYTE_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut byte = 0;
    while byte < 128 {
        let b = byte as u8;
        if matches!(b, b' ' | b'\t'..=b'\r') {
            table[byte] |= SPACE_BYTE;
        }
        if b.is_ascii_alphanumeric() {
            table[byte] |= ALNUM_BYTE;
        }
        byte += 1;
    }
    table
};

/// `u8::is_ascii_alphanumeric`, by table.
#[inline(always)]
fn is_alnum_byte(b: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & ALNUM_BYTE != 0
}

/// The eight bytes of `bytes` from `at`, the first in the low bits, if there are eight.
fn eight_at(bytes: &[u8], at: usize) -> Option<u64> {
    match bytes.get(at..at + 8)? {
        &[b0, b1, b2, b3, b4, b5, b6, b7] => {
            Some(u64::from_le_bytes([b0, b1, b2, b3, b4, b5, b6, b7]))
        }
        _ => None,
    }
}

/// Eight ones, one in each byte.
const ONES: u64 = 0x0101_0101_0101_0101;
/// The high bit of each of eight bytes.
const HIGH: u64 = ONES * 0x80;

/// The high bit of each byte of `bytes` that is at least `low` (`1..=0x80`), valid for the
/// 7-bit bytes: adding `0x80 - low` to a 7-bit byte sets its high bit exactly when the byte is
/// at least `low`, and carries out of it never. A byte with its high bit set may carry into
/// the byte above it, so callers test only bytes at or below the first such byte's position,
/// or clear the high bits first.
fn at_least(bytes: u64, low: u8) -> u64 {
    bytes.wrapping_add(ONES * u64::from(0x80 - low)) & HIGH
}

/// The number of ASCII letters and digits that `chunk` (eight bytes, the first in the low bits)
/// starts with: 8 when it is all of them.
fn alnum_run(chunk: u64) -> usize {
    let ascii = !chunk & HIGH;
    let seven = chunk & !HIGH;
    // Setting bit 5 lowercases a letter and makes no other byte a lowercase letter.
    let folded = seven | (ONES * 0x20);
    let letter = at_least(folded, b'a') & !at_least(folded, b'z' + 1);
    let digit = at_least(seven, b'0') & !at_least(seven, b'9' + 1);
    ((!(letter | digit) | !ascii) & HIGH).trailing_zeros() as usize / 8
}

/// `c.is_alphanumeric()`, without the table search for the General Punctuation block
/// (U+2000-U+206F: curly quotes, dashes, the ellipsis), which holds no letter or digit and
/// most of the non-ASCII characters of English news; that search was 350 instructions a call.
#[inline]
fn is_alphanumeric(c: char) -> bool {
    !matches!(c, '\u{2000}'..='\u{206f}') && c.is_alphanumeric()
}

/// `c.is_alphabetic()`, with the shortcut of [`is_alphanumeric`].
#[inline]
fn is_alphabetic(c: char) -> bool {
    !matches!(c, '\u{2000}'..='\u{206f}') && c.is_alphabetic()
}

/// Tokenizes `text[start..end]`, appending tokens to `tokens`.
///
/// ASCII bytes, nearly all of an English article, are classified without decoding a `char`.
pub(crate) fn tokenize(text: &str, start: usize, end: usize, tokens: &mut Vec<Token>) {
    let bytes = text.as_bytes();
    let mut pos = start;
    let mut joined = false;
    while pos < end {
        let b = bytes[pos];
        let (space, alphanumeric, width) = if b.is_ascii() {
            let class = BYTE_CLASS[usize::from(b)];
            (class & SPACE_BYTE != 0, class & ALNUM_BYTE != 0, 1)
        } else {
            let c = char_at(text, pos);
            (c.is_whitespace(), is_alphanumeric(c), c.len_utf8())
        };
        if space {
            joined = false;
            pos += width;
            continue;
        }
        if alphanumeric {
            // Most words are fewer than sixteen ASCII letters and digits ended by a space or
            // by punctuation that ends nothing but the word: found in one or two chunks, with
            // none of the checks below for abbreviations, inner apostrophes, decimals, n't,
            // possessives and dashes ([`ends_plainly`]).
            if let Some(chunk) = eight_at(bytes, pos).filter(|_| b.is_ascii()) {
                let mut run = alnum_run(chunk);
                if run == 8 {
                    run += eight_at(bytes, pos + 8).map_or(8, alnum_run);
                }
                let word_end = pos + run;
                if run < 16 && word_end < end && ends_plainly(bytes, word_end, run, end) {
                    let case = if b.is_ascii_lowercase() {
                        0
                    } else if run < 8 {
                        ascii_case_flags(chunk, run)
                    } else {
                        case_flags(&text[pos..word_end])
                    };
                    tokens.push(word_token(bytes, pos, word_end, case | ASCII, joined));
                    // The space that usually follows is passed over here rather than by a turn
                    // of the loop (a space joins nothing and is no token).
                    pos = word_end + usize::from(bytes[word_end] == b' ');
                    joined = false;
                    continue;
                }
            }
            let word_end = word_end(text, pos, end);
            // Split a trailing n't ("didn't" -> "did" + "n't").
            let (word_end, negation) = split_negation(text, pos, word_end);
            let case = case_flags(&text[pos..word_end]) | ascii_flag(&bytes[pos..word_end]);
            tokens.push(word_token(bytes, pos, word_end, case, joined));
            pos = word_end;
            if let Some(neg_end) = negation {
                tokens.push(Token {
                    start: pos as u32,
                    end: neg_end as u32,
                    kind: Kind::Negation,
                    flags: ascii_flag(&bytes[pos..neg_end]),
                });
                pos = neg_end;
            }
            joined = false;
            if pos >= end {
                continue;
            }
            let next = bytes[pos];
            // Only an apostrophe or a dash can follow a word and matter; both are checked on
            // their first byte before decoding ('’' and the Unicode dashes start with 0xE2).
            if !(next == b'\'' || next == b'-' || next == 0xE2) {
                continue;
            }
            // A possessive 's or ’s directly after the word.
            if is_apostrophe(char_at(text, pos)) {
                let after = pos + char_at(text, pos).len_utf8();
                if after < end
                    && (bytes[after] == b's' || bytes[after] == b'S')
                    && (after + 1 >= end || !is_alphanumeric(char_at(text, after + 1)))
                {
                    tokens.push(Token {
                        start: pos as u32,
                        end: (after + 1) as u32,
                        kind: Kind::Possessive,
                        flags: ascii_flag(&bytes[pos..after + 1]),
                    });
                    pos = after + 1;
                }
            }
            // A dash directly between two words joins them.
            if pos < end && is_dash(char_at(text, pos)) {
                let after = pos + char_at(text, pos).len_utf8();
                if after < end && is_alphanumeric(char_at(text, after)) {
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
            flags: if width == 1 { ASCII } else { 0 },
        });
        pos += width;
    }
}

/// [`ASCII`] if every byte of `bytes` is ASCII, for the tokens off the fast path.
fn ascii_flag(bytes: &[u8]) -> u8 {
    if bytes.is_ascii() { ASCII } else { 0 }
}

/// Whether the run of `run` ASCII letters and digits ending at `word_end` (before `end`) is a
/// whole word that nothing after it changes: what [`word_end`], [`split_negation`] and the
/// possessive and dash checks would all leave alone. That holds for any ASCII byte but an
/// apostrophe or a dash (an inner apostrophe, n't, a possessive, a joining dash), a dot after a
/// single letter (an abbreviation such as "U.S."), and a dot or comma between two digits (a
/// decimal point or thousands separator). Non-ASCII bytes (curly apostrophes, Unicode dashes
/// and letters) are left to the full rules too.
#[inline(always)]
fn ends_plainly(bytes: &[u8], word_end: usize, run: usize, end: usize) -> bool {
    let between_digits = || {
        bytes[word_end - 1].is_ascii_digit()
            && word_end + 1 < end
            && bytes[word_end + 1].is_ascii_digit()
    };
    match bytes[word_end] {
        b'\'' | b'-' => false,
        b'.' => run >= 2 && !between_digits(),
        b',' => !between_digits(),
        after => after.is_ascii(),
    }
}

/// The word token `bytes[start..end]` with its `case` flags (and [`ASCII`]), joined to the word before by a
/// dash when `joined`, and skipped when it is a determiner.
#[inline(always)]
fn word_token(bytes: &[u8], start: usize, end: usize, case: u8, joined: bool) -> Token {
    let mut flags = case | if joined { HYPHENATED } else { 0 };
    if is_determiner(bytes, start, end) {
        flags |= SKIPPED;
    }
    Token {
        start: start as u32,
        end: end as u32,
        kind: Kind::Word,
        flags,
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
        let byte = bytes[pos];
        if is_alnum_byte(byte) {
            // Most words end within eight bytes, so this loop turns twice, which the processor
            // predicts, rather than once a letter. The run may reach past `end`; stop there.
            let run = eight_at(bytes, pos).map_or(1, alnum_run);
            pos = (pos + run).min(end);
            continue;
        }
        // Most words end at a space or punctuation: any ASCII byte but an apostrophe, a dot
        // or a comma ends them without decoding what follows.
        if byte.is_ascii() && !matches!(byte, b'\'' | b'.' | b',') {
            break;
        }
        let c = char_at(text, pos);
        if is_alphanumeric(c) {
            pos += c.len_utf8();
            continue;
        }
        let next = pos + c.len_utf8();
        if next < end {
            let n = char_at(text, next);
            // Inner apostrophe followed by a letter, but not a possessive or n't.
            if is_apostrophe(c) && is_alphabetic(n) {
                let lower_n = n.to_ascii_lowercase();
                let after_n = next + n.len_utf8();
                let ends_after_n = after_n >= end || !is_alphanumeric(char_at(text, after_n));
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
    let bytes = text.as_bytes();
    // Most words have a second letter, not a dot, after their first: no abbreviation.
    if bytes[start].is_ascii() && start + 1 < end && bytes[start + 1] != b'.' {
        return None;
    }
    let mut pos = start;
    let mut letters = 0;
    loop {
        if pos >= end {
            break;
        }
        let c = char_at(text, pos);
        if !is_alphabetic(c) {
            break;
        }
        let after = pos + c.len_utf8();
        if after >= end || bytes[after] != b'.' {
            break;
        }
        // The letter must stand alone: the character after the dot is not a letter-run start
        // of a longer word unless it is itself an abbreviation letter followed by a dot.
        letters += 1;
        pos = after + 1;
        if pos < end {
            let n = char_at(text, pos);
            let n_after = pos + n.len_utf8();
            let continues = is_alphabetic(n) && n_after < end && bytes[n_after] == b'.';
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
                && (t + 1 >= text.len() || !is_alphanumeric(char_at(text, t + 1)))
            {
                // "can't" keeps "ca"; "n't" is the negation.
                return (end - 1, Some(t + 1));
            }
        }
    }
    (end, None)
}

/// The high bit of each byte of `chunk` that is an uppercase ASCII letter, valid for the 7-bit
/// bytes (see [`at_least`]).
#[inline]
pub(crate) fn ascii_uppercase_bytes(chunk: u64) -> u64 {
    at_least(chunk, b'A') & !at_least(chunk, b'Z' + 1)
}

/// [`case_flags`] of the word made of the first `len` bytes of `chunk` (`1..=8` of them, all
/// ASCII letters and digits), from bit masks of the chunk instead of a loop over its letters.
fn ascii_case_flags(chunk: u64, len: usize) -> u8 {
    // The word's bytes are 7-bit; bytes after it may carry, but only upward, away from it.
    let within = HIGH >> (8 * (8 - len));
    let upper = ascii_uppercase_bytes(chunk) & within;
    let lower = at_least(chunk, b'a') & !at_least(chunk, b'z' + 1) & within;
    let letters = upper | lower;
    if letters == 0 {
        return 0;
    }
    // The first letter is the lowest letter byte.
    let first = letters & letters.wrapping_neg();
    let mut flags = if upper & first != 0 { CAPITAL } else { 0 };
    if upper == letters && letters.count_ones() >= 2 {
        flags |= ALL_CAPS;
    }
    flags
}

fn case_flags(word: &str) -> u8 {
    // Most words start with a lowercase letter: their first letter is not a capital, so
    // neither flag applies, whatever follows.
    if word.as_bytes().first().is_some_and(u8::is_ascii_lowercase) {
        return 0;
    }
    if word.is_ascii() {
        let mut letters = word.bytes().filter(u8::is_ascii_alphabetic);
        let Some(first) = letters.next() else {
            return 0;
        };
        let mut flags = if first.is_ascii_uppercase() {
            CAPITAL
        } else {
            0
        };
        let mut count = 1;
        let mut all_upper = first.is_ascii_uppercase();
        for b in letters {
            count += 1;
            all_upper &= b.is_ascii_uppercase();
        }
        if all_upper && count >= 2 {
            flags |= ALL_CAPS;
        }
        return flags;
    }
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

/// The normalised matching stream of a token run, which the test oracle of `matcher` scans.
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct Stream {
    /// `" tok tok tok "`: each streamed token's normalised text between single spaces.
    pub(crate) text: String,
    /// Byte offset in `text` where each streamed token starts, in order.
    pub(crate) starts: Vec<u32>,
    /// The token index of each streamed token.
    pub(crate) tokens: Vec<u32>,
}

#[cfg(test)]
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
mod tests;

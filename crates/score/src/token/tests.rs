//! Tokenizer tests, and the straightforward tokenizer the fast one must agree with.

use proptest::prelude::*;

use super::*;

/// The tokenizer as first written, decoding every character: the oracle for `tokenize`.
mod reference {
    use super::super::{ALL_CAPS, ASCII, CAPITAL, DETERMINERS, HYPHENATED, Kind, SKIPPED, Token};

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
    pub(super) fn tokenize(text: &str, start: usize, end: usize, tokens: &mut Vec<Token>) {
        let first = tokens.len();
        tokenize_spans(text, start, end, tokens);
        for token in &mut tokens[first..] {
            if text[token.start as usize..token.end as usize].is_ascii() {
                token.flags |= ASCII;
            }
        }
    }

    /// The tokens, with every flag but [`ASCII`].
    fn tokenize_spans(text: &str, start: usize, end: usize, tokens: &mut Vec<Token>) {
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
                    if lower_n == 't'
                        && ends_after_n
                        && pos > start
                        && (bytes[pos - 1] | 0x20) == b'n'
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
                let continues =
                    n.is_alphabetic() && n_after < end && text.as_bytes()[n_after] == b'.';
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
}

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

fn same_tokens(text: &str) -> Result<(), TestCaseError> {
    same_tokens_in(text, 0, text.len())
}

/// [`same_tokens`] on `text[start..end]`, as a sentence is tokenized: the text goes on past
/// `end`, and no token may.
fn same_tokens_in(text: &str, start: usize, end: usize) -> Result<(), TestCaseError> {
    let (mut fast, mut slow) = (Vec::new(), Vec::new());
    tokenize(text, start, end, &mut fast);
    reference::tokenize(text, start, end, &mut slow);
    let key = |t: &Token| (t.start, t.end, t.kind, t.flags);
    prop_assert_eq!(
        fast.iter().map(key).collect::<Vec<_>>(),
        slow.iter().map(key).collect::<Vec<_>>(),
        "tokenize and the reference tokenizer disagree on {:?}[{}..{}]\nhelp: an ASCII fast path in token.rs no longer means what the char path means",
        text,
        start,
        end
    );
    Ok(())
}

#[test]
fn fast_tokenizer_agrees_with_reference_on_examples() {
    let texts = [
        "Russia’s U.S.-led sanctions didn't help Russia-Japan talks.",
        "Côte d'Ivoire paid $1.5 billion; THE Their its U.N. A.B.C. a.b",
        "can't won’t isn't Rock'n'roll O'Neil's 1,000,000 3.5. x-",
        "tab\tvertical\x0bform\x0cfeed\rnbsp\u{a0}em\u{2003}dash—en–hyphen‐nb‑",
        "ÉTATS-UNIS Ünited Çin’s İstanbul ΑΘΗΝΑ Москва's",
        "",
        "'s ’s - n't",
    ];
    for text in texts {
        // The whole text, and every sentence of it that starts at 0 or ends at its end.
        let boundaries = (0..=text.len()).filter(|&i| text.is_char_boundary(i));
        for cut in boundaries {
            for (start, end) in [(0, text.len()), (0, cut), (cut, text.len())] {
                if let Err(error) = same_tokens_in(text, start, end) {
                    panic!("{error}");
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(64) })]

    #[test]
    fn prop_fast_tokenizer_agrees_with_reference(text in any::<String>()) {
        same_tokens(&text)?;
    }

    #[test]
    fn prop_fast_tokenizer_agrees_with_reference_on_word_pieces(
        text in prop::collection::vec(
            prop::sample::select(&[
                "Russia", "US", "the", "A", "’s", "'s", "n't", "n’t", "-", "–", "‑", ".", ",",
                "U.", "S.", "3", "5", " ", "\n", "\u{a0}", "don", "THEIR", "é", "d'", "x",
                // Words of 8 to 16 letters and digits, around the chunk sizes of the fast path.
                "sanctions", "Peacekeeping", "internationally", "COUNTERTERRORISM", "20241231",
            ][..]),
            0..30,
        )
    ) {
        same_tokens(&text.concat())?;
    }

    #[test]
    fn prop_fast_tokenizer_agrees_with_reference_inside_a_longer_text(
        text in prop::collection::vec(
            prop::sample::select(&[
                "Russia", "sanctions", "the", "A", "’s", "'s", "n't", "-", ".", ",", "3", " ",
                "é", "d'", "x", "talks.", "U.S.", "abcdefghij",
            ][..]),
            0..20,
        ),
        cut in (0usize..200, 0usize..200),
    ) {
        let text = text.concat();
        let boundary = |at: usize| (0..=at.min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let (start, end) = (boundary(cut.0.min(cut.1)), boundary(cut.0.max(cut.1)));
        same_tokens_in(&text, start, end)?;
    }

    #[test]
    fn prop_alnum_run_is_the_bytewise_run(
        bytes in prop::collection::vec(prop_oneof![3 => b'0'..=b'z', 1 => any::<u8>()], 8),
    ) {
        let chunk: [u8; 8] = bytes.try_into().expect("eight bytes");
        prop_assert_eq!(alnum_run(u64::from_le_bytes(chunk)), alnum_run_by_bytes(chunk));
    }
}

/// The run of ASCII letters and digits at the start of `bytes`, a byte at a time.
fn alnum_run_by_bytes(bytes: [u8; 8]) -> usize {
    bytes
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count()
}

#[test]
fn alnum_run_stops_at_every_other_byte_in_every_position() {
    for position in 0..8 {
        for byte in 0..=255u8 {
            let mut chunk = *b"aZ09qQzA";
            chunk[position] = byte;
            let expected = alnum_run_by_bytes(chunk);
            assert_eq!(
                alnum_run(u64::from_le_bytes(chunk)),
                expected,
                "byte {byte:#04x} at {position}"
            );
            assert_eq!(expected == 8, byte.is_ascii_alphanumeric());
        }
    }
}

#[test]
fn byte_classes_are_the_std_predicates() {
    for byte in 0..=255u8 {
        let class = BYTE_CLASS[usize::from(byte)];
        let (space, alnum) = if byte.is_ascii() {
            (
                char::from(byte).is_whitespace(),
                byte.is_ascii_alphanumeric(),
            )
        } else {
            (false, false)
        };
        assert_eq!(class & SPACE_BYTE != 0, space, "space bit of {byte:#04x}");
        assert_eq!(class & ALNUM_BYTE != 0, alnum, "alnum bit of {byte:#04x}");
        assert_eq!(is_alnum_byte(byte), alnum, "is_alnum_byte({byte:#04x})");
    }
}

/// `is_determiner` on `word` alone (the bytewise path, fewer than eight bytes to read) and
/// followed by other text (the eight-byte path); both must agree.
fn determiner(word: &str) -> bool {
    let alone = is_determiner(word.as_bytes(), 0, word.len());
    for tail in [" the rest", "xxxxxxxxx", "\u{e9}\u{e9}\u{e9}\u{e9}"] {
        let text = format!("{word}{tail}");
        assert_eq!(
            is_determiner(text.as_bytes(), 0, word.len()),
            alone,
            "{word:?} before {tail:?}"
        );
        let text = format!("{tail}{word}{tail}");
        let start = tail.len();
        assert_eq!(
            is_determiner(text.as_bytes(), start, start + word.len()),
            alone,
            "{word:?} between {tail:?}"
        );
    }
    alone
}

/// The packed comparison against every case of every determiner, and against each
/// determiner with one letter replaced by any ASCII character or a non-ASCII one: `| 0x20`
/// must lowercase letters without turning `@`, `[` or a control character into one.
#[test]
fn packed_determiners_are_the_word_list() {
    let reference =
        |word: &str| word.len() <= 5 && DETERMINERS.iter().any(|d| d.eq_ignore_ascii_case(word));
    for determiner_word in DETERMINERS {
        let letters: Vec<char> = determiner_word.chars().collect();
        for mask in 0..1u32 << letters.len() {
            let word: String = letters
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if mask >> i & 1 == 1 {
                        c.to_ascii_uppercase()
                    } else {
                        *c
                    }
                })
                .collect();
            assert!(determiner(&word), "{word:?}");
        }
        for at in 0..letters.len() {
            for replacement in (0u8..0x80).map(char::from).chain(['é', 'Ω']) {
                let mut word = letters.clone();
                word[at] = replacement;
                let word: String = word.into_iter().collect();
                assert_eq!(determiner(&word), reference(&word), "{word:?}");
            }
        }
        // The determiner with a letter more or less, and cut anywhere.
        for cut in 0..letters.len() {
            let word: String = letters[..cut].iter().collect();
            assert_eq!(determiner(&word), reference(&word), "{word:?}");
        }
        for extra in ['s', 'e', 'x'] {
            let word = format!("{determiner_word}{extra}");
            assert_eq!(determiner(&word), reference(&word), "{word:?}");
        }
    }
    for word in [
        "", "thee", "thos", "theirs", "a1", "ann", "thesee", "THOSE", "tHeSe",
    ] {
        assert_eq!(determiner(word), reference(word), "{word:?}");
    }
}

#[test]
fn ascii_case_flags_are_case_flags_for_every_short_word_shape() {
    // Every word of one to eight bytes over the letters at the ends of both letter ranges and
    // a digit, followed by bytes that carry when added to (as non-ASCII bytes do).
    let alphabet = b"aZ0zA";
    for len in 1..=8usize {
        for mut index in 0..alphabet.len().pow(len as u32) {
            let mut word = Vec::with_capacity(8);
            for _ in 0..len {
                word.push(alphabet[index % alphabet.len()]);
                index /= alphabet.len();
            }
            let text = std::str::from_utf8(&word).expect("ASCII");
            let mut chunk = [0xFF; 8];
            chunk[..len].copy_from_slice(&word);
            assert_eq!(
                super::ascii_case_flags(u64::from_le_bytes(chunk), len),
                super::case_flags(text),
                "{text:?}"
            );
        }
    }
}

/// What [`is_determiner_word`] stands for: tokenizing the word gives one token, skipped.
fn tokenized_skipped(word: &str) -> bool {
    let mut tokens = Vec::new();
    tokenize(word, 0, word.len(), &mut tokens);
    tokens.len() == 1 && tokens[0].has(SKIPPED)
}

#[test]
fn determiner_words_are_the_words_tokenized_to_one_skipped_token() {
    for word in DETERMINERS.iter().flat_map(|d| {
        [
            d.to_string(),
            d.to_uppercase(),
            format!("{d}."),
            format!("{d}'s"),
            format!("{d}s"),
            format!("-{d}"),
            d[1..].to_string(),
        ]
    }) {
        assert_eq!(
            is_determiner_word(&word),
            tokenized_skipped(&word),
            "{word:?}"
        );
    }
    for word in [
        "",
        "a.",
        "A.",
        "an't",
        "the-",
        "th\u{e9}",
        "its\u{2019}",
        "’s",
    ] {
        assert_eq!(
            is_determiner_word(word),
            tokenized_skipped(word),
            "{word:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(256) })]

    #[test]
    fn prop_determiner_words_are_tokenized_to_one_skipped_token(
        word in prop::collection::vec(
            prop::sample::select(&["t", "h", "e", "T", "a", "n", "i", "s", "'", ".", "-", "é", "x"][..]),
            0..6,
        )
    ) {
        let word = word.concat();
        prop_assert_eq!(is_determiner_word(&word), tokenized_skipped(&word), "{:?}", word);
    }
}

#[test]
fn the_punctuation_shortcut_agrees_with_std_on_every_char() {
    for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
        assert_eq!(super::is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        assert_eq!(super::is_alphabetic(c), c.is_alphabetic(), "{c:?}");
    }
}

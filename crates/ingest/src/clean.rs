//! Plain-text cleaning: boilerplate and bio removal, title, byline, outlet and date.
//!
//! Every rule looks at whole lines and is a pattern class, not a list of known lines:
//! short lines made of site-furniture vocabulary, copyright lines, disclaimers,
//! republication notes, `Label: value` metadata, reading-time and date-only lines,
//! `published by` blocks, lowercase tag/author lists and bylines in the header, a trailing
//! fence (after the last long paragraph, a furniture line and everything after it), and
//! trailing author bios. Lines longer than 40 words are never removed except as bios, so a
//! body paragraph cannot be lost to a vocabulary match.

use std::borrow::Cow;
use std::sync::OnceLock;

use memchr::memmem::Finder;

use crate::date;
use crate::{RemovedKind, RemovedLine};

#[cfg(test)]
mod tests;

/// The result of cleaning one text.
#[derive(Debug, Default)]
pub(crate) struct Cleaned {
    /// Kept lines; a blank line in the input between two kept lines becomes one blank line.
    pub(crate) text: String,
    pub(crate) removed: Vec<RemovedLine>,
    pub(crate) title: Option<String>,
    /// The ISO date and the rule that found it.
    pub(crate) date: Option<(String, &'static str)>,
    pub(crate) outlet: Option<String>,
    pub(crate) author: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Blank,
    Body,
    Boilerplate,
    Bio,
}

/// What a per-line rule recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Rule {
    Furniture,
    Copyright,
    Disclaimer,
    Republication,
    ReadingTime,
    DateOnly,
    /// "published by", "written by", "by": the next short line is a name.
    BylineLabel {
        publisher: bool,
    },
    /// `Label: value` metadata such as "Source: Global Times" or "Region : Europe".
    Label {
        source: bool,
        author: bool,
        value: String,
    },
}

struct Line<'a> {
    raw: &'a str,
    norm: Cow<'a, str>,
    words: usize,
    class: Class,
    rule: Option<Rule>,
}

/// Lines up to this many words may be furniture; longer ones never are.
const SHORT_WORDS: usize = 12;
/// Lines over this many words are never removed except as bios.
const MEDIUM_WORDS: usize = 40;
/// Words are counted up to this many: every rule compares a line's count with
/// `MEDIUM_WORDS` or less, so a longer count would decide nothing differently.
const COUNTED_WORDS: usize = MEDIUM_WORDS + 1;
/// A "long" paragraph for the trailing fence.
const LONG_WORDS: usize = 25;

/// Cleans `input` line by line.
#[cfg(test)]
pub(crate) fn clean(input: &str) -> Cleaned {
    clean_with_site(input.to_string(), None)
}

/// Cleans `raw_text` line by line; a short line equal to `site` (the outlet's name, when the
/// input gave one) is furniture too. The cleaned text is written over `raw_text`'s own bytes
/// ([`assemble`]), so a document is not held twice while it is cleaned.
pub(crate) fn clean_with_site(raw_text: String, site: Option<&str>) -> Cleaned {
    let input = raw_text.as_str();
    let finders = finders();
    let mut lower = String::new();
    // Sized to fit: grown by doubling, the lines of a 29 MB document took 23 MB where
    // they needed 13 MB, at what was then its peak.
    let mut lines: Vec<Line<'_>> =
        Vec::with_capacity(memchr::memchr_iter(b'\n', input.as_bytes()).count() + 1);
    lines.extend(input.split('\n').map(|raw| {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let norm = normalize(raw);
        let words = count_words(&norm, COUNTED_WORDS);
        let is_site = site.is_some_and(|site| words <= 6 && norm.eq_ignore_ascii_case(site.trim()));
        let rule = match words {
            0 => None,
            _ if is_site => Some(Rule::Furniture),
            _ => line_rule(&norm, words, finders, &mut lower),
        };
        let class = match (words, &rule) {
            (0, _) => Class::Blank,
            (_, Some(_)) => Class::Boilerplate,
            (_, None) => Class::Body,
        };
        Line {
            raw,
            norm,
            words,
            class,
            rule,
        }
    }));

    let mut out = Cleaned::default();
    name_after_byline_labels(&mut lines, &mut out);
    for line in &lines {
        if let Some(Rule::Label {
            source,
            author,
            value,
        }) = &line.rule
        {
            if value.is_empty() {
                continue;
            }
            if *source && out.outlet.is_none() {
                out.outlet = Some(value.clone());
            }
            if *author && out.author.is_none() {
                out.author = Some(value.clone());
            }
        }
    }
    let first_prose = lines
        .iter()
        .position(|l| l.class == Class::Body && is_prose(l))
        .unwrap_or(lines.len());
    let header = header_lines(&lines, first_prose);
    header_rules(&mut lines, &header, first_prose, &mut out);
    trailing_fence(&mut lines);
    trailing_bios(&mut lines);
    out.date =
        find_published(&lines).or_else(|| find_header_date(&lines, &header, out.title.as_deref()));

    let mut pieces = Vec::new();
    let mut pending_blank = false;
    for line in lines {
        match line.class {
            Class::Blank => pending_blank = true,
            Class::Body => {
                let separator = match (pieces.is_empty(), pending_blank) {
                    (true, _) => "",
                    (false, true) => "\n\n",
                    (false, false) => "\n",
                };
                let raw_start = offset_in(input, line.raw);
                let content = match line.norm {
                    Cow::Borrowed(norm) => {
                        let start = offset_in(input, norm);
                        Content::Kept(start..start + norm.len())
                    }
                    Cow::Owned(norm) => Content::Changed(norm),
                };
                pieces.push(Piece {
                    separator,
                    raw: raw_start..raw_start + line.raw.len(),
                    content,
                });
                pending_blank = false;
            }
            Class::Boilerplate | Class::Bio => out.removed.push(RemovedLine {
                text: line.raw.to_string(),
                kind: if line.class == Class::Bio {
                    RemovedKind::Bio
                } else {
                    RemovedKind::Boilerplate
                },
            }),
        }
    }
    out.text = assemble(raw_text, &pieces);
    out
}

/// One kept line of the cleaned text: what goes before it, where its raw line was in the
/// input, and its text.
struct Piece {
    /// "", "\n" or "\n\n".
    separator: &'static str,
    raw: std::ops::Range<usize>,
    content: Content,
}

/// A kept line's text: a range of the input (the raw line trimmed), or the line rewritten
/// (a no-break space made a space, invisible characters dropped), never longer than it.
enum Content {
    Kept(std::ops::Range<usize>),
    Changed(String),
}

/// The byte offset of `part`, a slice of `whole`, in `whole`.
fn offset_in(whole: &str, part: &str) -> usize {
    part.as_ptr() as usize - whole.as_ptr() as usize
}

/// The cleaned text: `pieces` in order, written over `input`'s bytes from the front. Each
/// piece is written no further than its own raw line reaches (its separator fits in the line
/// breaks before that line, which are at least as many, and its text is no longer than the
/// line), so nothing is overwritten before it is read; a plan that breaks this (it never
/// should) is written into a new string instead. Cleaning a 29 MB document held the input
/// and a copy of it; now the one buffer.
fn assemble(input: String, pieces: &[Piece]) -> String {
    let fits = pieces.iter().try_fold(0usize, |written, piece| {
        let length = match &piece.content {
            Content::Kept(range) => range.len(),
            Content::Changed(text) => text.len(),
        };
        let start = written + piece.separator.len();
        (start <= piece.raw.start && start + length <= piece.raw.end).then_some(start + length)
    });
    let Some(length) = fits else {
        let mut text = String::with_capacity(input.len());
        for piece in pieces {
            text.push_str(piece.separator);
            match &piece.content {
                Content::Kept(range) => text.push_str(&input[range.clone()]),
                Content::Changed(changed) => text.push_str(changed),
            }
        }
        return text;
    };
    let mut bytes = input.into_bytes();
    let mut written = 0;
    for piece in pieces {
        bytes[written..written + piece.separator.len()].copy_from_slice(piece.separator.as_bytes());
        written += piece.separator.len();
        match &piece.content {
            Content::Kept(range) => {
                bytes.copy_within(range.clone(), written);
                written += range.len();
            }
            Content::Changed(text) => {
                bytes[written..written + text.len()].copy_from_slice(text.as_bytes());
                written += text.len();
            }
        }
    }
    debug_assert_eq!(written, length);
    bytes.truncate(written);
    // Every piece is whole characters, so this is valid UTF-8; checked all the same, as
    // nothing here may panic or need `unsafe`.
    let mut text = String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    // A buffer far larger than what is left (a page of boilerplate) is given back.
    if text.capacity() > 2 * text.len() + 4096 {
        text.shrink_to_fit();
    }
    text
}

/// [`SPACE_CLASS`]: a byte that is not whitespace and starts no whitespace character.
const WORD_BYTE: u8 = 0;
/// [`SPACE_CLASS`]: ASCII whitespace (`char::is_whitespace`).
const SPACE_BYTE: u8 = 1;
/// [`SPACE_CLASS`]: the first byte of a character that may be Unicode whitespace (U+0085,
/// U+00A0, U+1680, U+2000-U+205F, U+3000 start with 0xC2, 0xE1, 0xE2 or 0xE3).
const MAYBE_SPACE: u8 = 2;

static SPACE_CLASS: [u8; 256] = {
    let mut table = [WORD_BYTE; 256];
    table[b' ' as usize] = SPACE_BYTE;
    let mut byte = b'\t';
    while byte <= b'\r' {
        table[byte as usize] = SPACE_BYTE;
        byte += 1;
    }
    table[0xc2] = MAYBE_SPACE;
    table[0xe1] = MAYBE_SPACE;
    table[0xe2] = MAYBE_SPACE;
    table[0xe3] = MAYBE_SPACE;
    table
};

/// The number of whitespace-separated words in `s`, counting no further than `limit`: the
/// same as `s.split_whitespace().take(limit).count()`, with a byte table instead of decoding
/// every character (that decoding was a tenth of a document's ingest). Only the first bytes
/// of possible whitespace are decoded; any other byte, of ASCII or of a longer character,
/// belongs to a word. Eight ASCII bytes at a time are classified together ([`ascii_spaces`]),
/// and words counted as the non-space bytes that follow a space.
pub(crate) fn count_words(s: &str, limit: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = s.as_bytes();
    let mut count = 0;
    let mut in_word = false;
    let mut pos = 0;
    while pos < bytes.len() && count < limit {
        if let Some(chunk) = bytes.get(pos..pos + 8) {
            let chunk = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
            if chunk & HIGH == 0 {
                let spaces = ascii_spaces(chunk);
                // The high bit of each byte after a space (or of the first byte, when the byte
                // before the chunk is not in a word): a word starts there unless it is a space.
                let after_space = spaces << 8 | if in_word { 0 } else { 0x80 };
                // One bit per byte, summed into the top byte by the multiplication (the
                // target has no popcount instruction by default).
                let starts = (after_space & !spaces & HIGH) >> 7;
                count += (starts.wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize;
                in_word = spaces >> 63 == 0;
                pos += 8;
                continue;
            }
        }
        let (space, width) = match SPACE_CLASS[usize::from(bytes[pos])] {
            WORD_BYTE => (false, 1),
            SPACE_BYTE => (true, 1),
            _ => {
                // A first byte, so `pos` is a character boundary.
                let c = s[pos..].chars().next().unwrap_or(' ');
                (c.is_whitespace(), c.len_utf8())
            }
        };
        if space {
            in_word = false;
        } else if !in_word {
            in_word = true;
            count += 1;
        }
        pos += width;
    }
    count.min(limit)
}

/// The high bit of each byte of `chunk` (eight ASCII bytes, little endian) that is ASCII
/// whitespace: a space, or `\t` to `\r` (9 to 13). No sum carries into the next byte, as
/// every byte is below 0x80.
fn ascii_spaces(chunk: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    // A byte equals 0x20 when its xor with 0x20 is zero: adding 0x7F to the low seven bits
    // sets the high bit of every byte but a zero one.
    let diff = chunk ^ (ONES * 0x20);
    let blank = !(((diff & !HIGH) + ONES * 0x7F) | diff) & HIGH;
    // b >= 9 sets the high bit of b + 0x77, and b <= 13 leaves that of b + 0x72 clear.
    let control = (chunk + ONES * 0x77) & !(chunk + ONES * 0x72) & HIGH;
    blank | control
}

/// Replaces no-break spaces with spaces, drops byte-order marks and zero-width spaces,
/// and trims. Borrows when nothing needs replacing.
fn normalize(raw: &str) -> Cow<'_, str> {
    const REPLACED: [&str; 3] = ["\u{a0}", "\u{feff}", "\u{200b}"];
    let bytes = raw.as_bytes();
    // One scan for the first bytes of the three characters (0xC2, 0xEF, 0xE2), checked where
    // they occur, instead of building three substring searchers for every line. Those bytes
    // only ever start a character, so each hit is a boundary, and the runs between the
    // characters are copied whole (a char-by-char rebuild cost a percent of a document's
    // instructions on text whose paragraphs hold a no-break space). Nothing is allocated
    // until a character is found.
    let mut replaced: Option<String> = None;
    let mut copied = 0;
    for at in memchr::memchr3_iter(0xc2, 0xef, 0xe2, bytes) {
        let Some(found) = REPLACED
            .iter()
            .find(|c| bytes[at..].starts_with(c.as_bytes()))
        else {
            continue;
        };
        let out = replaced.get_or_insert_with(|| String::with_capacity(raw.len()));
        out.push_str(&raw[copied..at]);
        if *found == "\u{a0}" {
            out.push(' ');
        }
        copied = at + found.len();
    }
    let Some(mut out) = replaced else {
        return Cow::Borrowed(raw.trim());
    };
    out.push_str(&raw[copied..]);
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        return Cow::Owned(out);
    }
    Cow::Owned(trimmed.to_string())
}

/// Lowercased line without trailing punctuation and spaces.
fn bare(lower: &str) -> &str {
    lower.trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace())
}

const EXACT_FURNITURE: &[&str] = &[
    "show comments",
    "hide comments",
    "view comments",
    "comments",
    "leave a comment",
    "article search",
    "search",
    "menu",
    "home",
    "share",
    "share this",
    "share this article",
    "print",
    "print this page",
    "email",
    "tweet",
    "advertisement",
    "related",
    "related articles",
    "related content",
    "read more",
    "want to read more",
    "continue reading",
    "back to top",
    "skip to content",
    "skip to main content",
    "the author",
    "the authors",
    "about the author",
    "about the authors",
    "tags",
    "topics",
    "newsletter",
    "sign up",
    "sign in",
    "log in",
    "login",
    "register",
    "next article",
    "previous article",
    "listen to this article",
    "click here",
];

const PREFIX_FURNITURE: &[&str] = &[
    "subscribe",
    "follow us",
    "sign up for",
    "share on",
    "click here",
    "read more",
    "privacy policy",
    "terms of use",
    "terms of service",
    "cookie",
    "about us",
    "contact us",
    "advertise",
];

const SUFFIX_FURNITURE: &[&str] = &["icon", "counter", "search", "menu", "newsletter"];

const CONTAINS_FURNITURE: &[&str] = &["hit counter", "visitor counter", "page views"];

const DISCLAIMERS: &[&str] = &[
    "views expressed",
    "opinions expressed",
    "views represented",
    "do not necessarily reflect",
    "does not necessarily reflect",
    "do not necessarily represent",
    "not necessarily those of",
    "institutional positions",
];

const DISCLAIMER_SUBJECTS: &[&str] =
    &["author", "staff", "editorial", "publisher", "institutional"];

const REPUBLICATION_STARTS: &[&str] = &[
    "this article",
    "this piece",
    "this post",
    "this essay",
    "this commentary",
    "this analysis",
    "this op-ed",
    "this story",
    "this report",
    "a version of this",
    "originally",
];

const REPUBLICATION_VERBS: &[&str] = &[
    "published",
    "appeared",
    "posted",
    "reprinted",
    "republished",
];

const READING_TIME: &[&str] = &[
    "min read",
    "mins read",
    "minute read",
    "minutes read",
    "min. read",
];

/// Labels of `Label: value` metadata lines.
const LABELS: &[&str] = &[
    "region",
    "regions",
    "issue",
    "issues",
    "topic",
    "topics",
    "tag",
    "tags",
    "category",
    "categories",
    "section",
    "filed under",
    "keywords",
    "source",
    "sources",
    "author",
    "authors",
    "by",
    "date",
    "published",
    "updated",
    "posted",
    "photo",
    "image",
    "credit",
    "photo credit",
    "image credit",
    "location",
    "country",
    "countries",
    "subject",
    "subjects",
];

/// Searchers for the phrases [`line_rule`] looks for anywhere in a line, built once: `str`'s
/// `contains` sets up a new searcher on every call, and most lines of up to forty words are
/// searched for a dozen phrases.
struct Finders {
    rights: Finder<'static>,
    disclaimers: Vec<Finder<'static>>,
    reading_time: Vec<Finder<'static>>,
}

fn finders() -> &'static Finders {
    static FINDERS: OnceLock<Finders> = OnceLock::new();
    FINDERS.get_or_init(|| {
        let all = |phrases: &[&'static str]| phrases.iter().map(|p| Finder::new(*p)).collect();
        Finders {
            rights: Finder::new("all rights reserved"),
            disclaimers: all(DISCLAIMERS),
            reading_time: all(READING_TIME),
        }
    })
}

fn any_in(finders: &[Finder<'static>], text: &str) -> bool {
    finders.iter().any(|f| f.find(text.as_bytes()).is_some())
}

/// Per-line rules that need no context. `lower` is scratch space for the lowercased line.
fn line_rule(norm: &str, words: usize, finders: &Finders, lower: &mut String) -> Option<Rule> {
    if words > MEDIUM_WORDS {
        return None;
    }
    lower.clear();
    if norm.is_ascii() {
        lower.push_str(norm);
        lower.make_ascii_lowercase();
    } else {
        *lower = norm.to_lowercase();
    }
    let lower = lower.as_str();
    if lower.contains('©')
        || lower.starts_with("copyright")
        || lower.starts_with("(c) ")
        || finders.rights.find(lower.as_bytes()).is_some()
    {
        return Some(Rule::Copyright);
    }
    if any_in(&finders.disclaimers, lower) && DISCLAIMER_SUBJECTS.iter().any(|w| lower.contains(w))
    {
        return Some(Rule::Disclaimer);
    }
    if words <= 30
        && REPUBLICATION_STARTS.iter().any(|p| lower.starts_with(p))
        && REPUBLICATION_VERBS.iter().any(|v| lower.contains(v))
    {
        return Some(Rule::Republication);
    }
    if words > SHORT_WORDS {
        return None;
    }
    if any_in(&finders.reading_time, lower) {
        return Some(Rule::ReadingTime);
    }
    if date::is_date_only(norm) {
        return Some(Rule::DateOnly);
    }
    let bare = bare(lower);
    match bare {
        "published by" | "publisher" => return Some(Rule::BylineLabel { publisher: true }),
        "by" | "written by" | "posted by" | "words by" | "reporting by" => {
            return Some(Rule::BylineLabel { publisher: false });
        }
        _ => {}
    }
    if let Some((label, value)) = norm.split_once(':') {
        let label = label.trim().to_lowercase();
        let value = value.trim().trim_end_matches(',').trim();
        if LABELS.contains(&label.as_str()) {
            let source = matches!(label.as_str(), "source" | "sources");
            let author = matches!(label.as_str(), "author" | "authors" | "by");
            return Some(Rule::Label {
                source,
                author,
                value: value.to_string(),
            });
        }
    }
    let ends_with_full_stop = norm.ends_with('.');
    if !ends_with_full_stop && EXACT_FURNITURE.contains(&bare) {
        return Some(Rule::Furniture);
    }
    if words <= 8 && PREFIX_FURNITURE.iter().any(|p| lower.starts_with(p)) {
        return Some(Rule::Furniture);
    }
    if words <= 4 && !ends_with_full_stop {
        let last = bare.rsplit(' ').next().unwrap_or("");
        if SUFFIX_FURNITURE.contains(&last) {
            return Some(Rule::Furniture);
        }
    }
    if CONTAINS_FURNITURE.iter().any(|p| lower.contains(p)) {
        return Some(Rule::Furniture);
    }
    None
}

/// After "published by" or "by" on a line of its own, the next short line is the name.
fn name_after_byline_labels(lines: &mut [Line<'_>], out: &mut Cleaned) {
    for i in 0..lines.len() {
        let Some(Rule::BylineLabel { publisher }) = lines[i].rule else {
            continue;
        };
        let Some(next) = (i + 1..lines.len()).find(|&k| lines[k].class != Class::Blank) else {
            continue;
        };
        let line = &mut lines[next];
        if line.class == Class::Body && line.words <= 5 && !ends_with_terminal(&line.norm) {
            line.class = Class::Boilerplate;
            let name = line.norm.to_string();
            let slot = if publisher {
                &mut out.outlet
            } else {
                &mut out.author
            };
            if slot.is_none() {
                *slot = Some(name);
            }
        }
    }
}

fn ends_with_terminal(s: &str) -> bool {
    s.ends_with(['.', '!', '?', '\u{2026}'])
}

/// A line of running prose: long, or of sentence length with final punctuation.
fn is_prose(line: &Line<'_>) -> bool {
    line.words > LONG_WORDS
        || (line.words >= 12
            && line
                .norm
                .trim_end_matches(['"', '\u{201d}', '\'', ')'])
                .ends_with(['.', '!', '?', ':']))
}

/// Indices of non-blank lines before the first prose line (at most twelve of them).
fn header_lines(lines: &[Line<'_>], first_prose: usize) -> Vec<usize> {
    (0..first_prose)
        .filter(|&i| lines[i].class != Class::Blank)
        .take(12)
        .collect()
}

const STOPWORDS: &[&str] = &[
    "the", "a", "an", "of", "and", "or", "to", "in", "on", "for", "with", "at", "by", "from", "is",
    "are", "was", "were", "be", "as", "that", "this", "it", "its", "not", "but", "has", "have",
    "will",
];

/// Header rules: lowercase tag/author lists, the title (skipping a short kicker above a
/// longer headline), and a byline right under the title.
fn header_rules(lines: &mut [Line<'_>], header: &[usize], first_prose: usize, out: &mut Cleaned) {
    for &i in header {
        let line = &lines[i];
        if line.class == Class::Body && line.words >= 3 && is_lowercase_list(&line.norm) {
            lines[i].class = Class::Boilerplate;
        }
    }
    remove_menu_runs(lines, header);
    let Some(&first) = header.iter().find(|&&i| lines[i].class == Class::Body) else {
        return;
    };
    if !headline_like(&lines[first]) {
        return;
    }
    let mut title = first;
    let next = next_header_line(lines, header, first);
    if lines[first].words <= 3
        && next < first_prose
        && lines[next].class == Class::Body
        && headline_like(&lines[next])
        && !lines[next].norm.starts_with("By ")
        && lines[next].words > lines[first].words
    {
        // A short kicker (section label) sits above the real headline.
        lines[first].class = Class::Boilerplate;
        title = next;
    }
    out.title = Some(heading_text(&lines[title].norm).to_string());
    let under = next_header_line(lines, header, title);
    if under < first_prose
        && lines[under].class == Class::Body
        && let Some(name) = byline_name(&lines[under].norm)
    {
        if out.author.is_none() {
            out.author = Some(name.to_string());
        }
        lines[under].class = Class::Boilerplate;
    }
}

/// The header line after line `i`, when at most one blank line separates them (HTML
/// blocks come out blank-separated); `usize::MAX` otherwise.
fn next_header_line(lines: &[Line<'_>], header: &[usize], i: usize) -> usize {
    let next = header.iter().copied().find(|&k| k > i);
    match next {
        Some(k) if k <= i + 2 && lines[i + 1..k].iter().all(|l| l.class == Class::Blank) => k,
        _ => usize::MAX,
    }
}

/// Three or more adjacent header lines of one or two words without punctuation are a
/// navigation menu or breadcrumb trail ("Home", "World", "Asia").
fn remove_menu_runs(lines: &mut [Line<'_>], header: &[usize]) {
    let is_item = |l: &Line<'_>| {
        l.class != Class::Blank
            && l.words <= 2
            && !l.norm.ends_with(|c: char| c.is_ascii_punctuation())
    };
    let mut k = 0;
    while k < header.len() {
        let mut end = k;
        while end < header.len()
            && is_item(&lines[header[end]])
            && (end == k || header[end] == header[end - 1] + 1)
        {
            end += 1;
        }
        if end - k >= 3 {
            for &i in &header[k..end] {
                lines[i].class = Class::Boilerplate;
            }
        }
        k = end.max(k + 1);
    }
}

/// Lowercase words only, no punctuation, no function words: a tag cloud or author list.
fn is_lowercase_list(s: &str) -> bool {
    s.split_whitespace().all(|w| {
        w.chars().all(|c| c.is_lowercase() || c == '-' || c == '\'') && !STOPWORDS.contains(&w)
    })
}

/// Short, no final full stop, starts like a headline.
fn headline_like(line: &Line<'_>) -> bool {
    let s = heading_text(&line.norm);
    let Some(first) = s.chars().next() else {
        return false;
    };
    line.words <= 20
        && s.len() <= 200
        && !s.ends_with(['.', ',', ';', ':'])
        && (first.is_uppercase()
            || first.is_ascii_digit()
            || matches!(first, '"' | '\u{201c}' | '\u{2018}' | '\''))
        && s.chars().any(char::is_alphabetic)
}

/// A line without Markdown heading marks (`# Title` → `Title`).
fn heading_text(s: &str) -> &str {
    let stripped = s.trim_start_matches('#');
    if stripped.len() < s.len() && stripped.starts_with(' ') {
        stripped.trim_start()
    } else {
        s
    }
}

/// A byline: "By Jane Doe" or two to four capitalised name words on their own.
fn byline_name(s: &str) -> Option<&str> {
    let name = s
        .strip_prefix("By ")
        .or_else(|| s.strip_prefix("by "))
        .unwrap_or(s)
        .trim();
    let n_words = name.split_whitespace().count();
    let name_like = (2..=4).contains(&n_words)
        && name.split_whitespace().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '\u{2019}'))
        });
    name_like.then_some(name)
}

/// After the last long body paragraph, the first furniture line and every line after it
/// are boilerplate (site taglines, footers).
fn trailing_fence(lines: &mut [Line<'_>]) {
    let last_long = lines
        .iter()
        .rposition(|l| l.class == Class::Body && l.words > LONG_WORDS);
    let Some(last_long) = last_long else {
        return;
    };
    let Some(fence) = (last_long + 1..lines.len()).find(|&i| lines[i].class == Class::Boilerplate)
    else {
        return;
    };
    for line in &mut lines[fence..] {
        if line.class == Class::Body {
            line.class = Class::Boilerplate;
        }
    }
}

/// Author bios at the end: only lines followed by nothing but boilerplate and other bios.
fn trailing_bios(lines: &mut [Line<'_>]) {
    for line in lines.iter_mut().rev() {
        match line.class {
            Class::Blank => continue,
            Class::Body | Class::Boilerplate if is_bio(&line.norm) => line.class = Class::Bio,
            Class::Boilerplate | Class::Bio => continue,
            Class::Body => break,
        }
    }
}

const ROLES: &[&str] = &[
    "student",
    "journalist",
    "fellow",
    "writer",
    "professor",
    "researcher",
    "analyst",
    "director",
    "editor",
    "correspondent",
    "scholar",
    "lecturer",
    "author",
    "candidate",
    "contributor",
    "expert",
    "columnist",
    "founder",
    "reporter",
    "blogger",
    "economist",
    "consultant",
    "diplomat",
    "ambassador",
    "officer",
    "associate",
    "specialist",
    "historian",
    "commentator",
    "graduate",
    "chair",
    "head of",
    "member of",
    "president of",
];

const NAME_PARTICLES: &[&str] = &[
    "de", "van", "von", "der", "bin", "al", "da", "del", "la", "le", "di",
];

/// The most words a bio's name may have.
const BIO_NAME_WORDS: usize = 5;

/// The byte offset where the word after the first `n` whitespace-separated words of `s`
/// starts, if there is one.
fn nth_word_start(s: &str, n: usize) -> Option<usize> {
    let mut words = 0;
    let mut in_word = false;
    for (at, c) in s.char_indices() {
        let space = c.is_whitespace();
        if !space && !in_word {
            if words == n {
                return Some(at);
            }
            words += 1;
        }
        in_word = !space;
    }
    None
}

/// "Jane Doe is a fellow at …", "*Taehwa Hong is a student …", "The author is …".
fn is_bio(s: &str) -> bool {
    let s = s.trim_start_matches(['*', '-', '\u{2013}', '\u{2014}', ' ']);
    // ASCII case folding is enough: the only non-ASCII character that lowercases to an ASCII
    // letter is the Kelvin sign, and neither phrase has a `k`.
    let starts_with = |phrase: &str| {
        s.get(..phrase.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(phrase))
    };
    if starts_with("the author is") || starts_with("the authors are") {
        return true;
    }
    // A name has at most five words, so a verb after the sixth word's start leaves a name too
    // long: only the text up to there (and the verb's own length) is searched, not the
    // whole paragraph.
    let searched = match nth_word_start(s, BIO_NAME_WORDS) {
        Some(start) => &s[..s.ceil_char_boundary(start + " has been ".len())],
        None => s,
    };
    // The first of the verbs to occur: one pass over the spaces, instead of a substring
    // search set up and run for each verb on every paragraph.
    let bytes = searched.as_bytes();
    memchr::memchr_iter(b' ', bytes)
        .find_map(|at| {
            BIO_VERBS
                .iter()
                .find(|verb| bytes[at..].starts_with(verb.as_bytes()))
                .map(|&verb| (at, verb))
        })
        .is_some_and(|(at, verb)| is_bio_around(s, at, verb))
}

/// The verbs between a name and a role in a bio, each with its spaces.
const BIO_VERBS: [&str; 3] = [" is ", " was ", " has been "];

/// Whether `s`, with its first bio verb `verb` at `at`, names someone before the verb and
/// gives their role after it.
fn is_bio_around(s: &str, at: usize, verb: &str) -> bool {
    let (name, rest) = (&s[..at], &s[at + verb.len()..]);
    let n_words = name.split_whitespace().count();
    let n_capitalised = name
        .split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    let name_like = (2..=BIO_NAME_WORDS).contains(&n_words)
        && n_capitalised >= 2
        && name.split_whitespace().all(|w| {
            let capitalised = w.chars().next().is_some_and(char::is_uppercase);
            (capitalised || NAME_PARTICLES.contains(&w))
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '\u{2019}'))
        });
    if !name_like {
        return false;
    }
    let head: String = rest.chars().take(160).collect::<String>().to_lowercase();
    let article = [
        "a ",
        "an ",
        "the ",
        "currently ",
        "also ",
        "senior ",
        "assistant ",
        "associate ",
        "now ",
    ];
    article.iter().any(|a| head.starts_with(a)) && ROLES.iter().any(|r| head.contains(r))
}

/// The first explicit "published … DATE" statement; a short "published by" line may have
/// its date on one of the next two short lines.
fn find_published(lines: &[Line<'_>]) -> Option<(String, &'static str)> {
    for (i, line) in lines.iter().enumerate() {
        if line.class == Class::Blank || line.words > 30 {
            continue;
        }
        let is_statement = line.words <= 15 || line.class == Class::Boilerplate;
        if !is_statement {
            continue;
        }
        let lower = line.norm.to_lowercase();
        let Some(at) = lower.find("published") else {
            continue;
        };
        // Lowercasing may change byte lengths outside ASCII; search the lowered text.
        if let Some((d, _, _)) = date::find_date(&lower[at..]) {
            return Some((d.iso(), "published-statement"));
        }
        if line.words <= 4 {
            let next = lines[i + 1..]
                .iter()
                .filter(|l| l.class != Class::Blank)
                .take(2);
            for l in next {
                if l.words <= 8
                    && let Some((d, _, _)) = date::find_date(&l.norm)
                {
                    return Some((d.iso(), "published-statement"));
                }
            }
        }
    }
    None
}

/// A dateline (a line that is only a date) anywhere, else a date in a short header line
/// that is not a sentence and not the title.
fn find_header_date(
    lines: &[Line<'_>],
    header: &[usize],
    title: Option<&str>,
) -> Option<(String, &'static str)> {
    let dateline = lines.iter().find(|l| l.rule == Some(Rule::DateOnly));
    if let Some((d, _, _)) = dateline.and_then(|l| date::find_date(&l.norm)) {
        return Some((d.iso(), "dateline"));
    }
    let first_body = lines.iter().filter(|l| l.class == Class::Body).take(3);
    if let Some(d) = first_body.filter_map(|l| wire_dateline(&l.norm)).next() {
        return Some((d, "dateline"));
    }
    header
        .iter()
        .take(10)
        .map(|&i| &lines[i])
        .filter(|l| l.words <= SHORT_WORDS)
        .filter(|l| {
            l.class == Class::Boilerplate
                || !(ends_with_terminal(&l.norm) || title == Some(&*l.norm))
        })
        .find_map(|l| date::find_date(&l.norm))
        .map(|(d, _, _)| (d.iso(), "header-line"))
}

/// A wire-style dateline opening a paragraph: an upper-case place, a comma, a date, then
/// the agency or a dash ("MOSCOW, Dec. 3, 2015 (Reuters) - ...").
fn wire_dateline(line: &str) -> Option<String> {
    let comma = line.find(',')?;
    let place = &line[..comma];
    let place_ok = (2..=30).contains(&place.len())
        && place.chars().any(char::is_alphabetic)
        && place
            .chars()
            .all(|c| c.is_uppercase() || matches!(c, ' ' | '.' | '-' | '\''));
    if !place_ok {
        return None;
    }
    let rest = &line[comma + 1..];
    let window = &rest[..floor_char_boundary(rest, rest.len().min(40))];
    let (d, start, end) = date::find_date(window)?;
    let after = rest[end..].trim_start();
    let closes = after.starts_with(['(', '-', '\u{2013}', '\u{2014}', '/']);
    (start <= 2 && closes).then(|| d.iso())
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

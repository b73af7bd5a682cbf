//! Calendar dates in the forms news pages use, found in a line or parsed from a field.
//!
//! Accepted: ISO (`2016-12-21`, `2016/12/21`, datetimes, `20161221` in fields),
//! month first (`Apr 27, 2017`, `Dec. 21,2016`, `December 2, 2014`) and day first
//! (`2 December 2014`, `Monday 20th of May 2024`). A date without a year is not a date here.

#[cfg(test)]
mod tests;

/// A validated calendar day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    fn new(year: u32, month: u32, day: u32) -> Option<Date> {
        if !(1900..=2100).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if day > days {
            return None;
        }
        Some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The date as `YYYY-MM-DD`.
    pub(crate) fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    /// A number: its value and how many digits it had.
    Num(u32, usize),
}

#[derive(Debug, Clone, Copy)]
struct Token {
    start: usize,
    end: usize,
    kind: Kind,
}

/// Splits a line into words and numbers. Letter runs are also split where case changes
/// in a way that marks glued words ("READApr" → "READ", "Apr"; "SubscribeThe").
fn tokens(line: &str) -> Vec<Token> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            let mut value: u32 = 0;
            while i < b.len() && b[i].is_ascii_digit() {
                value = value
                    .saturating_mul(10)
                    .saturating_add(u32::from(b[i] - b'0'));
                i += 1;
            }
            let digits = i - start;
            // Ordinal suffixes: 1st, 2nd, 3rd, 20th.
            if i + 2 <= b.len() {
                let suffix = [b[i].to_ascii_lowercase(), b[i + 1].to_ascii_lowercase()];
                let after_ok = i + 2 == b.len() || !b[i + 2].is_ascii_alphabetic();
                if after_ok && matches!(&suffix, b"st" | b"nd" | b"rd" | b"th") {
                    i += 2;
                }
            }
            out.push(Token {
                start,
                end: i,
                kind: Kind::Num(value, digits),
            });
        } else if b[i].is_ascii_alphabetic() {
            let start = i;
            i += 1;
            while i < b.len() && b[i].is_ascii_alphabetic() {
                let lower_to_upper = b[i - 1].is_ascii_lowercase() && b[i].is_ascii_uppercase();
                let acronym_to_word = b[i].is_ascii_uppercase()
                    && b[i - 1].is_ascii_uppercase()
                    && i > start + 1
                    && b[i - 2].is_ascii_uppercase()
                    && b.get(i + 1).is_some_and(u8::is_ascii_lowercase);
                if lower_to_upper || acronym_to_word {
                    break;
                }
                i += 1;
            }
            out.push(Token {
                start,
                end: i,
                kind: Kind::Word,
            });
        } else {
            i += line[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// The month number of a month name or abbreviation.
fn month(word: &str) -> Option<u32> {
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if word.len() < 3 || word.len() > 9 {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    if lower == "sept" {
        return Some(9);
    }
    NAMES
        .iter()
        .position(|name| *name == lower || (lower.len() == 3 && name.starts_with(&lower)))
        .map(|i| i as u32 + 1)
}

/// True when the bytes between two tokens are a short run of whitespace and `allowed`.
fn gap_ok(line: &str, from: usize, to: usize, allowed: &[u8]) -> bool {
    to - from <= 4
        && line[from..to]
            .chars()
            .all(|c| c.is_whitespace() || (c.is_ascii() && allowed.contains(&(c as u8))))
}

/// Finds the first date in `line`; returns it with its byte range.
pub(crate) fn find_date(line: &str) -> Option<(Date, usize, usize)> {
    // Every form below has a four-digit year, and most lines hold no four digits in a row:
    // they are not split into tokens (a tenth of the cleaner's per-line work).
    if !has_four_digits(line.as_bytes()) {
        return None;
    }
    find_date_in_tokens(line)
}

/// [`find_date`] without the four-digit test.
fn find_date_in_tokens(line: &str) -> Option<(Date, usize, usize)> {
    let toks = tokens(line);
    for t in 0..toks.len() {
        if let Some(found) = date_at(line, &toks, t) {
            return Some(found);
        }
    }
    None
}

/// Whether `bytes` holds four ASCII digits in a row.
fn has_four_digits(bytes: &[u8]) -> bool {
    let mut run = 0;
    for &byte in bytes {
        run = if byte.is_ascii_digit() { run + 1 } else { 0 };
        if run == 4 {
            return true;
        }
    }
    false
}

fn date_at(line: &str, toks: &[Token], t: usize) -> Option<(Date, usize, usize)> {
    let tok = toks[t];
    let word = |k: usize| {
        toks.get(k)
            .filter(|x| x.kind == Kind::Word)
            .map(|x| &line[x.start..x.end])
    };
    let num = |k: usize| match toks.get(k).map(|x| x.kind) {
        Some(Kind::Num(v, d)) => Some((v, d)),
        _ => None,
    };
    match tok.kind {
        Kind::Word => {
            // Month Day, Year
            let m = month(word(t)?)?;
            let (day, dd) = num(t + 1)?;
            let (year, yd) = num(t + 2)?;
            if dd > 2 || yd != 4 {
                return None;
            }
            if !gap_ok(line, tok.end, toks[t + 1].start, b".")
                || !gap_ok(line, toks[t + 1].end, toks[t + 2].start, b",")
            {
                return None;
            }
            Date::new(year, m, day).map(|d| (d, tok.start, toks[t + 2].end))
        }
        Kind::Num(value, 4) => {
            // ISO: 2016-12-21 or 2016/12/21.
            let (m, md) = num(t + 1)?;
            let (d, dd) = num(t + 2)?;
            let sep = *line.as_bytes().get(tok.end)?;
            let bytes = line.as_bytes();
            let iso = (sep == b'-' || sep == b'/')
                && md <= 2
                && dd <= 2
                && toks[t + 1].start == tok.end + 1
                && toks[t + 1].end < bytes.len()
                && bytes[toks[t + 1].end] == sep
                && toks[t + 2].start == toks[t + 1].end + 1;
            if !iso {
                return None;
            }
            Date::new(value, m, d).map(|date| (date, tok.start, toks[t + 2].end))
        }
        Kind::Num(day, 1 | 2) => {
            // Day [of] Month Year
            let mut k = t + 1;
            if word(k).is_some_and(|w| w.eq_ignore_ascii_case("of")) {
                k += 1;
            }
            let m = month(word(k)?)?;
            let (year, yd) = num(k + 1)?;
            if yd != 4 {
                return None;
            }
            if !gap_ok(line, toks[k].end, toks[k + 1].start, b".,") {
                return None;
            }
            Date::new(year, m, day).map(|d| (d, tok.start, toks[k + 1].end))
        }
        Kind::Num(..) => None,
    }
}

/// True when `line` is nothing but a date, perhaps with a weekday, a time and a word such
/// as "on", "published" or "updated" (a dateline).
pub(crate) fn is_date_only(line: &str) -> bool {
    let Some((_, start, end)) = find_date(line) else {
        return false;
    };
    tokens(line)
        .iter()
        .filter(|t| t.end <= start || t.start >= end)
        .all(|t| match t.kind {
            Kind::Num(_, digits) => digits <= 2,
            Kind::Word => {
                let w = line[t.start..t.end].to_ascii_lowercase();
                matches!(
                    w.as_str(),
                    "on" | "published"
                        | "updated"
                        | "posted"
                        | "dated"
                        | "date"
                        | "last"
                        | "modified"
                        | "at"
                        | "the"
                        | "am"
                        | "pm"
                        | "gmt"
                        | "utc"
                        | "est"
                        | "edt"
                        | "bst"
                        | "cet"
                        | "monday"
                        | "tuesday"
                        | "wednesday"
                        | "thursday"
                        | "friday"
                        | "saturday"
                        | "sunday"
                        | "mon"
                        | "tue"
                        | "tues"
                        | "wed"
                        | "thu"
                        | "thur"
                        | "thurs"
                        | "fri"
                        | "sat"
                        | "sun"
                )
            }
        })
}

/// Parses a date field: ISO dates and datetimes (the day is taken), `YYYYMMDD`, and the
/// textual forms [`find_date`] knows.
pub(crate) fn parse_field(value: &str) -> Option<Date> {
    let value = value.trim();
    let b = value.as_bytes();
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        let n = |r: std::ops::Range<usize>| value[r].parse::<u32>().ok();
        return Date::new(n(0..4)?, n(4..6)?, n(6..8)?);
    }
    if value.len() > 64 {
        return None;
    }
    find_date(value).map(|(date, _, _)| date)
}

//! A synthetic corpus for scale benches, built from the lexicon and gazetteer read as text.
//!
//! xtask depends neither on our crates nor on a TOML parser, so the data files are read with a
//! tiny line parser that understands exactly what they use: `[[table]]` headers and
//! `key = "string"` / `key = ["a", "b"]` lines (arrays may span lines).

use std::io::Write;

use anyhow::Result;

/// One lexicon cue as the generator needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cue {
    pub(crate) pattern: String,
    pub(crate) hawkish: bool,
}

/// One actor as the generator needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Actor {
    pub(crate) code: String,
    pub(crate) aliases: Vec<String>,
}

/// A `[[name]]` table: its key/value pairs, values as lists of strings.
type Table = Vec<(String, Vec<String>)>;

/// Splits `source` into the `[[name]]` tables it contains, in order.
fn tables(source: &str, name: &str) -> Vec<Table> {
    let header = format!("[[{name}]]");
    let mut tables: Vec<Table> = Vec::new();
    let mut inside = false;
    let mut pending: Option<(String, String)> = None;
    for line in source.lines() {
        let line = strip_comment(line).trim().to_string();
        if let Some((key, mut value)) = pending.take() {
            value.push(' ');
            value.push_str(&line);
            if value.contains(']') {
                if let Some(table) = tables.last_mut() {
                    table.push((key, strings(&value)));
                }
            } else {
                pending = Some((key, value));
            }
            continue;
        }
        if line.starts_with('[') {
            inside = line == header;
            if inside {
                tables.push(Vec::new());
            }
            continue;
        }
        if !inside {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim().to_string();
        let value = value.trim().to_string();
        if value.starts_with('[') && !value.contains(']') {
            pending = Some((key, value));
        } else if let Some(table) = tables.last_mut() {
            table.push((key, strings(&value)));
        }
    }
    tables
}

/// Removes a `#` comment that is not inside a string.
fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    for (idx, ch) in line.char_indices() {
        match ch {
            '\\' if in_string && !escaped => {
                escaped = true;
                continue;
            }
            '"' if !escaped => in_string = !in_string,
            '#' if !in_string => return &line[..idx],
            _ => {}
        }
        escaped = false;
    }
    line
}

/// The double-quoted strings in `value`, with `\"` and `\\` unescaped; a bare value as itself.
fn strings(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = value.chars();
    let mut found_quote = false;
    while let Some(ch) = chars.next() {
        if ch != '"' {
            continue;
        }
        found_quote = true;
        let mut text = String::new();
        while let Some(ch) = chars.next() {
            match ch {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => text.push('\n'),
                    Some('t') => text.push('\t'),
                    Some(other) => text.push(other),
                    None => {}
                },
                other => text.push(other),
            }
        }
        out.push(text);
    }
    if !found_quote {
        out.push(value.trim().to_string());
    }
    out
}

fn get<'t>(table: &'t Table, key: &str) -> Option<&'t [String]> {
    table
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_slice())
}

/// The cues of a lexicon file (`[[cue]]` with `pattern` and `stance`).
pub(crate) fn parse_cues(source: &str) -> Vec<Cue> {
    tables(source, "cue")
        .iter()
        .filter_map(|table| {
            let pattern = get(table, "pattern")?.first()?.clone();
            let hawkish = match get(table, "stance")?.first()?.as_str() {
                "hawkish" => true,
                "conciliatory" => false,
                _ => return None,
            };
            Some(Cue { pattern, hawkish })
        })
        .collect()
}

/// The actors of a gazetteer file (`[[actor]]` with `code` and `aliases`) that have an alias.
pub(crate) fn parse_actors(source: &str) -> Vec<Actor> {
    tables(source, "actor")
        .iter()
        .filter_map(|table| {
            let code = get(table, "code")?.first()?.clone();
            let aliases: Vec<String> = get(table, "aliases")?.to_vec();
            (!aliases.is_empty()).then_some(Actor { code, aliases })
        })
        .collect()
}

/// SplitMix64: a tiny, well-mixed, deterministic PRNG.
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform index below `n` (n > 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        // The modulo bias is below 2^-40 for the sizes used here.
        (self.next_u64() % n as u64) as usize
    }

    pub(crate) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Turns a lexicon pattern into words a matcher will accept: a stem wildcard gets a suffix.
fn surface(pattern: &str) -> String {
    pattern
        .split(' ')
        .map(|word| match word.strip_suffix('*') {
            Some(stem) => format!("{stem}s"),
            None => word.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

const OUTLETS: [&str; 6] = [
    "Harbour Ledger",
    "Northern Review",
    "Meridian Post",
    "Continental Wire",
    "Strait Observer",
    "Capital Digest",
];

const STANCE_TEMPLATES: [&str; 6] = [
    "{A} {cue} {B} over the dispute.",
    "On {day}, {A} {cue} {B} after talks stalled.",
    "Officials said {A} {cue} {B} during the summit.",
    "{A} {cue} {B}, according to a statement.",
    "Analysts noted that {A} {cue} {B} this week.",
    "In a speech, {A} {cue} {B} again.",
];

const FILLER: [&str; 6] = [
    "The ministry published a long report on trade figures.",
    "Markets were calm for most of the day.",
    "Several delegations arrived late because of the weather.",
    "The briefing covered shipping schedules and port fees.",
    "Observers expect a further round of meetings next month.",
    "A spokesperson declined to give more details.",
];

const MONTH_DAYS: [u32; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

/// Writes `n_docs` JSONL documents to `out`, returning the byte count.
pub(crate) fn write(
    out: &mut impl Write,
    n_docs: usize,
    seed: u64,
    cues: &[Cue],
    actors: &[Actor],
) -> Result<u64> {
    let mut rng = SplitMix64::new(seed);
    let mut bytes = 0u64;
    for doc_idx in 0..n_docs {
        // Dates spread over twelve months of 2024 so timelines and groups have data.
        let month = doc_idx % 12;
        let day = 1 + rng.below(MONTH_DAYS[month] as usize);
        let date = format!("2024-{:02}-{:02}", month + 1, day);
        let outlet = *rng.pick(&OUTLETS);
        let n_paragraphs = 2 + rng.below(3);
        let mut paragraphs = Vec::with_capacity(n_paragraphs);
        let mut first_pair = None;
        for _ in 0..n_paragraphs {
            let n_sentences = 3 + rng.below(4);
            let mut sentences = Vec::with_capacity(n_sentences);
            for _ in 0..n_sentences {
                if rng.below(3) == 0 {
                    sentences.push(rng.pick(&FILLER).to_string());
                    continue;
                }
                let source = rng.pick(actors);
                let mut target = rng.pick(actors);
                while target.code == source.code {
                    target = rng.pick(actors);
                }
                first_pair.get_or_insert((source.code.clone(), target.code.clone()));
                let cue = rng.pick(cues);
                let template = *rng.pick(&STANCE_TEMPLATES);
                let source_alias: &String = rng.pick(&source.aliases);
                let target_alias: &String = rng.pick(&target.aliases);
                let sentence = template
                    .replace("{A}", source_alias)
                    .replace("{B}", target_alias)
                    .replace("{cue}", &surface(&cue.pattern))
                    .replace("{day}", &date);
                let mut chars = sentence.chars();
                let sentence = match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => sentence,
                };
                sentences.push(sentence);
            }
            paragraphs.push(sentences.join(" "));
        }
        let title = match &first_pair {
            Some((source, target)) => format!("{source} and {target}: report {}", doc_idx + 1),
            None => format!("Report {}", doc_idx + 1),
        };
        let line = format!(
            "{{\"id\":{},\"title\":{},\"date\":{},\"outlet\":{},\"text\":{}}}\n",
            json_string(&format!("gen-{:06}", doc_idx + 1)),
            json_string(&title),
            json_string(&date),
            json_string(outlet),
            json_string(&paragraphs.join("\n\n")),
        );
        out.write_all(line.as_bytes())?;
        bytes += line.len() as u64;
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests;

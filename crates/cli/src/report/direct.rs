//! `stance score --format jsonl` lines written straight from a scored document.
//!
//! A line is the JSON of [`DocumentReport`](super::DocumentReport) with its schema tag, byte
//! for byte as serde_json writes it (a test checks it), but written without building the report
//! first. The report would copy every evidence's sentence, and serde_json escapes strings one
//! byte at a time; evidence sentences are most of the output (three bytes out for every byte
//! in), so this writer copies them once and checks them for characters to escape eight bytes at
//! a time. Everything else (floats in particular) still goes through serde_json.

use super::{F4, SCHEMA};

/// Appends the JSONL line of `doc` (with its newline) to `out`.
pub(crate) fn document_line(out: &mut Vec<u8>, doc: &score::ScoredDocument) {
    let mut dyads: Vec<&score::DyadScore> = doc.dyads.iter().collect();
    dyads.sort_by(|a, b| (&a.source, &a.target).cmp(&(&b.source, &b.target)));
    let mut tone: Vec<&score::ToneScore> = doc.tone.iter().collect();
    tone.sort_by(|a, b| a.actor.cmp(&b.actor));

    out.extend_from_slice(b"{\"date\":");
    optional_string(out, doc.date.as_deref());
    out.extend_from_slice(b",\"dyads\":[");
    separated(out, dyads.iter(), |out, dyad| {
        out.push(b'{');
        totals(
            out,
            dyad.conciliatory,
            dyad.cues,
            &dyad.evidence,
            dyad.hawkish,
            dyad.score(),
        );
        out.extend_from_slice(b",\"source\":");
        string(out, &dyad.source);
        out.extend_from_slice(b",\"target\":");
        string(out, &dyad.target);
        out.push(b'}');
    });
    out.extend_from_slice(b"],\"id\":");
    string(out, &doc.id);
    out.extend_from_slice(b",\"matrix\":{");
    // The report's matrix is a map of maps filled from the dyads in their original order, so
    // for a repeated (source, target) pair the last score wins; the dyads are sorted by that
    // pair with a stable sort, so the last of each run of equal pairs is the one to write.
    let mut previous_source: Option<&str> = None;
    for (i, dyad) in dyads.iter().enumerate() {
        if dyads
            .get(i + 1)
            .is_some_and(|next| next.source == dyad.source && next.target == dyad.target)
        {
            continue;
        }
        match previous_source {
            Some(source) if source == dyad.source => out.push(b','),
            Some(_) => out.extend_from_slice(b"},"),
            None => {}
        }
        if previous_source != Some(dyad.source.as_str()) {
            string(out, &dyad.source);
            out.extend_from_slice(b":{");
            previous_source = Some(&dyad.source);
        }
        string(out, &dyad.target);
        out.push(b':');
        float(out, dyad.score());
    }
    if previous_source.is_some() {
        out.push(b'}');
    }
    out.extend_from_slice(b"},\"metadata\":{");
    separated(out, doc.metadata.iter(), |out, (key, value)| {
        string(out, key);
        out.push(b':');
        string(out, value);
    });
    out.extend_from_slice(b"},\"outlet\":");
    optional_string(out, doc.outlet.as_deref());
    out.extend_from_slice(b",\"schema\":");
    string(out, SCHEMA);
    out.extend_from_slice(b",\"sentences\":");
    integer(out, doc.sentences as u64);
    out.extend_from_slice(b",\"title\":");
    optional_string(out, doc.title.as_deref());
    out.extend_from_slice(b",\"tone\":[");
    separated(out, tone.iter(), |out, entry| {
        out.extend_from_slice(b"{\"actor\":");
        string(out, &entry.actor);
        out.push(b',');
        totals(
            out,
            entry.conciliatory,
            entry.cues,
            &entry.evidence,
            entry.hawkish,
            entry.score(),
        );
        out.push(b'}');
    });
    out.extend_from_slice(b"],\"warnings\":[");
    separated(out, doc.warnings.iter(), |out, warning| {
        string(out, warning);
    });
    out.extend_from_slice(b"]}\n");
}

/// The fields a dyad and a tone entry share, in key order: `"conciliatory"` to `"score"`.
fn totals(
    out: &mut Vec<u8>,
    conciliatory: score::Weight,
    cues: u32,
    evidence: &[score::Evidence],
    hawkish: score::Weight,
    score: f64,
) {
    out.extend_from_slice(b"\"conciliatory\":");
    float(out, conciliatory.as_f64());
    out.extend_from_slice(b",\"cues\":");
    integer(out, u64::from(cues));
    out.extend_from_slice(b",\"evidence\":");
    evidence_list(out, evidence);
    out.extend_from_slice(b",\"hawkish\":");
    float(out, hawkish.as_f64());
    out.extend_from_slice(b",\"score\":");
    float(out, score);
}

fn evidence_list(out: &mut Vec<u8>, evidence: &[score::Evidence]) {
    out.push(b'[');
    separated(out, evidence.iter(), |out, item| {
        out.extend_from_slice(b"{\"cue\":");
        string(out, &item.cue);
        out.extend_from_slice(b",\"end\":");
        integer(out, item.end as u64);
        out.extend_from_slice(b",\"modifiers\":[");
        separated(out, &item.modifiers, |out, modifier| string(out, modifier));
        out.extend_from_slice(b"],\"sentence\":");
        integer(out, item.sentence as u64);
        out.extend_from_slice(b",\"stance\":");
        string(out, item.stance.as_str());
        out.extend_from_slice(b",\"start\":");
        integer(out, item.start as u64);
        out.extend_from_slice(b",\"text\":");
        string(out, &item.text);
        out.extend_from_slice(b",\"weight\":");
        float(out, item.weight.as_f64());
        out.push(b'}');
    });
    out.push(b']');
}

/// Writes each item with `item`, a comma between two.
fn separated<T>(
    out: &mut Vec<u8>,
    items: impl IntoIterator<Item = T>,
    mut item: impl FnMut(&mut Vec<u8>, T),
) {
    for (i, value) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, value);
    }
}

fn optional_string(out: &mut Vec<u8>, value: Option<&str>) {
    match value {
        Some(value) => string(out, value),
        None => out.extend_from_slice(b"null"),
    }
}

/// `value` in decimal, as serde_json writes integers; `write!` would go through the
/// formatting machinery for each of the four integers of every evidence.
fn integer(out: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// A float as the report writes it: through [`F4`] and serde_json, so the digits are the same.
fn float(out: &mut Vec<u8>, value: f64) {
    // Serialising a float into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, &F4(value));
}

/// `value` as a JSON string, escaped exactly as serde_json escapes it: `"` and `\` with a
/// backslash, the control characters below 0x20 as `\b`, `\t`, `\n`, `\f`, `\r` or `\u00xx`
/// (lowercase hex), and everything else (DEL and non-ASCII included) as it is.
pub(crate) fn string(out: &mut Vec<u8>, value: &str) {
    let bytes = value.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Eight bytes at a time while none of them needs escaping.
        if let Some(chunk) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes([
                chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
            ]);
            if !needs_escape(word) {
                at += 8;
                continue;
            }
        }
        let byte = bytes[at];
        let short = match byte {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            0x08 => Some(b'b'),
            0x09 => Some(b't'),
            0x0A => Some(b'n'),
            0x0C => Some(b'f'),
            0x0D => Some(b'r'),
            0x00..=0x1F => None,
            _ => {
                at += 1;
                continue;
            }
        };
        out.extend_from_slice(&bytes[copied..at]);
        match short {
            Some(letter) => out.extend_from_slice(&[b'\\', letter]),
            None => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xF)],
                ]);
            }
        }
        at += 1;
        copied = at;
    }
    out.extend_from_slice(&bytes[copied..]);
    out.push(b'"');
}

/// True when one of the eight bytes of `word` is below 0x20, `"` or `\`.
fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte is below 0x20 exactly when subtracting 0x20 borrows into its high bit while the
    // byte's own high bit was clear; the same test on `word ^ byte` finds a byte equal to it.
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let is_quote = quote.wrapping_sub(ONES) & !quote & HIGH;
    let is_backslash = backslash.wrapping_sub(ONES) & !backslash & HIGH;
    below_space | is_quote | is_backslash != 0
}

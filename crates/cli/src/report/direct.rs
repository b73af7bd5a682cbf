//! Document reports written straight from a scored document: the lines of `stance score
//! --format jsonl` and the `documents` elements of the pretty-printed json reports.
//!
//! Both are the JSON of [`DocumentReport`](super::DocumentReport) byte for byte as serde_json
//! writes it (tests check both): a line is compact with the schema tag; an element is
//! pretty-printed without it and re-indented two levels down, as
//! `report::pretty_element` (test builds) writes it, or in the [marked](super::marked)
//! form that expands to those bytes. They are written without building the
//! report first. The report would copy every evidence's sentence, serde_json escapes strings
//! one byte at a time, and the pretty element would be copied once more to indent it; evidence
//! sentences are most of the output, so this writer copies them once and checks them for
//! characters to escape eight bytes at a time. Everything else (floats in particular) still
//! goes through serde_json. One [`Json`] writer lays out both forms, so the document's fields
//! are listed once.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::Arc;

use super::comparison::{
    ContestedDocReport, ContestedReport, CorpusDyadReport, DocScoreReport, MatrixRow,
    TimelineReport,
};
use super::{EvidenceReport, F4, SCHEMA};

/// Appends the JSONL line of `doc` (with its newline) to `out`; the caller reserves room for
/// it ([`size_hint`]).
pub(crate) fn document_line(out: &mut Vec<u8>, doc: &score::ScoredDocument) {
    let mut json = Json::new(out, Layout::Compact, 0);
    document(&mut json, doc, true);
    json.out.push(b'\n');
}

/// Writes `doc` to `to` as [`document_line`] appends it, or as [`document_element`] when
/// `element`, in pieces of about [`DRAIN_AT`] bytes rather than whole: for a document whose
/// report would take megabytes to hold (its evidence sentences make it about three times the
/// size of its text).
pub(crate) fn stream_document(
    to: &mut dyn Write,
    doc: &score::ScoredDocument,
    element: bool,
) -> io::Result<()> {
    let mut out = Vec::with_capacity(DRAIN_AT + (DRAIN_AT >> 2));
    let mut json = if element {
        Json::new(&mut out, Layout::Pretty, 2)
    } else {
        Json::new(&mut out, Layout::Compact, 0)
    };
    json.drain = Some(Drain { to, error: None });
    if element {
        json.newline();
    }
    document(&mut json, doc, !element);
    if !element {
        json.out.push(b'\n');
    }
    json.finish_drain()
}

/// Appends `doc` as an element of the `documents` array of a compact report: the JSON of its
/// report without the schema tag, as `serde_json::to_writer` writes it.
pub(crate) fn document_compact(out: &mut Vec<u8>, doc: &score::ScoredDocument) {
    out.reserve(size_hint(doc, Layout::Compact));
    let mut json = Json::new(out, Layout::Compact, 0);
    document(&mut json, doc, false);
}

/// Appends `doc` as [`document_element`] would, in the [marked](super::marked) form: its
/// first line break and every later one, with its indentation, one byte.
pub(crate) fn document_marked(out: &mut Vec<u8>, doc: &score::ScoredDocument) {
    out.reserve(size_hint(doc, Layout::Marked));
    let mut json = Json::new(out, Layout::Marked, 0);
    json.newline();
    document(&mut json, doc, false);
}

/// Appends `doc` as an element of the `documents` array of a pretty-printed report (two
/// levels down, no schema tag): the bytes of `report::pretty_element` (test builds) with
/// its report and [`indentation`](super::indentation)`(2)`, each line after `\n` and 4 spaces.
/// The caller reserves room for it ([`size_hint`]).
pub(crate) fn document_element(out: &mut Vec<u8>, doc: &score::ScoredDocument) {
    let mut json = Json::new(out, Layout::Pretty, 2);
    json.newline();
    document(&mut json, doc, false);
}

/// About how many bytes `doc`'s report takes, a little more when no string needs escapes,
/// so that its buffer is allocated once: grown as it was written, each document's JSON was
/// copied about twice over by reallocation.
pub(crate) fn size_hint(doc: &score::ScoredDocument, layout: Layout) -> usize {
    // The keys, numbers and punctuation around the strings of an evidence item, a dyad or tone
    // entry (with its matrix cell) and a document, and in a pretty report the indentation of
    // their lines (an evidence item is seven levels deep in a compare report).
    let (item, modifier, entry, base) = match layout {
        Layout::Compact => (120, 3, 130, 180),
        Layout::Pretty => (300, 20, 260, 320),
        Layout::Marked => (140, 4, 150, 210),
    };
    let evidence = |list: &[Arc<score::Evidence>]| -> usize {
        list.iter()
            .map(|e| {
                let modifiers: usize = e.modifiers.iter().map(|m| m.len() + modifier).sum();
                item + e.text.len() + e.cue.len() + modifiers
            })
            .sum()
    };
    let dyads: usize = doc
        .dyads
        .iter()
        .map(|d| entry + 2 * (d.source.len() + d.target.len()) + evidence(&d.evidence))
        .sum();
    let tone: usize = doc
        .tone
        .iter()
        .map(|t| entry + t.actor.len() + evidence(&t.evidence))
        .sum();
    let strings = [&doc.title, &doc.date, &doc.outlet]
        .iter()
        .map(|s| s.as_deref().map_or(0, str::len))
        .sum::<usize>()
        + doc.id.len()
        + doc
            .metadata
            .iter()
            .map(|(k, v)| k.len() + v.len() + modifier + 4)
            .sum::<usize>()
        + doc
            .warnings
            .iter()
            .map(|w| w.len() + modifier)
            .sum::<usize>();
    base + strings + dyads + tone
}

/// A report value the direct writer lays out itself, byte for byte as serde does.
pub(crate) trait Direct {
    fn write(&self, json: &mut Json<'_>);
}

/// Appends `value` as an element of a pretty-printed array `depth` levels down: the bytes
/// `indented_element` writes for it, without serde's calls per field and its string escaping
/// a byte at a time.
pub(crate) fn direct_element(out: &mut Vec<u8>, value: &impl Direct, depth: usize) {
    let mut json = Json::new(out, Layout::Pretty, depth);
    json.newline();
    value.write(&mut json);
}

/// A row of the full similarity matrix.
impl Direct for MatrixRow<'_> {
    fn write(&self, json: &mut Json<'_>) {
        json.out.reserve(self.0.len() * (2 * json.depth + 12) + 4);
        json.array(self.0, |json, &value| json.float(value));
    }
}

impl Direct for DocScoreReport {
    fn write(&self, json: &mut Json<'_>) {
        json.open(b'{');
        json.key("doc");
        json.string(&self.doc);
        json.key("score");
        json.float(self.score.0);
        json.close(b'}');
    }
}

/// One document's top-k neighbours.
impl Direct for Vec<DocScoreReport> {
    fn write(&self, json: &mut Json<'_>) {
        json.array(self, |json, neighbour| neighbour.write(json));
    }
}

impl Direct for EvidenceReport {
    fn write(&self, json: &mut Json<'_>) {
        EvidenceView {
            cue: &self.cue,
            end: self.end,
            modifiers: &self.modifiers,
            sentence: self.sentence,
            stance: &self.stance,
            start: self.start,
            text: &self.text,
            weight: self.weight.0,
        }
        .write(json);
    }
}

/// The members of an evidence item, borrowed from a scored document's `Evidence` or from an
/// `EvidenceReport`, in the order the report writes them.
struct EvidenceView<'a> {
    cue: &'a str,
    end: usize,
    modifiers: &'a [Cow<'static, str>],
    sentence: usize,
    stance: &'a str,
    start: usize,
    text: &'a str,
    weight: f64,
}

impl EvidenceView<'_> {
    fn write(&self, json: &mut Json<'_>) {
        self.write_with(json, None);
    }

    /// Writes the item; the sentence text is copied from `texts` when it was escaped there
    /// before.
    fn write_with(&self, json: &mut Json<'_>, texts: Option<&mut SentenceTexts>) {
        json.open(b'{');
        json.key("cue");
        json.string(self.cue);
        json.key("end");
        json.integer(self.end as u64);
        json.key("modifiers");
        json.array(self.modifiers, |json, modifier| json.string(modifier));
        json.key("sentence");
        json.integer(self.sentence as u64);
        json.key("stance");
        json.string(self.stance);
        json.key("start");
        json.integer(self.start as u64);
        json.key("text");
        match texts {
            Some(texts) => texts.write(json.out, self.sentence, self.text),
            None => json.string(self.text),
        }
        json.key("weight");
        json.float(self.weight);
        json.close(b'}');
    }
}

/// The sentence texts of one document's evidence, escaped once: a sentence is the evidence
/// of every dyad and tone its cue counts for, and its text was escaped again for each (the
/// evidence sentences of the seeds hold 2.6 times the bytes of the distinct ones).
pub(super) struct SentenceTexts {
    /// By sentence number: the text's address and length, and its escaped form's range in
    /// `escaped` (address 0 for none yet).
    seen: Vec<(usize, usize, usize, usize)>,
    escaped: Vec<u8>,
}

impl SentenceTexts {
    /// Sentences past this many are escaped every time, so that the table stays at 1 MiB
    /// whatever a document's sentence count says.
    const MAX_SENTENCES: usize = 1 << 15;

    /// Escaped texts are kept until they fill this many bytes; later sentences are escaped
    /// every time. A document's evidence sentences are usually a fraction of its text, but
    /// kept whole they were 10 MB of a 30 MB document's peak memory.
    const MAX_ESCAPED: usize = 1 << 20;

    /// Room for the texts of a document of `sentences` sentences.
    pub(super) fn new(sentences: usize) -> SentenceTexts {
        SentenceTexts {
            seen: vec![(0, 0, 0, 0); sentences.min(Self::MAX_SENTENCES)],
            escaped: Vec::new(),
        }
    }

    /// Appends `text`, the text of sentence `sentence`, as a JSON string.
    pub(super) fn write(&mut self, out: &mut Vec<u8>, sentence: usize, text: &str) {
        let address = text.as_ptr() as usize;
        let seen = self.seen.get(sentence).copied();
        if let Some((at, len, start, end)) = seen
            && (at, len) == (address, text.len())
        {
            out.extend_from_slice(&self.escaped[start..end]);
            return;
        }
        let from = out.len();
        string(out, text);
        if seen.is_some() && self.escaped.len() + (out.len() - from) <= Self::MAX_ESCAPED {
            let start = self.escaped.len();
            self.escaped.extend_from_slice(&out[from..]);
            self.seen[sentence] = (address, text.len(), start, self.escaped.len());
        }
    }

    /// The bytes of escaped text kept.
    #[cfg(test)]
    pub(super) fn kept(&self) -> usize {
        self.escaped.len()
    }
}

impl Direct for ContestedReport {
    fn write(&self, json: &mut Json<'_>) {
        let side = |json: &mut Json<'_>, docs: &[ContestedDocReport]| {
            json.array(docs, |json, doc| {
                json.open(b'{');
                json.key("doc");
                json.string(&doc.doc);
                json.key("evidence");
                match &doc.evidence {
                    Some(evidence) => evidence.write(json),
                    None => json.out.extend_from_slice(b"null"),
                }
                json.key("score");
                json.float(doc.score.0);
                json.close(b'}');
            });
        };
        json.open(b'{');
        json.key("conciliatory_docs");
        side(json, &self.conciliatory_docs);
        json.key("hawkish_docs");
        side(json, &self.hawkish_docs);
        json.key("measure");
        json.float(self.measure.0);
        json.key("source");
        json.string(&self.source);
        json.key("target");
        json.string(&self.target);
        json.close(b'}');
    }
}

impl Direct for CorpusDyadReport {
    fn write(&self, json: &mut Json<'_>) {
        json.open(b'{');
        json.key("conciliatory");
        json.float(self.conciliatory.0);
        json.key("cues");
        json.integer(self.cues);
        json.key("documents");
        json.integer(self.documents as u64);
        json.key("hawkish");
        json.float(self.hawkish.0);
        json.key("max");
        self.max.write(json);
        json.key("mean");
        json.float(self.mean.0);
        json.key("min");
        self.min.write(json);
        json.key("per_document");
        json.open(b'{');
        for (doc, score) in &self.per_document {
            json.string_key(doc);
            json.float(score.0);
        }
        json.close(b'}');
        json.key("source");
        json.string(&self.source);
        json.key("stdev");
        json.float(self.stdev.0);
        json.key("target");
        json.string(&self.target);
        json.close(b'}');
    }
}

impl Direct for TimelineReport {
    fn write(&self, json: &mut Json<'_>) {
        json.open(b'{');
        json.key("months");
        json.array(&self.months, |json, month| {
            json.open(b'{');
            json.key("documents");
            json.integer(month.documents as u64);
            json.key("mean");
            json.float(month.mean.0);
            json.key("month");
            json.string(&month.month);
            json.close(b'}');
        });
        json.key("points");
        json.array(&self.points, |json, point| {
            json.open(b'{');
            json.key("date");
            json.string(&point.date);
            json.key("doc");
            json.string(&point.doc);
            json.key("score");
            json.float(point.score.0);
            json.close(b'}');
        });
        json.key("source");
        json.string(&self.source);
        json.key("target");
        json.string(&self.target);
        json.key("undated");
        json.integer(self.undated as u64);
        json.close(b'}');
    }
}

/// How a [`Json`] writer lays out its tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// As serde_json's compact formatter.
    Compact,
    /// As serde_json's pretty one: 2 spaces per level, `": "` after keys, `[]` and `{}` for
    /// empty containers.
    Pretty,
    /// Pretty, with each line break and its indentation one [marker](super::marked::marker).
    Marked,
}

/// Writes JSON tokens into `out` in a [`Layout`].
pub(crate) struct Json<'a> {
    out: &'a mut Vec<u8>,
    /// Where `out` is emptied once it holds [`DRAIN_AT`] bytes, between evidence items; none
    /// when the whole report is built in `out`.
    drain: Option<Drain<'a>>,
    layout: Layout,
    /// Containers open around the next token, counting those of the report around the
    /// document; a pretty line is indented by two spaces for each.
    depth: usize,
    /// True from opening a container until its first element or member.
    empty: bool,
}

impl<'a> Json<'a> {
    /// A writer into `out`, laid out as `layout`, `depth` levels down.
    fn new(out: &'a mut Vec<u8>, layout: Layout, depth: usize) -> Json<'a> {
        Json {
            out,
            drain: None,
            layout,
            depth,
            empty: false,
        }
    }

    /// Empties the buffer into the drain, if there is one and the buffer holds [`DRAIN_AT`]
    /// bytes. After a write error nothing more is written; the error is kept for the caller.
    fn drain_if_full(&mut self) {
        if let Some(drain) = &mut self.drain
            && self.out.len() >= DRAIN_AT
        {
            if drain.error.is_none()
                && let Err(error) = drain.to.write_all(self.out)
            {
                drain.error = Some(error);
            }
            self.out.clear();
        }
    }

    /// Writes what is left in the buffer to the drain and gives back the drain's first error.
    fn finish_drain(&mut self) -> io::Result<()> {
        match self.drain.take() {
            None => Ok(()),
            Some(Drain {
                error: Some(error), ..
            }) => Err(error),
            Some(Drain { to, error: None }) => {
                let written = to.write_all(self.out);
                self.out.clear();
                written
            }
        }
    }

    /// `\n` and the indentation of the current depth, when pretty; its marker when marked.
    #[inline(always)]
    fn newline(&mut self) {
        match self.layout {
            Layout::Compact => {}
            Layout::Pretty => {
                // A copy of a constant length, inlined as a few moves, then cut back (or, past
                // 15 levels, padded): cheaper than a push and a `memset` call for each of a
                // matrix's values.
                let end = self.out.len() + 1 + 2 * self.depth;
                self.out.extend_from_slice(&NEWLINE_INDENT);
                self.out.resize(end, b' ');
            }
            Layout::Marked => self.out.push(super::marked::marker(self.depth)),
        }
    }

    /// Opens an object (`b'{'`) or an array (`b'['`).
    fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.depth += 1;
        self.empty = true;
    }

    /// Closes the innermost container with `bracket`, on a line of its own unless it is empty.
    #[inline]
    fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if !self.empty {
            self.newline();
        }
        // The container was a value of the one around it, which is therefore not empty.
        self.empty = false;
        self.out.push(bracket);
    }

    /// Starts an element or member: `,` after a previous one, then its line.
    #[inline]
    fn item(&mut self) {
        if !self.empty {
            self.out.push(b',');
        }
        self.empty = false;
        self.newline();
    }

    /// Starts a member whose key is `key`, which needs no escaping. Inlined, so that each
    /// call copies a literal of known length rather than calling `memcpy` for a few bytes.
    #[inline(always)]
    fn key(&mut self, key: &str) {
        self.item();
        let out = &mut *self.out;
        out.reserve(key.len() + 4);
        out.push(b'"');
        out.extend_from_slice(key.as_bytes());
        if self.layout == Layout::Compact {
            out.extend_from_slice(b"\":");
        } else {
            out.extend_from_slice(b"\": ");
        }
    }

    /// Starts a member whose key is the string `key`, escaped.
    fn string_key(&mut self, key: &str) {
        self.item();
        string(self.out, key);
        self.colon();
    }

    fn colon(&mut self) {
        if self.layout == Layout::Compact {
            self.out.push(b':');
        } else {
            self.out.extend_from_slice(b": ");
        }
    }

    /// An array with an element written by `element` for each item.
    fn array<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut element: impl FnMut(&mut Self, T),
    ) {
        self.open(b'[');
        for item in items {
            self.item();
            element(self, item);
        }
        self.close(b']');
    }

    fn string(&mut self, value: &str) {
        string(self.out, value);
    }

    fn optional_string(&mut self, value: Option<&str>) {
        match value {
            Some(value) => string(self.out, value),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    fn integer(&mut self, value: u64) {
        integer(self.out, value);
    }

    fn float(&mut self, value: f64) {
        float(self.out, value);
    }
}

/// A line break and the indentation of 15 levels: what [`Json::newline`] and
/// [`super::marked::expand`] copy whole for a line break and then cut to its width.
pub(crate) const NEWLINE_INDENT: [u8; 32] = *b"\n                               ";

/// How many bytes a streamed report ([`stream_document`]) holds before writing them out.
pub(crate) const DRAIN_AT: usize = 1 << 16;

/// The writer a streamed report is emptied into, with the first error it returned.
struct Drain<'a> {
    to: &'a mut dyn Write,
    error: Option<io::Error>,
}

/// Writes the report of `doc`, with the schema tag when `schema`.
fn document(json: &mut Json<'_>, doc: &score::ScoredDocument, schema: bool) {
    let mut texts = SentenceTexts::new(doc.sentences);
    let mut dyads: Vec<&score::DyadScore> = doc.dyads.iter().collect();
    dyads.sort_by(|a, b| (&a.source, &a.target).cmp(&(&b.source, &b.target)));
    let mut tone: Vec<&score::ToneScore> = doc.tone.iter().collect();
    tone.sort_by(|a, b| a.actor.cmp(&b.actor));

    json.open(b'{');
    json.key("date");
    json.optional_string(doc.date.as_deref());
    json.key("dyads");
    json.array(&dyads, |json, dyad| {
        json.open(b'{');
        totals(
            json,
            dyad.conciliatory,
            dyad.cues,
            &dyad.evidence,
            dyad.hawkish,
            dyad.score(),
            &mut texts,
        );
        json.key("source");
        json.string(&dyad.source);
        json.key("target");
        json.string(&dyad.target);
        json.close(b'}');
    });
    json.key("id");
    json.string(&doc.id);
    json.key("matrix");
    json.open(b'{');
    // The report's matrix is a map of maps filled from the dyads in their original order, so
    // for a repeated (source, target) pair the last score wins; the dyads are sorted by that
    // pair with a stable sort, so the last of each run of equal pairs is the one to write.
    let mut open_source: Option<&str> = None;
    for (i, dyad) in dyads.iter().enumerate() {
        if dyads
            .get(i + 1)
            .is_some_and(|next| next.source == dyad.source && next.target == dyad.target)
        {
            continue;
        }
        if open_source != Some(dyad.source.as_str()) {
            if open_source.is_some() {
                json.close(b'}');
            }
            json.string_key(&dyad.source);
            json.open(b'{');
            open_source = Some(&dyad.source);
        }
        json.string_key(&dyad.target);
        json.float(dyad.score());
    }
    if open_source.is_some() {
        json.close(b'}');
    }
    json.close(b'}');
    json.key("metadata");
    json.open(b'{');
    for (key, value) in &doc.metadata {
        json.string_key(key);
        json.string(value);
    }
    json.close(b'}');
    json.key("outlet");
    json.optional_string(doc.outlet.as_deref());
    if schema {
        json.key("schema");
        json.string(SCHEMA);
    }
    json.key("sentences");
    json.integer(doc.sentences as u64);
    json.key("title");
    json.optional_string(doc.title.as_deref());
    json.key("tone");
    json.array(&tone, |json, entry| {
        json.open(b'{');
        json.key("actor");
        json.string(&entry.actor);
        totals(
            json,
            entry.conciliatory,
            entry.cues,
            &entry.evidence,
            entry.hawkish,
            entry.score(),
            &mut texts,
        );
        json.close(b'}');
    });
    json.key("warnings");
    json.array(&doc.warnings, |json, warning| json.string(warning));
    json.close(b'}');
}

/// The members a dyad and a tone entry share, in key order: `"conciliatory"` to `"score"`.
fn totals(
    json: &mut Json<'_>,
    conciliatory: score::Weight,
    cues: u32,
    evidence: &[Arc<score::Evidence>],
    hawkish: score::Weight,
    score: f64,
    texts: &mut SentenceTexts,
) {
    json.key("conciliatory");
    json.float(conciliatory.as_f64());
    json.key("cues");
    json.integer(u64::from(cues));
    json.key("evidence");
    json.array(evidence, |json, item| {
        EvidenceView {
            cue: &item.cue,
            end: item.end,
            modifiers: &item.modifiers,
            sentence: item.sentence,
            stance: item.stance.as_str(),
            start: item.start,
            text: &item.text,
            weight: item.weight.as_f64(),
        }
        .write_with(json, Some(texts));
        json.drain_if_full();
    });
    json.key("hawkish");
    json.float(hawkish.as_f64());
    json.key("score");
    json.float(score);
}

/// `value` in decimal, as serde_json writes integers (with the same `itoa`, two digits a
/// step); `write!` would go through the formatting machinery for each of the four integers
/// of every evidence.
fn integer(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// A float as the report writes it ([`F4`]: rounded to 4 decimals, `-0` as `0.0`), with the
/// digits serde_json writes for it.
///
/// The rounded value is the double nearest `k / 10 000` for an integer `k`, and the shortest
/// decimal that reads back as that double is `k / 10 000` itself, trailing zeros dropped (a
/// shorter one would be at least 0.0001 away, far more than the double's spacing below 10⁹).
/// So for `|k| < 10¹³` the digits are written from `k`, as `1.0`, `-0.62` or `0.0005`;
/// anything larger goes through serde_json. A test compares the two for every `k` up to
/// ±10 000 (every similarity and dyad score) and for sampled larger ones.
pub(crate) fn float(out: &mut Vec<u8>, value: f64) {
    // F4 rounds to `k / 10 000` with `k` the nearest integer to `x` (halves away from 0), and
    // writes 0 (and -0, NaN, infinities) as 0.0. `k` reaches 10¹³ from x = 10¹³ - 0.5 on.
    let x = value * 10_000.0;
    if x.is_nan() || x.abs() >= 9_999_999_999_999.5 {
        // NaN, infinite or large. Serialising a float into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, &F4(value));
        return;
    }
    // `x.round()`, which is a call into libm on this target's baseline (a sixth of the
    // instructions of a full similarity matrix's rows): the cast truncates toward 0 and, as
    // |x| < 2⁵², the fraction `x - truncated` is exact.
    let truncated = x as i64;
    let fraction = x - truncated as f64;
    let k = truncated + i64::from(fraction >= 0.5) - i64::from(fraction <= -0.5);
    if k == 0 {
        out.extend_from_slice(b"0.0");
        return;
    }
    if k < 0 {
        out.push(b'-');
    }
    let k = k.unsigned_abs();
    let (whole, fraction) = (k / 10_000, k % 10_000);
    if whole < 10 {
        out.push(b'0' + whole as u8);
    } else {
        integer(out, whole);
    }
    let digits = [
        b'.',
        b'0' + (fraction / 1000) as u8,
        b'0' + (fraction / 100 % 10) as u8,
        b'0' + (fraction / 10 % 10) as u8,
        b'0' + (fraction % 10) as u8,
    ];
    // Trailing zeros dropped, but one digit kept after the point. All five bytes are copied
    // (a fixed-size copy, inlined) and the zeros cut off.
    let zeros = if fraction % 10 != 0 {
        0
    } else if fraction % 100 != 0 {
        1
    } else if fraction % 1000 != 0 {
        2
    } else {
        3
    };
    out.extend_from_slice(&digits);
    out.truncate(out.len() - zeros);
}

/// `value` as a JSON string, escaped exactly as serde_json escapes it: `"` and `\` with a
/// backslash, the control characters below 0x20 as `\b`, `\t`, `\n`, `\f`, `\r` or `\u00xx`
/// (lowercase hex), and everything else (DEL and non-ASCII included) as it is.
pub(crate) fn string(out: &mut Vec<u8>, value: &str) {
    let bytes = value.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Most strings (ids, codes, cue patterns, most sentences) need no escape: they are copied
    // whole once the chunk test finds none, their last few bytes included (short strings
    // went through the byte-by-byte loop below, a branch per byte).
    let Some(first) = first_escape_chunk(bytes) else {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    };
    let mut copied = 0;
    let mut at = first;
    while at < bytes.len() {
        // Eight bytes at a time while none of them needs escaping, then straight to the first
        // that does (news text quotes often, and a quote used to send all eight bytes of its
        // chunk through the byte-by-byte match below).
        if let Some(chunk) = bytes.get(at..at + 8) {
            let word = u64::from_le_bytes([
                chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
            ]);
            let escapes = escape_mask(word);
            if escapes == 0 {
                at += 8;
                continue;
            }
            at += escapes.trailing_zeros() as usize / 8;
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

/// The start of the first eight-byte chunk of `bytes` holding a byte to escape (the last
/// chunk padded with spaces), or none when no byte needs escaping.
fn first_escape_chunk(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    for (index, chunk) in (&mut chunks).enumerate() {
        let word = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        if escape_mask(word) != 0 {
            return Some(index * 8);
        }
    }
    let rest = chunks.remainder();
    let mut last = [b' '; 8];
    last[..rest.len()].copy_from_slice(rest);
    (escape_mask(u64::from_le_bytes(last)) != 0).then(|| bytes.len() - rest.len())
}

/// The high bit of each of the eight bytes of `word` that is below 0x20, `"` or `\`: zero when
/// none is. Exact for the lowest byte flagged (a byte above a flagged one may be flagged
/// wrongly, by a borrow out of it), which is the only one the caller reads.
fn escape_mask(word: u64) -> u64 {
    // The test of `below_space` on `word ^ byte` finds a byte equal to it (below 1).
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let is_quote = quote.wrapping_sub(ONES) & !quote & HIGH;
    let is_backslash = backslash.wrapping_sub(ONES) & !backslash & HIGH;
    below_space(word) | is_quote | is_backslash
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each of the eight bytes of `word` that is below 0x20 (a control byte: JSON
/// escapes them, and the [marked](super::marked) form's line markers are nothing else). Exact
/// for the lowest byte flagged, as [`escape_mask`].
pub(super) fn below_space(word: u64) -> u64 {
    // A byte is below 0x20 exactly when subtracting 0x20 borrows into its high bit while the
    // byte's own high bit was clear.
    word.wrapping_sub(ONES * 0x20) & !word & HIGH
}

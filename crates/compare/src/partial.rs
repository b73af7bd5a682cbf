//! The mergeable partial aggregate: integer totals keyed by (group, source, target).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;
use std::sync::Arc;

use rayon::prelude::*;

use score::{DyadScore, Evidence, ScoredDocument, SentenceText, Stance, Weight};

use crate::model::{
    Aggregate, Contested, ContestedDoc, CorpusDyad, DocScore, Group, Groups, MonthBucket, Options,
    Profile, RoleStance, TimelineDyad, TimelinePoint,
};
use crate::similarity::{DocVector, KeyHash, evidence_weights};

/// Fixed-point units per 1.0, for scores as well as weights.
pub(crate) const SCALE: i64 = Weight::SCALE;

/// A document's dyad takes a side only if its score is at least this far from 0 (0.2).
pub const CONTESTED_MIN_SCORE: Weight = Weight(2_000);

/// A document's dyad takes a side only if its evidence mass (C + H) is at least this (0.3).
///
/// On the built-in lexicon's Goldstein-calibrated scale, 0.3 is one explicit act of approval or
/// disapproval (criticize, protest, praise, summit) or anything stronger, while a lone
/// mention of contact or concern (meet 0.15, visit 0.2, concern 0.2-0.25) does not take a side.
pub const CONTESTED_MIN_EVIDENCE: Weight = Weight(3_000);

/// The key a partial is sparse over: (group, source, target).
type Key = (Option<String>, String, String);

/// A partial aggregate over some documents: a commutative monoid.
///
/// It holds only integers and strings (no floats), in sorted maps, so merging is exact,
/// associative and commutative: `merge(a, merge(b, c)) == merge(merge(a, b), c)` and
/// `merge(a, b) == merge(b, a)`. [`Partial::default`] is the identity. Floats appear only in
/// [`Partial::finalize`]. Its map is keyed by `(group, source, target)`, ready for a
/// `reduceByKey`. Beside the sums (documents, Σw, Σw·s, Σw·s², C, H, cues) each key keeps its
/// per-document observations (id, score, mass, date, strongest evidence per side) as a sorted
/// multiset, since per-document lists, min/max, timelines and contested sides need them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Partial {
    dyads: BTreeMap<Key, DyadTotals>,
    documents: BTreeMap<Option<String>, u64>,
    /// Named groups only: each member document id with its multiplicity.
    members: BTreeMap<(String, String), u64>,
    /// Named groups only: Σ over member documents of each evidence key's weight (the largest
    /// weight of that key within the document), for the similarity between groups.
    evidence: BTreeMap<(String, u64), i64>,
}

/// Integer totals for one (group, source, target).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct DyadTotals {
    /// Number of (document, dyad) observations.
    documents: u64,
    /// Σ w_d, with w_d = C_d + H_d in weight units.
    mass: i128,
    /// Σ w_d · s_d, with s_d the document score in 1/10 000.
    weighted_score: i128,
    /// Σ w_d · s_d².
    weighted_square: i128,
    /// Σ C_d in weight units.
    conciliatory: i64,
    /// Σ H_d in weight units.
    hawkish: i64,
    /// Σ cue occurrences.
    cues: u64,
    /// Every observation, with its multiplicity (ids are normally unique, so 1).
    entries: BTreeMap<DocEntry, u64>,
}

/// One document's view of one dyad. Sorted by document id first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct DocEntry {
    /// The id and date are shared by every observation of one document.
    doc: Arc<str>,
    score: i64,
    mass: i64,
    date: Option<Arc<str>>,
    /// Boxed: most observations have evidence on one side only, and a million observations
    /// are held at once for a large corpus.
    conciliatory: Option<Box<StoredEvidence>>,
    hawkish: Option<Box<StoredEvidence>>,
}

/// [`Evidence`] with a total order, so entries can live in sorted maps.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct StoredEvidence {
    sentence: usize,
    start: usize,
    end: usize,
    cue: Arc<str>,
    stance: Stance,
    weight: Weight,
    modifiers: Box<[Cow<'static, str>]>,
    /// The sentence, a text of its own ([`Detached`]); shared between the corpus and group
    /// keys of one document ([`Partial::of_document`]) and with the evidence of the report.
    text: SentenceText,
}

/// Copies of one document's evidence sentences for the evidence a comparison keeps: the
/// sentence alone, not a range of the document's text, which would keep all of the text as
/// long as the comparison does; one copy per sentence, shared by every dyad it is evidence of.
#[derive(Default)]
struct Detached(std::collections::HashMap<(usize, usize), SentenceText, KeyHash>);

impl Detached {
    /// The copy of `text`, made the first time (a live text is told by its address and length).
    fn text(&mut self, text: &SentenceText) -> SentenceText {
        self.0
            .entry((text.as_ptr() as usize, text.len()))
            .or_insert_with(|| SentenceText::from(text.as_str()))
            .clone()
    }
}

impl StoredEvidence {
    /// `evidence`, with `text` its sentence's text.
    fn from_evidence(evidence: &Evidence, text: SentenceText) -> StoredEvidence {
        StoredEvidence {
            sentence: evidence.sentence,
            start: evidence.start,
            end: evidence.end,
            cue: Arc::clone(&evidence.cue),
            stance: evidence.stance,
            weight: evidence.weight,
            modifiers: evidence.modifiers.clone(),
            text,
        }
    }

    /// Evidence read back from a partial's parts, its text kept as it is: parts are read
    /// from files or made by [`Partial::to_parts`], so each text is a sentence of its own.
    fn read_back(evidence: &Evidence) -> Box<StoredEvidence> {
        Box::new(StoredEvidence::from_evidence(
            evidence,
            evidence.text.clone(),
        ))
    }

    fn to_evidence(&self) -> Evidence {
        Evidence {
            sentence: self.sentence,
            start: self.start,
            end: self.end,
            cue: Arc::clone(&self.cue),
            stance: self.stance,
            weight: self.weight,
            modifiers: self.modifiers.clone(),
            text: self.text.clone(),
        }
    }
}

/// A dyad's score in 1/10 000, from clamped non-negative totals, within [-SCALE, SCALE].
pub(crate) fn score_units(conciliatory: i64, hawkish: i64) -> i64 {
    let score = score::dyad_score(Weight(conciliatory.max(0)), Weight(hawkish.max(0)));
    if score.is_finite() {
        ((score * SCALE as f64).round() as i64).clamp(-SCALE, SCALE)
    } else {
        0
    }
}

/// A dyad's evidence mass C + H, negative weights counted as 0.
pub(crate) fn mass_units(conciliatory: i64, hawkish: i64) -> i64 {
    conciliatory.max(0).saturating_add(hawkish.max(0))
}

/// `n / d` rounded half away from zero; `d` must be positive.
pub(crate) fn div_round(n: i128, d: i128) -> i128 {
    if n >= 0 {
        (n + d / 2) / d
    } else {
        -((-n + d / 2) / d)
    }
}

/// Weighted population variance, in score² (1.0 units), from integer sums.
fn variance(mass: i128, weighted_score: i128, weighted_square: i128) -> f64 {
    if mass <= 0 {
        return 0.0;
    }
    let scale2 = (SCALE as f64) * (SCALE as f64);
    let exact = mass.checked_mul(weighted_square).and_then(|a| {
        weighted_score
            .checked_mul(weighted_score)
            .and_then(|b| a.checked_sub(b))
    });
    let value = match exact {
        Some(numerator) => numerator as f64 / (mass as f64 * mass as f64) / scale2,
        None => {
            let mean = weighted_score as f64 / mass as f64;
            (weighted_square as f64 / mass as f64 - mean * mean) / scale2
        }
    };
    value.max(0.0)
}

/// Weighted mean in 1.0 units.
fn mean(mass: i128, weighted_score: i128) -> f64 {
    if mass <= 0 {
        0.0
    } else {
        weighted_score as f64 / mass as f64 / SCALE as f64
    }
}

/// The evidence of `dyad` with `stance` and the largest weight, ties going to the first in
/// [`StoredEvidence`]'s order (its fields' order, compared here on the borrowed evidence, so
/// that only the one kept is copied).
fn strongest(
    dyad: &DyadScore,
    stance: Stance,
    detached: &mut Detached,
) -> Option<Box<StoredEvidence>> {
    fn order(e: &Evidence) -> (std::cmp::Reverse<Weight>, usize, usize, usize, &str, Stance) {
        (
            std::cmp::Reverse(e.weight),
            e.sentence,
            e.start,
            e.end,
            &*e.cue,
            e.stance,
        )
    }
    dyad.evidence
        .iter()
        .filter(|evidence| evidence.stance == stance)
        .min_by(|a, b| {
            order(a)
                .cmp(&order(b))
                .then_with(|| a.modifiers.cmp(&b.modifiers))
                .then_with(|| a.text.as_str().cmp(b.text.as_str()))
        })
        .map(|evidence| {
            let text = detached.text(&evidence.text);
            Box::new(StoredEvidence::from_evidence(evidence, text))
        })
}

/// One document's dyad before it joins any totals: the counts that are summed and its
/// strongest evidence per side. The document's id and date are held once per document, at
/// index `doc` of [`Observations`]'s table, and its score and mass follow from the counts, so
/// a million observations take 40 bytes each instead of the 88 of an entry with its counts.
#[derive(Debug, Clone)]
struct Observation {
    /// The document's index in the order documents were added.
    doc: u32,
    cues: u32,
    /// C and H in weight units, negative totals counted as 0.
    conciliatory: i64,
    hawkish: i64,
    conciliatory_evidence: Option<Box<StoredEvidence>>,
    hawkish_evidence: Option<Box<StoredEvidence>>,
}

impl Observation {
    /// The observation of `dyad` in document `doc`, its evidence sentences copied through
    /// `detached` (the document's).
    fn of(doc: u32, dyad: &DyadScore, detached: &mut Detached) -> Observation {
        Observation {
            doc,
            cues: dyad.cues,
            conciliatory: dyad.conciliatory.0.max(0),
            hawkish: dyad.hawkish.0.max(0),
            conciliatory_evidence: strongest(dyad, Stance::Conciliatory, detached),
            hawkish_evidence: strongest(dyad, Stance::Hawkish, detached),
        }
    }

    /// This observation's entry, for the document with `id` and `date`, and its counts added to
    /// `totals`.
    fn into_entry(
        self,
        id: &Arc<str>,
        date: Option<&Arc<str>>,
        totals: &mut DyadTotals,
    ) -> DocEntry {
        let entry = DocEntry {
            doc: Arc::clone(id),
            score: score_units(self.conciliatory, self.hawkish),
            mass: mass_units(self.conciliatory, self.hawkish),
            date: date.cloned(),
            conciliatory: self.conciliatory_evidence,
            hawkish: self.hawkish_evidence,
        };
        let w = i128::from(entry.mass);
        let s = i128::from(entry.score);
        totals.documents = totals.documents.saturating_add(1);
        totals.mass = totals.mass.saturating_add(w);
        totals.weighted_score = totals.weighted_score.saturating_add(w * s);
        totals.weighted_square = totals.weighted_square.saturating_add(w * s * s);
        totals.conciliatory = totals.conciliatory.saturating_add(self.conciliatory);
        totals.hawkish = totals.hawkish.saturating_add(self.hawkish);
        totals.cues = totals.cues.saturating_add(u64::from(self.cues));
        entry
    }
}

/// Documents' contributions to a [`Partial`], kept flat: [`Observations::into_partial`] sorts
/// them once and builds every map from sorted items, where merging one small partial per
/// document into a growing one would allocate a map node per observation and then insert
/// each observation again, one at a time.
///
/// Observations are filed under integers, (group, dyad id), with the dyad ids the caller
/// gives ([`Observations::add`]) and names it only at the end: keyed by strings, every
/// observation cost copies of its group and actor codes and a string hash.
#[derive(Debug, Default)]
pub(crate) struct Observations {
    /// Observations by (group, dyad id), in order of arrival; group 0 is the corpus, `g + 1`
    /// is `group_names[g]`.
    dyads: std::collections::HashMap<(u32, u32), Vec<Observation>, KeyHash>,
    /// Each document's id and date, by the index its observations hold.
    ids: Vec<(Arc<str>, Option<Arc<str>>)>,
    /// Group name → its index in `group_names` plus 1.
    groups: std::collections::HashMap<String, u32, KeyHash>,
    group_names: Vec<String>,
    documents: Vec<Option<String>>,
    members: Vec<(String, String)>,
    evidence: Vec<((String, u64), i64)>,
}

/// One document's contributions to [`Observations`], as [`Observations::of_document`] gives
/// them (a flat list: a document's few keys need no map).
#[derive(Debug)]
pub(crate) struct DocumentObservations {
    id: Arc<str>,
    date: Option<Arc<str>>,
    /// One per dyad of the document, in the document's order, with document index 0 until
    /// [`Observations::add`] gives it its own.
    dyads: Vec<Observation>,
    /// The document's group, when grouping.
    group: Option<String>,
    /// (group, document id), when grouping.
    member: Option<(String, String)>,
    evidence: Vec<((String, u64), i64)>,
}

impl Observations {
    /// The contributions of one document, as [`Partial::of_document`] counts them (its
    /// group key shares the corpus key's evidence text).
    pub(crate) fn of_document(
        doc: &ScoredDocument,
        group: Option<&str>,
        evidence: &[(u64, i64)],
    ) -> DocumentObservations {
        let (id, date) = shared_id_and_date(doc);
        let mut detached = Detached::default();
        DocumentObservations {
            id,
            date,
            dyads: doc
                .dyads
                .iter()
                .map(|dyad| Observation::of(0, dyad, &mut detached))
                .collect(),
            group: group.map(str::to_owned),
            member: group.map(|name| (name.to_owned(), doc.id.clone())),
            evidence: group.map_or_else(Vec::new, |name| {
                evidence
                    .iter()
                    .map(|&(key, weight)| ((name.to_owned(), key), weight))
                    .collect()
            }),
        }
    }

    /// Adds one document's contributions, `dyad_ids` giving an id for each of its dyads in
    /// order: the same id for the same (source, target), in this and every other document,
    /// as [`Observations::into_partial`]'s `names` will name it. (The order of observations
    /// within a key does not matter: `into_partial` sorts them.)
    pub(crate) fn add(
        &mut self,
        document: DocumentObservations,
        dyad_ids: impl IntoIterator<Item = u32>,
    ) {
        let DocumentObservations {
            id: doc_id,
            date,
            dyads,
            group,
            member,
            mut evidence,
        } = document;
        let doc = u32::try_from(self.ids.len()).expect("fewer than 2^32 documents");
        self.ids.push((doc_id, date));
        let group_index = group.as_ref().map(|name| match self.groups.get(name) {
            Some(&index) => index,
            None => {
                self.group_names.push(name.clone());
                let index = self.group_names.len() as u32;
                self.groups.insert(name.clone(), index);
                index
            }
        });
        for (mut observation, id) in dyads.into_iter().zip(dyad_ids) {
            observation.doc = doc;
            if let Some(group) = group_index {
                self.dyads
                    .entry((group, id))
                    .or_default()
                    .push(observation.clone());
            }
            self.dyads.entry((0, id)).or_default().push(observation);
        }
        self.documents.push(None);
        if group.is_some() {
            self.documents.push(group);
        }
        self.members.extend(member);
        self.evidence.append(&mut evidence);
    }

    /// The partial of every contribution: the same as merging one partial per document.
    /// `names` gives the (source, target) of each dyad id passed to [`Observations::add`].
    pub(crate) fn into_partial(self, names: &[&(String, String)]) -> Partial {
        let Observations {
            dyads,
            ids,
            groups: _,
            group_names,
            documents,
            members,
            evidence,
        } = self;
        // The keys put in the partial's order first, as small items: collecting the large
        // (key, totals) items unsorted into the map sorted them, copying each many times.
        let group_name = |group: u32| {
            group
                .checked_sub(1)
                .map(|index| group_names[index as usize].as_str())
        };
        let key_order = |(group, id): (u32, u32)| {
            let (source, target) = names[id as usize];
            (group_name(group), source, target)
        };
        let mut runs: Vec<((u32, u32), Vec<Observation>)> = dyads.into_iter().collect();
        runs.par_sort_unstable_by(|a, b| key_order(a.0).cmp(&key_order(b.0)));
        // Each key's observations sorted and totalled in parallel, in that order.
        let dyads: Vec<(Key, DyadTotals)> = runs
            .into_par_iter()
            .map(|((group, id), run)| {
                let mut totals = DyadTotals::default();
                // Sorted, equal entries folded into one with their count, in place.
                let mut entries: Vec<(DocEntry, u64)> = run
                    .into_iter()
                    .map(|observation| {
                        let (id, date) = &ids[observation.doc as usize];
                        (observation.into_entry(id, date.as_ref(), &mut totals), 1)
                    })
                    .collect();
                entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                entries.dedup_by(|next, kept| {
                    let equal = next.0 == kept.0;
                    if equal {
                        kept.1 = kept.1.saturating_add(next.1);
                    }
                    equal
                });
                totals.entries = entries.into_iter().collect();
                let group = group_name(group).map(str::to_owned);
                let (source, target) = names[id as usize].clone();
                ((group, source, target), totals)
            })
            .collect();
        Partial {
            dyads: dyads.into_iter().collect(),
            documents: summed(
                documents.into_iter().map(|group| (group, 1)).collect(),
                u64::saturating_add,
            ),
            members: summed(
                members.into_iter().map(|member| (member, 1)).collect(),
                u64::saturating_add,
            ),
            evidence: summed(evidence, i64::saturating_add),
        }
    }
}

/// A map from (key, value) items, the values of equal keys folded with `add`.
fn summed<K: Ord, V>(mut items: Vec<(K, V)>, add: impl Fn(V, V) -> V) -> BTreeMap<K, V> {
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let mut runs: Vec<(K, V)> = Vec::with_capacity(items.len());
    for (key, value) in items {
        match runs.pop() {
            Some((last, sum)) if last == key => runs.push((last, add(sum, value))),
            Some(last) => {
                runs.push(last);
                runs.push((key, value));
            }
            None => runs.push((key, value)),
        }
    }
    runs.into_iter().collect()
}

/// A document's id and date, to be shared by its observations.
fn shared_id_and_date(doc: &ScoredDocument) -> (Arc<str>, Option<Arc<str>>) {
    (
        Arc::from(doc.id.as_str()),
        doc.date.as_deref().map(Arc::from),
    )
}

impl DyadTotals {
    fn from_dyad(
        id: &Arc<str>,
        date: Option<&Arc<str>>,
        dyad: &DyadScore,
        detached: &mut Detached,
    ) -> DyadTotals {
        let mut totals = DyadTotals::default();
        let entry = Observation::of(0, dyad, detached).into_entry(id, date, &mut totals);
        totals.entries = BTreeMap::from([(entry, 1)]);
        totals
    }

    fn absorb(&mut self, mut other: DyadTotals) {
        self.documents = self.documents.saturating_add(other.documents);
        self.mass = self.mass.saturating_add(other.mass);
        self.weighted_score = self.weighted_score.saturating_add(other.weighted_score);
        self.weighted_square = self.weighted_square.saturating_add(other.weighted_square);
        self.conciliatory = self.conciliatory.saturating_add(other.conciliatory);
        self.hawkish = self.hawkish.saturating_add(other.hawkish);
        self.cues = self.cues.saturating_add(other.cues);
        if self.entries.len() < other.entries.len() {
            std::mem::swap(&mut self.entries, &mut other.entries);
        }
        for (entry, count) in other.entries {
            let slot = self.entries.entry(entry).or_default();
            *slot = slot.saturating_add(count);
        }
    }

    /// The entries, each repeated by its multiplicity, in id order.
    fn observations(&self) -> impl Iterator<Item = &DocEntry> {
        self.entries
            .iter()
            .flat_map(|(entry, &count)| std::iter::repeat_n(entry, count as usize))
    }

    /// A vector with room for one item per observation. The observations' iterator cannot
    /// tell its length, and collecting a dyad's thousands of them doubled and copied the
    /// vector a dozen times, on freshly faulted pages.
    fn per_observation<T>(&self) -> Vec<T> {
        Vec::with_capacity(usize::try_from(self.documents).unwrap_or(0))
    }

    fn corpus_dyad(&self, source: &str, target: &str) -> CorpusDyad {
        let mut per_document: Vec<DocScore> = self.per_observation();
        per_document.extend(self.observations().map(|entry| DocScore {
            doc: Arc::clone(&entry.doc),
            score: units_to_f64(entry.score),
        }));
        let mut min: Option<&DocEntry> = None;
        let mut max: Option<&DocEntry> = None;
        for entry in self.entries.keys() {
            if min.is_none_or(|m| entry.score < m.score) {
                min = Some(entry);
            }
            if max.is_none_or(|m| entry.score > m.score) {
                max = Some(entry);
            }
        }
        let doc_score = |entry: Option<&DocEntry>| match entry {
            Some(entry) => DocScore {
                doc: Arc::clone(&entry.doc),
                score: units_to_f64(entry.score),
            },
            None => DocScore {
                doc: Arc::from(""),
                score: 0.0,
            },
        };
        CorpusDyad {
            source: source.to_owned(),
            target: target.to_owned(),
            mean: mean(self.mass, self.weighted_score),
            stdev: variance(self.mass, self.weighted_score, self.weighted_square).sqrt(),
            documents: self.documents as usize,
            min: doc_score(min),
            max: doc_score(max),
            per_document,
            conciliatory: Weight(self.conciliatory),
            hawkish: Weight(self.hawkish),
            cues: self.cues,
        }
    }

    fn timeline(&self, source: &str, target: &str) -> TimelineDyad {
        let mut points: Vec<(&Arc<str>, &DocEntry)> = self.per_observation();
        let mut undated = 0;
        for entry in self.observations() {
            match &entry.date {
                Some(date) => points.push((date, entry)),
                None => undated += 1,
            }
        }
        // Observations come in id order, and the sort is stable, so ties on date stay by id.
        points.sort_by(|a, b| a.0.cmp(b.0));
        let mut months: BTreeMap<&str, (i128, i128, usize)> = BTreeMap::new();
        for (date, entry) in &points {
            if let Some(month) = month_of(date) {
                let bucket = months.entry(month).or_default();
                bucket.0 += i128::from(entry.mass);
                bucket.1 += i128::from(entry.mass) * i128::from(entry.score);
                bucket.2 += 1;
            }
        }
        TimelineDyad {
            source: source.to_owned(),
            target: target.to_owned(),
            points: points
                .iter()
                .map(|(date, entry)| TimelinePoint {
                    date: Arc::clone(date),
                    doc: Arc::clone(&entry.doc),
                    score: units_to_f64(entry.score),
                })
                .collect(),
            months: months
                .into_iter()
                .map(|(month, (mass, weighted, documents))| MonthBucket {
                    month: month.to_owned(),
                    mean: mean(mass, weighted),
                    documents,
                })
                .collect(),
            undated,
        }
    }

    /// The side items of this dyad: one per document observation.
    fn doc_items(&self) -> Vec<SideItem<'_>> {
        let mut items = self.per_observation();
        items.extend(self.observations().map(|entry| SideItem {
            name: &entry.doc,
            score: entry.score,
            mass: entry.mass,
            conciliatory: entry.conciliatory.as_deref(),
            hawkish: entry.hawkish.as_deref(),
        }));
        items
    }

    /// This dyad's totals as one side item named `name` (for comparing groups).
    fn group_item<'a>(&'a self, name: &'a Arc<str>) -> SideItem<'a> {
        let score = if self.mass > 0 {
            div_round(self.weighted_score, self.mass) as i64
        } else {
            0
        };
        let best = |pick: fn(&DocEntry) -> Option<&StoredEvidence>| {
            self.entries
                .keys()
                .filter_map(|entry| pick(entry).map(|evidence| (&*entry.doc, evidence)))
                .min_by(|a, b| b.1.weight.cmp(&a.1.weight).then_with(|| a.cmp(b)))
                .map(|(_, evidence)| evidence)
        };
        SideItem {
            name,
            score: score.clamp(-SCALE, SCALE),
            mass: i64::try_from(self.mass).unwrap_or(i64::MAX),
            conciliatory: best(|entry| entry.conciliatory.as_deref()),
            hawkish: best(|entry| entry.hawkish.as_deref()),
        }
    }
}

/// A document (or group) that may take a side on a dyad.
struct SideItem<'a> {
    /// Shared, so a side-taking document's [`ContestedDoc`] need not copy it.
    name: &'a Arc<str>,
    score: i64,
    mass: i64,
    conciliatory: Option<&'a StoredEvidence>,
    hawkish: Option<&'a StoredEvidence>,
}

/// The contested entry for a dyad, if items take both sides. Items come sorted by name.
fn contested(source: &str, target: &str, items: &[SideItem<'_>]) -> Option<Contested> {
    let min_score = CONTESTED_MIN_SCORE.0;
    let min_mass = CONTESTED_MIN_EVIDENCE.0;
    let (mut mass, mut weighted, mut square) = (0i128, 0i128, 0i128);
    let (mut conciliatory_mass, mut hawkish_mass) = (0i128, 0i128);
    let mut conciliatory_docs = Vec::new();
    let mut hawkish_docs = Vec::new();
    for item in items {
        let w = i128::from(item.mass);
        let s = i128::from(item.score);
        mass += w;
        weighted += w * s;
        square += w * s * s;
        if item.mass < min_mass {
            continue;
        }
        if item.score >= min_score {
            conciliatory_mass += w;
            conciliatory_docs.push(ContestedDoc {
                doc: Arc::clone(item.name),
                score: units_to_f64(item.score),
                evidence: item.conciliatory.map(StoredEvidence::to_evidence),
            });
        } else if item.score <= -min_score {
            hawkish_mass += w;
            hawkish_docs.push(ContestedDoc {
                doc: Arc::clone(item.name),
                score: units_to_f64(item.score),
                evidence: item.hawkish.map(StoredEvidence::to_evidence),
            });
        }
    }
    if conciliatory_docs.is_empty() || hawkish_docs.is_empty() {
        return None;
    }
    let weaker = conciliatory_mass.min(hawkish_mass) as f64 / SCALE as f64;
    Some(Contested {
        source: source.to_owned(),
        target: target.to_owned(),
        measure: variance(mass, weighted, square) * weaker,
        conciliatory_docs,
        hawkish_docs,
    })
}

/// Sorts contested dyads by decreasing measure, then (source, target).
pub(crate) fn sort_contested(contested: &mut [Contested]) {
    contested.sort_by(|a, b| {
        b.measure
            .total_cmp(&a.measure)
            .then_with(|| (&a.source, &a.target).cmp(&(&b.source, &b.target)))
    });
}

fn units_to_f64(units: i64) -> f64 {
    units as f64 / SCALE as f64
}

/// The `YYYY-MM` prefix of a date, if it has one.
pub(crate) fn month_of(date: &str) -> Option<&str> {
    let month = date.get(0..7)?;
    let bytes = month.as_bytes();
    let valid = bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..].iter().all(u8::is_ascii_digit);
    valid.then_some(month)
}

#[derive(Default)]
struct RoleTotals<'a> {
    mass: i128,
    weighted: i128,
    counterparts: std::collections::BTreeSet<&'a str>,
    observations: u64,
}

impl RoleTotals<'_> {
    fn stance(&self) -> RoleStance {
        RoleStance {
            mean: mean(self.mass, self.weighted),
            dyads: self.counterparts.len(),
            observations: self.observations as usize,
        }
    }
}

fn profiles<'a>(dyads: &[(&'a str, &'a str, &'a DyadTotals)]) -> Vec<Profile> {
    let mut roles: BTreeMap<&str, (RoleTotals<'a>, RoleTotals<'a>)> = BTreeMap::new();
    for &(source, target, totals) in dyads {
        for (actor, counterpart, as_source) in [(source, target, true), (target, source, false)] {
            let entry = roles.entry(actor).or_default();
            let role = if as_source {
                &mut entry.0
            } else {
                &mut entry.1
            };
            role.mass += totals.mass;
            role.weighted += totals.weighted_score;
            role.counterparts.insert(counterpart);
            role.observations += totals.documents;
        }
    }
    roles
        .into_iter()
        .map(|(actor, (as_source, as_target))| Profile {
            actor: actor.to_owned(),
            as_source: as_source.stance(),
            as_target: as_target.stance(),
        })
        .collect()
}

impl Partial {
    /// The partial of one document under the corpus key and, when `group` is given, under that
    /// group too: `from_document(doc, None).merge(from_document(doc, group))`, but both keys
    /// share one copy of each evidence sentence.
    pub fn of_document(doc: &ScoredDocument, group: Option<&str>) -> Partial {
        let corpus = Partial::corpus_of(doc);
        match group {
            Some(name) => {
                let evidence: Vec<(u64, i64)> = evidence_weights(doc).into_iter().collect();
                let grouped = corpus.regrouped(doc, name, &evidence);
                corpus.merge(grouped)
            }
            None => corpus,
        }
    }

    /// The partial of one document, under `group` (`None` for the whole corpus).
    pub fn from_document(doc: &ScoredDocument, group: Option<&str>) -> Partial {
        let corpus = Partial::corpus_of(doc);
        match group {
            Some(name) => {
                let evidence: Vec<(u64, i64)> = evidence_weights(doc).into_iter().collect();
                corpus.regrouped(doc, name, &evidence)
            }
            None => corpus,
        }
    }

    /// The partial of one document under the corpus key.
    fn corpus_of(doc: &ScoredDocument) -> Partial {
        let mut partial = Partial::default();
        partial.documents.insert(None, 1);
        let (id, date) = shared_id_and_date(doc);
        let mut detached = Detached::default();
        for dyad in &doc.dyads {
            let key = (None, dyad.source.clone(), dyad.target.clone());
            let totals = DyadTotals::from_dyad(&id, date.as_ref(), dyad, &mut detached);
            match partial.dyads.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(totals);
                }
                Entry::Occupied(mut slot) => slot.get_mut().absorb(totals),
            }
        }
        partial
    }

    /// The corpus-key partial `self` of `doc` moved under group `name`, with the group's
    /// member and evidence weights; the totals are cloned, so evidence text is shared.
    fn regrouped(&self, doc: &ScoredDocument, name: &str, evidence: &[(u64, i64)]) -> Partial {
        Partial {
            dyads: self
                .dyads
                .iter()
                .map(|((_, source, target), totals)| {
                    let key = (Some(name.to_owned()), source.clone(), target.clone());
                    (key, totals.clone())
                })
                .collect(),
            documents: BTreeMap::from([(Some(name.to_owned()), 1)]),
            members: BTreeMap::from([((name.to_owned(), doc.id.clone()), 1)]),
            evidence: evidence
                .iter()
                .map(|&(key, weight)| ((name.to_owned(), key), weight))
                .collect(),
        }
    }

    /// Drops the totals on every worker: dropping them is mostly freeing each observation,
    /// millions of small allocations in a large corpus.
    pub(crate) fn drop_in_parallel(self) {
        self.dyads.into_par_iter().for_each(drop);
    }

    /// Merges two partials. Exact, associative and commutative.
    pub fn merge(mut self, mut other: Partial) -> Partial {
        if self.dyads.len() < other.dyads.len() {
            std::mem::swap(&mut self, &mut other);
        }
        for (key, totals) in other.dyads {
            match self.dyads.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(totals);
                }
                Entry::Occupied(mut slot) => slot.get_mut().absorb(totals),
            }
        }
        for (group, count) in other.documents {
            let slot = self.documents.entry(group).or_default();
            *slot = slot.saturating_add(count);
        }
        for (member, count) in other.members {
            let slot = self.members.entry(member).or_default();
            *slot = slot.saturating_add(count);
        }
        for (key, weight) in other.evidence {
            let slot = self.evidence.entry(key).or_default();
            *slot = slot.saturating_add(weight);
        }
        self
    }

    /// Turns the integer totals into results, one [`Aggregate`] per group key (`None` first,
    /// then groups by name). The only place floats appear (with [`Partial::groups`]).
    pub fn finalize(&self) -> Vec<Aggregate> {
        self.finalize_where(|_| true)
    }

    /// [`Partial::finalize`] for the group keys `keep` accepts.
    pub(crate) fn finalize_where(&self, keep: impl Fn(Option<&str>) -> bool) -> Vec<Aggregate> {
        let mut by_group: BTreeMap<&Option<String>, Vec<(&str, &str, &DyadTotals)>> =
            BTreeMap::new();
        for group in self.documents.keys().filter(|g| keep(g.as_deref())) {
            by_group.entry(group).or_default();
        }
        let kept = self
            .dyads
            .iter()
            .filter(|((g, _, _), _)| keep(g.as_deref()));
        for ((group, source, target), totals) in kept {
            by_group
                .entry(group)
                .or_default()
                .push((source, target, totals));
        }
        by_group
            .into_iter()
            .map(|(group, dyads)| {
                // Dyad by dyad in parallel; an indexed collect keeps the dyads' order.
                let mut contested_dyads: Vec<Contested> = dyads
                    .par_iter()
                    .filter_map(|(source, target, totals)| {
                        contested(source, target, &totals.doc_items())
                    })
                    .collect();
                sort_contested(&mut contested_dyads);
                Aggregate {
                    group: group.clone(),
                    documents: self.documents.get(group).copied().unwrap_or(0),
                    corpus: dyads
                        .par_iter()
                        .map(|(source, target, totals)| totals.corpus_dyad(source, target))
                        .collect(),
                    contested: contested_dyads,
                    timeline: dyads
                        .par_iter()
                        .map(|(source, target, totals)| totals.timeline(source, target))
                        .collect(),
                    profiles: profiles(&dyads),
                }
            })
            .collect()
    }

    /// The comparison of the named groups (keys `Some(name)`), as [`crate::compare`] reports
    /// it under `field`: each group's members, matrix, contested dyads and profiles, the dyads
    /// contested between groups, and the similarity of the groups (full below
    /// `options.full_similarity_max_docs` groups, top-k above). Everything comes from the
    /// integer totals, so a merged partial gives the same groups as one run over the corpus.
    pub fn groups(&self, field: &str, options: &Options) -> Groups {
        let mut members: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for ((group, doc), &count) in &self.members {
            let list = members.entry(group).or_default();
            list.extend(std::iter::repeat_n(doc.clone(), count as usize));
        }
        let aggregates = self.finalize_where(|group| group.is_some());
        let names: Vec<&str> = aggregates
            .iter()
            .filter_map(|aggregate| aggregate.group.as_deref())
            .collect();
        let vectors = self.group_vectors(&names);
        let similarity = crate::similarity_of(&vectors, &names, options);
        let groups = aggregates
            .into_iter()
            .filter_map(|aggregate| {
                let name = aggregate.group?;
                Some(Group {
                    documents: members.remove(name.as_str()).unwrap_or_default(),
                    name,
                    corpus: aggregate.corpus,
                    contested: aggregate.contested,
                    profiles: aggregate.profiles,
                })
            })
            .collect();
        Groups {
            field: field.to_owned(),
            groups,
            contested: self.contested_between_groups(),
            similarity,
        }
    }

    /// Each named group's vector: per dyad the evidence-weighted mean score and total mass, per
    /// evidence key the summed weight. Dyad ids only need to be the same for every group.
    fn group_vectors(&self, names: &[&str]) -> Vec<DocVector> {
        let mut dyad_ids: BTreeMap<(&str, &str), u32> = BTreeMap::new();
        for (_, source, target) in self.dyads.keys() {
            let next = dyad_ids.len() as u32;
            dyad_ids.entry((source, target)).or_insert(next);
        }
        let index: BTreeMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let mut dyads: Vec<Vec<(u32, i64, i64)>> = vec![Vec::new(); names.len()];
        for ((group, source, target), totals) in &self.dyads {
            let Some(&slot) = group.as_deref().and_then(|g| index.get(g)) else {
                continue;
            };
            let score = if totals.mass > 0 {
                div_round(totals.weighted_score, totals.mass) as i64
            } else {
                0
            };
            let mass = i64::try_from(totals.mass).unwrap_or(i64::MAX);
            dyads[slot].push((dyad_ids[&(source.as_str(), target.as_str())], score, mass));
        }
        let mut evidence: Vec<Vec<(u64, i64)>> = vec![Vec::new(); names.len()];
        for ((group, key), &weight) in &self.evidence {
            if let Some(&slot) = index.get(group.as_str()) {
                evidence[slot].push((*key, weight));
            }
        }
        dyads
            .into_iter()
            .zip(evidence)
            .map(|(mut dyads, evidence)| {
                dyads.sort_unstable();
                DocVector::from_parts(dyads, evidence)
            })
            .collect()
    }

    /// Dyads contested between the named groups (keys `Some(name)`): each group counts as one
    /// item whose score is its weighted mean and whose mass is its total evidence.
    pub(crate) fn contested_between_groups(&self) -> Vec<Contested> {
        // One shared name per group, for the groups' side items to lend out.
        let mut names: BTreeMap<&str, Arc<str>> = BTreeMap::new();
        for (group, _, _) in self.dyads.keys() {
            if let Some(name) = group {
                names
                    .entry(name)
                    .or_insert_with(|| Arc::from(name.as_str()));
            }
        }
        let mut by_dyad: BTreeMap<(&str, &str), Vec<SideItem<'_>>> = BTreeMap::new();
        for ((group, source, target), totals) in &self.dyads {
            if let Some(name) = group {
                by_dyad
                    .entry((source, target))
                    .or_default()
                    .push(totals.group_item(&names[name.as_str()]));
            }
        }
        let mut result: Vec<Contested> = by_dyad
            .iter()
            .filter_map(|((source, target), items)| contested(source, target, items))
            .collect();
        sort_contested(&mut result);
        result
    }
}

mod parts;

pub use parts::{PartialObservation, PartialParts, PartialRow};

#[cfg(test)]
mod tests;

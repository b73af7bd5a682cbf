//! From cue to directed dyad: clauses, modifiers, sources and targets, without a parser.
//!
//! Each rule is a small function over the token list of one sentence. The rules are ordered by
//! how specific they are: a by-agent or a possessive attached to the cue beats the nearest
//! subject; a marked target (toward, against, with …) beats a bare object.

use crate::matcher::Hit;
use crate::model::{Stance, Weight};
use crate::token::{HYPHENATED, Kind, SKIPPED, Token};

#[cfg(test)]
mod tests;

/// One attributed cue occurrence, before it is filed under its dyads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Attribution {
    /// Token span of the cue (the whole chain, when cues were merged).
    pub(crate) first: usize,
    pub(crate) last: usize,
    /// Index of the cue that decided the stance.
    pub(crate) cue: u32,
    pub(crate) stance: Stance,
    pub(crate) weight: Weight,
    pub(crate) modifiers: Vec<&'static str>,
    /// Directed dyads as (source actor, target actor).
    pub(crate) dyads: Vec<(u32, u32)>,
    /// Actors whose tone this is, when no target was found.
    pub(crate) tone: Vec<u32>,
}

/// What the attribution needs to know about a cue from the lexicon.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CueInfo {
    pub(crate) stance: Stance,
    pub(crate) weight: Weight,
    pub(crate) symmetric: bool,
    /// A protest (CAMEO 14): with no named target it is aimed at the protesters' own state.
    pub(crate) protest: bool,
}

/// Who the pronouns of the next sentence can refer to.
#[derive(Debug, Default, Clone)]
pub(crate) struct Discourse {
    /// The last actor seen as a subject or source.
    last_subject: Option<u32>,
    /// Distinct actors in order of last mention (most recent last), at most a few.
    recent: Vec<u32>,
}

impl Discourse {
    fn note(&mut self, actor: u32) {
        self.recent.retain(|&a| a != actor);
        self.recent.push(actor);
        if self.recent.len() > 6 {
            self.recent.remove(0);
        }
    }

    fn pair(&self) -> Option<(u32, u32)> {
        let n = self.recent.len();
        (n >= 2).then(|| (self.recent[n - 2], self.recent[n - 1]))
    }
}

/// The sentence being attributed.
struct Sentence<'a> {
    text: &'a str,
    tokens: &'a [Token],
    /// Token range of the sentence.
    start: usize,
    end: usize,
    /// What the analysis found, in vectors reused from one sentence to the next.
    v: SentenceVectors,
}

/// A sentence's vectors; between sentences they wait empty in [`SentenceWork`].
#[derive(Debug, Default)]
struct SentenceVectors {
    /// Merged actor mentions, in order.
    mentions: Vec<Mention>,
    /// For each token: one bit per word list in [`CLASS_LISTS`] that contains it.
    classes: Vec<u64>,
    /// For each token of the sentence: the mention index covering it, if any.
    mention_at: Vec<Option<usize>>,
    /// For each token: the clause index.
    clause_of: Vec<usize>,
    clauses: Vec<Clause>,
    /// For each token: true inside a cue.
    cue_at: Vec<bool>,
    /// For each mention: the preposition governing it ([`Sentence::governor`]).
    governors: Vec<Option<usize>>,
}

impl SentenceVectors {
    /// Empties every vector, keeping its allocation.
    fn clear(&mut self) {
        self.mentions.clear();
        self.classes.clear();
        self.mention_at.clear();
        self.clause_of.clear();
        self.clauses.clear();
        self.cue_at.clear();
        self.governors.clear();
    }
}

#[derive(Debug, Clone, Copy)]
struct Mention {
    /// The actor, with [`DOMESTIC`] set for an unnamed domestic group.
    actor: u32,
    first: usize,
    last: usize,
}

/// The word lists answered by bitmask in [`Sentence::in_class`]; at most 64.
static CLASS_LISTS: &[&[&str]] = &[
    DOMESTIC_GROUPS,
    TARGET_PREPOSITIONS,
    OTHER_PREPOSITIONS,
    BE_FORMS,
    NEGATORS,
    REVERSERS,
    BACKGROUND,
    HEDGES,
    INTENT,
    INTENSIFIERS,
    DAMPENERS,
    CONCESSIVE_OPENERS,
    CONTRASTIVE,
    CONDITIONAL_OPENERS,
    SINGULAR_PRONOUNS,
    PLURAL_PRONOUNS,
    PAIR_NOUNS,
    TITLES,
    AGENT_NOUNS,
    AGENT_PARTICIPLES,
    ANTI_PREFIXES,
    AGENT_NOUN_PREPOSITIONS,
    AND_OR,
    NOT_ADJECTIVES,
    IF_UNLESS,
    CONDITION_JOINERS,
    LOCATIVE_PREPOSITIONS,
    LOOSE_TARGET_PREPOSITIONS,
    SOURCE_PREPOSITIONS,
    MUST,
    ADJECTIVAL_PREPOSITIONS,
    RULE_FORMS,
    OUT,
    BY,
    AND_AMPERSAND,
    AND_OR_AMPERSAND,
    TO,
    OF,
    FROM,
    RELATIVE_PRONOUNS,
    NOT_ATTACHED,
    STATE_NOUNS,
    PAIR_COUNTS,
    SUBJECT_CONTINUERS,
    CLAUSE_JOINERS,
    OF_IN_FOR,
    BETWEEN,
    IN,
    OF_FOR,
    GRIEVANCE_PREPOSITIONS,
    COMMA,
    PERIOD,
    SEMICOLON,
    COLON,
    CLAUSE_BOUNDARIES,
    EN_DASH,
];

/// The bit of each list of [`CLASS_LISTS`] (`1 << its index`), for [`Sentence::in_class`].
mod class {
    pub(super) const DOMESTIC_GROUPS: u64 = 1 << 0;
    pub(super) const TARGET_PREPOSITIONS: u64 = 1 << 1;
    pub(super) const OTHER_PREPOSITIONS: u64 = 1 << 2;
    pub(super) const BE_FORMS: u64 = 1 << 3;
    pub(super) const NEGATORS: u64 = 1 << 4;
    pub(super) const REVERSERS: u64 = 1 << 5;
    pub(super) const BACKGROUND: u64 = 1 << 6;
    pub(super) const HEDGES: u64 = 1 << 7;
    pub(super) const INTENT: u64 = 1 << 8;
    pub(super) const INTENSIFIERS: u64 = 1 << 9;
    pub(super) const DAMPENERS: u64 = 1 << 10;
    pub(super) const CONCESSIVE_OPENERS: u64 = 1 << 11;
    pub(super) const CONTRASTIVE: u64 = 1 << 12;
    pub(super) const CONDITIONAL_OPENERS: u64 = 1 << 13;
    pub(super) const SINGULAR_PRONOUNS: u64 = 1 << 14;
    pub(super) const PLURAL_PRONOUNS: u64 = 1 << 15;
    pub(super) const PAIR_NOUNS: u64 = 1 << 16;
    pub(super) const TITLES: u64 = 1 << 17;
    pub(super) const AGENT_NOUNS: u64 = 1 << 18;
    pub(super) const AGENT_PARTICIPLES: u64 = 1 << 19;
    pub(super) const ANTI_PREFIXES: u64 = 1 << 20;
    pub(super) const AGENT_NOUN_PREPOSITIONS: u64 = 1 << 21;
    pub(super) const AND_OR: u64 = 1 << 22;
    pub(super) const NOT_ADJECTIVES: u64 = 1 << 23;
    pub(super) const IF_UNLESS: u64 = 1 << 24;
    pub(super) const CONDITION_JOINERS: u64 = 1 << 25;
    pub(super) const LOCATIVE_PREPOSITIONS: u64 = 1 << 26;
    pub(super) const LOOSE_TARGET_PREPOSITIONS: u64 = 1 << 27;
    pub(super) const SOURCE_PREPOSITIONS: u64 = 1 << 28;
    pub(super) const MUST: u64 = 1 << 29;
    pub(super) const ADJECTIVAL_PREPOSITIONS: u64 = 1 << 30;
    pub(super) const RULE_FORMS: u64 = 1 << 31;
    pub(super) const OUT: u64 = 1 << 32;
    pub(super) const BY: u64 = 1 << 33;
    pub(super) const AND_AMPERSAND: u64 = 1 << 34;
    pub(super) const AND_OR_AMPERSAND: u64 = 1 << 35;
    pub(super) const TO: u64 = 1 << 36;
    pub(super) const OF: u64 = 1 << 37;
    pub(super) const FROM: u64 = 1 << 38;
    pub(super) const RELATIVE_PRONOUNS: u64 = 1 << 39;
    pub(super) const NOT_ATTACHED: u64 = 1 << 40;
    pub(super) const STATE_NOUNS: u64 = 1 << 41;
    pub(super) const PAIR_COUNTS: u64 = 1 << 42;
    pub(super) const SUBJECT_CONTINUERS: u64 = 1 << 43;
    pub(super) const CLAUSE_JOINERS: u64 = 1 << 44;
    pub(super) const OF_IN_FOR: u64 = 1 << 45;
    pub(super) const BETWEEN: u64 = 1 << 46;
    pub(super) const IN: u64 = 1 << 47;
    pub(super) const OF_FOR: u64 = 1 << 48;
    pub(super) const GRIEVANCE_PREPOSITIONS: u64 = 1 << 49;
    pub(super) const COMMA: u64 = 1 << 50;
    pub(super) const PERIOD: u64 = 1 << 51;
    pub(super) const SEMICOLON: u64 = 1 << 52;
    pub(super) const COLON: u64 = 1 << 53;
    pub(super) const CLAUSE_BOUNDARIES: u64 = 1 << 54;
    pub(super) const EN_DASH: u64 = 1 << 55;
}

/// The bit of the list of [`CLASS_LISTS`] with exactly these words, or `None` when no list or
/// more than one has them (by content: a copy of a static list need not keep its address).
#[cfg(test)]
fn class_bit(words: &[&str]) -> Option<u64> {
    let mut matching = CLASS_LISTS
        .iter()
        .enumerate()
        .filter(|(_, list)| **list == words);
    match (matching.next(), matching.next()) {
        (Some((i, _)), None) => Some(1 << i),
        _ => None,
    }
}

/// Hashes a packed word ([`pack_lower`]) with one multiplication: the table's keys are a few
/// hundred short words, so a simple hash beats SipHash, and a key of two integers needs no
/// byte loop.
#[derive(Default)]
struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u128(&mut self, value: u128) {
        let folded = (value as u64) ^ ((value >> 64) as u64).rotate_left(29);
        let product = (self.0 ^ folded).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        // hashbrown takes its control bits from the top of the hash and its bucket from the
        // bottom: fold the well-mixed high half down.
        self.0 = product ^ (product >> 32);
    }
}

/// Packed lowercase word ([`pack_lower`]) -> bits of the lists containing it.
type WordTable = std::collections::HashMap<u128, u64, std::hash::BuildHasherDefault<WordHasher>>;

/// The class bits of every word of the [`CLASS_LISTS`], and those of a contracted negation.
struct ClassTable {
    words: WordTable,
    /// A filter in front of `words`: for each [`shape_of`] of a word's first and last bytes, the
    /// lengths (bit `len - 1`) of the list words of that shape. Packing and looking up a token
    /// cost more than the rest of its classes; half the tokens of news text have a shape and
    /// length no list word has, and skip both.
    lengths: Box<[u16; 1024]>,
    /// The bits of the lists that contain "not": `n't` is in exactly those.
    negation: u64,
}

/// The longest word [`word_classes`] looks up: it fits one `u128`.
const CLASS_WORD_MAX: usize = 16;

/// The bytes of a word of at most [`CLASS_WORD_MAX`] bytes, ASCII-lowercased, as one integer
/// (zero bytes after the word). Words never contain a zero byte, so two words pack equal
/// exactly when their lowercased bytes are equal, and the lookup compares one integer instead
/// of calling `memcmp`.
fn pack_lower(word: &[u8]) -> u128 {
    let mut buffer = [0u8; CLASS_WORD_MAX];
    for (packed, &byte) in buffer.iter_mut().zip(word) {
        *packed = byte.to_ascii_lowercase();
    }
    u128::from_le_bytes(buffer)
}

/// The index into [`ClassTable::lengths`] of a word from its first and last bytes. It keeps the
/// five low bits of each byte, which ASCII case does not change (case is bit 5), so a token
/// and the list word it equals ASCII case-insensitively always have the same shape.
#[inline(always)]
fn shape_of(first: u8, last: u8) -> usize {
    usize::from(first & 31) << 5 | usize::from(last & 31)
}

/// Built once.
fn class_table() -> &'static ClassTable {
    static TABLE: std::sync::OnceLock<ClassTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut words = WordTable::default();
        let mut lengths = Box::new([0u16; 1024]);
        for (key, bits) in class_words() {
            if let (Some(&first), Some(&last)) = (key.as_bytes().first(), key.as_bytes().last()) {
                lengths[shape_of(first, last)] |= 1 << (key.len() - 1);
            }
            words.insert(pack_lower(key.as_bytes()), bits);
        }
        let negation = CLASS_LISTS
            .iter()
            .enumerate()
            .filter(|(_, list)| list.contains(&"not"))
            .fold(0, |bits, (i, _)| bits | 1 << i);
        ClassTable {
            words,
            lengths,
            negation,
        }
    })
}

/// Every word of the [`CLASS_LISTS`] that [`word_classes`] can find, lowercased, with the bits
/// of the lists holding it, in byte order. A longer word than [`CLASS_WORD_MAX`] is never
/// looked up, and one with a zero byte would not pack apart.
fn class_words() -> std::collections::BTreeMap<String, u64> {
    let mut words = std::collections::BTreeMap::new();
    for (i, list) in CLASS_LISTS.iter().enumerate() {
        for word in list.iter() {
            let key = word.to_lowercase();
            if key.len() <= CLASS_WORD_MAX && !key.contains('\0') {
                *words.entry(key).or_insert(0) |= 1u64 << i;
            }
        }
    }
    words
}

/// Every ASCII word of the [`CLASS_LISTS`] that [`word_classes`] looks up, lowercased, with
/// its class bits, in byte order: the matcher's word trie finds them while it walks a token
/// ([`crate::matcher::Matcher::scan`]), so that an ASCII token's classes cost no lookup of
/// their own.
pub(crate) fn ascii_class_words() -> Vec<(String, u64)> {
    // Only an ASCII token's classes come from the walk.
    class_words()
        .into_iter()
        .filter(|(word, _)| word.is_ascii() && !word.is_empty())
        .collect()
}

/// [`pack_lower`] of the `len` bytes at `start` (`1..=CLASS_WORD_MAX` of them), reading 16
/// bytes at once when the text has them and lowercasing all of them together.
fn pack_lower_at(bytes: &[u8], start: usize, len: usize) -> u128 {
    let Some(chunk) = bytes.get(start..start + CLASS_WORD_MAX) else {
        return pack_lower(&bytes[start..start + len]);
    };
    let mut buffer = [0u8; CLASS_WORD_MAX];
    buffer.copy_from_slice(chunk);
    let mask = u128::MAX >> (8 * (CLASS_WORD_MAX - len));
    let word = u128::from_le_bytes(buffer) & mask;
    // `u8::to_ascii_lowercase` on every byte: set 0x20 on the bytes in `A..=Z`. Each test adds
    // to the low seven bits of a byte and reads its top bit, so no carry crosses bytes.
    const ONES: u128 = u128::MAX / 0xFF;
    let low7 = word & (ONES * 0x7F);
    let at_least_a = low7 + ONES * u128::from(0x80 - b'A');
    let above_z = low7 + ONES * u128::from(0x80 - b'Z' - 1);
    let upper = at_least_a & !above_z & !word & (ONES * 0x80);
    word | (upper >> 2)
}

/// The class bits of one token: those of the lists holding its text (ASCII case-insensitive),
/// whatever its kind, since a list may hold punctuation ("&"); for the negation `n't`, those of
/// the lists holding "not".
pub(crate) fn word_classes(text: &str, token: Token) -> u64 {
    let table = class_table();
    if token.kind == Kind::Negation {
        return table.negation;
    }
    let len = (token.end - token.start) as usize;
    if len > CLASS_WORD_MAX || len == 0 {
        return 0;
    }
    let (bytes, start) = (text.as_bytes(), token.start as usize);
    let shape = shape_of(bytes[start], bytes[start + len - 1]);
    if table.lengths[shape] >> (len - 1) & 1 == 0 {
        return 0;
    }
    let key = pack_lower_at(bytes, start, len);
    table.words.get(&key).copied().unwrap_or(0)
}

/// Marks an actor found through an unnamed domestic group ("protesters", "the police"): such a
/// mention stands for its host state and may form a same-state dyad with it.
pub(crate) const DOMESTIC: u32 = 1 << 31;

/// Nouns for groups inside a state. With a demonym ("Egyptian police") they are part of that
/// mention; bare, they stand for the state the sentence is about.
static DOMESTIC_GROUPS: &[&str] = &[
    "protesters",
    "protestors",
    "demonstrators",
    "rebels",
    "insurgents",
    "militants",
    "separatists",
    "guerrillas",
    "guerillas",
    "dissidents",
    "opposition",
    "activists",
    "strikers",
    "rioters",
    "students",
    "workers",
    "villagers",
    "civilians",
    "refugees",
    "police",
    "policemen",
    "soldiers",
    "troops",
    "army",
    "military",
    "government",
    "authorities",
    "regime",
    "junta",
    "parliament",
    "lawmakers",
    "legislators",
    "prisoners",
    "detainees",
    "fighters",
    "extremists",
    "fundamentalists",
    "gunmen",
    "terrorists",
    "insurgency",
    "mob",
    "citizens",
    "residents",
    "tribesmen",
    "militia",
    "militias",
    "paramilitaries",
    "opponents",
    "critics",
    "minority",
    "minorities",
    "journalists",
    "clerics",
    "monks",
];

#[derive(Debug, Clone, Copy, Default)]
struct Clause {
    first: usize,
    concessive: bool,
    conditional: bool,
}

/// Function words that mark the actor after them as a target.
static TARGET_PREPOSITIONS: &[&str] = &[
    "toward",
    "towards",
    "with",
    "against",
    "on",
    "upon",
    "to",
    "at",
    "over",
    "into",
    "onto",
    "between",
    "for",
    "of",
    "in",
    "vis-à-vis",
];
/// Prepositions after which an actor is neither subject nor target of a verb.
static OTHER_PREPOSITIONS: &[&str] = &[
    "by",
    "from",
    "about",
    "like",
    "than",
    "among",
    "amid",
    "including",
    "within",
    "across",
    "through",
    "after",
    "before",
    "during",
    "under",
    "beyond",
    "behind",
    "near",
    "without",
    "despite",
    "unlike",
    "as",
    "around",
    "since",
    "until",
    "via",
    "per",
    "beside",
    "besides",
    "alongside",
    "inside",
    "outside",
];
static BE_FORMS: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "got", "get", "gets",
];
static NEGATORS: &[&str] = &[
    "not",
    "never",
    "no",
    "without",
    "nor",
    "neither",
    "refused",
    "refuses",
    "refuse",
    "refusing",
    "refusal",
    "failed",
    "fails",
    "fail",
    "failing",
    "failure",
    "declined",
    "declines",
    "decline",
    "declining",
    "unwilling",
    "unlikely",
    "stopped",
    "abstained",
    "abstains",
    "abstain",
    "denied",
    "denies",
    "deny",
];
/// Verbs that undo what follows: "lifted the blockade" and "settled the dispute" are
/// conciliatory, "cut aid" and "paused intelligence sharing" hawkish.
static REVERSERS: &[&str] = &[
    "lift",
    "lifts",
    "lifted",
    "lifting",
    "ease",
    "eases",
    "eased",
    "easing",
    "remove",
    "removes",
    "removed",
    "removing",
    "removal",
    "end",
    "ends",
    "ended",
    "ending",
    "scrap",
    "scraps",
    "scrapped",
    "scrapping",
    "drop",
    "drops",
    "dropped",
    "dropping",
    "relax",
    "relaxed",
    "relaxing",
    "reverse",
    "reversed",
    "revoke",
    "revoked",
    "rescind",
    "rescinded",
    "waive",
    "waived",
    "unfreeze",
    "unfroze",
    "unfrozen",
    "withdraw",
    "withdrew",
    "withdrawn",
    "withdrawal",
    "halt",
    "halted",
    "halting",
    "suspend",
    "suspended",
    "suspending",
    "suspension",
    "cancel",
    "cancelled",
    "canceled",
    "loosen",
    "loosened",
    "avoid",
    "avoids",
    "avoided",
    "avoiding",
    "cut",
    "cuts",
    "cutting",
    "reduce",
    "reduces",
    "reduced",
    "reducing",
    "curtail",
    "curtailed",
    "curtailing",
    "pause",
    "paused",
    "pausing",
    "freeze",
    "froze",
    "frozen",
    "freezing",
    "soften",
    "softened",
    "softening",
    "scale",
    "scaled",
    "scaling",
    "settle",
    "settled",
    "settles",
    "settling",
    "resolve",
    "resolved",
    "resolving",
    "defuse",
    "defused",
    "defusing",
    "overcome",
    "overcame",
    "bury",
    "buried",
    "subsided",
    "abated",
    "waned",
    "receded",
    "stop",
    "stops",
    "stopped",
    "stopping",
];
/// Prepositions that make a nominal cue background to the reported act ("after two days of
/// fierce fighting").
static BACKGROUND: &[&str] = &[
    "after",
    "following",
    "amid",
    "amidst",
    "since",
    "before",
    "during",
];
static HEDGES: &[&str] = &[
    "may",
    "might",
    "could",
    "would",
    "should",
    "can",
    "possibly",
    "perhaps",
    "probably",
    "likely",
    "reportedly",
    "allegedly",
    "alleged",
    "apparently",
    "potentially",
    "appears",
    "appear",
    "appeared",
    "seems",
    "seem",
    "seemed",
    "expected",
    "hopes",
    "hope",
    "hoped",
    "hoping",
    "considering",
    "considers",
    "consider",
    "mulling",
    "weighing",
    "suggested",
    "hinted",
];
static INTENT: &[&str] = &[
    "wants",
    "want",
    "wanted",
    "seeks",
    "seek",
    "seeking",
    "sought",
    "aims",
    "aim",
    "aiming",
    "intends",
    "intend",
    "intended",
    "plans",
    "plan",
    "planned",
    "planning",
    "trying",
    "tries",
    "try",
    "tried",
    "keen",
    "attempt",
    "attempts",
    "attempted",
    "attempting",
    "wish",
    "wishes",
    "looks",
    "look",
    "looking",
    "ready",
    "willing",
    "prepared",
    "eager",
    "pledged",
    "vowed",
    "promised",
    "offered",
    "proposed",
];
static INTENSIFIERS: &[&str] = &[
    "unusually",
    "very",
    "extremely",
    "highly",
    "deeply",
    "sharply",
    "strongly",
    "fiercely",
    "harshly",
    "bitterly",
    "especially",
    "increasingly",
    "particularly",
    "severely",
    "vehemently",
    "openly",
    "explicitly",
    "greatly",
    "firmly",
    "flatly",
    "furiously",
    "angrily",
    "repeatedly",
    "most",
    "extensively",
    "significantly",
    "dramatically",
];
static DAMPENERS: &[&str] = &[
    "slightly",
    "somewhat",
    "mildly",
    "partly",
    "partially",
    "relatively",
    "limited",
    "modest",
    "modestly",
    "cautious",
    "cautiously",
    "tacit",
    "tacitly",
    "small",
    "symbolic",
    "marginally",
    "quietly",
    "little",
];
/// Words that open a concessive clause ("although …", "despite …").
static CONCESSIVE_OPENERS: &[&str] = &[
    "although",
    "though",
    "despite",
    "whereas",
    "while",
    "notwithstanding",
];
/// Words that end a concessive clause and start the one that counts ("… but …").
static CONTRASTIVE: &[&str] = &[
    "but",
    "however",
    "yet",
    "nevertheless",
    "nonetheless",
    "still",
];
static CONDITIONAL_OPENERS: &[&str] = &["if", "unless", "should", "were"];
/// Pronouns that refer back to one actor.
static SINGULAR_PRONOUNS: &[&str] = &["it", "its", "itself", "he", "she", "his", "her"];
/// Pronouns that refer back to a pair.
static PLURAL_PRONOUNS: &[&str] = &["they", "their", "them"];
/// Nouns that with "two"/"both" refer back to the last two actors.
static PAIR_NOUNS: &[&str] = &[
    "countries",
    "nations",
    "sides",
    "parties",
    "governments",
    "leaders",
    "neighbours",
    "neighbors",
    "powers",
    "states",
    "capitals",
];
/// Words that may stand between two mentions of one actor ("Russian President Vladimir Putin").
static TITLES: &[&str] = &[
    "president",
    "prime",
    "minister",
    "foreign",
    "defence",
    "defense",
    "chancellor",
    "king",
    "queen",
    "leader",
    "premier",
    "secretary",
    "general",
    "envoy",
    "ambassador",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "emir",
    "crown",
    "prince",
    "supreme",
    "chief",
    "deputy",
    "vice",
    "state",
    "counsellor",
    "representative",
    "permanent",
    "sultan",
    "chairman",
    "commander",
    "head",
    "former",
    "acting",
    "interim",
    "sheikh",
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "adm",
    "admiral",
    "marshal",
    "colonel",
    "senator",
    "councillor",
    "first",
];
/// Nouns for people and bodies that act for a state ("the government in Kabul").
static AGENT_NOUNS: &[&str] = &[
    "government",
    "officials",
    "official",
    "authorities",
    "leaders",
    "leader",
    "leadership",
    "diplomats",
    "diplomat",
    "embassy",
    "ministry",
    "ministers",
    "minister",
    "president",
    "administration",
    "delegation",
    "envoy",
    "envoys",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "navy",
    "forces",
    "cabinet",
    "parliament",
    "prime",
    "king",
    "foreign",
];
/// Endings that make a cue word look like a verb form rather than a noun ("rebuked",
/// "supplying", "withdrew", "bought", "took", "sold"): a guess without a tagger.
static VERB_ENDINGS: &[&str] = &["ed", "ing", "ew", "ought", "ook", "old"];
/// Participles that make "X-led sanctions" name X as the source.
static AGENT_PARTICIPLES: &[&str] = &[
    "led",
    "backed",
    "imposed",
    "sponsored",
    "brokered",
    "driven",
    "initiated",
    "mediated",
    "supported",
    "funded",
    "organised",
    "organized",
    "proposed",
    "drafted",
    "instigated",
];

// The lists below were inline word lists of single rules; each is named for the rule that reads
// it, so that it too is answered by one bit test (see [`CLASS_LISTS`]).

/// Prefixes that govern a hyphenated actor like a preposition ("anti-Russian").
static ANTI_PREFIXES: &[&str] = &["anti", "counter"];
/// Prepositions after an agent noun that make it stand for the actor ("the government in Kabul").
static AGENT_NOUN_PREPOSITIONS: &[&str] = &["in", "of", "from"];
/// Coordinators that pass a preposition on to the next conjunct.
static AND_OR: &[&str] = &["and", "or"];
/// Words that are not adjectives between a preposition and its actor.
static NOT_ADJECTIVES: &[&str] = &["has", "have", "had", "will", "would", "to", "and", "or"];
/// Conditional openers that open a condition anywhere in the sentence.
static IF_UNLESS: &[&str] = &["if", "unless"];
/// Words after which an inverted "should"/"were" still opens a condition ("even should").
static CONDITION_JOINERS: &[&str] = &["even", "and", "but"];
/// Prepositions that place a domestic group in the state they govern ("protesters in Egypt").
static LOCATIVE_PREPOSITIONS: &[&str] = &["in", "inside", "across", "throughout"];
/// Target prepositions that do not stop two cues from chaining ("calls for talks").
static LOOSE_TARGET_PREPOSITIONS: &[&str] = &["to", "for", "of", "on"];
/// Prepositions that name a source and so stop two cues from chaining.
static SOURCE_PREPOSITIONS: &[&str] = &["by", "from"];
/// The modal of a demand ("Sudan must return the helicopter").
static MUST: &[&str] = &["must"];
/// Prepositions after which a participle is an adjective ("is opposed to").
static ADJECTIVAL_PREPOSITIONS: &[&str] = &["to", "with", "toward", "towards", "about", "at"];
/// The verb of "ruled out".
static RULE_FORMS: &[&str] = &["ruled", "rules", "rule", "ruling"];
/// The particle of "ruled out".
static OUT: &[&str] = &["out"];
/// The preposition of a by-agent.
static BY: &[&str] = &["by"];
/// Coordinators of a subject list ("Japan and South Korea", "Japan & Korea").
static AND_AMPERSAND: &[&str] = &["and", "&"];
/// Coordinators of a list after a preposition ("by Poland, Hungary or Slovakia").
static AND_OR_AMPERSAND: &[&str] = &["and", "or", "&"];
/// The preposition of "to the frustration of" and of an addressee.
static TO: &[&str] = &["to"];
/// The preposition of "to the frustration of".
static OF: &[&str] = &["of"];
/// The preposition of a nominal cue's source ("criticism from Washington").
static FROM: &[&str] = &["from"];
/// Relative pronouns before a passive be-form ("a helicopter that was captured").
static RELATIVE_PRONOUNS: &[&str] = &["that", "which", "who", "whom"];
/// Words that stop the search for an actor attached to a nominal cue.
static NOT_ATTACHED: &[&str] = &["and", "or", "has", "have", "had", "will", "to"];
/// Nouns that refer back to a state after a determiner or pronoun ("the country").
static STATE_NOUNS: &[&str] = &["country", "kingdom", "republic"];
/// Numbers that with a pair noun refer back to the last two actors ("the two countries").
static PAIR_COUNTS: &[&str] = &["two", "both"];
/// First words of a clause that continues the previous clause's subject ("… but has …").
static SUBJECT_CONTINUERS: &[&str] = &[
    "has", "have", "had", "was", "were", "is", "are", "will", "did", "does", "do", "also", "then",
    "later", "still", "instead", "only", "to", "by",
];
/// Conjunctions before a mention that make it a subject rather than an object.
static CLAUSE_JOINERS: &[&str] = &[
    "and", "or", "but", "while", "as", "when", "after", "before", "since", "because", "if",
];
/// Target prepositions that do not open a target search by themselves.
static OF_IN_FOR: &[&str] = &["of", "in", "for"];
/// The preposition of a pair target ("between X and Y").
static BETWEEN: &[&str] = &["between"];
/// The preposition of a place ("signed in Washington") or a target right after the cue.
static IN: &[&str] = &["in"];
/// Prepositions of a target close to the cue ("condemnation of Iran", "support for Ukraine").
static OF_FOR: &[&str] = &["of", "for"];
/// Prepositions of a grievance after an addressee ("complained to the UN over raids").
static GRIEVANCE_PREPOSITIONS: &[&str] = &["over", "about", "against"];

// Punctuation the rules look for. A punctuation token is one character and no other token is
// punctuation, so being in one of these lists is being that punctuation.

static COMMA: &[&str] = &[","];
static PERIOD: &[&str] = &["."];
static SEMICOLON: &[&str] = &[";"];
static COLON: &[&str] = &[":"];
/// Punctuation that always ends a clause.
static CLAUSE_BOUNDARIES: &[&str] = &[";", ":", "(", ")", "—"];
/// An en dash, which ends a clause when it does not join two words.
static EN_DASH: &[&str] = &["–"];

impl Sentence<'_> {
    fn word(&self, index: usize) -> &str {
        let token = self.tokens[index];
        &self.text[token.start as usize..token.end as usize]
    }

    /// True when token `index` is in one of the [`CLASS_LISTS`] whose bits are set in `bits`:
    /// its text equals a word of the list ASCII case-insensitively, or it is the negation `n't`
    /// and the list holds "not". One bit test on the classes computed once per token, where
    /// comparing the word with each word of the list cost a quarter of attribution.
    #[inline]
    fn in_class(&self, index: usize, bits: u64) -> bool {
        self.v.classes[index - self.start] & bits != 0
    }

    fn mention(&self, index: usize) -> Option<usize> {
        self.v.mention_at[index - self.start]
    }

    fn clause(&self, index: usize) -> usize {
        self.v.clause_of[index - self.start]
    }

    fn clause_start(&self, index: usize) -> usize {
        self.v.clauses[self.clause(index)].first
    }

    fn clause_end(&self, index: usize) -> usize {
        let clause = self.clause(index);
        self.v.clauses.get(clause + 1).map_or(self.end, |c| c.first)
    }

    /// The preposition governing mention `m` ([`Sentence::find_governor`], computed once per
    /// mention when the sentence is built: the rules ask it several times for each mention).
    fn governor(&self, m: usize) -> Option<usize> {
        // Test builds check the stored answer against a fresh one at every use.
        debug_assert_eq!(self.v.governors[m], self.find_governor(m));
        self.v.governors[m]
    }

    /// The preposition governing mention `m`, looking left past determiners, adjectives of one
    /// word and coordination ("with Japan and South Korea").
    fn find_governor(&self, m: usize) -> Option<usize> {
        let mut index = self.v.mentions[m].first;
        // "anti-Russian": the prefix governs like a preposition.
        if self.tokens[index].has(HYPHENATED)
            && index > self.start
            && self.in_class(index - 1, class::ANTI_PREFIXES)
        {
            return Some(index - 1);
        }
        let mut steps = 0;
        let mut words = 0;
        while index > self.start && steps < 8 {
            index -= 1;
            steps += 1;
            let token = self.tokens[index];
            if token.has(SKIPPED) {
                continue;
            }
            if self.in_class(index, class::TARGET_PREPOSITIONS)
                || self.in_class(index, class::OTHER_PREPOSITIONS)
            {
                // "the government in Kabul", "the president of France": the agent noun stands
                // for the actor, so look for what governs the noun instead.
                if self.in_class(index, class::AGENT_NOUN_PREPOSITIONS)
                    && index > self.start
                    && (self.in_class(index - 1, class::AGENT_NOUNS)
                        || self.in_class(index - 1, class::DOMESTIC_GROUPS))
                {
                    index -= 1;
                    words = 0;
                    continue;
                }
                return Some(index);
            } // Coordination: inherit the preposition of the previous conjunct.
            if self.in_class(index, class::AND_OR) || self.in_class(index, class::COMMA) {
                if index > self.start
                    && let Some(prev) = self.mention(index - 1)
                {
                    return self.find_governor(prev);
                }
                return None;
            }
            // One or two adjectives between ("for a permanent Security Council seat"), but not a
            // verb or a cue, which would make the actor its object.
            let word = self.word(index);
            let adjective = token.kind == Kind::Word
                && !token.has(crate::token::CAPITAL)
                && !self.v.cue_at[index - self.start]
                && !word.ends_with("ed")
                && !self.in_class(index, class::BE_FORMS)
                && !self.in_class(index, class::NOT_ADJECTIVES);
            if adjective && words < 2 {
                words += 1;
                continue;
            }
            return None;
        }
        None
    }

    /// True when the mention is followed by a possessive `'s`.
    fn is_possessive(&self, m: usize) -> bool {
        let after = self.v.mentions[m].last + 1;
        after < self.end && self.tokens[after].kind == Kind::Possessive
    }
}

/// Attributes every cue of one sentence. `cues` are the sentence's cue hits, in order;
/// `classes` holds each token's [`word_classes`], indexed like `tokens`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn attribute_sentence(
    text: &str,
    tokens: &[Token],
    classes: &[u64],
    range: std::ops::Range<usize>,
    mentions: &[Hit],
    cues: &[Hit],
    info: &[CueInfo],
    discourse: &mut Discourse,
    work: &mut SentenceWork,
) {
    if cues.is_empty() {
        // Nothing to attribute: only keep track of who was mentioned, and of a subject that
        // opens the sentence, for the pronouns of later sentences.
        for hit in mentions {
            discourse.note(hit.id);
        }
        if let Some(first) = mentions.first() {
            let opens = first.first <= range.start + 3
                && (range.start..first.first).all(|i| {
                    let token = tokens[i];
                    let word = &text[token.start as usize..token.end as usize];
                    token.kind == Kind::Word
                        && !TARGET_PREPOSITIONS
                            .iter()
                            .chain(OTHER_PREPOSITIONS)
                            .any(|p| p.eq_ignore_ascii_case(word))
                });
            if opens {
                discourse.last_subject = Some(first.id);
            }
        }
        return;
    }
    // The classes go in first; the sentence's other vectors are built from them.
    work.vectors
        .classes
        .extend_from_slice(&classes[range.clone()]);
    let sentence = build_sentence(
        text,
        tokens,
        range,
        mentions,
        cues,
        discourse,
        &mut work.vectors,
    );
    let chains = chain_cues(&sentence, cues, info);
    for (index, chain) in chains.iter().enumerate() {
        if rejected_object(&sentence, &chains[..index], chain) {
            continue;
        }
        if let Some(attribution) = attribute_chain(&sentence, chain, discourse) {
            work.attributions.push(attribution);
        }
    }
    // The sentence's grammatical subject carries over to the next sentence's pronouns.
    for (m, mention) in sentence.v.mentions.iter().enumerate() {
        if mention.actor & DOMESTIC != 0 {
            continue;
        }
        discourse.note(mention.actor);
        if sentence.governor(m).is_none() && mention.first <= sentence.start + 3 {
            discourse.last_subject = Some(mention.actor);
        }
    }
    let mut vectors = sentence.v;
    vectors.clear();
    work.vectors = vectors;
}

/// What [`attribute_sentence`] writes, and the vectors it fills for each sentence, kept from
/// one sentence to the next so that a sentence allocates nothing (seven vectors a sentence
/// were allocated and freed before).
#[derive(Debug, Default)]
pub(crate) struct SentenceWork {
    /// The attributions of the last sentence; the caller clears them.
    pub(crate) attributions: Vec<Attribution>,
    vectors: SentenceVectors,
}

/// True when a cooperative cue is the object of an earlier rejection in its clause ("rejected
/// Baghdad's proposal for a cease-fire", "is opposed to French mediation"): the event is the
/// rejection, not the proposal.
fn rejected_object(sentence: &Sentence<'_>, earlier: &[Chain], chain: &Chain) -> bool {
    chain.info.stance == Stance::Conciliatory
        && earlier.iter().any(|prev| {
            sentence.clause(prev.last) == sentence.clause(chain.first)
                && prev.info.stance == Stance::Hawkish
                && is_opposer(sentence.word(prev.last))
        })
}

/// The analysis of the sentence `range`, in `vectors`, which hold its tokens' classes and are
/// otherwise empty.
fn build_sentence<'a>(
    text: &'a str,
    tokens: &'a [Token],
    range: std::ops::Range<usize>,
    hits: &[Hit],
    cues: &[Hit],
    discourse: &Discourse,
    vectors: &mut SentenceVectors,
) -> Sentence<'a> {
    let (start, end) = (range.start, range.end);
    // The kept vectors are empty but for the classes; each is filled as a fresh one was.
    let mut v = std::mem::take(vectors);
    v.mention_at.resize(end - start, None);
    v.clause_of.resize(end - start, 0);
    v.cue_at.resize(end - start, false);
    let mut sentence = Sentence {
        text,
        tokens,
        start,
        end,
        v,
    };
    for cue in cues {
        for i in cue.first..=cue.last.min(end - 1) {
            sentence.v.cue_at[i - start] = true;
        }
    }
    // Merge mentions of one actor separated only by titles and names, and extend a mention over
    // a following title and name ("South Korean Foreign Minister Yun Byung-se").
    for hit in hits {
        let mention = Mention {
            actor: hit.id,
            first: hit.first,
            last: hit.last,
        };
        if let Some(&prev) = sentence.v.mentions.last() {
            let between = prev.last + 1..mention.first;
            if between.len() <= 5
                && (prev.actor == mention.actor)
                && between.clone().all(|i| is_title_or_name(&sentence, i))
            {
                sentence.v.mentions.last_mut().expect("checked").last = mention.last;
                continue;
            }
        }
        sentence.v.mentions.push(mention);
    }
    for m in 0..sentence.v.mentions.len() {
        let mut index = sentence.v.mentions[m].last + 1;
        let limit = sentence
            .v
            .mentions
            .get(m + 1)
            .map_or(end, |next| next.first);
        let mut saw_title = false;
        while index < limit {
            if sentence.in_class(index, class::TITLES) {
                saw_title = true;
            } else if !(saw_title && sentence.tokens[index].has(crate::token::CAPITAL)) {
                break;
            }
            index += 1;
        }
        if saw_title && index > sentence.v.mentions[m].last + 1 {
            // Only extend when a name followed the title (stop before a trailing title word).
            let last = index - 1;
            if !sentence.in_class(last, class::TITLES) {
                sentence.v.mentions[m].last = last;
            }
        }
    }
    add_domestic_groups(&mut sentence, discourse);
    for (m, mention) in sentence.v.mentions.iter().enumerate() {
        for i in mention.first..=mention.last {
            sentence.v.mention_at[i - start] = Some(m);
        }
    }
    // The mentions are final from here on, and the governors read nothing built below.
    let mut governors = std::mem::take(&mut sentence.v.governors);
    governors.extend((0..sentence.v.mentions.len()).map(|m| sentence.find_governor(m)));
    sentence.v.governors = governors;
    // Clauses.
    let mut clauses = std::mem::take(&mut sentence.v.clauses);
    clauses.push(Clause {
        first: start,
        ..Clause::default()
    });
    let mut pending_concessive_open = false;
    // The classes that can open a clause or mark one; a token of none of them (most tokens)
    // only joins the current clause.
    const CLAUSE_BITS: u64 = class::CLAUSE_BOUNDARIES
        | class::EN_DASH
        | class::CONTRASTIVE
        | class::CONCESSIVE_OPENERS
        | class::CONDITIONAL_OPENERS
        | class::COMMA;
    for index in start..end {
        if !sentence.in_class(index, CLAUSE_BITS) {
            sentence.v.clause_of[index - start] = clauses.len() - 1;
            continue;
        }
        let boundary = sentence.in_class(index, class::CLAUSE_BOUNDARIES)
            || sentence.in_class(index, class::EN_DASH) && !sentence.tokens[index].has(HYPHENATED);
        let contrast = sentence.in_class(index, class::CONTRASTIVE) && index > start;
        let concessive_open = sentence.in_class(index, class::CONCESSIVE_OPENERS);
        // "if" and "unless" open a condition anywhere; inverted "should"/"were" only at the
        // start of a sentence or after a comma.
        let conditional_open = sentence.in_class(index, class::CONDITIONAL_OPENERS)
            && (sentence.in_class(index, class::IF_UNLESS)
                || index == start
                || sentence.in_class(index - 1, class::COMMA)
                || sentence.in_class(index - 1, class::CONDITION_JOINERS));
        let comma_break = sentence.in_class(index, class::COMMA) && pending_concessive_open;
        if boundary
            || contrast
            || comma_break
            || (concessive_open || conditional_open) && index > start
        {
            if contrast {
                // Everything before "but" is the concession.
                for clause in clauses.iter_mut() {
                    clause.concessive = true;
                }
            }
            clauses.push(Clause {
                first: index,
                ..Clause::default()
            });
            pending_concessive_open = false;
        }
        if concessive_open {
            clauses.last_mut().expect("one clause").concessive = true;
            pending_concessive_open = true;
        }
        if conditional_open {
            clauses.last_mut().expect("one clause").conditional = true;
            pending_concessive_open = true;
        }
        sentence.v.clause_of[index - start] = clauses.len() - 1;
    }
    sentence.v.clauses = clauses;
    sentence
}

/// Adds a mention for each bare domestic group ("protesters", "the police"), standing for the
/// sentence's host state: the actor after "in", else the only actor named, else the last subject
/// when no actor is named. A group after a demonym belongs to it; a group named by a capitalised
/// word that is not an actor ("Taliban fighters") is not a state, so it is left out.
fn add_domestic_groups(sentence: &mut Sentence<'_>, discourse: &Discourse) {
    if !sentence
        .v
        .classes
        .iter()
        .any(|&classes| classes & class::DOMESTIC_GROUPS != 0)
    {
        return;
    }
    let mut groups = Vec::new();
    for index in sentence.start..sentence.end {
        if !sentence.in_class(index, class::DOMESTIC_GROUPS)
            || sentence
                .v
                .mentions
                .iter()
                .any(|m| (m.first..=m.last).contains(&index))
        {
            continue;
        }
        let mut owned = false;
        let mut back = index;
        for _ in 0..2 {
            if back == sentence.start {
                break;
            }
            back -= 1;
            let token = sentence.tokens[back];
            if sentence.v.mentions.iter().any(|m| m.last == back) {
                owned = true;
                break;
            }
            // A name right before the group ("Taliban fighters") makes it a named group; further
            // back a capitalised word is an adjective ("Moslem fundamentalist demonstrators").
            let sentence_initial = back == sentence.start;
            let adjacent = back + 1 == index;
            if token.kind == Kind::Word
                && token.has(crate::token::CAPITAL)
                && !sentence_initial
                && adjacent
            {
                owned = true;
                break;
            }
            if token.kind != Kind::Word || token.has(SKIPPED) {
                break;
            }
        }
        if !owned {
            groups.push(index);
        }
    }
    if groups.is_empty() {
        return;
    }
    let named: Vec<u32> = {
        let mut actors: Vec<u32> = sentence.v.mentions.iter().map(|m| m.actor).collect();
        actors.sort_unstable();
        actors.dedup();
        actors
    };
    let located = (0..sentence.v.mentions.len())
        .find(|&m| {
            sentence
                .find_governor(m)
                .is_some_and(|g| sentence.in_class(g, class::LOCATIVE_PREPOSITIONS))
        })
        .map(|m| sentence.v.mentions[m].actor);
    let host = match (located, named.as_slice()) {
        (Some(actor), _) => Some(actor),
        (None, [only]) => Some(*only),
        (None, []) => discourse.last_subject,
        _ => None,
    };
    let Some(host) = host else { return };
    for index in groups {
        sentence.v.mentions.push(Mention {
            actor: host | DOMESTIC,
            first: index,
            last: index,
        });
    }
    sentence.v.mentions.sort_by_key(|m| m.first);
}

fn is_title_or_name(sentence: &Sentence<'_>, index: usize) -> bool {
    let token = sentence.tokens[index];
    sentence.in_class(index, class::TITLES)
        || token.kind == Kind::Possessive
        || (token.kind == Kind::Word && token.has(crate::token::CAPITAL))
        || sentence.in_class(index, class::PERIOD)
}

/// A cue after merging with the cues that lead into it ("supporting tougher sanctions").
#[derive(Debug, Clone)]
struct Chain {
    first: usize,
    last: usize,
    cue: u32,
    info: CueInfo,
    modifiers: Vec<&'static str>,
    factor: f64,
}

fn chain_cues(sentence: &Sentence<'_>, cues: &[Hit], info: &[CueInfo]) -> Vec<Chain> {
    let mut chains: Vec<Chain> = Vec::new();
    for hit in cues {
        let cue_info = info[hit.id as usize];
        let mut chain = Chain {
            first: hit.first,
            last: hit.last,
            cue: hit.id,
            info: cue_info,
            modifiers: Vec::new(),
            factor: 1.0,
        };
        if let Some(prev) = chains.last() {
            let gap = prev.last + 1..hit.first;
            let joins = gap.len() <= 3
                && sentence.clause(prev.last) == sentence.clause(hit.first)
                && gap.clone().all(|i| {
                    let marks_target = sentence.in_class(i, class::TARGET_PREPOSITIONS)
                        && !sentence.in_class(i, class::LOOSE_TARGET_PREPOSITIONS);
                    sentence.mention(i).is_none()
                        && !sentence.in_class(i, class::COMMA | class::SEMICOLON | class::COLON)
                        && !marks_target
                        && !sentence.in_class(i, class::SOURCE_PREPOSITIONS)
                });
            if joins {
                let prev = chains.pop().expect("checked");
                chain.first = prev.first;
                chain.modifiers = prev.modifiers.clone();
                chain.factor = prev.factor;
                let reverser = sentence.in_class(prev.last, class::REVERSERS);
                match (prev.info.stance, cue_info.stance) {
                    (_, Stance::Hawkish) if reverser => {
                        // "suspended sanctions", "ended the blockade".
                        chain.info.stance = Stance::Conciliatory;
                        chain.modifiers.push("reversed");
                    }
                    (a, b) if a == b => {
                        chain.factor *= 1.15;
                        chain.modifiers.push("reinforced");
                    }
                    (Stance::Hawkish, Stance::Conciliatory)
                        if !(sentence.in_class(prev.last, class::NEGATORS)
                            || sentence.in_class(prev.last, class::REVERSERS)
                            || is_opposer(sentence.word(prev.last))) =>
                    {
                        // "accused of currying favour": not an act against the favour.
                        chains.push(prev);
                        chains.push(Chain {
                            first: hit.first,
                            last: hit.last,
                            cue: hit.id,
                            info: cue_info,
                            modifiers: Vec::new(),
                            factor: 1.0,
                        });
                        continue;
                    }
                    (Stance::Hawkish, Stance::Conciliatory) => {
                        // "rejected talks", "suspended cooperation": opposing a cooperative act,
                        // which is one-sided even when the act would have been mutual.
                        chain.info.stance = Stance::Hawkish;
                        chain.info.symmetric = false;
                        chain.modifiers.push("opposed");
                    }
                    _ => chain.modifiers.push("endorsed"),
                }
            }
        }
        chains.push(chain);
    }
    chains
}

fn attribute_chain(
    sentence: &Sentence<'_>,
    chain: &Chain,
    discourse: &mut Discourse,
) -> Option<Attribution> {
    let mut stance = chain.info.stance;
    let mut factor = chain.factor;
    let mut modifiers = chain.modifiers.clone();
    let mut symmetric = chain.info.symmetric;
    apply_modifiers(
        sentence,
        chain,
        &mut stance,
        &mut symmetric,
        &mut factor,
        &mut modifiers,
    )?;

    let head = chain.first;
    let tail = chain.last;
    let clause_start = sentence.clause_start(head);
    let clause_end = sentence.clause_end(tail);

    if sentence.in_class(head, class::MUST) {
        return demand(sentence, chain, discourse, factor, modifiers);
    }

    let by_agent = find_by_agent(sentence, tail, clause_end);
    // With a by-agent any verb form will do ("was shot down by"); without one, only a
    // participle makes a passive ("was rebuked"), not an adjective ("is hawkish").
    // "is opposed to", "is committed to": a participle before a preposition is an adjective.
    let adjectival =
        tail + 1 < sentence.end && sentence.in_class(tail + 1, class::ADJECTIVAL_PREPOSITIONS);
    let be = passive_be(sentence, head, clause_start);
    let passive =
        be.is_some() && (by_agent.is_some() || (is_participle(sentence.word(tail)) && !adjectival));
    let mut sources: Vec<u32> = Vec::new();
    let mut targets: Vec<u32> = Vec::new();
    let mut left_object = None;

    let reaction = reaction_of(sentence, head, tail, clause_end);
    let from = if by_agent.is_none() {
        from_agent(sentence, tail, clause_end)
    } else {
        None
    };
    if let Some(agent) = reaction {
        // "to the frustration of Kyiv": Kyiv reacts to the subject.
        sources.push(sentence.v.mentions[agent].actor);
        targets.extend(find_subject(sentence, head, discourse).actors);
    } else if let Some(agent) = by_agent {
        sources.extend(coordinated_from(sentence, agent));
    } else if let Some(agent) = from {
        // The subject of the clause drew the reaction: it is the target.
        sources.push(sentence.v.mentions[agent].actor);
        let subject = find_subject(sentence, head, discourse);
        targets.extend(subject.actors);
    } else if let Some(agent) = hyphen_agent(sentence, head) {
        sources.push(agent);
    } else if let Some(m) = attached_modifier(sentence, head) {
        sources.push(sentence.v.mentions[m].actor);
    } else {
        let subject = find_subject(sentence, head, discourse);
        sources = subject.actors;
        left_object = subject.object;
    }

    if passive {
        // "Japan was rebuked by Moscow": the subject is the target. Without a by-agent the
        // source is unknown, unless the subject is a pair ("relations have been strained").
        let subject = if be.is_some_and(|be| after_relative(sentence, be)) {
            // "a helicopter that was captured by …": the subject is the noun before "that".
            Subject {
                actors: Vec::new(),
                object: None,
            }
        } else {
            find_subject(sentence, head, discourse)
        };
        if by_agent.is_some() {
            targets.extend(subject.actors);
        } else if subject.actors.len() >= 2 {
            sources = subject.actors;
        } else {
            return None;
        }
    }
    if let Some(actor) = anti_target(sentence, head) {
        targets.push(actor);
    }
    let mut pair_target = None;
    if targets.is_empty() {
        // "withdraw troops from Chad": a reversed act is aimed at the place it leaves.
        let from_ok = modifiers.contains(&"reversed") || sentence.in_class(head, class::REVERSERS);
        match find_targets(
            sentence,
            tail,
            clause_end,
            stance == Stance::Hawkish,
            from_ok,
        ) {
            Targets::Pair(a, b) => pair_target = Some((a, b)),
            Targets::Some(found) => targets = found,
            Targets::None => targets.extend(left_object),
        }
    }
    if targets.is_empty() && pair_target.is_none() {
        // "Pakistan warned it would retaliate if India struck": a response in the main clause
        // is aimed at the actor of the condition.
        targets.extend(condition_actor(sentence).filter(|actor| !sources.contains(actor)));
    }

    let mut dyads = Vec::new();
    let mut tone = Vec::new();
    if let Some((a, b)) = pair_target {
        // "relations between X and Y", "X-Y relations": the act is mutual. A third party that
        // mediates, hosts or brokers it acts toward both instead.
        // ("Pyongyang denounced the US-South Korean drills": toward both, too.)
        let third_parties: Vec<u32> = sources
            .iter()
            .copied()
            .filter(|&s| s != a && s != b)
            .collect();
        if third_parties.is_empty() {
            dyads.push((a, b));
            dyads.push((b, a));
        }
        for s in third_parties {
            dyads.push((s, a));
            dyads.push((s, b));
        }
    } else {
        sources.dedup();
        // A state acting on itself through another mention ("Turkish authorities imposed a
        // curfew in southeastern Turkey") is a same-state dyad, kept like a domestic group.
        if stance == Stance::Hawkish && sources.len() == 1 {
            for target in &mut targets {
                if sources.contains(target) {
                    *target |= DOMESTIC;
                }
            }
        } else {
            targets.retain(|t| !sources.contains(t));
        }
        targets.dedup();
        if targets.is_empty() {
            if sources.len() >= 2 {
                for &a in &sources {
                    for &b in &sources {
                        if a != b {
                            dyads.push((a, b));
                        }
                    }
                }
            } else if chain.info.protest && stance == Stance::Hawkish {
                // "Thousands of Nigerians rallied in Lagos": a protest against their own state.
                for &s in &sources {
                    dyads.push((s, s | DOMESTIC));
                }
            } else {
                tone.extend(sources.iter().copied());
            }
        } else {
            for &s in &sources {
                for &t in &targets {
                    dyads.push((s, t));
                    if symmetric {
                        dyads.push((t, s));
                    }
                }
            }
        }
    }
    if let [source] = sources.as_slice()
        && source & DOMESTIC == 0
    {
        discourse.last_subject = Some(*source);
    }
    // Resolve domestic groups to their state; a same-state dyad needs a domestic side.
    let dyads: Vec<(u32, u32)> = {
        let mut resolved: Vec<(u32, u32)> = dyads
            .into_iter()
            .filter(|&(a, b)| a & !DOMESTIC != b & !DOMESTIC || (a | b) & DOMESTIC != 0)
            .map(|(a, b)| (a & !DOMESTIC, b & !DOMESTIC))
            .collect();
        resolved.sort_unstable();
        resolved.dedup();
        resolved
    };
    let mut tone: Vec<u32> = tone.into_iter().map(|a| a & !DOMESTIC).collect();
    tone.sort_unstable();
    tone.dedup();
    if dyads.is_empty() && tone.is_empty() {
        return None;
    }
    let weight = Weight::from_f64((chain.info.weight.as_f64() * factor).clamp(0.0001, 1.0));
    Some(Attribution {
        first: head,
        last: tail,
        cue: chain.cue,
        stance,
        weight,
        modifiers,
        dyads,
        tone,
    })
}

/// Verbs that act against what follows them ("rejected talks", "blocked aid").
fn is_opposer(word: &str) -> bool {
    const STEMS: &[&str] = &[
        "reject", "rebuff", "block", "veto", "obstruct", "oppos", "boycott", "spurn", "dismiss",
        "resist", "thwart", "scuttl", "derail", "sabotag", "refus", "suspend", "halt", "cancel",
        "freez", "cut", "withdr", "torpedo", "stall", "undermin", "turn", "end",
    ];
    let lower = word.to_ascii_lowercase();
    STEMS.iter().any(|stem| lower.starts_with(stem))
}

/// "Russia said Sudan must return the helicopter": a demand by the speaker on the actor before
/// `must`. Without both a named obligee and a speaker, `must` is no evidence.
fn demand(
    sentence: &Sentence<'_>,
    chain: &Chain,
    discourse: &mut Discourse,
    factor: f64,
    mut modifiers: Vec<&'static str>,
) -> Option<Attribution> {
    let mut before = chain.first;
    while before > sentence.start {
        before -= 1;
        if !sentence.tokens[before].has(SKIPPED) {
            break;
        }
    }
    let obligee = sentence.mention(before)?;
    let target = sentence.v.mentions[obligee].actor & !DOMESTIC;
    let speakers = find_subject(sentence, sentence.v.mentions[obligee].first, discourse).actors;
    let dyads: Vec<(u32, u32)> = speakers
        .iter()
        .map(|&s| (s & !DOMESTIC, target))
        .filter(|&(s, t)| s != t)
        .collect();
    if dyads.is_empty() {
        return None;
    }
    modifiers.push("demand");
    Some(Attribution {
        first: chain.first,
        last: chain.last,
        cue: chain.cue,
        stance: Stance::Hawkish,
        weight: Weight::from_f64((chain.info.weight.as_f64() * factor).clamp(0.0001, 1.0)),
        modifiers,
        dyads,
        tone: Vec::new(),
    })
}

/// Applies negation, hedges, intent, intensity and clause modifiers. `None` drops the cue.
fn apply_modifiers(
    sentence: &Sentence<'_>,
    chain: &Chain,
    stance: &mut Stance,
    symmetric: &mut bool,
    factor: &mut f64,
    modifiers: &mut Vec<&'static str>,
) -> Option<()> {
    let clause_start = sentence.clause_start(chain.first);
    let mut negations = 0;
    let mut hedge = false;
    let mut intent = false;
    let mut intensified = false;
    let mut dampened = false;
    let mut reversed = false;
    let mut background = false;
    let mut index = chain.first;
    let mut steps = 0;
    while index > clause_start && steps < 7 {
        index -= 1;
        if sentence.mention(index).is_some()
            || sentence.in_class(index, class::COMMA | class::PERIOD)
        {
            break;
        }
        if sentence.tokens[index].has(SKIPPED) {
            continue;
        }
        steps += 1;
        if sentence.in_class(index, class::REVERSERS) && !reversed {
            reversed = true;
        } else if sentence.in_class(index, class::BACKGROUND) {
            background = true;
        } else if sentence.in_class(index, class::NEGATORS)
            || sentence.tokens[index].kind == Kind::Negation
        {
            // "ruled out" negates; "stopped short of" negates once.
            negations += 1;
        } else if sentence.in_class(index, class::RULE_FORMS)
            && index + 1 < sentence.end
            && sentence.in_class(index + 1, class::OUT)
        {
            negations += 1;
        } else if sentence.in_class(index, class::HEDGES) {
            hedge = true;
        } else if sentence.in_class(index, class::INTENT) {
            intent = true;
        } else if sentence.in_class(index, class::INTENSIFIERS) {
            intensified = true;
        } else if sentence.in_class(index, class::DAMPENERS) {
            dampened = true;
        }
    }
    if !reversed && chain.info.stance == Stance::Hawkish {
        // "tensions … have eased", "the standoff ended": the hostility is over.
        let clause_end = sentence.clause_end(chain.last);
        let mut after = chain.last + 1;
        let mut words = 0;
        while after < clause_end && words < 5 {
            let token = sentence.tokens[after];
            if sentence.v.cue_at[after - sentence.start] {
                break;
            }
            if sentence.mention(after).is_some() {
                // "Tensions between Japan and China have eased": look past the actors.
                after += 1;
                continue;
            }
            if !token.has(SKIPPED) {
                if sentence.in_class(after, class::REVERSERS)
                    && sentence.word(after).ends_with("ed")
                {
                    reversed = true;
                    break;
                }
                words += 1;
            }
            after += 1;
        }
    }
    if reversed {
        *stance = stance.flipped();
        *factor *= 0.8;
        modifiers.push("reversed");
    }
    if background {
        *factor *= 0.5;
        modifiers.push("background");
    }
    if negations % 2 == 1 {
        match *stance {
            // Not condemning is not praise: a negated hawkish cue is no evidence.
            Stance::Hawkish => return None,
            // Refusing to cooperate is hawkish.
            Stance::Conciliatory => {
                *stance = Stance::Hawkish;
                *symmetric = false;
                *factor *= 0.6;
                modifiers.push("negated");
            }
        }
    } else if negations >= 2 {
        // "has not ruled out": a double negation reads as a hedge.
        hedge = true;
        modifiers.push("double negation");
    }
    if hedge {
        *factor *= 0.6;
        modifiers.push("hedge");
    }
    if intent {
        *factor *= 0.8;
        modifiers.push("intent");
    }
    if intensified {
        *factor *= 1.3;
        modifiers.push("intensified");
    }
    if dampened {
        *factor *= 0.6;
        modifiers.push("dampened");
    }
    let clause = sentence.v.clauses[sentence.clause(chain.first)];
    if clause.conditional {
        // The act inside "if …" is hypothetical: no evidence. The offer or threat in the main
        // clause is what the source actually expressed.
        return None;
    }
    if clause.concessive {
        *factor *= 0.7;
        modifiers.push("concessive");
    }
    Some(())
}

/// "… by Moscow" within a few tokens after the cue.
fn find_by_agent(sentence: &Sentence<'_>, tail: usize, clause_end: usize) -> Option<usize> {
    // "Sanctions against Belarus were extended for another year by the European Council".
    let limit = (tail + 11).min(clause_end);
    let mut index = tail + 1;
    while index < limit {
        if sentence.in_class(index, class::BY) {
            let mut next = index + 1;
            while next < sentence.end && sentence.tokens[next].has(SKIPPED) {
                next += 1;
            }
            return (next < sentence.end)
                .then(|| sentence.mention(next))
                .flatten();
        }
        if let Some(m) = sentence.mention(index) {
            sentence.governor(m)?;
            index = sentence.v.mentions[m].last + 1;
            continue;
        }
        if sentence.in_class(index, class::COMMA | class::SEMICOLON)
            || sentence.v.cue_at[index - sentence.start]
        {
            return None;
        }
        index += 1;
    }
    None
}

/// The actors of mention `m` and those coordinated before it ("Japan and South Korea").
fn coordinated_subject(sentence: &Sentence<'_>, m: usize) -> Vec<u32> {
    let mut actors = vec![sentence.v.mentions[m].actor];
    let mut cursor = sentence.v.mentions[m].first;
    loop {
        let mut joiner = cursor;
        while joiner > sentence.start && sentence.tokens[joiner - 1].has(SKIPPED) {
            joiner -= 1;
        }
        if joiner < sentence.start + 2 {
            return actors;
        }
        let joiner = joiner - 1;
        let joined = sentence.in_class(joiner, class::AND_AMPERSAND)
            || sentence.in_class(joiner, class::COMMA);
        match joined.then(|| sentence.mention(joiner - 1)).flatten() {
            Some(prev) => {
                actors.insert(0, sentence.v.mentions[prev].actor);
                cursor = sentence.v.mentions[prev].first;
            }
            None => return actors,
        }
    }
}

/// The actors of mention `m` and those coordinated after it ("by Poland, Hungary and
/// Slovakia", "with the United States, Japan and South Korea").
fn coordinated_from(sentence: &Sentence<'_>, m: usize) -> Vec<u32> {
    let mut actors = vec![sentence.v.mentions[m].actor];
    let mut current = m;
    loop {
        let mut joiner = sentence.v.mentions[current].last + 1;
        let mut saw_joiner = false;
        while joiner < sentence.end
            && (sentence.in_class(joiner, class::AND_OR_AMPERSAND)
                || sentence.in_class(joiner, class::COMMA)
                || sentence.tokens[joiner].has(SKIPPED))
        {
            saw_joiner |= !sentence.tokens[joiner].has(SKIPPED);
            joiner += 1;
        }
        match (saw_joiner && joiner < sentence.end)
            .then(|| sentence.mention(joiner))
            .flatten()
        {
            Some(next) if next == current + 1 => {
                actors.push(sentence.v.mentions[next].actor);
                current = next;
            }
            _ => return actors,
        }
    }
}

/// "to the frustration of Kyiv", "to the dismay of Brussels": the actor after `of` reacts to the
/// clause's subject.
fn reaction_of(
    sentence: &Sentence<'_>,
    head: usize,
    tail: usize,
    clause_end: usize,
) -> Option<usize> {
    let mut before = head;
    while before > sentence.start && sentence.tokens[before - 1].has(SKIPPED) {
        before -= 1;
    }
    if before == sentence.start || !sentence.in_class(before - 1, class::TO) {
        return None;
    }
    let mut after = tail + 1;
    if after >= clause_end || !sentence.in_class(after, class::OF) {
        return None;
    }
    after += 1;
    while after < clause_end && sentence.tokens[after].has(SKIPPED) {
        after += 1;
    }
    (after < clause_end)
        .then(|| sentence.mention(after))
        .flatten()
}

/// "criticism from Washington", "a sharp rebuke from Seoul": the actor after `from` is the
/// source of a nominal cue (a verb followed by `from`, as in "withdrew from", is not).
fn from_agent(sentence: &Sentence<'_>, tail: usize, clause_end: usize) -> Option<usize> {
    let word = sentence.word(tail).to_ascii_lowercase();
    if VERB_ENDINGS.iter().any(|s| word.ends_with(s)) {
        return None;
    }
    let mut index = tail + 1;
    let mut words = 0;
    while index < clause_end && words <= 1 {
        if sentence.tokens[index].has(SKIPPED) {
            index += 1;
            continue;
        }
        if sentence.in_class(index, class::FROM) {
            let mut next = index + 1;
            while next < sentence.end && sentence.tokens[next].has(SKIPPED) {
                next += 1;
            }
            return (next < sentence.end)
                .then(|| sentence.mention(next))
                .flatten();
        }
        words += 1;
        index += 1;
    }
    None
}

/// The be-form of a passive before the cue ("was rebuked", "were sharply condemned"): within
/// three tokens, inside the clause.
fn passive_be(sentence: &Sentence<'_>, head: usize, clause_start: usize) -> Option<usize> {
    (head.saturating_sub(3).max(clause_start)..head)
        .rev()
        .find(|&index| sentence.in_class(index, class::BE_FORMS))
}

/// The first actor named as a subject inside a conditional clause of the sentence.
fn condition_actor(sentence: &Sentence<'_>) -> Option<u32> {
    (0..sentence.v.mentions.len()).find_map(|m| {
        let mention = sentence.v.mentions[m];
        let clause = sentence.v.clauses[sentence.clause(mention.first)];
        (clause.conditional && mention.actor & DOMESTIC == 0 && sentence.governor(m).is_none())
            .then_some(mention.actor)
    })
}

/// True when the be-form follows a relative pronoun ("a helicopter that was captured").
fn after_relative(sentence: &Sentence<'_>, be: usize) -> bool {
    be > sentence.start && sentence.in_class(be - 1, class::RELATIVE_PRONOUNS)
}

fn is_participle(word: &str) -> bool {
    word.len() > 3 && (word.ends_with("ed") || word.ends_with("en"))
}

/// "US-led sanctions": X-led/X-backed directly before the cue.
fn hyphen_agent(sentence: &Sentence<'_>, head: usize) -> Option<u32> {
    if head < sentence.start + 2 {
        return None;
    }
    let participle = head - 1;
    if sentence.tokens[participle].has(HYPHENATED)
        && sentence.in_class(participle, class::AGENT_PARTICIPLES)
    {
        return sentence
            .mention(participle - 1)
            .map(|m| sentence.v.mentions[m].actor);
    }
    None
}

/// "anti-Russian sanctions": the actor after anti- is the target.
fn anti_target(sentence: &Sentence<'_>, head: usize) -> Option<u32> {
    let mut index = head;
    let mut steps = 0;
    while index > sentence.start && steps < 3 {
        index -= 1;
        steps += 1;
        if let Some(m) = sentence.mention(index) {
            let first = sentence.v.mentions[m].first;
            if first > sentence.start
                && sentence.tokens[first].has(HYPHENATED)
                && sentence.in_class(first - 1, class::ANTI_PREFIXES)
            {
                return Some(sentence.v.mentions[m].actor);
            }
            return None;
        }
    }
    None
}

/// An actor directly attached to a nominal cue: "Russia's harsh response", "North Korean
/// belligerence", "Chinese punitive measures". Wins even after a preposition.
fn attached_modifier(sentence: &Sentence<'_>, head: usize) -> Option<usize> {
    let mut index = head;
    let mut words = 0;
    while index > sentence.start {
        index -= 1;
        let token = sentence.tokens[index];
        if token.kind == Kind::Possessive {
            continue;
        }
        if let Some(m) = sentence.mention(index) {
            if anti_target(sentence, head).is_some() {
                return None;
            }
            let attached_by_possessive = sentence.is_possessive(m);
            // A bare name directly before a verb cue is left to the subject rule (which sees
            // coordination, "Japan and Korea condemned"); this rule is for possessives and for
            // nominal cues after a preposition ("to North Korean belligerence").
            let governed_adjacent = words == 0 && sentence.governor(m).is_some();
            if attached_by_possessive || governed_adjacent {
                // "Japan-Russia collaboration": a compound pair is handled as a pair subject.
                if is_compound_member(sentence, m) {
                    return None;
                }
                return Some(m);
            }
            return None;
        }
        if token.has(SKIPPED) || token.kind != Kind::Word {
            return None;
        }
        // Allow one or two adjectives between ("Russia's unusually harsh response").
        if sentence.in_class(index, class::TARGET_PREPOSITIONS)
            || sentence.in_class(index, class::OTHER_PREPOSITIONS)
            || sentence.in_class(index, class::BE_FORMS)
            || sentence.in_class(index, class::NOT_ATTACHED)
            || words >= 2
        {
            return None;
        }
        words += 1;
    }
    None
}

fn is_compound_member(sentence: &Sentence<'_>, m: usize) -> bool {
    let mention = sentence.v.mentions[m];
    let joined_before = sentence.tokens[mention.first].has(HYPHENATED)
        && mention.first > sentence.start
        && sentence.mention(mention.first - 1).is_some();
    let joined_after = mention.last + 1 < sentence.end
        && sentence.tokens[mention.last + 1].has(HYPHENATED)
        && sentence.mention(mention.last + 1).is_some();
    joined_before || joined_after
}

/// The subject of the cue: the nearest actor to the left that no preposition governs, with
/// coordination ("Russia and China"), compounds ("Russia-Japan relations"), pronouns and
/// "the two countries" resolved. Searches the cue's clause, then earlier clauses.
///
/// A possessive after a verb ("Moscow described Pyongyang's test as a violation") is an object,
/// not a subject: it is returned separately so it can serve as the target.
fn find_subject(sentence: &Sentence<'_>, head: usize, discourse: &Discourse) -> Subject {
    let mut index = head;
    let mut object = None;
    let own_clause = sentence.clause(head);
    let may_borrow = clause_shares_subject(sentence, own_clause);
    let mut borrowed = false;
    while index > sentence.start {
        index -= 1;
        if sentence.clause(index) != own_clause {
            if !may_borrow {
                // "… but media reports said clashes continued": the clause has a subject of
                // its own that is not an actor, so the earlier clause's subject is not borrowed.
                break;
            }
            // "Beijing praised Islamabad … while warning New Delhi": the borrowed subject is
            // the earlier clause's subject (its first free actor), not its object.
            let clause = sentence.clause(index);
            let subject = (0..sentence.v.mentions.len()).find(|&m| {
                let mention = sentence.v.mentions[m];
                sentence.clause(mention.first) == clause
                    && mention.actor & DOMESTIC == 0
                    && sentence.governor(m).is_none()
            });
            if !borrowed {
                borrowed = true;
                if let Some(m) = subject {
                    // Resume the walk just after that mention, so it is the next one met.
                    index = sentence.v.mentions[m].last + 1;
                    continue;
                }
            }
        }
        if let Some(m) = sentence.mention(index) {
            let mention = sentence.v.mentions[m];
            index = mention.first;
            if sentence.governor(m).is_some() {
                continue;
            }
            if sentence.is_possessive(m)
                && object.is_none()
                && is_after_verb(sentence, mention.first)
            {
                object = Some(mention.actor);
                continue;
            }
            let mut actors = vec![mention.actor];
            let mut cursor = mention.first;
            // Compound "X-Y" and coordination "X and Y" / "X, Y and Z".
            loop {
                if sentence.tokens[cursor].has(HYPHENATED)
                    && cursor > sentence.start
                    && let Some(prev) = sentence.mention(cursor - 1)
                {
                    actors.insert(0, sentence.v.mentions[prev].actor);
                    cursor = sentence.v.mentions[prev].first;
                    continue;
                }
                // Skip a determiner: "Japan, South Korea and the United States".
                let mut joiner = cursor;
                while joiner > sentence.start && sentence.tokens[joiner - 1].has(SKIPPED) {
                    joiner -= 1;
                }
                if joiner >= sentence.start + 2 {
                    let joiner = joiner - 1;
                    if (sentence.in_class(joiner, class::AND_AMPERSAND)
                        || sentence.in_class(joiner, class::COMMA))
                        && let Some(prev) = sentence.mention(joiner - 1)
                    {
                        actors.insert(0, sentence.v.mentions[prev].actor);
                        cursor = sentence.v.mentions[prev].first;
                        continue;
                    }
                }
                break;
            }
            actors.dedup();
            return Subject { actors, object };
        }
        let token = sentence.tokens[index];
        if token.kind == Kind::Word && !preceded_by_preposition(sentence, index) {
            let country_reference = sentence.in_class(index, class::STATE_NOUNS)
                && index > sentence.start
                && (sentence.tokens[index - 1].has(SKIPPED)
                    || sentence.in_class(index - 1, class::SINGULAR_PRONOUNS));
            if sentence.in_class(index, class::SINGULAR_PRONOUNS) || country_reference {
                // The antecedent: an earlier subject in this sentence ("King Hassan of Morocco
                // said he …"), else the last subject of the discourse.
                let antecedent = (0..sentence.v.mentions.len())
                    .rev()
                    .filter(|&m| sentence.v.mentions[m].last < index)
                    .find(|&m| {
                        sentence.governor(m).is_none()
                            && sentence.v.mentions[m].actor & DOMESTIC == 0
                    })
                    .map(|m| sentence.v.mentions[m].actor)
                    .or(discourse.last_subject);
                return Subject {
                    actors: antecedent.into_iter().collect(),
                    object,
                };
            }
            let pair = sentence.in_class(index, class::PLURAL_PRONOUNS)
                || (sentence.in_class(index, class::PAIR_NOUNS)
                    && index > sentence.start
                    && sentence.in_class(index - 1, class::PAIR_COUNTS));
            if pair {
                // "Palestinian leaders said they would …": an earlier subject of this sentence
                // first, else the last two actors of the discourse.
                let plural_pronoun = sentence.in_class(index, class::PLURAL_PRONOUNS);
                let antecedent = (0..sentence.v.mentions.len())
                    .rev()
                    .filter(|&m| sentence.v.mentions[m].last < index)
                    .find(|&m| {
                        sentence.governor(m).is_none()
                            && sentence.v.mentions[m].actor & DOMESTIC == 0
                    });
                let actors = match antecedent {
                    Some(m) if plural_pronoun => coordinated_subject(sentence, m),
                    _ => discourse
                        .pair()
                        .map(|(a, b)| vec![a, b])
                        .unwrap_or_default(),
                };
                return Subject { actors, object };
            }
        }
    }
    Subject {
        actors: Vec::new(),
        object,
    }
}

/// True when clause `clause` continues the previous clause's subject: its first word after the
/// opener is an auxiliary, a negation, a past-tense verb or a cue ("… but refused to …").
fn clause_shares_subject(sentence: &Sentence<'_>, clause: usize) -> bool {
    let first = sentence.v.clauses[clause].first;
    let mut index = first;
    if sentence.tokens[index].kind == Kind::Punct
        || sentence.in_class(index, class::CONTRASTIVE)
        || sentence.in_class(index, class::CONCESSIVE_OPENERS)
        || sentence.in_class(index, class::CONDITIONAL_OPENERS)
    {
        index += 1;
    }
    while index < sentence.end
        && (sentence.tokens[index].has(SKIPPED) || sentence.in_class(index, class::COMMA))
    {
        index += 1;
    }
    if index >= sentence.end || clause == 0 {
        return true;
    }
    let token = sentence.tokens[index];
    sentence.v.cue_at[index - sentence.start]
        || token.kind == Kind::Negation
        || sentence.mention(index).is_some()
        || sentence.in_class(index, class::SINGULAR_PRONOUNS)
        || sentence.in_class(index, class::PLURAL_PRONOUNS)
        || sentence.in_class(index, class::NEGATORS)
        || sentence.in_class(index, class::HEDGES)
        || sentence.in_class(index, class::SUBJECT_CONTINUERS)
        || (sentence.word(index).ends_with("ed") && !token.has(crate::token::CAPITAL))
}

struct Subject {
    actors: Vec<u32>,
    /// A possessive object met on the way ("described Pyongyang's test").
    object: Option<u32>,
}

/// True when the word before `index` (past determiners) is a lowercase word that is not a
/// conjunction: the mention is then most likely an object.
fn is_after_verb(sentence: &Sentence<'_>, index: usize) -> bool {
    let mut i = index;
    while i > sentence.start {
        i -= 1;
        let token = sentence.tokens[i];
        if token.has(SKIPPED) {
            continue;
        }
        return token.kind == Kind::Word
            && !token.has(crate::token::CAPITAL)
            && !sentence.in_class(i, class::CLAUSE_JOINERS);
    }
    false
}

fn preceded_by_preposition(sentence: &Sentence<'_>, index: usize) -> bool {
    index > sentence.start
        && (sentence.in_class(index - 1, class::TARGET_PREPOSITIONS)
            || sentence.in_class(index - 1, class::OTHER_PREPOSITIONS))
}

enum Targets {
    None,
    Some(Vec<u32>),
    Pair(u32, u32),
}

/// Targets to the right of the cue: a marked actor (toward, against, with, on …), a direct object
/// within a few words, "between X and Y" and "X-Y relations" pairs, and coordinated lists.
fn find_targets(
    sentence: &Sentence<'_>,
    tail: usize,
    clause_end: usize,
    hostile: bool,
    from_ok: bool,
) -> Targets {
    let verb = sentence.word(tail).to_ascii_lowercase();
    let from_counterpart = from_ok
        || !hostile
            && (verb.ends_with('s') || VERB_ENDINGS.iter().any(|suffix| verb.ends_with(suffix)));
    let limit = (tail + 13).min(clause_end);
    let mut index = tail + 1;
    let mut opened = false;
    while index < limit {
        if sentence.in_class(
            index,
            class::COMMA | class::SEMICOLON | class::COLON | class::PERIOD,
        ) && !opened
        {
            return Targets::None;
        }
        if sentence.in_class(index, class::TARGET_PREPOSITIONS)
            && !sentence.in_class(index, class::OF_IN_FOR)
        {
            opened = true;
        }
        if let Some(m) = sentence.mention(index) {
            let mention = sentence.v.mentions[m];
            let governor = sentence.governor(m);
            let distance = (tail + 1..mention.first)
                .filter(|&i| !sentence.tokens[i].has(SKIPPED))
                .count()
                + 1;
            let accepted = match governor {
                None => distance <= 4 || opened,
                // "bought jets from France", "buys gas from Qatar": the counterpart of a
                // cooperative verb; after a noun, "from X" names the source instead.
                Some(g) if sentence.in_class(g, class::FROM) => from_counterpart,
                Some(g) if sentence.in_class(g, class::BY) => false,
                Some(g) if sentence.in_class(g, class::BETWEEN) => true,
                // "investment in Russia", "condemnation of Iran", "support for Ukraine": only
                // right after the cue; further away "in X" is a place ("signed in Washington").
                // A hostile act in a place is aimed at that state ("riots in Israel"); a
                // cooperative one there only has a venue ("signed in Washington").
                Some(g) if sentence.in_class(g, class::IN) => {
                    distance <= 1 || opened || (hostile && distance <= 4)
                }
                Some(g) if sentence.in_class(g, class::OF_FOR) => distance <= 3 || opened,
                Some(g) if sentence.in_class(g, class::TARGET_PREPOSITIONS) => true,
                Some(_) => opened,
            };
            if accepted && hostile && governor.is_some_and(|g| sentence.in_class(g, class::TO)) {
                // "complained to the United Nations over Israeli air raids": the addressee is
                // not the target when a grievance follows.
                let grievance = (m + 1..sentence.v.mentions.len())
                    .take_while(|&n| sentence.v.mentions[n].first < limit)
                    .find(|&n| {
                        sentence
                            .governor(n)
                            .is_some_and(|g| sentence.in_class(g, class::GRIEVANCE_PREPOSITIONS))
                    });
                if let Some(n) = grievance {
                    index = sentence.v.mentions[n].first;
                    continue;
                }
            }
            if accepted {
                // "between X and Y" or "X-Y": a pair.
                if let Some(next) = sentence.v.mentions.get(m + 1) {
                    let joined = sentence.tokens[next.first].has(HYPHENATED)
                        && next.first == mention.last + 1;
                    let between = governor.is_some_and(|g| sentence.in_class(g, class::BETWEEN))
                        && next.first == mention.last + 2
                        && sentence.in_class(mention.last + 1, class::AND_AMPERSAND);
                    if (joined || between) && next.actor != mention.actor {
                        return Targets::Pair(mention.actor, next.actor);
                    }
                }
                // Coordinated list: "with the United States, Japan and South Korea".
                return Targets::Some(coordinated_from(sentence, m));
            }
            index = mention.last + 1;
            continue;
        }
        index += 1;
    }
    Targets::None
}

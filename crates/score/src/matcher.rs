//! Finds actor aliases, non-actor places and lexicon cues as runs of whole tokens.
//!
//! Every pattern is a sequence of words, each of which a token must match: exactly (`korea`),
//! as one of the forms of an inner stem (`expel*` in `expel* diplomat*`: `expel`, `expels`,
//! `expelled`, ...), or, for the last word only, by starting with a stem (`diplomat*`). Tokens
//! are compared by their normalised text (lowercase, `’` as `'`), and determiners are left out
//! of both the tokens and the patterns, so "improve its relations" matches `improve relations`.
//!
//! The matcher works on token ids rather than on bytes. Each token's normalised text is walked
//! once through a byte trie of every word that appears in a pattern ([`WordTrie`]), which
//! gives the few *keys* the token matches (a word, an inner stem's forms, a final stem); most
//! tokens match none and are passed over; an ASCII word seen recently takes its keys from a
//! memo instead ([`WalkMemo`]). Patterns then form a trie over keys
//! ([`PatternTrie`]), followed from each token that has a key. An earlier version matched an
//! overlapping Aho-Corasick automaton over a normalised text stream of the whole document;
//! building that stream and scanning its every byte cost more than the rest of matching, and it
//! is kept as a test oracle (`oracle`) that this matcher must agree with hit for hit.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use crate::attribute;
use crate::config::{Actors, Cue, Lexicon};
use crate::token::{self, ALL_CAPS, ASCII, CAPITAL, Kind, SKIPPED, Token};

/// How the text must be capitalised for an alias word to match.
#[derive(Debug, Clone)]
pub(crate) enum Case {
    /// Any capitalisation.
    Any,
    /// The first letter is uppercase ("Turkey", not "turkey").
    Capital,
    /// Exactly these characters ("US", not "us" or "Us").
    Exact(Box<str>),
}

impl Case {
    /// What an alias's `token` (its text `word`) asks of the text: an all-caps word exactly
    /// ("US"), a capitalised one a capital ("Turkey"), anything else nothing.
    fn of(token: Token, word: &str) -> Case {
        if token.kind != Kind::Word {
            Case::Any
        } else if token.has(ALL_CAPS) {
            Case::Exact(word.into())
        } else if token.has(CAPITAL) {
            Case::Capital
        } else {
            Case::Any
        }
    }

    /// Whether `token` of `text` is capitalised as this rule asks.
    fn fits(&self, text: &str, token: Token) -> bool {
        match self {
            Case::Any => true,
            Case::Capital => token.has(CAPITAL),
            Case::Exact(word) => text[token.start as usize..token.end as usize] == **word,
        }
    }
}

/// What a pattern stands for.
#[derive(Debug, Clone)]
enum Entry {
    Alias { actor: u32, case: Box<[Case]> },
    Place,
    Cue { cue: u32 },
}

/// One word of a pattern, as a token must match it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Element {
    /// Exactly this normalised text.
    Word(Box<str>),
    /// One of the forms of an inner stem (the stem with each of `SUFFIXES`).
    Forms(Box<str>),
    /// Any text starting with this stem (the last word of a pattern only).
    Stem(Box<str>),
}

/// An actor mention or a place: tokens `first..=last`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) first: usize,
    pub(crate) last: usize,
    /// The actor index, the cue index, or `u32::MAX` for a place.
    pub(crate) id: u32,
}

pub(crate) const PLACE: u32 = u32::MAX;

/// A hasher for the pattern trie's `u64` edge keys (one multiplication, no per-call state),
/// also used for the builder's map of pattern elements.
///
/// The keys are small integers built by the matcher itself and the words of the built-in and
/// user lexicons, so collision attacks are not a concern, and the default SipHash would cost
/// more than the rest of a lookup.
#[derive(Debug, Default, Clone, Copy)]
struct EdgeHasher(u64);

impl Hasher for EdgeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes a step, the last chunk padded with zeros: the builder hashes every
        // pattern word's text this way.
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, value: u64) {
        // The high bits of the product decide the bucket in hashbrown, so fold them down too.
        let product = (self.0 ^ value).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        self.0 = product ^ (product >> 29);
    }
}

type EdgeMap = HashMap<u64, u32, BuildHasherDefault<EdgeHasher>>;

/// A byte trie of every pattern word, walked once per token.
///
/// A node's children are consecutive nodes, ordered by [byte class](CLASS) and then by byte,
/// and the blocks of children are laid out depth first, so the nodes of one word's path sit
/// close together. Each node has a bit per class saying whether a child's byte is of that
/// class; the classes of letters, digits and a little punctuation hold one byte each, so the
/// step on such a byte is a bit test and a count of the bits below it, with no loop whose exit
/// the processor must guess (scanning the siblings for the byte was a fifth of all mispredicted
/// branches). Other bytes share the last class and are found by scanning the children of that
/// class for the label each node holds.
#[derive(Debug)]
struct WordTrie {
    /// The slot of each byte that starts a word, and the node after it (`(0, 0)`: none).
    first: Box<[(u16, u32); 256]>,
    /// The node after the first two bytes, by `slot << 8 | second` (0: no word starts so).
    /// Nodes near the root have the most children, and most tokens stop within two bytes.
    /// Only bytes that start a word have a slot, so the table is dense.
    pairs: Box<[u32]>,
    nodes: Vec<WordNode>,
    /// The keys of each node, by node: `keys[spans[i].0..spans[i].1]` are its prefix keys
    /// and `keys[spans[i].1..spans[i].2]` its whole keys. Read only at nodes whose flags say
    /// they have keys.
    spans: Vec<(u32, u32, u32)>,
    keys: Vec<u32>,
}

/// A node of the compiled [`WordTrie`]: 16 bytes.
#[derive(Debug, Clone, Copy)]
struct WordNode {
    /// Bit `c` (below [`KEY_SHIFT`]) is set when a child's byte is of class `c` (bit
    /// [`OTHER`]: of any byte without a class of its own). The bits from [`KEY_SHIFT`] up hold
    /// the node's key plus one when it has exactly one key (8,211 of the 8,484 built-in nodes
    /// with keys), so the walk takes it from the node instead of looking up its span and then
    /// the key; 0 when it has none or several, or a key too large for them.
    classes: u64,
    /// The first child; the others follow it.
    children: u32,
    /// The byte on the edge into this node.
    label: u8,
    /// The number of children. A node has at most one child per byte value that can follow
    /// in UTF-8 text, and 13 byte values never occur in UTF-8, so this fits.
    child_count: u8,
    /// Whether the node has prefix keys (a stem ends here) or whole keys (a word does).
    prefix: bool,
    whole: bool,
}

/// The class of bytes without one of their own.
const OTHER: u8 = 40;

/// Where a [`WordNode`]'s single key starts in its `classes`, above every class bit.
const KEY_SHIFT: u32 = OTHER as u32 + 1;

/// Each byte's class: `a`-`z`, `0`-`9`, `'`, `-`, `.` and `&` one each, [`OTHER`] for the rest
/// (uppercase letters are lowercased before the walk looks a byte up).
static CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut byte = 0;
    while byte < 26 {
        class[(b'a' + byte) as usize] = byte;
        byte += 1;
    }
    let mut digit = 0;
    while digit < 10 {
        class[(b'0' + digit) as usize] = 26 + digit;
        digit += 1;
    }
    class[b'\'' as usize] = 36;
    class[b'-' as usize] = 37;
    class[b'.' as usize] = 38;
    class[b'&' as usize] = 39;
    class
};

/// The word trie while words are entered: node 0 is the root. Edges and keys go into flat
/// lists and are grouped by node when the trie is compiled (three `Vec`s for each of 22,000
/// nodes, grown a push at a time, took 8.2 M instructions to enter the built-in words; this
/// takes 5.4 M).
#[derive(Debug, Default)]
struct WordTrieBuilder {
    /// The child at the end of the edge `node << 8 | byte`.
    edges: EdgeMap,
    /// (node, byte, child) for every edge, in the order they were made: child `i + 1` is the
    /// end of edge `i`.
    edge_list: Vec<(u32, u8, u32)>,
    /// (node, key): keys a token matches when its text ends at the node, in the order added.
    whole: Vec<(u32, u32)>,
    /// (node, key): keys a token matches when its text reaches the node (stems).
    prefix: Vec<(u32, u32)>,
}

/// `items` (node, value) grouped by node, in the order given within a node: the values, and
/// where each of the `nodes` nodes' run starts (`nodes + 1` entries).
fn group_by_node<T: Copy + Default>(items: &[(u32, T)], nodes: usize) -> (Vec<T>, Vec<u32>) {
    let mut starts = vec![0u32; nodes + 1];
    for &(node, _) in items {
        starts[node as usize + 1] += 1;
    }
    for node in 0..nodes {
        starts[node + 1] += starts[node];
    }
    let mut next = starts.clone();
    let mut grouped = vec![T::default(); items.len()];
    for &(node, value) in items {
        let slot = &mut next[node as usize];
        grouped[*slot as usize] = value;
        *slot += 1;
    }
    (grouped, starts)
}

impl WordTrieBuilder {
    /// A builder with room for `edges` edges (the built-in patterns make about 22,000).
    fn with_capacity(edges: usize) -> WordTrieBuilder {
        WordTrieBuilder {
            edges: EdgeMap::with_capacity_and_hasher(edges, BuildHasherDefault::default()),
            edge_list: Vec::with_capacity(edges),
            ..WordTrieBuilder::default()
        }
    }

    /// The node for `text`, created if needed.
    fn node(&mut self, text: &str) -> u32 {
        let mut node = 0;
        for &byte in text.as_bytes() {
            let edge = u64::from(node) << 8 | u64::from(byte);
            node = match self.edges.get(&edge) {
                Some(&child) => child,
                None => {
                    let child = self.edge_list.len() as u32 + 1;
                    self.edges.insert(edge, child);
                    self.edge_list.push((node, byte, child));
                    child
                }
            };
        }
        node
    }

    /// Numbers the nodes and lays them out flat: each node's children as one block, and the
    /// blocks depth first, so a word's path runs forward through one short stretch of memory.
    fn compile(self) -> WordTrie {
        let n_nodes = self.edge_list.len() + 1;
        let children_by_node: Vec<(u32, (u8, u32))> = self
            .edge_list
            .iter()
            .map(|&(node, byte, child)| (node, (byte, child)))
            .collect();
        let (mut children_of, child_starts) = group_by_node(&children_by_node, n_nodes);
        let (whole_of, whole_starts) = group_by_node(&self.whole, n_nodes);
        let (prefix_of, prefix_starts) = group_by_node(&self.prefix, n_nodes);
        let run = |starts: &[u32], node: usize| starts[node] as usize..starts[node + 1] as usize;
        for node in 0..n_nodes {
            children_of[run(&child_starts, node)].sort_unstable_by_key(|&(byte, _)| byte);
        }
        // The builder's node and the byte into it at each position of the new order, and the
        // position of each laid-out node's first child.
        let mut order = vec![(0u32, 0u8)];
        let mut children = vec![0u32; n_nodes];
        // Positions whose children are still to be laid out; the first child's block comes
        // right after its parent's, then its first child's, and so on down the path.
        let mut pending = vec![0u32];
        while let Some(at) = pending.pop() {
            let start = order.len() as u32;
            children[at as usize] = start;
            let old = order[at as usize].0 as usize;
            order.extend(
                children_of[run(&child_starts, old)]
                    .iter()
                    .map(|&(byte, child)| (child, byte)),
            );
            order[start as usize..].sort_by_key(|&(_, byte)| (CLASS[usize::from(byte)], byte));
            pending.extend((start..order.len() as u32).rev());
        }
        let mut nodes = Vec::with_capacity(n_nodes);
        let mut spans = Vec::with_capacity(n_nodes);
        let mut keys = Vec::new();
        for (&(old, label), &children) in order.iter().zip(&children) {
            let old = old as usize;
            let (prefix, whole) = (
                &prefix_of[run(&prefix_starts, old)],
                &whole_of[run(&whole_starts, old)],
            );
            let old_children = &children_of[run(&child_starts, old)];
            let start = keys.len() as u32;
            keys.extend_from_slice(prefix);
            let middle = keys.len() as u32;
            keys.extend_from_slice(whole);
            spans.push((start, middle, keys.len() as u32));
            nodes.push(WordNode {
                classes: old_children
                    .iter()
                    .fold(WordNode::single_bits(prefix, whole), |bits, &(byte, _)| {
                        bits | 1 << CLASS[usize::from(byte)]
                    }),
                children,
                label,
                // Words are `str`s, so no byte that UTF-8 never uses follows a node.
                child_count: u8::try_from(old_children.len())
                    .expect("UTF-8 words give a node at most 243 children"),
                prefix: !prefix.is_empty(),
                whole: !whole.is_empty(),
            });
        }
        let mut first = Box::new([(0u16, 0u32); 256]);
        let root = nodes[0];
        let mut pairs = vec![0u32; (usize::from(root.child_count) + 1) << 8].into_boxed_slice();
        for (slot, one) in (root.children..root.children + u32::from(root.child_count)).enumerate()
        {
            // Slot 0 stands for "no word starts with this byte", so slots start at 1.
            let slot = slot + 1;
            let node = nodes[one as usize];
            first[usize::from(node.label)] = (slot as u16, one);
            for two in node.children..node.children + u32::from(node.child_count) {
                pairs[slot << 8 | usize::from(nodes[two as usize].label)] = two;
            }
        }
        WordTrie {
            first,
            pairs,
            nodes,
            spans,
            keys,
        }
    }
}

impl WordNode {
    /// The bits of `classes` that give a node with these prefix and whole keys its
    /// [single](WordNode::single) key: none unless it has exactly one, and it fits.
    fn single_bits(prefix: &[u32], whole: &[u32]) -> u64 {
        let plus_one = match (prefix, whole) {
            (&[key], []) | ([], &[key]) => u64::from(key) + 1,
            _ => return 0,
        };
        if plus_one >> (64 - KEY_SHIFT) == 0 {
            plus_one << KEY_SHIFT
        } else {
            0
        }
    }

    /// The node's only key, if it has one key and it fits the node.
    fn single(self) -> Option<u32> {
        // The shift leaves 23 bits, so the key plus one fits a u32.
        (self.classes >> KEY_SHIFT)
            .checked_sub(1)
            .map(|key| key as u32)
    }
}

impl WordTrie {
    /// Appends the keys of `node`: its single key, or else the list `listed` gives (its prefix
    /// or its whole keys), which is only looked up then.
    #[inline(always)]
    fn push_keys<'a>(node: WordNode, keys: &mut Vec<u32>, listed: impl FnOnce() -> &'a [u32]) {
        match node.single() {
            Some(key) => keys.push(key),
            None => keys.extend(listed().iter().copied()),
        }
    }

    /// The prefix keys of node `at`.
    fn prefix(&self, at: u32) -> &[u32] {
        let (start, middle, _) = self.spans[at as usize];
        &self.keys[start as usize..middle as usize]
    }

    /// The whole keys of node `at`.
    fn whole(&self, at: u32) -> &[u32] {
        let (_, middle, end) = self.spans[at as usize];
        &self.keys[middle as usize..end as usize]
    }

    /// Appends to `keys` every key whose word `text` is (or whose stem `text` starts with).
    /// `text` is the token's normalised text; `LOWER` says whether it still has to be
    /// lowercased (ASCII text is lowercased on the way rather than copied); a constant, so
    /// the byte loop does not test it.
    fn walk<const LOWER: bool>(&self, text: &[u8], keys: &mut Vec<u32>) {
        let Some((&first, rest)) = text.split_first() else {
            return;
        };
        let lowered = |byte: u8| {
            if LOWER {
                byte.to_ascii_lowercase()
            } else {
                byte
            }
        };
        let first = lowered(first);
        let (slot, mut at) = self.first[usize::from(first)];
        if at == 0 {
            return;
        }
        let mut node = self.nodes[at as usize];
        if node.prefix {
            Self::push_keys(node, keys, || self.prefix(at));
        }
        if let Some((&second, rest)) = rest.split_first() {
            at = self.pairs[usize::from(slot) << 8 | usize::from(lowered(second))];
            if at == 0 {
                return;
            }
            node = self.nodes[at as usize];
            if node.prefix {
                Self::push_keys(node, keys, || self.prefix(at));
            }
            for &byte in rest {
                let byte = lowered(byte);
                let class = CLASS[usize::from(byte)];
                // The children of lower classes come first, one per set bit.
                let before = (node.classes & ((1 << class) - 1)).count_ones();
                at = node.children + before;
                if class != OTHER {
                    if node.classes >> class & 1 == 0 {
                        return;
                    }
                } else {
                    let end = node.children + u32::from(node.child_count);
                    let others = &self.nodes[at as usize..end as usize];
                    match others.iter().position(|child| child.label == byte) {
                        Some(offset) => at += offset as u32,
                        None => return,
                    }
                }
                node = self.nodes[at as usize];
                if node.prefix {
                    Self::push_keys(node, keys, || self.prefix(at));
                }
            }
        }
        if node.whole {
            Self::push_keys(node, keys, || self.whole(at));
        }
    }
}

/// A trie of patterns over keys: node 0 is the root, an edge is `(node, key)`.
#[derive(Debug)]
struct PatternTrie {
    /// The child of the root for each key (0: none).
    root: Vec<u32>,
    edges: EdgeMap,
    /// Whether each node has any edge out.
    has_edges: Vec<bool>,
    /// The entries whose pattern ends at each node.
    outputs: Vec<Vec<u32>>,
}

impl PatternTrie {
    fn edge(&self, node: u32, key: u32) -> Option<u32> {
        self.edges
            .get(&(u64::from(node) << 32 | u64::from(key)))
            .copied()
    }
}

/// The compiled matcher.
#[derive(Debug)]
pub(crate) struct Matcher {
    words: WordTrie,
    patterns: PatternTrie,
    entries: Vec<Entry>,
    /// The first key of the attribution's class words ([`attribute::ascii_class_words`]):
    /// key `class_base + i` is the `i`-th word, and its class bits are `class_bits[i]`. A class
    /// word's key is the last whole key of its node, so the walk of a token leaves it last.
    class_base: u32,
    class_bits: Vec<u64>,
    pub(crate) codes: Vec<String>,
    pub(crate) cues: Vec<Cue>,
}

/// Buffers `Matcher::scan` reuses from one call to the next.
#[derive(Debug, Default)]
pub(crate) struct ScanBuffers {
    /// Alias and place hits with their tie-break rank, before overlaps are resolved.
    actor_hits: Vec<(Hit, u8)>,
    /// Cue hits kept while resolving overlaps.
    kept: Vec<Hit>,
    /// The token index of each token of the sentence that is not a determiner.
    streamed: Vec<u32>,
    /// The keys of each streamed token: `keys[key_ends[i - 1]..key_ends[i]]`.
    keys: Vec<u32>,
    key_ends: Vec<u32>,
    /// A non-ASCII token's normalised text.
    normalised: String,
    /// Pattern trie nodes still to follow, with the streamed token they reached.
    pending: Vec<(u32, u32)>,
    /// The keys of recently walked ASCII words.
    memo: WalkMemo,
}

/// Slots of a [`WalkMemo`] (a power of two): 256 KiB.
const MEMO_SLOTS: usize = 1 << 13;

/// Keys a [`WalkMemo`] slot holds; the rare word with more is walked every time.
const MEMO_KEYS: usize = 3;

/// The keys of recently walked ASCII words of up to 16 bytes, by their lowercase text: a
/// direct-mapped cache in front of [`WordTrie::walk`], which a word's walk fills and the next
/// occurrence of the word, or of another word in its slot, replaces.
///
/// Articles repeat their words: 85 % of the words of the news corpus find themselves here,
/// and a hit (two loads, a multiplication and a comparison) costs a fraction of a walk, whose
/// branches on each byte the processor cannot predict. The walk is a function of the text
/// alone, so what the memo holds changes how fast a token's keys are found, never which.
#[derive(Debug)]
struct WalkMemo {
    /// The slots, all written empty when a thread's buffers are made.
    slots: Box<[MemoSlot; MEMO_SLOTS]>,
}

impl Default for WalkMemo {
    fn default() -> WalkMemo {
        let slots = vec![MemoSlot::default(); MEMO_SLOTS].into_boxed_slice();
        WalkMemo {
            slots: slots.try_into().expect("MEMO_SLOTS slots"),
        }
    }
}

/// One word and its keys (`len` 0: empty, as no word is).
#[derive(Debug, Clone, Copy, Default)]
struct MemoSlot {
    text: [u64; 2],
    len: u8,
    count: u8,
    keys: [u32; MEMO_KEYS],
}

impl WalkMemo {
    /// Appends to `keys` what [`WordTrie::walk`] appends for the ASCII word
    /// `bytes[start..end]`, from the memo when the word is in its slot.
    #[inline]
    fn walk(
        &mut self,
        words: &WordTrie,
        bytes: &[u8],
        start: usize,
        end: usize,
        keys: &mut Vec<u32>,
    ) {
        let word = &bytes[start..end];
        let Some(text) = packed_lowercase(bytes, start, end) else {
            return words.walk::<true>(word, keys);
        };
        let hash = (text[0] ^ text[1].rotate_left(29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let index = (hash >> (64 - MEMO_SLOTS.trailing_zeros())) as usize;
        // Below MEMO_SLOTS already; the `%` shows the compiler so, and it drops the bounds check.
        let slot = &mut self.slots[index % MEMO_SLOTS];
        // `packed_lowercase` took at most 16 bytes.
        let len = word.len() as u8;
        let before = keys.len();
        if slot.len == len && slot.text == text {
            // All the slot's keys, then the ones it does not hold cut off: a fixed-size copy.
            keys.extend_from_slice(&slot.keys);
            keys.truncate(before + usize::from(slot.count));
            return;
        }
        words.walk::<true>(word, keys);
        let found = &keys[before..];
        if found.len() <= MEMO_KEYS {
            let mut held = [0; MEMO_KEYS];
            held[..found.len()].copy_from_slice(found);
            *slot = MemoSlot {
                text,
                len,
                count: found.len() as u8,
                keys: held,
            };
        }
    }
}

/// The bytes of the first eight of a word of `len` bytes (index) that are the word's.
static LOW_MASK: [u64; 17] = {
    let mut masks = [u64::MAX; 17];
    let mut len = 0;
    while len < 8 {
        masks[len] = (1 << (8 * len)) - 1;
        len += 1;
    }
    masks
};

/// The bytes of the second eight of a word of `len` bytes (index) that are the word's.
static HIGH_MASK: [u64; 17] = {
    let mut masks = [0; 17];
    let mut len = 9;
    while len <= 16 {
        masks[len] = LOW_MASK[len - 8];
        len += 1;
    }
    masks
};

/// The ASCII word `bytes[start..end]` lowercased, its bytes in order from the low bits of the
/// first integer and zeros after them; `None` for a word longer than 16 bytes, or one within
/// 16 bytes of the end of `bytes` (read 16 at a time).
#[inline]
fn packed_lowercase(bytes: &[u8], start: usize, end: usize) -> Option<[u64; 2]> {
    let len = end - start;
    let (&low_mask, &high_mask) = (LOW_MASK.get(len)?, HIGH_MASK.get(len)?);
    let chunk: &[u8; 16] = bytes.get(start..start + 16)?.try_into().ok()?;
    let (low, high) = chunk.split_at(8);
    let low = u64::from_le_bytes(low.try_into().ok()?);
    let high = u64::from_le_bytes(high.try_into().ok()?);
    Some([
        ascii_lowercase(low & low_mask),
        ascii_lowercase(high & high_mask),
    ])
}

/// Each ASCII byte of `word` lowercased: `0x20` added to the bytes `A` to `Z`.
#[inline]
fn ascii_lowercase(word: u64) -> u64 {
    word | token::ascii_uppercase_bytes(word) >> 2
}

/// Suffixes tried for a stem that is not the last word of a pattern (`expel* diplomat*`).
const SUFFIXES: &[&str] = &[
    "", "s", "es", "e", "ed", "d", "ing", "er", "ers", "ion", "ions", "ation", "ations", "ment",
    "ments", "ement", "ements", "al", "ive", "y", "ies", "ied", "ity", "ize", "ized", "ise",
    "ised", "ance", "ence", "ly",
];

impl Matcher {
    pub(crate) fn new(actors: &Actors, lexicon: &Lexicon) -> Matcher {
        // Sized for the patterns to come, so that its maps are not rebuilt as they grow.
        let patterns = actors.list().iter().map(|a| a.aliases.len()).sum::<usize>()
            + actors.places().len()
            + lexicon.cues().len();
        let mut builder = Builder::with_capacity(patterns);
        let mut tokens = Vec::new();
        for (actor_index, actor) in actors.list().iter().enumerate() {
            for alias in &actor.aliases {
                if let Some((words, case)) = alias_words(alias, &mut tokens) {
                    builder.add(
                        &words,
                        Entry::Alias {
                            actor: actor_index as u32,
                            case,
                        },
                    );
                }
            }
        }
        for place in actors.places() {
            if let Some((words, _)) = alias_words(place, &mut tokens) {
                builder.add(&words, Entry::Place);
            }
        }
        for (cue_index, cue) in lexicon.cues().iter().enumerate() {
            let elements = cue_elements(&cue_words(&cue.pattern));
            builder.add(
                &elements,
                Entry::Cue {
                    cue: cue_index as u32,
                },
            );
        }
        // The class words, after every pattern: their keys are above all pattern keys, and last
        // among the whole keys of their node.
        let class_base = builder.keys.len() as u32;
        let mut class_bits = Vec::new();
        for (word, bits) in attribute::ascii_class_words() {
            let node = builder.words.node(&word);
            builder
                .words
                .whole
                .push((node, class_base + class_bits.len() as u32));
            class_bits.push(bits);
        }
        let Builder {
            words,
            keys,
            edges,
            has_edges,
            outputs,
            entries,
        } = builder;
        // The root's edges, by key, so a token's first lookup is an index, not a hash probe.
        let root = (0..keys.len() as u32)
            .map(|key| edges.get(&u64::from(key)).copied().unwrap_or(0))
            .collect();
        Matcher {
            words: words.compile(),
            patterns: PatternTrie {
                root,
                edges,
                has_edges,
                outputs,
            },
            entries,
            class_base,
            class_bits,
            codes: actors.list().iter().map(|a| a.code.clone()).collect(),
            cues: lexicon.cues().to_vec(),
        }
    }

    /// Finds actor mentions (places removed) and cue hits in the tokens of each sentence
    /// (`sentences` are ranges of `tokens`), sorted and non-overlapping, and sets
    /// `classes[i]` to the [`attribute::word_classes`] of each token `i` of the sentences
    /// (`classes` has one entry per token; those of other tokens are 0).
    ///
    /// An ASCII word's classes come with its walk through the word trie, which holds the class
    /// words; skipped, non-ASCII and negation tokens are looked up.
    ///
    /// Inlined into its one caller: out of line (as the compiler chose after `bf4b372` changed
    /// the code around it) the scan ran 1.6 % more instructions on real news.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub(crate) fn scan(
        &self,
        text: &str,
        tokens: &[Token],
        sentences: &[Range<usize>],
        mentions: &mut Vec<Hit>,
        cues: &mut Vec<Hit>,
        classes: &mut Vec<u64>,
        buffers: &mut ScanBuffers,
    ) {
        mentions.clear();
        cues.clear();
        classes.clear();
        classes.resize(tokens.len(), 0);
        let ScanBuffers {
            actor_hits,
            kept,
            streamed,
            keys,
            key_ends,
            normalised,
            pending,
            memo,
        } = buffers;
        actor_hits.clear();
        kept.clear();
        for sentence in sentences {
            streamed.clear();
            keys.clear();
            key_ends.clear();
            for index in sentence.clone() {
                let token = tokens[index];
                if token.has(SKIPPED) {
                    classes[index] = attribute::word_classes(text, token);
                    continue;
                }
                let before = keys.len();
                let ascii = token.has(ASCII);
                if ascii {
                    memo.walk(
                        &self.words,
                        text.as_bytes(),
                        token.start as usize,
                        token.end as usize,
                        keys,
                    );
                } else {
                    let word = &text[token.start as usize..token.end as usize];
                    normalised.clear();
                    token::push_normalised(normalised, word);
                    self.words.walk::<false>(normalised.as_bytes(), keys);
                }
                let walked = match keys.last() {
                    Some(&key) if keys.len() > before && key >= self.class_base => {
                        keys.pop();
                        self.class_bits[(key - self.class_base) as usize]
                    }
                    _ => 0,
                };
                classes[index] = if ascii && token.kind != Kind::Negation {
                    walked
                } else {
                    attribute::word_classes(text, token)
                };
                streamed.push(index as u32);
                key_ends.push(keys.len() as u32);
            }
            let keys_of = |ordinal: usize| {
                let start = if ordinal == 0 {
                    0
                } else {
                    key_ends[ordinal - 1] as usize
                };
                &keys[start..key_ends[ordinal] as usize]
            };
            for start in 0..streamed.len() {
                pending.clear();
                for &key in keys_of(start) {
                    let child = self.patterns.root[key as usize];
                    if child != 0 {
                        pending.push((child, start as u32));
                    }
                }
                while let Some((node, reached)) = pending.pop() {
                    let (node, reached) = (node as usize, reached as usize);
                    for &entry in &self.patterns.outputs[node] {
                        self.record(
                            text,
                            tokens,
                            &streamed[start..=reached],
                            &self.entries[entry as usize],
                            actor_hits,
                            cues,
                        );
                    }
                    let next = reached + 1;
                    if next < streamed.len() && self.patterns.has_edges[node] {
                        for &key in keys_of(next) {
                            if let Some(child) = self.patterns.edge(node as u32, key) {
                                pending.push((child, next as u32));
                            }
                        }
                    }
                }
            }
        }
        resolve(actor_hits, cues, kept, mentions);
    }

    /// Files the hit of `entry` on the streamed tokens `run` (token indices, one per word).
    fn record(
        &self,
        text: &str,
        tokens: &[Token],
        run: &[u32],
        entry: &Entry,
        actor_hits: &mut Vec<(Hit, u8)>,
        cues: &mut Vec<Hit>,
    ) {
        let (Some(&first), Some(&last)) = (run.first(), run.last()) else {
            return;
        };
        let (first, last) = (first as usize, last as usize);
        match entry {
            Entry::Alias { actor, case } => {
                let fits = case
                    .iter()
                    .zip(run)
                    .all(|(rule, &index)| rule.fits(text, tokens[index as usize]));
                if fits {
                    actor_hits.push((
                        Hit {
                            first,
                            last,
                            id: *actor,
                        },
                        ALIAS_RANK,
                    ));
                }
            }
            Entry::Place => actor_hits.push((
                Hit {
                    first,
                    last,
                    id: PLACE,
                },
                PLACE_RANK,
            )),
            Entry::Cue { cue } => cues.push(Hit {
                first,
                last,
                id: *cue,
            }),
        }
    }
}

/// Collects keys, the two tries and the entries while patterns are added.
#[derive(Debug)]
struct Builder {
    words: WordTrieBuilder,
    /// The key of each distinct element.
    keys: HashMap<Element, u32, BuildHasherDefault<EdgeHasher>>,
    edges: EdgeMap,
    has_edges: Vec<bool>,
    outputs: Vec<Vec<u32>>,
    entries: Vec<Entry>,
}

impl Builder {
    /// A builder with room for about `patterns` patterns.
    fn with_capacity(patterns: usize) -> Builder {
        Builder {
            words: WordTrieBuilder::with_capacity(1 << 15),
            keys: HashMap::with_capacity_and_hasher(patterns, BuildHasherDefault::default()),
            edges: EdgeMap::with_capacity_and_hasher(2 * patterns, BuildHasherDefault::default()),
            has_edges: vec![false],
            outputs: vec![Vec::new()],
            entries: Vec::with_capacity(patterns),
        }
    }

    /// Adds the pattern `elements` for `entry`. A pattern with no elements (a cue made only
    /// of determiners) can match nothing and is left out.
    fn add(&mut self, elements: &[Element], entry: Entry) {
        let entry_index = self.entries.len() as u32;
        self.entries.push(entry);
        if elements.is_empty() {
            return;
        }
        let mut node = 0u32;
        for element in elements {
            let key = self.key(element);
            let edge = u64::from(node) << 32 | u64::from(key);
            node = match self.edges.get(&edge) {
                Some(&child) => child,
                None => {
                    let child = self.outputs.len() as u32;
                    self.outputs.push(Vec::new());
                    self.has_edges.push(false);
                    self.has_edges[node as usize] = true;
                    self.edges.insert(edge, child);
                    child
                }
            };
        }
        self.outputs[node as usize].push(entry_index);
    }

    /// The key of `element`, entering its words in the word trie the first time.
    fn key(&mut self, element: &Element) -> u32 {
        if let Some(&key) = self.keys.get(element) {
            return key;
        }
        let key = self.keys.len() as u32;
        self.keys.insert(element.clone(), key);
        match element {
            Element::Word(word) => {
                let node = self.words.node(word);
                self.words.whole.push((node, key));
            }
            Element::Forms(stem) => {
                let mut forms = stem_forms(stem);
                forms.sort_unstable();
                forms.dedup();
                for form in forms {
                    let node = self.words.node(&form);
                    self.words.whole.push((node, key));
                }
            }
            Element::Stem(stem) => {
                let node = self.words.node(stem);
                self.words.prefix.push((node, key));
            }
        }
        key
    }
}

/// The words of an alias (determiners left out) and the capitalisation each needs.
fn alias_words(alias: &str, tokens: &mut Vec<Token>) -> Option<(Vec<Element>, Box<[Case]>)> {
    tokens.clear();
    token::tokenize(alias, 0, alias.len(), tokens);
    let mut words = Vec::with_capacity(tokens.len());
    let mut case = Vec::with_capacity(tokens.len());
    for token in tokens.iter().filter(|t| !t.has(SKIPPED)) {
        let word = &alias[token.start as usize..token.end as usize];
        let mut normalised = String::new();
        token::push_normalised(&mut normalised, word);
        words.push(Element::Word(normalised.into_boxed_str()));
        case.push(Case::of(*token, word));
    }
    (!words.is_empty()).then(|| (words, case.into_boxed_slice()))
}

/// The words of a cue pattern that the matcher keeps (determiners are left out of both).
fn cue_words(pattern: &str) -> Vec<&str> {
    pattern
        .split(' ')
        .filter(|w| !w.is_empty() && !token::is_determiner_word(w))
        .collect()
}

/// The elements of a cue: a stem before the last word stands for its forms, a last stem for
/// any word it starts.
fn cue_elements(words: &[&str]) -> Vec<Element> {
    words
        .iter()
        .enumerate()
        .map(|(i, word)| match word.strip_suffix('*') {
            Some(stem) if i + 1 == words.len() => Element::Stem(stem.into()),
            Some(stem) => Element::Forms(stem.into()),
            None => Element::Word((*word).into()),
        })
        .collect()
}

fn stem_forms(stem: &str) -> Vec<String> {
    // Built by pushing strs: `format!` for each of the 33 forms of each inner stem, and a
    // stable sort of them, took 1.5 M of start-up's 49 M instructions.
    let form = |parts: &[&str]| {
        let mut form =
            String::with_capacity(stem.len() + parts.iter().map(|p| p.len()).sum::<usize>());
        form.push_str(stem);
        parts.iter().for_each(|part| form.push_str(part));
        form
    };
    let mut forms: Vec<String> = SUFFIXES.iter().map(|suffix| form(&[suffix])).collect();
    // Doubled final consonant: expel -> expelled, expelling.
    if let Some(last) = stem.chars().last()
        && last.is_ascii_alphabetic()
        && !"aeiouwxy".contains(last)
    {
        let mut buffer = [0; 4];
        let last: &str = last.encode_utf8(&mut buffer);
        for suffix in ["ed", "ing", "er"] {
            forms.push(form(&[last, suffix]));
        }
    }
    forms
}

/// The tie-break [`resolve`] uses between an alias and a place over the same tokens: the place
/// wins, so a place name that contains an alias ("New Mexico") is not that actor.
pub(crate) const PLACE_RANK: u8 = 0;
/// See [`PLACE_RANK`].
pub(crate) const ALIAS_RANK: u8 = 1;

/// Turns raw hits into the scan's result: actor hits resolved leftmost-longest into `mentions`
/// (places then removed), and the cues that overlap neither an earlier cue nor a mention.
/// `kept` is scratch space.
pub(crate) fn resolve(
    actor_hits: &mut [(Hit, u8)],
    cues: &mut Vec<Hit>,
    kept: &mut Vec<Hit>,
    mentions: &mut Vec<Hit>,
) {
    // Leftmost-longest; on a tie, a place beats an alias, then the lower actor index.
    actor_hits.sort_by_key(|&(hit, rank)| (hit.first, std::cmp::Reverse(hit.last), rank, hit.id));
    let mut taken_until = None;
    for &(hit, _) in actor_hits.iter() {
        if taken_until.is_some_and(|end| hit.first <= end) {
            continue;
        }
        taken_until = Some(hit.last);
        mentions.push(hit);
    }
    cues.sort_by_key(|hit| (hit.first, std::cmp::Reverse(hit.last), hit.id));
    // Mentions are sorted and do not overlap, so their ends rise too: one cursor skips those
    // that end before the cue, and the cue overlaps the next one if it starts in time.
    let mut mention_cursor = 0;
    for &hit in cues.iter() {
        if kept.last().is_some_and(|prev| hit.first <= prev.last) {
            continue;
        }
        while mentions
            .get(mention_cursor)
            .is_some_and(|m| m.last < hit.first)
        {
            mention_cursor += 1;
        }
        let overlaps_actor = mentions
            .get(mention_cursor)
            .is_some_and(|m| m.first <= hit.last);
        if !overlaps_actor {
            kept.push(hit);
        }
    }
    std::mem::swap(cues, kept);
    mentions.retain(|m| m.id != PLACE);
}

#[cfg(test)]
mod oracle;
#[cfg(test)]
mod tests;

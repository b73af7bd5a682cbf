//! Pretty-printed elements in little more than half their bytes, laid out again on the way out.
//!
//! `stance compare` keeps the documents' report elements in a temporary file until the rest of
//! the report is known. Spilled pretty, they would take twice the bytes of their compact form
//! (975 MB instead of 493 MB at 100,000 documents), and on a machine where fresh memory is
//! slow to come by every byte written to the page cache counts; spilled compact, they had to be
//! re-indented a byte at a time on the way out. The *marked* form is the pretty form with each
//! line break and its indentation replaced by one byte, the line's depth below the array: a
//! control byte, which JSON never holds raw (strings escape them). It is about an eighth larger
//! than the compact form (560 MB against 497 MB there) and [`expand`]s with a scan for those
//! bytes and two copies a line, with no state carried from one byte to the next, so it can be
//! cut anywhere.

/// The deepest line a marked element may hold, below its array: depths are the bytes
/// `0..DEPTHS`, and a report element is a few levels deep.
pub(crate) const DEPTHS: usize = 0x20;

/// The byte that stands for a line break and the indentation of a line `depth` levels below
/// the array. Depths from [`DEPTHS`] on are a bug in the caller (they would be read as text).
pub(crate) fn marker(depth: usize) -> u8 {
    debug_assert!(depth < DEPTHS, "a marked line {depth} levels down");
    depth.min(DEPTHS - 1) as u8
}

/// Appends `marked` (any piece of marked elements) to `out` pretty-printed as elements of an
/// array `depth` levels down: each marker becomes `\n` and two spaces for each level of its
/// line.
pub(crate) fn expand(marked: &[u8], depth: usize, out: &mut Vec<u8>) {
    // Most lines and indentations are short: they are copied as a block of known size and
    // truncated, a few vector moves, where a copy of their exact length calls `memcpy`.
    const BLOCK: usize = 32;
    const BREAK: [u8; BLOCK] = super::direct::NEWLINE_INDENT;
    let mut at = 0;
    while let Some(offset) = first_marker(&marked[at..]) {
        let end = at + offset;
        let width = 1 + 2 * (depth + usize::from(marked[end]));
        out.reserve(offset + width + 2 * BLOCK);
        let start = out.len();
        match marked[at..].first_chunk::<BLOCK>() {
            Some(block) if offset <= BLOCK => {
                out.extend_from_slice(block);
                out.truncate(start + offset);
            }
            _ => out.extend_from_slice(&marked[at..end]),
        }
        let start = out.len();
        out.extend_from_slice(&BREAK);
        out.resize(start + width, b' ');
        at = end + 1;
    }
    out.extend_from_slice(&marked[at..]);
}

/// The offset of the first byte of `bytes` below 0x20, eight bytes at a time.
fn first_marker(bytes: &[u8]) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    for (index, chunk) in (&mut chunks).enumerate() {
        let word = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        // Exact for the lowest byte flagged, the one read here.
        let below = super::direct::below_space(word);
        if below != 0 {
            return Some(index * 8 + (below.trailing_zeros() / 8) as usize);
        }
    }
    let rest = chunks.remainder();
    rest.iter()
        .position(|&byte| byte < 0x20)
        .map(|offset| bytes.len() - rest.len() + offset)
}

/// The marked form of pretty-printed elements at depth 0: each `\n` and the spaces after it
/// replaced by the marker of their depth.
#[cfg(test)]
pub(crate) fn marked_of(pretty: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut lines = pretty.split(|&byte| byte == b'\n');
    out.extend_from_slice(lines.next().unwrap_or_default());
    for line in lines {
        let spaces = line.iter().take_while(|&&byte| byte == b' ').count();
        assert_eq!(spaces % 2, 0, "serde indents by two spaces");
        out.push(marker(spaces / 2));
        out.extend_from_slice(&line[spaces..]);
    }
    out
}

#[cfg(test)]
mod tests;

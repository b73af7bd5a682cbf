//! Compact JSON re-indented as serde_json's pretty printer lays it out, a piece at a time.
//!
//! `stance compare` keeps the documents' report elements in a temporary file until the rest of
//! the report is known. Spilled compact and indented on the way out, they take about half the
//! bytes of the pretty form (493 MB instead of 975 MB at 100,000 documents), and on a machine
//! where fresh memory is slow to come by, every byte written to the page cache counts.

/// Turns compact JSON values separated by commas (as `serde_json::to_writer` writes them, and
/// the direct writer's compact form) into the elements of a pretty-printed array `depth`
/// levels down: the bytes serde_json's `PrettyFormatter` (two spaces a level) writes, each
/// element after `\n` and its indentation, `,` between two. The input may be cut anywhere
/// between two calls of [`feed`](Self::feed).
#[derive(Debug)]
pub(crate) struct Reindent {
    /// The level of the values being written (of the array's elements, at the start).
    depth: usize,
    in_string: bool,
    /// The last byte of a string was a backslash: the next one is escaped.
    escaped: bool,
    /// A bracket was opened (or the array's first element is due) and its newline waits for
    /// the next byte, which may close it at once: `[]` and `{}` stay on one line.
    opened: bool,
}

impl Reindent {
    /// A re-indenter of array elements `depth` levels down.
    pub(crate) fn new(depth: usize) -> Reindent {
        Reindent {
            depth,
            in_string: false,
            escaped: false,
            opened: true,
        }
    }

    /// Appends the pretty form of `input`, the next piece of the compact stream, to `out`.
    pub(crate) fn feed(&mut self, input: &[u8], out: &mut Vec<u8>) {
        let mut at = 0;
        while at < input.len() {
            if self.in_string {
                // Strings are most of the bytes: copy up to the next quote or backslash.
                if self.escaped {
                    out.push(input[at]);
                    self.escaped = false;
                    at += 1;
                    continue;
                }
                let Some(offset) = memchr::memchr2(b'"', b'\\', &input[at..]) else {
                    out.extend_from_slice(&input[at..]);
                    return;
                };
                let end = at + offset;
                out.extend_from_slice(&input[at..=end]);
                if input[end] == b'\\' {
                    self.escaped = true;
                } else {
                    self.in_string = false;
                }
                at = end + 1;
                continue;
            }
            let byte = input[at];
            at += 1;
            if self.opened {
                self.opened = false;
                if byte == b']' || byte == b'}' {
                    self.depth -= 1;
                    out.push(byte);
                    continue;
                }
                self.newline(out);
            }
            match byte {
                b'{' | b'[' => {
                    out.push(byte);
                    self.depth += 1;
                    self.opened = true;
                }
                b'}' | b']' => {
                    self.depth -= 1;
                    self.newline(out);
                    out.push(byte);
                }
                b',' => {
                    out.push(b',');
                    self.newline(out);
                }
                b':' => out.extend_from_slice(b": "),
                b'"' => {
                    out.push(b'"');
                    self.in_string = true;
                }
                _ => out.push(byte),
            }
        }
    }

    fn newline(&self, out: &mut Vec<u8>) {
        out.push(b'\n');
        out.resize(out.len() + 2 * self.depth, b' ');
    }
}

#[cfg(test)]
mod tests;

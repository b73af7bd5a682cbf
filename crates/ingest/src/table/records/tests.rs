//! Tests for CSV framing: the grammar against the `csv` crate, lines, limits, chunk edges.

use std::io::{self, Cursor, Read};

use super::{Records, Row};
use proptest::prelude::*;

/// A reader that hands out at most `step` bytes per call, so records cross buffer refills.
struct Trickle {
    bytes: Vec<u8>,
    at: usize,
    step: usize,
}

impl Read for Trickle {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.bytes.len() - self.at);
        buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// What a test compares of a record: its fields, its line, and whether it was too large.
type Seen = (Vec<Vec<u8>>, u64, bool);

fn read_with(input: Box<dyn Read + Send>, limit: usize) -> Vec<Seen> {
    let mut records = Records::new(input);
    let mut row = Row::default();
    let mut out = Vec::new();
    while records.read(&mut row, limit).expect("reading from memory") {
        let fields = row.fields().map(<[u8]>::to_vec).collect();
        out.push((fields, row.line(), row.too_large()));
    }
    out
}

/// Every record of `input`, framed without a size limit.
pub(in crate::table) fn read_all(input: &[u8]) -> Vec<Seen> {
    read_with(Box::new(Cursor::new(input.to_vec())), usize::MAX)
}

/// Up to `max_len` bytes of what breaks CSV readers: quotes, delimiters, both line ends, the
/// bytes of a byte-order mark, a lone UTF-8 lead byte, invalid UTF-8 and NUL.
pub(in crate::table) fn hostile_bytes(max_len: usize) -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop::sample::select(vec![
            b'a', b' ', b',', b'"', b'\r', b'\n', 0xef, 0xbb, 0xbf, 0xc3, 0xff, 0x00,
        ]),
        0..max_len,
    )
}

fn fields(input: &[u8]) -> Vec<Vec<String>> {
    read_all(input)
        .into_iter()
        .map(|(f, _, _)| {
            f.iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect()
        })
        .collect()
}

#[test]
fn quoting_rules() {
    assert_eq!(
        fields(b"a,\"b,\"\"c\"\"\",d\n"),
        [["a", "b,\"c\"", "d"]],
        "quoted delimiter and doubled quotes"
    );
    assert_eq!(
        fields(b"\"x\ny\"z,w"),
        [["x\nyz", "w"]],
        "an embedded newline; bytes after the closing quote kept"
    );
    assert_eq!(
        fields(b" a\"b\",c"),
        [[" a\"b\"", "c"]],
        "quotes inside an unquoted field are literal"
    );
    assert_eq!(
        fields(b"\"open, never closed\nstill"),
        [["open, never closed\nstill"]]
    );
    assert_eq!(fields(b"a,,\n,\n"), [vec!["a", "", ""], vec!["", ""]]);
    assert_eq!(fields(b"\"\""), [[""]]);
}

#[test]
fn a_quote_left_open_at_the_end_is_flagged() {
    let unclosed = |input: &[u8]| {
        let mut records = Records::new(Box::new(Cursor::new(input.to_vec())));
        let mut row = Row::default();
        let mut flags = Vec::new();
        while records
            .read(&mut row, usize::MAX)
            .expect("reading from memory")
        {
            flags.push(row.unclosed());
        }
        flags
    };
    assert_eq!(unclosed(b"\"a"), [true]);
    assert_eq!(
        unclosed(b"\"a\"\"\n"),
        [true],
        "an escaped quote does not close"
    );
    assert_eq!(unclosed(b"x,\"a\nb\nc"), [true]);
    assert_eq!(unclosed(b"\"a\"\n\"b\""), [false, false]);
    assert_eq!(
        unclosed(b"a\",b\"\n"),
        [false],
        "quotes inside a bare field"
    );
    assert_eq!(unclosed(b"\"a\"x"), [false]);
}

#[test]
fn terminators_blank_lines_and_lines() {
    let seen: Vec<(usize, u64)> = read_all(b"h\r\n\r\nb\rc\n\n\"d\ne\"\nf")
        .into_iter()
        .map(|(f, line, _)| (f.len(), line))
        .collect();
    assert_eq!(seen, [(1, 1), (1, 3), (1, 3), (1, 5), (1, 7)]);
    assert!(read_all(b"\n\r\n\r").is_empty());
    assert!(read_all(b"").is_empty());
}

#[test]
fn byte_order_mark_only_at_the_start() {
    assert_eq!(fields(b"\xef\xbb\xbf\"h\"\nx"), [["h"], ["x"]]);
    assert!(fields(b"\xef\xbb\xbf").is_empty());
    assert_eq!(fields(b"h\n\xef\xbb\xbfx"), [["h"], ["\u{feff}x"]]);
    let trickled = read_with(
        Box::new(Trickle {
            bytes: b"\xef\xbb\xbfh".to_vec(),
            at: 0,
            step: 1,
        }),
        usize::MAX,
    );
    assert_eq!(trickled, [(vec![b"h".to_vec()], 1, false)]);
}

#[test]
fn a_record_over_the_limit_is_measured_not_kept() {
    // The second record is 12 bytes in the file: quotes and delimiter count.
    let input = b"ab\n\"a\"\"b\",cdefg\nxy\n";
    let at = |limit| read_with(Box::new(Cursor::new(input.to_vec())), limit);
    let kept = at(12);
    assert_eq!(
        kept[1],
        (vec![b"a\"b".to_vec(), b"cdefg".to_vec()], 2, false)
    );
    let over = at(11);
    assert_eq!(over[1], (Vec::new(), 2, true));
    assert_eq!(over[2], (vec![b"xy".to_vec()], 3, false), "framing goes on");
    // An unclosed quote swallows the rest of the stream, but only as a count.
    let unclosed = [b"x\n\"".as_slice(), &[b'z'; 1 << 20]].concat();
    let seen = read_with(Box::new(Cursor::new(unclosed)), 100);
    assert_eq!(seen.len(), 2);
    assert!(seen[1].2);
}

/// The `csv` crate's records for the same input, each with the line its first byte is on.
fn reference(input: &[u8]) -> Vec<(Vec<Vec<u8>>, u64)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    let mut out = Vec::new();
    while reader.read_byte_record(&mut record).expect("in memory") {
        // The crate gives the position after the previous record's terminator (or the
        // stream's start, before any byte-order mark); the record itself starts after any
        // blank lines from there.
        let mut after = record.position().map_or(0, |p| p.byte() as usize);
        if after == 0 && input.starts_with(super::BOM) {
            after = super::BOM.len();
        }
        let skipped = input[after..]
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        let start = after + skipped;
        let line = 1 + memchr::memchr_iter(b'\n', &input[..start]).count() as u64;
        out.push((record.iter().map(<[u8]>::to_vec).collect(), line));
    }
    out
}

// proptest's default configuration: 256 cases, or PROPTEST_CASES.
proptest! {
    /// Every input, however malformed, frames into the records the `csv` crate reads from
    /// it, on the lines they start on, wherever the reads happen to split it.
    #[test]
    fn frames_as_the_csv_crate_does(input in hostile_bytes(60), step in 1usize..8) {
        let expected = reference(&input);
        let trickled = read_with(Box::new(Trickle { bytes: input.clone(), at: 0, step }), usize::MAX);
        let seen: Vec<(Vec<Vec<u8>>, u64)> =
            trickled.into_iter().map(|(f, line, _)| (f, line)).collect();
        prop_assert_eq!(seen, expected);
    }

    /// A limit drops the fields of the records over it and nothing else: the others, and
    /// every record's line, are as read without one.
    #[test]
    fn a_limit_changes_only_the_records_over_it(
        input in prop::collection::vec(
            prop::sample::select(vec![b'a', b',', b'"', b'\r', b'\n']),
            0..60,
        ),
        limit in 0usize..12,
    ) {
        let free = read_all(&input);
        let limited = read_with(Box::new(Cursor::new(input.clone())), limit);
        prop_assert_eq!(free.len(), limited.len());
        for (free, limited) in free.iter().zip(&limited) {
            prop_assert_eq!(free.1, limited.1);
            if !limited.2 {
                prop_assert_eq!(&free.0, &limited.0);
            }
        }
    }
}

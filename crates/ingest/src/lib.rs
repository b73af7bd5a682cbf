//! Reads articles into clean [`Document`]s with sentence spans.
//!
//! (Being written: the full reader lands with the ingest issue.)

mod document;

pub use document::{Document, Origin, RemovedKind, RemovedLine, Span};

impl Document {
    /// Builds a document from plain text, cleaning and segmenting it.
    pub fn from_text(id: &str, text: &str) -> Document {
        let mut sentences = Vec::new();
        let mut start = None;
        for (i, b) in text.bytes().enumerate() {
            if start.is_none() && !b.is_ascii_whitespace() {
                start = Some(i);
            }
            if let Some(s) = start {
                if matches!(b, b'.' | b'!' | b'?' | b'\n') {
                    sentences.push(Span { start: s, end: i + 1 });
                    start = None;
                }
            }
        }
        if let Some(s) = start {
            sentences.push(Span { start: s, end: text.len() });
        }
        Document {
            id: id.to_string(),
            text: text.to_string(),
            paragraphs: vec![Span { start: 0, end: text.len() }],
            sentences,
            ..Document::default()
        }
    }
}

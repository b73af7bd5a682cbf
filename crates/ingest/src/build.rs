//! Turns raw text plus whatever fields the input gave into a [`Document`].

use std::collections::BTreeMap;

use crate::clean::clean_with_site;
use crate::date;
use crate::error::location;
use crate::segment::segment_all;
use crate::{Document, Origin};

/// Fields an input format may supply next to the text; empty values count as absent.
#[derive(Debug, Default, Clone)]
pub(crate) struct Fields {
    pub(crate) id: Option<String>,
    pub(crate) title: Option<String>,
    /// A date as given (ISO, datetime or a textual form).
    pub(crate) date: Option<String>,
    /// The `date_rule` to record when `date` parses ("field", "html-meta", "html-time").
    pub(crate) date_rule: &'static str,
    pub(crate) outlet: Option<String>,
    pub(crate) author: Option<String>,
    pub(crate) url: Option<String>,
    /// Whether to fall back to the URL's host for a missing outlet (JSONL and CSV).
    pub(crate) outlet_from_url: bool,
    pub(crate) metadata: BTreeMap<String, String>,
    pub(crate) warnings: Vec<String>,
}

impl Document {
    /// Builds a document from plain text: removes boilerplate and bios, finds the title and
    /// the publication date, and segments sentences and paragraphs.
    ///
    /// `id` is used as given; an empty `id` is replaced by a hash of the text.
    pub fn from_text(id: &str, text: &str) -> Document {
        let fields = Fields {
            id: Some(id.to_string()),
            ..Fields::default()
        };
        build(fields, text.to_string(), Origin::default())
    }
}

/// The one place a [`Document`] is assembled.
pub(crate) fn build(fields: Fields, text: String, origin: Origin) -> Document {
    let nonempty = |v: Option<String>| v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let id = nonempty(fields.id).unwrap_or_else(|| content_id(&text));
    let blank = text.trim().is_empty();
    let cleaned = clean_with_site(text, fields.outlet.as_deref());
    let label = if origin.path.is_empty() {
        id.clone()
    } else {
        location(&origin.path, origin.line)
    };
    let mut warnings = fields.warnings;
    let mut metadata = fields.metadata;

    let mut date = None;
    let mut date_rule = None;
    if let Some(raw) = nonempty(fields.date) {
        match date::parse_field(&raw) {
            Some(d) => {
                date = Some(d.iso());
                date_rule = Some(fields.date_rule.to_string());
            }
            None => {
                warnings.push(format!(
                    "{label}: unrecognised date `{raw}` kept in metadata"
                ));
                metadata.insert("date".to_string(), raw);
            }
        }
    }
    if date.is_none()
        && let Some((d, rule)) = cleaned.date
    {
        date = Some(d);
        date_rule = Some(rule.to_string());
    }

    let url = nonempty(fields.url);
    let mut outlet = nonempty(fields.outlet);
    if outlet.is_none() && fields.outlet_from_url {
        outlet = url.as_deref().and_then(host);
    }
    let outlet = outlet.or(cleaned.outlet);

    if blank {
        warnings.push(format!("{label}: empty document"));
    } else if cleaned.text.is_empty() {
        warnings.push(format!("{label}: no text left after removing boilerplate"));
    }
    let (sentences, paragraphs) = segment_all(&cleaned.text);
    Document {
        id,
        origin,
        title: nonempty(fields.title).or(cleaned.title),
        date,
        date_rule,
        outlet,
        author: nonempty(fields.author).or(cleaned.author),
        url,
        metadata,
        text: std::sync::Arc::new(cleaned.text),
        sentences,
        paragraphs,
        removed: cleaned.removed,
        warnings,
    }
}

/// A stable id for text without one: FNV-1a 64 of the bytes, as 16 hex digits.
pub(crate) fn content_id(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in text.as_bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The host of a URL, lowercased, without `www.`.
pub(crate) fn host(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority
        .rsplit('@')
        .next()?
        .split(':')
        .next()?
        .to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    (host.contains('.') && !host.contains(char::is_whitespace)).then_some(host)
}

//! Reading options: the document size limit and the names of JSONL keys and CSV columns.

use crate::Error;

/// How to read inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Names of the fields to read from JSONL keys and CSV columns.
    pub columns: Columns,
    /// A single document larger than this many bytes is rejected (default 64 MiB).
    pub max_document_bytes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            columns: Columns::default(),
            max_document_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Which JSONL key or CSV column holds each document field.
///
/// The defaults are the field names themselves; when the `outlet` column is absent, a
/// `source` column is used instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// The document id.
    pub id: String,
    /// The body text (required).
    pub text: String,
    /// The title.
    pub title: String,
    /// The publication date.
    pub date: String,
    /// The outlet or source name.
    pub outlet: String,
    /// The canonical URL.
    pub url: String,
}

impl Default for Columns {
    fn default() -> Self {
        Columns {
            id: "id".to_string(),
            text: "text".to_string(),
            title: "title".to_string(),
            date: "date".to_string(),
            outlet: "outlet".to_string(),
            url: "url".to_string(),
        }
    }
}

impl Columns {
    /// Renames one field from a spec such as `text=body` (field `text` is read from the
    /// column or key `body`). `source` is accepted as another name for `outlet`.
    pub fn set(&mut self, spec: &str) -> Result<(), Error> {
        let fail = |message: &str| Error::ColumnSpec {
            spec: spec.to_string(),
            message: message.to_string(),
        };
        let Some((field, column)) = spec.split_once('=') else {
            return Err(fail("expected FIELD=COLUMN, for example text=body"));
        };
        let column = column.trim();
        if column.is_empty() {
            return Err(fail("the column name is empty"));
        }
        let slot = match field.trim() {
            "id" => &mut self.id,
            "text" => &mut self.text,
            "title" => &mut self.title,
            "date" => &mut self.date,
            "outlet" | "source" => &mut self.outlet,
            "url" => &mut self.url,
            _ => {
                return Err(fail(
                    "unknown field, expected one of id, text, title, date, outlet, url",
                ));
            }
        };
        *slot = column.to_string();
        Ok(())
    }
}

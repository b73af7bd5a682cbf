use std::io::Write;

use super::Spill;

/// Writes `text` through a splice of a spill holding `elements`, in pieces of `chunk` bytes,
/// and returns what came out.
fn splice(text: &str, anchor: &str, elements: &[&str], chunk: usize) -> Result<String, String> {
    let mut spill = Spill::new();
    for element in elements {
        spill.push(element.as_bytes()).map_err(|e| e.to_string())?;
    }
    let mut out = Vec::new();
    let mut writer = spill.splice_into(&mut out, anchor.as_bytes(), b"|");
    for piece in text.as_bytes().chunks(chunk) {
        writer.write_all(piece).map_err(|e| e.to_string())?;
    }
    writer.finish().map_err(|e| e.to_string())?;
    String::from_utf8(out).map_err(|e| e.to_string())
}

#[test]
fn elements_go_inside_the_first_anchor_whatever_the_write_sizes() {
    // Near misses before the anchor (a prefix that breaks off, a prefix that restarts inside
    // itself), the anchor itself, and a second anchor that must stay as it is.
    let text =
        r#"{"a":"documents","documen":1,""documents":[]x,"documents":[],"b":{"documents":[]}}"#;
    let want =
        r#"{"a":"documents","documen":1,""documents":[]x,"documents":[],"b":{"documents":[]}}"#
            .replacen(r#"[]x"#, r#"[1,2|]x"#, 1);
    for chunk in [1, 2, 3, 7, 1000, 1 << 17] {
        let got = splice(text, r#""documents":[]"#, &["1", "2"], chunk);
        assert_eq!(got.as_deref(), Ok(want.as_str()), "chunk {chunk}");
    }
    // No elements: the report is copied unchanged, and `close` is not written.
    let got = splice(text, r#""documents":[]"#, &[], 3);
    assert_eq!(got.as_deref(), Ok(text));
}

#[test]
fn a_missing_anchor_is_an_error() {
    let got = splice("{\"x\":[]}", "\"documents\":[]", &["1"], 4);
    assert!(got.is_err(), "{got:?}");
}

#[test]
fn a_spill_in_memory_splices_like_a_file() {
    let mut spill = super::Spill {
        store: super::Store::Memory(Vec::new()),
        count: 0,
    };
    for element in ["1", "2"] {
        assert!(spill.push(element.as_bytes()).is_ok());
    }
    let mut out = Vec::new();
    let mut writer = spill.splice_into(&mut out, b"\"d\":[]", b"");
    assert!(writer.write_all(b"{\"d\":[]}").is_ok());
    assert!(writer.finish().is_ok());
    assert_eq!(String::from_utf8_lossy(&out), "{\"d\":[1,2]}");
}

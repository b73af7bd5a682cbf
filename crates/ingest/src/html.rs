//! HTML to visible text plus the metadata pages carry (title, date, author, site name).

use html5gum::{DefaultEmitter, Token, Tokenizer};

use crate::build::Fields;

#[cfg(test)]
mod tests;

/// Elements whose content is never visible article text.
const SKIPPED: &[&[u8]] = &[
    b"script",
    b"style",
    b"nav",
    b"footer",
    b"noscript",
    b"template",
    b"svg",
    b"iframe",
    b"aside",
    b"button",
    b"select",
    b"form",
];

/// Elements that start a new paragraph.
const BLOCKS: &[&[u8]] = &[
    b"p",
    b"div",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"ul",
    b"ol",
    b"tr",
    b"table",
    b"section",
    b"article",
    b"blockquote",
    b"header",
    b"main",
    b"figure",
    b"figcaption",
    b"pre",
    b"dl",
    b"dt",
    b"dd",
    b"hr",
    b"address",
    b"body",
    b"title",
];

/// Extracts the visible text (block elements become paragraphs) and the page's fields.
pub(crate) fn extract(html: &str) -> (String, Fields) {
    let mut emitter = DefaultEmitter::default();
    emitter.naively_switch_states(true);
    let mut text = String::with_capacity(html.len() / 2);
    let mut fields = Fields {
        outlet_from_url: false,
        ..Fields::default()
    };
    let mut skip_depth = 0usize;
    let mut pre_depth = 0usize;
    let mut in_title = false;
    let mut title = String::new();
    let mut in_h1 = false;
    let mut h1 = String::new();
    let mut og_title = None;
    let mut meta_date = None;
    let mut time_date = None;
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name: &[u8] = &tag.name;
                let attr = |key: &str| {
                    tag.attributes
                        .get(key.as_bytes())
                        .map(|v| String::from_utf8_lossy(&v.value).trim().to_string())
                        .filter(|v| !v.is_empty())
                };
                match name {
                    b"title" => in_title = !tag.self_closing,
                    b"meta" => {
                        let key = attr("property")
                            .or_else(|| attr("name"))
                            .unwrap_or_default()
                            .to_lowercase();
                        if let Some(content) = attr("content") {
                            match key.as_str() {
                                "article:published_time" | "datepublished" | "date" | "pubdate" => {
                                    meta_date.get_or_insert(content);
                                }
                                "author" | "article:author" if !content.starts_with("http") => {
                                    fields.author.get_or_insert(content);
                                }
                                "og:site_name" | "application-name" => {
                                    fields.outlet.get_or_insert(content);
                                }
                                "og:title" => {
                                    og_title.get_or_insert(content);
                                }
                                "og:url" => {
                                    fields.url.get_or_insert(content);
                                }
                                "description" | "og:description" | "keywords" => {
                                    let key = key.trim_start_matches("og:").to_string();
                                    fields.metadata.entry(key).or_insert(content);
                                }
                                _ => {}
                            }
                        }
                    }
                    b"link" if attr("rel").is_some_and(|r| r.eq_ignore_ascii_case("canonical")) => {
                        if let Some(href) = attr("href") {
                            fields.url.get_or_insert(href);
                        }
                    }
                    b"time" => {
                        if let Some(datetime) = attr("datetime") {
                            time_date.get_or_insert(datetime);
                        }
                    }
                    b"h1" if h1.is_empty() => in_h1 = true,
                    b"br" => text.push('\n'),
                    _ => {}
                }
                if !tag.self_closing && SKIPPED.contains(&name) {
                    skip_depth += 1;
                }
                if !tag.self_closing && name == b"pre" {
                    pre_depth += 1;
                }
                if BLOCKS.contains(&name) {
                    paragraph_break(&mut text);
                } else if name == b"li" {
                    line_break(&mut text);
                }
            }
            Token::EndTag(tag) => {
                let name: &[u8] = &tag.name;
                if SKIPPED.contains(&name) {
                    skip_depth = skip_depth.saturating_sub(1);
                }
                match name {
                    b"title" => in_title = false,
                    b"h1" => in_h1 = false,
                    b"pre" => pre_depth = pre_depth.saturating_sub(1),
                    _ => {}
                }
                if BLOCKS.contains(&name) {
                    paragraph_break(&mut text);
                } else if name == b"li" {
                    line_break(&mut text);
                }
            }
            Token::String(s) => {
                let s = String::from_utf8_lossy(&s.value);
                if in_title {
                    push_collapsed(&mut title, &s);
                } else if skip_depth == 0 {
                    if in_h1 {
                        push_collapsed(&mut h1, &s);
                    }
                    if pre_depth > 0 {
                        text.push_str(&s);
                    } else {
                        push_collapsed(&mut text, &s);
                    }
                }
            }
            Token::Comment(_) | Token::Doctype(_) | Token::Error(_) => {}
        }
    }
    let clean_title = |s: &str| Some(s.trim().to_string()).filter(|t| !t.is_empty());
    fields.title = clean_title(&h1)
        .or(og_title)
        .or_else(|| clean_title(&title));
    if let Some(date) = meta_date {
        fields.date = Some(date);
        fields.date_rule = "html-meta";
    } else if let Some(date) = time_date {
        fields.date = Some(date);
        fields.date_rule = "html-time";
    }
    (text, fields)
}

/// Ends the current paragraph with a blank line (once).
fn paragraph_break(text: &mut String) {
    while text.ends_with(' ') {
        text.pop();
    }
    if text.is_empty() || text.ends_with("\n\n") {
        return;
    }
    text.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
}

/// Ends the current line (list items: one per line, so a menu reads as a run of lines).
fn line_break(text: &mut String) {
    while text.ends_with(' ') {
        text.pop();
    }
    if !(text.is_empty() || text.ends_with('\n')) {
        text.push('\n');
    }
}

/// Appends `s` with whitespace runs collapsed to one space, as browsers render it.
fn push_collapsed(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_whitespace() && c != '\u{a0}' {
            if !(out.is_empty() || out.ends_with(' ') || out.ends_with('\n')) {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

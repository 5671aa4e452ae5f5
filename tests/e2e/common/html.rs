//! An independent reader of the HTML sijill writes, for the checks that it is inert: the
//! hardening tests read whole pages with it, the fuzz target (`fuzz/`, which includes this
//! file) rendered bodies. It shares no code with sijill, so a slip in the renderer's
//! escaping cannot hide behind the same slip here. It splits tags the way a browser does
//! for what matters to script (names, attributes, quoting) and reads URLs the way a browser
//! does before following them (character references, tabs and newlines, blanks).

/// A start or end tag.
pub struct Tag {
    /// Lowercase.
    pub name: String,
    /// `</name>`.
    pub closing: bool,
    /// Lowercase names with their values as written (references not decoded).
    pub attrs: Vec<(String, String)>,
    /// Byte offset of the `<`.
    pub start: usize,
    /// Byte offset just past the `>`.
    pub end: usize,
}

impl Tag {
    /// The value of attribute `name`, if the tag has it.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(a, _)| a == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every tag of `html` in order, or why `html` is not plain tags and text: a `<` that
/// starts no tag, a comment or other markup declaration (but `<!DOCTYPE html>` at the very
/// start), a tag or quoted value left open.
pub fn tags(html: &str) -> Result<Vec<Tag>, String> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let start = i + off;
        i = start + 1;
        if html[i..].starts_with('!') {
            if start == 0 && html[i..].to_ascii_lowercase().starts_with("!doctype html>") {
                continue;
            }
            return Err(format!("markup declaration or comment at byte {start}"));
        }
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b':' || b[i] == b'-') {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        if name.is_empty() {
            return Err(format!(
                "`<` that does not start a tag at byte {start}: {:?}",
                html[start..].chars().take(40).collect::<String>()
            ));
        }
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() {
                return Err(format!("unterminated <{name}>"));
            }
            if b[i] == b'>' {
                i += 1;
                break;
            }
            let a = i;
            while i < b.len() && !matches!(b[i], b'=' | b'>' | b'/') && !b[i].is_ascii_whitespace()
            {
                i += 1;
            }
            let attr = html[a..i].to_ascii_lowercase();
            let mut value = String::new();
            if b.get(i) == Some(&b'=') {
                i += 1;
                match b.get(i).copied() {
                    Some(q @ (b'"' | b'\'')) => {
                        i += 1;
                        let end = html[i..]
                            .find(q as char)
                            .ok_or_else(|| format!("unterminated {attr} on <{name}>"))?
                            + i;
                        value = html[i..end].to_string();
                        i = end + 1;
                    }
                    _ => {
                        let end = html[i..]
                            .find(|c: char| c.is_ascii_whitespace() || c == '>')
                            .map_or(b.len(), |e| e + i);
                        value = html[i..end].to_string();
                        i = end;
                    }
                }
            }
            attrs.push((attr, value));
        }
        tags.push(Tag {
            name,
            closing,
            attrs,
            start,
            end: i,
        });
    }
    Ok(tags)
}

/// Whether attribute `attr` (lowercase) with `value` can run script or restyle the page:
/// an event handler, `srcdoc`, `formaction` or `style` (but the column alignment that
/// pulldown-cmark writes on table cells).
pub fn scripts_or_styles(attr: &str, value: &str) -> bool {
    let alignment = attr == "style"
        && matches!(
            value,
            "text-align: left" | "text-align: center" | "text-align: right"
        );
    attr.starts_with("on") || matches!(attr, "style" | "srcdoc" | "formaction") && !alignment
}

/// Decodes character references the way a browser does in attribute values (enough of
/// them for URL schemes: numeric, and the named ones that can spell a scheme), with or
/// without the closing `;`.
pub fn decode_refs(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .map_or(rest.len(), |e| e + 1);
        let entity = &rest[1..end];
        let decoded = if let Some(hex) = entity
            .strip_prefix("#x")
            .or_else(|| entity.strip_prefix("#X"))
        {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = entity.strip_prefix('#') {
            dec.parse().ok().and_then(char::from_u32)
        } else {
            match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                _ => None,
            }
        };
        match decoded {
            Some(c) if end > 1 => {
                out.push(c);
                rest = &rest[end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A URL attribute a browser would follow safely: relative, or http(s) or mailto, once
/// references are decoded, tabs and newlines dropped and the ends trimmed.
pub fn safe_url(raw: &str) -> bool {
    let decoded = decode_refs(raw);
    let url: String = decoded
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let url = url.trim_matches(|c: char| c <= ' ').to_ascii_lowercase();
    match url.find(':') {
        None => true,
        Some(colon) => {
            // Only `[a-z][a-z0-9+.-]*` before the first `:` is a scheme; anything else
            // makes a relative URL.
            let scheme = &url[..colon];
            let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
            !is_scheme || matches!(scheme, "http" | "https" | "mailto")
        }
    }
}

//! One report file, as a stranger's pull request could write it: front matter splitting,
//! YAML parsing, every validation rule (with and without a gazetteer), the diagnostics
//! printers, and Markdown rendering of the body. Besides "no panic, no hang", the rendered
//! body must be inert: no script-capable element, no event-handler or style attribute, and
//! every `href`/`src` http(s), mailto or relative as a browser would read it.

#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use sijill::content::validate::{Context, parse_report};
use sijill::content::{Gazetteer, frontmatter, printer};
use sijill::render::markdown::to_html;

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let (g, problems) = Gazetteer::parse(
        "- path: Syria\n- path: Syria/Idlib\n  aliases: [Edlib]\n- path: Syria/Idlib/Saraqib\n  name_ar: سراقب\n  lat: 35.86\n  lon: 36.8\n",
        "content/places.yaml",
    );
    assert!(problems.is_empty(), "{problems:?}");
    g
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = "content/reports/2017/11/fuzz.md";
    let ctx = Context {
        gazetteer: (!data.len().is_multiple_of(2)).then(|| &*GAZETTEER),
        default_lang: "en",
        ui_languages: &["en"],
    };
    let parsed = parse_report(file, text, &ctx);
    let source = |_: &str, n: usize| text.lines().nth(n.checked_sub(1)?).map(str::to_string);
    for d in &parsed.problems {
        let _ = printer::short(d);
        let _ = printer::human(d, &source, data.len().is_multiple_of(3));
    }
    let _ = printer::github(&parsed.problems, 1, "site/");
    let _ = printer::json(&parsed.problems);

    if !text.starts_with("---") {
        // Anything else is also read as a gazetteer.
        let _ = Gazetteer::parse(text, "content/places.yaml");
    }

    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let body = frontmatter::split(body).map_or(body, |s| s.body);
    let links = parsed.report.map(|r| r.links).unwrap_or_default();
    let html = to_html(body, &links, |id| Some(format!("/reports/{id}/")));
    if let Err(why) = inert(&html) {
        panic!("unsafe output ({why}):\n{html}");
    }
});

/// Elements that may run script, load a document or submit data.
const FORBIDDEN_TAGS: &[&str] = &[
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "svg",
    "math",
    "link",
    "meta",
    "base",
    "noscript",
    "template",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
];

/// Checks that `html` (the renderer's output) is inert; says why not.
fn inert(html: &str) -> Result<(), String> {
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        let closing = b.get(i) == Some(&b'/');
        if closing {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        if name.is_empty() {
            return Err(format!("`<` not starting a tag at byte {start}"));
        }
        if FORBIDDEN_TAGS.contains(&name.as_str()) {
            return Err(format!("<{name}>"));
        }
        // Attributes, up to the closing `>`.
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() {
                return Err("unterminated tag".into());
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
                let quote = b.get(i).copied().filter(|q| matches!(q, b'"' | b'\''));
                if let Some(q) = quote {
                    i += 1;
                    let end = html[i..].find(q as char).ok_or("unterminated attribute")? + i;
                    value = html[i..end].to_string();
                    i = end + 1;
                } else {
                    let end = html[i..]
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .map_or(b.len(), |e| e + i);
                    value = html[i..end].to_string();
                    i = end;
                }
            }
            // pulldown-cmark's own column alignment is the one style allowed.
            let alignment = attr == "style"
                && matches!(
                    value.as_str(),
                    "text-align: left" | "text-align: center" | "text-align: right"
                );
            if attr.starts_with("on")
                || matches!(attr.as_str(), "style" | "srcdoc" | "formaction") && !alignment
            {
                return Err(format!("attribute {attr} on <{name}>"));
            }
            if matches!(
                attr.as_str(),
                "href" | "src" | "action" | "background" | "poster"
            ) && !safe_url(&value)
            {
                return Err(format!("{attr}={value:?} on <{name}>"));
            }
        }
    }
    Ok(())
}

/// A URL as a browser reads it (entities decoded, tabs and newlines dropped, ends trimmed)
/// is relative, or http(s) or mailto.
fn safe_url(raw: &str) -> bool {
    let decoded = decode_entities(raw);
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

fn decode_entities(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e < 12);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let c = if let Some(hex) = ent.strip_prefix("#x").or_else(|| ent.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
            } else if let Some(dec) = ent.strip_prefix('#') {
                dec.parse().ok().and_then(char::from_u32)
            } else {
                match ent {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "colon" => Some(':'),
                    "tab" => Some('\t'),
                    "newline" => Some('\n'),
                    _ => None,
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

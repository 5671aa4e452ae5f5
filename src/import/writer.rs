//! The report file of an event: front matter written key by key with every text value
//! quoted by [`quoted`] (no value a dataset holds can end the front matter, start a key or
//! change a type), then the body. The first line of the front matter marks the file as
//! written by `sijill import`: only such files are ever rewritten.

use std::fmt::Write as _;

use crate::content::report::iso_date;
use crate::content::{Kind, Status};

use super::event::{Event, Written};

/// How every file written by `sijill import` begins its front matter.
pub const MARKER: &str = "# Written by `sijill import";

/// The whole file of `event` (its places and terms already canonical), from dataset
/// `dataset` (`acled`).
pub fn report_text(event: &Event, dataset: &str) -> String {
    let mut t = String::with_capacity(1024 + event.body.len());
    let _ = writeln!(
        t,
        "---\n{MARKER} --from {dataset}` from event {}: the next import of the event \
         rewrites this file.",
        quoted(&event.source_id)
    );
    let _ = writeln!(t, "id: {}", event.id);
    let _ = writeln!(t, "title: {}", quoted(&event.title));
    let _ = writeln!(t, "date: {}", iso_date(event.date));
    let _ = writeln!(
        t,
        "period:\n  start: {}\n  end: {}",
        iso_date(event.period.0),
        iso_date(event.period.1)
    );
    if event.kind == Kind::Summary {
        t.push_str("kind: summary\n");
    }
    if let Some(status) = event.status {
        let _ = writeln!(
            t,
            "status: {}",
            match status {
                Status::Provisional => "provisional",
                Status::Final => "final",
            }
        );
    }
    if let Some(lang) = &event.lang {
        let _ = writeln!(t, "lang: {}", quoted(lang));
    }
    if let Some(source) = &event.source {
        t.push_str("source:\n");
        for (key, value) in [
            ("name", &source.name),
            ("url", &source.url),
            ("archive_url", &source.archive_url),
        ] {
            if let Some(value) = value {
                let _ = writeln!(t, "  {key}: {}", quoted(value));
            }
        }
    }
    t.push_str("locations:\n");
    for place in &event.places {
        let _ = writeln!(t, "  - {}", quoted(&place.segments.join("/")));
    }
    if !event.casualties.is_empty() {
        t.push_str("casualties:\n");
        for w in &event.casualties {
            let _ = writeln!(t, "  {}: {}", w.field.name(), count(w));
        }
    }
    for (key, values) in [
        ("perpetrators", &event.perpetrators),
        ("incident_types", &event.incident_types),
        ("tags", &event.tags),
    ] {
        if !values.is_empty() {
            let list: Vec<String> = values.iter().map(|v| quoted(v)).collect();
            let _ = writeln!(t, "{key}: [{}]", list.join(", "));
        }
    }
    for (key, value) in [
        ("updates", &event.updates),
        ("translation_of", &event.translation_of),
    ] {
        if let Some(value) = value {
            let _ = writeln!(t, "{key}: {}", quoted(value));
        }
    }
    t.push_str("---\n");
    t.push_str(&event.body);
    t
}

/// A count as the format writes it: `12`, `{min: 12}`, `{min: 10, max: 15, raw: "…"}`.
fn count(w: &Written) -> String {
    let c = w.count;
    if c.max == Some(c.min) && w.raw.is_none() {
        return c.min.to_string();
    }
    let mut s = format!("{{min: {}", c.min);
    if let Some(max) = c.max {
        let _ = write!(s, ", max: {max}");
    }
    if let Some(raw) = &w.raw {
        let _ = write!(s, ", raw: {}", quoted(raw));
    }
    s.push('}');
    s
}

/// `text` as a YAML double-quoted scalar: `"` and `\` escaped, and every character YAML
/// does not allow as it is (controls, DEL, C1 controls, the byte order mark,
/// noncharacters) written as an escape. Line breaks become `\n`, so a value is always one
/// line and can never hold `---`.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if yaml_printable(c) => out.push(c),
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08X}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// YAML's printable characters (`c-printable`) that stand for themselves inside quotes:
/// less the byte order mark and the characters YAML 1.1 reads as line breaks (U+0085,
/// U+2028, U+2029), which a quoted value would fold into spaces.
fn yaml_printable(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && !matches!(c, '\u{FEFF}' | '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_read_back_as_written() {
        for text in [
            "plain",
            "colon: here",
            "\"quotes\" and \\backslash\\",
            "line\nbreak\n---\ntitle: injected",
            "مقتل ٥٠ شخصاً في البوكمال",
            "tab\there, bell\u{7}, del\u{7f}, c1\u{85}\u{9b}, bom\u{feff}, \u{fffe}",
            "separators\u{2028}\u{2029}",
            "# not a comment",
            "- not a list",
            "{not: a map}",
            "emoji 🕊",
        ] {
            let yaml = format!("value: {}\n", quoted(text));
            let read: std::collections::BTreeMap<String, String> =
                crate::content::yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{yaml}: {e:?}"));
            assert_eq!(read["value"], text, "{yaml}");
            assert_eq!(yaml.lines().count(), 1);
        }
    }
}

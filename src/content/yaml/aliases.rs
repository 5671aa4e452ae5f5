//! A bound on what aliases expand to. serde_yaml hands the typed structures a copy of an
//! anchored node (`&a`) at each of its aliases (`*a`): a 100 KB title aliased in 5,000
//! location notes is 500 MB of strings, from a 600 KB file. Its own repetition limit counts
//! replays, not bytes, and lets that through. So a document with aliases is measured first,
//! by the event parser, without expanding anything.

use std::collections::HashMap;

use yaml_rust2::parser::Event;

use super::{YamlError, each_event};

/// What aliases may expand a document to, in bytes of scalars plus one per node: twice the
/// largest report (2 MB), so no document without aliases comes near it, while real front
/// matter uses aliases little if at all.
pub const MAX_EXPANDED_BYTES: u64 = 4 * 1024 * 1024;

/// Refuses `text` when its aliases expand it past [`MAX_EXPANDED_BYTES`], at the alias that
/// goes past. Free for text without `*` (no alias); otherwise linear in the text, each
/// anchored node measured once (aliases inside it included), each alias adding its
/// anchor's size.
pub(super) fn check_expansion(text: &str) -> Result<(), YamlError> {
    if !text.contains('*') {
        return Ok(());
    }
    let (measured, past_limit) = measure(text);
    let too_large = |verb: &str, position| YamlError {
        message: format!(
            "aliases {verb} the YAML past {} MiB, the limit",
            MAX_EXPANDED_BYTES / (1024 * 1024)
        ),
        position,
        path: String::new(),
        help: None,
    };
    if let Some(position) = past_limit {
        return Err(too_large("expand", Some(position)));
    }
    if measured {
        return Ok(());
    }
    // The event parser stopped at a syntax error. When libyaml (serde_yaml's parser) also
    // refuses the text, serde_yaml words the error before expanding anything (it reads
    // every event first; `IgnoredAny` follows no alias). When libyaml reads it, the text
    // is in the few constructs the two parsers read differently: it is taken only if even
    // the largest expansion its aliases could make fits (each alias at most doubles what
    // was read before it).
    if serde_yaml::from_str::<serde::de::IgnoredAny>(text).is_err() {
        return Ok(());
    }
    let aliases = text.bytes().filter(|&b| b == b'*').count();
    let bound = u32::try_from(aliases)
        .ok()
        .and_then(|a| 2u64.checked_pow(a))
        .and_then(|factor| factor.checked_mul(2 * text.len() as u64 + 1));
    match bound {
        Some(bound) if bound <= MAX_EXPANDED_BYTES => Ok(()),
        _ => Err(too_large("could expand", None)),
    }
}

/// Reads the events of `text`, adding up its expanded size: whether it read them all, and
/// where an alias took the size past the limit.
fn measure(text: &str) -> (bool, Option<(usize, usize)>) {
    // Expanded size of each anchored node read so far, by anchor id.
    let mut anchored: HashMap<usize, u64> = HashMap::new();
    // Collections being read: their anchor id (0 for none) and the size before them.
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut size: u64 = 0;
    let mut past_limit = None;
    let read = each_event(text, |event, mark| {
        match event {
            Event::Scalar(value, _, anchor, _) => {
                let scalar = value.len() as u64 + 1;
                size = size.saturating_add(scalar);
                if anchor != 0 {
                    anchored.insert(anchor, scalar);
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((anchor, size));
                size = size.saturating_add(1);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, before)) = open.pop()
                    && anchor != 0
                {
                    anchored.insert(anchor, size - before);
                }
            }
            Event::Alias(anchor) => {
                size = size.saturating_add(anchored.get(&anchor).copied().unwrap_or(1));
                if size > MAX_EXPANDED_BYTES {
                    past_limit = Some((mark.line(), mark.col() + 1));
                }
            }
            _ => {}
        }
        past_limit.is_none()
    });
    (read.is_ok(), past_limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused_at(text: &str) -> Option<(usize, usize)> {
        check_expansion(text).err().and_then(|e| e.position)
    }

    #[test]
    fn nested_and_repeated_aliases_are_added_up() {
        let kib = "x".repeat(1023);
        // 64 aliases of 1 KiB each: 64 KiB, well within.
        let few = format!("a: &a {kib}\nb: &b [{}]\n", vec!["*a"; 64].join(", "));
        assert_eq!(refused_at(&few), None);
        // 1 KiB, ×64 in `b`, ×64 again in `c`: past 4 MiB at the 63rd alias of `c` (with
        // the 65 KiB read before it), at column 5 + 62 × 4 (`*b, ` is 4 characters).
        let nested = format!("{few}c: [{}]\n", vec!["*b"; 64].join(", "));
        assert_eq!(refused_at(&nested), Some((3, 5 + 62 * 4)));
        // Mappings count as sequences do, and the limit holds however deep the nesting.
        let mut bomb = "a0: &a0 {k: [lol, lol, lol, lol, lol, lol, lol, lol, lol]}\n".to_string();
        for i in 1..30 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        assert!(refused_at(&bomb).is_some_and(|(line, _)| line <= 8));
    }

    #[test]
    fn text_only_libyaml_reads_is_bounded_too() {
        // yaml-rust2 follows YAML 1.2: flow content less indented than its key, and NEL,
        // LS, PS as line breaks, are errors to it; libyaml reads them.
        let kib = "x".repeat(1023);
        for separator in ["\n", "\u{2028}"] {
            let bomb = format!(
                "a: &a {kib}{separator}b: [\n{}]\n",
                vec!["*a"; 5000].join(", ")
            );
            assert!(serde_yaml::from_str::<serde::de::IgnoredAny>(&bomb).is_ok());
            let e = check_expansion(&bomb).unwrap_err();
            assert_eq!(
                e.message,
                "aliases could expand the YAML past 4 MiB, the limit"
            );
        }
        // A few aliases in such text: at most 2^3 times the text, taken.
        let few = "a: &a x\nb: &b [\n*a, *a]\nc: [\n*b]\n";
        assert!(!measure(few).0, "read by yaml-rust2: not the case tested");
        assert!(check_expansion(few).is_ok());
        assert!(serde_yaml::from_str::<serde::de::IgnoredAny>(few).is_ok());
    }

    #[test]
    fn text_without_aliases_is_not_parsed() {
        // Not YAML at all: without `*` the event parser is not even run.
        assert!(check_expansion("a: [\n& b").is_ok());
        assert!(check_expansion("title: \"*\" &a\n").is_ok());
    }
}

//! The perpetrators and incident types an import writes, matched against the vocabulary
//! as reports are (by slug, names and aliases alike); unknown ones become new entries,
//! inserted at the end of their list in `content/vocabulary.yaml` without touching a byte
//! of what is there. A kind the vocabulary leaves free is closed by the first value the
//! import adds to it, and then lists every value the archive's reports already give, so
//! that none of them stops being valid.

use std::fmt::Write as _;

use crate::FastMap;
use crate::content::names::slugify;
use crate::content::text::{self, FieldKind};
use crate::content::vocabulary::VOCABULARY_KEYS;
use crate::content::{Report, Vocabulary};

use super::event::RowProblem;
use super::writer::quoted;

/// One kind: its spellings, and the names this import adds.
#[derive(Debug, Default)]
struct Kind {
    /// Slug of a name or alias → canonical name.
    by_slug: FastMap<String, String>,
    /// Values the archive's reports give while the kind is free (listed only when the import
    /// adds a value).
    in_use: Vec<String>,
    /// Names added by this import, in the order first met.
    added: Vec<String>,
}

/// The vocabulary's entries and the ones this import adds, by [`VOCABULARY_KEYS`].
#[derive(Debug, Default)]
pub struct Terms {
    kinds: [Kind; 2],
}

impl Terms {
    /// The entries of `vocabulary`, and for each kind it leaves free, the values `reports`
    /// give.
    pub fn new(vocabulary: Option<&Vocabulary>, reports: &[std::sync::Arc<Report>]) -> Terms {
        let mut terms = Terms::default();
        for (key, kind) in VOCABULARY_KEYS.iter().zip(&mut terms.kinds) {
            match vocabulary.filter(|v| v.closes(key)) {
                Some(v) => {
                    for e in v.entries(key) {
                        for spelling in std::iter::once(&e.name).chain(&e.aliases) {
                            kind.by_slug
                                .entry(slugify(spelling))
                                .or_insert_with(|| e.name.clone());
                        }
                    }
                }
                None => {
                    for r in reports {
                        let values = if *key == "perpetrators" {
                            &r.perpetrators
                        } else {
                            &r.incident_types
                        };
                        for v in values {
                            kind.by_slug.entry(slugify(v)).or_insert_with(|| {
                                kind.in_use.push(v.clone());
                                v.clone()
                            });
                        }
                    }
                }
            }
        }
        terms
    }

    /// The canonical name of `value` of `key`, adding it when it is new.
    pub fn resolve(&mut self, key: &str, value: &str) -> Result<String, RowProblem> {
        let k = VOCABULARY_KEYS
            .iter()
            .position(|k| *k == key)
            .expect("a vocabulary key");
        let kind = &mut self.kinds[k];
        let slug = slugify(value);
        if let Some(name) = kind.by_slug.get(&slug) {
            return Ok(name.clone());
        }
        if slug.is_empty() {
            return Err(RowProblem::new(
                "import-bad-term",
                format!("the name `{value}` (of `{key}`) has no letter or digit"),
                "correct the name in the row",
            ));
        }
        if let Some(r) = text::refused(value, FieldKind::Name) {
            return Err(RowProblem::new(
                r.code(),
                r.message(&format!("the name `{value}` (of `{key}`)")),
                r.help(),
            ));
        }
        kind.by_slug.insert(slug, value.to_string());
        kind.added.push(value.to_string());
        Ok(value.to_string())
    }

    /// Names added, by key, for the summary.
    pub fn added(&self) -> impl Iterator<Item = (&'static str, &str)> {
        VOCABULARY_KEYS
            .iter()
            .zip(&self.kinds)
            .flat_map(|(key, kind)| kind.added.iter().map(move |n| (*key, n.as_str())))
    }

    /// The vocabulary's text with the new entries inserted (`None`: nothing added).
    pub fn appended(&self, text: Option<&str>, dataset: &str) -> Result<Option<String>, String> {
        if self.kinds.iter().all(|k| k.added.is_empty()) {
            return Ok(None);
        }
        let mut t = match text {
            Some(text) => text.to_string(),
            None => "# Perpetrators and incident types: names, Arabic names and aliases (see \
                     docs/format.md, section 9).\n"
                .to_string(),
        };
        for (key, kind) in VOCABULARY_KEYS.iter().zip(&self.kinds) {
            if kind.added.is_empty() {
                continue;
            }
            let names = kind.in_use.iter().chain(&kind.added);
            t = insert_entries(&t, key, names, dataset)?;
        }
        Ok(Some(t))
    }
}

/// `text` with `- name: …` entries for `names` at the end of the block list `key:`
/// (a new `key:` block at the end of the file when there is none). A list written in flow
/// style (`key: [...]`) cannot grow without rewriting it: that is an error.
fn insert_entries<'a>(
    text: &str,
    key: &str,
    names: impl Iterator<Item = &'a String>,
    dataset: &str,
) -> Result<String, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    fn is_key_line<'l>(l: &'l str, key: &str) -> Option<&'l str> {
        l.trim_end()
            .strip_prefix(key)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(str::trim_start)
    }
    let Some(start) = lines.iter().position(|l| is_key_line(l, key).is_some()) else {
        let mut t = text.to_string();
        if !t.is_empty() && !t.ends_with('\n') {
            t.push('\n');
        }
        let _ = writeln!(
            t,
            "\n{key}:\n  # Added by `sijill import --from {dataset}`."
        );
        for name in names {
            let _ = writeln!(t, "  - name: {}", quoted(name));
        }
        return Ok(t);
    };
    let after_colon = is_key_line(lines[start], key).unwrap_or("");
    if !(after_colon.is_empty() || after_colon.starts_with('#')) {
        return Err(format!(
            "`{key}:` is not written as a block list (`{key}:` then `  - name: ...` lines), so \
             entries cannot be added to it without rewriting it; rewrite it so and import again"
        ));
    }
    // The block runs until the next line at the margin that is not a comment.
    let mut end = start + 1;
    let mut last_content = start;
    let mut indent = None;
    while end < lines.len() {
        let l = lines[end];
        let trimmed = l.trim_start_matches(' ');
        let margin = l.len() - trimmed.len();
        let blank_or_comment = trimmed.trim().is_empty() || trimmed.starts_with('#');
        if !blank_or_comment {
            if margin == 0 && !trimmed.starts_with('-') {
                break;
            }
            if indent.is_none() && trimmed.starts_with('-') {
                indent = Some(margin);
            }
            last_content = end;
        }
        end += 1;
    }
    let pad = " ".repeat(indent.unwrap_or(2));
    let mut t: String = lines[..=last_content].concat();
    if !t.ends_with('\n') {
        t.push('\n');
    }
    let _ = writeln!(t, "\n{pad}# Added by `sijill import --from {dataset}`.");
    for name in names {
        let _ = writeln!(t, "{pad}- name: {}", quoted(name));
    }
    t.push_str(&lines[last_content + 1..].concat());
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# mine\nperpetrators:\n  - name: Syrian regime forces\n    aliases: [regime forces]\n\n  # a comment\nincident_types:\n  - name: airstrike\n";

    #[test]
    fn new_names_go_at_the_end_of_their_list() {
        let (v, problems) = Vocabulary::parse(TEXT, "vocabulary.yaml");
        assert!(problems.is_empty());
        let mut terms = Terms::new(Some(&v), &[]);
        assert_eq!(
            terms.resolve("perpetrators", "Regime Forces").unwrap(),
            "Syrian regime forces"
        );
        assert_eq!(terms.resolve("perpetrators", "ISIS").unwrap(), "ISIS");
        assert_eq!(terms.resolve("perpetrators", "isis").unwrap(), "ISIS");
        assert_eq!(
            terms.resolve("incident_types", "Air/drone strike").unwrap(),
            "Air/drone strike"
        );
        let t = terms.appended(Some(TEXT), "acled").unwrap().unwrap();
        assert_eq!(
            t,
            "# mine\nperpetrators:\n  - name: Syrian regime forces\n    aliases: [regime forces]\n\n  # Added by `sijill import --from acled`.\n  - name: \"ISIS\"\n\n  # a comment\nincident_types:\n  - name: airstrike\n\n  # Added by `sijill import --from acled`.\n  - name: \"Air/drone strike\"\n"
        );
        let (v, problems) = Vocabulary::parse(&t, "vocabulary.yaml");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(v.entries("perpetrators").len(), 2);
    }

    #[test]
    fn flow_lists_are_not_rewritten() {
        let text = "perpetrators: [A, B]\n";
        let (v, _) = Vocabulary::parse(text, "vocabulary.yaml");
        let mut terms = Terms::new(Some(&v), &[]);
        terms.resolve("perpetrators", "C").unwrap();
        assert!(terms.appended(Some(text), "acled").is_err());
    }
}

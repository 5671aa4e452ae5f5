//! The taxonomies: `perpetrators`, `incident_types` and `tags`, each a list of names that
//! become pages of their own.

use std::borrow::Cow;

use super::checker::{Checker, MAX_SLUG_BYTES};
use crate::content::limits::MAX_TERMS;
use crate::content::names::slugify;
use crate::content::raw::RawReport;
use crate::content::text::{self, FieldKind};
use crate::content::vocabulary::{VOCABULARY_FILE, Vocabulary};

/// The values of each taxonomy, normalised (NFC, trimmed) and deduplicated.
pub(super) struct Terms {
    /// Who did it.
    pub(super) perpetrators: Vec<String>,
    /// What happened.
    pub(super) incident_types: Vec<String>,
    /// Free tags.
    pub(super) tags: Vec<String>,
}

/// Checks the three taxonomies, in the order of the format, resolving the values of the
/// kinds the vocabulary lists to their names.
pub(super) fn terms(c: &mut Checker, raw: &RawReport, vocabulary: Option<&Vocabulary>) -> Terms {
    Terms {
        perpetrators: c.resolved_list("perpetrators", &raw.perpetrators, vocabulary),
        incident_types: c.resolved_list("incident_types", &raw.incident_types, vocabulary),
        tags: c.string_list("tags", &raw.tags),
    }
}

/// Unknown terms of one report that get a "did you mean" (each is a scan of the
/// vocabulary's spellings).
const MAX_SUGGESTED_TERMS: usize = 10;

/// Where `value` is written in `list`: found by value, since repeats and refused entries
/// were dropped.
fn position_of(list: &Option<Vec<String>>, value: &str) -> usize {
    list.iter()
        .flatten()
        .position(|v| text::nfc(v.trim()) == value)
        .unwrap_or(0)
}

impl Checker<'_> {
    /// [`Checker::string_list`], each value then resolved by the vocabulary when it lists
    /// `key`: a name or alias becomes the name (repeats dropped), anything else is an error
    /// with the closest names.
    fn resolved_list(
        &mut self,
        key: &str,
        list: &Option<Vec<String>>,
        vocabulary: Option<&Vocabulary>,
    ) -> Vec<String> {
        let values = self.string_list(key, list);
        let Some(vocabulary) = vocabulary.filter(|v| v.closes(key)) else {
            return values;
        };
        let mut out: Vec<String> = Vec::with_capacity(values.len());
        for value in values {
            match vocabulary.resolve(key, &value) {
                Ok(name) => {
                    let name = name.map_or(value, str::to_string);
                    if !out.contains(&name) {
                        out.push(name);
                    }
                }
                Err(_) if self.unknown_terms >= MAX_SUGGESTED_TERMS => {
                    self.unknown_terms += 1;
                    self.at_value(
                        &format!("{key}.{}", position_of(list, &value)),
                        "unknown-term",
                        format!("`{value}` is not in the vocabulary's `{key}`"),
                    )
                    .help = Some(format!(
                        "use a name or alias listed under `{key}:` in {VOCABULARY_FILE}"
                    ));
                }
                Err(unknown) => {
                    self.unknown_terms += 1;
                    let n = position_of(list, &value);
                    let help = match unknown.suggestions.as_slice() {
                        [] => format!(
                            "use a name or alias listed under `{key}:` in {VOCABULARY_FILE}, or add this one there"
                        ),
                        names => format!(
                            "did you mean {}? (names and aliases are in {VOCABULARY_FILE})",
                            names
                                .iter()
                                .map(|n| format!("`{n}`"))
                                .collect::<Vec<_>>()
                                .join(" or ")
                        ),
                    };
                    self.at_value(
                        &format!("{key}.{n}"),
                        "unknown-term",
                        format!("`{value}` is not in the vocabulary's `{key}`"),
                    )
                    .help = Some(help);
                }
            }
        }
        out
    }

    /// One taxonomy: at most [`MAX_TERMS`] values, each a usable name of a URL segment.
    pub(super) fn string_list(&mut self, key: &str, list: &Option<Vec<String>>) -> Vec<String> {
        let len = list.as_ref().map_or(0, Vec::len);
        if len > MAX_TERMS {
            self.at_value(
                key,
                "too-many-values",
                format!("`{key}` has {len} entries, more than the limit of {MAX_TERMS}"),
            )
            .help = Some(format!(
                "keep the {MAX_TERMS} that matter most; each value is a page of its own"
            ));
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::with_capacity(len);
        let mut seen: crate::FastSet<Cow<str>> = crate::FastSet::default();
        for (i, value) in list.iter().flatten().enumerate() {
            if let Some(r) = text::refused(value, FieldKind::Name) {
                self.refuse(&format!("{key}.{i}"), &format!("an entry of `{key}`"), r);
                continue;
            }
            let value = text::nfc(value.trim());
            let slug = slugify(&value);
            if slug.is_empty() {
                self.at_value(
                    &format!("{key}.{i}"),
                    "empty-value",
                    format!("`{key}` has an empty or unusable entry"),
                )
                .help = Some("remove it, or write a name with letters or digits".into());
            } else if slug.len() > MAX_SLUG_BYTES {
                self.too_long(&format!("{key}.{i}"), &format!("a `{key}` entry"), &slug);
            } else if seen.insert(value.clone()) {
                out.push(value.into_owned());
            }
        }
        out
    }
}

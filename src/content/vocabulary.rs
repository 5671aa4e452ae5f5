//! The optional vocabulary `content/vocabulary.yaml` (format v2): canonical names, Arabic
//! names and aliases of perpetrators and incident types, as the gazetteer gives them for
//! places. A kind the file lists is closed: every value a report gives must be a name or
//! an alias, and resolves to the name. A kind it does not list stays free; tags always are.

use serde::Deserialize;

use crate::FastMap;

use super::diagnostics::Diagnostic;
use super::names::{closest, normalise, slugify};
use super::text::{self, FieldKind};
use super::yaml::{self, Locator};

/// The vocabulary's place in a site.
pub const VOCABULARY_FILE: &str = "content/vocabulary.yaml";

/// The report keys a vocabulary can close, in the order of the file.
pub const VOCABULARY_KEYS: [&str; 2] = ["perpetrators", "incident_types"];

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVocabulary {
    perpetrators: Option<Vec<RawEntry>>,
    incident_types: Option<Vec<RawEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    name: String,
    name_ar: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

/// One perpetrator or incident type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The canonical name: what pages, totals and exports show.
    pub name: String,
    /// The name in Arabic, when given.
    pub name_ar: Option<String>,
    /// Other spellings accepted in reports.
    pub aliases: Vec<String>,
}

/// The entries of one kind, indexed by the slug of each name and alias (so `Air strike`
/// and `air-strike` are one spelling, as they would be one page).
#[derive(Debug, Clone, Default)]
struct Kind {
    entries: Vec<Entry>,
    by_slug: FastMap<String, usize>,
    /// Every spelling normalised once, with its entry, for "did you mean".
    normalised: Vec<(String, String, usize)>,
}

/// The vocabulary, indexed for resolution.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// By [`VOCABULARY_KEYS`]; `None` for a kind the file does not list (free).
    kinds: [Option<Kind>; 2],
}

/// A value a closed kind does not know, with the names probably meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTerm {
    /// Canonical names whose spellings are close.
    pub suggestions: Vec<String>,
}

impl Vocabulary {
    /// Reads `text` (the file `file`), reporting every problem; entries in error are left
    /// out.
    pub fn parse(text: &str, file: &str) -> (Vocabulary, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let mut locator: Option<Locator> = None;
        let mut at = |path: &str| {
            locator
                .get_or_insert_with(|| Locator::new(text))
                .nearest(path)
                .unwrap_or((1, 1))
        };
        let raw: RawVocabulary = match yaml::read_site_file(
            text,
            file,
            "vocabulary-syntax",
            "the file has `perpetrators:` and `incident_types:`, each a list of \
                             `- name: ...` with optional `name_ar` and `aliases` (tags are \
                             always free)",
        ) {
            Ok(raw) => raw,
            Err(d) => {
                problems.push(d);
                return (Vocabulary::default(), problems);
            }
        };
        let mut vocabulary = Vocabulary::default();
        for (k, (key, list)) in VOCABULARY_KEYS
            .into_iter()
            .zip([raw.perpetrators, raw.incident_types])
            .enumerate()
        {
            let Some(list) = list else { continue };
            let mut kind = Kind::default();
            for (i, entry) in list.into_iter().enumerate() {
                if let Some(entry) = clean(entry, key, i, text, &mut at, file, &mut problems) {
                    kind.add(entry, key, i, &mut at, file, &mut problems);
                }
            }
            vocabulary.kinds[k] = Some(kind);
        }
        super::diagnostics::sort(&mut problems);
        (vocabulary, problems)
    }

    fn kind(&self, key: &str) -> Option<&Kind> {
        let k = VOCABULARY_KEYS.iter().position(|k| *k == key)?;
        self.kinds[k].as_ref()
    }

    /// True when the file lists the report key `key` (`perpetrators`, `incident_types`):
    /// its values must then be names or aliases.
    pub fn closes(&self, key: &str) -> bool {
        self.kind(key).is_some()
    }

    /// The canonical name of `value` among the entries of `key`: `Ok(None)` when the kind
    /// is free, an error with suggestions when it is closed and `value` is none of its
    /// spellings.
    pub fn resolve(&self, key: &str, value: &str) -> Result<Option<&str>, UnknownTerm> {
        let Some(kind) = self.kind(key) else {
            return Ok(None);
        };
        if let Some(&i) = kind.by_slug.get(&slugify(value)) {
            return Ok(Some(&kind.entries[i].name));
        }
        let spellings = &kind.normalised;
        let mut suggestions: Vec<String> = Vec::new();
        for near in closest(
            value,
            spellings.iter().map(|(s, n, _)| (s.as_str(), n.as_str())),
        ) {
            let i = spellings
                .iter()
                .find(|(s, ..)| s == near)
                .map_or(0, |x| x.2);
            let name = &kind.entries[i].name;
            if !suggestions.contains(name) {
                suggestions.push(name.clone());
            }
        }
        Err(UnknownTerm { suggestions })
    }

    /// The entry named `name` (canonical) of `key`, when the file lists it.
    pub fn entry(&self, key: &str, name: &str) -> Option<&Entry> {
        let kind = self.kind(key)?;
        kind.by_slug.get(&slugify(name)).map(|&i| &kind.entries[i])
    }

    /// The entries of `key`, in the order written (empty for a free kind).
    pub fn entries(&self, key: &str) -> &[Entry] {
        self.kind(key).map_or(&[], |k| &k.entries)
    }
}

/// The entry with its names in NFC, or `None` (reported) when a name is empty or holds a
/// refused character.
fn clean(
    mut entry: RawEntry,
    key: &str,
    i: usize,
    text: &str,
    at: &mut impl FnMut(&str) -> (usize, usize),
    file: &str,
    problems: &mut Vec<Diagnostic>,
) -> Option<Entry> {
    let base = format!("{key}.{i}.");
    let fields = std::iter::once(("name".to_string(), &entry.name))
        .chain(
            entry
                .aliases
                .iter()
                .enumerate()
                .map(|(j, a)| (format!("aliases.{j}"), a)),
        )
        .chain(entry.name_ar.as_ref().map(|n| ("name_ar".to_string(), n)));
    let mut ok = true;
    for (field, value) in fields {
        let path = format!("{base}{field}");
        if let Some(r) = text::refused(value, FieldKind::Name) {
            let pos = text::position_of_char(text, 1, at(&path), r.ch);
            problems.push(r.diagnostic(file, pos, &format!("`{field}`")));
            ok = false;
        } else if field != "name_ar" && slugify(value.trim()).is_empty() {
            problems.push(
                Diagnostic::error(
                    file,
                    at(&path),
                    "vocabulary-name",
                    format!("`{field}` of entry {} is empty or unusable", i + 1),
                )
                .with_help("write a name with letters or digits"),
            );
            ok = false;
        }
    }
    if !ok {
        return None;
    }
    let tidy = |s: &mut String| {
        *s = text::nfc(s.trim()).into_owned();
    };
    tidy(&mut entry.name);
    entry.aliases.iter_mut().for_each(tidy);
    if let Some(n) = &mut entry.name_ar {
        tidy(n);
    }
    Some(Entry {
        name: entry.name,
        name_ar: entry.name_ar,
        aliases: entry.aliases,
    })
}

impl Kind {
    /// Adds `entry` (entry `i` of `key`), reporting a name or alias that another entry
    /// already claims: a spelling may designate one entry only.
    fn add(
        &mut self,
        entry: Entry,
        key: &str,
        i: usize,
        at: &mut impl FnMut(&str) -> (usize, usize),
        file: &str,
        problems: &mut Vec<Diagnostic>,
    ) {
        let index = self.entries.len();
        let spellings = std::iter::once(("name".to_string(), entry.name.clone())).chain(
            entry
                .aliases
                .iter()
                .enumerate()
                .map(|(j, a)| (format!("aliases.{j}"), a.clone())),
        );
        let mut claimed = Vec::new();
        for (field, spelling) in spellings {
            let slug = slugify(&spelling);
            match self.by_slug.get(&slug) {
                Some(&other) if other != index => {
                    let other = &self.entries[other].name;
                    problems.push(
                        Diagnostic::error(
                            file,
                            at(&format!("{key}.{i}.{field}")),
                            "vocabulary-ambiguous",
                            format!("`{spelling}` is already a spelling of `{other}`"),
                        )
                        .with_help(
                            "a name or alias may designate one entry only: merge the two \
                             entries, or remove this spelling",
                        ),
                    );
                }
                Some(_) => {}
                None => claimed.push(slug),
            }
        }
        for slug in claimed {
            self.by_slug.insert(slug, index);
        }
        for spelling in std::iter::once(&entry.name).chain(&entry.aliases) {
            self.normalised
                .push((spelling.clone(), normalise(spelling), index));
        }
        self.entries.push(entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "perpetrators:\n  - name: Syrian regime forces\n    name_ar: قوات النظام السوري\n    aliases: [regime forces, Syrian Arab Army]\nincident_types:\n  - name: airstrike\n    aliases: [air strike, air raid]\n";

    #[test]
    fn names_and_aliases_resolve_to_the_name_and_free_kinds_stay_free() {
        let (v, problems) = Vocabulary::parse(FILE, VOCABULARY_FILE);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            v.resolve("perpetrators", "Regime Forces"),
            Ok(Some("Syrian regime forces"))
        );
        assert_eq!(
            v.resolve("incident_types", "air-strike"),
            Ok(Some("airstrike"))
        );
        assert_eq!(v.resolve("tags", "anything"), Ok(None));
        let unknown = v
            .resolve("perpetrators", "Syrian regim forces")
            .unwrap_err();
        assert_eq!(unknown.suggestions, ["Syrian regime forces"]);
    }

    #[test]
    fn a_spelling_of_two_entries_is_an_error_at_its_line() {
        let text =
            "incident_types:\n  - name: shelling\n  - name: airstrike\n    aliases: [Shelling]\n";
        let (v, problems) = Vocabulary::parse(text, VOCABULARY_FILE);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].code, "vocabulary-ambiguous");
        assert_eq!(problems[0].line, 4);
        assert_eq!(
            v.resolve("incident_types", "shelling"),
            Ok(Some("shelling"))
        );
    }
}

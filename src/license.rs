//! The licence an archive states for its reports and data (`license` in `site.yaml`): one
//! of a short table of SPDX licences made for content and data, or the archive's own terms
//! (`LicenseRef-…` with its URL and name). Without one nothing is claimed anywhere: a wrong
//! licence on human-rights records is worse than none, so sijill never picks one.

use serde::Serialize;

use crate::content::names::{closest, normalise};
use crate::content::validate::is_http_url;

/// A licence of the table: what [`License`] holds for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownLicense {
    /// SPDX identifier, as written in `site.yaml`.
    pub id: &'static str,
    /// Its usual short name, shown in page footers.
    pub name: &'static str,
    /// Its full name (SPDX's).
    pub title: &'static str,
    /// The licensor's canonical page for it.
    pub url: &'static str,
}

/// The licences `license` may name by SPDX id: those made for content and databases. Code
/// licences (MIT, GPL) say nothing of a database's rights, so they are not offered.
pub const KNOWN: &[KnownLicense] = &[
    known(
        "CC-BY-4.0",
        "CC BY 4.0",
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    known(
        "CC-BY-SA-4.0",
        "CC BY-SA 4.0",
        "Creative Commons Attribution Share Alike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    known(
        "CC-BY-NC-4.0",
        "CC BY-NC 4.0",
        "Creative Commons Attribution Non Commercial 4.0 International",
        "https://creativecommons.org/licenses/by-nc/4.0/",
    ),
    known(
        "CC-BY-NC-SA-4.0",
        "CC BY-NC-SA 4.0",
        "Creative Commons Attribution Non Commercial Share Alike 4.0 International",
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    ),
    known(
        "CC-BY-ND-4.0",
        "CC BY-ND 4.0",
        "Creative Commons Attribution No Derivatives 4.0 International",
        "https://creativecommons.org/licenses/by-nd/4.0/",
    ),
    known(
        "CC-BY-NC-ND-4.0",
        "CC BY-NC-ND 4.0",
        "Creative Commons Attribution Non Commercial No Derivatives 4.0 International",
        "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    ),
    known(
        "CC0-1.0",
        "CC0 1.0",
        "Creative Commons Zero v1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    known(
        "ODbL-1.0",
        "ODbL 1.0",
        "Open Data Commons Open Database License v1.0",
        "https://opendatacommons.org/licenses/odbl/1-0/",
    ),
    known(
        "ODC-By-1.0",
        "ODC-By 1.0",
        "Open Data Commons Attribution License v1.0",
        "https://opendatacommons.org/licenses/by/1-0/",
    ),
    known(
        "PDDL-1.0",
        "PDDL 1.0",
        "Open Data Commons Public Domain Dedication & License 1.0",
        "https://opendatacommons.org/licenses/pddl/1-0/",
    ),
];

const fn known(
    id: &'static str,
    name: &'static str,
    title: &'static str,
    url: &'static str,
) -> KnownLicense {
    KnownLicense {
        id,
        name,
        title,
        url,
    }
}

/// The prefix SPDX gives licences of one's own.
pub const CUSTOM_PREFIX: &str = "LicenseRef-";

/// The longest `attribution` and `license_name`: each is one line in every page footer.
pub const MAX_LINE: usize = 300;

/// The licence of an archive, as pages, feeds and exports state it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct License {
    /// SPDX identifier (`CC-BY-4.0`, `LicenseRef-…`).
    pub id: String,
    /// Short name, shown in page footers.
    pub name: String,
    /// Full name.
    pub title: String,
    /// Where its terms are.
    pub url: String,
    /// How to credit the archive, when it says.
    pub attribution: Option<String>,
}

/// The licence keys of `site.yaml` as written.
#[derive(Debug, Clone, Copy, Default)]
pub struct LicenseKeys<'a> {
    /// `license`.
    pub license: Option<&'a str>,
    /// `license_url`.
    pub license_url: Option<&'a str>,
    /// `license_name`.
    pub license_name: Option<&'a str>,
    /// `attribution`.
    pub attribution: Option<&'a str>,
}

/// Why the licence keys of `site.yaml` state no licence. Each names the key it is about,
/// for the position of the error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LicenseError {
    /// `license` is not in the table, nor a `LicenseRef-` id.
    #[error("`{id}` is not a licence sijill knows")]
    Unknown {
        /// As written.
        id: String,
        /// The id of the table it is closest to.
        suggestion: Option<&'static str>,
    },
    /// `LicenseRef-` followed by nothing, or by characters SPDX does not allow.
    #[error(
        "`{0}` is not an SPDX licence reference (`LicenseRef-` then letters, digits, `-` or `.`)"
    )]
    MalformedRef(String),
    /// A `LicenseRef-` licence without the key that says what it is.
    #[error("`{id}` is the archive's own licence, so `{key}` is needed")]
    CustomWithout {
        /// The licence.
        id: String,
        /// `license_url` or `license_name`.
        key: &'static str,
    },
    /// `license_url` or `license_name` given for a licence of the table, whose own they
    /// would contradict.
    #[error("`{key}` is only for a `LicenseRef-` licence; {id} has its own")]
    NotCustom {
        /// The licence.
        id: String,
        /// The key given.
        key: &'static str,
    },
    /// `license_url` is not an absolute http(s) URL.
    #[error("`license_url` is `{0}`, not an absolute http(s) URL")]
    BadUrl(String),
    /// `attribution` or `license_name` is empty, longer than a line or holds a line break
    /// or control character.
    #[error("`{key}` must be one line of text, 1 to {MAX_LINE} characters")]
    BadLine {
        /// The key.
        key: &'static str,
    },
    /// A licence key without `license`.
    #[error("`{key}` is given but `license` is not")]
    WithoutLicense {
        /// The key given.
        key: &'static str,
    },
}

impl LicenseError {
    /// The key of `site.yaml` the error is at.
    pub fn key(&self) -> &'static str {
        match self {
            LicenseError::Unknown { .. }
            | LicenseError::MalformedRef(_)
            | LicenseError::CustomWithout { .. } => "license",
            LicenseError::BadUrl(_) => "license_url",
            LicenseError::NotCustom { key, .. }
            | LicenseError::BadLine { key }
            | LicenseError::WithoutLicense { key } => key,
        }
    }

    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            LicenseError::Unknown {
                suggestion: Some(s),
                ..
            } => format!("did you mean `{s}`?"),
            LicenseError::Unknown {
                suggestion: None, ..
            }
            | LicenseError::MalformedRef(_) => format!(
                "`license` takes one of {}, or `LicenseRef-<name>` with `license_url` and \
                 `license_name` for terms of your own",
                KNOWN.iter().map(|l| l.id).collect::<Vec<_>>().join(", ")
            ),
            LicenseError::CustomWithout { .. } => {
                "give `license_url` (where the terms are) and `license_name` (what the footer shows)"
                    .into()
            }
            LicenseError::NotCustom { key, .. } => format!("remove `{key}`"),
            LicenseError::BadUrl(_) => "write the full address, starting with https://".into(),
            LicenseError::BadLine { .. } => "write it on one line, without line breaks".into(),
            LicenseError::WithoutLicense { .. } => {
                "add `license` (e.g. `license: CC-BY-4.0`), or remove this key".into()
            }
        }
    }
}

impl License {
    /// The licence the keys state, `None` when there is no `license`.
    pub fn from_keys(keys: LicenseKeys) -> Result<Option<License>, LicenseError> {
        let Some(id) = keys.license else {
            let given = [
                ("license_url", keys.license_url),
                ("license_name", keys.license_name),
                ("attribution", keys.attribution),
            ];
            return match given.iter().find(|(_, v)| v.is_some()) {
                Some((key, _)) => Err(LicenseError::WithoutLicense { key }),
                None => Ok(None),
            };
        };
        let attribution = keys
            .attribution
            .map(|a| one_line("attribution", a))
            .transpose()?;
        if let Some(k) = KNOWN.iter().find(|k| k.id == id) {
            for (key, value) in [
                ("license_url", keys.license_url),
                ("license_name", keys.license_name),
            ] {
                if value.is_some() {
                    let id = id.to_string();
                    return Err(LicenseError::NotCustom { id, key });
                }
            }
            return Ok(Some(License {
                id: k.id.into(),
                name: k.name.into(),
                title: k.title.into(),
                url: k.url.into(),
                attribution,
            }));
        }
        let Some(reference) = id.strip_prefix(CUSTOM_PREFIX) else {
            return Err(LicenseError::Unknown {
                id: id.to_string(),
                suggestion: suggest(id),
            });
        };
        if reference.is_empty()
            || !reference
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
        {
            return Err(LicenseError::MalformedRef(id.to_string()));
        }
        let without = |key| LicenseError::CustomWithout {
            id: id.to_string(),
            key,
        };
        let url = keys.license_url.ok_or_else(|| without("license_url"))?;
        let name = keys.license_name.ok_or_else(|| without("license_name"))?;
        if !is_http_url(url) {
            return Err(LicenseError::BadUrl(url.to_string()));
        }
        let name = one_line("license_name", name)?;
        Ok(Some(License {
            id: id.to_string(),
            title: name.clone(),
            name,
            url: url.to_string(),
            attribution,
        }))
    }
}

/// `text` trimmed, when it is one line of at most [`MAX_LINE`] characters.
fn one_line(key: &'static str, text: &str) -> Result<String, LicenseError> {
    let text = text.trim();
    let fits = (1..=MAX_LINE).contains(&text.chars().count());
    // Shown in every footer and feed: no control, line separator or direction override
    // (the rule of the reports' own one-line fields).
    let refused = crate::content::text::refused(text, crate::content::text::FieldKind::Text);
    if fits && refused.is_none() && !text.chars().any(char::is_control) {
        Ok(text.to_string())
    } else {
        Err(LicenseError::BadLine { key })
    }
}

/// The id of the table that `id` most likely meant: the same but for case, else the
/// closest spelling.
fn suggest(id: &str) -> Option<&'static str> {
    if let Some(k) = KNOWN.iter().find(|k| k.id.eq_ignore_ascii_case(id)) {
        return Some(k.id);
    }
    let forms: Vec<(&'static str, String)> =
        KNOWN.iter().map(|k| (k.id, normalise(k.id))).collect();
    let best = closest(id, forms.iter().map(|(id, n)| (*id, n.as_str())))
        .first()
        .copied()?;
    KNOWN.iter().map(|k| k.id).find(|k| *k == best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(license: &str) -> Result<Option<License>, LicenseError> {
        License::from_keys(LicenseKeys {
            license: Some(license),
            ..LicenseKeys::default()
        })
    }

    #[test]
    fn a_licence_of_the_table_comes_with_its_name_and_url() {
        let l = of("ODbL-1.0").unwrap().unwrap();
        assert_eq!(l.name, "ODbL 1.0");
        assert_eq!(l.url, "https://opendatacommons.org/licenses/odbl/1-0/");
        assert_eq!(License::from_keys(LicenseKeys::default()), Ok(None));
    }

    #[test]
    fn a_misspelt_id_is_refused_with_the_id_meant() {
        let suggestion = |id| match of(id) {
            Err(LicenseError::Unknown { suggestion, .. }) => suggestion,
            other => panic!("{id}: {other:?}"),
        };
        assert_eq!(suggestion("cc-by-4.0"), Some("CC-BY-4.0"));
        assert_eq!(suggestion("CC-BY-SA-40"), Some("CC-BY-SA-4.0"));
        assert_eq!(suggestion("ODbL"), Some("ODbL-1.0"));
        assert_eq!(suggestion("MIT"), None);
    }

    #[test]
    fn a_licence_of_ones_own_needs_its_url_and_name() {
        let keys = LicenseKeys {
            license: Some("LicenseRef-terms"),
            license_url: Some("https://example.org/terms"),
            license_name: Some("Our terms"),
            attribution: Some("  Example archive "),
        };
        let l = License::from_keys(keys).unwrap().unwrap();
        assert_eq!(
            (l.name.as_str(), l.title.as_str()),
            ("Our terms", "Our terms")
        );
        assert_eq!(l.attribution.as_deref(), Some("Example archive"));
        let missing = LicenseKeys {
            license_name: None,
            ..keys
        };
        assert_eq!(License::from_keys(missing).unwrap_err().key(), "license");
        let bad = LicenseKeys {
            license_url: Some("javascript:alert(1)"),
            ..keys
        };
        assert_eq!(License::from_keys(bad).unwrap_err().key(), "license_url");
        assert!(matches!(
            of("LicenseRef-"),
            Err(LicenseError::MalformedRef(_))
        ));
        assert!(matches!(
            of("LicenseRef-a b"),
            Err(LicenseError::MalformedRef(_))
        ));
        let not_custom = LicenseKeys {
            license: Some("CC0-1.0"),
            ..keys
        };
        assert_eq!(
            License::from_keys(not_custom).unwrap_err().key(),
            "license_url"
        );
    }

    #[test]
    fn attribution_is_one_line_and_needs_a_licence() {
        let keys = |attribution| LicenseKeys {
            license: Some("CC-BY-4.0"),
            attribution: Some(attribution),
            ..LicenseKeys::default()
        };
        assert!(License::from_keys(keys("a\nb")).is_err());
        assert!(License::from_keys(keys(" ")).is_err());
        // A line separator, or a direction override that would reorder the footer.
        assert!(License::from_keys(keys("a\u{2028}b")).is_err());
        assert!(License::from_keys(keys("a\u{202E}b")).is_err());
        assert!(License::from_keys(keys("منظمة، أرشيف")).is_ok());
        let long = "x".repeat(MAX_LINE + 1);
        assert!(License::from_keys(keys(&long)).is_err());
        let alone = LicenseKeys {
            license: None,
            ..keys("Example")
        };
        assert_eq!(
            License::from_keys(alone),
            Err(LicenseError::WithoutLicense { key: "attribution" })
        );
    }
}

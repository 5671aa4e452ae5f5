//! Where it happened: `locations`, each a place of the gazetteer (or a well-formed path
//! without one) with its own optional counts and note.

use super::checker::{Checker, MAX_SLUG_BYTES};
use crate::content::counts::{Counts, Field};
use crate::content::gazetteer::{Gazetteer, Unresolved};
use crate::content::limits::{self, MAX_LOCATIONS, MAX_SUGGESTED_PLACES};
use crate::content::names::slugify;
use crate::content::raw::{LOCATION_KEYS, RawCounts, RawLocation};
use crate::content::report::Location;
use crate::content::text::{self, FieldKind};

/// The valid locations, in the order written, places canonical.
pub(super) fn locations(
    c: &mut Checker,
    raw: &Option<Vec<RawLocation>>,
    gazetteer: Option<&Gazetteer>,
) -> Vec<Location> {
    let mut locations: Vec<Location> = Vec::with_capacity(raw.as_ref().map_or(0, Vec::len));
    match raw {
        None => {
            c.error((1, 1), "missing-field", "`locations` is missing".into())
                .help =
                Some("add `locations: [Country/Governorate/Town]` with at least one place".into());
        }
        Some(list) if list.is_empty() => {
            c.at_value(
                "locations",
                "empty-locations",
                "`locations` is empty".into(),
            )
            .help = Some("give at least one place, e.g. `- Syria/Idlib/Saraqib`".into());
        }
        Some(list) if list.len() > MAX_LOCATIONS => {
            c.at_value(
                "locations",
                "too-many-locations",
                format!(
                    "`locations` has {} places, more than the limit of {MAX_LOCATIONS}",
                    list.len()
                ),
            )
            .help = Some(
                "give the wider places that hold them (a district rather than its villages), \
                 or split the report"
                    .into(),
            );
        }
        Some(list) => {
            let mut listed: crate::FastSet<String> = crate::FastSet::default();
            for (i, loc) in list.iter().enumerate() {
                let base = format!("locations.{i}");
                let (counts, raw_words, note) = match loc {
                    RawLocation::Path(_) => (Counts::default(), Vec::new(), None),
                    RawLocation::Detailed { counts, note, .. } => {
                        let mut unknown = counts.unknown.clone();
                        unknown.retain(|k| !LOCATION_KEYS.contains(&k.as_str()));
                        let mut known: Vec<&str> = LOCATION_KEYS.to_vec();
                        known.extend(Field::ALL.iter().map(|f| f.name()));
                        c.unknown_keys(&base, &unknown, &known);
                        let checked = RawCounts {
                            fields: counts.fields.clone(),
                            unknown: Vec::new(),
                        };
                        let (cs, words) = c.counts(&base, &checked);
                        if let Some(r) = note
                            .as_deref()
                            .and_then(|n| text::refused(n, FieldKind::Text))
                        {
                            c.refuse(&format!("{base}.note"), "`note`", r);
                        }
                        (cs, words, note.clone())
                    }
                };
                let place_path = match loc {
                    RawLocation::Path(_) => base.clone(),
                    RawLocation::Detailed { .. } => format!("{base}.place"),
                };
                let Some(written) = loc.place() else {
                    c.at_value(
                        &base,
                        "missing-field",
                        "this location has no `place`".into(),
                    )
                    .help = Some("add `place: Country/Governorate/Town`".into());
                    continue;
                };
                let Some(path) = resolve_place(c, &place_path, written, gazetteer) else {
                    continue;
                };
                if !listed.insert(path.clone()) {
                    c.at_value(
                        &place_path,
                        "duplicate-location",
                        format!("`{path}` is listed twice in `locations`"),
                    )
                    .help = Some("merge the two entries".into());
                    continue;
                }
                locations.push(Location {
                    path,
                    counts,
                    raw: raw_words,
                    note,
                });
            }
        }
    }

    locations
}

/// The canonical path of the place written at `at`; `None` (reported) when it is too deep,
/// malformed, unknown to the gazetteer or would name a reserved URL segment.
fn resolve_place(
    c: &mut Checker,
    at: &str,
    written: &str,
    gazetteer: Option<&Gazetteer>,
) -> Option<String> {
    if let Some(p) = limits::too_deep(written.split('/').count()) {
        c.at_value(at, p.code, p.message).help = Some(p.help);
        return None;
    }
    if !c.characters(at, "the place", written, FieldKind::Name) {
        return None;
    }
    let written = &*text::nfc(written);
    let segments: Vec<&str> = written.split('/').map(str::trim).collect();
    if segments.iter().any(|s| slugify(s).is_empty()) {
        c.at_value(
            at,
            "invalid-place",
            format!("place `{written}` has an empty segment"),
        )
        .help = Some(
            "write places as `Country/Governorate/District/Town`, names separated by single `/`"
                .into(),
        );
        return None;
    }
    let path = match gazetteer {
        None => segments.join("/"),
        Some(g) => {
            let suggest = c.unknown_places < MAX_SUGGESTED_PLACES;
            match g.resolve(written, suggest) {
                Ok(path) => path,
                Err(u) => {
                    c.unknown_places += 1;
                    unknown_place(c, at, u);
                    return None;
                }
            }
        }
    };
    for segment in path.split('/') {
        let slug = slugify(segment);
        if slug.len() > MAX_SLUG_BYTES {
            c.too_long(at, &format!("the place name `{segment}`"), &slug);
            return None;
        }
        if let Some(p) = limits::reserved(segment, &slug) {
            c.at_value(at, p.code, p.message).help = Some(p.help);
            return None;
        }
    }
    Some(path)
}

/// The error for a place the gazetteer does not have, with the names close to it.
fn unknown_place(c: &mut Checker, at: &str, u: Unresolved) {
    let within = if u.parent.is_empty() {
        String::new()
    } else {
        format!(" under `{}`", u.parent)
    };
    let help = match u.suggestions.as_slice() {
        [] if c.unknown_places > MAX_SUGGESTED_PLACES => format!(
            "add the place to content/places.yaml, or use a name or alias listed there (names \
             close to it are suggested for the first {MAX_SUGGESTED_PLACES} unknown places of \
             a report)"
        ),
        [] => {
            "add the place to content/places.yaml, or use a name or alias listed there".to_string()
        }
        [one] => format!("did you mean `{one}`?"),
        many => format!(
            "did you mean one of: {}?",
            many.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    c.at_value(
        at,
        "unknown-place",
        format!("`{}`{within} is not in the gazetteer", u.segment),
    )
    .help = Some(help);
}

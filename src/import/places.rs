//! The places an import writes, matched against the gazetteer: a level already known
//! (by its name or an alias, compared as URLs compare them, so `Deir Ez-Zor` is
//! `Deir ez-Zor`) takes its canonical name; an unknown one becomes a new gazetteer entry,
//! appended to `content/places.yaml` without touching a byte of what is there.

use std::fmt::Write as _;

use crate::FastMap;
use crate::content::names::slugify;
use crate::content::text::{self, FieldKind};
use crate::content::{Gazetteer, limits};

use super::event::{PlaceRef, RowProblem};
use super::writer::quoted;

/// A place the gazetteer does not have yet.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlace {
    /// Canonical path.
    pub path: String,
    /// Coordinates, from the first row that gives some.
    pub coordinates: Option<(f64, f64)>,
}

/// The gazetteer's places and the ones this import adds.
#[derive(Debug, Default)]
pub struct Places {
    /// `parent path` + `/` + slug of a name or alias → canonical path.
    known: FastMap<String, String>,
    /// Places added, in the order first met (parents before children).
    pub added: Vec<NewPlace>,
    added_at: FastMap<String, usize>,
}

fn key(parent: &str, segment: &str) -> String {
    format!("{parent}/{}", slugify(segment))
}

fn parent_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

impl Places {
    /// The places of `gazetteer` (none without one).
    pub fn new(gazetteer: Option<&Gazetteer>) -> Places {
        let mut places = Places::default();
        for path in gazetteer.iter().flat_map(|g| g.paths()) {
            let Some(info) = gazetteer.and_then(|g| g.get(path)) else {
                continue;
            };
            let parent = parent_of(path);
            for spelling in
                std::iter::once(info.name()).chain(info.aliases.iter().map(String::as_str))
            {
                places
                    .known
                    .entry(key(parent, spelling))
                    .or_insert_with(|| path.to_string());
            }
        }
        places
    }

    /// The canonical path of `place`, adding what the gazetteer lacks.
    pub fn resolve(&mut self, place: &PlaceRef) -> Result<String, RowProblem> {
        if place.segments.is_empty() {
            return Err(RowProblem::new(
                "import-no-place",
                "the row names no place",
                "give at least the country",
            ));
        }
        if let Some(p) = limits::too_deep(place.segments.len()) {
            return Err(RowProblem::new(p.code, p.message, p.help));
        }
        let mut path = String::new();
        for (i, segment) in place.segments.iter().enumerate() {
            let last = i + 1 == place.segments.len();
            let k = key(&path, segment);
            if let Some(known) = self.known.get(&k) {
                path.clone_from(known);
            } else {
                check_name(segment)?;
                if !path.is_empty() {
                    path.push('/');
                }
                path.push_str(segment);
                self.known.insert(k, path.clone());
                self.added_at.insert(path.clone(), self.added.len());
                self.added.push(NewPlace {
                    path: path.clone(),
                    coordinates: None,
                });
            }
            if last
                && let Some(&n) = self.added_at.get(&path)
                && self.added[n].coordinates.is_none()
            {
                self.added[n].coordinates = place.coordinates;
            }
        }
        Ok(path)
    }

    /// The gazetteer's text with the added places appended (`None`: nothing added).
    pub fn appended(&self, text: Option<&str>, dataset: &str) -> Option<String> {
        if self.added.is_empty() {
            return None;
        }
        let mut t = match text {
            Some(text) if !text.trim().is_empty() => {
                let mut t = text.to_string();
                if !t.ends_with('\n') {
                    t.push('\n');
                }
                t.push('\n');
                t
            }
            _ => "# The gazetteer: one entry per place, widest first (see docs/format.md).\n\n"
                .to_string(),
        };
        let _ = writeln!(t, "# Added by `sijill import --from {dataset}`.");
        for p in &self.added {
            let _ = writeln!(t, "- path: {}", quoted(&p.path));
            if let Some((lat, lon)) = p.coordinates {
                let _ = writeln!(t, "  lat: {lat}\n  lon: {lon}");
            }
        }
        Some(t)
    }
}

/// A new place name must make a URL segment and hold no character names may not.
fn check_name(segment: &str) -> Result<(), RowProblem> {
    let slug = slugify(segment);
    if slug.is_empty() {
        return Err(RowProblem::new(
            "import-bad-place",
            format!("the place name `{segment}` has no letter or digit"),
            "correct the place's name in the row",
        ));
    }
    if let Some(p) = limits::reserved(segment, &slug) {
        return Err(RowProblem::new(p.code, p.message, p.help));
    }
    if let Some(r) = text::refused(segment, FieldKind::Name) {
        return Err(RowProblem::new(
            r.code(),
            r.message(&format!("the place name `{segment}`")),
            r.help(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(segments: &[&str], coordinates: Option<(f64, f64)>) -> PlaceRef {
        PlaceRef {
            segments: segments.iter().map(ToString::to_string).collect(),
            coordinates,
        }
    }

    #[test]
    fn known_spellings_resolve_and_new_places_are_appended_once() {
        let text = "# mine\n- path: Syria\n- path: Syria/Deir ez-Zor\n  aliases: [Deir Ezzor]\n";
        let (g, problems) = Gazetteer::parse(text, "places.yaml");
        assert!(problems.is_empty());
        let mut places = Places::new(Some(&g));
        let a = places.resolve(&place(
            &["Syria", "Deir Ezzor", "Hajin"],
            Some((34.7, 40.8)),
        ));
        let b = places.resolve(&place(&["syria", "Deir Ez-Zor", "hajin"], Some((1.0, 1.0))));
        assert_eq!(a.unwrap(), "Syria/Deir ez-Zor/Hajin");
        assert_eq!(b.unwrap(), "Syria/Deir ez-Zor/Hajin");
        let appended = places.appended(Some(text), "acled").unwrap();
        assert!(appended.starts_with(text), "the file's text is kept");
        assert!(
            appended.ends_with("- path: \"Syria/Deir ez-Zor/Hajin\"\n  lat: 34.7\n  lon: 40.8\n")
        );
        let (g, problems) = Gazetteer::parse(&appended, "places.yaml");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            g.get("Syria/Deir ez-Zor/Hajin").unwrap().coordinates,
            Some((34.7, 40.8))
        );
        assert!(places.resolve(&place(&["Syria", "Page"], None)).is_err());
    }
}

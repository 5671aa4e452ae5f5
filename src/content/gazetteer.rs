//! The optional gazetteer `content/places.yaml`: canonical place names, Arabic names,
//! aliases and coordinates, and resolving a report's place path against it.

use std::sync::OnceLock;

use crate::FastMap;

use serde::Deserialize;

use super::diagnostics::Diagnostic;
use super::limits;
use super::names::{closest, normalise, slugify};
use super::text::{self, FieldKind, LOOK_ALIKE_HELP, LookAlikes};
use super::yaml::{self, Locator};

/// One place as written in the gazetteer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlace {
    path: String,
    name_ar: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    code: Option<String>,
}

/// What the gazetteer knows about one place.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceInfo {
    /// Canonical path, segments joined by `/`.
    pub path: String,
    /// Name in Arabic, when given.
    pub name_ar: Option<String>,
    /// Other spellings accepted in reports.
    pub aliases: Vec<String>,
    /// Latitude and longitude, when both are given.
    pub coordinates: Option<(f64, f64)>,
    /// An external code (such as an OCHA P-code), when given.
    pub code: Option<String>,
}

impl PlaceInfo {
    /// The last segment of the path: the place's own name.
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

/// The gazetteer, indexed for resolution.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    places: Vec<PlaceInfo>,
    by_path: FastMap<String, usize>,
    /// Parent path (`""` for the top level) → child places.
    children: FastMap<String, Vec<usize>>,
    /// Parent path → each name and alias of its children → the first child spelt so (a
    /// lookup per segment, where a scan of thousands of siblings made a report of unknown
    /// places quadratic).
    by_spelling: FastMap<String, FastMap<String, usize>>,
    /// For each place, its entry's index in the file (to locate problems).
    entry_index: Vec<usize>,
    /// Normalised spellings for suggestions, made when the first unknown place is met.
    spellings: OnceLock<Spellings>,
}

/// One name or alias of a place, with its normalised form.
#[derive(Debug, Clone)]
struct Spelling {
    spelling: String,
    normalised: String,
    place: usize,
}

/// Every spelling of every place, normalised once: by parent (for "did you mean" among
/// siblings) and by normalised form (for a place written under the wrong parent). Without
/// it each unknown place normalised the whole gazetteer again.
#[derive(Debug, Clone, Default)]
struct Spellings {
    by_parent: FastMap<String, Vec<Spelling>>,
    by_normalised: FastMap<String, Vec<usize>>,
}

impl Spellings {
    fn of(places: &[PlaceInfo]) -> Spellings {
        let mut s = Spellings::default();
        for (k, p) in places.iter().enumerate() {
            let siblings = s
                .by_parent
                .entry(parent_of(&p.path).to_string())
                .or_default();
            for spelling in std::iter::once(p.name()).chain(p.aliases.iter().map(String::as_str)) {
                let normalised = normalise(spelling);
                let same = s.by_normalised.entry(normalised.clone()).or_default();
                if same.last() != Some(&k) {
                    same.push(k);
                }
                siblings.push(Spelling {
                    spelling: spelling.to_string(),
                    normalised,
                    place: k,
                });
            }
        }
        s
    }
}

/// Refuses, at the character, what names may not hold in an entry's path, aliases, Arabic
/// name and code; false when anything is refused (the entry is then left out).
fn names_are_clean(
    p: &RawPlace,
    entry: &str,
    text: &str,
    at: &mut impl FnMut(&str) -> (usize, usize),
    file: &str,
    problems: &mut Vec<Diagnostic>,
) -> bool {
    let fields = std::iter::once(("path".to_string(), p.path.as_str()))
        .chain(
            p.aliases
                .iter()
                .enumerate()
                .map(|(j, a)| (format!("aliases.{j}"), a.as_str())),
        )
        .chain(p.name_ar.as_deref().map(|n| ("name_ar".to_string(), n)))
        .chain(p.code.as_deref().map(|c| ("code".to_string(), c)));
    let mut clean = true;
    for (key, value) in fields {
        let Some(r) = text::refused(value, FieldKind::Name) else {
            continue;
        };
        let pos = text::position_of_char(text, 1, at(&format!("{entry}{key}")), r.ch);
        let what = format!("`{key}`");
        problems.push(r.diagnostic(file, pos, &what));
        clean = false;
    }
    clean
}

/// Why a place path did not resolve.
#[derive(Debug, Clone, PartialEq)]
pub struct Unresolved {
    /// The first segment that matched nothing, as written.
    pub segment: String,
    /// The canonical path resolved before it (empty at the top level).
    pub parent: String,
    /// Canonical paths that are probably what was meant.
    pub suggestions: Vec<String>,
}

fn parent_of(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Checks a place's coordinates: both or neither, finite, on Earth. They reach the GeoJSON
/// export and map links, where `.nan` or `lon: -999` would be published as they are.
fn coordinates(
    lat: Option<f64>,
    lon: Option<f64>,
) -> Result<Option<(f64, f64)>, (&'static str, String)> {
    let check = |key: &'static str, value: f64, bound: f64| {
        if value.is_finite() && (-bound..=bound).contains(&value) {
            Ok(value)
        } else {
            Err((
                key,
                format!("`{key}` is {value}, not between -{bound} and {bound}"),
            ))
        }
    };
    match (lat, lon) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(("lat", "`lat` is given without `lon`".into())),
        (None, Some(_)) => Err(("lon", "`lon` is given without `lat`".into())),
        (Some(lat), Some(lon)) => Ok(Some((check("lat", lat, 90.0)?, check("lon", lon, 180.0)?))),
    }
}

impl Gazetteer {
    /// Reads and checks a gazetteer. Returns it (possibly partial) and every problem found.
    pub fn parse(text: &str, file: &str) -> (Gazetteer, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let mut locator: Option<Locator> = None;
        let mut at = |path: &str| {
            locator
                .get_or_insert_with(|| Locator::new(text))
                .nearest(path)
                .unwrap_or((1, 1))
        };
        let raw: Vec<RawPlace> = match yaml::read_site_file(
            text,
            file,
            "gazetteer-syntax",
            "each place is `- path: Country/Governorate/...` with optional \
                             `name_ar`, `aliases`, `lat`, `lon`, `code`",
        ) {
            Ok(raw) => raw,
            Err(d) => {
                problems.push(d);
                return (Gazetteer::default(), problems);
            }
        };
        let mut g = Gazetteer::default();
        for (i, mut p) in raw.into_iter().enumerate() {
            if !names_are_clean(&p, &format!("{i}."), text, &mut at, file, &mut problems) {
                continue;
            }
            text::make_nfc(&mut p.path);
            p.aliases.iter_mut().for_each(text::make_nfc);
            if let Some(name) = &mut p.name_ar {
                text::make_nfc(name);
            }
            let segments: Vec<&str> = p.path.split('/').map(str::trim).collect();
            if segments.iter().any(|s| slugify(s).is_empty()) {
                problems.push(Diagnostic::error(
                    file,
                    at(&format!("{i}.path")),
                    "gazetteer-path",
                    format!("place path `{}` has an empty or unusable segment", p.path),
                ));
                continue;
            }
            let broken = limits::too_deep(segments.len()).or_else(|| {
                segments
                    .iter()
                    .find_map(|s| limits::reserved(s, &slugify(s)))
            });
            if let Some(p) = broken {
                problems.push(
                    Diagnostic::error(file, at(&format!("{i}.path")), p.code, p.message)
                        .with_help(p.help),
                );
                continue;
            }
            let coordinates = match coordinates(p.lat, p.lon) {
                Ok(c) => c,
                Err((key, why)) => {
                    problems.push(
                        Diagnostic::error(
                            file,
                            at(&format!("{i}.{key}")),
                            "gazetteer-coordinates",
                            why,
                        )
                        .with_help(
                            "give both `lat` (-90 to 90) and `lon` (-180 to 180) in decimal \
                                 degrees, e.g. `lat: 34.45` and `lon: 40.92`, or neither",
                        ),
                    );
                    continue;
                }
            };
            let path = segments.join("/");
            if let Some(&first) = g.by_path.get(&path) {
                problems.push(
                    Diagnostic::error(
                        file,
                        at(&format!("{i}.path")),
                        "gazetteer-duplicate",
                        format!(
                            "place `{path}` is listed twice (first as entry {})",
                            first + 1
                        ),
                    )
                    .with_help("merge the two entries into one"),
                );
                continue;
            }
            let idx = g.places.len();
            g.by_path.insert(path.clone(), idx);
            g.children
                .entry(parent_of(&path).to_string())
                .or_default()
                .push(idx);
            g.places.push(PlaceInfo {
                path,
                name_ar: p.name_ar,
                aliases: p.aliases,
                coordinates,
                code: p.code,
            });
            g.entry_index.push(i);
        }
        let entry_of = |idx: usize, g: &Gazetteer| g.entry_index[idx];
        // Where the `n`th spelling of place `k` is written: its path, then its aliases.
        let where_of = |k: usize, n: usize, g: &Gazetteer| {
            if n == 0 {
                format!("{}.path", entry_of(k, g))
            } else {
                format!("{}.aliases.{}", entry_of(k, g), n - 1)
            }
        };
        for (idx, place) in g.places.iter().enumerate() {
            let parent = parent_of(&place.path);
            if !parent.is_empty() && !g.by_path.contains_key(parent) {
                problems.push(
                    Diagnostic::error(
                        file,
                        at(&format!("{}.path", entry_of(idx, &g))),
                        "gazetteer-parent",
                        format!(
                            "the parent of `{}`, `{parent}`, is not in the gazetteer",
                            place.path
                        ),
                    )
                    .with_help(format!("add an entry `- path: {parent}`")),
                );
            }
        }
        let mut by_spelling: FastMap<String, FastMap<String, usize>> = FastMap::default();
        for (parent, kids) in &g.children {
            // name or alias → the sibling it designates; two siblings claiming one spelling
            // (by slug, so `Deir ez-Zor` and `Deir Ez-Zor` collide too) is an ambiguity.
            let mut claims: FastMap<String, usize> = FastMap::default();
            let exact = by_spelling.entry(parent.clone()).or_default();
            let mut look_alikes: LookAlikes<(), usize> = LookAlikes::default();
            for &k in kids {
                let place = &g.places[k];
                for (n, spelling) in std::iter::once(place.name())
                    .chain(place.aliases.iter().map(String::as_str))
                    .enumerate()
                {
                    exact.entry(spelling.to_string()).or_insert(k);
                    let key = slugify(spelling);
                    match claims.get(&key) {
                        Some(&other) if other != k => {
                            problems.push(
                                Diagnostic::error(
                                    file,
                                    at(&where_of(k, n, &g)),
                                    "gazetteer-ambiguous",
                                    format!(
                                        "`{spelling}` matches two places: `{}` and `{}`",
                                        g.places[other].path, place.path
                                    ),
                                )
                                .with_help(format!(
                                    "a name or alias may designate only one place under `{}`",
                                    if parent.is_empty() {
                                        "the top level"
                                    } else {
                                        parent
                                    }
                                )),
                            );
                        }
                        _ => {
                            claims.insert(key, k);
                            if let Some(first) = look_alikes.see((), spelling, &place.path, || k) {
                                let other = &g.places[first.at];
                                let whose = format!(
                                    "a name of `{}`, entry {}",
                                    other.path,
                                    entry_of(first.at, &g) + 1
                                );
                                problems.push(
                                    Diagnostic::warning(
                                        file,
                                        at(&where_of(k, n, &g)),
                                        "confusable-names",
                                        text::look_alike_message(
                                            "place name",
                                            spelling,
                                            &first.name,
                                            &whose,
                                        ),
                                    )
                                    .with_help(LOOK_ALIKE_HELP),
                                );
                            }
                        }
                    }
                }
            }
        }
        g.by_spelling = by_spelling;
        super::diagnostics::sort(&mut problems);
        (g, problems)
    }

    /// Everything known about the place at canonical `path`.
    pub fn get(&self, path: &str) -> Option<&PlaceInfo> {
        self.by_path.get(path).map(|&i| &self.places[i])
    }

    /// Resolves a place path written with canonical names or aliases, segment by segment
    /// among the children of what is resolved so far, into the canonical path. With
    /// `suggest`, a path that does not resolve comes with the places probably meant.
    pub fn resolve(&self, written: &str, suggest: bool) -> Result<String, Unresolved> {
        let mut resolved = String::new();
        let written = &*text::nfc(written);
        for segment in written.split('/').map(str::trim) {
            let found = self
                .by_spelling
                .get(&resolved)
                .and_then(|spellings| spellings.get(segment))
                .map(|&k| &self.places[k]);
            match found {
                Some(p) => resolved.clone_from(&p.path),
                None => {
                    return Err(Unresolved {
                        segment: segment.to_string(),
                        suggestions: if suggest {
                            self.suggest(&resolved, segment, written)
                        } else {
                            Vec::new()
                        },
                        parent: resolved,
                    });
                }
            }
        }
        Ok(resolved)
    }

    /// Likely meanings of `segment` under `parent`: siblings first, then anywhere.
    fn suggest(&self, parent: &str, segment: &str, written: &str) -> Vec<String> {
        let spellings = self.spellings.get_or_init(|| Spellings::of(&self.places));
        let rest_of = |path: &str| -> String {
            // Keep what followed the bad segment, so the suggestion is a whole path.
            let depth = path.matches('/').count() + 1;
            let tail: Vec<&str> = written.split('/').skip(depth).collect();
            if tail.is_empty() {
                path.to_string()
            } else {
                format!("{path}/{}", tail.join("/"))
            }
        };
        let siblings = spellings
            .by_parent
            .get(parent)
            .map_or(&[][..], Vec::as_slice);
        let mut near: Vec<String> = Vec::new();
        let found = closest(
            segment,
            siblings
                .iter()
                .map(|s| (s.spelling.as_str(), s.normalised.as_str())),
        );
        for name in found {
            let k = siblings
                .iter()
                .find(|s| s.spelling == name)
                .map_or(0, |s| s.place);
            let s = rest_of(&self.places[k].path);
            if !near.contains(&s) {
                near.push(s);
            }
        }
        if !near.is_empty() {
            return near;
        }
        // Anywhere in the gazetteer, but only on an exact normalised match (the wrong parent).
        let ids = spellings
            .by_normalised
            .get(&normalise(segment))
            .map_or(&[][..], Vec::as_slice);
        let mut far: Vec<String> = ids.iter().map(|&k| rest_of(&self.places[k].path)).collect();
        far.sort();
        far.dedup();
        far.truncate(3);
        far
    }

    /// Every known place path.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.places.iter().map(|p| p.path.as_str())
    }
}

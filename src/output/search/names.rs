//! The other names a report is found by: every name of each of its places and of the places
//! that hold them (gazetteer aliases and Arabic names), and the Arabic names and aliases of
//! its incident types and perpetrators (vocabulary). A reader may search "Abu Kamal" or
//! "البوكمال" for a report filed under `Syria/Deir ez-Zor/Al-Bukamal/Al-Susah`.

use crate::FastMap;
use crate::archive::Archive;
use crate::content::Report;

/// The extra words of each place and term, joined once per archive so that a report adds
/// them with a lookup per place or term.
#[derive(Default)]
pub struct OtherNames<'a> {
    /// Place path → the aliases and Arabic names of the place and of every place above it.
    places: FastMap<&'a str, String>,
    /// Canonical incident type → its Arabic name and aliases.
    types: FastMap<&'a str, String>,
    /// Canonical perpetrator → its Arabic name and aliases.
    perpetrators: FastMap<&'a str, String>,
}

/// `name_ar` and `aliases` joined by spaces (words split on them anyway).
fn joined(name_ar: Option<&String>, aliases: &[String], out: &mut String) {
    for name in name_ar.into_iter().chain(aliases) {
        out.push_str(name);
        out.push(' ');
    }
}

impl<'a> OtherNames<'a> {
    /// The other names of every place of the archive's tree and every vocabulary term.
    pub fn of(archive: &'a Archive) -> Self {
        let mut names = OtherNames::default();
        if let Some(gazetteer) = &archive.gazetteer {
            for node in &archive.places.nodes {
                let mut words = String::new();
                let mut path = node.path.as_str();
                loop {
                    if let Some(place) = gazetteer.get(path) {
                        joined(place.name_ar.as_ref(), &place.aliases, &mut words);
                    }
                    match path.rfind('/') {
                        Some(cut) => path = &path[..cut],
                        None => break,
                    }
                }
                if !words.is_empty() {
                    names.places.insert(&node.path, words);
                }
            }
        }
        if let Some(vocabulary) = &archive.vocabulary {
            for (key, map) in [
                ("incident_types", &mut names.types),
                ("perpetrators", &mut names.perpetrators),
            ] {
                for entry in vocabulary.entries(key) {
                    let mut words = String::new();
                    joined(entry.name_ar.as_ref(), &entry.aliases, &mut words);
                    map.insert(&entry.name, words);
                }
            }
        }
        names
    }

    /// Appends to `out` the other names of `report`'s places and terms.
    pub fn of_report(&self, report: &Report, out: &mut String) {
        let lists = [
            (&self.types, &report.incident_types),
            (&self.perpetrators, &report.perpetrators),
        ];
        let places = report.locations.iter().map(|l| (&self.places, &l.path));
        let terms = lists
            .into_iter()
            .flat_map(|(map, values)| values.iter().map(move |v| (map, v)));
        for (map, key) in places.chain(terms) {
            if let Some(words) = map.get(key.as_str()) {
                out.push_str(words);
            }
        }
    }
}

//! Links that many report pages share (a place with its trail, a term, a day or a month),
//! made once per build as template values, relative to a report page
//! ([`Urls::href_from_report`]). A report page takes a copy of each, which
//! costs a reference count, where making the same links again for every report and
//! converting them for Tera was a tenth of rendering it.
//!
//! Links are kept by what they link to (a place's path, a term as written, a date), which
//! a preview's patch does not change: the preview keeps them between rebuilds and adds
//! those of the reports it re-reads.

use chrono::{Datelike, NaiveDate};
use tera::Value;

use super::i18n::Ui;
use super::urls::Urls;
use super::views::Link;
use crate::FastMap;
use crate::archive::{Archive, PlaceNode, TaxonomyKind};
use crate::content::Report;
use crate::content::names::slugify;

/// The shared links of one archive. Date links are worded, so they are kept for each
/// interface language a report page can use.
pub struct SharedLinks {
    /// By place path: the place and its ancestors, widest first, each linked.
    trails: FastMap<String, Value>,
    /// By taxonomy (in [`TaxonomyKind::ALL`] order) and value as a report writes it (the
    /// link keeps that spelling).
    terms: [FastMap<String, Value>; 3],
    /// Day and month links, by interface language.
    dates: FastMap<(Ui, DateKey), Value>,
    urls: Urls,
}

/// A day or month page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum DateKey {
    Day(NaiveDate),
    Month(i32, u32),
}

fn link(name: String, href: String) -> Value {
    Value::from_serializable(&Link { name, href })
}

fn term_link(urls: &Urls, kind: TaxonomyKind, value: &str) -> Value {
    link(
        value.to_string(),
        urls.href_from_report(&Urls::term(kind, &slugify(value))),
    )
}

fn date_link(urls: &Urls, ui: Ui, key: DateKey) -> Value {
    match key {
        DateKey::Day(day) => link(ui.date(day), urls.href_from_report(&Urls::day(day))),
        DateKey::Month(y, m) => link(
            ui.month_year(y, m),
            urls.href_from_report(&Urls::month(y, m)),
        ),
    }
}

/// The link of a day or month page, or its name alone when the archive has no such page
/// (a period only an earlier account or a translation gives).
fn date_or_name(urls: &Urls, archive: &Archive, ui: Ui, key: DateKey) -> Value {
    let d = &archive.dates;
    let exists = match key {
        DateKey::Day(day) => d.days.contains_key(&day),
        DateKey::Month(y, m) => d.months.contains_key(&(y, m)),
    };
    if exists {
        date_link(urls, ui, key)
    } else {
        let name = match key {
            DateKey::Day(day) => ui.date(day),
            DateKey::Month(y, m) => ui.month_year(y, m),
        };
        unlinked(&name)
    }
}

fn place_link(urls: &Urls, node: &PlaceNode) -> Value {
    link(
        node.name.clone(),
        urls.href_from_report(&Urls::place(&node.slug_path)),
    )
}

/// A name with no page to link to: `href` is empty, and templates show the name alone.
fn unlinked(name: &str) -> Value {
    link(name.to_string(), String::new())
}

/// The trail of the place at `path`, widest first: the names of the places above it, and
/// the place linked. A place no listed report names (an earlier account's, a translation
/// of a draft's) has no page: the narrowest place above it that has one is linked instead,
/// and the narrower segments are names alone.
fn trail(urls: &Urls, archive: &Archive, path: &str) -> Value {
    let places = &archive.places;
    let mut known = path;
    let node = loop {
        if let Some(node) = places.get(known) {
            break Some(node);
        }
        match known.rfind('/') {
            Some(cut) => known = &path[..cut],
            None => break None,
        }
    };
    let mut links: Vec<Value> = node.map_or_else(Vec::new, |node| {
        let lineage = places.lineage(node);
        lineage
            .iter()
            .map(|&n| {
                let place = &places.nodes[n];
                if n == node {
                    place_link(urls, place)
                } else {
                    unlinked(&place.name)
                }
            })
            .collect()
    });
    let rest = if node.is_some() {
        &path[known.len()..]
    } else {
        path
    };
    links.extend(rest.split('/').filter(|s| !s.is_empty()).map(unlinked));
    Value::from(links)
}

fn kind_index(kind: TaxonomyKind) -> usize {
    TaxonomyKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("every kind is in ALL")
}

/// The date pages a report page links for its period: its days, for periods of a month at
/// most, else its months. Not the months and years above them: the day and month pages'
/// breadcrumbs link those (as a location links its place and names the places above it),
/// which took 9 MB off a 100,000-report site.
fn listed_on((start, end): (NaiveDate, NaiveDate)) -> Vec<DateKey> {
    let days = start.iter_days().take_while(|d| *d <= end);
    if (end - start).num_days() < 31 {
        return days.map(DateKey::Day).collect();
    }
    let mut months: Vec<DateKey> = Vec::new();
    for day in days {
        let month = DateKey::Month(day.year(), day.month());
        if months.last() != Some(&month) {
            months.push(month);
        }
    }
    months
}

impl SharedLinks {
    /// The links of every place, term and date of `archive`, dates worded in each of `uis`.
    /// (A link asked for that is not there, which a page of this archive never does, is
    /// made on the spot.)
    pub fn new(urls: &Urls, archive: &Archive, uis: &[Ui]) -> SharedLinks {
        let places = &archive.places;
        // A trail names the places above and links the place itself.
        let names: Vec<Value> = places.nodes.iter().map(|n| unlinked(&n.name)).collect();
        let trails = places
            .nodes
            .iter()
            .enumerate()
            .map(|(n, node)| {
                let lineage = places.lineage(n);
                let (own, above) = lineage.split_last().expect("a place is in its lineage");
                let mut trail: Vec<Value> = above.iter().map(|&a| names[a].clone()).collect();
                trail.push(place_link(urls, &places.nodes[*own]));
                (node.path.clone(), Value::from(trail))
            })
            .collect();
        let d = &archive.dates;
        let keys: Vec<DateKey> = d
            .days
            .keys()
            .map(|&day| DateKey::Day(day))
            .chain(d.months.keys().map(|&(y, m)| DateKey::Month(y, m)))
            .collect();
        let dates = uis
            .iter()
            .flat_map(|&ui| keys.iter().map(move |&k| ((ui, k), date_link(urls, ui, k))))
            .collect();
        let mut links = SharedLinks {
            trails,
            terms: Default::default(),
            dates,
            urls: urls.clone(),
        };
        for report in &archive.reports {
            links.add_terms(archive, report);
        }
        links
    }

    /// The links of `report`'s terms: to the term's page, or its name alone when no listed
    /// report gives the term (only an earlier account or a translation does).
    fn add_terms(&mut self, archive: &Archive, report: &Report) {
        for (k, (kind, table)) in TaxonomyKind::ALL
            .into_iter()
            .zip(&mut self.terms)
            .enumerate()
        {
            for v in kind.values(report) {
                if !table.contains_key(v) {
                    let exists = archive.taxonomies[k].term_index(&slugify(v)).is_some();
                    let value = if exists {
                        term_link(&self.urls, kind, v)
                    } else {
                        unlinked(v)
                    };
                    table.insert(v.clone(), value);
                }
            }
        }
    }

    /// Adds the links the pages of `reports` use that are not there yet (places, terms or
    /// dates a preview's changed reports brought), their dates worded in `ui`.
    pub fn extend<'r>(
        &mut self,
        archive: &Archive,
        reports: impl IntoIterator<Item = (&'r Report, Ui)>,
    ) {
        for (report, ui) in reports {
            for l in &report.locations {
                if !self.trails.contains_key(&l.path) {
                    let value = trail(&self.urls, archive, &l.path);
                    self.trails.insert(l.path.clone(), value);
                }
            }
            self.add_terms(archive, report);
            for key in listed_on(report.period) {
                if !self.dates.contains_key(&(ui, key)) {
                    let value = date_or_name(&self.urls, archive, ui, key);
                    self.dates.insert((ui, key), value);
                }
            }
        }
    }

    /// The trail of the place at `path` (empty when there is no such place).
    pub fn trail(&self, archive: &Archive, path: &str) -> Value {
        match self.trails.get(path) {
            Some(trail) => trail.clone(),
            None => trail(&self.urls, archive, path),
        }
    }

    /// The link to the term `value` of `kind`, spelled as given.
    pub fn term(&self, kind: TaxonomyKind, value: &str) -> Value {
        self.terms[kind_index(kind)]
            .get(value)
            .cloned()
            .unwrap_or_else(|| unlinked(value))
    }

    /// The date pages a report page links for `period`, worded in `ui`: its days (for
    /// periods of a month at most), else its months.
    pub fn listed_on(
        &self,
        archive: &Archive,
        period: (NaiveDate, NaiveDate),
        ui: Ui,
    ) -> Vec<Value> {
        listed_on(period)
            .into_iter()
            .map(|k| match self.dates.get(&(ui, k)) {
                Some(link) => link.clone(),
                None => date_or_name(&self.urls, archive, ui, k),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_period_links_its_days_or_its_months_not_the_levels_above() {
        let one = day(2018, 3, 1);
        assert_eq!(listed_on((one, one)), [DateKey::Day(one)]);
        assert_eq!(
            listed_on((day(2018, 12, 31), day(2019, 1, 1))),
            [
                DateKey::Day(day(2018, 12, 31)),
                DateKey::Day(day(2019, 1, 1))
            ]
        );
        // 31 days and more: the months, once each, in order.
        assert_eq!(
            listed_on((day(2018, 1, 20), day(2018, 3, 2))),
            [
                DateKey::Month(2018, 1),
                DateKey::Month(2018, 2),
                DateKey::Month(2018, 3)
            ]
        );
    }
}

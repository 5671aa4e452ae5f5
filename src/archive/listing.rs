//! The listings of the archive: every place, year, month, day and term that lists reports,
//! as one kind of value, so that builds, pages and the preview go through them alike.

use chrono::{Datelike, NaiveDate};

use super::Archive;
use super::dates;
use crate::content::Report;
use crate::content::names::slugify;

/// A node that lists reports: one place, year, month, day or term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Listing {
    /// A place, by node.
    Place(usize),
    /// A year.
    Year(i32),
    /// A month of a year.
    Month(i32, u32),
    /// A day.
    Day(NaiveDate),
    /// A term: taxonomy, term.
    Term(usize, usize),
}

impl Archive {
    /// The listings `report` is on, in order; `None` when one of them is not in this
    /// archive.
    pub fn listings_of(&self, report: &Report) -> Option<Vec<Listing>> {
        let mut listings = Vec::new();
        for location in &report.locations {
            let node = self.places.get(&location.path)?;
            listings.extend(self.places.lineage(node).into_iter().map(Listing::Place));
        }
        for day in dates::days(report) {
            if !self.dates.days.contains_key(&day) {
                return None;
            }
            listings.extend([
                Listing::Day(day),
                Listing::Month(day.year(), day.month()),
                Listing::Year(day.year()),
            ]);
        }
        for (t, tax) in self.taxonomies.iter().enumerate() {
            for value in tax.kind.values(report) {
                listings.push(Listing::Term(t, tax.term_index(&slugify(value))?));
            }
        }
        listings.sort_unstable();
        listings.dedup();
        Some(listings)
    }

    /// Every listing of the archive.
    pub fn listings(&self) -> impl Iterator<Item = Listing> + '_ {
        let d = &self.dates;
        (0..self.places.nodes.len())
            .map(Listing::Place)
            .chain(d.years.keys().map(|y| Listing::Year(*y)))
            .chain(d.months.keys().map(|(y, m)| Listing::Month(*y, *m)))
            .chain(d.days.keys().map(|day| Listing::Day(*day)))
            .chain(
                self.taxonomies
                    .iter()
                    .enumerate()
                    .flat_map(|(t, tax)| (0..tax.terms.len()).map(move |i| Listing::Term(t, i))),
            )
    }

    /// The same place, date or term in `other` (another build of the site), if it has it.
    pub fn counterpart(&self, listing: Listing, other: &Archive) -> Option<Listing> {
        let d = &other.dates;
        match listing {
            Listing::Place(n) => other
                .places
                .get(&self.places.nodes[n].path)
                .map(Listing::Place),
            Listing::Year(y) => d.years.contains_key(&y).then_some(listing),
            Listing::Month(y, m) => d.months.contains_key(&(y, m)).then_some(listing),
            Listing::Day(day) => d.days.contains_key(&day).then_some(listing),
            Listing::Term(t, i) => {
                let slug = &self.taxonomies[t].terms[i].slug;
                other.taxonomies[t]
                    .term_index(slug)
                    .map(|i| Listing::Term(t, i))
            }
        }
    }

    /// The reports on `listing`, newest first.
    pub fn listed(&self, listing: Listing) -> &[u32] {
        let d = &self.dates;
        match listing {
            Listing::Place(n) => &self.places.nodes[n].reports,
            Listing::Year(y) => &d.years[&y].reports,
            Listing::Month(y, m) => &d.months[&(y, m)].reports,
            Listing::Day(day) => &d.days[&day].reports,
            Listing::Term(t, i) => &self.taxonomies[t].terms[i].reports,
        }
    }
}

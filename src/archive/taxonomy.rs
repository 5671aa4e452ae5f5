//! Incident types, perpetrators and tags: one page per value, listing its reports.

use std::sync::Arc;

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::tally::Tally;
use super::{Accounts, Tallied};
use crate::content::names::slugify;
use crate::content::{Counts, Report};

/// Which list of a report a taxonomy comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaxonomyKind {
    /// `incident_types`
    IncidentTypes,
    /// `perpetrators`
    Perpetrators,
    /// `tags`
    Tags,
}

impl TaxonomyKind {
    /// All three, in menu order.
    pub const ALL: [TaxonomyKind; 3] = [
        TaxonomyKind::IncidentTypes,
        TaxonomyKind::Perpetrators,
        TaxonomyKind::Tags,
    ];

    /// The URL folder: `types`, `perpetrators`, `tags`.
    pub fn folder(self) -> &'static str {
        match self {
            TaxonomyKind::IncidentTypes => "types",
            TaxonomyKind::Perpetrators => "perpetrators",
            TaxonomyKind::Tags => "tags",
        }
    }

    /// Key of its heading among the interface strings.
    pub fn folder_key(self) -> &'static str {
        match self {
            TaxonomyKind::IncidentTypes => "incident_types",
            TaxonomyKind::Perpetrators => "perpetrators",
            TaxonomyKind::Tags => "tags",
        }
    }

    /// The values a report gives.
    pub fn values(self, report: &Report) -> &[String] {
        match self {
            TaxonomyKind::IncidentTypes => &report.incident_types,
            TaxonomyKind::Perpetrators => &report.perpetrators,
            TaxonomyKind::Tags => &report.tags,
        }
    }
}

/// One value of a taxonomy.
#[derive(Debug, Clone)]
pub struct Term {
    /// As written (when spellings differ only in case or punctuation, the first in sort order).
    pub name: String,
    /// URL segment.
    pub slug: String,
    /// Reports giving it, newest first.
    pub reports: Vec<u32>,
    /// Totals of those reports (summaries excluded): "in reports of this term". Types and
    /// tags overlap, so these do not add up across terms.
    pub totals: Counts,
    /// Of a perpetrator, its totals split by attribution; `None` for other terms.
    pub attribution: Option<Attribution>,
    /// What `totals` adds up.
    tally: Tally,
}

/// A perpetrator's totals (format v2, "Attribution"): of the counting reports naming it
/// alone, and of those naming it with others. The two are never added into one figure: a
/// report naming several perpetrators attributes its casualties to none of them alone.
#[derive(Debug, Clone, Default)]
pub struct Attribution {
    /// Totals of the reports naming only this perpetrator.
    pub alone: Counts,
    /// Totals of the reports naming it with others.
    pub shared: Counts,
    alone_tally: Tally,
    shared_tally: Tally,
}

/// One taxonomy with its terms, sorted by slug.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Which one.
    pub kind: TaxonomyKind,
    /// Its values.
    pub terms: Vec<Term>,
}

impl Term {
    /// Takes `value`, a spelling of this term, as its name if it sorts first: the one
    /// place the naming rule is written.
    fn offer(&mut self, value: &str) {
        if value < self.name.as_str() {
            self.name = value.to_string();
        }
    }

    /// The spellings of this term among `report`'s values of `kind`.
    fn spellings<'r>(&self, kind: TaxonomyKind, report: &'r Report) -> Vec<&'r String> {
        kind.values(report)
            .iter()
            .filter(|v| slugify(v) == self.slug)
            .collect()
    }

    /// Names the term again after the reports `old` were replaced by `new` (a preview's
    /// patch; the list is up to date). Taking a spelling away can only raise the first
    /// one: only when an old report spelt the name and no listed report still does is
    /// every listed report looked at again.
    pub(crate) fn respell(
        &mut self,
        kind: TaxonomyKind,
        old: &[&Report],
        new: &[&Report],
        reports: &[Arc<Report>],
    ) {
        let spells = |r: &Report| kind.values(r).contains(&self.name);
        let gone = old.iter().any(|r| spells(r))
            && !self.reports.iter().any(|&r| spells(&reports[r as usize]));
        if gone {
            let first = self
                .reports
                .iter()
                .flat_map(|&r| self.spellings(kind, &reports[r as usize]))
                .min()
                .cloned();
            self.name = first.expect("a listed report spells its term");
        } else {
            let offers: Vec<String> = new
                .iter()
                .flat_map(|r| self.spellings(kind, r))
                .cloned()
                .collect();
            for value in offers {
                self.offer(&value);
            }
        }
    }
}

impl Tallied for Term {
    fn listed(&mut self) -> &mut Vec<u32> {
        &mut self.reports
    }

    fn count(&mut self, report: &Report, add: bool) {
        if !report.counts_in_totals() {
            return;
        }
        let mut tallies = vec![&mut self.tally];
        if let Some(a) = &mut self.attribution {
            tallies.push(if names_one_perpetrator(report) {
                &mut a.alone_tally
            } else {
                &mut a.shared_tally
            });
        }
        for tally in tallies {
            if add {
                tally.add(&report.casualties);
            } else {
                tally.remove(&report.casualties);
            }
        }
    }

    fn settle(&mut self) {
        self.totals = self.tally.counts();
        if let Some(a) = &mut self.attribution {
            a.alone = a.alone_tally.counts();
            a.shared = a.shared_tally.counts();
        }
    }
}

/// True when every perpetrator `report` names is one term (`ISIS` and `Isis` are one page):
/// its casualties are that perpetrator's alone.
fn names_one_perpetrator(report: &Report) -> bool {
    match report.perpetrators.as_slice() {
        [] => false,
        [_] => true,
        [first, rest @ ..] => {
            let slug = slugify(first);
            rest.iter().all(|p| slugify(p) == slug)
        }
    }
}

impl Taxonomy {
    /// Collects the terms of `kind` over the listed `reports` (newest first), then adds up each one.
    pub fn build(kind: TaxonomyKind, reports: &[Arc<Report>], accounts: &Accounts) -> Taxonomy {
        let mut terms: BTreeMap<String, Term> = BTreeMap::new();
        for (ri, report) in reports.iter().enumerate() {
            if !accounts.is_listed(ri) {
                continue;
            }
            for value in kind.values(report) {
                let slug = slugify(value);
                let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                    name: value.clone(),
                    slug,
                    reports: Vec::new(),
                    totals: Counts::default(),
                    attribution: (kind == TaxonomyKind::Perpetrators).then(Attribution::default),
                    tally: Tally::default(),
                });
                term.offer(value);
                if term.reports.last() != Some(&(ri as u32)) {
                    term.reports.push(ri as u32);
                }
            }
        }
        let mut terms: Vec<Term> = terms.into_values().collect();
        terms.par_iter_mut().for_each(|term| term.recount(reports));
        Taxonomy { kind, terms }
    }

    /// The position in `terms` of the term with URL segment `slug`.
    pub fn term_index(&self, slug: &str) -> Option<usize> {
        self.terms
            .binary_search_by(|t| t.slug.as_str().cmp(slug))
            .ok()
    }
}

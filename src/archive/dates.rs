//! The date index: years, months and days with the reports whose period touches them, and
//! totals of the reports whose whole period lies inside them.

use std::sync::Arc;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use rayon::prelude::*;

use super::tally::Tally;
use super::{Accounts, Tallied};
use crate::content::{Counts, Report};

/// Reports and totals of one year, month or day.
#[derive(Debug, Clone, Default)]
pub struct DateNode {
    /// Reports listed (indices into the archive's reports, newest first).
    pub reports: Vec<u32>,
    /// Totals of the reports counted here.
    pub totals: Counts,
    /// What `totals` adds up.
    tally: Tally,
}

/// A year, month or day node with the test of a period lying inside it: a report listed
/// there is added up only when its whole period lies inside. The one place the date
/// totals are computed, for a build and for a preview's patch.
pub(crate) struct Dated<'a>(pub &'a mut DateNode, pub fn(NaiveDate, NaiveDate) -> bool);

impl Tallied for Dated<'_> {
    fn listed(&mut self) -> &mut Vec<u32> {
        &mut self.0.reports
    }

    fn count(&mut self, report: &Report, add: bool) {
        if report.counts_in_totals() && (self.1)(report.period.0, report.period.1) {
            if add {
                self.0.tally.add(&report.casualties);
            } else {
                self.0.tally.remove(&report.casualties);
            }
        }
    }

    fn settle(&mut self) {
        self.0.totals = self.0.tally.counts();
    }
}

/// A period lies inside a year (its first and last days are in that year).
pub(crate) const SAME_YEAR: fn(NaiveDate, NaiveDate) -> bool = |s, e| s.year() == e.year();
/// A period lies inside a month.
pub(crate) const SAME_MONTH: fn(NaiveDate, NaiveDate) -> bool =
    |s, e| (s.year(), s.month()) == (e.year(), e.month());
/// A period lies inside a day.
pub(crate) const SAME_DAY: fn(NaiveDate, NaiveDate) -> bool = |s, e| s == e;

/// Years, months and days that have reports.
#[derive(Debug, Clone, Default)]
pub struct DateIndex {
    /// By year.
    pub years: BTreeMap<i32, DateNode>,
    /// By (year, month).
    pub months: BTreeMap<(i32, u32), DateNode>,
    /// By day.
    pub days: BTreeMap<NaiveDate, DateNode>,
}

/// The days of a report's period, first to last.
pub(crate) fn days(report: &Report) -> impl Iterator<Item = NaiveDate> {
    let (start, end) = report.period;
    start.iter_days().take_while(move |d| *d <= end)
}

impl DateIndex {
    /// Builds the index from the listed `reports` (newest first) in one pass over their periods, then
    /// adds up each node.
    pub fn build(reports: &[Arc<Report>], accounts: &Accounts) -> DateIndex {
        let mut index = DateIndex::default();
        for (ri, report) in reports.iter().enumerate() {
            if !accounts.is_listed(ri) {
                continue;
            }
            let ri = ri as u32;
            for day in days(report) {
                index.days.entry(day).or_default().reports.push(ri);
                let month = index.months.entry((day.year(), day.month())).or_default();
                if month.reports.last() != Some(&ri) {
                    month.reports.push(ri);
                }
                let year = index.years.entry(day.year()).or_default();
                if year.reports.last() != Some(&ri) {
                    year.reports.push(ri);
                }
            }
        }
        let DateIndex {
            years,
            months,
            days,
        } = &mut index;
        years
            .par_iter_mut()
            .for_each(|(_, node)| Dated(node, SAME_YEAR).recount(reports));
        months
            .par_iter_mut()
            .for_each(|(_, node)| Dated(node, SAME_MONTH).recount(reports));
        days.par_iter_mut()
            .for_each(|(_, node)| Dated(node, SAME_DAY).recount(reports));
        index
    }
}

/// The keys of `map` just before and just after `key`: the periods a day, month or year
/// page links to, and so the pages a new period changes.
pub fn before_after<K: Ord + Copy, V>(map: &BTreeMap<K, V>, key: K) -> [Option<K>; 2] {
    use std::ops::Bound::{Excluded, Unbounded};
    let before = map.range(..key).next_back();
    let after = map.range((Excluded(key), Unbounded)).next();
    [before, after].map(|k| k.map(|(&k, _)| k))
}

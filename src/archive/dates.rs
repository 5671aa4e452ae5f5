//! The date index: years, months and days with the reports whose period touches them, and
//! totals of the reports whose whole period lies inside them.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::content::{Counts, Report};

/// Reports and totals of one year, month or day.
#[derive(Debug, Clone, Default)]
pub struct DateNode {
    /// Reports listed (indices into the archive's reports, newest first).
    pub reports: Vec<u32>,
    /// Totals of the reports counted here.
    pub totals: Counts,
}

/// Years, months and days that have reports.
#[derive(Debug, Default)]
pub struct DateIndex {
    /// By year.
    pub years: BTreeMap<i32, DateNode>,
    /// By (year, month).
    pub months: BTreeMap<(i32, u32), DateNode>,
    /// By day.
    pub days: BTreeMap<NaiveDate, DateNode>,
}

impl DateIndex {
    /// Builds the index from `reports` (newest first) in one pass over their periods.
    pub fn build(reports: &[Report]) -> DateIndex {
        let mut index = DateIndex::default();
        for (ri, report) in reports.iter().enumerate() {
            let ri = ri as u32;
            let (start, end) = report.period;
            for day in start.iter_days().take_while(|d| *d <= end) {
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
            if !report.counts_in_totals() {
                continue;
            }
            let c = &report.casualties;
            if start == end {
                index.days.entry(start).or_default().totals.add(c);
            }
            if (start.year(), start.month()) == (end.year(), end.month()) {
                index
                    .months
                    .entry((start.year(), start.month()))
                    .or_default()
                    .totals
                    .add(c);
            }
            if start.year() == end.year() {
                index.years.entry(start.year()).or_default().totals.add(c);
            }
        }
        index
    }
}

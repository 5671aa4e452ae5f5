//! Totals that reconcile (format v2): what a place's total holds beyond its child places'
//! totals, and a year's (month's) beyond its months' (days'). Pages state these parts in
//! words and the exports carry them, so that every figure adds up with those beside it.
//! The exports give their minimums: what is left of the total's minimum once its parts'
//! are taken out.

use chrono::{Datelike, NaiveDate};

use super::{DateIndex, PlaceTree};
use crate::content::{Count, Counts, Field};

/// `total` less the sum of `parts`, field by field, for each field `total` gives: exact
/// when the total and every part giving the field are exact, else "at least" the
/// difference of the minimums (the parts' maximums say nothing of the rest then).
pub fn remainder<'a>(total: &Counts, parts: impl IntoIterator<Item = &'a Counts>) -> Counts {
    let mut held = [0u64; Field::ALL.len()];
    let mut exact = [true; Field::ALL.len()];
    for part in parts {
        for ((h, e), c) in held.iter_mut().zip(&mut exact).zip(part.by_field()) {
            if let Some(c) = c {
                *h += c.min;
                *e &= c.max == Some(c.min);
            }
        }
    }
    let mut rest = Counts::default();
    for (field, count) in total.iter() {
        let f = field as usize;
        let min = count.min.saturating_sub(held[f]);
        let max = (exact[f] && count.max == Some(count.min)).then_some(min);
        rest.set(field, Count { min, max });
    }
    rest
}

impl PlaceTree {
    /// The part of place `n`'s total that no child place holds: casualties of reports
    /// that do not split them by place, or that give them for the place itself.
    pub fn not_below(&self, n: usize) -> Counts {
        let node = &self.nodes[n];
        remainder(
            &node.totals,
            node.children.iter().map(|&c| &self.nodes[c].totals),
        )
    }
}

impl DateIndex {
    /// The part of year `y`'s total in reports wholly inside it that span more than one
    /// month (counted in the year, in no month).
    pub fn across_year(&self, y: i32) -> Counts {
        remainder(
            &self.years[&y].totals,
            self.months.range((y, 1)..=(y, 12)).map(|(_, n)| &n.totals),
        )
    }

    /// The part of month `(y, m)`'s total in reports wholly inside it that span more than
    /// one day.
    pub fn across_month(&self, y: i32, m: u32) -> Counts {
        let first = NaiveDate::from_ymd_opt(y, m, 1).expect("a month of the index");
        let days = self
            .days
            .range(first..)
            .take_while(|(d, _)| (d.year(), d.month()) == (y, m));
        remainder(&self.months[&(y, m)].totals, days.map(|(_, n)| &n.totals))
    }
}

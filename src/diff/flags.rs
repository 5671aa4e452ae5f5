//! Review flags: what a person should look at before merging, never an error. A new counting
//! report that may describe an incident already recorded, an update that lowers a count, a
//! count far above anything recorded for its place, a publication date in the future.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::{Flag, ReportChanges};
use crate::archive::Archive;
use crate::content::report::iso_date;
use crate::content::{Field, Report};

/// Other reports named as possible duplicates of one new report, at most.
const DUPLICATES_PER_REPORT: usize = 3;

/// Reports listed inside a place looked at for duplicates of one new report (newest
/// first), at most: bounds the work of a change of thousands of reports.
const CANDIDATES_PER_PLACE: usize = 5_000;

/// A count is an outlier when it is at least this many times the highest recorded for its
/// place before the change…
const OUTLIER_FACTOR: u64 = 10;
/// …and at least this large (a first death where one was recorded is not one).
const OUTLIER_FLOOR: u64 = 100;

/// The flags of the reports the change adds or changes.
pub(super) fn flags(before: &Archive, now: &Archive, reports: &ReportChanges) -> Vec<Flag> {
    let today = chrono::Utc::now().date_naive();
    let mut flags = Vec::new();
    let touched: Vec<u32> = reports
        .added
        .iter()
        .map(|r| &r.id)
        .chain(reports.changed.iter().map(|r| &r.id))
        .filter_map(|id| now.report_index(id))
        .collect();
    let at_place = exact_places(now);
    let highest_before = highest_killed(before);
    for &i in &touched {
        let r = &now.reports[i as usize];
        let counted = now.linked(r).counted;
        let new = before.report_index(&r.id).is_none();
        if new && counted {
            possible_duplicates(now, i, &at_place, &mut flags);
        }
        lowered(now, i, &mut flags);
        if counted {
            outliers(r, &highest_before, &mut flags);
        }
        if r.date > today {
            flags.push(Flag {
                code: "future-date",
                report: r.id.clone(),
                other: None,
                message: format!(
                    "`{}` is dated {}, after today ({})",
                    r.id,
                    iso_date(r.date),
                    iso_date(today)
                ),
            });
        }
    }
    flags
}

/// The counted reports with a location exactly at each place path.
fn exact_places(a: &Archive) -> HashMap<&str, Vec<u32>> {
    let mut map: HashMap<&str, Vec<u32>> = HashMap::new();
    for (i, r) in a.reports.iter().enumerate() {
        if !a.is_counted(i) {
            continue;
        }
        for l in &r.locations {
            let list = map.entry(l.path.as_str()).or_default();
            if list.last() != Some(&(i as u32)) {
                list.push(i as u32);
            }
        }
    }
    map
}

fn overlap((s1, e1): (NaiveDate, NaiveDate), (s2, e2): (NaiveDate, NaiveDate)) -> bool {
    s1 <= e2 && s2 <= e1
}

/// Counted reports sharing a place with new report `i` (the same place, or one inside the
/// other) and a part of its period, not accounts of its incident.
fn possible_duplicates(
    a: &Archive,
    i: u32,
    at_place: &HashMap<&str, Vec<u32>>,
    flags: &mut Vec<Flag>,
) {
    let r = &a.reports[i as usize];
    let incident = a.account(i).incident;
    let mut others: Vec<u32> = Vec::new();
    for l in &r.locations {
        // The place itself and the places above it, by their exact reports; the places
        // inside it, by the place tree's listing.
        let mut path = l.path.as_str();
        loop {
            others.extend(at_place.get(path).into_iter().flatten());
            match path.rfind('/') {
                Some(cut) => path = &path[..cut],
                None => break,
            }
        }
        // Inside it: the listed reports below, those whose period overlaps, a bounded
        // number looked at (a new report for a whole country overlaps half the archive).
        if let Some(node) = a.places.get(&l.path) {
            let below = a.places.nodes[node]
                .reports
                .iter()
                .take(CANDIDATES_PER_PLACE);
            others.extend(below.filter(|&&o| {
                let o = &a.reports[o as usize];
                o.counts_in_totals() && overlap(o.period, r.period)
            }));
        }
    }
    others.sort_unstable();
    others.dedup();
    let mut found: Vec<&Report> = others
        .into_iter()
        .filter(|&o| o != i && a.account(o).incident != incident)
        .map(|o| &*a.reports[o as usize])
        .filter(|o| overlap(o.period, r.period))
        .collect();
    found.sort_by(|x, y| x.id.cmp(&y.id));
    for o in found.into_iter().take(DUPLICATES_PER_REPORT) {
        flags.push(Flag {
            code: "possible-duplicate",
            report: r.id.clone(),
            other: Some(o.id.clone()),
            message: format!(
                "`{}` may describe the same incident as `{}` (\"{}\"): they share a place and \
                 their periods overlap, and neither updates the other; if it is a later \
                 account, add `updates: {}`",
                r.id, o.id, o.title, o.id
            ),
        });
    }
}

/// An update whose counts are below those of the account it updates.
fn lowered(a: &Archive, i: u32, flags: &mut Vec<Flag>) {
    let Some(earlier) = a.account(i).updates else {
        return;
    };
    let (r, e) = (&a.reports[i as usize], &a.reports[earlier as usize]);
    for (field, was) in e.casualties.iter() {
        if let Some(is) = r.casualties.get(field)
            && is.min < was.min
        {
            flags.push(Flag {
                code: "lowered-count",
                report: r.id.clone(),
                other: Some(e.id.clone()),
                message: format!(
                    "`{}` lowers `{}` from {was} (in `{}`) to {is}",
                    r.id,
                    field.name(),
                    e.id
                ),
            });
        }
    }
}

/// The highest killed minimum any counted report gives for each place path (its own count
/// there, or its total when it has only that place).
fn highest_killed(a: &Archive) -> HashMap<String, u64> {
    let mut map: HashMap<String, u64> = HashMap::new();
    for (i, r) in a.reports.iter().enumerate() {
        if !a.is_counted(i) {
            continue;
        }
        for (path, killed) in killed_by_place(r) {
            let best = map.entry(path.to_string()).or_default();
            *best = (*best).max(killed);
        }
    }
    map
}

/// The killed minimum `r` gives for each of its places.
fn killed_by_place(r: &Report) -> Vec<(&str, u64)> {
    let total = r.casualties.get(Field::Killed).map(|c| c.min);
    r.locations
        .iter()
        .filter_map(|l| {
            let own = l.counts.get(Field::Killed).map(|c| c.min);
            let killed = own.or(if r.locations.len() == 1 { total } else { None })?;
            Some((l.path.as_str(), killed))
        })
        .collect()
}

/// A count at least [`OUTLIER_FACTOR`] times the highest recorded at its place before.
fn outliers(r: &Report, highest: &HashMap<String, u64>, flags: &mut Vec<Flag>) {
    for (path, killed) in killed_by_place(r) {
        let Some(&most) = highest.get(path) else {
            continue;
        };
        if killed >= OUTLIER_FLOOR && killed >= OUTLIER_FACTOR * most.max(1) {
            flags.push(Flag {
                code: "count-outlier",
                report: r.id.clone(),
                other: None,
                message: format!(
                    "`{}` gives {killed} killed in {path}, at least {OUTLIER_FACTOR} times the \
                     most any report recorded there before ({most}): check the figure",
                    r.id
                ),
            });
        }
    }
}

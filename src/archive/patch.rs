//! Changing reports in place, for the preview server: when reports change but the site
//! keeps its shape, only their listings are updated and only those listings added up again,
//! in time proportional to the listings a change touches rather than to the archive.

use std::sync::Arc;

use std::collections::HashMap;

use super::dates::{Dated, SAME_DAY, SAME_MONTH, SAME_YEAR};
use super::{Archive, Listing, Tallied, newest_first};
use crate::content::Report;

/// What [`Archive::patch`] changed, for the renderer to re-render only what differs.
#[derive(Debug)]
pub struct Patch {
    /// The new index of each report, by its index before, when the order changed (a
    /// changed publication date moves a report).
    pub moved: Option<Vec<u32>>,
    /// The changed reports, by index after, in order.
    pub changed: Vec<u32>,
    /// Every listing a changed report was or is on, with its reports before the change
    /// (by index after).
    pub listings: Vec<(Listing, Vec<u32>)>,
}

impl Archive {
    /// Takes the reports `old` out of `listing`, changes its list with `edit`, and adds
    /// the reports `new` (at their place in the archive) in.
    fn relist(
        &mut self,
        listing: Listing,
        old: &[&Report],
        new: &[u32],
        edit: impl FnOnce(&mut Vec<u32>),
    ) {
        let reports = &self.reports;
        let new: Vec<&Report> = new.iter().map(|&r| &*reports[r as usize]).collect();
        let d = &mut self.dates;
        let missing = "a listing of this archive";
        match listing {
            Listing::Place(n) => self.places.nodes[n].relist(old, &new, edit),
            Listing::Year(y) => {
                Dated(d.years.get_mut(&y).expect(missing), SAME_YEAR).relist(old, &new, edit);
            }
            Listing::Month(y, m) => {
                Dated(d.months.get_mut(&(y, m)).expect(missing), SAME_MONTH)
                    .relist(old, &new, edit);
            }
            Listing::Day(day) => {
                Dated(d.days.get_mut(&day).expect(missing), SAME_DAY).relist(old, &new, edit);
            }
            Listing::Term(t, i) => {
                let tax = &mut self.taxonomies[t];
                let term = &mut tax.terms[i];
                term.relist(old, &new, edit);
                term.respell(tax.kind, old, &new, reports);
            }
        }
    }

    /// Renumbers every list after the reports were put in a new order.
    fn renumber(&mut self, new_of_old: &[u32]) {
        let renumber = |list: &mut Vec<u32>| {
            for r in list {
                *r = new_of_old[*r as usize];
            }
        };
        self.accounts.renumber(new_of_old);
        let d = &mut self.dates;
        self.places
            .nodes
            .iter_mut()
            .for_each(|n| renumber(&mut n.reports));
        d.years.values_mut().for_each(|n| renumber(&mut n.reports));
        d.months.values_mut().for_each(|n| renumber(&mut n.reports));
        d.days.values_mut().for_each(|n| renumber(&mut n.reports));
        for tax in &mut self.taxonomies {
            tax.terms.iter_mut().for_each(|t| renumber(&mut t.reports));
        }
    }

    /// Puts `reports` (changed versions of published reports: the same ids and files, read
    /// again) in place of the old ones, with their listings and the totals of those
    /// listings updated. The result is what [`Archive::build`] makes of the changed content.
    /// `None`, with the archive untouched, when the site would change shape (a report
    /// would be published or withdrawn, or a place, date or term would appear or go): the
    /// archive must then be built anew.
    pub fn patch(&mut self, reports: Vec<Arc<Report>>, drafts: bool) -> Option<Patch> {
        // Everything is checked before anything changes.
        let mut plan = Vec::with_capacity(reports.len());
        for report in reports {
            let i = self.report_index(&report.id)?;
            let old = &self.reports[i as usize];
            // A report linked to others changes what they are: who is current, what a
            // translation inherits. The model is built anew.
            let linked = self.account(i).is_linked()
                || report.updates.is_some()
                || report.translation_of.is_some();
            if (report.draft && !drafts) || old.file != report.file || linked {
                return None;
            }
            let before = self.listings_of(old)?;
            let after = self.listings_of(&report)?;
            plan.push((i, report, before, after));
        }
        plan.sort_by_key(|(i, ..)| *i);
        if plan.windows(2).any(|w| w[0].0 == w[1].0) {
            return None;
        }
        // A listing that all its reports leave goes: a new shape.
        let mut sizes: HashMap<Listing, isize> = HashMap::new();
        for (_, _, before, after) in &plan {
            for (listings, step) in [(before, -1), (after, 1)] {
                for &l in listings {
                    *sizes
                        .entry(l)
                        .or_insert_with(|| self.listed(l).len() as isize) += step;
                }
            }
        }
        if sizes.values().any(|&n| n <= 0) {
            return None;
        }
        let mut listings: Vec<(Listing, Vec<u32>)> = sizes
            .into_keys()
            .map(|l| (l, self.listed(l).to_vec()))
            .collect();
        listings.sort_unstable_by_key(|(l, _)| *l);

        let mut olds = Vec::with_capacity(plan.len());
        let mut joins = Vec::with_capacity(plan.len());
        for (i, report, before, after) in plan {
            let old = std::mem::replace(&mut self.reports[i as usize], report);
            olds.push((old, before));
            joins.push((i, after));
        }
        let old_places: Vec<u32> = joins.iter().map(|(i, _)| *i).collect();
        let moved = self.reorder(&old_places);
        if let Some(new_of_old) = &moved {
            for (_, before) in &mut listings {
                before.iter_mut().for_each(|r| *r = new_of_old[*r as usize]);
            }
            for (i, _) in &mut joins {
                *i = new_of_old[*i as usize];
            }
        }
        let mut changed: Vec<u32> = joins.iter().map(|(i, _)| *i).collect();
        changed.sort_unstable();
        for (listing, _) in &listings {
            let on = |listings: &Vec<Listing>| listings.binary_search(listing).is_ok();
            let left: Vec<&Report> = olds
                .iter()
                .filter(|(_, b)| on(b))
                .map(|(r, _)| &**r)
                .collect();
            let joined: Vec<u32> = joins
                .iter()
                .filter(|(_, a)| on(a))
                .map(|(i, _)| *i)
                .collect();
            self.relist(*listing, &left, &joined, |list| {
                list.retain(|r| changed.binary_search(r).is_err());
                for i in &joined {
                    if let Err(at) = list.binary_search(i) {
                        list.insert(at, *i);
                    }
                }
            });
        }
        Some(Patch {
            moved,
            changed,
            listings,
        })
    }

    /// Restores the order of the reports after those at `changed` (indices, in order)
    /// were replaced: the new index of every report by its old one, or `None` when the
    /// order still holds. The others keep their order, so each changed report is put where
    /// it sorts among them, and only the reports between the first and the last that
    /// moved are moved.
    fn reorder(&mut self, changed: &[u32]) -> Option<Vec<u32>> {
        let reports = &self.reports;
        let n = reports.len();
        let sorted = |a: usize, b: usize| b >= n || newest_first(&reports[a], &reports[b]).is_lt();
        if changed.iter().all(|&i| {
            let i = i as usize;
            (i == 0 || sorted(i - 1, i)) && sorted(i, i + 1)
        }) {
            return None;
        }
        let rest: Vec<u32> = (0..n as u32)
            .filter(|i| changed.binary_search(i).is_err())
            .collect();
        let mut moving = changed.to_vec();
        moving.sort_by(|&a, &b| newest_first(&reports[a as usize], &reports[b as usize]));
        // order[new] = old
        let mut order = Vec::with_capacity(n);
        let mut from = 0;
        for m in moving {
            let m_report = &reports[m as usize];
            let at =
                rest.partition_point(|&r| newest_first(&reports[r as usize], m_report).is_lt());
            order.extend_from_slice(&rest[from..at]);
            order.push(m);
            from = at;
        }
        order.extend_from_slice(&rest[from..]);
        let lo = (0..n).find(|&k| order[k] as usize != k)?;
        let hi = (lo..n).rfind(|&k| order[k] as usize != k)?;
        // Reports are shared (`Arc`): the moved range is copied by reference.
        let moved: Vec<_> = order[lo..=hi]
            .iter()
            .map(|&from| Arc::clone(&self.reports[from as usize]))
            .collect();
        self.reports[lo..=hi].clone_from_slice(&moved);
        let mut new_of_old: Vec<u32> = (0..n as u32).collect();
        for k in lo..=hi {
            new_of_old[order[k] as usize] = k as u32;
            *self
                .by_id
                .get_mut(&self.reports[k].id)
                .expect("a published report") = k as u32;
        }
        self.renumber(&new_of_old);
        Some(new_of_old)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Content, validate};

    const PLACES: [&str; 4] = [
        "Syria/Idlib/Saraqib",
        "Syria/Idlib/Ariha",
        "Syria/Aleppo",
        "Iraq/Mosul",
    ];
    const TYPES: [&str; 3] = ["shelling", "Shelling", "airstrike"];

    /// Report `i` in version `v`: the version moves its places, per-place counts, period,
    /// date, kind, counts and terms.
    fn report(i: usize, v: usize) -> Arc<Report> {
        // Version 11 names a place, version 10 a day, that the first versions do not.
        let place = if v == 11 {
            "Turkey/Kilis"
        } else {
            PLACES[(i + v) % 4]
        };
        let other = PLACES[(i + v + 1) % 4];
        let located = v % 4;
        let locations = if v.is_multiple_of(3) {
            format!("[{place}]")
        } else {
            format!("\n  - place: {place}\n    killed: {located}\n  - {other}")
        };
        let killed = located + i % 5;
        let killed = if v.is_multiple_of(5) {
            format!("{{min: {killed}}}")
        } else {
            killed.to_string()
        };
        let start = 1 + (i * 7 + v) % 5;
        let end = if v == 10 { 8 + i % 20 } else { start + v % 2 };
        let kind = if (i + v).is_multiple_of(7) {
            "kind: summary\n"
        } else {
            ""
        };
        let text = format!(
            "---\ntitle: \"R{i} v{v}\"\ndate: 2019-01-{:02}\nperiod: {{start: 2019-01-{start:02}, end: 2019-01-{end:02}}}\nlocations: {locations}\ncasualties: {{killed: {killed}, injured: {}}}\nincident_types: [{}]\n{kind}---\nBody {v}.\n",
            end + v % 3,
            i % 3,
            TYPES[(i + v) % 3],
        );
        let context = validate::Context {
            gazetteer: None,
            default_lang: "en",
            ui_languages: &["en"],
            vocabulary: None,
        };
        let parsed = validate::parse_report(&format!("content/r{i}.md"), &text, &context);
        parsed
            .report
            .unwrap_or_else(|| panic!("{:?}", parsed.problems))
    }

    fn build(reports: &[Arc<Report>]) -> Archive {
        let content = Content {
            reports: reports.to_vec(),
            ..Default::default()
        };
        Archive::build(content, true)
    }

    /// Everything pages and exports read of an archive, by paths and ids rather than by
    /// node numbers (which follow the order places were first met in).
    fn shape(a: &Archive) -> Vec<String> {
        let ids = |list: &[u32]| -> Vec<&str> {
            list.iter()
                .map(|&r| a.reports[r as usize].id.as_str())
                .collect()
        };
        let nodes = &a.places.nodes;
        let paths = |list: &[usize]| -> Vec<&str> {
            list.iter().map(|&n| nodes[n].path.as_str()).collect()
        };
        let mut out = vec![format!(
            "{:?}",
            ids(&(0..a.reports.len() as u32).collect::<Vec<_>>())
        )];
        let mut places: Vec<String> = nodes
            .iter()
            .map(|n| {
                format!(
                    "{} {} {:?} {:?} {:?} {:?} {:?}",
                    n.path,
                    n.slug_path,
                    n.parent.map(|p| &nodes[p].path),
                    paths(&n.children),
                    ids(&n.reports),
                    n.totals,
                    n.killed_by_month
                )
            })
            .collect();
        places.sort();
        out.extend(places);
        out.push(format!("{:?}", paths(&a.places.roots)));
        let d = &a.dates;
        for (key, node) in d
            .years
            .iter()
            .map(|(k, n)| (format!("{k}"), n))
            .chain(d.months.iter().map(|(k, n)| (format!("{k:?}"), n)))
            .chain(d.days.iter().map(|(k, n)| (format!("{k}"), n)))
        {
            out.push(format!("{key} {:?} {:?}", ids(&node.reports), node.totals));
        }
        for tax in &a.taxonomies {
            for t in &tax.terms {
                out.push(format!(
                    "{} {} {:?} {:?}",
                    t.name,
                    t.slug,
                    ids(&t.reports),
                    t.totals
                ));
            }
        }
        for (i, r) in a.reports.iter().enumerate() {
            assert_eq!(a.report_index(&r.id), Some(i as u32));
        }
        out
    }

    /// A patched archive is what a build of the changed reports makes, and one the patch
    /// refuses is left as it was, over many random edits of one to three reports.
    #[test]
    fn a_patch_equals_a_build() {
        let mut reports: Vec<Arc<Report>> = (0..40).map(|i| report(i, 0)).collect();
        let mut archive = build(&reports);
        let mut seed: usize = 7;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let (mut patched, mut refused) = (0, 0);
        for _ in 0..300 {
            let mut changed = Vec::new();
            for _ in 0..1 + next(3) {
                let i = next(reports.len());
                if !changed.iter().any(|r: &Arc<Report>| r.id == reports[i].id) {
                    changed.push(report(i, 1 + next(12)));
                }
            }
            let mut after = reports.clone();
            for r in &changed {
                let i: usize = r.id[1..].parse().unwrap();
                after[i] = r.clone();
            }
            match archive.patch(changed, true) {
                Some(_) => {
                    patched += 1;
                    assert_eq!(shape(&archive), shape(&build(&after)));
                }
                None => {
                    refused += 1;
                    assert_eq!(shape(&archive), shape(&build(&reports)));
                    archive = build(&after);
                }
            }
            reports = after;
        }
        assert!(
            patched > 150 && refused > 15,
            "{patched} patched, {refused} refused"
        );
    }
}

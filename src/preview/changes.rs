//! Which pages a change to some reports touches: how a preview rebuild writes only the
//! pages that can differ (reasoning about the pages of [`crate::render::pages`]).

use std::collections::HashSet;

use crate::archive::dates::before_after;
use crate::archive::{Archive, Listing, Patch};
use crate::render::Urls;
use crate::render::pages::{Page, Paging, SITE_PAGES, listing_pages, listing_rel, page_file};

/// A report of the lists before a change that the archive no longer has.
const GONE: u32 = u32::MAX;

/// What a change to some reports does to the pages of a site, for the preview.
#[derive(Debug, Default)]
pub struct PageChanges {
    /// The pages to render again.
    pub pages: Vec<Page>,
    /// Folders of pages that are gone (`places/syria/page/3/`): the last pages of a
    /// listing that got shorter, every page of one that went, removed reports' pages.
    pub gone: Vec<String>,
}

impl PageChanges {
    /// The pages whose content can differ between the site of `new` and that of `old`,
    /// when only the reports `changed` (ids) differ between the two, besides reports added
    /// or removed: a new place, date or term has all its pages written, one that went has
    /// them gone, and a new or gone date changes the pages of the periods around it. A
    /// removed report's page is gone. (The exports of a listing that went, its feed and
    /// search postings, are the exports' to remove.)
    pub fn since(new: &Archive, old: &Archive, changed: &[&str], paging: Paging) -> Self {
        // Each listing with its counterpart before, the listings that are new, and those
        // that went.
        let (mut counterparts, mut fresh) = (Vec::new(), Vec::new());
        for l in new.listings() {
            match new.counterpart(l, old) {
                Some(was) => counterparts.push((l, Some(was))),
                None => fresh.push(l),
            }
        }
        let went: Vec<Listing> = old
            .listings()
            .filter(|&l| old.counterpart(l, new).is_none())
            .collect();
        // A day, month or year that came or went changes the links of the periods around
        // it (which now link to it, or to each other), on every page of theirs. Dates are
        // keys, not indices, so a period that went is looked up around in `new` as well.
        let neighbours: Vec<Listing> = fresh
            .iter()
            .chain(&went)
            .flat_map(|&l| date_neighbours(new, l))
            .collect();
        counterparts.extend(fresh.iter().map(|&l| (l, None)));
        let added = (0..new.reports.len() as u32)
            .filter(|&i| old.report_index(&new.reports[i as usize].id).is_none());
        let removed: Vec<u32> = (0..old.reports.len() as u32)
            .filter(|&i| new.report_index(&old.reports[i as usize].id).is_none())
            .collect();
        let touched = sorted_indices(changed.iter().filter_map(|id| new.report_index(id)), added);
        let touched_before = sorted_indices(
            changed.iter().filter_map(|id| old.report_index(id)),
            removed.iter().copied(),
        );
        // The listings a changed report is or was on, with their reports before (by
        // index in `new`, so that both lists compare; a removed report is `GONE`).
        let listings: Vec<(Listing, Vec<u32>)> = counterparts
            .into_iter()
            .filter_map(|(l, was)| {
                let before = was.map_or(&[][..], |was| old.listed(was));
                let involved = was.is_none()
                    || new
                        .listed(l)
                        .iter()
                        .any(|r| touched.binary_search(r).is_ok())
                    || before
                        .iter()
                        .any(|r| touched_before.binary_search(r).is_ok());
                involved.then(|| {
                    let renumbered = before
                        .iter()
                        .map(|&i| {
                            new.report_index(&old.reports[i as usize].id)
                                .unwrap_or(GONE)
                        })
                        .collect();
                    (l, renumbered)
                })
            })
            .collect();
        let mut changes = Self::touched(new, &listings, &touched, paging);
        for l in neighbours {
            changes.pages.extend(listing_pages(new, l, paging));
        }
        changes.pages.sort_unstable();
        changes.pages.dedup();
        changes.gone.extend(
            removed
                .iter()
                .map(|&i| Urls::report(&old.reports[i as usize].id)),
        );
        for &l in &went {
            let rel = listing_rel(old, l);
            let count = paging.count(old.listed(l).len());
            changes
                .gone
                .extend((1..=count).map(|p| Urls::page(&rel, p)));
        }
        // A folder that went can be written again under another name: a place whose
        // spelling changed but not its slug, say. Written pages stay.
        let written: HashSet<String> = changes.pages.iter().map(|&p| page_file(new, p)).collect();
        changes
            .gone
            .retain(|dir| !written.contains(&format!("{dir}index.html")));
        changes
    }

    /// The pages a patch of `archive` can have changed.
    pub fn of_patch(archive: &Archive, patch: &Patch, paging: Paging) -> Self {
        Self::touched(archive, &patch.listings, &patch.changed, paging)
    }

    /// The pages that can differ when the reports `touched` (indices) changed and the
    /// `listings` they are or were on held the given reports before: the pages summing up
    /// the whole archive and those of `content/pages/`; of each listing, its first page (totals), the pages whose slice
    /// of reports changed and those showing a changed report (its item changed), or every
    /// page when the number of its pages changed; the changed reports' pages, and those of the
    /// reports before and after them (older/newer links) in a place, then and now (and
    /// those of a removed report, `GONE` in the lists before). A listing left with fewer
    /// pages has its last ones gone. `touched` is sorted.
    fn touched(
        archive: &Archive,
        listings: &[(Listing, Vec<u32>)],
        touched: &[u32],
        paging: Paging,
    ) -> Self {
        debug_assert!(touched.is_sorted());
        let a = archive;
        let mut gone = Vec::new();
        let mut pages = SITE_PAGES.to_vec();
        pages.extend((0..a.taxonomies.len()).map(|taxonomy| Page::Taxonomy { taxonomy }));
        // A page of `content/pages/` links a report only while it is published.
        pages.extend((0..a.pages.len()).map(|page| Page::SitePage { page }));
        pages.extend(touched.iter().map(|&report| Page::Report { report }));
        for (listing, before) in listings {
            let after = a.listed(*listing);
            let count = paging.count(after.len());
            let count_before = paging.count(before.len());
            if count_before > count {
                let rel = listing_rel(a, *listing);
                gone.extend((count + 1..=count_before).map(|p| Urls::page(&rel, p)));
            }
            let slice = |list, p| paging.slice(list, p);
            // The last page of a listing cut at `max_pages` leads to the search.
            let cut_changed = paging.cut(before.len()) != paging.cut(after.len());
            for p in 1..=count {
                // Only the first page shows how many reports the listing has; the others
                // show how many pages.
                let differs = p == 1
                    || count_before != count
                    || (p == count && cut_changed)
                    || slice(before, p) != slice(after, p)
                    || slice(after, p)
                        .iter()
                        .any(|r| touched.binary_search(r).is_ok());
                if differs {
                    pages.push(Page::of_listing(*listing, p));
                }
            }
            if let Listing::Place(n) = *listing {
                pages.extend(place_neighbours(a, n, [&before[..], after], touched));
            }
        }
        pages.sort_unstable();
        pages.dedup();
        PageChanges { pages, gone }
    }
}

/// The indices of `changed` and `others`, sorted, once each.
fn sorted_indices(
    changed: impl Iterator<Item = u32>,
    others: impl Iterator<Item = u32>,
) -> Vec<u32> {
    let mut indices: Vec<u32> = changed.chain(others).collect();
    indices.sort_unstable();
    indices.dedup();
    indices
}

/// The pages of the reports before and after a `touched` (or `GONE`) report in the lists
/// of place `n` (then and now) whose first location is that place: their older/newer
/// links can have changed.
fn place_neighbours(archive: &Archive, n: usize, lists: [&[u32]; 2], touched: &[u32]) -> Vec<Page> {
    let a = archive;
    let path = &a.places.nodes[n].path;
    let mut pages = Vec::new();
    for list in lists {
        for (pos, r) in list.iter().enumerate() {
            if *r != GONE && touched.binary_search(r).is_err() {
                continue;
            }
            let near = [pos.checked_sub(1), Some(pos + 1)];
            let near = near.iter().flatten().filter_map(|&p| list.get(p));
            for &report in near.filter(|&&n| n != GONE) {
                let first = a.reports[report as usize].locations.first();
                if first.is_some_and(|l| l.path == *path) {
                    pages.push(Page::Report { report });
                }
            }
        }
    }
    pages
}

/// The periods before and after a day, month or year that have reports in `archive` (the
/// ones its page links to); none for other listings.
fn date_neighbours(archive: &Archive, listing: Listing) -> Vec<Listing> {
    let d = &archive.dates;
    match listing {
        Listing::Day(day) => before_after(&d.days, day)
            .into_iter()
            .flatten()
            .map(Listing::Day)
            .collect(),
        Listing::Month(y, m) => before_after(&d.months, (y, m))
            .into_iter()
            .flatten()
            .map(|(y, m)| Listing::Month(y, m))
            .collect(),
        Listing::Year(y) => before_after(&d.years, y)
            .into_iter()
            .flatten()
            .map(Listing::Year)
            .collect(),
        Listing::Place(_) | Listing::Term(..) => Vec::new(),
    }
}

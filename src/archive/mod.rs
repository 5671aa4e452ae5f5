//! Stage 2: the archive model that every renderer reads: reports in display order, the
//! place tree, the date index and the taxonomies, with their totals computed once.

use std::sync::Arc;

mod accounts;
pub mod dates;
mod listing;
mod pages;
mod patch;
pub mod places;
pub mod remainders;
pub mod tally;
pub mod taxonomy;

use crate::FastMap;

use rayon::prelude::*;

use crate::content::{Content, Gazetteer, LocalFiles, Report, SitePage, Vocabulary};

pub use accounts::{Account, Accounts, Linked};
pub use dates::{DateIndex, DateNode};
pub use listing::Listing;
pub use patch::Patch;
pub use places::{PlaceNode, PlaceTree};
pub use taxonomy::{Attribution, Taxonomy, TaxonomyKind, Term};

/// A node that lists reports and adds them up (a place, a date, a term): what a build
/// and a preview's patch share, so that both add up by the same rules.
pub(crate) trait Tallied {
    /// The reports listed, newest first.
    fn listed(&mut self) -> &mut Vec<u32>;

    /// Adds what `report` counts for here into the node's tallies, or (`add` false) takes
    /// it out again.
    fn count(&mut self, report: &Report, add: bool);

    /// Sets the totals from the tallies.
    fn settle(&mut self);

    /// Adds up every listed report (a new node).
    fn recount(&mut self, reports: &[Arc<Report>]) {
        let list = std::mem::take(self.listed());
        for &r in &list {
            self.count(&reports[r as usize], true);
        }
        *self.listed() = list;
        self.settle();
    }

    /// Takes the reports `old` out, changes the list with `edit`, and adds the reports
    /// `new` in (a preview's patch).
    fn relist(&mut self, old: &[&Report], new: &[&Report], edit: impl FnOnce(&mut Vec<u32>)) {
        for r in old {
            self.count(r, false);
        }
        edit(self.listed());
        for r in new {
            self.count(r, true);
        }
        self.settle();
    }
}

/// The order of reports: newest first (by date, then id).
fn newest_first(a: &Report, b: &Report) -> std::cmp::Ordering {
    b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id))
}

/// The whole archive, ready to render. (A preview clones it for exports written while it
/// takes the next change.)
#[derive(Debug, Clone)]
pub struct Archive {
    /// Published reports, newest first (by date, then id). Shared, so that a copy of the
    /// archive (the preview's exports) costs its lists, not its texts.
    pub reports: Vec<Arc<Report>>,
    /// The pages of `content/pages/` (about, methodology), in footer order: never
    /// counted, listed or exported with the reports.
    pub pages: Vec<Arc<SitePage>>,
    /// How each report stands to the others: the accounts of one incident, translations.
    /// Listings hold one entry per incident, its current account.
    pub accounts: Accounts,
    /// Every place at every depth.
    pub places: PlaceTree,
    /// Years, months and days.
    pub dates: DateIndex,
    /// Incident types, perpetrators, tags (in [`TaxonomyKind::ALL`] order).
    pub taxonomies: Vec<Taxonomy>,
    /// The gazetteer, when the site has one.
    pub gazetteer: Option<Gazetteer>,
    /// The vocabulary of perpetrators and incident types, when the site has one.
    pub vocabulary: Option<Vocabulary>,
    /// The files a body's local destinations may name (`static/` among them), to render
    /// each as a link or as its text.
    pub local_files: Arc<LocalFiles>,
    by_id: FastMap<String, u32>,
}

impl Archive {
    /// Builds the model from checked content. Drafts are left out unless `drafts`.
    pub fn build(content: Content, drafts: bool) -> Archive {
        let mut reports: Vec<Arc<Report>> = content
            .reports
            .into_iter()
            .filter(|r| drafts || !r.draft)
            .collect();
        reports.sort_by(|a, b| newest_first(a, b));
        let by_id = reports
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i as u32))
            .collect();
        let accounts = Accounts::build(&reports, &by_id);
        // The three indexes are independent: built side by side, each listing the reports
        // `accounts` lists (one per incident).
        let (places, (dates, taxonomies)) = rayon::join(
            || PlaceTree::build(&reports, &accounts),
            || {
                rayon::join(
                    || DateIndex::build(&reports, &accounts),
                    || {
                        TaxonomyKind::ALL
                            .par_iter()
                            .map(|k| Taxonomy::build(*k, &reports, &accounts))
                            .collect()
                    },
                )
            },
        );
        Archive {
            reports,
            pages: content.pages,
            accounts,
            places,
            dates,
            taxonomies,
            gazetteer: content.gazetteer,
            vocabulary: content.vocabulary,
            local_files: content.local_files,
            by_id,
        }
    }

    /// The report with `id`, if published in this build.
    pub fn report_index(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    /// Published reports sorted by id: the order of every export under `data/`, so that
    /// a report keeps its line whatever its date.
    pub fn reports_by_id(&self) -> Vec<&Report> {
        let mut by_id: Vec<&Report> = self.reports.iter().map(Arc::as_ref).collect();
        by_id.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        by_id
    }
}

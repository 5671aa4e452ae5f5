//! Stage 2: the archive model that every renderer reads: reports in display order, the
//! place tree, the date index and the taxonomies, with their totals computed once.

pub mod dates;
pub mod places;
pub mod taxonomy;

use std::collections::HashMap;

use crate::content::{Content, Gazetteer, Report};

pub use dates::{DateIndex, DateNode};
pub use places::{PlaceNode, PlaceTree};
pub use taxonomy::{Taxonomy, TaxonomyKind, Term};

/// The whole archive, ready to render.
#[derive(Debug)]
pub struct Archive {
    /// Published reports, newest first (by date, then id).
    pub reports: Vec<Report>,
    /// Every place at every depth.
    pub places: PlaceTree,
    /// Years, months and days.
    pub dates: DateIndex,
    /// Incident types, perpetrators, tags (in [`TaxonomyKind::ALL`] order).
    pub taxonomies: Vec<Taxonomy>,
    /// The gazetteer, when the site has one.
    pub gazetteer: Option<Gazetteer>,
    by_id: HashMap<String, u32>,
}

impl Archive {
    /// Builds the model from checked content. Drafts are left out unless `drafts`.
    pub fn build(content: Content, drafts: bool) -> Archive {
        let mut reports: Vec<Report> = content
            .reports
            .into_iter()
            .filter(|r| drafts || !r.draft)
            .collect();
        reports.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.id.cmp(&b.id)));
        let places = PlaceTree::build(&reports);
        let dates = DateIndex::build(&reports);
        let taxonomies = TaxonomyKind::ALL
            .iter()
            .map(|k| Taxonomy::build(*k, &reports))
            .collect();
        let by_id = reports
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i as u32))
            .collect();
        Archive {
            reports,
            places,
            dates,
            taxonomies,
            gazetteer: content.gazetteer,
            by_id,
        }
    }

    /// The report with `id`, if published in this build.
    pub fn report_index(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }
}

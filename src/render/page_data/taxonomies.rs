//! A taxonomy's index (`/types/`, …) and its terms' pages.

use tera::Context;

use crate::archive::{Listing, TaxonomyKind};
use crate::render::Urls;
use crate::render::pages::listing_rel;
use crate::render::renderer::Renderer;
use crate::render::views::{IndexRow, TotalsView};

impl Renderer<'_> {
    /// The terms of taxonomy `t` with their totals.
    pub(super) fn taxonomy(&self, t: usize) -> Context {
        let ui = self.cache.ui;
        let tax = &self.archive.taxonomies[t];
        let title = ui.get(tax.kind.folder_key());
        let mut ctx = self.base_context(title);
        ctx.insert(
            "taxonomy",
            &self.link(title, &format!("{}/", tax.kind.folder())),
        );
        let terms: Vec<IndexRow> = tax
            .terms
            .iter()
            .map(|term| IndexRow {
                name: term.name.clone(),
                name_alt: None,
                href: self.href(&Urls::term(tax.kind, &term.slug)),
                reports: term.reports.len(),
                totals: TotalsView::new(&term.totals, &[], ui),
            })
            .collect();
        ctx.insert("terms", &terms);
        ctx
    }

    /// Page `p` of term `i` of taxonomy `t`: its totals and reports (and a feed for
    /// incident types).
    pub(super) fn term(&self, t: usize, i: usize, p: usize) -> Context {
        let ui = self.cache.ui;
        let tax = &self.archive.taxonomies[t];
        let term = &tax.terms[i];
        let rel = listing_rel(self.archive, Listing::Term(t, i));
        let title = ui.get(tax.kind.folder_key());
        let mut ctx = self.base_context(&format!("{title}: {}", term.name));
        ctx.insert(
            "taxonomy",
            &self.link(title, &format!("{}/", tax.kind.folder())),
        );
        ctx.insert("term", &term.name);
        ctx.insert("totals", &TotalsView::new(&term.totals, &[], ui));
        if tax.kind == TaxonomyKind::IncidentTypes {
            ctx.insert("feed", &self.href(&format!("{rel}feed.xml")));
        }
        self.listing(&mut ctx, Listing::Term(t, i), p);
        ctx
    }
}

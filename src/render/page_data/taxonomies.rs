//! A taxonomy's index (`/types/`, …) and its terms' pages.

use serde::Serialize;
use tera::Context;

use crate::archive::{Listing, TaxonomyKind, Term};
use crate::content::{Counts, Field};
use crate::render::Urls;
use crate::render::pages::listing_rel;
use crate::render::renderer::Renderer;
use crate::render::views::{IndexRow, TotalsView};

/// One of a perpetrator's two figures, with what it counts.
#[derive(Serialize)]
struct Figure {
    label: String,
    totals: TotalsView,
}

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
            .map(|term| {
                IndexRow::new(
                    (term.name.clone(), self.term_name_ar(tax.kind, &term.name)),
                    self.href(&Urls::term(tax.kind, &term.slug)),
                    term.reports.len(),
                    self.term_totals(term),
                    self.cache.ui,
                )
            })
            .collect();
        ctx.insert("terms", &terms);
        ctx
    }

    /// A term's totals in an index row: a perpetrator's as its two figures, side by side
    /// and never added up ("12 killed alone; 40 killed with others").
    fn term_totals(&self, term: &Term) -> TotalsView {
        let ui = self.cache.ui;
        let mut view = TotalsView::new(&term.totals, &[], ui);
        if let Some(a) = &term.attribution {
            let part = |counts: &Counts, key| {
                let words = ui.casualties(counts);
                (!words.is_empty()).then(|| format!("{words} {}", ui.get(key)))
            };
            let parts: Vec<String> = [
                part(&a.alone, "alone_short"),
                part(&a.shared, "shared_short"),
            ]
            .into_iter()
            .flatten()
            .collect();
            view.summary = parts.join("; ");
            view.killed = a.alone.get(Field::Killed).map_or(0, |c| c.min);
        }
        view
    }

    /// The Arabic name the vocabulary gives a term, if any.
    fn term_name_ar(&self, kind: TaxonomyKind, name: &str) -> Option<String> {
        let key = match kind {
            TaxonomyKind::Perpetrators => "perpetrators",
            TaxonomyKind::IncidentTypes => "incident_types",
            TaxonomyKind::Tags => return None,
        };
        self.archive
            .vocabulary
            .as_ref()?
            .entry(key, name)?
            .name_ar
            .clone()
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
        ctx.insert("term_ar", &self.term_name_ar(tax.kind, &term.name));
        // A perpetrator has no one figure, even for a theme that would show `totals`.
        let totals = match term.attribution {
            Some(_) => Counts::default(),
            None => term.totals,
        };
        ctx.insert("totals", &TotalsView::new(&totals, &[], ui));
        ctx.insert("notes", &self.term_notes(tax.kind));
        let attribution = term.attribution.as_ref().map(|a| {
            let label = |key| ui.get(key).replace("{name}", &term.name);
            [
                Figure {
                    label: label("alone"),
                    totals: TotalsView::new(&a.alone, &[], ui),
                },
                Figure {
                    label: label("shared"),
                    totals: TotalsView::new(&a.shared, &[], ui),
                },
            ]
        });
        ctx.insert("attribution", &attribution);
        if tax.kind == TaxonomyKind::IncidentTypes {
            ctx.insert("feed", &self.href(&format!("{rel}feed.xml")));
        }
        self.listing(&mut ctx, Listing::Term(t, i), p);
        ctx
    }
}

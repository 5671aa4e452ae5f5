//! The data each page's template renders: one builder per kind of page, each in the file
//! of its kind, and the parts pages share (the base context, a page of a listing, links).

mod dates;
mod home;
mod places;
mod reconcile;
mod report;
mod site_page;
mod taxonomies;

use tera::Context;

use super::Urls;
use super::charts::Chart;
use super::pages::{Page, Paging, listing_rel};
use super::renderer::Renderer;
use super::views::{Link, PageNumber, Pagination};
use crate::archive::{Listing, TaxonomyKind};

impl Renderer<'_> {
    /// The template of `page` and the data it renders.
    pub(super) fn page_data(&self, page: Page) -> (&'static str, Context) {
        let ui = self.cache.ui;
        match page {
            Page::Home => ("index.html", self.home()),
            Page::Report { report } => ("report.html", self.report(report)),
            Page::Places => ("places.html", self.places()),
            Page::Place { place, page } => ("place.html", self.place(place, page)),
            Page::Dates => ("dates.html", self.dates()),
            Page::Year { year, page } => ("date.html", self.year(year, page)),
            Page::Month { year, month, page } => ("date.html", self.month(year, month, page)),
            Page::Day { date, page } => ("date.html", self.day(date, page)),
            Page::Taxonomy { taxonomy } => ("taxonomy.html", self.taxonomy(taxonomy)),
            Page::Term {
                taxonomy,
                term,
                page,
            } => ("term.html", self.term(taxonomy, term, page)),
            Page::SitePage { page } => ("page.html", self.site_page(page)),
            // The search page and the 404 are their templates alone.
            Page::Search => ("search.html", self.base_context(ui.get("search"))),
            Page::NotFound => ("404.html", self.base_context(ui.get("not_found"))),
        }
    }

    /// What every page's template sees: its title, the site's language, the header and
    /// footer, and the optional parts (feed, description, CSV, chart) empty.
    fn base_context(&self, title: &str) -> Context {
        let c = &self.cache;
        let mut ctx = Context::new();
        ctx.insert("title", title);
        ctx.insert("lang", &c.site.lang);
        ctx.insert("dir", c.site.dir);
        ctx.insert("feed", &None::<String>);
        ctx.insert("description", &None::<String>);
        ctx.insert("csv", &None::<String>);
        ctx.insert("chart", &None::<Chart>);
        ctx.insert("notes", &Vec::<reconcile::Note>::new());
        c.insert_chrome(&mut ctx, &c.site.lang, c.ui, false);
        ctx
    }

    /// Page `page` of `listing`: its items and pagination.
    fn listing(&self, ctx: &mut Context, listing: Listing, page: usize) {
        let paging = self.cache.site.paging();
        let reports = self.archive.listed(listing);
        let rel = listing_rel(self.archive, listing);
        let total = paging.count(reports.len());
        let items: Vec<&str> = paging
            .slice(reports, page)
            .iter()
            .map(|&r| self.cache.items[r as usize].as_str())
            .collect();
        ctx.insert("items", &items);
        // Pages after the first carry the list alone: totals, the count, charts and tables
        // are on the first page, which keeps the site small and a changed total cheap to
        // re-render.
        ctx.insert("continued", &(page > 1));
        ctx.insert("report_count", &reports.len());
        ctx.insert(
            "pagination",
            &Pagination {
                current: page,
                total,
                prev: (page > 1).then(|| self.href(&Urls::page(&rel, page - 1))),
                next: (page < total).then(|| self.href(&Urls::page(&rel, page + 1))),
                numbers: Paging::numbers(page, total)
                    .into_iter()
                    .map(|n| {
                        n.map(|number| PageNumber {
                            number,
                            href: (number != page).then(|| self.href(&Urls::page(&rel, number))),
                        })
                    })
                    .collect(),
                more: paging
                    .cut(reports.len())
                    .then(|| self.href(&format!("search/?{}", self.search_filter(listing)))),
            },
        );
    }

    /// The search page's filter that finds the reports of `listing`, in the order its
    /// pages list them (`place=syria/idlib`, `from=2018-01&to=2018-12`, `day=2018-02-05`,
    /// `type=shelling`).
    fn search_filter(&self, listing: Listing) -> String {
        let a = self.archive;
        match listing {
            Listing::Place(n) => format!("place={}", a.places.nodes[n].slug_path),
            Listing::Year(y) => format!("from={y}-01&to={y}-12"),
            Listing::Month(y, m) => format!("from={y}-{m:02}&to={y}-{m:02}"),
            Listing::Day(day) => format!("day={day}"),
            Listing::Term(t, i) => {
                let tax = &a.taxonomies[t];
                let name = match tax.kind {
                    TaxonomyKind::IncidentTypes => "type",
                    TaxonomyKind::Perpetrators => "perpetrator",
                    TaxonomyKind::Tags => "tag",
                };
                format!("{name}={}", tax.terms[i].slug)
            }
        }
    }

    /// The CSV of a listing: the search page with the listing's filter builds it in the
    /// browser from the search index (a file per page would double the site's size).
    fn csv_link(&self, listing: Listing) -> String {
        self.href(&format!("search/?{}&csv=1", self.search_filter(listing)))
    }

    /// The link to the page in the folder `rel`.
    fn href(&self, rel: &str) -> String {
        self.cache.urls.href(rel)
    }

    fn link(&self, name: impl Into<String>, rel: &str) -> Link {
        Link {
            name: name.into(),
            href: self.href(rel),
        }
    }
}

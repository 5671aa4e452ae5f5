//! Every page of the site, enumerated as [`Page`]s and rendered in parallel into a sink.
//! Each report's list item is rendered once and reused by every listing that shows it.

use std::io;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::views::{self, IndexRow, Link, Pagination, TotalsView};
use super::{RenderError, Theme, Urls, describe_tera_error, markdown, text};
use crate::archive::{Archive, DateNode, TaxonomyKind};

/// Reports per listing page.
pub const PER_PAGE: usize = 50;
/// Reports on the home page.
pub const LATEST: usize = 20;

/// Site-wide values every template sees as `site`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteInfo {
    /// Archive name.
    pub title: String,
    /// One-sentence description.
    pub description: String,
    /// Base path for links, `/archive/` or `/`.
    pub base: String,
    /// Base URL as configured.
    pub base_url: String,
    /// Interface language.
    pub lang: String,
    /// `rtl` or `ltr` for the interface language.
    pub dir: &'static str,
}

/// One page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// `/`
    Home,
    /// `/reports/<id>/`, by index.
    Report(u32),
    /// `/places/`
    Places,
    /// `/places/<path>/`, page n.
    Place(usize, usize),
    /// `/dates/`
    Dates,
    /// `/dates/YYYY/`, page n.
    Year(i32, usize),
    /// `/dates/YYYY/MM/`, page n.
    Month(i32, u32, usize),
    /// `/dates/YYYY/MM/DD/`, page n.
    Day(NaiveDate, usize),
    /// `/types/`, `/perpetrators/`, `/tags/`, by taxonomy index.
    Taxonomy(usize),
    /// A term page: taxonomy, term, page n.
    Term(usize, usize, usize),
    /// `/search/`
    Search,
    /// `/404.html`, served by GitHub Pages for missing pages (links work from any depth).
    NotFound,
}

fn page_count(reports: usize) -> usize {
    reports.div_ceil(PER_PAGE).max(1)
}

/// Renders pages of one archive with one theme.
pub struct Renderer<'a> {
    archive: &'a Archive,
    theme: Theme,
    urls: Urls,
    site: SiteInfo,
    /// The list item of each report, by report index.
    items: Vec<String>,
}

#[derive(Serialize)]
struct PlaceGroup {
    place: IndexRow,
    children: Vec<IndexRow>,
}

#[derive(Serialize)]
struct PlaceInfoView<'a> {
    name: &'a str,
    name_ar: Option<&'a str>,
    path: &'a str,
    lat: Option<f64>,
    lon: Option<f64>,
}

impl<'a> Renderer<'a> {
    /// Prepares the renderer and renders every report's list item.
    pub fn new(
        archive: &'a Archive,
        mut theme: Theme,
        urls: Urls,
        site: SiteInfo,
    ) -> Result<Self, RenderError> {
        theme.tera.global_context().insert("site", &site);
        let mut renderer = Renderer {
            archive,
            theme,
            urls,
            site,
            items: Vec::new(),
        };
        renderer.items = archive
            .reports
            .par_iter()
            .map(|r| {
                let mut ctx = Context::new();
                ctx.insert("item", &views::report_item(&renderer.urls, archive, r));
                renderer.render_string("partials/report_item.html", &ctx)
            })
            .collect::<Result<_, _>>()?;
        Ok(renderer)
    }

    fn render_string(&self, template: &str, ctx: &Context) -> Result<String, RenderError> {
        self.theme
            .tera
            .render(template, ctx)
            .map_err(|e| RenderError::Template(describe_tera_error(&e)))
    }

    /// The site's URLs.
    pub fn urls(&self) -> &Urls {
        &self.urls
    }

    /// Every page of the site, in a stable order.
    pub fn pages(&self) -> Vec<Page> {
        let a = self.archive;
        let mut pages = vec![
            Page::Home,
            Page::Places,
            Page::Dates,
            Page::Search,
            Page::NotFound,
        ];
        pages.extend((0..a.reports.len() as u32).map(Page::Report));
        for (i, node) in a.places.nodes.iter().enumerate() {
            pages.extend((1..=page_count(node.reports.len())).map(|p| Page::Place(i, p)));
        }
        for (y, node) in &a.dates.years {
            pages.extend((1..=page_count(node.reports.len())).map(|p| Page::Year(*y, p)));
        }
        for ((y, m), node) in &a.dates.months {
            pages.extend((1..=page_count(node.reports.len())).map(|p| Page::Month(*y, *m, p)));
        }
        for (d, node) in &a.dates.days {
            pages.extend((1..=page_count(node.reports.len())).map(|p| Page::Day(*d, p)));
        }
        for (t, tax) in a.taxonomies.iter().enumerate() {
            pages.push(Page::Taxonomy(t));
            for (i, term) in tax.terms.iter().enumerate() {
                pages.extend((1..=page_count(term.reports.len())).map(|p| Page::Term(t, i, p)));
            }
        }
        pages
    }

    /// Renders every page into `sink(path, html)`, in parallel. Returns the number of pages.
    pub fn render_all(
        &self,
        sink: &(dyn Fn(&str, &[u8]) -> io::Result<()> + Sync),
    ) -> Result<usize, RenderError> {
        let pages = self.pages();
        pages.par_iter().try_for_each_init(
            || Vec::with_capacity(32 * 1024),
            |buf, page| {
                buf.clear();
                let path = self.render_page(*page, buf)?;
                sink(&path, buf).map_err(|source| RenderError::Write { path, source })
            },
        )?;
        Ok(pages.len())
    }

    fn base_context(&self, title: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("title", title);
        ctx.insert("lang", &self.site.lang);
        ctx.insert("dir", self.site.dir);
        ctx.insert("feed", &None::<String>);
        ctx.insert("csv", &None::<String>);
        ctx
    }

    fn listing(&self, ctx: &mut Context, reports: &[u32], rel: &str, page: usize) {
        let total = page_count(reports.len());
        let start = (page - 1) * PER_PAGE;
        let items: Vec<&str> = reports
            .iter()
            .skip(start)
            .take(PER_PAGE)
            .map(|&r| self.items[r as usize].as_str())
            .collect();
        ctx.insert("items", &items);
        ctx.insert("report_count", &reports.len());
        ctx.insert(
            "pagination",
            &Pagination {
                current: page,
                total,
                prev: (page > 1).then(|| self.urls.href(&Urls::page(rel, page - 1))),
                next: (page < total).then(|| self.urls.href(&Urls::page(rel, page + 1))),
            },
        );
    }

    fn date_row(&self, name: String, rel: String, node: &DateNode) -> IndexRow {
        IndexRow {
            name,
            name_alt: None,
            href: self.urls.href(&rel),
            reports: node.reports.len(),
            totals: TotalsView::new(&node.totals, &[]),
        }
    }

    fn years(&self) -> Vec<IndexRow> {
        self.archive
            .dates
            .years
            .iter()
            .rev()
            .map(|(y, n)| self.date_row(y.to_string(), Urls::year(*y), n))
            .collect()
    }

    fn link(&self, name: impl Into<String>, rel: &str) -> Link {
        Link {
            name: name.into(),
            href: self.urls.href(rel),
        }
    }

    /// Renders one page into `out`; returns its file (`places/syria/index.html`).
    pub fn render_page(&self, page: Page, out: &mut Vec<u8>) -> Result<String, RenderError> {
        let a = self.archive;
        let (template, dir, ctx) = match page {
            Page::Home => {
                let mut ctx = self.base_context(&self.site.title);
                let latest: Vec<&str> =
                    self.items.iter().take(LATEST).map(String::as_str).collect();
                ctx.insert("items", &latest);
                let roots: Vec<IndexRow> = a
                    .places
                    .roots
                    .iter()
                    .map(|&n| views::place_row(&self.urls, a, &a.places.nodes[n]))
                    .collect();
                ctx.insert("places", &roots);
                ctx.insert("years", &self.years());
                ctx.insert("report_count", &a.reports.len());
                ctx.insert("feed", &self.urls.href("feed.xml"));
                ("index.html", String::new(), ctx)
            }
            Page::Report(i) => {
                let r = &a.reports[i as usize];
                let body = markdown::to_html(r.body(), &r.links, |id| {
                    a.report_index(id)
                        .map(|_| self.urls.href(&Urls::report(id)))
                });
                let view = views::report_view(&self.urls, a, r, body, &self.site.title);
                let mut ctx = self.base_context(&r.title);
                ctx.insert("lang", &view.lang);
                ctx.insert("dir", view.dir);
                ctx.insert("report", &view);
                ("report.html", Urls::report(&r.id), ctx)
            }
            Page::Places => {
                let mut ctx = self.base_context("Places");
                let groups: Vec<PlaceGroup> = a
                    .places
                    .roots
                    .iter()
                    .map(|&n| {
                        let node = &a.places.nodes[n];
                        PlaceGroup {
                            place: views::place_row(&self.urls, a, node),
                            children: node
                                .children
                                .iter()
                                .map(|&c| views::place_row(&self.urls, a, &a.places.nodes[c]))
                                .collect(),
                        }
                    })
                    .collect();
                ctx.insert("groups", &groups);
                ("places.html", "places/".to_string(), ctx)
            }
            Page::Place(n, p) => {
                let node = &a.places.nodes[n];
                let rel = Urls::place(&node.slug_path);
                let mut ctx = self.base_context(&node.path.replace('/', " › "));
                let info = a.gazetteer.as_ref().and_then(|g| g.get(&node.path));
                ctx.insert(
                    "place",
                    &PlaceInfoView {
                        name: &node.name,
                        name_ar: info.and_then(|i| i.name_ar.as_deref()),
                        path: &node.path,
                        lat: info.and_then(|i| i.coordinates).map(|c| c.0),
                        lon: info.and_then(|i| i.coordinates).map(|c| c.1),
                    },
                );
                let mut crumbs = vec![self.link("Places", "places/")];
                crumbs.extend(
                    a.places
                        .lineage(n)
                        .into_iter()
                        .filter(|&x| x != n)
                        .map(|x| {
                            let x = &a.places.nodes[x];
                            self.link(x.name.clone(), &Urls::place(&x.slug_path))
                        }),
                );
                ctx.insert("breadcrumb", &crumbs);
                let children: Vec<IndexRow> = node
                    .children
                    .iter()
                    .map(|&c| views::place_row(&self.urls, a, &a.places.nodes[c]))
                    .collect();
                ctx.insert("children", &children);
                ctx.insert("totals", &TotalsView::new(&node.totals, &[]));
                ctx.insert("feed", &self.urls.href(&format!("{rel}feed.xml")));
                ctx.insert("csv", &self.urls.href(&format!("{rel}reports.csv")));
                self.listing(&mut ctx, &node.reports, &rel, p);
                ("place.html", Urls::page(&rel, p), ctx)
            }
            Page::Dates => {
                let mut ctx = self.base_context("Dates");
                ctx.insert("years", &self.years());
                ("dates.html", "dates/".to_string(), ctx)
            }
            Page::Year(y, p) => {
                let node = &a.dates.years[&y];
                let rel = Urls::year(y);
                let children = a
                    .dates
                    .months
                    .range((y, 0)..=(y, 12))
                    .map(|((yy, m), n)| {
                        self.date_row(
                            format!("{} {yy}", text::month_name(*m)),
                            Urls::month(*yy, *m),
                            n,
                        )
                    })
                    .collect();
                let prev = a
                    .dates
                    .years
                    .range(..y)
                    .next_back()
                    .map(|(k, _)| self.link(k.to_string(), &Urls::year(*k)));
                let next = a
                    .dates
                    .years
                    .range(y + 1..)
                    .next()
                    .map(|(k, _)| self.link(k.to_string(), &Urls::year(*k)));
                let ctx = self.date_context(
                    "year",
                    y.to_string(),
                    vec![],
                    children,
                    node,
                    prev,
                    next,
                    &rel,
                    p,
                );
                ("date.html", Urls::page(&rel, p), ctx)
            }
            Page::Month(y, m, p) => {
                let node = &a.dates.months[&(y, m)];
                let rel = Urls::month(y, m);
                let first = NaiveDate::from_ymd_opt(y, m, 1).expect("month of a real date");
                let last = first
                    .checked_add_months(chrono::Months::new(1))
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(first);
                let children = a
                    .dates
                    .days
                    .range(first..=last)
                    .map(|(d, n)| self.date_row(text::date(*d), Urls::day(*d), n))
                    .collect();
                let label = |(yy, mm): (i32, u32)| format!("{} {yy}", text::month_name(mm));
                let prev = a
                    .dates
                    .months
                    .range(..(y, m))
                    .next_back()
                    .map(|(k, _)| self.link(label(*k), &Urls::month(k.0, k.1)));
                let next = a
                    .dates
                    .months
                    .range((y, m + 1)..)
                    .next()
                    .map(|(k, _)| self.link(label(*k), &Urls::month(k.0, k.1)));
                let crumbs = vec![self.link(y.to_string(), &Urls::year(y))];
                let ctx = self.date_context(
                    "month",
                    label((y, m)),
                    crumbs,
                    children,
                    node,
                    prev,
                    next,
                    &rel,
                    p,
                );
                ("date.html", Urls::page(&rel, p), ctx)
            }
            Page::Day(d, p) => {
                let node = &a.dates.days[&d];
                let rel = Urls::day(d);
                let prev = a
                    .dates
                    .days
                    .range(..d)
                    .next_back()
                    .map(|(k, _)| self.link(text::date(*k), &Urls::day(*k)));
                let next = a
                    .dates
                    .days
                    .range(d.succ_opt().unwrap_or(d)..)
                    .find(|(k, _)| **k > d)
                    .map(|(k, _)| self.link(text::date(*k), &Urls::day(*k)));
                let crumbs = vec![
                    self.link(d.year().to_string(), &Urls::year(d.year())),
                    self.link(
                        format!("{} {}", text::month_name(d.month()), d.year()),
                        &Urls::month(d.year(), d.month()),
                    ),
                ];
                let ctx = self.date_context(
                    "day",
                    text::date(d),
                    crumbs,
                    vec![],
                    node,
                    prev,
                    next,
                    &rel,
                    p,
                );
                ("date.html", Urls::page(&rel, p), ctx)
            }
            Page::Taxonomy(t) => {
                let tax = &a.taxonomies[t];
                let mut ctx = self.base_context(tax.kind.title());
                ctx.insert(
                    "taxonomy",
                    &self.link(tax.kind.title(), &format!("{}/", tax.kind.folder())),
                );
                let terms: Vec<IndexRow> = tax
                    .terms
                    .iter()
                    .map(|term| IndexRow {
                        name: term.name.clone(),
                        name_alt: None,
                        href: self.urls.href(&Urls::term(tax.kind, &term.slug)),
                        reports: term.reports.len(),
                        totals: TotalsView::new(&term.totals, &[]),
                    })
                    .collect();
                ctx.insert("terms", &terms);
                ("taxonomy.html", format!("{}/", tax.kind.folder()), ctx)
            }
            Page::Term(t, i, p) => {
                let tax = &a.taxonomies[t];
                let term = &tax.terms[i];
                let rel = Urls::term(tax.kind, &term.slug);
                let mut ctx = self.base_context(&format!("{}: {}", tax.kind.title(), term.name));
                ctx.insert(
                    "taxonomy",
                    &self.link(tax.kind.title(), &format!("{}/", tax.kind.folder())),
                );
                ctx.insert("term", &term.name);
                ctx.insert("totals", &TotalsView::new(&term.totals, &[]));
                if tax.kind == TaxonomyKind::IncidentTypes {
                    ctx.insert("feed", &self.urls.href(&format!("{rel}feed.xml")));
                }
                self.listing(&mut ctx, &term.reports, &rel, p);
                ("term.html", Urls::page(&rel, p), ctx)
            }
            Page::Search => {
                let mut ctx = self.base_context("Search");
                ctx.insert("search_index", &self.urls.href("search/"));
                ("search.html", "search/".to_string(), ctx)
            }
            Page::NotFound => (
                "404.html",
                String::new(),
                self.base_context("Page not found"),
            ),
        };
        self.theme
            .tera
            .render_to(template, &ctx, &mut *out)
            .map_err(|e| RenderError::Template(describe_tera_error(&e)))?;
        Ok(if page == Page::NotFound {
            "404.html".to_string()
        } else {
            format!("{dir}index.html")
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn date_context(
        &self,
        level: &str,
        label: String,
        mut breadcrumb: Vec<Link>,
        children: Vec<IndexRow>,
        node: &DateNode,
        prev: Option<Link>,
        next: Option<Link>,
        rel: &str,
        page: usize,
    ) -> Context {
        let mut ctx = self.base_context(&label);
        breadcrumb.insert(0, self.link("Dates", "dates/"));
        ctx.insert("level", level);
        ctx.insert("label", &label);
        ctx.insert("breadcrumb", &breadcrumb);
        ctx.insert("children", &children);
        ctx.insert("totals", &TotalsView::new(&node.totals, &[]));
        ctx.insert("prev", &prev);
        ctx.insert("next", &next);
        ctx.insert("csv", &self.urls.href(&format!("{rel}reports.csv")));
        self.listing(&mut ctx, &node.reports, rel, page);
        ctx
    }
}

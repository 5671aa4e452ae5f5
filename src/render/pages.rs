//! Every page of the site, enumerated as [`Page`]s and rendered in parallel into a sink.
//! Each report's list item is rendered once and reused by every listing that shows it.

use std::collections::{BTreeMap, HashSet};
use std::io;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use super::charts::{self, Bar, Chart};
use super::i18n::Ui;
use super::links::SharedLinks;
use super::views::{self, IndexRow, Link, Pagination, TotalsView};
use super::{RenderError, Theme, Urls, describe_tera_error, markdown};
use crate::archive::{Archive, DateNode, Listing, Patch, PlaceNode, TaxonomyKind};

/// Reports on the home page.
pub const LATEST: usize = 20;
/// Charts of a place show months, or years when the reports span more than this many years.
const MAX_YEARS_BY_MONTH: i32 = 5;

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
    /// Reports on each page of a listing.
    pub per_page: usize,
}

impl SiteInfo {
    /// The interface strings of the site's language (English when it has none).
    fn ui(&self) -> Ui {
        Ui::for_lang(&self.lang).unwrap_or(Ui::En)
    }
}

/// One page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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

/// The listing a page is a page of, and which.
fn listing_of(page: Page) -> Option<(Listing, usize)> {
    match page {
        Page::Place(n, p) => Some((Listing::Place(n), p)),
        Page::Year(y, p) => Some((Listing::Year(y), p)),
        Page::Month(y, m, p) => Some((Listing::Month(y, m), p)),
        Page::Day(d, p) => Some((Listing::Day(d), p)),
        Page::Term(t, i, p) => Some((Listing::Term(t, i), p)),
        _ => None,
    }
}

/// Every page of a site, in a stable order.
pub fn site_pages(archive: &Archive, per_page: usize) -> Vec<Page> {
    let a = archive;
    let mut pages = SITE_PAGES.to_vec();
    pages.extend((0..a.reports.len() as u32).map(Page::Report));
    pages.extend((0..a.taxonomies.len()).map(Page::Taxonomy));
    for listing in a.listings() {
        let count = page_count(a.listed(listing).len(), per_page);
        pages.extend((1..=count).map(|p| listing_page(listing, p)));
    }
    pages
}

/// The folder of a listing's first page (`places/syria/`, `dates/2019/03/`, …).
fn listing_rel(archive: &Archive, listing: Listing) -> String {
    let a = archive;
    match listing {
        Listing::Place(n) => Urls::place(&a.places.nodes[n].slug_path),
        Listing::Year(y) => Urls::year(y),
        Listing::Month(y, m) => Urls::month(y, m),
        Listing::Day(d) => Urls::day(d),
        Listing::Term(t, i) => {
            let tax = &a.taxonomies[t];
            Urls::term(tax.kind, &tax.terms[i].slug)
        }
    }
}

/// The file a page is written to (`places/syria/page/2/index.html`, `404.html`).
pub fn page_file(archive: &Archive, page: Page) -> String {
    let a = archive;
    let dir = match page {
        Page::NotFound => return "404.html".to_string(),
        Page::Home => String::new(),
        Page::Report(i) => Urls::report(&a.reports[i as usize].id),
        Page::Places => "places/".to_string(),
        Page::Dates => "dates/".to_string(),
        Page::Search => "search/".to_string(),
        Page::Taxonomy(t) => format!("{}/", a.taxonomies[t].kind.folder()),
        Page::Place(..) | Page::Year(..) | Page::Month(..) | Page::Day(..) | Page::Term(..) => {
            let (listing, p) = listing_of(page).expect("a page of a listing");
            Urls::page(&listing_rel(a, listing), p)
        }
    };
    dir + "index.html"
}

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

/// The pages every site has once.
const SITE_PAGES: [Page; 5] = [
    Page::Home,
    Page::Places,
    Page::Dates,
    Page::Search,
    Page::NotFound,
];

/// How many pages a listing of `reports` takes, `per_page` a page (one when empty).
fn page_count(reports: usize, per_page: usize) -> usize {
    reports.div_ceil(per_page).max(1)
}

/// The keys of `map` just before and just after `key`: the periods a day, month or year
/// page links to, and so the pages a new period changes.
fn before_after<K: Ord + Copy, V>(map: &BTreeMap<K, V>, key: K) -> [Option<K>; 2] {
    use std::ops::Bound::{Excluded, Unbounded};
    let before = map.range(..key).next_back();
    let after = map.range((Excluded(key), Unbounded)).next();
    [before, after].map(|k| k.map(|(&k, _)| k))
}

/// The reports page `p` (1-based) of a listing of `list` shows (empty past its end).
fn page_slice(list: &[u32], p: usize, per_page: usize) -> &[u32] {
    let end = (p * per_page).min(list.len());
    &list[((p - 1) * per_page).min(end)..end]
}

/// Page `p` of a listing.
fn listing_page(listing: Listing, p: usize) -> Page {
    match listing {
        Listing::Place(n) => Page::Place(n, p),
        Listing::Year(y) => Page::Year(y, p),
        Listing::Month(y, m) => Page::Month(y, m, p),
        Listing::Day(d) => Page::Day(d, p),
        Listing::Term(t, i) => Page::Term(t, i, p),
    }
}

/// The languages pages are in, as (language tag, interface) pairs: the site's, then those of
/// reports written in another, in the order first met.
fn page_languages(archive: &Archive, site: &SiteInfo) -> Vec<(String, Ui)> {
    let site_ui = site.ui();
    let mut langs = vec![(site.lang.clone(), site_ui)];
    for r in &archive.reports {
        if !langs.iter().any(|(l, _)| *l == r.lang) {
            langs.push((r.lang.clone(), page_ui(r, site_ui)));
        }
    }
    langs
}

/// The interface of a report's page: its language's, or the site's when there is none.
fn page_ui(report: &crate::content::Report, site_ui: Ui) -> Ui {
    Ui::for_lang(&report.lang).unwrap_or(site_ui)
}

/// What a renderer holds besides the archive: the compiled templates, every report's list
/// item, the shared links and the header and footer. The preview server keeps them between
/// rebuilds, so that a changed report costs its own item and links, not the templates and
/// 50,000 items again.
pub struct Prepared {
    theme: Theme,
    urls: Urls,
    site: SiteInfo,
    items: Vec<String>,
    links: SharedLinks,
    chrome: Vec<Chrome>,
}

impl Prepared {
    /// The list item of each report, by report index.
    pub fn items(&self) -> &[String] {
        &self.items
    }
}

/// Renders pages of one archive with one theme.
pub struct Renderer<'a> {
    archive: &'a Archive,
    theme: Theme,
    urls: Urls,
    site: SiteInfo,
    /// The interface language of the site.
    ui: Ui,
    /// The list item of each report, by report index.
    items: Vec<String>,
    /// Links of places, terms and dates, made once for every report page.
    links: SharedLinks,
    /// The header and footer of pages, by page language and interface.
    chrome: Vec<Chrome>,
}

/// `partials/header.html` and `partials/footer.html` rendered for one page language and
/// interface language: the same on every page of those (each page holding a copy was a
/// twentieth of a build).
struct Chrome {
    lang: String,
    ui: Ui,
    header: Value,
    footer: Value,
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
    /// `https://www.openstreetmap.org/...`: a link, never an embedded map.
    map: Option<String>,
    coordinates: Option<String>,
}

/// One day of a month's calendar.
#[derive(Serialize)]
struct DayCell {
    day: u32,
    href: Option<String>,
    reports: usize,
    killed: u64,
}

impl<'a> Renderer<'a> {
    /// Prepares the renderer and renders every report's list item.
    pub fn new(
        archive: &'a Archive,
        theme: Theme,
        urls: Urls,
        site: SiteInfo,
    ) -> Result<Self, RenderError> {
        Self::reusing(archive, theme, urls, site, |_| None)
    }

    /// [`Renderer::new`], taking the list item of a report from `reuse` when it has it (the
    /// preview server keeps the items of reports that did not change).
    pub fn reusing(
        archive: &'a Archive,
        mut theme: Theme,
        urls: Urls,
        site: SiteInfo,
        reuse: impl Fn(&crate::content::Report) -> Option<String> + Sync,
    ) -> Result<Self, RenderError> {
        theme.tera.global_context().insert("site", &site);
        theme
            .tera
            .global_context()
            .insert("t", &site.ui().strings());
        let mut renderer = Self::assemble(archive, theme, urls, site)?;
        renderer.items = archive
            .reports
            .par_iter()
            .map(|r| match reuse(r) {
                Some(item) => Ok(item),
                None => renderer.render_item(r),
            })
            .collect::<Result<_, _>>()?;
        Ok(renderer)
    }

    /// A renderer of `archive` as [`Archive::patch`] left it, from what the renderer of the
    /// archive before the patch held: the items follow the reports' new order, and only
    /// the changed reports' items are rendered.
    pub fn patched(
        archive: &'a Archive,
        prepared: Prepared,
        patch: &Patch,
    ) -> Result<Self, RenderError> {
        let Prepared {
            theme,
            urls,
            site,
            mut items,
            mut links,
            chrome,
        } = prepared;
        if let Some(new_of_old) = &patch.moved {
            let mut moved = vec![String::new(); items.len()];
            for (old, item) in items.into_iter().enumerate() {
                moved[new_of_old[old] as usize] = item;
            }
            items = moved;
        }
        let ui = site.ui();
        let changed = patch
            .changed
            .iter()
            .map(|&r| archive.reports[r as usize].as_ref());
        links.extend(archive, changed.map(|r| (r, page_ui(r, ui))));
        let mut renderer = Renderer {
            archive,
            theme,
            urls,
            ui,
            site,
            items: Vec::new(),
            links,
            chrome,
        };
        for &r in &patch.changed {
            let report = &archive.reports[r as usize];
            renderer.add_chrome(&report.lang, page_ui(report, ui))?;
            items[r as usize] = renderer.render_item(report)?;
        }
        renderer.items = items;
        Ok(renderer)
    }

    /// A renderer without list items: the shared links made, the header and footer
    /// rendered for every language of the pages.
    fn assemble(
        archive: &'a Archive,
        theme: Theme,
        urls: Urls,
        site: SiteInfo,
    ) -> Result<Self, RenderError> {
        let langs = page_languages(archive, &site);
        let mut uis: Vec<Ui> = Vec::new();
        for (_, ui) in &langs {
            if !uis.contains(ui) {
                uis.push(*ui);
            }
        }
        let mut renderer = Renderer {
            archive,
            links: SharedLinks::new(&urls, archive, &uis),
            theme,
            urls,
            ui: site.ui(),
            site,
            items: Vec::new(),
            chrome: Vec::new(),
        };
        for (lang, ui) in langs {
            renderer.add_chrome(&lang, ui)?;
        }
        Ok(renderer)
    }

    /// Renders the header and footer of pages in `lang` with the interface `ui`, unless
    /// they are there already.
    fn add_chrome(&mut self, lang: &str, ui: Ui) -> Result<(), RenderError> {
        if self.chrome.iter().any(|c| c.lang == lang && c.ui == ui) {
            return Ok(());
        }
        let mut ctx = Context::new();
        ctx.insert("lang", lang);
        ctx.insert(
            "dir",
            if crate::content::report::is_rtl(lang) {
                "rtl"
            } else {
                "ltr"
            },
        );
        if ui != self.ui {
            ctx.insert("t", &ui.strings());
        }
        let part = |name| -> Result<Value, RenderError> {
            let html = self.render_string(name, &ctx)?;
            Ok(Value::safe_string(html.trim_end()))
        };
        let chrome = Chrome {
            lang: lang.to_string(),
            ui,
            header: part("partials/header.html")?,
            footer: part("partials/footer.html")?,
        };
        self.chrome.push(chrome);
        Ok(())
    }

    /// Adds the header and footer of pages in `lang` with the interface `ui` to `ctx`.
    fn insert_chrome(&self, ctx: &mut Context, lang: &str, ui: Ui) {
        if let Some(c) = self.chrome.iter().find(|c| c.lang == lang && c.ui == ui) {
            ctx.insert_value("header", c.header.clone());
            ctx.insert_value("footer", c.footer.clone());
        }
    }

    fn render_item(&self, report: &crate::content::Report) -> Result<String, RenderError> {
        let mut ctx = Context::new();
        ctx.insert("item", &views::report_item(&self.urls, report, self.ui));
        // Kept for the whole build: only the content, not the buffer Tera rendered into
        // (a few times larger).
        let mut item = self.render_string("partials/report_item.html", &ctx)?;
        item.shrink_to_fit();
        Ok(item)
    }

    /// The archive being rendered.
    pub fn archive(&self) -> &'a Archive {
        self.archive
    }

    /// What the renderer holds besides the archive, to render a patched archive with.
    pub fn into_prepared(self) -> Prepared {
        Prepared {
            theme: self.theme,
            urls: self.urls,
            site: self.site,
            items: self.items,
            links: self.links,
            chrome: self.chrome,
        }
    }

    /// The pages whose content can differ from the same site rendered from `old`, when
    /// only the reports `changed` (ids) differ between the two, besides reports added or
    /// removed: a new place, date or term has all its pages written, one that went has
    /// them gone, and a new or gone date changes the pages of the periods around it. A
    /// removed report's page is gone. (The exports of a listing that went, its feed and
    /// search postings, are the exports' to remove.)
    pub fn pages_changed_since(&self, old: &Archive, changed: &[&str]) -> PageChanges {
        let new = self.archive;
        let per_page = self.site.per_page;
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
            .flat_map(|&l| self.date_neighbours(l))
            .collect();
        counterparts.extend(fresh.iter().map(|&l| (l, None)));
        let added = (0..new.reports.len() as u32)
            .filter(|&i| old.report_index(&new.reports[i as usize].id).is_none());
        let removed: Vec<u32> = (0..old.reports.len() as u32)
            .filter(|&i| new.report_index(&old.reports[i as usize].id).is_none())
            .collect();
        let mut touched: Vec<u32> = changed
            .iter()
            .filter_map(|id| new.report_index(id))
            .chain(added)
            .collect();
        touched.sort_unstable();
        touched.dedup();
        let mut touched_before: Vec<u32> = changed
            .iter()
            .filter_map(|id| old.report_index(id))
            .chain(removed.iter().copied())
            .collect();
        touched_before.sort_unstable();
        touched_before.dedup();
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
        let mut changes = self.pages_touched(&listings, &touched);
        for l in neighbours {
            let count = page_count(new.listed(l).len(), per_page);
            changes
                .pages
                .extend((1..=count).map(|p| listing_page(l, p)));
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
            let count = page_count(old.listed(l).len(), per_page);
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

    /// The periods before and after a day, month or year that have reports (the ones its
    /// page links to); none for other listings.
    fn date_neighbours(&self, listing: Listing) -> Vec<Listing> {
        let d = &self.archive.dates;
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

    /// The pages a patch can have changed.
    pub fn pages_patched(&self, patch: &Patch) -> PageChanges {
        self.pages_touched(&patch.listings, &patch.changed)
    }

    /// The pages that can differ when the reports `touched` (indices) changed and the
    /// `listings` they are or were on held the given reports before: the pages summing up
    /// the whole archive; of each listing, its first page (totals), the pages whose slice
    /// of reports changed and those showing a changed report (its item changed), or every
    /// page when the number of its pages changed; the changed reports' pages, and those of the
    /// reports before and after them (older/newer links) in a place, then and now (and
    /// those of a removed report, `GONE` in the lists before). A listing left with fewer
    /// pages has its last ones gone. `touched` is sorted.
    fn pages_touched(&self, listings: &[(Listing, Vec<u32>)], touched: &[u32]) -> PageChanges {
        debug_assert!(touched.is_sorted());
        let a = self.archive;
        let per_page = self.site.per_page;
        let mut gone = Vec::new();
        let mut pages = SITE_PAGES.to_vec();
        pages.extend((0..a.taxonomies.len()).map(Page::Taxonomy));
        pages.extend(touched.iter().map(|&r| Page::Report(r)));
        for (listing, before) in listings {
            let after = a.listed(*listing);
            let count = page_count(after.len(), per_page);
            let count_before = page_count(before.len(), per_page);
            if count_before > count {
                let rel = listing_rel(self.archive, *listing);
                gone.extend((count + 1..=count_before).map(|p| Urls::page(&rel, p)));
            }
            let slice = |list, p| page_slice(list, p, per_page);
            for p in 1..=count {
                // Only the first page shows how many reports the listing has; the others
                // show how many pages.
                let differs = p == 1
                    || count_before != count
                    || slice(before, p) != slice(after, p)
                    || slice(after, p)
                        .iter()
                        .any(|r| touched.binary_search(r).is_ok());
                if differs {
                    pages.push(listing_page(*listing, p));
                }
            }
            if let Listing::Place(n) = *listing {
                let path = &a.places.nodes[n].path;
                for list in [&before[..], after] {
                    for (pos, r) in list.iter().enumerate() {
                        if *r != GONE && touched.binary_search(r).is_err() {
                            continue;
                        }
                        let near = [pos.checked_sub(1), Some(pos + 1)];
                        let near = near.iter().flatten().filter_map(|&p| list.get(p));
                        for &n in near.filter(|&&n| n != GONE) {
                            let first = a.reports[n as usize].locations.first();
                            if first.is_some_and(|l| l.path == *path) {
                                pages.push(Page::Report(n));
                            }
                        }
                    }
                }
            }
        }
        pages.sort_unstable();
        pages.dedup();
        PageChanges { pages, gone }
    }

    /// Renders `pages` into `sink(path, html)`, in parallel.
    pub fn render_pages(
        &self,
        pages: &[Page],
        sink: &(dyn Fn(&str, &[u8]) -> io::Result<()> + Sync),
    ) -> Result<usize, RenderError> {
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
        site_pages(self.archive, self.site.per_page)
    }

    /// Renders every page into `sink(path, html)`, in parallel. Returns the number of pages.
    pub fn render_all(
        &self,
        sink: &(dyn Fn(&str, &[u8]) -> io::Result<()> + Sync),
    ) -> Result<usize, RenderError> {
        self.render_pages(&self.pages(), sink)
    }

    fn base_context(&self, title: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("title", title);
        ctx.insert("lang", &self.site.lang);
        ctx.insert("dir", self.site.dir);
        ctx.insert("feed", &None::<String>);
        ctx.insert("description", &None::<String>);
        ctx.insert("csv", &None::<String>);
        ctx.insert("chart", &None::<Chart>);
        self.insert_chrome(&mut ctx, &self.site.lang, self.ui);
        ctx
    }

    fn listing(&self, ctx: &mut Context, reports: &[u32], rel: &str, page: usize) {
        let per_page = self.site.per_page;
        let total = page_count(reports.len(), per_page);
        let items: Vec<&str> = page_slice(reports, page, per_page)
            .iter()
            .map(|&r| self.items[r as usize].as_str())
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
                prev: (page > 1).then(|| self.urls.href(&Urls::page(rel, page - 1))),
                next: (page < total).then(|| self.urls.href(&Urls::page(rel, page + 1))),
            },
        );
    }

    /// The CSV of a listing: the search page with the listing's filter builds it in the
    /// browser from the search index (a file per page would double the site's size).
    fn csv_link(&self, filter: &str) -> String {
        self.urls.href(&format!("search/?{filter}&csv=1"))
    }

    fn date_row(&self, name: String, rel: String, node: &DateNode) -> IndexRow {
        IndexRow {
            name,
            name_alt: None,
            href: self.urls.href(&rel),
            reports: node.reports.len(),
            totals: TotalsView::new(&node.totals, &[], self.ui),
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

    fn place_rows(&self, ids: &[usize]) -> Vec<IndexRow> {
        let a = self.archive;
        ids.iter()
            .map(|&c| views::place_row(&self.urls, a, &a.places.nodes[c], self.ui))
            .collect()
    }

    /// Killed per month of a place (per year past five years), as a chart.
    fn place_chart(&self, node: &PlaceNode) -> Option<Chart> {
        let ui = self.ui;
        let first = *node.killed_by_month.keys().next()?;
        let last = *node.killed_by_month.keys().next_back()?;
        let by_year = last.0 - first.0 >= MAX_YEARS_BY_MONTH;
        let mut bars = Vec::new();
        if by_year {
            for y in first.0..=last.0 {
                let value = node
                    .killed_by_month
                    .range((y, 1)..=(y, 12))
                    .map(|(_, v)| v)
                    .sum();
                bars.push(Bar {
                    label: y.to_string(),
                    value,
                });
            }
        } else {
            let (mut y, mut m) = first;
            while (y, m) <= last {
                let value = node.killed_by_month.get(&(y, m)).copied().unwrap_or(0);
                bars.push(Bar {
                    label: format!(
                        "{} {y}",
                        &ui.month_name(m).chars().take(3).collect::<String>()
                    ),
                    value,
                });
                (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            }
        }
        let title = format!(
            "{}: {}",
            ui.get(if by_year {
                "killed_per_year"
            } else {
                "killed_per_month"
            }),
            node.name
        );
        charts::bar_chart(
            &title,
            ui.get("chart_note"),
            ui.get(if by_year { "year" } else { "month" }),
            bars,
        )
    }

    /// The weeks of a month as rows of seven days, Monday first; `None` outside the month.
    fn calendar(&self, y: i32, m: u32) -> Vec<Vec<Option<DayCell>>> {
        let first = NaiveDate::from_ymd_opt(y, m, 1).expect("a real month");
        let days = first
            .checked_add_months(chrono::Months::new(1))
            .expect("a real month")
            .pred_opt()
            .expect("a day before")
            .day();
        let mut cells: Vec<Option<DayCell>> = (0..first.weekday().num_days_from_monday())
            .map(|_| None)
            .collect();
        for d in 1..=days {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("a day of the month");
            let node = self.archive.dates.days.get(&date);
            cells.push(Some(DayCell {
                day: d,
                href: node.map(|_| self.urls.href(&Urls::day(date))),
                reports: node.map_or(0, |n| n.reports.len()),
                killed: node
                    .and_then(|n| n.totals.get(crate::content::Field::Killed))
                    .map_or(0, |c| c.min),
            }));
        }
        while !cells.len().is_multiple_of(7) {
            cells.push(None);
        }
        let mut weeks = Vec::new();
        let mut it = cells.into_iter().peekable();
        while it.peek().is_some() {
            weeks.push(it.by_ref().take(7).collect());
        }
        weeks
    }

    /// Older and newer reports of the narrowest place of `report`'s first location.
    fn prev_next(&self, index: u32, ui: Ui) -> Vec<Link> {
        let a = self.archive;
        let r = &a.reports[index as usize];
        let Some(node) = r.locations.first().and_then(|l| a.places.get(&l.path)) else {
            return Vec::new();
        };
        let node = &a.places.nodes[node];
        let Ok(pos) = node.reports.binary_search(&index) else {
            return Vec::new();
        };
        let mut links = Vec::new();
        // The list is newest first: the older report follows, the newer precedes.
        if let Some(&older) = node.reports.get(pos + 1) {
            let o = &a.reports[older as usize];
            links.push(Link {
                name: format!("{} {}", ui.get("previous_in"), node.name),
                href: self.urls.href(&Urls::report(&o.id)),
            });
        }
        if let Some(&newer) = pos.checked_sub(1).and_then(|p| node.reports.get(p)) {
            let n = &a.reports[newer as usize];
            links.push(Link {
                name: format!("{} {}", ui.get("next_in"), node.name),
                href: self.urls.href(&Urls::report(&n.id)),
            });
        }
        links
    }

    /// Renders one page into `out`; returns its file (`places/syria/index.html`).
    pub fn render_page(&self, page: Page, out: &mut Vec<u8>) -> Result<String, RenderError> {
        let a = self.archive;
        let ui = self.ui;
        let (template, ctx) = match page {
            Page::Home => {
                let mut ctx = self.base_context(&self.site.title);
                let latest: Vec<&str> =
                    self.items.iter().take(LATEST).map(String::as_str).collect();
                ctx.insert("items", &latest);
                ctx.insert("places", &self.place_rows(&a.places.roots));
                ctx.insert("years", &self.years());
                ctx.insert("report_count", &a.reports.len());
                ctx.insert("feed", &self.urls.href("feed.xml"));
                ctx.insert("description", &self.site.description);
                ("index.html", ctx)
            }
            Page::Report(i) => {
                let r = &a.reports[i as usize];
                let page_ui = page_ui(r, ui);
                let body = markdown::to_html(r.body(), &r.links, |id| {
                    a.report_index(id)
                        .map(|_| self.urls.href(&Urls::report(id)))
                });
                let mut view = views::report_view(
                    &self.urls,
                    &self.links,
                    a,
                    r,
                    body,
                    &self.site.title,
                    page_ui,
                );
                view.prev_next = self.prev_next(i, page_ui);
                let mut ctx = self.base_context(&r.title);
                ctx.insert("lang", &view.lang);
                ctx.insert("dir", view.dir);
                if page_ui != ui {
                    ctx.insert("t", &page_ui.strings());
                }
                if r.lang != self.site.lang || page_ui != ui {
                    self.insert_chrome(&mut ctx, &r.lang, page_ui);
                }
                ctx.insert("report", &view);
                ("report.html", ctx)
            }
            Page::Places => {
                let mut ctx = self.base_context(ui.get("places"));
                let groups: Vec<PlaceGroup> = a
                    .places
                    .roots
                    .iter()
                    .map(|&n| {
                        let node = &a.places.nodes[n];
                        PlaceGroup {
                            place: views::place_row(&self.urls, a, node, ui),
                            children: self.place_rows(&node.children),
                        }
                    })
                    .collect();
                ctx.insert("groups", &groups);
                ("places.html", ctx)
            }
            Page::Place(n, p) => {
                let node = &a.places.nodes[n];
                let rel = listing_rel(self.archive, Listing::Place(n));
                let mut ctx = self.base_context(&node.path.replace('/', " › "));
                let info = a.gazetteer.as_ref().and_then(|g| g.get(&node.path));
                let coords = info.and_then(|i| i.coordinates);
                ctx.insert(
                    "place",
                    &PlaceInfoView {
                        name: &node.name,
                        name_ar: info.and_then(|i| i.name_ar.as_deref()),
                        path: &node.path,
                        map: coords.map(|(lat, lon)| format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=11/{lat}/{lon}")),
                        coordinates: coords.map(|(lat, lon)| format!("{lat}, {lon}")),
                    },
                );
                let mut crumbs = vec![self.link(ui.get("places"), "places/")];
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
                let mut children = self.place_rows(&node.children);
                children.sort_by(|x, y| {
                    y.totals
                        .killed
                        .cmp(&x.totals.killed)
                        .then_with(|| x.name.cmp(&y.name))
                });
                ctx.insert("children", &children);
                ctx.insert("totals", &TotalsView::new(&node.totals, &[], ui));
                if p == 1 {
                    ctx.insert("chart", &self.place_chart(node));
                }
                ctx.insert("feed", &self.urls.href(&format!("{rel}feed.xml")));
                ctx.insert("csv", &self.csv_link(&format!("place={}", node.slug_path)));
                self.listing(&mut ctx, &node.reports, &rel, p);
                ("place.html", ctx)
            }
            Page::Dates => {
                let mut ctx = self.base_context(ui.get("dates"));
                ctx.insert("years", &self.years());
                ("dates.html", ctx)
            }
            Page::Year(y, p) => {
                let node = &a.dates.years[&y];
                let rel = listing_rel(self.archive, Listing::Year(y));
                let months = a.dates.months.range((y, 0)..=(y, 12));
                let children = months
                    .clone()
                    .map(|((yy, m), n)| {
                        self.date_row(ui.month_year(*yy, *m), Urls::month(*yy, *m), n)
                    })
                    .collect();
                let bars = (1..=12)
                    .map(|m| Bar {
                        label: ui.month_name(m).chars().take(3).collect(),
                        value: a
                            .dates
                            .months
                            .get(&(y, m))
                            .and_then(|n| n.totals.get(crate::content::Field::Killed))
                            .map_or(0, |c| c.min),
                    })
                    .collect();
                let chart = charts::bar_chart(
                    &format!("{}: {y}", ui.get("killed_per_month")),
                    ui.get("totals_note"),
                    ui.get("month"),
                    bars,
                );
                let [prev, next] = before_after(&a.dates.years, y)
                    .map(|k| k.map(|k| self.link(k.to_string(), &Urls::year(k))));
                let mut ctx = self.date_context(
                    "year",
                    y.to_string(),
                    vec![],
                    children,
                    node,
                    (prev, next),
                    &rel,
                    p,
                );
                if p == 1 {
                    ctx.insert("chart", &chart);
                }
                ctx.insert("csv", &self.csv_link(&format!("from={y}-01&to={y}-12")));
                ("date.html", ctx)
            }
            Page::Month(y, m, p) => {
                let node = &a.dates.months[&(y, m)];
                let rel = listing_rel(self.archive, Listing::Month(y, m));
                let label = |(yy, mm): (i32, u32)| ui.month_year(yy, mm);
                let [prev, next] = before_after(&a.dates.months, (y, m))
                    .map(|k| k.map(|k| self.link(label(k), &Urls::month(k.0, k.1))));
                let crumbs = vec![self.link(y.to_string(), &Urls::year(y))];
                let mut ctx = self.date_context(
                    "month",
                    label((y, m)),
                    crumbs,
                    vec![],
                    node,
                    (prev, next),
                    &rel,
                    p,
                );
                ctx.insert("weekdays", &ui.weekdays());
                ctx.insert("calendar", &self.calendar(y, m));
                ctx.insert(
                    "csv",
                    &self.csv_link(&format!("from={y}-{m:02}&to={y}-{m:02}")),
                );
                ("date.html", ctx)
            }
            Page::Day(d, p) => {
                let node = &a.dates.days[&d];
                let rel = listing_rel(self.archive, Listing::Day(d));
                let [prev, next] = before_after(&a.dates.days, d)
                    .map(|k| k.map(|k| self.link(ui.date(k), &Urls::day(k))));
                let crumbs = vec![
                    self.link(d.year().to_string(), &Urls::year(d.year())),
                    self.link(
                        ui.month_year(d.year(), d.month()),
                        &Urls::month(d.year(), d.month()),
                    ),
                ];
                let mut ctx = self.date_context(
                    "day",
                    ui.date(d),
                    crumbs,
                    vec![],
                    node,
                    (prev, next),
                    &rel,
                    p,
                );
                ctx.insert("csv", &self.csv_link(&format!("day={d}")));
                ("date.html", ctx)
            }
            Page::Taxonomy(t) => {
                let tax = &a.taxonomies[t];
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
                        href: self.urls.href(&Urls::term(tax.kind, &term.slug)),
                        reports: term.reports.len(),
                        totals: TotalsView::new(&term.totals, &[], ui),
                    })
                    .collect();
                ctx.insert("terms", &terms);
                ("taxonomy.html", ctx)
            }
            Page::Term(t, i, p) => {
                let tax = &a.taxonomies[t];
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
                    ctx.insert("feed", &self.urls.href(&format!("{rel}feed.xml")));
                }
                self.listing(&mut ctx, &term.reports, &rel, p);
                ("term.html", ctx)
            }
            Page::Search => ("search.html", self.base_context(ui.get("search"))),
            Page::NotFound => ("404.html", self.base_context(ui.get("not_found"))),
        };
        self.theme
            .tera
            .render_to(template, &ctx, &mut *out)
            .map_err(|e| RenderError::Template(describe_tera_error(&e)))?;
        Ok(page_file(a, page))
    }

    #[allow(clippy::too_many_arguments)]
    fn date_context(
        &self,
        level: &str,
        label: String,
        mut breadcrumb: Vec<Link>,
        children: Vec<IndexRow>,
        node: &DateNode,
        (prev, next): (Option<Link>, Option<Link>),
        rel: &str,
        page: usize,
    ) -> Context {
        let mut ctx = self.base_context(&label);
        breadcrumb.insert(0, self.link(self.ui.get("dates"), "dates/"));
        ctx.insert("level", level);
        ctx.insert("label", &label);
        ctx.insert("breadcrumb", &breadcrumb);
        ctx.insert("children", &children);
        ctx.insert("calendar", &None::<()>);
        ctx.insert("totals", &TotalsView::new(&node.totals, &[], self.ui));
        ctx.insert("prev", &prev);
        ctx.insert("next", &next);
        self.listing(&mut ctx, &node.reports, rel, page);
        ctx
    }
}

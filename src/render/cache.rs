//! What rendering pages needs besides the archive, made once per build: the compiled
//! templates, every report's list item, the links report pages share and the header and
//! footer of each page language. The preview server keeps a [`RenderCache`] between
//! rebuilds, so that a changed report costs its own item and links, not the templates and
//! 50,000 items again.

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use super::i18n::Ui;
use super::links::SharedLinks;
use super::pages::Paging;
use super::{RenderError, Theme, Urls, describe_tera_error, views};
use crate::archive::{Archive, Patch};
use crate::content::Report;

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
    /// Pages of a listing, at most.
    pub max_pages: usize,
    /// The licence of the reports and data, for the footer and the JSON-LD.
    pub license: Option<crate::license::License>,
}

impl SiteInfo {
    /// The interface strings of the site's language (English when it has none).
    pub(super) fn ui(&self) -> Ui {
        Ui::for_lang(&self.lang).unwrap_or(Ui::En)
    }

    /// How listings are cut into pages.
    pub(super) fn paging(&self) -> Paging {
        Paging {
            per_page: self.per_page,
            max_pages: self.max_pages,
        }
    }
}

/// The templates and fragments a renderer renders pages with, kept between preview
/// rebuilds (see the module's documentation).
pub struct RenderCache {
    pub(super) theme: Theme,
    pub(super) urls: Urls,
    pub(super) site: SiteInfo,
    /// The interface language of the site.
    pub(super) ui: Ui,
    /// The list item of each report, by report index.
    pub(super) items: Vec<String>,
    /// Links of places, terms and dates, made once for every report page.
    pub(super) links: SharedLinks,
    /// `site` as report pages see it: its `base` is [`Urls::report_page_base`].
    pub(super) report_site: Value,
    /// The header and footer of pages, by page language and interface, for report pages
    /// and for the others.
    chrome: Vec<Chrome>,
}

/// `partials/header.html` and `partials/footer.html` rendered for one page language and
/// interface language: the same on every page of those (each page holding a copy was a
/// twentieth of a build).
struct Chrome {
    lang: String,
    ui: Ui,
    /// For report pages, whose links start from [`Urls::report_page_base`].
    report: bool,
    header: Value,
    footer: Value,
}

/// A page of `content/pages/` as the footer links it.
#[derive(Serialize)]
struct FooterPage<'a> {
    /// Its folder from the site root (`about/`).
    rel: String,
    title: &'a str,
    lang: &'a str,
}

impl RenderCache {
    /// Compiles what pages of `archive` need, taking the list item of a report from `reuse`
    /// when it has it (the preview server keeps the items of reports that did not change).
    pub fn new(
        archive: &Archive,
        mut theme: Theme,
        urls: Urls,
        site: SiteInfo,
        reuse: impl Fn(&Report) -> Option<String> + Sync,
    ) -> Result<Self, RenderError> {
        theme.tera.global_context().insert("site", &site);
        theme
            .tera
            .global_context()
            .insert("t", &site.ui().strings());
        let langs = page_languages(archive, &site);
        let mut uis: Vec<Ui> = Vec::new();
        for (_, ui) in &langs {
            if !uis.contains(ui) {
                uis.push(*ui);
            }
        }
        let report_site = Value::from_serializable(&SiteInfo {
            base: urls.report_page_base().to_string(),
            ..site.clone()
        });
        let mut cache = RenderCache {
            links: SharedLinks::new(&urls, archive, &uis),
            report_site,
            theme,
            urls,
            ui: site.ui(),
            site,
            items: Vec::new(),
            chrome: Vec::new(),
        };
        for (lang, ui) in langs {
            cache.add_chrome(archive, &lang, ui)?;
        }
        // Only listed reports (one per incident) have an item.
        cache.items = (0..archive.reports.len() as u32)
            .into_par_iter()
            .map(|i| {
                if !archive.accounts.is_listed(i as usize) {
                    return Ok(String::new());
                }
                match reuse(&archive.reports[i as usize]) {
                    Some(item) => Ok(item),
                    None => cache.render_item(archive, i),
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(cache)
    }

    /// The cache for `archive` as [`Archive::patch`] left it, from the cache of the archive
    /// before the patch: the items follow the reports' new order, and only the changed
    /// reports' items and links are made again.
    pub fn patched(mut self, archive: &Archive, patch: &Patch) -> Result<Self, RenderError> {
        let mut items = std::mem::take(&mut self.items);
        if let Some(new_of_old) = &patch.moved {
            let mut moved = vec![String::new(); items.len()];
            for (old, item) in items.into_iter().enumerate() {
                moved[new_of_old[old] as usize] = item;
            }
            items = moved;
        }
        let ui = self.ui;
        let changed = patch
            .changed
            .iter()
            .map(|&r| archive.reports[r as usize].as_ref());
        self.links
            .extend(archive, changed.map(|r| (r, page_ui(r, ui))));
        for &r in &patch.changed {
            let report = &archive.reports[r as usize];
            self.add_chrome(archive, &report.lang, page_ui(report, ui))?;
            items[r as usize] = self.render_item(archive, r)?;
        }
        self.items = items;
        Ok(self)
    }

    /// The list item of each report, by report index.
    pub fn items(&self) -> &[String] {
        &self.items
    }

    /// Renders the header and footer of pages in `lang` with the interface `ui`, for
    /// report pages and for the others, unless they are there already.
    fn add_chrome(&mut self, archive: &Archive, lang: &str, ui: Ui) -> Result<(), RenderError> {
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
        // The pages of `content/pages/` in this language, for the footer; their links
        // start at `site.base`, as the footer's others do.
        let pages: Vec<FooterPage> = archive
            .footer_pages(lang)
            .into_iter()
            .map(|p| FooterPage {
                rel: p.rel(),
                title: &p.title,
                lang: &p.lang,
            })
            .collect();
        ctx.insert("pages", &pages);
        let part = |name, ctx: &Context| -> Result<Value, RenderError> {
            let html = self.render_string(name, ctx)?;
            Ok(Value::safe_string(html.trim_end()))
        };
        let mut variants = vec![false];
        if self.urls.report_page_base() != self.urls.base_path {
            variants.push(true);
        }
        let mut made = Vec::new();
        for report in variants {
            if report {
                ctx.insert_value("site", self.report_site.clone());
            }
            made.push(Chrome {
                lang: lang.to_string(),
                ui,
                report,
                header: part("partials/header.html", &ctx)?,
                footer: part("partials/footer.html", &ctx)?,
            });
        }
        self.chrome.extend(made);
        Ok(())
    }

    /// Adds the header and footer of pages in `lang` with the interface `ui` to `ctx`, those
    /// of a report page when `report`.
    pub(super) fn insert_chrome(&self, ctx: &mut Context, lang: &str, ui: Ui, report: bool) {
        let found = |report| {
            self.chrome
                .iter()
                .find(|c| c.lang == lang && c.ui == ui && c.report == report)
        };
        // Report pages share the others' when their links start alike.
        if let Some(c) = found(report).or_else(|| found(false)) {
            ctx.insert_value("header", c.header.clone());
            ctx.insert_value("footer", c.footer.clone());
        }
    }

    /// The item of listed report `i`: shown in the site's language when a translation in
    /// it exists, with the number of earlier accounts of its incident.
    fn render_item(&self, archive: &Archive, i: u32) -> Result<String, RenderError> {
        let shown = &archive.reports[archive.in_language(i, &self.site.lang) as usize];
        let earlier = archive.account(i).position as usize;
        let mut ctx = Context::new();
        ctx.insert(
            "item",
            &views::report_item(&self.urls, shown, earlier, self.ui, self.site.dir),
        );
        // Kept for the whole build: only the content, not the buffer Tera rendered into
        // (a few times larger).
        let mut item = self.render_string("partials/report_item.html", &ctx)?;
        item.shrink_to_fit();
        Ok(item)
    }

    fn render_string(&self, template: &str, ctx: &Context) -> Result<String, RenderError> {
        self.theme
            .tera
            .render(template, ctx)
            .map_err(|e| RenderError::Template(describe_tera_error(&e)))
    }
}

/// The languages pages are in, as (language tag, interface) pairs: the site's, then those of
/// pages of `content/pages/` and of reports written in another, in the order first met.
fn page_languages(archive: &Archive, site: &SiteInfo) -> Vec<(String, Ui)> {
    let site_ui = site.ui();
    let mut langs = vec![(site.lang.clone(), site_ui)];
    let written = archive.pages.iter().map(|p| &p.lang);
    for lang in written.chain(archive.reports.iter().map(|r| &r.lang)) {
        if !langs.iter().any(|(l, _)| l == lang) {
            langs.push((lang.clone(), lang_ui(lang, site_ui)));
        }
    }
    langs
}

/// The interface of a report's page: its language's, or the site's when there is none.
pub(super) fn page_ui(report: &Report, site_ui: Ui) -> Ui {
    lang_ui(&report.lang, site_ui)
}

/// The interface of a page in `lang`: that language's, or the site's when there is none.
pub(super) fn lang_ui(lang: &str, site_ui: Ui) -> Ui {
    Ui::for_lang(lang).unwrap_or(site_ui)
}

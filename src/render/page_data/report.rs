//! A report's page.

use tera::Context;

use crate::content::report::iso_date;
use crate::render::Urls;
use crate::render::cache::page_ui;
use crate::render::i18n::{Ui, language_name};
use crate::render::markdown;
use crate::render::renderer::Renderer;
use crate::render::views::{self, Link};

impl Renderer<'_> {
    /// The report `index`, in its own language (interface and header too, when the site
    /// has them in it).
    pub(super) fn report(&self, index: u32) -> Context {
        let (a, c) = (self.archive, &self.cache);
        let r = &a.reports[index as usize];
        let page_ui = page_ui(r, c.ui);
        let report_href = |id: &str| {
            a.report_index(id)
                .map(|_| c.urls.href_from_report(&Urls::report(id)))
        };
        let body = markdown::to_html(
            r.body(),
            &markdown::Destinations {
                file: &r.file,
                links: &r.links,
                report_href: &report_href,
                files: &a.local_files,
                base_path: &c.urls.base_path,
            },
        );
        let mut view = views::report_view(&c.urls, &c.links, a, r, body, &c.site, page_ui);
        view.prev_next = self.prev_next(index, page_ui);
        self.accounts(&mut view, index, page_ui);
        let mut ctx = self.base_context(&r.title);
        ctx.insert("lang", &view.lang);
        ctx.insert("dir", view.dir);
        if page_ui != c.ui {
            ctx.insert("t", &page_ui.strings());
        }
        // The site as a report page sees it: `site.base` is where its links start.
        ctx.insert_value("site", c.report_site.clone());
        c.insert_chrome(&mut ctx, &r.lang, page_ui, true);
        ctx.insert("report", &view);
        ctx
    }

    /// What format v2 links a report page to: the current account when this one was
    /// superseded, the incident's history, the same report in other languages.
    fn accounts(&self, view: &mut views::ReportView, index: u32, ui: Ui) {
        let a = self.archive;
        let r = &a.reports[index as usize];
        let account = a.account(index);
        let original = account.translation_of.unwrap_or(index);
        let current = a.current(index);
        if current != original {
            let shown = &a.reports[a.in_language(current, &r.lang) as usize];
            view.superseded_by = Some(Link {
                name: shown.title.clone(),
                href: self.href(&Urls::report(&shown.id)),
            });
        }
        // Only the current account's page (and its translations') shows the history.
        if current == original && a.account(current).position > 0 {
            view.history = a
                .history(index)
                .iter()
                .map(|&i| {
                    // The account's own date, source and counts; its title and link in
                    // the page's language when it has a translation in it.
                    let account = &a.reports[i as usize];
                    let shown = &a.reports[a.in_language(i, &r.lang) as usize];
                    views::HistoryRow {
                        date: iso_date(account.date),
                        date_label: ui.date(account.date),
                        title: shown.title.clone(),
                        href: (shown.id != r.id).then(|| self.href(&Urls::report(&shown.id))),
                        lang: shown.lang.clone(),
                        source: account.source.as_ref().and_then(|s| s.name.clone()),
                        casualties: ui.casualties(&account.casualties),
                        current: i == current,
                    }
                })
                .collect();
        }
        if let Some(o) = account.translation_of {
            let o = &a.reports[o as usize];
            view.translation_of = Some(Link {
                name: o.title.clone(),
                href: self.href(&Urls::report(&o.id)),
            });
        }
        let versions =
            std::iter::once(original).chain(a.account(original).translations.iter().copied());
        view.alternates = versions
            .filter(|&v| v != index)
            .map(|v| {
                let v = &a.reports[v as usize];
                views::Alternate {
                    lang: v.lang.clone(),
                    name: language_name(&v.lang),
                    href: self.cache.urls.absolute(&Urls::report(&v.id)),
                }
            })
            .collect();
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
                href: self.cache.urls.href_from_report(&Urls::report(&o.id)),
            });
        }
        if let Some(&newer) = pos.checked_sub(1).and_then(|p| node.reports.get(p)) {
            let n = &a.reports[newer as usize];
            links.push(Link {
                name: format!("{} {}", ui.get("next_in"), node.name),
                href: self.cache.urls.href_from_report(&Urls::report(&n.id)),
            });
        }
        links
    }
}

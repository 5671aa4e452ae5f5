//! A report's page.

use tera::Context;

use crate::render::Urls;
use crate::render::cache::page_ui;
use crate::render::i18n::Ui;
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
        let body = markdown::to_html(r.body(), &r.links, |id| {
            a.report_index(id)
                .map(|_| c.urls.href_from_report(&Urls::report(id)))
        });
        let mut view = views::report_view(&c.urls, &c.links, a, r, body, &c.site.title, page_ui);
        view.prev_next = self.prev_next(index, page_ui);
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

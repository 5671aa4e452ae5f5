//! A page of `content/pages/` (about, methodology, contact): its title and body, in its
//! own language, linked to its other versions.

use tera::Context;

use crate::content::report::is_rtl;
use crate::render::Urls;
use crate::render::cache::lang_ui;
use crate::render::i18n::language_name;
use crate::render::markdown;
use crate::render::renderer::Renderer;
use crate::render::views::{Alternate, Link};

/// What `page.html` shows of a page.
#[derive(Debug, serde::Serialize)]
struct PageView {
    title: String,
    /// Rendered, sanitized body.
    body: String,
    /// Of a translation, its original.
    translation_of: Option<Link>,
    /// The page in other languages.
    alternates: Vec<Alternate>,
}

impl Renderer<'_> {
    /// Page `index` of `content/pages/`, with the interface of its language when the site
    /// has it.
    pub(super) fn site_page(&self, index: usize) -> Context {
        let (a, c) = (self.archive, &self.cache);
        let p = &a.pages[index];
        let ui = lang_ui(&p.lang, c.ui);
        let report_href = |id: &str| a.report_index(id).map(|_| c.urls.href(&Urls::report(id)));
        let body = markdown::to_html(
            &p.body,
            &markdown::Destinations {
                file: &p.file,
                links: &p.links,
                report_href: &report_href,
                files: &a.local_files,
                base_path: &c.urls.base_path,
            },
        );
        let versions = a.page_versions(index);
        let view = PageView {
            title: p.title.clone(),
            body,
            translation_of: p.translation_of.as_ref().map(|_| Link {
                name: versions[0].title.clone(),
                href: c.urls.href(&versions[0].rel()),
            }),
            alternates: versions
                .iter()
                .filter(|v| v.slug != p.slug)
                .map(|v| Alternate {
                    lang: v.lang.clone(),
                    name: language_name(&v.lang),
                    href: c.urls.absolute(&v.rel()),
                })
                .collect(),
        };
        let mut ctx = self.base_context(&p.title);
        ctx.insert("lang", &p.lang);
        ctx.insert("dir", if is_rtl(&p.lang) { "rtl" } else { "ltr" });
        ctx.insert("description", &p.description);
        if ui != c.ui {
            ctx.insert("t", &ui.strings());
        }
        c.insert_chrome(&mut ctx, &p.lang, ui, false);
        ctx.insert("page", &view);
        ctx
    }
}

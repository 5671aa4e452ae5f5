//! The home page.

use tera::Context;

use crate::render::renderer::Renderer;

/// Reports on the home page.
const LATEST: usize = 20;

impl Renderer<'_> {
    /// The latest reports, the top places and the years.
    pub(super) fn home(&self) -> Context {
        let (a, c) = (self.archive, &self.cache);
        let mut ctx = self.base_context(&c.site.title);
        let latest: Vec<&str> = c.items.iter().take(LATEST).map(String::as_str).collect();
        ctx.insert("items", &latest);
        ctx.insert("places", &self.place_rows(&a.places.roots));
        ctx.insert("years", &self.years());
        ctx.insert("report_count", &a.reports.len());
        ctx.insert("feed", &self.href("feed.xml"));
        ctx.insert("description", &c.site.description);
        ctx
    }
}

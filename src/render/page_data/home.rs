//! The home page.

use tera::Context;

use crate::render::numbers::grouped;
use crate::render::renderer::Renderer;

/// Reports on the home page.
const LATEST: usize = 20;

impl Renderer<'_> {
    /// The latest reports, the top places and the years.
    pub(super) fn home(&self) -> Context {
        let (a, c) = (self.archive, &self.cache);
        let mut ctx = self.base_context(&c.site.title);
        // One entry per incident: the listed reports (the others have no item).
        let latest: Vec<&str> = (0..a.reports.len())
            .filter(|&i| a.accounts.is_listed(i))
            .take(LATEST)
            .map(|i| c.items[i].as_str())
            .collect();
        ctx.insert("items", &latest);
        ctx.insert("places", &self.place_rows(&a.places.roots));
        ctx.insert("years", &self.years());
        let [place_notes, year_notes] = self.home_notes();
        ctx.insert("place_notes", &place_notes);
        ctx.insert("year_notes", &year_notes);
        ctx.insert(
            "archive_count",
            &c.ui
                .get("archive_count")
                .replace("{reports}", &c.ui.reports(a.reports.len())),
        );
        // Listings hold one entry per incident (format v2): say how many, when fewer.
        let entries = (0..a.reports.len())
            .filter(|&i| a.accounts.is_listed(i))
            .count();
        let entries = (entries != a.reports.len()).then(|| {
            c.ui.get("entry_count")
                .replace("{n}", &grouped(entries as u64))
        });
        ctx.insert("entry_count", &entries);
        ctx.insert("feed", &self.href("feed.xml"));
        ctx.insert("description", &c.site.description);
        ctx
    }
}

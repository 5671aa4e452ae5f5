//! The [`Renderer`]: every page of one archive, rendered in parallel into a sink from a
//! [`RenderCache`]. Each report's list item is rendered once and reused by every listing
//! that shows it.

use std::io;

use rayon::prelude::*;

use super::pages::{Page, page_file, site_pages};
use super::{RenderCache, RenderError, SiteInfo, Theme, Urls, describe_tera_error};
use crate::archive::{Archive, Patch};

/// Renders pages of one archive with one theme.
pub struct Renderer<'a> {
    pub(super) archive: &'a Archive,
    pub(super) cache: RenderCache,
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
        theme: Theme,
        urls: Urls,
        site: SiteInfo,
        reuse: impl Fn(&crate::content::Report) -> Option<String> + Sync,
    ) -> Result<Self, RenderError> {
        let cache = RenderCache::new(archive, theme, urls, site, reuse)?;
        Ok(Renderer { archive, cache })
    }

    /// A renderer of `archive` as [`Archive::patch`] left it, from the cache of the
    /// renderer of the archive before the patch (see [`RenderCache::patched`]).
    pub fn patched(
        archive: &'a Archive,
        cache: RenderCache,
        patch: &Patch,
    ) -> Result<Self, RenderError> {
        let cache = cache.patched(archive, patch)?;
        Ok(Renderer { archive, cache })
    }

    /// The archive being rendered.
    pub fn archive(&self) -> &'a Archive {
        self.archive
    }

    /// The site's URLs.
    pub fn urls(&self) -> &Urls {
        &self.cache.urls
    }

    /// What the renderer holds besides the archive, to render a patched archive with.
    pub fn into_cache(self) -> RenderCache {
        self.cache
    }

    /// Every page of the site, in a stable order.
    pub fn pages(&self) -> Vec<Page> {
        site_pages(self.archive, self.cache.site.paging())
    }

    /// Renders every page into `sink(path, html)`, in parallel. Returns the number of pages.
    pub fn render_all(
        &self,
        sink: &(dyn Fn(&str, &[u8]) -> io::Result<()> + Sync),
    ) -> Result<usize, RenderError> {
        self.render_pages(&self.pages(), sink)
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

    /// Renders one page into `out`; returns its file (`places/syria/index.html`).
    pub fn render_page(&self, page: Page, out: &mut Vec<u8>) -> Result<String, RenderError> {
        let (template, ctx) = self.page_data(page);
        self.cache
            .theme
            .tera
            .render_to(template, &ctx, &mut *out)
            .map_err(|e| RenderError::Template(describe_tera_error(&e)))?;
        Ok(page_file(self.archive, page))
    }
}

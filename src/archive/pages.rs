//! How the pages of `content/pages/` stand to each other: an original and its translations.

use super::Archive;
use crate::content::SitePage;

impl Archive {
    /// The page with `slug`.
    pub fn page(&self, slug: &str) -> Option<usize> {
        self.pages.iter().position(|p| p.slug == slug)
    }

    /// Every version of page `index`: its original first, then the original's
    /// translations, in page order.
    pub fn page_versions(&self, index: usize) -> Vec<&SitePage> {
        let original = self.pages[index]
            .translation_of
            .as_deref()
            .and_then(|slug| self.page(slug))
            .unwrap_or(index);
        let slug = &self.pages[original].slug;
        std::iter::once(self.pages[original].as_ref())
            .chain(
                self.pages
                    .iter()
                    .filter(|p| p.translation_of.as_ref() == Some(slug))
                    .map(AsRef::as_ref),
            )
            .collect()
    }

    /// The pages the footer of pages in `lang` links: each original, or its translation
    /// into `lang` when there is one, in page order.
    pub fn footer_pages(&self, lang: &str) -> Vec<&SitePage> {
        (0..self.pages.len())
            .filter(|&i| self.pages[i].translation_of.is_none())
            .map(|i| {
                let versions = self.page_versions(i);
                let original = versions[0];
                versions
                    .into_iter()
                    .find(|v| v.lang == lang)
                    .unwrap_or(original)
            })
            .collect()
    }
}

//! The export jobs: the files made from the whole archive rather than from one page (data,
//! CSV, GeoJSON, the data package, the sitemap, `robots.txt`, feeds, the search index). One list, written by
//! `build` and by the preview after each rebuild, so the two cannot drift apart.

use super::error::OutputError;
use super::feeds::Feeds;
use super::recording::Recording;
use super::writer::SiteWriter;
use super::{datapackage, exports, search, sitemap};
use crate::archive::Archive;
use crate::config::SiteConfig;
use crate::render::i18n::Ui;
use crate::render::{self, Urls};

/// What the exports are made from.
#[derive(Debug, Clone, Copy)]
pub struct ExportJobs<'a> {
    /// The site's settings: its title and language (feeds, search), pages per list page
    /// (the sitemap lists every page).
    pub config: &'a SiteConfig,
    /// The whole archive.
    pub archive: &'a Archive,
    /// The site's URLs, for the absolute links of the sitemap, feeds and exports.
    pub urls: &'a Urls,
}

/// The exports written by [`ExportJobs::write`].
#[derive(Debug)]
pub struct ExportsWritten {
    /// How many files, for the build's summary.
    pub count: usize,
    /// Their paths, sorted: the preview removes those a newer build no longer writes.
    pub files: Vec<String>,
}

impl ExportJobs<'_> {
    /// Writes every export through `writer`, side by side (they are independent).
    /// `statics` are the site's own files of `static/` copied (sorted): one of them may
    /// replace an export ([`writes_robots`]).
    pub fn write(
        &self,
        statics: &[String],
        writer: &SiteWriter,
    ) -> Result<ExportsWritten, OutputError> {
        let (archive, urls, config) = (self.archive, self.urls, self.config);
        let recording = Recording::new(writer);
        let out = &recording;
        let license = config.rights.as_ref();
        let feeds = Feeds::new(archive, urls, &config.title, &config.language, license);
        let ui = Ui::for_lang(&config.language).unwrap_or(Ui::En);
        let by_id = archive.reports_by_id();
        let ((data, tables), (feed_files, search)) = rayon::join(
            || {
                rayon::join(
                    || super::write_data(archive, &by_id, out),
                    || {
                        let pages =
                            render::pages::site_pages(archive, render::pages::Paging::of(config));
                        let files: Vec<String> = pages
                            .into_iter()
                            .map(|p| render::pages::page_file(archive, p))
                            .collect();
                        let csv = exports::write_csv(archive, &by_id, urls, out)?;
                        let mut written = 1
                            + search::write_row_index(archive, &by_id, &csv, out)?
                            + exports::write_geojson(archive, &by_id, urls, license, out)?
                            + datapackage::write_datapackage(config, urls, out)?
                            + sitemap::write_sitemap(
                                urls,
                                &files,
                                &sitemap::alternates(archive),
                                out,
                            )?;
                        if writes_robots(statics) {
                            written += sitemap::write_robots(urls, out)?;
                        }
                        Ok::<_, OutputError>(written)
                    },
                )
            },
            || {
                rayon::join(
                    || feeds.write(out),
                    || search::write_index(archive, ui, out),
                )
            },
        );
        let count = data? + tables? + feed_files? + search?;
        let files = recording.into_written();
        Ok(ExportsWritten { count, files })
    }
}

/// Whether sijill writes `robots.txt`: a site's own `static/robots.txt` replaces the one
/// sijill would write (`statics` sorted).
pub fn writes_robots(statics: &[String]) -> bool {
    statics
        .binary_search_by(|s| s.as_str().cmp("robots.txt"))
        .is_err()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sites_own_robots_txt_replaces_sijills() {
        let statics = |names: &[&str]| {
            names
                .iter()
                .map(std::string::ToString::to_string)
                .collect::<Vec<_>>()
        };
        assert!(writes_robots(&statics(&[])));
        assert!(writes_robots(&statics(&["about/robots.txt", "style.css"])));
        assert!(!writes_robots(&statics(&[
            "favicon.ico",
            "robots.txt",
            "style.css"
        ])));
    }
}

//! `site.yaml`: the few settings of an archive. Every key is optional.

use std::path::Path;

use serde::Deserialize;

use crate::content::diagnostics::Diagnostic;
use crate::content::yaml;
use crate::license::{License, LicenseKeys};
use crate::render::urls::check_base_url;

/// The site settings file, relative to the root.
pub const CONFIG_FILE: &str = "site.yaml";

/// Settings of one archive.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// Name of the archive, shown in every page header and title.
    pub title: String,
    /// One sentence on what the archive holds; the home page and `<meta name="description">`.
    pub description: String,
    /// Where the site is published, e.g. `https://org.github.io/archive/`. Links are made
    /// from its path, so the site works under a sub-path. Default `/` (a domain root).
    /// Checked by [`check_base_url`]: pages load their scripts and styles from it.
    pub base_url: String,
    /// Language of the interface and of reports that do not give `lang` (BCP-47).
    pub language: String,
    /// Reports on each page of a listing (a place, a date, a term). Default 100.
    pub per_page: usize,
    /// Pages of a listing, at most; a longer listing's last page leads to the search for
    /// the rest. Default 10.
    pub max_pages: usize,
    /// SPDX id of the licence of the reports and data (`CC-BY-4.0`), or `LicenseRef-…`
    /// for terms of the archive's own. None: nothing is claimed.
    pub license: Option<String>,
    /// Where the terms of a `LicenseRef-…` licence are.
    pub license_url: Option<String>,
    /// What the footer calls a `LicenseRef-…` licence.
    pub license_name: Option<String>,
    /// How to credit the archive, one line (needs `license`).
    pub attribution: Option<String>,
    /// The licence the four keys above state, checked by [`SiteConfig::load`].
    #[serde(skip)]
    pub rights: Option<License>,
}

/// The default of `per_page`: a place or a year lists thousands of reports, and every page
/// carries the site's header. A hundred short items make a page of about 18 KB.
pub const DEFAULT_PER_PAGE: usize = 100;

/// The most reports `per_page` may ask for.
pub const MAX_PER_PAGE: usize = 1000;

/// The default of `max_pages`: a listing shows its newest thousand reports (at the
/// default `per_page`); Syria, a year or an incident type of a large archive leads to the
/// search, the places within and the days for the rest. Their further pages repeated what
/// those hold, 134 MB of a 100,000-report site.
pub const DEFAULT_MAX_PAGES: usize = 10;

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Incident archive".into(),
            description: "A record of documented incidents.".into(),
            base_url: "/".into(),
            language: "en".into(),
            per_page: DEFAULT_PER_PAGE,
            max_pages: DEFAULT_MAX_PAGES,
            license: None,
            license_url: None,
            license_name: None,
            attribution: None,
            rights: None,
        }
    }
}

impl SiteConfig {
    /// Reads `root/site.yaml`, or the defaults when there is none. A symbolic link in its
    /// place is refused, not followed, as under `content/`: its target's text would reach
    /// the error messages (`sijill diff` reads pull requests' files in a trusted workflow).
    pub fn load(root: &Path) -> Result<SiteConfig, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Diagnostic::error(
                CONFIG_FILE,
                (0, 0),
                "symlink",
                "site.yaml is a symbolic link, which is not followed",
            )
            .with_help("replace the link with the file itself"));
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            if path.exists() {
                return Err(Diagnostic::error(
                    CONFIG_FILE,
                    (0, 0),
                    "unreadable",
                    "cannot read site.yaml as UTF-8 text",
                ));
            }
            return Ok(SiteConfig::default());
        };
        if text.trim().is_empty() {
            return Ok(SiteConfig::default());
        }
        let mut config = yaml::from_str::<SiteConfig>(&text).map_err(|e| {
            let pos = e
                .position
                .or_else(|| yaml::Locator::new(&text).nearest(&e.path))
                .unwrap_or((1, 1));
            Diagnostic::error(CONFIG_FILE, pos, "site-config", e.message).with_help(
                "site.yaml takes title, description, base_url, language, per_page, max_pages, \
                 license, license_url, license_name and attribution (see README)",
            )
        })?;
        if !(1..=MAX_PER_PAGE).contains(&config.per_page) {
            let pos = yaml::Locator::new(&text)
                .nearest("per_page")
                .unwrap_or((1, 1));
            return Err(Diagnostic::error(
                CONFIG_FILE,
                pos,
                "site-config",
                format!(
                    "`per_page` is {}, not between 1 and {MAX_PER_PAGE}",
                    config.per_page
                ),
            )
            .with_help(format!("the default is {DEFAULT_PER_PAGE} reports a page")));
        }
        if config.max_pages == 0 {
            let pos = yaml::Locator::new(&text)
                .nearest("max_pages")
                .unwrap_or((1, 1));
            return Err(Diagnostic::error(
                CONFIG_FILE,
                pos,
                "site-config",
                "`max_pages` is 0; a listing has at least one page",
            )
            .with_help(format!(
                "the default is {DEFAULT_MAX_PAGES} pages; a large number lists every report"
            )));
        }
        if let Err(e) = check_base_url(&config.base_url) {
            let pos = yaml::Locator::new(&text)
                .nearest("base_url")
                .unwrap_or((1, 1));
            return Err(
                Diagnostic::error(CONFIG_FILE, pos, "site-config", e.to_string())
                    .with_help(e.help()),
            );
        }
        config.rights = License::from_keys(LicenseKeys {
            license: config.license.as_deref(),
            license_url: config.license_url.as_deref(),
            license_name: config.license_name.as_deref(),
            attribution: config.attribution.as_deref(),
        })
        .map_err(|e| {
            let pos = yaml::Locator::new(&text).nearest(e.key()).unwrap_or((1, 1));
            Diagnostic::error(CONFIG_FILE, pos, "site-license", e.to_string()).with_help(e.help())
        })?;
        Ok(config)
    }
}

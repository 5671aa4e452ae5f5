//! Every URL of the site, in one place. Pages are linked by their path from the site root
//! prefixed with the base URL's path (`/archive/places/syria/`), so links work under a
//! sub-path and at a domain root, and a fragment rendered once works on every page.

use chrono::{Datelike, NaiveDate};

use crate::archive::TaxonomyKind;
use crate::content::limits::PAGINATION_SEGMENT;

/// Site-relative page paths (`reports/x/`), as used in `data/*.json`, and their links.
#[derive(Debug, Clone)]
pub struct Urls {
    /// The base URL as configured, with a trailing `/`.
    pub base_url: String,
    /// Its path, with leading and trailing `/` (`/archive/`, or `/`).
    pub base_path: String,
}

impl Urls {
    /// Splits a base URL (`https://org.github.io/archive`, `/archive/`, or `/`).
    pub fn new(base_url: &str) -> Urls {
        let mut base_url = base_url.trim().to_string();
        if !base_url.ends_with('/') {
            base_url.push('/');
        }
        let path = match base_url.find("://") {
            Some(i) => {
                let after = &base_url[i + 3..];
                after.find('/').map_or("/", |j| &after[j..])
            }
            None => base_url.as_str(),
        };
        let mut base_path = path.to_string();
        if !base_path.starts_with('/') {
            base_path.insert(0, '/');
        }
        Urls {
            base_url,
            base_path,
        }
    }

    /// The link to a site-relative path.
    pub fn href(&self, rel: &str) -> String {
        [&self.base_path, rel].concat()
    }

    /// True when the base URL has a scheme and host, so that absolute URLs can be made.
    pub fn is_absolute(&self) -> bool {
        self.base_url.contains("://")
    }

    /// The absolute URL of a site-relative path (feeds, sitemaps, citations); the
    /// root-relative link when the base URL has no host.
    pub fn absolute(&self, rel: &str) -> String {
        if self.is_absolute() {
            [&self.base_url, rel].concat()
        } else {
            self.href(rel)
        }
    }

    /// `reports/<id>/`
    pub fn report(id: &str) -> String {
        ["reports/", id, "/"].concat()
    }

    /// `places/<slug path>/`
    pub fn place(slug_path: &str) -> String {
        ["places/", slug_path, "/"].concat()
    }

    /// `dates/YYYY/`
    pub fn year(y: i32) -> String {
        format!("dates/{y:04}/")
    }

    /// `dates/YYYY/MM/`
    pub fn month(y: i32, m: u32) -> String {
        format!("dates/{y:04}/{m:02}/")
    }

    /// `dates/YYYY/MM/DD/`
    pub fn day(d: NaiveDate) -> String {
        format!("dates/{:04}/{:02}/{:02}/", d.year(), d.month(), d.day())
    }

    /// `types/<slug>/`, `perpetrators/<slug>/`, `tags/<slug>/`
    pub fn term(kind: TaxonomyKind, slug: &str) -> String {
        [kind.folder(), "/", slug, "/"].concat()
    }

    /// Page `n` (1-based) of a paginated listing at `rel`: `rel` itself, then `rel/page/n/`.
    pub fn page(rel: &str, n: usize) -> String {
        if n <= 1 {
            rel.to_string()
        } else {
            format!("{rel}{PAGINATION_SEGMENT}/{n}/")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(
            Urls::new("https://org.github.io/archive").base_path,
            "/archive/"
        );
        assert_eq!(Urls::new("https://example.org").base_path, "/");
        assert_eq!(Urls::new("/").base_path, "/");
        assert_eq!(Urls::new("sub/").base_path, "/sub/");
        let u = Urls::new("https://example.org/sub/path/");
        assert_eq!(u.href(&Urls::place("syria")), "/sub/path/places/syria/");
        assert_eq!(Urls::page("places/syria/", 2), "places/syria/page/2/");
    }
}

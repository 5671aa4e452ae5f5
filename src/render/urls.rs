//! Every URL of the site, in one place. Pages are linked by their path from the site root
//! prefixed with the base URL's path (`/archive/places/syria/`), so links work under a
//! sub-path and at a domain root, and a fragment rendered once works on every page.

use chrono::{Datelike, NaiveDate};

use crate::archive::TaxonomyKind;
use crate::content::limits::PAGINATION_SEGMENT;

/// Why a base URL is refused. Every page loads its style sheet and scripts from the base
/// URL, so a value a browser reads as another host (`//evil.example/`, `/\evil.example/`,
/// `https://x@evil.example/`) would hand every page to that host.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlError {
    /// Neither a path nor an http(s) URL.
    #[error("`{0}` is neither a path starting with `/` nor an http:// or https:// URL")]
    NotAPathOrUrl(String),
    /// Starts with `//`, which browsers read as a host.
    #[error("`{0}` starts with `//`, which a browser reads as another host")]
    ProtocolRelative(String),
    /// User information before the host (`user@host`).
    #[error("`{0}` has user information (`@`) before its host")]
    UserInfo(String),
    /// No host, or a host with characters hosts do not have.
    #[error("`{0}` has no valid host (letters, digits, `-` and `.`, or an [IPv6] address)")]
    Host(String),
    /// A port that is not a number from 1 to 65535.
    #[error("`{0}` has a port that is not a number from 1 to 65535")]
    Port(String),
    /// A character no base URL path may hold.
    #[error("`{url}` holds {}, which a base URL may not hold", describe(*.character))]
    Character {
        /// The whole value.
        url: String,
        /// The character refused.
        character: char,
    },
    /// An empty (`//`) or dot (`.`, `..`) segment in the path.
    #[error("`{0}` has an empty, `.` or `..` segment in its path")]
    Segment(String),
}

impl BaseUrlError {
    /// What to write instead: a host and path without a scheme
    /// (`org.github.io/archive/`, which a browser would read as a folder of the current
    /// site) is the `https://` URL it was meant to be; otherwise the forms a base URL has.
    pub fn help(&self) -> String {
        if let BaseUrlError::NotAPathOrUrl(url) = self
            && let Some(meant) = with_scheme(url)
        {
            return format!("did you mean {meant}?");
        }
        BASE_URL_FORMS.to_string()
    }
}

/// `url` with `https://` in front, when that makes a valid base URL whose host has a dot
/// (`org.github.io/archive/` → `https://org.github.io/archive/`).
fn with_scheme(url: &str) -> Option<String> {
    let url = url.trim();
    let host = url.split(['/', ':']).next()?;
    if url.contains("://") || !host.contains('.') {
        return None;
    }
    let mut meant = format!("https://{url}");
    if !meant.ends_with('/') {
        meant.push('/');
    }
    check_base_url(&meant).is_ok().then_some(meant)
}

/// Why citations, feeds and the sitemap of a site published at `base_url` cannot carry
/// absolute URLs, and what to do; `None` when they can. A base URL without a host (`/`,
/// `/archive/`) makes them root-relative: a reader who copies a citation gets
/// `/reports/x/`, which leads nowhere outside the site.
pub fn relative_base_warning(base_url: &str) -> Option<String> {
    if Urls::new(base_url).is_absolute() {
        return None;
    }
    Some(format!(
        "the base URL `{}` has no host: citations, feeds and the sitemap will carry \
         root-relative URLs (/reports/<id>/) instead of absolute ones; set `base_url` in \
         site.yaml to the URL the site is published at (e.g. https://org.github.io/archive/), \
         or build with --base-url",
        base_url.trim()
    ))
}

/// What a base URL may be, for help texts.
pub const BASE_URL_FORMS: &str = "a base URL is a path such as `/` or `/archive/`, or an http:// or https:// URL with a host, such as `https://org.github.io/archive/`";

/// A refused character, named so that an invisible one shows.
fn describe(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("the character U+{:04X}", u32::from(c))
    } else {
        format!("`{c}`")
    }
}

/// A character a path segment of a base URL may hold: RFC 3986's unreserved characters,
/// percent signs, the sub-delimiters but the quote, `:` and `@`, and letters and digits
/// of any script. Never `/`, `\`, `?`, `#`, quotes, spaces or control characters.
fn is_path_character(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || "-._~%!$&()*+,;=:@".contains(c)
        || (!c.is_ascii() && c.is_alphanumeric())
}

/// Checks the path of a base URL (`/`, `/archive/`; empty after a host): it starts with a
/// single `/`, and its segments are non-empty, not `.` or `..`, and of path characters.
fn check_path(url: &str, path: &str) -> Result<(), BaseUrlError> {
    if path.is_empty() {
        return Ok(());
    }
    let Some(rest) = path.strip_prefix('/') else {
        return Err(BaseUrlError::NotAPathOrUrl(url.to_string()));
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    if rest.is_empty() {
        return Ok(());
    }
    for segment in rest.split('/') {
        if let Some(character) = segment.chars().find(|&c| !is_path_character(c)) {
            return Err(BaseUrlError::Character {
                url: url.to_string(),
                character,
            });
        }
        if matches!(segment, "" | "." | "..") {
            return Err(BaseUrlError::Segment(url.to_string()));
        }
    }
    Ok(())
}

/// Checks a host: DNS labels of ASCII letters, digits and `-`, or an IPv6 address in
/// brackets.
fn is_host(host: &str) -> bool {
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return !v6.is_empty()
            && v6
                .chars()
                .all(|c| c.is_ascii_hexdigit() || ":.".contains(c));
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    !host.is_empty()
        && host.split('.').all(|label| {
            (1..=63).contains(&label.len())
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// Checks a base URL (`site.yaml`'s `base_url`, `--base-url`): either a path starting with
/// a single `/` (`/`, `/archive/`), or an `http://` or `https://` URL with a host, an
/// optional port and such a path (`https://org.github.io/archive`). Surrounding
/// whitespace is ignored, as [`Urls::new`] ignores it.
pub fn check_base_url(base_url: &str) -> Result<(), BaseUrlError> {
    let url = base_url.trim();
    let owned = || url.to_string();
    if let Some(character) = url
        .chars()
        .find(|&c| c.is_control() || c.is_whitespace() || "\\?#\"'<>`".contains(c))
    {
        return Err(BaseUrlError::Character {
            url: owned(),
            character,
        });
    }
    if url.starts_with("//") {
        return Err(BaseUrlError::ProtocolRelative(owned()));
    }
    if url.starts_with('/') {
        return check_path(url, url);
    }
    let scheme_end = url
        .find("://")
        .ok_or_else(|| BaseUrlError::NotAPathOrUrl(owned()))?;
    if !["http", "https"]
        .iter()
        .any(|s| url[..scheme_end].eq_ignore_ascii_case(s))
    {
        return Err(BaseUrlError::NotAPathOrUrl(owned()));
    }
    let after = &url[scheme_end + 3..];
    let (authority, path) = after.split_at(after.find('/').unwrap_or(after.len()));
    if authority.contains('@') {
        return Err(BaseUrlError::UserInfo(owned()));
    }
    // The port follows the last `:` outside an IPv6 address's brackets.
    let (host, port) = match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => (&authority[..i], Some(&authority[i + 1..])),
        _ => (authority, None),
    };
    if !is_host(host) {
        return Err(BaseUrlError::Host(owned()));
    }
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.chars().all(|c| c.is_ascii_digit())
            && port.parse::<u32>().is_ok_and(|p| (1..=65535).contains(&p));
        if !valid {
            return Err(BaseUrlError::Port(owned()));
        }
    }
    if path.starts_with("//") {
        return Err(BaseUrlError::Segment(owned()));
    }
    check_path(url, path)
}

/// The site's root seen from a report page, `reports/<id>/`.
const REPORT_PAGE_BASE: &str = "../../";

/// Site-relative page paths (`reports/x/`), as used in `data/*.json`, and their links.
#[derive(Debug, Clone)]
pub struct Urls {
    /// The base URL as configured, with a trailing `/`.
    pub base_url: String,
    /// Its path, with leading and trailing `/` (`/archive/`, or `/`).
    pub base_path: String,
}

impl Urls {
    /// Splits a base URL (`https://org.github.io/archive`, `/archive/`, or `/`), which
    /// [`check_base_url`] accepted: settings and the command line check theirs first.
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

    /// What links on a report page start with: `../../` (a report page is two folders
    /// down, `reports/<id>/`) when that is shorter than the base path, as under a project
    /// sub-path (`/archive/`), else the base path. Report pages are the one kind of page
    /// all at one depth, and half of a site's bytes; a fragment shown on pages of several
    /// depths (a list item, the header of other pages) keeps root-relative links.
    pub fn report_page_base(&self) -> &str {
        if self.base_path.len() > REPORT_PAGE_BASE.len() {
            REPORT_PAGE_BASE
        } else {
            &self.base_path
        }
    }

    /// The link from a report page to a site-relative path: another report is `../<id>/`,
    /// anything else is under [`Urls::report_page_base`].
    pub fn href_from_report(&self, rel: &str) -> String {
        match rel.strip_prefix("reports/") {
            Some(report) => ["../", report].concat(),
            None => [self.report_page_base(), rel].concat(),
        }
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

    #[test]
    fn report_pages_link_relatively_when_that_is_shorter() {
        let sub = Urls::new("https://org.github.io/archive/");
        assert_eq!(sub.report_page_base(), "../../");
        assert_eq!(sub.href_from_report("places/syria/"), "../../places/syria/");
        assert_eq!(sub.href_from_report("reports/x/"), "../x/");
        let root = Urls::new("/");
        assert_eq!(root.report_page_base(), "/");
        assert_eq!(root.href_from_report("places/syria/"), "/places/syria/");
        assert_eq!(root.href_from_report("reports/x/"), "../x/");
        // Six characters either way: the base path stays.
        assert_eq!(Urls::new("/abcd/").report_page_base(), "/abcd/");
        assert_eq!(Urls::new("/abcde/").report_page_base(), "../../");
    }

    #[test]
    fn base_urls_are_a_path_or_an_http_url_with_a_host() {
        for good in [
            "/",
            "/archive/",
            "/archive",
            "/a/b-c_d.e~f/",
            "/أرشيف/",
            "https://org.github.io/archive",
            "https://org.github.io/archive/",
            "http://example.org",
            "HTTPS://Example.org/",
            "https://example.org:8443/x/",
            "http://127.0.0.1:1111/",
            "http://[::1]:8080/",
            "https://example.org./",
            "  /padded/  ",
        ] {
            assert_eq!(check_base_url(good), Ok(()), "{good}");
        }
        let refused = |url: &str| check_base_url(url).expect_err(url);
        for bad in ["//evil.example/", "//evil.example", "///x/"] {
            assert!(
                matches!(refused(bad), BaseUrlError::ProtocolRelative(_)),
                "{bad}"
            );
        }
        for bad in [
            "",
            "sub/",
            "evil.example/",
            "javascript:alert(1)",
            "ftp://x.org/",
            "data://x",
        ] {
            assert!(
                matches!(refused(bad), BaseUrlError::NotAPathOrUrl(_)),
                "{bad}"
            );
        }
        for bad in [
            "/\\evil.example/",
            "https:\\\\evil.example/",
            "/a?b/",
            "/a#b",
            "/\t/evil.example/",
            "/a\nb/",
            "/a b/",
            "/a\"b/",
            "/a'b/",
            "/a<b/",
            "/\u{202e}/",
        ] {
            assert!(
                matches!(refused(bad), BaseUrlError::Character { .. }),
                "{bad:?}"
            );
        }
        for bad in [
            "/a//b/",
            "/a/../b/",
            "/./",
            "https://x.org//evil.example/",
            "https://x.org/a//",
        ] {
            assert!(matches!(refused(bad), BaseUrlError::Segment(_)), "{bad}");
        }
        assert!(matches!(
            refused("https://x.org@evil.example/"),
            BaseUrlError::UserInfo(_)
        ));
        for bad in [
            "https:///x/",
            "https://",
            "https://-x.org/",
            "https://x_y.org/",
            "https://é.org/",
            "https://[]/",
            "https://a..b/",
        ] {
            assert!(matches!(refused(bad), BaseUrlError::Host(_)), "{bad}");
        }
        for bad in [
            "https://x.org:/",
            "https://x.org:0/",
            "https://x.org:99999/",
            "https://x.org:8a/",
        ] {
            assert!(matches!(refused(bad), BaseUrlError::Port(_)), "{bad}");
        }
        // A host without a scheme is a folder to a browser: the URL it was meant to be.
        assert_eq!(
            refused("org.github.io/archive/").help(),
            "did you mean https://org.github.io/archive/?"
        );
        assert_eq!(
            refused("example.org").help(),
            "did you mean https://example.org/?"
        );
        assert_eq!(refused("sub/").help(), BASE_URL_FORMS);
        assert_eq!(refused("ftp://x.org/").help(), BASE_URL_FORMS);
        // A second `://`, as the issue found: `:` is allowed in a path, `//` never.
        assert!(check_base_url("https://x.org/a/https://evil.example/").is_err());
        assert!(check_base_url("/a/https://evil.example/").is_err());
    }
}

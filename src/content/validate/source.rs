//! Where the information comes from: `source.name`, `source.url`, `source.archive_url`.

use super::checker::Checker;
use crate::content::raw::RawSource;
use crate::content::report::Source;
use crate::content::text::FieldKind;

/// The source as resolved (a name without usable characters is dropped, bad URLs reported).
pub(super) fn source(c: &mut Checker, raw: &Option<RawSource>) -> Option<Source> {
    raw.as_ref().map(|s| Source {
        name: s
            .name
            .as_ref()
            .map(|n| n.trim().to_string())
            .filter(|n| c.characters("source.name", "`source.name`", n, FieldKind::Text))
            .filter(|n| !n.is_empty()),
        url: c.url("source.url", &s.url),
        archive_url: c.url("source.archive_url", &s.archive_url),
    })
}

impl Checker<'_> {
    /// An absolute http(s) URL, trimmed; `None` (reported) otherwise.
    pub(super) fn url(&mut self, path: &str, url: &Option<String>) -> Option<String> {
        let url = url.as_ref()?.trim();
        if !self.characters(path, "the URL", url, FieldKind::Name) {
            None
        } else if is_http_url(url) {
            Some(url.to_string())
        } else {
            self.at_value(
                path,
                "invalid-url",
                format!("`{url}` is not an absolute http(s) URL"),
            )
            .help = Some("write the full address, starting with https://".into());
            None
        }
    }
}

/// `https://host/...` or `http://host/...` with a host and no spaces.
pub fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert!(is_http_url("https://www.syriahr.com/en/78375/"));
        assert!(!is_http_url("www.syriahr.com"));
        assert!(!is_http_url("javascript:alert(1)"));
        assert!(!is_http_url("https:///x"));
    }
}

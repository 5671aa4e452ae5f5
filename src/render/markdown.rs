//! Report bodies: Markdown to HTML. Text is escaped by pulldown-cmark; link and image URLs
//! are limited to safe schemes; raw HTML, when a body has any, goes through ammonia. Links
//! to other reports' files become links to their pages.

use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd, html};

use crate::content::links::{is_report_file_link, markdown_options};
use crate::content::report::ReportLink;

/// Headings in a body start at `h2`: the page's `h1` is the title.
const MIN_HEADING: pulldown_cmark::HeadingLevel = pulldown_cmark::HeadingLevel::H2;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"));
    b
});

/// True for URLs a reader can safely follow: http(s), mailto, or relative.
fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    match lower.find(':') {
        Some(colon) => {
            let scheme = &lower[..colon];
            // A ':' after the first '/', '?' or '#' is not a scheme separator.
            let before_path = lower.find(['/', '?', '#']).is_none_or(|p| p > colon);
            !before_path || matches!(scheme, "http" | "https" | "mailto")
        }
        None => true,
    }
}

/// Renders `body` to safe HTML. `report_href` gives the page of a linked report by id,
/// or `None` when it is not published in this build (the link text stays, unlinked).
pub fn to_html(
    body: &str,
    links: &[ReportLink],
    report_href: impl Fn(&str) -> Option<String>,
) -> String {
    let mut has_raw_html = false;
    let mut dropped_links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(body, markdown_options()).filter_map(|event| match event {
        Event::Html(_) | Event::InlineHtml(_) => {
            has_raw_html = true;
            Some(event)
        }
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: level.max(MIN_HEADING),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => {
            Some(Event::End(TagEnd::Heading(level.max(MIN_HEADING))))
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest: Option<CowStr> = if is_report_file_link(&dest_url) {
                links
                    .iter()
                    .find(|l| l.dest == *dest_url)
                    .and_then(|l| report_href(&l.target))
                    .map(CowStr::from)
            } else if is_safe_url(&dest_url) {
                Some(dest_url)
            } else {
                None
            };
            dropped_links.push(dest.is_none());
            dest.map(|dest_url| {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            })
        }
        Event::End(TagEnd::Link) => {
            if dropped_links.pop().unwrap_or(false) {
                None
            } else {
                Some(event)
            }
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = if is_safe_url(&dest_url)
                && !dest_url.trim().to_ascii_lowercase().starts_with("mailto:")
            {
                dest_url
            } else {
                CowStr::from("")
            };
            Some(Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        other => Some(other),
    });
    let mut out = String::with_capacity(body.len() + body.len() / 4);
    html::push_html(&mut out, events);
    if has_raw_html {
        SANITIZER.clean(&out).to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(md: &str) -> String {
        to_html(md, &[], |_| None)
    }

    #[test]
    fn escapes_and_sanitizes() {
        assert_eq!(render("a <b>&</b>"), "<p>a <b>&amp;</b></p>\n");
        let out = render("x <script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(
            !out.contains("<script") && !out.contains("onerror"),
            "{out}"
        );
        let out = render("[click](javascript:alert(1)) [ok](https://x.org/)");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(out.contains("href=\"https://x.org/\""), "{out}");
    }

    #[test]
    fn headings_start_at_h2() {
        assert_eq!(render("# Title"), "<h2>Title</h2>\n");
    }

    #[test]
    fn rewrites_report_links() {
        let links = vec![ReportLink {
            dest: "../11/b.md".into(),
            target_file: "content/reports/2017/11/b.md".into(),
            target: "b".into(),
            position: (1, 1),
        }];
        let out = to_html("[earlier](../11/b.md)", &links, |id| {
            Some(format!("/reports/{id}/"))
        });
        assert_eq!(out, "<p><a href=\"/reports/b/\">earlier</a></p>\n");
        let out = to_html("[earlier](../11/b.md)", &links, |_| None);
        assert_eq!(out, "<p>earlier</p>\n");
    }
}

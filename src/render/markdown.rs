//! Report bodies: Markdown to HTML. Text is escaped by pulldown-cmark; link and image URLs
//! are limited to safe schemes; raw HTML, when a body has any, goes through ammonia. Links
//! to other reports' files become links to their pages.

use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd, html};

use crate::content::html::{MAX_HTML_ATTRIBUTES, count_attributes};
use crate::content::links::{is_report_file_link, markdown_options};
use crate::content::report::ReportLink;

/// Headings in a body start at `h2`: the page's `h1` is the title.
const MIN_HEADING: pulldown_cmark::HeadingLevel = pulldown_cmark::HeadingLevel::H2;

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        // `<bdo dir=rtl>` is an override in markup: it could show a figure backwards, as
        // U+202E would (refused in bodies by `check`). Its text stays, in reading order.
        .rm_tags(["bdo"]);
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

/// HTML nested deeper than this is not handed to the sanitizer: its HTML parser takes time
/// quadratic in the depth (a 2 MB body of `<div>`s would take an hour). Such a body is
/// rendered with its raw HTML shown as text instead.
pub const MAX_HTML_DEPTH: usize = 256;

/// Renders `body` to safe HTML. `report_href` gives the page of a linked report by id,
/// or `None` when it is not published in this build (the link text stays, unlinked).
pub fn to_html(
    body: &str,
    links: &[ReportLink],
    report_href: impl Fn(&str) -> Option<String>,
) -> String {
    let (out, has_raw_html) = render(body, links, &report_href, false);
    if !has_raw_html {
        out
    } else if too_complex(&out, MAX_HTML_DEPTH, MAX_HTML_ATTRIBUTES) {
        render(body, links, &report_href, true).0
    } else {
        SANITIZER.clean(&out).to_string()
    }
}

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements that a start tag of the same name closes (`<li>a<li>b`).
const SELF_CLOSING_SIBLINGS: &[&str] = &["li", "p", "td", "th", "tr", "dt", "dd", "option"];

/// Formatting elements, which an HTML parser re-opens after an end tag closed them
/// implicitly (`<div><b></div>x`): only their own end tag closes them here.
const FORMATTING: &[&str] = &[
    "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.iter().any(|v| v.eq_ignore_ascii_case(name))
}

/// True when the elements of `html` may nest more than `limit` deep, or a tag has more than
/// `attribute_limit` attributes: the sanitizer's parser is quadratic in both.
/// It errs on the deep side: an end tag closes the elements opened after its own only when
/// none of them is a formatting element (which a parser would re-open), and implied elements
/// aside (`tbody`), the depth an HTML parser reaches is never above the one measured here.
fn too_complex(html: &str, limit: usize, attribute_limit: usize) -> bool {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let closing = rest.starts_with('/');
        let name_start = usize::from(closing);
        let len = rest[name_start..]
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len() - name_start);
        let name = &rest[name_start..name_start + len];
        if name.is_empty() {
            continue;
        }
        if !closing && count_attributes(&rest[len..], attribute_limit + 1) > attribute_limit {
            return true;
        }
        if closing {
            for i in (0..open.len()).rev() {
                if open[i].eq_ignore_ascii_case(name) {
                    open.truncate(i);
                    break;
                }
                if is_one_of(open[i], FORMATTING) {
                    break;
                }
            }
        } else if !is_one_of(name, VOID) {
            let same_as_top = open.last().is_some_and(|t| t.eq_ignore_ascii_case(name));
            if same_as_top && is_one_of(name, SELF_CLOSING_SIBLINGS) {
                open.pop();
            }
            open.push(name);
            if open.len() > limit {
                return true;
            }
        }
    }
    false
}

/// Renders `body` (raw HTML passed through, or shown as text when `raw_as_text`); says
/// whether it met raw HTML.
fn render(
    body: &str,
    links: &[ReportLink],
    report_href: &impl Fn(&str) -> Option<String>,
    raw_as_text: bool,
) -> (String, bool) {
    let mut has_raw_html = false;
    let mut dropped_links: Vec<bool> = Vec::new();
    let events = Parser::new_ext(body, markdown_options()).filter_map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) if raw_as_text => Some(Event::Text(html)),
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
    (out, has_raw_html)
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
    fn deep_html_is_shown_as_text_quickly() {
        for body in [
            format!("x {}", "<div>".repeat(50_000)),
            format!("<div>\n{}", "<div></span>".repeat(50_000)),
            format!("{} <b>x</b>\n", ">".repeat(20_000)),
            format!("<ul>{}", "<li><ul>".repeat(50_000)),
            (0..20_000)
                .map(|i| format!("<div><b id={i}></div>"))
                .collect::<String>(),
        ] {
            let started = std::time::Instant::now();
            let out = render(&body);
            assert!(
                !out.contains("<div") && !out.contains("<b>"),
                "{}",
                &out[..200]
            );
            assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        }
        // Long but shallow HTML is still sanitized, not escaped.
        let rows = "<tr><td>a<td>b</tr>".repeat(2000);
        let out = render(&format!("<table>{rows}</table>\n\n<ul><li>a<li>b</ul>"));
        assert!(
            out.contains("<td>b</td>") && out.contains("<li>b</li>"),
            "{}",
            &out[..300]
        );
        assert!(!too_complex(&"<p>x".repeat(1000), 10, 64));
        assert!(too_complex(&"<div><P>".repeat(100), 10, 64));
        // Formatting elements closed implicitly are re-opened by the parser: counted open.
        assert!(too_complex(&"<div><b id=1></div>".repeat(100), 10, 64));
        assert!(!too_complex(&format!("<p{}>", " a=1".repeat(64)), 10, 64));
        assert!(too_complex(&format!("<p{}>", " a=1".repeat(65)), 10, 64));
    }

    #[test]
    fn a_tag_with_too_many_attributes_is_shown_as_text_quickly() {
        let started = std::time::Instant::now();
        // Distinct names: the parser compares each attribute with those before it.
        let names: String = (0..200_000).map(|i| format!(" a{i}")).collect();
        let body = format!("<p{names}>x</p>");
        let out = render(&body);
        assert!(out.starts_with("&lt;p a0 a1 a2"), "{}", &out[..40]);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
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

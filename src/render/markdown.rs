//! Report bodies: Markdown to HTML. Text is escaped by pulldown-cmark; link and image URLs
//! are limited to safe schemes; raw HTML, when a body has any, goes through ammonia. Then
//! every link and image that leads to the site itself is rewritten ([`rewrite_destinations`]):
//! a link to another report's file becomes a link to its page, a local destination the
//! URL of the file it names under the base path, and one that names nothing published
//! becomes its text (a link's text, an image's alt text), so no page links a missing file.

use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd, html};
use pulldown_cmark_escape::{escape_href, escape_html_body_text};

use crate::FastMap;
use crate::content::LocalFiles;
use crate::content::html::{MAX_HTML_ATTRIBUTES, count_attributes, decode_references, read_tag};
use crate::content::links::{
    is_local, is_report_file_link, markdown_options, may_link_locally, report_target, split_suffix,
};
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

/// What the links of one body lead to.
pub struct Destinations<'a> {
    /// The report's file: a relative destination is read from it.
    pub file: &'a str,
    /// The report's links to other reports, resolved.
    pub links: &'a [ReportLink],
    /// The page of a linked report by id, or `None` when it is not published in this
    /// build (the link text stays, unlinked).
    pub report_href: &'a dyn Fn(&str) -> Option<String>,
    /// The files a local destination may name.
    pub files: &'a LocalFiles,
    /// The base URL's path (`/archive/`), before every local URL.
    pub base_path: &'a str,
}

/// Renders `body` to safe HTML, its links and images to the site rewritten by `to`.
pub fn to_html(body: &str, to: &Destinations) -> String {
    let (out, has_raw_html) = render(body, false);
    let out = if !has_raw_html {
        out
    } else if too_complex(&out, MAX_HTML_DEPTH, MAX_HTML_ATTRIBUTES) {
        render(body, true).0
    } else {
        SANITIZER.clean(&out).to_string()
    };
    if !may_link_locally(body) {
        return out;
    }
    rewrite_destinations(&out, to).unwrap_or(out)
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
/// whether it met raw HTML. Links and images keep their destinations (unsafe ones
/// dropped): [`rewrite_destinations`] resolves those that lead to the site.
fn render(body: &str, raw_as_text: bool) -> (String, bool) {
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
            let dest: Option<CowStr> = is_safe_url(&dest_url).then_some(dest_url);
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

/// What a link or image to the site becomes.
enum Resolved {
    /// Not a destination on the site: left as it is.
    Keep,
    /// Its URL on the site.
    Url(String),
    /// It names nothing published: shown as its text.
    Text,
}

impl Destinations<'_> {
    /// Where the `href` of a link leads: another report's page, or a file of the site.
    fn link(&self, dest: &str, by_file: &Option<FastMap<&str, &str>>) -> Resolved {
        if is_report_file_link(dest) {
            let target = report_target(self.file, dest);
            let id = match by_file {
                Some(map) => map.get(target.as_str()).copied(),
                None => self
                    .links
                    .iter()
                    .find(|l| l.target_file == target)
                    .map(|l| l.target.as_str()),
            };
            return match id.and_then(|id| (self.report_href)(id)) {
                Some(href) => Resolved::Url(href),
                None => Resolved::Text,
            };
        }
        self.file(dest)
    }

    /// Where the `src` of an image, or a link that is not to a report, leads.
    fn file(&self, dest: &str) -> Resolved {
        if !is_local(dest) {
            return Resolved::Keep;
        }
        match self.files.resolve(self.file, dest) {
            Some(path) => {
                let mut url = String::with_capacity(self.base_path.len() + path.len() + 8);
                url.push_str(self.base_path);
                // The path is decoded: the characters a URL path cannot hold as they are
                // are escaped again (the rest by `escape_href`).
                for c in path.chars() {
                    match c {
                        '%' => url.push_str("%25"),
                        '?' => url.push_str("%3F"),
                        '#' => url.push_str("%23"),
                        c => url.push(c),
                    }
                }
                url.push_str(split_suffix(dest).1);
                Resolved::Url(url)
            }
            None => Resolved::Text,
        }
    }
}

/// Rewrites the `href` of every `<a>` and the `src` of every `<img>` of `html` (as the
/// Markdown renderer or the sanitizer wrote it: every `<` starts a tag, every attribute is
/// quoted) that leads to the site, by [`Destinations`]: a link or image resolved gets its
/// URL; a link that leads nowhere loses its `<a>` and `</a>`, an image its `<img>` for its
/// alt text. `None` when nothing changed.
pub fn rewrite_destinations(html: &str, to: &Destinations) -> Option<String> {
    if !html.contains("<a ") && !html.contains("<img ") {
        return None;
    }
    // Links to reports by target file, when there are so many that finding each in the
    // list would be slow.
    let by_file = (to.links.len() > 8).then(|| {
        to.links
            .iter()
            .map(|l| (l.target_file.as_str(), l.target.as_str()))
            .collect::<FastMap<_, _>>()
    });
    let mut out = String::new();
    let mut copied = 0;
    // Of each `<a>` open, whether its tags are dropped.
    let mut anchors: Vec<bool> = Vec::new();
    let mut at = 0;
    while let Some(i) = html[at..].find('<') {
        let open = at + i;
        let rest = &html.as_bytes()[open + 1..];
        let closing = rest.first() == Some(&b'/');
        let name = &rest[usize::from(closing)..];
        let name_len = name
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .unwrap_or(name.len());
        let name = &name[..name_len];
        let name_end = open + 1 + usize::from(closing) + name_len;
        at = name_end;
        let is_a = name.eq_ignore_ascii_case(b"a");
        let is_img = !closing && name.eq_ignore_ascii_case(b"img");
        if closing {
            if is_a && anchors.pop() == Some(true) {
                let end = html[name_end..]
                    .find('>')
                    .map_or(html.len(), |e| name_end + e + 1);
                out.push_str(&html[copied..open]);
                copied = end;
                at = end;
            }
            continue;
        }
        if !is_a && !is_img {
            continue;
        }
        let wanted = if is_a { "href" } else { "src" };
        let (mut dest, mut alt) = (None, None);
        let Some(end) = read_tag(html, name_end, |a| {
            if dest.is_none() && a.name.eq_ignore_ascii_case(wanted) {
                dest = Some(a);
            } else if alt.is_none() && a.name.eq_ignore_ascii_case("alt") {
                alt = Some(a);
            }
        }) else {
            break;
        };
        at = end;
        let resolved = dest.map_or(Resolved::Keep, |d| {
            let value = decode_references(d.value);
            if is_a {
                to.link(&value, &by_file)
            } else {
                to.file(&value)
            }
        });
        if is_a {
            anchors.push(matches!(resolved, Resolved::Text));
        }
        match (resolved, dest) {
            (Resolved::Url(url), Some(d)) => {
                out.push_str(&html[copied..d.value_at]);
                let quoted = html[..d.value_at].ends_with(['"', '\'']);
                if !quoted {
                    out.push('"');
                }
                escape_href(&mut out, &url).expect("writing to a string");
                if !quoted {
                    out.push('"');
                }
                copied = d.value_at + d.value.len();
            }
            (Resolved::Text, _) => {
                out.push_str(&html[copied..open]);
                if is_img && let Some(alt) = alt {
                    escape_html_body_text(&mut out, &decode_references(alt.value))
                        .expect("writing to a string");
                }
                copied = end;
            }
            _ => {}
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&html[copied..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "content/reports/2017/12/a.md";

    fn with(
        md: &str,
        links: &[ReportLink],
        report_href: &dyn Fn(&str) -> Option<String>,
        base_path: &str,
    ) -> String {
        let files = LocalFiles::new(
            [
                "images/map.png",
                "files/a b.pdf",
                "search/index.html",
                "100%.png",
                "index.html",
            ]
            .map(String::from),
        );
        let to = Destinations {
            file: FILE,
            links,
            report_href,
            files: &files,
            base_path,
        };
        to_html(md, &to)
    }

    fn render(md: &str) -> String {
        with(md, &[], &|_| None, "/")
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
        let href = |id: &str| Some(format!("/reports/{id}/"));
        let out = with("[earlier](../11/b.md)", &links, &href, "/");
        assert_eq!(out, "<p><a href=\"/reports/b/\">earlier</a></p>\n");
        let out = with("[earlier](../11/b.md)", &links, &|_| None, "/");
        assert_eq!(out, "<p>earlier</p>\n");
        // In raw HTML too, and by the file it designates however it is written.
        let out = with(
            "<a href=\"../11/%62.md\">earlier</a> <i>x</i>",
            &links,
            &href,
            "/",
        );
        assert_eq!(
            out,
            "<p><a href=\"/reports/b/\" rel=\"noopener noreferrer\">earlier</a> <i>x</i></p>\n"
        );
    }

    #[test]
    fn local_files_get_their_url_or_show_as_text() {
        let out = with(
            "![The *map*](../../images/map.png \"T\") [pdf](/files/a%20b.pdf#p2) \
             [home](/) [search](../search/?q=x) [100](/100%25.png)",
            &[],
            &|_| None,
            "/archive/",
        );
        assert_eq!(
            out,
            "<p><img src=\"/archive/images/map.png\" alt=\"The map\" title=\"T\" /> \
             <a href=\"/archive/files/a%20b.pdf#p2\">pdf</a> <a href=\"/archive/\">home</a> \
             <a href=\"/archive/search/?q=x\">search</a> <a href=\"/archive/100%25.png\">100</a></p>\n"
        );
        let out = render(
            "![A < b & \"c\"](images/mpa.png) [the *report*](files/x.pdf) \
             [![map](images/map.png)](nowhere/) [web](https://x.org/a.png) [top](#top)",
        );
        assert_eq!(
            out,
            "<p>A &lt; b &amp; “c” the <em>report</em> <img src=\"/images/map.png\" alt=\"map\" /> \
             <a href=\"https://x.org/a.png\">web</a> <a href=\"#top\">top</a></p>\n"
        );
        // Raw HTML, after the sanitizer.
        let out = render(
            "<figure><img alt='The &amp; map' src=\"images/gone.png\" onerror=x>\n\
             <img src=/images/map.png alt=ok></figure>\n\n\
             <a href=\"nowhere.pdf\" title=t>some <b>text</b></a> <a name=x>kept</a>",
        );
        assert_eq!(
            out,
            "<figure>The &amp; map\n<img src=\"/images/map.png\" alt=\"ok\"></figure>\n\
             <p>some <b>text</b> <a rel=\"noopener noreferrer\">kept</a></p>\n"
        );
    }

    #[test]
    fn many_links_render_in_linear_time() {
        let links: Vec<ReportLink> = (0..20_000)
            .map(|i| ReportLink {
                dest: format!("r{i}.md"),
                target_file: format!("content/reports/2017/12/r{i}.md"),
                target: format!("r{i}"),
                position: (1, 1),
            })
            .collect();
        let body: String = (0..20_000)
            .map(|i| format!("[r](r{i}.md) ![m](images/map.png) ![x](gone.png)\n"))
            .collect();
        let started = std::time::Instant::now();
        let out = with(&body, &links, &|id| Some(format!("/reports/{id}/")), "/");
        assert!(out.contains("<a href=\"/reports/r19999/\">r</a>"));
        assert_eq!(out.matches("<img").count(), 20_000);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }
}

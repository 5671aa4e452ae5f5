//! Links and images in a report's body that lead to the site itself, found in its Markdown
//! and its raw HTML: links to other reports' files (`[earlier](../10/x.md)`), checked
//! against the archive in `crosscheck`, and local destinations (`![map](/images/map.png)`,
//! `<a href="files/x.pdf">`), checked against the files the site publishes in `local`.
//! `render` rewrites both to their URLs on the site.

use std::borrow::Cow;

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use super::html::{SWALLOWING, decode_references, read_tag};

/// A link to a `.md` file, by relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    /// The destination as written.
    pub dest: String,
    /// The file it designates, relative to the site root (`content/reports/2017/11/x.md`).
    pub target_file: String,
    /// Position of the link in the whole file.
    pub position: (usize, usize),
}

/// What a local destination is the destination of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Markdown link or an `<a href>`.
    Link,
    /// A Markdown image or an `<img src>`.
    Image,
}

/// A link or image whose destination is on the site but not a report's file
/// (`/images/map.png`, `files/report.pdf`): it must name a file the site publishes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFile {
    /// The destination as written (character references of raw HTML decoded).
    pub dest: String,
    /// A link or an image.
    pub kind: Kind,
    /// Position of the destination in the whole file.
    pub position: (usize, usize),
    /// Its length as written, in characters (0 when not known).
    pub width: usize,
}

/// The links and local destinations of one body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Links to other reports' files.
    pub links: Vec<FoundLink>,
    /// Other destinations on the site.
    pub files: Vec<FoundFile>,
}

/// The Markdown extensions sijill renders with; link finding must parse the same way.
pub fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// True for a relative link to a Markdown file (no scheme, not site-absolute).
pub fn is_report_file_link(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    path.ends_with(".md") && !dest.contains("://") && !dest.starts_with('/') && !dest.contains(':')
}

/// True for a destination on the site itself: a relative path (`images/map.png`,
/// `../x.pdf`) or one from the root (`/images/map.png`). Not one with a scheme (`https:`,
/// `mailto:`, `data:`), another host (`//host/x`), or only a fragment or query (`#notes`).
pub fn is_local(dest: &str) -> bool {
    let d = dest.trim();
    let b = d.as_bytes();
    if d.is_empty() || d.starts_with(['#', '?']) {
        return false;
    }
    // `//host` and `/\host` are another host to a browser (which reads `\` as `/`).
    if b.len() >= 2 && matches!(b[0], b'/' | b'\\') && matches!(b[1], b'/' | b'\\') {
        return false;
    }
    match d.find([':', '/', '\\', '?', '#']) {
        Some(i) if b[i] == b':' => {
            let scheme = &d[..i];
            !(scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.')))
        }
        _ => true,
    }
}

/// A destination cut before its query or fragment: (`images/map.png`, `?v=2#top`).
pub fn split_suffix(dest: &str) -> (&str, &str) {
    let dest = dest.trim();
    dest.split_at(dest.find(['?', '#']).unwrap_or(dest.len()))
}

/// `%xx` sequences decoded, as a server reads a path (`my%20map.png` is `my map.png`);
/// a `%` not followed by two hex digits stays as it is.
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return s.into();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned().into()
}

/// The report file a link to a `.md` file designates: `content/reports/2017/12/a.md` +
/// `../11/b.md#x` → `content/reports/2017/11/b.md`.
pub fn report_target(from_file: &str, dest: &str) -> String {
    let (path, _) = split_suffix(dest);
    let path = percent_decode(path);
    let mut parts: Vec<&str> = from_file.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

/// False when no link or image of `body` can lead to the site itself: it has no raw HTML
/// or autolink (`<`), no reference definition (`]:`), and every inline destination (which
/// follows a `](`) starts with a scheme (`https:`), `//` or `#`. Most bodies link only
/// their source, and are neither parsed here nor rewritten by `render`.
pub fn may_link_locally(body: &str) -> bool {
    // One pass over the body for `<` and `]`, which prose seldom has.
    let b = body.as_bytes();
    memchr::memchr2_iter(b'<', b']', b).any(|i| match (b[i], b.get(i + 1)) {
        (b'<', _) | (b']', Some(b':')) => true,
        (b']', Some(b'(')) => {
            let after = body[i + 2..].trim_start();
            let scheme = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
                .is_some_and(|end| {
                    end > 0
                        && after.as_bytes()[end] == b':'
                        && after.starts_with(|c: char| c.is_ascii_alphabetic())
                });
            !(scheme || after.starts_with('#') || after.starts_with("//"))
        }
        _ => false,
    })
}

/// Links to `.md` files and local destinations in `body`, which starts on line
/// `body_line` of `file`, in its Markdown and in its raw HTML.
pub fn find(body: &str, body_line: usize, file: &str) -> Found {
    let mut found = Found::default();
    if !may_link_locally(body) {
        return found;
    }
    // Byte offsets in the body, turned into lines and columns together at the end.
    let mut link_at = Vec::new();
    let mut file_at = Vec::new();
    // The raw HTML alone, in order, with where each fragment starts in the body.
    let mut html = String::new();
    let mut fragments: Vec<(usize, usize)> = Vec::new();
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => {}
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                if is_report_file_link(&dest_url) {
                    link_at.push(range.start);
                    found.links.push(FoundLink {
                        target_file: report_target(file, &dest_url),
                        dest: dest_url.to_string(),
                        position: (0, 0),
                    });
                } else if is_local(&dest_url) {
                    let (at, width) = dest_offset(body, range, link_type, &dest_url);
                    file_at.push(at);
                    found.files.push(FoundFile {
                        dest: dest_url.to_string(),
                        kind: Kind::Link,
                        position: (0, 0),
                        width,
                    });
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                ..
            }) if is_local(&dest_url) => {
                let (at, width) = dest_offset(body, range, link_type, &dest_url);
                file_at.push(at);
                found.files.push(FoundFile {
                    dest: dest_url.to_string(),
                    kind: Kind::Image,
                    position: (0, 0),
                    width,
                });
            }
            Event::Html(text) | Event::InlineHtml(text) => {
                fragments.push((html.len(), range.start));
                html.push_str(&text);
            }
            _ => {}
        }
    }
    if !html.is_empty() {
        let body_offset = |at: usize| {
            let i = fragments.partition_point(|&(joined, _)| joined <= at) - 1;
            let (joined, in_body) = fragments[i];
            in_body + (at - joined)
        };
        for (kind, value, at) in html_destinations(&html) {
            let dest = decode_references(value);
            if kind == Kind::Link && is_report_file_link(&dest) {
                link_at.push(body_offset(at));
                found.links.push(FoundLink {
                    target_file: report_target(file, &dest),
                    dest: dest.into_owned(),
                    position: (0, 0),
                });
            } else if is_local(&dest) {
                file_at.push(body_offset(at));
                found.files.push(FoundFile {
                    dest: dest.into_owned(),
                    kind,
                    position: (0, 0),
                    width: value.chars().count(),
                });
            }
        }
    }
    let at_line = |(line, col): (usize, usize)| (body_line + line - 1, col);
    for (link, pos) in found.links.iter_mut().zip(positions(body, &link_at)) {
        link.position = at_line(pos);
    }
    for (f, pos) in found.files.iter_mut().zip(positions(body, &file_at)) {
        f.position = at_line(pos);
    }
    found
}

/// Where the destination of an inline link or image starts in `body`, and its length in
/// characters when it is written as it reads: after the last `](` of its source that the
/// destination follows (the text before may hold images of its own, so only the last few
/// are tried); the start of the link for a reference link, or after the last `](` when
/// none matches (the destination was written with escapes), of unknown length (0).
fn dest_offset(
    body: &str,
    range: std::ops::Range<usize>,
    link_type: LinkType,
    dest: &str,
) -> (usize, usize) {
    if link_type != LinkType::Inline {
        return (range.start, 0);
    }
    let source = &body[range.clone()];
    let mut last = None;
    for (i, _) in source.rmatch_indices("](").take(4) {
        let after = source[i + 2..].trim_start();
        let after = after.strip_prefix('<').unwrap_or(after);
        let at = source.len() - after.len();
        last.get_or_insert(at);
        if after.starts_with(dest) {
            return (range.start + at, dest.chars().count());
        }
    }
    (range.start + last.unwrap_or(0), 0)
}

/// The `href` of each `<a>` and the `src` of each `<img>` in raw HTML, with the offset of
/// each value: (kind, value as written, offset). Comments and the contents of elements an
/// HTML parser does not read as markup (`<script>`, `<textarea>`, …) are skipped.
pub fn html_destinations(html: &str) -> Vec<(Kind, &str, usize)> {
    let mut found = Vec::new();
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while let Some(i) = lower[at..].find('<') {
        let open = at + i;
        let rest = &lower[open + 1..];
        if rest.starts_with("!--") {
            match lower[open + 4..].find("-->") {
                Some(end) => at = open + 4 + end + 3,
                None => break,
            }
            continue;
        }
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        let name_end = open + 1 + name_len;
        at = name_end;
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let (kind, wanted) = match name {
            "a" => (Kind::Link, "href"),
            "img" => (Kind::Image, "src"),
            _ => (Kind::Link, ""),
        };
        let mut value = None;
        let end = read_tag(html, name_end, |a| {
            if value.is_none() && !wanted.is_empty() && a.name.eq_ignore_ascii_case(wanted) {
                value = Some((a.value, a.value_at));
            }
        });
        let Some(end) = end else { continue };
        at = end;
        if let Some((v, value_at)) = value {
            found.push((kind, v, value_at));
        }
        if SWALLOWING.contains(&name) {
            let closer = format!("</{name}");
            match lower[at..].find(&closer) {
                Some(close) => at += close + closer.len(),
                None => break,
            }
        }
    }
    found
}

/// The 1-based line and column (in characters) of each of `offsets` in `text`, in one pass
/// over the text whatever their number and order.
fn positions(text: &str, offsets: &[usize]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut out = vec![(0, 0); offsets.len()];
    let (mut line, mut col, mut done) = (1, 1, 0);
    for i in order {
        let to = offsets[i].min(text.len());
        for c in text[done..to].chars() {
            if c == '\n' {
                line += 1;
                col = 1;
            } else {
                col += 1;
            }
        }
        done = to;
        out[i] = (line, col);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_resolves_report_links() {
        let body =
            "Intro.\n\nSee [the earlier report](../11/b.md#toll) and [web](https://x.org/a.md).\n";
        let found = find(body, 10, "content/reports/2017/12/a.md");
        assert_eq!(found.links.len(), 1);
        assert_eq!(found.links[0].target_file, "content/reports/2017/11/b.md");
        assert_eq!(found.links[0].position, (12, 5));
        assert!(found.files.is_empty());
    }

    #[test]
    fn finds_local_destinations_in_markdown_and_html() {
        let body = "A ![map *x*](images/map.png \"T\") [pdf](/files/a%20b.pdf#p2) [w](https://x.org/y) [top](#top)\n\n\
                    <figure>\n<img alt=\"x\"\n src='../../images/m&amp;p.png'>\n<a href=\"b.md\">b</a>\n</figure>\n\n\
                    [ref]: docs/\n\nSee [ref] and <a href=\"mailto:x@y.org\">mail</a> `<img src=no.png>`\n\
                    <!-- <img src=hidden.png> --> <script>'<img src=s.png>'</script>\n";
        let found = find(body, 1, "content/reports/x.md");
        let files: Vec<(&str, Kind, (usize, usize))> = found
            .files
            .iter()
            .map(|f| (f.dest.as_str(), f.kind, f.position))
            .collect();
        assert_eq!(
            files,
            [
                ("images/map.png", Kind::Image, (1, 14)),
                ("/files/a%20b.pdf#p2", Kind::Link, (1, 40)),
                ("docs/", Kind::Link, (11, 5)),
                ("../../images/m&p.png", Kind::Image, (5, 7)),
            ]
        );
        assert_eq!(found.links.len(), 1);
        assert_eq!(found.links[0].target_file, "content/reports/b.md");
        assert_eq!(found.links[0].position, (6, 10));
    }

    #[test]
    fn what_is_local() {
        for local in [
            "images/map.png",
            "/images/map.png",
            "../x.pdf",
            "./x:y",
            "x.png?v=1",
        ] {
            assert!(is_local(local), "{local}");
        }
        for other in [
            "a:b/c",
            "https://x.org/a.png",
            "mailto:a@b.org",
            "data:image/png;base64,xx",
            "//host/x.png",
            "/\\host/x.png",
            "#notes",
            "?page=2",
            "",
            "  ",
            "javascript:alert(1)",
        ] {
            assert!(!is_local(other), "{other}");
        }
        assert_eq!(split_suffix("a/b.png?v=1#x"), ("a/b.png", "?v=1#x"));
        for (body, may) in [
            ("See the [source](https://x.org/a) and [notes](#n).", false),
            (
                "[a](\n  mailto:x@y.org) [b](//host/x) ![c](data:image/png;base64,x)",
                false,
            ),
            ("Plain text, no links.", false),
            ("[a](https://x.org) ![map](images/map.png)", true),
            ("[a](x.md)", true),
            ("[a]( ../x.pdf)", true),
            ("[a](:x)", true),
            ("[ref]\n\n[ref]: https://x.org", true),
            ("a <b>b</b>", true),
        ] {
            assert_eq!(may_link_locally(body), may, "{body}");
        }
        assert_eq!(percent_decode("a%20b%D8%A7%zz%"), "a bا%zz%");
    }

    #[test]
    fn many_links_are_found_in_linear_time() {
        let body = "![a](x.png) [b](../y.md) <img src=z.png>\n".repeat(30_000);
        let started = std::time::Instant::now();
        let found = find(&body, 1, "content/reports/x.md");
        assert_eq!(found.files.len(), 60_000);
        assert_eq!(found.links.len(), 30_000);
        assert_eq!(found.files[59_999].position, (30_000, 35));
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }
}

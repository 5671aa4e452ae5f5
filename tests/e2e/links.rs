//! A link crawler over the bundled sample archive: every internal `href`/`src` of every page
//! resolves to a file of the output, under a sub-path and at a domain root.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use crate::common::*;
use sijill::render::Urls;

/// `%xx` sequences decoded (slugs may hold non-ASCII letters).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        if let (b'%', Some(b)) = (bytes[i], hex) {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Joins a relative reference to a folder URL path (`/a/b/`), resolving `.` and `..`.
fn resolve_relative(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let trailing = rel.ends_with('/') || rel.ends_with("/.") || rel.ends_with("/..");
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = format!("/{}", parts.join("/"));
    if trailing && !out.ends_with('/') {
        out.push('/');
    }
    out
}

/// The site folder (`places/syria/`) of an output file (`places/syria/index.html`).
fn page_dir(rel_file: &str) -> String {
    match rel_file.rfind('/') {
        Some(i) => rel_file[..=i].to_string(),
        None => String::new(),
    }
}

struct Crawl {
    /// Every html file, by relative path.
    pages: BTreeMap<String, String>,
    /// Problems found.
    broken: Vec<String>,
    /// Internal links checked.
    checked: usize,
    /// html file → html files it links to.
    edges: BTreeMap<String, BTreeSet<String>>,
}

/// Crawls `out`, built with a base URL whose path is `base_path` (`/sub/path/` or `/`) and,
/// when it has a host, whose absolute form is `abs_base`.
fn crawl(out: &Path, base_path: &str, abs_base: Option<&str>) -> Crawl {
    let pages: BTreeMap<String, String> = snapshot(out)
        .into_iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| (k, String::from_utf8(v).expect("pages are UTF-8")))
        .collect();
    let mut c = Crawl {
        pages: BTreeMap::new(),
        broken: Vec::new(),
        checked: 0,
        edges: BTreeMap::new(),
    };
    for (file, html) in &pages {
        let here = format!("{base_path}{}", page_dir(file));
        let mut targets = BTreeSet::new();
        for link in links(html) {
            let (no_frag, fragment) = match link.split_once('#') {
                Some((a, f)) => (a, Some(f)),
                None => (link.as_str(), None),
            };
            let target = no_frag.split('?').next().unwrap_or("");
            // `#id` on the same page: the id must exist.
            if target.is_empty() {
                if let Some(f) = fragment.filter(|f| !f.is_empty())
                    && !html.contains(&format!("id=\"{f}\""))
                {
                    c.broken
                        .push(format!("{file}: `{link}`: no id `{f}` on the page"));
                }
                continue;
            }
            if target.starts_with("//") {
                continue; // another host
            }
            // Absolute URLs: internal only when under the site's own absolute base URL.
            let path = if let Some(abs) = abs_base.filter(|a| target.starts_with(*a)) {
                format!("{base_path}{}", &target[abs.len()..])
            } else if target.contains("://") || target.starts_with("mailto:") {
                continue; // external
            } else if target.starts_with('/') {
                target.to_string()
            } else if target.contains(':') && !target.contains('/') {
                c.broken
                    .push(format!("{file}: `{link}`: unexpected scheme-like link"));
                continue;
            } else {
                resolve_relative(&here, target)
            };
            c.checked += 1;
            let Some(site_rel) = path.strip_prefix(base_path) else {
                c.broken.push(format!(
                    "{file}: `{link}` is outside the base path {base_path} (breaks under a sub-path)"
                ));
                continue;
            };
            let mut file_rel = percent_decode(site_rel);
            if file_rel.is_empty() || file_rel.ends_with('/') {
                file_rel.push_str("index.html");
            }
            let full = out.join(&file_rel);
            if !full.is_file() {
                c.broken
                    .push(format!("{file}: `{link}` → {file_rel} does not exist"));
                continue;
            }
            if file_rel.ends_with(".html") {
                if let Some(f) = fragment.filter(|f| !f.is_empty())
                    && !pages[&file_rel].contains(&format!("id=\"{f}\""))
                {
                    c.broken
                        .push(format!("{file}: `{link}`: no id `{f}` in {file_rel}"));
                }
                targets.insert(file_rel);
            }
        }
        c.edges.insert(file.clone(), targets);
    }
    c.pages = pages;
    c
}

/// Pages that no link leads to from the home page.
fn unreachable(c: &Crawl) -> Vec<String> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut queue: VecDeque<&str> = VecDeque::from(["index.html"]);
    while let Some(p) = queue.pop_front() {
        if !seen.insert(p) {
            continue;
        }
        for t in c.edges.get(p).into_iter().flatten() {
            queue.push_back(t);
        }
    }
    c.pages
        .keys()
        .filter(|k| !seen.contains(k.as_str()))
        .cloned()
        .collect()
}

/// Every `url` of data/*.json names a page of the output.
fn check_data_urls(out: &Path) {
    for data in ["reports", "places", "dates"] {
        let json = read_json(&out.join(format!("data/{data}.json")));
        let records = json.as_array().expect("array");
        assert!(!records.is_empty(), "data/{data}.json is empty");
        for r in records {
            let url = r["url"].as_str().expect("url");
            assert!(
                !url.starts_with('/') && url.ends_with('/'),
                "data/{data}.json url `{url}` is relative to the site root, without base path"
            );
            assert!(
                out.join(url).join("index.html").is_file(),
                "data/{data}.json url `{url}` has no page"
            );
        }
    }
}

fn build_and_crawl(base_url: &str, base_path: &str, abs_base: Option<&str>) {
    let out = TempDir::new("crawl");
    let out = out.path().join("site");
    let o = run_build(Path::new(REPO), &out, &["--base-url", base_url]);
    assert_success(&o);
    let c = crawl(&out, base_path, abs_base);
    // The sample archive has 14 reports with their places, dates and terms; a crawl that
    // checks little would prove nothing.
    assert!(c.pages.len() > 100, "only {} pages", c.pages.len());
    assert!(c.checked > 1000, "only {} internal links", c.checked);
    assert!(
        c.broken.is_empty(),
        "{} broken links with base {base_url}, e.g.:\n{}",
        c.broken.len(),
        c.broken
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Every page can be reached from the home page (but 404.html, which GitHub Pages serves
    // for missing pages).
    let orphans: Vec<String> = unreachable(&c)
        .into_iter()
        .filter(|p| p != "404.html")
        .collect();
    assert!(orphans.is_empty(), "pages no link leads to: {orphans:?}");
    // The stylesheet is linked under the base path.
    let home = &c.pages["index.html"];
    assert!(
        home.contains(&format!("href=\"{base_path}style.css\"")),
        "stylesheet link under {base_path}"
    );
    check_data_urls(&out);
}

#[test]
fn every_internal_link_resolves_under_a_sub_path() {
    build_and_crawl(
        "https://example.org/sub/path/",
        "/sub/path/",
        Some("https://example.org/sub/path/"),
    );
}

#[test]
fn every_internal_link_resolves_at_the_domain_root() {
    build_and_crawl("/", "/", None);
}

/// Report pages (all at `reports/<id>/`) link relatively when that is shorter: under a
/// sub-path, `../../` for the site and `../<id>/` for another report; at a domain root the
/// root-relative `/places/…` stays, and reports still link each other as `../<id>/`. Other
/// pages, and the list items every listing shares, keep root-relative links.
#[test]
fn report_pages_link_relatively_where_that_is_shorter() {
    let site = Site::new("relative");
    for (id, date) in [("a", "2018-02-04"), ("b", "2018-02-05")] {
        site.report(
            &format!("reports/{id}.md"),
            &format!(
                "---\ntitle: Report {id}\ndate: {date}\nlocations: [Syria/Idlib/Saraqib]\ntags: [market]\n---\nText.\n"
            ),
        );
    }
    for (base, site_link, place) in [
        (SUB_PATH_BASE, "../../", "../../places/syria/idlib/saraqib/"),
        ("/", "/", "/places/syria/idlib/saraqib/"),
    ] {
        site.build_ok(&["--base-url", base]);
        let report = site.page("reports/a/");
        let links = links(&report);
        for want in [
            format!("{site_link}style.css"),
            site_link.to_string(),
            format!("{site_link}search/"),
            format!("{site_link}tags/market/"),
            format!("{site_link}dates/2018/02/04/"),
            place.to_string(),
            "../b/".to_string(),
        ] {
            assert!(links.contains(&want), "{base}: {want} in {links:?}");
        }
        assert!(report.contains(&format!("action=\"{site_link}search/\"")));
        let root = Urls::new(base).base_path;
        let listing = site.page("tags/market/");
        assert!(
            listing.contains(&format!("href=\"{root}reports/a/\"")),
            "{listing}"
        );
        assert!(listing.contains(&format!("href=\"{root}style.css\"")));
    }
}

#[test]
fn crawler_helpers() {
    assert_eq!(
        resolve_relative("/sub/path/places/syria/", "../"),
        "/sub/path/places/"
    );
    assert_eq!(
        resolve_relative("/sub/path/places/", "syria/idlib/"),
        "/sub/path/places/syria/idlib/"
    );
    assert_eq!(resolve_relative("/a/", "./b.css"), "/a/b.css");
    assert_eq!(percent_decode("a%20b%D8%A7"), "a bا");
    assert_eq!(page_dir("places/syria/index.html"), "places/syria/");
    assert_eq!(page_dir("index.html"), "");
}

// ---------------------------------------------------------------------------------------
// Local destinations in bodies: every link and image to the site names a file it publishes.
// ---------------------------------------------------------------------------------------

/// The report of `tests/fixtures/links/local/` whose body links and shows files of its
/// `static/` (`images/map.png`, `files/names.pdf`) and some that are not there.
const MARKET: &str = "content/reports/2018/03/2018-03-02-market-shelling.md";

/// `(line, column, message, help)` of each problem of `code` that `check --format json`
/// finds in `file`, which must be warnings.
fn warnings_of(site: &Site, code: &str, file: &str) -> Vec<(u64, u64, String, String)> {
    let o = site.check(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "warnings only: {}", stderr(&o));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).expect("json");
    list.iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            assert_eq!(d["severity"], "warning", "{d}");
            assert_eq!(d["file"], file, "{d}");
            (
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
                d["help"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn check_warns_at_each_missing_local_file_with_the_closest_one() {
    let site = Site::fixture("links/local");
    let found = warnings_of(&site, "missing-local-file", MARKET);
    let at: Vec<(u64, u64)> = found.iter().map(|w| (w.0, w.1)).collect();
    // Markdown image and links, then raw HTML (`<img src>`, `<a href>`): each at its
    // destination. The files that exist (`/images/map.png` from the root and from the
    // file's folder into static/, `files/names.pdf#page=2`, `../../files/names.pdf?v=2`,
    // `/search/`, a page every site has) and the links to the other report are fine.
    assert_eq!(
        at,
        [(14, 79), (16, 58), (17, 46), (19, 19), (21, 17), (23, 10)],
        "{found:#?}"
    );
    let message = |i: usize| found[i].2.as_str();
    let help = |i: usize| found[i].3.as_str();
    assert_eq!(
        message(0),
        "image `images/crater.png` names no file of the site (there is no \
         static/images/crater.png): the page shows its alt text instead"
    );
    assert_eq!(
        message(1),
        "link `/files/names-annex.pdf` names no file of the site (there is no \
         static/files/names-annex.pdf): the page shows its text, unlinked"
    );
    // The closest file of static/, when one is close.
    assert_eq!(help(3), "did you mean `/images/map.png`?");
    assert_eq!(help(4), "did you mean `/files/names.pdf`?");
    for i in [0, 1, 5] {
        assert!(
            help(i).starts_with("put the file in static/"),
            "{}",
            help(i)
        );
    }
    assert!(
        help(2).starts_with("a page of a report, place, date or term"),
        "{}",
        help(2)
    );

    // The human form points at the line, as rustc does.
    let o = site.check(&[]);
    let human = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    assert!(
        human.contains("warning[missing-local-file]: image `images/mpa.png`")
            && human.contains(&format!("--> {MARKET}:19:19"))
            && human.contains("= help: did you mean `/images/map.png`?")
            // The destination alone is underlined.
            && human.contains(&format!("   | {}{}\n", " ".repeat(18), "^".repeat(14))),
        "{human}"
    );
    assert!(human.contains("0 errors, 6 warnings"), "{human}");
}

#[test]
fn pages_link_the_files_that_exist_and_show_text_for_the_others() {
    let site = Site::fixture("links/local");
    let o = site.build_ok(&["--base-url", "https://example.org/archive/"]);
    let printed = stderr(&o) + &String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        printed.matches("warning[missing-local-file]").count(),
        6,
        "{printed}"
    );
    let page = site.page("reports/2018-03-02-market-shelling/");
    let body = element(&page, |t| has_class(t, "body")).expect("a body");
    let tags = read_tags(body);
    let srcs: Vec<&str> = tags.iter().filter_map(|t| t.attr("src")).collect();
    assert_eq!(
        srcs, ["/archive/images/map.png"; 3],
        "only the existing image, three times, under the base path: {body}"
    );
    let hrefs: Vec<String> = tags
        .iter()
        .filter(|t| t.name == "a" && !t.closing)
        .map(|t| html::decode_refs(t.attr("href").expect("every link has an href")))
        .collect();
    assert_eq!(
        hrefs,
        [
            "../2018-02-28-first-account/",
            "/archive/files/names.pdf#page=2",
            "/archive/search/",
            "/archive/files/names.pdf?v=2",
            "../2018-02-28-first-account/",
        ],
        "{body}"
    );
    // What is not there is shown as text: an image's alt text, a link's text.
    let text = text_of(body);
    for shown in [
        "and Photo of the crater",
        "The list of names, the annex, the",
        "search page and the place page.",
        "Map & legend",
        "The full list, the names",
        "the first account and\nthe budget.",
    ] {
        assert!(text.contains(shown), "{shown:?} in {text:?}");
    }
    for gone in [
        "crater.png",
        "names-annex",
        "mpa.png",
        "name.pdf",
        "budget",
        "places/syria/idlib",
    ] {
        assert!(
            !tags
                .iter()
                .any(|t| t.attrs.iter().any(|(_, v)| v.contains(gone))),
            "{gone} is still linked: {body}"
        );
    }
    // Every destination under the base path is a file of the site.
    for dest in srcs.iter().copied().chain(hrefs.iter().map(String::as_str)) {
        // A report links another relatively (`../<id>/`, from `reports/<id>/`).
        let from_reports = dest.strip_prefix("../").map(|r| format!("reports/{r}"));
        let rel = from_reports.as_deref().unwrap_or_else(|| {
            dest.strip_prefix("/archive/")
                .expect("under the base path, or relative to the report")
        });
        let rel = rel.split(['?', '#']).next().unwrap();
        let file = if rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        };
        assert!(site.out().join(&file).is_file(), "{dest}: no {file}");
    }
    // At a domain root the same files are linked from `/`.
    let o = site.build_ok(&["--base-url", "/"]);
    assert_success(&o);
    let page = site.page("reports/2018-03-02-market-shelling/");
    assert!(page.contains("src=\"/images/map.png\""), "{page}");
    assert!(page.contains("href=\"/files/names.pdf#page=2\""), "{page}");
}

#[test]
fn existing_local_files_pass_the_check() {
    let site = Site::fixture("links/local");
    // Only the destinations that exist, in the forms an author may write.
    site.report(
        "reports/2018/03/2018-03-02-market-shelling.md",
        "---\ntitle: Shelling of the Saraqib market\ndate: 2018-03-02\n\
         locations: [Syria/Idlib/Saraqib]\ncasualties: {killed: 3}\n\
         source: {name: Monitor, url: \"https://example.org/2\"}\n---\n\
         ![map](/images/map.png) ![map](images/map.png) ![map](../../images/map.png)\n\
         ![map](../../../../static/images/map.png) ![map](<images/map.png> \"title\")\n\n\
         [names](files/names.pdf) [names](/files/names.pdf?x=1#y) [home](/) [places](/places/)\n\
         [style](/style.css) [web](https://example.org/x.png) [mail](mailto:a@example.org) [top](#top)\n\n\
         <img src=\"images/map.png\" alt=\"map\"> <a href='/files/names.pdf'>names</a>\n\n\
         [first](../02/2018-02-28-first-account.md)\n",
    );
    let o = site.check(&[]);
    let printed = String::from_utf8_lossy(&o.stdout).into_owned() + &stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{printed}");
    assert!(printed.contains("0 errors, 0 warnings"), "{printed}");
    site.build_ok(&["--base-url", "https://example.org/archive/"]);
    let page = site.page("reports/2018-03-02-market-shelling/");
    let body = element(&page, |t| has_class(t, "body")).expect("a body");
    assert_eq!(
        read_tags(body)
            .iter()
            .filter(|t| t.attr("src") == Some("/archive/images/map.png"))
            .count(),
        6,
        "{body}"
    );
    for href in [
        "/archive/files/names.pdf",
        "/archive/files/names.pdf?x=1#y",
        "/archive/",
        "/archive/places/",
        "/archive/style.css",
        "https://example.org/x.png",
        "mailto:a@example.org",
        "#top",
        "../2018-02-28-first-account/",
    ] {
        assert!(
            read_tags(body)
                .iter()
                .any(|t| t.attr("href").map(html::decode_refs).as_deref() == Some(href)),
            "no link to {href}: {body}"
        );
    }
}

#[test]
fn a_raw_html_link_to_a_missing_report_is_an_error() {
    let site = Site::fixture("links/local");
    site.report(
        "reports/2018/03/2018-03-05-later.md",
        "---\ntitle: Later\ndate: 2018-03-05\nlocations: [Syria/Idlib/Saraqib]\n\
         source: {name: Monitor, url: \"https://example.org/3\"}\n---\n\
         See <a href=\"2018-03-01-nowhere.md\">the other one</a>.\n",
    );
    let o = site.check(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let list: Vec<serde_json::Value> = serde_json::from_slice(&o.stdout).expect("json");
    let broken: Vec<&serde_json::Value> = list
        .iter()
        .filter(|d| d["code"] == "broken-report-link")
        .collect();
    assert_eq!(broken.len(), 1, "{list:#?}");
    assert_eq!(
        broken[0]["file"],
        "content/reports/2018/03/2018-03-05-later.md"
    );
    assert_eq!(
        (broken[0]["line"].as_u64(), broken[0]["column"].as_u64()),
        (Some(7), Some(14))
    );
}

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

//! Pages beyond reports (`content/pages/<slug>.md` at `/<slug>/`), the base URL's checks
//! and warning, and the citation of a report, through the CLI on `tests/fixtures/pages/`.

use std::fs;
use std::path::PathBuf;

use crate::common::*;
use serde_json::Value;
use sijill::pipeline::BuildOptions;
use sijill::preview::{Preview, Rebuilt};

const BASE: &str = "https://example.org/archive/";

/// The fixture built under [`BASE`].
fn built() -> Site {
    let site = Site::fixture("pages/site");
    site.build_ok(&["--base-url", BASE]);
    site
}

/// The `(href, text)` of every link of the footer of `html`'s pages (`nav.site-pages`).
fn footer_pages(html: &str) -> Vec<(String, String)> {
    let nav = html
        .split("<nav class=\"site-pages\"")
        .nth(1)
        .and_then(|rest| rest.split("</nav>").next())
        .unwrap_or_else(|| panic!("no footer pages in {html}"));
    nav.split("<a href=\"")
        .skip(1)
        .map(|a| {
            let (href, rest) = a.split_once('"').unwrap();
            let text = rest
                .split_once('>')
                .unwrap()
                .1
                .split("</a>")
                .next()
                .unwrap();
            (href.to_string(), text.to_string())
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn pages_are_published_at_their_slugs_and_linked_from_the_footer() {
    let site = built();
    let about = site.page("about/");
    assert!(
        about.contains("<h1>About the pages archive</h1>"),
        "{about}"
    );
    assert!(about.contains("<meta name=\"description\" content=\"Who keeps this archive.\">"));
    // A link to a report's file leads to its page; one to another page stays.
    assert!(
        about.contains(
            "<a href=\"/archive/reports/2019-05-06-saraqib-shelling/\">the Saraqib shelling</a>"
        ),
        "{about}"
    );
    assert!(about.contains("<a href=\"/archive/methodology/\">methodology</a>"));
    assert!(site.page("contact/").contains("<h1>Contact</h1>"));

    // The footer of the site's language: by `order`, then the pages without one; the
    // Arabic translation only from its original.
    let english = pairs(&[
        ("/archive/about/", "About the pages archive"),
        ("/archive/methodology/", "Methodology"),
        ("/archive/contact/", "Contact"),
    ]);
    for rel in ["", "places/", "dates/", "types/", "search/", "about/"] {
        assert_eq!(footer_pages(&site.page(rel)), english, "{rel}");
    }
    // An Arabic page's footer links the Arabic methodology, and the others in English.
    let arabic = site.page("methodology-ar/");
    assert!(arabic.starts_with("<!DOCTYPE html>\n<html lang=\"ar\" dir=\"rtl\">"));
    assert_eq!(
        footer_pages(&arabic),
        pairs(&[
            ("/archive/about/", "About the pages archive"),
            ("/archive/methodology-ar/", "المنهجية"),
            ("/archive/contact/", "Contact"),
        ])
    );
    // Links to pages in another language say so.
    assert!(arabic.contains("<a href=\"/archive/contact/\" lang=\"en\">Contact</a>"));

    // The two versions link each other, visibly and with hreflang.
    let methodology = site.page("methodology/");
    assert!(methodology.contains(
        "<link rel=\"alternate\" hreflang=\"ar\" href=\"https://example.org/archive/methodology-ar/\">"
    ));
    assert!(arabic.contains(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/archive/methodology/\">"
    ));
    assert!(arabic.contains("ترجمة لـ: <a href=\"/archive/methodology/\">Methodology</a>"));

    // The sitemap lists every page, translations as alternates.
    let sitemap = fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    for slug in ["about", "methodology", "methodology-ar", "contact"] {
        assert!(
            sitemap.contains(&format!("<loc>{BASE}{slug}/</loc>")),
            "{slug}: {sitemap}"
        );
    }
    let alternates = format!(
        "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{BASE}methodology/\"/>\
         <xhtml:link rel=\"alternate\" hreflang=\"ar\" href=\"{BASE}methodology-ar/\"/>"
    );
    assert!(sitemap.contains(&format!("<loc>{BASE}methodology/</loc>{alternates}")));
    assert!(sitemap.contains(&format!("<loc>{BASE}methodology-ar/</loc>{alternates}")));
    assert!(!sitemap.contains(&format!("<loc>{BASE}about/</loc><xhtml")));
}

#[test]
fn pages_are_never_counted_listed_searched_or_exported() {
    let site = built();
    let without = Site::fixture("pages/site");
    fs::remove_dir_all(without.root().join("content/pages")).unwrap();
    without.build_ok(&["--base-url", BASE]);
    let (with_pages, without_pages) = (snapshot(&site.out()), snapshot(&without.out()));
    // Every export, the search index and every report page are the same bytes: only the
    // pages themselves, the footers of other pages and the sitemap differ.
    let mut compared = 0;
    for (path, bytes) in &without_pages {
        let page_with_footer = path.ends_with(".html") && !path.starts_with("reports/");
        if page_with_footer || path == "sitemap.xml" {
            continue;
        }
        assert_eq!(with_pages.get(path), Some(bytes), "{path} differs");
        compared += 1;
    }
    assert!(compared > 20, "only {compared} files compared");
    let added: Vec<&String> = with_pages
        .keys()
        .filter(|p| p.ends_with(".html") && !without_pages.contains_key(*p))
        .collect();
    assert_eq!(
        added,
        [
            "about/index.html",
            "contact/index.html",
            "methodology-ar/index.html",
            "methodology/index.html"
        ]
    );
    let reports = site.json("data/reports.json");
    assert_eq!(reports.as_array().unwrap().len(), 3);
    // No word only a page has is in any export or index.
    for (path, bytes) in &with_pages {
        if !path.ends_with(".html") {
            let text = String::from_utf8_lossy(bytes).to_lowercase();
            assert!(!text.contains("zanzibarquetzal"), "{path}");
            assert!(!text.contains("quetzalmethod"), "{path}");
        }
    }
}

/// The problems `check --format json` reports, as (file, line, column, code, help).
fn problems(site: &Site) -> Vec<(String, u64, u64, String, String)> {
    let o = site.check(&["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let found: Value = serde_json::from_slice(&o.stdout).unwrap();
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
                d["help"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn bad_pages_are_reported_at_their_line_all_in_one_run() {
    let site = Site::fixture("pages/site");
    let page = |name: &str, text: &str| {
        site.file(&format!("content/pages/{name}"), text);
    };
    page("history.md", "---\ntitle: History\ntitel: x\n---\nBody.\n");
    page(
        "ordered.md",
        "---\ntitle: Ordered\norder: first\n---\nBody.\n",
    );
    page("untitled.md", "---\nlang: en\n---\nBody.\n");
    page("reports.md", "---\ntitle: Reports\n---\nBody.\n");
    page("About-Us.md", "---\ntitle: About us\n---\nBody.\n");
    page(
        "contact-ar.md",
        "---\ntitle: اتصل بنا\nlang: ar\ntranslation_of: contacts\n---\nنص.\n",
    );
    page(
        "methodology-fr.md",
        "---\ntitle: Méthodologie\nlang: fr\ntranslation_of: methodology-ar\n---\nTexte.\n",
    );
    page(
        "sources.md",
        "---\ntitle: Sources\n---\n[gone](../reports/2019/missing.md)\n",
    );
    page("deep/nested.md", "---\ntitle: Nested\n---\nBody.\n");
    page(
        "about-en.md",
        "---\ntitle: About, again\nlang: en\ntranslation_of: about\n---\nBody.\n",
    );
    page(
        "methodologie.md",
        "---\ntitle: المنهجية ٢\nlang: ar\ntranslation_of: methodology\n---\nنص.\n",
    );
    let found = problems(&site);
    let at = |file: &str, code: &str| {
        found
            .iter()
            .find(|p| p.0 == format!("content/pages/{file}") && p.3 == code)
            .unwrap_or_else(|| panic!("no {code} in {file}: {found:?}"))
    };
    let unknown = at("history.md", "unknown-field");
    assert_eq!((unknown.1, unknown.2), (3, 1));
    assert_eq!(unknown.4, "did you mean `title`?");
    let order = at("ordered.md", "yaml");
    assert_eq!(order.1, 3, "{order:?}");
    let missing = at("untitled.md", "missing-field");
    assert_eq!((missing.1, missing.2), (1, 1));
    let reserved = at("reports.md", "reserved-slug");
    assert!(
        reserved.4.contains("content/pages/reports-info.md"),
        "{reserved:?}"
    );
    at("About-Us.md", "invalid-slug");
    let unknown_page = at("contact-ar.md", "unknown-page");
    assert_eq!((unknown_page.1, unknown_page.2), (4, 17));
    let chain = at("methodology-fr.md", "translation-of-translation");
    assert_eq!(chain.1, 4);
    let link = at("sources.md", "broken-report-link");
    assert_eq!((link.1, link.2), (4, 1));
    at("deep/nested.md", "nested-page");
    at("about-en.md", "translation-same-language");
    // The second in file order, naming the first.
    let twice = at("methodology-ar.md", "duplicate-translation");
    assert_eq!(twice.4, "keep one translation per language");
    let o = site.check(&[]);
    assert!(
        stderr(&o)
            .contains("content/pages/methodologie.md already translates `methodology` into `ar`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_page_cannot_take_the_folder_of_anything_the_site_writes() {
    let site = Site::fixture("pages/site");
    for slug in [
        "search",
        "data",
        "places",
        "tags",
        "types",
        "perpetrators",
        "dates",
    ] {
        site.file(
            &format!("content/pages/{slug}.md"),
            "---\ntitle: Taken\n---\nBody.\n",
        );
    }
    let found = problems(&site);
    let reserved: Vec<&str> = found
        .iter()
        .filter(|p| p.3 == "reserved-slug")
        .map(|p| p.0.as_str())
        .collect();
    assert_eq!(
        reserved,
        [
            "content/pages/data.md",
            "content/pages/dates.md",
            "content/pages/perpetrators.md",
            "content/pages/places.md",
            "content/pages/search.md",
            "content/pages/tags.md",
            "content/pages/types.md",
        ]
    );
    let o = site.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains(
            "content/pages/search.md:1:1: error[reserved-slug]: a page cannot be called `search`"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_base_url_without_a_scheme_is_refused_with_the_url_meant() {
    let site = Site::fixture("pages/site");
    let o = site.build(&["--base-url", "org.github.io/archive/"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean https://org.github.io/archive/?"),
        "{}",
        stderr(&o)
    );
    site.config("title: Pages archive\nbase_url: org.github.io/archive/\n");
    for o in [site.build(&[]), site.check(&[])] {
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(
            err.contains("site.yaml:2:11: error[site-config]: `org.github.io/archive/` is neither"),
            "{err}"
        );
        assert!(
            err.contains("help: did you mean https://org.github.io/archive/?"),
            "{err}"
        );
    }
    assert!(!site.out().exists(), "nothing is written");
}

#[test]
fn a_base_url_without_a_host_warns_once_that_citations_are_root_relative() {
    let site = Site::fixture("pages/site");
    let warning = "warning: the base URL `/archive/` has no host: citations, feeds and the \
                   sitemap will carry root-relative URLs";
    let o = site.build_ok(&["--base-url", "/archive/"]);
    assert_eq!(stderr(&o).matches(warning).count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("set `base_url` in site.yaml"));
    let cite = site.page("reports/2019-06-01-ariha-airstrike/");
    assert!(cite.contains(
        "<bdi class=\"url\" dir=\"ltr\">/archive/reports/2019-06-01-ariha-airstrike/</bdi>"
    ));

    site.config("title: Pages archive\nbase_url: /archive/\n");
    let o = site.check(&[]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o).matches(warning).count(), 1, "{}", stderr(&o));

    site.config(&format!("title: Pages archive\nbase_url: {BASE}\n"));
    for o in [site.build_ok(&[]), site.check(&[])] {
        assert!(!stderr(&o).contains("has no host"), "{}", stderr(&o));
    }
}

#[test]
fn the_citation_names_the_source_and_the_archive_and_isolates_its_url() {
    let site = built();
    let cite = |rel: &str| {
        let page = site.page(rel);
        let start = page.find("<section class=\"cite\">").expect("a citation");
        let end = start + page[start..].find("</section>").unwrap();
        page[start..end].to_string()
    };
    assert_eq!(
        cite("reports/2019-05-06-saraqib-shelling/"),
        "<section class=\"cite\"><h2>Cite this report</h2><p><bdi>Idlib Monitoring Group</bdi>. \
         “Four killed in the shelling of Saraqib”. Published: 6 May 2019; events: 6 May 2019. \
         Via <bdi>Pages archive</bdi>: <bdi class=\"url\" dir=\"ltr\">\
         https://example.org/archive/reports/2019-05-06-saraqib-shelling/</bdi> (accessed …).</p>"
    );
    // The Arabic translation names its original's source; its URL stays left to right.
    let arabic = cite("reports/2019-05-06-saraqib-shelling-ar/");
    assert!(
        arabic.contains("<bdi>Idlib Monitoring Group</bdi>"),
        "{arabic}"
    );
    assert!(arabic.contains("عبر <bdi>Pages archive</bdi>"), "{arabic}");
    assert!(arabic.contains(
        "<bdi class=\"url\" dir=\"ltr\">https://example.org/archive/reports/2019-05-06-saraqib-shelling-ar/</bdi> (تاريخ الاطلاع …)"
    ));
    // Without a source, the archive is the publisher.
    let unsourced = cite("reports/2019-06-01-ariha-airstrike/");
    assert!(
        unsourced.contains("<p><bdi>Pages archive</bdi>. “Airstrike on Ariha”."),
        "{unsourced}"
    );
    assert!(!unsourced.contains("Via"));
}

/// Asserts that `site`'s output is what a clean build writes.
fn assert_clean(site: &Site, what: &str) {
    let clean = site.root().join("clean");
    assert_success(&run_build(&site.root(), &clean, &[]));
    assert_same_tree(&snapshot(&clean), &snapshot(&site.out()));
    fs::remove_dir_all(clean).unwrap_or_else(|e| panic!("{what}: {e}"));
}

#[test]
fn the_preview_follows_pages_added_changed_and_removed() {
    let site = Site::fixture("pages/site");
    fs::remove_dir_all(site.root().join("content/pages")).unwrap();
    let mut preview = Preview::new(BuildOptions {
        root: site.root(),
        out: Some(site.out()),
        ..Default::default()
    });
    preview.rebuild(None, &|| ()).unwrap();
    let mut rebuild = |rel: &str| {
        let changed = [PathBuf::from(rel)];
        let rebuilt = preview.rebuild(Some(&changed), &|| ()).unwrap();
        assert!(matches!(rebuilt, Rebuilt::Site(_)), "{rel}: {rebuilt:?}");
    };
    let about = "content/pages/about.md";
    site.file(about, "---\ntitle: About\n---\nFirst.\n");
    rebuild(about);
    assert_eq!(footer_pages(&site.page("")), pairs(&[("/about/", "About")]));
    assert_clean(&site, "a page added");

    site.file(about, "---\ntitle: About us\n---\nSecond.\n");
    rebuild(about);
    assert!(site.page("about/").contains("Second."));
    assert_eq!(
        footer_pages(&site.page("places/")),
        pairs(&[("/about/", "About us")])
    );
    assert_clean(&site, "its title changed");

    let arabic = "content/pages/about-ar.md";
    site.file(
        arabic,
        "---\ntitle: عنا\nlang: ar\ntranslation_of: about\n---\nنص.\n",
    );
    rebuild(arabic);
    assert!(site.page("about/").contains("hreflang=\"ar\""));
    assert_clean(&site, "a translation added");

    fs::remove_file(site.root().join(about)).unwrap();
    fs::remove_file(site.root().join(arabic)).unwrap();
    let changed = [PathBuf::from(about)];
    assert!(preview.rebuild(Some(&changed), &|| ()).is_ok());
    assert!(!site.has_page("about/"));
    assert!(!site.page("").contains("site-pages"));
    assert_clean(&site, "both removed");
}

#[test]
fn a_page_written_as_a_report_is_told_where_pages_go() {
    let site = Site::fixture("pages/site");
    site.file(
        "content/about-us.md",
        "---\ntitle: About us\n---\nWho we are.\n",
    );
    let date = problems(&site)
        .into_iter()
        .find(|p| p.0 == "content/about-us.md" && p.3 == "missing-field")
        .expect("`date` is missing");
    assert!(
        date.4
            .ends_with("move the file to content/pages/about-us.md"),
        "{date:?}"
    );
}

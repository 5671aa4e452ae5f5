//! Format v2 on a built site (`tests/fixtures/incidents`): a chain of three accounts of
//! the al-Bukamal incident with an Arabic translation of the current one, a vocabulary with
//! aliases, a report across two months and two districts, one across a week. Each test
//! asserts on the exports and on the pages a reader sees.

use crate::common::*;

/// The fixture, built once per test.
fn built() -> Site {
    let site = Site::fixture("incidents");
    site.build_ok(&[]);
    site
}

fn killed_min(totals: &serde_json::Value) -> u64 {
    totals["killed"]["min"].as_u64().unwrap_or(0)
}

#[test]
fn a_chain_counts_once_by_its_current_account() {
    let site = built();
    let reports = site.json("data/reports.json");
    let counted: Vec<&str> = reports
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["counted"] == true)
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        counted,
        ["c", "d", "e", "f"],
        "one account per incident counts"
    );
    for (id, incident, updates, updated_by) in [
        ("a", "a", None, Some("b")),
        ("b", "a", Some("a"), Some("c")),
        ("c", "a", Some("b"), None),
    ] {
        let r = record(&reports, "id", id);
        assert_eq!(r["incident"], incident, "{id}");
        assert_eq!(r["updates"].as_str(), updates, "{id}");
        assert_eq!(r["updated_by"].as_str(), updated_by, "{id}");
    }
    // 26, then at least 50, then at least 54: the place counts 54, not 130.
    let places = site.json("data/places.json");
    let bukamal = record(&places, "path", "Syria/Deir ez-Zor/Al-Bukamal");
    assert_eq!(killed_min(&bukamal["totals"]), 54);
    assert_eq!(bukamal["reports"], 1, "one entry per incident");
    let syria = record(&places, "path", "Syria");
    assert_eq!(killed_min(&syria["totals"]), 54 + 5 + 10 + 7);
    // The listing shows the current account, once, saying it was updated.
    let page = site.page("places/syria/deir-ez-zor/al-bukamal");
    assert!(page.contains("href=\"/reports/c/\""), "{page}");
    assert!(!page.contains("href=\"/reports/a/\"") && !page.contains("href=\"/reports/b/\""));
    assert!(page.contains("updated 2 times"), "{page}");
}

#[test]
fn a_superseded_account_links_the_current_one_which_shows_the_history() {
    let site = built();
    for old in ["a", "b"] {
        let page = site.page(&format!("reports/{old}"));
        let notice = page
            .split("<p class=\"notice\" role=\"note\">")
            .nth(1)
            .unwrap_or_else(|| panic!("{old}: no notice: {page}"));
        let notice = &notice[..notice.find("</p>").unwrap()];
        assert!(notice.contains("href=\"/reports/c/\""), "{old}: {notice}");
        assert!(!page.contains("class=\"history\""), "{old}");
    }
    let current = site.page("reports/c");
    assert!(!current.contains("class=\"notice\""));
    let history = current
        .split("class=\"history\"")
        .nth(1)
        .expect("a history");
    let history = &history[..history.find("</section>").unwrap()];
    // Every account, oldest first, with its date, source and counts.
    let at = |s: &str| {
        history
            .find(s)
            .unwrap_or_else(|| panic!("{s} in {history}"))
    };
    assert!(at("26 killed in al-Bukamal") < at("Toll rises to at least 50"));
    assert!(at("Toll rises to at least 50") < at("At least 54 killed in al-Bukamal"));
    for s in [
        "10 November 2017",
        "12 November 2017",
        "14 November 2017",
        "SOHR",
        "26 killed",
        "at least 50 killed",
        "at least 54 killed",
    ] {
        at(s);
    }
}

#[test]
fn a_translation_inherits_and_the_two_link_each_other() {
    let site = built();
    let reports = site.json("data/reports.json");
    let t = record(&reports, "id", "c-ar");
    assert_eq!(t["translation_of"], "c");
    assert_eq!(
        t["incident"], "a",
        "a translation carries its original's incident"
    );
    assert_eq!(t["counted"], false);
    assert_eq!(t["casualties"]["killed"]["min"], 54, "inherited");
    assert_eq!(t["locations"][0]["path"], "Syria/Deir ez-Zor/Al-Bukamal");
    assert_eq!(
        record(&reports, "id", "c")["translations"],
        serde_json::json!(["c-ar"])
    );
    let original = site.page("reports/c");
    assert!(original.contains("<link rel=\"alternate\" hreflang=\"ar\" href=\"/reports/c-ar/\">"));
    assert!(
        original.contains("hreflang=\"ar\" lang=\"ar\">العربية</a>"),
        "{original}"
    );
    let arabic = site.page("reports/c-ar");
    assert!(arabic.contains("<link rel=\"alternate\" hreflang=\"en\" href=\"/reports/c/\">"));
    assert!(
        arabic.contains("href=\"/reports/c/\""),
        "links its original visibly"
    );
    assert!(arabic.contains("dir=\"rtl\""));
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<url><loc>/reports/c-ar/</loc><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"/reports/c/\"/><xhtml:link rel=\"alternate\" hreflang=\"ar\" href=\"/reports/c-ar/\"/></url>"),
        "{sitemap}"
    );
    // Both versions are searchable: an Arabic word of the title finds the translation
    // (indexed without its article, as search.js reads the query).
    let words = site.json("search/w/0.json");
    assert!(words.get("بوكمال").is_some(), "{words}");
    let docs = std::fs::read_to_string(site.out().join("search/d/0.json")).unwrap();
    assert!(
        docs.contains("[\"c-ar\",\"مقتل 54 على الأقل في البوكمال\""),
        "{docs}"
    );
}

#[test]
fn aliases_resolve_and_perpetrators_split_alone_and_shared() {
    let site = built();
    let reports = site.json("data/reports.json");
    // `regime forces` and `air strike` are aliases in content/vocabulary.yaml.
    let a = record(&reports, "id", "a");
    assert_eq!(
        a["perpetrators"],
        serde_json::json!(["Syrian regime forces"])
    );
    assert_eq!(a["incident_types"], serde_json::json!(["airstrike"]));
    let terms = site.json("data/terms.json");
    let regime = record(&terms, "slug", "syrian-regime-forces");
    assert!(regime["totals"].is_null(), "never one figure");
    assert_eq!(killed_min(&regime["alone"]), 54);
    assert_eq!(killed_min(&regime["shared"]), 7);
    let isis = record(&terms, "slug", "isis");
    assert_eq!(killed_min(&isis["alone"]), 5 + 10);
    assert_eq!(killed_min(&isis["shared"]), 7);
    let page = site.page("perpetrators/syrian-regime-forces");
    assert!(page.contains("In reports naming only Syrian regime forces</h2><p class=\"summary\">at least 54 killed"), "{page}");
    assert!(
        page.contains(
            "In reports naming Syrian regime forces with others</h2><p class=\"summary\">7 killed"
        ),
        "{page}"
    );
    assert!(page.contains("never added up into one"));
    assert!(
        page.contains("<bdi lang=\"ar\">قوات النظام السوري</bdi>"),
        "the vocabulary's Arabic name"
    );
    let shelling = site.page("types/shelling");
    assert!(
        shelling.contains("totals of the reports of this type"),
        "{shelling}"
    );
}

#[test]
fn remainders_reconcile_and_are_said_on_the_page() {
    let site = built();
    let places = site.json("data/places.json");
    let idlib = record(&places, "path", "Syria/Idlib");
    // d (5, given for Idlib itself) and 6 of e's 10 (4 are placed in Ariha).
    assert_eq!(idlib["not_below"], serde_json::json!({"killed": 11}));
    assert_eq!(killed_min(&idlib["totals"]), 15);
    let page = site.page("places/syria/idlib");
    assert!(
        page.contains("Of this total, 11 killed are held by no place below Idlib"),
        "{page}"
    );
    let saraqib = site.page("places/syria/idlib/saraqib");
    assert!(
        !saraqib.contains("No casualty figures are counted here"),
        "{saraqib}"
    );
    assert!(
        saraqib.contains("give no figures for Saraqib alone (1 report)"),
        "{saraqib}"
    );
    let dates = site.json("data/dates.json");
    assert_eq!(
        record(&dates, "date", "2018")["across"],
        serde_json::json!({"killed": 10})
    );
    assert_eq!(
        record(&dates, "date", "2018-05")["across"],
        serde_json::json!({"killed": 7})
    );
    let february = site.page("dates/2018/02");
    assert!(
        !february.contains("No casualty figures are counted here"),
        "{february}"
    );
    assert!(
        february.contains("extend beyond February 2018 (1 report)"),
        "{february}"
    );
    assert!(february.contains("href=\"/reports/e/\""));
    let year = site.page("dates/2018");
    assert!(
        year.contains("10 killed are in reports that span more than one month (1 report)"),
        "{year}"
    );
    assert!(year.contains("The bars leave out 10 killed"), "{year}");
    let home = site.page("");
    assert!(
        home.contains("The years below add up to the archive&#39;s total"),
        "{home}"
    );
}

/// Every root-relative link of the page at folder `rel` of `site` leads to a file.
fn assert_links_resolve(site: &Site, rel: &str) {
    let page = site.page(rel);
    for href in page.split("href=\"").skip(1) {
        let href = &href[..href.find('"').unwrap()];
        let Some(path) = href.strip_prefix('/') else {
            continue;
        };
        let file = site.out().join(path.split(['?', '#']).next().unwrap());
        let file = if path.ends_with('/') || path.is_empty() {
            file.join("index.html")
        } else {
            file
        };
        assert!(file.exists(), "{rel}: {href} leads nowhere");
    }
}

#[test]
fn an_earlier_account_names_what_has_no_page_without_linking_it() {
    let site = Site::new("incidents-unlisted");
    site.report(
        "reports/a.md",
        "---\ntitle: First account\ndate: 2019-02-28\nlocations: [Syria/Idlib/Maarat al-Numan]\ncasualties: {killed: 3}\nperpetrators: [ISIS, Isis]\n---\nFirst.\n",
    );
    site.report(
        "reports/b.md",
        "---\ntitle: Second account\ndate: 2019-03-02\nperiod: {start: 2019-03-01, end: 2019-03-02}\nupdates: a\nlocations: [Syria/Idlib/Kafr Nubl]\ncasualties: {killed: 5}\nperpetrators: [Syrian regime forces]\n---\nSecond.\n",
    );
    site.report(
        "reports/c.md",
        "---\ntitle: Elsewhere\ndate: 2019-04-01\nlocations: [Syria/Aleppo]\ncasualties: {killed: 2}\nperpetrators: [ISIS, Isis]\n---\nOne perpetrator, spelt twice.\n",
    );
    site.build_ok(&[]);
    let a = site.page("reports/a");
    // The place no listed report names is named, its widest known place linked.
    assert!(a.contains("Maarat al-Numan"), "{a}");
    assert!(!a.contains("maarat-al-numan"), "{a}");
    assert!(a.contains("href=\"/places/syria/idlib/\""), "{a}");
    assert!(!site.has_page("places/syria/idlib/maarat-al-numan"));
    assert!(!site.has_page("dates/2019/02/28"));
    assert!(a.contains("28 February 2019"));
    for rel in ["reports/a", "reports/b", "reports/c"] {
        assert_links_resolve(&site, rel);
    }
    // `ISIS` and `Isis` are one perpetrator: c's 2 killed are ISIS's alone.
    let terms = site.json("data/terms.json");
    let isis = record(&terms, "slug", "isis");
    assert_eq!(
        isis["alone"],
        serde_json::json!({"killed": {"min": 2, "max": 2}})
    );
    assert_eq!(isis["shared"], serde_json::json!({}));
}

//! Feeds, sitemap and exports, read back with real parsers and compared with
//! `data/reports.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::*;
use serde_json::Value;

const BASE: &str = SUB_PATH_BASE;

/// The bundled archive built under a sub-path.
fn bundled() -> (TempDir, std::path::PathBuf) {
    bundled_site("exports")
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    node.children().find(|c| c.has_tag_name((ATOM, name)))
}

/// Checks the elements RFC 4287 requires; returns the entries' (id, link).
fn check_feed(text: &str) -> Vec<(String, String)> {
    let doc = roxmltree::Document::parse(text).expect("feed is well-formed XML");
    let feed = doc.root_element();
    assert!(feed.has_tag_name((ATOM, "feed")), "root is atom:feed");
    for required in ["id", "title", "updated"] {
        assert!(
            child(feed, required).is_some_and(|n| !n.text().unwrap_or("").is_empty()),
            "feed has {required}"
        );
    }
    let author = child(feed, "author").and_then(|a| child(a, "name"));
    assert!(author.is_some(), "feed has an author");
    let self_link = feed
        .children()
        .find(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("self"));
    assert!(
        self_link
            .and_then(|l| l.attribute("href"))
            .is_some_and(|h| h.starts_with(BASE))
    );
    feed.children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .map(|e| {
            for required in ["id", "title", "updated"] {
                assert!(
                    child(e, required).is_some_and(|n| !n.text().unwrap_or("").is_empty()),
                    "entry has {required}"
                );
            }
            let updated = child(e, "updated").unwrap().text().unwrap();
            assert!(
                chrono::DateTime::parse_from_rfc3339(updated).is_ok(),
                "RFC 3339 date: {updated}"
            );
            let link = e
                .children()
                .find(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("alternate"))
                .and_then(|l| l.attribute("href"))
                .expect("entry links its page")
                .to_string();
            assert!(
                link.starts_with(BASE),
                "absolute link under the base URL: {link}"
            );
            (child(e, "id").unwrap().text().unwrap().to_string(), link)
        })
        .collect()
}

#[test]
fn feeds_are_valid_atom_with_stable_ids_and_are_linked_from_their_pages() {
    let (_tmp, out) = bundled();
    let reports = read_json(&out.join("data/reports.json"));
    let count = reports.as_array().unwrap().len();
    let site = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    let entries = check_feed(&site);
    assert_eq!(entries.len(), count.min(50));
    // Newest first: the first entry is the report with the latest date.
    let latest = reports
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|r| {
            (
                r["date"].as_str().unwrap().to_string(),
                std::cmp::Reverse(r["id"].as_str().unwrap().to_string()),
            )
        })
        .unwrap();
    assert_eq!(
        entries[0].1,
        format!("{BASE}{}", latest["url"].as_str().unwrap())
    );

    let places = read_json(&out.join("data/places.json"));
    for place in places.as_array().unwrap() {
        let rel = place["url"].as_str().unwrap();
        let feed = std::fs::read_to_string(out.join(rel).join("feed.xml")).unwrap();
        let entries = check_feed(&feed);
        assert_eq!(
            entries.len() as u64,
            place["reports"].as_u64().unwrap().min(20),
            "{rel}"
        );
        let page = read_page(&out, rel);
        assert!(
            page.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title="),
            "{rel} links its feed"
        );
        assert!(
            page.contains(&format!("href=\"/sub/path/{rel}feed.xml\"")),
            "{rel}"
        );
    }
    let types = std::fs::read_dir(out.join("types"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .count();
    assert!(types > 3);
    for entry in std::fs::read_dir(out.join("types")).unwrap() {
        let dir = entry.unwrap().path();
        if dir.is_dir() {
            check_feed(&std::fs::read_to_string(dir.join("feed.xml")).unwrap());
        }
    }

    // A second build gives the same entry ids.
    let tmp2 = TempDir::new("exports-again");
    let out2 = tmp2.path().join("site");
    assert_success(&run_build(Path::new(REPO), &out2, &["--base-url", BASE]));
    assert_eq!(
        check_feed(&std::fs::read_to_string(out2.join("feed.xml")).unwrap()),
        entries
    );
}

#[test]
fn sitemap_lists_every_page_and_robots_points_to_it() {
    let (_tmp, out) = bundled();
    let text = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert!(doc.root_element().has_tag_name((ns, "urlset")));
    let locs: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    for r in read_json(&out.join("data/reports.json"))
        .as_array()
        .unwrap()
    {
        let url = format!("{BASE}{}", r["url"].as_str().unwrap());
        assert!(locs.contains(&url), "{url} missing from the sitemap");
    }
    // Every HTML page is listed, and nothing else.
    let pages: BTreeSet<String> = snapshot(&out)
        .keys()
        .filter(|f| f.ends_with("index.html"))
        .map(|f| format!("{BASE}{}", f.trim_end_matches("index.html")))
        .collect();
    assert_eq!(locs, pages);
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(
        robots.contains(&format!("Sitemap: {BASE}sitemap.xml")),
        "{robots}"
    );
    let not_found = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(
        not_found.contains("href=\"/sub/path/style.css\""),
        "404 works from any depth"
    );
}

fn count(cell: &str) -> Value {
    if cell.is_empty() {
        Value::Null
    } else {
        Value::from(cell.parse::<u64>().unwrap())
    }
}

#[test]
fn csv_and_geojson_agree_with_reports_json() {
    let (_tmp, out) = bundled();
    let reports = read_json(&out.join("data/reports.json"));
    let by_id: BTreeMap<&str, &Value> = reports
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r))
        .collect();

    let bytes = std::fs::read(out.join("data/reports.csv")).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 BOM for spreadsheet programs"
    );
    let mut rdr = csv::Reader::from_reader(&bytes[3..]);
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    };
    let mut seen = Vec::new();
    for record in rdr.records() {
        let record = record.unwrap();
        let r = by_id[&record[col("id")]];
        seen.push(record[col("id")].to_string());
        assert_eq!(&record[col("title")], r["title"].as_str().unwrap());
        assert_eq!(
            &record[col("url")],
            format!("{BASE}{}", r["url"].as_str().unwrap())
        );
        assert_eq!(
            &record[col("period_start")],
            r["period"]["start"].as_str().unwrap()
        );
        let paths: Vec<&str> = r["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["path"].as_str().unwrap())
            .collect();
        assert_eq!(&record[col("places")], paths.join("; "));
        for field in [
            "killed",
            "children",
            "women",
            "men",
            "civilians",
            "combatants",
            "injured",
            "missing",
        ] {
            let json = &r["casualties"][field];
            let (min, max) = (
                count(&record[col(&format!("{field}_min"))]),
                count(&record[col(&format!("{field}_max"))]),
            );
            if json.is_null() {
                assert!(min.is_null() && max.is_null(), "{} {field}", r["id"]);
            } else {
                assert_eq!(
                    (&min, &max),
                    (&json["min"], &json["max"]),
                    "{} {field}",
                    r["id"]
                );
            }
        }
    }
    assert_eq!(
        seen,
        by_id
            .keys()
            .map(std::string::ToString::to_string)
            .collect::<Vec<_>>(),
        "one row per report, by id"
    );

    // A place page's CSV is built by the search page from the search index (tests/search.rs
    // checks its rows): the page links there with its filter, and no per-page file is written.
    let place = read_json(&out.join("data/places.json"));
    let idlib = record(&place, "path", "Syria/Idlib");
    let rel = idlib["url"].as_str().unwrap();
    assert!(
        read_page(&out, rel).contains("href=\"/sub/path/search/?place=syria/idlib&amp;csv=1\""),
        "the place page links its CSV"
    );
    assert!(!out.join(rel).join("reports.csv").exists());

    let geo = read_json(&out.join("data/reports.geojson"));
    assert_eq!(geo["type"], "FeatureCollection");
    let gazetteer: Vec<Value> = serde_yaml::from_str(
        &std::fs::read_to_string(Path::new(REPO).join("content/places.yaml")).unwrap(),
    )
    .unwrap();
    let coords: BTreeMap<&str, (f64, f64)> = gazetteer
        .iter()
        .filter(|p| p["lat"].is_number())
        .map(|p| {
            (
                p["path"].as_str().unwrap(),
                (p["lat"].as_f64().unwrap(), p["lon"].as_f64().unwrap()),
            )
        })
        .collect();
    let mut expected = 0;
    let mut unlocated = 0;
    for r in by_id.values() {
        for l in r["locations"].as_array().unwrap() {
            let mut path = l["path"].as_str().unwrap();
            let point = loop {
                if let Some(c) = coords.get(path) {
                    break Some((path, *c));
                }
                match path.rfind('/') {
                    Some(i) => path = &path[..i],
                    None => break None,
                }
            };
            let Some((at, (lat, lon))) = point else {
                unlocated += 1;
                continue;
            };
            expected += 1;
            let f = geo["features"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["properties"]["id"] == r["id"] && f["properties"]["place"] == l["path"])
                .unwrap_or_else(|| panic!("no feature for {} at {}", r["id"], l["path"]));
            assert_eq!(f["geometry"]["coordinates"], serde_json::json!([lon, lat]));
            assert_eq!(f["properties"]["precision_place"], at);
            assert_eq!(f["properties"]["counts"], l["counts"]);
        }
    }
    assert_eq!(geo["features"].as_array().unwrap().len(), expected);
    assert_eq!(geo["unlocated_locations"], unlocated);
}

#[test]
fn report_pages_carry_citation_and_json_ld() {
    let (_tmp, out) = bundled();
    let page = read_page(&out, "reports/2017-11-12-al-bukamal-countryside/");
    assert!(page.contains("Cite this report"));
    assert!(page.contains(&format!("{BASE}reports/2017-11-12-al-bukamal-countryside/")));
    let ld = element(&page, |t| {
        t.name == "script" && t.attr("type") == Some("application/ld+json")
    })
    .expect("a JSON-LD script");
    let ld: Value = serde_json::from_str(ld).unwrap();
    assert_eq!(ld["@type"], "Report");
    assert_eq!(ld["datePublished"], "2017-11-12");
    assert_eq!(ld["temporalCoverage"], "2017-11-10/2017-11-12");
    assert_eq!(ld["isBasedOn"], "https://www.syriahr.com/en/78375/");
    assert!(ld["spatialCoverage"].as_array().unwrap().len() >= 4);
    assert!(ld["publisher"]["name"].is_string());
}

#[test]
fn hostile_values_stay_inert_in_csv_feeds_and_json_ld() {
    let site = Site::new("hostile-exports");
    site.report(
        "reports/x.md",
        "---\ntitle: \"=HYPERLINK(\\\"https://evil.example\\\") </script><script>alert(1)</script>\"\ndate: 2018-02-04\nlocations: [\"Syria/Idlib\"]\ncasualties: {killed: 1}\nperpetrators: [\"@cmd\"]\n---\nText.\n",
    );
    assert_success(&site.build(&["--base-url", BASE]));
    let out = site.out();
    let csv = std::fs::read_to_string(out.join("data/reports.csv")).unwrap();
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains(",'@cmd,"), "{csv}");
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    roxmltree::Document::parse(&feed).unwrap();
    assert!(!feed.contains("<script>"));
    let page = read_page(&out, "reports/x/");
    assert_eq!(
        page.matches("<script").count(),
        1,
        "only the JSON-LD script: {page}"
    );
    assert!(page.contains("\\u003c/script\\u003e"), "{page}");
}

/// The build says how big the site is, GitHub Pages' limit being on bytes: the count is
/// every file written, to the byte (checked through the library), and the command line
/// rounds it to tenths of a megabyte.
#[test]
fn the_build_reports_the_size_of_the_site() {
    let tmp = TempDir::new("size");
    let out = tmp.path().join("out");
    let summary = sijill::build(&sijill::BuildOptions {
        root: Path::new(REPO).to_path_buf(),
        out: Some(out.clone()),
        base_url: Some(BASE.to_string()),
        ..Default::default()
    })
    .unwrap();
    let on_disk: u64 = snapshot(&out).values().map(|b| b.len() as u64).sum();
    assert!(on_disk > 100_000, "{on_disk}");
    assert_eq!(summary.bytes, on_disk);
    assert!(summary.bytes < sijill::PAGES_LIMIT_BYTES);

    let printed = run_build(Path::new(REPO), &out, &["--base-url", BASE]);
    assert_success(&printed);
    let expected = format!(", {:.1} MB, in ", on_disk as f64 / 1e6);
    assert!(stderr(&printed).contains(&expected), "{}", stderr(&printed));
    assert!(!stderr(&printed).contains("GitHub Pages"));
}

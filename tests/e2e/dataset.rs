//! A licensed, described dataset: `license` and `attribution` of `site.yaml` on the pages,
//! in the feeds, the JSON-LD and the GeoJSON, and `data/datapackage.json` describing
//! `data/reports.csv` column by column. The fixture `tests/fixtures/dataset/` has every kind
//! of cell: ranges, "at least", empty counts, Arabic text, a summary, updates, translations
//! and cells a spreadsheet would run.
//!
//! `frictionless validate` (the PyPI package, installed by `.ci/run`) is run by the ignored
//! test at the end; the others check the same promises without it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::*;

const BY_SA: &str = "https://creativecommons.org/licenses/by-sa/4.0/";
const ATTRIBUTION: &str = "Dataset fixture & <friends>, أرشيف";

/// The header and rows of `data/reports.csv` of the site built at `out`, which starts with
/// a byte order mark.
fn read_csv(out: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let file = out.join("data/reports.csv");
    assert!(
        fs::read(&file).unwrap().starts_with(b"\xEF\xBB\xBF"),
        "a byte order mark"
    );
    read_csv_table(&file)
}

/// Every `index.html` under `dir`, sorted.
fn pages(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = snapshot(dir)
        .into_keys()
        .filter(|k| k.ends_with(".html"))
        .map(|k| dir.join(k))
        .collect();
    found.sort();
    found
}

/// The JSON-LD of the report page `id`.
fn json_ld(site: &Site, id: &str) -> Value {
    let page = site.page(&format!("reports/{id}/"));
    let start = page.find("<script type=\"application/ld+json\">").unwrap() + 35;
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).unwrap()
}

#[test]
fn the_datapackage_describes_every_csv_column_in_order_and_the_cells_fit_its_types() {
    let site = Site::fixture("dataset");
    site.build_ok(&[]);
    let package = site.json("data/datapackage.json");
    let (header, rows) = read_csv(&site.out());
    assert!(rows.len() >= 8, "{rows:?}");

    let resources = package["resources"].as_array().unwrap();
    let csv = resources
        .iter()
        .find(|r| r["path"] == "reports.csv")
        .expect("reports.csv is described");
    assert_eq!(csv["profile"], "tabular-data-resource");
    let fields = csv["schema"]["fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, header, "exactly the CSV's columns, in its order");
    assert_eq!(csv["schema"]["primaryKey"], "id");
    assert_eq!(csv["schema"]["missingValues"], serde_json::json!([""]));

    // Every cell holds what its column's type and constraints say.
    for (i, field) in fields.iter().enumerate() {
        let name = field["name"].as_str().unwrap();
        let description = field["description"].as_str().unwrap_or("");
        assert!(description.len() > 10, "{name} is described: {field}");
        let constraints = &field["constraints"];
        for row in &rows {
            let cell = row[i].as_str();
            if cell.is_empty() {
                assert_ne!(constraints["required"], true, "{name} is required: {row:?}");
                continue;
            }
            match field["type"].as_str().unwrap() {
                "string" => {}
                "integer" => assert!(cell.parse::<u64>().is_ok(), "{name}: {cell}"),
                "date" => assert!(
                    chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").is_ok(),
                    "{name}: {cell}"
                ),
                "boolean" => assert!(
                    field["trueValues"][0] == cell || field["falseValues"][0] == cell,
                    "{name}: {cell}"
                ),
                other => panic!("{name}: type {other}"),
            }
            if let Some(words) = constraints["enum"].as_array() {
                assert!(words.iter().any(|w| w == cell), "{name}: {cell}");
            }
        }
    }
    let type_of =
        |name: &str| fields[names.iter().position(|n| *n == name).unwrap()]["type"].clone();
    assert_eq!(type_of("killed_max"), "integer");
    assert_eq!(type_of("period_start"), "date");
    assert_eq!(type_of("counted"), "boolean");
    assert_eq!(type_of("title"), "string");
    // The fixture has the cells that matter: a range, "at least", Arabic, a neutralised
    // formula.
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = |id: &str| rows.iter().find(|r| r[0] == id).unwrap();
    assert_eq!(row("azaz-range")[column("killed_max")], "20");
    assert_eq!(row("azaz-range")[column("injured_max")], "");
    assert!(row("bukamal-1-ar")[column("title")].contains("البوكمال"));
    assert!(row("formula-title")[column("title")].starts_with("'="));

    // The resources are exactly the other files of data/.
    let mut described: Vec<&str> = resources
        .iter()
        .map(|r| {
            assert!(
                r["mediatype"].is_string() && r["description"].is_string(),
                "{r}"
            );
            r["path"].as_str().unwrap()
        })
        .collect();
    described.push("datapackage.json");
    described.sort_unstable();
    let mut written: Vec<String> = fs::read_dir(site.out().join("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(described, written);
    assert_eq!(
        package["licenses"],
        serde_json::json!([{
            "name": "CC-BY-SA-4.0",
            "path": BY_SA,
            "title": "Creative Commons Attribution Share Alike 4.0 International"
        }])
    );
    assert_eq!(package["attribution"], ATTRIBUTION);
    assert_eq!(package["name"], "dataset-fixture");
}

#[test]
fn the_licence_is_on_every_page_in_the_feeds_the_json_ld_and_the_geojson() {
    let site = Site::fixture("dataset");
    site.build_ok(&["--base-url", SUB_PATH_BASE]);
    let out = site.out();
    // Machine-readable on every page: in the head, or in a report's citation.
    for page in pages(&out) {
        let html = fs::read_to_string(&page).unwrap();
        assert!(
            html.contains(&format!("rel=\"license\" href=\"{BY_SA}\"")),
            "{}",
            page.display()
        );
    }
    let head_link = format!("<link rel=\"license\" href=\"{BY_SA}\">");
    assert!(site.page("places/syria/").contains(&head_link));
    assert!(!site.page("reports/azaz-range/").contains(&head_link));
    let shown = |label: &str, credit: &str| {
        format!(
            "<p class=\"license\">{label}: <a rel=\"license\" href=\"{BY_SA}\">CC BY-SA 4.0</a> · \
             {credit}: <bdi>Dataset fixture &amp; &lt;friends&gt;, أرشيف</bdi></p>"
        )
    };
    let home = site.page("");
    let footer = &home[home.find("<footer>").expect("the home page has a footer")..];
    assert!(footer.contains(&shown("Licence", "Credit")), "{footer}");
    let report = site.page("reports/azaz-range/");
    let cite = &report[report.find("<section class=\"cite\">").unwrap()..];
    assert!(cite.contains(&shown("Licence", "Credit")), "{cite}");
    let arabic = site.page("reports/bukamal-1-ar/");
    assert!(arabic.contains(&shown("الترخيص", "الإسناد")), "{arabic}");

    let ld = json_ld(&site, "bukamal-1-ar");
    assert_eq!(ld["license"], BY_SA);
    assert_eq!(ld["creditText"], ATTRIBUTION);

    for feed in ["feed.xml", "places/syria/feed.xml"] {
        let text = fs::read_to_string(out.join(feed)).unwrap();
        let doc = roxmltree::Document::parse(&text).expect("well-formed");
        let root = doc.root_element();
        let rights = root
            .children()
            .find(|c| c.has_tag_name("rights"))
            .and_then(|r| r.text())
            .expect("<rights>");
        assert!(
            rights.contains("(CC-BY-SA-4.0)") && rights.contains(BY_SA),
            "{rights}"
        );
        assert!(
            rights.ends_with(&format!("Credit: {ATTRIBUTION}")),
            "{rights}"
        );
        let link = root
            .children()
            .find(|c| c.has_tag_name("link") && c.attribute("rel") == Some("license"));
        assert_eq!(link.and_then(|l| l.attribute("href")), Some(BY_SA));
    }

    let geojson = site.json("data/reports.geojson");
    assert_eq!(geojson["type"], "FeatureCollection");
    assert_eq!(geojson["license"]["id"], "CC-BY-SA-4.0");
    assert_eq!(geojson["license"]["url"], BY_SA);
    assert_eq!(geojson["license"]["attribution"], ATTRIBUTION);
    // The record files keep their shape: arrays of records.
    for file in ["reports", "places", "dates", "terms"] {
        assert!(site.json(&format!("data/{file}.json")).is_array(), "{file}");
    }
}

#[test]
fn without_a_licence_nothing_is_claimed() {
    let site = Site::fixture("dataset");
    site.config("title: Dataset fixture\n");
    site.build_ok(&["--base-url", SUB_PATH_BASE]);
    let out = site.out();
    for (file, bytes) in snapshot(&out) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("rel=\"license\"") && !text.contains("<rights>"),
            "{file}"
        );
    }
    assert!(!site.page("").contains("class=\"license\""));
    assert!(json_ld(&site, "azaz-range").get("license").is_none());
    assert!(site.json("data/reports.geojson").get("license").is_none());
    let package = site.json("data/datapackage.json");
    assert!(package.get("licenses").is_none() && package.get("attribution").is_none());
    assert_eq!(package["homepage"], SUB_PATH_BASE);
}

#[test]
fn a_wrong_licence_is_an_error_at_its_line_saying_what_to_write() {
    let site = Site::fixture("dataset");
    let cases: &[(&str, &str, &str)] = &[
        (
            "title: T\nlicense: CC-BY-SA-40\n",
            "site.yaml:2:10: error[site-license]: `CC-BY-SA-40` is not a licence sijill knows",
            "help: did you mean `CC-BY-SA-4.0`?",
        ),
        (
            "license: cc0-1.0\n",
            "site.yaml:1:10: error[site-license]",
            "help: did you mean `CC0-1.0`?",
        ),
        (
            "license: GPL-3.0\n",
            "`GPL-3.0` is not a licence sijill knows",
            "CC-BY-4.0, CC-BY-SA-4.0",
        ),
        (
            "license: LicenseRef-ours\nlicense_name: Ours\n",
            "site.yaml:1:10: error[site-license]: `LicenseRef-ours` is the archive's own licence, so `license_url` is needed",
            "help: give `license_url`",
        ),
        (
            "license: CC-BY-4.0\nlicense_url: https://example.org/\n",
            "site.yaml:2:14: error[site-license]: `license_url` is only for a `LicenseRef-` licence",
            "help: remove `license_url`",
        ),
        (
            "title: T\nattribution: Us\n",
            "site.yaml:2:14: error[site-license]: `attribution` is given but `license` is not",
            "help: add `license`",
        ),
    ];
    for (config, error, help) in cases {
        site.config(config);
        for output in [site.check(&[]), site.build(&[])] {
            let err = stderr(&output);
            assert_eq!(output.status.code(), Some(1), "{config}: {err}");
            assert!(err.contains(error) && err.contains(help), "{config}: {err}");
        }
    }
}

#[test]
fn a_licence_of_ones_own_is_shown_with_its_name_and_url_escaped() {
    let site = Site::fixture("dataset");
    site.config(
        "license: LicenseRef-our-terms\nlicense_url: \"https://example.org/terms?a=1&b=<2>\"\n\
         license_name: \"Our <terms> & rules\"\n",
    );
    site.build_ok(&[]);
    let home = site.page("");
    assert!(
        home.contains(
            "<a rel=\"license\" href=\"https://example.org/terms?a=1&amp;b=&lt;2&gt;\">\
             Our &lt;terms&gt; &amp; rules</a></p>"
        ),
        "{home}"
    );
    let report = site.page("reports/azaz-range/");
    assert!(
        report.contains("\"license\":\"https://example.org/terms?a=1\\u0026b=\\u003c2\\u003e\"")
    );
    let feed = fs::read_to_string(site.out().join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).expect("well-formed");
    let rights = doc
        .root_element()
        .children()
        .find(|c| c.has_tag_name("rights"))
        .and_then(|r| r.text())
        .unwrap();
    assert_eq!(
        rights,
        "Our <terms> & rules (LicenseRef-our-terms): https://example.org/terms?a=1&b=<2>"
    );
    let package = site.json("data/datapackage.json");
    assert_eq!(package["licenses"][0]["name"], "LicenseRef-our-terms");
    assert_eq!(package["licenses"][0]["title"], "Our <terms> & rules");
}

/// The `frictionless` command: `FRICTIONLESS`, else the one on the `PATH`. Missing, the
/// test fails (it is ignored unless asked for, and `.ci/run` installs it).
fn frictionless() -> PathBuf {
    let command = std::env::var_os("FRICTIONLESS")
        .map_or_else(|| PathBuf::from("frictionless"), PathBuf::from);
    let works = Command::new(&command)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        works,
        "needs the frictionless PyPI package (run .ci/run, or set FRICTIONLESS)"
    );
    command
}

/// `frictionless validate <dir>/data/datapackage.json`: whether it passed, and what it said.
fn validate(frictionless: &Path, site: &Path) -> (bool, String) {
    let run = Command::new(frictionless)
        .arg("validate")
        .arg(site.join("data/datapackage.json"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stdout).into_owned() + &stderr(&run);
    (run.status.success(), said)
}

#[test]
#[ignore = "needs the frictionless PyPI package: run by .ci/run, or cargo test --test e2e dataset:: -- --ignored"]
fn frictionless_validates_the_datapackage_of_the_bundled_archive_and_the_fixture() {
    let frictionless = frictionless();
    let (_tmp, bundled) = bundled_site("frictionless");
    let (valid, said) = validate(&frictionless, &bundled);
    assert!(valid, "bundled archive:\n{said}");
    assert!(
        said.contains("reports.csv") && !said.contains("INVALID"),
        "{said}"
    );
    assert_eq!(
        read_json(&bundled.join("data/datapackage.json"))["licenses"][0]["name"],
        "CC-BY-4.0",
        "the bundled archive states its licence"
    );

    let site = Site::fixture("dataset");
    site.build_ok(&[]);
    let (valid, said) = validate(&frictionless, &site.out());
    assert!(valid, "fixture:\n{said}");

    // A canary: a count that is not a number makes the same package invalid, so a
    // validator that checked nothing would fail this test.
    let (header, _) = read_csv(&site.out());
    let killed = header.iter().position(|h| h == "killed_min").unwrap();
    let path = site.out().join("data/reports.csv");
    let text = fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.split("\r\n").map(String::from).collect();
    let mut cells: Vec<String> = lines[1].split(',').map(String::from).collect();
    cells[killed] = "many".into();
    lines[1] = cells.join(",");
    fs::write(&path, lines.join("\r\n")).unwrap();
    let (valid, said) = validate(&frictionless, &site.out());
    assert!(!valid && said.contains("type-error"), "canary:\n{said}");
}

//! Search in a real browser: the built search page of a fixture archive, served on
//! localhost under a sub-path, finds exactly the expected reports for a query and a place
//! filter, and for a day; with `csv=1` (the links of place and date pages) it offers every
//! result as a CSV file whose bytes are checked against `data/reports.json` and
//! `data/reports.csv`. No request leaves localhost. Needs Debian's chromium and
//! playwright-core in tests/tools (`.ci/run` installs both).

use std::path::Path;
use std::process::Command;

use crate::common::serve::serve;
use crate::common::*;

fn report(title: &str, date: &str, place: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nlocations: [\"{place}\"]\ncasualties: {{killed: 2}}\nsource: {{url: \"https://example.org/r\"}}\n---\n{body}\n"
    )
}

fn require_browser_tools() {
    let tools = Path::new(REPO).join("tests/tools/node_modules/playwright-core");
    require_tools(&[&tools, &chromium()], "chromium or playwright-core");
}

#[test]
#[ignore = "needs chromium and playwright-core: run by .ci/run, or cargo test --test e2e search:: -- --ignored"]
fn search_finds_words_within_a_place_under_a_sub_path() {
    require_browser_tools();
    let site = Site::new("search");
    site.report(
        "reports/a.md",
        &report(
            "Market hit in Saraqib",
            "2018-02-04",
            "Syria/Idlib/Saraqib",
            "Heavy shelling hit the market.",
        ),
    )
    .report(
        "reports/b.md",
        &report(
            "Air raid on Saraqib",
            "2018-02-05",
            "Syria/Idlib/Saraqib",
            "An airstrike destroyed a bakery.",
        ),
    )
    .report(
        "reports/c.md",
        &report(
            "Douma under fire",
            "2018-02-06",
            "Syria/Rif Dimashq/Douma",
            "Shelling continued all night.",
        ),
    )
    .report(
        "reports/d.md",
        &report(
            "Shelling on Idlib city",
            "2018-03-01",
            "Syria/Idlib/Idlib",
            "Several neighbourhoods were hit.",
        ),
    )
    .report(
        "reports/e.md",
        &report(
            "Quiet day in Binnish",
            "2018-03-02",
            "Syria/Idlib/Binnish",
            "No attacks were reported. Shelling elsewhere.",
        ),
    );
    let o = site.build(&["--base-url", "https://example.org/sub/path/"]);
    assert_success(&o);
    let port = serve(site.out(), "/sub/path/");
    let url = format!("http://127.0.0.1:{port}/sub/path/search/");
    let run = |query: &str, place: &str| -> serde_json::Value {
        let out = Command::new("node")
            .arg(Path::new(REPO).join("tests/tools/search.cjs"))
            .args([&url, query, place])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let found = run("shelling", "syria/idlib");
    // Newest first: e (2 March), d (1 March), a (4 February); c is in Rif Dimashq, b has no
    // shelling.
    assert_eq!(
        found["results"],
        serde_json::json!([
            "/sub/path/reports/e/",
            "/sub/path/reports/d/",
            "/sub/path/reports/a/"
        ]),
        "{found}"
    );
    assert_eq!(found["status"], "3 reports found.");
    assert_eq!(
        found["external"],
        serde_json::json!([]),
        "requests left localhost"
    );
    assert_eq!(found["errors"], serde_json::json!([]), "console errors");
    assert!(
        found["location"]
            .as_str()
            .unwrap()
            .contains("q=shelling&place=syria%2Fidlib"),
        "{found}"
    );

    let found = run("SHELLING market", "");
    assert_eq!(
        found["results"],
        serde_json::json!(["/sub/path/reports/a/"]),
        "{found}"
    );
    let found = run("shelling", "syria/idlib/saraqib");
    assert_eq!(
        found["results"],
        serde_json::json!(["/sub/path/reports/a/"]),
        "{found}"
    );
}

/// A report with an optional period and casualties (a YAML flow mapping, or "").
fn dated(
    title: &str,
    date: &str,
    period: Option<(&str, &str)>,
    places: &[&str],
    casualties: &str,
) -> String {
    let period = period.map_or(String::new(), |(s, e)| {
        format!("period: {{start: {s}, end: {e}}}\n")
    });
    let casualties = if casualties.is_empty() {
        String::new()
    } else {
        format!("casualties: {casualties}\n")
    };
    format!(
        "---\ntitle: '{title}'\ndate: {date}\n{period}locations: {places:?}\n{casualties}source: {{url: \"https://example.org/r\"}}\n---\nText.\n"
    )
}

const CSV_COLUMNS: [&str; 12] = [
    "id",
    "url",
    "title",
    "period_start",
    "period_end",
    "places",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "incident",
    "counted",
];

/// The CSV the search page must offer for `ids` (in that order), written from
/// `data/reports.json` with the conventions of `data/reports.csv`: byte order mark, CRLF,
/// RFC 4180 quoting, `'` before a text cell that a spreadsheet would run.
fn expected_csv(reports: &serde_json::Value, site: &str, ids: &[&str]) -> String {
    let text = |s: &str| {
        if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{s}")
        } else {
            s.to_string()
        }
    };
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    w.write_record(CSV_COLUMNS).unwrap();
    for id in ids {
        let r = record(reports, "id", id);
        let count = |field: &str, end: &str| {
            r["casualties"][field][end]
                .as_u64()
                .map_or(String::new(), |n| n.to_string())
        };
        let places: Vec<&str> = r["locations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["path"].as_str().unwrap())
            .collect();
        w.write_record([
            id.to_string(),
            format!("{site}{}", r["url"].as_str().unwrap()),
            text(r["title"].as_str().unwrap()),
            r["period"]["start"].as_str().unwrap().to_string(),
            r["period"]["end"].as_str().unwrap().to_string(),
            text(&places.join("; ")),
            count("killed", "min"),
            count("killed", "max"),
            count("injured", "min"),
            count("injured", "max"),
            r["incident"].as_str().unwrap_or("").to_string(),
            r["counted"].as_bool().unwrap().to_string(),
        ])
        .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// The rows of a CSV file (after its byte order mark) as column → cell maps, by id.
fn csv_rows(
    bytes: &[u8],
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> {
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .expect("byte order mark");
    let mut r = csv::Reader::from_reader(bytes);
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            let row: std::collections::BTreeMap<String, String> = header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(String::from))
                .collect();
            (row["id"].clone(), row)
        })
        .collect()
}

#[test]
#[ignore = "needs chromium and playwright-core: run by .ci/run, or cargo test --test e2e search:: -- --ignored"]
fn search_offers_the_reports_of_a_place_or_a_day_as_csv() {
    require_browser_tools();
    let site = Site::new("search-csv");
    let killed_3_injured_12_20 = "{killed: {min: 3}, injured: {min: 12, max: 20}}";
    site.report(
        "reports/a.md",
        &dated(
            r#"=HYPERLINK("http://x"), "quoted", and a comma"#,
            "2018-03-01",
            None,
            &["Syria/Idlib/Saraqib"],
            killed_3_injured_12_20,
        ),
    )
    // Single day, the 5th; two places.
    .report(
        "reports/b.md",
        &dated(
            "قصف على سراقب وبنش",
            "2018-02-05",
            None,
            &["Syria/Idlib/Saraqib", "Syria/Idlib/Binnish"],
            "{killed: 2}",
        ),
    )
    // 4–8 February: holds the 5th; no casualties.
    .report(
        "reports/c.md",
        &dated(
            "-5 degrees, and shelling near Idlib",
            "2018-02-09",
            Some(("2018-02-04", "2018-02-08")),
            &["Syria/Idlib"],
            "",
        ),
    )
    // 30 January – 5 February: from the month before, ends on the 5th.
    .report(
        "reports/d.md",
        &dated(
            "Douma besieged for a week",
            "2018-02-07",
            Some(("2018-01-30", "2018-02-05")),
            &["Syria/Rif Dimashq/Douma"],
            "{killed: {min: 10, max: 14}, injured: 0}",
        ),
    )
    // Same month, another day.
    .report(
        "reports/e.md",
        &dated(
            "Shelling on Idlib city",
            "2018-02-10",
            None,
            &["Syria/Idlib/Idlib"],
            "{killed: 1}",
        ),
    )
    // 1–4 February: ends the day before.
    .report(
        "reports/f.md",
        &dated(
            "Four days of raids on Binnish",
            "2018-02-04",
            Some(("2018-02-01", "2018-02-04")),
            &["Syria/Idlib/Binnish"],
            "{killed: {min: 4}}",
        ),
    );
    assert_success(&site.build(&["--base-url", "https://example.org/sub/path/"]));
    let reports = site.json("data/reports.json");
    let data_csv = csv_rows(&std::fs::read(site.out().join("data/reports.csv")).unwrap());
    let port = serve(site.out(), "/sub/path/");
    let origin = format!("http://127.0.0.1:{port}");
    let open = |query: &str| -> serde_json::Value {
        let out = Command::new("node")
            .arg(Path::new(REPO).join("tests/tools/search_csv.cjs"))
            .arg(format!("{origin}/sub/path/search/?{query}"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            found["external"],
            serde_json::json!([]),
            "requests left localhost"
        );
        assert_eq!(found["errors"], serde_json::json!([]), "console errors");
        found
    };
    let links = |ids: &[&str]| -> serde_json::Value {
        ids.iter()
            .map(|id| format!("/sub/path/reports/{id}/"))
            .collect()
    };
    // The CSV of a search: its bytes, its rows against data/reports.csv, its rows against
    // the page that links to it.
    let check_csv = |query: &str, page: &str, ids: &[&str], file: &str| {
        let found = open(query);
        assert_eq!(
            found["results"],
            links(&ids[..ids.len().min(20)]),
            "{query}: {found}"
        );
        let csv = &found["csv"];
        let bytes: Vec<u8> = csv["bytes"]
            .as_array()
            .unwrap_or_else(|| panic!("{query}: no CSV: {found}"))
            .iter()
            .map(|b| b.as_u64().unwrap() as u8)
            .collect();
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        assert_eq!(
            text,
            expected_csv(&reports, &format!("{origin}/sub/path/"), ids),
            "{query}"
        );
        assert_eq!(csv["download"], file, "{query}");
        assert_eq!(
            csv["label"],
            match ids.len() {
                1 => "Download 1 report as CSV".to_string(),
                n => format!("Download {n} reports as CSV"),
            },
            "{query}"
        );
        // Each cell as data/reports.csv has it (the URL on this server's origin).
        let rows = csv_rows(&bytes);
        assert_eq!(rows.len(), ids.len());
        for (id, row) in &rows {
            let data = &data_csv[id];
            for column in CSV_COLUMNS {
                let want = if column == "url" {
                    data["url"].replacen("https://example.org", &origin, 1)
                } else {
                    data[column].clone()
                };
                assert_eq!(row[column], want, "{query}: {id} {column}");
            }
        }
        // The same reports as the page that links here.
        let listed = listed_reports(&site.page(page), "/sub/path/");
        let ids_set: std::collections::BTreeSet<String> =
            ids.iter().map(std::string::ToString::to_string).collect();
        assert_eq!(listed, ids_set, "{page}");
    };
    // (a) A place page's link: every report under Syria/Idlib, newest first.
    check_csv(
        "place=syria/idlib&csv=1",
        "places/syria/idlib/",
        &["a", "e", "c", "b", "f"],
        "reports-syria-idlib.csv",
    );
    // (b) A day page's link: the periods that hold 5 February, whatever day they began or
    // ended; not e (10 February) nor f (1–4 February).
    check_csv(
        "day=2018-02-05&csv=1",
        "dates/2018/02/05/",
        &["c", "d", "b"],
        "reports-2018-02-05.csv",
    );
    // A month page's link.
    check_csv(
        "from=2018-01&to=2018-01&csv=1",
        "dates/2018/01/",
        &["d"],
        "reports-2018-01-2018-01.csv",
    );

    // Without csv=1 the day filter lists the same reports, and no CSV is offered.
    let found = open("day=2018-02-05");
    assert_eq!(found["results"], links(&["c", "d", "b"]), "{found}");
    assert_eq!(found["status"], "3 reports found.");
    assert_eq!(found["csv"], serde_json::Value::Null);
    assert_eq!(found["csvHidden"], true, "{found}");
    // With other filters, by intersection.
    let found = open("day=2018-02-05&place=syria/idlib");
    assert_eq!(found["results"], links(&["c", "b"]), "{found}");
    let found = open("day=2018-02-05&q=shelling");
    assert_eq!(found["results"], links(&["c"]), "{found}");
    let found = open("day=2018-02-11");
    assert_eq!(found["status"], "0 reports found.", "{found}");
}

/// A listing cut at `max_pages` links the search with its filter, and that search finds
/// every report of the listing, newest first: a place, a month, an incident type, a
/// perpetrator and a tag (whose filter the search has for this link).
#[test]
#[ignore = "needs chromium and playwright-core: run by .ci/run, or cargo test --test e2e search:: -- --ignored"]
fn a_listing_cut_at_max_pages_leads_to_a_search_that_finds_it_all() {
    require_browser_tools();
    let site = Site::new("search-cut");
    site.config("per_page: 1\nmax_pages: 1\n");
    for (id, date, place, tags) in [
        ("a", "2018-02-04", "Syria/Idlib/Saraqib", "[market]"),
        ("b", "2018-02-05", "Syria/Idlib/Binnish", "[market, bakery]"),
        ("c", "2018-02-06", "Syria/Rif Dimashq/Douma", "[bakery]"),
        ("d", "2018-03-01", "Syria/Idlib/Saraqib", "[market]"),
    ] {
        site.report(
            &format!("reports/{id}.md"),
            &format!(
                "---\ntitle: Report {id}\ndate: {date}\nlocations: [{place}]\nincident_types: [shelling]\nperpetrators: [Unknown forces]\ntags: {tags}\n---\nText.\n"
            ),
        );
    }
    assert_success(&site.build(&["--base-url", "https://example.org/sub/path/"]));
    let port = serve(site.out(), "/sub/path/");
    let origin = format!("http://127.0.0.1:{port}");
    for (rel, expected) in [
        ("places/syria/idlib/", &["d", "b", "a"][..]),
        ("dates/2018/02/", &["c", "b", "a"]),
        ("types/shelling/", &["d", "c", "b", "a"]),
        ("perpetrators/unknown-forces/", &["d", "c", "b", "a"]),
        ("tags/market/", &["d", "b", "a"]),
    ] {
        let page = site.page(rel);
        let more = links(&page)
            .into_iter()
            .find(|l| l.starts_with("/sub/path/search/?") && !l.contains("csv=1"))
            .unwrap_or_else(|| panic!("{rel} links no search: {page}"));
        let out = Command::new("node")
            .arg(Path::new(REPO).join("tests/tools/search_csv.cjs"))
            .arg(format!("{origin}{more}"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let want: Vec<String> = expected
            .iter()
            .map(|id| format!("/sub/path/reports/{id}/"))
            .collect();
        assert_eq!(found["results"], serde_json::json!(want), "{rel}: {found}");
        assert_eq!(found["errors"], serde_json::json!([]), "console errors");
        assert_eq!(found["external"], serde_json::json!([]));
    }
}

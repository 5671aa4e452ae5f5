//! Bounds on what one report may ask of a build (`src/content/limits.rs`): each hostile
//! report of the security review is refused by `check` at its line, naming the bound, and
//! `build` writes nothing, under a memory limit so that a regression fails the test instead
//! of exhausting the machine. Costs that grew with the square of a report's size are linear.

use crate::common::*;
use serde_json::Value;

/// `check --format json` under the limits: its problems.
fn problems(site: &Site) -> Vec<Value> {
    let o = site.check_bounded(&["--format", "json"]).output;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    serde_json::from_slice::<Vec<Value>>(&o.stdout).expect("json")
}

/// The problem of `code`, asserting there is exactly one.
fn the(problems: &[Value], code: &str) -> Value {
    let found: Vec<&Value> = problems.iter().filter(|p| p["code"] == code).collect();
    assert_eq!(found.len(), 1, "{code} in {problems:#?}");
    found[0].clone()
}

/// A build under the limits fails and writes no site.
fn build_refused(site: &Site) {
    let out = site.out();
    let o = site.build_bounded(&[]).output;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!out.exists(), "a refused build wrote {}", out.display());
}

fn report(front: &str) -> String {
    format!("---\ntitle: Hostile\ndate: 2018-01-01\n{front}---\nText.\n")
}

#[test]
fn a_period_of_millennia_is_refused_at_its_end() {
    for (start, end, days) in [
        ("0001-01-01", "9999-12-31", "3652059"),
        ("1900-01-01", "2100-12-31", "73414"),
    ] {
        let site = Site::new("long-period");
        site.report(
            "reports/r.md",
            &report(&format!(
                "period:\n  start: {start}\n  end: {end}\nlocations: [Syria]\n"
            )),
        );
        let p = the(&problems(&site), "period-too-long");
        assert_eq!(
            (p["line"].as_u64(), p["column"].as_u64()),
            (Some(6), Some(8))
        );
        let message = p["message"].as_str().unwrap();
        assert!(
            message.contains(days) && message.contains("7306"),
            "{message}"
        );
        build_refused(&site);
    }
    // Twenty years is a real summary ("the toll since 2011") and builds.
    let site = Site::new("twenty-years");
    site.report(
        "reports/r.md",
        &report(
            "kind: summary\nperiod: {start: 2011-03-15, end: 2031-03-14}\nlocations: [Syria]\n",
        ),
    );
    let o = site.check(&[]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn thousands_of_locations_tags_or_levels_are_refused() {
    let site = Site::new("many");
    let locations: String = (0..5000).map(|i| format!("  - Syria/Town {i}\n")).collect();
    site.report(
        "reports/locations.md",
        &report(&format!("locations:\n{locations}")),
    );
    let tags: Vec<String> = (0..100_000).map(|i| format!("t{i}")).collect();
    site.report(
        "reports/tags.md",
        &report(&format!(
            "locations: [Syria]\ntags: [{}]\n",
            tags.join(", ")
        )),
    );
    let deep = vec!["a"; 20_000].join("/");
    site.report(
        "reports/deep.md",
        &report(&format!("locations:\n  - {deep}\n")),
    );
    let found = problems(&site);
    let p = the(&found, "too-many-locations");
    assert_eq!(p["file"], "content/reports/locations.md");
    assert_eq!(p["line"], 5);
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains("5000 places, more than the limit of 250")
    );
    let p = the(&found, "too-many-values");
    assert_eq!(
        (p["file"].as_str(), p["line"].as_u64()),
        (Some("content/reports/tags.md"), Some(5))
    );
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains("100000 entries, more than the limit of 64")
    );
    let p = the(&found, "place-too-deep");
    assert_eq!(
        (p["file"].as_str(), p["line"].as_u64()),
        (Some("content/reports/deep.md"), Some(5))
    );
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains("20000 levels, more than the limit of 12")
    );
    build_refused(&site);
}

#[test]
fn reports_at_the_limits_build() {
    let site = Site::new("at-limits");
    // 249 towns and one place twelve levels deep: 250 locations.
    let mut locations: String = (0..249).map(|i| format!("  - Syria/Town {i}\n")).collect();
    let deep = (0..12)
        .map(|i| format!("L{i}"))
        .collect::<Vec<_>>()
        .join("/");
    locations.push_str(&format!("  - {deep}\n"));
    let tags: Vec<String> = (0..64).map(|i| format!("t{i}")).collect();
    site.report(
        "reports/wide.md",
        &report(&format!(
            "locations:\n{locations}tags: [{}]\n",
            tags.join(", ")
        )),
    );
    let o = site.check(&["--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    site.build_ok(&[]);
    assert!(site.has_page("places/l0/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/l11"));
    assert!(site.has_page("tags/t63"));
    // The report is in the feed of each of its 250 places (and those above them): each
    // entry names ten places, so the feeds grow with the number of places, not its square.
    let feed = std::fs::read_to_string(site.out().join("places/syria/town-7/feed.xml")).unwrap();
    assert!(
        feed.contains("Syria/Town 9; and 240 more places</summary>"),
        "{feed}"
    );
    assert!(!feed.contains("Syria/Town 10;"), "{feed}");
    assert!(feed.len() < 2_000, "{} bytes", feed.len());
}

#[test]
fn a_place_named_page_is_refused_with_or_without_a_gazetteer() {
    let site = Site::new("page-place");
    site.report("reports/r.md", &report("locations:\n  - Syria/Page\n"));
    let p = the(&problems(&site), "reserved-name");
    assert_eq!(
        (p["line"].as_u64(), p["column"].as_u64()),
        (Some(5), Some(5))
    );
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains("`Page` cannot name a place")
    );

    let site = Site::new("page-gazetteer");
    site.gazetteer("- path: Syria\n- path: Syria/page\n");
    site.report("reports/r.md", &report("locations: [Syria]\n"));
    let p = the(&problems(&site), "reserved-name");
    assert_eq!(p["file"], "content/places.yaml");
    assert_eq!(p["line"], 2);
}

#[test]
fn gazetteer_coordinates_off_the_earth_are_refused_at_their_line() {
    let site = Site::fixture("limits/coordinates");
    site.report("reports/r.md", &report("locations: [Syria/E]\n"));
    let found = problems(&site);
    let lines: Vec<(u64, &str)> = found
        .iter()
        .filter(|p| p["code"] == "gazetteer-coordinates")
        .map(|p| (p["line"].as_u64().unwrap(), p["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        lines.iter().map(|l| l.0).collect::<Vec<_>>(),
        [2, 6, 8, 12, 14],
        "{lines:?}"
    );
    assert!(lines[0].1.contains("`lat` is NaN"), "{lines:?}");
    assert!(
        lines[3]
            .1
            .contains("`lon` is -999, not between -180 and 180"),
        "{lines:?}"
    );
    assert!(lines[4].1.contains("without `lon`"), "{lines:?}");
}

#[test]
fn unknown_places_against_a_large_gazetteer_stay_cheap() {
    // 9,000 siblings and twelve reports of 250 unknown places each: before, every unknown
    // place normalised and compared every sibling (over 60 s for 3,000 of them).
    let site = Site::new("suggestions");
    let mut gazetteer = String::from("- path: Syria\n");
    for i in 0..9000 {
        gazetteer.push_str(&format!("- path: Syria/Village {i:04} Alpha\n"));
    }
    site.gazetteer(&gazetteer);
    for r in 0..12 {
        let locations: String = (0..250)
            .map(|i| format!("  - Syria/Vilage {r:02}{i:03} Alpah\n"))
            .collect();
        site.report(
            &format!("reports/r{r}.md"),
            &report(&format!("locations:\n{locations}")),
        );
    }
    let found = problems(&site);
    let unknown: Vec<&Value> = found
        .iter()
        .filter(|p| p["code"] == "unknown-place")
        .collect();
    assert_eq!(unknown.len(), 3000);
    let suggested = unknown
        .iter()
        .filter(|p| p["help"].as_str().unwrap().starts_with("did you mean"))
        .count();
    assert_eq!(
        suggested,
        12 * 10,
        "the first ten of each report get suggestions"
    );
    let r0 = unknown
        .iter()
        .find(|p| p["file"] == "content/reports/r0.md")
        .unwrap();
    assert!(
        r0["help"]
            .as_str()
            .unwrap()
            .contains("Syria/Village 0000 Alpha"),
        "{r0}"
    );
}

#[test]
fn raw_html_that_hides_the_rest_of_a_report_is_warned_at_its_line() {
    let site = Site::new("unclosed-html");
    for (name, opener) in [
        ("script", "<script>"),
        ("style", "<style type=x>"),
        ("comment", "<!-- note"),
        ("template", "<TEMPLATE>"),
    ] {
        site.report(
            &format!("reports/{name}.md"),
            &format!(
                "---\ntitle: Unclosed {name}\ndate: 2018-01-01\nlocations: [Syria]\n---\nFirst paragraph.\n\n{opener}\n\nThe rest of the report.\n"
            ),
        );
    }
    // Distinct names, as the sanitizer's parser compares each with those before it (the
    // build before the limit took 10 s on this).
    let names: String = (0..200_000).map(|i| format!(" a{i}")).collect();
    let attributes = format!("<p{names}>x</p>");
    site.report(
        "reports/attributes.md",
        &format!("---\ntitle: Attributes\ndate: 2018-01-01\nlocations: [Syria]\n---\nText.\n\n{attributes}\n"),
    );
    let o = site.check_bounded(&["--format", "json"]).output;
    assert!(o.status.success(), "warnings only: {}", stderr(&o));
    let found: Vec<Value> = serde_json::from_slice(&o.stdout).unwrap();
    for name in ["script", "style", "comment", "template"] {
        let file = format!("content/reports/{name}.md");
        let p: Vec<&Value> = found
            .iter()
            .filter(|p| p["file"] == file.as_str() && p["code"] == "unclosed-html")
            .collect();
        assert_eq!(p.len(), 1, "{name}: {found:#?}");
        assert_eq!(
            (p[0]["line"].as_u64(), p[0]["severity"].as_str()),
            (Some(8), Some("warning")),
            "{name}"
        );
    }
    let p = the(&found, "html-too-many-attributes");
    assert_eq!(p["line"], 8);
    let o = site.build_bounded(&[]).output;
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(site.page("reports/attributes").contains("&lt;p a0 a1 a2"));
}

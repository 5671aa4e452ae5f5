//! The place tree and its totals ("Totals never double count", report-format.md): a report
//! split across locations, an unsplit report over two governorates, and aliases resolved
//! through the gazetteer.

use crate::common::*;
use serde_json::json;

/// Case 1: a report split across locations (per-location counts).
#[test]
fn split_report_counts_own_total_at_narrowest_common_place_and_parts_below() {
    let site = Site::fixture("places/split");
    site.report(
        "reports/hajin-later.md",
        &simple_report(
            "One more in Hajin",
            "2019-03-12",
            "Syria/Deir ez-Zor/Al-Bukamal/Hajin",
            1,
        ),
    );
    site.build_ok(&[]);

    // `split` has locations Al-Susah, Hajin (both under Al-Bukamal), Al-Mayadin and the bare
    // Al-Bukamal. The narrowest place holding all of them is Syria/Deir ez-Zor: it and Syria
    // get the report's own total (killed ≥20, children 4, injured 9). Below it, a place gets
    // the sum of the per-location counts of the locations inside it:
    //   Al-Bukamal = Al-Susah 5 + Hajin (7, children 2) + bare Al-Bukamal (nothing)
    //              = killed 12, children 2, no injured (no location gives injured);
    //   Al-Susah = killed 5; Hajin = killed 7, children 2; Al-Mayadin = killed 3.
    // `hajin-later` (one location, killed 1) gives its own total to Hajin and every place
    // above it. So:
    //   Syria, Deir ez-Zor: killed ≥20 + 1 = "at least 21", children 4, injured 9; 2 reports
    //   Al-Bukamal: killed 12 + 1 = 13, children 2; 2 reports
    //   Hajin: killed 7 + 1 = 8, children 2; 2 reports
    //   Al-Susah: killed 5; Al-Mayadin: killed 3; 1 report each.
    let places = site.json("data/places.json");
    assert_eq!(
        keys(&places, "path"),
        [
            "Syria",
            "Syria/Deir ez-Zor",
            "Syria/Deir ez-Zor/Al-Bukamal",
            "Syria/Deir ez-Zor/Al-Bukamal/Al-Susah",
            "Syria/Deir ez-Zor/Al-Bukamal/Hajin",
            "Syria/Deir ez-Zor/Al-Mayadin",
        ]
    );
    let expect = [
        (
            "Syria",
            "places/syria/",
            2,
            json!({"killed": at_least(21), "children": exact(4), "injured": exact(9)}),
        ),
        (
            "Syria/Deir ez-Zor",
            "places/syria/deir-ez-zor/",
            2,
            json!({"killed": at_least(21), "children": exact(4), "injured": exact(9)}),
        ),
        (
            "Syria/Deir ez-Zor/Al-Bukamal",
            "places/syria/deir-ez-zor/al-bukamal/",
            2,
            json!({"killed": exact(13), "children": exact(2)}),
        ),
        (
            "Syria/Deir ez-Zor/Al-Bukamal/Hajin",
            "places/syria/deir-ez-zor/al-bukamal/hajin/",
            2,
            json!({"killed": exact(8), "children": exact(2)}),
        ),
        (
            "Syria/Deir ez-Zor/Al-Bukamal/Al-Susah",
            "places/syria/deir-ez-zor/al-bukamal/al-susah/",
            1,
            json!({"killed": exact(5)}),
        ),
        (
            "Syria/Deir ez-Zor/Al-Mayadin",
            "places/syria/deir-ez-zor/al-mayadin/",
            1,
            json!({"killed": exact(3)}),
        ),
    ];
    for (path, url, reports, totals) in &expect {
        let r = record(&places, "path", path);
        assert_eq!(r["url"], *url, "url of {path}");
        assert_eq!(r["reports"], *reports, "reports at {path}");
        assert_eq!(r["totals"], *totals, "totals at {path}");
    }

    // The same numbers on the pages, worded.
    let at = |rel: &str| page_totals(&site.page(rel));
    let wide = shown(&[
        ("killed", "at least 21"),
        ("children", "4"),
        ("injured", "9"),
    ]);
    assert_eq!(at("places/syria/"), wide);
    assert_eq!(at("places/syria/deir-ez-zor/"), wide);
    assert_eq!(
        at("places/syria/deir-ez-zor/al-bukamal/"),
        shown(&[("killed", "13"), ("children", "2")])
    );
    assert_eq!(
        at("places/syria/deir-ez-zor/al-bukamal/hajin/"),
        shown(&[("killed", "8"), ("children", "2")])
    );
    assert_eq!(
        at("places/syria/deir-ez-zor/al-bukamal/al-susah/"),
        shown(&[("killed", "5")])
    );
    assert_eq!(
        at("places/syria/deir-ez-zor/al-mayadin/"),
        shown(&[("killed", "3")])
    );

    // Listed once per page, however many of its locations lie below: Al-Bukamal holds three
    // of `split`'s locations but links to the report once.
    let bukamal = site.page("places/syria/deir-ez-zor/al-bukamal/");
    assert_eq!(
        listed_reports(&bukamal, "/"),
        ["hajin-later", "split"].map(String::from).into()
    );
    assert_eq!(link_count(&bukamal, "/reports/split/"), 1);
    let mayadin = site.page("places/syria/deir-ez-zor/al-mayadin/");
    assert_eq!(
        listed_reports(&mayadin, "/"),
        ["split"].map(String::from).into()
    );

    // The report's own record keeps its totals as written and its locations in order.
    let reports = site.json("data/reports.json");
    let split = record(&reports, "id", "split");
    assert_eq!(
        split["casualties"],
        json!({"killed": at_least(20), "children": exact(4), "injured": exact(9)})
    );
    let paths: Vec<&str> = split["locations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "Syria/Deir ez-Zor/Al-Bukamal/Al-Susah",
            "Syria/Deir ez-Zor/Al-Bukamal/Hajin",
            "Syria/Deir ez-Zor/Al-Mayadin",
            "Syria/Deir ez-Zor/Al-Bukamal",
        ]
    );
    assert_eq!(
        split["locations"][1]["counts"],
        json!({"killed": exact(7), "children": exact(2)})
    );
    assert_eq!(split["locations"][3]["counts"], json!({}));
}

/// Case 2: an unsplit report over two governorates is counted at Syria only.
#[test]
fn unsplit_multi_place_report_counts_only_where_all_locations_meet() {
    let site = Site::fixture("places/unsplit");
    site.build_ok(&[]);

    // The narrowest place holding Syria/Idlib/Saraqib and Syria/Hama/Kafr Nabudah is Syria:
    // it gets killed 9, injured ≥14. The report gives no per-location counts, so Idlib, Hama,
    // Saraqib and Kafr Nabudah list it (1 report each) but count nothing: `totals` is {}.
    let places = site.json("data/places.json");
    assert_eq!(
        keys(&places, "path"),
        [
            "Syria",
            "Syria/Hama",
            "Syria/Hama/Kafr Nabudah",
            "Syria/Idlib",
            "Syria/Idlib/Saraqib",
        ]
    );
    let syria = record(&places, "path", "Syria");
    assert_eq!(syria["reports"], 1);
    assert_eq!(
        syria["totals"],
        json!({"killed": exact(9), "injured": at_least(14)})
    );
    assert_eq!(
        page_totals(&site.page("places/syria/")),
        shown(&[("killed", "9"), ("injured", "at least 14")])
    );
    for (path, rel) in [
        ("Syria/Idlib", "places/syria/idlib/"),
        ("Syria/Idlib/Saraqib", "places/syria/idlib/saraqib/"),
        ("Syria/Hama", "places/syria/hama/"),
        ("Syria/Hama/Kafr Nabudah", "places/syria/hama/kafr-nabudah/"),
    ] {
        let r = record(&places, "path", path);
        assert_eq!(r["url"], rel, "url of {path}");
        assert_eq!(r["reports"], 1, "listed at {path}");
        assert_eq!(r["totals"], json!({}), "nothing counted at {path}");
        let html = site.page(rel);
        assert!(
            page_totals(&html).is_empty(),
            "{rel} shows totals: {:?}",
            page_totals(&html)
        );
        assert_eq!(
            listed_reports(&html, "/"),
            ["two-governorates"].map(String::from).into(),
            "{rel} lists the report"
        );
    }
    // The home page and the places index word Syria's totals the same way.
    assert!(site.page("").contains("9 killed; at least 14 injured"));
}

/// Case 6: aliases in a location path resolve through content/places.yaml.
#[test]
fn alias_in_location_path_resolves_to_canonical_place() {
    let site = Site::fixture("places/alias");
    site.report(
        "reports/by-canonical-name.md",
        &simple_report(
            "Written canonically",
            "2019-01-06",
            "Syria/Deir ez-Zor/Al-Bukamal",
            1,
        ),
    );
    site.build_ok(&[]);

    // Three spellings, one place: every location path in data/reports.json is canonical.
    let reports = site.json("data/reports.json");
    for id in ["by-alias", "by-canonical-name", "by-other-alias"] {
        let r = record(&reports, "id", id);
        assert_eq!(
            r["locations"][0]["path"], "Syria/Deir ez-Zor/Al-Bukamal",
            "canonical path of {id}"
        );
    }
    // by-alias gives no casualties: its total is its one location's killed 4.
    assert_eq!(
        record(&reports, "id", "by-alias")["casualties"],
        json!({"killed": exact(4)})
    );

    // The tree has only canonical names: killed 4 + 1 + ≥2 = at least 7 at every level.
    let places = site.json("data/places.json");
    assert_eq!(
        keys(&places, "path"),
        ["Syria", "Syria/Deir ez-Zor", "Syria/Deir ez-Zor/Al-Bukamal"]
    );
    let bukamal = record(&places, "path", "Syria/Deir ez-Zor/Al-Bukamal");
    assert_eq!(bukamal["url"], "places/syria/deir-ez-zor/al-bukamal/");
    assert_eq!(bukamal["reports"], 3);
    assert_eq!(bukamal["totals"], json!({"killed": at_least(7)}));

    let html = site.page("places/syria/deir-ez-zor/al-bukamal/");
    assert_eq!(page_totals(&html), shown(&[("killed", "at least 7")]));
    assert!(html.contains("البوكمال"), "Arabic name from the gazetteer");
    assert_eq!(
        listed_reports(&html, "/"),
        ["by-alias", "by-canonical-name", "by-other-alias"]
            .map(String::from)
            .into()
    );
    for alias_slug in [
        "places/syria/deir-ezzor",
        "places/syria/dayr-az-zawr",
        "places/syria/deir-ez-zor/abu-kamal",
        "places/syria/deir-ez-zor/albu-kamal",
    ] {
        assert!(
            !site.out().join(alias_slug).exists(),
            "{alias_slug} must not exist"
        );
    }
    // The report written with aliases links to the canonical place page.
    let page = site.page("reports/by-alias/");
    assert!(page.contains("href=\"/places/syria/deir-ez-zor/al-bukamal/\""));
}

/// No place holds every location of a report spread over two countries: the report's own
/// total is counted nowhere, only its per-location counts.
#[test]
fn report_over_two_countries_counts_only_its_parts() {
    let site = Site::fixture("places/two-countries");
    site.build_ok(&[]);
    // Syria holds only Syria/Idlib: killed 2. Iraq holds Iraq/Nineveh (killed 3, injured ≥1)
    // and the bare Iraq (nothing): killed 3, injured ≥1. The report's total (killed 10,
    // injured ≥5) is counted in no place, but in its date (one day: 2019-01-01).
    let places = site.json("data/places.json");
    for (path, totals) in [
        ("Syria", json!({"killed": exact(2)})),
        ("Syria/Idlib", json!({"killed": exact(2)})),
        ("Iraq", json!({"killed": exact(3), "injured": at_least(1)})),
        (
            "Iraq/Nineveh",
            json!({"killed": exact(3), "injured": at_least(1)}),
        ),
    ] {
        let r = record(&places, "path", path);
        assert_eq!(r["totals"], totals, "{path}");
        assert_eq!(r["reports"], 1, "{path}");
    }
    assert_eq!(
        page_totals(&site.page("places/iraq/")),
        shown(&[("killed", "3"), ("injured", "at least 1")])
    );
    let dates = site.json("data/dates.json");
    assert_eq!(
        record(&dates, "date", "2019-01-01")["totals"],
        json!({"killed": exact(10), "injured": at_least(5)})
    );
}

//! How counts add up: ranges and "at least" with exact counts, report totals made from
//! per-location counts, and summaries that are listed but never counted.

use crate::common::*;
use serde_json::json;

/// Case 5: `{min: 12, max: 20}` and `{min: 50}` adding up with exact counts.
#[test]
fn ranges_and_at_least_add_up_with_exact_counts() {
    let site = Site::fixture("counts/ranges");
    site.build_ok(&[]);

    // Minimums add up; a maximum survives only while every part has one.
    //   Al-Bab: killed 12–20 + 3 = 15–23 (both have a max); injured 5 + ≥50 = at least 55.
    //   Azaz:   killed at least 50; injured 2–4.
    //   Aleppo = Syria: killed 12–20 + 3 + ≥50 = at least 65 (one part has no max);
    //                   injured 5 + ≥50 + 2–4 = at least 57.
    let places = site.json("data/places.json");
    let expect = [
        (
            "Syria/Aleppo/Al-Bab",
            "places/syria/aleppo/al-bab/",
            json!({"killed": range(15, 23), "injured": at_least(55)}),
            shown(&[("killed", "15–23"), ("injured", "at least 55")]),
        ),
        (
            "Syria/Aleppo/Azaz",
            "places/syria/aleppo/azaz/",
            json!({"killed": at_least(50), "injured": range(2, 4)}),
            shown(&[("killed", "at least 50"), ("injured", "2–4")]),
        ),
        (
            "Syria/Aleppo",
            "places/syria/aleppo/",
            json!({"killed": at_least(65), "injured": at_least(57)}),
            shown(&[("killed", "at least 65"), ("injured", "at least 57")]),
        ),
        (
            "Syria",
            "places/syria/",
            json!({"killed": at_least(65), "injured": at_least(57)}),
            shown(&[("killed", "at least 65"), ("injured", "at least 57")]),
        ),
    ];
    for (path, rel, totals, words) in &expect {
        assert_eq!(record(&places, "path", path)["totals"], *totals, "{path}");
        assert_eq!(page_totals(&site.page(rel)), *words, "{rel}");
    }

    // The same sums by date: every period is one day inside February 2019, so the month
    // and the year count all three; each day counts its own report.
    let dates = site.json("data/dates.json");
    for d in ["2019", "2019-02"] {
        assert_eq!(
            record(&dates, "date", d)["totals"],
            json!({"killed": at_least(65), "injured": at_least(57)}),
            "{d}"
        );
    }
    assert_eq!(
        record(&dates, "date", "2019-02-01")["totals"],
        json!({"killed": range(12, 20), "injured": exact(5)})
    );
    assert_eq!(
        page_totals(&site.page("dates/2019/02/")),
        shown(&[("killed", "at least 65"), ("injured", "at least 57")])
    );
    assert_eq!(
        page_totals(&site.page("dates/2019/02/01/")),
        shown(&[("killed", "12–20"), ("injured", "5")])
    );

    // The report itself: counts as written, with the source's wording.
    let reports = site.json("data/reports.json");
    assert_eq!(
        record(&reports, "id", "bab-range")["casualties"],
        json!({"killed": range(12, 20), "injured": exact(5)})
    );
    assert_eq!(
        record(&reports, "id", "bab-exact")["casualties"],
        json!({"killed": exact(3), "injured": at_least(50)})
    );
    let page = site.page("reports/bab-range/");
    assert!(page.contains("12–20 killed; 5 injured"), "summary sentence");
    let page = site.page("reports/bab-exact/");
    assert!(page.contains("3 killed; at least 50 injured"));
    assert!(page.contains("dozens"), "raw wording shown");
}

/// Case 8: `casualties` leaves a field out that locations give: the total is their sum.
#[test]
fn report_total_is_sum_of_locations_where_casualties_leave_a_field_out() {
    let site = Site::fixture("counts/loc-sum");
    site.build_ok(&[]);

    // no-casualties: killed 4 + 2–3 = 6–7; injured ≥10 (only Saraqib gives it).
    // partial-casualties: killed as written (5, not the locations' 3); children from the
    // one location giving it: 1.
    let reports = site.json("data/reports.json");
    assert_eq!(
        record(&reports, "id", "no-casualties")["casualties"],
        json!({"killed": range(6, 7), "injured": at_least(10)})
    );
    assert_eq!(
        record(&reports, "id", "partial-casualties")["casualties"],
        json!({"killed": exact(5), "children": exact(1)})
    );
    let page = site.page("reports/no-casualties/");
    assert!(
        page.contains("6–7 killed; at least 10 injured"),
        "report page shows the summed total"
    );
    let page = site.page("reports/partial-casualties/");
    assert!(page.contains("5 killed, including 1 child"));

    // Places: Idlib holds both locations of no-casualties and gets its total (6–7 killed,
    // ≥10 injured); Hama gets partial-casualties' (5 killed, 1 child); Syria holds both
    // reports: killed 6–7 + 5 = 11–12, children 1, injured ≥10.
    let places = site.json("data/places.json");
    assert_eq!(
        record(&places, "path", "Syria/Idlib")["totals"],
        json!({"killed": range(6, 7), "injured": at_least(10)})
    );
    assert_eq!(
        record(&places, "path", "Syria/Idlib/Ariha")["totals"],
        json!({"killed": range(2, 3)})
    );
    assert_eq!(
        record(&places, "path", "Syria/Hama")["totals"],
        json!({"killed": exact(5), "children": exact(1)})
    );
    assert_eq!(
        record(&places, "path", "Syria")["totals"],
        json!({"killed": range(11, 12), "children": exact(1), "injured": at_least(10)})
    );
    assert_eq!(
        page_totals(&site.page("places/syria/")),
        shown(&[
            ("killed", "11–12"),
            ("children", "1"),
            ("injured", "at least 10")
        ])
    );
    assert_eq!(
        page_totals(&site.page("places/syria/idlib/")),
        shown(&[("killed", "6–7"), ("injured", "at least 10")])
    );
}

/// Case 4: a `kind: summary` report is listed on its pages and never counted.
#[test]
fn summary_report_is_listed_but_never_counted() {
    let site = Site::fixture("counts/summary");
    site.build_ok(&[]);

    // The summary (one day, 2018-02-10, at Syria/Rif Dimashq) would be counted at Syria, Rif
    // Dimashq, the day, month and year, its perpetrator and its tag if it were an incident.
    // It is listed on all of them and counted on none; only douma (killed 12) counts.
    let places = site.json("data/places.json");
    for path in ["Syria", "Syria/Rif Dimashq"] {
        let r = record(&places, "path", path);
        assert_eq!(r["reports"], 2, "{path}");
        assert_eq!(r["totals"], json!({"killed": exact(12)}), "{path}");
    }
    let dates = site.json("data/dates.json");
    assert_eq!(keys(&dates, "date"), ["2018", "2018-02", "2018-02-10"]);
    for d in ["2018", "2018-02", "2018-02-10"] {
        let r = record(&dates, "date", d);
        assert_eq!(r["reports"], 2, "{d}");
        assert_eq!(r["totals"], json!({"killed": exact(12)}), "{d}");
    }
    for rel in [
        "places/syria/",
        "places/syria/rif-dimashq/",
        "dates/2018/",
        "dates/2018/02/",
        "dates/2018/02/10/",
        "tags/ghouta/",
    ] {
        let html = site.page(rel);
        assert_eq!(page_totals(&html), shown(&[("killed", "12")]), "{rel}");
        assert_eq!(
            listed_reports(&html, "/"),
            ["douma", "monthly-toll"].map(String::from).into(),
            "{rel}"
        );
    }
    // Its perpetrator lists only the summary: listed, nothing counted.
    let html = site.page("perpetrators/regime-forces/");
    assert!(page_totals(&html).is_empty());
    assert_eq!(
        listed_reports(&html, "/"),
        ["monthly-toll"].map(String::from).into()
    );
    // The export keeps the summary's own figures and its kind.
    let reports = site.json("data/reports.json");
    let r = record(&reports, "id", "monthly-toll");
    assert_eq!(r["kind"], "summary");
    assert_eq!(
        r["casualties"],
        json!({"killed": at_least(870), "injured": exact(3000)})
    );
    assert_eq!(record(&reports, "id", "douma")["kind"], "incident");
}

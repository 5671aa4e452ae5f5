//! Drafts: skipped by default (no page, no data, no totals), published with `--drafts`.

use crate::common::*;
use serde_json::json;

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture("drafts/drafts");
    site.report(
        "reports/published.md",
        &simple_report("Two killed in Idlib", "2019-06-01", "Syria/Idlib", 2),
    );

    // Default build: only `published` (killed 2). The draft's report page, its places
    // (Homs, Talbiseh), its date pages (2019-07, 2019-07-15) and its tag do not exist, and
    // Syria and 2019 count 2 killed from 1 report.
    site.build_ok(&[]);
    let reports = site.json("data/reports.json");
    assert_eq!(keys(&reports, "id"), ["published"]);
    let places = site.json("data/places.json");
    assert_eq!(keys(&places, "path"), ["Syria", "Syria/Idlib"]);
    let syria = record(&places, "path", "Syria");
    assert_eq!(syria["reports"], 1);
    assert_eq!(syria["totals"], json!({"killed": exact(2)}));
    let dates = site.json("data/dates.json");
    assert_eq!(keys(&dates, "date"), ["2019", "2019-06", "2019-06-01"]);
    assert_eq!(
        record(&dates, "date", "2019")["totals"],
        json!({"killed": exact(2)})
    );
    for rel in [
        "reports/work-in-progress/",
        "places/syria/homs/",
        "places/syria/homs/talbiseh/",
        "dates/2019/07/",
        "dates/2019/07/15/",
        "tags/unreviewed/",
    ] {
        assert!(!site.has_page(rel), "{rel} exists without --drafts");
    }
    let syria_page = site.page("places/syria/");
    assert_eq!(page_totals(&syria_page), shown(&[("killed", "2")]));
    assert_eq!(
        listed_reports(&syria_page, "/"),
        ["published"].map(String::from).into()
    );
    assert!(!site.page("").contains("Not yet reviewed"));

    // With --drafts the draft is an ordinary report: Syria counts 2 + 100 = 102 from 2
    // reports; Homs and Talbiseh count 100; 2019 counts 102; 2019-07 and the day count 100.
    site.build_ok(&["--drafts"]);
    let reports = site.json("data/reports.json");
    assert_eq!(keys(&reports, "id"), ["published", "work-in-progress"]);
    let places = site.json("data/places.json");
    assert_eq!(
        keys(&places, "path"),
        ["Syria", "Syria/Homs", "Syria/Homs/Talbiseh", "Syria/Idlib"]
    );
    let syria = record(&places, "path", "Syria");
    assert_eq!(syria["reports"], 2);
    assert_eq!(syria["totals"], json!({"killed": exact(102)}));
    for path in ["Syria/Homs", "Syria/Homs/Talbiseh"] {
        assert_eq!(
            record(&places, "path", path)["totals"],
            json!({"killed": exact(100)})
        );
    }
    let dates = site.json("data/dates.json");
    assert_eq!(
        record(&dates, "date", "2019")["totals"],
        json!({"killed": exact(102)})
    );
    assert_eq!(
        record(&dates, "date", "2019-07-15")["totals"],
        json!({"killed": exact(100)})
    );
    for rel in [
        "reports/work-in-progress/",
        "places/syria/homs/",
        "places/syria/homs/talbiseh/",
        "dates/2019/07/",
        "dates/2019/07/15/",
        "tags/unreviewed/",
    ] {
        assert!(site.has_page(rel), "{rel} missing with --drafts");
    }
    let syria_page = site.page("places/syria/");
    assert_eq!(page_totals(&syria_page), shown(&[("killed", "102")]));
    assert_eq!(
        listed_reports(&syria_page, "/"),
        ["published", "work-in-progress"].map(String::from).into()
    );

    // And a later build without --drafts takes it out again.
    site.build_ok(&[]);
    assert!(!site.has_page("reports/work-in-progress/"));
    assert_eq!(keys(&site.json("data/reports.json"), "id"), ["published"]);
}

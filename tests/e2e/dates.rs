//! The date index: a report is listed on every day, month and year its period touches, and
//! counted in a day, month or year only when its whole period lies inside it.

use crate::common::*;
use serde_json::json;

#[test]
fn periods_across_month_and_year_boundaries() {
    let site = Site::fixture("dates/dates");
    site.build_ok(&[]);

    // Pages are made from periods, not publication dates:
    //   feb-mar   2018-02-27..2018-03-02 (2018 is not a leap year: 27, 28 Feb, 1, 2 Mar),
    //             killed 10: listed on those 4 days, on 2018-02 and 2018-03, and on 2018;
    //             counted only in 2018 (the only page holding the whole period).
    //   one-day   2018-03-01 (period.end defaults to start), killed 3: listed and counted on
    //             2018-03-01, 2018-03 and 2018.
    //   new-year  2018-12-30..2019-01-02, killed 7, injured ≥4: listed on 30, 31 Dec, 1, 2
    //             Jan, 2018-12, 2019-01, 2018 and 2019; counted on none (no page holds it).
    // So: 2018 lists 3 reports, counts 10 + 3 = 13 killed (no injured: only new-year gives
    // it, and it counts nowhere); 2018-03 lists 2, counts 3; 2018-03-01 lists 2, counts 3;
    // 2019 lists 1, counts nothing; every other page counts nothing.
    let dates = site.json("data/dates.json");
    assert_eq!(
        keys(&dates, "date"),
        [
            "2018",
            "2018-02",
            "2018-02-27",
            "2018-02-28",
            "2018-03",
            "2018-03-01",
            "2018-03-02",
            "2018-12",
            "2018-12-30",
            "2018-12-31",
            "2019",
            "2019-01",
            "2019-01-01",
            "2019-01-02",
        ]
    );
    let expect: [(&str, &str, u64, serde_json::Value, &[&str]); 14] = [
        (
            "2018",
            "dates/2018/",
            3,
            json!({"killed": exact(13)}),
            &["feb-mar", "new-year", "one-day"],
        ),
        ("2018-02", "dates/2018/02/", 1, json!({}), &["feb-mar"]),
        (
            "2018-02-27",
            "dates/2018/02/27/",
            1,
            json!({}),
            &["feb-mar"],
        ),
        (
            "2018-02-28",
            "dates/2018/02/28/",
            1,
            json!({}),
            &["feb-mar"],
        ),
        (
            "2018-03",
            "dates/2018/03/",
            2,
            json!({"killed": exact(3)}),
            &["feb-mar", "one-day"],
        ),
        (
            "2018-03-01",
            "dates/2018/03/01/",
            2,
            json!({"killed": exact(3)}),
            &["feb-mar", "one-day"],
        ),
        (
            "2018-03-02",
            "dates/2018/03/02/",
            1,
            json!({}),
            &["feb-mar"],
        ),
        ("2018-12", "dates/2018/12/", 1, json!({}), &["new-year"]),
        (
            "2018-12-30",
            "dates/2018/12/30/",
            1,
            json!({}),
            &["new-year"],
        ),
        (
            "2018-12-31",
            "dates/2018/12/31/",
            1,
            json!({}),
            &["new-year"],
        ),
        ("2019", "dates/2019/", 1, json!({}), &["new-year"]),
        ("2019-01", "dates/2019/01/", 1, json!({}), &["new-year"]),
        (
            "2019-01-01",
            "dates/2019/01/01/",
            1,
            json!({}),
            &["new-year"],
        ),
        (
            "2019-01-02",
            "dates/2019/01/02/",
            1,
            json!({}),
            &["new-year"],
        ),
    ];
    for (date, rel, reports, totals, listed) in &expect {
        let r = record(&dates, "date", date);
        assert_eq!(r["url"], *rel, "url of {date}");
        assert_eq!(r["reports"], *reports, "reports on {date}");
        assert_eq!(r["totals"], *totals, "totals of {date}");
        let html = site.page(rel);
        assert_eq!(
            listed_reports(&html, "/"),
            listed
                .iter()
                .map(std::string::ToString::to_string)
                .collect(),
            "reports listed on {rel}"
        );
        let words = page_totals(&html);
        if *date == "2018" {
            assert_eq!(words, shown(&[("killed", "13")]), "{rel}");
        } else if date.starts_with("2018-03") && *date != "2018-03-02" {
            assert_eq!(words, shown(&[("killed", "3")]), "{rel}");
        } else {
            assert!(words.is_empty(), "{rel} counts nothing, shows {words:?}");
        }
    }
    // No page for a day the periods do not touch.
    assert!(!site.has_page("dates/2018/03/03/"));
    assert!(
        !site.has_page("dates/2018/03/04/"),
        "publication date is not a date page"
    );
    assert!(!site.has_page("dates/2019/01/03/"));

    // The place still counts every incident once: Idlib killed 10 + 3 + 7, injured ≥4.
    let places = site.json("data/places.json");
    assert_eq!(
        record(&places, "path", "Syria/Idlib")["totals"],
        json!({"killed": exact(20), "injured": at_least(4)})
    );

    // The report records the period; its page links to the days it is listed on, not to
    // the months and years above them (the day pages' breadcrumbs link those).
    let reports = site.json("data/reports.json");
    assert_eq!(
        record(&reports, "id", "new-year")["period"],
        json!({"start": "2018-12-30", "end": "2019-01-02"})
    );
    assert_eq!(
        record(&reports, "id", "one-day")["period"],
        json!({"start": "2018-03-01", "end": "2018-03-01"})
    );
    let page = site.page("reports/new-year/");
    for rel in [
        "dates/2018/12/30/",
        "dates/2018/12/31/",
        "dates/2019/01/01/",
        "dates/2019/01/02/",
    ] {
        assert!(
            page.contains(&format!("href=\"/{rel}\"")),
            "report page links to {rel}"
        );
    }
    for rel in [
        "dates/2018/12/",
        "dates/2019/01/",
        "dates/2018/",
        "dates/2019/",
    ] {
        assert!(
            !page.contains(&format!("href=\"/{rel}\"")),
            "report page does not link {rel}"
        );
    }
    let day = site.page("dates/2019/01/01/");
    for rel in ["dates/2019/01/", "dates/2019/"] {
        assert!(
            day.contains(&format!("href=\"/{rel}\"")),
            "the day page links {rel}"
        );
    }
}

//! Listings past `per_page` reports (`site.yaml`, default 100) are paginated at
//! `<listing>/page/N/`, and the pages link each other; past `max_pages` pages (default 10)
//! they lead to the search for the rest.

use std::collections::BTreeSet;

use crate::common::*;
use serde_json::json;

/// 50 reports a page; 53 one-day reports, `r-01` (2019-01-01) … `r-53` (2019-02-22), one a day, killed 1 each:
/// r-01..r-03 in Syria/Idlib/Ariha, r-04..r-53 (exactly 50) in Syria/Idlib/Saraqib.
fn fixture() -> Site {
    let site = Site::new("pagination");
    site.config("per_page: 50\n");
    let start = (2019, 1, 1);
    for i in 1..=53u32 {
        // Day i of 2019 (January has 31 days).
        let (m, d) = if i <= 31 { (1, i) } else { (2, i - 31) };
        let place = if i <= 3 {
            "Syria/Idlib/Ariha"
        } else {
            "Syria/Idlib/Saraqib"
        };
        let text = format!(
            "---\ntitle: \"Report {i}\"\ndate: {}-{m:02}-{d:02}\nid: r-{i:02}\nlocations:\n  - {place}\ncasualties:\n  killed: 1\ntags: [long listing]\n---\nBody.\n",
            start.0
        );
        site.report(&format!("reports/{i:02}.md"), &text);
    }
    site
}

fn ids(range: std::ops::RangeInclusive<u32>) -> BTreeSet<String> {
    range.map(|i| format!("r-{i:02}")).collect()
}

#[test]
fn listings_past_fifty_reports_get_linked_pages() {
    let site = fixture();
    site.build_ok(&[]);

    // 53 reports: page 1 shows the 50 newest (r-53 … r-04), page 2 the 3 oldest
    // (r-03 … r-01); there is no page 3. Every listing holding all 53 is paginated: Syria,
    // Idlib, the year 2019 and the tag. Totals are the listing's, on every page: killed 53.
    for rel in [
        "places/syria/",
        "places/syria/idlib/",
        "dates/2019/",
        "tags/long-listing/",
    ] {
        let first = site.page(rel);
        let second = site.page(&format!("{rel}page/2/"));
        assert!(!site.has_page(&format!("{rel}page/3/")), "{rel}page/3/");
        assert_eq!(listed_reports(&first, "/"), ids(4..=53), "{rel} page 1");
        assert_eq!(listed_reports(&second, "/"), ids(1..=3), "{rel} page 2");
        assert!(
            first.contains(&format!("href=\"/{rel}page/2/\"")),
            "{rel} page 1 links to page 2"
        );
        assert!(
            second.contains(&format!("href=\"/{rel}\"")),
            "{rel} page 2 links back to page 1"
        );
        // Totals are on the first page; later pages carry the list alone.
        assert_eq!(page_totals(&first), shown(&[("killed", "53")]), "{rel}");
        assert!(
            page_totals(&second).is_empty(),
            "{rel} page 2 has no totals"
        );
    }

    // Exactly 50 reports fit on one page: Saraqib has no page 2. Ariha (3) neither, nor
    // January (31) or February (22).
    for rel in [
        "places/syria/idlib/saraqib/",
        "places/syria/idlib/ariha/",
        "dates/2019/01/",
        "dates/2019/02/",
    ] {
        assert!(site.has_page(rel), "{rel}");
        assert!(!site.has_page(&format!("{rel}page/2/")), "{rel}page/2/");
    }
    assert_eq!(
        listed_reports(&site.page("places/syria/idlib/saraqib/"), "/"),
        ids(4..=53)
    );

    let places = site.json("data/places.json");
    let idlib = record(&places, "path", "Syria/Idlib");
    assert_eq!(idlib["reports"], 53);
    assert_eq!(idlib["totals"], json!({"killed": exact(53)}));
    let saraqib = record(&places, "path", "Syria/Idlib/Saraqib");
    assert_eq!(saraqib["reports"], 50);
    assert_eq!(saraqib["totals"], json!({"killed": exact(50)}));
    let dates = site.json("data/dates.json");
    assert_eq!(record(&dates, "date", "2019")["reports"], 53);
    assert_eq!(record(&dates, "date", "2019-01")["reports"], 31);
    assert_eq!(record(&dates, "date", "2019-02")["reports"], 22);
}

#[test]
fn pagination_links_work_under_a_sub_path() {
    let site = fixture();
    site.build_ok(&["--base-url", "https://example.org/sub/path/"]);
    let first = site.page("places/syria/");
    let second = site.page("places/syria/page/2/");
    assert!(first.contains("href=\"/sub/path/places/syria/page/2/\""));
    assert!(second.contains("href=\"/sub/path/places/syria/\""));
    assert_eq!(listed_reports(&second, "/sub/path/"), ids(1..=3));
}

#[test]
fn a_hundred_reports_a_page_by_default() {
    let site = fixture();
    site.config("title: Default page size\n");
    site.build_ok(&[]);
    assert!(!site.has_page("places/syria/page/2/"));
    assert_eq!(
        listed_reports(&site.page("places/syria/"), "/"),
        ids(1..=53)
    );
    // 101 reports: a hundred on the first page, the oldest alone on the second.
    for i in 54..=101u32 {
        let (m, d) = ((i - 54) / 28 + 1, (i - 54) % 28 + 1);
        site.report(
            &format!("reports/{i:02}.md"),
            &format!("---\ntitle: \"Report {i}\"\ndate: 2018-{m:02}-{d:02}\nid: r-{i:02}\nlocations:\n  - Syria/Idlib/Saraqib\n---\nBody.\n"),
        );
    }
    site.build_ok(&[]);
    assert_eq!(listed_reports(&site.page("places/syria/"), "/").len(), 100);
    assert_eq!(
        listed_reports(&site.page("places/syria/page/2/"), "/"),
        ids(54..=54)
    );
}

/// A listing longer than `max_pages` pages (`site.yaml`, default 10) shows its newest
/// reports on that many pages, and every page of it leads to the search, which finds them
/// all; shorter listings are as before.
#[test]
fn listings_past_max_pages_lead_to_the_search() {
    let site = fixture();
    site.config("per_page: 10\nmax_pages: 2\n");
    site.build_ok(&["--base-url", "https://example.org/sub/"]);
    // 53 reports: Syria, Idlib, 2019 and the tag show r-53 … r-34 on two pages, no third.
    for (rel, filter) in [
        ("places/syria/", "place=syria"),
        ("places/syria/idlib/", "place=syria/idlib"),
        ("places/syria/idlib/saraqib/", "place=syria/idlib/saraqib"),
        ("dates/2019/", "from=2019-01&amp;to=2019-12"),
        ("dates/2019/01/", "from=2019-01&amp;to=2019-01"),
        ("dates/2019/02/", "from=2019-02&amp;to=2019-02"),
        ("tags/long-listing/", "tag=long-listing"),
    ] {
        let first = site.page(rel);
        let second = site.page(&format!("{rel}page/2/"));
        assert!(!site.has_page(&format!("{rel}page/3/")), "{rel}page/3/");
        let search = format!("href=\"/sub/search/?{filter}\"");
        assert!(first.contains(&search), "{rel} page 1 links {search}");
        assert!(second.contains(&search), "{rel} page 2 links {search}");
        assert!(!second.contains("page/3/"), "{rel} page 2 is the last");
    }
    assert_eq!(
        listed_reports(&site.page("places/syria/page/2/"), "/sub/"),
        ids(34..=43)
    );
    // The first page still counts them all.
    assert!(site.page("places/syria/").contains("Reports (53)"));
    // Ariha (3 reports) fits: one page, no pages nav, no search link.
    let ariha = site.page("places/syria/idlib/ariha/");
    assert!(!ariha.contains("/sub/search/?place=syria/idlib/ariha\""));
    assert!(!ariha.contains("class=\"pages\""));
    // The sitemap lists the pages written, not those cut.
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://example.org/sub/places/syria/page/2/"));
    assert!(!sitemap.contains("/page/3/"));

    // The search index has the tag's postings the link asks for.
    assert!(site.out().join("search/g/long-listing.txt").is_file());
    let filters = site.json("search/filters.json");
    assert_eq!(filters["tags"], json!([["long listing", "long-listing"]]));
}

#[test]
fn a_listing_of_one_page_at_most_still_leads_to_the_search() {
    let site = fixture();
    site.config("per_page: 50\nmax_pages: 1\n");
    site.build_ok(&[]);
    let syria = site.page("places/syria/");
    assert_eq!(listed_reports(&syria, "/"), ids(4..=53));
    // One page: no page numbers, only the search.
    assert!(
        syria.contains(
            "<nav class=\"pages\" aria-label=\"Pages\"> <a href=\"/search/?place=syria\">"
        )
    );
    assert!(!site.has_page("places/syria/page/2/"));
    // Saraqib's 50 fit on its page.
    assert!(
        !site
            .page("places/syria/idlib/saraqib/")
            .contains("class=\"pages\"")
    );
}

#[test]
fn max_pages_of_zero_is_an_error_at_its_line() {
    let site = fixture();
    site.config("title: T\nmax_pages: 0\n");
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("site.yaml:2:12") && err.contains("max_pages"),
        "{err}"
    );
    assert!(!site.out().exists(), "nothing is written");
}

#[test]
fn a_page_size_out_of_range_is_an_error_at_its_line() {
    let site = fixture();
    site.config("title: T\nper_page: 0\n");
    let out = site.build(&[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("site.yaml:2:11") && err.contains("per_page"),
        "{err}"
    );
    assert!(!site.out().exists(), "nothing is written");
}

/// The pages of a listing are numbered: the first, the last, two either side of the current
/// one, an ellipsis for the pages left out, and the current one marked for assistive
/// technology.
#[test]
fn pages_are_numbered_around_the_current_one() {
    let site = fixture();
    site.config("per_page: 2\nmax_pages: 30\n");
    site.build_ok(&[]);
    // 53 reports, two a page: 27 pages.
    let nav = |rel: &str| {
        let page = site.page(rel);
        let start = page.find("<nav class=\"pages\"").expect("a pages nav");
        let end = start + page[start..].find("</nav>").unwrap();
        page[start..end].to_string()
    };
    let link = |n: u32| {
        if n == 1 {
            "<a href=\"/places/syria/\">1</a>".to_string()
        } else {
            format!("<a href=\"/places/syria/page/{n}/\">{n}</a>")
        }
    };
    let current = |n: u32| format!("<span aria-current=\"page\">{n}</span>");
    let gap = "<span>…</span>";
    let first = nav("places/syria/");
    let expected = [current(1), link(2), link(3), gap.into(), link(27)].join(" ");
    assert!(first.contains(&expected), "{first}");
    let middle = nav("places/syria/page/14/");
    let expected = [
        link(1),
        gap.into(),
        link(12),
        link(13),
        current(14),
        link(15),
        link(16),
        gap.into(),
        link(27),
    ]
    .join(" ");
    assert!(middle.contains(&expected), "{middle}");
    assert!(middle.contains("<a rel=\"prev\" href=\"/places/syria/page/13/\">Newer</a>"));
    assert!(middle.contains("<a rel=\"next\" href=\"/places/syria/page/15/\">Older</a>"));
    let last = nav("places/syria/page/27/");
    let expected = [link(1), gap.into(), link(25), link(26), current(27)].join(" ");
    assert!(last.contains(&expected), "{last}");
    assert!(!last.contains("rel=\"next\""), "{last}");
    // Every page linked exists.
    for n in 2..=27 {
        assert!(
            site.has_page(&format!("places/syria/page/{n}/")),
            "page {n}"
        );
    }
}

//! Building the same content twice gives byte-identical output trees (pages are rendered in
//! parallel; nothing may depend on thread timing, hash order, the clock or the output path).

use std::path::Path;

use crate::common::*;

#[test]
fn bundled_archive_builds_byte_identical_twice() {
    let tmp = TempDir::new("determinism");
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let args = ["--base-url", "https://example.org/sub/path/"];
    assert_success(&run_build(Path::new(REPO), &a, &args));
    assert_success(&run_build(Path::new(REPO), &b, &args));
    let first = snapshot(&a);
    assert!(first.len() > 100, "only {} files", first.len());
    assert_same_tree(&first, &snapshot(&b));
    // Rebuilding over an existing output gives the same tree again.
    assert_success(&run_build(Path::new(REPO), &a, &args));
    assert_same_tree(&first, &snapshot(&a));
}

#[test]
fn generated_archive_builds_byte_identical_twice() {
    // 150 reports over 6 places, 3 perpetrators and 4 tags, with ranges, "at least",
    // per-location counts and summaries mixed in: many totals added in parallel-built pages.
    let site = Site::new("determinism-gen");
    let places = [
        "Syria/Idlib/Saraqib",
        "Syria/Idlib/Ariha",
        "Syria/Hama/Kafr Nabudah",
        "Syria/Aleppo/Al-Bab",
        "Syria/Deir ez-Zor/Hajin",
        "Iraq/Nineveh/Mosul",
    ];
    for i in 0..150usize {
        let place = places[i % places.len()];
        let other = places[(i * 7 + 3) % places.len()];
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let killed = match i % 3 {
            0 => format!("{}", 1 + i % 17),
            1 => format!("{{min: {}}}", 1 + i % 11),
            _ => format!("{{min: {}, max: {}}}", 1 + i % 5, i % 5 + 5),
        };
        let kind = if i % 13 == 0 { "summary" } else { "incident" };
        let locations = if place == other {
            format!("  - {place}\n")
        } else {
            format!("  - place: {place}\n    killed: 1\n  - {other}\n")
        };
        let text = format!(
            "---\ntitle: \"Report {i}\"\ndate: 2018-{month:02}-{day:02}\nkind: {kind}\nlocations:\n{locations}casualties:\n  killed: {killed}\n  injured: {inj}\nperpetrators: [Group {p}]\ntags: [tag {t}, common]\n---\nBody {i}.\n",
            inj = i % 9,
            p = i % 3,
            t = i % 4,
        );
        site.report(&format!("reports/{i:03}.md"), &text);
    }
    let other = site.out().with_file_name("out-2");
    site.build_ok(&[]);
    assert_success(&site.build_into(&other, &[]));
    let first = snapshot(&site.out());
    assert!(first.contains_key("places/syria/page/2/index.html"));
    assert_same_tree(&first, &snapshot(&other));
}

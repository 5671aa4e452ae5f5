//! Invalid content: every problem is reported with its `path:line:column:`, the build fails,
//! and nothing is written (no new output folder; an old one stays byte-identical).

use std::fs;

use crate::common::*;

const GAZETTEER: &str = "- path: Syria\n- path: Syria/Idlib\n";

// Line 6, column 1: the key `casualites` (a typo of `casualties`).
const BAD_FIELD: &str = r#"---
title: "Typo in a field name"
date: 2019-01-01
locations:
  - Syria/Idlib
casualites:
  killed: 3
---
Body.
"#;

// Line 7, column 12: the value of the second `place:` ("  - place: " is 11 characters),
// `Atlantis` not being in the gazetteer under Syria.
const BAD_PLACE: &str = r#"---
title: "A place the gazetteer does not know"
date: 2019-01-02
locations:
  - place: Syria/Idlib
    killed: 1
  - place: Syria/Atlantis
    killed: 2
---
Body.
"#;

fn broken_site(name: &str) -> Site {
    let site = Site::new(name);
    site.gazetteer(GAZETTEER)
        .report(
            "reports/good.md",
            &simple_report("Fine", "2019-01-03", "Syria/Idlib", 1),
        )
        .report("reports/bad-field.md", BAD_FIELD)
        .report("reports/bad-place.md", BAD_PLACE);
    site
}

fn assert_both_problems(err: &str) {
    assert!(
        err.contains("content/reports/bad-field.md:6:1:"),
        "unknown field located at 6:1:\n{err}"
    );
    assert!(err.contains("casualites"), "names the field:\n{err}");
    assert!(
        err.contains("casualties"),
        "suggests the right name:\n{err}"
    );
    assert!(
        err.contains("content/reports/bad-place.md:7:12:"),
        "unknown place located at 7:12:\n{err}"
    );
    assert!(err.contains("Atlantis"), "names the place:\n{err}");
    assert!(
        !err.contains("content/reports/good.md:"),
        "no problem in good.md:\n{err}"
    );
}

#[test]
fn invalid_content_fails_with_every_location_and_writes_nothing() {
    let site = broken_site("invalid");
    let o = site.build(&[]);
    assert!(!o.status.success(), "build must fail");
    assert_both_problems(&stderr(&o));
    assert!(!site.out().exists(), "no output folder is created");
    // Nothing else is left next to it either (no staging folder).
    assert_eq!(
        temp_entries(&site),
        ["site"],
        "only the site root is in the temp dir"
    );

    // `check` finds the same two problems and fails too; its JSON format gives the
    // positions as numbers.
    let o = site.check(&["--format", "json"]);
    assert!(!o.status.success(), "check must fail");
    let found: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    let errors: Vec<(String, u64, u64, String)> = found
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            (
                "content/reports/bad-field.md".to_string(),
                6,
                1,
                "unknown-field".to_string()
            ),
            (
                "content/reports/bad-place.md".to_string(),
                7,
                12,
                "unknown-place".to_string()
            ),
        ]
    );
}

#[test]
fn failed_build_leaves_previous_output_byte_identical() {
    let site = Site::new("keep-old");
    site.gazetteer(GAZETTEER).report(
        "reports/good.md",
        &simple_report("Fine", "2019-01-03", "Syria/Idlib", 1),
    );
    site.build_ok(&[]);
    let before = snapshot(&site.out());
    assert!(before.contains_key("data/reports.json"));
    assert!(before.contains_key("reports/good/index.html"));

    site.report("reports/bad-field.md", BAD_FIELD)
        .report("reports/bad-place.md", BAD_PLACE);
    let o = site.build(&[]);
    assert!(!o.status.success(), "build must fail");
    assert_both_problems(&stderr(&o));
    assert_same_tree(&before, &snapshot(&site.out()));
    assert_eq!(
        temp_entries(&site),
        ["out", "site"],
        "no staging folder left behind"
    );

    // Also with --drafts and --force: content errors stop the build before any writing.
    let o = site.build(&["--drafts", "--force"]);
    assert!(!o.status.success());
    assert_same_tree(&before, &snapshot(&site.out()));
}

/// Names of the entries of the folder holding the site root and the output.
fn temp_entries(site: &Site) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(site.out().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn failure_while_rendering_leaves_previous_output_byte_identical() {
    // Valid content, but a site template that fails only when a place page is rendered,
    // i.e. after the build has started writing its new output.
    let site = Site::new("render-fail");
    site.report(
        "reports/good.md",
        &simple_report("Fine", "2019-01-03", "Syria/Idlib", 1),
    );
    site.build_ok(&[]);
    let before = snapshot(&site.out());
    site.template(
        "place.html",
        "{% extends \"base.html\" %}{% block main %}{{ place.nothing.deeper }}{% endblock main %}",
    );
    let o = site.build(&[]);
    assert!(!o.status.success(), "build must fail:\n{}", stderr(&o));
    assert!(stderr(&o).contains("place.html"), "{}", stderr(&o));
    assert_same_tree(&before, &snapshot(&site.out()));
    assert_eq!(
        temp_entries(&site),
        ["out", "site"],
        "no staging folder left"
    );
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let site = Site::new("foreign");
    site.report(
        "reports/good.md",
        &simple_report("Fine", "2019-01-03", "Syria/Idlib", 1),
    );
    fs::create_dir_all(site.out()).unwrap();
    fs::write(site.out().join("thesis.txt"), "years of work").unwrap();
    let before = snapshot(&site.out());
    let o = site.build(&[]);
    assert!(!o.status.success(), "build must refuse a foreign folder");
    assert_same_tree(&before, &snapshot(&site.out()));
    assert_eq!(temp_entries(&site), ["out", "site"]);
    // With --force it is replaced by the site.
    site.build_ok(&["--force"]);
    assert!(site.has_page("reports/good/"));
    assert!(!site.out().join("thesis.txt").exists());
}

#[test]
fn positions_are_the_same_in_crlf_files_with_a_bom() {
    let crlf = |s: &str| format!("\u{feff}{}", s.replace('\n', "\r\n"));
    let site = Site::new("crlf");
    site.gazetteer(GAZETTEER)
        .report("reports/bad-field.md", &crlf(BAD_FIELD))
        .report("reports/bad-place.md", &crlf(BAD_PLACE));
    let o = site.build(&[]);
    assert!(!o.status.success(), "build must fail");
    let err = stderr(&o);
    assert!(err.contains("content/reports/bad-field.md:6:1:"), "{err}");
    assert!(err.contains("content/reports/bad-place.md:7:12:"), "{err}");
    assert!(!site.out().exists());
}

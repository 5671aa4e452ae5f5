//! The default theme in a real browser: the bundled archive, built with a sub-path base URL
//! twice (the English interface, and the Arabic one: `language: ar`) and served on
//! localhost, is opened in headless Chromium on a page of every kind (home, a place, a month,
//! a report, the Arabic report, the indexes, a year, a day, a perpetrator, the search, the
//! 404, and the methodology page and its Arabic translation; `tests/tools/pages.cjs` picks
//! them from `data/*.json`), 1280 and 390 px wide, in
//! the light and the dark colour scheme. Each must load with no console error, no failed
//! request and no request leaving localhost, with no axe-core violation of impact "serious"
//! or "critical" (colour contrast included), be laid out in its language's direction, and at
//! 390 px be no wider than the phone, nor hold a table that must scroll sideways, nor break a
//! word of a table across lines ("Al-Sukk/ariya/h camp"). In every
//! listing entry whose title is in the other language (an Arabic title on an English page,
//! an English one on an Arabic page), the dates must follow the title in the page's
//! direction: no piece of them on the title's far side (the day of "8 Sep 2018" pulled
//! across an Arabic title).
//!
//! A canary page with known faults is checked in the same session first, so that a harness
//! that silently stopped detecting anything fails too.
//!
//! The charts are measured apart (`tests/tools/charts.cjs`): on pages of the bundled archive
//! and of a site of long charts, with an English and an Arabic interface, at 390, 800 and
//! 1280 px, light and dark, every label must be drawn at 10 px or more, inside its chart,
//! clear of the others, and the first and last bars must have theirs; a canary chart with
//! each fault is checked first.
//!
//! Needs Debian's chromium and `tests/tools/node_modules` (playwright-core, axe-core), so it
//! is ignored unless asked for: `.ci/run` installs them and runs it; a missing tool fails.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common::serve::serve;
use crate::common::*;

fn require_browser_tools() {
    let tools = Path::new(REPO).join("tests/tools/node_modules");
    require_tools(
        &[
            &tools.join("playwright-core"),
            &tools.join("axe-core/axe.min.js"),
            &chromium(),
        ],
        "chromium, or playwright-core or axe-core in tests/tools/node_modules",
    );
}

/// The pages every width and scheme must show, as named by `pages.cjs`.
const PAGES: [&str; 15] = [
    "home",
    "place",
    "month",
    "report",
    "report-ar",
    "places",
    "dates",
    "year",
    "day",
    "types",
    "perpetrators",
    "perpetrator",
    "tags",
    "search",
    "not-found",
];

/// The pages that list a report whose title is in the other language than the page's, on
/// each interface: the bundled archive has Arabic reports, and English ones.
const MIXED_LISTINGS: [&str; 3] = ["home", "year", "perpetrator"];

/// Pages of `content/pages/` checked too, by name and folder: the methodology and its
/// Arabic translation (right to left).
const SITE_PAGES: [(&str, &str); 2] = [
    ("methodology", "methodology/"),
    ("methodology-ar", "methodology-ar/"),
];

/// A page with one fault of each kind the checks look for.
const CANARY: &str = r#"<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Canary</title></head>
<body><main>
<p style="color: #c8c8c8; background: #ffffff">Faint text on white.</p>
<img src="missing.png">
<img src="https://example.com/pixel.png" alt="">
<script>console.error("canary error");</script>
<ol class="reports"><li><a href="missing-too.html" lang="ar">مقتل سبعة مدنيين في قصف</a> 8 Sep 2018</ol>
<div style="width:1500px">Wider than any window checked.</div>
<table style="width:3em;overflow-wrap:anywhere"><tr><td>Al-Sukkariyah</td></tr></table>
</main></body></html>
"#;

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// One axe result (a violation, or an incomplete check) with all its nodes.
fn describe(v: &Value) -> String {
    let mut s = format!(
        "{} [{}]: {} ({})",
        v["id"].as_str().unwrap_or("?"),
        v["impact"].as_str().unwrap_or("?"),
        v["help"].as_str().unwrap_or(""),
        v["helpUrl"].as_str().unwrap_or("")
    );
    for n in v["nodes"].as_array().into_iter().flatten() {
        let _ = write!(
            s,
            "\n      at {}\n        {}\n        {}",
            n["target"],
            n["html"].as_str().unwrap_or(""),
            n["failureSummary"]
                .as_str()
                .unwrap_or("")
                .replace('\n', "\n        ")
        );
    }
    s
}

fn ids(page: &Value) -> Vec<&str> {
    page["violations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["id"].as_str())
        .collect()
}

/// Asserts the canary's faults were all seen, in both schemes: otherwise the checks below
/// could pass by seeing nothing.
fn assert_canary_caught(pages: &[Value]) {
    let canaries: Vec<&Value> = pages.iter().filter(|p| p["name"] == "canary").collect();
    assert_eq!(
        canaries.len(),
        4,
        "the canary at both widths in both schemes"
    );
    for c in canaries {
        let errors = strings(&c["errors"]);
        let external = strings(&c["external"]);
        let failed = strings(&c["failed"]);
        let ids = ids(c);
        let caught = errors.iter().any(|e| e.contains("canary error"))
            && external == ["https://example.com/pixel.png"]
            && failed.iter().any(|f| f.contains("missing.png"))
            && ["color-contrast", "image-alt", "html-has-lang"]
                .iter()
                .all(|id| ids.contains(id))
            && c["overflow"].as_u64() > Some(0)
            && strings(&c["broken"]) == ["Al-Sukkariyah (table)"]
            && c["entries"] == 1
            && strings(&c["misplaced"]).len() == 1;
        assert!(
            caught,
            "the browser checks missed faults of the canary page, so they cannot be trusted:\n{c:#}"
        );
    }
}

/// Runs `browser.cjs` on the site `out`, served under the sub-path, with the canary page
/// added; returns its pages after checking that the canary's faults were caught.
fn run_browser(out: &Path) -> Vec<Value> {
    fs::create_dir_all(out.join("canary-e2e")).unwrap();
    fs::write(out.join("canary-e2e/index.html"), CANARY).unwrap();
    let port = serve(out.to_path_buf(), "/sub/path/");
    let base = format!("http://127.0.0.1:{port}/sub/path/");
    let run = Command::new("node")
        .arg(Path::new(REPO).join("tests/tools/browser.cjs"))
        .arg(&base)
        .arg(out)
        .arg("canary=canary-e2e/")
        .args(SITE_PAGES.map(|(name, rel)| format!("{name}={rel}")))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "browser.cjs failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let result: Value = serde_json::from_slice(&run.stdout).unwrap();
    let pages = result["pages"].as_array().unwrap().clone();
    assert_canary_caught(&pages);
    pages
}

/// The URL of the bundled archive's Arabic report of its own (it also has an Arabic
/// translation).
fn arabic_report(out: &Path) -> String {
    let reports = read_json(&out.join("data/reports.json"));
    reports
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["lang"] == "ar" && r["translation_of"].is_null())
        .expect("an Arabic report")["url"]
        .as_str()
        .unwrap()
        .to_string()
}

/// What is wrong with the pages of one interface (`en` or `ar`), and the pages checked,
/// as "<interface> <page> <width> <scheme>". Notes that do not fail are printed.
fn judge(interface: &str, out: &Path, pages: &[Value]) -> (Vec<String>, Vec<String>) {
    let arabic = arabic_report(out);
    let mut checked = Vec::new();
    let mut problems = Vec::new();
    for p in pages.iter().filter(|p| p["name"] != "canary") {
        let name = p["name"].as_str().unwrap();
        let scheme = p["scheme"].as_str().unwrap();
        let width = p["width"].as_u64().unwrap();
        let url = p["url"].as_str().unwrap();
        checked.push(format!("{interface} {name} {width} {scheme}"));
        let mut problem = |what: String| {
            problems.push(format!(
                "{interface} {name} ({width} px, {scheme}) {url}: {what}"
            ));
        };
        if p["status"] != 200 {
            problem(format!("HTTP status {}", p["status"]));
        }
        for e in strings(&p["errors"]) {
            problem(format!("console error: {e}"));
        }
        for e in strings(&p["external"]) {
            problem(format!("request leaving localhost: {e}"));
        }
        for e in strings(&p["failed"]) {
            problem(format!("failed request: {e}"));
        }
        for v in p["violations"].as_array().unwrap() {
            match v["impact"].as_str() {
                Some("serious" | "critical") => problem(format!("axe: {}", describe(v))),
                _ => eprintln!(
                    "note (not failing): {name} ({scheme}): axe: {}",
                    describe(v)
                ),
            }
        }
        for v in p["incomplete"].as_array().unwrap() {
            eprintln!(
                "note (not failing): {name} ({scheme}): axe could not decide: {}",
                describe(v)
            );
        }
        if p["overflow"] != 0 {
            problem(format!(
                "the page is {} px wider than the window",
                p["overflow"]
            ));
        }
        if width == 390 {
            for cut in strings(&p["cut"]) {
                problem(format!("a table scrolls sideways: {cut}"));
            }
        }
        for word in strings(&p["broken"]) {
            problem(format!("a word of a table is broken across lines: {word}"));
        }
        for m in strings(&p["misplaced"]) {
            problem(format!("a listing entry's dates cross its title: {m}"));
        }
        if MIXED_LISTINGS.contains(&name) && p["entries"].as_u64() < Some(1) {
            problem("no entry with a title in the other language was measured".into());
        }
        let (lang, direction) = match (interface, name) {
            (_, "report-ar" | "methodology-ar") => ("ar", "rtl"),
            (_, "report" | "methodology") => ("en", "ltr"),
            ("ar", _) => ("ar", "rtl"),
            _ => ("en", "ltr"),
        };
        if name == "report-ar" && !url.ends_with(&format!("/sub/path/{arabic}")) {
            problem(format!("not the Arabic report {arabic}"));
        }
        if p["lang"] != lang {
            problem(format!("<html lang> is {}, not {lang:?}", p["lang"]));
        }
        if p["direction"] != direction {
            problem(format!(
                "computed direction is {}, not {direction}",
                p["direction"]
            ));
        }
    }
    (checked, problems)
}

#[test]
#[ignore = "needs chromium, playwright-core and axe-core: run by .ci/run, or cargo test --test e2e browser:: -- --ignored"]
fn every_page_kind_is_clean_fits_a_phone_and_keeps_titles_before_dates_in_both_interfaces() {
    require_browser_tools();
    let (_tmp, english) = bundled_site("browser");
    let arabic = bundled_site_arabic("browser-ar");
    let mut checked = Vec::new();
    let mut problems = Vec::new();
    for (interface, out) in [("en", english), ("ar", arabic.out())] {
        let pages = run_browser(&out);
        let (c, p) = judge(interface, &out, &pages);
        checked.extend(c);
        problems.extend(p);
    }
    let expected: Vec<String> = ["en", "ar"]
        .iter()
        .flat_map(|i| {
            [1280, 390].iter().flat_map(move |w| {
                ["light", "dark"].iter().flat_map(move |s| {
                    let names = PAGES
                        .iter()
                        .copied()
                        .chain(SITE_PAGES.map(|(name, _)| name));
                    names.map(move |p| format!("{i} {p} {w} {s}"))
                })
            })
        })
        .collect();
    assert_eq!(checked, expected, "pages checked");
    assert!(
        problems.is_empty(),
        "{} problems in the browser:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

/// A chart with one fault of each kind the chart checks look for: SVG text drawn at 7 px,
/// two labels on top of each other, a label past the chart's end, a last bar (its table's
/// last row) without a label.
const CHART_CANARY: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Chart canary</title></head>
<body><main><figure class="chart"><div class="plot">
<svg class="chart" viewBox="0 0 640 150" style="display:block;width:390px;height:90px"><text x="10" y="20" font-size="11">tiny</text></svg>
<ol class="ticks" style="position:relative;list-style:none;margin:0;padding:0;height:20px;width:390px"><li>
<span style="position:absolute;left:100px;font-size:12px">Jan 2019</span><span style="position:absolute;left:110px;font-size:12px">Feb 2019</span><span style="position:absolute;left:370px;font-size:12px">Dec 2019</span>
</li></ol></div>
<details><summary>Numbers</summary><table><tbody><tr><td>Jan 2019</td><td>1</td></tr><tr><td>Mar 2020</td><td>2</td></tr></tbody></table></details>
</figure></main></body></html>
"#;

/// The smallest font a chart's label may have, in CSS px.
const SMALLEST_LABEL_PX: f64 = 10.0;

/// What is wrong with the labels of one chart as measured by `charts.cjs`: a font under
/// [`SMALLEST_LABEL_PX`], a label reaching out of the chart's sides, two labels
/// overlapping, the first or last bar left without its label.
fn chart_faults(chart: &Value) -> Vec<String> {
    let mut faults = Vec::new();
    let edge = |b: &Value, side: &str| b[side].as_f64().unwrap();
    let plot = &chart["plot"];
    let labels = chart["labels"].as_array().unwrap();
    // Half a pixel of rounding either way.
    const SLACK: f64 = 0.5;
    for l in labels {
        let (text, b) = (l["text"].as_str().unwrap(), &l["box"]);
        let font = l["font"].as_f64().unwrap();
        if font < SMALLEST_LABEL_PX {
            faults.push(format!("{text:?} at {font:.1} px"));
        }
        if edge(b, "left") < edge(plot, "left") - SLACK
            || edge(b, "right") > edge(plot, "right") + SLACK
        {
            faults.push(format!(
                "{text:?} ({:.1}–{:.1}) out of the chart ({:.1}–{:.1})",
                edge(b, "left"),
                edge(b, "right"),
                edge(plot, "left"),
                edge(plot, "right")
            ));
        }
    }
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            let (p, q) = (&a["box"], &b["box"]);
            let apart = edge(p, "right") <= edge(q, "left") + SLACK
                || edge(q, "right") <= edge(p, "left") + SLACK
                || edge(p, "bottom") <= edge(q, "top") + SLACK
                || edge(q, "bottom") <= edge(p, "top") + SLACK;
            if !apart {
                faults.push(format!("{} overlaps {}", a["text"], b["text"]));
            }
        }
    }
    let texts: Vec<&str> = labels.iter().filter_map(|l| l["text"].as_str()).collect();
    for end in ["first", "last"] {
        if let Some(label) = chart[end].as_str()
            && !texts.contains(&label)
        {
            faults.push(format!("the {end} bar ({label}) has no label"));
        }
    }
    faults
}

/// A site of `language` with a month-by-month chart of 59 bars (Syria/Idlib, a report a
/// month from January 2015, the longest span drawn by month) and a year-by-year one of 15
/// (Syria/Hama, a report a year from 2005), with counts into the thousands.
fn long_charts_site(language: &str) -> Site {
    let site = Site::new(&format!("browser-charts-{language}"));
    site.config(&format!("title: Charts\nlanguage: {language}\n"));
    for i in 0..59u32 {
        let (year, month) = (2015 + i / 12, 1 + i % 12);
        let killed = (u64::from(i) * 7919) % 1500 + 1;
        site.report(
            &format!("idlib-{i}.md"),
            &format!(
                "---\ntitle: \"Idlib {i}\"\ndate: {year}-{month:02}-15\nlocations: [Syria/Idlib]\ncasualties:\n  killed: {{min: {killed}}}\n---\nBody.\n"
            ),
        );
    }
    for year in 2005..2020u64 {
        site.report(
            &format!("hama-{year}.md"),
            &simple_report(
                &format!("Hama {year}"),
                &format!("{year}-06-01"),
                "Syria/Hama",
                year - 2000,
            ),
        );
    }
    site.build_ok(&["--base-url", SUB_PATH_BASE]);
    site
}

#[test]
#[ignore = "needs chromium and playwright-core: run by .ci/run, or cargo test --test e2e browser:: -- --ignored"]
fn chart_labels_are_readable_inside_their_chart_and_apart() {
    require_browser_tools();
    let (_tmp, bundled) = bundled_site("browser-charts");
    let arabic = Site::new("browser-charts-bundled-ar");
    copy_tree(
        &Path::new(REPO).join("content"),
        &arabic.root().join("content"),
    );
    // Its pages are written for an English site (their Arabic translations say `lang: ar`).
    fs::remove_dir_all(arabic.root().join("content/pages")).unwrap();
    arabic.config("title: Archive\nlanguage: ar\n");
    arabic.build_ok(&["--base-url", SUB_PATH_BASE]);
    let long = [long_charts_site("en"), long_charts_site("ar")];
    fs::create_dir_all(bundled.join("canary-charts")).unwrap();
    fs::write(bundled.join("canary-charts/index.html"), CHART_CANARY).unwrap();

    let mut pages = vec![format!(
        "canary={}",
        format!(
            "http://127.0.0.1:{}/sub/path/canary-charts/",
            serve(bundled.clone(), "/sub/path/")
        )
    )];
    let sites = [
        ("en", bundled.clone()),
        ("ar", arabic.out()),
        ("long-en", long[0].out()),
        ("long-ar", long[1].out()),
    ];
    for (name, out) in sites {
        let base = format!("http://127.0.0.1:{}/sub/path/", serve(out, "/sub/path/"));
        let paths: &[&str] = if name.starts_with("long") {
            &["places/syria/idlib/", "places/syria/hama/", "dates/2017/"]
        } else {
            &[
                "places/syria/",
                "places/syria/deir-ez-zor/",
                "dates/2018/",
                "dates/2019/",
            ]
        };
        pages.extend(paths.iter().map(|p| format!("{name}:{p}={base}{p}")));
    }
    let run = Command::new("node")
        .arg(Path::new(REPO).join("tests/tools/charts.cjs"))
        .args(&pages)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "charts.cjs failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let result: Value = serde_json::from_slice(&run.stdout).unwrap();
    let measured = result["pages"].as_array().unwrap();
    assert_eq!(
        measured.len(),
        pages.len() * 6,
        "every page at three widths in two schemes"
    );

    let mut problems = Vec::new();
    let mut charts = 0;
    for p in measured {
        let at = format!(
            "{} at {} px ({})",
            p["name"].as_str().unwrap(),
            p["width"],
            p["scheme"].as_str().unwrap()
        );
        let faults: Vec<String> = p["charts"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(chart_faults)
            .collect();
        if p["name"] == "canary" {
            // Each fault of the canary is seen, so a pass below means something.
            let joined = faults.join("\n");
            for seen in [
                "\"tiny\" at",
                "\"Jan 2019\" overlaps \"Feb 2019\"",
                "\"Dec 2019\" (",
                "the last bar (Mar 2020) has no label",
            ] {
                assert!(
                    joined.contains(seen),
                    "the chart checks missed a fault of the canary ({seen}), so they cannot be trusted:\n{joined}"
                );
            }
            continue;
        }
        if p["status"] != 200 {
            problems.push(format!("{at}: HTTP status {}", p["status"]));
        }
        let found = p["charts"].as_array().unwrap().len();
        if found != 1 {
            problems.push(format!("{at}: {found} charts, not one"));
        }
        charts += found;
        problems.extend(faults.into_iter().map(|f| format!("{at}: {f}")));
    }
    assert_eq!(charts, (pages.len() - 1) * 6, "charts measured");
    assert!(
        problems.is_empty(),
        "{} problems with chart labels:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

//! The default theme in a real browser: the bundled archive, built with a sub-path base URL
//! and served on localhost, is opened in headless Chromium (one session) on five pages (home,
//! a place, a month, a report, the Arabic report; `tests/tools/pages.cjs` picks them from
//! `data/*.json`), in the light and the dark colour scheme. Each must load with no console
//! error, no failed request and no request leaving localhost, and with no axe-core violation
//! of impact "serious" or "critical" (colour contrast included, in both schemes); the Arabic
//! report must be `<html lang="ar">` and laid out right to left.
//!
//! A canary page with known faults is checked in the same session first, so that a harness
//! that silently stopped detecting anything fails too.
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

/// The pages every scheme must show, as named by `pages.cjs`.
const PAGES: [&str; 5] = ["home", "place", "month", "report", "report-ar"];

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
    assert_eq!(canaries.len(), 2, "the canary in both schemes");
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
                .all(|id| ids.contains(id));
        assert!(
            caught,
            "the browser checks missed faults of the canary page, so they cannot be trusted:\n{c:#}"
        );
    }
}

#[test]
#[ignore = "needs chromium, playwright-core and axe-core: run by .ci/run, or cargo test --test e2e browser:: -- --ignored"]
fn pages_load_cleanly_and_pass_axe_in_both_colour_schemes() {
    require_browser_tools();
    let (_tmp, out) = bundled_site("browser");
    fs::create_dir_all(out.join("canary-e2e")).unwrap();
    fs::write(out.join("canary-e2e/index.html"), CANARY).unwrap();
    // An Arabic report of its own (the bundled archive also has an Arabic translation).
    let reports = read_json(&out.join("data/reports.json"));
    let arabic = reports
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["lang"] == "ar" && r["translation_of"].is_null())
        .expect("an Arabic report")["url"]
        .as_str()
        .unwrap()
        .to_string();

    let port = serve(out.clone(), "/sub/path/");
    let base = format!("http://127.0.0.1:{port}/sub/path/");
    let run = Command::new("node")
        .arg(Path::new(REPO).join("tests/tools/browser.cjs"))
        .arg(&base)
        .arg(&out)
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
    let pages = result["pages"].as_array().unwrap();
    assert_canary_caught(pages);

    let mut checked = Vec::new();
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    for p in pages.iter().filter(|p| p["name"] != "canary") {
        let name = p["name"].as_str().unwrap();
        let scheme = p["scheme"].as_str().unwrap();
        let url = p["url"].as_str().unwrap();
        checked.push(format!("{name} {scheme}"));
        let mut problem = |what: String| problems.push(format!("{name} ({scheme}) {url}: {what}"));
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
                _ => notes.push(format!("{name} ({scheme}): axe: {}", describe(v))),
            }
        }
        for v in p["incomplete"].as_array().unwrap() {
            notes.push(format!(
                "{name} ({scheme}): axe could not decide: {}",
                describe(v)
            ));
        }
        if name == "report-ar" {
            if !url.ends_with(&format!("/sub/path/{arabic}")) {
                problem(format!("not the Arabic report {arabic}"));
            }
            if p["lang"] != "ar" {
                problem(format!("<html lang> is {}, not \"ar\"", p["lang"]));
            }
            if p["direction"] != "rtl" {
                problem(format!("computed direction is {}, not rtl", p["direction"]));
            }
        } else if name == "methodology-ar" {
            if p["lang"] != "ar" || p["direction"] != "rtl" {
                problem(format!(
                    "lang {} and direction {}, not ar and rtl",
                    p["lang"], p["direction"]
                ));
            }
        } else if p["direction"] != "ltr" {
            problem(format!("computed direction is {}, not ltr", p["direction"]));
        }
    }
    for note in &notes {
        eprintln!("note (not failing): {note}");
    }
    let expected: Vec<String> = ["light", "dark"]
        .iter()
        .flat_map(|s| {
            let names = PAGES
                .iter()
                .copied()
                .chain(SITE_PAGES.map(|(name, _)| name));
            names.map(move |p| format!("{p} {s}"))
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

//! Every HTML page of the bundled archive is valid HTML: the Nu HTML checker (`vnu.jar`, npm
//! package `vnu-jar` in tests/tools) finds no error in any of them, checked in one JVM run.
//! A canary page with a known error is checked in the same run, so that a checker that
//! silently checked nothing fails too.
//!
//! Needs java and `tests/tools/node_modules/vnu-jar`, so it is ignored unless asked for:
//! `.ci/run` installs them and runs it; a missing tool fails.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::*;

fn vnu_jar() -> PathBuf {
    let jar = Path::new(REPO).join("tests/tools/node_modules/vnu-jar/build/dist/vnu.jar");
    let java = Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    let present = java && jar.is_file();
    assert!(
        present,
        "HTML validation needs java and tests/tools/node_modules/vnu-jar (run .ci/run)"
    );
    jar
}

/// Every `*.html` file under `dir`, sorted.
fn html_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "html") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// An image without `alt`: an error for the checker.
const CANARY: &str = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Canary</title></head>\n<body><img src=\"x.png\"></body></html>\n";

#[test]
#[ignore = "needs java and vnu-jar: run by .ci/run, or cargo test --test e2e html_valid:: -- --ignored"]
fn every_page_of_the_bundled_archive_is_valid_html() {
    let jar = vnu_jar();
    let (tmp, out) = bundled_site("html-valid");
    let files = html_files(&out);
    let reports = read_json(&out.join("data/reports.json"));
    for r in reports.as_array().unwrap() {
        let page = out.join(r["url"].as_str().unwrap()).join("index.html");
        assert!(files.contains(&page), "{} not found", page.display());
    }
    let canary = tmp.path().join("canary.html");
    fs::write(&canary, CANARY).unwrap();

    let run = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "json"])
        .arg(&canary)
        .args(&files)
        .output()
        .unwrap();
    // The report goes to stderr; exit status 1 means errors were found.
    let text = String::from_utf8_lossy(&run.stderr);
    let report: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("vnu.jar did not print a JSON report ({e}):\n{text}"));
    let messages = report["messages"].as_array().expect("messages");

    let mut canary_caught = false;
    let mut errors = Vec::new();
    let mut by_message: BTreeMap<String, usize> = BTreeMap::new();
    for m in messages {
        let url = m["url"].as_str().unwrap_or("");
        let file = url.strip_prefix("file:").unwrap_or(url);
        if Path::new(file) == canary {
            canary_caught |= m["message"].as_str().unwrap_or("").contains("alt");
            continue;
        }
        let rel = Path::new(file)
            .strip_prefix(&out)
            .map_or_else(|_| file.to_string(), |p| p.display().to_string());
        *by_message
            .entry(m["message"].as_str().unwrap_or("").to_string())
            .or_default() += 1;
        errors.push(format!(
            "{rel}:{}:{}: {}: {}\n    {}",
            m["lastLine"],
            m["firstColumn"]
                .as_u64()
                .or(m["lastColumn"].as_u64())
                .unwrap_or(0),
            m["type"].as_str().unwrap_or("?"),
            m["message"].as_str().unwrap_or(""),
            m["extract"].as_str().unwrap_or("").replace('\n', "↵")
        ));
    }
    assert!(
        canary_caught,
        "vnu.jar did not report the canary's missing alt, so it cannot be trusted \
         (status {:?}):\n{text}",
        run.status
    );
    let summary: Vec<String> = by_message
        .iter()
        .map(|(m, n)| format!("{n:>5} × {m}"))
        .collect();
    assert!(
        errors.is_empty(),
        "{} HTML errors in {} pages:\n{}\n\nby message:\n{}",
        errors.len(),
        files.len(),
        errors.join("\n"),
        summary.join("\n")
    );
    eprintln!("{} pages valid", files.len());
}

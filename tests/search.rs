//! Search in a real browser: the built search page of a fixture archive, served on
//! localhost under a sub-path, finds exactly the expected reports for a query and a place
//! filter, with no request leaving localhost. Needs Debian's chromium and playwright-core
//! in tests/tools (`.ci/run` installs both).

mod common;

use std::path::Path;
use std::process::Command;

use common::serve::serve;
use common::*;

fn report(title: &str, date: &str, place: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nlocations: [\"{place}\"]\ncasualties: {{killed: 2}}\nsource: {{url: \"https://example.org/r\"}}\n---\n{body}\n"
    )
}

fn browser_tools() -> bool {
    let tools = Path::new(REPO).join("tests/tools/node_modules/playwright-core");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    tools_present(
        &[&tools, Path::new(&chromium)],
        "chromium or playwright-core",
    )
}

#[test]
fn search_finds_words_within_a_place_under_a_sub_path() {
    if !browser_tools() {
        return;
    }
    let site = Site::new("search");
    site.report(
        "reports/a.md",
        &report(
            "Market hit in Saraqib",
            "2018-02-04",
            "Syria/Idlib/Saraqib",
            "Heavy shelling hit the market.",
        ),
    )
    .report(
        "reports/b.md",
        &report(
            "Air raid on Saraqib",
            "2018-02-05",
            "Syria/Idlib/Saraqib",
            "An airstrike destroyed a bakery.",
        ),
    )
    .report(
        "reports/c.md",
        &report(
            "Douma under fire",
            "2018-02-06",
            "Syria/Rif Dimashq/Douma",
            "Shelling continued all night.",
        ),
    )
    .report(
        "reports/d.md",
        &report(
            "Shelling on Idlib city",
            "2018-03-01",
            "Syria/Idlib/Idlib",
            "Several neighbourhoods were hit.",
        ),
    )
    .report(
        "reports/e.md",
        &report(
            "Quiet day in Binnish",
            "2018-03-02",
            "Syria/Idlib/Binnish",
            "No attacks were reported. Shelling elsewhere.",
        ),
    );
    let o = site.build(&["--base-url", "https://example.org/sub/path/"]);
    assert_success(&o);
    let port = serve(site.out(), "/sub/path/");
    let url = format!("http://127.0.0.1:{port}/sub/path/search/");
    let run = |query: &str, place: &str| -> serde_json::Value {
        let out = Command::new("node")
            .arg(Path::new(REPO).join("tests/tools/search.cjs"))
            .args([&url, query, place])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let found = run("shelling", "syria/idlib");
    // Newest first: e (2 March), d (1 March), a (4 February); c is in Rif Dimashq, b has no
    // shelling.
    assert_eq!(
        found["results"],
        serde_json::json!([
            "/sub/path/reports/e/",
            "/sub/path/reports/d/",
            "/sub/path/reports/a/"
        ]),
        "{found}"
    );
    assert_eq!(found["status"], "3 reports found.");
    assert_eq!(
        found["external"],
        serde_json::json!([]),
        "requests left localhost"
    );
    assert_eq!(found["errors"], serde_json::json!([]), "console errors");
    assert!(
        found["location"]
            .as_str()
            .unwrap()
            .contains("q=shelling&place=syria%2Fidlib"),
        "{found}"
    );

    let found = run("SHELLING market", "");
    assert_eq!(
        found["results"],
        serde_json::json!(["/sub/path/reports/a/"]),
        "{found}"
    );
    let found = run("shelling", "syria/idlib/saraqib");
    assert_eq!(
        found["results"],
        serde_json::json!(["/sub/path/reports/a/"]),
        "{found}"
    );
}

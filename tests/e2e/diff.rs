//! `sijill diff`: a git repository made in the test (a fixture site committed, changed,
//! committed again), compared through the CLI: reports added, removed, changed and renamed,
//! an update that supersedes (the toll moves by the difference), a gazetteer alias, the
//! review flags, the JSON field by field, the Markdown against a snapshot, and a huge
//! change under GitHub's comment limit.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::common::*;

fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

/// Makes `root` a git repository whose `main` holds what is there now.
fn commit_base(root: &Path) {
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-qm", "base"]);
}

fn report(title: &str, date: &str, place: &str, killed: u32, extra: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\n{extra}locations:\n  - place: {place}\n    killed: {killed}\nincident_types: [shelling]\nsource: {{name: SOHR}}\n---\nWhat happened in {place}.\n"
    )
}

const GAZETTEER: &str = "- path: Syria\n- path: Syria/Idlib\n- path: Syria/Idlib/Ariha\n- path: Syria/Idlib/Saraqib\n- path: Syria/Aleppo\n";

/// The base commit (`main`) and the pull request's changes on top, committed.
fn repository() -> Site {
    let site = Site::new("diff");
    let root = site.root();
    site.gazetteer(GAZETTEER);
    site.report(
        "reports/a.md",
        &report(
            "Shelling of Ariha",
            "2019-03-01",
            "Syria/Idlib/Ariha",
            12,
            "",
        ),
    );
    site.report(
        "reports/b.md",
        &report(
            "Shelling of Saraqib",
            "2019-03-05",
            "Syria/Idlib/Saraqib",
            5,
            "",
        ),
    );
    site.report(
        "reports/c.md",
        &report("Shelling of Aleppo", "2019-02-01", "Syria/Aleppo", 7, ""),
    );
    site.report(
        "reports/d.md",
        &report(
            "First account, Saraqib",
            "2019-04-01",
            "Syria/Idlib/Saraqib",
            20,
            "",
        ),
    );
    site.report(
        "reports/h.md",
        &report(
            "First account, Aleppo",
            "2019-05-01",
            "Syria/Aleppo",
            30,
            "",
        ),
    );
    commit_base(&root);
    git(&root, &["checkout", "-qb", "pr"]);
    // A changed count; a renamed file; a removal; an update that supersedes; a new report
    // that may be the same incident as `a` (written with a new alias); an update that
    // lowers a count.
    site.report(
        "reports/a.md",
        &report(
            "Shelling of Ariha",
            "2019-03-01",
            "Syria/Idlib/Ariha",
            14,
            "",
        ),
    );
    std::fs::create_dir_all(root.join("content/reports/moved")).unwrap();
    git(
        &root,
        &["mv", "content/reports/b.md", "content/reports/moved/b.md"],
    );
    git(&root, &["rm", "-q", "content/reports/c.md"]);
    site.report(
        "reports/e.md",
        &report(
            "Toll rises in Saraqib",
            "2019-04-03",
            "Syria/Idlib/Saraqib",
            25,
            "updates: d\n",
        ),
    );
    site.gazetteer(&GAZETTEER.replace(
        "- path: Syria/Idlib/Ariha\n",
        "- path: Syria/Idlib/Ariha\n  aliases: [Areeha]\n",
    ));
    site.report(
        "reports/f.md",
        &report(
            "Civilians killed in Areeha",
            "2019-03-01",
            "Syria/Idlib/Areeha",
            3,
            "",
        ),
    );
    site.report(
        "reports/g.md",
        &report(
            "Toll revised in Aleppo",
            "2019-05-02",
            "Syria/Aleppo",
            25,
            "updates: h\n",
        ),
    );
    git(&root, &["add", "."]);
    git(&root, &["commit", "-qm", "pr"]);
    site
}

fn diff(site: &Site, format: &str) -> String {
    let out = site.run(&["diff", "--base", "main", "--format", format]);
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn ids(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect()
}

/// The total change of `field` at (`scope`, `key`), as `(before, after)`.
fn total<'a>(d: &'a Value, scope: &str, key: &str, field: &str) -> (&'a Value, &'a Value) {
    let t = d["totals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["scope"] == scope && t["key"] == key && t["field"] == field)
        .unwrap_or_else(|| panic!("no change of {scope} {key} {field}: {}", d["totals"]));
    (&t["before"], &t["after"])
}

#[test]
fn the_json_says_what_changes_report_by_report_and_total_by_total() {
    let site = repository();
    let d: Value = serde_json::from_str(&diff(&site, "json")).unwrap();
    assert_eq!(ids(&d["reports"]["added"]), ["e", "f", "g"]);
    assert_eq!(
        d["reports"]["added"][1]["title"],
        "Civilians killed in Areeha"
    );
    assert_eq!(ids(&d["reports"]["removed"]), ["c"]);
    assert_eq!(ids(&d["reports"]["changed"]), ["a", "b"]);
    let a = &d["reports"]["changed"][0];
    assert_eq!(
        a["changes"],
        json!([
            {"field": "locations.Syria/Idlib/Ariha.killed", "before": {"min": 12, "max": 12}, "after": {"min": 14, "max": 14}},
            {"field": "casualties.killed", "before": {"min": 12, "max": 12}, "after": {"min": 14, "max": 14}}
        ])
    );
    assert_eq!(a["text_changed"], false);
    // A renamed file with the same id is a change, not a removal and an addition.
    let b = &d["reports"]["changed"][1];
    assert_eq!(
        b["changes"],
        json!([{"field": "file", "before": "content/reports/b.md", "after": "content/reports/moved/b.md"}])
    );
    // Idlib: 12 + 5 + 20 before; 14 + 5 + 25 (e supersedes d: +5, not +25) + 3 after.
    let exact = |n: u64| json!({"min": n, "max": n});
    assert_eq!(
        total(&d, "place", "Syria/Idlib", "killed"),
        (&exact(37), &exact(47))
    );
    assert_eq!(
        total(&d, "place", "Syria/Idlib/Saraqib", "killed"),
        (&exact(25), &exact(30))
    );
    // Aleppo: c (7) removed, h (30) superseded by g (25).
    assert_eq!(
        total(&d, "place", "Syria/Aleppo", "killed"),
        (&exact(37), &exact(25))
    );
    assert_eq!(
        total(&d, "date", "2019-02", "killed"),
        (&exact(7), &Value::Null)
    );
    assert_eq!(
        total(&d, "date", "2019", "killed"),
        (&exact(74), &exact(72))
    );
    assert_eq!(
        total(&d, "term", "incident_types/shelling", "killed"),
        (&exact(74), &exact(72))
    );
    let places: Vec<&str> = d["totals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["scope"] == "place")
        .map(|t| t["key"].as_str().unwrap())
        .collect();
    assert!(
        !places.contains(&"Syria/Idlib/Areeha"),
        "the alias resolves: {places:?}"
    );
    // The gazetteer: Ariha gained a spelling.
    assert_eq!(
        d["entries"],
        json!([{"list": "gazetteer", "entry": "Syria/Idlib/Ariha", "change": "changed", "aliases_added": ["Areeha"], "aliases_removed": [], "reports_moved": 0}])
    );
    // Flags: f may be a's incident; g lowers h's count.
    let flags: Vec<(&str, &str, &str)> = d["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["report"].as_str().unwrap(),
                f["other"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        flags,
        [
            ("possible-duplicate", "f", "a"),
            ("lowered-count", "g", "h")
        ]
    );
    let lowered = &d["flags"][1]["message"];
    assert!(
        lowered.as_str().unwrap().contains("from 30")
            && lowered.as_str().unwrap().contains("to 25"),
        "{lowered}"
    );
    assert_eq!(d["errors"], 0);
}

#[test]
fn the_markdown_matches_its_snapshot() {
    let site = repository();
    let markdown = diff(&site, "markdown");
    let base = String::from_utf8(
        Command::new("git")
            .arg("-C")
            .arg(site.root())
            .args(["rev-parse", "--short=12", "main"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let markdown = markdown.replace(base.trim(), "BASE");
    let snapshot = Path::new(REPO).join("tests/fixtures/diff/pr.md");
    if std::env::var_os("SIJILL_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, &markdown).unwrap();
    }
    let expected = std::fs::read_to_string(&snapshot).unwrap();
    assert_eq!(
        markdown, expected,
        "SIJILL_UPDATE_SNAPSHOTS=1 rewrites the snapshot"
    );
}

#[test]
fn uncommitted_changes_are_compared_and_the_working_tree_is_left_alone() {
    let site = repository();
    site.report(
        "reports/a.md",
        &report(
            "Shelling of Ariha",
            "2019-03-01",
            "Syria/Idlib/Ariha",
            99,
            "",
        ),
    );
    site.report(
        "reports/new.md",
        &report("Not yet committed", "2999-01-01", "Syria/Aleppo", 1, ""),
    );
    let d: Value = serde_json::from_str(&diff(&site, "json")).unwrap();
    assert!(ids(&d["reports"]["added"]).contains(&"new"));
    let a = &d["reports"]["changed"][0];
    assert_eq!(a["changes"][0]["after"], json!({"min": 99, "max": 99}));
    let future: Vec<&Value> = d["flags"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "future-date")
        .collect();
    assert_eq!(future.len(), 1, "{}", d["flags"]);
    // git status: still the two uncommitted changes, nothing else.
    let status = Command::new("git")
        .arg("-C")
        .arg(site.root())
        .args(["status", "--porcelain"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(status.stdout).unwrap(),
        " M content/reports/a.md\n?? content/reports/new.md\n"
    );
}

#[test]
fn a_missing_base_or_a_folder_outside_git_is_a_clear_error() {
    let site = repository();
    let out = site.run(&["diff", "--base", "no-such-branch"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("the base `no-such-branch` is not a commit"),
        "{}",
        stderr(&out)
    );
    let plain = Site::new("diff-no-git");
    plain.report("reports/a.md", &report("A", "2019-03-01", "Syria", 1, ""));
    let out = plain.run(&["diff", "--base", "main"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("is not in a git checkout"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_huge_change_stays_under_the_comment_limit() {
    let site = Site::new("diff-huge");
    let root = site.root();
    site.report(
        "reports/seed.md",
        &report("Seed", "2019-01-01", "Syria/Idlib", 1, ""),
    );
    commit_base(&root);
    for i in 0..3000 {
        let place = format!("Syria/Governorate {}/Town {i}", i % 40);
        let title = format!(
            "A long title of a report, to fill the comment: number {i} of many, in {place}"
        );
        site.report(
            &format!("reports/r{i}.md"),
            &report(&title, "2019-02-01", &place, 1 + i % 9, ""),
        );
    }
    let markdown = diff(&site, "markdown");
    assert!(
        markdown.chars().count() <= 65_536,
        "{} characters",
        markdown.chars().count()
    );
    assert!(
        markdown.contains("Adds 3000 reports"),
        "{}",
        &markdown[..400]
    );
    assert!(
        markdown.contains("more reports."),
        "what did not fit is counted"
    );
    assert!(markdown.contains("--format json` lists everything"));
}

#[test]
fn titles_cannot_make_links_images_or_break_the_table() {
    let site = repository();
    site.report(
        "reports/x.md",
        &report(
            "![t](https://evil.example/p.png) [click](https://evil.example) | <img src=x> `x`",
            "2019-03-02",
            "Syria/Aleppo",
            1,
            "",
        ),
    );
    let markdown = diff(&site, "markdown");
    let line = markdown
        .lines()
        .find(|l| l.contains("evil"))
        .expect("the title is shown");
    // Every character that could start a link, an image, HTML or code is escaped.
    let chars: Vec<char> = line.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if "[]()!<>`".contains(*c) {
            assert_eq!(
                chars.get(i.wrapping_sub(1)),
                Some(&'\\'),
                "{c} unescaped in {line}"
            );
        }
    }
    assert_eq!(line.matches(" | ").count(), 3, "four cells: {line}");
}

#[test]
fn a_renamed_vocabulary_entry_is_one_change_that_moves_its_reports() {
    let site = Site::new("diff-rename");
    let root = site.root();
    site.file(
        "content/vocabulary.yaml",
        "perpetrators:\n  - name: ISIS\n    aliases: [Daesh]\n",
    );
    for (i, who) in ["ISIS", "Daesh"].iter().enumerate() {
        site.report(
            &format!("reports/r{i}.md"),
            &report(
                "Attack",
                "2019-03-01",
                "Syria",
                2,
                &format!("perpetrators: [{who}]\n"),
            ),
        );
    }
    commit_base(&root);
    site.file(
        "content/vocabulary.yaml",
        "perpetrators:\n  - name: Islamic State\n    aliases: [ISIS, Daesh]\n",
    );
    let d: Value = serde_json::from_str(&diff(&site, "json")).unwrap();
    assert_eq!(
        d["entries"],
        json!([{"list": "perpetrators", "entry": "ISIS → Islamic State", "change": "renamed",
                "aliases_added": ["Islamic State"], "aliases_removed": [], "reports_moved": 2}])
    );
    // Both reports now name the new name: the old term's figures go, the new one's come.
    let (before, after) = total(&d, "term", "perpetrators/islamic-state", "alone.killed");
    assert_eq!(
        (before, after),
        (&Value::Null, &json!({"min": 4, "max": 4}))
    );
    assert_eq!(ids(&d["reports"]["changed"]), ["r0", "r1"]);
}

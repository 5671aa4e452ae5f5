//! `sijill check`: every rule of the format reported at its file and line, in the three
//! output formats; `sijill new` writes a report that passes.

use std::path::Path;
use std::process::Output;

use crate::common::Site;

const GAZETTEER: &str = "\
- path: Syria
- path: Syria/Deir ez-Zor
  aliases: [Deir Ezzor]
- path: Syria/Deir ez-Zor/Al-Bukamal
  aliases: [Abu Kamal, al-Bokamal]
- path: Syria/Idlib
- path: Syria/Idlib/Saraqib
";

/// A valid report with `extra` front matter lines inserted after line 3.
fn report(extra: &str) -> String {
    format!(
        "---\ntitle: \"A report\"\ndate: 2017-11-12\n{extra}locations: [Syria/Idlib/Saraqib]\nsource: {{name: Monitor, url: \"https://example.org/1\"}}\n---\nBody.\n"
    )
}

/// A site with one broken report per rule, and what `check` must say of each.
/// A broken report: its file, the line of the error (0: none), words of the message.
type Expectation = (&'static str, usize, Vec<&'static str>);

fn broken_site() -> (Site, Vec<Expectation>) {
    let site = Site::new("rules");
    site.file("content/places.yaml", GAZETTEER);
    site.report("reports/valid.md", &report("casualties: {killed: 3}\n"));
    let mut expect = Vec::new();
    let mut case = |name: &'static str, text: String, line: usize, words: Vec<&'static str>| {
        site.report(&format!("reports/{name}"), &text);
        expect.push((name, line, words));
    };
    case(
        "unknown-field.md",
        report("casualites: {killed: 3}\n"),
        4,
        vec!["unknown field `casualites`", "did you mean `casualties`"],
    );
    case(
        "impossible-date.md",
        report("period: {start: 2017-02-30}\n"),
        4,
        vec!["`2017-02-30` is not a real date"],
    );
    case(
        "period-reversed.md",
        report("period:\n  start: 2017-11-12\n  end: 2017-11-10\n"),
        6,
        vec!["`period.end`", "before"],
    );
    case(
        "negative-count.md",
        report("casualties:\n  killed: -4\n"),
        5,
        vec!["negative"],
    );
    case(
        "min-above-max.md",
        report("casualties:\n  killed: {min: 20, max: 12}\n"),
        5,
        vec!["`min` (20) is larger than `max` (12)"],
    );
    case(
        "breakdown-above-total.md",
        report("casualties:\n  killed: 5\n  children: 4\n  women: 3\n"),
        6,
        vec!["add up to 7", "more than `killed` (5)"],
    );
    case(
        "locations-above-total.md",
        "---\ntitle: x\ndate: 2017-11-12\nlocations:\n  - {place: Syria/Idlib/Saraqib, killed: 8}\ncasualties:\n  killed: 5\nsource: {url: \"https://example.org/\"}\n---\n".into(),
        7,
        vec!["locations add up to 8 killed", "more than the report's total (5)"],
    );
    case(
        "invalid-id.md",
        report("id: Bad_Id\n"),
        4,
        vec!["`Bad_Id` is not a valid id"],
    );
    case("dup-a.md", report("id: same-id\n"), 0, vec![]);
    case(
        "dup-b.md",
        report("id: same-id\n"),
        4,
        vec!["id `same-id` is also used by content/reports/dup-a.md"],
    );
    case(
        "unknown-place.md",
        "---\ntitle: x\ndate: 2017-11-12\nsource: {url: \"https://example.org/\"}\nlocations:\n  - Syria/Deir Ezzor/Al Bokamal\n---\n".into(),
        6,
        vec!["`Al Bokamal` under `Syria/Deir ez-Zor` is not in the gazetteer", "did you mean `Syria/Deir ez-Zor/Al-Bukamal`"],
    );
    case("bad-source-url.md", "---\ntitle: x\ndate: 2017-11-12\nlocations: [Syria]\nsource:\n  url: www.example.org/report\n---\n".into(), 6, vec!["not an absolute http(s) URL"]);
    case(
        "unterminated.md",
        "---\ntitle: x\ndate: 2017-11-12\nlocations: [Syria]\n\nBody without a closing fence.\n"
            .into(),
        1,
        vec!["front matter is not closed"],
    );
    case(
        "yaml-syntax.md",
        "---\ntitle: x\ndate: 2017-11-12\nlocations: [Syria\n---\n".into(),
        5,
        vec!["did not find expected"],
    );
    case(
        "empty-locations.md",
        "---\ntitle: x\ndate: 2017-11-12\nlocations: []\n---\n".into(),
        4,
        vec!["`locations` is empty"],
    );
    case(
        "broken-link.md",
        format!("{}See [the other report](../2016/gone.md).\n", report("")),
        8,
        vec!["links to a report that does not exist"],
    );
    case(
        "missing-title.md",
        "---\ndate: 2017-11-12\nlocations: [Syria]\n---\n".into(),
        1,
        vec!["`title` is missing"],
    );
    case(
        "bad-kind.md",
        report("kind: event\n"),
        4,
        vec!["`kind` cannot be `event`", "incident, summary"],
    );
    site.file("content/reports/not-utf8.md", b"---\ntitle: caf\xe9\n---\n");
    expect.push(("not-utf8.md", 2, vec!["not UTF-8"]));
    (site, expect)
}

fn github_lines(out: &Output) -> Vec<String> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn github_format_reports_every_rule_at_its_line() {
    let (site, expect) = broken_site();
    let out = site.run(&["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let lines = github_lines(&out);
    for (file, line, words) in expect.iter().filter(|(_, l, _)| *l > 0) {
        let prefix = format!("::error file=content/reports/{file},line={line},");
        let found: Vec<&String> = lines.iter().filter(|l| l.starts_with(&prefix)).collect();
        assert!(
            !found.is_empty(),
            "no error at {file}:{line} in:\n{}",
            lines.join("\n")
        );
        for w in words {
            assert!(
                found.iter().any(|l| l.contains(w)),
                "{file}:{line}: `{w}` missing from {found:?}"
            );
        }
    }
    for clean in ["valid.md", "dup-a.md"] {
        assert!(
            !lines
                .iter()
                .any(|l| l.contains(&format!("file=content/reports/{clean},"))),
            "{clean} flagged:\n{}",
            lines.join("\n")
        );
    }
    // The first ten annotations (what GitHub shows) cover ten different files.
    let first: Vec<&str> = lines
        .iter()
        .take(10)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let mut distinct = first.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 10, "{first:?}");
    let notice = lines.last().unwrap();
    assert!(
        notice.starts_with("::notice") && notice.contains("errors"),
        "{notice}"
    );
}

#[test]
fn build_with_errors_exits_non_zero_and_writes_nothing() {
    let (site, _) = broken_site();
    let out = site.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!site.root().join("public").exists());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("content/reports/unknown-field.md:4:1: error[unknown-field]"),
        "{stderr}"
    );
}

#[test]
fn json_format_lists_every_problem() {
    let (site, expect) = broken_site();
    let out = site.run(&["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = all.as_array().unwrap();
    for (file, line, _) in expect.iter().filter(|(_, l, _)| *l > 0) {
        assert!(
            all.iter()
                .any(|d| d["file"] == format!("content/reports/{file}")
                    && d["line"] == *line as u64
                    && d["severity"] == "error"),
            "{file}:{line} missing"
        );
    }
    let keys: Vec<&String> = all[0].as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 7);
    for k in [
        "file", "line", "column", "severity", "code", "message", "help",
    ] {
        assert!(all[0].get(k).is_some(), "{k}");
    }
}

#[test]
fn two_spellings_of_one_place_name_both_files() {
    let site = Site::new("spellings");
    site.report("reports/a.md", "---\ntitle: a\ndate: 2017-11-12\nlocations: [Syria/Deir ez-Zor]\ncasualties: {killed: 1}\n---\n");
    site.report("reports/b.md", "---\ntitle: b\ndate: 2017-11-13\nlocations:\n  - Syria/Deir Ez-Zor\ncasualties: {killed: 1}\n---\n");
    let out = site.run(&["check", "--format", "github"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("::error file=content/reports/b.md,line=5,"),
        "{text}"
    );
    assert!(text.contains("`Deir Ez-Zor` and `Deir ez-Zor` (in content/reports/a.md) are two spellings of one place"), "{text}");
}

#[test]
fn gazetteer_problems_are_reported() {
    let site = Site::new("gazetteer");
    site.file(
        "content/places.yaml",
        "- path: Syria\n- path: Syria/Idlib\n  aliases: [Idleb]\n- path: Syria/Idleb Countryside\n  aliases: [Idleb]\n- path: Syria/Idlib\n- path: Syria/Hama/Kafr Zita\n",
    );
    site.report("reports/a.md", &report(""));
    let out = site.run(&["check", "--format", "github"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("file=content/places.yaml,line=5,")
            && text.contains("`Idleb` matches two places"),
        "{text}"
    );
    assert!(
        text.contains("file=content/places.yaml,line=6,") && text.contains("listed twice"),
        "{text}"
    );
    assert!(
        text.contains("file=content/places.yaml,line=7,")
            && text.contains("`Syria/Hama`, is not in the gazetteer"),
        "{text}"
    );
}

#[test]
fn warnings_do_not_fail_the_check() {
    let site = Site::new("warnings");
    site.report(
        "reports/bare.md",
        "---\ntitle: x\ndate: 2017-11-12\nlocations: [Syria]\n---\n",
    );
    site.report(
        "reports/french.md",
        &report("lang: fr\ncasualties: {killed: 1}\n"),
    );
    let out = site.run(&["check", "--format", "github"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("::warning file=content/reports/bare.md,line=1,")
            && text.contains("no casualties and no source"),
        "{text}"
    );
    assert!(
        text.contains("::warning file=content/reports/french.md,line=4,")
            && text.contains("no interface strings for `fr`"),
        "{text}"
    );
}

/// Snapshots of the human format: the source line with a caret under the column.
#[test]
fn human_format_snapshots() {
    let site = Site::new("human");
    site.file("content/places.yaml", GAZETTEER);
    site.report("reports/a.md", &report("casualites: {killed: 3}\n"));
    site.report("reports/b.md", "---\ntitle: x\ndate: 2017-11-12\nsource: {url: \"https://example.org/\"}\nlocations:\n  - place: Syria/Deir Ezzor/Al Bokamal\n    killed: 3\n---\n");
    site.report(
        "reports/c.md",
        &report("casualties:\n  killed: {min: 20, max: 12}\n"),
    );
    let out = site.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let expected = "\
warning: the base URL `/` has no host: citations, feeds and the sitemap will carry root-relative URLs (/reports/<id>/) instead of absolute ones; set `base_url` in site.yaml to the URL the site is published at (e.g. https://org.github.io/archive/), or build with --base-url
error[unknown-field]: unknown field `casualites`
 --> content/reports/a.md:4:1
  |
4 | casualites: {killed: 3}
  | ^^^^^^^^^^
  = help: did you mean `casualties`?

error[unknown-place]: `Al Bokamal` under `Syria/Deir ez-Zor` is not in the gazetteer
 --> content/reports/b.md:6:12
  |
6 |   - place: Syria/Deir Ezzor/Al Bokamal
  |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: did you mean `Syria/Deir ez-Zor/Al-Bukamal`?

error[min-above-max]: `min` (20) is larger than `max` (12)
 --> content/reports/c.md:5:26
  |
5 |   killed: {min: 20, max: 12}
  |                          ^^
  = help: swap the two numbers, or drop `max` for \"at least\"

3 errors, 0 warnings in 3 files
";
    assert_eq!(stderr, expected);
}

#[test]
fn new_writes_a_report_that_passes_check_and_never_overwrites() {
    let site = Site::new("new");
    site.file("content/places.yaml", GAZETTEER);
    let args = [
        "new",
        "--title",
        "Shelling on Saraqib: 3 killed",
        "--date",
        "2018-02-04",
        "--place",
        "Syria/Idlib/Saraqib",
    ];
    let out = site.run(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = Path::new(String::from_utf8(out.stdout).unwrap().trim()).to_path_buf();
    assert!(
        path.ends_with("content/reports/2018/02/2018-02-04-shelling-on-saraqib-3-killed.md"),
        "{path:?}"
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("title: \"Shelling on Saraqib: 3 killed\""));
    let check = site.run(&["check", "--format", "json"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    let again = site.run(&args);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("never overwrites"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let bad = site.run(&["new", "--title", "x", "--place", "Syria/Idlb"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("did you mean `Syria/Idlib`"));
}

/// A report `new` refuses was never written: its problems are told by the argument they
/// come from, not by a line of that file.
#[test]
fn new_tells_a_problem_by_its_argument_and_writes_nothing() {
    let site = Site::new("new-refused");
    site.file("content/places.yaml", GAZETTEER);
    let out = site.run(&[
        "new",
        "--title",
        "Shelling",
        "--date",
        "2018-02-04",
        "--place",
        "Syria/Idlib",
        "--place",
        "Syria/Idlb/Saraqib",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "error: --place \"Syria/Idlb/Saraqib\": `Idlb` under `Syria` is not in the gazetteer \
         [unknown-place]\n  help: did you mean `Syria/Idlib/Saraqib`?\nno report was written\n"
    );
    assert!(!site.root().join("content/reports").exists());
}

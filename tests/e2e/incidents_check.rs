//! Report format v2 ("incidents, translations, vocabularies", report-format.md): every rule
//! of `updates`, `translation_of` and `content/vocabulary.yaml` has a broken report under
//! `tests/fixtures/v2/`, and `sijill check --format json` must report it with its code,
//! severity, file, line and column (of the `updates:` / `translation_of:` value; of the field
//! for a disagreeing translation and a lowered count), a message naming what the format says
//! it names, and a help. A valid v2 site passes and builds; drafts in a chain are left out
//! of it unless built.
//!
//! The fixtures:
//! - `v2/accounts`: one broken report (or pair, or cycle) per rule of `updates`
//!   (`content/reports/updates/`) and of `translation_of` (`content/reports/translations/`);
//!   each case's files share a prefix, and the reports they name are valid;
//! - `v2/vocabulary`, `v2/vocabulary-syntax`: the vocabulary's rules;
//! - `v2/valid`: a chain of three accounts, an Arabic translation of the current one that
//!   leaves out every fact it may, one of the first that restates them identically, and
//!   vocabulary aliases in the reports;
//! - `v2/draft-update`, `v2/draft-original`: drafts in a chain.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::common::*;

/// One problem of `check --format json`.
#[derive(Debug, Clone)]
struct Problem {
    file: String,
    line: u64,
    column: u64,
    severity: String,
    code: String,
    message: String,
    help: Option<String>,
}

/// Runs `sijill check --format json` on a copy of `tests/fixtures/<fixture>`: its exit
/// code and every problem it printed.
fn run_check(fixture: &str) -> (Option<i32>, Vec<Problem>) {
    check_site(&Site::fixture(fixture))
}

/// Runs `sijill check --format json` on `site`: its exit code and every problem printed.
fn check_site(site: &Site) -> (Option<i32>, Vec<Problem>) {
    let out = site.check(&["--format", "json"]);
    let all: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON on stdout ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(&out)
        )
    });
    let text = |d: &Value, k: &str| {
        d[k].as_str()
            .unwrap_or_else(|| panic!("`{k}` of {d}"))
            .to_string()
    };
    let number = |d: &Value, k: &str| d[k].as_u64().unwrap_or_else(|| panic!("`{k}` of {d}"));
    let problems = all
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|d| Problem {
            file: text(d, "file"),
            line: number(d, "line"),
            column: number(d, "column"),
            severity: text(d, "severity"),
            code: text(d, "code"),
            message: text(d, "message"),
            help: d["help"].as_str().map(str::to_string),
        })
        .collect();
    (out.status.code(), problems)
}

/// The check of `v2/accounts`, run once for all the tests that read it.
fn accounts() -> &'static [Problem] {
    static RUN: OnceLock<Vec<Problem>> = OnceLock::new();
    RUN.get_or_init(|| {
        let (code, problems) = run_check("v2/accounts");
        assert_eq!(code, Some(1), "errors fail the check: {problems:#?}");
        problems
    })
}

/// The check of `v2/vocabulary`, run once.
fn vocabulary() -> &'static [Problem] {
    static RUN: OnceLock<Vec<Problem>> = OnceLock::new();
    RUN.get_or_init(|| {
        let (code, problems) = run_check("v2/vocabulary");
        assert_eq!(code, Some(1), "errors fail the check: {problems:#?}");
        problems
    })
}

/// The problems of `file` (relative to the site root), in the order printed.
fn of<'a>(problems: &'a [Problem], file: &str) -> Vec<&'a Problem> {
    problems.iter().filter(|p| p.file == file).collect()
}

/// The one problem of `file`; fails, listing them, when it has none or several.
fn the_one<'a>(problems: &'a [Problem], file: &str) -> &'a Problem {
    let found = of(problems, file);
    assert_eq!(found.len(), 1, "expected one problem in {file}: {found:#?}");
    found[0]
}

/// Asserts `p` is the `severity` `code` at `line`:`column`, with a help.
fn assert_at(p: &Problem, severity: &str, code: &str, line: u64, column: u64) {
    assert_eq!(
        (p.severity.as_str(), p.code.as_str(), p.line, p.column),
        (severity, code, line, column),
        "{p:#?}"
    );
    let help = p.help.as_deref().unwrap_or_default();
    assert!(!help.trim().is_empty(), "no help: {p:#?}");
    assert!(
        !help.contains("  "),
        "the help is not one clean sentence: {p:#?}"
    );
}

/// Asserts the message of `p` holds each of `words`.
fn assert_names(p: &Problem, words: &[&str]) {
    for w in words {
        assert!(p.message.contains(w), "`{w}` not named: {p:#?}");
    }
}

/// Asserts the help of `p` holds `words`.
fn assert_helps(p: &Problem, words: &str) {
    let help = p.help.as_deref().unwrap_or_default();
    assert!(help.contains(words), "help without `{words}`: {p:#?}");
}

const UPDATES: &str = "content/reports/updates/";
const TRANSLATIONS: &str = "content/reports/translations/";

fn updates(name: &str) -> String {
    format!("{UPDATES}{name}.md")
}

fn translations(name: &str) -> String {
    format!("{TRANSLATIONS}{name}.md")
}

// ---- `updates`: errors -------------------------------------------------------------------

#[test]
fn updates_of_an_unknown_report_suggests_the_close_id() {
    // `updates: saraqib-shellng` (4:10) where `saraqib-shelling` exists.
    let p = the_one(accounts(), &updates("unknown-updates"));
    assert_at(p, "error", "unknown-report", 4, 10);
    assert_names(p, &["saraqib-shellng"]);
    assert_helps(p, "did you mean `saraqib-shelling`?");
}

#[test]
fn a_report_that_updates_itself() {
    let p = the_one(accounts(), &updates("updates-itself"));
    assert_at(p, "error", "updates-itself", 4, 10);
}

#[test]
fn an_updates_value_that_is_no_id() {
    // `updates: Saraqib_Shelling`: capitals and `_` are not in an id.
    let p = the_one(accounts(), &updates("invalid-reference"));
    assert_at(p, "error", "invalid-reference", 4, 10);
    assert_names(p, &["Saraqib_Shelling"]);
}

#[test]
fn every_member_of_a_cycle_is_reported() {
    // cycle-a → cycle-b → cycle-a; loop-1 → loop-2 → loop-3 → loop-1. Each member is
    // reported, and each message names the whole cycle.
    for cycle in [&["cycle-a", "cycle-b"][..], &["loop-1", "loop-2", "loop-3"]] {
        for member in cycle {
            let p = the_one(accounts(), &updates(member));
            assert_at(p, "error", "chain-cycle", 4, 10);
            assert_names(p, cycle);
        }
    }
}

#[test]
fn a_fork_reports_the_later_updater_naming_the_other_file() {
    // fork-a (2019-04-03) and fork-b (2019-04-02) both update fork-original: fork-a is
    // the later (though first by file name), and must update fork-b instead.
    assert!(of(accounts(), &updates("fork-b")).is_empty());
    assert!(of(accounts(), &updates("fork-original")).is_empty());
    let p = the_one(accounts(), &updates("fork-a"));
    assert_at(p, "error", "chain-fork", 4, 10);
    assert_names(p, &[&updates("fork-b"), "fork-original"]);
    assert_helps(p, "updates: fork-b");
}

#[test]
fn an_update_dated_before_what_it_updates() {
    // before-update (2019-05-09) updates before-original (2019-05-10).
    let p = the_one(accounts(), &updates("before-update"));
    assert_at(p, "error", "update-before", 4, 10);
    assert_names(p, &["before-original", "2019-05-09", "2019-05-10"]);
}

#[test]
fn a_summary_that_updates_an_incident() {
    let p = the_one(accounts(), &updates("kind-summary"));
    assert_at(p, "error", "update-kind", 4, 10);
    assert_names(p, &["kind-incident", "summary", "incident"]);
}

#[test]
fn a_report_that_updates_a_translation() {
    // tu-update updates tu-original-ar, an Arabic translation (leaving out its places,
    // which are its original's: Binnish, as tu-update's). One error, and no warning about
    // places: the translation's places are the original's.
    let p = the_one(accounts(), &updates("tu-update"));
    assert_at(p, "error", "translation-in-chain", 4, 10);
    assert_names(p, &["tu-original-ar"]);
    assert_helps(p, "updates: tu-original");
}

// ---- `updates`: warnings -----------------------------------------------------------------

#[test]
fn a_published_report_that_updates_a_draft() {
    let p = the_one(accounts(), &updates("ud-published"));
    assert_at(p, "warning", "updates-draft", 4, 10);
    assert_names(p, &["ud-draft"]);
    assert!(of(accounts(), &updates("ud-draft")).is_empty());
}

#[test]
fn a_lowered_count_names_both_values() {
    // lc-first: killed 50; lc-second (updates lc-first): `  killed: 45` at line 7.
    let p = the_one(accounts(), &updates("lc-second"));
    assert_at(p, "warning", "lowered-count", 7, 11);
    assert_names(p, &["killed", "50", "45", "lc-first"]);
}

#[test]
fn an_update_whose_places_do_not_overlap() {
    // pd-first in Syria/Idlib/Saraqib, pd-second in Syria/Aleppo/Azaz: both in Syria, but
    // neither place lies inside or contains the other.
    let p = the_one(accounts(), &updates("pd-second"));
    assert_at(p, "warning", "places-differ", 4, 10);
    assert_names(p, &["pd-first"]);
}

// ---- `translation_of`: errors ------------------------------------------------------------

#[test]
fn a_translation_of_an_unknown_report_suggests_the_close_id() {
    // `translation_of: saraqib-shellin` (5:17).
    let p = the_one(accounts(), &translations("unknown-translation"));
    assert_at(p, "error", "unknown-report", 5, 17);
    assert_names(p, &["saraqib-shellin"]);
    assert_helps(p, "did you mean `saraqib-shelling`?");
}

#[test]
fn a_report_that_translates_itself() {
    let p = the_one(accounts(), &translations("translation-of-itself"));
    assert_at(p, "error", "translation-of-itself", 5, 17);
}

#[test]
fn a_translation_with_updates() {
    // tic-second-ar translates tic-second and `updates: tic-first` (6:10): the link
    // belongs on the original.
    let p = the_one(accounts(), &translations("tic-second-ar"));
    assert_at(p, "error", "translation-in-chain", 6, 10);
    assert_helps(p, "original");
    for clean in ["tic-first", "tic-second"] {
        assert!(of(accounts(), &translations(clean)).is_empty(), "{clean}");
    }
}

#[test]
fn a_translation_of_a_translation_names_the_original() {
    // tot-back-to-english translates tot-original-ar, itself a translation of tot-original.
    let p = the_one(accounts(), &translations("tot-back-to-english"));
    assert_at(p, "error", "translation-of-translation", 5, 17);
    assert_names(p, &["tot-original-ar", "`tot-original`"]);
    assert_helps(p, "translation_of: tot-original");
}

#[test]
fn a_translation_in_its_original_s_language() {
    let p = the_one(accounts(), &translations("tsl-copy"));
    assert_at(p, "error", "translation-same-language", 5, 17);
    assert_names(p, &["tsl-original", "`en`"]);
}

#[test]
fn two_translations_in_one_language() {
    // dup-ar-1 and dup-ar-2 both translate dup-original into `ar`: the second is reported,
    // naming the first.
    assert!(of(accounts(), &translations("dup-ar-1")).is_empty());
    let p = the_one(accounts(), &translations("dup-ar-2"));
    assert_at(p, "error", "duplicate-translation", 5, 17);
    assert_names(p, &["dup-original", "`ar`", &translations("dup-ar-1")]);
}

#[test]
fn restated_facts_that_disagree_name_the_field_and_both_values() {
    // td-original: period 2019-07-01..02, Syria/Idlib/Hazano, killed 12. Its translation
    // restates each differently, one field a line (lines 6, 7, 8).
    let found = of(accounts(), &translations("td-original-ar"));
    assert_eq!(found.len(), 3, "{found:#?}");
    let expect: [(u64, u64, &str, &[&str]); 3] = [
        (
            6,
            9,
            "`period`",
            &["2019-07-02", "2019-07-01 to 2019-07-02"],
        ),
        (
            7,
            12,
            "`locations`",
            &["Syria/Idlib/Kafr Takharim", "Syria/Idlib/Hazano"],
        ),
        (8, 13, "`casualties`", &["killed: 21", "killed: 12"]),
    ];
    for (p, (line, column, field, values)) in found.into_iter().zip(expect) {
        assert_at(p, "error", "translation-disagrees", line, column);
        assert_names(p, &[field, "td-original"]);
        assert_names(p, values);
    }
}

#[test]
fn restated_places_in_another_order_are_the_same_places() {
    // "the same resolved places": a set, as perpetrators are, not a sequence.
    let site = Site::new("v2-order");
    site.report(
        "reports/two-towns.md",
        "---\ntitle: Shelling on two towns\ndate: 2019-01-01\nlocations: [Syria/Idlib/Saraqib, Syria/Idlib/Ariha]\ncasualties: {killed: 3}\n---\n",
    );
    site.report(
        "reports/two-towns-ar.md",
        "---\ntitle: قصف على بلدتين\ndate: 2019-01-01\nlang: ar\ntranslation_of: two-towns\nlocations: [Syria/Idlib/Ariha, Syria/Idlib/Saraqib]\n---\n",
    );
    let (code, problems) = check_site(&site);
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(code, Some(0));
}

// ---- `translation_of`: warnings ----------------------------------------------------------

#[test]
fn a_published_translation_of_a_draft() {
    let p = the_one(accounts(), &translations("tod-original-ar"));
    assert_at(p, "warning", "translation-of-draft", 5, 17);
    assert_names(p, &["tod-original"]);
}

// ---- the site as a whole -----------------------------------------------------------------

#[test]
fn every_problem_of_a_broken_site_is_reported_in_one_run() {
    let found: Vec<(String, &str, &str)> = accounts()
        .iter()
        .map(|p| (p.file.clone(), p.code.as_str(), p.severity.as_str()))
        .collect();
    let (e, w) = ("error", "warning");
    let mut expect: Vec<(String, &str, &str)> = [
        ("before-update", "update-before", e),
        ("cycle-a", "chain-cycle", e),
        ("cycle-b", "chain-cycle", e),
        ("fork-a", "chain-fork", e),
        ("invalid-reference", "invalid-reference", e),
        ("kind-summary", "update-kind", e),
        ("lc-second", "lowered-count", w),
        ("loop-1", "chain-cycle", e),
        ("loop-2", "chain-cycle", e),
        ("loop-3", "chain-cycle", e),
        ("pd-second", "places-differ", w),
        ("tu-update", "translation-in-chain", e),
        ("ud-published", "updates-draft", w),
        ("unknown-updates", "unknown-report", e),
        ("updates-itself", "updates-itself", e),
    ]
    .into_iter()
    .map(|(f, c, s)| (updates(f), c, s))
    .chain(
        [
            ("dup-ar-2", "duplicate-translation", e),
            ("td-original-ar", "translation-disagrees", e),
            ("td-original-ar", "translation-disagrees", e),
            ("td-original-ar", "translation-disagrees", e),
            ("tic-second-ar", "translation-in-chain", e),
            ("tod-original-ar", "translation-of-draft", w),
            ("tot-back-to-english", "translation-of-translation", e),
            ("translation-of-itself", "translation-of-itself", e),
            ("tsl-copy", "translation-same-language", e),
            ("unknown-translation", "unknown-report", e),
        ]
        .into_iter()
        .map(|(f, c, s)| (translations(f), c, s)),
    )
    .collect();
    let mut sorted = found.clone();
    sorted.sort();
    expect.sort();
    assert_eq!(sorted, expect, "in the order printed: {found:#?}");
}

#[test]
fn a_build_with_v2_errors_fails_and_writes_nothing() {
    for (fixture, located) in [
        (
            "v2/accounts",
            "content/reports/updates/cycle-a.md:4:10: error[chain-cycle]",
        ),
        (
            "v2/vocabulary",
            "content/reports/misspelt-perpetrator.md:6:16: error[unknown-term]",
        ),
        (
            "v2/vocabulary-syntax",
            "content/vocabulary.yaml:3:5: error[vocabulary-syntax]",
        ),
    ] {
        let site = Site::fixture(fixture);
        let out = site.build(&[]);
        assert_eq!(out.status.code(), Some(1), "{fixture}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(located),
            "{fixture}: {}",
            stderr(&out)
        );
        assert!(!site.out().exists(), "{fixture}: an output folder was made");
        let left: Vec<String> = std::fs::read_dir(site.root().parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["site"], "{fixture}: something was left next to it");
    }
}

// ---- the vocabulary ----------------------------------------------------------------------

#[test]
fn a_misspelt_perpetrator_suggests_the_vocabulary_s_name() {
    // `perpetrators: [Syrian regim forces]` (6:16); the vocabulary lists `Syrian regime
    // forces`.
    let p = the_one(vocabulary(), "content/reports/misspelt-perpetrator.md");
    assert_at(p, "error", "unknown-term", 6, 16);
    assert_names(p, &["`Syrian regim forces`", "perpetrators"]);
    assert_helps(p, "did you mean `Syrian regime forces`?");
}

#[test]
fn an_incident_type_the_vocabulary_does_not_list() {
    // `  - ground assault` (9:5), the second incident type; nothing in the vocabulary is
    // close, so the help says where the names are.
    let p = the_one(vocabulary(), "content/reports/unknown-incident-type.md");
    assert_at(p, "error", "unknown-term", 9, 5);
    assert_names(p, &["`ground assault`", "incident_types"]);
    assert_helps(p, "content/vocabulary.yaml");
}

#[test]
fn a_spelling_of_two_vocabulary_entries() {
    // `air raid`, an alias of `airstrike`, is given again to `barrel bomb` (11:29).
    let found = of(vocabulary(), "content/vocabulary.yaml");
    assert_eq!(found.len(), 1, "{found:#?}");
    let p = found[0];
    assert_at(p, "error", "vocabulary-ambiguous", 11, 29);
    assert_names(p, &["`air raid`", "`airstrike`"]);
    // The reports using aliases and free tags are fine: two problems in all.
    assert!(of(vocabulary(), "content/reports/by-alias.md").is_empty());
    assert_eq!(vocabulary().len(), 3, "{:#?}", vocabulary());
}

#[test]
fn a_vocabulary_that_cannot_be_read() {
    // `alias:` for `aliases:` (3:5). The vocabulary is then none: its kinds stay free, and
    // the report using `regime forces` is not an error too.
    let (code, problems) = run_check("v2/vocabulary-syntax");
    assert_eq!(code, Some(1));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    let p = &problems[0];
    assert_eq!(p.file, "content/vocabulary.yaml");
    assert_at(p, "error", "vocabulary-syntax", 3, 5);
    assert_names(p, &["`alias`", "`aliases`"]);
}

// ---- a valid v2 site ---------------------------------------------------------------------

#[test]
fn a_valid_v2_site_passes_and_builds() {
    let (code, problems) = run_check("v2/valid");
    assert_eq!(code, Some(0), "{problems:#?}");
    assert!(problems.is_empty(), "0 errors, 0 warnings: {problems:#?}");

    let site = Site::fixture("v2/valid");
    site.build_ok(&[]);
    // Every publication is exported; the Arabic translation of the current account took
    // its original's facts, and aliases resolved to the vocabulary's names.
    let reports = site.json("data/reports.json");
    assert_eq!(
        keys(&reports, "id"),
        [
            "bukamal-1",
            "bukamal-1-ar",
            "bukamal-2",
            "bukamal-3",
            "bukamal-3-ar"
        ]
    );
    let current = record(&reports, "id", "bukamal-3");
    let translated = record(&reports, "id", "bukamal-3-ar");
    for field in [
        "period",
        "locations",
        "casualties",
        "perpetrators",
        "incident_types",
        "source",
    ] {
        assert_eq!(translated[field], current[field], "{field}");
    }
    for id in ["bukamal-1", "bukamal-1-ar", "bukamal-2", "bukamal-3"] {
        let r = record(&reports, "id", id);
        assert_eq!(r["perpetrators"], json!(["Syrian regime forces"]), "{id}");
        assert_eq!(r["incident_types"][0], "airstrike", "{id}");
    }
    // One incident: counted once, by its current account (at least 50, not 20 + 35 + 50).
    let places = site.json("data/places.json");
    let syria = record(&places, "path", "Syria");
    assert_eq!(syria["reports"], 1);
    assert_eq!(
        syria["totals"],
        json!({"killed": at_least(50), "children": exact(20)})
    );
    assert_eq!(
        listed_reports(&site.page("places/syria/deir-ez-zor/al-bukamal/"), "/"),
        ["bukamal-3"].map(String::from).into()
    );
    // Term pages under the names only.
    for (rel, exists) in [
        ("perpetrators/syrian-regime-forces/", true),
        ("perpetrators/regime-forces/", false),
        ("perpetrators/syrian-arab-army/", false),
        ("types/airstrike/", true),
        ("types/air-raid/", false),
        ("types/air-strike/", false),
    ] {
        assert_eq!(site.has_page(rel), exists, "{rel}");
    }
}

// ---- drafts in a chain -------------------------------------------------------------------

/// The notice heading a superseded report's page, if any.
fn superseded_notice(page: &str) -> Option<&str> {
    element(page, |t| t.name == "p" && has_class(t, "notice"))
}

/// Of each report of `data/reports.json`, its incident's id and whether it is counted.
fn incidents(site: &Site) -> BTreeMap<String, (Value, bool)> {
    let reports = site.json("data/reports.json");
    reports
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|r| {
            let counted = r["counted"].as_bool().unwrap_or_else(|| panic!("{r}"));
            (
                r["id"].as_str().unwrap().to_string(),
                (r["incident"].clone(), counted),
            )
        })
        .collect()
}

/// `(incident, counted)` by report id, as [`incidents`] gives them (`None`: `null`).
fn expect_incidents(rows: &[(&str, Option<&str>, bool)]) -> BTreeMap<String, (Value, bool)> {
    rows.iter()
        .map(|(id, incident, counted)| (id.to_string(), (json!(incident), *counted)))
        .collect()
}

/// The totals of `path` in `data/places.json`.
fn place_totals(site: &Site, path: &str) -> Value {
    record(&site.json("data/places.json"), "path", path)["totals"].clone()
}

#[test]
fn a_draft_update_leaves_the_published_account_current_unless_drafts_are_built() {
    let site = Site::fixture("v2/draft-update");
    // `draft-update` (draft: killed 12) updates `published` (killed 10): nothing to report.
    let (code, problems) = run_check("v2/draft-update");
    assert_eq!(code, Some(0));
    assert!(problems.is_empty(), "{problems:#?}");
    const SARAQIB: &str = "Syria/Idlib/Saraqib";

    site.build_ok(&[]);
    assert_eq!(
        incidents(&site),
        expect_incidents(&[("published", Some("published"), true)])
    );
    let page = site.page("reports/published/");
    assert_eq!(superseded_notice(&page), None, "published is current");
    assert_eq!(
        listed_reports(&site.page("places/syria/idlib/saraqib/"), "/"),
        ["published"].map(String::from).into()
    );
    assert_eq!(place_totals(&site, SARAQIB), json!({"killed": exact(10)}));

    site.build_ok(&["--drafts"]);
    // The incident keeps the id of its first account.
    assert_eq!(
        incidents(&site),
        expect_incidents(&[
            ("draft-update", Some("published"), true),
            ("published", Some("published"), false),
        ])
    );
    let page = site.page("reports/published/");
    let notice = superseded_notice(&page).expect("published is superseded");
    assert_eq!(links(notice), ["/reports/draft-update/"]);
    assert_eq!(
        listed_reports(&site.page("places/syria/idlib/saraqib/"), "/"),
        ["draft-update"].map(String::from).into()
    );
    assert_eq!(place_totals(&site, SARAQIB), json!({"killed": exact(12)}));
    let places = site.json("data/places.json");
    assert_eq!(record(&places, "path", SARAQIB)["reports"], 1);
    // The current account shows the history: the published account, then itself.
    let page = site.page("reports/draft-update/");
    let history =
        element(&page, |t| t.name == "section" && has_class(t, "history")).expect("a history");
    assert_eq!(links(history), ["/reports/published/"]);
}

#[test]
fn a_published_update_of_a_draft_counts_alone_and_a_translation_is_never_counted() {
    // kafr-halab (draft, killed 2) ← kafr-halab-update (killed 3); termanin (draft, killed
    // 6) translated by termanin-ar (leaving every fact to it).
    let site = Site::fixture("v2/draft-original");
    let (code, problems) = run_check("v2/draft-original");
    assert_eq!(code, Some(0), "{problems:#?}");
    let codes: BTreeMap<String, &str> = problems
        .iter()
        .map(|p| (p.file.clone(), p.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        BTreeMap::from([
            (
                "content/reports/kafr-halab-update.md".to_string(),
                "updates-draft"
            ),
            (
                "content/reports/termanin-ar.md".to_string(),
                "translation-of-draft"
            ),
        ])
    );

    site.build_ok(&[]);
    // Every publication is exported; the update is an incident of its own, counted; the
    // translation is never counted, and has no incident while its original is unpublished
    // (docs/data.md).
    assert_eq!(
        incidents(&site),
        expect_incidents(&[
            ("kafr-halab-update", Some("kafr-halab-update"), true),
            ("termanin-ar", None, false),
        ]),
        "a translation is never counted"
    );
    // The update is current and counts alone...
    assert_eq!(
        superseded_notice(&site.page("reports/kafr-halab-update/")),
        None
    );
    assert_eq!(
        place_totals(&site, "Syria/Aleppo/Kafr Halab"),
        json!({"killed": exact(3)})
    );
    // ...and the translation adds nothing to any total.
    assert_eq!(
        place_totals(&site, "Syria/Aleppo"),
        json!({"killed": exact(3)}),
        "a translation is never counted"
    );
    // Nor listed on its own (docs/format.md: "listed and counted nowhere until its original
    // is published").
    assert_eq!(
        listed_reports(&site.page("places/syria/aleppo/"), "/"),
        ["kafr-halab-update"].map(String::from).into()
    );

    site.build_ok(&["--drafts"]);
    assert_eq!(
        incidents(&site),
        expect_incidents(&[
            ("kafr-halab", Some("kafr-halab"), false),
            ("kafr-halab-update", Some("kafr-halab"), true),
            ("termanin", Some("termanin"), true),
            ("termanin-ar", Some("termanin"), false),
        ])
    );
    let notice = superseded_notice(&site.page("reports/kafr-halab/")).map(links);
    assert_eq!(
        notice,
        Some(vec!["/reports/kafr-halab-update/".to_string()])
    );
    assert_eq!(
        place_totals(&site, "Syria/Aleppo"),
        json!({"killed": exact(9)}),
        "kafr-halab-update 3 + termanin 6"
    );
}

//! Numbers as readers see them: every count worded with its "at least" or its range on
//! every page, in both interface languages; thousands grouped on pages and never in data;
//! and the words of the command line's messages.
//!
//! The fixture `tests/fixtures/minimums/` gives only minimums (`{min: N}`) and ranges, so
//! every count any page shows (its sums included: a sum with a minimum in it is a minimum,
//! a sum of ranges a range) must read "at least N" or "N–M"; a bare number next to a
//! casualty word there is a minimum shown as if it were exact.

use std::fs;
use std::path::Path;

use crate::common::html::{Tag, decode_refs, tags};
use crate::common::*;

/// Words that say what a number counts, as pages write them (English, then Arabic).
const CASUALTY_WORDS: &[&str] = &[
    "killed",
    "dead",
    "children",
    "child",
    "women",
    "woman",
    "men",
    "man",
    "civilians",
    "civilian",
    "combatants",
    "combatant",
    "injured",
    "wounded",
    "missing",
    "القتلى",
    "قتلى",
    "أطفال",
    "نساء",
    "رجال",
    "مدنيون",
    "مقاتلون",
    "جرحى",
    "مفقودون",
];

/// Tags inside a phrase: text on either side of them reads as one. Every other tag ends a
/// run of text (a cell, an item, a heading, a tooltip).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "code", "data", "em", "i", "mark", "q", "small", "span",
    "strong", "sub", "sup", "time",
];

/// The runs of text of a page a reader reads as units, in order: the text between two
/// tags that are not [`INLINE`] (script and style left out), whitespace collapsed. A table
/// cell is prefixed with its column's heading and a `<dd>` with its `<dt>` (`Killed: 86`),
/// since that heading is what says what the number counts.
fn runs(page: &str) -> Vec<String> {
    let tags = tags(page).expect("readable HTML");
    let mut runs = Vec::new();
    let mut current = String::new();
    let mut prefix: Option<String> = None;
    // Per open table: its column headings, and the column of the next cell.
    let mut tables: Vec<(Vec<String>, usize, bool)> = Vec::new();
    let mut last_dt = String::new();
    let mut skip_until: Option<&str> = None;
    let mut from = 0;
    let flush = |current: &mut String, prefix: &Option<String>, runs: &mut Vec<String>| {
        let text = decode_refs(&current.split_whitespace().collect::<Vec<_>>().join(" "));
        if !text.is_empty() {
            runs.push(match prefix {
                Some(p) if !p.is_empty() => format!("{p}: {text}"),
                _ => text,
            });
        }
        current.clear();
    };
    for tag in &tags {
        let text = &page[from..tag.start];
        from = tag.end;
        if let Some(name) = skip_until {
            if tag.closing && tag.name == name {
                skip_until = None;
            }
            continue;
        }
        current.push_str(text);
        if INLINE.contains(&tag.name.as_str()) {
            continue;
        }
        let finished = current.clone();
        flush(&mut current, &prefix, &mut runs);
        prefix = None;
        let Tag { name, closing, .. } = tag;
        match (name.as_str(), closing) {
            ("script" | "style", false) => skip_until = Some(name.as_str()),
            ("table", false) => tables.push((Vec::new(), 0, false)),
            ("table", true) => {
                tables.pop();
            }
            ("thead", open) => {
                if let Some(t) = tables.last_mut() {
                    t.2 = !open;
                }
            }
            ("tr", false) => {
                if let Some(t) = tables.last_mut() {
                    t.1 = 0;
                }
            }
            ("th" | "td", false) => {
                if let Some((headings, column, in_head)) = tables.last_mut() {
                    if !*in_head {
                        prefix = headings.get(*column).cloned();
                    }
                    *column += 1;
                }
            }
            ("th", true) => {
                if let Some((headings, _, true)) = tables.last_mut() {
                    headings.push(finished_text(&finished));
                }
            }
            ("dt", true) => last_dt = finished_text(&finished),
            ("dd", false) => prefix = Some(last_dt.clone()),
            _ => {}
        }
    }
    current.push_str(&page[from..]);
    flush(&mut current, &prefix, &mut runs);
    runs
}

fn finished_text(s: &str) -> String {
    decode_refs(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// A number as pages write one: digits, thousands grouped by `,`.
fn number_at(chars: &[char], i: usize) -> Option<usize> {
    let mut j = i;
    while j < chars.len()
        && (chars[j].is_ascii_digit()
            || chars[j] == ',' && chars.get(j + 1).is_some_and(char::is_ascii_digit) && j > i)
    {
        j += 1;
    }
    (j > i && chars[i].is_ascii_digit()).then_some(j)
}

/// The counts of `run` shown bare: a number directly followed by a casualty word
/// (`16 killed`), or directly after a casualty word and a colon (`Killed: 16`,
/// `قتلى: 16`), that is neither a range (`12–20`) nor worded as a minimum (`at least 16`,
/// `16 على الأقل`). Zero is exact wherever it is shown (no report gives a count), so it is
/// never bare. Numbers inside words or dates are no counts: only whole numbers count.
fn bare_counts(run: &str) -> Vec<String> {
    let chars: Vec<char> = run.chars().collect();
    let text = |a: usize, b: usize| {
        chars[a.min(chars.len())..b.min(chars.len())]
            .iter()
            .collect::<String>()
    };
    let mut bare = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            && (i == 0 || !chars[i - 1].is_alphanumeric() && chars[i - 1] != ',');
        let Some(end) = starts.then(|| number_at(&chars, i)).flatten() else {
            i += 1;
            continue;
        };
        let number = text(i, end);
        let before = text(0, i);
        let after = text(end, chars.len());
        i = end;
        if number == "0" || after.starts_with('–') || before.ends_with('–') {
            continue;
        }
        let minimum = before.ends_with("at least ") || after.starts_with(" على الأقل");
        let word_after = CASUALTY_WORDS.iter().any(|w| {
            after
                .strip_prefix(' ')
                .and_then(|a| a.strip_prefix(w))
                .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
        });
        let lower = before.to_lowercase();
        let word_before = CASUALTY_WORDS.iter().any(|w| {
            let label = lower.trim_end_matches("at least ");
            [": ", ":"].iter().any(|colon| {
                label.strip_suffix(colon).is_some_and(|l| {
                    l.ends_with(w) && !l[..l.len() - w.len()].ends_with(char::is_alphanumeric)
                })
            })
        });
        if (word_after || word_before) && !minimum {
            bare.push(format!("{number} in {run:?}"));
        }
    }
    bare
}

/// Every bare count of every page under `out`, with its page.
fn bare_counts_of_site(out: &Path) -> (usize, Vec<String>) {
    let mut pages = 0;
    let mut found = Vec::new();
    for entry in walk(out) {
        if entry.extension().is_some_and(|x| x == "html") {
            pages += 1;
            let page = fs::read_to_string(&entry).unwrap();
            for b in runs(&page).iter().flat_map(|r| bare_counts(r)) {
                found.push(format!(
                    "{}: {b}",
                    entry.strip_prefix(out).unwrap().display()
                ));
            }
        }
    }
    (pages, found)
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut all = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all.extend(walk(&path));
        } else {
            all.push(path);
        }
    }
    all.sort();
    all
}

/// The fixture of minimums, with its interface in `language`.
fn minimums(language: &str) -> Site {
    let site = Site::fixture("minimums");
    site.config(&format!("title: Minimums\nlanguage: {language}\n"));
    site.build_ok(&[]);
    site
}

#[test]
fn the_count_checker_finds_bare_counts_and_passes_worded_ones() {
    for bare in [
        "16 killed",
        "at least 50 killed, including 16 children",
        "Killed: 16",
        "killed: 1,200",
        "قتلى: 16",
        "Nov 2017: 16 killed",
        "1 report · 246 killed",
    ] {
        assert_eq!(bare_counts(bare).len(), 1, "{bare:?} not caught");
    }
    for worded in [
        "at least 16 killed",
        "12–20 killed",
        "Killed: at least 1,200",
        "Killed: 4,400–4,500",
        "قتلى: 16 على الأقل",
        "قتلى: 12–20",
        "Mar 2018: 0 killed",
        "Killed per month: 2019",
        "1 report · at least 246 killed",
        "12 November 2017",
        "3 reports",
    ] {
        assert_eq!(bare_counts(worded), Vec::<String>::new(), "{worded:?}");
    }
    // Table cells and <dd>s read with their headings.
    let page = "<table><thead><tr><th>Place</th><th>Reports</th><th>Killed</th></tr></thead><tbody><tr><th>Idlib</th><td>2</td><td>86</td></tr></tbody></table><dl><dt>killed</dt><dd><bdi>54</bdi></dd></dl>";
    let found: Vec<String> = runs(page).iter().flat_map(|r| bare_counts(r)).collect();
    assert_eq!(found.len(), 2, "{found:?} in {:?}", runs(page));
}

#[test]
fn every_count_on_every_page_carries_its_at_least_or_range() {
    for language in ["en", "ar"] {
        let site = minimums(language);
        let (pages, bare) = bare_counts_of_site(&site.out());
        // Every kind of page: home, places and place pages, dates and year/month/day
        // pages, types/perpetrators/tags and their terms, reports, search, 404.
        assert!(pages >= 35, "{language}: only {pages} pages");
        assert!(
            bare.is_empty(),
            "{language}: {} counts shown without their \"at least\" or range:\n  {}",
            bare.len(),
            bare.join("\n  ")
        );
        // The checker saw counts: the totals of the country are there, worded.
        let syria = site.page("places/syria/");
        let worded = if language == "en" {
            "at least 1,228 killed"
        } else {
            "قتلى: 1,228 على الأقل"
        };
        assert!(
            syria.contains(worded),
            "{language}: {worded} not on {syria}"
        );
    }
}

#[test]
fn pages_group_thousands_and_data_keeps_plain_digits() {
    let site = minimums("en");
    let idlib = site.page("places/syria/idlib/");
    for grouped in ["at least 1,212 killed", "4,420–4,530 injured"] {
        assert!(idlib.contains(grouped), "{grouped} not on {idlib}");
    }
    // The report page, the day's calendar and listings word the same counts.
    let ariha = site.page("reports/ariha-siege/");
    assert!(ariha.contains("4,400–4,500"), "{ariha}");
    let march = site.page("dates/2019/03/");
    assert!(march.contains("at least 1,200 killed"), "{march}");
    // Machine-readable data: plain numbers.
    let reports = site.json("data/reports.json");
    let ariha = record(&reports, "id", "ariha-siege");
    assert_eq!(ariha["casualties"]["injured"], range(4400, 4500));
    let csv = fs::read_to_string(site.out().join("data/reports.csv")).unwrap();
    assert!(csv.contains(",1200,") && !csv.contains("1,200"), "{csv}");
    let feed = fs::read_to_string(site.out().join("feed.xml")).unwrap();
    assert!(
        !feed.contains("1200,") && !feed.contains("\"1,200\""),
        "{feed}"
    );
}

#[test]
fn arabic_pages_group_with_the_same_comma_and_count_reports_as_arabic_does() {
    let site = minimums("ar");
    let idlib = site.page("places/syria/idlib/");
    assert!(idlib.contains("قتلى: 1,212 على الأقل"), "{idlib}");
    // Two reports of shelling: the dual; the home page counts the archive's four.
    let types = site.page("types/");
    assert!(types.contains("<small>تقريران · "), "{types}");
    let home = site.page("");
    assert!(home.contains("4 تقارير في الأرشيف"), "{home}");
}

#[test]
fn arabic_charts_name_whole_months() {
    let site = minimums("ar");
    let year = site.page("dates/2019/");
    for month in [
        "كانون الثاني",
        "آذار",
        "تشرين الأول",
        "تشرين الثاني",
        "كانون الأول",
    ] {
        assert!(
            year.contains(&format!("<td>{month}</td>")),
            "{month} not in the chart's table: {year}"
        );
    }
    for cut in [">كان<", ">تشر<", ">آذا<"] {
        assert!(!year.contains(cut), "a month name cut short: {cut}");
    }
    let syria = site.page("places/syria/");
    assert!(syria.contains(">كانون الأول 2018<"), "{syria}");
}

#[test]
fn incident_types_are_headed_by_their_vocabulary_names() {
    let (_tmp, out) = bundled_site("numbers-types");
    let car_bomb = read_page(&out, "types/car-bomb/");
    assert!(car_bomb.contains("<h1>Car bomb <bdi"), "{car_bomb}");
    let types = read_page(&out, "types/");
    assert!(types.contains(">Ground clashes</a>"), "{types}");
    assert!(!types.contains(">ground-clashes</a>"), "{types}");
}

#[test]
fn messages_say_one_error_and_one_report_in_the_singular() {
    let site = Site::new("numbers-one");
    site.report("a.md", &simple_report("One", "2019-01-02", "Syria", 3));
    let built = site.build_ok(&[]);
    assert!(
        stderr(&built)
            .lines()
            .any(|l| l.starts_with("built 1 report: ")),
        "{}",
        stderr(&built)
    );
    site.report("b.md", "---\ntitle: \"Two\"\ndate: 2019-01-02\nlocations: [Syria]\ncasualites: {killed: 1}\n---\nBody.\n");
    let check = site.check(&[]);
    assert!(
        stderr(&check).contains("\n1 error, 0 warnings in 2 files"),
        "{}",
        stderr(&check)
    );
    let failed = site.build(&[]);
    assert!(
        stderr(&failed).contains("\n1 error: nothing was written"),
        "{}",
        stderr(&failed)
    );
}

#[test]
fn a_tab_indenting_yaml_is_named_with_its_fix() {
    let site = Site::new("numbers-tab");
    site.report(
        "a.md",
        "---\ntitle: \"Tab\"\ndate: 2019-01-02\nlocations:\n\t- place: Syria\n---\nBody.\n",
    );
    let check = site.check(&[]);
    let printed = stderr(&check);
    assert!(
        printed.contains("error[yaml]: a tab indents this line\n --> content/a.md:5:1"),
        "{printed}"
    );
    assert!(
        printed.contains("= help: YAML cannot indent with tabs: indent with spaces"),
        "{printed}"
    );
}

#[test]
fn a_template_error_says_error_once() {
    let site = Site::new("numbers-template");
    site.report("a.md", &simple_report("One", "2019-01-02", "Syria", 3));
    site.template(
        "index.html",
        "{% extends \"base.html\" %}{% block main %}{{ nope( }}{% endblock main %}",
    );
    let printed = stderr(&site.build(&[]));
    assert!(
        printed.starts_with("error: in the templates: "),
        "{printed}"
    );
    assert_eq!(printed.matches("error").count(), 1, "{printed}");
}

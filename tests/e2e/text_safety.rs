//! Characters in names and text, through the real `sijill` binary: bidirectional controls
//! and invisible characters are refused at their line and column, noncharacters cannot make
//! the site's XML ill-formed, names are compared in NFC, look-alike names are warned about
//! with both spellings, and `check` never prints a character that reorders or hides text.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::common::*;

const RLO: char = '\u{202E}';

fn check(site: &Site, format: &str) -> Output {
    site.check_bounded(&["--format", format]).output
}

fn build(site: &Site) -> Output {
    site.build_bounded(&[]).output
}

/// `check --format json`: the exit code and the problems.
fn problems(site: &Site) -> (Option<i32>, Vec<Value>) {
    let o = check(site, "json");
    let list: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)));
    (o.status.code(), list.as_array().unwrap().clone())
}

/// The problems with `code`, as `(file, line, column, severity)`, and their messages.
fn with_code<'a>(list: &'a [Value], code: &str) -> Vec<(String, u64, u64, &'a str, &'a str)> {
    list.iter()
        .filter(|d| d["code"] == code)
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["severity"].as_str().unwrap(),
                d["message"].as_str().unwrap(),
            )
        })
        .collect()
}

/// Where the problems with `code` are, as `(file, line, column)`.
fn positions(list: &[Value], code: &str) -> Vec<(String, u64, u64)> {
    with_code(list, code)
        .into_iter()
        .map(|(file, line, column, ..)| (file, line, column))
        .collect()
}

fn places(site: &Site) -> Value {
    site.json("data/places.json")
}

#[test]
fn bidi_overrides_are_errors_at_their_line_and_column() {
    let site = Site::new("bidi");
    // Columns: `title: "Hajin ` is 14 characters, `  - Syria/Hajin` 15.
    site.report(
        "reports/title.md",
        &format!("---\ntitle: \"Hajin {RLO}123 killed\"\ndate: 2018-01-01\nlocations: [Syria/Hajin]\ncasualties: {{killed: 123}}\n---\nBody.\n"),
    );
    site.report(
        "reports/place.md",
        &format!("---\ntitle: t\ndate: 2018-01-02\nlocations:\n  - Syria/Hajin{RLO}x\ncasualties: {{killed: 1}}\n---\n"),
    );
    site.report(
        "reports/fields.md",
        &format!(
            "---\ntitle: \"isolated \u{2067}x\u{2069}\"\ndate: 2018-01-03\nlocations:\n  - place: Syria/Hajin\n    note: \"near {RLO}the school\"\n    killed: 1\nsource: {{name: \"SOHR{RLO}\"}}\ntags: [\"a{RLO}b\"]\nperpetrators: [\"\u{202B}x\"]\nincident_types: [\"Shelling\u{202D}\"]\n---\n"
        ),
    );
    // A mark without embedding is allowed in a title, not in a name.
    site.report(
        "reports/marks.md",
        "---\ntitle: \"\u{200F}123 قتيلاً\"\ndate: 2018-01-04\nlocations: [Syria/Hajin]\ntags: [\"\u{200E}x\"]\n---\n",
    );
    let (code, list) = problems(&site);
    assert_eq!(code, Some(1), "{list:#?}");
    let mut found: Vec<(String, u64, u64)> = with_code(&list, "bidi-control")
        .into_iter()
        .map(|(f, l, c, severity, message)| {
            assert_eq!(severity, "error");
            assert!(message.contains("U+"), "{message}");
            (f, l, c)
        })
        .collect();
    found.sort();
    let at = |file: &str, line, col| (format!("content/reports/{file}.md"), line, col);
    assert_eq!(
        found,
        vec![
            at("fields", 2, 18),
            at("fields", 6, 17),
            at("fields", 8, 21),
            at("fields", 9, 10),
            at("fields", 10, 17),
            at("fields", 11, 27),
            at("place", 5, 16),
            at("title", 2, 15),
        ]
    );
    let title = list
        .iter()
        .find(|d| d["file"] == "content/reports/title.md")
        .unwrap();
    assert!(
        title["help"].as_str().unwrap().contains("delete it"),
        "{title}"
    );
    assert_eq!(
        positions(&list, "invisible-character"),
        vec![("content/reports/marks.md".to_string(), 5, 9)],
        "an RLM is allowed in the title, an LRM refused in a tag"
    );
    let o = build(&site);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}

#[test]
fn an_nfd_spelling_is_the_nfc_place() {
    let nfc = "\u{1E24}am\u{0101}"; // Ḥamā, precomposed
    let nfd = "H\u{0323}ama\u{0304}";
    assert_ne!(nfc, nfd);
    let with_gazetteer = Site::new("nfd-gazetteer");
    with_gazetteer
        .gazetteer(&format!(
            "- path: Syria\n- path: Syria/{nfc}\n  aliases: [\"Hama\"]\n"
        ))
        .report(
            "reports/a.md",
            &simple_report("a", "2018-01-01", &format!("Syria/{nfd}"), 3),
        )
        .report(
            "reports/b.md",
            &simple_report("b", "2018-01-02", &format!("Syria/{nfc}"), 4),
        );
    let without = Site::new("nfd-alone");
    without
        .report(
            "reports/a.md",
            &simple_report("a", "2018-01-01", &format!("Syria/{nfd}"), 3),
        )
        .report(
            "reports/b.md",
            &simple_report("b", "2018-01-02", &format!("Syria/{nfc}"), 4),
        );
    for site in [&with_gazetteer, &without] {
        let o = build(site);
        assert!(o.status.success(), "{}", stderr(&o));
        let places = places(site);
        let path = format!("Syria/{nfc}");
        assert_eq!(record(&places, "path", &path)["totals"]["killed"], exact(7));
        assert_eq!(places.as_array().unwrap().len(), 2, "{places:#}");
    }
    // The gazetteer's own entries are compared in NFC too: an alias typed NFD is the name.
    let site = Site::new("nfd-alias");
    site.gazetteer(&format!(
        "- path: Syria\n- path: Syria/{nfc}\n- path: Syria/Hama2\n  aliases: [\"{nfd}\"]\n"
    ));
    let (code, list) = problems(&site);
    assert_eq!(code, Some(1));
    assert_eq!(
        with_code(&list, "gazetteer-ambiguous").len(),
        1,
        "{list:#?}"
    );
}

#[test]
fn invisible_characters_in_names_are_refused() {
    let site = Site::new("zwj");
    site.report(
        "reports/a.md",
        "---\ntitle: a\ndate: 2018-01-01\nlocations:\n  - Syria/Ha\u{200D}jin\ncasualties: {killed: 1}\n---\n",
    )
    .report(
        "reports/b.md",
        "---\ntitle: b\ndate: 2018-01-02\nlocations: [Syria/Hajin]\ntags: [\"Shel\u{00AD}ling\"]\nincident_types: [\"Shelling\\u200B\"]\n---\n",
    );
    let (code, list) = problems(&site);
    assert_eq!(code, Some(1), "{list:#?}");
    let found = positions(&list, "invisible-character");
    assert_eq!(
        found,
        vec![
            ("content/reports/a.md".into(), 5, 13),
            ("content/reports/b.md".into(), 5, 13),
            // Written as a YAML escape: at the value.
            ("content/reports/b.md".into(), 6, 18),
        ]
    );
    let zwj = list
        .iter()
        .find(|d| d["file"] == "content/reports/a.md")
        .unwrap();
    assert!(
        zwj["message"]
            .as_str()
            .unwrap()
            .contains("U+200D ZERO WIDTH JOINER"),
        "{zwj}"
    );

    // In the gazetteer too, at the alias.
    let site = Site::new("zwj-gazetteer");
    site.gazetteer("- path: Syria\n- path: Syria/Hajin\n  aliases: [\"Ha\u{200C}jin\"]\n")
        .report(
            "reports/a.md",
            &simple_report("a", "2018-01-01", "Syria/Hajin", 1),
        );
    let (code, list) = problems(&site);
    assert_eq!(code, Some(1), "{list:#?}");
    let found = positions(&list, "invisible-character");
    assert_eq!(found, vec![("content/places.yaml".into(), 3, 16)]);
}

#[test]
fn look_alike_names_are_warned_about_with_both_spellings() {
    let cyrillic = "H\u{0430}jin";
    let site = Site::new("confusable");
    site.report(
        "reports/a.md",
        &simple_report("a", "2018-01-01", "Syria/Hajin", 1),
    )
    .report(
        "reports/b.md",
        &simple_report("b", "2018-01-02", &format!("Syria/{cyrillic}"), 2),
    )
    // Under another parent it is another place: no warning.
    .report(
        "reports/c.md",
        &simple_report("c", "2018-01-03", &format!("Iraq/{cyrillic}"), 2),
    )
    .report(
        "reports/d.md",
        "---\ntitle: d\ndate: 2018-01-04\nlocations: [Syria/Hajin]\nincident_types: [Shelling, Airstrike]\n---\n",
    )
    .report(
        "reports/e.md",
        "---\ntitle: e\ndate: 2018-01-05\nlocations: [Syria/Hajin]\nincident_types:\n  - Airstrike\n  - Sh\u{0435}lling\n---\n",
    );
    let (code, list) = problems(&site);
    assert_eq!(code, Some(0), "warnings only: {list:#?}");
    let warned = with_code(&list, "confusable-names");
    assert_eq!(warned.len(), 2, "{list:#?}");
    let (file, line, _, severity, message) = &warned[0];
    assert_eq!(
        (file.as_str(), *line, *severity),
        ("content/reports/b.md", 5, "warning")
    );
    assert!(message.contains(&format!("`{cyrillic}`")), "{message}");
    assert!(message.contains("`Hajin`"), "{message}");
    assert!(message.contains("content/reports/a.md"), "{message}");
    assert!(message.contains("U+0430"), "{message}");
    let (file, line, _, _, message) = &warned[1];
    assert_eq!((file.as_str(), *line), ("content/reports/e.md", 7));
    assert!(message.contains("`Shelling`") && message.contains("content/reports/d.md"));

    // Gazetteer siblings, and a term of a site with a gazetteer (the report's front matter
    // is read again to place the warning).
    let site = Site::new("confusable-gazetteer");
    site.gazetteer(&format!(
        "- path: Syria\n- path: Syria/Hajin\n- path: Syria/{cyrillic}\n- path: Iraq\n- path: Iraq/Hajin\n"
    ))
    .report(
        "reports/d.md",
        "---\ntitle: d\ndate: 2018-01-04\nlocations: [Syria/Hajin]\ntags: [Shelling]\n---\n",
    )
    .report(
        "reports/e.md",
        "---\ntitle: e\ndate: 2018-01-05\nlocations: [Syria/Hajin]\n\ntags:\n  - SheIling\n---\n",
    );
    let (code, list) = problems(&site);
    assert_eq!(code, Some(0), "{list:#?}");
    let warned: Vec<(String, u64)> = with_code(&list, "confusable-names")
        .into_iter()
        .map(|(f, l, ..)| (f, l))
        .collect();
    assert_eq!(
        warned,
        vec![
            ("content/places.yaml".into(), 3),
            ("content/reports/e.md".into(), 7),
        ]
    );
}

#[test]
fn noncharacters_are_refused_and_every_xml_file_stays_well_formed() {
    let site = Site::new("ffff");
    site.report(
        "reports/a.md",
        "---\ntitle: \"Shelling\\uFFFF\"\ndate: 2018-01-01\nlocations: [\"Syria/Hajin\\uFDD0\"]\ncasualties: {killed: {min: 1, raw: \"one\\x07\"}}\nsource: {name: \"SOHR\\uFFFE\"}\ntags: [\"a\\tb\"]\n---\n",
    );
    let (code, list) = problems(&site);
    assert_eq!(code, Some(1), "{list:#?}");
    let mut found: Vec<(String, u64, &str)> = list
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["severity"].as_str().unwrap(),
            )
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("control-character".into(), 5, "error"),
            ("control-character".into(), 7, "error"),
            ("noncharacter".into(), 2, "error"),
            ("noncharacter".into(), 4, "error"),
            ("noncharacter".into(), 6, "error"),
        ]
    );

    // What front matter may hold, and bodies holding anything, build into XML that parses.
    let hostile = [
        "\u{FFFF}",
        "\u{FFFE}",
        "\u{FDD0}",
        "\u{1FFFF}",
        "\u{1}",
        "\u{1b}[31m",
        "\u{7f}",
        "\u{85}",
        "]]>",
        "<![CDATA[x",
        "<?xml version=\"1.0\"?>",
        "&",
        "&amp;",
        "<",
        "\r",
        // (An override, U+202E, is refused in bodies: see the test below.)
        "\u{2067}",
        "\u{FEFF}",
        "\u{2028}",
    ];
    let site = Site::new("xml");
    site.config(
        "title: \"Archive\\uFFFF\\x01\\uFFFE\"\ndescription: \"d\\uFFFF\"\nbase_url: https://example.org/a/\n",
    );
    for (i, bad) in hostile.iter().enumerate() {
        site.report(
            &format!("reports/r{i}.md"),
            &format!(
                "---\ntitle: \"A & <b> \\\"{i}\\\" \u{200F}\u{200D}\u{00AD}\"\ndate: 2018-01-{:02}\nlocations: [\"Syria/Dayr <&> '{i}'\"]\nincident_types: [\"Shelling & <x>\"]\ncasualties: {{killed: 1}}\n---\nBody {bad} and **{bad}** and [link {bad}](https://example.org/{i}) and `{bad}`\n\n<p title=\"{bad}\">{bad}</p>\n",
                i + 1
            ),
        );
    }
    let o = build(&site);
    assert!(o.status.success(), "{}", stderr(&o));
    let xml = xml_files(&site.out());
    assert!(xml.len() > 3, "{xml:?}");
    for path in &xml {
        let text = fs::read_to_string(path).unwrap();
        if let Err(e) = roxmltree::Document::parse(&text) {
            panic!("{} is not well-formed XML: {e}", path.display());
        }
    }
    let feed = fs::read_to_string(site.out().join("feed.xml")).unwrap();
    assert!(feed.contains("<title>Archive</title>"), "{feed}");
}

/// Every `.xml` and `.svg` file under `dir`.
fn xml_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(xml_files(&path));
        } else if path.extension().is_some_and(|x| x == "xml" || x == "svg") {
            found.push(path);
        }
    }
    found
}

#[test]
fn check_never_prints_a_bidi_control() {
    let site = Site::new("escape");
    // A key holding an override is quoted in the message (`unknown field`), and the title's
    // line is shown under its error.
    site.report(
        "reports/a.md",
        &format!("---\ntitle: \"Hajin {RLO}123 killed\"\ndate: 2018-01-01\nlocations: [Syria]\n\"note{RLO}x\u{2066}\": 1\n---\n"),
    );
    let invisible = |s: &str| {
        s.chars()
            .any(|c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
    };
    for format in ["human", "github", "json"] {
        let o = check(&site, format);
        assert_eq!(o.status.code(), Some(1), "{format}");
        let out = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!invisible(&out), "{format} printed a bidi control: {out:?}");
        let escaped = if format == "json" {
            "note\\u202ex\\u2066"
        } else {
            "note\\u{202e}x\\u{2066}"
        };
        assert!(out.contains(escaped), "{format}: {out}");
        if format == "json" {
            // The same strings to a JSON reader.
            let list: Value = serde_json::from_slice(&o.stdout).unwrap();
            assert!(
                list.as_array().unwrap().iter().any(|d| d["message"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("note{RLO}x\u{2066}"))),
                "{list:#}"
            );
        }
        if format == "human" {
            // The source line is shown escaped, the caret under the override itself.
            let shown = "2 | title: \"Hajin \\u{202e}123 killed\"\n";
            let caret = format!("  | {}^", " ".repeat(14));
            assert!(out.contains(&format!("{shown}{caret}")), "{out}");
        }
    }
}

/// A body can reverse its own text too: an override written as a character or as a
/// character reference (`&#x202E;` looks harmless in a diff), or `<bdo dir="rtl">`. The
/// first two are errors at their line and column; `<bdo>` loses its override on the page.
/// Isolates and direction marks, which mixed Arabic and English text needs, stay allowed.
#[test]
fn overrides_in_a_body_are_errors_and_bdo_does_not_reverse_the_page() {
    let site = Site::new("body-bidi");
    site.report(
        "reports/a.md",
        "---\ntitle: a\ndate: 2018-01-01\nlocations: [Syria/Hajin]\n---\nAt least 123 \u{202E}killed.\n\nThen &#x202e;and &#8238;here, &#X202D; too.\n",
    )
    .report(
        "reports/b.md",
        "---\ntitle: b\ndate: 2018-01-02\nlocations: [Syria/Hajin]\n---\nA \u{2067}عربي\u{2069} word, a mark \u{200F}, &#x2067;x&#x2069; and &amp;#x202E; as text.\n\nShown <bdo dir=\"rtl\">123 killed</bdo> as written.\n",
    );
    let (code, list) = problems(&site);
    assert_eq!(code, Some(1), "{list:#?}");
    let found = positions(&list, "bidi-control");
    let a = "content/reports/a.md".to_string();
    assert_eq!(
        found,
        [
            (a.clone(), 6, 14),
            (a.clone(), 8, 6),
            (a.clone(), 8, 18),
            (a, 8, 31)
        ],
        "{list:#?}"
    );
    // Without the override, the build shows `<bdo>`'s text in reading order.
    site.report(
        "reports/a.md",
        "---\ntitle: a\ndate: 2018-01-01\nlocations: [Syria/Hajin]\n---\nText.\n",
    );
    site.build_ok(&[]);
    let page = site.page("reports/b");
    assert!(page.contains("Shown 123 killed as written."), "{page}");
    assert!(!page.contains("<bdo"), "{page}");
}

/// A look-alike term is pointed at where it is written, even when the list repeats an
/// entry before it (the report keeps the list without repeats), with or without a
/// gazetteer (with one, the file is read again for the warning).
#[test]
fn a_look_alike_term_after_a_repeated_entry_is_pointed_at_its_own_line() {
    for gazetteer in [false, true] {
        let site = Site::new("look-alike-repeats");
        if gazetteer {
            site.gazetteer("- path: Syria\n");
        }
        for (file, tag) in [("a", "Shelling"), ("b", "SheIling")] {
            site.report(
                &format!("reports/{file}.md"),
                &format!(
                    "---\ntitle: {file}\ndate: 2018-01-0{}\nlocations: [Syria]\ntags:\n  - x\n  - x\n  - {tag}\n---\n",
                    if file == "a" { 1 } else { 2 }
                ),
            );
        }
        let (code, list) = problems(&site);
        assert_eq!(code, Some(0), "{list:#?}");
        let warned = positions(&list, "confusable-names");
        assert_eq!(warned.len(), 1, "{list:#?}");
        assert_eq!(
            (warned[0].1, warned[0].2),
            (8, 5),
            "gazetteer: {gazetteer}: {list:#?}"
        );
    }
}

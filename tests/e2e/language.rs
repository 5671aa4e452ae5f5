//! A report's language against its text: a report without `lang` takes the site's language,
//! and `check` warns (`language-mismatch`, at `lang` or the title) when its title and body
//! are clearly in a script that language is not written in; its page and list entries then
//! mark the text `dir="auto"`, so that it reads in order. A title in another language than
//! the page's carries that language's direction on every listing.

use serde_json::Value;

use crate::common::Site;

const ENGLISH: &str = "title: \"Shelling kills three children in Idlib\"";
const ARABIC: &str = "title: \"مقتل ثلاثة أطفال في قصف على إدلب\"";

/// A report with `title_line`, `lang_line` (empty for none) and `body`, of day `day`.
fn report(title_line: &str, lang_line: &str, day: u32, body: &str) -> String {
    format!(
        "---\n{title_line}\n{lang_line}date: 2018-02-{day:02}\nlocations: [Syria/Idlib]\ncasualties: {{killed: 3}}\n---\n{body}\n"
    )
}

/// `check --format json`'s problems of code `language-mismatch`, as (file, line, column,
/// help).
fn mismatches(site: &Site) -> Vec<(String, u64, u64, String)> {
    let out = site.check(&["--format", "json"]);
    let problems: Value = serde_json::from_slice(&out.stdout).unwrap();
    problems
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == "language-mismatch")
        .map(|p| {
            assert_eq!(p["severity"], "warning", "{p}");
            (
                p["file"].as_str().unwrap().to_string(),
                p["line"].as_u64().unwrap(),
                p["column"].as_u64().unwrap(),
                p["help"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_english_report_without_lang_on_an_arabic_site_is_warned_and_reads_in_order() {
    let site = Site::new("language-ar-site");
    site.config("title: أرشيف\nlanguage: ar\n")
        .report(
            "reports/untagged.md",
            &report(ENGLISH, "", 4, "Three of them children."),
        )
        .report(
            "reports/tagged.md",
            &report(ENGLISH, "lang: en\n", 5, "Three of them children."),
        )
        .report(
            "reports/arabic.md",
            &report(ARABIC, "", 6, "بينهم ثلاثة أطفال."),
        );
    assert_eq!(
        mismatches(&site),
        [(
            "content/reports/untagged.md".to_string(),
            2,
            8,
            "add `lang: en` (or the tag of the language it is in)".to_string()
        )]
    );
    // A warning: the site builds, every problem in one run.
    site.build_ok(&[]);
    let untagged = site.page("reports/untagged/");
    assert!(
        untagged.contains("<html lang=\"ar\" dir=\"rtl\">"),
        "{untagged}"
    );
    assert!(
        untagged.contains("<h1 dir=\"auto\">Shelling kills")
            && untagged.contains("<div class=\"body\" dir=\"auto\">"),
        "{untagged}"
    );
    let tagged = site.page("reports/tagged/");
    assert!(
        tagged.contains("<html lang=\"en\" dir=\"ltr\">") && !tagged.contains("dir=\"auto\""),
        "{tagged}"
    );
    let home = site.page("");
    assert!(
        home.contains("<a href=\"/reports/untagged/\" dir=\"auto\">Shelling kills"),
        "{home}"
    );
    assert!(
        home.contains("<a href=\"/reports/tagged/\" lang=\"en\" dir=\"ltr\">Shelling kills"),
        "{home}"
    );
    // A title in the page's language and direction carries neither.
    assert!(home.contains("<a href=\"/reports/arabic/\">مقتل"), "{home}");
}

#[test]
fn arabic_text_under_english_is_warned_at_lang_or_at_the_title() {
    let site = Site::new("language-en-site");
    site.report(
        "reports/written-en.md",
        &report(ARABIC, "lang: en\n", 4, "بينهم ثلاثة أطفال ونساء."),
    )
    .report(
        "reports/untagged.md",
        &report(ARABIC, "", 5, "بينهم ثلاثة أطفال ونساء."),
    )
    .report(
        "reports/arabic.md",
        &report(ARABIC, "lang: ar\n", 6, "بينهم ثلاثة أطفال ونساء."),
    )
    // An English report quoting an Arabic name and citing its source by address.
    .report(
        "reports/english.md",
        &report(
            ENGLISH,
            "",
            7,
            "The market (سوق الهال) was hit. Source: https://example.org/تقرير",
        ),
    );
    assert_eq!(
        mismatches(&site),
        [
            (
                "content/reports/untagged.md".to_string(),
                2,
                8,
                "add `lang: ar` (or the tag of the language it is in)".to_string()
            ),
            (
                "content/reports/written-en.md".to_string(),
                3,
                7,
                "write the language it is in: `lang: ar`, say".to_string()
            ),
        ]
    );
    site.build_ok(&[]);
    let home = site.page("");
    assert!(
        home.contains("<a href=\"/reports/arabic/\" lang=\"ar\" dir=\"rtl\">مقتل"),
        "{home}"
    );
    assert!(
        home.contains("<a href=\"/reports/untagged/\" dir=\"auto\">مقتل"),
        "{home}"
    );
    assert!(
        home.contains("<a href=\"/reports/english/\">Shelling"),
        "{home}"
    );
}

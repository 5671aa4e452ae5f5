//! The report's language: `lang`, a BCP-47 tag, and whether the interface has strings for it.

use super::Context;
use super::checker::Checker;
use crate::content::diagnostics::Diagnostic;
use crate::content::script::{self, Script};

/// The language tag written as `lang` (the site's when not given) of a report or a page; an
/// invalid tag is reported and kept, so later checks still run.
pub(super) fn language(c: &mut Checker, written: Option<&str>, ctx: &Context) -> String {
    let file = c.file;
    let lang = match written.map(str::trim) {
        Some(l) if !is_valid_lang(l) => {
            c.at_value(
                "lang",
                "invalid-lang",
                format!("`{l}` is not a language tag"),
            )
            .help = Some("use a BCP-47 tag such as `en`, `ar` or `fr`".into());
            l.to_string()
        }
        Some(l) => l.to_string(),
        None => ctx.default_lang.to_string(),
    };
    if !ctx
        .ui_languages
        .iter()
        .any(|u| *u == lang.split('-').next().unwrap_or(""))
        && written.is_some()
    {
        c.problems.push(
            Diagnostic::warning(
                file,
                c.pos.value("lang"),
                "lang-without-ui-strings",
                format!("there are no interface strings for `{lang}`"),
            )
            .with_help(format!(
                "the page will use the site's interface strings; available: {}",
                ctx.ui_languages.join(", ")
            )),
        );
    }
    lang
}

/// Warns (`language-mismatch`) when the title and body are clearly in a script `lang` is not
/// written in: most often a report without `lang` on a site whose language is another (an
/// English report on an Arabic site would be an Arabic page, laid out right to left). The
/// warning is at `lang` when written, else at the title. True when it warns.
pub(super) fn contradicted(
    c: &mut Checker,
    written: Option<&str>,
    lang: &str,
    title: &str,
    body: &str,
) -> bool {
    let Some(found) = script::contradiction(lang, title, body) else {
        return false;
    };
    let (letters, suggested) = match found {
        Script::Latin => ("Latin letters", "en"),
        Script::Arabic => ("Arabic letters", "ar"),
    };
    let (at, message, help) = if written.is_some() {
        (
            c.pos.value("lang"),
            format!("the report is mostly written in {letters}, not in `{lang}`"),
            format!("write the language it is in: `lang: {suggested}`, say"),
        )
    } else {
        (
            c.pos.value("title"),
            format!(
                "the report is mostly written in {letters}, but without `lang` it is taken as \
                 the site's language, `{lang}`"
            ),
            format!("add `lang: {suggested}` (or the tag of the language it is in)"),
        )
    };
    c.problems
        .push(Diagnostic::warning(c.file, at, "language-mismatch", message).with_help(help));
    true
}

/// A plausible BCP-47 tag: a 2–3 letter language, then subtags of 1–8 letters or digits.
fn is_valid_lang(lang: &str) -> bool {
    let mut parts = lang.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

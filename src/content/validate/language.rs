//! The report's language: `lang`, a BCP-47 tag, and whether the interface has strings for it.

use super::Context;
use super::checker::Checker;
use crate::content::diagnostics::Diagnostic;

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

/// A plausible BCP-47 tag: a 2–3 letter language, then subtags of 1–8 letters or digits.
fn is_valid_lang(lang: &str) -> bool {
    let mut parts = lang.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

//! Reading a file's front matter: split from the body, then parsed into its as-written
//! form ([`crate::content::raw::RawReport`], [`crate::content::raw::RawPage`]). A missing
//! or unclosed front matter, or YAML that does not parse, ends the checks of the file.

use super::checker::{Checker, Positions};
use crate::content::diagnostics::Diagnostic;
use crate::content::frontmatter::{self, Split, SplitError};
use crate::content::names::closest_key;
use crate::content::yaml;

/// The file's front matter and body, a checker placing problems in it, and its keys as
/// written; or the one problem that stops the reading.
pub(super) fn read<'a, Raw: serde::de::DeserializeOwned + Default>(
    file: &'a str,
    text: &'a str,
) -> Result<(Split<'a>, Checker<'a>, Raw), Vec<Diagnostic>> {
    let split = match frontmatter::split_file(text) {
        Ok(s) => s,
        Err(SplitError::Missing) => {
            let d = Diagnostic::error(
                file,
                (1, 1),
                "missing-front-matter",
                "the file does not start with front matter",
            )
            .with_help("start the file with a line `---`, the fields, then another `---` line");
            return Err(vec![d]);
        }
        Err(SplitError::Unterminated) => {
            let d = Diagnostic::error(
                file,
                (1, 1),
                "unterminated-front-matter",
                "the front matter is not closed",
            )
            .with_help("add a line with only `---` after the last field, before the text");
            return Err(vec![d]);
        }
    };
    let mut c = Checker {
        file,
        pos: Positions::new(split.yaml, split.yaml_line),
        problems: Vec::new(),
        unknown_places: 0,
        unknown_terms: 0,
    };
    let raw: Raw = if split.yaml.trim().is_empty() {
        Raw::default()
    } else {
        match yaml::from_str(split.yaml) {
            Ok(r) => r,
            Err(e) => {
                let pos = match e.position {
                    Some(p) => c.pos.shift(p),
                    None => c.pos.value(&e.path),
                };
                let help = e
                    .help
                    .map(str::to_string)
                    .or_else(|| yaml_error_help(&e.message));
                c.error(pos, "yaml", e.message).help = help;
                return Err(c.problems);
            }
        }
    };
    Ok((split, c, raw))
}

/// What to do about a YAML error, by its message.
fn yaml_error_help(message: &str) -> Option<String> {
    if let Some(rest) = message.split("unknown field `").nth(1) {
        // "unknown field `strat`, expected `start` or `end`" → did you mean `start`?
        let wrong = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        return Some(match closest_key(wrong, &expected) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("the fields allowed here are: {}", expected.join(", ")),
        });
    }
    if message.contains("did not find expected key")
        || message.contains("mapping values are not allowed")
    {
        Some("check the indentation and put quotes around values that contain `: `".into())
    } else if message.contains("duplicate field") {
        Some("give each field once".into())
    } else if message.contains("expand the YAML past") {
        Some("each `*alias` repeats its `&anchor`'s whole value: write long values once".into())
    } else if message.contains("control characters are not allowed") {
        Some(
            "delete the invisible character here (often a wrongly decoded apostrophe or quote)"
                .into(),
        )
    } else if message.contains("invalid type") {
        Some("see docs/format.md for the type each field takes".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_unknown_fields_get_suggestions() {
        let help = yaml_error_help("period: unknown field `strat`, expected `start` or `end`");
        assert_eq!(help.as_deref(), Some("did you mean `start`?"));
    }
}

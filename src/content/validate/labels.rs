//! What the report is called and what kind of report it is: `title`, `kind`, `status`.

use super::checker::Checker;
use crate::content::raw::RawReport;
use crate::content::report::{Kind, Status};
use crate::content::text::FieldKind;

/// Title, kind and status as resolved.
pub(super) struct Labels<'r> {
    /// The title, trimmed (empty when missing: an error is reported).
    pub(super) title: &'r str,
    /// `incident` unless written otherwise.
    pub(super) kind: Kind,
    /// When given and valid.
    pub(super) status: Option<Status>,
}

/// Checks `title`, `kind` and `status`.
pub(super) fn labels<'r>(c: &mut Checker, raw: &'r RawReport) -> Labels<'r> {
    let title = title(c, &raw.title, "What happened, where");
    let kind = c.choice(
        "kind",
        &raw.kind,
        &[("incident", Kind::Incident), ("summary", Kind::Summary)],
    );
    let status = c.choice(
        "status",
        &raw.status,
        &[
            ("provisional", Status::Provisional),
            ("final", Status::Final),
        ],
    );
    Labels {
        title,
        kind: kind.unwrap_or(Kind::Incident),
        status,
    }
}

/// Checks a required `title` (of a report or a page), trimmed; empty when missing or empty
/// (reported, with `example` in the help).
pub(super) fn title<'r>(c: &mut Checker, written: &'r Option<String>, example: &str) -> &'r str {
    let title = written.as_deref().map(str::trim).unwrap_or("");
    c.characters("title", "`title`", title, FieldKind::Text);
    if title.is_empty() {
        let d = if written.is_some() {
            c.at_value("title", "missing-field", "`title` is empty".into())
        } else {
            c.error((1, 1), "missing-field", "`title` is missing".into())
        };
        d.help = Some(format!("add a line `title: \"{example}\"`"));
    }
    title
}

//! The one warning about the report as a whole: an incident with nothing to weigh it by.

use super::checker::Checker;
use crate::content::counts::Counts;
use crate::content::diagnostics::Diagnostic;
use crate::content::report::{Kind, Source};

/// Warns about an incident that gives no casualties and no source, when the file has no
/// errors (an error is the thing to fix first).
pub(super) fn evidence(c: &mut Checker, kind: Kind, casualties: &Counts, source: &Option<Source>) {
    let file = c.file;
    if kind == Kind::Incident
        && casualties.is_empty()
        && source
            .as_ref()
            .is_none_or(|s| s.url.is_none() && s.name.is_none())
        && !c.problems.iter().any(Diagnostic::is_error)
    {
        c.problems.push(
            Diagnostic::warning(
                file,
                (1, 1),
                "incident-without-evidence",
                "this incident gives no casualties and no source",
            )
            .with_help("add `casualties:` or a `source:` so readers can weigh the report"),
        );
    }
}

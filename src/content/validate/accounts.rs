//! How a report stands to others (format v2): `updates` (an earlier account of the same
//! incident) and `translation_of` (the same report in another language), as far as one
//! file can tell. Whether the named reports exist, and every rule between the two, are
//! checked once the whole archive is read ([`crate::content::incidents`]).

use super::checker::Checker;
use super::dates::is_valid_id;
use crate::content::raw::RawReport;
use crate::content::report::{Inherited, Restated};

/// The references of one report, each `None` when not given or in error.
pub(super) struct Accounts {
    /// `updates:`
    pub(super) updates: Option<String>,
    /// `translation_of:`
    pub(super) translation_of: Option<String>,
    /// Of a translation, the facts it writes; of any other report, all of them.
    pub(super) restated: Restated,
}

/// Checks `updates` and `translation_of` against the report's own `id`.
pub(super) fn accounts(c: &mut Checker, raw: &RawReport, id: &str) -> Accounts {
    let updates = reference(c, "updates", &raw.updates, id);
    let translation_of = reference(c, "translation_of", &raw.translation_of, id);
    if updates.is_some() && translation_of.is_some() {
        c.at_value(
            "updates",
            "translation-in-chain",
            "a translation cannot update another report".into(),
        )
        .help = Some(
            "put `updates:` on the original (the report this one translates) and keep only \
             `translation_of:` here"
                .into(),
        );
    }
    let mut restated = Restated::default();
    for fact in Inherited::ALL {
        if translation_of.is_none() || written(raw, fact) {
            restated.set(fact);
        }
    }
    Accounts {
        updates,
        translation_of,
        restated,
    }
}

/// True when the front matter writes `fact`.
fn written(raw: &RawReport, fact: Inherited) -> bool {
    match fact {
        Inherited::Period => raw.period.is_some(),
        Inherited::Locations => raw.locations.is_some(),
        Inherited::Casualties => raw.casualties.is_some(),
        Inherited::Perpetrators => raw.perpetrators.is_some(),
        Inherited::IncidentTypes => raw.incident_types.is_some(),
        Inherited::Tags => raw.tags.is_some(),
        Inherited::Source => raw.source.is_some(),
        Inherited::Kind => raw.kind.is_some(),
        Inherited::Status => raw.status.is_some(),
    }
}

/// The report id written at `key`, when it is one and not this report's own.
fn reference(c: &mut Checker, key: &str, written: &Option<String>, own: &str) -> Option<String> {
    let target = written.as_deref()?.trim();
    if !is_valid_id(target) {
        c.at_value(
            key,
            "invalid-reference",
            format!("`{target}` is not a report id"),
        )
        .help = Some(format!(
            "write the id of the other report (its `id:`, or its file name without .md), e.g. \
             `{key}: 2017-11-12-al-bukamal`"
        ));
        return None;
    }
    if target == own {
        let (code, what) = if key == "updates" {
            ("updates-itself", "a report cannot update itself")
        } else {
            (
                "translation-of-itself",
                "a report cannot be its own translation",
            )
        };
        c.at_value(key, code, what.into()).help = Some(format!(
            "`{key}:` names another report: the earlier account (updates) or the original \
             (translation_of)"
        ));
        return None;
    }
    Some(target.to_string())
}

//! The fast reader's promise, checked: whenever it answers, serde_yaml answers the same, on
//! the project's own types. A reader that answered differently would publish what the YAML
//! reference does not say (a count dropped, one place read as two). The differential test
//! (`tests/yaml_differential.rs`) and the fuzz target call this on every document they make.

use std::fmt::Debug;

use serde::de::DeserializeOwned;

use super::simple;
use crate::content::raw::RawReport;

/// How the two readers compare on one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// The fast reader left the document to serde_yaml: nothing to compare.
    Declined,
    /// The fast reader read it, as a report and as a generic value, as serde_yaml does.
    Agree,
    /// The fast reader read something serde_yaml reads otherwise, or refuses: what differs.
    Disagree(String),
}

/// Compares the fast reader with serde_yaml on `text`, read as a [`RawReport`] and as a
/// [`serde_yaml::Value`] (which keeps what the report's types drop: key order, types of
/// scalars, unknown keys' values).
pub fn compare_readers(text: &str) -> Comparison {
    let report = compare::<RawReport>(text);
    let value = compare::<serde_yaml::Value>(text);
    match (report, value) {
        (Comparison::Disagree(why), _) | (_, Comparison::Disagree(why)) => {
            Comparison::Disagree(why)
        }
        (Comparison::Declined, Comparison::Declined) => Comparison::Declined,
        _ => Comparison::Agree,
    }
}

fn compare<T: DeserializeOwned + PartialEq + Debug>(text: &str) -> Comparison {
    let Some(fast) = simple::from_str::<T>(text) else {
        return Comparison::Declined;
    };
    let kind = std::any::type_name::<T>();
    match serde_yaml::from_str::<T>(text) {
        Ok(reference) if reference == fast => Comparison::Agree,
        Ok(reference) => Comparison::Disagree(format!(
            "as {kind}, the fast reader read {fast:?}, serde_yaml read {reference:?}"
        )),
        Err(e) => Comparison::Disagree(format!(
            "as {kind}, the fast reader read {fast:?}, serde_yaml refused it: {e}"
        )),
    }
}

//! What every dataset's row becomes before it is written: one report's facts, in the
//! terms of the report format, with the place and term names still as the dataset spells
//! them (the registers make them canonical).

use chrono::NaiveDate;

use crate::content::{Count, Field, Kind, Source, Status};

/// A place as a row gives it: its levels from the widest, and the coordinates of the
/// narrowest when the row has reliable ones.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRef {
    /// Names of the levels, widest first (empty levels already left out).
    pub segments: Vec<String>,
    /// Latitude and longitude of the narrowest level.
    pub coordinates: Option<(f64, f64)>,
}

/// A count as it is written, with the dataset's words when they say more than the number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The field.
    pub field: Field,
    /// The number(s).
    pub count: Count,
    /// Written as `raw:` (only with a minimum, as the format allows).
    pub raw: Option<String>,
}

/// One report to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The dataset's own id of the event, as the dataset writes it (`SYR1234`).
    pub source_id: String,
    /// The report id (`acled-syr1234`): the same for the same event in every export.
    pub id: String,
    /// A plain-text headline.
    pub title: String,
    /// Publication date.
    pub date: NaiveDate,
    /// When the events happened.
    pub period: (NaiveDate, NaiveDate),
    /// Incident (the default) or summary.
    pub kind: Kind,
    /// Provisional or final, when known.
    pub status: Option<Status>,
    /// The report's language, when the row says.
    pub lang: Option<String>,
    /// Where the facts come from.
    pub source: Option<Source>,
    /// At least one place.
    pub places: Vec<PlaceRef>,
    /// The report's totals.
    pub casualties: Vec<Written>,
    /// Who did it, as the dataset names them.
    pub perpetrators: Vec<String>,
    /// What happened, as the dataset names it.
    pub incident_types: Vec<String>,
    /// Free keywords.
    pub tags: Vec<String>,
    /// `updates:` (the sijill round trip).
    pub updates: Option<String>,
    /// `translation_of:` (the sijill round trip).
    pub translation_of: Option<String>,
    /// The Markdown body, already escaped.
    pub body: String,
    /// Inconsistencies in the row that the import resolved, worth a reviewer's look.
    pub warnings: Vec<RowProblem>,
}

/// Why a row cannot be imported (or, as a warning, what was made of an odd one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// A stable identifier (`import-bad-number`).
    pub code: &'static str,
    /// What is wrong, naming the column.
    pub message: String,
    /// What to do.
    pub help: String,
    /// The column of the cell at fault, when one is.
    pub column: Option<String>,
}

impl RowProblem {
    /// A problem with `message` and `help`.
    pub fn new(code: &'static str, message: impl Into<String>, help: impl Into<String>) -> Self {
        RowProblem {
            code,
            message: message.into(),
            help: help.into(),
            column: None,
        }
    }

    /// The problem, in the cell of `column`.
    pub fn in_column(mut self, column: &str) -> Self {
        self.column = Some(column.to_string());
        self
    }
}

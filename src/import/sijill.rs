//! sijill's own `data/reports.csv`, read back into reports (a round trip): every fact
//! column becomes the front matter field it came from. `url`, `incident`, `updated_by`,
//! `translations` and `counted` are derived by a build and not read. The file is
//! `content/reports/imported/sijill/<id>.md`, the id the CSV's own.

use crate::content::validate::is_valid_id;
use crate::content::{Count, Field, Kind, Source, Status};
use crate::output::exports::restore;

use super::event::{Event, PlaceRef, RowProblem, Written};
use super::table::Row;

/// Columns a file must have to be read as sijill's `data/reports.csv`.
pub const REQUIRED: &[&str] = &[
    "id",
    "title",
    "date",
    "period_start",
    "period_end",
    "kind",
    "status",
    "lang",
    "places",
    "killed_min",
    "killed_max",
    "perpetrators",
    "incident_types",
    "tags",
    "source_name",
    "source_url",
    "source_archive_url",
];

/// How the CSV joins the values of a list cell.
const LIST_SEPARATOR: &str = "; ";

/// The report made from one row.
pub fn event(row: &Row) -> Result<Event, RowProblem> {
    let cell = |column: &str| restore(row.get(column)).to_string();
    let id = row.required("id")?.to_string();
    if !is_valid_id(&id) {
        return Err(RowProblem::new(
            "import-bad-id",
            format!("`id` is `{id}`, not a report id"),
            "report ids are lowercase letters and digits joined by single hyphens",
        )
        .in_column("id"));
    }
    let kind = match row.get("kind") {
        "" | "incident" => Kind::Incident,
        "summary" => Kind::Summary,
        other => return Err(bad("kind", other, "`incident` or `summary`")),
    };
    let status = match row.get("status") {
        "" => None,
        "provisional" => Some(Status::Provisional),
        "final" => Some(Status::Final),
        other => return Err(bad("status", other, "`provisional`, `final` or empty")),
    };
    let mut casualties = Vec::new();
    for field in Field::ALL {
        let min = row.optional_count(&format!("{}_min", field.name()))?;
        let max = row.optional_count(&format!("{}_max", field.name()))?;
        match (min, max) {
            (None, None) => {}
            (Some(min), max) => casualties.push(Written {
                field,
                count: Count { min, max },
                raw: None,
            }),
            (None, Some(_)) => {
                return Err(RowProblem::new(
                    "import-bad-number",
                    format!("`{0}_max` is given without `{0}_min`", field.name()),
                    format!("give `{}_min` too", field.name()),
                )
                .in_column(&format!("{}_max", field.name())));
            }
        }
    }
    let source = ["source_name", "source_url", "source_archive_url"].map(|c| {
        let text = cell(c);
        (!text.is_empty()).then_some(text)
    });
    let [name, url, archive_url] = source;
    let optional = |column: &str| Some(cell(column)).filter(|s| !s.is_empty());
    Ok(Event {
        source_id: id.clone(),
        title: cell("title"),
        date: row.date("date")?,
        period: (row.date("period_start")?, row.date("period_end")?),
        kind,
        status,
        lang: optional("lang"),
        source: (name.is_some() || url.is_some() || archive_url.is_some()).then_some(Source {
            name,
            url,
            archive_url,
        }),
        places: list(&cell("places"))
            .into_iter()
            .map(|path| PlaceRef {
                segments: path.split('/').map(|s| s.trim().to_string()).collect(),
                coordinates: None,
            })
            .collect(),
        casualties,
        perpetrators: list(&cell("perpetrators")),
        incident_types: list(&cell("incident_types")),
        tags: list(&cell("tags")),
        updates: optional("updates"),
        translation_of: optional("translation_of"),
        body: String::new(),
        id,
        warnings: Vec::new(),
    })
}

fn list(cell: &str) -> Vec<String> {
    cell.split(LIST_SEPARATOR)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn bad(column: &str, value: &str, expected: &str) -> RowProblem {
    RowProblem::new(
        "import-bad-value",
        format!("`{column}` is `{value}`"),
        format!("`{column}` is {expected}"),
    )
    .in_column(column)
}

//! UCDP GED exports: one row per event, `id` its id. Deaths are three estimates, `low`,
//! `best` and `high`: the report gives the range `low`–`high` with the best estimate in
//! its words. `date_start`–`date_end` is already the window UCDP is sure of, so it is the
//! period whatever `date_prec` says; `where_prec` decides how far down the place goes. The
//! mapping is in docs/import.md.

use crate::content::{Count, Field, Kind, Source};

use super::event::{Event, PlaceRef, RowProblem, Written};
use super::table::Row;
use super::text;

/// Columns a file must have to be read as a UCDP GED export.
pub const REQUIRED: &[&str] = &[
    "id",
    "date_start",
    "date_end",
    "country",
    "side_a",
    "side_b",
    "best",
    "low",
    "high",
];

/// UCDP's names of the kinds of organised violence (`type_of_violence` 1–3), written as
/// incident types.
const TYPES_OF_VIOLENCE: [&str; 3] = [
    "state-based conflict",
    "non-state conflict",
    "one-sided violence",
];

/// The report made from one row.
pub fn event(row: &Row) -> Result<Event, RowProblem> {
    let source_id = row.required("id")?.to_string();
    let id = text::report_id("ucdp", &source_id).map_err(|p| p.in_column("id"))?;
    let start = row.date("date_start")?;
    let end = row.date("date_end")?;
    if end < start {
        return Err(RowProblem::new(
            "import-bad-period",
            format!("`date_end` ({end}) is before `date_start` ({start})"),
            "swap the two dates, or correct the one that is wrong",
        )
        .in_column("date_end"));
    }
    let (low, best, high) = (row.count("low")?, row.count("best")?, row.count("high")?);
    let mut warnings = Vec::new();
    if !(low <= best && best <= high) {
        warnings.push(RowProblem::new(
            "import-inconsistent-estimates",
            format!("the estimates are not in order: low {low}, best {best}, high {high}"),
            "the report gives the range from the lower of `low` and `best` to the higher of \
             `high` and `best`; correct the row if UCDP has",
        ));
    }
    let killed = Count {
        min: low.min(best),
        max: Some(high.max(best)),
    };
    let mut casualties = vec![Written {
        field: Field::Killed,
        count: killed,
        raw: Some(format!("best estimate {best}")),
    }];
    if let Some(civilians) = row.optional_count("deaths_civilians")? {
        // A part of the best estimate: under the low estimate there may be fewer.
        casualties.push(Written {
            field: Field::Civilians,
            count: Count {
                min: civilians.min(killed.min),
                max: Some(civilians),
            },
            raw: None,
        });
    }
    let place = place(row)?;
    let (side_a, side_b) = (row.required("side_a")?, row.get("side_b"));
    let perpetrators: Vec<String> = [side_a, side_b]
        .into_iter()
        .filter(|s| !s.is_empty() && !s.eq_ignore_ascii_case("civilians"))
        .map(str::to_string)
        .collect();
    let incident_types: Vec<String> = row
        .get("type_of_violence")
        .parse::<usize>()
        .ok()
        .and_then(|t| TYPES_OF_VIOLENCE.get(t.wrapping_sub(1)))
        .map(|t| vec![(*t).to_string()])
        .unwrap_or_default();
    let dyad = if side_b.is_empty() {
        side_a.to_string()
    } else {
        format!("{side_a} – {side_b}")
    };
    let where_ = place.segments.last().map_or("", String::as_str);
    let title = format!("{dyad} in {where_}: {best} killed (best estimate)");
    let mut body = String::new();
    for column in ["source_headline", "source_article"] {
        body.push_str(&text::paragraphs(row.get(column)));
    }
    body.push_str(&text::provenance(&format!(
        "Imported from UCDP GED event {source_id}: deaths low {low}, best {best}, high {high}.{}",
        match row.get("date_prec") {
            "" => String::new(),
            p => format!(
                " Date precision {p}, place precision {}.",
                row.get("where_prec")
            ),
        }
    )));
    Ok(Event {
        id,
        title,
        date: end,
        period: (start, end),
        kind: Kind::Incident,
        status: None,
        lang: None,
        source: Some(Source {
            name: Some(format!("UCDP GED, event {source_id}")),
            url: None,
            archive_url: None,
        }),
        places: vec![place],
        casualties,
        perpetrators,
        incident_types,
        tags: Vec::new(),
        updates: None,
        translation_of: None,
        body,
        source_id,
        warnings,
    })
}

/// The place as far down as `where_prec` vouches for: the location itself (1, 2: exact or
/// within 25 km), its second-order unit (3), its first-order unit (4), else the country
/// (5: a larger area, 6: the country, 7: waters or airspace). The coordinates go with the
/// location (1, 2) or stand for the unit's centre (3, 4); for 5–7 none are kept.
fn place(row: &Row) -> Result<PlaceRef, RowProblem> {
    let levels: &[&str] = match row.get("where_prec") {
        "3" => &["country", "adm_1", "adm_2"],
        "4" => &["country", "adm_1"],
        "5" | "6" | "7" => &["country"],
        _ => &["country", "adm_1", "adm_2", "where_coordinates"],
    };
    let mut segments = text::segments(levels.iter().map(|c| row.get(c)));
    // `where_coordinates` often names the unit above it again (`Syria` for a country-wide
    // event): the same name twice is one place.
    segments.dedup();
    let coordinates = row.coordinates("latitude", "longitude")?;
    Ok(PlaceRef {
        segments,
        coordinates: coordinates.filter(|_| levels.len() > 1),
    })
}

//! ACLED exports: one row per event, `event_id_cnty` its id. `fatalities` is ACLED's most
//! conservative estimate of reported deaths (its codebook: "tens" is coded 10), so it is a
//! minimum; `time_precision` and `geo_precision`, when the export has them, widen the
//! period and the place to what ACLED is sure of. The mapping is in docs/import.md.

use chrono::{Datelike, Days, NaiveDate};

use crate::content::{Count, Field, Kind, Source};

use super::event::{Event, PlaceRef, RowProblem, Written};
use super::table::Row;
use super::text;

/// Columns a file must have to be read as an ACLED export.
pub const REQUIRED: &[&str] = &[
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "country",
    "location",
    "fatalities",
];

/// ACLED's `inter` codes of actors who are never perpetrators: protesters (6) and
/// civilians (7), the people an event happens to.
const NOT_PERPETRATORS: [&str; 2] = ["6", "7"];

/// The report made from one row.
pub fn event(row: &Row) -> Result<Event, RowProblem> {
    let source_id = row.required("event_id_cnty")?.to_string();
    let id = text::report_id("acled", &source_id).map_err(|p| p.in_column("event_id_cnty"))?;
    let day = row.date("event_date")?;
    let period = period(day, row.get("time_precision"));
    let fatalities = row.count("fatalities")?;
    let place = place(row)?;
    let sub_event_type = row.required("sub_event_type")?;
    let event_type = row.required("event_type")?;
    let mut perpetrators = Vec::new();
    for (actor, inter) in [("actor1", "inter1"), ("actor2", "inter2")] {
        let name = row.get(actor);
        if !name.is_empty() && !is_victim(name, row.get(inter)) && !perpetrators.contains(&name) {
            perpetrators.push(name);
        }
    }
    let where_ = place.segments.last().map_or("", String::as_str);
    let killed = if fatalities == 0 {
        "no fatalities reported".to_string()
    } else {
        format!("at least {fatalities} killed")
    };
    let title = format!("{sub_event_type} in {where_}: {killed}");
    let cited = row.get("source");
    let mut body = text::paragraphs(row.get("notes"));
    body.push_str(&text::provenance(&format!(
        "Imported from ACLED event {source_id} ({event_type}: {sub_event_type}).{}",
        if cited.is_empty() {
            String::new()
        } else {
            format!(" ACLED's sources: {cited}.")
        }
    )));
    Ok(Event {
        id,
        title,
        date: period.1,
        period,
        kind: Kind::Incident,
        status: None,
        lang: None,
        source: Some(Source {
            name: Some(format!("ACLED, event {source_id}")),
            url: None,
            archive_url: None,
        }),
        places: vec![place],
        casualties: vec![Written {
            field: Field::Killed,
            count: Count {
                min: fatalities,
                max: None,
            },
            raw: None,
        }],
        perpetrators: perpetrators.into_iter().map(str::to_string).collect(),
        incident_types: vec![sub_event_type.to_string()],
        tags: vec![event_type.to_string()],
        updates: None,
        translation_of: None,
        body,
        source_id,
        warnings: Vec::new(),
    })
}

/// Protesters and civilians are who an event happens to: by their `inter` code when the
/// export has it, else by the names ACLED gives them (`Civilians (Syria)`).
fn is_victim(name: &str, inter: &str) -> bool {
    if inter.is_empty() {
        ["Civilians", "Protesters"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
    } else {
        NOT_PERPETRATORS.contains(&inter)
    }
}

/// The days the event may have happened on: the day itself, the week around it
/// (`time_precision` 2) or its month (3).
fn period(day: NaiveDate, precision: &str) -> (NaiveDate, NaiveDate) {
    match precision {
        "2" => (day - Days::new(3), day + Days::new(3)),
        "3" => {
            let first = day.with_day(1).unwrap_or(day);
            let next = first
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(first);
            (first, next.pred_opt().unwrap_or(day))
        }
        _ => (day, day),
    }
}

/// `country/admin1/admin2/admin3/location`, empty levels left out. With `geo_precision` 2
/// the location only stands for the district around it, with 3 for the province: the
/// place is then the district (`admin2`) or the province (`admin1`), without coordinates
/// (they are those of its capital, not of the event).
fn place(row: &Row) -> Result<PlaceRef, RowProblem> {
    let levels: &[&str] = match row.get("geo_precision") {
        "2" => &["country", "admin1", "admin2"],
        "3" => &["country", "admin1"],
        _ => &["country", "admin1", "admin2", "admin3", "location"],
    };
    let segments = text::segments(levels.iter().map(|c| row.get(c)));
    let precise = levels.len() == 5;
    let coordinates = row.coordinates("latitude", "longitude")?;
    Ok(PlaceRef {
        segments,
        coordinates: coordinates.filter(|_| precise),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_widen_with_time_precision() {
        let d = |m, day| NaiveDate::from_ymd_opt(2019, m, day).unwrap();
        assert_eq!(period(d(3, 15), "1"), (d(3, 15), d(3, 15)));
        assert_eq!(period(d(3, 15), ""), (d(3, 15), d(3, 15)));
        assert_eq!(period(d(3, 15), "2"), (d(3, 12), d(3, 18)));
        assert_eq!(period(d(2, 10), "3"), (d(2, 1), d(2, 28)));
    }

    #[test]
    fn civilians_and_protesters_are_not_perpetrators() {
        assert!(is_victim("Civilians (Syria)", ""));
        assert!(is_victim("Anyone", "7"));
        assert!(!is_victim("Civilians (Syria)", "3"));
        assert!(!is_victim("Military Forces of Syria (2000-)", ""));
    }
}

//! The machine-readable archive under `data/`: `reports.json`, `places.json`, `dates.json`.
//! One record per line inside a JSON array, so that a changed report changes one line.

use std::io::{self, Write};

use serde::Serialize;

use crate::archive::{Archive, DateNode};
use crate::content::report::iso_date;
use crate::content::{Counts, Kind, Report, Source, Status};
use crate::render::Urls;

#[derive(Serialize)]
struct Period {
    start: String,
    end: String,
}

#[derive(Serialize)]
struct LocationRecord<'a> {
    path: &'a str,
    counts: &'a Counts,
}

#[derive(Serialize)]
struct ReportRecord<'a> {
    id: &'a str,
    url: String,
    title: &'a str,
    date: String,
    period: Period,
    kind: Kind,
    status: Option<Status>,
    lang: &'a str,
    locations: Vec<LocationRecord<'a>>,
    casualties: &'a Counts,
    perpetrators: &'a [String],
    incident_types: &'a [String],
    tags: &'a [String],
    source: Option<&'a Source>,
}

#[derive(Serialize)]
struct PlaceRecord<'a> {
    path: &'a str,
    name: &'a str,
    url: String,
    reports: usize,
    totals: &'a Counts,
}

#[derive(Serialize)]
struct DateRecord<'a> {
    date: String,
    url: String,
    reports: usize,
    totals: &'a Counts,
}

/// Writes a JSON array with one compact record per line.
fn json_lines<T: Serialize>(
    out: &mut dyn Write,
    records: impl IntoIterator<Item = T>,
) -> io::Result<()> {
    out.write_all(b"[\n")?;
    let mut first = true;
    for r in records {
        if !first {
            out.write_all(b",\n")?;
        }
        first = false;
        serde_json::to_writer(&mut *out, &r)?;
    }
    out.write_all(b"\n]\n")
}

/// `data/reports.json`: every published report, sorted by id (`by_id`).
pub fn reports_json(by_id: &[&Report], out: &mut dyn Write) -> io::Result<()> {
    json_lines(
        out,
        by_id.iter().map(|r| ReportRecord {
            id: &r.id,
            url: Urls::report(&r.id),
            title: &r.title,
            date: iso_date(r.date),
            period: Period {
                start: iso_date(r.period.0),
                end: iso_date(r.period.1),
            },
            kind: r.kind,
            status: r.status,
            lang: &r.lang,
            locations: r
                .locations
                .iter()
                .map(|l| LocationRecord {
                    path: &l.path,
                    counts: &l.counts,
                })
                .collect(),
            casualties: &r.casualties,
            perpetrators: &r.perpetrators,
            incident_types: &r.incident_types,
            tags: &r.tags,
            source: r.source.as_ref(),
        }),
    )
}

/// `data/places.json`: every node of the place tree, sorted by path.
pub fn places_json(archive: &Archive, out: &mut dyn Write) -> io::Result<()> {
    let mut nodes: Vec<_> = archive.places.nodes.iter().collect();
    nodes.sort_by(|a, b| a.path.cmp(&b.path));
    json_lines(
        out,
        nodes.into_iter().map(|n| PlaceRecord {
            path: &n.path,
            name: &n.name,
            url: Urls::place(&n.slug_path),
            reports: n.reports.len(),
            totals: &n.totals,
        }),
    )
}

/// `data/dates.json`: every year, month and day page, in date order.
pub fn dates_json(archive: &Archive, out: &mut dyn Write) -> io::Result<()> {
    let d = &archive.dates;
    let record = |date: String, url: String, node: &'_ DateNode| {
        (date, url, node.reports.len(), node.totals)
    };
    let mut all: Vec<(String, String, usize, Counts)> = Vec::new();
    all.extend(
        d.years
            .iter()
            .map(|(y, n)| record(format!("{y:04}"), Urls::year(*y), n)),
    );
    all.extend(
        d.months
            .iter()
            .map(|((y, m), n)| record(format!("{y:04}-{m:02}"), Urls::month(*y, *m), n)),
    );
    all.extend(
        d.days
            .iter()
            .map(|(day, n)| record(day.to_string(), Urls::day(*day), n)),
    );
    all.sort_by(|a, b| a.0.cmp(&b.0));
    json_lines(
        out,
        all.iter().map(|(date, url, reports, totals)| DateRecord {
            date: date.clone(),
            url: url.clone(),
            reports: *reports,
            totals,
        }),
    )
}

//! Exports for spreadsheets and maps: `data/reports.csv` (and a CSV of the reports of each
//! place and date page) and `data/reports.geojson`.

use rayon::prelude::*;
use serde_json::{Value, json};

use super::{OutputError, Staging};
use crate::archive::Archive;
use crate::content::{Count, Field, Report};
use crate::render::Urls;

/// UTF-8 byte order mark: spreadsheet programs read the file as UTF-8 only with it.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A text cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a
/// leading `'`, which spreadsheets show as text.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn header() -> Vec<String> {
    let mut h: Vec<String> = [
        "id",
        "url",
        "title",
        "date",
        "period_start",
        "period_end",
        "kind",
        "status",
        "lang",
        "places",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for f in Field::ALL {
        h.push(format!("{}_min", f.name()));
        h.push(format!("{}_max", f.name()));
    }
    h.extend(
        [
            "perpetrators",
            "incident_types",
            "tags",
            "source_name",
            "source_url",
            "source_archive_url",
        ]
        .map(String::from),
    );
    h
}

fn row(urls: &Urls, r: &Report) -> Vec<String> {
    let join = |v: &[String]| neutralise(&v.join("; "));
    let mut cells = vec![
        r.id.clone(),
        urls.absolute(&Urls::report(&r.id)),
        neutralise(&r.title),
        r.date.to_string(),
        r.period.0.to_string(),
        r.period.1.to_string(),
        format!("{:?}", r.kind).to_lowercase(),
        r.status
            .map(|s| format!("{s:?}").to_lowercase())
            .unwrap_or_default(),
        neutralise(&r.lang),
        neutralise(
            &r.locations
                .iter()
                .map(|l| l.path.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        ),
    ];
    for f in Field::ALL {
        let c: Option<Count> = r.casualties.get(f);
        cells.push(c.map(|c| c.min.to_string()).unwrap_or_default());
        cells.push(
            c.and_then(|c| c.max)
                .map(|m| m.to_string())
                .unwrap_or_default(),
        );
    }
    let source = r.source.clone().unwrap_or_default();
    cells.extend([
        join(&r.perpetrators),
        join(&r.incident_types),
        join(&r.tags),
        neutralise(source.name.as_deref().unwrap_or("")),
        source.url.unwrap_or_default(),
        source.archive_url.unwrap_or_default(),
    ]);
    cells
}

fn csv_bytes(cells: &[String], with_header: bool) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    if with_header {
        w.write_record(header()).expect("writing to memory");
    }
    w.write_record(cells).expect("writing to memory");
    w.into_inner().expect("writing to memory")
}

/// Writes `data/reports.csv` and `reports.csv` beside every place and date page. Returns the
/// number of files.
pub fn write_csv(archive: &Archive, urls: &Urls, staging: &Staging) -> Result<usize, OutputError> {
    let head = {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(BOM.to_vec());
        w.write_record(header()).expect("writing to memory");
        w.into_inner().expect("writing to memory")
    };
    // Each report's row once; every CSV is the header and a selection of rows.
    let rows: Vec<Vec<u8>> = archive
        .reports
        .par_iter()
        .map(|r| csv_bytes(&row(urls, r), false))
        .collect();
    let file = |reports: &mut dyn Iterator<Item = usize>| -> Vec<u8> {
        let mut out = head.clone();
        for r in reports {
            out.extend_from_slice(&rows[r]);
        }
        out
    };
    let mut by_id: Vec<usize> = (0..archive.reports.len()).collect();
    by_id.sort_by(|&a, &b| archive.reports[a].id.cmp(&archive.reports[b].id));
    staging.write("data/reports.csv", &file(&mut by_id.into_iter()))?;

    let d = &archive.dates;
    let mut listings: Vec<(String, &[u32])> = Vec::new();
    listings.extend(
        archive
            .places
            .nodes
            .iter()
            .map(|n| (Urls::place(&n.slug_path), &n.reports[..])),
    );
    listings.extend(
        d.years
            .iter()
            .map(|(y, n)| (Urls::year(*y), &n.reports[..])),
    );
    listings.extend(
        d.months
            .iter()
            .map(|((y, m), n)| (Urls::month(*y, *m), &n.reports[..])),
    );
    listings.extend(
        d.days
            .iter()
            .map(|(day, n)| (Urls::day(*day), &n.reports[..])),
    );
    listings.par_iter().try_for_each(|(rel, reports)| {
        staging.write(
            &format!("{rel}reports.csv"),
            &file(&mut reports.iter().map(|&r| r as usize)),
        )
    })?;
    Ok(1 + listings.len())
}

/// The depth names of the place tree, for the `precision` of a point.
fn level(depth: usize) -> &'static str {
    match depth {
        1 => "country",
        2 => "governorate",
        3 => "district",
        4 => "town",
        _ => "locality",
    }
}

/// Writes `data/reports.geojson`: one Point per report location, at the gazetteer
/// coordinates of the place or of its nearest ancestor that has some.
pub fn write_geojson(
    archive: &Archive,
    urls: &Urls,
    staging: &Staging,
) -> Result<usize, OutputError> {
    let mut features = Vec::new();
    let mut unlocated = 0usize;
    let mut reports: Vec<&Report> = archive.reports.iter().collect();
    reports.sort_by(|a, b| a.id.cmp(&b.id));
    for r in reports {
        for l in &r.locations {
            let point = archive.gazetteer.as_ref().and_then(|g| {
                let mut path = l.path.as_str();
                loop {
                    if let Some(c) = g.get(path).and_then(|p| p.coordinates) {
                        return Some((path, c));
                    }
                    path = &path[..path.rfind('/')?];
                }
            });
            let Some((point_path, (lat, lon))) = point else {
                unlocated += 1;
                continue;
            };
            let counts: Value = serde_json::to_value(l.counts).expect("counts serialize");
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": r.id,
                    "url": urls.absolute(&Urls::report(&r.id)),
                    "title": r.title,
                    "date": r.date.to_string(),
                    "period": {"start": r.period.0.to_string(), "end": r.period.1.to_string()},
                    "place": l.path,
                    "counts": counts,
                    "precision": level(point_path.matches('/').count() + 1),
                    "precision_place": point_path,
                }
            }));
        }
    }
    let collection = json!({
        "type": "FeatureCollection",
        "unlocated_locations": unlocated,
        "features": features,
    });
    staging.write(
        "data/reports.geojson",
        &serde_json::to_vec(&collection).expect("GeoJSON serializes"),
    )?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("Syria/Idlib"), "Syria/Idlib");
    }
}

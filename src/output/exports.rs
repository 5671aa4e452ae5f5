//! Exports for spreadsheets and maps: `data/reports.csv` and `data/reports.geojson`.

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

/// Writes `data/reports.csv`. Returns the number of files. (The CSV of a place or date page is
/// built in the browser by the search page, from the search index: see docs/data.md.)
pub fn write_csv(archive: &Archive, urls: &Urls, staging: &Staging) -> Result<usize, OutputError> {
    let mut by_id: Vec<&Report> = archive.reports.iter().map(std::sync::Arc::as_ref).collect();
    by_id.sort_by(|a, b| a.id.cmp(&b.id));
    // Rows are formatted side by side, then joined in id order.
    let rows: Vec<Vec<u8>> = by_id
        .par_iter()
        .map(|r| {
            let mut w = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(Vec::with_capacity(512));
            w.write_record(row(urls, r)).expect("writing to memory");
            w.into_inner().expect("writing to memory")
        })
        .collect();
    let mut file = BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut file);
        w.write_record(header()).expect("writing to memory");
    }
    file.reserve(rows.iter().map(Vec::len).sum());
    for r in &rows {
        file.extend_from_slice(r);
    }
    staging.write("data/reports.csv", &file)?;
    Ok(1)
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
    let mut reports: Vec<&Report> = archive.reports.iter().map(std::sync::Arc::as_ref).collect();
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

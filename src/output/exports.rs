//! Exports for spreadsheets and maps: `data/reports.csv` and `data/reports.geojson`.

use std::io::Write;

use serde_json::json;

use super::data as record;
use super::{OutputError, Recording};
use crate::archive::Archive;
use crate::content::Report;
use crate::content::report::iso_date;
use crate::license::License;
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

/// The cell as it was before [`neutralise`] (for `sijill import --from sijill`). A cell that
/// was written starting with `'` and one of those characters reads back without the `'`:
/// the CSV cannot tell the two apart.
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

/// A writer that counts the bytes through it, to know where each CSV row starts. Unlike the
/// site writer's count of a file's bytes, its `flush` does not flush `out`, so that
/// flushing the CSV writer after each record (to count it) costs no system call.
struct RowCounter<'a> {
    out: &'a mut dyn Write,
    bytes: u64,
}

impl Write for RowCounter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where each row of `data/reports.csv` is: the search page fetches the rows of its
/// results with HTTP range requests (see docs/search-csv.md).
pub struct CsvRows {
    /// Bytes before the first row: the byte order mark and the header line.
    pub header: u64,
    /// `(offset, length)` in bytes of each report's row (CRLF included), in `by_id` order.
    pub rows: Vec<(u64, u32)>,
    /// Bytes of the whole file.
    pub size: u64,
}

/// Writes `data/reports.csv` from the reports sorted by id, and returns where its rows are.
/// (The CSV of a place, a date or any search is cut from it in the browser by the search
/// page: see docs/search-csv.md.)
pub fn write_csv(
    archive: &Archive,
    by_id: &[&Report],
    urls: &Urls,
    writer: &Recording,
) -> Result<CsvRows, OutputError> {
    let mut rows = Vec::with_capacity(by_id.len());
    let mut header = 0;
    let mut size = 0;
    writer.write_with("data/reports.csv", |out| {
        out.write_all(BOM)?;
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(RowCounter { out, bytes: 0 });
        // Flushing the CSV writer after a record hands all of it to `RowCounter`.
        w.write_record(record::csv_header())?;
        w.flush()?;
        header = BOM.len() as u64 + w.get_ref().bytes;
        for r in by_id {
            let offset = BOM.len() as u64 + w.get_ref().bytes;
            w.write_record(record::csv_row(urls, r, &archive.linked(r)))?;
            w.flush()?;
            let len = BOM.len() as u64 + w.get_ref().bytes - offset;
            rows.push((offset, u32::try_from(len).expect("a row is under 4 GB")));
        }
        size = BOM.len() as u64 + w.get_ref().bytes;
        w.into_inner()
            .map_err(csv::IntoInnerError::into_error)?
            .out
            .flush()
    })?;
    Ok(CsvRows { header, rows, size })
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

/// Writes `data/reports.geojson` (reports sorted by id, `by_id`): one Point per report location, at the gazetteer
/// coordinates of the place or of its nearest ancestor that has some. Features are
/// streamed to the file one by one (an archive with coordinates has one per location).
/// The site's `license`, when it states one, is a member of the collection (GeoJSON allows
/// members of one's own), so that the file carries its terms wherever it is copied.
pub fn write_geojson(
    archive: &Archive,
    by_id: &[&Report],
    urls: &Urls,
    license: Option<&License>,
    writer: &Recording,
) -> Result<usize, OutputError> {
    writer.write_with("data/reports.geojson", |out| {
        // The keys of the collection in the order serde_json writes maps (sorted), the
        // features first, so that the count of those left out can follow them.
        out.write_all(b"{\"features\":[")?;
        let mut unlocated = 0usize;
        let mut first = true;
        for r in by_id {
            for l in &r.locations {
                let Some((point_path, (lat, lon))) = point(archive, &l.path) else {
                    unlocated += 1;
                    continue;
                };
                if !first {
                    out.write_all(b",")?;
                }
                first = false;
                let feature = json!({
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {
                        "id": r.id,
                        "url": urls.absolute(&Urls::report(&r.id)),
                        "title": r.title,
                        "date": iso_date(r.date),
                        "period": {"start": iso_date(r.period.0), "end": iso_date(r.period.1)},
                        "place": l.path,
                        "counts": l.counts,
                        "precision": level(point_path.matches('/').count() + 1),
                        "precision_place": point_path,
                    }
                });
                serde_json::to_writer(&mut *out, &feature)?;
            }
        }
        out.write_all(b"]")?;
        if let Some(license) = license {
            out.write_all(b",\"license\":")?;
            serde_json::to_writer(&mut *out, license)?;
        }
        write!(
            out,
            ",\"type\":\"FeatureCollection\",\"unlocated_locations\":{unlocated}}}"
        )
    })?;
    Ok(1)
}

/// The coordinates of the place at `path`, or of its nearest ancestor that has some, with
/// the path of the place they belong to.
fn point<'a>(archive: &'a Archive, path: &'a str) -> Option<(&'a str, (f64, f64))> {
    let g = archive.gazetteer.as_ref()?;
    let mut path = path;
    loop {
        if let Some(c) = g.get(path).and_then(|p| p.coordinates) {
            return Some((path, c));
        }
        path = &path[..path.rfind('/')?];
    }
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
        for cell in ["=HYPERLINK(\"x\")", "-1", "Syria/Idlib", "'quoted'"] {
            assert_eq!(restore(&neutralise(cell)), cell);
        }
    }

    /// A report parsed from front matter, as a build reads it.
    fn parsed(text: &str) -> Report {
        let context = crate::content::validate::Context {
            gazetteer: None,
            default_lang: "en",
            ui_languages: &["en"],
            vocabulary: None,
        };
        let parsed = crate::content::validate::parse_report("content/r.md", text, &context);
        Report::clone(&parsed.report.expect("a valid report"))
    }

    #[test]
    fn no_cell_of_a_row_starts_a_formula_whatever_the_base_url_and_id() {
        let mut report = parsed(
            "---\ntitle: T\ndate: 2018-01-01\nlocations: [Syria]\nsource: {name: S, url: https://example.org/a}\n---\n",
        );
        let formula = |cell: &String| cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
        for base in [
            "=HYPERLINK(\"https://evil.example\")://x/",
            "-1+1://x/",
            "@x://y/",
            "\t=1://x/",
            "\r=1://x/",
            "https://example.org/",
        ] {
            for id in ["=cmd", "+1", "-1", "@sum", "\tx", "\rx", "plain-id"] {
                report.id = id.to_string();
                let source = report.source.as_mut().unwrap();
                source.url = Some(format!("{id}://source"));
                source.archive_url = Some(format!("{base}archive"));
                let urls = Urls::new(base);
                let cells = record::csv_row(&urls, &report, &crate::archive::Linked::default());
                assert!(
                    !cells.iter().any(formula),
                    "base {base:?}, id {id:?}: {cells:?}"
                );
                // The url column is still the report's URL, only prefixed.
                let url = urls.absolute(&Urls::report(id));
                assert!(
                    cells[1] == url || cells[1] == format!("'{url}"),
                    "{cells:?}"
                );
            }
        }
    }
}

//! Where each search document's row of `data/reports.csv` is, so that the search page can
//! offer any result as CSV with exactly the columns of `data/reports.csv` by fetching only
//! the rows of its reports (HTTP range requests), not a copy of them.
//!
//! - `search/rows.json`: `{file, size, header, chunk}`: the CSV file (from the site's base),
//!   its size in bytes (the page fetches it whole when the rows would be most of it), the
//!   bytes before its first row (byte order mark and header line) and documents per chunk;
//! - `search/o/<k>.txt`: documents `k*chunk ..`, for each its row's offset (the difference
//!   from the previous document's offset in the chunk, zigzag-encoded so that it is never
//!   negative; the first from 0) and length, as base-64 varints like posting lists.

use serde::Serialize;

use super::{OutputError, Recording, push_varint};
use crate::archive::Archive;
use crate::content::Report;
use crate::output::exports::CsvRows;

/// Documents per file of `search/o/`: a result's rows cost a file of about 1.2 KB
/// (five characters a document), so a search of a few reports fetches little.
pub const ROWS_CHUNK: usize = 250;

#[derive(Serialize)]
struct RowsMeta {
    file: &'static str,
    size: u64,
    header: u64,
    chunk: usize,
}

/// Writes `search/rows.json` and `search/o/`, from where `data/reports.csv` put its rows
/// (`csv`, in `by_id` order). Returns the number of files.
pub fn write_row_index(
    archive: &Archive,
    by_id: &[&Report],
    csv: &CsvRows,
    writer: &Recording,
) -> Result<usize, OutputError> {
    // Documents are the reports oldest first (the archive is newest first).
    let spans: Vec<(u64, u32)> = archive
        .reports
        .iter()
        .rev()
        .map(|r| {
            let at = by_id
                .binary_search_by(|other| other.id.as_str().cmp(&r.id))
                .expect("every report has a row");
            csv.rows[at]
        })
        .collect();
    let mut files = 0;
    for (k, chunk) in spans.chunks(ROWS_CHUNK).enumerate() {
        writer.write(&format!("search/o/{k}.txt"), encode_spans(chunk).as_bytes())?;
        files += 1;
    }
    let meta = RowsMeta {
        file: "data/reports.csv",
        size: csv.size,
        header: csv.header,
        chunk: ROWS_CHUNK,
    };
    writer.write(
        "search/rows.json",
        &serde_json::to_vec(&meta).expect("rows meta serializes"),
    )?;
    Ok(files + 1)
}

/// The `(offset, length)` of each row as varints: offsets as zigzag differences.
fn encode_spans(spans: &[(u64, u32)]) -> String {
    let mut out = String::with_capacity(spans.len() * 6);
    let mut last = 0i64;
    for &(offset, len) in spans {
        let delta = offset as i64 - last;
        last = offset as i64;
        push_varint(&mut out, ((delta << 1) ^ (delta >> 63)) as u64);
        push_varint(&mut out, u64::from(len));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_zigzag_differences_and_lengths() {
        // 100 → 200 (100), then 150 - 100 = ... back by 50 → 99; lengths 40, 7.
        // 200 = 8 + 32·6: "o" (8 | more), "G"; 40 = 8 + 32: "o", "B"; 99 = 3 + 32·3: "j", "D".
        assert_eq!(encode_spans(&[(100, 40), (50, 7)]), "oGoBjDH");
    }
}

//! Reading a dataset's CSV: the header checked once for the columns a dataset needs, then
//! one row at a time, each with the line it starts on, as text. A row that is not UTF-8 or
//! has the wrong number of cells is a problem of that row alone.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use chrono::NaiveDate;

use crate::FastMap;

use super::ImportError;
use super::event::RowProblem;

/// An open CSV file, its header read.
pub struct Table {
    reader: csv::Reader<BufReader<File>>,
    header: Header,
    record: csv::ByteRecord,
    lines: LineCounter,
    /// The file's size, for progress.
    pub bytes: u64,
}

/// The line each record starts on, counted on a second reading of the file: a record's
/// byte offset is exact where the CSV reader's own line numbers are not (they drift after
/// a cell holding a line break).
struct LineCounter {
    reader: BufReader<File>,
    offset: u64,
    newlines: u64,
}

impl LineCounter {
    /// The line of the record from byte `start` to byte `end` (line breaks before it,
    /// plus one), and its text as written. The break ending the line before (and any blank
    /// lines) are skipped first.
    fn record(&mut self, start: u64, end: u64) -> std::io::Result<(u64, String)> {
        while self.offset < start || (self.offset < end && self.at_line_break()?) {
            let limit = if self.offset < start {
                start
            } else {
                self.offset + 1
            };
            if self.advance(limit, None)? == 0 {
                break;
            }
        }
        let line = self.newlines + 1;
        let mut raw = Vec::with_capacity((end.saturating_sub(self.offset)) as usize);
        while self.offset < end {
            if self.advance(end, Some(&mut raw))? == 0 {
                break;
            }
        }
        Ok((line, String::from_utf8_lossy(&raw).into_owned()))
    }

    /// Reads on towards byte `limit`, counting line breaks and keeping the bytes in
    /// `keep`; how many bytes it read.
    fn advance(&mut self, limit: u64, keep: Option<&mut Vec<u8>>) -> std::io::Result<usize> {
        let buffer = self.reader.fill_buf()?;
        let take = buffer.len().min((limit - self.offset) as usize);
        let taken = &buffer[..take];
        self.newlines += memchr::memchr_iter(b'\n', taken).count() as u64;
        if let Some(keep) = keep {
            keep.extend_from_slice(taken);
        }
        self.reader.consume(take);
        self.offset += take as u64;
        Ok(take)
    }

    fn at_line_break(&mut self) -> std::io::Result<bool> {
        Ok(matches!(
            self.reader.fill_buf()?.first(),
            Some(b'\r' | b'\n')
        ))
    }
}

/// The columns of a file, by lowercase name.
pub struct Header {
    index: FastMap<String, usize>,
    width: usize,
}

/// One row of the table.
pub struct Row<'a> {
    /// The line the row starts on (1 is the header).
    pub line: u64,
    /// The row as written in the file.
    raw: String,
    cells: Vec<String>,
    header: &'a Header,
}

/// What reading the next row gave.
pub enum Next<'a> {
    /// A readable row.
    Row(Row<'a>),
    /// A row that cannot be read, at its line and column.
    Unreadable((u64, usize), RowProblem),
    /// The end of the file.
    End,
}

impl Table {
    /// Opens `path` and checks that its header has every column of `required`.
    pub fn open(path: &Path, file: &str, required: &[&str]) -> Result<Table, ImportError> {
        let opened = File::open(path).map_err(|source| ImportError::Read {
            file: file.to_string(),
            source,
        })?;
        let bytes = opened.metadata().map(|m| m.len()).unwrap_or(0);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(BufReader::new(opened));
        let names = reader.byte_headers().map_err(|e| csv_error(file, &e))?;
        let mut index = FastMap::default();
        for (i, name) in names.iter().enumerate() {
            let name = String::from_utf8_lossy(name);
            let name = name.trim_start_matches('\u{feff}').trim().to_lowercase();
            index.entry(name).or_insert(i);
        }
        let missing: Vec<String> = required
            .iter()
            .filter(|c| !index.contains_key(**c))
            .map(|c| (*c).to_string())
            .collect();
        if !missing.is_empty() {
            return Err(ImportError::MissingColumns {
                file: file.to_string(),
                missing,
            });
        }
        let width = names.len();
        let lines = File::open(path).map_err(|source| ImportError::Read {
            file: file.to_string(),
            source,
        })?;
        Ok(Table {
            reader,
            header: Header { index, width },
            record: csv::ByteRecord::new(),
            lines: LineCounter {
                reader: BufReader::new(lines),
                offset: 0,
                newlines: 0,
            },
            bytes,
        })
    }

    /// How far into the file reading is, in bytes.
    pub fn position(&self) -> u64 {
        self.reader.position().byte()
    }

    /// The next row.
    pub fn next(&mut self, file: &str) -> Result<Next<'_>, ImportError> {
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| csv_error(file, &e))?;
        if !more {
            return Ok(Next::End);
        }
        let start = self.record.position().map_or(0, csv::Position::byte);
        let end = self.reader.position().byte();
        let (line, raw) = self
            .lines
            .record(start, end)
            .map_err(|source| ImportError::Read {
                file: file.to_string(),
                source,
            })?;
        if self.record.len() != self.header.width {
            return Ok(Next::Unreadable(
                (line, 1),
                RowProblem::new(
                    "import-row-shape",
                    format!(
                        "the row has {} cells where the header has {}",
                        self.record.len(),
                        self.header.width
                    ),
                    "put every cell holding a comma, a quote or a line break between double \
                     quotes, and double the quotes inside it (RFC 4180)",
                ),
            ));
        }
        let mut cells = Vec::with_capacity(self.record.len());
        for (i, cell) in self.record.iter().enumerate() {
            match std::str::from_utf8(cell) {
                Ok(text) => cells.push(crate::content::text::nfc(text.trim()).into_owned()),
                Err(_) => {
                    return Ok(Next::Unreadable(
                        cell_position(&raw, i, line),
                        RowProblem::new(
                            "import-not-utf8",
                            format!("cell {} of the row is not UTF-8 text", i + 1),
                            "export the file as UTF-8 (spreadsheet programs offer \"CSV UTF-8\")",
                        ),
                    ));
                }
            }
        }
        Ok(Next::Row(Row {
            line,
            raw,
            cells,
            header: &self.header,
        }))
    }
}

fn csv_error(file: &str, e: &csv::Error) -> ImportError {
    ImportError::Csv {
        file: file.to_string(),
        message: e.to_string(),
    }
}

impl Row<'_> {
    /// Where the cell of `column` starts in the file (line, column in characters); the
    /// row's start when the file has no such column.
    pub fn position_of(&self, column: &str) -> (u64, usize) {
        match self.header.index.get(column) {
            Some(&field) => cell_position(&self.raw, field, self.line),
            None => (self.line, 1),
        }
    }

    /// The cell of `column`, trimmed; empty when the file has no such column.
    pub fn get(&self, column: &str) -> &str {
        self.header
            .index
            .get(column)
            .and_then(|&i| self.cells.get(i))
            .map_or("", String::as_str)
    }

    /// The cell of `column`, or an error naming it when it is empty.
    pub fn required(&self, column: &str) -> Result<&str, RowProblem> {
        match self.get(column) {
            "" => Err(RowProblem::new(
                "import-empty-cell",
                format!("`{column}` is empty"),
                format!("give the row's `{column}`, or remove the row"),
            )
            .in_column(column)),
            text => Ok(text),
        }
    }

    /// A whole number of people in `column` (`12`, also `12.0` as spreadsheets write it).
    pub fn count(&self, column: &str) -> Result<u64, RowProblem> {
        let text = self.required(column)?;
        parse_count(text).ok_or_else(|| {
            RowProblem::new(
                "import-bad-number",
                format!("`{column}` is `{text}`, not a whole number of people"),
                format!("write `{column}` as a number such as 0 or 12"),
            )
            .in_column(column)
        })
    }

    /// [`Row::count`] for a column that may be empty or absent.
    pub fn optional_count(&self, column: &str) -> Result<Option<u64>, RowProblem> {
        if self.get(column).is_empty() {
            Ok(None)
        } else {
            self.count(column).map(Some)
        }
    }

    /// Latitude and longitude from two columns: both or neither, on Earth.
    pub fn coordinates(&self, lat: &str, lon: &str) -> Result<Option<(f64, f64)>, RowProblem> {
        let (lat_text, lon_text) = (self.get(lat), self.get(lon));
        if lat_text.is_empty() && lon_text.is_empty() {
            return Ok(None);
        }
        let parse = |column: &str, text: &str, bound: f64| {
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && (-bound..=bound).contains(v))
                .ok_or_else(|| {
                    RowProblem::new(
                        "import-bad-coordinates",
                        format!(
                            "`{column}` is `{text}`, not a number between -{bound} and {bound}"
                        ),
                        format!(
                            "give `{lat}` and `{lon}` in decimal degrees (`35.86`, `36.80`), or \
                             leave both empty"
                        ),
                    )
                    .in_column(column)
                })
        };
        Ok(Some((
            parse(lat, lat_text, 90.0)?,
            parse(lon, lon_text, 180.0)?,
        )))
    }
}

impl Row<'_> {
    /// A day in `column`: `2019-03-15` (a time after it is ignored, as UCDP writes
    /// `2019-03-15 00:00:00.000`) or `15 March 2019` (older ACLED exports).
    pub fn date(&self, column: &str) -> Result<NaiveDate, RowProblem> {
        let text = self.required(column)?;
        parse_day(text).ok_or_else(|| {
            RowProblem::new(
                "import-bad-date",
                format!("`{column}` is `{text}`, not a date"),
                format!("write `{column}` as YYYY-MM-DD"),
            )
            .in_column(column)
        })
    }
}

/// Where cell `field` (from 0) of the record `raw`, starting on line `line`, begins:
/// commas outside quotes separate cells, line breaks inside quotes start new lines.
fn cell_position(raw: &str, field: usize, line: u64) -> (u64, usize) {
    let (mut line, mut column, mut cell, mut quoted) = (line, 1, 0, false);
    for c in raw.chars() {
        if cell == field {
            break;
        }
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => cell += 1,
            '\n' => {
                line += 1;
                column = 0;
            }
            _ => {}
        }
        if c != '\r' {
            column += 1;
        }
    }
    (line, column)
}

/// A day as datasets write it.
fn parse_day(text: &str) -> Option<NaiveDate> {
    let iso = text
        .get(..10)
        .filter(|_| text.len() == 10 || text[10..].starts_with([' ', 'T']));
    if let Some(day) = iso.and_then(|d| crate::content::validate::parse_date(d).ok()) {
        return Some(day);
    }
    ["%d %B %Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

/// A count as spreadsheets write it: digits, possibly with a zero fraction (`12.0`).
fn parse_count(text: &str) -> Option<u64> {
    let whole = text
        .strip_suffix(".0")
        .or_else(|| text.strip_suffix(".00"))
        .unwrap_or(text);
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    whole
        .parse::<u64>()
        .ok()
        .filter(|&n| n <= crate::content::counts::MAX_COUNT as u64)
}

#[cfg(test)]
mod tests {
    use super::{cell_position, parse_count, parse_day};

    #[test]
    fn cells_are_found_across_quotes_and_line_breaks() {
        let raw = "a,\"b, still b\nnext\",c\u{e9}\u{e9},d\r\n";
        assert_eq!(cell_position(raw, 0, 7), (7, 1));
        assert_eq!(cell_position(raw, 1, 7), (7, 3));
        assert_eq!(cell_position(raw, 2, 7), (8, 7));
        assert_eq!(cell_position(raw, 3, 7), (8, 11));
    }

    #[test]
    fn counts_as_spreadsheets_write_them() {
        assert_eq!(parse_count("12"), Some(12));
        assert_eq!(parse_count("0"), Some(0));
        assert_eq!(parse_count("12.0"), Some(12));
        assert_eq!(parse_count("-3"), None);
        assert_eq!(parse_count("1.5"), None);
        assert_eq!(parse_count("dozens"), None);
        assert_eq!(parse_count(""), None);
    }

    #[test]
    fn days_as_datasets_write_them() {
        let day = chrono::NaiveDate::from_ymd_opt(2019, 3, 15);
        assert_eq!(parse_day("2019-03-15"), day);
        assert_eq!(parse_day("2019-03-15 00:00:00.000"), day);
        assert_eq!(parse_day("15 March 2019"), day);
        assert_eq!(parse_day("15-Mar-2019"), day);
        assert_eq!(parse_day("2019-02-30"), None);
        assert_eq!(parse_day("2019-03-15x"), None);
        assert_eq!(parse_day("March"), None);
    }
}

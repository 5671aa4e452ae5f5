//! Dates and the id: `date`, `period` and `id` (or the file name), checked and resolved.

use chrono::NaiveDate;

use super::checker::{Checker, MAX_SLUG_BYTES};
use crate::content::limits::MAX_PERIOD_DAYS;
use crate::content::names::slugify;
use crate::content::raw::RawReport;

/// The report's dates, each `None` when in error.
pub(super) struct Dates {
    /// Publication date.
    pub(super) date: Option<NaiveDate>,
    /// First and last day of the events (the publication date when not given).
    pub(super) period: Option<(NaiveDate, NaiveDate)>,
}

/// Checks `date` and `period`.
pub(super) fn dates(c: &mut Checker, raw: &RawReport) -> Dates {
    let date = match &raw.date {
        Some(d) => c.date("date", d.trim()),
        None => {
            // `content/about.md` is read as a report: the page it was meant to be lives in
            // `content/pages/`.
            let help = if c.file.starts_with("content/reports/") {
                "add the publication date: `date: YYYY-MM-DD`".to_string()
            } else {
                format!(
                    "add the publication date: `date: YYYY-MM-DD`; or, for a page that is not \
                     a report (about, methodology, contact), move the file to content/pages/{}",
                    c.file.rsplit('/').next().unwrap_or(c.file)
                )
            };
            c.error((1, 1), "missing-field", "`date` is missing".into())
                .help = Some(help);
            None
        }
    };
    let period = match &raw.period {
        None => date.map(|d| (d, d)),
        Some(p) => {
            let start = match &p.start {
                Some(s) => c.date("period.start", s.trim()),
                None => {
                    c.at_key("period", "missing-field", "`period` has no `start`".into())
                        .help = Some("add `start: YYYY-MM-DD` under `period:`".into());
                    None
                }
            };
            let end = match &p.end {
                Some(e) => c.date("period.end", e.trim()),
                None => start,
            };
            match (start, end) {
                (Some(s), Some(e)) if e < s => {
                    c.at_value(
                        "period.end",
                        "period-reversed",
                        format!("`period.end` ({e}) is before `period.start` ({s})"),
                    )
                    .help = Some("swap the two dates".into());
                    None
                }
                (Some(s), Some(e)) if (e - s).num_days() + 1 > MAX_PERIOD_DAYS => {
                    c.at_value(
                        "period.end",
                        "period-too-long",
                        format!(
                            "the period from {s} to {e} is {} days, more than the limit of \
                             {MAX_PERIOD_DAYS} (twenty years)",
                            (e - s).num_days() + 1
                        ),
                    )
                    .help = Some(
                        "check the years; a report is listed on every day of its period".into(),
                    );
                    None
                }
                (Some(s), Some(e)) => Some((s, e)),
                _ => None,
            }
        }
    };
    Dates { date, period }
}

/// The report id: `id:` when given, else the file name; reported when not a valid id.
pub(super) fn id(c: &mut Checker, raw: &RawReport) -> String {
    let file = c.file;
    match &raw.id {
        Some(id) => {
            let id = id.trim();
            if id.len() > MAX_SLUG_BYTES {
                c.too_long("id", "the id", id);
            } else if !is_valid_id(id) {
                c.at_value("id", "invalid-id", format!("`{id}` is not a valid id"))
                    .help = Some(format!(
                    "use lowercase letters, digits and single hyphens, e.g. `{}`",
                    suggest_id(id)
                ));
            }
            id.to_string()
        }
        None => {
            let id = stem(file);
            if id.len() > MAX_SLUG_BYTES {
                c.too_long("id", "the file name", id);
            } else if !is_valid_id(id) {
                c.error(
                    (1, 1),
                    "invalid-id",
                    format!("the file name `{id}` is not a valid id"),
                )
                .help = Some(format!(
                    "rename the file to `{}.md`, or add `id: {}`",
                    suggest_id(id),
                    suggest_id(id)
                ));
            }
            id.to_string()
        }
    }
}

impl Checker<'_> {
    /// The date written at `path`; `None` (reported) when not a real `YYYY-MM-DD` date.
    pub(super) fn date(&mut self, path: &str, written: &str) -> Option<NaiveDate> {
        match parse_date(written) {
            Ok(d) => Some(d),
            Err(why) => {
                self.at_value(path, "invalid-date", why).help =
                    Some("write dates as YYYY-MM-DD, e.g. 2017-11-12".into());
                None
            }
        }
    }
}

/// Parses `YYYY-MM-DD`, telling a wrong form from an impossible date.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(format!("`{s}` is not a date in YYYY-MM-DD form"));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("`{s}` is not a real date"))
}

/// A well-formed report id: `[a-z0-9]+(-[a-z0-9]+)*`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// The file stem of `file` (`content/reports/x.md` → `x`).
fn stem(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.strip_suffix(".md").unwrap_or(name)
}

/// A valid id close to `bad` (`Report 1` → `report-1`).
fn suggest_id(bad: &str) -> String {
    let s = slugify(bad);
    let ascii: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let parts: Vec<&str> = ascii.split('-').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        "report-1".into()
    } else {
        parts.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("2017-11-12-al-bukamal"));
        assert!(!is_valid_id("Al-Bukamal"));
        assert!(!is_valid_id("a--b"));
        assert!(!is_valid_id("../x"));
        assert_eq!(suggest_id("Report 1"), "report-1");
    }

    #[test]
    fn dates() {
        assert!(parse_date("2017-11-12").is_ok());
        assert!(
            parse_date("2017-02-30")
                .unwrap_err()
                .contains("not a real date")
        );
        assert!(parse_date("12/11/2017").unwrap_err().contains("YYYY-MM-DD"));
    }
}

//! `sijill new`: a new report file with valid front matter, ready to fill.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};

use super::GAZETTEER_FILE;
use super::diagnostics::Diagnostic;
use super::gazetteer::Gazetteer;
use super::names::slugify;
use super::validate::{self, Context};

/// Why a new report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum NewReportError {
    /// No place given and none to default to.
    #[error("give at least one --place (e.g. --place \"Syria/Idlib/Saraqib\")")]
    NoPlace,
    /// The title is empty.
    #[error("the title is empty")]
    EmptyTitle,
    /// The date is not YYYY-MM-DD.
    #[error("{0}")]
    BadDate(String),
    /// The generated file would not pass `check`: its problems, each with the argument it
    /// comes from (the file was never written, so no line of it is cited).
    /// Shown after `error: `, one problem a line, as `check` would give them.
    #[error("{}\nno report was written", .0.iter().map(|(arg, d)| argument_problem(arg, d)).collect::<Vec<_>>().join("\nerror: "))]
    Invalid(Vec<(String, Diagnostic)>),
    /// The file exists already.
    #[error("{0} exists already; sijill new never overwrites a file")]
    Exists(PathBuf),
    /// Writing failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
}

/// The id for a report titled `title` published on `date`: `YYYY-MM-DD-words-of-the-title`.
fn id_for(date: NaiveDate, title: &str) -> String {
    let ascii: String = slugify(title)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let words: Vec<&str> = ascii.split('-').filter(|w| !w.is_empty()).collect();
    let mut slug = String::new();
    for w in words {
        if slug.len() + w.len() > 60 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(w);
    }
    if slug.is_empty() {
        slug.push_str("report");
    }
    format!("{date}-{slug}")
}

/// A problem of the report `new` would write, told by the argument it comes from.
fn argument_problem(argument: &str, d: &Diagnostic) -> String {
    let mut s = format!("{argument}: {} [{}]", d.message, d.code);
    if let Some(help) = &d.help {
        s.push_str(&format!("\n  help: {help}"));
    }
    s
}

/// The text of a new report, and the argument each of its lines comes from (by line
/// number, 1-based), to tell its problems by the argument rather than by a line of a file
/// that is never written.
fn text(title: &str, date: NaiveDate, places: &[String]) -> (String, Vec<(usize, String)>) {
    let quoted = serde_json::to_string(title).expect("strings serialize");
    let mut t = format!("---\ntitle: {quoted}\ndate: {date}\n");
    let mut arguments = vec![
        (2, format!("--title {quoted}")),
        (3, format!("--date {date}")),
    ];
    t.push_str("# period: {start: YYYY-MM-DD, end: YYYY-MM-DD}  # when the events happened, if not on `date`\n");
    t.push_str("status: provisional\nlocations:\n");
    for p in places {
        let quoted = serde_json::to_string(p).expect("strings serialize");
        arguments.push((t.lines().count() + 1, format!("--place {quoted}")));
        t.push_str(&format!("  - {quoted}\n"));
    }
    t.push_str(
        "# casualties:          # the report's totals; {min: N} means \"at least N\"\n\
         #   killed: 0\n\
         #   injured: {min: 0, raw: \"dozens\"}\n\
         # perpetrators: []\n\
         # incident_types: []\n\
         # tags: []\n\
         # source:\n\
         #   name: \n\
         #   url: https://\n\
         ---\n\
         What happened, in a few short paragraphs. Say where each figure comes from.\n",
    );
    (t, arguments)
}

/// Writes `content/reports/YYYY/MM/<id>.md` under `root` and returns its path. The file is
/// checked with the same rules as `check` before it is written.
pub fn new_report(
    root: &Path,
    title: &str,
    date: Option<NaiveDate>,
    places: &[String],
    today: NaiveDate,
) -> Result<PathBuf, NewReportError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(NewReportError::EmptyTitle);
    }
    let date = date.unwrap_or(today);
    let gazetteer = fs::read_to_string(root.join(GAZETTEER_FILE))
        .ok()
        .map(|t| Gazetteer::parse(&t, GAZETTEER_FILE).0);
    let mut places = places.to_vec();
    if places.is_empty() {
        let only_root = gazetteer.as_ref().and_then(|g| {
            let tops: Vec<&str> = g.paths().filter(|p| !p.contains('/')).collect();
            (tops.len() == 1).then(|| tops[0].to_string())
        });
        places.push(only_root.ok_or(NewReportError::NoPlace)?);
    }
    let id = id_for(date, title);
    let rel = format!(
        "content/reports/{:04}/{:02}/{id}.md",
        date.year(),
        date.month()
    );
    let path = root.join(&rel);
    if path.exists() {
        return Err(NewReportError::Exists(path));
    }
    let (body, arguments) = text(title, date, &places);
    let ctx = Context {
        gazetteer: gazetteer.as_ref(),
        default_lang: "en",
        ui_languages: &[],
        vocabulary: None,
    };
    let problems = validate::parse_report(&rel, &body, &ctx).problems;
    let errors: Vec<(String, Diagnostic)> = problems
        .into_iter()
        .filter(Diagnostic::is_error)
        .map(|d| {
            let argument = arguments
                .iter()
                .find(|(line, _)| *line == d.line)
                .map_or_else(|| "the new report".to_string(), |(_, a)| a.clone());
            (argument, d)
        })
        .collect();
    if !errors.is_empty() {
        return Err(NewReportError::Invalid(errors));
    }
    let io = |source| NewReportError::Io {
        path: path.clone(),
        source,
    };
    fs::create_dir_all(path.parent().expect("a file under content/")).map_err(io)?;
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .and_then(|mut f| std::io::Write::write_all(&mut f, body.as_bytes()))
        .map_err(|source| NewReportError::Io {
            path: path.clone(),
            source,
        })?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_titles() {
        let d = NaiveDate::from_ymd_opt(2017, 11, 12).unwrap();
        assert_eq!(
            id_for(d, "At least 50 killed in al-Bukamal"),
            "2017-11-12-at-least-50-killed-in-al-bukamal"
        );
        assert_eq!(id_for(d, "مقتل ٥٠ شخصاً"), "2017-11-12-report");
    }
}

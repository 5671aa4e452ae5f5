//! A report *as resolved*: dates parsed, places canonical, counts checked, defaults filled.
//! Everything after `content/` reads this, never the file.

use chrono::NaiveDate;
use serde::Serialize;

use super::counts::{Counts, Field};

/// `kind:` of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// One event: counted in totals.
    Incident,
    /// Campaign or period totals: listed, never added to any total.
    Summary,
}

impl Kind {
    /// The value as written (`incident`, `summary`), as exports and messages give it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Incident => "incident",
            Kind::Summary => "summary",
        }
    }
}

/// `status:` of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Figures may still change.
    Provisional,
    /// Figures are settled.
    Final,
}

/// Where a report's information comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Who published it.
    pub name: Option<String>,
    /// Where it was published (absolute http(s)).
    pub url: Option<String>,
    /// An archived copy (absolute http(s)).
    pub archive_url: Option<String>,
}

/// One location of a report, with the counts the report gives for it alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Canonical place path (`Syria/Deir ez-Zor/Al-Bukamal`), aliases resolved.
    pub path: String,
    /// Counts for this location only; empty when the report does not split its figures.
    pub counts: Counts,
    /// The source's wording of each count (`raw:`), by field.
    pub raw: Vec<(Field, String)>,
    /// Free-text note on this location.
    pub note: Option<String>,
}

/// A link in the body to another report's file, resolved to that report's id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLink {
    /// The destination as written in the Markdown.
    pub dest: String,
    /// The file it designates, relative to the site root.
    pub target_file: String,
    /// The id of the report in that file (filled once the whole archive is read).
    pub target: String,
    /// Position of the link in the whole file.
    pub position: (usize, usize),
}

/// One report, valid and resolved.
#[derive(Debug, Clone)]
pub struct Report {
    /// Permalink slug; the page is `reports/<id>/`.
    pub id: String,
    /// Source file, relative to the site root with `/` separators.
    pub file: String,
    /// Title, plain text.
    pub title: String,
    /// Publication date.
    pub date: NaiveDate,
    /// First and last day of the events (both `date` when not given).
    pub period: (NaiveDate, NaiveDate),
    /// Incident or summary.
    pub kind: Kind,
    /// Provisional or final, when given.
    pub status: Option<Status>,
    /// BCP-47 language tag (the site's language when not given).
    pub lang: String,
    /// The title and body are clearly in a script `lang` is not written in (check's
    /// `language-mismatch`): pages mark them `dir="auto"`, so that they read in order.
    pub lang_contradicted: bool,
    /// Where the information comes from.
    pub source: Option<Source>,
    /// At least one location, in the order written.
    pub locations: Vec<Location>,
    /// The report's totals: `casualties` as written, a field missing there being the sum of
    /// the per-location counts for it.
    pub casualties: Counts,
    /// The source's wording of each total (`raw:`), by field.
    pub casualties_raw: Vec<(Field, String)>,
    /// Who did it, as written.
    pub perpetrators: Vec<String>,
    /// What happened, as written.
    pub incident_types: Vec<String>,
    /// Free tags, as written.
    pub tags: Vec<String>,
    /// Skipped unless drafts are asked for.
    pub draft: bool,
    /// `updates:`: the id of the earlier account of the same incident that this one
    /// revises (format v2).
    pub updates: Option<String>,
    /// `translation_of:`: the id of the report this one gives in another language.
    pub translation_of: Option<String>,
    /// Of a translation, the facts it writes itself; the others are its original's,
    /// filled in once the whole archive is read.
    pub restated: Restated,
    /// Links to other reports found in the body.
    pub links: Vec<ReportLink>,
    /// The Markdown body (what follows the front matter), the only text a build keeps.
    pub(crate) body: String,
    /// The front matter as written, kept only where a check of the whole archive may have to
    /// point into it: sites without a gazetteer, whose place spellings are compared across
    /// reports.
    pub(crate) front_matter: Option<FrontMatterText>,
}

/// The facts a translation may leave out, as its original gives them (format v2,
/// `translation_of`), in the order of the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inherited {
    /// `period`
    Period,
    /// `locations`
    Locations,
    /// `casualties`
    Casualties,
    /// `perpetrators`
    Perpetrators,
    /// `incident_types`
    IncidentTypes,
    /// `tags`
    Tags,
    /// `source`
    Source,
    /// `kind`
    Kind,
    /// `status`
    Status,
}

impl Inherited {
    /// All of them, in the order of the format.
    pub const ALL: [Inherited; 9] = [
        Inherited::Period,
        Inherited::Locations,
        Inherited::Casualties,
        Inherited::Perpetrators,
        Inherited::IncidentTypes,
        Inherited::Tags,
        Inherited::Source,
        Inherited::Kind,
        Inherited::Status,
    ];

    /// The key as written.
    pub fn key(self) -> &'static str {
        match self {
            Inherited::Period => "period",
            Inherited::Locations => "locations",
            Inherited::Casualties => "casualties",
            Inherited::Perpetrators => "perpetrators",
            Inherited::IncidentTypes => "incident_types",
            Inherited::Tags => "tags",
            Inherited::Source => "source",
            Inherited::Kind => "kind",
            Inherited::Status => "status",
        }
    }
}

/// Which of the [`Inherited`] facts a report writes itself (all of them, for a report
/// that is not a translation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Restated(u16);

impl Restated {
    /// Marks `fact` as written.
    pub fn set(&mut self, fact: Inherited) {
        self.0 |= 1 << fact as u16;
    }

    /// True when `fact` is written.
    pub fn has(self, fact: Inherited) -> bool {
        self.0 & (1 << fact as u16) != 0
    }
}

/// A report's front matter and the line of its file it starts on.
#[derive(Debug, Clone)]
pub(crate) struct FrontMatterText {
    pub(crate) yaml: String,
    pub(crate) first_line: usize,
}

impl Report {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.body
    }

    /// True when this report is added to the totals of the listings it is on: incidents
    /// are, summaries never. (Which reports are listed at all, one per incident, is the
    /// archive's to say: [`crate::archive::Accounts`].)
    pub fn counts_in_totals(&self) -> bool {
        self.kind == Kind::Incident
    }

    /// True for a translation of another report (`translation_of`).
    pub fn is_translation(&self) -> bool {
        self.translation_of.is_some()
    }

    /// True when the language is written right to left.
    pub fn is_rtl(&self) -> bool {
        is_rtl(&self.lang)
    }

    /// The facts its page lists after where, when, casualties and terms, and before status
    /// and source. A field whose page shows a label and a value adds one entry here (with
    /// its label in the interface strings): the view and the template list what this
    /// gives, so neither changes for it.
    pub fn facts(&self) -> Vec<Fact> {
        let mut facts = Vec::new();
        if self.kind == Kind::Summary {
            facts.push(Fact {
                label: "kind",
                value: FactValue::Explained {
                    term: "summary",
                    explanation: "summary_note",
                },
            });
        }
        facts
    }
}

/// One fact of [`Report::facts`]: a label and a value, both worded by the page.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// The key of the label among the interface strings (`kind`).
    pub label: &'static str,
    /// What to show.
    pub value: FactValue,
}

/// The value of a [`Fact`], as data: the page words it in its own language.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    /// An interface string and another explaining it, by key: "Summary (not added to …)".
    Explained {
        /// The key of the term.
        term: &'static str,
        /// The key of its explanation.
        explanation: &'static str,
    },
    /// A count ("at least 5", "10–15").
    Count(super::counts::Count),
    /// Text as written in the report.
    Text(String),
}

/// True for languages written right to left (`ar`, `fa`, `he`, `ur`, …), by primary subtag.
pub fn is_rtl(lang: &str) -> bool {
    let primary = lang.split('-').next().unwrap_or("").to_ascii_lowercase();
    matches!(
        primary.as_str(),
        "ar" | "fa" | "he" | "ur" | "ps" | "sd" | "ckb" | "yi" | "dv" | "ug" | "syr"
    )
}

/// `YYYY-MM-DD`, as chrono writes it, without the formatting machinery: dates are written
/// several times for each report (pages, lists, exports, the search index).
pub fn iso_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        return d.to_string();
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let y = y as u32;
    [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        '-',
        digit(m / 10),
        digit(m),
        '-',
        digit(day / 10),
        digit(day),
    ]
    .into_iter()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (2019, 3, 14),
            (1, 1, 1),
            (999, 12, 31),
            (9999, 1, 9),
            (10000, 1, 1),
            (-5, 6, 7),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(iso_date(date), date.to_string());
        }
    }
}

//! The machine-readable archive under `data/`: `reports.json`, `places.json`, `dates.json`.
//! One record per line inside a JSON array, so that a changed report changes one line. The
//! report record is declared once, as a list of columns, and `data/reports.csv` follows it.

use std::io::{self, Write};

use serde::Serialize;

use super::exports::neutralise;
use crate::archive::{Archive, DateNode, Linked};
use crate::content::report::iso_date;
use crate::content::{Counts, Field, Report};
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

/// One field of the report record: its key and value in `data/reports.json`, its columns
/// and cells in `data/reports.csv`. [`REPORT_RECORD`] lists them in order: both files follow
/// that one list, so a new field is one entry there.
struct Column {
    /// Key in `reports.json`.
    key: &'static str,
    /// Writes the JSON value.
    json: fn(&Report, &Linked, &mut dyn Write) -> serde_json::Result<()>,
    /// Its CSV columns.
    csv_names: CsvNames,
    /// Appends its CSV cells, one per column. Text cells go through [`neutralise`], the id
    /// and URLs included: they are checked upstream (the id's pattern, the base URL's
    /// grammar, http(s) sources), but a CSV opened in a spreadsheet must not depend on
    /// every check upstream holding.
    csv: fn(&Urls, &Report, &Linked, &mut Vec<String>),
}

/// The CSV columns of a [`Column`].
enum CsvNames {
    /// These columns.
    These(&'static [CsvSpec]),
    /// `<field>_min` and `<field>_max` for each count field, in [`Field::ALL`] order.
    MinMaxOfEachField,
}

/// A column of `data/reports.csv` as [`REPORT_RECORD`] declares it.
struct CsvSpec {
    name: &'static str,
    cell: Cell,
    description: &'static str,
}

/// A [`CsvSpec`], briefly.
const fn col(name: &'static str, cell: Cell, description: &'static str) -> CsvSpec {
    CsvSpec {
        name,
        cell,
        description,
    }
}

/// What the cells of a CSV column hold: its type and constraints in the data package's
/// Table Schema (`data/datapackage.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// The report's id: never empty, never repeated.
    Key,
    /// Text, never empty.
    Text,
    /// Text, or empty.
    OptionalText,
    /// One of these words, or empty when not `required`.
    OneOf {
        /// The words.
        values: &'static [&'static str],
        /// Never empty.
        required: bool,
    },
    /// A date, `YYYY-MM-DD`, never empty.
    Date,
    /// A whole number, 0 or more, or empty when not known.
    Count,
    /// `true` or `false`.
    Flag,
}

/// One column of `data/reports.csv`: its name, its cells, its meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvColumn {
    /// The header.
    pub name: String,
    /// What its cells hold.
    pub cell: Cell,
    /// What it means.
    pub description: String,
}

/// What a count field counts, for the descriptions of its columns.
fn counts_what(field: Field) -> &'static str {
    match field {
        Field::Killed => "people killed",
        Field::Children => "killed people who were children",
        Field::Women => "killed people who were women",
        Field::Men => "killed people who were men",
        Field::Civilians => "killed people who were civilians",
        Field::Combatants => "killed people who were fighters",
        Field::Injured => "people injured",
        Field::Missing => "people missing, whose fate is unknown",
    }
}

/// The report record, in the order of both files.
const REPORT_RECORD: &[Column] = &[
    Column {
        key: "id",
        json: |r, _, out| json(out, &r.id),
        csv_names: CsvNames::These(&[col(
            "id",
            Cell::Key,
            "The report's id, its page's last path segment; unique.",
        )]),
        csv: |_, r, _, row| row.push(neutralise(&r.id)),
    },
    Column {
        key: "url",
        json: |r, _, out| json(out, &Urls::report(&r.id)),
        csv_names: CsvNames::These(&[col(
            "url",
            Cell::Text,
            "The report's page, absolute under the site's base URL (root-relative when the base URL has no host).",
        )]),
        csv: |urls, r, _, row| row.push(neutralise(&urls.absolute(&Urls::report(&r.id)))),
    },
    Column {
        key: "title",
        json: |r, _, out| json(out, &r.title),
        csv_names: CsvNames::These(&[col("title", Cell::Text, "The headline, as written.")]),
        csv: |_, r, _, row| row.push(neutralise(&r.title)),
    },
    Column {
        key: "date",
        json: |r, _, out| json(out, &iso_date(r.date)),
        csv_names: CsvNames::These(&[col(
            "date",
            Cell::Date,
            "The date the report was published.",
        )]),
        csv: |_, r, _, row| row.push(iso_date(r.date)),
    },
    Column {
        key: "period",
        json: |r, _, out| {
            let (start, end) = (iso_date(r.period.0), iso_date(r.period.1));
            json(out, &Period { start, end })
        },
        csv_names: CsvNames::These(&[
            col(
                "period_start",
                Cell::Date,
                "The first day of the events it reports (its date when it gives no period).",
            ),
            col(
                "period_end",
                Cell::Date,
                "The last day of the events it reports.",
            ),
        ]),
        csv: |_, r, _, row| row.extend([iso_date(r.period.0), iso_date(r.period.1)]),
    },
    Column {
        key: "kind",
        json: |r, _, out| json(out, &r.kind),
        csv_names: CsvNames::These(&[col(
            "kind",
            Cell::OneOf {
                values: &["incident", "summary"],
                required: true,
            },
            "`incident` (particular events, counted in totals) or `summary` (a roll-up of tolls reported elsewhere, never added to totals).",
        )]),
        csv: |_, r, _, row| row.push(r.kind.name().to_string()),
    },
    Column {
        key: "status",
        json: |r, _, out| json(out, &r.status),
        csv_names: CsvNames::These(&[col(
            "status",
            Cell::OneOf {
                values: &["provisional", "final"],
                required: false,
            },
            "`provisional` (figures may change) or `final`; empty when the report does not say.",
        )]),
        csv: |_, r, _, row| {
            let status = r.status.map(|s| format!("{s:?}").to_lowercase());
            row.push(status.unwrap_or_default());
        },
    },
    Column {
        key: "lang",
        json: |r, _, out| json(out, &r.lang),
        csv_names: CsvNames::These(&[col(
            "lang",
            Cell::Text,
            "The language of the title and text (BCP-47); the site's language when the report gives none.",
        )]),
        csv: |_, r, _, row| row.push(neutralise(&r.lang)),
    },
    Column {
        key: "locations",
        json: |r, _, out| {
            let locations: Vec<LocationRecord> = r
                .locations
                .iter()
                .map(|l| LocationRecord {
                    path: &l.path,
                    counts: &l.counts,
                })
                .collect();
            json(out, &locations)
        },
        csv_names: CsvNames::These(&[col(
            "places",
            Cell::Text,
            "The canonical paths of its places (aliases resolved), `Country/Governorate/…`, joined by `; `.",
        )]),
        csv: |_, r, _, row| {
            let places: Vec<&str> = r.locations.iter().map(|l| l.path.as_str()).collect();
            row.push(neutralise(&places.join("; ")));
        },
    },
    Column {
        key: "casualties",
        json: |r, _, out| json(out, &r.casualties),
        csv_names: CsvNames::MinMaxOfEachField,
        csv: |_, r, _, row| {
            for f in Field::ALL {
                let c = r.casualties.get(f);
                row.push(c.map(|c| c.min.to_string()).unwrap_or_default());
                row.push(
                    c.and_then(|c| c.max)
                        .map(|m| m.to_string())
                        .unwrap_or_default(),
                );
            }
        },
    },
    Column {
        key: "perpetrators",
        json: |r, _, out| json(out, &r.perpetrators),
        csv_names: CsvNames::These(&[col(
            "perpetrators",
            Cell::OptionalText,
            "Those said to be responsible, joined by `; `.",
        )]),
        csv: |_, r, _, row| row.push(neutralise(&r.perpetrators.join("; "))),
    },
    Column {
        key: "incident_types",
        json: |r, _, out| json(out, &r.incident_types),
        csv_names: CsvNames::These(&[col(
            "incident_types",
            Cell::OptionalText,
            "What happened, joined by `; `.",
        )]),
        csv: |_, r, _, row| row.push(neutralise(&r.incident_types.join("; "))),
    },
    Column {
        key: "tags",
        json: |r, _, out| json(out, &r.tags),
        csv_names: CsvNames::These(&[col(
            "tags",
            Cell::OptionalText,
            "Free keywords, joined by `; `.",
        )]),
        csv: |_, r, _, row| row.push(neutralise(&r.tags.join("; "))),
    },
    Column {
        key: "source",
        json: |r, _, out| json(out, &r.source),
        csv_names: CsvNames::These(&[
            col(
                "source_name",
                Cell::OptionalText,
                "Who published the information.",
            ),
            col(
                "source_url",
                Cell::OptionalText,
                "Where it was published (http or https).",
            ),
            col(
                "source_archive_url",
                Cell::OptionalText,
                "A saved copy of the source (http or https).",
            ),
        ]),
        csv: |_, r, _, row| {
            let source = r.source.as_ref();
            let cell = |part: Option<&String>| neutralise(part.map_or("", String::as_str));
            row.extend([
                cell(source.and_then(|s| s.name.as_ref())),
                cell(source.and_then(|s| s.url.as_ref())),
                cell(source.and_then(|s| s.archive_url.as_ref())),
            ]);
        },
    },
    // Format v2: what the report is to the others, and whether it adds to totals.
    Column {
        key: "incident",
        json: |_, l, out| json(out, &l.incident),
        csv_names: CsvNames::These(&[col(
            "incident",
            Cell::OptionalText,
            "The id of the first account of the report's incident (format v2); empty only for a translation whose original is not published.",
        )]),
        csv: |_, _, l, row| row.push(neutralise(l.incident.unwrap_or(""))),
    },
    Column {
        key: "updates",
        json: |_, l, out| json(out, &l.updates),
        csv_names: CsvNames::These(&[col(
            "updates",
            Cell::OptionalText,
            "The id of the earlier account this one updates (format v2), when published.",
        )]),
        csv: |_, _, l, row| row.push(neutralise(l.updates.unwrap_or(""))),
    },
    Column {
        key: "updated_by",
        json: |_, l, out| json(out, &l.updated_by),
        csv_names: CsvNames::These(&[col(
            "updated_by",
            Cell::OptionalText,
            "The id of the later account that updates this one, when published.",
        )]),
        csv: |_, _, l, row| row.push(neutralise(l.updated_by.unwrap_or(""))),
    },
    Column {
        key: "translation_of",
        json: |_, l, out| json(out, &l.translation_of),
        csv_names: CsvNames::These(&[col(
            "translation_of",
            Cell::OptionalText,
            "Of a translation, the id of its original.",
        )]),
        csv: |_, _, l, row| row.push(neutralise(l.translation_of.unwrap_or(""))),
    },
    Column {
        key: "translations",
        json: |_, l, out| json(out, &l.translations),
        csv_names: CsvNames::These(&[col(
            "translations",
            Cell::OptionalText,
            "The ids of the report's published translations, by language, joined by `; `.",
        )]),
        csv: |_, _, l, row| row.push(neutralise(&l.translations.join("; "))),
    },
    Column {
        key: "counted",
        json: |_, l, out| json(out, &l.counted),
        csv_names: CsvNames::These(&[col(
            "counted",
            Cell::Flag,
            "Whether the report adds to totals: a published incident, not a translation, that no published report updates.",
        )]),
        csv: |_, _, l, row| row.push(l.counted.to_string()),
    },
];

/// The minimums of `counts`, as a map (`{"killed": 12}`): the remainders of the exports.
struct Minimums<'a>(&'a Counts);

impl Serialize for Minimums<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (field, count) in self.0.iter() {
            map.serialize_entry(field.name(), &count.min)?;
        }
        map.end()
    }
}

/// Writes one JSON value of a [`Column`], compact.
fn json<T: Serialize + ?Sized>(out: &mut dyn Write, value: &T) -> serde_json::Result<()> {
    serde_json::to_writer(out, value)
}

/// Writes `report` as one compact JSON object, its keys in [`REPORT_RECORD`] order.
fn report_json(report: &Report, linked: &Linked, out: &mut dyn Write) -> io::Result<()> {
    for (i, column) in REPORT_RECORD.iter().enumerate() {
        out.write_all(if i == 0 { b"{\"" } else { b",\"" })?;
        out.write_all(column.key.as_bytes())?;
        out.write_all(b"\":")?;
        (column.json)(report, linked, out)?;
    }
    out.write_all(b"}")
}

/// The columns of `data/reports.csv`, in order: its header, and the schema the data
/// package gives it (one list, so that a column cannot be written without its meaning).
pub fn csv_columns() -> Vec<CsvColumn> {
    let mut columns = Vec::new();
    for column in REPORT_RECORD {
        match column.csv_names {
            CsvNames::These(these) => {
                columns.extend(these.iter().map(|c| CsvColumn {
                    name: c.name.to_string(),
                    cell: c.cell,
                    description: c.description.to_string(),
                }));
            }
            CsvNames::MinMaxOfEachField => {
                for f in Field::ALL {
                    let (name, what) = (f.name(), counts_what(f));
                    columns.push(CsvColumn {
                        name: format!("{name}_min"),
                        cell: Cell::Count,
                        description: format!(
                            "The least number of {what} the report gives (all its places \
                             together); empty when it gives none."
                        ),
                    });
                    columns.push(CsvColumn {
                        name: format!("{name}_max"),
                        cell: Cell::Count,
                        description: format!(
                            "The greatest number of {what} the report gives: `{name}_min` \
                             for an exact figure, more for a range, empty for \"at least\" or \
                             when it gives none."
                        ),
                    });
                }
            }
        }
    }
    columns
}

/// The header of `data/reports.csv`.
pub(crate) fn csv_header() -> Vec<String> {
    csv_columns().into_iter().map(|c| c.name).collect()
}

/// The row of `report` (linked to others as `linked` says) in `data/reports.csv`, its URL
/// absolute under `urls`.
pub(crate) fn csv_row(urls: &Urls, report: &Report, linked: &Linked) -> Vec<String> {
    let mut row = Vec::new();
    for column in REPORT_RECORD {
        (column.csv)(urls, report, linked, &mut row);
    }
    row
}

#[derive(Serialize)]
struct PlaceRecord<'a> {
    path: &'a str,
    name: &'a str,
    url: String,
    reports: usize,
    totals: &'a Counts,
    not_below: Minimums<'a>,
}

#[derive(Serialize)]
struct DateRecord<'a> {
    date: String,
    url: String,
    reports: usize,
    totals: &'a Counts,
    /// Of a year or a month: the part of its totals in reports spanning several of its
    /// months (days).
    #[serde(skip_serializing_if = "Option::is_none")]
    across: Option<Minimums<'a>>,
}

/// Writes a JSON array with one compact record per line.
fn json_lines<T: Serialize>(
    out: &mut dyn Write,
    records: impl IntoIterator<Item = T>,
) -> io::Result<()> {
    lines_of(out, records, |r, out| Ok(serde_json::to_writer(out, &r)?))
}

/// Writes a JSON array with one record per line, each written by `write`.
fn lines_of<T>(
    out: &mut dyn Write,
    records: impl IntoIterator<Item = T>,
    write: impl Fn(T, &mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    out.write_all(b"[\n")?;
    let mut first = true;
    for r in records {
        if !first {
            out.write_all(b",\n")?;
        }
        first = false;
        write(r, &mut *out)?;
    }
    out.write_all(b"\n]\n")
}

/// `data/reports.json`: every published report, sorted by id (`by_id`).
pub fn reports_json(archive: &Archive, by_id: &[&Report], out: &mut dyn Write) -> io::Result<()> {
    lines_of(out, by_id, |r, out| report_json(r, &archive.linked(r), out))
}

/// `data/places.json`: every node of the place tree, sorted by path.
pub fn places_json(archive: &Archive, out: &mut dyn Write) -> io::Result<()> {
    let places = &archive.places;
    let mut nodes: Vec<usize> = (0..places.nodes.len()).collect();
    nodes.sort_by(|&a, &b| places.nodes[a].path.cmp(&places.nodes[b].path));
    let not_below: Vec<Counts> = nodes.iter().map(|&n| places.not_below(n)).collect();
    json_lines(
        out,
        nodes.iter().zip(&not_below).map(|(&n, rest)| {
            let n = &places.nodes[n];
            PlaceRecord {
                path: &n.path,
                name: &n.name,
                url: Urls::place(&n.slug_path),
                reports: n.reports.len(),
                totals: &n.totals,
                not_below: Minimums(rest),
            }
        }),
    )
}

/// `data/dates.json`: every year, month and day page, in date order.
pub fn dates_json(archive: &Archive, out: &mut dyn Write) -> io::Result<()> {
    let d = &archive.dates;
    let record = |date: String, url: String, node: &DateNode, across: Option<Counts>| {
        (date, url, node.reports.len(), node.totals, across)
    };
    let mut all: Vec<(String, String, usize, Counts, Option<Counts>)> = Vec::new();
    all.extend(d.years.iter().map(|(y, n)| {
        record(
            format!("{y:04}"),
            Urls::year(*y),
            n,
            Some(d.across_year(*y)),
        )
    }));
    all.extend(d.months.iter().map(|((y, m), n)| {
        let across = Some(d.across_month(*y, *m));
        record(format!("{y:04}-{m:02}"), Urls::month(*y, *m), n, across)
    }));
    all.extend(
        d.days
            .iter()
            .map(|(day, n)| record(day.to_string(), Urls::day(*day), n, None)),
    );
    all.sort_by(|a, b| a.0.cmp(&b.0));
    json_lines(
        out,
        all.iter()
            .map(|(date, url, reports, totals, across)| DateRecord {
                date: date.clone(),
                url: url.clone(),
                reports: *reports,
                totals,
                across: across.as_ref().map(Minimums),
            }),
    )
}

#[derive(Serialize)]
struct TermRecord<'a> {
    kind: &'static str,
    name: &'a str,
    slug: &'a str,
    url: String,
    reports: usize,
    /// "In reports of this term"; `None` for a perpetrator, whose casualties are only
    /// ever given as `alone` and `shared` (never added into one figure).
    totals: Option<&'a Counts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    alone: Option<&'a Counts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shared: Option<&'a Counts>,
}

/// `data/terms.json`: every perpetrator, incident type and tag, by kind then slug.
pub fn terms_json(archive: &Archive, out: &mut dyn Write) -> io::Result<()> {
    let records = archive.taxonomies.iter().flat_map(|tax| {
        tax.terms.iter().map(move |t| TermRecord {
            kind: tax.kind.folder_key(),
            name: &t.name,
            slug: &t.slug,
            url: Urls::term(tax.kind, &t.slug),
            reports: t.reports.len(),
            totals: t.attribution.is_none().then_some(&t.totals),
            alone: t.attribution.as_ref().map(|a| &a.alone),
            shared: t.attribution.as_ref().map(|a| &a.shared),
        })
    });
    json_lines(out, records)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report with every field given, as a build reads it.
    fn full_report() -> Report {
        let context = crate::content::validate::Context {
            gazetteer: None,
            default_lang: "en",
            ui_languages: &["en"],
            vocabulary: None,
        };
        let text = "---\ntitle: T\ndate: 2018-01-02\nperiod: {start: 2018-01-01}\n\
            status: final\nsource: {name: S, url: https://example.org/a}\n\
            locations: [{place: Syria/Idlib, killed: 2}]\ncasualties: {killed: {min: 2, max: 5}}\n\
            perpetrators: [P]\nincident_types: [I]\ntags: [A, B]\n---\nText\n";
        let parsed = crate::content::validate::parse_report("content/r.md", text, &context);
        Report::clone(&parsed.report.expect("a valid report"))
    }

    #[test]
    fn the_json_record_has_the_columns_keys_in_order() {
        let mut out = Vec::new();
        report_json(&full_report(), &Linked::default(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        let mut at = 0;
        for column in REPORT_RECORD {
            let key = format!("\"{}\":", column.key);
            let found = text[at..].find(&key).expect("each key, in order");
            at += found + key.len();
            assert!(value.get(column.key).is_some(), "{}", column.key);
        }
        assert_eq!(value["period"]["start"], "2018-01-01");
        assert_eq!(value["casualties"]["killed"]["max"], 5);
    }

    #[test]
    fn every_csv_row_has_a_cell_under_each_header_name() {
        let header = csv_header();
        let row = csv_row(
            &Urls::new("https://example.org/"),
            &full_report(),
            &Linked::default(),
        );
        assert_eq!(header.len(), row.len());
        let cell = |name: &str| &row[header.iter().position(|h| h == name).expect(name)];
        assert_eq!(cell("period_start"), "2018-01-01");
        assert_eq!(cell("killed_max"), "5");
        assert_eq!(cell("tags"), "A; B");
        assert_eq!(cell("source_url"), "https://example.org/a");
        assert_eq!(cell("places"), "Syria/Idlib");
    }
}

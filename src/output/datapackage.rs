//! `data/datapackage.json`: the exports described as a Frictionless Data Package (v1), for
//! data users and their tools (`frictionless validate`, CKAN, data portals). `reports.csv`
//! is a tabular resource whose schema is [`data::csv_columns`], the same list that writes
//! the CSV; the JSON files are described as files. Made from the settings alone, so it is
//! the same on every build of the same settings (no build time in it).

use serde::Serialize;

use super::data::{self, Cell, CsvColumn};
use super::{OutputError, Recording};
use crate::config::SiteConfig;
use crate::content::names::slugify;
use crate::license::License;
use crate::render::Urls;

/// The file written, under the site root.
pub const DATAPACKAGE_FILE: &str = "data/datapackage.json";

/// The package's `name` when the site title has no ASCII word to make one of.
const FALLBACK_NAME: &str = "incident-archive";

/// The package descriptor.
#[derive(Serialize)]
struct Package<'a> {
    profile: &'static str,
    name: String,
    title: &'a str,
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    homepage: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    licenses: Vec<LicenseEntry<'a>>,
    /// How to credit the archive: not a key of the specification, which allows others.
    #[serde(skip_serializing_if = "Option::is_none")]
    attribution: Option<&'a str>,
    resources: Vec<Resource>,
}

/// An entry of `licenses`: `name` is the SPDX id, `path` the licence's URL.
#[derive(Serialize)]
struct LicenseEntry<'a> {
    name: &'a str,
    path: &'a str,
    title: &'a str,
}

/// A file of `data/`.
#[derive(Serialize)]
struct Resource {
    name: &'static str,
    path: &'static str,
    profile: &'static str,
    title: &'static str,
    description: &'static str,
    format: &'static str,
    mediatype: &'static str,
    encoding: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dialect: Option<Dialect>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<Schema>,
}

/// How `reports.csv` is written (see [`super::exports::write_csv`]).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Dialect {
    delimiter: &'static str,
    line_terminator: &'static str,
    quote_char: &'static str,
    double_quote: bool,
    header: bool,
}

/// The Table Schema of `reports.csv`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Schema {
    fields: Vec<SchemaField>,
    missing_values: [&'static str; 1],
    primary_key: &'static str,
}

/// A column of the Table Schema.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SchemaField {
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    true_values: Option<[&'static str; 1]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    false_values: Option<[&'static str; 1]>,
    #[serde(skip_serializing_if = "Constraints::is_empty")]
    constraints: Constraints,
}

/// The constraints a column's cells meet.
#[derive(Serialize, Default)]
struct Constraints {
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    required: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unique: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    minimum: Option<u64>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    one_of: Option<&'static [&'static str]>,
}

impl Constraints {
    fn is_empty(&self) -> bool {
        !self.required && !self.unique && self.minimum.is_none() && self.one_of.is_none()
    }
}

impl SchemaField {
    /// The schema of `column`: the Table Schema type and constraints of what its cells
    /// hold.
    fn of(column: CsvColumn) -> SchemaField {
        let required = Constraints {
            required: true,
            ..Constraints::default()
        };
        let (kind, constraints) = match column.cell {
            Cell::Key => (
                "string",
                Constraints {
                    unique: true,
                    ..required
                },
            ),
            Cell::Text => ("string", required),
            Cell::OptionalText => ("string", Constraints::default()),
            Cell::OneOf { values, required } => (
                "string",
                Constraints {
                    required,
                    one_of: Some(values),
                    ..Constraints::default()
                },
            ),
            Cell::Date => ("date", required),
            Cell::Count => (
                "integer",
                Constraints {
                    minimum: Some(0),
                    ..Constraints::default()
                },
            ),
            Cell::Flag => ("boolean", required),
        };
        let flag = column.cell == Cell::Flag;
        SchemaField {
            name: column.name,
            kind,
            description: column.description,
            true_values: flag.then_some(["true"]),
            false_values: flag.then_some(["false"]),
            constraints,
        }
    }
}

/// A JSON file of `data/`, described.
const fn json_file(
    name: &'static str,
    path: &'static str,
    title: &'static str,
    description: &'static str,
) -> Resource {
    Resource {
        name,
        path,
        profile: "data-resource",
        title,
        description,
        format: "json",
        mediatype: "application/json",
        encoding: "utf-8",
        dialect: None,
        schema: None,
    }
}

/// The resources of the package, in the order of docs/data.md.
fn resources() -> Vec<Resource> {
    let csv = Resource {
        name: "reports-csv",
        path: "reports.csv",
        profile: "tabular-data-resource",
        title: "Reports (CSV)",
        description: "One row per published report, sorted by id: what data/reports.json \
            holds, flattened for spreadsheets. A text cell that starts with =, +, -, @, a tab \
            or a carriage return is prefixed with ', so that a spreadsheet never runs it.",
        format: "csv",
        mediatype: "text/csv",
        encoding: "utf-8",
        dialect: Some(Dialect {
            delimiter: ",",
            line_terminator: "\r\n",
            quote_char: "\"",
            double_quote: true,
            header: true,
        }),
        schema: Some(Schema {
            fields: data::csv_columns()
                .into_iter()
                .map(SchemaField::of)
                .collect(),
            missing_values: [""],
            primary_key: "id",
        }),
    };
    vec![
        json_file(
            "reports-json",
            "reports.json",
            "Reports",
            "Every published report, sorted by id, one record per line in a JSON array: its \
             dates, places with their own counts, totals, perpetrators, incident types, tags, \
             source and the links between accounts and translations (format v2).",
        ),
        csv,
        json_file(
            "places-json",
            "places.json",
            "Places",
            "Every node of the place tree, sorted by path, with its report count, its totals \
             (each report counted at most once) and the part of them no child place holds.",
        ),
        json_file(
            "dates-json",
            "dates.json",
            "Dates",
            "Every year, month and day with reports, in date order, with their totals.",
        ),
        json_file(
            "terms-json",
            "terms.json",
            "Terms",
            "Every perpetrator, incident type and tag, with its report count and totals (a \
             perpetrator's as the totals of reports naming it alone and with others).",
        ),
        Resource {
            mediatype: "application/geo+json",
            format: "geojson",
            ..json_file(
                "reports-geojson",
                "reports.geojson",
                "Report locations",
                "A GeoJSON FeatureCollection with one Point per report location, at the \
                 gazetteer's coordinates of the place or of its nearest ancestor that has \
                 some.",
            )
        },
    ]
}

/// The package `name` (lowercase ASCII letters, digits and `-`): the ASCII words of the
/// site's title.
fn package_name(title: &str) -> String {
    let slug = slugify(title);
    let words: Vec<&str> = slug
        .split('-')
        .filter(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric()))
        .collect();
    if words.is_empty() {
        FALLBACK_NAME.to_string()
    } else {
        words.join("-")
    }
}

/// The descriptor of the site with `config` published at `urls`, as JSON.
pub fn descriptor(config: &SiteConfig, urls: &Urls) -> String {
    let license: Option<&License> = config.rights.as_ref();
    let package = Package {
        profile: "data-package",
        name: package_name(&config.title),
        title: &config.title,
        description: &config.description,
        homepage: urls.is_absolute().then(|| urls.base_url.clone()),
        licenses: license
            .map(|l| LicenseEntry {
                name: &l.id,
                path: &l.url,
                title: &l.title,
            })
            .into_iter()
            .collect(),
        attribution: license.and_then(|l| l.attribution.as_deref()),
        resources: resources(),
    };
    let mut json = serde_json::to_string_pretty(&package).expect("the descriptor serializes");
    json.push('\n');
    json
}

/// Writes `data/datapackage.json`. Returns the number of files.
pub fn write_datapackage(
    config: &SiteConfig,
    urls: &Urls,
    writer: &Recording,
) -> Result<usize, OutputError> {
    writer.write(DATAPACKAGE_FILE, descriptor(config, urls).as_bytes())?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_csv_column_is_described_in_order() {
        let package: serde_json::Value =
            serde_json::from_str(&descriptor(&SiteConfig::default(), &Urls::new("/"))).unwrap();
        let csv = &package["resources"][1];
        assert_eq!(csv["path"], "reports.csv");
        let fields = csv["schema"]["fields"].as_array().unwrap();
        let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(names, data::csv_header());
        for f in fields {
            let description = f["description"].as_str().unwrap_or("");
            assert!(description.len() > 10, "{} is described", f["name"]);
        }
        assert!(package.get("licenses").is_none(), "no licence claimed");
        assert!(package.get("homepage").is_none(), "no host, no homepage");
    }

    #[test]
    fn the_name_is_made_of_the_titles_ascii_words() {
        assert_eq!(
            package_name("Syria Incident Archive"),
            "syria-incident-archive"
        );
        assert_eq!(package_name("أرشيف Idlib 2018"), "idlib-2018");
        assert_eq!(package_name("أرشيف الحوادث"), FALLBACK_NAME);
    }
}

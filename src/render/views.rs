//! What templates see: typed, serializable views of the archive. Every field is always
//! present (absent values are `null` or empty), so templates never hit an unknown field.

use serde::Serialize;
use tera::Value;

use super::cache::SiteInfo;
use super::i18n::Ui;
use super::links::SharedLinks;
use super::urls::Urls;
use crate::archive::{Archive, PlaceNode, TaxonomyKind};
use crate::content::report::{Fact, FactValue, iso_date};
use crate::content::{Counts, Field, Kind, Report, Status};

/// A named link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Text of the link.
    pub name: String,
    /// Where it goes (already prefixed with the base path).
    pub href: String,
}

/// One count, worded.
#[derive(Debug, Clone, Serialize)]
pub struct CountView {
    /// Field name: `killed`, `children`, …
    pub field: &'static str,
    /// `50`, `at least 50`, `12–20`.
    pub value: String,
    /// The source's own wording, when given.
    pub raw: Option<String>,
}

/// Counts as a list (display order) plus one sentence.
#[derive(Debug, Clone, Serialize)]
pub struct TotalsView {
    /// Each given field.
    pub counts: Vec<CountView>,
    /// `at least 50 killed, including 20 children; 10 injured` (empty when nothing is known).
    pub summary: String,
    /// Minimum killed (0 when unknown), for sorting.
    pub killed: u64,
    /// The killed count worded (`at least 86`, `12–20`), empty when unknown: a column of
    /// people killed shows it, never the bare minimum.
    pub killed_count: String,
}

impl TotalsView {
    /// Words `counts` in `ui`, with the `raw:` wordings where given.
    pub fn new(counts: &Counts, raw: &[(Field, String)], ui: Ui) -> Self {
        TotalsView {
            counts: counts
                .iter()
                .map(|(f, c)| CountView {
                    field: ui.field(f),
                    value: ui.count(c),
                    raw: raw.iter().find(|(rf, _)| *rf == f).map(|(_, w)| w.clone()),
                })
                .collect(),
            summary: ui.casualties(counts),
            killed: counts.get(Field::Killed).map_or(0, |c| c.min),
            killed_count: counts
                .get(Field::Killed)
                .map_or_else(String::new, |c| ui.count(c)),
        }
    }
}

/// Escapes text for HTML (content and quoted attributes).
pub fn escape(s: &str) -> String {
    let mut out = Vec::with_capacity(s.len());
    escape_into(s, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("escaping keeps UTF-8")
}

/// [`escape`] into a writer: the escape function of every template. Text between the five
/// special characters is written in one piece (Tera's own writes byte by byte, which was a
/// tenth of a build).
pub fn escape_into(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = s.as_bytes();
    let mut done = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[done..i])?;
        out.write_all(entity)?;
        done = i + 1;
    }
    out.write_all(&bytes[done..])
}

/// A row of an index: a child place, a month, a term…
#[derive(Debug, Clone, Serialize)]
pub struct IndexRow {
    /// Name shown.
    pub name: String,
    /// Second name (Arabic name of a place), when known.
    pub name_alt: Option<String>,
    /// Link to its page.
    pub href: String,
    /// How many reports its page lists.
    pub reports: usize,
    /// That number worded: `1 report`, `1,200 reports`, `11 تقريراً`.
    pub reports_label: String,
    /// Its totals.
    pub totals: TotalsView,
}

impl IndexRow {
    /// A row listing `reports` reports, worded in `ui`.
    pub fn new(
        (name, name_alt): (String, Option<String>),
        href: String,
        reports: usize,
        totals: TotalsView,
        ui: Ui,
    ) -> Self {
        IndexRow {
            name,
            name_alt,
            href,
            reports,
            reports_label: ui.reports(reports),
            totals,
        }
    }
}

/// Position in a paginated listing.
#[derive(Debug, Clone, Serialize)]
pub struct Pagination {
    /// 1-based page number.
    pub current: usize,
    /// Number of pages.
    pub total: usize,
    /// Link to the previous page.
    pub prev: Option<String>,
    /// Link to the next page.
    pub next: Option<String>,
    /// The numbered pages linked ([`super::pages::Paging::numbers`]), `None` for a gap.
    pub numbers: Vec<Option<PageNumber>>,
    /// The search for the listing's reports, when its pages do not show them all (it has
    /// more than `max_pages` pages of them).
    pub more: Option<String>,
}

/// A numbered page of a listing.
#[derive(Debug, Clone, Serialize)]
pub struct PageNumber {
    /// 1-based.
    pub number: usize,
    /// Link to it; `None` for the page it is shown on.
    pub href: Option<String>,
}

/// A report in a list (rendered once, reused on every listing).
#[derive(Debug, Clone, Serialize)]
pub struct ReportItem {
    /// Title.
    pub title: String,
    /// Link to the report page.
    pub href: String,
    /// Publication date, ISO.
    pub date: String,
    /// Period, worded with short month names: a report is listed about a dozen times, so
    /// list items carry only the title and the dates.
    pub period: String,
    /// `incident` or `summary`.
    pub kind: Kind,
    /// Status, when given.
    pub status: Option<Status>,
    /// Language of the title.
    pub lang: String,
    /// The title's direction, when the page's does not fit it: `rtl` or `ltr` for a title
    /// in a language written the other way, `auto` for one in a script its language
    /// contradicts (`language-mismatch`). Every title is isolated from the dates after it
    /// (`unicode-bidi: isolate` in the theme), so that an Arabic title does not pull the
    /// day of an English date across to its side.
    pub dir: Option<&'static str>,
    /// "updated 2 times": the incident has earlier accounts (format v2: the item is its
    /// current account).
    pub updated: Option<String>,
}

/// One location on a report page.
#[derive(Debug, Clone, Serialize)]
pub struct LocationView {
    /// Canonical path.
    pub path: String,
    /// The place and its ancestors, widest first, each linked.
    pub trail: Value,
    /// Arabic name of the place, when known.
    pub name_ar: Option<String>,
    /// The counts the report gives for this location alone.
    pub counts: TotalsView,
    /// Note.
    pub note: Option<String>,
}

/// A report page.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Publication date, ISO, and worded.
    pub date: String,
    /// Publication date, worded.
    pub date_label: String,
    /// Period start and end, ISO.
    pub period_start: String,
    /// Period end, ISO.
    pub period_end: String,
    /// Period, worded.
    pub period_label: String,
    /// `incident` or `summary`.
    pub kind: Kind,
    /// Status, when given.
    pub status: Option<Status>,
    /// Language tag.
    pub lang: String,
    /// `rtl` or `ltr`.
    pub dir: &'static str,
    /// The title and body are in a script the language contradicts (`language-mismatch`):
    /// the page marks them `dir="auto"`, so that they at least read in order.
    pub auto_dir: bool,
    /// Older and newer reports of the same place: (label, link) pairs.
    pub prev_next: Vec<Link>,
    /// Locations.
    pub locations: Vec<LocationView>,
    /// The report's totals.
    pub casualties: TotalsView,
    /// Perpetrators, linked.
    pub perpetrators: Vec<Value>,
    /// Incident types, linked.
    pub incident_types: Vec<Value>,
    /// Tags, linked.
    pub tags: Vec<Value>,
    /// Source name.
    pub source_name: Option<String>,
    /// Source URL.
    pub source_url: Option<String>,
    /// Archived copy of the source.
    pub source_archive_url: Option<String>,
    /// The facts [`Report::facts`] gives, worded.
    pub facts: Vec<FactView>,
    /// Date pages linked for its period: its days, or its months when it is longer than a
    /// month.
    pub listed_on: Vec<Value>,
    /// Rendered, sanitized body.
    pub body: String,
    /// Permanent absolute URL of the page (root-relative when the base URL has no host).
    pub permalink: String,
    /// Who publishes the archive (the site title), for citations.
    pub publisher: String,
    /// schema.org JSON-LD, safe to place inside `<script>`.
    pub json_ld: String,
    /// Of a superseded account (or its translation), the incident's current account.
    pub superseded_by: Option<Link>,
    /// Of an incident's current account (and its translations), every account, oldest
    /// first, when there are several.
    pub history: Vec<HistoryRow>,
    /// The same report in other languages (the original and its translations).
    pub alternates: Vec<Alternate>,
    /// Of a translation, its original.
    pub translation_of: Option<Link>,
}

/// One account in an incident's history.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryRow {
    /// Publication date, ISO.
    pub date: String,
    /// Publication date, worded.
    pub date_label: String,
    /// The account, linked (none for the page's own).
    pub title: String,
    /// Link to its page; `None` on its own page.
    pub href: Option<String>,
    /// Language of the title.
    pub lang: String,
    /// Who published it.
    pub source: Option<String>,
    /// Each count it gives, worded.
    pub casualties: String,
    /// True for the current account (the one counted).
    pub current: bool,
}

/// The same report in another language.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// BCP-47 tag.
    pub lang: String,
    /// The language's name in itself (`العربية`).
    pub name: String,
    /// Absolute link (root-relative when the base URL has no host).
    pub href: String,
}

/// A fact of a report's page, worded in the page's language.
#[derive(Debug, Clone, Serialize)]
pub struct FactView {
    /// Its label.
    pub label: &'static str,
    /// Its value.
    pub value: String,
}

impl FactView {
    fn new(fact: &Fact, ui: Ui) -> FactView {
        let value = match &fact.value {
            FactValue::Explained { term, explanation } => {
                [ui.get(term), " (", ui.get(explanation), ")"].concat()
            }
            FactValue::Count(count) => ui.count(*count),
            FactValue::Text(text) => text.clone(),
        };
        FactView {
            label: ui.get(fact.label),
            value,
        }
    }
}

/// Row for a place.
pub fn place_row(urls: &Urls, archive: &Archive, node: &PlaceNode, ui: Ui) -> IndexRow {
    IndexRow::new(
        (node.name.clone(), name_ar(archive, &node.path)),
        urls.href(&Urls::place(&node.slug_path)),
        node.reports.len(),
        TotalsView::new(&node.totals, &[], ui),
        ui,
    )
}

fn name_ar(archive: &Archive, path: &str) -> Option<String> {
    archive.gazetteer.as_ref()?.get(path)?.name_ar.clone()
}

/// The list item of `report`, the current account of an incident with `earlier` accounts
/// before it (or its translation in the site's language).
pub fn report_item(
    urls: &Urls,
    report: &Report,
    earlier: usize,
    ui: Ui,
    page_dir: &str,
) -> ReportItem {
    ReportItem {
        dir: Some(text_dir(report)).filter(|dir| *dir != page_dir),
        updated: (earlier > 0).then(|| ui.updated_times(earlier)),
        title: report.title.clone(),
        href: urls.href(&Urls::report(&report.id)),
        date: iso_date(report.date),
        period: ui.period_short(report.period),
        kind: report.kind,
        status: report.status,
        lang: report.lang.clone(),
    }
}

/// The direction of `report`'s title and body: `auto` when their script contradicts its
/// language (a `language-mismatch` warning), else its language's.
pub fn text_dir(report: &Report) -> &'static str {
    if report.lang_contradicted {
        "auto"
    } else if report.is_rtl() {
        "rtl"
    } else {
        "ltr"
    }
}

/// Links to the terms of `kind` given by `report`.
fn term_links(links: &SharedLinks, kind: TaxonomyKind, report: &Report) -> Vec<Value> {
    kind.values(report)
        .iter()
        .map(|v| links.term(kind, v))
        .collect()
}

/// The page view of `report`, with its body already rendered.
pub fn report_view(
    urls: &Urls,
    links: &SharedLinks,
    archive: &Archive,
    report: &Report,
    body: String,
    site: &SiteInfo,
    ui: Ui,
) -> ReportView {
    let publisher = site.title.as_str();
    let (start, end) = report.period;
    let locations: Vec<LocationView> = report
        .locations
        .iter()
        .map(|l| LocationView {
            path: l.path.clone(),
            trail: links.trail(archive, &l.path),
            name_ar: name_ar(archive, &l.path),
            counts: TotalsView::new(&l.counts, &l.raw, ui),
            note: l.note.clone(),
        })
        .collect();
    let source = report.source.clone().unwrap_or_default();
    let permalink = urls.absolute(&Urls::report(&report.id));
    let json_ld = json_ld(archive, report, site);
    ReportView {
        id: report.id.clone(),
        title: report.title.clone(),
        date: iso_date(report.date),
        date_label: ui.date(report.date),
        period_start: iso_date(start),
        period_end: iso_date(end),
        period_label: ui.period(report.period),
        kind: report.kind,
        status: report.status,
        lang: report.lang.clone(),
        dir: if report.is_rtl() { "rtl" } else { "ltr" },
        auto_dir: report.lang_contradicted,
        prev_next: Vec::new(),
        locations,
        casualties: TotalsView::new(&report.casualties, &report.casualties_raw, ui),
        perpetrators: term_links(links, TaxonomyKind::Perpetrators, report),
        incident_types: term_links(links, TaxonomyKind::IncidentTypes, report),
        tags: term_links(links, TaxonomyKind::Tags, report),
        source_name: source.name,
        source_url: source.url,
        source_archive_url: source.archive_url,
        facts: report
            .facts()
            .iter()
            .map(|f| FactView::new(f, ui))
            .collect(),
        listed_on: links.listed_on(archive, report.period, ui),
        body,
        permalink,
        publisher: publisher.to_string(),
        json_ld,
        superseded_by: None,
        history: Vec::new(),
        alternates: Vec::new(),
        translation_of: None,
    }
}

/// schema.org `Report` (`json_ld`), its keys in the order written.
#[derive(Serialize)]
struct JsonLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    /// How to credit the archive, when it says.
    #[serde(rename = "creditText", skip_serializing_if = "Option::is_none")]
    credit_text: Option<&'a str>,
    #[serde(rename = "datePublished")]
    date_published: String,
    #[serde(rename = "isBasedOn", skip_serializing_if = "Option::is_none")]
    is_based_on: Option<&'a str>,
    /// The URL of the archive's licence, when it states one.
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    name: &'a str,
    publisher: Typed<'a>,
    #[serde(rename = "spatialCoverage")]
    spatial_coverage: Vec<PlaceLd<'a>>,
    #[serde(rename = "temporalCoverage")]
    temporal_coverage: String,
}

/// `{"@type": …, "name": …}`
#[derive(Serialize)]
struct Typed<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
struct PlaceLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo: Option<GeoLd>,
    name: &'a str,
}

#[derive(Serialize)]
struct GeoLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    latitude: f64,
    longitude: f64,
}

/// schema.org `Report` for search engines and reference managers. `<`, `>` and `&` are
/// written as `\u003c`, `\u003e`, `\u0026`, so no value can close the `<script>` element.
fn json_ld(archive: &Archive, report: &Report, site: &SiteInfo) -> String {
    let (start, end) = report.period;
    let license = site.license.as_ref();
    let value = JsonLd {
        context: "https://schema.org",
        kind: "Report",
        credit_text: license.and_then(|l| l.attribution.as_deref()),
        date_published: iso_date(report.date),
        is_based_on: report.source.as_ref().and_then(|s| s.url.as_deref()),
        license: license.map(|l| l.url.as_str()),
        name: &report.title,
        publisher: Typed {
            kind: "Organization",
            name: &site.title,
        },
        spatial_coverage: report
            .locations
            .iter()
            .map(|l| PlaceLd {
                kind: "Place",
                geo: archive
                    .gazetteer
                    .as_ref()
                    .and_then(|g| g.get(&l.path))
                    .and_then(|p| p.coordinates)
                    .map(|(latitude, longitude)| GeoLd {
                        kind: "GeoCoordinates",
                        latitude,
                        longitude,
                    }),
                name: &l.path,
            })
            .collect(),
        temporal_coverage: if start == end {
            iso_date(start)
        } else {
            [iso_date(start), iso_date(end)].join("/")
        },
    };
    let json = serde_json::to_string(&value).expect("JSON-LD serializes");
    if !json.contains(['<', '>', '&']) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Count;

    #[test]
    fn facts_are_worded_in_the_page_language() {
        let word = |value: FactValue, ui: Ui| {
            let v = FactView::new(
                &Fact {
                    label: "kind",
                    value,
                },
                ui,
            );
            (v.label, v.value)
        };
        let explained = || FactValue::Explained {
            term: "summary",
            explanation: "summary_note",
        };
        assert_eq!(
            word(explained(), Ui::En),
            ("Kind", "summary (listed, not added to totals)".to_string())
        );
        assert_eq!(word(explained(), Ui::Ar).0, Ui::Ar.get("kind"));
        let range = Count {
            min: 10,
            max: Some(15),
        };
        assert_eq!(word(FactValue::Count(range), Ui::En).1, "10–15");
        assert_eq!(
            word(FactValue::Count(Count { min: 4, max: None }), Ui::En).1,
            Ui::En.count(Count { min: 4, max: None })
        );
        assert_eq!(
            word(FactValue::Text("as written".into()), Ui::En).1,
            "as written"
        );
    }
}

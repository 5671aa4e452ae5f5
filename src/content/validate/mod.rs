//! Every rule of report format v1 for one file: as-written front matter in, a resolved
//! [`Report`] and the problems found out. Each concern has its checker (dates and id,
//! language, source, locations, counts, terms, the evidence warning), returning its typed
//! piece; [`parse_report`] composes them, in the order their problems are reported. Rules
//! that need the whole archive (unique ids, links between reports, spellings of one place)
//! are in [`super::crosscheck`].

mod accounts;
mod checker;
mod counts;
mod dates;
mod evidence;
mod labels;
mod language;
mod page;
mod places;
mod read;
mod source;
mod terms;

use std::sync::Arc;

use super::diagnostics::Diagnostic;
use super::gazetteer::Gazetteer;
use super::links;
use super::raw::REPORT_KEYS;
use super::report::{FrontMatterText, Report, ReportLink};
use super::vocabulary::Vocabulary;

pub use checker::MAX_SLUG_BYTES;
pub(crate) use checker::Positions;
pub use dates::{is_valid_id, parse_date};
pub use page::{ParsedPage, parse_page};
pub use source::is_http_url;

/// What parsing one report needs besides its text.
pub struct Context<'a> {
    /// The gazetteer, when the site has one.
    pub gazetteer: Option<&'a Gazetteer>,
    /// The language of reports that do not say.
    pub default_lang: &'a str,
    /// Languages the interface has strings for.
    pub ui_languages: &'a [&'a str],
    /// The vocabulary of perpetrators and incident types, when the site has one.
    pub vocabulary: Option<&'a Vocabulary>,
}

/// What is known of one file after parsing it.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The report, when the file has no errors (shared: a preview's cache and the model
    /// hold the same one).
    pub report: Option<Arc<Report>>,
    /// Its id and links, whenever the front matter could be read (for archive-wide rules).
    pub identity: Option<Identity>,
    /// Every problem found in the file.
    pub problems: Vec<Diagnostic>,
}

/// What archive-wide rules need of a file, valid or not.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The file, relative to the site root.
    pub file: String,
    /// Its report id (from `id:` or the file name).
    pub id: String,
    /// Where `id:` is written, when it is.
    pub id_position: Option<(usize, usize)>,
    /// `draft: true`
    pub draft: bool,
    /// Links to other reports' files in its body.
    pub links: Vec<links::FoundLink>,
    /// Other destinations on the site in its body (`/images/map.png`), to be checked
    /// against the files the site publishes.
    pub files: Vec<links::FoundFile>,
    /// `updates:`, with where its value is written.
    pub updates: Option<Reference>,
    /// `translation_of:`, with where its value is written.
    pub translation_of: Option<Reference>,
}

/// A report id named by another report's front matter (`updates`, `translation_of`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The id named.
    pub id: String,
    /// Where it is written in the file.
    pub position: (usize, usize),
}

/// Parses and checks one report file. Returns the report when it has no errors, and every
/// problem found either way.
pub fn parse_report(file: &str, text: &str, ctx: &Context) -> Parsed {
    let (split, mut c, raw) = match read::read::<super::raw::RawReport>(file, text) {
        Ok(read) => read,
        Err(problems) => {
            return Parsed {
                report: None,
                identity: None,
                problems,
            };
        }
    };
    c.unknown_keys("", &raw.unknown, REPORT_KEYS);
    let labels = labels::labels(&mut c, &raw);
    let dates = dates::dates(&mut c, &raw);
    let id = dates::id(&mut c, &raw);
    let accounts = accounts::accounts(&mut c, &raw, &id);
    let lang = language::language(&mut c, raw.lang.as_deref(), ctx);
    let lang_contradicted =
        language::contradicted(&mut c, raw.lang.as_deref(), &lang, labels.title, split.body);
    let source = source::source(&mut c, &raw.source);
    // A translation may leave its places to its original.
    let locations = match (&raw.locations, &accounts.translation_of) {
        (None, Some(_)) => Vec::new(),
        (written, _) => places::locations(&mut c, written, ctx.gazetteer),
    };
    let totals = counts::totals(&mut c, &raw.casualties, &locations);
    let terms = terms::terms(&mut c, &raw, ctx.vocabulary);
    if accounts.translation_of.is_none() {
        evidence::evidence(&mut c, labels.kind, &totals.casualties, &source);
    }
    let mut reference = |key: &str, id: &Option<String>| {
        id.as_ref().map(|id| Reference {
            id: id.clone(),
            position: match top_level_value(split.yaml, key) {
                Some(p) => c.pos.shift(p),
                None => c.pos.value(key),
            },
        })
    };
    let updates = reference("updates", &accounts.updates);
    let translation_of = reference("translation_of", &accounts.translation_of);

    let found = links::find(split.body, split.body_line, file);
    let identity = Identity {
        file: file.to_string(),
        id_position: raw
            .id
            .as_ref()
            .map(|_| top_level_value(split.yaml, "id").map_or((1, 1), |p| c.pos.shift(p))),
        id: id.clone(),
        draft: raw.draft.unwrap_or(false),
        links: found.links,
        files: found.files,
        updates,
        translation_of,
    };
    c.problems
        .extend(super::html::check(split.body, split.body_line, file));
    c.problems.extend(super::text::body_problems(
        split.body,
        split.body_line,
        file,
    ));
    let (Some(date), Some(period)) = (dates.date, dates.period) else {
        return Parsed {
            report: None,
            identity: Some(identity),
            problems: c.problems,
        };
    };
    if c.problems.iter().any(Diagnostic::is_error) {
        return Parsed {
            report: None,
            identity: Some(identity),
            problems: c.problems,
        };
    }
    let links = identity
        .links
        .iter()
        .map(|l| ReportLink {
            dest: l.dest.clone(),
            target_file: l.target_file.clone(),
            target: String::new(),
            position: l.position,
        })
        .collect();
    let report = Report {
        id,
        file: file.to_string(),
        title: labels.title.to_string(),
        date,
        period,
        kind: labels.kind,
        status: labels.status,
        lang,
        lang_contradicted,
        source,
        locations,
        casualties: totals.casualties,
        casualties_raw: totals.casualties_raw,
        perpetrators: terms.perpetrators,
        incident_types: terms.incident_types,
        tags: terms.tags,
        draft: raw.draft.unwrap_or(false),
        updates: accounts.updates,
        translation_of: accounts.translation_of,
        restated: accounts.restated,
        links,
        body: split.body.to_string(),
        // The archive-wide checks point into the front matter after this (`crosscheck`):
        // often, for place spellings, only without a gazetteer; a look-alike term (rare)
        // reads the file again instead.
        front_matter: ctx.gazetteer.is_none().then(|| FrontMatterText {
            yaml: split.yaml.to_string(),
            first_line: split.yaml_line,
        }),
    };
    Parsed {
        report: Some(Arc::new(report)),
        identity: Some(identity),
        problems: c.problems,
    }
}

/// Position of the value of top-level `key` when written in block style (`id: x` at the
/// start of a line): a cheap scan, for rules that need it on valid files too.
fn top_level_value(yaml: &str, key: &str) -> Option<(usize, usize)> {
    yaml.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        let value_col = key.len() + 2 + (rest.len() - rest.trim_start().len());
        Some((i + 1, value_col))
    })
}

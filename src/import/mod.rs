//! `sijill import`: rows of a dataset (an ACLED or UCDP GED export, or sijill's own
//! `data/reports.csv`) turned into report files that pass `check`.
//!
//! Each event is one file, `content/reports/imported/<dataset>/<id>.md`, its id made of
//! the dataset's event id, so a newer export rewrites the same files; a file is rewritten
//! only when its bytes change and only when an import wrote it (the first line of its
//! front matter says so). Places the gazetteer lacks and perpetrators and incident types
//! the vocabulary lacks are appended to them. A row that cannot be imported is reported at
//! its line and skipped whole; everything else is written file by file, each appearing
//! whole. The mapping of each dataset is in docs/import.md.

mod acled;
mod event;
mod files;
mod places;
mod sijill;
mod table;
mod terms;
mod text;
mod ucdp;
mod writer;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::FastMap;
use crate::config::SiteConfig;
use crate::content::validate::{self, Context};
use crate::content::{
    self, ContentError, Diagnostic, GAZETTEER_FILE, Gazetteer, VOCABULARY_FILE, Vocabulary,
};
use crate::pipeline::{UI_LANGUAGES, load_options};

pub use event::{Event, PlaceRef, RowProblem, Written};
use files::Before;
use places::Places;
use table::{Next, Row, Table};
use terms::Terms;

/// The datasets `sijill import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dataset {
    /// An ACLED export.
    Acled,
    /// A UCDP GED export.
    Ucdp,
    /// sijill's own `data/reports.csv`.
    Sijill,
}

impl Dataset {
    /// The name used in `--from`, in ids and in the folder of the files.
    pub fn name(self) -> &'static str {
        match self {
            Dataset::Acled => "acled",
            Dataset::Ucdp => "ucdp",
            Dataset::Sijill => "sijill",
        }
    }

    fn required(self) -> &'static [&'static str] {
        match self {
            Dataset::Acled => acled::REQUIRED,
            Dataset::Ucdp => ucdp::REQUIRED,
            Dataset::Sijill => sijill::REQUIRED,
        }
    }

    fn event(self, row: &Row) -> Result<Event, RowProblem> {
        match self {
            Dataset::Acled => acled::event(row),
            Dataset::Ucdp => ucdp::event(row),
            Dataset::Sijill => sijill::event(row),
        }
    }

    /// The folder of the files of this dataset, from the site root.
    pub fn folder(self) -> String {
        format!("content/reports/imported/{}", self.name())
    }
}

/// Told how far an import is: `(stage, done, total)`, the stage `"reading"` (bytes of the
/// file), `"checking"` (reports) or `"writing"` (files). The command line draws a bar with it on a terminal.
#[derive(Clone)]
pub struct ImportProgress(pub Arc<dyn Fn(&'static str, u64, u64) + Send + Sync>);

/// What to import, and where.
pub struct ImportOptions {
    /// The site's root folder.
    pub root: PathBuf,
    /// What the file is.
    pub dataset: Dataset,
    /// The CSV file.
    pub file: PathBuf,
    /// Say what would be written, write nothing.
    pub dry_run: bool,
    /// Told how far the import is.
    pub progress: Option<ImportProgress>,
}

impl ImportOptions {
    /// Tells the caller how far the import is, when it asked.
    fn progress(&self, stage: &'static str, done: u64, total: u64) {
        if let Some(p) = &self.progress {
            (p.0)(stage, done, total);
        }
    }
}

/// What became of a report file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A new file.
    Added,
    /// An earlier import's file, rewritten.
    Changed,
    /// An earlier import's file, already as it would be written.
    Unchanged,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Default)]
pub struct ImportSummary {
    /// Rows read (the header not counted).
    pub rows: usize,
    /// Files added.
    pub added: usize,
    /// Files rewritten.
    pub changed: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Rows not imported (each has an error in `diagnostics`).
    pub skipped: usize,
    /// The files added or changed, from the site root, with what became of each.
    pub files: Vec<(String, Outcome)>,
    /// Places added to the gazetteer.
    pub places_added: Vec<String>,
    /// Perpetrators and incident types added to the vocabulary, by key.
    pub terms_added: Vec<(&'static str, String)>,
    /// Rows skipped (errors) and odd rows imported (warnings), at their lines.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why an import could not run at all (nothing is written then).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The CSV file could not be read.
    #[error("cannot read {file}: {source}")]
    Read {
        /// The file.
        file: String,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The CSV file is not CSV.
    #[error("cannot read {file} as CSV: {message}")]
    Csv {
        /// The file.
        file: String,
        /// The reader's reason.
        message: String,
    },
    /// The header lacks columns the dataset needs.
    #[error(
        "{file}:1: error: the header has no column {}; is this the right --from? (nothing was written)",
        .missing.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
    )]
    MissingColumns {
        /// The file.
        file: String,
        /// The columns missing.
        missing: Vec<String>,
    },
    /// `site.yaml` is invalid.
    #[error("{}:{}:{}: {}", .0.file, .0.line, .0.column, .0.message)]
    Config(Diagnostic),
    /// The archive's `content/` cannot be read.
    #[error(transparent)]
    Content(#[from] ContentError),
    /// The vocabulary cannot take new entries as written.
    #[error("{VOCABULARY_FILE}: {0} (nothing was written)")]
    Vocabulary(String),
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
}

/// One row that made an event, and where its file goes.
struct Candidate {
    line: u64,
    event: Event,
    /// The file, from the site root.
    file: String,
}

impl ImportSummary {
    /// Records row `line` of `file` as skipped for `problem`.
    fn skip(&mut self, file: &str, line: u64, problem: RowProblem) {
        self.skip_at(file, (line, 1), problem);
    }

    /// Records the row of `file` with a problem at `(line, column)` as skipped.
    fn skip_at(&mut self, file: &str, at: (u64, usize), problem: RowProblem) {
        self.skip_all(file, at, std::iter::once(problem));
    }

    /// Records the row of `file` at `(line, column)` as skipped, for every one of
    /// `problems`.
    fn skip_all(
        &mut self,
        file: &str,
        (line, column): (u64, usize),
        problems: impl Iterator<Item = RowProblem>,
    ) {
        self.skipped += 1;
        for problem in problems {
            self.diagnostics.push(
                Diagnostic::error(
                    file,
                    (line as usize, column),
                    problem.code,
                    format!("row skipped: {}", problem.message),
                )
                .with_help(problem.help),
            );
        }
    }
}

/// Imports `options.file` into the site at `options.root`.
pub fn import(options: &ImportOptions) -> Result<ImportSummary, ImportError> {
    let root = &options.root;
    let config = SiteConfig::load(root).map_err(ImportError::Config)?;
    let file = options.file.display().to_string();
    let mut summary = ImportSummary::default();
    let events = read_events(options, &file, &mut summary)?;
    let archive = if root.join("content").is_dir() {
        content::load(root, &load_options(&config))?
    } else {
        content::Content::default()
    };
    let candidates = candidates(root, options.dataset, events, &archive, &file, &mut summary)?;
    let prepared = prepare(options, &config, &archive, &candidates, &file, &mut summary)?;
    let writes = writes(root, &candidates, prepared, &mut summary);
    if !options.dry_run {
        let total = writes.len() as u64;
        for (n, (path, bytes)) in writes.iter().enumerate() {
            files::write_atomically(path, bytes).map_err(|source| ImportError::Write {
                path: path.clone(),
                source,
            })?;
            options.progress("writing", n as u64 + 1, total);
        }
    }
    content::diagnostics::sort(&mut summary.diagnostics);
    Ok(summary)
}

/// Reads every row of the file into an event, with the line it starts on; a row that
/// cannot be one is recorded in `summary` and left out.
fn read_events(
    options: &ImportOptions,
    file: &str,
    summary: &mut ImportSummary,
) -> Result<Vec<(u64, Event)>, ImportError> {
    let dataset = options.dataset;
    let mut table = Table::open(&options.file, file, dataset.required())?;
    let mut events: Vec<(u64, Event)> = Vec::new();
    let mut first_line: FastMap<String, u64> = FastMap::default();
    loop {
        options.progress("reading", table.position(), table.bytes);
        let (line, made) = match table.next(file)? {
            Next::End => break,
            Next::Unreadable(at, problem) => (at.0, Err((at, problem))),
            Next::Row(row) => {
                let made = dataset.event(&row).map_err(|problem| {
                    let at = problem
                        .column
                        .as_deref()
                        .map_or((row.line, 1), |c| row.position_of(c));
                    (at, problem)
                });
                (row.line, made)
            }
        };
        summary.rows += 1;
        let event = match made {
            Ok(event) => event,
            Err((at, problem)) => {
                summary.skip_at(file, at, problem);
                continue;
            }
        };
        if let Some(first) = first_line.get(&event.id) {
            let problem = RowProblem::new(
                "import-duplicate-event",
                format!("event `{}` is also on line {first}", event.source_id),
                "an export lists each event once: remove one of the two rows",
            );
            summary.skip(file, line, problem);
            continue;
        }
        first_line.insert(event.id.clone(), line);
        for w in &event.warnings {
            summary.diagnostics.push(
                Diagnostic::warning(file, (line as usize, 1), w.code, &w.message)
                    .with_help(&w.help),
            );
        }
        events.push((line, event));
    }
    options.progress("reading", table.bytes, table.bytes);
    Ok(events)
}

/// The files to write (the gazetteer and the vocabulary first, then the reports that are
/// new or differ from their file), counted into `summary`.
fn writes(
    root: &Path,
    candidates: &[Candidate],
    prepared: Prepared,
    summary: &mut ImportSummary,
) -> Vec<(PathBuf, Vec<u8>)> {
    let mut writes: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for (settings_file, text) in [
        (GAZETTEER_FILE, prepared.gazetteer),
        (VOCABULARY_FILE, prepared.vocabulary),
    ] {
        if let Some(text) = text {
            writes.push((root.join(settings_file), text.into_bytes()));
        }
    }
    for (c, text) in candidates.iter().zip(prepared.texts) {
        let Some(text) = text else { continue };
        let path = root.join(&c.file);
        let outcome = match fs::read(&path) {
            Ok(old) if old == text.as_bytes() => Outcome::Unchanged,
            Ok(_) => Outcome::Changed,
            Err(_) => Outcome::Added,
        };
        match outcome {
            Outcome::Added => summary.added += 1,
            Outcome::Changed => summary.changed += 1,
            Outcome::Unchanged => {
                summary.unchanged += 1;
                continue;
            }
        }
        summary.files.push((c.file.clone(), outcome));
        writes.push((path, text.into_bytes()));
    }
    summary.places_added = prepared.places;
    summary.terms_added = prepared.terms;
    writes
}

/// The events whose file may be written: not one someone else wrote, and not an id
/// another report of the archive has.
fn candidates(
    root: &Path,
    dataset: Dataset,
    events: Vec<(u64, Event)>,
    archive: &content::Content,
    file: &str,
    summary: &mut ImportSummary,
) -> Result<Vec<Candidate>, ImportError> {
    let ids: FastMap<&str, &str> = archive
        .reports
        .iter()
        .map(|r| (r.id.as_str(), r.file.as_str()))
        .collect();
    let folder = dataset.folder();
    let mut candidates = Vec::with_capacity(events.len());
    for (line, event) in events {
        let target = format!("{folder}/{}.md", event.id);
        if let Some(other) = ids.get(event.id.as_str()).filter(|f| **f != target) {
            let problem = RowProblem::new(
                "import-id-taken",
                format!("the report id `{}` is already the id of {other}", event.id),
                format!("give {other} another id, or leave this event out of the file"),
            );
            summary.skip(file, line, problem);
            continue;
        }
        let before = files::before(&root.join(&target)).map_err(|source| ImportError::Read {
            file: target.clone(),
            source,
        })?;
        if before == Before::Foreign {
            let problem = RowProblem::new(
                "import-foreign-file",
                format!("{target} exists and was not written by `sijill import`"),
                format!("move {target} elsewhere (it is never overwritten), then import again"),
            );
            summary.skip(file, line, problem);
            continue;
        }
        candidates.push(Candidate {
            line,
            event,
            file: target,
        });
    }
    Ok(candidates)
}

/// What an import writes: the gazetteer's and the vocabulary's new texts (when they
/// change), and the text of each candidate's file (`None` for a row skipped).
struct Prepared {
    gazetteer: Option<String>,
    vocabulary: Option<String>,
    texts: Vec<Option<String>>,
    places: Vec<String>,
    terms: Vec<(&'static str, String)>,
}

/// Makes every candidate's places and terms canonical (adding what the gazetteer and the
/// vocabulary lack) and checks its file as `check` would. A row that fails is skipped,
/// and the additions are made again without it, until every row left passes: nothing is
/// added for a row that is not written.
fn prepare(
    options: &ImportOptions,
    config: &SiteConfig,
    archive: &content::Content,
    candidates: &[Candidate],
    file: &str,
    summary: &mut ImportSummary,
) -> Result<Prepared, ImportError> {
    let (root, dataset) = (&options.root, options.dataset);
    let read = |name: &str| fs::read_to_string(root.join(name)).ok();
    let (gazetteer_text, vocabulary_text) = (read(GAZETTEER_FILE), read(VOCABULARY_FILE));
    let mut skipped = vec![false; candidates.len()];
    loop {
        let mut again = false;
        let mut places = Places::new(archive.gazetteer.as_ref());
        if archive.gazetteer.is_none() {
            // The places the archive's reports use become entries too, or they would
            // stop resolving once the gazetteer exists.
            for r in &archive.reports {
                for l in &r.locations {
                    let segments = l.path.split('/').map(str::to_string).collect();
                    let _ = places.resolve(&PlaceRef {
                        segments,
                        coordinates: None,
                    });
                }
            }
        }
        let mut terms = Terms::new(archive.vocabulary.as_ref(), &archive.reports);
        let mut resolved: Vec<Option<Event>> = Vec::with_capacity(candidates.len());
        for (c, skip) in candidates.iter().zip(&mut skipped) {
            if *skip {
                resolved.push(None);
                continue;
            }
            match canonical(&c.event, &mut places, &mut terms) {
                Ok(event) => resolved.push(Some(event)),
                Err(problem) => {
                    summary.skip(file, c.line, problem);
                    *skip = true;
                    again = true;
                    resolved.push(None);
                }
            }
        }
        if again {
            continue;
        }
        let gazetteer_new = places.appended(gazetteer_text.as_deref(), dataset.name());
        let vocabulary_new = terms
            .appended(vocabulary_text.as_deref(), dataset.name())
            .map_err(ImportError::Vocabulary)?;
        let gazetteer = match &gazetteer_new {
            Some(text) => Some(Gazetteer::parse(without_bom(text), GAZETTEER_FILE).0),
            None => archive.gazetteer.clone(),
        };
        let vocabulary = match &vocabulary_new {
            Some(text) => Some(Vocabulary::parse(without_bom(text), VOCABULARY_FILE).0),
            None => archive.vocabulary.clone(),
        };
        let context = Context {
            gazetteer: gazetteer.as_ref(),
            default_lang: &config.language,
            ui_languages: UI_LANGUAGES,
            vocabulary: vocabulary.as_ref(),
        };
        let done = std::sync::atomic::AtomicU64::new(0);
        let total = candidates.len() as u64;
        let checked: Vec<Option<(String, Vec<Diagnostic>)>> = resolved
            .par_iter()
            .zip(candidates)
            .map(|(event, c)| {
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n.is_multiple_of(256) {
                    options.progress("checking", n, total);
                }
                let text = writer::report_text(event.as_ref()?, dataset.name());
                let errors = validate::parse_report(&c.file, &text, &context)
                    .problems
                    .into_iter()
                    .filter(Diagnostic::is_error)
                    .collect();
                Some((text, errors))
            })
            .collect();
        let mut texts = Vec::with_capacity(candidates.len());
        for ((c, skip), made) in candidates.iter().zip(&mut skipped).zip(checked) {
            match made {
                Some((_, errors)) if !errors.is_empty() => {
                    let problems = errors.into_iter().map(|e| {
                        RowProblem::new(
                            e.code,
                            format!("its report would not pass `check`: {}", e.message),
                            e.help.unwrap_or_else(|| "correct the row".to_string()),
                        )
                    });
                    summary.skip_all(file, (c.line, 1), problems);
                    *skip = true;
                    again = true;
                    texts.push(None);
                }
                Some((text, _)) => texts.push(Some(text)),
                None => texts.push(None),
            }
        }
        if !again {
            again = dangling_references(archive, candidates, &mut skipped, file, summary);
        }
        if !again {
            return Ok(Prepared {
                gazetteer: gazetteer_new,
                vocabulary: vocabulary_new,
                texts,
                places: places.added.into_iter().map(|p| p.path).collect(),
                terms: terms.added().map(|(k, n)| (k, n.to_string())).collect(),
            });
        }
    }
}

/// Skips the rows whose report names (`updates`, `translation_of`) a report that is
/// neither in the archive nor written by this import (its row skipped, say): `check`
/// would refuse it. True when any row was skipped.
fn dangling_references(
    archive: &content::Content,
    candidates: &[Candidate],
    skipped: &mut [bool],
    file: &str,
    summary: &mut ImportSummary,
) -> bool {
    let mut ids: crate::FastSet<&str> = archive.reports.iter().map(|r| r.id.as_str()).collect();
    ids.extend(
        candidates
            .iter()
            .zip(skipped.iter())
            .filter(|(_, skip)| !**skip)
            .map(|(c, _)| c.event.id.as_str()),
    );
    let mut any = false;
    for (c, skip) in candidates.iter().zip(skipped.iter_mut()) {
        if *skip {
            continue;
        }
        let references = [
            ("updates", &c.event.updates),
            ("translation_of", &c.event.translation_of),
        ];
        for (key, id) in references {
            if let Some(id) = id.as_deref().filter(|id| !ids.contains(id)) {
                let problem = RowProblem::new(
                    "import-unknown-report",
                    format!("`{key}` names `{id}`, a report neither in the archive nor imported"),
                    format!("import the row of `{id}` too (or correct it if it was skipped)"),
                );
                summary.skip(file, c.line, problem);
                *skip = true;
                any = true;
                break;
            }
        }
    }
    any
}

fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// `event` with canonical places and terms.
fn canonical(event: &Event, places: &mut Places, terms: &mut Terms) -> Result<Event, RowProblem> {
    let mut e = event.clone();
    for p in &mut e.places {
        let path = places.resolve(p)?;
        p.segments = path.split('/').map(str::to_string).collect();
    }
    for (key, values) in [
        ("perpetrators", &mut e.perpetrators),
        ("incident_types", &mut e.incident_types),
    ] {
        let mut canonical: Vec<String> = Vec::with_capacity(values.len());
        for v in values.iter() {
            let name = terms.resolve(key, v)?;
            if !canonical.contains(&name) {
                canonical.push(name);
            }
        }
        *values = canonical;
    }
    Ok(e)
}

//! `sijill diff`: what a change does to the record, for the reviewer of a pull request.
//! Both sides are read into the very model `build` makes ([`Archive`]), so the counting
//! rules, aliases and vocabularies of format v2 apply to both; the base is read through git
//! ([`git`]) and reuses the working tree's parses of unchanged files. The comparison
//! ([`compare`]) gives a [`RecordDiff`]: reports added, removed and changed field by field,
//! gazetteer and vocabulary entries, every total that moves, and review flags; [`format`]
//! writes it for a terminal, a pull request comment or a program.

mod compare;
mod flags;
pub mod format;
mod git;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::archive::Archive;
use crate::config::SiteConfig;
use crate::content::{self, Count, ParseCache};

/// Why a diff could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// The site is not in a git checkout.
    #[error("{0} is not in a git checkout: `sijill diff` reads the base revision through git")]
    NotACheckout(PathBuf),
    /// The base ref names no commit.
    #[error(
        "the base `{0}` is not a commit of this repository (a pull request's base may need \
         fetching first: `git fetch origin <branch>`, or check out with `fetch-depth: 0`)"
    )]
    UnknownBase(String),
    /// git failed.
    #[error("{0}")]
    Git(String),
    /// The working tree's settings or content could not be read at all.
    #[error(transparent)]
    Build(#[from] crate::pipeline::Error),
}

/// A report, named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRef {
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// One fact of a report that changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// The fact: `casualties.killed`, `locations`, `locations.Syria/Idlib/Ariha.killed`,
    /// `date`, `updates`, `source.url`, `file`, …
    pub field: String,
    /// Before (`null` when it was not given).
    pub before: Option<serde_json::Value>,
    /// After (`null` when it is no longer given).
    pub after: Option<serde_json::Value>,
}

/// A report in both revisions whose facts or text differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangedReport {
    /// Its id.
    pub id: String,
    /// Its title now.
    pub title: String,
    /// Each fact that changed, in the order of the format.
    pub changes: Vec<FieldChange>,
    /// True when the body's text changed.
    pub text_changed: bool,
    /// Lines of the body added.
    pub lines_added: usize,
    /// Lines of the body removed.
    pub lines_removed: usize,
}

/// The reports a change adds, removes and changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReportChanges {
    /// Published now, not before (by id).
    pub added: Vec<ReportRef>,
    /// Published before, not now.
    pub removed: Vec<ReportRef>,
    /// Published in both, with other facts or text.
    pub changed: Vec<ChangedReport>,
}

/// An entry of the gazetteer or the vocabulary that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryChange {
    /// `gazetteer`, `perpetrators` or `incident_types`.
    pub list: &'static str,
    /// The entry: a place path, a name (`old → new` when renamed).
    pub entry: String,
    /// `added`, `removed`, `changed` (its spellings) or `renamed` (an entry gone and one
    /// new that share a spelling: the old name kept as an alias, say).
    pub change: &'static str,
    /// Spellings (names, aliases) added.
    pub aliases_added: Vec<String>,
    /// Spellings removed.
    pub aliases_removed: Vec<String>,
    /// Reports that resolve differently because of it (a place or term now named so, or
    /// no longer).
    pub reports_moved: usize,
}

/// A count as the JSON gives it: `{min, max}`, `max` `null` for "at least".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MinMax {
    /// The minimum.
    pub min: u64,
    /// The maximum, when known.
    pub max: Option<u64>,
}

impl From<Count> for MinMax {
    fn from(c: Count) -> Self {
        MinMax {
            min: c.min,
            max: c.max,
        }
    }
}

/// One count of one listing's totals that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TotalChange {
    /// `place`, `date` or `term`.
    pub scope: &'static str,
    /// The place path, the date (`2019`, `2019-03`) or `<kind>/<slug>` of a term
    /// (`perpetrators/syrian-regime-forces`, by its URL segment, which a new spelling does
    /// not change; a perpetrator's figures are `alone.<field>` and `shared.<field>`).
    pub key: String,
    /// The count field (`killed`, `children`, …; `alone.killed` for a perpetrator).
    pub field: String,
    /// Before (`null` when not given).
    pub before: Option<MinMax>,
    /// After.
    pub after: Option<MinMax>,
}

impl TotalChange {
    /// How far the minimum moved, for ranking the changes a reviewer sees first.
    pub fn magnitude(&self) -> u64 {
        let min = |c: Option<MinMax>| c.map_or(0, |c| c.min);
        min(self.after).abs_diff(min(self.before))
    }
}

/// A review flag: never an error, something for a person to look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flag {
    /// `possible-duplicate`, `lowered-count`, `count-outlier`, `future-date`.
    pub code: &'static str,
    /// The report flagged.
    pub report: String,
    /// The other report it concerns, if any.
    pub other: Option<String>,
    /// What to look at, in words.
    pub message: String,
}

/// What a change does to the record.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RecordDiff {
    /// The base commit.
    pub base: String,
    /// Reports added, removed, changed.
    pub reports: ReportChanges,
    /// Gazetteer and vocabulary entries added, removed or changed.
    pub entries: Vec<EntryChange>,
    /// Every total that changed.
    pub totals: Vec<TotalChange>,
    /// Review flags.
    pub flags: Vec<Flag>,
    /// Errors in the working tree's content (its reports in error are left out: `sijill
    /// check` lists them).
    pub errors: usize,
}

/// Leaves out the reports of files with an error, those the whole archive's rules found
/// (a fork, a cycle, a disagreeing translation) included: a model with them would count
/// by rules their errors break.
fn without_errors(content: &mut content::Content) {
    let broken: std::collections::HashSet<&str> = content
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.file.as_str())
        .collect();
    if !broken.is_empty() {
        let broken: std::collections::HashSet<String> =
            broken.into_iter().map(str::to_string).collect();
        content.reports.retain(|r| !broken.contains(&r.file));
    }
}

/// Compares the archive under `root` (the working tree) with its state at `base`.
pub fn diff(root: &Path, base: &str) -> Result<RecordDiff, DiffError> {
    let config = SiteConfig::load(root).map_err(crate::pipeline::Error::Config)?;
    let options = crate::pipeline::load_options(&config);
    // The working tree first, keeping its parses for the base's unchanged files; the
    // base's reading through git meanwhile.
    let mut cache = ParseCache::keeping();
    let (now, revision) = rayon::join(
        || content::load_with(root, &options, &mut cache),
        || git::read_base(root, base),
    );
    let revision = revision?;
    let mut now = now.map_err(crate::pipeline::Error::Content)?;
    let errors = now.diagnostics.iter().filter(|d| d.is_error()).count();
    let mut before =
        content::load_revision(root, &options, revision.settings, revision.files, &cache);
    without_errors(&mut now);
    without_errors(&mut before);
    let (before, now) = rayon::join(
        || Archive::build(before, false),
        || Archive::build(now, false),
    );
    let mut diff = compare::compare(&before, &now);
    diff.flags = flags::flags(&before, &now, &diff.reports);
    diff.base = revision.commit;
    diff.errors = errors;
    Ok(diff)
}

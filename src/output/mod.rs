//! Stage 4: write the site. Pages come from `render`; this stage owns the output folder:
//! which folders may be replaced ([`guard`]), the staged site swapped in at the end
//! ([`staging`]), the safe writer every file goes through ([`writer`]), the recording of
//! the exports written ([`recording`]), the static files and the export jobs ([`jobs`]).

pub mod data;
pub mod datapackage;
mod dir_handle;
pub mod error;
pub mod exports;
pub mod feeds;
pub mod guard;
pub mod jobs;
pub mod recording;
pub mod search;
pub mod sitemap;
pub mod staging;
pub mod writer;

use std::fs;
use std::path::Path;

use walkdir::WalkDir;

pub use error::OutputError;
pub use jobs::{ExportJobs, ExportsWritten};
pub use recording::Recording;
pub use staging::StagedSite;
pub use writer::SiteWriter;

use crate::archive::Archive;
use crate::content::Report;
use crate::render::theme::DEFAULT_STATIC;

/// Copies `root/static/` into the site as is, then the default theme's files the site does
/// not provide itself. Symbolic links are skipped (GitHub Pages refuses them). Returns the
/// number of files written.
pub fn copy_static(root: &Path, writer: &SiteWriter) -> Result<usize, OutputError> {
    let dir = root.join("static");
    let mut written = 0;
    let mut own: Vec<String> = Vec::new();
    // `static/` itself may not be a link either: its target would be published.
    if fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
        for entry in WalkDir::new(&dir).follow_links(false).sort_by_file_name() {
            let entry = entry.map_err(|e| OutputError::Io {
                action: "cannot read",
                path: dir.clone(),
                source: e.into(),
            })?;
            if !entry.file_type().is_file() {
                continue;
            }
            let rel =
                crate::content::slashed(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
            let bytes = fs::read(entry.path()).map_err(|source| OutputError::Io {
                action: "cannot read",
                path: entry.path().to_path_buf(),
                source,
            })?;
            writer.write_static(&rel, &bytes)?;
            own.push(rel);
            written += 1;
        }
    }
    for (name, bytes) in DEFAULT_STATIC {
        if !own.iter().any(|o| o == name) {
            writer.write(name, bytes)?;
            written += 1;
        }
    }
    Ok(written)
}

/// Writes `data/reports.json`, `places.json`, `dates.json` and `terms.json`, streamed to their
/// files. `by_id` is [`Archive::reports_by_id`], sorted once for every export.
pub fn write_data(
    archive: &Archive,
    by_id: &[&Report],
    writer: &Recording,
) -> Result<usize, OutputError> {
    let (reports, (places, (dates, terms))) = rayon::join(
        || {
            writer.write_with("data/reports.json", |out| {
                data::reports_json(archive, by_id, out)
            })
        },
        || {
            rayon::join(
                || writer.write_with("data/places.json", |out| data::places_json(archive, out)),
                || {
                    rayon::join(
                        || {
                            writer
                                .write_with("data/dates.json", |out| data::dates_json(archive, out))
                        },
                        || {
                            writer
                                .write_with("data/terms.json", |out| data::terms_json(archive, out))
                        },
                    )
                },
            )
        },
    );
    reports?;
    places?;
    dates?;
    terms?;
    Ok(4)
}

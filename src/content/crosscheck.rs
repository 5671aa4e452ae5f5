//! Rules that need the whole archive: unique ids, links between reports, and (without a
//! gazetteer) one spelling per place. Ids and links are checked for every file whose front
//! matter could be read, valid or not, so one run reports everything.

use std::collections::HashMap;
use std::sync::Arc;

use super::diagnostics::Diagnostic;
use super::names::slugify;
use super::report::Report;
use super::validate::{Identity, Positions};

/// Whole-file position of the value at `path` in `report`'s front matter (which reports of
/// a site without a gazetteer keep).
fn position(report: &Report, path: &str) -> (usize, usize) {
    match &report.front_matter {
        Some(fm) => Positions::new(&fm.yaml, fm.first_line).value(path),
        None => (1, 1),
    }
}

/// Fills in the ids of the reports `report` links to, by file; false when a file has none.
pub(crate) fn resolve_links<'a>(
    report: &mut Report,
    id_of: impl Fn(&str) -> Option<&'a str>,
) -> bool {
    let mut all = true;
    for link in &mut report.links {
        match id_of(&link.target_file) {
            Some(id) => link.target = id.to_string(),
            None => all = false,
        }
    }
    all
}

/// Checks the archive as a whole. `identities` covers every readable file, sorted by file;
/// `reports` are the valid ones, whose link targets are filled in.
pub(crate) fn check(
    reports: &mut [Arc<Report>],
    identities: &[Identity],
    gazetteer_present: bool,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();

    let mut by_id: HashMap<&str, &str> = HashMap::new();
    for ident in identities {
        match by_id.get(ident.id.as_str()) {
            Some(first) => problems.push(
                Diagnostic::error(
                    &ident.file,
                    ident.id_position.unwrap_or((1, 1)),
                    "duplicate-id",
                    format!("id `{}` is also used by {first}", ident.id),
                )
                .with_help(
                    "every report needs its own id: change `id:` (or the file name) of one of them",
                ),
            ),
            None => {
                by_id.insert(&ident.id, &ident.file);
            }
        }
    }

    let by_file: HashMap<&str, &Identity> =
        identities.iter().map(|i| (i.file.as_str(), i)).collect();
    for ident in identities {
        for link in &ident.links {
            match by_file.get(link.target_file.as_str()) {
                Some(target) if target.draft && !ident.draft => problems.push(
                    Diagnostic::warning(&ident.file, link.position, "link-to-draft", format!("`{}` links to a draft", link.dest))
                        .with_help("the link is shown as plain text until that report is published"),
                ),
                Some(_) => {}
                None => problems.push(
                    Diagnostic::error(&ident.file, link.position, "broken-report-link", format!("`{}` links to a report that does not exist ({})", link.dest, link.target_file))
                        .with_help("check the relative path from this file's folder to the other report's file"),
                ),
            }
        }
    }
    // Only reports with links change (a report a preview's cache shares is copied then).
    for r in reports.iter_mut().filter(|r| !r.links.is_empty()) {
        resolve_links(Arc::make_mut(r), |file| {
            by_file.get(file).map(|i| i.id.as_str())
        });
    }

    if !gazetteer_present {
        // (parent slug path, slug) → (spelling, file) of the first use.
        let mut spellings: HashMap<(String, String), (String, usize)> = HashMap::new();
        for (i, r) in reports.iter().enumerate() {
            for (l, loc) in r.locations.iter().enumerate() {
                let mut parent = String::new();
                for segment in loc.path.split('/') {
                    let key = (parent.clone(), slugify(segment));
                    match spellings.get(&key) {
                        Some((first, j)) if first != segment => {
                            let other = &reports[*j].file;
                            problems.push(
                                Diagnostic::error(&r.file, position(r, &format!("locations.{l}")), "place-spelling", format!("`{segment}` and `{first}` (in {other}) are two spellings of one place"))
                                    .with_help(format!("write `{first}` in both files, or add content/places.yaml with one name and the other as an alias")),
                            );
                        }
                        Some(_) => {}
                        None => {
                            spellings.insert(key, (segment.to_string(), i));
                        }
                    }
                    parent = format!("{parent}/{}", slugify(segment));
                }
            }
        }
    }
    problems
}

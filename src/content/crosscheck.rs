//! Rules that need the whole archive: unique ids, links between reports, and (without a
//! gazetteer) one spelling per place.

use std::collections::HashMap;

use super::diagnostics::Diagnostic;
use super::frontmatter;
use super::names::slugify;
use super::report::Report;
use super::validate::Positions;

/// Whole-file position of `path` in `report`'s front matter (value, or key when `key`).
fn position(report: &Report, path: &str, key: bool) -> (usize, usize) {
    let text = report.text.strip_prefix('\u{feff}').unwrap_or(&report.text);
    match frontmatter::split(text) {
        Ok(split) => {
            let mut p = Positions::new(split.yaml, split.yaml_line);
            if key { p.key(path) } else { p.value(path) }
        }
        Err(_) => (1, 1),
    }
}

/// Checks `reports` (sorted by file) together; fills each link's target id.
pub fn check(reports: &mut [Report], gazetteer_present: bool) -> Vec<Diagnostic> {
    let mut problems = Vec::new();

    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, r) in reports.iter().enumerate() {
        if let Some(&first) = by_id.get(r.id.as_str()) {
            let at = if r.text.contains("\nid:") {
                position(r, "id", false)
            } else {
                (1, 1)
            };
            problems.push(
                Diagnostic::error(
                    &r.file,
                    at,
                    "duplicate-id",
                    format!("id `{}` is also used by {}", r.id, reports[first].file),
                )
                .with_help(
                    "every report needs its own id: change `id:` (or the file name) of one of them",
                ),
            );
        } else {
            by_id.insert(&r.id, i);
        }
    }

    let by_file: HashMap<String, (String, bool)> = reports
        .iter()
        .map(|r| (r.file.clone(), (r.id.clone(), r.draft)))
        .collect();
    for r in reports.iter_mut() {
        for link in &mut r.links {
            match by_file.get(&link.target_file) {
                Some((id, draft)) => {
                    link.target.clone_from(id);
                    if *draft && !r.draft {
                        problems.push(
                            Diagnostic::warning(&r.file, link.position, "link-to-draft", format!("`{}` links to a draft", link.dest))
                                .with_help("the link is shown as plain text until that report is published"),
                        );
                    }
                }
                None => problems.push(
                    Diagnostic::error(&r.file, link.position, "broken-report-link", format!("`{}` links to a report that does not exist ({})", link.dest, link.target_file))
                        .with_help("check the relative path from this file's folder to the other report's file"),
                ),
            }
        }
    }

    if !gazetteer_present {
        // (parent path, slug) → (spelling, file) of the first use.
        let mut spellings: HashMap<(String, String), (String, usize)> = HashMap::new();
        for (i, r) in reports.iter().enumerate() {
            for (l, loc) in r.locations.iter().enumerate() {
                let mut parent = String::new();
                for segment in loc.path.split('/') {
                    let key = (parent.clone(), slugify(segment));
                    match spellings.get(&key) {
                        Some((first, j)) if first != segment => {
                            let at = position(r, &format!("locations.{l}"), false);
                            let other = &reports[*j].file;
                            problems.push(
                                Diagnostic::error(&r.file, at, "place-spelling", format!("`{segment}` and `{first}` (in {other}) are two spellings of one place"))
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

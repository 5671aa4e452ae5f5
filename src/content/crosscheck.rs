//! Rules that need the whole archive: unique ids, links between reports, (without a
//! gazetteer) one spelling per place, and no two look-alike places or terms. Ids and links
//! are checked for every file whose front matter could be read, valid or not, so one run
//! reports everything.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::diagnostics::Diagnostic;
use super::frontmatter;
use super::names::slugify;
use super::raw::RawReport;
use super::report::{Report, ReportLink};
use super::text;
use super::text::{LOOK_ALIKE_HELP, LookAlikes, look_alike_message};
use super::validate::{Identity, Positions};

/// Whole-file position of the value at `path` in `report`'s front matter (1:1 when it
/// cannot be found).
pub(super) fn position(report: &Report, path: &str, root: &Path) -> (usize, usize) {
    with_front_matter(report, root, |yaml, first_line| {
        Some(Positions::new(yaml, first_line).value(path))
    })
    .unwrap_or((1, 1))
}

/// Whole-file position of `term` in `report`'s list `key`, found by its value: the report's
/// list has repeated entries dropped, so its index is not the entry's index as written.
fn term_position(report: &Report, key: &str, term: &str, root: &Path) -> (usize, usize) {
    with_front_matter(report, root, |yaml, first_line| {
        let raw: RawReport = super::yaml::from_str(yaml).ok()?;
        let written = match key {
            "perpetrators" => raw.perpetrators,
            "incident_types" => raw.incident_types,
            _ => raw.tags,
        }?;
        let n = written.iter().position(|v| text::nfc(v.trim()) == term)?;
        Some(Positions::new(yaml, first_line).value(&format!("{key}.{n}")))
    })
    .unwrap_or((1, 1))
}

/// Calls `find` with `report`'s front matter and its first line: the copy a site without a
/// gazetteer keeps, else the file read again under `root` (only for a warning, which is rare).
fn with_front_matter<T>(
    report: &Report,
    root: &Path,
    find: impl Fn(&str, usize) -> Option<T>,
) -> Option<T> {
    if let Some(fm) = &report.front_matter {
        return find(&fm.yaml, fm.first_line);
    }
    let text = super::read_text(&root.join(&report.file), &report.file).ok()?;
    let split = frontmatter::split_file(&text).ok()?;
    find(split.yaml, split.yaml_line)
}

/// Fills in the ids of the reports `links` (of a report or a page) lead to, by file; false
/// when a file has none.
pub(crate) fn resolve_links<'a>(
    links: &mut [ReportLink],
    id_of: impl Fn(&str) -> Option<&'a str>,
) -> bool {
    let mut all = true;
    for link in links {
        match id_of(&link.target_file) {
            Some(id) => link.target = id.to_string(),
            None => all = false,
        }
    }
    all
}

/// Checks the archive as a whole. `identities` covers every readable file, sorted by file;
/// `reports` are the valid ones, whose link targets are filled in; `root` is the site's.
pub(crate) fn check(
    reports: &mut [Arc<Report>],
    identities: &[Identity],
    gazetteer_present: bool,
    root: &Path,
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

    let by_file = by_file(identities);
    problems.extend(report_links(identities, &by_file));
    // Only reports with links change (a report a preview's cache shares is copied then).
    for r in reports.iter_mut().filter(|r| !r.links.is_empty()) {
        resolve_links(&mut Arc::make_mut(r).links, |file| {
            by_file.get(file).map(|i| i.id.as_str())
        });
    }

    terms_look_alike(reports, root, &mut problems);
    if !gazetteer_present {
        // (parent slug path, slug) → (spelling, file) of the first use.
        let mut spellings: HashMap<(String, String), (String, usize)> = HashMap::new();
        // Under one parent, the first place of each look: (report, location).
        let mut look_alikes: LookAlikes<String, (usize, usize)> = LookAlikes::default();
        for (i, r) in reports.iter().enumerate() {
            for (l, loc) in r.locations.iter().enumerate() {
                let mut parent = String::new();
                let at = || format!("locations.{l}.place");
                for segment in loc.path.split('/') {
                    let key = (parent.clone(), slugify(segment));
                    match spellings.get(&key) {
                        Some((first, j)) if first != segment => {
                            let other = &reports[*j].file;
                            problems.push(
                                Diagnostic::error(&r.file, position(r, &at(), root), "place-spelling", format!("`{segment}` and `{first}` (in {other}) are two spellings of one place"))
                                    .with_help(format!("write `{first}` in both files, or add content/places.yaml with one name and the other as an alias")),
                            );
                        }
                        Some(_) => {}
                        None => {
                            if let Some(first) =
                                look_alikes.see(parent.clone(), segment, &key.1, || (i, l))
                            {
                                let other = &reports[first.at.0].file;
                                problems.push(
                                    Diagnostic::warning(
                                        &r.file,
                                        position(r, &at(), root),
                                        "confusable-names",
                                        look_alike_message(
                                            "place",
                                            segment,
                                            &first.name,
                                            &format!("in {other}"),
                                        ),
                                    )
                                    .with_help(LOOK_ALIKE_HELP),
                                );
                            }
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

/// The report files of `identities`, by file.
pub(super) fn by_file(identities: &[Identity]) -> HashMap<&str, &Identity> {
    identities.iter().map(|i| (i.file.as_str(), i)).collect()
}

/// Checks the links of `linkers` (reports, or pages) to reports' files: each must name one
/// of `reports` (an error otherwise), and a published file should not link a draft (a
/// warning: the link shows as text).
pub(super) fn report_links(
    linkers: &[Identity],
    reports: &HashMap<&str, &Identity>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let by_file = reports;
    for ident in linkers {
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
    problems
}

/// Warns where two terms of one taxonomy look alike but are different terms (different
/// slugs): `Shelling` and `SheIling` would be two pages with two totals. Each distinct
/// spelling is looked at once, when first seen.
fn terms_look_alike(reports: &[Arc<Report>], root: &Path, problems: &mut Vec<Diagnostic>) {
    // Every term of every report passes here, hence the fast hash.
    let mut seen: crate::FastSet<(&str, &str)> = crate::FastSet::default();
    let mut look_alikes: LookAlikes<&str, usize> = LookAlikes::default();
    for (i, r) in reports.iter().enumerate() {
        let taxonomies = [
            ("perpetrators", &r.perpetrators),
            ("incident_types", &r.incident_types),
            ("tags", &r.tags),
        ];
        for (key, terms) in taxonomies {
            for term in terms {
                if !seen.insert((key, term)) {
                    continue;
                }
                if let Some(first) = look_alikes.see(key, term, &slugify(term), || i) {
                    let other = &reports[first.at].file;
                    problems.push(
                        Diagnostic::warning(
                            &r.file,
                            term_position(r, key, term, root),
                            "confusable-names",
                            look_alike_message(
                                &format!("`{key}` entry"),
                                term,
                                &first.name,
                                &format!("in {other}"),
                            ),
                        )
                        .with_help(LOOK_ALIKE_HELP),
                    );
                }
            }
        }
    }
}

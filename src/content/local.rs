//! Local destinations of bodies (`![map](/images/map.png)`, `<a href="files/x.pdf">`):
//! the files the site publishes that they may name (an index of `static/`, the theme's own
//! files and the pages every site has, made once per build), the path on the site a
//! destination leads to, and the `missing-local-file` warning, with the closest file that
//! exists. `render` resolves destinations by the same rules, so a page never links a file
//! this index does not hold.

use std::fs;
use std::path::Path;

use walkdir::WalkDir;

use super::diagnostics::Diagnostic;
use super::links::{Kind, percent_decode, split_suffix};
use super::names::distance;
use super::validate::Identity;

/// "Did you mean" is looked for only for the first this many missing files of a build:
/// each compares the destination with every file of the index.
pub const MAX_SUGGESTIONS: usize = 20;

/// The files a local destination may name, by their path from the site's root
/// (`images/map.png`, `search/index.html`), sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalFiles {
    files: Vec<String>,
    /// First segments of the site's pages (`reports`, `places`): a missing path under one
    /// is a page of a report, place, date or term, which a body cannot link.
    page_folders: Vec<String>,
}

impl LocalFiles {
    /// The files of `root/static/`, as the build copies them (symbolic links skipped, and
    /// a `static/` that is one), and `site_files`: the theme's own files and the pages
    /// every site has (`places/index.html`). `page_folders` are the first segments of the
    /// site's other pages (`reports`, `places`), which no body may link.
    pub fn index(root: &Path, site_files: &[String], page_folders: &[String]) -> LocalFiles {
        let dir = root.join("static");
        let mut files = site_files.to_vec();
        if fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
            let walk = WalkDir::new(&dir).follow_links(false).into_iter();
            for entry in walk.filter_map(Result::ok) {
                if entry.file_type().is_file()
                    && let Ok(rel) = entry.path().strip_prefix(&dir)
                {
                    files.push(super::slashed(rel));
                }
            }
        }
        let mut index = LocalFiles::new(files);
        index.page_folders = page_folders.to_vec();
        index
    }

    /// An index of `files` (paths from the site's root).
    pub fn new(files: impl IntoIterator<Item = String>) -> LocalFiles {
        let mut files: Vec<String> = files.into_iter().collect();
        files.sort_unstable();
        files.dedup();
        LocalFiles {
            files,
            page_folders: Vec::new(),
        }
    }

    /// True when the site publishes `file` (a path from its root).
    pub fn contains(&self, file: &str) -> bool {
        self.files
            .binary_search_by(|f| f.as_str().cmp(file))
            .is_ok()
    }

    /// The path on the site (from its root, decoded: `images/map.png`, `docs/`) that
    /// `dest`, a local destination in the body of `report_file`, leads to, when the site
    /// publishes the file it names; `None` otherwise.
    pub fn resolve(&self, report_file: &str, dest: &str) -> Option<String> {
        let path = site_path(report_file, dest);
        self.contains(&file_of(&path)).then_some(path)
    }

    /// The published path closest to `wanted` (a path from the root, as [`site_path`]
    /// gives): the file whose name is within a few edits of the wanted one's, in the same
    /// folder before any other (then by how close the folders are): `/images/map.png` for
    /// `images/mpa.png`, `map.png` or `image/map.png`.
    fn closest(&self, wanted: &str) -> Option<String> {
        // (folder, name) of a path; a folder is named by its own name (`search/`).
        let split = |p: &str| {
            let trimmed = p.strip_suffix('/').unwrap_or(p);
            match trimmed.rsplit_once('/') {
                Some((folder, name)) => (folder.to_string(), name.to_string()),
                None => (String::new(), trimmed.to_string()),
            }
        };
        let (wanted_folder, wanted_name) = split(wanted);
        let name_len = wanted_name.chars().count();
        let limit = (name_len / 3).max(2);
        let mut best: Option<((usize, usize), &str)> = None;
        for file in &self.files {
            // A folder's `index.html` is named by the folder (`search/`).
            let path = match file.strip_suffix("index.html") {
                Some(dir) if dir.is_empty() || dir.ends_with('/') => dir,
                _ => file.as_str(),
            };
            let (folder, name) = split(path);
            if name.chars().count().abs_diff(name_len) > limit {
                continue;
            }
            let d = distance(&wanted_name, &name);
            if d > limit {
                continue;
            }
            let score = if folder == wanted_folder {
                (d, 0)
            } else {
                (d + 1, distance(&wanted_folder, &folder))
            };
            if best.is_none_or(|b| (score, path) < b) {
                best = Some((score, path));
            }
        }
        best.map(|(_, path)| path.to_string())
    }
}

/// The path from the site's root that `dest`, a local destination in the body of
/// `report_file`, leads to, with its query and fragment cut, `%xx` decoded, `\` read as
/// `/` and `.` and `..` resolved. A path that, taken from the report's own folder, leads
/// into `static/` is that file of `static/` (`../../../../static/images/map.png` from
/// `content/reports/2017/11/`, as an editor's preview reads it); any other is taken from
/// the site's root, never above it: `images/map.png`, `/images/map.png` and
/// `../../images/map.png` are all `images/map.png`. A trailing `/` stays (`docs/`).
pub fn site_path(report_file: &str, dest: &str) -> String {
    let (path, _) = split_suffix(dest);
    // A browser drops tabs and line breaks from a URL and reads `\` as `/`.
    let path: String = path
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    let path = percent_decode(&path);
    if !path.starts_with('/') {
        let folder: Vec<&str> = report_file
            .rsplit_once('/')
            .map_or(Vec::new(), |(f, _)| f.split('/').collect());
        if let Some(from_file) = join(folder, &path, false)
            && let Some(rest) = from_file.strip_prefix("static/")
            && !rest.is_empty()
        {
            return rest.to_string();
        }
    }
    join(Vec::new(), &path, true).unwrap_or_default()
}

/// `path`'s segments after `base`'s, `.` and empty ones skipped, `..` taking one away;
/// past the first one, `None`, or nothing when `clamp` (a browser stays at the root).
fn join<'a>(mut parts: Vec<&'a str>, path: &'a str, clamp: bool) -> Option<String> {
    let mut folder = true;
    for segment in path.split('/') {
        folder = matches!(segment, "" | "." | "..");
        match segment {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() && !clamp {
                    return None;
                }
            }
            s => parts.push(s),
        }
    }
    let mut joined = parts.join("/");
    if folder && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// The file a path on the site names: a folder's `index.html` (`docs/` → `docs/index.html`,
/// the root → `index.html`), else the path itself.
pub fn file_of(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// Warns at every local destination of `identities` that names no file of `files`.
pub fn check(identities: &[Identity], files: &LocalFiles) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut suggestions = MAX_SUGGESTIONS;
    for ident in identities {
        for found in &ident.files {
            let path = site_path(&ident.file, &found.dest);
            let file = file_of(&path);
            if files.contains(&file) {
                continue;
            }
            let (what, shown) = match found.kind {
                Kind::Image => ("image", "the page shows its alt text instead"),
                Kind::Link => ("link", "the page shows its text, unlinked"),
            };
            let message = format!(
                "{what} `{}` names no file of the site (there is no static/{file}): {shown}",
                found.dest
            );
            let first = path.split('/').next().unwrap_or("");
            let page = path.contains('/') && files.page_folders.iter().any(|f| f == first);
            let suggestion = if suggestions > 0 && !page {
                suggestions -= 1;
                files.closest(&path)
            } else {
                None
            };
            let help = match suggestion {
                Some(s) => format!("did you mean `/{s}`?"),
                None if page => "a page of a report, place, date or term cannot be linked \
                                 from a body (it is there only while a published report is \
                                 on it): link the report's `.md` file instead"
                    .to_string(),
                None => format!(
                    "put the file in static/ (static/{file} is published at `/{path}`), or \
                     correct the path: paths start at the site's root, so `/images/map.png` \
                     and `images/map.png` both name static/images/map.png"
                ),
            };
            problems.push(
                Diagnostic::warning(&ident.file, found.position, "missing-local-file", message)
                    .with_help(help)
                    .with_width(found.width),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "content/reports/2017/11/x.md";

    #[test]
    fn destinations_lead_from_the_root_or_from_the_file_into_static() {
        for (dest, path) in [
            ("images/map.png", "images/map.png"),
            ("/images/map.png", "images/map.png"),
            ("./images/map.png", "images/map.png"),
            ("../../images/map.png", "images/map.png"),
            ("../../../../static/images/map.png", "images/map.png"),
            (
                "../../../../../static/images/map.png",
                "static/images/map.png",
            ),
            ("images/my%20map.png?v=2#top", "images/my map.png"),
            ("images\\map.png", "images/map.png"),
            ("/docs/", "docs/"),
            ("/docs/.", "docs/"),
            ("docs/x/..", "docs/"),
            ("/", ""),
            ("..", ""),
            ("static/x.png", "static/x.png"),
        ] {
            assert_eq!(site_path(FILE, dest), path, "{dest}");
        }
        assert_eq!(file_of("docs/"), "docs/index.html");
        assert_eq!(file_of(""), "index.html");
        assert_eq!(file_of("a.png"), "a.png");
    }

    #[test]
    fn suggestions_are_the_closest_path_or_name() {
        let files = LocalFiles::new(
            [
                "images/map.png",
                "images/other.jpg",
                "search/index.html",
                "style.css",
            ]
            .map(String::from),
        );
        assert!(files.contains("images/map.png"));
        assert_eq!(
            files.resolve(FILE, "/images/map.png").as_deref(),
            Some("images/map.png")
        );
        assert_eq!(files.resolve(FILE, "/search/").as_deref(), Some("search/"));
        assert_eq!(files.resolve(FILE, "/search"), None);
        assert_eq!(
            files.closest("images/mpa.png").as_deref(),
            Some("images/map.png")
        );
        assert_eq!(files.closest("map.png").as_deref(), Some("images/map.png"));
        assert_eq!(
            files.closest("static/images/map.png").as_deref(),
            Some("images/map.png")
        );
        assert_eq!(files.closest("search").as_deref(), Some("search/"));
        assert_eq!(
            files.closest("image/map.png").as_deref(),
            Some("images/map.png")
        );
        assert_eq!(files.closest("images/crater.png"), None);
        assert_eq!(files.closest("files/annual-report.pdf"), None);
    }
}

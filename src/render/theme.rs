//! The templates: the default theme is compiled into the binary, and a site's own
//! `templates/<name>.html` replaces that one template. Built once, shared by all threads.

use std::path::Path;

use tera::Tera;

use super::RenderError;

/// The default theme: (name, source).
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("report.html", include_str!("../../templates/report.html")),
    ("places.html", include_str!("../../templates/places.html")),
    ("place.html", include_str!("../../templates/place.html")),
    ("dates.html", include_str!("../../templates/dates.html")),
    ("date.html", include_str!("../../templates/date.html")),
    (
        "taxonomy.html",
        include_str!("../../templates/taxonomy.html"),
    ),
    ("term.html", include_str!("../../templates/term.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("404.html", include_str!("../../templates/404.html")),
    ("page.html", include_str!("../../templates/page.html")),
    (
        "partials/header.html",
        include_str!("../../templates/partials/header.html"),
    ),
    (
        "partials/footer.html",
        include_str!("../../templates/partials/footer.html"),
    ),
    (
        "partials/license.html",
        include_str!("../../templates/partials/license.html"),
    ),
    (
        "partials/report_item.html",
        include_str!("../../templates/partials/report_item.html"),
    ),
    (
        "partials/listing.html",
        include_str!("../../templates/partials/listing.html"),
    ),
    (
        "partials/totals.html",
        include_str!("../../templates/partials/totals.html"),
    ),
    (
        "partials/notes.html",
        include_str!("../../templates/partials/notes.html"),
    ),
    (
        "partials/chart.html",
        include_str!("../../templates/partials/chart.html"),
    ),
    (
        "partials/rows.html",
        include_str!("../../templates/partials/rows.html"),
    ),
];

/// Static files of the default theme, written unless the site's `static/` has its own. The
/// favicon (`scripts/favicon.py` draws it) is linked from every page, and a browser asks for
/// `/favicon.ico` anyway: without it, every page load logged a 404.
pub const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("search.js", include_bytes!("../../static/search.js")),
    ("favicon.ico", include_bytes!("../../static/favicon.ico")),
];

/// The compiled templates.
pub struct Theme {
    pub(crate) tera: Tera,
}

/// A symbolic link in `templates/` (or in place of it) could put any file of the machine
/// that builds the site into every page: it is an error.
fn refuse_links(dir: &Path) -> Result<(), RenderError> {
    let refuse = |path: &Path| {
        let rel = path.strip_prefix(dir).unwrap_or(Path::new(""));
        let name = rel.to_string_lossy().replace('\\', "/");
        let shown = if name.is_empty() {
            "templates".to_string()
        } else {
            format!("templates/{name}")
        };
        Err(RenderError::Template(format!(
            "{shown} is a symbolic link; sijill does not follow links in templates/"
        )))
    };
    if std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return refuse(dir);
    }
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(dir).follow_links(false) {
            match entry {
                Ok(e) if e.path_is_symlink() => return refuse(e.path()),
                _ => {}
            }
        }
    }
    Ok(())
}

impl Theme {
    /// Compiles the default theme with the overrides found in `root/templates/`.
    pub fn load(root: &Path) -> Result<Theme, RenderError> {
        let dir = root.join("templates");
        refuse_links(&dir)?;
        let mut sources: Vec<(String, String)> = Vec::new();
        for (name, default) in DEFAULT_TEMPLATES {
            let own = dir.join(name);
            let text = if own.is_file() {
                std::fs::read_to_string(&own)
                    .map_err(|e| RenderError::Template(format!("templates/{name}: {e}")))?
            } else {
                (*default).to_string()
            };
            sources.push((name.to_string(), text));
        }
        // Extra templates of the site (partials its overrides include).
        if dir.is_dir() {
            for entry in walkdir::WalkDir::new(&dir)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
                let name = rel.to_string_lossy().replace('\\', "/");
                if entry.file_type().is_file()
                    && name.ends_with(".html")
                    && !sources.iter().any(|(n, _)| *n == name)
                {
                    let text = std::fs::read_to_string(entry.path())
                        .map_err(|e| RenderError::Template(format!("templates/{name}: {e}")))?;
                    sources.push((name, text));
                }
            }
        }
        Self::from_sources(sources)
    }

    /// Compiles the given templates.
    pub fn from_sources(sources: Vec<(String, String)>) -> Result<Theme, RenderError> {
        let mut tera = Tera::new();
        tera.set_escape_fn(super::views::escape_into);
        super::numbers::register(&mut tera);
        tera.add_raw_templates(sources)
            .map_err(|e| RenderError::Template(super::describe_tera_error(&e)))?;
        Ok(Theme { tera })
    }
}

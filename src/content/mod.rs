//! Stage 1: read the files under `content/`, parse their front matter, check every rule of
//! report format v1, and produce resolved [`Report`]s and [`Diagnostic`]s. Nothing later
//! reads a file again.

pub mod counts;
mod crosscheck;
pub mod diagnostics;
pub mod frontmatter;
pub mod gazetteer;
pub mod html;
mod incidents;
pub mod limits;
pub mod links;
pub mod local;
pub mod names;
pub mod pages;
pub mod printer;
pub mod raw;
pub mod report;
pub mod scaffold;
pub mod script;
pub mod text;
pub mod validate;
pub mod vocabulary;
pub mod yaml;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use validate::Identity;

pub use counts::{Count, Counts, Field};
pub use diagnostics::{Diagnostic, Severity};
pub use gazetteer::{Gazetteer, PlaceInfo};
pub use local::LocalFiles;
pub use pages::SitePage;
pub use report::{Kind, Location, Report, Source, Status};
pub use vocabulary::{VOCABULARY_FILE, Vocabulary};

/// The version of the report format (docs/format.md) this sijill reads: `sijill --version`
/// names it, so an archive can tell whether its reports need a newer sijill.
pub const REPORT_FORMAT_VERSION: u32 = 2;

/// Reports larger than this are refused: no real report comes near it, and it bounds the
/// memory a hostile pull request can make a build use.
pub const MAX_REPORT_BYTES: u64 = 2 * 1024 * 1024;

/// The gazetteer's place in a site.
pub const GAZETTEER_FILE: &str = "content/places.yaml";

/// Errors that stop reading content altogether (as opposed to problems in it).
#[derive(Debug, thiserror::Error)]
pub enum ContentError {
    /// The site has no `content/` folder.
    #[error("no content/ folder in {0}")]
    NoContentFolder(PathBuf),
    /// `content/` is a symbolic link (it could make a build read files outside the site).
    #[error("{0} is a symbolic link; sijill reads content only from a real folder")]
    ContentIsSymlink(PathBuf),
    /// A folder could not be listed.
    #[error("cannot read {path}: {source}")]
    Walk {
        /// The folder.
        path: PathBuf,
        /// The walker's reason (permissions, a folder gone while listed).
        source: walkdir::Error,
    },
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Valid reports (drafts included), sorted by file.
    pub reports: Vec<Arc<Report>>,
    /// Valid pages of `content/pages/`, in footer order ([`SitePage::sort_key`]).
    pub pages: Vec<Arc<SitePage>>,
    /// The gazetteer, when the site has one.
    pub gazetteer: Option<Gazetteer>,
    /// The vocabulary of perpetrators and incident types, when the site has one.
    pub vocabulary: Option<Vocabulary>,
    /// The files a body's local destinations may name (`static/`, the theme's files, the
    /// pages every site has), shared with the model, which renders the bodies.
    pub local_files: Arc<LocalFiles>,
    /// Every problem found, errors and warnings, in a stable order.
    pub diagnostics: Vec<Diagnostic>,
    /// How many report and page files were read.
    pub files: usize,
}

impl Content {
    /// True when any problem is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Options for reading content.
#[derive(Debug, Clone)]
pub struct LoadOptions<'a> {
    /// The language of reports that do not say.
    pub default_lang: &'a str,
    /// Languages the interface has strings for (others get a warning).
    pub ui_languages: &'a [&'a str],
    /// Files every build publishes besides `static/`: the theme's own and the pages every
    /// site has (`search/index.html`), which a body may name.
    pub site_files: &'a [String],
    /// First segments of the site's other pages (`reports`, `places`), which a body may not.
    pub page_folders: &'a [String],
    /// First segments of every path the site writes besides pages (`reports`, `search`,
    /// `data`): no page may take one as its slug.
    pub reserved_slugs: &'a [String],
}

impl<'a> LoadOptions<'a> {
    /// What checking a report needs, with the site's gazetteer and vocabulary when it has
    /// them.
    fn context<'g>(
        &self,
        gazetteer: Option<&'g Gazetteer>,
        vocabulary: Option<&'g Vocabulary>,
    ) -> validate::Context<'g>
    where
        'a: 'g,
    {
        validate::Context {
            gazetteer,
            default_lang: self.default_lang,
            ui_languages: self.ui_languages,
            vocabulary,
        }
    }
}

fn relative(root: &Path, path: &Path) -> String {
    slashed(path.strip_prefix(root).unwrap_or(path))
}

/// A relative path written with `/`, as [`Report::file`] is, on every system.
pub fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads a file as UTF-8 text, or says precisely why it cannot be used.
pub(crate) fn read_text(path: &Path, file: &str) -> Result<String, Diagnostic> {
    let (opened, meta) = open(path).map_err(|e| unreadable(file, e))?;
    read_opened(opened, &meta, file)
}

fn unreadable(file: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(
        file,
        (0, 0),
        "unreadable",
        format!("cannot read the file: {e}"),
    )
}

/// Opens a file and reads its metadata (one system call for both the size and the time of
/// the last change).
fn open(path: &Path) -> std::io::Result<(fs::File, fs::Metadata)> {
    let opened = fs::File::open(path)?;
    let meta = opened.metadata()?;
    Ok((opened, meta))
}

/// Reads an opened file of `meta` as UTF-8 text.
fn read_opened(opened: fs::File, meta: &fs::Metadata, file: &str) -> Result<String, Diagnostic> {
    if meta.len() > MAX_REPORT_BYTES {
        return Err(Diagnostic::error(
            file,
            (0, 0),
            "file-too-large",
            format!(
                "the file is {} bytes, over the limit of {MAX_REPORT_BYTES}",
                meta.len()
            ),
        )
        .with_help("split it into several reports, or move attachments out of content/"));
    }
    // The size measured is what is read (one read call, none more to find the end): a file
    // changed while the build runs is read as it was, or shorter.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    opened
        .take(meta.len())
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(file, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let pos = frontmatter::line_col(&prefix, prefix.len());
        Diagnostic::error(file, pos, "not-utf8", "the file is not UTF-8 text").with_help(
            "save the file with UTF-8 encoding (most editors have it under \"Save with encoding\")",
        )
    })
}

/// A file's size and modification time: when both are unchanged, so is the file.
type Stamp = (u64, std::time::SystemTime);

fn stamp(path: &Path) -> Option<Stamp> {
    stamp_of(&fs::metadata(path).ok()?)
}

fn stamp_of(meta: &fs::Metadata) -> Option<Stamp> {
    Some((meta.len(), meta.modified().ok()?))
}

/// Files and folders under `content/` whose name starts so are not read (drafts folders,
/// editors' and version control's files).
fn skipped(name: &str) -> bool {
    name.starts_with(['_', '.'])
}

/// Reads and parses one report file (one `open`, one `fstat`, one `read`), with the stamp
/// it had when read.
fn read_report(
    root: &Path,
    path: &Path,
    context: &validate::Context,
) -> (Option<Stamp>, validate::Parsed) {
    let file = relative(root, path);
    match open(path) {
        Ok((opened, meta)) => (
            stamp_of(&meta),
            parse_read(&file, read_opened(opened, &meta, &file), context),
        ),
        Err(e) => (None, parse_read(&file, Err(unreadable(&file, e)), context)),
    }
}

/// Parses the text read from report `file`, or records why it could not be read.
fn parse_read(
    file: &str,
    text: Result<String, Diagnostic>,
    context: &validate::Context,
) -> validate::Parsed {
    match text {
        Ok(text) => validate::parse_report(file, &text, context),
        Err(d) => validate::Parsed {
            report: None,
            identity: None,
            problems: vec![d],
        },
    }
}

/// Parsed report files kept between builds by `serve`: a file whose size and modification
/// time have not changed is not read again. The cache is emptied when the gazetteer or the
/// vocabulary (which every report is checked against) changes.
/// `ParseCache::default()` keeps nothing (a one-off build pays no copies);
/// [`ParseCache::keeping`] keeps every parse.
#[derive(Debug, Default)]
pub struct ParseCache {
    keep: bool,
    /// The texts of the gazetteer and the vocabulary the parses were made with.
    settings: [Option<String>; 2],
    files: std::collections::HashMap<PathBuf, (Stamp, validate::Parsed)>,
    /// Report files (relative to the root) read by the last load, as opposed to reused
    /// (listed by a cache that keeps its parses only).
    pub reparsed: Vec<String>,
}

impl ParseCache {
    /// A cache that keeps what it parses, for builds that follow.
    pub fn keeping() -> Self {
        ParseCache {
            keep: true,
            ..Default::default()
        }
    }
}

/// Reads and checks everything under `root/content`.
pub fn load(root: &Path, options: &LoadOptions) -> Result<Content, ContentError> {
    load_with(root, options, &mut ParseCache::default())
}

/// [`load`], reusing what `cache` holds of files that have not changed since.
pub fn load_with(
    root: &Path,
    options: &LoadOptions,
    cache: &mut ParseCache,
) -> Result<Content, ContentError> {
    let content_dir = root.join("content");
    if fs::symlink_metadata(&content_dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(ContentError::ContentIsSymlink(content_dir));
    }
    if !content_dir.is_dir() {
        return Err(ContentError::NoContentFolder(root.to_path_buf()));
    }
    let mut content = Content::default();

    // The files every report is checked against: a change to either invalidates every
    // parse. A link in place of one is not read (the walk below reports it).
    let mut settings: [Option<String>; 2] = [None, None];
    for (slot, file) in settings.iter_mut().zip([GAZETTEER_FILE, VOCABULARY_FILE]) {
        let path = root.join(file);
        if fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            match read_text(&path, file) {
                Ok(text) => *slot = Some(text),
                Err(d) => content.diagnostics.push(d),
            }
        }
    }
    if cache.settings != settings {
        cache.files.clear();
        cache.settings.clone_from(&settings);
    }
    read_settings(&mut content, &settings);

    let (mut files, mut page_files) = (Vec::new(), Vec::new());
    let walker = WalkDir::new(&content_dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skipped(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|source| ContentError::Walk {
            path: content_dir.clone(),
            source,
        })?;
        let is_md = entry.path().extension().is_some_and(|x| x == "md");
        if entry.path_is_symlink() {
            content.diagnostics.push(
                Diagnostic::error(
                    &relative(root, entry.path()),
                    (0, 0),
                    "symlink",
                    "symbolic links are not followed under content/",
                )
                .with_help("replace the link with the file itself"),
            );
        } else if is_md && entry.file_type().is_file() {
            if pages::is_page_file(&relative(root, entry.path())) {
                page_files.push(entry.into_path());
            } else {
                files.push(entry.into_path());
            }
        }
    }
    content.files = files.len() + page_files.len();

    let context = options.context(content.gazetteer.as_ref(), content.vocabulary.as_ref());
    let mut previous = std::mem::take(&mut cache.files);
    let loaded: Vec<(Option<Stamp>, validate::Parsed, bool)> = files
        .par_iter()
        .map(|path| {
            // A preview's reload checks its cached files with one `stat` each; a build
            // (nothing cached) opens each file at once.
            if let Some((cached, parsed)) = previous.get(path)
                && stamp(path) == Some(*cached)
            {
                return (Some(*cached), parsed.clone(), false);
            }
            let (stamp, parsed) = read_report(root, path, &context);
            (stamp, parsed, true)
        })
        .collect();
    cache.reparsed.clear();
    let mut parsed = Vec::with_capacity(files.len());
    for (path, (stamp, p, read)) in files.iter().zip(loaded) {
        // A reused entry moves from the previous map; only a fresh parse is copied.
        let entry = previous.remove(path);
        if read && cache.keep {
            cache.reparsed.push(relative(root, path));
            if let Some(stamp) = stamp {
                cache.files.insert(path.clone(), (stamp, p.clone()));
            }
        } else if let Some(entry) = entry.filter(|_| !read) {
            cache.files.insert(path.clone(), entry);
        }
        parsed.push(p);
    }
    let pages = read_pages(root, &page_files, options, &context);
    assemble(&mut content, parsed, pages, root, options);
    Ok(content)
}

/// Reads and checks the page files `paths` (a handful: read one after the other, never
/// cached, so a preview's change to one builds the whole site again).
fn read_pages(
    root: &Path,
    paths: &[PathBuf],
    options: &LoadOptions,
    context: &validate::Context,
) -> Vec<validate::ParsedPage> {
    paths
        .iter()
        .map(|path| {
            let file = relative(root, path);
            if file.matches('/').count() > 2 {
                return validate::ParsedPage {
                    page: None,
                    identity: None,
                    problems: vec![pages::nested(&file)],
                };
            }
            match read_text(path, &file) {
                Ok(text) => validate::parse_page(&file, &text, context, options.reserved_slugs),
                Err(d) => validate::ParsedPage {
                    page: None,
                    identity: None,
                    problems: vec![d],
                },
            }
        })
        .collect()
}

/// Reads the gazetteer's and the vocabulary's texts (`settings`, in that order) into
/// `content`, with their problems.
fn read_settings(content: &mut Content, settings: &[Option<String>; 2]) {
    let [gazetteer, vocabulary] = settings;
    let without_bom = |t: &str| t.strip_prefix('\u{feff}').unwrap_or(t).to_string();
    if let Some(text) = gazetteer {
        let (g, problems) = Gazetteer::parse(&without_bom(text), GAZETTEER_FILE);
        content.diagnostics.extend(problems);
        content.gazetteer = Some(g);
    }
    if let Some(text) = vocabulary {
        let (v, problems) = Vocabulary::parse(&without_bom(text), VOCABULARY_FILE);
        content.diagnostics.extend(problems);
        content.vocabulary = Some(v);
    }
}

/// Puts the parses of every report file (in file order) together into `content`, and runs
/// the checks that need the whole archive.
fn assemble(
    content: &mut Content,
    parsed: Vec<validate::Parsed>,
    pages: Vec<validate::ParsedPage>,
    root: &Path,
    options: &LoadOptions,
) {
    content.reports.reserve(parsed.len());
    let mut identities = Vec::with_capacity(parsed.len());
    for p in parsed {
        content.diagnostics.extend(p.problems);
        content.reports.extend(p.report);
        identities.extend(p.identity);
    }
    let mut page_identities = Vec::with_capacity(pages.len());
    for p in pages {
        content.diagnostics.extend(p.problems);
        content.pages.extend(p.page.map(Arc::new));
        page_identities.extend(p.identity);
    }
    let problems = crosscheck::check(
        &mut content.reports,
        &identities,
        content.gazetteer.is_some(),
        root,
    );
    content.diagnostics.extend(problems);
    let problems = incidents::check(&mut content.reports, &identities, root);
    content.diagnostics.extend(problems);
    if !page_identities.is_empty() {
        check_pages(content, &page_identities, &identities);
    }
    // `static/` is listed once a build; a preview lists it again on every reload (a file
    // added or removed there takes a whole build). A body may link a page (`/about/`).
    let mut site_files = options.site_files.to_vec();
    site_files.extend(
        page_identities
            .iter()
            .map(|p| format!("{}/index.html", p.id)),
    );
    let local_files = LocalFiles::index(root, &site_files, options.page_folders);
    content
        .diagnostics
        .extend(local::check(&identities, &local_files));
    content
        .diagnostics
        .extend(local::check(&page_identities, &local_files));
    content.local_files = Arc::new(local_files);
    diagnostics::sort(&mut content.diagnostics);
    content.diagnostics.dedup();
}

/// The rules between the pages `page_identities` (read into `content.pages`) and the rest
/// of the archive (`identities` of every report file): translations between pages, links
/// to reports' files (resolved to their ids); the pages are then put in footer order.
fn check_pages(content: &mut Content, page_identities: &[Identity], identities: &[Identity]) {
    let reports_by_file = crosscheck::by_file(identities);
    let langs = content
        .pages
        .iter()
        .map(|p| (p.slug.clone(), p.lang.clone()))
        .collect();
    content
        .diagnostics
        .extend(pages::check(page_identities, &langs));
    content
        .diagnostics
        .extend(crosscheck::report_links(page_identities, &reports_by_file));
    for page in &mut content.pages {
        crosscheck::resolve_links(&mut Arc::make_mut(page).links, |file| {
            reports_by_file.get(file).map(|i| i.id.as_str())
        });
    }
    content
        .pages
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// One report file of another revision of the site (a git commit), for `sijill diff`.
#[derive(Debug)]
pub enum RevisionFile {
    /// The same bytes as the working tree's file at this path: its parse is reused.
    Unchanged,
    /// The text the revision holds.
    Text(String),
}

/// Reads another revision of `content/` held in memory: its report files (paths from the
/// root, `content/…/x.md`, of files the loader would read) and the texts of its gazetteer
/// and vocabulary. A file [`RevisionFile::Unchanged`] takes the parse `cache` kept of the
/// working tree's file (loaded with [`ParseCache::keeping`] and the same settings), so
/// reading a revision costs the files that differ. Rules that need the whole archive run
/// on the revision as a whole.
pub fn load_revision(
    root: &Path,
    options: &LoadOptions,
    settings: [Option<String>; 2],
    mut files: Vec<(String, RevisionFile)>,
    cache: &ParseCache,
) -> Content {
    let mut content = Content::default();
    read_settings(&mut content, &settings);
    // The order of a walk of the folders, as `load_with` reads them.
    files.sort_by(|a, b| Path::new(&a.0).cmp(Path::new(&b.0)));
    content.files = files.len();
    let context = options.context(content.gazetteer.as_ref(), content.vocabulary.as_ref());
    let same_settings = cache.settings == settings;
    let parsed: Vec<validate::Parsed> = files
        .into_par_iter()
        .map(|(file, source)| match source {
            RevisionFile::Text(text) => parse_read(&file, Ok(text), &context),
            RevisionFile::Unchanged => match cache.files.get(&root.join(&file)) {
                Some((_, parsed)) if same_settings => parsed.clone(),
                _ => parse_read(&file, read_text(&root.join(&file), &file), &context),
            },
        })
        .collect();
    assemble(&mut content, parsed, Vec::new(), root, options);
    content
}

/// Reads again only the report files `changed` (paths relative to `root`, as a watcher
/// names them), for a preview: nothing else under `content/` is listed or looked at, and
/// the rules that need the whole archive are kept by refusing what could break them.
/// Returns the changed reports, resolved, with the cache updated; `None`, with the cache
/// untouched, when [`load_with`] must decide: a report file appeared, went or was renamed,
/// a folder or link changed, a file has an error, a report's id, draft state or a link's
/// target is not what the archive already checked, or another report names it (format v2). Paths no build reads (in `_` or hidden
/// folders, or not `.md`) are skipped.
pub fn reread(
    root: &Path,
    options: &LoadOptions,
    gazetteer: Option<&Gazetteer>,
    vocabulary: Option<&Vocabulary>,
    cache: &mut ParseCache,
    changed: &[PathBuf],
) -> Option<Vec<Arc<Report>>> {
    let mut files = Vec::new();
    for rel in changed {
        let below = rel.strip_prefix("content").ok()?;
        if below
            .components()
            .any(|c| skipped(&c.as_os_str().to_string_lossy()))
        {
            continue;
        }
        let path = root.join(rel);
        let known = cache.files.contains_key(&path);
        match fs::symlink_metadata(&path) {
            Err(_) if !known => continue,
            Ok(m) if m.is_file() && path.extension().is_some_and(|x| x == "md") && known => {
                files.push(path);
            }
            Ok(m) if m.is_file() && path.extension().is_none_or(|x| x != "md") => continue,
            _ => return None,
        }
    }
    files.sort();
    files.dedup();
    let context = options.context(gazetteer, vocabulary);
    let parsed: Vec<(Option<Stamp>, validate::Parsed)> = files
        .par_iter()
        .map(|path| read_report(root, path, &context))
        .collect();
    let id_of = |file: &str| {
        let (_, parsed) = cache.files.get(&root.join(file))?;
        Some(parsed.identity.as_ref()?.id.as_str())
    };
    let mut reports = Vec::with_capacity(parsed.len());
    for (path, (_, p)) in files.iter().zip(&parsed) {
        let (_, before) = &cache.files[path];
        let mut report = Arc::clone(p.report.as_ref()?);
        let same = |r: &Arc<Report>| r.id == report.id && r.draft == report.draft;
        // A report another names (`updates`, `translation_of`: a draft's too) is checked
        // against it and lends it facts: the whole archive's rules must run again.
        let named = cache.files.values().any(|(_, other)| {
            other.identity.as_ref().is_some_and(|i| {
                [&i.updates, &i.translation_of]
                    .into_iter()
                    .flatten()
                    .any(|r| r.id == report.id)
            })
        });
        if named
            || p.problems.iter().any(Diagnostic::is_error)
            || !before.report.as_ref().is_some_and(same)
            || !(report.links.is_empty()
                || crosscheck::resolve_links(&mut Arc::make_mut(&mut report).links, id_of))
        {
            return None;
        }
        reports.push(report);
    }
    cache.reparsed = files.iter().map(|p| relative(root, p)).collect();
    for (path, (stamp, p)) in files.into_iter().zip(parsed) {
        match stamp {
            Some(stamp) => cache.files.insert(path, (stamp, p)),
            None => cache.files.remove(&path),
        };
    }
    Some(reports)
}

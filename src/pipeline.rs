//! The two entry points, `build` and `check`, sharing one code path up to the output.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::archive::Archive;
use crate::config::SiteConfig;
use crate::content::{self, Content, ContentError, Diagnostic, LoadOptions};
use crate::output::{self, ExportJobs, OutputError, SiteWriter, StagedSite};
use crate::render::urls::{BASE_URL_FORMS, BaseUrlError, check_base_url};
use crate::render::{PageChanges, RenderCache, RenderError, Renderer, SiteInfo, Theme, Urls};

/// Languages the default theme has interface strings for.
pub const UI_LANGUAGES: &[&str] = crate::render::i18n::LANGUAGES;

/// What to build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site's root folder (holding `content/`).
    pub root: PathBuf,
    /// Where to write the site; default `<root>/public`.
    pub out: Option<PathBuf>,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Include reports marked `draft: true`.
    pub drafts: bool,
    /// Replace an output folder sijill did not create.
    pub force: bool,
    /// Told how many pages are written, out of how many, while pages are written.
    pub progress: Option<Progress>,
}

/// A callback for long builds: `(pages written, pages in all)`. The library never prints;
/// the command line draws a progress bar with it when it runs on a terminal.
#[derive(Clone)]
pub struct Progress(pub std::sync::Arc<dyn Fn(usize, usize) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// Why a build or check did not complete.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `site.yaml` is invalid.
    #[error("{}:{}:{}: {}", .0.file, .0.line, .0.column, .0.message)]
    Config(Diagnostic),
    /// The base URL given instead of `site.yaml`'s (`--base-url`) is refused.
    #[error("--base-url: {0}; {BASE_URL_FORMS}")]
    BaseUrl(BaseUrlError),
    /// `content/` could not be read at all.
    #[error(transparent)]
    Content(#[from] ContentError),
    /// Some reports are invalid; every problem is listed.
    #[error("{} error(s) in content", .0.iter().filter(|d| d.is_error()).count())]
    Invalid(Vec<Diagnostic>),
    /// A template failed.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The site could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildSummary {
    /// Reports published.
    pub reports: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Other files written (static files, data).
    pub other_files: usize,
    /// Bytes written, all files together: what GitHub Pages counts against its limit
    /// ([`PAGES_LIMIT_BYTES`]).
    pub bytes: u64,
    /// Warnings found in content.
    pub warnings: Vec<Diagnostic>,
    /// Where the site is.
    pub out: PathBuf,
    /// Where a folder sijill did not create, found at `out`, was moved (only with `force`).
    pub set_aside: Option<PathBuf>,
    /// Wall time.
    pub elapsed: Duration,
}

impl BuildSummary {
    /// Why the site may not publish on GitHub Pages: it is over [`PAGES_LIMIT_BYTES`].
    pub fn size_warning(&self) -> Option<String> {
        (self.bytes > PAGES_LIMIT_BYTES).then(|| {
            format!(
                "the site is {:.1} MB, over the 1 GB GitHub Pages publishes; at a domain root \
                 (a custom domain) every link is shorter, and \"Size budget\" in sijill's \
                 docs/design.md says where the bytes go",
                self.bytes as f64 / 1e6
            )
        })
    }
}

/// The largest site GitHub Pages publishes: "no larger than 1 GB" (decimal, as GitHub
/// writes sizes). A build past it still succeeds; the command line warns.
pub const PAGES_LIMIT_BYTES: u64 = 1_000_000_000;

/// What a check found.
#[derive(Debug)]
pub struct CheckSummary {
    /// Report files read.
    pub files: usize,
    /// Every problem, in a stable order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the settings and every content file (the one code path of `build`, `check` and
/// the preview, which keeps `cache` between rebuilds).
fn load(
    root: &Path,
    base_url: Option<&str>,
    cache: &mut content::ParseCache,
) -> Result<(SiteConfig, Content), Error> {
    let mut config = SiteConfig::load(root).map_err(Error::Config)?;
    if let Some(b) = base_url {
        check_base_url(b).map_err(Error::BaseUrl)?;
        config.base_url = b.to_string();
    }
    let content = content::load_with(
        root,
        &LoadOptions {
            default_lang: &config.language,
            ui_languages: UI_LANGUAGES,
        },
        cache,
    )?;
    Ok((config, content))
}

/// Builds the model from valid content and prepares the renderer (which renders every
/// report's list item).
fn prepare<'a>(
    root: &Path,
    config: &SiteConfig,
    archive: &'a Archive,
    reuse: impl Fn(&content::Report) -> Option<String> + Sync,
) -> Result<Renderer<'a>, Error> {
    let theme = Theme::load(root)?;
    let urls = Urls::new(&config.base_url);
    let site = SiteInfo {
        title: config.title.clone(),
        description: config.description.clone(),
        base: urls.base_path.clone(),
        base_url: urls.base_url.clone(),
        dir: if content::report::is_rtl(&config.language) {
            "rtl"
        } else {
            "ltr"
        },
        lang: config.language.clone(),
        per_page: config.per_page,
    };
    Ok(Renderer::reusing(archive, theme, urls, site, reuse)?)
}

/// Checks everything `build` checks (content, then every page through the templates)
/// without writing anything. Drafts are checked too.
pub fn check(root: &Path) -> Result<CheckSummary, Error> {
    let (config, content) = load(root, None, &mut Default::default())?;
    let files = content.files;
    if content.has_errors() {
        return Ok(CheckSummary {
            files,
            diagnostics: content.diagnostics,
        });
    }
    let diagnostics = content.diagnostics.clone();
    let archive = Archive::build(content, true);
    let renderer = prepare(root, &config, &archive, |_| None)?;
    renderer.render_all(&|_, _| Ok(()))?;
    Ok(CheckSummary { files, diagnostics })
}

/// Prints how long each stage took, when `SIJILL_TIMINGS` is set (for profiling).
struct Timings {
    enabled: bool,
    /// When the build began (a preview's: when the change was seen).
    started: Instant,
    last: Instant,
}

impl Timings {
    fn new() -> Self {
        Timings::since(Instant::now())
    }

    fn since(started: Instant) -> Self {
        Timings {
            enabled: std::env::var_os("SIJILL_TIMINGS").is_some(),
            started,
            last: Instant::now(),
        }
    }

    fn lap(&mut self, stage: &str) {
        if self.enabled {
            // Memory in use at the end of the stage, where the system says (Linux).
            let rss = fs::read_to_string("/proc/self/statm")
                .ok()
                .and_then(|s| s.split(' ').nth(1)?.parse::<u64>().ok())
                .map_or(String::new(), |pages| {
                    format!(", {:>4} MB resident", (pages * 4096) >> 20)
                });
            eprintln!(
                "{stage:>12}: {:>6.0} ms{rss}",
                self.last.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.last = Instant::now();
    }
}

/// Builds the site. On any error nothing is written and the previous site stays as it was.
pub fn build(options: &BuildOptions) -> Result<BuildSummary, Error> {
    let started = Instant::now();
    let mut timings = Timings::new();
    let (config, content) = load(
        &options.root,
        options.base_url.as_deref(),
        &mut Default::default(),
    )?;
    if content.has_errors() {
        return Err(Error::Invalid(content.diagnostics));
    }
    let warnings = content.diagnostics.clone();
    timings.lap("content");
    let archive = Archive::build(content, options.drafts);
    timings.lap("archive");
    let renderer = prepare(&options.root, &config, &archive, |_| None)?;
    timings.lap("list items");
    let written = write_site(options, &config, renderer, warnings, started, timings)?;
    Ok(written.summary)
}

/// What writing a whole site did, and what the preview keeps of it.
struct SiteWritten {
    summary: BuildSummary,
    /// What the renderer held.
    render_cache: RenderCache,
    /// The static files copied and the exports written.
    files: OutputFiles,
}

/// Renders and writes the whole site (through a staging folder swapped in at the end).
fn write_site(
    options: &BuildOptions,
    config: &SiteConfig,
    renderer: Renderer,
    warnings: Vec<Diagnostic>,
    started: Instant,
    mut timings: Timings,
) -> Result<SiteWritten, Error> {
    let root = &options.root;
    let out = options.out.clone().unwrap_or_else(|| root.join("public"));
    let archive = renderer.archive();
    let site = StagedSite::begin(&out, root, options.force)?;
    let writer = site.writer();
    // Static files first: a page or export that would replace one is then an error that
    // names it, whichever would have been written last.
    let statics = output::copy_static(root, writer)?;
    let statics_copied = writer.statics();
    let all = renderer.pages();
    let written = AtomicUsize::new(0);
    // Pages and the files made from the whole archive are independent: written side by
    // side, the exports fill the gaps the pages leave on the cores.
    let (pages, other_files) = rayon::join(
        || {
            renderer.render_pages(&all, &|path, html| {
                writer
                    .write(path, html)
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                let done = written.fetch_add(1, Ordering::Relaxed) + 1;
                if let Some(progress) = &options.progress
                    && done.is_multiple_of(256)
                {
                    (progress.0)(done, all.len());
                }
                Ok(())
            })
        },
        || {
            let jobs = ExportJobs {
                config,
                archive,
                urls: renderer.urls(),
            };
            let exports = jobs.write(&statics_copied, writer)?;
            Ok::<_, Error>((statics + exports.count, exports.files))
        },
    );
    let pages = pages?;
    let (other_files, exports) = other_files?;
    timings.lap("output");
    let render_cache = renderer.into_cache();
    let bytes = writer.bytes_written();
    let files = OutputFiles {
        exports,
        statics: statics_copied,
    };
    let set_aside = site.commit()?;
    timings.lap("commit");
    let summary = BuildSummary {
        reports: archive.reports.len(),
        pages,
        other_files,
        bytes,
        warnings,
        out,
        set_aside,
        elapsed: started.elapsed(),
    };
    Ok(SiteWritten {
        summary,
        render_cache,
        files,
    })
}

/// What `serve` keeps between builds, to rebuild only what a change touches: parsed files,
/// and the settings, model and renderer (templates and list items) of the last good build.
pub struct Preview {
    options: BuildOptions,
    cache: content::ParseCache,
    last: Option<Last>,
    output: Arc<Output>,
    /// Files (relative to the root) changed since the last good build: a rebuild that
    /// fails leaves its changes to the next one.
    pending: BTreeSet<PathBuf>,
}

/// Who writes the preview's folder. Exports are written after the reload, possibly while
/// the next change is rebuilt: beside its pages (other files), but one writer of exports at
/// a time, never beside a whole-site build, and not at all once a newer build was made.
#[derive(Default)]
struct Output {
    /// The newest build that wrote pages (they are numbered from 1).
    newest: AtomicU64,
    /// What the folder holds besides pages; held while exports or a whole site are
    /// written.
    files: Mutex<OutputFiles>,
}

/// The files of the preview's folder that are not pages.
#[derive(Default)]
struct OutputFiles {
    /// The export files, sorted: those a newer build no longer writes are removed.
    exports: Vec<String>,
    /// The site's own files of `static/` the last whole build copied, sorted: one of them
    /// changed in place is copied again, alone.
    statics: Vec<String>,
}

impl Output {
    /// Numbers a build that is about to write pages: exports of older ones become stale.
    fn next_build(&self) -> u64 {
        self.newest.fetch_add(1, Ordering::SeqCst) + 1
    }
}

/// The exports of a preview rebuild (data, CSV, GeoJSON, feeds, search index), for
/// [`Exports::write`] after the reload: they share the model, so the next change need not
/// wait for them (a change patched while they still hold it patches a copy).
pub struct Exports {
    config: SiteConfig,
    archive: Arc<Archive>,
    urls: Urls,
    out: PathBuf,
    build: u64,
    output: Arc<Output>,
}

impl std::fmt::Debug for Exports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Exports of build {}", self.build)
    }
}

impl Exports {
    /// Writes the exports, after any being written, unless a newer build was made since
    /// (its own exports will follow). Returns whether they were written.
    pub fn write(self) -> Result<bool, Error> {
        let mut files = self.output.files.lock().expect("no panics while writing");
        if self.output.newest.load(Ordering::SeqCst) != self.build {
            return Ok(false);
        }
        let writer = SiteWriter::in_place(&self.out)?;
        let jobs = ExportJobs {
            config: &self.config,
            archive: &self.archive,
            urls: &self.urls,
        };
        let written = jobs.write(&files.statics, &writer)?.files;
        // The feed and search postings of a place, date or term that went, a search chunk
        // or shard fewer.
        for stale in files
            .exports
            .iter()
            .filter(|f| written.binary_search(f).is_err())
        {
            writer.remove_file(stale)?;
        }
        files.exports = written;
        Ok(true)
    }
}

/// The last good build of a preview.
struct Last {
    config: SiteConfig,
    archive: Arc<Archive>,
    render_cache: RenderCache,
}

/// What a preview rebuild did.
#[derive(Debug)]
pub enum Rebuilt {
    /// Every page was written.
    Site(BuildSummary),
    /// Only the pages a change touched were written; the exports are to follow.
    Pages {
        /// Pages written.
        pages: usize,
        /// Report files read.
        read: usize,
        /// True when the model was updated in place from the changed files alone, without
        /// listing `content/`; false when it was built again from every file.
        patched: bool,
        /// From the start until the pages were written.
        elapsed: Duration,
        /// The exports, to write next.
        exports: Box<Exports>,
    },
    /// Only files of `static/` that the site already had changed: they were copied again,
    /// alone (no page shows what a static file holds).
    Static {
        /// Files copied.
        files: usize,
        /// From the start until they were copied.
        elapsed: Duration,
    },
    /// Nothing a build reads changed (an editor's temporary file, say).
    Nothing,
}

impl Preview {
    /// A preview of the site `options` describe; nothing is built yet.
    pub fn new(options: BuildOptions) -> Self {
        Preview {
            options,
            cache: content::ParseCache::keeping(),
            last: None,
            output: Arc::default(),
            pending: BTreeSet::new(),
        }
    }

    /// Builds the site again after the files `changed` (relative to the root; `None` when
    /// not known) changed. When only reports changed, in place, and the site keeps its
    /// shape (the same reports, places, dates and terms), only those files are read, the
    /// model is patched, only the pages that can differ are rendered and written in place,
    /// `pages_written` is called, and the exports are returned, to write. When reports were
    /// added or removed, or a change is beyond what a patch can follow, every file is
    /// listed and the model built again, and still only the pages that differ are written
    /// (and those gone removed). Anything else builds the whole site. Either way the result
    /// is the same, byte for byte, as a full build.
    pub fn rebuild(
        &mut self,
        changed: Option<&[PathBuf]>,
        pages_written: &dyn Fn(),
    ) -> Result<Rebuilt, Error> {
        let started = Instant::now();
        if let Some(changed) = changed
            && let Some(files) = self.copy_statics(changed)?
        {
            pages_written();
            return Ok(Rebuilt::Static {
                files,
                elapsed: started.elapsed(),
            });
        }
        let gazetteer = Path::new(content::GAZETTEER_FILE);
        let reports_only = changed.filter(|paths| {
            paths
                .iter()
                .all(|p| p.starts_with("content") && p != gazetteer)
        });
        match reports_only {
            Some(paths) => {
                self.pending.extend(paths.iter().cloned());
                if let Some(rebuilt) = self.patch(started, pages_written)? {
                    return Ok(rebuilt);
                }
            }
            // Settings or the gazetteer change how every report reads: nothing of the last
            // build is reused, even if this one fails (a later report edit must not patch
            // a model built with the old settings).
            None => {
                self.cache = content::ParseCache::keeping();
                self.last = None;
            }
        }
        self.reload(reports_only.is_some(), started, pages_written)
    }

    /// Copies `changed` into the site, in place, when every one is a file of `static/` that
    /// the last good build copied and that is still a plain file, and no change waits from a
    /// failed build: the site's shape is the same, so no page and no export changes.
    /// Returns the number of files copied, or `None`, having copied nothing, otherwise (a
    /// static file that is new or gone can clash with a page or replace a default): a build
    /// follows.
    fn copy_statics(&self, changed: &[PathBuf]) -> Result<Option<usize>, Error> {
        if self.last.is_none() || !self.pending.is_empty() {
            return Ok(None);
        }
        let statics = self
            .output
            .files
            .lock()
            .expect("no panics while writing")
            .statics
            .clone();
        let root = &self.options.root;
        let mut files = Vec::with_capacity(changed.len());
        for path in changed {
            let Ok(rel) = path.strip_prefix("static") else {
                return Ok(None);
            };
            let rel = content::slashed(rel);
            let source = root.join(path);
            let plain = fs::symlink_metadata(&source).is_ok_and(|m| m.is_file());
            if !plain || statics.binary_search(&rel).is_err() {
                return Ok(None);
            }
            files.push((rel, source));
        }
        files.sort_unstable();
        files.dedup();
        if files.is_empty() {
            return Ok(None);
        }
        let writer = SiteWriter::in_place(&self.out())?;
        for (rel, source) in &files {
            // Gone since it was looked at: the build that follows sees to it.
            let Ok(bytes) = fs::read(source) else {
                return Ok(None);
            };
            writer.write(rel, &bytes)?;
        }
        Ok(Some(files.len()))
    }

    /// The quick way: reads the pending files alone and patches the last good model.
    /// `None` when that cannot be done (see [`content::reread`], [`Archive::patch`]).
    fn patch(
        &mut self,
        started: Instant,
        pages_written: &dyn Fn(),
    ) -> Result<Option<Rebuilt>, Error> {
        let mut timings = Timings::since(started);
        let Some(mut last) = self.last.take() else {
            return Ok(None);
        };
        let files: Vec<PathBuf> = self.pending.iter().cloned().collect();
        let options = LoadOptions {
            default_lang: &last.config.language,
            ui_languages: UI_LANGUAGES,
        };
        let gazetteer = last.archive.gazetteer.as_ref();
        let reports = content::reread(
            &self.options.root,
            &options,
            gazetteer,
            &mut self.cache,
            &files,
        );
        timings.lap("read");
        let patch =
            reports.and_then(|r| Arc::make_mut(&mut last.archive).patch(r, self.options.drafts));
        timings.lap("patch");
        let Some(patch) = patch else {
            self.last = Some(last);
            return Ok(None);
        };
        let read = self.cache.reparsed.len();
        if read == 0 {
            self.pending.clear();
            self.last = Some(last);
            return Ok(Some(Rebuilt::Nothing));
        }
        let renderer = Renderer::patched(&last.archive, last.render_cache, &patch)?;
        let changes = renderer.pages_patched(&patch);
        timings.lap("list items");
        let (elapsed, render_cache, exports) = self.write_pages(
            &last.config,
            &last.archive,
            renderer,
            &changes,
            pages_written,
            timings,
        )?;
        last.render_cache = render_cache;
        self.last = Some(last);
        Ok(Some(Rebuilt::Pages {
            pages: changes.pages.len(),
            read,
            patched: true,
            elapsed,
            exports,
        }))
    }

    /// The thorough way: lists and reads `content/` (reusing the parses of unchanged
    /// files) and builds the model again; writes only the pages that differ when
    /// `incremental` and there is a last good build, else the whole site.
    fn reload(
        &mut self,
        incremental: bool,
        started: Instant,
        pages_written: &dyn Fn(),
    ) -> Result<Rebuilt, Error> {
        let mut timings = Timings::since(started);
        let root = self.options.root.clone();
        let (config, content) = load(&root, self.options.base_url.as_deref(), &mut self.cache)?;
        self.pending
            .extend(self.cache.reparsed.iter().map(PathBuf::from));
        if content.has_errors() {
            return Err(Error::Invalid(content.diagnostics));
        }
        timings.lap("content");
        let warnings = content.diagnostics.clone();
        let pending: HashSet<String> = self.pending.iter().map(|p| content::slashed(p)).collect();
        let changed: HashSet<String> = content
            .reports
            .iter()
            .filter(|r| pending.contains(&r.file))
            .map(|r| r.id.clone())
            .collect();
        let read = self.cache.reparsed.len();
        let archive = Arc::new(Archive::build(content, self.options.drafts));
        timings.lap("archive");
        let last = self.last.take();
        let renderer = prepare(&root, &config, &archive, |r| {
            let last = last.as_ref().filter(|_| !changed.contains(&r.id))?;
            let i = last.archive.report_index(&r.id)?;
            Some(last.render_cache.items()[i as usize].clone())
        })?;
        timings.lap("list items");
        if let (true, Some(old)) = (incremental, &last) {
            let ids: Vec<&str> = changed.iter().map(String::as_str).collect();
            let changes = renderer.pages_changed_since(&old.archive, &ids);
            let (elapsed, render_cache, exports) = self.write_pages(
                &config,
                &archive,
                renderer,
                &changes,
                pages_written,
                timings,
            )?;
            self.last = Some(Last {
                config,
                archive,
                render_cache,
            });
            return Ok(Rebuilt::Pages {
                pages: changes.pages.len(),
                read,
                patched: false,
                elapsed,
                exports,
            });
        }
        self.output.next_build();
        let (summary, render_cache) = {
            let mut files = self.output.files.lock().expect("no panics while writing");
            let written = write_site(&self.options, &config, renderer, warnings, started, timings)?;
            *files = written.files;
            (written.summary, written.render_cache)
        };
        pages_written();
        self.pending.clear();
        self.last = Some(Last {
            config,
            archive,
            render_cache,
        });
        Ok(Rebuilt::Site(summary))
    }

    /// Renders the changed pages and writes them in place, removes the pages gone, and
    /// calls `pages_written`. Returns the time until the pages were written, the
    /// renderer's state and the exports to write.
    fn write_pages(
        &mut self,
        config: &SiteConfig,
        archive: &Arc<Archive>,
        renderer: Renderer,
        changes: &PageChanges,
        pages_written: &dyn Fn(),
        mut timings: Timings,
    ) -> Result<(Duration, RenderCache, Box<Exports>), Error> {
        let build = self.output.next_build();
        let out = self.out();
        let writer = SiteWriter::in_place(&out)?;
        renderer.render_pages(&changes.pages, &|path, html| {
            writer
                .write(path, html)
                .map_err(|e| std::io::Error::other(e.to_string()))
        })?;
        for dir in &changes.gone {
            writer.remove_page(dir)?;
        }
        let elapsed = timings.started.elapsed();
        timings.lap("pages");
        pages_written();
        let exports = Box::new(Exports {
            config: config.clone(),
            archive: Arc::clone(archive),
            urls: renderer.urls().clone(),
            out,
            build,
            output: Arc::clone(&self.output),
        });
        timings.lap("snapshot");
        self.pending.clear();
        Ok((elapsed, renderer.into_cache(), exports))
    }

    fn out(&self) -> PathBuf {
        self.options
            .out
            .clone()
            .unwrap_or_else(|| self.options.root.join("public"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_over_a_gigabyte_get_a_warning() {
        let summary = |bytes| BuildSummary {
            reports: 100_000,
            pages: 116_000,
            other_files: 4_000,
            bytes,
            warnings: Vec::new(),
            out: PathBuf::from("public"),
            set_aside: None,
            elapsed: Duration::ZERO,
        };
        assert_eq!(summary(983_191_810).size_warning(), None);
        assert_eq!(summary(PAGES_LIMIT_BYTES).size_warning(), None);
        let warning = summary(1_019_850_008).size_warning().unwrap();
        assert!(
            warning.starts_with("the site is 1019.9 MB, over the 1 GB"),
            "{warning}"
        );
    }
}

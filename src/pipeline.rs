//! The two entry points, `build` and `check`, sharing one code path up to the output.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::archive::Archive;
use crate::config::SiteConfig;
use crate::content::{self, Content, ContentError, Diagnostic, LoadOptions};
use crate::output::{self, ExportJobs, OutputError, StagedSite};
use crate::render::theme::DEFAULT_STATIC;
use crate::render::urls::{BaseUrlError, check_base_url, relative_base_warning};
use crate::render::{RenderCache, RenderError, Renderer, SiteInfo, Theme, Urls};

/// Languages the default theme has interface strings for.
pub const UI_LANGUAGES: &[&str] = crate::render::i18n::LANGUAGES;

/// What a body's local destinations may name besides `static/` (the theme's own files, the
/// pages every site has), the first segments of the pages they may not, and the names a
/// page of `content/pages/` may not take ([`LoadOptions::site_files`],
/// [`LoadOptions::page_folders`], [`LoadOptions::reserved_slugs`]).
pub(crate) static PUBLISHED: LazyLock<[Vec<String>; 3]> = LazyLock::new(|| {
    let mut files: Vec<String> = DEFAULT_STATIC.iter().map(|(n, _)| n.to_string()).collect();
    files.extend(crate::render::pages::fixed_page_files());
    let folders = crate::render::pages::page_folders();
    let reserved = crate::render::pages::reserved_slugs(&files, &folders);
    [files, folders, reserved]
});

/// How reports are read with `config`'s settings.
pub(crate) fn load_options(config: &SiteConfig) -> LoadOptions<'_> {
    let [site_files, page_folders, reserved_slugs] = &*PUBLISHED;
    LoadOptions {
        default_lang: &config.language,
        ui_languages: UI_LANGUAGES,
        site_files,
        page_folders,
        reserved_slugs,
    }
}

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

impl BuildOptions {
    /// Where the site is written: `out`, else `<root>/public`.
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| self.root.join("public"))
    }
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
    #[error("--base-url: {0}; {help}", help = .0.help())]
    BaseUrl(BaseUrlError),
    /// `content/` could not be read at all.
    #[error(transparent)]
    Content(#[from] ContentError),
    /// Some reports are invalid; every problem is listed.
    #[error("{} in content", crate::content::printer::counted(.0.iter().filter(|d| d.is_error()).count(), "error"))]
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
    /// Why citations and feeds carry root-relative URLs, when they do (a base URL without
    /// a host): said once, not as a problem of a file.
    pub base_url_warning: Option<String>,
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
                "the site is {:.1} MB, over the 1 GB GitHub Pages publishes; a lower \
                 `max_pages` in site.yaml lists fewer reports on each place, date and term, \
                 and \"Size on GitHub Pages\" in sijill's docs/design.md says where the \
                 bytes go",
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
    /// As [`BuildSummary::base_url_warning`].
    pub base_url_warning: Option<String>,
}

/// Reads the settings and every content file (the one code path of `build`, `check` and
/// the preview, which keeps `cache` between rebuilds).
pub(crate) fn load(
    root: &Path,
    base_url: Option<&str>,
    cache: &mut content::ParseCache,
) -> Result<(SiteConfig, Content), Error> {
    let mut config = SiteConfig::load(root).map_err(Error::Config)?;
    if let Some(b) = base_url {
        check_base_url(b).map_err(Error::BaseUrl)?;
        config.base_url = b.to_string();
    }
    let content = content::load_with(root, &load_options(&config), cache)?;
    Ok((config, content))
}

/// Builds the model from valid content and prepares the renderer (which renders every
/// report's list item).
pub(crate) fn prepare<'a>(
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
        max_pages: config.max_pages,
        license: config.rights.clone(),
    };
    Ok(Renderer::reusing(archive, theme, urls, site, reuse)?)
}

/// Checks everything `build` checks (content, then every page through the templates)
/// without writing anything. Drafts are checked too.
pub fn check(root: &Path) -> Result<CheckSummary, Error> {
    let (config, content) = load(root, None, &mut Default::default())?;
    let files = content.files;
    let base_url_warning = relative_base_warning(&config.base_url);
    if content.has_errors() {
        return Ok(CheckSummary {
            files,
            diagnostics: content.diagnostics,
            base_url_warning,
        });
    }
    let diagnostics = content.diagnostics.clone();
    let archive = Archive::build(content, true);
    let renderer = prepare(root, &config, &archive, |_| None)?;
    renderer.render_all(&|_, _| Ok(()))?;
    Ok(CheckSummary {
        files,
        diagnostics,
        base_url_warning,
    })
}

/// Prints how long each stage took, when `SIJILL_TIMINGS` is set (for profiling).
pub(crate) struct Timings {
    enabled: bool,
    /// When the build began (a preview's: when the change was seen).
    pub(crate) started: Instant,
    last: Instant,
}

impl Timings {
    fn new() -> Self {
        Timings::since(Instant::now())
    }

    pub(crate) fn since(started: Instant) -> Self {
        Timings {
            enabled: std::env::var_os("SIJILL_TIMINGS").is_some(),
            started,
            last: Instant::now(),
        }
    }

    pub(crate) fn lap(&mut self, stage: &str) {
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
pub(crate) struct SiteWritten {
    pub(crate) summary: BuildSummary,
    /// What the renderer held.
    pub(crate) render_cache: RenderCache,
    /// The static files copied and the exports written.
    pub(crate) files: OutputFiles,
}

/// The files of a site that are not pages: what a preview keeps of a whole build, to
/// copy a changed static file alone and to remove exports a rebuild no longer writes.
#[derive(Default)]
pub(crate) struct OutputFiles {
    /// The export files, sorted: those a newer build no longer writes are removed.
    pub(crate) exports: Vec<String>,
    /// The site's own files of `static/` the last whole build copied, sorted: one of them
    /// changed in place is copied again, alone.
    pub(crate) statics: Vec<String>,
}

/// Renders and writes the whole site (through a staging folder swapped in at the end).
pub(crate) fn write_site(
    options: &BuildOptions,
    config: &SiteConfig,
    renderer: Renderer,
    warnings: Vec<Diagnostic>,
    started: Instant,
    mut timings: Timings,
) -> Result<SiteWritten, Error> {
    let root = &options.root;
    let out = options.out_dir();
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
        base_url_warning: relative_base_warning(&config.base_url),
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
            base_url_warning: None,
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

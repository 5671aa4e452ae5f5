//! The live preview's incremental rebuilding: what `serve` keeps between builds (parsed
//! files, the last good model and renderer state, what its folder holds), the four routes a
//! change can take (a static file copied alone, a patch of the model, a reload of
//! `content/`, a whole build), which pages a change touches ([`changes`]) and the exports
//! written after the reload ([`exports`]). `serve` watches files and answers HTTP; this
//! module decides what to write. Whatever the route, the folder ends byte for byte as a
//! full build writes it.

mod changes;
mod exports;

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use changes::PageChanges;
pub use exports::{ExportThread, Exports};

use crate::archive::Archive;
use crate::config::SiteConfig;
use crate::content;
use crate::output::SiteWriter;
use crate::pipeline::{
    BuildOptions, BuildSummary, Error, OutputFiles, Timings, load, load_options, prepare,
    write_site,
};
use crate::render::pages::Paging;
use crate::render::{RenderCache, Renderer};

/// What `serve` keeps between builds, to rebuild only what a change touches: parsed files,
/// and the settings, model and renderer (templates and list items) of the last good build.
pub struct Preview {
    options: BuildOptions,
    cache: content::ParseCache,
    last: Option<LastGoodBuild>,
    folder: Arc<PreviewFolder>,
    /// Files (relative to the root) changed since the last good build: a rebuild that
    /// fails leaves its changes to the next one.
    pending: BTreeSet<PathBuf>,
}

/// Who writes the preview's folder, and what it holds besides pages. Exports are written after the reload, possibly while
/// the next change is rebuilt: beside its pages (other files), but one writer of exports at
/// a time, never beside a whole-site build, and not at all once a newer build was made.
#[derive(Default)]
struct PreviewFolder {
    /// The newest build that wrote pages (they are numbered from 1).
    pub(super) newest: AtomicU64,
    /// What the folder holds besides pages; held while exports or a whole site are
    /// written.
    pub(super) files: Mutex<OutputFiles>,
}

impl PreviewFolder {
    /// Numbers a build that is about to write pages: exports of older ones become stale.
    fn next_build(&self) -> u64 {
        self.newest.fetch_add(1, Ordering::SeqCst) + 1
    }
}

/// The last good build of a preview.
struct LastGoodBuild {
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

/// True when the two archives do not have the same places, days, months and terms.
fn listings_differ(old: &Archive, new: &Archive) -> bool {
    let places = |a: &Archive| -> Vec<String> {
        let mut p: Vec<String> = a.places.nodes.iter().map(|n| n.path.clone()).collect();
        p.sort_unstable();
        p
    };
    let terms = |a: &Archive| -> Vec<Vec<String>> {
        a.taxonomies
            .iter()
            .map(|t| t.terms.iter().map(|t| t.slug.clone()).collect())
            .collect()
    };
    let (o, n) = (&old.dates, &new.dates);
    !o.days.keys().eq(n.days.keys())
        || !o.months.keys().eq(n.months.keys())
        || places(old) != places(new)
        || terms(old) != terms(new)
}

impl Preview {
    /// A preview of the site `options` describe; nothing is built yet.
    pub fn new(options: BuildOptions) -> Self {
        Preview {
            options,
            cache: content::ParseCache::keeping(),
            last: None,
            folder: Arc::default(),
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
        // The gazetteer and the vocabulary are read by every report's checks; a page of
        // `content/pages/` is in every footer.
        let settings = [content::GAZETTEER_FILE, content::VOCABULARY_FILE].map(Path::new);
        let reports_only = changed.filter(|paths| {
            paths.iter().all(|p| {
                p.starts_with("content")
                    && !settings.contains(&p.as_path())
                    && !content::pages::is_page_file(&content::slashed(p))
            })
        });
        match reports_only {
            Some(paths) => {
                self.pending.extend(paths.iter().cloned());
                if let Some(rebuilt) = self.patch(started, pages_written)? {
                    return Ok(rebuilt);
                }
            }
            // Settings, the gazetteer or the vocabulary change how every report reads, a
            // page every footer: nothing of the last build is reused, even if this one fails (a later report edit must not patch
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
            .folder
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
        let options = load_options(&last.config);
        let reports = content::reread(
            &self.options.root,
            &options,
            last.archive.gazetteer.as_ref(),
            last.archive.vocabulary.as_ref(),
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
        let changes = PageChanges::of_patch(&last.archive, &patch, Paging::of(&last.config));
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
        // A changed report changes the pages of the reports linked to it, then or now
        // (format v2): who is current, a history, a translation's links.
        let mut changed = changed;
        // A report whose file went is changed too: the reports linked to it lose a link.
        if let Some(last) = &last {
            let gone = last
                .archive
                .reports
                .iter()
                .filter(|r| pending.contains(&r.file));
            changed.extend(gone.map(|r| r.id.clone()));
        }
        // Reports no listing holds (earlier accounts, translations) link their places,
        // days and terms only where those have pages: when the listings change, so may
        // their pages.
        if let Some(last) = &last
            && listings_differ(&last.archive, &archive)
        {
            let unlisted = (0..archive.reports.len()).filter(|&i| !archive.accounts.is_listed(i));
            changed.extend(unlisted.map(|i| archive.reports[i].id.clone()));
        }
        // A report that names a changed one (`updates`, `translation_of`; a draft too, whose
        // link a build without drafts does not follow) reads or inherits from it.
        for r in &archive.reports {
            if [&r.updates, &r.translation_of]
                .into_iter()
                .flatten()
                .any(|target| changed.contains(target))
            {
                changed.insert(r.id.clone());
            }
        }
        for id in changed.clone() {
            let old = last
                .as_ref()
                .map(|l| l.archive.related(&id))
                .unwrap_or_default();
            for related in archive.related(&id).into_iter().chain(old) {
                changed.insert(related.to_string());
            }
        }
        let renderer = prepare(&root, &config, &archive, |r| {
            let last = last.as_ref().filter(|_| !changed.contains(&r.id))?;
            let i = last.archive.report_index(&r.id)?;
            Some(last.render_cache.items()[i as usize].clone())
        })?;
        timings.lap("list items");
        if let (true, Some(old)) = (incremental, &last) {
            let ids: Vec<&str> = changed.iter().map(String::as_str).collect();
            let changes = PageChanges::since(&archive, &old.archive, &ids, Paging::of(&config));
            let (elapsed, render_cache, exports) = self.write_pages(
                &config,
                &archive,
                renderer,
                &changes,
                pages_written,
                timings,
            )?;
            self.last = Some(LastGoodBuild {
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
        self.folder.next_build();
        let (summary, render_cache) = {
            let mut files = self.folder.files.lock().expect("no panics while writing");
            let written = write_site(&self.options, &config, renderer, warnings, started, timings)?;
            *files = written.files;
            (written.summary, written.render_cache)
        };
        pages_written();
        self.pending.clear();
        self.last = Some(LastGoodBuild {
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
        let build = self.folder.next_build();
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
            folder: Arc::clone(&self.folder),
        });
        timings.lap("snapshot");
        self.pending.clear();
        Ok((elapsed, renderer.into_cache(), exports))
    }

    fn out(&self) -> PathBuf {
        self.options.out_dir()
    }
}

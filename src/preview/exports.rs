//! The exports of a preview rebuild, written after the pages (and the reload) on a thread
//! of their own, so that the next change need not wait for them.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use super::PreviewFolder;
use crate::archive::Archive;
use crate::config::SiteConfig;
use crate::output::{ExportJobs, SiteWriter};
use crate::pipeline::Error;
use crate::render::Urls;

/// The exports of a preview rebuild (data, CSV, GeoJSON, feeds, search index), for
/// [`Exports::write`] after the reload: they share the model, so the next change need not
/// wait for them (a change patched while they still hold it patches a copy).
pub struct Exports {
    pub(super) config: SiteConfig,
    pub(super) archive: Arc<Archive>,
    pub(super) urls: Urls,
    pub(super) out: PathBuf,
    pub(super) build: u64,
    pub(super) folder: Arc<PreviewFolder>,
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
        let mut files = self.folder.files.lock().expect("no panics while writing");
        if self.folder.newest.load(Ordering::SeqCst) != self.build {
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

/// The thread a preview's exports are written on, one after another: the pages of the next
/// change (rendered on the global pool) must not queue behind the exports' work, so that a
/// change made while they are written is rebuilt, and reloads, at once.
pub struct ExportThread {
    queue: std::sync::mpsc::Sender<Box<Exports>>,
}

impl ExportThread {
    /// Starts the thread; `written` is told how each batch ended (written, skipped because
    /// a newer build was made, or failed).
    pub fn start(written: impl Fn(Result<bool, Error>) + Send + 'static) -> ExportThread {
        let (queue, batches) = std::sync::mpsc::channel::<Box<Exports>>();
        std::thread::spawn(move || {
            let pool = rayon::ThreadPoolBuilder::new().build().ok();
            for exports in batches {
                written(match &pool {
                    Some(pool) => pool.install(move || exports.write()),
                    None => exports.write(),
                });
            }
        });
        ExportThread { queue }
    }

    /// Queues `exports` to be written after those queued before.
    pub fn write(&self, exports: Box<Exports>) {
        let _ = self.queue.send(exports);
    }
}

//! `sijill serve`: builds the site, serves it on 127.0.0.1 under the base URL's path, and
//! rebuilds when content, templates, static files or `site.yaml` change. Open pages reload
//! by a small script added *while serving* (never written to the built site). When a change
//! breaks the build, pages show the error and the last good site stays served.
//!
//! The browser that visits `serve` is hostile: any web page can make requests to
//! 127.0.0.1 (and read the answers through DNS rebinding). So requests are read within
//! bounds of time and size and must name the loopback (`http`), paths are resolved inside
//! the served folder (`request_path`), connections are bounded (`connections`), and the
//! site is built in a folder no other user can have made or read (`site_dir`).

mod connections;
mod http;
mod request_path;
mod respond;
mod site_dir;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use crate::content::printer::{self, counted};
use crate::pipeline::{BuildOptions, Error};
use crate::preview::{ExportThread, Exports, Preview, Rebuilt};
use crate::render::Urls;

/// How long changes must settle before a rebuild: a quiet window, restarted by each event.
/// An editor's save (write, or write a temporary file and rename it) sends its events
/// within a few milliseconds, and the whole budget from save to reload is 200 ms, of which
/// a rebuild at 50,000 reports takes 10 to 40: 50 ms leaves room for both. A burst split
/// across two windows only costs a second rebuild, which reads the files as they are then.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// Where the event stream that tells pages to reload is served.
const EVENTS: &str = "__sijill/events";

/// Where `<generation> <settled>` is served: the build pages show, and the last build whose
/// exports are written too (for scripts and tests that wait for a rebuild to finish).
const STATUS: &str = "__sijill/status";

/// What `serve` needs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's root folder.
    pub root: PathBuf,
    /// Port on 127.0.0.1.
    pub port: u16,
    /// Base URL whose path the site is served under (`/archive/`).
    pub base_url: Option<String>,
    /// Include drafts (a preview usually wants them).
    pub drafts: bool,
}

/// Why `serve` stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The port could not be opened.
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Listen {
        /// The port asked for.
        port: u16,
        /// The system's reason (most often: the port is in use).
        source: std::io::Error,
    },
    /// The temporary folder to build into could not be made.
    #[error("cannot create a temporary folder to build into: {0}")]
    TempDir(std::io::Error),
    /// Watching the files failed.
    #[error("cannot watch {path}: {message}")]
    Watch {
        /// The file or folder that could not be watched.
        path: PathBuf,
        /// The watcher's reason.
        message: String,
    },
}

/// The state shared by the server threads: which build is current, and its error if the
/// last rebuild failed.
#[derive(Default)]
struct Shared {
    generation: u64,
    /// The generation whose rebuild has finished, exports included.
    settled: u64,
    /// The generation of the last rebuild that has finished but for its exports.
    built: u64,
    /// Exports handed to the export thread and not written (or skipped) yet.
    exporting: usize,
    error: Option<String>,
}

impl Shared {
    /// Announces a new build to the open pages, with the error to show (`None`: reload).
    fn announce(&mut self, error: Option<String>) {
        self.error = error;
        self.generation += 1;
    }

    /// Settles at the last finished rebuild when no exports are left to write.
    fn settle(&mut self) {
        if self.exporting == 0 {
            self.settled = self.built;
        }
    }
}

struct State {
    shared: Mutex<Shared>,
    changed: Condvar,
    /// The built site, with every link resolved: nothing outside it is served.
    out: PathBuf,
    base_path: String,
    /// The port listened on, which the `Host` of every request must name.
    port: u16,
}

impl State {
    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared
            .lock()
            .expect("no panics while holding the lock")
    }
}

fn describe(error: &Error) -> String {
    match error {
        Error::Invalid(diagnostics) => diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(printer::short)
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

/// Builds, then serves and rebuilds until the process is stopped.
pub fn serve(options: &ServeOptions) -> Result<(), ServeError> {
    let listener =
        TcpListener::bind(("127.0.0.1", options.port)).map_err(|source| ServeError::Listen {
            port: options.port,
            source,
        })?;
    let site_dir = site_dir::SiteDir::create().map_err(ServeError::TempDir)?;
    // Before any thread starts: they all inherit the blocked signals.
    site_dir.remove_on_signals();
    let out = std::fs::canonicalize(site_dir.path())
        .map_err(ServeError::TempDir)?
        .join("site");
    let base_path = Urls::new(options.base_url.as_deref().unwrap_or("/")).base_path;
    let local = format!("http://127.0.0.1:{}{base_path}", options.port);
    let build_options = BuildOptions {
        root: options.root.clone(),
        out: Some(out.clone()),
        base_url: Some(local.clone()),
        drafts: options.drafts,
        force: true,
        progress: None,
    };
    let state = Arc::new(State {
        shared: Mutex::new(Shared::default()),
        changed: Condvar::new(),
        out,
        base_path,
        port: options.port,
    });
    let mut preview = Preview::new(build_options);
    let exporter_state = Arc::clone(&state);
    let export_thread = ExportThread::start(move |result| {
        let mut shared = exporter_state.lock();
        shared.exporting -= 1;
        if let Err(e) = result {
            let message = describe(&e);
            eprintln!("writing the exports failed:\n{message}");
            shared.announce(Some(message));
        }
        shared.settle();
        exporter_state.changed.notify_all();
    });
    let state_for_exports = Arc::clone(&state);
    let exporter = move |exports| {
        state_for_exports.lock().exporting += 1;
        export_thread.write(exports);
    };
    rebuild(&state, &mut preview, None, &exporter);
    eprintln!("serving {local} (Ctrl-C to stop)");

    // Reading files (our own builds do) is not a change: only writes, creations, removals
    // and renames count.
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(e) = event
            && !matches!(e.kind, EventKind::Access(_))
        {
            let _ = tx.send(e);
        }
    })
    .map_err(|e| ServeError::Watch {
        path: options.root.clone(),
        message: e.to_string(),
    })?;
    for (name, _) in crate::output::guard::SOURCES {
        let path = options.root.join(name);
        if path.exists() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| ServeError::Watch {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
        }
    }
    let watcher_state = Arc::clone(&state);
    // The watcher reports absolute paths.
    let root = std::fs::canonicalize(&options.root).unwrap_or_else(|_| options.root.clone());
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            let mut events = vec![first];
            // Debounce: wait until changes have settled.
            while let Ok(more) = rx.recv_timeout(DEBOUNCE) {
                events.push(more);
            }
            let changed = changed_files(&root, &events);
            rebuild(&watcher_state, &mut preview, changed.as_deref(), &exporter);
        }
    });

    let connections = Arc::new(connections::Connections::default());
    for stream in listener.incoming().flatten() {
        let slot = match connections.admit(&stream) {
            Ok(slot) => slot,
            Err(connections::Full) => {
                let _ = http::prepare(&stream)
                    .and_then(|()| http::turn_away(&stream, &http::Refusal::Busy));
                continue;
            }
        };
        let state = Arc::clone(&state);
        // A thread that cannot be started (the system is out of them) closes the
        // connection, rather than stopping the server.
        let _ = std::thread::Builder::new().spawn(move || {
            let _ = respond::respond(&state, &stream, slot);
        });
    }
    drop(watcher);
    drop(site_dir);
    Ok(())
}

/// The files `events` name, relative to `root`: what the preview reads again. `None` when
/// that is not known (notify lost events and asks for a rescan, or a path is outside the
/// site), which rebuilds everything.
fn changed_files(root: &Path, events: &[notify::Event]) -> Option<Vec<PathBuf>> {
    let mut files = Vec::new();
    for event in events {
        if event.need_rescan() {
            return None;
        }
        for path in &event.paths {
            files.push(path.strip_prefix(root).ok()?.to_path_buf());
        }
    }
    Some(files)
}

fn rebuild(
    state: &State,
    preview: &mut Preview,
    changed: Option<&[PathBuf]>,
    exporter: &dyn Fn(Box<Exports>),
) {
    // Pages reload as soon as their files are written; the exports may follow.
    let announce = |error: Option<String>| {
        state.lock().announce(error);
        state.changed.notify_all();
    };
    let result = preview.rebuild(changed, &|| announce(None));
    match result {
        Ok(Rebuilt::Site(summary)) => eprintln!(
            "built {} in {:.0} ms",
            counted(summary.pages, "page"),
            summary.elapsed.as_secs_f64() * 1000.0
        ),
        Ok(Rebuilt::Pages {
            pages,
            read,
            patched,
            elapsed,
            exports,
        }) => {
            eprintln!(
                "rebuilt {} in {:.0} ms (model {}, {} read)",
                counted(pages, "page"),
                elapsed.as_secs_f64() * 1000.0,
                if patched { "patched" } else { "rebuilt" },
                counted(read, "report file")
            );
            exporter(exports);
        }
        Ok(Rebuilt::Static { files, elapsed }) => eprintln!(
            "copied {} in {:.0} ms",
            counted(files, "static file"),
            elapsed.as_secs_f64() * 1000.0
        ),
        Ok(Rebuilt::Nothing) => {}
        Err(e) => {
            let message = describe(&e);
            eprintln!("build failed; still serving the last good site:\n{message}");
            announce(Some(message));
        }
    }
    let mut shared = state.lock();
    shared.built = shared.generation;
    shared.settle();
    state.changed.notify_all();
}

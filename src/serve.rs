//! `sijill serve`: builds the site, serves it on 127.0.0.1 under the base URL's path, and
//! rebuilds when content, templates, static files or `site.yaml` change. Open pages reload
//! by a small script added *while serving* (never written to the built site). When a change
//! breaks the build, pages show the error and the last good site stays served.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use notify::{EventKind, RecursiveMode, Watcher};

use crate::content::printer;
use crate::pipeline::{BuildOptions, Error, Exports, Preview, Rebuilt};
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
        /// The port.
        port: u16,
        /// Why.
        source: std::io::Error,
    },
    /// Watching the files failed.
    #[error("cannot watch {path}: {message}")]
    Watch {
        /// What.
        path: PathBuf,
        /// Why.
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
    out: PathBuf,
    base_path: String,
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
    let out = std::env::temp_dir()
        .join(format!("sijill-serve-{}", std::process::id()))
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
    });
    let mut preview = Preview::new(build_options);
    // Exports are written on a thread of their own, so that a change made while they are
    // written is rebuilt (and reloads) at once.
    let (exports_tx, exports_rx) = std::sync::mpsc::channel::<Box<Exports>>();
    let exporter_state = Arc::clone(&state);
    let state_for_exports = Arc::clone(&state);
    std::thread::spawn(move || {
        // Threads of their own: the pages of the next change (rendered on the global pool)
        // must not queue behind the exports' work.
        let pool = rayon::ThreadPoolBuilder::new().build().ok();
        for exports in exports_rx {
            let result = match &pool {
                Some(pool) => pool.install(move || exports.write()),
                None => exports.write(),
            };
            let mut shared = exporter_state
                .shared
                .lock()
                .expect("no panics while holding the lock");
            shared.exporting -= 1;
            if let Err(e) = result {
                let message = describe(&e);
                eprintln!("writing the exports failed:\n{message}");
                shared.announce(Some(message));
            }
            shared.settle();
            exporter_state.changed.notify_all();
        }
    });
    let exporter = move |exports| {
        state_for_exports
            .shared
            .lock()
            .expect("no panics while holding the lock")
            .exporting += 1;
        let _ = exports_tx.send(exports);
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
    for name in ["content", "templates", "static", "site.yaml"] {
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

    for stream in listener.incoming().flatten() {
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            let _ = respond(&state, stream);
        });
    }
    drop(watcher);
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
        state
            .shared
            .lock()
            .expect("no panics while holding the lock")
            .announce(error);
        state.changed.notify_all();
    };
    let result = preview.rebuild(changed, &|| announce(None));
    match result {
        Ok(Rebuilt::Site(summary)) => eprintln!(
            "built {} pages in {:.0} ms",
            summary.pages,
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
                "rebuilt {pages} pages in {:.0} ms (model {}, {read} report file(s) read)",
                elapsed.as_secs_f64() * 1000.0,
                if patched { "patched" } else { "rebuilt" }
            );
            exporter(exports);
        }
        Ok(Rebuilt::Static { files, elapsed }) => eprintln!(
            "copied {files} static file(s) in {:.0} ms",
            elapsed.as_secs_f64() * 1000.0
        ),
        Ok(Rebuilt::Nothing) => {}
        Err(e) => {
            let message = describe(&e);
            eprintln!("build failed; still serving the last good site:\n{message}");
            announce(Some(message));
        }
    }
    let mut shared = state
        .shared
        .lock()
        .expect("no panics while holding the lock");
    shared.built = shared.generation;
    shared.settle();
    state.changed.notify_all();
}

/// The script added to served pages: reload when a new build is announced.
fn reload_script(base_path: &str) -> String {
    format!(
        "<script>(function(){{var s=new EventSource('{base_path}{EVENTS}');var first=true;s.onmessage=function(){{if(first){{first=false;return;}}location.reload();}};}})();</script>"
    )
}

/// The box shown on top of pages while the last rebuild failed.
fn error_box(message: &str) -> String {
    let escaped = crate::render::views::escape(message);
    format!(
        "<div id=\"sijill-error\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;padding:1rem;background:#fff0f0;color:#600;border-top:3px solid #c00;font:14px/1.4 monospace;white-space:pre-wrap;z-index:9999\"><strong>sijill: the last change broke the build; this is the last good version.</strong>\n{escaped}</div>"
    )
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") | Some("geojson") => "application/json",
        Some("xml") => "application/xml",
        Some("csv") => "text/csv; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        _ => "application/octet-stream",
    }
}

fn respond(state: &State, stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(&stream);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut stream = &stream;
    let Some(rel) = path.strip_prefix(&state.base_path) else {
        return send(
            stream,
            "404 Not Found",
            "text/plain",
            b"outside the base path\n",
        );
    };
    if rel == EVENTS {
        return events(state, stream);
    }
    if rel == STATUS {
        let status = {
            let shared = state
                .shared
                .lock()
                .expect("no panics while holding the lock");
            format!("{} {}\n", shared.generation, shared.settled)
        };
        return send(stream, "200 OK", "text/plain", status.as_bytes());
    }
    let rel = percent_decode(rel);
    if rel.split('/').any(|s| s == "..") {
        return send(stream, "403 Forbidden", "text/plain", b"forbidden\n");
    }
    let mut file = state.out.join(&rel);
    if rel.is_empty() || rel.ends_with('/') {
        file = file.join("index.html");
    } else if file.is_dir() {
        let location = format!("{}{rel}/", state.base_path);
        write!(
            stream,
            "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )?;
        return Ok(());
    }
    let (status, file) = if file.is_file() {
        ("200 OK", file)
    } else {
        ("404 Not Found", state.out.join("404.html"))
    };
    let mut body = std::fs::read(&file).unwrap_or_else(|_| b"not found\n".to_vec());
    let kind = content_type(&file);
    if kind.starts_with("text/html") {
        let mut html = String::from_utf8_lossy(&body).into_owned();
        let mut extra = reload_script(&state.base_path);
        if let Some(error) = &state
            .shared
            .lock()
            .expect("no panics while holding the lock")
            .error
        {
            extra.push_str(&error_box(error));
        }
        match html.rfind("</body>") {
            Some(i) => html.insert_str(i, &extra),
            None => html.push_str(&extra),
        }
        body = html.into_bytes();
    }
    send(stream, status, kind, &body)
}

fn send(mut stream: &TcpStream, status: &str, kind: &str, body: &[u8]) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)
}

/// Server-sent events: one message now, then one after every rebuild.
fn events(state: &State, mut stream: &TcpStream) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n"
    )?;
    let mut seen = state
        .shared
        .lock()
        .expect("no panics while holding the lock")
        .generation;
    write!(stream, "data: {seen}\n\n")?;
    stream.flush()?;
    loop {
        let shared = state
            .shared
            .lock()
            .expect("no panics while holding the lock");
        let (shared, _) = state
            .changed
            .wait_timeout_while(shared, Duration::from_secs(15), |s| s.generation == seen)
            .expect("no panics while holding the lock");
        if shared.generation == seen {
            drop(shared);
            // A comment keeps the connection open and finds out when the page has gone.
            write!(stream, ": ping\n\n")?;
        } else {
            seen = shared.generation;
            drop(shared);
            write!(stream, "data: {seen}\n\n")?;
        }
        stream.flush()?;
    }
}

/// Decodes `%XX` escapes (UTF-8 paths such as Arabic place slugs).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("places/%D8%AF/"), "places/د/");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("%Eد"), "%Eد");
    }
}

//! What `serve` answers: the built files under the base path (pages with the reload script
//! and the last build's error added), the event stream that tells pages to reload, and the
//! status. Every request is checked first (`http`), every path resolved inside the served
//! folder (`request_path`), and nothing outside that folder is ever opened.

use std::io::Write;
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use super::connections::Slot;
use super::http::{self, Method, Refusal, Request};
use super::request_path::SitePath;
use super::{EVENTS, STATUS, State};

/// Answers one connection.
pub(super) fn respond(state: &State, stream: &TcpStream, mut slot: Slot) -> std::io::Result<()> {
    http::prepare(stream)?;
    let request = match http::read_request(stream) {
        Ok(request) => request,
        Err(refusal) => return http::refuse(stream, &refusal),
    };
    slot.head_read();
    if !request.host_is_loopback(state.port) {
        return http::refuse(stream, &Refusal::Misdirected);
    }
    let path = request.target.split(['?', '#']).next().unwrap_or("/");
    let Some(rel) = path.strip_prefix(&state.base_path) else {
        return http::send(
            stream,
            request.method,
            "404 Not Found",
            "text/plain",
            b"outside the base path\n",
        );
    };
    if rel == EVENTS || rel == STATUS {
        // What pages of other sites must not read or hold open, whatever their Host.
        if !request.is_same_origin(state.port) {
            return http::refuse(stream, &Refusal::Forbidden);
        }
        if rel == STATUS {
            return status(state, stream, &request);
        }
        if slot.become_event_stream().is_err() {
            return http::refuse(stream, &Refusal::Busy);
        }
        return events(state, stream, &request);
    }
    match SitePath::parse(rel) {
        Ok(site_path) => file(state, stream, &request, &site_path),
        Err(_) => http::refuse(stream, &Refusal::NotFound),
    }
}

/// `<generation> <settled>`.
fn status(state: &State, stream: &TcpStream, request: &Request) -> std::io::Result<()> {
    let status = {
        let shared = state.lock();
        format!("{} {}\n", shared.generation, shared.settled)
    };
    http::send(
        stream,
        request.method,
        "200 OK",
        "text/plain",
        status.as_bytes(),
    )
}

/// The file `site_path` names, a redirect to the folder it names without its `/`, or the
/// site's 404 page.
fn file(
    state: &State,
    stream: &TcpStream,
    request: &Request,
    site_path: &SitePath,
) -> std::io::Result<()> {
    // Resolved with every link followed, and served only if that is still inside.
    let found = site_path
        .file_under(&state.out)
        .and_then(|file| std::fs::canonicalize(file).ok())
        .filter(|real| real.starts_with(&state.out));
    if let Some(real) = &found
        && !site_path.is_folder()
        && real.is_dir()
    {
        let location = format!("{}{}", state.base_path, site_path.folder_href());
        return http::redirect(stream, &location);
    }
    let (status, file) = match found.filter(|real| real.is_file()) {
        Some(real) => ("200 OK", real),
        None => ("404 Not Found", state.out.join("404.html")),
    };
    let kind = content_type(&file);
    if !kind.starts_with("text/html") {
        // Sent as it is read: a big file is never held whole, once per request.
        return match open(&file) {
            Ok((mut opened, length)) => {
                http::send_from(stream, request.method, status, kind, length, &mut opened)
            }
            Err(_) => http::refuse(stream, &Refusal::NotFound),
        };
    }
    let body = std::fs::read(&file).unwrap_or_else(|_| b"not found\n".to_vec());
    let mut html = String::from_utf8_lossy(&body).into_owned();
    let mut extra = reload_script(&state.base_path);
    if let Some(error) = &state.lock().error {
        extra.push_str(&error_box(error));
    }
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &extra),
        None => html.push_str(&extra),
    }
    http::send(stream, request.method, status, kind, html.as_bytes())
}

/// `file`, opened, and its length.
fn open(file: &Path) -> std::io::Result<(std::fs::File, u64)> {
    let opened = std::fs::File::open(file)?;
    let length = opened.metadata()?.len();
    Ok((opened, length))
}

/// Server-sent events: one message now, then one after every rebuild.
fn events(state: &State, mut stream: &TcpStream, request: &Request) -> std::io::Result<()> {
    if request.method == Method::Head {
        return http::send(stream, Method::Head, "200 OK", "text/event-stream", b"");
    }
    write!(
        stream,
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n"
    )?;
    let mut seen = state.lock().generation;
    write!(stream, "data: {seen}\n\n")?;
    stream.flush()?;
    loop {
        let (shared, _) = state
            .changed
            .wait_timeout_while(state.lock(), Duration::from_secs(15), |s| {
                s.generation == seen
            })
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

/// The script added to served pages: reload when a new build is announced.
fn reload_script(base_path: &str) -> String {
    format!(
        "<script>(function(){{var s=new EventSource('{base_path}{EVENTS}');var first=true;s.onmessage=function(){{if(first){{first=false;return;}}location.reload();}};}})();</script>"
    )
}

/// The box shown on top of pages while the last rebuild failed: one line at the bottom of
/// the window that opens onto the problems. It starts open on a wide screen and closed on a
/// phone, where the open box (half the window at most) would hide the page being fixed.
fn error_box(message: &str) -> String {
    let escaped = crate::render::views::escape(message);
    format!(
        "<div id=\"sijill-error\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;padding:.4rem 1rem;background:#fff0f0;color:#600;border-top:3px solid #c00;font:14px/1.4 monospace;z-index:9999\"><details><summary style=\"cursor:pointer;font-weight:700\">sijill: the last change broke the build; this is the last good version.</summary><pre style=\"margin:.4rem 0 0;white-space:pre-wrap;font:inherit\">{escaped}</pre></details></div><script>if(matchMedia('(min-width:48em)').matches)document.querySelector('#sijill-error details').open=true;</script>"
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
        Some("ico") => "image/x-icon",
        Some("jpg") | Some("jpeg") => "image/jpeg",
        _ => "application/octet-stream",
    }
}

//! A minimal static file server for browser tests: serves a built site on 127.0.0.1 under a
//! base path, in a background thread, for as long as the test runs.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;

/// Serves `dir` at `http://127.0.0.1:<port><base_path>`; returns the port.
pub fn serve(dir: PathBuf, base_path: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                // A single byte range (`Range: bytes=a-b`), as GitHub Pages serves: the
                // search page fetches the CSV rows of its results so.
                let mut range: Option<(usize, usize)> = None;
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    if let Some((name, value)) = line.trim_end().split_once(':')
                        && name.eq_ignore_ascii_case("range")
                        && let Some((a, b)) = value
                            .trim()
                            .strip_prefix("bytes=")
                            .and_then(|r| r.split_once('-'))
                    {
                        range = a.parse().ok().zip(b.parse().ok());
                    }
                    line.clear();
                }
                let target = request.split_whitespace().nth(1).unwrap_or("/");
                let path = target.split(['?', '#']).next().unwrap_or("/");
                let file = path.strip_prefix(base_path).map(|rel| {
                    let mut f = dir.join(rel);
                    if rel.is_empty() || rel.ends_with('/') {
                        f = f.join("index.html");
                    }
                    f
                });
                let (status, body, kind) = match file
                    .filter(|_| !path.contains(".."))
                    .and_then(|f| std::fs::read(&f).ok().map(|b| (f, b)))
                {
                    Some((f, body)) => {
                        let kind = match f.extension().and_then(|e| e.to_str()) {
                            Some("html") => "text/html; charset=utf-8",
                            Some("css") => "text/css",
                            Some("js") => "text/javascript",
                            Some("json") | Some("geojson") => "application/json",
                            Some("xml") => "application/xml",
                            _ => "text/plain; charset=utf-8",
                        };
                        ("200 OK", body, kind)
                    }
                    None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
                };
                let (status, body, content_range) = match range {
                    Some((a, b)) if status.starts_with("200") && a <= b && b < body.len() => (
                        "206 Partial Content",
                        body[a..=b].to_vec(),
                        format!("Content-Range: bytes {a}-{b}/{}\r\n", body.len()),
                    ),
                    _ => (status, body, String::new()),
                };
                let mut stream = &stream;
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n{content_range}Connection: close\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(&body);
            });
        }
    });
    port
}

//! The little HTTP/1.1 that `serve` speaks: a request head read within bounds of time and
//! size, checked before anything is served, and plain responses that close the connection.
//!
//! The browser that visits `serve` is hostile (any web page can make requests to
//! 127.0.0.1, and DNS rebinding lets it read the answers), so every request must name the
//! loopback in its `Host`, and a client can hold neither a thread nor memory for long.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// How long a client has to send its whole request head. A browser sends it at once; a
/// client that trickles it (or sends nothing) gives its thread back after this.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one write may wait for a client that does not read (a page of a big archive
/// is a few MB, written in pieces that each go as fast as loopback takes them).
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a whole response body may take: a client that reads a byte now and then
/// would otherwise keep each write just under [`WRITE_TIMEOUT`], and its thread for good.
/// Loopback carries the largest export of a big archive (tens of MB) in well under this.
pub const RESPONSE_TIMEOUT: Duration = Duration::from_secs(60);

/// The piece of a body written at a time, between looks at [`RESPONSE_TIMEOUT`].
const CHUNK: usize = 64 * 1024;

/// The longest request line, `GET <path> HTTP/1.1` (414 past it). The longest path of a
/// site is a few segments of at most 200 bytes each, percent-encoded three times longer.
pub const MAX_REQUEST_LINE: usize = 8 * 1024;

/// The most bytes of header lines (431 past it): browsers send 1 to 2 KB.
pub const MAX_HEADER_BYTES: usize = 64 * 1024;

/// The most header lines (431 past it): browsers send about 15.
pub const MAX_HEADERS: usize = 100;

/// What a client may send after a refusal before the connection is closed under it:
/// enough that the refusal reaches a client still sending, not enough to hold a thread.
const DRAIN_BYTES: usize = 1024 * 1024;

/// How long the rest of a refused request is read and thrown away, at most.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(1);

/// The methods served: the site is read-only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A file, or the event stream.
    Get,
    /// The same headers without a body.
    Head,
}

/// A request head that was read in full and within bounds.
#[derive(Debug)]
pub struct Request {
    /// `GET` or `HEAD`.
    pub method: Method,
    /// The path and query, as sent (`/sub/places/?x`).
    pub target: String,
    /// The `Host` header.
    pub host: Option<String>,
    /// The `Origin` header (browsers send it on cross-origin requests).
    pub origin: Option<String>,
    /// The `Sec-Fetch-Site` header (`same-origin`, `same-site`, `cross-site`, `none`).
    pub fetch_site: Option<String>,
}

/// Why a request is not served; each but `Gone` is answered with its status.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The client closed the connection or took longer than [`HEAD_TIMEOUT`]: no answer.
    Gone,
    /// A head that is not HTTP/1.x as this server reads it.
    BadRequest(&'static str),
    /// The request line is longer than [`MAX_REQUEST_LINE`].
    UriTooLong,
    /// The headers are more than [`MAX_HEADER_BYTES`] or [`MAX_HEADERS`].
    HeadersTooLarge,
    /// Neither `GET` nor `HEAD`.
    MethodNotAllowed,
    /// Not HTTP/1.0 or HTTP/1.1.
    VersionNotSupported,
    /// The `Host` does not name the loopback this server listens on (DNS rebinding).
    Misdirected,
    /// A cross-site request for the event stream or the status.
    Forbidden,
    /// A request path that could leave the served folder.
    NotFound,
    /// More connections than [`super::connections`] allows.
    Busy,
}

impl Refusal {
    /// The status line's code and reason, and a short body; `None` for [`Refusal::Gone`].
    fn status(&self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Refusal::Gone => return None,
            Refusal::BadRequest(why) => ("400 Bad Request", why),
            Refusal::UriTooLong => ("414 URI Too Long", "request line too long"),
            Refusal::HeadersTooLarge => (
                "431 Request Header Fields Too Large",
                "request headers too large",
            ),
            Refusal::MethodNotAllowed => ("405 Method Not Allowed", "only GET and HEAD"),
            Refusal::VersionNotSupported => (
                "505 HTTP Version Not Supported",
                "only HTTP/1.0 and HTTP/1.1",
            ),
            Refusal::Misdirected => (
                "421 Misdirected Request",
                "this server answers only to 127.0.0.1, localhost and [::1]",
            ),
            Refusal::Forbidden => ("403 Forbidden", "cross-site request"),
            Refusal::NotFound => ("404 Not Found", "not found"),
            Refusal::Busy => ("503 Service Unavailable", "too many connections"),
        })
    }
}

/// Reads one request head from `stream`, within [`HEAD_TIMEOUT`] and the size bounds.
pub fn read_request(stream: &TcpStream) -> Result<Request, Refusal> {
    let deadline = Instant::now() + HEAD_TIMEOUT;
    let mut reader = BufReader::with_capacity(4096, stream);
    let mut line = read_line(&mut reader, MAX_REQUEST_LINE, deadline)
        .map_err(|e| e.or(Refusal::UriTooLong))?;
    if line.is_empty() {
        // A client may end its previous request with an extra CRLF (RFC 9112 §2.2).
        line = read_line(&mut reader, MAX_REQUEST_LINE, deadline)
            .map_err(|e| e.or(Refusal::UriTooLong))?;
    }
    let mut request = request_line(&line)?;
    let mut budget = MAX_HEADER_BYTES;
    let mut hosts = 0;
    for count in 0.. {
        let line =
            read_line(&mut reader, budget, deadline).map_err(|e| e.or(Refusal::HeadersTooLarge))?;
        if line.is_empty() {
            break;
        }
        if count == MAX_HEADERS {
            return Err(Refusal::HeadersTooLarge);
        }
        budget -= line.len();
        let (name, value) = header(&line)?;
        let slot = if name.eq_ignore_ascii_case(b"host") {
            hosts += 1;
            &mut request.host
        } else if name.eq_ignore_ascii_case(b"origin") {
            &mut request.origin
        } else if name.eq_ignore_ascii_case(b"sec-fetch-site") {
            &mut request.fetch_site
        } else {
            continue;
        };
        let value = std::str::from_utf8(value).map_err(|_| Refusal::BadRequest("bad header"))?;
        *slot = Some(value.to_string());
    }
    if hosts > 1 {
        return Err(Refusal::BadRequest("more than one Host header"));
    }
    Ok(request)
}

/// How reading a line failed.
enum LineError {
    /// Closed, failed or too slow.
    Gone,
    /// Longer than its bound.
    TooLong,
}

impl LineError {
    /// The refusal, given the one for a line too long.
    fn or(self, too_long: Refusal) -> Refusal {
        match self {
            LineError::Gone => Refusal::Gone,
            LineError::TooLong => too_long,
        }
    }
}

/// Reads up to `\n`, at most `limit` bytes of it, before `deadline`; returns the line
/// without its `\r\n`. Never holds more than `limit` bytes, whatever the client sends.
fn read_line(
    reader: &mut BufReader<&TcpStream>,
    limit: usize,
    deadline: Instant,
) -> Result<Vec<u8>, LineError> {
    let mut line = Vec::new();
    loop {
        let left = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or(LineError::Gone)?;
        reader
            .get_ref()
            .set_read_timeout(Some(left))
            .map_err(|_| LineError::Gone)?;
        let buffer = reader.fill_buf().map_err(|_| LineError::Gone)?;
        if buffer.is_empty() {
            return Err(LineError::Gone);
        }
        let (take, done) = match buffer.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (buffer.len(), false),
        };
        if line.len() + take > limit {
            return Err(LineError::TooLong);
        }
        line.extend_from_slice(&buffer[..take]);
        reader.consume(take);
        if done {
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            return Ok(line);
        }
    }
}

/// `METHOD SP target SP HTTP/1.x`, with a target in origin form (`/path?query`).
fn request_line(line: &[u8]) -> Result<Request, Refusal> {
    let line = std::str::from_utf8(line).map_err(|_| Refusal::BadRequest("bad request line"))?;
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::BadRequest("bad request line"));
    };
    if !version.starts_with("HTTP/") {
        return Err(Refusal::BadRequest("bad request line"));
    }
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(Refusal::VersionNotSupported);
    }
    if !target.starts_with('/') || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Refusal::BadRequest("bad request target"));
    }
    let method = match method {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        _ => return Err(Refusal::MethodNotAllowed),
    };
    Ok(Request {
        method,
        target: target.to_string(),
        host: None,
        origin: None,
        fetch_site: None,
    })
}

/// `Name: value`, the value trimmed; a folded line (starting with a space) is refused.
fn header(line: &[u8]) -> Result<(&[u8], &[u8]), Refusal> {
    let bad = Refusal::BadRequest("bad header");
    let colon = line.iter().position(|&b| b == b':').ok_or(bad)?;
    let name = &line[..colon];
    if name.is_empty() || !name.iter().all(u8::is_ascii_graphic) {
        return Err(Refusal::BadRequest("bad header"));
    }
    Ok((name, line[colon + 1..].trim_ascii()))
}

/// The names a browser on this machine uses for the server (which listens on 127.0.0.1):
/// a page of any other name that resolves to 127.0.0.1 is another site (DNS rebinding).
const LOOPBACK_NAMES: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

impl Request {
    /// True when `Host` names the loopback at `port` (browsers leave out `:80`, so the
    /// port may be missing). A request without `Host` is refused: every browser sends it.
    pub fn host_is_loopback(&self, port: u16) -> bool {
        let Some(host) = &self.host else {
            return false;
        };
        LOOPBACK_NAMES.iter().any(|name| {
            host.eq_ignore_ascii_case(name)
                || host
                    .strip_suffix(&format!(":{port}"))
                    .is_some_and(|h| h.eq_ignore_ascii_case(name))
        })
    }

    /// True when the request comes from a page of this server (or from no page): no
    /// `Origin` but ours, no `Sec-Fetch-Site` but `same-origin` or `none`.
    pub fn is_same_origin(&self, port: u16) -> bool {
        let origin_ok = self.origin.as_deref().is_none_or(|origin| {
            LOOPBACK_NAMES
                .iter()
                .any(|name| origin.eq_ignore_ascii_case(&format!("http://{name}:{port}")))
        });
        let site_ok = self
            .fetch_site
            .as_deref()
            .is_none_or(|site| site == "same-origin" || site == "none");
        origin_ok && site_ok
    }
}

/// Sets the write timeout every answer is written under.
pub fn prepare(stream: &TcpStream) -> std::io::Result<()> {
    stream.set_write_timeout(Some(WRITE_TIMEOUT))
}

/// Answers `status` with `body` (only the headers for `HEAD`) and closes.
pub fn send(
    stream: &TcpStream,
    method: Method,
    status: &str,
    kind: &str,
    body: &[u8],
) -> std::io::Result<()> {
    send_from(stream, method, status, kind, body.len() as u64, &mut &*body)
}

/// Answers `status` with the `length` bytes read from `body`, a piece at a time (a file
/// is never read whole into memory), within [`RESPONSE_TIMEOUT`].
pub fn send_from(
    mut stream: &TcpStream,
    method: Method,
    status: &str,
    kind: &str,
    length: u64,
    body: &mut dyn Read,
) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {length}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"
    )?;
    if method == Method::Head {
        return Ok(());
    }
    let deadline = Instant::now() + RESPONSE_TIMEOUT;
    let mut chunk = vec![0u8; CHUNK];
    let mut left = length;
    while left > 0 {
        if Instant::now() > deadline {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        let n = body.read(&mut chunk[..CHUNK.min(left as usize)])?;
        if n == 0 {
            // The file shrank while it was sent (a rebuild rewrote it): the client sees
            // the connection close before the announced length.
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        stream.write_all(&chunk[..n])?;
        left -= n as u64;
    }
    Ok(())
}

/// Answers a redirect to `location`, a path that must start with a single `/`: a
/// `Location` of `//host/` or `scheme:` would send the browser to another site.
pub fn redirect(mut stream: &TcpStream, location: &str) -> std::io::Result<()> {
    if !location.starts_with('/') || location.starts_with("//") || location.contains('\\') {
        return refuse(stream, &Refusal::NotFound);
    }
    write!(
        stream,
        "HTTP/1.1 301 Moved Permanently\r\nLocation: {location}\r\nContent-Length: 0\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
    )
}

/// Answers a refusal, then reads (and throws away) a bounded rest of what the client is
/// still sending, so that closing does not reset the connection before it reads the answer.
pub fn refuse(stream: &TcpStream, refusal: &Refusal) -> std::io::Result<()> {
    if refusal.status().is_none() {
        return Ok(());
    }
    turn_away(stream, refusal)?;
    stream.shutdown(Shutdown::Write)?;
    stream.set_read_timeout(Some(DRAIN_TIMEOUT))?;
    let deadline = Instant::now() + DRAIN_TIMEOUT;
    let mut left = DRAIN_BYTES;
    let mut sink = [0u8; 8192];
    while left > 0 && Instant::now() < deadline {
        match (&mut &*stream).read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
    Ok(())
}

/// Answers a refusal and reads nothing: for the thread that accepts connections, which
/// must not wait on any of them.
pub fn turn_away(mut stream: &TcpStream, refusal: &Refusal) -> std::io::Result<()> {
    let Some((status, why)) = refusal.status() else {
        return Ok(());
    };
    let allow = if *refusal == Refusal::MethodNotAllowed {
        "Allow: GET, HEAD\r\n"
    } else {
        ""
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n{allow}Cache-Control: no-store\r\nConnection: close\r\n\r\n{why}\n",
        why.len() + 1
    )?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_host(host: Option<&str>) -> Request {
        let mut request = request_line(b"GET / HTTP/1.1").ok().unwrap();
        request.host = host.map(str::to_string);
        request
    }

    #[test]
    fn only_loopback_hosts_are_served() {
        for host in [
            "127.0.0.1:8000",
            "localhost:8000",
            "[::1]:8000",
            "LOCALHOST",
        ] {
            assert!(with_host(Some(host)).host_is_loopback(8000), "{host}");
        }
        for host in [
            "evil.example:8000",
            "127.0.0.1:8001",
            "localhost.:8000",
            "127.0.0.1.evil.example",
            "",
        ] {
            assert!(!with_host(Some(host)).host_is_loopback(8000), "{host}");
        }
        assert!(!with_host(None).host_is_loopback(8000));
    }

    #[test]
    fn request_lines() {
        assert_eq!(
            request_line(b"POST / HTTP/1.1").err(),
            Some(Refusal::MethodNotAllowed)
        );
        assert_eq!(
            request_line(b"GET http://evil/ HTTP/1.1").err(),
            Some(Refusal::BadRequest("bad request target"))
        );
        assert_eq!(
            request_line(b"GET / HTTP/2.0").err(),
            Some(Refusal::VersionNotSupported)
        );
        assert!(request_line(b"HEAD /a?b HTTP/1.0").is_ok());
    }
}

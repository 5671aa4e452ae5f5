//! `sijill serve` under a hostile browser: any web page can make requests to 127.0.0.1,
//! and DNS rebinding lets it read the answers. Through the real binary and raw HTTP over
//! `TcpStream`: no request path leaves the served folder, only loopback `Host`s are
//! answered, redirects stay under the base path, idle and trickling connections neither
//! pile up threads nor stay open, oversized heads are refused in bounded memory, and the
//! temporary site is made privately and removed when the server is stopped by a signal.

#![cfg(unix)]

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::*;

/// The server's address space: far above what serving a small site takes (its allocator
/// and thread stacks reserve about 1.6 GB of addresses up front, most never touched), far
/// below what would hurt the machine if a regression made it grow without bound.
const MEMORY_LIMIT: u64 = 4 << 30;

/// A server that runs longer than this is killed: a regression fails, never hangs.
const KILL_AFTER: Duration = Duration::from_secs(120);

/// A `sijill serve` child under a memory limit and a kill timeout, with its own `TMPDIR`.
struct Server {
    child: Child,
    port: u16,
    tmp: TempDir,
    _site: Site,
    stop_watchdog: Option<mpsc::Sender<()>>,
}

impl Server {
    /// Serves a two-report site under `base_url` and waits until it answers.
    fn start(name: &str, base_url: &str) -> Server {
        Server::start_with(name, base_url, |_| {})
    }

    /// As [`Server::start`], with `prepare` run on the temporary folder's path in the
    /// child, after fork and before exec (where the child knows its own pid).
    fn start_with(name: &str, base_url: &str, prepare: fn(&Path)) -> Server {
        Server::on(two_reports(name), base_url, prepare)
    }

    /// Serves `site`, with `prepare` run as for [`Server::start_with`].
    fn on(site: Site, base_url: &str, prepare: fn(&Path)) -> Server {
        let tmp = TempDir::new("serve-tmp");
        let port = free_port();
        let tmp_path = tmp.path().to_path_buf();
        let mut command = Command::new(BIN);
        command
            .args(["serve", "--port", &port.to_string(), "--base-url", base_url])
            .arg("--root")
            .arg(site.root())
            .env("TMPDIR", tmp.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        // SAFETY: only setrlimit and `prepare`'s plain system calls run in the child.
        unsafe {
            command.pre_exec(move || {
                let limit = libc::rlimit {
                    rlim_cur: MEMORY_LIMIT,
                    rlim_max: MEMORY_LIMIT,
                };
                libc::setrlimit(libc::RLIMIT_AS, &limit);
                prepare(&tmp_path);
                Ok(())
            });
        }
        let child = command.spawn().expect("start sijill serve");
        let (stop_watchdog, stopped) = mpsc::channel::<()>();
        let pid = child.id() as libc::pid_t;
        std::thread::spawn(move || {
            if stopped.recv_timeout(KILL_AFTER) == Err(mpsc::RecvTimeoutError::Timeout) {
                // SAFETY: a signal to the child, which has not been waited for yet.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        });
        let server = Server {
            child,
            port,
            tmp,
            _site: site,
            stop_watchdog: Some(stop_watchdog),
        };
        let status = format!("{}__sijill/status", base_path(base_url));
        let start = Instant::now();
        let listening = || TcpStream::connect(("127.0.0.1", port)).is_ok();
        while !listening() || server.get(&status).is_none_or(|(code, _, _)| code != 200) {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the server never answered"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    /// A `GET` with a loopback `Host`: the status, the headers and the body.
    fn get(&self, path: &str) -> Option<(u16, String, String)> {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n",
            self.port
        ))
    }

    /// Sends `head` as it is and reads the whole answer.
    fn raw(&self, head: &str) -> Option<(u16, String, String)> {
        let mut stream = self.connect();
        stream.write_all(head.as_bytes()).ok()?;
        read_answer(&mut stream)
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream
    }

    /// Asks for the event stream under `/sub/`: the connection and the start of its status
    /// line (`HTTP/1.1 200` or `HTTP/1.1 503`).
    fn open_event_stream(&self) -> (TcpStream, [u8; 12]) {
        let mut stream = self.connect();
        write!(
            stream,
            "GET /sub/__sijill/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )
        .unwrap();
        let mut first = [0u8; 12];
        stream.read_exact(&mut first).unwrap();
        (stream, first)
    }

    /// A line of `/proc/<pid>/status` (`Threads`, `VmHWM`), as a number.
    fn proc_status(&self, key: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("read /proc/<pid>/status");
        status
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("no {key} in {status}"))
    }

    /// The entries of the server's `TMPDIR` whose names start with `sijill-serve-`.
    fn temp_sites(&self) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = std::fs::read_dir(self.tmp.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("sijill-serve-"))
            .map(|e| e.path())
            .collect();
        found.sort();
        found
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        terminate(&mut self.child);
        drop(self.stop_watchdog.take());
    }
}

/// A site of two reports.
fn two_reports(name: &str) -> Site {
    let site = Site::new(name);
    site.report(
        "reports/a.md",
        &simple_report("First", "2018-02-04", "Syria", 3),
    )
    .report(
        "reports/b.md",
        &simple_report("Other", "2018-02-05", "Syria", 1),
    );
    site
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The path of the test sites' base URLs (`https://example.org/sub/` → `/sub/`).
fn base_path(base_url: &str) -> &str {
    base_url
        .strip_prefix("https://example.org")
        .expect("a base URL at example.org")
}

/// Reads an answer to its end: the status code, the headers and the body.
fn read_answer(stream: &mut TcpStream) -> Option<(u16, String, String)> {
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let code = text.split_whitespace().nth(1)?.parse().ok()?;
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    Some((code, head.to_string(), body.to_string()))
}

/// The `Location` header of an answer's head.
fn location(head: &str) -> Option<&str> {
    head.lines()
        .find_map(|l| l.strip_prefix("Location: "))
        .map(str::trim)
}

/// Request paths that decode to absolute paths, climb with `..`, or hide separators and
/// control characters: none may answer with a file outside the served folder.
#[test]
fn no_request_path_leaves_the_served_folder() {
    for base in ["https://example.org/sub/", "https://example.org/"] {
        let server = Server::start("serve-paths", base);
        let prefix = base_path(base).trim_end_matches('/');
        // A secret beside the served folder (the server's TMPDIR holds it), and the
        // machine's own files.
        let secret = server.tmp.path().join("secret.txt");
        std::fs::write(&secret, "the-secret-marker\n").unwrap();
        let secret = secret.to_str().unwrap().trim_start_matches('/').to_string();
        let encoded = secret.replace('/', "%2F");
        let attempts = [
            "//etc/passwd".to_string(),
            "/%2fetc%2fpasswd".to_string(),
            "/%2Fproc%2Fself%2Fenviron".to_string(),
            format!("//{secret}"),
            format!("/%2F{encoded}"),
            format!("/%2f{}", secret.replace('/', "%2f")),
            format!("/.//{secret}"),
            "/../../secret.txt".to_string(),
            "/..%2F..%2Fsecret.txt".to_string(),
            "/%2e%2e/%2e%2e/secret.txt".to_string(),
            "/reports/../../../secret.txt".to_string(),
            "/..%5C..%5Csecret.txt".to_string(),
            "/index.html%00.css".to_string(),
            "/%0d%0aSet-Cookie:x".to_string(),
        ];
        for attempt in &attempts {
            let path = format!("{prefix}{attempt}");
            let (code, head, body) = server.get(&path).expect("an answer");
            assert!(
                code == 404 || code == 400,
                "{path} answered {code}:\n{head}\n{body}"
            );
            for leaked in ["the-secret-marker", "root:", "PATH="] {
                assert!(!body.contains(leaked), "{path} leaked a file: {body}");
            }
            assert!(!head.contains("Set-Cookie"), "{path}: {head}");
        }
        // The site itself is still served, Arabic-free and plain paths alike.
        let (code, _, page) = server.get(&format!("{prefix}/reports/a/")).unwrap();
        assert_eq!(code, 200);
        assert!(page.contains("First"), "{page}");
        let (code, _, _) = server.get(&format!("{prefix}/")).unwrap();
        assert_eq!(code, 200);
    }
}

/// DNS rebinding: a page of `evil.example` that resolves to 127.0.0.1 sends its own name
/// as `Host`. Only the loopback's names are answered; the event stream and the status also
/// refuse requests from pages of other sites.
#[test]
fn only_loopback_hosts_are_answered() {
    let server = Server::start("serve-host", "https://example.org/sub/");
    let port = server.port;
    let request = |host: Option<&str>, extra: &str, path: &str| {
        let host = host.map_or(String::new(), |h| format!("Host: {h}\r\n"));
        server
            .raw(&format!(
                "GET {path} HTTP/1.1\r\n{host}{extra}Connection: close\r\n\r\n"
            ))
            .expect("an answer")
    };
    for host in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("127.0.0.1.nip.io:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        for path in ["/sub/", "/sub/reports/a/", "/sub/__sijill/status"] {
            let (code, _, body) = request(Some(&host), "", path);
            assert!(
                code == 421 || code == 403,
                "Host {host}, {path}: {code} {body}"
            );
            assert!(!body.contains("First") && !body.contains("<html"), "{body}");
        }
    }
    let (code, _, body) = request(None, "", "/sub/reports/a/");
    assert!(code == 400 || code == 421, "no Host: {code} {body}");
    assert!(!body.contains("First"), "{body}");
    let (code, _, _) = server
        .raw(&format!(
            "GET /sub/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\n\r\n"
        ))
        .unwrap();
    assert_eq!(code, 400, "two Hosts");

    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        format!("LocalHost:{port}"),
        "127.0.0.1".to_string(),
        "localhost".to_string(),
    ] {
        let (code, _, body) = request(Some(&host), "", "/sub/reports/a/");
        assert_eq!(code, 200, "Host {host}: {body}");
        assert!(body.contains("First"));
    }

    let host = format!("127.0.0.1:{port}");
    for path in ["/sub/__sijill/status", "/sub/__sijill/events"] {
        for extra in [
            "Origin: https://evil.example\r\n".to_string(),
            "Origin: null\r\n".to_string(),
            format!("Origin: http://127.0.0.1:{}\r\n", port.wrapping_add(1)),
            "Sec-Fetch-Site: cross-site\r\n".to_string(),
            "Sec-Fetch-Site: same-site\r\n".to_string(),
        ] {
            let (code, _, body) = request(Some(&host), &extra, path);
            assert_eq!(code, 403, "{path} with {extra}: {body}");
        }
    }
    let own = format!("Origin: http://localhost:{port}\r\nSec-Fetch-Site: same-origin\r\n");
    let (code, _, body) = request(Some(&host), &own, "/sub/__sijill/status");
    assert_eq!(code, 200, "{body}");
}

/// `//evil.example` must not answer `Location: //evil.example/`, which a browser follows
/// to another site; a folder's redirect goes under the base path.
#[test]
fn redirects_stay_under_the_base_path() {
    for base in ["https://example.org/", "https://example.org/sub/"] {
        let server = Server::start("serve-redirect", base);
        let prefix = base_path(base).trim_end_matches('/');
        for attempt in [
            "//tmp",
            "//evil.example",
            "/%2F%2Fevil.example",
            "/%5Cevil.example",
        ] {
            let path = format!("{prefix}{attempt}");
            let (code, head, _) = server.get(&path).unwrap();
            if let Some(to) = location(&head) {
                panic!("{path} redirected ({code}) to {to}");
            }
            assert!(code == 404 || code == 400, "{path}: {code}");
        }
        let (code, head, _) = server.get(&format!("{prefix}/reports")).unwrap();
        assert_eq!(code, 301);
        assert_eq!(location(&head), Some(format!("{prefix}/reports/").as_str()));
    }
}

/// Connections that send nothing, or trickle their head a byte at a time, hold neither a
/// thread each nor their connection for long: the server's threads stay bounded, a normal
/// request is still answered, and the server closes them.
#[test]
fn idle_and_slow_connections_are_bounded_and_closed() {
    let server = Server::start("serve-idle", "https://example.org/");
    let before = server.proc_status("Threads");
    let idle: Vec<TcpStream> = (0..200).map(|_| server.connect()).collect();
    // Accepted in order: once this is answered, all 200 idle ones were accepted before it.
    let (code, _, page) = server
        .get("/reports/a/")
        .expect("answered despite 200 idle");
    assert_eq!(code, 200, "{page}");
    let threads = server.proc_status("Threads");
    // 64 connections (`MAX_CONNECTIONS`), and the server's own threads besides.
    assert!(
        threads <= before + 64 + 4,
        "{threads} threads with 200 idle connections ({before} before)"
    );

    // A client that sends a byte of its head every 200 ms is cut off, as are the idle ones.
    let mut slow = server.connect();
    slow.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let started = Instant::now();
    let mut sent = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: ".iter().cycle();
    let closed = loop {
        if started.elapsed() > Duration::from_secs(60) {
            break false;
        }
        if slow.write_all(&[*sent.next().unwrap()]).is_err() {
            break true;
        }
        match slow.read(&mut [0u8; 64]) {
            Ok(0) => break true,
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut => {}
            _ => break true,
        }
    };
    assert!(
        closed,
        "a trickling client held its connection for a minute"
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    for (i, mut stream) in idle.into_iter().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        stream
            .set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        match stream.read(&mut [0u8; 64]) {
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut => {
                panic!("idle connection {i} is still held open")
            }
            _ => {}
        }
    }
    let (code, _, _) = server.get("/").unwrap();
    assert_eq!(code, 200);
}

/// A client that stops reading an answer, or reads it a trickle at a time, holds its
/// connection for at most 10 s without progress (the write timeout) and 60 s in all.
#[test]
fn slow_readers_are_cut_off() {
    const BIG: usize = 64 << 20;
    let site = two_reports("serve-slow-readers");
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::fs::write(site.root().join("static/big.bin"), vec![b'x'; BIG]).unwrap();
    let server = Server::on(site, "https://example.org/", |_| {});
    let request = format!(
        "GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        server.port
    );
    let mut stalled = server.connect();
    stalled.write_all(request.as_bytes()).unwrap();
    let mut trickling = server.connect();
    trickling.write_all(request.as_bytes()).unwrap();
    let trickler = std::thread::spawn(move || {
        // 512 KiB a second for 75 s, then the rest at once. Fast enough that each write
        // of the server makes progress within its write timeout (the kernel wakes a
        // writer when a good part of its buffer is free, a few MB); too slow to take
        // the whole file within 60 s.
        let mut piece = vec![0u8; 512 * 1024];
        let mut got = 0;
        for _ in 0..75 {
            std::thread::sleep(Duration::from_secs(1));
            if trickling.read_exact(&mut piece).is_err() {
                return got;
            }
            got += piece.len();
        }
        let mut rest = Vec::new();
        let _ = trickling.read_to_end(&mut rest);
        got + rest.len()
    });
    std::thread::sleep(Duration::from_secs(20));
    let mut received = Vec::new();
    let _ = stalled.read_to_end(&mut received);
    assert!(
        received.len() < BIG,
        "a client that read nothing for 20 s was still sent all {} bytes",
        received.len()
    );
    let trickled = trickler.join().unwrap();
    assert!(
        trickled < BIG,
        "a client reading 512 KiB a second was sent all {trickled} bytes"
    );
    let (code, _, _) = server.get("/").unwrap();
    assert_eq!(code, 200);
}

/// Event streams hold their connection for as long as a page is open: they are bounded
/// apart, so pages and the status still answer while the most of them are open.
#[test]
fn event_streams_are_bounded() {
    let server = Server::start("serve-events", "https://example.org/sub/");
    let mut open = Vec::new();
    let mut refused = 0;
    for _ in 0..40 {
        let (stream, first) = server.open_event_stream();
        match &first {
            b"HTTP/1.1 200" => open.push(stream),
            b"HTTP/1.1 503" => refused += 1,
            other => panic!("{}", String::from_utf8_lossy(other)),
        }
    }
    assert_eq!(
        open.len(),
        16,
        "at most 16 event streams ({refused} refused)"
    );
    let (code, _, _) = server.get("/sub/__sijill/status").unwrap();
    assert_eq!(code, 200);
    let (code, _, page) = server.get("/sub/reports/a/").unwrap();
    assert_eq!(code, 200, "{page}");
    // A stream that closes gives its place back.
    drop(open.pop());
    let start = Instant::now();
    loop {
        let (_stream, first) = server.open_event_stream();
        if &first == b"HTTP/1.1 200" {
            break;
        }
        // The server learns the stream closed at its next write (a ping, every 15 s).
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "never given back"
        );
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// A request line of 256 MB is refused after its first 8 KiB, without the server's memory
/// growing; as are too many or too large headers, and methods other than GET and HEAD.
#[test]
fn oversized_heads_are_refused_in_bounded_memory() {
    let server = Server::start("serve-sizes", "https://example.org/");
    let port = server.port;
    let peak_before = server.proc_status("VmHWM");

    let mut stream = server.connect();
    stream.write_all(b"GET /").unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..256 {
        if stream.write_all(&chunk).is_err() {
            break;
        }
    }
    let _ = stream.write_all(format!(" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes());
    let answer = read_answer(&mut stream);
    let peak = server.proc_status("VmHWM");
    assert!(
        peak < peak_before + 64 * 1024,
        "peak memory went from {peak_before} kB to {peak} kB"
    );
    let (code, _, _) = answer.expect("an answer to the long request line");
    assert_eq!(code, 414);

    let many: String = (0..200).map(|i| format!("X-{i}: {i}\r\n")).collect();
    let (code, _, _) = server
        .raw(&format!(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{many}\r\n"
        ))
        .unwrap();
    assert_eq!(code, 431, "200 headers");
    let big = "b".repeat(100 * 1024);
    let (code, _, _) = server
        .raw(&format!(
            "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Big: {big}\r\n\r\n"
        ))
        .unwrap();
    assert_eq!(code, 431, "a 100 KB header");
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let (code, head, _) = server
            .raw(&format!(
                "{method} / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n\r\n"
            ))
            .unwrap();
        assert_eq!(code, 405, "{method}");
        assert!(head.contains("Allow: GET, HEAD"), "{head}");
    }
    let (code, head, body) = server
        .raw(&format!(
            "HEAD /reports/a/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
        ))
        .unwrap();
    assert_eq!(code, 200);
    assert!(head.contains("Content-Length: "), "{head}");
    assert!(body.is_empty(), "HEAD has no body: {body}");
    assert!(
        server.proc_status("VmHWM") < peak_before + 64 * 1024,
        "peak memory grew"
    );
}

/// Stopped by SIGTERM, SIGINT or SIGHUP, the server removes the temporary site it built
/// (made readable by its owner only) and dies of the signal.
#[test]
fn signals_remove_the_temporary_site() {
    for signal in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
        let mut server = Server::start("serve-signal", "https://example.org/");
        let sites = server.temp_sites();
        assert_eq!(sites.len(), 1, "{sites:?}");
        let mode = std::fs::metadata(&sites[0]).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700, "{:?} is {mode:o}", sites[0]);
        assert!(sites[0].join("site/index.html").is_file());
        // SAFETY: a signal to the child, which has not been waited for yet.
        unsafe { libc::kill(server.child.id() as libc::pid_t, signal) };
        let status = server.child.wait().unwrap();
        assert_eq!(status.signal(), Some(signal), "{status:?}");
        assert_eq!(
            server.temp_sites(),
            Vec::<PathBuf>::new(),
            "signal {signal}"
        );
    }
}

/// Another user of the machine may create `sijill-serve-<pid>` first, as a link to a
/// folder of theirs: the server never builds into (nor removes) what it did not create.
#[test]
fn a_temporary_folder_made_by_someone_else_is_not_used() {
    /// Runs in the child before exec: plants `sijill-serve-<its pid>` → `planted/`.
    /// Nothing is allocated here (the parent has other threads).
    fn plant(tmp: &Path) {
        fn c_path(buffer: &mut [u8; 4096], parts: &[&[u8]]) -> Option<*const libc::c_char> {
            let mut at = 0;
            for part in parts {
                buffer.get_mut(at..at + part.len())?.copy_from_slice(part);
                at += part.len();
            }
            *buffer.get_mut(at)? = 0;
            Some(buffer.as_ptr().cast())
        }
        // SAFETY: getpid cannot fail.
        let mut pid = unsafe { libc::getpid() } as u32;
        let mut digits = [0u8; 10];
        let mut start = digits.len();
        while pid > 0 || start == digits.len() {
            start -= 1;
            digits[start] = b'0' + (pid % 10) as u8;
            pid /= 10;
        }
        let tmp = tmp.as_os_str().as_bytes();
        let (mut name, mut target) = ([0u8; 4096], [0u8; 4096]);
        if let (Some(name), Some(target)) = (
            c_path(&mut name, &[tmp, b"/sijill-serve-", &digits[start..]]),
            c_path(&mut target, &[tmp, b"/planted"]),
        ) {
            // SAFETY: two NUL-terminated paths in buffers that outlive the calls.
            unsafe {
                libc::mkdir(target, 0o777);
                libc::symlink(target, name);
            }
        }
    }
    let mut server = Server::start_with("serve-planted", "https://example.org/", plant);
    let planted = server.tmp.path().join("planted");
    let link = server
        .tmp
        .path()
        .join(format!("sijill-serve-{}", server.child.id()));
    assert!(link.is_symlink(), "the link was planted");
    assert_eq!(
        std::fs::read_dir(&planted).unwrap().count(),
        0,
        "nothing was built into the planted folder"
    );
    let (code, _, _) = server.get("/reports/a/").unwrap();
    assert_eq!(code, 200, "served from a folder of its own");
    // SAFETY: a signal to the child, which has not been waited for yet.
    unsafe { libc::kill(server.child.id() as libc::pid_t, libc::SIGTERM) };
    server.child.wait().unwrap();
    assert!(
        link.is_symlink() && planted.is_dir(),
        "what it found is left alone"
    );
    assert_eq!(server.temp_sites(), vec![link], "its own folder is removed");
}

//! `sijill serve`: serves under the base path, rebuilds on change and tells open pages to
//! reload, shows a broken build's error over the last good site, and recovers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;
use sijill::pipeline::BuildOptions;
use sijill::preview::{Preview, Rebuilt};

fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut text = String::new();
    s.read_to_string(&mut text).ok()?;
    let status = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    Some((status, body))
}

/// Polls `path` until `ok(body)`; returns how long it took.
fn wait_for(port: u16, path: &str, what: &str, mut ok: impl FnMut(&str) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        if let Some((_, body)) = get(port, path)
            && ok(&body)
        {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        terminate(&mut self.0);
    }
}

fn report(title: &str, extra: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: 2018-02-04\nlocations: [Syria/Idlib/Saraqib]\ncasualties: {{killed: 3}}\n{extra}---\nText.\n"
    )
}

#[test]
fn serve_rebuilds_reloads_shows_errors_and_recovers() {
    let site = Site::new("serve");
    site.report("reports/a.md", &report("First title", ""))
        .report("reports/b.md", &report("Other report", ""));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _server = Server(
        Command::new(BIN)
            .args([
                "serve",
                "--port",
                &port.to_string(),
                "--base-url",
                "https://example.org/sub/",
                "--root",
            ])
            .arg(site.root())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(port, "/sub/reports/a/", "the first build", |b| {
        b.contains("First title")
    });
    let (status, home) = get(port, "/sub/").unwrap();
    assert_eq!(status, 200);
    assert!(
        home.contains("href=\"/sub/places/\""),
        "links under the base path"
    );
    assert!(
        home.contains("/sub/__sijill/events"),
        "the reload script is added while serving"
    );
    assert_eq!(get(port, "/other/").unwrap().0, 404);

    // Listen for the reload signal before changing anything.
    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        events,
        "GET /sub/__sijill/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut events = BufReader::new(events);
    let mut line = String::new();
    let mut data = Vec::new();
    while data.is_empty() {
        line.clear();
        events.read_line(&mut line).unwrap();
        if let Some(d) = line.strip_prefix("data: ") {
            data.push(d.trim().to_string());
        }
    }

    let changed_at = Instant::now();
    site.report("reports/a.md", &report("Second title", ""));
    let took = wait_for(port, "/sub/reports/a/", "the changed page", |b| {
        b.contains("Second title")
    });
    loop {
        line.clear();
        events.read_line(&mut line).unwrap();
        if let Some(d) = line.strip_prefix("data: ") {
            assert_ne!(d.trim(), data[0], "a new build is announced");
            break;
        }
    }
    eprintln!(
        "change visible after {took:?}; reload signal after {:?}",
        changed_at.elapsed()
    );

    // A broken report: the error is shown, the last good site stays.
    site.report("reports/a.md", &report("Third title", "casualites: 3\n"));
    wait_for(port, "/sub/reports/b/", "the error box", |b| {
        b.contains("sijill-error")
    });
    let (_, page) = get(port, "/sub/reports/a/").unwrap();
    assert!(
        page.contains("Second title"),
        "the last good page is still served"
    );
    // One line that opens onto the problems: open at first on a wide screen only.
    assert!(
        page.contains("<details><summary style=")
            && page.contains("document.querySelector('#sijill-error details').open=true"),
        "{page}"
    );
    assert!(
        page.contains("reports/a.md:6:1: error[unknown-field]"),
        "{page}"
    );

    // Fixed: the error goes away and the change shows.
    site.report("reports/a.md", &report("Fourth title", ""));
    wait_for(port, "/sub/reports/a/", "recovery", |b| {
        b.contains("Fourth title") && !b.contains("sijill-error")
    });
}

#[test]
fn built_sites_never_carry_the_reload_script() {
    let site = Site::new("no-reload");
    site.report("reports/a.md", &report("A", ""));
    assert_success(&site.build(&[]));
    for (file, bytes) in snapshot(&site.out()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__sijill"),
            "{file}"
        );
    }
}

/// A report of the incremental-rebuild fixture: `i` picks its place, date, terms and kind.
fn numbered(i: usize, killed: u32, day: u32) -> String {
    let place = ["Syria/Idlib/Saraqib", "Syria/Idlib/Ariha", "Syria/Aleppo"][i % 3];
    let types = if i % 4 == 1 {
        "[airstrike, shelling]"
    } else {
        "[shelling]"
    };
    let tags = if i.is_multiple_of(5) {
        "tags: [market]\n"
    } else {
        ""
    };
    let kind = if i % 11 == 7 { "kind: summary\n" } else { "" };
    format!(
        "---\ntitle: \"Report {i}\"\ndate: 2019-01-{day:02}\nlocations: [{place}]\ncasualties: {{killed: {killed}}}\nincident_types: {types}\n{tags}{kind}---\nText of report {i}.\n"
    )
}

/// A report over two days and two places, with counts of its own for each place.
fn split(saraqib: u32, total: &str) -> String {
    format!(
        "---\ntitle: \"Split\"\ndate: 2019-01-04\nperiod: {{start: 2019-01-03, end: 2019-01-04}}\nlocations:\n  - place: Syria/Idlib/Saraqib\n    killed: {saraqib}\n  - place: Syria/Aleppo\n    killed: 1\ncasualties: {total}\nincident_types: [shelling]\n---\nTwo places.\n"
    )
}

/// Waits until the server's rebuild after `generation` has written its exports too.
fn wait_settled(port: u16, generation: u64) -> u64 {
    let mut now = 0;
    wait_for(port, "/sub/__sijill/status", "the rebuild to settle", |b| {
        let mut parts = b.split_whitespace().map(|x| x.parse::<u64>().unwrap_or(0));
        let (g, settled) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
        now = settled;
        g > generation && settled == g
    });
    now
}

/// Asserts that `served` holds, byte for byte, what a clean build of `site` with `args`
/// writes; `what` names the change in the message.
fn assert_clean(site: &Site, served: &std::path::Path, args: &[&str], what: &str) {
    let clean = site.root().join("clean");
    let out = run_build(&site.root(), &clean, args);
    assert!(out.status.success(), "{out:?}");
    let (a, b) = (snapshot(served), snapshot(&clean));
    let differ: Vec<&String> = a
        .keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "{what}: differs from a clean build: {differ:?}"
    );
    std::fs::remove_dir_all(clean).unwrap();
}

/// Design note #8: a preview that re-renders only what a change touches must produce the
/// very bytes a clean build does. Each change below is compared with a clean build.
#[test]
fn incremental_rebuilds_equal_clean_builds() {
    let site = Site::new("serve-incremental");
    // 130 reports, 50 a page: listings of three pages, so a moved report shifts other
    // pages too.
    site.config("per_page: 50\n");
    for i in 0..130 {
        site.report(
            &format!("reports/r{i:03}.md"),
            &numbered(i, i as u32 % 7, 1 + (i % 28) as u32),
        );
    }
    site.report("reports/split.md", &split(2, "{killed: 4}"));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let log = site.root().join("serve.log");
    let server = Server(
        Command::new(BIN)
            .args(["serve", "--port", &port.to_string()])
            .args(["--base-url", "https://example.org/sub/", "--root"])
            .arg(site.root())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap(),
    );
    let served = std::env::temp_dir()
        .join(format!("sijill-serve-{}", server.0.id()))
        .join("site");
    let mut generation = wait_settled(port, 0);
    let base = format!("http://127.0.0.1:{port}/sub/");
    let compare = |what: &str| assert_clean(&site, &served, &["--base-url", &base], what);
    compare("first build");

    // Changes that keep the site's shape: each is read alone and patched into the model.
    let edits: Vec<(&str, &str, String)> = vec![
        (
            "counts and title changed",
            "r050",
            numbered(50, 99, 23).replace("Report 50", "Renamed"),
        ),
        // A new date moves the report within its listings: the pages in between change.
        ("date changed", "r050", numbered(50, 99, 2)),
        (
            "body changed",
            "r060",
            numbered(60, 4, 5).replace("Text of", "New text of"),
        ),
        // "Airstrike" sorts before "airstrike": the term takes that name, then gets its
        // old one back when the spelling goes.
        (
            "terms changed",
            "r063",
            numbered(63, 5, 6).replace("[shelling]\n", "[Airstrike, shelling]\ntags: [market]\n"),
        ),
        ("spelling gone", "r063", numbered(63, 5, 6)),
        // The older/newer links of the reports around it, in both places, change.
        (
            "place changed",
            "r052",
            numbered(52, 3, 25).replace("Syria/Idlib/Ariha", "Syria/Aleppo"),
        ),
        (
            "per-place counts changed",
            "split",
            split(3, "{killed: 5, injured: {min: 2}}"),
        ),
        ("summary changed", "r007", numbered(7, 40, 8)),
        // A first report in Arabic: its page takes the Arabic interface, header and dates.
        (
            "language changed",
            "r064",
            numbered(64, 2, 7).replace("---\nText", "lang: ar\n---\nText"),
        ),
    ];
    for (what, id, text) in &edits {
        site.report(&format!("reports/{id}.md"), text);
        generation = wait_settled(port, generation);
        compare(what);
    }
    // An editor that saves by writing a temporary file and renaming it over the report.
    let temp = site.root().join("content/reports/.r062.md.tmp");
    std::fs::write(&temp, numbered(62, 1, 9).replace("Report 62", "Saved")).unwrap();
    std::fs::rename(&temp, site.root().join("content/reports/r062.md")).unwrap();
    generation = wait_settled(port, generation);
    compare("saved by renaming");

    let text = std::fs::read_to_string(&log).unwrap();
    let partial: Vec<&str> = text.lines().filter(|l| l.starts_with("rebuilt ")).collect();
    assert_eq!(
        partial.len(),
        edits.len() + 1,
        "every change was rebuilt incrementally: {text}"
    );
    for line in &partial {
        let pages: usize = line.split(' ').nth(1).unwrap().parse().unwrap();
        assert!(pages < 60, "only the touched pages were rendered: {line}");
        assert!(
            line.contains("model patched, 1 report file read)"),
            "the changed file alone was read, the model patched: {line}"
        );
    }

    // A change made while the build is broken is not lost when the build recovers.
    site.report(
        "reports/r070.md",
        &numbered(70, 1, 3).replace("title", "titel"),
    );
    generation = wait_settled(port, generation);
    site.report(
        "reports/r071.md",
        &numbered(71, 1, 3).replace("Report 71", "Changed while broken"),
    );
    generation = wait_settled(port, generation);
    site.report("reports/r070.md", &numbered(70, 1, 3));
    generation = wait_settled(port, generation);
    compare("recovered");

    // Reports added or removed, a new place, a new day between two others: the model is
    // built again, but only the pages that differ are written (a removed report's page
    // goes; the days around a new one link to it).
    let rebuilt_lines = |log: &str| log.lines().filter(|l| l.starts_with("rebuilt ")).count();
    let before = rebuilt_lines(&std::fs::read_to_string(&log).unwrap());
    site.report(
        "reports/r051.md",
        &numbered(51, 1, 3).replace("Syria/Idlib/Saraqib", "Syria/Hama"),
    );
    generation = wait_settled(port, generation);
    compare("place added");
    site.report("reports/r200.md", &numbered(200, 3, 9));
    generation = wait_settled(port, generation);
    compare("report added");
    site.report(
        "reports/r201.md",
        &numbered(201, 2, 1).replace("2019-01-01", "2019-01-30"),
    );
    generation = wait_settled(port, generation);
    compare("report on a new day");
    site.remove("reports/r090.md");
    generation = wait_settled(port, generation);
    compare("report removed");
    // Listings that go: their pages, feeds and search postings go too, and the periods
    // around a month that went link to each other again.
    site.remove("reports/r051.md");
    generation = wait_settled(port, generation);
    compare("place gone");
    let alone = numbered(202, 2, 1)
        .replace("2019-01-01", "2019-02-15")
        .replace("[shelling]", "[siege]\ntags: [checkpoint]");
    site.report("reports/r202.md", &alone);
    generation = wait_settled(port, generation);
    compare("new month, type and tag");
    site.remove("reports/r202.md");
    wait_settled(port, generation);
    compare("month, type and tag gone");
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        rebuilt_lines(&text),
        before + 7,
        "each of these rebuilds only what differs: {text}"
    );
}

/// The preview reads only the files it is told changed: a report changed without being
/// named is not read again (nothing else under `content/` is looked at), until it is named.
#[test]
fn a_named_change_reads_only_the_named_files() {
    let site = Site::new("serve-named");
    for i in 0..3 {
        site.report(&format!("reports/r{i}.md"), &numbered(i, 1, 1 + i as u32));
    }
    let mut preview = Preview::new(BuildOptions {
        root: site.root(),
        out: Some(site.out()),
        drafts: true,
        force: true,
        ..Default::default()
    });
    let named = |id: &str| [PathBuf::from(format!("content/reports/{id}.md"))];
    let page = |id: &str| {
        std::fs::read_to_string(site.out().join(format!("reports/{id}/index.html"))).unwrap()
    };
    assert!(matches!(
        preview.rebuild(None, &|| ()).unwrap(),
        Rebuilt::Site(_)
    ));
    site.report(
        "reports/r0.md",
        &numbered(0, 5, 1).replace("Report 0", "Named"),
    );
    site.report(
        "reports/r1.md",
        &numbered(1, 5, 2).replace("Report 1", "Unnamed"),
    );
    let rebuilt = preview.rebuild(Some(&named("r0")), &|| ()).unwrap();
    assert!(
        matches!(
            rebuilt,
            Rebuilt::Pages {
                read: 1,
                patched: true,
                ..
            }
        ),
        "{rebuilt:?}"
    );
    assert!(page("r0").contains("Named"));
    assert!(
        page("r1").contains("Report 1"),
        "r1 was not named: not read"
    );
    let rebuilt = preview.rebuild(Some(&named("r1")), &|| ()).unwrap();
    assert!(matches!(rebuilt, Rebuilt::Pages { read: 1, .. }));
    assert!(page("r1").contains("Unnamed"));
    // An editor's temporary file is not a report: nothing to do.
    let temp = [PathBuf::from("content/reports/.r1.md.swp")];
    assert!(matches!(
        preview.rebuild(Some(&temp), &|| ()).unwrap(),
        Rebuilt::Nothing
    ));
}

/// The exports of a quick rebuild come after it, from a copy of the model; exports made
/// stale by a newer build are skipped, so an older copy never overwrites newer exports.
#[test]
fn exports_follow_and_stale_ones_are_skipped() {
    let (site, mut preview) = previewed("serve-exports", None, &[0, 1, 2]);
    let data = || std::fs::read_to_string(site.out().join("data/reports.json")).unwrap();
    let mut edit = |title: &str| {
        site.report(
            "reports/r0.md",
            &numbered(0, 1, 1).replace("Report 0", title),
        );
        let named = [PathBuf::from("content/reports/r0.md")];
        match preview.rebuild(Some(&named), &|| ()).unwrap() {
            Rebuilt::Pages { exports, .. } => exports,
            other => panic!("{other:?}"),
        }
    };
    let first = edit("First edit");
    assert!(data().contains("Report 0"), "the exports wait");
    let second = edit("Second edit");
    assert!(!first.write().unwrap(), "a newer build made them stale");
    assert!(data().contains("Report 0"));
    assert!(second.write().unwrap());
    assert!(data().contains("Second edit"));
}

/// Settings changed while the content is broken are not lost: the report edit that fixes
/// the content builds with the new settings, not the last good build's.
#[test]
fn settings_changed_while_broken_apply_once_fixed() {
    let (site, mut preview) = previewed("serve-settings-broken", None, &[0, 1]);
    let r1 = [PathBuf::from("content/reports/r1.md")];
    // A link to a file that is not there: an error of the whole archive, not of the file.
    site.report(
        "reports/r1.md",
        &format!("{}See [this](gone.md).\n", numbered(1, 1, 2)),
    );
    assert!(preview.rebuild(Some(&r1), &|| ()).is_err());
    site.config("title: Renamed archive\n");
    let settings = [PathBuf::from("site.yaml")];
    assert!(preview.rebuild(Some(&settings), &|| ()).is_err());
    site.report("reports/r1.md", &numbered(1, 1, 2));
    preview.rebuild(Some(&r1), &|| ()).unwrap();
    let page = std::fs::read_to_string(site.out().join("reports/r0/index.html")).unwrap();
    assert!(page.contains("Renamed archive"), "{page}");
}

/// A site of the `numbered` reports `numbers` (with `config` as its `site.yaml`, if any),
/// and a preview of it that has made its first build.
fn previewed(name: &str, config: Option<&str>, numbers: &[usize]) -> (Site, Preview) {
    let site = Site::new(name);
    if let Some(config) = config {
        site.config(config);
    }
    for &i in numbers {
        site.report(&format!("reports/r{i}.md"), &numbered(i, 1, 1 + i as u32));
    }
    let mut preview = Preview::new(BuildOptions {
        root: site.root(),
        out: Some(site.out()),
        ..Default::default()
    });
    preview.rebuild(None, &|| ()).unwrap();
    (site, preview)
}

/// A quick rebuild in which a listing loses its last page removes that page, and one in
/// which it gains a page writes it; the sitemap follows. Both end as a clean build does.
#[test]
fn listings_that_lose_or_gain_a_page_match_a_clean_build() {
    // Places by `i % 3`: Saraqib, Ariha, Aleppo. Aleppo has three reports: two pages.
    let (site, mut preview) = previewed("serve-paging", Some("per_page: 2\n"), &[0, 1, 2, 5, 8]);
    let compare = |what: &str| assert_clean(&site, &site.out(), &[], what);
    let second_page = site.out().join("places/syria/aleppo/page/2/index.html");
    assert!(second_page.is_file());
    let named = [PathBuf::from("content/reports/r2.md")];
    for (what, place) in [
        ("moved out", "Syria/Idlib/Ariha"),
        ("moved back", "Syria/Aleppo"),
    ] {
        site.report(
            "reports/r2.md",
            &numbered(2, 1, 3).replace("Syria/Aleppo", place),
        );
        match preview.rebuild(Some(&named), &|| ()).unwrap() {
            Rebuilt::Pages {
                patched: true,
                exports,
                ..
            } => assert!(exports.write().unwrap()),
            other => panic!("{what}: not patched: {other:?}"),
        }
        assert_eq!(second_page.is_file(), what == "moved back", "{what}");
        compare(what);
    }
}

/// A report leaving a listing from its last page: the pages before it keep their reports,
/// and what they show of the listing (the first page its count, every page the number of
/// pages) must still be what a clean build writes.
#[test]
fn a_listing_that_shrinks_matches_a_clean_build() {
    // Aleppo (`i % 3 == 2`), newest first: r17 r14 | r11 r8 | r5 r2.
    let (site, mut preview) = previewed(
        "serve-count",
        Some("per_page: 2\n"),
        &[0, 1, 2, 5, 8, 11, 14, 17],
    );
    site.report(
        "reports/r2.md",
        &numbered(2, 1, 3).replace("Syria/Aleppo", "Syria/Idlib/Ariha"),
    );
    let named = [PathBuf::from("content/reports/r2.md")];
    match preview.rebuild(Some(&named), &|| ()).unwrap() {
        Rebuilt::Pages { exports, .. } => assert!(exports.write().unwrap()),
        other => panic!("not a quick rebuild: {other:?}"),
    }
    assert_clean(&site, &site.out(), &[], "r2 left Aleppo");
}

/// A listing cut at `max_pages` that stops being cut: its last page, whose reports are
/// the same, loses its link to the search as a clean build does.
#[test]
fn a_listing_that_fits_its_pages_again_matches_a_clean_build() {
    // Aleppo (`i % 3 == 2`), newest first: r14 r11 | r8 r5 | r2, two pages at most.
    let (site, mut preview) = previewed(
        "serve-cut",
        Some("per_page: 2\nmax_pages: 2\n"),
        &[0, 1, 2, 5, 8, 11, 14],
    );
    let last = site.out().join("places/syria/aleppo/page/2/index.html");
    let search = "/search/?place=syria/aleppo";
    assert!(std::fs::read_to_string(&last).unwrap().contains(search));
    site.report(
        "reports/r2.md",
        &numbered(2, 1, 3).replace("Syria/Aleppo", "Syria/Idlib/Ariha"),
    );
    let named = [PathBuf::from("content/reports/r2.md")];
    match preview.rebuild(Some(&named), &|| ()).unwrap() {
        Rebuilt::Pages { exports, .. } => assert!(exports.write().unwrap()),
        other => panic!("not a quick rebuild: {other:?}"),
    }
    assert!(!std::fs::read_to_string(&last).unwrap().contains(search));
    assert_clean(&site, &site.out(), &[], "r2 left Aleppo");
}

/// A file of `static/` the site already had, changed in place, is copied alone: no page
/// is rendered. A new one, or one changed while a report change waits from a failed build,
/// takes a build. Each ends as a clean build does.
#[test]
fn a_changed_static_file_is_copied_alone() {
    let (site, mut preview) = previewed("serve-static", None, &[0, 1, 2]);
    let write = |rel: &str, text: &str| {
        let path = site.root().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let compare = |what: &str| assert_clean(&site, &site.out(), &[], what);
    let css = [PathBuf::from("static/style.css")];
    // The default style, until the site has its own: that takes a build.
    write("static/style.css", "body { color: red }\n");
    assert!(matches!(
        preview.rebuild(Some(&css), &|| ()).unwrap(),
        Rebuilt::Site(_)
    ));
    compare("own style added");
    write("static/style.css", "body { color: blue }\n");
    assert!(matches!(
        preview.rebuild(Some(&css), &|| ()).unwrap(),
        Rebuilt::Static { files: 1, .. }
    ));
    compare("own style changed");

    // The site's own robots.txt stays when a report change rewrites the exports.
    write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    let robots = [PathBuf::from("static/robots.txt")];
    assert!(matches!(
        preview.rebuild(Some(&robots), &|| ()).unwrap(),
        Rebuilt::Site(_)
    ));
    site.report("reports/r2.md", &numbered(2, 7, 3));
    let named = [PathBuf::from("content/reports/r2.md")];
    match preview.rebuild(Some(&named), &|| ()).unwrap() {
        Rebuilt::Pages { exports, .. } => assert!(exports.write().unwrap()),
        other => panic!("{other:?}"),
    }
    compare("exports rewritten beside the site's own robots.txt");

    // A report broken, then the style changed: the build that follows reports the error.
    site.report(
        "reports/r1.md",
        &numbered(1, 1, 2).replace("title", "titel"),
    );
    let named = [PathBuf::from("content/reports/r1.md")];
    assert!(preview.rebuild(Some(&named), &|| ()).is_err());
    write("static/style.css", "body { color: green }\n");
    assert!(preview.rebuild(Some(&css), &|| ()).is_err());
    site.report("reports/r1.md", &numbered(1, 1, 2));
    assert!(preview.rebuild(Some(&named), &|| ()).is_ok());
    compare("fixed");
}

/// An account of the al-Bukamal incident for the chain tests below: `extra` holds its
/// `updates:`, `draft:` or `translation_of:` lines.
fn account(title: &str, day: u32, killed: u32, extra: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: 2019-01-{day:02}\n{extra}locations:\n  - place: Syria/Aleppo\n    killed: {{min: {killed}}}\nincident_types: [shelling]\n---\nAccount of {day} January.\n"
    )
}

/// Format v2 in the preview: every edit that changes who is current, what a history
/// lists or which translation a listing shows is rebuilt to the very bytes of a clean
/// build.
#[test]
fn chains_and_translations_rebuild_as_clean_builds_do() {
    let (site, mut preview) = previewed("serve-chains", Some("per_page: 3\n"), &[0, 1, 2, 5, 8]);
    let compare = |what: &str| assert_clean(&site, &site.out(), &[], what);
    site.report("reports/a.md", &account("First account", 10, 26, ""));
    site.report(
        "reports/b.md",
        &account("Second account", 12, 50, "updates: a\n"),
    );
    let all = |files: &[&str]| -> Vec<PathBuf> {
        files
            .iter()
            .map(|f| PathBuf::from(format!("content/reports/{f}.md")))
            .collect()
    };
    let settle = |rebuilt: Rebuilt, what: &str| {
        if let Rebuilt::Pages { exports, .. } = rebuilt {
            assert!(exports.write().unwrap(), "{what}");
        }
    };
    settle(
        preview.rebuild(Some(&all(&["a", "b"])), &|| ()).unwrap(),
        "two",
    );
    compare("a chain of two");
    let edits: Vec<(&str, &str, String)> = vec![
        ("a third account", "c", account("Third account", 14, 54, "updates: b\n")),
        ("an earlier account renamed", "a", account("First account, renamed", 10, 26, "")),
        ("a draft update", "d", account("Fourth account", 15, 60, "updates: c\ndraft: true\n")),
        ("the draft published", "d", account("Fourth account", 15, 60, "updates: c\n")),
        ("the link removed", "c", account("Third account", 14, 54, "")),
        ("the link back", "c", account("Third account", 14, 54, "updates: b\n")),
        (
            "a translation of the current account",
            "d-ar",
            "---\ntitle: \"الرواية الرابعة\"\ndate: 2019-01-15\ntranslation_of: d\nlang: ar\n---\nنص.\n".into(),
        ),
        (
            "the translation renamed",
            "d-ar",
            "---\ntitle: \"الرواية الرابعة، معدلة\"\ndate: 2019-01-15\ntranslation_of: d\nlang: ar\n---\nنص.\n".into(),
        ),
        ("an unrelated report", "r5", numbered(5, 9, 6)),
    ];
    for (what, file, text) in edits {
        site.report(&format!("reports/{file}.md"), &text);
        settle(preview.rebuild(Some(&all(&[file])), &|| ()).unwrap(), what);
        compare(what);
    }
    let aleppo = site.page("places/syria/aleppo/");
    assert!(aleppo.contains("Fourth account"), "{aleppo}");
    assert!(!aleppo.contains("Third account"), "{aleppo}");
    site.remove("reports/d-ar.md");
    settle(
        preview.rebuild(Some(&all(&["d-ar"])), &|| ()).unwrap(),
        "removed",
    );
    compare("the translation removed");
}

/// Which local destinations of a body resolve follows `static/`: an image whose file is
/// added shows, and goes back to its alt text when the file goes (a static file added or
/// removed takes a whole build); a body edited to name a missing file is patched. Each
/// ends as a clean build does.
#[test]
fn local_files_of_bodies_follow_static_files_added_and_removed() {
    let (site, mut preview) = previewed("serve-local-files", None, &[0, 1, 2]);
    let compare = |what: &str| assert_clean(&site, &site.out(), &[], what);
    let page = || std::fs::read_to_string(site.out().join("reports/r1/index.html")).unwrap();
    let with_map = |dest: &str| numbered(1, 1, 2) + &format!("\n![Map of the town]({dest})\n");
    let named = [PathBuf::from("content/reports/r1.md")];
    let patched = |rebuilt: Rebuilt| match rebuilt {
        Rebuilt::Pages {
            patched: true,
            exports,
            ..
        } => assert!(exports.write().unwrap()),
        other => panic!("not patched: {other:?}"),
    };
    site.report("reports/r1.md", &with_map("/images/map.png"));
    patched(preview.rebuild(Some(&named), &|| ()).unwrap());
    assert!(page().contains("<p>Map of the town</p>"), "{}", page());
    compare("an image of a missing file");

    let map = [PathBuf::from("static/images/map.png")];
    site.file("static/images/map.png", b"\x89PNG");
    assert!(matches!(
        preview.rebuild(Some(&map), &|| ()).unwrap(),
        Rebuilt::Site(_)
    ));
    assert!(
        page().contains("<img src=\"/images/map.png\""),
        "{}",
        page()
    );
    compare("its file added");

    site.file("static/images/map.png", b"\x89PNG, changed");
    assert!(matches!(
        preview.rebuild(Some(&map), &|| ()).unwrap(),
        Rebuilt::Static { files: 1, .. }
    ));
    compare("its file changed in place");

    site.report("reports/r1.md", &with_map("images/mpa.png"));
    patched(preview.rebuild(Some(&named), &|| ()).unwrap());
    assert!(page().contains("<p>Map of the town</p>"), "{}", page());
    compare("the body edited to a missing file");

    site.report("reports/r1.md", &with_map("../images/map.png"));
    patched(preview.rebuild(Some(&named), &|| ()).unwrap());
    compare("and back");
    std::fs::remove_file(site.root().join("static/images/map.png")).unwrap();
    assert!(matches!(
        preview.rebuild(Some(&map), &|| ()).unwrap(),
        Rebuilt::Site(_)
    ));
    assert!(page().contains("<p>Map of the town</p>"), "{}", page());
    compare("its file removed");
}

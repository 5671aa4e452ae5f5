//! Hardening (issue 7), through the real `sijill` binary on real built sites: hostile
//! reports render inert everywhere, paths cannot escape, symbolic links are not followed,
//! oversized and pathological inputs fail quickly and clearly, the output folder is swapped
//! atomically (even under SIGKILL), foreign folders are never overwritten or deleted, file
//! modes are umask-proof, and output is identical whatever the thread count.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::html::{decode_refs, safe_url, scripts_or_styles, tags};
use crate::common::*;

// ---------------------------------------------------------------------------------------
// Inertness: an independent checker of the HTML sijill writes.
// ---------------------------------------------------------------------------------------

/// The vectors of `tests/fixtures/xss-vectors.txt`, escapes decoded.
fn vectors() -> Vec<String> {
    let text = fs::read_to_string(Path::new(REPO).join("tests/fixtures/xss-vectors.txt"))
        .expect("read the vectors");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let mut out = String::new();
            let mut chars = l.chars();
            while let Some(c) = chars.next() {
                if c != '\\' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some('t') => out.push('\t'),
                    Some('n') => out.push('\n'),
                    Some('r') => out.push('\r'),
                    Some('0') => out.push('\0'),
                    Some('e') => out.push('\x1b'),
                    Some(other) => {
                        out.push('\\');
                        out.push(other);
                    }
                    None => out.push('\\'),
                }
            }
            out
        })
        .collect()
}

/// `s` as a YAML double-quoted scalar.
fn yaml_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\0' => out.push_str("\\0"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\x1b' => out.push_str("\\e"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// True when `url` is on the site itself (`/sub/…` or `https://example.org/sub/…`).
fn same_site(url: &str, base: &str) -> bool {
    let url = decode_refs(url);
    url.starts_with(base) && !url.starts_with("//")
        || url.starts_with(&format!("https://example.org{base}"))
}

/// Elements that may run script, load another document or change the page's base, style or
/// refresh; none may come out of a build (the theme's own search form, JSON-LD and charts
/// are checked separately).
const FORBIDDEN_ELEMENTS: &[&str] = &[
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "style",
    "xml",
    "bgsound",
    "math",
    "template",
    "xmp",
    "plaintext",
    "noembed",
    "noframes",
    "set",
    "animate",
    "animatetransform",
    "animatemotion",
    "foreignobject",
    "use",
    "handler",
    "listener",
];

/// Attributes holding a URL.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "background",
    "poster",
    "data",
    "xlink:href",
    "dynsrc",
    "lowsrc",
    "cite",
    "longdesc",
    "srcset",
    "ping",
    "manifest",
    "codebase",
];

/// Checks that `html`, a page or fragment written by sijill, is inert: says why not.
fn inert(html: &str, base: &str) -> Result<(), String> {
    let tags = tags(html)?;
    for (n, tag) in tags.iter().enumerate() {
        let name = &tag.name;
        if FORBIDDEN_ELEMENTS.contains(&name.as_str()) {
            return Err(format!("<{name}> element"));
        }
        if tag.closing {
            continue;
        }
        for (a, v) in &tag.attrs {
            if scripts_or_styles(a, v) || URL_ATTRIBUTES.contains(&a.as_str()) && !safe_url(v) {
                return Err(format!("{a}={v:?} on <{name}>"));
            }
        }
        let attrs = &tag.attrs;
        match name.as_str() {
            "script" => {
                let next = tags
                    .get(n + 1)
                    .filter(|t| t.closing && t.name == "script")
                    .ok_or("no </script> right after the script's content")?;
                let content = &html[tag.end..next.start];
                match (tag.attr("src"), tag.attr("type")) {
                    (Some(src), _) if same_site(src, base) && content.is_empty() => {}
                    (None, Some("application/ld+json")) => {
                        serde_json::from_str::<serde_json::Value>(content)
                            .map_err(|e| format!("JSON-LD is not JSON ({e}): {content}"))?;
                    }
                    _ => return Err(format!("script {attrs:?} {content:?}")),
                }
            }
            "link" if !tag.attr("href").is_some_and(|h| same_site(h, base)) => {
                return Err(format!("<link> to another site: {attrs:?}"));
            }
            "form" if !tag.attr("action").is_none_or(|a| same_site(a, base)) => {
                return Err(format!("<form> posting elsewhere: {attrs:?}"));
            }
            "meta" if tag.attr("http-equiv").is_some() => {
                return Err(format!("<meta http-equiv>: {attrs:?}"));
            }
            _ => {}
        }
    }
    Ok(())
}

#[test]
fn the_checker_catches_what_it_must() {
    let bad = [
        "<p><script>alert(1)</script></p>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=' javascript:alert(1)'>x</a>",
        "<div style=\"x\">",
        "<iframe src=\"https://x\"></iframe>",
        "<svg><animate attributeName=href values=javascript:alert(1)>",
        "<!-- x -->",
        "<img src=\"data:image/svg+xml,x\">",
        "<form action=\"https://evil.example/\">",
        "<link rel=stylesheet href=\"https://evil.example/x.css\">",
        "<script type=\"application/ld+json\">{\"a\":\"<b>\"}</script>",
    ];
    for html in bad {
        assert!(inert(html, "/sub/").is_err(), "{html}");
    }
    let good = "<!DOCTYPE html><p><a href=\"/sub/x/\">x</a> <a href=\"https://a.org/?q=1&amp;b\">y</a> \
        <img src=\"img/x.png\" alt=\"\"> &lt;script&gt;</p><script type=\"application/ld+json\">{\"a\":\"\\u003c\"}</script>";
    assert_eq!(inert(good, "/sub/"), Ok(()));
}

/// `v` without the characters front matter refuses (see tests/text_safety.rs): control
/// characters, but for tab and line feed in text that is not a name.
fn allowed_in_front_matter(v: &str, name: bool) -> String {
    v.chars()
        .filter(|&c| !c.is_control() || (!name && matches!(c, '\t' | '\n')))
        .collect()
}

/// Writes one report per vector, with the vector in its body and in every text value of
/// its front matter (less what front matter refuses).
fn hostile_site(name: &str) -> (Site, Vec<String>) {
    let site = Site::new(name);
    fs::write(
        site.root().join("site.yaml"),
        "title: \"</title><script>alert('site')</script>\"\ndescription: \"\\\"><img src=x onerror=alert(1)>\"\n",
    )
    .unwrap();
    let vectors = vectors();
    for (i, v) in vectors.iter().enumerate() {
        let q = yaml_quote(&allowed_in_front_matter(v, false));
        // Names become URL segments, which have a length limit: the first 60 characters.
        let short: String = allowed_in_front_matter(v, true).chars().take(60).collect();
        let s = yaml_quote(&short);
        // Place names split at `/`; the index keeps every spelling's URL distinct.
        let place = yaml_quote(&format!("Syria/{} n{i}", short.replace('/', " ")));
        let text = format!(
            "---\ntitle: {q}\ndate: 2018-01-{day:02}\nlocations:\n  - place: {place}\n    note: {q}\n    killed: 1\ncasualties:\n  killed: {{min: 2, raw: {q}}}\nperpetrators: [{s}]\nincident_types: [{s}]\ntags: [{s}]\nsource:\n  name: {q}\n  url: \"https://example.org/a?b=\\\"><script>alert(1)</script>&c='onload=alert(1)\"\n---\n{v}\n",
            day = 1 + i % 28,
        );
        site.report(&format!("reports/v{i:03}.md"), &text);
    }
    (site, vectors)
}

#[test]
fn hostile_fixtures_render_inert_in_every_output_file() {
    let (site, vectors) = hostile_site("hostile");
    site.build_ok(&["--base-url", "https://example.org/sub/"]);
    let out = site.out();
    let mut checked = 0;
    for entry in walk(&out) {
        let rel = entry
            .strip_prefix(&out)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let ext = rel.rsplit('.').next().unwrap_or("");
        let bytes = fs::read(&entry).unwrap();
        match ext {
            "html" => {
                let html = String::from_utf8(bytes).expect("pages are UTF-8");
                if let Err(why) = inert(&html, "/sub/") {
                    panic!("{rel} is not inert: {why}");
                }
                checked += 1;
            }
            "xml" => {
                let text = String::from_utf8(bytes).unwrap();
                let doc = roxmltree::Document::parse(&text)
                    .unwrap_or_else(|e| panic!("{rel} is not well-formed XML: {e}"));
                // Feed readers render `type="html"` text as HTML.
                for node in doc
                    .descendants()
                    .filter(|n| n.attribute("type") == Some("html"))
                {
                    let html = node.text().unwrap_or("");
                    if let Err(why) = inert(html, "/sub/") {
                        panic!("{rel}: HTML content is not inert: {why}");
                    }
                }
                checked += 1;
            }
            "json" | "geojson" => {
                serde_json::from_slice::<serde_json::Value>(&bytes)
                    .unwrap_or_else(|e| panic!("{rel} is not JSON: {e}"));
                checked += 1;
            }
            "csv" => {
                let mut reader = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .flexible(true)
                    .from_reader(bytes.as_slice());
                for record in reader.records() {
                    let record = record.unwrap_or_else(|e| panic!("{rel}: {e}"));
                    for cell in record.iter() {
                        let cell = cell.trim_start_matches('\u{feff}');
                        assert!(
                            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                            "{rel}: a spreadsheet would run {cell:?} as a formula"
                        );
                    }
                }
                checked += 1;
            }
            _ => {}
        }
    }
    assert!(checked > vectors.len() * 3, "only {checked} files checked");

    // The values are shown, as text: each report's title is its <h1>, character for character.
    for (i, v) in vectors.iter().enumerate() {
        let page = site.page(&format!("reports/v{i:03}/"));
        let h1 = element(&page, |t| t.name == "h1").expect("an <h1>");
        let title = allowed_in_front_matter(v, false);
        assert_eq!(text_of(h1), title.trim(), "title of v{i:03}");
    }
    // A body's unsafe URL is gone, the element kept: `<IMG SRC="javascript:…">` → `<img>`.
    let page = site.page("reports/v004/");
    assert!(body_of(&page).starts_with("<img>"), "{page}");
}

/// Every file under `dir`, sorted; panics on anything that is neither file nor folder.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let ty = e.file_type().unwrap();
            if ty.is_dir() {
                stack.push(e.path());
            } else if ty.is_file() {
                files.push(e.path());
            } else {
                panic!("{} is neither a file nor a folder", e.path().display());
            }
        }
    }
    files.sort();
    files
}

/// The body of a report page: the content of its `<div class="body">`.
fn body_of(page: &str) -> &str {
    element(page, |t| has_class(t, "body")).expect("a body")
}

#[test]
fn raw_html_keeps_a_safe_subset_only() {
    let site = Site::new("subset");
    let body = r#"Intro *emphasis* and **strong**.

<table><thead><tr><th>Place</th><th>Killed</th></tr></thead><tbody><tr><td><em>Saraqib</em></td><td>3</td></tr></tbody></table>

<ul><li>one</li><li><strong>two</strong></li></ul>

<p><a href="https://example.org/source">source</a> <a href="../other/">relative</a> <img src="https://example.org/map.png" alt="map"> <img src="img/local.png" alt="local"></p>

<p><a href="javascript:alert(1)">js</a> <a href="data:text/html,x">data</a> <img src="data:image/png;base64,AAAA" alt="d"> <span style="color:red" onclick="alert(1)">styled</span></p>
<script>alert("script")</script>
<iframe src="https://example.org/"></iframe>
<form action="https://example.org/"><input name="x"></form>
"#;
    site.report(
        "reports/subset.md",
        &format!("---\ntitle: Subset\ndate: 2018-01-01\nlocations: [Syria]\n---\n{body}"),
    );
    site.build_ok(&[]);
    let page = site.page("reports/subset/");
    let html = body_of(&page);
    for kept in [
        "<em>emphasis</em>",
        "<strong>strong</strong>",
        "<table>",
        "<th>Place</th>",
        "<td><em>Saraqib</em></td>",
        "<li><strong>two</strong></li>",
        "href=\"https://example.org/source\"",
        "src=\"https://example.org/map.png\"",
        "<span>styled</span>",
        // Local destinations naming no file of the site are their text (tests/e2e/links.rs).
        "</a> relative <img",
        "alt=\"map\"> local</p>",
    ] {
        assert!(html.contains(kept), "{kept} was dropped:\n{html}");
    }
    for dropped in [
        "javascript:",
        "data:",
        "style=",
        "onclick",
        "<script",
        "alert(\"script\")",
        "<iframe",
        "<form",
        "<input",
        "../other/",
        "img/local.png",
    ] {
        assert!(!html.contains(dropped), "{dropped} survived:\n{html}");
    }
    assert_eq!(inert(&page, "/"), Ok(()));
}

#[test]
fn deeply_nested_html_renders_as_text_quickly() {
    let site = Site::new("deep-html");
    // Near the 2 MiB file limit: work quadratic in the nesting (400,000² steps) would
    // outlast the kill timeout on any machine; linear work takes well under a second.
    let body = "<div>".repeat(400_000);
    site.report(
        "reports/deep.md",
        &format!("---\ntitle: Deep\ndate: 2018-01-01\nlocations: [Syria]\n---\nx {body}\n"),
    );
    assert_success(&site.build_bounded(&[]).output);
    let page = site.page("reports/deep/");
    assert!(body_of(&page).contains("&lt;div&gt;&lt;div&gt;"));
    assert_eq!(inert(&page, "/"), Ok(()));
}

// ---------------------------------------------------------------------------------------
// Paths and symbolic links.
// ---------------------------------------------------------------------------------------

#[test]
fn path_escaping_ids_and_names_are_refused() {
    let site = Site::new("escape");
    for (i, id) in [
        "../../../escaped",
        "a/b",
        "..",
        "%2e%2e",
        "x/../../escaped",
        "/abs",
    ]
    .iter()
    .enumerate()
    {
        site.report(
            &format!("reports/r{i}.md"),
            &format!(
                "---\ntitle: t\ndate: 2018-01-01\nid: {}\nlocations: [Syria]\n---\n",
                yaml_quote(id)
            ),
        );
    }
    site.report(
        "reports/Bad Name.md",
        &simple_report("t", "2018-01-01", "Syria", 1),
    );
    site.report(
        "reports/place.md",
        "---\ntitle: t\ndate: 2018-01-01\nlocations: [\"Syria/../../escaped\"]\ntags: [\"..\"]\n---\n",
    );
    // Names too long for a file name (a folder per page) are refused, not a failed write.
    let long = "word ".repeat(60);
    site.report(
        "reports/long.md",
        &format!("---\ntitle: t\ndate: 2018-01-01\nid: {}\nlocations: [\"Syria/{long}\"]\ntags: [\"{long}\"]\n---\n", "a".repeat(256)),
    );
    let o = site.build(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("error[too-long]").count(), 3, "{err}");
    assert_eq!(err.matches("error[invalid-id]").count(), 7, "{err}");
    assert!(err.contains("error[invalid-place]"), "{err}");
    assert!(err.contains("error[empty-value]"), "{err}");
    assert!(!site.out().exists(), "nothing is written");
    let tmp = site.root().parent().unwrap().to_path_buf();
    let names: Vec<String> = walk(&tmp)
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("escaped")), "{names:?}");
}

/// A secret outside the site, as a symbolic link could expose it.
fn secret(site: &Site) -> (PathBuf, &'static str) {
    let path = site.root().parent().unwrap().join("secret.md");
    let marker = "SECRET-7f3a9";
    fs::write(
        &path,
        format!("---\ntitle: {marker}\ndate: 2018-01-01\nlocations: [Syria]\n---\n{marker}\n- path: {marker}\n"),
    )
    .unwrap();
    (path, marker)
}

#[cfg(unix)]
#[test]
fn symlinks_under_content_are_reported_not_followed() {
    use std::os::unix::fs::symlink;
    let site = Site::new("symlinks");
    let (secret, marker) = secret(&site);
    site.report(
        "reports/ok.md",
        &simple_report("Fine", "2018-01-01", "Syria", 1),
    );
    symlink(&secret, site.root().join("content/reports/link.md")).unwrap();
    symlink(
        secret.parent().unwrap(),
        site.root().join("content/linked-dir"),
    )
    .unwrap();
    symlink(&secret, site.root().join("content/places.yaml")).unwrap();
    for o in [site.build(&[]), site.check(&["--format", "json"])] {
        assert_eq!(o.status.code(), Some(1));
        let all = format!("{}{}", stderr(&o), String::from_utf8_lossy(&o.stdout));
        assert_eq!(all.matches("symlink").count(), 3, "{all}");
        assert!(!all.contains(marker), "the secret leaked: {all}");
    }
    assert!(!site.out().exists());

    // content/ itself as a link is refused too.
    let other = Site::new("symlinked-content");
    fs::remove_dir(other.root().join("content")).unwrap();
    symlink(site.root().join("content"), other.root().join("content")).unwrap();
    let o = other.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("symbolic link"), "{}", stderr(&o));
    assert!(!stderr(&o).contains(marker));
}

/// `site.yaml` as a link is refused, not followed: followed, its target's text would be
/// quoted by the error (`invalid type: string "…"`, `unknown field …`), and `sijill diff`
/// reads a pull request's files in a workflow of the base branch (diff.yml), whose log
/// anyone may read.
#[cfg(unix)]
#[test]
fn a_symlinked_site_yaml_is_refused_not_followed() {
    use std::os::unix::fs::symlink;
    let site = Site::new("symlinked-config");
    site.report(
        "reports/ok.md",
        &simple_report("Fine", "2018-01-01", "Syria", 1),
    );
    let marker = "SECRET-site-4c1d";
    for target in [
        format!("{marker}=1\nOTHER=2\n"),
        format!("{marker}: 1\n"),
        "title: A fine title\n".to_string(),
    ] {
        let secret = site.root().parent().unwrap().join("secret.yaml");
        fs::write(&secret, &target).unwrap();
        let link = site.root().join("site.yaml");
        let _ = fs::remove_file(&link);
        symlink(&secret, &link).unwrap();
        for o in [
            site.build(&[]),
            site.check(&["--format", "json"]),
            site.run(&["diff", "--base", "HEAD"]),
        ] {
            assert_ne!(o.status.code(), Some(0), "{o:?}");
            let all = format!("{}{}", stderr(&o), String::from_utf8_lossy(&o.stdout));
            assert!(!all.contains(marker), "the secret leaked: {all}");
            assert!(all.contains("site.yaml is a symbolic link"), "{all}");
        }
    }
    assert!(!site.out().exists());
}

#[cfg(unix)]
#[test]
fn symlinks_in_static_and_templates_are_not_followed() {
    use std::os::unix::fs::symlink;
    let site = Site::new("static-links");
    let (secret, marker) = secret(&site);
    site.report(
        "reports/ok.md",
        &simple_report("Fine", "2018-01-01", "Syria", 1),
    );
    let stat = site.root().join("static");
    fs::create_dir_all(stat.join("img")).unwrap();
    fs::write(stat.join("img/logo.svg"), "<svg/>").unwrap();
    symlink(&secret, stat.join("leak.txt")).unwrap();
    symlink(secret.parent().unwrap(), stat.join("leakdir")).unwrap();
    site.build_ok(&[]);
    assert!(site.out().join("img/logo.svg").is_file());
    assert!(!site.out().join("leak.txt").exists());
    assert!(!site.out().join("leakdir").exists());
    for f in walk(&site.out()) {
        assert!(
            !fs::read_to_string(&f).unwrap_or_default().contains(marker),
            "{f:?}"
        );
    }

    // static/ itself a link: nothing of its target is published.
    let other = Site::new("static-dir-link");
    other.report(
        "reports/ok.md",
        &simple_report("Fine", "2018-01-01", "Syria", 1),
    );
    symlink(secret.parent().unwrap(), other.root().join("static")).unwrap();
    other.build_ok(&[]);
    assert!(!other.out().join("secret.md").exists());

    // A template that is a link is an error, and its target is not shown.
    let tpl = Site::new("template-link");
    tpl.report(
        "reports/ok.md",
        &simple_report("Fine", "2018-01-01", "Syria", 1),
    );
    fs::create_dir_all(tpl.root().join("templates")).unwrap();
    symlink(&secret, tpl.root().join("templates/base.html")).unwrap();
    let o = tpl.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("templates/base.html is a symbolic link"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains(marker));
    assert!(!tpl.out().exists());
}

// ---------------------------------------------------------------------------------------
// Size, YAML bombs, deep nesting, huge counts.
// ---------------------------------------------------------------------------------------

#[test]
fn reports_over_2_mb_are_refused() {
    let site = Site::new("size");
    let head = "---\ntitle: Big\ndate: 2018-01-01\nlocations: [Syria]\n---\n";
    let limit = 2 * 1024 * 1024;
    let at_limit = format!("{head}{}", "a".repeat(limit - head.len()));
    assert_eq!(at_limit.len(), limit);
    site.report("reports/at-limit.md", &at_limit);
    site.build_ok(&[]);
    site.report("reports/over.md", &format!("{at_limit}b"));
    let o = site.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("content/reports/over.md:0:0: error[file-too-large]"),
        "{}",
        stderr(&o)
    );
}

/// Runs `sijill check --format json` on `site` under [`bounded`]'s limits; returns its
/// output and peak memory (KiB).
fn check_measured(site: &Site) -> (String, i64) {
    let mut check = Command::new(BIN);
    check
        .args(["check", "--format", "json", "--root"])
        .arg(site.root());
    let run = bounded::run(check, bounded::MEMORY_LIMIT);
    (String::from_utf8(run.output.stdout).unwrap(), run.peak_kib)
}

#[test]
fn yaml_bombs_and_deep_nesting_fail_clearly_in_bounded_time_and_memory() {
    let limit = 2 * 1024 * 1024 - 200;
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "flow",
            format!("tags: {}", "[".repeat(limit / 2) + &"]".repeat(limit / 2)),
            "nested more than 64 levels deep",
        ),
        (
            "maps",
            format!(
                "extra: {}1{}",
                "{a: ".repeat(limit / 6),
                "}".repeat(limit / 6)
            ),
            "nested more than 64 levels deep",
        ),
        (
            "dashes",
            format!("locations:\n{}Syria", "- ".repeat(limit / 2)),
            "nested more than 64 levels deep",
        ),
        (
            "aliases",
            {
                let mut t = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n".to_string();
                for i in 1..40 {
                    t.push_str(&format!(
                        "a{i}: &a{i} [{}]\n",
                        vec![format!("*a{}", i - 1); 9].join(", ")
                    ));
                }
                t.push_str("tags: *a39\nperpetrators: [*a39]\n");
                t
            },
            "",
        ),
    ];
    for (name, yaml, expected) in cases {
        let site = Site::new(&format!("bomb-{name}"));
        let text = format!("---\ntitle: t\ndate: 2018-01-01\nlocations: [Syria]\n{yaml}\n---\n");
        assert!(text.len() <= 2 * 1024 * 1024);
        site.report("reports/bomb.md", &text);
        let (json, peak_kib) = check_measured(&site);
        let problems: serde_json::Value = serde_json::from_str(&json).unwrap();
        let messages: Vec<&str> = problems
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["message"].as_str().unwrap())
            .collect();
        assert!(!messages.is_empty(), "{name}: no error");
        assert!(
            messages.iter().any(|m| m.contains(expected)),
            "{name}: {messages:?}"
        );
        assert!(peak_kib < 300 * 1024, "{name}: peak memory {peak_kib} KiB");
    }
}

#[test]
fn counts_too_large_to_add_up_are_refused() {
    // Regression: three locations of 2^63-1 overflowed the sum (a panic in debug builds,
    // a wrapped-around total in release builds).
    let site = Site::new("huge-counts");
    let max = i64::MAX;
    site.report(
        "reports/huge.md",
        &format!(
            "---\ntitle: t\ndate: 2018-01-01\nlocations:\n  - place: A/x\n    killed: {max}\n  - place: A/y\n    killed: {max}\n  - place: A/z\n    killed: {max}\n---\n"
        ),
    );
    site.report(
        "reports/breakdown.md",
        &format!("---\ntitle: t\ndate: 2018-01-01\nlocations: [A]\ncasualties:\n  killed: 1\n  children: {max}\n  women: {max}\n  men: {max}\n---\n"),
    );
    let o = site.build(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stderr(&o).matches("error[count-too-large]").count(),
        6,
        "{}",
        stderr(&o)
    );
    // The largest accepted count still adds up over many reports.
    for i in 0..3 {
        site.report(
            &format!("reports/ok{i}.md"),
            "---\ntitle: t\ndate: 2018-01-01\nlocations: [A]\ncasualties:\n  killed: 10000000000\n---\n",
        );
    }
    site.remove("reports/huge.md")
        .remove("reports/breakdown.md");
    site.build_ok(&[]);
    let places = site.json("data/places.json");
    assert_eq!(
        record(&places, "path", "A")["totals"]["killed"],
        exact(30_000_000_000)
    );
}

#[test]
fn control_characters_cannot_start_lines_in_ci_logs() {
    let site = Site::new("log-injection");
    site.report(
        "reports/x.md",
        "---\ntitle: t\ndate: 2018-01-01\nlocations: [Syria]\n\"a\\n::warning file=x::spoofed\\e[31m\": 1\n---\n",
    );
    let o = site.build(&[]);
    let err = stderr(&o);
    assert!(err.lines().all(|l| !l.starts_with("::")), "{err}");
    assert!(!err.contains('\x1b'), "{err:?}");
    assert!(
        err.contains("unknown field `a\\n::warning file=x::spoofed\\u{1b}[31m`"),
        "{err}"
    );
    let o = site.check(&[]);
    let err = stderr(&o);
    assert!(err.lines().all(|l| !l.starts_with("::")), "{err}");
    assert!(!err.contains('\x1b'), "{err:?}");
}

// ---------------------------------------------------------------------------------------
// The output folder.
// ---------------------------------------------------------------------------------------

fn small_site(name: &str) -> Site {
    let site = Site::new(name);
    site.report(
        "reports/a.md",
        &simple_report("A", "2018-01-01", "Syria/Idlib", 3),
    );
    site.report(
        "reports/b.md",
        &simple_report("B", "2018-02-01", "Syria/Hama", 2),
    );
    site
}

#[test]
fn a_foreign_output_folder_is_refused_and_left_intact() {
    let site = small_site("foreign");
    let out = site.out();
    fs::create_dir_all(out.join("notes")).unwrap();
    fs::write(out.join("index.html"), "my own page").unwrap();
    fs::write(out.join("notes/todo.txt"), "keep me").unwrap();
    let before = snapshot(&out);
    let o = site.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("was not written by sijill"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_same_tree(&before, &snapshot(&out));
    let parent = out.parent().unwrap();
    let siblings: Vec<_> = fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        siblings.iter().all(|s| !s.contains("sijill")),
        "{siblings:?}"
    );

    // A file, or a link, where the folder should be is foreign too.
    let file_out = parent.join("out-file");
    fs::write(&file_out, "a file").unwrap();
    let o = site.build_into(&file_out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&file_out).unwrap(), "a file");
    #[cfg(unix)]
    {
        let link_out = parent.join("out-link");
        std::os::unix::fs::symlink(&out, &link_out).unwrap();
        let o = site.build_into(&link_out, &[]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            fs::symlink_metadata(&link_out)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_same_tree(&before, &snapshot(&out));
    }
}

#[test]
fn force_moves_a_foreign_folder_aside_and_never_deletes_it() {
    let site = small_site("force");
    let out = site.out();
    fs::create_dir_all(out.join("notes")).unwrap();
    fs::write(out.join("notes/todo.txt"), "keep me").unwrap();
    let before = snapshot(&out);
    let o = site.build(&["--force"]);
    assert_success(&o);
    let aside = out.with_file_name("out.before-sijill");
    assert!(
        stderr(&o).contains(&aside.display().to_string()),
        "{}",
        stderr(&o)
    );
    assert_same_tree(&before, &snapshot(&aside));
    assert!(out.join(".sijill-output").is_file());
    assert!(out.join("index.html").is_file());
    // The site is sijill's now: later builds replace it without --force, and a second
    // forced build has nothing foreign to move.
    site.build_ok(&[]);
    site.build_ok(&["--force"]);
    assert!(!out.with_file_name("out.before-sijill-2").exists());
    assert_same_tree(&before, &snapshot(&aside));
    // An empty folder is not foreign.
    let empty = out.with_file_name("empty");
    fs::create_dir(&empty).unwrap();
    assert_success(&site.build_into(&empty, &[]));
}

#[cfg(unix)]
#[test]
fn output_has_no_symlinks_and_fixed_modes_whatever_the_umask() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let site = small_site("modes");
    let stat = site.root().join("static");
    fs::create_dir_all(stat.join("img/icons")).unwrap();
    fs::write(stat.join("img/icons/a.svg"), "<svg/>").unwrap();
    fs::write(stat.join("robots-extra.txt"), "x").unwrap();
    symlink(stat.join("robots-extra.txt"), stat.join("link.txt")).unwrap();
    for umask in ["077", "002", "022"] {
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
            .arg(BIN)
            .arg("build")
            .arg("--root")
            .arg(site.root())
            .arg("--out")
            .arg(site.out())
            .output()
            .unwrap();
        assert_success(&o);
        let out = site.out();
        assert!(!out.join("link.txt").exists());
        let mut stack = vec![out.clone()];
        let mut files = 0;
        while let Some(dir) = stack.pop() {
            let mode = fs::symlink_metadata(&dir).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o755, "umask {umask}: {}", dir.display());
            for e in fs::read_dir(&dir).unwrap() {
                let e = e.unwrap();
                let meta = fs::symlink_metadata(e.path()).unwrap();
                assert!(!meta.file_type().is_symlink(), "{}", e.path().display());
                if meta.is_dir() {
                    stack.push(e.path());
                } else {
                    assert!(meta.is_file());
                    assert_eq!(
                        meta.permissions().mode() & 0o777,
                        0o644,
                        "umask {umask}: {}",
                        e.path().display()
                    );
                    files += 1;
                }
            }
        }
        assert!(files > 20);
        assert!(out.join("img/icons/a.svg").is_file());
    }
}

/// A site big enough that building it takes a while: `n` reports over a few places.
fn sizeable_site(name: &str, n: usize) -> Site {
    let site = Site::new(name);
    let places = [
        "Syria/Idlib/Saraqib",
        "Syria/Idlib/Ariha",
        "Syria/Hama/Kafr Nabudah",
        "Syria/Aleppo/Al-Bab",
        "Syria/Deir ez-Zor/Hajin",
        "Iraq/Nineveh/Mosul",
    ];
    for i in 0..n {
        let day = 1 + i % 28;
        let month = 1 + (i / 28) % 12;
        let year = 2015 + i / (28 * 12);
        let text = format!(
            "---\ntitle: \"Report {i}\"\ndate: {year}-{month:02}-{day:02}\nlocations:\n  - place: {}\n    killed: 1\n  - {}\ncasualties:\n  killed: {{min: {}}}\n  injured: {}\nperpetrators: [Group {}]\ntags: [tag {}]\n---\nBody of report {i}, with *some* Markdown.\n",
            places[i % places.len()],
            places[(i * 7 + 3) % places.len()],
            1 + i % 9,
            i % 5,
            i % 7,
            i % 11,
        );
        site.report(&format!("reports/{i:05}.md"), &text);
    }
    site
}

/// Stale staging folders of `out`'s builds beside it.
fn staging_siblings(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    let mut v: Vec<String> = fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.starts_with(&format!(".{name}.sijill-")))
        .collect();
    v.sort();
    v
}

#[cfg(unix)]
#[test]
fn a_build_killed_half_way_leaves_the_previous_site_identical() {
    use std::os::unix::process::ExitStatusExt;
    let site = sizeable_site("sigkill", 600);
    let out = site.out();
    site.build_ok(&[]);
    let before = snapshot(&out);
    assert!(before.len() > 500, "{} files", before.len());

    // Change a report, so that a completed build would differ, then kill the build while
    // it is writing pages.
    site.report(
        "reports/00000.md",
        &simple_report("Changed", "2015-01-01", "Syria", 1),
    );
    let mut child = Command::new(BIN)
        .arg("build")
        .arg("--root")
        .arg(site.root())
        .arg("--out")
        .arg(&out)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let staging = out.with_file_name(format!(".out.sijill-new-{}", child.id()));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build finished before it could be killed: make the site bigger"
        );
        let written = fs::read_dir(staging.join("reports")).map_or(0, std::iter::Iterator::count);
        if written >= 20 {
            break;
        }
        assert!(Instant::now() < deadline, "no pages written after a minute");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "{status:?}");

    assert_same_tree(&before, &snapshot(&out));
    // Only the killed build's own staging folder is left beside it...
    assert_eq!(
        staging_siblings(&out),
        vec![staging.file_name().unwrap().to_string_lossy().into_owned()]
    );
    // ...and the next build clears it.
    site.build_ok(&[]);
    assert!(
        staging_siblings(&out).is_empty(),
        "{:?}",
        staging_siblings(&out)
    );
    assert!(site.page("reports/00000/").contains("Changed"));
}

#[test]
fn a_failed_build_leaves_the_previous_site_identical() {
    let site = small_site("failed");
    site.build_ok(&[]);
    let before = snapshot(&site.out());
    site.template("base.html", "{% if %}broken");
    let o = site.build(&[]);
    assert_eq!(o.status.code(), Some(1));
    assert_same_tree(&before, &snapshot(&site.out()));
    assert!(staging_siblings(&site.out()).is_empty());
}

// ---------------------------------------------------------------------------------------
// Determinism.
// ---------------------------------------------------------------------------------------

#[test]
fn thread_count_file_order_and_clock_do_not_change_the_output() {
    // The same reports written into two roots in opposite orders (so that directory
    // listings differ), built with one and with two threads, at different "build dates".
    let a = sizeable_site("det-a", 300);
    let b = Site::new("det-b");
    let mut files: Vec<PathBuf> = walk(&a.root().join("content"));
    files.reverse();
    for f in files {
        let rel = f.strip_prefix(a.root().join("content")).unwrap();
        b.report(&rel.to_string_lossy(), &fs::read_to_string(&f).unwrap());
    }
    let build = |site: &Site, threads: &str, epoch: &str| {
        let o = Command::new(BIN)
            .arg("build")
            .arg("--root")
            .arg(site.root())
            .arg("--out")
            .arg(site.out())
            .args(["--base-url", "https://example.org/sub/"])
            .env("RAYON_NUM_THREADS", threads)
            .env("SOURCE_DATE_EPOCH", epoch)
            .output()
            .unwrap();
        assert_success(&o);
        snapshot(&site.out())
    };
    let one = build(&a, "1", "0");
    let two = build(&b, "2", "1700000000");
    assert_same_tree(&one, &two);
    // No date of the build itself appears anywhere (the content is from 2015–2016).
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    for (path, bytes) in &one {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(&today), "{path} shows today's date");
        assert!(
            !text.contains(&a.root().to_string_lossy().into_owned()),
            "{path} shows the root"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Regressions found by fuzzing (fuzz/regressions/, one test each).
// ---------------------------------------------------------------------------------------

/// Renders `bytes` (a whole report file, as the fuzz target reads it) the way the target
/// does, and checks the body is inert.
fn fuzz_replay(bytes: &[u8]) -> String {
    let text = std::str::from_utf8(bytes).expect("the target skips non-UTF-8 input");
    let ctx = sijill::content::validate::Context {
        gazetteer: None,
        default_lang: "en",
        ui_languages: &["en"],
        vocabulary: None,
    };
    let parsed = sijill::content::validate::parse_report("content/fuzz.md", text, &ctx);
    for d in &parsed.problems {
        let _ = sijill::content::printer::short(d);
    }
    let body = sijill::content::frontmatter::split(text).map_or(text, |s| s.body);
    let links = parsed.report.map(|r| r.links.clone()).unwrap_or_default();
    // The file of the regression below, as if the site published it, and a usual one.
    let files = sijill::content::LocalFiles::new(
        ["*avascript:alert(1)", "images/map.png"].map(String::from),
    );
    let to = sijill::render::markdown::Destinations {
        file: "content/fuzz.md",
        links: &links,
        report_href: &|id| Some(format!("/reports/{id}/")),
        files: &files,
        base_path: "/",
    };
    let html = sijill::render::markdown::to_html(body, &to);
    if let Err(why) = inert(&html, "/") {
        panic!("unsafe output ({why}): {html}");
    }
    html
}

#[test]
fn fuzz_crash_e2214b69_a_colon_after_a_non_scheme_is_a_relative_url() {
    // The fuzz target's own checker took `*avascript:alert(1)` for a `javascript:` URL; a
    // browser reads it as a relative path (`*` cannot start a scheme). The checker now
    // follows the URL standard; the output was inert all along. (As a relative path, it
    // now names a file of the site: it is linked under the base path when published, shown
    // as text otherwise.)
    let bytes = fs::read(
        Path::new(REPO).join("fuzz/regressions/crash-e2214b69413fdc866bdfa49c1a520425d2519405"),
    )
    .unwrap();
    let html = fuzz_replay(&bytes);
    assert!(html.contains("href=\"/*avascript:alert(1)\""), "{html}");
    assert!(safe_url("*avascript:alert(1)"));
    assert!(!safe_url("javascript:alert(1)"));
    assert!(!safe_url("java\tscript:alert(1)"));
}

#[test]
fn fuzz_crash_cbd5432c_table_alignment_is_the_one_style_allowed() {
    // The checker refused every `style` attribute, but pulldown-cmark writes one itself for
    // aligned table columns (`|--:|`), with fixed values only. A style written in raw HTML
    // is still dropped.
    let bytes = fs::read(
        Path::new(REPO).join("fuzz/regressions/crash-cbd5432cd044843a60184db8e286b75c78ecdabe"),
    )
    .unwrap();
    let html = fuzz_replay(&bytes);
    assert!(html.contains("<th style=\"text-align: right\">"), "{html}");
    assert!(inert("<td style=\"color: red\">", "/").is_err());
    let html = fuzz_replay(b"| a |\n|--:|\n| b |\n\n<td style=\"color: red\">x</td>\n");
    assert!(!html.contains("color"), "{html}");
}

//! The output folder and the base URL, through the real `sijill` binary: no `--out` can make
//! a build replace the site's own sources, a repository or the current directory (whatever
//! marker a pull request adds, `--force` or not); an empty or edited marker does not make
//! a folder replaceable; what a build killed right after its swap leaves is cleaned
//! up by the next build, and nothing else; and a base URL that would load the pages'
//! scripts from another host is refused, in `site.yaml` and on the command line.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::*;

/// Runs `sijill <args>` in `cwd` under [`bounded`]'s memory limit and kill timeout.
fn sijill(cwd: &Path, args: &[&std::ffi::OsStr]) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).current_dir(cwd).env("NO_COLOR", "1");
    bounded::run(command, bounded::MEMORY_LIMIT).output
}

/// `sijill build --root <root> --out <out> <args>` run in `cwd`.
fn build(cwd: &Path, root: &Path, out: &Path, args: &[&str]) -> Output {
    let mut all: Vec<&std::ffi::OsStr> = vec![
        "build".as_ref(),
        "--root".as_ref(),
        root.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ];
    all.extend(args.iter().map(std::ffi::OsStr::new));
    sijill(cwd, &all)
}

/// A site with everything a repository holds: sources, `.git/`, a `.sijill-output` at its
/// root (empty, as the issue found) and in `content/` (with sijill's own marker text,
/// which anyone can copy: any pull request can add either), and notes of its own.
fn repository_site(name: &str) -> Site {
    let site = Site::new(name);
    site.report(
        "reports/a.md",
        &simple_report("A", "2018-01-01", "Syria/Idlib", 3),
    );
    site.config("title: Archive\n");
    site.template("partials/footer.html", "<p>footer</p>");
    let root = site.root();
    for (rel, text) in [
        (".sijill-output", &b""[..]),
        ("content/.sijill-output", MARKER_TEXT),
        ("static/logo.svg", b"<svg/>"),
        ("README.md", b"# notes\n"),
        (".git/HEAD", b"ref: refs/heads/main\n"),
        (".git/config", b"[core]\n\tbare = false\n"),
        (".git/objects/ab/cdef0123", b"blob"),
        (".git/refs/heads/main", b"0123456789abcdef\n"),
    ] {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    site
}

/// Everything under the site's temp folder (the root and whatever lies beside it).
fn everything(site: &Site) -> BTreeMap<String, Vec<u8>> {
    snapshot(site.root().parent().unwrap())
}

/// Asserts that `o` is a refusal naming `out` and saying `why`.
fn assert_refused(o: &Output, out: &Path, why: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!("refusing to build into {}", out.display())),
        "{err}"
    );
    assert!(err.contains(why), "expected {why:?}: {err}");
    assert!(err.contains("Nothing was moved"), "{err}");
}

#[test]
fn no_output_folder_can_replace_the_sources_even_with_a_marker_and_force() {
    let site = repository_site("sources");
    let root = site.root();
    let elsewhere = TempDir::new("sources-cwd");
    let cases: [(&Path, PathBuf, &str); 6] = [
        (elsewhere.path(), root.clone(), "it is the site root"),
        (
            elsewhere.path(),
            root.join("content/.."),
            "it is the site root",
        ),
        (
            elsewhere.path(),
            root.join(".."),
            "it holds the site's sources",
        ),
        (
            elsewhere.path(),
            root.join("content"),
            "it is inside the site's sources",
        ),
        (
            elsewhere.path(),
            root.join("static/built"),
            "it is inside the site's sources",
        ),
        // Relative, run in the root.
        (&root, PathBuf::from("."), "it is the site root"),
    ];
    // The root's marker empty (the case), then with sijill's own text.
    for marker in [&b""[..], MARKER_TEXT] {
        fs::write(root.join(".sijill-output"), marker).unwrap();
        let before = everything(&site);
        for (cwd, out, why) in &cases {
            for force in [&[][..], &["--force"][..]] {
                let o = build(cwd, &root, out, force);
                assert_refused(&o, out, why);
                assert_same_tree(&before, &everything(&site));
            }
        }
    }
    let before = everything(&site);
    // The root reached through a symbolic link, from a folder of its own.
    #[cfg(unix)]
    {
        let link = elsewhere.path().join("link-to-root");
        std::os::unix::fs::symlink(&root, &link).unwrap();
        for force in [&[][..], &["--force"][..]] {
            let o = build(elsewhere.path(), &root, &link, force);
            assert_refused(&o, &link, "it is the site root");
            assert_same_tree(&before, &everything(&site));
            assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
        }
    }
    // A `..` out of a folder that does not exist yet, back through a link a pull request
    // added (`a` → the root), into the sources: a marker there too, as a pull request can
    // add one (found in review: the check resolved the path one way, the build another).
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(".", root.join("a")).unwrap();
        fs::write(root.join("templates/.sijill-output"), MARKER_TEXT).unwrap();
        let before = everything(&site);
        for sub in ["templates", "content"] {
            let out = PathBuf::from(format!("x/../a/{sub}"));
            for force in [&[][..], &["--force"][..]] {
                let o = build(&root, &root, &out, force);
                assert_refused(&o, &out, "it is inside the site's sources");
                assert_same_tree(&before, &everything(&site));
                assert!(!root.join("x").exists(), "nothing made on the way");
            }
        }
        fs::remove_file(root.join("a")).unwrap();
        fs::remove_file(root.join("templates/.sijill-output")).unwrap();
    }
    // The default output folder still builds, beside the sources it leaves alone.
    let o = sijill(
        elsewhere.path(),
        &["build".as_ref(), "--root".as_ref(), root.as_os_str()],
    );
    assert_success(&o);
    assert!(root.join("public/index.html").is_file());
    let mut after = everything(&site);
    after.retain(|k, _| !k.starts_with("site/public/"));
    assert_same_tree(&before, &after);
}

#[test]
fn a_repository_or_the_current_directory_is_never_the_output() {
    let site = repository_site("repository");
    let root = site.root();
    let tmp = root.parent().unwrap().to_path_buf();
    // A repository of its own, marked as if sijill had built it.
    let repo = tmp.join("other-repo");
    for (rel, text) in [
        (".sijill-output", MARKER_TEXT),
        (".git/HEAD", b"ref: refs/heads/main\n"),
        ("notes.txt", b"keep me"),
    ] {
        fs::create_dir_all(repo.join(rel).parent().unwrap()).unwrap();
        fs::write(repo.join(rel), text).unwrap();
    }
    // A folder that holds the current directory.
    let work = tmp.join("work");
    fs::create_dir_all(work.join("here")).unwrap();
    fs::write(work.join(".sijill-output"), MARKER_TEXT).unwrap();
    let before = everything(&site);
    for force in [&[][..], &["--force"][..]] {
        let o = build(&tmp, &root, &repo, force);
        assert_refused(&o, &repo, "git repository");
        let o = build(&tmp, &root, &repo.join(".git/site"), force);
        assert_refused(&o, &repo.join(".git/site"), "git repository");
        let o = build(&work.join("here"), &root, Path::new(".."), force);
        assert_refused(&o, Path::new(".."), "it holds the current directory");
        assert_same_tree(&before, &everything(&site));
    }
}

/// What every sijill writes into `.sijill-output`.
const MARKER_TEXT: &[u8] = b"This folder is written by sijill and replaced on every build.\n";

#[test]
fn an_empty_or_edited_marker_does_not_make_a_folder_replaceable() {
    let site = repository_site("marker");
    let root = site.root();
    let tmp = root.parent().unwrap().to_path_buf();
    let out = site.out();
    // A folder of someone's own with a `.sijill-output` that is not sijill's marker.
    let edited = [MARKER_TEXT, b"but these are my notes\n"].concat();
    for marker in [&b""[..], &b"\n"[..], &MARKER_TEXT[..20], &edited] {
        let _ = fs::remove_dir_all(&out);
        fs::create_dir_all(out.join("notes")).unwrap();
        fs::write(out.join("notes/todo.txt"), "keep me").unwrap();
        fs::write(out.join(".sijill-output"), marker).unwrap();
        let before = snapshot(&out);
        let o = build(&tmp, &root, &out, &[]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("holds a .sijill-output file that sijill did not write"),
            "{}",
            stderr(&o)
        );
        assert_same_tree(&before, &snapshot(&out));
        // --force moves it aside, never deletes it.
        let o = build(&tmp, &root, &out, &["--force"]);
        assert_success(&o);
        let aside = out.with_file_name("out.before-sijill");
        assert_same_tree(&before, &snapshot(&aside));
        fs::remove_dir_all(&aside).unwrap();
        // The folder is sijill's now, with the marker every sijill writes: the next build
        // replaces it without --force.
        assert_eq!(fs::read(out.join(".sijill-output")).unwrap(), MARKER_TEXT);
        assert_success(&build(&tmp, &root, &out, &[]));
        assert!(out.join("index.html").is_file());
        assert!(!aside.exists());
    }
}

/// The name a build of process `pid` gives its staging folder beside `out`.
fn staging_name(out: &Path, pid: u32) -> PathBuf {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    out.with_file_name(format!(".{name}.sijill-new-{pid}"))
}

#[test]
fn what_a_build_killed_right_after_its_swap_leaves_is_cleaned_up() {
    let site = repository_site("swap");
    let root = site.root();
    let tmp = root.parent().unwrap().to_path_buf();
    let out = site.out();
    // The state the swap leaves: the new site at `out`, the previous one under the
    // staging name of the build (killed, so no longer running). Both were built by
    // sijill where they are now, moved by renames, as `renameat2(RENAME_EXCHANGE)` moves.
    let dead = 0x7fff_fff0; // above the kernel's largest pid
    let previous = staging_name(&out, dead);
    assert_success(&build(&tmp, &root, &out, &[]));
    assert_success(&build(&tmp, &root, &tmp.join("next"), &[]));
    fs::rename(&out, &previous).unwrap();
    fs::rename(tmp.join("next"), &out).unwrap();
    // A build killed after making its staging folder and before writing into it, or right
    // after swapping out a previous site that was an empty folder (as sijill before this
    // fix left it: empty, with no marker).
    let empty = staging_name(&out, dead - 4);
    fs::create_dir(&empty).unwrap();
    // Beside them, folders of the same pattern that sijill did not leave, or that a
    // running build is writing: all are left alone.
    let foreign = [
        (staging_name(&out, dead - 1), None),
        (staging_name(&out, dead - 2), Some(&b""[..])),
        (
            staging_name(&out, dead - 3),
            Some(&[MARKER_TEXT, b"edited\n"].concat()[..]),
        ),
    ];
    for (dir, marker) in &foreign {
        fs::create_dir_all(dir.join("mine")).unwrap();
        fs::write(dir.join("mine/notes.txt"), "keep me").unwrap();
        if let Some(marker) = marker {
            fs::write(dir.join(".sijill-output"), marker).unwrap();
        }
    }
    // A build still running (this test's process): its marker is its own, its pid alive.
    let running = staging_name(&out, std::process::id());
    assert_success(&build(&tmp, &root, &tmp.join("running"), &[]));
    fs::rename(tmp.join("running"), &running).unwrap();

    let previous_name = previous.file_name().unwrap().to_string_lossy().into_owned();
    let mut kept = everything(&site);
    let empty_name = empty.file_name().unwrap().to_string_lossy().into_owned();
    kept.retain(|k, _| {
        !k.starts_with("out/")
            && !k.starts_with(&format!("{previous_name}/"))
            && k != &format!("{empty_name}/")
    });
    let o = build(&tmp, &root, &out, &[]);
    assert_success(&o);
    assert!(
        !previous.exists(),
        "the previous site is left beside the new one"
    );
    assert!(
        !empty.exists(),
        "an empty staging folder is left beside the site"
    );
    assert!(out.join("index.html").is_file());
    let mut after = everything(&site);
    after.retain(|k, _| !k.starts_with("out/"));
    assert_same_tree(&kept, &after);
}

// ---------------------------------------------------------------------------------------
// The base URL.
// ---------------------------------------------------------------------------------------

/// Base URLs a browser would read as another host, or that are no path and no URL.
const HOSTILE_BASE_URLS: [(&str, &str); 7] = [
    ("//evil.example/", "starts with `//`"),
    ("https://ok.example/a/https://evil.example/", "segment"),
    ("https://ok.example@evil.example/", "user information"),
    ("/\\evil.example/", "which a base URL may not hold"),
    ("https://evil.example/?x=", "which a base URL may not hold"),
    ("javascript:alert(1)//", "neither a path"),
    ("evil.example/", "neither a path"),
];

#[test]
fn a_base_url_of_another_host_in_site_yaml_is_an_error_at_its_line() {
    let site = Site::new("base-yaml");
    site.report(
        "reports/a.md",
        &simple_report("A", "2018-01-01", "Syria/Idlib", 3),
    );
    for (base, why) in HOSTILE_BASE_URLS {
        let quoted = serde_json::to_string(base).unwrap();
        site.config(&format!("title: T\nbase_url: {quoted}\n"));
        let o = build(site.root().as_path(), &site.root(), &site.out(), &[]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{base}: {err}");
        assert!(err.contains("site.yaml:2:11: "), "{base}: {err}");
        assert!(err.contains(why), "{base}: expected {why:?}: {err}");
        assert!(!site.out().exists(), "{base}: something was written");
    }
    // A sub-path and a path alone still build, every link under them.
    for (base, path) in [
        ("https://example.org/sub/path/", "/sub/path/"),
        ("/archive", "/archive/"),
    ] {
        site.config(&format!("base_url: {base}\n"));
        let o = build(site.root().as_path(), &site.root(), &site.out(), &[]);
        assert_success(&o);
        let home = site.page("");
        assert!(
            home.contains(&format!("href=\"{path}style.css\"")),
            "{base}"
        );
        assert!(links(&home).iter().all(|l| !l.starts_with("//")), "{base}");
    }
}

#[test]
fn a_base_url_of_another_host_on_the_command_line_is_bad_usage() {
    let site = Site::new("base-cli");
    site.report(
        "reports/a.md",
        &simple_report("A", "2018-01-01", "Syria/Idlib", 3),
    );
    for (base, why) in HOSTILE_BASE_URLS {
        for command in ["build", "serve"] {
            let o = sijill(
                &site.root(),
                &[
                    command.as_ref(),
                    "--root".as_ref(),
                    site.root().as_os_str(),
                    "--base-url".as_ref(),
                    base.as_ref(),
                ],
            );
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{command} {base}: {err}");
            assert!(err.contains("--base-url"), "{command} {base}: {err}");
            assert!(err.contains(why), "{command} {base}: {why:?}: {err}");
        }
        assert!(!site.root().join("public").exists(), "{base}");
    }
    let o = build(
        &site.root(),
        &site.root(),
        &site.out(),
        &["--base-url", "https://example.org/sub/path"],
    );
    assert_success(&o);
    assert!(site.page("").contains("href=\"/sub/path/style.css\""));
}

//! `sijill init`: a new archive that holds content only, whose workflows install this
//! release of sijill with its action, that checks and builds as written, and a folder with
//! anything in it is refused with nothing changed. Also `sijill --version`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use serde_yaml::Value;

use crate::common::{BIN, REPO, TempDir};
use crate::workflows::{assert_actionlint_passes, diff_workflow_problems};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What the archive's workflows use to install sijill: this release of its action.
fn released_action() -> String {
    format!("sijill-archive/sijill@v{VERSION}")
}

/// The files `init` writes, sorted.
const FILES: [&str; 11] = [
    ".github/workflows/check.yml",
    ".github/workflows/diff.yml",
    ".github/workflows/pages.yml",
    ".gitignore",
    "README.md",
    "content/pages/about.md",
    "content/pages/methodology.md",
    "content/places.yaml",
    "content/reports/2025/01/2025-01-15-example-replace-this-report.md",
    "content/vocabulary.yaml",
    "site.yaml",
];

fn sijill(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .output()
        .expect("sijill runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file and folder under `dir` (relative, sorted), with a file's bytes.
fn snapshot(dir: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut all: Vec<(String, Option<Vec<u8>>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let bytes = e.file_type().is_file().then(|| fs::read(e.path()).unwrap());
            (rel, bytes)
        })
        .collect();
    all.sort();
    all
}

/// The relative paths of the files under `dir`, sorted.
fn file_list(dir: &Path) -> Vec<String> {
    snapshot(dir)
        .into_iter()
        .filter_map(|(path, bytes)| bytes.map(|_| path))
        .collect()
}

/// A new archive `archive` in a fresh temp folder, made with `args` after `init archive`.
fn init(args: &[&str]) -> (TempDir, std::path::PathBuf) {
    let tmp = TempDir::new("init");
    let mut all = vec!["init", "archive"];
    all.extend_from_slice(args);
    let out = sijill(tmp.path(), &all);
    assert!(out.status.success(), "{}", stderr(&out));
    let dir = tmp.path().join("archive");
    let listed: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.strip_prefix("archive/").unwrap_or(l).to_string())
        .collect();
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, FILES, "init lists the files it wrote");
    (tmp, dir)
}

#[test]
fn version_names_the_version_and_the_report_format() {
    let out = sijill(Path::new(REPO), &["--version"]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("sijill {VERSION} (report format v2)\n")
    );
}

/// The archive holds content and workflows, no Rust: the workflows are sijill's own, with
/// the action pinned to this release instead of `./`, so the record diff is as safe as in
/// sijill's repository (the same checker) and nothing builds a local Cargo.toml.
#[test]
fn init_writes_a_content_only_archive_whose_workflows_install_this_release() {
    for (language, title) in [("en", "Idlib incidents"), ("ar", "حوادث إدلب")] {
        let (_tmp, dir) = init(&[
            "--title",
            title,
            "--language",
            language,
            "--base-url",
            "https://org.github.io/archive/",
        ]);
        let files = file_list(&dir);
        assert_eq!(files, FILES);
        assert!(
            !files
                .iter()
                .any(|f| f.ends_with(".rs") || f.ends_with("Cargo.toml")),
            "{files:?}"
        );

        let site = fs::read_to_string(dir.join("site.yaml")).unwrap();
        let settings: Value = serde_yaml::from_str(&site).unwrap();
        assert_eq!(settings["title"], Value::from(title));
        assert_eq!(settings["language"], Value::from(language));
        assert_eq!(
            settings["base_url"],
            Value::from("https://org.github.io/archive/")
        );
        assert!(site.contains("\n# license: CC-BY-4.0\n"), "{site}");
        assert_eq!(
            fs::read_to_string(dir.join(".gitignore"))
                .unwrap()
                .lines()
                .filter(|l| !l.starts_with('#'))
                .collect::<Vec<_>>(),
            ["public/"]
        );
        let example = fs::read_to_string(dir.join(FILES[8])).unwrap();
        assert!(example.contains("\ndraft: true\n"), "never published as is");
        let readme = fs::read_to_string(dir.join("README.md")).unwrap();
        assert!(readme.starts_with(&format!("# {title}\n")));
        for needed in ["sijill check", "pull request", &format!("@v{VERSION}")] {
            assert!(readme.contains(needed), "the README says {needed}");
        }

        for name in ["check.yml", "diff.yml", "pages.yml"] {
            let text = fs::read_to_string(dir.join(".github/workflows").join(name)).unwrap();
            assert!(!text.contains("cargo"), "{name} runs no cargo");
            let own =
                fs::read_to_string(Path::new(REPO).join(".github/workflows").join(name)).unwrap();
            assert_eq!(
                text,
                own.replace("uses: ./\n", &format!("uses: {}\n", released_action())),
                "{name} is sijill's own, with the action pinned to this release"
            );
            let w: Value = serde_yaml::from_str(&text).unwrap();
            let mut actions = Vec::new();
            for job in w["jobs"].as_mapping().unwrap().values() {
                for step in job["steps"].as_sequence().unwrap() {
                    if let Some(u) = step["uses"].as_str() {
                        actions.push(u.to_string());
                    }
                }
            }
            assert!(
                actions.contains(&released_action()),
                "{name} installs sijill: {actions:?}"
            );
            assert!(
                !actions.iter().any(|a| a.starts_with("./")),
                "{name}: {actions:?}"
            );
        }
        // README's example of `new` works in a new archive as in the bundled one.
        let new = sijill(
            &dir,
            &[
                "new",
                "--title",
                "What happened, where",
                "--date",
                "2018-02-04",
                "--place",
                "Syria/Idlib/Idlib/Saraqib",
            ],
        );
        assert!(new.status.success(), "{}", stderr(&new));

        let diff: Value = serde_yaml::from_str(
            &fs::read_to_string(dir.join(".github/workflows/diff.yml")).unwrap(),
        )
        .unwrap();
        let problems = diff_workflow_problems(&diff);
        assert!(problems.is_empty(), "{problems:#?}");
    }
}

/// What `init` writes passes `check` and builds, in both languages; the example report is
/// a draft, so only a preview (`--drafts`) shows it.
#[test]
fn init_archive_checks_and_builds() {
    for language in ["en", "ar"] {
        let (tmp, dir) = init(&["--language", language]);
        let check = sijill(&dir, &["check"]);
        assert!(check.status.success(), "{language}: {}", stderr(&check));
        let out = tmp.path().join("site");
        let build = sijill(&dir, &["build", "--out", out.to_str().unwrap()]);
        assert!(build.status.success(), "{language}: {}", stderr(&build));
        let example = "reports/2025-01-15-example-replace-this-report/index.html";
        assert!(out.join("index.html").is_file());
        assert!(!out.join(example).exists(), "the example is a draft");
        let preview = tmp.path().join("preview");
        let build = sijill(
            &dir,
            &["build", "--drafts", "--out", preview.to_str().unwrap()],
        );
        assert!(build.status.success(), "{language}: {}", stderr(&build));
        assert!(preview.join(example).is_file());
    }
}

#[test]
#[ignore = "needs node and actionlint: run by .ci/run, or cargo test --test e2e init:: -- --ignored"]
fn init_archive_workflows_pass_actionlint() {
    let (_tmp, dir) = init(&[]);
    let files: Vec<String> = FILES
        .iter()
        .filter(|f| f.starts_with(".github/workflows/"))
        .map(ToString::to_string)
        .collect();
    assert_eq!(files.len(), 3);
    assert_actionlint_passes(&dir, &files);
}

/// A folder with anything in it but `.git` is refused, naming what is there, and left
/// exactly as it was; bad arguments are bad usage (exit 2) and write nothing.
#[test]
fn init_refuses_a_folder_that_is_not_empty_and_changes_nothing() {
    let tmp = TempDir::new("init-refused");
    let dir = tmp.path().join("full");
    for f in ["b.md", "a.md", ".hidden", "notes/x.md", "c", "d", "e"] {
        let path = dir.join(f);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, f).unwrap();
    }
    let before = snapshot(&dir);
    let out = sijill(tmp.path(), &["init", "full"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("full is not empty: it holds .hidden, a.md, b.md, c, d and 2 more"),
        "{}",
        stderr(&out)
    );
    assert_eq!(snapshot(&dir), before, "nothing changed");

    // The working directory, by default.
    let one = tmp.path().join("one");
    fs::create_dir(&one).unwrap();
    fs::write(one.join("README.md"), "mine").unwrap();
    let out = sijill(&one, &["init"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains(". is not empty: it holds README.md;"),
        "{}",
        stderr(&out)
    );
    assert_eq!(file_list(&one), ["README.md"]);

    let file = tmp.path().join("file");
    fs::write(&file, "x").unwrap();
    let out = sijill(tmp.path(), &["init", "file"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("file exists and is not a folder"));
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");

    for bad in [
        ["--title", " "],
        ["--title", "two\nlines"],
        ["--base-url", "//evil.example/"],
        ["--language", "fr"],
    ] {
        let mut args = vec!["init", "new"];
        args.extend(bad);
        let out = sijill(tmp.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{bad:?}: {}", stderr(&out));
        assert!(!tmp.path().join("new").exists(), "{bad:?} wrote nothing");
    }

    // A fresh clone of an empty repository holds only .git: that is where a group starts.
    let clone = tmp.path().join("clone");
    fs::create_dir_all(clone.join(".git")).unwrap();
    fs::write(clone.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let out = sijill(&clone, &["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(clone.join("site.yaml").is_file());
    assert_eq!(
        fs::read_to_string(clone.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/main\n"
    );
}

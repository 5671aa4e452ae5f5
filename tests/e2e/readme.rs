//! README.md's commands work as written. Every command of its ```` ```sh ```` blocks is run,
//! block by block and in order, in a copy of the repository's archive (`content/`,
//! `templates/`, `static/`), with two substitutions, both standing for what a reader runs:
//! `sijill` is the binary under test (a `sijill` on the PATH links to it), and `cargo run
//! --release --` is replaced by `sijill` (it builds and runs that same binary). A command
//! that cannot run here is listed in [`NOT_RUNNABLE`] with the reason; a command that fails,
//! or a listed one the README no longer has, fails the test.

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{BIN, REPO, TempDir};

/// Commands (by their start) that are not run here, and why.
const NOT_RUNNABLE: [(&str, &str); 6] = [
    (
        "cargo test",
        "the test suite this test is part of (CI runs it through .ci/run)",
    ),
    (
        "bash .ci/run",
        "installs Chromium, Java and Node tools, then runs every test, this one included",
    ),
    (
        "cargo install --locked --git https://github.com/sijill-archive/sijill --tag v",
        "downloads a release from GitHub; .ci/run installs this checkout the same way \
         (cargo install --locked --path . --root <temp>)",
    ),
    (
        "cargo install --locked --path .",
        "compiles sijill from scratch for minutes into ~/.cargo; .ci/run does it into a \
         temporary root and builds the archive with the result",
    ),
    (
        "git push",
        "needs a repository on GitHub (the commands before it run)",
    ),
    (
        "cargo run --release -- serve",
        "a server that runs until it is stopped (tests/e2e/serve.rs runs it)",
    ),
];

/// One command of a ```` ```sh ```` block: its line in README.md and its text (lines ending
/// in `\` joined).
struct Shell {
    line: usize,
    command: String,
}

/// The ```` ```sh ```` blocks of `text`, each as its commands (comment and empty lines left
/// out). Blocks indented in a list are read without their indent.
fn sh_blocks(text: &str) -> Vec<Vec<Shell>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<Shell>> = None;
    let mut pending: Option<Shell> = None;
    let mut in_other = false;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        match &mut current {
            None if in_other => in_other = !line.starts_with("```"),
            None if line == "```sh" => current = Some(Vec::new()),
            // Every other block says what it holds (`text`: usage and output), so that
            // no command hides in an unmarked block; its lines are skipped.
            None if line.starts_with("```") => {
                assert!(
                    line.len() > 3,
                    "README.md:{}: a fenced block names its language (sh, text, …)",
                    i + 1
                );
                in_other = true;
            }
            None => {}
            Some(_) if line == "```" => blocks.push(current.take().expect("in a block")),
            Some(block) => {
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let (part, continued) = match line.strip_suffix('\\') {
                    Some(part) => (part.trim_end(), true),
                    None => (line, false),
                };
                let mut shell = pending.take().unwrap_or(Shell {
                    line: i + 1,
                    command: String::new(),
                });
                if !shell.command.is_empty() {
                    shell.command.push(' ');
                }
                shell.command.push_str(part);
                if continued {
                    pending = Some(shell);
                } else {
                    block.push(shell);
                }
            }
        }
    }
    assert!(current.is_none(), "README.md has an unclosed ```sh block");
    blocks
}

/// Why `command` is not run here, if it is listed.
fn not_runnable(command: &str) -> Option<&'static str> {
    NOT_RUNNABLE
        .iter()
        .find(|(start, _)| command.starts_with(start))
        .map(|(_, why)| *why)
}

/// `command` as run here: `cargo run --release --` is the `sijill` it would build.
fn as_run(command: &str) -> String {
    command.replace("cargo run --release --", "sijill")
}

/// Copies `from` into `to`, folders and files.
fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn every_command_of_the_readme_runs_on_a_copy_of_the_repository() {
    let readme = fs::read_to_string(Path::new(REPO).join("README.md")).unwrap();
    let blocks = sh_blocks(&readme);
    let commands: Vec<&Shell> = blocks.iter().flatten().collect();
    for (start, _) in NOT_RUNNABLE {
        assert!(
            commands.iter().any(|c| c.command.starts_with(start)),
            "`{start}` is listed as not runnable, but README.md has no such command"
        );
    }

    let tmp = TempDir::new("readme");
    let repo = tmp.path().join("repository");
    for dir in ["content", "templates", "static"] {
        copy_tree(&Path::new(REPO).join(dir), &repo.join(dir));
    }
    let bin = tmp.path().join("bin");
    fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(BIN, bin.join("sijill")).unwrap();
    let mut path = std::ffi::OsString::from(&bin);
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap());
    let home = tmp.path().join("home");
    fs::create_dir_all(&home).unwrap();

    let mut ran = 0;
    for block in &blocks {
        // One shell per block (a `cd` lasts to the end of its block), each command checked
        // on its own: `set -e` does not stop at a failure inside `a && b`.
        let mut script = String::new();
        let mut runnable = 0;
        for c in block {
            if not_runnable(&c.command).is_some() {
                continue;
            }
            runnable += 1;
            script.push_str(&format!(
                "{{ {}\n}} </dev/null || {{ echo \"README.md:{}: failed: {}\" >&2; exit 1; }}\necho ran\n",
                as_run(&c.command),
                c.line,
                c.command.replace(['"', '$', '`', '\\'], "'")
            ));
        }
        if runnable == 0 {
            continue;
        }
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-c", &script])
            .current_dir(&repo)
            .env("PATH", &path)
            .env("HOME", &home)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.org")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.org")
            .output()
            .expect("bash runs");
        assert!(
            out.status.success(),
            "{}\n{}",
            String::from_utf8_lossy(&out.stderr),
            script
        );
        let done = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| *l == "ran")
            .count();
        assert_eq!(done, runnable, "every command of the block ran");
        ran += runnable;
    }
    assert!(ran >= 7, "README.md's runnable commands: {ran}");

    // What they made: the bundled archive built, a new archive committed, a new report
    // that passes check.
    assert!(repo.join("public/index.html").is_file());
    assert!(repo.join("my-archive/site.yaml").is_file());
    assert!(repo.join("my-archive/.git").is_dir());
    assert!(
        repo.join("content/reports/2018/02/2018-02-04-what-happened-where.md")
            .is_file()
    );
}

/// The release the README tells a group to install and pin is this version.
#[test]
fn the_readme_names_this_release() {
    let readme = fs::read_to_string(Path::new(REPO).join("README.md")).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    let mut named = 0;
    for marker in ["--tag v", "sijill-archive/sijill@v", "sijill "] {
        for (at, _) in readme.match_indices(marker) {
            let rest = &readme[at + marker.len()..];
            let word: String = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if word.contains('.') {
                assert_eq!(
                    word.trim_end_matches('.'),
                    version,
                    "README.md names {marker}{word}"
                );
                named += 1;
            }
        }
    }
    assert!(named >= 3, "{named}");
}

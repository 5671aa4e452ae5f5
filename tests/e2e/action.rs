//! The GitHub Action at the root of the repository (`action.yml`): a composite action
//! without inputs that installs sijill from its own checkout, cached by runner, version and
//! sources. Its shell steps are run here as the runner runs them (bash, with the variables
//! GitHub sets); the build step's `cargo install --locked` is what `.ci/run` runs.

use std::fs;
use std::path::Path;
use std::process::Command;

use serde_yaml::Value;

use crate::common::{BIN, REPO, TempDir};

fn action() -> Value {
    let text = fs::read_to_string(Path::new(REPO).join("action.yml")).unwrap();
    serde_yaml::from_str(&text).unwrap()
}

fn steps(a: &Value) -> Vec<Value> {
    a["runs"]["steps"].as_sequence().unwrap().clone()
}

/// The step whose `id` or `name` is `key`.
fn step(a: &Value, key: &str) -> Value {
    steps(a)
        .into_iter()
        .find(|s| s["id"] == key || s["name"] == key)
        .unwrap_or_else(|| panic!("a step {key}"))
}

/// Runs a step's script with bash as the runner does, with `env` (its `${{ }}` values
/// given by the test) and the runner's variables; returns what it wrote to
/// `$GITHUB_OUTPUT` and `$GITHUB_PATH`, and its standard output.
fn run_step(s: &Value, env: &[(&str, &Path)], runner_temp: &Path) -> (String, String, String) {
    let script = s["run"].as_str().unwrap();
    fs::create_dir_all(runner_temp).unwrap();
    // Fresh files for each step, as the runner gives.
    let output = runner_temp.join("output");
    let path = runner_temp.join("path");
    let _ = fs::remove_file(&output);
    let _ = fs::remove_file(&path);
    let mut cmd = Command::new("bash");
    cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", runner_temp)
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_PATH", &path);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("bash runs");
    assert!(out.status.success(), "{script}\n{out:?}");
    (
        fs::read_to_string(output).unwrap_or_default(),
        fs::read_to_string(path).unwrap_or_default(),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// `name=value` lines of `$GITHUB_OUTPUT`.
fn output(text: &str, name: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no output {name} in {text}"))
        .to_string()
}

#[test]
fn the_action_installs_sijill_from_its_checkout_cached_by_version_and_sources() {
    let a = action();
    assert_eq!(a["runs"]["using"], Value::from("composite"));
    assert!(
        a.get("inputs").is_none(),
        "the version is the ref a workflow pins"
    );
    let cache = step(&a, "cache");
    assert!(
        cache["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/cache@v")
    );
    assert_eq!(
        cache["with"]["key"],
        Value::from("${{ steps.key.outputs.key }}")
    );
    assert_eq!(
        cache["with"]["path"],
        Value::from("${{ steps.key.outputs.dir }}")
    );
    let build = step(&a, "Build sijill");
    assert_eq!(
        build["if"],
        Value::from("steps.cache.outputs.cache-hit != 'true'")
    );
    assert_eq!(
        build["run"],
        Value::from("cargo install --locked --path \"$ACTION_PATH\" --root \"$INSTALL_DIR\"")
    );
    assert_eq!(
        build["env"]["ACTION_PATH"],
        Value::from("${{ github.action_path }}")
    );

    // The key: the runner, the version of the checkout, a hash of its sources.
    let tmp = TempDir::new("action");
    let key_step = step(&a, "key");
    let (out, _, _) = run_step(
        &key_step,
        &[("ACTION_PATH", Path::new(REPO))],
        &tmp.path().join("runner"),
    );
    let version = env!("CARGO_PKG_VERSION");
    let key = output(&out, "key");
    assert!(
        key.starts_with(&format!("sijill-Linux-X64-{version}-")),
        "{key}"
    );
    let runner = tmp.path().join("runner");
    assert_eq!(
        output(&out, "dir"),
        format!("{}/sijill-{version}", runner.display())
    );
    assert_eq!(output(&out, "version"), version);

    // A change to any source gives another key; the same sources, the same key.
    let copy = tmp.path().join("checkout");
    for f in ["Cargo.toml", "Cargo.lock"] {
        fs::create_dir_all(&copy).unwrap();
        fs::copy(Path::new(REPO).join(f), copy.join(f)).unwrap();
    }
    for dir in ["src", "templates", "static", ".github/workflows"] {
        for e in walkdir::WalkDir::new(Path::new(REPO).join(dir)) {
            let e = e.unwrap();
            let to = copy.join(e.path().strip_prefix(REPO).unwrap());
            if e.file_type().is_dir() {
                fs::create_dir_all(&to).unwrap();
            } else {
                fs::copy(e.path(), &to).unwrap();
            }
        }
    }
    let key_of = |dir: &Path| {
        let (out, _, _) = run_step(&key_step, &[("ACTION_PATH", dir)], &runner);
        output(&out, "key")
    };
    assert_eq!(key_of(&copy), key);
    fs::write(copy.join("templates/base.html"), "changed").unwrap();
    assert_ne!(key_of(&copy), key, "a template changed");

    // The binary's folder on the PATH, and its version in the log.
    let install = runner.join(format!("sijill-{version}"));
    fs::create_dir_all(install.join("bin")).unwrap();
    std::os::unix::fs::symlink(BIN, install.join("bin/sijill")).unwrap();
    let (_, path, stdout) = run_step(
        &step(&a, "Put sijill on the PATH"),
        &[("INSTALL_DIR", &install)],
        &runner,
    );
    assert_eq!(path, format!("{}/bin\n", install.display()));
    assert_eq!(stdout, format!("sijill {version} (report format v2)\n"));
}

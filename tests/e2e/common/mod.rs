//! Shared helpers for the end-to-end tests: a throw-away site in a temp folder, the real
//! `sijill` binary run on it, and readers for what it wrote (data/*.json and HTML pages).
//!
//! A module of the one end-to-end test binary (`tests/e2e/main.rs`); each area uses part of it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

pub mod bounded;
pub mod html;
pub mod pages;
pub mod serve;

pub use pages::*;

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_sijill");

/// The repository root (holds the bundled sample archive).
pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A fresh, unique, empty folder under the system temp dir (not created).
pub fn temp_path(name: &str) -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    std::env::temp_dir().join(format!(
        "sijill-e2e-{name}-{}-{n}-{nanos}",
        std::process::id()
    ))
}

/// A temp folder removed on drop (even when the test panics).
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let p = temp_path(name);
        fs::create_dir_all(&p).expect("create temp dir");
        TempDir(p)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os("SIJILL_KEEP_TEST_DIRS").is_none() {
            let _ = fs::remove_dir_all(&self.0);
        }
    }
}

/// A small site written into a fresh temp folder: `<tmp>/site/content/...`, built into
/// `<tmp>/out` (outside the root, next to it).
pub struct Site {
    tmp: TempDir,
}

impl Site {
    pub fn new(name: &str) -> Site {
        let tmp = TempDir::new(name);
        fs::create_dir_all(tmp.path().join("site/content")).expect("create content/");
        Site { tmp }
    }

    /// A site whose files start as a copy of `tests/fixtures/<name>/` (its `content/`,
    /// `site.yaml`, …): the reports too long to read well inline live there as files.
    pub fn fixture(name: &str) -> Site {
        let site = Site::new(&name.replace('/', "-"));
        copy_tree(
            &Path::new(REPO).join("tests/fixtures").join(name),
            &site.root(),
        );
        site
    }

    /// The site root (`--root`).
    pub fn root(&self) -> PathBuf {
        self.tmp.path().join("site")
    }

    /// The output folder (`--out`).
    pub fn out(&self) -> PathBuf {
        self.tmp.path().join("out")
    }

    /// Writes `content/<rel>`.
    pub fn report(&self, rel: &str, text: &str) -> &Self {
        let path = self.root().join("content").join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Writes `<rel>` under the site root, any bytes (not only UTF-8).
    pub fn file(&self, rel: &str, bytes: impl AsRef<[u8]>) -> &Self {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
        self
    }

    /// Runs `sijill <args> --root <root>` (no colours), for the commands other than
    /// `build --out`: `check`, `new`, a build into the default `public/`.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .args(args)
            .arg("--root")
            .arg(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("run sijill")
    }

    /// Removes `content/<rel>`.
    pub fn remove(&self, rel: &str) -> &Self {
        fs::remove_file(self.root().join("content").join(rel)).unwrap();
        self
    }

    /// Writes `site.yaml`.
    pub fn config(&self, text: &str) -> &Self {
        fs::write(self.root().join("site.yaml"), text).unwrap();
        self
    }

    /// Writes `content/places.yaml`.
    pub fn gazetteer(&self, text: &str) -> &Self {
        fs::write(self.root().join("content/places.yaml"), text).unwrap();
        self
    }

    /// Writes `templates/<name>` (overrides that template of the default theme).
    pub fn template(&self, name: &str, text: &str) -> &Self {
        let path = self.root().join("templates").join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Runs `sijill build --root <root> --out <out> <args>`.
    pub fn build(&self, args: &[&str]) -> Output {
        self.build_into(&self.out(), args)
    }

    /// Runs `sijill build --root <root> --out <out> <args>` into another folder.
    pub fn build_into(&self, out: &Path, args: &[&str]) -> Output {
        run_build(&self.root(), out, args)
    }

    /// Builds under [`bounded`]'s memory limit and kill timeout, for hostile sites.
    pub fn build_bounded(&self, args: &[&str]) -> bounded::Bounded {
        bounded::run(
            build_command(&self.root(), &self.out(), args),
            bounded::MEMORY_LIMIT,
        )
    }

    /// `sijill check --root <root> <args>` under [`bounded`]'s memory limit and kill
    /// timeout, for hostile sites.
    pub fn check_bounded(&self, args: &[&str]) -> bounded::Bounded {
        let mut command = Command::new(BIN);
        command
            .arg("check")
            .arg("--root")
            .arg(self.root())
            .args(args)
            .env("NO_COLOR", "1");
        bounded::run(command, bounded::MEMORY_LIMIT)
    }

    /// Builds and asserts success.
    pub fn build_ok(&self, args: &[&str]) -> Output {
        let o = self.build(args);
        assert_success(&o);
        o
    }

    /// Runs `sijill check --root <root> <args>`.
    pub fn check(&self, args: &[&str]) -> Output {
        Command::new(BIN)
            .arg("check")
            .arg("--root")
            .arg(self.root())
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .expect("run sijill check")
    }

    /// `out/<rel>` parsed as JSON.
    pub fn json(&self, rel: &str) -> Value {
        read_json(&self.out().join(rel))
    }

    /// The page at site-relative folder `rel` (`places/syria/`; `""` is the home page).
    pub fn page(&self, rel: &str) -> String {
        read_page(&self.out(), rel)
    }

    /// True when the page at folder `rel` exists.
    pub fn has_page(&self, rel: &str) -> bool {
        self.out().join(rel).join("index.html").is_file()
    }
}

/// Copies every file under `from` into `to`, making folders as needed.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            fs::create_dir_all(&target).unwrap();
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `sijill build --root root --out out args` (no colours), to run.
pub fn build_command(root: &Path, out: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .args(args)
        .env("NO_COLOR", "1");
    command
}

/// Runs `sijill build --root root --out out args` (no colours).
pub fn run_build(root: &Path, out: &Path, args: &[&str]) -> Output {
    build_command(root, out, args)
        .output()
        .expect("run sijill build")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn assert_success(o: &Output) {
    assert!(
        o.status.success(),
        "sijill failed ({:?}):\n{}",
        o.status,
        stderr(o)
    );
}

/// The header and rows of the CSV file at `path` (after its byte order mark, if any), as
/// lists of cells.
pub fn read_csv_table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut reader = csv::Reader::from_reader(text);
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

pub fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn read_page(out: &Path, rel: &str) -> String {
    let path = out.join(rel).join("index.html");
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The record of `data/*.json` whose `key` is `value` (panics when absent or repeated).
pub fn record<'a>(array: &'a Value, key: &str, value: &str) -> &'a Value {
    let found: Vec<&Value> = array
        .as_array()
        .expect("a JSON array")
        .iter()
        .filter(|r| r[key] == value)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one record with {key} = {value:?}"
    );
    found[0]
}

/// The values of `key` over every record of a `data/*.json` array, sorted.
pub fn keys(array: &Value, key: &str) -> Vec<String> {
    let mut v: Vec<String> = array
        .as_array()
        .expect("a JSON array")
        .iter()
        .map(|r| r[key].as_str().expect("string key").to_string())
        .collect();
    v.sort();
    v
}

/// `{"min": n, "max": n}`: an exact count.
pub fn exact(n: u64) -> Value {
    json!({"min": n, "max": n})
}

/// `{"min": min, "max": max}`: a range.
pub fn range(min: u64, max: u64) -> Value {
    json!({"min": min, "max": max})
}

/// `{"min": n, "max": null}`: at least n.
pub fn at_least(n: u64) -> Value {
    json!({"min": n, "max": null})
}

/// Every file under `dir` (relative path with `/` → bytes), hidden files included, and every
/// folder (`path/` → no bytes).
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, into: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap())
            .collect();
        entries.sort_by_key(std::fs::DirEntry::file_name);
        for e in entries {
            let path = e.path();
            let ty = e.file_type().unwrap();
            let rel = path
                .strip_prefix(base)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            if ty.is_dir() {
                // Folders count too: one left behind, even empty, is a difference.
                into.insert(format!("{rel}/"), Vec::new());
                walk(base, &path, into);
            } else if ty.is_symlink() {
                // A link is its target's name, never followed.
                let target = fs::read_link(&path).unwrap();
                into.insert(
                    format!("{rel} ->"),
                    target.into_os_string().into_encoded_bytes(),
                );
            } else {
                into.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut map = BTreeMap::new();
    walk(dir, dir, &mut map);
    map
}

/// Asserts two snapshots are identical, naming the first difference.
pub fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let ka: Vec<&String> = a.keys().collect();
    let kb: Vec<&String> = b.keys().collect();
    if ka != kb {
        let only_a: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
        let only_b: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
        panic!("file lists differ: only in first {only_a:?}, only in second {only_b:?}");
    }
    for (k, v) in a {
        assert!(v == &b[k], "{k} differs between the two trees");
    }
}

/// A minimal valid report.
pub fn simple_report(title: &str, date: &str, place: &str, killed: u64) -> String {
    format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nlocations:\n  - {place}\ncasualties:\n  killed: {killed}\n---\nBody.\n"
    )
}

/// The base URL the bundled archive is built under in tests: a sub-path, as on GitHub Pages.
pub const SUB_PATH_BASE: &str = "https://example.org/sub/path/";

/// Builds the repository's bundled archive under [`SUB_PATH_BASE`] into a temp folder;
/// returns the folder (kept alive by the `TempDir`) and the site in it.
pub fn bundled_site(name: &str) -> (TempDir, PathBuf) {
    let tmp = TempDir::new(name);
    let out = tmp.path().join("out");
    assert_success(&run_build(
        Path::new(REPO),
        &out,
        &["--base-url", SUB_PATH_BASE],
    ));
    (tmp, out)
}

/// The bundled archive with an Arabic interface (`language: ar` in its `site.yaml`), built
/// under [`SUB_PATH_BASE`] into the site's `out()`.
pub fn bundled_site_arabic(name: &str) -> Site {
    let site = Site::new(name);
    copy_tree(
        &Path::new(REPO).join("content"),
        &site.root().join("content"),
    );
    site.config("title: \"سجل الحوادث\"\nlanguage: ar\n");
    site.build_ok(&["--base-url", SUB_PATH_BASE]);
    site
}

/// Fails the test when its external tools are missing: such tests are `#[ignore]`d, so
/// they run only when asked for (`.ci/run` installs the tools and asks), and a missing tool
/// is then a failure, never a pass.
pub fn require_tools(paths: &[&Path], what: &str) {
    assert!(
        paths.iter().all(|p| p.exists()),
        "{what} missing (run .ci/run to install it)"
    );
}

/// The Chromium the browser tests drive: `CHROMIUM`, else Debian's.
pub fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Stops a `sijill serve` child as Ctrl-C would (SIGTERM, so it removes its temporary
/// site), killing it after five seconds if it has not stopped.
pub fn terminate(child: &mut std::process::Child) {
    // SAFETY: a plain signal to our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let started = std::time::Instant::now();
    while child.try_wait().ok().flatten().is_none() {
        if started.elapsed() > std::time::Duration::from_secs(5) {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let _ = child.wait();
}

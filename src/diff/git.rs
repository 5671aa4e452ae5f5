//! The archive at another revision, read through git without touching the working tree:
//! which files of `content/` differ from the working tree (`git diff`, untracked files),
//! and their texts at the revision (`git cat-file --batch`). Unchanged files are not read
//! at all: the revision reuses the working tree's parses.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use super::DiffError;
use crate::content::{GAZETTEER_FILE, MAX_REPORT_BYTES, RevisionFile, VOCABULARY_FILE};

/// What the archive is at the base revision, as [`crate::content::load_revision`] takes it.
pub(super) struct BaseRevision {
    /// The commit the ref names.
    pub(super) commit: String,
    /// The gazetteer's and the vocabulary's texts there.
    pub(super) settings: [Option<String>; 2],
    /// Every report file there, each unchanged or with its text.
    pub(super) files: Vec<(String, RevisionFile)>,
}

/// Runs git in `root` with `args`; its standard output, or why it failed.
fn git(root: &Path, args: &[&str]) -> Result<Vec<u8>, DiffError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| DiffError::Git(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(DiffError::Git(format!(
            "`git {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(out.stdout)
}

/// NUL-separated paths, as git writes them with `-z`.
fn paths(bytes: &[u8]) -> Vec<String> {
    bytes
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect()
}

/// True for the files the loader reads as reports: `.md` under `content/` but not a page
/// of `content/pages/` (pages are not part of the record), no component starting with `_`
/// or `.`.
fn is_report_path(path: &str) -> bool {
    path.starts_with("content/")
        && path.ends_with(".md")
        && !crate::content::pages::is_page_file(path)
        && !path.split('/').skip(1).any(|c| c.starts_with(['_', '.']))
}

/// Reads the archive under `root` (a folder of a git checkout) at revision `base`.
pub(super) fn read_base(root: &Path, base: &str) -> Result<BaseRevision, DiffError> {
    let inside = git(root, &["rev-parse", "--is-inside-work-tree"])
        .map_err(|_| DiffError::NotACheckout(root.to_path_buf()))?;
    if inside.trim_ascii() != b"true" {
        return Err(DiffError::NotACheckout(root.to_path_buf()));
    }
    if base.starts_with('-') {
        return Err(DiffError::UnknownBase(base.to_string()));
    }
    let commit = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{base}^{{commit}}"),
        ],
    )
    .map_err(|_| DiffError::UnknownBase(base.to_string()))?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    // Every file of `content/` there (paths from `root`), with its mode.
    let listed = git(root, &["ls-tree", "-r", "-z", &commit, "--", "content/"])?;
    let mut blobs = Vec::new();
    for entry in listed.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        // Regular files only (`100644`, `100755`): links and submodules are not content. A
        // line break in a name would end a request of `cat-file --batch`: not read.
        if (meta.starts_with("1006") || meta.starts_with("1007")) && !path.contains(['\n', '\r']) {
            blobs.push(path.to_string());
        }
    }
    // What differs from the working tree: tracked changes, and files git does not know.
    let mut changed: HashSet<String> = paths(&git(
        root,
        &[
            "diff",
            "--name-only",
            "-z",
            "--no-renames",
            "--relative",
            &commit,
            "--",
            "content/",
        ],
    )?)
    .into_iter()
    .collect();
    changed.extend(paths(&git(
        root,
        &[
            "ls-files",
            "-z",
            "--others",
            "--exclude-standard",
            "--",
            "content/",
        ],
    )?));
    let settings_files = [GAZETTEER_FILE, VOCABULARY_FILE];
    let settings_changed = settings_files.iter().any(|f| changed.contains(*f));
    let mut wanted: Vec<String> = settings_files
        .iter()
        .filter(|f| blobs.iter().any(|b| b == *f))
        .map(|f| (*f).to_string())
        .collect();
    let reports: Vec<&String> = blobs.iter().filter(|p| is_report_path(p)).collect();
    // With other settings every report reads otherwise: all are read from the revision.
    for p in &reports {
        if settings_changed || changed.contains(p.as_str()) {
            wanted.push((*p).clone());
        }
    }
    let mut texts = cat_files(root, &commit, &wanted)?;
    let settings = settings_files.map(|f| texts.remove(f));
    let files = reports
        .into_iter()
        .map(|p| {
            let source = match texts.remove(p) {
                Some(text) => RevisionFile::Text(text),
                None => RevisionFile::Unchanged,
            };
            (p.clone(), source)
        })
        .collect();
    Ok(BaseRevision {
        commit,
        settings,
        files,
    })
}

/// The texts of `paths` (from `root`) at `commit`, by one `git cat-file --batch`. A file
/// that is not UTF-8 is read lossily (the working tree's check reports it).
fn cat_files(
    root: &Path,
    commit: &str,
    paths: &[String],
) -> Result<std::collections::HashMap<String, String>, DiffError> {
    let mut texts = std::collections::HashMap::new();
    if paths.is_empty() {
        return Ok(texts);
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| DiffError::Git(format!("cannot run git: {e}")))?;
    let mut stdin = child.stdin.take().expect("piped");
    let requests: String = paths.iter().map(|p| format!("{commit}:./{p}\n")).collect();
    // Written from another thread: git answers while it reads, and both pipes are bounded.
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let mut out = BufReader::new(child.stdout.take().expect("piped"));
    for path in paths {
        let mut header = String::new();
        out.read_line(&mut header)
            .map_err(|e| DiffError::Git(format!("reading git cat-file: {e}")))?;
        let mut parts = header.split_whitespace();
        let (_, kind, size) = (parts.next(), parts.next(), parts.next());
        let (Some("blob"), Some(size)) = (kind, size.and_then(|s| s.parse::<usize>().ok())) else {
            return Err(DiffError::Git(format!(
                "git cat-file could not read {path} at {commit}: {}",
                header.trim()
            )));
        };
        // A file over the limit of reports is skipped, never held: the parse refuses the
        // stand-in text, as the loader refuses the file.
        let mut body = (&mut out).take(size as u64 + 1); // and the newline after it
        let text = if size as u64 > MAX_REPORT_BYTES {
            std::io::copy(&mut body, &mut std::io::sink())
                .map_err(|e| DiffError::Git(format!("reading git cat-file: {e}")))?;
            String::from("---\n# over the size limit of a report\n")
        } else {
            let mut blob = Vec::with_capacity(size + 1);
            body.read_to_end(&mut blob)
                .map_err(|e| DiffError::Git(format!("reading git cat-file: {e}")))?;
            blob.truncate(size);
            String::from_utf8_lossy(&blob).into_owned()
        };
        texts.insert(path.clone(), text);
    }
    writer
        .join()
        .expect("the writer does not panic")
        .map_err(|e| DiffError::Git(format!("writing to git cat-file: {e}")))?;
    let _ = child.wait();
    Ok(texts)
}

//! Atomic output: the site is written into a fresh sibling folder and swapped in by rename
//! only once everything succeeded, so a failed or killed build leaves the previous site as
//! it was. sijill only ever replaces a folder it created (it carries a marker file).

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// The file that marks a folder as written by sijill.
pub const MARKER: &str = ".sijill-output";

/// Why the output folder cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output folder exists, is not empty, and was not written by sijill.
    #[error(
        "{0} exists and was not written by sijill (no {MARKER} file); refusing to replace it. Choose another --out, or pass --force"
    )]
    Foreign(PathBuf),
    /// A path that would leave the output folder.
    #[error("refusing to write `{0}`: the path leaves the output folder")]
    UnsafePath(String),
    /// A file-system operation failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// On what.
        path: PathBuf,
        /// Why it failed.
        source: io::Error,
    },
}

fn io_err<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> OutputError + 'a {
    move |source| OutputError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// A site being written next to its final place.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
}

fn sibling(target: &Path, tag: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    target.with_file_name(format!(".{name}.sijill-{tag}-{}", std::process::id()))
}

/// True when `dir` is missing, empty, or written by sijill.
fn replaceable(dir: &Path) -> bool {
    match fs::read_dir(dir) {
        Err(_) => true,
        Ok(mut entries) => entries.next().is_none() || dir.join(MARKER).is_file(),
    }
}

impl Staging {
    /// Starts a new site for `target`. Refuses a non-empty foreign `target` unless `force`.
    pub fn begin(target: &Path, force: bool) -> Result<Staging, OutputError> {
        if target.exists() && !force && !replaceable(target) {
            return Err(OutputError::Foreign(target.to_path_buf()));
        }
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(io_err("cannot create", parent))?;
        }
        let dir = sibling(target, "new");
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io_err("cannot clear", &dir))?;
        }
        fs::create_dir(&dir).map_err(io_err("cannot create", &dir))?;
        fs::write(
            dir.join(MARKER),
            "This folder is written by sijill and replaced on every build.\n",
        )
        .map_err(io_err("cannot write", &dir))?;
        Ok(Staging {
            target: target.to_path_buf(),
            dir,
            committed: false,
        })
    }

    /// The folder being written.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Checks that `rel` stays inside the output folder, and gives its full path.
    pub fn resolve(&self, rel: &str) -> Result<PathBuf, OutputError> {
        let path = Path::new(rel);
        let safe = !rel.is_empty()
            && !rel.contains('\\')
            && path.components().all(|c| matches!(c, Component::Normal(_)));
        if safe {
            Ok(self.dir.join(path))
        } else {
            Err(OutputError::UnsafePath(rel.to_string()))
        }
    }

    /// Writes one file at `rel` (`places/syria/index.html`), creating its folders.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.resolve(rel)?;
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io_err("cannot create", parent))?;
        }
        fs::write(&path, bytes).map_err(io_err("cannot write", &path))
    }

    /// Swaps the new site in place of the old one, then removes the old one.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let old = sibling(&self.target, "old");
        let had_old = self.target.exists();
        if had_old {
            fs::rename(&self.target, &old).map_err(io_err("cannot move aside", &self.target))?;
        }
        if let Err(e) = fs::rename(&self.dir, &self.target) {
            if had_old {
                let _ = fs::rename(&old, &self.target);
            }
            return Err(io_err("cannot move into place", &self.target)(e));
        }
        self.committed = true;
        if had_old {
            fs::remove_dir_all(&old).map_err(io_err("cannot remove the previous site", &old))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    /// An abandoned build removes its own unfinished folder, nothing else.
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_escaping_paths() {
        let root = std::env::temp_dir().join(format!("sijill-staging-{}", std::process::id()));
        let s = Staging::begin(&root.join("out"), false).unwrap();
        assert!(s.resolve("../x").is_err());
        assert!(s.resolve("/etc/passwd").is_err());
        assert!(s.resolve("a/./b").is_ok());
        assert!(s.resolve("a/../../b").is_err());
        drop(s);
        let _ = fs::remove_dir_all(&root);
    }
}

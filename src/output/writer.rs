//! The safe writer: every file of a site goes through it. Paths are relative and checked
//! (nothing leaves the output folder), nothing follows a symbolic link, every file is
//! written 0644 and every folder 0755 whatever the umask, and nothing but plain files and
//! folders is written (GitHub Pages' artifact rules). On a new site every file is created
//! once (`O_EXCL`), so two outputs claiming one path are an error, never a silent, racy
//! overwrite.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use super::dir_handle::DirHandle;
use super::error::{OutputError, io_err};

/// Permissions of every file written.
#[cfg_attr(not(unix), allow(dead_code))]
pub(super) const FILE_MODE: u32 = 0o644;
/// Permissions of every folder written.
#[cfg_attr(not(unix), allow(dead_code))]
pub(super) const DIR_MODE: u32 = 0o755;

/// A writer that counts the bytes it passes on.
struct Counted<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Refuses a relative path that could leave the output folder or name it ambiguously.
pub(super) fn check_relative(rel: &str) -> Result<(), OutputError> {
    let safe = !rel.is_empty()
        && !rel.contains('\\')
        && !rel.contains('\0')
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
    if safe {
        Ok(())
    } else {
        Err(OutputError::UnsafePath(rel.to_string()))
    }
}

/// Sets the permissions of `path` (by full path: for folders the writer did not create).
#[cfg(unix)]
pub(super) fn set_mode(path: &Path, mode: u32) -> Result<(), OutputError> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .map_err(io_err("cannot set permissions of", path))
}

#[cfg(not(unix))]
pub(super) fn set_mode(_path: &Path, _mode: u32) -> Result<(), OutputError> {
    Ok(())
}

/// Writes files into one folder of a site, safely (see the module's documentation).
#[derive(Debug)]
pub struct SiteWriter {
    dir: PathBuf,
    /// `dir`, open: files and folders are created relative to it.
    handle: DirHandle,
    /// The umask would strip bits from 0644/0755: fix every new file and folder.
    fix_modes: bool,
    /// A new site: every file is created once, and one created again is an error (a
    /// static file where a page goes, say).
    fresh: bool,
    /// Bytes written, for the build's summary.
    bytes: AtomicU64,
    /// The files of `static/` copied ([`SiteWriter::write_static`]), to name them when
    /// something else claims their path.
    statics: Mutex<Vec<String>>,
}

impl SiteWriter {
    /// Writes a new site into `dir`, a folder just created for it (empty): every file is
    /// created once.
    pub fn new_site(dir: &Path) -> Result<SiteWriter, OutputError> {
        let mut writer = SiteWriter::open(dir, true)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir)
                .map_err(io_err("cannot read", dir))?
                .permissions()
                .mode();
            // 0755 survived the umask, so 0644 does too: nothing to fix later.
            writer.fix_modes = mode & 0o777 != DIR_MODE;
            if writer.fix_modes {
                set_mode(dir, DIR_MODE)?;
            }
        }
        #[cfg(not(unix))]
        {
            writer.fix_modes = false;
        }
        Ok(writer)
    }

    /// Writes into `dir`, a site sijill built, in place: `serve` updates the pages a change
    /// touches without rebuilding the rest, replacing their files, and removes the pages a
    /// change made obsolete ([`SiteWriter::remove_page`]).
    pub fn in_place(dir: &Path) -> Result<SiteWriter, OutputError> {
        SiteWriter::open(dir, false)
    }

    fn open(dir: &Path, fresh: bool) -> Result<SiteWriter, OutputError> {
        Ok(SiteWriter {
            dir: dir.to_path_buf(),
            handle: DirHandle::open(dir)?,
            fix_modes: true,
            fresh,
            bytes: AtomicU64::default(),
            statics: Mutex::default(),
        })
    }

    /// The folder being written.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Creates folder `rel` (inside the folder written) and the folders above it, 0755.
    fn make_dirs(&self, rel: &str) -> Result<(), OutputError> {
        let made = match self.handle.mkdir(rel) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => match rel.rsplit_once('/') {
                // The parent is missing: make it, then try once more. (With no parent, the
                // folder itself is gone; that is an error, not a reason to retry.)
                Some((parent, _)) => {
                    self.make_dirs(parent)?;
                    self.handle.mkdir(rel)
                }
                None => Err(e),
            },
            result => result,
        };
        match made {
            Ok(()) if self.fix_modes => self
                .handle
                .chmod(rel, DIR_MODE)
                .map_err(io_err("cannot set permissions of", &self.dir.join(rel))),
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(io_err("cannot create", &self.dir.join(rel))(e)),
        }
    }

    /// Opens file `rel` for writing (0644), creating its folders. Nearly every page is the
    /// first file of its own folder, so the folder is made first, not after a failed open.
    fn create(&self, rel: &str) -> Result<fs::File, OutputError> {
        check_relative(rel)?;
        if let Some((parent, _)) = rel.rsplit_once('/') {
            self.make_dirs(parent)?;
        }
        let file = match self.handle.create_file(rel, FILE_MODE, self.fresh) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && self.fresh => {
                let statics = self.statics.lock().expect("no panics while copying");
                return Err(if statics.iter().any(|s| s == rel) {
                    OutputError::StaticClash(rel.to_string())
                } else {
                    OutputError::WrittenTwice(rel.to_string())
                });
            }
            Err(e) => return Err(io_err("cannot write", &self.dir.join(rel))(e)),
        };
        #[cfg(unix)]
        if self.fix_modes {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(fs::Permissions::from_mode(FILE_MODE))
                .map_err(io_err("cannot set permissions of", &self.dir.join(rel)))?;
        }
        Ok(file)
    }

    /// Writes one file at `rel` (`places/syria/index.html`), creating its folders.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let mut file = self.create(rel)?;
        file.write_all(bytes)
            .map_err(io_err("cannot write", &self.dir.join(rel)))?;
        self.bytes.fetch_add(bytes.len() as u64, Ordering::Relaxed);
        Ok(())
    }

    /// Writes file `rel` of `static/`: as [`SiteWriter::write`], remembering it as static, so
    /// that a page or export written there afterwards is named as a clash with it.
    pub fn write_static(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.write(rel, bytes)?;
        self.statics
            .lock()
            .expect("no panics while copying")
            .push(rel.to_string());
        Ok(())
    }

    /// The files of `static/` copied so far ([`SiteWriter::write_static`]), sorted.
    pub fn statics(&self) -> Vec<String> {
        let mut statics = self
            .statics
            .lock()
            .expect("no panics while copying")
            .clone();
        statics.sort_unstable();
        statics
    }

    /// Writes one file at `rel` as `fill` produces it, through a buffer: large exports
    /// are streamed to the file instead of being held whole in memory.
    pub fn write_with(
        &self,
        rel: &str,
        fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), OutputError> {
        let mut out = Counted {
            inner: io::BufWriter::with_capacity(64 * 1024, self.create(rel)?),
            bytes: 0,
        };
        fill(&mut out)
            .and_then(|()| out.flush())
            .map_err(io_err("cannot write", &self.dir.join(rel)))?;
        self.bytes.fetch_add(out.bytes, Ordering::Relaxed);
        Ok(())
    }

    /// Bytes written so far, through this writer and the [`super::Recording`]s over it.
    pub fn bytes_written(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Removes the page in folder `rel` (`places/syria/page/3/`) of a site written in place:
    /// its `index.html`, then the folders it leaves empty up to the first that is not.
    /// A page already gone is no error.
    pub fn remove_page(&self, rel: &str) -> Result<(), OutputError> {
        self.remove_file(&format!("{}/index.html", rel.trim_end_matches('/')))
    }

    /// Removes file `rel` of a site written in place, then the folders it leaves empty up
    /// to the first that is not. A file already gone is no error.
    pub fn remove_file(&self, rel: &str) -> Result<(), OutputError> {
        check_relative(rel)?;
        let file = self.dir.join(rel);
        match fs::remove_file(&file) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                return Err(io_err("cannot remove", &file)(e));
            }
            _ => {}
        }
        let mut folder = rel.rsplit_once('/').map(|(parent, _)| parent);
        while let Some(f) = folder.filter(|f| !f.is_empty()) {
            if fs::remove_dir(self.dir.join(f)).is_err() {
                break;
            }
            folder = f.rsplit_once('/').map(|(parent, _)| parent);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!("sijill-writer-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(&p).unwrap();
        p
    }

    #[test]
    fn rejects_escaping_paths() {
        let root = temp("paths");
        let dir = root.join("site");
        fs::create_dir_all(&dir).unwrap();
        let w = SiteWriter::new_site(&dir).unwrap();
        assert!(check_relative("../x").is_err());
        assert!(check_relative("/etc/passwd").is_err());
        assert!(check_relative("a/./b").is_ok());
        assert!(check_relative("a/../../b").is_err());
        assert!(check_relative("a\\..\\b").is_err());
        assert!(check_relative("").is_err());
        // Writing checks the same way, and writes nothing outside.
        assert!(matches!(
            w.write("../x", b"x"),
            Err(OutputError::UnsafePath(_))
        ));
        assert!(!root.join("x").exists());
        w.write("a/./b", b"x").unwrap();
        assert!(w.path().join("a/b").is_file());
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_new_site_writes_each_file_once_and_names_a_static_clash() {
        let root = temp("once");
        let w = SiteWriter::new_site(&root).unwrap();
        w.write_static("about/index.html", b"static").unwrap();
        w.write("a.html", b"page").unwrap();
        assert!(matches!(
            w.write("about/index.html", b"page"),
            Err(OutputError::StaticClash(_))
        ));
        assert!(matches!(
            w.write("a.html", b"again"),
            Err(OutputError::WrittenTwice(_))
        ));
        assert_eq!(w.bytes_written(), 10);
        // In place, a file is replaced.
        let w = SiteWriter::in_place(&root).unwrap();
        w.write("a.html", b"new").unwrap();
        assert_eq!(fs::read_to_string(root.join("a.html")).unwrap(), "new");
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn writing_into_a_deleted_folder_fails_cleanly() {
        let root = temp("deleted");
        let dir = root.join("site");
        fs::create_dir_all(&dir).unwrap();
        let w = SiteWriter::in_place(&dir).unwrap();
        w.write("a/b.html", b"x").unwrap();
        // Removed under a running preview: an error for each write, not an endless retry.
        fs::remove_dir_all(&dir).unwrap();
        for rel in ["c.html", "d/e.html", "a/f/g.html"] {
            assert!(w.write(rel, b"x").is_err(), "{rel}");
        }
        let _ = fs::remove_dir_all(&root);
    }
}

//! Atomic output: the site is written into a fresh sibling folder and swapped in by rename
//! only once everything succeeded, so a failed or killed build leaves the previous site as
//! it was. sijill only ever replaces a folder it created (it carries a marker file with
//! sijill's signature); with `--force` a folder it did not create is moved aside, never
//! deleted. No folder that holds the site's sources, a repository or the
//! current directory is ever replaced ([`super::guard`]).
//!
//! A build killed at any point leaves beside the output at most folders the next build
//! recognises and removes: each carries the marker from before it gets that name until
//! the last of its other files is gone.
//!
//! Every file is written 0644 and every folder 0755 whatever the umask, and nothing but
//! plain files and folders is written (GitHub Pages' artifact rules).

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::guard::{self, Protected};

/// The file that marks a folder as written by sijill.
pub const MARKER: &str = ".sijill-output";

/// What [`MARKER`] holds, byte for byte, as every sijill has written it (so sites built
/// before the check keep building). An empty or different file is not sijill's marker.
/// The text cannot prove more than that: anyone can write it, which is why no folder a
/// repository's contributors write (the sources, a work tree) is replaceable, marker or
/// not ([`super::guard`]). The text is the same on every build, so builds stay
/// byte-identical.
const MARKER_TEXT: &str = "This folder is written by sijill and replaced on every build.\n";

/// Permissions of every file written.
#[cfg_attr(not(unix), allow(dead_code))]
const FILE_MODE: u32 = 0o644;
/// Permissions of every folder written.
#[cfg_attr(not(unix), allow(dead_code))]
const DIR_MODE: u32 = 0o755;

/// Why the output folder cannot be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The output path exists, is not an empty folder, and was not written by sijill.
    #[error(
        "{0} exists and was not written by sijill (no {MARKER} file); refusing to replace it. Choose another --out, or pass --force to move it aside"
    )]
    Foreign(PathBuf),
    /// The output folder holds a [`MARKER`] file that is not sijill's marker (an empty
    /// file any pull request can add, an edited one).
    #[error(
        "{0} holds a {MARKER} file that sijill did not write (it does not hold sijill's marker text); refusing to replace it. Choose another --out, or pass --force to move it aside"
    )]
    ForeignMarker(PathBuf),
    /// The output folder is one that no build may replace (see [`super::guard`]).
    #[error(
        "refusing to build into {}: {why}. Nothing was moved or written, and --force does not change this: choose an output folder of its own, such as <root>/public",
        guard::shown(out, resolved)
    )]
    Protected {
        /// The output folder, as given.
        out: PathBuf,
        /// Where it really is (links, `.` and `..` resolved).
        resolved: PathBuf,
        /// Why it may not be replaced.
        why: Protected,
    },
    /// A path that would leave the output folder.
    #[error("refusing to write `{0}`: the path leaves the output folder")]
    UnsafePath(String),
    /// A file of `static/` is where sijill writes a page or an export.
    #[error(
        "static/{0} is where sijill writes its own {0} (a page or an export): rename or remove the static file (a page's look comes from its template in templates/)"
    )]
    StaticClash(String),
    /// Two outputs of one build named the same file (a bug: every file is written once).
    #[error("{0} was written twice in one build")]
    WrittenTwice(String),
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

/// A site being written next to its final place.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    /// `dir`, open: files and folders are created relative to it, so the kernel does not
    /// walk the whole path again for each of the tens of thousands of pages.
    handle: DirHandle,
    force: bool,
    /// The umask would strip bits from 0644/0755: fix every new file and folder.
    fix_modes: bool,
    committed: bool,
    /// The files written, when this is a [`Staging::recording`] view.
    written: Option<Mutex<Vec<String>>>,
    /// Bytes written, by this staging and its recording views.
    bytes: Arc<AtomicU64>,
    /// A new site: every file is created once, and one created again is an error (a
    /// static file where a page goes, say), never a silent, racy overwrite.
    fresh: bool,
    /// The files of `static/` copied ([`Staging::write_static`]), to name them when
    /// something else claims their path.
    statics: Arc<Mutex<Vec<String>>>,
}

fn target_name(target: &Path) -> String {
    target
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned())
}

/// `.<name>.sijill-<tag>-<pid>` beside `target`.
fn sibling(target: &Path, tag: &str, pid: u32) -> PathBuf {
    target.with_file_name(format!(".{}.sijill-{tag}-{pid}", target_name(target)))
}

/// What is at the output path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Existing {
    Missing,
    /// An empty folder, or one carrying the marker.
    Ours,
    /// Anything else: a folder with other files, a file, a symbolic link.
    Foreign,
}

fn existing(path: &Path) -> io::Result<Existing> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Existing::Missing),
        Err(e) => Err(e),
        Ok(meta) if meta.is_dir() => {
            if has_marker(path) || fs::read_dir(path)?.next().is_none() {
                Ok(Existing::Ours)
            } else {
                Ok(Existing::Foreign)
            }
        }
        Ok(_) => Ok(Existing::Foreign),
    }
}

/// Writes the marker into folder `dir`.
fn write_marker(dir: &Path) -> Result<(), OutputError> {
    let path = dir.join(MARKER);
    fs::write(&path, MARKER_TEXT).map_err(io_err("cannot write", &path))?;
    set_mode(&path, FILE_MODE)
}

/// A real folder (not a link to one) holding sijill's marker: a plain file of exactly
/// [`MARKER_TEXT`].
fn has_marker(dir: &Path) -> bool {
    let marker = dir.join(MARKER);
    let is_ours = || -> io::Result<bool> {
        let meta = fs::symlink_metadata(&marker)?;
        if !fs::symlink_metadata(dir)?.is_dir()
            || !meta.is_file()
            || meta.len() != MARKER_TEXT.len() as u64
        {
            return Ok(false);
        }
        Ok(fs::read(&marker)? == MARKER_TEXT.as_bytes())
    };
    is_ours().unwrap_or(false)
}

/// The error for a foreign output path: one that holds a [`MARKER`] file that is not
/// sijill's marker is named as such.
fn foreign(path: &Path) -> OutputError {
    let is_folder = fs::symlink_metadata(path).is_ok_and(|m| m.is_dir());
    if is_folder && fs::symlink_metadata(path.join(MARKER)).is_ok() {
        OutputError::ForeignMarker(path.to_path_buf())
    } else {
        OutputError::Foreign(path.to_path_buf())
    }
}

/// Removes folder `dir`, which carries the marker: its marker last, so that a build killed
/// half-way leaves a folder the next build still recognises as sijill's.
fn remove_ours(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        if entry.file_type()?.is_dir() {
            fs::remove_dir_all(entry.path())?;
        } else {
            fs::remove_file(entry.path())?;
        }
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// True when `dir` is a folder with nothing in it (a build killed before its marker).
fn is_empty_folder(dir: &Path) -> bool {
    fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        && fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// True when process `pid` may still be running (then its staging folder is left alone).
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else {
        return true;
    };
    // SAFETY: signal 0 sends nothing; kill only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

/// Clears what killed builds into `target` left beside it: their unfinished staging folders
/// and the previous sites they swapped out are removed, and a previous site moved aside by
/// a build killed in the middle of a (non-atomic) swap is put back. Only folders of
/// processes that are no longer running are touched, and only those carrying the marker,
/// or empty (killed before the marker was written).
fn clean_stale(target: &Path) {
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let name = target_name(target);
    let mut stale: Vec<(PathBuf, bool)> = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        for (tag, is_old) in [("new", false), ("old", true)] {
            let pid = file_name
                .strip_prefix(&format!(".{name}.sijill-{tag}-"))
                .and_then(|p| p.parse::<u32>().ok());
            if let Some(pid) = pid
                && pid != std::process::id()
                && !process_alive(pid)
                && (has_marker(&entry.path()) || is_empty_folder(&entry.path()))
            {
                stale.push((entry.path(), is_old));
            }
        }
    }
    stale.sort();
    for (path, is_old) in stale {
        if is_old && has_marker(&path) && matches!(existing(target), Ok(Existing::Missing)) {
            let _ = fs::rename(&path, target);
        } else if has_marker(&path) {
            let _ = remove_ours(&path);
        } else {
            // Empty: `remove_dir` cannot take anything with it.
            let _ = fs::remove_dir(&path);
        }
    }
}

/// Swaps two paths atomically (`renameat2(RENAME_EXCHANGE)`), where the system can.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths, alive for the duration of the call.
    let r = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// A free name `<target>.before-sijill`, `<target>.before-sijill-2`, … for a foreign folder
/// moved aside by `--force`.
fn aside_name(target: &Path) -> PathBuf {
    let name = target_name(target);
    (1..)
        .map(|n| {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!("-{n}")
            };
            target.with_file_name(format!("{name}.before-sijill{suffix}"))
        })
        .find(|p| fs::symlink_metadata(p).is_err())
        .expect("some name is free")
}

/// Refuses a relative path that could leave the output folder or name it ambiguously.
fn check_relative(rel: &str) -> Result<(), OutputError> {
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

/// An open folder that files and folders are created in by relative path (`openat`,
/// `mkdirat`), never following a symbolic link in the last component.
#[cfg(unix)]
#[derive(Debug)]
struct DirHandle(fs::File);

#[cfg(unix)]
impl DirHandle {
    fn open(dir: &Path) -> Result<Self, OutputError> {
        use std::os::unix::fs::OpenOptionsExt;
        fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW)
            .open(dir)
            .map(DirHandle)
            .map_err(io_err("cannot open", dir))
    }

    fn at<T>(
        &self,
        rel: &str,
        call: impl FnOnce(libc::c_int, *const libc::c_char) -> T,
    ) -> io::Result<T> {
        use std::os::fd::AsRawFd;
        let rel = std::ffi::CString::new(rel)?;
        Ok(call(self.0.as_raw_fd(), rel.as_ptr()))
    }

    fn mkdir(&self, rel: &str) -> io::Result<()> {
        // SAFETY: the folder's descriptor is open and `p` a NUL-terminated path, both
        // alive for the duration of the call.
        zero_or_error(self.at(rel, |fd, p| unsafe {
            libc::mkdirat(fd, p, DIR_MODE as libc::mode_t)
        })?)
    }

    fn chmod(&self, rel: &str, mode: u32) -> io::Result<()> {
        // SAFETY: as in `mkdir`.
        zero_or_error(self.at(rel, |fd, p| unsafe {
            libc::fchmodat(fd, p, mode as libc::mode_t, 0)
        })?)
    }

    /// Creates (or, unless `exclusive`, replaces) file `rel`.
    fn create_file(&self, rel: &str, mode: u32, exclusive: bool) -> io::Result<fs::File> {
        use std::os::fd::FromRawFd;
        let once = if exclusive { libc::O_EXCL } else { 0 };
        let flags = libc::O_WRONLY
            | libc::O_CREAT
            | libc::O_TRUNC
            | libc::O_CLOEXEC
            | libc::O_NOFOLLOW
            | once;
        // SAFETY: as in `mkdir`; the mode is passed as the variadic argument `openat`
        // reads with O_CREAT.
        let fd = self.at(rel, |fd, p| unsafe {
            libc::openat(fd, p, flags, mode as libc::c_uint)
        })?;
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` was just opened and is owned by nothing else.
        Ok(unsafe { fs::File::from_raw_fd(fd) })
    }
}

/// The result of a system call that returns 0 on success and sets `errno` otherwise.
#[cfg(unix)]
fn zero_or_error(r: libc::c_int) -> io::Result<()> {
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Elsewhere, the same by full path.
#[cfg(not(unix))]
#[derive(Debug)]
struct DirHandle(PathBuf);

#[cfg(not(unix))]
impl DirHandle {
    fn open(dir: &Path) -> Result<Self, OutputError> {
        Ok(DirHandle(dir.to_path_buf()))
    }

    fn mkdir(&self, rel: &str) -> io::Result<()> {
        fs::create_dir(self.0.join(rel))
    }

    fn chmod(&self, _rel: &str, _mode: u32) -> io::Result<()> {
        Ok(())
    }

    fn create_file(&self, rel: &str, _mode: u32, exclusive: bool) -> io::Result<fs::File> {
        fs::OpenOptions::new()
            .write(true)
            .create(!exclusive)
            .create_new(exclusive)
            .truncate(true)
            .open(self.0.join(rel))
    }
}

impl Staging {
    /// Starts a new site for `target`, the output of the site at `root`. Refuses a
    /// `target` no build may replace ([`guard::check_output_folder`]), and a foreign one
    /// unless `force`.
    pub fn begin(target: &Path, root: &Path, force: bool) -> Result<Staging, OutputError> {
        guard::check_output_folder(target, root)?;
        let state = existing(target).map_err(io_err("cannot read", target))?;
        if state == Existing::Foreign && !force {
            return Err(foreign(target));
        }
        if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(io_err("cannot create", parent))?;
        }
        clean_stale(target);
        let dir = sibling(target, "new", std::process::id());
        match existing(&dir).map_err(io_err("cannot read", &dir))? {
            Existing::Missing => {}
            Existing::Ours => remove_ours(&dir).map_err(io_err("cannot clear", &dir))?,
            Existing::Foreign => return Err(foreign(&dir)),
        }
        let mut builder = fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
        builder
            .create(&dir)
            .map_err(io_err("cannot create", &dir))?;
        let mut staging = Staging {
            target: target.to_path_buf(),
            handle: DirHandle::open(&dir)?,
            dir,
            force,
            fix_modes: false,
            committed: false,
            written: None,
            bytes: Arc::default(),
            fresh: true,
            statics: Arc::default(),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&staging.dir)
                .map_err(io_err("cannot read", &staging.dir))?
                .permissions()
                .mode();
            // 0755 survived the umask, so 0644 does too: nothing to fix later.
            staging.fix_modes = mode & 0o777 != DIR_MODE;
            if staging.fix_modes {
                set_mode(&staging.dir, DIR_MODE)?;
            }
        }
        staging.write(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// Writes into `dir`, a site sijill built, in place: `serve` updates the pages a change
    /// touches without rebuilding the rest. There is nothing to commit; only the pages a
    /// change made obsolete are removed ([`Staging::remove_page`]).
    pub fn in_place(dir: &Path) -> Result<Staging, OutputError> {
        Ok(Staging {
            target: dir.to_path_buf(),
            handle: DirHandle::open(dir)?,
            dir: dir.to_path_buf(),
            force: false,
            fix_modes: true,
            committed: true,
            written: None,
            bytes: Arc::default(),
            fresh: false,
            statics: Arc::default(),
        })
    }

    /// The same folder, remembering the files written through this view
    /// ([`Staging::written`]): the preview removes the exports a rebuild no longer writes.
    /// The view commits and removes nothing.
    pub fn recording(&self) -> Result<Staging, OutputError> {
        Ok(Staging {
            target: self.target.clone(),
            handle: DirHandle::open(&self.dir)?,
            dir: self.dir.clone(),
            force: false,
            fix_modes: self.fix_modes,
            committed: true,
            written: Some(Mutex::default()),
            bytes: Arc::clone(&self.bytes),
            fresh: self.fresh,
            statics: Arc::clone(&self.statics),
        })
    }

    /// The files written so far through a [`Staging::recording`] view, sorted; none through
    /// any other.
    pub fn written(&self) -> Vec<String> {
        let mut files = self.written.as_ref().map_or_else(Vec::new, |w| {
            std::mem::take(&mut *w.lock().expect("no panics while recording"))
        });
        files.sort_unstable();
        files
    }

    /// The folder being written.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Creates folder `rel` (inside the staging folder) and the folders above it, 0755.
    fn make_dirs(&self, rel: &str) -> Result<(), OutputError> {
        let made = match self.handle.mkdir(rel) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => match rel.rsplit_once('/') {
                // The parent is missing: make it, then try once more. (With no parent, the
                // staging folder itself is gone; that is an error, not a reason to retry.)
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
        if let Some(written) = &self.written {
            written
                .lock()
                .expect("no panics while recording")
                .push(rel.to_string());
        }
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

    /// Writes file `rel` of `static/`: as [`Staging::write`], remembering it as static, so
    /// that a page or export written there afterwards is named as a clash with it.
    pub fn write_static(&self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        self.write(rel, bytes)?;
        self.statics
            .lock()
            .expect("no panics while copying")
            .push(rel.to_string());
        Ok(())
    }

    /// The files of `static/` copied so far ([`Staging::write_static`]), sorted.
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

    /// Bytes written so far, through this staging and its recording views.
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

    /// Swaps the new site in place of the old one, then removes the old one. A foreign
    /// output folder (only with `force`) is moved aside instead, to the path returned.
    pub fn commit(mut self) -> Result<Option<PathBuf>, OutputError> {
        let target = self.target.clone();
        let state = existing(&target).map_err(io_err("cannot read", &target))?;
        let mut set_aside = None;
        match state {
            Existing::Missing => {
                fs::rename(&self.dir, &target).map_err(io_err("cannot move into place", &target))?
            }
            Existing::Foreign if !self.force => return Err(foreign(&target)),
            Existing::Foreign => {
                let aside = aside_name(&target);
                fs::rename(&target, &aside).map_err(io_err("cannot move aside", &target))?;
                if let Err(e) = fs::rename(&self.dir, &target) {
                    let _ = fs::rename(&aside, &target);
                    return Err(io_err("cannot move into place", &target)(e));
                }
                set_aside = Some(aside);
            }
            Existing::Ours => {
                // The previous site is about to take a staging name: it must carry the
                // marker, so that a build killed right after the swap leaves a folder the
                // next build removes. (An empty folder counted as sijill's has none yet.)
                if !has_marker(&target) {
                    write_marker(&target)?;
                }
                if exchange(&self.dir, &target).is_ok() {
                    // The staging path now holds the previous site.
                    self.committed = true;
                    return remove_ours(&self.dir)
                        .map(|()| None)
                        .map_err(io_err("cannot remove the previous site", &self.dir));
                }
                // No atomic exchange here: two renames. A build killed between them leaves
                // the previous site beside, and the next build puts it back.
                let old = sibling(&target, "old", std::process::id());
                fs::rename(&target, &old).map_err(io_err("cannot move aside", &target))?;
                if let Err(e) = fs::rename(&self.dir, &target) {
                    let _ = fs::rename(&old, &target);
                    return Err(io_err("cannot move into place", &target)(e));
                }
                self.committed = true;
                remove_ours(&old).map_err(io_err("cannot remove the previous site", &old))?;
            }
        }
        self.committed = true;
        Ok(set_aside)
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> Result<(), OutputError> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .map_err(io_err("cannot set permissions of", path))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> Result<(), OutputError> {
    Ok(())
}

impl Drop for Staging {
    /// An abandoned build removes its own unfinished folder, nothing else.
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_ours(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let p = std::env::temp_dir().join(format!("sijill-staging-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(&p).unwrap();
        p
    }

    #[test]
    fn rejects_escaping_paths() {
        let root = temp("paths");
        let s = Staging::begin(&root.join("out"), &root, false).unwrap();
        assert!(check_relative("../x").is_err());
        assert!(check_relative("/etc/passwd").is_err());
        assert!(check_relative("a/./b").is_ok());
        assert!(check_relative("a/../../b").is_err());
        assert!(check_relative("a\\..\\b").is_err());
        assert!(check_relative("").is_err());
        // Writing checks the same way, and writes nothing outside.
        assert!(matches!(
            s.write("../x", b"x"),
            Err(OutputError::UnsafePath(_))
        ));
        assert!(!root.join("x").exists());
        s.write("a/./b", b"x").unwrap();
        assert!(s.path().join("a/b").is_file());
        drop(s);
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn writing_into_a_deleted_folder_fails_cleanly() {
        let root = temp("deleted");
        let dir = root.join("site");
        fs::create_dir_all(&dir).unwrap();
        let s = Staging::in_place(&dir).unwrap();
        s.write("a/b.html", b"x").unwrap();
        // Removed under a running preview: an error for each write, not an endless retry.
        fs::remove_dir_all(&dir).unwrap();
        for rel in ["c.html", "d/e.html", "a/f/g.html"] {
            assert!(s.write(rel, b"x").is_err(), "{rel}");
        }
        drop(s);
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_file_in_place_of_the_output_is_foreign() {
        let root = temp("file");
        let out = root.join("out");
        fs::write(&out, "mine").unwrap();
        assert!(matches!(
            Staging::begin(&out, &root, false),
            Err(OutputError::Foreign(_))
        ));
        // With force it is moved aside, not deleted.
        let s = Staging::begin(&out, &root, true).unwrap();
        s.write("index.html", b"x").unwrap();
        let aside = s.commit().unwrap().unwrap();
        assert_eq!(fs::read_to_string(aside).unwrap(), "mine");
        assert!(has_marker(&out));
        let _ = fs::remove_dir_all(&root);
    }

    /// Writes `dir` with a marker holding `text`, and a file.
    fn marked(dir: &Path, text: &str) {
        fs::create_dir_all(dir.join("x")).unwrap();
        fs::write(dir.join("x/index.html"), "page").unwrap();
        fs::write(dir.join(MARKER), text).unwrap();
    }

    #[test]
    fn only_sijills_marker_text_counts() {
        let root = temp("marker");
        let dir = root.join("site");
        fs::create_dir_all(&dir).unwrap();
        let edited = format!("{MARKER_TEXT}and more\n");
        for text in ["", "x", MARKER_TEXT.trim_end(), &edited] {
            fs::write(dir.join(MARKER), text).unwrap();
            assert!(!has_marker(&dir), "{text:?}");
        }
        fs::write(dir.join(MARKER), MARKER_TEXT).unwrap();
        assert!(has_marker(&dir));
        // A folder where the marker should be is no marker either.
        fs::remove_file(dir.join(MARKER)).unwrap();
        fs::create_dir(dir.join(MARKER)).unwrap();
        assert!(!has_marker(&dir));
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn a_site_is_removed_whole_dotfiles_included() {
        let root = temp("removal");
        let dir = root.join("site");
        fs::create_dir_all(&dir).unwrap();
        marked(&dir, MARKER_TEXT);
        // Files that sort before and after the marker, read in any order.
        for name in [".a", "a", "z", ".z"] {
            fs::write(dir.join(name), "x").unwrap();
        }
        remove_ours(&dir).unwrap();
        assert!(!dir.exists());
        let _ = fs::remove_dir_all(&root);
    }

    #[test]
    fn stale_staging_of_dead_builds_is_cleared() {
        let root = temp("stale");
        let out = root.join("out");
        // A pid that cannot be running (above the kernel's maximum).
        let dead = 0x7fff_fff0;
        let stale = sibling(&out, "new", dead);
        fs::create_dir_all(&stale).unwrap();
        marked(&stale, MARKER_TEXT);
        // Killed before its marker was written.
        let empty = sibling(&out, "new", dead - 3);
        fs::create_dir_all(&empty).unwrap();
        // Not sijill's: no marker, or an empty one.
        let unmarked = sibling(&out, "new", dead - 1);
        fs::create_dir_all(unmarked.join("x")).unwrap();
        let empty_marker = sibling(&out, "new", dead - 2);
        marked(&empty_marker, "");
        // A previous site moved aside by a build killed mid-swap.
        let old = sibling(&out, "old", dead);
        fs::create_dir_all(&old).unwrap();
        fs::write(old.join(MARKER), MARKER_TEXT).unwrap();
        fs::write(old.join("index.html"), "previous").unwrap();
        let s = Staging::begin(&out, &root, false).unwrap();
        assert!(!stale.exists());
        assert!(!empty.exists());
        assert!(
            unmarked.join("x").exists(),
            "a folder without the marker is not sijill's"
        );
        assert!(empty_marker.join("x/index.html").exists());
        assert!(!old.exists());
        assert_eq!(
            fs::read_to_string(out.join("index.html")).unwrap(),
            "previous"
        );
        drop(s);
        let _ = fs::remove_dir_all(&root);
    }
}

//! An open folder that files and folders are created in by relative path (`openat`,
//! `mkdirat`), never following a symbolic link in the last component: the kernel does not
//! walk the whole path again for each of the tens of thousands of pages, and a link planted
//! in the output cannot redirect a write outside it.

use std::fs;
use std::io;
use std::path::Path;

#[cfg(not(unix))]
use std::path::PathBuf;

use super::error::{OutputError, io_err};
use super::writer::DIR_MODE;

/// The folder, open for the `*at` calls.
#[cfg(unix)]
#[derive(Debug)]
pub(super) struct DirHandle(fs::File);

#[cfg(unix)]
impl DirHandle {
    /// Opens `dir`, refusing a symbolic link: the site is written into the folder itself.
    pub(super) fn open(dir: &Path) -> Result<Self, OutputError> {
        use std::os::unix::fs::OpenOptionsExt;
        fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_DIRECTORY | libc::O_NOFOLLOW)
            .open(dir)
            .map(DirHandle)
            .map_err(io_err("cannot open", dir))
    }

    /// Calls `call` with the folder's descriptor and `rel` as a C string.
    fn at<T>(
        &self,
        rel: &str,
        call: impl FnOnce(libc::c_int, *const libc::c_char) -> T,
    ) -> io::Result<T> {
        use std::os::fd::AsRawFd;
        let rel = std::ffi::CString::new(rel)?;
        Ok(call(self.0.as_raw_fd(), rel.as_ptr()))
    }

    /// Creates folder `rel`, 0755 (less the umask).
    pub(super) fn mkdir(&self, rel: &str) -> io::Result<()> {
        // SAFETY: the folder's descriptor is open and `p` a NUL-terminated path, both
        // alive for the duration of the call.
        zero_or_error(self.at(rel, |fd, p| unsafe {
            libc::mkdirat(fd, p, DIR_MODE as libc::mode_t)
        })?)
    }

    /// Sets the permissions of `rel`, when the umask stripped bits from a new folder.
    pub(super) fn chmod(&self, rel: &str, mode: u32) -> io::Result<()> {
        // SAFETY: as in `mkdir`.
        zero_or_error(self.at(rel, |fd, p| unsafe {
            libc::fchmodat(fd, p, mode as libc::mode_t, 0)
        })?)
    }

    /// Creates (or, unless `exclusive`, replaces) file `rel`.
    pub(super) fn create_file(
        &self,
        rel: &str,
        mode: u32,
        exclusive: bool,
    ) -> io::Result<fs::File> {
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
pub(super) struct DirHandle(PathBuf);

#[cfg(not(unix))]
impl DirHandle {
    pub(super) fn open(dir: &Path) -> Result<Self, OutputError> {
        Ok(DirHandle(dir.to_path_buf()))
    }

    pub(super) fn mkdir(&self, rel: &str) -> io::Result<()> {
        fs::create_dir(self.0.join(rel))
    }

    pub(super) fn chmod(&self, _rel: &str, _mode: u32) -> io::Result<()> {
        Ok(())
    }

    pub(super) fn create_file(
        &self,
        rel: &str,
        _mode: u32,
        exclusive: bool,
    ) -> io::Result<fs::File> {
        fs::OpenOptions::new()
            .write(true)
            .create(!exclusive)
            .create_new(exclusive)
            .truncate(true)
            .open(self.0.join(rel))
    }
}

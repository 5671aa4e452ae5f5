//! The temporary folder `serve` builds into: made so that no other user of the machine can
//! have made it first or read it, and removed when `serve` ends, by a signal included.

use std::io;
use std::path::{Path, PathBuf};

/// How many names are tried before giving up: the first is `sijill-serve-<pid>`, the
/// others add a random suffix, for when a folder of that name is already there (random, so
/// that another user cannot make every name first and keep `serve` from starting).
const ATTEMPTS: u32 = 100;

/// A folder this process created (never one it found): removed, with all that was built
/// in it, when dropped or when the process is stopped by SIGTERM, SIGINT or SIGHUP.
#[derive(Debug)]
pub struct SiteDir {
    path: PathBuf,
}

/// A number another process cannot guess: std's hasher keys are random per process.
fn random_suffix(attempt: u32) -> u64 {
    use std::hash::BuildHasher;
    std::collections::hash_map::RandomState::new().hash_one((attempt, std::time::SystemTime::now()))
}

impl SiteDir {
    /// Creates a new folder under the system's temporary folder, readable by its owner
    /// only. A name that exists (another user may have put a folder or a link there) is
    /// never used: the next name is tried.
    pub fn create() -> io::Result<SiteDir> {
        let base = std::env::temp_dir();
        let pid = std::process::id();
        for attempt in 0..ATTEMPTS {
            let name = match attempt {
                0 => format!("sijill-serve-{pid}"),
                n => format!("sijill-serve-{pid}-{:016x}", random_suffix(n)),
            };
            let path = base.join(name);
            match private_dir(&path) {
                Ok(()) => return Ok(SiteDir { path }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{ATTEMPTS} names under {} are taken", base.display()),
        ))
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the folder when the process receives SIGTERM, SIGINT or SIGHUP, then dies of
    /// that signal as it would have. Must be called before any other thread is started:
    /// the signals are blocked here and in every thread started after, and waited for by
    /// one thread of their own, where removing files is safe (a handler could not).
    #[cfg(unix)]
    pub fn remove_on_signals(&self) {
        // SAFETY: plain libc calls on a signal set owned here; `pthread_sigmask` changes
        // only this thread's mask, which threads started later inherit.
        let set = unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            for signal in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
                libc::sigaddset(&mut set, signal);
            }
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
            set
        };
        let path = self.path.clone();
        std::thread::spawn(move || {
            let mut signal = 0;
            // SAFETY: `set` is initialised; `signal` is written by `sigwait`.
            if unsafe { libc::sigwait(&set, &mut signal) } != 0 {
                return;
            }
            remove(&path);
            // SAFETY: restoring the default action and raising the signal in this thread,
            // the one where it is unblocked, ends the process as the signal would have.
            unsafe {
                libc::signal(signal, libc::SIG_DFL);
                let mut only: libc::sigset_t = std::mem::zeroed();
                libc::sigemptyset(&mut only);
                libc::sigaddset(&mut only, signal);
                libc::pthread_sigmask(libc::SIG_UNBLOCK, &only, std::ptr::null_mut());
                libc::raise(signal);
            }
            std::process::exit(128 + signal);
        });
    }

    /// Signals are not handled on this platform: the folder is removed on a normal exit.
    #[cfg(not(unix))]
    pub fn remove_on_signals(&self) {}
}

impl Drop for SiteDir {
    fn drop(&mut self) {
        remove(&self.path);
    }
}

/// Removes `path` and everything in it, trying again while a build still writes into it.
fn remove(path: &Path) {
    for _ in 0..5 {
        match std::fs::remove_dir_all(path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            _ => return,
        }
    }
}

/// Creates `path` (not its parents), mode 0700; fails if anything is already there.
fn private_dir(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

//! The staged site: a build writes the site into a fresh sibling folder, swapped in by
//! rename only once everything succeeded, so a failed or killed build leaves the previous
//! site as it was. sijill only ever replaces a folder it created (it carries a marker file
//! with sijill's signature); with `--force` a folder it did not create is moved aside, never
//! deleted. No folder that holds the site's sources, a repository or the current directory
//! is ever replaced ([`super::guard`]).
//!
//! A build killed at any point leaves beside the output at most folders the next build
//! recognises and removes: each carries the marker from before it gets that name until
//! the last of its other files is gone.
//!
//! The files themselves are written by the staged site's [`SiteWriter`].

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::error::{OutputError, io_err};
use super::guard;
use super::writer::{DIR_MODE, FILE_MODE, SiteWriter, set_mode};

/// The file that marks a folder as written by sijill.
pub const MARKER: &str = ".sijill-output";

/// What [`MARKER`] holds, byte for byte, as every sijill has written it (so sites built
/// before the check keep building). An empty or different file is not sijill's marker.
/// The text cannot prove more than that: anyone can write it, which is why no folder a
/// repository's contributors write (the sources, a work tree) is replaceable, marker or
/// not ([`super::guard`]). The text is the same on every build, so builds stay
/// byte-identical.
const MARKER_TEXT: &str = "This folder is written by sijill and replaced on every build.\n";

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
    let prefixes = [("new", false), ("old", true)]
        .map(|(tag, is_old)| (format!(".{name}.sijill-{tag}-"), is_old));
    // (folder, swapped out by its build, carries the marker (else empty))
    let mut stale: Vec<(PathBuf, bool, bool)> = Vec::new();
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        for (prefix, is_old) in &prefixes {
            let pid = file_name
                .strip_prefix(prefix.as_str())
                .and_then(|p| p.parse::<u32>().ok());
            if let Some(pid) = pid
                && pid != std::process::id()
                && !process_alive(pid)
                && matches!(existing(&entry.path()), Ok(Existing::Ours))
            {
                stale.push((entry.path(), *is_old, has_marker(&entry.path())));
            }
        }
    }
    stale.sort();
    for (path, is_old, marked) in stale {
        if is_old && marked && matches!(existing(target), Ok(Existing::Missing)) {
            let _ = fs::rename(&path, target);
        } else if marked {
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

/// A site being written next to its final place, swapped in by [`StagedSite::commit`];
/// dropped uncommitted (a failed build), it removes its folder.
#[derive(Debug)]
pub struct StagedSite {
    /// The output folder the site replaces.
    target: PathBuf,
    /// Writes the staging folder `.<name>.sijill-new-<pid>` beside `target`.
    writer: SiteWriter,
    /// A foreign output folder is moved aside instead of refused.
    force: bool,
    /// The staging folder is the output now (or holds the previous site, being removed):
    /// nothing for [`Drop`] to remove.
    committed: bool,
}

impl StagedSite {
    /// Starts a new site for `target`, the output of the site at `root`. Refuses a
    /// `target` no build may replace ([`guard::check_output_folder`]), and a foreign one
    /// unless `force`.
    pub fn begin(target: &Path, root: &Path, force: bool) -> Result<StagedSite, OutputError> {
        guard::check_output_folder(target, root)?;
        let target = &guard::target_path(target).map_err(io_err("cannot resolve", target))?;
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
        // A failure from here removes the folder: at once while it is empty, then by `Drop`.
        let site = StagedSite {
            target: target.to_path_buf(),
            writer: SiteWriter::new_site(&dir).inspect_err(|_| {
                let _ = fs::remove_dir(&dir);
            })?,
            force,
            committed: false,
        };
        site.writer.write(MARKER, MARKER_TEXT.as_bytes())?;
        Ok(site)
    }

    /// Writes the files of the new site.
    pub fn writer(&self) -> &SiteWriter {
        &self.writer
    }

    /// Swaps the new site in place of the old one, then removes the old one. A foreign
    /// output folder (only with `force`) is moved aside instead, to the path returned.
    pub fn commit(mut self) -> Result<Option<PathBuf>, OutputError> {
        let target = self.target.clone();
        let state = existing(&target).map_err(io_err("cannot read", &target))?;
        let mut set_aside = None;
        match state {
            Existing::Missing => fs::rename(self.writer.path(), &target)
                .map_err(io_err("cannot move into place", &target))?,
            Existing::Foreign if !self.force => return Err(foreign(&target)),
            Existing::Foreign => {
                let aside = aside_name(&target);
                fs::rename(&target, &aside).map_err(io_err("cannot move aside", &target))?;
                if let Err(e) = fs::rename(self.writer.path(), &target) {
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
                if exchange(self.writer.path(), &target).is_ok() {
                    // The staging path now holds the previous site.
                    self.committed = true;
                    return remove_ours(self.writer.path())
                        .map(|()| None)
                        .map_err(io_err(
                            "cannot remove the previous site",
                            self.writer.path(),
                        ));
                }
                // No atomic exchange here: two renames. A build killed between them leaves
                // the previous site beside, and the next build puts it back.
                let old = sibling(&target, "old", std::process::id());
                fs::rename(&target, &old).map_err(io_err("cannot move aside", &target))?;
                if let Err(e) = fs::rename(self.writer.path(), &target) {
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

impl Drop for StagedSite {
    /// An abandoned build removes its own unfinished folder, nothing else.
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_ours(self.writer.path());
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
    fn a_file_in_place_of_the_output_is_foreign() {
        let root = temp("file");
        let out = root.join("out");
        fs::write(&out, "mine").unwrap();
        assert!(matches!(
            StagedSite::begin(&out, &root, false),
            Err(OutputError::Foreign(_))
        ));
        // With force it is moved aside, not deleted.
        let s = StagedSite::begin(&out, &root, true).unwrap();
        s.writer().write("index.html", b"x").unwrap();
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
        let s = StagedSite::begin(&out, &root, false).unwrap();
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

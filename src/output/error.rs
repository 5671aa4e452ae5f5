//! Why the output folder cannot be written: one error type for every part of `output`.

use std::io;
use std::path::{Path, PathBuf};

use super::guard::{self, Protected};
use super::staging::MARKER;

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
        /// The output folder as the user gave it, so the message names what they typed.
        out: PathBuf,
        /// Where it really is (links, `.` and `..` resolved): the folder the rule refused.
        resolved: PathBuf,
        /// The rule that refused it, so the message says what to change.
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
        /// The operation that failed, as the message's verb ("cannot write").
        action: &'static str,
        /// The file or folder it failed on, so the user can look at it.
        path: PathBuf,
        /// The system's reason.
        source: io::Error,
    },
}

/// Turns an `io::Error` of `action` on `path` into [`OutputError::Io`], for `map_err`.
pub(super) fn io_err<'a>(
    action: &'static str,
    path: &'a Path,
) -> impl FnOnce(io::Error) -> OutputError + 'a {
    move |source| OutputError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

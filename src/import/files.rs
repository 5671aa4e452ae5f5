//! Writing what an import makes: each file whole or not at all (a temporary file beside
//! it, then a rename), and only files that `sijill import` wrote before, or new ones.

use std::fs;
use std::io::Write as _;
use std::path::Path;

use super::writer::MARKER;

/// What a report file of an event is before the import writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Before {
    /// No file yet.
    Absent,
    /// A file written by an earlier import.
    Imported,
    /// A file someone else wrote: never replaced.
    Foreign,
}

/// What is at `path` now.
pub fn before(path: &Path) -> std::io::Result<Before> {
    match fs::read(path) {
        Ok(bytes) if is_imported(&bytes) => Ok(Before::Imported),
        Ok(_) => Ok(Before::Foreign),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Before::Absent),
        Err(e) => Err(e),
    }
}

/// True for the text of a file written by `sijill import`: its front matter's first line
/// is the marker.
fn is_imported(bytes: &[u8]) -> bool {
    let rest = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let rest = rest
        .strip_prefix(b"---\n")
        .or_else(|| rest.strip_prefix(b"---\r\n"));
    rest.is_some_and(|r| r.starts_with(MARKER.as_bytes()))
}

/// Writes `bytes` to `path`, making folders as needed. The file appears whole: a
/// temporary file beside it (named with a leading `.`, which no build reads) is renamed
/// over it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    let temporary = dir.join(format!(".{name}.sijill-import"));
    // No `fsync` per file: a reader never sees half a file either way (the rename), and
    // twenty thousand of them made an import of as many events take 100 s instead of 5.
    let written = fs::File::create(&temporary).and_then(|mut f| f.write_all(bytes));
    if let Err(e) = written.and_then(|()| fs::rename(&temporary, path)) {
        let _ = fs::remove_file(&temporary);
        return Err(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_marked_files_are_imported_ones() {
        assert!(is_imported(
            format!("---\n{MARKER} --from acled`\nid: x\n---\n").as_bytes()
        ));
        assert!(is_imported(format!("\u{feff}---\r\n{MARKER}").as_bytes()));
        assert!(!is_imported(b"---\ntitle: mine\n---\n"));
        assert!(!is_imported(format!("---\ntitle: x\n{MARKER}").as_bytes()));
    }
}

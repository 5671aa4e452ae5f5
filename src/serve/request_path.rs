//! Request paths, resolved segment by segment into a path under the served folder. The
//! browser that visits `serve` is hostile (any page can send requests to 127.0.0.1), so a
//! path either names something inside the folder or is refused: no segment may decode to
//! an absolute path, a parent, a separator or a control character.

use std::path::{Component, Path, PathBuf};

/// A request path below the base path, each segment decoded and checked.
#[derive(Debug, PartialEq, Eq)]
pub struct SitePath {
    /// The decoded segments, none empty, none `.` or `..`, none holding a separator.
    segments: Vec<String>,
    /// The path ended with `/` (or was empty): it names a folder's `index.html`.
    folder: bool,
}

/// Why a request path was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// `//` (empty in the middle, or a path that would start at the root).
    #[error("empty path segment")]
    EmptySegment,
    /// `.` or `..`.
    #[error("dot segment")]
    DotSegment,
    /// `%` not followed by two hex digits, or escapes that are not UTF-8.
    #[error("bad percent escape")]
    BadEscape,
    /// A decoded `/`, `\`, NUL or other control character.
    #[error("forbidden character in a path segment")]
    ForbiddenCharacter,
}

impl SitePath {
    /// Resolves `rel`, a request path after the base path without its query (`places/x/`).
    pub fn parse(rel: &str) -> Result<SitePath, Refused> {
        let (body, folder) = match rel.strip_suffix('/') {
            Some(body) => (body, true),
            None => (rel, rel.is_empty()),
        };
        let mut segments = Vec::new();
        if !body.is_empty() {
            for raw in body.split('/') {
                segments.push(segment(raw)?);
            }
        }
        Ok(SitePath { segments, folder })
    }

    /// True when the path names a folder's index (it ended with `/`).
    pub fn is_folder(&self) -> bool {
        self.folder
    }

    /// The path relative to the served folder; every component is a plain name (checked
    /// again here, so that nothing a future change lets through can climb out).
    pub fn relative(&self) -> Option<PathBuf> {
        let path: PathBuf = self.segments.iter().collect();
        path.components()
            .all(|c| matches!(c, Component::Normal(_)))
            .then_some(path)
    }

    /// The file under `root` this path names: `index.html` for a folder.
    pub fn file_under(&self, root: &Path) -> Option<PathBuf> {
        let mut file = root.join(self.relative()?);
        if self.folder {
            file.push("index.html");
        }
        Some(file)
    }

    /// The same path as a folder, percent-encoded, to redirect to (`places/x/`).
    pub fn folder_href(&self) -> String {
        let mut href = String::new();
        for segment in &self.segments {
            percent_encode(segment, &mut href);
            href.push('/');
        }
        href
    }
}

/// One segment, decoded and checked.
fn segment(raw: &str) -> Result<String, Refused> {
    if raw.is_empty() {
        return Err(Refused::EmptySegment);
    }
    let decoded = percent_decode(raw)?;
    if decoded == "." || decoded == ".." {
        return Err(Refused::DotSegment);
    }
    if decoded
        .chars()
        .any(|c| c == '/' || c == '\\' || c.is_control())
    {
        return Err(Refused::ForbiddenCharacter);
    }
    Ok(decoded)
}

/// Decodes `%XX` escapes (UTF-8 paths such as Arabic place slugs); a stray `%` or escapes
/// that are not UTF-8 are refused rather than guessed at.
fn percent_decode(s: &str) -> Result<String, Refused> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |at: usize| {
                bytes
                    .get(at)
                    .and_then(|&b| (b as char).to_digit(16))
                    .ok_or(Refused::BadEscape)
            };
            out.push((hex(i + 1)? * 16 + hex(i + 2)?) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Refused::BadEscape)
}

/// Appends `s` with every byte but the unreserved ones (RFC 3986) percent-encoded.
fn percent_encode(s: &str, out: &mut String) {
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        let path = SitePath::parse("places/%D8%AF/").unwrap();
        assert_eq!(path.relative().unwrap(), Path::new("places/د"));
        assert!(path.is_folder());
        assert_eq!(path.folder_href(), "places/%D8%AF/");
        assert_eq!(SitePath::parse("a%2"), Err(Refused::BadEscape));
        assert_eq!(SitePath::parse("%E2%82"), Err(Refused::BadEscape));
    }

    #[test]
    fn refuses_what_could_leave_the_folder() {
        for (rel, why) in [
            ("/etc/passwd", Refused::EmptySegment),
            ("a//b", Refused::EmptySegment),
            ("%2fetc%2fshadow", Refused::ForbiddenCharacter),
            ("a/%2E%2E/b", Refused::DotSegment),
            ("..", Refused::DotSegment),
            ("./a", Refused::DotSegment),
            ("..%5c..%5cwindows", Refused::ForbiddenCharacter),
            ("a%00b", Refused::ForbiddenCharacter),
            ("a%0Ab", Refused::ForbiddenCharacter),
        ] {
            assert_eq!(SitePath::parse(rel), Err(why), "{rel}");
        }
    }

    #[test]
    fn the_root_is_the_index() {
        let path = SitePath::parse("").unwrap();
        assert!(path.is_folder());
        assert_eq!(
            path.file_under(Path::new("/out")).unwrap(),
            Path::new("/out/index.html")
        );
        assert_eq!(path.folder_href(), "");
    }
}

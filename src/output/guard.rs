//! Which folders a build may replace. A build moves the output folder aside or removes it
//! once the new site is in place, so a folder that holds the site's own sources, a git
//! repository or the folder the user works in must never be one, whatever marker it holds
//! and even with `--force`: a pull request can add any file, `.sijill-output` included.
//!
//! Paths are compared after resolving symbolic links, `.` and `..` (of the parts that
//! exist), so `--out .`, `--out site/..` and a link to the root are seen for what they are.

use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

use super::OutputError;
use super::error::io_err;

/// The sources of a site, relative to its root, and whether each is a folder: a build
/// reads them, so the output may not hold them, nor lie inside a folder of them (the next
/// build would read its own output), and the preview watches them.
pub(crate) const SOURCES: [(&str, bool); 4] = [
    ("content", true),
    ("templates", true),
    ("static", true),
    ("site.yaml", false),
];

/// Why a folder may not be the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protected {
    /// It is the site root (`--out .` run in the root, a link to it).
    SiteRoot,
    /// It holds the site root or one of its sources (named, resolved).
    HoldsSources(PathBuf),
    /// It is, or is inside, a source folder (named, resolved).
    InsideSources(PathBuf),
    /// It holds a `.git` (a work tree), is a bare repository, or lies inside a `.git`.
    GitRepository,
    /// It is, or holds, the current directory.
    HoldsCurrentDirectory,
    /// It is, or holds, the user's home directory.
    HoldsHome,
}

impl fmt::Display for Protected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Protected::SiteRoot => f.write_str("it is the site root, which holds the sources"),
            Protected::HoldsSources(p) => write!(
                f,
                "it holds the site's sources ({}), which replacing it would move away",
                p.display()
            ),
            Protected::InsideSources(p) => write!(
                f,
                "it is inside the site's sources ({}): the next build would read its own output",
                p.display()
            ),
            Protected::GitRepository => {
                f.write_str("it is (or is inside) a git repository or work tree (.git)")
            }
            Protected::HoldsCurrentDirectory => f.write_str("it holds the current directory"),
            Protected::HoldsHome => f.write_str("it holds the home directory"),
        }
    }
}

/// `out` as given, followed by where it really is when that reads differently (`.`, a
/// link), for error messages.
pub fn shown(out: &Path, resolved: &Path) -> String {
    if out == resolved {
        out.display().to_string()
    } else {
        format!("{} ({})", out.display(), resolved.display())
    }
}

/// `path` made absolute, with symbolic links, `.` and `..` resolved in the part that exists;
/// the rest (folders a build would create) is appended as written, `..` taken lexically. A
/// `..` that climbs back out of the missing part into folders that exist resumes resolving
/// there: `new/../link/x` must be checked where `link` leads, as the system will follow it
/// once the build has made `new`.
pub fn resolve(path: &Path) -> io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut resolved = PathBuf::new();
    // Once a part is missing, nothing below it can be a link.
    let mut exists = true;
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir => resolved.push(component),
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
                if !exists && std::fs::symlink_metadata(&resolved).is_ok() {
                    resolved = resolved.canonicalize()?;
                    exists = true;
                }
            }
            Component::Normal(name) => {
                resolved.push(name);
                if exists {
                    match resolved.canonicalize() {
                        Ok(real) => resolved = real,
                        Err(e) if e.kind() == io::ErrorKind::NotFound => exists = false,
                        Err(e) => return Err(e),
                    }
                }
            }
        }
    }
    Ok(resolved)
}

/// The output folder as every step after the check names it: its parent resolved (links,
/// `.` and `..`) and its own name as written. Using the path as typed would let the
/// system resolve it differently from the check (`new/../link/templates`); keeping the last
/// name unresolved keeps a link in the output's place a link, refused as foreign, never
/// followed into what it points at.
pub fn target_path(out: &Path) -> io::Result<PathBuf> {
    let mut parts: Vec<Component> = out.components().collect();
    match parts.pop() {
        Some(Component::Normal(name)) => {
            let parent: PathBuf = parts.iter().collect();
            let parent = if parent.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                parent
            };
            Ok(resolve(&parent)?.join(name))
        }
        _ => resolve(out),
    }
}

/// True when `dir` is a git work tree (holds `.git`, a folder or a submodule's file) or a
/// bare repository.
fn is_repository(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(".git")).is_ok()
        || (dir.join("HEAD").is_file() && dir.join("objects").is_dir() && dir.join("refs").is_dir())
}

/// Refuses an output folder `out` that a build of the site at `root` must never replace.
pub fn check_output_folder(out: &Path, root: &Path) -> Result<(), OutputError> {
    let resolved = resolve(out).map_err(io_err("cannot resolve", out))?;
    let refuse = |why| OutputError::Protected {
        out: out.to_path_buf(),
        resolved: resolved.clone(),
        why,
    };
    let root = resolve(root).map_err(io_err("cannot resolve", root))?;
    if root.starts_with(&resolved) {
        return Err(refuse(if resolved == root {
            Protected::SiteRoot
        } else {
            Protected::HoldsSources(root)
        }));
    }
    // Sources may be links to elsewhere: each is checked where it really is.
    for (name, is_folder) in SOURCES {
        let source = root.join(name);
        let source = resolve(&source).map_err(io_err("cannot resolve", &source))?;
        if is_folder && resolved.starts_with(&source) {
            return Err(refuse(Protected::InsideSources(source)));
        }
        if source.starts_with(&resolved) {
            return Err(refuse(Protected::HoldsSources(source)));
        }
    }
    if resolved.components().any(|c| c.as_os_str() == ".git") || is_repository(&resolved) {
        return Err(refuse(Protected::GitRepository));
    }
    let current = std::env::current_dir().and_then(|d| resolve(&d));
    if current.is_ok_and(|d| d.starts_with(&resolved)) {
        return Err(refuse(Protected::HoldsCurrentDirectory));
    }
    let home = std::env::var_os("HOME").map(|h| resolve(Path::new(&h)));
    if home.is_some_and(|h| h.is_ok_and(|h| h.starts_with(&resolved))) {
        return Err(refuse(Protected::HoldsHome));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_follows_links_and_dots_of_what_exists() {
        let tmp = std::env::temp_dir().join(format!("sijill-guard-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(tmp.join("site/content")).unwrap();
        let tmp = tmp.canonicalize().unwrap();
        let site = tmp.join("site");
        assert_eq!(resolve(&site.join("content/..")).unwrap(), site);
        assert_eq!(
            resolve(&site.join("new/../public/x")).unwrap(),
            site.join("public/x")
        );
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&site, tmp.join("link")).unwrap();
            assert_eq!(resolve(&tmp.join("link")).unwrap(), site);
            assert_eq!(
                resolve(&tmp.join("link/public")).unwrap(),
                site.join("public")
            );
        }
        let check = |out: &Path| check_output_folder(out, &site);
        #[cfg(unix)]
        {
            // A `..` out of a folder not made yet, back to a link: resolved where it leads.
            std::os::unix::fs::symlink(".", site.join("here")).unwrap();
            assert_eq!(
                resolve(&site.join("new/../here/content")).unwrap(),
                site.join("content")
            );
            assert_eq!(
                target_path(&site.join("new/../here/public")).unwrap(),
                site.join("public")
            );
            // The last name stays as written: a link there is not followed.
            assert_eq!(target_path(&tmp.join("link")).unwrap(), tmp.join("link"));
        }
        assert!(check(&site.join("public")).is_ok());
        assert!(check(&tmp.join("out")).is_ok());
        let why = |out: &Path| match check(out) {
            Err(OutputError::Protected { why, .. }) => why,
            other => panic!("{}: {other:?}", out.display()),
        };
        assert_eq!(why(&site), Protected::SiteRoot);
        assert!(matches!(why(&tmp), Protected::HoldsSources(_)));
        assert!(matches!(why(Path::new("/")), Protected::HoldsSources(_)));
        assert!(matches!(
            why(&site.join("content/out")),
            Protected::InsideSources(_)
        ));
        assert!(matches!(
            why(&site.join("templates")),
            Protected::InsideSources(_)
        ));
        assert_eq!(why(&site.join(".git/x")), Protected::GitRepository);
        let _ = std::fs::remove_dir_all(&tmp);
    }
}

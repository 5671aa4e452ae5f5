//! `sijill init`: a new archive that holds only content (settings, starter gazetteer and
//! vocabulary, one example report, page skeletons, a README for contributors) and the
//! workflows that install sijill with its GitHub Action, pinned to this version. No Rust
//! source: a documentation group keeps its reports, not a fork of sijill.
//!
//! The files are compiled into the binary (`skeleton/`, and the workflows of sijill's own
//! repository, which use the same action as `./`), so `init` works from an installed
//! sijill anywhere.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The interface languages a new archive can start in (the default theme has both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// English.
    En,
    /// Arabic.
    Ar,
}

impl Language {
    /// The `language:` of `site.yaml`.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Ar => "ar",
        }
    }

    /// The starting `description:` of `site.yaml`, in the archive's language.
    fn description(self) -> &'static str {
        match self {
            Language::En => "A record of documented incidents.",
            Language::Ar => "سجل للحوادث الموثقة.",
        }
    }
}

/// What the new archive is called and where it is published.
#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The folder to write into: missing, empty, or holding only `.git`.
    pub dir: PathBuf,
    /// The archive's title (site.yaml and its README).
    pub title: String,
    /// The interface language, and that of the example report and pages.
    pub language: Language,
    /// `base_url` of site.yaml, already checked; `None` leaves it commented out (the
    /// publishing workflow passes the address GitHub Pages gives).
    pub base_url: Option<String>,
}

/// Why `init` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// The folder has files: nothing is written over or beside them.
    #[error(
        "{} is not empty: it holds {}{}; sijill init writes only into an empty folder \
         (or a fresh clone, holding only .git)",
        .dir.display(),
        .first.join(", "),
        if *.more > 0 { format!(" and {} more", .more) } else { String::new() }
    )]
    NotEmpty {
        /// The folder.
        dir: PathBuf,
        /// Its first entries, sorted.
        first: Vec<String>,
        /// How many more it holds.
        more: usize,
    },
    /// The path exists and is not a folder.
    #[error("{0} exists and is not a folder")]
    NotAFolder(PathBuf),
    /// Writing failed; what was written is removed again.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The system's reason.
        source: std::io::Error,
    },
}

/// The GitHub Action that installs sijill, from the repository named in Cargo.toml (one
/// place for it): `sijill-archive/sijill`.
pub const ACTION: &str = {
    let url = env!("CARGO_PKG_REPOSITORY").as_bytes();
    let prefix = b"https://github.com/";
    let (_, rest) = url.split_at(prefix.len());
    match std::str::from_utf8(rest) {
        Ok(name) => name,
        Err(_) => panic!("the repository is a GitHub URL"),
    }
};

/// This sijill's version, which the new archive's workflows pin (`@v<version>`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How the workflows of sijill's own repository name the action: its own checkout.
const LOCAL_ACTION: &str = "uses: ./\n";

/// Files written whatever the language: (path in the archive, text).
const COMMON: &[(&str, &str)] = &[
    ("site.yaml", include_str!("skeleton/site.yaml")),
    ("README.md", include_str!("skeleton/README.md")),
    (".gitignore", include_str!("skeleton/gitignore")),
    ("content/places.yaml", include_str!("skeleton/places.yaml")),
    (
        "content/vocabulary.yaml",
        include_str!("skeleton/vocabulary.yaml"),
    ),
    (
        ".github/workflows/check.yml",
        include_str!("../../.github/workflows/check.yml"),
    ),
    (
        ".github/workflows/diff.yml",
        include_str!("../../.github/workflows/diff.yml"),
    ),
    (
        ".github/workflows/pages.yml",
        include_str!("../../.github/workflows/pages.yml"),
    ),
];

/// Where the example report goes (its name is its id).
const EXAMPLE_REPORT: &str = "content/reports/2025/01/2025-01-15-example-replace-this-report.md";

/// The files written in the archive's language: the example report and page skeletons.
fn in_language(language: Language) -> [(&'static str, &'static str); 3] {
    match language {
        Language::En => [
            (
                EXAMPLE_REPORT,
                include_str!("skeleton/en/example-report.md"),
            ),
            (
                "content/pages/about.md",
                include_str!("skeleton/en/about.md"),
            ),
            (
                "content/pages/methodology.md",
                include_str!("skeleton/en/methodology.md"),
            ),
        ],
        Language::Ar => [
            (
                EXAMPLE_REPORT,
                include_str!("skeleton/ar/example-report.md"),
            ),
            (
                "content/pages/about.md",
                include_str!("skeleton/ar/about.md"),
            ),
            (
                "content/pages/methodology.md",
                include_str!("skeleton/ar/methodology.md"),
            ),
        ],
    }
}

/// The files of a new archive, in the order written: (path, text).
pub fn files(options: &InitOptions) -> Vec<(&'static str, String)> {
    let quoted_title = serde_json::to_string(&options.title).expect("strings serialize");
    let base_url = match &options.base_url {
        Some(url) => format!(
            "base_url: {}",
            serde_json::to_string(url).expect("strings serialize")
        ),
        None => "# base_url: https://<organisation>.github.io/<repository>/".to_string(),
    };
    let released = format!("uses: {ACTION}@v{VERSION}\n");
    COMMON
        .iter()
        .copied()
        .chain(in_language(options.language))
        .map(|(path, text)| {
            let text = if path == "site.yaml" {
                text.replace("__TITLE__", &quoted_title)
                    .replace("__LANGUAGE__", options.language.code())
                    .replace("__DESCRIPTION__", options.language.description())
                    .replace("__BASE_URL__", &base_url)
            } else if path.starts_with(".github/") {
                text.replace(LOCAL_ACTION, &released)
            } else {
                text.replace("__TITLE__", &options.title)
            };
            (path, text.replace("__VERSION__", VERSION))
        })
        .collect()
}

/// What `init` found in a folder it may not write into.
fn refuse_unless_empty(dir: &Path) -> Result<(), InitError> {
    let io = |source| InitError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut names: Vec<String> = fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    // A fresh clone of an empty repository is where a group starts.
    names.retain(|n| n != ".git");
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    const SHOWN: usize = 5;
    let more = names.len().saturating_sub(SHOWN);
    names.truncate(SHOWN);
    Err(InitError::NotEmpty {
        dir: dir.to_path_buf(),
        first: names,
        more,
    })
}

/// What one run created, so that a failure part way removes exactly that.
#[derive(Default)]
struct Created {
    files: Vec<PathBuf>,
    folders: Vec<PathBuf>,
}

impl Created {
    /// Creates `dir` and the folders above it that are missing, remembering each.
    fn folder(&mut self, dir: &Path) -> Result<(), InitError> {
        // `Path::new("archive").parent()` is the empty path: the working directory.
        if dir.as_os_str().is_empty() || dir.is_dir() {
            return Ok(());
        }
        if let Some(parent) = dir.parent() {
            self.folder(parent)?;
        }
        fs::create_dir(dir).map_err(|source| InitError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        self.folders.push(dir.to_path_buf());
        Ok(())
    }

    /// Writes a new file (never over one).
    fn file(&mut self, path: &Path, text: &str) -> Result<(), InitError> {
        let io = |source| InitError::Io {
            path: path.to_path_buf(),
            source,
        };
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(io)?;
        self.files.push(path.to_path_buf());
        f.write_all(text.as_bytes()).map_err(io)
    }

    /// Removes what was created, newest first (folders only when they are empty again).
    fn undo(self) {
        for f in self.files.iter().rev() {
            let _ = fs::remove_file(f);
        }
        for d in self.folders.iter().rev() {
            let _ = fs::remove_dir(d);
        }
    }
}

/// Writes a new archive into `options.dir` and returns the files written, relative to it.
/// A folder that holds anything but `.git` is refused before anything is written; a
/// failure while writing removes what this run wrote.
pub fn init(options: &InitOptions) -> Result<Vec<&'static str>, InitError> {
    let dir = &options.dir;
    match fs::metadata(dir) {
        Ok(m) if m.is_dir() => refuse_unless_empty(dir)?,
        Ok(_) => return Err(InitError::NotAFolder(dir.clone())),
        Err(_) => {}
    }
    let mut created = Created::default();
    let mut written = Vec::new();
    let result = (|| {
        created.folder(dir)?;
        for (path, text) in files(options) {
            let target = dir.join(path);
            created.folder(target.parent().expect("a file in a folder"))?;
            created.file(&target, &text)?;
            written.push(path);
        }
        Ok(())
    })();
    match result {
        Ok(()) => Ok(written),
        Err(e) => {
            created.undo();
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(language: Language) -> InitOptions {
        InitOptions {
            dir: PathBuf::from("unused"),
            title: "Archive \"A\"".into(),
            language,
            base_url: None,
        }
    }

    /// A failure part way removes what the run created, and only that.
    #[test]
    fn undo_removes_only_what_was_created() {
        let dir = std::env::temp_dir().join(format!("sijill-init-undo-{}", std::process::id()));
        fs::create_dir_all(dir.join("kept")).unwrap();
        fs::write(dir.join("kept/mine.txt"), "mine").unwrap();
        let mut created = Created::default();
        created.folder(&dir.join("new/deeper")).unwrap();
        created.folder(&dir.join("kept")).unwrap();
        created.file(&dir.join("new/deeper/a.md"), "a").unwrap();
        created.file(&dir.join("kept/b.md"), "b").unwrap();
        assert!(created.file(&dir.join("kept/mine.txt"), "x").is_err());
        created.undo();
        assert!(!dir.join("new").exists());
        assert!(!dir.join("kept/b.md").exists());
        assert_eq!(
            fs::read_to_string(dir.join("kept/mine.txt")).unwrap(),
            "mine"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_action_is_the_repository_of_cargo_toml() {
        assert_eq!(ACTION, "sijill-archive/sijill");
    }

    /// Each workflow of sijill's repository installs sijill once with `uses: ./`, which the
    /// archive's copy pins to this release; nothing else is left to substitute.
    #[test]
    fn workflows_pin_the_release_and_every_placeholder_is_filled() {
        for language in [Language::En, Language::Ar] {
            for (path, text) in files(&options(language)) {
                assert!(!text.contains("__"), "{path} has a placeholder left");
                if path.starts_with(".github/") {
                    assert_eq!(
                        text.matches(&format!("uses: {ACTION}@v{VERSION}\n"))
                            .count(),
                        1,
                        "{path}"
                    );
                    assert!(!text.contains("uses: ./"), "{path}");
                }
            }
        }
        let site = files(&options(Language::Ar))
            .into_iter()
            .find(|(p, _)| *p == "site.yaml")
            .unwrap()
            .1;
        assert!(site.contains("title: \"Archive \\\"A\\\"\"\n"), "{site}");
        assert!(site.contains("language: ar\n"));
    }
}

//! What `cargo install` and the GitHub Action build from: the package holds the sources,
//! the default theme, the init skeleton and the workflows it copies, the action, the
//! licences and the documents, and none of the tests, their fixtures, the fuzz corpus or
//! the sample reports (the `include` list of Cargo.toml).

use std::process::Command;

use crate::common::REPO;

/// The files of the package, as `cargo package --list` gives them.
fn package_files() -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(REPO)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn the_package_holds_the_sources_and_theme_and_no_tests_or_fuzz_data() {
    let files = package_files();
    for unwanted in [
        "tests/",
        "fuzz/",
        "content/",
        "scripts/",
        "docs/screenshots/",
        ".ci/",
    ] {
        let found: Vec<&String> = files.iter().filter(|f| f.starts_with(unwanted)).collect();
        assert!(found.is_empty(), "the package holds {found:?}");
    }
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "action.yml",
        "src/main.rs",
        "src/init/skeleton/site.yaml",
        ".github/workflows/check.yml",
        ".github/workflows/diff.yml",
        ".github/workflows/pages.yml",
        "docs/format.md",
    ] {
        assert!(
            files.iter().any(|f| f == needed),
            "the package lacks {needed}"
        );
    }
    // Every file the sources compile in (`include_str!`, `include_bytes!`) outside unit
    // tests: the packaged crate builds, with the theme and the init skeleton inside.
    let src = std::path::Path::new(REPO).join("src");
    let mut included = 0;
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        // Unit tests (at the end of a file) may read the test fixtures: they are not built
        // from the package.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        for macro_name in ["include_str!(\"", "include_bytes!(\""] {
            for (at, _) in text.match_indices(macro_name) {
                let rest = &text[at + macro_name.len()..];
                let target = &rest[..rest.find('"').unwrap()];
                let path = entry.path().parent().unwrap().join(target);
                let path = std::fs::canonicalize(&path)
                    .unwrap_or_else(|e| panic!("{}: {target}: {e}", entry.path().display()));
                let repo = std::fs::canonicalize(REPO).unwrap();
                let rel = path
                    .strip_prefix(&repo)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                assert!(
                    files.contains(&rel),
                    "the package lacks {rel}, which the code includes"
                );
                included += 1;
            }
        }
    }
    assert!(included > 30, "{included} files included");
    // Every file of the default theme, which the binary compiles in.
    for (name, _) in sijill::render::theme::DEFAULT_TEMPLATES {
        let path = format!("templates/{name}");
        assert!(files.contains(&path), "the package lacks {path}");
    }
    for (name, _) in sijill::render::theme::DEFAULT_STATIC {
        let path = format!("static/{name}");
        assert!(files.contains(&path), "the package lacks {path}");
    }
}

//! The `sijill` command: parses arguments and calls the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use sijill::content::Diagnostic;

/// The build allocates many small strings from several threads at once, where glibc's
/// allocator spends a large share of the time; mimalloc does not.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use sijill::content::printer;

/// Static site generator for archives of human-rights incident reports.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// Like rustc: the source line, a caret, what to do.
    Human,
    /// GitHub Actions annotations on the pull request.
    Github,
    /// A JSON array of {file, line, column, severity, code, message, help}.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormatArg {
    /// Lines for a terminal.
    Human,
    /// A summary for a pull request comment (under GitHub's 65,536-character limit).
    Markdown,
    /// Everything, as documented in docs/diff.md.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from content/, templates/ and static/ into the output folder.
    Build {
        /// The site's root folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Output folder [default: <root>/public].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Base URL the site is published at (overrides site.yaml), e.g. https://org.github.io/archive/
        #[arg(long, value_parser = base_url)]
        base_url: Option<String>,
        /// Include reports marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Replace an output folder that sijill did not create.
        #[arg(long)]
        force: bool,
    },
    /// Check every report and template without writing anything (exit 1 on errors).
    Check {
        /// The site's root folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print problems.
        #[arg(long, value_enum, default_value = "human")]
        format: FormatArg,
    },
    /// Build, serve on 127.0.0.1 and rebuild on every change, reloading open pages.
    Serve {
        /// The site's root folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Port on 127.0.0.1.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Serve under this URL's path (e.g. https://org.github.io/archive/ → /archive/).
        #[arg(long, value_parser = base_url)]
        base_url: Option<String>,
        /// Leave out reports marked `draft: true` (shown by default while previewing).
        #[arg(long)]
        no_drafts: bool,
    },
    /// What the working tree changes in the record against a git revision: reports added,
    /// removed and changed, totals that move, flags for review.
    Diff {
        /// The revision to compare with (a branch, a tag, a commit), e.g. origin/main.
        #[arg(long)]
        base: String,
        /// The site's root folder (inside a git checkout).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// How to print the changes.
        #[arg(long, value_enum, default_value = "human")]
        format: DiffFormatArg,
    },
    /// Write a new report file with valid front matter, ready to fill.
    New {
        /// The site's root folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Title of the report.
        #[arg(long)]
        title: String,
        /// Publication date, YYYY-MM-DD [default: today].
        #[arg(long)]
        date: Option<String>,
        /// A place path, e.g. "Syria/Idlib/Saraqib" (repeat for several).
        #[arg(long = "place")]
        places: Vec<String>,
    },
}

/// `--base-url`, refused as bad usage (exit 2) unless it is a path or an http(s) URL with
/// a host: every page loads its scripts and styles from it.
fn base_url(value: &str) -> Result<String, String> {
    use sijill::render::urls::check_base_url;
    check_base_url(value)
        .map(|()| value.to_string())
        .map_err(|e| format!("{e}; {}", e.help()))
}

/// Reads line `n` of `root/file`, for showing it under a problem.
fn source_line(root: &Path) -> impl Fn(&str, usize) -> Option<String> + '_ {
    move |file, n| {
        let text = std::fs::read(root.join(file)).ok()?;
        let text = String::from_utf8_lossy(&text);
        text.lines().nth(n - 1).map(|l| {
            l.trim_start_matches('\u{feff}')
                .trim_end_matches('\r')
                .to_string()
        })
    }
}

/// The site root's path from the enclosing git repository's root (`""` or `site/`).
fn repository_prefix(root: &Path) -> String {
    let Ok(abs) = root.canonicalize() else {
        return String::new();
    };
    let mut dir = abs.as_path();
    loop {
        if dir.join(".git").exists() {
            let rel = abs.strip_prefix(dir).unwrap_or(Path::new(""));
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            return if rel.is_empty() {
                String::new()
            } else {
                format!("{}/", rel.join("/"))
            };
        }
        match dir.parent() {
            Some(p) => dir = p,
            None => return String::new(),
        }
    }
}

fn print_short(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{}", printer::short(d));
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build {
            root,
            out,
            base_url,
            drafts,
            force,
        } => {
            // A progress bar on a terminal only: CI logs stay plain.
            let bar = std::io::stderr().is_terminal().then(|| {
                let bar = indicatif::ProgressBar::new(0);
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pages")
                        .expect("a valid template"),
                );
                bar
            });
            let progress = bar.clone().map(|bar| {
                sijill::Progress(std::sync::Arc::new(move |done, total| {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                }))
            });
            let options = sijill::BuildOptions {
                root,
                out,
                base_url,
                drafts,
                force,
                progress,
            };
            let result = sijill::build(&options);
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            match result {
                Ok(summary) => {
                    if let Some(warning) = &summary.base_url_warning {
                        eprintln!("warning: {warning}");
                    }
                    print_short(&summary.warnings);
                    if let Some(aside) = &summary.set_aside {
                        eprintln!(
                            "moved what was in {} (not written by sijill) to {}",
                            summary.out.display(),
                            aside.display()
                        );
                    }
                    let megabytes = summary.bytes as f64 / 1e6;
                    eprintln!(
                        "built {} reports: {} pages and {} other files, {megabytes:.1} MB, in {} ({:.2}s)",
                        summary.reports,
                        summary.pages,
                        summary.other_files,
                        summary.out.display(),
                        summary.elapsed.as_secs_f64()
                    );
                    if let Some(warning) = summary.size_warning() {
                        eprintln!("warning: {warning}");
                    }
                    ExitCode::SUCCESS
                }
                Err(sijill::Error::Invalid(diagnostics)) => {
                    print_short(&diagnostics);
                    let (errors, _) = sijill::content::diagnostics::tally(&diagnostics);
                    eprintln!(
                        "{errors} errors: nothing was written (run `sijill check` for details)"
                    );
                    ExitCode::from(1)
                }
                Err(e) => fail(&e),
            }
        }
        Command::Check { root, format } => match sijill::check(&root) {
            Ok(summary) => {
                if let Some(warning) = &summary.base_url_warning {
                    eprintln!("warning: {warning}");
                }
                let ds = &summary.diagnostics;
                match format {
                    FormatArg::Human => {
                        let color = std::io::stderr().is_terminal()
                            && std::env::var_os("NO_COLOR").is_none();
                        let source = source_line(&root);
                        for d in ds {
                            eprintln!("{}", printer::human(d, &source, color));
                        }
                        eprintln!("{}", printer::summary_line(ds, summary.files));
                    }
                    FormatArg::Github => print!(
                        "{}",
                        printer::github(ds, summary.files, &repository_prefix(&root))
                    ),
                    FormatArg::Json => print!("{}", printer::json(ds)),
                }
                if ds.iter().any(Diagnostic::is_error) {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(e) => fail(&e),
        },
        Command::Serve {
            root,
            port,
            base_url,
            no_drafts,
        } => {
            let options = sijill::serve::ServeOptions {
                root,
                port,
                base_url,
                drafts: !no_drafts,
            };
            match sijill::serve::serve(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Diff { base, root, format } => match sijill::diff::diff(&root, &base) {
            Ok(d) => {
                use sijill::diff::format;
                print!(
                    "{}",
                    match format {
                        DiffFormatArg::Human => format::human(&d),
                        DiffFormatArg::Markdown => format::markdown(&d),
                        DiffFormatArg::Json => format::json(&d) + "\n",
                    }
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        },
        Command::New {
            root,
            title,
            date,
            places,
        } => {
            let date = match date.as_deref().map(sijill::content::validate::parse_date) {
                Some(Err(why)) => {
                    eprintln!("error: {why}");
                    return ExitCode::from(2);
                }
                Some(Ok(d)) => Some(d),
                None => None,
            };
            let today = chrono::Local::now().date_naive();
            match sijill::content::scaffold::new_report(&root, &title, date, &places, today) {
                Ok(path) => {
                    println!("{}", path.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}

fn fail(error: &sijill::Error) -> ExitCode {
    match error {
        // With its line and what to do, as a problem of a content file.
        sijill::Error::Config(d) => print_short(std::slice::from_ref(d)),
        _ => eprintln!("error: {error}"),
    }
    ExitCode::from(1)
}

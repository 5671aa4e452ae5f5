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

/// `sijill --version`: the version, and the report format it reads (docs/format.md).
fn version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        format!(
            "{} (report format v{})",
            env!("CARGO_PKG_VERSION"),
            sijill::content::REPORT_FORMAT_VERSION
        )
    })
}

/// Static site generator for archives of human-rights incident reports.
#[derive(Parser)]
#[command(version = version(), about)]
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
enum LanguageArg {
    /// English.
    En,
    /// Arabic (right to left).
    Ar,
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

#[derive(Clone, Copy, ValueEnum)]
enum DatasetArg {
    /// An ACLED export (event_id_cnty, event_date, ..., fatalities).
    Acled,
    /// A UCDP GED export (id, date_start, date_end, ..., low, best, high).
    Ucdp,
    /// data/reports.csv of a sijill site.
    Sijill,
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
    /// Turn the rows of a dataset's CSV into report files (one per event, rewritten by the
    /// next import of the same event), adding places and terms the archive lacks.
    Import {
        /// What the file is.
        #[arg(long = "from", value_enum)]
        from: DatasetArg,
        /// The CSV file.
        file: PathBuf,
        /// The site's root folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Say what would be written, and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Start a new archive: settings, starter gazetteer and vocabulary, an example report,
    /// page skeletons and the GitHub workflows (no Rust source).
    Init {
        /// The folder to write into: missing, empty, or holding only `.git`.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The archive's name.
        #[arg(long, default_value = "Incident archive", value_parser = title)]
        title: String,
        /// The interface language, and that of the example report and pages.
        #[arg(long, value_enum, default_value = "en")]
        language: LanguageArg,
        /// Where the site will be published, e.g. https://org.github.io/archive/ (the
        /// publishing workflow passes GitHub Pages' own address).
        #[arg(long, value_parser = base_url)]
        base_url: Option<String>,
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

/// `--title` of `init`, refused as bad usage (exit 2) when empty or holding a control
/// character: it goes into site.yaml and every page's header.
fn title(value: &str) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err("the title is empty".into());
    }
    if value.chars().any(char::is_control) {
        return Err("the title has a control character (a line break, a tab)".into());
    }
    Ok(value.to_string())
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
                        "built {}: {} and {}, {megabytes:.1} MB, in {} ({:.2}s)",
                        printer::counted(summary.reports, "report"),
                        printer::counted(summary.pages, "page"),
                        printer::counted(summary.other_files, "other file"),
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
                        "{}: nothing was written (run `sijill check` for details)",
                        printer::counted(errors, "error")
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
        Command::Import {
            from,
            file,
            root,
            dry_run,
        } => import(from, file, root, dry_run),
        Command::Init {
            dir,
            title,
            language,
            base_url,
        } => {
            let options = sijill::init::InitOptions {
                dir,
                title,
                language: match language {
                    LanguageArg::En => sijill::init::Language::En,
                    LanguageArg::Ar => sijill::init::Language::Ar,
                },
                base_url,
            };
            match sijill::init::init(&options) {
                Ok(files) => {
                    for f in &files {
                        println!("{}", options.dir.join(f).display());
                    }
                    eprintln!(
                        "wrote a new archive in {} ({} files). Next: push it to a new GitHub \
                         repository, then in Settings › Pages set Source to GitHub Actions \
                         (README.md of the archive says how to add reports)",
                        options.dir.display(),
                        files.len()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
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

/// `sijill import`: problems one per line, then what was (or would be) written. Exit status
/// 1 when a row was skipped or nothing could be imported.
fn import(from: DatasetArg, file: PathBuf, root: PathBuf, dry_run: bool) -> ExitCode {
    use sijill::import::{Dataset, ImportOptions, ImportProgress, Outcome};
    let dataset = match from {
        DatasetArg::Acled => Dataset::Acled,
        DatasetArg::Ucdp => Dataset::Ucdp,
        DatasetArg::Sijill => Dataset::Sijill,
    };
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg:8} {bar:40} {percent}%")
                .expect("a valid template"),
        );
        bar
    });
    let progress = bar.clone().map(|bar| {
        ImportProgress(std::sync::Arc::new(move |stage, done, total| {
            bar.set_message(stage);
            bar.set_length(total);
            bar.set_position(done);
        }))
    });
    let options = ImportOptions {
        root,
        dataset,
        file,
        dry_run,
        progress,
    };
    let result = sijill::import::import(&options);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let summary = match result {
        Ok(summary) => summary,
        // Located problems are printed as `check` prints them (`file:line:col: error…`).
        Err(sijill::import::ImportError::Config(d)) => {
            print_short(&[d]);
            return ExitCode::from(1);
        }
        Err(e @ sijill::import::ImportError::MissingColumns { .. }) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    print_short(&summary.diagnostics);
    let would = if dry_run { "would be " } else { "" };
    if dry_run {
        for (path, outcome) in &summary.files {
            let verb = if *outcome == Outcome::Added {
                "add"
            } else {
                "change"
            };
            println!("{verb} {path}");
        }
        for place in &summary.places_added {
            println!("add place {place}");
        }
        for (key, name) in &summary.terms_added {
            println!("add {key} entry {name}");
        }
    }
    eprintln!(
        "{} of {}: {} {would}added, {} {would}changed, {} unchanged, {} skipped; \
         {} and {} {would}added{}",
        printer::counted(summary.rows, "row"),
        options.file.display(),
        summary.added,
        summary.changed,
        summary.unchanged,
        summary.skipped,
        printer::counted(summary.places_added.len(), "place"),
        match summary.terms_added.len() {
            1 => "1 vocabulary entry".to_string(),
            n => format!(
                "{} vocabulary entries",
                sijill::render::numbers::grouped(n as u64)
            ),
        },
        if dry_run {
            " (dry run: nothing was written)"
        } else {
            ""
        }
    );
    if summary.skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
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

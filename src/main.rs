//! The `sijill` command: parses arguments and calls the library.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sijill::content::Diagnostic;

/// Static site generator for archives of human-rights incident reports.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
        #[arg(long)]
        base_url: Option<String>,
        /// Include reports marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Replace an output folder that sijill did not create.
        #[arg(long)]
        force: bool,
    },
    /// Check every report and template without writing anything.
    Check {
        /// The site's root folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diagnostics {
        eprintln!("{}", sijill::content::diagnostics::human(d, color));
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            out,
            base_url,
            drafts,
            force,
        } => {
            let options = sijill::BuildOptions {
                root,
                out,
                base_url,
                drafts,
                force,
            };
            match sijill::build(&options) {
                Ok(summary) => {
                    print_diagnostics(&summary.warnings);
                    eprintln!(
                        "built {} reports: {} pages and {} other files in {} ({:.2}s)",
                        summary.reports,
                        summary.pages,
                        summary.other_files,
                        summary.out.display(),
                        summary.elapsed.as_secs_f64()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Check { root } => match sijill::check(&root) {
            Ok(summary) => {
                print_diagnostics(&summary.diagnostics);
                let (errors, warnings) = sijill::content::diagnostics::tally(&summary.diagnostics);
                eprintln!(
                    "{errors} errors, {warnings} warnings in {} files",
                    summary.files
                );
                if errors > 0 {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(e) => fail(e),
        },
    }
}

fn fail(error: sijill::Error) -> ExitCode {
    if let sijill::Error::Invalid(diagnostics) = &error {
        print_diagnostics(diagnostics);
        let (errors, warnings) = sijill::content::diagnostics::tally(diagnostics);
        let files = {
            let mut f: Vec<&str> = diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.file.as_str())
                .collect();
            f.dedup();
            f.len()
        };
        eprintln!("{errors} errors, {warnings} warnings in {files} files; nothing was written");
    } else {
        eprintln!("error: {error}");
    }
    ExitCode::from(1)
}

//! Problems found in content, as data: collected for the whole run, printed by one printer
//! per format. Positions are always in the *whole file* (1-based line and column), never in
//! an extracted piece of it.

use serde::Serialize;

/// How bad a problem is. Errors stop `build`; warnings never change the exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The archive cannot be built until this is fixed.
    Error,
    /// Worth a look, but the archive builds.
    Warning,
}

/// One problem at one place in one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators (what a contributor sees in a PR).
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// Stable machine-readable identifier, e.g. `unknown-field`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// How many characters of the line the problem spans from its column; 0 when unknown
    /// (the human form underlines them, else the key or value there).
    #[serde(skip)]
    pub width: u32,
}

impl Diagnostic {
    /// An error at `file:line:column`.
    pub fn error(
        file: &str,
        (line, column): (usize, usize),
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.to_string(),
            line,
            column,
            severity: Severity::Error,
            code,
            message: message.into(),
            help: None,
            width: 0,
        }
    }

    /// A warning at `file:line:column`.
    pub fn warning(
        file: &str,
        pos: (usize, usize),
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pos, code, message)
        }
    }

    /// Adds what to do about the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Says how many characters from the column the problem spans (0: not known).
    pub fn with_width(mut self, width: usize) -> Self {
        self.width = u32::try_from(width).unwrap_or(u32::MAX);
        self
    }

    /// Adds help only when there is some.
    pub fn with_optional_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics into a stable order: by file, then position, then message.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message, a.code)
            .cmp(&(&b.file, b.line, b.column, &b.message, b.code))
    });
}

/// Counts errors and warnings.
pub fn tally(diagnostics: &[Diagnostic]) -> (usize, usize) {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    (errors, diagnostics.len() - errors)
}

//! Printers for diagnostics, one per output format: `human` (like rustc, with the source
//! line and a caret), `github` (workflow commands that become annotations on a pull
//! request) and `json`.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::diagnostics::{Diagnostic, Severity, tally};
use super::text::escaped_in_messages;

/// GitHub shows this many annotations of each severity per step.
pub const GITHUB_ANNOTATION_LIMIT: usize = 10;

/// One line of a file, for showing it under a problem.
pub type SourceLine<'a> = &'a dyn Fn(&str, usize) -> Option<String>;

/// `s` with control and invisible format characters escaped (`\n`, `\u{1b}`,
/// `\u{202e}`): messages quote what reports contain, and a line break there would let a
/// report start a line of its own in a CI log (`::warning::…` is a command to GitHub
/// Actions), an escape sequence drive the terminal, a bidirectional override reorder the
/// message after it (`dellik 321`).
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    escape_controls(s, &[])
}

/// True for the characters [`printable`] escapes, but those in `keep`.
fn is_escaped(c: char, keep: &[char]) -> bool {
    escaped_in_messages(c) && !keep.contains(&c)
}

/// `s` with the characters [`printable`] escapes escaped, but those in `keep` (tabs in a
/// source line; line breaks in a workflow command, which has its own escapes for them).
fn escape_controls<'a>(s: &'a str, keep: &[char]) -> std::borrow::Cow<'a, str> {
    let escaped = |c: char| is_escaped(c, keep);
    if s.chars().any(escaped) {
        s.chars()
            .map(|c| {
                if escaped(c) {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// The short form, one problem per line (plus help): `path:line:col: error[code]: message`.
pub fn short(d: &Diagnostic) -> String {
    let label = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!(
        "{}:{}:{}: {label}[{}]: {}",
        printable(&d.file),
        d.line,
        d.column,
        d.code,
        printable(&d.message)
    );
    if let Some(help) = &d.help {
        out.push_str("\n  help: ");
        out.push_str(&printable(help));
    }
    out
}

/// Columns to underline from 1-based `column` in `line`: the key or value there, up to a
/// `: `, `,`, `}` or `]` (at least one column).
fn token_width(line: &str, column: usize) -> usize {
    let rest: Vec<char> = line.chars().skip(column.saturating_sub(1)).collect();
    let mut end = rest.len();
    for (i, c) in rest.iter().enumerate() {
        let key_end = *c == ':' && rest.get(i + 1).is_none_or(|n| n.is_whitespace());
        if key_end || matches!(c, ',' | '}' | ']') {
            end = i;
            break;
        }
    }
    rest[..end]
        .iter()
        .rev()
        .skip_while(|c| c.is_whitespace())
        .count()
        .max(1)
}

/// The rustc-like form: message, ` --> file:line:col`, the source line, a caret, the help.
pub fn human(d: &Diagnostic, source: SourceLine, color: bool) -> String {
    let (label, paint) = match d.severity {
        Severity::Error => ("error", "\x1b[1;31m"),
        Severity::Warning => ("warning", "\x1b[1;33m"),
    };
    let (on, bold, blue, off) = if color {
        (paint, "\x1b[1m", "\x1b[1;34m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let mut out = format!(
        "{on}{label}[{}]{off}{bold}: {}{off}\n",
        d.code,
        printable(&d.message)
    );
    let file = printable(&d.file);
    let source_line = (d.line > 0).then(|| source(&d.file, d.line)).flatten();
    let line_text = source_line
        .as_deref()
        .map(|l| escape_controls(l, &['\t']).into_owned());
    let gutter = if line_text.is_some() {
        d.line.to_string().len()
    } else {
        1
    };
    let pad = " ".repeat(gutter);
    if d.line > 0 {
        let _ = writeln!(
            out,
            "{pad}{blue}-->{off} {}:{}:{}",
            file,
            d.line,
            d.column.max(1)
        );
    } else {
        let _ = writeln!(out, "{pad}{blue}-->{off} {file}");
    }
    if let (Some(text), Some(original)) = (line_text, &source_line) {
        let col = d.column.max(1);
        // Columns count the characters as written; an escaped one takes its escape's width.
        let shown_width = |c: char| {
            if is_escaped(c, &['\t']) {
                c.escape_default().count()
            } else {
                1
            }
        };
        let mut lead = String::new();
        for c in original.chars().take(col - 1) {
            match c {
                '\t' => lead.push('\t'),
                c => lead.extend(std::iter::repeat_n(' ', shown_width(c))),
            }
        }
        let token = original.chars().skip(col - 1).take(match d.width {
            0 => token_width(original, col),
            width => width as usize,
        });
        let carets = "^".repeat(token.map(shown_width).sum::<usize>().max(1));
        let _ = writeln!(out, "{pad} {blue}|{off}");
        let _ = writeln!(out, "{blue}{}{off} {blue}|{off} {text}", d.line);
        let _ = writeln!(out, "{pad} {blue}|{off} {lead}{on}{carets}{off}");
    }
    if let Some(help) = &d.help {
        let _ = writeln!(
            out,
            "{pad} {blue}={off} {bold}help{off}: {}",
            printable(help)
        );
    }
    out
}

/// Escapes the message of a workflow command.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property of a workflow command.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Orders problems so that the first ones cover as many files as possible: the first
/// problem of every file, then the second of every file, and so on; errors before warnings.
pub fn spread_over_files(diagnostics: &[Diagnostic]) -> Vec<&Diagnostic> {
    let mut out = Vec::with_capacity(diagnostics.len());
    for severity in [Severity::Error, Severity::Warning] {
        let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        for d in diagnostics.iter().filter(|d| d.severity == severity) {
            by_file.entry(&d.file).or_default().push(d);
        }
        let mut round = 0;
        loop {
            let before = out.len();
            out.extend(by_file.values().filter_map(|ds| ds.get(round).copied()));
            if out.len() == before {
                break;
            }
            round += 1;
        }
    }
    out
}

/// One workflow command per problem, then a notice with the totals. `prefix` is the site
/// root's path from the repository root (empty, or ending in `/`).
pub fn github(diagnostics: &[Diagnostic], files_checked: usize, prefix: &str) -> String {
    let mut out = String::new();
    for d in spread_over_files(diagnostics) {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let title = format!("sijill: {}", d.code);
        let mut message = d.message.clone();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        let message = escape_controls(&message, &['\n', '\r']);
        let _ = write!(
            out,
            "::{command} file={}",
            escape_property(&printable(&format!("{prefix}{}", d.file)))
        );
        if d.line > 0 {
            let _ = write!(out, ",line={}", d.line);
            if d.column > 0 {
                let _ = write!(out, ",col={}", d.column);
            }
        }
        let _ = writeln!(
            out,
            ",title={}::{}",
            escape_property(&title),
            escape_data(&message)
        );
    }
    let (errors, warnings) = tally(diagnostics);
    let files = {
        let mut f: Vec<&str> = diagnostics.iter().map(|d| d.file.as_str()).collect();
        f.sort_unstable();
        f.dedup();
        f.len()
    };
    let mut notice =
        format!("{errors} errors, {warnings} warnings in {files} of {files_checked} files.");
    if errors > GITHUB_ANNOTATION_LIMIT || warnings > GITHUB_ANNOTATION_LIMIT {
        notice.push_str(" GitHub shows only the first 10 of each on the pull request: see this step's log for all of them, or run `sijill check` locally.");
    }
    let _ = writeln!(out, "::notice title=sijill check::{}", escape_data(&notice));
    out
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    severity: Severity,
    code: &'a str,
    message: &'a str,
    help: Option<&'a str>,
}

/// A JSON array of `{file, line, column, severity, code, message, help}`.
pub fn json(diagnostics: &[Diagnostic]) -> String {
    let records: Vec<JsonDiagnostic> = diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            file: &d.file,
            line: d.line,
            column: d.column,
            severity: d.severity,
            code: d.code,
            message: &d.message,
            help: d.help.as_deref(),
        })
        .collect();
    let s = serde_json::to_string_pretty(&records).expect("diagnostics serialize");
    let mut s = json_ascii_escapes(s);
    s.push('\n');
    s
}

/// `json` with the characters [`printable`] escapes that serde_json leaves as they are
/// (DEL and beyond ASCII: it escapes the C0 controls itself) written as `\uXXXX` escapes:
/// the same strings to a JSON reader, and to a person reading the raw output nothing is
/// hidden or reordered. Outside strings JSON holds none of them, so only strings change.
fn json_ascii_escapes(json: String) -> String {
    let raw = |c: char| c >= '\u{7f}' && is_escaped(c, &[]);
    if !json.chars().any(raw) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `1 error`, `0 warnings`, `1,200 reports`: a number of a countable `noun` (whose plural
/// adds an `s`), as every message of the command line words one.
pub fn counted(n: usize, noun: &str) -> String {
    let number = crate::render::numbers::grouped(n as u64);
    if n == 1 {
        format!("{number} {noun}")
    } else {
        format!("{number} {noun}s")
    }
}

/// `N errors, M warnings in K files`
pub fn summary_line(diagnostics: &[Diagnostic], files: usize) -> String {
    let (errors, warnings) = tally(diagnostics);
    format!(
        "{}, {} in {}",
        counted(errors, "error"),
        counted(warnings, "warning"),
        counted(files, "file")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diag(file: &str, line: usize) -> Diagnostic {
        Diagnostic::error(file, (line, 1), "x", "bad")
    }

    #[test]
    fn first_annotations_cover_many_files() {
        let ds = vec![
            diag("a", 1),
            diag("a", 2),
            diag("a", 3),
            diag("b", 1),
            diag("c", 1),
        ];
        let order: Vec<(&str, usize)> = spread_over_files(&ds)
            .iter()
            .map(|d| (d.file.as_str(), d.line))
            .collect();
        assert_eq!(
            order,
            vec![("a", 1), ("b", 1), ("c", 1), ("a", 2), ("a", 3)]
        );
    }

    #[test]
    fn workflow_commands_are_escaped() {
        let d = Diagnostic::error("content/a,b.md", (3, 2), "yaml", "50% wrong: x")
            .with_help("line1\nline2");
        let out = github(&[d], 1, "site/");
        assert!(out.starts_with("::error file=site/content/a%2Cb.md,line=3,col=2,title=sijill%3A yaml::50%25 wrong: x%0Ahelp: line1%0Aline2\n"), "{out}");
        assert!(out.contains("::notice title=sijill check::1 errors, 0 warnings in 1 of 1 files."));
    }

    #[test]
    fn human_points_at_the_token() {
        let d = Diagnostic::error(
            "a.md",
            (2, 1),
            "unknown-field",
            "unknown field `casualites`",
        )
        .with_help("did you mean `casualties`?");
        let out = human(&d, &|_, _| Some("casualites: 5".into()), false);
        assert_eq!(
            out,
            "error[unknown-field]: unknown field `casualites`\n --> a.md:2:1\n  |\n2 | casualites: 5\n  | ^^^^^^^^^^\n  = help: did you mean `casualties`?\n"
        );
    }
}

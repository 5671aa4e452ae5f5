//! A [`RecordDiff`] written out: for a terminal, for a pull request (Markdown under
//! GitHub's comment limit, whatever the size of the change), or as JSON (docs/diff.md).
//! Titles and names come from the pull request: in Markdown they are escaped, so no title
//! can make a link, an image (a request to a third party when the comment is read) or a
//! broken table.

use std::fmt::Write;

use super::{ChangedReport, FieldChange, MinMax, RecordDiff, TotalChange};

/// GitHub's limit on a comment's body, in characters.
pub const COMMENT_LIMIT: usize = 65_536;

/// Room kept under the limit for the closing lines and the marker.
const RESERVE: usize = 2_000;

/// Totals shown before the fold.
const TOP_TOTALS: usize = 10;

/// The hidden line that lets the comment workflow find its comment again.
pub const MARKER: &str = "<!-- sijill-diff -->";

/// `at least 5`, `5`, `5–9`, `—` (not given).
fn count(c: Option<MinMax>) -> String {
    match c {
        None => "—".into(),
        Some(MinMax {
            min,
            max: Some(max),
        }) if max == min => min.to_string(),
        Some(MinMax {
            min,
            max: Some(max),
        }) => format!("{min}–{max}"),
        Some(MinMax { min, max: None }) => format!("at least {min}"),
    }
}

/// A JSON value of a fact, worded.
fn value(v: &Option<serde_json::Value>) -> String {
    use serde_json::Value;
    match v {
        None => "—".into(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(o)) if o.contains_key("min") => count(Some(MinMax {
            min: o["min"].as_u64().unwrap_or(0),
            max: o.get("max").and_then(Value::as_u64),
        })),
        Some(Value::Object(o)) if o.contains_key("start") => {
            let (s, e) = (
                o["start"].as_str().unwrap_or(""),
                o["end"].as_str().unwrap_or(""),
            );
            if s == e {
                s.to_string()
            } else {
                format!("{s} to {e}")
            }
        }
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(", "),
        Some(other) => other.to_string(),
    }
}

fn change_words(c: &FieldChange) -> String {
    format!("{}: {} → {}", c.field, value(&c.before), value(&c.after))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// One sentence: what the change does to the record.
pub fn headline(d: &RecordDiff) -> String {
    let r = &d.reports;
    let mut parts = Vec::new();
    if !r.added.is_empty() {
        parts.push(format!(
            "adds {}",
            plural(r.added.len(), "report", "reports")
        ));
    }
    if !r.changed.is_empty() {
        let first = r.changed.iter().find_map(|c| {
            c.changes
                .iter()
                .find(|f| f.field.starts_with("casualties."))
                .map(change_words)
        });
        let mut s = format!("changes {}", plural(r.changed.len(), "report", "reports"));
        if let (1, Some(first)) = (r.changed.len(), first) {
            let _ = write!(s, " ({first})");
        }
        parts.push(s);
    }
    if !r.removed.is_empty() {
        parts.push(format!(
            "removes {}",
            plural(r.removed.len(), "report", "reports")
        ));
    }
    if !d.entries.is_empty() {
        parts.push(format!(
            "changes {} of the gazetteer or vocabulary",
            plural(d.entries.len(), "entry", "entries")
        ));
    }
    if parts.is_empty() {
        parts.push("changes no report".into());
    }
    let mut s = parts.join("; ");
    // The largest change of a place and of a period, killed first.
    for scope in ["place", "date"] {
        let biggest = d
            .totals
            .iter()
            .filter(|t| t.scope == scope && t.field == "killed")
            .max_by_key(|t| t.magnitude());
        if let Some(t) = biggest {
            let _ = write!(
                s,
                "; {} killed: {} → {}",
                t.key,
                count(t.before),
                count(t.after)
            );
        }
    }
    if !d.flags.is_empty() {
        let _ = write!(s, "; {} to review", plural(d.flags.len(), "flag", "flags"));
    }
    if d.errors > 0 {
        let _ = write!(
            s,
            "; {} in the changed content (its reports are left out: see `sijill check`)",
            plural(d.errors, "error", "errors")
        );
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect::<String>() + ".",
        None => s,
    }
}

/// For a terminal.
pub fn human(d: &RecordDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", headline(d));
    let short = &d.base[..d.base.len().min(12)];
    let _ = writeln!(out, "(against {short})");
    let r = &d.reports;
    for a in &r.added {
        let _ = writeln!(out, "+ {}  {}", a.id, a.title);
    }
    for a in &r.removed {
        let _ = writeln!(out, "- {}  {}", a.id, a.title);
    }
    for c in &r.changed {
        let _ = writeln!(out, "~ {}  {}", c.id, c.title);
        for f in &c.changes {
            let _ = writeln!(out, "    {}", change_words(f));
        }
        if c.text_changed {
            let _ = writeln!(
                out,
                "    text: +{} −{} lines",
                c.lines_added, c.lines_removed
            );
        }
    }
    for e in &d.entries {
        let _ = writeln!(
            out,
            "{} {} `{}`: +[{}] −[{}], {} moved",
            e.list,
            e.change,
            e.entry,
            e.aliases_added.join(", "),
            e.aliases_removed.join(", "),
            plural(e.reports_moved, "report", "reports")
        );
    }
    if !d.totals.is_empty() {
        let _ = writeln!(out, "totals:");
        for t in &d.totals {
            let _ = writeln!(
                out,
                "  {} {} {}: {} → {}",
                t.scope,
                t.key,
                t.field,
                count(t.before),
                count(t.after)
            );
        }
    }
    for f in &d.flags {
        let _ = writeln!(out, "flag {}: {}", f.code, f.message);
    }
    out
}

/// Escapes text from a pull request for Markdown: no link, image, HTML, emphasis or
/// table cell can come of it, and it stays on one line.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '!' | '|' | '<'
            | '>' | '~' | '{' | '}' | '.' | ':' | '&' | '=' | '"' | '\'' | '^' | '$' | '@' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A Markdown table row of `cells` (each already escaped).
fn row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

fn total_row(t: &TotalChange) -> String {
    row(&[
        t.scope.to_string(),
        md_escape(&t.key),
        md_escape(&t.field),
        md_escape(&count(t.before)),
        md_escape(&count(t.after)),
    ])
}

/// Appends `line` to `out` unless that would pass `budget`; false when it did not fit.
fn push(out: &mut String, line: &str, budget: usize) -> bool {
    if out.len() + line.len() > budget {
        return false;
    }
    out.push_str(line);
    true
}

fn changed_cell(c: &ChangedReport) -> String {
    let mut words: Vec<String> = c
        .changes
        .iter()
        .map(|f| md_escape(&change_words(f)))
        .collect();
    if c.text_changed {
        words.push(format!(
            "text: \\+{} −{} lines",
            c.lines_added, c.lines_removed
        ));
    }
    words.join("; ")
}

/// For a pull request: the headline, the biggest total changes (all of them folded), the
/// reports as a table, the flags as a list; never over [`COMMENT_LIMIT`] characters
/// (what does not fit is counted, and the JSON has everything).
pub fn markdown(d: &RecordDiff) -> String {
    let budget = COMMENT_LIMIT - RESERVE;
    let mut out = String::new();
    let short = &d.base[..d.base.len().min(12)];
    let _ = writeln!(out, "{MARKER}\n### What this changes in the record\n");
    let headline = headline(d);
    let sentence = headline.strip_suffix('.').unwrap_or(&headline);
    let _ = writeln!(out, "**{}.**\n", md_escape(sentence));
    let _ = writeln!(
        out,
        "Compared with `{short}`, by the counting rules the site uses.\n"
    );
    let mut left_out = 0usize;

    if !d.totals.is_empty() {
        let mut ranked: Vec<&TotalChange> = d.totals.iter().collect();
        // People killed first, then the other counts; the largest moves first in each.
        ranked.sort_by_key(|t| (t.field != "killed", std::cmp::Reverse(t.magnitude())));
        out.push_str("#### Totals that change most\n\n| | | field | before | after |\n|---|---|---|---|---|\n");
        for t in ranked.iter().take(TOP_TOTALS) {
            push(&mut out, &total_row(t), budget);
        }
        if d.totals.len() > TOP_TOTALS {
            let _ = write!(
                out,
                "\n<details><summary>All {} changed totals</summary>\n\n| | | field | before | after |\n|---|---|---|---|---|\n",
                d.totals.len()
            );
            let mut shown = 0;
            for t in &d.totals {
                // The reports and flags need room too: the full list takes half at most.
                if out.len() > budget / 2 || !push(&mut out, &total_row(t), budget / 2) {
                    break;
                }
                shown += 1;
            }
            if shown < d.totals.len() {
                let _ = writeln!(out, "\n…and {} more.", d.totals.len() - shown);
                left_out += d.totals.len() - shown;
            }
            out.push_str("\n</details>\n");
        }
        out.push('\n');
    }

    let r = &d.reports;
    if !(r.added.is_empty() && r.changed.is_empty() && r.removed.is_empty()) {
        out.push_str("#### Reports\n\n| | id | title | what changed |\n|---|---|---|---|\n");
        let rows = r
            .added
            .iter()
            .map(|a| ("added", &a.id, &a.title, String::new()))
            .chain(
                r.changed
                    .iter()
                    .map(|c| ("changed", &c.id, &c.title, changed_cell(c))),
            )
            .chain(
                r.removed
                    .iter()
                    .map(|a| ("removed", &a.id, &a.title, String::new())),
            );
        let total = r.added.len() + r.changed.len() + r.removed.len();
        let mut shown = 0;
        for (what, id, title, cell) in rows {
            let line = row(&[what.to_string(), md_escape(id), md_escape(title), cell]);
            if !push(&mut out, &line, budget * 4 / 5) {
                break;
            }
            shown += 1;
        }
        if shown < total {
            let _ = writeln!(out, "\n…and {} more reports.", total - shown);
            left_out += total - shown;
        }
        out.push('\n');
    }

    if !d.entries.is_empty() {
        out.push_str("#### Gazetteer and vocabulary\n\n");
        for e in &d.entries {
            let line = format!(
                "- {} {}: {} (spellings added: {}; removed: {}; {} moved)\n",
                e.list,
                e.change,
                md_escape(&e.entry),
                md_escape(&e.aliases_added.join(", ")),
                md_escape(&e.aliases_removed.join(", ")),
                plural(e.reports_moved, "report", "reports")
            );
            if !push(&mut out, &line, budget * 9 / 10) {
                left_out += 1;
            }
        }
        out.push('\n');
    }

    if !d.flags.is_empty() {
        out.push_str("#### To review\n\n");
        for f in &d.flags {
            let line = format!("- **{}**: {}\n", f.code, md_escape(&f.message));
            if !push(&mut out, &line, budget) {
                left_out += 1;
            }
        }
        out.push('\n');
    }
    if left_out > 0 {
        let _ = writeln!(
            out,
            "{left_out} more lines did not fit in a comment: `sijill diff --base {short} --format json` lists everything."
        );
    }
    out
}

/// As JSON (docs/diff.md).
pub fn json(d: &RecordDiff) -> String {
    serde_json::to_string_pretty(d).expect("a diff serializes")
}

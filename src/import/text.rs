//! Text from a dataset made safe for a report: ids from event ids, place levels, and
//! Markdown bodies in which nothing a dataset writes can become markup.

use crate::content::validate::is_valid_id;

use super::event::RowProblem;

/// The report id of event `source_id` of `dataset`: `acled-syr1234` for `SYR1234`. Letters
/// and digits are kept (lowercased), anything else separates them.
pub fn report_id(dataset: &str, source_id: &str) -> Result<String, RowProblem> {
    let mut id = String::from(dataset);
    let mut words = source_id
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .peekable();
    if words.peek().is_none() {
        return Err(RowProblem::new(
            "import-bad-id",
            format!("the event id `{source_id}` has no letter or digit to make a report id of"),
            "give each row the dataset's own event id",
        ));
    }
    for w in words {
        id.push('-');
        id.push_str(&w.to_ascii_lowercase());
    }
    debug_assert!(is_valid_id(&id));
    Ok(id)
}

/// Place levels from cells, widest first: empty ones left out, and `/` (which separates
/// levels in a place path) written `-`.
pub fn segments<'a>(cells: impl Iterator<Item = &'a str>) -> Vec<String> {
    cells
        .map(|c| c.replace('/', "-").trim().to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

/// `text` (a dataset's notes) as Markdown paragraphs that show it exactly as written:
/// every character Markdown or HTML could read as markup is escaped, lines keep their
/// breaks, and blank lines separate paragraphs. Empty text gives an empty string.
pub fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    for paragraph in text.replace("\r\n", "\n").replace('\r', "\n").split("\n\n") {
        let lines: Vec<String> = paragraph
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(escape_line)
            .collect();
        if lines.is_empty() {
            continue;
        }
        // A backslash at the end of a line is a hard line break in CommonMark.
        out.push_str(&lines.join("\\\n"));
        out.push_str("\n\n");
    }
    out
}

/// A closing paragraph saying where the report comes from (escaped like [`paragraphs`]).
pub fn provenance(text: &str) -> String {
    format!("*{}*\n", escape_line(text))
}

/// One line of text, escaped: inline markup anywhere, block markup at its start.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for (i, c) in line.chars().enumerate() {
        let starts_block = i == 0 && matches!(c, '#' | '-' | '+' | '=' | '>' | ':');
        if starts_block
            || matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!' | '$'
            )
        {
            out.push('\\');
        }
        out.push(c);
    }
    // `1. ` or `1) ` would start a list.
    let digits = out.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && matches!(out.as_bytes().get(digits), Some(b'.' | b')')) {
        out.insert(digits, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_event_ids() {
        assert_eq!(report_id("acled", "SYR1234").unwrap(), "acled-syr1234");
        assert_eq!(report_id("ucdp", "  244 657 ").unwrap(), "ucdp-244-657");
        assert!(report_id("acled", "—").is_err());
    }

    #[test]
    fn markup_in_notes_stays_text() {
        let body = paragraphs(
            "---\n# not a heading\n<script>alert(1)</script> [x](javascript:y)\n\n1. a & b",
        );
        assert_eq!(
            body,
            "\\---\\\n\\# not a heading\\\n\\<script\\>alert(1)\\</script\\> \\[x\\](javascript:y)\n\n1\\. a \\& b\n\n"
        );
        assert_eq!(paragraphs("  \n\n "), "");
    }

    #[test]
    fn levels_without_slashes_or_gaps() {
        let s = segments(["Syria", "", " Idlib ", "Kafr Nabl/Kafranbel"].into_iter());
        assert_eq!(s, ["Syria", "Idlib", "Kafr Nabl-Kafranbel"]);
    }
}

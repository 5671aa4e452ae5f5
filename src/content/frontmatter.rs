//! Splits a report file into its YAML front matter and its Markdown body, keeping track of
//! where each starts so that every later position can be given in the whole file.

/// A report file cut in two.
#[derive(Debug, Clone, Copy)]
pub struct Split<'a> {
    /// The YAML between the two `---` lines.
    pub yaml: &'a str,
    /// 1-based line of the file on which the YAML starts.
    pub yaml_line: usize,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Why a file could not be split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitError {
    /// The first line is not `---`.
    Missing,
    /// There is an opening `---` but no closing one.
    Unterminated,
}

fn is_fence(line: &str) -> bool {
    line.trim_end_matches(['\r', ' ', '\t']) == "---"
}

/// Cuts a whole report file at its front-matter fences, after a BOM if it starts with one.
pub fn split_file(text: &str) -> Result<Split<'_>, SplitError> {
    split(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Cuts `text` (already without a BOM) at its front-matter fences. CRLF line ends are accepted.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if !is_fence(&text[..first_end]) {
        return Err(SplitError::Missing);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        if is_fence(&text[offset..end]) {
            let body_start = (end + 1).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset = end + 1;
        line += 1;
    }
    Err(SplitError::Unterminated)
}

/// 1-based (line, column) of byte `offset` in `text`, the column counted in characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_lf_and_crlf() {
        let s = split("---\ntitle: a\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "title: a\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
        let s = split("---\r\ntitle: a\r\nx: 1\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, "title: a\r\nx: 1\r\n");
        assert_eq!(s.body, "body");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn reports_missing_and_unterminated() {
        assert_eq!(split("title: a\n").unwrap_err(), SplitError::Missing);
        assert_eq!(
            split("---\ntitle: a\nbody\n").unwrap_err(),
            SplitError::Unterminated
        );
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\nدير x", 9), (2, 4));
        assert_eq!(line_col("abc", 0), (1, 1));
    }
}

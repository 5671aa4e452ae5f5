//! Links from a report's body to other reports' files (`[earlier](../10/x.md)`): found here,
//! checked against the archive in `crosscheck`, rewritten to page URLs by `render`.

use pulldown_cmark::{Event, Parser, Tag};

use super::frontmatter::line_col;

/// A Markdown link to a `.md` file, by relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundLink {
    /// The destination as written.
    pub dest: String,
    /// The file it designates, relative to the site root (`content/reports/2017/11/x.md`).
    pub target_file: String,
    /// Position of the link in the whole file.
    pub position: (usize, usize),
}

/// The Markdown extensions sijill renders with; link finding must parse the same way.
pub fn markdown_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// True for a relative link to a Markdown file (no scheme, not site-absolute).
pub fn is_report_file_link(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    path.ends_with(".md") && !dest.contains("://") && !dest.starts_with('/') && !dest.contains(':')
}

/// Links to `.md` files in `body`, which starts on line `body_line` of `file`.
pub fn find(body: &str, body_line: usize, file: &str) -> Vec<FoundLink> {
    if !body.contains(".md") {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        if let Event::Start(Tag::Link { dest_url, .. }) = event
            && is_report_file_link(&dest_url)
        {
            let (line, col) = line_col(body, range.start);
            found.push(FoundLink {
                dest: dest_url.to_string(),
                target_file: resolve(file, &dest_url),
                position: (body_line + line - 1, col),
            });
        }
    }
    found
}

/// `content/reports/2017/12/a.md` + `../11/b.md#x` → `content/reports/2017/11/b.md`.
fn resolve(from_file: &str, dest: &str) -> String {
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let mut parts: Vec<&str> = from_file.split('/').collect();
    parts.pop();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_resolves_report_links() {
        let body =
            "Intro.\n\nSee [the earlier report](../11/b.md#toll) and [web](https://x.org/a.md).\n";
        let links = find(body, 10, "content/reports/2017/12/a.md");
        assert_eq!(links.len(), 1);
        assert_eq!(links[0].target_file, "content/reports/2017/11/b.md");
        assert_eq!(links[0].position, (12, 5));
    }
}

//! Raw HTML in a report's body that would make the published page differ from what the
//! writer sees in the file. The sanitizer drops `<script>`, `<style>` and comments with
//! their contents, and an HTML parser reads everything after an unclosed `<script>` or
//! `<!--` as their contents: without a warning, one stray tag silently removes the rest of
//! the report. A tag with a great many attributes is shown as text (the HTML parser checks
//! each attribute against every other, so 200,000 of them took 26 s).

use pulldown_cmark::{Event, Parser};

use super::diagnostics::Diagnostic;
use super::frontmatter::line_col;
use super::links::markdown_options;

/// A tag with more attributes than this makes the body's raw HTML show as text (real tags
/// have a handful: `<a href title>`, `<abbr title>`).
pub const MAX_HTML_ATTRIBUTES: usize = 64;

/// Elements whose contents an HTML parser does not read as markup, or that the sanitizer
/// drops with everything inside: left open, they take the rest of the body with them.
pub(crate) const SWALLOWING: &[&str] = &[
    "script",
    "style",
    "template",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// Warnings for the raw HTML of `body`, which starts on line `body_line` of `file`.
pub fn check(body: &str, body_line: usize, file: &str) -> Vec<Diagnostic> {
    if !body.contains('<') {
        return Vec::new();
    }
    // The raw HTML alone, in order (Markdown text between fragments is escaped, so it can
    // neither open nor close anything), with where each fragment starts in the body.
    let mut html = String::new();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        if let Event::Html(text) | Event::InlineHtml(text) = event {
            starts.push((html.len(), range.start));
            html.push_str(&text);
        }
    }
    let body_offset = |at: usize| {
        let i = starts.partition_point(|&(joined, _)| joined <= at) - 1;
        let (joined, in_body) = starts[i];
        in_body + (at - joined)
    };
    let warn = |at: usize, code: &'static str, message: String, help: String| {
        let (line, col) = line_col(body, body_offset(at));
        Diagnostic::warning(file, (body_line + line - 1, col), code, message).with_help(help)
    };
    let mut problems = Vec::new();
    let mut too_many_attributes = false;
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while let Some(found) = lower[at..].find('<') {
        let open = at + found;
        let rest = &lower[open + 1..];
        if rest.starts_with("!--") {
            // `<!-->` and `<!--->` close at once; otherwise the comment runs to `-->`.
            let inner = open + 4;
            if lower[inner..].starts_with('>') || lower[inner..].starts_with("->") {
                at = inner + 1;
                continue;
            }
            match lower[inner..].find("-->") {
                Some(end) => at = inner + end + 3,
                None => {
                    problems.push(warn(
                        open,
                        "unclosed-html",
                        "this HTML comment is never closed: the rest of the report is not \
                         published"
                            .into(),
                        "end it with `-->`, or remove `<!--`".into(),
                    ));
                    break;
                }
            }
            continue;
        }
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        at = open + 1 + name_len;
        if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let after_name = &html[open + 1 + name_len..];
        if !too_many_attributes
            && count_attributes(after_name, MAX_HTML_ATTRIBUTES + 1) > MAX_HTML_ATTRIBUTES
        {
            // Once: the whole body's HTML is shown as text.
            too_many_attributes = true;
            problems.push(warn(
                open,
                "html-too-many-attributes",
                format!(
                    "this `<{name}>` has more than {MAX_HTML_ATTRIBUTES} attributes: the \
                     report's HTML is shown as text"
                ),
                "remove the attributes it does not need".into(),
            ));
        }
        if SWALLOWING.contains(&name) {
            let closer = format!("</{name}");
            let ends_name = |c: char| c.is_ascii_whitespace() || c == '>' || c == '/';
            let closed = (name != "plaintext")
                .then(|| {
                    lower[at..]
                        .match_indices(&closer)
                        .find(|(i, _)| lower[at + i + closer.len()..].starts_with(ends_name))
                })
                .flatten();
            if let Some((end, _)) = closed {
                at += end + closer.len();
            } else {
                problems.push(warn(
                    open,
                    "unclosed-html",
                    format!("`<{name}>` is never closed: the rest of the report is not published"),
                    format!(
                        "close it with `</{name}>`, or write `&lt;{name}&gt;` to show the tag \
                         as text"
                    ),
                ));
                break;
            }
        }
    }
    problems
}

/// How many attributes the tag whose text after its name is `rest` has, counting at most to
/// `stop`: the attribute rules of an HTML tokenizer (names end at space, `/`, `>` or `=`;
/// values are quoted or run to a space or `>`), without allocating.
pub fn count_attributes(rest: &str, stop: usize) -> usize {
    let b = rest.as_bytes();
    let mut i = 0;
    let mut count = 0;
    let skip_space = |i: &mut usize| {
        while *i < b.len() && (b[*i].is_ascii_whitespace() || b[*i] == b'/') {
            *i += 1;
        }
    };
    while count < stop {
        skip_space(&mut i);
        if i >= b.len() || b[i] == b'>' {
            break;
        }
        count += 1;
        i += 1; // the first character of a name may be `=`
        while i < b.len()
            && !matches!(
                b[i],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'='
            )
        {
            i += 1;
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    i += 1;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    i += 1;
                }
                _ => {
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                }
            }
        }
    }
    count
}

/// One attribute of a tag as written: its name, its value (character references not
/// decoded, quotes left out) and where that value starts in the text read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute<'a> {
    /// The name, as written (compare it ignoring ASCII case).
    pub name: &'a str,
    /// The value between its quotes, or as written when unquoted; empty when there is none.
    pub value: &'a str,
    /// Offset of the value's first byte (after an opening quote) in the text read.
    pub value_at: usize,
}

/// Reads the attributes of the tag whose name ends at `from` in `html`, by the rules of an
/// HTML tokenizer (as [`count_attributes`] counts them), calling `each` on each. Returns
/// the offset just after the tag's `>`, or `None` when the tag never ends.
pub fn read_tag<'a>(
    html: &'a str,
    from: usize,
    mut each: impl FnMut(Attribute<'a>),
) -> Option<usize> {
    let b = html.as_bytes();
    let mut i = from;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        match b.get(i) {
            None => return None,
            Some(b'>') => return Some(i + 1),
            Some(_) => {}
        }
        let name_at = i;
        i += 1; // the first character of a name may be `=`
        while i < b.len()
            && !matches!(
                b[i],
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>' | b'='
            )
        {
            i += 1;
        }
        let name = &html[name_at..i];
        let name_end = i;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            i = name_end;
            each(Attribute {
                name,
                value: "",
                value_at: name_end,
            });
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let (value_at, value_end) = match b.get(i) {
            Some(&q @ (b'"' | b'\'')) => {
                let start = i + 1;
                let end = start + html[start..].find(char::from(q))?;
                i = end + 1;
                (start, end)
            }
            _ => {
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                (start, i)
            }
        };
        each(Attribute {
            name,
            value: &html[value_at..value_end],
            value_at,
        });
    }
}

/// `value` with its character references decoded: the five of XML, `&nbsp;` and numeric
/// ones (all that sijill's Markdown renderer and the sanitizer write); any other is kept
/// as written.
pub fn decode_references(value: &str) -> std::borrow::Cow<'_, str> {
    if !value.contains('&') {
        return value.into();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let reference = rest[1..]
            .find(';')
            .filter(|&end| end <= 10)
            .and_then(|end| {
                let name = &rest[1..=end];
                let c = match name {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    "nbsp" => '\u{a0}',
                    _ => {
                        let number = name.strip_prefix('#')?;
                        let code = match number.strip_prefix(['x', 'X']) {
                            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                            None => number.parse().ok()?,
                        };
                        char::from_u32(code)
                            .filter(|&c| c != '\0')
                            .unwrap_or('\u{fffd}')
                    }
                };
                Some((c, end + 2))
            });
        match reference {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(body: &str) -> Vec<(usize, &'static str)> {
        check(body, 10, "content/reports/x.md")
            .into_iter()
            .map(|d| (d.line, d.code))
            .collect()
    }

    #[test]
    fn unclosed_swallowing_elements_and_comments_are_found() {
        assert_eq!(
            codes("Text.\n\n<script>\nalert(1)\n\nMore."),
            [(12, "unclosed-html")]
        );
        assert_eq!(codes("A\n\n<!-- note\n\nB"), [(12, "unclosed-html")]);
        // Inline, an unclosed comment is text (escaped), not a comment.
        assert!(codes("A <!-- note\n\nB").is_empty());
        assert_eq!(codes("<STYLE>x\n\nText"), [(10, "unclosed-html")]);
        assert_eq!(codes("<template>\n\nB"), [(10, "unclosed-html")]);
    }

    #[test]
    fn closed_ones_and_text_are_fine() {
        assert!(codes("A <!-- note --> B <script>x</script> C").is_empty());
        assert!(codes("<style>\np {}\n</style>\n\nText").is_empty());
        assert!(codes("`<script>` in code, and <!-->, and a < b").is_empty());
        assert!(codes("    <script>\n\nindented code").is_empty());
        assert!(codes("<b>bold</b> <scripts>").is_empty());
    }

    #[test]
    fn attributes_are_counted_as_a_tokenizer_would() {
        assert_eq!(count_attributes(" a=1 b='x y' c=\"p>q\" d>", 100), 4);
        assert_eq!(count_attributes(" href=\"x\"/>", 100), 1);
        assert_eq!(count_attributes(">", 100), 0);
        assert_eq!(count_attributes(&" a".repeat(1000), 65), 65);
        let many = format!("<p{}>x</p>", " a".repeat(100));
        assert_eq!(codes(&many), [(10, "html-too-many-attributes")]);
    }

    #[test]
    fn tags_are_read_as_a_tokenizer_would() {
        let html = "<img src='a b.png' alt=\"x > y\" hidden data-x=1/>rest";
        let mut seen = Vec::new();
        let end = read_tag(html, 4, |a| seen.push((a.name, a.value, a.value_at)));
        assert_eq!(&html[end.unwrap()..], "rest");
        assert_eq!(
            seen,
            [
                ("src", "a b.png", 10),
                ("alt", "x > y", 24),
                ("hidden", "", 37),
                ("data-x", "1/", 45)
            ]
        );
        assert_eq!(read_tag("<a href=\"x", 2, |_| {}), None);
        assert_eq!(
            decode_references("a&amp;b&#x27;&#39;&lt;&eacute;&"),
            "a&b''<&eacute;&"
        );
        assert_eq!(decode_references("plain"), "plain");
    }
}

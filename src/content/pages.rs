//! Pages beyond reports: `content/pages/<slug>.md`, published at `/<slug>/` (an about
//! page, the methodology, a contact page). A page has a title and a body, optionally a
//! language, the page it translates and its place in the footer; it is never counted,
//! listed, searched or exported as a report. Each file is checked by
//! [`super::validate::page`]; here are the rules between pages (a translation's original)
//! and the resolved [`SitePage`].

use std::collections::HashMap;

use super::diagnostics::Diagnostic;
use super::report::ReportLink;
use super::validate::Identity;

/// Where pages are, relative to the site root.
pub const PAGES_DIR: &str = "content/pages";

/// One page, valid and resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitePage {
    /// Its file name without `.md`; the page is `/<slug>/`.
    pub slug: String,
    /// Source file, relative to the site root with `/` separators.
    pub file: String,
    /// Title, plain text.
    pub title: String,
    /// BCP-47 language tag (the site's language when not given).
    pub lang: String,
    /// The slug of the page this one gives in another language.
    pub translation_of: Option<String>,
    /// Its place among the footer's links (smaller first; pages without come last).
    pub order: Option<i64>,
    /// One sentence for `<meta name="description">`.
    pub description: Option<String>,
    /// Links to reports found in the body, resolved to their ids.
    pub links: Vec<ReportLink>,
    /// The Markdown body.
    pub body: String,
}

impl SitePage {
    /// The page's folder from the site root (`about/`).
    pub fn rel(&self) -> String {
        [self.slug.as_str(), "/"].concat()
    }

    /// The order pages are listed in (footer, sitemap): by `order`, those without last,
    /// then by slug.
    pub fn sort_key(&self) -> (bool, i64, &str) {
        (
            self.order.is_none(),
            self.order.unwrap_or(0),
            self.slug.as_str(),
        )
    }
}

/// True for a path (from the site root) of `content/pages/` or in it: a page
/// (`content/pages/x.md`), anything deeper (refused), or the folder itself.
pub fn is_page_file(rel: &str) -> bool {
    rel.strip_prefix(PAGES_DIR)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The error for a file in a folder under `content/pages/`: pages are one level, each at
/// `/<slug>/`.
pub fn nested(file: &str) -> Diagnostic {
    Diagnostic::error(
        file,
        (0, 0),
        "nested-page",
        "pages are files directly in content/pages/, not in folders below it",
    )
    .with_help("move the file to content/pages/ (its name is its address: /<name>/)")
}

/// The rules between pages: a translation names a page that exists, is not itself a
/// translation, and has at most one translation per language (`identities` of every page
/// file read, `langs` the language of each valid one by slug).
pub(super) fn check(identities: &[Identity], langs: &HashMap<String, String>) -> Vec<Diagnostic> {
    let by_slug: HashMap<&str, &Identity> = identities.iter().map(|i| (i.id.as_str(), i)).collect();
    let mut problems = Vec::new();
    let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
    for page in identities {
        let Some(reference) = &page.translation_of else {
            continue;
        };
        let at = |code, message: String, help: &str| {
            Diagnostic::error(&page.file, reference.position, code, message).with_help(help)
        };
        match by_slug.get(reference.id.as_str()) {
            None => problems.push(at(
                "unknown-page",
                format!("there is no page `{}` to translate", reference.id),
                "write the slug of a page of content/pages/ (its file name without .md)",
            )),
            Some(original) if original.translation_of.is_some() => problems.push(at(
                "translation-of-translation",
                format!("`{}` is itself a translation", reference.id),
                "name the original page, the one the others translate",
            )),
            Some(original) => {
                let lang = langs.get(&page.id).map_or("", String::as_str);
                let original_lang = langs.get(&original.id).map_or("", String::as_str);
                if !lang.is_empty() && lang == original_lang {
                    problems.push(at(
                        "translation-same-language",
                        format!("this page and `{}` are both in `{lang}`", reference.id),
                        "give the translation its language with `lang:`",
                    ));
                } else if let Some(first) = seen
                    .get(&(&reference.id, lang))
                    .copied()
                    .or_else(|| seen.insert((&reference.id, lang), &page.file))
                    && !lang.is_empty()
                {
                    problems.push(at(
                        "duplicate-translation",
                        format!(
                            "{first} already translates `{}` into `{lang}`",
                            reference.id
                        ),
                        "keep one translation per language",
                    ));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_files_are_those_of_content_pages() {
        assert!(is_page_file("content/pages/about.md"));
        assert!(is_page_file("content/pages/deep/x.md"));
        assert!(is_page_file("content/pages"));
        assert!(!is_page_file("content/pages-old/x.md"));
        assert!(!is_page_file("content/reports/pages/x.md"));
        assert!(!is_page_file("content/about.md"));
    }
}

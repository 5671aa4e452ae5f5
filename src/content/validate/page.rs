//! Every rule of a page (`content/pages/<slug>.md`) that one file can tell: its slug (the
//! file name, which may not be a folder the site writes), `title`, `lang`,
//! `translation_of`, `order` and `description`, with the body checked as a report's is.
//! Whether a translation's original exists is checked once every page is read
//! ([`crate::content::pages`]).

use super::checker::{Checker, MAX_SLUG_BYTES};
use super::dates::is_valid_id;
use super::{Context, Identity, Reference, labels, language, read, top_level_value};
use crate::content::diagnostics::Diagnostic;
use crate::content::links;
use crate::content::pages::SitePage;
use crate::content::raw::{PAGE_KEYS, RawPage};
use crate::content::report::ReportLink;
use crate::content::text::FieldKind;

/// What is known of one page file after parsing it.
#[derive(Debug, Clone)]
pub struct ParsedPage {
    /// The page, when the file has no errors.
    pub page: Option<SitePage>,
    /// Its slug and links, whenever the front matter could be read (for the rules that
    /// need every file: links to reports, local files, translations).
    pub identity: Option<Identity>,
    /// Every problem found in the file.
    pub problems: Vec<Diagnostic>,
}

/// Parses and checks the page file `file` (`content/pages/<slug>.md`). `reserved` are the
/// first segments of what the site writes besides pages (`reports`, `search`, `data`):
/// a page of that slug would be written over them, or they over it.
pub fn parse_page(file: &str, text: &str, ctx: &Context, reserved: &[String]) -> ParsedPage {
    let (split, mut c, raw) = match read::read::<RawPage>(file, text) {
        Ok(read) => read,
        Err(problems) => {
            return ParsedPage {
                page: None,
                identity: None,
                problems,
            };
        }
    };
    c.unknown_keys("", &raw.unknown, PAGE_KEYS);
    let slug = slug(&mut c, reserved);
    let title = labels::title(&mut c, &raw.title, "About this archive").to_string();
    let lang = language::language(&mut c, raw.lang.as_deref(), ctx);
    let translation_of = translation_of(&mut c, &raw.translation_of, &slug);
    let description = raw.description.as_deref().map(str::trim).map(String::from);
    if let Some(d) = &description {
        c.characters("description", "`description`", d, FieldKind::Text);
    }
    let found = links::find(split.body, split.body_line, file);
    let identity = Identity {
        file: file.to_string(),
        id: slug.clone(),
        id_position: None,
        draft: false,
        links: found.links,
        files: found.files,
        updates: None,
        translation_of: translation_of.as_ref().map(|id| Reference {
            id: id.clone(),
            position: match top_level_value(split.yaml, "translation_of") {
                Some(p) => c.pos.shift(p),
                None => c.pos.value("translation_of"),
            },
        }),
    };
    c.problems.extend(crate::content::html::check(
        split.body,
        split.body_line,
        file,
    ));
    c.problems.extend(crate::content::text::body_problems(
        split.body,
        split.body_line,
        file,
    ));
    let page = (!c.problems.iter().any(Diagnostic::is_error)).then(|| SitePage {
        slug,
        file: file.to_string(),
        title,
        lang,
        translation_of,
        order: raw.order,
        description,
        links: identity
            .links
            .iter()
            .map(|l| ReportLink {
                dest: l.dest.clone(),
                target_file: l.target_file.clone(),
                target: String::new(),
                position: l.position,
            })
            .collect(),
        body: split.body.to_string(),
    });
    ParsedPage {
        page,
        identity: Some(identity),
        problems: c.problems,
    }
}

/// The page's slug, its file name: lowercase letters, digits and single hyphens, not a
/// folder the site writes for something else.
fn slug(c: &mut Checker, reserved: &[String]) -> String {
    let name = c.file.rsplit('/').next().unwrap_or(c.file);
    let slug = name.strip_suffix(".md").unwrap_or(name).to_string();
    if slug.len() > MAX_SLUG_BYTES || !is_valid_id(&slug) {
        c.error(
            (1, 1),
            "invalid-slug",
            format!("the file name `{slug}` is not a valid page slug"),
        )
        .help = Some(format!(
            "name the file with lowercase letters, digits and single hyphens, at most \
             {MAX_SLUG_BYTES} bytes: the page is published at /<file name>/ \
             (content/pages/about.md at /about/)"
        ));
    } else if reserved.contains(&slug) {
        c.error(
            (1, 1),
            "reserved-slug",
            format!("a page cannot be called `{slug}`: the site writes /{slug}/ itself"),
        )
        .help = Some(format!(
            "rename the file (e.g. content/pages/{slug}-info.md); these names are taken: {}",
            reserved.join(", ")
        ));
    }
    slug
}

/// The slug written as `translation_of`, when it is one and not the page's own.
fn translation_of(c: &mut Checker, written: &Option<String>, own: &str) -> Option<String> {
    let target = written.as_deref()?.trim();
    if !is_valid_id(target) {
        c.at_value(
            "translation_of",
            "invalid-reference",
            format!("`{target}` is not a page slug"),
        )
        .help = Some(
            "write the slug of the page this one translates: its file name without .md, e.g. \
             `translation_of: methodology`"
                .into(),
        );
        return None;
    }
    if target == own {
        c.at_value(
            "translation_of",
            "translation-of-itself",
            "a page cannot be its own translation".into(),
        )
        .help = Some("`translation_of:` names the page this one translates".into());
        return None;
    }
    Some(target.to_string())
}

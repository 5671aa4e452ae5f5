//! Readers of the pages sijill wrote, for the assertions of the tests: the totals block,
//! the links, the text and elements of a page. All of them split HTML with the
//! independent reader of [`super::html`], never with string searches of their own.

use std::collections::{BTreeMap, BTreeSet};

use super::html;

/// The tags of a page sijill wrote, split by the independent reader of [`html`]; panics,
/// naming why, on markup that reader cannot read.
pub fn read_tags(page: &str) -> Vec<html::Tag> {
    html::tags(page).unwrap_or_else(|why| panic!("unreadable HTML ({why}):\n{page}"))
}

/// Whether `tag` has `class` among its classes.
pub fn has_class(tag: &html::Tag, class: &str) -> bool {
    tag.attr("class")
        .is_some_and(|classes| classes.split_whitespace().any(|c| c == class))
}

/// The content (between start and end tag) of every element of `page` that `is` picks,
/// outermost first; elements of the same name nested inside one are counted, not picked.
pub fn elements(page: &str, is: impl Fn(&html::Tag) -> bool) -> Vec<&str> {
    let tags = read_tags(page);
    let mut found = Vec::new();
    let mut i = 0;
    while i < tags.len() {
        let open = &tags[i];
        if open.closing || !is(open) {
            i += 1;
            continue;
        }
        let mut depth = 0usize;
        let close = tags[i + 1..]
            .iter()
            .position(|t| match (t.name == open.name, t.closing) {
                (true, true) if depth == 0 => true,
                (true, true) => {
                    depth -= 1;
                    false
                }
                (true, false) => {
                    depth += 1;
                    false
                }
                _ => false,
            })
            .map(|p| p + i + 1)
            .unwrap_or_else(|| panic!("<{}> at byte {} is never closed", open.name, open.start));
        found.push(&page[open.end..tags[close].start]);
        i = close + 1;
    }
    found
}

/// The content of the first element of `page` that `is` picks, if any.
pub fn element(page: &str, is: impl Fn(&html::Tag) -> bool) -> Option<&str> {
    elements(page, is).into_iter().next()
}

/// The text of an HTML fragment: its tags dropped, character references decoded, trimmed.
pub fn text_of(fragment: &str) -> String {
    let mut text = String::new();
    let mut from = 0;
    for tag in read_tags(fragment) {
        text.push_str(&fragment[from..tag.start]);
        from = tag.end;
    }
    text.push_str(&fragment[from..]);
    html::decode_refs(text.trim())
}

/// The totals block of a place, date or term page (`<dl class="totals">`) as
/// `field → shown value`; empty when the page shows no totals.
pub fn page_totals(page: &str) -> BTreeMap<String, String> {
    let Some(block) = element(page, |t| t.name == "dl" && has_class(t, "totals")) else {
        return BTreeMap::new();
    };
    let fields = elements(block, |t| t.name == "dt");
    let values = elements(block, |t| t.name == "dd");
    assert_eq!(fields.len(), values.len(), "a <dd> for each <dt>: {block}");
    fields
        .into_iter()
        .zip(values)
        .map(|(field, value)| (text_of(field), text_of(value)))
        .collect()
}

/// `[("killed", "at least 50"), …]` as a map, for comparing with [`page_totals`].
pub fn shown(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Every `href` and `src` value of `page`, character references decoded.
pub fn links(page: &str) -> Vec<String> {
    read_tags(page)
        .iter()
        .flat_map(|tag| &tag.attrs)
        .filter(|(name, _)| name == "href" || name == "src")
        .map(|(_, value)| html::decode_refs(value))
        .collect()
}

/// Ids of the reports linked from `html` (`href="<base>reports/<id>/"`), as a set.
pub fn listed_reports(html: &str, base: &str) -> BTreeSet<String> {
    let prefix = format!("{base}reports/");
    links(html)
        .into_iter()
        .filter_map(|l| {
            l.strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix('/'))
                .map(str::to_string)
        })
        .collect()
}

/// How many times `<base>reports/<id>/` is linked from `html`.
pub fn link_count(html: &str, target: &str) -> usize {
    links(html).iter().filter(|l| *l == target).count()
}

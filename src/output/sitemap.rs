//! `sitemap.xml` (a sitemap index with `sitemaps/N.xml` once past 50,000 URLs, as the
//! protocol requires) and `robots.txt` pointing to it.

use std::collections::HashMap;
use std::fmt::Write;

use super::feeds::xml_escape;
use super::{OutputError, Recording};
use crate::archive::Archive;
use crate::render::Urls;

/// URLs per sitemap file (the protocol's limit).
pub const MAX_URLS: usize = 50_000;

/// The other-language versions of pages: page → (language, page) of every version,
/// itself included, as the protocol's `xhtml:link` wants them.
pub type Alternates = HashMap<String, Vec<(String, String)>>;

/// The [`Alternates`] of `archive`: each report and each page of `content/pages/` that has
/// translations, or is one.
pub fn alternates(archive: &Archive) -> Alternates {
    let mut map = Alternates::new();
    for i in 0..archive.pages.len() {
        let versions = archive.page_versions(i);
        if versions.len() > 1 {
            let versions: Vec<(String, String)> =
                versions.iter().map(|v| (v.lang.clone(), v.rel())).collect();
            map.insert(archive.pages[i].rel(), versions);
        }
    }
    for i in 0..archive.reports.len() {
        let account = archive.account(i as u32);
        if !account.translations.is_empty() && account.translation_of.is_none() {
            let versions: Vec<(String, String)> = std::iter::once(i as u32)
                .chain(account.translations.iter().copied())
                .map(|v| {
                    let v = &archive.reports[v as usize];
                    (v.lang.clone(), Urls::report(&v.id))
                })
                .collect();
            for (_, page) in &versions {
                map.insert(page.clone(), versions.clone());
            }
        }
    }
    map
}

fn urlset(urls: &Urls, pages: &[String], alternates: &Alternates) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"",
    );
    let linked = pages.iter().any(|p| alternates.contains_key(p));
    if linked {
        out.push_str(" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"");
    }
    out.push_str(">\n");
    for p in pages {
        let _ = write!(out, "<url><loc>{}</loc>", xml_escape(&urls.absolute(p)));
        for (lang, page) in alternates.get(p).into_iter().flatten() {
            let _ = write!(
                out,
                "<xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>",
                xml_escape(lang),
                xml_escape(&urls.absolute(page))
            );
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// Writes the sitemap of `files` (output paths of the HTML pages as
/// [`crate::render::pages::page_file`] names them, e.g. `places/syria/index.html`: the
/// sitemap lists the very files the renderer writes). Returns the number of files written.
pub fn write_sitemap(
    urls: &Urls,
    files: &[String],
    alternates: &Alternates,
    out: &Recording,
) -> Result<usize, OutputError> {
    let mut pages: Vec<String> = files
        .iter()
        .filter(|f| f.ends_with("index.html"))
        .map(|f| f.trim_end_matches("index.html").to_string())
        .collect();
    pages.sort();
    let mut written = 1;
    if pages.len() <= MAX_URLS {
        out.write("sitemap.xml", urlset(urls, &pages, alternates).as_bytes())?;
    } else {
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (n, chunk) in pages.chunks(MAX_URLS).enumerate() {
            let rel = format!("sitemaps/{}.xml", n + 1);
            out.write(&rel, urlset(urls, chunk, alternates).as_bytes())?;
            let _ = writeln!(
                index,
                "<sitemap><loc>{}</loc></sitemap>",
                xml_escape(&urls.absolute(&rel))
            );
            written += 1;
        }
        index.push_str("</sitemapindex>\n");
        out.write("sitemap.xml", index.as_bytes())?;
    }
    Ok(written)
}

/// Writes `robots.txt`, allowing every page and pointing to the sitemap (when the site's
/// URLs are absolute: the protocol wants an absolute sitemap URL). Returns the number of
/// files written. (Whether to write it is [`super::jobs::writes_robots`].)
pub fn write_robots(urls: &Urls, out: &Recording) -> Result<usize, OutputError> {
    let mut robots = String::from("User-agent: *\nAllow: /\n");
    if urls.is_absolute() {
        let _ = writeln!(robots, "Sitemap: {}", urls.absolute("sitemap.xml"));
    }
    out.write("robots.txt", robots.as_bytes())?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_fifty_thousand_urls_the_sitemap_becomes_an_index() {
        let dir = std::env::temp_dir().join(format!("sijill-sitemap-{}", std::process::id()));
        let site = super::super::StagedSite::begin(&dir.join("out"), &dir, false).unwrap();
        let out = Recording::new(site.writer());
        let files: Vec<String> = (0..MAX_URLS + 1)
            .map(|i| format!("reports/r{i}/index.html"))
            .collect();
        let urls = Urls::new("https://example.org/a/");
        assert_eq!(
            write_sitemap(&urls, &files, &Alternates::new(), &out).unwrap(),
            3
        );
        let index = std::fs::read_to_string(out.path().join("sitemap.xml")).unwrap();
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://example.org/a/sitemaps/2.xml</loc>"));
        let second = std::fs::read_to_string(out.path().join("sitemaps/2.xml")).unwrap();
        assert_eq!(second.matches("<url>").count(), 1);
        drop(out);
        drop(site);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

//! `sitemap.xml` (a sitemap index with `sitemaps/N.xml` once past 50,000 URLs, as the
//! protocol requires) and `robots.txt` pointing to it.

use std::fmt::Write;

use super::feeds::xml_escape;
use super::{OutputError, Staging};
use crate::render::Urls;

/// URLs per sitemap file (the protocol's limit).
pub const MAX_URLS: usize = 50_000;

fn urlset(urls: &Urls, pages: &[String]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        let _ = writeln!(
            out,
            "<url><loc>{}</loc></url>",
            xml_escape(&urls.absolute(p))
        );
    }
    out.push_str("</urlset>\n");
    out
}

/// Writes the sitemap of `files` (output paths of the HTML pages as
/// [`crate::render::pages::page_file`] names them, e.g. `places/syria/index.html`: the
/// sitemap lists the very files the renderer writes) and, with `robots`, `robots.txt` (a site may have its own in
/// `static/`). Returns the number of files written.
pub fn write_sitemap(
    urls: &Urls,
    files: &[String],
    robots: bool,
    staging: &Staging,
) -> Result<usize, OutputError> {
    let mut pages: Vec<String> = files
        .iter()
        .filter(|f| f.ends_with("index.html"))
        .map(|f| f.trim_end_matches("index.html").to_string())
        .collect();
    pages.sort();
    let mut written = 1;
    if pages.len() <= MAX_URLS {
        staging.write("sitemap.xml", urlset(urls, &pages).as_bytes())?;
    } else {
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (n, chunk) in pages.chunks(MAX_URLS).enumerate() {
            let rel = format!("sitemaps/{}.xml", n + 1);
            staging.write(&rel, urlset(urls, chunk).as_bytes())?;
            let _ = writeln!(
                index,
                "<sitemap><loc>{}</loc></sitemap>",
                xml_escape(&urls.absolute(&rel))
            );
            written += 1;
        }
        index.push_str("</sitemapindex>\n");
        staging.write("sitemap.xml", index.as_bytes())?;
    }
    if robots {
        let mut robots = String::from("User-agent: *\nAllow: /\n");
        if urls.is_absolute() {
            let _ = writeln!(robots, "Sitemap: {}", urls.absolute("sitemap.xml"));
        }
        staging.write("robots.txt", robots.as_bytes())?;
        written += 1;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_fifty_thousand_urls_the_sitemap_becomes_an_index() {
        let dir = std::env::temp_dir().join(format!("sijill-sitemap-{}", std::process::id()));
        let staging = Staging::begin(&dir.join("out"), &dir, false).unwrap();
        let files: Vec<String> = (0..MAX_URLS + 1)
            .map(|i| format!("reports/r{i}/index.html"))
            .collect();
        let urls = Urls::new("https://example.org/a/");
        assert_eq!(write_sitemap(&urls, &files, true, &staging).unwrap(), 4);
        let index = std::fs::read_to_string(staging.path().join("sitemap.xml")).unwrap();
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://example.org/a/sitemaps/2.xml</loc>"));
        let second = std::fs::read_to_string(staging.path().join("sitemaps/2.xml")).unwrap();
        assert_eq!(second.matches("<url>").count(), 1);
        drop(staging);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

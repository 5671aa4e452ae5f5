//! Atom feeds (RFC 4287): the latest reports of the whole archive, of each place and of each
//! incident type. Entry ids are URNs made from report ids, so they stay the same across
//! builds and even if the site moves; links are absolute under the base URL.

use std::fmt::Write;
use std::sync::OnceLock;

use rayon::prelude::*;

use super::{OutputError, Recording};
use crate::archive::{Archive, TaxonomyKind};
use crate::content::Report;
use crate::license::License;
use crate::render::Urls;
use crate::render::i18n::Ui;
use crate::render::numbers::grouped;
use crate::render::views::escape;

/// Entries in the site-wide feed.
pub const SITE_FEED_ENTRIES: usize = 50;
/// Entries in a place or incident-type feed.
pub const PAGE_FEED_ENTRIES: usize = 20;

/// Escapes text for XML content and attribute values: the HTML escaping, without the
/// characters XML 1.0 does not allow (controls, U+FFFE, U+FFFF).
pub fn xml_escape(s: &str) -> String {
    let allowed = crate::content::text::is_xml_char;
    if s.chars().all(allowed) {
        escape(s)
    } else {
        escape(&s.chars().filter(|c| allowed(*c)).collect::<String>())
    }
}

fn timestamp(date: chrono::NaiveDate) -> String {
    format!("{date}T00:00:00Z")
}

/// Places an entry's summary names. A report is in the feed of each of its places: naming
/// every place in every entry made a report of N places N² bytes of feeds (250 bare
/// locations, 1.2 MB); past this the summary says how many more there are.
pub const ENTRY_PLACES: usize = 10;

/// One `<entry>`.
fn entry(out: &mut String, urls: &Urls, r: &Report, ui: Ui) {
    let mut summary = ui.period(r.period);
    let places: Vec<&str> = r
        .locations
        .iter()
        .take(ENTRY_PLACES)
        .map(|l| l.path.as_str())
        .collect();
    let _ = write!(summary, " · {}", places.join("; "));
    if let Some(more) = r
        .locations
        .len()
        .checked_sub(ENTRY_PLACES)
        .filter(|n| *n > 0)
    {
        let _ = write!(
            summary,
            "; {}",
            ui.get("more_places").replace("{n}", &grouped(more as u64))
        );
    }
    let casualties = ui.casualties(&r.casualties);
    if !casualties.is_empty() {
        let _ = write!(summary, " · {casualties}");
    }
    let _ = write!(
        out,
        "<entry>\n<title>{}</title>\n<id>urn:sijill:report:{}</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<published>{}</published>\n<updated>{}</updated>\n<summary>{}</summary>\n",
        xml_escape(&r.title),
        r.id,
        xml_escape(&urls.absolute(&Urls::report(&r.id))),
        timestamp(r.date),
        timestamp(r.date),
        xml_escape(&summary),
    );
    for t in &r.incident_types {
        let _ = writeln!(out, "<category term=\"{}\"/>", xml_escape(t));
    }
    out.push_str("</entry>\n");
}

/// `<rights>` and `<link rel="license">` for `license`, worded with `ui`.
fn rights(license: &License, ui: Ui) -> String {
    let mut text = format!("{} ({}): {}", license.title, license.id, license.url);
    if let Some(credit) = &license.attribution {
        let _ = write!(text, " · {}: {credit}", ui.get("credit"));
    }
    format!(
        "<rights>{}</rights>\n<link rel=\"license\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&text),
        xml_escape(&license.url)
    )
}

/// One feed: its title, the page it belongs to (its file is `rel` + `feed.xml`) and the
/// reports it lists, newest first.
struct Feed {
    title: String,
    rel: String,
    latest: Vec<u32>,
}

/// The feeds of a site and what they share.
pub struct Feeds<'a> {
    archive: &'a Archive,
    urls: &'a Urls,
    site_title: &'a str,
    lang: &'a str,
    /// `<rights>` and the `license` link (RFC 4946) of every feed, when the site states a
    /// licence.
    rights: String,
    feeds: Vec<Feed>,
    /// The `<entry>` of each report that is in more than one feed, written the first time a
    /// feed takes it (a recent report is in the site feed, in the feed of each level of its
    /// places and of its incident types). Entries used once are not kept.
    shared: Vec<Option<OnceLock<String>>>,
}

impl<'a> Feeds<'a> {
    /// The feeds of `archive`: the site's, each place's and each incident type's, titled
    /// after the site, worded in its language and under its licence.
    pub fn new(
        archive: &'a Archive,
        urls: &'a Urls,
        site_title: &'a str,
        lang: &'a str,
        license: Option<&License>,
    ) -> Self {
        let latest = |reports: &[u32], limit: usize| reports[..reports.len().min(limit)].to_vec();
        let mut feeds = vec![Feed {
            title: site_title.to_string(),
            rel: String::new(),
            latest: (0..archive.reports.len().min(SITE_FEED_ENTRIES) as u32).collect(),
        }];
        feeds.extend(archive.places.nodes.iter().map(|node| Feed {
            title: format!("{site_title}: {}", node.path),
            rel: Urls::place(&node.slug_path),
            latest: latest(&node.reports, PAGE_FEED_ENTRIES),
        }));
        let types = archive
            .taxonomies
            .iter()
            .find(|t| t.kind == TaxonomyKind::IncidentTypes)
            .map_or(&[][..], |t| &t.terms[..]);
        feeds.extend(types.iter().map(|term| Feed {
            title: format!("{site_title}: {}", term.name),
            rel: Urls::term(TaxonomyKind::IncidentTypes, &term.slug),
            latest: latest(&term.reports, PAGE_FEED_ENTRIES),
        }));
        let mut uses = vec![0u8; archive.reports.len()];
        for &i in feeds.iter().flat_map(|f| &f.latest) {
            uses[i as usize] = uses[i as usize].saturating_add(1);
        }
        let ui = Ui::for_lang(lang).unwrap_or(Ui::En);
        Feeds {
            archive,
            urls,
            site_title,
            lang,
            rights: license.map_or_else(String::new, |l| rights(l, ui)),
            feeds,
            shared: uses.iter().map(|&n| (n > 1).then(OnceLock::new)).collect(),
        }
    }

    /// The whole XML of `feed`.
    fn xml(&self, feed: &Feed) -> String {
        let urls = self.urls;
        let latest = &feed.latest;
        let page_rel = feed.rel.as_str();
        let updated = latest
            .iter()
            .map(|&i| self.archive.reports[i as usize].date)
            .max()
            .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), timestamp);
        let mut out = String::with_capacity(1024 + latest.len() * 600);
        let _ = write!(
            out,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n<title>{}</title>\n<id>urn:sijill:feed:{}</id>\n<updated>{updated}</updated>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n<author><name>{}</name></author>\n{}<generator>sijill</generator>\n",
            xml_escape(self.lang),
            xml_escape(&feed.title),
            xml_escape(if page_rel.is_empty() { "/" } else { page_rel }),
            xml_escape(&urls.absolute(&format!("{page_rel}feed.xml"))),
            xml_escape(&urls.absolute(page_rel)),
            xml_escape(self.site_title),
            self.rights,
        );
        let ui = Ui::for_lang(self.lang).unwrap_or(Ui::En);
        for &i in latest {
            let report = &self.archive.reports[i as usize];
            match &self.shared[i as usize] {
                Some(kept) => out.push_str(kept.get_or_init(|| {
                    let mut xml = String::with_capacity(600);
                    entry(&mut xml, urls, report, ui);
                    xml
                })),
                None => entry(&mut out, urls, report, ui),
            }
        }
        out.push_str("</feed>\n");
        out
    }

    /// Writes `feed.xml`, `places/…/feed.xml` and `types/<slug>/feed.xml`. Returns the count.
    pub fn write(&self, writer: &Recording) -> Result<usize, OutputError> {
        self.feeds.par_iter().try_for_each(|feed| {
            writer.write(&format!("{}feed.xml", feed.rel), self.xml(feed).as_bytes())
        })?;
        Ok(self.feeds.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            xml_escape("<a href='x'>&\u{1}</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
    }
}

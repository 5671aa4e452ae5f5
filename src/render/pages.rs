//! The single source of the site's output paths: every page of the site as a [`Page`], and
//! the file each is written to. The renderer, the sitemap and the preview all enumerate
//! pages here, so a page cannot be rendered at one path and listed at another.

use chrono::NaiveDate;

use super::Urls;
use crate::archive::{Archive, Listing, TaxonomyKind};

/// One page of the site. Indices are into the archive's reports, places and taxonomies;
/// `page` is the 1-based page of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Page {
    /// `/`
    Home,
    /// `/reports/<id>/`.
    Report {
        /// Index of the report.
        report: u32,
    },
    /// `/places/`
    Places,
    /// `/places/<path>/`, page n.
    Place {
        /// Index of the place's node.
        place: usize,
        /// Page of the place's listing.
        page: usize,
    },
    /// `/dates/`
    Dates,
    /// `/dates/YYYY/`, page n.
    Year {
        /// The year.
        year: i32,
        /// Page of the year's listing.
        page: usize,
    },
    /// `/dates/YYYY/MM/`, page n.
    Month {
        /// The year.
        year: i32,
        /// The month, 1 to 12.
        month: u32,
        /// Page of the month's listing.
        page: usize,
    },
    /// `/dates/YYYY/MM/DD/`, page n.
    Day {
        /// The day.
        date: NaiveDate,
        /// Page of the day's listing.
        page: usize,
    },
    /// `/types/`, `/perpetrators/`, `/tags/`.
    Taxonomy {
        /// Index of the taxonomy.
        taxonomy: usize,
    },
    /// `/types/<term>/`, …, page n.
    Term {
        /// Index of the taxonomy.
        taxonomy: usize,
        /// Index of the term in its taxonomy.
        term: usize,
        /// Page of the term's listing.
        page: usize,
    },
    /// `/search/`
    Search,
    /// `/<slug>/`: a page of `content/pages/` (about, methodology, contact).
    SitePage {
        /// Index of the page in the archive's pages.
        page: usize,
    },
    /// `/404.html`, served by GitHub Pages for missing pages (links work from any depth).
    NotFound,
}

impl Page {
    /// The listing this page is a page of, and which page; `None` for pages that are not.
    pub fn listing(self) -> Option<(Listing, usize)> {
        match self {
            Page::Place { place, page } => Some((Listing::Place(place), page)),
            Page::Year { year, page } => Some((Listing::Year(year), page)),
            Page::Month { year, month, page } => Some((Listing::Month(year, month), page)),
            Page::Day { date, page } => Some((Listing::Day(date), page)),
            Page::Term {
                taxonomy,
                term,
                page,
            } => Some((Listing::Term(taxonomy, term), page)),
            _ => None,
        }
    }

    /// Page `page` of `listing`.
    pub fn of_listing(listing: Listing, page: usize) -> Page {
        match listing {
            Listing::Place(place) => Page::Place { place, page },
            Listing::Year(year) => Page::Year { year, page },
            Listing::Month(year, month) => Page::Month { year, month, page },
            Listing::Day(date) => Page::Day { date, page },
            Listing::Term(taxonomy, term) => Page::Term {
                taxonomy,
                term,
                page,
            },
        }
    }
}

/// The pages every site has once.
pub(crate) const SITE_PAGES: [Page; 5] = [
    Page::Home,
    Page::Places,
    Page::Dates,
    Page::Search,
    Page::NotFound,
];

/// How listings are cut into pages: `per_page` reports a page (`site.yaml`), and at most
/// `max_pages` pages. A listing longer than that shows its newest reports and leads to the
/// rest through the search (and the places, months and days below it): the pages past the
/// tenth of Syria, a year or a term repeated what those hold, a seventh of a 100,000-report
/// site (see "Size on GitHub Pages" in docs/design.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// Reports on each page.
    pub per_page: usize,
    /// Pages of a listing, at most.
    pub max_pages: usize,
}

impl Paging {
    /// The paging `site.yaml` asks for.
    pub fn of(config: &crate::config::SiteConfig) -> Paging {
        Paging {
            per_page: config.per_page,
            max_pages: config.max_pages,
        }
    }

    /// How many pages a listing of `reports` takes (one when empty, `max_pages` at most).
    pub fn count(self, reports: usize) -> usize {
        reports.div_ceil(self.per_page).clamp(1, self.max_pages)
    }

    /// Whether a listing of `reports` has more than its pages show.
    pub fn cut(self, reports: usize) -> bool {
        reports > self.per_page.saturating_mul(self.max_pages)
    }

    /// The page numbers the pages of a listing of `total` pages link from page `current`:
    /// the first, the last, and two either side of the current one, `None` standing for
    /// the pages left out between them. A gap of one page shows that page instead (an
    /// ellipsis would take as much room); one page alone needs no numbers.
    pub fn numbers(current: usize, total: usize) -> Vec<Option<usize>> {
        if total <= 1 {
            return Vec::new();
        }
        let window = current.saturating_sub(2).max(1)..=(current + 2).min(total);
        let mut shown: Vec<usize> = std::iter::once(1)
            .chain(window)
            .chain(std::iter::once(total))
            .collect();
        shown.dedup();
        let mut numbers = Vec::with_capacity(shown.len() + 2);
        for (i, &n) in shown.iter().enumerate() {
            if let Some(&before) = i.checked_sub(1).and_then(|j| shown.get(j)) {
                match n - before {
                    2 => numbers.push(Some(before + 1)),
                    gap if gap > 2 => numbers.push(None),
                    _ => {}
                }
            }
            numbers.push(Some(n));
        }
        numbers
    }

    /// The reports page `p` (1-based) of a listing of `list` shows (empty past its end).
    pub fn slice(self, list: &[u32], p: usize) -> &[u32] {
        let end = (p * self.per_page).min(list.len());
        &list[((p - 1) * self.per_page).min(end)..end]
    }
}

/// Every page of a site, in a stable order.
pub fn site_pages(archive: &Archive, paging: Paging) -> Vec<Page> {
    let a = archive;
    let mut pages = SITE_PAGES.to_vec();
    pages.extend((0..a.pages.len()).map(|page| Page::SitePage { page }));
    pages.extend((0..a.reports.len() as u32).map(|report| Page::Report { report }));
    pages.extend((0..a.taxonomies.len()).map(|taxonomy| Page::Taxonomy { taxonomy }));
    for listing in a.listings() {
        pages.extend(listing_pages(a, listing, paging));
    }
    pages
}

/// Every page of `listing` in `archive`.
pub(crate) fn listing_pages(
    archive: &Archive,
    listing: Listing,
    paging: Paging,
) -> impl Iterator<Item = Page> + use<> {
    let count = paging.count(archive.listed(listing).len());
    (1..=count).map(move |p| Page::of_listing(listing, p))
}

/// The folder of a listing's first page (`places/syria/`, `dates/2019/03/`, …).
pub(crate) fn listing_rel(archive: &Archive, listing: Listing) -> String {
    let a = archive;
    match listing {
        Listing::Place(n) => Urls::place(&a.places.nodes[n].slug_path),
        Listing::Year(y) => Urls::year(y),
        Listing::Month(y, m) => Urls::month(y, m),
        Listing::Day(d) => Urls::day(d),
        Listing::Term(t, i) => {
            let tax = &a.taxonomies[t];
            Urls::term(tax.kind, &tax.terms[i].slug)
        }
    }
}

/// The file of a page every site has, whatever its reports ([`SITE_PAGES`]); `None` for
/// the others.
fn fixed_file(page: Page) -> Option<String> {
    let dir = match page {
        Page::NotFound => return Some("404.html".to_string()),
        Page::Home => "",
        Page::Places => "places/",
        Page::Dates => "dates/",
        Page::Search => "search/",
        _ => return None,
    };
    Some(format!("{dir}index.html"))
}

/// The files of the pages every site has, whatever its reports: [`SITE_PAGES`] and each
/// taxonomy's index (`types/index.html`). A report's body may link them.
pub fn fixed_page_files() -> Vec<String> {
    let mut files: Vec<String> = SITE_PAGES.iter().filter_map(|&p| fixed_file(p)).collect();
    files.extend(
        TaxonomyKind::ALL
            .iter()
            .map(|k| format!("{}/index.html", k.folder())),
    );
    files
}

/// The first segment of the folder of every other page (a report, place, date or term:
/// `reports`, `places`, `dates`, `types`, …), whose pages come and go with the reports.
pub fn page_folders() -> Vec<String> {
    let mut folders = vec![
        Urls::report("x"),
        "places/".to_string(),
        "dates/".to_string(),
    ];
    folders.extend(TaxonomyKind::ALL.iter().map(|k| format!("{}/", k.folder())));
    folders
        .iter()
        .map(|f| f.split('/').next().unwrap_or_default().to_string())
        .collect()
}

/// Folders of what the site writes besides its pages and their folders: the exports.
const EXPORT_FOLDERS: &[&str] = &["data", "sitemaps"];

/// The names a page of `content/pages/` may not take (its folder would be another's):
/// the first segments of `site_files` and `page_folders` ([`fixed_page_files`],
/// [`page_folders`]) and the exports' folders, sorted.
pub fn reserved_slugs(site_files: &[String], page_folders: &[String]) -> Vec<String> {
    let mut names: Vec<String> = site_files
        .iter()
        .chain(page_folders)
        .filter_map(|f| Some(f.split('/').next()?.to_string()))
        .chain(EXPORT_FOLDERS.iter().map(ToString::to_string))
        // Files (`style.css`, `404.html`) are not slugs; only folders can clash.
        .filter(|n| !n.contains('.') && !n.is_empty())
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The file a page is written to (`places/syria/page/2/index.html`, `404.html`).
pub fn page_file(archive: &Archive, page: Page) -> String {
    let a = archive;
    if let Some(file) = fixed_file(page) {
        return file;
    }
    let dir = match page {
        Page::NotFound | Page::Home | Page::Places | Page::Dates | Page::Search => {
            unreachable!("a page every site has: {page:?}")
        }
        Page::Report { report } => Urls::report(&a.reports[report as usize].id),
        Page::SitePage { page } => a.pages[page].rel(),
        Page::Taxonomy { taxonomy } => format!("{}/", a.taxonomies[taxonomy].kind.folder()),
        Page::Place { .. }
        | Page::Year { .. }
        | Page::Month { .. }
        | Page::Day { .. }
        | Page::Term { .. } => {
            let (listing, p) = page.listing().expect("a page of a listing");
            Urls::page(&listing_rel(a, listing), p)
        }
    };
    dir + "index.html"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_may_not_take_the_folders_the_site_writes() {
        let files = fixed_page_files();
        let reserved = reserved_slugs(&files, &page_folders());
        assert_eq!(
            reserved,
            [
                "data",
                "dates",
                "perpetrators",
                "places",
                "reports",
                "search",
                "sitemaps",
                "tags",
                "types"
            ]
        );
    }

    fn shown(current: usize, total: usize) -> String {
        Paging::numbers(current, total)
            .iter()
            .map(|n| n.map_or("…".to_string(), |n| n.to_string()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn page_numbers_are_the_ends_and_a_window_around_the_current_page() {
        assert_eq!(shown(1, 1), "");
        assert_eq!(shown(1, 2), "1 2");
        assert_eq!(shown(1, 100), "1 2 3 … 100");
        assert_eq!(shown(50, 100), "1 … 48 49 50 51 52 … 100");
        assert_eq!(shown(100, 100), "1 … 98 99 100");
        // A gap of one page shows the page.
        assert_eq!(shown(5, 10), "1 2 3 4 5 6 7 … 10");
        assert_eq!(shown(4, 7), "1 2 3 4 5 6 7");
    }
}

//! Bounds on what one report may ask of a build. Reports arrive in strangers' pull requests:
//! each bound is far above anything a real report needs and far below what would make one
//! small file exhaust a CI runner (every place prefix, day and term is a page of its own, so
//! a seven-line report could otherwise ask for half a million pages). `check` refuses a
//! report past a bound with an error at its line that names the bound; docs/format.md lists
//! them.
//!
//! Bounds kept elsewhere, next to what they protect: the file size
//! ([`super::MAX_REPORT_BYTES`]), YAML nesting ([`super::yaml::MAX_DEPTH`]), counts
//! ([`super::counts::MAX_COUNT`]) and URL segments ([`super::validate::MAX_SLUG_BYTES`]).

/// The longest `period`, in days (twenty years and a leap day). A report is listed on every
/// day page its period touches; a multi-year summary ("the toll since 2011") fits, and a
/// period from year 1 to 9999 (3.65 million day pages) does not.
pub const MAX_PERIOD_DAYS: i64 = 7_306;

/// The most `locations` one report may give. Summaries of a month of bombardment name a few
/// dozen towns; each location adds the report to the listings of its place and of every
/// place above it, and to its feed.
pub const MAX_LOCATIONS: usize = 250;

/// The most entries of `perpetrators`, of `incident_types` and of `tags` in one report: each
/// distinct value is a page of its own.
pub const MAX_TERMS: usize = 64;

/// The most segments of a place path (`Country/Governorate/District/Subdistrict/Town/...`):
/// each prefix is a page of its own.
pub const MAX_PLACE_DEPTH: usize = 12;

/// Unknown places of one report that get "did you mean" suggestions; the others are
/// reported without. Each suggestion compares the name with every sibling in the gazetteer,
/// so without this a report of 250 misspelt places against a flat gazetteer of thousands
/// costs millions of comparisons, and a real report has one or two misspellings.
pub const MAX_SUGGESTED_PLACES: usize = 10;

/// The URL segment under which listings paginate (`places/syria/page/2/`). A place whose
/// name gives this slug would have its page, and its own places' pages, where its parent's
/// later pages go, so that `check` passes and `build` breaks once the parent grows past
/// `per_page` reports: such a name is refused.
pub const PAGINATION_SEGMENT: &str = "page";

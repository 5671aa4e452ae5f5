//! Bounds on what one report may ask of a build. Reports arrive in strangers' pull requests:
//! each bound is far above anything a real report needs and far below what would make one
//! small file exhaust a CI runner (every place prefix, day and term is a page of its own, so
//! a seven-line report could otherwise ask for half a million pages). `check` refuses a
//! report past a bound with an error at its line that names the bound; docs/format.md lists
//! them.
//!
//! Bounds kept elsewhere, next to what they protect: the file size
//! ([`super::MAX_REPORT_BYTES`]), YAML nesting ([`super::yaml::MAX_DEPTH`]) and alias
//! expansion ([`super::yaml::MAX_EXPANDED_BYTES`]), counts
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

/// A place path that breaks one of the rules above: worded once, for reports and for the
/// gazetteer alike.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceProblem {
    /// The diagnostic's code.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: String,
}

/// A path of `levels` segments, when that is more than [`MAX_PLACE_DEPTH`].
pub fn too_deep(levels: usize) -> Option<PlaceProblem> {
    (levels > MAX_PLACE_DEPTH).then(|| PlaceProblem {
        code: "place-too-deep",
        message: format!(
            "this place has {levels} levels, more than the limit of {MAX_PLACE_DEPTH}"
        ),
        help: "write places as `Country/Governorate/District/Town`, names separated by `/`".into(),
    })
}

/// A place name `segment`, of URL segment `slug`, when that is [`PAGINATION_SEGMENT`].
pub fn reserved(segment: &str, slug: &str) -> Option<PlaceProblem> {
    (slug == PAGINATION_SEGMENT).then(|| PlaceProblem {
        code: "reserved-name",
        message: format!(
            "`{segment}` cannot name a place: `{PAGINATION_SEGMENT}/` is where the place above \
             it lists its reports past the first page"
        ),
        help: format!(
            "write the name differently (e.g. `{segment} town`), in reports and the gazetteer"
        ),
    })
}

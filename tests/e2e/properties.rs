//! Property: over random small archives, the totals of every place, year, month and day
//! equal the format's rule computed naively here (each report counted at most once), and
//! never fall below the sum of the totals of the places or periods just inside them.
//!
//! The archives are written as report files and read through the library
//! (`sijill::content::load`, then `Archive::build`), as `sijill build` reads them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use sijill::archive::Archive;
use sijill::content::{self, Count, Field, LoadOptions};

/// The places reports are set in: a small tree, with towns, regions and countries.
const PLACES: &[&str] = &[
    "Syria",
    "Syria/Idlib",
    "Syria/Idlib/Saraqib",
    "Syria/Idlib/Ariha",
    "Syria/Hama",
    "Syria/Hama/Kafr Nabudah",
    "Iraq",
    "Iraq/Nineveh",
    "Iraq/Nineveh/Mosul",
];

/// The fields used (breakdowns of `killed` would need their own constraints).
const FIELDS: [Field; 3] = [Field::Killed, Field::Injured, Field::Missing];

/// A count as written.
#[derive(Debug, Clone, Copy)]
enum Written {
    Exact(u64),
    AtLeast(u64),
    Range(u64, u64),
}

impl Written {
    fn yaml(self) -> String {
        match self {
            Written::Exact(n) => n.to_string(),
            Written::AtLeast(n) => format!("{{min: {n}}}"),
            Written::Range(a, b) => format!("{{min: {a}, max: {b}}}"),
        }
    }

    fn count(self) -> Naive {
        match self {
            Written::Exact(n) => Naive {
                min: n,
                max: Some(n),
            },
            Written::AtLeast(n) => Naive { min: n, max: None },
            Written::Range(a, b) => Naive {
                min: a,
                max: Some(b),
            },
        }
    }
}

/// A count for the naive computation: `max: None` is "no upper bound".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Naive {
    min: u64,
    max: Option<u64>,
}

/// Adds `b` into the running total `a` of one field (absent + x = x).
fn add(a: Option<Naive>, b: Option<Naive>) -> Option<Naive> {
    match (a, b) {
        (None, b) => b,
        (a, None) => a,
        (Some(a), Some(b)) => Some(Naive {
            min: a.min + b.min,
            max: a.max.zip(b.max).map(|(x, y)| x + y),
        }),
    }
}

fn from_lib(c: Option<Count>) -> Option<Naive> {
    c.map(|c| Naive {
        min: c.min,
        max: c.max,
    })
}

/// `a` is at least `b`, field by field, as totals are compared: on minimums, and on
/// maximums where `a` has one (then `b` must have one too).
fn at_least(a: Option<Naive>, b: Option<Naive>) -> bool {
    match (a, b) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => {
            a.min >= b.min
                && match (a.max, b.max) {
                    (None, _) => true,
                    (Some(_), None) => false,
                    (Some(x), Some(y)) => x >= y,
                }
        }
    }
}

/// One generated report.
#[derive(Debug, Clone)]
struct Gen {
    /// (place, counts by field) in the order written.
    locations: Vec<(&'static str, [Option<Written>; 3])>,
    /// `casualties`, by field.
    casualties: [Option<Written>; 3],
    summary: bool,
    draft: bool,
    start: NaiveDate,
    end: NaiveDate,
}

impl Gen {
    /// The report's total of field `f`: `casualties` as written, else the sum of its
    /// per-location counts (the format's rule).
    fn total(&self, f: usize) -> Option<Naive> {
        match self.casualties[f] {
            Some(w) => Some(w.count()),
            None => self
                .locations
                .iter()
                .fold(None, |acc, (_, c)| add(acc, c[f].map(Written::count))),
        }
    }

    fn text(&self, i: usize) -> String {
        let mut t = format!(
            "---\ntitle: \"Report {i}\"\ndate: {}\nperiod:\n  start: {}\n  end: {}\nkind: {}\ndraft: {}\nlocations:\n",
            self.end,
            self.start,
            self.end,
            if self.summary { "summary" } else { "incident" },
            self.draft,
        );
        for (place, counts) in &self.locations {
            if counts.iter().all(Option::is_none) {
                t.push_str(&format!("  - {place}\n"));
            } else {
                t.push_str(&format!("  - place: {place}\n"));
                for (f, c) in FIELDS.iter().zip(counts) {
                    if let Some(c) = c {
                        t.push_str(&format!("    {}: {}\n", f.name(), c.yaml()));
                    }
                }
            }
        }
        if self.casualties.iter().any(Option::is_some) {
            t.push_str("casualties:\n");
            for (f, c) in FIELDS.iter().zip(&self.casualties) {
                if let Some(c) = c {
                    t.push_str(&format!("  {}: {}\n", f.name(), c.yaml()));
                }
            }
        }
        t.push_str("---\nBody.\n");
        t
    }
}

fn written() -> impl Strategy<Value = Written> {
    prop_oneof![
        (0u64..20).prop_map(Written::Exact),
        (0u64..20).prop_map(Written::AtLeast),
        (0u64..20, 0u64..10).prop_map(|(a, d)| Written::Range(a, a + d)),
    ]
}

/// A total for one field that respects the per-location counts `parts` (the format's
/// rule on minimums; on maximums too, so that totals can be compared on both).
fn total_for(
    parts: &[Written],
    choice: u8,
    extra: u64,
    extra_max: u64,
    free: Written,
) -> Option<Written> {
    if parts.is_empty() {
        return (!choice.is_multiple_of(3)).then_some(free);
    }
    if choice.is_multiple_of(3) {
        return None; // the sum of the parts
    }
    let counts: Vec<Naive> = parts.iter().map(|w| w.count()).collect();
    let min = counts.iter().map(|c| c.min).sum::<u64>() + extra;
    let max: Option<u64> = counts.iter().map(|c| c.max).sum::<Option<u64>>();
    Some(match max {
        Some(m) if choice.is_multiple_of(2) => {
            let max = m + extra + extra_max;
            if max == min {
                Written::Exact(min)
            } else {
                Written::Range(min, max)
            }
        }
        _ => Written::AtLeast(min),
    })
}

fn report() -> impl Strategy<Value = Gen> {
    let places = proptest::sample::subsequence(PLACES.to_vec(), 1..=3).prop_shuffle();
    let location_counts = proptest::collection::vec(
        [
            proptest::option::weighted(0.5, written()),
            proptest::option::weighted(0.3, written()),
            proptest::option::weighted(0.2, written()),
        ],
        3,
    );
    let totals = [
        (any::<u8>(), 0u64..4, 0u64..4, written()),
        (any::<u8>(), 0u64..4, 0u64..4, written()),
        (any::<u8>(), 0u64..4, 0u64..4, written()),
    ];
    (
        places,
        location_counts,
        totals,
        proptest::bool::weighted(0.15),
        proptest::bool::weighted(0.1),
        0i64..400,
        prop_oneof![3 => Just(0i64), 2 => 0i64..40],
    )
        .prop_map(|(places, counts, totals, summary, draft, offset, length)| {
            let locations: Vec<(&'static str, [Option<Written>; 3])> =
                places.into_iter().zip(counts).collect();
            let casualties: [Option<Written>; 3] = std::array::from_fn(|f| {
                let parts: Vec<Written> = locations.iter().filter_map(|(_, c)| c[f]).collect();
                let (choice, extra, extra_max, free) = totals[f];
                total_for(&parts, choice, extra, extra_max, free)
            });
            let first = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
            let start = first + chrono::Duration::days(offset);
            Gen {
                locations,
                casualties,
                summary,
                draft,
                start,
                end: start + chrono::Duration::days(length),
            }
        })
}

/// True when `place` is `node` or lies below it.
fn inside(place: &str, node: &str) -> bool {
    place == node || place.starts_with(&format!("{node}/"))
}

/// The spec's rule, report by report: what report `r` adds to place `node` for field `f`.
fn place_contribution(r: &Gen, node: &str, f: usize) -> Option<Naive> {
    if r.locations.iter().all(|(p, _)| inside(p, node)) {
        r.total(f)
    } else {
        r.locations
            .iter()
            .filter(|(p, _)| inside(p, node))
            .fold(None, |acc, (_, c)| add(acc, c[f].map(Written::count)))
    }
}

/// Every day of a report's period.
fn days(r: &Gen) -> Vec<NaiveDate> {
    r.start.iter_days().take_while(|d| *d <= r.end).collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    })]

    #[test]
    fn totals_follow_the_rule_and_never_fall_below_their_parts(
        reports in proptest::collection::vec(report(), 1..12)
    ) {
        let tmp = crate::common::TempDir::new("proptest");
        for (i, r) in reports.iter().enumerate() {
            let path = tmp.path().join(format!("content/reports/r{i:02}.md"));
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, r.text(i)).unwrap();
        }
        let content = content::load(
            tmp.path(),
            &LoadOptions { default_lang: "en", ui_languages: &["en"], site_files: &[], page_folders: &[], reserved_slugs: &[] },
        )
        .unwrap();
        prop_assert!(!content.has_errors(), "{:?}", content.diagnostics);
        let archive = Archive::build(content, false);
        let published: Vec<&Gen> = reports.iter().filter(|r| !r.draft).collect();
        prop_assert_eq!(archive.reports.len(), published.len());
        // Indices into `reports`, by title, to compare listings.
        let index_of = |title: &str| title.strip_prefix("Report ").unwrap().parse::<usize>().unwrap();

        // Places: the nodes are every prefix of every location of a published report.
        let mut expected: BTreeSet<String> = BTreeSet::new();
        for r in &published {
            for (p, _) in &r.locations {
                let parts: Vec<&str> = p.split('/').collect();
                for n in 1..=parts.len() {
                    expected.insert(parts[..n].join("/"));
                }
            }
        }
        let nodes: BTreeSet<String> =
            archive.places.nodes.iter().map(|n| n.path.clone()).collect();
        prop_assert_eq!(&nodes, &expected);

        for node in &archive.places.nodes {
            // Listed: the published reports with a location inside, each once.
            let listed: Vec<usize> = node
                .reports
                .iter()
                .map(|&i| index_of(&archive.reports[i as usize].title))
                .collect();
            let listed_set: BTreeSet<usize> = listed.iter().copied().collect();
            prop_assert_eq!(listed.len(), listed_set.len(), "{} lists a report twice", node.path);
            let want: BTreeSet<usize> = reports
                .iter()
                .enumerate()
                .filter(|(_, r)| !r.draft && r.locations.iter().any(|(p, _)| inside(p, &node.path)))
                .map(|(i, _)| i)
                .collect();
            prop_assert_eq!(&listed_set, &want, "reports listed under {}", node.path);

            for (f, field) in FIELDS.iter().enumerate() {
                // Counted: the rule, summed over the incidents, each at most once.
                let naive = published
                    .iter()
                    .filter(|r| !r.summary)
                    .fold(None, |acc, r| add(acc, place_contribution(r, &node.path, f)));
                prop_assert_eq!(
                    from_lib(node.totals.get(*field)),
                    naive,
                    "{} of {}",
                    field.name(),
                    node.path
                );
                // Never below the places just inside it.
                let children = node
                    .children
                    .iter()
                    .fold(None, |acc, &c| add(acc, from_lib(archive.places.nodes[c].totals.get(*field))));
                prop_assert!(
                    at_least(from_lib(node.totals.get(*field)), children),
                    "{} of {} ({:?}) is below its places' ({:?})",
                    field.name(),
                    node.path,
                    node.totals.get(*field),
                    children
                );
            }
        }

        // Dates: listed on every day, month and year the period touches; counted where the
        // whole period lies inside.
        let touched: BTreeSet<NaiveDate> = published.iter().flat_map(|r| days(r)).collect();
        let index_days: BTreeSet<NaiveDate> = archive.dates.days.keys().copied().collect();
        prop_assert_eq!(&index_days, &touched);
        let months: BTreeSet<(i32, u32)> = touched.iter().map(|d| (d.year(), d.month())).collect();
        prop_assert_eq!(&archive.dates.months.keys().copied().collect::<BTreeSet<_>>(), &months);
        let years: BTreeSet<i32> = touched.iter().map(chrono::Datelike::year).collect();
        prop_assert_eq!(&archive.dates.years.keys().copied().collect::<BTreeSet<_>>(), &years);

        let check_unit = |label: String,
                          node: &sijill::archive::DateNode,
                          contains: &dyn Fn(NaiveDate) -> bool|
         -> Result<BTreeMap<usize, Option<Naive>>, TestCaseError> {
            let listed: Vec<usize> = node
                .reports
                .iter()
                .map(|&i| index_of(&archive.reports[i as usize].title))
                .collect();
            let listed_set: BTreeSet<usize> = listed.iter().copied().collect();
            prop_assert_eq!(listed.len(), listed_set.len(), "{} lists a report twice", label);
            let want: BTreeSet<usize> = reports
                .iter()
                .enumerate()
                .filter(|(_, r)| !r.draft && days(r).into_iter().any(contains))
                .map(|(i, _)| i)
                .collect();
            prop_assert_eq!(&listed_set, &want, "reports listed on {}", label);
            let mut totals = BTreeMap::new();
            for (f, field) in FIELDS.iter().enumerate() {
                let naive = published
                    .iter()
                    .filter(|r| !r.summary && contains(r.start) && contains(r.end))
                    .fold(None, |acc, r| add(acc, r.total(f)));
                prop_assert_eq!(from_lib(node.totals.get(*field)), naive, "{} of {}", field.name(), label);
                totals.insert(f, naive);
            }
            Ok(totals)
        };
        let mut day_totals = BTreeMap::new();
        for (d, node) in &archive.dates.days {
            let d = *d;
            day_totals.insert(d, check_unit(d.to_string(), node, &|x| x == d)?);
        }
        let mut month_totals = BTreeMap::new();
        for (&(y, m), node) in &archive.dates.months {
            let t = check_unit(format!("{y}-{m:02}"), node, &|x| (x.year(), x.month()) == (y, m))?;
            for (f, field) in FIELDS.iter().enumerate() {
                let parts = day_totals
                    .iter()
                    .filter(|(d, _)| (d.year(), d.month()) == (y, m))
                    .fold(None, |acc, (_, t)| add(acc, t[&f]));
                prop_assert!(at_least(t[&f], parts), "{} of {y}-{m:02} is below its days'", field.name());
            }
            month_totals.insert((y, m), t);
        }
        for (&y, node) in &archive.dates.years {
            let t = check_unit(y.to_string(), node, &|x| x.year() == y)?;
            for (f, field) in FIELDS.iter().enumerate() {
                let parts = month_totals
                    .iter()
                    .filter(|((yy, _), _)| *yy == y)
                    .fold(None, |acc, (_, t)| add(acc, t[&f]));
                prop_assert!(at_least(t[&f], parts), "{} of {y} is below its months'", field.name());
            }
        }
    }
}

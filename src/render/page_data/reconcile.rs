//! Totals that reconcile, in words (format v2): under the totals of a place, a period or a
//! term, the sentences that say how they add up with the figures beside them, or why a
//! listed report is counted elsewhere. Each is a [`Note`]: a sentence and, where it speaks
//! of some reports, links to the first of them.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::archive::TaxonomyKind;
use crate::content::{Counts, Report};
use crate::render::Urls;
use crate::render::i18n::Ui;
use crate::render::numbers::grouped;
use crate::render::renderer::Renderer;
use crate::render::views::Link;

/// Reports a note links to; the others are counted ("and 12 more").
const NOTE_LINKS: usize = 10;

/// Whether the period (start, end) lies inside year `y` (month `m`, when not 0).
type InsidePeriod = fn(NaiveDate, NaiveDate, i32, u32) -> bool;
/// Whether the period (start, end) lies inside one month (one day).
type InsidePart = fn(NaiveDate, NaiveDate) -> bool;

/// One sentence under a page's totals.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Note {
    /// The sentence.
    text: String,
    /// The reports it speaks of (the first [`NOTE_LINKS`]).
    links: Vec<Link>,
    /// "and 12 more", when it speaks of more.
    more: Option<String>,
}

/// The given fields of `counts` that are not zero.
fn nonzero(counts: &Counts) -> Counts {
    let mut out = Counts::default();
    for (f, c) in counts.iter().filter(|(_, c)| c.min > 0) {
        out.set(f, c);
    }
    out
}

/// A remainder in words, field by field ("at least 9 civilians, at least 18 injured"): a
/// part of a breakdown can remain where none of its total does, which the sentence of
/// [`Ui::casualties`] cannot say.
fn remainder_words(ui: Ui, counts: &Counts) -> String {
    counts
        .iter()
        .map(|(f, c)| ui.phrase(f, c))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The sum of `reports`' totals, by the rule of the totals (a maximum only while every
/// part has one).
fn sum_of<'a>(reports: impl Iterator<Item = &'a Report>) -> Counts {
    let mut sum = Counts::default();
    for r in reports {
        sum.add(&r.casualties);
    }
    sum
}

/// Fills `{name}`-style placeholders of an interface string.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut s = template.to_string();
    for (k, v) in values {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

impl Renderer<'_> {
    /// A note speaking of `reports` (indices), linking the first of them.
    fn note(&self, text: String, reports: &[u32]) -> Note {
        let a = self.archive;
        let ui = self.cache.ui;
        let links = reports
            .iter()
            .take(NOTE_LINKS)
            .map(|&r| {
                let shown = &a.reports[a.in_language(r, &self.cache.site.lang) as usize];
                self.link(shown.title.clone(), &Urls::report(&shown.id))
            })
            .collect();
        let more = (reports.len() > NOTE_LINKS).then(|| {
            fill(
                ui.get("and_more"),
                &[("n", &grouped((reports.len() - NOTE_LINKS) as u64))],
            )
        });
        Note { text, links, more }
    }

    /// The listed, counted reports of `list` that `keep` selects and that give casualties.
    fn counted_where(&self, list: &[u32], keep: impl Fn(&Report) -> bool) -> Vec<u32> {
        let a = self.archive;
        list.iter()
            .copied()
            .filter(|&r| {
                let r = &a.reports[r as usize];
                r.counts_in_totals() && !r.casualties.is_empty() && keep(r)
            })
            .collect()
    }

    fn reports_of(&self, list: &[u32]) -> impl Iterator<Item = &Report> {
        list.iter().map(|&r| &*self.archive.reports[r as usize])
    }

    /// How place `n`'s total adds up with its child places', and the reports listed here
    /// that are counted in a wider place.
    pub(super) fn place_notes(&self, n: usize) -> Vec<Note> {
        let (a, ui) = (self.archive, self.cache.ui);
        let node = &a.places.nodes[n];
        let mut notes = Vec::new();
        if !node.children.is_empty() && !node.totals.is_empty() {
            let rest = nonzero(&a.places.not_below(n));
            let text = if rest.is_empty() {
                ui.get("children_add_up").to_string()
            } else {
                fill(
                    ui.get("not_below"),
                    &[
                        ("counts", &remainder_words(ui, &rest)),
                        ("place", &node.name),
                    ],
                )
            };
            notes.push(Note {
                text,
                links: Vec::new(),
                more: None,
            });
        }
        let elsewhere = self.counted_where(&node.reports, |r| {
            node.share(r).is_none_or(|s| s.is_empty())
        });
        if !elsewhere.is_empty() {
            let text = fill(
                ui.get("counted_above"),
                &[
                    ("reports", &ui.reports(elsewhere.len())),
                    ("place", &node.name),
                    (
                        "counts",
                        &ui.casualties(&sum_of(self.reports_of(&elsewhere))),
                    ),
                ],
            );
            notes.push(self.note(text, &elsewhere));
        }
        notes
    }

    /// How a year's (`month` `None`) or a month's total adds up with its months' (days'),
    /// and the reports listed that extend beyond it.
    pub(super) fn period_notes(&self, y: i32, month: Option<u32>, label: &str) -> Vec<Note> {
        let (a, ui) = (self.archive, self.cache.ui);
        let d = &a.dates;
        // The period's node and remainder, whether a period (start, end) lies inside it,
        // and whether one lies inside one of its parts (a month of the year, a day).
        let (node, rest, inside, within_part): (_, _, InsidePeriod, InsidePart) = match month {
            None => (
                &d.years[&y],
                d.across_year(y),
                |s, e, y, _| s.year() == y && e.year() == y,
                |s, e| (s.year(), s.month()) == (e.year(), e.month()),
            ),
            Some(m) => (
                &d.months[&(y, m)],
                d.across_month(y, m),
                |s, e, y, m| (s.year(), s.month()) == (y, m) && (e.year(), e.month()) == (y, m),
                |s, e| s == e,
            ),
        };
        let m = month.unwrap_or(0);
        let mut notes = Vec::new();
        let spanning = self.counted_where(&node.reports, |r| {
            let (s, e) = r.period;
            inside(s, e, y, m) && !within_part(s, e)
        });
        let rest = nonzero(&rest);
        if !rest.is_empty() || !spanning.is_empty() {
            let key = if month.is_none() {
                "across_months"
            } else {
                "across_days"
            };
            let text = fill(
                ui.get(key),
                &[
                    ("counts", &remainder_words(ui, &rest)),
                    ("reports", &ui.reports(spanning.len())),
                    ("period", label),
                ],
            );
            notes.push(self.note(text, &spanning));
        }
        let beyond = self.counted_where(&node.reports, |r| !inside(r.period.0, r.period.1, y, m));
        if !beyond.is_empty() {
            let key = if month.is_none() {
                "beyond_year"
            } else {
                "beyond_month"
            };
            notes.push(self.beyond(key, label, &beyond));
        }
        notes
    }

    /// The reports listed on day `day` that extend beyond it.
    pub(super) fn day_notes(&self, day: NaiveDate, label: &str) -> Vec<Note> {
        let node = &self.archive.dates.days[&day];
        let beyond = self.counted_where(&node.reports, |r| r.period != (day, day));
        if beyond.is_empty() {
            return Vec::new();
        }
        vec![self.beyond("beyond_day", label, &beyond)]
    }

    fn beyond(&self, key: &str, label: &str, reports: &[u32]) -> Note {
        let ui = self.cache.ui;
        let text = fill(
            ui.get(key),
            &[
                ("reports", &ui.reports(reports.len())),
                ("period", label),
                ("counts", &ui.casualties(&sum_of(self.reports_of(reports)))),
            ],
        );
        // The reports are in the list below, each with its period: no links again (a day
        // page would repeat them for every report of several days, megabytes at scale).
        Note {
            text: text.trim_end_matches(':').to_string() + ".",
            links: Vec::new(),
            more: None,
        }
    }

    /// What the totals of a term of `kind` are (types and tags overlap).
    pub(super) fn term_notes(&self, kind: TaxonomyKind) -> Vec<Note> {
        let key = match kind {
            TaxonomyKind::IncidentTypes => "type_totals",
            TaxonomyKind::Tags => "tag_totals",
            TaxonomyKind::Perpetrators => "attribution_note",
        };
        vec![Note {
            text: self.cache.ui.get(key).to_string(),
            links: Vec::new(),
            more: None,
        }]
    }

    /// How the rows of the home page add up: the countries' and the years' totals against
    /// the archive's.
    pub(super) fn home_notes(&self) -> [Vec<Note>; 2] {
        let (a, ui) = (self.archive, self.cache.ui);
        let counted = (0..a.reports.len())
            .filter(|&i| a.is_counted(i))
            .map(|i| &*a.reports[i]);
        let total = sum_of(counted);
        if total.is_empty() {
            return [Vec::new(), Vec::new()];
        }
        let roots = crate::archive::remainders::remainder(
            &total,
            a.places.roots.iter().map(|&n| &a.places.nodes[n].totals),
        );
        let years = crate::archive::remainders::remainder(
            &total,
            a.dates.years.values().map(|n| &n.totals),
        );
        let sentence = |key: &str, rest: &Counts| -> Vec<Note> {
            let rest = nonzero(rest);
            let text = if rest.is_empty() {
                fill(
                    ui.get(&format!("{key}_add_up")),
                    &[("total", &ui.casualties(&total))],
                )
            } else {
                fill(
                    ui.get(key),
                    &[
                        ("total", &ui.casualties(&total)),
                        ("counts", &remainder_words(ui, &rest)),
                    ],
                )
            };
            vec![Note {
                text,
                links: Vec::new(),
                more: None,
            }]
        };
        [
            sentence("home_places", &roots),
            sentence("home_years", &years),
        ]
    }
}

//! The dates index and the pages of a year, a month and a day.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tera::Context;

use crate::archive::dates::before_after;
use crate::archive::{DateNode, Listing};
use crate::content::{Count, Field};
use crate::render::Urls;
use crate::render::charts::{self, Bar};
use crate::render::renderer::Renderer;
use crate::render::views::{IndexRow, Link, TotalsView};

/// One day of a month's calendar.
#[derive(Serialize)]
struct DayCell {
    day: u32,
    href: Option<String>,
    /// `1 report`, `12 reports`.
    reports: String,
    /// `at least 246 killed`, when the day's reports give a killed count.
    killed: Option<String>,
}

/// What the page of a year, month or day shows besides what is particular to its level.
struct DatePage<'n> {
    /// `year`, `month` or `day`, for the template.
    level: &'static str,
    /// The period as read (`March 2019`).
    label: String,
    /// The trail after "Dates": the year of a month, the year and month of a day.
    breadcrumb: Vec<Link>,
    /// The rows of the periods in it (a year's months).
    children: Vec<IndexRow>,
    node: &'n DateNode,
    /// The periods before and after it that have reports.
    prev_next: [Option<Link>; 2],
    listing: Listing,
    /// The page of its listing.
    page: usize,
}

impl Renderer<'_> {
    /// Every year with its totals.
    pub(super) fn dates(&self) -> Context {
        let mut ctx = self.base_context(self.cache.ui.get("dates"));
        ctx.insert("years", &self.years());
        ctx.insert("notes", &self.home_notes()[1]);
        ctx
    }

    /// Page `p` of year `y`: its months and a chart of people killed per month.
    pub(super) fn year(&self, y: i32, p: usize) -> Context {
        let (d, ui) = (&self.archive.dates, self.cache.ui);
        let children = d
            .months
            .range((y, 0)..=(y, 12))
            .map(|((yy, m), n)| self.date_row(ui.month_year(*yy, *m), Urls::month(*yy, *m), n))
            .collect();
        let bars = (1..=12)
            .map(|m| Bar {
                label: ui.month_short(m).to_string(),
                count: d
                    .months
                    .get(&(y, m))
                    .and_then(|n| n.totals.get(Field::Killed))
                    .unwrap_or_else(|| Count::exact(0)),
            })
            .collect();
        let mut chart = charts::bar_chart(
            &format!("{}: {y}", ui.get("killed_per_month")),
            ui.get("totals_note"),
            ui.get("month"),
            bars,
            ui,
        );
        // The months' bars leave out what the year counts in no month: said on the chart.
        if let (Some(chart), Some(c)) = (
            &mut chart,
            d.across_year(y).get(Field::Killed).filter(|c| c.min > 0),
        ) {
            let mut counts = crate::content::Counts::default();
            counts.set(Field::Killed, c);
            chart.leaves_out = Some(
                ui.get("chart_leaves_out")
                    .replace("{counts}", &ui.casualties(&counts)),
            );
        }
        let mut ctx = self.date_context(DatePage {
            level: "year",
            label: y.to_string(),
            breadcrumb: vec![],
            children,
            node: &d.years[&y],
            prev_next: before_after(&d.years, y)
                .map(|k| k.map(|k| self.link(k.to_string(), &Urls::year(k)))),
            listing: Listing::Year(y),
            page: p,
        });
        if p == 1 {
            ctx.insert("chart", &chart);
            ctx.insert("notes", &self.period_notes(y, None, &y.to_string()));
        }
        ctx.insert("csv", &self.csv_link(Listing::Year(y)));
        ctx
    }

    /// Page `p` of month `m` of year `y`: its calendar.
    pub(super) fn month(&self, y: i32, m: u32, p: usize) -> Context {
        let (d, ui) = (&self.archive.dates, self.cache.ui);
        let label = |(yy, mm): (i32, u32)| ui.month_year(yy, mm);
        let mut ctx = self.date_context(DatePage {
            level: "month",
            label: label((y, m)),
            breadcrumb: vec![self.link(y.to_string(), &Urls::year(y))],
            children: vec![],
            node: &d.months[&(y, m)],
            prev_next: before_after(&d.months, (y, m))
                .map(|k| k.map(|k| self.link(label(k), &Urls::month(k.0, k.1)))),
            listing: Listing::Month(y, m),
            page: p,
        });
        if p == 1 {
            ctx.insert("notes", &self.period_notes(y, Some(m), &label((y, m))));
        }
        ctx.insert("weekdays", &ui.weekdays());
        ctx.insert("calendar", &self.calendar(y, m));
        ctx.insert("csv", &self.csv_link(Listing::Month(y, m)));
        ctx
    }

    /// Page `p` of the day `day`.
    pub(super) fn day(&self, day: NaiveDate, p: usize) -> Context {
        let (d, ui) = (&self.archive.dates, self.cache.ui);
        let (y, m) = (day.year(), day.month());
        let mut ctx = self.date_context(DatePage {
            level: "day",
            label: ui.date(day),
            breadcrumb: vec![
                self.link(y.to_string(), &Urls::year(y)),
                self.link(ui.month_year(y, m), &Urls::month(y, m)),
            ],
            children: vec![],
            node: &d.days[&day],
            prev_next: before_after(&d.days, day)
                .map(|k| k.map(|k| self.link(ui.date(k), &Urls::day(k)))),
            listing: Listing::Day(day),
            page: p,
        });
        if p == 1 {
            ctx.insert("notes", &self.day_notes(day, &ui.date(day)));
        }
        ctx.insert("csv", &self.csv_link(Listing::Day(day)));
        ctx
    }

    /// What the pages of years, months and days share.
    fn date_context(&self, date: DatePage) -> Context {
        let ui = self.cache.ui;
        let mut ctx = self.base_context(&date.label);
        let mut breadcrumb = vec![self.link(ui.get("dates"), "dates/")];
        breadcrumb.extend(date.breadcrumb);
        let [prev, next] = date.prev_next;
        ctx.insert("level", date.level);
        ctx.insert("label", &date.label);
        ctx.insert("breadcrumb", &breadcrumb);
        ctx.insert("children", &date.children);
        ctx.insert("calendar", &None::<()>);
        ctx.insert("totals", &TotalsView::new(&date.node.totals, &[], ui));
        ctx.insert("prev", &prev);
        ctx.insert("next", &next);
        self.listing(&mut ctx, date.listing, date.page);
        ctx
    }

    fn date_row(&self, name: String, rel: String, node: &DateNode) -> IndexRow {
        let ui = self.cache.ui;
        IndexRow::new(
            (name, None),
            self.href(&rel),
            node.reports.len(),
            TotalsView::new(&node.totals, &[], ui),
            ui,
        )
    }

    /// Every year, newest first, with its totals (on the home and dates pages).
    pub(super) fn years(&self) -> Vec<IndexRow> {
        self.archive
            .dates
            .years
            .iter()
            .rev()
            .map(|(y, n)| self.date_row(y.to_string(), Urls::year(*y), n))
            .collect()
    }

    /// The weeks of a month as rows of seven days, Monday first; `None` outside the month.
    fn calendar(&self, y: i32, m: u32) -> Vec<Vec<Option<DayCell>>> {
        let first = NaiveDate::from_ymd_opt(y, m, 1).expect("a real month");
        let days = first
            .checked_add_months(chrono::Months::new(1))
            .expect("a real month")
            .pred_opt()
            .expect("a day before")
            .day();
        let ui = self.cache.ui;
        let mut cells: Vec<Option<DayCell>> = (0..first.weekday().num_days_from_monday())
            .map(|_| None)
            .collect();
        for d in 1..=days {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("a day of the month");
            let node = self.archive.dates.days.get(&date);
            cells.push(Some(DayCell {
                day: d,
                href: node.map(|_| self.href(&Urls::day(date))),
                reports: ui.reports(node.map_or(0, |n| n.reports.len())),
                killed: node
                    .and_then(|n| n.totals.get(Field::Killed))
                    .filter(|c| c.max.unwrap_or(c.min) > 0)
                    .map(|c| ui.phrase(Field::Killed, c)),
            }));
        }
        while !cells.len().is_multiple_of(7) {
            cells.push(None);
        }
        let mut weeks = Vec::new();
        let mut it = cells.into_iter().peekable();
        while it.peek().is_some() {
            weeks.push(it.by_ref().take(7).collect());
        }
        weeks
    }
}

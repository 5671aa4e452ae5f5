//! The places index and a place's pages.

use serde::Serialize;
use tera::Context;

use crate::archive::{Listing, PlaceNode};
use crate::content::Count;
use crate::render::Urls;
use crate::render::charts::{self, Bar, Chart};
use crate::render::pages::listing_rel;
use crate::render::renderer::Renderer;
use crate::render::views::{self, IndexRow, TotalsView};

/// Charts of a place show months, or years when the reports span more than this many years.
const MAX_YEARS_BY_MONTH: i32 = 5;

/// A top-level place with the places in it, on the places index.
#[derive(Serialize)]
struct PlaceGroup {
    place: IndexRow,
    children: Vec<IndexRow>,
}

/// What the gazetteer says of a place.
#[derive(Serialize)]
struct PlaceInfoView<'a> {
    name: &'a str,
    name_ar: Option<&'a str>,
    path: &'a str,
    /// `https://www.openstreetmap.org/...`: a link, never an embedded map.
    map: Option<String>,
    coordinates: Option<String>,
}

impl Renderer<'_> {
    /// Every top-level place with the places in it.
    pub(super) fn places(&self) -> Context {
        let (a, ui) = (self.archive, self.cache.ui);
        let mut ctx = self.base_context(ui.get("places"));
        let groups: Vec<PlaceGroup> = a
            .places
            .roots
            .iter()
            .map(|&n| {
                let node = &a.places.nodes[n];
                PlaceGroup {
                    place: views::place_row(&self.cache.urls, a, node, ui),
                    children: self.place_rows(&node.children),
                }
            })
            .collect();
        ctx.insert("groups", &groups);
        ctx
    }

    /// Page `p` of place `n`: what the gazetteer knows of it, its trail, the places in it
    /// by people killed, its totals and chart, and its reports.
    pub(super) fn place(&self, n: usize, p: usize) -> Context {
        let (a, ui) = (self.archive, self.cache.ui);
        let node = &a.places.nodes[n];
        let rel = listing_rel(a, Listing::Place(n));
        let mut ctx = self.base_context(&node.path.replace('/', " › "));
        let info = a.gazetteer.as_ref().and_then(|g| g.get(&node.path));
        let coords = info.and_then(|i| i.coordinates);
        ctx.insert(
            "place",
            &PlaceInfoView {
                name: &node.name,
                name_ar: info.and_then(|i| i.name_ar.as_deref()),
                path: &node.path,
                map: coords.map(|(lat, lon)| {
                    format!(
                        "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=11/{lat}/{lon}"
                    )
                }),
                coordinates: coords.map(|(lat, lon)| format!("{lat}, {lon}")),
            },
        );
        let mut crumbs = vec![self.link(ui.get("places"), "places/")];
        crumbs.extend(
            a.places
                .lineage(n)
                .into_iter()
                .filter(|&x| x != n)
                .map(|x| {
                    let x = &a.places.nodes[x];
                    self.link(x.name.clone(), &Urls::place(&x.slug_path))
                }),
        );
        ctx.insert("breadcrumb", &crumbs);
        let mut children = self.place_rows(&node.children);
        children.sort_by(|x, y| {
            y.totals
                .killed
                .cmp(&x.totals.killed)
                .then_with(|| x.name.cmp(&y.name))
        });
        ctx.insert("children", &children);
        ctx.insert("totals", &TotalsView::new(&node.totals, &[], ui));
        if p == 1 {
            ctx.insert("chart", &self.place_chart(node));
            ctx.insert("notes", &self.place_notes(n));
        }
        ctx.insert("feed", &self.href(&format!("{rel}feed.xml")));
        ctx.insert("csv", &self.csv_link(Listing::Place(n)));
        self.listing(&mut ctx, Listing::Place(n), p);
        ctx
    }

    /// The index rows of the places `ids`.
    pub(super) fn place_rows(&self, ids: &[usize]) -> Vec<IndexRow> {
        let a = self.archive;
        ids.iter()
            .map(|&c| views::place_row(&self.cache.urls, a, &a.places.nodes[c], self.cache.ui))
            .collect()
    }

    /// Killed per month of a place (per year past five years), as a chart.
    fn place_chart(&self, node: &PlaceNode) -> Option<Chart> {
        let ui = self.cache.ui;
        let first = *node.killed_by_month.keys().next()?;
        let last = *node.killed_by_month.keys().next_back()?;
        let by_year = last.0 - first.0 >= MAX_YEARS_BY_MONTH;
        let mut bars = Vec::new();
        if by_year {
            for y in first.0..=last.0 {
                let count = node
                    .killed_by_month
                    .range((y, 1)..=(y, 12))
                    .map(|(_, c)| *c)
                    .fold(Count::exact(0), |sum, c| sum + c);
                bars.push(Bar {
                    label: y.to_string(),
                    count,
                });
            }
        } else {
            let (mut y, mut m) = first;
            while (y, m) <= last {
                let count = node
                    .killed_by_month
                    .get(&(y, m))
                    .copied()
                    .unwrap_or_else(|| Count::exact(0));
                bars.push(Bar {
                    label: format!("{} {y}", ui.month_short(m)),
                    count,
                });
                (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            }
        }
        let title = format!(
            "{}: {}",
            ui.get(if by_year {
                "killed_per_year"
            } else {
                "killed_per_month"
            }),
            node.name
        );
        charts::bar_chart(
            &title,
            ui.get("chart_note"),
            ui.get(if by_year { "year" } else { "month" }),
            bars,
            ui,
        )
    }
}

//! The place tree: every prefix of every location path is a node, with the reports listed
//! there and totals that never count a report twice.

use std::sync::Arc;

use std::collections::BTreeMap;

use crate::FastMap;

use chrono::Datelike;

use rayon::prelude::*;

use super::tally::{CountTally, Tally};
use super::{Accounts, Tallied};
use crate::content::names::slugify;
use crate::content::{Count, Counts, Field, Location, Report};

/// One place, at any depth.
#[derive(Debug, Clone)]
pub struct PlaceNode {
    /// Canonical path, `Syria/Deir ez-Zor`.
    pub path: String,
    /// Its own name, the last segment.
    pub name: String,
    /// URL path below `places/`, `syria/deir-ez-zor`.
    pub slug_path: String,
    /// 1 for a country, 2 for a governorate, …
    pub depth: usize,
    /// The enclosing place.
    pub parent: Option<usize>,
    /// Places directly inside, sorted by name.
    pub children: Vec<usize>,
    /// Reports listed here (indices into the archive's reports, newest first).
    pub reports: Vec<u32>,
    /// What the reports listed here add up to, each counted at most once.
    pub totals: Counts,
    /// The people killed that those totals hold, by the (year, month) the events began.
    pub killed_by_month: BTreeMap<(i32, u32), Count>,
    /// What `totals` adds up.
    tally: Tally,
    /// What `killed_by_month` adds up.
    killed_tally: BTreeMap<(i32, u32), CountTally>,
}

impl PlaceNode {
    /// True when `path` is this place or lies inside it.
    pub(crate) fn holds(&self, path: &str) -> bool {
        path.strip_prefix(&self.path)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    /// What `report` adds to this place's totals, by the counting rule (report format,
    /// "Totals never double count"): its own totals when every location lies inside this
    /// place, else the counts of its locations that lie inside; nothing for a summary.
    /// The one place the rule is written.
    pub(crate) fn share(&self, report: &Report) -> Option<Counts> {
        if !report.counts_in_totals() {
            return None;
        }
        let inside = |l: &&Location| self.holds(&l.path);
        if report.locations.iter().all(|l| inside(&l)) {
            return Some(report.casualties);
        }
        let mut sum = Counts::default();
        for location in report.locations.iter().filter(inside) {
            sum.add(&location.counts);
        }
        Some(sum)
    }
}

impl Tallied for PlaceNode {
    fn listed(&mut self) -> &mut Vec<u32> {
        &mut self.reports
    }

    fn count(&mut self, report: &Report, add: bool) {
        let Some(share) = self.share(report) else {
            return;
        };
        if add {
            self.tally.add(&share);
        } else {
            self.tally.remove(&share);
        }
        if let Some(killed) = share.get(Field::Killed) {
            let start = report.period.0;
            let month = (start.year(), start.month());
            let tally = self.killed_tally.entry(month).or_default();
            tally.step(killed, add);
            if tally.count().is_none() {
                self.killed_tally.remove(&month);
            }
        }
    }

    fn settle(&mut self) {
        self.totals = self.tally.counts();
        self.killed_by_month = self
            .killed_tally
            .iter()
            .filter_map(|(month, tally)| Some((*month, tally.count()?)))
            .collect();
    }
}

/// All places of the archive.
#[derive(Debug, Clone, Default)]
pub struct PlaceTree {
    /// Every node; parents come before their children.
    pub nodes: Vec<PlaceNode>,
    /// Top-level places (countries), sorted by name.
    pub roots: Vec<usize>,
    by_path: FastMap<String, usize>,
}

impl PlaceTree {
    /// The node of canonical `path`.
    pub fn get(&self, path: &str) -> Option<usize> {
        self.by_path.get(path).copied()
    }

    /// The node and its ancestors, widest first.
    pub fn lineage(&self, node: usize) -> Vec<usize> {
        let mut chain = vec![node];
        let mut at = node;
        while let Some(p) = self.nodes[at].parent {
            chain.push(p);
            at = p;
        }
        chain.reverse();
        chain
    }

    /// Node ids from the top level down to `path`, creating missing ones.
    fn chain(&mut self, path: &str) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut end = 0;
        let mut parent = None;
        for segment in path.split('/') {
            end += segment.len();
            let prefix = &path[..end];
            let id = match self.by_path.get(prefix) {
                Some(&id) => id,
                None => {
                    let id = self.nodes.len();
                    let slug_path = match parent {
                        Some(p) => {
                            format!("{}/{}", self.nodes[p as usize].slug_path, slugify(segment))
                        }
                        None => slugify(segment),
                    };
                    self.nodes.push(PlaceNode {
                        path: prefix.to_string(),
                        name: segment.to_string(),
                        slug_path,
                        depth: chain.len() + 1,
                        parent: parent.map(|p| p as usize),
                        children: Vec::new(),
                        reports: Vec::new(),
                        totals: Counts::default(),
                        killed_by_month: BTreeMap::new(),
                        tally: Tally::default(),
                        killed_tally: BTreeMap::new(),
                    });
                    match parent {
                        Some(p) => self.nodes[p as usize].children.push(id),
                        None => self.roots.push(id),
                    }
                    self.by_path.insert(prefix.to_string(), id);
                    id
                }
            };
            chain.push(id);
            parent = Some(id as u32);
            end += 1; // the '/'
        }
        chain
    }

    /// Builds the tree from the listed `reports` (newest first), in one pass over their
    /// locations, then adds up each node.
    pub fn build(reports: &[Arc<Report>], accounts: &Accounts) -> PlaceTree {
        let mut tree = PlaceTree::default();
        let mut touched: Vec<usize> = Vec::new();
        for (ri, report) in reports.iter().enumerate() {
            if !accounts.is_listed(ri) {
                continue;
            }
            touched.clear();
            for location in &report.locations {
                touched.extend(tree.chain(&location.path));
            }
            touched.sort_unstable();
            touched.dedup();
            for &n in &touched {
                tree.nodes[n].reports.push(ri as u32);
            }
        }
        tree.nodes
            .par_iter_mut()
            .for_each(|node| node.recount(reports));
        let by_name = |nodes: &Vec<PlaceNode>, ids: &mut Vec<usize>| {
            ids.sort_by(|&a, &b| {
                let (x, y) = (&nodes[a], &nodes[b]);
                (x.name.to_lowercase(), &x.name).cmp(&(y.name.to_lowercase(), &y.name))
            });
        };
        for i in 0..tree.nodes.len() {
            let mut kids = std::mem::take(&mut tree.nodes[i].children);
            by_name(&tree.nodes, &mut kids);
            tree.nodes[i].children = kids;
        }
        let mut roots = std::mem::take(&mut tree.roots);
        by_name(&tree.nodes, &mut roots);
        tree.roots = roots;
        tree
    }
}

//! The place tree: every prefix of every location path is a node, with the reports listed
//! there and totals that never count a report twice.

use std::collections::{BTreeMap, HashMap};

use chrono::Datelike;

use crate::content::names::slugify;
use crate::content::{Counts, Field, Report};

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
    /// The minimum killed that those totals hold, by the (year, month) the events began.
    pub killed_by_month: BTreeMap<(i32, u32), u64>,
}

/// All places of the archive.
#[derive(Debug, Default)]
pub struct PlaceTree {
    /// Every node; parents come before their children.
    pub nodes: Vec<PlaceNode>,
    /// Top-level places (countries), sorted by name.
    pub roots: Vec<usize>,
    by_path: HashMap<String, usize>,
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

    /// Builds the tree from `reports` (newest first), in one pass over their locations.
    pub fn build(reports: &[Report]) -> PlaceTree {
        let mut tree = PlaceTree::default();
        let mut touched: Vec<usize> = Vec::new();
        for (ri, report) in reports.iter().enumerate() {
            let chains: Vec<Vec<usize>> = report
                .locations
                .iter()
                .map(|l| tree.chain(&l.path))
                .collect();
            touched.clear();
            touched.extend(chains.iter().flatten().copied());
            touched.sort_unstable();
            touched.dedup();
            for &n in &touched {
                tree.nodes[n].reports.push(ri as u32);
            }
            if !report.counts_in_totals() {
                continue;
            }
            // The places holding every location get the report's own totals; places below
            // them get the per-location counts of the locations they hold.
            let common = chains.iter().skip(1).fold(chains[0].len(), |len, c| {
                len.min(c.iter().zip(&chains[0]).take_while(|(a, b)| a == b).count())
            });
            let month = (report.period.0.year(), report.period.0.month());
            let add = |node: &mut PlaceNode, counts: &Counts| {
                node.totals.add(counts);
                if let Some(killed) = counts.get(Field::Killed) {
                    *node.killed_by_month.entry(month).or_default() += killed.min;
                }
            };
            for &n in &chains[0][..common] {
                add(&mut tree.nodes[n], &report.casualties);
            }
            for (chain, location) in chains.iter().zip(&report.locations) {
                for &n in &chain[common..] {
                    add(&mut tree.nodes[n], &location.counts);
                }
            }
        }
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

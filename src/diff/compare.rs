//! The comparison of two archives: reports by id, fact by fact; the gazetteer's and the
//! vocabulary's entries; every total of every place, year, month and term.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Value, json};

use super::{
    ChangedReport, EntryChange, FieldChange, MinMax, RecordDiff, ReportChanges, ReportRef,
    TotalChange,
};
use crate::archive::{Archive, TaxonomyKind};
use crate::content::report::iso_date;
use crate::content::{Counts, Report};

/// Everything that differs between `before` and `now`, but the flags.
pub(super) fn compare(before: &Archive, now: &Archive) -> RecordDiff {
    RecordDiff {
        reports: reports(before, now),
        entries: entries(before, now),
        totals: totals(before, now),
        ..Default::default()
    }
}

fn named(r: &Report) -> ReportRef {
    ReportRef {
        id: r.id.clone(),
        title: r.title.clone(),
    }
}

fn reports(before: &Archive, now: &Archive) -> ReportChanges {
    let mut changes = ReportChanges::default();
    for r in now.reports_by_id() {
        match before.report_index(&r.id) {
            None => changes.added.push(named(r)),
            Some(i) => {
                let old = &before.reports[i as usize];
                if let Some(changed) = changed(old, r) {
                    changes.changed.push(changed);
                }
            }
        }
    }
    for r in before.reports_by_id() {
        if now.report_index(&r.id).is_none() {
            changes.removed.push(named(r));
        }
    }
    changes
}

/// A count as the JSON gives it.
fn count_value(c: crate::content::Count) -> Value {
    json!({"min": c.min, "max": c.max})
}

/// The facts of `r`, by name, in the order of the format: what a reviewer compares.
fn facts(r: &Report) -> Vec<(String, Value)> {
    let mut f: Vec<(String, Value)> = vec![
        ("file".into(), json!(r.file)),
        ("title".into(), json!(r.title)),
        ("date".into(), json!(iso_date(r.date))),
        (
            "period".into(),
            json!({"start": iso_date(r.period.0), "end": iso_date(r.period.1)}),
        ),
        ("kind".into(), json!(r.kind)),
        ("lang".into(), json!(r.lang)),
    ];
    if let Some(status) = r.status {
        f.push(("status".into(), json!(status)));
    }
    if let Some(s) = &r.source {
        for (key, value) in [
            ("name", &s.name),
            ("url", &s.url),
            ("archive_url", &s.archive_url),
        ] {
            if let Some(v) = value {
                f.push((format!("source.{key}"), json!(v)));
            }
        }
    }
    let places: Vec<&str> = r.locations.iter().map(|l| l.path.as_str()).collect();
    f.push(("locations".into(), json!(places)));
    for l in &r.locations {
        for (field, c) in l.counts.iter() {
            f.push((
                format!("locations.{}.{}", l.path, field.name()),
                count_value(c),
            ));
        }
        if let Some(note) = &l.note {
            f.push((format!("locations.{}.note", l.path), json!(note)));
        }
    }
    for (field, c) in r.casualties.iter() {
        f.push((format!("casualties.{}", field.name()), count_value(c)));
    }
    for (key, values) in [
        ("perpetrators", &r.perpetrators),
        ("incident_types", &r.incident_types),
        ("tags", &r.tags),
    ] {
        if !values.is_empty() {
            f.push((key.into(), json!(values)));
        }
    }
    for (key, value) in [
        ("updates", &r.updates),
        ("translation_of", &r.translation_of),
    ] {
        if let Some(v) = value {
            f.push((key.into(), json!(v)));
        }
    }
    f
}

/// How report `old` became `new`, when it changed at all.
fn changed(old: &Report, new: &Report) -> Option<ChangedReport> {
    let (before, after) = (facts(old), facts(new));
    let was: HashMap<&str, &Value> = before.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let is: HashMap<&str, &Value> = after.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let mut changes = Vec::new();
    for (key, value) in &after {
        match was.get(key.as_str()) {
            Some(old) if *old == value => {}
            old => changes.push(FieldChange {
                field: key.clone(),
                before: old.map(|v| (*v).clone()),
                after: Some(value.clone()),
            }),
        }
    }
    for (key, value) in &before {
        if !is.contains_key(key.as_str()) {
            changes.push(FieldChange {
                field: key.clone(),
                before: Some(value.clone()),
                after: None,
            });
        }
    }
    let (added, removed) = line_changes(old.body(), new.body());
    let text_changed = old.body() != new.body();
    (text_changed || !changes.is_empty()).then(|| ChangedReport {
        id: new.id.clone(),
        title: new.title.clone(),
        changes,
        text_changed,
        lines_added: added,
        lines_removed: removed,
    })
}

/// Lines added and removed between two texts, as multisets of lines (the order of
/// unchanged lines is not compared: a count for the reviewer, not a patch).
fn line_changes(old: &str, new: &str) -> (usize, usize) {
    let mut counts: HashMap<&str, isize> = HashMap::new();
    for l in old.lines() {
        *counts.entry(l).or_default() -= 1;
    }
    for l in new.lines() {
        *counts.entry(l).or_default() += 1;
    }
    let added = counts
        .values()
        .filter(|&&n| n > 0)
        .map(|&n| n as usize)
        .sum();
    let removed = counts
        .values()
        .filter(|&&n| n < 0)
        .map(|&n| (-n) as usize)
        .sum();
    (added, removed)
}

/// The spellings of every entry of the gazetteer (by path) and of the vocabulary (by list
/// and name).
fn spellings(a: &Archive) -> BTreeMap<(&'static str, String), BTreeSet<String>> {
    let mut map = BTreeMap::new();
    if let Some(g) = &a.gazetteer {
        for path in g.paths() {
            let info = g.get(path).expect("a listed path");
            let names = std::iter::once(info.name().to_string())
                .chain(info.aliases.iter().cloned())
                .collect();
            map.insert(("gazetteer", path.to_string()), names);
        }
    }
    if let Some(v) = &a.vocabulary {
        for list in crate::content::vocabulary::VOCABULARY_KEYS {
            for e in v.entries(list) {
                let names = std::iter::once(e.name.clone())
                    .chain(e.aliases.iter().cloned())
                    .collect();
                map.insert((list, e.name.clone()), names);
            }
        }
    }
    map
}

/// The places and terms each report resolves to, by report id, for the reports of both.
fn resolved(a: &Archive) -> HashMap<&str, BTreeSet<(&'static str, String)>> {
    a.reports
        .iter()
        .map(|r| {
            let mut set = BTreeSet::new();
            for l in &r.locations {
                set.insert(("gazetteer", l.path.clone()));
            }
            for p in &r.perpetrators {
                set.insert(("perpetrators", p.clone()));
            }
            for t in &r.incident_types {
                set.insert(("incident_types", t.clone()));
            }
            (r.id.as_str(), set)
        })
        .collect()
}

fn entries(before: &Archive, now: &Archive) -> Vec<EntryChange> {
    let (was, is) = (spellings(before), spellings(now));
    if was == is {
        return Vec::new();
    }
    // What each report resolves to then and now: an entry "moves" a report that gains or
    // loses it.
    let (then, later) = (resolved(before), resolved(now));
    let mut moved: HashMap<(&'static str, String), usize> = HashMap::new();
    for (id, now_set) in &later {
        let Some(then_set) = then.get(id) else {
            continue;
        };
        for key in now_set.symmetric_difference(then_set) {
            *moved.entry(key.clone()).or_default() += 1;
        }
    }
    let mut out = Vec::new();
    let keys: BTreeSet<&(&'static str, String)> = was.keys().chain(is.keys()).collect();
    for key in keys {
        let (old, new) = (was.get(key), is.get(key));
        let empty = BTreeSet::new();
        let (o, n) = (old.unwrap_or(&empty), new.unwrap_or(&empty));
        if old == new {
            continue;
        }
        out.push(EntryChange {
            list: key.0,
            entry: key.1.clone(),
            change: match (old, new) {
                (None, _) => "added",
                (_, None) => "removed",
                _ => "changed",
            },
            aliases_added: n.difference(o).cloned().collect(),
            aliases_removed: o.difference(n).cloned().collect(),
            reports_moved: moved.get(key).copied().unwrap_or(0),
        });
    }
    renames(out, &was, &is)
}

/// An entry removed and one added in the same list that share a spelling (the old name
/// kept as an alias, say) are one entry renamed: `old → new`.
fn renames(
    entries: Vec<EntryChange>,
    was: &BTreeMap<(&'static str, String), BTreeSet<String>>,
    is: &BTreeMap<(&'static str, String), BTreeSet<String>>,
) -> Vec<EntryChange> {
    let mut out: Vec<EntryChange> = Vec::with_capacity(entries.len());
    let mut taken = vec![false; entries.len()];
    for i in 0..entries.len() {
        if taken[i] {
            continue;
        }
        let e = &entries[i];
        let partner = (e.change == "removed")
            .then(|| {
                let old = &was[&(e.list, e.entry.clone())];
                (0..entries.len()).find(|&j| {
                    let a = &entries[j];
                    !taken[j]
                        && a.change == "added"
                        && a.list == e.list
                        && !is[&(a.list, a.entry.clone())].is_disjoint(old)
                })
            })
            .flatten();
        match partner {
            Some(j) => {
                taken[j] = true;
                let (old, new) = (
                    &was[&(e.list, e.entry.clone())],
                    &is[&(e.list, entries[j].entry.clone())],
                );
                out.push(EntryChange {
                    list: e.list,
                    entry: format!("{} → {}", e.entry, entries[j].entry),
                    change: "renamed",
                    aliases_added: new.difference(old).cloned().collect(),
                    aliases_removed: old.difference(new).cloned().collect(),
                    // The reports that lost the old name are those that gained the new.
                    reports_moved: e.reports_moved.max(entries[j].reports_moved),
                });
            }
            None => out.push(e.clone()),
        }
        taken[i] = true;
    }
    out
}

/// Every figure of a listing, by (scope, key) then field: places, years, months, terms
/// (a perpetrator's as `alone.<field>` and `shared.<field>`).
fn figures(a: &Archive) -> BTreeMap<(&'static str, String), BTreeMap<String, MinMax>> {
    let mut map = BTreeMap::new();
    let put = |counts: &Counts, prefix: &str| -> BTreeMap<String, MinMax> {
        counts
            .iter()
            .map(|(f, c)| (format!("{prefix}{}", f.name()), c.into()))
            .collect()
    };
    for n in &a.places.nodes {
        map.insert(("place", n.path.clone()), put(&n.totals, ""));
    }
    for (y, n) in &a.dates.years {
        map.insert(("date", format!("{y:04}")), put(&n.totals, ""));
    }
    for ((y, m), n) in &a.dates.months {
        map.insert(("date", format!("{y:04}-{m:02}")), put(&n.totals, ""));
    }
    for tax in &a.taxonomies {
        for t in &tax.terms {
            // By slug: a new spelling that sorts first renames a term, not its figures.
            let key = format!("{}/{}", tax.kind.folder_key(), t.slug);
            let figures = match (&t.attribution, tax.kind) {
                (Some(at), TaxonomyKind::Perpetrators) => {
                    let mut f = put(&at.alone, "alone.");
                    f.extend(put(&at.shared, "shared."));
                    f
                }
                _ => put(&t.totals, ""),
            };
            map.insert(("term", key), figures);
        }
    }
    map
}

fn totals(before: &Archive, now: &Archive) -> Vec<TotalChange> {
    let (was, is) = (figures(before), figures(now));
    let empty = BTreeMap::new();
    let keys: BTreeSet<&(&'static str, String)> = was.keys().chain(is.keys()).collect();
    let mut out = Vec::new();
    for key in keys {
        let (o, n) = (
            was.get(key).unwrap_or(&empty),
            is.get(key).unwrap_or(&empty),
        );
        let fields: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
        for field in fields {
            let (b, a) = (o.get(field).copied(), n.get(field).copied());
            if b != a {
                out.push(TotalChange {
                    scope: key.0,
                    key: key.1.clone(),
                    field: field.clone(),
                    before: b,
                    after: a,
                });
            }
        }
    }
    // Places, then dates, then terms; by key and field within each.
    let rank = |s: &str| match s {
        "place" => 0,
        "date" => 1,
        _ => 2,
    };
    out.sort_by(|x, y| {
        (rank(x.scope), &x.key, field_rank(&x.field)).cmp(&(
            rank(y.scope),
            &y.key,
            field_rank(&y.field),
        ))
    });
    out
}

/// Fields in the format's order (`alone.` before `shared.` for a perpetrator).
fn field_rank(field: &str) -> (u8, usize) {
    let (group, name) = match field.split_once('.') {
        Some(("alone", n)) => (1, n),
        Some(("shared", n)) => (2, n),
        _ => (0, field),
    };
    let at = crate::content::Field::ALL
        .iter()
        .position(|f| f.name() == name)
        .unwrap_or(usize::MAX);
    (group, at)
}

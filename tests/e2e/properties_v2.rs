//! Property (format v2): over archives of `scripts/gen_corpus.py` with follow-up accounts,
//! translations and a vocabulary, built with the CLI, every figure of the exports follows
//! the format's rules, recomputed here from `data/reports.json` alone (no sijill code):
//!
//! - the counting rule (`counted`) and the links of the accounts (`incident`, `updates`,
//!   `updated_by`, `translation_of`, `translations`);
//! - every place's, date's and term's `totals` (each counting report at most once, the
//!   v1 rule applied to counting reports only) and `reports` (one entry per incident);
//! - perpetrators' `alone` and `shared` (format v2, Attribution);
//! - the remainders that make totals reconcile (`not_below`, `across`);
//! - and, on a handful of report pages, the notice that links a superseded account to the
//!   current one and the current one's history of the incident.
//!
//! The corpora are generated into temp folders with `python3` (without it the tests fail,
//! they never pass unchecked): a few seeds and sizes, with the options `--updates 0.3
//! --translations 0.2 --vocabulary` and `--v2`. Their translations are in Arabic and the
//! site's language is English, so a listing's entry for an incident is its current account.
//! Each test also asserts that its corpus has what the checks are about (chains,
//! translations, perpetrators both alone and with others, remainders), so that a generator
//! that stopped writing them would fail here rather than leave the checks idle.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use crate::common::{
    REPO, TempDir, assert_success, element, elements, has_class, links, read_json, read_page,
    run_build, text_of,
};

/// Every count field of the format, as the exports name them.
const FIELDS: [&str; 8] = [
    "killed",
    "children",
    "women",
    "men",
    "civilians",
    "combatants",
    "injured",
    "missing",
];

// ---------------------------------------------------------------------------------------
// Counts, as the exports give them.
// ---------------------------------------------------------------------------------------

/// A count: `max: None` is "no upper bound".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Count {
    min: u64,
    max: Option<u64>,
}

/// A counts map: only the fields that are known.
type Counts = BTreeMap<&'static str, Count>;

/// Adds `b` into `a`, field by field: minimums add up, a maximum stays only while every
/// part added has one; a field `b` does not give leaves `a`'s as it is.
fn add_into(a: &mut Counts, b: &Counts) {
    for (&f, &c) in b {
        a.entry(f)
            .and_modify(|t| {
                t.min += c.min;
                t.max = t.max.zip(c.max).map(|(x, y)| x + y);
            })
            .or_insert(c);
    }
}

/// The field name of the format `name` is, or a panic naming it.
fn field(name: &str, what: &str) -> &'static str {
    FIELDS
        .iter()
        .copied()
        .find(|f| *f == name)
        .unwrap_or_else(|| panic!("{what}: unknown count field {name:?}"))
}

fn parse_count(v: &Value, what: &str) -> Count {
    let o = v
        .as_object()
        .unwrap_or_else(|| panic!("{what}: a count is an object: {v}"));
    assert!(
        o.keys().all(|k| k == "min" || k == "max") && o.contains_key("max"),
        "{what}: a count is {{min, max}}: {v}"
    );
    let min = o["min"]
        .as_u64()
        .unwrap_or_else(|| panic!("{what}: min: {v}"));
    let max = match &o["max"] {
        Value::Null => None,
        m => Some(m.as_u64().unwrap_or_else(|| panic!("{what}: max: {v}"))),
    };
    assert!(max.is_none_or(|m| m >= min), "{what}: max below min: {v}");
    Count { min, max }
}

fn parse_counts(v: &Value, what: &str) -> Counts {
    v.as_object()
        .unwrap_or_else(|| panic!("{what}: a counts map is an object: {v}"))
        .iter()
        .map(|(k, c)| (field(k, what), parse_count(c, &format!("{what}.{k}"))))
        .collect()
}

/// A map of minimums (`not_below`, `across`).
fn parse_minimums(v: &Value, what: &str) -> BTreeMap<&'static str, u64> {
    v.as_object()
        .unwrap_or_else(|| panic!("{what}: a map of minimums is an object: {v}"))
        .iter()
        .map(|(k, n)| {
            let n = n
                .as_u64()
                .unwrap_or_else(|| panic!("{what}.{k}: a minimum: {n}"));
            (field(k, what), n)
        })
        .collect()
}

fn minimum(c: &Counts, f: &str) -> u64 {
    c.get(f).map_or(0, |c| c.min)
}

// ---------------------------------------------------------------------------------------
// The records of data/reports.json.
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
struct Rec {
    id: String,
    url: String,
    title: String,
    date: NaiveDate,
    start: NaiveDate,
    end: NaiveDate,
    kind: String,
    lang: String,
    locations: Vec<(String, Counts)>,
    casualties: Counts,
    perpetrators: Vec<String>,
    incident_types: Vec<String>,
    tags: Vec<String>,
    incident: Option<String>,
    updates: Option<String>,
    updated_by: Option<String>,
    translation_of: Option<String>,
    translations: Vec<String>,
    counted: bool,
}

impl Rec {
    /// An entry of the listings: the current account of its incident, not a translation
    /// (the corpora's translations are in Arabic, the site's language is English).
    fn listed(&self) -> bool {
        self.updated_by.is_none() && self.translation_of.is_none()
    }

    /// The names of terms of `kind` (`incident_types`, `perpetrators`, `tags`).
    fn terms(&self, kind: &str) -> &[String] {
        match kind {
            "incident_types" => &self.incident_types,
            "perpetrators" => &self.perpetrators,
            "tags" => &self.tags,
            _ => panic!("unknown term kind {kind:?}"),
        }
    }
}

fn string(v: &Value, what: &str) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("{what}: a string: {v}"))
        .to_string()
}

fn opt_string(v: &Value, what: &str) -> Option<String> {
    (!v.is_null()).then(|| string(v, what))
}

fn strings(v: &Value, what: &str) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("{what}: a list: {v}"))
        .iter()
        .map(|s| string(s, what))
        .collect()
}

fn date(v: &Value, what: &str) -> NaiveDate {
    string(v, what)
        .parse()
        .unwrap_or_else(|e| panic!("{what}: a date: {v}: {e}"))
}

fn parse_rec(v: &Value) -> Rec {
    let id = string(&v["id"], "id");
    let w = |k: &str| format!("{id}: {k}");
    let locations: Vec<(String, Counts)> = v["locations"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", w("locations")))
        .iter()
        .map(|l| {
            (
                string(&l["path"], &w("locations[].path")),
                parse_counts(&l["counts"], &w("locations[].counts")),
            )
        })
        .collect();
    assert!(!locations.is_empty(), "{id}: no locations");
    let counted = v["counted"]
        .as_bool()
        .unwrap_or_else(|| panic!("{}", w("counted")));
    Rec {
        url: string(&v["url"], &w("url")),
        title: string(&v["title"], &w("title")),
        date: date(&v["date"], &w("date")),
        start: date(&v["period"]["start"], &w("period.start")),
        end: date(&v["period"]["end"], &w("period.end")),
        kind: string(&v["kind"], &w("kind")),
        lang: string(&v["lang"], &w("lang")),
        locations,
        casualties: parse_counts(&v["casualties"], &w("casualties")),
        perpetrators: strings(&v["perpetrators"], &w("perpetrators")),
        incident_types: strings(&v["incident_types"], &w("incident_types")),
        tags: strings(&v["tags"], &w("tags")),
        incident: opt_string(&v["incident"], &w("incident")),
        updates: opt_string(&v["updates"], &w("updates")),
        updated_by: opt_string(&v["updated_by"], &w("updated_by")),
        translation_of: opt_string(&v["translation_of"], &w("translation_of")),
        translations: strings(&v["translations"], &w("translations")),
        counted,
        id,
    }
}

// ---------------------------------------------------------------------------------------
// The rules, computed naively.
// ---------------------------------------------------------------------------------------

/// True when `place` is `node` or lies below it.
fn inside(place: &str, node: &str) -> bool {
    place == node
        || (place.len() > node.len()
            && place.starts_with(node)
            && place.as_bytes()[node.len()] == b'/')
}

/// What counting report `r` adds to place `node`: its casualties when every location lies
/// inside, else the counts of its locations inside (v1, "Totals never double count").
fn place_part(r: &Rec, node: &str) -> Counts {
    if r.locations.iter().all(|(p, _)| inside(p, node)) {
        return r.casualties.clone();
    }
    let mut part = Counts::new();
    for (p, counts) in &r.locations {
        if inside(p, node) {
            add_into(&mut part, counts);
        }
    }
    part
}

/// The sum of `parts`, with the records that gave a non-empty part (for messages).
fn total<'a>(parts: impl Iterator<Item = (&'a Rec, Counts)>) -> (Counts, Vec<String>) {
    let mut sum = Counts::new();
    let mut involved = Vec::new();
    for (r, part) in parts {
        if !part.is_empty() {
            involved.push(format!("{} {:?}", r.id, part));
        }
        add_into(&mut sum, &part);
    }
    (sum, involved)
}

/// The failures of one corpus, gathered so that a failing run names every case, not
/// only the first.
struct Failures {
    corpus: String,
    list: Vec<String>,
}

impl Failures {
    fn check(&mut self, ok: bool, why: impl FnOnce() -> String) {
        if !ok {
            self.list.push(why());
        }
    }

    /// Panics, naming the first failures, when there are any.
    fn finish(self, what: &str) {
        if self.list.is_empty() {
            return;
        }
        let mut text = format!(
            "{}: {} failure(s) of {what}; the first ones:\n",
            self.corpus,
            self.list.len()
        );
        for f in self.list.iter().take(12) {
            let _ = writeln!(text, "- {f}");
        }
        panic!("{text}");
    }
}

/// One generated archive, built: the exports read back.
struct Built {
    name: String,
    _tmp: TempDir,
    out: std::path::PathBuf,
    /// The `- name:` entries of `content/vocabulary.yaml`, when the corpus has one.
    vocabulary: Option<BTreeSet<String>>,
    reports: Vec<Rec>,
    places: Value,
    dates: Value,
    terms: Value,
}

/// Generates `--n n --seed seed <options>` with `scripts/gen_corpus.py` and builds it.
fn generate_and_build(n: u32, seed: u32, options: &[&str]) -> Built {
    let name = format!("--n {n} --seed {seed} {}", options.join(" "));
    let tmp = TempDir::new(&format!("prop-v2-{seed}"));
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    let generated = Command::new("python3")
        .arg(Path::new(REPO).join("scripts/gen_corpus.py"))
        .args(["--n", &n.to_string(), "--seed", &seed.to_string()])
        .args(["--format", "native", "--out"])
        .arg(&root)
        .args(options)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("python3 (needed to generate the corpus) did not run: {e}"));
    assert!(
        generated.status.success(),
        "gen_corpus.py {name}: {}\n{}",
        generated.status,
        String::from_utf8_lossy(&generated.stderr)
    );
    assert_success(&run_build(&root, &out, &[]));
    let vocabulary = std::fs::read_to_string(root.join("content/vocabulary.yaml"))
        .ok()
        .map(|text| {
            text.lines()
                .filter_map(|l| l.trim_start().strip_prefix("- name: "))
                .map(|n| serde_json::from_str::<String>(n).expect("a double-quoted name"))
                .collect()
        });
    let reports = read_json(&out.join("data/reports.json"))
        .as_array()
        .expect("reports.json is an array")
        .iter()
        .map(parse_rec)
        .collect();
    Built {
        places: read_json(&out.join("data/places.json")),
        dates: read_json(&out.join("data/dates.json")),
        terms: read_json(&out.join("data/terms.json")),
        name,
        _tmp: tmp,
        out,
        vocabulary,
        reports,
    }
}

fn array<'a>(v: &'a Value, what: &str) -> &'a [Value] {
    v.as_array()
        .unwrap_or_else(|| panic!("{what} is a JSON array"))
        .as_slice()
}

fn count_of(v: &Value, what: &str) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("{what}: a number: {v}"))
}

// ---------------------------------------------------------------------------------------
// The checks.
// ---------------------------------------------------------------------------------------

/// The incidents: the accounts of each chain, first to current (translations aside).
fn check_links(b: &Built) -> Vec<Vec<&Rec>> {
    let mut fail = Failures {
        corpus: b.name.clone(),
        list: Vec::new(),
    };
    let by_id: BTreeMap<&str, &Rec> = b.reports.iter().map(|r| (r.id.as_str(), r)).collect();
    assert_eq!(by_id.len(), b.reports.len(), "{}: repeated ids", b.name);
    let ids: Vec<&str> = b.reports.iter().map(|r| r.id.as_str()).collect();
    fail.check(ids.is_sorted(), || {
        "reports.json is not sorted by id".into()
    });
    let get = |id: &str| by_id.get(id).copied();

    for r in &b.reports {
        fail.check(r.url == format!("reports/{}/", r.id), || {
            format!("{}: url {:?}", r.id, r.url)
        });
        // The counting rule.
        let counts = r.kind == "incident" && r.translation_of.is_none() && r.updated_by.is_none();
        fail.check(r.counted == counts, || {
            format!(
                "{}: counted {} but kind {}, translation_of {:?}, updated_by {:?}",
                r.id, r.counted, r.kind, r.translation_of, r.updated_by
            )
        });
        // `updates` and `updated_by` are mutual, within one kind, never with translations.
        if let Some(u) = &r.updates {
            match get(u) {
                None => fail.list.push(format!("{}: updates unknown {u}", r.id)),
                Some(prev) => {
                    fail.check(prev.updated_by.as_deref() == Some(&r.id), || {
                        format!(
                            "{}: updates {u}, whose updated_by is {:?}",
                            r.id, prev.updated_by
                        )
                    });
                    fail.check(prev.kind == r.kind, || {
                        format!("{}: a {} updating the {} {u}", r.id, r.kind, prev.kind)
                    });
                    fail.check(prev.date <= r.date, || {
                        format!("{}: dated {} before {u} ({})", r.id, r.date, prev.date)
                    });
                    fail.check(
                        prev.translation_of.is_none() && r.translation_of.is_none(),
                        || format!("{}: updates {u}: a translation in a chain", r.id),
                    );
                }
            }
        }
        if let Some(u) = &r.updated_by {
            match get(u) {
                None => fail.list.push(format!("{}: updated_by unknown {u}", r.id)),
                Some(next) => fail.check(next.updates.as_deref() == Some(&r.id), || {
                    format!("{}: updated_by {u}, which updates {:?}", r.id, next.updates)
                }),
            }
        }
        // Translations: of an original that is no translation, with its facts and
        // incident, linked back from it, never in a chain, never counted.
        if let Some(o) = &r.translation_of {
            match get(o) {
                None => fail
                    .list
                    .push(format!("{}: translation of unknown {o}", r.id)),
                Some(orig) => {
                    fail.check(orig.translation_of.is_none(), || {
                        format!("{}: translation of {o}, itself a translation", r.id)
                    });
                    fail.check(orig.translations.contains(&r.id), || {
                        format!(
                            "{}: translation of {o}, whose translations are {:?}",
                            r.id, orig.translations
                        )
                    });
                    fail.check(r.incident == orig.incident, || {
                        format!(
                            "{}: incident {:?}, its original's {:?}",
                            r.id, r.incident, orig.incident
                        )
                    });
                    fail.check(r.lang != orig.lang, || {
                        format!("{}: the language of {o}", r.id)
                    });
                    let facts = |x: &Rec| {
                        (
                            x.start,
                            x.end,
                            x.kind.clone(),
                            x.locations.clone(),
                            x.casualties.clone(),
                        )
                    };
                    fail.check(facts(r) == facts(orig), || {
                        format!("{}: period, kind, places or counts differ from {o}'s", r.id)
                    });
                }
            }
            fail.check(r.updates.is_none() && r.updated_by.is_none(), || {
                format!("{}: a translation in a chain", r.id)
            });
            fail.check(r.translations.is_empty(), || {
                format!("{}: a translation translated", r.id)
            });
        }
        for t in &r.translations {
            fail.check(
                get(t).is_some_and(|t| t.translation_of.as_deref() == Some(&r.id)),
                || format!("{}: lists translation {t}, which is not one of it", r.id),
            );
        }
        let langs: Vec<&str> = r
            .translations
            .iter()
            .filter_map(|t| get(t).map(|t| t.lang.as_str()))
            .collect();
        fail.check(langs.is_sorted(), || {
            format!("{}: translations not sorted by language", r.id)
        });
    }

    // Chains: from each first account (no `updates`) along `updated_by`; together they
    // hold every account that is no translation, each once, and each has one current
    // account; its `incident` is the first account's id.
    let mut chains = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for first in b
        .reports
        .iter()
        .filter(|r| r.updates.is_none() && r.translation_of.is_none())
    {
        let mut chain = vec![first];
        while let Some(next) = chain.last().unwrap().updated_by.as_deref().and_then(get) {
            if chain.len() > b.reports.len() {
                break;
            }
            chain.push(next);
        }
        let current: Vec<&str> = chain
            .iter()
            .filter(|r| r.updated_by.is_none())
            .map(|r| r.id.as_str())
            .collect();
        fail.check(current.len() == 1, || {
            format!("chain of {}: current accounts {current:?}", first.id)
        });
        for r in &chain {
            fail.check(seen.insert(&r.id), || format!("{} is in two chains", r.id));
            fail.check(r.incident.as_deref() == Some(&first.id), || {
                format!(
                    "{}: incident {:?}, its chain's first account is {}",
                    r.id, r.incident, first.id
                )
            });
        }
        chains.push(chain);
    }
    for r in b.reports.iter().filter(|r| r.translation_of.is_none()) {
        fail.check(seen.contains(r.id.as_str()), || {
            format!("{} is in no chain from a first account (a cycle?)", r.id)
        });
    }
    fail.finish("the counting rule and the links between accounts");
    chains
}

fn check_places(b: &Built) {
    let mut fail = Failures {
        corpus: b.name.clone(),
        list: Vec::new(),
    };
    let counted: Vec<&Rec> = b.reports.iter().filter(|r| r.counted).collect();
    let listed: Vec<&Rec> = b.reports.iter().filter(|r| r.listed()).collect();
    let places = array(&b.places, "places.json");

    // The nodes: every prefix of every place of an entry.
    let prefixes = |rs: &[&Rec]| -> BTreeSet<String> {
        let mut set = BTreeSet::new();
        for r in rs {
            for (p, _) in &r.locations {
                let parts: Vec<&str> = p.split('/').collect();
                for n in 1..=parts.len() {
                    set.insert(parts[..n].join("/"));
                }
            }
        }
        set
    };
    let paths: Vec<String> = places.iter().map(|p| string(&p["path"], "path")).collect();
    let nodes: BTreeSet<String> = paths.iter().cloned().collect();
    fail.check(paths.is_sorted() && nodes.len() == paths.len(), || {
        "places.json is not sorted by path, or repeats one".into()
    });
    let want = prefixes(&listed);
    fail.check(nodes == want, || {
        format!(
            "places: only exported {:?}, only expected {:?}",
            nodes.difference(&want).collect::<Vec<_>>(),
            want.difference(&nodes).collect::<Vec<_>>()
        )
    });

    let mut totals_by_path: BTreeMap<&str, Counts> = BTreeMap::new();
    for (p, path) in places.iter().zip(&paths) {
        let totals = parse_counts(&p["totals"], &format!("place {path}: totals"));
        let (want, involved) = total(counted.iter().map(|r| (*r, place_part(r, path))));
        fail.check(totals == want, || {
            format!(
                "place {path}: totals {totals:?}, expected {want:?} from the counting reports {involved:?}"
            )
        });
        let reports = count_of(&p["reports"], path);
        let entries: Vec<&str> = listed
            .iter()
            .filter(|r| r.locations.iter().any(|(l, _)| inside(l, path)))
            .map(|r| r.id.as_str())
            .collect();
        fail.check(reports == entries.len() as u64, || {
            format!(
                "place {path}: reports {reports}, expected {} entries {entries:?}",
                entries.len()
            )
        });
        totals_by_path.insert(path, totals);
    }

    // Reconcile: totals.min = the children's + not_below, for every field totals gives.
    for (p, path) in places.iter().zip(&paths) {
        let totals = &totals_by_path[path.as_str()];
        let rest = parse_minimums(&p["not_below"], &format!("place {path}: not_below"));
        let keys: BTreeSet<&str> = totals.keys().copied().collect();
        fail.check(
            rest.keys().copied().collect::<BTreeSet<_>>() == keys,
            || format!("place {path}: not_below {rest:?} for totals {totals:?}"),
        );
        let children: Vec<(&str, &Counts)> = totals_by_path
            .iter()
            .filter(|(c, _)| {
                c.strip_prefix(path.as_str())
                    .and_then(|s| s.strip_prefix('/'))
                    .is_some_and(|s| !s.contains('/'))
            })
            .map(|(c, t)| (*c, t))
            .collect();
        for f in keys {
            let below: u64 = children.iter().map(|(_, t)| minimum(t, f)).sum();
            let r = rest.get(f).copied().unwrap_or(0);
            fail.check(totals[f].min == below + r, || {
                format!(
                    "place {path}: {f} {} != the children's {below} + not_below {r} ({:?})",
                    totals[f].min,
                    children
                        .iter()
                        .map(|(c, t)| (c, minimum(t, f)))
                        .collect::<Vec<_>>()
                )
            });
        }
    }
    fail.finish("the place totals");
}

/// A date page's period: its first and last day, and what it is made of.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Unit {
    Year,
    Month,
    Day,
}

fn unit_of(label: &str) -> (Unit, NaiveDate, NaiveDate) {
    let parse = |s: String| -> NaiveDate {
        s.parse()
            .unwrap_or_else(|e| panic!("date page {label:?}: {e}"))
    };
    match label.len() {
        4 => {
            let y: i32 = label.parse().expect("a year");
            (
                Unit::Year,
                NaiveDate::from_ymd_opt(y, 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(y, 12, 31).unwrap(),
            )
        }
        7 => {
            let first = parse(format!("{label}-01"));
            let next = first
                .checked_add_months(chrono::Months::new(1))
                .expect("a next month");
            (Unit::Month, first, next.pred_opt().unwrap())
        }
        10 => {
            let d = parse(label.to_string());
            (Unit::Day, d, d)
        }
        _ => panic!("date page {label:?}"),
    }
}

fn check_dates(b: &Built) {
    let mut fail = Failures {
        corpus: b.name.clone(),
        list: Vec::new(),
    };
    let counted: Vec<&Rec> = b.reports.iter().filter(|r| r.counted).collect();
    let listed: Vec<&Rec> = b.reports.iter().filter(|r| r.listed()).collect();
    let dates = array(&b.dates, "dates.json");
    let labels: Vec<String> = dates.iter().map(|d| string(&d["date"], "date")).collect();

    // The pages: every day an entry's period touches, and its month and year.
    let touched = |rs: &[&Rec]| -> BTreeSet<String> {
        let mut set = BTreeSet::new();
        for r in rs {
            for d in r.start.iter_days().take_while(|d| *d <= r.end) {
                set.insert(d.to_string());
                set.insert(format!("{:04}-{:02}", d.year(), d.month()));
                set.insert(format!("{:04}", d.year()));
            }
        }
        set
    };
    let want = touched(&listed);
    let got: BTreeSet<String> = labels.iter().cloned().collect();
    fail.check(labels.is_sorted() && got.len() == labels.len(), || {
        "dates.json is not sorted by date, or repeats one".into()
    });
    fail.check(got == want, || {
        format!(
            "date pages: only exported {:?}, only expected {:?}",
            got.difference(&want).take(10).collect::<Vec<_>>(),
            want.difference(&got).take(10).collect::<Vec<_>>()
        )
    });

    let mut totals_of: BTreeMap<&str, Counts> = BTreeMap::new();
    for (d, label) in dates.iter().zip(&labels) {
        let (unit, lo, hi) = unit_of(label);
        let totals = parse_counts(&d["totals"], &format!("date {label}: totals"));
        let wholly = |r: &Rec| lo <= r.start && r.end <= hi;
        let (want, involved) = total(
            counted
                .iter()
                .filter(|r| wholly(r))
                .map(|r| (*r, r.casualties.clone())),
        );
        fail.check(totals == want, || {
            format!("date {label}: totals {totals:?}, expected {want:?} from {involved:?}")
        });
        let reports = count_of(&d["reports"], label);
        let entries: Vec<&str> = listed
            .iter()
            .filter(|r| r.start <= hi && r.end >= lo)
            .map(|r| r.id.as_str())
            .collect();
        fail.check(reports == entries.len() as u64, || {
            format!(
                "date {label}: reports {reports}, expected {} entries {entries:?}",
                entries.len()
            )
        });
        // `across`: years and months only; the reports wholly inside that span more than
        // one month (day), recomputed here as well.
        if unit == Unit::Day {
            fail.check(d.get("across").is_none(), || {
                format!("day {label} has `across`")
            });
        } else {
            let across = parse_minimums(&d["across"], &format!("date {label}: across"));
            let spans = |r: &Rec| match unit {
                Unit::Year => (r.start.year(), r.start.month()) != (r.end.year(), r.end.month()),
                _ => r.start != r.end,
            };
            let mut want = BTreeMap::new();
            for f in totals.keys() {
                let n: u64 = counted
                    .iter()
                    .filter(|r| wholly(r) && spans(r))
                    .map(|r| minimum(&r.casualties, f))
                    .sum();
                want.insert(*f, n);
            }
            fail.check(across == want, || {
                format!("date {label}: across {across:?}, expected {want:?}")
            });
        }
        totals_of.insert(label, totals);
    }

    // Reconcile: a year's (month's) totals.min = its months' (days') + across.
    for (d, label) in dates.iter().zip(&labels) {
        let (unit, _, _) = unit_of(label);
        if unit == Unit::Day {
            continue;
        }
        let totals = &totals_of[label.as_str()];
        let across = parse_minimums(&d["across"], label);
        let len = if unit == Unit::Year { 7 } else { 10 };
        let parts: Vec<&Counts> = totals_of
            .iter()
            .filter(|(l, _)| l.len() == len && l.starts_with(&format!("{label}-")))
            .map(|(_, t)| t)
            .collect();
        for f in totals.keys() {
            let sum: u64 = parts.iter().map(|t| minimum(t, f)).sum();
            let a = across.get(f).copied().unwrap_or(0);
            fail.check(totals[f].min == sum + a, || {
                format!(
                    "date {label}: {f} {} != its parts' {sum} + across {a}",
                    totals[f].min
                )
            });
        }
    }
    fail.finish("the date totals");
}

/// Returns how many perpetrators have both an `alone` and a `shared` figure.
fn check_terms(b: &Built) -> usize {
    let mut fail = Failures {
        corpus: b.name.clone(),
        list: Vec::new(),
    };
    let counted: Vec<&Rec> = b.reports.iter().filter(|r| r.counted).collect();
    let listed: Vec<&Rec> = b.reports.iter().filter(|r| r.listed()).collect();
    let terms = array(&b.terms, "terms.json");
    const KINDS: [(&str, &str); 3] = [
        ("incident_types", "types"),
        ("perpetrators", "perpetrators"),
        ("tags", "tags"),
    ];

    let mut exported: BTreeSet<(String, String)> = BTreeSet::new();
    let mut order = Vec::new();
    let mut both = 0;
    for t in terms {
        let kind = string(&t["kind"], "kind");
        let name = string(&t["name"], "name");
        let slug = string(&t["slug"], "slug");
        let label = format!("{kind} {name:?}");
        let Some(&(_, dir)) = KINDS.iter().find(|(k, _)| *k == kind) else {
            fail.list.push(format!("{label}: unknown kind"));
            continue;
        };
        fail.check(string(&t["url"], "url") == format!("{dir}/{slug}/"), || {
            format!("{label}: url {}", t["url"])
        });
        order.push((kind.clone(), slug));
        fail.check(exported.insert((kind.clone(), name.clone())), || {
            format!("{label}: twice")
        });
        let has = |r: &Rec| r.terms(&kind).contains(&name);

        let reports = count_of(&t["reports"], &label);
        let entries: Vec<&str> = listed
            .iter()
            .filter(|r| has(r))
            .map(|r| r.id.as_str())
            .collect();
        fail.check(reports == entries.len() as u64, || {
            format!(
                "{label}: reports {reports}, expected {} entries {entries:?}",
                entries.len()
            )
        });

        let sum = |pick: &dyn Fn(&Rec) -> bool| {
            total(
                counted
                    .iter()
                    .filter(|r| pick(r))
                    .map(|r| (*r, r.casualties.clone())),
            )
        };
        if kind == "perpetrators" {
            fail.check(t["totals"].is_null(), || {
                format!("{label}: totals {} (a perpetrator's are null)", t["totals"])
            });
            let distinct = |r: &Rec| r.perpetrators.iter().collect::<BTreeSet<_>>().len();
            let alone = parse_counts(&t["alone"], &format!("{label}: alone"));
            let shared = parse_counts(&t["shared"], &format!("{label}: shared"));
            let (want_alone, inv_alone) = sum(&|r| has(r) && distinct(r) == 1);
            let (want_shared, inv_shared) = sum(&|r| has(r) && distinct(r) > 1);
            fail.check(alone == want_alone, || {
                format!("{label}: alone {alone:?}, expected {want_alone:?} from {inv_alone:?}")
            });
            fail.check(shared == want_shared, || {
                format!("{label}: shared {shared:?}, expected {want_shared:?} from {inv_shared:?}")
            });
            both += usize::from(!alone.is_empty() && !shared.is_empty());
        } else {
            let totals = parse_counts(&t["totals"], &format!("{label}: totals"));
            let (want, involved) = sum(&|r| has(r));
            fail.check(totals == want, || {
                format!("{label}: totals {totals:?}, expected {want:?} from {involved:?}")
            });
            fail.check(
                t.get("alone").is_none() && t.get("shared").is_none(),
                || format!("{label}: alone or shared on a term that is no perpetrator"),
            );
        }
    }
    fail.check(order.is_sorted(), || {
        "terms.json is not sorted by kind, then slug".into()
    });

    // Every term of an entry has a record.
    let mut want: BTreeSet<(String, String)> = BTreeSet::new();
    let mut used: BTreeSet<(String, String)> = BTreeSet::new();
    for r in &b.reports {
        for (kind, _) in KINDS {
            for name in r.terms(kind) {
                used.insert((kind.to_string(), name.clone()));
                if r.listed() {
                    want.insert((kind.to_string(), name.clone()));
                }
            }
        }
    }
    fail.check(exported == want, || {
        format!(
            "terms: only exported {:?}, only expected {:?}",
            exported.difference(&want).collect::<Vec<_>>(),
            want.difference(&exported).collect::<Vec<_>>()
        )
    });
    // With a vocabulary, every account's perpetrators and incident types are its names
    // (aliases resolved).
    if let Some(names) = &b.vocabulary {
        for (kind, name) in &used {
            fail.check(kind == "tags" || names.contains(name), || {
                format!("{kind} {name:?} is not a name of content/vocabulary.yaml")
            });
        }
    }
    fail.finish("the term totals");
    both
}

/// The notice of superseded accounts and the history of current ones, on the pages of a
/// few chains (the longest, and the first few by id).
fn check_pages(b: &Built, chains: &[Vec<&Rec>]) {
    let mut long: Vec<&Vec<&Rec>> = chains.iter().filter(|c| c.len() > 1).collect();
    let longest = long.iter().copied().max_by_key(|c| c.len()).cloned();
    long.truncate(4);
    long.extend(longest.as_ref());
    for chain in long {
        let current = chain.last().unwrap();
        let current_url = format!("/{}", current.url);
        for old in &chain[..chain.len() - 1] {
            let page = read_page(&b.out, &old.url);
            let notice = element(&page, |t| t.name == "p" && has_class(t, "notice"))
                .unwrap_or_else(|| panic!("{}: {} has no notice", b.name, old.id));
            assert!(
                links(notice).contains(&current_url),
                "{}: the notice of {} does not link the current account {}: {notice}",
                b.name,
                old.id,
                current.id
            );
        }
        let page = read_page(&b.out, &current.url);
        let history = element(&page, |t| t.name == "section" && has_class(t, "history"))
            .unwrap_or_else(|| panic!("{}: {} has no history", b.name, current.id));
        let rows: Vec<String> = element(history, |t| t.name == "tbody")
            .map(|body| elements(body, |t| t.name == "tr"))
            .unwrap_or_default()
            .into_iter()
            .map(text_of)
            .collect();
        assert_eq!(
            rows.len(),
            chain.len(),
            "{}: the history of {} lists {rows:?}, the chain is {:?}",
            b.name,
            current.id,
            chain.iter().map(|r| &r.id).collect::<Vec<_>>()
        );
        for (row, account) in rows.iter().zip(chain) {
            assert!(
                row.contains(&account.title),
                "{}: the history of {}: row {row:?} is not {} ({:?})",
                b.name,
                current.id,
                account.id,
                account.title
            );
        }
        let linked: Vec<String> = links(history)
            .into_iter()
            .filter(|l| l.starts_with("/reports/"))
            .collect();
        let earlier: Vec<String> = chain[..chain.len() - 1]
            .iter()
            .map(|r| format!("/{}", r.url))
            .collect();
        assert_eq!(
            linked, earlier,
            "{}: the history of {} links the earlier accounts, oldest first",
            b.name, current.id
        );
    }
}

/// Builds one corpus and runs every check on it.
fn corpus(n: u32, seed: u32, options: &[&str]) {
    let b = generate_and_build(n, seed, options);
    let chains = check_links(&b);
    check_places(&b);
    check_dates(&b);
    let both = check_terms(&b);
    check_pages(&b, &chains);

    // The corpus has what the checks are about: chains (some of three accounts or more),
    // translations, reports split by place and counted only in part somewhere, remainders
    // and a perpetrator both alone and with others.
    let name = &b.name;
    assert!(
        b.reports.iter().any(|r| r.updated_by.is_some()),
        "{name}: no chains"
    );
    assert!(
        chains.iter().any(|c| c.len() >= 3),
        "{name}: no chain of 3 accounts"
    );
    assert!(
        b.reports.iter().any(|r| r.translation_of.is_some()),
        "{name}: no translations"
    );
    assert!(
        b.reports
            .iter()
            .any(|r| r.counted && r.locations.iter().any(|(_, c)| !c.is_empty())),
        "{name}: no counting report with per-place counts"
    );
    assert!(
        b.reports.iter().any(|r| !r.counted && r.kind == "incident"),
        "{name}: no incident left uncounted"
    );
    assert!(
        both > 0,
        "{name}: no perpetrator both alone and with others"
    );
    let nonzero = |v: &Value, key: &str| {
        array(v, key).iter().any(|x| {
            x[key]
                .as_object()
                .is_some_and(|m| m.values().any(|n| n != 0))
        })
    };
    assert!(b.vocabulary.is_some(), "{name}: no content/vocabulary.yaml");
    assert!(
        nonzero(&b.places, "not_below"),
        "{name}: no place remainder"
    );
    assert!(nonzero(&b.dates, "across"), "{name}: no date remainder");
}

#[test]
fn v2_exports_follow_the_rules_300_reports_seed_1() {
    corpus(
        300,
        1,
        &["--updates", "0.3", "--translations", "0.2", "--vocabulary"],
    );
}

#[test]
fn v2_exports_follow_the_rules_700_reports_seed_7() {
    corpus(
        700,
        7,
        &["--updates", "0.3", "--translations", "0.2", "--vocabulary"],
    );
}

#[test]
fn v2_exports_follow_the_rules_450_reports_seed_2_v2() {
    corpus(450, 2, &["--v2"]);
}

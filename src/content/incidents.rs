//! The rules of format v2 that need the whole archive: `updates` chains (an id that exists,
//! no cycle, one updater per report, dates that do not go back, one kind, no translation in
//! a chain; warnings for a draft in the chain, a lowered count, places that do not
//! overlap) and translations (an original that exists and is not a translation, another
//! language, one per language, restated facts that agree). A translation's left-out facts
//! are filled in from its original here, so that everything after `content/` reads a
//! translation as a whole report.
//!
//! Rules on references are checked for every readable file ([`Identity`]), valid or not;
//! rules that compare two reports' facts, on valid reports only.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::counts::Counts;
use super::crosscheck::position;
use super::diagnostics::Diagnostic;
use super::names::closest_key;
use super::report::{Inherited, Report, iso_date};
use super::validate::{Identity, Reference};

/// "Did you mean" for an unknown id is a scan of the ids: only the first few get one.
const SUGGESTED_IDS: usize = 20;
/// Ids a "did you mean" measures its distance to, at most.
const SUGGESTION_CANDIDATES: usize = 2_000;

/// Checks `updates` and `translation_of` across the archive, and fills in translations.
/// `identities` covers every readable file, sorted by file; `reports` are the valid ones.
pub(crate) fn check(
    reports: &mut [Arc<Report>],
    identities: &[Identity],
    root: &Path,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    if identities
        .iter()
        .all(|i| i.updates.is_none() && i.translation_of.is_none())
    {
        return problems;
    }
    let mut by_id: HashMap<&str, &Identity> = HashMap::with_capacity(identities.len());
    for ident in identities {
        by_id.entry(ident.id.as_str()).or_insert(ident);
    }
    let mut suggested = 0;
    let mut unknown = |ident: &Identity, r: &Reference, key: &str| {
        let mut d = Diagnostic::error(
            &ident.file,
            r.position,
            "unknown-report",
            format!("`{key}: {}` names no report of the archive", r.id),
        );
        suggested += 1;
        let near = (suggested <= SUGGESTED_IDS)
            .then(|| {
                // Among ids of about its length that begin alike (ids begin with their date,
                // by convention): a distance to each of 100,000 ids would take seconds.
                let near_len = |id: &str| id.len().abs_diff(r.id.len()) <= (id.len() / 3).max(2);
                let begins = |n: usize| {
                    let prefix = &r.id[..r.id.len().min(n)];
                    let mut ids: Vec<&str> = by_id
                        .keys()
                        .copied()
                        .filter(|&id| id != ident.id && id.starts_with(prefix) && near_len(id))
                        .collect();
                    ids.sort_unstable();
                    ids.truncate(SUGGESTION_CANDIDATES);
                    ids
                };
                let mut ids = begins(7);
                if ids.is_empty() {
                    ids = begins(2);
                }
                closest_key(&r.id, &ids)
            })
            .flatten();
        d.help = Some(match near {
            Some(id) => format!("did you mean `{id}`?"),
            None => {
                "write the id of an existing report: its `id:`, or its file name without .md".into()
            }
        });
        d
    };

    // References: to a report that exists, and never through a translation.
    for ident in identities {
        if let Some(r) = &ident.updates {
            match by_id.get(r.id.as_str()) {
                None => problems.push(unknown(ident, r, "updates")),
                Some(target) => {
                    if let Some(original) = &target.translation_of {
                        problems.push(
                            Diagnostic::error(&ident.file, r.position, "translation-in-chain", format!("`{}` is a translation (of `{}`): translations are not accounts of their own", r.id, original.id))
                                .with_help(format!("update the original instead: `updates: {}`", original.id)),
                        );
                    }
                }
            }
        }
        if let Some(r) = &ident.translation_of {
            match by_id.get(r.id.as_str()) {
                None => problems.push(unknown(ident, r, "translation_of")),
                Some(target) => {
                    if let Some(original) = &target.translation_of {
                        problems.push(
                            Diagnostic::error(
                                &ident.file,
                                r.position,
                                "translation-of-translation",
                                format!("`{}` is itself a translation of `{}`", r.id, original.id),
                            )
                            .with_help(format!(
                                "name the original: `translation_of: {}`",
                                original.id
                            )),
                        );
                    }
                }
            }
        }
    }

    let filled: Vec<(usize, usize)> = {
        let report_of: HashMap<&str, usize> = reports
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let valid = |id: &str| report_of.get(id).map(|&i| &*reports[i]);
        chains_are_linear(identities, &by_id, &valid, &mut problems);
        no_cycles(identities, &by_id, &mut problems);
        for ident in identities {
            let (Some(r), Some(update)) = (&ident.updates, valid(&ident.id)) else {
                continue;
            };
            // Between two accounts: a translation in a chain is an error of its own above.
            if let Some(earlier) = valid(&r.id).filter(|e| !e.is_translation())
                && !update.is_translation()
            {
                compare_accounts(ident, r, update, earlier, root, &mut problems);
            }
        }
        translations(identities, &valid, root, &mut problems)
            .into_iter()
            .map(|(t, o)| (report_of[t.as_str()], report_of[o.as_str()]))
            .collect()
    };
    for (t, original) in filled {
        let original = Arc::clone(&reports[original]);
        inherit(Arc::make_mut(&mut reports[t]), &original);
    }
    problems
}

/// Two reports updating one report: the chain would fork. Every updater after the first
/// (by date, then file) is reported, naming the first.
fn chains_are_linear<'a>(
    identities: &'a [Identity],
    by_id: &HashMap<&str, &Identity>,
    valid: &impl Fn(&str) -> Option<&'a Report>,
    problems: &mut Vec<Diagnostic>,
) {
    let mut updaters: HashMap<&str, Vec<&Identity>> = HashMap::new();
    for ident in identities {
        if let Some(r) = &ident.updates
            && by_id.contains_key(r.id.as_str())
        {
            updaters.entry(r.id.as_str()).or_default().push(ident);
        }
    }
    let mut forks: Vec<(&str, Vec<&Identity>)> =
        updaters.into_iter().filter(|(_, u)| u.len() > 1).collect();
    forks.sort_unstable_by_key(|(id, _)| *id);
    for (target, mut list) in forks {
        list.sort_by_key(|i| (valid(&i.id).map(|r| r.date), i.file.as_str()));
        let first = list[0];
        for later in &list[1..] {
            let r = later.updates.as_ref().expect("an updater");
            problems.push(
                Diagnostic::error(
                    &later.file,
                    r.position,
                    "chain-fork",
                    format!(
                        "`{target}` is also updated by {} (`{}`): a chain of accounts is linear",
                        first.file, first.id
                    ),
                )
                .with_help(format!(
                    "this is a later account than both: write `updates: {}`",
                    first.id
                )),
            );
        }
    }
}

/// `updates` that lead back to where they started: each report of the cycle is reported.
fn no_cycles(
    identities: &[Identity],
    by_id: &HashMap<&str, &Identity>,
    problems: &mut Vec<Diagnostic>,
) {
    // 0: not seen; 1: on the walk under way; 2: done.
    let mut state: HashMap<&str, u8> = HashMap::new();
    for start in identities.iter().filter(|i| i.updates.is_some()) {
        let mut walk: Vec<&Identity> = Vec::new();
        let mut at = Some(start);
        while let Some(ident) = at {
            match state.get(ident.id.as_str()).copied().unwrap_or(0) {
                2 => break,
                1 => {
                    let from = walk
                        .iter()
                        .position(|i| i.id == ident.id)
                        .expect("on the walk");
                    let cycle = &walk[from..];
                    let names: Vec<&str> = cycle
                        .iter()
                        .map(|i| i.id.as_str())
                        .chain([cycle[0].id.as_str()])
                        .collect();
                    for member in cycle {
                        let r = member.updates.as_ref().expect("in a cycle");
                        problems.push(
                            Diagnostic::error(
                                &member.file,
                                r.position,
                                "chain-cycle",
                                format!("`updates` makes a cycle: {}", names.join(" → ")),
                            )
                            .with_help(
                                "the first account of an incident updates nothing: remove \
                                 `updates:` from the earliest report",
                            ),
                        );
                    }
                    break;
                }
                _ => {
                    state.insert(&ident.id, 1);
                    walk.push(ident);
                    at = ident
                        .updates
                        .as_ref()
                        .and_then(|r| by_id.get(r.id.as_str()).copied());
                }
            }
        }
        for ident in walk {
            state.insert(&ident.id, 2);
        }
    }
}

/// The rules between an update and the account it updates.
fn compare_accounts(
    ident: &Identity,
    r: &Reference,
    update: &Report,
    earlier: &Report,
    root: &Path,
    problems: &mut Vec<Diagnostic>,
) {
    let file = &ident.file;
    if update.date < earlier.date {
        problems.push(
            Diagnostic::error(
                file,
                r.position,
                "update-before",
                format!(
                    "this update is dated {}, before the account it updates (`{}`, {})",
                    iso_date(update.date),
                    earlier.id,
                    iso_date(earlier.date)
                ),
            )
            .with_help(
                "an update is published after what it revises: check both `date:`s, or make the \
                 earlier report update this one",
            ),
        );
    }
    if update.kind != earlier.kind {
        problems.push(
            Diagnostic::error(
                file,
                r.position,
                "update-kind",
                format!(
                    "this {} updates `{}`, of kind {}: both accounts of an incident are of one kind",
                    update.kind.name(),
                    earlier.id,
                    earlier.kind.name()
                ),
            )
            .with_help("give both reports the same `kind:`"),
        );
    }
    if earlier.draft && !update.draft {
        problems.push(
            Diagnostic::warning(
                file,
                r.position,
                "updates-draft",
                format!("`{}`, which this report updates, is a draft", earlier.id),
            )
            .with_help(
                "until the draft is published this report counts alone, as an incident of its \
                 own",
            ),
        );
    }
    for (field, before) in earlier.casualties.iter() {
        let Some(after) = update.casualties.get(field) else {
            continue;
        };
        if after.min < before.min {
            problems.push(
                Diagnostic::warning(
                    file,
                    position(update, &format!("casualties.{}", field.name()), root),
                    "lowered-count",
                    format!(
                        "`{}` goes down from {before} (in `{}`) to {after}",
                        field.name(),
                        earlier.id
                    ),
                )
                .with_help(
                    "tolls usually rise as accounts come in: check the figure, and say in the \
                     text why it is lower if it is",
                ),
            );
        }
    }
    let related = |a: &str, b: &str| inside(a, b) || inside(b, a);
    let overlap = update
        .locations
        .iter()
        .any(|u| earlier.locations.iter().any(|e| related(&u.path, &e.path)));
    if !overlap {
        problems.push(
            Diagnostic::warning(
                file,
                r.position,
                "places-differ",
                format!(
                    "none of this report's places lies inside, or contains, a place of `{}`",
                    earlier.id
                ),
            )
            .with_help("an update is an account of the same incident: check the id"),
        );
    }
}

/// True when place `path` is `place` or lies inside it.
fn inside(path: &str, place: &str) -> bool {
    path.strip_prefix(place)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The rules of translations; returns the (translation, original) ids to fill in.
fn translations<'a>(
    identities: &[Identity],
    valid: &impl Fn(&str) -> Option<&'a Report>,
    root: &Path,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, String)> {
    let mut filled = Vec::new();
    let mut by_language: HashMap<(&str, &str), &str> = HashMap::new();
    for ident in identities {
        let (Some(r), Some(t)) = (&ident.translation_of, valid(&ident.id)) else {
            continue;
        };
        let Some(original) = valid(&r.id) else {
            continue;
        };
        if original.is_translation() {
            continue; // reported above
        }
        let file = &ident.file;
        if original.lang == t.lang {
            problems.push(
                Diagnostic::error(
                    file,
                    r.position,
                    "translation-same-language",
                    format!(
                        "this translation and its original `{}` are both in `{}`",
                        original.id, t.lang
                    ),
                )
                .with_help(
                    "give the translation its language (`lang: ar`), or, if it is another \
                     account of the incident, use `updates:`",
                ),
            );
            continue;
        }
        if let Some(first) = by_language.insert((&original.id, &t.lang), file) {
            by_language.insert((&original.id, &t.lang), first);
            problems.push(
                Diagnostic::error(
                    file,
                    r.position,
                    "duplicate-translation",
                    format!(
                        "`{}` already has a translation in `{}`: {first}",
                        original.id, t.lang
                    ),
                )
                .with_help("keep one translation per language: merge the two files"),
            );
            continue;
        }
        if original.draft && !t.draft {
            problems.push(
                Diagnostic::warning(
                    file,
                    r.position,
                    "translation-of-draft",
                    format!(
                        "`{}`, which this report translates, is a draft",
                        original.id
                    ),
                )
                .with_help(
                    "the translation is published alone (listed nowhere, counted nowhere) until \
                     its original is",
                ),
            );
        }
        let mut agree = true;
        for fact in Inherited::ALL {
            if !t.restated.has(fact) {
                continue;
            }
            if let Some((here, there)) = disagreement(fact, t, original) {
                agree = false;
                problems.push(
                    Diagnostic::error(
                        file,
                        position(t, fact.key(), root),
                        "translation-disagrees",
                        format!(
                            "`{}` is {here} here but {there} in the original `{}`",
                            fact.key(),
                            original.id
                        ),
                    )
                    .with_help(format!(
                        "a translation gives its original's facts: write the same, or leave \
                         `{}` out to take the original's",
                        fact.key()
                    )),
                );
            }
        }
        if agree {
            filled.push((t.id.clone(), original.id.clone()));
        }
    }
    filled
}

/// How `fact` is worded in translation `t` and in its original, when the two differ.
fn disagreement(fact: Inherited, t: &Report, original: &Report) -> Option<(String, String)> {
    let words = |r: &Report| -> String {
        match fact {
            Inherited::Period => {
                let (s, e) = r.period;
                if s == e {
                    iso_date(s)
                } else {
                    format!("{} to {}", iso_date(s), iso_date(e))
                }
            }
            Inherited::Locations => {
                // The same places in another order are the same places.
                let mut places: Vec<String> = r
                    .locations
                    .iter()
                    .map(|l| {
                        if l.counts.is_empty() {
                            l.path.clone()
                        } else {
                            format!("{} ({})", l.path, counts(&l.counts))
                        }
                    })
                    .collect();
                places.sort_unstable();
                format!("[{}]", places.join(", "))
            }
            Inherited::Casualties => counts(&r.casualties),
            Inherited::Perpetrators => sorted(&r.perpetrators),
            Inherited::IncidentTypes => sorted(&r.incident_types),
            Inherited::Tags => sorted(&r.tags),
            Inherited::Source => match &r.source {
                None => "none".into(),
                Some(s) => format!(
                    "{} {} {}",
                    s.name.as_deref().unwrap_or("-"),
                    s.url.as_deref().unwrap_or("-"),
                    s.archive_url.as_deref().unwrap_or("-")
                ),
            },
            Inherited::Kind => r.kind.name().into(),
            Inherited::Status => match r.status {
                Some(super::Status::Provisional) => "provisional".into(),
                Some(super::Status::Final) => "final".into(),
                None => "not given".into(),
            },
        }
    };
    let (here, there) = match fact {
        // The totals a translation writes: a translation that leaves out its places has
        // no per-place counts to add up, so only the fields it gives are compared.
        Inherited::Casualties => {
            let mut given = Counts::default();
            for (f, _) in t.casualties.iter() {
                if let Some(c) = original.casualties.get(f) {
                    given.set(f, c);
                }
            }
            (counts(&t.casualties), counts(&given))
        }
        _ => (words(t), words(original)),
    };
    (here != there).then(|| (format!("`{here}`"), format!("`{there}`")))
}

fn sorted(values: &[String]) -> String {
    let mut v: Vec<&str> = values.iter().map(String::as_str).collect();
    v.sort_unstable();
    format!("[{}]", v.join(", "))
}

/// `killed: at least 50, children: 20`
fn counts(c: &Counts) -> String {
    if c.is_empty() {
        return "none".into();
    }
    c.iter()
        .map(|(f, n)| format!("{}: {n}", f.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Gives translation `t` the facts it leaves out, from `original`.
fn inherit(t: &mut Report, original: &Report) {
    for fact in Inherited::ALL {
        // Restated totals agree with the original's on what they give; the original's
        // also hold what its per-place counts add up to.
        if t.restated.has(fact) && fact != Inherited::Casualties {
            continue;
        }
        match fact {
            Inherited::Period => t.period = original.period,
            Inherited::Locations => t.locations.clone_from(&original.locations),
            Inherited::Casualties => {
                t.casualties = original.casualties;
                t.casualties_raw.clone_from(&original.casualties_raw);
            }
            Inherited::Perpetrators => t.perpetrators.clone_from(&original.perpetrators),
            Inherited::IncidentTypes => t.incident_types.clone_from(&original.incident_types),
            Inherited::Tags => t.tags.clone_from(&original.tags),
            Inherited::Source => t.source.clone_from(&original.source),
            Inherited::Kind => t.kind = original.kind,
            Inherited::Status => t.status = original.status,
        }
    }
}

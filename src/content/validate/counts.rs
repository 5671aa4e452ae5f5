//! Counts of people: one count (`5`, `{min, max, raw}`), a set of them with its breakdowns,
//! and the report's totals against the sum of its locations.

use super::checker::Checker;
use crate::content::counts::{Count, Counts, Field, MAX_COUNT};
use crate::content::raw::{RawCount, RawCounts};
use crate::content::report::Location;
use crate::content::text::FieldKind;

/// The report's totals and the source's wording of each.
pub(super) struct Totals {
    /// `casualties` as written, a field missing there being the sum of the locations'.
    pub(super) casualties: Counts,
    /// `raw:` of each total, by field.
    pub(super) casualties_raw: Vec<(Field, String)>,
}

/// Checks `casualties` and fills the fields it does not give from the `locations`.
pub(super) fn totals(c: &mut Checker, raw: &Option<RawCounts>, locations: &[Location]) -> Totals {
    let (mut casualties, casualties_raw) = match raw {
        Some(rc) => c.counts("casualties", rc),
        None => (Counts::default(), Vec::new()),
    };
    for field in Field::ALL {
        let parts: Vec<Count> = locations
            .iter()
            .filter_map(|l| l.counts.get(field))
            .collect();
        if parts.is_empty() {
            continue;
        }
        let sum = parts.iter().skip(1).fold(parts[0], |a, b| a + *b);
        match casualties.get(field) {
            Some(total) if sum.min > total.min => {
                c.at_key(
                    &format!("casualties.{}", field.name()),
                    "locations-above-total",
                    format!(
                        "the locations add up to {} {}, more than the report's total ({})",
                        sum.min,
                        field.name(),
                        total
                    ),
                )
                .help = Some("check the per-location figures, or raise the total".into());
            }
            Some(_) => {}
            None => casualties.set(field, sum),
        }
    }
    Totals {
        casualties,
        casualties_raw,
    }
}

impl Checker<'_> {
    /// One count; `None` (reported) when negative, too large or with `min` above `max`.
    pub(super) fn count(&mut self, path: &str, raw: &RawCount) -> Option<Count> {
        let Some(min) = raw.min else {
            self.at_value(path, "invalid-count", "a count needs `min`".into())
                .help = Some(
                "write `{min: N}` for \"at least N\" or `{min: N, max: M}` for a range".into(),
            );
            return None;
        };
        let min_path = if raw.exact {
            path.to_string()
        } else {
            format!("{path}.min")
        };
        if min < 0 {
            self.at_value(
                &min_path,
                "negative-count",
                format!("count is negative ({min})"),
            )
            .help = Some("counts are numbers of people: 0 or more".into());
            return None;
        }
        for (at, n) in [(Some(min_path.as_str()), min), (None, raw.max.unwrap_or(0))] {
            if n > MAX_COUNT {
                let at = at.map_or_else(|| format!("{path}.max"), str::to_string);
                self.at_value(&at, "count-too-large", format!("count is too large ({n})"))
                    .help = Some(format!(
                    "counts are numbers of people: at most {MAX_COUNT}, more than live on Earth"
                ));
                return None;
            }
        }
        let max = match raw.max {
            Some(m) if m < 0 => {
                self.at_value(
                    &format!("{path}.max"),
                    "negative-count",
                    format!("count is negative ({m})"),
                )
                .help = Some("counts are numbers of people: 0 or more".into());
                return None;
            }
            Some(m) if m < min => {
                self.at_value(
                    &format!("{path}.max"),
                    "min-above-max",
                    format!("`min` ({min}) is larger than `max` ({m})"),
                )
                .help = Some("swap the two numbers, or drop `max` for \"at least\"".into());
                return None;
            }
            Some(m) => Some(m as u64),
            None => None,
        };
        Some(Count {
            min: min as u64,
            max,
        })
    }

    /// Checks a set of counts; returns them with their `raw:` wordings.
    pub(super) fn counts(&mut self, base: &str, raw: &RawCounts) -> (Counts, Vec<(Field, String)>) {
        let known: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        self.unknown_keys(base, &raw.unknown, &known);
        let mut counts = Counts::default();
        let mut words = Vec::new();
        for (field, rc) in &raw.fields {
            let path = format!("{base}.{}", field.name());
            if let Some(c) = self.count(&path, rc) {
                counts.set(*field, c);
            }
            if let Some(w) = &rc.raw {
                self.characters(&format!("{path}.raw"), "`raw`", w, FieldKind::Text);
                words.push((*field, w.clone()));
            }
        }
        if let Some(killed) = counts.get(Field::Killed) {
            for group in Field::BREAKDOWNS {
                let sum: u64 = group
                    .iter()
                    .filter_map(|f| counts.get(*f))
                    .map(|c| c.min)
                    .sum();
                if sum > killed.min {
                    let names: Vec<&str> = group.iter().map(|f| f.name()).collect();
                    let first = group
                        .iter()
                        .find(|f| counts.get(**f).is_some())
                        .expect("sum > 0");
                    self.at_key(
                        &format!("{base}.{}", first.name()),
                        "breakdown-above-total",
                        format!(
                            "{} add up to {sum}, more than `killed` ({})",
                            names.join(" + "),
                            killed.min
                        ),
                    )
                    .help =
                        Some("breakdowns count people among the killed; check the figures".into());
                }
            }
        }
        (counts, words)
    }
}

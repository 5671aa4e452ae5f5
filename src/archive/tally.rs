//! Totals a report's share can be taken out of again: what each listing of the archive
//! (place, date, term) adds up, kept so that the preview can follow one changed report
//! without adding up the listing again.

use crate::content::counts::{Count, Counts, Field};

/// A sum of counts that a part can be taken out of again: per field, how many parts give
/// it, the sums of their minimums and of their maximums, and how many give no maximum.
/// ([`Counts::add`] cannot be undone: "at least" absorbs a maximum, and a field once given
/// stays.) [`Tally::counts`] is what adding the parts with [`Counts::add`] makes: sums of
/// checked counts ([`MAX_COUNT`](crate::content::counts::MAX_COUNT) each) stay far from the limit, so nothing saturates.
/// The preview server keeps one per listing, to follow a changed report's counts without
/// adding up the listing again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally([CountTally; Field::ALL.len()]);

/// The sum of one field's counts that a part can be taken out of again: how many parts
/// give it, the sums of their minimums and of their maximums, and how many give no maximum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CountTally {
    given: u64,
    min: u64,
    max: u64,
    open: u64,
}

impl CountTally {
    /// Adds `count` in, or takes it (added in before) out again.
    pub fn step(&mut self, count: Count, add: bool) {
        let step = |total: &mut u64, part: u64| {
            *total = if add {
                total.wrapping_add(part)
            } else {
                total.wrapping_sub(part)
            }
        };
        step(&mut self.given, 1);
        step(&mut self.min, count.min);
        match count.max {
            Some(max) => step(&mut self.max, max),
            None => step(&mut self.open, 1),
        }
    }

    /// The sum, when any part is left.
    pub fn count(&self) -> Option<Count> {
        (self.given > 0).then(|| Count {
            min: self.min,
            max: (self.open == 0).then_some(self.max),
        })
    }
}

impl Tally {
    /// Adds `counts` in.
    pub fn add(&mut self, counts: &Counts) {
        self.step(counts, true);
    }

    /// Takes `counts`, added in before, out again.
    pub fn remove(&mut self, counts: &Counts) {
        self.step(counts, false);
    }

    fn step(&mut self, counts: &Counts, add: bool) {
        for (t, c) in self.0.iter_mut().zip(counts.by_field()) {
            if let Some(c) = c {
                t.step(*c, add);
            }
        }
    }

    /// The sum.
    pub fn counts(&self) -> Counts {
        Counts::from_fields(self.0.map(|t| t.count()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tally_gives_the_sum_and_takes_parts_out_exactly() {
        let mut a = Counts::default();
        a.set(Field::Killed, Count::exact(3));
        let mut b = Counts::default();
        b.set(Field::Killed, Count { min: 2, max: None });
        b.set(Field::Injured, Count::exact(1));
        let (mut sum, mut tally) = (Counts::default(), Tally::default());
        for part in [&a, &b, &a] {
            sum.add(part);
            tally.add(part);
        }
        assert_eq!(tally.counts(), sum);
        tally.remove(&b);
        let mut without_b = a;
        without_b.add(&a);
        assert_eq!(
            tally.counts(),
            without_b,
            "the maximum and the field come back"
        );
        tally.remove(&a);
        tally.remove(&a);
        assert_eq!(tally.counts(), Counts::default());
    }
}

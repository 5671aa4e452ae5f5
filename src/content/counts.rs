//! Casualty counts: exact numbers, "at least N" and ranges, and how they add up.

use std::fmt;

use serde::ser::{Serialize, SerializeMap, SerializeStruct, Serializer};

/// A count field of the format. The order here is the order on every page and export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// People killed.
    Killed,
    /// Of the killed: children.
    Children,
    /// Of the killed: women.
    Women,
    /// Of the killed: men.
    Men,
    /// Of the killed: civilians.
    Civilians,
    /// Of the killed: combatants.
    Combatants,
    /// People injured.
    Injured,
    /// People missing.
    Missing,
}

impl Field {
    /// Every field, in display order.
    pub const ALL: [Field; 8] = [
        Field::Killed,
        Field::Children,
        Field::Women,
        Field::Men,
        Field::Civilians,
        Field::Combatants,
        Field::Injured,
        Field::Missing,
    ];

    /// The key as written in front matter and exports.
    pub fn name(self) -> &'static str {
        match self {
            Field::Killed => "killed",
            Field::Children => "children",
            Field::Women => "women",
            Field::Men => "men",
            Field::Civilians => "civilians",
            Field::Combatants => "combatants",
            Field::Injured => "injured",
            Field::Missing => "missing",
        }
    }

    /// The field written as `name`, if any.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Breakdowns of `killed`: each group must not add up to more than `killed`.
    pub const BREAKDOWNS: [&'static [Field]; 2] = [
        &[Field::Children, Field::Women, Field::Men],
        &[Field::Civilians, Field::Combatants],
    ];
}

/// The largest count accepted (more people than live on Earth). It keeps every sum of
/// counts, over any archive, far from overflowing.
pub const MAX_COUNT: i64 = 10_000_000_000;

/// A count: an exact number (`min == max`), "at least `min`" (`max` is `None`) or a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Count {
    /// The number that is certain.
    pub min: u64,
    /// The largest possible number, when one is known.
    pub max: Option<u64>,
}

impl Count {
    /// An exact count.
    pub fn exact(n: u64) -> Self {
        Count {
            min: n,
            max: Some(n),
        }
    }
}

impl std::ops::Add for Count {
    type Output = Count;

    /// Minimums add up; a maximum survives only while every part has one. (Saturating:
    /// checked counts cannot get near the limit, but a sum must never wrap around.)
    fn add(self, other: Count) -> Count {
        Count {
            min: self.min.saturating_add(other.min),
            max: self.max.zip(other.max).map(|(a, b)| a.saturating_add(b)),
        }
    }
}

impl fmt::Display for Count {
    /// "50", "at least 50" or "12–20".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.max {
            Some(max) if max == self.min => write!(f, "{}", self.min),
            Some(max) => write!(f, "{}–{}", self.min, max),
            None => write!(f, "at least {}", self.min),
        }
    }
}

impl Serialize for Count {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Count", 2)?;
        s.serialize_field("min", &self.min)?;
        s.serialize_field("max", &self.max)?;
        s.end()
    }
}

/// A value per count field, any of them absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts([Option<Count>; Field::ALL.len()]);

impl Counts {
    /// The count of `field`, if given.
    pub fn get(&self, field: Field) -> Option<Count> {
        self.0[field as usize]
    }

    /// Sets the count of `field`.
    pub fn set(&mut self, field: Field, count: Count) {
        self.0[field as usize] = Some(count);
    }

    /// Every field's count in [`Field::ALL`] order, absent ones included (for sums kept
    /// field by field, such as the archive's tallies).
    pub fn by_field(&self) -> &[Option<Count>; Field::ALL.len()] {
        &self.0
    }

    /// Counts from every field's count in [`Field::ALL`] order.
    pub fn from_fields(fields: [Option<Count>; Field::ALL.len()]) -> Counts {
        Counts(fields)
    }

    /// True when no field is given.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(Option::is_none)
    }

    /// Adds `other` field by field; a field absent on both sides stays absent.
    pub fn add(&mut self, other: &Counts) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0.iter()) {
            if let Some(t) = theirs {
                *mine = Some(mine.map_or(*t, |m| m + *t));
            }
        }
    }

    /// The given fields with their counts, in display order.
    pub fn iter(&self) -> impl Iterator<Item = (Field, Count)> + '_ {
        Field::ALL
            .into_iter()
            .filter_map(|f| self.get(f).map(|c| (f, c)))
    }
}

impl Serialize for Counts {
    /// A map with only the given fields: `{"killed": {"min": 50, "max": null}}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        for (field, count) in self.iter() {
            map.serialize_entry(field.name(), &count)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adding_keeps_max_only_when_all_parts_have_one() {
        let exact = Count::exact(5);
        let range = Count {
            min: 2,
            max: Some(4),
        };
        let open = Count { min: 10, max: None };
        assert_eq!((exact + range).to_string(), "7–9");
        assert_eq!((exact + exact).to_string(), "10");
        assert_eq!((exact + open).to_string(), "at least 15");
    }

    #[test]
    fn counts_add_field_by_field() {
        let mut a = Counts::default();
        a.set(Field::Killed, Count::exact(3));
        let mut b = Counts::default();
        b.set(Field::Killed, Count::exact(2));
        b.set(Field::Injured, Count { min: 1, max: None });
        a.add(&b);
        assert_eq!(a.get(Field::Killed), Some(Count::exact(5)));
        assert_eq!(a.get(Field::Injured).unwrap().to_string(), "at least 1");
        assert_eq!(a.get(Field::Women), None);
    }
}

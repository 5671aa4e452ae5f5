//! Front matter *as written*: strings where the format has dates, places and enums, signed
//! numbers where counts must be non-negative, so that every such mistake reaches validation
//! (and gets a precise message) instead of stopping the parser. Unknown keys are collected,
//! not fatal, so one run reports all of them.
//!
//! Each field is the format key of the same name, documented in docs/format.md.
#![allow(missing_docs)]

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::counts::Field;

/// Declares the top-level keys of a kind of content file once: from this one list come the
/// key list (for "did you mean" on unknown keys), the struct's fields and the reading of
/// each key. A key may be given once; any other key is collected in `unknown`.
macro_rules! front_matter {
    ($(#[$sdoc:meta])* $name:ident, $(#[$kdoc:meta])* $keys:ident {
        $($(#[$doc:meta])* $key:ident: $ty:ty,)*
    }) => {
        $(#[$kdoc])*
        pub const $keys: &[&str] = &[$(stringify!($key)),*];

        $(#[$sdoc])*
        #[derive(Debug, Default, PartialEq)]
        pub struct $name {
            $($(#[$doc])* pub $key: Option<$ty>,)*
            /// Keys that are not part of the format, in the order written.
            pub unknown: Vec<String>,
        }

        impl $name {
            /// Reads the value of `key` into its field; false for a key not in the format.
            fn read_field<'de, A: MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> Result<bool, A::Error> {
                match key {
                    $(stringify!($key) => put(&mut self.$key, stringify!($key), map.next_value()?)?,)*
                    _ => return Ok(false),
                }
                Ok(true)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("front matter fields such as `title: ...`")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        let mut r = $name::default();
                        while let Some(key) = map.next_key::<String>()? {
                            if !r.read_field(&key, &mut map)? {
                                map.next_value::<IgnoredAny>()?;
                                r.unknown.push(key);
                            }
                        }
                        Ok(r)
                    }
                }
                deserializer.deserialize_map(V)
            }
        }
    };
}

front_matter! {
    /// A report's front matter as written.
    RawReport,
    /// The top-level keys of the report format (v1, then v2's), in the order of docs/format.md.
    REPORT_KEYS {
        title: String,
        date: String,
        period: RawPeriod,
        id: String,
        kind: String,
        status: String,
        lang: String,
        source: RawSource,
        locations: Vec<RawLocation>,
        casualties: RawCounts,
        perpetrators: Vec<String>,
        incident_types: Vec<String>,
        tags: Vec<String>,
        draft: bool,
        updates: String,
        translation_of: String,
    }
}

front_matter! {
    /// A page's front matter (`content/pages/<slug>.md`) as written.
    RawPage,
    /// The keys of a page, in the order of docs/format.md.
    PAGE_KEYS {
        title: String,
        lang: String,
        translation_of: String,
        order: i64,
        description: String,
    }
}

/// Keys of a location map besides the count fields.
pub const LOCATION_KEYS: &[&str] = &["place", "note"];

/// `period:` as written.
#[derive(Debug, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    pub start: Option<String>,
    pub end: Option<String>,
}

/// `source:` as written.
#[derive(Debug, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub name: Option<String>,
    pub url: Option<String>,
    pub archive_url: Option<String>,
}

/// One entry of `locations:`: a bare place path, or a place with its own counts.
#[derive(Debug, PartialEq)]
pub enum RawLocation {
    /// `- Syria/Idlib/Saraqib`
    Path(String),
    /// `- {place: Syria/Idlib/Saraqib, killed: 3, note: ...}`
    Detailed {
        place: Option<String>,
        note: Option<String>,
        counts: RawCounts,
    },
}

impl RawLocation {
    /// The place path as written, if any.
    pub fn place(&self) -> Option<&str> {
        match self {
            RawLocation::Path(p) => Some(p),
            RawLocation::Detailed { place, .. } => place.as_deref(),
        }
    }
}

/// A count as written: a bare integer, or `{min, max, raw}`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RawCount {
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub raw: Option<String>,
    /// Written as a bare integer.
    pub exact: bool,
}

/// Count fields as written, in the order written, plus any unknown keys.
#[derive(Debug, Default, PartialEq)]
pub struct RawCounts {
    pub fields: Vec<(Field, RawCount)>,
    pub unknown: Vec<String>,
}

fn put<T, E: de::Error>(slot: &mut Option<T>, key: &'static str, value: T) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(key));
    }
    *slot = Some(value);
    Ok(())
}

impl<'de> Deserialize<'de> for RawLocation {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawLocation;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a place path such as `Syria/Idlib/Saraqib`, or a map with `place:`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawLocation, E> {
                Ok(RawLocation::Path(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawLocation, A::Error> {
                let (mut place, mut note) = (None, None);
                let mut counts = RawCounts::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "place" => put(&mut place, "place", map.next_value()?)?,
                        "note" => put(&mut note, "note", map.next_value()?)?,
                        _ => counts.read_entry(key, &mut map)?,
                    }
                }
                Ok(RawLocation::Detailed {
                    place,
                    note,
                    counts,
                })
            }
        }
        deserializer.deserialize_any(V)
    }
}

impl RawCounts {
    fn read_entry<'de, A: MapAccess<'de>>(
        &mut self,
        key: String,
        map: &mut A,
    ) -> Result<(), A::Error> {
        match Field::from_name(&key) {
            Some(field) => {
                if self.fields.iter().any(|(f, _)| *f == field) {
                    return Err(de::Error::duplicate_field(field.name()));
                }
                self.fields.push((field, map.next_value()?));
            }
            None => {
                map.next_value::<IgnoredAny>()?;
                self.unknown.push(key);
            }
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for RawCounts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCounts;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("count fields such as `killed: 5`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawCounts, A::Error> {
                let mut counts = RawCounts::default();
                while let Some(key) = map.next_key::<String>()? {
                    counts.read_entry(key, &mut map)?;
                }
                Ok(counts)
            }
        }
        deserializer.deserialize_map(V)
    }
}

impl<'de> Deserialize<'de> for RawCount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a whole number, `{min: N}` or `{min: N, max: M}`")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawCount, E> {
                Ok(RawCount {
                    min: Some(v),
                    max: Some(v),
                    raw: None,
                    exact: true,
                })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawCount, E> {
                let v = i64::try_from(v).map_err(|_| E::custom("count is too large"))?;
                self.visit_i64(v)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawCount, A::Error> {
                let mut c = RawCount::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "min" => put(&mut c.min, "min", map.next_value()?)?,
                        "max" => put(&mut c.max, "max", map.next_value()?)?,
                        "raw" => put(&mut c.raw, "raw", map.next_value()?)?,
                        other => {
                            return Err(de::Error::unknown_field(other, &["min", "max", "raw"]));
                        }
                    }
                }
                Ok(c)
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::yaml;

    const EVERY_KEY: &str = "title: T\ndate: 2018-01-01\nperiod: {start: 2018-01-01}\nid: x\n\
        kind: incident\nstatus: final\nlang: en\nsource: {name: S}\nlocations: [Syria]\n\
        casualties: {killed: 1}\nperpetrators: [P]\nincident_types: [I]\ntags: [T]\n\
        draft: false\nupdates: y\ntranslation_of: z\n";

    #[test]
    fn every_declared_key_is_read_into_its_field() {
        let raw: RawReport = yaml::from_str(EVERY_KEY).expect("reads");
        assert!(raw.unknown.is_empty(), "{:?}", raw.unknown);
        assert_eq!(EVERY_KEY.lines().count(), REPORT_KEYS.len());
        for (line, key) in EVERY_KEY.lines().zip(REPORT_KEYS) {
            assert!(line.starts_with(&format!("{key}:")), "{line} / {key}");
        }
        assert_eq!(raw.title.as_deref(), Some("T"));
        assert_eq!(raw.draft, Some(false));
    }

    #[test]
    fn keys_outside_the_format_are_collected_in_order_and_repeats_refused() {
        let raw: RawReport = yaml::from_str("zeta: 1\ntitle: T\nalpha: 2\n").expect("reads");
        assert_eq!(raw.unknown, ["zeta", "alpha"]);
        let twice = yaml::from_str::<RawReport>("title: A\ntitle: B\n").unwrap_err();
        assert!(
            twice.message.contains("duplicate field `title`"),
            "{}",
            twice.message
        );
    }
}

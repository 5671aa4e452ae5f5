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

/// The top-level keys of report format v1.
pub const REPORT_KEYS: &[&str] = &[
    "title",
    "date",
    "period",
    "id",
    "kind",
    "status",
    "lang",
    "source",
    "locations",
    "casualties",
    "perpetrators",
    "incident_types",
    "tags",
    "draft",
];

/// Keys of a location map besides the count fields.
pub const LOCATION_KEYS: &[&str] = &["place", "note"];

/// A report's front matter as written.
#[derive(Debug, Default, PartialEq)]
pub struct RawReport {
    pub title: Option<String>,
    pub date: Option<String>,
    pub period: Option<RawPeriod>,
    pub id: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub lang: Option<String>,
    pub source: Option<RawSource>,
    pub locations: Option<Vec<RawLocation>>,
    pub casualties: Option<RawCounts>,
    pub perpetrators: Option<Vec<String>>,
    pub incident_types: Option<Vec<String>>,
    pub tags: Option<Vec<String>>,
    pub draft: Option<bool>,
    /// Keys that are not part of the format, in the order written.
    pub unknown: Vec<String>,
}

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

impl<'de> Deserialize<'de> for RawReport {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawReport;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("front matter fields such as `title: ...`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawReport, A::Error> {
                let mut r = RawReport::default();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "title" => put(&mut r.title, "title", map.next_value()?)?,
                        "date" => put(&mut r.date, "date", map.next_value()?)?,
                        "period" => put(&mut r.period, "period", map.next_value()?)?,
                        "id" => put(&mut r.id, "id", map.next_value()?)?,
                        "kind" => put(&mut r.kind, "kind", map.next_value()?)?,
                        "status" => put(&mut r.status, "status", map.next_value()?)?,
                        "lang" => put(&mut r.lang, "lang", map.next_value()?)?,
                        "source" => put(&mut r.source, "source", map.next_value()?)?,
                        "locations" => put(&mut r.locations, "locations", map.next_value()?)?,
                        "casualties" => put(&mut r.casualties, "casualties", map.next_value()?)?,
                        "perpetrators" => {
                            put(&mut r.perpetrators, "perpetrators", map.next_value()?)?
                        }
                        "incident_types" => {
                            put(&mut r.incident_types, "incident_types", map.next_value()?)?
                        }
                        "tags" => put(&mut r.tags, "tags", map.next_value()?)?,
                        "draft" => put(&mut r.draft, "draft", map.next_value()?)?,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                            r.unknown.push(key);
                        }
                    }
                }
                Ok(r)
            }
        }
        deserializer.deserialize_map(V)
    }
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

//! Every rule of report format v1 for one file: as-written front matter in, a resolved
//! [`Report`] and the problems found out. Rules that need the whole archive (unique ids,
//! links between reports, spellings of one place) are in [`super::crosscheck`].

use std::sync::Arc;

use chrono::NaiveDate;

use super::counts::{Count, Counts, Field, MAX_COUNT};
use super::diagnostics::Diagnostic;
use super::frontmatter::{self, SplitError};
use super::gazetteer::Gazetteer;
use super::limits::{
    MAX_LOCATIONS, MAX_PERIOD_DAYS, MAX_PLACE_DEPTH, MAX_SUGGESTED_PLACES, MAX_TERMS,
    PAGINATION_SEGMENT,
};
use super::links;
use super::names::{closest_key, slugify};
use super::raw::{LOCATION_KEYS, REPORT_KEYS, RawCount, RawCounts, RawLocation, RawReport};
use super::report::{Kind, Location, Report, ReportLink, Source, Status};
use super::text::{self, FieldKind};
use super::yaml::{self, Locator};

/// What parsing one report needs besides its text.
pub struct Context<'a> {
    /// The gazetteer, when the site has one.
    pub gazetteer: Option<&'a Gazetteer>,
    /// The language of reports that do not say.
    pub default_lang: &'a str,
    /// Languages the interface has strings for.
    pub ui_languages: &'a [&'a str],
}

/// What is known of one file after parsing it.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The report, when the file has no errors (shared: a preview's cache and the model
    /// hold the same one).
    pub report: Option<Arc<Report>>,
    /// Its id and links, whenever the front matter could be read (for archive-wide rules).
    pub identity: Option<Identity>,
    /// Every problem found in the file.
    pub problems: Vec<Diagnostic>,
}

/// What archive-wide rules need of a file, valid or not.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The file, relative to the site root.
    pub file: String,
    /// Its report id (from `id:` or the file name).
    pub id: String,
    /// Where `id:` is written, when it is.
    pub id_position: Option<(usize, usize)>,
    /// `draft: true`
    pub draft: bool,
    /// Links to other reports' files in its body.
    pub links: Vec<links::FoundLink>,
}

/// Finds positions in the front matter lazily, and turns them into whole-file positions.
pub(crate) struct Positions<'a> {
    yaml: &'a str,
    first_line: usize,
    locator: Option<Locator>,
}

impl<'a> Positions<'a> {
    pub(crate) fn new(yaml: &'a str, first_line: usize) -> Self {
        Positions {
            yaml,
            first_line,
            locator: None,
        }
    }

    fn shift(&self, (line, col): (usize, usize)) -> (usize, usize) {
        (line + self.first_line - 1, col)
    }

    fn locator(&mut self) -> &Locator {
        self.locator.get_or_insert_with(|| Locator::new(self.yaml))
    }

    /// Position of the key at `path`, else of the nearest thing above it, else the top.
    pub(crate) fn key(&mut self, path: &str) -> (usize, usize) {
        let p = self
            .locator()
            .key(path)
            .or_else(|| self.locator().nearest(path));
        p.map_or((1, 1), |p| self.shift(p))
    }

    /// Position of the value at `path`, else of the nearest thing above it, else the top.
    pub(crate) fn value(&mut self, path: &str) -> (usize, usize) {
        let p = self.locator().nearest(path);
        p.map_or((1, 1), |p| self.shift(p))
    }

    /// Position of `ch` in the value at `path` when written there literally, else the value's.
    fn char_in_value(&mut self, path: &str, ch: char) -> (usize, usize) {
        let at = self.value(path);
        text::position_of_char(self.yaml, self.first_line, at, ch)
    }
}

struct Checker<'a> {
    file: &'a str,
    pos: Positions<'a>,
    problems: Vec<Diagnostic>,
    /// Unknown places reported so far (the first few get suggestions).
    unknown_places: usize,
}

impl Checker<'_> {
    fn error(
        &mut self,
        pos: (usize, usize),
        code: &'static str,
        message: String,
    ) -> &mut Diagnostic {
        self.problems
            .push(Diagnostic::error(self.file, pos, code, message));
        self.problems.last_mut().expect("just pushed")
    }

    fn at_key(&mut self, path: &str, code: &'static str, message: String) -> &mut Diagnostic {
        let pos = self.pos.key(path);
        self.error(pos, code, message)
    }

    fn at_value(&mut self, path: &str, code: &'static str, message: String) -> &mut Diagnostic {
        let pos = self.pos.value(path);
        self.error(pos, code, message)
    }

    /// Refuses, at the character itself, what `kind` may not hold; false when refused.
    fn characters(&mut self, path: &str, what: &str, value: &str, kind: FieldKind) -> bool {
        match text::refused(value, kind) {
            Some(r) => {
                self.refuse(path, what, r);
                false
            }
            None => true,
        }
    }

    /// The error for a refused character of the value at `path`, at the character itself.
    fn refuse(&mut self, path: &str, what: &str, r: text::Refused) {
        let pos = self.pos.char_in_value(path, r.ch);
        self.error(pos, r.code(), r.message(what)).help = Some(r.help());
    }

    fn unknown_keys(&mut self, base: &str, unknown: &[String], known: &[&str]) {
        for key in unknown {
            let path = if base.is_empty() {
                key.clone()
            } else {
                format!("{base}.{key}")
            };
            let help = match closest_key(key, known) {
                Some(k) => format!("did you mean `{k}`?"),
                None => format!("the fields allowed here are: {}", known.join(", ")),
            };
            self.at_key(&path, "unknown-field", format!("unknown field `{key}`"))
                .help = Some(help);
        }
    }

    fn date(&mut self, path: &str, written: &str) -> Option<NaiveDate> {
        match parse_date(written) {
            Ok(d) => Some(d),
            Err(why) => {
                self.at_value(path, "invalid-date", why).help =
                    Some("write dates as YYYY-MM-DD, e.g. 2017-11-12".into());
                None
            }
        }
    }

    fn count(&mut self, path: &str, raw: &RawCount) -> Option<Count> {
        let min = match raw.min {
            Some(m) => m,
            None => {
                self.at_value(path, "invalid-count", "a count needs `min`".into())
                    .help = Some(
                    "write `{min: N}` for \"at least N\" or `{min: N, max: M}` for a range".into(),
                );
                return None;
            }
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
    fn counts(&mut self, base: &str, raw: &RawCounts) -> (Counts, Vec<(Field, String)>) {
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

    fn string_list(&mut self, key: &str, list: &Option<Vec<String>>) -> Vec<String> {
        let len = list.as_ref().map_or(0, Vec::len);
        if len > MAX_TERMS {
            self.at_value(
                key,
                "too-many-values",
                format!("`{key}` has {len} entries, more than the limit of {MAX_TERMS}"),
            )
            .help = Some(format!(
                "keep the {MAX_TERMS} that matter most; each value is a page of its own"
            ));
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::with_capacity(len);
        let mut seen: crate::FastSet<std::borrow::Cow<str>> = crate::FastSet::default();
        for (i, value) in list.iter().flatten().enumerate() {
            if let Some(r) = text::refused(value, FieldKind::Name) {
                self.refuse(&format!("{key}.{i}"), &format!("an entry of `{key}`"), r);
                continue;
            }
            let value = text::nfc(value.trim());
            let slug = slugify(&value);
            if slug.is_empty() {
                self.at_value(
                    &format!("{key}.{i}"),
                    "empty-value",
                    format!("`{key}` has an empty or unusable entry"),
                )
                .help = Some("remove it, or write a name with letters or digits".into());
            } else if slug.len() > MAX_SLUG_BYTES {
                self.too_long(&format!("{key}.{i}"), &format!("a `{key}` entry"), &slug);
            } else if seen.insert(value.clone()) {
                out.push(value.into_owned());
            }
        }
        out
    }

    /// A name whose URL segment would be longer than a file name may be.
    fn too_long(&mut self, path: &str, what: &str, slug: &str) {
        self.at_value(
            path,
            "too-long",
            format!(
                "{what} is too long: its URL segment has {} bytes, more than {MAX_SLUG_BYTES}",
                slug.len()
            ),
        )
        .help = Some("shorten it; put the full wording in the text".into());
    }

    fn url(&mut self, path: &str, url: &Option<String>) -> Option<String> {
        let url = url.as_ref()?.trim();
        if !self.characters(path, "the URL", url, FieldKind::Name) {
            None
        } else if is_http_url(url) {
            Some(url.to_string())
        } else {
            self.at_value(
                path,
                "invalid-url",
                format!("`{url}` is not an absolute http(s) URL"),
            )
            .help = Some("write the full address, starting with https://".into());
            None
        }
    }
}

/// The longest URL segment (id, place, taxonomy value) in bytes: every page is a folder
/// named by it, and file systems refuse names over 255 bytes.
pub const MAX_SLUG_BYTES: usize = 200;

/// `https://host/...` or `http://host/...` with a host and no spaces.
pub fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.is_empty() && !url.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

/// Parses `YYYY-MM-DD`, telling a wrong form from an impossible date.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(format!("`{s}` is not a date in YYYY-MM-DD form"));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("`{s}` is not a real date"))
}

/// A well-formed report id: `[a-z0-9]+(-[a-z0-9]+)*`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A plausible BCP-47 tag: a 2–3 letter language, then subtags of 1–8 letters or digits.
fn is_valid_lang(lang: &str) -> bool {
    let mut parts = lang.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn choice<T: Copy>(
    c: &mut Checker,
    key: &str,
    written: &Option<String>,
    options: &[(&str, T)],
) -> Option<T> {
    let w = written.as_deref()?.trim();
    match options.iter().find(|(name, _)| *name == w) {
        Some((_, v)) => Some(*v),
        None => {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            c.at_value(key, "invalid-value", format!("`{key}` cannot be `{w}`"))
                .help = Some(format!("use one of: {}", names.join(", ")));
            None
        }
    }
}

/// The file stem of `file` (`content/reports/x.md` → `x`).
fn stem(file: &str) -> &str {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.strip_suffix(".md").unwrap_or(name)
}

/// Parses and checks one report file. Returns the report when it has no errors, and every
/// problem found either way.
pub fn parse_report(file: &str, text: &str, ctx: &Context) -> Parsed {
    let body_text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = match frontmatter::split(body_text) {
        Ok(s) => s,
        Err(SplitError::Missing) => {
            let d = Diagnostic::error(
                file,
                (1, 1),
                "missing-front-matter",
                "the file does not start with front matter",
            )
            .with_help("start the file with a line `---`, the fields, then another `---` line");
            return Parsed {
                report: None,
                identity: None,
                problems: vec![d],
            };
        }
        Err(SplitError::Unterminated) => {
            let d = Diagnostic::error(
                file,
                (1, 1),
                "unterminated-front-matter",
                "the front matter is not closed",
            )
            .with_help("add a line with only `---` after the last field, before the text");
            return Parsed {
                report: None,
                identity: None,
                problems: vec![d],
            };
        }
    };
    let mut c = Checker {
        file,
        pos: Positions::new(split.yaml, split.yaml_line),
        problems: Vec::new(),
        unknown_places: 0,
    };
    let raw: RawReport = if split.yaml.trim().is_empty() {
        RawReport::default()
    } else {
        match yaml::from_str(split.yaml) {
            Ok(r) => r,
            Err(e) => {
                let pos = match e.position {
                    Some(p) => c.pos.shift(p),
                    None => c.pos.value(&e.path),
                };
                let help = yaml_error_help(&e.message);
                c.error(pos, "yaml", e.message).help = help;
                return Parsed {
                    report: None,
                    identity: None,
                    problems: c.problems,
                };
            }
        }
    };
    c.unknown_keys("", &raw.unknown, REPORT_KEYS);

    let title = raw.title.as_deref().map(str::trim).unwrap_or("");
    c.characters("title", "`title`", title, FieldKind::Text);
    if title.is_empty() {
        let d = if raw.title.is_some() {
            c.at_value("title", "missing-field", "`title` is empty".into())
        } else {
            c.error((1, 1), "missing-field", "`title` is missing".into())
        };
        d.help = Some("add a line `title: \"What happened, where\"`".into());
    }
    let date = match &raw.date {
        Some(d) => c.date("date", d.trim()),
        None => {
            c.error((1, 1), "missing-field", "`date` is missing".into())
                .help = Some("add the publication date: `date: YYYY-MM-DD`".into());
            None
        }
    };
    let period = match &raw.period {
        None => date.map(|d| (d, d)),
        Some(p) => {
            let start = match &p.start {
                Some(s) => c.date("period.start", s.trim()),
                None => {
                    c.at_key("period", "missing-field", "`period` has no `start`".into())
                        .help = Some("add `start: YYYY-MM-DD` under `period:`".into());
                    None
                }
            };
            let end = match &p.end {
                Some(e) => c.date("period.end", e.trim()),
                None => start,
            };
            match (start, end) {
                (Some(s), Some(e)) if e < s => {
                    c.at_value(
                        "period.end",
                        "period-reversed",
                        format!("`period.end` ({e}) is before `period.start` ({s})"),
                    )
                    .help = Some("swap the two dates".into());
                    None
                }
                (Some(s), Some(e)) if (e - s).num_days() + 1 > MAX_PERIOD_DAYS => {
                    c.at_value(
                        "period.end",
                        "period-too-long",
                        format!(
                            "the period from {s} to {e} is {} days, more than the limit of \
                             {MAX_PERIOD_DAYS} (twenty years)",
                            (e - s).num_days() + 1
                        ),
                    )
                    .help = Some(
                        "check the years; a report is listed on every day of its period".into(),
                    );
                    None
                }
                (Some(s), Some(e)) => Some((s, e)),
                _ => None,
            }
        }
    };
    let id = match &raw.id {
        Some(id) => {
            let id = id.trim();
            if id.len() > MAX_SLUG_BYTES {
                c.too_long("id", "the id", id);
            } else if !is_valid_id(id) {
                c.at_value("id", "invalid-id", format!("`{id}` is not a valid id"))
                    .help = Some(format!(
                    "use lowercase letters, digits and single hyphens, e.g. `{}`",
                    suggest_id(id)
                ));
            }
            id.to_string()
        }
        None => {
            let id = stem(file);
            if id.len() > MAX_SLUG_BYTES {
                c.too_long("id", "the file name", id);
            } else if !is_valid_id(id) {
                c.error(
                    (1, 1),
                    "invalid-id",
                    format!("the file name `{id}` is not a valid id"),
                )
                .help = Some(format!(
                    "rename the file to `{}.md`, or add `id: {}`",
                    suggest_id(id),
                    suggest_id(id)
                ));
            }
            id.to_string()
        }
    };
    let kind = choice(
        &mut c,
        "kind",
        &raw.kind,
        &[("incident", Kind::Incident), ("summary", Kind::Summary)],
    );
    let status = choice(
        &mut c,
        "status",
        &raw.status,
        &[
            ("provisional", Status::Provisional),
            ("final", Status::Final),
        ],
    );
    let lang = match raw.lang.as_deref().map(str::trim) {
        Some(l) if !is_valid_lang(l) => {
            c.at_value(
                "lang",
                "invalid-lang",
                format!("`{l}` is not a language tag"),
            )
            .help = Some("use a BCP-47 tag such as `en`, `ar` or `fr`".into());
            l.to_string()
        }
        Some(l) => l.to_string(),
        None => ctx.default_lang.to_string(),
    };
    if !ctx
        .ui_languages
        .iter()
        .any(|u| *u == lang.split('-').next().unwrap_or(""))
        && raw.lang.is_some()
    {
        c.problems.push(
            Diagnostic::warning(
                file,
                c.pos.value("lang"),
                "lang-without-ui-strings",
                format!("there are no interface strings for `{lang}`"),
            )
            .with_help(format!(
                "the page will use the site's interface strings; available: {}",
                ctx.ui_languages.join(", ")
            )),
        );
    }
    let source = raw.source.as_ref().map(|s| Source {
        name: s
            .name
            .as_ref()
            .map(|n| n.trim().to_string())
            .filter(|n| c.characters("source.name", "`source.name`", n, FieldKind::Text))
            .filter(|n| !n.is_empty()),
        url: c.url("source.url", &s.url),
        archive_url: c.url("source.archive_url", &s.archive_url),
    });

    let mut locations: Vec<Location> =
        Vec::with_capacity(raw.locations.as_ref().map_or(0, Vec::len));
    match &raw.locations {
        None => {
            c.error((1, 1), "missing-field", "`locations` is missing".into())
                .help =
                Some("add `locations: [Country/Governorate/Town]` with at least one place".into());
        }
        Some(list) if list.is_empty() => {
            c.at_value(
                "locations",
                "empty-locations",
                "`locations` is empty".into(),
            )
            .help = Some("give at least one place, e.g. `- Syria/Idlib/Saraqib`".into());
        }
        Some(list) if list.len() > MAX_LOCATIONS => {
            c.at_value(
                "locations",
                "too-many-locations",
                format!(
                    "`locations` has {} places, more than the limit of {MAX_LOCATIONS}",
                    list.len()
                ),
            )
            .help = Some(
                "give the wider places that hold them (a district rather than its villages), \
                 or split the report"
                    .into(),
            );
        }
        Some(list) => {
            let mut listed: crate::FastSet<String> = crate::FastSet::default();
            for (i, loc) in list.iter().enumerate() {
                let base = format!("locations.{i}");
                let (counts, raw_words, note) = match loc {
                    RawLocation::Path(_) => (Counts::default(), Vec::new(), None),
                    RawLocation::Detailed { counts, note, .. } => {
                        let mut unknown = counts.unknown.clone();
                        unknown.retain(|k| !LOCATION_KEYS.contains(&k.as_str()));
                        let mut known: Vec<&str> = LOCATION_KEYS.to_vec();
                        known.extend(Field::ALL.iter().map(|f| f.name()));
                        c.unknown_keys(&base, &unknown, &known);
                        let checked = RawCounts {
                            fields: counts.fields.clone(),
                            unknown: Vec::new(),
                        };
                        let (cs, words) = c.counts(&base, &checked);
                        if let Some(r) = note
                            .as_deref()
                            .and_then(|n| text::refused(n, FieldKind::Text))
                        {
                            c.refuse(&format!("{base}.note"), "`note`", r);
                        }
                        (cs, words, note.clone())
                    }
                };
                let place_path = match loc {
                    RawLocation::Path(_) => base.clone(),
                    RawLocation::Detailed { .. } => format!("{base}.place"),
                };
                let Some(written) = loc.place() else {
                    c.at_value(
                        &base,
                        "missing-field",
                        "this location has no `place`".into(),
                    )
                    .help = Some("add `place: Country/Governorate/Town`".into());
                    continue;
                };
                let Some(path) = resolve_place(&mut c, &place_path, written, ctx.gazetteer) else {
                    continue;
                };
                if !listed.insert(path.clone()) {
                    c.at_value(
                        &place_path,
                        "duplicate-location",
                        format!("`{path}` is listed twice in `locations`"),
                    )
                    .help = Some("merge the two entries".into());
                    continue;
                }
                locations.push(Location {
                    path,
                    counts,
                    raw: raw_words,
                    note,
                });
            }
        }
    }

    let (mut casualties, casualties_raw) = match &raw.casualties {
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
    let perpetrators = c.string_list("perpetrators", &raw.perpetrators);
    let incident_types = c.string_list("incident_types", &raw.incident_types);
    let tags = c.string_list("tags", &raw.tags);

    let kind = kind.unwrap_or(Kind::Incident);
    if kind == Kind::Incident
        && casualties.is_empty()
        && source
            .as_ref()
            .is_none_or(|s| s.url.is_none() && s.name.is_none())
        && !c.problems.iter().any(Diagnostic::is_error)
    {
        c.problems.push(
            Diagnostic::warning(
                file,
                (1, 1),
                "incident-without-evidence",
                "this incident gives no casualties and no source",
            )
            .with_help("add `casualties:` or a `source:` so readers can weigh the report"),
        );
    }
    let identity = Identity {
        file: file.to_string(),
        id_position: raw
            .id
            .as_ref()
            .map(|_| top_level_value(split.yaml, "id").map_or((1, 1), |p| c.pos.shift(p))),
        id: id.clone(),
        draft: raw.draft.unwrap_or(false),
        links: links::find(split.body, split.body_line, file),
    };
    c.problems
        .extend(super::html::check(split.body, split.body_line, file));
    let (Some(date), Some(period)) = (date, period) else {
        return Parsed {
            report: None,
            identity: Some(identity),
            problems: c.problems,
        };
    };
    if c.problems.iter().any(Diagnostic::is_error) {
        return Parsed {
            report: None,
            identity: Some(identity),
            problems: c.problems,
        };
    }
    let report = Report {
        id,
        file: file.to_string(),
        title: title.to_string(),
        date,
        period,
        kind,
        status,
        lang,
        source,
        locations,
        casualties,
        casualties_raw,
        perpetrators,
        incident_types,
        tags,
        draft: raw.draft.unwrap_or(false),
        links: Vec::new(),
        body: split.body.to_string(),
        // Only the place-spelling check of a site without a gazetteer points into the
        // front matter after this (see `crosscheck`).
        front_matter: ctx
            .gazetteer
            .is_none()
            .then(|| super::report::FrontMatterText {
                yaml: split.yaml.to_string(),
                first_line: split.yaml_line,
            }),
    };
    let mut report = report;
    report.links = identity
        .links
        .iter()
        .map(|l| ReportLink {
            dest: l.dest.clone(),
            target_file: l.target_file.clone(),
            target: String::new(),
            position: l.position,
        })
        .collect();
    let problems = c.problems;
    Parsed {
        report: Some(Arc::new(report)),
        identity: Some(identity),
        problems,
    }
}

/// Position of the value of top-level `key` when written in block style (`id: x` at the
/// start of a line): a cheap scan, for rules that need it on valid files too.
fn top_level_value(yaml: &str, key: &str) -> Option<(usize, usize)> {
    yaml.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?.strip_prefix(':')?;
        let value_col = key.len() + 2 + (rest.len() - rest.trim_start().len());
        Some((i + 1, value_col))
    })
}

fn resolve_place(
    c: &mut Checker,
    at: &str,
    written: &str,
    gazetteer: Option<&Gazetteer>,
) -> Option<String> {
    let depth = written.split('/').count();
    if depth > MAX_PLACE_DEPTH {
        c.at_value(
            at,
            "place-too-deep",
            format!("this place has {depth} levels, more than the limit of {MAX_PLACE_DEPTH}"),
        )
        .help = Some(
            "write places as `Country/Governorate/District/Town`, names separated by `/`".into(),
        );
        return None;
    }
    if !c.characters(at, "the place", written, FieldKind::Name) {
        return None;
    }
    let written = &*text::nfc(written);
    let segments: Vec<&str> = written.split('/').map(str::trim).collect();
    if segments.iter().any(|s| slugify(s).is_empty()) {
        c.at_value(
            at,
            "invalid-place",
            format!("place `{written}` has an empty segment"),
        )
        .help = Some(
            "write places as `Country/Governorate/District/Town`, names separated by single `/`"
                .into(),
        );
        return None;
    }
    let path = match gazetteer {
        None => segments.join("/"),
        Some(g) => {
            let suggest = c.unknown_places < MAX_SUGGESTED_PLACES;
            match g.resolve(written, suggest) {
                Ok(path) => path,
                Err(u) => {
                    c.unknown_places += 1;
                    unknown_place(c, at, u);
                    return None;
                }
            }
        }
    };
    for segment in path.split('/') {
        let slug = slugify(segment);
        if slug.len() > MAX_SLUG_BYTES {
            c.too_long(at, &format!("the place name `{segment}`"), &slug);
            return None;
        }
        if slug == PAGINATION_SEGMENT {
            c.at_value(
                at,
                "reserved-name",
                format!(
                    "`{segment}` cannot name a place: `{PAGINATION_SEGMENT}/` is where the \
                     place above it lists its reports past the first page"
                ),
            )
            .help = Some(format!(
                "write the name differently (e.g. `{segment} town`), in the gazetteer too"
            ));
            return None;
        }
    }
    Some(path)
}

fn unknown_place(c: &mut Checker, at: &str, u: super::gazetteer::Unresolved) {
    let within = if u.parent.is_empty() {
        String::new()
    } else {
        format!(" under `{}`", u.parent)
    };
    let help = match u.suggestions.as_slice() {
        [] if c.unknown_places > MAX_SUGGESTED_PLACES => format!(
            "add the place to content/places.yaml, or use a name or alias listed there (names \
             close to it are suggested for the first {MAX_SUGGESTED_PLACES} unknown places of \
             a report)"
        ),
        [] => {
            "add the place to content/places.yaml, or use a name or alias listed there".to_string()
        }
        [one] => format!("did you mean `{one}`?"),
        many => format!(
            "did you mean one of: {}?",
            many.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    c.at_value(
        at,
        "unknown-place",
        format!("`{}`{within} is not in the gazetteer", u.segment),
    )
    .help = Some(help);
}

/// A valid id close to `bad` (`Report 1` → `report-1`).
fn suggest_id(bad: &str) -> String {
    let s = slugify(bad);
    let ascii: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let parts: Vec<&str> = ascii.split('-').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        "report-1".into()
    } else {
        parts.join("-")
    }
}

fn yaml_error_help(message: &str) -> Option<String> {
    if let Some(rest) = message.split("unknown field `").nth(1) {
        // "unknown field `strat`, expected `start` or `end`" → did you mean `start`?
        let wrong = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        return Some(match closest_key(wrong, &expected) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("the fields allowed here are: {}", expected.join(", ")),
        });
    }
    if message.contains("did not find expected key")
        || message.contains("mapping values are not allowed")
    {
        Some("check the indentation and put quotes around values that contain `: `".into())
    } else if message.contains("duplicate field") {
        Some("give each field once".into())
    } else if message.contains("expand the YAML past") {
        Some("each `*alias` repeats its `&anchor`'s whole value: write long values once".into())
    } else if message.contains("control characters are not allowed") {
        Some(
            "delete the invisible character here (often a wrongly decoded apostrophe or quote)"
                .into(),
        )
    } else if message.contains("invalid type") {
        Some("see docs/format.md for the type each field takes".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_valid_id("2017-11-12-al-bukamal"));
        assert!(!is_valid_id("Al-Bukamal"));
        assert!(!is_valid_id("a--b"));
        assert!(!is_valid_id("../x"));
        assert_eq!(suggest_id("Report 1"), "report-1");
    }

    #[test]
    fn nested_unknown_fields_get_suggestions() {
        let help = yaml_error_help("period: unknown field `strat`, expected `start` or `end`");
        assert_eq!(help.as_deref(), Some("did you mean `start`?"));
    }

    #[test]
    fn dates() {
        assert!(parse_date("2017-11-12").is_ok());
        assert!(
            parse_date("2017-02-30")
                .unwrap_err()
                .contains("not a real date")
        );
        assert!(parse_date("12/11/2017").unwrap_err().contains("YYYY-MM-DD"));
    }

    #[test]
    fn urls() {
        assert!(is_http_url("https://www.syriahr.com/en/78375/"));
        assert!(!is_http_url("www.syriahr.com"));
        assert!(!is_http_url("javascript:alert(1)"));
        assert!(!is_http_url("https:///x"));
    }
}

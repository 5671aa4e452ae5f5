//! The diagnostics machinery every checker shares: positions in the front matter, and the
//! helpers that put an error at a key, a value or a refused character.

use crate::content::diagnostics::Diagnostic;
use crate::content::names::closest_key;
use crate::content::text::{self, FieldKind};
use crate::content::yaml::Locator;

/// The longest URL segment (id, place, taxonomy value) in bytes: every page is a folder
/// named by it, and file systems refuse names over 255 bytes.
pub const MAX_SLUG_BYTES: usize = 200;

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

    /// A position in the front matter as a position in the whole file.
    pub(super) fn shift(&self, (line, col): (usize, usize)) -> (usize, usize) {
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

/// The problems of one file as they are found, with what is needed to place them.
pub(super) struct Checker<'a> {
    pub(super) file: &'a str,
    pub(super) pos: Positions<'a>,
    pub(super) problems: Vec<Diagnostic>,
    /// Unknown places reported so far (the first few get suggestions).
    pub(super) unknown_places: usize,
    /// Terms the vocabulary does not know, reported so far (the first few get
    /// suggestions).
    pub(super) unknown_terms: usize,
}

impl Checker<'_> {
    /// Records an error at `pos`; the caller may then set its help.
    pub(super) fn error(
        &mut self,
        pos: (usize, usize),
        code: &'static str,
        message: String,
    ) -> &mut Diagnostic {
        self.problems
            .push(Diagnostic::error(self.file, pos, code, message));
        self.problems.last_mut().expect("just pushed")
    }

    /// An error at the key at `path`.
    pub(super) fn at_key(
        &mut self,
        path: &str,
        code: &'static str,
        message: String,
    ) -> &mut Diagnostic {
        let pos = self.pos.key(path);
        self.error(pos, code, message)
    }

    /// An error at the value at `path`.
    pub(super) fn at_value(
        &mut self,
        path: &str,
        code: &'static str,
        message: String,
    ) -> &mut Diagnostic {
        let pos = self.pos.value(path);
        self.error(pos, code, message)
    }

    /// Refuses, at the character itself, what `kind` may not hold; false when refused.
    pub(super) fn characters(
        &mut self,
        path: &str,
        what: &str,
        value: &str,
        kind: FieldKind,
    ) -> bool {
        match text::refused(value, kind) {
            Some(r) => {
                self.refuse(path, what, r);
                false
            }
            None => true,
        }
    }

    /// The error for a refused character of the value at `path`, at the character itself.
    pub(super) fn refuse(&mut self, path: &str, what: &str, r: text::Refused) {
        let pos = self.pos.char_in_value(path, r.ch);
        self.problems.push(r.diagnostic(self.file, pos, what));
    }

    /// An error for each of the `unknown` keys under `base`, with the closest of `known`.
    pub(super) fn unknown_keys(&mut self, base: &str, unknown: &[String], known: &[&str]) {
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

    /// A name whose URL segment would be longer than a file name may be.
    pub(super) fn too_long(&mut self, path: &str, what: &str, slug: &str) {
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

    /// One of `options`, by name; an error listing them otherwise.
    pub(super) fn choice<T: Copy>(
        &mut self,
        key: &str,
        written: &Option<String>,
        options: &[(&str, T)],
    ) -> Option<T> {
        let w = written.as_deref()?.trim();
        match options.iter().find(|(name, _)| *name == w) {
            Some((_, v)) => Some(*v),
            None => {
                let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
                self.at_value(key, "invalid-value", format!("`{key}` cannot be `{w}`"))
                    .help = Some(format!("use one of: {}", names.join(", ")));
                None
            }
        }
    }
}

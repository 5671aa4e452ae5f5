//! The one place that parses YAML. serde_yaml reads the typed structures (with a position
//! for syntax errors); it has no positions for values that parsed fine, so the
//! [`Locator`] re-reads a document with a positioned event parser, only when a problem in it
//! must be pointed at. Swapping serde_yaml for a fork touches this module alone.
//!
//! Front matter in its common shapes is read by [`simple`] first, a reader for plain YAML
//! many times faster than serde_yaml; whatever it does not take, serde_yaml reads.

mod aliases;
pub mod differential;
mod simple;

pub use aliases::MAX_EXPANDED_BYTES;

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, ScanError};

use super::frontmatter::line_col;

/// A YAML document that could not be read into the expected shape.
#[derive(Debug, Clone)]
pub struct YamlError {
    /// What went wrong, in serde's words.
    pub message: String,
    /// 1-based position inside the YAML text, when the parser knows it.
    pub position: Option<(usize, usize)>,
    /// Dotted path of the value being read (`casualties.killed`), when known.
    pub path: String,
    /// What to do about it, when the error is one the parser words obscurely.
    pub help: Option<&'static str>,
}

/// Deeper YAML is refused before it is parsed. Front matter nests four levels at most; the
/// YAML parser behind serde_yaml takes time quadratic in the depth of flow collections
/// (`[[[[…`), so without this bound one 2 MB report could stall a build for an hour.
pub const MAX_DEPTH: usize = 64;
const _: () = assert!(
    simple::MAX_DEPTH < MAX_DEPTH,
    "the fast reader takes no deep YAML"
);

/// Reads a site file of YAML (the gazetteer, the vocabulary) as a `T`, an empty file as
/// `T::default()`; a file that does not read is one error, `code` at its position with
/// `help`, for `file`.
pub fn read_site_file<T: DeserializeOwned + Default>(
    text: &str,
    file: &str,
    code: &'static str,
    help: &str,
) -> Result<T, crate::content::Diagnostic> {
    if text.trim().is_empty() {
        return Ok(T::default());
    }
    from_str(text).map_err(|e| {
        let pos = e
            .position
            .or_else(|| Locator::new(text).nearest(&e.path))
            .unwrap_or((1, 1));
        crate::content::Diagnostic::error(file, pos, code, e.message)
            .with_help(e.help.unwrap_or(help))
    })
}

/// Reads `text` as a `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    // The fast reader nests less deep than `MAX_DEPTH` (deeper is not its own): only what
    // it leaves to serde_yaml needs the depth checked.
    if let Some(value) = simple::from_str(text) {
        return Ok(value);
    }
    check_depth(text)?;
    aliases::check_expansion(text)?;
    let deserializer = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = dotted_path(error.path());
        let inner = error.into_inner();
        let message = inner.to_string();
        // Errors of libyaml's reader ("control characters are not allowed") give a byte
        // offset in the message and no real location.
        if let Some((message, offset)) = message
            .rsplit_once(" at position ")
            .and_then(|(m, offset)| Some((m, offset.parse().ok()?)))
            .filter(|&(_, offset)| text.is_char_boundary(offset))
        {
            return YamlError {
                message: message.to_string(),
                position: Some(line_col(text, offset)),
                path,
                help: None,
            };
        }
        // serde_yaml reports 1:1 (or nothing) when it has no real position.
        let position = inner
            .location()
            .map(|l| (l.line(), l.column()))
            .filter(|&p| p != (1, 1) || text.trim_start().is_empty());
        explain_tabs(
            text,
            YamlError {
                message: clean_message(&message),
                position,
                path,
                help: None,
            },
        )
    })
}

/// The parser's words for a tab that indents a line ("found character that cannot start
/// any token") name neither the tab nor the rule: said plainly, with the fix.
fn explain_tabs(text: &str, error: YamlError) -> YamlError {
    let indented_by_tab = error
        .position
        .and_then(|(line, _)| text.lines().nth(line.checked_sub(1)?))
        .is_some_and(|line| {
            line.chars()
                .take_while(|c| c.is_whitespace())
                .any(|c| c == '\t')
        });
    if !indented_by_tab {
        return error;
    }
    YamlError {
        message: "a tab indents this line".to_string(),
        help: Some("YAML cannot indent with tabs: indent with spaces"),
        ..error
    }
}

/// Refuses documents nesting collections more than [`MAX_DEPTH`] levels deep. Cheap for
/// ordinary front matter: only long text, or text with many of the characters that open a
/// collection on one line (`[`, `{`, `-`, `?`), is parsed (by the linear event parser) to
/// measure its depth; block nesting by indentation alone needs long text.
fn check_depth(text: &str) -> Result<(), YamlError> {
    // Counted as a sum of 0s and 1s, which compiles to vector code.
    let openers: usize = text
        .bytes()
        .map(|b| usize::from(matches!(b, b'[' | b'{' | b'-' | b'?')))
        .sum();
    if text.len() <= 16 * 1024 && openers <= 2 * MAX_DEPTH {
        return Ok(());
    }
    let mut depth = 0usize;
    let mut too_deep = None;
    let result = each_event(text, |event, mark| {
        match event {
            Event::MappingStart(..) | Event::SequenceStart(..) => depth += 1,
            Event::MappingEnd | Event::SequenceEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_DEPTH {
            too_deep = Some((mark.line(), mark.col() + 1));
        }
        too_deep.is_none()
    });
    let too_deep_error = |mark: (usize, usize)| YamlError {
        message: format!("the YAML is nested more than {MAX_DEPTH} levels deep"),
        position: Some(mark),
        path: String::new(),
        help: None,
    };
    if let Some(mark) = too_deep {
        return Err(too_deep_error(mark));
    }
    match result {
        // The event parser has its own, higher, limit on flow collections.
        Err(e) if e.info().contains("recursion limit") => {
            Err(too_deep_error((e.marker().line(), e.marker().col() + 1)))
        }
        // Other syntax errors are left to serde_yaml, which words them for the reader.
        _ => Ok(()),
    }
}

/// Feeds the events of the first document of `text` to `receiver` until it returns false,
/// in a loop (the parser's own `load` recurses once per level of nesting, which a hostile
/// document turns into a stack overflow).
fn each_event(
    text: &str,
    mut receiver: impl FnMut(Event, Marker) -> bool,
) -> Result<(), ScanError> {
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, mark) = parser.next_token()?;
        if matches!(event, Event::DocumentEnd | Event::StreamEnd) || !receiver(event, mark) {
            return Ok(());
        }
    }
}

fn dotted_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let parts: Vec<String> = path
        .iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect();
    parts.join(".")
}

/// serde_yaml appends " at line L column C" to messages; the diagnostic carries the position.
fn clean_message(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Positions of every key and value of a YAML document, by dotted path
/// (`locations.1.place`; sequence items by index).
#[derive(Debug, Default)]
pub struct Locator {
    keys: HashMap<String, (usize, usize)>,
    values: HashMap<String, (usize, usize)>,
}

impl Locator {
    /// Reads the positions in `text`. Parsing stops quietly at a syntax error: positions
    /// found before it are kept.
    pub fn new(text: &str) -> Self {
        let mut recorder = Recorder::default();
        let _ = each_event(text, |event, mark| {
            recorder.on_event(event, mark);
            true
        });
        recorder.locator
    }

    /// Position of the key of the map entry at `path`.
    pub fn key(&self, path: &str) -> Option<(usize, usize)> {
        self.keys.get(path).copied()
    }

    /// Position of the value at `path`.
    pub fn value(&self, path: &str) -> Option<(usize, usize)> {
        self.values.get(path).copied()
    }

    /// Position of the value at `path`, else of the closest enclosing key or value found.
    pub fn nearest(&self, path: &str) -> Option<(usize, usize)> {
        let mut path = path;
        loop {
            if let Some(p) = self.value(path).or_else(|| self.key(path)) {
                return Some(p);
            }
            path = &path[..path.rfind('.')?];
        }
    }
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    locator: Locator,
}

fn join(path: &str, part: &str) -> String {
    if path.is_empty() {
        part.to_string()
    } else {
        format!("{path}.{part}")
    }
}

impl Recorder {
    /// Where the next node goes: `Some(path)` for a value, `None` when it is a map key.
    fn next_value_path(&mut self, scalar: Option<&str>, mark: (usize, usize)) -> Option<String> {
        match self.stack.last_mut() {
            None => Some(String::new()),
            Some(Frame::Seq { path, index }) => {
                let p = join(path, &index.to_string());
                *index += 1;
                Some(p)
            }
            Some(Frame::Map { path, key }) => match key.take() {
                Some(k) => Some(join(path, &k)),
                None => {
                    let k = scalar.unwrap_or("?").to_string();
                    let full = join(path, &k);
                    self.locator.keys.entry(full).or_insert(mark);
                    *key = Some(k);
                    None
                }
            },
        }
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        let pos = (mark.line(), mark.col() + 1);
        match event {
            Event::Scalar(value, ..) => {
                if let Some(path) = self.next_value_path(Some(&value), pos) {
                    self.locator.values.entry(path).or_insert(pos);
                }
            }
            Event::Alias(_) => {
                if let Some(path) = self.next_value_path(None, pos) {
                    self.locator.values.entry(path).or_insert(pos);
                }
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = self.next_value_path(None, pos).unwrap_or_default();
                self.locator.values.entry(path.clone()).or_insert(pos);
                self.stack.push(match event {
                    Event::MappingStart(..) => Frame::Map { path, key: None },
                    _ => Frame::Seq { path, index: 0 },
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_block_and_flow_nodes() {
        let text = "title: x\ncasualties:\n  killed: {min: 5}\nlocations:\n  - A/B\n  - {place: C, killed: 2}\n";
        let loc = Locator::new(text);
        assert_eq!(loc.key("title"), Some((1, 1)));
        assert_eq!(loc.value("title"), Some((1, 8)));
        assert_eq!(loc.key("casualties.killed"), Some((3, 3)));
        assert_eq!(loc.key("casualties.killed.min"), Some((3, 12)));
        assert_eq!(loc.value("locations.0"), Some((5, 5)));
        assert_eq!(loc.value("locations.1.place"), Some((6, 13)));
        assert_eq!(loc.nearest("locations.1.killed.max"), Some((6, 24)));
    }

    #[test]
    fn deep_nesting_is_refused_quickly() {
        for text in [
            format!("tags: {}{}\n", "[".repeat(200_000), "]".repeat(200_000)),
            format!("x: {}1{}\n", "{a: ".repeat(100_000), "}".repeat(100_000)),
            format!("x:\n{}1\n", "- ".repeat(100_000)),
            format!("x: {}\n", "[".repeat(100_000)),
            format!("{}a\n", "? ".repeat(100_000)),
            (0..1500)
                .map(|i| format!("{}a:\n", " ".repeat(i)))
                .collect(),
        ] {
            let started = std::time::Instant::now();
            let e = from_str::<serde_yaml::Value>(&text).unwrap_err();
            assert!(e.message.contains("nested more than 64"), "{}", e.message);
            assert!(e.position.is_some_and(|p| p.0 <= 66), "{:?}", e.position);
            assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        }
        // Ordinary documents with many brackets still parse.
        let many = format!("tags: [{}]\n", vec!["[a]"; 100].join(", "));
        assert!(from_str::<serde_yaml::Value>(&many).is_ok());
    }

    #[test]
    fn alias_bombs_are_refused_quickly() {
        let mut text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n".to_string();
        for i in 1..12 {
            let refs = vec![format!("*a{}", i - 1); 9].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let started = std::time::Instant::now();
        let e = from_str::<serde_yaml::Value>(&text).unwrap_err();
        assert!(e.message.contains("past 4 MiB"), "{}", e.message);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn reader_errors_are_placed_at_their_character() {
        let e = from_str::<serde_yaml::Value>("a: 1\nb: x\u{92}y\n").unwrap_err();
        assert_eq!(e.message, "control characters are not allowed");
        assert_eq!(e.position, Some((2, 5)));
        // The offset counts bytes; the column, characters.
        let e = from_str::<serde_yaml::Value>("a: دير\u{7f}\n").unwrap_err();
        assert_eq!(e.position, Some((1, 7)));
    }

    #[test]
    fn typed_errors_carry_path() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            a: Vec<u32>,
        }
        let e = from_str::<T>("a:\n  - 1\n  - x\n").unwrap_err();
        assert_eq!(e.path, "a.1");
        assert_eq!(e.position, Some((3, 5)));
    }
}

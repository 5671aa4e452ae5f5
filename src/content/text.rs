//! Which characters front-matter text may hold, the one spelling names are compared in
//! (NFC), and the skeletons that tell look-alike names apart.
//!
//! Two kinds of field, two rules (docs/format.md, "Characters in names and text"):
//!
//! - **Names** (place segments, gazetteer names and aliases, taxonomy terms, codes, URLs)
//!   identify things: an invisible character would make a second place or term that looks
//!   like the first, so every invisible format character (general category Cf, and the few
//!   other default-ignorable ones), every control character and every noncharacter is
//!   refused.
//! - **Text** (titles, source names, location notes, raw wordings) is shown, not matched:
//!   it may keep the joiners and marks some scripts need (ZWJ, ZWNJ, LRM, RLM, ALM, soft
//!   hyphen), but not the bidirectional embeddings, overrides and isolates that reorder
//!   what follows them (`123 killed` shown as `dellik 321`), nor controls other than tab
//!   and line feed, nor noncharacters (U+FFFF makes an XML feed ill-formed).
//!
//! Everything here has an ASCII fast path: most fields are ASCII and cost one scan.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::hash::Hash;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use super::diagnostics::Diagnostic;

/// What a front-matter field is, for the characters it may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Names that identify a place or term (or a URL): no invisible characters at all.
    Name,
    /// Text that is only shown: no bidirectional controls, controls or noncharacters.
    Text,
}

/// Why a character is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A bidirectional embedding, override or isolate (U+202A–U+202E, U+2066–U+2069) or a
    /// deprecated format control (U+206A–U+206F): it reorders or reshapes what follows it.
    BidiControl,
    /// An invisible format character in a name (ZWJ, ZWSP, soft hyphen, LRM…).
    Invisible,
    /// A control character (C0 other than tab and line feed in text, any in a name; DEL; C1;
    /// line and paragraph separators).
    Control,
    /// A noncharacter (U+FFFE, U+FFFF, U+FDD0–U+FDEF, the last two of every plane): never
    /// text, and U+FFFE/U+FFFF are not allowed in XML.
    Noncharacter,
}

/// The first refused character of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused {
    /// The character.
    pub ch: char,
    /// Its byte offset in the field.
    pub offset: usize,
    /// Why it is refused.
    pub why: Refusal,
}

impl Refused {
    /// The diagnostic code.
    pub fn code(&self) -> &'static str {
        match self.why {
            Refusal::BidiControl => "bidi-control",
            Refusal::Invisible => "invisible-character",
            Refusal::Control => "control-character",
            Refusal::Noncharacter => "noncharacter",
        }
    }

    /// What is wrong, for `what` (`` `title` ``, `the place name`…).
    pub fn message(&self, what: &str) -> String {
        let effect = match self.why {
            Refusal::BidiControl => "which reorders how the text after it is shown",
            Refusal::Invisible => "an invisible character that makes it a different name",
            Refusal::Control => "a control character",
            Refusal::Noncharacter => "which is not a character and breaks the site's XML",
        };
        format!("{what} holds {}, {effect}", describe(self.ch))
    }

    /// The error for it in `file` at `pos`, `what` naming the field.
    pub fn diagnostic(&self, file: &str, pos: (usize, usize), what: &str) -> Diagnostic {
        Diagnostic::error(file, pos, self.code(), self.message(what)).with_help(self.help())
    }

    /// What to do about it.
    pub fn help(&self) -> String {
        match self.why {
            Refusal::BidiControl => "delete it (retype the text if you cannot see it): pages \
                set the direction of every text themselves"
                .into(),
            Refusal::Invisible => "delete it (retype the name if you cannot see it): names \
                are compared character by character, so this one would not match the same \
                name written without it"
                .into(),
            Refusal::Control | Refusal::Noncharacter => "delete it; in a quoted YAML string, \
                check escapes such as `\\u…`, `\\x…` or `\\e`"
                .into(),
        }
    }
}

/// `U+202E RIGHT-TO-LEFT OVERRIDE`, or `U+XXXX` for characters without a name here.
fn describe(c: char) -> String {
    let name = match c {
        '\u{00AD}' => " SOFT HYPHEN",
        '\u{061C}' => " ARABIC LETTER MARK",
        '\u{200B}' => " ZERO WIDTH SPACE",
        '\u{200C}' => " ZERO WIDTH NON-JOINER",
        '\u{200D}' => " ZERO WIDTH JOINER",
        '\u{200E}' => " LEFT-TO-RIGHT MARK",
        '\u{200F}' => " RIGHT-TO-LEFT MARK",
        '\u{202A}' => " LEFT-TO-RIGHT EMBEDDING",
        '\u{202B}' => " RIGHT-TO-LEFT EMBEDDING",
        '\u{202C}' => " POP DIRECTIONAL FORMATTING",
        '\u{202D}' => " LEFT-TO-RIGHT OVERRIDE",
        '\u{202E}' => " RIGHT-TO-LEFT OVERRIDE",
        '\u{2060}' => " WORD JOINER",
        '\u{2066}' => " LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => " RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => " FIRST STRONG ISOLATE",
        '\u{2069}' => " POP DIRECTIONAL ISOLATE",
        '\u{FEFF}' => " ZERO WIDTH NO-BREAK SPACE (byte order mark)",
        _ => "",
    };
    format!("U+{:04X}{name}", c as u32)
}

/// Errors for the bidirectional embeddings and overrides (U+202A–U+202E) of a report's body,
/// which starts on line `body_line` of `file`, whether written as characters or as character
/// references (`&#x202E;`, `&#8238;`, which look harmless in a pull request's diff and are
/// decoded on the page). An override reverses the text after it up to the end of its
/// paragraph, so a body could show a figure backwards. Isolates and direction marks stay
/// allowed: mixed Arabic and English text uses them, and neither can reverse a run.
pub fn body_problems(body: &str, body_line: usize, file: &str) -> Vec<Diagnostic> {
    // Most bodies have neither a three-byte character starting E2 nor a reference.
    let bytes = body.as_bytes();
    if !bytes.contains(&0xE2) && !body.contains("&#") {
        return Vec::new();
    }
    let mut problems = Vec::new();
    let candidates =
        body.match_indices(|c: char| c == '&' || ('\u{202A}'..='\u{202E}').contains(&c));
    for (at, found) in candidates {
        let c = match found.chars().next() {
            Some('&') => match embedding_reference(&body[at..]) {
                Some(c) => c,
                None => continue,
            },
            Some(c) => c,
            None => continue,
        };
        let (line, col) = super::frontmatter::line_col(body, at);
        problems.push(
            Diagnostic::error(
                file,
                (body_line + line - 1, col),
                "bidi-control",
                format!(
                    "the text has {}, which reverses what follows it on the page",
                    describe(c)
                ),
            )
            .with_help(
                "delete it; to set a passage's direction, write it in its own paragraph or \
                 use an isolate (U+2066–U+2069)",
            ),
        );
        if problems.len() == 10 {
            break;
        }
    }
    problems
}

/// The embedding or override that a character reference at the start of `s` names
/// (`&#x202E;`, `&#X202e`, `&#8238;`, leading zeros allowed), if it names one.
fn embedding_reference(s: &str) -> Option<char> {
    let rest = s.strip_prefix("&#")?;
    let (digits, radix) = match rest.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16),
        None => (rest, 10),
    };
    let end = digits
        .find(|c: char| !c.is_digit(radix))
        .unwrap_or(digits.len());
    if end == 0 || end > 10 {
        return None;
    }
    let c = char::from_u32(u32::from_str_radix(&digits[..end], radix).ok()?)?;
    ('\u{202A}'..='\u{202E}').contains(&c).then_some(c)
}

/// The first character `kind` refuses in `s`, if any.
pub fn refused(s: &str, kind: FieldKind) -> Option<Refused> {
    if s.is_ascii() {
        // Only C0 controls and DEL can be wrong in ASCII.
        let offset = s.bytes().position(|b| ascii_refused(b, kind))?;
        return Some(Refused {
            ch: char::from(s.as_bytes()[offset]),
            offset,
            why: Refusal::Control,
        });
    }
    s.char_indices()
        .find_map(|(offset, ch)| refusal(ch, kind).map(|why| Refused { ch, offset, why }))
}

fn ascii_refused(b: u8, kind: FieldKind) -> bool {
    let allowed_control = kind == FieldKind::Text && matches!(b, b'\t' | b'\n');
    (b < 0x20 || b == 0x7F) && !allowed_control
}

fn refusal(c: char, kind: FieldKind) -> Option<Refusal> {
    if c.is_ascii() {
        return ascii_refused(c as u8, kind).then_some(Refusal::Control);
    }
    if is_bidi_control(c) {
        Some(Refusal::BidiControl)
    } else if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
        Some(Refusal::Control)
    } else if is_noncharacter(c) {
        Some(Refusal::Noncharacter)
    } else if kind == FieldKind::Name && is_invisible(c) {
        Some(Refusal::Invisible)
    } else {
        None
    }
}

/// Embeddings, overrides, pop (U+202A–U+202E), isolates (U+2066–U+2069) and the deprecated
/// format controls after them (U+206A–U+206F). Isolates are refused too: they would be safe
/// only if every output isolated the field again, and a field never needs them (the site
/// sets each text's direction with `dir`).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{206F}')
}

/// A noncharacter: U+FDD0–U+FDEF and the last two code points of every plane.
fn is_noncharacter(c: char) -> bool {
    let u = c as u32;
    (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE
}

/// Invisible characters: general category Cf (Unicode 16), and the default-ignorable
/// characters of other categories that draw nothing (combining grapheme joiner, Hangul
/// fillers, Khmer inherent vowels, variation selectors).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061C}'
            | '\u{06DD}'
            | '\u{070F}'
            | '\u{0890}'..='\u{0891}'
            | '\u{08E2}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{110BD}'
            | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0001}'
            | '\u{E0020}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// A character XML 1.0 allows (its `Char` production; surrogates cannot be in a `str`).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

/// A character that diagnostics print escaped, so that quoting a report can neither start
/// a line of its own in a CI log, drive a terminal, nor reorder the message around it:
/// controls, line and paragraph separators, invisible format characters, noncharacters.
pub fn escaped_in_messages(c: char) -> bool {
    !c.is_ascii_graphic()
        && c != ' '
        && (c.is_control()
            || matches!(c, '\u{2028}' | '\u{2029}')
            || is_invisible(c)
            || is_noncharacter(c))
}

/// `s` in Unicode normalisation form C: a name typed as `a` + combining accent and one
/// typed precomposed are one name. Borrows when `s` is already NFC (always for ASCII).
pub fn nfc(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// [`nfc`] in place, for a name already owned.
pub fn make_nfc(s: &mut String) {
    if let Cow::Owned(n) = nfc(s) {
        *s = n;
    }
}

/// The key under which look-alike names meet: Unicode's confusable skeleton (UTS #39),
/// lowercased, so that `Hajin`, `Hаjin` (Cyrillic а) and `HAJIN` share it. Lowercasing
/// comes after the skeleton, which maps `I` and `1` to `l` first.
pub fn confusable_key(name: &str) -> String {
    unicode_security::skeleton(name)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Names seen so far, grouped by confusable key within a group (the parent of a place, a
/// taxonomy): finds the first name of another identity that looks like a new one, in one
/// hash look-up per name, never by comparing all pairs.
pub struct LookAlikes<G, T> {
    first: crate::FastMap<(G, String), FirstUse<T>>,
}

/// The first name seen under a confusable key.
pub struct FirstUse<T> {
    /// The name as written.
    pub name: String,
    /// What it names (a slug, a place's path): another name of the same identity is no
    /// look-alike.
    identity: String,
    /// Where it is written.
    pub at: T,
}

impl<G: Hash + Eq, T> Default for LookAlikes<G, T> {
    fn default() -> Self {
        LookAlikes {
            first: crate::FastMap::default(),
        }
    }
}

impl<G: Hash + Eq, T> LookAlikes<G, T> {
    /// Records `name` (of `identity`) in `group`, with `at()` saying where it is written.
    /// Returns the first name of another identity with the same key. Callers pass each
    /// distinct name once (the first time they see it), so that each warns once.
    pub fn see(
        &mut self,
        group: G,
        name: &str,
        identity: &str,
        at: impl FnOnce() -> T,
    ) -> Option<&FirstUse<T>> {
        match self.first.entry((group, confusable_key(name))) {
            Entry::Occupied(e) => {
                let first = e.into_mut();
                (first.identity != identity).then_some(&*first)
            }
            Entry::Vacant(e) => {
                e.insert(FirstUse {
                    name: name.to_string(),
                    identity: identity.to_string(),
                    at: at(),
                });
                None
            }
        }
    }
}

/// The warning for a look-alike: `name` looks like `other` (written `where_`), with the
/// first characters that differ, which a reader cannot see.
pub fn look_alike_message(what: &str, name: &str, other: &str, where_: &str) -> String {
    let differ = name
        .chars()
        .zip(other.chars())
        .find(|(a, b)| a != b)
        .map(|(a, b)| {
            format!(
                ": U+{:04X} where the other has U+{:04X}",
                a as u32, b as u32
            )
        })
        .unwrap_or_default();
    format!(
        "{what} `{name}` looks like `{other}` ({where_}) but is written with other \
         characters{differ}, so the two are counted apart"
    )
}

/// What to do about a look-alike.
pub const LOOK_ALIKE_HELP: &str = "if they are one, copy the spelling of the other so both \
    are written alike; if they are two, make the names differ visibly";

/// The position of `ch` when it is written literally on the line of `pos` at or after its
/// column, else `pos` (a character written as a YAML escape, or on a later line). `source`
/// is the YAML whose first line is line `first_line` of the file.
pub fn position_of_char(
    source: &str,
    first_line: usize,
    (line, column): (usize, usize),
    ch: char,
) -> (usize, usize) {
    let found = line
        .checked_sub(first_line)
        .and_then(|i| source.lines().nth(i))
        .and_then(|text| {
            text.chars()
                .enumerate()
                .skip(column.saturating_sub(1))
                .find(|(_, c)| *c == ch)
        });
    found.map_or((line, column), |(i, _)| (line, i + 1))
}

#[cfg(test)]
mod tests {

    #[test]
    fn body_overrides_are_found_as_characters_and_references() {
        let found = |body: &str| -> Vec<(usize, usize)> {
            body_problems(body, 10, "x.md")
                .iter()
                .map(|d| (d.line, d.column))
                .collect()
        };
        assert_eq!(
            found("a \u{202E}b\nc &#x202A; &#8236; &#X202d"),
            [(10, 3), (11, 3), (11, 12), (11, 20)]
        );
        // Without `;` a reference is still decoded inside raw HTML: refused too.
        assert_eq!(found("&#8237x"), [(10, 1)]);
        assert!(
            found(
                "isolates \u{2066}x\u{2069}, marks \u{200F}, &#x2066; &amp;#x202E; &#32; &#x; &#"
            )
            .is_empty()
        );
        assert!(found("plain “quoted” text").is_empty());
    }

    use super::*;

    #[test]
    fn ascii_costs_one_scan_and_refuses_only_controls() {
        assert_eq!(refused("Deir ez-Zor", FieldKind::Name), None);
        assert_eq!(refused("a\tb", FieldKind::Text), None);
        let r = refused("a\tb", FieldKind::Name).unwrap();
        assert_eq!((r.ch, r.offset, r.why), ('\t', 1, Refusal::Control));
        assert_eq!(
            refused("x\u{7f}", FieldKind::Text).unwrap().why,
            Refusal::Control
        );
    }

    #[test]
    fn text_keeps_marks_and_joiners_but_not_overrides() {
        assert_eq!(refused("\u{200F}123 قتيلاً", FieldKind::Text), None);
        assert_eq!(refused("می\u{200C}خواهم", FieldKind::Text), None);
        let r = refused("Hajin \u{202E}123 killed", FieldKind::Text).unwrap();
        assert_eq!((r.offset, r.why), (6, Refusal::BidiControl));
        assert_eq!(
            refused("\u{2067}x", FieldKind::Text).unwrap().why,
            Refusal::BidiControl
        );
        assert_eq!(
            refused("Shelling\u{FFFF}", FieldKind::Text).unwrap().why,
            Refusal::Noncharacter
        );
        assert_eq!(
            refused("a\u{2028}b", FieldKind::Text).unwrap().why,
            Refusal::Control
        );
    }

    #[test]
    fn names_refuse_every_invisible_character() {
        for c in [
            '\u{200D}', '\u{200C}', '\u{200B}', '\u{00AD}', '\u{2060}', '\u{FEFF}',
        ] {
            let name = format!("Ha{c}jin");
            assert_eq!(
                refused(&name, FieldKind::Name).map(|r| r.why),
                Some(Refusal::Invisible),
                "{c:?}"
            );
        }
        assert_eq!(refused("دير الزور", FieldKind::Name), None);
        assert_eq!(refused("Ḥimṣ", FieldKind::Name), None);
    }

    #[test]
    fn noncharacters_and_xml() {
        for c in [
            '\u{FFFE}',
            '\u{FFFF}',
            '\u{FDD0}',
            '\u{1FFFF}',
            '\u{10FFFE}',
        ] {
            assert!(is_noncharacter(c), "{c:?}");
        }
        assert!(!is_noncharacter('\u{FFFD}'));
        assert!(!is_xml_char('\u{FFFF}') && !is_xml_char('\u{1}') && is_xml_char('\u{FFFD}'));
    }

    #[test]
    fn nfd_and_nfc_meet() {
        assert_eq!(nfc("Ha\u{0304}jin"), "H\u{0101}jin");
        assert!(matches!(nfc("Hajin"), Cow::Borrowed(_)));
        assert!(matches!(nfc("دير الزور"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_character_itself_is_pointed_at() {
        let yaml = "title: \"a \u{202E}b\"\nx: 1";
        assert_eq!(position_of_char(yaml, 2, (2, 8), '\u{202E}'), (2, 11));
        assert_eq!(position_of_char(yaml, 2, (2, 8), '\u{FFFF}'), (2, 8));
        assert_eq!(position_of_char(yaml, 2, (1, 1), 'x'), (1, 1));
    }

    #[test]
    fn look_alikes_are_found_once_per_group() {
        let mut seen: LookAlikes<&str, u32> = LookAlikes::default();
        assert!(seen.see("syria", "Hajin", "hajin", || 1).is_none());
        assert!(
            seen.see("iraq", "H\u{0430}jin", "h\u{0430}jin", || 2)
                .is_none()
        );
        let first = seen
            .see("syria", "H\u{0430}jin", "h\u{0430}jin", || 3)
            .unwrap();
        assert_eq!((first.name.as_str(), first.at), ("Hajin", 1));
        assert!(seen.see("syria", "HAJIN", "hajin", || 4).is_none());
    }

    #[test]
    fn look_alikes_share_a_key() {
        assert_eq!(confusable_key("Hajin"), confusable_key("H\u{0430}jin"));
        assert_eq!(confusable_key("Shelling"), confusable_key("SheIling"));
        assert_ne!(confusable_key("Hajin"), confusable_key("Hama"));
        assert_ne!(confusable_key("حمص"), confusable_key("حماة"));
    }
}

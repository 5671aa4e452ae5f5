//! Words of the search index: how text splits into words (the same rules as `search.js`)
//! and the table that collects, for each word, the documents it occurs in.
//!
//! The index meets every word of every report (tens of millions at 50,000 reports), so the
//! splitter classifies ASCII bytes by table and hands out slices of the text, folding only
//! the words that need it.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A fast hasher: the tables hold hundreds of thousands of words and their order never
/// reaches the output (shards are written sorted).
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;

/// What an ASCII byte is to the splitter.
const SEPARATOR: u8 = 0;
/// A lowercase letter or a digit: a word made only of these is already folded.
const PLAIN: u8 = 1;
/// An uppercase letter.
const UPPER: u8 = 2;
/// The first byte of a multi-byte character, to be decoded.
const OTHER: u8 = 3;

const CLASS: [u8; 256] = {
    let mut class = [OTHER; 256];
    let mut b = 0;
    while b < 128 {
        class[b] = match b as u8 {
            b'a'..=b'z' | b'0'..=b'9' => PLAIN,
            b'A'..=b'Z' => UPPER,
            _ => SEPARATOR,
        };
        b += 1;
    }
    class
};

/// Whether a non-ASCII character belongs to a word.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The character at byte `pos` of `text` (a char boundary).
fn char_at(text: &str, pos: usize) -> char {
    text[pos..].chars().next().expect("pos is a char boundary")
}

/// A maximal run of letters, digits and combining marks, and whether it holds only
/// lowercase ASCII letters and digits (then it is its own folded form).
struct Run<'a> {
    text: &'a str,
    plain: bool,
}

/// The next run of `text` at or after `*pos`, moving `*pos` past it.
fn next_run<'a>(text: &'a str, pos: &mut usize) -> Option<Run<'a>> {
    let bytes = text.as_bytes();
    let len = bytes.len();
    let start = loop {
        if *pos >= len {
            return None;
        }
        match CLASS[usize::from(bytes[*pos])] {
            SEPARATOR => *pos += 1,
            OTHER => {
                let c = char_at(text, *pos);
                if is_word_char(c) {
                    break *pos;
                }
                *pos += c.len_utf8();
            }
            _ => break *pos,
        }
    };
    let mut plain = true;
    while *pos < len {
        match CLASS[usize::from(bytes[*pos])] {
            PLAIN => *pos += 1,
            UPPER => {
                plain = false;
                *pos += 1;
            }
            SEPARATOR => break,
            _ => {
                let c = char_at(text, *pos);
                if !is_word_char(c) {
                    break;
                }
                plain = false;
                *pos += c.len_utf8();
            }
        }
    }
    Some(Run {
        text: &text[start..*pos],
        plain,
    })
}

/// The Arabic definite article, taken off the front of a word (`البوكمال` → `بوكمال`) so that
/// a name is found with or without it.
const ARTICLE: &str = "\u{627}\u{644}";

/// A character as search compares it, after marks are removed and case folded: the
/// spellings of one Arabic letter are one letter (alef with hamza or madda and alef wasla
/// are alef, teh marbuta is heh, alef maksura is yeh), and the tatweel, which only
/// stretches a line, is dropped. `search.js` maps the same characters.
fn fold_arabic(c: char) -> Option<char> {
    match c {
        '\u{640}' => None,
        '\u{622}' | '\u{623}' | '\u{625}' | '\u{671}' => Some('\u{627}'),
        '\u{629}' => Some('\u{647}'),
        '\u{649}' => Some('\u{64a}'),
        c => Some(c),
    }
}

/// The first three characters of `word` (all of it when shorter): the key of the index
/// shard that holds it and every word it begins, so that a prefix is looked up in one shard.
pub fn shard_key(word: &str) -> &str {
    word.char_indices()
        .nth(PREFIX_CHARS)
        .map_or(word, |(end, _)| &word[..end])
}

/// The length, in characters, from which a query word also finds the words it begins.
pub const PREFIX_CHARS: usize = 3;

/// Calls `found` with each search word of `text`: marks removed (`é` → `e`, Arabic vowel
/// marks dropped), lowercase, Arabic letters folded ([`fold_arabic`]) and the article `ال`
/// taken off when two letters or more remain, runs of letters and digits of two characters
/// or more. `search.js` does the same to the query. A word already in that form is passed
/// as it is; one that needs folding is folded into `scratch`, so no word costs an
/// allocation.
pub fn each_word(text: &str, scratch: &mut String, mut found: impl FnMut(&str)) {
    let mut pos = 0;
    while let Some(run) = next_run(text, &mut pos) {
        let run_text = run.text;
        if run_text.len() < 2 {
            continue;
        }
        if run.plain {
            found(run_text);
            continue;
        }
        scratch.clear();
        if run_text.is_ascii() {
            scratch.extend(run_text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else {
            scratch.extend(
                run_text
                    .nfd()
                    .filter(|c| !is_combining_mark(*c))
                    .flat_map(char::to_lowercase)
                    .filter_map(fold_arabic),
            );
            if scratch.starts_with(ARTICLE) && scratch[ARTICLE.len()..].chars().nth(1).is_some() {
                scratch.drain(..ARTICLE.len());
            }
            if scratch.chars().count() < 2 {
                continue;
            }
        }
        if scratch.len() >= 2 {
            found(scratch);
        }
    }
}

/// Word → documents (in increasing order), for a range of documents added in order.
#[derive(Default)]
pub struct WordTable {
    words: HashMap<Box<[u8]>, Vec<u32>>,
}

impl WordTable {
    /// Records that `word` occurs in document `doc`, which is not lower than any document
    /// added before.
    pub fn add(&mut self, word: &str, doc: u32) {
        let word = word.as_bytes();
        match self.words.get_mut(word) {
            // A word repeated in a document is recorded once.
            Some(docs) if docs.last() == Some(&doc) => {}
            Some(docs) => docs.push(doc),
            None => {
                self.words.insert(word.into(), vec![doc]);
            }
        }
    }

    /// Adds the words of `other`, whose documents all follow this table's.
    pub fn append(&mut self, other: WordTable) {
        for (word, mut theirs) in other.words {
            self.words.entry(word).or_default().append(&mut theirs);
        }
    }

    /// Each word with its sorted documents, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u32])> {
        self.words.iter().map(|(word, docs)| {
            let word = std::str::from_utf8(word).expect("keys are words of a str");
            (word, docs.as_slice())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_are_letters_digits_and_marks() {
        let text = "a-b  cd_ef\tgh9 ١٢٣ ذهب… é́x x";
        let expected: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric() && !is_combining_mark(c))
            .filter(|w| !w.is_empty())
            .collect();
        let mut runs = Vec::new();
        let mut pos = 0;
        while let Some(run) = next_run(text, &mut pos) {
            runs.push(run.text);
        }
        assert_eq!(runs, expected);
        assert_eq!(runs, ["a", "b", "cd", "ef", "gh9", "١٢٣", "ذهب", "é́x", "x"]);
    }

    fn words(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        each_word(text, &mut String::new(), |w| found.push(w.to_string()));
        found
    }

    #[test]
    fn words_fold_case_and_marks() {
        let w = words("Al-Bukamal: ÉTÉ, 50 killed; دُوما a");
        assert_eq!(w, vec!["al", "bukamal", "ete", "50", "killed", "دوما"]);
    }

    /// The cases `search.js` is checked on too (tests/tools/search_words.cjs): the spellings
    /// a reader may type for one name (with and without the article, vowel marks, tatweel,
    /// hamza on the alef, teh marbuta, alef maksura) are one word.
    #[test]
    fn words_agree_with_the_cases_search_js_is_checked_on() {
        let cases = include_str!("../../../tests/fixtures/search-words.tsv");
        let mut checked = 0;
        for line in cases
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (text, want) = line.split_once('\t').expect("text, a tab, its words");
            assert_eq!(
                words(text),
                want.split_whitespace().collect::<Vec<_>>(),
                "{text}"
            );
            checked += 1;
        }
        assert!(checked >= 10, "{checked} cases");
    }

    #[test]
    fn shard_keys_are_three_characters() {
        assert_eq!(shard_key("bukamal"), "buk");
        assert_eq!(shard_key("bu"), "bu");
        assert_eq!(shard_key("بوكمال"), "بوك");
    }

    #[test]
    fn table_records_each_document_once_and_appends_in_order() {
        let mut left = WordTable::default();
        for (w, d) in [
            ("raid", 0),
            ("raid", 0),
            ("a-very-long-word-kept-in-a-box", 1),
        ] {
            left.add(w, d);
        }
        left.add("raid", 2);
        let mut right = WordTable::default();
        right.add("raid", 5);
        right.add("shelling", 5);
        left.append(right);
        let mut all: Vec<(&str, &[u32])> = left.iter().collect();
        all.sort();
        assert_eq!(
            all,
            [
                ("a-very-long-word-kept-in-a-box", &[1][..]),
                ("raid", &[0, 2, 5][..]),
                ("shelling", &[5][..]),
            ]
        );
    }
}

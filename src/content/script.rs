//! Which writing system a report's text is in, to catch a report whose language is wrong:
//! on a site with `language: ar`, a report without `lang` is Arabic, and an English one
//! left so would be laid out right to left with its punctuation on the wrong side
//! (`.them children`). The check counts letters only (digits, punctuation and links say
//! nothing of the language) and speaks only when the text is clearly in the other script.

/// A writing system sijill can tell a language's text by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Arabic, Persian, Urdu, Kurdish (Sorani), Pashto…
    Arabic,
    /// English, French, Spanish, Turkish, Kurdish (Kurmanji)…
    Latin,
}

/// Letters below this many say too little to judge a language by.
const MIN_LETTERS: usize = 12;

/// Letters looked at, at most: the title and the first paragraph tell, and the check stays
/// a small fraction of reading a report (it read whole bodies first: a fifth of `check`).
const MAX_LETTERS: usize = 400;

/// The script `lang` is written in, by primary subtag, for the languages sijill knows the
/// script of (none for others: the check then says nothing).
pub fn script_of(lang: &str) -> Option<Script> {
    let primary = lang.split('-').next().unwrap_or("").to_ascii_lowercase();
    match primary.as_str() {
        "ar" | "fa" | "ur" | "ps" | "sd" | "ckb" | "ug" => Some(Script::Arabic),
        "en" | "fr" | "es" | "de" | "it" | "pt" | "nl" | "tr" | "ku" | "id" | "ms" | "sv"
        | "da" | "no" | "nb" | "pl" | "ro" | "ca" | "sq" | "az" | "so" | "sw" => {
            Some(Script::Latin)
        }
        _ => None,
    }
}

fn script_of_letter(c: char) -> Option<Script> {
    match c {
        'a'..='z' | 'A'..='Z' | '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}' => {
            Some(Script::Latin)
        }
        '\u{600}'..='\u{6FF}'
        | '\u{750}'..='\u{77F}'
        | '\u{8A0}'..='\u{8FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}'
            if c.is_alphabetic() =>
        {
            Some(Script::Arabic)
        }
        _ => None,
    }
}

/// Counts the letters of `word` into `arabic` and `latin`, unless it is a link or an address
/// (`https://…`, `[text](url)`, `a@b.org`, `/images/map.png`): Latin letters that say
/// nothing of the language of the text around them. One pass over the bytes for the words
/// of English text, the most common.
fn count_letters(word: &str, arabic: &mut usize, latin: &mut usize) {
    let (mut ascii_letters, mut other) = (0, false);
    for b in word.bytes() {
        match b {
            b'/' | b'@' => return,
            b'a'..=b'z' | b'A'..=b'Z' => ascii_letters += 1,
            0x80.. => other = true,
            _ => {}
        }
    }
    *latin += ascii_letters;
    if other {
        for c in word.chars().filter(|c| !c.is_ascii()) {
            match script_of_letter(c) {
                Some(Script::Arabic) => *arabic += 1,
                Some(Script::Latin) => *latin += 1,
                None => {}
            }
        }
    }
}

/// The script that `texts` are clearly written in: nine letters in ten, of at least
/// [`MIN_LETTERS`].
pub fn dominant(texts: &[&str]) -> Option<Script> {
    let (mut arabic, mut latin) = (0usize, 0usize);
    'texts: for text in texts {
        for word in text.split_ascii_whitespace() {
            count_letters(word, &mut arabic, &mut latin);
            if arabic + latin >= MAX_LETTERS {
                break 'texts;
            }
        }
    }
    let total = arabic + latin;
    if total < MIN_LETTERS {
        None
    } else if arabic * 10 >= total * 9 {
        Some(Script::Arabic)
    } else if latin * 10 >= total * 9 {
        Some(Script::Latin)
    } else {
        None
    }
}

/// The script of a report's title and body when it clearly contradicts its language `lang`
/// (mostly Latin letters in a report that is `ar`): the report's language is then likely
/// the site's default, not the report's.
pub fn contradiction(lang: &str, title: &str, body: &str) -> Option<Script> {
    let expected = script_of(lang)?;
    dominant(&[title, body]).filter(|found| *found != expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_text_under_arabic_is_a_contradiction() {
        let title = "Shelling kills three children in Idlib";
        assert_eq!(
            contradiction("ar", title, "Three of them children."),
            Some(Script::Latin)
        );
        assert_eq!(contradiction("en", title, ""), None);
    }

    #[test]
    fn arabic_text_under_english_is_a_contradiction() {
        let title = "مقتل سبعة مدنيين في قصف على إدلب";
        assert_eq!(contradiction("en", title, ""), Some(Script::Arabic));
        assert_eq!(contradiction("ar", title, ""), None);
        assert_eq!(contradiction("fa-IR", title, ""), None);
    }

    #[test]
    fn links_names_and_short_texts_do_not_decide() {
        // An Arabic report citing English sources by address, naming a place in Latin.
        let body = "قال شهود إن القصف استهدف السوق. المصدر: https://example.org/a/very/long/english/path [Syrian Network](https://sn4hr.org/report-on-idlib)";
        assert_eq!(contradiction("ar", "قصف على سوق Idlib", body), None);
        assert_eq!(dominant(&["Idlib"]), None);
        // Half and half: no clear script.
        assert_eq!(
            dominant(&["Shelling on the market", "قصف على السوق الشعبي"]),
            None
        );
        // A language whose script sijill does not know.
        assert_eq!(
            contradiction("he", "Shelling kills three children", ""),
            None
        );
    }
}

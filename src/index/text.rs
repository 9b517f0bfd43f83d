//! Words as the search index and the reader's query both see them. `themes/insop/static/search.js`
//! repeats these rules in JavaScript, so a word folds and stems the same on both sides; the browser
//! tests type queries that only match if the two agree.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words too common to help find anything; left out of the index and of queries.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it",
    "its", "of", "on", "or", "that", "the", "this", "to", "with",
];

/// Lower case without accents: `Élément` → `element`. Compatibility forms are unfolded first
/// (`ﬁ` → `fi`, `²` → `2`), and the few Latin letters that carry no separable accent are spelled
/// out, so a reader without the key for `ø` or `ß` still finds the word.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            'ı' => out.push('i'),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// English plurals to their singular, by the three rules of Harman's "S" stemmer (1991):
/// `-ies` → `-y`, `-es` → `-e`, `-s` → ``, with the endings that are not plurals left alone.
/// Light on purpose: it never merges words with different meanings, and it is short enough to
/// repeat exactly in the browser.
pub fn stem(word: &str) -> Cow<'_, str> {
    let unchanged = || Cow::Borrowed(word);
    let ends = |suffixes: &[&str]| suffixes.iter().any(|s| word.ends_with(s));
    // Only the first rule whose ending matches applies; its exceptions stop the stemming.
    if word.len() <= 3 || !word.is_ascii() {
        unchanged()
    } else if let Some(stripped) = word.strip_suffix("ies") {
        if ends(&["eies", "aies"]) {
            unchanged()
        } else {
            Cow::Owned(format!("{stripped}y"))
        }
    } else if word.ends_with("es") {
        if ends(&["aes", "ees", "oes"]) {
            unchanged()
        } else {
            Cow::Borrowed(&word[..word.len() - 1])
        }
    } else if let Some(stripped) = word.strip_suffix('s') {
        if ends(&["us", "ss", "is"]) {
            unchanged()
        } else {
            Cow::Borrowed(stripped)
        }
    } else {
        unchanged()
    }
}

/// A number without its leading zeros, so that `SOP 3` finds `INSOP-SOP-03`.
fn number(word: &str) -> &str {
    if word.len() > 1 && word.starts_with('0') && word.bytes().all(|b| b.is_ascii_digit()) {
        let trimmed = word.trim_start_matches('0');
        return if trimmed.is_empty() { "0" } else { trimmed };
    }
    word
}

/// Calls `f` with each index term of `text`, in order: folded, split at anything that is not a
/// letter or digit, stop words dropped, plurals stemmed, numbers without leading zeros.
/// A callback rather than an iterator of strings: indexing a large site calls this on every word.
pub fn each_term(text: &str, mut f: impl FnMut(&str)) {
    let folded = fold(text);
    for word in folded.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() || STOP_WORDS.contains(&word) {
            continue;
        }
        f(number(&stem(word)));
    }
}

/// The index terms of `text`, as [`each_term`] finds them.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_term(text, |t| out.push(t.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<String> {
        terms(text)
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Élément Ångström"), "element angstrom");
        assert_eq!(fold("Straße Øresund Æther"), "strasse oresund aether");
        assert_eq!(fold("CaCl₂ ﬁeld"), "cacl2 field");
    }

    #[test]
    fn splits_at_punctuation_and_keeps_digits() {
        assert_eq!(all("ICP-MS (7440-43-9)"), ["icp", "ms", "7440", "43", "9"]);
        assert_eq!(all("pH 6.5, 10%"), ["ph", "6", "5", "10"]);
        assert_eq!(all("INSOP-SOP-03, 0.0"), ["insop", "sop", "3", "0", "0"]);
    }

    #[test]
    fn drops_stop_words() {
        assert_eq!(all("The digestion of the soil"), ["digestion", "soil"]);
    }

    #[test]
    fn stems_plurals_only() {
        assert_eq!(stem("samples"), "sample");
        assert_eq!(stem("metals"), "metal");
        assert_eq!(stem("countries"), "country");
        assert_eq!(stem("pesticides"), "pesticide");
        // Not plurals.
        for word in ["analysis", "mass", "humus", "shoes", "gas", "its"] {
            assert_eq!(stem(word), word, "{word}");
        }
        // A plural and its singular meet.
        for (a, b) in [
            ("values", "value"),
            ("PAHs", "PAH"),
            ("Countries", "country"),
        ] {
            assert_eq!(all(a), all(b), "{a} / {b}");
        }
    }
}

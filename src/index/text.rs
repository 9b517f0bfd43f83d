//! Words as the search index and the reader's query both see them. `themes/insop/static/search.js`
//! repeats these rules in JavaScript, so a word folds and stems the same on both sides; the browser
//! tests type queries that only match if the two agree.

use std::borrow::Cow;
use unicode_normalization::char::is_combining_mark;

/// Words too common to help find anything; left out of the index and of queries.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it",
    "its", "of", "on", "or", "that", "the", "this", "to", "with",
];

/// Whether `word` is one of [`STOP_WORDS`]: asked of every word of the site, so the (short) words
/// are compared only with the stop words of their length.
fn is_stop_word(word: &str) -> bool {
    word.len() <= 5
        && STOP_WORDS
            .iter()
            .any(|s| s.len() == word.len() && *s == word)
}

/// Lower case without accents: `Élément` → `element`. Compatibility forms are unfolded first
/// (`ﬁ` → `fi`, `²` → `2`), and the few Latin letters that carry no separable accent are spelled
/// out, so a reader without the key for `ø` or `ß` still finds the word.
///
/// The other scripts of the six UN languages fold as their readers expect, not as a Latin rule
/// would: Russian `ё` is `е` but `й` stays `й` (a letter of its own, not `и` with a mark); Arabic
/// drops its short vowels and the tatweel, writes every hamza seat and alef form as the bare
/// letter (`أ إ آ` → `ا`), `ة` as `ه`, `ى` as `ي`, and Arabic-Indic digits as `0–9`.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'й' | 'Й' => out.push('й'),
            'ة' => out.push('ه'),
            'ى' => out.push('ي'),
            '\u{640}' => {}
            '٠'..='٩' => out.push(char::from(b'0' + (c as u32 - 0x660) as u8)),
            '۰'..='۹' => out.push(char::from(b'0' + (c as u32 - 0x6f0) as u8)),
            c => unicode_normalization::char::decompose_compatible(c, |d| {
                if is_combining_mark(d) {
                    return;
                }
                match d {
                    'ß' => out.push_str("ss"),
                    'æ' | 'Æ' => out.push_str("ae"),
                    'œ' | 'Œ' => out.push_str("oe"),
                    'ø' | 'Ø' => out.push('o'),
                    'ł' | 'Ł' => out.push('l'),
                    'đ' | 'Đ' => out.push('d'),
                    'ı' => out.push('i'),
                    'ٱ' => out.push('ا'),
                    d => out.extend(d.to_lowercase()),
                }
            }),
        }
    }
    out
}

/// Chinese and Japanese are written without spaces between words. Rather than a dictionary,
/// each run of such characters is indexed as its overlapping pairs (`土壤污染` → `土壤`, `壤污`,
/// `污染`), and a query is cut the same way, so any word of two or more characters is found
/// where it occurs, in any language, with no dictionary to ship to the browser.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff // Hiragana, Katakana
        | 0x3400..=0x4dbf // CJK extension A
        | 0x4e00..=0x9fff // CJK unified ideographs
        | 0xf900..=0xfaff // compatibility ideographs
        | 0x20000..=0x2ebef) // extensions B–F
}

/// The Arabic article and the conjunctions and prepositions written onto it (`والتربة`,
/// `بالتربة`), left out so that `التربة` and `تربة` are one term; a light stemmer in the
/// manner of Larkey et al. (2002), short enough to repeat in the browser.
const ARABIC_PREFIXES: &[&str] = &["وال", "بال", "كال", "فال", "لل", "ال"];

fn arabic(word: &str) -> &str {
    for prefix in ARABIC_PREFIXES {
        if let Some(rest) = word.strip_prefix(prefix)
            && rest.chars().count() >= 2
        {
            return rest;
        }
    }
    word
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
/// letter or digit, stop words dropped, plurals stemmed, numbers without leading zeros; runs of
/// Chinese or Japanese characters as overlapping pairs; Arabic without its article.
/// A callback rather than an iterator of strings: indexing a large site calls this on every word.
pub fn each_term(text: &str, mut f: impl FnMut(&str)) {
    let folded = fold(text);
    for word in folded.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() || is_stop_word(word) {
            continue;
        }
        if word.is_ascii() {
            f(number(&stem(word)));
            continue;
        }
        if !word.chars().any(is_cjk) {
            f(arabic(word));
            continue;
        }
        // Split where the script changes: `INSOP网络` is `insop` and `网络`.
        let mut rest = word;
        while let Some(first) = rest.chars().next() {
            let cjk = is_cjk(first);
            let end = rest
                .char_indices()
                .find(|&(_, c)| is_cjk(c) != cjk)
                .map_or(rest.len(), |(i, _)| i);
            let (run, tail) = rest.split_at(end);
            rest = tail;
            if !cjk {
                if !is_stop_word(run) {
                    f(number(&stem(run)));
                }
                continue;
            }
            let chars: Vec<(usize, char)> = run.char_indices().collect();
            if chars.len() == 1 {
                f(run);
            }
            for pair in chars.windows(2) {
                let end = pair[1].0 + pair[1].1.len_utf8();
                f(&run[pair[0].0..end]);
            }
        }
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
    fn folds_russian_and_arabic_as_their_readers_do() {
        assert_eq!(fold("Ёлка ЙОД"), "елка йод");
        // Short vowels, tatweel, hamza seats and alef forms, ta marbuta, alef maqsura, digits.
        assert_eq!(fold("التُّرْبَة"), "التربه");
        assert_eq!(fold("أإآ مـلـوث مستوى ١٢٣"), "ااا ملوث مستوي 123");
        assert_eq!(
            all("والتربة بالتربة التربة تربة"),
            ["تربه", "تربه", "تربه", "تربه"]
        );
    }

    #[test]
    fn chinese_is_cut_into_pairs() {
        assert_eq!(all("土壤污染"), ["土壤", "壤污", "污染"]);
        assert_eq!(all("INSOP网络：镉"), ["insop", "网络", "镉"]);
        // A query of one word finds it inside a longer run.
        let text = all("全球土壤污染评估");
        assert!(all("土壤污染").iter().all(|t| text.contains(t)));
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

//! Slugs for heading ids and URLs. One function, so an anchor an editor links to is the anchor the
//! renderer writes.

/// Lower-cases `text` and joins its runs of letters and digits with single `-`.
/// Letters of any script are kept (a French or Chinese heading keeps its words).
pub fn slugify(text: &str) -> String {
    // File names are usually slugs already (`03-sampling`): every page's URL is made from one on
    // every rebuild, so they skip the character-by-character walk.
    if is_slug(text) {
        return text.to_string();
    }
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase());
        } else if c == '_'
            || c == '-'
            || c.is_whitespace()
            || c.is_ascii_punctuation()
            || !c.is_alphanumeric()
        {
            pending_dash = true;
        }
    }
    slug
}

/// Already what [`slugify`] would make of it: lower-case ASCII letters and digits in runs joined
/// by single `-`.
fn is_slug(text: &str) -> bool {
    let bytes = text.as_bytes();
    !bytes.is_empty()
        && bytes[0] != b'-'
        && bytes[bytes.len() - 1] != b'-'
        && bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.contains("--")
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs_follow_the_documented_rule() {
        assert_eq!(slugify("Composite samples"), "composite-samples");
        assert_eq!(
            slugify("Quality control (QC) samples"),
            "quality-control-qc-samples"
        );
        assert_eq!(slugify("  pH and redox!  "), "ph-and-redox");
        assert_eq!(slugify("Cr(VI) — 2.5 mg/kg"), "cr-vi-2-5-mg-kg");
        assert_eq!(slugify("Échantillonnage"), "échantillonnage");
        assert_eq!(slugify("---"), "");
        // Already slugs, or nearly.
        assert_eq!(slugify("05001-pahs-in-soil"), "05001-pahs-in-soil");
        assert_eq!(slugify("a--b-"), "a-b");
        assert_eq!(slugify("-a"), "a");
    }
}

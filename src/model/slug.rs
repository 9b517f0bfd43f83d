//! Slugs for heading ids and URLs. One function, so an anchor an editor links to is the anchor the
//! renderer writes.

/// Lower-cases `text` and joins its runs of letters and digits with single `-`.
/// Letters of any script are kept (a French or Chinese heading keeps its words).
pub fn slugify(text: &str) -> String {
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
    }
}

//! Bands of a soil property (`5.5 < pH <= 6.5`, `TOC <= 4`). Many thresholds apply only within a
//! band, and two values for the same case must not claim overlapping bands: so bands are parsed
//! into bounds that can be compared, not kept as prose.

use std::fmt;

/// The soil property a band constrains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Property {
    /// Soil pH.
    Ph,
    /// Total organic carbon, in percent.
    Toc,
}

impl Property {
    fn name(self) -> &'static str {
        match self {
            Property::Ph => "pH",
            Property::Toc => "TOC",
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Property::Ph => "",
            Property::Toc => " %",
        }
    }
}

/// One end of a band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    pub value: f64,
    pub inclusive: bool,
}

/// `lower < property <= upper`, either end open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Band {
    pub property: Property,
    pub lower: Option<Bound>,
    pub upper: Option<Bound>,
}

/// What is wrong with a band as written; the message is shown to the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BandError(pub String);

impl Band {
    /// Parses `pH <= 5.5`, `5.5 < pH <= 6.5`, `pH > 7.5`, `6 <= pH <= 7` (and `≤`, `≥`).
    pub fn parse(text: &str, property: Property) -> Result<Band, BandError> {
        let normalized = text.replace('≤', "<=").replace('≥', ">=");
        let name = property.name();
        let Some(at) = normalized.find(name) else {
            return Err(BandError(format!(
                "expected a band on {name}, like `{name} <= 5.5`"
            )));
        };
        let left = normalized[..at].trim();
        let right = normalized[at + name.len()..].trim();
        let mut band = Band {
            property,
            lower: None,
            upper: None,
        };
        if !left.is_empty() {
            // `5.5 < pH`: the number is on the left, so the operator reads backwards.
            let (number, op) = split_number_op(left)?;
            match op {
                "<" | "<=" => band.lower = Some(Bound::new(number, op == "<=")),
                ">" | ">=" => band.upper = Some(Bound::new(number, op == ">=")),
                _ => return Err(bad_operator(op)),
            }
        }
        if !right.is_empty() {
            let (op, number) = split_op_number(right)?;
            let bound = Bound::new(number, op.ends_with('='));
            let slot = match op {
                "<" | "<=" => &mut band.upper,
                ">" | ">=" => &mut band.lower,
                _ => return Err(bad_operator(op)),
            };
            if slot.is_some() {
                return Err(BandError(format!(
                    "both bounds of the band are on the same side of {name}"
                )));
            }
            *slot = Some(bound);
        }
        match (band.lower, band.upper) {
            (None, None) => Err(BandError(format!("the band on {name} has no bound"))),
            (Some(l), Some(u))
                if l.value > u.value || (l.value == u.value && !(l.inclusive && u.inclusive)) =>
            {
                Err(BandError(format!(
                    "the band on {name} is empty: its lower bound is above its upper bound"
                )))
            }
            _ => Ok(band),
        }
    }

    /// Whether some value lies in both bands.
    pub fn overlaps(&self, other: &Band) -> bool {
        fn below(upper: Option<Bound>, lower: Option<Bound>) -> bool {
            // True when everything under `upper` is under `lower` too: the bands are disjoint.
            match (upper, lower) {
                (Some(u), Some(l)) => {
                    u.value < l.value || (u.value == l.value && !(u.inclusive && l.inclusive))
                }
                _ => false,
            }
        }
        self.property == other.property
            && !below(self.upper, other.lower)
            && !below(other.upper, self.lower)
    }

    /// A key that sorts bands from low to high.
    pub fn sort_key(&self) -> f64 {
        self.lower.map_or(f64::NEG_INFINITY, |b| b.value)
    }
}

impl Bound {
    fn new(value: f64, inclusive: bool) -> Bound {
        Bound { value, inclusive }
    }
}

fn split_number_op(text: &str) -> Result<(f64, &str), BandError> {
    let at = text
        .find(['<', '>'])
        .ok_or_else(|| BandError(format!("missing comparison after `{text}`")))?;
    Ok((number(text[..at].trim())?, text[at..].trim()))
}

fn split_op_number(text: &str) -> Result<(&str, f64), BandError> {
    let end = text
        .find(|c: char| c != '<' && c != '>' && c != '=')
        .unwrap_or(text.len());
    if end == 0 {
        return Err(BandError(format!(
            "expected `<`, `<=`, `>` or `>=` before `{text}`"
        )));
    }
    let rest = text[end..].trim().trim_end_matches('%').trim();
    Ok((&text[..end], number(rest)?))
}

fn number(text: &str) -> Result<f64, BandError> {
    let cleaned = text.trim().trim_end_matches('%').trim();
    cleaned
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| BandError(format!("`{text}` is not a number")))
}

fn bad_operator(op: &str) -> BandError {
    BandError(format!("`{op}` is not a comparison: use <, <=, > or >="))
}

impl fmt::Display for Band {
    /// `5.5 < pH ≤ 6.5`, `TOC ≤ 4 %`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = |b: &Bound| if b.inclusive { "≤" } else { "<" };
        let unit = self.property.unit();
        match (&self.lower, &self.upper) {
            (Some(l), Some(u)) => write!(
                f,
                "{} {} {} {} {}{unit}",
                l.value,
                op(l),
                self.property.name(),
                op(u),
                u.value
            ),
            (Some(l), None) => write!(
                f,
                "{} {} {}{unit}",
                self.property.name(),
                if l.inclusive { "≥" } else { ">" },
                l.value
            ),
            (None, Some(u)) => write!(f, "{} {} {}{unit}", self.property.name(), op(u), u.value),
            (None, None) => f.write_str(self.property.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ph(text: &str) -> Band {
        Band::parse(text, Property::Ph).unwrap()
    }

    #[test]
    fn bands_parse_and_print_in_reading_order() {
        assert_eq!(ph("pH <= 5.5").to_string(), "pH ≤ 5.5");
        assert_eq!(ph("5.5 < pH <= 6.5").to_string(), "5.5 < pH ≤ 6.5");
        assert_eq!(ph("pH > 7.5").to_string(), "pH > 7.5");
        assert_eq!(ph("6 <= pH <= 7").to_string(), "6 ≤ pH ≤ 7");
        assert_eq!(ph("pH≤5").to_string(), "pH ≤ 5");
        let toc = Band::parse("4 < TOC <= 9", Property::Toc).unwrap();
        assert_eq!(toc.to_string(), "4 < TOC ≤ 9 %");
    }

    #[test]
    fn adjacent_bands_do_not_overlap_but_shared_ends_do() {
        let bands = [
            "pH <= 5.5",
            "5.5 < pH <= 6.5",
            "6.5 < pH <= 7.5",
            "pH > 7.5",
        ]
        .map(ph);
        for (i, a) in bands.iter().enumerate() {
            for (j, b) in bands.iter().enumerate() {
                assert_eq!(a.overlaps(b), i == j, "{a} vs {b}");
            }
        }
        assert!(ph("pH <= 6").overlaps(&ph("6 <= pH <= 7")));
        assert!(ph("5 < pH <= 7").overlaps(&ph("6 < pH")));
    }

    #[test]
    fn malformed_bands_say_why() {
        assert!(
            Band::parse("5.5", Property::Ph)
                .unwrap_err()
                .0
                .contains("pH <= 5.5")
        );
        assert!(Band::parse("pH = 5", Property::Ph).is_err());
        assert!(
            Band::parse("pH <= five", Property::Ph)
                .unwrap_err()
                .0
                .contains("not a number")
        );
        assert!(
            Band::parse("7 < pH < 6", Property::Ph)
                .unwrap_err()
                .0
                .contains("empty")
        );
        assert!(
            Band::parse("pH", Property::Ph)
                .unwrap_err()
                .0
                .contains("no bound")
        );
    }
}

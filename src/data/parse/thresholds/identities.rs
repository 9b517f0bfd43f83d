//! The records of one country file that say the same thing twice: identical, or the same
//! contaminant, instrument, land use, value type and conditions with overlapping pH bands (a
//! reader could not tell which value applies).

use super::RawValue;
use crate::data::band::Band;
use crate::data::types::*;
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Span};
use crate::load::yaml::value_span;
use std::collections::HashMap;

/// Everything that identifies a record except its pH band.
#[derive(PartialEq, Eq, Hash)]
struct Identity {
    instrument: InstrumentIx,
    contaminant: ContaminantIx,
    land_use: String,
    value_type: String,
    texture: Option<Texture>,
    organic_carbon: Option<String>,
    extraction: Option<Extraction>,
    medium: Option<String>,
    scope: Option<String>,
}

/// Records seen so far in a file, for "the same record twice" and overlapping pH bands.
#[derive(Default)]
pub(super) struct Identities {
    seen: HashMap<Identity, Vec<(Option<Band>, Span)>>,
}

impl Identities {
    /// Whether `record` is new: not the same as one before it, nor in a pH band that overlaps
    /// one of a record that is otherwise the same. Reports it when not.
    pub(super) fn admit(
        &mut self,
        record: &Record,
        raw: &RawValue,
        span: &Span,
        text: &str,
        diagnostics: &mut Diagnostics,
    ) -> bool {
        let c = &record.condition;
        // Point at the bands when there are any, else at the records.
        let ph_or_item = |s: &Span| match value_span(text, s.range.clone(), "ph") {
            Some(r) => Span::new(s.file, r),
            None => s.clone(),
        };
        let identity = Identity {
            instrument: record.instrument,
            contaminant: record.contaminant,
            land_use: raw.land_use.clone(),
            value_type: raw.value_type.clone(),
            texture: c.texture,
            organic_carbon: c.organic_carbon.map(|b| b.to_string()),
            extraction: c.extraction,
            medium: c.medium.clone(),
            scope: c.scope.clone(),
        };
        let others = self.seen.entry(identity).or_default();
        for (band, first) in others.iter() {
            let same = band.map(|b| b.to_string()) == c.ph.map(|b| b.to_string());
            if same {
                diagnostics.push(
                    Diagnostic::error(Code::DuplicateRecord, "the same record twice")
                        .at(span.clone(), "this record…")
                        .also(first.clone(), "…repeats this one")
                        .help("remove one; if they differ in a condition, say so with `ph`, `texture`, `organic_carbon`, `extraction`, `medium` or `scope`"),
                );
                return false;
            }
            let overlap = match (band, &c.ph) {
                (Some(a), Some(b)) => a.overlaps(b),
                _ => true, // no band means every pH
            };
            if overlap {
                let describe =
                    |b: &Option<Band>| b.map_or("every pH".to_string(), |b| b.to_string());
                diagnostics.push(
                    Diagnostic::error(
                        Code::OverlappingBand,
                        format!(
                            "pH bands overlap: {} and {} for the same contaminant, land use and value type",
                            describe(&c.ph),
                            describe(band)
                        ),
                    )
                    .at(ph_or_item(span), "this band…")
                    .also(ph_or_item(first), "…overlaps this one")
                    .help("make the bands meet without overlapping (`pH <= 5.5` and `5.5 < pH <= 6.5`), or set them apart with another condition"),
                );
                return false;
            }
        }
        others.push((c.ph, span.clone()));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{country, read_country};

    #[test]
    fn overlapping_bands_are_located_at_both_bands() {
        let text = country(
            "NLD",
            "      - { contaminant: cd, land_use: agri, value_type: sv, value: 1, unit: mg/kg, ph: \"pH <= 6\" }\n      - { contaminant: cd, land_use: agri, value_type: sv, value: 2, unit: mg/kg, ph: \"pH > 5.5\" }\n",
        );
        let read = read_country(&text);
        let located = read.located();
        assert_eq!(located.len(), 1, "{located:?}");
        assert!(
            located[0].0.starts_with("pH bands overlap:"),
            "{}",
            located[0].0
        );
        assert_eq!(located[0].2, "\"pH > 5.5\"");
        let d = read.diagnostics.iter().next().unwrap();
        let first = &d.secondary[0].0;
        assert_eq!(&text[first.range.clone()], "\"pH <= 6\"");
        assert_eq!(read.db.records.len(), 1, "the second record is dropped");
    }

    #[test]
    fn the_same_record_twice_is_located_at_the_second() {
        let value =
            "      - { contaminant: cd, land_use: agri, value_type: sv, value: 1, unit: mg/kg }\n";
        let text = country("NLD", &value.repeat(2));
        let read = read_country(&text);
        let located = read.located();
        assert_eq!(located.len(), 1, "{located:?}");
        assert_eq!(located[0].0, "the same record twice");
        assert_eq!(located[0].2, value.trim());
        let second = text.rfind(value.trim()).unwrap();
        assert_eq!(read.first_range().start, second);
    }
}

//! One instrument's values in a country file: each names a contaminant, one of the
//! instrument's land uses and value types, and a source, and has a number with a unit and the
//! bands it applies in. Every problem a value has is reported before it is dropped.

use super::{RawInstrument, RawValue, Scalar};
use crate::data::band::{Band, Property};
use crate::data::parse::field;
use crate::data::types::*;
use crate::data::units::{Quantity, Unit};
use crate::diagnostics::{Code, Diagnostic, Diagnostics, Span, did_you_mean};
use std::collections::HashMap;

/// An instrument's local vocabulary, checked once, for checking its values.
pub(super) struct InstrumentCheck<'r> {
    land_uses: HashMap<&'r str, (String, Option<LandUseIx>)>,
    value_types: HashMap<&'r str, (String, Option<ValueTypeIx>)>,
    sources: Vec<&'r str>,
    id: &'r str,
}

impl<'r> InstrumentCheck<'r> {
    pub(super) fn new(
        inst: &'r RawInstrument,
        span: &Span,
        text: &str,
        vocabulary: &Database,
        diagnostics: &mut Diagnostics,
    ) -> Self {
        if inst.sources.is_empty() {
            diagnostics.push(
                Diagnostic::error(Code::DataValue, format!("instrument `{}` names no source", inst.id))
                    .at(field(span, text, "id"), "no `sources:` for its values")
                    .help("add `sources:` with `id`, `title`, `where` and `tier: primary|secondary`; a value without a source cannot be published"),
            );
        }
        let mut source_ids: Vec<&str> = Vec::new();
        for s in &inst.sources {
            if source_ids.contains(&s.id.as_str()) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        format!(
                            "source `{}` appears twice in instrument `{}`",
                            s.id, inst.id
                        ),
                    )
                    .at(field(span, text, "sources"), "in these sources")
                    .help("give each source its own `id`"),
                );
            }
            source_ids.push(&s.id);
        }
        let land_uses = inst
            .land_uses
            .iter()
            .map(|(k, t)| {
                let found = vocabulary.land_use_by_id(&t.class);
                let at = || field(&field(span, text, k), text, "class");
                let known = &vocabulary.land_uses;
                let ix = class(found, &t.class, at, known, "land use", diagnostics);
                (k.as_str(), (t.term.clone(), ix))
            })
            .collect();
        let value_types = inst
            .value_types
            .iter()
            .map(|(k, t)| {
                let found = vocabulary.value_type_by_id(&t.class);
                let at = || field(&field(span, text, k), text, "class");
                let known = &vocabulary.value_types;
                let ix = class(found, &t.class, at, known, "value type", diagnostics);
                (k.as_str(), (t.term.clone(), ix))
            })
            .collect();
        InstrumentCheck {
            land_uses,
            value_types,
            sources: source_ids,
            id: &inst.id,
        }
    }

    /// One value as a record, or `None` after reporting every problem it has.
    pub(super) fn record(
        &self,
        v: &RawValue,
        span: &Span,
        instrument: InstrumentIx,
        text: &str,
        vocabulary: &Database,
        diagnostics: &mut Diagnostics,
    ) -> Option<Record> {
        let before = diagnostics.errors();
        let at = |key: &str| field(span, text, key);

        let contaminant = vocabulary.contaminant_by_id(&v.contaminant);
        if contaminant == Defined::Unknown {
            diagnostics.push(
                Diagnostic::error(
                    Code::UnknownReference,
                    format!("unknown contaminant `{}`", v.contaminant),
                )
                .at(at("contaminant"), "not in data/contaminants.yaml")
                .help(suggest_contaminant(&v.contaminant, vocabulary)),
            );
        }
        let land_use = term(
            &self.land_uses,
            &v.land_use,
            "land use",
            "land_uses",
            self.id,
            at("land_use"),
            diagnostics,
        );
        let value_type = term(
            &self.value_types,
            &v.value_type,
            "value type",
            "value_types",
            self.id,
            at("value_type"),
            diagnostics,
        );
        let amount = amount(v, span, text, diagnostics);
        let ph = band(v.ph.as_deref(), Property::Ph, at("ph"), diagnostics);
        let organic_carbon = band(
            v.organic_carbon.as_deref(),
            Property::Toc,
            at("organic_carbon"),
            diagnostics,
        );
        let source = match (&v.source, self.sources.len()) {
            (None, 1) => Some(0),
            (None, 0) => None, // reported once for the instrument
            (None, _) => {
                diagnostics.push(
                    Diagnostic::error(Code::DataValue, "this value does not say which source it comes from")
                        .at(Span::new(span.file, span.range.start..span.range.start), "no `source:`")
                        .help(format!(
                            "instrument `{}` has several sources: add `source: {}` (or another of its source ids)",
                            self.id, self.sources[0]
                        )),
                );
                None
            }
            (Some(s), _) => {
                let found = self.sources.iter().position(|x| x == s);
                if found.is_none() {
                    diagnostics.push(
                        Diagnostic::error(Code::UnknownReference, format!("unknown source `{s}`"))
                            .at(
                                at("source"),
                                format!("not a source of instrument `{}`", self.id),
                            )
                            .help(match did_you_mean(s, self.sources.iter().copied()) {
                                Some(x) => format!("did you mean `{x}`?"),
                                None => format!(
                                    "the sources of this instrument are {}",
                                    self.sources.join(", ")
                                ),
                            }),
                    );
                }
                found
            }
        };
        if diagnostics.errors() > before {
            return None;
        }
        Some(Record {
            // A contaminant of a broken file: left to that file's error.
            contaminant: contaminant.known()?,
            country: CountryIx(0),
            instrument,
            source: source?,
            land_use: land_use?,
            value_type: value_type?,
            amount: amount?,
            condition: Condition {
                ph,
                texture: v.texture,
                organic_carbon,
                extraction: v.extraction,
                medium: v.medium.clone(),
                scope: v.scope.clone(),
            },
            basis: v.basis.clone(),
            note: v.note.clone(),
            // Set by the country file, which knows the country and subdivision.
            id: String::new(),
            span: span.clone(),
        })
    }
}

/// A national term's common class, or `None` after reporting a class outside the vocabulary
/// (`at` is where the class is written). A class a broken vocabulary file may define is left to
/// that file's error.
fn class<Ix>(
    found: Defined<Ix>,
    class: &str,
    at: impl FnOnce() -> Span,
    known: &[Class],
    what: &str,
    diagnostics: &mut Diagnostics,
) -> Option<Ix> {
    if matches!(found, Defined::Unknown) {
        diagnostics.push(
            Diagnostic::error(
                Code::UnknownReference,
                format!("unknown {what} class `{class}`"),
            )
            .at(at(), format!("not in the common {what} vocabulary"))
            .help(
                match did_you_mean(class, known.iter().map(|c| c.id.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if known.is_empty() => format!(
                        "no {what} classes were read: fix or fill the vocabulary file under data/"
                    ),
                    None => format!(
                        "the classes are {}",
                        known
                            .iter()
                            .map(|c| format!("`{}`", c.id))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                },
            ),
        );
    }
    found.known()
}

fn suggest_contaminant(wanted: &str, vocabulary: &Database) -> String {
    let lower = wanted.to_lowercase();
    // A name, symbol or alias written where the id belongs.
    if let Some(c) = vocabulary.contaminants.iter().find(|c| {
        c.name.to_lowercase() == lower
            || c.symbol
                .as_deref()
                .is_some_and(|s| s.to_lowercase() == lower)
            || c.aliases.iter().any(|a| a.to_lowercase() == lower)
    }) {
        return format!(
            "did you mean `{}` ({})? Values name contaminants by id",
            c.id, c.name
        );
    }
    match did_you_mean(
        wanted,
        vocabulary.contaminants.iter().map(|c| c.id.as_str()),
    ) {
        Some(s) => format!("did you mean `{s}`?"),
        None => "add it to data/contaminants.yaml, or use the id of an existing entry".to_string(),
    }
}

fn term<Ix: Copy>(
    terms: &HashMap<&str, (String, Option<Ix>)>,
    key: &str,
    what: &str,
    list: &str,
    instrument: &str,
    at: Span,
    diagnostics: &mut Diagnostics,
) -> Option<Term<Ix>> {
    match terms.get(key) {
        Some((national, Some(class))) => Some(Term {
            national: national.clone(),
            class: *class,
        }),
        // Its class was reported where the term is declared, or is left to a broken file's error.
        Some((_, None)) => None,
        None => {
            diagnostics.push(
                Diagnostic::error(Code::UnknownReference, format!("unknown {what} `{key}`"))
                    .at(at, format!("not declared under `{list}:` of instrument `{instrument}`"))
                    .help(match did_you_mean(key, terms.keys().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "declare it under `{list}:` with the instrument's own term and its common class: `{key}: {{ term: \"…\", class: … }}`"
                        ),
                    }),
            );
            None
        }
    }
}

fn amount(v: &RawValue, span: &Span, text: &str, diagnostics: &mut Diagnostics) -> Option<Amount> {
    let value_at = field(span, text, "value");
    let number = match &v.value {
        Scalar::Text(t) if t.trim() == "none" => return Some(Amount::NoValue),
        Scalar::Number(n) => Some(*n),
        Scalar::Text(t) => t.trim().parse::<f64>().ok(),
    };
    let Some(number) = number.filter(|n| n.is_finite()) else {
        let shown = match &v.value {
            Scalar::Text(t) => t.clone(),
            Scalar::Number(n) => n.to_string(),
        };
        diagnostics.push(
            Diagnostic::error(Code::DataValue, format!("value `{shown}` is not a number"))
                .at(value_at, "expected a number")
                .help("write the number alone (`value: 0.3`) with the unit in `unit:`, or `value: none` when the instrument sets no value"),
        );
        return None;
    };
    if number < 0.0 {
        diagnostics.push(
            Diagnostic::error(Code::DataValue, format!("value `{number}` is negative"))
                .at(value_at, "a concentration cannot be negative")
                .help("check the sign against the source"),
        );
        return None;
    }
    let Some(unit_text) = &v.unit else {
        diagnostics.push(
            Diagnostic::error(Code::DataValue, "this value has no unit")
                .at(value_at, "missing `unit:`")
                .help("add the unit the source gives, e.g. `unit: mg/kg` (also µg/kg, ng/kg, g/kg, ppm, ppb, %)"),
        );
        return None;
    };
    let Some(unit) = Unit::parse(unit_text) else {
        let known: Vec<&str> = Unit::ALL.iter().map(|u| u.as_str()).collect();
        diagnostics.push(
            Diagnostic::error(Code::DataValue, format!("unknown unit `{unit_text}`"))
                .at(field(span, text, "unit"), "not a unit of mass fraction")
                .help(match did_you_mean(unit_text, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? Known units: {}", known.join(", ")),
                    None => format!(
                        "known units: {}; values are compared in mg/kg dry weight",
                        known.join(", ")
                    ),
                }),
        );
        return None;
    };
    // The number as written (`0.10` stays `0.10`) when the text agrees with what serde read.
    let written = text[value_at.range.clone()]
        .trim_matches(['"', '\''])
        .to_string();
    let written = if written.parse::<f64>().ok() == Some(number) {
        written
    } else {
        number.to_string()
    };
    Some(Amount::Value(Quantity {
        value: number,
        written,
        unit,
    }))
}

fn band(
    text: Option<&str>,
    property: Property,
    at: Span,
    diagnostics: &mut Diagnostics,
) -> Option<Band> {
    match Band::parse(text?, property) {
        Ok(b) => Some(b),
        Err(e) => {
            diagnostics.push(
                Diagnostic::error(
                    Code::DataValue,
                    format!("malformed band `{}`: {}", text?, e.0),
                )
                .at(at, "cannot read this band")
                .help("write it like `pH <= 5.5`, `5.5 < pH <= 6.5` or `pH > 7.5`"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{country, read_country};

    #[test]
    fn an_unknown_unit_is_located_at_the_unit_with_the_closest_one() {
        let text = country(
            "NLD",
            "      - { contaminant: cd, land_use: agri, value_type: sv, value: 1, unit: mg/kgg }\n",
        );
        let read = read_country(&text);
        assert_eq!(
            read.located(),
            [(
                "unknown unit `mg/kgg`".to_string(),
                "data/thresholds/x.yaml".to_string(),
                "mg/kgg"
            )]
        );
        let at = text.find("mg/kgg").unwrap();
        assert_eq!(read.first_range(), at..at + "mg/kgg".len());
        let help = read.first_help();
        assert!(help.starts_with("did you mean `mg/kg`?"), "{help}");
        assert!(read.db.records.is_empty());
    }

    #[test]
    fn every_problem_of_a_value_is_reported_and_the_number_is_kept_as_written() {
        let text = country(
            "NLD",
            "      - { contaminant: cadmium, land_use: farm, value_type: sv, value: 0.10, unit: mg/kg }\n      - { contaminant: cd, land_use: agri, value_type: sv, value: 0.10, unit: mg/kg }\n",
        );
        let read = read_country(&text);
        let located: Vec<_> = read
            .located()
            .into_iter()
            .map(|(m, _, at)| (m, at))
            .collect();
        assert_eq!(
            located,
            [
                ("unknown contaminant `cadmium`".to_string(), "cadmium"),
                ("unknown land use `farm`".to_string(), "farm"),
            ]
        );
        let help = read.first_help();
        assert!(help.starts_with("did you mean `cd` (Cadmium)?"), "{help}");
        assert_eq!(read.db.records.len(), 1);
        let crate::data::Amount::Value(q) = &read.db.records[0].amount else {
            panic!("a value")
        };
        assert_eq!(q.written, "0.10");
    }
}
